# SPDX-License-Identifier: GPL-2.0
# The module loads, shows itself in sysfs, and unloads cleanly, repeatedly.
. /tests/lib.sh

module_loaded || fail "iointercept not loaded by init"
sys=/sys/kernel/iointercept
[ -d $sys ] || fail "$sys missing"
expect_eq "$(cat $sys/version)" "$(modinfo -F version iointercept)" "sysfs version"
n=$(cat $sys/stats/netlink_requests)
case "$n" in ''|*[!0-9]*) fail "stats/netlink_requests is '$n'" ;; esac
# sysfs is read-only: changes go through netlink.
echo 1 > $sys/version 2>/dev/null && fail "version is writable"

for i in 1 2 3; do
	expect_rc 0 rmmod iointercept
	module_loaded && fail "still loaded after rmmod"
	[ -e $sys ] && fail "$sys left behind by rmmod"
	expect_rc 0 modprobe iointercept
	[ -r $sys/version ] || fail "$sys/version missing after reload $i"
done
# Counters start from zero on every load.
expect_eq "$(cat $sys/stats/netlink_requests)" 0 "netlink_requests after reload"
dmesg | grep -q "iointercept: version $(cat $sys/version) loaded" ||
	fail "no load message in the kernel log"
exit 0
