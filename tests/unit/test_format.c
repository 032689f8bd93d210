// SPDX-License-Identifier: GPL-2.0
/*
 * The encrypted-file format (ctl/format.c, docs/format.md) and whole files
 * through ioi_crypt_encrypt()/ioi_crypt_decrypt(), what encrypt, decrypt and
 * inspect run: RFC 5869's HKDF-SHA-256 vectors, the header, the sizes, one
 * block, the end record, the known-answer vector (format_vector.h), round
 * trips, and every kind of damage docs/format.md says is detected. A
 * damaged file is also given to `ioctl-cli decrypt`, which must leave OUT
 * as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/sha.h>

#include "cli.h"
#include "cli_run.h"
#include "crypt.h"
#include "format.h"
#include "format_vector.h"
#include "tmpdir.h"
#include "util.h"

#define MIB		(1024 * 1024)
/* Three blocks, the last one short, and the end record: 80 + 4124 * 2 +
 * 128 + 28. */
#define BASE_PLAIN	(2 * IOI_FMT_BLOCK_SIZE + 100)
#define BASE_END	(IOI_FMT_HEADER_SIZE + 2 * IOI_FMT_SEALED_SIZE + 128)
#define BASE_LOWER	(BASE_END + IOI_FMT_END_SIZE)

/* A master key of bytes @seed, @seed + 1, ..., and its key file. */
struct key {
	uint8_t raw[IOI_FMT_KEY_SIZE];
	struct ioi_fmt_master m;
	char path[64];
};

static struct key key_a, key_b;

static void unhex(uint8_t *out, const char *hex)
{
	size_t i;

	for (i = 0; hex[2 * i]; i++)
		assert_int_equal(sscanf(hex + 2 * i, "%2hhx", &out[i]), 1);
}

static void key_init(struct key *k, uint8_t seed, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(k->raw); i++)
		k->raw[i] = (uint8_t)(seed + i);
	assert_int_equal(ioi_fmt_master_init(&k->m, k->raw), 0);
	tmpdir_path(k->path, sizeof(k->path), name);
	write_file(k->path, k->raw, sizeof(k->raw));
}

static int setup(void **state)
{
	(void)state;
	if (tmpdir_create("test_format"))
		return -1;
	key_init(&key_a, 0, "key_a");
	key_init(&key_b, 0x80, "key_b");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

/* Plaintext of @len bytes that differs from block to block. */
static uint8_t *plaintext(size_t len)
{
	uint8_t *p = malloc(len ? len : 1);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i % 251 + i / IOI_FMT_BLOCK_SIZE);
	return p;
}

/* Encrypt @len bytes of @plain under @k into a new buffer. */
static uint8_t *encrypt_buf(const struct key *k, const uint8_t *plain,
			    size_t len, const struct ioi_fmt_rand *rand,
			    size_t *out_len)
{
	struct ioi_crypt_status st;
	FILE *in, *out;
	uint8_t *buf;

	/* fmemopen() of 0 bytes fails: /dev/null is as empty. */
	in = len ? fmemopen((void *)plain, len, "r") :
		   fopen("/dev/null", "r");
	assert_non_null(in);
	out = tmpfile();
	assert_non_null(out);
	assert_int_equal(ioi_crypt_encrypt(in, out, &k->m, rand, &st), 0);
	fclose(in);
	buf = (uint8_t *)slurp(out, out_len);
	return buf;
}

/*
 * Decrypt @len bytes of @enc under @k; the plaintext written, malloc()ed,
 * in *@plain (may be NULL). Returns what ioi_crypt_decrypt() returned.
 */
static int decrypt_buf(const struct key *k, const uint8_t *enc, size_t len,
		       struct ioi_crypt_status *st, uint8_t **plain,
		       size_t *plain_len)
{
	FILE *in, *out;
	int ret;

	in = len ? fmemopen((void *)enc, len, "r") : fopen("/dev/null", "r");
	assert_non_null(in);
	out = tmpfile();
	assert_non_null(out);
	ret = ioi_crypt_decrypt(in, out, &k->m, st);
	fclose(in);
	if (plain) {
		*plain = (uint8_t *)slurp(out, plain_len);
	} else {
		*plain_len = (size_t)ftell(out);
		fclose(out);
	}
	return ret;
}

static void test_hkdf_rfc5869(void **state)
{
	static const struct {
		const char *ikm, *salt, *info, *prk, *okm;
	} v[] = {
		{	/* A.1 */
			"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
			"000102030405060708090a0b0c",
			"f0f1f2f3f4f5f6f7f8f9",
			"077709362c2e32df0ddc3f0dc47bba63"
			"90b6c73bb50f9c3122ec844ad7c2b3e5",
			"3cb25f25faacd57a90434f64d0362f2a"
			"2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
			"34007208d5b887185865",
		},
		{	/* A.2 */
			"000102030405060708090a0b0c0d0e0f"
			"101112131415161718191a1b1c1d1e1f"
			"202122232425262728292a2b2c2d2e2f"
			"303132333435363738393a3b3c3d3e3f"
			"404142434445464748494a4b4c4d4e4f",
			"606162636465666768696a6b6c6d6e6f"
			"707172737475767778797a7b7c7d7e7f"
			"808182838485868788898a8b8c8d8e8f"
			"909192939495969798999a9b9c9d9e9f"
			"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
			"b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
			"c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
			"d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
			"e0e1e2e3e4e5e6e7e8e9eaebecedeeef"
			"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
			"06a6b88c5853361a06104c9ceb35b45c"
			"ef760014904671014a193f40c15fc244",
			"b11e398dc80327a1c8e7f78c596a4934"
			"4f012eda2d4efad8a050cc4c19afa97c"
			"59045a99cac7827271cb41c65e590e09"
			"da3275600c2f09b8367793a9aca3db71"
			"cc30c58179ec3e87c14c01d5c1f3434f"
			"1d87",
		},
		{	/* A.3: no salt, no info */
			"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
			"",
			"",
			"19ef24a32c717b167f33a91d6f648bdf"
			"96596776afdb6377ac434c1c293ccb04",
			"8da4e775a563c18f715f802a063c5a31"
			"b8a11f5c5ee1879ec3454e5f3c738d2d"
			"9d201395faa4b61a96c8",
		},
	};
	uint8_t ikm[80], salt[80], info[80], prk[32], okm[82];
	uint8_t want_prk[32], want_okm[82], got[82];
	size_t i, ikm_len, salt_len, info_len, len;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		ikm_len = strlen(v[i].ikm) / 2;
		salt_len = strlen(v[i].salt) / 2;
		info_len = strlen(v[i].info) / 2;
		len = strlen(v[i].okm) / 2;
		unhex(ikm, v[i].ikm);
		unhex(salt, v[i].salt);
		unhex(info, v[i].info);
		unhex(want_prk, v[i].prk);
		unhex(want_okm, v[i].okm);

		assert_int_equal(ioi_hkdf_extract(salt, salt_len, ikm, ikm_len,
						  prk), 0);
		assert_memory_equal(prk, want_prk, sizeof(prk));
		assert_int_equal(ioi_hkdf_expand(prk, info, info_len, okm, len),
				 0);
		assert_memory_equal(okm, want_okm, len);
		memset(got, 0, sizeof(got));
		assert_int_equal(ioi_hkdf_sha256(salt, salt_len, ikm, ikm_len,
						 info, info_len, got, len), 0);
		assert_memory_equal(got, want_okm, len);
		/* A shorter output is a prefix of the longer one. */
		assert_int_equal(ioi_hkdf_expand(prk, info, info_len, got, 7),
				 0);
		assert_memory_equal(got, want_okm, 7);
	}
	/* At most 255 blocks of output. */
	assert_int_not_equal(ioi_hkdf_expand(prk, NULL, 0, got,
					     255 * 32 + 1), 0);
}

