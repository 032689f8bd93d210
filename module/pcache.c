// SPDX-License-Identifier: GPL-2.0
/*
 * The plaintext of blocks already opened, per inode, so that a warm read
 * is a copy and not a decryption: the lower page cache holds ciphertext
 * only, and every read used to open every block it touched. A block is
 * read from below straight into the object it is kept in and opened
 * there, so a read that fills the cache copies no more than one that
 * does not. The same
 * trade eCryptfs makes (its own page cache above the lower file's), with
 * a cache of our own instead of an address space: it is dropped under
 * memory pressure (a shrinker, in encfile.c, which knows the inodes) and
 * with the inode's last opener.
 *
 * Locking is the caller's: lookups and additions under the inode's
 * semaphore held for reading (the xarray's own lock orders concurrent
 * additions), removals under it held for writing, so no reader can be
 * copying from a block that is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "format.h"
#include "pcache.h"

static struct kmem_cache *plain_cache;
static atomic_long_t nblocks = ATOMIC_LONG_INIT(0);

/*
 * A constructor, so that init_on_alloc (on in Debian's kernel) does not
 * zero every block just before it is read into. Nothing reads a block past
 * what was read into it: the file's size bounds every copy out.
 */
static void plain_ctor(void *p)
{
}

int __init ioi_pcache_init(void)
{
	/* Its plaintext is copied out to user memory; charged to the reader. */
	plain_cache = kmem_cache_create_usercopy("ioi_plain", IOI_BLOCK_STORED,
						 0, SLAB_ACCOUNT |
						 SLAB_RECLAIM_ACCOUNT, IOI_NONCE,
						 IOI_BLOCK, plain_ctor);
	return plain_cache ? 0 : -ENOMEM;
}

void ioi_pcache_exit(void)
{
	kmem_cache_destroy(plain_cache);
}

void ioi_pcache_new(struct ioi_pcache *pc)
{
	xa_init(&pc->xa);
}

u8 *ioi_pcache_alloc(void)
{
	/* Only a cache: without memory, the read goes through io->buf. */
	return kmem_cache_alloc(plain_cache, GFP_KERNEL | __GFP_NORETRY |
				__GFP_NOWARN);
}

void ioi_pcache_release(u8 *blk)
{
	kmem_cache_free(plain_cache, blk);
}

/*
 * A block's length is kept where its nonce was, which opening it in
 * place made useless: a lookup for another length is a miss. A file that
 * grew behind our back must not read a short block as a whole one.
 */
void ioi_pcache_insert(struct ioi_pcache *pc, u64 b, u8 *blk, u32 len)
{
	void *old = NULL;

	memcpy(blk, &len, sizeof(len));
	if (b <= ULONG_MAX)
		old = xa_cmpxchg(&pc->xa, b, NULL, blk, GFP_KERNEL |
				 __GFP_NORETRY | __GFP_NOWARN);
	/* Another reader's copy of the same block, or no room for it. */
	if (b > ULONG_MAX || old) {
		ioi_pcache_release(blk);
		return;
	}
	atomic_long_inc(&nblocks);
}

const u8 *ioi_pcache_get(struct ioi_pcache *pc, u64 b, u32 len)
{
	const u8 *blk = b <= ULONG_MAX ? xa_load(&pc->xa, b) : NULL;

	return blk && !memcmp(blk, &len, sizeof(len)) ? blk : NULL;
}

unsigned long ioi_pcache_drop(struct ioi_pcache *pc, u64 from, u64 to,
			      unsigned long max)
{
	unsigned long index, n = 0;
	void *p;

	if (from > ULONG_MAX)
		return 0;
	xa_for_each_range(&pc->xa, index, p, from, min_t(u64, to, ULONG_MAX)) {
		if (n == max)
			break;
		xa_erase(&pc->xa, index);
		ioi_pcache_release(p);
		n++;
	}
	atomic_long_sub(n, &nblocks);
	return n;
}

void ioi_pcache_free(struct ioi_pcache *pc)
{
	ioi_pcache_drop(pc, 0, U64_MAX, ULONG_MAX);
	xa_destroy(&pc->xa);
}

unsigned long ioi_pcache_blocks(void)
{
	return max(atomic_long_read(&nblocks), 0L);
}
