# SPDX-License-Identifier: GPL-2.0
# iointercept's encryption against the floor and its peers, on the same
# workloads (issue 7). Configurations:
#
#   tmpfs, ext4        plain, module unloaded: the floors
#   ioi-tmpfs/-ext4    iointercept "encrypt rw" (AES-256-GCM, 4 KiB blocks)
#   ecryptfs           Debian's ecryptfs module on ext4 (AES-256-CBC)
#   gocryptfs          gocryptfs (FUSE, AES-256-GCM in Go) on ext4
#   fscrypt            ext4's own encryption (v2, AES-256-XTS, not
#                      authenticated)
#   gcm                the kernel's gcm(aes) on 4 KiB messages through
#                      AF_ALG, no file system at all: the ceiling
#
# Workloads on a file of IOI_BENCH_MIB MiB: sequential write in 4 KiB and
# 1 MiB chunks (fsync included), sequential read in 1 MiB and 4 KiB
# chunks, cold (after sync and drop_caches) and warm, IOI_BENCH_RAND 4 KiB
# reads and writes (then fsync) at random aligned offsets; then
# IOI_BENCH_FILES files of 4 KiB created (then syncfs), read cold and
# deleted (then syncfs). Every configuration runs once per repeat, in
# turn, IOI_BENCH_REPEATS times: the host takes the median.
#
# Prints "report: cmp CONFIG WORKLOAD REPEAT BUSY ELAPSED" (ns per MiB, per
# 4 KiB operation or per file; BUSY leaves out the time the CPU was idle,
# waiting for the disk: see ioi-bench.c), "report: mem open-file SIZE BYTES" and
# "report: mem rule BYTES". A benchmark: it fails only when a
# configuration cannot be set up or an operation fails.
# requires: disk hostroot
. /tests/lib.sh

MIB=${IOI_BENCH_MIB:-64}
REPEATS=${IOI_BENCH_REPEATS:-3}
NRAND=${IOI_BENCH_RAND:-4000}
NFILES=${IOI_BENCH_FILES:-2000}
NHOLD=${IOI_BENCH_HOLD:-200}
# IOI_BENCH_CONFIGS (comma-separated, for the kernel command line): a
# subset, for measuring a change of ours without the peers.
CONFIGS=$(echo "${IOI_BENCH_CONFIGS:-tmpfs,ext4,ecryptfs,gocryptfs,fscrypt,ioi-tmpfs,ioi-ext4}" | tr , ' ')

# The benchmark needs modules the tests do not (fuse, ecryptfs, xts...):
# the kernel's own requests go to the host root's modprobe, which has the
# whole module tree of this same kernel (docs/performance.md).
cat > /tmp/host-modprobe <<'EOF'
#!/bin/sh
exec chroot /host /sbin/modprobe "$@"
EOF
chmod +x /tmp/host-modprobe
old_modprobe=$(cat /proc/sys/kernel/modprobe)
echo /tmp/host-modprobe > /proc/sys/kernel/modprobe
for m in fuse ecryptfs xts cts ecb sha512_ssse3 af_alg algif_aead; do
	/tmp/host-modprobe $m || fail "modprobe $m from the host root"
done

# Mounts made in the host root's chroot (mount.ecryptfs, gocryptfs) land
# under /host/mnt, a bind of /mnt/disk: make the two peers so that they
# show at /mnt/disk too, and every configuration is reached by the same
# kind of path.
umount /host/mnt || fail "umount /host/mnt"
mount --make-shared /mnt/disk || fail "make /mnt/disk shared"
mount --bind /mnt/disk /host/mnt || fail "bind /mnt/disk"

mkdir -p /mnt/t
mount -t tmpfs -o size=1g none /mnt/t || fail "cannot mount a tmpfs"
mkdir -p /mnt/t/plain /mnt/t/enc /mnt/disk/plain /mnt/disk/enc \
	/mnt/disk/ecfs-lower /mnt/disk/ecfs /mnt/disk/gocfs-cipher \
	/mnt/disk/gocfs /mnt/disk/fscrypt

# eCryptfs as Debian users get it, without its interactive questions.
expect_rc 0 hostrun mount -t ecryptfs /mnt/ecfs-lower /mnt/ecfs -o \
key=passphrase:passphrase_passwd=bench,ecryptfs_cipher=aes,ecryptfs_key_bytes=32,\
ecryptfs_passthrough=n,ecryptfs_enable_filename_crypto=n,no_sig_cache < /dev/null
grep -q ' /mnt/disk/ecfs ecryptfs ' /proc/mounts || fail "ecryptfs is not mounted"

# gocryptfs with its defaults; a cheap scrypt cost (key derivation only).
echo bench > /host/tmp/gocfs.pass
expect_rc 0 hostrun gocryptfs -q -init -scryptn 10 -passfile /tmp/gocfs.pass \
	/mnt/gocfs-cipher < /dev/null
expect_rc 0 hostrun gocryptfs -q -passfile /tmp/gocfs.pass /mnt/gocfs-cipher \
	/mnt/gocfs < /dev/null
grep -q ' /mnt/disk/gocfs fuse' /proc/mounts || fail "gocryptfs is not mounted"

expect_rc 0 ioi-bench fscrypt /mnt/disk/fscrypt

dir_of() {
	case $1 in
	tmpfs) echo /mnt/t/plain ;;
	ioi-tmpfs) echo /mnt/t/enc ;;
	ext4) echo /mnt/disk/plain ;;
	ioi-ext4) echo /mnt/disk/enc ;;
	ecryptfs) echo /mnt/disk/ecfs ;;
	gocryptfs) echo /mnt/disk/gocfs ;;
	fscrypt) echo /mnt/disk/fscrypt ;;
	esac
}

