/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_FORMAT_H
#define _IOI_FORMAT_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/iointercept.h>	/* IOI_KEY_SIZE, IOI_KEY_ID_SIZE */

/* The on-disk format of encrypted files, version 2: docs/format.md. */
#define IOI_HDR_SIZE		80
#define IOI_HDR_TAGGED		64	/* the bytes the header tag covers */
#define IOI_BLOCK_LOG2		12
#define IOI_BLOCK		BIT(IOI_BLOCK_LOG2)
#define IOI_NONCE		12
#define IOI_TAG			16
#define IOI_BLOCK_OVERHEAD	(IOI_NONCE + IOI_TAG)
#define IOI_BLOCK_STORED	(IOI_BLOCK + IOI_BLOCK_OVERHEAD)
#define IOI_FILE_NONCE_SIZE	32
#define IOI_AAD_SIZE		9	/* le64 block index or size, u8 end */
/* After the last block: a nonce and the tag of nothing, binding the size. */
#define IOI_END_SIZE		IOI_BLOCK_OVERHEAD

#define IOI_FORMAT_VERSION	2
#define IOI_SUITE_AES256GCM_HKDF_SHA256	1

/* Why a header was refused; ioi_header_error() names each. */
enum ioi_header_error {
	IOI_HDR_OK,
	IOI_HDR_TRUNCATED,
	IOI_HDR_MAGIC,
	IOI_HDR_VERSION,
	IOI_HDR_SUITE,
	IOI_HDR_BLOCK_SIZE,
	IOI_HDR_FLAGS,
	IOI_HDR_RESERVED,
};

struct ioi_header {
	u8 key_id[IOI_KEY_ID_SIZE];
	u8 file_nonce[IOI_FILE_NONCE_SIZE];
};

/* Fill the first IOI_HDR_TAGGED bytes of @raw; the tag is the caller's. */
void ioi_header_emit(const struct ioi_header *h, u8 raw[IOI_HDR_SIZE]);
/* Check every field of @len bytes at @raw; the tag is checked apart. */
enum ioi_header_error ioi_header_parse(const u8 *raw, size_t len,
				       struct ioi_header *h);
const char *ioi_header_error(enum ioi_header_error e);

/*
 * The plaintext size of a stored file of @lower bytes, or -EIO if no valid
 * file has that size (a cut header, a block without data, no end record).
 */
s64 ioi_plain_size(s64 lower);
/*
 * The stored size of a file of @plain bytes, end record included (0 stays
 * 0: no header yet).
 */
s64 ioi_lower_size(s64 plain);

/* Where plaintext byte @pos lies: its block, and that block's offset. */
static inline u64 ioi_block_of(u64 pos)
{
	return pos >> IOI_BLOCK_LOG2;
}

static inline u64 ioi_block_pos(u64 block)
{
	return IOI_HDR_SIZE + block * IOI_BLOCK_STORED;
}

#endif /* _IOI_FORMAT_H */
