// SPDX-License-Identifier: GPL-2.0
/*
 * Whole encrypted files over stdio streams. A file ends with a 28-byte end
 * record after its last block, and a pipe has no size to tell where the
 * blocks stop, so decryption reads 28 bytes ahead: a block is whole when
 * 28 bytes follow it, and the last 28 bytes of the stream are the end
 * record.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypt.h"
#include "util.h"

static const char truncated[] =
	"truncated block (29 bytes or more expected, nonce and tag included)";

static int fail(struct ioi_crypt_status *st, int err,
		enum ioi_crypt_where where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct ioi_crypt_status *st, int err,
		enum ioi_crypt_where where, const char *fmt, ...)
{
	va_list ap;

	st->err = err;
	st->where = where;
	va_start(ap, fmt);
	vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int fail_block(struct ioi_crypt_status *st, int err, uint64_t index,
		      const char *what)
{
	st->has_block = true;
	st->block = index;
	st->offset = ioi_fmt_block_offset(index);
	return fail(st, err, IOI_CRYPT_IN, "block %llu at offset %llu: %s",
		    (unsigned long long)index,
		    (unsigned long long)st->offset, what);
}

/*
 * Read up to @len bytes; fewer only at the end of @f. Returns -1 and fills
 * @st on a read error.
 */
static int read_full(FILE *f, uint8_t *buf, size_t len, size_t *got,
		     struct ioi_crypt_status *st)
{
	errno = 0;
	*got = fread(buf, 1, len, f);
	if (ferror(f)) {
		/* EISDIR for a directory; stdio does not always set errno. */
		int e = errno ? errno : EIO;

		return fail(st, -e, IOI_CRYPT_IN, "read error: %s",
			    strerror(e));
	}
	return 0;
}

static int write_all(FILE *f, const uint8_t *buf, size_t len,
		     struct ioi_crypt_status *st)
{
	errno = 0;
	if (fwrite(buf, 1, len, f) == len)
		return 0;
	return fail(st, errno ? -errno : -EIO, IOI_CRYPT_OUT,
		    "write error: %s", strerror(errno ? errno : EIO));
}

static int fmt_fail(struct ioi_crypt_status *st, int err)
{
	return fail(st, err, IOI_CRYPT_IN, "%s", ioi_fmt_strerror(err));
}

int ioi_crypt_encrypt(FILE *in, FILE *out, const struct ioi_fmt_master *m,
		      const struct ioi_fmt_rand *rand,
		      struct ioi_crypt_status *st)
{
	uint8_t plain[IOI_FMT_BLOCK_SIZE], sealed[IOI_FMT_SEALED_SIZE];
	uint8_t header[IOI_FMT_HEADER_SIZE], end[IOI_FMT_END_SIZE];
	struct ioi_fmt_file f;
	uint64_t index, size = 0;
	size_t n;
	int ret, err;

	memset(st, 0, sizeof(*st));
	ret = read_full(in, plain, IOI_FMT_BLOCK_SIZE, &n, st);
	/* No data, no header: an empty file stays empty. */
	if (ret || !n)
		goto out;

	err = ioi_fmt_file_create(&f, m, rand, header);
	if (err) {
		ret = fail(st, err, IOI_CRYPT_OUT, "%s", ioi_fmt_strerror(err));
		goto out;
	}
	ret = write_all(out, header, sizeof(header), st);
	for (index = 0; !ret && n; index++) {
		err = ioi_fmt_seal(&f, index, plain, n, sealed);
		if (err) {
			ret = fail(st, err, IOI_CRYPT_OUT, "%s",
				   ioi_fmt_strerror(err));
			break;
		}
		size += n;
		ret = write_all(out, sealed, n + IOI_FMT_OVERHEAD, st);
		if (!ret && n == IOI_FMT_BLOCK_SIZE)
			ret = read_full(in, plain, IOI_FMT_BLOCK_SIZE, &n, st);
		else
			n = 0;
	}
	/* Then the proof that the file ends here. */
	if (!ret) {
		err = ioi_fmt_end_seal(&f, size, end);
		ret = err ? fail(st, err, IOI_CRYPT_OUT, "%s",
				 ioi_fmt_strerror(err)) :
			    write_all(out, end, sizeof(end), st);
	}
	ioi_fmt_file_free(&f);
out:
	OPENSSL_cleanse(plain, sizeof(plain));
	return ret;
}

