// SPDX-License-Identifier: GPL-2.0
/*
 * Encrypted files: reading and writing plaintext through the filesystem's
 * own file_operations, which see only the format of docs/format.md. The
 * state of an inode open through the shim (its header, its file key) is
 * kept here, per inode, not in the file: private_data is the filesystem's.
 *
 * A read-write semaphore per inode orders our read-modify-write of blocks;
 * the filesystem takes its own locks inside the calls we make.
 *
 * An inode's state outlives its last opener, with the plaintext cache
 * (pcache.c) and the file key, so that opening it again costs neither a
 * key derivation nor a decryption: it goes when the inode is evicted
 * (ioi_enc_evict(), from the probe on security_inode_free()), when
 * memory is short (the shrinker below), and with the module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <linux/hashtable.h>
#include <linux/llist.h>
#include <linux/random.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "crypt.h"
#include "encfile.h"
#include "encsize.h"
#include "events.h"
#include "format.h"
#include "keys.h"
#include "pcache.h"
#include "policy.h"
#include "stats.h"

struct ioi_enc {
	struct hlist_node node;
	struct llist_node gone;		/* evicted, to be freed */
	struct inode *inode;
	/* The table's, each open file's, each holder's (shrinker, key) */
	refcount_t ref;
	unsigned int opens;		/* files open through the shim */
	bool reopened;			/* opens went to 0 since the last open */
	/* Which inode: an address can be reused if an eviction was missed. */
	struct super_block *sb;
	unsigned long ino;
	u32 generation;
	struct rw_semaphore sem;
	bool have_hdr;			/* raw[] is this file's header */
	loff_t end_ok;			/* stored size whose end is proven */
	u8 raw[IOI_HDR_SIZE];
	struct ioi_file_crypt *fc;	/* NULL until a key is needed */
	struct ioi_pcache pc;		/* blocks opened, kept in plaintext */
	/* The stored file as the cache knows it: changed behind us if not. */
	loff_t pc_size;
	struct timespec64 pc_ctime;
	loff_t ra_pos;			/* where the last read ended */
};

static DEFINE_HASHTABLE(encs, 8);
/* The table and opens: a spinlock, since eviction runs in a probe. */
static DEFINE_SPINLOCK(encs_lock);
static unsigned long nidle;	/* entries no file has open */

static struct ioi_enc *find(const struct inode *inode)
{
	struct ioi_enc *e;

	lockdep_assert_held(&encs_lock);
	hash_for_each_possible(encs, e, node, (unsigned long)inode)
		if (e->inode == inode)
			return e;
	return NULL;
}

static struct ioi_enc *get(struct file *file)
{
	struct ioi_enc *e;

	spin_lock(&encs_lock);
	e = find(file_inode(file));
	spin_unlock(&encs_lock);
	/* An open file holds its inode's entry: it cannot go meanwhile. */
	return e;
}

static void enc_free(struct ioi_enc *e)
{
	/* The file key and the plaintext go with the entry, wiped. */
	ioi_pcache_free(&e->pc);
	ioi_file_crypt_free(e->fc);
	kfree_sensitive(e);
}

static void put(struct ioi_enc *e)
{
	if (refcount_dec_and_test(&e->ref))
		enc_free(e);
}

static void forget(struct ioi_enc *e);

/* Is the key that sealed the file (if it has a key yet) still loaded? */
static bool key_gone(struct ioi_enc *e)
{
	struct ioi_header h;

	if (!e->fc)
		return false;
	ioi_header_parse(e->raw, IOI_HDR_SIZE, &h);
	return !ioi_key_loaded(h.key_id);
}

/*
 * An open file is closed (or its open failed): the entry stays, but not
 * what a key removed while it was open gave (docs/design.md, Lifecycle).
 */
static void close_one(struct ioi_enc *e)
{
	bool last;

	spin_lock(&encs_lock);
	last = !--e->opens;
	if (last) {
		nidle++;
		e->reopened = true;
	}
	spin_unlock(&encs_lock);
	if (last) {
		down_write(&e->sem);
		if (key_gone(e))
			forget(e);
		up_write(&e->sem);
	}
	put(e);
}

/*
 * Evicted entries are freed in process context (crypto may sleep), a tick
 * later, so that deleting many files wakes a worker once, not per file.
 */
static LLIST_HEAD(gone);

static void free_gone(struct work_struct *w)
{
	struct ioi_enc *e, *t;

	llist_for_each_entry_safe(e, t, llist_del_all(&gone), gone)
		enc_free(e);
}

static DECLARE_DELAYED_WORK(gone_work, free_gone);

void ioi_enc_evict(struct inode *inode)
{
	struct ioi_enc *e;

	spin_lock(&encs_lock);
	e = find(inode);
	if (e) {
		/* No file is open: it would hold the inode. */
		hash_del(&e->node);
		nidle--;
	}
	spin_unlock(&encs_lock);
	if (e && refcount_dec_and_test(&e->ref) && llist_add(&e->gone, &gone))
		schedule_delayed_work(&gone_work, 1);
}

/*
 * The cache holds what we stored and read. A stored file changed by
 * anyone else (a process outside the policy writing ciphertext, a
 * truncate) moves its size or its ctime; then the cache is dropped, under
 * the write lock. A change within the same ctime tick as one of ours, at
 * the same size, is not seen: docs/design.md.
 */
static bool pc_fresh(struct ioi_enc *e)
{
	const struct timespec64 *t = &e->inode->i_ctime;

	/* Read unlocked: a torn time only drops the cache once more. */
	return i_size_read(e->inode) == e->pc_size &&
	       READ_ONCE(t->tv_sec) == e->pc_ctime.tv_sec &&
	       READ_ONCE(t->tv_nsec) == e->pc_ctime.tv_nsec;
}

static void pc_stamp(struct ioi_enc *e)
{
	const struct timespec64 *t = &e->inode->i_ctime;

	lockdep_assert_held_write(&e->sem);
	e->pc_size = i_size_read(e->inode);
	e->pc_ctime.tv_sec = READ_ONCE(t->tv_sec);
	e->pc_ctime.tv_nsec = READ_ONCE(t->tv_nsec);
}

static void pc_check(struct ioi_enc *e)
{
	lockdep_assert_held_write(&e->sem);
	if (pc_fresh(e))
		return;
	ioi_pcache_drop(&e->pc, 0, U64_MAX, ULONG_MAX);
	pc_stamp(e);
}

