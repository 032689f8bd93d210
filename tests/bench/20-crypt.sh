# SPDX-License-Identifier: GPL-2.0
# Cost of encryption: sequential 1 MiB writes and reads of a 64 MiB file,
# 4 KiB random reads and writes, plain and encrypted, on tmpfs and ext4;
# AES-256-GCM without the module (the kernel's gcm(aes) through AF_ALG)
# sealing and opening 64 MiB as the same 4 KiB blocks; and the kernel
# memory each open encrypted file takes. Prints "report: crypt FS KIND OP
# NS" (NS per MiB or per 4 KiB operation; FS "cipher", KIND "aead", OP seal
# or open for the cipher) and "report: crypt-mem SIZE BYTES-PER-OPEN-FILE"
# lines.
# requires: disk hostroot
. /tests/lib.sh

key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
expect_rc 0 genl 5 6:bin:$key
mkdir -p /mnt/t
mount -t tmpfs -o size=512m none /mnt/t || fail "cannot mount a tmpfs"
for dir in /mnt/t /mnt/disk; do mkdir -p $dir/plain $dir/enc; done
load "scope cgroup /ioi-test
default allow
encrypt rw /mnt/t/enc/**
encrypt rw /mnt/disk/enc/**"

for fs in tmpfs ext4; do
	dir=/mnt/t
	[ $fs = ext4 ] && dir=/mnt/disk
	for kind in plain enc; do
		f=$dir/$kind/f
		ns=$(ioi-bench seqwrite $f 64) || fail "seqwrite $f: $ns"
		echo "report: crypt $fs $kind seqwrite $ns"
		ns=$(ioi-bench seqread $f) || fail "seqread $f: $ns"
		echo "report: crypt $fs $kind seqread $ns"
		ns=$(ioi-bench randread $f 4000) || fail "randread $f: $ns"
		echo "report: crypt $fs $kind randread $ns"
		ns=$(ioi-bench randwrite $f 4000) || fail "randwrite $f: $ns"
		echo "report: crypt $fs $kind randwrite $ns"
		[ $kind = enc ] && [ "$(stat -c %s $f)" != 67108864 ] &&
			fail "$f: wrong size"
		rm -f $f
	done
done

# The cipher alone. Debian builds AF_ALG as modules the guest does not
# carry: load them from the host root.
for m in af_alg algif_aead; do
	grep -q "^$m " /proc/modules && continue
	ko=/host/lib/modules/$(uname -r)/kernel/crypto/$m.ko
	[ -e $ko ] || continue	# built in
	insmod $ko || fail "insmod $ko"
done
for op in seal open; do
	ns=$(ioi-bench cipher $op 64) || fail "cipher $op: $ns"
	echo "report: crypt cipher aead $op $ns"
done

# Kernel memory per open encrypted file: 200 files held open, small and
# large, against as many plain files.
for size in 4096 1048576; do
	i=0
	while [ $i -lt 200 ]; do
		head -c $size /dev/zero > /mnt/t/enc/m$i
		head -c $size /dev/zero > /mnt/t/plain/m$i
		i=$((i + 1))
	done
	sync
	echo 2 > /proc/sys/vm/drop_caches
	plain=$(ioi-bench hold /mnt/t/plain/m 200) || fail "hold: $plain"
	enc=$(ioi-bench hold /mnt/t/enc/m 200) || fail "hold: $enc"
	echo "report: crypt-mem $size $((enc - plain))"
	rm -f /mnt/t/enc/m* /mnt/t/plain/m*
done
expect_rc 0 ioctl-cli unload-policy
exit 0
