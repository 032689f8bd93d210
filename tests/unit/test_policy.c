// SPDX-License-Identifier: GPL-2.0
/*
 * The policy file parser, its error messages, the canonical text and its
 * SHA-256, and the JSON form. Errors are read back from a memstream.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "json_get.h"
#include "match.h"
#include "policy.h"
#include "util.h"

struct result {
	int ret;
	char *err;
	struct ioi_policy p;
};

static void parse_flags(struct result *r, const char *text, size_t len,
			unsigned int flags)
{
	size_t errlen = 0;
	FILE *f;

	r->err = NULL;
	f = open_memstream(&r->err, &errlen);
	assert_non_null(f);
	ioi_policy_init(&r->p);
	r->ret = ioi_policy_parse(&r->p, "policy.conf", text, len, flags, f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(r->err);
}

static void parse(struct result *r, const char *text)
{
	parse_flags(r, text, strlen(text), 0);
}

static void result_free(struct result *r)
{
	ioi_policy_free(&r->p);
	free(r->err);
}

/* @text has exactly one error, reported as @msg. */
static void expect_error(const char *text, const char *msg)
{
	struct result r;

	parse(&r, text);
	assert_string_equal(r.err, msg);
	assert_int_equal(r.ret, 1);
	result_free(&r);
}

static void expect_ok(struct result *r, const char *text)
{
	parse(r, text);
	assert_string_equal(r->err, "");
	assert_int_equal(r->ret, 0);
}

/* printf() into a new string. */
__attribute__((format(printf, 1, 2)))
static char *str(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	assert_true(vasprintf(&s, fmt, ap) >= 0);
	va_end(ap);
	return s;
}

/* @n lines of @fmt, which takes the 0-based line index as %zu. */
static char *lines(const char *fmt, size_t n)
{
	size_t len = 0, i;
	char *s = NULL;
	FILE *f;

	f = open_memstream(&s, &len);
	assert_non_null(f);
	for (i = 0; i < n; i++)
		fprintf(f, fmt, i);
	assert_int_equal(fclose(f), 0);
	return s;
}

static const char sample[] =
	"# A full example\n"
	"mode audit\n"
	"scope cgroup \"/fl jobs/site-1\"\n"
	"default allow   # trailing comment\n"
	"\n"
	"system /usr/**\n"
	"tmpfs /tmp/**\n"
	"allow rw \"/data/My Models/*.pt\"\n"
	"allow ro /etc/a#b\n"
	"allow rx /opt/app/bin/*\n"
	"allow rwx \"/scratch/\\\"q\\\"/\\\\x\"\n"
	"\tdeny\t/data/secret/**\t# tabs\n"
	"encrypt wo /data/out/**/*.log\n"
	"encrypt rw /data/models/[a-z]*.pt";	/* no final newline */

static const char sample_canonical[] =
	"mode audit\n"
	"scope cgroup \"/fl jobs/site-1\"\n"
	"default allow\n"
	"system /usr/**\n"
	"tmpfs /tmp/**\n"
	"allow rw \"/data/My Models/*.pt\"\n"
	"allow ro \"/etc/a#b\"\n"
	"allow rx /opt/app/bin/*\n"
	"allow rwx \"/scratch/\\\"q\\\"/\\\\x\"\n"
	"deny /data/secret/**\n"
	"encrypt wo /data/out/**/*.log\n"
	"encrypt rw /data/models/[a-z]*.pt\n";

/* `sha256sum` of sample_canonical's bytes, computed outside this code. */
static const char sample_sha256[] =
	"e0a6e614338277bb61bfc5655957b6b18ab0d768347ddfd6ab42a9796c041564";

static void assert_rule(const struct ioi_policy_rule *r, uint8_t kind,
			uint8_t access, const char *pattern, unsigned int line)
{
	assert_int_equal(r->kind, kind);
	assert_int_equal(r->access, access);
	assert_string_equal(r->pattern, pattern);
	assert_int_equal(r->line, line);
}

static void test_example(void **state)
{
	struct result r;
	struct ioi_policy *p = &r.p;

	(void)state;
	expect_ok(&r, sample);
	assert_int_equal(p->mode, IOI_MODE_AUDIT);
	assert_int_equal(p->scope, IOI_SCOPE_CGROUP);
	assert_string_equal(p->cgroup, "/fl jobs/site-1");
	assert_int_equal(p->scope_line, 3);
	assert_int_equal(p->dflt, IOI_DEFAULT_ALLOW);

	assert_int_equal(p->n_access, 7);
	assert_rule(&p->access[0], IOI_RULE_SYSTEM, 0, "/usr/**", 6);
	assert_rule(&p->access[1], IOI_RULE_TMPFS, 0, "/tmp/**", 7);
	assert_rule(&p->access[2], IOI_RULE_ALLOW, IOI_ACCESS_RW,
		    "/data/My Models/*.pt", 8);
	assert_rule(&p->access[3], IOI_RULE_ALLOW, IOI_ACCESS_RO, "/etc/a#b",
		    9);
	assert_rule(&p->access[4], IOI_RULE_ALLOW, IOI_ACCESS_RX,
		    "/opt/app/bin/*", 10);
	assert_rule(&p->access[5], IOI_RULE_ALLOW, IOI_ACCESS_RWX,
		    "/scratch/\"q\"/\\x", 11);
	assert_rule(&p->access[6], IOI_RULE_DENY, 0, "/data/secret/**", 12);

	assert_int_equal(p->n_encrypt, 2);
	assert_rule(&p->encrypt[0], IOI_RULE_ENCRYPT, IOI_ENCRYPT_WO,
		    "/data/out/**/*.log", 13);
	assert_rule(&p->encrypt[1], IOI_RULE_ENCRYPT, IOI_ENCRYPT_RW,
		    "/data/models/[a-z]*.pt", 14);
	result_free(&r);
}

static void test_defaults(void **state)
{
	static const char *const texts[] = {
		"",
		"\n\n",
		"# only a comment\n   # and an indented one\n\t\n",
		"   \t  ",
	};
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		expect_ok(&r, texts[i]);
		assert_int_equal(r.p.mode, IOI_MODE_ENFORCE);
		assert_int_equal(r.p.scope, IOI_SCOPE_ALL);
		assert_null(r.p.cgroup);
		assert_int_equal(r.p.dflt, IOI_DEFAULT_DENY);
		assert_int_equal(r.p.n_access, 0);
		assert_int_equal(r.p.n_encrypt, 0);
		result_free(&r);
	}

	/* Each directive alone leaves the others at their defaults. */
	expect_ok(&r, "default allow\n");
	assert_int_equal(r.p.mode, IOI_MODE_ENFORCE);
	assert_int_equal(r.p.scope, IOI_SCOPE_ALL);
	assert_int_equal(r.p.dflt, IOI_DEFAULT_ALLOW);
	result_free(&r);

	expect_ok(&r, "scope all\nmode enforce\ndefault deny\n");
	assert_int_equal(r.p.mode, IOI_MODE_ENFORCE);
	assert_int_equal(r.p.scope, IOI_SCOPE_ALL);
	assert_int_equal(r.p.scope_line, 0);
	assert_int_equal(r.p.dflt, IOI_DEFAULT_DENY);
	result_free(&r);
}

