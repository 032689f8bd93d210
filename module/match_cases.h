/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test cases of the path patterns (match.c), shared by the KUnit suite
 * (module/match_test.c, in the kernel) and the cmocka tests
 * (tests/unit/test_match.c, in userspace), so both builds of match.c are
 * held to one table. Include after match.h; everything here is static.
 */
#ifndef _IOI_MATCH_CASES_H
#define _IOI_MATCH_CASES_H

/* Each includer uses some tables only (userspace defines __maybe_unused). */

struct match_case {
	const char *pat;
	const char *path;
	bool match;
};

static const struct match_case match_cases[] __maybe_unused = {
	/* Literal components: whole components only, bytewise. */
	{ "/", "/", true },
	{ "/", "/a", false },
	{ "/etc/passwd", "/etc/passwd", true },
	{ "/etc/passwd", "/etc/passw", false },
	{ "/etc/passwd", "/etc/passwd2", false },
	{ "/etc/passwd", "/etc/passwd/x", false },
	{ "/etc/passwd", "/etc", false },
	{ "/etc/passwd", "/", false },
	{ "/data", "/database", false },
	{ "/database", "/data", false },
	{ "/data", "/data/x", false },
	{ "/Data", "/data", false },
	{ "/a\\b", "/a\\b", true },
	{ "/a\\b", "/ab", false },
	{ "/a\\*", "/a\\xyz", true },
	{ "/a\\*", "/a*", false },
	{ "/caf\xc3\xa9", "/caf\xc3\xa9", true },
	{ "/caf\xc3\xa9", "/cafe", false },
	{ "/.a/b.", "/.a/b.", true },
	{ "/...", "/...", true },

	/* '*': any run of bytes, possibly empty, within one component. */
	{ "/*", "/", false },
	{ "/*", "/x", true },
	{ "/*", "/x/y", false },
	{ "/a/*", "/a/b", true },
	{ "/a/*", "/a", false },
	{ "/a/*", "/a/b/c", false },
	{ "/a/*", "/b/c", false },
	{ "/a*", "/a", true },
	{ "/a*", "/abc", true },
	{ "/a*", "/ba", false },
	{ "/*.pt", "/m.pt", true },
	{ "/*.pt", "/.pt", true },
	{ "/*.pt", "/m.pth", false },
	{ "/*.pt", "/x/m.pt", false },
	{ "/x*y", "/x/y", false },
	{ "/x*y", "/xy", true },
	{ "/x*y", "/xaby", true },
	{ "/x*", "/x/y", false },
	{ "/*ab", "/aab", true },
	{ "/*aab", "/aaab", true },
	{ "/*aab", "/aaaba", false },
	{ "/a*a*a", "/aa", false },
	{ "/a*a*a", "/aaa", true },
	{ "/*a*b*c", "/xaybzc", true },
	{ "/*a*b*c", "/xaybzcx", false },
	{ "/*a*b*c", "/cba", false },
	{ "/*/*", "/a/b", true },
	{ "/*/*", "/a", false },
	{ "/*/*", "/a/b/c", false },
	{ "/*\xc3\xa9", "/caf\xc3\xa9", true },

	/* '?': exactly one byte other than '/'. */
	{ "/a?c", "/abc", true },
	{ "/a?c", "/ac", false },
	{ "/a?c", "/abbc", false },
	{ "/a?c", "/a/c", false },
	{ "/?", "/", false },
	{ "/???", "/abc", true },
	{ "/caf?", "/caf\xc3\xa9", false },
	{ "/caf??", "/caf\xc3\xa9", true },
	{ "/?*", "/", false },
	{ "/?*", "/a", true },

	/* Sets. */
	{ "/[abc]", "/b", true },
	{ "/[abc]", "/d", false },
	{ "/[abc]", "/ab", false },
	{ "/[a-c]x", "/bx", true },
	{ "/[a-c]", "/d", false },
	{ "/[a-c]", "/`", false },
	{ "/[a-a]", "/a", true },
	{ "/[!a-c]", "/d", true },
	{ "/[!a-c]", "/a", false },
	{ "/[^a-c]", "/b", false },
	{ "/[^a-c]", "/z", true },
	{ "/[]]", "/]", true },
	{ "/[]]", "/a", false },
	{ "/[]a]", "/a", true },
	{ "/[!]]", "/]", false },
	{ "/[!]]", "/a", true },
	{ "/[^]]", "/]", false },
	{ "/[]-a]", "/^", true },
	{ "/[]-a]", "/b", false },
	{ "/[a-]", "/-", true },
	{ "/[-a]", "/-", true },
	{ "/[-a]", "/b", false },
	{ "/[a-c-e]", "/-", true },
	{ "/[a-c-e]", "/d", false },
	{ "/[a-c-e]", "/e", true },
	{ "/[!a]", "/", false },
	{ "/x[!a]y", "/x/y", false },
	{ "/x[!a]y", "/xby", true },
	{ "/[[]", "/[", true },
	{ "/[*]", "/*", true },
	{ "/[*]", "/a", false },
	{ "/[*?]", "/?", true },
	{ "/[\x80-\xff]", "/\xc3", true },
	{ "/[\x80-\xff]", "/a", false },
	{ "/[!\x80-\xff]", "/\xc3", false },
	{ "/[ab][cd]", "/bd", true },
	{ "/[ab][cd]", "/bb", false },
	{ "/*[ab]", "/xxb", true },
	{ "/*[ab]", "/xxc", false },
	{ "/[a-z]*.pt", "/model.pt", true },
	{ "/[a-z]*.pt", "/Model.pt", false },

	/* "**": zero or more whole components. */
	{ "/**", "/", true },
	{ "/**", "/a", true },
	{ "/**", "/a/b/c", true },
	{ "/**/**", "/", true },
	{ "/dir/**", "/dir", true },
	{ "/dir/**", "/dir/x", true },
	{ "/dir/**", "/dir/x/y", true },
	{ "/dir/**", "/dirx", false },
	{ "/dir/**", "/dirx/y", false },
	{ "/dir/**", "/di", false },
	{ "/dir/**", "/", false },
	{ "/dir/**", "/other/dir/x", false },
	{ "/a/**/b", "/a/b", true },
	{ "/a/**/b", "/a/x/b", true },
	{ "/a/**/b", "/a/x/y/b", true },
	{ "/a/**/b", "/a/b/b", true },
	{ "/a/**/b", "/a/b/c", false },
	{ "/a/**/b", "/a/x/y", false },
	{ "/a/**/b", "/a/ab", false },
	{ "/a/**/b", "/a/bb", false },
	{ "/a/**/b", "/a", false },
	{ "/a/**/b", "/b", false },
	{ "/a/**/b", "/x/a/b", false },
	{ "/**/b", "/b", true },
	{ "/**/b", "/x/y/b", true },
	{ "/**/b", "/x/y/bb", false },
	{ "/**/b", "/b/x", false },
	{ "/**/b", "/", false },
	{ "/**/x/**", "/x", true },
	{ "/**/x/**", "/a/x/b", true },
	{ "/**/x/**", "/a/b", false },
	{ "/**/a/b", "/a/a/b", true },
	{ "/**/a/b/c", "/a/b/a/b/c", true },
	{ "/**/a/b/c", "/a/b/a/b/x", false },
	{ "/**/a/b/**/b", "/a/b", false },
	{ "/**/a/b/**/b", "/a/b/b", true },
	{ "/**/a/b/**/c", "/x/a/b/c", true },
	{ "/a/**/**/b", "/a/b", true },
	{ "/a/**/**/b", "/a/x/y/b", true },
	{ "/**/*.pt", "/m.pt", true },
	{ "/**/*.pt", "/x/y/m.pt", true },
	{ "/**/*.pt", "/x/y/m.ptx", false },
	{ "/**/*.pt", "/x/m.pt/y", false },
	{ "/a/**/b/**/c", "/a/b/c", true },
	{ "/a/**/b/**/c", "/a/x/b/y/c", true },
	{ "/a/**/b/**/c", "/a/b/x/c", true },
	{ "/a/**/b/**/c", "/a/x/c/b/c", true },
	{ "/a/**/b/**/c", "/a/c/b", false },
	{ "/a/**/b/**/c", "/a/c", false },
	{ "/**/a*", "/x/ab", true },
	{ "/**/a*", "/ab/x", false },
	{ "/**/[!x]", "/x/y", true },
	{ "/**/[!x]", "/y/x", false },
	{ "/x/**/?", "/x", false },
	{ "/x/**/?", "/x/y", true },
};

