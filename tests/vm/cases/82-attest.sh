# SPDX-License-Identifier: GPL-2.0
# ioctl-cli attest through the configfs TSM report interface, against a
# directory laid out like it (Debian's 6.1 has no configfs-tsm, and no TEE
# was available): a responder plays the kernel's part, answering the read
# of outblob (a FIFO here) with a report that embeds inblob, and bumping
# generation as the kernel does on a write of inblob. Checks that the
# report data is the measurement and the nonce, that a generation that
# moved by more than one fails, and the argument errors.
. /tests/lib.sh

S=/sys/kernel/iointercept
T=/tmp/tsm/report
E=$T/iointercept
nonce=00112233445566778899aabbccddeeff0011223344556677
m=$(cat $S/measurement)

# fake_tsm STEP: an entry whose generation is 5, and a responder that, once
# outblob is opened, sets it to 5 + STEP and writes "FAKE-REPORT" + inblob.
fake_tsm() {
	rm -rf /tmp/tsm
	mkdir -p $E
	echo 5 > $E/generation
	echo fake_guest > $E/provider
	: > $E/inblob
	mkfifo $E/outblob
	(
		exec 4> $E/outblob
		echo $((5 + $1)) > $E/generation.new
		mv $E/generation.new $E/generation
		printf FAKE-REPORT >&4
		cat $E/inblob >&4
	) &
	responder=$!
}

fake_tsm 1
expect_rc 0 ioctl-cli attest --nonce $nonce --out /tmp/report --tsm-dir $T
wait $responder
expect_out "$m"
expect_out fake_guest
expect_eq "$(head -c 11 /tmp/report)" FAKE-REPORT "report header"
expect_eq "$(wc -c < /tmp/report)" $((11 + 64)) "report size"
data=$(tail -c 64 /tmp/report | od -An -v -tx1 | tr -d ' \n')
padded=$(printf '%-64s' $nonce | tr ' ' 0)
expect_eq "$data" "$m$padded" "report data = measurement || nonce"

# Without --nonce, the second half is zeros.
fake_tsm 1
expect_rc 0 ioctl-cli attest --out /tmp/report2 --tsm-dir $T
wait $responder
data=$(tail -c 64 /tmp/report2 | od -An -v -tx1 | tr -d ' \n')
expect_eq "$data" "$m$(printf '%064d' 0)" "report data without a nonce"

# Another writer meanwhile: the generation moved by two. No report kept.
fake_tsm 2
expect_rc 1 ioctl-cli attest --nonce $nonce --out /tmp/report3 --tsm-dir $T
wait $responder
expect_out "another writer"
[ -e /tmp/report3 ] && fail "a failed attest left its output file"

# Not a TSM directory, and bad arguments: nothing done, clear errors.
rm -rf /tmp/tsm
mkdir -p $T
expect_rc 1 ioctl-cli attest --out /tmp/report4 --tsm-dir $T
expect_out "TSM"
[ -e /tmp/report4 ] && fail "attest left /tmp/report4"
expect_rc 2 ioctl-cli attest --nonce ${nonce}0 --out /tmp/report4 --tsm-dir $T
expect_out "hex"
expect_rc 2 ioctl-cli attest --nonce $(printf '%066d' 0) --out /tmp/report4 --tsm-dir $T
expect_out "32 bytes"
expect_rc 2 ioctl-cli attest --nonce zz --out /tmp/report4 --tsm-dir $T
expect_out "hex"
expect_rc 2 ioctl-cli attest --nonce $nonce
expect_out "--out"
[ -e /tmp/report4 ] && fail "attest left /tmp/report4"
rm -rf /tmp/tsm
exit 0
