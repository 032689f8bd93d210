// SPDX-License-Identifier: GPL-2.0
/*
 * The on-disk format of encrypted files, version 2 (docs/format.md). Every
 * byte layout, derivation and AAD here is the contract with the module's
 * implementation: change none without changing docs/format.md, the version
 * and tests/unit/format_vector.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "format.h"
#include "util.h"

/*
 * ASCII, no NUL: 21 and 23 bytes. "v1" names the key hierarchy, not the
 * layout: version 2 of the format derives its keys the same way.
 */
static const char info_key_id[] = "iointercept v1 key id";
static const char info_file_key[] = "iointercept v1 file key";

static const char *const errors[] = {
	[IOI_FMT_OK] = "ok",
	[IOI_FMT_E_TRUNCATED_HEADER] = "truncated header",
	[IOI_FMT_E_MAGIC] = "not an iointercept file",
	[IOI_FMT_E_VERSION] = "unknown version",
	[IOI_FMT_E_SUITE] = "unknown suite",
	[IOI_FMT_E_BLOCK_SIZE] = "unknown block size",
	[IOI_FMT_E_FLAGS] = "unknown flags",
	[IOI_FMT_E_RESERVED] = "non-zero reserved bytes",
	[IOI_FMT_E_WRONG_KEY] = "wrong key (the key identifiers differ)",
	[IOI_FMT_E_HEADER_AUTH] = "header authentication failed",
	[IOI_FMT_E_TRUNCATED_BLOCK] = "truncated block",
	[IOI_FMT_E_BLOCK_AUTH] = "authentication failed",
	[IOI_FMT_E_END_AUTH] = "end of file not authenticated (cut, appended to, or its end lost in a crash)",
	[IOI_FMT_E_TOO_LARGE] = "file too large",
	[IOI_FMT_E_RANDOM] = "the random number generator failed",
	[IOI_FMT_E_CRYPTO] = "libcrypto error",
};

const char *ioi_fmt_strerror(int err)
{
	if (err < 0 || (size_t)err >= ARRAY_SIZE(errors) || !errors[err])
		return "unknown error";
	return errors[err];
}

