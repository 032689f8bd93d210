// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-bench: time a file operation and print the mean in nanoseconds.
 * Under qemu's -icount shift=0 a guest nanosecond is one instruction, so
 * the figure is an instruction count, repeatable to the digit (see
 * docs/performance.md).
 *
 *   ioi-bench open PATH N        open(O_RDONLY) + close, per call
 *   ioi-bench stat PATH N        stat, per call
 *   ioi-bench seqwrite PATH MIB  write MIB MiB in 1 MiB writes, per MiB
 *   ioi-bench seqread PATH       read it all in 1 MiB reads, per MiB
 *   ioi-bench randread PATH N    N 4 KiB preads at random aligned
 *                                offsets, per read
 *   ioi-bench randwrite PATH N   the same with pwrite
 *   ioi-bench hold PREFIX N      open PREFIX0 .. PREFIX<N-1> and print
 *                                the growth of slab memory per file
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MIB (1L << 20)

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int fail(const char *what)
{
	perror(what);
	return 1;
}

/* The same offsets in every run: a fixed linear congruential sequence. */
static unsigned long next(unsigned long *x)
{
	*x = *x * 6364136223846793005UL + 1442695040888963407UL;
	return *x >> 33;
}

static int io(const char *op, const char *path, long n)
{
	static char buf[MIB];
	unsigned long x = 1;
	long long start;
	long i, blocks;
	struct stat st;
	ssize_t r;
	int fd;

	memset(buf, 'x', sizeof(buf));
	if (!strcmp(op, "seqwrite")) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			return fail(path);
		start = now();
		for (i = 0; i < n; i++)
			if (write(fd, buf, MIB) != MIB)
				return fail("write");
		printf("%lld\n", (now() - start) / n);
		return close(fd) ? fail("close") : 0;
	}
	fd = open(path, !strcmp(op, "randwrite") ? O_RDWR : O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return fail(path);
	blocks = st.st_size / 4096;
	if (!strcmp(op, "seqread")) {
		start = now();
		for (i = 0; (r = read(fd, buf, MIB)) > 0; i++)
			;
		if (r < 0 || !i)
			return fail("read");
		printf("%lld\n", (now() - start) / i);
		return 0;
	}
	if (!blocks)
		return fail("empty file");
	start = now();
	for (i = 0; i < n; i++) {
		off_t off = (off_t)(next(&x) % blocks) * 4096;

		r = op[4] == 'r' ? pread(fd, buf, 4096, off) :
				   pwrite(fd, buf, 4096, off);
		if (r != 4096)
			return fail(op);
	}
	printf("%lld\n", (now() - start) / n);
	return 0;
}

/* Slab memory in bytes, from /proc/meminfo (kB resolution). */
static long slab(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Slab: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb * 1024;
}

static int hold(const char *prefix, long n)
{
	char path[4096];
	long i, before, after;

	before = slab();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s%ld", prefix, i);
		if (open(path, O_RDONLY) < 0)
			return fail(path);
	}
	after = slab();
	if (before < 0 || after < 0)
		return fail("/proc/meminfo");
	printf("%ld\n", (after - before) / n);
	return 0;
}

int main(int argc, char *argv[])
{
	long long start, end;
	struct stat st;
	long i, n;
	int fd;

	if (argc == 3 && !strcmp(argv[1], "seqread"))
		return io(argv[1], argv[2], 0);
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(argv[2], atol(argv[3]));
	if (argc != 4) {
		fputs("usage: ioi-bench open|stat|seqwrite|randread|randwrite PATH N\n"
		      "       ioi-bench seqread PATH\n", stderr);
		return 2;
	}
	n = atol(argv[3]);
	if (n <= 0)
		return 2;
	if (strcmp(argv[1], "open") && strcmp(argv[1], "stat"))
		return io(argv[1], argv[2], n);
	start = now();
	for (i = 0; i < n; i++) {
		if (argv[1][0] == 'o') {
			fd = open(argv[2], O_RDONLY);
			if (fd < 0)
				return fail(argv[2]);
			close(fd);
		} else if (stat(argv[2], &st)) {
			return fail(argv[2]);
		}
	}
	end = now();
	printf("%lld\n", (end - start) / n);
	return 0;
}
