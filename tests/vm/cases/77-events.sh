# SPDX-License-Identifier: GPL-2.0
# Security events (docs/monitoring.md) on both channels at once, the audit
# subsystem and the "events" netlink group, heard by tests/vm/events.py
# and checked against what this script really did: each type of event,
# its fields (pid, comm, cgroup, rule, pattern), a file name full of bytes
# that could forge a log line and a 255-byte one, sequence numbers without
# gaps, the counters. Then a flood of denials: rate limited, every lost
# event a gap in the sequence, no memory kept.
# requires: hostroot
. /tests/lib.sh

# Host programs run chrooted in /host, where /host/tmp is /tmp.
H=/host/tmp
# A fresh module: sequence numbers from 1, counters from 0.
expect_rc 0 rmmod iointercept
expect_rc 0 modprobe iointercept

# A listener left behind by a failure must not stay the audit daemon.
cleanup() {
	[ -s $H/ev.lpid ] && kill $(cat $H/ev.lpid) 2> /dev/null
	rm -f $H/ev.lpid
}
trap cleanup EXIT
trap 'exit 143' TERM

hex() { printf %s "$1" | od -An -v -tx1 | tr -d ' \n'; }

# listen OUT ARGS...: events.py listening in the background, writing OUT
# (under $H); returns once it has joined both channels.
listen() {
	lout=$1
	shift
	rm -f $H/$lout $H/ev.fifo
	mkfifo $H/ev.fifo
	hostrun python3 - listen /tmp/$lout --pidfile /tmp/ev.lpid "$@" \
		< /tests/events.py > $H/ev.fifo 2> $H/$lout.err &
	lpid=$!
	read -r line < $H/ev.fifo
	[ "$line" = ready ] ||
		{ sed 's/^/  | /' $H/$lout.err; fail "events.py did not start"; }
}
# heard: the listener must end, having heard its marker on both channels.
heard() {
	wait $lpid
	rc=$?
	rm -f $H/ev.lpid
	[ $rc = 0 ] || { sed 's/^/  | /' $H/$lout.err; fail "events.py exited $rc"; }
}
# prun CMD...: CMD must succeed, its output in $out and its pid in $rpid.
prun() {
	sh -c 'echo $$ > /tmp/ev.pid && exec "$@"' prun "$@" > $out 2>&1 ||
		{ sed 's/^/  | /' $out; fail "'$*' failed"; }
	rpid=$(cat /tmp/ev.pid)
}
# tryp WANT [-c] ARGS...: ioi-try ARGS must print WANT; -c: from inside
# the confined cgroup. Its pid in $tpid.
tryp() {
	want=$1
	shift
	join=true
	if [ "$1" = -c ]; then
		join="echo \$\$ > $CG/cgroup.procs"
		shift
	fi
	got=$(sh -c 'echo $$ > /tmp/ev.pid && '"$join"' && exec ioi-try "$@"' \
		ioi-try "$@" 2>&1)
	tpid=$(cat /tmp/ev.pid)
	[ "$got" = "$want" ] || fail "ioi-try $*: got '$got', expected '$want'"
}
# ev 'FIELD=VALUE ...': an event that must have come, once, on each
# channel; FIELD~=VALUE: VALUE is part of FIELD; absent=F,G: fields it
# must not have. (Details are matched on what they must contain, not on
# their wording.)
ev() { printf '%s\n' "$1" >> $H/ev.expect; }
# loadp POLICY-FILE: load it; its hash in $hash, the loader's pid in $rpid.
loadp() {
	prun ioctl-cli load-policy $1
	hash=$(sed -n 's/^policy loaded: sha256 \([0-9a-f]*\)$/\1/p' $out)
	[ ${#hash} = 64 ] || { sed 's/^/  | /' $out; fail "no hash from load-policy"; }
	ev "type=policy-load op=load-policy errno=0 pid=$rpid comm=ioctl-cli cgroup=/ detail~=$hash absent=rule,pattern,path"
}
stats() {
	for s in denied denied_read audited exdev integrity_failures \
		plaintext_refused nokey events_emitted events_suppressed \
		events_dropped; do
		printf '%s=%s ' $s $(stat_of $s)
	done
}
# grew NAME BY: the counter grew by exactly BY since $s0 was taken.
grew() {
	was=$(printf '%s\n' $s0 | sed -n "s/^$1=//p")
	expect_eq $(( $(stat_of $1) - was )) $2 "stats/$1 growth"
}

# The checks, run on the host's Python over events.py's output.
cat > $H/evcheck.py <<'EOF'
import json, sys, time

STRS = ('comm', 'cgroup', 'pattern', 'path', 'detail')
SAME = ('type', 'op', 'errno', 'pid', 'tgid', 'uid', 'rule') + \
    tuple(s + '_hex' for s in STRS)
bad = []


def err(msg):
    bad.append(msg)
    print('FAIL: ' + msg)


def load(path):
    chans = {'netlink': {}, 'audit': {}}
    for line in open(path):
        e = json.loads(line)
        if 'error' in e:
            err(f'{e["channel"]}: {e["error"]}: the listener lost events')
            continue
        if e.get('duplicate') or e.get('junk'):
            err(f'audit record with odd fields: {e["raw"]!r}')
        if e['seq'] in chans[e['channel']]:
            err(f'{e["channel"]}: seq {e["seq"]} twice')
        chans[e['channel']][e['seq']] = e
    return chans['netlink'], chans['audit']


def show(e):
    return ' '.join(f'{k}={e[k]!r}' for k in sorted(e)
                    if k not in ('raw', 'channel') and not k.endswith('_hex'))


def common(nl, au):
    """Both channels carry the same events, field for field."""
    if set(nl) != set(au):
        err(f'seqs only on netlink: {sorted(set(nl) - set(au))}, '
            f'only in audit: {sorted(set(au) - set(nl))}')
    now = time.time_ns()
    last = 0
    for seq in sorted(set(nl) & set(au)):
        n, a = nl[seq], au[seq]
        for k in SAME:
            if n.get(k) != a.get(k):
                err(f'seq {seq}: {k} netlink {n.get(k)!r} audit {a.get(k)!r}')
        if n.get('tgid') != n.get('pid') or n.get('uid') != 0:
            err(f'seq {seq}: pid/tgid/uid {show(n)}')
        if not now - 900e9 < n['time'] <= now or n['time'] < last:
            err(f'seq {seq}: time {n["time"]} (now {now}, last {last})')
        last = n['time']
        # audit's rule for untrusted strings: quoted iff plain, else hex
        for s in STRS:
            if s not in a:
                continue
            b = bytes.fromhex(a[s + '_hex'])
            plain = all(0x21 <= c <= 0x7e and c != 0x22 for c in b)
            if a[s + '_enc'] != ('quoted' if plain else 'hex'):
                err(f'seq {seq}: audit {s} encoded {a[s + "_enc"]}: {b!r}')
        if any(not 0x20 <= ord(c) <= 0x7e for c in a['raw']):
            err(f'seq {seq}: audit record with raw bytes {a["raw"]!r}')


def matches(e, w):
    for k, v in w.items():
        if k == 'absent':
            continue
        if k.endswith('~'):
            if v not in str(e.get(k[:-1], '')):
                return False
        elif str(e.get(k)) != v:
            return False
    return True


def scenario(out, expect):
    nl, au = load(out)
    common(nl, au)
    # A fresh module and no flood: 1, 2, ... with no gap.
    for name, ch in (('netlink', nl), ('audit', au)):
        if sorted(ch) != list(range(1, len(ch) + 1)):
            err(f'{name}: seqs {sorted(ch)}, expected 1..{len(ch)}')
    wants = [dict(kv.split('=', 1) for kv in line.split())
             for line in open(expect)]
    for name, ch in (('netlink', nl), ('audit', au)):
        used = set()
        for w in wants:
            absent = [f for f in w.get('absent', '').split(',') if f]
            hits = [s for s, e in ch.items() if matches(e, w)]
            if len(hits) != 1:
                err(f'{name}: {len(hits)} events match {w}')
                near = [e for e in ch.values() if e.get('type') == w['type']]
                for e in near:
                    print(f'  | {show(e)}')
                continue
            e = ch[hits[0]]
            used.add(hits[0])
            for f in absent:
                if f in e:
                    err(f'{name} seq {hits[0]}: {f} present: {show(e)}')
        for s in sorted(set(ch) - used):
            err(f'{name}: unexpected event {show(ch[s])}')
    print(f'scenario: {len(nl)} events on each channel')
    print(f'last seq {max(nl) if nl else 0}')


def flood(out, pid, n, lost):
    nl, au = load(out)
    common(nl, au)
    pid, n, lost = int(pid), int(n), int(lost)
    for name, ch in (('netlink', nl), ('audit', au)):
        seqs = sorted(ch)
        marker = [s for s in seqs if ch[s]['type'] == 'key-generate']
        floods = [s for s in seqs if ch[s]['type'] == 'denied']
        if len(marker) != 1 or len(floods) + 1 != len(seqs):
            err(f'{name}: {len(seqs)} events: {len(floods)} denied, '
                f'{len(marker)} key-generate, and others')
            continue
        for s in floods:
            e = ch[s]
            want = dict(op='open', errno=13, pid=pid, comm='python3',
                        cgroup='/ioi-test', rule=-1, path='/tmp/flood-x')
            if any(e.get(k) != v for k, v in want.items()) or \
                    'pattern' in e:
                err(f'{name}: flood event {show(e)}')
                break
        # Every event raised has a seq: the gaps are what was lost.
        span = seqs[-1] - seqs[0] + 1
        if span != n + 1:
            err(f'{name}: seqs {seqs[0]}..{seqs[-1]}, expected {n} '
                'denials and the marker')
        if span - len(seqs) != lost:
            err(f'{name}: {span - len(seqs)} seqs missing, counters say '
                f'{lost} suppressed or dropped')
        print(f'{name}: {len(floods)} of {n} denials heard, '
              f'{span - len(seqs)} gaps; marker seq {marker[0]}')
    print(f'last seq {max(nl) if nl else 0}')


globals()[sys.argv[1]](*sys.argv[2:])
sys.exit(1 if bad else 0)
EOF

# The files: a name no log line may be forged with (newline, ANSI escape,
# double quote, backslash, a byte that is not UTF-8), one of 255 bytes.
rm -rf /srv/ev /tmp/enc $H/ev.expect $H/flood-x
mkdir -p /srv/ev/secret /tmp/enc
bad=$(printf '/srv/ev/secret/x\ny\033[31m"q\\\377z')
long=/srv/ev/secret/$(head -c 255 /dev/zero | tr '\0' L)
: > "$bad"
: > "$long"
# the name as the file system has it, not as this shell thinks it is
badhex=$(for f in /srv/ev/secret/x*; do hex "$f"; done)
expect_eq "$badhex" 2f7372762f65762f7365637265742f780a791b5b33316d22715cff7a \
	"bytes of the hostile name"
expect_eq "$(hex "$bad")" "$badhex" "the hostile name"
head -c 10000 /dev/urandom > /tmp/ev-plain
echo plain > /tmp/ev-outside

key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
kid=c7057dd824e7be1e73b5f7d36801d036
printf '%s\n' $key > /tmp/key.hex
pol="mode enforce
scope cgroup /ioi-test
default deny
system /bin/**
system /usr/bin/**
allow rw /tmp/enc/**
deny /srv/ev/secret/**
allow ro /srv/ev/**
encrypt rw /tmp/enc/**"
printf '%s\n' "$pol" > /tmp/ev.conf
printf '%s\n' "$pol" | sed 's/^mode enforce/mode audit/' > /tmp/ev-audit.conf

s0=$(stats)
listen ev1.json --until-type key-generate --timeout 120

prun ioctl-cli key add --file /tmp/key.hex
expect_eq "$(cat $out)" $kid "key add"
ev "type=key-add op=key-add errno=0 pid=$rpid comm=ioctl-cli cgroup=/ detail~=$kid absent=rule,pattern,path"
loadp /tmp/ev.conf
# two sealed files, one to damage; and, without the policy, a plain one
cp /tmp/ev-plain /tmp/enc/sealed
cp /tmp/ev-plain /tmp/enc/tampered
prun ioctl-cli unload-policy
ev "type=policy-unload op=unload-policy errno=0 pid=$rpid comm=ioctl-cli cgroup=/ absent=rule,pattern,path,detail"
cmp -s /tmp/ev-plain /tmp/enc/sealed && fail "stored in the clear"
# a bit of block 0's ciphertext (docs/format.md: 80-byte header, then
# 12 bytes of nonce before each block)
off=$((80 + 100))
v=$(od -An -tu1 -j $off -N1 /tmp/enc/tampered)
printf "\\$(printf %03o $(( (v ^ 16) & 255 )))" |
	dd of=/tmp/enc/tampered bs=1 seek=$off conv=notrunc 2>/dev/null
echo plain > /tmp/enc/plain
loadp /tmp/ev.conf

# denied: by the deny rule, index 3
pat='pattern=/srv/ev/secret/** rule=3'
tryp EACCES -c read "$bad"
ev "type=denied op=open errno=13 pid=$tpid comm=ioi-try cgroup=/ioi-test $pat path_hex=$badhex absent=detail"
tryp EACCES -c read "$long"
ev "type=denied op=open errno=13 pid=$tpid comm=ioi-try cgroup=/ioi-test $pat path_hex=$(hex "$long") absent=detail"
# denied too: a move that would change a file's encrypt mode, for anyone
tryp EXDEV rename /tmp/ev-outside /tmp/enc/moved
ev "type=denied op=rename errno=18 pid=$tpid comm=ioi-try cgroup=/ rule=-1 path=/tmp/ev-outside absent=pattern,detail"

# audited: the same policy in audit mode lets it through
loadp /tmp/ev-audit.conf
tryp ok -c read "$bad"
ev "type=audited op=open errno=0 pid=$tpid comm=ioi-try cgroup=/ioi-test $pat path_hex=$badhex absent=detail"
loadp /tmp/ev.conf

tryp EACCES -c read /tmp/enc/plain
ev "type=plaintext op=open errno=13 pid=$tpid comm=ioi-try cgroup=/ioi-test path=/tmp/enc/plain detail_hex~=$(hex "not encrypted") absent=rule,pattern"
tryp EIO -c readall /tmp/enc/tampered
ev "type=integrity op=read errno=5 pid=$tpid comm=ioi-try cgroup=/ioi-test path=/tmp/enc/tampered detail_hex~=$(hex "block 0 ") absent=rule,pattern"
prun ioctl-cli key remove $kid
ev "type=key-remove op=key-remove errno=0 pid=$rpid comm=ioctl-cli cgroup=/ detail~=$kid absent=rule,pattern,path"
tryp ENOKEY -c read /tmp/enc/sealed
ev "type=nokey op=open errno=126 pid=$tpid comm=ioi-try cgroup=/ioi-test path=/tmp/enc/sealed detail~=$kid absent=rule,pattern"
prun ioctl-cli unload-policy
ev "type=policy-unload op=unload-policy errno=0 pid=$rpid comm=ioctl-cli cgroup=/ absent=rule,pattern,path,detail"
# the marker the listener waits for
prun ioctl-cli key generate
gid=$(cat $out)
ev "type=key-generate op=key-generate errno=0 pid=$rpid comm=ioctl-cli cgroup=/ detail~=$gid absent=rule,pattern,path"
heard

expect_rc 0 hostrun python3 /tmp/evcheck.py scenario /tmp/ev1.json /tmp/ev.expect
sed 's/^/  | /' $out
last=$(sed -n 's/^last seq //p' $out)
# key events name the key, never show it
grep -qi $key $H/ev1.json && fail "a key itself in an event"
# Counted: exactly what was done here (the module was fresh, so "denied"
# holds this script's denials only).
grew denied 2
grew denied_read 2
grew audited 1
grew exdev 1
grew integrity_failures 1
grew plaintext_refused 1
grew nokey 1
grew events_suppressed 0
grew events_dropped 0
# emitted is counted just after the netlink send: the marker's may lag
i=0
while [ $(stat_of events_emitted) -lt $last ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
grew events_emitted $last

# The flood: a tight loop of denied opens by a confined task, far past the
# rate limit (100000 take about 4 s on Debian's kernel), heard by a
# listener that must see every lost event as a gap in the sequence.
# The test kernel does a tenth, and unheard: there (KASAN, lockdep,
# kmemleak) each event sent costs some milliseconds, so the flood runs at
# a few hundred denials a second, hardly past the limit, and a listener
# would take minutes over the events; the counters are checked, and
# kmemleak (tests/vm/init) takes the place of the Slab check.
n=100000
heed=1
if on_test_kernel; then
	n=10000
	heed=0
fi
prun ioctl-cli key remove $gid
loadp /tmp/ev.conf
: > $H/flood-x
flood() {
	# python joins the cgroup itself (descriptor 4): chroot is refused
	# to a confined task.
	hostrun python3 -S -c '
import os, sys
os.write(4, str(os.getpid()).encode())
n, c = int(sys.argv[1]), 0
for i in range(n):
    try:
        os.close(os.open("/tmp/flood-x", os.O_RDONLY))
    except PermissionError:
        c += 1
print(os.getpid(), c)' $1 4> $CG/cgroup.procs > $out 2>&1 ||
		{ sed 's/^/  | /' $out; fail "flood failed"; }
	fpid=$(cut -d' ' -f1 $out)
	expect_eq "$(cut -d' ' -f2 $out)" $1 "denials in the flood"
}
# s0 to now: what the counters say was sent and lost
flood_counts() {
	emitted=$(( $(stat_of events_emitted) - $(printf '%s\n' $s0 | sed -n 's/^events_emitted=//p') ))
	lost=$(( $(stat_of events_suppressed) + $(stat_of events_dropped) ))
	lost=$(( lost - $(printf '%s\n' $s0 | sed -n 's/^events_suppressed=//p') ))
	lost=$(( lost - $(printf '%s\n' $s0 | sed -n 's/^events_dropped=//p') ))
}
# Python's own pages and dentries first, so that Slab measures the flood.
flood 100
sync
echo 2 > /proc/sys/vm/drop_caches
slab0=$(sed -n 's/^Slab: *\([0-9]*\) kB/\1/p' /proc/meminfo)

[ $heed = 1 ] && listen ev2.json --until-type key-generate --timeout 200
s0=$(stats)
t0=$(cut -d' ' -f1 /proc/uptime)
flood $n
t1=$(cut -d' ' -f1 /proc/uptime)
grew denied $n
grew denied_read $n
# Every event raised took a seq and was sent or lost: n, and the marker
# when heard. Sending lags (the queue, the marker's count comes just
# after it is sent): wait for it, a minute at most.
want=$((n + heed))
if [ $heed = 1 ]; then
	# still responsive: the marker comes through at once
	prun ioctl-cli key generate
	gid=$(cat $out)
	heard
fi
i=0
while flood_counts && [ $((emitted + lost)) -lt $want ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq $((emitted + lost)) $want "events emitted and lost in the flood"
[ $lost -ge $((n - emitted)) ] ||
	fail "flood: $lost suppressed or dropped, $emitted emitted, of $n"
if [ $heed = 1 ]; then
	expect_rc 0 hostrun python3 /tmp/evcheck.py flood /tmp/ev2.json $fpid $n $lost
	sed 's/^/  | /' $out
	last=$(sed -n 's/^last seq //p' $out)
	# and since the module was loaded
	total=$(( $(stat_of events_emitted) + $(stat_of events_suppressed) + $(stat_of events_dropped) ))
	expect_eq $total $last "events emitted + suppressed + dropped, against the last seq"
	expect_rc 0 ioctl-cli key remove $gid
fi

echo 2 > /proc/sys/vm/drop_caches
slab1=$(sed -n 's/^Slab: *\([0-9]*\) kB/\1/p' /proc/meminfo)
echo "report: events flood: $n denials in $(echo "$t1 $t0" | awk '{print $1 - $2}') s, $emitted emitted, $lost suppressed or dropped, Slab ${slab0} -> ${slab1} kB"
if [ $heed = 1 ] && [ $((slab1 - slab0)) -gt 4096 ]; then
	fail "Slab grew from $slab0 to $slab1 kB in the flood"
fi

expect_rc 0 ioctl-cli unload-policy
exit 0
