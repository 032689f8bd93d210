// SPDX-License-Identifier: GPL-2.0
/*
 * Path patterns (module/match.c, as compiled into ioctl-cli): the table of
 * module/match_cases.h, which the KUnit suite also runs, then a randomised
 * differential test against a naive recursive matcher written from the
 * spec, which catches what a table misses in a greedy matcher.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/iointercept.h>

#include "match.h"
/* The kernel defines it; the shared case tables use it. */
#define __maybe_unused __attribute__((__unused__))
#include "match_cases.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void assert_prefix_holds(const char *pat, const char *path)
{
	size_t n = ioi_pattern_prefix_len(pat);

	if (strncmp(pat, path, n) ||
	    (n != strlen(pat) && path[n] && path[n] != '/'))
		fail_msg("prefix %zu of %s does not hold for %s", n, pat, path);
}

static void test_table(void **state)
{
	const char *why;
	size_t i, off;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(match_cases); i++) {
		const struct match_case *c = &match_cases[i];

		if (ioi_pattern_check(c->pat, &off, &why))
			fail_msg("pattern %s: %s at %zu", c->pat, why, off);
		if (ioi_pattern_match(c->pat, c->path) != c->match)
			fail_msg("pattern %s, path %s: want %d", c->pat,
				 c->path, c->match);
		if (c->match)
			assert_prefix_holds(c->pat, c->path);
	}
}

static void test_junk(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(junk_cases); i++) {
		const struct match_case *c = &junk_cases[i];

		if (ioi_pattern_match(c->pat, c->path) != c->match)
			fail_msg("pattern %s, path %s: want %d", c->pat,
				 c->path, c->match);
	}
}

static void test_check(void **state)
{
	const char *why;
	size_t i, off;
	int err;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(check_cases); i++) {
		const struct check_case *c = &check_cases[i];

		off = 9999;
		why = NULL;
		err = ioi_pattern_check(c->pat, &off, &why);
		if (!c->why) {
			if (err)
				fail_msg("pattern %s: %s at %zu", c->pat, why,
					 off);
			continue;
		}
		if (err != -EINVAL || off != c->offset || !why ||
		    strcmp(why, c->why))
			fail_msg("pattern %s: got %d, %zu, %s; want %zu, %s",
				 c->pat, err, off, why ? why : "(null)",
				 c->offset, c->why);
	}
}

static void test_prefix(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(prefix_cases); i++)
		if (ioi_pattern_prefix_len(prefix_cases[i].pat) !=
		    prefix_cases[i].len)
			fail_msg("pattern %s: want %zu", prefix_cases[i].pat,
				 prefix_cases[i].len);
}

static void test_length(void **state)
{
	char pat[IOI_PATTERN_MAX + 1] = "";
	const char *why = NULL;
	size_t off = 0;

	(void)state;
	pat[0] = '/';
	memset(pat + 1, 'a', IOI_PATTERN_MAX - 2);
	assert_int_equal(ioi_pattern_check(pat, &off, &why), 0);
	assert_true(ioi_pattern_match(pat, pat));
	assert_int_equal(ioi_pattern_prefix_len(pat), IOI_PATTERN_MAX - 1);

	pat[IOI_PATTERN_MAX - 1] = 'a';
	assert_int_equal(ioi_pattern_check(pat, &off, &why), -EINVAL);
	assert_int_equal(off, IOI_PATTERN_MAX - 1);
	assert_string_equal(why, "pattern too long");

	pat[1] = '.';
	pat[2] = '/';
	assert_int_equal(ioi_pattern_check(pat, &off, &why), -EINVAL);
	assert_int_equal(off, IOI_PATTERN_MAX - 1);
}

