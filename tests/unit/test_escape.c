// SPDX-License-Identifier: GPL-2.0
/*
 * Escaping of hostile names (escape.c): exact outputs for the classic
 * attacks, and exhaustive checks that whatever the input, the output is
 * safe (printable ASCII and valid UTF-8 only, no bare quote) and decodes
 * back to the input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "escape.h"

#define TEXT	IOI_ESC_TEXT
#define WORD	(IOI_ESC_TEXT | IOI_ESC_SPACE)
#define JSON	IOI_ESC_JSON

/* Escape @len bytes of @in; the caller frees the result. */
static char *esc(const void *in, size_t len, unsigned int flags)
{
	size_t n = ioi_escape(NULL, 0, in, len, flags);
	char *out = malloc(n + 1);

	assert_non_null(out);
	assert_int_equal(ioi_escape(out, n + 1, in, len, flags), n);
	assert_int_equal(strlen(out), n);
	return out;
}

static void check(const char *in, unsigned int flags, const char *want)
{
	char *out = esc(in, strlen(in), flags);

	assert_string_equal(out, want);
	free(out);
	out = ioi_escape_dup(in, flags);
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void check_all(const char *in, const char *text, const char *json)
{
	check(in, TEXT, text);
	check(in, JSON, json);
}

static void test_plain(void **state)
{
	(void)state;
	check_all("", "", "");
	check_all("/srv/data/model.pt", "/srv/data/model.pt",
		  "/srv/data/model.pt");
	check_all("a b", "a b", "a b");
	check("a b", WORD, "a\\x20b");
	check_all("~!@#$%^&*()_+{}|:<>?`-=[];',./",
		  "~!@#$%^&*()_+{}|:<>?`-=[];',./",
		  "~!@#$%^&*()_+{}|:<>?`-=[];',./");
}

/* A newline would forge a second line: "x\nfake event". */
static void test_newline(void **state)
{
	(void)state;
	check_all("/tmp/x\n2026-01-01T00:00:00.000000Z denied open",
		  "/tmp/x\\n2026-01-01T00:00:00.000000Z denied open",
		  "/tmp/x\n2026-01-01T00:00:00.000000Z denied open");
	check_all("\r\t\v\f\b\a", "\\x0d\\t\\x0b\\x0c\\x08\\x07",
		  "\r\t\v\f\b\a");
	check_all("\x01\x1f", "\\x01\\x1f", "\x01\x1f");
}

static void test_terminal(void **state)
{
	(void)state;
	check_all("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m",
		  "\x1b[31mred\x1b[0m");
	check_all("\x1b]0;title\x07", "\\x1b]0;title\\x07",
		  "\x1b]0;title\x07");
	check_all("del\x7f", "del\\x7f", "del\x7f");
	/* C1 CSI as UTF-8 (U+009B): some terminals obey it. */
	check_all("\xc2\x9b" "2J", "\\xc2\\x9b2J", "\xc2\x9b" "2J");
	check_all("\xc2\x80\xc2\x9f", "\\xc2\\x80\\xc2\\x9f",
		  "\xc2\x80\xc2\x9f");
	/* U+00A0, the first character past C1, is kept. */
	check_all("\xc2\xa0", "\xc2\xa0", "\xc2\xa0");
}

static void test_quote_backslash(void **state)
{
	(void)state;
	/* A quote would end path="..." early and start a fake field. */
	check_all("x\" rule=\"0", "x\\\" rule=\\\"0", "x\" rule=\"0");
	check_all("a\\b", "a\\\\b", "a\\\\b");
	/* A literal "\x41" in a name is not the escape of 'A'. */
	check_all("\\x41", "\\\\x41", "\\\\x41");
	check_all("\\", "\\\\", "\\\\");
}

static void test_utf8_kept(void **state)
{
	(void)state;
	/* é, €, G clef, U+10FFFF, U+FFFD, U+D7FF, U+E000 */
	static const char s[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e "
		"\xf4\x8f\xbf\xbf \xef\xbf\xbd \xed\x9f\xbf \xee\x80\x80";

	check_all(s, s, s);
	check_all("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
		  "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
		  "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");
}

static void test_utf8_invalid(void **state)
{
	(void)state;
	check_all("\xff", "\\xff", "\\xff");
	check_all("a\xfe" "b", "a\\xfeb", "a\\xfeb");
	/* A bad second byte: the lead alone is escaped, '(' kept. */
	check_all("\xc3\x28", "\\xc3(", "\\xc3(");
	/* Overlong '/', '/' in three bytes, NUL in two. */
	check_all("\xc0\xaf", "\\xc0\\xaf", "\\xc0\\xaf");
	check_all("\xe0\x80\xaf", "\\xe0\\x80\\xaf", "\\xe0\\x80\\xaf");
	check_all("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf",
		  "\\xf0\\x80\\x80\\xaf");
	check_all("\xc1\xbf", "\\xc1\\xbf", "\\xc1\\xbf");
	/* Surrogates U+D800, U+DFFF, and a CESU-8 pair. */
	check_all("\xed\xa0\x80", "\\xed\\xa0\\x80", "\\xed\\xa0\\x80");
	check_all("\xed\xbf\xbf", "\\xed\\xbf\\xbf", "\\xed\\xbf\\xbf");
	check_all("\xed\xa0\xbd\xed\xb8\x80",
		  "\\xed\\xa0\\xbd\\xed\\xb8\\x80",
		  "\\xed\\xa0\\xbd\\xed\\xb8\\x80");
	/* Beyond U+10FFFF. */
	check_all("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80",
		  "\\xf4\\x90\\x80\\x80");
	check_all("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80",
		  "\\xf5\\x80\\x80\\x80");
	/* Lone continuation bytes. */
	check_all("\x80\xbf", "\\x80\\xbf", "\\x80\\xbf");
	/* A valid character right after an invalid byte is kept. */
	check_all("\xff\xc3\xa9", "\\xff\xc3\xa9", "\\xff\xc3\xa9");
	/* A sequence cut by a valid lead. */
	check_all("\xe2\x82\xc3\xa9", "\\xe2\\x82\xc3\xa9",
		  "\\xe2\\x82\xc3\xa9");
}

/* The name ends in the middle of a character. */
static void test_utf8_truncated(void **state)
{
	(void)state;
	check_all("a\xc3", "a\\xc3", "a\\xc3");
	check_all("a\xe2\x82", "a\\xe2\\x82", "a\\xe2\\x82");
	check_all("a\xf0\x9f\x98", "a\\xf0\\x9f\\x98", "a\\xf0\\x9f\\x98");
	check_all("\xf0", "\\xf0", "\\xf0");
}

static void test_utf8_len(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		size_t want;
	} cases[] = {
		{ "", 0, 0 },
		{ "a", 1, 1 },
		{ "\x7f", 1, 1 },
		{ "\x80", 1, 0 },
		{ "\xc2\x80", 2, 2 },
		{ "\xc2\x80", 1, 0 },	/* the length is what counts */
		{ "\xdf\xbf", 2, 2 },
		{ "\xe0\xa0\x80", 3, 3 },
		{ "\xe0\x9f\xbf", 3, 0 },
		{ "\xed\x9f\xbf", 3, 3 },
		{ "\xed\xa0\x80", 3, 0 },
		{ "\xef\xbf\xbf", 3, 3 },
		{ "\xf0\x90\x80\x80", 4, 4 },
		{ "\xf0\x8f\xbf\xbf", 4, 0 },
		{ "\xf4\x8f\xbf\xbf", 4, 4 },
		{ "\xf4\x90\x80\x80", 4, 0 },
		{ "\xe2\x82\xac", 2, 0 },
		{ "\xe2\x28\xac", 3, 0 },
		{ "\xf0\x9d\x84\x1e", 4, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(ioi_utf8_len((const unsigned char *)cases[i].s,
					      cases[i].len), cases[i].want);
}

/* NAME_MAX bytes: a name as long as a component can be. */
static void test_long_names(void **state)
{
	char name[256], *out, *p;
	size_t i;

	(void)state;
	memset(name, 'a', 255);
	name[255] = '\0';
	check_all(name, name, name);

	/* 85 euro signs: 255 bytes of valid UTF-8, kept. */
	for (i = 0; i < 85; i++)
		memcpy(name + 3 * i, "\xe2\x82\xac", 3);
	check_all(name, name, name);

	/* 255 invalid bytes: four characters each. */
	memset(name, 0xff, 255);
	out = ioi_escape_dup(name, TEXT);
	assert_non_null(out);
	assert_int_equal(strlen(out), 4 * 255);
	for (p = out; *p; p += 4)
		assert_memory_equal(p, "\\xff", 4);
	free(out);

	/* 255 newlines, and a 254-byte name ending in a cut character. */
	memset(name, '\n', 255);
	out = ioi_escape_dup(name, TEXT);
	assert_int_equal(strlen(out), 2 * 255);
	assert_null(strchr(out, '\n'));
	free(out);
	memset(name, 'b', 253);
	memcpy(name + 253, "\xe2\x82", 3);
	out = ioi_escape_dup(name, JSON);
	assert_int_equal(strlen(out), 253 + 8);
	assert_string_equal(out + 253, "\\xe2\\x82");
	free(out);
}

/* snprintf() semantics: cut, always terminated, full length returned. */
static void test_bounded(void **state)
{
	char out[6], big[8];

	(void)state;
	memset(out, '#', sizeof(out));
	assert_int_equal(ioi_escape(out, sizeof(out), "\xff\xfe", 2, TEXT), 8);
	assert_string_equal(out, "\\xff\\");
	assert_int_equal(ioi_escape(out, 1, "abc", 3, TEXT), 3);
	assert_string_equal(out, "");
	out[0] = '#';
	assert_int_equal(ioi_escape(out, 0, "abc", 3, TEXT), 3);
	assert_int_equal(out[0], '#');
	/* A NUL in the input is escaped, and what follows it kept. */
	assert_int_equal(ioi_escape(big, sizeof(big), "a\0b", 3, TEXT), 6);
	assert_string_equal(big, "a\\x00b");
	assert_int_equal(ioi_escape(big, sizeof(big), "a\0b", 3, JSON), 6);
	assert_string_equal(big, "a\\x00b");
}

static void test_fputs(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(ioi_escape_fputs(f, "a\n\"\xff", TEXT), 0);
	assert_int_equal(ioi_escape_fputs(f, " \\", WORD), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "a\\n\\\"\\xff\\x20\\\\");
	free(buf);
}

/*
 * An independent validator: decode the code point, then check the
 * ranges, rather than table 3-7's byte ranges as escape.c does.
 */
static size_t ref_utf8_len(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n, i;

	if (!len)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Output safety: valid UTF-8, and in text no control, no C1, no bare ". */
static void assert_safe(const char *out, unsigned int flags)
{
	const unsigned char *p = (const unsigned char *)out;
	size_t len = strlen(out), n;

	while (*p) {
		n = ref_utf8_len(p, len - (size_t)((const char *)p - out));
		assert_true(n > 0);
		if (!(flags & IOI_ESC_JSON)) {
			assert_true(*p >= 0x20 && *p != 0x7f);
			assert_false(n == 2 && p[0] == 0xc2 && p[1] < 0xa0);
			assert_true(*p != '"');
			if (flags & IOI_ESC_SPACE)
				assert_true(*p != ' ');
		}
		if (*p == '\\') {
			/* An escape: \\, \", \n, \t or \xNN, all ASCII. */
			p++;
			assert_true(*p && strchr((flags & IOI_ESC_JSON) ?
						 "\\x" : "\\\"ntx", *p));
			if (*p == 'x') {
				assert_true(strchr("0123456789abcdef", p[1]) &&
					    p[1]);
				assert_true(strchr("0123456789abcdef", p[2]) &&
					    p[2]);
				p += 2;
			}
			p++;
			continue;
		}
		p += n;
	}
}

static int hex(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* Undo the escaping; returns the decoded length. */
static size_t unescape(const char *s, unsigned char *out)
{
	size_t n = 0;

	while (*s) {
		if (*s != '\\') {
			out[n++] = (unsigned char)*s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n':
			out[n++] = '\n';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'x':
			out[n++] = (unsigned char)(hex(s[1]) << 4 | hex(s[2]));
			s += 2;
			break;
		default:	/* \\ and \" */
			out[n++] = (unsigned char)*s;
		}
		s++;
	}
	return n;
}

static void round_trip(const unsigned char *in, size_t len)
{
	static const unsigned int modes[] = { TEXT, WORD, JSON };
	unsigned char back[4 * 64];
	size_t i;
	char *out;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		out = esc(in, len, modes[i]);
		assert_safe(out, modes[i]);
		assert_int_equal(unescape(out, back), len);
		assert_memory_equal(back, in, len);
		free(out);
	}
}

/* Every input of one and two bytes, and all lead bytes with 3 and 4. */
static void test_exhaustive(void **state)
{
	unsigned char in[4];
	unsigned int a, b, c;

	(void)state;
	for (a = 0; a < 256; a++) {
		in[0] = (unsigned char)a;
		round_trip(in, 1);
		for (b = 0; b < 256; b++) {
			in[1] = (unsigned char)b;
			round_trip(in, 2);
			assert_int_equal(ioi_utf8_len(in, 2),
					 ref_utf8_len(in, 2));
		}
	}
	/* The second byte decides the restricted ranges: try them all. */
	for (a = 0xe0; a < 0x100; a++) {
		for (b = 0; b < 256; b++) {
			for (c = 0x70; c < 0xd0; c += 0x0f) {
				in[0] = (unsigned char)a;
				in[1] = (unsigned char)b;
				in[2] = (unsigned char)c;
				in[3] = 0x80;
				assert_int_equal(ioi_utf8_len(in, 4),
						 ref_utf8_len(in, 4));
				assert_int_equal(ioi_utf8_len(in, 3),
						 ref_utf8_len(in, 3));
				round_trip(in, 4);
			}
		}
	}
}

/* Random names, full of hostile bytes. */
static void test_random(void **state)
{
	static const unsigned char alphabet[] = "a/\\\"\n\t \x1b\x7f\x80\xbf"
		"\xc2\xc3\xa9\xe2\x82\xac\xed\xa0\xf0\x9f\x98\x80\xf4\x90\xff";
	unsigned char in[64];
	unsigned int seed = 1, i, j;

	(void)state;
	for (i = 0; i < 20000; i++) {
		size_t len = rand_r(&seed) % sizeof(in);

		for (j = 0; j < len; j++)
			in[j] = alphabet[rand_r(&seed) %
					 (sizeof(alphabet) - 1)];
		round_trip(in, len);
	}
}

/* What json-c wrote: valid UTF-8, and no control byte left raw. */
static void assert_json_text(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text), n;

	while (*p) {
		n = ref_utf8_len(p, len - (size_t)((const char *)p - text));
		assert_true(n > 0);
		assert_true(*p >= 0x20);
		p += n;
	}
}

/*
 * The JSON mode's promise: json-c can carry the result, and a strict
 * UTF-8-validating parser reads back exactly it.
 */
static void test_json_valid(void **state)
{
	static const char *const names[] = {
		"\xff\xfe", "\xc3\x28", "\xc0\xaf", "\xed\xa0\x80", "a\xe2\x82",
		"\x1b[31m\n\"\\", "\xf4\x90\x80\x80", "caf\xc3\xa9",
	};
	struct json_tokener *tok;
	struct json_object *obj, *back;
	const char *text;
	size_t i;
	char *e;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		e = ioi_escape_dup(names[i], JSON);
		assert_non_null(e);
		obj = json_object_new_string(e);
		text = json_object_to_json_string_ext(obj,
						      JSON_C_TO_STRING_PLAIN);
		/* Only printable ASCII and valid UTF-8 on the wire. */
		assert_json_text(text);
		tok = json_tokener_new();
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
				       JSON_TOKENER_VALIDATE_UTF8);
		back = json_tokener_parse_ex(tok, text, (int)strlen(text));
		assert_int_equal(json_tokener_get_error(tok),
				 json_tokener_success);
		assert_non_null(back);
		assert_string_equal(json_object_get_string(back), e);
		json_tokener_free(tok);
		json_object_put(back);
		json_object_put(obj);
		free(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_newline),
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_quote_backslash),
		cmocka_unit_test(test_utf8_kept),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_truncated),
		cmocka_unit_test(test_utf8_len),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_fputs),
		cmocka_unit_test(test_exhaustive),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_json_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
