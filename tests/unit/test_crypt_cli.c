// SPDX-License-Identifier: GPL-2.0
/*
 * `ioctl-cli encrypt`, `decrypt` and `inspect` through ioi_cli_main()
 * (cli_run.h): arguments, key files, "-" for standard input and output,
 * the output file (mode 0600, untouched after a failure), exit codes and
 * inspect's text and JSON. The format itself is test_format.c's.
 */
#include <errno.h>
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
#include <json-c/json.h>

#include "cli.h"
#include "cli_run.h"
#include "format.h"
#include "keyfile.h"
#include "tmpdir.h"
#include "util.h"

#define KEY_HEX "000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"
#define KEY_OTHER_HEX "ff0102030405060708090a0b0c0d0e0f" \
		      "101112131415161718191a1b1c1d1e1f"
/* The identifier of bytes 00..1f (tests/unit/format_vector.h). */
#define KEY_ID "c7057dd824e7be1e73b5f7d36801d036"
/* plain in 4 blocks and the end record: 80 + 3 * 4096 + 5 + 4 * 28 + 28 */
#define ENC_SIZE 12513
#define END_OFFSET 12485
#define BAD_KEYFILE "expected 32 raw bytes or 64 hex characters"

/* Key files of the same key (bytes 00..1f) and of another. */
static char key_raw[128], key_hex[128], key_other[128];
static char plain_path[128], enc_path[128], out_path[128];
static uint8_t plain[3 * 4096 + 5];

static int setup(void **state)
{
	uint8_t raw[32];
	size_t i;

	(void)state;
	if (tmpdir_create("test_crypt_cli"))
		return -1;
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)i;
	for (i = 0; i < sizeof(plain); i++)
		plain[i] = (uint8_t)(i * 7 + i / 4096);
	tmpdir_path(key_raw, sizeof(key_raw), "key.raw");
	tmpdir_path(key_hex, sizeof(key_hex), "key.hex");
	tmpdir_path(key_other, sizeof(key_other), "key.other");
	tmpdir_path(plain_path, sizeof(plain_path), "plain");
	tmpdir_path(enc_path, sizeof(enc_path), "enc");
	tmpdir_path(out_path, sizeof(out_path), "out");
	write_file(key_raw, raw, sizeof(raw));
	write_file(key_hex, KEY_HEX "\n", 65);
	write_file(key_other, KEY_OTHER_HEX, 64);
	write_file(plain_path, plain, sizeof(plain));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

/* @path holds @len bytes of @want. */
static void assert_file(const char *path, const void *want, size_t len)
{
	uint8_t *got;
	size_t got_len;

	got = read_file(path, &got_len);
	assert_int_equal(got_len, len);
	if (len)
		assert_memory_equal(got, want, len);
	free(got);
}

static void assert_mode_0600(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
}

/* ioctl-cli ARGS... succeeds silently. */
#define run_ok(...) do {						\
	struct run r_;							\
									\
	run_cli(&r_, __VA_ARGS__, NULL);				\
	if (r_.ret != IOI_EXIT_OK)					\
		fail_msg("exit %d: %s", r_.ret, r_.err);		\
	assert_string_equal(r_.err, "");				\
	run_free(&r_);							\
} while (0)

static void test_help(void **state)
{
	static const char *const usage[][2] = {
		{ "encrypt", "Usage: ioctl-cli encrypt --key KEYFILE IN OUT\n" },
		{ "decrypt", "Usage: ioctl-cli decrypt --key KEYFILE IN OUT\n" },
		{ "inspect",
		  "Usage: ioctl-cli inspect [--key KEYFILE] [--json] FILE\n" },
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(usage); i++) {
		run_cli(&r, "help", usage[i][0], NULL);
		assert_int_equal(r.ret, IOI_EXIT_OK);
		assert_ptr_equal(strstr(r.out, usage[i][1]), r.out);
		run_free(&r);
		run_cli(&r, usage[i][0], "-h", NULL);
		assert_int_equal(r.ret, IOI_EXIT_OK);
		assert_ptr_equal(strstr(r.out, usage[i][1]), r.out);
		assert_string_equal(r.err, "");
		run_free(&r);
	}
}

