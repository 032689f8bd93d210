# SPDX-License-Identifier: GPL-2.0
# The host's programs run in the guest through the 9p-shared root.
# requires: hostroot
. /tests/lib.sh

expect_rc 0 hostrun python3 -c 'print(6 * 7)'
expect_out 42
mkdir -p /tmp/src/sub
echo hello > /tmp/src/sub/a
# The host root's /tmp is the guest's own tmpfs, so this is guest data.
cp -r /tmp/src /host/tmp/src
expect_rc 0 hostrun tar -C /tmp -cf /tmp/src.tar src
expect_rc 0 hostrun tar -C /tmp -tf /tmp/src.tar
expect_out "src/sub/a"
expect_rc 0 hostrun rsync -a /tmp/src/ /tmp/copy/
expect_rc 0 cmp /host/tmp/src/sub/a /host/tmp/copy/sub/a
exit 0
