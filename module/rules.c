// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the first rule, in policy order, that matches a path, without
 * trying every rule: each rule's literal prefix (match.h) is a directory of
 * every path it matches, or that path itself, so only the rules filed under
 * the path's own directories can match. They are grouped by prefix in a
 * hash table built when the policy loads; a lookup hashes each directory of
 * the path once (FNV-1a, extended byte by byte) and tries those groups.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "match.h"
#include "rules.h"

struct ioi_rule_group {
	u32 hash;
	u32 next;	/* next group in the bucket */
	u32 first;	/* its rules, in order, chained by ioi_rules.next */
	u32 last;
	u16 len;
	const char *prefix;
};

#define FNV_BASIS	2166136261u
#define FNV_PRIME	16777619u

static inline u32 fnv_step(u32 h, u8 c)
{
	return (h ^ c) * FNV_PRIME;
}

static u32 fnv(const char *s, size_t len)
{
	u32 h = FNV_BASIS;
	size_t i;

	for (i = 0; i < len; i++)
		h = fnv_step(h, s[i]);
	return h;
}

/*
 * Most rules are a directory tree (a literal prefix, then a ** component)
 * or one path: those are decided by comparing the prefix alone.
 */
u8 ioi_rule_shape(const char *pattern, size_t prefix_len)
{
	const char *rest = pattern + prefix_len;

	if (!*rest)
		return IOI_RULE_LITERAL;
	if (!strcmp(rest, "/**"))
		return IOI_RULE_SUBTREE;
	return 0;
}

bool ioi_rule_matches(const struct ioi_rule *r, const char *path, size_t len)
{
	if (len < r->prefix_len || memcmp(path, r->pattern, r->prefix_len))
		return false;
	switch (r->shape) {
	case IOI_RULE_LITERAL:
		return len == r->prefix_len;
	case IOI_RULE_SUBTREE:
		/* A tree includes its top; with an empty prefix, everything. */
		return len == r->prefix_len || path[r->prefix_len] == '/' ||
		       r->prefix_len == 0;
	default:
		return ioi_pattern_match(r->pattern, path);
	}
}

bool ioi_path_within(const char *a, size_t alen, const char *b, size_t blen)
{
	/* "" and "/" are above every path. */
	if (alen == 0 || (alen == 1 && a[0] == '/'))
		return true;
	return alen <= blen && !memcmp(a, b, alen) &&
	       (blen == alen || b[alen] == '/');
}

bool ioi_rules_split_below(const struct ioi_rules *rs, const char *dir,
			   size_t len)
{
	const struct ioi_rule *r;
	u32 i;

	for (i = 0; i < rs->n; i++) {
		r = &rs->rule[i];
		if (ioi_path_within(r->pattern, r->prefix_len, dir, len)) {
			/* At or above @dir: a tree covers @dir and all below
			 * alike, a single path above it matches nothing there.
			 */
			if (r->shape == IOI_RULE_SUBTREE ||
			    (r->shape == IOI_RULE_LITERAL &&
			     r->prefix_len != len))
				continue;
			return true;
		}
		/* Inside @dir. */
		if (ioi_path_within(dir, len, r->pattern, r->prefix_len))
			return true;
	}
	return false;
}

void ioi_rules_free(struct ioi_rules *rs)
{
	kvfree(rs->bucket);
	kvfree(rs->group);
	kvfree(rs->next);
	rs->bucket = NULL;
	rs->group = NULL;
	rs->next = NULL;
}

