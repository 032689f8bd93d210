// SPDX-License-Identifier: GPL-2.0
/*
 * Encrypted files: reading and writing plaintext through the filesystem's
 * own file_operations, which see only the format of docs/format.md. The
 * state of an inode open through the shim (its header, its file key) is
 * kept here, per inode, not in the file: private_data is the filesystem's.
 *
 * A read-write semaphore per inode orders our read-modify-write of blocks;
 * the filesystem takes its own locks inside the calls we make.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "crypt.h"
#include "encfile.h"
#include "format.h"
#include "keys.h"
#include "policy.h"

struct ioi_enc {
	struct hlist_node node;
	struct inode *inode;
	refcount_t users;		/* files open through the shim */
	struct rw_semaphore sem;
	bool have_hdr;			/* raw[] is this file's header */
	u8 mode;			/* enum ioi_encrypt */
	u8 raw[IOI_HDR_SIZE];
	struct ioi_file_crypt *fc;	/* NULL until a key is needed */
};

static DEFINE_HASHTABLE(encs, 8);
static DEFINE_MUTEX(encs_lock);

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

	mutex_lock(&encs_lock);
	e = find(file_inode(file));
	mutex_unlock(&encs_lock);
	/* An open file holds its inode's entry: it cannot go meanwhile. */
	return e;
}

static void put(struct ioi_enc *e)
{
	mutex_lock(&encs_lock);
	if (!refcount_dec_and_test(&e->users)) {
		mutex_unlock(&encs_lock);
		return;
	}
	hash_del(&e->node);
	mutex_unlock(&encs_lock);
	/* The file key goes with the last opener. */
	ioi_file_crypt_free(e->fc);
	kfree_sensitive(e);
}

/* Read or write @len bytes at @pos of the stored file, all or an error. */
static ssize_t lower_io(struct file *file, const struct file_operations *lower,
			bool write, loff_t pos, void *buf, size_t len)
{
	struct kvec kv;
	struct iov_iter it;
	struct kiocb k;
	size_t done = 0;
	ssize_t ret;

	while (done < len) {
		init_sync_kiocb(&k, file);
		/* Always buffered, always at the offset we say. */
		k.ki_flags &= ~(IOCB_DIRECT | IOCB_APPEND | IOCB_NOWAIT);
		k.ki_pos = pos + done;
		kv.iov_base = buf + done;
		kv.iov_len = len - done;
		iov_iter_kvec(&it, write ? ITER_SOURCE : ITER_DEST, &kv, 1,
			      len - done);
		ret = write ? lower->write_iter(&k, &it) :
			      lower->read_iter(&k, &it);
		if (ret < 0)
			return ret;
		if (!ret)
			break;
		done += ret;
	}
	return done;
}

/* The AES-256-GCM context of the file that header @h describes. */
static struct ioi_file_crypt *file_crypt(const struct ioi_header *h)
{
	struct ioi_file_crypt *fc;
	u8 key[IOI_KEY_SIZE];
	int err;

	err = ioi_key_file_key(h->key_id, h->file_nonce, key);
	if (err)
		return ERR_PTR(err);
	fc = ioi_file_crypt_new(key);
	memzero_explicit(key, sizeof(key));
	return fc;
}

static int use_key(struct ioi_enc *e)
{
	struct ioi_file_crypt *fc;
	struct ioi_header h;
	u8 tag[IOI_TAG];
	int err;

	if (e->fc)
		return 0;
	ioi_header_parse(e->raw, IOI_HDR_SIZE, &h);
	fc = file_crypt(&h);
	if (IS_ERR(fc))
		return PTR_ERR(fc);
	err = ioi_header_tag(fc, e->raw, tag);
	if (!err && crypto_memneq(tag, e->raw + IOI_HDR_TAGGED, IOI_TAG)) {
		pr_notice_ratelimited("inode %lu: header authentication failed\n",
				      e->inode->i_ino);
		err = -EIO;
	}
	if (err) {
		ioi_file_crypt_free(fc);
		return err;
	}
	e->fc = fc;
	return 0;
}

