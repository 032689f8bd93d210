// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: HKDF against RFC 5869, the format's size arithmetic and header,
 * GCM round trips and tampering, and the known-answer vector of
 * docs/format.md, which ioctl-cli's OpenSSL implementation also produces.
 * Included by crypt.c when built with IOI_KUNIT=1.
 */
#include <kunit/test.h>
#include <crypto/sha2.h>

static void unhex(struct kunit *test, u8 *out, const char *hex)
{
	KUNIT_ASSERT_EQ(test, hex2bin(out, hex, strlen(hex) / 2), 0);
}

/* RFC 5869, appendix A: the output keying material of A.1, A.2, A.3. */
static const u8 rfc5869_okm1[] = {
	0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a,
	0x90, 0x43, 0x4f, 0x64, 0xd0, 0x36, 0x2f, 0x2a,
	0x2d, 0x2d, 0x0a, 0x90, 0xcf, 0x1a, 0x5a, 0x4c,
	0x5d, 0xb0, 0x2d, 0x56, 0xec, 0xc4, 0xc5, 0xbf,
	0x34, 0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87, 0x18,
	0x58, 0x65,
};

static const u8 rfc5869_okm2[] = {
	0xb1, 0x1e, 0x39, 0x8d, 0xc8, 0x03, 0x27, 0xa1,
	0xc8, 0xe7, 0xf7, 0x8c, 0x59, 0x6a, 0x49, 0x34,
	0x4f, 0x01, 0x2e, 0xda, 0x2d, 0x4e, 0xfa, 0xd8,
	0xa0, 0x50, 0xcc, 0x4c, 0x19, 0xaf, 0xa9, 0x7c,
	0x59, 0x04, 0x5a, 0x99, 0xca, 0xc7, 0x82, 0x72,
	0x71, 0xcb, 0x41, 0xc6, 0x5e, 0x59, 0x0e, 0x09,
	0xda, 0x32, 0x75, 0x60, 0x0c, 0x2f, 0x09, 0xb8,
	0x36, 0x77, 0x93, 0xa9, 0xac, 0xa3, 0xdb, 0x71,
	0xcc, 0x30, 0xc5, 0x81, 0x79, 0xec, 0x3e, 0x87,
	0xc1, 0x4c, 0x01, 0xd5, 0xc1, 0xf3, 0x43, 0x4f,
	0x1d, 0x87,
};

static const u8 rfc5869_okm3[] = {
	0x8d, 0xa4, 0xe7, 0x75, 0xa5, 0x63, 0xc1, 0x8f,
	0x71, 0x5f, 0x80, 0x2a, 0x06, 0x3c, 0x5a, 0x31,
	0xb8, 0xa1, 0x1f, 0x5c, 0x5e, 0xe1, 0x87, 0x9e,
	0xc3, 0x45, 0x4e, 0x5f, 0x3c, 0x73, 0x8d, 0x2d,
	0x9d, 0x20, 0x13, 0x95, 0xfa, 0xa4, 0xb6, 0x1a,
	0x96, 0xc8,
};

/* RFC 5869, appendix A, the three SHA-256 cases. */
static void ioi_crypt_test_hkdf(struct kunit *test)
{
	static const struct {
		int salt_from, salt_len, ikm_from, ikm_len;
		int info_from, info_len, okm_len;
		const u8 *okm;
	} v[] = {
		{ 0x00, 13, 0x0b, -22, 0xf0, 10, 42, rfc5869_okm1 },
		{ 0x60, 80, 0x00, 80, 0xb0, 80, 82, rfc5869_okm2 },
		{ 0x00, 0, 0x0b, -22, 0x00, 0, 42, rfc5869_okm3 },
	};
	u8 salt[80], ikm[80], info[80], okm[82], prk[IOI_HASH_SIZE];
	int i, k;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		/* A negative ikm_len: that many copies of one byte. */
		for (k = 0; k < abs(v[i].ikm_len); k++)
			ikm[k] = v[i].ikm_len < 0 ? v[i].ikm_from :
						    v[i].ikm_from + k;
		for (k = 0; k < v[i].salt_len; k++)
			salt[k] = v[i].salt_from + k;
		for (k = 0; k < v[i].info_len; k++)
			info[k] = v[i].info_from + k;
		KUNIT_ASSERT_EQ(test, ioi_hkdf_extract(salt, v[i].salt_len, ikm,
						       abs(v[i].ikm_len), prk), 0);
		KUNIT_ASSERT_EQ(test, ioi_hkdf_expand(prk, info, v[i].info_len,
						      okm, v[i].okm_len), 0);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(okm, v[i].okm, v[i].okm_len), 0,
				    "RFC 5869 A.%d", i + 1);
	}
}

