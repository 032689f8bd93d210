// SPDX-License-Identifier: GPL-2.0
/* ioctl-cli check-policy [--canonical] FILE: validate a policy offline. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "policy.h"
#include "util.h"

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s check-policy [--canonical] FILE\n\n"
		"Check a policy file as load-policy would, without the module: print\n"
		"\"FILE: ok, N access rules, M encrypt rules, sha256 HEX\", or every\n"
		"error as FILE:LINE:COLUMN. FILE \"-\" is standard input. The hash is\n"
		"the one load-policy and status report once the policy is loaded.\n"
		"The load directives follow, if the file has them: \"build-id: HEX\",\n"
		"\"lock: yes|no\" (not part of the policy or its hash).\n\n"
		"Options:\n"
		"  -c, --canonical  print the canonical text (what is hashed) instead\n"
		"  -h, --help       show this help\n",
		PROG_NAME);
}

static int print_canonical(const struct ioi_policy *p)
{
	size_t len;
	char *text;

	if (ioi_policy_canonical(p, &text, &len)) {
		fprintf(stderr, "%s: check-policy: out of memory\n", PROG_NAME);
		return IOI_EXIT_FAIL;
	}
	fwrite(text, 1, len, stdout);
	free(text);
	return IOI_EXIT_OK;
}

static int print_summary(const char *name, const struct ioi_policy *p)
{
	uint8_t hash[IOI_POLICY_HASH_LEN];
	char hex[IOI_HASH_HEX_SIZE];

	if (ioi_policy_hash(p, hash)) {
		fprintf(stderr, "%s: check-policy: cannot compute the hash\n",
			PROG_NAME);
		return IOI_EXIT_FAIL;
	}
	ioi_hex(hex, hash, sizeof(hash));
	/* Always plural: a fixed format is easier to parse. */
	printf("%s: ok, %zu access rules, %zu encrypt rules, sha256 %s\n",
	       name, p->n_access, p->n_encrypt, hex);
	if (p->load.has_build_id) {
		ioi_hex(hex, p->load.build_id, sizeof(p->load.build_id));
		printf("build-id: %s\n", hex);
	}
	if (p->load.lock_line)
		printf("lock: %s\n", ioi_policy_yes_no(p->load.lock));
	return IOI_EXIT_OK;
}

int ioi_check_policy_main(int argc, char *argv[])
{
	struct ioi_policy p;
	bool canonical = false;
	int ret;
	const struct ioi_cli_flag flags[] = {
		{ "canonical", 'c', &canonical },
		{ NULL, 0, NULL }
	};

	ret = ioi_cli_options(argc, argv, flags, show_help, "policy file");
	if (ret >= 0)
		return ret;

	ioi_policy_init(&p);
	if (ioi_policy_parse_file(&p, argv[optind], IOI_POLICY_F_CONTEXT,
				  stderr))
		ret = IOI_EXIT_FAIL;
	else if (canonical)
		ret = print_canonical(&p);
	else
		ret = print_summary(ioi_policy_file_name(argv[optind]), &p);
	ioi_policy_free(&p);
	return ret;
}
