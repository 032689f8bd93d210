// SPDX-License-Identifier: GPL-2.0
/*
 * The measurement of docs/attestation.md: its text and hash against values
 * computed outside this code, `ioctl-cli measure` and `key id` through
 * ioi_cli_main() (cli_run.h) and once through the built binary, and the
 * hex arguments they take (util.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <iointercept/version.h>

#include "cli.h"
#include "cli_run.h"
#include "measure.h"
#include "tmpdir.h"
#include "util.h"

#define BIN		"../../ctl/ioctl-cli"

/* The key file of bytes 00..1f and its identifier (format_vector.h). */
#define KEY_ID		"c7057dd824e7be1e73b5f7d36801d036"
#define OTHER_ID	"00112233445566778899aabbccddeeff"
#define ID64		"000102030405060708090a0b0c0d0e0f" \
			"101112131415161718191a1b1c1d1e1f"
/* printf 'mode enforce\nscope all\ndefault deny\n' | sha256sum */
#define EMPTY_POLICY	"3f1baae8f9f0b463041065f42937703b" \
			"f0163c100a08850e22c2f9e469c6d4fd"

/* docs/attestation.md's example: 0.1.0, no build ID, policy or key. */
static const char text_none[] =
	"iointercept measurement 1\n"
	"version 0.1.0\n"
	"build-id none\n"
	"policy none\n"
	"locked no\n"
	"hooks armed\n";
/* printf '<text_none>' | sha256sum */
#define HASH_NONE	"9b5539d76f31bbc8a2b50b0623b07328" \
			"69572577d4376666d3fbbaae54daa76c"

/* Every line used, the keys given out of order. */
static const char text_full[] =
	"iointercept measurement 1\n"
	"version 0.1.0\n"
	"build-id " ID64 "\n"
	"policy " EMPTY_POLICY "\n"
	"key " OTHER_ID "\n"
	"key " KEY_ID "\n"
	"locked yes\n"
	"hooks disarmed\n";
/* printf '<text_full>' | sha256sum */
#define HASH_FULL	"d3365a20099aea7e3181c42770c33693" \
			"c4bb48939ab8c4ed519d09407c07d056"
/* The same with "hooks armed", as measure writes it: printf | sha256sum */
#define HASH_FULL_ARMED	"84c8c3514d25ad1bf69fa47ee6f609d5" \
			"3b8f306812515ecf15bd15463c1e9b7b"
/* version 9.9, no build ID, EMPTY_POLICY, no key: printf | sha256sum */
#define HASH_OVERRIDE	"3640b7ce57141d722babc0f039ba6a0a" \
			"7b98f85f4f8d57c60315f51acdffd2af"

static char key_file[128], policy_file[128], empty_policy[128];
static char bad_policy[128];