static void test_quoting(void **state)
{
	struct result r;

	(void)state;
	expect_ok(&r,
		  "allow rw \"/data/My Models/*.pt\"\n"
		  "deny \"/a\\\"b\"\n"			/* \" */
		  "deny \"/a\\\\b\"\n"			/* \\ */
		  "deny \"/x # not a comment\"\n"
		  "deny \"/tab\" # a tab would be a control character\n"
		  "deny \"/plain\"\n"
		  "deny /a\\b\n"			/* bare: no escapes */
		  "deny /a#b\n"				/* bare '#' in a word */
		  "deny\t\t\"/q\"\t# comment after a quoted token\n");
	assert_int_equal(r.p.n_access, 9);
	assert_string_equal(r.p.access[0].pattern, "/data/My Models/*.pt");
	assert_string_equal(r.p.access[1].pattern, "/a\"b");
	assert_string_equal(r.p.access[2].pattern, "/a\\b");
	assert_string_equal(r.p.access[3].pattern, "/x # not a comment");
	assert_string_equal(r.p.access[4].pattern, "/tab");
	assert_string_equal(r.p.access[5].pattern, "/plain");
	assert_string_equal(r.p.access[6].pattern, "/a\\b");
	assert_string_equal(r.p.access[7].pattern, "/a#b");
	assert_string_equal(r.p.access[8].pattern, "/q");
	result_free(&r);

	/* A quoted cgroup path. */
	expect_ok(&r, "scope cgroup \"/my \\\"jobs\\\"\"\n");
	assert_string_equal(r.p.cgroup, "/my \"jobs\"");
	result_free(&r);
}

static void test_trailing_comments(void **state)
{
	struct result r;

	(void)state;
	expect_ok(&r,
		  "mode audit # why\n"
		  "scope all\t#tab before\n"
		  "default allow #\n"
		  "deny /x #a # b \"c\n"
		  "allow ro /y#z # the first '#' is in the word\n"
		  "encrypt wo /e/** ## double\n");
	assert_int_equal(r.p.mode, IOI_MODE_AUDIT);
	assert_int_equal(r.p.dflt, IOI_DEFAULT_ALLOW);
	assert_int_equal(r.p.n_access, 2);
	assert_string_equal(r.p.access[0].pattern, "/x");
	assert_string_equal(r.p.access[1].pattern, "/y#z");
	assert_int_equal(r.p.n_encrypt, 1);
	assert_string_equal(r.p.encrypt[0].pattern, "/e/**");
	result_free(&r);
}

/* Errors, one class per test, with the exact message. */

static void test_err_unknown_directive(void **state)
{
	(void)state;
	expect_error("mode audit\n\nalow rw /x\n",
		     "policy.conf:3:1: error: unknown directive 'alow'\n");
	expect_error("  Mode audit\n",
		     "policy.conf:1:3: error: unknown directive 'Mode'\n");
	/* Control bytes are escaped, long words cut. */
	expect_error("x\x1b[2J\n",
		     "policy.conf:1:1: error: unknown directive 'x\\x1b[2J'\n");
	expect_error("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz\n",
		     "policy.conf:1:1: error: unknown directive "
		     "'abcdefghijklmnopqrstuvwxyzabcdefghijklmn...'\n");
}

static void test_err_unknown_access(void **state)
{
	(void)state;
	expect_error("allow rwz /x\n",
		     "policy.conf:1:7: error: unknown access 'rwz' "
		     "(expected ro, rx, rw or rwx)\n");
	expect_error("allow RW /x\n",
		     "policy.conf:1:7: error: unknown access 'RW' "
		     "(expected ro, rx, rw or rwx)\n");
	/* A pattern where the access should be. */
	expect_error("allow /x\n",
		     "policy.conf:1:7: error: unknown access '/x' "
		     "(expected ro, rx, rw or rwx)\n");
}

static void test_err_unknown_mode(void **state)
{
	(void)state;
	expect_error("mode permissive\n",
		     "policy.conf:1:6: error: unknown mode 'permissive' "
		     "(expected enforce or audit)\n");
}

static void test_err_unknown_default(void **state)
{
	(void)state;
	expect_error("default ro\n",
		     "policy.conf:1:9: error: unknown default 'ro' "
		     "(expected deny or allow)\n");
}

static void test_err_unknown_scope(void **state)
{
	(void)state;
	expect_error("scope /nvflare\n",
		     "policy.conf:1:7: error: unknown scope '/nvflare' "
		     "(expected all or cgroup)\n");
}

static void test_err_unknown_encrypt_mode(void **state)
{
	(void)state;
	expect_error("encrypt ro /x\n",
		     "policy.conf:1:9: error: unknown encrypt mode 'ro' "
		     "(expected rw or wo)\n");
}

static void test_err_bad_pattern(void **state)
{
	static const char *const bad[] = {
		"x", "/a//b", "/a/", "/a/./b", "/a/../b", "/a/**b",
		"/a/[b", "/a/[]", "/a/[z-a]", "/a/b\x01",
	};
	const char *why;
	size_t off, i;
	char *text, *msg;

	(void)state;
	/* As in docs/policy.md: the column of the bad component. */
	expect_error("mode audit\ndeny /data/../etc/shadow\n",
		     "policy.conf:2:12: error: bad pattern: '..' component\n");
	expect_error("allow rw data/x\n",
		     "policy.conf:1:10: error: bad pattern: pattern must start with '/'\n");

	/* Column = the token's + match.c's offset, with its reason. */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(ioi_pattern_check(bad[i], &off, &why),
				 -EINVAL);
		text = str("encrypt rw %s\n", bad[i]);
		msg = str("policy.conf:1:%zu: error: bad pattern: %s\n",
			  12 + off, why);
		expect_error(text, msg);
		free(text);
		free(msg);
	}
}

static void test_err_bad_pattern_quoted(void **state)
{
	const char *why;
	size_t off;
	char *msg;

	(void)state;
	/* The opening quote counts. */
	expect_error("deny \"/a b/../c\"\n",
		     "policy.conf:1:12: error: bad pattern: '..' component\n");
	/* So does each escape before the bad byte. */
	assert_int_equal(ioi_pattern_check("/a\"\\b/../c", &off, &why),
			 -EINVAL);
	assert_int_equal(off, 6);
	msg = str("policy.conf:1:%zu: error: bad pattern: %s\n",
		  6 + 1 + off + 2, why);
	expect_error("deny \"/a\\\"\\\\b/../c\"\n", msg);
	free(msg);
	/* An empty quoted pattern: at its closing quote. */
	expect_error("deny \"\"\n",
		     "policy.conf:1:7: error: bad pattern: pattern must start with '/'\n");
}

