// SPDX-License-Identifier: GPL-2.0
/*
 * Sending a probed call to a wrapper in process context (redirect.h), and
 * the per-task record of the wrappers in progress.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

#include "redirect.h"

/*
 * A list, not a table: it holds one entry per task inside a wrapper, and
 * is read by the probes of the functions that are redirected.
 */
static LIST_HEAD(frames);
static DEFINE_SPINLOCK(frames_lock);
/*
 * Entries in the list, so that the probes (every stat on the machine) need
 * not take the lock while no wrapper runs. A task reads its own entries
 * only, which it added itself before: an empty count means none.
 */
static atomic_t nframes = ATOMIC_INIT(0);

bool ioi_redirect(struct pt_regs *regs, void *wrapper)
{
	/* Wrappers run module text for as long as their call sleeps. */
	if (!try_module_get(THIS_MODULE))
		return false;
	instruction_pointer_set(regs, (unsigned long)wrapper);
	return true;
}

void ioi_redirect_end(void)
{
	/*
	 * The few instructions left run before this task next sleeps, so
	 * the synchronize_rcu_tasks() of module exit waits for them.
	 */
	module_put(THIS_MODULE);
}

void ioi_redirect_enter(struct ioi_redirect *r, enum ioi_redirect_kind kind,
			const void *data)
{
	r->task = current;
	r->kind = kind;
	r->data = data;
	spin_lock(&frames_lock);
	list_add(&r->node, &frames);
	atomic_inc(&nframes);
	spin_unlock(&frames_lock);
}

void ioi_redirect_leave(struct ioi_redirect *r)
{
	spin_lock(&frames_lock);
	list_del(&r->node);
	atomic_dec(&nframes);
	spin_unlock(&frames_lock);
}

/*
 * The entry stays valid after the lock drops: it lives on the stack of
 * the current task, which is inside the wrapper below us.
 */
const struct ioi_redirect *ioi_redirect_current(enum ioi_redirect_kind kind)
{
	struct ioi_redirect *r, *found = NULL;

	if (!atomic_read(&nframes))
		return NULL;
	spin_lock(&frames_lock);
	/* Newest first: the innermost wrapper of the task. */
	list_for_each_entry(r, &frames, node) {
		if (r->task == current && r->kind == kind) {
			found = r;
			break;
		}
	}
	spin_unlock(&frames_lock);
	return found;
}
