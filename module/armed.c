// SPDX-License-Identifier: GPL-2.0
/*
 * Are the hooks armed? Root can switch every kprobe off behind a module's
 * back (debugfs kprobes/enabled, sysctl kernel.ftrace_enabled) and nothing
 * tells the module. So one more probe sits on a function of ours that does
 * nothing, placed as the hooks are (a function's first instruction, an
 * ftrace call site), and we call that function: if its probe did not run,
 * the hooks would not either. Checked once a second and whenever the state
 * is read (sysfs, status, the measurement); a change is logged and raised
 * as an event. docs/attestation.md, "Hooks stay armed".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "armed.h"
#include "events.h"
#include "hooks.h"

static bool canary_fired;
static DEFINE_MUTEX(armed_lock);
static bool armed_reported = true;

static void poll(struct work_struct *work);
static DECLARE_DELAYED_WORK(poll_work, poll);

/* Not inlined, and not pure: the call must happen, through its own fentry. */
noinline void ioi_canary(void)
{
	asm volatile("");
}

static int canary_pre(struct kprobe *kp, struct pt_regs *regs)
{
	WRITE_ONCE(canary_fired, true);
	return 0;
}

static struct kprobe canary_kp = {
	.addr = (kprobe_opcode_t *)ioi_canary,
	.pre_handler = canary_pre,
};

static void report(bool armed, const char *why)
{
	struct ioi_event ev = {
		.type = armed ? IOI_EVENT_HOOKS_ARMED : IOI_EVENT_HOOKS_DISARMED,
		.op = "hooks", .rule = -1, .detail = why,
	};

	if (armed)
		pr_info("hooks armed again\n");
	else
		pr_crit("hooks disarmed (%s): nothing is confined or encrypted until they are armed again\n",
			why);
	ioi_event(&ev);
}

bool ioi_hooks_armed(void)
{
	const char *why = NULL;
	const char *probe;

	mutex_lock(&armed_lock);
	WRITE_ONCE(canary_fired, false);
	ioi_canary();
	if (!READ_ONCE(canary_fired) || kprobe_disabled(&canary_kp))
		why = "the canary probe did not fire";
	else if (!ioi_hooks_enabled(&probe))
		why = probe;
	if (!why != armed_reported) {
		armed_reported = !why;
		report(!why, why);
	}
	mutex_unlock(&armed_lock);
	return !why;
}

static void poll(struct work_struct *work)
{
	ioi_hooks_armed();
	queue_delayed_work(system_power_efficient_wq, &poll_work,
			   round_jiffies_relative(HZ));
}

int __init ioi_armed_init(void)
{
	int err = register_kprobe(&canary_kp);

	if (err) {
		pr_err("cannot probe the canary (%d)\n", err);
		return err;
	}
	/* Else it would not see ftrace_enabled=0 as the hooks do. */
	if (!kprobe_ftrace(&canary_kp))
		pr_warn("the canary probe is not on ftrace: ftrace_enabled=0 would go unnoticed\n");
	if (!ioi_hooks_armed())
		pr_warn("loaded with the hooks disarmed\n");
	queue_delayed_work(system_power_efficient_wq, &poll_work,
			   round_jiffies_relative(HZ));
	return 0;
}

void ioi_armed_exit(void)
{
	cancel_delayed_work_sync(&poll_work);
	unregister_kprobe(&canary_kp);
}
