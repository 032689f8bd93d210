// SPDX-License-Identifier: GPL-2.0
/*
 * The stacked file_operations of encrypted files. security_file_open()'s
 * hook swaps a file's f_op for a shim made for the filesystem's own table
 * and the rule's mode; the shim's methods call the filesystem's at
 * ciphertext offsets (encfile.c). One shim per (table, mode), made the
 * first time one is needed and kept until the module goes.
 *
 * The shim's owner is this module: the hook takes a reference on it with
 * the swap, and the VFS's own fops_put() drops it, at the last close or
 * wherever the open fails after the hook, as for any table it opened a
 * file with. The hook drops the VFS's reference on the filesystem's
 * module instead: a regular file's table is its filesystem's, whose
 * module the file's mount pins while the file exists.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/iointercept.h>

#include "encfile.h"
#include "shim.h"

/*
 * Built at run time for a table we do not know in advance: not const. The
 * hook installs @unopened, whose open sets the file up and puts @fops in
 * its place. A file the VFS opens without calling f_op->open (an
 * atomic_open that passes finish_open() an open of its own: NFS, FUSE,
 * CIFS, 9p creating a file) keeps @unopened until its first read, write,
 * seek, fsync or truncate, which set it up then (ioi_shim_setup()), if it
 * was opened for reading and writing.
 */
struct ioi_shim {
	struct file_operations fops;
	struct file_operations unopened;
	const struct file_operations *lower;
	u8 mode;
};

/* Few filesystems, two modes: a short array, read without a lock. */
#define IOI_MAX_SHIMS	32
static struct ioi_shim *shims[IOI_MAX_SHIMS];
static unsigned int nshims;
static DEFINE_SPINLOCK(shims_lock);

static const struct ioi_shim *shim_of(const struct file *file)
{
	return container_of(file->f_op, struct ioi_shim, fops);
}

static const struct ioi_shim *unopened_of(const struct file *file)
{
	return container_of(file->f_op, struct ioi_shim, unopened);
}

/*
 * Filesystems that pass a file's open flags on to a server of theirs,
 * which then holds the file open for what the caller asked only (9p's
 * fid, a FUSE daemon's descriptor, an SMB handle): reading through a
 * write-only one fails (9p: EBADF), and writing through an O_APPEND one
 * appends, wherever the write was meant to go.
 */
