/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whole encrypted files over stdio streams (crypt.c), one block at a time
 * so a file of any size takes a few pages of memory, and what encrypt and
 * decrypt share as subcommands (crypt_cmd.c).
 */
#ifndef IOI_CTL_CRYPT_H
#define IOI_CTL_CRYPT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "format.h"

/* Which stream an error is about. */
enum ioi_crypt_where {
	IOI_CRYPT_IN,
	IOI_CRYPT_OUT,
};

/* The outcome of ioi_crypt_encrypt() or ioi_crypt_decrypt(). */
struct ioi_crypt_status {
	/* On failure: an enum ioi_fmt_err, or -errno for an I/O error. */
	int err;
	enum ioi_crypt_where where;
	bool has_block;		/* the error is about block @block */
	uint64_t block;
	uint64_t offset;	/* of @block in the encrypted file */
	char msg[192];		/* the problem, without the file's name */
	/* ioi_crypt_verify(): blocks that did not verify; @block is the first */
	uint64_t bad_blocks;

	/* What ioi_crypt_decrypt() read of the encrypted file. */
	uint64_t lower_size;
	bool has_header;	/* @header holds 80 bytes with the magic */
	struct ioi_fmt_header header;
	bool sizes_valid;	/* @lower_size is a possible size */
	uint64_t blocks;
	uint64_t plain_size;
	bool has_end;		/* the size says there is an end record */
	uint64_t end_offset;	/* ... at this offset */
	bool end_checked;	/* with a key, every block was read ... */
	bool end_ok;		/* ... and the end record verified */
};

/*
 * Encrypt all of @in into @out under @m, with nonces from @rand. An empty
 * @in gives an empty @out (no header). Returns 0, or -1 with @st saying
 * why. @out is not flushed.
 */
int ioi_crypt_encrypt(FILE *in, FILE *out, const struct ioi_fmt_master *m,
		      const struct ioi_fmt_rand *rand,
		      struct ioi_crypt_status *st);

/*
 * Check all of the encrypted @in and, block by verified block, write its
 * plaintext to @out (NULL: only check); the end record is checked last,
 * after the last block was written, so @out is only good when this
 * returns 0. Without @m (and then without @out), only the header and the
 * size are checked. Returns 0, or -1 with @st saying why; @st's sizes and
 * header are filled as far as @in was read, which is to its end unless
 * reading failed or a block did not verify.
 */
int ioi_crypt_decrypt(FILE *in, FILE *out, const struct ioi_fmt_master *m,
		      struct ioi_crypt_status *st);

/*
 * Read the header of @in and, with @m, open the file with it into @f
 * (ioi_fmt_file_free() when done). Returns 0, or -1 with @st saying why (a
 * bad header, or a wrong key named by both identifiers). @st->lower_size
 * is what was read: 0 for an empty file, which has no header and is not
 * opened.
 */
int ioi_crypt_open(FILE *in, const struct ioi_fmt_master *m,
		   struct ioi_fmt_file *f, struct ioi_crypt_status *st);

/*
 * Called by ioi_crypt_verify() for each block that does not verify, in
 * order: its index, its offset in the encrypted file and why (a string
 * constant). Returns 0 to go on, -1 to stop (out of memory).
 */
typedef int (*ioi_crypt_bad_fn)(void *arg, uint64_t block, uint64_t offset,
				const char *why);

/*
 * ioi_crypt_decrypt(@in, NULL, @m, @st) that does not stop at a block
 * that fails to verify: @bad hears of each, and checking goes on with the
 * next, to the end of @in, and the end record (@st->end_checked,
 * @st->end_ok). Returns 0, or -1 with @st saying why; when blocks failed,
 * @st describes the first and counts them in @st->bad_blocks, else the end
 * record's failure. A failure of the header or the key stops it as before.
 */
int ioi_crypt_verify(FILE *in, const struct ioi_fmt_master *m,
		     ioi_crypt_bad_fn bad, void *arg,
		     struct ioi_crypt_status *st);

/* "-" is standard input or output; these are the names to show then. */
const char *ioi_crypt_in_name(const char *path);
const char *ioi_crypt_out_name(const char *path);

typedef int (*ioi_crypt_fn)(FILE *in, FILE *out,
			    const struct ioi_fmt_master *m,
			    struct ioi_crypt_status *st);

/*
 * The whole of `ioctl-cli encrypt|decrypt --key KEYFILE IN OUT`: options,
 * key file, @fn from IN to a temporary file, renamed over OUT only if @fn
 * succeeded. Returns an IOI_EXIT_* code.
 */
int ioi_crypt_cmd(int argc, char *argv[], void (*help)(FILE *f),
		  ioi_crypt_fn fn);

#endif /* IOI_CTL_CRYPT_H */
