/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The known-answer vector of docs/format.md ("Known-answer vector"):
 *
 *   master key    00 01 02 ... 1f
 *   file nonce    20 21 ... 3f
 *   block nonces  block i: 12 bytes of 0x40 + i
 *   end record    its nonce: 12 bytes of 0x40 + n, n the number of blocks
 *                 (0x42 here)
 *   plaintext     5000 bytes, byte k = k % 251
 *
 * which encrypts to 80 + 4124 + 932 + 28 = 5164 bytes (version 2 of the
 * format: header, two blocks, end record). The values below were computed
 * by ctl/format.c (OpenSSL libcrypto), through ioi_crypt_encrypt() with its
 * random source replaced by the nonces above (test_known_answer() in
 * test_format.c recomputes them), and agree with an independent
 * implementation of docs/format.md in Python, format_vector.py beside this
 * file (`make -C ctl check` runs it): HMAC-SHA-256 from hashlib for the
 * PRK, HKDFExpand and AESGCM from the `cryptography` package for the rest,
 * the header built byte by byte from the table in docs/format.md. The key
 * identifier and the file key are those of version 1 (the derivations did
 * not change); the header tag covers the version byte, so it did. The
 * module's tests check its implementation against the same values.
 *
 * Plain byte arrays, so that kernel code can include this file as it is.
 */
#ifndef IOI_TEST_FORMAT_VECTOR_H
#define IOI_TEST_FORMAT_VECTOR_H

#define IOI_VEC_PLAIN_SIZE	5000
#define IOI_VEC_FILE_SIZE	5164

/*
 * HKDF-Expand(PRK, "iointercept v1 key id", 16):
 * c7057dd824e7be1e73b5f7d36801d036
 */
static const unsigned char ioi_vec_key_id[16] = {
	0xc7, 0x05, 0x7d, 0xd8, 0x24, 0xe7, 0xbe, 0x1e,
	0x73, 0xb5, 0xf7, 0xd3, 0x68, 0x01, 0xd0, 0x36,
};

/*
 * HKDF-Expand(PRK, "iointercept v1 file key" || file nonce, 32):
 * 1bea3d084b4f67a21123591dafecebac1563a0733d62a7f0d5f94ef1640d7722
 */
static const unsigned char ioi_vec_file_key[32] = {
	0x1b, 0xea, 0x3d, 0x08, 0x4b, 0x4f, 0x67, 0xa2,
	0x11, 0x23, 0x59, 0x1d, 0xaf, 0xec, 0xeb, 0xac,
	0x15, 0x63, 0xa0, 0x73, 0x3d, 0x62, 0xa7, 0xf0,
	0xd5, 0xf9, 0x4e, 0xf1, 0x64, 0x0d, 0x77, 0x22,
};

/*
 * Header bytes 64..79, the GCM tag of "" under the file key, nonce 0,
 * AAD header bytes 0..63 (version byte 2): 9d053703a11e58178c8505023060785a
 */
static const unsigned char ioi_vec_header_tag[16] = {
	0x9d, 0x05, 0x37, 0x03, 0xa1, 0x1e, 0x58, 0x17,
	0x8c, 0x85, 0x05, 0x02, 0x30, 0x60, 0x78, 0x5a,
};

/*
 * The end record, the file's last 28 bytes: nonce (12 bytes of 0x42) ||
 * the GCM tag of "" under the file key with AAD le64(5000) || 01:
 * 424242424242424242424242404f506b8f9f8f48d736d3225c6e4578
 */
static const unsigned char ioi_vec_end_record[28] = {
	0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42,
	0x42, 0x42, 0x42, 0x42, 0x40, 0x4f, 0x50, 0x6b,
	0x8f, 0x9f, 0x8f, 0x48, 0xd7, 0x36, 0xd3, 0x22,
	0x5c, 0x6e, 0x45, 0x78,
};

/*
 * SHA-256 of the whole 5164-byte encrypted file:
 * 5526adb9fd571ad9df6865c93aec71e1d87032ffbf01b8033e816fe88bb9a417
 */
static const unsigned char ioi_vec_file_sha256[32] = {
	0x55, 0x26, 0xad, 0xb9, 0xfd, 0x57, 0x1a, 0xd9,
	0xdf, 0x68, 0x65, 0xc9, 0x3a, 0xec, 0x71, 0xe1,
	0xd8, 0x70, 0x32, 0xff, 0xbf, 0x01, 0xb8, 0x03,
	0x3e, 0x81, 0x6f, 0xe8, 0x8b, 0xb9, 0xa4, 0x17,
};

#endif /* IOI_TEST_FORMAT_VECTOR_H */