/*
 * Read or write what @it holds at @pos of the stored file, all or an
 * error; a short call is continued where it stopped.
 */
static ssize_t lower_iter(struct file *file, const struct file_operations *lower,
			  bool write, loff_t pos, struct iov_iter *it)
{
	size_t done = 0, len = iov_iter_count(it), left;
	struct kiocb k;
	ssize_t ret;

	while (done < len) {
		init_sync_kiocb(&k, file);
		/* Always buffered, always at the offset we say. */
		k.ki_flags &= ~(IOCB_DIRECT | IOCB_APPEND | IOCB_NOWAIT);
		k.ki_pos = pos + done;
		ret = write ? lower->write_iter(&k, it) :
			      lower->read_iter(&k, it);
		if (ret < 0)
			return ret;
		if (!ret)
			break;
		done += ret;
		/* Trust what it returned, not how far it moved the iterator. */
		left = iov_iter_count(it);
		if (left > len - done)
			iov_iter_advance(it, left - (len - done));
		else if (left < len - done)
			iov_iter_revert(it, len - done - left);
	}
	return done;
}

static ssize_t lower_io(struct file *file, const struct file_operations *lower,
			bool write, loff_t pos, void *buf, size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter it;

	iov_iter_kvec(&it, write ? ITER_SOURCE : ITER_DEST, &kv, 1, len);
	return lower_iter(file, lower, write, pos, &it);
}

/* A file that is not what it must be: counted, and an event. */
static void integrity_failure(struct file *file, const char *op,
			      const char *what)
{
	ioi_stats_inc(&ioi_stats, IOI_STAT_INTEGRITY_FAILURES);
	ioi_event_file(IOI_EVENT_INTEGRITY, op, EIO, file, what);
}

/* The AES-256-GCM context of the file that header @h describes. */
static struct ioi_file_crypt *file_crypt(struct ioi_header *h, bool active)
{
	struct ioi_file_crypt *fc;
	u8 key[IOI_KEY_SIZE];
	int err;

	/* A new file's: the active key, whose identifier goes into @h. */
	err = active ? ioi_key_active_file_key(h->key_id, h->file_nonce, key) :
		       ioi_key_file_key(h->key_id, h->file_nonce, key);
	if (err)
		return ERR_PTR(err);
	fc = ioi_file_crypt_new(key);
	memzero_explicit(key, sizeof(key));
	return fc;
}

/* The key that sealed @file is not loaded: counted, and an event. */
static int no_key(struct file *file, const struct ioi_header *h)
{
	char detail[48];

	snprintf(detail, sizeof(detail), "key:%*phN", IOI_KEY_ID_SIZE,
		 h->key_id);
	ioi_stats_inc(&ioi_stats, IOI_STAT_NOKEY);
	ioi_event_file(IOI_EVENT_NOKEY, "open", ENOKEY, file, detail);
	return -ENOKEY;
}

static int use_key(struct ioi_enc *e, struct file *file)
{
	struct ioi_file_crypt *fc;
	struct ioi_header h;
	u8 tag[IOI_TAG];
	int err;

	if (e->fc)
		return 0;
	ioi_header_parse(e->raw, IOI_HDR_SIZE, &h);
	fc = file_crypt(&h, false);
	if (IS_ERR(fc))
		return PTR_ERR(fc) == -ENOKEY ? no_key(file, &h) : PTR_ERR(fc);
	err = ioi_header_tag(fc, e->raw, tag);
	if (!err && crypto_memneq(tag, e->raw + IOI_HDR_TAGGED, IOI_TAG)) {
		pr_notice_ratelimited("inode %lu: header authentication failed\n",
				      e->inode->i_ino);
		integrity_failure(file, "open", "header authentication failed");
		err = -EIO;
	}
	if (err) {
		ioi_file_crypt_free(fc);
		return err;
	}
	e->fc = fc;
	return 0;
}

/*
 * Files already open keep the file key they derived when their key is
 * removed, but a new open must not get a key the operator took away just
 * because another file holds the inode open (docs/design.md, Lifecycle).
 */
static int key_still_loaded(struct ioi_enc *e, struct file *file)
{
	struct ioi_header h;

	ioi_header_parse(e->raw, IOI_HDR_SIZE, &h);
	return ioi_key_loaded(h.key_id) ? 0 : no_key(file, &h);
}

/* A new header under the active key, for a file that has no data yet. */
static int new_header(struct ioi_enc *e)
{
	struct ioi_file_crypt *fc;
	struct ioi_header h;
	int err;

	/*
	 * The active key picked and used at once: a removal in between gave
	 * ENOKEY to a write while another key was loaded (94-stress).
	 */
	get_random_bytes(h.file_nonce, sizeof(h.file_nonce));
	fc = file_crypt(&h, true);
	if (IS_ERR(fc))
		return PTR_ERR(fc);
	ioi_header_emit(&h, e->raw);
	err = ioi_header_tag(fc, e->raw, e->raw + IOI_HDR_TAGGED);
	if (err) {
		ioi_file_crypt_free(fc);
		return err;
	}
	ioi_file_crypt_free(e->fc);
	e->fc = fc;
	e->have_hdr = true;
	return 0;
}

/* Does the policy in force let plaintext files under a rule be opened? */
static bool plaintext_allowed(void)
{
	const struct ioi_policy *p;
	bool ok;

	rcu_read_lock();
	p = rcu_dereference(ioi_policy_active);
	ok = p && p->on_plaintext == IOI_ON_PLAINTEXT_ALLOW;
	rcu_read_unlock();
	return ok;
}

/*
 * Read the header of a stored file of @lower_size bytes. A non-empty file
 * that is not ours is refused: it would be read as garbage, and written
 * into it would mix plaintext and ciphertext.
 */
