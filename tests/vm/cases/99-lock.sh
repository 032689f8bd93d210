# SPDX-License-Identifier: GPL-2.0
# Lock (docs/attestation.md): refused while the hooks are disarmed, and
# then nothing of the policy; taken with a policy's "lock yes"; after it
# every change fails, the module cannot be unloaded (forced or not),
# ftrace cannot be switched off, and encrypted files still work. Last of
# all cases: a lock lasts until reboot, and the harness leaves the module
# loaded when it is locked.
# requires: hostroot
. /tests/lib.sh

S=/sys/kernel/iointercept
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept
ver=$(cat $S/version)
B=$(printf lock-build | sha256sum | cut -d' ' -f1)

rm -rf /tmp/lk
mkdir -p /tmp/lk/enc
head -c 32 /dev/urandom > /tmp/lk/k
expect_rc 0 ioctl-cli key id /tmp/lk/k
kid=$(cat $out)
expect_rc 0 ioctl-cli key add --file /tmp/lk/k
cat > /tmp/lk/lock.conf <<CONF
mode audit
scope cgroup /ioi-test
encrypt rw /tmp/lk/enc/**
build-id $B
lock yes
CONF
head -c 100000 /dev/urandom > /tmp/lk/plain

# With the probes off, locking fails, and the policy is not loaded either.
K=/sys/kernel/debug/kprobes/enabled
echo 0 > $K
expect_rc 1 ioctl-cli load-policy /tmp/lk/lock.conf
expect_out "the hooks are not armed: refusing to lock"
echo 1 > $K
expect_eq "$(cat $S/policy_hash)" none "policy after a refused lock"
expect_eq "$(cat $S/build_id)" none "build ID after a refused lock"
expect_eq "$(cat $S/locked)" 0 locked

# A file sealed under the same policy, not yet locked.
grep -v '^lock ' /tmp/lk/lock.conf > /tmp/lk/nolock.conf
expect_rc 0 ioctl-cli load-policy /tmp/lk/nolock.conf
cp /tmp/lk/plain /tmp/lk/enc/before
expect_rc 0 ioctl-cli load-policy /tmp/lk/lock.conf
expect_eq "$(cat $S/locked)" 1 "locked by lock yes"
ph=$(cat $S/policy_hash)
want=$(printf 'iointercept measurement 1\nversion %s\nbuild-id %s\npolicy %s\nkey %s\nlocked yes\nhooks armed\n' \
	"$ver" $B $ph $kid | sha256sum | cut -d' ' -f1)
m=$(cat $S/measurement)
expect_eq "$m" "$want" "measurement, locked"
expect_rc 0 ioctl-cli measure --policy /tmp/lk/lock.conf --key /tmp/lk/k
expect_eq "$(cat $out)" "$m" "ioctl-cli measure of a locking policy"
expect_rc 0 ioctl-cli status
expect_out "locked"
# Locking again is not an error and changes nothing.
expect_rc 0 ioctl-cli lock
expect_out "$m"

# Every change: EPERM, with the reason.
locked() {
	expect_rc 1 "$@"
	expect_out "locked until reboot"
}
locked ioctl-cli load-policy /tmp/lk/lock.conf
locked ioctl-cli unload-policy
locked ioctl-cli key generate
locked ioctl-cli key remove $kid
head -c 32 /dev/urandom > /tmp/lk/k2
locked ioctl-cli key add --file /tmp/lk/k2
locked ioctl-cli build-id set $(printf other | sha256sum | cut -d' ' -f1)
echo 1 > $S/timing 2> /dev/null && fail "the timing switch changed while locked"
expect_eq "$(cat $S/timing)" 0 timing
expect_eq "$(cat $S/measurement)" "$m" "measurement after refused changes"

# No unloading: rmmod fails on the lock's reference, a forced one on the
# delete_module hook (Debian's kernel has MODULE_FORCE_UNLOAD).
expect_rc 1 rmmod iointercept
module_loaded || fail "rmmod unloaded a locked module"
expect_rc 0 hostrun python3 -c '
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
r = libc.syscall(176, b"iointercept", os.O_TRUNC | os.O_NONBLOCK)
print(r, os.strerror(ctypes.get_errno()))
'
expect_out "-1 Operation not permitted"
module_loaded || fail "a forced rmmod unloaded a locked module"

# ftrace_enabled=0 would stop the probes: refused while locked.
echo 0 > /proc/sys/kernel/ftrace_enabled 2> /dev/null &&
	fail "ftrace_enabled=0 accepted while locked"
expect_eq "$(cat /proc/sys/kernel/ftrace_enabled)" 1 ftrace_enabled
expect_eq "$(cat $S/hooks_armed)" 1 hooks_armed

# Keys are still used: the file sealed before reads back, a new one too.
dec=$(stat_of decrypted_bytes)
enc=$(stat_of encrypted_bytes)
cmp /tmp/lk/plain /tmp/lk/enc/before || fail "sealed before the lock: wrong data"
cp /tmp/lk/plain /tmp/lk/enc/after
cmp /tmp/lk/plain /tmp/lk/enc/after || fail "sealed after the lock: wrong data"
# (cp's chunks may reseal a block: at least, not exactly)
[ $(( $(stat_of encrypted_bytes) - enc )) -ge 100000 ] || fail "bytes sealed"
[ $(( $(stat_of decrypted_bytes) - dec )) -ge 200000 ] || fail "bytes opened"

# The debugfs switch cannot be refused, only seen, in the measurement too.
echo 0 > $K
expect_eq "$(cat $S/hooks_armed)" 0 "hooks_armed, kprobes off while locked"
[ "$(cat $S/measurement)" != "$m" ] || fail "measurement hid disarmed hooks"
echo 1 > $K
expect_eq "$(cat $S/measurement)" "$m" "measurement, re-armed"
exit 0
