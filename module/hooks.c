// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks: a kprobe at the entry of each security_* wrapper. Allowing is
 * returning 0, which runs the wrapper and with it every built-in LSM;
 * denying makes the wrapper return an error without running its body.
 * docs/design.md explains the mechanism, docs/policy.md which operation
 * needs which right.
 *
 * Handlers run with preemption disabled: no sleeping, no allocation. Paths
 * are built in per-CPU buffers and the policy is read under RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/limits.h>
#include <linux/linkage.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/security.h>

#include "hooks.h"
#include "policy.h"
#include "stats.h"

/*
 * The probed functions' prototypes are part of this file's contract: a
 * kernel that changes one must fail to build, not read the wrong register.
 */
static_assert(__same_type(&security_file_open, int (*)(struct file *)));
static_assert(__same_type(&security_path_mknod,
			  int (*)(const struct path *, struct dentry *,
				  umode_t, unsigned int)));
static_assert(__same_type(&security_path_mkdir,
			  int (*)(const struct path *, struct dentry *,
				  umode_t)));
static_assert(__same_type(&security_path_rmdir,
			  int (*)(const struct path *, struct dentry *)));
static_assert(__same_type(&security_path_unlink,
			  int (*)(const struct path *, struct dentry *)));
static_assert(__same_type(&security_path_symlink,
			  int (*)(const struct path *, struct dentry *,
				  const char *)));
static_assert(__same_type(&security_path_link,
			  int (*)(struct dentry *, const struct path *,
				  struct dentry *)));
static_assert(__same_type(&security_path_rename,
			  int (*)(const struct path *, struct dentry *,
				  const struct path *, struct dentry *,
				  unsigned int)));
static_assert(__same_type(&security_path_truncate,
			  int (*)(const struct path *)));
static_assert(__same_type(&security_path_chmod,
			  int (*)(const struct path *, umode_t)));
static_assert(__same_type(&security_path_chown,
			  int (*)(const struct path *, kuid_t, kgid_t)));
static_assert(__same_type(&security_path_chroot,
			  int (*)(const struct path *)));
static_assert(__same_type(&security_sb_mount,
			  int (*)(const char *, const struct path *,
				  const char *, unsigned long, void *)));
static_assert(__same_type(&security_sb_umount,
			  int (*)(struct vfsmount *, int)));
static_assert(__same_type(&security_sb_pivotroot,
			  int (*)(const struct path *, const struct path *)));
static_assert(__same_type(&security_move_mount,
			  int (*)(const struct path *, const struct path *)));

/*
 * Where a denied call goes instead of the wrapper's body: at function
 * entry the caller's return address is on top of the stack, so a plain
 * return hands the error in %rax straight back. ASM_RET, not a bare ret:
 * a RETHUNK kernel (Debian's) rejects naked returns.
 */
asm(".pushsection .text, \"ax\"\n"
	".type ioi_deny_stub, @function\n"
	"ioi_deny_stub:\n\t"
	ASM_RET
	".size ioi_deny_stub, . - ioi_deny_stub\n"
	".popsection\n");

struct ioi_pathbufs {
	char a[PATH_MAX];
	char b[PATH_MAX];
};

static struct ioi_pathbufs __percpu *pathbufs;

#define ARG(regs, n)	regs_get_kernel_argument(regs, n)

static int deny(struct pt_regs *regs, int err)
{
	regs_set_return_value(regs, err);
	instruction_pointer_set(regs, (unsigned long)ioi_deny_stub);
	/* Nonzero: the kprobe core must not restore the IP we just set. */
	return 1;
}

static bool task_confined(const struct ioi_policy *p)
{
	if (current->flags & PF_KTHREAD)
		return false;
	if (p->scope == IOI_SCOPE_ALL)
		return true;
	return cgroup_is_descendant(task_dfl_cgroup(current), p->cgrp);
}

