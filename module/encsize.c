// SPDX-License-Identifier: GPL-2.0
/*
 * The calls that change or report the size of an encrypted file without
 * going through its file_operations: truncate(2), ftruncate(2), O_TRUNC
 * (all reach do_truncate()), and stat (vfs_getattr_nosec(): vfs_getattr()
 * is inlined into the stat syscalls). Their probes send
 * the call, for an encrypted file only, to a wrapper here (redirect.h),
 * which works in plaintext sizes and calls the original itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/path.h>
#include <linux/ptrace.h>
#include <linux/stat.h>

#include "encfile.h"
#include "format.h"
#include "hooks.h"
#include "redirect.h"
#include "shim.h"
#include "encsize.h"

typedef int (*do_truncate_fn)(struct user_namespace *, struct dentry *,
			      loff_t, unsigned int, struct file *);
static_assert(__same_type(&do_truncate, do_truncate_fn));
static_assert(__same_type(&vfs_truncate,
			  long (*)(const struct path *, loff_t)));
static_assert(__same_type(&vfs_getattr_nosec,
			  int (*)(const struct path *, struct kstat *, u32,
				  unsigned int)));

#define ARG(regs, n)	regs_get_kernel_argument(regs, n)

enum { VFS_TRUNCATE, DO_TRUNCATE, VFS_GETATTR };
static struct kprobe encsize_kprobes[];

/* truncate(2): note the path, so do_truncate() below knows the file. */
static long wrap_vfs_truncate(const struct path *path, loff_t length)
{
	struct ioi_redirect r;
	long ret;

	ioi_redirect_enter(&r, IOI_REDIRECT_TRUNCATE, path);
	ret = vfs_truncate(path, length);
	ioi_redirect_leave(&r);
	ioi_redirect_end();
	return ret;
}

static int h_vfs_truncate(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *path = (const struct path *)ARG(regs, 0);
	const struct ioi_redirect *r;

	r = ioi_redirect_current(IOI_REDIRECT_TRUNCATE);
	if ((r && r->data == path) || !ioi_path_encrypt_mode(path))
		return 0;
	/* Nonzero: the kprobe core must not restore the IP we set. */
	return ioi_redirect(regs, wrap_vfs_truncate);
}

struct cut {
	struct user_namespace *userns;
	struct dentry *dentry;
	unsigned int time_attrs;
	struct file *filp;
};

/* The filesystem's truncate, with the caller's checks already made. */
static int cut(void *arg, loff_t lower_size)
{
	const struct cut *c = arg;
	struct ioi_redirect r;
	int ret;

	ioi_redirect_enter(&r, IOI_REDIRECT_CUT, NULL);
	/* Not exported: called where its probe found it. */
	ret = ((do_truncate_fn)encsize_kprobes[DO_TRUNCATE].addr)(c->userns,
			c->dentry, lower_size, c->time_attrs, c->filp);
	ioi_redirect_leave(&r);
	return ret;
}

int ioi_lower_cut(struct file *file, loff_t lower_size)
{
	struct cut c = { file_mnt_user_ns(file), file->f_path.dentry,
			 ATTR_MTIME | ATTR_CTIME, file };

	return cut(&c, lower_size);
}

static int wrap_do_truncate(struct user_namespace *userns,
			    struct dentry *dentry, loff_t length,
			    unsigned int time_attrs, struct file *filp)
{
	struct cut c = { userns, dentry, time_attrs, filp };
	const struct ioi_redirect *r;
	struct file *file = filp;
	int ret;

	if (!file) {
		/* truncate(2) opens nothing: we need a file to rewrite. */
		r = ioi_redirect_current(IOI_REDIRECT_TRUNCATE);
		file = dentry_open(r->data, O_RDWR | O_LARGEFILE,
				   current_cred());
		if (IS_ERR(file)) {
			ret = PTR_ERR(file);
			goto out;
		}
	}
	/* Opened by an atomic_open: set up now, as its first use. */
	if (ioi_shim_unopened(file->f_op)) {
		ret = ioi_shim_setup(file);
		if (ret)
			goto put;
	}
	/* The policy may have changed since the probe looked. */
	if (ioi_shim_is(file->f_op))
		ret = ioi_shim_truncate(file, length, cut, &c);
	else
		ret = cut(&c, length);
put:
	if (file != filp)
		fput(file);
out:
	ioi_redirect_end();
	return ret;
}

static int h_do_truncate(struct kprobe *kp, struct pt_regs *regs)
{
	struct dentry *dentry = (struct dentry *)ARG(regs, 1);
	struct file *filp = (struct file *)ARG(regs, 4);
	const struct ioi_redirect *r;
	bool enc;

	if (ioi_redirect_current(IOI_REDIRECT_CUT))
		return 0;
	if (filp) {
		/* Not set up yet: the wrapper does it first. */
		enc = ioi_shim_is(filp->f_op) ||
		      ioi_shim_unopened(filp->f_op);
	} else {
		r = ioi_redirect_current(IOI_REDIRECT_TRUNCATE);
		enc = r && ((const struct path *)r->data)->dentry == dentry;
	}
	if (!enc)
		return 0;
	if (ioi_redirect(regs, wrap_do_truncate))
		return 1;
	/* Cutting the stored file at a plaintext size would ruin it. */
	return ioi_deny(regs, -EBUSY);
}

/* stat, fstat, statx: the plaintext size, as the file reads. */
static int wrap_vfs_getattr(const struct path *path, struct kstat *stat,
			    u32 request_mask, unsigned int query_flags)
{
	struct ioi_redirect r;
	loff_t size;
	int ret;

	ioi_redirect_enter(&r, IOI_REDIRECT_GETATTR, path);
	ret = vfs_getattr_nosec(path, stat, request_mask, query_flags);
	ioi_redirect_leave(&r);
	/* Unlinked: encrypted if its openers read it through the shim. */
	if (!ret && (stat->result_mask & STATX_SIZE) &&
	    (!d_unlinked(path->dentry) ||
	     ioi_enc_inode_open(d_inode(path->dentry)))) {
		size = ioi_plain_size(stat->size);
		/* A damaged file shows its stored size; reading it fails. */
		if (size >= 0)
			stat->size = size;
	}
	ioi_redirect_end();
	return ret;
}

static int h_vfs_getattr(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *path = (const struct path *)ARG(regs, 0);
	const struct ioi_redirect *r;

	r = ioi_redirect_current(IOI_REDIRECT_GETATTR);
	if (r && r->data == path)
		return 0;
	/*
	 * fstat() of a file unlinked while open: no rule can match it, but
	 * if it was opened through the shim, its reads give plaintext and so
	 * must its size. The wrapper, which may sleep, finds out.
	 */
	if (!ioi_path_encrypt_mode(path) && !ioi_path_unlinked_encrypt(path))
		return 0;
	return ioi_redirect(regs, wrap_vfs_getattr);
}

static struct kprobe encsize_kprobes[] = {
	[VFS_TRUNCATE] = IOI_PROBE(vfs_truncate, h_vfs_truncate),
	[DO_TRUNCATE] = IOI_PROBE(do_truncate, h_do_truncate),
	[VFS_GETATTR] = IOI_PROBE(vfs_getattr_nosec, h_vfs_getattr),
};

struct kprobe *ioi_encsize_kprobes(unsigned int *n)
{
	*n = ARRAY_SIZE(encsize_kprobes);
	return encsize_kprobes;
}