static void test_hostile(void **state)
{
	static char pat[IOI_PATTERN_MAX], path[HOSTILE_PATH_MAX + 1];
	const char *why;
	size_t i, off;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(hostile_cases); i++) {
		const struct hostile_case *c = &hostile_cases[i];

		assert_true(hostile_build(pat, c->pat_len, c->pat_head,
					  c->pat_rep, c->pat_tail));
		assert_true(hostile_build(path, c->path_len, c->path_head,
					  c->path_rep, c->path_tail));
		if (ioi_pattern_check(pat, &off, &why))
			fail_msg("hostile case %zu: %s at %zu", i, why, off);
		if (ioi_pattern_match(pat, path) != c->match)
			fail_msg("hostile case %zu: want %d", i, c->match);
	}
}

/* Copy @s to the end of @page, right before a page that is not mapped. */
static char *at_page_end(char *page, long sz, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(page + sz - n, s, n);
}

/*
 * Every string of the tables again, each ending right before an inaccessible
 * page: reading a byte past the NUL faults.
 */
static void test_no_overread(void **state)
{
	long sz = sysconf(_SC_PAGESIZE);
	const char *why, *p, *s;
	char *map, *pat, *path;
	size_t i, n_match, n_junk, off;

	(void)state;
	/* rw, none, rw, none */
	map = mmap(NULL, 4 * sz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + sz, sz, PROT_NONE), 0);
	assert_int_equal(mprotect(map + 3 * sz, sz, PROT_NONE), 0);
	n_match = ARRAY_SIZE(match_cases);
	n_junk = ARRAY_SIZE(junk_cases);
	for (i = 0; i < n_match + n_junk + ARRAY_SIZE(check_cases); i++) {
		if (i < n_match) {
			p = match_cases[i].pat;
			s = match_cases[i].path;
		} else if (i < n_match + n_junk) {
			p = junk_cases[i - n_match].pat;
			s = junk_cases[i - n_match].path;
		} else {
			p = check_cases[i - n_match - n_junk].pat;
			s = "/a/b";
		}
		pat = at_page_end(map, sz, p);
		path = at_page_end(map + 2 * sz, sz, s);
		ioi_pattern_check(pat, &off, &why);
		ioi_pattern_prefix_len(pat);
		ioi_pattern_match(pat, path);
		ioi_pattern_match(pat, pat);
		ioi_pattern_match(path, path);
	}
	assert_int_equal(munmap(map, 4 * sz), 0);
}

/* A naive reference, straight from the spec: recursion, no cleverness. */

#define REF_COMPS 64

struct comps {
	int n;
	const char *s[REF_COMPS];
	size_t len[REF_COMPS];
};

/* Split the absolute @p into its components; "/" has none. */
static void ref_split(const char *p, struct comps *c)
{
	const char *e;

	c->n = 0;
	if (!p[1])
		return;
	for (p++; c->n < REF_COMPS; p = e + 1) {
		e = strchr(p, '/');
		if (!e)
			e = p + strlen(p);
		c->s[c->n] = p;
		c->len[c->n] = e - p;
		c->n++;
		if (!*e)
			return;
	}
	fail_msg("too many components");
}

/*
 * Parse the set that starts after a '[' at @p, in the @n bytes left of its
 * component, into @in. Returns the bytes it took with its ']', 0 when it
 * does not close, -1 for a bad range.
 */
static int ref_set(const char *p, size_t n, bool in[256])
{
	size_t i = 0, first;
	bool neg = false;
	int c;

	memset(in, 0, 256 * sizeof(bool));
	if (n && (p[0] == '!' || p[0] == '^')) {
		neg = true;
		i++;
	}
	for (first = i; i < n; ) {
		unsigned char lo = p[i], hi;

		if (lo == ']' && i > first) {
			if (neg)
				for (c = 0; c < 256; c++)
					in[c] = !in[c];
			return (int)i + 1;
		}
		if (i + 2 < n && p[i + 1] == '-' && p[i + 2] != ']') {
			hi = p[i + 2];
			if (lo > hi)
				return -1;
			for (c = lo; c <= hi; c++)
				in[c] = true;
			i += 3;
		} else {
			in[lo] = true;
			i++;
		}
	}
	return 0;
}

