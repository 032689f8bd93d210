// SPDX-License-Identifier: GPL-2.0
/*
 * Keys and blocks of encrypted files (docs/format.md), through the
 * kernel's crypto API only: hmac(sha256) for HKDF, gcm(aes) for the data.
 * Everything here may sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "crypt.h"

static const char info_key_id[] = "iointercept v1 key id";
static const char info_file_key[] = "iointercept v1 file key";

static struct crypto_shash *hmac_new(const u8 *key, size_t keylen)
{
	struct crypto_shash *tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	int err;

	if (IS_ERR(tfm))
		return tfm;
	err = crypto_shash_setkey(tfm, key, keylen);
	if (err) {
		crypto_free_shash(tfm);
		return ERR_PTR(err);
	}
	return tfm;
}

int ioi_hkdf_extract(const u8 *salt, size_t saltlen, const u8 *ikm,
		     size_t ikmlen, u8 prk[IOI_HASH_SIZE])
{
	static const u8 zeros[IOI_HASH_SIZE];
	struct crypto_shash *tfm;
	int err;

	/* RFC 5869: no salt means HashLen zero bytes. */
	tfm = saltlen ? hmac_new(salt, saltlen) : hmac_new(zeros, sizeof(zeros));
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_tfm_digest(tfm, ikm, ikmlen, prk);
	crypto_free_shash(tfm);
	return err;
}

/* HKDF-Expand with @tfm, an hmac(sha256) keyed with the PRK. */
static int expand(struct crypto_shash *tfm, const u8 *info, size_t infolen,
		  u8 *out, size_t outlen)
{
	u8 t[IOI_HASH_SIZE];
	size_t done = 0, tlen = 0;
	u8 counter = 0;
	int err = 0;

	if (outlen > 255 * IOI_HASH_SIZE)
		return -EINVAL;
	while (done < outlen && !err) {
		SHASH_DESC_ON_STACK(desc, tfm);

		/* T(n) = HMAC(PRK, T(n - 1) || info || n) */
		desc->tfm = tfm;
		counter++;
		err = crypto_shash_init(desc) ?:
		      crypto_shash_update(desc, t, tlen) ?:
		      crypto_shash_update(desc, info, infolen) ?:
		      crypto_shash_finup(desc, &counter, 1, t);
		shash_desc_zero(desc);
		tlen = sizeof(t);
		if (!err) {
			memcpy(out + done, t, min(outlen - done, sizeof(t)));
			done += min(outlen - done, sizeof(t));
		}
	}
	memzero_explicit(t, sizeof(t));
	if (err)
		memzero_explicit(out, outlen);
	return err;
}

int ioi_hkdf_expand(const u8 prk[IOI_HASH_SIZE], const u8 *info,
		    size_t infolen, u8 *out, size_t outlen)
{
	struct crypto_shash *tfm;
	int err;

	tfm = hmac_new(prk, IOI_HASH_SIZE);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = expand(tfm, info, infolen, out, outlen);
	crypto_free_shash(tfm);
	return err;
}

int ioi_master_derive(const u8 key[IOI_KEY_SIZE], struct ioi_master *m)
{
	int err;

	m->hmac = NULL;
	err = ioi_hkdf_extract(NULL, 0, key, IOI_KEY_SIZE, m->prk);
	if (err)
		goto fail;
	/*
	 * Kept keyed with the PRK: allocating a transform for every file key
	 * cost more than the derivation (the small-file benchmark).
	 */
	m->hmac = hmac_new(m->prk, IOI_HASH_SIZE);
	if (IS_ERR(m->hmac)) {
		err = PTR_ERR(m->hmac);
		m->hmac = NULL;
		goto fail;
	}
	err = expand(m->hmac, info_key_id, sizeof(info_key_id) - 1, m->id,
		     sizeof(m->id));
	if (!err)
		return 0;
fail:
	ioi_master_free(m);
	return err;
}

void ioi_master_free(struct ioi_master *m)
{
	/* The transform holds the PRK's HMAC pads: freed with it wiped. */
	if (m->hmac)
		crypto_free_shash(m->hmac);
	memzero_explicit(m, sizeof(*m));
}

