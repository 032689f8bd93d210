# SPDX-License-Identifier: GPL-2.0
# Module references of encrypted opens (docs/design.md, "Module
# references"): the shim belongs to this module, and the VFS drops the
# reference the hook takes with it wherever the open ends. An open that
# fails after the hook (a fanotify listener refusing it, after every LSM
# said yes) never reaches the shim's open; neither that, nor an open that
# fails in the shim, nor one that opens as plaintext, nor a plain open and
# close, may move this module's count, or the module can never be
# unloaded. (The filesystem's count cannot be checked so: neither ext4's
# nor tmpfs's table has an owner.) The test kernel
# has no fanotify; 97-faults finds the same leaks there with allocation
# failures.
# kernel: stock
. /tests/lib.sh

printf '%064x\n' 89 > /tmp/fo.key
expect_rc 0 ioctl-cli key add --file /tmp/fo.key
kid=$(cat $out)
rm -rf /tmp/fo /mnt/disk/fo
mkdir -p /tmp/fo /mnt/disk/fo

counts() {
	cat /sys/module/iointercept/refcnt
}

for d in /tmp/fo /mnt/disk/fo; do
	# Written before the rule: opened as it is.
	echo plain > $d/p
	load "scope cgroup /ioi-test
default allow
on-plaintext allow
encrypt rw $d/**"
	echo secret > $d/f
	before=$(counts)
	for mode in r rw w; do
		try EPERM fanotify-deny $d/f $mode
	done
	expect_eq "$(counts)" "$before" "references after refused opens of $d/f"
	# The file is none the worse, and opens as before.
	expect_eq "$(cat $d/f)" secret
	expect_eq "$(counts)" "$before" "references after reading $d/f"
	expect_eq "$(cat $d/p)" plain
	expect_eq "$(counts)" "$before" "references after a plaintext open of $d/p"
	# No key: the shim's open fails.
	expect_rc 0 ioctl-cli key remove $kid
	try ENOKEY open $d/f r
	expect_eq "$(counts)" "$before" "references after a failed open of $d/f"
	expect_rc 0 ioctl-cli key add --file /tmp/fo.key
	expect_eq "$(cat $d/f)" secret
done
expect_rc 0 ioctl-cli unload-policy
expect_rc 0 ioctl-cli key remove $kid
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept
rm -rf /tmp/fo /mnt/disk/fo /tmp/fo.key
exit 0