/* The header of @in: 0 when it was read and is valid. */
static int read_header(FILE *in, uint8_t raw[IOI_FMT_HEADER_SIZE],
		       struct ioi_crypt_status *st)
{
	size_t n;
	int err;

	if (read_full(in, raw, IOI_FMT_HEADER_SIZE, &n, st))
		return -1;
	st->lower_size = n;
	if (!n)
		return 0;
	err = ioi_fmt_header_parse(&st->header, raw, n, st->msg,
				   sizeof(st->msg));
	st->has_header = n == IOI_FMT_HEADER_SIZE &&
			 !memcmp(raw, IOI_FMT_MAGIC, IOI_FMT_MAGIC_SIZE);
	if (err) {
		st->err = err;
		st->where = IOI_CRYPT_IN;
		return -1;
	}
	return 0;
}

static int open_file(struct ioi_fmt_file *f, const struct ioi_fmt_master *m,
		     const uint8_t raw[IOI_FMT_HEADER_SIZE],
		     struct ioi_crypt_status *st)
{
	char theirs[2 * IOI_FMT_KEY_ID_SIZE + 1];
	char ours[2 * IOI_FMT_KEY_ID_SIZE + 1];
	int err;

	err = ioi_fmt_file_open(f, m, &st->header, raw);
	if (err != IOI_FMT_E_WRONG_KEY)
		return err ? fmt_fail(st, err) : 0;
	ioi_hex(theirs, st->header.key_id, sizeof(st->header.key_id));
	ioi_hex(ours, m->key_id, sizeof(m->key_id));
	return fail(st, err, IOI_CRYPT_IN,
		    "wrong key: the file's key id is %s, the key's is %s",
		    theirs, ours);
}

/* Count the rest of @in, or fail with @st filled. */
static int skip_rest(FILE *in, struct ioi_crypt_status *st)
{
	uint8_t buf[IOI_FMT_SEALED_SIZE];
	size_t n;

	do {
		if (read_full(in, buf, sizeof(buf), &n, st))
			return -1;
		st->lower_size += n;
	} while (n == sizeof(buf));
	return 0;
}

/*
 * Block @index failed to verify: without @bad, that ends it (-1, @st says
 * why); with @bad, @st keeps the first such block, @bad hears of this one,
 * and 0 says to go on.
 */
static int block_failed(struct ioi_crypt_status *st, int err, uint64_t index,
			const char *why, ioi_crypt_bad_fn bad, void *arg)
{
	if (!bad || !st->bad_blocks)
		fail_block(st, err, index, why);
	if (!bad)
		return -1;
	st->bad_blocks++;
	if (bad(arg, index, ioi_fmt_block_offset(index), why))
		return fail(st, -ENOMEM, IOI_CRYPT_IN, "out of memory");
	return 0;
}

/*
 * The end record @rec of a file of @size bytes of plaintext, after its
 * blocks were opened: @st records the outcome, and a failure is the
 * file's error unless a block failed first (with @bad).
 */
static int end_check(struct ioi_fmt_file *f, uint64_t size,
		     const uint8_t rec[IOI_FMT_END_SIZE],
		     struct ioi_crypt_status *st)
{
	int err;

	st->end_checked = true;
	err = ioi_fmt_end_open(f, size, rec);
	st->end_ok = !err;
	if (!err)
		return 0;
	if (st->bad_blocks)
		return -1;
	return fail(st, err, IOI_CRYPT_IN, "end record at offset %llu: %s",
		    (unsigned long long)(st->lower_size - IOI_FMT_END_SIZE),
		    ioi_fmt_strerror(err));
}

/*
 * Open every block of @in after the header and write it to @out, then
 * check the end record; with @bad, go on past the blocks that fail (see
 * ioi_crypt_verify()).
 */
