# SPDX-License-Identifier: GPL-2.0
# ioctl-cli monitor, text and JSON, against the live module: a file name
# made to forge log lines stays inside one line and one JSON string.
# requires: hostroot
. /tests/lib.sh

mkdir -p /tmp/mon/ro
name=$(printf 'a\nb\033[31m"q\\\377z')
echo data > "/tmp/mon/ro/$name"
rules="scope cgroup /ioi-test
system /bin/**
system /usr/bin/**"
load "$rules"

ioctl-cli monitor --json > /tmp/mon/json 2> /tmp/mon/json.err &
mj=$!
ioctl-cli monitor > /tmp/mon/text 2> /tmp/mon/text.err &
mt=$!
# Both listen once each has printed an event: load until they have.
n=0
until grep -q '"policy-load"' /tmp/mon/json &&
      grep -q ' policy-load ' /tmp/mon/text; do
	n=$((n + 1))
	[ $n -le 500 ] || fail "the monitors saw none of $n policy loads"
	expect_rc 0 ioctl-cli load-policy $policy
done

ctry EACCES read "/tmp/mon/ro/$name"
expect_rc 0 ioctl-cli unload-policy
until grep -q '"policy-unload"' /tmp/mon/json &&
      grep -q ' policy-unload' /tmp/mon/text; do
	kill -0 $mj && kill -0 $mt || fail "a monitor died: $(cat /tmp/mon/*.err)"
done
kill -TERM $mj $mt
wait $mj || fail "monitor --json exited $? on SIGTERM"
wait $mt || fail "monitor exited $? on SIGTERM"

# Text: one line for the denial, the name escaped in it.
grep ' denied open ' /tmp/mon/text > /tmp/mon/denied ||
	fail "no denial in: $(cat /tmp/mon/text)"
expect_eq "$(wc -l < /tmp/mon/denied)" 1 "lines of the denial"
grep -qF 'path="/tmp/mon/ro/a\nb\x1b[31m\"q\\\xffz"' /tmp/mon/denied ||
	fail "escaped name not in: $(cat /tmp/mon/denied)"
grep -q 'errno=EACCES' /tmp/mon/denied || fail "errno: $(cat /tmp/mon/denied)"
grep -q 'cgroup="/ioi-test"' /tmp/mon/denied || fail "cgroup: $(cat /tmp/mon/denied)"

# JSON: every line parses; the denial has the right fields and the name.
hostrun python3 -c '
import json, sys
events = [json.loads(line) for line in sys.stdin]
denied = [e for e in events if e["type"] == "denied"]
assert len(denied) == 1, denied
d = denied[0]
want = "/tmp/mon/ro/a\nb\x1b[31m\"q" + "\\\\" + "\\xffz"
assert d["path"] == want, (d["path"], want)
assert d["op"] == "open" and d["errno"] == 13, d
assert d["errno_name"] == "EACCES" and d["cgroup"] == "/ioi-test", d
assert d["comm"] == "ioi-try" and d["uid"] == 0 and d["rule"] == -1, d
assert "pattern" not in d, d
seqs = [e["seq"] for e in events if "seq" in e]
assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
assert events[-1]["type"] == "policy-unload", events[-1]
' < /tmp/mon/json || fail "monitor --json: $(cat /tmp/mon/json)"

# log-paths redact: the last component is HMAC-SHA-256 under a key made
# from the master key (docs/policy.md), the same for the same name.
key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
expect_rc 0 genl 5 6:bin:$key
trap 'genl 8 7:bin:c7057dd824e7be1e73b5f7d36801d036 > /dev/null 2>&1' EXIT
echo data > /tmp/mon/ro/secret.csv
load "$rules
log-paths redact"
ioctl-cli monitor --json > /tmp/mon/red 2> /tmp/mon/red.err &
mj=$!
n=0
until grep -q '"policy-load"' /tmp/mon/red; do
	n=$((n + 1))
	[ $n -le 500 ] || fail "the monitor saw none of $n policy loads"
	expect_rc 0 ioctl-cli load-policy $policy
done
ctry EACCES read /tmp/mon/ro/secret.csv
ctry EACCES read /tmp/mon/ro/secret.csv
ctry EACCES read "/tmp/mon/ro/$name"
expect_rc 0 ioctl-cli unload-policy
until grep -q '"policy-unload"' /tmp/mon/red; do
	kill -0 $mj || fail "the monitor died: $(cat /tmp/mon/red.err)"
done
kill -TERM $mj
wait $mj || fail "monitor --json exited $? on SIGTERM"
hostrun python3 -c '
import hashlib, hmac, json, sys
master = bytes(range(32))
prk = hmac.new(bytes(32), master, hashlib.sha256).digest()
key = hmac.new(prk, b"iointercept log redaction\x01", hashlib.sha256).digest()
def red(name):
    return "/tmp/mon/ro/#" + hmac.new(key, name, hashlib.sha256).digest()[:8].hex()
events = [json.loads(line) for line in sys.stdin]
paths = [e["path"] for e in events if e["type"] == "denied"]
name = b"a\nb\x1b[31m\"q\\\xffz"
want = [red(b"secret.csv"), red(b"secret.csv"), red(name)]
assert paths == want, (paths, want)
' < /tmp/mon/red || fail "redacted paths: $(cat /tmp/mon/red)"
exit 0
