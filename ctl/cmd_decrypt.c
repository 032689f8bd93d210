// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli decrypt --key KEYFILE IN OUT: verify and decrypt a file. */
#include <stdio.h>

#include "cli.h"
#include "crypt.h"

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s decrypt --key KEYFILE IN OUT\n\n"
		"Decrypt IN, a file in the format of encrypt rules (docs/format.md),\n"
		"into OUT, under the master key in KEYFILE: 32 raw bytes, or 64 hex\n"
		"characters and an optional newline. No module needed. IN and OUT may\n"
		"be \"-\" for standard input and output. Every block is verified before\n"
		"OUT appears: the plaintext goes to a temporary file, renamed over OUT,\n"
		"mode 0600, only if all of IN verified. A block that does not verify is\n"
		"named with its offset in IN, and OUT is left as it was.\n\n"
		"Options:\n"
		"  -k, --key KEYFILE  the master key\n"
		"  -h, --help         show this help\n",
		PROG_NAME);
}

int ioi_decrypt_main(int argc, char *argv[])
{
	return ioi_crypt_cmd(argc, argv, show_help, ioi_crypt_decrypt);
}
