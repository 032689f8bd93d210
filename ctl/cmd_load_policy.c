// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli load-policy FILE: check a policy file and put it in force. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "nl.h"
#include "policy.h"
#include "util.h"

static int parse_set_reply(const struct nlmsghdr *nlh, void *hash)
{
	return ioi_policy_parse_set_reply(nlh, hash);
}

/* Send @p; print the outcome. Returns an IOI_EXIT_* code. */
static int send_policy(struct ioi_nl *nl, const char *name,
		       const struct ioi_policy *p,
		       const uint8_t hash[IOI_POLICY_HASH_LEN])
{
	char hex[IOI_HASH_HEX_SIZE], ours[IOI_HASH_HEX_SIZE];
	uint8_t theirs[IOI_POLICY_HASH_LEN];
	struct nlmsghdr *nlh, *req;
	struct ioi_nl_ack ack;
	int err;

	nlh = ioi_nl_msg(nl, IOI_CMD_POLICY_SET, 0);
	if (ioi_policy_put_nl(nlh, IOI_NL_BUF_SIZE, p) ||
	    ioi_policy_put_load_nl(nlh, IOI_NL_BUF_SIZE, p)) {
		/* ioi_policy_parse() has checked the size: not reached. */
		fprintf(stderr, "%s: error: policy too large for a netlink message\n",
			name);
		return IOI_EXIT_FAIL;
	}

	/* The replies overwrite nl->buf: keep the request to map errors. */
	req = malloc(nlh->nlmsg_len);
	if (req)
		memcpy(req, nlh, nlh->nlmsg_len);

	err = ioi_nl_transact_one(nl, nlh, parse_set_reply, theirs, &ack);
	if (err) {
		/* A refused rule or cgroup: point at its line. */
		if (!ioi_policy_report_error(stderr, name, p, req, &ack))
			ioi_nl_report(stderr, "load-policy", err, &ack);
		free(req);
		return IOI_EXIT_FAIL;
	}
	free(req);

	ioi_hex(hex, theirs, sizeof(theirs));
	printf("policy loaded: sha256 %s\n", hex);
	/* The module did both with the policy, or nothing at all. */
	if (p->load.has_build_id) {
		ioi_hex(hex, p->load.build_id, sizeof(p->load.build_id));
		printf("build ID set: %s\n", hex);
	}
	if (p->load.lock)
		printf("locked until reboot\n");
	if (memcmp(theirs, hash, IOI_POLICY_HASH_LEN)) {
		ioi_hex(ours, hash, IOI_POLICY_HASH_LEN);
		fflush(stdout);
		fprintf(stderr,
			"%s: warning: the module's hash differs from that of %s (sha256 %s): "
			"the policy in force may not be the one in the file\n",
			PROG_NAME, name, ours);
		return IOI_EXIT_FAIL;
	}
	return IOI_EXIT_OK;
}

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s load-policy FILE\n\n"
		"Check the policy file FILE (\"-\" is standard input) and replace the\n"
		"policy in force with it, atomically. Any error in the file is reported\n"
		"as FILE:LINE:COLUMN and nothing is sent to the module. Prints the\n"
		"SHA-256 of the policy as the module computed it, and fails if it\n"
		"differs from the one computed here. A \"build-id HEX64\" line sets the\n"
		"build ID and \"lock yes\" locks the module until reboot, in the same\n"
		"request: all of it is done, or none.\n\n"
		"Options:\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

int ioi_load_policy_main(int argc, char *argv[])
{
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct ioi_policy p;
	struct ioi_nl nl;
	const char *name;
	int ret;

	ret = ioi_cli_options(argc, argv, NULL, show_help, "policy file");
	if (ret >= 0)
		return ret;
	name = ioi_policy_file_name(argv[optind]);

	ioi_policy_init(&p);
	if (ioi_policy_parse_file(&p, argv[optind], IOI_POLICY_F_CONTEXT,
				  stderr)) {
		ret = IOI_EXIT_FAIL;
		goto out;
	}
	if (ioi_policy_hash(&p, hash)) {
		fprintf(stderr, "%s: load-policy: cannot compute the hash\n",
			PROG_NAME);
		ret = IOI_EXIT_FAIL;
		goto out;
	}

	ret = ioi_nl_open(&nl, 0);
	if (ret)
		goto out;
	ret = send_policy(&nl, name, &p, hash);
	ioi_nl_close(&nl);
out:
	ioi_policy_free(&p);
	return ret;
}
