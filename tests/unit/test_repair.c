// SPDX-License-Identifier: GPL-2.0
/*
 * `ioctl-cli repair` through ioi_cli_main() (cli_run.h), on the ends a
 * crash can leave (docs/format.md, "What a crash leaves"): a stale end
 * record, a block cut at a page, junk or a hole past an end that still
 * verifies, a torn last block. After each repair, decrypt must take the
 * file whole and give back the plaintext up to the size repair says it
 * kept; files that need nothing, dry runs and failures must be left
 * byte for byte as they were.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "cli_run.h"
#include "format.h"
#include "tmpdir.h"
#include "util.h"

#define KEY_HEX "000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"
#define KEY_OTHER_HEX "ff0102030405060708090a0b0c0d0e0f" \
		      "101112131415161718191a1b1c1d1e1f"
#define BLK	IOI_FMT_BLOCK_SIZE
#define SEALED	IOI_FMT_SEALED_SIZE
#define HDR	IOI_FMT_HEADER_SIZE
#define END	IOI_FMT_END_SIZE
#define MAXP	(6 * BLK)

static char key_path[128], key_other[128], plain_path[128], enc_path[128];
static char out_path[128];
static uint8_t plain[MAXP];

static int setup(void **state)
{
	size_t i;

	(void)state;
	if (tmpdir_create("test_repair"))
		return -1;
	for (i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)(i * 13 + i / BLK);
	tmpdir_path(key_path, sizeof(key_path), "key");
	tmpdir_path(key_other, sizeof(key_other), "key.other");
	tmpdir_path(plain_path, sizeof(plain_path), "plain");
	tmpdir_path(enc_path, sizeof(enc_path), "enc");
	tmpdir_path(out_path, sizeof(out_path), "out");
	write_file(key_path, KEY_HEX "\n", 65);
	write_file(key_other, KEY_OTHER_HEX, 64);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

/* The first @len bytes of plain, encrypted by ioctl-cli: malloc()ed. */
static uint8_t *encrypt(size_t len, size_t *enc_len)
{
	struct run r;

	write_file(plain_path, plain, len);
	run_cli(&r, "encrypt", "--key", key_path, plain_path, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	run_free(&r);
	return read_file(enc_path, enc_len);
}

/* Bytes for junk: never all zero, never a valid seal. */
static void junk(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(0x5a ^ (i * 31));
}

/*
 * Repair @enc (@len bytes) on disk: it must succeed, say it kept @kept
 * bytes, leave a stored file of the size that takes, and decrypt must then
 * give back exactly the first @kept bytes of plain.
 */
static void expect_repair(const uint8_t *enc, size_t len, uint64_t kept)
{
	char want[512];
	uint64_t lower = HDR;
	uint8_t *got;
	size_t got_len;
	struct run r;

	if (kept)
		assert_int_equal(ioi_fmt_lower_size(kept, &lower), 0);
	write_file(enc_path, enc, len);
	snprintf(want, sizeof(want),
		 "%s: the end does not verify; kept %llu bytes of plaintext (%llu blocks), stored size %zu -> %llu\n",
		 enc_path, (unsigned long long)kept,
		 (unsigned long long)((kept + BLK - 1) / BLK), len,
		 (unsigned long long)lower);
	run_cli(&r, "repair", "--key", key_path, enc_path, NULL);
	if (r.ret != IOI_EXIT_OK)
		fail_msg("exit %d: %s", r.ret, r.err);
	assert_string_equal(r.out, want);
	assert_string_equal(r.err, "");
	run_free(&r);

	got = read_file(enc_path, &got_len);
	assert_int_equal(got_len, lower);
	free(got);
	run_cli(&r, "decrypt", "--key", key_path, enc_path, out_path, NULL);
	if (r.ret != IOI_EXIT_OK)
		fail_msg("decrypt after repair: exit %d: %s", r.ret, r.err);
	run_free(&r);
	got = read_file(out_path, &got_len);
	assert_int_equal(got_len, kept);
	if (kept)
		assert_memory_equal(got, plain, kept);
	free(got);

	/* Now the end verifies: a second repair changes nothing. */
	run_cli(&r, "repair", "--key", key_path, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, kept ? "the end record verifies" :
			      "a header alone (no data)"));
	assert_non_null(strstr(r.out, ", nothing to repair\n"));
	run_free(&r);
}

/* enc_path holds exactly @len bytes of @want. */
static void assert_file_is(const uint8_t *want, size_t len)
{
	uint8_t *got;
	size_t got_len;

	got = read_file(enc_path, &got_len);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, want, len);
	free(got);
}

/*
 * ioctl-cli ARGS on @enc must exit @ret with @msg in its output, and
 * leave the file as it was.
 */