static int setup(void **state)
{
	uint8_t key[32];
	size_t i;

	(void)state;
	if (tmpdir_create("test_measure"))
		return -1;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	tmpdir_path(key_file, sizeof(key_file), "key.raw");
	tmpdir_path(policy_file, sizeof(policy_file), "policy.conf");
	tmpdir_path(empty_policy, sizeof(empty_policy), "empty.conf");
	tmpdir_path(bad_policy, sizeof(bad_policy), "bad.conf");
	write_file(key_file, key, sizeof(key));
	/* Only load directives: the policy is the empty one. */
	write_file(policy_file, "build-id " ID64 "\nlock yes\n",
		   strlen("build-id " ID64 "\nlock yes\n"));
	write_file(empty_policy, "", 0);
	write_file(bad_policy, "lock perhaps\n", 13);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

static void from_hex(uint8_t *out, const char *hex)
{
	assert_int_equal(ioi_unhex(out, hex, strlen(hex) / 2), 0);
}

static void assert_hash(const struct ioi_measure *m, const char *want)
{
	uint8_t hash[IOI_MEASUREMENT_SIZE];
	char hex[IOI_HASH_HEX_SIZE];

	assert_int_equal(ioi_measure_hash(m, hash), 0);
	ioi_hex(hex, hash, sizeof(hash));
	assert_string_equal(hex, want);
}

static void assert_text(const struct ioi_measure *m, const char *want)
{
	size_t len;
	char *text;

	assert_int_equal(ioi_measure_text(m, &text, &len), 0);
	assert_string_equal(text, want);
	assert_int_equal(len, strlen(want));
	free(text);
}

/* The builder */

static void test_text_none(void **state)
{
	struct ioi_measure m;

	(void)state;
	ioi_measure_init(&m);
	assert_string_equal(m.version, IOI_VERSION);
	m.version = "0.1.0";
	assert_text(&m, text_none);
	assert_hash(&m, HASH_NONE);
}

static void test_text_full(void **state)
{
	uint8_t id[IOI_KEY_ID_SIZE];
	struct ioi_measure m;

	(void)state;
	ioi_measure_init(&m);
	m.version = "0.1.0";
	m.has_build_id = true;
	from_hex(m.build_id, ID64);
	m.has_policy = true;
	from_hex(m.policy_hash, EMPTY_POLICY);
	/* Out of order: the text has them in ascending order of bytes. */
	from_hex(id, KEY_ID);
	assert_int_equal(ioi_measure_add_key(&m, id), 0);
	from_hex(id, OTHER_ID);
	assert_int_equal(ioi_measure_add_key(&m, id), 0);
	m.locked = true;
	m.hooks_armed = false;
	assert_text(&m, text_full);
	assert_hash(&m, HASH_FULL);
}

static void test_keys(void **state)
{
	uint8_t id[IOI_KEY_ID_SIZE] = { 0 };
	struct ioi_measure m;
	unsigned int i;

	(void)state;
	ioi_measure_init(&m);
	/* 31, 30, ... 0 in the first byte: each goes first. */
	for (i = 0; i < IOI_MAX_KEYS; i++) {
		id[0] = (uint8_t)(IOI_MAX_KEYS - 1 - i);
		assert_int_equal(ioi_measure_add_key(&m, id), 0);
	}
	for (i = 0; i < IOI_MAX_KEYS; i++)
		assert_int_equal(m.keys[i][0], i);
	/* The module holds no more, nor the same one twice. */
	id[0] = 0x80;
	assert_int_equal(ioi_measure_add_key(&m, id), -E2BIG);
	id[0] = 5;
	assert_int_equal(ioi_measure_add_key(&m, id), -EEXIST);
	assert_int_equal(m.n_keys, IOI_MAX_KEYS);

	/* Bytes, not text: 0x0f sorts before 0xa0, and the last byte counts. */
	ioi_measure_init(&m);
	memset(id, 0xa0, sizeof(id));
	assert_int_equal(ioi_measure_add_key(&m, id), 0);
	id[15] = 0x9f;
	assert_int_equal(ioi_measure_add_key(&m, id), 0);
	id[0] = 0x0f;
	assert_int_equal(ioi_measure_add_key(&m, id), 0);
	assert_int_equal(m.keys[0][0], 0x0f);
	assert_int_equal(m.keys[1][15], 0x9f);
	assert_int_equal(m.keys[2][15], 0xa0);
}

static void test_version(void **state)
{
	static const char *const bad[] = {
		"", "0.1 beta", "0.1\n", "0.1\t", "\x7f", "0.1-\xc3\xa9",
		"0123456789012345678901234567890123456789012345678901234567890123x",
	};
	struct ioi_measure m;
	size_t i, len;
	char *text;

	(void)state;
	assert_true(ioi_measure_version_ok("0.1.0"));
	assert_true(ioi_measure_version_ok("0.2.0-rc1+g1234"));
	assert_true(ioi_measure_version_ok(
		"0123456789012345678901234567890123456789012345678901234567890123"));
	ioi_measure_init(&m);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_false(ioi_measure_version_ok(bad[i]));
		m.version = bad[i];
		assert_int_equal(ioi_measure_text(&m, &text, &len), -EINVAL);
		assert_null(text);
	}
}

/* Hex arguments (util.c) */

static void expect_hex_error(const char *s, size_t size, bool exact,
			     const char *msg, size_t bad)
{
	char got[IOI_HEX_MSG_SIZE];
	uint8_t out[64];
	size_t at = 99;

	assert_int_equal(ioi_hex_arg("nonce", s, out, size, exact, NULL, &at,
				     got), -EINVAL);
	assert_string_equal(got, msg);
	assert_int_equal(at, bad);
}

