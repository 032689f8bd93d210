// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-bench: time a file operation and print the mean in nanoseconds.
 * Under qemu's -icount shift=0 a guest nanosecond is one instruction, so
 * the figure is an instruction count, repeatable to the digit (see
 * docs/performance.md).
 *
 *   ioi-bench open PATH N        open(O_RDONLY) + close, per call
 *   ioi-bench stat PATH N        stat, per call
 *   ioi-bench write PATH MIB CHUNK  write MIB MiB in CHUNK-byte writes,
 *                                then fsync and close, per MiB (*)
 *   ioi-bench read PATH CHUNK    read it all in CHUNK-byte reads, per
 *                                MiB (*)
 *   ioi-bench randread PATH N    N 4 KiB preads at random aligned
 *                                offsets, per read (*)
 *   ioi-bench randwrite PATH N   the same with pwrite, then fsync (*)
 *   ioi-bench files DIR N SIZE   create N files of SIZE bytes (then
 *                                syncfs), read them back after the caches
 *                                are dropped, delete them (then syncfs):
 *                                prints the three, per file (*)
 *   ioi-bench hold PREFIX N      open PREFIX0 .. PREFIX<N-1> and print
 *                                the growth of slab memory per file
 *   ioi-bench cipher seal MIB    AES-256-GCM through AF_ALG, no module: seal
 *                                MIB MiB as the file format's 4 KiB
 *                                blocks, one sendmsg + readv each, per MiB
 *   ioi-bench cipher open MIB    the same blocks sealed first (untimed),
 *                                then opened and their tags checked
 *   ioi-bench fscrypt DIR        make the empty directory DIR (on ext4
 *                                with -O encrypt) an fscrypt v2 directory:
 *                                AES-256-XTS contents, AES-256-CTS names,
 *                                a fixed 64-byte key added to its mount
 *   ioi-bench drop               sync, then drop the page cache, dentries
 *                                and inodes
 *
 * Every figure is a mean over the operations it times; the caller
 * repeats and takes the median. (*): two figures, "BUSY ELAPSED": the
 * elapsed time and the part of it the CPU was not idle (struct span).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fscrypt.h>
#include <linux/if_alg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MIB (1L << 20)

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Nanoseconds this CPU has been idle since boot (idle and iowait, from
 * /proc/timer_list, which keeps them to the nanosecond), or -1.
 */
static long long idle_ns(void)
{
	static char text[1 << 16];
	long long sum = 0, v;
	int found = 0;
	char line[256];
	FILE *f = fopen("/proc/timer_list", "r");

	if (!f)
		return -1;
	setvbuf(f, text, _IOFBF, sizeof(text));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " .idle_sleeptime : %lld nsecs", &v) == 1 ||
		    sscanf(line, " .iowait_sleeptime : %lld nsecs", &v) == 1) {
			sum += v;
			found = 1;
		}
	fclose(f);
	return found ? sum : -1;
}

/*
 * A timed span: elapsed time, and the part of it the CPU was not idle.
 * Under -icount the busy part is the instructions executed by everything
 * the operation set going (kernel threads, a FUSE daemon) and nothing
 * else: a wait for the disk is idle time, which -icount sleep=off turns
 * into a jump to the next timer that no instruction paid for.
 */
struct span {
	long long t, idle;
};

static void span_start(struct span *s)
{
	s->idle = idle_ns();
	s->t = now();
}

