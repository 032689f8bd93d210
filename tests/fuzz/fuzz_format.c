// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the userspace reader of encrypted files (ctl/format.c,
 * ctl/crypt.c) on any bytes, under a fixed master key (docs/format.md's
 * vector key, 00 01 .. 1f; tests/fuzz/run makes valid seed files with it).
 *
 * Every input is used three ways. Beyond what ASan and UBSan catch:
 *
 * 1. As a stored file: the header decoder, one block opened on its own
 *    (into a buffer of exactly the plaintext size, so ASan sees any write
 *    past it), its first 28 bytes as an end record, and the whole-file
 *    reader with the key, without it (what `inspect` checks) and without
 *    output. A failure has a code and a message; a block that does not
 *    verify leaves zeros; a file that decrypts has the sizes of
 *    docs/format.md ("Sizes") and gives exactly that much plaintext, and
 *    the checks without the key agree.
 * 2. As plaintext: encrypted and decrypted again, it gives back the same
 *    bytes, in a stored file of ioi_fmt_lower_size() bytes.
 * 3. That encrypted file with one bit flipped (which bit depends on the
 *    input) never decrypts, and what was written before the failure is a
 *    whole number of verified blocks of the plaintext (all of it when the
 *    bit is in the end record); with its end record sealed again for
 *    another size it never decrypts (for its own size, it does); cut to
 *    any length but 0 and 80
 *    (docs/format.md: those read as empty), block boundaries and block
 *    boundaries plus an end record's 28 bytes included, it never
 *    decrypts.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "crypt.h"
#include "format.h"
#include "fuzz.h"

static struct ioi_fmt_master master;
static struct ioi_fmt_file block_file;	/* for single blocks */
static uint32_t nonce_state;
static const struct ioi_fmt_rand nonces = { ioi_fuzz_nonces, &nonce_state };

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t key[IOI_FMT_KEY_SIZE], header[IOI_FMT_HEADER_SIZE];

	(void)argc;
	(void)argv;
	ioi_fuzz_master_key(key);
	CHECK(!ioi_fmt_master_init(&master, key), "master key");
	CHECK(!ioi_fmt_file_create(&block_file, &master, &nonces, header),
	      "file");
	return 0;
}

/* A stream over @len bytes at @data (none: /dev/null). */
static FILE *input(const uint8_t *data, size_t len)
{
	FILE *f;

	f = len ? fmemopen((void *)data, len, "r") : fopen("/dev/null", "r");
	CHECK(f, "input stream");
	return f;
}

struct result {
	int ret;
	struct ioi_crypt_status st;
	char *out;		/* what was written; NULL without output */
	size_t out_len;
};

/* ioi_crypt_decrypt() of @len bytes, with @m or not, with output or not. */
static void decrypt(const uint8_t *data, size_t len,
		    const struct ioi_fmt_master *m, bool output,
		    struct result *r)
{
	FILE *in = input(data, len), *out = NULL;

	memset(r, 0, sizeof(*r));
	if (output) {
		out = open_memstream(&r->out, &r->out_len);
		CHECK(out, "open_memstream");
	}
	r->ret = ioi_crypt_decrypt(in, out, m, &r->st);
	fclose(in);
	if (out)
		CHECK(!fclose(out), "fclose");

	CHECK(r->ret == 0 || r->ret == -1, "returned %d", r->ret);
	CHECK(memchr(r->st.msg, '\0', sizeof(r->st.msg)), "unterminated msg");
	if (r->ret) {
		CHECK(r->st.err, "failed without an error code");
		CHECK(r->st.msg[0], "failed without a message (err %d)",
		      r->st.err);
	} else {
		CHECK(!r->st.err, "succeeded with error %d", r->st.err);
	}
	if (r->st.has_block)
		CHECK(r->st.offset == ioi_fmt_block_offset(r->st.block),
		      "block %llu at offset %llu",
		      (unsigned long long)r->st.block,
		      (unsigned long long)r->st.offset);
}

/* What ioi_crypt_verify() (inspect --key) reported. */
struct verified {
	int ret;
	struct ioi_crypt_status st;
	uint64_t calls;
	uint64_t first, last;	/* blocks of the first and last calls */
};

