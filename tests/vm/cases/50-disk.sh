# SPDX-License-Identifier: GPL-2.0
# The harness gives the guest a real ext4 disk (virtio-blk) at /mnt/disk.
# requires: disk
. /tests/lib.sh

grep -q '^/dev/vda /mnt/disk ext4 ' /proc/mounts || fail "no ext4 on /mnt/disk"
expect_rc 0 dd if=/dev/urandom of=/tmp/data bs=64k count=16
expect_rc 0 cp /tmp/data /mnt/disk/data
sync
echo 3 > /proc/sys/vm/drop_caches || fail "cannot drop caches"
expect_rc 0 cmp /tmp/data /mnt/disk/data
expect_rc 0 rm /mnt/disk/data
exit 0