static int load_header(struct ioi_enc *e, struct file *file,
		       const struct file_operations *lower, loff_t lower_size)
{
	struct ioi_header h;
	enum ioi_header_error he;
	ssize_t n;

	n = lower_io(file, lower, false, 0, e->raw,
		     min_t(loff_t, lower_size, IOI_HDR_SIZE));
	if (n < 0)
		return n;
	he = ioi_header_parse(e->raw, n, &h);
	if (he == IOI_HDR_MAGIC && plaintext_allowed()) {
		ioi_event_file(IOI_EVENT_PLAINTEXT, "open", 0, file,
			       "not encrypted: opened as it is (on-plaintext allow)");
		pr_notice_ratelimited("inode %lu: not an encrypted file under an encrypt rule: opened as it is (on-plaintext allow)\n",
				      e->inode->i_ino);
		return IOI_ENC_PLAINTEXT;
	}
	if (he == IOI_HDR_MAGIC) {
		ioi_stats_inc(&ioi_stats, IOI_STAT_PLAINTEXT_REFUSED);
		ioi_event_file(IOI_EVENT_PLAINTEXT, "open", EACCES, file,
			       "not encrypted: refused");
		pr_notice_ratelimited("inode %lu: not an encrypted file under an encrypt rule: refused\n",
				      e->inode->i_ino);
		return -EACCES;
	}
	if (he != IOI_HDR_OK) {
		integrity_failure(file, "open", ioi_header_error(he));
		pr_notice_ratelimited("inode %lu: %s\n", e->inode->i_ino,
				      ioi_header_error(he));
		return -EIO;
	}
	e->have_hdr = true;
	return 0;
}

static bool same_inode(const struct ioi_enc *e, const struct inode *inode)
{
	return e->sb == inode->i_sb && e->ino == inode->i_ino &&
	       e->generation == inode->i_generation;
}

/* @inode's entry, a reference and an open counted; NULL: no memory. */
static struct ioi_enc *open_one(struct inode *inode)
{
	struct ioi_enc *e, *fresh = NULL, *stale = NULL;

	for (;;) {
		spin_lock(&encs_lock);
		e = find(inode);
		/*
		 * Left by an inode freed at this address while the probe was
		 * off: another file's. No file has it open (it would pin it).
		 */
		if (e && !same_inode(e, inode) && !e->opens && !stale) {
			hash_del(&e->node);
			nidle--;
			stale = e;
			e = NULL;
		}
		if (e) {
			refcount_inc(&e->ref);
			if (!e->opens++)
				nidle--;
		} else if (fresh) {
			swap(e, fresh);
			hash_add(encs, &e->node, (unsigned long)inode);
		}
		spin_unlock(&encs_lock);
		if (e)
			break;
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
		if (!fresh)
			break;
		fresh->inode = inode;
		fresh->sb = inode->i_sb;
		fresh->ino = inode->i_ino;
		fresh->generation = inode->i_generation;
		fresh->end_ok = -1;
		ioi_pcache_new(&fresh->pc);
		refcount_set(&fresh->ref, 2);	/* the table's and this open's */
		fresh->opens = 1;
		init_rwsem(&fresh->sem);
	}
	/* Another opener added one meanwhile. */
	if (fresh)
		enc_free(fresh);
	if (stale)
		put(stale);
	return e;
}

/* All the entry knows of the stored file, and the key it derived. */
static void forget(struct ioi_enc *e)
{
	lockdep_assert_held_write(&e->sem);
	e->have_hdr = false;
	e->end_ok = -1;
	ioi_file_crypt_free(e->fc);
	e->fc = NULL;
	ioi_pcache_drop(&e->pc, 0, U64_MAX, ULONG_MAX);
}

int ioi_enc_open(struct file *file, const struct file_operations *lower,
		 u8 mode)
{
	struct inode *inode = file_inode(file);
	loff_t lower_size;
	struct ioi_enc *e;
	bool reopened;
	int err = 0;

	e = open_one(inode);
	if (!e)
		return -ENOMEM;
	down_write(&e->sem);
	/*
	 * Changed behind our back since the last opener closed it: what we
	 * knew of it (its header, its key, its end) may be wrong, and no
	 * open file depends on it. Decided under the inode's lock, by the
	 * first opener to get it, whichever counted first.
	 */
	spin_lock(&encs_lock);
	reopened = e->reopened;
	e->reopened = false;
	spin_unlock(&encs_lock);
	if (reopened && !pc_fresh(e))
		forget(e);
	pc_check(e);
	lower_size = i_size_read(inode);
	/*
	 * Nothing stored (cut to nothing by a truncate we did not see): the
	 * header an earlier opener had went with the data, and the next
	 * write seals a new one under the key active then. Keeping it made
	 * an open need a key that no byte on disk names (94-stress).
	 */
	if (!lower_size)
		e->have_hdr = false;
	if (!e->have_hdr && lower_size > 0)
		err = load_header(e, file, lower, lower_size);
	/*
	 * A wo file is read back sealed, so reading it needs no key; all
	 * else does, and a missing key is ENOKEY now, not EIO later.
	 */
	if (!err && e->have_hdr && (mode == IOI_ENCRYPT_RW ||
				    (file->f_mode & FMODE_WRITE)))
		err = e->fc ? key_still_loaded(e, file) : use_key(e, file);
	/* A new file will be sealed with the active key: there must be one. */
	if (!err && !e->have_hdr && (file->f_mode & FMODE_WRITE)) {
		u8 id[IOI_KEY_ID_SIZE];

		err = ioi_key_active(id);
		if (err) {
			ioi_stats_inc(&ioi_stats, IOI_STAT_NOKEY);
			ioi_event_file(IOI_EVENT_NOKEY, "open", -err, file,
				       "no key loaded to seal it");
		}
	}
	up_write(&e->sem);
	/* On IOI_ENC_PLAINTEXT too: the file will not come through here. */
	if (err)
		close_one(e);
	else
		ioi_stats_inc(&ioi_stats, IOI_STAT_ENCRYPTED_OPEN);
	return err;
}

int ioi_enc_key_users(const u8 id[IOI_KEY_ID_SIZE])
{
	unsigned int i, n = 0, opens, users = 0;
	struct ioi_enc *e, **all;
	struct ioi_header h;
	int bkt;

	/*
	 * An inode's lock can be held for a whole long write: wait for each
	 * without the table's lock, which every open, read and write takes.
	 * A reference keeps each entry meanwhile.
	 */
	spin_lock(&encs_lock);
	hash_for_each(encs, bkt, e, node)
		n++;
	spin_unlock(&encs_lock);
	all = kvmalloc_array(n, sizeof(*all), GFP_KERNEL);
	if (!all)
		return n ? -ENOMEM : 0;
	i = 0;
	spin_lock(&encs_lock);
	hash_for_each(encs, bkt, e, node) {
		if (i < n) {
			refcount_inc(&e->ref);
			all[i++] = e;
		}
	}
	spin_unlock(&encs_lock);
	n = i;

	for (i = 0; i < n; i++) {
		e = all[i];
		/* The header and the key change together, under the lock. */
		down_write(&e->sem);
		if (e->fc) {
			ioi_header_parse(e->raw, IOI_HDR_SIZE, &h);
			spin_lock(&encs_lock);
			opens = e->opens;
			spin_unlock(&encs_lock);
			if (!memcmp(h.key_id, id, IOI_KEY_ID_SIZE)) {
				users += opens;
				/* Closed: nothing keeps what the key gave. */
				if (!opens && !ioi_key_loaded(id))
					forget(e);
			}
		}
		up_write(&e->sem);
		put(e);
	}
	kvfree(all);
	return users;
}

