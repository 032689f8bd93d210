# SPDX-License-Identifier: GPL-2.0
# The measurement (docs/attestation.md) against a recomputation from its
# documented text: it changes when, and only when, one of its inputs does,
# and ioctl-cli measure computes the same value offline. The build ID's
# errors, TEE detection and require-tee, the signature state, and hooks
# disarmed behind the module's back through debugfs and ftrace_enabled.
# requires: hostroot
. /tests/lib.sh

S=/sys/kernel/iointercept
# A fresh module: no build ID, no key, no policy.
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept
ver=$(cat $S/version)

hex64() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
# expect_m BUILD-ID POLICY LOCKED HOOKS [KEY...]: the documented text,
# keys given in ascending order, hashed; the module must say the same.
want_m() {
	b=$1 p=$2 l=$3 h=$4
	shift 4
	keys=
	for k in "$@"; do keys="${keys}key $k
"; done
	printf 'iointercept measurement 1\nversion %s\nbuild-id %s\npolicy %s\n%slocked %s\nhooks %s\n' \
		"$ver" "$b" "$p" "$keys" "$l" "$h" | sha256sum | cut -d' ' -f1
}
expect_m() {
	expect_eq "$(cat $S/measurement)" "$(want_m "$@")" "measurement"
}

expect_eq "$(cat $S/build_id)" none build_id
expect_eq "$(cat $S/policy_hash)" none policy_hash
expect_eq "$(cat $S/locked)" 0 locked
expect_eq "$(cat $S/hooks_armed)" 1 hooks_armed
expect_eq "$(cat $S/mode)" none mode
expect_eq "$(cat $S/tee)" none "tee (qemu without SEV or TDX)"
m0=$(want_m none none no armed)
expect_m none none no armed
expect_eq "$(cat $S/measurement)" "$m0" "measurement read again"

# Signature: Debian's kernel checks it and taints E for ours (unsigned);
# the test kernel has no CONFIG_MODULE_SIG.
if on_test_kernel; then
	expect_eq "$(cat $S/module_sig)" unchecked module_sig
else
	expect_eq "$(cat $S/module_sig)" unverified module_sig
	grep -q E /sys/module/iointercept/taint ||
		fail "taint $(cat /sys/module/iointercept/taint) lacks E"
fi
expect_rc 0 ioctl-cli status
expect_out "$m0"
expect_out "$(cat $S/module_sig)"

# Events of this case, heard by a monitor; it listens once it has heard one.
ioctl-cli monitor --json > /tmp/m.json 2> /tmp/m.err &
mon=$!
trap 'kill $mon 2> /dev/null' EXIT
B1=$(hex64 build-one)
B2=$(hex64 build-two)
n=0
until grep -q '"build-id"' /tmp/m.json; do
	n=$((n + 1))
	[ $n -le 500 ] || fail "the monitor heard none of $n build-id sets"
	expect_rc 0 ioctl-cli build-id set $B1
done
expect_out "$(want_m $B1 none no armed)"
expect_eq "$(cat $S/build_id)" $B1 build_id
expect_m $B1 none no armed
expect_rc 0 ioctl-cli build-id show
expect_out $B1

# Bad build IDs: a clear error, nothing sent, nothing changed.
expect_rc 2 ioctl-cli build-id set ${B2%??}
expect_out "64 hex digits"
expect_rc 2 ioctl-cli build-id set ${B2}00
expect_out "64 hex digits"
expect_rc 2 ioctl-cli build-id set ${B2%?}
expect_out "64 hex digits"
expect_rc 2 ioctl-cli build-id set "${B2%?}g"
expect_out "hex"
# The module itself checks the length (BUILD_ID_SET is 11, IOI_A_BUILD_ID 11).
expect_rc 1 genl 11 11:bin:${B2%??}
expect_out "error ERANGE binary attribute size out of range"
expect_rc 1 genl 11
expect_out "error EINVAL BUILD_ID_SET needs IOI_A_BUILD_ID"
expect_rc 1 genl 11 11:bin:$B2 7:bin:00
expect_out "error EINVAL BUILD_ID_SET takes IOI_A_BUILD_ID only"
expect_m $B1 none no armed

