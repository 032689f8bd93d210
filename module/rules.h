/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_RULES_H
#define _IOI_RULES_H

#include <linux/types.h>

/* Pattern shapes that need no matcher: see ioi_rule_matches(). */
#define IOI_RULE_LITERAL	BIT(0)	/* no wildcard: one path */
#define IOI_RULE_SUBTREE	BIT(1)	/* literal prefix, then a ** component */

struct ioi_rule {
	u8 kind;	/* enum ioi_rule_kind */
	u8 access;	/* enum ioi_access or enum ioi_encrypt */
	u8 rights;	/* IOI_R_*, for access rules */
	u8 shape;	/* IOI_RULE_LITERAL, IOI_RULE_SUBTREE or 0 */
	u16 prefix_len;
	const char *pattern;
};

struct ioi_rule_group;

/*
 * An ordered rule list and its index: rules grouped by literal prefix in a
 * hash table, so a lookup tries only the rules whose prefix is the path or
 * one of its directories, not every rule.
 */
struct ioi_rules {
	struct ioi_rule *rule;		/* match order */
	u32 n;
	u32 mask;			/* buckets - 1 */
	u32 *bucket;			/* first group, or IOI_RULES_NONE */
	struct ioi_rule_group *group;
	u32 *next;			/* per rule: next of its group */
};

#define IOI_RULES_NONE	U32_MAX

u8 ioi_rule_shape(const char *pattern, size_t prefix_len);
bool ioi_rule_matches(const struct ioi_rule *r, const char *path, size_t len);
int ioi_rules_index(struct ioi_rules *rs);
void ioi_rules_free(struct ioi_rules *rs);
/* Is @a (@alen bytes) the path @b (@blen bytes) or a directory above it? */
bool ioi_path_within(const char *a, size_t alen, const char *b, size_t blen);
/*
 * Could a rule decide a path below the directory @dir differently from
 * @dir itself? Conservative: true whenever it cannot tell.
 */
bool ioi_rules_split_below(const struct ioi_rules *rs, const char *dir,
			   size_t len);
/* Index of the first rule matching @path (of length @len), or -1. */
int ioi_rules_first(const struct ioi_rules *rs, const char *path, size_t len);
/* ioi_rules_first() in two lists, in one pass over the path. */
void ioi_rules_first2(const struct ioi_rules *a, const struct ioi_rules *b,
		      const char *path, size_t len, int *ra, int *rb);

#endif /* _IOI_RULES_H */
