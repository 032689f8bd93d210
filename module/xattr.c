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
#include <linux/list.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "hooks.h"
#include "xattr.h"

/* One xattr syscall in progress, on its task's stack. */
struct ioi_xattr_call {
	struct list_head node;
	struct task_struct *task;
	struct path path;
};

/*
 * A list, not a table: it holds one entry per confined task inside an
 * xattr syscall, and is read only by the xattr hooks of confined tasks.
 */
static LIST_HEAD(calls);
static DEFINE_SPINLOCK(calls_lock);

static struct ioi_xattr_call *find_call(struct task_struct *t)
{
	struct ioi_xattr_call *c;

	list_for_each_entry(c, &calls, node)
		if (c->task == t)
			return c;
	return NULL;
}

/*
 * The entry's path stays valid after the lock drops: the entry lives on
 * the stack of the current task, which is inside the syscall below us.
 */
const struct path *ioi_xattr_path(const struct dentry *dentry)
{
	struct ioi_xattr_call *c;

	spin_lock(&calls_lock);
	c = find_call(current);
	spin_unlock(&calls_lock);
	return c && c->path.dentry == dentry ? &c->path : NULL;
}

enum how { BY_PATH, BY_LPATH, BY_FD };

typedef long (*syscall_fn)(const struct pt_regs *);

static long call_noted(const struct pt_regs *u, enum how how,
		       struct kprobe *kp)
{
	struct ioi_xattr_call c = { .task = current };
	long ret;

	if (how == BY_FD) {
		struct fd f = fdget(u->di);

		if (!f.file)
			return -EBADF;
		c.path = f.file->f_path;
		path_get(&c.path);
		fdput(f);
	} else {
		ret = user_path_at(AT_FDCWD, (const char __user *)u->di,
				   how == BY_PATH ? LOOKUP_FOLLOW : 0, &c.path);
		if (ret)
			return ret;
	}
	spin_lock(&calls_lock);
	list_add(&c.node, &calls);
	spin_unlock(&calls_lock);
	/* A real call, never a tail call: the entry must outlive it. */
	ret = ((syscall_fn)kp->addr)(u);
	spin_lock(&calls_lock);
	list_del(&c.node);
	spin_unlock(&calls_lock);
	path_put(&c.path);
	return ret;
}

/* Wrappers run module text for as long as the syscall sleeps. */
static long call_pinned(const struct pt_regs *u, enum how how,
			struct kprobe *kp)
{
	long ret = call_noted(u, how, kp);

	/*
	 * The few instructions left run before this task next sleeps, so
	 * the synchronize_rcu_tasks() of module exit waits for them.
	 */
	module_put(THIS_MODULE);
	return ret;
}

/*
 * The syscalls, and how each names its file. The order of the two tables
 * is the same.
 */
static struct kprobe xattr_kprobes[] = {
	{ .symbol_name = "__x64_sys_setxattr" },
	{ .symbol_name = "__x64_sys_lsetxattr" },
	{ .symbol_name = "__x64_sys_fsetxattr" },
	{ .symbol_name = "__x64_sys_removexattr" },
	{ .symbol_name = "__x64_sys_lremovexattr" },
	{ .symbol_name = "__x64_sys_fremovexattr" },
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
	return call_pinned(u, xattr_how[kp - xattr_kprobes], kp);
}

static int h_syscall(struct kprobe *kp, struct pt_regs *regs)
{
	bool ours;

	/* The wrapper's own call of the syscall comes through here too. */
	if (!ioi_current_confined())
		return 0;
	spin_lock(&calls_lock);
	ours = find_call(current);
	spin_unlock(&calls_lock);
	if (ours || !try_module_get(THIS_MODULE))
		return 0;
	regs->si = (unsigned long)kp;
	instruction_pointer_set(regs, (unsigned long)wrapper);
	/* Nonzero: the kprobe core must not restore the IP we just set. */
	return 1;
}

static void h_post(struct kprobe *kp, struct pt_regs *regs,
		   unsigned long flags)
{
}

struct kprobe *ioi_xattr_kprobes(unsigned int *n)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xattr_kprobes); i++) {
		xattr_kprobes[i].pre_handler = h_syscall;
		xattr_kprobes[i].post_handler = h_post;
	}
	*n = ARRAY_SIZE(xattr_kprobes);
	return xattr_kprobes;
}
