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
#include <linux/compat.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/kprobes.h>
#include <linux/limits.h>
#include <linux/linkage.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/security.h>
#include <uapi/linux/mount.h>
#include <uapi/linux/sched.h>

#include "encfile.h"
#include "events.h"
#include "hooks.h"
#include "lock.h"
#include "policy.h"
#include "shim.h"
#include "stats.h"
#include "encsize.h"
#include "xattr.h"

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
static_assert(__same_type(&security_sb_remount,
			  int (*)(struct super_block *, void *)));
static_assert(__same_type(&security_mmap_file,
			  int (*)(struct file *, unsigned long,
				  unsigned long)));
static_assert(__same_type(&security_file_mprotect,
			  int (*)(struct vm_area_struct *, unsigned long,
				  unsigned long)));
static_assert(__same_type(&security_task_alloc,
			  int (*)(struct task_struct *, unsigned long)));
static_assert(__same_type(&security_ptrace_access_check,
			  int (*)(struct task_struct *, unsigned int)));
static_assert(__same_type(&security_kernel_load_data,
			  int (*)(enum kernel_load_data_id, bool)));
static_assert(__same_type(&security_kernel_read_file,
			  int (*)(struct file *, enum kernel_read_file_id,
				  bool)));
static_assert(__same_type(&security_move_mount,
			  int (*)(const struct path *, const struct path *)));
static_assert(__same_type(&security_inode_setxattr,
			  int (*)(struct user_namespace *, struct dentry *,
				  const char *, const void *, size_t, int)));
static_assert(__same_type(&security_inode_removexattr,
			  int (*)(struct user_namespace *, struct dentry *,
				  const char *)));
static_assert(__same_type(&vfs_utimes,
			  int (*)(const struct path *, struct timespec64 *)));

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

int ioi_deny(struct pt_regs *regs, int err)
{
	regs_set_return_value(regs, err);
	instruction_pointer_set(regs, (unsigned long)ioi_deny_stub);
	/* Nonzero: the kprobe core must not restore the IP we just set. */
	return 1;
}

/*
 * The policy in force, from a kprobe handler. Handlers run with preemption
 * disabled, which is an RCU read-side critical section of its own:
 * synchronize_rcu() waits for it, so the policy outlives the handler
 * without rcu_read_lock(), which is a call on Debian's PREEMPT_RCU kernel.
 */
static __always_inline const struct ioi_policy *handler_policy(void)
{
	ioi_stats_inc(&ioi_stats, IOI_STAT_HOOK_HITS);
	return rcu_dereference_sched(ioi_policy_active);
}

static bool confined_task(const struct ioi_policy *p, struct task_struct *t)
{
	if (t->flags & PF_KTHREAD)
		return false;
	if (p->scope == IOI_SCOPE_ALL)
		return true;
	return cgroup_is_descendant(task_dfl_cgroup(t), p->cgrp);
}

static bool task_confined(const struct ioi_policy *p)
{
	return confined_task(p, current);
}

bool ioi_current_confined(void)
{
	const struct ioi_policy *p;
	bool ret;

	ioi_stats_inc(&ioi_stats, IOI_STAT_HOOK_HITS);
	rcu_read_lock();
	p = rcu_dereference(ioi_policy_active);
	ret = p && task_confined(p);
	rcu_read_unlock();
	return ret;
}

/*
 * A path as a confined task names it; s is NULL if it has no such name.
 * sb is the filesystem the object is (or will be) on.
 */
struct name {
	const char *s;
	size_t len;
	const struct super_block *sb;
};

#if IOI_KUNIT
/* Test builds check every name walk_name() makes against d_path(). */
static DEFINE_PER_CPU(char[PATH_MAX], check_buf);

static void check_walk(const struct path *path, const char *s,
		       unsigned int seq)
{
	char *buf = this_cpu_ptr(check_buf), *want;

	want = d_path(path, buf, PATH_MAX);
	if (!IS_ERR(want) && !read_seqretry(&rename_lock, seq))
		WARN_ONCE(strcmp(want, s), "walk_name: %s, d_path: %s", s,
			  want);
}
#else
static inline void check_walk(const struct path *path, const char *s,
			      unsigned int seq)
{
}
#endif

