// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-open: hold encrypted files open while a VM test changes the module
 * under them (tests/vm/cases/95-openfiles.sh, 96-lifecycle.sh).
 *
 *   ioi-open create DIR N SIZE   write DIR/f00000 .. f(N-1), SIZE bytes
 *                                each (a pattern of the file's number),
 *                                and close them
 *   ioi-open many DIR N SIZE     open those N files at once (RLIMIT_NOFILE
 *                                raised), read one byte of each and check
 *                                it, print "open N", wait for EOF on
 *                                stdin, close them all, print "closed N"
 *   ioi-open hold PATH...        open each PATH O_RDWR|O_CREAT, print
 *                                "ready", then answer one line per command
 *                                read from stdin ("ok" or the errno name):
 *                                  get I OUT      read file I from 0 to its
 *                                                 end through the descriptor,
 *                                                 into OUT
 *                                  put I SRC OFF  write SRC's bytes at OFF
 *                                  close I
 *   ioi-open traffic DIR         until SIGUSR1, then two more rounds:
 *                                create, write, read back and check a file
 *                                in DIR/enc and one in DIR/plain; print
 *                                "started" after the first round, and at
 *                                the end "rounds N", then one line
 *                                "error OP DIR ERRNO COUNT" per kind of
 *                                failure and "mismatch DIR COUNT"
 *
 * Exit status 0 when it could do what it was asked, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	int err;
	const char *name;
} names[] = {
	{ EACCES, "EACCES" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
	{ EEXIST, "EEXIST" }, { EIO, "EIO" }, { ENOKEY, "ENOKEY" },
	{ ENOSPC, "ENOSPC" }, { EBADF, "EBADF" }, { EINVAL, "EINVAL" },
	{ ENOMEM, "ENOMEM" }, { EMFILE, "EMFILE" }, { ENFILE, "ENFILE" },
};

static const char *errname(int err)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, sizeof(buf), "errno%d", err);
	return buf;
}

static unsigned char pattern(long file, long off)
{
	return (unsigned char)(file * 7 + off * 13 + (off >> 12));
}

static void path_of(char *buf, size_t len, const char *dir, long i)
{
	snprintf(buf, len, "%s/f%05ld", dir, i);
}

/* All @len bytes at @off, or -1 with errno (0 for a short transfer). */
static int full_io(int fd, int write, void *buf, size_t len, off_t off)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write ? pwrite(fd, (char *)buf + done, len - done, off + done) :
			    pread(fd, (char *)buf + done, len - done, off + done);
		if (n < 0)
			return -1;
		if (!n) {
			errno = 0;
			return -1;
		}
		done += n;
	}
	return 0;
}

static int create(const char *dir, long n, long size)
{
	unsigned char *buf = malloc(size ? size : 1);
	char path[4096];
	long i, j;
	int fd;

	if (!buf)
		return 1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < size; j++)
			buf[j] = pattern(i, j);
		path_of(path, sizeof(path), dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || full_io(fd, 1, buf, size, 0) || close(fd)) {
			printf("create %s: %s\n", path, errname(errno));
			return 1;
		}
	}
	free(buf);
	printf("created %ld\n", n);
	return 0;
}

static int many(const char *dir, long n, long size)
{
	struct rlimit rl = { .rlim_cur = n + 64, .rlim_max = n + 64 };
	char path[4096], c;
	int *fds = calloc(n, sizeof(*fds));
	long i, off;

	if (!fds)
		return 1;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		printf("setrlimit: %s\n", errname(errno));
		return 1;
	}
	for (i = 0; i < n; i++) {
		path_of(path, sizeof(path), dir, i);
		fds[i] = open(path, O_RDWR);
		if (fds[i] < 0) {
			printf("open %s: %s\n", path, errname(errno));
			return 1;
		}
	}
	/* Every one works, through whatever f_op it was given. */
	for (i = 0; i < n; i++) {
		off = size ? (i * 4099) % size : 0;
		if (size && (full_io(fds[i], 0, &c, 1, off) ||
			     (unsigned char)c != pattern(i, off))) {
			printf("read f%05ld at %ld: %s\n", i, off,
			       errno ? errname(errno) : "wrong byte");
			return 1;
		}
	}
	printf("open %ld\n", n);
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	for (i = 0; i < n; i++) {
		if (close(fds[i])) {
			printf("close f%05ld: %s\n", i, errname(errno));
			return 1;
		}
	}
	printf("closed %ld\n", n);
	free(fds);
	return 0;
}

