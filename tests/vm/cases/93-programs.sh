# SPDX-License-Identifier: GPL-2.0
# Unmodified programs on encrypted files: Python's os module (open, seek,
# pread, readv, O_APPEND from four processes, truncate, copy_file_range,
# sendfile, splice, O_DIRECT), tar, rsync, sha256sum; and a sparse
# 100 MiB file that the offline tool decrypts byte for byte.
# requires: disk hostroot
. /tests/lib.sh

printf '%064x\n' 93 > /tmp/p.key
expect_rc 0 ioctl-cli key add --file /tmp/p.key
kid=$(cat $out)
# Host programs run chrooted in /host: they name /host/tmp as /tmp and
# /mnt/disk as /mnt. The rules name what each task sees.
mkdir -p /host/tmp/pyenc /host/tmp/pyref /mnt/disk/pyenc /host/tmp/rsenc \
	/tmp/tarenc /tmp/tarref /mnt/disk/sparse
load "scope cgroup /ioi-test
default allow
encrypt rw /tmp/pyenc/**
encrypt rw /mnt/pyenc/**
encrypt rw /tmp/rsenc/**
encrypt rw /tmp/tarenc/**
encrypt rw /mnt/disk/sparse/**"

expect_rc 0 hostrun python3 - /tmp/pyenc /tmp/pyref /mnt/pyenc \
	< /tests/programs.py
expect_out "programs: ok"
# The same files under a name no rule covers show what is stored: the
# format's size (docs/format.md), and not the plaintext.
expect_eq "$(stat -c %s /host/tmp/pyenc/a)" $((80 + 10003 + 3 * 28 + 28))
expect_rc 0 hostrun stat -c %s /tmp/pyenc/a
expect_eq "$(cat $out)" 10003
expect_rc 0 hostrun sh -c 'cat /tmp/pyref/a | sha256sum'
want=$(cat $out)
expect_rc 0 sh -c "cat /host/tmp/pyenc/a | sha256sum"
[ "$(cat $out)" != "$want" ] || fail "/tmp/pyenc/a is stored in the clear"

# tar in and out (busybox tar)
mkdir -p /tmp/tarsrc/d
head -c 70000 /dev/urandom > /tmp/tarsrc/d/x
echo small > /tmp/tarsrc/s
expect_rc 0 sh -c "tar -C /tmp/tarsrc -cf - . | tar -C /tmp/tarenc -xf -"
expect_rc 0 sh -c "tar -C /tmp/tarenc -cf - . | tar -C /tmp/tarref -xf -"
expect_rc 0 cmp /tmp/tarsrc/d/x /tmp/tarenc/d/x
expect_rc 0 cmp /tmp/tarsrc/d/x /tmp/tarref/d/x
expect_eq "$(cat /tmp/tarenc/s)" small

# rsync (the host's) in and back out, and sha256sum
expect_rc 0 hostrun rsync -a /tmp/pyref/ /tmp/rsenc/
expect_rc 0 hostrun rsync -a --checksum /tmp/rsenc/ /tmp/rsback/
expect_rc 0 hostrun sh -c 'cd /tmp/pyref && sha256sum a b t > /tmp/sums && cd /tmp/rsenc && sha256sum -c /tmp/sums && cd /tmp/rsback && sha256sum -c /tmp/sums'

# A sparse 100 MiB file (16 MiB on the test kernel): written through the
# module, decrypted offline.
blocks=25599
on_test_kernel && blocks=4095
for f in /tmp/sparse.ref /mnt/disk/sparse/f; do
	expect_rc 0 dd if=/tmp/tarsrc/s of=$f bs=4096 seek=$blocks count=1 conv=notrunc
done
expect_eq "$(stat -c %s /mnt/disk/sparse/f)" $((blocks * 4096 + 6))
expect_rc 0 cmp /tmp/sparse.ref /mnt/disk/sparse/f
expect_rc 0 ioctl-cli unload-policy
expect_rc 0 ioctl-cli decrypt --key /tmp/p.key /mnt/disk/sparse/f /tmp/sparse.dec
expect_rc 0 cmp /tmp/sparse.ref /tmp/sparse.dec
rm -f /tmp/sparse.dec /tmp/sparse.ref /mnt/disk/sparse/f
expect_rc 0 ioctl-cli key remove $kid
exit 0
