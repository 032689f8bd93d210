// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-fsx: a small fsx. It applies the same random operations to a test
 * file (one the module encrypts) and to a plain reference file, and stops at
 * the first difference in what the two give back: return values and errno,
 * bytes read, st_size, file positions and, every 100 operations and at the
 * end, the whole contents. The reference filesystem is the model, so there
 * is no model of our own to get wrong.
 *
 * The operations come from a PRNG seeded with -s (or the time, printed at
 * the start), so a failure replays with the same seed and options.
 *
 * Exit status: 0 when everything matched, 1 on a mismatch, 2 on bad usage
 * or a setup error (a file that cannot be created, -X that never fired).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "ioi-util.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define PAGE		4096LL
#define LOG_N		20
#define LOG_LEN		256
#define FULL_EVERY	100
#define PROGRESS_EVERY	1000
#define MAX_PROCS	1000
#define MAX_IOV		4
/* Shared-file records: every SHARED_EVERY-th op, REC_LEN bytes each. */
#define SHARED_EVERY	4
#define REC_LEN		100

enum { T, R };			/* index: the test file, the reference */

struct res {
	long long ret;
	int err;
};

/*
 * errno means something only after a failure; zero it otherwise so that two
 * successes compare equal whatever errno an earlier call left behind.
 */
#define CALL(r, expr)						\
	do {							\
		errno = 0;					\
		(r).ret = (long long)(expr);			\
		(r).err = (r).ret < 0 ? errno : 0;		\
	} while (0)

/* Options. */
static unsigned long long seed;
static long long nops = 2000;
static long long nprocs = 1;
static long long maxsize = 1 << 20;
static long long maxlen = 64 << 10;
static bool quiet, selftest;
static const char *argtest, *argref;

/* The one worker this process runs (the only one, or a child). */
static int me;			/* child number; 0 when running alone */
static u64 rng;			/* the operations' stream */
static u64 xrng;		/* -X's own, so -X leaves the ops alone */
static long long opno;
static const char *path[2];
static int fd[2];		/* long-lived, O_RDWR */
static int afd[2];		/* long-lived, O_RDWR | O_APPEND */
static int out[2];		/* where sendfile copies to */
static const char *shpath[2];	/* the pair every child appends to */
static int shfd[2] = { -1, -1 };
static long long shseq;
static long long size;		/* both files' st_size after the last op */
static char *wbuf, *rbuf[2];
static long long rbuf_len;
static long long xop = -1;	/* -X: corrupt at the first read from here */
static bool xdone;

static char oplog[LOG_N][LOG_LEN];
static long long nlog;
static char *cur = oplog[0];

static const char usage_text[] =
	"usage: ioi-fsx [-s SEED] [-n OPS] [-p PROCS] [-m MAXSIZE]\n"
	"               [-o MAXLEN] [-q] [-X] TESTFILE REFFILE\n"
	"\n"
	"Applies the same random operations to TESTFILE and REFFILE\n"
	"(both created or truncated) and checks they give the same\n"
	"results.\n"
	"\n"
	"  -s SEED     PRNG seed (default: from the time, printed)\n"
	"  -n OPS      operations per process (default 2000)\n"
	"  -p PROCS    PROCS children, each on TESTFILE.N and\n"
	"              REFFILE.N, all also appending records to\n"
	"              TESTFILE.shared and REFFILE.shared\n"
	"              (default 1: no children, no shared pair)\n"
	"  -m MAXSIZE  files stay below this size (default 1M;\n"
	"              k, M, G suffixes)\n"
	"  -o MAXLEN   reads and writes are shorter than this\n"
	"              (default 64k)\n"
	"  -q          no progress output (the seed is still\n"
	"              printed when it comes from the time)\n"
	"  -X          self-test: corrupt the test file once to prove\n"
	"              mismatches are caught (must exit 1)\n";

static void usage(int status)
{
	fputs(usage_text, status ? stderr : stdout);
	exit(status);
}

/* [0, n), 0 when n <= 0; the modulo bias does not matter here. */
static long long rnd(long long n)
{
	return n > 0 ? (long long)(splitmix(&rng) % (u64)n) : 0;
}

static void fill(char *p, long long n)
{
	long long i;
	u64 v;

	for (i = 0; i < n; i += 8) {
		v = splitmix(&rng);
		memcpy(p + i, &v, n - i < 8 ? n - i : 8);
	}
}

static void __printf(1, 2) op_begin(const char *fmt, ...)
{
	va_list ap;
	int n;

	cur = oplog[nlog++ % LOG_N];
	n = snprintf(cur, LOG_LEN, "op %lld: ", opno);
	va_start(ap, fmt);
	vsnprintf(cur + n, LOG_LEN - n, fmt, ap);
	va_end(ap);
}

static void __printf(1, 2) op_note(const char *fmt, ...)
{
	size_t n = strlen(cur);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cur + n, LOG_LEN - n, fmt, ap);
	va_end(ap);
}

static void print_replay(void)
{
	printf("ioi-fsx: replay: ioi-fsx -s %llu -n %lld -p %lld -m %lld -o %lld%s %s %s\n",
	       seed, nops, nprocs, maxsize, maxlen, selftest ? " -X" : "",
	       argtest, argref);
}

static void __noreturn __printf(1, 2) fail(const char *fmt, ...)
{
	char who[32] = "";
	long long i;
	va_list ap;

	if (nprocs > 1)
		snprintf(who, sizeof(who), " child=%d", me);
	printf("ioi-fsx: MISMATCH seed=%llu%s op=%lld\n", seed, who, opno);
	printf("  operation: %s\n  ", cur);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n  (test file %s, reference %s)\n", path[T], path[R]);
	printf("ioi-fsx: last %lld operations, oldest first:\n",
	       nlog < LOG_N ? nlog : LOG_N);
	for (i = nlog > LOG_N ? nlog - LOG_N : 0; i < nlog; i++)
		printf("  %s\n", oplog[i % LOG_N]);
	print_replay();
	fflush(stdout);
	exit(1);
}

