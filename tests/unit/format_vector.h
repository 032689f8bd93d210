/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The known-answer vector of docs/format.md ("Known-answer vector"):
 *
 *   master key    00 01 02 ... 1f
 *   file nonce    20 21 ... 3f
 *   block nonces  block i: 12 bytes of 0x40 + i
 *   plaintext     5000 bytes, byte k = k % 251
 *
 * which encrypts to 80 + 4124 + 932 = 5136 bytes. The values below were
 * computed by ctl/format.c (OpenSSL libcrypto), through ioi_crypt_encrypt()
 * with its random source replaced by the nonces above (test_known_answer()
 * in test_format.c recomputes them), and agree with an independent
 * implementation of docs/format.md in Python: HMAC-SHA-256 from hashlib for
 * the PRK, HKDFExpand and AESGCM from the `cryptography` package for the
 * rest, the header built byte by byte from the table in docs/format.md.
 * The module's tests check its implementation against the same values.
 *
 * Plain byte arrays, so that kernel code can include this file as it is.
 */
#ifndef IOI_TEST_FORMAT_VECTOR_H
#define IOI_TEST_FORMAT_VECTOR_H

#define IOI_VEC_PLAIN_SIZE	5000
#define IOI_VEC_FILE_SIZE	5136

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
 * AAD header bytes 0..63: 2c4802ede8086188a0db900ffc3b2711
 */
static const unsigned char ioi_vec_header_tag[16] = {
	0x2c, 0x48, 0x02, 0xed, 0xe8, 0x08, 0x61, 0x88,
	0xa0, 0xdb, 0x90, 0x0f, 0xfc, 0x3b, 0x27, 0x11,
};

/*
 * SHA-256 of the whole 5136-byte encrypted file:
 * bf7270b833432bda022f569d21cbc2377ebb85ddf24c719e394a90d10b8348f0
 */
static const unsigned char ioi_vec_file_sha256[32] = {
	0xbf, 0x72, 0x70, 0xb8, 0x33, 0x43, 0x2b, 0xda,
	0x02, 0x2f, 0x56, 0x9d, 0x21, 0xcb, 0xc2, 0x37,
	0x7e, 0xbb, 0x85, 0xdd, 0xf2, 0x4c, 0x71, 0x9e,
	0x39, 0x4a, 0x90, 0xd1, 0x0b, 0x83, 0x48, 0xf0,
};

#endif /* IOI_TEST_FORMAT_VECTOR_H */
