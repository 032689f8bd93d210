// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-stress: many processes, one shared set of files, for a given time.
 * Each worker picks a file at random and does one operation on it — a
 * pwrite at a random offset and length, an append, a truncate up or down
 * (ftruncate or truncate(2)), a rename to the file's spare name or back,
 * an unlink and re-create, a read — and checks what it gets back against
 * a model of every file kept in shared memory.
 *
 * Each file has a process-shared read-write lock that a worker holds
 * across its syscalls and the update of the model: the model's order of
 * operations is the file's, and a read (under the read lock, so readers of
 * one file run at once) must give exactly the model's bytes and size.
 * What runs at once is everything else: operations on other files, in the
 * same directories, through the same module state; descriptors that
 * workers keep open across operations; and reads that take no lock at all,
 * racing writes, truncates and renames of their file, which must not fail.
 *
 * A file set is "enc:DIR:RAWDIR" (DIR under an encrypt rule, RAWDIR the
 * same directory reached by a name no rule covers, a bind mount, to read
 * its stored bytes) or "plain:DIR". With -K ID, ENOKEY from opening (or
 * truncate(2) of) an encrypted file is accepted, as the one defined
 * outcome of a file sealed under a key that was removed, if and only if
 * the stored header names key ID: the file is then left alone. (A read
 * without the lock cannot look at the header: its ENOKEY is only counted.)
 *
 * At the end every file is read back whole and, with -o DIR, the model of
 * each is written to DIR/S.N, and DIR/manifest lists "enc|plain PATH
 * MODEL" a line, so that a script can check the stored files offline.
 *
 * Exit status: 0 when everything matched, 1 on a mismatch or an
 * unexpected error, 2 on bad usage or a setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
#include <sys/stat.h>
#include <sys/wait.h>

#include "ioi-util.h"

#define BLOCK		4096LL
/* Files stay below this: 13 blocks, the last one partial. */
#define MAXSZ		(12 * BLOCK + 1000)
#define MAXIO		(3 * BLOCK + 100)
#define MAX_SETS	8
#define MAX_FILES	32
#define MAX_PROCS	64
#define PATH_LEN	512
#define LOG_N		8
#define LOG_LEN		160
/* The encrypted format's header (docs/format.md). */
#define HDR_SIZE	80
#define KEY_ID_OFF	8
#define KEY_ID_SIZE	16

enum kind {
	K_PWRITE, K_APPEND, K_FTRUNCATE, K_TRUNCATE, K_READ, K_READALL,
	K_RENAME, K_RECREATE, K_FSYNC, K_HELDREAD, K_HELDWRITE, K_RACY,
	NKINDS
};

static const char *const kind_name[NKINDS] = {
	[K_PWRITE] = "pwrite", [K_APPEND] = "append",
	[K_FTRUNCATE] = "ftruncate", [K_TRUNCATE] = "truncate",
	[K_READ] = "pread", [K_READALL] = "readall", [K_RENAME] = "rename",
	[K_RECREATE] = "recreate", [K_FSYNC] = "pwrite+fsync",
	[K_HELDREAD] = "held pread", [K_HELDWRITE] = "held pwrite",
	[K_RACY] = "unlocked pread",
};

/* How often each kind is picked, out of their sum. */
static const int kind_weight[NKINDS] = {
	[K_PWRITE] = 26, [K_APPEND] = 10, [K_FTRUNCATE] = 8,
	[K_TRUNCATE] = 4, [K_READ] = 28, [K_READALL] = 10, [K_RENAME] = 6,
	[K_RECREATE] = 4, [K_FSYNC] = 4, [K_HELDREAD] = 8, [K_HELDWRITE] = 6,
	[K_RACY] = 6,
};

struct set {
	bool enc;
	char dir[PATH_LEN / 2];
	char raw[PATH_LEN / 2];
};

/* One file: its lock, which of its two names it has, its model. */
struct slot {
	pthread_rwlock_t lock;
	int set;
	int n;
	int alt;			/* 0: fN, 1: fN.r */
	long long gen;			/* re-creations so far */
	long long size;
	unsigned char data[MAXSZ];	/* zero from size on */
};

struct counts {
	long long ops[NKINDS];
	long long nokey;
	long long racy_nokey;		/* of those, unlocked: not checked */
	long long enc;			/* operations on encrypted files */
	long long written, read;
};

