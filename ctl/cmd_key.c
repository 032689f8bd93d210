// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli key add|generate|list|remove|id: the module's master keys. The
 * attributes and replies are key_nl.c's; this file parses the arguments
 * and does the socket I/O. The key that `key add` reads is wiped as soon
 * as it is in the request, and the request with the socket's buffer by
 * ioi_nl_close().
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "key_nl.h"
#include "keyfile.h"
#include "nl.h"
#include "util.h"

_Static_assert(IOI_KEY_SIZE == IOI_FMT_KEY_SIZE,
	       "the module's master keys are those of key files");
_Static_assert(IOI_KEY_ID_SIZE == IOI_FMT_KEY_ID_SIZE,
	       "the module's key identifiers are those of files");

/*
 * Send @nlh; with @parse, decode its one reply into @out. On failure print
 * why, as "ioctl-cli: @op: ...". Returns an IOI_EXIT_* code.
 */
static int request(struct ioi_nl *nl, struct nlmsghdr *nlh, const char *op,
		   int (*parse)(const struct nlmsghdr *nlh, void *out),
		   void *out)
{
	struct ioi_nl_ack ack;
	int err;

	err = parse ? ioi_nl_transact_one(nl, nlh, parse, out, &ack) :
		      ioi_nl_transact(nl, nlh, NULL, NULL, &ack);
	if (!err)
		return IOI_EXIT_OK;
	/* A key request has one attribute at most: the message says enough. */
	if (ack.msg)
		ack.has_offset = false;
	return ioi_nl_report(stderr, op, err, &ack);
}

static int parse_id(const struct nlmsghdr *nlh, void *out)
{
	return ioi_key_parse_id_reply(nlh, out);
}

static int parse_list(const struct nlmsghdr *nlh, void *out)
{
	return ioi_key_parse_list_reply(nlh, out);
}

/* Send @nlh (KEY_ADD or KEY_GENERATE) and print the new key's identifier. */
static int request_id(struct ioi_nl *nl, struct nlmsghdr *nlh,
		      const char *op)
{
	uint8_t id[IOI_KEY_ID_SIZE];
	char hex[IOI_KEY_ID_HEX_SIZE];
	int ret;

	ret = request(nl, nlh, op, parse_id, id);
	if (ret)
		return ret;
	ioi_hex(hex, id, sizeof(id));
	printf("%s\n", hex);
	return IOI_EXIT_OK;
}

/* Open the socket and start a request for @cmd; NULL if that failed. */
static struct nlmsghdr *open_msg(struct ioi_nl *nl, uint8_t cmd, int *ret)
{
	*ret = ioi_nl_open(nl, 0);
	return *ret ? NULL : ioi_nl_msg(nl, cmd, 0);
}

static void add_help(FILE *f)
{
	fprintf(f,
		"Usage: %s key add (--file PATH | --stdin)\n\n"
		"Load a master key into the module and print its identifier (32 hex\n"
		"characters). The key is 32 raw bytes, or 64 hex characters and an\n"
		"optional newline, as for encrypt and decrypt. It becomes the active\n"
		"key, the one that seals new files. It is wiped from this tool's memory\n"
		"once sent, and no command reads it back. Fails if it is already loaded\n"
		"or %d keys are.\n\n"
		"Options:\n"
		"  -f, --file PATH  read the key from the file PATH\n"
		"  -s, --stdin      read the key from standard input\n"
		"  -h, --help       show this help\n",
		PROG_NAME, IOI_MAX_KEYS);
}