static bool passes_flags(const struct inode *inode)
{
	static const char *const names[] = {
		"9p", "fuse", "fuseblk", "cifs", "smb3",
	};
	const char *name = inode->i_sb->s_type->name;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/*
 * The filesystem's open. On those that pass the flags on, for reading and
 * writing and without O_APPEND, the caller's flags put back after: the
 * shim reads the blocks it rewrites and writes at offsets of its own. The
 * file's mode stays the caller's (read(2) of a write-only file still
 * fails; appends are the shim's). If that open fails (a file the caller
 * may only write to, a read-only export, a share mode), it is made again
 * as asked. Only there: elsewhere the flags mean more than the server's
 * handle (overlayfs copies a file up for a write open).
 */
static int lower_open(const struct ioi_shim *s, struct inode *inode,
		      struct file *file)
{
	const unsigned int ours = O_ACCMODE | O_APPEND;
	unsigned int asked = file->f_flags & ours;
	int err;

	if (!s->lower->open)
		return 0;
	if (asked == O_RDWR || !passes_flags(inode))
		return s->lower->open(inode, file);
	file->f_flags = (file->f_flags & ~ours) | O_RDWR;
	err = s->lower->open(inode, file);
	file->f_flags = (file->f_flags & ~ours) | asked;
	return err ? s->lower->open(inode, file) : 0;
}

static int shim_open(struct inode *inode, struct file *file)
{
	const struct ioi_shim *s = unopened_of(file);
	int err;

	err = lower_open(s, inode, file);
	if (err)
		return err;
	/*
	 * The filesystem put a table of its own in (replace_fops(), as
	 * debugfs does), and dropped ours with our reference: nothing the
	 * shim can stand in front of. Refused; the VFS puts that table.
	 */
	if (file->f_op != &s->unopened) {
		pr_notice_ratelimited("inode %lu: its filesystem replaces the file's operations at open: refused under an encrypt rule\n",
				      inode->i_ino);
		if (file->f_op->release)
			file->f_op->release(inode, file);
		return -EACCES;
	}
	err = ioi_enc_open(file, s->lower, s->mode);
	if (!err) {
		/* Same owner: the VFS's reference holds for either table. */
		file->f_op = &s->fops;
		return 0;
	}
	if (err != IOI_ENC_PLAINTEXT) {
		/* The VFS calls no release for a failed open: undo it here. */
		if (s->lower->release)
			s->lower->release(inode, file);
		return err;
	}
	/*
	 * Opened as it is: the filesystem's own f_op from now on, as
	 * replace_fops() does, its reference taken back (the mount pins the
	 * module: this cannot fail) and ours dropped.
	 */
	__module_get(s->lower->owner);
	file->f_op = s->lower;
	module_put(THIS_MODULE);
	return 0;
}

static int shim_release(struct inode *inode, struct file *file)
{
	const struct ioi_shim *s = shim_of(file);
	int ret = 0;

	ioi_enc_release(file);
	if (s->lower->release)
		ret = s->lower->release(inode, file);
	return ret;
}

/* A file the shim's open never saw: no state, so no data either way. */
static int unopened_release(struct inode *inode, struct file *file)
{
	const struct ioi_shim *s = unopened_of(file);

	return s->lower->release ? s->lower->release(inode, file) : 0;
}

int ioi_shim_setup(struct file *file)
{
	const struct file_operations *fops = READ_ONCE(file->f_op);
	const struct ioi_shim *s;
	int err;

	/* Set up already, by another thread of the file. */
	if (!ioi_shim_unopened(fops))
		return 0;
	s = container_of(fops, struct ioi_shim, unopened);
	/*
	 * Its filesystem opened it as asked, and may have told its server:
	 * the shim can only work through a handle it may read from, that
	 * does not append (lower_open()). Refused otherwise; the next open
	 * of the name is the shim's.
	 */
	if ((file->f_flags & (O_ACCMODE | O_APPEND)) != O_RDWR) {
		pr_notice_ratelimited("inode %lu: created by its filesystem's atomic open, not for reading and writing or with O_APPEND, under an encrypt rule: refused, open it again\n",
				      file_inode(file)->i_ino);
		return -EACCES;
	}
	/* No lock of ours held: this may wait for a server, or a write. */
	err = ioi_enc_open(file, s->lower, s->mode);
	if (err == IOI_ENC_PLAINTEXT) {
		/* Past its open, the file cannot be handed to the filesystem. */
		pr_notice_ratelimited("inode %lu: a plaintext file under an encrypt rule, opened by its filesystem without the shim's open (atomic open): refused\n",
				      file_inode(file)->i_ino);
		return -EACCES;
	}
	if (err)
		return err;
	/*
	 * Its state is in the table, which a user finds under a lock. Two
	 * threads of the file may both get here: one table swap, and the
	 * other's open undone.
	 */
	if (cmpxchg_release(&file->f_op, fops, &s->fops) != fops)
		ioi_enc_release(file);
	return 0;
}

static ssize_t shim_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	const struct ioi_shim *s = shim_of(iocb->ki_filp);

	return ioi_enc_read(iocb, to, s->lower, s->mode);
}

static ssize_t shim_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return ioi_enc_write(iocb, from, shim_of(iocb->ki_filp)->lower);
}

static loff_t shim_llseek(struct file *file, loff_t offset, int whence)
{
	const struct ioi_shim *s = shim_of(file);
	loff_t size;

	/* A wo file reads back as stored: its offsets are the stored ones. */
	if (s->mode == IOI_ENCRYPT_WO)
		return s->lower->llseek ? s->lower->llseek(file, offset, whence) :
					  noop_llseek(file, offset, whence);
	size = ioi_enc_size(file);
	if (size < 0)
		return size;
	/* The whole file is data: SEEK_HOLE is the end. */
	return generic_file_llseek_size(file, offset, whence,
					file_inode(file)->i_sb->s_maxbytes,
					size);
}

static int shim_fsync(struct file *file, loff_t start, loff_t end,
		      int datasync)
{
	const struct ioi_shim *s = shim_of(file);

	if (!s->lower->fsync)
		return -EINVAL;
	/* Plaintext ranges do not map onto stored ones one to one. */
	return s->lower->fsync(file, 0, LLONG_MAX, datasync);
}

static ssize_t unopened_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return ioi_shim_setup(iocb->ki_filp) ?: shim_read_iter(iocb, to);
}

static ssize_t unopened_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return ioi_shim_setup(iocb->ki_filp) ?: shim_write_iter(iocb, from);
}