static const char *fmt_res(const struct res *r, char *buf, size_t n)
{
	if (r->ret < 0)
		snprintf(buf, n, "%lld (errno %d: %s)", r->ret, r->err,
			 strerror(r->err));
	else
		snprintf(buf, n, "%lld", r->ret);
	return buf;
}

static void check(const char *what, const struct res *r)
{
	char a[128], b[128];

	if (r[T].ret == r[R].ret && r[T].err == r[R].err)
		return;
	fail("%s: test file gave %s, reference gave %s", what,
	     fmt_res(&r[T], a, sizeof(a)), fmt_res(&r[R], b, sizeof(b)));
}

/* For calls whose successful value may differ: file descriptors. */
static void check_ok(const char *what, const struct res *r)
{
	struct res s[2] = { r[T], r[R] };
	int i;

	for (i = 0; i < 2; i++)
		if (s[i].ret > 0)
			s[i].ret = 0;
	check(what, s);
}

static void hex(char *buf, const char *p, long long n)
{
	long long i;

	*buf = 0;
	for (i = 0; i < n; i++)
		buf += sprintf(buf, "%s%02x", i ? " " : "",
			       (unsigned char)p[i]);
}

/* t and r hold n bytes read from file offset base. */
static void check_data(const char *what, long long base, const char *t,
		       const char *r, long long n)
{
	char ht[16 * 3 + 1], hr[16 * 3 + 1];
	long long i, from, cnt;

	if (n <= 0 || !memcmp(t, r, n))
		return;
	for (i = 0; t[i] == r[i]; i++)
		;
	from = i > 4 ? i - 4 : 0;
	cnt = n - from < 16 ? n - from : 16;
	hex(ht, t + from, cnt);
	hex(hr, r + from, cnt);
	fail("%s: data differs at file offset %lld (of %lld bytes read from %lld)\n"
	     "    test file at %lld: %s\n"
	     "    reference at %lld: %s",
	     what, base + i, n, base, base + from, ht, base + from, hr);
}

static void open_pair(int flags, int *f)
{
	struct res r[2];
	int i;

	for (i = 0; i < 2; i++) {
		CALL(r[i], open(path[i], flags));
		f[i] = (int)r[i].ret;
	}
	check_ok("open", r);
	if (f[T] < 0)
		die("cannot open %s: %s", path[T], strerror(r[T].err));
}

static void close_pair(int *f)
{
	struct res r[2];
	int i;

	for (i = 0; i < 2; i++)
		CALL(r[i], close(f[i]));
	check("close", r);
}

static const char *acc_name(int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return "O_RDONLY";
	case O_WRONLY:
		return "O_WRONLY";
	default:
		return "O_RDWR";
	}
}

/*
 * The descriptors an operation works on: usually the long-lived ones, whose
 * file position and cached state carry over from operation to operation,
 * sometimes a fresh open, which goes through the open path (and the module's
 * per-open setup) each time. Returns whether f must be closed afterwards.
 */
static bool pick_fd(bool rd, bool wr, int *f)
{
	int flags;

	if (rnd(3)) {
		f[T] = fd[T];
		f[R] = fd[R];
		op_note(" fd=long");
		return false;
	}
	if (rd && wr)
		flags = O_RDWR;
	else if (rd)
		flags = rnd(2) ? O_RDONLY : O_RDWR;
	else
		flags = rnd(2) ? O_WRONLY : O_RDWR;
	op_note(" fd=fresh(%s)", acc_name(flags));
	open_pair(flags, f);
	return true;
}

static void check_pos(const int *f, const char *what)
{
	struct res r[2];
	int i;

	for (i = 0; i < 2; i++)
		CALL(r[i], lseek(f[i], 0, SEEK_CUR));
	check(what, r);
}

static void seek_set(const int *f, long long off)
{
	struct res r[2];
	int i;

	for (i = 0; i < 2; i++)
		CALL(r[i], lseek(f[i], off, SEEK_SET));
	check("lseek SEEK_SET", r);
}

static long long pos_of(int f)
{
	off_t p = lseek(f, 0, SEEK_CUR);

	if (p < 0)
		die("lseek %s: %s", path[R], strerror(errno));
	return p;
}

/* Where the long-lived descriptors are (post_check keeps them equal). */
static long long long_pos(void)
{
	return pos_of(fd[R]);
}

/*
 * -X: flip one byte of the test file inside the range the operation about
 * to run reads. A byte flipped anywhere at any time could be overwritten or
 * truncated away before anything reads it, and a self-test that may pass
 * proves nothing; one about to be read must be caught.
 */
static void selftest_hook(long long off, long long len)
{
	long long end = off + len < size ? off + len : size, at;
	char c;
	int f;

	if (xop < 0 || opno < xop || off < 0 || off >= end)
		return;
	at = off + (long long)(splitmix(&xrng) % (u64)(end - off));
	f = open(path[T], O_RDWR);
	if (f < 0 || pread(f, &c, 1, at) != 1)
		die("-X: cannot read %s: %s", path[T], strerror(errno));
	c = ~c;
	if (pwrite(f, &c, 1, at) != 1 || close(f))
		die("-X: cannot write %s: %s", path[T], strerror(errno));
	op_note(" [-X: flipped the test file's byte at %lld]", at);
	xop = -1;
	xdone = true;
}

