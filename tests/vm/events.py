# SPDX-License-Identifier: GPL-2.0
"""A listener for iointercept's security events on both of their channels,
for tests (tests/vm/cases/77-events.sh). Standard library only; it is run
like genl.py, as "python3 - ARGS < events.py" on the host's root.

  events.py listen OUT --until-type TYPE [--until-detail SUBSTR]
                       [--timeout S] [--enable-audit] [--pidfile FILE]

Joins the "events" multicast group of the generic netlink family
"iointercept", and makes itself the audit daemon (AUDIT_SET with our pid),
so that the module's AUDIT_KERNEL_OTHER records come to it. Prints "ready"
on standard output once both are set up, and nothing else there (a shell
reads that one line from a FIFO, then closes it). Then it appends one JSON
object a line to OUT for every event:

  {"channel": "netlink" | "audit", "type": "denied", "seq": 17, ...}

with the event's fields: type, seq, op, errno, pid, tgid, uid, comm,
cgroup, rule, pattern, path, detail, and time (netlink) or the audit
record's "raw" text (audit). Absent attributes are absent keys. A string
field is given twice: as text decoded as Latin-1 (every byte one
character, so nothing is lost) and as "FIELD_hex", the exact bytes in hex.
Audit fields also say how the record encoded them: "FIELD_enc" is
"quoted" or "hex". A netlink ENOBUFS (the socket's buffer overflowed and
events were lost to this listener, not by the module) is a line
{"channel": "netlink", "error": "ENOBUFS"}.

--pidfile writes our pid to FILE first (SIGTERM ends us cleanly).

Exits 0 once an event of TYPE (whose detail contains SUBSTR, if given) has
come on both channels, 1 after S seconds (default 60) without, 2 on
errors. Before exiting it unregisters as the audit daemon (and restores
the enabled flag if --enable-audit changed it), so nothing after it is
affected. --enable-audit also sets the audit subsystem's enabled flag;
it is not needed: the kernel delivers AUDIT_KERNEL_OTHER records whether
or not syscall auditing is enabled, and enabling it once makes every task
created afterwards carry an audit context for the rest of the boot.
"""
import errno
import json
import os
import re
import select
import signal
import socket
import struct
import sys
import time

NETLINK_AUDIT, NETLINK_GENERIC = 9, 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK = 1, 11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
CTRL_ATTR_MCAST_GROUPS = 7
SO_RCVBUFFORCE = 33

AUDIT_GET, AUDIT_SET = 1000, 1001
AUDIT_KERNEL_OTHER = 1316
AUDIT_STATUS_ENABLED, AUDIT_STATUS_PID = 1, 4
# struct audit_status: mask, enabled, failure, pid, rate_limit,
# backlog_limit, lost, backlog, version, backlog_wait_time,
# backlog_wait_time_actual
AUDIT_STATUS = struct.Struct('11I')

IOI_CMD_EVENT = 10
IOI_A_EVENT = 9
TYPES = [None, 'denied', 'audited', 'integrity', 'plaintext', 'nokey',
         'policy-load', 'policy-unload', 'key-add', 'key-generate',
         'key-remove']
# IOI_EV_A_*: (name, kind)
EV_ATTRS = {
    1: ('type', 'u8'), 2: ('seq', 'u64'), 3: ('time', 'u64'),
    4: ('op', 'str'), 5: ('errno', 'u32'), 6: ('pid', 'u32'),
    7: ('tgid', 'u32'), 8: ('uid', 'u32'), 9: ('comm', 'str'),
    10: ('cgroup', 'str'), 11: ('rule', 's32'), 12: ('pattern', 'str'),
    13: ('path', 'str'), 14: ('detail', 'str'),
}
# What audit_str() writes, "quoted" or in hex; the rest are numbers but op.
AUDIT_STRS = ('comm', 'cgroup', 'pattern', 'path', 'detail')
AUDIT_INTS = ('seq', 'errno', 'pid', 'tgid', 'uid', 'rule')


def attr(atype, payload):
    hdr = struct.pack('HH', 4 + len(payload), atype)
    return hdr + payload + b'\0' * ((4 - len(payload) % 4) % 4)


def parse_attrs(data):
    attrs = []
    while len(data) >= 4:
        alen, atype = struct.unpack('HH', data[:4])
        if alen < 4:
            break
        attrs.append((atype & 0x3fff, data[4:alen]))
        data = data[(alen + 3) & ~3:]
    return attrs


def receive(sock, channel, f):
    """What one recv() gives; an overflow (ENOBUFS) is written to @f."""
    try:
        return sock.recv(1 << 20)
    except OSError as e:
        if e.errno != errno.ENOBUFS:
            raise
        f.write(json.dumps({'channel': channel, 'error': 'ENOBUFS'}) + '\n')
        return b''


def messages(data):
    """(type, flags, seq, payload) of each netlink message in @data."""
    while len(data) >= 16:
        mlen, mtype, mflags, seq, _ = struct.unpack('IHHII', data[:16])
        if mlen < 16:
            break
        yield mtype, mflags, seq, data[16:mlen]
        data = data[(mlen + 3) & ~3:]


