/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_ENCSIZE_H
#define _IOI_ENCSIZE_H

#include <linux/types.h>

struct file;
struct kprobe;

/* The probes on truncate and getattr, registered with the hooks'. */
struct kprobe *ioi_encsize_kprobes(unsigned int *n);

/*
 * Cut the stored file of @file, open through a shim, at @lower_size, as
 * truncate would but for our own use: a write that failed part way
 * leaves nothing past what it says it wrote. Takes the inode's lock.
 */
int ioi_lower_cut(struct file *file, loff_t lower_size);

#endif /* _IOI_ENCSIZE_H */