/*
 * Offsets in [0, limit), biased toward the cases that break block-based
 * code: the first bytes, page boundaries, EOF and just around it, and past
 * EOF (writes there leave holes, which must read as zeros).
 */
static long long pick_off(long long limit)
{
	long long o, pages = limit / PAGE + 1;

	switch (rnd(20)) {
	case 0:
		o = 0;
		break;
	case 1:
		o = 1;
		break;
	case 2:
		o = PAGE - 1 + rnd(3);		/* 4095, 4096, 4097 */
		break;
	case 3:
		o = PAGE * rnd(pages);
		break;
	case 4:
		o = PAGE * rnd(pages) + (rnd(2) ? 1 : -1);
		break;
	case 5:
	case 6:
		o = size;
		break;
	case 7:
		o = size - 1 - rnd(2);
		break;
	case 8:
		o = size + 1 + rnd(2 * PAGE);	/* past EOF: a hole */
		break;
	case 9:
		o = (size & ~(PAGE - 1)) + PAGE * rnd(3);
		break;
	case 10:
	case 11:
	case 12:
	case 13:
		o = rnd(size + 1);
		break;
	default:
		o = rnd(limit);
		break;
	}
	if (o < 0)
		o = 0;
	if (o >= limit)
		o = rnd(limit);
	return o;
}

/* Lengths in [0, limit) for an I/O at off, biased like the offsets. */
static long long pick_len(long long off, long long limit)
{
	long long l;

	switch (rnd(16)) {
	case 0:
		l = 0;
		break;
	case 1:
		l = 1;
		break;
	case 2:
		l = PAGE - 1 + rnd(3);
		break;
	case 3:
		l = PAGE * (1 + rnd(limit / PAGE));
		break;
	case 4:
		l = PAGE * (1 + rnd(limit / PAGE)) + (rnd(2) ? 1 : -1);
		break;
	case 5:
		l = PAGE - off % PAGE;		/* to the end of off's page */
		break;
	case 6:
		l = size - off + rnd(3) - 1;	/* to EOF, give or take one */
		break;
	case 7:
		l = rnd(16);
		break;
	default:
		l = rnd(limit);
		break;
	}
	if (l < 0)
		l = 0;
	if (l >= limit)
		l = rnd(limit);
	return l;
}

/* New sizes for truncation: smaller, bigger, the edges, below maxsize. */
static long long pick_size(void)
{
	long long s;

	switch (rnd(12)) {
	case 0:
		s = 0;
		break;
	case 1:
	case 2:
		s = rnd(size + 1);
		break;
	case 3:
	case 4:
		s = size + rnd(maxlen);
		break;
	case 5:
		s = size + rnd(3) - 1;
		break;
	case 6:
		s = PAGE - 1 + rnd(3);
		break;
	case 7:
		s = PAGE * rnd(maxsize / PAGE + 1) + rnd(3) - 1;
		break;
	case 8:
		s = (size & ~(PAGE - 1)) + PAGE * rnd(3);
		break;
	default:
		s = rnd(maxsize);
		break;
	}
	if (s < 0)
		s = 0;
	if (s >= maxsize)
		s = rnd(maxsize);
	return s;
}

/* A write of len at off must leave the file below maxsize. */
static long long clamp_end(long long off, long long len)
{
	if (off + len > maxsize - 1)
		len = maxsize - 1 - off;
	return len < 0 ? 0 : len;
}

/* Up to MAX_IOV consecutive pieces of base, total at most budget. */
static int pick_iov(struct iovec *iov, char *base, long long off,
		    long long budget, long long *total)
{
	int n = 2 + (int)rnd(MAX_IOV - 1), i;
	long long l;

	*total = 0;
	for (i = 0; i < n; i++) {
		l = pick_len(off + *total, maxlen);
		if (l > budget - *total)
			l = rnd(budget - *total + 1);
		iov[i].iov_base = base + *total;
		iov[i].iov_len = l;
		*total += l;
	}
	return n;
}

static void iov_note(const struct iovec *iov, int n)
{
	int i;

	op_note(" iov=[");
	for (i = 0; i < n; i++)
		op_note("%s%zu", i ? "," : "", iov[i].iov_len);
	op_note("]");
}

static void op_write(void)
{
	long long off, len;
	int f[2], i, v = (int)rnd(8);
	struct res r[2];
	bool fresh;

	if (v == 0) {
		/* write(2) wherever the last operation left the fd */
		off = long_pos();
		len = clamp_end(off, pick_len(off, maxlen));
		fill(wbuf, len);
		op_begin("write at f_pos=%lld len=%lld fd=long", off, len);
		for (i = 0; i < 2; i++)
			CALL(r[i], write(fd[i], wbuf, len));
		check("write", r);
		op_note(" = %lld", r[R].ret);
		return;
	}
	off = pick_off(maxsize);
	len = clamp_end(off, pick_len(off, maxlen));
	fill(wbuf, len);
	op_begin("%s off=%lld len=%lld", v < 3 ? "lseek+write" : "pwrite",
		 off, len);
	fresh = pick_fd(false, true, f);
	if (v < 3) {
		seek_set(f, off);
		for (i = 0; i < 2; i++)
			CALL(r[i], write(f[i], wbuf, len));
	} else {
		for (i = 0; i < 2; i++)
			CALL(r[i], pwrite(f[i], wbuf, len, off));
	}
	check(v < 3 ? "write" : "pwrite", r);
	op_note(" = %lld", r[R].ret);
	if (fresh) {
		check_pos(f, "file position after the write");
		close_pair(f);
	}
}

