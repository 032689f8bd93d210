# SPDX-License-Identifier: GPL-2.0
# Counters against the operations that made them, ioctl-cli stats in its
# three formats against sysfs, and the timing switch.
# requires: hostroot
. /tests/lib.sh

sys=/sys/kernel/iointercept
key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
expect_rc 0 genl 5 6:bin:$key
# Whatever happens here, the cases after this one find no key loaded.
trap 'genl 8 7:bin:c7057dd824e7be1e73b5f7d36801d036 > /dev/null 2>&1' EXIT
mkdir -p /tmp/m/enc /tmp/m/ro /tmp/m/rw
echo data > /tmp/m/ro/f
load "scope cgroup /ioi-test
system /bin/**
system /usr/bin/**
system /tmp/m/ro/**
allow rw /tmp/m/rw/**
encrypt rw /tmp/m/enc/**"

# Decisions by right, exactly: each ioi-try is one check of one right.
for c in allowed_read denied_read allowed_write denied_write denied_create \
	 allowed_create denied_delete denied_privileged denied; do
	eval "b_$c=\$(stat_of $c)"
done
ctry ok read /tmp/m/ro/f
ctry EACCES open /tmp/m/ro/f w
ctry EACCES mkdir /tmp/m/ro/d
ctry ok mkdir /tmp/m/rw/d
ctry EACCES unlink /tmp/m/ro/f
ctry EPERM bind /tmp/m/rw /tmp/m/rw
d() { echo $(( $(stat_of $1) - $(eval echo \$b_$1) )); }
# ioi-try itself is read and executed from /bin: reads grow by more.
[ "$(d allowed_read)" -ge 1 ] || fail "allowed_read did not grow"
expect_eq "$(d denied_read)" 0 "denied_read"
expect_eq "$(d denied_write)" 1 "denied_write"
expect_eq "$(d denied_create)" 1 "denied_create"
expect_eq "$(d allowed_create)" 1 "allowed_create"
expect_eq "$(d denied_delete)" 1 "denied_delete"
expect_eq "$(d denied_privileged)" 1 "denied_privileged"
expect_eq "$(d denied)" 4 "denied"

# Encryption counters: bytes through the cipher and open files.
e0=$(stat_of encrypted_bytes)
head -c 10000 /dev/urandom > /tmp/m/plain
expect_rc 0 cp /tmp/m/plain /tmp/m/enc/f
expect_eq "$(( $(stat_of encrypted_bytes) - e0 ))" 10000 "encrypted_bytes"
d0=$(stat_of decrypted_bytes)
expect_rc 0 cmp /tmp/m/plain /tmp/m/enc/f
expect_eq "$(( $(stat_of decrypted_bytes) - d0 ))" 10000 "decrypted_bytes"
o0=$(stat_of encrypted_open)
sleep 30 < /tmp/m/enc/f &
holder=$!
# The shell opens the file before it starts sleep: wait for that open.
while [ ! -e /proc/$holder/fd/0 ] ||
      [ "$(readlink /proc/$holder/fd/0)" != /tmp/m/enc/f ]; do :; done
expect_eq "$(stat_of encrypted_open)" $((o0 + 1)) "encrypted_open while held"
kill $holder
wait $holder
expect_eq "$(stat_of encrypted_open)" $o0 "encrypted_open after close"

# stats: every counter, the same values as sysfs (the counters that move
# by themselves, netlink_requests and hook_hits, only roughly).
expect_rc 0 ioctl-cli stats
cp $out /tmp/m/table
for f in $sys/stats/*; do
	name=${f##*/}
	line=$(grep "^$name " /tmp/m/table) || fail "stats lacks $name"
	v=${line##* }
	case $name in
	netlink_requests|hook_hits|allowed|allowed_read|allowed_exec) ;;
	*) expect_eq "$v" "$(cat $f)" "stats $name" ;;
	esac