static void expect_untouched(const uint8_t *enc, size_t len, int ret,
			     const char *msg, ...)
{
	const char *argv[8];
	size_t n = 0;
	struct run r;
	va_list ap;

	write_file(enc_path, enc, len);
	va_start(ap, msg);
	while (n < 7 && (argv[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	run_cli(&r, argv[0], argv[1], argv[2], argv[3], argv[4], argv[5],
		argv[6], NULL);
	if (r.ret != ret)
		fail_msg("exit %d, expected %d: %s%s", r.ret, ret, r.out,
			 r.err);
	if (!strstr(r.out, msg) && !strstr(r.err, msg))
		fail_msg("'%s' not in: %s%s", msg, r.out, r.err);
	run_free(&r);
	assert_file_is(enc, len);
}

static void test_usage(void **state)
{
	struct run r;

	(void)state;
	run_cli(&r, "repair", enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "--key KEYFILE is required"));
	run_free(&r);
	run_cli(&r, "repair", "--key", key_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "missing FILE"));
	run_free(&r);
	run_cli(&r, "repair", "--help", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out,
		"Usage: ioctl-cli repair --key KEYFILE [--dry-run] FILE\n"));
	run_free(&r);
	run_cli(&r, "repair", "--key", key_path, "/dev/null", NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_non_null(strstr(r.err, "/dev/null: not a regular file"));
	run_free(&r);
}

/* Ends that verify, and files repair must not touch. */
static void test_nothing_to_do(void **state)
{
	size_t len;
	uint8_t *enc = encrypt(5000, &len);
	uint8_t bad[4] = { 'I', 'O', 'I', 'X' };

	(void)state;
	expect_untouched(enc, len, IOI_EXIT_OK,
			 "the end record verifies, nothing to repair",
			 "repair", "--key", key_path, enc_path, NULL);
	expect_untouched(enc, HDR, IOI_EXIT_OK,
			 "a header alone (no data), nothing to repair",
			 "repair", "--key", key_path, enc_path, NULL);
	expect_untouched(enc, 0, IOI_EXIT_OK, "empty, nothing to repair",
			 "repair", "--key", key_path, enc_path, NULL);
	/* Even with a stale end: another key, another format. */
	enc[len - 1] ^= 1;
	expect_untouched(enc, len, IOI_EXIT_FAIL, "wrong key",
			 "repair", "--key", key_other, enc_path, NULL);
	expect_untouched(enc, HDR - 1, IOI_EXIT_FAIL, "truncated header",
			 "repair", "--key", key_path, enc_path, NULL);
	memcpy(enc, bad, sizeof(bad));
	expect_untouched(enc, len, IOI_EXIT_FAIL, "not an iointercept file",
			 "repair", "--key", key_path, enc_path, NULL);
	free(enc);
}

static void test_dry_run(void **state)
{
	size_t len;
	uint8_t *enc = encrypt(3 * BLK + 100, &len);

	(void)state;
	enc[len - 5] ^= 0x80;
	expect_untouched(enc, len, IOI_EXIT_OK,
			 "would keep 12388 bytes of plaintext (4 blocks), stored size 12608 -> 12608 (dry run: nothing changed)",
			 "repair", "--dry-run", "--key", key_path, enc_path,
			 NULL);
	expect_untouched(enc, len, IOI_EXIT_OK, "would keep 12388 bytes",
			 "repair", "-n", "-k", key_path, enc_path, NULL);
	free(enc);
}

/* The size moved, the end record written for it did not. */
static void test_stale_end(void **state)
{
	size_t len, sizes[] = { 1, 100, BLK - 1, BLK, BLK + 1, 5 * BLK,
				5 * BLK + 4000 };
	uint8_t *enc;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		enc = encrypt(sizes[i], &len);
		junk(enc + len - END, END);
		expect_repair(enc, len, sizes[i]);
		free(enc);
	}
}

/*
 * Grown past an end that is still there: the blocks after it never
 * reached the disk (junk, or a hole of zeros), and the old record and the
 * block before it are found again, whole or partial.
 */
static void test_old_end_kept(void **state)
{
	size_t len, extra[] = { 1, END, SEALED, 3 * SEALED + 7 };
	size_t sizes[] = { 700, 2 * BLK, 2 * BLK + 3000 };
	uint8_t *enc, *big;
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(extra); j++) {
			enc = encrypt(sizes[i], &len);
			big = malloc(len + extra[j]);
			assert_non_null(big);
			memcpy(big, enc, len);
			junk(big + len, extra[j]);
			expect_repair(big, len + extra[j], sizes[i]);
			memset(big + len, 0, extra[j]);
			expect_repair(big, len + extra[j], sizes[i]);
			free(big);
			free(enc);
		}
	}
}