static void test_err_pattern_too_long(void **state)
{
	char *pat, *text;
	struct result r;

	(void)state;
	pat = malloc(IOI_PATTERN_MAX + 1);
	assert_non_null(pat);
	/* 1023 bytes: the most there can be. */
	pat[0] = '/';
	memset(pat + 1, 'a', IOI_PATTERN_MAX - 2);
	pat[IOI_PATTERN_MAX - 1] = '\0';
	text = str("deny %s\n", pat);
	expect_ok(&r, text);
	result_free(&r);
	free(text);

	/* 1024: reported at the 1024th byte. */
	strcat(pat, "a");
	text = str("deny %s\n", pat);
	expect_error(text, "policy.conf:1:1029: error: pattern longer than "
			   "1023 bytes\n");
	free(text);
	text = str("deny \"%s\"\n", pat);
	expect_error(text, "policy.conf:1:1030: error: pattern longer than "
			   "1023 bytes\n");
	free(text);
	free(pat);
}

static void test_err_given_twice(void **state)
{
	struct result r;

	(void)state;
	expect_error("# x\nmode audit\n\n\nmode audit\n",
		     "policy.conf:5:1: error: 'mode' given twice (first on line 2)\n");
	expect_error("scope all\n  scope cgroup /a\n",
		     "policy.conf:2:3: error: 'scope' given twice (first on line 1)\n");
	expect_error("default deny\ndefault allow\n",
		     "policy.conf:2:1: error: 'default' given twice (first on line 1)\n");
	/* A bad first one still counts as given. */
	parse(&r, "default never\ndefault allow\n");
	assert_string_equal(r.err,
		"policy.conf:1:9: error: unknown default 'never' (expected deny or allow)\n"
		"policy.conf:2:1: error: 'default' given twice (first on line 1)\n");
	assert_int_equal(r.ret, 2);
	result_free(&r);
}

static void test_err_missing_argument(void **state)
{
	(void)state;
	expect_error("allow rw\n",
		     "policy.conf:1:9: error: missing pattern\n");
	expect_error("allow rw   # the pattern is missing\n",
		     "policy.conf:1:9: error: missing pattern\n");
	expect_error("allow\n",
		     "policy.conf:1:6: error: missing access (expected ro, rx, rw or rwx)\n");
	expect_error("  deny\n",
		     "policy.conf:1:7: error: missing pattern\n");
	expect_error("system\n", "policy.conf:1:7: error: missing pattern\n");
	expect_error("tmpfs\n", "policy.conf:1:6: error: missing pattern\n");
	expect_error("encrypt\n",
		     "policy.conf:1:8: error: missing encrypt mode (expected rw or wo)\n");
	expect_error("encrypt wo\n",
		     "policy.conf:1:11: error: missing pattern\n");
	expect_error("mode\n",
		     "policy.conf:1:5: error: missing mode (expected enforce or audit)\n");
	expect_error("default\n",
		     "policy.conf:1:8: error: missing default (expected deny or allow)\n");
	expect_error("scope\n",
		     "policy.conf:1:6: error: missing scope (expected all or cgroup)\n");
	expect_error("scope cgroup\n",
		     "policy.conf:1:13: error: missing cgroup path\n");
}

static void test_err_extra_argument(void **state)
{
	(void)state;
	expect_error("allow rw /My Models/x\n",
		     "policy.conf:1:14: error: unexpected 'Models/x' "
		     "(quote a pattern that contains spaces)\n");
	expect_error("deny /a /b\n",
		     "policy.conf:1:9: error: unexpected '/b' "
		     "(quote a pattern that contains spaces)\n");
	expect_error("encrypt rw /a b c\n",
		     "policy.conf:1:15: error: unexpected 'b' "
		     "(quote a pattern that contains spaces)\n");
	expect_error("mode audit now\n",
		     "policy.conf:1:12: error: unexpected 'now'\n");
	expect_error("default deny allow\n",
		     "policy.conf:1:14: error: unexpected 'allow'\n");
	expect_error("scope all /x\n",
		     "policy.conf:1:11: error: unexpected '/x'\n");
	expect_error("scope cgroup /a b\n",
		     "policy.conf:1:17: error: unexpected 'b' "
		     "(quote a cgroup path that contains spaces)\n");
}

static void test_err_unterminated_quote(void **state)
{
	(void)state;
	expect_error("deny \"/a b\n",
		     "policy.conf:1:6: error: unterminated quoted string\n");
	/* An escaped quote does not close it. */
	expect_error("deny \"/a\\\"\n",
		     "policy.conf:1:6: error: unterminated quoted string\n");
	/* Nor does the end of the line after a backslash. */
	expect_error("deny \"/a\\\n",
		     "policy.conf:1:6: error: unterminated quoted string\n");
}

static void test_err_bad_escape(void **state)
{
	(void)state;
	expect_error("deny \"/a\\nb\"\n",
		     "policy.conf:1:9: error: unknown escape in a quoted string "
		     "(only \\\" and \\\\)\n");
}

static void test_err_quote_placement(void **state)
{
	(void)state;
	expect_error("deny \"/a\"b\n",
		     "policy.conf:1:10: error: expected a space after the closing quote\n");
	expect_error("deny \"/a\"# not a comment\n",
		     "policy.conf:1:10: error: expected a space after the closing quote\n");
	expect_error("deny /a\"b\"\n",
		     "policy.conf:1:8: error: '\"' inside a word (quote the whole pattern)\n");
	expect_error("allow \"rw\" /x\n",
		     "policy.conf:1:7: error: quotes are only allowed around a "
		     "pattern or a cgroup path\n");
	expect_error("\"deny\" /x\n",
		     "policy.conf:1:1: error: quotes are only allowed around a "
		     "pattern or a cgroup path\n");
}

static void test_err_nul(void **state)
{
	static const char text[] = "mode audit\ndeny /a\0b\ndeny /c\n";
	struct result r;

	(void)state;
	parse_flags(&r, text, sizeof(text) - 1, 0);
	assert_string_equal(r.err, "policy.conf:2:8: error: NUL byte\n");
	assert_int_equal(r.ret, 1);
	result_free(&r);

	/* In a comment too. */
	parse_flags(&r, "# \0\n", 4, 0);
	assert_string_equal(r.err, "policy.conf:1:3: error: NUL byte\n");
	result_free(&r);
}

