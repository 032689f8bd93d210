// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-crash: the two halves of the crash-consistency test (tests/vm/crash).
 *
 *   ioi-crash write [-c] SEED DIR    the writer, in the first boot
 *   ioi-crash check SEED DIR         the checker, after the crash
 *
 * DIR holds rw/data and wo/data (the files under test, under encrypt rw
 * and encrypt wo rules while written) and journal (a plain file). SEED
 * makes a plan: an initial fill, then rounds of whole-block overwrites and
 * appends, some rounds ending in an fsync of both files and a journal
 * record (itself fsynced) naming that sync. Every 4 KiB block says which
 * file, block and write (generation) it came from, and the rest of it is
 * a stream that those determine, so any byte out of place is seen.
 *
 * With -c the writer crashes the machine at a point the seed chooses:
 * it starts writeback of both files (sync_file_range, no wait), tells a
 * child, which writes "# iointercept-vm: crashing" on the descriptor
 * IOI_CRASH_FD names (the results port; the harness judges it) and then
 * "b" to /proc/sysrq-trigger (reset now: no sync, no device shutdown), or
 * on a kernel without CONFIG_MAGIC_SYSRQ (the test kernel) calls
 * reboot(RB_AUTOBOOT) (no sync either: only the drivers' shutdown runs
 * first), and goes on writing meanwhile, so writes are in flight at the
 * reset.
 *
 * The checker replays the same plan. The last journal record says which
 * sync is durable; from the plan it knows each block's generation at that
 * sync and every generation written to it after. Then, through the module,
 * each block must read as:
 *   - untouched since the sync: exactly its synced generation (the module
 *     never seals again a block that is not written to: docs/format.md);
 *   - written since: its synced generation ("old"), a later one written
 *     to it ("new"), or EIO;
 *   - past the synced size: a generation written to it, or EIO, or absent.
 * Anything else is wrong plaintext, a failure. The file is at least its
 * synced size. Blocks that failed with EIO are listed ("eio FILE BLOCK")
 * for the caller to compare with ioctl-cli inspect, and so is a read at
 * the end that failed because the end record does not verify ("end
 * FILE").
 *
 * check -r is the same check after ioctl-cli repair: the end must verify
 * now (a read at the end that fails is a failure), and the file may have
 * lost blocks at its end, but only blocks written since the sync: a
 * block synced and not written since must still be there, intact.
 *
 * Exit status: 0 pass, 1 a check failed, 2 usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ioi-util.h"

#define BLOCK		4096
#define NFILES		2
#define ROUNDS		30
#define MAX_BLOCKS	200
#define MAX_RUN		16
#define MAX_OPS		(ROUNDS * 8 + 64)
#define REC_SIZE	16
#define MAGIC		"IOICRSH1"

static const char *const names[NFILES] = { "rw", "wo" };
static const char *const paths[NFILES] = { "rw/data", "wo/data" };

enum kind { OP_WRITE, OP_SYNC };

struct op {
	enum kind kind;
	int file;
	u32 start, count;	/* blocks */
	u32 gen;		/* unique per write; the sync's number for OP_SYNC */
	bool crash_before;	/* the crash point */
};

static struct op plan[MAX_OPS];
static int nops;

static u32 rnd(u64 *s, u32 n)
{
	return splitmix(s) % n;
}

/* The 4 KiB that generation @gen of block @idx of file @file holds. */
static void fill(unsigned char *buf, u32 seed, int file, u64 idx, u32 gen)
{
	u64 s = ((u64)seed << 40) ^ ((u64)file << 32) ^ (idx << 20) ^ gen;
	u64 v;
	int i;

	memcpy(buf, MAGIC, 8);
	memcpy(buf + 8, &seed, 4);
	memcpy(buf + 12, &file, 4);
	memcpy(buf + 16, &idx, 8);
	memcpy(buf + 24, &gen, 4);
	memset(buf + 28, 0, 4);
	for (i = 32; i < BLOCK; i += 8) {
		v = splitmix(&s);
		memcpy(buf + i, &v, 8);
	}
}

static void add(enum kind kind, int file, u32 start, u32 count, u32 gen)
{
	if (nops == MAX_OPS)
		die("plan too long");
	plan[nops++] = (struct op){ kind, file, start, count, gen, false };
}

/* The whole plan of @seed: the same in both boots. */
static void make_plan(u32 seed)
{
	u64 s = seed;
	u32 size[NFILES], gen = 1, syncs = 0, n, c, crash_round, i;
	int f, r, first;

	for (f = 0; f < NFILES; f++) {
		size[f] = 16 + rnd(&s, 48);
		for (n = 0; n < size[f]; n += c) {
			c = 1 + rnd(&s, MAX_RUN);
			if (c > size[f] - n)
				c = size[f] - n;
			add(OP_WRITE, f, n, c, gen++);
		}
	}
	add(OP_SYNC, 0, 0, 0, syncs++);
	crash_round = ROUNDS / 3 + rnd(&s, ROUNDS - ROUNDS / 3);
	for (r = 1; r <= ROUNDS; r++) {
		first = nops;
		n = 2 + rnd(&s, 5);
		for (i = 0; i < n; i++) {
			f = rnd(&s, NFILES);
			c = 1 + rnd(&s, MAX_RUN);
			if (rnd(&s, 10) < 3 && size[f] + c <= MAX_BLOCKS) {
				/* an append */
				add(OP_WRITE, f, size[f], c, gen++);
				size[f] += c;
				continue;
			}
			if (c > size[f])
				c = size[f];
			add(OP_WRITE, f, rnd(&s, size[f] - c + 1), c, gen++);
		}
		if ((u32)r == crash_round)
			plan[first + rnd(&s, n)].crash_before = true;
		if (rnd(&s, 3) == 0)
			add(OP_SYNC, 0, 0, 0, syncs++);
	}
}

static int open_at(const char *dir, const char *name, int flags)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, flags, 0644);
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	return fd;
}

