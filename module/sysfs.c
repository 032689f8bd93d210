// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/iointercept/: one value per file, each documented in
 * docs/ABI/. Read-only; every change goes through netlink, which checks
 * CAP_NET_ADMIN and answers with an error message.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <iointercept/version.h>

#include "stats.h"
#include "sysfs.h"

static struct kobject *ioi_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", IOI_VERSION);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

static struct attribute *ioi_attrs[] = {
	&version_attr.attr,
	NULL
};

static const struct attribute_group ioi_group = {
	.attrs = ioi_attrs,
};

/* stats/: one file per counter, named as in docs/ABI/. */
struct ioi_stat_attr {
	struct kobj_attribute kattr;
	enum ioi_stat stat;
};

static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct ioi_stat_attr *sa = container_of(attr, struct ioi_stat_attr,
						kattr);

	return sysfs_emit(buf, "%llu\n", ioi_stats_read(&ioi_stats, sa->stat));
}

#define IOI_STAT_ATTR(_name, _stat)					\
	static struct ioi_stat_attr stat_attr_##_name = {		\
		.kattr = __ATTR(_name, 0444, stat_show, NULL),		\
		.stat = _stat,						\
	}

IOI_STAT_ATTR(netlink_requests, IOI_STAT_NETLINK_REQUESTS);
IOI_STAT_ATTR(allowed, IOI_STAT_ALLOWED);
IOI_STAT_ATTR(denied, IOI_STAT_DENIED);
IOI_STAT_ATTR(audited, IOI_STAT_AUDITED);
IOI_STAT_ATTR(exdev, IOI_STAT_EXDEV);

static struct attribute *ioi_stat_attrs[] = {
	&stat_attr_netlink_requests.kattr.attr,
	&stat_attr_allowed.kattr.attr,
	&stat_attr_denied.kattr.attr,
	&stat_attr_audited.kattr.attr,
	&stat_attr_exdev.kattr.attr,
	NULL
};

static const struct attribute_group ioi_stats_group = {
	.name = "stats",
	.attrs = ioi_stat_attrs,
};

static const struct attribute_group *ioi_groups[] = {
	&ioi_group,
	&ioi_stats_group,
	NULL
};

int __init ioi_sysfs_init(void)
{
	int err;

	ioi_kobj = kobject_create_and_add(KBUILD_MODNAME, kernel_kobj);
	if (!ioi_kobj)
		return -ENOMEM;
	err = sysfs_create_groups(ioi_kobj, ioi_groups);
	if (err)
		goto err_put;
	return 0;

err_put:
	kobject_put(ioi_kobj);
	ioi_kobj = NULL;
	return err;
}

void ioi_sysfs_exit(void)
{
	sysfs_remove_groups(ioi_kobj, ioi_groups);
	kobject_put(ioi_kobj);
	ioi_kobj = NULL;
}
