// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli unload-policy: remove the policy in force. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include <linux/iointercept.h>

#include "cli.h"
#include "nl.h"

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s unload-policy\n\n"
		"Remove the policy in force: no task is confined afterwards. Fails if\n"
		"no policy is loaded.\n\n"
		"Options:\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

int ioi_unload_policy_main(int argc, char *argv[])
{
	struct ioi_nl_ack ack;
	struct nlmsghdr *nlh;
	struct ioi_nl nl;
	int ret, err;

	ret = ioi_cli_options(argc, argv, NULL, show_help, NULL);
	if (ret >= 0)
		return ret;

	ret = ioi_nl_open(&nl, 0);
	if (ret)
		return ret;
	nlh = ioi_nl_msg(&nl, IOI_CMD_POLICY_DEL, 0);
	err = ioi_nl_transact(&nl, nlh, NULL, NULL, &ack);
	if (err == -ENOENT && ack.from_kernel) {
		fprintf(stderr, "no policy loaded\n");
		ret = IOI_EXIT_FAIL;
	} else if (err) {
		ret = ioi_nl_report(stderr, "unload-policy", err, &ack);
	} else {
		printf("policy unloaded\n");
	}
	ioi_nl_close(&nl);
	return ret;
}