/* A path as a confined task names it; s is NULL if it has no such name. */
struct name {
	const char *s;
	size_t len;
};

/*
 * The path as the current task sees it (relative to its root), or none if
 * it has none that a rule could name: too long, unlinked, or a pseudo
 * file ("pipe:[42]"). Callers fail closed on none.
 */
static struct name path_of(const struct path *path, char *buf)
{
	struct name n = {};
	char *s;

	if (d_unlinked(path->dentry))
		return n;
	s = d_path(path, buf, PATH_MAX);
	if (IS_ERR(s) || *s != '/')
		return n;
	/* d_path() ends the string at the end of the buffer. */
	n.s = s;
	n.len = buf + PATH_MAX - 1 - s;
	return n;
}

/* The path of @child in @dir; @child's name is stable (dir is locked). */
static struct name child_path_of(const struct path *dir,
				 const struct dentry *child, char *buf)
{
	struct name n = path_of(dir, buf);
	size_t nlen = child->d_name.len;
	char *end;

	if (!n.s)
		return n;
	if (n.len + 1 + nlen + 1 > PATH_MAX) {
		n.s = NULL;
		return n;
	}
	/* n.s lies at the end of buf; rebuild at its start: dir "/" name. */
	memmove(buf, n.s, n.len);
	end = buf + n.len;
	if (n.len > 1)
		*end++ = '/';
	memcpy(end, child->d_name.name, nlen);
	end[nlen] = '\0';
	n.s = buf;
	n.len = end + nlen - buf;
	return n;
}

/* The verdict for a confined task, with audit mode and counting applied. */
static bool permitted(const struct ioi_policy *p, struct name n, u8 want,
		      const char *op)
{
	struct ioi_verdict v;

	if (!n.s) {
		v.allowed = false;
		v.rule = -1;
	} else {
		ioi_policy_decide(p, n.s, n.len, want, &v);
	}
	if (v.allowed) {
		ioi_stats_inc(&ioi_stats, IOI_STAT_ALLOWED);
		return true;
	}
	if (p->mode == IOI_MODE_AUDIT) {
		ioi_stats_inc(&ioi_stats, IOI_STAT_AUDITED);
		return true;
	}
	ioi_stats_inc(&ioi_stats, IOI_STAT_DENIED);
	pr_notice_ratelimited("denied %s of %*pE by pid %d (rule %d)\n", op,
			      n.s ? (int)n.len : 1, n.s ? n.s : "?",
			      task_pid_nr(current), v.rule);
	return false;
}

/* One path, one set of rights: most hooks. */
static int check(struct pt_regs *regs, const struct path *path,
		 const struct dentry *child, u8 want, const char *op)
{
	const struct ioi_policy *p;
	bool ok = true;

	rcu_read_lock();
	p = rcu_dereference(ioi_policy_active);
	if (p && task_confined(p)) {
		char *buf = this_cpu_ptr(pathbufs)->a;

		ok = permitted(p, child ? child_path_of(path, child, buf) :
					  path_of(path, buf), want, op);
	}
	rcu_read_unlock();
	return ok ? 0 : deny(regs, -EACCES);
}

static int h_file_open(struct kprobe *kp, struct pt_regs *regs)
{
	struct file *file = (struct file *)ARG(regs, 0);
	u8 want = 0;

	if (file->f_mode & FMODE_READ)
		want |= IOI_R_READ;
	if (file->f_mode & FMODE_WRITE)
		want |= IOI_R_WRITE;
	if (file->f_flags & __FMODE_EXEC)
		want |= IOI_R_EXEC;
	return check(regs, &file->f_path, NULL, want, "open");
}

static int h_create(struct kprobe *kp, struct pt_regs *regs)
{
	return check(regs, (const struct path *)ARG(regs, 0),
		     (const struct dentry *)ARG(regs, 1), IOI_R_CREATE,
		     "create");
}

