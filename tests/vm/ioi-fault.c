// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-fault: random operations on one encrypted file while the kernel's
 * fault injection (failslab, fail_page_alloc) makes allocations of this
 * process fail, checked against a model of the file's bytes.
 *
 * Each operation runs armed: with -p, /proc/self/make-it-fail is 1 for it
 * alone (the case sets a probability and task-filter); without, it runs
 * once per fault point it reaches, /proc/thread-self/fail-nth = 1, 2, ...
 * until a run reaches none (every allocation site of every operation fails
 * once, in order). Faults are disarmed for the checks in between.
 *
 * What must hold:
 * - an operation either succeeds, and then does exactly what it says, or
 *   fails with ENOMEM (EIO is reported apart: it says the file is damaged);
 * - after a failed write, the bytes outside the range written are what they
 *   were (size and contents), and each byte inside is its old or its new
 *   value; a failed truncate leaves the old or the new size, the bytes below
 *   both intact;
 * - a read, armed or not, never returns a byte that the model does not
 *   have: wrong plaintext is the one thing worse than an error;
 * - after every operation the whole file reads back, disarmed, without
 *   error, but for one thing: a block that a failed write was storing
 *   when the filesystem below failed part way through it is torn, and
 *   must read as EIO (it is then written again whole, and counted); so
 *   may the blocks from the old end to a write past it (zeros), the
 *   new last block of a cut, and the end record (a read at the end fails:
 *   the file is cut by a byte and the byte written again). With
 *   one fault per try (fail-nth), the module's retry of the rest of a
 *   short write below leaves none: the case checks torn=0 there.
 *
 * Exit status: 0 when everything held, 1 when something did not (the
 * first broken rule is printed with the operation and the seed), 2 on bad
 * usage or a setup error.
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
#include <unistd.h>
#include <sys/stat.h>

#include "ioi-util.h"

#define MAXSIZE		(96 << 10)
#define MAXLEN		(20 << 10)
#define BLOCK		4096
/* A run that reaches more fault points than this is stuck, not thorough. */
#define MAX_NTH		10000

enum op { OP_WRITE, OP_TRUNC, OP_READ, OP_REOPEN, OP_FSYNC, NOPS };
static const char *const op_name[NOPS] = {
	"pwrite", "ftruncate", "pread", "reopen", "fsync",
};

static unsigned long long seed = 1, rng;
static long nops = 200;
static bool prob;
static const char *path;
static int fd = -1;

static unsigned char model[MAXSIZE + MAXLEN];
static long msize;
static unsigned char buf[MAXSIZE + MAXLEN], wbuf[MAXLEN];

/* What happened: counted for the summary line the case checks. */
static long injected, enomem, eio, short_io, ok_ops, torn;
static bool fired;		/* a fault was injected in the last try */

static long opno;
static char opdesc[128];

static void __noreturn __printf(1, 2) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("ioi-fault: FAIL seed=%llu op %ld (%s): ", seed, opno, opdesc);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	exit(1);
}

static unsigned long long next(void)
{
	/* xorshift64*: small, and the same on every machine. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static long pick(long n)
{
	return n > 0 ? (long)(next() % (unsigned long long)n) : 0;
}

/*
 * The switches stay open: opening them while armed would reach fault
 * points of its own, and a read or write of them reaches none.
 */
static int nth_fd = -1, fail_fd = -1;

static int open_switch(const char *file)
{
	int f = open(file, O_RDWR);

	if (f < 0)
		die("cannot open %s: %s (no fault injection in this kernel?)",
		    file, strerror(errno));
	return f;
}

static void put_switch(int f, long val)
{
	char s[32];
	int n = snprintf(s, sizeof(s), "%ld", val);

	if (pwrite(f, s, n, 0) != n)
		die("cannot write %ld to a fault injection switch: %s", val,
		    strerror(errno));
}

/* fail-nth of this thread: 0 once the fault it was set to has fired. */
static long get_nth(void)
{
	char s[32] = "";

	if (pread(nth_fd, s, sizeof(s) - 1, 0) < 0)
		die("cannot read fail-nth: %s", strerror(errno));
	return strtol(s, NULL, 10);
}

static void arm(long nth)
{
	if (prob)
		put_switch(fail_fd, 1);
	else
		put_switch(nth_fd, nth);
}

/* Disarms; true if a fault was injected while armed (fail-nth mode). */
static bool disarm(void)
{
	bool hit;

	if (prob) {
		put_switch(fail_fd, 0);
		return false;
	}
	hit = get_nth() == 0;
	put_switch(nth_fd, 0);
	return hit;
}

static void reopen_disarmed(void)
{
	if (fd >= 0)
		close(fd);
	fd = open(path, O_RDWR);
	if (fd < 0)
		fail("open, disarmed: %s", strerror(errno));
}

/* The whole file, disarmed, must read back as the model says. */
static void check_all(const char *when)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st))
		fail("fstat %s: %s", when, strerror(errno));
	if (st.st_size != msize)
		fail("%s: size %lld, model %ld", when, (long long)st.st_size,
		     msize);
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < 0)
		fail("%s: reading it back: %s", when, strerror(errno));
	if (n != msize)
		fail("%s: read %zd bytes back, model %ld", when, n, msize);
	for (long i = 0; i < msize; i++)
		if (buf[i] != model[i])
			fail("%s: byte %ld is %#x, model %#x", when, i, buf[i],
			     model[i]);
	/* The end must be proven too: its record, checked at the end. */
	n = pread(fd, buf, 1, msize);
	if (n < 0 && errno == EIO && msize) {
		torn++;
		if (ftruncate(fd, msize - 1) ||
		    pwrite(fd, model + msize - 1, 1, msize - 1) != 1)
			fail("%s: mending the end: %s", when, strerror(errno));
		n = pread(fd, buf, 1, msize);
	}
	if (n != 0)
		fail("%s: reading at the end: %zd (%s)", when, n,
		     n < 0 ? strerrorname_np(errno) : "bytes past it");
}