static void ioi_crypt_test_sizes(struct kunit *test)
{
	static const struct { s64 lower, plain; } v[] = {
		{ 0, 0 }, { 1, -EIO }, { 79, -EIO }, { 80, 0 }, { 81, -EIO },
		{ 108, -EIO }, { 136, -EIO }, { 137, 1 },
		{ 80 + 4124 + 28, 4096 }, { 80 + 4124 + 56, -EIO },
		{ 80 + 4124 + 57, 4097 }, { 80 + 4124 * 256 + 57, 1048577 },
	};
	s64 p;
	int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		KUNIT_EXPECT_EQ_MSG(test, ioi_plain_size(v[i].lower), v[i].plain,
				    "lower size %lld", v[i].lower);
		if (v[i].plain > 0)
			KUNIT_EXPECT_EQ(test, ioi_lower_size(v[i].plain),
					v[i].lower);
	}
	/* Every plaintext size round-trips, across a few block edges. */
	for (p = 0; p < 3 * IOI_BLOCK + 2; p++)
		KUNIT_EXPECT_EQ(test, ioi_plain_size(ioi_lower_size(p)), p);
	KUNIT_EXPECT_EQ(test, ioi_block_pos(ioi_block_of(4096)), 80 + 4124);
}

static void ioi_crypt_test_header(struct kunit *test)
{
	struct ioi_header h = {}, back;
	u8 raw[IOI_HDR_SIZE], bad[IOI_HDR_SIZE];
	static const struct { int off; u8 val; enum ioi_header_error e; } v[] = {
		{ 0, 'X', IOI_HDR_MAGIC }, { 4, 1, IOI_HDR_VERSION },
		{ 4, 3, IOI_HDR_VERSION },
		{ 5, 9, IOI_HDR_SUITE }, { 6, 63, IOI_HDR_BLOCK_SIZE },
		{ 6, 13, IOI_HDR_BLOCK_SIZE }, { 7, 1, IOI_HDR_FLAGS },
		{ 63, 1, IOI_HDR_RESERVED },
	};
	int i;

	memset(h.key_id, 0xaa, sizeof(h.key_id));
	memset(h.file_nonce, 0x55, sizeof(h.file_nonce));
	ioi_header_emit(&h, raw);
	KUNIT_ASSERT_EQ(test, ioi_header_parse(raw, sizeof(raw), &back),
			IOI_HDR_OK);
	KUNIT_EXPECT_EQ(test, memcmp(&back, &h, sizeof(h)), 0);
	KUNIT_EXPECT_EQ(test, ioi_header_parse(raw, 79, &back),
			IOI_HDR_TRUNCATED);
	KUNIT_EXPECT_EQ(test, ioi_header_parse(raw, 2, &back),
			IOI_HDR_TRUNCATED);
	KUNIT_EXPECT_EQ(test, ioi_header_parse((const u8 *)"IX", 2, &back),
			IOI_HDR_MAGIC);
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		memcpy(bad, raw, sizeof(raw));
		bad[v[i].off] = v[i].val;
		KUNIT_EXPECT_EQ_MSG(test, ioi_header_parse(bad, sizeof(bad),
							   &back), v[i].e,
				    "byte %d = %u", v[i].off, v[i].val);
		KUNIT_EXPECT_STRNEQ(test, ioi_header_error(v[i].e), "valid");
	}
}

static struct ioi_file_crypt *test_crypt(struct kunit *test, u8 fill)
{
	u8 key[IOI_KEY_SIZE];
	struct ioi_file_crypt *fc;

	memset(key, fill, sizeof(key));
	fc = ioi_file_crypt_new(key);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fc));
	return fc;
}

static struct ioi_crypt_op *test_op(struct kunit *test,
				    struct ioi_file_crypt *fc)
{
	struct ioi_crypt_op *op = ioi_crypt_op_new(fc);

