// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for rules.c, #included at its end on kernels with KUnit: the
 * prefix shortcuts and the index must give exactly what trying every rule
 * in order with the full matcher gives.
 */
#include <kunit/test.h>

#include "match_cases.h"

static int first_linear(const struct ioi_rule *r, u32 n, const char *path)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (ioi_pattern_match(r[i].pattern, path))
			return i;
	return -1;
}

static void set_rule(struct ioi_rule *r, const char *pattern)
{
	memset(r, 0, sizeof(*r));
	r->pattern = pattern;
	r->prefix_len = ioi_pattern_prefix_len(pattern);
	r->shape = ioi_rule_shape(pattern, r->prefix_len);
}

static void ioi_rules_test_shapes(struct kunit *test)
{
	struct ioi_rule r;
	size_t i, shortcut = 0;

	for (i = 0; i < ARRAY_SIZE(match_cases); i++) {
		const struct match_case *c = &match_cases[i];

		set_rule(&r, c->pat);
		shortcut += r.shape != 0;
		KUNIT_EXPECT_EQ_MSG(test, ioi_rule_matches(&r, c->path,
							   strlen(c->path)),
				    c->match, "pattern %s, path %s", c->pat,
				    c->path);
	}
	/* The table must exercise the shortcuts, not only the matcher. */
	KUNIT_EXPECT_GT(test, shortcut, (size_t)10);
	KUNIT_EXPECT_EQ(test, ioi_rule_shape("/srv/**", 4), IOI_RULE_SUBTREE);
	KUNIT_EXPECT_EQ(test, ioi_rule_shape("/**", 0), IOI_RULE_SUBTREE);
	KUNIT_EXPECT_EQ(test, ioi_rule_shape("/etc/passwd", 11),
			IOI_RULE_LITERAL);
	KUNIT_EXPECT_EQ(test, ioi_rule_shape("/srv/**/x", 4), 0);
	KUNIT_EXPECT_EQ(test, ioi_rule_shape("/srv/*", 4), 0);
}

/* Every table case as a one-rule list: the index agrees with the matcher. */
static void ioi_rules_test_single(struct kunit *test)
{
	struct ioi_rule r;
	struct ioi_rules rs = { .rule = &r, .n = 1 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(match_cases); i++) {
		const struct match_case *c = &match_cases[i];

		set_rule(&r, c->pat);
		KUNIT_ASSERT_EQ(test, ioi_rules_index(&rs), 0);
		KUNIT_EXPECT_EQ_MSG(test, ioi_rules_first(&rs, c->path,
							  strlen(c->path)),
				    c->match ? 0 : -1, "pattern %s, path %s",
				    c->pat, c->path);
		ioi_rules_free(&rs);
	}
}

static const char *const order_patterns[] = {
	"/a/b/*.pt", "/a/**", "/", "/a/b", "/**", "/a/b/**", "/*.conf",
	"/a/*/c", "/x/**/y", "/a", "/a/b/c", "/ab/**", "/a/b/**", "/x/*",
	"/a/b/c/d/**", "/etc/passwd",
};

static const char *const order_paths[] = {
	"/", "/a", "/ab", "/a/b", "/a/b/c", "/a/b/x.pt", "/a/x/c", "/x/y",
	"/x/q/y", "/x/q", "/app.conf", "/a/b/c/d", "/a/b/c/d/e", "/etc/passwd",
	"/etc/passwdx", "/zzz", "/a/bc", "/ab/c",
};

/*
 * Rules sharing prefixes, in every rotation of their order: the indexed
 * first match is the linear first match, also when the winner and an
 * earlier loser share a group or sit in different groups.
 */
static void ioi_rules_test_order(struct kunit *test)
{
	const size_t n = ARRAY_SIZE(order_patterns);
	struct ioi_rule r[ARRAY_SIZE(order_patterns)];
	struct ioi_rules rs = { .rule = r, .n = n };
	size_t rot, i, k;

	for (rot = 0; rot < n; rot++) {
		for (i = 0; i < n; i++)
			set_rule(&r[i], order_patterns[(i + rot) % n]);
		KUNIT_ASSERT_EQ(test, ioi_rules_index(&rs), 0);
		for (k = 0; k < ARRAY_SIZE(order_paths); k++) {
			const char *path = order_paths[k];

			KUNIT_EXPECT_EQ_MSG(test,
					    ioi_rules_first(&rs, path,
							    strlen(path)),
					    first_linear(r, n, path),
					    "rotation %zu, path %s", rot,
					    path);
		}
		ioi_rules_free(&rs);
	}
	/* Fewer rules than the table: prefixes of the list, rotation 0. */
	for (i = 0; i <= n; i++) {
		for (k = 0; k < i; k++)
			set_rule(&r[k], order_patterns[k]);
		rs.n = i;
		KUNIT_ASSERT_EQ(test, ioi_rules_index(&rs), 0);
		for (k = 0; k < ARRAY_SIZE(order_paths); k++)
			KUNIT_EXPECT_EQ(test,
					ioi_rules_first(&rs, order_paths[k],
							strlen(order_paths[k])),
					first_linear(r, i, order_paths[k]));
		ioi_rules_free(&rs);
	}
}

/*
 * Two lists in one pass (an open's access and encrypt rules): each answer
 * is the linear first match of its own list, for lists cut from the table
 * at every point (either of them empty included) and in both roles.
 */
static void ioi_rules_test_two(struct kunit *test)
{
	const size_t n = ARRAY_SIZE(order_patterns);
	struct ioi_rule r[ARRAY_SIZE(order_patterns)];
	struct ioi_rules a, b;
	size_t cut, k, i;
	int ra, rb;

	for (i = 0; i < n; i++)
		set_rule(&r[i], order_patterns[i]);
	for (cut = 0; cut <= n; cut++) {
		a = (struct ioi_rules){ .rule = r, .n = cut };
		b = (struct ioi_rules){ .rule = r + cut, .n = n - cut };
		KUNIT_ASSERT_EQ(test, ioi_rules_index(&a), 0);
		KUNIT_ASSERT_EQ(test, ioi_rules_index(&b), 0);
		for (k = 0; k < ARRAY_SIZE(order_paths); k++) {
			const char *path = order_paths[k];

			ioi_rules_first2(&a, &b, path, strlen(path), &ra, &rb);
			KUNIT_EXPECT_EQ_MSG(test, ra, first_linear(a.rule, a.n,
								   path),
					    "cut %zu, path %s", cut, path);
			KUNIT_EXPECT_EQ_MSG(test, rb, first_linear(b.rule, b.n,
								   path),
					    "cut %zu, path %s", cut, path);
			ioi_rules_first2(&b, &a, path, strlen(path), &rb, &ra);
			KUNIT_EXPECT_EQ(test, ra, first_linear(a.rule, a.n,
							       path));
			KUNIT_EXPECT_EQ(test, rb, first_linear(b.rule, b.n,
							       path));
		}
		ioi_rules_free(&a);
		ioi_rules_free(&b);
	}
}

static struct kunit_case ioi_rules_test_cases[] = {
	KUNIT_CASE(ioi_rules_test_shapes),
	KUNIT_CASE(ioi_rules_test_single),
	KUNIT_CASE(ioi_rules_test_order),
	KUNIT_CASE(ioi_rules_test_two),
	{}
};

static struct kunit_suite ioi_rules_test_suite = {
	.name = "iointercept_rules",
	.test_cases = ioi_rules_test_cases,
};

kunit_test_suite(ioi_rules_test_suite);
