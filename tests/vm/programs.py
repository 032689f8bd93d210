# SPDX-License-Identifier: GPL-2.0
"""Programs that use encrypted files as plain files: the operations of
Python's os module, each done on a file under an encrypt rule (ENC) and on
a plain reference (REF), then compared. Run in the guest on the host's
root (tests/vm/cases/93-programs.sh): programs.py ENC REF [DIRECT]

Prints "programs: ok" or raises. DIRECT is a directory on ext4 under an
encrypt rule, for O_DIRECT.
"""
import mmap
import multiprocessing
import os
import sys

ENC, REF = sys.argv[1], sys.argv[2]
DIRECT = sys.argv[3] if len(sys.argv) > 3 else None


def both(fn):
    for base in (ENC, REF):
        fn(base)


def check(name):
    with open(os.path.join(ENC, name), 'rb') as f:
        a = f.read()
    with open(os.path.join(REF, name), 'rb') as f:
        b = f.read()
    assert a == b, f'{name}: contents differ'
    assert os.stat(os.path.join(ENC, name)).st_size == len(b), \
        f'{name}: stat size {os.stat(os.path.join(ENC, name)).st_size}'


def files(base):
    with open(f'{base}/a', 'wb') as f:
        f.write(b'x' * 5000)
        f.seek(100)
        f.write(b'hello')
        f.seek(10000)           # past the end: a hole
        f.write(b'end')
    with open(f'{base}/a', 'r+b') as f:
        f.seek(-3, os.SEEK_END)
        f.write(b'END')
        f.seek(4090)
        assert f.read(20) == b'x' * 20
    with open(f'{base}/t', 'w') as f:
        f.write('line\n' * 1000)
    with open(f'{base}/t', 'a') as f:
        f.write('more\n')


def vectors(base):
    fd = os.open(f'{base}/b', os.O_RDWR | os.O_CREAT, 0o600)
    os.pwrite(fd, b'abc', 4095)
    os.lseek(fd, 0, os.SEEK_SET)
    os.writev(fd, [b'1' * 4097, b'', b'2' * 3])
    os.lseek(fd, 0, os.SEEK_SET)
    bufs = [bytearray(10), bytearray(5000)]
    assert os.readv(fd, bufs) == 4100
    assert bytes(bufs[0]) == b'1' * 10
    assert os.pread(fd, 3, 4097) == b'222'
    os.ftruncate(fd, 3000)
    os.ftruncate(fd, 9000)
    assert os.pread(fd, 10, 2995) == b'11111' + b'\0' * 5
    # an encrypted file is data throughout (a plain one may have holes)
    if base == ENC:
        assert os.lseek(fd, 0, os.SEEK_HOLE) == 9000
        assert os.lseek(fd, 5000, os.SEEK_DATA) == 5000
    os.fsync(fd)
    os.close(fd)
    os.truncate(f'{base}/b', 8193)


def appender(path, i):
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    for k in range(300):
        os.write(fd, f'{i:02d} {k:04d} {"." * 23}\n'.encode())
    os.close(fd)


def appends():
    path = f'{ENC}/log'
    procs = [multiprocessing.Process(target=appender, args=(path, i))
             for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    with open(path, 'rb') as f:
        lines = f.read().split(b'\n')[:-1]
    want = sorted(f'{i:02d} {k:04d} {"." * 23}'.encode()
                  for i in range(4) for k in range(300))
    assert sorted(lines) == want, 'O_APPEND records lost or torn'
    assert os.stat(path).st_size == 4 * 300 * 32


def copies():
    # encrypted -> plain and plain -> encrypted, by every copying call
    for src, dst in ((f'{ENC}/a', f'{REF}/c1'), (f'{REF}/a', f'{ENC}/c1')):
        size = os.stat(src).st_size
        with open(src, 'rb') as s, open(dst, 'wb') as d:
            n = 0
            while n < size:
                n += os.copy_file_range(s.fileno(), d.fileno(), size - n)
    check('c1')
    for src, dst in ((f'{ENC}/a', f'{REF}/c2'), (f'{REF}/a', f'{ENC}/c2')):
        size = os.stat(src).st_size
        with open(src, 'rb') as s, open(dst, 'wb') as d:
            off = 0
            while off < size:
                off += os.sendfile(d.fileno(), s.fileno(), off, size - off)
    check('c2')
    for src, dst in ((f'{ENC}/a', f'{REF}/c3'), (f'{REF}/a', f'{ENC}/c3')):
        r, w = os.pipe()
        with open(src, 'rb') as s, open(dst, 'wb') as d:
            while True:
                n = os.splice(s.fileno(), w, 65536)
                if not n:
                    break
                while n:
                    n -= os.splice(r, d.fileno(), n)
        os.close(r)
        os.close(w)
    check('c3')


def direct():
    # O_DIRECT works, served buffered: aligned buffers as O_DIRECT wants
    buf = mmap.mmap(-1, 8192)
    buf.write(b'd' * 8192)
    fd = os.open(f'{DIRECT}/direct', os.O_RDWR | os.O_CREAT | os.O_DIRECT,
                 0o600)
    assert os.pwrite(fd, buf, 0) == 8192
    out = mmap.mmap(-1, 8192)
    assert os.preadv(fd, [out], 0) == 8192
    assert out[:] == b'd' * 8192
    os.close(fd)
    assert os.stat(f'{DIRECT}/direct').st_size == 8192


both(files)
check('a')
check('t')
both(vectors)
check('b')
appends()
copies()
if DIRECT:
    direct()
print('programs: ok')