# The plain and peer configurations run without the module; ours with it,
# a key and a policy (which holds the module: unload it first).
module_off() {
	module_loaded || return 0
	ioctl-cli unload-policy > /dev/null 2>&1
	expect_rc 0 rmmod iointercept
}
module_on() {
	module_loaded && return 0
	expect_rc 0 modprobe iointercept
	expect_rc 0 ioctl-cli key generate
	load "scope cgroup /ioi-test
default allow
encrypt rw /mnt/t/enc/**
encrypt rw /mnt/disk/enc/**"
}

# bench CONFIG REPEAT WORKLOAD ioi-bench ARGS...
bench() {
	c=$1 r=$2 w=$3
	shift 3
	ns=$(ioi-bench "$@") || fail "$c $w: ioi-bench $*: $ns"
	[ -n "$ns" ] || fail "$c $w: no figure"
	# The cipher has no I/O: one figure, busy all along.
	case $ns in *" "*) ;; *) ns="$ns $ns" ;; esac
	echo "report: cmp $c $w $r $ns"
}

run_config() {
	c=$1 r=$2 d=$(dir_of $1)
	f=$d/bench
	rm -f $f
	sync
	bench $c $r seqwrite-4k write $f $MIB 4096
	rm -f $f
	sync
	bench $c $r seqwrite-1m write $f $MIB 1048576
	[ "$(stat -c %s $f)" = $((MIB * 1048576)) ] || fail "$c: $f has the wrong size"
	expect_rc 0 ioi-bench drop
	bench $c $r seqread-1m-cold read $f 1048576
	bench $c $r seqread-1m-warm read $f 1048576
	expect_rc 0 ioi-bench drop
	bench $c $r seqread-4k-cold read $f 4096
	bench $c $r seqread-4k-warm read $f 4096
	bench $c $r randread-4k randread $f $NRAND
	bench $c $r randwrite-4k randwrite $f $NRAND
	rm -f $f
	mkdir $d/files || fail "mkdir $d/files"
	t=$(ioi-bench files $d/files $NFILES 4096) || fail "$c files: $t"
	set -- $t
	[ $# = 6 ] || fail "$c files: '$t'"
	echo "report: cmp $c files-create $r $1 $2"
	echo "report: cmp $c files-read $r $3 $4"
	echo "report: cmp $c files-delete $r $5 $6"
	echo "report: cmp $c files $r $(($1 + $3 + $5)) $(($2 + $4 + $6))"
	rmdir $d/files || fail "rmdir $d/files"
}

r=1
while [ $r -le $REPEATS ]; do
	module_off
	for c in $CONFIGS; do
		case $c in ioi-*) module_on ;; esac
		run_config $c $r
	done
	module_off
	bench gcm $r seal cipher seal $MIB
	bench gcm $r open cipher open $MIB
	r=$((r + 1))
done

# Kernel memory per open encrypted file (slab growth with NHOLD files held
# open, against as many plain files), for small and large files.
module_on
for size in 4096 1048576; do
	i=0
	while [ $i -lt $NHOLD ]; do
		head -c $size /dev/zero > /mnt/t/enc/m$i
		head -c $size /dev/zero > /mnt/t/plain/m$i
		i=$((i + 1))
	done
	expect_rc 0 ioi-bench drop
	plain=$(ioi-bench hold /mnt/t/plain/m $NHOLD) || fail "hold: $plain"
	enc=$(ioi-bench hold /mnt/t/enc/m $NHOLD) || fail "hold: $enc"
	echo "report: mem open-file $size $((enc - plain))"
	rm -f /mnt/t/enc/m* /mnt/t/plain/m*
done

# Kernel memory per loaded rule: a policy of the most rules the module
# takes (1024 access, 128 encrypt) against one without rules. Slab counts
# kmalloc() of every size (large ones too, which come from the page
# allocator), VmallocUsed what kvmalloc() put in vmalloc space.
used() {
	ioi-bench drop > /dev/null || fail "drop"
	awk '/^Slab:/ { s = $2 } /^VmallocUsed:/ { v = $2 }
	     END { print (s + v) * 1024 }' /proc/meminfo
}
{
	echo "scope cgroup /ioi-test"
	echo "default allow"
	i=0
	while [ $i -lt 1024 ]; do
		echo "allow ro /srv/rules/dir$i/**"
		i=$((i + 1))
	done
	i=0
	while [ $i -lt 128 ]; do
		echo "encrypt rw /srv/enc/dir$i/**/*.pt"
		i=$((i + 1))
	done
} > /tmp/big.conf
printf 'scope cgroup /ioi-test\ndefault allow\n' > /tmp/small.conf
r=1
while [ $r -le $REPEATS ]; do
	expect_rc 0 ioctl-cli load-policy /tmp/small.conf
	small=$(used)
	expect_rc 0 ioctl-cli load-policy /tmp/big.conf
	big=$(used)
	echo "report: mem rule $r $(((big - small) / 1152))"
	r=$((r + 1))
done
expect_rc 0 ioctl-cli unload-policy

umount /mnt/disk/gocfs || fail "umount gocryptfs"
umount /mnt/disk/ecfs || fail "umount ecryptfs"
umount /mnt/t
echo "$old_modprobe" > /proc/sys/kernel/modprobe
exit 0
