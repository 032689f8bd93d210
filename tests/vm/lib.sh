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

# hold_start DIR FILE...: ioi-open hold keeps the FILEs open (through the
# shim, if a rule covers them) until hold_stop, taking commands through
# descriptors 7 and 8 and FIFOs in DIR; held sends them.
hold_start() {
	local fifos=$1
	shift
	rm -f $fifos/hc $fifos/hr
	mkfifo $fifos/hc $fifos/hr
	ioi-open hold "$@" < $fifos/hc > $fifos/hr 2>&1 &
	hpid=$!
	exec 7> $fifos/hc 8< $fifos/hr
	read -r line <&8
	expect_eq "$line" ready "ioi-open hold"
}
# held WANT COMMAND...: "get I OUT", "put I SRC OFF" or "close I"; the
# holder's answer must be WANT ("ok" or an errno name).
held() {
	want=$1
	shift
	echo "$*" >&7
	read -r line <&8
	[ "$line" = "$want" ] || fail "held file: '$*': got '$line', expected '$want'"
}
# hold_stop: the holder closes what is left open and must exit 0.
hold_stop() {
	exec 7>&- 8<&-
	wait $hpid || fail "ioi-open hold exited $?"
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

# faults PERCENT (97-faults, 98-faults-nl; the test kernel): the kernel's
# failslab and fail_page_alloc fail PERCENT % of the allocations of tasks
# with make-it-fail only (task-filter), GFP_KERNEL and order-0 ones
# included (as fail-nth needs too), silently (a stack dump per fault would
# fill the log the last check reads).
faults() {
	D=/sys/kernel/debug
	[ -d $D/failslab ] && [ -d $D/fail_page_alloc ] ||
		fail "no failslab or fail_page_alloc in debugfs"
	for a in failslab fail_page_alloc; do
		echo Y > $D/$a/task-filter
		echo 0 > $D/$a/verbose
		echo N > $D/$a/ignore-gfp-wait
		echo 1 > $D/$a/interval
		echo -1 > $D/$a/times
		echo 0 > $D/$a/space
		echo "$1" > $D/$a/probability
	done
	echo 0 > $D/fail_page_alloc/min-order
	echo N > $D/fail_page_alloc/ignore-gfp-highmem
}