/* Prints "BUSY ELAPSED", each divided by @n. */
static void span_print(const struct span *s, long long n, const char *end)
{
	long long t = now(), idle = idle_ns(), el = t - s->t, busy = el;

	if (idle >= 0 && s->idle >= 0 && idle - s->idle <= el)
		busy = el - (idle - s->idle);
	printf("%lld %lld%s", busy / n, el / n, end);
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

static char buf[MIB];

/* Data written is 'x': every chunk read back must start with it. */
static int seq(const char *op, const char *path, long mib, long chunk)
{
	long long bytes = 0;
	struct span sp;
	long i, n = mib * (MIB / chunk);
	ssize_t r;
	int fd;

	if (chunk <= 0 || chunk > MIB || MIB % chunk)
		return 2;
	memset(buf, 'x', sizeof(buf));
	if (!strcmp(op, "write")) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			return fail(path);
		span_start(&sp);
		for (i = 0; i < n; i++)
			if (write(fd, buf, chunk) != chunk)
				return fail("write");
		if (fsync(fd))
			return fail("fsync");
		if (close(fd))
			return fail("close");
		span_print(&sp, mib, "\n");
		return 0;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail(path);
	span_start(&sp);
	while ((r = read(fd, buf, chunk)) > 0) {
		if (buf[0] != 'x') {
			fprintf(stderr, "%s: wrong data at %lld\n", path, bytes);
			return 1;
		}
		buf[0] = 0;
		bytes += r;
	}
	if (r < 0)
		return fail("read");
	if (bytes < MIB || bytes % MIB) {
		fprintf(stderr, "%s: %lld bytes, less than a MiB\n", path, bytes);
		return 1;
	}
	span_print(&sp, bytes / MIB, "\n");
	return close(fd) ? fail("close") : 0;
}

static int rand_io(const char *op, const char *path, long n)
{
	unsigned long x = 1;
	struct span sp;
	struct stat st;
	long i, blocks;
	ssize_t r;
	int fd, writing = !strcmp(op, "randwrite");

	memset(buf, 'x', sizeof(buf));
	fd = open(path, writing ? O_RDWR : O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return fail(path);
	blocks = st.st_size / 4096;
	if (!blocks)
		return fail("empty file");
	span_start(&sp);
	for (i = 0; i < n; i++) {
		off_t off = (off_t)(next(&x) % blocks) * 4096;

		r = writing ? pwrite(fd, buf, 4096, off) :
			      pread(fd, buf, 4096, off);
		if (r != 4096)
			return fail(op);
	}
	if (writing && fsync(fd))
		return fail("fsync");
	span_print(&sp, n, "\n");
	return close(fd) ? fail("close") : 0;
}

static int drop(void)
{
	int fd;

	sync();
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0 || write(fd, "3", 1) != 1)
		return fail("/proc/sys/vm/drop_caches");
	return close(fd) ? fail("close") : 0;
}

static int files(const char *dir, long n, long size)
{
	struct span sp;
	char path[4096];
	int fd, dfd;
	long i;

	if (size <= 0 || size > MIB)
		return 2;
	memset(buf, 'x', sizeof(buf));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return fail(dir);
	span_start(&sp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0)
			return fail(path);
		if (write(fd, buf, size) != size)
			return fail("write");
		if (close(fd))
			return fail("close");
	}
	if (syncfs(dfd))
		return fail("syncfs");
	span_print(&sp, n, " ");
	if (drop())
		return 1;
	span_start(&sp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			return fail(path);
		buf[0] = 0;
		if (read(fd, buf, size + 1) != size || buf[0] != 'x') {
			fprintf(stderr, "%s: wrong size or data\n", path);
			return 1;
		}
		close(fd);
	}
	span_print(&sp, n, " ");
	span_start(&sp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		if (unlink(path))
			return fail(path);
	}
	if (syncfs(dfd))
		return fail("syncfs");
	span_print(&sp, n, "\n");
	return close(dfd) ? fail("close") : 0;
}

/*
 * fscrypt v2 on DIR: add a master key to DIR's filesystem, then set the
 * policy on DIR, which must be empty. The key stays until the filesystem
 * is unmounted (or FS_IOC_REMOVE_ENCRYPTION_KEY).
 */