static void test_keys(void **state)
{
	uint8_t nonce[IOI_FMT_FILE_NONCE_SIZE], k1[32], k2[32], k3[32];
	struct ioi_fmt_master again;

	(void)state;
	/* The same master key always has the same identifier ... */
	assert_int_equal(ioi_fmt_master_init(&again, key_a.raw), 0);
	assert_memory_equal(&again, &key_a.m, sizeof(again));
	/* ... and another one another. */
	assert_memory_not_equal(key_a.m.key_id, key_b.m.key_id,
				IOI_FMT_KEY_ID_SIZE);

	memset(nonce, 0x55, sizeof(nonce));
	assert_int_equal(ioi_fmt_file_key(&key_a.m, nonce, k1), 0);
	assert_int_equal(ioi_fmt_file_key(&key_a.m, nonce, k2), 0);
	assert_memory_equal(k1, k2, sizeof(k1));
	/* Another file nonce, or another master key: another file key. */
	nonce[31] ^= 1;
	assert_int_equal(ioi_fmt_file_key(&key_a.m, nonce, k2), 0);
	assert_memory_not_equal(k1, k2, sizeof(k1));
	assert_int_equal(ioi_fmt_file_key(&key_b.m, nonce, k3), 0);
	assert_memory_not_equal(k2, k3, sizeof(k2));
	/* Different info strings: the key id is not a prefix of a key. */
	assert_memory_not_equal(k1, key_a.m.key_id, IOI_FMT_KEY_ID_SIZE);
}

static void good_header(struct ioi_fmt_header *h)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	memcpy(h->magic, IOI_FMT_MAGIC, 4);
	h->version = 2;
	h->suite = 1;
	h->block_shift = 12;
	for (i = 0; i < 16; i++)
		h->key_id[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < 32; i++)
		h->file_nonce[i] = (uint8_t)(0xc0 + i);
	for (i = 0; i < 16; i++)
		h->tag[i] = (uint8_t)(0xf0 + i);
}

static void test_header_round_trip(void **state)
{
	uint8_t buf[IOI_FMT_HEADER_SIZE + 10];
	struct ioi_fmt_header h, back;
	size_t i;

	(void)state;
	good_header(&h);
	memset(buf, 0xee, sizeof(buf));
	ioi_fmt_header_emit(&h, buf);
	/* The layout of docs/format.md, byte by byte. */
	assert_memory_equal(buf, "IOIE\x02\x01\x0c\x00", 8);
	for (i = 0; i < 16; i++)
		assert_int_equal(buf[8 + i], 0xa0 + i);
	for (i = 0; i < 32; i++)
		assert_int_equal(buf[24 + i], 0xc0 + i);
	for (i = 0; i < 8; i++)
		assert_int_equal(buf[56 + i], 0);
	for (i = 0; i < 16; i++)
		assert_int_equal(buf[64 + i], 0xf0 + i);
	assert_int_equal(buf[80], 0xee);

	memset(&back, 0, sizeof(back));
	assert_int_equal(ioi_fmt_header_parse(&back, buf, 80, NULL, 0), 0);
	assert_memory_equal(&back, &h, sizeof(h));
	/* What follows the header is not the header's business. */
	assert_int_equal(ioi_fmt_header_parse(&back, buf, sizeof(buf), NULL,
					       0), 0);
}

/* Parsing @buf (@len bytes) fails with @err and a message with @want. */
static void expect_parse(const uint8_t *buf, size_t len, int err,
			 const char *want)
{
	struct ioi_fmt_header h;
	char msg[128];

	assert_int_equal(ioi_fmt_header_parse(&h, buf, len, msg, sizeof(msg)),
			 err);
	if (!strstr(msg, want))
		fail_msg("\"%s\" does not contain \"%s\"", msg, want);
}