static void put_le64(uint8_t *p, uint64_t v)
{
	size_t i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void ioi_fmt_header_emit(const struct ioi_fmt_header *h,
			 uint8_t out[IOI_FMT_HEADER_SIZE])
{
	memcpy(out, h->magic, 4);
	out[4] = h->version;
	out[5] = h->suite;
	out[6] = h->block_shift;
	out[7] = h->flags;
	memcpy(out + 8, h->key_id, 16);
	memcpy(out + 24, h->file_nonce, 32);
	memcpy(out + 56, h->reserved, 8);
	memcpy(out + 64, h->tag, 16);
}

static void header_decode(struct ioi_fmt_header *h,
			  const uint8_t in[IOI_FMT_HEADER_SIZE])
{
	memcpy(h->magic, in, 4);
	h->version = in[4];
	h->suite = in[5];
	h->block_shift = in[6];
	h->flags = in[7];
	memcpy(h->key_id, in + 8, 16);
	memcpy(h->file_nonce, in + 24, 32);
	memcpy(h->reserved, in + 56, 8);
	memcpy(h->tag, in + 64, 16);
}

static int header_error(int err, char *msg, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int header_error(int err, char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (msg && size) {
		va_start(ap, fmt);
		vsnprintf(msg, size, fmt, ap);
		va_end(ap);
	}
	return err;
}

int ioi_fmt_header_parse(struct ioi_fmt_header *h, const uint8_t *buf,
			 size_t len, char *msg, size_t size)
{
	static const uint8_t zeros[IOI_FMT_RESERVED_SIZE];
	char hex[2 * IOI_FMT_RESERVED_SIZE + 1];
	size_t n = len < IOI_FMT_MAGIC_SIZE ? len : IOI_FMT_MAGIC_SIZE;

	/*
	 * The magic first, even in a short file: a few bytes that are not
	 * the start of "IOIE" are another kind of file, not a cut one.
	 */
	if (memcmp(buf, IOI_FMT_MAGIC, n)) {
		ioi_hex(hex, buf, n);
		return header_error(IOI_FMT_E_MAGIC, msg, size,
				    "not an iointercept file (starts with %s, not 494f4945 \"IOIE\")",
				    hex);
	}
	if (len < IOI_FMT_HEADER_SIZE)
		return header_error(IOI_FMT_E_TRUNCATED_HEADER, msg, size,
				    "truncated header (%zu of %d bytes)", len,
				    IOI_FMT_HEADER_SIZE);

	header_decode(h, buf);
	/* No field may be ignored: each value is the only one allowed. */
	if (h->version != IOI_FMT_VERSION)
		return header_error(IOI_FMT_E_VERSION, msg, size,
				    "unknown version %u (expected %d)",
				    h->version, IOI_FMT_VERSION);
	if (h->suite != IOI_FMT_SUITE)
		return header_error(IOI_FMT_E_SUITE, msg, size,
				    "unknown suite %u (expected %d, AES-256-GCM with HKDF-SHA-256)",
				    h->suite, IOI_FMT_SUITE);
	if (h->block_shift != IOI_FMT_BLOCK_SHIFT)
		return header_error(IOI_FMT_E_BLOCK_SIZE, msg, size,
				    "unknown block size: log2 %u (expected %d, 4096 bytes)",
				    h->block_shift, IOI_FMT_BLOCK_SHIFT);
	if (h->flags != IOI_FMT_FLAGS)
		return header_error(IOI_FMT_E_FLAGS, msg, size,
				    "unknown flags 0x%02x (expected 0)",
				    h->flags);
	if (memcmp(h->reserved, zeros, sizeof(zeros))) {
		ioi_hex(hex, h->reserved, sizeof(h->reserved));
		return header_error(IOI_FMT_E_RESERVED, msg, size,
				    "non-zero reserved bytes %s", hex);
	}
	return IOI_FMT_OK;
}

int ioi_fmt_plain_size(uint64_t lower, uint64_t *plain, uint64_t *blocks)
{
	uint64_t d, n, r;

	*plain = 0;
	*blocks = 0;
	if (lower == 0 || lower == IOI_FMT_HEADER_SIZE)
		return IOI_FMT_OK;
	if (lower < IOI_FMT_HEADER_SIZE)
		return IOI_FMT_E_TRUNCATED_HEADER;
	/* Not even a block of one byte and the end record. */
	if (lower <= IOI_FMT_HEADER_SIZE + IOI_FMT_END_SIZE +
		     IOI_FMT_OVERHEAD) {
		*blocks = 1;
		return IOI_FMT_E_TRUNCATED_BLOCK;
	}

	d = lower - IOI_FMT_HEADER_SIZE - IOI_FMT_END_SIZE;
	n = d / IOI_FMT_SEALED_SIZE + !!(d % IOI_FMT_SEALED_SIZE);
	r = d - IOI_FMT_SEALED_SIZE * (n - 1);
	*blocks = n;
	if (r <= IOI_FMT_OVERHEAD)
		return IOI_FMT_E_TRUNCATED_BLOCK;
	*plain = d - IOI_FMT_OVERHEAD * n;
	return IOI_FMT_OK;
}

int ioi_fmt_lower_size(uint64_t plain, uint64_t *lower)
{
	uint64_t n = ioi_fmt_block_index(plain) +
		     !!(plain & (IOI_FMT_BLOCK_SIZE - 1));
	uint64_t extra = IOI_FMT_HEADER_SIZE + IOI_FMT_OVERHEAD * n +
			 IOI_FMT_END_SIZE;

	*lower = 0;
	if (!plain)
		return IOI_FMT_OK;	/* no header until the first byte */
	if (plain > UINT64_MAX - extra)
		return IOI_FMT_E_TOO_LARGE;
	*lower = plain + extra;
	return IOI_FMT_OK;
}

/* HMAC-SHA-256(@key, the concatenation of @n parts). */
struct ioi_bytes {
	const void *p;
	size_t len;
};

static int hmac_sha256(const uint8_t *key, size_t key_len,
		       const struct ioi_bytes *parts, size_t n,
		       uint8_t out[IOI_SHA256_SIZE])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t i, len;
	int ret = IOI_FMT_E_CRYPTO;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac)
		ctx = EVP_MAC_CTX_new(mac);
	if (!ctx || !EVP_MAC_init(ctx, key, key_len, params))
		goto out;
	for (i = 0; i < n; i++)
		if (!EVP_MAC_update(ctx, parts[i].p, parts[i].len))
			goto out;
	if (EVP_MAC_final(ctx, out, &len, IOI_SHA256_SIZE) &&
	    len == IOI_SHA256_SIZE)
		ret = IOI_FMT_OK;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int ioi_hkdf_extract(const uint8_t *salt, size_t salt_len,
		     const uint8_t *ikm, size_t ikm_len,
		     uint8_t prk[IOI_SHA256_SIZE])
{
	static const uint8_t zeros[IOI_SHA256_SIZE];
	struct ioi_bytes data = { ikm, ikm_len };

	/* RFC 5869 2.2: "if not provided, [salt] is set to HashLen zeros". */
	if (!salt_len)
		return hmac_sha256(zeros, sizeof(zeros), &data, 1, prk);
	return hmac_sha256(salt, salt_len, &data, 1, prk);
}

int ioi_hkdf_expand(const uint8_t prk[IOI_SHA256_SIZE],
		    const uint8_t *info, size_t info_len,
		    uint8_t *out, size_t len)
{
	uint8_t t[IOI_SHA256_SIZE];
	uint8_t counter = 0;
	size_t done = 0, chunk;
	int ret = IOI_FMT_OK;

	if (len > 255 * IOI_SHA256_SIZE)
		return IOI_FMT_E_CRYPTO;
	/* T(i) = HMAC(PRK, T(i - 1) || info || i), T(0) empty. */
	while (done < len) {
		struct ioi_bytes parts[] = {
			{ t, counter ? sizeof(t) : 0 },
			{ info, info_len },
			{ &counter, 1 },
		};

		counter++;
		ret = hmac_sha256(prk, IOI_SHA256_SIZE, parts,
				  ARRAY_SIZE(parts), t);
		if (ret)
			break;
		chunk = len - done < sizeof(t) ? len - done : sizeof(t);
		memcpy(out + done, t, chunk);
		done += chunk;
	}
	OPENSSL_cleanse(t, sizeof(t));
	return ret;
}

int ioi_hkdf_sha256(const uint8_t *salt, size_t salt_len,
		    const uint8_t *ikm, size_t ikm_len,
		    const uint8_t *info, size_t info_len,
		    uint8_t *out, size_t len)
{
	uint8_t prk[IOI_SHA256_SIZE];
	int ret;

	ret = ioi_hkdf_extract(salt, salt_len, ikm, ikm_len, prk);
	if (!ret)
		ret = ioi_hkdf_expand(prk, info, info_len, out, len);
	OPENSSL_cleanse(prk, sizeof(prk));
	return ret;
}

static int rand_bytes(void *arg, uint8_t *buf, size_t len)
{
	(void)arg;
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -1;
}

const struct ioi_fmt_rand ioi_fmt_rand_default = { rand_bytes, NULL };

int ioi_fmt_master_init(struct ioi_fmt_master *m,
			const uint8_t key[IOI_FMT_KEY_SIZE])
{
	int ret;

	ret = ioi_hkdf_extract(NULL, 0, key, IOI_FMT_KEY_SIZE, m->prk);
	if (!ret)
		ret = ioi_hkdf_expand(m->prk, (const uint8_t *)info_key_id,
				      strlen(info_key_id), m->key_id,
				      sizeof(m->key_id));
	if (ret)
		ioi_fmt_master_wipe(m);
	return ret;
}

void ioi_fmt_master_wipe(struct ioi_fmt_master *m)
{
	OPENSSL_cleanse(m, sizeof(*m));
}

int ioi_fmt_file_key(const struct ioi_fmt_master *m,
		     const uint8_t file_nonce[IOI_FMT_FILE_NONCE_SIZE],
		     uint8_t key[IOI_FMT_KEY_SIZE])
{
	uint8_t info[sizeof(info_file_key) - 1 + IOI_FMT_FILE_NONCE_SIZE];

	memcpy(info, info_file_key, sizeof(info_file_key) - 1);
	memcpy(info + sizeof(info_file_key) - 1, file_nonce,
	       IOI_FMT_FILE_NONCE_SIZE);
	return ioi_hkdf_expand(m->prk, info, sizeof(info), key,
			       IOI_FMT_KEY_SIZE);
}

/*
 * One AES-256-GCM operation on @ctx: @enc 1 seals @len bytes of @in into
 * @out and writes @tag; @enc 0 opens them and checks @tag. Returns
 * IOI_FMT_E_BLOCK_AUTH when the tag does not verify.
 */
static int gcm(EVP_CIPHER_CTX *ctx, int enc, const uint8_t *key,
	       const uint8_t nonce[IOI_FMT_NONCE_SIZE],
	       const uint8_t *aad, size_t aad_len,
	       const uint8_t *in, size_t len, uint8_t *out,
	       uint8_t tag[IOI_FMT_TAG_SIZE])
{
	int outl;

	/* 12 bytes is GCM's default IV length: nothing to set. */
	if (!EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, nonce, enc) ||
	    !EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aad_len))
		return IOI_FMT_E_CRYPTO;
	if (len && !EVP_CipherUpdate(ctx, out, &outl, in, (int)len))
		return IOI_FMT_E_CRYPTO;
	if (!enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
					 IOI_FMT_TAG_SIZE, tag))
		return IOI_FMT_E_CRYPTO;
	/* GCM writes nothing here; out + len is only a valid pointer. */
	if (!EVP_CipherFinal_ex(ctx, out + len, &outl))
		return enc ? IOI_FMT_E_CRYPTO : IOI_FMT_E_BLOCK_AUTH;
	if (enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
					IOI_FMT_TAG_SIZE, tag))
		return IOI_FMT_E_CRYPTO;
	return IOI_FMT_OK;
}

