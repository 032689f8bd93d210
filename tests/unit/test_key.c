// SPDX-License-Identifier: GPL-2.0
/*
 * `ioctl-cli key`: the arguments and key files through ioi_cli_main()
 * (cli_run.h), which stop before the module or reach it and find it
 * absent (the host has no iointercept family), and key_nl.c's requests
 * and replies, fed with messages built here the way the module builds them.
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
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "cli.h"
#include "cli_run.h"
#include "key_nl.h"
#include "tmpdir.h"
#include "util.h"

#define KEY_HEX "000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"
/* The identifier of bytes 00..1f (tests/unit/format_vector.h). */
#define KEY_ID "c7057dd824e7be1e73b5f7d36801d036"
#define OTHER_ID "00112233445566778899aabbccddeeff"
#define BAD_KEYFILE "expected 32 raw bytes or 64 hex characters"

#define ATTR_FROM_THE_FUTURE	200

static const uint8_t key_id[IOI_KEY_ID_SIZE] = {
	0xc7, 0x05, 0x7d, 0xd8, 0x24, 0xe7, 0xbe, 0x1e,
	0x73, 0xb5, 0xf7, 0xd3, 0x68, 0x01, 0xd0, 0x36,
};
static const uint8_t other_id[IOI_KEY_ID_SIZE + 1] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

static uint8_t raw_key[IOI_KEY_SIZE];
static char key_raw[128], key_hex[128], key_bad[128];

static int setup(void **state)
{
	size_t i;

	(void)state;
	if (tmpdir_create("test_key"))
		return -1;
	for (i = 0; i < sizeof(raw_key); i++)
		raw_key[i] = (uint8_t)i;
	tmpdir_path(key_raw, sizeof(key_raw), "key.raw");
	tmpdir_path(key_hex, sizeof(key_hex), "key.hex");
	tmpdir_path(key_bad, sizeof(key_bad), "key.bad");
	write_file(key_raw, raw_key, sizeof(raw_key));
	write_file(key_hex, KEY_HEX "\n", 65);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tmpdir_remove();
}

/* The CLI */

static const char *const usages[][2] = {
	{ "add", "Usage: ioctl-cli key add (--file PATH | --stdin)\n" },
	{ "generate", "Usage: ioctl-cli key generate\n" },
	{ "list", "Usage: ioctl-cli key list [--json]\n" },
	{ "remove", "Usage: ioctl-cli key remove ID\n" },
	{ "id", "Usage: ioctl-cli key id FILE\n" },
};

static void assert_key_usage(struct run *r)
{
	size_t i;
	char line[64];

	assert_int_equal(r->ret, IOI_EXIT_OK);
	assert_ptr_equal(strstr(r->out,
		"Usage: ioctl-cli key <subcommand> [<args>]\n"), r->out);
	for (i = 0; i < ARRAY_SIZE(usages); i++) {
		snprintf(line, sizeof(line), "\n  %-15s", usages[i][0]);
		assert_non_null(strstr(r->out, line));
	}
	assert_non_null(strstr(r->out, "\n  help "));
	assert_string_equal(r->err, "");
	run_free(r);
}

static void test_help(void **state)
{
	struct run r;
	size_t i;

	(void)state;
	run_cli(&r, "key", "--help", NULL);
	assert_key_usage(&r);
	run_cli(&r, "key", "-h", NULL);
	assert_key_usage(&r);
	run_cli(&r, "key", "help", NULL);
	assert_key_usage(&r);
	run_cli(&r, "help", "key", NULL);
	assert_key_usage(&r);

	/* ioctl-cli's own list has it. */
	run_cli(&r, "--help", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, "\n  key            Add, generate, "));
	run_free(&r);

	/* Each subcommand's help, three ways. */
	for (i = 0; i < ARRAY_SIZE(usages); i++) {
		run_cli(&r, "help", "key", usages[i][0], NULL);
		assert_int_equal(r.ret, IOI_EXIT_OK);
		assert_ptr_equal(strstr(r.out, usages[i][1]), r.out);
		assert_string_equal(r.err, "");
		run_free(&r);

		run_cli(&r, "key", "help", usages[i][0], NULL);
		assert_int_equal(r.ret, IOI_EXIT_OK);
		assert_ptr_equal(strstr(r.out, usages[i][1]), r.out);
		run_free(&r);

		run_cli(&r, "key", usages[i][0], "--help", NULL);
		assert_int_equal(r.ret, IOI_EXIT_OK);
		assert_ptr_equal(strstr(r.out, usages[i][1]), r.out);
		run_free(&r);
	}
}

