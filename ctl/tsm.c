// SPDX-License-Identifier: GPL-2.0
/*
 * The file steps of a configfs TSM report (see tsm.h). The kernel's
 * documentation prescribes them: the entry is shared by whoever can write
 * to it, and only the generation counter tells whether the report read
 * back is over the data written, so it is read before and after.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"
#include "tsm.h"

#define NO_TSM \
	"the kernel offers no TSM report interface (Linux 6.7 or later, " \
	"in an Intel TDX or AMD SEV-SNP guest, configfs mounted)"

struct tsm {
	const char *dir;
	const char *cmd;
	FILE *err;
	char entry[PATH_MAX];	/* dir/IOI_TSM_ENTRY */
	/* The last file of it named by file(): "/generation" fits. */
	char path[PATH_MAX + 16];
};

/* Print "ioctl-cli CMD: ..." and return -@err. */
__attribute__((format(printf, 3, 4)))
static int fail(struct tsm *t, int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(t->err, "%s %s: ", PROG_NAME, t->cmd);
	va_start(ap, fmt);
	vfprintf(t->err, fmt, ap);
	va_end(ap);
	fputc('\n', t->err);
	return -err;
}

/* The path of the entry's file @name, in t->path. */
static const char *file(struct tsm *t, const char *name)
{
	snprintf(t->path, sizeof(t->path), "%s/%s", t->entry, name);
	return t->path;
}

/* Up to @size - 1 bytes of @path, NUL-terminated: the length or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = read(fd, buf, size - 1);
	} while (n < 0 && errno == EINTR);
	err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = '\0';
	return n;
}

static int read_generation(struct tsm *t, unsigned long long *gen)
{
	char buf[32], *end;
	ssize_t n;

	n = read_small(file(t, "generation"), buf, sizeof(buf));
	if (n == -ENOENT)
		return fail(t, ENOENT,
			    "%s is not a TSM report directory: %s has no generation file",
			    t->dir, t->entry);
	if (n < 0)
		return fail(t, (int)-n, "%s: %s", t->path, strerror((int)-n));
	/* "%u\n" in decimal, as configfs-tsm writes it. */
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	errno = 0;
	*gen = strtoull(buf, &end, 10);
	/*
	 * clang-analyzer (14) does not know that open() sets errno when it
	 * fails, so it takes read_small()'s -errno for 0 and buf for unset.
	 */
	if (!n || *end || buf[0] < '0' || buf[0] > '9' || errno) /* NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult) */
		return fail(t, EPROTO, "%s: not a decimal number", t->path);
	return 0;
}

/* One write(2): configfs hands the entry the bytes of one open. */
static int write_inblob(struct tsm *t, const uint8_t data[IOI_TSM_DATA_SIZE])
{
	ssize_t n;
	int fd, err;

	fd = open(file(t, "inblob"), O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(t, errno, "%s: %s", t->path, strerror(errno));
	do {
		n = write(fd, data, IOI_TSM_DATA_SIZE);
	} while (n < 0 && errno == EINTR);
	err = n < 0 ? errno : n != IOI_TSM_DATA_SIZE ? EIO : 0;
	if (close(fd) && !err)
		err = errno;
	if (err)
		return fail(t, err, "writing %s: %s", t->path, strerror(err));
	return 0;
}

/*
 * To its end, with read(2) alone: the kernel makes the report when it is
 * read, and may hand it over in pieces.
 */
static int read_outblob(struct tsm *t, FILE *out, size_t *size)
{
	char buf[4096];
	ssize_t n;
	int fd, err = 0;

	*size = 0;
	fd = open(file(t, "outblob"), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(t, errno, "%s: %s", t->path, strerror(errno));
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*size += (size_t)n;
		if (*size > IOI_TSM_OUTBLOB_MAX) {
			err = EFBIG;
			break;
		}
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
			err = errno ? errno : EIO;
			break;
		}
	}
	if (n < 0)
		err = errno;
	close(fd);
	if (err == EFBIG)
		return fail(t, err, "%s: larger than %d bytes", t->path,
			    IOI_TSM_OUTBLOB_MAX);
	if (err)
		return fail(t, err, "reading %s: %s", t->path, strerror(err));
	if (!*size)
		return fail(t, EPROTO, "%s: the TEE returned an empty report",
			    t->path);
	return 0;
}

