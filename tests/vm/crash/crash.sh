# SPDX-License-Identifier: GPL-2.0
# Crash consistency of encrypted files on ext4, one half per boot; driven
# by tests/vm/crash/run, which boots the write half (IOI_CRASH_PHASE=write,
# ending in a reset with writes in flight) and then the check half on the
# same disk. IOI_CRASH_SEED chooses the plan and the crash point,
# IOI_CRASH_KEY (64 hex digits) is the master key of both boots.
# requires: disk
. /tests/lib.sh

: "${IOI_CRASH_PHASE:?}" "${IOI_CRASH_SEED:?}" "${IOI_CRASH_KEY:?}"
dir=/mnt/disk/crash
key=/tmp/crash/key
mkdir -p /tmp/crash
printf '%s\n' "$IOI_CRASH_KEY" > $key
expect_rc 0 ioctl-cli key add --file $key
id=$(cat $out)

if [ "$IOI_CRASH_PHASE" = write ]; then
	rm -rf $dir
	mkdir -p $dir/rw $dir/wo
	sync
	load "scope cgroup /ioi-test
default allow
encrypt rw $dir/rw/**
encrypt wo $dir/wo/**"
	# Odd seeds: the flusher writes back whatever is 50 ms old, every
	# 50 ms, so pages of the writes after the last fsync reach the disk
	# in any order; even seeds keep the kernel's defaults (30 s), and
	# only what the crash point starts is in flight.
	if [ $((IOI_CRASH_SEED % 2)) = 1 ]; then
		echo 5 > /proc/sys/vm/dirty_writeback_centisecs
		echo 5 > /proc/sys/vm/dirty_expire_centisecs
	fi
	ioi-crash write -c "$IOI_CRASH_SEED" $dir
	fail "ioi-crash write returned ($?) instead of crashing the machine"
fi

[ "$IOI_CRASH_PHASE" = check ] || fail "IOI_CRASH_PHASE is write or check"
[ -f $dir/journal ] || fail "no journal on the disk: did the write boot run?"
# The wo file is in the same format: read it through an rw rule.
both="scope cgroup /ioi-test
default allow
encrypt rw $dir/rw/**
encrypt rw $dir/wo/**"
load "$both"
ioi-crash check "$IOI_CRASH_SEED" $dir > /tmp/crash/check 2>&1
rc=$?
cat /tmp/crash/check
[ $rc = 0 ] || fail "ioi-crash check failed ($rc)"

# inspect names exactly the blocks that read as EIO.
expect_rc 0 ioctl-cli unload-policy
inspect() {
	ioctl-cli inspect --key $key $dir/$1/data > /tmp/crash/inspect 2>&1
	irc=$?
	sed -n 's/^  bad block \([0-9]*\) at offset .*/\1/p' /tmp/crash/inspect \
		> /tmp/crash/bad
}
# So does it of the end record: bad when a read at the end failed.
for f in rw wo; do
	sed -n "s/^eio $f //p" /tmp/crash/check > /tmp/crash/eio
	inspect $f
	cat /tmp/crash/inspect
	# Its block count, for the repair below.
	sed -n 's/^  blocks: //p' /tmp/crash/inspect > /tmp/crash/blocks-$f
	end=0 iend=0
	grep -qx "end $f" /tmp/crash/check && end=1
	grep -q '^  bad end record' /tmp/crash/inspect && iend=1
	if [ -s /tmp/crash/eio ] || [ $end = 1 ]; then
		expect_eq $irc 1 "inspect's exit status for $f (blocks or end fail)"
	else
		expect_eq $irc 0 "inspect's exit status for $f (all verify)"
	fi
	cmp -s /tmp/crash/eio /tmp/crash/bad ||
		fail "$f: inspect's bad blocks ($(echo $(cat /tmp/crash/bad))) are not the blocks that read EIO ($(echo $(cat /tmp/crash/eio)))"
	expect_eq $iend $end "$f: inspect's verdict on the end record (1: bad) against the read at the end"
done