/*
 * After a write at [off, off + len) that failed, or wrote @n bytes: learn
 * what the file now holds, if it is allowed, and make it the model. It
 * ends where the write says it stopped, not past. A block
 * the failed write was storing may be torn (the filesystem below failed
 * part way through it): it must then fail with EIO, and is written again
 * whole, as an application would, before going on.
 */
static void adopt_write(long off, long len, long n)
{
	struct stat st;
	long end = off + len, size;
	/* Past the end: written from the old end's block on (zeros). */
	long lo = off > msize ? msize - msize % BLOCK : off;

	if (fstat(fd, &st))
		fail("fstat after a failed write: %s", strerror(errno));
	size = st.st_size;
	if (size < msize || size > (off + n > msize ? off + n : msize))
		fail("size %ld after a write of %ld bytes at %ld that wrote %ld, before %ld",
		     size, len, off, n, msize);
	for (long b = 0; b * BLOCK < size; b++) {
		long bs = b * BLOCK, bl = size - bs < BLOCK ? size - bs : BLOCK;
		ssize_t got = pread(fd, buf + bs, bl, bs);

		if (got < 0 && errno == EIO && bs < end && bs + bl > lo) {
			torn++;
			for (long i = bs; i < bs + bl; i++)
				buf[i] = i >= off && i < end ? wbuf[i - off] :
					 i < msize ? model[i] : 0;
			if (pwrite(fd, buf + bs, bl, bs) != bl)
				fail("rewriting torn block %ld: %s", b,
				     strerror(errno));
			continue;
		}
		if (got != bl)
			fail("block %ld after a failed write: %zd of %ld bytes (%s)",
			     b, got, bl, got < 0 ? strerrorname_np(errno) : "short");
	}
	for (long i = 0; i < size; i++) {
		unsigned char old = i < msize ? model[i] : 0;
		bool inside = i >= off && i < end;

		if (buf[i] == old || (inside && buf[i] == wbuf[i - off]))
			continue;
		fail("byte %ld is %#x after a failed write: neither old %#x%s",
		     i, buf[i], old, inside ? " nor new" : " (outside)");
	}
	memcpy(model, buf, size);
	msize = size;
}

static void adopt_trunc(long to)
{
	long old = msize, lo, b;
	struct stat st;

	if (fstat(fd, &st))
		fail("fstat after a failed truncate: %s", strerror(errno));
	if (st.st_size != msize && st.st_size != to)
		fail("size %lld after a failed truncate from %ld to %ld",
		     (long long)st.st_size, msize, to);
	if (st.st_size > msize)
		memset(model + msize, 0, st.st_size - msize);
	msize = st.st_size;
	/*
	 * The blocks a cut or an extension seals again (the new last, the
	 * old last if partial) may be torn if the filesystem below failed during it, or
	 * during the undo of a failed extension: EIO, written whole again.
	 */
	lo = (to < old ? to : old) - 1;
	lo = lo < 0 ? 0 : lo - lo % BLOCK;
	for (b = lo; b < msize; b += BLOCK) {
		long bl = msize - b < BLOCK ? msize - b : BLOCK;

		if (pread(fd, buf, bl, b) >= 0 || errno != EIO)
			continue;
		torn++;
		if (pwrite(fd, model + b, bl, b) != bl)
			fail("rewriting torn block at %ld: %s", b,
			     strerror(errno));
	}
}

