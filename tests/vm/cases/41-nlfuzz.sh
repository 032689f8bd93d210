# SPDX-License-Identifier: GPL-2.0
# A netlink fuzzer (tests/vm/ioi-nlfuzz.c): every command number, valid
# and bogus flags, requests built from valid templates and mutated (types,
# lengths, nesting, missing and duplicate attributes, random bytes,
# truncation), interrupted dumps and an overrun receive buffer. Every
# reply must be an error with a known errno, an ACK, or a reply of the
# documented layout; no hang. The module then still answers, never got
# locked, loads and unloads a policy, and unloads cleanly; the kernel log
# check that ends the run catches WARN, KASAN, lockdep and kmemleak.
#
# Seeded: the seed is printed as a "report:" line; rerun it with
#   tests/vm/run --append 'IOI_NLFUZZ_SEED=N IOI_NLFUZZ_COUNT=M' 41-nlfuzz
# (IOI_NLFUZZ_COUNT alone: a longer run, at a random seed).
. /tests/lib.sh

S=/sys/kernel/iointercept
# A fresh module: no policy, key or build ID of an earlier case.
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept
# The only cgroup a fuzzed policy may confine: empty.
mkdir -p /sys/fs/cgroup/ioi-nlfuzz /tmp/ioi-nlfuzz

if on_test_kernel; then
	count=${IOI_NLFUZZ_COUNT:-6000}
else
	count=${IOI_NLFUZZ_COUNT:-30000}
fi
seed=${IOI_NLFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "report: nlfuzz: seed $seed, $count datagrams"
expect_rc 0 ioi-nlfuzz --seed "$seed" --count "$count"
sed 's/^/report: /' $out

# Fixed datagrams, replayed and checked like the fuzzed ones: "# regression
# ID HEX", ID the family's id where it was written down. A datagram that
# finds a bug goes here.
# LOCK with an attribute it refuses: EINVAL, never a lock.
# regression 33 200000002100050001000000000000000c0100000c000100302e312e30000000
# STATUS_GET as a dump, which the family has not: EOPNOTSUPP.
# regression 33 1400000021000503020000000000000001010000
# STATUS_GET and KEY_LIST in one datagram: two replies, two ACKs.
# regression 33 14000000210005000300000000000000010100001400000021000500040000000000000007010000
sed -n 's/^# regression //p' "$0" > /tmp/ioi-nlfuzz/regressions
while read -r fam hex; do
	expect_rc 0 ioi-nlfuzz --replay-family "$fam" --replay "$hex"
done < /tmp/ioi-nlfuzz/regressions

# Never locked, still answering, and nothing left behind: the fuzzer
# removed every policy and key it saw accepted.
expect_eq "$(cat $S/locked)" 0 locked
expect_rc 0 ioctl-cli status
expect_out "policy: not loaded"
expect_eq "$(cat $S/policy_hash)" none policy_hash
expect_rc 0 ioctl-cli key list
if [ -s $out ]; then
	sed 's/^/  | /' $out
	for id in $(cut -d' ' -f1 $out); do ioctl-cli key remove "$id"; done
	fail "keys left behind"
fi

# The module still works: a policy loads, is in force, and unloads.
load "mode audit
scope cgroup /ioi-nlfuzz
allow ro /usr/**"
expect_eq "$(cat $S/mode)" audit mode
expect_rc 0 ioctl-cli unload-policy
expect_eq "$(cat $S/policy_hash)" none policy_hash

# The build IDs it set go with the module; it unloads cleanly.
rmdir /sys/fs/cgroup/ioi-nlfuzz
rm -rf /tmp/ioi-nlfuzz
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept
expect_eq "$(cat $S/build_id)" none build_id
exit 0