static void test_err_line_too_long(void **state)
{
	char *text;
	struct result r;

	(void)state;
	/* 4096 bytes and its newline: fine. */
	text = malloc(IOI_POLICY_LINE_MAX + 16);
	assert_non_null(text);
	text[0] = '#';
	memset(text + 1, 'x', IOI_POLICY_LINE_MAX - 1);
	strcpy(text + IOI_POLICY_LINE_MAX, "\ndeny /a\n");
	expect_ok(&r, text);
	assert_int_equal(r.p.n_access, 1);
	result_free(&r);

	/* 4097 bytes: an error at the first byte too many, even at EOF. */
	text[IOI_POLICY_LINE_MAX] = 'x';
	text[IOI_POLICY_LINE_MAX + 1] = '\0';
	expect_error(text,
		     "policy.conf:1:4097: error: line longer than 4096 bytes\n");
	free(text);
}

static void test_err_crlf(void **state)
{
	(void)state;
	expect_error("mode audit\r\ndeny /x\n",
		     "policy.conf:1:11: error: carriage return at the end of "
		     "the line (DOS line endings?)\n");
}

static void test_err_cgroup(void **state)
{
	char *path, *text;
	struct result r;

	(void)state;
	expect_error("scope cgroup /fl/*/jobs\n",
		     "policy.conf:1:18: error: bad cgroup path: wildcards are not allowed\n");
	expect_error("scope cgroup /fl/jobs-?\n",
		     "policy.conf:1:23: error: bad cgroup path: wildcards are not allowed\n");
	expect_error("scope cgroup /**\n",
		     "policy.conf:1:15: error: bad cgroup path: wildcards are not allowed\n");
	expect_error("scope cgroup /fl/../x\n",
		     "policy.conf:1:18: error: bad cgroup path: '..' component\n");
	expect_error("scope cgroup fl\n",
		     "policy.conf:1:14: error: bad cgroup path: pattern must start with '/'\n");

	/* 1023 bytes fit, 1024 do not. */
	path = malloc(IOI_CGROUP_PATH_MAX + 1);
	assert_non_null(path);
	path[0] = '/';
	memset(path + 1, 'c', IOI_CGROUP_PATH_MAX - 2);
	path[IOI_CGROUP_PATH_MAX - 1] = '\0';
	text = str("scope cgroup %s\n", path);
	expect_ok(&r, text);
	assert_string_equal(r.p.cgroup, path);
	result_free(&r);
	free(text);
	strcat(path, "c");
	text = str("scope cgroup %s\n", path);
	expect_error(text, "policy.conf:1:1037: error: cgroup path longer than "
			   "1023 bytes\n");
	free(text);
	free(path);

	/* "/" is the root cgroup. */
	expect_ok(&r, "scope cgroup /\n");
	assert_string_equal(r.p.cgroup, "/");
	result_free(&r);
}

static void test_err_file_too_large(void **state)
{
	char *text = malloc(IOI_POLICY_FILE_MAX + 1);
	struct result r;

	(void)state;
	assert_non_null(text);
	memset(text, '\n', IOI_POLICY_FILE_MAX + 1);
	parse_flags(&r, text, IOI_POLICY_FILE_MAX, 0);
	assert_int_equal(r.ret, 0);
	result_free(&r);
	parse_flags(&r, text, IOI_POLICY_FILE_MAX + 1, 0);
	assert_string_equal(r.err,
			    "policy.conf: error: file larger than 1048576 bytes\n");
	assert_int_equal(r.ret, 1);
	result_free(&r);
	free(text);
}

/* Quotes in a pattern: the canonical text grows, the netlink does not. */
static void test_err_policy_too_large(void **state)
{
	/* "mode enforce\nscope all\ndefault deny\n", then 2012 a rule. */
	const size_t header = 36, rule = 2012;
	char esc[2001], *fmt, *text, *msg;
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		esc[2 * i] = '\\';
		esc[2 * i + 1] = '"';
	}
	esc[2000] = '\0';
	fmt = str("deny \"/%%03zu%s\"\n", esc);

	/* 20 rules: 40276 bytes, fine. */
	text = lines(fmt, 20);
	expect_ok(&r, text);
	assert_int_equal(r.p.n_access, 20);
	assert_true(ioi_policy_nl_size(&r.p) < IOI_POLICY_NL_MAX);
	result_free(&r);
	free(text);

	/* 21 rules: 42288 bytes. */
	text = lines(fmt, 21);
	msg = str("policy.conf: error: policy too large (%zu bytes of "
		  "canonical text, at most 40960)\n", header + 21 * rule);
	expect_error(text, msg);
	free(msg);
	free(text);
	free(fmt);
}

/*
 * The text limit keeps the netlink nest within its 16-bit length: 1024
 * "allow rw" rules (the most attribute bytes per byte of text) just under
 * 40 KiB of text still fit, and one byte of pattern more is refused by the
 * text limit, before netlink could overflow.
 */
static void test_err_policy_too_large_for_netlink(void **state)
{
	/* "allow rw /d/" + 21 x's + "/NNNN\n" = 39 bytes a rule. */
	const char *fmt = "allow rw /d/xxxxxxxxxxxxxxxxxxxxx/%04zu\n";
	struct result r;
	char *text, *msg, *canon;
	size_t len;

	(void)state;
	text = lines(fmt, 1024);
	expect_ok(&r, text);
	assert_int_equal(ioi_policy_canonical(&r.p, &canon, &len), 0);
	assert_true(len <= IOI_POLICY_TEXT_MAX);
	assert_true(len > IOI_POLICY_TEXT_MAX - 1024);
	free(canon);
	assert_true(ioi_policy_nl_size(&r.p) <= IOI_POLICY_NL_MAX);
	result_free(&r);
	free(text);

	text = lines("allow rw /d/xxxxxxxxxxxxxxxxxxxxxxxxxxx/%04zu\n", 1024);
	msg = str("policy.conf: error: policy too large (%zu bytes of "
		  "canonical text, at most 40960)\n",
		  (size_t)36 + 1024 * 45);
	expect_error(text, msg);
	free(msg);
	free(text);
}

static void test_access_limit(void **state)
{
	struct result r;
	char *text, *more;

	(void)state;
	text = lines("deny /%zu\n", IOI_MAX_ACCESS_RULES);
	expect_ok(&r, text);
	assert_int_equal(r.p.n_access, IOI_MAX_ACCESS_RULES);
	assert_int_equal(r.p.access[1023].line, 1024);
	assert_string_equal(r.p.access[1023].pattern, "/1023");
	result_free(&r);

	/* The 1025th, and only it; a bad one after it is still checked. */
	more = str("%s  allow ro /x\ndeny /y\ndeny /../z\n", text);
	parse(&r, more);
	assert_string_equal(r.err,
			    "policy.conf:1025:3: error: more than 1024 access rules\n"
			    "policy.conf:1027:7: error: bad pattern: '..' component\n");
	assert_int_equal(r.ret, 2);
	result_free(&r);
	free(more);

	/* Encrypt rules do not count. */
	more = str("%sencrypt rw /x\n", text);
	expect_ok(&r, more);
	assert_int_equal(r.p.n_encrypt, 1);
	result_free(&r);
	free(more);
	free(text);
}