struct shared {
	volatile int stop;
	volatile int failed;
	struct counts cnt[MAX_PROCS + 1];	/* the last: the final check */
	char doing[MAX_PROCS + 1][LOG_LEN];	/* for a worker that hangs */
	struct slot slot[MAX_SETS * MAX_FILES];
};

/* Options. */
static long long nprocs = 16;
static double seconds = 8;
static long long nfiles = 6;
static unsigned long long seed;
static const char *outdir;
static const char *until;
static bool selftest;
static bool have_nokey_id;
static unsigned char nokey_id[KEY_ID_SIZE];
static struct set sets[MAX_SETS];
static int nsets;

static struct shared *sh;
static int nslots;
static int me = -1;		/* worker number; nprocs: the final check */
static u64 rng;
static long long opno;
static char oplog[LOG_N][LOG_LEN];
static long long nlog;
static unsigned char *wbuf, *rbuf;
/*
 * A descriptor a worker keeps open across operations, its own and other
 * workers': what it reads must show what they wrote through theirs, and
 * it keeps its file's key in use while keys come and go.
 */
static int held_fd = -1;
static struct slot *held;
static long long held_gen;

static const char usage_text[] =
	"usage: ioi-stress [-p PROCS] [-t SECONDS] [-f FILES] [-s SEED]\n"
	"                  [-K KEYID] [-o OUTDIR] [-u FILE] [-X] SET...\n"
	"\n"
	"PROCS processes (default 16) for SECONDS (default 8) do random\n"
	"operations on FILES files (default 6) in each SET and check every\n"
	"read against a shared model. SET is enc:DIR:RAWDIR (DIR under an\n"
	"encrypt rule, RAWDIR a bind mount of it that no rule covers) or\n"
	"plain:DIR.\n"
	"\n"
	"  -K KEYID  ENOKEY is accepted on an encrypted file whose header\n"
	"            names this key (32 hex digits)\n"
	"  -o DIR    write each file's final model to DIR and list them in\n"
	"            DIR/manifest\n"
	"  -u FILE   run on after SECONDS until FILE exists (what runs\n"
	"            beside the workers has done enough of its part)\n"
	"  -X        self-test: change the model behind the files' back;\n"
	"            must exit 1\n";

static void __noreturn usage(int status)
{
	fputs(usage_text, status ? stderr : stdout);
	exit(status);
}

/* [0, n), 0 when n <= 0. */
static long long rnd(long long n)
{
	return n > 0 ? (long long)(splitmix(&rng) % (u64)n) : 0;
}

