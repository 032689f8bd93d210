/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Escaping of bytes an attacker chooses (file names, comms, cgroup names in
 * events) before they are printed. A name may hold any byte but NUL: a
 * newline would forge a line of output, an ESC drive the terminal, a quote
 * end a quoted field early, and invalid UTF-8 make a JSON document invalid.
 *
 * Every escape is made of a backslash and ASCII, and a backslash in the
 * input is always escaped itself, so the output decodes back to the exact
 * input bytes and never holds anything but printable ASCII and valid UTF-8.
 */
#ifndef IOI_CTL_ESCAPE_H
#define IOI_CTL_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Text for a terminal or a log line, to be quoted "...": \n, \t, \\, \"
 * and \xNN for every other byte below 0x20, for DEL, for the C1 controls
 * U+0080..U+009F (their two bytes) and for every byte that is not part of
 * valid UTF-8. Other valid UTF-8 is kept as it is.
 */
#define IOI_ESC_TEXT	0
/* With IOI_ESC_TEXT: a space too (\x20), for a value that is not quoted. */
#define IOI_ESC_SPACE	(1U << 0)
/*
 * A string for json-c, which escapes quotes and control bytes itself but
 * would pass invalid UTF-8 through: only a backslash (\\), every byte that
 * is not part of valid UTF-8 and NUL (\xNN, four ASCII characters) are
 * escaped. The result is valid UTF-8.
 */
#define IOI_ESC_JSON	(1U << 1)

/*
 * The length of the well-formed UTF-8 sequence (Unicode's table 3-7: no
 * overlong form, no surrogate, nothing above U+10FFFF) that starts @s,
 * which has @len bytes: 1 to 4, or 0 if there is none (an invalid or
 * truncated sequence, or @len 0).
 */
size_t ioi_utf8_len(const unsigned char *s, size_t len);

/*
 * Escape the @len bytes at @in as @flags say, into @out of @size bytes,
 * always NUL-terminated if @size > 0, like snprintf(). Returns the length
 * of the whole escaped text, without the NUL; the output was cut short if
 * that is >= @size.
 */
size_t ioi_escape(char *out, size_t size, const void *in, size_t len,
		  unsigned int flags);

/* The escaped @s in a new string, to be freed; NULL if out of memory. */
char *ioi_escape_dup(const char *s, unsigned int flags);

/* Write the escaped @s to @f. Returns 0, or -EIO if @f has an error. */
int ioi_escape_fputs(FILE *f, const char *s, unsigned int flags);

#endif /* IOI_CTL_ESCAPE_H */