/* A new header under the active key, for a file that has no data yet. */
static int new_header(struct ioi_enc *e)
{
	struct ioi_file_crypt *fc;
	struct ioi_header h;
	int err;

	err = ioi_key_active(h.key_id);
	if (err)
		return err;
	get_random_bytes(h.file_nonce, sizeof(h.file_nonce));
	fc = file_crypt(&h);
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
		pr_notice_ratelimited("inode %lu: not an encrypted file under an encrypt rule: opened as it is (on-plaintext allow)\n",
				      e->inode->i_ino);
		return IOI_ENC_PLAINTEXT;
	}
	if (he == IOI_HDR_MAGIC) {
		pr_notice_ratelimited("inode %lu: not an encrypted file under an encrypt rule: refused\n",
				      e->inode->i_ino);
		return -EACCES;
	}
	if (he != IOI_HDR_OK) {
		pr_notice_ratelimited("inode %lu: %s\n", e->inode->i_ino,
				      ioi_header_error(he));
		return -EIO;
	}
	e->have_hdr = true;
	return 0;
}

int ioi_enc_open(struct file *file, const struct file_operations *lower,
		 u8 mode)
{
	struct inode *inode = file_inode(file);
	loff_t lower_size;
	struct ioi_enc *e;
	int err = 0;

	mutex_lock(&encs_lock);
	e = find(inode);
	if (e) {
		refcount_inc(&e->users);
	} else {
		e = kzalloc(sizeof(*e), GFP_KERNEL);
		if (!e) {
			mutex_unlock(&encs_lock);
			return -ENOMEM;
		}
		e->inode = inode;
		e->mode = mode;
		refcount_set(&e->users, 1);
		init_rwsem(&e->sem);
		hash_add(encs, &e->node, (unsigned long)inode);
	}
	mutex_unlock(&encs_lock);

	down_write(&e->sem);
	lower_size = i_size_read(inode);
	if (!e->have_hdr && lower_size > 0)
		err = load_header(e, file, lower, lower_size);
	/*
	 * A wo file is read back sealed, so reading it needs no key; all
	 * else does, and a missing key is ENOKEY now, not EIO later.
	 */
	if (!err && e->have_hdr && (mode == IOI_ENCRYPT_RW ||
				    (file->f_mode & FMODE_WRITE)))
		err = use_key(e);
	/* A new file will be sealed with the active key: there must be one. */
	if (!err && !e->have_hdr && (file->f_mode & FMODE_WRITE)) {
		u8 id[IOI_KEY_ID_SIZE];

		err = ioi_key_active(id);
	}
	up_write(&e->sem);
	/* On IOI_ENC_PLAINTEXT too: the file will not come through here. */
	if (err)
		put(e);
	return err;
}

void ioi_enc_release(struct file *file)
{
	put(get(file));
}

loff_t ioi_enc_size(struct file *file)
{
	return ioi_plain_size(i_size_read(file_inode(file)));
}

/* Read and open block @b (@len bytes of plaintext) into @buf. */
static int read_block(struct ioi_enc *e, struct file *file,
		      const struct file_operations *lower, u64 b, size_t len,
		      bool last, u8 *buf)
{
	ssize_t n = lower_io(file, lower, false, ioi_block_pos(b), buf,
			     len + IOI_BLOCK_OVERHEAD);
	int err;

	if (n < 0)
		return n;
	if (n != len + IOI_BLOCK_OVERHEAD)
		return -EIO;
	err = ioi_block_open(e->fc, b, last, buf, n);
	if (err == -EIO)
		pr_notice_ratelimited("inode %lu: block %llu failed authentication\n",
				      e->inode->i_ino, b);
	return err;
}

static int write_block(struct ioi_enc *e, struct file *file,
		       const struct file_operations *lower, u64 b, size_t len,
		       bool last, u8 *buf)
{
	ssize_t n;
	int err;

	err = ioi_block_seal(e->fc, b, last, buf, len, NULL);
	if (err)
		return err;
	n = lower_io(file, lower, true, ioi_block_pos(b), buf,
		     len + IOI_BLOCK_OVERHEAD);
	if (n < 0)
		return n;
	return n == len + IOI_BLOCK_OVERHEAD ? 0 : -EIO;
}