static bool ref_comp(const char *p, size_t pn, const char *s, size_t sn)
{
	bool in[256];
	int l;

	if (!pn)
		return !sn;
	if (*p == '*')
		return ref_comp(p + 1, pn - 1, s, sn) ||
		       (sn && ref_comp(p, pn, s + 1, sn - 1));
	if (!sn)
		return false;
	if (*p == '?')
		return ref_comp(p + 1, pn - 1, s + 1, sn - 1);
	if (*p == '[') {
		l = ref_set(p + 1, pn - 1, in);
		assert_true(l > 0);
		return in[(unsigned char)*s] &&
		       ref_comp(p + 1 + l, pn - 1 - l, s + 1, sn - 1);
	}
	return *p == *s && ref_comp(p + 1, pn - 1, s + 1, sn - 1);
}

static bool is_comp(const struct comps *c, int i, const char *want)
{
	return c->len[i] == strlen(want) && !memcmp(c->s[i], want, c->len[i]);
}

static bool ref_comps(const struct comps *p, int i, const struct comps *s,
		      int j)
{
	if (i == p->n)
		return j == s->n;
	if (is_comp(p, i, "**"))
		return ref_comps(p, i + 1, s, j) ||
		       (j < s->n && ref_comps(p, i, s, j + 1));
	return j < s->n &&
	       ref_comp(p->s[i], p->len[i], s->s[j], s->len[j]) &&
	       ref_comps(p, i + 1, s, j + 1);
}

static bool ref_match(const char *pat, const char *path)
{
	struct comps p, s;

	ref_split(pat, &p);
	ref_split(path, &s);
	return ref_comps(&p, 0, &s, 0);
}

static bool ref_valid(const char *pat)
{
	struct comps c;
	bool in[256];
	size_t k;
	int i, l;

	if (pat[0] != '/' || strlen(pat) >= IOI_PATTERN_MAX)
		return false;
	ref_split(pat, &c);
	for (i = 0; i < c.n; i++) {
		const char *s = c.s[i];

		if (!c.len[i] || is_comp(&c, i, ".") || is_comp(&c, i, ".."))
			return false;
		if (is_comp(&c, i, "**"))
			continue;
		for (k = 0; k < c.len[i]; k++) {
			if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
				return false;
			if (s[k] == '*' && k + 1 < c.len[i] && s[k + 1] == '*')
				return false;
			if (s[k] == '[') {
				l = ref_set(s + k + 1, c.len[i] - k - 1, in);
				if (l <= 0)
					return false;
				k += l;
			}
		}
	}
	return true;
}

static uint64_t rng = 0x10a1e2c3b4d5f607ULL;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)((rng >> 11) % n);
}

static char pick(const char *from)
{
	return from[rnd(strlen(from))];
}

/* Bytes of paths: mostly letters, some that are metacharacters in a glob. */
#define PATH_BYTES "aaabbb-]![*^?"

/* Up to 14 random bytes after a '/': mostly invalid, good for the checker. */
static void random_bytes(char *buf)
{
	size_t n = 1 + rnd(14), i;

	buf[0] = '/';
	for (i = 1; i < n; i++)
		buf[i] = pick("aabb//**?[]!-^");
	buf[n] = '\0';
}

/* Up to six components, a third of them "**": more of them valid. */
static void random_comps(char *buf)
{
	size_t at = 0, k;
	int comps = rnd(7), i;

	for (i = 0; i < comps; i++) {
		buf[at++] = '/';
		if (!rnd(3)) {
			buf[at++] = '*';
			buf[at++] = '*';
			continue;
		}
		for (k = 1 + rnd(4); k; k--)
			buf[at++] = pick("aabb**?[]!-^");
	}
	if (!at)
		buf[at++] = '/';
	buf[at] = '\0';
}

static void random_path(char *buf)
{
	size_t at = 0, k;
	int comps = rnd(5), i;

	for (i = 0; i < comps; i++) {
		buf[at++] = '/';
		for (k = 1 + rnd(4); k; k--)
			buf[at++] = pick(PATH_BYTES);
	}
	if (!at)
		buf[at++] = '/';
	buf[at] = '\0';
}