static void test_encrypt_limit(void **state)
{
	struct result r;
	char *text, *more;

	(void)state;
	text = lines("encrypt wo /%zu/**\n", IOI_MAX_ENCRYPT_RULES);
	expect_ok(&r, text);
	assert_int_equal(r.p.n_encrypt, IOI_MAX_ENCRYPT_RULES);
	result_free(&r);

	more = str("# header\n%sencrypt rw /x\ndeny /y\nencrypt rw /z\n", text);
	parse(&r, more);
	assert_string_equal(r.err,
			    "policy.conf:130:1: error: more than 128 encrypt rules\n");
	assert_int_equal(r.ret, 1);
	result_free(&r);
	free(more);
	free(text);
}

static void test_many_errors(void **state)
{
	static const char text[] =
		"mode enforce\n"
		"alow rw /x\n"
		"allow rwz /x\n"
		"deny /a/../b\n"
		"mode audit\n"
		"allow rw \"/a b\n"
		"deny /good\n"
		"encrypt xx /a\n"
		"scope cgroup /a/*/b\n"
		"default\n";
	struct result r;

	(void)state;
	parse(&r, text);
	assert_string_equal(r.err,
		"policy.conf:2:1: error: unknown directive 'alow'\n"
		"policy.conf:3:7: error: unknown access 'rwz' (expected ro, rx, rw or rwx)\n"
		"policy.conf:4:9: error: bad pattern: '..' component\n"
		"policy.conf:5:1: error: 'mode' given twice (first on line 1)\n"
		"policy.conf:6:10: error: unterminated quoted string\n"
		"policy.conf:8:9: error: unknown encrypt mode 'xx' (expected rw or wo)\n"
		"policy.conf:9:17: error: bad cgroup path: wildcards are not allowed\n"
		"policy.conf:10:8: error: missing default (expected deny or allow)\n");
	assert_int_equal(r.ret, 8);
	result_free(&r);
}

static void test_error_limit(void **state)
{
	char *text, *want;
	struct result r;
	size_t len = 0, i;
	FILE *f;

	(void)state;
	text = lines("bogus %zu\n", 60);
	want = NULL;
	f = open_memstream(&want, &len);
	assert_non_null(f);
	for (i = 1; i <= IOI_POLICY_MAX_ERRORS; i++)
		fprintf(f, "policy.conf:%zu:1: error: unknown directive 'bogus'\n",
			i);
	fprintf(f, "policy.conf: note: too many errors, stopping after 50\n");
	assert_int_equal(fclose(f), 0);
	parse(&r, text);
	assert_string_equal(r.err, want);
	assert_int_equal(r.ret, IOI_POLICY_MAX_ERRORS);
	result_free(&r);
	free(want);
	free(text);

	/* Exactly 50: no note. */
	text = lines("bogus\n", 50);
	parse(&r, text);
	assert_null(strstr(r.err, "note"));
	assert_int_equal(r.ret, 50);
	result_free(&r);
	free(text);
}

static void test_context(void **state)
{
	static const char text[] =
		"\tallow rwz /x\n"
		"deny /\xc3\xa9/../x\n"
		"deny /a\x01z\n";
	struct result r;

	(void)state;
	parse_flags(&r, text, strlen(text), IOI_POLICY_F_CONTEXT);
	assert_string_equal(r.err,
		"policy.conf:1:8: error: unknown access 'rwz' (expected ro, rx, rw or rwx)\n"
		"    \tallow rwz /x\n"
		"    \t      ^\n"
		"policy.conf:2:10: error: bad pattern: '..' component\n"
		"    deny /\xc3\xa9/../x\n"
		"            ^\n"
		"policy.conf:3:8: error: bad pattern: control character\n"
		"    deny /a\\x01z\n"
		"           ^\n");
	result_free(&r);
}

/* Canonical text and hash */

static void test_canonical_sample(void **state)
{
	uint8_t hash[IOI_POLICY_HASH_LEN];
	char hex[IOI_HASH_HEX_SIZE];
	struct result r;
	size_t len;
	char *text;

	(void)state;
	expect_ok(&r, sample);
	assert_int_equal(ioi_policy_canonical(&r.p, &text, &len), 0);
	assert_int_equal(len, strlen(sample_canonical));
	assert_memory_equal(text, sample_canonical, len);
	assert_int_equal(text[len], '\0');

	assert_int_equal(ioi_policy_sha256(text, len, hash), 0);
	ioi_hex(hex, hash, sizeof(hash));
	assert_string_equal(hex, sample_sha256);
	memset(hash, 0, sizeof(hash));
	assert_int_equal(ioi_policy_hash(&r.p, hash), 0);
	ioi_hex(hex, hash, sizeof(hash));
	assert_string_equal(hex, sample_sha256);
	free(text);
	result_free(&r);
}

static void test_canonical_defaults(void **state)
{
	static const char want[] = "mode enforce\nscope all\ndefault deny\n";
	uint8_t hash[IOI_POLICY_HASH_LEN];
	char hex[IOI_HASH_HEX_SIZE];
	struct ioi_policy p;
	size_t len;
	char *text;

	(void)state;
	ioi_policy_init(&p);
	assert_int_equal(ioi_policy_canonical(&p, &text, &len), 0);
	assert_string_equal(text, want);
	assert_int_equal(len, strlen(want));
	free(text);
	/* printf 'mode enforce\nscope all\ndefault deny\n' | sha256sum */
	assert_int_equal(ioi_policy_hash(&p, hash), 0);
	ioi_hex(hex, hash, sizeof(hash));
	assert_string_equal(hex, "3f1baae8f9f0b463041065f42937703b"
				 "f0163c100a08850e22c2f9e469c6d4fd");
	ioi_policy_free(&p);
}

/*
 * on-plaintext: refuse (the default, not in the canonical text, so that
 * policies written before it keep their hash) or allow.
 */
static void test_on_plaintext(void **state)
{
	static const char want[] =
		"mode enforce\nscope all\ndefault deny\non-plaintext allow\n";
	struct result r;
	char *text;
	size_t len;

	(void)state;
	expect_ok(&r, "on-plaintext refuse\n");
	assert_int_equal(r.p.on_plaintext, IOI_ON_PLAINTEXT_REFUSE);
	assert_int_equal(ioi_policy_canonical(&r.p, &text, &len), 0);
	assert_string_equal(text, "mode enforce\nscope all\ndefault deny\n");
	free(text);
	result_free(&r);
	expect_ok(&r, "on-plaintext allow # migrating\n");
	assert_int_equal(r.p.on_plaintext, IOI_ON_PLAINTEXT_ALLOW);
	assert_int_equal(ioi_policy_canonical(&r.p, &text, &len), 0);
	assert_string_equal(text, want);
	free(text);
	result_free(&r);
	expect_error("on-plaintext maybe\n",
		     "policy.conf:1:14: error: unknown on-plaintext 'maybe' "
		     "(expected refuse or allow)\n");
	expect_error("on-plaintext allow\non-plaintext refuse\n",
		     "policy.conf:2:1: error: 'on-plaintext' given twice (first on line 1)\n");
}

