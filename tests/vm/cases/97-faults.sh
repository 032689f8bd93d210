# SPDX-License-Identifier: GPL-2.0
# Allocation failures (failslab, fail_page_alloc) in encrypted I/O: every
# failure is an errno, nothing half-done stays behind, and what was written
# before reads back. 98-faults-nl does policy and key loads. Test kernel
# only: Debian's kernel has no CONFIG_FAULT_INJECTION.
# kernel: test
# requires: disk
. /tests/lib.sh


# field NAME: NAME=VALUE from ioi-fault's summary line in $out.
field() {
	sed -n "s/.* $1=\([0-9]*\).*/\1/p" $out
}

printf '%064x\n' 97 > /tmp/flt.key
expect_rc 0 ioctl-cli key add --file /tmp/flt.key
kid=$(cat $out)
rm -rf /tmp/flt-enc /mnt/disk/flt-enc
mkdir -p /tmp/flt-enc /mnt/disk/flt-enc
A="scope cgroup /ioi-test
default allow
encrypt rw /tmp/flt-enc/**
encrypt rw /mnt/disk/flt-enc/**"
load "$A"
integrity=$(stat_of integrity_failures)
faults 0

# Every fault point of every operation in turn (fail-nth), on tmpfs and
# ext4; fewer operations on ext4, whose journal has many more.
expect_rc 0 confined ioi-fault -s 1 -n 40 /tmp/flt-enc/nth
expect_out "ioi-fault: OK seed=1 ops=40"
cat $out
# At least one fault point per operation (about 90 in all since a call no
# longer allocates its GCM request; about 320 before).
[ "$(field injected)" -ge 40 ] || fail "fail-nth injected few faults"
[ "$(field enomem)" -gt 0 ] || fail "no fault surfaced as ENOMEM"
expect_out " torn=0 "
expect_rc 0 confined ioi-fault -s 2 -n 10 /mnt/disk/flt-enc/nth
expect_out "ioi-fault: OK seed=2 ops=10"
expect_out " torn=0 "
cat $out
# No block was ever read as damaged, but those torn below (none yet).
expect_eq "$(stat_of integrity_failures)" "$integrity" "integrity failures"

# Random faults, one allocation in ten.
faults 10
expect_rc 0 confined ioi-fault -p -s 3 -n 250 /tmp/flt-enc/prob
expect_out "ioi-fault: OK seed=3 ops=250"
cat $out
[ "$(field enomem)" -gt 0 ] || fail "no fault surfaced as ENOMEM"
expect_rc 0 confined ioi-fault -p -s 4 -n 60 /mnt/disk/flt-enc/prob
expect_out "ioi-fault: OK seed=4 ops=60"
cat $out
faults 0

# The files are in the format, every block verifies.
expect_rc 0 ioctl-cli unload-policy
for f in /tmp/flt-enc/nth /tmp/flt-enc/prob /mnt/disk/flt-enc/nth /mnt/disk/flt-enc/prob; do
	expect_rc 0 ioctl-cli inspect --key /tmp/flt.key $f
done
expect_rc 0 ioctl-cli key remove $kid
rm -rf /tmp/flt-enc /mnt/disk/flt-enc /tmp/flt.key
exit 0
