// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli status [--json]: the module's version, policy state, what it
 * attests to, counters.
 */
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

int ioi_status_get(const char *op, struct ioi_status *st)
{
	struct ioi_nl_ack ack;
	struct ioi_nl nl;
	int ret, err;

	ret = ioi_nl_open(&nl, 0);
	if (ret)
		return ret;
	err = ioi_status_fetch(&nl, st, &ack);
	if (err)
		ret = ioi_nl_report(stderr, op, err, &ack);
	ioi_nl_close(&nl);
	return ret;
}

static int parse_measurement(const struct nlmsghdr *nlh, void *out)
{
	return ioi_status_parse_measurement(nlh, out);
}

int ioi_status_request_measurement(const char *op, uint8_t cmd,
				   const uint8_t *build_id,
				   uint8_t out[IOI_MEASUREMENT_SIZE])
{
	struct ioi_nl_ack ack;
	struct nlmsghdr *nlh;
	struct ioi_nl nl;
	int ret, err;

	ret = ioi_nl_open(&nl, 0);
	if (ret)
		return ret;
	nlh = ioi_nl_msg(&nl, cmd, 0);
	if (build_id)
		mnl_attr_put(nlh, IOI_A_BUILD_ID, IOI_BUILD_ID_SIZE, build_id);
	err = ioi_nl_transact_one(&nl, nlh, parse_measurement, out, &ack);
	if (err) {
		/* One attribute at most: the message says enough. */
		if (ack.msg)
			ack.has_offset = false;
		ret = ioi_nl_report(stderr, op, err, &ack);
	}
	ioi_nl_close(&nl);
	return ret;
}

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s status [--json]\n\n"
		"Show the module's version, whether a policy is loaded, what it attests\n"
		"to (build ID, measurement, locked, hooks armed, TEE, module signature,\n"
		"the kernel's taint letters for it), and its totals: requests, checks\n"
		"allowed, denied and audited, refused moves. Every counter: %s stats.\n"
		"A line the module does not report (an older module) is left out.\n\n"
		"Options:\n"
		"  -j, --json  print one JSON object instead of text\n"
		"  -h, --help  show this help\n",
		PROG_NAME, PROG_NAME);
}

int ioi_status_main(int argc, char *argv[])
{
	struct ioi_status st;
	bool json = false;
	int ret, err;
	const struct ioi_cli_flag flags[] = {
		{ "json", 'j', &json },
		{ NULL, 0, NULL }
	};

	ret = ioi_cli_options(argc, argv, flags, show_help, NULL);
	if (ret >= 0)
		return ret;

	ret = ioi_status_get("status", &st);
	if (ret)
		return ret;
	ioi_status_read_taint(&st, IOI_STATUS_TAINT_PATH);
	err = json ? ioi_status_print_json(stdout, &st) :
		     ioi_status_print_human(stdout, &st);
	if (err) {
		fprintf(stderr, "%s: status: %s\n", PROG_NAME, strerror(-err));
		return IOI_EXIT_FAIL;
	}
	return IOI_EXIT_OK;
}
