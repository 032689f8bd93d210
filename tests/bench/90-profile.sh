# SPDX-License-Identifier: GPL-2.0
# Where the instructions go, for the workloads where iointercept misses
# its targets: a system-wide perf profile (the host root's perf, sampling
# the cpu-clock, which under -icount is a sample every N instructions) of
# each, printed to the console as "profile WORKLOAD:" and the top symbols.
# Not part of make bench: it does nothing unless IOI_BENCH_PROFILE is set.
#
#   tests/vm/run --kernel stock --bench --out build/bench-profile \
#       --append "IOI_BENCH_PROFILE=1 IOI_CASE_TIMEOUT=100000" 90-profile
#
# (perf makes the guest clock run far ahead of the instructions: the
# case limit is in guest seconds)
#
# requires: disk hostroot
. /tests/lib.sh

[ -n "${IOI_BENCH_PROFILE:-}" ] || exit 0
MIB=${IOI_BENCH_MIB:-16}
cp /usr/bin/ioi-bench /host/tmp/

# Everything runs in the host root's chroot, the workload as perf's own
# child (so that perf is recording before it starts): the policy names
# its files as the chrooted task sees them. /tmp there is a tmpfs of the
# guest, /mnt the ext4 disk.
mkdir -p /host/tmp/enc /mnt/disk/enc
expect_rc 0 ioctl-cli key generate
load "scope cgroup /ioi-test
default allow
encrypt rw /tmp/enc/**
encrypt rw /mnt/enc/**"

# profile NAME IOI-BENCH-ARGS...
profile() {
	name=$1
	shift
	hostrun perf record -q -e cpu-clock -c 100000 -a -o /tmp/perf.data \
		-- /tmp/ioi-bench "$@" > /tmp/profile.out 2> /tmp/perf.log ||
		{ cat /tmp/perf.log; fail "$name: perf record ioi-bench $*"; }
	echo "profile $name: $(cat /tmp/profile.out) (busy elapsed, ns per unit; perf running)"
	hostrun perf report -i /tmp/perf.data --stdio --no-children \
		--sort sym --percent-limit 0.7 2> /dev/null |
		grep -v '^#' | grep -v '^$' | head -45
	hostrun perf report -i /tmp/perf.data --stdio --no-children \
		--sort dso 2> /dev/null | grep -v '^#' | grep -v '^$' |
		head -6
}

f=/tmp/enc/f
profile tmpfs-seqwrite-4k write $f $MIB 4096
profile tmpfs-seqwrite-1m write $f $MIB 1048576
# cold: the module's plaintext cache dropped too (its shrinker)
ioi-bench drop > /dev/null || fail "drop"
profile tmpfs-seqread-1m-cold read $f 1048576
profile tmpfs-seqread-1m-warm read $f 1048576
profile tmpfs-seqread-4k-warm read $f 4096
rm -f /host$f
mkdir /host/tmp/enc/files
profile tmpfs-files files /tmp/enc/files 500 4096
f=/mnt/enc/f
hostrun /tmp/ioi-bench write $f $MIB 1048576 > /dev/null || fail "write $f"
ioi-bench drop > /dev/null || fail "drop"
profile ext4-seqread-4k-cold read $f 4096
hostrun rm -f $f
expect_rc 0 ioctl-cli unload-policy
exit 0