static void put_random_comp(char *buf, size_t *at)
{
	size_t k;

	for (k = 1 + rnd(3); k; k--)
		buf[(*at)++] = pick(PATH_BYTES);
}

/*
 * A path made to look like @pat, so that many of them match: each "**"
 * becomes up to two components, each '*' up to two bytes, each '?' or set
 * one byte, the rest stays as it is.
 */
static void path_like(const char *pat, char *buf)
{
	size_t at = 0, k;
	const char *p = pat;

	if (!p[1]) {
		strcpy(buf, "/");
		return;
	}
	while (*p) {
		p++;	/* the '/' */
		if (p[0] == '*' && p[1] == '*' && (!p[2] || p[2] == '/')) {
			for (k = rnd(3); k; k--) {
				buf[at++] = '/';
				put_random_comp(buf, &at);
			}
			p += 2;
			continue;
		}
		buf[at++] = '/';
		for (; *p && *p != '/'; p++) {
			if (*p == '*') {
				for (k = rnd(3); k; k--)
					buf[at++] = pick(PATH_BYTES);
			} else if (*p == '?') {
				buf[at++] = pick(PATH_BYTES);
			} else if (*p == '[') {
				buf[at++] = pick(PATH_BYTES);
				/* Skip to the set's end, as ioi_pattern_check has it. */
				p++;
				if (*p == '!' || *p == '^')
					p++;
				if (*p == ']')
					p++;
				while (*p != ']')
					p++;
			} else {
				buf[at++] = *p;
			}
		}
	}
	if (!at)
		buf[at++] = '/';
	buf[at] = '\0';
}

/*
 * Drop one component of @path, or repeat one: near misses of path_like(),
 * where a matcher that backtracks wrongly finds a false match.
 */
static void near_miss(char *path)
{
	char *start[64], *end, tmp[128];
	int n = 0, k;

	for (end = path; *end; end++)
		if (*end == '/' && n < 64)
			start[n++] = end;
	if (!n || !path[1])
		return;
	k = rnd(n);
	end = k + 1 < n ? start[k + 1] : path + strlen(path);
	if (rnd(2)) {
		memmove(start[k], end, strlen(end) + 1);
		if (!path[0])
			strcpy(path, "/");
	} else if (strlen(path) + (end - start[k]) < sizeof(tmp)) {
		strcpy(tmp, start[k]);
		strcpy(end, tmp);
	}
}

static void differ(const char *pat, const char *path, int *matches)
{
	bool want = ref_match(pat, path);

	if (ioi_pattern_match(pat, path) != want)
		fail_msg("pattern %s, path %s: reference says %d", pat, path,
			 want);
	if (want) {
		assert_prefix_holds(pat, path);
		(*matches)++;
	}
}

static void test_random(void **state)
{
	char pat[48], path[128];
	int valid = 0, matches = 0, i, k;
	const char *why;
	size_t off;

	(void)state;
	for (i = 0; i < 200000; i++) {
		if (i & 1)
			random_bytes(pat);
		else
			random_comps(pat);
		if (ioi_pattern_check(pat, &off, &why)) {
			if (ref_valid(pat))
				fail_msg("pattern %s: %s at %zu, but valid",
					 pat, why, off);
			if (off >= strlen(pat))
				fail_msg("pattern %s: offset %zu", pat, off);
			continue;
		}
		if (!ref_valid(pat))
			fail_msg("pattern %s: accepted but invalid", pat);
		valid++;
		for (k = 0; k < 4; k++) {
			random_path(path);
			differ(pat, path, &matches);
			path_like(pat, path);
			differ(pat, path, &matches);
			near_miss(path);
			differ(pat, path, &matches);
		}
	}
	/* Enough of both outcomes for the comparison to mean something. */
	print_message("%d valid patterns, %d matches in %d comparisons\n",
		      valid, matches, valid * 12);
	assert_true(valid > 20000);
	assert_true(matches > valid);
	assert_true(matches < valid * 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_no_overread),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