static void op_read(void)
{
	int f[2], i, v = (int)rnd(32);
	struct res r[2];
	long long off, len;
	bool fresh;

	if (v == 0) {
		/* The errno of a bad call must match too. */
		op_begin("pread off=-1 len=1 fd=long");
		for (i = 0; i < 2; i++)
			CALL(r[i], pread(fd[i], rbuf[i], 1, -1));
		check("pread", r);
		op_note(" = %lld", r[R].ret);
		return;
	}
	if (v < 6) {
		off = long_pos();
		len = pick_len(off, maxlen);
		op_begin("read at f_pos=%lld len=%lld fd=long", off, len);
		selftest_hook(off, len);
		for (i = 0; i < 2; i++)
			CALL(r[i], read(fd[i], rbuf[i], len));
		check("read", r);
		op_note(" = %lld", r[R].ret);
		check_data("read", off, rbuf[T], rbuf[R], r[R].ret);
		return;
	}
	off = pick_off(maxsize + maxlen);
	len = pick_len(off, maxlen);
	op_begin("%s off=%lld len=%lld", v < 16 ? "lseek+read" : "pread",
		 off, len);
	fresh = pick_fd(true, false, f);
	selftest_hook(off, len);
	if (v < 16) {
		seek_set(f, off);
		for (i = 0; i < 2; i++)
			CALL(r[i], read(f[i], rbuf[i], len));
	} else {
		for (i = 0; i < 2; i++)
			CALL(r[i], pread(f[i], rbuf[i], len, off));
	}
	check(v < 16 ? "read" : "pread", r);
	op_note(" = %lld", r[R].ret);
	check_data(v < 16 ? "read" : "pread", off, rbuf[T], rbuf[R], r[R].ret);
	if (fresh) {
		check_pos(f, "file position after the read");
		close_pair(f);
	}
}

static void op_append(void)
{
	long long len = clamp_end(size, pick_len(size, maxlen)), off;
	int f[2], i, v = (int)rnd(4);
	struct res r[2];

	fill(wbuf, len);
	if (v == 0) {
		int flags = (rnd(2) ? O_WRONLY : O_RDWR) | O_APPEND;

		op_begin("append len=%lld fd=fresh(%s|O_APPEND)", len,
			 acc_name(flags));
		open_pair(flags, f);
		for (i = 0; i < 2; i++)
			CALL(r[i], write(f[i], wbuf, len));
		check("write", r);
		op_note(" = %lld", r[R].ret);
		check_pos(f, "file position after the append");
		close_pair(f);
	} else if (v == 1) {
		/* Linux appends whatever the offset; both must agree. */
		off = rnd(size + 1);
		op_begin("pwrite off=%lld len=%lld fd=long(O_APPEND)", off,
			 len);
		for (i = 0; i < 2; i++)
			CALL(r[i], pwrite(afd[i], wbuf, len, off));
		check("pwrite", r);
		op_note(" = %lld", r[R].ret);
	} else {
		op_begin("append len=%lld fd=long(O_APPEND)", len);
		for (i = 0; i < 2; i++)
			CALL(r[i], write(afd[i], wbuf, len));
		check("write", r);
		op_note(" = %lld", r[R].ret);
	}
}

static void op_ftruncate(void)
{
	long long sz = pick_size();
	int f[2], i, v = (int)rnd(24);
	struct res r[2];
	bool fresh;

	if (v == 0)
		sz = -1;
	if (v == 1) {
		/* Not open for writing: the errno must match. */
		op_begin("ftruncate size=%lld fd=fresh(O_RDONLY)", sz);
		open_pair(O_RDONLY, f);
		fresh = true;
	} else {
		op_begin("ftruncate size=%lld", sz);
		fresh = pick_fd(false, true, f);
	}
	for (i = 0; i < 2; i++)
		CALL(r[i], ftruncate(f[i], sz));
	check("ftruncate", r);
	op_note(" = %lld", r[R].ret);
	if (fresh)
		close_pair(f);
}

static void op_truncate(void)
{
	long long sz = rnd(24) ? pick_size() : -1;
	struct res r[2];
	int i;

	op_begin("truncate path size=%lld", sz);
	for (i = 0; i < 2; i++)
		CALL(r[i], truncate(path[i], sz));
	check("truncate", r);
	op_note(" = %lld", r[R].ret);
}

static void op_reopen(void)
{
	int f[2];

	if (rnd(2)) {
		op_begin("reopen the long-lived fd O_RDWR|O_TRUNC");
		close_pair(fd);
		open_pair(O_RDWR | O_TRUNC, fd);
	} else {
		op_begin("open O_WRONLY|O_TRUNC, close");
		open_pair(O_WRONLY | O_TRUNC, f);
		close_pair(f);
	}
}

static void op_writev(void)
{
	long long off = pick_off(maxsize), total;
	int f[2], i, n, v = (int)rnd(3);
	struct iovec iov[MAX_IOV];
	struct res r[2];
	bool fresh;

	n = pick_iov(iov, wbuf, off, clamp_end(off, maxlen - 1), &total);
	fill(wbuf, total);
	op_begin("%s off=%lld len=%lld", v ? "pwritev" : "lseek+writev", off,
		 total);
	iov_note(iov, n);
	fresh = pick_fd(false, true, f);
	if (!v) {
		seek_set(f, off);
		for (i = 0; i < 2; i++)
			CALL(r[i], writev(f[i], iov, n));
	} else {
		for (i = 0; i < 2; i++)
			CALL(r[i], pwritev(f[i], iov, n, off));
	}
	check(v ? "pwritev" : "writev", r);
	op_note(" = %lld", r[R].ret);
	if (fresh) {
		check_pos(f, "file position after the writev");
		close_pair(f);
	}
}

