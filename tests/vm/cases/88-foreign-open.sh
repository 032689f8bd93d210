# SPDX-License-Identifier: GPL-2.0
# Opens under an encrypt rule that the shim cannot stand in front of
# (docs/design.md, "Opens the shim does not see"): FUSE creating a file,
# whose atomic open passes finish_open() an open of its own so that the
# shim's open never runs, and debugfs, whose open puts a table of its own
# in. Both fail closed: no oops, no plaintext, the module's references
# balanced.
# kernel: stock
# requires: hostroot
. /tests/lib.sh

printf '%064x\n' 88 > /tmp/ao.key
expect_rc 0 ioctl-cli key add --file /tmp/ao.key
kid=$(cat $out)

# FUSE: gocryptfs from the host root, on the guest's tmpfs at /host/tmp.
chroot /host /sbin/modprobe fuse || fail "modprobe fuse from the host root"
rm -rf /host/tmp/ao-cipher /host/tmp/ao
mkdir -p /host/tmp/ao-cipher /host/tmp/ao
echo pass > /host/tmp/ao.pass
expect_rc 0 hostrun gocryptfs -q -init -scryptn 10 -passfile /tmp/ao.pass \
	/tmp/ao-cipher < /dev/null
expect_rc 0 hostrun gocryptfs -q -passfile /tmp/ao.pass /tmp/ao-cipher \
	/tmp/ao < /dev/null
grep -q ' /host/tmp/ao fuse' /proc/mounts || fail "gocryptfs is not mounted"
load "scope cgroup /ioi-test
default allow
encrypt rw /host/tmp/ao/**"
refs=$(cat /sys/module/iointercept/refcnt)
# Created through FUSE's atomic open: the write is refused, nothing stored.
sh -c 'echo secret > /host/tmp/ao/f' 2> $out && fail "a write to a file FUSE created was not refused"
expect_eq "$(stat -c %s /host/tmp/ao/f)" 0 "size of the refused file"
expect_eq "$(cat /sys/module/iointercept/refcnt)" "$refs" "module references after the refused create"
# The name known now, the next open is the shim's: it encrypts.
echo secret > /host/tmp/ao/f || fail "write through the shim on FUSE"
expect_eq "$(cat /host/tmp/ao/f)" secret
expect_eq "$(cat /sys/module/iointercept/refcnt)" "$refs" "module references after the writes"
expect_rc 0 ioctl-cli unload-policy
expect_rc 0 ioctl-cli inspect /host/tmp/ao/f
expect_out "blocks: 1"

# debugfs: its proxies replace the table at open.
grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
	mount -t debugfs none /sys/kernel/debug || fail "mount debugfs"
[ -r /sys/kernel/debug/kprobes/list ] || fail "no /sys/kernel/debug/kprobes/list"
load "scope cgroup /ioi-test
default allow
encrypt rw /sys/kernel/debug/kprobes/**"
try EACCES open /sys/kernel/debug/kprobes/list r
expect_eq "$(cat /sys/module/iointercept/refcnt)" "$refs" "module references after the refused debugfs open"

expect_rc 0 ioctl-cli unload-policy
expect_rc 0 ioctl-cli key remove $kid
umount /host/tmp/ao || fail "umount gocryptfs"
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept
rm -rf /host/tmp/ao /host/tmp/ao-cipher /host/tmp/ao.pass /tmp/ao.key
exit 0
