// SPDX-License-Identifier: GPL-2.0
/*
 * What `ioctl-cli encrypt` and `decrypt` share: the options, the key file,
 * and an output that is renamed into place only when everything went
 * well, so a failure never leaves a half-written OUT.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "crypt.h"
#include "keyfile.h"
#include "outfile.h"

static int run(const char *cmd, const struct ioi_fmt_master *m,
	       const char *in_path, const char *out_path, ioi_crypt_fn fn)
{
	struct ioi_crypt_status st;
	struct ioi_outfile out;
	FILE *in;
	int ret;

	in = strcmp(in_path, "-") ? fopen(in_path, "re") : stdin;
	if (!in) {
		fprintf(stderr, "%s %s: %s: %s\n", PROG_NAME, cmd, in_path,
			strerror(errno));
		return IOI_EXIT_FAIL;
	}
	if (ioi_outfile_open(&out, out_path, cmd)) {
		ret = IOI_EXIT_FAIL;
		goto out;
	}
	if (fn(in, out.f, m, &st)) {
		fprintf(stderr, "%s %s: %s: %s\n", PROG_NAME, cmd,
			st.where == IOI_CRYPT_IN ? ioi_crypt_in_name(in_path) :
						   ioi_crypt_out_name(out_path),
			st.msg);
		ioi_outfile_abort(&out);
		ret = IOI_EXIT_FAIL;
	} else {
		ret = ioi_outfile_commit(&out, cmd) ? IOI_EXIT_FAIL :
						      IOI_EXIT_OK;
	}
out:
	if (in != stdin)
		fclose(in);
	return ret;
}

int ioi_crypt_cmd(int argc, char *argv[], void (*help)(FILE *f),
		  ioi_crypt_fn fn)
{
	static const char *const args[] = { "IN", "OUT", NULL };
	const char *keyfile = NULL;
	struct ioi_fmt_master m;
	int ret;
	const struct ioi_cli_value values[] = {
		{ "key", 'k', &keyfile },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_spec spec = {
		.values = values,
		.help = help,
		.args = args,
	};

	ret = ioi_cli_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (!keyfile)
		return ioi_cli_missing_arg(argv[0], "--key KEYFILE");

	if (ioi_keyfile_load(keyfile, &m, argv[0], stderr))
		return IOI_EXIT_FAIL;
	ret = run(argv[0], &m, argv[optind], argv[optind + 1], fn);
	ioi_fmt_master_wipe(&m);
	return ret;
}
