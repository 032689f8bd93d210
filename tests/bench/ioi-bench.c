// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-bench: time N repetitions of one file operation and print the mean
 * in nanoseconds. Under qemu's -icount shift=0 a guest nanosecond is one
 * instruction, so the figure is an instruction count, repeatable to the
 * digit (see docs/performance.md).
 *
 *   ioi-bench open PATH N     open(O_RDONLY) + close
 *   ioi-bench stat PATH N     stat
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char *argv[])
{
	long long start, end;
	struct stat st;
	long i, n;
	int fd;

	if (argc != 4 || (strcmp(argv[1], "open") && strcmp(argv[1], "stat"))) {
		fputs("usage: ioi-bench open|stat PATH N\n", stderr);
		return 2;
	}
	n = atol(argv[3]);
	start = now();
	for (i = 0; i < n; i++) {
		if (argv[1][0] == 'o') {
			fd = open(argv[2], O_RDONLY);
			if (fd < 0) {
				perror(argv[2]);
				return 1;
			}
			close(fd);
		} else if (stat(argv[2], &st)) {
			perror(argv[2]);
			return 1;
		}
	}
	end = now();
	printf("%lld\n", (end - start) / n);
	return 0;
}