void ioi_enc_release(struct file *file)
{
	ioi_stats_add(&ioi_stats, IOI_STAT_ENCRYPTED_OPEN, -1);
	close_one(get(file));
}

loff_t ioi_enc_size(struct file *file)
{
	return ioi_plain_size(i_size_read(file_inode(file)));
}

bool ioi_enc_inode_open(const struct inode *inode)
{
	struct ioi_enc *e;
	bool open;

	spin_lock(&encs_lock);
	e = find(inode);
	open = e && e->opens;
	spin_unlock(&encs_lock);
	return open;
}

/*
 * Blocks one call into the filesystem moves: a call per block would cost
 * as much as the copy of the block itself. 15 stored blocks and an end
 * record fill one order-4 allocation (61,888 of 65,536 bytes).
 */
#define IOI_BATCH	15

/*
 * What one read, write or truncate works with: its own GCM operation
 * (readers of a file run at once) and room for up to @n stored blocks,
 * laid out as in the file, so that a run of blocks is one call below.
 */
struct ioi_io {
	struct ioi_crypt_op *op;	/* in buf if cached, else kmalloc()ed */
	u8 *buf;
	unsigned int n;
	bool cached;	/* buf is from io_cache, else kmalloc()ed */
	u8 nonces[(IOI_BATCH + 1) * IOI_NONCE];	/* the end record's too */
	u8 *blk[IOI_BATCH];	/* a read's blocks, when the cache keeps them */
};

/* @n stored blocks and the end record after them. */
#define IOI_IO_BYTES(n)	((n) * IOI_BLOCK_STORED + IOI_END_SIZE)
/*
 * Then the GCM operation and its request, in what the order-4 allocation
 * has left (3.6 KiB; gcm(aes) with AES-NI needs under 1 KiB): no
 * allocation of their own. Not on the stack: the cipher reaches the IV and
 * AAD in the operation through scatterlists, which need linear memory.
 */
#define IOI_IO_OP_AT	ALIGN(IOI_IO_BYTES(IOI_BATCH), CRYPTO_MINALIGN)
#define IOI_IO_REQ_AT	ALIGN(IOI_IO_OP_AT + sizeof(struct ioi_crypt_op), \
			      CRYPTO_MINALIGN)
#define IOI_IO_REQ_ROOM	2048

/*
 * Room for IOI_BATCH stored blocks and the GCM request, 62 KiB: kmalloc()
 * would take it from the page allocator, which init_on_alloc (on in
 * Debian's kernel) makes zero on every call, a second pass over every byte
 * moved. A cache with a constructor is exempt: its objects are built once.
 * Nothing reads a slot before it is written (a block is zeroed where it
 * has no data), as nothing could under a kernel without init_on_alloc.
 */
static struct kmem_cache *io_cache;

static void io_ctor(void *buf)
{
}

/*
 * Plaintext passes through io->buf, but is not wiped: it is in the
 * caller's memory anyway, guest memory is the one thing the host cannot
 * read, and a wipe would cost as much as a copy. Keys are wiped.
 *
 * Callable twice (io_start() ends a failed start, its caller again):
 * kmem_cache_free(), unlike kfree(), must not see NULL.
 */
static void io_end(struct ioi_io *io)
{
	/* First: the operation may be in the buffer. */
	if (io->op && io->cached)
		ioi_crypt_op_release(io->op);
	else
		ioi_crypt_op_free(io->op);
	if (io->cached)
		kmem_cache_free(io_cache, io->buf);
	else
		kfree(io->buf);
	io->buf = NULL;
	io->cached = false;
	io->op = NULL;
}

/*
 * For @blocks blocks (at least one), the key being in use. The cipher
 * works on the buffer through scatterlists, which need linear memory: no
 * vmalloc. When memory is fragmented, one block per call will do.
 */
static int io_start(struct ioi_io *io, struct ioi_enc *e, u64 blocks)
{
	io->n = clamp_t(u64, blocks, 1, IOI_BATCH);
	io->buf = kmem_cache_alloc(io_cache, GFP_KERNEL | __GFP_NORETRY |
				   __GFP_NOWARN);
	io->cached = io->buf;
	if (!io->buf) {
		io->n = 1;
		io->buf = kmalloc(IOI_IO_BYTES(1), GFP_KERNEL);
	}
	if (io->cached) {
		io->op = (struct ioi_crypt_op *)(io->buf + IOI_IO_OP_AT);
		if (ioi_crypt_op_init(io->op, e->fc, io->buf + IOI_IO_REQ_AT,
				      IOI_IO_REQ_ROOM))
			io->op = NULL;
	} else if (io->buf) {
		io->op = ioi_crypt_op_new(e->fc);
	}
	if (io->op)
		return 0;
	io_end(io);
	return -ENOMEM;
}

static unsigned long pc_count(struct shrinker *s, struct shrink_control *sc)
{
	return ioi_pcache_blocks() + READ_ONCE(nidle) ?: SHRINK_EMPTY;
}

/*
 * Entries no file has open go whole (no read can be copying from their
 * blocks: it would need an open file). Then blocks of open ones, taken
 * out of the table's lock first, and only if no read or write holds the
 * inode now: reclaim can come from an allocation made under its lock.
 */
static unsigned long pc_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct ioi_enc *e, *t, *busy[16];
	unsigned long freed = 0;
	unsigned int i, n = 0;
	struct hlist_node *tmp;
	LLIST_HEAD(drop);
	int bkt;

	spin_lock(&encs_lock);
	hash_for_each_safe(encs, bkt, tmp, e, node) {
		if (freed >= sc->nr_to_scan)
			continue;
		if (e->opens) {
			if (n < ARRAY_SIZE(busy) && !xa_empty(&e->pc.xa)) {
				refcount_inc(&e->ref);
				busy[n++] = e;
			}
			continue;
		}
		hash_del(&e->node);
		nidle--;
		freed++;
		if (refcount_dec_and_test(&e->ref))
			llist_add(&e->gone, &drop);
	}
	spin_unlock(&encs_lock);
	llist_for_each_entry_safe(e, t, drop.first, gone)
		enc_free(e);
	for (i = 0; i < n; i++) {
		e = busy[i];
		if (freed < sc->nr_to_scan && down_write_trylock(&e->sem)) {
			freed += ioi_pcache_drop(&e->pc, 0, U64_MAX,
						 sc->nr_to_scan - freed);
			up_write(&e->sem);
		}
		put(e);
	}
	return freed ?: SHRINK_STOP;
}

