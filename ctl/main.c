// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli: userspace control tool for iointercept.ko. */
#include "cli.h"

int main(int argc, char *argv[])
{
	return ioi_cli_main(argc, argv);
}
