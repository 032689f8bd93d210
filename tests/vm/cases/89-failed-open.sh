# SPDX-License-Identifier: GPL-2.0
# An open that fails after the hook gave the file the encryption shim (a
# fanotify listener refusing it, after every LSM said yes) never reaches
# the shim's open: the module reference taken with the shim must still be
# dropped, or the module can never be unloaded. The test kernel has no
# fanotify; 97-faults finds the same leak there with allocation failures.
# kernel: stock
. /tests/lib.sh

printf '%064x\n' 89 > /tmp/fo.key
expect_rc 0 ioctl-cli key add --file /tmp/fo.key
kid=$(cat $out)
rm -rf /tmp/fo
mkdir -p /tmp/fo
load "scope cgroup /ioi-test
default allow
encrypt rw /tmp/fo/**"
echo secret > /tmp/fo/f
refs=$(cat /sys/module/iointercept/refcnt)
for mode in r rw w; do
	try EPERM fanotify-deny /tmp/fo/f $mode
done
expect_eq "$(cat /sys/module/iointercept/refcnt)" "$refs" \
	"module references after three refused opens"
# The file is none the worse, and opens as before.
expect_eq "$(cat /tmp/fo/f)" secret
expect_rc 0 ioctl-cli unload-policy
expect_rc 0 ioctl-cli key remove $kid
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept
rm -rf /tmp/fo /tmp/fo.key
exit 0
