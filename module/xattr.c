// SPDX-License-Identifier: GPL-2.0
/*
 * Naming the file of an xattr change. In 6.1 security_inode_setxattr() and
 * security_inode_removexattr() get a dentry without its mount, so no rule
 * can be matched there. For a confined task the six xattr syscalls are
 * sent (by the same IP change that denies) to a wrapper here, which runs
 * in process context: it resolves the file as the syscall will, notes the
 * path for its task, and calls the syscall. The inode hook then decides on
 * that path if, and only if, its dentry is the one being changed; anything
 * else (a swapped symlink, io_uring, a 32-bit caller) has no such path and
 * is refused. docs/design.md has the reasoning.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/ptrace.h>
#include <linux/sched.h>

#include "hooks.h"
#include "redirect.h"
#include "xattr.h"

const struct path *ioi_xattr_path(const struct dentry *dentry)
{
	const struct ioi_redirect *r = ioi_redirect_current(IOI_REDIRECT_XATTR);
	const struct path *path = r ? r->data : NULL;

	return path && path->dentry == dentry ? path : NULL;
}

enum how { BY_PATH, BY_LPATH, BY_FD };

typedef long (*syscall_fn)(const struct pt_regs *);

static long call_noted(const struct pt_regs *u, enum how how,
		       struct kprobe *kp)
{
	struct ioi_redirect r;
	struct path path;
	long ret;

	if (how == BY_FD) {
		struct fd f = fdget(u->di);

		if (!f.file)
			return -EBADF;
		path = f.file->f_path;
		path_get(&path);
		fdput(f);
	} else {
		ret = user_path_at(AT_FDCWD, (const char __user *)u->di,
				   how == BY_PATH ? LOOKUP_FOLLOW : 0, &path);
		if (ret)
			return ret;
	}
	ioi_redirect_enter(&r, IOI_REDIRECT_XATTR, &path);
	/* A real call, never a tail call: the entry must outlive it. */
	ret = ((syscall_fn)kp->addr)(u);
	ioi_redirect_leave(&r);
	path_put(&path);
	return ret;
}

/*
 * The syscalls, and how each names its file. The order of the two tables
 * is the same.
 */
static int h_syscall(struct kprobe *kp, struct pt_regs *regs);

static struct kprobe xattr_kprobes[] = {
	IOI_PROBE(__x64_sys_setxattr, h_syscall),
	IOI_PROBE(__x64_sys_lsetxattr, h_syscall),
	IOI_PROBE(__x64_sys_fsetxattr, h_syscall),
	IOI_PROBE(__x64_sys_removexattr, h_syscall),
	IOI_PROBE(__x64_sys_lremovexattr, h_syscall),
	IOI_PROBE(__x64_sys_fremovexattr, h_syscall),
};

static const enum how xattr_how[] = {
	BY_PATH, BY_LPATH, BY_FD, BY_PATH, BY_LPATH, BY_FD,
};

static_assert(ARRAY_SIZE(xattr_how) == ARRAY_SIZE(xattr_kprobes));

/*
 * Where h_syscall() sends the syscall: entered as the syscall would have
 * been, with its one argument, plus the probe in the second argument
 * register, which is free at the entry of a one-argument function.
 */
static long wrapper(const struct pt_regs *u, struct kprobe *kp)
{
	long ret = call_noted(u, xattr_how[kp - xattr_kprobes], kp);

	ioi_redirect_end();
	return ret;
}

static int h_syscall(struct kprobe *kp, struct pt_regs *regs)
{
	/* The wrapper's own call of the syscall comes through here too. */
	if (!ioi_current_confined() || ioi_redirect_current(IOI_REDIRECT_XATTR))
		return 0;
	/*
	 * The probe goes in the second argument register, free at the entry
	 * of a function of one argument. Nonzero: the kprobe core must not
	 * restore the IP we just set.
	 */
	regs->si = (unsigned long)kp;
	return ioi_redirect(regs, wrapper);
}

struct kprobe *ioi_xattr_kprobes(unsigned int *n)
{
	*n = ARRAY_SIZE(xattr_kprobes);
	return xattr_kprobes;
}
