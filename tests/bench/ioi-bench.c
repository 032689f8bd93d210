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
 *   ioi-bench cipher seal MIB    AES-256-GCM through AF_ALG, no module: seal
 *                                MIB MiB as the file format's 4 KiB
 *                                blocks, one sendmsg + readv each, per MiB
 *   ioi-bench cipher open MIB    the same blocks sealed first (untimed),
 *                                then opened and their tags checked
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_alg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A block as module/format.h lays it out: AAD, nonce, data, tag sizes. */
#define BLOCK	4096
#define AAD	9	/* le64 block index, 1 byte "last block" */
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
			if (alg_block(op, 1, i, i == n - 1, data, BLOCK,
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
		if (alg_block(op, 1, i, i == n - 1, data, BLOCK,
			      store + i * (BLOCK + TAG), BLOCK + TAG))
			return fail("seal");
	}
	start = now();
	for (i = 0; i < n; i++) {
		if (alg_block(op, 0, i, i == n - 1, store + i * (BLOCK + TAG),
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

	if (argc == 3 && !strcmp(argv[1], "seqread"))
		return io(argv[1], argv[2], 0);
	if (argc == 4 && !strcmp(argv[1], "hold"))
		return hold(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "cipher") && atol(argv[3]) > 0 &&
	    (!strcmp(argv[2], "seal") || !strcmp(argv[2], "open")))
		return cipher(argv[2], atol(argv[3]));
	if (argc != 4) {
		fputs("usage: ioi-bench open|stat|seqwrite|randread|randwrite PATH N\n"
		      "       ioi-bench seqread PATH\n"
		      "       ioi-bench hold PREFIX N\n"
		      "       ioi-bench cipher seal|open MIB\n", stderr);
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
