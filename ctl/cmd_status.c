// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli status [--json]: the module's version, policy state, counters. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nl.h"
#include "status.h"

struct fetch_ctx {
	struct ioi_status *st;
	uint16_t family_id;
	unsigned int replies;
};

static int status_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fetch_ctx *ctx = data;
	int ret;

	if (nlh->nlmsg_type != ctx->family_id) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	ret = ioi_status_parse(nlh, ctx->st);
	if (ret < 0) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	ctx->replies++;
	return MNL_CB_OK;
}

int ioi_status_fetch(struct ioi_nl *nl, struct ioi_status *st,
		     struct ioi_nl_ack *ack)
{
	struct fetch_ctx ctx = { .st = st, .family_id = nl->family_id };
	struct nlmsghdr *nlh;
	int err;

	nlh = ioi_nl_msg(nl, IOI_CMD_STATUS_GET, 0);
	err = ioi_nl_transact(nl, nlh, status_cb, &ctx, ack);
	if (!err && ctx.replies != 1) {
		ack->bad_reply = true;
		ack->error = ctx.replies ? EPROTO : ENODATA;
		err = -ack->error;
	}
	return err;
}

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s status [--json]\n\n"
		"Show the module's version, whether a policy is loaded, and its counters.\n\n"
		"Options:\n"
		"  -j, --json  print one JSON object instead of text\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

int ioi_status_main(int argc, char *argv[])
{
	struct ioi_nl_ack ack;
	struct ioi_status st;
	struct ioi_nl nl;
	bool json = false;
	int ret, err;
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

	err = ioi_status_fetch(&nl, &st, &ack);
	if (err) {
		ret = ioi_nl_report(stderr, "status", err, &ack);
		goto out;
	}
	err = json ? ioi_status_print_json(stdout, &st) :
		     ioi_status_print_human(stdout, &st);
	if (err) {
		fprintf(stderr, "%s: status: %s\n", PROG_NAME, strerror(-err));
		ret = IOI_EXIT_FAIL;
	}
out:
	ioi_nl_close(&nl);
	return ret;
}
