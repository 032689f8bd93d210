/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The on-disk format of encrypted files, version 2 (docs/format.md), with
 * libcrypto: the header, the size arithmetic, the key derivations, the
 * sealing and opening of one block and of the end record. No file I/O
 * here (crypt.c streams whole files), so every piece can be checked on its
 * own against the spec and the known-answer vector.
 *
 * Functions that can fail return 0 or an enum ioi_fmt_err.
 */
#ifndef IOI_CTL_FORMAT_H
#define IOI_CTL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOI_FMT_MAGIC		"IOIE"
#define IOI_FMT_MAGIC_SIZE	4
#define IOI_FMT_VERSION		2
#define IOI_FMT_SUITE		1	/* AES-256-GCM, HKDF-SHA-256 */
#define IOI_FMT_BLOCK_SHIFT	12
#define IOI_FMT_FLAGS		0

#define IOI_FMT_HEADER_SIZE	80
#define IOI_FMT_AUTH_SIZE	64	/* header bytes under the header tag */
#define IOI_FMT_KEY_SIZE	32	/* master key and file key */
#define IOI_FMT_KEY_ID_SIZE	16
#define IOI_FMT_FILE_NONCE_SIZE	32
#define IOI_FMT_RESERVED_SIZE	8
#define IOI_FMT_NONCE_SIZE	12	/* of a block */
#define IOI_FMT_TAG_SIZE	16
#define IOI_FMT_AAD_SIZE	9	/* le64(index) || 0; le64(size) || 1 */

#define IOI_FMT_BLOCK_SIZE	(1u << IOI_FMT_BLOCK_SHIFT)	/* plaintext */
#define IOI_FMT_OVERHEAD	(IOI_FMT_NONCE_SIZE + IOI_FMT_TAG_SIZE)
#define IOI_FMT_SEALED_SIZE	(IOI_FMT_BLOCK_SIZE + IOI_FMT_OVERHEAD)
/* After the last block: nonce || tag of "" with AAD le64(size) || 1. */
#define IOI_FMT_END_SIZE	(IOI_FMT_NONCE_SIZE + IOI_FMT_TAG_SIZE)

#define IOI_SHA256_SIZE		32

enum ioi_fmt_err {
	IOI_FMT_OK = 0,
	IOI_FMT_E_TRUNCATED_HEADER,	/* 0 < L < 80 */
	IOI_FMT_E_MAGIC,		/* not an iointercept file */
	IOI_FMT_E_VERSION,
	IOI_FMT_E_SUITE,
	IOI_FMT_E_BLOCK_SIZE,
	IOI_FMT_E_FLAGS,
	IOI_FMT_E_RESERVED,
	IOI_FMT_E_WRONG_KEY,		/* key identifiers differ */
	IOI_FMT_E_HEADER_AUTH,		/* the header tag does not verify */
	IOI_FMT_E_TRUNCATED_BLOCK,	/* a last block of <= 28 bytes */
	IOI_FMT_E_BLOCK_AUTH,		/* a block's tag does not verify */
	IOI_FMT_E_END_AUTH,		/* the end record does not verify */
	IOI_FMT_E_TOO_LARGE,		/* sizes past 2^64 */
	IOI_FMT_E_RANDOM,		/* the random source failed */
	IOI_FMT_E_CRYPTO,		/* libcrypto failed */
};

/* A short description of @err, without values ("unknown version"). */
const char *ioi_fmt_strerror(int err);

/* The 80 header bytes, decoded; the fields are as read, valid or not. */
struct ioi_fmt_header {
	uint8_t magic[IOI_FMT_MAGIC_SIZE];
	uint8_t version;
	uint8_t suite;
	uint8_t block_shift;
	uint8_t flags;
	uint8_t key_id[IOI_FMT_KEY_ID_SIZE];
	uint8_t file_nonce[IOI_FMT_FILE_NONCE_SIZE];
	uint8_t reserved[IOI_FMT_RESERVED_SIZE];
	uint8_t tag[IOI_FMT_TAG_SIZE];
};

/* Write @h as the 80 bytes of a header, tag included. */
void ioi_fmt_header_emit(const struct ioi_fmt_header *h,
			 uint8_t out[IOI_FMT_HEADER_SIZE]);

/*
 * Decode and validate the first @len bytes of a file (@len > 0; more than
 * 80 is fine, only the header is looked at). @h is filled whenever 80 bytes
 * with the right magic are there, even if a field is then refused, so the
 * fields can be shown. On error, @msg (@size bytes, may be NULL) gets a
 * sentence naming the field and its value. The key identifier and the tag
 * are not checked here (ioi_fmt_file_open()).
 */
int ioi_fmt_header_parse(struct ioi_fmt_header *h, const uint8_t *buf,
			 size_t len, char *msg, size_t size);

/*
 * Sizes (docs/format.md, "Sizes"). A stored file of @lower bytes holds
 * *@blocks blocks and *@plain bytes of plaintext, and an end record in
 * its last 28 bytes when *@plain > 0; returns IOI_FMT_E_TRUNCATED_HEADER
 * or IOI_FMT_E_TRUNCATED_BLOCK when no file can have that size (*@blocks
 * is then the number of blocks, the bad one last).
 */
int ioi_fmt_plain_size(uint64_t lower, uint64_t *plain, uint64_t *blocks);

/*
 * The inverse: what @plain bytes take on disk, end record included;
 * IOI_FMT_E_TOO_LARGE.
 */
int ioi_fmt_lower_size(uint64_t plain, uint64_t *lower);

/* The block that holds plaintext byte @p, and where that byte is stored. */
static inline uint64_t ioi_fmt_block_index(uint64_t p)
{
	return p >> IOI_FMT_BLOCK_SHIFT;
}

