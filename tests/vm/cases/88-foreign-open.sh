# SPDX-License-Identifier: GPL-2.0
# Opens under an encrypt rule that the shim's open does not see
# (docs/design.md, "Opens the shim does not see"): FUSE creating a file,
# whose atomic open passes finish_open() an open of its own so that the
# shim's open never runs (opened for reading and writing, the file is set
# up at its first use and encrypts; write-only, it is refused), and
# debugfs, whose open puts a table of its own in (refused). No oops, no
# plaintext, the module's references balanced.
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
# Created write-only through FUSE's atomic open: refused at its first
# write, nothing stored; the next open is the shim's, and encrypts.
sh -c 'echo secret > /host/tmp/ao/f' 2> $out && fail "a write-only create on FUSE was not refused"
expect_eq "$(stat -c %s /host/tmp/ao/f)" 0 "size of the refused file"
expect_eq "$(cat /sys/module/iointercept/refcnt)" "$refs" "module references after the refused create"
echo secret > /host/tmp/ao/f || fail "write through the shim on FUSE"
expect_eq "$(cat /host/tmp/ao/f)" secret
# Created O_RDWR: set up at its first write, then written past a gap.
printf 'put 0 /tmp/ao.key 0\nput 0 /tmp/ao.key 5000\nclose 0\n' |
	ioi-open hold /host/tmp/ao/g > $out 2>&1
expect_eq "$(cat $out | tr '\n' ' ')" "ready ok ok ok " "ioi-open's answers"
{ cat /tmp/ao.key; head -c $((5000 - 65)) /dev/zero; cat /tmp/ao.key; } > /tmp/ao.ref
cmp /host/tmp/ao/g /tmp/ao.ref || fail "the file written past a gap reads back wrong"
expect_eq "$(cat /sys/module/iointercept/refcnt)" "$refs" "module references after the writes"
expect_eq "$(stat_of encrypted_open)" $open0 "encrypted files open after the writes"
expect_rc 0 ioctl-cli unload-policy
# Stored in the format, whole: nothing went below in plaintext.
for f in f:1 g:2; do
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