static int on_bad(void *arg, uint64_t block, uint64_t offset,
		  const char *why)
{
	struct verified *v = arg;

	CHECK(offset == ioi_fmt_block_offset(block), "bad block %llu at %llu",
	      (unsigned long long)block, (unsigned long long)offset);
	CHECK(why && why[0], "bad block %llu without a reason",
	      (unsigned long long)block);
	CHECK(!v->calls || block > v->last, "bad block %llu after %llu",
	      (unsigned long long)block, (unsigned long long)v->last);
	if (!v->calls)
		v->first = block;
	v->last = block;
	v->calls++;
	return 0;
}

/*
 * ioi_crypt_verify() of @len bytes agrees with ioi_crypt_decrypt()'s
 * check @check: it fails when that fails, on the same first problem, and
 * lists each bad block once, in order, the first being the one decrypt
 * stopped at.
 */
static void verify(const uint8_t *data, size_t len,
		   const struct result *check, struct verified *v)
{
	FILE *in = input(data, len);

	memset(v, 0, sizeof(*v));
	v->ret = ioi_crypt_verify(in, &master, on_bad, v, &v->st);
	fclose(in);
	CHECK(!v->ret == !check->ret, "verify %d, decrypt %d", v->ret,
	      check->ret);
	CHECK(v->calls == v->st.bad_blocks, "%llu calls, %llu bad blocks",
	      (unsigned long long)v->calls,
	      (unsigned long long)v->st.bad_blocks);
	if (!check->ret)
		return;
	CHECK(v->st.err == check->st.err && !strcmp(v->st.msg, check->st.msg),
	      "verify says '%s', decrypt '%s'", v->st.msg, check->st.msg);
	if (check->st.has_block && check->st.err > 0)
		CHECK(v->calls && v->first == check->st.block,
		      "decrypt failed at block %llu, verify listed %llu from %llu",
		      (unsigned long long)check->st.block,
		      (unsigned long long)v->calls,
		      (unsigned long long)v->first);
	else
		CHECK(!v->calls, "no bad block, but %llu listed",
		      (unsigned long long)v->calls);
}

/* The sizes docs/format.md gives a file of @len bytes that decrypts. */
static void check_sizes(const struct result *r, size_t len)
{
	uint64_t plain, blocks;

	CHECK(r->st.sizes_valid && r->st.lower_size == len,
	      "sizes not valid, or %llu bytes read of %zu",
	      (unsigned long long)r->st.lower_size, len);
	CHECK(!ioi_fmt_plain_size(len, &plain, &blocks), "invalid size");
	CHECK(r->st.plain_size == plain && r->st.blocks == blocks,
	      "%llu bytes in %llu blocks, not %llu in %llu",
	      (unsigned long long)r->st.plain_size,
	      (unsigned long long)r->st.blocks, (unsigned long long)plain,
	      (unsigned long long)blocks);
	CHECK(len <= IOI_FMT_HEADER_SIZE ? plain == 0 :
	      plain == len - IOI_FMT_HEADER_SIZE - IOI_FMT_OVERHEAD * blocks -
		       IOI_FMT_END_SIZE,
	      "%llu bytes of plaintext in %zu", (unsigned long long)plain,
	      len);
	CHECK(!r->out || r->out_len == plain, "%zu bytes written, not %llu",
	      r->out_len, (unsigned long long)plain);
	CHECK(r->st.has_end == (plain > 0) &&
	      (!plain || r->st.end_offset == len - IOI_FMT_END_SIZE),
	      "end record %d at %llu in %zu bytes", r->st.has_end,
	      (unsigned long long)r->st.end_offset, len);
}