/*
 * The name of @path, a file on the very mount that is the task's root,
 * whose root directory @top is the task's root: the walk up that d_path()
 * makes, without its mount crossings, its nested RCU sections and its
 * lookup of the root. NULL if the walk meets a dentry without a parent
 * (disconnected, or outside a bind mount: no name the task could use) or
 * runs out of room; *@retry if a rename raced with it.
 */
static __always_inline char *walk_name(const struct path *path,
				       const struct dentry *top, char *buf,
				       bool *retry)
{
	const struct dentry *d = path->dentry;
	char *end = buf + PATH_MAX - 1, *p = end, *s;
	unsigned int seq = read_seqbegin(&rename_lock);

	*end = '\0';
	/* Each step takes a byte at least: at most PATH_MAX of them. */
	while (d != top) {
		const struct dentry *parent = READ_ONCE(d->d_parent);
		/* As prepend_name(): the name may be changing under us. */
		const char *dname = smp_load_acquire(&d->d_name.name);
		u32 dlen = READ_ONCE(d->d_name.len);

		if (d == parent || dlen + 1 > p - buf) {
			p = NULL;
			break;
		}
		p -= dlen + 1;
		s = p;
		*s++ = '/';
		while (dlen--) {
			char c = *dname++;

			if (!c)
				break;
			*s++ = c;
		}
		d = parent;
	}
	*retry = read_seqretry(&rename_lock, seq);
	if (!p || *retry)
		return NULL;
	if (p == end)
		*--p = '/';
	check_walk(path, p, seq);
	return p;
}

/*
 * The path as the current task sees it (relative to its root), or none if
 * it has none that a rule could name: too long, unlinked, or a pseudo
 * file ("pipe:[42]"). Callers fail closed on none.
 */