/*
 * Never asked for: paths that are not normalised or not absolute, and
 * invalid patterns. They must not crash; the results are what falls out.
 */
static const struct match_case junk_cases[] __maybe_unused = {
	{ "/**", "", false },
	{ "/", "", false },
	{ "/*", "", false },
	{ "/**", "a", false },
	{ "/a", "a", false },
	{ "/a/b", "/a//b", false },
	{ "/a", "/a/", false },
	{ "/a/**", "/a/", true },
	{ "/**", "//", true },
	{ "/*", "//", false },
	{ "/a/*", "/a/", true },
	{ "/a/[!b]", "/a/", false },
	{ "", "/", false },
	{ "", "", false },
	{ "a", "a", false },
	{ "/**a", "/a", true },
	{ "/a**", "/a/b", false },
	{ "/[!]", "/!", false },
	{ "/[", "/[", true },
	{ "/[a", "/a", false },
	{ "/[]", "/[]", true },
	{ "//", "//", true },
	{ "/a/", "/a", false },
	{ "/./..", "/./..", true },
};

struct check_case {
	const char *pat;
	size_t offset;
	const char *why;	/* NULL: the pattern is valid */
};

static const struct check_case check_cases[] __maybe_unused = {
	{ "/", 0, NULL },
	{ "/a", 0, NULL },
	{ "/a/b/c", 0, NULL },
	{ "/**", 0, NULL },
	{ "/**/**", 0, NULL },
	{ "/a/**", 0, NULL },
	{ "/a/**/b", 0, NULL },
	{ "/*", 0, NULL },
	{ "/?", 0, NULL },
	{ "/*a*", 0, NULL },
	{ "/[]]", 0, NULL },
	{ "/[!]]", 0, NULL },
	{ "/[^]]", 0, NULL },
	{ "/[]-a]", 0, NULL },
	{ "/[a-]", 0, NULL },
	{ "/[-a]", 0, NULL },
	{ "/[a-a]", 0, NULL },
	{ "/[[]", 0, NULL },
	{ "/[*]", 0, NULL },
	{ "/[*]*", 0, NULL },
	{ "/*[*]", 0, NULL },
	{ "/a\\b", 0, NULL },
	{ "/a\\", 0, NULL },
	{ "/.a", 0, NULL },
	{ "/a.", 0, NULL },
	{ "/...", 0, NULL },
	{ "/..a", 0, NULL },
	{ "/a/.b/c", 0, NULL },
	{ "/ ", 0, NULL },
	{ "/~", 0, NULL },
	{ "/caf\xc3\xa9", 0, NULL },
	{ "/[\x80-\xff]", 0, NULL },
	{ "/\xff", 0, NULL },

	{ "", 0, "pattern must start with '/'" },
	{ "a", 0, "pattern must start with '/'" },
	{ "*", 0, "pattern must start with '/'" },
	{ "./a", 0, "pattern must start with '/'" },
	{ "**", 0, "pattern must start with '/'" },
	{ "\x01", 0, "pattern must start with '/'" },

	{ "//", 1, "empty path component" },
	{ "//a", 1, "empty path component" },
	{ "/a//b", 3, "empty path component" },
	{ "/a/", 2, "empty path component" },
	{ "/a/b/", 4, "empty path component" },
	{ "/**/", 3, "empty path component" },

	{ "/.", 1, "'.' component" },
	{ "/a/./b", 3, "'.' component" },
	{ "/a/.", 3, "'.' component" },
	{ "/..", 1, "'..' component" },
	{ "/a/../b", 3, "'..' component" },
	{ "/a/..", 3, "'..' component" },

	{ "/a\x01", 2, "control character" },
	{ "/\x1f", 1, "control character" },
	{ "/\x7f", 1, "control character" },
	{ "/a\tb", 2, "control character" },
	{ "/a\nb", 2, "control character" },
	{ "/[a\nb]", 3, "control character" },
	{ "/[a-\x01]", 4, "control character" },
	{ "/[\x01-a]", 2, "control character" },
	{ "/*\x7f", 2, "control character" },

	{ "/[", 1, "unclosed '['" },
	{ "/[a", 1, "unclosed '['" },
	{ "/[!", 1, "unclosed '['" },
	{ "/[a/b]", 1, "unclosed '['" },
	{ "/x/[!a", 3, "unclosed '['" },
	{ "/a[b-", 2, "unclosed '['" },
	{ "/a[b-/c]", 2, "unclosed '['" },
	{ "/[]", 1, "empty '[]'" },
	{ "/[!]", 1, "empty '[]'" },
	{ "/[^]", 1, "empty '[]'" },
	{ "/a[]/b", 2, "empty '[]'" },
	{ "/[]/]", 1, "empty '[]'" },
	{ "/[]abc", 1, "empty '[]'" },

	{ "/[z-a]", 2, "bad range in '[...]'" },
	{ "/[!b-a]", 3, "bad range in '[...]'" },
	{ "/[a-cz-a]", 5, "bad range in '[...]'" },
	{ "/[\xff-\x80]", 2, "bad range in '[...]'" },
	{ "/[]-\x01]", 4, "control character" },
	{ "/[b-a", 2, "bad range in '[...]'" },

	{ "/a**", 2, "'**' must be a whole path component" },
	{ "/**a", 1, "'**' must be a whole path component" },
	{ "/a/**b", 3, "'**' must be a whole path component" },
	{ "/a/b**/c", 4, "'**' must be a whole path component" },
	{ "/***", 1, "'**' must be a whole path component" },
	{ "/a/***/b", 3, "'**' must be a whole path component" },
	{ "/[*]**", 4, "'**' must be a whole path component" },
	{ "/x**y", 2, "'**' must be a whole path component" },
	{ "/*a**", 3, "'**' must be a whole path component" },

	/* The first problem from the left is the one reported. */
	{ "/a//\x01", 3, "empty path component" },
	{ "/\x01//", 1, "control character" },
	{ "/a**/..", 2, "'**' must be a whole path component" },
};

