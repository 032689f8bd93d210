// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU operation counters, exported through sysfs and netlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/mutex.h>
#include <linux/percpu.h>

#include "hooks.h"
#include "stats.h"

struct ioi_stats ioi_stats;
DEFINE_STATIC_KEY_FALSE(ioi_timing);
static DEFINE_MUTEX(timing_lock);

void ioi_timing_set(bool on)
{
	mutex_lock(&timing_lock);
	if (on != static_key_enabled(&ioi_timing)) {
		if (on)
			static_branch_enable(&ioi_timing);
		ioi_hooks_set_timing(on);
		if (!on)
			static_branch_disable(&ioi_timing);
	}
	mutex_unlock(&timing_lock);
}

int ioi_stats_init(struct ioi_stats *s)
{
	s->pcpu = alloc_percpu(struct ioi_counters);
	return s->pcpu ? 0 : -ENOMEM;
}

void ioi_stats_free(struct ioi_stats *s)
{
	free_percpu(s->pcpu);
	s->pcpu = NULL;
}

/*
 * Sums over possible CPUs, not online ones: a CPU that went offline keeps the
 * counts it made, and a total must never go backwards.
 */
u64 ioi_stats_read(const struct ioi_stats *s, enum ioi_stat stat)
{
	u64 sum = 0;
	int cpu;

	if (WARN_ON_ONCE(stat <= IOI_STAT_UNSPEC || stat > IOI_STAT_MAX))
		return 0;
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(s->pcpu, cpu)->v[stat]);
	return sum;
}

#if IOI_KUNIT
#include "stats_test.c"
#endif
