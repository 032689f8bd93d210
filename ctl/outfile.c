// SPDX-License-Identifier: GPL-2.0
/*
 * Output files that appear whole or not at all: the plaintext of a file
 * that fails verification half way must not be left behind, nor a cut
 * copy that looks complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "crypt.h"
#include "outfile.h"

/* Hidden, and recognisable if a crash leaves one behind. */
#define TMP_NAME	".ioctl-cli.XXXXXX"

static int report(const char *cmd, const char *path, const char *what,
		  int err)
{
	fprintf(stderr, "%s %s: %s: %s%s%s\n", PROG_NAME, cmd,
		ioi_crypt_out_name(path), what, *what ? ": " : "",
		strerror(err));
	return -err;
}

/* The directory part of @path, with its slash: "" for a bare name. */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) + 1 : 0;
}

int ioi_outfile_open(struct ioi_outfile *o, const char *path,
		     const char *cmd)
{
	size_t dlen = dir_len(path);
	int fd, err;

	o->path = path;
	o->tmp = NULL;
	if (!strcmp(path, "-")) {
		o->f = tmpfile();
		if (!o->f)
			return report(cmd, path,
				      "cannot create a temporary file", errno);
		return 0;
	}

	o->tmp = malloc(dlen + sizeof(TMP_NAME));
	if (!o->tmp)
		return report(cmd, path, "", ENOMEM);
	memcpy(o->tmp, path, dlen);
	memcpy(o->tmp + dlen, TMP_NAME, sizeof(TMP_NAME));
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		err = errno;
		free(o->tmp);
		o->tmp = NULL;
		return report(cmd, path,
			      "cannot create a temporary file beside it", err);
	}
	/* mkstemp() says 0600, less the umask: the output may be a secret. */
	if (fchmod(fd, 0600) || !(o->f = fdopen(fd, "w"))) {
		err = errno;
		close(fd);
		o->f = NULL;
		ioi_outfile_abort(o);
		return report(cmd, path, "", err);
	}
	return 0;
}

/* Copy the spooled output to standard output. */
static int copy_to_stdout(FILE *f)
{
	char buf[65536];
	size_t n;

	if (fflush(f) || fseek(f, 0, SEEK_SET))
		return errno;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			return errno ? errno : EIO;
	if (ferror(f))
		return errno ? errno : EIO;
	if (fflush(stdout))
		return errno;
	return 0;
}

/* After the rename, so the new name survives a crash too. */
static void sync_dir(const char *path)
{
	size_t dlen = dir_len(path);
	char *dir;
	int fd;

	dir = dlen ? strndup(path, dlen) : strdup(".");
	if (!dir)
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* Best effort: the data itself is synced and in place. */
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

int ioi_outfile_commit(struct ioi_outfile *o, const char *cmd)
{
	int err;

	if (!o->tmp) {
		err = copy_to_stdout(o->f);
		fclose(o->f);
		o->f = NULL;
		return err ? report(cmd, o->path, "write error", err) : 0;
	}
	err = fflush(o->f) || fsync(fileno(o->f)) ? errno : 0;
	if (fclose(o->f) && !err)
		err = errno;
	o->f = NULL;
	if (err) {
		ioi_outfile_abort(o);
		return report(cmd, o->path, "write error", err);
	}
	if (rename(o->tmp, o->path)) {
		err = errno;
		ioi_outfile_abort(o);
		return report(cmd, o->path,
			      "cannot rename the temporary file over it", err);
	}
	sync_dir(o->path);
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

void ioi_outfile_abort(struct ioi_outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
}
