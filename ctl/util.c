// SPDX-License-Identifier: GPL-2.0
/* Small output helpers shared by the subcommands. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util.h"

void ioi_fputs_escaped(FILE *f, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

void ioi_hex(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ioi_unhex(uint8_t *out, const char *in, size_t len)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < len; i++) {
		hi = hex_digit(in[2 * i]);
		lo = hex_digit(in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int ioi_hex_arg(const char *what, const char *s, uint8_t *out, size_t size,
		bool exact, size_t *len, size_t *bad,
		char msg[IOI_HEX_MSG_SIZE])
{
	size_t n = strlen(s), i;
	unsigned char c;

	if (bad)
		*bad = 0;
	/* The length first: it is what a truncated paste gets wrong. */
	if (exact && n != 2 * size) {
		snprintf(msg, IOI_HEX_MSG_SIZE,
			 "%s must be %zu hex digits (%zu bytes), got %zu", what,
			 2 * size, size, n);
		return -EINVAL;
	}
	if (!n) {
		snprintf(msg, IOI_HEX_MSG_SIZE, "%s is empty", what);
		return -EINVAL;
	}
	if (n > 2 * size) {
		snprintf(msg, IOI_HEX_MSG_SIZE,
			 "%s must be at most %zu hex digits (%zu bytes), got %zu",
			 what, 2 * size, size, n);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (hex_digit((char)c) >= 0)
			continue;
		if (bad)
			*bad = i;
		if (c > 0x20 && c < 0x7f)
			snprintf(msg, IOI_HEX_MSG_SIZE,
				 "%s: '%c' (character %zu) is not a hex digit",
				 what, c, i + 1);
		else
			snprintf(msg, IOI_HEX_MSG_SIZE,
				 "%s: byte \\x%02x (character %zu) is not a hex digit",
				 what, c, i + 1);
		return -EINVAL;
	}
	if (n % 2) {
		snprintf(msg, IOI_HEX_MSG_SIZE,
			 "%s has an odd number of hex digits (%zu): a byte takes two",
			 what, n);
		return -EINVAL;
	}
	ioi_unhex(out, s, n / 2);
	if (len)
		*len = n / 2;
	return 0;
}

int ioi_memstream_close(FILE *f, char **text)
{
	int err = ferror(f);

	if (fclose(f) || err) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	return 0;
}

int ioi_json_add(struct json_object *obj, const char *key,
		 struct json_object *val)
{
	if (!val || json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

int ioi_json_print(FILE *f, struct json_object *obj)
{
	const char *text;
	int ret = 0;

	text = obj ? json_object_to_json_string_ext(obj,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	if (!text)
		ret = -ENOMEM;
	else if (fprintf(f, "%s\n", text) < 0 || ferror(f))
		ret = -EIO;
	json_object_put(obj);
	return ret;
}