static struct shrinker pc_shrinker = {
	.count_objects = pc_count,
	.scan_objects = pc_scan,
	.seeks = DEFAULT_SEEKS,
};

int __init ioi_encfile_init(void)
{
	int err;

	/* Only the blocks go to and come from user memory: whitelisted. */
	io_cache = kmem_cache_create_usercopy("ioi_io", IOI_IO_REQ_AT +
					      IOI_IO_REQ_ROOM, CRYPTO_MINALIGN,
					      0, 0, IOI_IO_BYTES(IOI_BATCH),
					      io_ctor);
	if (!io_cache)
		return -ENOMEM;
	err = ioi_pcache_init();
	if (err)
		goto free_io;
	err = register_shrinker(&pc_shrinker, "iointercept-plain");
	if (err)
		goto free_pcache;
	return 0;
free_pcache:
	ioi_pcache_exit();
free_io:
	kmem_cache_destroy(io_cache);
	return err;
}

void ioi_encfile_exit(void)
{
	struct hlist_node *tmp;
	struct ioi_enc *e;
	int bkt;

	unregister_shrinker(&pc_shrinker);
	/* The probes are gone and no file is open: all entries are idle. */
	hash_for_each_safe(encs, bkt, tmp, e, node) {
		hash_del(&e->node);
		put(e);
	}
	flush_delayed_work(&gone_work);
	ioi_pcache_exit();
	kmem_cache_destroy(io_cache);
}

static u8 *slot(struct ioi_io *io, unsigned int i)
{
	return io->buf + i * IOI_BLOCK_STORED;
}

/* The plaintext length of block @b of a file of @size bytes. */
static size_t block_len(loff_t size, u64 b)
{
	return min_t(loff_t, IOI_BLOCK, size - (loff_t)(b * IOI_BLOCK));
}

/* Open block @b, stored in @blk with @len bytes of plaintext, in place. */
static int open_block(struct ioi_enc *e, struct ioi_io *io,
		      struct file *file, u64 b, size_t len, u8 *blk)
{
	u64 t0 = ioi_timing_start();
	int err = ioi_block_open(io->op, b, blk, len + IOI_BLOCK_OVERHEAD);
	char detail[48];

	ioi_timing_end(t0, IOI_STAT_TIMING_CRYPT_NS,
		       IOI_STAT_TIMING_CRYPT_CALLS);
	if (err == -EIO) {
		snprintf(detail, sizeof(detail),
			 "block %llu failed authentication", b);
		integrity_failure(file, "read", detail);
		pr_notice_ratelimited("inode %lu: %s\n", e->inode->i_ino,
				      detail);
	} else if (!err) {
		ioi_stats_add(&ioi_stats, IOI_STAT_DECRYPTED_BYTES, len);
	}
	return err;
}

/*
 * Read blocks @b .. @b + @n - 1 of a file of @size bytes, stored, into
 * @blk[0 .. @n - 1] (slots of io->buf, or blocks of the cache's own): one
 * call below.
 */
static int read_blocks(struct file *file, const struct file_operations *lower,
		       u64 b, unsigned int n, loff_t size, u8 **blk)
{
	struct kvec kv[IOI_BATCH];
	struct iov_iter it;
	size_t len = 0;
	unsigned int i;
	ssize_t got;

	for (i = 0; i < n; i++) {
		kv[i].iov_base = blk[i];
		kv[i].iov_len = block_len(size, b + i) + IOI_BLOCK_OVERHEAD;
		len += kv[i].iov_len;
	}
	iov_iter_kvec(&it, ITER_DEST, kv, n, len);
	got = lower_iter(file, lower, false, ioi_block_pos(b), &it);
	if (got < 0)
		return got;
	/* Shorter than the size says: cut behind our back. */
	return got == len ? 0 : -EIO;
}

/* Read and open block @b of a file of @size bytes into slot @i. */
static int read_block(struct ioi_enc *e, struct ioi_io *io,
		      struct file *file, const struct file_operations *lower,
		      u64 b, loff_t size, unsigned int i)
{
	u8 *p = slot(io, i);

	return read_blocks(file, lower, b, 1, size, &p) ?:
	       open_block(e, io, file, b, block_len(size, b), p);
}

/* Is the end of a file of @size bytes known to be where it is stored? */
static bool end_known(struct ioi_enc *e, loff_t size)
{
	return !size || READ_ONCE(e->end_ok) == ioi_lower_size(size);
}

/*
 * A file must not read as ending where it was cut: before a read reports
 * the end of a file of @size bytes, or a write moves it, its end record
 * is checked, once per stored size while the inode is open (we wrote it,
 * or checked it, since the size last changed).
 */
static int check_end(struct ioi_enc *e, struct ioi_io *io, struct file *file,
		     const struct file_operations *lower, loff_t size,
		     const char *op)
{
	loff_t stored = ioi_lower_size(size);
	ssize_t got;
	int err;

	if (end_known(e, size))
		return 0;
	got = lower_io(file, lower, false, stored - IOI_END_SIZE, io->buf,
		       IOI_END_SIZE);
	if (got < 0)
		return got;
	err = got == IOI_END_SIZE ? ioi_end_open(io->op, size, io->buf) : -EIO;
	if (err == -EIO) {
		integrity_failure(file, op, "end of file not authenticated");
		pr_notice_ratelimited("inode %lu: end of file not authenticated\n",
				      e->inode->i_ino);
	} else if (!err) {
		WRITE_ONCE(e->end_ok, stored);
	}
	return err;
}

/* Seal and write the end record of a file of @size bytes, alone. */
static int write_end(struct ioi_enc *e, struct ioi_io *io, struct file *file,
		     const struct file_operations *lower, loff_t size)
{
	loff_t stored = ioi_lower_size(size);
	ssize_t put;
	int err;

	err = ioi_end_seal(io->op, size, io->buf, NULL);
	if (err)
		return err;
	put = lower_io(file, lower, true, stored - IOI_END_SIZE, io->buf,
		       IOI_END_SIZE);
	if (put < 0)
		return put;
	if (put != IOI_END_SIZE)
		return -EIO;
	WRITE_ONCE(e->end_ok, stored);
	return 0;
}