static int key_add(int argc, char *argv[])
{
	const char *path = NULL;
	bool from_stdin = false;
	uint8_t key[IOI_KEY_SIZE];
	struct nlmsghdr *nlh;
	struct ioi_nl nl;
	int ret;
	const struct ioi_cli_flag flags[] = {
		{ "stdin", 's', &from_stdin },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_value values[] = {
		{ "file", 'f', &path },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_spec spec = {
		.flags = flags,
		.values = values,
		.help = add_help,
	};

	ret = ioi_cli_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (!path && !from_stdin)
		return ioi_cli_missing_arg(argv[0], "--file PATH or --stdin");
	if (path && from_stdin)
		return ioi_cli_usage_error(argv[0],
			"--file and --stdin exclude each other");

	/* First, so a bad key file is found without the module. */
	if (ioi_keyfile_read(path, key, argv[0], stderr))
		return IOI_EXIT_FAIL;
	nlh = open_msg(&nl, IOI_CMD_KEY_ADD, &ret);
	if (nlh && ioi_key_put_raw(nlh, IOI_NL_BUF_SIZE, key))
		ret = IOI_EXIT_FAIL;	/* 56 bytes in 128 KiB: not reached */
	OPENSSL_cleanse(key, sizeof(key));
	if (nlh && !ret)
		ret = request_id(&nl, nlh, argv[0]);
	ioi_nl_close(&nl);
	return ret;
}

static void generate_help(FILE *f)
{
	fprintf(f,
		"Usage: %s key generate\n\n"
		"Have the module make a new master key with the kernel's random number\n"
		"generator, and print its identifier. It becomes the active key, the one\n"
		"that seals new files. Nobody knows it, root included: the files it\n"
		"seals can be read only on this machine, and only while it is loaded:\n"
		"not after key remove, unloading the module or a reboot.\n\n"
		"Options:\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

static int key_generate(int argc, char *argv[])
{
	struct nlmsghdr *nlh;
	struct ioi_nl nl;
	int ret;

	ret = ioi_cli_options(argc, argv, NULL, generate_help, NULL);
	if (ret >= 0)
		return ret;
	nlh = open_msg(&nl, IOI_CMD_KEY_GENERATE, &ret);
	if (nlh)
		ret = request_id(&nl, nlh, argv[0]);
	ioi_nl_close(&nl);
	return ret;
}

static void list_help(FILE *f)
{
	fprintf(f,
		"Usage: %s key list [--json]\n\n"
		"List the loaded master keys, newest first, one a line: the identifier,\n"
		"\"active\" for the key that seals new files (\"-\" for the others, which\n"
		"only open the files they sealed), and \"added\" (key add) or\n"
		"\"generated\" (key generate). Prints nothing if no key is loaded.\n\n"
		"Options:\n"
		"  -j, --json  print a JSON array of {\"id\", \"active\", \"generated\"}\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

static int key_list(int argc, char *argv[])
{
	struct ioi_key_list l;
	struct nlmsghdr *nlh;
	struct ioi_nl nl;
	bool json = false;
	int ret, err;
	const struct ioi_cli_flag flags[] = {
		{ "json", 'j', &json },
		{ NULL, 0, NULL }
	};

	ret = ioi_cli_options(argc, argv, flags, list_help, NULL);
	if (ret >= 0)
		return ret;
	nlh = open_msg(&nl, IOI_CMD_KEY_LIST, &ret);
	if (nlh)
		ret = request(&nl, nlh, argv[0], parse_list, &l);
	ioi_nl_close(&nl);
	if (ret)
		return ret;

	err = json ? ioi_key_list_print_json(stdout, &l) :
		     ioi_key_list_print_text(stdout, &l);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", PROG_NAME, argv[0],
			strerror(-err));
		return IOI_EXIT_FAIL;
	}
	return IOI_EXIT_OK;
}

/* KEY_REMOVE's reply, which a module older than this tool does not send. */
struct remove_ctx {
	uint16_t family_id;
	unsigned int replies;
	uint32_t open;
	bool known;
};

static int remove_cb(const struct nlmsghdr *nlh, void *data)
{
	struct remove_ctx *ctx = data;
	int err;

	if (nlh->nlmsg_type != ctx->family_id || ctx->replies++) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	err = ioi_key_parse_remove_reply(nlh, &ctx->open);
	if (err == -ENODATA)
		return MNL_CB_OK;	/* the module could not count them */
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	ctx->known = true;
	return MNL_CB_OK;
}

static void remove_help(FILE *f)
{
	fprintf(f,
		"Usage: %s key remove ID\n\n"
		"Remove the master key whose identifier is ID (32 hex characters, as\n"
		"key list shows them) and wipe it. Files already open keep working until\n"
		"they are closed, and how many there are is printed (\"N open files still\n"
		"use this key until closed\"); the files it sealed cannot be opened again,\n"
		"even while another process holds them open, until the same key is\n"
		"added again (ENOKEY). If it was the active key, the newest one left\n"
		"becomes active.\n\n"
		"Options:\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

static int key_remove(int argc, char *argv[])
{
	struct remove_ctx ctx = {};
	uint8_t id[IOI_KEY_ID_SIZE];
	struct ioi_nl_ack ack;
	struct nlmsghdr *nlh;
	struct ioi_nl nl;
	char msg[IOI_HEX_MSG_SIZE];
	int ret, err;

	ret = ioi_cli_options(argc, argv, NULL, remove_help, "key identifier");
	if (ret >= 0)
		return ret;
	/* Not echoed: it could be a key pasted by mistake. */
	if (ioi_hex_arg("key identifier", argv[optind], id, sizeof(id), true,
			NULL, NULL, msg))
		return ioi_cli_usage_error(argv[0], "%s", msg);

	nlh = open_msg(&nl, IOI_CMD_KEY_REMOVE, &ret);
	if (nlh && ioi_key_put_id(nlh, IOI_NL_BUF_SIZE, id))
		ret = IOI_EXIT_FAIL;	/* not reached */
	if (nlh && !ret) {
		ctx.family_id = nl.family_id;
		err = ioi_nl_transact(&nl, nlh, remove_cb, &ctx, &ack);
		if (err && ack.msg)
			ack.has_offset = false;
		ret = err ? ioi_nl_report(stderr, argv[0], err, &ack) :
			    IOI_EXIT_OK;
	}
	ioi_nl_close(&nl);
	/* Like fscrypt's "files busy": they go on until they are closed. */
	if (!ret && ctx.known && ctx.open)
		printf("%u open file%s still use%s this key until closed\n",
		       ctx.open, ctx.open == 1 ? "" : "s",
		       ctx.open == 1 ? "s" : "");
	return ret;
}

static void id_help(FILE *f)
{
	fprintf(f,
		"Usage: %s key id FILE\n\n"
		"Print the identifier of the master key in the key file FILE (\"-\" is\n"
		"standard input), as key add would print it once the key is loaded,\n"
		"without loading it: no module and no privileges are needed. A verifier\n"
		"passes it to measure --key-id.\n\n"
		"Options:\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

static int key_id(int argc, char *argv[])
{
	char hex[IOI_KEY_ID_HEX_SIZE];
	struct ioi_fmt_master m;
	const char *path;
	int ret;

	ret = ioi_cli_options(argc, argv, NULL, id_help, "key file");
	if (ret >= 0)
		return ret;
	path = strcmp(argv[optind], "-") ? argv[optind] : NULL;
	/* The identifier files carry is the one the module reports. */
	if (ioi_keyfile_load(path, &m, argv[0], stderr))
		return IOI_EXIT_FAIL;
	ioi_hex(hex, m.key_id, sizeof(m.key_id));
	ioi_fmt_master_wipe(&m);
	printf("%s\n", hex);
	return IOI_EXIT_OK;
}

static const struct ioi_cli_cmd key_cmds[] = {
	{ "add", key_add,
	  "Load a master key from a key file or standard input", false },
	{ "generate", key_generate,
	  "Make a new master key in the kernel, known to nobody", false },
	{ "list", key_list,
	  "List the loaded keys, newest (the active one) first", false },
	{ "remove", key_remove,
	  "Remove a key and wipe it", false },
	{ "id", key_id,
	  "Print the identifier of a key file, without the module", false },
};

static void show_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s key <subcommand> [<args>]\n\n"
		"Manage the module's master keys, which seal the files of encrypt rules.\n"
		"The newest key is the active one: it seals new files; the others open\n"
		"the files they sealed. Keys never leave the kernel: only their\n"
		"identifiers are shown.\n\n", PROG_NAME);
	ioi_cli_list_nested(f, key_cmds, ARRAY_SIZE(key_cmds));
}

int ioi_key_main(int argc, char *argv[])
{
	return ioi_cli_dispatch(argc, argv, key_cmds, ARRAY_SIZE(key_cmds),
				show_usage, NULL);
}