/* The header tag's nonce, which no block may use. */
static const uint8_t zero_nonce[IOI_FMT_NONCE_SIZE];

int ioi_fmt_header_tag(const uint8_t key[IOI_FMT_KEY_SIZE],
		       const uint8_t auth[IOI_FMT_AUTH_SIZE],
		       uint8_t tag[IOI_FMT_TAG_SIZE])
{
	EVP_CIPHER_CTX *ctx;
	uint8_t none[1];
	int ret;

	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return IOI_FMT_E_CRYPTO;
	ret = gcm(ctx, 1, key, zero_nonce, auth, IOI_FMT_AUTH_SIZE, NULL, 0,
		  none, tag);
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

static int file_init(struct ioi_fmt_file *f, const struct ioi_fmt_master *m,
		     const uint8_t file_nonce[IOI_FMT_FILE_NONCE_SIZE],
		     const struct ioi_fmt_rand *rand)
{
	int ret;

	memset(f, 0, sizeof(*f));
	f->rand = *rand;
	ret = ioi_fmt_file_key(m, file_nonce, f->key);
	if (ret)
		return ret;
	f->ctx = EVP_CIPHER_CTX_new();
	return f->ctx ? IOI_FMT_OK : IOI_FMT_E_CRYPTO;
}

int ioi_fmt_file_create(struct ioi_fmt_file *f, const struct ioi_fmt_master *m,
			const struct ioi_fmt_rand *rand,
			uint8_t header[IOI_FMT_HEADER_SIZE])
{
	struct ioi_fmt_header h = {
		.version = IOI_FMT_VERSION,
		.suite = IOI_FMT_SUITE,
		.block_shift = IOI_FMT_BLOCK_SHIFT,
		.flags = IOI_FMT_FLAGS,
	};
	int ret;

	memset(f, 0, sizeof(*f));
	memcpy(h.magic, IOI_FMT_MAGIC, sizeof(h.magic));
	memcpy(h.key_id, m->key_id, sizeof(h.key_id));
	if (rand->fill(rand->arg, h.file_nonce, sizeof(h.file_nonce)))
		return IOI_FMT_E_RANDOM;
	ret = file_init(f, m, h.file_nonce, rand);
	if (!ret) {
		ioi_fmt_header_emit(&h, header);
		ret = ioi_fmt_header_tag(f->key, header, h.tag);
	}
	if (ret) {
		ioi_fmt_file_free(f);
		return ret;
	}
	memcpy(header + IOI_FMT_AUTH_SIZE, h.tag, IOI_FMT_TAG_SIZE);
	return IOI_FMT_OK;
}

int ioi_fmt_file_open(struct ioi_fmt_file *f, const struct ioi_fmt_master *m,
		      const struct ioi_fmt_header *h,
		      const uint8_t raw[IOI_FMT_HEADER_SIZE])
{
	uint8_t tag[IOI_FMT_TAG_SIZE];
	int ret;

	memset(f, 0, sizeof(*f));
	/* The identifier is public: no need for a constant-time compare. */
	if (memcmp(h->key_id, m->key_id, sizeof(m->key_id)))
		return IOI_FMT_E_WRONG_KEY;
	ret = file_init(f, m, h->file_nonce, &ioi_fmt_rand_default);
	if (!ret)
		ret = ioi_fmt_header_tag(f->key, raw, tag);
	if (!ret && CRYPTO_memcmp(tag, h->tag, sizeof(tag)))
		ret = IOI_FMT_E_HEADER_AUTH;
	if (ret)
		ioi_fmt_file_free(f);
	return ret;
}

void ioi_fmt_file_free(struct ioi_fmt_file *f)
{
	EVP_CIPHER_CTX_free(f->ctx);
	OPENSSL_cleanse(f, sizeof(*f));
}

/*
 * The AAD of block @index (@end 0) or of the end record of a file of
 * @index bytes (@end 1): the last byte keeps the two apart.
 */
static void make_aad(uint8_t aad[IOI_FMT_AAD_SIZE], uint64_t index,
		     uint8_t end)
{
	put_le64(aad, index);
	aad[8] = end;
}

/*
 * A fresh nonce for a block or an end record. Random, never a counter:
 * both are sealed again in place. The all-zero nonce belongs to the
 * header tag, so it is drawn again.
 */
static int new_nonce(struct ioi_fmt_file *f, uint8_t out[IOI_FMT_NONCE_SIZE])
{
	do {
		if (f->rand.fill(f->rand.arg, out, IOI_FMT_NONCE_SIZE))
			return IOI_FMT_E_RANDOM;
	} while (!memcmp(out, zero_nonce, IOI_FMT_NONCE_SIZE));
	return IOI_FMT_OK;
}

int ioi_fmt_seal(struct ioi_fmt_file *f, uint64_t index,
		 const uint8_t *plain, size_t len, uint8_t *out)
{
	uint8_t aad[IOI_FMT_AAD_SIZE];

	if (!len || len > IOI_FMT_BLOCK_SIZE)
		return IOI_FMT_E_CRYPTO;
	if (new_nonce(f, out))
		return IOI_FMT_E_RANDOM;
	make_aad(aad, index, 0);
	return gcm(f->ctx, 1, f->key, out, aad, sizeof(aad), plain, len,
		   out + IOI_FMT_NONCE_SIZE, out + IOI_FMT_NONCE_SIZE + len);
}

int ioi_fmt_open(struct ioi_fmt_file *f, uint64_t index,
		 const uint8_t *in, size_t len, uint8_t *plain)
{
	uint8_t aad[IOI_FMT_AAD_SIZE], tag[IOI_FMT_TAG_SIZE];
	size_t n = len - IOI_FMT_OVERHEAD;
	int ret;

	if (len <= IOI_FMT_OVERHEAD || len > IOI_FMT_SEALED_SIZE)
		return IOI_FMT_E_TRUNCATED_BLOCK;
	make_aad(aad, index, 0);
	memcpy(tag, in + IOI_FMT_NONCE_SIZE + n, sizeof(tag));
	ret = gcm(f->ctx, 0, f->key, in, aad, sizeof(aad),
		  in + IOI_FMT_NONCE_SIZE, n, plain, tag);
	if (ret)
		OPENSSL_cleanse(plain, n);
	return ret;
}

int ioi_fmt_end_seal(struct ioi_fmt_file *f, uint64_t plain,
		     uint8_t out[IOI_FMT_END_SIZE])
{
	uint8_t aad[IOI_FMT_AAD_SIZE], none[1];

	if (!plain)
		return IOI_FMT_E_CRYPTO;	/* an empty file has none */
	if (new_nonce(f, out))
		return IOI_FMT_E_RANDOM;
	make_aad(aad, plain, 1);
	return gcm(f->ctx, 1, f->key, out, aad, sizeof(aad), NULL, 0, none,
		   out + IOI_FMT_NONCE_SIZE);
}

int ioi_fmt_end_open(struct ioi_fmt_file *f, uint64_t plain,
		     const uint8_t in[IOI_FMT_END_SIZE])
{
	uint8_t aad[IOI_FMT_AAD_SIZE], tag[IOI_FMT_TAG_SIZE], none[1];
	int ret;

	make_aad(aad, plain, 1);
	memcpy(tag, in + IOI_FMT_NONCE_SIZE, sizeof(tag));
	ret = gcm(f->ctx, 0, f->key, in, aad, sizeof(aad), NULL, 0, none, tag);
	return ret == IOI_FMT_E_BLOCK_AUTH ? IOI_FMT_E_END_AUTH : ret;
}
