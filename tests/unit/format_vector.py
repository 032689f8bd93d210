#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""docs/format.md's known-answer vector, from the page alone.

An implementation of version 2 of the format independent of both ctl/
(OpenSSL from C) and module/ (the kernel's crypto API): HMAC-SHA-256 from
Python's hmac module for the PRK, HKDFExpand and AESGCM from the
`cryptography` package for the rest, the header built byte by byte from the
table of docs/format.md. It encrypts the vector, prints its values, checks
them against tests/unit/format_vector.h (the values the C tests of both
implementations use), and reads the file back as a reader must: blocks,
then the end record, and the damage that must be detected.

    tests/unit/format_vector.py [--print]

Exits 1 on any disagreement. `make -C ctl check` runs it.
"""
import hashlib
import hmac
import os
import re
import struct
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

HEADER = 80
BLOCK = 4096
NONCE = 12
TAG = 16
SEALED = NONCE + BLOCK + TAG
END = NONCE + TAG


def hkdf_expand(prk, info, length):
    return HKDFExpand(hashes.SHA256(), length, info).derive(prk)


def keys(master, file_nonce):
    prk = hmac.new(bytes(32), master, hashlib.sha256).digest()
    key_id = hkdf_expand(prk, b"iointercept v1 key id", 16)
    file_key = hkdf_expand(prk, b"iointercept v1 file key" + file_nonce, 32)
    return key_id, file_key


def block_aad(i):
    return struct.pack("<QB", i, 0)


def end_aad(size):
    return struct.pack("<QB", size, 1)


def encrypt(master, file_nonce, nonce, plain):
    """@nonce(k): the k-th nonce drawn, blocks first, then the end record."""
    key_id, file_key = keys(master, file_nonce)
    gcm = AESGCM(file_key)
    auth = (b"IOIE" + bytes([2, 1, 12, 0]) + key_id + file_nonce + bytes(8))
    assert len(auth) == 64
    header_tag = gcm.encrypt(bytes(12), b"", auth)
    out = auth + header_tag
    blocks = [plain[i:i + BLOCK] for i in range(0, len(plain), BLOCK)]
    for i, data in enumerate(blocks):
        n = nonce(i)
        out += n + gcm.encrypt(n, data, block_aad(i))
    n = nonce(len(blocks))
    out += n + gcm.encrypt(n, b"", end_aad(len(plain)))
    return out, key_id, file_key, header_tag


def plain_size(lower):
    """docs/format.md, "Sizes": (plaintext size, blocks), or None."""
    if lower in (0, HEADER):
        return 0, 0
    if lower < HEADER:
        return None
    d = lower - HEADER - END
    if d < 29:
        return None
    n = -(-d // SEALED)
    r = d - SEALED * (n - 1)
    if r <= NONCE + TAG:
        return None
    return BLOCK * (n - 1) + r - NONCE - TAG, n


def decrypt(master, enc):
    """The plaintext, or a string naming the first problem."""
    if len(enc) == 0 or len(enc) == HEADER and enc[:4] == b"IOIE":
        return b""
    if enc[:4] != b"IOIE"[:len(enc)] or len(enc) < HEADER:
        return "header"
    if enc[4:8] != bytes([2, 1, 12, 0]) or enc[56:64] != bytes(8):
        return "header field"
    key_id, file_key = keys(master, enc[24:56])
    if enc[8:24] != key_id:
        return "wrong key"
    gcm = AESGCM(file_key)
    try:
        gcm.decrypt(bytes(12), enc[64:80], enc[:64])
    except InvalidTag:
        return "header tag"
    sizes = plain_size(len(enc))
    if sizes is None:
        return "truncated block"
    size, n = sizes
    out = b""
    for i in range(n):
        start = HEADER + SEALED * i
        sealed = enc[start:min(start + SEALED, len(enc) - END)]
        try:
            out += gcm.decrypt(sealed[:NONCE], sealed[NONCE:], block_aad(i))
        except InvalidTag:
            return f"block {i}"
    rec = enc[-END:]
    try:
        gcm.decrypt(rec[:NONCE], rec[NONCE:], end_aad(size))
    except InvalidTag:
        return "end record"
    assert len(out) == size
    return out


def header_values(path):
    """The byte arrays and sizes of format_vector.h, by name."""
    text = open(path).read()
    values = {}
    for name, body in re.findall(
            r"ioi_vec_(\w+)\[\d+\] = \{([^}]*)\}", text):
        values[name] = bytes(int(x, 16) for x in re.findall(r"0x(\w\w)", body))
    for name, num in re.findall(r"#define IOI_VEC_(\w+)\s+(\d+)", text):
        values[name.lower()] = int(num)
    return values


def main():
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)
            print("format_vector.py: FAILED: " + what)

    master = bytes(range(32))
    file_nonce = bytes(range(0x20, 0x40))
    plain = bytes(k % 251 for k in range(5000))
    enc, key_id, file_key, header_tag = encrypt(
        master, file_nonce, lambda i: bytes([0x40 + i]) * 12, plain)
    sha = hashlib.sha256(enc).digest()
    if "--print" in sys.argv[1:]:
        print(f"key id      {key_id.hex()}")
        print(f"file key    {file_key.hex()}")
        print(f"header tag  {header_tag.hex()}")
        print(f"file size   {len(enc)}")
        print(f"end record  {enc[-END:].hex()}")
        print(f"sha256      {sha.hex()}")

    vec = header_values(os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "format_vector.h"))
    check(len(enc) == 80 + 4124 + 932 + 28 == vec.get("file_size"),
          f"file size {len(enc)}, format_vector.h {vec.get('file_size')}")
    check(vec.get("plain_size") == len(plain), "plaintext size")
    for name, got in (("key_id", key_id), ("file_key", file_key),
                      ("header_tag", header_tag), ("file_sha256", sha)):
        check(vec.get(name) == got,
              f"{name} {got.hex()}, format_vector.h "
              f"{vec.get(name, b'').hex()}")

    # Reading it back, and the damage docs/format.md says is detected.
    check(decrypt(master, enc) == plain, "round trip")
    check(decrypt(master, enc[:80]) == b"", "a header alone is empty")
    check(decrypt(bytes(32), enc) == "wrong key", "another key")
    flipped = bytearray(enc)
    flipped[-1] ^= 1
    check(decrypt(master, bytes(flipped)) == "end record",
          "end record bit flip")
    check(decrypt(master, enc[:-END] + enc[80:80 + 28]) == "end record",
          "another end record")
    check(decrypt(master, enc + bytes(28)) == "block 1",
          "28 bytes appended")
    check(decrypt(master, enc[:80 + 4124 + 28]) == "end record",
          "cut to the first block and 28 bytes")
    check(decrypt(master, enc[:80 + 4124]) == "block 0",
          "cut at a block boundary")
    for cut in (81, 108, 136):
        check(decrypt(master, enc[:cut]) == "truncated block", f"cut {cut}")
    # An end record sealed for another size, in the right place.
    other = bytes([0x77]) * 12
    stale = other + AESGCM(file_key).encrypt(other, b"", end_aad(4096))
    check(decrypt(master, enc[:-END] + stale) == "end record",
          "an end record of another size")
    good = other + AESGCM(file_key).encrypt(other, b"", end_aad(5000))
    check(decrypt(master, enc[:-END] + good) == plain,
          "a new end record of the right size")
    # Every size the arithmetic gives back.
    for p in list(range(1, 3 * BLOCK + 3)) + [2**20 + 1]:
        n = -(-p // BLOCK)
        check(plain_size(80 + p + 28 * n + 28) == (p, n), f"size {p}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