/*
 * Seal the @n blocks in io->buf, the first being @b, the plaintext of each
 * IOI_BLOCK long but the last's, @last_len, and write them: one call below.
 * If they end a file of @end_size bytes, not 0, its end record goes after
 * them, in the same call.
 */
static int write_stored(struct ioi_enc *e, struct ioi_io *io,
			struct file *file, const struct file_operations *lower,
			u64 b, unsigned int n, size_t last_len, loff_t end_size)
{
	size_t len, total = 0;
	unsigned int i;
	ssize_t put;
	int err;

	ioi_block_nonces(io->nonces, n + !!end_size);
	for (i = 0; i < n; i++) {
		u64 t0 = ioi_timing_start();

		len = i == n - 1 ? last_len : IOI_BLOCK;
		err = ioi_block_seal(io->op, b + i, slot(io, i), len,
				     io->nonces + i * IOI_NONCE);
		ioi_timing_end(t0, IOI_STAT_TIMING_CRYPT_NS,
			       IOI_STAT_TIMING_CRYPT_CALLS);
		if (err)
			return err;
		total += len + IOI_BLOCK_OVERHEAD;
	}
	ioi_stats_add(&ioi_stats, IOI_STAT_ENCRYPTED_BYTES,
		      total - n * IOI_BLOCK_OVERHEAD);
	if (end_size) {
		err = ioi_end_seal(io->op, end_size, io->buf + total,
				   io->nonces + n * IOI_NONCE);
		if (err)
			return err;
		total += IOI_END_SIZE;
	}
	put = lower_io(file, lower, true, ioi_block_pos(b), io->buf, total);
	if (put < 0)
		return put;
	if (put != total)
		return -EIO;
	if (end_size)
		WRITE_ONCE(e->end_ok, ioi_block_pos(b) + total);
	return 0;
}

/* Copy what the read wants of block @b, whose plaintext is at @plain. */
static int copy_out(const u8 *plain, u64 b, loff_t size, loff_t *pos,
		    size_t *done, struct iov_iter *to)
{
	size_t off = *pos - b * IOI_BLOCK;
	size_t cnt = min(block_len(size, b) - off, iov_iter_count(to));
	size_t got = copy_to_iter(plain + off, cnt, to);

	*pos += got;
	*done += got;
	return got == cnt ? 0 : -EFAULT;
}

/* How many blocks from @b, at most @max, are not in the cache: a run. */
static unsigned int uncached(struct ioi_enc *e, u64 b, u64 max, loff_t size)
{
	unsigned int n = 1;

	while (n < max &&
	       !ioi_pcache_get(&e->pc, b + n, block_len(size, b + n)))
		n++;
	return n;
}

/* Room in the cache for @n blocks, all or none. */
static bool alloc_blocks(u8 **blk, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		blk[i] = ioi_pcache_alloc();
		if (!blk[i])
			break;
	}
	if (i == n)
		return true;
	while (i--)
		ioi_pcache_release(blk[i]);
	return false;
}

/*
 * Blocks read ahead, past what a read asked for, only go to the cache: one
 * that does not open is left out, silently (the read that asks for it
 * reports it), and so is the read ahead when the blocks cannot be read.
 */
static void read_ahead(struct ioi_enc *e, struct ioi_io *io, u64 b,
		       u8 **blk, unsigned int n, loff_t size, bool ok)
{
	unsigned int i;
	size_t len;

	for (i = 0; i < n; i++) {
		len = block_len(size, b + i);
		if (ok && !ioi_block_open(io->op, b + i, blk[i],
					  len + IOI_BLOCK_OVERHEAD)) {
			ioi_stats_add(&ioi_stats, IOI_STAT_DECRYPTED_BYTES, len);
			ioi_pcache_insert(&e->pc, b + i, blk[i], len);
		} else {
			ioi_pcache_release(blk[i]);
		}
	}
}

/*
 * Read, open and copy out the @n blocks from @b, none of them in the
 * cache: into blocks of the cache's own, kept once opened, or through
 * io->buf when there is no memory for them. With room in the cache, the
 * @ahead blocks after them are read in the same call below, and kept.
 */
static int read_run(struct ioi_enc *e, struct ioi_io *io, struct file *file,
		    const struct file_operations *lower, u64 b,
		    unsigned int n, unsigned int ahead, loff_t size,
		    loff_t *pos, size_t *done, struct iov_iter *to)
{
	bool keep = alloc_blocks(io->blk, n + ahead), opened;
	unsigned int i;
	u8 *p;
	int err;

	if (!keep) {
		ahead = 0;
		keep = alloc_blocks(io->blk, n);
	}
	for (i = 0; !keep && i < n; i++)
		io->blk[i] = slot(io, i);
	err = read_blocks(file, lower, b, n + ahead, size, io->blk);
	/* Cut behind our back, past what was asked for: not this read's. */
	if (err && ahead) {
		read_ahead(e, io, b + n, io->blk + n, ahead, size, false);
		ahead = 0;
		err = read_blocks(file, lower, b, n, size, io->blk);
	}
	read_ahead(e, io, b + n, io->blk + n, ahead, size, !err);
	for (i = 0; i < n; i++) {
		p = io->blk[i];
		opened = false;
		if (!err) {
			err = open_block(e, io, file, b + i,
					 block_len(size, b + i), p);
			opened = !err;
			err = err ?: copy_out(p + IOI_NONCE, b + i, size, pos,
					      done, to);
		}
		if (keep && opened)
			ioi_pcache_insert(&e->pc, b + i, p,
					  block_len(size, b + i));
		else if (keep)
			ioi_pcache_release(p);
	}
	return err;
}