def audit_messages(data):
    """messages(), for what the audit subsystem sends: its records'
    nlmsg_len leaves out the 16-byte header (a quirk as old as auditd),
    its replies' does not. Each comes in a datagram of its own, so reading
    too far is harmless: a slice stops at the end."""
    while len(data) >= 16:
        mlen, mtype, mflags, seq, _ = struct.unpack('IHHII', data[:16])
        if mtype >= 1100:       # a record: AUDIT_FIRST_USER_MSG and up
            mlen += 16
        if mlen < 16:
            break
        yield mtype, mflags, seq, data[16:mlen]
        data = data[(mlen + 3) & ~3:]


def put_str(ev, name, raw):
    ev[name] = raw.decode('latin-1')
    ev[name + '_hex'] = raw.hex()


class Nl:
    def __init__(self, proto):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, proto)
        try:
            self.s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
        except OSError:
            pass
        self.s.bind((0, 0))
        self.parse = audit_messages if proto == NETLINK_AUDIT else messages
        self.seq = 0
        self.stash = []     # messages that came while we waited for an ACK

    def request(self, mtype, payload, flags=NLM_F_ACK):
        """Send; return (errno, replies) once the ACK or DONE comes."""
        self.seq += 1
        self.s.send(struct.pack('IHHII', 16 + len(payload), mtype,
                                NLM_F_REQUEST | flags, self.seq, 0) + payload)
        replies = []
        while True:
            for t, _, seq, body in self.parse(self.s.recv(1 << 20)):
                if seq != self.seq:
                    self.stash.append((t, body))
                elif t == NLMSG_ERROR:
                    return -struct.unpack('i', body[:4])[0], replies
                elif t == NLMSG_DONE:
                    return 0, replies
                else:
                    replies.append((t, body))


def genl_family(g, name):
    err, rep = g.request(GENL_ID_CTRL, struct.pack('BBH', CTRL_CMD_GETFAMILY,
                                                   1, 0) +
                         attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b'\0'))
    if err or not rep:
        raise OSError(err or errno.ENOENT, f'genl family {name}')
    fid, groups = None, {}
    for t, v in parse_attrs(rep[0][1][4:]):
        if t == CTRL_ATTR_FAMILY_ID:
            fid = struct.unpack('H', v[:2])[0]
        elif t == CTRL_ATTR_MCAST_GROUPS:
            for _, grp in parse_attrs(v):
                gr = dict(parse_attrs(grp))
                groups[gr[1].rstrip(b'\0').decode()] = \
                    struct.unpack('I', gr[2][:4])[0]
    return fid, groups


def decode_genl(fid, mtype, body):
    if mtype != fid or len(body) < 4 or body[0] != IOI_CMD_EVENT:
        return None
    nest = dict(parse_attrs(body[4:])).get(IOI_A_EVENT)
    if nest is None:
        return None
    ev = {'channel': 'netlink'}
    for t, v in parse_attrs(nest):
        if t not in EV_ATTRS:
            ev[f'attr{t}_hex'] = v.hex()
            continue
        name, kind = EV_ATTRS[t]
        if kind == 'str':
            put_str(ev, name, v[:-1] if v.endswith(b'\0') else v)
        elif kind == 'u8':
            ev[name] = v[0]
        elif kind == 'u32':
            ev[name] = struct.unpack('I', v[:4])[0]
        elif kind == 's32':
            ev[name] = struct.unpack('i', v[:4])[0]
        else:
            ev[name] = struct.unpack('Q', v[:8])[0]
    if 'type' in ev:
        t = ev['type']
        ev['type'] = TYPES[t] if 0 < t < len(TYPES) else f'unknown-{t}'
    return ev


AUDIT_HDR = re.compile(rb'audit\((\d+)\.(\d+):(\d+)\): ')


def decode_audit(mtype, body):
    if mtype != AUDIT_KERNEL_OTHER:
        return None
    text = body.rstrip(b'\0')
    m = AUDIT_HDR.match(text)
    rest = text[m.end():] if m else text
    if not rest.startswith(b'iointercept='):
        return None
    ev = {'channel': 'audit', 'raw': text.decode('latin-1')}
    if m:
        ev['audit_serial'] = int(m.group(3))
    # No value holds a space: quoted ones are printable ASCII only, the
    # rest are hex, numbers or op's constant.
    keys = set()
    for tok in rest.split(b' '):
        key, sep, val = tok.partition(b'=')
        if not sep:
            ev.setdefault('junk', []).append(tok.decode('latin-1'))
            continue
        key = key.decode('latin-1')
        if key == 'iointercept':
            key = 'type'
        if key in keys:
            ev.setdefault('duplicate', []).append(key)
        keys.add(key)
        if key in AUDIT_STRS:
            if len(val) >= 2 and val[:1] == b'"' and val[-1:] == b'"':
                put_str(ev, key, val[1:-1])
                ev[key + '_enc'] = 'quoted'
            else:
                try:
                    put_str(ev, key, bytes.fromhex(val.decode('latin-1')))
                    ev[key + '_enc'] = 'hex'
                except ValueError:
                    put_str(ev, key, val)
                    ev[key + '_enc'] = 'bad'
        elif key in AUDIT_INTS:
            try:
                ev[key] = int(val)
            except ValueError:
                ev[key] = val.decode('latin-1')
        else:
            ev[key] = val.decode('latin-1')
    return ev


