/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_STATS_H
#define _IOI_STATS_H

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

#endif /* _IOI_STATS_H */