static int h_delete(struct kprobe *kp, struct pt_regs *regs)
{
	return check(regs, (const struct path *)ARG(regs, 0),
		     (const struct dentry *)ARG(regs, 1), IOI_R_DELETE,
		     "delete");
}

static int h_truncate(struct kprobe *kp, struct pt_regs *regs)
{
	return check(regs, (const struct path *)ARG(regs, 0), NULL,
		     IOI_R_WRITE, "truncate");
}

static int h_setattr(struct kprobe *kp, struct pt_regs *regs)
{
	return check(regs, (const struct path *)ARG(regs, 0), NULL,
		     IOI_R_SETATTR, "setattr");
}

/* mount, umount, pivot_root, chroot, move_mount: never for the confined. */
static int h_mount_op(struct kprobe *kp, struct pt_regs *regs)
{
	const struct ioi_policy *p;
	bool confined;

	rcu_read_lock();
	p = rcu_dereference(ioi_policy_active);
	confined = p && task_confined(p);
	if (confined && p->mode == IOI_MODE_AUDIT) {
		ioi_stats_inc(&ioi_stats, IOI_STAT_AUDITED);
		confined = false;
	} else if (confined) {
		ioi_stats_inc(&ioi_stats, IOI_STAT_DENIED);
	}
	rcu_read_unlock();
	if (!confined)
		return 0;
	pr_notice_ratelimited("denied %s by pid %d\n", kp->symbol_name,
			      task_pid_nr(current));
	return deny(regs, -EPERM);
}

/*
 * Moving a name (rename, link) must not change a file's encrypt mode, for
 * any task (the invariant of docs/design.md), and must not give a confined
 * task more rights on the object than it had at the old name.
 */
/* For a link, @old_dir is the old name's own path. */
static int check_move(struct pt_regs *regs, const char *op,
		      const struct path *old_dir, const struct dentry *old,
		      const struct path *new_dir, const struct dentry *new,
		      bool exchange, bool is_link)
{
	struct ioi_pathbufs *pb = this_cpu_ptr(pathbufs);
	const struct ioi_policy *p;
	struct name from, to, none = {};
	int rule, err = 0;
	u8 gfrom, gto;

	rcu_read_lock();
	p = rcu_dereference(ioi_policy_active);
	if (!p)
		goto out;
	/*
	 * link(2) locks only the new directory: the old name may be renamed
	 * meanwhile, so take its whole path, which d_path() reads safely.
	 */
	from = is_link ? path_of(old_dir, pb->a) :
			 child_path_of(old_dir, old, pb->a);
	to = child_path_of(new_dir, new, pb->b);
	if (p->encrypt.n && from.s && to.s) {
		bool cross;

		if (d_is_dir(old) || (exchange && d_is_dir(new)))
			/* Anything below may change mode: be conservative. */
			cross = ioi_policy_encrypt_below(p, from.s) ||
				ioi_policy_encrypt_below(p, to.s);
		else
			cross = ioi_policy_encrypt_mode(p, from.s, from.len) !=
				ioi_policy_encrypt_mode(p, to.s, to.len);
		if (cross) {
			ioi_stats_inc(&ioi_stats, IOI_STAT_EXDEV);
			err = -EXDEV;
			goto out;
		}
	}
	if (!task_confined(p))
		goto out;
	if (!from.s || !to.s) {
		if (!permitted(p, none, 0, op))
			err = -EACCES;
		goto out;
	}
	gfrom = ioi_policy_granted(p, from.s, from.len, &rule);
	gto = ioi_policy_granted(p, to.s, to.len, &rule);
	if (is_link) {
		/* A new name for the same inode: no rights it lacked. */
		if (!permitted(p, to, IOI_R_CREATE, op) ||
		    (gto & ~gfrom && !permitted(p, from, gto, op)))
			err = -EACCES;
		goto out;
	}
	if (!permitted(p, from, IOI_R_DELETE, op) ||
	    !permitted(p, to, IOI_R_CREATE |
		       (d_is_positive(new) ? IOI_R_DELETE : 0), op) ||
	    (gto & ~gfrom && !permitted(p, from, gto, op)))
		err = -EACCES;
	else if (exchange &&
		 (!permitted(p, to, IOI_R_DELETE, op) ||
		  !permitted(p, from, IOI_R_CREATE, op) ||
		  (gfrom & ~gto && !permitted(p, to, gfrom, op))))
		err = -EACCES;
out:
	rcu_read_unlock();
	return err ? deny(regs, err) : 0;
}

