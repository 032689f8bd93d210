/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Path patterns of the policy (docs/policy.md): pure functions, no
 * allocation, no recursion, no locks. The same file is compiled into
 * iointercept.ko and into ioctl-cli, so the module accepts exactly the
 * patterns the tool does.
 */
#ifndef _IOI_MATCH_H
#define _IOI_MATCH_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

/*
 * Check that @pat (NUL-terminated, at most IOI_PATTERN_MAX bytes with the
 * NUL) is a valid pattern. Returns 0, or -EINVAL with *@offset set to the
 * byte offset of the problem in @pat and *@why to a short reason ("empty
 * path component", "'..' component", ...), both for the user.
 */
int ioi_pattern_check(const char *pat, size_t *offset, const char **why);

/*
 * Does the valid pattern @pat match the absolute, normalised @path (no
 * "//", no "." or ".." components, no trailing '/' except for "/")?
 * Worst case O(strlen(pat) * strlen(path)) steps, constant stack.
 */
bool ioi_pattern_match(const char *pat, const char *path);

/*
 * Length of the literal prefix of @pat: the bytes before its first
 * metacharacter ('*', '?' or '['), cut back to just before the '/' that
 * starts the component holding it; all of @pat if it has none. Every path
 * @pat matches starts with these bytes and, when the prefix is shorter than
 * @pat, either ends there or goes on with a '/' ("/dir" and a "**"
 * component match "/dir" itself). Examples: 12 for "/data/models/[a-z].pt",
 * 11 for "/etc/passwd", 0 when the first component holds a metacharacter.
 */
size_t ioi_pattern_prefix_len(const char *pat);

#endif /* _IOI_MATCH_H */