struct prefix_case {
	const char *pat;
	size_t len;
};

static const struct prefix_case prefix_cases[] __maybe_unused = {
	{ "/data/models/*.pt", 12 },
	{ "/data/**", 5 },
	{ "/data/**/x", 5 },
	{ "/etc/passwd", 11 },
	{ "/", 1 },
	{ "/**", 0 },
	{ "/*", 0 },
	{ "/ab*", 0 },
	{ "/a/b?c", 2 },
	{ "/a/[bc]/d", 2 },
	{ "/a/b/c[x]", 4 },
	{ "/a\\b", 4 },
	{ "/a/b/c/*/d", 6 },
};

/*
 * Inputs built at run time, too big for the table: @head, then @rep as many
 * whole times as fit, then @tail, @len bytes in all (the sizes are chosen so
 * that they add up). Long patterns and deep or long paths that would take
 * exponential time in a naive backtracking matcher.
 */
struct hostile_case {
	const char *pat_head, *pat_rep, *pat_tail;
	size_t pat_len;
	const char *path_head, *path_rep, *path_tail;
	size_t path_len;
	bool match;
};

#define HOSTILE_PATH_MAX 4000

static const struct hostile_case hostile_cases[] __maybe_unused = {
	/* '*' inside one 3999-byte component. */
	{ "/", "*a", "", 1023, "/", "a", "", 4000, true },
	{ "/", "*a", "*b", 1023, "/", "a", "", 4000, false },
	{ "/", "*a", "", 1023, "/", "a", "b", 4000, false },
	{ "/*", "a", "b", 1023, "/", "a", "", 4000, false },
	{ "/*", "a", "", 1023, "/", "a", "", 4000, true },
	/* Many "**" against 2000 components. */
	{ "", "/**", "/x", 1022, "", "/a", "", 4000, false },
	{ "", "/**", "/x", 1022, "", "/a", "/x", 4000, true },
	{ "", "/**", "", 1023, "", "/a", "", 4000, true },
	/* One "**" then a long fixed sequence of components. */
	{ "/**", "/a", "/b", 1023, "", "/a", "", 4000, false },
	{ "/**", "/a", "/b", 1023, "", "/a", "/b", 4000, true },
	/* Both levels at once. */
	{ "", "/*a*a*a*a*a*a*a*b/**", "", 1020,
	  "", "/aaaaaaaaaaaaaaaaaaa", "", 4000, false },
	{ "", "/**/*a*a*a*a*a*a*a*a", "/b", 1022,
	  "", "/aaaaaaaaaaaaaaaaaaa", "", 4000, false },
};

/*
 * Write @head, @rep repeated, and @tail to @buf (@len + 1 bytes), @len bytes
 * and a NUL. Returns false if the pieces do not add up to @len exactly.
 */
static bool __maybe_unused
hostile_build(char *buf, size_t len, const char *head, const char *rep,
	      const char *tail)
{
	size_t hl = strlen(head), rl = strlen(rep), tl = strlen(tail);
	size_t at;

	if (hl + tl > len || (len - hl - tl) % rl)
		return false;
	memcpy(buf, head, hl);
	for (at = hl; at < len - tl; at += rl)
		memcpy(buf + at, rep, rl);
	memcpy(buf + at, tail, tl + 1);
	return true;
}

#endif /* _IOI_MATCH_CASES_H */
