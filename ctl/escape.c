// SPDX-License-Identifier: GPL-2.0
/* Escaping of attacker-chosen bytes for text and JSON output. See escape.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

static bool cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t ioi_utf8_len(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;	/* range of the second byte */
	size_t n, i;

	if (!len)
		return 0;
	if (s[0] < 0x80)
		return 1;
	/* C0, C1: overlong two-byte forms; F5..FF: beyond U+10FFFF. */
	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	if (s[0] < 0xe0)
		n = 2;
	else if (s[0] < 0xf0)
		n = 3;
	else
		n = 4;
	/* The lead bytes whose second byte is restricted. */
	switch (s[0]) {
	case 0xe0:	/* overlong */
		lo = 0xa0;
		break;
	case 0xed:	/* U+D800..U+DFFF, surrogates */
		hi = 0x9f;
		break;
	case 0xf0:	/* overlong */
		lo = 0x90;
		break;
	case 0xf4:	/* above U+10FFFF */
		hi = 0x8f;
		break;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (!cont(s[i]))
			return 0;
	return n;
}

/*
 * Where the escaped text goes: to @f, or as much as fits in @out, counting
 * what it needs.
 */
struct sink {
	FILE *f;
	char *out;
	size_t size;
	size_t len;
};

static void put(struct sink *k, const char *s, size_t n)
{
	size_t room;

	if (k->f) {
		fwrite(s, 1, n, k->f);
	} else if (k->len < k->size) {
		room = k->size - k->len;
		memcpy(k->out + k->len, s, n < room ? n : room);
	}
	k->len += n;
}

static void put_hex(struct sink *k, unsigned char c)
{
	static const char digits[] = "0123456789abcdef";
	char e[4] = { '\\', 'x', digits[c >> 4], digits[c & 0xf] };

	put(k, e, sizeof(e));
}

/* One byte below 0x80 in text: a C escape, \xNN, or itself. */
static void put_ascii_text(struct sink *k, unsigned char c,
			   unsigned int flags)
{
	switch (c) {
	case '\n':
		put(k, "\\n", 2);
		return;
	case '\t':
		put(k, "\\t", 2);
		return;
	case '\\':
		put(k, "\\\\", 2);
		return;
	case '"':
		put(k, "\\\"", 2);
		return;
	case ' ':
		if (flags & IOI_ESC_SPACE) {
			put_hex(k, c);
			return;
		}
		break;
	}
	if (c < 0x20 || c == 0x7f)
		put_hex(k, c);
	else
		put(k, (const char *)&c, 1);
}

static void escape(struct sink *k, const unsigned char *p, size_t len,
		   unsigned int flags)
{
	const unsigned char *end = p + len;
	size_t n;

	while (p < end) {
		n = ioi_utf8_len(p, (size_t)(end - p));
		if (n == 0) {
			/* Not UTF-8: this byte alone, resync on the next. */
			put_hex(k, *p++);
		} else if (n > 1) {
			/* U+0080..U+009F: C1 controls, CSI among them. */
			if (!(flags & IOI_ESC_JSON) && p[0] == 0xc2 &&
			    p[1] < 0xa0) {
				put_hex(k, p[0]);
				put_hex(k, p[1]);
			} else {
				put(k, (const char *)p, n);
			}
			p += n;
		} else if (flags & IOI_ESC_JSON) {
			/* A NUL would end json-c's string. */
			if (*p == '\\')
				put(k, "\\\\", 2);
			else if (*p == '\0')
				put_hex(k, *p);
			else
				put(k, (const char *)p, 1);
			p++;
		} else {
			put_ascii_text(k, *p++, flags);
		}
	}
}

size_t ioi_escape(char *out, size_t size, const void *in, size_t len,
		  unsigned int flags)
{
	struct sink k = { .out = out, .size = size };

	escape(&k, in, len, flags);
	if (size)
		out[k.len < size ? k.len : size - 1] = '\0';
	return k.len;
}

char *ioi_escape_dup(const char *s, unsigned int flags)
{
	size_t len = strlen(s), n;
	char *out;

	n = ioi_escape(NULL, 0, s, len, flags);
	out = malloc(n + 1);
	if (out)
		ioi_escape(out, n + 1, s, len, flags);
	return out;
}

int ioi_escape_fputs(FILE *f, const char *s, unsigned int flags)
{
	struct sink k = { .f = f };

	escape(&k, (const unsigned char *)s, strlen(s), flags);
	return ferror(f) ? -EIO : 0;
}