static void test_header_errors(void **state)
{
	static const struct {
		size_t offset;
		uint8_t value;
		int err;
		const char *msg;
	} bad[] = {
		{ 0, 'X', IOI_FMT_E_MAGIC, "not an iointercept file" },
		{ 3, 'e', IOI_FMT_E_MAGIC, "starts with 494f4965" },
		{ 4, 0, IOI_FMT_E_VERSION, "unknown version 0 (expected 2)" },
		/* Version 1 (no end record) is refused, not read. */
		{ 4, 1, IOI_FMT_E_VERSION, "unknown version 1 (expected 2)" },
		{ 4, 3, IOI_FMT_E_VERSION, "unknown version 3" },
		{ 5, 0, IOI_FMT_E_SUITE, "unknown suite 0" },
		{ 5, 2, IOI_FMT_E_SUITE, "unknown suite 2" },
		{ 6, 11, IOI_FMT_E_BLOCK_SIZE, "unknown block size: log2 11" },
		{ 6, 13, IOI_FMT_E_BLOCK_SIZE, "log2 13 (expected 12" },
		{ 7, 1, IOI_FMT_E_FLAGS, "unknown flags 0x01" },
		{ 7, 0x80, IOI_FMT_E_FLAGS, "unknown flags 0x80" },
		{ 56, 1, IOI_FMT_E_RESERVED,
		  "non-zero reserved bytes 0100000000000000" },
		{ 63, 0x80, IOI_FMT_E_RESERVED,
		  "non-zero reserved bytes 0000000000000080" },
	};
	uint8_t buf[IOI_FMT_HEADER_SIZE], bad_buf[IOI_FMT_HEADER_SIZE];
	struct ioi_fmt_header h;
	size_t i;

	(void)state;
	good_header(&h);
	ioi_fmt_header_emit(&h, buf);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(bad_buf, buf, sizeof(buf));
		bad_buf[bad[i].offset] = bad[i].value;
		expect_parse(bad_buf, sizeof(bad_buf), bad[i].err, bad[i].msg);
	}
	/* A cut header, with as much of the magic as there is. */
	expect_parse(buf, 1, IOI_FMT_E_TRUNCATED_HEADER,
		     "truncated header (1 of 80 bytes)");
	expect_parse(buf, 4, IOI_FMT_E_TRUNCATED_HEADER, "(4 of 80");
	expect_parse(buf, 79, IOI_FMT_E_TRUNCATED_HEADER, "(79 of 80");
	/* A short file that is something else is something else. */
	expect_parse((const uint8_t *)"#!", 2, IOI_FMT_E_MAGIC, "2321");
	expect_parse((const uint8_t *)"hello, world", 12, IOI_FMT_E_MAGIC,
		     "starts with 68656c6c");
	/* The fields are decoded even when one is refused, for inspect. */
	bad_buf[4] = 7;
	assert_int_equal(ioi_fmt_header_parse(&h, bad_buf, 80, NULL, 0),
			 IOI_FMT_E_VERSION);
	assert_int_equal(h.version, 7);
	assert_int_equal(h.file_nonce[0], 0xc0);

	for (i = IOI_FMT_OK; i <= IOI_FMT_E_CRYPTO; i++)
		assert_string_not_equal(ioi_fmt_strerror((int)i),
					"unknown error");
	assert_string_equal(ioi_fmt_strerror(-1), "unknown error");
	assert_string_equal(ioi_fmt_strerror(1000), "unknown error");
}

static void expect_lower(uint64_t lower, int err, uint64_t plain,
			 uint64_t blocks)
{
	uint64_t p = 1234, b = 1234;

	assert_int_equal(ioi_fmt_plain_size(lower, &p, &b), err);
	if (!err)
		assert_int_equal(p, plain);
	assert_int_equal(b, blocks);
}

static void expect_plain(uint64_t plain, uint64_t lower)
{
	uint64_t l = 1234, p, b;

	assert_int_equal(ioi_fmt_lower_size(plain, &l), 0);
	assert_int_equal(l, lower);
	/* And back. */
	assert_int_equal(ioi_fmt_plain_size(lower, &p, &b), 0);
	assert_int_equal(p, plain);
}

static void test_sizes(void **state)
{
	uint64_t l, p, q, b;

	(void)state;
	expect_lower(0, 0, 0, 0);
	expect_lower(1, IOI_FMT_E_TRUNCATED_HEADER, 0, 0);
	expect_lower(79, IOI_FMT_E_TRUNCATED_HEADER, 0, 0);
	expect_lower(80, 0, 0, 0);
	/* Not even one byte of data in a block and an end record. */
	for (l = 81; l <= 136; l++)
		expect_lower(l, IOI_FMT_E_TRUNCATED_BLOCK, 0, 1);
	expect_lower(137, 0, 1, 1);
	expect_lower(4232, 0, 4096, 1);
	expect_lower(4233, IOI_FMT_E_TRUNCATED_BLOCK, 0, 2);
	expect_lower(4232 + 28, IOI_FMT_E_TRUNCATED_BLOCK, 0, 2);
	expect_lower(4232 + 29, 0, 4097, 2);
	/* A v1 file's sizes mean other things now (v1: 5136 = 5000 bytes). */
	expect_lower(5136, 0, 4972, 2);
	/* No overflow at the top: computed with Python's big integers. */
	expect_lower(UINT64_MAX, 0, 18321499448572823207ULL,
		     4473022326311725ULL);

	expect_plain(0, 0);
	expect_plain(1, 137);
	expect_plain(4095, 4231);
	expect_plain(4096, 4232);
	expect_plain(4097, 4261);
	expect_plain(5000, 5164);
	expect_plain(MIB + 1, 80 + MIB + 1 + 28 * 257 + 28);
	assert_int_equal(ioi_fmt_lower_size(UINT64_MAX, &l),
			 IOI_FMT_E_TOO_LARGE);

	/* The two directions agree for the first few blocks. */
	for (p = 1; p < 5 * 4096 + 3; p++) {
		assert_int_equal(ioi_fmt_lower_size(p, &l), 0);
		assert_int_equal(ioi_fmt_plain_size(l, &q, &b), 0);
		assert_int_equal(q, p);
		assert_int_equal(b, (p + 4095) / 4096);
	}

	/* Where plaintext bytes are stored. */
	assert_int_equal(ioi_fmt_block_index(0), 0);
	assert_int_equal(ioi_fmt_lower_offset(0), 92);
	assert_int_equal(ioi_fmt_block_index(4095), 0);
	assert_int_equal(ioi_fmt_lower_offset(4095), 80 + 12 + 4095);
	assert_int_equal(ioi_fmt_block_index(4096), 1);
	assert_int_equal(ioi_fmt_lower_offset(4096), 80 + 4124 + 12);
	assert_int_equal(ioi_fmt_block_index(4097), 1);
	assert_int_equal(ioi_fmt_lower_offset(4097), 80 + 4124 + 13);
	assert_int_equal(ioi_fmt_block_index(MIB), 256);
	assert_int_equal(ioi_fmt_lower_offset(MIB), 80 + 4124 * 256 + 12);
	assert_int_equal(ioi_fmt_block_offset(3), 80 + 3 * 4124);
}