/* Which TSM made the report, if the entry says: not all kernels do. */
static void read_provider(struct tsm *t, struct ioi_tsm_result *res)
{
	ssize_t n;

	n = read_small(file(t, "provider"), res->provider,
		       sizeof(res->provider));
	if (n < 0)
		res->provider[0] = '\0';
	else
		res->provider[strcspn(res->provider, "\n")] = '\0';
}

int ioi_tsm_check_dir(const char *dir, const char *cmd, FILE *err)
{
	struct stat st;
	int e;

	if (!stat(dir, &st) && S_ISDIR(st.st_mode))
		return 0;
	e = errno;
	if (!stat(dir, &st))
		e = ENOTDIR;
	if (e == ENOENT)
		fprintf(err, "%s %s: %s does not exist: %s\n", PROG_NAME, cmd,
			dir, NO_TSM);
	else
		fprintf(err, "%s %s: %s: %s\n", PROG_NAME, cmd, dir,
			strerror(e));
	return -e;
}

int ioi_tsm_report(const char *dir, const uint8_t data[IOI_TSM_DATA_SIZE],
		   FILE *out, struct ioi_tsm_result *res, const char *cmd,
		   FILE *err)
{
	struct tsm t = { .dir = dir, .cmd = cmd, .err = err };
	unsigned long long before;
	bool made;
	int ret;

	memset(res, 0, sizeof(*res));
	if ((size_t)snprintf(t.entry, sizeof(t.entry), "%s/%s", dir,
			     IOI_TSM_ENTRY) >= sizeof(t.entry))
		return fail(&t, ENAMETOOLONG, "%s: %s", dir,
			    strerror(ENAMETOOLONG));
	/* Ours from an earlier run, or another tool's of the same name. */
	made = !mkdir(t.entry, 0700);
	if (!made && errno == ENOENT)
		return fail(&t, ENOENT, "%s does not exist: %s", dir, NO_TSM);
	if (!made && errno != EEXIST)
		return fail(&t, errno, "cannot make %s: %s", t.entry,
			    strerror(errno));

	ret = read_generation(&t, &before);
	if (ret) {
		/* Not configfs: do not leave an empty directory behind. */
		if (made && ret == -ENOENT)
			rmdir(t.entry);
		return ret;
	}
	ret = write_inblob(&t, data);
	if (!ret)
		ret = read_outblob(&t, out, &res->size);
	if (!ret)
		ret = read_generation(&t, &res->generation);
	if (ret)
		return ret;
	/*
	 * clang-analyzer does not look into variadic functions such as
	 * fail(), so it misses that read_generation() set @before or failed.
	 */
	if (res->generation == before) /* NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult) */
		return fail(&t, EBUSY,
			    "the report entry's generation did not move (%llu): the report is not over the data written; try again",
			    before);
	if (res->generation != before + 1)
		return fail(&t, EBUSY,
			    "the report entry was used by another writer meanwhile (generation %llu, then %llu); try again",
			    before, res->generation);
	read_provider(&t, res);
	return 0;
}

int ioi_tsm_report_file(const char *dir,
			const uint8_t data[IOI_TSM_DATA_SIZE],
			const char *path, struct ioi_tsm_result *res,
			int (*check)(void *arg), void *arg, const char *cmd,
			FILE *err)
{
	struct ioi_outfile o;
	int ret;

	ret = ioi_outfile_open(&o, path, cmd);
	if (ret)
		return ret;
	ret = ioi_tsm_report(dir, data, o.f, res, cmd, err);
	if (!ret && check)
		ret = check(arg);
	if (ret) {
		ioi_outfile_abort(&o);
		return ret;
	}
	return ioi_outfile_commit(&o, cmd);
}