	KUNIT_ASSERT_NOT_NULL(test, op);
	return op;
}

/* Seal and open, and every way a block can be tampered with. */
static void ioi_crypt_test_blocks(struct kunit *test)
{
	struct ioi_file_crypt *fc = test_crypt(test, 1), *other;
	struct ioi_crypt_op *op = test_op(test, fc), *oop;
	u8 *a = kunit_kmalloc(test, IOI_BLOCK_STORED, GFP_KERNEL);
	u8 *b = kunit_kmalloc(test, IOI_BLOCK_STORED, GFP_KERNEL);
	u8 *plain = kunit_kmalloc(test, IOI_BLOCK, GFP_KERNEL);
	static const size_t lens[] = { 1, 100, IOI_BLOCK - 1, IOI_BLOCK };
	size_t i, len, pos;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, plain);
	get_random_bytes(plain, IOI_BLOCK);
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		len = lens[i];
		memcpy(a + IOI_NONCE, plain, len);
		KUNIT_ASSERT_EQ(test, ioi_block_seal(op, 7, a, len, NULL),
				0);
		/*
		 * A short ciphertext equals its plaintext by chance (1 in
		 * 256 for one byte), so only a block of 16 or more bytes
		 * must differ.
		 */
		if (len >= 16)
			KUNIT_EXPECT_NE(test,
					memcmp(a + IOI_NONCE, plain, len), 0);
		memcpy(b, a, len + IOI_BLOCK_OVERHEAD);
		KUNIT_ASSERT_EQ(test, ioi_block_open(op, 7, b,
						     len + IOI_BLOCK_OVERHEAD),
				0);
		KUNIT_EXPECT_EQ(test, memcmp(b + IOI_NONCE, plain, len), 0);
		/* Another index, a cut: both refused. */
		memcpy(b, a, len + IOI_BLOCK_OVERHEAD);
		KUNIT_EXPECT_EQ(test, ioi_block_open(op, 8, b,
						     len + IOI_BLOCK_OVERHEAD),
				-EIO);
		memcpy(b, a, len + IOI_BLOCK_OVERHEAD);
		KUNIT_EXPECT_EQ(test, ioi_block_open(op, 7, b,
						     len + IOI_BLOCK_OVERHEAD - 1),
				-EIO);
		/* One flipped bit anywhere: nonce, ciphertext, tag. */
		for (pos = 0; pos < len + IOI_BLOCK_OVERHEAD;
		     pos += pos < 40 ? 1 : 997) {
			memcpy(b, a, len + IOI_BLOCK_OVERHEAD);
			b[pos] ^= 0x10;
			err = ioi_block_open(op, 7, b,
					     len + IOI_BLOCK_OVERHEAD);
			KUNIT_EXPECT_EQ_MSG(test, err, -EIO,
					    "len %zu, bit at %zu", len, pos);
		}
	}
	/* Another file's key (the same index) does not open it. */
	other = test_crypt(test, 2);
	oop = test_op(test, other);
	memcpy(b, a, IOI_BLOCK_STORED);
	KUNIT_EXPECT_EQ(test, ioi_block_open(oop, 7, b, IOI_BLOCK_STORED),
			-EIO);
	/*
	 * An end record opens only for its size, never as a block, and no
	 * block (even one of nothing) opens as an end record.
	 */
	KUNIT_ASSERT_EQ(test, ioi_end_seal(op, 4097, a, NULL), 0);
	memcpy(b, a, IOI_END_SIZE);
	KUNIT_EXPECT_EQ(test, ioi_end_open(op, 4097, b), 0);
	KUNIT_EXPECT_EQ(test, ioi_end_open(op, 4096, b), -EIO);
	KUNIT_EXPECT_EQ(test, ioi_block_open(op, 4097, b, IOI_END_SIZE), -EIO);
	KUNIT_EXPECT_EQ(test, ioi_end_open(oop, 4097, b), -EIO);
	for (pos = 0; pos < IOI_END_SIZE; pos++) {
		memcpy(b, a, IOI_END_SIZE);
		b[pos] ^= 0x01;
		KUNIT_EXPECT_EQ_MSG(test, ioi_end_open(op, 4097, b), -EIO,
				    "end record, bit at %zu", pos);
	}
	ioi_crypt_op_free(oop);
	ioi_file_crypt_free(other);
	ioi_crypt_op_free(op);
	ioi_file_crypt_free(fc);
}

