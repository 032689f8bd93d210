/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_STATS_H
#define _IOI_STATS_H

#include <linux/jump_label.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/iointercept.h>

/*
 * Counters are per CPU so that hooks, which run with preemption disabled on
 * every CPU at once, never share a cache line; readers sum them. The index
 * space is the uapi's IOI_STAT_*, so netlink and sysfs need no mapping table.
 */
struct ioi_counters {
	u64 v[__IOI_STAT_MAX];
};

struct ioi_stats {
	struct ioi_counters __percpu *pcpu;
};

extern struct ioi_stats ioi_stats;

int ioi_stats_init(struct ioi_stats *s);
void ioi_stats_free(struct ioi_stats *s);
u64 ioi_stats_read(const struct ioi_stats *s, enum ioi_stat stat);

static inline void ioi_stats_inc(struct ioi_stats *s, enum ioi_stat stat)
{
	this_cpu_inc(s->pcpu->v[stat]);
}

static inline void ioi_stats_add(struct ioi_stats *s, enum ioi_stat stat, u64 n)
{
	this_cpu_add(s->pcpu->v[stat], n);
}

/*
 * Timing of hooks and of the cipher, off unless asked for: when off, a
 * static branch is all it costs. ioi_timing_set() sleeps.
 */
DECLARE_STATIC_KEY_FALSE(ioi_timing);
void ioi_timing_set(bool on);

static inline u64 ioi_timing_start(void)
{
	return static_branch_unlikely(&ioi_timing) ? ktime_get_ns() : 0;
}

static inline void ioi_timing_end(u64 t0, enum ioi_stat ns,
				  enum ioi_stat calls)
{
	if (!static_branch_unlikely(&ioi_timing))
		return;
	ioi_stats_add(&ioi_stats, ns, ktime_get_ns() - t0);
	ioi_stats_inc(&ioi_stats, calls);
}

#endif /* _IOI_STATS_H */
