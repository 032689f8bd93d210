// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli show-policy [--json]: the policy in force, canonical form. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "nl.h"
#include "policy.h"
#include "util.h"

/* The reply to IOI_CMD_POLICY_GET. */
struct get_reply {
	struct ioi_policy *p;
	uint8_t hash[IOI_POLICY_HASH_LEN];
};

static int parse_get_reply(const struct nlmsghdr *nlh, void *data)
{
	struct get_reply *r = data;

	return ioi_policy_parse_get_reply(nlh, r->p, r->hash);
}

static int print_text(const struct ioi_policy *p, const char *text,
		      size_t len, const uint8_t hash[IOI_POLICY_HASH_LEN])
{
	char hex[IOI_HASH_HEX_SIZE];

	(void)p;
	ioi_hex(hex, hash, IOI_POLICY_HASH_LEN);
	/* A comment, so the output can be loaded again as it is. */
	printf("# iointercept policy in force, sha256 %s\n", hex);
	fwrite(text, 1, len, stdout);
	return IOI_EXIT_OK;
}

static int print_json(const struct ioi_policy *p, const char *text,
		      size_t len, const uint8_t hash[IOI_POLICY_HASH_LEN])
{
	struct json_object *obj;
	const char *out;
	int ret = IOI_EXIT_OK;

	(void)text;
	(void)len;
	obj = ioi_policy_to_json(p, hash);
	out = obj ? json_object_to_json_string_ext(obj,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	if (out) {
		printf("%s\n", out);
	} else {
		fprintf(stderr, "%s: show-policy: out of memory\n", PROG_NAME);
		ret = IOI_EXIT_FAIL;
	}
	json_object_put(obj);
	return ret;
}

/*
 * Fetch the policy, check the module's hash against the policy it sent,
 * and print it. Returns an IOI_EXIT_* code.
 */
static int show(struct ioi_nl *nl, bool json)
{
	struct ioi_policy p;
	struct get_reply reply = { .p = &p };
	char theirs[IOI_HASH_HEX_SIZE], ours[IOI_HASH_HEX_SIZE];
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct ioi_nl_ack ack;
	struct nlmsghdr *nlh;
	char *text = NULL;
	size_t len;
	int err, ret;

	ioi_policy_init(&p);
	nlh = ioi_nl_msg(nl, IOI_CMD_POLICY_GET, 0);
	err = ioi_nl_transact_one(nl, nlh, parse_get_reply, &reply, &ack);
	if (err == -ENOENT && ack.from_kernel) {
		fprintf(stderr, "no policy loaded\n");
		ret = IOI_EXIT_FAIL;
		goto out;
	}
	if (err) {
		ret = ioi_nl_report(stderr, "show-policy", err, &ack);
		goto out;
	}

	if (ioi_policy_canonical(&p, &text, &len) ||
	    ioi_policy_sha256(text, len, hash)) {
		fprintf(stderr, "%s: show-policy: cannot compute the hash\n",
			PROG_NAME);
		ret = IOI_EXIT_FAIL;
		goto out;
	}
	if (memcmp(hash, reply.hash, sizeof(hash))) {
		ioi_hex(theirs, reply.hash, sizeof(reply.hash));
		ioi_hex(ours, hash, sizeof(hash));
		fprintf(stderr,
			"%s: show-policy: the module's hash (sha256 %s) is not that of the policy it sent (sha256 %s)\n",
			PROG_NAME, theirs, ours);
		ret = IOI_EXIT_FAIL;
		goto out;
	}
	ret = (json ? print_json : print_text)(&p, text, len, reply.hash);
out:
	free(text);
	ioi_policy_free(&p);
	return ret;
}

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s show-policy [--json]\n\n"
		"Print the policy in force in canonical form, after a comment line with\n"
		"its SHA-256; the output can be given to load-policy as it is. Fails\n"
		"if no policy is loaded, or if the module's hash does not match the\n"
		"policy it returned.\n\n"
		"Options:\n"
		"  -j, --json  print one JSON object instead of text\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

int ioi_show_policy_main(int argc, char *argv[])
{
	struct ioi_nl nl;
	bool json = false;
	int ret;
	const struct ioi_cli_flag flags[] = {
		{ "json", 'j', &json },
		{ NULL, 0, NULL }
	};

	ret = ioi_cli_options(argc, argv, flags, show_help, NULL);
	if (ret >= 0)
		return ret;

	ret = ioi_nl_open(&nl, 0);
	if (ret)
		return ret;
	ret = show(&nl, json);
	ioi_nl_close(&nl);
	return ret;
}