int ioi_master_expand(const struct ioi_master *m, const u8 *info,
		      size_t infolen, u8 *out, size_t outlen)
{
	return expand(m->hmac, info, infolen, out, outlen);
}

int ioi_file_key(const struct ioi_master *m,
		 const u8 nonce[IOI_FILE_NONCE_SIZE], u8 key[IOI_KEY_SIZE])
{
	u8 info[sizeof(info_file_key) - 1 + IOI_FILE_NONCE_SIZE];

	memcpy(info, info_file_key, sizeof(info_file_key) - 1);
	memcpy(info + sizeof(info_file_key) - 1, nonce, IOI_FILE_NONCE_SIZE);
	return expand(m->hmac, info, sizeof(info), key, IOI_KEY_SIZE);
}

struct ioi_file_crypt *ioi_file_crypt_new(const u8 key[IOI_KEY_SIZE])
{
	struct ioi_file_crypt *fc;
	int err;

	fc = kzalloc(sizeof(*fc), GFP_KERNEL);
	if (!fc)
		return ERR_PTR(-ENOMEM);
	fc->tfm = crypto_alloc_aead("gcm(aes)", 0, 0);
	if (IS_ERR(fc->tfm)) {
		err = PTR_ERR(fc->tfm);
		goto free;
	}
	err = crypto_aead_setkey(fc->tfm, key, IOI_KEY_SIZE) ?:
	      crypto_aead_setauthsize(fc->tfm, IOI_TAG);
	if (err)
		goto free_tfm;
	return fc;
free_tfm:
	crypto_free_aead(fc->tfm);
free:
	kfree(fc);
	return ERR_PTR(err);
}

void ioi_file_crypt_free(struct ioi_file_crypt *fc)
{
	if (!fc)
		return;
	/* Frees the expanded key schedule, wiped by the cipher's exit. */
	crypto_free_aead(fc->tfm);
	kfree_sensitive(fc);
}

/*
 * A caller with memory to spare (encfile.c's I/O buffers, built once)
 * saves an allocation per call, and the zeroing init_on_alloc adds to it.
 */
int ioi_crypt_op_init(struct ioi_crypt_op *op, struct ioi_file_crypt *fc,
		      void *mem, size_t room)
{
	size_t need = sizeof(struct aead_request) +
		      crypto_aead_reqsize(fc->tfm);

	op->own_req = !mem || room < need ||
		      !IS_ALIGNED((unsigned long)mem, CRYPTO_MINALIGN);
	if (op->own_req) {
		op->req = aead_request_alloc(fc->tfm, GFP_KERNEL);
		return op->req ? 0 : -ENOMEM;
	}
	op->req = mem;
	aead_request_set_tfm(op->req, fc->tfm);
	return 0;
}

void ioi_crypt_op_release(struct ioi_crypt_op *op)
{
	/*
	 * The request context may hold GHASH state of the data: freed
	 * wiped, and in the caller's memory left as that memory's data is.
	 */
	if (op->own_req)
		aead_request_free(op->req);
	op->req = NULL;
}

struct ioi_crypt_op *ioi_crypt_op_new(struct ioi_file_crypt *fc)
{
	struct ioi_crypt_op *op;

	op = kmalloc(sizeof(*op), GFP_KERNEL);
	if (op && ioi_crypt_op_init(op, fc, NULL, 0)) {
		kfree(op);
		op = NULL;
	}
	return op;
}

void ioi_crypt_op_free(struct ioi_crypt_op *op)
{
	if (!op)
		return;
	ioi_crypt_op_release(op);
	kfree(op);
}

/* One GCM operation over AAD (@ad, @adlen) and @len bytes at @data. */
static int gcm(struct ioi_crypt_op *op, bool enc, const u8 *ad, size_t adlen,
	       u8 *data, size_t len)
{
	DECLARE_CRYPTO_WAIT(wait);
	struct scatterlist sg[2];
	int err;

	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], ad, adlen);
	sg_set_buf(&sg[1], data, len + (enc ? IOI_TAG : 0));
	aead_request_set_callback(op->req, CRYPTO_TFM_REQ_MAY_SLEEP |
				  CRYPTO_TFM_REQ_MAY_BACKLOG,
				  crypto_req_done, &wait);
	aead_request_set_ad(op->req, adlen);
	aead_request_set_crypt(op->req, sg, sg, len, op->iv);
	err = crypto_wait_req(enc ? crypto_aead_encrypt(op->req) :
				    crypto_aead_decrypt(op->req), &wait);
	return err == -EBADMSG ? -EIO : err;
}

