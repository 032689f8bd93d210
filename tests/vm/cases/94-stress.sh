# SPDX-License-Identifier: GPL-2.0
# Under load: ioi-stress (tests/vm/ioi-stress.c) runs confined processes
# doing random writes, appends, truncates, renames, re-creates and reads
# on encrypted files (ext4 and tmpfs) and plain ones, every read checked
# against a shared model, while this script reloads the policy (two
# equivalent texts in turn) and adds and removes a second key. Then every
# file is checked offline against the model.
#
# The second key becomes the active one while it is loaded (the newest
# key seals new files), so files re-created or emptied and rewritten then
# are sealed under it; once it is removed they cannot be opened (ENOKEY)
# until it is added again. ioi-stress accepts that ENOKEY only for a file
# whose stored header names the second key, and the module must have
# counted each one.
#
# 8 s, 16 processes, 6 files a set, at least three rounds of key and
# policy changes; on the test kernel (where one ioctl-cli takes seconds)
# 6 s, 6 processes, 3 files a set, two rounds.
# IOI_STRESS_SECONDS and IOI_STRESS_PROCS (tests/vm/run --append) set
# them: make stress runs 60 s, 16 processes.
# requires: disk
. /tests/lib.sh

secs=8 procs=16 files=6 rounds_min=3
on_test_kernel && secs=6 procs=6 files=3 rounds_min=2
secs=${IOI_STRESS_SECONDS:-$secs}
procs=${IOI_STRESS_PROCS:-$procs}

d=/tmp/stress
e=/mnt/disk/stress
running=0
cleanup() {
	# A check failed with the workers still running: let them stop first
	# (ioi-stress writes rc when it is done).
	if [ $running = 1 ]; then
		touch $d/enough
		while [ ! -e $d/rc ]; do sleep 0.2; done
	fi
	ioctl-cli unload-policy > /dev/null 2>&1
	for k in $d/a.key $d/b.key; do
		[ -e $k ] && ioctl-cli key remove "$(ioctl-cli key id $k)" \
			> /dev/null 2>&1
	done
	umount $d-raw 2> /dev/null
	umount $e-raw 2> /dev/null
	rm -rf $d $d-raw $e $e-raw
}
trap cleanup EXIT
rm -rf $d $d-raw $e $e-raw
mkdir -p $d/enc $d/plain $d/model $d/selftest $d-raw $e/enc $e/plain $e-raw
# The stored bytes, by a name no rule covers: ioi-stress reads the header
# of a file that gave ENOKEY there, the checks below the whole files.
mount --bind $d/enc $d-raw || fail "cannot bind-mount $d/enc"
mount --bind $e/enc $e-raw || fail "cannot bind-mount $e/enc"

printf '%064x\n' 94 > $d/a.key
printf '%064x\n' 95 > $d/b.key
expect_rc 0 ioctl-cli key add --file $d/a.key
aid=$(cat $out)
expect_rc 0 ioctl-cli key id $d/b.key
bid=$(cat $out)

# Two texts, one behaviour: each reload swaps in a new policy object.
printf '%s\n' "scope cgroup /ioi-test" "default allow" \
	"encrypt rw $d/enc/**" "encrypt rw $e/enc/**" > $d/p0.conf
printf '%s\n' "# the same, said otherwise" "mode enforce" \
	"scope cgroup /ioi-test" "on-plaintext refuse" \
	"allow rw $d/**" "allow rw $e/**" "default allow" \
	"encrypt rw $e/enc/**" "encrypt rw $d/enc/**" > $d/p1.conf
expect_rc 0 ioctl-cli load-policy $d/p0.conf

# Found by the unlocked reads below, alone: an encrypted file unlinked
# while open is still read as plaintext through that descriptor, and its
# size must be the size those reads give, not the stored size (it was:
# the rules match names, and an unlinked file has none). ioi-stress
# checks it too. (Opening /proc/self/fd/5 again would open the stored
# bytes: a file is encrypted by the name it is opened under.)
head -c 5000 /dev/urandom > $d/plain/u
for f in $d/enc/u $e/enc/u; do
	cp $d/plain/u $f
	exec 5< $f
	rm $f
	expect_eq "$(stat -L -c %s /proc/self/fd/5)" 5000 "size of $f, unlinked"
	expect_rc 0 cmp $d/plain/u - <&5
	exec 5<&-
