/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_POLICY_H
#define _IOI_POLICY_H

#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <net/netlink.h>
#include <linux/iointercept.h>

#include "rules.h"

struct cgroup;
struct netlink_ext_ack;
struct nlattr;
struct sk_buff;

/* Rights a confined task needs for an operation (docs/policy.md). */
#define IOI_R_READ	BIT(0)
#define IOI_R_WRITE	BIT(1)
#define IOI_R_EXEC	BIT(2)
#define IOI_R_CREATE	BIT(3)
#define IOI_R_DELETE	BIT(4)
#define IOI_R_SETATTR	BIT(5)
#define IOI_R_ALL	(BIT(6) - 1)

/*
 * An immutable snapshot: built whole from one netlink message, published
 * with rcu_assign_pointer(), freed after a grace period once replaced.
 * Hooks read it under rcu_read_lock() and never take a lock.
 */
struct ioi_policy {
	u8 mode;		/* enum ioi_mode */
	u8 dflt;		/* enum ioi_default */
	u8 scope;		/* enum ioi_scope */
	u8 on_plaintext;	/* enum ioi_on_plaintext */
	u8 log_paths;		/* enum ioi_log_paths */
	u8 require_tee;		/* refuse keys outside a confidential guest */
	struct cgroup *cgrp;	/* IOI_SCOPE_CGROUP: holds a reference */
	const char *cgroup_path;
	struct ioi_rules access;	/* first match decides */
	struct ioi_rules encrypt;	/* first match decides */
	u8 hash[IOI_POLICY_HASH_LEN];
	struct rcu_head rcu;
	char strings[];		/* patterns and cgroup path */
};

struct ioi_verdict {
	bool allowed;
	int rule;		/* index of the deciding access rule, -1: default */
	u8 granted;		/* IOI_R_* the path has */
};

extern struct ioi_policy __rcu *ioi_policy_active;
extern const struct nla_policy ioi_policy_nl_policy[IOI_POLICY_A_MAX + 1];

struct ioi_policy *ioi_policy_from_nl(const struct nlattr *nest,
				      struct netlink_ext_ack *extack);
void ioi_policy_free(struct ioi_policy *p);
int ioi_policy_put_nl(struct sk_buff *msg, const struct ioi_policy *p);

/* Replace (or, with NULL, remove) the policy in force. Sleeps. */
void ioi_policy_install(struct ioi_policy *p);
/* Run @fn on the policy in force (or NULL) with writers held off. */
int ioi_policy_with(int (*fn)(const struct ioi_policy *p, void *arg),
		    void *arg);
bool ioi_policy_loaded(void);
/* enum ioi_mode of the policy in force, -1 if none. */
int ioi_policy_mode(void);
/* Does the policy in force say require-tee yes? */
bool ioi_policy_requires_tee(void);
/* The hash of the policy in force; false when none is loaded. */
bool ioi_policy_hash(u8 out[IOI_POLICY_HASH_LEN]);
void ioi_policy_exit(void);

/* The rights that access rule @rule gives, or the default if it is -1. */
static inline u8 ioi_policy_rights(const struct ioi_policy *p, int rule)
{
	if (rule >= 0)
		return p->access.rule[rule].rights;
	return p->dflt == IOI_DEFAULT_ALLOW ? IOI_R_ALL : 0;
}

/*
 * The rights @path has, and in *@rule the deciding access rule or -1 for
 * the default. Inline: on the hot path of every open, a call and its
 * return thunk cost a measurable share (docs/performance.md).
 */
static inline u8 ioi_policy_granted(const struct ioi_policy *p,
				    const char *path, size_t len, int *rule)
{
	*rule = ioi_rules_first(&p->access, path, len);
	return ioi_policy_rights(p, *rule);
}

static inline void ioi_policy_decide(const struct ioi_policy *p,
				     const char *path, size_t len, u8 want,
				     struct ioi_verdict *v)
{
	v->granted = ioi_policy_granted(p, path, len, &v->rule);
	v->allowed = (want & ~v->granted) == 0;
}

/* Is @sb memory only: the place a tmpfs rule may name? */
static inline bool ioi_sb_is_tmpfs(const struct super_block *sb)
{
	return sb->s_magic == TMPFS_MAGIC || sb->s_magic == RAMFS_MAGIC;
}

/* enum ioi_encrypt of the first encrypt rule matching @path, or 0. */
u8 ioi_policy_encrypt_mode(const struct ioi_policy *p, const char *path,
			   size_t len);

#endif /* _IOI_POLICY_H */