/*
 * log-paths: full (the default, not in the canonical text, so that
 * policies written before it keep their hash) or redact.
 */
static void test_log_paths(void **state)
{
	static const char want[] =
		"mode enforce\nscope all\ndefault deny\nlog-paths redact\n";
	static const char want_both[] =
		"mode audit\nscope all\ndefault deny\non-plaintext allow\n"
		"log-paths redact\ndeny /x\n";
	struct result r;
	char *text;
	size_t len;

	(void)state;
	ioi_policy_init(&r.p);
	assert_int_equal(r.p.log_paths, IOI_LOG_PATHS_FULL);
	expect_ok(&r, "log-paths full\n");
	assert_int_equal(r.p.log_paths, IOI_LOG_PATHS_FULL);
	assert_int_equal(ioi_policy_canonical(&r.p, &text, &len), 0);
	assert_string_equal(text, "mode enforce\nscope all\ndefault deny\n");
	free(text);
	result_free(&r);
	expect_ok(&r, "log-paths redact # logs leave the VM\n");
	assert_int_equal(r.p.log_paths, IOI_LOG_PATHS_REDACT);
	assert_int_equal(ioi_policy_canonical(&r.p, &text, &len), 0);
	assert_string_equal(text, want);
	assert_int_equal(len, strlen(want));
	free(text);
	result_free(&r);
	/* After on-plaintext, whatever the order in the file. */
	expect_ok(&r, "deny /x\nlog-paths redact\nmode audit\n"
		      "on-plaintext allow\n");
	assert_int_equal(ioi_policy_canonical(&r.p, &text, &len), 0);
	assert_string_equal(text, want_both);
	free(text);
	result_free(&r);

	expect_error("log-paths hidden\n",
		     "policy.conf:1:11: error: unknown log-paths 'hidden' "
		     "(expected full or redact)\n");
	expect_error("log-paths  \tREDACT\n",
		     "policy.conf:1:13: error: unknown log-paths 'REDACT' "
		     "(expected full or redact)\n");
	expect_error("log-paths \"redact\"\n",
		     "policy.conf:1:11: error: quotes are only allowed around a pattern or a cgroup path\n");
	expect_error("log-paths\n",
		     "policy.conf:1:10: error: missing log-paths (expected full or redact)\n");
	expect_error("log-paths redact full\n",
		     "policy.conf:1:18: error: unexpected 'full'\n");
	expect_error("log-paths redact\n\nlog-paths full\n",
		     "policy.conf:3:1: error: 'log-paths' given twice (first on line 1)\n");
	/* The column is the keyword's. */
	expect_error("log-paths redact\n  log-paths redact\n",
		     "policy.conf:2:3: error: 'log-paths' given twice (first on line 1)\n");
}

/* The canonical text of @p is @text, and its SHA-256 @sha256. */
static void assert_canonical(const struct ioi_policy *p, const char *text,
			     const char *sha256)
{
	uint8_t hash[IOI_POLICY_HASH_LEN];
	char hex[IOI_HASH_HEX_SIZE];
	size_t len;
	char *got;

	assert_int_equal(ioi_policy_canonical(p, &got, &len), 0);
	assert_string_equal(got, text);
	assert_int_equal(len, strlen(text));
	free(got);
	assert_int_equal(ioi_policy_hash(p, hash), 0);
	ioi_hex(hex, hash, sizeof(hash));
	assert_string_equal(hex, sha256);
}

/*
 * require-tee: no (the default, not in the canonical text, so that
 * policies written before it keep their hash) or yes, right after
 * log-paths, before the rules, wherever it is in the file. The module
 * writes the same line in the same place. The hashes are `printf TEXT |
 * sha256sum` of each text.
 */
static void test_require_tee(void **state)
{
	static const char want[] =
		"mode enforce\nscope all\ndefault deny\nrequire-tee yes\n";
	static const char want_all[] =
		"mode audit\nscope all\ndefault deny\non-plaintext allow\n"
		"log-paths redact\nrequire-tee yes\ndeny /x\n";
	struct result r;

	(void)state;
	expect_ok(&r, "require-tee no\n");
	assert_false(r.p.require_tee);
	assert_canonical(&r.p, "mode enforce\nscope all\ndefault deny\n",
			 "3f1baae8f9f0b463041065f42937703b"
			 "f0163c100a08850e22c2f9e469c6d4fd");
	result_free(&r);

	expect_ok(&r, "require-tee yes # keys only in a TEE\n");
	assert_true(r.p.require_tee);
	assert_canonical(&r.p, want, "21171d05ecbff3c5d36c91be863919f9"
				     "b2391eb7a534798d06e21c761934cc78");
	result_free(&r);

	/* After on-plaintext and log-paths, whatever the order in the file. */
	expect_ok(&r, "require-tee yes\ndeny /x\nlog-paths redact\n"
		      "mode audit\non-plaintext allow\n");
	assert_canonical(&r.p, want_all, "7fa13cf97d9944f51b6f95ec02c4f450"
					 "2d9897bd8fbdaac2540d800dbb0efde6");
	result_free(&r);

	expect_error("require-tee maybe\n",
		     "policy.conf:1:13: error: unknown require-tee 'maybe' "
		     "(expected yes or no)\n");
	expect_error("require-tee\n",
		     "policy.conf:1:12: error: missing require-tee (expected yes or no)\n");
	expect_error("require-tee \"yes\"\n",
		     "policy.conf:1:13: error: quotes are only allowed around a pattern or a cgroup path\n");
	expect_error("require-tee yes no\n",
		     "policy.conf:1:17: error: unexpected 'no'\n");
	expect_error("require-tee yes\n  require-tee yes\n",
		     "policy.conf:2:3: error: 'require-tee' given twice (first on line 1)\n");
}

#define ID64 "00112233445566778899aabbccddeeff" \
	     "0123456789ABCDEFfedcba9876543210"

/*
 * build-id and lock are load directives: kept beside the policy, and not
 * in its canonical text or hash.
 */