int ioi_rules_index(struct ioi_rules *rs)
{
	u32 nbuckets, i, g, ngroups = 0;

	if (!rs->n)
		return 0;
	nbuckets = roundup_pow_of_two(max_t(u32, 16, 2 * rs->n));
	rs->mask = nbuckets - 1;
	rs->bucket = kvmalloc_array(nbuckets, sizeof(*rs->bucket), GFP_KERNEL);
	rs->group = kvcalloc(rs->n, sizeof(*rs->group), GFP_KERNEL);
	rs->next = kvmalloc_array(rs->n, sizeof(*rs->next), GFP_KERNEL);
	if (!rs->bucket || !rs->group || !rs->next) {
		ioi_rules_free(rs);
		return -ENOMEM;
	}
	memset(rs->bucket, 0xff, nbuckets * sizeof(*rs->bucket));

	for (i = 0; i < rs->n; i++) {
		const struct ioi_rule *r = &rs->rule[i];
		u32 h = fnv(r->pattern, r->prefix_len);
		u32 *head = &rs->bucket[h & rs->mask];
		struct ioi_rule_group *gr;

		rs->next[i] = IOI_RULES_NONE;
		for (g = *head; g != IOI_RULES_NONE; g = rs->group[g].next) {
			gr = &rs->group[g];
			if (gr->hash == h && gr->len == r->prefix_len &&
			    !memcmp(gr->prefix, r->pattern, r->prefix_len))
				break;
		}
		if (g == IOI_RULES_NONE) {
			gr = &rs->group[ngroups];
			gr->hash = h;
			gr->next = *head;
			gr->first = i;
			gr->len = r->prefix_len;
			gr->prefix = r->pattern;
			*head = ngroups++;
		} else {
			/* Rules arrive in order: appending keeps each group so. */
			rs->next[gr->last] = i;
		}
		gr->last = i;
	}
	return 0;
}

/*
 * The first rule before @best (or any, if @best < 0) filed under the
 * prefix path[0..@len), which hashes to @h, that matches the path. @len is
 * 0, @pathlen, or the offset of a '/' in the path.
 */
static __always_inline int try_group(const struct ioi_rules *rs, u32 h,
				     size_t len, const char *path,
				     size_t pathlen, int best)
{
	const struct ioi_rule_group *gr;
	u32 g, i;

	for (g = rs->bucket[h & rs->mask]; g != IOI_RULES_NONE; g = gr->next) {
		gr = &rs->group[g];
		if (gr->hash != h || gr->len != len ||
		    memcmp(gr->prefix, path, len))
			continue;
		/*
		 * The prefix is equal and ends where a component does, so
		 * a tree matches, and a literal does if it is the whole path.
		 */
		for (i = gr->first;
		     i != IOI_RULES_NONE && (best < 0 || i < (u32)best);
		     i = rs->next[i]) {
			const struct ioi_rule *r = &rs->rule[i];

			if (r->shape == IOI_RULE_SUBTREE ||
			    (r->shape == IOI_RULE_LITERAL && len == pathlen) ||
			    (!r->shape && ioi_pattern_match(r->pattern, path)))
				return i;
		}
		break;
	}
	return best;
}

int ioi_rules_first(const struct ioi_rules *rs, const char *path, size_t len)
{
	u32 h = FNV_BASIS;
	int best;
	size_t i;

	if (!rs->n)
		return -1;
	best = try_group(rs, h, 0, path, len, -1);
	for (i = 0; i < len; i++) {
		/* path[0..i) is one of the path's directories. */
		if (path[i] == '/' && i > 0)
			best = try_group(rs, h, i, path, len, best);
		h = fnv_step(h, path[i]);
	}
	return try_group(rs, h, len, path, len, best);
}

/*
 * An open looks its name up in the access rules and in the encrypt rules:
 * each directory of the path is hashed once for both.
 */
void ioi_rules_first2(const struct ioi_rules *a, const struct ioi_rules *b,
		      const char *path, size_t len, int *ra, int *rb)
{
	u32 h = FNV_BASIS;
	int ba, bb;
	size_t i;

	if (!a->n || !b->n) {
		*ra = ioi_rules_first(a, path, len);
		*rb = ioi_rules_first(b, path, len);
		return;
	}
	ba = try_group(a, h, 0, path, len, -1);
	bb = try_group(b, h, 0, path, len, -1);
	for (i = 0; i < len; i++) {
		if (path[i] == '/' && i > 0) {
			ba = try_group(a, h, i, path, len, ba);
			bb = try_group(b, h, i, path, len, bb);
		}
		h = fnv_step(h, path[i]);
	}
	*ra = try_group(a, h, len, path, len, ba);
	*rb = try_group(b, h, len, path, len, bb);
}

#if IOI_KUNIT
#include "rules_test.c"
#endif