/* ioctl-cli ARGS... is a usage error (exit 2) saying @want. */
static void expect_usage(const char *want, ...)
{
	struct run r;
	va_list ap;

	va_start(ap, want);
	run_cli_va(&r, NULL, ap);
	va_end(ap);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_string_equal(r.out, "");
	if (!strstr(r.err, want))
		fail_msg("\"%s\" does not contain \"%s\"", r.err, want);
	run_free(&r);
}

static void test_usage_errors(void **state)
{
	static const char *const cmds[] = { "encrypt", "decrypt" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		expect_usage("missing --key KEYFILE", cmds[i], "a", "b", NULL);
		expect_usage("missing IN", cmds[i], "--key", key_raw, NULL);
		expect_usage("missing OUT", cmds[i], "-k", key_raw, "a", NULL);
		expect_usage("unexpected argument 'c'", cmds[i], "--key",
			     key_raw, "a", "b", "c", NULL);
		expect_usage("option needs an argument '--key'", cmds[i],
			     "--key", NULL);
		expect_usage("option needs an argument '-k'", cmds[i], "-k",
			     NULL);
		expect_usage("invalid option '--json'", cmds[i], "--json",
			     "--key", key_raw, "a", "b", NULL);
		expect_usage("invalid option '-x'", cmds[i], "-x", NULL);
	}
	expect_usage("missing FILE", "inspect", NULL);
	expect_usage("missing FILE", "inspect", "--json", "--key", key_raw,
		     NULL);
	expect_usage("unexpected argument 'b'", "inspect", "a", "b", NULL);
	expect_usage("invalid option '--bogus'", "inspect", "--bogus", "a",
		     NULL);
	/* The usage error comes before the key file is read. */
	expect_usage("missing OUT", "encrypt", "--key", "/nonexistent", "a",
		     NULL);
}

static void test_key_parse(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		KEY_HEX "\n\n",
		KEY_HEX "\r\n",
		KEY_HEX " ",
		" " KEY_HEX,
		"0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g",
	};
	uint8_t key[32], want[32];
	char upper[65];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)i;
	assert_int_equal(ioi_key_parse(want, 32, key), 0);
	assert_memory_equal(key, want, 32);
	/* 32 bytes are raw even when they look like hex digits. */
	assert_int_equal(ioi_key_parse((const uint8_t *)KEY_HEX, 32, key), 0);
	assert_memory_equal(key, KEY_HEX, 32);
	assert_int_equal(ioi_key_parse((const uint8_t *)KEY_HEX, 64, key), 0);
	assert_memory_equal(key, want, 32);
	assert_int_equal(ioi_key_parse((const uint8_t *)KEY_HEX "\n", 65, key),
			 0);
	assert_memory_equal(key, want, 32);
	for (i = 0; i < 64; i++)
		upper[i] = (char)(KEY_HEX[i] >= 'a' ? KEY_HEX[i] - 32 :
						       KEY_HEX[i]);
	assert_int_equal(ioi_key_parse((const uint8_t *)upper, 64, key), 0);
	assert_memory_equal(key, want, 32);

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(ioi_key_parse((const uint8_t *)bad[i],
					       strlen(bad[i]), key), -EINVAL);
	assert_int_equal(ioi_key_parse(want, 31, key), -EINVAL);
	assert_int_equal(ioi_key_parse(want, 33, key), -EINVAL);
	assert_int_equal(ioi_key_parse((const uint8_t *)KEY_HEX, 63, key),
			 -EINVAL);
}