static void test_load_directives(void **state)
{
	static const uint8_t id[IOI_BUILD_ID_SIZE] = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
	};
	uint8_t plain[IOI_POLICY_HASH_LEN], hash[IOI_POLICY_HASH_LEN];
	struct result r;
	char *text;
	size_t len;

	(void)state;
	expect_ok(&r, "deny /x\n");
	assert_false(r.p.load.has_build_id);
	assert_false(r.p.load.lock);
	assert_int_equal(r.p.load.build_id_line, 0);
	assert_int_equal(r.p.load.lock_line, 0);
	assert_int_equal(ioi_policy_hash(&r.p, plain), 0);
	result_free(&r);

	expect_ok(&r, "deny /x\n\nbuild-id " ID64 " # release 7\nlock yes\n");
	assert_true(r.p.load.has_build_id);
	assert_memory_equal(r.p.load.build_id, id, sizeof(id));
	assert_int_equal(r.p.load.build_id_line, 3);
	assert_true(r.p.load.lock);
	assert_int_equal(r.p.load.lock_line, 4);
	assert_int_equal(ioi_policy_canonical(&r.p, &text, &len), 0);
	assert_string_equal(text, "mode enforce\nscope all\ndefault deny\n"
			    "deny /x\n");
	free(text);
	assert_int_equal(ioi_policy_hash(&r.p, hash), 0);
	assert_memory_equal(hash, plain, sizeof(hash));
	result_free(&r);

	expect_ok(&r, "lock no\n");
	assert_false(r.p.load.lock);
	assert_int_equal(r.p.load.lock_line, 1);
	result_free(&r);
}

static void test_err_load_directives(void **state)
{
	(void)state;
	expect_error("build-id 0011\n",
		     "policy.conf:1:10: error: build ID must be 64 hex digits "
		     "(32 bytes), got 4\n");
	/* Odd: a length error too, since exactly 64 are needed. */
	expect_error("build-id " ID64 "0\n",
		     "policy.conf:1:10: error: build ID must be 64 hex digits "
		     "(32 bytes), got 65\n");
	/* The column of the first character that is not a hex digit. */
	expect_error("  build-id 00112233445566778899aabbccddeeff"
		     "0123456789abcdeffedcba987654321g\n",
		     "policy.conf:1:75: error: build ID: 'g' (character 64) "
		     "is not a hex digit\n");
	expect_error("build-id 0x112233445566778899aabbccddeeff"
		     "0123456789abcdeffedcba9876543210\n",
		     "policy.conf:1:11: error: build ID: 'x' (character 2) "
		     "is not a hex digit\n");
	expect_error("build-id\n",
		     "policy.conf:1:9: error: missing build ID (expected 64 hex digits)\n");
	expect_error("build-id \"" ID64 "\"\n",
		     "policy.conf:1:10: error: quotes are only allowed around a pattern or a cgroup path\n");
	expect_error("build-id " ID64 " x\n",
		     "policy.conf:1:75: error: unexpected 'x'\n");
	expect_error("build-id " ID64 "\nbuild-id " ID64 "\n",
		     "policy.conf:2:1: error: 'build-id' given twice (first on line 1)\n");
	expect_error("lock maybe\n",
		     "policy.conf:1:6: error: unknown lock 'maybe' (expected yes or no)\n");
	expect_error("lock\n",
		     "policy.conf:1:5: error: missing lock (expected yes or no)\n");
	expect_error("lock yes now\n",
		     "policy.conf:1:10: error: unexpected 'now'\n");
	expect_error("lock no\nlock yes\n",
		     "policy.conf:2:1: error: 'lock' given twice (first on line 1)\n");
}

static void test_round_trip(void **state)
{
	static const char *const texts[] = {
		sample,
		"",
		"scope cgroup \"/a\\\\b #c\"\ndeny \"/\\\"x/y\"\n",
		"deny \"/x\\\"\"\nallow rw /\nencrypt rw \"/a b\"\n",
		"on-plaintext allow\nencrypt rw /a/**\n",
		"log-paths redact\ndeny /a\n",
		"log-paths full\non-plaintext allow\n",
		"log-paths redact\non-plaintext allow\nencrypt wo /a/**\n",
		"require-tee yes\nlog-paths redact\ndeny /a\n",
	};
	struct result r1, r2;
	char *c1, *c2;
	size_t l1, l2, i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		parse(&r1, texts[i]);
		assert_string_equal(r1.err, "");
		assert_int_equal(ioi_policy_canonical(&r1.p, &c1, &l1), 0);
		parse_flags(&r2, c1, l1, 0);
		assert_string_equal(r2.err, "");
		assert_int_equal(ioi_policy_canonical(&r2.p, &c2, &l2), 0);
		assert_int_equal(l1, l2);
		assert_memory_equal(c1, c2, l1);
		assert_int_equal(r1.p.n_access, r2.p.n_access);
		assert_int_equal(r1.p.n_encrypt, r2.p.n_encrypt);
		free(c1);
		free(c2);
		result_free(&r1);
		result_free(&r2);
	}
}

static char *quoted(const char *s)
{
	size_t len = 0;
	char *out = NULL;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	ioi_policy_put_quoted(f, s);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_put_quoted(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "/a/b", "/a/b" },
		{ "/a\\b", "/a\\b" },		/* no quotes: bare */
		{ "/a b", "\"/a b\"" },
		{ "/a\tb", "\"/a\tb\"" },
		{ "/a#b", "\"/a#b\"" },
		{ "/a\"b", "\"/a\\\"b\"" },
		{ "\"/a", "\"\\\"/a\"" },
		{ "/a b\\c\"", "\"/a b\\\\c\\\"\"" },
		{ "/é[x]*", "/é[x]*" },
	};
	size_t i;
	char *out;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		out = quoted(cases[i].in);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void test_json(void **state)
{
	struct json_object *obj, *arr, *rule, *v;
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct result r;

	(void)state;
	expect_ok(&r, sample);
	assert_int_equal(ioi_policy_hash(&r.p, hash), 0);
	obj = ioi_policy_to_json(&r.p, hash);
	assert_non_null(obj);
	assert_string_equal(get_str(obj, "mode"), "audit");
	assert_string_equal(get_str(obj, "scope"), "cgroup");
	assert_string_equal(get_str(obj, "cgroup"), "/fl jobs/site-1");
	assert_string_equal(get_str(obj, "default"), "allow");
	assert_string_equal(get_str(obj, "on-plaintext"), "refuse");
	assert_string_equal(get_str(obj, "log-paths"), "full");
	assert_string_equal(get_str(obj, "require-tee"), "no");
	assert_string_equal(get_str(obj, "sha256"), sample_sha256);

	assert_true(json_object_object_get_ex(obj, "rules", &arr));
	assert_int_equal(json_object_array_length(arr), 7);
	rule = json_object_array_get_idx(arr, 0);
	assert_string_equal(get_str(rule, "kind"), "system");
	assert_false(json_object_object_get_ex(rule, "access", &v));
	assert_string_equal(get_str(rule, "pattern"), "/usr/**");
	rule = json_object_array_get_idx(arr, 5);
	assert_string_equal(get_str(rule, "kind"), "allow");
	assert_string_equal(get_str(rule, "access"), "rwx");
	assert_string_equal(get_str(rule, "pattern"), "/scratch/\"q\"/\\x");
	assert_int_equal(json_object_object_length(rule), 3);

	assert_true(json_object_object_get_ex(obj, "encrypt", &arr));
	assert_int_equal(json_object_array_length(arr), 2);
	rule = json_object_array_get_idx(arr, 0);
	assert_string_equal(get_str(rule, "mode"), "wo");
	assert_string_equal(get_str(rule, "pattern"), "/data/out/**/*.log");
	assert_int_equal(json_object_object_length(rule), 2);
	assert_int_equal(json_object_object_length(obj), 10);
	json_object_put(obj);
	result_free(&r);

	/* No "cgroup" with scope all; empty lists. */
	expect_ok(&r, "");
	obj = ioi_policy_to_json(&r.p, hash);
	assert_non_null(obj);
	assert_string_equal(get_str(obj, "scope"), "all");
	assert_false(json_object_object_get_ex(obj, "cgroup", &v));
	assert_true(json_object_object_get_ex(obj, "rules", &arr));
	assert_int_equal(json_object_array_length(arr), 0);
	json_object_put(obj);
	result_free(&r);

	expect_ok(&r, "log-paths redact\non-plaintext allow\nrequire-tee yes\n"
		      "lock yes\n");
	obj = ioi_policy_to_json(&r.p, hash);
	assert_non_null(obj);
	assert_string_equal(get_str(obj, "on-plaintext"), "allow");
	assert_string_equal(get_str(obj, "log-paths"), "redact");
	assert_string_equal(get_str(obj, "require-tee"), "yes");
	/* Load directives are not the policy. */
	assert_false(json_object_object_get_ex(obj, "lock", &v));
	/* No "cgroup" with scope all. */
	assert_int_equal(json_object_object_length(obj), 9);
	json_object_put(obj);
	result_free(&r);
}

