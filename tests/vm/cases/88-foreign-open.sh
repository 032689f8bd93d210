# SPDX-License-Identifier: GPL-2.0
# Opens under an encrypt rule that the shim's open does not see
# (docs/design.md, "Opens the shim does not see"): FUSE creating a file,
# whose atomic open passes finish_open() an open of its own so that the
# shim's open never runs (the file is set up at its first write, seek or
# truncate, and encrypts), and debugfs, whose open puts a table of its
# own in (refused). No oops, no plaintext, the module's references
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
open0=$(stat_of encrypted_open)
# Created through FUSE's atomic open: set up by its first write.
echo secret > /host/tmp/ao/f || fail "write to a file FUSE created"
expect_eq "$(cat /sys/module/iointercept/refcnt)" "$refs" "module references after the create"
expect_eq "$(stat_of encrypted_open)" $open0 "encrypted files open after the create"
# Then an open the shim sees: the same file, encrypted once.
expect_eq "$(cat /host/tmp/ao/f)" secret
# Created, cut and seeked (dd seek= without notrunc): the truncate sets
# it up, the seek is at plaintext offsets.
printf x | dd of=/host/tmp/ao/g bs=1 seek=5000 2>/dev/null ||
	fail "dd seek= on a file FUSE created"
head -c 5000 /dev/zero > /tmp/ao.ref
printf x >> /tmp/ao.ref
cmp /host/tmp/ao/g /tmp/ao.ref || fail "the file dd wrote reads back wrong"
# Created by a seek: O_CREAT, lseek past the end, write.
dd if=/tmp/ao.ref of=/host/tmp/ao/h bs=5001 seek=1 conv=notrunc 2>/dev/null ||
	fail "dd seek= conv=notrunc on a file FUSE created"
expect_eq "$(stat -c %s /host/tmp/ao/h)" 10002 "size of the file written past a seek"
expect_eq "$(tail -c 5001 /host/tmp/ao/h | cmp - /tmp/ao.ref && echo same)" same \
	"the data written past a seek"
expect_eq "$(cat /sys/module/iointercept/refcnt)" "$refs" "module references after the writes"
expect_eq "$(stat_of encrypted_open)" $open0 "encrypted files open after the writes"
expect_rc 0 ioctl-cli unload-policy
# Stored in the format, whole: nothing went below in plaintext.
for f in f:1 g:2 h:3; do
	expect_rc 0 ioctl-cli inspect --key /tmp/ao.key /host/tmp/ao/${f%:*}
	expect_out "blocks: ${f#*:}"
	expect_out "verification: verified"
done

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
rm -rf /host/tmp/ao /host/tmp/ao-cipher /host/tmp/ao.pass /tmp/ao.key /tmp/ao.ref
exit 0