static void fill(unsigned char *p, long long n)
{
	long long i;
	u64 v;

	for (i = 0; i < n; i += 8) {
		v = splitmix(&rng);
		memcpy(p + i, &v, n - i < 8 ? n - i : 8);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void __printf(1, 2) op_begin(const char *fmt, ...)
{
	char *cur = oplog[nlog++ % LOG_N];
	va_list ap;
	int n;

	n = snprintf(cur, LOG_LEN, "op %lld: ", opno);
	va_start(ap, fmt);
	vsnprintf(cur + n, LOG_LEN - n, fmt, ap);
	va_end(ap);
	if (me >= 0)
		memcpy(sh->doing[me], cur, LOG_LEN);
}

static void __noreturn __printf(1, 2) fail(const char *fmt, ...)
{
	long long i;
	va_list ap;

	sh->failed = 1;
	flockfile(stdout);
	if (me < nprocs)
		printf("ioi-stress: FAIL worker %d seed %llu\n  ", me, seed);
	else
		printf("ioi-stress: FAIL final check seed %llu\n  ", seed);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n  last %lld operations of this worker, oldest first:\n",
	       nlog < LOG_N ? nlog : LOG_N);
	for (i = nlog > LOG_N ? nlog - LOG_N : 0; i < nlog; i++)
		printf("    %s\n", oplog[i % LOG_N]);
	funlockfile(stdout);
	fflush(stdout);
	exit(1);
}

static void name_of(const struct slot *s, bool raw, int alt, char *buf)
{
	const struct set *st = &sets[s->set];

	snprintf(buf, PATH_LEN, "%s/f%d%s", raw ? st->raw : st->dir, s->n,
		 alt ? ".r" : "");
}

/*
 * ENOKEY on an encrypted file: the one outcome that depends on the keys
 * loaded, not on the file. Accepted only with -K and only if the stored
 * header names that key; the caller holds the file's lock, so the bytes
 * read here are the ones the module refused to open.
 */
static bool nokey_ok(struct slot *s, const char *path, const char *what)
{
	unsigned char hdr[HDR_SIZE];
	char raw[PATH_LEN];
	ssize_t n;
	int fd;

	if (!sets[s->set].enc)
		fail("%s %s: ENOKEY on a plain file", what, path);
	if (!have_nokey_id)
		fail("%s %s: ENOKEY (no -K given)", what, path);
	name_of(s, true, s->alt, raw);
	fd = open(raw, O_RDONLY);
	if (fd < 0)
		fail("%s %s: ENOKEY, and its stored bytes %s cannot be opened: %s",
		     what, path, raw, strerror(errno));
	n = pread(fd, hdr, sizeof(hdr), 0);
	close(fd);
	if (n != HDR_SIZE || memcmp(hdr, "IOIE", 4))
		fail("%s %s: ENOKEY, but %s has no header (%zd bytes)",
		     what, path, raw, n);
	if (memcmp(hdr + KEY_ID_OFF, nokey_id, KEY_ID_SIZE))
		fail("%s %s: ENOKEY, but its header names key %02x%02x%02x%02x..., not the -K key",
		     what, path, hdr[KEY_ID_OFF], hdr[KEY_ID_OFF + 1],
		     hdr[KEY_ID_OFF + 2], hdr[KEY_ID_OFF + 3]);
	sh->cnt[me].nokey++;
	return true;
}

/* open(2) of the slot's current name; -1 after an accepted ENOKEY. */
static int open_slot(struct slot *s, int flags, const char *what)
{
	char path[PATH_LEN];
	int fd;

	name_of(s, false, s->alt, path);
	fd = open(path, flags, 0644);
	if (fd >= 0)
		return fd;
	if (errno == ENOKEY && nokey_ok(s, path, what))
		return -1;
	fail("%s: open %s (flags %#x): %s", what, path, flags,
	     strerror(errno));
}

static void check_size(struct slot *s, int fd, const char *what)
{
	struct stat st;

	if (fstat(fd, &st))
		fail("%s: fstat: %s", what, strerror(errno));
	if (st.st_size != s->size)
		fail("%s: st_size %lld, model %lld (file f%d of %s)", what,
		     (long long)st.st_size, s->size, s->n, sets[s->set].dir);
}

static void hex(char *buf, const unsigned char *p, long long n)
{
	long long i;

	*buf = 0;
	for (i = 0; i < n; i++)
		buf += sprintf(buf, "%s%02x", i ? " " : "", p[i]);
}

/* @n bytes read at @off, against the model. */
static void check_data(struct slot *s, const char *what, long long off,
		       const unsigned char *got, long long n)
{
	const unsigned char *want = s->data + off;
	char hw[16 * 3 + 1], hg[16 * 3 + 1], path[PATH_LEN];
	long long i, from, cnt;

	if (n <= 0 || !memcmp(got, want, n))
		return;
	for (i = 0; got[i] == want[i]; i++)
		;
	from = i > 4 ? i - 4 : 0;
	cnt = n - from < 16 ? n - from : 16;
	hex(hw, want + from, cnt);
	hex(hg, got + from, cnt);
	name_of(s, false, s->alt, path);
	fail("%s: %s: data differs at offset %lld (read of %lld bytes at %lld, size %lld)\n"
	     "    expected at %lld: %s\n"
	     "    got      at %lld: %s",
	     what, path, off + i, n, off, s->size, off + from, hw,
	     off + from, hg);
}

/* Read [@off, @off + @len) through @fd and check it and the size. */
static void verify(struct slot *s, int fd, long long off, long long len,
		   const char *what)
{
	long long want = s->size - off;
	ssize_t got;

	if (want > len)
		want = len;
	if (want < 0)
		want = 0;
	got = pread(fd, rbuf, len, off);
	if (got < 0)
		fail("%s: pread %lld at %lld: %s", what, len, off,
		     strerror(errno));
	if (got != want)
		fail("%s: pread %lld at %lld gave %zd bytes, model says %lld (size %lld)",
		     what, len, off, got, want, s->size);
	check_data(s, what, off, rbuf, got);
	sh->cnt[me].read += got;
}

/* An offset up to @max: block edges and the end of file are favoured. */
static long long pick_pos(struct slot *s, long long max)
{
	long long p;

	switch (rnd(3)) {
	case 0:
		p = rnd(max / BLOCK + 1) * BLOCK + rnd(7) - 3;
		break;
	case 1:
		p = s->size + rnd(201) - 100;
		break;
	default:
		p = rnd(max + 1);
	}
	return p < 0 ? 0 : p > max ? max : p;
}

static long long pick_len(void)
{
	switch (rnd(4)) {
	case 0:
		return 1 + rnd(16);
	case 1:
		return BLOCK + rnd(7) - 3;
	default:
		return 1 + rnd(MAXIO);
	}
}

/* The model of a write of @len bytes of wbuf at @off. */
static void model_write(struct slot *s, long long off, long long len)
{
	memcpy(s->data + off, wbuf, len);
	if (off + len > s->size)
		s->size = off + len;
}

static void model_truncate(struct slot *s, long long len)
{
	if (len < s->size)
		memset(s->data + len, 0, s->size - len);
	s->size = len;
}

static void do_write(struct slot *s, int fd, long long off, long long len,
		     bool append, const char *what)
{
	ssize_t n;

	fill(wbuf, len);
	n = append ? write(fd, wbuf, len) : pwrite(fd, wbuf, len, off);
	if (n != len)
		fail("%s: %s of %lld at %lld: %zd (%s)", what,
		     append ? "write" : "pwrite", len, off, n,
		     n < 0 ? strerror(errno) : "short");
	model_write(s, off, len);
	sh->cnt[me].written += len;
}

static void op_pwrite(struct slot *s, bool sync, int fd)
{
	long long off = pick_pos(s, MAXSZ - 1), len = pick_len();
	bool own = fd < 0;

	if (len > MAXSZ - off)
		len = MAXSZ - off;
	op_begin("%spwrite%s f%d%s of %s: %lld at %lld (size %lld)",
		 own ? "" : "held ", sync ? "+fsync" : "", s->n,
		 s->alt ? ".r" : "", sets[s->set].dir, len, off, s->size);
	if (own)
		fd = open_slot(s, O_RDWR, "pwrite");
	if (fd < 0)
		return;
	do_write(s, fd, off, len, false, "pwrite");
	if (sync && fsync(fd))
		fail("fsync: %s", strerror(errno));
	check_size(s, fd, "pwrite");
	/* Read the block edges around it back through the same file. */
	if (rnd(2))
		verify(s, fd, off & ~(BLOCK - 1),
		       ((off + len + BLOCK - 1) & ~(BLOCK - 1)) -
		       (off & ~(BLOCK - 1)), "pwrite read-back");
	if (own)
		close(fd);
}

static void op_append(struct slot *s)
{
	long long len = pick_len();
	int fd;

	if (len > MAXSZ - s->size)
		len = MAXSZ - s->size;
	op_begin("append f%d%s of %s: %lld at %lld", s->n, s->alt ? ".r" : "",
		 sets[s->set].dir, len, s->size);
	if (!len)
		return;
	fd = open_slot(s, O_WRONLY | O_APPEND, "append");
	if (fd < 0)
		return;
	do_write(s, fd, s->size, len, true, "append");
	check_size(s, fd, "append");
	close(fd);
}

static void op_truncate(struct slot *s, bool by_path)
{
	long long len = rnd(4) ? pick_pos(s, MAXSZ) : rnd(2) ? 0 : s->size;
	char path[PATH_LEN];
	int fd;

	op_begin("%s f%d%s of %s: %lld -> %lld",
		 by_path ? "truncate" : "ftruncate", s->n, s->alt ? ".r" : "",
		 sets[s->set].dir, s->size, len);
	if (by_path) {
		name_of(s, false, s->alt, path);
		if (truncate(path, len)) {
			if (errno == ENOKEY && nokey_ok(s, path, "truncate"))
				return;
			fail("truncate %s to %lld: %s", path, len,
			     strerror(errno));
		}
		model_truncate(s, len);
		return;
	}
	fd = open_slot(s, O_RDWR, "ftruncate");
	if (fd < 0)
		return;
	if (ftruncate(fd, len))
		fail("ftruncate to %lld: %s", len, strerror(errno));
	model_truncate(s, len);
	check_size(s, fd, "ftruncate");
	if (len)
		verify(s, fd, (len - 1) & ~(BLOCK - 1), 2 * BLOCK,
		       "ftruncate read-back");
	close(fd);
}

static void op_read(struct slot *s, bool all, int fd)
{
	long long off = all ? 0 : pick_pos(s, MAXSZ);
	long long len = all ? MAXSZ + 1 : pick_len();
	bool own = fd < 0;

	op_begin("%s%s f%d%s of %s: %lld at %lld (size %lld)",
		 own ? "" : "held ", all ? "readall" : "pread", s->n,
		 s->alt ? ".r" : "", sets[s->set].dir, len, off, s->size);
	if (own)
		fd = open_slot(s, O_RDONLY, "read");
	if (fd < 0)
		return;
	check_size(s, fd, "read");
	verify(s, fd, off, len, all ? "readall" : "pread");
	if (own)
		close(fd);
}

static void drop_held(void)
{
	if (held_fd >= 0)
		close(held_fd);
	held_fd = -1;
	held = NULL;
}

/* Through the held descriptor, opened now if it is not: @s is locked. */
static void op_held(struct slot *s, bool write)
{
	if (held_fd >= 0 && held_gen != s->gen)
		drop_held();	/* its file was unlinked */
	if (held_fd < 0) {
		op_begin("held open f%d%s of %s (size %lld)", s->n,
			 s->alt ? ".r" : "", sets[s->set].dir, s->size);
		held_fd = open_slot(s, O_RDWR, "held open");
		if (held_fd < 0)
			return;
		held = s;
		held_gen = s->gen;
	}
	if (write)
		op_pwrite(s, false, held_fd);
	else
		op_read(s, false, held_fd);
}

static void op_rename(struct slot *s)
{
	char from[PATH_LEN], to[PATH_LEN];

	name_of(s, false, s->alt, from);
	name_of(s, false, !s->alt, to);
	op_begin("rename %s -> %s", from, to);
	if (rename(from, to))
		fail("rename %s -> %s: %s", from, to, strerror(errno));
	s->alt = !s->alt;
}

static void op_recreate(struct slot *s)
{
	long long len = rnd(3) ? pick_len() : 0;
	char path[PATH_LEN];
	int fd;

	name_of(s, false, s->alt, path);
	op_begin("recreate %s with %lld bytes (was %lld)", path, len, s->size);
	if (unlink(path))
		fail("unlink %s: %s", path, strerror(errno));
	model_truncate(s, 0);
	s->gen++;
	fd = open_slot(s, O_RDWR | O_CREAT | O_EXCL, "recreate");
	if (fd < 0)
		fail("recreate %s: ENOKEY for a new file", path);
	if (len)
		do_write(s, fd, 0, len, false, "recreate");
	check_size(s, fd, "recreate");
	close(fd);
}

/*
 * A read without the file's lock, racing whatever the others do to it:
 * the contents cannot be checked, but the read must not fail (a torn
 * block would fail authentication: EIO) nor go past what the file can
 * hold. The name may be gone (renamed, re-created) by the time it is
 * opened; ENOKEY cannot be checked against the header here, only counted.
 */
static void op_racy(struct slot *s)
{
	long long off = pick_pos(s, MAXSZ), len = pick_len();
	char path[PATH_LEN];
	struct stat st;
	ssize_t got;
	int fd;

	name_of(s, false, s->alt, path);
	op_begin("unlocked pread %s: %lld at %lld", path, len, off);
	fd = open(path, O_RDONLY);
	if (fd < 0 && errno == ENOENT)
		return;
	if (fd < 0 && errno == ENOKEY && sets[s->set].enc && have_nokey_id) {
		sh->cnt[me].nokey++;
		sh->cnt[me].racy_nokey++;
		return;
	}
	if (fd < 0)
		fail("unlocked open %s: %s", path, strerror(errno));
	got = pread(fd, rbuf, len, off);
	if (got < 0 || got > len || off + got > MAXSZ)
		fail("unlocked pread %lld at %lld of %s: %zd (%s)", len, off,
		     path, got, got < 0 ? strerror(errno) : "too long");
	if (fstat(fd, &st) || st.st_size < 0 || st.st_size > MAXSZ)
		fail("unlocked fstat of %s: size %lld (%s)", path,
		     (long long)st.st_size, strerror(errno));
	close(fd);
}

static void one_op(void)
{
	struct slot *s = &sh->slot[rnd(nslots)];
	int w = 0, i, k;
	bool rd;

	for (i = 0; i < NKINDS; i++)
		w += kind_weight[i];
	w = rnd(w);
	for (k = 0; w >= kind_weight[k]; k++)
		w -= kind_weight[k];
	if (k == K_HELDREAD || k == K_HELDWRITE) {
		/* Mostly the file already held, sometimes another. */
		if (held && rnd(8))
			s = held;
		else if (held != s)
			drop_held();
	}
	if (k == K_RACY) {
		opno++;
		op_racy(s);
		sh->cnt[me].ops[k]++;
		sh->cnt[me].enc += sets[s->set].enc;
		return;
	}
	rd = k == K_READ || k == K_READALL || k == K_HELDREAD;
	if (rd ? pthread_rwlock_rdlock(&s->lock) :
		 pthread_rwlock_wrlock(&s->lock))
		fail("cannot lock a file's model");
	opno++;
	switch (k) {
	case K_PWRITE:
	case K_FSYNC:
		op_pwrite(s, k == K_FSYNC, -1);
		break;
	case K_APPEND:
		op_append(s);
		break;
	case K_FTRUNCATE:
	case K_TRUNCATE:
		op_truncate(s, k == K_TRUNCATE);
		break;
	case K_READ:
	case K_READALL:
		op_read(s, k == K_READALL, -1);
		break;
	case K_HELDREAD:
	case K_HELDWRITE:
		op_held(s, k == K_HELDWRITE);
		break;
	case K_RACY:
		break;
	case K_RENAME:
		op_rename(s);
		break;
	case K_RECREATE:
		op_recreate(s);
		break;
	}
	/*
	 * -X: a byte of the model changed behind the file's back, after one
	 * write in four, so that a later write rarely hides them all.
	 */
	if (selftest && !rd && s->size && !rnd(4))
		s->data[rnd(s->size)] ^= 0x55;
	pthread_rwlock_unlock(&s->lock);
	sh->cnt[me].ops[k]++;
	sh->cnt[me].enc += sets[s->set].enc;
}

static void worker(int n)
{
	me = n;
	rng = seed * 1000003 + n + 1;
	while (!sh->stop && !sh->failed)
		one_op();
	snprintf(sh->doing[me], LOG_LEN, "done");
	exit(0);
}

/* Fresh files with random contents, before the workers start. */
static void setup(void)
{
	char path[PATH_LEN];
	struct slot *s;
	int i, fd;

	rng = seed;
	for (i = 0; i < nslots; i++) {
		s = &sh->slot[i];
		name_of(s, false, 1, path);
		if (unlink(path) && errno != ENOENT)
			die("unlink %s: %s", path, strerror(errno));
		name_of(s, false, 0, path);
		if (unlink(path) && errno != ENOENT)
			die("unlink %s: %s", path, strerror(errno));
		fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			die("create %s: %s", path, strerror(errno));
		s->size = rnd(MAXSZ);
		fill(s->data, s->size);
		if (write(fd, s->data, s->size) != s->size)
			die("write %s: %s", path, strerror(errno));
		close(fd);
	}
}

/* Every file whole against its model; its other name must not exist. */
static void final_check(void)
{
	char path[PATH_LEN];
	struct slot *s;
	int i, fd;

	for (i = 0; i < nslots; i++) {
		s = &sh->slot[i];
		name_of(s, false, !s->alt, path);
		if (!access(path, F_OK) || errno != ENOENT)
			fail("final: %s exists (or: %s), its file has the other name",
			     path, strerror(errno));
		op_begin("final read of f%d%s of %s (size %lld)", s->n,
			 s->alt ? ".r" : "", sets[s->set].dir, s->size);
		fd = open_slot(s, O_RDONLY, "final read");
		if (fd < 0)
			continue;
		check_size(s, fd, "final");
		verify(s, fd, 0, MAXSZ + 1, "final read");
		close(fd);
	}
}

static void write_models(void)
{
	char path[PATH_LEN], model[PATH_LEN];
	struct slot *s;
	FILE *man;
	int i, fd;

	snprintf(path, sizeof(path), "%s/manifest", outdir);
	man = fopen(path, "w");
	if (!man)
		die("%s: %s", path, strerror(errno));
	for (i = 0; i < nslots; i++) {
		s = &sh->slot[i];
		snprintf(model, sizeof(model), "%s/%d.%d", outdir, s->set,
			 s->n);
		fd = open(model, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, s->data, s->size) != s->size ||
		    close(fd))
			die("%s: %s", model, strerror(errno));
		name_of(s, false, s->alt, path);
		fprintf(man, "%s %s %s\n", sets[s->set].enc ? "enc" : "plain",
			path, model);
	}
	if (fclose(man))
		die("manifest: %s", strerror(errno));
}