static void op_readv(void)
{
	int f[2] = { fd[T], fd[R] }, i, j, n, v = (int)rnd(4);
	struct iovec iov[2][MAX_IOV];
	long long off, total;
	struct res r[2];
	bool fresh = false;

	off = v == 0 ? long_pos() : pick_off(maxsize + maxlen);
	n = pick_iov(iov[T], rbuf[T], off, maxlen - 1, &total);
	for (j = 0; j < n; j++) {
		iov[R][j].iov_base = rbuf[R] + ((char *)iov[T][j].iov_base -
						rbuf[T]);
		iov[R][j].iov_len = iov[T][j].iov_len;
	}
	op_begin("%s off=%lld len=%lld",
		 v == 0 ? "readv at f_pos" : v == 1 ? "lseek+readv" : "preadv",
		 off, total);
	iov_note(iov[T], n);
	if (v == 0)
		op_note(" fd=long");
	else
		fresh = pick_fd(true, false, f);
	selftest_hook(off, total);
	if (v == 1)
		seek_set(f, off);
	for (i = 0; i < 2; i++) {
		if (v < 2)
			CALL(r[i], readv(f[i], iov[i], n));
		else
			CALL(r[i], preadv(f[i], iov[i], n, off));
	}
	check(v < 2 ? "readv" : "preadv", r);
	op_note(" = %lld", r[R].ret);
	/* The pieces are consecutive in rbuf, so the data is one run. */
	check_data(v < 2 ? "readv" : "preadv", off, rbuf[T], rbuf[R],
		   r[R].ret);
	if (fresh) {
		check_pos(f, "file position after the readv");
		close_pair(f);
	}
}

/*
 * The one place that decides which SEEK_DATA / SEEK_HOLE answers from the
 * test file are acceptable, since a filesystem need not track holes at all:
 *
 *  - the reference filesystem's exact answer (same result, same errno), or
 *  - the simplified behaviour lseek(2) documents for filesystems without
 *    hole tracking, "the whole file is data": for 0 <= pos < size,
 *    SEEK_DATA(pos) = pos and SEEK_HOLE(pos) = size; otherwise ENXIO.
 *
 * Nothing in between: reporting a hole that the reference does not have, or
 * data it does not have other than by the simplified rule, is a mismatch.
 * The simplified answer is returned in *simple for the report.
 */
static bool seek_tolerated(int whence, long long pos, const struct res *r,
			   struct res *simple)
{
	simple->ret = -1;
	simple->err = ENXIO;
	if (pos >= 0 && pos < size) {
		simple->ret = whence == SEEK_DATA ? pos : size;
		simple->err = 0;
	}
	if (r[T].ret == r[R].ret && r[T].err == r[R].err)
		return true;
	return r[T].ret == simple->ret && r[T].err == simple->err;
}

static void op_seek(void)
{
	int f[2], i, v = (int)rnd(10), whence;
	long long pos, delta, d[7];
	char a[128], b[128], c[128];
	struct res r[2], simple;
	bool fresh;

	if (v < 3) {
		d[0] = 0;
		d[1] = -1;
		d[2] = 1;
		d[3] = -size;
		d[4] = -size - 1;		/* before 0: EINVAL */
		d[5] = rnd(2) ? PAGE : -PAGE;
		d[6] = rnd(maxlen) - rnd(size + 1);
		delta = d[rnd(7)];
		op_begin("lseek SEEK_END delta=%lld", delta);
		fresh = pick_fd(true, false, f);
		for (i = 0; i < 2; i++)
			CALL(r[i], lseek(f[i], delta, SEEK_END));
		check("lseek SEEK_END", r);
		op_note(" = %lld", r[R].ret);
	} else if (v < 9) {
		whence = v < 6 ? SEEK_DATA : SEEK_HOLE;
		pos = pick_off(maxsize + maxlen);
		op_begin("lseek %s pos=%lld size=%lld",
			 whence == SEEK_DATA ? "SEEK_DATA" : "SEEK_HOLE", pos,
			 size);
		fresh = pick_fd(true, false, f);
		for (i = 0; i < 2; i++)
			CALL(r[i], lseek(f[i], pos, whence));
		if (!seek_tolerated(whence, pos, r, &simple))
			fail("lseek %s: test file gave %s, reference gave %s (all data: %s)",
			     whence == SEEK_DATA ? "SEEK_DATA" : "SEEK_HOLE",
			     fmt_res(&r[T], a, sizeof(a)),
			     fmt_res(&r[R], b, sizeof(b)),
			     fmt_res(&simple, c, sizeof(c)));
		op_note(" = %lld", r[R].ret);
		if (r[T].ret != r[R].ret) {
			/*
			 * Accepted but different: put the test fd where the
			 * reference's is, or later f_pos checks would fail.
			 */
			op_note(" (test file: %lld, all data)", r[T].ret);
			seek_set(f, pos_of(f[R]));
		}
	} else {
		pos = pick_off(maxsize + maxlen);
		d[0] = 0;
		d[1] = -1;
		d[2] = 1;
		d[3] = PAGE;
		d[4] = -pos - 1;		/* before 0: EINVAL */
		delta = d[rnd(5)];
		op_begin("lseek SEEK_SET pos=%lld, SEEK_CUR delta=%lld", pos,
			 delta);
		fresh = pick_fd(true, false, f);
		seek_set(f, pos);
		for (i = 0; i < 2; i++)
			CALL(r[i], lseek(f[i], delta, SEEK_CUR));
		check("lseek SEEK_CUR", r);
		op_note(" = %lld", r[R].ret);
	}
	if (fresh) {
		check_pos(f, "file position after the lseek");
		close_pair(f);
	}
}

