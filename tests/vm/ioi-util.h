/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest's test programs (ioi-fsx, ioi-stress, ioi-crash,
 * ioi-fault) share: the kernel's attribute names, setup errors, and the
 * seeded generator that makes a run replay from its seed.
 */
#ifndef IOI_UTIL_H
#define IOI_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __noreturn	__attribute__((noreturn))

typedef uint64_t u64;
typedef uint32_t u32;

/* A setup error or bad usage, not a failed check: exit status 2. */
static inline void __noreturn __printf(1, 2) die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* splitmix64: tiny, and the same sequence with any libc. */
static inline u64 splitmix(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif /* IOI_UTIL_H */
