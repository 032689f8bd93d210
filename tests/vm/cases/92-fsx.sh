# SPDX-License-Identifier: GPL-2.0
# Random operations on encrypted files, checked against the same
# operations on plain files (tests/vm/ioi-fsx.c), on tmpfs and ext4, by
# one process and by four at once with shared O_APPEND writers.
# requires: disk
. /tests/lib.sh

printf '%064x\n' 7 > /tmp/fsx.key
expect_rc 0 ioctl-cli key add --file /tmp/fsx.key
kid=$(cat $out)
rm -rf /tmp/fsx-enc /tmp/fsx-ref /mnt/disk/fsx-enc
mkdir -p /tmp/fsx-enc /tmp/fsx-ref /mnt/disk/fsx-enc
load "scope cgroup /ioi-test
default allow
encrypt rw /tmp/fsx-enc/**
encrypt rw /mnt/disk/fsx-enc/**"

# Fixed seeds: a failure replays with the line ioi-fsx prints. The test
# kernel (KASAN) runs fewer operations, still thousands.
n=3000 np=1000
on_test_kernel && n=1500 np=300
expect_rc 0 ioi-fsx -q -s 1 -n $n /tmp/fsx-enc/t /tmp/fsx-ref/t
expect_out "ioi-fsx: OK seed=1 ops=$n procs=1"
expect_rc 0 ioi-fsx -q -s 2 -n $n /mnt/disk/fsx-enc/t /tmp/fsx-ref/u
expect_rc 0 ioi-fsx -q -s 3 -n $np -p 4 /tmp/fsx-enc/p /tmp/fsx-ref/p
expect_out "ioi-fsx: OK seed=3 ops=$np procs=4"
expect_rc 0 ioi-fsx -q -s 4 -n $np -p 4 /mnt/disk/fsx-enc/p /tmp/fsx-ref/q

# The files it left are in the format: the offline tool agrees.
expect_rc 0 ioctl-cli unload-policy
expect_rc 0 ioctl-cli decrypt --key /tmp/fsx.key /mnt/disk/fsx-enc/t /tmp/fsx.dec
expect_rc 0 cmp /tmp/fsx.dec /tmp/fsx-ref/u
expect_rc 0 ioctl-cli key remove $kid
exit 0
