// SPDX-License-Identifier: GPL-2.0
/*
 * The header and the size arithmetic of encrypted files (docs/format.md).
 * Nothing here touches a key: crypt.c seals and opens.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "format.h"

static const u8 magic[4] = { 'I', 'O', 'I', 'E' };

void ioi_header_emit(const struct ioi_header *h, u8 raw[IOI_HDR_SIZE])
{
	memset(raw, 0, IOI_HDR_SIZE);
	memcpy(raw, magic, sizeof(magic));
	raw[4] = IOI_FORMAT_VERSION;
	raw[5] = IOI_SUITE_AES256GCM_HKDF_SHA256;
	raw[6] = IOI_BLOCK_LOG2;
	raw[7] = 0;
	memcpy(raw + 8, h->key_id, IOI_KEY_ID_SIZE);
	memcpy(raw + 24, h->file_nonce, IOI_FILE_NONCE_SIZE);
}

enum ioi_header_error ioi_header_parse(const u8 *raw, size_t len,
				       struct ioi_header *h)
{
	/* A short file is ours, cut, only if it starts as ours. */
	if (memcmp(raw, magic, min(len, sizeof(magic))))
		return IOI_HDR_MAGIC;
	if (len < IOI_HDR_SIZE)
		return IOI_HDR_TRUNCATED;
	if (raw[4] != IOI_FORMAT_VERSION)
		return IOI_HDR_VERSION;
	if (raw[5] != IOI_SUITE_AES256GCM_HKDF_SHA256)
		return IOI_HDR_SUITE;
	/* Any other size, a huge one above all, is refused, not tried. */
	if (raw[6] != IOI_BLOCK_LOG2)
		return IOI_HDR_BLOCK_SIZE;
	if (raw[7])
		return IOI_HDR_FLAGS;
	if (memchr_inv(raw + 56, 0, 8))
		return IOI_HDR_RESERVED;
	memcpy(h->key_id, raw + 8, IOI_KEY_ID_SIZE);
	memcpy(h->file_nonce, raw + 24, IOI_FILE_NONCE_SIZE);
	return IOI_HDR_OK;
}

const char *ioi_header_error(enum ioi_header_error e)
{
	static const char *const msg[] = {
		[IOI_HDR_OK] = "valid",
		[IOI_HDR_TRUNCATED] = "truncated header",
		[IOI_HDR_MAGIC] = "not an encrypted file (bad magic)",
		[IOI_HDR_VERSION] = "unknown format version",
		[IOI_HDR_SUITE] = "unknown cipher suite",
		[IOI_HDR_BLOCK_SIZE] = "unsupported block size",
		[IOI_HDR_FLAGS] = "unknown flags",
		[IOI_HDR_RESERVED] = "reserved bytes not zero",
	};

	return e < ARRAY_SIZE(msg) ? msg[e] : "unknown error";
}

s64 ioi_plain_size(s64 lower)
{
	u64 d, n, r;

	if (lower < 0 || (lower > 0 && lower < IOI_HDR_SIZE))
		return -EIO;
	if (lower <= IOI_HDR_SIZE)
		return 0;
	if (lower <= IOI_HDR_SIZE + IOI_END_SIZE + IOI_BLOCK_OVERHEAD)
		return -EIO;
	d = lower - IOI_HDR_SIZE - IOI_END_SIZE;
	n = div64_u64(d + IOI_BLOCK_STORED - 1, IOI_BLOCK_STORED);
	r = d - (n - 1) * IOI_BLOCK_STORED;
	if (r <= IOI_BLOCK_OVERHEAD)
		return -EIO;
	return (n - 1) * IOI_BLOCK + r - IOI_BLOCK_OVERHEAD;
}

s64 ioi_lower_size(s64 plain)
{
	u64 n;

	if (plain <= 0)
		return 0;
	n = ((u64)plain + IOI_BLOCK - 1) >> IOI_BLOCK_LOG2;
	return IOI_HDR_SIZE + plain + n * IOI_BLOCK_OVERHEAD + IOI_END_SIZE;
}
