/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_REDIRECT_H
#define _IOI_REDIRECT_H

#include <linux/list.h>

struct pt_regs;
struct task_struct;

/*
 * Running a probed function's work in process context: the pre-handler
 * sends the call to a wrapper of ours (ioi_redirect()), which runs with
 * the function's own arguments, may sleep, and calls the function itself.
 * docs/design.md has the reasoning.
 *
 * A wrapper records itself for its task (ioi_redirect_enter()) before it
 * calls the function, so that the probe lets that inner call through and
 * so that hooks further down can see what the wrapper found.
 */
enum ioi_redirect_kind {
	IOI_REDIRECT_XATTR,	/* data: the struct path the syscall names */
	IOI_REDIRECT_GETATTR,	/* data: unused */
	IOI_REDIRECT_TRUNCATE,	/* data: the struct path of truncate(2) */
	IOI_REDIRECT_CUT,	/* data: unused */
};

struct ioi_redirect {
	struct list_head node;
	struct task_struct *task;
	enum ioi_redirect_kind kind;
	const void *data;
};

/*
 * From a pre-handler: continue at @wrapper, with the same arguments. False
 * if the module is going away. The wrapper holds a reference on the
 * module, which it drops with ioi_redirect_end().
 */
bool ioi_redirect(struct pt_regs *regs, void *wrapper);
void ioi_redirect_end(void);

void ioi_redirect_enter(struct ioi_redirect *r, enum ioi_redirect_kind kind,
			const void *data);
void ioi_redirect_leave(struct ioi_redirect *r);
/* The current task's innermost redirect of @kind, or NULL. */
const struct ioi_redirect *ioi_redirect_current(enum ioi_redirect_kind kind);

#endif /* _IOI_REDIRECT_H */
