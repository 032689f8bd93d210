/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An output file that appears whole or not at all: written to a temporary
 * file (mode 0600) in the same directory, synced, and renamed over its name
 * only on success. "-" is standard output, which gets nothing until the
 * commit either: the data waits in an unlinked temporary file.
 */
#ifndef IOI_CTL_OUTFILE_H
#define IOI_CTL_OUTFILE_H

#include <stdio.h>

struct ioi_outfile {
	FILE *f;		/* where to write */
	const char *path;	/* the name to commit to, or "-" */
	char *tmp;		/* the temporary file's name; NULL for "-" */
};

/*
 * Create the temporary file for @path. On error, prints "ioctl-cli @cmd:
 * <name>: <problem>" to stderr and returns a negative errno.
 */
int ioi_outfile_open(struct ioi_outfile *o, const char *path,
		     const char *cmd);

/*
 * Flush, sync and rename over @o->path (or copy to standard output).
 * Returns 0, or a negative errno with a message printed as above, the
 * temporary file removed and @o->path untouched.
 */
int ioi_outfile_commit(struct ioi_outfile *o, const char *cmd);

/* Remove the temporary file; @o->path stays as it was. */
void ioi_outfile_abort(struct ioi_outfile *o);

#endif /* IOI_CTL_OUTFILE_H */