/* 1. The input as an encrypted file. */
static void as_stored(const uint8_t *data, size_t size)
{
	struct ioi_fmt_header h;
	struct ioi_fmt_file f;
	struct result full, check, nokey;
	struct verified v;
	char msg[192];
	uint8_t *plain;
	size_t i, n;
	int err;

	if (size) {
		memset(msg, 'x', sizeof(msg));
		err = ioi_fmt_header_parse(&h, data, size, msg, sizeof(msg));
		CHECK(err >= IOI_FMT_OK && err <= IOI_FMT_E_RESERVED,
		      "header: %d", err);
		CHECK(!err || memchr(msg, '\0', sizeof(msg)), "unterminated");
		CHECK(err || size >= IOI_FMT_HEADER_SIZE, "short header taken");
		if (!err) {
			err = ioi_fmt_file_open(&f, &master, &h, data);
			if (!err)
				ioi_fmt_file_free(&f);
		}
	}

	/* One block, at an index from its size. */
	n = size > IOI_FMT_OVERHEAD ? size - IOI_FMT_OVERHEAD : 0;
	plain = malloc(n ? n : 1);
	CHECK(plain, "malloc");
	err = ioi_fmt_open(&block_file, size, data, size, plain);
	if (size <= IOI_FMT_OVERHEAD || size > IOI_FMT_SEALED_SIZE) {
		CHECK(err == IOI_FMT_E_TRUNCATED_BLOCK,
		      "a block of %zu bytes: %d", size, err);
	} else if (err) {
		CHECK(err == IOI_FMT_E_BLOCK_AUTH, "block: %d", err);
		for (i = 0; i < n; i++)
			CHECK(!plain[i], "unverified plaintext left at %zu", i);
	}
	free(plain);
	/* Its first 28 bytes as an end record. */
	if (size >= IOI_FMT_END_SIZE) {
		err = ioi_fmt_end_open(&block_file, size, data);
		CHECK(!err || err == IOI_FMT_E_END_AUTH, "end record: %d", err);
	}

	decrypt(data, size, &master, true, &full);
	decrypt(data, size, &master, false, &check);
	decrypt(data, size, NULL, false, &nokey);
	verify(data, size, &check, &v);
	if (!full.ret) {
		check_sizes(&full, size);
		CHECK(!check.ret, "decrypts, but the check fails: %s",
		      check.st.msg);
		check_sizes(&check, size);
		CHECK(!nokey.ret, "decrypts, but the keyless check fails: %s",
		      nokey.st.msg);
		check_sizes(&nokey, size);
	} else if (full.st.err == IOI_FMT_E_END_AUTH) {
		/* Every block verified; the caller throws the stream away. */
		CHECK(!full.st.has_block && full.out_len ==
		      size - IOI_FMT_HEADER_SIZE - IOI_FMT_END_SIZE -
		      IOI_FMT_OVERHEAD * ((size - IOI_FMT_HEADER_SIZE -
					   IOI_FMT_END_SIZE +
					   IOI_FMT_SEALED_SIZE - 1) /
					  IOI_FMT_SEALED_SIZE),
		      "end record failed after %zu bytes of %zu", full.out_len,
		      size);
	} else {
		CHECK(full.st.err < 0 || full.out_len % IOI_FMT_BLOCK_SIZE == 0,
		      "%zu bytes written before a failure", full.out_len);
	}
	if (!check.ret)
		check_sizes(&check, size);
	free(full.out);
}

