// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli lock: no more changes of policy, keys or build ID until reboot. */
#include <stdio.h>

#include "cli.h"
#include "status.h"

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s lock\n\n"
		"Lock the module until reboot: from now on load-policy, unload-policy,\n"
		"key add, generate and remove, and build-id set fail (\"locked until\n"
		"reboot\"), the module cannot be unloaded, and the measurement says\n"
		"\"locked yes\". Encrypted files keep working. Refused (EBUSY) while the\n"
		"hooks are not armed. Locking again is not an error. Prints the\n"
		"measurement as the module computed it once locked.\n\n"
		"Options:\n"
		"  -h, --help  show this help\n",
		PROG_NAME);
}

int ioi_lock_main(int argc, char *argv[])
{
	uint8_t m[IOI_MEASUREMENT_SIZE];
	int ret;

	ret = ioi_cli_options(argc, argv, NULL, show_help, NULL);
	if (ret >= 0)
		return ret;
	ret = ioi_status_request_measurement(argv[0], IOI_CMD_LOCK, NULL, m);
	if (ret)
		return ret;
	printf("locked until reboot\n");
	ioi_status_print_measurement(stdout, m);
	return IOI_EXIT_OK;
}