static void fsync_dir(const char *dir, const char *name)
{
	int fd = open_at(dir, name, O_RDONLY | O_DIRECTORY);

	if (fsync(fd))
		die("fsync %s/%s: %s", dir, name, strerror(errno));
	close(fd);
}

/* The child that crashes the machine when told to. */
static int start_crasher(void)
{
	const char *fdname = getenv("IOI_CRASH_FD");
	static const char line[] = "# iointercept-vm: crashing\n";
	int p[2], port = fdname ? atoi(fdname) : -1, sysrq;
	char c;
	pid_t pid;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid) {
		close(p[0]);
		if (port >= 0)
			close(port);
		return p[1];
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		_exit(0);	/* the writer ended without a crash point */
	/* Opened first: nothing to say on the port if it cannot be done. */
	sysrq = open("/proc/sysrq-trigger", O_WRONLY);
	if (port >= 0) {
		/* On the port before the reset: tcdrain waits for the UART. */
		if (write(port, line, sizeof(line) - 1) != sizeof(line) - 1 ||
		    tcdrain(port))
			_exit(3);
	}
	if (sysrq >= 0) {
		if (write(sysrq, "b", 1) != 1)
			_exit(3);
	} else {
		reboot(RB_AUTOBOOT);
		_exit(3);
	}
	/* Not reached: the machine is gone. */
	pause();
	_exit(3);
}