/* A worker still running long after the deadline: what it is doing. */
static void report_stuck(pid_t *pids)
{
	char path[64], buf[4096];
	ssize_t n;
	int i, fd;

	for (i = 0; i < nprocs; i++) {
		if (!pids[i])
			continue;
		printf("ioi-stress: worker %d (pid %d) still running: %s\n", i,
		       pids[i], sh->doing[i]);
		snprintf(path, sizeof(path), "/proc/%d/stack", pids[i]);
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = 0;
			printf("%s", buf);
		}
	}
}

static long long total_nokey(void)
{
	long long n = 0;
	int i;

	for (i = 0; i <= nprocs; i++)
		n += sh->cnt[i].nokey;
	return n;
}

static void summary(double elapsed)
{
	struct counts t = {};
	long long total = 0;
	int i, k;

	for (i = 0; i < nprocs; i++) {
		for (k = 0; k < NKINDS; k++)
			t.ops[k] += sh->cnt[i].ops[k];
		t.nokey += sh->cnt[i].nokey;
		t.racy_nokey += sh->cnt[i].racy_nokey;
		t.enc += sh->cnt[i].enc;
		t.written += sh->cnt[i].written;
		t.read += sh->cnt[i].read;
	}
	for (k = 0; k < NKINDS; k++)
		total += t.ops[k];
	printf("ioi-stress: procs=%lld seconds=%.1f files=%d ops=%lld (%.0f/s, %lld on encrypted files) written=%lld read=%lld nokey=%lld (%lld unlocked)\n",
	       nprocs, elapsed, nslots, total, total / elapsed, t.enc,
	       t.written, t.read, t.nokey, t.racy_nokey);
	for (k = 0; k < NKINDS; k++)
		printf("ioi-stress: %-13s %8lld (%.0f/s)\n", kind_name[k],
		       t.ops[k], t.ops[k] / elapsed);
}