/* Sealing one block again never repeats its nonce. */
static void ioi_crypt_test_nonces(struct kunit *test)
{
	struct ioi_file_crypt *fc = test_crypt(test, 3);
	struct ioi_crypt_op *op = test_op(test, fc);
	const int n = 64;
	u8 *blk = kunit_kzalloc(test, 100 + IOI_BLOCK_OVERHEAD, GFP_KERNEL);
	u8 (*seen)[IOI_NONCE] = kunit_kcalloc(test, n, IOI_NONCE, GFP_KERNEL);
	int i, j;

	KUNIT_ASSERT_NOT_NULL(test, blk);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	for (i = 0; i < n; i++) {
		memset(blk + IOI_NONCE, 'x', 100);
		KUNIT_ASSERT_EQ(test, ioi_block_seal(op, 0, blk, 100,
						     NULL), 0);
		memcpy(seen[i], blk, IOI_NONCE);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, memcmp(seen[i], seen[j], IOI_NONCE), 0);
	}
	/* Drawn many at once, as writes do: all different, none zero. */
	ioi_block_nonces(seen[0], n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_NOT_NULL(test, memchr_inv(seen[i], 0, IOI_NONCE));
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, memcmp(seen[i], seen[j], IOI_NONCE), 0);
	}
	ioi_crypt_op_free(op);
	ioi_file_crypt_free(fc);
}

/*
 * A request in the caller's memory (encfile.c's I/O buffers keep 2 KiB for
 * it) or allocated: both seal and open alike. gcm(aes) must fit in the
 * 2 KiB, or every call allocates again.
 */
static void ioi_crypt_test_op_mem(struct kunit *test)
{
	struct ioi_file_crypt *fc = test_crypt(test, 4);
	const size_t room = 2048;
	u8 *mem = kunit_kmalloc(test, room, GFP_KERNEL);
	u8 *blk = kunit_kmalloc(test, 100 + IOI_BLOCK_OVERHEAD, GFP_KERNEL);
	/* Not on the stack: the IV and AAD go through scatterlists. */
	struct ioi_crypt_op *in = kunit_kmalloc(test, sizeof(*in), GFP_KERNEL);
	struct ioi_crypt_op *own = kunit_kmalloc(test, sizeof(*own),
						 GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_NOT_NULL(test, blk);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, own);
	KUNIT_ASSERT_EQ(test, ioi_crypt_op_init(in, fc, mem, room), 0);
	KUNIT_EXPECT_FALSE(test, in->own_req);
	KUNIT_EXPECT_PTR_EQ(test, (void *)in->req, (void *)mem);
	KUNIT_ASSERT_EQ(test, ioi_crypt_op_init(own, fc, mem, 16), 0);
	KUNIT_EXPECT_TRUE(test, own->own_req);
	KUNIT_EXPECT_PTR_NE(test, (void *)own->req, (void *)mem);
	memset(blk + IOI_NONCE, 'y', 100);
	KUNIT_ASSERT_EQ(test, ioi_block_seal(in, 5, blk, 100, NULL), 0);
	KUNIT_EXPECT_EQ(test, ioi_block_open(own, 5, blk,
					     100 + IOI_BLOCK_OVERHEAD), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(blk + IOI_NONCE, 'y', 100));
	KUNIT_ASSERT_EQ(test, ioi_block_seal(own, 6, blk, 100, NULL), 0);
	KUNIT_EXPECT_EQ(test, ioi_block_open(in, 6, blk,
					     100 + IOI_BLOCK_OVERHEAD), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(blk + IOI_NONCE, 'y', 100));
	/* Misaligned memory for the request: allocated instead. */
	ioi_crypt_op_release(own);
	KUNIT_ASSERT_EQ(test, ioi_crypt_op_init(own, fc, mem + 1, room - 1), 0);
	KUNIT_EXPECT_TRUE(test, own->own_req);
	ioi_crypt_op_release(in);
	ioi_crypt_op_release(own);
	ioi_file_crypt_free(fc);
}