ssize_t ioi_enc_read(struct kiocb *iocb, struct iov_iter *to,
		     const struct file_operations *lower)
{
	struct file *file = iocb->ki_filp;
	struct ioi_enc *e = get(file);
	loff_t pos = iocb->ki_pos, size;
	size_t done = 0, off, cnt, blen;
	u64 b, nblocks;
	u8 *buf;
	int err = 0;

	if (e->mode == IOI_ENCRYPT_WO)
		return lower->read_iter(iocb, to);
	buf = kmalloc(IOI_BLOCK_STORED, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	down_read(&e->sem);
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
		err = err ?: use_key(e);
		downgrade_write(&e->sem);
		if (err)
			goto out;
		size = ioi_enc_size(file);
	}
	nblocks = DIV_ROUND_UP_ULL(max_t(loff_t, size, 0), IOI_BLOCK);
	while (pos < size && iov_iter_count(to)) {
		b = ioi_block_of(pos);
		blen = min_t(loff_t, IOI_BLOCK, size - b * IOI_BLOCK);
		err = read_block(e, file, lower, b, blen, b == nblocks - 1,
				 buf);
		if (err)
			break;
		off = pos - b * IOI_BLOCK;
		cnt = min(blen - off, iov_iter_count(to));
		if (copy_to_iter(buf + IOI_NONCE + off, cnt, to) != cnt) {
			err = -EFAULT;
			break;
		}
		pos += cnt;
		done += cnt;
	}
out:
	up_read(&e->sem);
	kfree_sensitive(buf);
	iocb->ki_pos = pos;
	return done ?: err;
}

/* The most plaintext one step of a write takes from the caller. */
#define IOI_PIECE	(64 * IOI_BLOCK)

/*
 * Write @len bytes of plaintext from @data at @pos, the file being @size
 * bytes long. Blocks are rewritten whole: the old content of a partly
 * written block is opened and merged, blocks between the old end and @pos
 * are zeros, and the block that used to be last is sealed again without
 * the last flag. The data is in kernel memory already, so nothing
 * can fault between the first block written and the last.
 */
static int write_piece(struct ioi_enc *e, struct file *file,
		       const struct file_operations *lower, loff_t pos,
		       const u8 *data, size_t len, loff_t size, u8 *buf)
{
	loff_t end = pos + len, new_size = max(size, end);
	loff_t bstart, from_pos, to_pos;
	u64 b, first, last_new, last_write, nold;
	size_t blen, olen;
	int err;

	nold = DIV_ROUND_UP_ULL(size, IOI_BLOCK);
	last_new = (new_size - 1) >> IOI_BLOCK_LOG2;
	last_write = (end - 1) >> IOI_BLOCK_LOG2;
	first = ioi_block_of(min(pos, size));
	if (nold && nold - 1 < first) {
		/* The old last block is whole and stays, but not as last. */
		err = read_block(e, file, lower, nold - 1, IOI_BLOCK, true,
				 buf) ?:
		      write_block(e, file, lower, nold - 1, IOI_BLOCK, false,
				  buf);
		if (err)
			return err;
	}
	for (b = first; b <= last_write; b++) {
		bstart = b * IOI_BLOCK;
		blen = min_t(loff_t, IOI_BLOCK, new_size - bstart);
		from_pos = max(pos, bstart);
		to_pos = min(end, bstart + (loff_t)blen);
		memset(buf + IOI_NONCE, 0, blen);
		if (b < nold) {
			olen = min_t(loff_t, IOI_BLOCK, size - bstart);
			/* Keep what the write does not cover. */
			if (from_pos > bstart || to_pos < bstart + (loff_t)olen) {
				err = read_block(e, file, lower, b, olen,
						 b == nold - 1, buf);
				if (err)
					return err;
				/* Opened in place: its tag follows the data. */
				memset(buf + IOI_NONCE + olen, 0, blen - olen);
			}
		}
		if (to_pos > from_pos)
			memcpy(buf + IOI_NONCE + (from_pos - bstart),
			       data + (from_pos - pos), to_pos - from_pos);
		err = write_block(e, file, lower, b, blen, b == last_new, buf);
		if (err)
			return err;
	}
	return 0;
}

