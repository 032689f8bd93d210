// SPDX-License-Identifier: GPL-2.0
/*
 * Security events (docs/monitoring.md): raised anywhere, hooks included,
 * where nothing may sleep or wait; delivered from a worker to the audit
 * subsystem and to the "events" generic netlink group. Raising never
 * blocks: past the rate limit an event is suppressed, past the queue's
 * bound or out of memory it is dropped, and both are counted. Every event
 * raised takes a sequence number first, so a listener sees the gaps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/audit.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <net/genetlink.h>
#include <iointercept/events.h>

#include "events.h"
#include "keys.h"
#include "policy.h"
#include "stats.h"

/* Queued and not yet sent; beyond this, a flood is dropped, not kept. */
#define IOI_EVENT_QUEUE_MAX	1024
/* Per type and second; the rest are counted as suppressed. */
#define IOI_EVENT_BURST		200
#define IOI_NONE		U16_MAX

struct ioi_ev {
	struct list_head node;
	u64 seq;
	u64 time;
	const char *op;
	struct cgroup *cgrp;
	u8 type;
	bool redact;
	int err;
	int rule;
	pid_t pid, tgid;
	uid_t uid;
	u16 pattern, path, detail;	/* offsets in s[], or IOI_NONE */
	char comm[TASK_COMM_LEN];
	char s[];
};

static atomic64_t seq;
static struct ratelimit_state limits[__IOI_EVENT_MAX];
static DEFINE_SPINLOCK(queue_lock);
static LIST_HEAD(queue);
static unsigned int queued;
static bool stopped = true;
static struct crypto_shash *redact_tfm;	/* hmac(sha256) */
static u8 boot_key[SHA256_DIGEST_SIZE];	/* without a master key */

static void send_events(struct work_struct *work);
static DECLARE_WORK(send_work, send_events);

static_assert(ARRAY_SIZE(ioi_event_names) == __IOI_EVENT_MAX);

static void ev_free(struct ioi_ev *e)
{
	if (e->cgrp)
		cgroup_put(e->cgrp);
	kfree(e);
}

static u16 put_str(struct ioi_ev *e, size_t *at, const char *s, size_t len)
{
	u16 off = *at;

	if (!s)
		return IOI_NONE;
	memcpy(e->s + off, s, len);
	e->s[off + len] = '\0';
	*at += len + 1;
	return off;
}

void ioi_event(const struct ioi_event *ev)
{
	const char *pattern = NULL;
	const struct ioi_policy *p;
	size_t plen = 0, dlen = 0, patlen = 0, at = 0;
	unsigned long flags;
	struct ioi_ev *e;

	if (WARN_ON_ONCE(ev->type <= IOI_EVENT_UNSPEC ||
			 ev->type > IOI_EVENT_MAX))
		return;
	/* An int3 probe runs its handler as an NMI: no allocation there. */
	if (in_nmi()) {
		atomic64_inc(&seq);
		ioi_stats_inc(&ioi_stats, IOI_STAT_EVENTS_DROPPED);
		return;
	}
	if (!__ratelimit(&limits[ev->type])) {
		atomic64_inc(&seq);
		ioi_stats_inc(&ioi_stats, IOI_STAT_EVENTS_SUPPRESSED);
		return;
	}
	if (ev->path)
		plen = min_t(size_t, ev->path_len, PATH_MAX);
	if (ev->detail)
		dlen = strnlen(ev->detail, 256);
	if (ev->policy && ev->rule >= 0 && ev->rule < ev->policy->access.n) {
		pattern = ev->policy->access.rule[ev->rule].pattern;
		patlen = strnlen(pattern, IOI_PATTERN_MAX);
	}
	e = kmalloc(struct_size(e, s, plen + dlen + patlen + 3),
		    GFP_ATOMIC | __GFP_NOWARN);
	if (!e) {
		atomic64_inc(&seq);
		ioi_stats_inc(&ioi_stats, IOI_STAT_EVENTS_DROPPED);
		return;
	}
	e->time = ktime_get_real_ns();
	e->type = ev->type;
	e->op = ev->op;
	e->err = ev->err;
	e->rule = ioi_event_has_rule(ev->type) ? ev->rule : -2;
	e->pid = task_pid_nr(current);
	e->tgid = task_tgid_nr(current);
	e->uid = from_kuid(&init_user_ns, current_uid());
	/*
	 * Not get_task_comm(): its task lock may be held already, on another
	 * task (ptrace checks), and two tasks would then wait for each other.
	 * A racing rename gives a torn name, as in every unlocked comm reader.
	 */
	strscpy_pad(e->comm, current->comm, sizeof(e->comm));
	/* A hook runs with preemption off: that is a read-side section. */
	rcu_read_lock();
	e->cgrp = task_dfl_cgroup(current);
	if (!cgroup_tryget(e->cgrp))
		e->cgrp = NULL;
	p = rcu_dereference(ioi_policy_active);
	e->redact = p && p->log_paths == IOI_LOG_PATHS_REDACT;
	rcu_read_unlock();
	e->path = put_str(e, &at, ev->path, plen);
	e->detail = put_str(e, &at, ev->detail, dlen);
	e->pattern = put_str(e, &at, pattern, patlen);

	spin_lock_irqsave(&queue_lock, flags);
	/* Numbered in queue order, so that listeners see them in order. */
	e->seq = atomic64_inc_return(&seq);
	if (stopped || queued >= IOI_EVENT_QUEUE_MAX) {
		spin_unlock_irqrestore(&queue_lock, flags);
		ioi_stats_inc(&ioi_stats, IOI_STAT_EVENTS_DROPPED);
		ev_free(e);
		return;
	}
	list_add_tail(&e->node, &queue);
	queued++;
	/* Under the lock: once stopped, no work can be queued any more. */
	queue_work(system_unbound_wq, &send_work);
	spin_unlock_irqrestore(&queue_lock, flags);
}