static int run(void)
{
	pid_t pids[MAX_PROCS] = {}, pid;
	double start, deadline, grace;
	int i, status, left = nprocs, rc = 0;

	setup();
	fflush(stdout);
	start = now();
	deadline = start + seconds;
	for (i = 0; i < nprocs; i++) {
		pid = fork();
		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (!pid)
			worker(i);
		pids[i] = pid;
	}
	grace = 0;
	while (left) {
		/* A worker failed: the others stop too, within the grace. */
		if (sh->failed && !sh->stop) {
			sh->stop = 1;
			grace = now() + 60 + seconds;
		}
		/* Time is up, and with -u whoever runs beside us is done. */
		if (!sh->stop && now() >= deadline &&
		    (!until || !access(until, F_OK))) {
			sh->stop = 1;
			/* Ops take long on a slow kernel, but not this long. */
			grace = now() + 60 + seconds;
		} else if (!sh->stop && now() > deadline + 600) {
			printf("ioi-stress: %s did not appear in 600 s\n", until);
			sh->failed = 1;
			sh->stop = 1;
			grace = now() + 60 + seconds;
			rc = 1;
		}
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0)
			die("waitpid: %s", strerror(errno));
		if (!pid) {
			if (sh->stop && now() > grace) {
				report_stuck(pids);
				sh->failed = 1;
				for (i = 0; i < nprocs; i++)
					if (pids[i])
						kill(pids[i], SIGKILL);
				return 1;
			}
			usleep(50000);
			continue;
		}
		for (i = 0; i < nprocs && pids[i] != pid; i++)
			;
		if (i < nprocs)
			pids[i] = 0;
		left--;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			rc = 1;
			if (!WIFEXITED(status))
				printf("ioi-stress: worker %d died (signal %d): %s\n",
				       i, WTERMSIG(status), sh->doing[i]);
		}
	}
	summary(now() - start);
	if (rc || sh->failed)
		return 1;
	me = nprocs;
	final_check();
	if (outdir)
		write_models();
	printf("ioi-stress: OK nokey=%lld (%lld in the final check)\n",
	       total_nokey(), sh->cnt[nprocs].nokey);
	return 0;
}

