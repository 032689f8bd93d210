// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for match.c, #included at its end on kernels with KUnit. The
 * cases are in match_cases.h, shared with the userspace tests
 * (tests/unit/test_match.c) so both builds answer the same.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "match_cases.h"

/*
 * Every path a pattern matches starts with its literal prefix, and goes on
 * from there with a '/' or not at all.
 */
static void expect_prefix_holds(struct kunit *test, const char *pat,
				const char *path)
{
	size_t n = ioi_pattern_prefix_len(pat);

	KUNIT_EXPECT_TRUE_MSG(test, strncmp(pat, path, n) == 0 &&
			      (n == strlen(pat) || !path[n] || path[n] == '/'),
			      "prefix %zu of %s, path %s", n, pat, path);
}

static void ioi_match_test_table(struct kunit *test)
{
	const char *why;
	size_t i, off;

	for (i = 0; i < ARRAY_SIZE(match_cases); i++) {
		const struct match_case *c = &match_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, ioi_pattern_check(c->pat, &off, &why),
				    0, "pattern %s", c->pat);
		KUNIT_EXPECT_EQ_MSG(test, ioi_pattern_match(c->pat, c->path),
				    c->match, "pattern %s, path %s",
				    c->pat, c->path);
		if (c->match)
			expect_prefix_holds(test, c->pat, c->path);
	}
}

static void ioi_match_test_junk(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(junk_cases); i++) {
		const struct match_case *c = &junk_cases[i];

		KUNIT_EXPECT_EQ_MSG(test, ioi_pattern_match(c->pat, c->path),
				    c->match, "pattern %s, path %s",
				    c->pat, c->path);
	}
}

static void ioi_match_test_check(struct kunit *test)
{
	const char *why;
	size_t i, off;
	int err;

	for (i = 0; i < ARRAY_SIZE(check_cases); i++) {
		const struct check_case *c = &check_cases[i];

		off = 9999;
		why = NULL;
		err = ioi_pattern_check(c->pat, &off, &why);
		if (!c->why) {
			KUNIT_EXPECT_EQ_MSG(test, err, 0, "pattern %s: %s",
					    c->pat, why);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "pattern %s", c->pat);
		KUNIT_EXPECT_EQ_MSG(test, off, c->offset, "pattern %s",
				    c->pat);
		KUNIT_EXPECT_STREQ_MSG(test, why ? why : "(null)", c->why,
				       "pattern %s", c->pat);
	}
}

static void ioi_match_test_prefix(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(prefix_cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    ioi_pattern_prefix_len(prefix_cases[i].pat),
				    prefix_cases[i].len, "pattern %s",
				    prefix_cases[i].pat);
}

/* IOI_PATTERN_MAX - 1 bytes is fine, IOI_PATTERN_MAX is too long. */
static void ioi_match_test_length(struct kunit *test)
{
	char *pat = kunit_kzalloc(test, IOI_PATTERN_MAX + 1, GFP_KERNEL);
	const char *why = NULL;
	size_t off = 0;

	KUNIT_ASSERT_NOT_NULL(test, pat);
	pat[0] = '/';
	memset(pat + 1, 'a', IOI_PATTERN_MAX - 2);
	KUNIT_EXPECT_EQ(test, ioi_pattern_check(pat, &off, &why), 0);
	KUNIT_EXPECT_TRUE(test, ioi_pattern_match(pat, pat));
	KUNIT_EXPECT_EQ(test, ioi_pattern_prefix_len(pat),
			(size_t)IOI_PATTERN_MAX - 1);

	pat[IOI_PATTERN_MAX - 1] = 'a';
	KUNIT_EXPECT_EQ(test, ioi_pattern_check(pat, &off, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, off, (size_t)IOI_PATTERN_MAX - 1);
	KUNIT_EXPECT_STREQ(test, why, "pattern too long");

	/* Too long wins over an error further left. */
	pat[1] = '.';
	pat[2] = '/';
	KUNIT_EXPECT_EQ(test, ioi_pattern_check(pat, &off, &why), -EINVAL);
	KUNIT_EXPECT_EQ(test, off, (size_t)IOI_PATTERN_MAX - 1);
}

/* Worst cases for backtracking; they only have to finish and be right. */
static void ioi_match_test_hostile(struct kunit *test)
{
	char *pat = kunit_kzalloc(test, IOI_PATTERN_MAX, GFP_KERNEL);
	char *path = kunit_kzalloc(test, HOSTILE_PATH_MAX + 1, GFP_KERNEL);
	const char *why;
	size_t i, off;

	KUNIT_ASSERT_NOT_NULL(test, pat);
	KUNIT_ASSERT_NOT_NULL(test, path);
	for (i = 0; i < ARRAY_SIZE(hostile_cases); i++) {
		const struct hostile_case *c = &hostile_cases[i];

		KUNIT_ASSERT_TRUE(test, hostile_build(pat, c->pat_len,
						      c->pat_head, c->pat_rep,
						      c->pat_tail));
		KUNIT_ASSERT_TRUE(test, hostile_build(path, c->path_len,
						      c->path_head,
						      c->path_rep,
						      c->path_tail));
		KUNIT_EXPECT_EQ_MSG(test, ioi_pattern_check(pat, &off, &why),
				    0, "hostile case %zu", i);
		KUNIT_EXPECT_EQ_MSG(test, ioi_pattern_match(pat, path),
				    c->match, "hostile case %zu", i);
	}
}

static struct kunit_case ioi_match_test_cases[] = {
	KUNIT_CASE(ioi_match_test_table),
	KUNIT_CASE(ioi_match_test_junk),
	KUNIT_CASE(ioi_match_test_check),
	KUNIT_CASE(ioi_match_test_prefix),
	KUNIT_CASE(ioi_match_test_length),
	KUNIT_CASE(ioi_match_test_hostile),
	{}
};

static struct kunit_suite ioi_match_test_suite = {
	.name = "iointercept_match",
	.test_cases = ioi_match_test_cases,
};

kunit_test_suite(ioi_match_test_suite);
