# SPDX-License-Identifier: GPL-2.0
# The netlink family lookup loads the module (MODULE_ALIAS_GENL_FAMILY), and
# when it cannot, ioctl-cli says how to fix it and exits 3.
. /tests/lib.sh

expect_rc 0 rmmod iointercept
expect_rc 0 ioctl-cli status
module_loaded || fail "ioctl-cli status did not autoload the module"
expect_out "policy: not loaded"

expect_rc 0 rmmod iointercept
saved=$(cat /proc/sys/kernel/modprobe)
# Restored whatever happens, or every later case would lose modprobe.
trap 'echo "$saved" > /proc/sys/kernel/modprobe' EXIT
echo /bin/false > /proc/sys/kernel/modprobe
expect_rc 3 ioctl-cli status
expect_out 'iointercept module not loaded: run `modprobe iointercept`'
# version works without the module.
expect_rc 0 ioctl-cli version
expect_out "iointercept.ko: not loaded"
echo "$saved" > /proc/sys/kernel/modprobe || fail "cannot restore modprobe"
module_loaded && fail "module loaded although modprobe was disabled"
expect_rc 0 modprobe iointercept
exit 0
