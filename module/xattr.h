/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_XATTR_H
#define _IOI_XATTR_H

struct dentry;
struct kprobe;
struct path;

/* The probes on the xattr syscalls, registered with the hooks'. */
struct kprobe *ioi_xattr_kprobes(unsigned int *n);
/*
 * The path the current task's xattr syscall resolved, if @dentry is its
 * file; otherwise NULL, and the change must be refused.
 */
const struct path *ioi_xattr_path(const struct dentry *dentry);

#endif /* _IOI_XATTR_H */
