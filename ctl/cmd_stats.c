// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli stats [--json | --prometheus]: every counter of the module,
 * read at one moment.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nl.h"
#include "stats.h"

static int parse_stats(const struct nlmsghdr *nlh, void *s)
{
	return ioi_stats_parse(nlh, s);
}

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s stats [--json | --prometheus]\n\n"
		"Show every counter of the module, read at one moment: one \"name  value\"\n"
		"line each, the names those of /sys/kernel/iointercept/stats/.\n\n"
		"Options:\n"
		"  -j, --json        print one JSON object {\"name\": value, ...}\n"
		"  -p, --prometheus  print the Prometheus text format (node_exporter's\n"
		"                    textfile collector reads it)\n"
		"  -h, --help        show this help\n",
		PROG_NAME);
}

int ioi_stats_main(int argc, char *argv[])
{
	bool json = false, prometheus = false;
	struct ioi_nl_ack ack;
	struct nlmsghdr *nlh;
	struct ioi_stats s;
	struct ioi_nl nl;
	int ret, err;
	const struct ioi_cli_flag flags[] = {
		{ "json", 'j', &json },
		{ "prometheus", 'p', &prometheus },
		{ NULL, 0, NULL }
	};

	ret = ioi_cli_options(argc, argv, flags, show_help, NULL);
	if (ret >= 0)
		return ret;
	if (json && prometheus)
		return ioi_cli_usage_error(argv[0], "--json and --prometheus "
					   "exclude each other");

	ret = ioi_nl_open(&nl, 0);
	if (ret)
		return ret;

	nlh = ioi_nl_msg(&nl, IOI_CMD_STATS_GET, 0);
	err = ioi_nl_transact_one(&nl, nlh, parse_stats, &s, &ack);
	if (err) {
		ret = ioi_nl_report(stderr, "stats", err, &ack);
		goto out;
	}
	if (json)
		err = ioi_stats_print_json(stdout, &s);
	else if (prometheus)
		err = ioi_stats_print_prometheus(stdout, &s);
	else
		err = ioi_stats_print_table(stdout, &s);
	if (err) {
		fprintf(stderr, "%s: stats: %s\n", PROG_NAME, strerror(-err));
		ret = IOI_EXIT_FAIL;
	}
out:
	ioi_nl_close(&nl);
	return ret;
}