static void test_hex_arg(void **state)
{
	char msg[IOI_HEX_MSG_SIZE];
	uint8_t out[32];
	size_t len = 0;

	(void)state;
	assert_int_equal(ioi_hex_arg("nonce", "00aAfF", out, 32, false, &len,
				     NULL, msg), 0);
	assert_int_equal(len, 3);
	assert_int_equal(out[1], 0xaa);
	assert_int_equal(out[2], 0xff);
	assert_int_equal(ioi_hex_arg("build ID", ID64, out, 32, true, NULL,
				     NULL, msg), 0);
	assert_int_equal(out[31], 0x1f);

	expect_hex_error("abc", 2, true,
			 "nonce must be 4 hex digits (2 bytes), got 3", 0);
	expect_hex_error("", 2, true,
			 "nonce must be 4 hex digits (2 bytes), got 0", 0);
	expect_hex_error("", 32, false, "nonce is empty", 0);
	expect_hex_error("abc", 32, false,
			 "nonce has an odd number of hex digits (3): a byte "
			 "takes two", 0);
	expect_hex_error("aabbccdd", 3, false,
			 "nonce must be at most 6 hex digits (3 bytes), got 8",
			 0);
	expect_hex_error("aabbcg", 3, false,
			 "nonce: 'g' (character 6) is not a hex digit", 5);
	/* Not a hex digit beats odd: it is the first thing to fix. */
	expect_hex_error("a b", 32, false,
			 "nonce: byte \\x20 (character 2) is not a hex digit",
			 1);
	expect_hex_error("0x12", 2, true,
			 "nonce: 'x' (character 2) is not a hex digit", 1);
}

/* ioctl-cli measure and key id */

#define expect_usage(msg, ...) \
	run_expect_usage("measure", msg, "measure", __VA_ARGS__)

/* Exit 0, stdout @out, nothing on stderr. */
static void expect_ok(struct run *r, const char *out)
{
	if (r->ret != IOI_EXIT_OK)
		fail_msg("exit %d: %s", r->ret, r->err);
	assert_string_equal(r->out, out);
	assert_string_equal(r->err, "");
	run_free(r);
}

static void test_measure_cli(void **state)
{
	struct run r;

	(void)state;
	/* Build ID and lock from the file, a key by file and one by id. */
	run_cli(&r, "measure", "--policy", policy_file, "--key", key_file,
		"--key-id", OTHER_ID, "--module-version", "0.1.0", NULL);
	expect_ok(&r, HASH_FULL_ARMED "\n");
	/* Short options, the other order: the same. */
	run_cli(&r, "measure", "-i", OTHER_ID, "-k", key_file, "-p",
		policy_file, "-V", "0.1.0", NULL);
	expect_ok(&r, HASH_FULL_ARMED "\n");

	run_cli(&r, "measure", "--policy", policy_file, "--key", key_file,
		"--key-id", OTHER_ID, "--module-version", "0.1.0", "--text",
		NULL);
	expect_ok(&r, "iointercept measurement 1\n"
		      "version 0.1.0\n"
		      "build-id " ID64 "\n"
		      "policy " EMPTY_POLICY "\n"
		      "key " OTHER_ID "\n"
		      "key " KEY_ID "\n"
		      "locked yes\n"
		      "hooks armed\n");

	/* The options override the file's lines. */
	run_cli(&r, "measure", "--policy", policy_file, "--build-id", "none",
		"--locked", "no", "--module-version", "9.9", NULL);
	expect_ok(&r, HASH_OVERRIDE "\n");
	run_cli(&r, "measure", "--policy", empty_policy, "--text", NULL);
	expect_ok(&r, "iointercept measurement 1\n"
		      "version " IOI_VERSION "\n"
		      "build-id none\n"
		      "policy " EMPTY_POLICY "\n"
		      "locked no\n"
		      "hooks armed\n");
	run_cli(&r, "measure", "--policy", empty_policy, "--build-id", ID64,
		"--locked", "yes", "--text", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, "\nbuild-id " ID64 "\n"));
	assert_non_null(strstr(r.out, "\nlocked yes\n"));
	run_free(&r);
}

/* The same, from the binary the Makefile built. */
static void test_measure_binary(void **state)
{
	char cmd[512], out[128];
	FILE *p;

	(void)state;
	if (access(BIN, X_OK))
		skip();
	snprintf(cmd, sizeof(cmd),
		 BIN " measure --policy %s --key %s --key-id " OTHER_ID
		 " --module-version 0.1.0 2>&1", policy_file, key_file);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, sizeof(out), p));
	assert_null(fgets(out + strlen(out), sizeof(out) - strlen(out), p));
	assert_int_equal(pclose(p), 0);
	assert_string_equal(out, HASH_FULL_ARMED "\n");

	snprintf(cmd, sizeof(cmd), BIN " measure --policy %s --key-id abc "
		 ">/dev/null 2>&1", policy_file);
	assert_int_equal(WEXITSTATUS(system(cmd)), IOI_EXIT_USAGE);
}