/* Each command fails with exit 1 and @want on this key file. */
static void expect_bad_keyfile(const char *keyfile, const char *want)
{
	char *msg;
	struct run r;

	write_file(out_path, "old", 3);
	run_cli(&r, "encrypt", "--key", keyfile, plain_path, out_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_true(asprintf(&msg, "ioctl-cli encrypt: %s: %s\n", keyfile,
			     want) > 0);
	assert_string_equal(r.err, msg);
	free(msg);
	run_free(&r);
	assert_file(out_path, "old", 3);

	run_cli(&r, "decrypt", "--key", keyfile, enc_path, out_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_non_null(strstr(r.err, want));
	run_free(&r);
	assert_file(out_path, "old", 3);

	run_cli(&r, "inspect", "--key", keyfile, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, want));
	run_free(&r);
	assert_no_leftovers();
}

static void test_key_files(void **state)
{
	static const struct {
		const char *text;
		size_t len;
	} bad[] = {
		{ "0001020304", 10 },
		{ KEY_HEX "\n\n", 66 },
		{ KEY_HEX KEY_HEX, 128 },
		{ KEY_HEX "\r\n", 66 },
		{ "", 0 },
	};
	char path[128];
	size_t i;

	(void)state;
	run_ok("encrypt", "--key", key_raw, plain_path, enc_path);
	tmpdir_path(path, sizeof(path), "key.bad");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		write_file(path, bad[i].text, bad[i].len);
		expect_bad_keyfile(path, BAD_KEYFILE);
	}
	write_file(path, "\xff", 1);
	expect_bad_keyfile(path, BAD_KEYFILE);
	expect_bad_keyfile("/nonexistent/key", "No such file or directory");
	expect_bad_keyfile(tmpdir, "Is a directory");

	/* The raw and the hex file are the same key. */
	run_ok("decrypt", "--key", key_hex, enc_path, out_path);
	assert_file(out_path, plain, sizeof(plain));
}

static void test_round_trip(void **state)
{
	struct stat sb;
	mode_t old;

	(void)state;
	/* An existing OUT is replaced, and made private. */
	write_file(enc_path, "old", 3);
	assert_int_equal(chmod(enc_path, 0644), 0);
	run_ok("encrypt", "--key", key_raw, plain_path, enc_path);
	assert_mode_0600(enc_path);
	assert_int_equal(stat(enc_path, &sb), 0);
	assert_int_equal(sb.st_size, ENC_SIZE);

	write_file(out_path, "old", 3);
	assert_int_equal(chmod(out_path, 0644), 0);
	run_ok("decrypt", "--key", key_raw, enc_path, out_path);
	assert_mode_0600(out_path);
	assert_file(out_path, plain, sizeof(plain));

	/* A new OUT: mode 0600 whatever the umask. */
	assert_int_equal(unlink(out_path), 0);
	old = umask(0);
	run_ok("decrypt", "-k", key_raw, enc_path, out_path);
	umask(old);
	assert_mode_0600(out_path);
	assert_file(out_path, plain, sizeof(plain));
	assert_no_leftovers();
}

