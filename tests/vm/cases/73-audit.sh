# SPDX-License-Identifier: GPL-2.0
# Audit mode: what enforce would deny is allowed and counted.
. /tests/lib.sh

mkdir -p /srv/sys /srv/other
echo data > /srv/sys/f
echo data > /srv/other/f
load "mode audit
scope cgroup /ioi-test
system /bin/**
system /usr/bin/**
system /srv/sys/**"

a0=$(stat_of audited)
d0=$(stat_of denied)
ctry ok read /srv/other/f
ctry ok open /srv/sys/f w
ctry ok mkdir /srv/sys/audit-dir
ctry ok rmdir /srv/sys/audit-dir
ctry ok bind /srv/other /srv/other
try ok umount /srv/other
expect_eq "$(stat_of denied)" "$d0" "stats/denied in audit mode"
[ "$(stat_of audited)" -ge $((a0 + 5)) ] ||
	fail "stats/audited grew by $(( $(stat_of audited) - a0 )), expected >= 5"

# The same policy in enforce mode denies.
sed -i 's/^mode audit/mode enforce/' $policy
expect_rc 0 ioctl-cli load-policy $policy
ctry EACCES read /srv/other/f
ctry EPERM bind /srv/other /srv/other
expect_rc 0 ioctl-cli unload-policy
exit 0