static void op_fsync(void)
{
	int f[2], i, v = (int)rnd(2);
	struct res r[2];
	bool fresh;

	op_begin("%s", v ? "fsync" : "fdatasync");
	fresh = pick_fd(true, rnd(2), f);
	for (i = 0; i < 2; i++)
		CALL(r[i], v ? fsync(f[i]) : fdatasync(f[i]));
	check(v ? "fsync" : "fdatasync", r);
	op_note(" = %lld", r[R].ret);
	if (fresh)
		close_pair(f);
}

static void op_sendfile(void)
{
	long long off = pick_off(maxsize + maxlen), len;
	int f[2], i, v = (int)rnd(3);
	off_t o[2];
	struct res r[2];
	bool fresh;

	len = pick_len(off, maxlen);
	op_begin("sendfile off=%lld len=%lld%s", off, len,
		 v ? " (offset pointer)" : " (f_pos)");
	fresh = pick_fd(true, false, f);
	for (i = 0; i < 2; i++)
		if (ftruncate(out[i], 0) || lseek(out[i], 0, SEEK_SET))
			die("sendfile output: %s", strerror(errno));
	selftest_hook(off, len);
	if (v) {
		for (i = 0; i < 2; i++) {
			o[i] = off;
			CALL(r[i], sendfile(out[i], f[i], &o[i], len));
		}
		check("sendfile", r);
		if (o[T] != o[R])
			fail("sendfile: offset now %lld in the test file, %lld in the reference",
			     (long long)o[T], (long long)o[R]);
	} else {
		seek_set(f, off);
		for (i = 0; i < 2; i++)
			CALL(r[i], sendfile(out[i], f[i], NULL, len));
		check("sendfile", r);
	}
	op_note(" = %lld", r[R].ret);
	for (i = 0; i < 2; i++)
		CALL(r[i], pread(out[i], rbuf[i], len, 0));
	check("pread of what sendfile copied", r);
	check_data("sendfile", off, rbuf[T], rbuf[R], r[R].ret);
	if (fresh) {
		check_pos(f, "file position after the sendfile");
		close_pair(f);
	}
}

/*
 * A record every child appends to the shared pair: who wrote it, its
 * sequence number, and padding that depends on both, so a torn or
 * interleaved record cannot pass for an intact one.
 */
static void make_record(char *rec, int child, long long seq)
{
	int n = snprintf(rec, REC_LEN, "ioi-fsx child %4d seq %10lld ", child,
			 seq);

	for (; n < REC_LEN - 1; n++)
		rec[n] = 'a' + (child * 7 + seq * 13 + n) % 26;
	rec[REC_LEN - 1] = '\n';
}

static void shared_append(void)
{
	char rec[REC_LEN];
	struct res r[2];
	int f[2], i;
	bool fresh = !rnd(4);

	make_record(rec, me, shseq);
	op_begin("shared append record seq=%lld fd=%s", shseq,
		 fresh ? "fresh(O_WRONLY|O_APPEND)" : "long(O_APPEND)");
	for (i = 0; i < 2; i++) {
		f[i] = fresh ? open(shpath[i], O_WRONLY | O_APPEND) : shfd[i];
		if (f[i] < 0)
			die("%s: %s", shpath[i], strerror(errno));
		CALL(r[i], write(f[i], rec, REC_LEN));
		if (r[i].ret != REC_LEN)
			fail("shared append to %s: wrote %lld of %d bytes (errno %d)",
			     shpath[i], r[i].ret, REC_LEN, r[i].err);
		if (fresh && close(f[i]))
			fail("shared append: close %s: %s", shpath[i],
			     strerror(errno));
	}
	shseq++;
}

/* After every operation: same st_size, same positions. */
static void post_check(void)
{
	struct stat st[2];
	struct res r[2];
	int i;

	for (i = 0; i < 2; i++)
		CALL(r[i], fstat(fd[i], &st[i]));
	check("fstat", r);
	if (st[T].st_size != st[R].st_size)
		fail("st_size (fstat): test file has %lld, reference %lld",
		     (long long)st[T].st_size, (long long)st[R].st_size);
	size = st[R].st_size;
	check_pos(fd, "file position of the long-lived fd");
	check_pos(afd, "file position of the long-lived O_APPEND fd");
}

/* Both files read whole through a fresh open, and st_size by path. */
static void full_check(const char *why)
{
	struct stat st[2];
	long long off = 0;
	struct res r[2];
	int f[2], i;

	op_begin("full compare (%s)", why);
	for (i = 0; i < 2; i++)
		CALL(r[i], stat(path[i], &st[i]));
	check("stat", r);
	if (st[T].st_size != st[R].st_size)
		fail("st_size (stat): test file has %lld, reference %lld",
		     (long long)st[T].st_size, (long long)st[R].st_size);
	open_pair(O_RDONLY, f);
	selftest_hook(0, size);
	for (;;) {
		for (i = 0; i < 2; i++)
			CALL(r[i], pread(f[i], rbuf[i], rbuf_len, off));
		check("pread", r);
		if (r[R].ret <= 0)
			break;
		check_data("contents", off, rbuf[T], rbuf[R], r[R].ret);
		off += r[R].ret;
	}
	if (off != size)
		fail("both files read %lld bytes, st_size says %lld", off,
		     size);
	close_pair(f);
}

static const struct {
	void (*fn)(void);
	int weight;
} ops[] = {
	{ op_write, 16 },
	{ op_read, 16 },
	{ op_append, 8 },
	{ op_ftruncate, 6 },
	{ op_truncate, 4 },
	{ op_reopen, 1 },
	{ op_writev, 8 },
	{ op_readv, 8 },
	{ op_seek, 10 },
	{ op_fsync, 3 },
	{ op_sendfile, 6 },
};