static void test_seal_open(void **state)
{
	uint8_t header[IOI_FMT_HEADER_SIZE], plain[IOI_FMT_BLOCK_SIZE];
	uint8_t s1[IOI_FMT_SEALED_SIZE], s2[IOI_FMT_SEALED_SIZE];
	uint8_t back[IOI_FMT_BLOCK_SIZE];
	struct ioi_fmt_header h;
	struct ioi_fmt_file f, g;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)i;
	assert_int_equal(ioi_fmt_file_create(&f, &key_a.m,
					     &ioi_fmt_rand_default, header), 0);
	assert_int_equal(ioi_fmt_header_parse(&h, header, sizeof(header),
					      NULL, 0), 0);
	assert_memory_equal(h.key_id, key_a.m.key_id, IOI_FMT_KEY_ID_SIZE);

	/* Sealing the same block twice: new nonce, new ciphertext. */
	assert_int_equal(ioi_fmt_seal(&f, 3, plain, 4096, s1), 0);
	assert_int_equal(ioi_fmt_seal(&f, 3, plain, 4096, s2), 0);
	assert_memory_not_equal(s1, s2, IOI_FMT_NONCE_SIZE);
	assert_memory_not_equal(s1 + 12, s2 + 12, 4096);
	assert_memory_not_equal(s1 + 12 + 4096, s2 + 12 + 4096, 16);
	/* The ciphertext is not the plaintext. */
	assert_memory_not_equal(s1 + 12, plain, 4096);

	/* Another context on the same header opens both. */
	assert_int_equal(ioi_fmt_file_open(&g, &key_a.m, &h, header), 0);
	assert_int_equal(ioi_fmt_open(&g, 3, s1, sizeof(s1), back), 0);
	assert_memory_equal(back, plain, sizeof(back));
	assert_int_equal(ioi_fmt_open(&g, 3, s2, sizeof(s2), back), 0);
	assert_memory_equal(back, plain, sizeof(back));

	/* Another index: no plaintext, only zeros. */
	assert_int_equal(ioi_fmt_open(&g, 4, s1, sizeof(s1), back),
			 IOI_FMT_E_BLOCK_AUTH);
	for (i = 0; i < sizeof(back); i++)
		assert_int_equal(back[i], 0);
	assert_int_equal(ioi_fmt_open(&g, 3 + (1ULL << 32), s1, sizeof(s1),
				      back),
			 IOI_FMT_E_BLOCK_AUTH);

	/* A short block, and the sizes that are not blocks. */
	assert_int_equal(ioi_fmt_seal(&f, 0, plain, 1, s1), 0);
	assert_int_equal(ioi_fmt_open(&g, 0, s1, 29, back), 0);
	assert_int_equal(back[0], plain[0]);
	assert_int_equal(ioi_fmt_open(&g, 0, s1, 28, back),
			 IOI_FMT_E_TRUNCATED_BLOCK);
	assert_int_not_equal(ioi_fmt_seal(&f, 0, plain, 0, s1), 0);
	assert_int_not_equal(ioi_fmt_seal(&f, 0, plain, 4097, s1), 0);

	/* Another master key is refused before any tag is checked. */
	ioi_fmt_file_free(&g);
	assert_int_equal(ioi_fmt_file_open(&g, &key_b.m, &h, header),
			 IOI_FMT_E_WRONG_KEY);
	ioi_fmt_file_free(&f);
}

/* The end record: bound to the size, to the file, never a block. */
static void test_end_record(void **state)
{
	uint8_t header[IOI_FMT_HEADER_SIZE], other_header[IOI_FMT_HEADER_SIZE];
	uint8_t e1[IOI_FMT_END_SIZE], e2[IOI_FMT_END_SIZE];
	uint8_t s1[IOI_FMT_SEALED_SIZE], plain[IOI_FMT_BLOCK_SIZE] = { 0 };
	struct ioi_fmt_file f, g;
	size_t i;

	(void)state;
	assert_int_equal(ioi_fmt_file_create(&f, &key_a.m,
					     &ioi_fmt_rand_default, header), 0);
	assert_int_equal(ioi_fmt_end_seal(&f, 5000, e1), 0);
	assert_int_equal(ioi_fmt_end_seal(&f, 5000, e2), 0);
	/* A fresh nonce every time it is written. */
	assert_memory_not_equal(e1, e2, IOI_FMT_NONCE_SIZE);
	assert_int_equal(ioi_fmt_end_open(&f, 5000, e1), 0);
	assert_int_equal(ioi_fmt_end_open(&f, 5000, e2), 0);
	/* Any other size: cut, grown, or a record left from before. */
	assert_int_equal(ioi_fmt_end_open(&f, 4999, e1), IOI_FMT_E_END_AUTH);
	assert_int_equal(ioi_fmt_end_open(&f, 5001, e1), IOI_FMT_E_END_AUTH);
	assert_int_equal(ioi_fmt_end_open(&f, 5000 + (1ULL << 32), e1),
			 IOI_FMT_E_END_AUTH);
	/* Every bit of it counts. */
	for (i = 0; i < 8 * IOI_FMT_END_SIZE; i++) {
		memcpy(e2, e1, sizeof(e2));
		e2[i / 8] ^= (uint8_t)(1 << (i % 8));
		assert_int_equal(ioi_fmt_end_open(&f, 5000, e2),
				 IOI_FMT_E_END_AUTH);
	}
	/* Another file's, under the same master key. */
	assert_int_equal(ioi_fmt_file_create(&g, &key_a.m,
					     &ioi_fmt_rand_default,
					     other_header), 0);
	assert_int_equal(ioi_fmt_end_open(&g, 5000, e1), IOI_FMT_E_END_AUTH);
	ioi_fmt_file_free(&g);
	/*
	 * The AAD's last byte keeps blocks and records apart: the first 28
	 * bytes of a block sealed with index 5000 are no end record for 5000
	 * bytes (nor would any block's tag be: the plaintext differs too).
	 */
	assert_int_equal(ioi_fmt_seal(&f, 5000, plain, 1, s1), 0);
	memcpy(e2, s1, IOI_FMT_NONCE_SIZE);
	memcpy(e2 + IOI_FMT_NONCE_SIZE, s1 + IOI_FMT_NONCE_SIZE + 1,
	       IOI_FMT_TAG_SIZE);
	assert_int_equal(ioi_fmt_end_open(&f, 5000, e2), IOI_FMT_E_END_AUTH);
	/* An empty file has no end record. */
	assert_int_not_equal(ioi_fmt_end_seal(&f, 0, e1), 0);
	ioi_fmt_file_free(&f);
}