class Audit(Nl):
    def __init__(self):
        super().__init__(NETLINK_AUDIT)

    def status(self):
        self.seq += 1
        self.s.send(struct.pack('IHHII', 16, AUDIT_GET, NLM_F_REQUEST,
                                self.seq, 0))
        while True:
            for t, _, seq, body in self.parse(self.s.recv(1 << 20)):
                if seq != self.seq:
                    self.stash.append((t, body))
                elif t == NLMSG_ERROR:
                    raise OSError(-struct.unpack('i', body[:4])[0],
                                  'AUDIT_GET')
                elif t == AUDIT_GET:
                    return AUDIT_STATUS.unpack(
                        body[:AUDIT_STATUS.size].ljust(AUDIT_STATUS.size,
                                                       b'\0'))

    def set(self, mask, enabled=0, pid=0):
        st = AUDIT_STATUS.pack(mask, enabled, 0, pid, 0, 0, 0, 0, 0, 0, 0)
        err, _ = self.request(AUDIT_SET, st)
        if err:
            raise OSError(err, f'AUDIT_SET mask={mask} pid={pid}: '
                          f'{os.strerror(err)}')


def listen(args):
    out = args.pop(0)
    until_type, until_detail, timeout, enable = None, None, 60.0, False
    while args:
        a = args.pop(0)
        if a == '--until-type':
            until_type = args.pop(0)
        elif a == '--until-detail':
            until_detail = args.pop(0)
        elif a == '--timeout':
            timeout = float(args.pop(0))
        elif a == '--enable-audit':
            enable = True
        elif a == '--pidfile':
            with open(args.pop(0), 'w') as pf:
                pf.write(f'{os.getpid()}\n')
        else:
            sys.exit(f'events.py: unknown argument {a}')
    if until_type not in TYPES[1:]:
        sys.exit(f'events.py: --until-type is one of {" ".join(TYPES[1:])}')

    g = Nl(NETLINK_GENERIC)
    fid, groups = genl_family(g, 'iointercept')
    g.s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups['events'])

    # Audit: unregistered (and the enabled flag put back) on every way out.
    a = Audit()
    old_enabled = a.status()[1]
    registered = False

    def cleanup():
        if registered:
            try:
                a.set(AUDIT_STATUS_PID, pid=0)
            except OSError as e:
                print(f'events.py: unregistering: {e}', file=sys.stderr)
        if enable and old_enabled == 0:
            try:
                a.set(AUDIT_STATUS_ENABLED, enabled=0)
            except OSError as e:
                print(f'events.py: restoring enabled: {e}', file=sys.stderr)

    def on_signal(signum, frame):
        raise SystemExit(3)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    f = open(out, 'a', buffering=1)
    try:
        mask = AUDIT_STATUS_PID | (AUDIT_STATUS_ENABLED if enable else 0)
        a.set(mask, enabled=1 if enable else 0, pid=os.getpid())
        registered = True
        print('ready', flush=True)

        seen = {'netlink': False, 'audit': False}
        deadline = time.monotonic() + timeout

        def handle(ev):
            if ev is None:
                return
            f.write(json.dumps(ev, sort_keys=True) + '\n')
            if ev.get('type') == until_type and (
                    until_detail is None or
                    until_detail in ev.get('detail', '')):
                seen[ev['channel']] = True

        for t, body in a.stash:
            handle(decode_audit(t, body))
        a.stash = []
        for t, body in g.stash:
            handle(decode_genl(fid, t, body))
        g.stash = []
        while not all(seen.values()):
            left = deadline - time.monotonic()
            if left <= 0:
                print(f'events.py: timeout after {timeout}s; seen {seen}',
                      file=sys.stderr)
                return 1
            ready, _, _ = select.select([g.s, a.s], [], [], left)
            if g.s in ready:
                for t, _, _, body in messages(receive(g.s, 'netlink', f)):
                    handle(decode_genl(fid, t, body))
            if a.s in ready:
                for t, _, _, body in audit_messages(receive(a.s, 'audit',
                                                            f)):
                    handle(decode_audit(t, body))
        return 0
    finally:
        f.close()
        cleanup()


def main(argv):
    if len(argv) >= 2 and argv[0] == 'listen':
        try:
            return listen(argv[1:])
        except OSError as e:
            print(f'events.py: {e}', file=sys.stderr)
            return 2
    sys.exit(__doc__)


sys.exit(main(sys.argv[1:]))