static int make_out(int i)
{
	char *p;
	int f;

	/* memfd keeps the output off both filesystems under test. */
	f = memfd_create(i == T ? "ioi-fsx-test" : "ioi-fsx-ref", 0);
	if (f >= 0)
		return f;
	if (asprintf(&p, "%s.sendfile", path[R]) < 0)
		die("out of memory");
	f = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (f < 0 || unlink(p))
		die("%s: %s", p, strerror(errno));
	free(p);
	return f;
}

static int worker(int id, const char *tpath, const char *rpath)
{
	u64 s = seed + 0xd1b54a32d192ed03ULL * (u64)id;
	long long total = 0, pick;
	size_t k;
	int i;

	me = id;
	rng = splitmix(&s);
	xrng = seed ^ 0x5851f42d4c957f2dULL;
	path[T] = tpath;
	path[R] = rpath;
	for (i = 0; i < 2; i++) {
		fd[i] = open(path[i], O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd[i] < 0)
			die("%s: %s", path[i], strerror(errno));
		afd[i] = open(path[i], O_RDWR | O_APPEND);
		if (afd[i] < 0)
			die("%s: %s", path[i], strerror(errno));
		out[i] = make_out(i);
		/* Its own open, not an inherited one: no shared f_pos. */
		if (shpath[i]) {
			shfd[i] = open(shpath[i], O_WRONLY | O_APPEND);
			if (shfd[i] < 0)
				die("%s: %s", shpath[i], strerror(errno));
		}
	}
	rbuf_len = maxlen > 65536 ? maxlen : 65536;
	wbuf = malloc(maxlen);
	rbuf[T] = malloc(rbuf_len);
	rbuf[R] = malloc(rbuf_len);
	if (!wbuf || !rbuf[T] || !rbuf[R])
		die("out of memory");
	if (selftest && id == 0)
		xop = nops ? (long long)(splitmix(&xrng) % (u64)nops) : 0;
	for (k = 0; k < ARRAY_SIZE(ops); k++)
		total += ops[k].weight;

	for (opno = 0; opno < nops; opno++) {
		if (shfd[T] >= 0 && opno % SHARED_EVERY == 0)
			shared_append();
		pick = rnd(total);
		for (k = 0; pick >= ops[k].weight; k++)
			pick -= ops[k].weight;
		ops[k].fn();
		post_check();
		if ((opno + 1) % FULL_EVERY == 0)
			full_check("periodic");
		if (!quiet && (opno + 1) % PROGRESS_EVERY == 0) {
			if (nprocs > 1)
				printf("ioi-fsx: child %d: %lld/%lld ops\n",
				       me, opno + 1, nops);
			else
				printf("ioi-fsx: %lld/%lld ops\n", opno + 1,
				       nops);
			fflush(stdout);
		}
	}
	/* The last close may be where a lazy writer finally writes. */
	op_begin("close the long-lived fds");
	close_pair(fd);
	close_pair(afd);
	full_check("end");

	if (selftest && id == 0) {
		printf("ioi-fsx: -X: %s\n", xdone ?
		       "the corrupted byte was NOT caught" :
		       "nothing was ever read to corrupt");
		return 2;
	}
	for (i = 0; i < 2; i++) {
		close(out[i]);
		if (shfd[i] >= 0)
			close(shfd[i]);
	}
	return 0;
}