static void test_measure_errors(void **state)
{
	char *want;
	struct run r;

	(void)state;
	expect_usage("missing --policy FILE", "--key-id", KEY_ID);
	expect_usage("build ID must be 64 hex digits (32 bytes), got 62",
		     "--policy", policy_file, "--build-id", ID64 + 2);
	expect_usage("build ID must be 64 hex digits (32 bytes), got 63",
		     "--policy", policy_file, "--build-id", ID64 + 1);
	expect_usage("build ID: 'x' (character 2) is not a hex digit",
		     "--policy", policy_file, "--build-id",
		     "0x0102030405060708090a0b0c0d0e0f"
		     "101112131415161718191a1b1c1d1e1f");
	expect_usage("key ID must be 32 hex digits (16 bytes), got 31",
		     "--policy", policy_file, "--key-id", KEY_ID + 1);
	expect_usage("key ID: 'z' (character 1) is not a hex digit",
		     "--policy", policy_file, "--key-id",
		     "z7057dd824e7be1e73b5f7d36801d036");
	expect_usage("--locked takes yes or no, not 'maybe'",
		     "--policy", policy_file, "--locked", "maybe");
	expect_usage("--module-version takes 1 to 64 printable characters, "
		     "no space", "--policy", policy_file, "--module-version",
		     "0.1 beta");
	/* A key given twice, by identifier and by file. */
	expect_usage("key " KEY_ID " given twice", "--policy", policy_file,
		     "--key-id", KEY_ID, "--key", key_file);
	expect_usage("key " KEY_ID " given twice", "--policy", policy_file,
		     "--key-id", KEY_ID, "--key-id",
		     "C7057DD824E7BE1E73B5F7D36801D036");
	expect_usage("--policy and --key cannot both read standard input",
		     "--policy", "-", "--key", "-");
	expect_usage("unexpected argument 'x'", "--policy", policy_file, "x");

	/* Files: exit 1, with the file's own message. */
	run_cli(&r, "measure", "--policy", policy_file, "--key",
		policy_file, NULL);
	assert_true(asprintf(&want, "ioctl-cli measure: %s: expected 32 raw "
			     "bytes or 64 hex characters\n", policy_file) > 0);
	run_expect(&r, IOI_EXIT_FAIL, want);
	free(want);
	run_cli(&r, "measure", "--policy", bad_policy, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_true(asprintf(&want, "%s:1:6: error: unknown lock 'perhaps' "
			     "(expected yes or no)\n", bad_policy) > 0);
	assert_ptr_equal(strstr(r.err, want), r.err);
	free(want);
	run_free(&r);
}

static void test_key_id(void **state)
{
	char line[128];
	struct run r;

	(void)state;
	run_cli(&r, "key", "id", key_file, NULL);
	expect_ok(&r, KEY_ID "\n");
	run_cli_stdin(&r, key_file, "key", "id", "-", NULL);
	expect_ok(&r, KEY_ID "\n");

	/* measure --key uses the identifier key id prints. */
	run_cli(&r, "measure", "--policy", empty_policy, "--key", key_file,
		"--text", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	snprintf(line, sizeof(line), "\nkey %s\n", KEY_ID);
	assert_non_null(strstr(r.out, line));
	run_free(&r);

	run_cli(&r, "key", "id", NULL);
	run_expect(&r, IOI_EXIT_USAGE, "ioctl-cli key id: missing key file\n"
		   "See 'ioctl-cli help key id'.\n");
	run_cli(&r, "key", "id", policy_file, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_non_null(strstr(r.err, ": expected 32 raw bytes or 64 hex "
				      "characters\n"));
	run_free(&r);
	run_cli(&r, "help", "key", "id", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_ptr_equal(strstr(r.out, "Usage: ioctl-cli key id FILE\n"),
			 r.out);
	run_free(&r);
}

static void test_measure_help(void **state)
{
	struct run r;

	(void)state;
	run_cli(&r, "help", "measure", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_ptr_equal(strstr(r.out, "Usage: ioctl-cli measure --policy "
				"FILE [--build-id HEX64] [--key-id HEX32]...\n"),
			 r.out);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_none),
		cmocka_unit_test(test_text_full),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_hex_arg),
		cmocka_unit_test(test_measure_cli),
		cmocka_unit_test(test_measure_binary),
		cmocka_unit_test(test_measure_errors),
		cmocka_unit_test(test_key_id),
		cmocka_unit_test(test_measure_help),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