void ioi_event_file(enum ioi_event_type type, const char *op, int err,
		    struct file *file, const char *detail)
{
	struct ioi_event ev = {
		.type = type, .op = op, .err = err, .rule = -1,
		.detail = detail,
	};
	char *buf, *name;

	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	name = buf ? d_path(&file->f_path, buf, PATH_MAX) : NULL;
	if (!IS_ERR_OR_NULL(name)) {
		ev.path = name;
		ev.path_len = strlen(name);
	}
	ioi_event(&ev);
	kfree(buf);
}

/*
 * "dir/#<16 hex digits>": the last component of @path hashed under a key
 * of this machine's, so a log that leaves it shows no file names.
 */
static void redact(char *path, size_t size)
{
	u8 key[SHA256_DIGEST_SIZE], mac[SHA256_DIGEST_SIZE];
	char *last = strrchr(path, '/');
	int err;

	last = last ? last + 1 : path;
	if (!*last)
		return;
	if (ioi_key_redact(key))
		memcpy(key, boot_key, sizeof(key));
	err = crypto_shash_setkey(redact_tfm, key, sizeof(key)) ?:
	      crypto_shash_tfm_digest(redact_tfm, last, strlen(last), mac);
	memzero_explicit(key, sizeof(key));
	/* Never the name itself: without a hash, no name at all. */
	if (err || last + 18 > path + size) {
		strscpy(last, "#", path + size - last);
		return;
	}
	snprintf(last, 18, "#%*phN", 8, mac);
}

/*
 * The audit subsystem's rule for a string someone else chose: quoted if
 * it is plain, else the whole of it in hex.
 */
static void audit_str(struct audit_buffer *ab, const char *name,
		      const char *s)
{
	const unsigned char *c;

	for (c = s; *c; c++)
		if (*c == '"' || *c < 0x21 || *c > 0x7e)
			break;
	if (!*c) {
		audit_log_format(ab, " %s=\"%s\"", name, s);
		return;
	}
	audit_log_format(ab, " %s=", name);
	for (c = s; *c; c++)
		audit_log_format(ab, "%02X", *c);
}

static void to_audit(const struct ioi_ev *e, const char *cgroup,
		     const char *path)
{
	struct audit_buffer *ab;

	ab = audit_log_start(NULL, GFP_KERNEL, AUDIT_KERNEL_OTHER);
	if (!ab)
		return;
	audit_log_format(ab, "iointercept=%s seq=%llu",
			 ioi_event_names[e->type],
			 e->seq);
	if (e->op)
		audit_log_format(ab, " op=%s", e->op);
	audit_log_format(ab, " errno=%d pid=%d tgid=%d uid=%u", e->err,
			 e->pid, e->tgid, e->uid);
	audit_str(ab, "comm", e->comm);
	if (cgroup)
		audit_str(ab, "cgroup", cgroup);
	if (e->rule != -2)
		audit_log_format(ab, " rule=%d", e->rule);
	if (e->pattern != IOI_NONE)
		audit_str(ab, "pattern", e->s + e->pattern);
	if (path)
		audit_str(ab, "path", path);
	if (e->detail != IOI_NONE)
		audit_str(ab, "detail", e->s + e->detail);
	audit_log_end(ab);
}

static size_t str_size(const char *s)
{
	return s ? nla_total_size(strlen(s) + 1) : 0;
}

/* The payload of an event's message, strings and all. */
static size_t size(const struct ioi_ev *e, const char *cgroup,
		   const char *path)
{
	return nla_total_size(0) + nla_total_size(sizeof(u8)) +
	       2 * nla_total_size_64bit(sizeof(u64)) +
	       5 * nla_total_size(sizeof(u32)) + str_size(e->op) +
	       str_size(e->comm) + str_size(cgroup) + str_size(path) +
	       (e->pattern != IOI_NONE ? str_size(e->s + e->pattern) : 0) +
	       (e->detail != IOI_NONE ? str_size(e->s + e->detail) : 0);
}