static void __printf(2, 3) shared_bad(const char *p, const char *fmt, ...)
{
	va_list ap;

	printf("ioi-fsx: MISMATCH seed=%llu shared file %s: ", seed, p);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/*
 * Each child appended per records to p with O_APPEND, so p must hold exactly
 * nprocs * per records, each intact and present once, in any order between
 * children but in sequence order within each child (a child's appends are
 * one after the other). Reports the size and the first bad record.
 */
static int check_shared(const char *p, long long per)
{
	long long want = nprocs * per * REC_LEN, n = 0, seq, *last;
	char rec[REC_LEN], exp[REC_LEN + 1], ht[16 * 3 + 1], he[16 * 3 + 1];
	int f, child, bad = 0;
	unsigned char *seen;
	bool parsed;
	struct stat st;
	FILE *fp;
	size_t j;

	f = open(p, O_RDONLY);
	if (f < 0 || fstat(f, &st))
		die("%s: %s", p, strerror(errno));
	if (st.st_size != want) {
		shared_bad(p, "%lld bytes, expected %lld (%lld records of %d)",
			   (long long)st.st_size, want, nprocs * per, REC_LEN);
		bad = 1;
	}
	seen = calloc(nprocs * per + 1, 1);
	last = malloc(nprocs * sizeof(*last));
	fp = fdopen(f, "r");
	if (!seen || !last || !fp)
		die("out of memory");
	for (child = 0; child < nprocs; child++)
		last[child] = -1;
	for (; fread(rec, REC_LEN, 1, fp) == 1; n++) {
		parsed = sscanf(rec, "ioi-fsx child %d seq %lld ", &child,
				&seq) == 2 && child >= 0 && child < nprocs &&
			 seq >= 0 && seq < per;
		if (parsed)
			make_record(exp, child, seq);
		if (!parsed || memcmp(rec, exp, REC_LEN)) {
			hex(ht, rec, 16);
			shared_bad(p, "record %lld (offset %lld) is torn\n    it starts: %s",
				   n, n * REC_LEN, ht);
			if (parsed) {
				for (j = 0; rec[j] == exp[j]; j++)
					;
				j &= ~(size_t)15;
				hex(ht, rec + j, 16);
				hex(he, exp + j, 16);
				printf("    at byte %zu: %s\n    expected:    %s\n",
				       j, ht, he);
			}
			bad = 1;
			break;
		}
		if (seen[child * per + seq]) {
			shared_bad(p, "record %lld (offset %lld): child %d seq %lld appears twice",
				   n, n * REC_LEN, child, seq);
			bad = 1;
			break;
		}
		if (seq <= last[child]) {
			shared_bad(p, "record %lld (offset %lld): child %d seq %lld after %lld",
				   n, n * REC_LEN, child, seq, last[child]);
			bad = 1;
			break;
		}
		seen[child * per + seq] = 1;
		last[child] = seq;
	}
	fclose(fp);
	free(seen);
	free(last);
	return bad;
}

static int run_children(void)
{
	long long per = (nops + SHARED_EVERY - 1) / SHARED_EVERY, n, left;
	char **tp, **rp;
	bool killed = false;
	int status, ret = 0, i;
	char *st, *sr;
	pid_t *pid, p;

	pid = calloc(nprocs, sizeof(*pid));
	tp = calloc(nprocs, sizeof(*tp));
	rp = calloc(nprocs, sizeof(*rp));
	if (!pid || !tp || !rp ||
	    asprintf(&st, "%s.shared", argtest) < 0 ||
	    asprintf(&sr, "%s.shared", argref) < 0)
		die("out of memory");
	shpath[T] = st;
	shpath[R] = sr;
	for (n = 0; n < nprocs; n++)
		if (asprintf(&tp[n], "%s.%lld", argtest, n) < 0 ||
		    asprintf(&rp[n], "%s.%lld", argref, n) < 0)
			die("out of memory");
	for (i = 0; i < 2; i++) {
		int f = open(shpath[i], O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (f < 0 || close(f))
			die("%s: %s", shpath[i], strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	for (n = 0; n < nprocs; n++) {
		pid[n] = fork();
		if (pid[n] < 0) {
			while (n--)
				kill(pid[n], SIGKILL);
			die("fork: %s", strerror(errno));
		}
		if (pid[n] == 0) {
			/* One write for a whole report: no interleaving. */
			setvbuf(stdout, NULL, _IOFBF, 1 << 16);
			exit(worker((int)n, tp[n], rp[n]));
		}
	}
	for (left = nprocs; left > 0; left--) {
		p = wait(&status);
		if (p < 0)
			die("wait: %s", strerror(errno));
		for (n = 0; n < nprocs && pid[n] != p; n++)
			;
		if (n == nprocs)
			continue;
		pid[n] = 0;
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			continue;
		if (!(killed && WIFSIGNALED(status) &&
		      WTERMSIG(status) == SIGTERM)) {
			if (WIFEXITED(status))
				printf("ioi-fsx: child %lld failed, exit status %d\n",
				       n, WEXITSTATUS(status));
			else
				printf("ioi-fsx: child %lld killed by signal %d\n",
				       n, WTERMSIG(status));
		}
		if (!ret) {
			ret = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
			/* The first failure is the one to look at. */
			for (i = 0; i < nprocs; i++)
				if (pid[i] > 0)
					kill(pid[i], SIGTERM);
			killed = true;
		}
	}
	if (ret)
		return ret;
	if (check_shared(shpath[T], per) | check_shared(shpath[R], per)) {
		print_replay();
		return 1;
	}
	return 0;
}

static long long num(const char *s, char opt, long long min, bool suffix)
{
	unsigned long long v;
	int shift = 0;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (suffix && end != s && *end && strchr("kKmMgG", *end)) {
		shift = *end == 'k' || *end == 'K' ? 10 :
			*end == 'm' || *end == 'M' ? 20 : 30;
		end++;
	}
	if (errno || end == s || *end || *s == '-' ||
	    v > (unsigned long long)LLONG_MAX >> shift ||
	    (long long)(v << shift) < min) {
		fprintf(stderr, "ioi-fsx: bad -%c value '%s'\n", opt, s);
		usage(2);
	}
	return (long long)(v << shift);
}

int main(int argc, char **argv)
{
	bool seeded = false;
	struct timespec ts;
	int c, ret;

	while ((c = getopt(argc, argv, "s:n:p:m:o:qXh")) != -1) {
		switch (c) {
		case 's':
			seed = (unsigned long long)num(optarg, c, 0, false);
			seeded = true;
			break;
		case 'n':
			nops = num(optarg, c, 0, false);
			break;
		case 'p':
			nprocs = num(optarg, c, 1, false);
			if (nprocs > MAX_PROCS) {
				fprintf(stderr, "ioi-fsx: at most %d procs\n",
					MAX_PROCS);
				usage(2);
			}
			break;
		case 'm':
			maxsize = num(optarg, c, 1, true);
			break;
		case 'o':
			maxlen = num(optarg, c, 1, true);
			break;
		case 'q':
			quiet = true;
			break;
		case 'X':
			selftest = true;
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(2);
		}
	}
	if (argc - optind != 2)
		usage(2);
	argtest = argv[optind];
	argref = argv[optind + 1];
	if (!seeded) {
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((unsigned long long)ts.tv_sec * 1000003 +
			ts.tv_nsec / 1000 + getpid()) % 4294967296ULL;
	}
	/* Without -s a hang would leave no way to replay: always say it. */
	if (!quiet || !seeded)
		printf("ioi-fsx: seed=%llu ops=%lld procs=%lld maxsize=%lld maxlen=%lld%s\n",
		       seed, nops, nprocs, maxsize, maxlen,
		       selftest ? " self-test" : "");
	fflush(stdout);

	if (nprocs == 1)
		ret = worker(0, argtest, argref);
	else
		ret = run_children();
	if (ret)
		return ret;
	printf("ioi-fsx: OK seed=%llu ops=%lld procs=%lld\n", seed, nops,
	       nprocs);
	return 0;
}