static int do_write(u32 seed, const char *dir, bool crash)
{
	static unsigned char buf[MAX_RUN * BLOCK];
	int fd[NFILES], jfd, f, i, crasher = -1;
	char rec[REC_SIZE + 1];
	u32 b;

	for (f = 0; f < NFILES; f++)
		fd[f] = open_at(dir, paths[f], O_RDWR | O_CREAT | O_TRUNC);
	jfd = open_at(dir, "journal", O_WRONLY | O_CREAT | O_TRUNC);
	fsync_dir(dir, ".");
	fsync_dir(dir, "rw");
	fsync_dir(dir, "wo");
	if (crash)
		crasher = start_crasher();

	for (i = 0; i < nops; i++) {
		const struct op *op = &plan[i];

		if (op->crash_before && crasher >= 0) {
			/* Writeback in flight, then the reset, while we go on. */
			for (f = 0; f < NFILES; f++)
				sync_file_range(fd[f], 0, 0,
						SYNC_FILE_RANGE_WRITE);
			printf("crash point: before op %d\n", i);
			fflush(stdout);
			if (write(crasher, "x", 1) != 1)
				die("cannot wake the crasher");
		}
		if (op->kind == OP_SYNC) {
			for (f = 0; f < NFILES; f++)
				if (fsync(fd[f]))
					die("fsync %s: %s", names[f],
					    strerror(errno));
			snprintf(rec, sizeof(rec), "sync %10u\n", op->gen);
			if (pwrite(jfd, rec, REC_SIZE,
				   (off_t)op->gen * REC_SIZE) != REC_SIZE ||
			    fsync(jfd))
				die("journal: %s", strerror(errno));
			continue;
		}
		for (b = 0; b < op->count; b++)
			fill(buf + (size_t)b * BLOCK, seed, op->file,
			     op->start + b, op->gen);
		if (pwrite(fd[op->file], buf, (size_t)op->count * BLOCK,
			   (off_t)op->start * BLOCK) !=
		    (ssize_t)op->count * BLOCK)
			die("write %s blocks %u+%u: %s", names[op->file],
			    op->start, op->count, strerror(errno));
	}
	if (crash) {
		/* The reset did not come. */
		fprintf(stderr, "ioi-crash: the plan ended before the crash\n");
		sleep(30);
		return 1;
	}
	return 0;
}

/* The last journal record that is whole: the durable sync. */
static int last_sync(const char *dir)
{
	int fd = open_at(dir, "journal", O_RDONLY), last = -1;
	char rec[REC_SIZE + 1];
	unsigned int k, n;

	for (n = 0; pread(fd, rec, REC_SIZE, (off_t)n * REC_SIZE) == REC_SIZE;
	     n++) {
		rec[REC_SIZE] = 0;
		if (sscanf(rec, "sync %10u\n", &k) != 1 || k != n)
			break;
		last = n;
	}
	close(fd);
	return last;
}

/* What the plan says of a block after sync @sync. */
struct expect {
	u32 synced;		/* generation at the sync, 0: none */
	bool touched;		/* written since */
	u32 later[MAX_OPS];	/* generations written since */
	int nlater;
};

static struct expect exp[NFILES][MAX_BLOCKS];

static void expectations(int sync, u32 synced_size[NFILES],
			 u32 size[NFILES])
{
	u32 cur[NFILES][MAX_BLOCKS] = { { 0 } }, b;
	bool after = false;
	int i, f;

	for (f = 0; f < NFILES; f++)
		size[f] = 0;
	for (i = 0; i < nops; i++) {
		const struct op *op = &plan[i];

		if (op->kind == OP_SYNC) {
			if ((int)op->gen != sync)
				continue;
			for (f = 0; f < NFILES; f++) {
				synced_size[f] = size[f];
				for (b = 0; b < size[f]; b++)
					exp[f][b].synced = cur[f][b];
			}
			after = true;
			continue;
		}
		f = op->file;
		for (b = op->start; b < op->start + op->count; b++) {
			cur[f][b] = op->gen;
			if (after) {
				exp[f][b].touched = true;
				exp[f][b].later[exp[f][b].nlater++] = op->gen;
			}
		}
		if (op->start + op->count > size[f])
			size[f] = op->start + op->count;
	}
}

