// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for stats.c, #included at its end on kernels with KUnit so
 * that they see its static parts. Each test uses its own counter set, never
 * the module's live one.
 */
#include <kunit/test.h>

static void ioi_stats_test_fresh_is_zero(struct kunit *test)
{
	struct ioi_stats s;
	int i;

	KUNIT_ASSERT_EQ(test, ioi_stats_init(&s), 0);
	for (i = IOI_STAT_UNSPEC + 1; i <= IOI_STAT_MAX; i++)
		KUNIT_EXPECT_EQ(test, ioi_stats_read(&s, i), 0ULL);
	ioi_stats_free(&s);
	/* KUNIT_EXPECT_NULL would compare it with a plain void * (sparse) */
	KUNIT_EXPECT_TRUE(test, !s.pcpu);
}

static void ioi_stats_test_inc_add(struct kunit *test)
{
	struct ioi_stats s;

	KUNIT_ASSERT_EQ(test, ioi_stats_init(&s), 0);
	preempt_disable();
	ioi_stats_inc(&s, IOI_STAT_NETLINK_REQUESTS);
	ioi_stats_inc(&s, IOI_STAT_NETLINK_REQUESTS);
	ioi_stats_add(&s, IOI_STAT_NETLINK_REQUESTS, 40);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, ioi_stats_read(&s, IOI_STAT_NETLINK_REQUESTS),
			42ULL);
	ioi_stats_free(&s);
}

/* The sum must include every possible CPU, online or not. */
static void ioi_stats_test_sums_all_cpus(struct kunit *test)
{
	struct ioi_stats s;
	u64 want = 0;
	int cpu;

	KUNIT_ASSERT_EQ(test, ioi_stats_init(&s), 0);
	for_each_possible_cpu(cpu) {
		per_cpu_ptr(s.pcpu, cpu)->v[IOI_STAT_NETLINK_REQUESTS] = cpu + 1;
		want += cpu + 1;
	}
	KUNIT_EXPECT_EQ(test, ioi_stats_read(&s, IOI_STAT_NETLINK_REQUESTS),
			want);
	ioi_stats_free(&s);
}

/* A 64-bit counter must not wrap at 32 bits. */
static void ioi_stats_test_wide(struct kunit *test)
{
	struct ioi_stats s;

	KUNIT_ASSERT_EQ(test, ioi_stats_init(&s), 0);
	preempt_disable();
	ioi_stats_add(&s, IOI_STAT_NETLINK_REQUESTS, 0xffffffffULL);
	ioi_stats_inc(&s, IOI_STAT_NETLINK_REQUESTS);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, ioi_stats_read(&s, IOI_STAT_NETLINK_REQUESTS),
			0x100000000ULL);
	ioi_stats_free(&s);
}

static struct kunit_case ioi_stats_test_cases[] = {
	KUNIT_CASE(ioi_stats_test_fresh_is_zero),
	KUNIT_CASE(ioi_stats_test_inc_add),
	KUNIT_CASE(ioi_stats_test_sums_all_cpus),
	KUNIT_CASE(ioi_stats_test_wide),
	{}
};

static struct kunit_suite ioi_stats_test_suite = {
	.name = "iointercept_stats",
	.test_cases = ioi_stats_test_cases,
};

kunit_test_suite(ioi_stats_test_suite);