/* Where block @i starts in the stored file (its nonce). */
static inline uint64_t ioi_fmt_block_offset(uint64_t i)
{
	return IOI_FMT_HEADER_SIZE + (uint64_t)IOI_FMT_SEALED_SIZE * i;
}

static inline uint64_t ioi_fmt_lower_offset(uint64_t p)
{
	return ioi_fmt_block_offset(ioi_fmt_block_index(p)) +
	       IOI_FMT_NONCE_SIZE + (p & (IOI_FMT_BLOCK_SIZE - 1));
}

/*
 * HKDF with SHA-256 (RFC 5869), on HMAC-SHA-256 from libcrypto. An empty
 * salt (@salt_len 0, @salt may be NULL) is 32 zero bytes. @len is at most
 * 255 * 32.
 */
int ioi_hkdf_extract(const uint8_t *salt, size_t salt_len,
		     const uint8_t *ikm, size_t ikm_len,
		     uint8_t prk[IOI_SHA256_SIZE]);
int ioi_hkdf_expand(const uint8_t prk[IOI_SHA256_SIZE],
		    const uint8_t *info, size_t info_len,
		    uint8_t *out, size_t len);
int ioi_hkdf_sha256(const uint8_t *salt, size_t salt_len,
		    const uint8_t *ikm, size_t ikm_len,
		    const uint8_t *info, size_t info_len,
		    uint8_t *out, size_t len);

/*
 * The source of file and block nonces: fills @buf with @len random bytes
 * and returns 0. ioi_fmt_rand_default is RAND_bytes(); the tests put in
 * the known-answer vector's nonces.
 */
struct ioi_fmt_rand {
	int (*fill)(void *arg, uint8_t *buf, size_t len);
	void *arg;
};

extern const struct ioi_fmt_rand ioi_fmt_rand_default;

/* A master key, as far as files need it: its PRK and its identifier. */
struct ioi_fmt_master {
	uint8_t prk[IOI_SHA256_SIZE];
	uint8_t key_id[IOI_FMT_KEY_ID_SIZE];
};

int ioi_fmt_master_init(struct ioi_fmt_master *m,
			const uint8_t key[IOI_FMT_KEY_SIZE]);
void ioi_fmt_master_wipe(struct ioi_fmt_master *m);

/* The file key of the file whose header has @file_nonce. */
int ioi_fmt_file_key(const struct ioi_fmt_master *m,
		     const uint8_t file_nonce[IOI_FMT_FILE_NONCE_SIZE],
		     uint8_t key[IOI_FMT_KEY_SIZE]);

/* The header tag of @auth, the first 64 bytes of a header. */
int ioi_fmt_header_tag(const uint8_t key[IOI_FMT_KEY_SIZE],
		       const uint8_t auth[IOI_FMT_AUTH_SIZE],
		       uint8_t tag[IOI_FMT_TAG_SIZE]);

/* One file's keys and cipher context; ioi_fmt_file_free() when done. */
struct ioi_fmt_file {
	uint8_t key[IOI_FMT_KEY_SIZE];
	struct evp_cipher_ctx_st *ctx;
	struct ioi_fmt_rand rand;
};

/*
 * Start a new file: a random file nonce, its key, and the header to write
 * first, tag included. Block nonces come from @rand too.
 */
int ioi_fmt_file_create(struct ioi_fmt_file *f, const struct ioi_fmt_master *m,
			const struct ioi_fmt_rand *rand,
			uint8_t header[IOI_FMT_HEADER_SIZE]);

/*
 * Open an existing file whose header @h (from ioi_fmt_header_parse() on
 * @raw) is valid: IOI_FMT_E_WRONG_KEY if it names another master key,
 * IOI_FMT_E_HEADER_AUTH if its tag does not verify.
 */
int ioi_fmt_file_open(struct ioi_fmt_file *f, const struct ioi_fmt_master *m,
		      const struct ioi_fmt_header *h,
		      const uint8_t raw[IOI_FMT_HEADER_SIZE]);

void ioi_fmt_file_free(struct ioi_fmt_file *f);

/*
 * Seal block @index of @len bytes, 1 to 4096, into @out: @len + 28 bytes,
 * a fresh nonce from the file's random source first. The last block is
 * sealed like any other (the end record says where the file ends).
 */
int ioi_fmt_seal(struct ioi_fmt_file *f, uint64_t index,
		 const uint8_t *plain, size_t len, uint8_t *out);

/*
 * Open block @index of @len stored bytes (29 to 4124) into @plain
 * (@len - 28 bytes). IOI_FMT_E_BLOCK_AUTH if it does not verify; @plain
 * is then zeroed, so no unverified plaintext leaves this function.
 */
int ioi_fmt_open(struct ioi_fmt_file *f, uint64_t index,
		 const uint8_t *in, size_t len, uint8_t *plain);

/*
 * The end record of a file of @plain bytes (@plain > 0) into @out: a
 * fresh nonce, then the tag of an empty plaintext with AAD
 * le64(@plain) || 1.
 */
int ioi_fmt_end_seal(struct ioi_fmt_file *f, uint64_t plain,
		     uint8_t out[IOI_FMT_END_SIZE]);

/*
 * Check the end record @in of a file whose size says @plain bytes:
 * IOI_FMT_E_END_AUTH if it was not sealed for exactly that size in this
 * file (cut, appended to, a stale record, or none at all).
 */
int ioi_fmt_end_open(struct ioi_fmt_file *f, uint64_t plain,
		     const uint8_t in[IOI_FMT_END_SIZE]);

#endif /* IOI_CTL_FORMAT_H */