ssize_t ioi_enc_read(struct kiocb *iocb, struct iov_iter *to,
		     const struct file_operations *lower, u8 mode)
{
	struct file *file = iocb->ki_filp;
	struct ioi_enc *e = get(file);
	loff_t pos = iocb->ki_pos, size, end;
	struct ioi_io io = {};
	const u8 *plain;
	size_t done = 0;
	unsigned int n, r;
	u64 b, last, ahead;
	bool past;
	int err = 0;

	/*
	 * The mode of this file's rule, not of the inode's first opener: a
	 * policy reloaded with wo for a file that someone holds open under
	 * rw must not let new openers read it in the clear.
	 */
	if (mode == IOI_ENCRYPT_WO)
		return lower->read_iter(iocb, to);
	down_read(&e->sem);
	if (!pc_fresh(e)) {
		up_read(&e->sem);
		down_write(&e->sem);
		pc_check(e);
		downgrade_write(&e->sem);
	}
	size = ioi_enc_size(file);
	if (size < 0) {
		err = size;
		goto out;
	}
	if (size && !e->fc) {
		/* Written by another opener since we looked. */
		up_read(&e->sem);
		down_write(&e->sem);
		err = e->have_hdr ? 0 : load_header(e, file, lower,
						    i_size_read(e->inode));
		/* Turned into plaintext behind our back: not readable here. */
		if (err == IOI_ENC_PLAINTEXT)
			err = -EIO;
		err = err ?: use_key(e, file);
		downgrade_write(&e->sem);
		if (err)
			goto out;
		size = ioi_enc_size(file);
	}
	if (!iov_iter_count(to))
		goto out;
	/* Asked for more than there is: the end must be proven. */
	past = pos >= size || iov_iter_count(to) > size - pos;
	end = min_t(loff_t, size, pos + iov_iter_count(to));
	last = (end - 1) >> IOI_BLOCK_LOG2;
	/*
	 * A read that starts where the last one ended reads ahead, so that
	 * small sequential reads make one call below for several blocks.
	 */
	b = ioi_block_of(pos);
	ahead = pos == READ_ONCE(e->ra_pos) ?
		min_t(u64, IOI_BATCH - 1, ioi_block_of(size - 1) - last) : 0;
	/* A read the cache answers whole needs no cipher, nor its buffer. */
	for (; pos < size && !err && b <= last; b += n) {
		plain = ioi_pcache_get(&e->pc, b, block_len(size, b));
		if (plain) {
			n = 1;
			err = copy_out(plain + IOI_NONCE, b, size, &pos, &done,
				       to);
			continue;
		}
		if (!io.op)
			err = io_start(&io, e, last - b + 1 + ahead);
		if (err)
			break;
		n = uncached(e, b, min_t(u64, io.n, last - b + 1 + ahead),
			     size);
		/* Only once the run reaches the read's last block. */
		r = b + n > last + 1 ? b + n - (last + 1) : 0;
		err = read_run(e, &io, file, lower, b, n - r, r, size, &pos,
			       &done, to);
		n -= r;
	}
	if (done)
		WRITE_ONCE(e->ra_pos, pos);
	/* What was read is returned; the next read, at the end, fails. */
	if (!err && past && !end_known(e, size))
		err = (io.op ? 0 : io_start(&io, e, 1)) ?:
		      check_end(e, &io, file, lower, size, "read");
	io_end(&io);
out:
	up_read(&e->sem);
	iocb->ki_pos = pos;
	return done ?: err;
}

/*
 * Write @len bytes from @from (zeros if NULL) at @pos of a file of @size
 * bytes; @done is what was written, all of it unless there is an error.
 * Blocks are rewritten whole: the old content of a partly written block is
 * opened and kept, and blocks between the old end and @pos are zeros. A
 * write that moves the end writes a new end record over the old one; no
 * block it does not write into is touched.
 */
static int write_range(struct ioi_enc *e, struct ioi_io *io,
		       struct file *file, const struct file_operations *lower,
		       loff_t pos, struct iov_iter *from, size_t len,
		       loff_t size, size_t *done)
{
	loff_t end = pos + len, new_size = max(size, end), bstart, lo, hi;
	loff_t wrote_to = size;
	u64 b, first, last_new, last_write, nold, bi;
	size_t blen, olen, keep, copied = 0, got, k;
	unsigned int i, n;
	u8 *data;
	int err = 0;

	/* Nothing written if the end does not verify. */
	*done = 0;
	nold = DIV_ROUND_UP_ULL(size, IOI_BLOCK);
	last_new = (new_size - 1) >> IOI_BLOCK_LOG2;
	last_write = (end - 1) >> IOI_BLOCK_LOG2;
	first = ioi_block_of(min(pos, size));
	ioi_pcache_drop(&e->pc, first, last_write, ULONG_MAX);
	if (new_size != size) {
		/* Writing on after an end that was cut would hide the cut. */
		err = check_end(e, io, file, lower, size, "write");
		if (err)
			return err;
		/* The old end record may be overwritten from here on. */
		WRITE_ONCE(e->end_ok, -1);
	}
	for (b = first; b <= last_write; b += n) {
		n = min_t(u64, io->n, last_write - b + 1);
		got = 0;
		for (i = 0; !err && i < n; i++) {
			bi = b + i;
			bstart = bi * IOI_BLOCK;
			blen = min_t(loff_t, IOI_BLOCK, new_size - bstart);
			lo = min_t(loff_t, max(pos, bstart) - bstart, blen);
			hi = max(min(end, bstart + (loff_t)blen) - bstart, lo);
			data = slot(io, i) + IOI_NONCE;
			olen = bi < nold ? block_len(size, bi) : 0;
			/* Keep what the write does not cover. */
			if (olen && (lo > 0 || hi < olen))
				err = read_block(e, io, file, lower, bi, size,
						 i);
			else
				olen = 0;
			if (err)
				break;
			/* Zeros around the data, where there was nothing. */
			if (lo > olen)
				memset(data + olen, 0, lo - olen);
			keep = max_t(size_t, hi, olen);
			if (blen > keep)
				memset(data + keep, 0, blen - keep);
			if (!from) {
				memset(data + lo, 0, hi - lo);
				got += hi - lo;
				continue;
			}
			k = copy_from_iter(data + lo, hi - lo, from);
			got += k;
			if (k != hi - lo)
				err = -EFAULT;
		}
		if (err) {
			/* This run is not written: its data goes back. */
			if (from)
				iov_iter_revert(from, got);
			break;
		}
		bi = b + n - 1;
		err = write_stored(e, io, file, lower, b, n,
				   min_t(loff_t, IOI_BLOCK,
					 new_size - bi * IOI_BLOCK),
				   bi == last_new && new_size != size ?
				   new_size : 0);
		if (err)
			break;
		copied += got;
		wrote_to = max_t(loff_t, wrote_to,
				 min_t(loff_t, new_size, (bi + 1) * IOI_BLOCK));
	}
	*done = copied;
	if (err) {
		/*
		 * A run the filesystem below stored part way may have grown
		 * the file past the runs written whole: cut it back, so the
		 * file ends where the write says it stopped.
		 */
		lo = wrote_to ? ioi_lower_size(wrote_to) : IOI_HDR_SIZE;
		if (i_size_read(e->inode) > lo && ioi_lower_cut(file, lo))
			pr_warn_ratelimited("inode %lu: cannot cut a failed write back\n",
					    e->inode->i_ino);
		/* Where it stopped, or where it was, if data went over it. */
		if (new_size != size && wrote_to &&
		    write_end(e, io, file, lower, wrote_to))
			pr_warn_ratelimited("inode %lu: cannot mark the end of a short write\n",
					    e->inode->i_ino);
	}
	return err;
}

