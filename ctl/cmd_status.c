// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli status [--json]: the module's version, policy state, counters. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nl.h"
#include "status.h"

static int parse_status(const struct nlmsghdr *nlh, void *st)
{
	return ioi_status_parse(nlh, st);
}

int ioi_status_fetch(struct ioi_nl *nl, struct ioi_status *st,
		     struct ioi_nl_ack *ack)
{
	struct nlmsghdr *nlh;

	nlh = ioi_nl_msg(nl, IOI_CMD_STATUS_GET, 0);
	return ioi_nl_transact_one(nl, nlh, parse_status, st, ack);
}

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s status [--json]\n\n"
		"Show the module's version, whether a policy is loaded, and its totals:\n"
		"requests, checks allowed, denied and audited, refused moves. Every\n"
		"counter: %s stats.\n\n"
		"Options:\n"
		"  -j, --json  print one JSON object instead of text\n"
		"  -h, --help  show this help\n",
		PROG_NAME, PROG_NAME);
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
