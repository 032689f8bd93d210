# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for tests: sends exactly the bytes we ask for,
which ioctl-cli never would, and prints the kernel's answer.

  genl.py CMD [TYPE:KIND:VALUE ...]   KIND is u8, u32, u64, str, bin (hex),
                                      or json: a nest given as a JSON list
                                      of [type, kind, value] (kinds as
                                      here, "nest" for a list)
  genl.py --family NAME ...           another family (default iointercept)
  genl.py --reserved N ...            put N in the genl header's reserved field
  genl.py --join GROUP                join a multicast group: "joined" or error
  genl.py --cgroup-fd N ...           first write our pid to descriptor N, an
                                      open cgroup.procs (to be confined from
                                      inside a chroot)

Prints "reply cmd=C version=V" and one "attr TYPE LEN HEX" line per
top-level attribute, or "error ERRNO MESSAGE" for an error ACK (MESSAGE is
the extended ACK text). Exit status 0 for a reply or ACK, 1 for an error.
"""
import errno
import json
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NETLINK_EXT_ACK, NETLINK_CAP_ACK = 11, 10
SOL_NETLINK = 270
NLMSGERR_ATTR_MSG = 1
CTRL_ATTR_MCAST_GROUPS = 7
NLA_F_NESTED = 0x8000
NETLINK_ADD_MEMBERSHIP = 1


def attr(atype, payload):
    hdr = struct.pack('HH', 4 + len(payload), atype)
    pad = b'\0' * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def parse_attrs(data):
    attrs = []
    while len(data) >= 4:
        alen, atype = struct.unpack('HH', data[:4])
        if alen < 4:
            break
        attrs.append((atype & 0x3fff, data[4:alen]))
        data = data[(alen + 3) & ~3:]
    return attrs


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, version, payload, flags=NLM_F_ACK,
                reserved=0):
        self.seq += 1
        body = struct.pack('BBH', cmd, version, reserved) + payload
        msg = struct.pack('IHHII', 16 + len(body), family,
                          NLM_F_REQUEST | flags, self.seq, 0) + body
        self.s.send(msg)
        replies = []
        while True:
            data = self.s.recv(65536)
            while len(data) >= 16:
                mlen, mtype, mflags, seq, pid = struct.unpack('IHHII',
                                                              data[:16])
                chunk = data[16:mlen]
                data = data[(mlen + 3) & ~3:]
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack('i', chunk[:4])[0]
                    text = ''
                    if mflags & 0x200:  # NLM_F_ACK_TLVS
                        for t, v in parse_attrs(chunk[20:]):
                            if t == NLMSGERR_ATTR_MSG:
                                text = v.rstrip(b'\0').decode()
                    return err, text, replies
                if mtype == NLMSG_DONE:
                    return 0, '', replies
                replies.append(chunk)

    def family(self, name):
        """(family id, {multicast group name: id})"""
        err, text, rep = self.request(
            GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
            attr(CTRL_ATTR_FAMILY_NAME, name.encode() + b'\0'))
        if err:
            sys.exit(f'family {name}: {os.strerror(err)}')
        fid, groups = None, {}
        for t, v in parse_attrs(rep[0][4:]):
            if t == CTRL_ATTR_FAMILY_ID:
                fid = struct.unpack('H', v[:2])[0]
            elif t == CTRL_ATTR_MCAST_GROUPS:
                for _, grp in parse_attrs(v):
                    g = dict(parse_attrs(grp))
                    groups[g[1].rstrip(b'\0').decode()] = \
                        struct.unpack('I', g[2][:4])[0]
        if fid is None:
            sys.exit('family id missing')
        return fid, groups


def encode_value(atype, kind, value):
    if kind == 'nest':
        return attr(atype | NLA_F_NESTED,
                    b''.join(encode_value(t, k, v) for t, k, v in value))
    return encode(f'{atype}:{kind}:{value}')


def encode(spec):
    atype, kind, value = spec.split(':', 2)
    if kind == 'json':
        return encode_value(int(atype, 0), 'nest', json.loads(value))
    if kind == 'u8':
        data = struct.pack('B', int(value, 0))
    elif kind == 'u32':
        data = struct.pack('I', int(value, 0))
    elif kind == 'u64':
        data = struct.pack('Q', int(value, 0))
    elif kind == 'str':
        data = value.encode() + b'\0'
    elif kind == 'bin':
        data = bytes.fromhex(value)
    else:
        sys.exit(f'unknown kind {kind}')
    return attr(int(atype, 0), data)


def main(argv):
    family = 'iointercept'
    reserved = 0
    join = None
    while argv and argv[0] in ('--family', '--reserved', '--join',
                               '--cgroup-fd'):
        if argv[0] == '--family':
            family = argv[1]
        elif argv[0] == '--cgroup-fd':
            os.write(int(argv[1]), str(os.getpid()).encode())
        elif argv[0] == '--join':
            join = argv[1]
        else:
            reserved = int(argv[1], 0)
        argv = argv[2:]
    g = Genl()
    fid, groups = g.family(family)
    if join is not None:
        try:
            g.s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups[join])
        except OSError as e:
            print(f'error {errno.errorcode.get(e.errno, e.errno)}')
            return 1
        print('joined')
        return 0
    cmd = int(argv[0], 0)
    payload = b''.join(encode(a) for a in argv[1:])
    err, text, replies = g.request(fid, cmd, 1, payload, reserved=reserved)
    for r in replies:
        c, v = r[0], r[1]
        print(f'reply cmd={c} version={v}')
        for t, val in parse_attrs(r[4:]):
            print(f'attr {t} {len(val)} {val.hex()}')
    if err:
        # Linux's name, not Python's first alias (ENOTSUP for 95).
        name = ('EOPNOTSUPP' if err == errno.EOPNOTSUPP
                else errno.errorcode.get(err, str(err)))
        print(f'error {name} {text}')
        return 1
    return 0


sys.exit(main(sys.argv[1:]))