/* docs/format.md's nonces: the file nonce 20..3f, block i's 0x40 + i. */
static int vector_fill(void *arg, uint8_t *buf, size_t len)
{
	unsigned int *blocks = arg;
	size_t i;

	if (len == IOI_FMT_FILE_NONCE_SIZE) {
		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)(0x20 + i);
		return 0;
	}
	if (len != IOI_FMT_NONCE_SIZE)
		return -1;
	memset(buf, 0x40 + (*blocks)++, len);
	return 0;
}

/* All zeros for the first block nonce drawn, then 0x55. */
static int zero_first_fill(void *arg, uint8_t *buf, size_t len)
{
	unsigned int *calls = arg;

	memset(buf, len == IOI_FMT_NONCE_SIZE && (*calls)++ == 0 ? 0 : 0x55,
	       len);
	return 0;
}

/* A block never takes the all-zero nonce, which the header tag uses. */
static void test_zero_nonce_redrawn(void **state)
{
	uint8_t key[32] = { 1 }, header[IOI_FMT_HEADER_SIZE];
	uint8_t plain[10] = { 0 }, out[10 + IOI_FMT_OVERHEAD];
	unsigned int calls = 0;
	struct ioi_fmt_rand rand = { zero_first_fill, &calls };
	struct ioi_fmt_master m;
	struct ioi_fmt_file f;
	size_t i;

	(void)state;
	assert_int_equal(ioi_fmt_master_init(&m, key), 0);
	assert_int_equal(ioi_fmt_file_create(&f, &m, &rand, header), 0);
	assert_int_equal(ioi_fmt_seal(&f, 0, plain, sizeof(plain), out), 0);
	assert_int_equal(calls, 2);
	for (i = 0; i < IOI_FMT_NONCE_SIZE; i++)
		assert_int_equal(out[i], 0x55);
	/* Nor does an end record. */
	calls = 0;
	assert_int_equal(ioi_fmt_end_seal(&f, 10, out), 0);
	assert_int_equal(calls, 2);
	for (i = 0; i < IOI_FMT_NONCE_SIZE; i++)
		assert_int_equal(out[i], 0x55);
	assert_int_equal(ioi_fmt_end_open(&f, 10, out), 0);
	ioi_fmt_file_free(&f);
	ioi_fmt_master_wipe(&m);
}

static void test_known_answer(void **state)
{
	uint8_t master[32], nonce[32], file_key[32], tag[16];
	uint8_t sha[SHA256_DIGEST_LENGTH], *plain, *enc, *back;
	unsigned int blocks = 0;
	struct ioi_fmt_rand rand = { vector_fill, &blocks };
	struct ioi_crypt_status st;
	struct key k;
	size_t i, len, back_len;

	(void)state;
	for (i = 0; i < 32; i++) {
		master[i] = (uint8_t)i;
		nonce[i] = (uint8_t)(0x20 + i);
	}
	plain = malloc(IOI_VEC_PLAIN_SIZE);
	assert_non_null(plain);
	for (i = 0; i < IOI_VEC_PLAIN_SIZE; i++)
		plain[i] = (uint8_t)(i % 251);

	memcpy(k.raw, master, sizeof(master));
	assert_int_equal(ioi_fmt_master_init(&k.m, master), 0);
	assert_memory_equal(k.m.key_id, ioi_vec_key_id, 16);
	assert_int_equal(ioi_fmt_file_key(&k.m, nonce, file_key), 0);
	assert_memory_equal(file_key, ioi_vec_file_key, 32);

	enc = encrypt_buf(&k, plain, IOI_VEC_PLAIN_SIZE, &rand, &len);
	assert_int_equal(len, IOI_VEC_FILE_SIZE);
	/* Nonces drawn: two blocks, then the end record. */
	assert_int_equal(blocks, 3);
	assert_memory_equal(enc + 64, ioi_vec_header_tag, 16);
	assert_int_equal(ioi_fmt_header_tag(file_key, enc, tag), 0);
	assert_memory_equal(tag, ioi_vec_header_tag, 16);
	SHA256(enc, len, sha);
	assert_memory_equal(sha, ioi_vec_file_sha256, sizeof(sha));
	/* The nonces are where the vector puts them. */
	assert_memory_equal(enc + 24, nonce, 32);
	assert_int_equal(enc[80], 0x40);
	assert_int_equal(enc[80 + 4124 + 11], 0x41);
	assert_memory_equal(enc + 80 + 4124 + 932, ioi_vec_end_record, 28);

	assert_int_equal(decrypt_buf(&k, enc, len, &st, &back, &back_len), 0);
	assert_int_equal(back_len, IOI_VEC_PLAIN_SIZE);
	assert_memory_equal(back, plain, IOI_VEC_PLAIN_SIZE);
	free(back);
	free(enc);
	free(plain);
}

/* Through files on disk, as the subcommands do. */
static void test_round_trips(void **state)
{
	static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, MIB + 1 };
	struct ioi_crypt_status st;
	char in_path[128], enc_path[128], out_path[128];
	uint8_t *plain, *back;
	size_t i, back_len;
	uint64_t lower;
	FILE *in, *out;
	struct stat sb;

	(void)state;
	tmpdir_path(in_path, sizeof(in_path), "rt.plain");
	tmpdir_path(enc_path, sizeof(enc_path), "rt.enc");
	tmpdir_path(out_path, sizeof(out_path), "rt.out");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		plain = plaintext(sizes[i]);
		write_file(in_path, plain, sizes[i]);

		in = fopen(in_path, "r");
		out = fopen(enc_path, "w");
		assert_int_equal(ioi_crypt_encrypt(in, out, &key_a.m,
						   &ioi_fmt_rand_default,
						   &st), 0);
		fclose(in);
		assert_int_equal(fclose(out), 0);
		assert_int_equal(stat(enc_path, &sb), 0);
		assert_int_equal(ioi_fmt_lower_size(sizes[i], &lower), 0);
		assert_int_equal(sb.st_size, lower);

		in = fopen(enc_path, "r");
		out = fopen(out_path, "w");
		assert_int_equal(ioi_crypt_decrypt(in, out, &key_a.m, &st), 0);
		fclose(in);
		assert_int_equal(fclose(out), 0);
		assert_true(st.sizes_valid);
		assert_int_equal(st.lower_size, lower);
		assert_int_equal(st.plain_size, sizes[i]);
		assert_int_equal(st.blocks, (sizes[i] + 4095) / 4096);

		back = read_file(out_path, &back_len);
		assert_int_equal(back_len, sizes[i]);
		if (sizes[i])
			assert_memory_equal(back, plain, sizes[i]);
		free(back);
		free(plain);
	}
}

