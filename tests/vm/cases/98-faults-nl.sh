# SPDX-License-Identifier: GPL-2.0
# Policy and key loads with each allocation of the module's handler failing
# in turn: all or nothing. Test kernel only: Debian's kernel has no
# CONFIG_FAULT_INJECTION. 97-faults does encrypted I/O.
# kernel: test
. /tests/lib.sh

# The error of a failed allocation: ENOMEM, or ENOBUFS from netlink's own
# buffer for the request.
nomem() {
	grep -qE "Cannot allocate memory|No buffer space available" $out ||
		{ sed 's/^/  | /' $out; fail "not an allocation failure"; }
}

# allocs CMD...: how many allocations the request of CMD makes, with none
# failing (fail-nth set past them: ioctl-cli says how many it reached).
allocs() {
	IOI_TEST_FAIL_NTH=100000 "$@" > $out 2>&1
	sed -n 's/.*IOI_TEST_FAIL_NTH: not reached (\([0-9]*\) allocations).*/\1/p' $out
}
# The allocations in turn: the first 20 and the last 20 of $total (where a
# change is made and answered), 20 spread between if there are more (each
# request makes about 30 today: all of them); the loop ends at the first
# that is not reached.
next_nth() {
	if [ $n -lt 20 ] || [ $n -ge $((total - 20)) ]; then
		n=$((n + 1))
	else
		n=$((n + (total - 40) / 20 + 1))
	fi
}

printf '%064x\n' 98 > /tmp/flt2.key
expect_rc 0 ioctl-cli key id /tmp/flt2.key
kid2=$(cat $out)
A="scope cgroup /ioi-test
default allow"
load "$A"
hash_a=$(cat /sys/kernel/iointercept/policy_hash)
# Policy and key loads with each allocation the module's handler makes
# failing in turn (IOI_TEST_FAIL_NTH: ioctl-cli arms fail-nth around the
# request it sends): all or nothing. A failed load leaves the policy in
# force (its hash) and the key list as they were, with an error the CLI
# prints; a load that says it succeeded put its own.
faults 0
B="$A
allow ro /flt-nonexistent/**"
printf '%s\n' "$A" > /tmp/flt-a.conf
printf '%s\n' "$B" > /tmp/flt-b.conf
expect_rc 0 ioctl-cli load-policy /tmp/flt-b.conf
hash_b=$(cat /sys/kernel/iointercept/policy_hash)
[ "$hash_a" != "$hash_b" ] || fail "the two policies hash the same"
total=$(allocs ioctl-cli load-policy /tmp/flt-b.conf)
[ -n "$total" ] || { cat $out; fail "no allocation count for a policy load"; }
cur=$hash_b failed=0 lost=0 n=1
while :; do
	[ $n -le 2000 ] || fail "policy load: still reaching allocations at $n"
	if [ "$cur" = "$hash_a" ]; then f=b want=$hash_b; else f=a want=$hash_a; fi
	IOI_TEST_FAIL_NTH=$n ioctl-cli load-policy /tmp/flt-$f.conf > $out 2>&1
	rc=$?
	now=$(cat /sys/kernel/iointercept/policy_hash)
	if [ $rc = 0 ]; then
		[ "$now" = "$want" ] || fail "load (fail-nth $n) succeeded, policy hash $now"
		cur=$now
	elif grep -q "the request may have taken effect" $out; then
		# ENOBUFS: the ACK was lost after the policy went in, or not.
		[ "$now" = "$cur" ] || [ "$now" = "$want" ] ||
			fail "load (fail-nth $n): a third policy $now"
		cur=$now lost=$((lost + 1))
	else
		[ "$now" = "$cur" ] ||
			{ cat $out; fail "load (fail-nth $n) failed (exit $rc) but the policy changed"; }
		nomem
		failed=$((failed + 1))
	fi
	grep -q "IOI_TEST_FAIL_NTH: not reached" $out && break
	next_nth
done
echo "policy load: $total allocations, $failed failed loads, $lost answers lost"
[ $failed -gt 0 ] || fail "no policy load failed"

total=$(allocs ioctl-cli key add --file /tmp/flt2.key)
[ -n "$total" ] || { cat $out; fail "no allocation count for a key add"; }
expect_rc 0 ioctl-cli key remove $kid2
failed=0 lost=0 n=1
while :; do
	[ $n -le 2000 ] || fail "key add: still reaching allocations at $n"
	IOI_TEST_FAIL_NTH=$n ioctl-cli key add --file /tmp/flt2.key > $out 2>&1
	rc=$?
	cp $out /tmp/flt-add
	ioctl-cli key list > /tmp/flt-keys 2>&1
	if [ $rc = 0 ]; then
		grep -q "$kid2" /tmp/flt-keys || fail "key add (fail-nth $n) succeeded, key not listed"
		expect_rc 0 ioctl-cli key remove $kid2
	elif grep -q "the request may have taken effect" $out; then
		# ENOBUFS: the ACK was lost after the key went in, or not.
		grep -q "$kid2" /tmp/flt-keys && expect_rc 0 ioctl-cli key remove $kid2
		lost=$((lost + 1))
	else
		grep -q "$kid2" /tmp/flt-keys &&
			{ cat $out; fail "key add (fail-nth $n) failed (exit $rc), key listed"; }
		nomem
		failed=$((failed + 1))
	fi
	grep -q "IOI_TEST_FAIL_NTH: not reached" /tmp/flt-add && break
	next_nth
done
echo "key add: $total allocations, $failed failed adds, $lost answers lost"
[ $failed -gt 0 ] || fail "no key add failed"
expect_rc 0 ioctl-cli key list
expect_no_out "$kid2"

expect_rc 0 ioctl-cli unload-policy
rm -f /tmp/flt2.key /tmp/flt-?.conf /tmp/flt-keys /tmp/flt-add
exit 0