static int h_rename(struct kprobe *kp, struct pt_regs *regs)
{
	return check_move(regs, "rename", (const struct path *)ARG(regs, 0),
			  (const struct dentry *)ARG(regs, 1),
			  (const struct path *)ARG(regs, 2),
			  (const struct dentry *)ARG(regs, 3),
			  ARG(regs, 4) & RENAME_EXCHANGE, false);
}

static int h_link(struct kprobe *kp, struct pt_regs *regs)
{
	const struct path *new_dir = (const struct path *)ARG(regs, 1);
	struct dentry *old = (struct dentry *)ARG(regs, 0);
	/* link(2) works within one mount: the old name is on new_dir's. */
	struct path old_path = { .mnt = new_dir->mnt, .dentry = old };

	return check_move(regs, "link", &old_path, old, new_dir,
			  (const struct dentry *)ARG(regs, 2), false, true);
}

/* Needed although empty: only then is the probe armed with IPMODIFY. */
static void h_post(struct kprobe *kp, struct pt_regs *regs,
		   unsigned long flags)
{
}

#define IOI_PROBE(sym, handler) \
	{ .symbol_name = #sym, .pre_handler = handler, .post_handler = h_post }

static struct kprobe ioi_kprobes[] = {
	IOI_PROBE(security_file_open, h_file_open),
	IOI_PROBE(security_path_mknod, h_create),
	IOI_PROBE(security_path_mkdir, h_create),
	IOI_PROBE(security_path_symlink, h_create),
	IOI_PROBE(security_path_rmdir, h_delete),
	IOI_PROBE(security_path_unlink, h_delete),
	IOI_PROBE(security_path_link, h_link),
	IOI_PROBE(security_path_rename, h_rename),
	IOI_PROBE(security_path_truncate, h_truncate),
	IOI_PROBE(security_path_chmod, h_setattr),
	IOI_PROBE(security_path_chown, h_setattr),
	IOI_PROBE(security_path_chroot, h_mount_op),
	IOI_PROBE(security_sb_mount, h_mount_op),
	IOI_PROBE(security_sb_umount, h_mount_op),
	IOI_PROBE(security_sb_pivotroot, h_mount_op),
	IOI_PROBE(security_move_mount, h_mount_op),
};

static struct kprobe *ioi_kprobe_ptrs[ARRAY_SIZE(ioi_kprobes)];

int __init ioi_hooks_init(void)
{
	int i, err;

	pathbufs = alloc_percpu(struct ioi_pathbufs);
	if (!pathbufs)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(ioi_kprobes); i++)
		ioi_kprobe_ptrs[i] = &ioi_kprobes[i];
	/* All or nothing: a missing hook would be a hole in the policy. */
	err = register_kprobes(ioi_kprobe_ptrs, ARRAY_SIZE(ioi_kprobe_ptrs));
	if (err) {
		pr_err("cannot probe the security hooks (%d)\n", err);
		free_percpu(pathbufs);
		return err;
	}
	return 0;
}

void ioi_hooks_exit(void)
{
	/* Waits for running handlers, so the buffers are free to go. */
	unregister_kprobes(ioi_kprobe_ptrs, ARRAY_SIZE(ioi_kprobe_ptrs));
	free_percpu(pathbufs);
}
