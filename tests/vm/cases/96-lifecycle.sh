# SPDX-License-Identifier: GPL-2.0
# What happens to open encrypted files when the module, a key or the
# policy goes away under them (docs/design.md, "Lifecycle"), with a
# confined worker creating, writing and reading back encrypted and plain
# files all the while (ioi-open traffic).
. /tests/lib.sh

d=/tmp/lc
rm -rf $d
mkdir -p $d/enc $d/plain $d/held
printf '%064x\n' 961 > $d/k1
printf '%064x\n' 962 > $d/k2
rules="scope cgroup /ioi-test
default allow
encrypt rw $d/enc/**"
p1="$rules
encrypt rw $d/held/**"
p2="$rules
encrypt wo $d/held/**"

# Three files sealed under k1 alone.
expect_rc 0 ioctl-cli key add --file $d/k1
k1=$(cat $out)
load "$p1"
for f in a b c; do
	head -c 10000 /dev/urandom > $d/exp_$f
	expect_rc 0 cp $d/exp_$f $d/held/$f
done
# k2 seals what is created from now on: the worker's files.
expect_rc 0 ioctl-cli key add --file $d/k2
k2=$(cat $out)

# The worker, in the confined cgroup (its pid is ioi-open's: sh execs it).
start_traffic() {
	rm -f $d/tr
	mkfifo $d/tr
	sh -c "echo \$\$ > $CG/cgroup.procs && exec ioi-open traffic $d" > $d/tr 2>&1 &
	tpid=$!
	exec 9< $d/tr
	read -r line <&9
	expect_eq "$line" started "traffic"
}
# stop_traffic PHASE [ALLOWED]: it stops after two more rounds; each error
# it saw must match ALLOWED ("OP DIR ERRNO", an extended regexp), and
# nothing may ever read back other than written.
stop_traffic() {
	kill -USR1 $tpid
	cat <&9 > $d/tr.out
	exec 9<&-
	wait $tpid || fail "traffic exited $?"
	grep -q '^rounds ' $d/tr.out || fail "traffic: no summary"
	grep '^mismatch' $d/tr.out | grep -qv ' 0$' &&
		{ cat $d/tr.out; fail "traffic ($1): data read back wrong"; }
	grep '^error' $d/tr.out | grep -qvE "^error (${2:-none}) [0-9]+$" &&
		{ cat $d/tr.out; fail "traffic ($1): unexpected errors"; }
	echo "report: traffic during $1: $(grep -v '^mismatch' $d/tr.out | tr '\n' ' ')"
}

# The holder: files a and b open read-write through the shim, and
# commands for it ("get I OUT", "put I SRC OFF", "close I").
hold_start $d $d/held/a $d/held/b
# put_both SEED OFF: write 3000 new bytes at OFF into a and b through the
# held descriptors, and into the expected contents.
put_both() {
	head -c 3000 /dev/urandom > $d/patch
	held ok put 0 $d/patch $2
	held ok put 1 $d/patch $2
	for f in a b; do
		dd if=$d/patch of=$d/exp_$f bs=1000 seek=$(($2 / 1000)) conv=notrunc 2> /dev/null
	done
}
# check_held: a and b read back through the held descriptors as expected.
check_held() {
	held ok get 0 $d/got
	expect_rc 0 cmp $d/exp_a $d/got
	held ok get 1 $d/got
	expect_rc 0 cmp $d/exp_b $d/got
}
check_held
expect_eq "$(stat_of encrypted_open)" 2 "encrypted_open with a and b held"

# 1. Key removal with files open. Files open keep the file key they
# derived and go on reading and writing; a new open of a file sealed
# under the removed key is ENOKEY, even of a file held open elsewhere.
start_traffic
expect_rc 0 ioctl-cli key remove $k1
expect_eq "$(cat $out)" "2 open files still use this key until closed" "key remove k1"
put_both 1 5000
check_held
try ENOKEY read $d/held/a
try ENOKEY read $d/held/c
try ENOKEY open $d/held/b w
stop_traffic "removal of k1, the worker's files under k2"
# Without any key the worker's creations fail, and only them.
start_traffic
expect_rc 0 ioctl-cli key remove $k2
try ENOKEY open $d/enc/new creat
put_both 2 12000
check_held
expect_rc 0 ioctl-cli key add --file $d/k2
expect_rc 0 ioctl-cli key add --file $d/k1
stop_traffic "removal of every key" "(open|write) enc ENOKEY"
# The keys are back: new opens work again.
try ok read $d/held/c
expect_rc 0 cmp $d/exp_a $d/held/a
expect_rc 0 cmp $d/exp_c $d/held/c

# 2. Policy unload under traffic. The worker goes on, unconfined and
# unencrypted: no errors. The held files were opened encrypted and stay
# so through their descriptors; a new open sees the stored bytes.
start_traffic
expect_rc 0 ioctl-cli unload-policy
put_both 3 1000
check_held
cmp -s $d/exp_a $d/held/a && fail "a new open after unload-policy read plaintext"
cp $d/held/a $d/raw
expect_eq "$(head -c 4 $d/raw)" IOIE "a new open after unload-policy: stored bytes"
expect_rc 0 ioctl-cli decrypt --key $d/k1 $d/raw $d/dec
expect_rc 0 cmp $d/exp_a $d/dec

# 3. Module unload with encrypted files open: refused while they are
# (the shim's references; no policy holds one now), forced or not.
try EAGAIN delete-module iointercept
try EPERM delete-module-force iointercept
module_loaded || fail "the module went with encrypted files open"
[ "$(cat /sys/module/iointercept/refcnt)" -ge 2 ] ||
	fail "refcnt $(cat /sys/module/iointercept/refcnt) with two files held"
check_held
stop_traffic "unload-policy and rmmod"
# Written in the clear after the unload, as the design says.
for f in $d/enc/w*; do
	[ "$(head -c 4 $f)" = IOIE ] && fail "$f written encrypted without a policy"
done

# 4. Policy reload under traffic, to a changed policy: held files become
# wo. The held descriptors keep their rw shim; new opens follow the new
# rule and read the stored bytes, never plaintext.
load "$p1"
start_traffic
load "$p2"
cp $d/held/a $d/raw
cmp -s $d/exp_a $d/raw && fail "a new wo open of a file held open rw read plaintext"
expect_rc 0 ioctl-cli decrypt --key $d/k1 $d/raw $d/dec
expect_rc 0 cmp $d/exp_a $d/dec
put_both 4 7000
check_held
load "$p1"
expect_rc 0 cmp $d/exp_b $d/held/b
stop_traffic "two policy reloads"

# Closing the held files releases the module: the policy's reference is
# the last one, and without it the module unloads.
held ok close 0
held ok close 1
hold_stop
expect_eq "$(stat_of encrypted_open)" 0 "encrypted_open after close"
expect_eq "$(cat /sys/module/iointercept/refcnt)" 1 "refcnt with only the policy"
expect_rc 0 ioctl-cli unload-policy
expect_rc 0 rmmod iointercept
module_loaded && fail "still loaded after rmmod"
expect_rc 0 modprobe iointercept

# Everything written through the held descriptors, after the key's
# removal and after the policy's, decrypts offline with k1.
for f in a b c; do
	expect_rc 0 ioctl-cli decrypt --key $d/k1 $d/held/$f $d/dec
	expect_rc 0 cmp $d/exp_$f $d/dec
done
rm -rf $d
exit 0
