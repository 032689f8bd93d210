# SPDX-License-Identifier: GPL-2.0
# No rename or link moves a file between encrypt modes, for any task
# (confined or not): EXDEV, so mv copies instead.
. /tests/lib.sh

rm -rf /srv/x
mkdir -p /srv/x/plain /srv/x/enc /srv/x/logs /srv/x/dir
echo a > /srv/x/plain/f
echo b > /srv/x/plain/g
echo c > /srv/x/enc/m.pt
load "scope cgroup /ioi-test
default allow
encrypt rw /srv/x/enc/*.pt
encrypt wo /srv/x/logs/*.log"

e0=$(stat_of exdev)
# unconfined task, file: none -> rw, rw -> none, rw -> wo, link none -> rw
try EXDEV rename /srv/x/plain/f /srv/x/enc/f.pt
try EXDEV rename /srv/x/enc/m.pt /srv/x/plain/m.pt
try EXDEV rename /srv/x/enc/m.pt /srv/x/logs/m.log
try EXDEV link /srv/x/plain/f /srv/x/enc/l.pt
try EXDEV rename /srv/x/plain/f /srv/x/enc/m.pt exchange
# same mode: fine
try ok rename /srv/x/plain/f /srv/x/plain/f2
try ok rename /srv/x/plain/f2 /srv/x/enc/not-a-model.txt
try ok link /srv/x/plain/g /srv/x/plain/g2
try ok rename /srv/x/enc/m.pt /srv/x/enc/n.pt
# a directory that could hold encrypted files below it: refused
try EXDEV rename /srv/x/enc /srv/x/enc2
try EXDEV rename /srv/x/dir /srv/x/logs/sub
try ok rename /srv/x/dir /srv/x/plain/dir
# confined tasks get the same answer
ctry EXDEV rename /srv/x/plain/g /srv/x/enc/g.pt
[ "$(stat_of exdev)" -ge $((e0 + 8)) ] || fail "stats/exdev did not count"

# mv falls back to copy and delete, and the copy is encrypted
expect_rc 1 mv /srv/x/plain/g /srv/x/enc/g.pt
expect_out "Required key not available"
expect_rc 0 ioctl-cli key generate
kid=$(cat $out)
expect_rc 0 mv /srv/x/plain/g /srv/x/enc/g.pt
[ -e /srv/x/enc/g.pt ] && [ ! -e /srv/x/plain/g ] || fail "mv did not copy"
expect_eq "$(cat /srv/x/enc/g.pt)" b
expect_rc 0 ioctl-cli unload-policy
[ "$(cat /srv/x/enc/g.pt)" != b ] || fail "the moved file is stored in the clear"
expect_rc 0 ioctl-cli key remove $kid
# without a policy nothing is refused
try ok rename /srv/x/enc/n.pt /srv/x/plain/n.pt
exit 0