static void test_dispatch_errors(void **state)
{
	struct run r;

	(void)state;
	run_cli(&r, "key", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_string_equal(r.out, "");
	assert_ptr_equal(strstr(r.err, "Usage: ioctl-cli key "), r.err);
	run_free(&r);

	run_cli(&r, "key", "frobnicate", NULL);
	run_expect(&r, IOI_EXIT_USAGE,
		   "ioctl-cli key: unknown subcommand 'frobnicate'\n"
		   "See 'ioctl-cli key --help' for the list of subcommands.\n");
	run_cli(&r, "key", "help", "frobnicate", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'frobnicate'"));
	run_free(&r);
	run_cli(&r, "help", "key", "frobnicate", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'frobnicate'"));
	run_free(&r);

	run_expect_usage("key", "unexpected argument 'x'", "key", "help", "add",
			 "x");
	run_expect_usage("help", "unexpected argument 'x'", "help", "key",
			 "add", "x");
	/* Only a command with subcommands takes a second word after help. */
	run_expect_usage("help", "unexpected argument 'x'", "help", "status",
			 "x");
	/* The top-level unknown-subcommand message is unchanged. */
	run_cli(&r, "frobnicate", NULL);
	run_expect(&r, IOI_EXIT_USAGE,
		   "ioctl-cli: unknown subcommand 'frobnicate'\n"
		   "See 'ioctl-cli --help' for the list of subcommands.\n");
}

static void test_add_usage(void **state)
{
	(void)state;
	run_expect_usage("key add", "missing --file PATH or --stdin", "key",
			 "add");
	/* Usage errors come before the key file is read. */
	run_expect_usage("key add", "--file and --stdin exclude each other",
			 "key", "add", "--file", "/nonexistent", "--stdin");
	run_expect_usage("key add", "--file and --stdin exclude each other",
			 "key", "add", "-s", "-f", key_raw);
	run_expect_usage("key add", "unexpected argument 'extra'",
			 "key", "add", "--file", key_raw, "extra");
	run_expect_usage("key add", "unexpected argument 'extra'",
			 "key", "add", "--stdin", "extra");
	run_expect_usage("key add", "option needs an argument '--file'",
			 "key", "add", "--file");
	run_expect_usage("key add", "invalid option '--bogus'",
			 "key", "add", "--bogus", "--stdin");
	run_expect_usage("key add", "invalid option '--json'",
			 "key", "add", "--json", "--stdin");
}

static void expect_bad_keyfile(const char *path, const char *why)
{
	struct run r;
	char *want;

	run_cli(&r, "key", "add", "--file", path, NULL);
	assert_true(asprintf(&want, "ioctl-cli key add: %s: %s\n", path,
			     why) > 0);
	run_expect(&r, IOI_EXIT_FAIL, want);
	free(want);
}

static void test_add_bad_key_files(void **state)
{
	static const char *const bad[] = {
		"",
		KEY_HEX "\n\n",
		KEY_HEX " ",
		"0x" KEY_HEX,
		/* 64 characters, one not hex */
		"g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1",
		/* 33 bytes (32 bytes of anything are a raw key) */
		"000102030405060708090a0b0c0d0e0f\n",
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		write_file(key_bad, bad[i], strlen(bad[i]));
		expect_bad_keyfile(key_bad, BAD_KEYFILE);
	}
	write_file(key_bad, raw_key, 31);
	expect_bad_keyfile(key_bad, BAD_KEYFILE);
	write_file(key_bad, KEY_HEX, 63);
	expect_bad_keyfile(key_bad, BAD_KEYFILE);
	expect_bad_keyfile("/nonexistent/key", "No such file or directory");
	expect_bad_keyfile(tmpdir, "Is a directory");

	/* The same checks on standard input. */
	write_file(key_bad, KEY_HEX "00", 66);
	run_cli_stdin(&r, key_bad, "key", "add", "--stdin", NULL);
	run_expect(&r, IOI_EXIT_FAIL,
		   "ioctl-cli key add: <stdin>: " BAD_KEYFILE "\n");
	run_cli_stdin(&r, "/dev/null", "key", "add", "-s", NULL);
	run_expect(&r, IOI_EXIT_FAIL,
		   "ioctl-cli key add: <stdin>: " BAD_KEYFILE "\n");
}

/* A good key gets as far as the module, and is never shown. */
static void test_add_without_module(void **state)
{
	(void)state;
	run_expect_no_module("key", "add", "--file", key_raw);
	run_expect_no_module("key", "add", "-f", key_hex);
	run_expect_no_module("key", "add", "--file=" "/dev/null", "--file",
			     key_hex);

	{
		struct run r;

		run_cli_stdin(&r, key_hex, "key", "add", "--stdin", NULL);
		run_expect(&r, IOI_EXIT_NOMOD, RUN_NO_MODULE);
		run_cli_stdin(&r, key_raw, "key", "add", "--stdin", NULL);
		run_expect(&r, IOI_EXIT_NOMOD, RUN_NO_MODULE);
	}
}

static void test_generate_list_without_module(void **state)
{
	(void)state;
	run_expect_no_module("key", "generate");
	run_expect_no_module("key", "list");
	run_expect_no_module("key", "list", "--json");
	run_expect_no_module("key", "list", "-j");

	run_expect_usage("key generate", "unexpected argument 'x'",
			 "key", "generate", "x");
	run_expect_usage("key generate", "invalid option '--json'",
			 "key", "generate", "--json");
	run_expect_usage("key list", "unexpected argument 'x'", "key", "list",
			 "x");
	run_expect_usage("key list", "invalid option '-x'", "key", "list",
			 "-jx");
}

static void test_remove_args(void **state)
{
	(void)state;
	run_expect_usage("key remove", "missing key identifier", "key",
			 "remove");
	run_expect_usage("key remove", "unexpected argument 'x'",
			 "key", "remove", KEY_ID, "x");
	run_expect_usage("key remove",
			 "key identifier must be 32 hex digits (16 bytes), got 0",
			 "key", "remove", "");
	run_expect_usage("key remove",
			 "key identifier must be 32 hex digits (16 bytes), got 31",
			 "key", "remove", KEY_ID + 1);
	run_expect_usage("key remove",
			 "key identifier must be 32 hex digits (16 bytes), got 33",
			 "key", "remove", KEY_ID "0");
	/* A key given by mistake is refused without being echoed. */
	run_expect_usage("key remove",
			 "key identifier must be 32 hex digits (16 bytes), got 64",
			 "key", "remove", KEY_HEX);
	run_expect_usage("key remove",
			 "key identifier: 'g' (character 32) is not a hex digit",
			 "key", "remove", "c7057dd824e7be1e73b5f7d36801d03g");
	run_expect_usage("key remove",
			 "key identifier: 'x' (character 2) is not a hex digit",
			 "key", "remove", "0x057dd824e7be1e73b5f7d36801d036");
	run_expect_usage("key remove",
			 "key identifier: byte \\x20 (character 17) is not a hex digit",
			 "key", "remove", "c7057dd824e7be1e 3b5f7d36801d036");

	/* Good identifiers, either case, get as far as the module. */
	run_expect_no_module("key", "remove", KEY_ID);
	run_expect_no_module("key", "remove",
			     "C7057DD824E7BE1E73B5F7D36801D036");
}

/* Requests */

static char buf[8192];

/* A genetlink message for @cmd, as ioi_nl_msg() or the module starts it. */
static struct nlmsghdr *msg_start(uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = IOI_GENL_VERSION;
	return nlh;
}

/* The message's only attribute is @type with the @len bytes @want. */
static void assert_one_attr(const struct nlmsghdr *nlh, uint16_t type,
			    const void *want, size_t len)
{
	const size_t hdrlen = MNL_ALIGN(sizeof(struct genlmsghdr));
	const struct nlattr *attr;
	unsigned int n = 0;

	assert_int_equal(nlh->nlmsg_len,
			 MNL_NLMSG_HDRLEN + hdrlen + MNL_ATTR_HDRLEN + len);
	mnl_attr_for_each(attr, nlh, hdrlen) {
		assert_int_equal(mnl_attr_get_type(attr), type);
		assert_int_equal(mnl_attr_get_payload_len(attr), len);
		assert_memory_equal(mnl_attr_get_payload(attr), want, len);
		n++;
	}
	assert_int_equal(n, 1);
}

static void test_put_raw(void **state)
{
	struct nlmsghdr *nlh;
	uint32_t len;

	(void)state;
	nlh = msg_start(IOI_CMD_KEY_ADD);
	assert_int_equal(ioi_key_put_raw(nlh, sizeof(buf), raw_key), 0);
	/* Exactly IOI_KEY_SIZE bytes: NLA_POLICY_EXACT_LEN in the module. */
	assert_one_attr(nlh, IOI_A_KEY_RAW, raw_key, IOI_KEY_SIZE);
	assert_int_equal(nlh->nlmsg_len, 16 + 4 + 4 + 32);

	/* No room: the message is left as it was. */
	nlh = msg_start(IOI_CMD_KEY_ADD);
	len = nlh->nlmsg_len;
	assert_int_equal(ioi_key_put_raw(nlh, len + 4 + 31, raw_key),
			 -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, len);
}

static void test_put_id(void **state)
{
	struct nlmsghdr *nlh;
	uint32_t len;

	(void)state;
	nlh = msg_start(IOI_CMD_KEY_REMOVE);
	assert_int_equal(ioi_key_put_id(nlh, sizeof(buf), key_id), 0);
	assert_one_attr(nlh, IOI_A_KEY_ID, key_id, IOI_KEY_ID_SIZE);

	nlh = msg_start(IOI_CMD_KEY_REMOVE);
	len = nlh->nlmsg_len;
	assert_int_equal(ioi_key_put_id(nlh, len + 4 + 15, key_id),
			 -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, len);
}

/* Replies */

static void test_parse_id_reply(void **state)
{
	uint8_t id[IOI_KEY_ID_SIZE];
	struct nlmsghdr *nlh;

	(void)state;
	/* As key_id_reply() in module/netlink.c, and a newer attribute. */
	nlh = msg_start(IOI_CMD_KEY_ADD);
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 1);
	mnl_attr_put(nlh, IOI_A_KEY_ID, IOI_KEY_ID_SIZE, key_id);
	assert_int_equal(ioi_key_parse_id_reply(nlh, id), 0);
	assert_memory_equal(id, key_id, sizeof(id));

	/* Cut inside the identifier. */
	nlh->nlmsg_len -= 4;
	assert_int_equal(ioi_key_parse_id_reply(nlh, id), -EBADMSG);

	nlh = msg_start(IOI_CMD_KEY_GENERATE);
	assert_int_equal(ioi_key_parse_id_reply(nlh, id), -ENODATA);
	mnl_attr_put(nlh, IOI_A_KEY_ID, IOI_KEY_ID_SIZE - 1, key_id);
	assert_int_equal(ioi_key_parse_id_reply(nlh, id), -EBADMSG);

	nlh = msg_start(IOI_CMD_KEY_GENERATE);
	mnl_attr_put(nlh, IOI_A_KEY_ID, IOI_KEY_ID_SIZE + 1, other_id);
	assert_int_equal(ioi_key_parse_id_reply(nlh, id), -EBADMSG);

	/* Shorter than a genlmsghdr. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_len += 2;
	assert_int_equal(ioi_key_parse_id_reply(nlh, id), -EBADMSG);
}

static void test_parse_remove_reply(void **state)
{
	struct nlmsghdr *nlh;
	uint32_t open = 7;

	(void)state;
	/* As ioi_nl_key_remove() in module/netlink.c, and a newer attribute. */
	nlh = msg_start(IOI_CMD_KEY_REMOVE);
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 1);
	mnl_attr_put_u32(nlh, IOI_A_KEY_OPEN_FILES, 10000);
	assert_int_equal(ioi_key_parse_remove_reply(nlh, &open), 0);
	assert_int_equal(open, 10000);

	nlh = msg_start(IOI_CMD_KEY_REMOVE);
	mnl_attr_put_u32(nlh, IOI_A_KEY_OPEN_FILES, 0);
	assert_int_equal(ioi_key_parse_remove_reply(nlh, &open), 0);
	assert_int_equal(open, 0);

	/* Missing, of the wrong size, cut short. */
	nlh = msg_start(IOI_CMD_KEY_REMOVE);
	assert_int_equal(ioi_key_parse_remove_reply(nlh, &open), -ENODATA);
	mnl_attr_put_u16(nlh, IOI_A_KEY_OPEN_FILES, 1);
	assert_int_equal(ioi_key_parse_remove_reply(nlh, &open), -EBADMSG);
	nlh = msg_start(IOI_CMD_KEY_REMOVE);
	mnl_attr_put_u32(nlh, IOI_A_KEY_OPEN_FILES, 1);
	nlh->nlmsg_len -= 2;
	assert_int_equal(ioi_key_parse_remove_reply(nlh, &open), -EBADMSG);
	assert_int_equal(open, 0);
}

/* One IOI_KEY_A_ENTRY; the defaults are what the module sends. */
struct entry {
	const uint8_t *id;
	size_t id_len;		/* 0: IOI_KEY_ID_SIZE */
	bool no_id, no_active, no_generated;
	bool active, generated;
	size_t active_len;	/* payload of IOI_KEY_A_ACTIVE; 0: 1 */
	bool extra;		/* with attributes of a newer module */
};

static void put_entry(struct nlmsghdr *nlh, const struct entry *e)
{
	uint8_t active[4] = { e->active };
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, IOI_KEY_A_ENTRY);
	if (e->extra) {
		mnl_attr_put_u64(nlh, ATTR_FROM_THE_FUTURE, 42);
		mnl_attr_put_u8(nlh, IOI_KEY_A_ENTRY, 1);
	}
	if (!e->no_id)
		mnl_attr_put(nlh, IOI_KEY_A_ID,
			     e->id_len ? e->id_len : IOI_KEY_ID_SIZE,
			     e->id ? e->id : key_id);
	if (!e->no_active)
		mnl_attr_put(nlh, IOI_KEY_A_ACTIVE,
			     e->active_len ? e->active_len : 1, active);
	if (!e->no_generated)
		mnl_attr_put_u8(nlh, IOI_KEY_A_GENERATED, e->generated);
	mnl_attr_nest_end(nlh, nest);
}