static void test_rule_at(void **state)
{
	struct result r;

	(void)state;
	expect_ok(&r, sample);
	/* Sending order: the 7 access rules, then the 2 encrypt rules. */
	assert_int_equal(ioi_policy_rule_at(&r.p, 0)->line, 6);
	assert_int_equal(ioi_policy_rule_at(&r.p, 6)->line, 12);
	assert_int_equal(ioi_policy_rule_at(&r.p, 7)->line, 13);
	assert_int_equal(ioi_policy_rule_at(&r.p, 8)->line, 14);
	assert_null(ioi_policy_rule_at(&r.p, 9));
	assert_null(ioi_policy_rule_at(&r.p, (size_t)-1));
	result_free(&r);
}

static void test_read_file(void **state)
{
	char path[] = "/tmp/test_policy.XXXXXX";
	char *text, *err = NULL, *big;
	size_t len, errlen = 0;
	FILE *f, *e;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(sample, f);
	assert_int_equal(fclose(f), 0);

	e = open_memstream(&err, &errlen);
	assert_non_null(e);
	assert_int_equal(ioi_policy_read_file(path, &text, &len, e), 0);
	assert_int_equal(len, strlen(sample));
	assert_memory_equal(text, sample, len);
	free(text);

	/* One byte too many. */
	big = calloc(1, IOI_POLICY_FILE_MAX + 1);
	assert_non_null(big);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(big, 1, IOI_POLICY_FILE_MAX + 1, f),
			 IOI_POLICY_FILE_MAX + 1);
	assert_int_equal(fclose(f), 0);
	free(big);
	assert_int_equal(ioi_policy_read_file(path, &text, &len, e), -EFBIG);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(ioi_policy_read_file(path, &text, &len, e), -ENOENT);
	assert_int_equal(fclose(e), 0);

	big = str("%s: error: file larger than 1048576 bytes\n"
		  "%s: error: No such file or directory\n", path, path);
	assert_string_equal(err, big);
	free(big);
	free(err);

	assert_string_equal(ioi_policy_file_name("-"), "<stdin>");
	assert_string_equal(ioi_policy_file_name("a.conf"), "a.conf");
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ioi_policy_mode_name(IOI_MODE_AUDIT), "audit");
	assert_string_equal(ioi_policy_default_name(IOI_DEFAULT_DENY), "deny");
	assert_string_equal(ioi_policy_kind_name(IOI_RULE_TMPFS), "tmpfs");
	assert_string_equal(ioi_policy_access_name(IOI_ACCESS_RX), "rx");
	assert_string_equal(ioi_policy_encrypt_name(IOI_ENCRYPT_WO), "wo");
	assert_string_equal(ioi_policy_on_plaintext_name(IOI_ON_PLAINTEXT_ALLOW),
			    "allow");
	assert_string_equal(ioi_policy_log_paths_name(IOI_LOG_PATHS_FULL),
			    "full");
	assert_string_equal(ioi_policy_log_paths_name(IOI_LOG_PATHS_REDACT),
			    "redact");
	assert_string_equal(ioi_policy_log_paths_name(2), "?");
	assert_string_equal(ioi_policy_yes_no(true), "yes");
	assert_string_equal(ioi_policy_yes_no(false), "no");
	assert_string_equal(ioi_policy_access_name(99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_trailing_comments),
		cmocka_unit_test(test_err_unknown_directive),
		cmocka_unit_test(test_err_unknown_access),
		cmocka_unit_test(test_err_unknown_mode),
		cmocka_unit_test(test_err_unknown_default),
		cmocka_unit_test(test_err_unknown_scope),
		cmocka_unit_test(test_err_unknown_encrypt_mode),
		cmocka_unit_test(test_err_bad_pattern),
		cmocka_unit_test(test_err_bad_pattern_quoted),
		cmocka_unit_test(test_err_pattern_too_long),
		cmocka_unit_test(test_err_given_twice),
		cmocka_unit_test(test_err_missing_argument),
		cmocka_unit_test(test_err_extra_argument),
		cmocka_unit_test(test_err_unterminated_quote),
		cmocka_unit_test(test_err_bad_escape),
		cmocka_unit_test(test_err_quote_placement),
		cmocka_unit_test(test_err_nul),
		cmocka_unit_test(test_err_line_too_long),
		cmocka_unit_test(test_err_crlf),
		cmocka_unit_test(test_err_cgroup),
		cmocka_unit_test(test_err_file_too_large),
		cmocka_unit_test(test_err_policy_too_large),
		cmocka_unit_test(test_err_policy_too_large_for_netlink),
		cmocka_unit_test(test_access_limit),
		cmocka_unit_test(test_encrypt_limit),
		cmocka_unit_test(test_many_errors),
		cmocka_unit_test(test_error_limit),
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_canonical_sample),
		cmocka_unit_test(test_canonical_defaults),
		cmocka_unit_test(test_on_plaintext),
		cmocka_unit_test(test_log_paths),
		cmocka_unit_test(test_require_tee),
		cmocka_unit_test(test_load_directives),
		cmocka_unit_test(test_err_load_directives),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_put_quoted),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_rule_at),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