done
expect_eq "$(wc -l < /tmp/m/table)" "$(ls $sys/stats | wc -l)" "stats lines"
expect_rc 0 ioctl-cli stats --json
cp $out /tmp/m/json
hostrun python3 -c '
import json, os, sys
d = json.load(sys.stdin)
names = set(os.listdir(sys.argv[1]))
assert set(d) == names, set(d) ^ names
assert all(isinstance(v, int) and v >= 0 for v in d.values()), d
' /sys/kernel/iointercept/stats < /tmp/m/json ||
	fail "stats --json: $(cat /tmp/m/json)"
expect_rc 0 ioctl-cli stats --prometheus
cp $out /tmp/m/prom
# The text exposition format, line by line: HELP and TYPE once per family,
# before its samples; samples are name{labels} integer.
hostrun python3 -c '
import re, sys
sample = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-z_]+=\"[a-z_]+\"(,[a-z_]+=\"[a-z_]+\")*\})? [0-9]+$")
help_, type_, seen = set(), {}, set()
text = sys.stdin.read()
assert text.endswith("\n"), "no final newline"
for line in text.splitlines():
    if line.startswith("# HELP "):
        name = line.split()[2]
        assert name not in help_, "HELP twice: " + name
        help_.add(name)
    elif line.startswith("# TYPE "):
        _, _, name, kind = line.split()
        assert name not in type_ and kind in ("counter", "gauge"), line
        type_[name] = kind
    else:
        m = sample.match(line)
        assert m, "bad sample: " + line
        assert m.group(1) in type_ and m.group(1) in help_, "no TYPE/HELP: " + line
        seen.add(m.group(1))
assert type_.get("iointercept_encrypted_open") == "gauge", type_
assert "iointercept_decisions_total" in seen, seen
assert set(type_) == seen, set(type_) ^ seen
' < /tmp/m/prom || fail "stats --prometheus: $(cat /tmp/m/prom)"

# Timing: off, nothing is timed; on, hooks and the cipher are; off again.
expect_eq "$(cat $sys/timing)" 0 "timing at load"
h0=$(stat_of timing_hook_calls)
c0=$(stat_of timing_crypt_calls)
cat /tmp/m/enc/f > /dev/null
expect_eq "$(stat_of timing_hook_calls)" $h0 "hook timing while off"
expect_eq "$(stat_of timing_crypt_calls)" $c0 "cipher timing while off"
echo 1 > $sys/timing
expect_eq "$(cat $sys/timing)" 1 "timing after echo 1"
ns0=$(stat_of timing_hook_ns)
# The reads before kept f's blocks in the plaintext cache, which a read
# answers without the cipher: its shrinker empties it.
echo 2 > /proc/sys/vm/drop_caches
cat /tmp/m/enc/f > /dev/null
confined ioi-try read /tmp/m/ro/f > /dev/null
echo 0 > $sys/timing
h1=$(stat_of timing_hook_calls)
[ "$h1" -gt "$h0" ] || fail "no hook was timed"
# With a jiffies clocksource (the test kernel under TCG may find the TSC
# unstable) a hook takes 0 ns to the clock; any real clock sees time.
case $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) in
*jiffies*) ;;
*) [ "$(stat_of timing_hook_ns)" -gt "$ns0" ] ||
	fail "hook time did not grow ($(cat /sys/devices/system/clocksource/clocksource0/current_clocksource))" ;;
esac
# 10000 bytes are three blocks.
expect_eq "$(( $(stat_of timing_crypt_calls) - c0 ))" 3 "blocks timed"
cat /tmp/m/enc/f > /dev/null
expect_eq "$(stat_of timing_hook_calls)" $h1 "hook timing after off"
echo maybe > $sys/timing 2>/dev/null && fail "timing took 'maybe'"
expect_eq "$(cat $sys/timing)" 0 "timing after a bad write"

expect_rc 0 ioctl-cli unload-policy
exit 0