/* Blocks and the end record differ in their last AAD byte: never mixed. */
static void set_aad(struct ioi_crypt_op *op, u64 index_or_size, bool end)
{
	put_unaligned_le64(index_or_size, op->aad);
	op->aad[8] = end;
}

void ioi_block_nonces(u8 *nonces, unsigned int n)
{
	unsigned int i;

	/* One draw for many blocks: the generator's setup is most of it. */
	get_random_bytes(nonces, n * IOI_NONCE);
	for (i = 0; i < n; i++)
		while (!memchr_inv(nonces + i * IOI_NONCE, 0, IOI_NONCE))
			get_random_bytes(nonces + i * IOI_NONCE, IOI_NONCE);
}

/*
 * Seal @len bytes at @rec + IOI_NONCE (a block, or nothing: the end
 * record) in place, its nonce before them, its tag after.
 */
static int seal(struct ioi_crypt_op *op, u64 index_or_size, bool end,
		u8 *rec, size_t len, const u8 *nonce)
{
	if (nonce)
		memcpy(op->iv, nonce, IOI_NONCE);
	else
		ioi_block_nonces(op->iv, 1);
	memcpy(rec, op->iv, IOI_NONCE);
	set_aad(op, index_or_size, end);
	return gcm(op, true, op->aad, IOI_AAD_SIZE, rec + IOI_NONCE, len);
}

/* Open @stored bytes at @rec in place; -EIO if they are not ours. */
static int open_rec(struct ioi_crypt_op *op, u64 index_or_size, bool end,
		    u8 *rec, size_t stored)
{
	memcpy(op->iv, rec, IOI_NONCE);
	set_aad(op, index_or_size, end);
	return gcm(op, false, op->aad, IOI_AAD_SIZE, rec + IOI_NONCE,
		   stored - IOI_NONCE);
}

int ioi_block_seal(struct ioi_crypt_op *op, u64 index, u8 *blk, size_t len,
		   const u8 *nonce)
{
	if (len > IOI_BLOCK)
		return -EINVAL;
	return seal(op, index, false, blk, len, nonce);
}

int ioi_block_open(struct ioi_crypt_op *op, u64 index, u8 *blk, size_t stored)
{
	if (stored <= IOI_BLOCK_OVERHEAD || stored > IOI_BLOCK_STORED)
		return -EIO;
	return open_rec(op, index, false, blk, stored);
}

int ioi_end_seal(struct ioi_crypt_op *op, u64 size, u8 *rec, const u8 *nonce)
{
	return seal(op, size, true, rec, 0, nonce);
}

int ioi_end_open(struct ioi_crypt_op *op, u64 size, u8 *rec)
{
	return open_rec(op, size, true, rec, IOI_END_SIZE);
}

int ioi_header_tag(struct ioi_file_crypt *fc, const u8 *hdr,
		   u8 tag[IOI_TAG])
{
	struct ioi_crypt_op *op;
	u8 *buf;
	int err = -ENOMEM;

	/* AAD and tag must be in memory a scatterlist can map. */
	buf = kmalloc(IOI_HDR_TAGGED + IOI_TAG, GFP_KERNEL);
	op = ioi_crypt_op_new(fc);
	if (!buf || !op)
		goto out;
	memcpy(buf, hdr, IOI_HDR_TAGGED);
	memset(op->iv, 0, IOI_NONCE);
	err = gcm(op, true, buf, IOI_HDR_TAGGED, buf + IOI_HDR_TAGGED, 0);
	if (!err)
		memcpy(tag, buf + IOI_HDR_TAGGED, IOI_TAG);
out:
	ioi_crypt_op_free(op);
	kfree(buf);
	return err;
}

#if IOI_KUNIT
#include "crypt_test.c"
#endif