/* False if the message could not be made: the event is then dropped. */
static bool to_netlink(const struct ioi_ev *e, const char *cgroup,
		       const char *path)
{
	struct sk_buff *skb;
	struct nlattr *nest;
	void *hdr;

	skb = ioi_genl_event_new(size(e, cgroup, path), &hdr);
	if (!skb)
		return false;
	nest = nla_nest_start(skb, IOI_A_EVENT);
	if (!nest ||
	    nla_put_u8(skb, IOI_EV_A_TYPE, e->type) ||
	    nla_put_u64_64bit(skb, IOI_EV_A_SEQ, e->seq, IOI_EV_A_PAD) ||
	    nla_put_u64_64bit(skb, IOI_EV_A_TIME, e->time, IOI_EV_A_PAD) ||
	    (e->op && nla_put_string(skb, IOI_EV_A_OP, e->op)) ||
	    nla_put_u32(skb, IOI_EV_A_ERRNO, e->err) ||
	    nla_put_u32(skb, IOI_EV_A_PID, e->pid) ||
	    nla_put_u32(skb, IOI_EV_A_TGID, e->tgid) ||
	    nla_put_u32(skb, IOI_EV_A_UID, e->uid) ||
	    nla_put_string(skb, IOI_EV_A_COMM, e->comm) ||
	    (cgroup && nla_put_string(skb, IOI_EV_A_CGROUP, cgroup)) ||
	    (e->rule != -2 && nla_put_s32(skb, IOI_EV_A_RULE, e->rule)) ||
	    (e->pattern != IOI_NONE &&
	     nla_put_string(skb, IOI_EV_A_PATTERN, e->s + e->pattern)) ||
	    (path && nla_put_string(skb, IOI_EV_A_PATH, path)) ||
	    (e->detail != IOI_NONE &&
	     nla_put_string(skb, IOI_EV_A_DETAIL, e->s + e->detail))) {
		nlmsg_free(skb);
		return false;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	/* No listener is no loss: audit has it. */
	ioi_genl_event(skb);
	return true;
}

static void send_one(const struct ioi_ev *e, char *cgbuf, char *pathbuf)
{
	const char *cgroup = NULL, *path = NULL;

	if (e->cgrp && cgroup_path(e->cgrp, cgbuf, PATH_MAX) > 0)
		cgroup = cgbuf;
	if (e->path != IOI_NONE) {
		strscpy(pathbuf, e->s + e->path, PATH_MAX);
		if (e->redact)
			redact(pathbuf, PATH_MAX);
		path = pathbuf;
	}
	/*
	 * Each event raised is counted once: emitted, suppressed or dropped.
	 * A record audit cannot take is counted in audit's own "lost".
	 */
	to_audit(e, cgroup, path);
	ioi_stats_inc(&ioi_stats, to_netlink(e, cgroup, path) ?
		      IOI_STAT_EVENTS_EMITTED : IOI_STAT_EVENTS_DROPPED);
}

static void send_events(struct work_struct *work)
{
	char *cgbuf, *pathbuf;
	struct ioi_ev *e, *tmp;
	LIST_HEAD(batch);

	spin_lock_irq(&queue_lock);
	list_splice_init(&queue, &batch);
	queued = 0;
	spin_unlock_irq(&queue_lock);

	cgbuf = kmalloc(PATH_MAX, GFP_KERNEL);
	pathbuf = kmalloc(PATH_MAX, GFP_KERNEL);
	list_for_each_entry_safe(e, tmp, &batch, node) {
		if (cgbuf && pathbuf)
			send_one(e, cgbuf, pathbuf);
		else
			ioi_stats_inc(&ioi_stats, IOI_STAT_EVENTS_DROPPED);
		list_del(&e->node);
		ev_free(e);
		cond_resched();
	}
	kfree(cgbuf);
	kfree(pathbuf);
}

int __init ioi_events_init(void)
{
	int i;

	redact_tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(redact_tfm))
		return PTR_ERR(redact_tfm);
	get_random_bytes(boot_key, sizeof(boot_key));
	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		ratelimit_state_init(&limits[i], HZ, IOI_EVENT_BURST);
		/* Counted by us; the state must not print on its own. */
		ratelimit_set_flags(&limits[i], RATELIMIT_MSG_ON_RELEASE);
	}
	spin_lock_irq(&queue_lock);
	stopped = false;
	spin_unlock_irq(&queue_lock);
	return 0;
}

void ioi_events_stop(void)
{
	struct ioi_ev *e, *tmp;
	LIST_HEAD(left);

	spin_lock_irq(&queue_lock);
	stopped = true;
	spin_unlock_irq(&queue_lock);
	/* What is queued now is sent; nothing is queued after. */
	flush_work(&send_work);
	spin_lock_irq(&queue_lock);
	list_splice_init(&queue, &left);
	queued = 0;
	spin_unlock_irq(&queue_lock);
	list_for_each_entry_safe(e, tmp, &left, node) {
		ioi_stats_inc(&ioi_stats, IOI_STAT_EVENTS_DROPPED);
		ev_free(e);
	}
}

void ioi_events_exit(void)
{
	crypto_free_shash(redact_tfm);
	memzero_explicit(boot_key, sizeof(boot_key));
}
