# SPDX-License-Identifier: GPL-2.0
# The plaintext cache (docs/design.md, "Plaintext cache"): what it answers
# is what the file holds, through every change made through the module
# and behind its back; it outlives the last opener, and memory pressure
# and the inode's eviction take it back.
. /tests/lib.sh

d=/tmp/pc
rm -rf $d
mkdir -p $d/enc
printf '%064x\n' 971 > $d/key
expect_rc 0 ioctl-cli key add --file $d/key
kid=$(cat $out)
rules="scope cgroup /ioi-test
default allow
encrypt rw $d/enc/**"
load "$rules"

# blocks: the objects of the module's cache in use, per-CPU slabs flushed
# (the cache has a constructor, so SLUB never merges it with another)
blocks() {
	echo 1 > /sys/kernel/slab/ioi_plain/shrink
	awk '$1 == "ioi_plain" { print $2 }' /proc/slabinfo
}

head -c 1048576 /dev/urandom > $d/v1
head -c 1048576 /dev/urandom > $d/v2
cp $d/v1 $d/exp
expect_rc 0 cp $d/v1 $d/enc/f
# A first read opens every block and keeps it; a second is a copy.
b0=$(blocks)
expect_rc 0 cmp $d/exp $d/enc/f
b1=$(blocks)
[ $((b1 - b0)) -ge 256 ] || fail "a read of 256 blocks kept $((b1 - b0))"
dec=$(stat_of decrypted_bytes)
expect_rc 0 cmp $d/exp $d/enc/f
expect_eq "$(stat_of decrypted_bytes)" $dec "bytes decrypted by a second read"

# Writes through the module: what they touched reads anew, and only that.
# patch FROM SEEK COUNT BS: the same write to the file and to exp
patch() {
	expect_rc 0 dd if=$1 of=$d/enc/f bs=$4 seek=$2 skip=$2 count=$3 conv=notrunc
	dd if=$1 of=$d/exp bs=$4 seek=$2 skip=$2 count=$3 conv=notrunc 2> /dev/null
}
patch $d/v2 10 20 4096
expect_rc 0 cmp $d/exp $d/enc/f
expect_eq "$(stat_of decrypted_bytes)" $((dec + 20 * 4096)) "bytes decrypted after 20 blocks written"
patch $d/v2 12345 1000 7
patch $d/v1 3 1 100000
expect_rc 0 cmp $d/exp $d/enc/f
# Cut inside a block and grown again: zeros, not what the cache had.
for size in 5000 20000 8192 0 300; do
	expect_rc 0 truncate -s $size $d/enc/f
	truncate -s $size $d/exp
	expect_rc 0 cmp $d/exp $d/enc/f
done

# Behind the module's back: a descriptor holds g open with its blocks
# kept; with the policy gone, the stored file is overwritten in place by
# an older stored version of itself (same header and key, same size: only
# its change time says so). The descriptor must read the older version.
expect_rc 0 cp $d/v1 $d/enc/g
expect_rc 0 ioctl-cli unload-policy
cp $d/enc/g $d/g-old
load "$rules"
expect_rc 0 dd if=$d/v2 of=$d/enc/g bs=65536 conv=notrunc
hold_start $d $d/enc/g
held ok get 0 $d/got
expect_rc 0 cmp $d/v2 $d/got
expect_rc 0 ioctl-cli unload-policy
dd if=$d/g-old of=$d/enc/g bs=65536 conv=notrunc 2> /dev/null
expect_eq "$(stat -c %s $d/enc/g)" "$(stat -c %s $d/g-old)" "stored size after the overwrite"
held ok get 0 $d/got
expect_rc 0 cmp $d/v1 $d/got

# Behind its back while no file has it open: h, read and closed (its
# header, key and blocks kept), gets the stored bytes of another file
# (another header and file key). The next open must read that file.
load "$rules"
expect_rc 0 cp $d/v1 $d/enc/h
expect_rc 0 cp $d/v2 $d/enc/k
expect_rc 0 cmp $d/v1 $d/enc/h
expect_rc 0 ioctl-cli unload-policy
cp $d/enc/k $d/enc/h
load "$rules"
expect_rc 0 cmp $d/v2 $d/enc/h
rm -f $d/enc/h $d/enc/k
expect_rc 0 ioctl-cli unload-policy

# Memory pressure: the kernel's shrinkers (drop_caches runs them all)
# take the blocks back, and reads are right after.
b1=$(blocks)
[ $b1 -ge 256 ] || fail "only $b1 blocks kept before drop_caches"
echo 2 > /proc/sys/vm/drop_caches
b2=$(blocks)
[ $b2 -lt 64 ] || fail "drop_caches left $b2 of $b1 blocks"
held ok get 0 $d/got
expect_rc 0 cmp $d/v1 $d/got
held ok close 0
hold_stop
# Closed, the inode keeps its blocks for the next opener, until it goes:
# deleted, it is evicted, and a work item frees what the module kept
# (polled for, 10 s at most).
b3=$(blocks)
[ $b3 -ge 256 ] || fail "$b3 blocks kept once closed, not 256"
rm -f $d/enc/g $d/enc/f
i=0
while [ $(blocks) -ge 64 ]; do
	i=$((i + 1))
	[ $i -le 20 ] || fail "$(blocks) blocks kept after the files were deleted"
	sleep 0.5
done

# A key removed while its files are open: they go on, and when the last
# closes, what the key gave (file key, cached plaintext) goes at once.
load "$rules"
printf '%064x\n' 972 > $d/key2
expect_rc 0 ioctl-cli key add --file $d/key2
kid2=$(cat $out)
expect_rc 0 cp $d/v1 $d/enc/m
# and a file opened empty, then given another file's stored bytes behind
# the module's back: a write through the open descriptor goes under the
# header now on disk, not under a key no byte on disk names
: > $d/enc/e
hold_start $d $d/enc/m $d/enc/e
held ok get 0 $d/got
expect_rc 0 cmp $d/v1 $d/got
b4=$(blocks)
[ $b4 -ge 256 ] || fail "$b4 blocks kept while m is open"
expect_rc 0 ioctl-cli unload-policy
cp $d/enc/m $d/enc/e
load "$rules"
head -c 5000 /dev/urandom > $d/p5
held ok put 1 $d/p5 100
cp $d/v1 $d/exp
dd if=$d/p5 of=$d/exp bs=100 seek=1 conv=notrunc 2> /dev/null
expect_rc 0 cmp $d/exp $d/enc/e
expect_rc 0 ioctl-cli key remove $kid2
held ok get 0 $d/got
expect_rc 0 cmp $d/v1 $d/got
held ok close 0
held ok close 1
hold_stop
b5=$(blocks)
[ $b5 -lt 64 ] || fail "$b5 blocks kept after the last close, the key removed"
try ENOKEY read $d/enc/m
rm -f $d/enc/m $d/enc/e
expect_rc 0 ioctl-cli unload-policy

# Read ahead: a read that starts where the last one ended opens and keeps
# up to 14 blocks past it as well, read in the same call below. A block
# that fails there is left out silently: the read that asks for it fails,
# and raises the integrity event, not the one before it.
load "$rules"
head -c 65536 /dev/urandom > $d/v3
expect_rc 0 cp $d/v3 $d/enc/r
echo 2 > /proc/sys/vm/drop_caches
b0=$(blocks)
dec=$(stat_of decrypted_bytes)
expect_rc 0 dd if=$d/enc/r of=$d/got bs=4096 count=1
expect_eq "$(stat_of decrypted_bytes)" $((dec + 15 * 4096)) "bytes decrypted by a read of block 0"
[ $(($(blocks) - b0)) -ge 15 ] || fail "read ahead kept $(($(blocks) - b0)) blocks, not 15"
# The next 4 KiB reads, in another process, where the first one ended.
expect_rc 0 dd if=$d/enc/r of=$d/got bs=4096 skip=1 count=14 conv=notrunc
expect_eq "$(stat_of decrypted_bytes)" $((dec + 15 * 4096)) "bytes decrypted by reads of blocks read ahead"
expect_rc 0 cmp $d/v3 $d/enc/r
# Block 9 damaged on disk (its ciphertext: header 80 bytes, blocks 4,124).
expect_rc 0 ioctl-cli unload-policy
off=$((80 + 9 * 4124 + 100))
v=$(od -An -tu1 -j $off -N1 $d/enc/r)
printf "\\$(printf %03o $(( (v ^ 16) & 255 )))" |
	dd of=$d/enc/r bs=1 seek=$off conv=notrunc 2> /dev/null
load "$rules"
echo 2 > /proc/sys/vm/drop_caches
bad=$(stat_of integrity_failures)
dec=$(stat_of decrypted_bytes)
expect_rc 0 dd if=$d/enc/r of=$d/got bs=4096 count=9
expect_eq "$(stat_of integrity_failures)" $bad "integrity failures after reading blocks 0-8"
expect_eq "$(stat_of decrypted_bytes)" $((dec + 14 * 4096)) "bytes decrypted by reading blocks 0-8, ahead to 14"
head -c 36864 $d/v3 > $d/v3h
expect_rc 0 cmp $d/v3h $d/got
expect_rc 1 dd if=$d/enc/r of=$d/got bs=4096 skip=9 count=1
expect_eq "$(stat_of integrity_failures)" $((bad + 1)) "integrity failures after reading block 9"
rm -f $d/enc/r
expect_rc 0 ioctl-cli unload-policy

expect_rc 0 ioctl-cli key remove $kid
rm -rf $d
exit 0
