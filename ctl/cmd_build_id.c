// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli build-id set|show: the build ID of the workload image, an
 * input of the measurement (docs/attestation.md).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "status.h"
#include "util.h"

static void set_help(FILE *f)
{
	fprintf(f,
		"Usage: %s build-id set HEX64\n\n"
		"Record the build ID of the workload image: 32 bytes as exactly 64 hex\n"
		"digits, chosen by whoever builds the image (a digest of it, a release\n"
		"identifier). It is part of the measurement, which is printed as the\n"
		"module computed it after the change. Fails while the module is locked.\n"
		"A policy file's \"build-id\" line sets it with the policy instead.\n\n"
		"Options:\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

static int build_id_set(int argc, char *argv[])
{
	uint8_t id[IOI_BUILD_ID_SIZE], m[IOI_MEASUREMENT_SIZE];
	char msg[IOI_HEX_MSG_SIZE];
	int ret;

	ret = ioi_cli_options(argc, argv, NULL, set_help, "build ID");
	if (ret >= 0)
		return ret;
	/* Checked before the module is asked: a bad one is never sent. */
	if (ioi_hex_arg("build ID", argv[optind], id, sizeof(id), true, NULL,
			NULL, msg))
		return ioi_cli_usage_error(argv[0], "%s", msg);
	ret = ioi_status_request_measurement(argv[0], IOI_CMD_BUILD_ID_SET,
					     id, m);
	if (!ret)
		ioi_status_print_measurement(stdout, m);
	return ret;
}

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s build-id [show]\n\n"
		"Print the module's build ID (64 hex digits), or \"none\" if it was\n"
		"never set.\n\n"
		"Options:\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

static int build_id_show(int argc, char *argv[])
{
	char hex[IOI_HASH_HEX_SIZE];
	struct ioi_status st;
	int ret;

	ret = ioi_cli_options(argc, argv, NULL, show_help, NULL);
	if (ret >= 0)
		return ret;
	ret = ioi_status_get(argv[0], &st);
	if (ret)
		return ret;
	/* Sent with the measurement by every module that has build IDs. */
	if (!st.has_measurement) {
		fprintf(stderr, "%s: %s: iointercept.ko %s has no build ID (older than %s)\n",
			PROG_NAME, argv[0], st.version, PROG_NAME);
		return IOI_EXIT_FAIL;
	}
	if (!st.has_build_id) {
		printf("none\n");
		return IOI_EXIT_OK;
	}
	ioi_hex(hex, st.build_id, sizeof(st.build_id));
	printf("%s\n", hex);
	return IOI_EXIT_OK;
}

static const struct ioi_cli_cmd build_id_cmds[] = {
	{ "set", build_id_set,
	  "Set the build ID; print the new measurement", false },
	{ "show", build_id_show,
	  "Print the build ID, or none (the default)", false },
};

static void show_usage(FILE *f)
{
	fprintf(f,
		"Usage: %s build-id [<subcommand> [<args>]]\n\n"
		"The build ID of the workload image, 32 bytes that are part of the\n"
		"measurement (docs/attestation.md). Without a subcommand: show.\n\n",
		PROG_NAME);
	ioi_cli_list_nested(f, build_id_cmds, ARRAY_SIZE(build_id_cmds));
}

int ioi_build_id_main(int argc, char *argv[])
{
	return ioi_cli_dispatch(argc, argv, build_id_cmds,
				ARRAY_SIZE(build_id_cmds), show_usage, "show");
}