/* A KEY_LIST reply with @n entries, and a newer module's attributes. */
static struct nlmsghdr *list_reply(const struct entry *entries, size_t n)
{
	struct nlmsghdr *nlh = msg_start(IOI_CMD_KEY_LIST);
	struct nlattr *keys;
	size_t i;

	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 7);
	keys = mnl_attr_nest_start(nlh, IOI_A_KEYS);
	for (i = 0; i < n; i++) {
		put_entry(nlh, &entries[i]);
		/* Padding (type 0) and an unknown type between entries. */
		mnl_attr_put_u32(nlh, 0, 0);
		mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 7);
	}
	mnl_attr_nest_end(nlh, keys);
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE + 1, 8);
	return nlh;
}

/* @l prints as @text, and as @json with --json. */
static void assert_printed(const struct ioi_key_list *l, const char *text,
			   const char *json)
{
	size_t len = 0, text_len;
	char *out = NULL;
	FILE *f;

	/* Both into one stream, the text first. */
	f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(ioi_key_list_print_text(f, l), 0);
	assert_int_equal(fflush(f), 0);
	text_len = len;
	assert_int_equal(ioi_key_list_print_json(f, l), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(text_len, strlen(text));
	assert_memory_equal(out, text, text_len);
	assert_string_equal(out + text_len, json);
	free(out);
}

static void test_list_none(void **state)
{
	struct ioi_key_list l;
	struct nlmsghdr *nlh;
	struct nlattr *keys;

	(void)state;
	/* The module's reply: an empty IOI_A_KEYS. */
	nlh = msg_start(IOI_CMD_KEY_LIST);
	keys = mnl_attr_nest_start(nlh, IOI_A_KEYS);
	mnl_attr_nest_end(nlh, keys);
	assert_int_equal(ioi_key_parse_list_reply(nlh, &l), 0);
	assert_int_equal(l.n, 0);
	assert_printed(&l, "", "[]\n");

	assert_int_equal(ioi_key_parse_list_reply(list_reply(NULL, 0), &l), 0);
	assert_int_equal(l.n, 0);
}

static void test_list_one(void **state)
{
	const struct entry e = { .active = true };
	struct ioi_key_list l;

	(void)state;
	assert_int_equal(ioi_key_parse_list_reply(list_reply(&e, 1), &l), 0);
	assert_int_equal(l.n, 1);
	assert_memory_equal(l.keys[0].id, key_id, IOI_KEY_ID_SIZE);
	assert_true(l.keys[0].active);
	assert_false(l.keys[0].generated);
	assert_printed(&l, KEY_ID "  active  added\n",
		       "[{\"id\":\"" KEY_ID "\",\"active\":true,"
		       "\"generated\":false}]\n");
}

static void test_list_two(void **state)
{
	/* Newest first: a generated key, then the one added before it. */
	const struct entry e[] = {
		{ .id = other_id, .active = true, .generated = true,
		  .extra = true },
		{ .id = key_id },
	};
	struct ioi_key_list l;

	(void)state;
	assert_int_equal(ioi_key_parse_list_reply(list_reply(e, 2), &l), 0);
	assert_int_equal(l.n, 2);
	assert_memory_equal(l.keys[0].id, other_id, IOI_KEY_ID_SIZE);
	assert_true(l.keys[0].active);
	assert_true(l.keys[0].generated);
	assert_memory_equal(l.keys[1].id, key_id, IOI_KEY_ID_SIZE);
	assert_false(l.keys[1].active);
	assert_false(l.keys[1].generated);
	assert_printed(&l,
		       OTHER_ID "  active  generated\n"
		       KEY_ID "  -       added\n",
		       "[{\"id\":\"" OTHER_ID "\",\"active\":true,"
		       "\"generated\":true},"
		       "{\"id\":\"" KEY_ID "\",\"active\":false,"
		       "\"generated\":false}]\n");
}

static void test_list_limit(void **state)
{
	struct entry e[IOI_MAX_KEYS + 1];
	struct ioi_key_list l;

	(void)state;
	memset(e, 0, sizeof(e));
	assert_int_equal(ioi_key_parse_list_reply(list_reply(e, IOI_MAX_KEYS),
						  &l), 0);
	assert_int_equal(l.n, IOI_MAX_KEYS);
	/* More than a module can hold is not a reply of a module. */
	assert_int_equal(ioi_key_parse_list_reply(
		list_reply(e, IOI_MAX_KEYS + 1), &l), -EBADMSG);
}

/* A reply with the one entry @e fails to decode with @err. */
static void expect_bad_entry(const struct entry *e, int err)
{
	struct ioi_key_list l;

	assert_int_equal(ioi_key_parse_list_reply(list_reply(e, 1), &l), err);
}

static void test_list_errors(void **state)
{
	const struct entry good[2] = { { .active = true }, { .id = other_id } };
	struct ioi_key_list l;
	struct nlmsghdr *nlh;
	struct nlattr *keys;

	(void)state;
	/* No IOI_A_KEYS at all. */
	nlh = msg_start(IOI_CMD_KEY_LIST);
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 7);
	assert_int_equal(ioi_key_parse_list_reply(nlh, &l), -ENODATA);

	/* IOI_A_KEYS that is not a nest. */
	nlh = msg_start(IOI_CMD_KEY_LIST);
	mnl_attr_put_u8(nlh, IOI_A_KEYS, 1);
	assert_int_equal(ioi_key_parse_list_reply(nlh, &l), -EBADMSG);

	/* An entry that is not a nest. */
	nlh = msg_start(IOI_CMD_KEY_LIST);
	keys = mnl_attr_nest_start(nlh, IOI_A_KEYS);
	mnl_attr_put_u8(nlh, IOI_KEY_A_ENTRY, 1);
	mnl_attr_nest_end(nlh, keys);
	assert_int_equal(ioi_key_parse_list_reply(nlh, &l), -EBADMSG);

	/* Missing or mistyped attributes in an entry. */
	expect_bad_entry(&(struct entry){ .no_id = true }, -ENODATA);
	expect_bad_entry(&(struct entry){ .no_active = true }, -ENODATA);
	expect_bad_entry(&(struct entry){ .no_generated = true }, -ENODATA);
	expect_bad_entry(&(struct entry){ .id_len = IOI_KEY_ID_SIZE - 1 },
			 -EBADMSG);
	expect_bad_entry(&(struct entry){ .id_len = IOI_KEY_ID_SIZE + 1,
					  .id = other_id }, -EBADMSG);
	expect_bad_entry(&(struct entry){ .active_len = 4 }, -EBADMSG);

	/*
	 * Truncated: the message cut inside the last entry (after it, three
	 * u32 attributes of 8 bytes; its last attribute is a u8 of 8).
	 */
	nlh = list_reply(good, 2);
	assert_int_equal(ioi_key_parse_list_reply(nlh, &l), 0);
	nlh->nlmsg_len -= 3 * 8 + 4;
	assert_int_equal(ioi_key_parse_list_reply(nlh, &l), -EBADMSG);

	/* An entry whose length runs past its nest. */
	nlh = msg_start(IOI_CMD_KEY_LIST);
	keys = mnl_attr_nest_start(nlh, IOI_A_KEYS);
	put_entry(nlh, &good[0]);
	mnl_attr_nest_end(nlh, keys);
	((struct nlattr *)mnl_attr_get_payload(keys))->nla_len += 8;
	mnl_attr_put_u64(nlh, ATTR_FROM_THE_FUTURE, 0);
	assert_int_equal(ioi_key_parse_list_reply(nlh, &l), -EBADMSG);

	/* Shorter than a genlmsghdr. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_len += 2;
	assert_int_equal(ioi_key_parse_list_reply(nlh, &l), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_dispatch_errors),
		cmocka_unit_test(test_add_usage),
		cmocka_unit_test(test_add_bad_key_files),
		cmocka_unit_test(test_add_without_module),
		cmocka_unit_test(test_generate_list_without_module),
		cmocka_unit_test(test_remove_args),
		cmocka_unit_test(test_put_raw),
		cmocka_unit_test(test_put_id),
		cmocka_unit_test(test_parse_id_reply),
		cmocka_unit_test(test_parse_remove_reply),
		cmocka_unit_test(test_list_none),
		cmocka_unit_test(test_list_one),
		cmocka_unit_test(test_list_two),
		cmocka_unit_test(test_list_limit),
		cmocka_unit_test(test_list_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
