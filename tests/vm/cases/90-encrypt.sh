# SPDX-License-Identifier: GPL-2.0
# Transparent encryption on tmpfs and ext4, checked against the offline
# implementation (ioctl-cli encrypt/decrypt, OpenSSL) both ways.
# requires: disk hostroot
. /tests/lib.sh

key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
printf '%s\n' $key > /tmp/key.hex
expect_rc 0 genl 5 6:bin:$key
mkdir -p /tmp/enc /mnt/disk/enc /tmp/plain /tmp/wo
rules="scope cgroup /ioi-test
default allow
encrypt rw /tmp/enc/**
encrypt rw /mnt/disk/enc/**
encrypt wo /tmp/wo/**
encrypt rw /tmp/small/**"
mkdir -p /tmp/small
mount -t tmpfs -o size=256k none /tmp/small || fail "cannot mount a small tmpfs"
load "$rules"

sizes="0 1 4095 4096 4097 1048577"
for size in $sizes; do
	head -c $size /dev/urandom > /tmp/plain/f$size
done
for dir in /tmp/enc /mnt/disk/enc; do
	for size in $sizes; do
		expect_rc 0 cp /tmp/plain/f$size $dir/f$size
		expect_rc 0 cmp /tmp/plain/f$size $dir/f$size
		expect_eq "$(stat -c %s $dir/f$size)" $size
	done
	# truncate(2) and ftruncate(2) to every kind of size
	for f in /tmp/plain/t $dir/t; do cp /tmp/plain/f1048577 $f; done
	for len in 1048577 500000 8192 4097 4096 4095 1 0 9000 100000 1048577; do
		for f in /tmp/plain/t $dir/t; do try ok truncate $f $len; done
		expect_rc 0 cmp /tmp/plain/t $dir/t
		expect_eq "$(stat -c %s $dir/t)" $len
		for f in /tmp/plain/t $dir/t; do
			expect_rc 0 dd if=/tmp/plain/f4097 of=$f bs=1000 seek=$((len / 1000)) count=2
		done
		expect_rc 0 cmp /tmp/plain/t $dir/t
	done
	# append, overwrite in the middle, unaligned, through the shell and dd
	cp /tmp/plain/f4097 /tmp/plain/g
	cp /tmp/plain/f4097 $dir/g
	printf 'appended' >> /tmp/plain/g
	printf 'appended' >> $dir/g
	expect_rc 0 cmp /tmp/plain/g $dir/g
	for f in /tmp/plain/g $dir/g; do
		expect_rc 0 dd if=/tmp/plain/f4095 of=$f bs=7 seek=300 count=900 conv=notrunc
	done
	expect_rc 0 cmp /tmp/plain/g $dir/g
	# writes past the end leave zeros, also after a partial last block
	# (whose tag, once the block is opened in place, must not leak in)
	for f in /tmp/plain/h $dir/h; do
		expect_rc 0 dd if=/tmp/plain/f1 of=$f bs=1 seek=10000 count=1
	done
	expect_rc 0 cmp /tmp/plain/h $dir/h
	for f in /tmp/plain/k $dir/k; do
		cp /tmp/plain/f4097 $f
		expect_rc 0 dd if=/tmp/plain/f1 of=$f bs=1 seek=20000 count=1 conv=notrunc
	done
	expect_rc 0 cmp /tmp/plain/k $dir/k
	expect_rc 0 sh -c "dd if=$dir/f1048577 bs=1000 skip=3 2>/dev/null | cmp - /tmp/plain/f1048577 0 3000"
	# Readers of one file at once, each in small reads (one GCM request
	# shared between them once made some of them fail).
	head -c 3000000 /dev/urandom > /tmp/plain/c
	cp /tmp/plain/c $dir/c
	for i in 1 2 3 4 5 6; do
		dd if=$dir/c bs=4096 2>/dev/null > /tmp/plain/c$i &
	done
	wait
	for i in 1 2 3 4 5 6; do expect_rc 0 cmp /tmp/plain/c /tmp/plain/c$i; done
done

# Growing past the free space is ENOSPC and changes nothing (it once
# reported success for a file left shorter than asked).
for size in 10000 8192; do
	head -c $size /dev/urandom > /tmp/plain/s
	cp /tmp/plain/s /tmp/small/s
	try ENOSPC truncate /tmp/small/s 1000000
	expect_eq "$(stat -c %s /tmp/small/s)" $size "size after ENOSPC"
	expect_rc 0 cmp /tmp/plain/s /tmp/small/s
	rm /tmp/small/s
done

# mmap is refused
ctry ENODEV mmap-read /tmp/enc/f4096

# What is on disk: the format, which the offline tool decrypts.
expect_rc 0 ioctl-cli unload-policy
for dir in /tmp/enc /mnt/disk/enc; do
	for size in $sizes; do
		want=0
		[ $size -gt 0 ] && want=$((80 + size + 28 * ((size + 4095) / 4096 + 1)))
		expect_eq "$(stat -c %s $dir/f$size)" $want
		[ $size -gt 16 ] && cmp -s /tmp/plain/f$size $dir/f$size &&
			fail "$dir/f$size is stored in the clear"
		expect_rc 0 ioctl-cli decrypt --key /tmp/key.hex $dir/f$size /tmp/dec
		expect_rc 0 cmp /tmp/plain/f$size /tmp/dec
	done
	expect_rc 0 ioctl-cli decrypt --key /tmp/key.hex $dir/g /tmp/dec
	expect_rc 0 cmp /tmp/plain/g /tmp/dec
	expect_rc 0 ioctl-cli decrypt --key /tmp/key.hex $dir/h /tmp/dec
	expect_rc 0 cmp /tmp/plain/h /tmp/dec
	# and the other way: the offline tool's files read through the module
	expect_rc 0 ioctl-cli encrypt --key /tmp/key.hex /tmp/plain/f1048577 $dir/x
done
load "$rules"
for dir in /tmp/enc /mnt/disk/enc; do
	expect_rc 0 cmp /tmp/plain/f1048577 $dir/x
done

# wo: written sealed, read back sealed
cp /tmp/plain/f4097 /tmp/wo/log
cmp -s /tmp/plain/f4097 /tmp/wo/log && fail "a wo file reads back in the clear"
expect_rc 0 sh -c "cat /tmp/wo/log > /tmp/wo.raw"
expect_rc 0 ioctl-cli decrypt --key /tmp/key.hex /tmp/wo.raw /tmp/dec
expect_rc 0 cmp /tmp/plain/f4097 /tmp/dec

# A plaintext file under a rule is refused; a missing key is ENOKEY.
expect_rc 0 ioctl-cli unload-policy
echo plain > /tmp/enc/plain
load "$rules"
try EACCES read /tmp/enc/plain
# unless the policy says "on-plaintext allow": then it is opened as it is
# (both sides agree on the policy's canonical text and hash)
printf '%s\non-plaintext allow\n' "$rules" > /tmp/op.conf
expect_rc 0 ioctl-cli check-policy /tmp/op.conf
h=$(sed -n 's/.*sha256 \([0-9a-f]*\).*/\1/p' $out)
expect_rc 0 ioctl-cli load-policy /tmp/op.conf
expect_out "policy loaded: sha256 $h"
expect_rc 0 ioctl-cli show-policy
expect_out "on-plaintext allow"
try ok read /tmp/enc/plain
expect_eq "$(cat /tmp/enc/plain)" plain
expect_rc 0 cmp /tmp/plain/f4096 /tmp/enc/f4096
load "$rules"
expect_rc 0 genl 8 7:bin:c7057dd824e7be1e73b5f7d36801d036
try ENOKEY read /tmp/enc/f4096
expect_rc 0 ioctl-cli unload-policy
umount /tmp/small
exit 0