static int fscrypt(const char *dir)
{
	struct {
		struct fscrypt_add_key_arg arg;
		unsigned char raw[64];
	} k;
	struct fscrypt_policy_v2 pol;
	int fd, i;

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fail(dir);
	memset(&k, 0, sizeof(k));
	k.arg.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	k.arg.raw_size = sizeof(k.raw);
	for (i = 0; i < 64; i++)
		k.raw[i] = i;
	if (ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, &k))
		return fail("FS_IOC_ADD_ENCRYPTION_KEY");
	memset(&pol, 0, sizeof(pol));
	pol.version = FSCRYPT_POLICY_V2;
	pol.contents_encryption_mode = FSCRYPT_MODE_AES_256_XTS;
	pol.filenames_encryption_mode = FSCRYPT_MODE_AES_256_CTS;
	pol.flags = FSCRYPT_POLICY_FLAGS_PAD_32;
	memcpy(pol.master_key_identifier, k.arg.key_spec.u.identifier,
	       FSCRYPT_KEY_IDENTIFIER_SIZE);
	if (ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, &pol))
		return fail("FS_IOC_SET_ENCRYPTION_POLICY");
	return close(fd) ? fail("close") : 0;
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

/* A block as module/format.h lays it out: AAD, nonce, data, tag sizes. */
#define BLOCK	4096
#define AAD	9	/* le64 block index, 0 (1: the end record, not sealed here) */
#define NONCE	12
#define TAG	16

/*
 * One GCM operation on block @index through the AF_ALG operation socket
 * @op: @in (@inlen bytes: data, or data and tag) goes in with sendmsg,
 * and the result (data and tag, or data) is read into @out, @outlen bytes.
 * Returns 0, or -1 with errno set.
 */
static int alg_block(int op, int enc, long index, int last, const char *in,
		     size_t inlen, char *out, size_t outlen)
{
	union {
		char buf[CMSG_SPACE(4) + CMSG_SPACE(4 + NONCE) +
			 CMSG_SPACE(4)];
		struct cmsghdr align;
	} c;
	unsigned char aad[AAD], aad_out[AAD];
	struct iovec iov[2] = {
		{ .iov_base = aad, .iov_len = AAD },
		{ .iov_base = (char *)in, .iov_len = inlen },
	};
	struct msghdr msg = {
		.msg_iov = iov,
		.msg_iovlen = 2,
		.msg_control = c.buf,
		.msg_controllen = sizeof(c.buf),
	};
	struct af_alg_iv *iv;
	struct cmsghdr *cm;
	unsigned int v;
	ssize_t r;
	int i;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < 8; i++)
		aad[i] = (unsigned long)index >> (8 * i);
	aad[8] = last;

	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = ALG_SET_OP;
	cm->cmsg_len = CMSG_LEN(4);
	v = enc ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
	memcpy(CMSG_DATA(cm), &v, 4);

	/* A fixed nonce per block: the same run every time. */
	cm = CMSG_NXTHDR(&msg, cm);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = ALG_SET_IV;
	cm->cmsg_len = CMSG_LEN(4 + NONCE);
	iv = (struct af_alg_iv *)CMSG_DATA(cm);
	iv->ivlen = NONCE;
	memcpy(iv->iv, aad, 8);
	memset(iv->iv + 8, 0xa5, NONCE - 8);

	cm = CMSG_NXTHDR(&msg, cm);
	cm->cmsg_level = SOL_ALG;
	cm->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
	cm->cmsg_len = CMSG_LEN(4);
	v = AAD;
	memcpy(CMSG_DATA(cm), &v, 4);

	r = sendmsg(op, &msg, 0);
	if (r < 0)
		return -1;
	if ((size_t)r != AAD + inlen) {
		fprintf(stderr, "sendmsg: %zd of %zu bytes\n", r, AAD + inlen);
		errno = EIO;
		return -1;
	}
	/* The output starts with a copy of the AAD. */
	iov[0].iov_base = aad_out;
	iov[1].iov_base = out;
	iov[1].iov_len = outlen;
	r = readv(op, iov, 2);
	if (r < 0)
		return -1;
	if ((size_t)r != AAD + outlen) {
		fprintf(stderr, "readv: %zd of %zu bytes\n", r, AAD + outlen);
		errno = EIO;
		return -1;
	}
	return 0;
}

