# SPDX-License-Identifier: GPL-2.0
# ioctl-cli status and version against the live module.
# requires: hostroot
. /tests/lib.sh

sys=/sys/kernel/iointercept
ver=$(cat $sys/version)

before=$(cat $sys/stats/netlink_requests)
expect_rc 0 ioctl-cli status
expect_out "iointercept $ver"
expect_out "policy: not loaded"
after=$(cat $sys/stats/netlink_requests)
expect_eq "$after" "$((before + 1))" "netlink_requests after one status"
# The request just counted is in the next answer.
expect_rc 0 ioctl-cli status
expect_out "netlink requests: $((after + 1))"

expect_rc 0 ioctl-cli status --json
cp $out /tmp/status.json
hostrun python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] == sys.argv[1], d
assert d["policy_loaded"] is False, d
assert isinstance(d["stats"]["netlink_requests"], int), d
' "$ver" < /tmp/status.json || fail "status --json is not what we expect: $(cat /tmp/status.json)"

expect_rc 0 ioctl-cli version
expect_out "ioctl-cli $ver"
expect_out "iointercept.ko $ver"

expect_rc 2 ioctl-cli status --bogus
expect_rc 2 ioctl-cli no-such-command
expect_out "no-such-command"
exit 0