static int get(int fd, const char *out)
{
	char buf[65536];
	off_t off = 0;
	ssize_t n;
	int o, err = 0;

	o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (o < 0)
		return errno;
	while ((n = pread(fd, buf, sizeof(buf), off)) > 0) {
		if (write(o, buf, n) != n) {
			err = errno ? errno : EIO;
			break;
		}
		off += n;
	}
	if (n < 0 && !err)
		err = errno;
	close(o);
	return err;
}

static int put(int fd, const char *src, off_t off)
{
	char buf[65536];
	ssize_t n;
	int s, err = 0;

	s = open(src, O_RDONLY);
	if (s < 0)
		return errno;
	while ((n = read(s, buf, sizeof(buf))) > 0) {
		if (full_io(fd, 1, buf, n, off)) {
			err = errno ? errno : EIO;
			break;
		}
		off += n;
	}
	if (n < 0 && !err)
		err = errno;
	close(s);
	return err;
}

static int hold(int argc, char **argv)
{
	char line[8192], a[4096];
	int *fds = calloc(argc, sizeof(*fds));
	int i, err;
	long long off;

	if (!fds)
		return 1;
	for (i = 0; i < argc; i++) {
		fds[i] = open(argv[i], O_RDWR | O_CREAT, 0600);
		if (fds[i] < 0) {
			printf("open %s: %s\n", argv[i], errname(errno));
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "get %d %4095s", &i, a) == 2 &&
		    i >= 0 && i < argc) {
			err = get(fds[i], a);
		} else if (sscanf(line, "put %d %4095s %lld", &i, a, &off) == 3 &&
			   i >= 0 && i < argc) {
			err = put(fds[i], a, off);
		} else if (sscanf(line, "close %d", &i) == 1 &&
			   i >= 0 && i < argc) {
			err = close(fds[i]) ? errno : 0;
		} else {
			printf("bad command\n");
			return 1;
		}
		printf("%s\n", err ? errname(err) : "ok");
		fflush(stdout);
	}
	return 0;
}

static volatile sig_atomic_t stop;

static void on_usr1(int sig)
{
	(void)sig;
	stop = 1;
}

/* Kinds of failure, counted: "OP SUBDIR ERRNO". */
static struct {
	char what[64];
	long count;
} errs[32];
static long mismatches[2];

static void count_err(const char *op, const char *sub, int err)
{
	char what[64];
	int i;

	snprintf(what, sizeof(what), "%s %s %s", op, sub, errname(err));
	for (i = 0; i < 32 && errs[i].count; i++)
		if (!strcmp(errs[i].what, what))
			break;
	if (i == 32)
		i = 31;		/* more kinds than that: lump into the last */
	if (!errs[i].count)
		strcpy(errs[i].what, what);
	errs[i].count++;
}

/* One file of round @r in @dir/@sub: all through one descriptor. */
static void round_file(const char *dir, int s, long r)
{
	static const char *const subs[] = { "enc", "plain" };
	static unsigned char buf[20000], back[20000];
	size_t len = (size_t)(r * 1237) % sizeof(buf) + 1, j;
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s/w%ld", dir, subs[s], r % 4);
	if (unlink(path) && errno != ENOENT) {
		count_err("unlink", subs[s], errno);
		return;
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		count_err("open", subs[s], errno);
		return;
	}
	for (j = 0; j < len; j++)
		buf[j] = pattern(r, j);
	if (full_io(fd, 1, buf, len, 0))
		count_err("write", subs[s], errno ? errno : EIO);
	else if (full_io(fd, 0, back, len, 0))
		count_err("read", subs[s], errno ? errno : EIO);
	else if (memcmp(buf, back, len))
		mismatches[s]++;
	if (close(fd))
		count_err("close", subs[s], errno);
}

static int traffic(const char *dir)
{
	long r, last = -1;
	int i;

	signal(SIGUSR1, on_usr1);
	for (r = 0; last < 0 || r <= last; r++) {
		round_file(dir, 0, r);
		round_file(dir, 1, r);
		if (!r) {
			printf("started\n");
			fflush(stdout);
		}
		/* Two whole rounds begun after the signal. */
		if (stop && last < 0)
			last = r + 2;
	}
	printf("rounds %ld\n", r);
	for (i = 0; i < 32 && errs[i].count; i++)
		printf("error %s %ld\n", errs[i].what, errs[i].count);
	printf("mismatch enc %ld\nmismatch plain %ld\n", mismatches[0],
	       mismatches[1]);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "create"))
		return create(argv[2], atol(argv[3]), atol(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "many"))
		return many(argv[2], atol(argv[3]), atol(argv[4]));
	if (argc >= 3 && !strcmp(argv[1], "hold"))
		return hold(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "traffic"))
		return traffic(argv[2]);
	fprintf(stderr, "usage: see the comment at the top of ioi-open.c\n");
	return 2;
}
