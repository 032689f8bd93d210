// SPDX-License-Identifier: GPL-2.0
/*
 * Lock: from IOI_CMD_LOCK until reboot, no change of policy, keys or build
 * ID, and no unloading (docs/attestation.md, "Lock"). The flag only ever
 * goes one way. What makes it hold: netlink.c refuses the changes; a
 * module reference makes rmmod fail; hooks.c refuses a forced rmmod; and
 * an ftrace_ops marked permanent makes the kernel refuse
 * ftrace_enabled=0, which would silently stop every probe.
 *
 * Changes are serialised by the genl mutex (the family is not
 * parallel_ops), so prepare and commit need no lock of their own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/module.h>
#include <net/netlink.h>

#include "armed.h"
#include "lock.h"

static bool locked;
static bool ops_registered;

static void noop(unsigned long ip, unsigned long parent_ip,
		 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
}

/* On the canary, which runs once a second: it costs nothing elsewhere. */
static struct ftrace_ops permanent_ops = {
	.func = noop,
	.flags = FTRACE_OPS_FL_PERMANENT,
};

bool ioi_locked(void)
{
	return READ_ONCE(locked);
}

bool ioi_refuse_locked(struct netlink_ext_ack *extack)
{
	if (!ioi_locked())
		return false;
	NL_SET_ERR_MSG(extack, "locked until reboot");
	return true;
}

int ioi_lock_prepare(struct netlink_ext_ack *extack)
{
	int err;

	if (ioi_locked())
		return 0;
	/* A locked, unconfined system would attest to nothing. */
	if (!ioi_hooks_armed()) {
		NL_SET_ERR_MSG(extack, "the hooks are not armed: refusing to lock");
		return -EBUSY;
	}
	err = ftrace_set_filter_ip(&permanent_ops, (unsigned long)ioi_canary,
				   0, 0);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot set up the ftrace_ops that keeps ftrace on");
		return err;
	}
	err = register_ftrace_function(&permanent_ops);
	if (err) {
		if (err == -EBUSY)
			NL_SET_ERR_MSG(extack,
				       "ftrace is off (kernel.ftrace_enabled=0): refusing to lock");
		else
			NL_SET_ERR_MSG(extack,
				       "cannot register the ftrace_ops that keeps ftrace on");
		ftrace_free_filter(&permanent_ops);
		return err;
	}
	ops_registered = true;
	return 0;
}

void ioi_lock_commit(void)
{
	if (ioi_locked())
		return;
	WRITE_ONCE(locked, true);
	/* Dropped never: rmmod now fails with EBUSY. */
	__module_get(THIS_MODULE);
	pr_notice("locked until reboot\n");
}

static void drop_ops(void)
{
	if (!ops_registered)
		return;
	unregister_ftrace_function(&permanent_ops);
	ftrace_free_filter(&permanent_ops);
	ops_registered = false;
}

void ioi_lock_abort(void)
{
	if (!ioi_locked())
		drop_ops();
}

/*
 * Only a forced unload with the probes disarmed (which cannot be refused)
 * gets here locked; the ops must not outlive the function it is on.
 */
void ioi_lock_exit(void)
{
	drop_ops();
}