static void test_stdio(void **state)
{
	char stdout_path[128];
	uint8_t *enc;
	struct run r;
	size_t len;

	(void)state;
	/* "-" for IN and OUT. */
	run_cli_stdin(&r, plain_path, "encrypt", "--key", key_raw, "-", "-",
		      NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_string_equal(r.err, "");
	assert_int_equal(r.out_len, ENC_SIZE);
	assert_memory_equal(r.out, "IOIE", 4);
	tmpdir_path(stdout_path, sizeof(stdout_path), "stdout.enc");
	write_file(stdout_path, r.out, r.out_len);
	run_free(&r);

	run_cli_stdin(&r, stdout_path, "decrypt", "--key", key_hex, "-", "-",
		      NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_int_equal(r.out_len, sizeof(plain));
	assert_memory_equal(r.out, plain, sizeof(plain));
	run_free(&r);

	/* A bad block: nothing at all on standard output. */
	run_ok("encrypt", "--key", key_raw, plain_path, enc_path);
	enc = read_file(enc_path, &len);
	enc[80 + 2 * 4124 + 100] ^= 1;
	write_file(stdout_path, enc, len);
	free(enc);
	run_cli_stdin(&r, stdout_path, "decrypt", "--key", key_raw, "-", "-",
		      NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_int_equal(r.out_len, 0);
	assert_string_equal(r.err, "ioctl-cli decrypt: <stdin>: block 2 at "
			    "offset 8328: authentication failed\n");
	run_free(&r);

	run_cli_stdin(&r, stdout_path, "inspect", "-", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_ptr_equal(strstr(r.out, "<stdin>:\n"), r.out);
	run_free(&r);
}

static void test_empty(void **state)
{
	char empty[128];
	uint8_t *enc;
	size_t len;

	(void)state;
	tmpdir_path(empty, sizeof(empty), "empty");
	write_file(empty, "", 0);
	/* Nothing in, nothing out: no header without data. */
	write_file(enc_path, "old", 3);
	run_ok("encrypt", "--key", key_raw, empty, enc_path);
	assert_file(enc_path, "", 0);
	assert_mode_0600(enc_path);
	write_file(out_path, "old", 3);
	run_ok("decrypt", "--key", key_raw, enc_path, out_path);
	assert_file(out_path, "", 0);

	/* A header alone is empty too. */
	run_ok("encrypt", "--key", key_raw, plain_path, enc_path);
	enc = read_file(enc_path, &len);
	write_file(enc_path, enc, 80);
	free(enc);
	write_file(out_path, "old", 3);
	run_ok("decrypt", "--key", key_raw, enc_path, out_path);
	assert_file(out_path, "", 0);
}

/*
 * ioctl-cli @cmd --key @key @in @out fails with exit 1 and "ioctl-cli
 * @cmd: @name: @problem" on stderr, and an existing OUT is left as it was.
 */
static void expect_fail(const char *cmd, const char *key, const char *in,
			const char *out, const char *name, const char *problem)
{
	char *want;
	struct run r;

	write_file(out_path, "old", 3);
	run_cli(&r, cmd, "--key", key, in, out, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_true(asprintf(&want, "ioctl-cli %s: %s: %s", cmd, name,
			     problem) > 0);
	if (strncmp(r.err, want, strlen(want)))
		fail_msg("\"%s\" does not start with \"%s\"", r.err, want);
	free(want);
	run_free(&r);
	assert_file(out_path, "old", 3);
	assert_no_leftovers();
}

static void test_failures(void **state)
{
	char missing[128], nodir[128];
	const struct {
		const char *cmd, *key, *in, *out, *name, *problem;
	} cases[] = {
		{ "decrypt", key_raw, missing, out_path, missing,
		  "No such file" },
		{ "encrypt", key_raw, missing, out_path, missing,
		  "No such file" },
		/* IN a directory: a read error. */
		{ "encrypt", key_raw, tmpdir, out_path, tmpdir,
		  "read error: Is a directory" },
		/* OUT where no file can be. */
		{ "encrypt", key_raw, plain_path, nodir, nodir,
		  "cannot create a temporary file beside it: No such file" },
		{ "decrypt", key_raw, enc_path, tmpdir, tmpdir,
		  "cannot rename the temporary file over it: Is a directory" },
		/* Not encrypted, or under another key. */
		{ "decrypt", key_raw, plain_path, out_path, plain_path,
		  "not an iointercept file" },
		{ "decrypt", key_other, enc_path, out_path, enc_path,
		  "wrong key: the file's key id is " KEY_ID ", the key's is " },
	};
	size_t i;

	(void)state;
	tmpdir_path(missing, sizeof(missing), "missing");
	tmpdir_path(nodir, sizeof(nodir), "nodir/out");
	run_ok("encrypt", "--key", key_raw, plain_path, enc_path);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		expect_fail(cases[i].cmd, cases[i].key, cases[i].in,
			    cases[i].out, cases[i].name, cases[i].problem);

	/* Decrypting OUT over IN works: IN is read before the rename. */
	run_ok("decrypt", "--key", key_raw, enc_path, enc_path);
	assert_file(enc_path, plain, sizeof(plain));
}

/* Inspect's text for @path: header lines from the file itself. */
static char *inspect_text(const char *name, const uint8_t *enc,
			  const char *tail)
{
	char nonce[65], tag[33], *text;

	ioi_hex(nonce, enc + 24, 32);
	ioi_hex(tag, enc + 64, 16);
	assert_true(asprintf(&text,
			     "%s:\n"
			     "  version: 2\n"
			     "  suite: 1 (AES-256-GCM, HKDF-SHA-256)\n"
			     "  block size: 4096\n"
			     "  flags: 0x00\n"
			     "  key id: " KEY_ID "\n"
			     "  file nonce: %s\n"
			     "  header tag: %s\n"
			     "%s", name, nonce, tag, tail) > 0);
	return text;
}

#define INSPECT_SIZES \
	"  lower size: 12513\n" \
	"  blocks: 4\n" \
	"  plaintext size: 12293\n"
#define BAD_END \
	"end record at offset 12485: end of file not authenticated (cut, " \
	"appended to, or its end lost in a crash)\n"
#define BAD_BLOCK1 "block 1 at offset 4204: authentication failed\n"

/*
 * Inspect enc_path, which holds @enc (with @key, or without one if NULL):
 * exit status @ret, and on stdout the header of @enc, its sizes, @tail.
 */
static void expect_inspect(const char *key, const uint8_t *enc, int ret,
			   const char *tail)
{
	char *want, *text;
	struct run r;

	if (key)
		run_cli(&r, "inspect", "--key", key, enc_path, NULL);
	else
		run_cli(&r, "inspect", enc_path, NULL);
	assert_int_equal(r.ret, ret);
	assert_true(asprintf(&text, INSPECT_SIZES "%s", tail) > 0);
	want = inspect_text(enc_path, enc, text);
	assert_string_equal(r.out, want);
	if (ret == IOI_EXIT_OK && !key)
		assert_string_equal(r.err, "");
	free(want);
	free(text);
	run_free(&r);
}

static void test_inspect(void **state)
{
	uint8_t *enc;
	size_t len;
	struct run r;

	(void)state;
	run_ok("encrypt", "--key", key_raw, plain_path, enc_path);
	enc = read_file(enc_path, &len);
	assert_int_equal(len, ENC_SIZE);

	expect_inspect(NULL, enc, IOI_EXIT_OK,
		       "  end record: at offset 12485\n"
		       "  verification: not verified (no --key)\n");
	expect_inspect(key_hex, enc, IOI_EXIT_OK,
		       "  end record: at offset 12485, verified\n"
		       "  verification: verified\n");

	/* A bad block: which, where, why; exit 1. */
	enc[80 + 4124 + 12] ^= 4;
	write_file(enc_path, enc, len);
	expect_inspect(key_raw, enc, IOI_EXIT_FAIL,
		       "  end record: at offset 12485, verified\n"
		       "  verification: failed: " BAD_BLOCK1
		       "  bad " BAD_BLOCK1);

	/*
	 * And the end record too (a crash can leave it stale): listed after
	 * the blocks; the first failure is still the block's.
	 */
	enc[END_OFFSET + 20] ^= 1;
	write_file(enc_path, enc, len);
	expect_inspect(key_raw, enc, IOI_EXIT_FAIL,
		       "  end record: at offset 12485, does not verify\n"
		       "  verification: failed: " BAD_BLOCK1
		       "  bad " BAD_BLOCK1
		       "  bad " BAD_END);

	/* The end record alone: the verification line names it. */
	enc[80 + 4124 + 12] ^= 4;
	write_file(enc_path, enc, len);
	expect_inspect(key_raw, enc, IOI_EXIT_FAIL,
		       "  end record: at offset 12485, does not verify\n"
		       "  verification: failed: " BAD_END
		       "  bad " BAD_END);
	enc[END_OFFSET + 20] ^= 1;

	/* Unknown values are shown as they are; version 1 is refused. */
	enc[4] = 1;
	enc[6] = 200;
	write_file(enc_path, enc, 80 + 4124 + 40);
	run_cli(&r, "inspect", enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_non_null(strstr(r.out, "  version: 1\n"));
	assert_non_null(strstr(r.out, "  block size: 2^200\n"));
	assert_non_null(strstr(r.out, "  lower size: 4244\n"
				      "  plaintext size: invalid\n"
				      "  error: unknown version 1 (expected "
				      "2)\n"
				      "  verification: not verified (no "
				      "--key)\n"));
	run_free(&r);
	free(enc);

	/* A header alone: no data, no end record. */
	run_ok("encrypt", "--key", key_raw, plain_path, enc_path);
	enc = read_file(enc_path, &len);
	write_file(enc_path, enc, 80);
	free(enc);
	run_cli(&r, "inspect", "--key", key_raw, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, "  lower size: 80\n  blocks: 0\n"
				      "  plaintext size: 0\n"
				      "  end record: none (no data)\n"
				      "  verification: verified\n"));
	run_free(&r);

	/* An empty file; a file that is not encrypted. */
	write_file(enc_path, "", 0);
	run_cli(&r, "inspect", "--key", key_raw, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, ":\n  header: none (an empty file)\n"
				      "  lower size: 0\n  blocks: 0\n"
				      "  plaintext size: 0\n"
				      "  end record: none (no data)\n"
				      "  verification: verified\n"));
	run_free(&r);
	run_cli(&r, "inspect", plain_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_non_null(strstr(r.out, "  lower size: 12293\n"
				      "  plaintext size: invalid\n"
				      "  error: not an iointercept file"));
	run_free(&r);
}

/*
 * Every block that fails is listed, not only the first (what the crash
 * test compares with the blocks the module reads as EIO); the exit
 * status stays 1.
 */
static void test_inspect_all_bad(void **state)
{
	static const char tail[] =
		"  lower size: 12493\n"
		"  plaintext size: invalid\n"
		"  verification: failed: block 0 at offset 80: "
		"authentication failed\n"
		"  bad block 0 at offset 80: authentication failed\n"
		"  bad block 2 at offset 8328: authentication failed\n"
		"  bad block 3 at offset 12452: truncated block (29 bytes or "
		"more expected, nonce and tag included)\n";
	uint8_t *enc;
	size_t len;
	struct run r;

	(void)state;
	run_ok("encrypt", "--key", key_raw, plain_path, enc_path);
	enc = read_file(enc_path, &len);
	enc[80 + 100] ^= 1;
	enc[80 + 2 * 4124 + 4123] ^= 0x80;	/* the tag's last byte */
	write_file(enc_path, enc, len - 20);	/* block 3: 13 bytes */
	free(enc);
	run_cli(&r, "inspect", "--key", key_raw, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_non_null(strstr(r.out, tail));
	assert_string_equal(r.err, "");
	run_free(&r);

	/* Without the key, no block is opened, and none is listed. */
	run_cli(&r, "inspect", enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_null(strstr(r.out, "bad block"));
	run_free(&r);

	/* decrypt still stops at the first, and writes nothing. */
	run_cli(&r, "decrypt", "--key", key_raw, enc_path, out_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_non_null(strstr(r.err, "block 0 at offset 80: "
				      "authentication failed"));
	assert_null(strstr(r.err, "block 2"));
	run_free(&r);
}

static struct json_object *get(struct json_object *obj, const char *key)
{
	struct json_object *val;

	if (!json_object_object_get_ex(obj, key, &val))
		fail_msg("no \"%s\"", key);
	return val;
}

static void test_inspect_json(void **state)
{
	struct json_object *obj, *h, *bad, *end;
	size_t i;
	uint8_t *enc;
	size_t len;
	struct run r;

	(void)state;
	run_ok("encrypt", "--key", key_raw, plain_path, enc_path);
	run_cli(&r, "inspect", "--json", "--key", key_raw, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	obj = json_tokener_parse(r.out);
	assert_non_null(obj);
	assert_string_equal(json_object_get_string(get(obj, "file")),
			    enc_path);
	h = get(obj, "header");
	assert_int_equal(json_object_get_int(get(h, "version")), 2);
	assert_int_equal(json_object_get_int(get(h, "suite")), 1);
	assert_int_equal(json_object_get_int(get(h, "block_size_log2")), 12);
	assert_int_equal(json_object_get_int(get(h, "block_size")), 4096);
	assert_int_equal(json_object_get_int(get(h, "flags")), 0);
	assert_string_equal(json_object_get_string(get(h, "key_id")), KEY_ID);
	assert_int_equal(strlen(json_object_get_string(get(h, "file_nonce"))),
			 64);
	assert_int_equal(strlen(json_object_get_string(get(h, "header_tag"))),
			 32);
	assert_int_equal(json_object_get_uint64(get(obj, "lower_size")),
			 ENC_SIZE);
	assert_int_equal(json_object_get_uint64(get(obj, "blocks")), 4);
	assert_int_equal(json_object_get_uint64(get(obj, "plaintext_size")),
			 sizeof(plain));
	end = get(obj, "end_record");
	assert_int_equal(json_object_get_uint64(get(end, "offset")),
			 END_OFFSET);
	assert_true(json_object_get_boolean(get(end, "verified")));
	assert_false(json_object_object_get_ex(end, "error", NULL));
	assert_true(json_object_get_boolean(get(obj, "verified")));
	assert_string_equal(json_object_get_string(get(obj, "verification")),
			    "verified");
	assert_false(json_object_object_get_ex(obj, "error", NULL));
	assert_int_equal(json_object_array_length(get(obj, "bad_blocks")), 0);
	json_object_put(obj);
	run_free(&r);

	/* Two bad blocks: both in bad_blocks, the first in error_*. */
	enc = read_file(enc_path, &len);
	enc[80 + 4124 + 20] ^= 1;
	enc[80 + 3 * 4124 + 20] ^= 1;
	write_file(enc_path, enc, len);
	run_cli(&r, "inspect", "--json", "--key", key_raw, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	obj = json_tokener_parse(r.out);
	assert_non_null(obj);
	assert_int_equal(json_object_get_uint64(get(obj, "error_block")), 1);
	bad = get(obj, "bad_blocks");
	assert_int_equal(json_object_array_length(bad), 2);
	for (i = 0; i < 2; i++) {
		struct json_object *b = json_object_array_get_idx(bad, i);

		assert_int_equal(json_object_get_uint64(get(b, "block")),
				 2 * i + 1);
		assert_int_equal(json_object_get_uint64(get(b, "offset")),
				 80 + (2 * i + 1) * 4124);
		assert_string_equal(json_object_get_string(get(b, "error")),
				    "authentication failed");
	}
	json_object_put(obj);
	run_free(&r);
	enc[80 + 4124 + 20] ^= 1;
	enc[80 + 3 * 4124 + 20] ^= 1;

	/* The end record alone fails: no bad block, the error is its. */
	enc[END_OFFSET] ^= 1;
	write_file(enc_path, enc, len);
	run_cli(&r, "inspect", "--json", "--key", key_raw, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	obj = json_tokener_parse(r.out);
	assert_non_null(obj);
	assert_false(json_object_get_boolean(get(obj, "verified")));
	end = get(obj, "end_record");
	assert_int_equal(json_object_get_uint64(get(end, "offset")),
			 END_OFFSET);
	assert_false(json_object_get_boolean(get(end, "verified")));
	assert_non_null(strstr(json_object_get_string(get(end, "error")),
			       "end of file not authenticated"));
	assert_non_null(strstr(json_object_get_string(get(obj, "error")),
			       "end record at offset 12485: end of file not "
			       "authenticated"));
	assert_false(json_object_object_get_ex(obj, "error_block", NULL));
	assert_int_equal(json_object_array_length(get(obj, "bad_blocks")), 0);
	json_object_put(obj);
	run_free(&r);
	/* Without the key: where it is, not whether it verifies. */
	run_cli(&r, "inspect", "--json", enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	obj = json_tokener_parse(r.out);
	assert_non_null(obj);
	end = get(obj, "end_record");
	assert_int_equal(json_object_get_uint64(get(end, "offset")),
			 END_OFFSET);
	assert_false(json_object_object_get_ex(end, "verified", NULL));
	json_object_put(obj);
	run_free(&r);
	enc[END_OFFSET] ^= 1;
	write_file(enc_path, enc, len);
	free(enc);

	/* A block cut short: its index and offset. */
	enc = read_file(enc_path, &len);
	write_file(enc_path, enc, len - 20);
	free(enc);
	run_cli(&r, "inspect", "--json", "--key", key_raw, enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	obj = json_tokener_parse(r.out);
	assert_non_null(obj);
	assert_false(json_object_get_boolean(get(obj, "verified")));
	assert_false(json_object_object_get_ex(obj, "plaintext_size", NULL));
	assert_int_equal(json_object_get_uint64(get(obj, "error_block")), 3);
	assert_int_equal(json_object_get_uint64(get(obj, "error_offset")),
			 80 + 3 * 4124);
	assert_non_null(strstr(json_object_get_string(get(obj, "error")),
			       "block 3 at offset 12452: truncated block"));
	json_object_put(obj);
	run_free(&r);

	run_cli(&r, "inspect", "-j", enc_path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	obj = json_tokener_parse(r.out);
	assert_non_null(obj);
	assert_false(json_object_get_boolean(get(obj, "verified")));
	assert_string_equal(json_object_get_string(get(obj, "verification")),
			    "not verified (no --key)");
	json_object_put(obj);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_key_parse),
		cmocka_unit_test(test_key_files),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_stdio),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_inspect),
		cmocka_unit_test(test_inspect_json),
		cmocka_unit_test(test_inspect_all_bad),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
