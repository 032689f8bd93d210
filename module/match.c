// SPDX-License-Identifier: GPL-2.0
/*
 * Path patterns: validation, matching and literal prefix. Pure functions on
 * NUL-terminated strings, with no allocation, no recursion and no locks, so
 * the same file builds into iointercept.ko and, in userspace, into ioctl-cli.
 *
 * A pattern is an absolute path, at most IOI_PATTERN_MAX - 1 bytes long,
 * whose components are separated by single '/'s. No component may be empty,
 * "." or "..", and no byte may be a control character (< 0x20 or 0x7f). The
 * pattern "/" matches only "/". Within a component:
 *
 *   *      any run of bytes, possibly empty, other than '/'
 *   ?      exactly one byte other than '/'
 *   [...]  one byte other than '/' from a set: single bytes and ranges
 *          such as a-z (lo <= hi); a leading '!' or '^' negates; a ']'
 *          first (after the negation) is a member; the set must close in
 *          its component and cannot be empty
 *
 * A component that is exactly "**" matches zero or more whole components:
 * "/dir" followed by the component "**" matches "/dir", "/dir/x" and
 * "/dir/x/y". A "**" anywhere else in a component is an error.
 *
 * There is no escape character: a backslash is an ordinary byte, and "[*]"
 * is a literal '*'. Matching is bytewise: no case folding, no locale, UTF-8
 * sequences are just bytes.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

#include <linux/iointercept.h>

#include "match.h"

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* The end of the component that starts at @s: its '/' or the NUL. */
static const char *comp_end(const char *s)
{
	while (*s && *s != '/')
		s++;
	return s;
}

/* The component after the one at @s, or NULL if that one is the last. */
static const char *comp_next(const char *s)
{
	s = comp_end(s);
	return *s ? s + 1 : NULL;
}

/* Is the component at @p exactly "**"? */
static bool is_globstar(const char *p)
{
	return p[0] == '*' && p[1] == '*' && (!p[2] || p[2] == '/');
}

/*
 * The ']' closing the set whose '[' is at @p, or NULL if the set does not
 * close before @end, the end of its component. A ']' right after the '['
 * (or after a leading '!' or '^') is a member; the first ']' after that
 * closes the set, since a range cannot end in ']'.
 */
static const char *set_close(const char *p, const char *end)
{
	p++;
	if (p < end && (*p == '!' || *p == '^'))
		p++;
	if (p < end && *p == ']')
		p++;
	while (p < end && *p != ']')
		p++;
	return p < end ? p : NULL;
}

/* Does the set from @p (its '[') to @close (its ']') hold the byte @c? */
static bool set_has(const char *p, const char *close, unsigned char c)
{
	bool neg = false, found = false;
	unsigned char lo, hi;

	p++;
	if (*p == '!' || *p == '^') {
		neg = true;
		p++;
	}
	while (p < close) {
		lo = (unsigned char)*p;
		hi = lo;
		if (p + 2 < close && p[1] == '-') {
			hi = (unsigned char)p[2];
			p += 3;
		} else {
			p++;
		}
		if (lo <= c && c <= hi)
			found = true;
	}
	return found != neg;
}

/*
 * Does the one-byte element at *@pp ('?', a set or a literal byte; never
 * '*') match @c? If so, move *@pp past it. @end is the end of the component.
 */
static bool elem_match(const char **pp, const char *end, unsigned char c)
{
	const char *p = *pp, *close;

	if (*p == '?') {
		*pp = p + 1;
		return true;
	}
	if (*p == '[') {
		close = set_close(p, end);
		/* Unclosed: only in invalid patterns; take '[' literally. */
		if (close) {
			if (!set_has(p, close, c))
				return false;
			*pp = close + 1;
			return true;
		}
	}
	if ((unsigned char)*p != c)
		return false;
	*pp = p + 1;
	return true;
}

/*
 * Does the component glob from @p to @pe match the path component from @s
 * to @se? Greedy: every '*' first takes nothing; on a mismatch, the last
 * '*' takes one more byte and matching resumes after it. Earlier stars
 * never need to take more: the elements between two stars match a fixed
 * number of bytes, and the first place they fit leaves the most for the
 * rest, which the later star can always absorb. @star_s only moves forward,
 * even from one star to the next, so there are at most se - s restarts of
 * O(pe - p) steps each.
 */