/* 2 and 3. The input as plaintext. */
static void as_plain(const uint8_t *data, size_t size)
{
	struct ioi_crypt_status st;
	struct result r;
	struct verified v;
	uint64_t lower;
	uint32_t h = 2166136261u;
	size_t i, len, bit, cut, blocks;
	uint8_t end[IOI_FMT_END_SIZE];
	struct ioi_fmt_header hdr;
	struct ioi_fmt_file f;
	uint64_t other;
	bool in_end;
	char *enc = NULL;
	FILE *in, *out;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;	/* FNV-1a */
	nonce_state = h;

	in = input(data, size);
	out = open_memstream(&enc, &len);
	CHECK(out, "open_memstream");
	CHECK(!ioi_crypt_encrypt(in, out, &master, &nonces, &st),
	      "encrypt: %s", st.msg);
	fclose(in);
	CHECK(!fclose(out), "fclose");
	CHECK(!ioi_fmt_lower_size(size, &lower) && lower == len,
	      "%zu bytes encrypt to %zu, not %llu", size, len,
	      (unsigned long long)lower);

	decrypt((uint8_t *)enc, len, &master, true, &r);
	CHECK(!r.ret, "own file does not decrypt: %s", r.st.msg);
	check_sizes(&r, len);
	CHECK(r.out_len == size && !memcmp(r.out, data, size),
	      "round trip changed the data");
	free(r.out);
	if (!len) {
		free(enc);
		return;
	}

	/* One bit flipped: in the header, a block, or the end record. */
	bit = h % (len * 8);
	in_end = bit / 8 >= len - IOI_FMT_END_SIZE;
	enc[bit / 8] ^= (char)(1u << (bit % 8));
	decrypt((uint8_t *)enc, len, &master, true, &r);
	CHECK(r.ret, "bit %zu flipped, and it still decrypts", bit);
	CHECK(in_end == (r.st.err == IOI_FMT_E_END_AUTH),
	      "bit %zu of %zu flipped: error %d", bit, len * 8, r.st.err);
	CHECK((in_end ? r.out_len == size :
	       r.out_len % IOI_FMT_BLOCK_SIZE == 0 &&
	       r.out_len <= (bit / 8 < IOI_FMT_HEADER_SIZE ? 0 :
			     (bit / 8 - IOI_FMT_HEADER_SIZE) /
			     IOI_FMT_SEALED_SIZE * IOI_FMT_BLOCK_SIZE)) &&
	      !memcmp(r.out, data, r.out_len),
	      "bit %zu flipped: %zu bytes written", bit, r.out_len);
	free(r.out);
	/*
	 * inspect names that block and no other (the header: none; the end
	 * record: no block, the record).
	 */
	decrypt((uint8_t *)enc, len, &master, false, &r);
	verify((uint8_t *)enc, len, &r, &v);
	if (bit / 8 >= IOI_FMT_HEADER_SIZE)
		CHECK(v.calls == !in_end &&
		      (in_end || v.first == (bit / 8 - IOI_FMT_HEADER_SIZE) /
					   IOI_FMT_SEALED_SIZE) &&
		      v.st.end_checked && v.st.end_ok == !in_end,
		      "bit %zu flipped: %llu bad blocks, first %llu, end %d",
		      bit, (unsigned long long)v.calls,
		      (unsigned long long)v.first, v.st.end_ok);
	/* And the end record's tag too: both are listed. */
	if (bit / 8 >= IOI_FMT_HEADER_SIZE && bit / 8 < len - 1) {
		enc[len - 1] ^= 1;
		decrypt((uint8_t *)enc, len, &master, false, &r);
		verify((uint8_t *)enc, len, &r, &v);
		CHECK(v.calls == !in_end && v.st.end_checked && !v.st.end_ok,
		      "two bits flipped: %llu bad blocks listed, end %d",
		      (unsigned long long)v.calls, v.st.end_ok);
		enc[len - 1] ^= 1;
	}
	enc[bit / 8] ^= (char)(1u << (bit % 8));

	/*
	 * The end record sealed again with the file's key: for another size
	 * (what a crash can leave) it never decrypts, for its own it does.
	 */
	CHECK(!ioi_fmt_header_parse(&hdr, (uint8_t *)enc, len, NULL, 0) &&
	      !ioi_fmt_file_open(&f, &master, &hdr, (uint8_t *)enc),
	      "own header");
	memcpy(end, enc + len - IOI_FMT_END_SIZE, sizeof(end));
	other = h % 3 ? size + (h >> 11) % 8193 - 4096 :
			size ^ (1ULL << (h % 64));
	if (!other || other == size)
		other = size + 1;
	CHECK(!ioi_fmt_end_seal(&f, other,
				(uint8_t *)enc + len - IOI_FMT_END_SIZE),
	      "end record");
	decrypt((uint8_t *)enc, len, &master, false, &r);
	CHECK(r.ret && r.st.err == IOI_FMT_E_END_AUTH,
	      "end record of %llu bytes on a file of %zu: %d",
	      (unsigned long long)other, size, r.st.err);
	CHECK(!ioi_fmt_end_seal(&f, size,
				(uint8_t *)enc + len - IOI_FMT_END_SIZE),
	      "end record");
	decrypt((uint8_t *)enc, len, &master, false, &r);
	CHECK(!r.ret, "a new end record of the right size: %s", r.st.msg);
	memcpy(enc + len - IOI_FMT_END_SIZE, end, sizeof(end));
	ioi_fmt_file_free(&f);

	/*
	 * Cut short: one time in four at a block boundary, one in four 28
	 * bytes past one (whole blocks and room for an end record: only the
	 * end record's AAD, the size, tells), else anywhere.
	 */
	blocks = (len - IOI_FMT_HEADER_SIZE - IOI_FMT_END_SIZE +
		  IOI_FMT_SEALED_SIZE - 1) / IOI_FMT_SEALED_SIZE;
	if ((h >> 3) % 4 == 0)
		cut = ioi_fmt_block_offset((h >> 9) % blocks);
	else if ((h >> 3) % 4 == 1)
		cut = ioi_fmt_block_offset((h >> 9) % blocks) +
		      IOI_FMT_END_SIZE;
	else
		cut = (h >> 7) % len;
	decrypt((uint8_t *)enc, cut, &master, true, &r);
	if (cut == 0 || cut == IOI_FMT_HEADER_SIZE)
		CHECK(!r.ret && r.out_len == 0, "cut to %zu: %s", cut,
		      r.st.msg);
	else
		CHECK(r.ret, "cut to %zu of %zu, and it still decrypts", cut,
		      len);
	free(r.out);
	free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	as_stored(data, size);
	as_plain(data, size);
	return 0;
}