/*
 * The known-answer vector of docs/format.md: the same bytes as
 * tests/unit/format_vector.h (OpenSSL) and an independent Python check.
 */
static void ioi_crypt_test_vector(struct kunit *test)
{
	static const size_t size = 5000;
	struct ioi_master m;
	struct ioi_header h;
	struct ioi_file_crypt *fc;
	struct ioi_crypt_op *op;
	u8 master[IOI_KEY_SIZE], key[IOI_KEY_SIZE], want[IOI_KEY_SIZE];
	u8 nonce[IOI_NONCE], digest[SHA256_DIGEST_SIZE];
	u8 *file, *p;
	size_t i, off, len, lower = ioi_lower_size(size);

	for (i = 0; i < sizeof(master); i++)
		master[i] = i;
	KUNIT_ASSERT_EQ(test, ioi_master_derive(master, &m), 0);
	unhex(test, want, "c7057dd824e7be1e73b5f7d36801d036");
	KUNIT_EXPECT_EQ(test, memcmp(m.id, want, IOI_KEY_ID_SIZE), 0);
	memcpy(h.key_id, m.id, IOI_KEY_ID_SIZE);
	for (i = 0; i < IOI_FILE_NONCE_SIZE; i++)
		h.file_nonce[i] = 0x20 + i;
	KUNIT_ASSERT_EQ(test, ioi_file_key(&m, h.file_nonce, key), 0);
	unhex(test, want,
	      "1bea3d084b4f67a21123591dafecebac1563a0733d62a7f0d5f94ef1640d7722");
	KUNIT_EXPECT_EQ(test, memcmp(key, want, IOI_KEY_SIZE), 0);

	KUNIT_ASSERT_EQ(test, lower, 5164);
	file = kunit_kzalloc(test, lower, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, file);
	fc = ioi_file_crypt_new(key);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fc));
	op = test_op(test, fc);
	ioi_header_emit(&h, file);
	KUNIT_ASSERT_EQ(test, ioi_header_tag(fc, file, file + IOI_HDR_TAGGED),
			0);
	unhex(test, want, "9d053703a11e58178c8505023060785a");
	KUNIT_EXPECT_EQ(test, memcmp(file + IOI_HDR_TAGGED, want, IOI_TAG), 0);
	for (off = 0; off < size; off += len) {
		len = min_t(size_t, size - off, IOI_BLOCK);
		p = file + ioi_block_pos(ioi_block_of(off));
		for (i = 0; i < len; i++)
			p[IOI_NONCE + i] = (off + i) % 251;
		memset(nonce, 0x40 + ioi_block_of(off), IOI_NONCE);
		KUNIT_ASSERT_EQ(test, ioi_block_seal(op, ioi_block_of(off), p,
						     len, nonce), 0);
	}
	/* The end record's nonce follows the blocks': 0x42 here. */
	memset(nonce, 0x40 + DIV_ROUND_UP(size, IOI_BLOCK), IOI_NONCE);
	KUNIT_ASSERT_EQ(test, ioi_end_seal(op, size,
					   file + lower - IOI_END_SIZE, nonce),
			0);
	sha256(file, lower, digest);
	unhex(test, want,
	      "5526adb9fd571ad9df6865c93aec71e1d87032ffbf01b8033e816fe88bb9a417");
	KUNIT_EXPECT_EQ(test, memcmp(digest, want, SHA256_DIGEST_SIZE), 0);
	ioi_crypt_op_free(op);
	ioi_file_crypt_free(fc);
	ioi_master_free(&m);
}

static struct kunit_case ioi_crypt_test_cases[] = {
	KUNIT_CASE(ioi_crypt_test_hkdf),
	KUNIT_CASE(ioi_crypt_test_sizes),
	KUNIT_CASE(ioi_crypt_test_header),
	KUNIT_CASE(ioi_crypt_test_blocks),
	KUNIT_CASE(ioi_crypt_test_nonces),
	KUNIT_CASE(ioi_crypt_test_op_mem),
	KUNIT_CASE(ioi_crypt_test_vector),
	{}
};

static struct kunit_suite ioi_crypt_test_suite = {
	.name = "iointercept_crypt",
	.test_cases = ioi_crypt_test_cases,
};

kunit_test_suite(ioi_crypt_test_suite);
