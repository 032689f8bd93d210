// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli encrypt --key KEYFILE IN OUT: a file into docs/format.md. */
#include <stdio.h>

#include "cli.h"
#include "crypt.h"

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s encrypt --key KEYFILE IN OUT\n\n"
		"Encrypt IN into OUT in the format the module stores files of encrypt\n"
		"rules in (docs/format.md), under the master key in KEYFILE: 32 raw\n"
		"bytes, or 64 hex characters and an optional newline. No module needed.\n"
		"IN and OUT may be \"-\" for standard input and output. OUT is written\n"
		"to a temporary file beside it and renamed over it, mode 0600, only on\n"
		"success; an empty IN gives an empty OUT.\n\n"
		"Options:\n"
		"  -k, --key KEYFILE  the master key\n"
		"  -h, --help         show this help\n",
		PROG_NAME);
}

static int encrypt(FILE *in, FILE *out, const struct ioi_fmt_master *m,
		   struct ioi_crypt_status *st)
{
	return ioi_crypt_encrypt(in, out, m, &ioi_fmt_rand_default, st);
}

int ioi_encrypt_main(int argc, char *argv[])
{
	return ioi_crypt_cmd(argc, argv, show_help, encrypt);
}