static long long num(const char *s, int opt, long long min, long long max)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "ioi-stress: -%c: %s is not a number from %lld to %lld\n",
			opt, s, min, max);
		usage(2);
	}
	return v;
}

static void parse_set(char *arg)
{
	struct set *st = &sets[nsets];
	char *dir, *raw;

	if (nsets == MAX_SETS)
		die("at most %d sets", MAX_SETS);
	if (!strncmp(arg, "plain:", 6)) {
		dir = arg + 6;
		raw = NULL;
	} else if (!strncmp(arg, "enc:", 4)) {
		dir = arg + 4;
		raw = strchr(dir, ':');
		if (!raw)
			die("%s: expected enc:DIR:RAWDIR", arg);
		*raw++ = 0;
		st->enc = true;
	} else {
		die("%s: a set is enc:DIR:RAWDIR or plain:DIR", arg);
	}
	if (!*dir || strlen(dir) >= sizeof(st->dir) ||
	    (raw && (!*raw || strlen(raw) >= sizeof(st->raw))))
		die("%s: bad directory", arg);
	strcpy(st->dir, dir);
	if (raw)
		strcpy(st->raw, raw);
	nsets++;
}

static void parse_key_id(const char *s)
{
	unsigned int v;
	int i;

	if (strlen(s) != 2 * KEY_ID_SIZE)
		die("-K: a key identifier is 32 hex digits");
	for (i = 0; i < KEY_ID_SIZE; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			die("-K: a key identifier is 32 hex digits");
		nokey_id[i] = v;
	}
	have_nokey_id = true;
}