/* Before the first block: a header, again if the file was cut to nothing. */
static int write_header(struct ioi_enc *e, struct file *file,
			const struct file_operations *lower, u8 *buf)
{
	ssize_t n;
	int err;

	err = e->have_hdr ? use_key(e) : new_header(e);
	if (err || i_size_read(e->inode) >= IOI_HDR_SIZE)
		return err;
	memcpy(buf, e->raw, IOI_HDR_SIZE);
	n = lower_io(file, lower, true, 0, buf, IOI_HDR_SIZE);
	if (n < 0)
		return n;
	return n == IOI_HDR_SIZE ? 0 : -EIO;
}

ssize_t ioi_enc_write(struct kiocb *iocb, struct iov_iter *from,
		      const struct file_operations *lower)
{
	struct file *file = iocb->ki_filp;
	struct ioi_enc *e = get(file);
	size_t len = iov_iter_count(from), done = 0, plen;
	loff_t pos, end, size;
	u8 *buf, *piece;
	int err;

	if (!len)
		return 0;
	buf = kmalloc(IOI_BLOCK_STORED, GFP_KERNEL);
	piece = kvmalloc(min_t(size_t, len, IOI_PIECE), GFP_KERNEL);
	if (!buf || !piece) {
		err = -ENOMEM;
		goto free;
	}
	down_write(&e->sem);
	err = write_header(e, file, lower, buf);
	if (err)
		goto out;
	size = ioi_enc_size(file);
	if (size < 0) {
		err = size;
		goto out;
	}
	pos = iocb->ki_flags & IOCB_APPEND ? size : iocb->ki_pos;
	if (check_add_overflow(pos, (loff_t)len, &end) ||
	    ioi_lower_size(end) > e->inode->i_sb->s_maxbytes) {
		err = -EFBIG;
		goto out;
	}
	while (iov_iter_count(from)) {
		plen = min_t(size_t, iov_iter_count(from), IOI_PIECE);
		plen = copy_from_iter(piece, plen, from);
		if (!plen) {
			err = -EFAULT;
			break;
		}
		err = write_piece(e, file, lower, pos + done, piece, plen,
				  size, buf);
		if (err)
			break;
		done += plen;
		size = max_t(loff_t, size, pos + done);
	}
	if (done)
		iocb->ki_pos = pos + done;
out:
	up_write(&e->sem);
free:
	kfree_sensitive(buf);
	if (piece)
		kvfree_sensitive(piece, min_t(size_t, len, IOI_PIECE));
	return done ?: err;
}

int ioi_enc_truncate(struct file *file, const struct file_operations *lower,
		     loff_t length, int (*cut)(void *arg, loff_t lower_size),
		     void *arg)
{
	struct ioi_enc *e = get(file);
	loff_t size, done;
	size_t blen, olen, n;
	u64 k, nold;
	u8 *buf, *zeros = NULL;
	int err;

	buf = kmalloc(IOI_BLOCK_STORED, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	down_write(&e->sem);
	size = ioi_enc_size(file);
	/* Cutting to nothing always works, even on a damaged file. */
	if (!length) {
		err = cut(arg, 0);
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
		zeros = kvzalloc(min_t(loff_t, length - size, IOI_PIECE),
				 GFP_KERNEL);
		err = zeros ? write_header(e, file, lower, buf) : -ENOMEM;
		for (done = size; !err && done < length; done += n) {
			n = min_t(loff_t, length - done, IOI_PIECE);
			err = write_piece(e, file, lower, done, zeros, n, done,
					  buf);
		}
		kvfree(zeros);
	} else {
		/*
		 * The new last block is read first and sealed again, with the
		 * last flag, after the cut: a failed cut changes nothing.
		 */
		err = use_key(e);
		if (err)
			goto out;
		k = (length - 1) >> IOI_BLOCK_LOG2;
		nold = DIV_ROUND_UP_ULL(size, IOI_BLOCK);
		blen = length - k * IOI_BLOCK;
		olen = min_t(loff_t, IOI_BLOCK, size - k * IOI_BLOCK);
		err = read_block(e, file, lower, k, olen, k == nold - 1, buf) ?:
		      cut(arg, ioi_lower_size(length)) ?:
		      write_block(e, file, lower, k, blen, true, buf);
	}
out:
	up_write(&e->sem);
	kfree_sensitive(buf);
	return err;
}