done

# The checker checks: models changed behind the files' back are caught.
expect_rc 1 confined ioi-stress -X -p 4 -t 1 plain:$d/selftest
expect_out "data differs at offset"

denied=$(stat_of denied)
exdev=$(stat_of exdev)
integrity=$(stat_of integrity_failures)
nokey=$(stat_of nokey)

running=1
(
	confined ioi-stress -p $procs -t $secs -f $files -u $d/enough \
		-K $bid -o $d/model \
		enc:$e/enc:$e-raw enc:$d/enc:$d-raw \
		plain:$e/plain plain:$d/plain > $d/log 2>&1
	echo $? > $d/rc.new
	mv $d/rc.new $d/rc
) &
start=$(cut -d' ' -f1 /proc/uptime)
rounds=0
# Until it is done: the second key in, the other text, the key out, the
# first text. Every step must succeed; the first key stays loaded. The
# workers run on (-u) until enough rounds are done, however slow the kernel.
while [ ! -e $d/rc ]; do
	expect_rc 0 ioctl-cli key add --file $d/b.key
	expect_eq "$(cat $out)" "$bid" "second key's id"
	expect_rc 0 ioctl-cli load-policy $d/p1.conf
	expect_rc 0 ioctl-cli key remove $bid
	expect_rc 0 ioctl-cli load-policy $d/p0.conf
	rounds=$((rounds + 1))
	[ $rounds = $rounds_min ] && touch $d/enough
done
# rc is there: ioi-stress is done (busybox's wait once took a minute more).
running=0
end=$(cut -d' ' -f1 /proc/uptime)
sed 's/^/  | /' $d/log
expect_eq "$(cat $d/rc)" 0 "ioi-stress's exit status"
grep -q '^ioi-stress: OK nokey=' $d/log || fail "ioi-stress did not finish"
# Its figures, and ours, go to the host (tests/vm/init: "report:").
grep -E '^ioi-stress: (procs|OK)' $d/log | sed 's/^/report: /'
echo "report: 94-stress: $rounds rounds of key add, reload, key remove, reload in $(echo "$end $start" | awk '{printf "%.1f", $1 - $2}') s"
[ $rounds -ge $rounds_min ] || fail "only $rounds rounds of reloads and key changes ran"

# Every ENOKEY the workers saw is one the module counted, and nothing
# was denied, refused as a move between encrypt modes, or failed
# authentication.
seen=$(sed -n 's/^ioi-stress: OK nokey=\([0-9]*\).*/\1/p' $d/log)
expect_eq $(($(stat_of nokey) - nokey)) "$seen" "nokey counted by the module"
expect_eq $(($(stat_of denied) - denied)) 0 "denials"
expect_eq $(($(stat_of exdev) - exdev)) 0 "refused moves (EXDEV)"
expect_eq $(($(stat_of integrity_failures) - integrity)) 0 "integrity failures"

# Offline: each encrypted file decrypts, with the key its header names,
# to the model; plain files are the model.
expect_rc 0 ioctl-cli unload-policy
n=0 underb=0
while read -r kind file model; do
	n=$((n + 1))
	# An empty file is stored empty: no header until there is data.
	if [ $kind = plain ] || [ ! -s "$model" ]; then
		expect_rc 0 cmp "$file" "$model"
		continue
	fi
	# The key identifier, bytes 8-23 of the header (docs/format.md).
	id=$(od -An -tx1 -j8 -N16 "$file" | tr -d ' \n')
	case "$id" in
	$aid) key=$d/a.key ;;
	$bid) key=$d/b.key underb=$((underb + 1)) ;;
	*) fail "$file: sealed under key '$id', neither of ours" ;;
	esac
	expect_rc 0 ioctl-cli decrypt --key $key "$file" $d/dec
	expect_rc 0 cmp $d/dec "$model"
	[ "$(stat -c %s "$model")" -gt 16 ] && cmp -s "$file" "$model" &&
		fail "$file is stored in the clear"
done < $d/model/manifest
expect_eq $n $((4 * files)) "files in the manifest"
echo "report: 94-stress: $underb encrypted files sealed under the second key at the end"
exit 0