static loff_t unopened_llseek(struct file *file, loff_t offset, int whence)
{
	return ioi_shim_setup(file) ?: shim_llseek(file, offset, whence);
}

static int unopened_fsync(struct file *file, loff_t start, loff_t end,
			  int datasync)
{
	return ioi_shim_setup(file) ?: shim_fsync(file, start, end, datasync);
}

static int shim_mmap(struct file *file, struct vm_area_struct *vma)
{
	/* Pages would hold ciphertext: not supported (docs/design.md). */
	return -ENODEV;
}

static void shim_init(struct ioi_shim *s, const struct file_operations *lower,
		      u8 mode)
{
	s->lower = lower;
	s->mode = mode;
	s->fops.owner = THIS_MODULE;
	/* No open: only shim_open() puts this table in, on an open file. */
	s->fops.release = shim_release;
	s->fops.read_iter = shim_read_iter;
	s->fops.write_iter = shim_write_iter;
	s->fops.llseek = shim_llseek;
	s->fops.fsync = shim_fsync;
	s->fops.mmap = shim_mmap;
	/* Through our read_iter and write_iter: sendfile, splice. */
	s->fops.splice_read = generic_file_splice_read;
	s->fops.splice_write = iter_file_splice_write;
	/* What does not touch the data. */
	s->fops.flush = lower->flush;
	s->fops.lock = lower->lock;
	s->fops.flock = lower->flock;
	s->fops.fasync = lower->fasync;
	s->fops.check_flags = lower->check_flags;
	s->fops.setlease = lower->setlease;
	s->fops.show_fdinfo = lower->show_fdinfo;
	/*
	 * Left out on purpose, so the VFS refuses or falls back to read and
	 * write: ioctls (a filesystem's could move raw blocks), fallocate,
	 * copy_file_range and remap_file_range (they would copy ciphertext
	 * or plaintext across the encryption), direct I/O.
	 */
	s->unopened = s->fops;
	s->unopened.open = shim_open;
	s->unopened.release = unopened_release;
	/* Splices come through these too. */
	s->unopened.read_iter = unopened_read_iter;
	s->unopened.write_iter = unopened_write_iter;
	s->unopened.llseek = unopened_llseek;
	s->unopened.fsync = unopened_fsync;
}

const struct file_operations *ioi_shim_get(const struct file_operations *lower,
					   u8 mode)
{
	/* Pairs with the release below: a counted entry is complete. */
	unsigned int i, n = smp_load_acquire(&nshims);
	struct ioi_shim *s;

	for (i = 0; i < n; i++)
		if (shims[i]->lower == lower && shims[i]->mode == mode)
			return &shims[i]->unopened;
	spin_lock(&shims_lock);
	for (i = n; i < nshims; i++)
		if (shims[i]->lower == lower && shims[i]->mode == mode)
			break;
	if (i < nshims) {
		s = shims[i];
	} else if (nshims < IOI_MAX_SHIMS) {
		/* From a kprobe handler: no sleeping allocation. */
		s = kzalloc(sizeof(*s), GFP_ATOMIC);
		if (s) {
			shim_init(s, lower, mode);
			shims[nshims] = s;
			/* Publish the entry before the count that covers it. */
			smp_store_release(&nshims, nshims + 1);
		}
	} else {
		s = NULL;
	}
	spin_unlock(&shims_lock);
	return s ? &s->unopened : NULL;
}

static bool shim_is(const struct file_operations *fops, bool unopened)
{
	/* Pairs with ioi_shim_get()'s release. */
	unsigned int i, n = smp_load_acquire(&nshims);

	for (i = 0; i < n; i++)
		if (fops == (unopened ? &shims[i]->unopened : &shims[i]->fops))
			return true;
	return false;
}

bool ioi_shim_is(const struct file_operations *fops)
{
	return shim_is(fops, false);
}

bool ioi_shim_unopened(const struct file_operations *fops)
{
	return shim_is(fops, true);
}

void ioi_shims_exit(void)
{
	unsigned int i;

	/* No file uses a shim: each open one holds a module reference. */
	for (i = 0; i < nshims; i++)
		kfree(shims[i]);
	nshims = 0;
}

int ioi_shim_truncate(struct file *file, loff_t length,
		      int (*cut)(void *arg, loff_t lower_size), void *arg)
{
	return ioi_enc_truncate(file, shim_of(file)->lower, length, cut, arg);
}
