# SPDX-License-Identifier: GPL-2.0
# Cost of the hooks on open+close and stat of an allowed file, by
# configuration, for a file on the root's own mount (the common case) and
# one on another mount (named by d_path() and checked by path_is_under()). Prints "report: hooks OP CONFIG NS" lines (guest ns =
# instructions under -icount), each the median of IOI_BENCH_REPEATS runs of
# IOI_BENCH_N calls. A benchmark: it asserts only that each
# configuration really was in force.
. /tests/lib.sh

N=${IOI_BENCH_N:-20000}
REPEATS=${IOI_BENCH_REPEATS:-3}
f=/srv/bench/f
g=/srv/bench/m/f
mkdir -p /srv/bench/m /sys/fs/cgroup/other
mount -t tmpfs none /srv/bench/m || fail "cannot mount a tmpfs"
echo x > $f
echo x > $g

# measure CONFIG [FILE]
measure() {
	file=${2:-$f}
	for op in open stat; do
		confined ioi-bench $op $file $((N / 10 + 1)) > /dev/null ||
			fail "warm-up $op"
		runs=
		run=0
		while [ $run -lt $REPEATS ]; do
			ns=$(confined ioi-bench $op $file $N) || fail "$op: $ns"
			runs="$runs $ns"
			run=$((run + 1))
		done
		# The median (under -icount the runs agree to a few
		# instructions; under plain TCG they do not).
		echo "report: hooks $op $1 $(echo $runs | tr ' ' '\n' | sort -n |
			awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
	done
}

base="system /usr/bin/**
system /bin/**"

expect_rc 0 rmmod iointercept
measure unloaded
measure unloaded-mount $g
expect_rc 0 modprobe iointercept
measure no-policy

load "scope cgroup /other
allow rw /srv/bench/**
$base"
measure not-confined

load "scope cgroup /ioi-test
allow rw /srv/bench/**
$base"
d0=$(stat_of allowed)
measure 1-rule
[ "$(stat_of allowed)" -gt "$d0" ] || fail "the 1-rule run was not checked"

# 128 access rules, the matching one near the end, and 128 encrypt rules.
{
	echo "scope cgroup /ioi-test"
	i=0
	while [ $i -lt 126 ]; do
		echo "allow ro /srv/nomatch$i/**"
		i=$((i + 1))
	done
	echo "allow rw /srv/bench/**"
	echo "system /usr/bin/**"
	i=0
	while [ $i -lt 128 ]; do
		echo "encrypt rw /srv/enc$i/**/*.pt"
		i=$((i + 1))
	done
} > $policy
expect_rc 0 ioctl-cli load-policy $policy
expect_rc 0 ioctl-cli check-policy $policy
expect_out "128 access rules, 128 encrypt rules"
measure 128+128-rules
measure 128+128-mount $g
expect_rc 0 ioctl-cli unload-policy
exit 0