/* A header alone is an empty file too (docs/format.md, "Sizes"). */
static void test_header_only(void **state)
{
	struct ioi_crypt_status st;
	uint8_t *enc, *back;
	size_t len, back_len;

	(void)state;
	enc = encrypt_buf(&key_a, (const uint8_t *)"x", 1,
			  &ioi_fmt_rand_default, &len);
	assert_int_equal(len, 137);
	assert_int_equal(decrypt_buf(&key_a, enc, 80, &st, &back, &back_len),
			 0);
	assert_int_equal(back_len, 0);
	assert_true(st.has_header);
	assert_int_equal(st.blocks, 0);
	free(back);
	/* Still under its key: another key is refused. */
	assert_int_equal(decrypt_buf(&key_b, enc, 80, &st, &back, &back_len),
			 -1);
	assert_int_equal(st.err, IOI_FMT_E_WRONG_KEY);
	free(back);
	free(enc);
}

static uint8_t *base_file(const struct key *k, size_t plain_len,
			  size_t *len)
{
	uint8_t *plain = plaintext(plain_len), *enc;

	enc = encrypt_buf(k, plain, plain_len, &ioi_fmt_rand_default, len);
	free(plain);
	return enc;
}

/*
 * @enc (@len bytes) must not decrypt under @k: error @err, about block
 * @block (-1: not a block). Only the blocks before it may have been
 * written (all of them when it is the end record, but the stream is then
 * thrown away). With @cli, `ioctl-cli decrypt` must then fail with exit 1, name
 * the problem, and leave an existing OUT as it was.
 */
static void expect_bad(const struct key *k, const uint8_t *enc, size_t len,
		       int err, int64_t block, bool cli)
{
	static const char old[] = "OUT before\n";
	char in_path[128], out_path[128];
	struct ioi_crypt_status st;
	size_t written;
	uint8_t *now;
	struct run r;

	assert_int_equal(decrypt_buf(k, enc, len, &st, NULL, &written), -1);
	if (st.err != err)
		fail_msg("error %d (%s), expected %d", st.err, st.msg, err);
	assert_int_equal(st.where, IOI_CRYPT_IN);
	if (err == IOI_FMT_E_END_AUTH) {
		uint64_t p, b;

		/* Every block verified, and was written to the stream. */
		assert_false(st.has_block);
		assert_int_equal(ioi_fmt_plain_size(len, &p, &b), 0);
		assert_int_equal(written, p);
	} else if (block < 0) {
		assert_false(st.has_block);
		assert_int_equal(written, 0);
	} else {
		assert_true(st.has_block);
		assert_int_equal(st.block, block);
		assert_int_equal(st.offset, 80 + 4124 * (uint64_t)block);
		assert_int_equal(written, 4096 * (uint64_t)block);
	}
	if (!cli)
		return;

	tmpdir_path(in_path, sizeof(in_path), "bad.enc");
	tmpdir_path(out_path, sizeof(out_path), "bad.out");
	write_file(in_path, enc, len);
	write_file(out_path, old, strlen(old));
	run_cli(&r, "decrypt", "--key", k->path, in_path, out_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, in_path));
	if (!strstr(r.err, st.msg))
		fail_msg("\"%s\" does not contain \"%s\"", r.err, st.msg);
	run_free(&r);
	now = read_file(out_path, &written);
	assert_int_equal(written, strlen(old));
	assert_memory_equal(now, old, written);
	free(now);
	assert_no_leftovers();
}

/* The header field that byte @i belongs to, and what damage to it gives. */
static int header_byte_error(size_t i)
{
	if (i < 4)
		return IOI_FMT_E_MAGIC;
	if (i == 4)
		return IOI_FMT_E_VERSION;
	if (i == 5)
		return IOI_FMT_E_SUITE;
	if (i == 6)
		return IOI_FMT_E_BLOCK_SIZE;
	if (i == 7)
		return IOI_FMT_E_FLAGS;
	if (i < 24)
		return IOI_FMT_E_WRONG_KEY;
	if (i < 56)
		return IOI_FMT_E_HEADER_AUTH;	/* file nonce */
	if (i < 64)
		return IOI_FMT_E_RESERVED;
	return IOI_FMT_E_HEADER_AUTH;		/* tag */
}

static void test_tamper_header(void **state)
{
	static const size_t fields[] = { 0, 4, 5, 6, 7, 8, 24, 56, 64, 79 };
	uint8_t *enc, *bad;
	size_t len, i, bit;

	(void)state;
	enc = base_file(&key_a, BASE_PLAIN, &len);
	assert_int_equal(len, BASE_LOWER);
	bad = malloc(len);
	assert_non_null(bad);
	/* Every bit of the header. */
	for (i = 0; i < IOI_FMT_HEADER_SIZE; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(bad, enc, len);
			bad[i] ^= (uint8_t)(1 << bit);
			expect_bad(&key_a, bad, len, header_byte_error(i), -1,
				   false);
		}
	}
	/* And one bit of each field through the command. */
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		memcpy(bad, enc, len);
		bad[fields[i]] ^= 1;
		expect_bad(&key_a, bad, len, header_byte_error(fields[i]), -1,
			   true);
	}
	free(bad);
	free(enc);
}

static void test_tamper_blocks(void **state)
{
	/* In each block: nonce, ciphertext (first, middle, last), tag. */
	static const size_t where[] = { 0, 11, 12, 60, 127, 128, 4107, 4108,
					4123 };
	uint8_t *enc, *bad;
	size_t len, b, i, off, blen;

	(void)state;
	enc = base_file(&key_a, BASE_PLAIN, &len);
	bad = malloc(len);
	assert_non_null(bad);
	for (b = 0; b < 3; b++) {
		blen = b < 2 ? IOI_FMT_SEALED_SIZE : 128;
		for (i = 0; i < ARRAY_SIZE(where); i++) {
			off = where[i] == 4123 ? blen - 1 : where[i];
			if (off >= blen)
				continue;
			memcpy(bad, enc, len);
			bad[ioi_fmt_block_offset(b) + off] ^= 0x10;
			expect_bad(&key_a, bad, len, IOI_FMT_E_BLOCK_AUTH,
				   (int64_t)b, i == 0 || i == 4);
		}
	}
	free(bad);
	free(enc);
}