static int open_blocks(FILE *in, FILE *out, struct ioi_fmt_file *f,
		       ioi_crypt_bad_fn bad, void *arg,
		       struct ioi_crypt_status *st)
{
	/* A block and the 28 bytes after it, which make it a whole one. */
	uint8_t buf[IOI_FMT_SEALED_SIZE + IOI_FMT_END_SIZE];
	uint8_t plain[IOI_FMT_BLOCK_SIZE];
	uint64_t index, size = 0;
	size_t have = 0, n, len;
	int ret = 0, err;

	for (index = 0; ; index++) {
		if (read_full(in, buf + have, sizeof(buf) - have, &n, st)) {
			ret = -1;
			break;
		}
		st->lower_size += n;
		have += n;
		if (!index && !have)
			break;	/* a header alone: an empty file */
		if (index && have == IOI_FMT_END_SIZE) {
			ret = end_check(f, size, buf, st);
			break;
		}
		if (have <= IOI_FMT_END_SIZE + IOI_FMT_OVERHEAD) {
			/* No room for a byte of data and the end record. */
			ret = block_failed(st, IOI_FMT_E_TRUNCATED_BLOCK, index,
					   truncated, bad, arg);
			break;
		}
		/* Whole, or the last block: all but the end record. */
		len = have == sizeof(buf) ? IOI_FMT_SEALED_SIZE :
					    have - IOI_FMT_END_SIZE;
		err = ioi_fmt_open(f, index, buf, len, plain);
		if (err)
			ret = block_failed(st, err, index,
					   ioi_fmt_strerror(err), bad, arg);
		else if (out)
			ret = write_all(out, plain, len - IOI_FMT_OVERHEAD, st);
		if (ret)
			break;
		size += len - IOI_FMT_OVERHEAD;
		have -= len;
		memmove(buf, buf + len, have);
	}
	OPENSSL_cleanse(plain, sizeof(plain));
	return ret ?: (st->bad_blocks ? -1 : 0);
}

int ioi_crypt_open(FILE *in, const struct ioi_fmt_master *m,
		   struct ioi_fmt_file *f, struct ioi_crypt_status *st)
{
	uint8_t raw[IOI_FMT_HEADER_SIZE];

	memset(st, 0, sizeof(*st));
	if (read_header(in, raw, st))
		return -1;
	return m && st->lower_size ? open_file(f, m, raw, st) : 0;
}

static int decrypt(FILE *in, FILE *out, const struct ioi_fmt_master *m,
		   ioi_crypt_bad_fn bad, void *arg,
		   struct ioi_crypt_status *st)
{
	struct ioi_fmt_file f;
	int ret, err;

	ret = ioi_crypt_open(in, m, &f, st);
	if (!ret && m && st->lower_size) {
		ret = open_blocks(in, out, &f, bad, arg, st);
		ioi_fmt_file_free(&f);
	}
	/*
	 * A read error ends it; so does any error when decrypting. When only
	 * checking, the sizes of a bad file are still worth showing.
	 */
	if (ret && (st->err < 0 || out))
		return ret;
	if (skip_rest(in, st))
		return -1;
	/* Sizes of a file that is something else mean nothing. */
	if (ret && st->err == IOI_FMT_E_MAGIC)
		return ret;

	err = ioi_fmt_plain_size(st->lower_size, &st->plain_size, &st->blocks);
	st->sizes_valid = !err;
	st->has_end = !err && st->plain_size;
	if (st->has_end)
		st->end_offset = st->lower_size - IOI_FMT_END_SIZE;
	if (ret)
		return ret;
	if (err == IOI_FMT_E_TRUNCATED_BLOCK)
		return fail_block(st, err, st->blocks - 1, truncated);
	return err ? fmt_fail(st, err) : 0;
}

int ioi_crypt_decrypt(FILE *in, FILE *out, const struct ioi_fmt_master *m,
		      struct ioi_crypt_status *st)
{
	return decrypt(in, out, m, NULL, NULL, st);
}

int ioi_crypt_verify(FILE *in, const struct ioi_fmt_master *m,
		     ioi_crypt_bad_fn bad, void *arg,
		     struct ioi_crypt_status *st)
{
	return decrypt(in, NULL, m, bad, arg, st);
}

const char *ioi_crypt_in_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

const char *ioi_crypt_out_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdout>";
}
