/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_PCACHE_H
#define _IOI_PCACHE_H

#include <linux/types.h>
#include <linux/xarray.h>

/*
 * One inode's opened blocks, by index. A block is kept as it was read and
 * opened in place: IOI_BLOCK_STORED bytes, the plaintext at IOI_NONCE.
 */
struct ioi_pcache {
	struct xarray xa;
};

int ioi_pcache_init(void);
void ioi_pcache_exit(void);

void ioi_pcache_new(struct ioi_pcache *pc);
/* Frees every block; the cache is not used again. */
void ioi_pcache_free(struct ioi_pcache *pc);
/* Room for one stored block, or NULL (no reclaim is done for it). */
u8 *ioi_pcache_alloc(void);
void ioi_pcache_release(u8 *blk);
/*
 * Keep @blk, opened, as block @b of @len bytes of plaintext; a block kept
 * already wins.
 */
void ioi_pcache_insert(struct ioi_pcache *pc, u64 b, u8 *blk, u32 len);
/*
 * Block @b, if kept with @len bytes of plaintext, or NULL. Valid while
 * the caller's lock is held.
 */
const u8 *ioi_pcache_get(struct ioi_pcache *pc, u64 b, u32 len);
/* Forget at most @max blocks of @from .. @to; how many it forgot. */
unsigned long ioi_pcache_drop(struct ioi_pcache *pc, u64 from, u64 to,
			      unsigned long max);
/* Blocks held, in all inodes. */
unsigned long ioi_pcache_blocks(void);

#endif /* _IOI_PCACHE_H */
