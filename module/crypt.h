/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_CRYPT_H
#define _IOI_CRYPT_H

#include <linux/types.h>

#include "format.h"

struct crypto_aead;
struct crypto_shash;
struct aead_request;

#define IOI_HASH_SIZE	32	/* SHA-256 */

/* RFC 5869 with HMAC-SHA-256. Sleeps. */
int ioi_hkdf_extract(const u8 *salt, size_t saltlen, const u8 *ikm,
		     size_t ikmlen, u8 prk[IOI_HASH_SIZE]);
int ioi_hkdf_expand(const u8 prk[IOI_HASH_SIZE], const u8 *info,
		    size_t infolen, u8 *out, size_t outlen);

/*
 * What is kept of a master key: its HKDF PRK, an hmac(sha256) keyed with
 * it (shared by every derivation: a keyed shash is safe to use at once
 * from many descriptors), and its identifier.
 */
struct ioi_master {
	u8 prk[IOI_HASH_SIZE];
	struct crypto_shash *hmac;
	u8 id[IOI_KEY_ID_SIZE];
};

/* Sleeps; on success the caller frees @m with ioi_master_free(). */
int ioi_master_derive(const u8 key[IOI_KEY_SIZE], struct ioi_master *m);
void ioi_master_free(struct ioi_master *m);
/* HKDF-Expand(PRK of @m, @info, @outlen), with @m's transform. */
int ioi_master_expand(const struct ioi_master *m, const u8 *info,
		      size_t infolen, u8 *out, size_t outlen);
int ioi_file_key(const struct ioi_master *m,
		 const u8 nonce[IOI_FILE_NONCE_SIZE], u8 key[IOI_KEY_SIZE]);

/* One file's AES-256-GCM transform: its key, expanded. */
struct ioi_file_crypt {
	struct crypto_aead *tfm;
};

struct ioi_file_crypt *ioi_file_crypt_new(const u8 key[IOI_KEY_SIZE]);
void ioi_file_crypt_free(struct ioi_file_crypt *fc);

/*
 * One GCM operation at a time on a file's transform: its request, and the
 * IV and AAD the request points to (linear memory, for the scatterlists).
 * Readers of one file run at once, so each call has its own.
 */
struct ioi_crypt_op {
	struct aead_request *req;
	bool own_req;		/* allocated here, not in the caller's memory */
	u8 aad[IOI_AAD_SIZE];
	u8 iv[IOI_NONCE];
};

struct ioi_crypt_op *ioi_crypt_op_new(struct ioi_file_crypt *fc);
void ioi_crypt_op_free(struct ioi_crypt_op *op);
/*
 * @op (not on the stack: its IV and AAD go through scatterlists) set up
 * with its request in the @room bytes at @mem if they fit it and are
 * aligned for the crypto API, else allocated; undone by
 * ioi_crypt_op_release(), before @mem goes.
 */
int ioi_crypt_op_init(struct ioi_crypt_op *op, struct ioi_file_crypt *fc,
		      void *mem, size_t room);
void ioi_crypt_op_release(struct ioi_crypt_op *op);

/* @n fresh random block nonces, none of them the header's all-zero one. */
void ioi_block_nonces(u8 *nonces, unsigned int n);

/*
 * Seal block @index in place: @blk holds IOI_NONCE bytes of room, @len
 * bytes of plaintext, IOI_TAG bytes of room, and must be linear memory.
 * @nonce is NULL for a fresh random one.
 */
int ioi_block_seal(struct ioi_crypt_op *op, u64 index, u8 *blk, size_t len,
		   const u8 *nonce);
/* Open a stored block of @stored bytes in place; -EIO if it is not ours. */
int ioi_block_open(struct ioi_crypt_op *op, u64 index, u8 *blk, size_t stored);
/*
 * The end record of a file of @size bytes, IOI_END_SIZE bytes at @rec
 * (linear memory): sealed with @nonce (NULL: a fresh one), or checked.
 */
int ioi_end_seal(struct ioi_crypt_op *op, u64 size, u8 *rec, const u8 *nonce);
int ioi_end_open(struct ioi_crypt_op *op, u64 size, u8 *rec);
/* The header tag over @hdr's first IOI_HDR_TAGGED bytes (linear memory). */
int ioi_header_tag(struct ioi_file_crypt *fc, const u8 *hdr,
		   u8 tag[IOI_TAG]);

#endif /* _IOI_CRYPT_H */
