# SPDX-License-Identifier: GPL-2.0
# Whatever is done to an encrypted file on disk, reading it never returns
# wrong plaintext: EIO (or ENOKEY, EACCES where docs/format.md says so).
# requires: hostroot
. /tests/lib.sh

key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
expect_rc 0 genl 5 6:bin:$key
mkdir -p /tmp/enc
rm -f /tmp/enc/a /tmp/enc/b
rules="scope cgroup /ioi-test
default allow
encrypt rw /tmp/enc/**"
load "$rules"
head -c 10000 /dev/urandom > /tmp/tamper-plain
cp /tmp/tamper-plain /tmp/enc/a
cp /tmp/tamper-plain /tmp/enc/b
expect_rc 0 ioctl-cli unload-policy
cp /tmp/enc/a /tmp/tamper-good
B=4124
# 10,000 bytes: blocks of 4096, 4096 and 1808 bytes, then the end record
E=$((80 + 2 * B + 1808 + 28))
expect_eq "$(stat -c %s /tmp/tamper-good)" $((E + 28)) "stored size"

# restore: put the good stored bytes back
restore() { cp /tmp/tamper-good /tmp/enc/a; }
# flip OFFSET: invert one bit of the stored byte at OFFSET
flip() {
	v=$(od -An -tu1 -j $1 -N1 /tmp/enc/a)
	printf "\\$(printf %03o $(( (v ^ 16) & 255 )))" |
		dd of=/tmp/enc/a bs=1 seek=$1 conv=notrunc 2>/dev/null
}
printf '%s\n' $key > /tmp/tamper.key
# expect ERRNO: load the policy, read the whole file, unload; then the
# offline reader (OpenSSL) must agree: the plaintext, or exit 1 with no
# output file, and inspect must find the damage too.
expect() {
	load "$rules"
	try $1 readall /tmp/enc/a
	expect_rc 0 ioctl-cli unload-policy
	rm -f /tmp/tamper-out
	if [ $1 = ok ]; then
		expect_rc 0 ioctl-cli decrypt --key /tmp/tamper.key /tmp/enc/a /tmp/tamper-out
		expect_rc 0 cmp /tmp/tamper-out /tmp/tamper-plain
		expect_rc 0 ioctl-cli inspect --key /tmp/tamper.key /tmp/enc/a
	else
		expect_rc 1 ioctl-cli decrypt --key /tmp/tamper.key /tmp/enc/a /tmp/tamper-out
		[ -e /tmp/tamper-out ] && fail "decrypt wrote plaintext of a damaged file"
		expect_rc 1 ioctl-cli inspect --key /tmp/tamper.key /tmp/enc/a
	fi
	restore
}

expect ok
# the header: magic, version, suite, block size, flags, key id, file
# nonce, reserved, tag
flip 0; expect EACCES
for off in 4 5 6 7 24 40 55 56 63 64 70 79; do flip $off; expect EIO; done
flip 8; expect ENOKEY
# every part of every block: nonce, ciphertext, tag
for b in 0 1 2; do
	base=$((80 + b * B))
	for off in 0 11 12 100 3000 $((B - 17)) $((B - 1)); do
		[ $b -eq 2 ] && [ $off -ge $((10000 - 8192 + 28)) ] && continue
		flip $((base + off)); expect EIO
	done
done
# blocks swapped
dd if=/tmp/tamper-good of=/tmp/enc/a bs=$B skip=0 seek=1 count=1 conv=notrunc 2>/dev/null
dd if=/tmp/tamper-good of=/tmp/enc/a bs=1 skip=$((80 + B)) seek=80 count=$B conv=notrunc 2>/dev/null
expect EIO
# a block from another file under the same key
dd if=/tmp/enc/b of=/tmp/enc/a bs=1 skip=$((80 + B)) seek=$((80 + B)) count=$B conv=notrunc 2>/dev/null
expect EIO
# the end record: nonce and tag; one of another size (same file, key
# and place: sealed when the file was 10,000 bytes, now says 10,001)
for off in 0 11 12 27; do flip $((E + off)); expect EIO; done
load "$rules"
printf x >> /tmp/enc/a
expect_rc 0 ioctl-cli unload-policy
dd if=/tmp/tamper-good of=/tmp/enc/a bs=1 skip=$E seek=$((E + 1)) count=28 conv=notrunc 2>/dev/null
expect EIO
# cut inside a block, at a block boundary (with or without room for an
# end record), inside the header; data appended
for len in $((80 + 2 * B + 500)) $((80 + 2 * B + 28)) $((80 + 2 * B)) \
	   $((80 + B)) 50; do
	truncate -s $len /tmp/enc/a; expect EIO
done
printf 'more' >> /tmp/enc/a; expect EIO
# cut where two whole blocks and an end record would end: the blocks
# read, but the end is not proven, so the read past it fails
truncate -s $((80 + 2 * B + 28)) /tmp/enc/a
head -c 8192 /tmp/tamper-plain > /tmp/tamper-prefix
load "$rules"
expect_eq "$(stat -c %s /tmp/enc/a)" 8192 "size of a file cut at a block"
expect_rc 0 sh -c "dd if=/tmp/enc/a bs=4096 count=2 2>/dev/null | cmp - /tmp/tamper-prefix"
try EIO readall /tmp/enc/a
# and nothing can be appended, or the file grown, to hide the cut: the
# write stores nothing and says so, the size stays
try EIO append /tmp/enc/a more
try EIO truncate /tmp/enc/a 20000
expect_eq "$(stat -c %s /tmp/enc/a)" 8192 "size after a refused append and extension"
expect_rc 0 ioctl-cli unload-policy
restore
# and what comes before a damaged block still reads
flip $((80 + 2 * B + 20))
load "$rules"
expect_rc 0 sh -c "dd if=/tmp/enc/a bs=4096 count=2 2>/dev/null | cmp - /tmp/tamper-prefix"
try EIO readall /tmp/enc/a
expect_rc 0 ioctl-cli unload-policy
rm -f /tmp/tamper.key /tmp/tamper-out
exit 0