/* One try of @op, armed; false if it failed (errno set). */
static bool run_op(enum op op, long off, long len, long nth)
{
	ssize_t n = 0;
	int err = 0, rc = 0;

	arm(nth);
	switch (op) {
	case OP_WRITE:
		n = pwrite(fd, wbuf, len, off);
		break;
	case OP_TRUNC:
		rc = ftruncate(fd, off);
		break;
	case OP_READ:
		n = pread(fd, buf, len, off);
		break;
	case OP_REOPEN:
		close(fd);
		fd = open(path, O_RDWR);
		rc = fd < 0 ? -1 : 0;
		break;
	case OP_FSYNC:
		rc = fsync(fd);
		break;
	default:
		break;
	}
	if (n < 0 || rc < 0)
		err = errno;
	fired = disarm();
	if (fired)
		injected++;

	if (err) {
		if (err == EIO)
			eio++;
		else if (err == ENOMEM)
			enomem++;
		else
			fail("failed with %s, not ENOMEM", strerrorname_np(err));
		if (op == OP_REOPEN)
			reopen_disarmed();
		else if (op == OP_WRITE)
			adopt_write(off, len, 0);
		else if (op == OP_TRUNC)
			adopt_trunc(off);
		errno = err;
		return false;
	}

	switch (op) {
	case OP_WRITE:
		if (n != len) {
			/* Short: the first n bytes are written, no more. */
			short_io++;
			adopt_write(off, len, n);
			return false;
		}
		if (off + len > msize) {
			memset(model + msize, 0, off > msize ? off - msize : 0);
			msize = off + len;
		}
		memcpy(model + off, wbuf, len);
		break;
	case OP_TRUNC:
		if (off > msize)
			memset(model + msize, 0, off - msize);
		msize = off;
		break;
	case OP_READ: {
		long want = off >= msize ? 0 : (off + len > msize ?
						 msize - off : len);

		/* A short read is allowed; a wrong byte never is. */
		if (n > want)
			fail("read %zd bytes, model has %ld", n, want);
		if (n < want)
			short_io++;
		for (long i = 0; i < n; i++)
			if (buf[i] != model[off + i])
				fail("read byte %ld as %#x, model %#x",
				     off + i, buf[i], model[off + i]);
		break;
	}
	default:
		break;
	}
	ok_ops++;
	return true;
}

static void one_op(void)
{
	enum op op = pick(100) < 45 ? OP_WRITE : (enum op)pick(NOPS);
	long off = 0, len = 0;

	switch (op) {
	case OP_WRITE:
		off = pick(msize + 1 + 4096);
		if (off > MAXSIZE - 1)
			off = MAXSIZE - 1;
		len = 1 + pick(MAXLEN);
		if (off + len > MAXSIZE)
			len = MAXSIZE - off;
		for (long i = 0; i < len; i++)
			wbuf[i] = (unsigned char)next();
		break;
	case OP_TRUNC:
		off = pick(MAXSIZE);
		break;
	case OP_READ:
		off = pick(msize + 1);
		len = 1 + pick(MAXLEN);
		break;
	default:
		break;
	}
	snprintf(opdesc, sizeof(opdesc), "%s off=%ld len=%ld", op_name[op],
		 off, len);

	if (prob) {
		run_op(op, off, len, 0);
	} else {
		/* Every fault point of the operation, each in turn. */
		for (long nth = 1; ; nth++) {
			if (nth > MAX_NTH)
				fail("still reaching fault points after %d",
				     MAX_NTH);
			snprintf(opdesc, sizeof(opdesc),
				 "%s off=%ld len=%ld fail-nth=%ld",
				 op_name[op], off, len, nth);
			run_op(op, off, len, nth);
			/* Fewer than nth fault points: it ran without one. */
			if (!fired)
				break;
			check_all("after a fault");
		}
	}
	check_all("after the operation");
}

int main(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "s:n:p")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			nops = strtol(optarg, NULL, 0);
			break;
		case 'p':
			prob = true;
			break;
		default:
			die("usage: ioi-fault [-s SEED] [-n OPS] [-p] FILE");
		}
	}
	if (optind != argc - 1 || nops < 1)
		die("usage: ioi-fault [-s SEED] [-n OPS] [-p] FILE");
	path = argv[optind];
	if (prob)
		fail_fd = open_switch("/proc/self/make-it-fail");
	else
		nth_fd = open_switch("/proc/thread-self/fail-nth");
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die("cannot create %s: %s", path, strerror(errno));
	for (opno = 0; opno < nops; opno++)
		one_op();
	close(fd);
	printf("ioi-fault: OK seed=%llu ops=%ld ok=%ld injected=%ld enomem=%ld eio=%ld short=%ld torn=%ld size=%ld\n",
	       seed, nops, ok_ops, injected, enomem, eio, short_io, torn,
	       msize);
	return 0;
}