static void test_tamper_moves(void **state)
{
	uint8_t *enc, *other, *bad;
	size_t len, other_len;

	(void)state;
	enc = base_file(&key_a, BASE_PLAIN, &len);
	other = base_file(&key_a, BASE_PLAIN, &other_len);
	bad = malloc(len);
	assert_non_null(bad);

	/* Two blocks swapped: the index is in the AAD. */
	memcpy(bad, enc, len);
	memcpy(bad + ioi_fmt_block_offset(0), enc + ioi_fmt_block_offset(1),
	       IOI_FMT_SEALED_SIZE);
	memcpy(bad + ioi_fmt_block_offset(1), enc + ioi_fmt_block_offset(0),
	       IOI_FMT_SEALED_SIZE);
	expect_bad(&key_a, bad, len, IOI_FMT_E_BLOCK_AUTH, 0, true);

	/* The same block of another file under the same master key. */
	memcpy(bad, enc, len);
	memcpy(bad + ioi_fmt_block_offset(1), other + ioi_fmt_block_offset(1),
	       IOI_FMT_SEALED_SIZE);
	expect_bad(&key_a, bad, len, IOI_FMT_E_BLOCK_AUTH, 1, true);

	/* Another file's header on this file's blocks. */
	memcpy(bad, enc, len);
	memcpy(bad, other, IOI_FMT_HEADER_SIZE);
	expect_bad(&key_a, bad, len, IOI_FMT_E_BLOCK_AUTH, 0, false);

	/* The other file under another master key: its identifier. */
	expect_bad(&key_b, other, other_len, IOI_FMT_E_WRONG_KEY, -1, true);
	free(bad);
	free(other);
	free(enc);
}

static void test_tamper_length(void **state)
{
	static const uint8_t garbage[5000];
	uint8_t *enc, *full, *bad;
	size_t len, full_len, l;

	(void)state;
	enc = base_file(&key_a, BASE_PLAIN, &len);
	assert_int_equal(len, BASE_LOWER);
	bad = malloc(len + sizeof(garbage));
	assert_non_null(bad);
	memcpy(bad, enc, len);

	/* Cut inside the header, inside a block, inside a nonce or tag. */
	expect_bad(&key_a, enc, 50, IOI_FMT_E_TRUNCATED_HEADER, -1, true);
	expect_bad(&key_a, enc, 80 + 4124 + 2000, IOI_FMT_E_BLOCK_AUTH, 1,
		   true);
	expect_bad(&key_a, enc, 80 + 4124 + 28 + 20,
		   IOI_FMT_E_TRUNCATED_BLOCK, 1, true);
	/* Too short for a byte of data and an end record: 81 to 136. */
	for (l = 81; l <= 136; l++)
		expect_bad(&key_a, enc, l, IOI_FMT_E_TRUNCATED_BLOCK, 0,
			   l == 81 || l == 108 || l == 136);
	expect_bad(&key_a, enc, 137, IOI_FMT_E_BLOCK_AUTH, 0, false);
	expect_bad(&key_a, enc, len - 1, IOI_FMT_E_BLOCK_AUTH, 2, false);
	/* The end record cut off: its place is in the last block now. */
	expect_bad(&key_a, enc, len - 28, IOI_FMT_E_BLOCK_AUTH, 2, true);
	/*
	 * Cut at a block boundary with room for an end record after it:
	 * every block left verifies, the record (the next block's first 28
	 * bytes) does not. Cut exactly at the boundary, the last 28 bytes of
	 * the last whole block are taken for the record, and it fails.
	 */
	expect_bad(&key_a, enc, 80 + 2 * 4124 + 28, IOI_FMT_E_END_AUTH, -1,
		   true);
	expect_bad(&key_a, enc, 80 + 4124 + 28, IOI_FMT_E_END_AUTH, -1, false);
	expect_bad(&key_a, enc, 80 + 2 * 4124, IOI_FMT_E_BLOCK_AUTH, 1, true);
	expect_bad(&key_a, enc, 80 + 4124, IOI_FMT_E_BLOCK_AUTH, 0, false);

	/*
	 * Appended to: the old end record becomes part of the last block.
	 * After a short last block, and after a full one.
	 */
	memcpy(bad + len, garbage, sizeof(garbage));
	expect_bad(&key_a, bad, len + 1, IOI_FMT_E_BLOCK_AUTH, 2, true);
	expect_bad(&key_a, bad, len + 28, IOI_FMT_E_BLOCK_AUTH, 2, true);
	expect_bad(&key_a, bad, len + sizeof(garbage), IOI_FMT_E_BLOCK_AUTH, 2,
		   false);
	full = base_file(&key_a, 2 * 4096, &full_len);
	assert_int_equal(full_len, 80 + 2 * 4124 + 28);
	free(bad);
	bad = malloc(full_len + sizeof(garbage));
	assert_non_null(bad);
	memcpy(bad, full, full_len);
	memcpy(bad + full_len, garbage, sizeof(garbage));
	expect_bad(&key_a, bad, full_len + 10, IOI_FMT_E_TRUNCATED_BLOCK, 2,
		   true);
	expect_bad(&key_a, bad, full_len + 28, IOI_FMT_E_TRUNCATED_BLOCK, 2,
		   false);
	expect_bad(&key_a, bad, full_len + 29, IOI_FMT_E_BLOCK_AUTH, 2, false);
	expect_bad(&key_a, bad, full_len + 4124, IOI_FMT_E_BLOCK_AUTH, 2,
		   false);
	/* The file's own end record twice: a block of 56 bytes. */
	memcpy(bad + full_len, full + full_len - 28, 28);
	expect_bad(&key_a, bad, full_len + 28 + 28, IOI_FMT_E_BLOCK_AUTH, 2,
		   true);
	free(bad);
	free(full);
	free(enc);
}

/* The file key of @enc's header, to seal end records for it. */
static void open_enc(struct ioi_fmt_file *f, const uint8_t *enc)
{
	struct ioi_fmt_header h;

	assert_int_equal(ioi_fmt_header_parse(&h, enc, IOI_FMT_HEADER_SIZE,
					      NULL, 0), 0);
	assert_int_equal(ioi_fmt_file_open(f, &key_a.m, &h, enc), 0);
}