static bool comp_match(const char *p, const char *pe,
		       const char *s, const char *se)
{
	const char *star_p = NULL, *star_s = NULL;

	while (s < se) {
		if (p < pe && *p == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (p < pe && elem_match(&p, pe, (unsigned char)*s)) {
			s++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		s = ++star_s;
	}
	while (p < pe && *p == '*')
		p++;
	return p == pe;
}

/*
 * The same greedy scheme one level up, with components for bytes and "**"
 * for '*'. Only the last "**" is remembered, with the path component it was
 * taken at; on a mismatch it takes one more component and matching resumes
 * after it. That is enough: every other pattern component matches exactly
 * one path component, so the components between two "**"s are a fixed
 * sequence B, tried at each place in turn until it fits. If the pattern
 * matches at all, it matches with B at that first place: in any match, B
 * sits there or later, and the "**" after B can take what lies in between.
 * So once the next "**" is reached, the earlier ones never need to take
 * more.
 *
 * Cost: the restart point only moves forward, so each path component is
 * one at most once. A restart at path component j compares the k-th
 * component of B with path component j + k at O(product of their lengths);
 * summed over all j, each pattern component meets each path component at
 * most once, so the whole is O(strlen(pat) * strlen(path)).
 */
bool ioi_pattern_match(const char *pat, const char *path)
{
	const char *p, *s, *star_p = NULL, *star_s = NULL;
	bool star = false;

	if (pat[0] != '/' || path[0] != '/')
		return false;
	/* NULL: no component left. "/" has none. */
	p = pat[1] ? pat + 1 : NULL;
	s = path[1] ? path + 1 : NULL;
	for (;;) {
		if (p && is_globstar(p)) {
			p = comp_next(p);
			if (!p)
				return true;	/* a final "**" takes the rest */
			star = true;
			star_p = p;
			star_s = s;
			continue;
		}
		if (!p && !s)
			return true;
		if (p && s && comp_match(p, comp_end(p), s, comp_end(s))) {
			p = comp_next(p);
			s = comp_next(s);
			continue;
		}
		if (!star || !star_s)
			return false;
		star_s = comp_next(star_s);
		p = star_p;
		s = star_s;
	}
}

static int bad(size_t *offset, const char **why, size_t at, const char *reason)
{
	*offset = at;
	*why = reason;
	return -EINVAL;
}

/*
 * Check the set whose '[' is at @pat[@i]. On success, *@close is the offset
 * of its ']'. An unclosed set that starts with ']' is reported as empty:
 * "[]" and "[!]" are the usual ways to get there.
 */
static int check_set(const char *pat, size_t i, size_t *close,
		     size_t *offset, const char **why)
{
	size_t first, j = i + 1;
	unsigned char c, hi;

	if (pat[j] == '!' || pat[j] == '^')
		j++;
	for (first = j; ; j++) {
		c = (unsigned char)pat[j];
		if (!c || c == '/')
			return bad(offset, why, i, pat[first] == ']' ?
				   "empty '[]'" : "unclosed '['");
		if (c == ']' && j > first) {
			*close = j;
			return 0;
		}
		if (is_ctl(c))
			return bad(offset, why, j, "control character");
		if (pat[j + 1] != '-')
			continue;
		hi = (unsigned char)pat[j + 2];
		if (!hi || hi == '/' || hi == ']' || is_ctl(hi))
			continue;	/* '-' is a member, or an error follows */
		if (c > hi)
			return bad(offset, why, j, "bad range in '[...]'");
		j += 2;
	}
}

/*
 * Errors are reported at the first bad byte found scanning left to right:
 * for an empty component, the '/' to delete; for "." and "..", their first
 * byte; for an unclosed or empty set, its '['; for a bad range, its low end;
 * for a misplaced "**", its first '*'. A pattern that is too long is
 * reported at offset IOI_PATTERN_MAX - 1 whatever else is wrong with it.
 */
int ioi_pattern_check(const char *pat, size_t *offset, const char **why)
{
	size_t i, close;
	int err;

	if (strnlen(pat, IOI_PATTERN_MAX) >= IOI_PATTERN_MAX)
		return bad(offset, why, IOI_PATTERN_MAX - 1, "pattern too long");
	if (pat[0] != '/')
		return bad(offset, why, 0, "pattern must start with '/'");
	if (!pat[1])
		return 0;
	for (i = 1; ; i++) {
		/* @i is at the start of a component. */
		if (pat[i] == '/')
			return bad(offset, why, i, "empty path component");
		if (!pat[i])
			return bad(offset, why, i - 1, "empty path component");
		if (pat[i] == '.' && (!pat[i + 1] || pat[i + 1] == '/'))
			return bad(offset, why, i, "'.' component");
		if (pat[i] == '.' && pat[i + 1] == '.' &&
		    (!pat[i + 2] || pat[i + 2] == '/'))
			return bad(offset, why, i, "'..' component");
		if (is_globstar(pat + i))
			i += 2;
		while (pat[i] && pat[i] != '/') {
			if (is_ctl((unsigned char)pat[i]))
				return bad(offset, why, i, "control character");
			if (pat[i] == '*' && pat[i + 1] == '*')
				return bad(offset, why, i,
					   "'**' must be a whole path component");
			if (pat[i] == '[') {
				err = check_set(pat, i, &close, offset, why);
				if (err)
					return err;
				i = close;
			}
			i++;
		}
		if (!pat[i])
			return 0;
	}
}

/*
 * The bytes before the first '*', '?' or '[', cut back to the '/' that
 * starts the component holding it: "/data/models/[a-z]*.pt" gives 12 for
 * "/data/models", "/data" and a "**" component give 5, a pattern whose first
 * component holds a metacharacter gives 0. A pattern with none of them is
 * all literal prefix.
 */
size_t ioi_pattern_prefix_len(const char *pat)
{
	size_t i, slash = 0;

	for (i = 0; pat[i]; i++) {
		if (pat[i] == '/')
			slash = i;
		else if (pat[i] == '*' || pat[i] == '?' || pat[i] == '[')
			return slash;
	}
	return i;
}

#if defined(__KERNEL__) && IOI_KUNIT
#include "match_test.c"
#endif