/* Before the first block: a header, again if the file was cut to nothing. */
static int write_header(struct ioi_enc *e, struct file *file,
			const struct file_operations *lower)
{
	loff_t stored = i_size_read(e->inode);
	ssize_t n;
	int err;

	/* Written behind our back since it was empty: its header, then. */
	if (!e->have_hdr && stored) {
		err = load_header(e, file, lower, stored);
		if (err)
			return err == IOI_ENC_PLAINTEXT ? -EIO : err;
	}
	err = e->have_hdr ? use_key(e, file) : new_header(e);
	if (err || stored >= IOI_HDR_SIZE)
		return err;
	n = lower_io(file, lower, true, 0, e->raw, IOI_HDR_SIZE);
	if (n < 0)
		return n;
	return n == IOI_HDR_SIZE ? 0 : -EIO;
}

/* The blocks a write of [@pos, @end) touches in a file of @size bytes. */
static u64 write_blocks(loff_t pos, loff_t end, loff_t size)
{
	return ((end - 1) >> IOI_BLOCK_LOG2) - ioi_block_of(min(pos, size)) + 1;
}

ssize_t ioi_enc_write(struct kiocb *iocb, struct iov_iter *from,
		      const struct file_operations *lower)
{
	struct file *file = iocb->ki_filp;
	struct ioi_enc *e = get(file);
	size_t len = iov_iter_count(from), bad, done;
	struct ioi_io io = {};
	loff_t pos, end, size;
	ssize_t ret;
	int err;

	if (!len)
		return 0;
	/*
	 * A fault part way would leave blocks written for a size the file
	 * does not reach: write only what can be read, as the page cache does.
	 */
	bad = fault_in_iov_iter_readable(from, len);
	if (bad == len)
		return -EFAULT;
	len -= bad;
	down_write(&e->sem);
	pc_check(e);
	ret = write_header(e, file, lower);
	if (ret)
		goto out;
	size = ioi_enc_size(file);
	if (size < 0) {
		ret = size;
		goto out;
	}
	pos = iocb->ki_flags & IOCB_APPEND ? size : iocb->ki_pos;
	if (check_add_overflow(pos, (loff_t)len, &end) ||
	    ioi_lower_size(end) > e->inode->i_sb->s_maxbytes) {
		ret = -EFBIG;
		goto out;
	}
	ret = io_start(&io, e, write_blocks(pos, end, size));
	if (ret)
		goto out;
	err = write_range(e, &io, file, lower, pos, from, len, size, &done);
	io_end(&io);
	if (done) {
		iocb->ki_pos = pos + done;
		ret = done;
	} else {
		ret = err;
	}
out:
	pc_stamp(e);
	up_write(&e->sem);
	return ret;
}

/*
 * A file of @size bytes cut to @length, less: a new last block that the cut
 * goes through is read first and sealed again after the cut, so that a
 * failed cut changes nothing; then the new end record.
 */
static int shrink(struct ioi_enc *e, struct ioi_io *io, struct file *file,
		  const struct file_operations *lower, loff_t size,
		  loff_t length, int (*cut)(void *arg, loff_t lower_size),
		  void *arg)
{
	u64 k = (length - 1) >> IOI_BLOCK_LOG2;
	size_t klen = block_len(length, k);
	bool partial = klen < block_len(size, k);
	int err;

	if (length >= size)
		return 0;
	ioi_pcache_drop(&e->pc, length ? k : 0, U64_MAX, ULONG_MAX);
	if (!length)
		return cut(arg, 0);
	err = partial ? read_block(e, io, file, lower, k, size, 0) : 0;
	if (err)
		return err;
	WRITE_ONCE(e->end_ok, -1);
	return cut(arg, ioi_lower_size(length)) ?:
	       (partial ? write_stored(e, io, file, lower, k, 1, klen, length) :
			  write_end(e, io, file, lower, length));
}

int ioi_enc_truncate(struct file *file, const struct file_operations *lower,
		     loff_t length, int (*cut)(void *arg, loff_t lower_size),
		     void *arg)
{
	struct ioi_enc *e = get(file);
	struct ioi_io io = {};
	loff_t size;
	size_t done;
	int err;

	down_write(&e->sem);
	pc_check(e);
	size = ioi_enc_size(file);
	/*
	 * Cutting to nothing always works, even on a damaged file; the next
	 * write seals a new header under the key active then.
	 */
	if (!length) {
		ioi_pcache_drop(&e->pc, 0, U64_MAX, ULONG_MAX);
		err = cut(arg, 0);
		if (!err)
			e->have_hdr = false;
		goto out;
	}
	if (size < 0) {
		err = size;
		goto out;
	}
	if (length == size) {
		/* Only the times change. */
		err = cut(arg, i_size_read(e->inode));
	} else if (length > size) {
		if (ioi_lower_size(length) > e->inode->i_sb->s_maxbytes) {
			err = -EFBIG;
			goto out;
		}
		/* Zeros, written as any data: the last block moves. */
		err = write_header(e, file, lower) ?:
		      io_start(&io, e, write_blocks(size, length, size));
		if (err)
			goto out;
		err = write_range(e, &io, file, lower, size, NULL,
				  length - size, size, &done);
		/*
		 * All or nothing (ENOSPC part way): back to the runs written
		 * whole, then to the old size.
		 */
		if (err && (cut(arg, ioi_lower_size(size + done)) ||
			    shrink(e, &io, file, lower, size + done, size, cut,
				   arg)))
			pr_warn_ratelimited("inode %lu: cannot undo a failed extension\n",
					    e->inode->i_ino);
		io_end(&io);
	} else {
		err = use_key(e, file) ?: io_start(&io, e, 1);
		if (err)
			goto out;
		err = shrink(e, &io, file, lower, size, length, cut, arg);
		io_end(&io);
	}
out:
	pc_stamp(e);
	up_write(&e->sem);
	return err;
}
