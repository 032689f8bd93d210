# SPDX-License-Identifier: GPL-2.0
# Helpers for test cases in the VM (busybox sh). A case is a script that
# exits 0 when every check passed; the first failed check ends it.

out=/tmp/cmd.out

fail() {
	echo "FAIL: $*"
	exit 1
}

# expect_rc N CMD...: run CMD, its output in $out, and require exit status N.
expect_rc() {
	want=$1
	shift
	"$@" > $out 2>&1
	rc=$?
	if [ "$rc" != "$want" ]; then
		sed 's/^/  | /' $out
		fail "'$*' exited $rc, expected $want"
	fi
}

# expect_out TEXT: the last command's output contains TEXT (fixed string).
expect_out() {
	grep -qF -- "$1" $out || { sed 's/^/  | /' $out; fail "output lacks '$1'"; }
}

expect_no_out() {
	grep -qF -- "$1" $out && { sed 's/^/  | /' $out; fail "output has '$1'"; }
	return 0
}

expect_eq() {
	[ "$1" = "$2" ] || fail "${3:-value}: got '$1', expected '$2'"
}

module_loaded() {
	grep -q '^iointercept ' /proc/modules
}

# hostrun CMD...: run one of the host's programs (python3, tar, rsync...)
# in the read-only host root shared over 9p. Needs "# requires: hostroot".
hostrun() {
	[ -d /host/usr/bin ] || fail "host root not mounted: add '# requires: hostroot'"
	chroot /host /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/tmp LANG=C.UTF-8 "$@"
}

# genl ARGS...: the raw generic netlink client (tests/vm/genl.py).
genl() {
	hostrun python3 - "$@" < /tests/genl.py
}

# try WANT ARGS...: ioi-try ARGS (one syscall) must print WANT ("ok",
# "EACCES", ...). ctry does the same from inside the confined cgroup.
try() {
	want=$1
	shift
	got=$(ioi-try "$@" 2>&1)
	[ "$got" = "$want" ] || fail "ioi-try $*: got '$got', expected '$want'"
}

ctry() {
	want=$1
	shift
	got=$(confined ioi-try "$@" 2>&1)
	[ "$got" = "$want" ] ||
		fail "confined ioi-try $*: got '$got', expected '$want'"
}

# True on the test kernel (KASAN, lockdep: ten times slower), where the
# heaviest cases do less of the same.
on_test_kernel() {
	grep -qw ioi.kernel=test /proc/cmdline
}

# The cgroup that "scope cgroup /ioi-test" confines; confined CMD runs CMD
# in it, everything else in the test stays outside.
CG=/sys/fs/cgroup/ioi-test
mkdir -p $CG
confined() {
	sh -c 'echo $$ > '$CG'/cgroup.procs && exec "$@"' confined "$@"
}

# load POLICY-TEXT: write it to a file and load it; the file is $policy.
policy=/tmp/policy.conf
load() {
	printf '%s\n' "$1" > $policy
	expect_rc 0 ioctl-cli load-policy $policy
}

stat_of() {
	cat /sys/kernel/iointercept/stats/$1
}
