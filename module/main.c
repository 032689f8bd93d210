// SPDX-License-Identifier: GPL-2.0
/*
 * iointercept: confine a workload's file access and encrypt the files it must
 * protect. Module init and exit only; each concern lives in its own file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <iointercept/version.h>

#include "armed.h"
#include "encfile.h"
#include "events.h"
#include "hooks.h"
#include "keys.h"
#include "lock.h"
#include "netlink.h"
#include "policy.h"
#include "shim.h"
#include "stats.h"
#include "sysfs.h"

static int __init ioi_init(void)
{
	int err;

	err = ioi_stats_init(&ioi_stats);
	if (err)
		return err;
	err = ioi_events_init();
	if (err)
		goto err_stats;
	err = ioi_encfile_init();
	if (err)
		goto err_events;
	err = ioi_hooks_init();
	if (err)
		goto err_encfile;
	err = ioi_armed_init();
	if (err)
		goto err_hooks;
	/* After the hooks: the timing switch swaps their handlers. */
	err = ioi_sysfs_init();
	if (err)
		goto err_armed;
	/* Last: once the family exists, requests can arrive. */
	err = ioi_genl_init();
	if (err)
		goto err_sysfs;
	pr_info("version %s loaded\n", IOI_VERSION);
	return 0;

err_sysfs:
	ioi_sysfs_exit();
err_armed:
	ioi_armed_exit();
err_hooks:
	ioi_hooks_exit();
err_encfile:
	ioi_encfile_exit();
err_events:
	ioi_events_stop();
	ioi_events_exit();
err_stats:
	ioi_stats_free(&ioi_stats);
	return err;
}

static void __exit ioi_exit(void)
{
	/* Events are sent through the family: stop them first. */
	ioi_events_stop();
	ioi_genl_exit();
	ioi_sysfs_exit();
	ioi_lock_exit();
	ioi_armed_exit();
	/* No handler runs once this returns; then the policy can go. */
	ioi_hooks_exit();
	ioi_policy_exit();
	ioi_shims_exit();
	ioi_encfile_exit();
	ioi_keys_exit();
	ioi_events_exit();
	ioi_stats_free(&ioi_stats);
	pr_info("unloaded\n");
}

module_init(ioi_init);
module_exit(ioi_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("File access confinement and transparent encryption for confidential VMs");
MODULE_AUTHOR("iointercept developers");
MODULE_VERSION(IOI_VERSION);