# The same build ID again changes nothing; another changes it.
expect_rc 0 ioctl-cli build-id set $B1
expect_m $B1 none no armed
expect_rc 0 ioctl-cli build-id set $B2
expect_m $B2 none no armed

# Keys: each identifier in, in ascending order whatever the order loaded.
head -c 32 /dev/urandom > /tmp/k1
head -c 32 /dev/urandom > /tmp/k2
expect_rc 0 ioctl-cli key id /tmp/k1
k1=$(cat $out)
expect_rc 0 ioctl-cli key id /tmp/k2
k2=$(cat $out)
lo=$(printf '%s\n%s\n' $k1 $k2 | sort | head -1)
hi=$(printf '%s\n%s\n' $k1 $k2 | sort | tail -1)
expect_rc 0 ioctl-cli key add --file /tmp/$( [ $hi = $k1 ] && echo k1 || echo k2)
expect_m $B2 none no armed $hi
expect_rc 0 ioctl-cli key add --file /tmp/$( [ $lo = $k1 ] && echo k1 || echo k2)
expect_m $B2 none no armed $lo $hi

# A policy; its hash is the policy line. Comments, spacing and the order
# of directives are not inputs: the same canonical text, the same value.
printf 'mode audit\nscope cgroup /ioi-test\nsystem /usr/**\nencrypt rw /tmp/x/**\n' > /tmp/p1
printf '# same policy\nscope  cgroup /ioi-test # c\nmode audit\nsystem   /usr/**\nencrypt rw /tmp/x/**\n' > /tmp/p2
expect_rc 0 ioctl-cli load-policy /tmp/p1
ph=$(cat $S/policy_hash)
expect_eq "$(cat $S/mode)" audit mode
expect_m $B2 $ph no armed $lo $hi
m1=$(cat $S/measurement)
expect_rc 0 ioctl-cli load-policy /tmp/p2
expect_eq "$(cat $S/measurement)" "$m1" "measurement after an equivalent policy"
# Counters, timing and traffic are not inputs either.
echo 1 > $S/timing
ls /usr > /dev/null
echo 0 > $S/timing
expect_eq "$(cat $S/measurement)" "$m1" "measurement after traffic"

# Offline, from the policy file and the inputs a verifier knows.
expect_rc 0 ioctl-cli measure --policy /tmp/p2 --build-id $B2 --key-id $k1 --key-id $k2
expect_eq "$(cat $out)" "$m1" "ioctl-cli measure"
expect_rc 0 ioctl-cli measure --policy /tmp/p1 --build-id $B2 --key /tmp/k2 --key /tmp/k1
expect_eq "$(cat $out)" "$m1" "ioctl-cli measure --key"
# The build ID and lock lines of a policy file are the defaults.
printf 'build-id %s\n' $B2 >> /tmp/p1
expect_rc 0 ioctl-cli measure --policy /tmp/p1 --key-id $k1 --key-id $k2
expect_eq "$(cat $out)" "$m1" "ioctl-cli measure, build-id from the file"
expect_rc 0 ioctl-cli measure --policy /tmp/p1 --key-id $k1
[ "$(cat $out)" != "$m1" ] || fail "measure ignored a missing key"
expect_rc 0 ioctl-cli measure --policy /tmp/p1 --key-id $k1 --key-id $k2 --text
expect_out "policy $ph"
expect_out "hooks armed"

# The build ID line loads with the policy, in the same request.
printf 'build-id %s\n' $B1 >> /tmp/p2
expect_rc 0 ioctl-cli load-policy /tmp/p2
expect_eq "$(cat $S/build_id)" $B1 "build_id from load-policy"
expect_eq "$(cat $S/policy_hash)" $ph "policy hash without the build-id line"
expect_m $B1 $ph no armed $lo $hi

