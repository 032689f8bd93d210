# SPDX-License-Identifier: GPL-2.0
# Encrypted files on a 9p share, writable, as a confidential VM mounts a
# host's share: whatever reaches the host is in the format. 9p creates a
# file through an atomic open, which calls an open of its own instead of
# the shim's: a new file opened for reading and writing is set up at its
# first use, others are refused (docs/design.md, "Opens the shim does not
# see"); a file it looked up first opens through the shim.
# requires: share
. /tests/lib.sh

printf '%064x\n' 87 > /tmp/sh.key
expect_rc 0 ioctl-cli key add --file /tmp/sh.key
kid=$(cat $out)
mkdir -p /mnt/share/enc
grep -q ' /mnt/share 9p ' /proc/mounts || fail "the share is not mounted"
load "scope cgroup /ioi-test
default allow
encrypt rw /mnt/share/enc/**"
refs=$(cat /sys/module/iointercept/refcnt)
open0=$(stat_of encrypted_open)

head -c 20000 /dev/urandom > /tmp/sh.data
# Created write-only by 9p's atomic open, which told the server so: the
# shim could not read back what it rewrites. Refused at the first write,
# left empty; the next open of the name is the shim's, and encrypts.
cp /tmp/sh.data /mnt/share/enc/a 2> $out && fail "a write-only create on the share was not refused"
expect_eq "$(stat -c %s /mnt/share/enc/a)" 0 "size of the refused file"
expect_rc 0 cp /tmp/sh.data /mnt/share/enc/a
expect_eq "$(stat -c %s /mnt/share/enc/a)" 20000 "size of the copied file"
cmp -s /tmp/sh.data /mnt/share/enc/a || fail "the copy reads back wrong"
# Appended to through write-only O_APPEND opens: the shim's own open of
# it below is for reading and writing, without O_APPEND, or the header
# could not be read (EBADF) and a rewrite of the last block would land
# at the host file's end. Three appends through one descriptor, each
# rewriting the last block in place.
printf tail >> /mnt/share/enc/a || fail "append to the copy"
{ printf 1; printf 22; printf 333; } >> /mnt/share/enc/a ||
	fail "three appends through one descriptor"
cat /tmp/sh.data > /tmp/sh.want
printf tail122333 >> /tmp/sh.want
cmp -s /tmp/sh.want /mnt/share/enc/a || fail "the appended file reads back wrong"
# Created O_RDWR by the atomic open: set up at its first write, and
# written at offsets, the second rewriting the first's block.
head -c 100 /dev/urandom > /tmp/sh.p1
head -c 5000 /dev/urandom > /tmp/sh.p2
printf 'put 0 /tmp/sh.p1 0\nput 0 /tmp/sh.p2 50\nclose 0\n' |
	ioi-open hold /mnt/share/enc/b > $out 2>&1
expect_eq "$(cat $out | tr '\n' ' ')" "ready ok ok ok " "ioi-open's answers"
{ head -c 50 /tmp/sh.p1; cat /tmp/sh.p2; } > /tmp/sh.b
cmp -s /tmp/sh.b /mnt/share/enc/b || fail "the file written at offsets reads back wrong"
# Created with O_APPEND: refused too, and the next >> appends.
sh -c 'printf x >> /mnt/share/enc/d' 2> $out && fail "a create with O_APPEND on the share was not refused"
expect_eq "$(stat -c %s /mnt/share/enc/d)" 0 "size of the refused file"
printf x >> /mnt/share/enc/d || fail "append to the refused file, opened again"
expect_eq "$(cat /mnt/share/enc/d)" x
# Created by truncate -s (O_WRONLY): refused at the truncate; then cut up.
truncate -s 10000 /mnt/share/enc/c 2> $out && fail "truncate -s of a new file on the share was not refused"
expect_rc 0 truncate -s 10000 /mnt/share/enc/c
expect_eq "$(stat -c %s /mnt/share/enc/c)" 10000 "size of the file cut up"
expect_eq "$(tr -d '\0' < /mnt/share/enc/c | wc -c)" 0 "bytes of the file cut up that are not zero"
expect_eq "$(cat /sys/module/iointercept/refcnt)" "$refs" "module references after the writes"
expect_eq "$(stat_of encrypted_open)" $open0 "encrypted files open after the writes"

# What the host holds: the format, whole, and no plaintext.
expect_rc 0 ioctl-cli unload-policy
for f in a:20010 b:5050 c:10000 d:1; do
	expect_rc 0 ioctl-cli inspect --key /tmp/sh.key /mnt/share/enc/${f%:*}
	expect_out "plaintext size: ${f#*:}"
	expect_out "verification: verified"
done
expect_rc 0 ioctl-cli decrypt --key /tmp/sh.key /mnt/share/enc/a /tmp/sh.out
cmp -s /tmp/sh.want /tmp/sh.out || fail "the share's copy decrypts wrong offline"
grep -q tail122333 /mnt/share/enc/a && fail "plaintext on the share"

expect_rc 0 ioctl-cli key remove "$kid"
rm -rf /mnt/share/enc /tmp/sh.key /tmp/sh.data /tmp/sh.want /tmp/sh.out \
	/tmp/sh.p1 /tmp/sh.p2 /tmp/sh.b
exit 0
