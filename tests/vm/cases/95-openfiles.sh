# SPDX-License-Identifier: GPL-2.0
# 10,000 encrypted files open at once in one process (1,000 on the test
# kernel, where KASAN makes each open ten times slower): each reads back
# through the shim, the stats/encrypted_open gauge counts them, and the
# memory they cost is reported and returned once they are closed. The
# same files unencrypted are the baseline, so the module's own share per
# file is the difference. Then the module unloads.
. /tests/lib.sh

n=10000
on_test_kernel && n=1000
size=100
d=/tmp/of
rm -rf $d
mkdir -p $d/enc $d/plain
printf '%064x\n' 95 > $d/key
expect_rc 0 ioctl-cli key add --file $d/key
kid=$(cat $out)
load "scope cgroup /ioi-test
default allow
encrypt rw $d/enc/**"

expect_rc 0 ioi-open create $d/plain $n $size
expect_rc 0 ioi-open create $d/enc $n $size
expect_eq "$(stat -c %s $d/enc/f00000)" $size "plaintext size"

# Unreclaimable slab (kB): file structures, the module's per-inode state
# and cipher contexts are all there. slabinfo rows say which caches. Each
# reading first shrinks every cache: SLUB gives back the empty slabs it
# keeps, and on the test kernel KASAN releases the freed objects it holds
# in quarantine (kmem_cache_shrink() empties the cache's share of it).
# The kernel's shrinkers run first (drop_caches 2): a closed encrypted
# file's state stays, with its key and its cached blocks, until its inode
# goes or memory is short (docs/design.md, "Plaintext cache").
sunreclaim() {
	echo 2 > /proc/sys/vm/drop_caches
	for f in /sys/kernel/slab/*/shrink; do echo 1 > $f; done 2> /dev/null
	awk '/^SUnreclaim:/ { print $2 }' /proc/meminfo
}
slabs() {
	awk 'NR > 2 { print $1, $2, $4 }' /proc/slabinfo > $1
}
# Caches whose object count moved by at least n/2 between two snapshots.
slabdiff() {
	awk -v min=$((n / 2)) 'NR == FNR { a[$1] = $2; next }
		($1 in a) && ($2 - a[$1] >= min || a[$1] - $2 >= min) {
			printf "%s %+d x %d B; ", $1, $2 - a[$1], $3
		}' $1 $2
}

# hold DIR: ioi-open keeps DIR's n files open until release.
hold() {
	rm -f $d/go $d/res
	mkfifo $d/go $d/res
	ioi-open many $1 $n $size < $d/go > $d/res 2>&1 &
	pid=$!
	exec 7> $d/go 8< $d/res
	read -r line <&8
	expect_eq "$line" "open $n" "ioi-open many $1"
}
release() {
	exec 7>&-
	read -r line <&8
	exec 8<&-
	expect_eq "$line" "closed $n" "ioi-open many, closing"
	wait $pid || fail "ioi-open many exited $?"
}

# wait_back BASE GROWTH: SUnreclaim comes back to within 10 % of GROWTH
# above BASE. Files are freed after an RCU grace period, so this waits for
# it, 20 s at most. What may stay: partly used slabs of the caches the
# files were in, which other allocations share, a few pages per cache and
# CPU, well under 10 % of thousands of objects.
wait_back() {
	i=0
	while [ $(($(sunreclaim) - $1)) -ge $(($2 / 10)) ]; do
		i=$((i + 1))
		[ $i -le 40 ] || fail "slab not returned: $(sunreclaim) kB, was $1 kB before $2 kB of growth"
		sleep 0.5
	done
}

g0=$(stat_of encrypted_open)
expect_eq "$g0" 0 "encrypted_open before"

# (sunreclaim first: slabinfo counts what it shrinks away as in use)
m0=$(sunreclaim)
slabs $d/s0
t0=$(cut -d' ' -f1 /proc/uptime)
hold $d/plain
t1=$(cut -d' ' -f1 /proc/uptime)
m1=$(sunreclaim)
slabs $d/s1
expect_eq "$(stat_of encrypted_open)" 0 "encrypted_open with plain files open"
release
wait_back $m0 $((m1 - m0))
m2=$(sunreclaim)

slabs $d/s2
t2=$(cut -d' ' -f1 /proc/uptime)
hold $d/enc
t3=$(cut -d' ' -f1 /proc/uptime)
m3=$(sunreclaim)
slabs $d/s3
expect_eq "$(stat_of encrypted_open)" $n "encrypted_open with $n encrypted files open"
expect_eq "$(cat /sys/module/iointercept/refcnt)" $((n + 1)) "module references (files and the policy)"
release
expect_eq "$(stat_of encrypted_open)" 0 "encrypted_open after close"
wait_back $m2 $((m3 - m2))
m4=$(sunreclaim)
expect_eq "$(cat /sys/module/iointercept/refcnt)" 1 "module references after close (the policy)"

plain=$((m1 - m0))
enc=$((m3 - m2))
[ $enc -gt $plain ] || fail "encrypted files cost no more than plain ones ($enc <= $plain kB)"
echo "report: $n files open at once: plain +$plain kB SUnreclaim ($((plain * 1024 / n)) B/file), encrypted +$enc kB ($((enc * 1024 / n)) B/file), the module's share $(((enc - plain) * 1024 / n)) B/file"
echo "report: after close: plain back to +$((m2 - m0)) kB, encrypted back to +$((m4 - m2)) kB"
echo "report: opening $n: plain $(echo "$t1 $t0" | awk '{ print $1 - $2 }') s, encrypted $(echo "$t3 $t2" | awk '{ print $1 - $2 }') s (with the read of one byte each)"
echo "report: slab caches, plain: $(slabdiff $d/s0 $d/s1)"
echo "report: slab caches, encrypted: $(slabdiff $d/s2 $d/s3)"

# With nothing open and no policy, the module goes.
expect_rc 0 ioctl-cli unload-policy
expect_rc 0 ioctl-cli key remove $kid
rm -rf $d
m5=$(sunreclaim)
expect_rc 0 rmmod iointercept
module_loaded && fail "still loaded after rmmod"
echo "report: SUnreclaim before rmmod $m5 kB, after $(sunreclaim) kB"
expect_rc 0 modprobe iointercept
exit 0