int main(int argc, char **argv)
{
	pthread_rwlockattr_t attr;
	struct timespec ts;
	bool seeded = false;
	int c, i, j;

	while ((c = getopt(argc, argv, "p:t:f:s:K:o:u:Xh")) != -1) {
		switch (c) {
		case 'p':
			nprocs = num(optarg, c, 1, MAX_PROCS);
			break;
		case 't':
			seconds = num(optarg, c, 1, 86400);
			break;
		case 'f':
			nfiles = num(optarg, c, 1, MAX_FILES);
			break;
		case 's':
			seed = num(optarg, c, 0, 1LL << 62);
			seeded = true;
			break;
		case 'K':
			parse_key_id(optarg);
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 'X':
			selftest = true;
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (optind == argc)
		usage(2);
	for (; optind < argc; optind++)
		parse_set(argv[optind]);
	if (!seeded) {
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((u64)ts.tv_sec * 1000003 + ts.tv_nsec / 1000) %
		       4294967296ULL;
	}
	printf("ioi-stress: seed=%llu procs=%lld seconds=%.0f files=%lld sets=%d%s\n",
	       seed, nprocs, seconds, nfiles, nsets,
	       selftest ? " self-test" : "");

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	wbuf = malloc(MAXSZ);
	rbuf = malloc(MAXSZ + 1);
	if (sh == MAP_FAILED || !wbuf || !rbuf)
		die("out of memory");
	/* Writers first: a stream of readers must not starve them. */
	if (pthread_rwlockattr_init(&attr) ||
	    pthread_rwlockattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) ||
	    pthread_rwlockattr_setkind_np(&attr,
			PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
		die("cannot make process-shared locks");
	for (i = 0; i < nsets; i++) {
		for (j = 0; j < nfiles; j++) {
			struct slot *s = &sh->slot[nslots++];

			s->set = i;
			s->n = j;
			if (pthread_rwlock_init(&s->lock, &attr))
				die("cannot make process-shared locks");
		}
	}
	return run();
}
