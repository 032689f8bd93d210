// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli repair --key KEYFILE [--dry-run] FILE: give an encrypted file
 * whose end a crash left unauthenticated an end again.
 *
 * A crash can leave the stored size and the end record out of step (the
 * size moved without the record written for it), and then the module
 * fails every read at the end of the file and every write that would grow
 * it (docs/format.md, "What a crash leaves"). The module mends nothing by
 * itself, since a missing record is also what a cut by the host looks
 * like; this is the operator's decision, made with the key. It keeps the
 * longest file that ends in a block that verifies, seals a new end record
 * for that size, and cuts what is past it: blocks that do not verify
 * there were being written when the machine died, and read as EIO anyway.
 * Bad blocks before the new end are left as they are (inspect lists them).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "crypt.h"
#include "keyfile.h"
#include "repair.h"
#include "util.h"

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s repair --key KEYFILE [--dry-run] FILE\n\n"
		"Give FILE, a file in the format of encrypt rules (docs/format.md)\n"
		"whose end record does not verify after a crash, an authenticated end\n"
		"again: keep the longest file that ends in a block that verifies, seal\n"
		"a new end record for that size and cut what is past it (blocks that\n"
		"were being written when the machine died; they read as EIO anyway).\n"
		"Blocks that fail before the new end stay (inspect --key lists them).\n"
		"A file whose end record verifies is left alone. No module needed; do\n"
		"not run it on a file the module has open.\n\n"
		"Options:\n"
		"  -k, --key KEYFILE  the master key\n"
		"  -n, --dry-run      say what would be kept and cut, change nothing\n"
		"  -h, --help         show this help\n",
		PROG_NAME);
}

/* A file name is not to drive the terminal. */
static void print_name(const char *name)
{
	ioi_fputs_escaped(stdout, name);
}

static int repair(const char *path, const struct ioi_fmt_master *m,
		  bool dry_run)
{
	struct ioi_crypt_status st;
	struct ioi_fmt_file f;
	struct ioi_repair *s = NULL;
	uint64_t plain, lower, was;
	FILE *file = NULL;
	struct stat sb;
	int ret = IOI_EXIT_FAIL, err, ro = 0;
	const char *why;

	/* Read-only will do for a file that needs nothing: say so then. */
	if (!dry_run)
		file = fopen(path, "r+e");
	if (!file && (dry_run || errno == EACCES || errno == EROFS ||
		      errno == EPERM)) {
		ro = errno;
		file = fopen(path, "re");
	}
	if (!file) {
		fprintf(stderr, "%s repair: %s: %s\n", PROG_NAME, path,
			strerror(errno));
		return IOI_EXIT_FAIL;
	}
	if (fstat(fileno(file), &sb))
		sb.st_mode = 0;
	if (!S_ISREG(sb.st_mode)) {
		fprintf(stderr, "%s repair: %s: %s\n", PROG_NAME, path,
			sb.st_mode ? "not a regular file" : strerror(errno));
		goto close;
	}
	if (ioi_crypt_open(file, m, &f, &st)) {
		fprintf(stderr, "%s repair: %s: %s\n", PROG_NAME, path, st.msg);
		goto close;
	}
	if (!st.lower_size) {
		print_name(path);
		printf(": empty, nothing to repair\n");
		ret = IOI_EXIT_OK;
		goto close;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		fprintf(stderr, "%s repair: out of memory\n", PROG_NAME);
		goto free;
	}
	s->fd = fileno(file);
	s->lower = sb.st_size;
	s->f = &f;
	err = ioi_repair_check(s, &why);
	if (!err && why) {
		print_name(path);
		printf(": %s, nothing to repair\n", why);
		ret = IOI_EXIT_OK;
		goto free;
	}
	err = err ?: ioi_repair_find(s, &plain);
	if (err) {
		fprintf(stderr, "%s repair: %s: cannot check it: %s\n",
			PROG_NAME, path, strerror(-err));
		goto free;
	}
	lower = IOI_FMT_HEADER_SIZE;
	if (plain && ioi_fmt_lower_size(plain, &lower))
		goto free;	/* cannot be: the blocks are on disk */
	was = s->lower;
	if (!dry_run) {
		err = ro ? -ro : ioi_repair_apply(s, plain, lower);
		if (err) {
			fprintf(stderr, "%s repair: %s: cannot write it: %s\n",
				PROG_NAME, path, strerror(-err));
			goto free;
		}
	}
	/* Said once it is so. */
	print_name(path);
	printf(": the end does not verify; %s %llu bytes of plaintext (%llu blocks), stored size %llu -> %llu%s\n",
	       dry_run ? "would keep" : "kept", (unsigned long long)plain,
	       (unsigned long long)((plain + IOI_FMT_BLOCK_SIZE - 1) >>
				    IOI_FMT_BLOCK_SHIFT),
	       (unsigned long long)was, (unsigned long long)lower,
	       dry_run ? " (dry run: nothing changed)" : "");
	ret = IOI_EXIT_OK;
free:
	if (s)
		OPENSSL_cleanse(s, sizeof(*s));
	free(s);
	ioi_fmt_file_free(&f);
close:
	fclose(file);
	return ret;
}

int ioi_repair_main(int argc, char *argv[])
{
	static const char *const args[] = { "FILE", NULL };
	const char *keyfile = NULL;
	struct ioi_fmt_master m;
	bool dry_run = false;
	int ret;
	const struct ioi_cli_flag flags[] = {
		{ "dry-run", 'n', &dry_run },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_value values[] = {
		{ "key", 'k', &keyfile },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_spec spec = {
		.flags = flags,
		.values = values,
		.help = show_help,
		.args = args,
	};

	ret = ioi_cli_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (!keyfile)
		return ioi_cli_usage_error(argv[0],
					   "--key KEYFILE is required");
	if (ioi_keyfile_load(keyfile, &m, argv[0], stderr))
		return IOI_EXIT_FAIL;
	ret = repair(argv[optind], &m, dry_run);
	ioi_fmt_master_wipe(&m);
	return ret;
}