# Attest without a TSM interface (Debian's 6.1 has none): the measurement.
expect_rc 0 ioctl-cli attest
expect_out "$(cat $S/measurement)"
expect_rc 1 ioctl-cli attest --out /tmp/report --tsm-dir /tmp/no-tsm
[ -e /tmp/report ] && fail "a failed attest left /tmp/report"

# Hooks disarmed through debugfs: seen at once by a read, and in the
# measurement; re-armed, the measurement is back.
expect_rc 0 ioctl-cli key remove $k1
expect_rc 0 ioctl-cli key remove $k2
expect_rc 0 ioctl-cli unload-policy
expect_m $B1 none no armed
# What is at stake: with the probes off, a confined task gets anything.
echo secret > /tmp/secret
load "scope cgroup /ioi-test
system /bin/**
system /usr/bin/**"
ph2=$(cat $S/policy_hash)
ctry EACCES read /tmp/secret
K=/sys/kernel/debug/kprobes/enabled
expect_eq "$(cat $K)" 1 "kprobes enabled"
echo 0 > $K
ctry ok read /tmp/secret
expect_eq "$(cat $S/hooks_armed)" 0 "hooks_armed, kprobes off"
expect_m $B1 $ph2 no disarmed
expect_rc 0 ioctl-cli status
expect_out "DISARMED"
echo 1 > $K
expect_eq "$(cat $S/hooks_armed)" 1 "hooks_armed, kprobes on again"
expect_m $B1 $ph2 no armed
ctry EACCES read /tmp/secret
# ftrace_enabled=0 stops the probes too (they sit on ftrace call sites).
F=/proc/sys/kernel/ftrace_enabled
echo 0 > $F || fail "ftrace_enabled=0 refused while not locked"
expect_eq "$(cat $S/hooks_armed)" 0 "hooks_armed, ftrace off"
ctry ok read /tmp/secret
echo 1 > $F
expect_eq "$(cat $S/hooks_armed)" 1 "hooks_armed, ftrace on again"
ctry EACCES read /tmp/secret
expect_rc 0 ioctl-cli unload-policy
dmesg | grep -q 'iointercept: hooks disarmed (the canary probe did not fire)' ||
	fail "no log line for disarmed hooks"

# The monitor heard both changes, in order.
expect_rc 0 ioctl-cli build-id set $B1
until [ "$(grep -c '"build-id"' /tmp/m.json)" -ge 5 ]; do
	kill -0 $mon || fail "the monitor died: $(cat /tmp/m.err)"
done
kill -TERM $mon
wait $mon || fail "monitor exited $?"
trap - EXIT
types=$(sed -n 's/.*"type": *"\(hooks-[a-z]*\)".*/\1/p' /tmp/m.json | tr '\n' ' ')
expect_eq "$types" "hooks-disarmed hooks-armed hooks-disarmed hooks-armed " "hooks events"

# require-tee: no keys outside a confidential guest, and no such policy
# while keys are loaded.
printf 'mode audit\nscope cgroup /ioi-test\nrequire-tee yes\n' > /tmp/p3
expect_rc 0 ioctl-cli load-policy /tmp/p3
expect_rc 1 ioctl-cli key generate
expect_out "require-tee: not a confidential guest"
expect_rc 1 ioctl-cli key add --file /tmp/k1
expect_out "require-tee: not a confidential guest"
expect_rc 0 ioctl-cli load-policy /tmp/p1
expect_rc 0 ioctl-cli key add --file /tmp/k1
expect_rc 1 ioctl-cli load-policy /tmp/p3
expect_out "require-tee: keys are loaded and this is not a confidential guest"
expect_eq "$(cat $S/policy_hash)" "$ph" "policy after a refused require-tee"
expect_rc 0 ioctl-cli key remove $k1
expect_rc 0 ioctl-cli unload-policy
exit 0