static int cipher(const char *what, long mib)
{
	static const struct sockaddr_alg sa = {
		.salg_family = AF_ALG,
		.salg_type = "aead",
		.salg_name = "gcm(aes)",
	};
	static char data[BLOCK], sealed[BLOCK + TAG];
	long i, n = mib * (MIB / BLOCK);
	int tfm, op, opening = !strcmp(what, "open");
	unsigned char key[32];
	long long start;
	char *store;

	if (!opening && strcmp(what, "seal"))
		return 2;
	for (i = 0; i < 32; i++)
		key[i] = i;
	memset(data, 'x', sizeof(data));
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		return fail("socket(AF_ALG)");
	if (bind(tfm, (const struct sockaddr *)&sa, sizeof(sa)))
		return fail("bind(aead, gcm(aes))");
	if (setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, sizeof(key)))
		return fail("ALG_SET_KEY");
	if (setsockopt(tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, TAG))
		return fail("ALG_SET_AEAD_AUTHSIZE");
	op = accept(tfm, NULL, NULL);
	if (op < 0)
		return fail("accept(AF_ALG)");

	if (!opening) {
		start = now();
		for (i = 0; i < n; i++)
			if (alg_block(op, 1, i, 0, data, BLOCK,
				      sealed, sizeof(sealed)))
				return fail("seal");
		printf("%lld\n", (now() - start) / mib);
		return 0;
	}

	/* Seal every block once, untimed, then time opening them. */
	store = malloc(n * (BLOCK + TAG));
	if (!store)
		return fail("malloc");
	for (i = 0; i < n; i++) {
		memcpy(data, &i, sizeof(i));
		if (alg_block(op, 1, i, 0, data, BLOCK,
			      store + i * (BLOCK + TAG), BLOCK + TAG))
			return fail("seal");
	}
	start = now();
	for (i = 0; i < n; i++) {
		if (alg_block(op, 0, i, 0, store + i * (BLOCK + TAG),
			      BLOCK + TAG, data, BLOCK)) {
			if (errno == EBADMSG)
				fprintf(stderr, "block %ld: tag does not verify\n", i);
			return fail("open");
		}
	}
	printf("%lld\n", (now() - start) / mib);
	/* The last block opened must be the last block sealed. */
	i = n - 1;
	if (memcmp(data, &i, sizeof(i)) || data[sizeof(i)] != 'x' ||
	    data[BLOCK - 1] != 'x') {
		fputs("open: wrong plaintext\n", stderr);
		return 1;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	long long start, end;
	struct stat st;
	long i, n;
	int fd;

	if (argc == 5 && !strcmp(argv[1], "write"))
		return seq("write", argv[2], atol(argv[3]), atol(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "read"))
		return seq("read", argv[2], 0, atol(argv[3]));
	if (argc == 4 && (!strcmp(argv[1], "randread") ||
			  !strcmp(argv[1], "randwrite")) && atol(argv[3]) > 0)
		return rand_io(argv[1], argv[2], atol(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "files") && atol(argv[3]) > 0)
		return files(argv[2], atol(argv[3]), atol(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "fscrypt"))
		return fscrypt(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "drop"))
		return drop();
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "cipher") && atol(argv[3]) > 0 &&
	    (!strcmp(argv[2], "seal") || !strcmp(argv[2], "open")))
		return cipher(argv[2], atol(argv[3]));
	if (argc != 4 || (strcmp(argv[1], "open") && strcmp(argv[1], "stat"))) {
		fputs("usage: ioi-bench open|stat PATH N\n"
		      "       ioi-bench write PATH MIB CHUNK\n"
		      "       ioi-bench read PATH CHUNK\n"
		      "       ioi-bench randread|randwrite PATH N\n"
		      "       ioi-bench files DIR N SIZE\n"
		      "       ioi-bench hold PREFIX N\n"
		      "       ioi-bench cipher seal|open MIB\n"
		      "       ioi-bench fscrypt DIR\n"
		      "       ioi-bench drop\n", stderr);
		return 2;
	}
	n = atol(argv[3]);
	if (n <= 0)
		return 2;
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
