/* SPDX-License-Identifier: GPL-2.0 */
/* Small output helpers shared by the subcommands. */
#ifndef IOI_CTL_UTIL_H
#define IOI_CTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Write @s for a human reader: control bytes and DEL become \xNN and a
 * backslash becomes "\\", so a string from the kernel (a version, later a
 * file name) cannot drive the terminal. Bytes >= 0x80 pass through (UTF-8).
 */
void ioi_fputs_escaped(FILE *f, const char *s);

/* Room for a SHA-256 in hex with its NUL. */
#define IOI_HASH_HEX_SIZE	(2 * 32 + 1)

/* Write @len bytes of @in as lowercase hex, NUL-terminated, to @out. */
void ioi_hex(char *out, const uint8_t *in, size_t len);

/*
 * Decode the 2 * @len hex digits (either case) at @in into @len bytes at
 * @out. Returns 0, or -EINVAL at the first byte that is not a hex digit;
 * @out is then partly written.
 */
int ioi_unhex(uint8_t *out, const char *in, size_t len);

/* Room for any message of ioi_hex_arg(). */
#define IOI_HEX_MSG_SIZE	160

/*
 * Decode @s, hex digits of either case and nothing else, into @out: exactly
 * @size bytes if @exact, else 1 to @size bytes, their count in *@len (may
 * be NULL if @exact). For a build ID, a key identifier, a nonce typed by
 * hand. Returns 0, or -EINVAL with @msg saying what is wrong about @what
 * ("build ID must be 64 hex digits (32 bytes), got 62") and *@bad (may be
 * NULL) the offset in @s of the byte to point at: 0, or the first one that
 * is not a hex digit. @s itself is not copied into @msg, only one bad
 * character, so a secret pasted by mistake is not echoed.
 */
int ioi_hex_arg(const char *what, const char *s, uint8_t *out, size_t size,
		bool exact, size_t *len, size_t *bad,
		char msg[IOI_HEX_MSG_SIZE]);

/*
 * Close the open_memstream() @f that writes to *@text: 0, or -ENOMEM (any
 * write or the close failed) with *@text freed and set to NULL.
 */
int ioi_memstream_close(FILE *f, char **text);

struct json_object;

/*
 * Add @val (may be NULL: allocation failed) to the JSON object @obj; on
 * failure @val is dropped and -ENOMEM returned.
 */
int ioi_json_add(struct json_object *obj, const char *key,
		 struct json_object *val);

/*
 * Print @obj (may be NULL: building it failed) on one line, compact and
 * with "/" unescaped, and drop the reference to it. Returns 0, -ENOMEM or
 * -EIO.
 */
int ioi_json_print(FILE *f, struct json_object *obj);

#endif /* IOI_CTL_UTIL_H */