static __always_inline struct name path_of(const struct path *path,
					   char *buf)
{
	struct fs_struct *fs = current->fs;
	const struct dentry_operations *ops;
	struct name n = {};
	struct path root;
	bool own, retry;
	unsigned int seq;
	char *s;

	n.sb = path->dentry->d_sb;
	if (d_unlinked(path->dentry))
		return n;
	/*
	 * The root as d_path() reads it; paths and mounts are freed after a
	 * grace period, and a handler is a read-side section.
	 */
	do {
		seq = read_seqcount_begin(&fs->seq);
		root = fs->root;
	} while (read_seqcount_retry(&fs->seq, seq));
	ops = path->dentry->d_op;
	/* On the root's own mount no walk can leave it but by escaping. */
	own = path->mnt == root.mnt && root.dentry == root.mnt->mnt_root &&
	      !(ops && ops->d_dname);
	if (own) {
		s = walk_name(path, root.dentry, buf, &retry);
		if (s)
			goto named;
		if (!retry)
			return n;
	}
	s = d_path(path, buf, PATH_MAX);
	if (IS_ERR(s) || *s != '/')
		return n;
	/*
	 * d_path() names a place outside the task's root, or in a detached
	 * mount tree (open_tree), from whatever root it reaches: such a name
	 * is not one the task could use, so a rule must not decide on it. On
	 * the root's own mount it answers exactly "/" when its walk escapes.
	 */
	if (own ? s[1] == '\0' && path->dentry != root.dentry :
		  !path_is_under((struct path *)path, &root))
		return n;
named:
	/* The name ends at the end of the buffer. */
	n.len = buf + PATH_MAX - 1 - s;
	/* Unlinked since the first test: d_path() added " (deleted)". */
	if (d_unlinked(path->dentry))
		return n;
	n.s = s;
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

/*
 * The rights a name has. A tmpfs rule was checked against the mounts of
 * the moment the policy loaded; what is mounted there now may differ, and
 * the rule grants nothing off tmpfs and ramfs.
 */
static __always_inline u8 granted_by(const struct ioi_policy *p,
				     struct name n, int rule)
{
	if (rule >= 0 && p->access.rule[rule].kind == IOI_RULE_TMPFS &&
	    !ioi_sb_is_tmpfs(n.sb))
		return 0;
	return ioi_policy_rights(p, rule);
}

static u8 granted(const struct ioi_policy *p, struct name n, int *rule)
{
	*rule = ioi_rules_first(&p->access, n.s, n.len);
	return granted_by(p, n, *rule);
}

/* Counters by right: IOI_STAT_ALLOWED_READ + 2 * bit, denied one after. */
static_assert(IOI_STAT_DENIED_SETATTR ==
	      IOI_STAT_ALLOWED_READ + 2 * ilog2(IOI_R_SETATTR) + 1);

static __always_inline void count_rights(unsigned int rights, bool allowed)
{
	unsigned int bit;

	/* Mostly one or two bits: cheaper than for_each_set_bit()'s calls. */
	rights &= IOI_R_ALL;
	for (bit = 0; rights; bit++, rights >>= 1)
		if (rights & 1)
			ioi_stats_inc(&ioi_stats,
				      IOI_STAT_ALLOWED_READ + 2 * bit + !allowed);
}

/* What enforce mode would deny: counted, logged, and raised as an event. */
static noinline bool not_permitted(const struct ioi_policy *p, struct name n,
				   u8 want, const struct ioi_verdict *v,
				   const char *op)
{
	bool audit = p->mode == IOI_MODE_AUDIT;
	struct ioi_event ev = {
		.type = audit ? IOI_EVENT_AUDITED : IOI_EVENT_DENIED,
		.op = op, .err = audit ? 0 : EACCES, .rule = v->rule,
		.policy = p, .path = n.s, .path_len = n.s ? n.len : 0,
	};

	ioi_event(&ev);
	if (audit) {
		ioi_stats_inc(&ioi_stats, IOI_STAT_AUDITED);
		return true;
	}
	ioi_stats_inc(&ioi_stats, IOI_STAT_DENIED);
	count_rights(want & ~v->granted, false);
	/* A console can leave the VM too: no names if events have none. */
	if (p->log_paths == IOI_LOG_PATHS_REDACT || !n.s)
		pr_notice_ratelimited("denied %s by pid %d (rule %d)\n", op,
				      task_pid_nr(current), v->rule);
	else
		pr_notice_ratelimited("denied %s of %*pE by pid %d (rule %d)\n",
				      op, (int)n.len, n.s, task_pid_nr(current),
				      v->rule);
	return false;
}

/*
 * The verdict for a confined task, with audit mode and counting applied,
 * given the first access rule matching the name (if it has one).
 */
static __always_inline bool permitted_by(const struct ioi_policy *p,
					 struct name n, u8 want,
					 const char *op, int rule)
{
	struct ioi_verdict v = { .allowed = false, .rule = -1 };

	if (n.s) {
		v.rule = rule;
		v.granted = granted_by(p, n, rule);
		v.allowed = (want & ~v.granted) == 0;
	}
	if (likely(v.allowed)) {
		ioi_stats_inc(&ioi_stats, IOI_STAT_ALLOWED);
		count_rights(want, true);
		return true;
	}
	return not_permitted(p, n, want, &v, op);
}

static __always_inline bool permitted(const struct ioi_policy *p,
				      struct name n, u8 want, const char *op)
{
	return permitted_by(p, n, want, op,
			    n.s ? ioi_rules_first(&p->access, n.s, n.len) : -1);
}

/*
 * Refuse an operation to the current (confined) task, or in audit mode
 * only count it.
 */
static int refuse(struct pt_regs *regs, int err, const char *what)
{
	const struct ioi_policy *p;
	struct ioi_event ev = { .op = what, .rule = -1 };
	bool audit;

	p = handler_policy();
	audit = p && p->mode == IOI_MODE_AUDIT;
	ev.type = audit ? IOI_EVENT_AUDITED : IOI_EVENT_DENIED;
	ev.err = audit ? 0 : -err;
	ioi_event(&ev);
	if (audit) {
		ioi_stats_inc(&ioi_stats, IOI_STAT_AUDITED);
		return 0;
	}
	ioi_stats_inc(&ioi_stats, IOI_STAT_DENIED);
	ioi_stats_inc(&ioi_stats, IOI_STAT_DENIED_PRIVILEGED);
	pr_notice_ratelimited("denied %s by pid %d\n", what,
			      task_pid_nr(current));
	return ioi_deny(regs, err);
}

/* One path, one set of rights: most hooks. */
static int check(struct pt_regs *regs, const struct path *path,
		 const struct dentry *child, u8 want, const char *op)
{
	const struct ioi_policy *p;
	bool ok = true;

	p = handler_policy();
	if (p && task_confined(p)) {
		char *buf = this_cpu_ptr(pathbufs)->a;

		ok = permitted(p, child ? child_path_of(path, child, buf) :
					  path_of(path, buf), want, op);
	}
	return ok ? 0 : ioi_deny(regs, -EACCES);
}

u8 ioi_path_encrypt_mode(const struct path *path)
{
	const struct ioi_policy *p = handler_policy();
	struct name n;

	if (!p || !p->encrypt.n || !d_is_reg(path->dentry))
		return 0;
	n = path_of(path, this_cpu_ptr(pathbufs)->a);
	return n.s ? ioi_policy_encrypt_mode(p, n.s, n.len) : 0;
}

bool ioi_path_unlinked_encrypt(const struct path *path)
{
	const struct ioi_policy *p;

	if (!d_is_reg(path->dentry) || !d_unlinked(path->dentry))
		return false;
	/* Not a hook hit of its own: ioi_path_encrypt_mode() counted it. */
	p = rcu_dereference_sched(ioi_policy_active);
	return p && p->encrypt.n;
}

/*
 * Every open of a regular file under an encrypt rule, by any task, gets
 * the encryption shim (shim.c) in place of the filesystem's f_op; a
 * confined task's open is checked first.
 */
static int h_file_open(struct kprobe *kp, struct pt_regs *regs)
{
	struct file *file = (struct file *)ARG(regs, 0);
	const struct file_operations *shim;
	const struct ioi_policy *p;
	int rule = -1, erule = -1;
	bool confined, encrypt;
	struct name n;
	u8 want = 0, mode;

	p = handler_policy();
	if (!p)
		return 0;
	confined = task_confined(p);
	encrypt = p->encrypt.n && S_ISREG(file_inode(file)->i_mode);
	if (!confined && !encrypt)
		return 0;
	if (file->f_mode & FMODE_READ)
		want |= IOI_R_READ;
	if (file->f_mode & FMODE_WRITE)
		want |= IOI_R_WRITE;
	/*
	 * O_ACCMODE (3) opens for neither, yet allows ioctl(): ask for both,
	 * as the kernel's own permission check does (ACC_MODE).
	 */
	if ((file->f_flags & O_ACCMODE) == O_ACCMODE)
		want |= IOI_R_READ | IOI_R_WRITE;
	if (file->f_flags & __FMODE_EXEC)
		want |= IOI_R_EXEC;
	n = path_of(&file->f_path, this_cpu_ptr(pathbufs)->a);
	if (n.s) {
		if (confined && encrypt)
			ioi_rules_first2(&p->access, &p->encrypt, n.s, n.len,
					 &rule, &erule);
		else if (confined)
			rule = ioi_rules_first(&p->access, n.s, n.len);
		else
			erule = ioi_rules_first(&p->encrypt, n.s, n.len);
	}
	if (confined && !permitted_by(p, n, want, "open", rule))
		return ioi_deny(regs, -EACCES);
	/* A file without a name (O_TMPFILE, deleted) is under no rule. */
	if (!encrypt || erule < 0)
		return 0;
	mode = p->encrypt.rule[erule].access;
	if (!mode)
		return 0;
	/*
	 * The shim's owner is this module: the VFS drops this reference
	 * with the table, at the last close or wherever the open fails from
	 * here on. The one it holds on the filesystem's module goes now:
	 * the file's mount pins that module (shim.c). A table owned by any
	 * other module is not one the mount pins: refused.
	 */
	if (file->f_op->owner &&
	    file->f_op->owner != file_inode(file)->i_sb->s_type->owner) {
		pr_notice_ratelimited("inode %lu: its file operations belong to another module than its filesystem: refused under an encrypt rule\n",
				      file_inode(file)->i_ino);
		return ioi_deny(regs, -EACCES);
	}
	if (!try_module_get(THIS_MODULE))
		return ioi_deny(regs, -EACCES);
	shim = ioi_shim_get(file->f_op, mode);
	if (!shim) {
		module_put(THIS_MODULE);
		return ioi_deny(regs, -ENOMEM);
	}
	fops_put(file->f_op);
	file->f_op = shim;
	return 0;
}

/* An inode that goes takes what the encryption kept of it along. */
static int h_inode_free(struct kprobe *kp, struct pt_regs *regs)
{
	ioi_enc_evict((struct inode *)ARG(regs, 0));
	return 0;
}

static int h_create(struct kprobe *kp, struct pt_regs *regs)
{
	return check(regs, (const struct path *)ARG(regs, 0),
		     (const struct dentry *)ARG(regs, 1), IOI_R_CREATE,
		     "create");
}

/* A device node would reach a disk or a terminal under any name. */
static int h_mknod(struct kprobe *kp, struct pt_regs *regs)
{
	umode_t mode = ARG(regs, 2);
	unsigned int dev = ARG(regs, 3);

	if ((S_ISBLK(mode) || S_ISCHR(mode)) && dev != WHITEOUT_DEV &&
	    ioi_current_confined())
		return refuse(regs, -EPERM, kp->symbol_name);
	return h_create(kp, regs);
}

/* Executable mappings need the execute right, like execve(). */
static int exec_mapping(struct pt_regs *regs, struct file *file,
			const char *op)
{
	if (!file)
		return 0;
	return check(regs, &file->f_path, NULL, IOI_R_EXEC, op);
}

static int h_mmap_file(struct kprobe *kp, struct pt_regs *regs)
{
	if (!(ARG(regs, 1) & PROT_EXEC))
		return 0;
	return exec_mapping(regs, (struct file *)ARG(regs, 0), "mmap");
}

static int h_file_mprotect(struct kprobe *kp, struct pt_regs *regs)
{
	struct vm_area_struct *vma = (struct vm_area_struct *)ARG(regs, 0);

	if (!(ARG(regs, 2) & PROT_EXEC) || (vma->vm_flags & VM_EXEC))
		return 0;
	return exec_mapping(regs, vma->vm_file, "mprotect");
}

/* clone3(CLONE_INTO_CGROUP) would start a child outside the scope. */
static int h_task_alloc(struct kprobe *kp, struct pt_regs *regs)
{
	if (!(ARG(regs, 1) & CLONE_INTO_CGROUP) || !ioi_current_confined())
		return 0;
	return refuse(regs, -EPERM, "clone-into-cgroup");
}

/* A confined task may not take over one that is not confined. */
static int h_ptrace(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *child = (struct task_struct *)ARG(regs, 0);
	const struct ioi_policy *p;
	bool escape;

	p = handler_policy();
	escape = p && task_confined(p) && !confined_task(p, child);
	return escape ? refuse(regs, -EPERM, kp->symbol_name) : 0;
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

/*
 * An xattr change is a setattr of the file named by the syscall, which
 * xattr.c noted. Kernel code that changes xattrs for a task under borrowed
 * credentials (overlayfs copying a file up) acts for an operation that was
 * decided at its own path hook.
 */
static int h_xattr(struct kprobe *kp, struct pt_regs *regs)
{
	const struct dentry *dentry = (const struct dentry *)ARG(regs, 1);
	const struct ioi_policy *p;
	const struct path *path;
	bool ok = true;

	p = handler_policy();
	if (p && task_confined(p) && current->cred == current->real_cred) {
		struct name none = {};

		path = ioi_xattr_path(dentry);
		ok = permitted(p, path ? path_of(path, this_cpu_ptr(pathbufs)->a)
				       : none, IOI_R_SETATTR, "xattr-change");
	}
	return ok ? 0 : ioi_deny(regs, -EACCES);
}

/*
 * Never for a confined task: mount, remount, umount, pivot_root, chroot,
 * move_mount, loading or removing kernel modules and other kernel images.
 */
static int h_never(struct kprobe *kp, struct pt_regs *regs)
{
	if (!ioi_current_confined())
		return 0;
	return refuse(regs, -EPERM, kp->symbol_name);
}

/*
 * Once locked, nobody unloads us: a plain rmmod already fails on the
 * reference the lock holds, but Debian's kernel has MODULE_FORCE_UNLOAD.
 * A forced unload (O_TRUNC) is refused at any time: with no reference
 * held a plain one does the same, and with one held (an open encrypted
 * file, a policy) it would free the shim or the policy under its user.
 */
static int delete_module(struct kprobe *kp, struct pt_regs *regs,
			 const char __user *name, unsigned int flags)
{
	bool forced = flags & O_TRUNC;
	char buf[sizeof(KBUILD_MODNAME)];

	/* A name we cannot read here might be ours: refuse, fail closed. */
	if ((ioi_locked() || forced) &&
	    (copy_from_user_nofault(buf, name, sizeof(buf)) ||
	     !memcmp(buf, KBUILD_MODNAME, sizeof(buf)))) {
		pr_notice_ratelimited("refused to unload: %s (pid %d)\n",
				      forced ? "forced" : "locked",
				      task_pid_nr(current));
		return ioi_deny(regs, -EPERM);
	}
	return h_never(kp, regs);
}

static int h_delete_module(struct kprobe *kp, struct pt_regs *regs)
{
	const struct pt_regs *u = (const struct pt_regs *)ARG(regs, 0);

	return delete_module(kp, regs, (const char __user *)u->di, u->si);
}

#ifdef CONFIG_IA32_EMULATION
static int h_delete_module32(struct kprobe *kp, struct pt_regs *regs)
{
	const struct pt_regs *u = (const struct pt_regs *)ARG(regs, 0);

	return delete_module(kp, regs, compat_ptr(u->bx), u->cx);
}
#endif

/*
 * open_tree(OPEN_TREE_CLONE) copies a mount tree, a bind mount in all but
 * name; without the flag it only opens a path, like O_PATH.
 */
static int h_open_tree(struct kprobe *kp, struct pt_regs *regs)
{
	const struct pt_regs *u = (const struct pt_regs *)ARG(regs, 0);

	/* The third argument is in dx in the 64-bit and the 32-bit ABI. */
	if (!(u->dx & OPEN_TREE_CLONE))
		return 0;
	return h_never(kp, regs);
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

	p = handler_policy();
	if (!p)
		goto out;
	/*
	 * link(2) locks only the new directory: the old name may be renamed
	 * meanwhile, so take its whole path, which d_path() reads safely.
	 */
	from = is_link ? path_of(old_dir, pb->a) :
			 child_path_of(old_dir, old, pb->a);
	to = child_path_of(new_dir, new, pb->b);
	if (p->encrypt.n && (!from.s || !to.s)) {
		/* A nameless file (O_TMPFILE) may not be linked into a rule. */
		err = -EXDEV;
		goto out;
	}
	if (p->encrypt.n) {
		/*
		 * A directory carries its tree: any encrypt rule that could
		 * decide below it differently is a change too.
		 */
		bool cross = ioi_policy_encrypt_mode(p, from.s, from.len) !=
			     ioi_policy_encrypt_mode(p, to.s, to.len);

		if (!cross && (d_is_dir(old) || (exchange && d_is_dir(new))))
			cross = ioi_rules_split_below(&p->encrypt, from.s,
						      from.len) ||
				ioi_rules_split_below(&p->encrypt, to.s,
						      to.len);
		if (cross) {
			struct ioi_event ev = {
				.type = IOI_EVENT_DENIED, .op = op,
				.err = EXDEV, .rule = -1,
				.path = from.s, .path_len = from.len,
			};

			ioi_event(&ev);
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
	/*
	 * A directory carries its whole tree: if any rule could decide a path
	 * below either name differently from the name itself, the tree would
	 * change rights wholesale. EXDEV, so that mv moves it file by file.
	 */
	if ((d_is_dir(old) || (exchange && d_is_dir(new))) &&
	    (ioi_rules_split_below(&p->access, from.s, from.len) ||
	     ioi_rules_split_below(&p->access, to.s, to.len))) {
		if (permitted(p, none, 0, op))
			goto out;
		err = -EXDEV;
		goto out;
	}
	gfrom = granted(p, from, &rule);
	gto = granted(p, to, &rule);
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
	return err ? ioi_deny(regs, err) : 0;
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

void ioi_kprobe_post(struct kprobe *kp, struct pt_regs *regs,
		     unsigned long flags)
{
}

static struct kprobe ioi_kprobes[] = {
	IOI_PROBE(security_file_open, h_file_open),
	IOI_PROBE(security_inode_free, h_inode_free),
	IOI_PROBE(security_path_mknod, h_mknod),
	IOI_PROBE(security_path_mkdir, h_create),
	IOI_PROBE(security_path_symlink, h_create),
	IOI_PROBE(security_path_rmdir, h_delete),
	IOI_PROBE(security_path_unlink, h_delete),
	IOI_PROBE(security_path_link, h_link),
	IOI_PROBE(security_path_rename, h_rename),
	IOI_PROBE(security_path_truncate, h_truncate),
	IOI_PROBE(security_path_chmod, h_setattr),
	IOI_PROBE(security_path_chown, h_setattr),
	IOI_PROBE(security_inode_setxattr, h_xattr),
	IOI_PROBE(security_inode_removexattr, h_xattr),
	/*
	 * utimes() has no path hook in 6.1: security_inode_setattr() gets a
	 * dentry without its mount. vfs_utimes() has the path.
	 */
	IOI_PROBE(vfs_utimes, h_setattr),
	IOI_PROBE(security_mmap_file, h_mmap_file),
	IOI_PROBE(security_file_mprotect, h_file_mprotect),
	IOI_PROBE(security_task_alloc, h_task_alloc),
	IOI_PROBE(security_ptrace_access_check, h_ptrace),
	IOI_PROBE(security_path_chroot, h_never),
	IOI_PROBE(security_sb_mount, h_never),
	IOI_PROBE(security_sb_remount, h_never),
	IOI_PROBE(security_sb_umount, h_never),
	IOI_PROBE(security_sb_pivotroot, h_never),
	IOI_PROBE(security_move_mount, h_never),
	IOI_PROBE(security_kernel_load_data, h_never),
	IOI_PROBE(security_kernel_read_file, h_never),
	/*
	 * No LSM hook at all: delete_module(2), and the new mount API, whose
	 * fsconfig(FSCONFIG_CMD_RECONFIGURE) remounts without
	 * security_sb_remount(). The syscalls themselves, in both ABIs.
	 */
	IOI_PROBE(__x64_sys_delete_module, h_delete_module),
	IOI_PROBE(__x64_sys_mount_setattr, h_never),
	IOI_PROBE(__x64_sys_fsopen, h_never),
	IOI_PROBE(__x64_sys_fspick, h_never),
	IOI_PROBE(__x64_sys_fsconfig, h_never),
	IOI_PROBE(__x64_sys_fsmount, h_never),
	IOI_PROBE(__x64_sys_open_tree, h_open_tree),
#ifdef CONFIG_IA32_EMULATION
	IOI_PROBE(__ia32_sys_delete_module, h_delete_module32),
	IOI_PROBE(__ia32_sys_mount_setattr, h_never),
	IOI_PROBE(__ia32_sys_fsopen, h_never),
	IOI_PROBE(__ia32_sys_fspick, h_never),
	IOI_PROBE(__ia32_sys_fsconfig, h_never),
	IOI_PROBE(__ia32_sys_fsmount, h_never),
	IOI_PROBE(__ia32_sys_open_tree, h_open_tree),
#endif
};

static struct kprobe **ioi_kprobe_ptrs;
static unsigned int ioi_nkprobes;
/* Each probe's own handler, while timing puts timed() in its place. */
static kprobe_pre_handler_t *ioi_handlers;

static int timed(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned int i;
	u64 t0;
	int ret;

	for (i = 0; i < ioi_nkprobes && ioi_kprobe_ptrs[i] != kp; i++)
		;
	if (WARN_ON_ONCE(i == ioi_nkprobes))
		return 0;
	t0 = ktime_get_ns();
	ret = ioi_handlers[i](kp, regs);
	ioi_stats_add(&ioi_stats, IOI_STAT_TIMING_HOOK_NS, ktime_get_ns() - t0);
	ioi_stats_inc(&ioi_stats, IOI_STAT_TIMING_HOOK_CALLS);
	return ret;
}

/*
 * Swapped, not tested in every handler, so that timing costs nothing
 * when off. A handler running meanwhile sees one pointer or the other.
 */
void ioi_hooks_set_timing(bool on)
{
	unsigned int i;

	for (i = 0; i < ioi_nkprobes; i++)
		WRITE_ONCE(ioi_kprobe_ptrs[i]->pre_handler,
			   on ? timed : ioi_handlers[i]);
}

bool ioi_hooks_enabled(const char **which)
{
	unsigned int i;

	for (i = 0; i < ioi_nkprobes; i++) {
		if (kprobe_disabled(ioi_kprobe_ptrs[i])) {
			*which = ioi_kprobe_ptrs[i]->symbol_name;
			return false;
		}
	}
	return true;
}

int __init ioi_hooks_init(void)
{
	unsigned int i, nx, ns;
	struct kprobe *x = ioi_xattr_kprobes(&nx);
	struct kprobe *sz = ioi_encsize_kprobes(&ns);
	int err;

	pathbufs = alloc_percpu(struct ioi_pathbufs);
	ioi_nkprobes = ARRAY_SIZE(ioi_kprobes) + nx + ns;
	ioi_kprobe_ptrs = kcalloc(ioi_nkprobes, sizeof(*ioi_kprobe_ptrs),
				  GFP_KERNEL);
	ioi_handlers = kcalloc(ioi_nkprobes, sizeof(*ioi_handlers), GFP_KERNEL);
	if (!pathbufs || !ioi_kprobe_ptrs || !ioi_handlers) {
		err = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < ARRAY_SIZE(ioi_kprobes); i++)
		ioi_kprobe_ptrs[i] = &ioi_kprobes[i];
	for (i = 0; i < nx; i++)
		ioi_kprobe_ptrs[ARRAY_SIZE(ioi_kprobes) + i] = &x[i];
	for (i = 0; i < ns; i++)
		ioi_kprobe_ptrs[ARRAY_SIZE(ioi_kprobes) + nx + i] = &sz[i];
	for (i = 0; i < ioi_nkprobes; i++)
		ioi_handlers[i] = ioi_kprobe_ptrs[i]->pre_handler;
	/* All or nothing: a missing hook would be a hole in the policy. */
	err = register_kprobes(ioi_kprobe_ptrs, ioi_nkprobes);
	if (err) {
		pr_err("cannot probe the security hooks (%d)\n", err);
		goto fail;
	}
	return 0;
fail:
	kfree(ioi_handlers);
	kfree(ioi_kprobe_ptrs);
	free_percpu(pathbufs);
	return err;
}

void ioi_hooks_exit(void)
{
	/* Waits for running handlers, so the buffers are free to go. */
	unregister_kprobes(ioi_kprobe_ptrs, ioi_nkprobes);
#ifdef CONFIG_TASKS_RCU
	/*
	 * A preemptible kernel may have stopped a denied task on the stub's
	 * one instruction; it must leave before the module's text goes.
	 */
	synchronize_rcu_tasks();
#endif
	kfree(ioi_handlers);
	kfree(ioi_kprobe_ptrs);
	free_percpu(pathbufs);
}
