/* SPDX-License-Identifier: GPL-2.0 */
/* Small output helpers shared by the subcommands. */
#ifndef IOI_CTL_UTIL_H
#define IOI_CTL_UTIL_H

#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Write @s for a human reader: control bytes and DEL become \xNN and a
 * backslash becomes "\\", so a string from the kernel (a version, later a
 * file name) cannot drive the terminal. Bytes >= 0x80 pass through (UTF-8).
 */
void ioi_fputs_escaped(FILE *f, const char *s);

#endif /* IOI_CTL_UTIL_H */