static int do_check(u32 seed, const char *dir, bool repaired)
{
	static unsigned char got[BLOCK], want[BLOCK];
	u32 synced_size[NFILES], max_size[NFILES], b, gen;
	int sync = last_sync(dir), f, fd, k, bad = 0;
	struct stat st;
	ssize_t n;

	if (sync < 0) {
		printf("FAIL: no journal record: the first sync was lost\n");
		return 1;
	}
	expectations(sync, synced_size, max_size);
	printf("durable sync: %d\n", sync);
	for (f = 0; f < NFILES; f++) {
		unsigned int intact = 0, old = 0, new = 0, eio = 0, absent = 0;

		fd = open_at(dir, paths[f], O_RDONLY);
		if (fstat(fd, &st))
			die("fstat: %s", strerror(errno));
		if (!repaired && st.st_size < (off_t)synced_size[f] * BLOCK) {
			printf("FAIL: %s: size %lld, less than the synced %u blocks\n",
			       names[f], (long long)st.st_size, synced_size[f]);
			bad = 1;
		}
		for (b = 0; b < MAX_BLOCKS; b++) {
			const struct expect *e = &exp[f][b];

			n = pread(fd, got, BLOCK, (off_t)b * BLOCK);
			/* At the end: the end record did not verify. */
			if (n < 0 && errno == EIO && (off_t)b * BLOCK >= st.st_size) {
				if ((off_t)b * BLOCK < st.st_size + BLOCK) {
					printf("end %s\n", names[f]);
					if (repaired) {
						printf("FAIL: %s: the end does not verify after repair\n",
						       names[f]);
						bad = 1;
					}
				}
				absent += b < max_size[f];
				continue;
			}
			if (n < 0 && errno == EIO) {
				printf("eio %s %u\n", names[f], b);
				eio++;
				if (e->touched || b >= synced_size[f])
					continue;
				printf("FAIL: %s block %u: EIO, but synced (generation %u) and not written since\n",
				       names[f], b, e->synced);
				bad = 1;
				continue;
			}
			if (n < 0) {
				printf("FAIL: %s block %u: %s\n", names[f], b,
				       strerror(errno));
				bad = 1;
				continue;
			}
			if (n == 0) {
				absent += b < max_size[f];
				if (b < synced_size[f] && (!repaired || !e->touched)) {
					printf("FAIL: %s block %u: gone, but synced\n",
					       names[f], b);
					bad = 1;
				}
				continue;
			}
			memcpy(&gen, got + 24, 4);
			fill(want, seed, f, b, gen);
			if (n != BLOCK || memcmp(got, want, BLOCK)) {
				printf("FAIL: %s block %u: wrong plaintext (%zd bytes, not generation %u of this block)\n",
				       names[f], b, n, gen);
				bad = 1;
				continue;
			}
			if (gen == e->synced && b < synced_size[f]) {
				if (e->touched)
					old++;
				else
					intact++;
				continue;
			}
			for (k = 0; k < e->nlater && e->later[k] != gen; k++)
				;
			if (k < e->nlater) {
				new++;
				continue;
			}
			printf("FAIL: %s block %u: generation %u, neither the synced %u nor one written since\n",
			       names[f], b, gen, e->synced);
			bad = 1;
		}
		close(fd);
		printf("report: crash seed %u %s: %u blocks synced, size %lld: intact %u, old %u, new %u, eio %u, absent %u\n",
		       seed, names[f], synced_size[f], (long long)st.st_size,
		       intact, old, new, eio, absent);
	}
	return bad;
}

int main(int argc, char *argv[])
{
	bool crash = false, repaired = false;
	int opt;
	u32 seed;

	if (argc < 2)
		die("usage: ioi-crash write [-c] SEED DIR | check [-r] SEED DIR");
	optind = 2;
	while ((opt = getopt(argc, argv, "cr")) != -1) {
		if (opt == 'c')
			crash = true;
		else if (opt == 'r')
			repaired = true;
		else
			die("unknown option");
	}
	if (argc - optind != 2)
		die("usage: ioi-crash write [-c] SEED DIR | check [-r] SEED DIR");
	seed = strtoul(argv[optind], NULL, 0);
	make_plan(seed);
	if (!strcmp(argv[1], "write") && !repaired)
		return do_write(seed, argv[optind + 1], crash);
	if (!strcmp(argv[1], "check") && !crash)
		return do_check(seed, argv[optind + 1], repaired);
	die("unknown mode %s", argv[1]);
}