# ioctl-cli repair gives each file an end again (and leaves alone one
# whose end verifies). After it, through the module: every block synced
# and not written since still reads intact, the end verifies (check -r),
# and the file grows again.
for f in rw wo; do
	sha=$(sha256sum < $dir/$f/data)
	# The last block that verified before (inspect's bad blocks were
	# the EIO ones, checked above): repair must keep it.
	sed -n "s/^eio $f //p" /tmp/crash/check > /tmp/crash/eio
	blocks=$(cat /tmp/crash/blocks-$f)
	g=$((${blocks:-0} - 1))
	while [ $g -ge 0 ] && grep -qx $g /tmp/crash/eio; do g=$((g - 1)); done
	expect_rc 0 ioctl-cli repair --key $key $dir/$f/data
	cat $out
	if grep -qx "end $f" /tmp/crash/check; then
		expect_out "the end does not verify; kept"
	else
		expect_out "the end record verifies, nothing to repair"
		expect_eq "$(sha256sum < $dir/$f/data)" "$sha" "$f: untouched by repair"
	fi
	# Only blocks that failed before can fail now: none was damaged.
	inspect $f
	grep -q '^  end record: at offset [0-9]*, verified$' /tmp/crash/inspect ||
		fail "$f: the end record does not verify after repair"
	blocks=$(sed -n 's/^  blocks: //p' /tmp/crash/inspect)
	[ "$blocks" -gt $g ] ||
		fail "$f: repair kept $blocks blocks, but block $g verified"
	if [ -s /tmp/crash/bad ]; then
		expect_eq $irc 1 "inspect's exit status for $f after repair (blocks fail)"
	else
		expect_eq $irc 0 "inspect's exit status for $f after repair"
	fi
	sort /tmp/crash/eio > /tmp/crash/eio.s
	sort /tmp/crash/bad > /tmp/crash/bad.s
	new=$(comm -13 /tmp/crash/eio.s /tmp/crash/bad.s)
	[ -z "$new" ] || fail "$f: blocks $(echo $new) fail after repair, not before"
done
load "$both"
ioi-crash check -r "$IOI_CRASH_SEED" $dir > /tmp/crash/check-r 2>&1
rc=$?
cat /tmp/crash/check-r
[ $rc = 0 ] || fail "ioi-crash check -r after repair failed ($rc)"
for f in rw wo; do
	expect_rc 0 sh -c "printf 'grown again' >> $dir/$f/data"
	expect_rc 0 tail -c 11 $dir/$f/data
	expect_out "grown again"
done
expect_rc 0 ioctl-cli unload-policy

# A torn block, as a crash can leave one: the first half of a new seal of
# a block over its older seal. It must read EIO and inspect must name it
# along with the blocks that failed before.
inspect rw
cp /tmp/crash/bad /tmp/crash/eio
t=0
while grep -qx $t /tmp/crash/eio; do t=$((t + 1)); done
B=4124
at=$((20 + t * B / 4))	# the block's offset in 4-byte units
rules="scope cgroup /ioi-test
default allow
encrypt rw $dir/rw/**"
dd if=$dir/rw/data of=/tmp/crash/old bs=4 skip=$at count=$((B / 4)) 2>/dev/null
load "$rules"
expect_rc 0 dd if=$dir/rw/data of=/tmp/crash/plain bs=4096 skip=$t count=1
# the same plaintext sealed again: a new nonce, another ciphertext
expect_rc 0 dd if=/tmp/crash/plain of=$dir/rw/data bs=4096 seek=$t count=1 conv=notrunc
expect_rc 0 ioctl-cli unload-policy
dd if=$dir/rw/data of=/tmp/crash/new bs=4 skip=$at count=$((B / 4)) 2>/dev/null
cmp -s /tmp/crash/old /tmp/crash/new && fail "block $t was not sealed again"
dd if=/tmp/crash/new of=$dir/rw/data bs=4 seek=$at count=512 conv=notrunc 2>/dev/null
dd if=/tmp/crash/old of=$dir/rw/data bs=4 seek=$((at + 512)) skip=512 \
	count=$((B / 4 - 512)) conv=notrunc 2>/dev/null
load "$rules"
expect_rc 1 dd if=$dir/rw/data of=/dev/null bs=4096 skip=$t count=1
expect_out "Input/output error"
expect_rc 0 ioctl-cli unload-policy
inspect rw
expect_eq $irc 1 "inspect's exit status with a torn block $t"
(cat /tmp/crash/eio; echo $t) | sort -n > /tmp/crash/eio-torn
cmp -s /tmp/crash/eio-torn /tmp/crash/bad ||
	fail "torn block $t: inspect names $(echo $(cat /tmp/crash/bad)), not $(echo $(cat /tmp/crash/eio-torn))"

expect_rc 0 ioctl-cli key remove "$id"
