// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli version: this tool's version and, if loaded, the module's. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <iointercept/version.h>

#include "cli.h"
#include "nl.h"
#include "status.h"
#include "util.h"

/* MODULE_VERSION(), readable without CAP_NET_ADMIN. */
#define SYSFS_VERSION "/sys/module/iointercept/version"

static bool read_sysfs_version(char *buf, size_t size)
{
	FILE *f;
	bool ok;

	f = fopen(SYSFS_VERSION, "re");
	if (!f)
		return false;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] != '\0';
}

static void print_module(const char *version, uint32_t family_version)
{
	fputs("iointercept.ko ", stdout);
	ioi_fputs_escaped(stdout, version);
	printf(" (netlink family version %u)\n", family_version);
}

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s version\n\n"
		"Show the version of %s and, if it is loaded, of iointercept.ko\n"
		"and its netlink family. Works without the module.\n\n"
		"Options:\n"
		"  -h, --help  show this help\n",
		PROG_NAME, PROG_NAME);
}

int ioi_version_main(int argc, char *argv[])
{
	char sysfs_version[IOI_STATUS_VERSION_SIZE];
	struct ioi_nl_ack ack;
	struct ioi_status st;
	struct ioi_nl nl;
	int ret, err;

	ret = ioi_cli_options(argc, argv, NULL, show_help, NULL);
	if (ret >= 0)
		return ret;

	printf("%s %s\n", PROG_NAME, IOI_VERSION);

	ret = ioi_nl_open(&nl, IOI_NL_F_PROBE);
	if (ret == IOI_EXIT_NOMOD) {
		printf("iointercept.ko: not loaded\n");
		return IOI_EXIT_OK;
	}
	if (ret)
		return ret;

	err = ioi_status_fetch(&nl, &st, &ack);
	if (!err) {
		print_module(st.version, nl.family_version);
	} else if ((err == -EPERM || err == -EACCES) && ack.from_kernel &&
		   read_sysfs_version(sysfs_version, sizeof(sysfs_version))) {
		print_module(sysfs_version, nl.family_version);
	} else {
		ret = ioi_nl_report(stderr, "version", err, &ack);
	}
	ioi_nl_close(&nl);
	return ret;
}
