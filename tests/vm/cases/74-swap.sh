# SPDX-License-Identifier: GPL-2.0
# Replacing the policy 100 times while confined readers run: every answer
# is the one both policies give (no torn decision), and nothing breaks.
. /tests/lib.sh

mkdir -p /srv/ro /srv/other
echo data > /srv/ro/f
echo data > /srv/other/f
base="scope cgroup /ioi-test
system /bin/**
system /usr/bin/**
allow ro /srv/ro/**"
printf '%s\n' "$base" "deny /srv/other/**" > /tmp/a.conf
printf '%s\n' "$base" "allow ro /srv/unused/**" "default deny" > /tmp/b.conf
expect_rc 0 ioctl-cli load-policy /tmp/a.conf

reader() {
	while [ ! -e /tmp/stop ]; do
		confined ioi-try read /srv/ro/f
		confined ioi-try read /srv/other/f
	done > /tmp/reader.$1 2>&1
}
rm -f /tmp/stop
# At the lowest priority: they keep both CPUs busy, and the loads must
# not wait behind them (on the test kernel they waited a second each).
reader 1 & p1=$!
reader 2 & p2=$!
renice -n 19 -p $p1 $p2 > /dev/null || fail "renice"
# 100 swaps at least, and on until the readers have made 20 checks during
# them (how many fit in 100 swaps depends on the machine's speed).
checks() { cat /tmp/reader.1 /tmp/reader.2 | wc -l; }
i=0
while [ $i -lt 100 ] || [ "$(checks)" -lt 20 ]; do
	ioctl-cli load-policy /tmp/b.conf > /dev/null || fail "load b ($i)"
	ioctl-cli load-policy /tmp/a.conf > /dev/null || fail "load a ($i)"
	i=$((i + 2))
	[ $i -le 10000 ] || fail "readers made only $(checks) checks in $i swaps"
done
touch /tmp/stop
wait $p1 $p2
# Lines alternate: ok (allowed in both), EACCES (denied in both).
bad=$(cat /tmp/reader.1 /tmp/reader.2 | grep -vx -e ok -e EACCES | head -3)
[ -z "$bad" ] || fail "unexpected answers: $bad"
for r in /tmp/reader.1 /tmp/reader.2; do
	awk 'NR % 2 == 1 && $0 != "ok" { exit 1 }
	     NR % 2 == 0 && $0 != "EACCES" { exit 1 }' $r ||
		fail "a decision in $r differed from both policies"
done
expect_rc 0 ioctl-cli unload-policy
exit 0