static void test_tamper_end(void **state)
{
	uint8_t *enc, *other, *bad, *back;
	size_t len, other_len, i, back_len, written;
	struct ioi_crypt_status st;
	struct ioi_fmt_file f;
	uint8_t *plain;

	(void)state;
	enc = base_file(&key_a, BASE_PLAIN, &len);
	other = base_file(&key_a, BASE_PLAIN, &other_len);
	bad = malloc(len);
	assert_non_null(bad);

	/* Every bit of the end record, nonce and tag. */
	for (i = 0; i < 8 * IOI_FMT_END_SIZE; i++) {
		memcpy(bad, enc, len);
		bad[BASE_END + i / 8] ^= (uint8_t)(1 << (i % 8));
		expect_bad(&key_a, bad, len, IOI_FMT_E_END_AUTH, -1,
			   i == 0 || i == 8 * IOI_FMT_END_SIZE - 1);
	}
	/* The end record of another file of the same size and key. */
	memcpy(bad, enc, len);
	memcpy(bad + BASE_END, other + BASE_END, IOI_FMT_END_SIZE);
	expect_bad(&key_a, bad, len, IOI_FMT_E_END_AUTH, -1, true);

	/*
	 * This file's own end record, sealed for another size (what a
	 * crash can leave: the record of an older size): refused. The
	 * same splice with a record for this size is a file again, so the
	 * size is what was refused.
	 */
	open_enc(&f, enc);
	memcpy(bad, enc, len);
	assert_int_equal(ioi_fmt_end_seal(&f, BASE_PLAIN - 1,
					  bad + BASE_END), 0);
	expect_bad(&key_a, bad, len, IOI_FMT_E_END_AUTH, -1, true);
	assert_int_equal(ioi_fmt_end_seal(&f, 2 * 4096, bad + BASE_END), 0);
	expect_bad(&key_a, bad, len, IOI_FMT_E_END_AUTH, -1, false);
	assert_int_equal(ioi_fmt_end_seal(&f, BASE_PLAIN, bad + BASE_END), 0);
	assert_memory_not_equal(bad + BASE_END, enc + BASE_END,
				IOI_FMT_END_SIZE);
	assert_int_equal(decrypt_buf(&key_a, bad, len, &st, NULL, &written),
			 0);
	assert_int_equal(written, BASE_PLAIN);

	/*
	 * Not detected (docs/format.md): an older version of the file, its
	 * blocks with the end record of their size. Here the first two
	 * blocks of this one with a record for 8192 bytes: what the file
	 * held before its last append, for all anyone can tell.
	 */
	memcpy(bad, enc, 80 + 2 * 4124);
	assert_int_equal(ioi_fmt_end_seal(&f, 2 * 4096, bad + 80 + 2 * 4124),
			 0);
	assert_int_equal(decrypt_buf(&key_a, bad, 80 + 2 * 4124 + 28, &st,
				     &back, &back_len), 0);
	plain = plaintext(BASE_PLAIN);
	assert_int_equal(back_len, 2 * 4096);
	assert_memory_equal(back, plain, back_len);
	free(plain);
	free(back);
	ioi_fmt_file_free(&f);
	free(bad);
	free(other);
	free(enc);
}

static void test_wrong_key(void **state)
{
	char want[128], a[33], b[33];
	struct ioi_crypt_status st;
	uint8_t *enc;
	size_t len, written;

	(void)state;
	enc = base_file(&key_a, BASE_PLAIN, &len);
	expect_bad(&key_b, enc, len, IOI_FMT_E_WRONG_KEY, -1, true);
	/* The message names both identifiers. */
	decrypt_buf(&key_b, enc, len, &st, NULL, &written);
	ioi_hex(a, key_a.m.key_id, 16);
	ioi_hex(b, key_b.m.key_id, 16);
	snprintf(want, sizeof(want),
		 "wrong key: the file's key id is %s, the key's is %s", a, b);
	assert_string_equal(st.msg, want);
	free(enc);

	/* A file that is not encrypted at all. */
	expect_bad(&key_a, (const uint8_t *)"plain text\n", 11,
		   IOI_FMT_E_MAGIC, -1, true);
}

/* Without a key only the header and the size are checked. */
static void test_check_without_key(void **state)
{
	struct ioi_crypt_status st;
	uint8_t *enc;
	size_t len;
	FILE *in;

	(void)state;
	enc = base_file(&key_a, BASE_PLAIN, &len);
	enc[1000] ^= 1;		/* not seen without the key */
	in = fmemopen(enc, len, "r");
	assert_int_equal(ioi_crypt_decrypt(in, NULL, NULL, &st), 0);
	fclose(in);
	assert_true(st.has_header);
	assert_true(st.sizes_valid);
	assert_int_equal(st.lower_size, BASE_LOWER);
	assert_int_equal(st.blocks, 3);
	assert_int_equal(st.plain_size, BASE_PLAIN);
	/* Where the end record is, but not whether it verifies. */
	assert_true(st.has_end);
	assert_int_equal(st.end_offset, BASE_END);
	assert_false(st.end_checked);

	in = fmemopen(enc, len - 110, "r");
	assert_int_equal(ioi_crypt_decrypt(in, NULL, NULL, &st), -1);
	fclose(in);
	assert_int_equal(st.err, IOI_FMT_E_TRUNCATED_BLOCK);
	assert_int_equal(st.block, 2);
	assert_false(st.sizes_valid);
	assert_int_equal(st.lower_size, BASE_LOWER - 110);
	assert_false(st.has_end);

	/* A bad header: still the whole size, and the fields. */
	enc[4] = 9;
	in = fmemopen(enc, len, "r");
	assert_int_equal(ioi_crypt_decrypt(in, NULL, &key_a.m, &st), -1);
	fclose(in);
	assert_int_equal(st.err, IOI_FMT_E_VERSION);
	assert_true(st.has_header);
	assert_int_equal(st.header.version, 9);
	assert_int_equal(st.lower_size, BASE_LOWER);
	free(enc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hkdf_rfc5869),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_header_round_trip),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_seal_open),
		cmocka_unit_test(test_end_record),
		cmocka_unit_test(test_known_answer),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_header_only),
		cmocka_unit_test(test_tamper_header),
		cmocka_unit_test(test_tamper_blocks),
		cmocka_unit_test(test_tamper_moves),
		cmocka_unit_test(test_tamper_length),
		cmocka_unit_test(test_tamper_end),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_zero_nonce_redrawn),
		cmocka_unit_test(test_check_without_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