/*
 * Cut by the crash inside the blocks: at a page boundary, right after a
 * block (no record), inside a block's tag. The blocks before the cut are
 * kept, and a last partial block that verifies without its record too.
 */
static void test_cut(void **state)
{
	size_t len;
	uint8_t *enc = encrypt(5 * BLK + 2000, &len);

	(void)state;
	/* 4 KiB pages: 16384 falls in block 3, whose predecessors stay. */
	expect_repair(enc, 4 * BLK, 3 * BLK);
	/* Right after whole block 2: no room for the record. */
	expect_repair(enc, HDR + 3 * SEALED, 3 * BLK);
	/* After the partial last block, without its record. */
	expect_repair(enc, len - END, 5 * BLK + 2000);
	/* Into the record: the block is whole, the record is not. */
	expect_repair(enc, len - 10, 5 * BLK + 2000);
	/* Inside the last block's tag: that block is lost. */
	expect_repair(enc, len - END - 3, 5 * BLK);
	/* Inside block 0: nothing verifies, a header alone is left. */
	expect_repair(enc, HDR + 100, 0);
	free(enc);
}

/*
 * A torn last block: left alone while the end record verifies, cut once
 * it does not too. A bad block before the end stays (not repair's to
 * mend: inspect still names it).
 */
static void test_bad_blocks(void **state)
{
	size_t len;
	uint8_t *enc = encrypt(4 * BLK + 10, &len);
	struct run r;

	(void)state;
	enc[HDR + 4 * SEALED + 5] ^= 1;		/* block 4, the last */
	/* The end verifies: the bad block is not repair's to mend. */
	expect_untouched(enc, len, IOI_EXIT_OK,
			 "the end record verifies, nothing to repair",
			 "repair", "--key", key_path, enc_path, NULL);
	enc[len - 1] ^= 1;			/* and the end record */
	expect_repair(enc, len, 4 * BLK);
	free(enc);

	enc = encrypt(4 * BLK + 10, &len);
	enc[HDR + SEALED + 5] ^= 1;		/* block 1 */
	enc[len - 1] ^= 1;			/* and the end record */
	write_file(enc_path, enc, len);
	run_cli(&r, "repair", "--key", key_path, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, "kept 16394 bytes of plaintext (5 blocks), stored size 16642 -> 16642"));
	run_free(&r);
	run_cli(&r, "inspect", "--key", key_path, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_non_null(strstr(r.out, "  end record: at offset 16614, verified\n"));
	assert_non_null(strstr(r.out, "  bad block 1 at offset 4204:"));
	assert_null(strstr(r.out, "bad block 2"));
	run_free(&r);
	free(enc);
}

/*
 * The last, shorter, block whole and its record not: found however much
 * junk or however many zeros follow (the reviewer's case: 5000 bytes lost
 * it, 3000 did not), and at the smallest size a file can have.
 */
static void test_lone_block(void **state)
{
	size_t len, extra[] = { 0, 3000, 5000, 3 * SEALED };
	size_t sizes[] = { 100, 2 * BLK + 100 };
	uint8_t *enc, *big;
	size_t i, j, cut;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		enc = encrypt(sizes[i], &len);
		cut = len - 18;		/* 10 bytes into the record */
		for (j = 0; j < ARRAY_SIZE(extra); j++) {
			big = malloc(cut + extra[j]);
			assert_non_null(big);
			memcpy(big, enc, cut);
			junk(big + cut, extra[j]);
			expect_repair(big, cut + extra[j], sizes[i]);
			memset(big + cut, 0, extra[j]);
			expect_repair(big, cut + extra[j], sizes[i]);
			free(big);
		}
		free(enc);
	}
	/* A 1-byte block and nothing after it: 109 bytes, kept. */
	enc = encrypt(1, &len);
	expect_repair(enc, HDR + IOI_FMT_OVERHEAD + 1, 1);
	free(enc);
}

/* What cannot be written is not said to be, and nothing changes. */
static void test_write_fails(void **state)
{
	struct rlimit old, lim;
	size_t len;
	uint8_t *enc = encrypt(100, &len);
	struct run r;

	(void)state;
	/* The block whole, its record gone: repair must write 28 bytes. */
	len -= END;
	write_file(enc_path, enc, len);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = len;
	assert_ptr_not_equal(signal(SIGXFSZ, SIG_IGN), SIG_ERR);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	run_cli(&r, "repair", "--key", key_path, enc_path, NULL);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, ": cannot write it: File too large"));
	run_free(&r);
	assert_file_is(enc, len);
	free(enc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_nothing_to_do),
		cmocka_unit_test(test_dry_run),
		cmocka_unit_test(test_stale_end),
		cmocka_unit_test(test_old_end_kept),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_bad_blocks),
		cmocka_unit_test(test_lone_block),
		cmocka_unit_test(test_write_fails),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
