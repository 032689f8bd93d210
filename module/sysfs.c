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
#include <iointercept/attest.h>
#include <iointercept/version.h>

#include "armed.h"
#include "attest.h"
#include "lock.h"
#include "policy.h"
#include "stats.h"
#include "sysfs.h"

static_assert(ARRAY_SIZE(ioi_tee_names) == IOI_TEE_TDX + 1);
static_assert(ARRAY_SIZE(ioi_module_sig_names) == IOI_MODULE_SIG_UNVERIFIED + 1);

static struct kobject *ioi_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", IOI_VERSION);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

/* Absent values read "none", as in the measurement's text. */
static ssize_t hex_or_none(char *buf, bool known, const u8 *bytes, int len)
{
	if (!known)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%*phN\n", len, bytes);
}

static ssize_t build_id_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	u8 id[IOI_BUILD_ID_SIZE];

	return hex_or_none(buf, ioi_build_id(id), id, sizeof(id));
}

static struct kobj_attribute build_id_attr = __ATTR_RO(build_id);

static ssize_t policy_hash_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	u8 hash[IOI_POLICY_HASH_LEN];

	return hex_or_none(buf, ioi_policy_hash(hash), hash, sizeof(hash));
}

static struct kobj_attribute policy_hash_attr = __ATTR_RO(policy_hash);

static ssize_t measurement_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	u8 m[IOI_MEASUREMENT_SIZE];

	ioi_measure(m);
	return hex_or_none(buf, true, m, sizeof(m));
}

static struct kobj_attribute measurement_attr = __ATTR_RO(measurement);

static ssize_t locked_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", ioi_locked());
}

static struct kobj_attribute locked_attr = __ATTR_RO(locked);

static ssize_t hooks_armed_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", ioi_hooks_armed());
}

static struct kobj_attribute hooks_armed_attr = __ATTR_RO(hooks_armed);

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	int mode = ioi_policy_mode();

	return sysfs_emit(buf, "%s\n", mode < 0 ? "none" :
			  mode == IOI_MODE_AUDIT ? "audit" : "enforce");
}

static struct kobj_attribute mode_attr = __ATTR_RO(mode);

static ssize_t tee_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%s\n", ioi_tee_names[ioi_tee()]);
}

static struct kobj_attribute tee_attr = __ATTR_RO(tee);

static ssize_t module_sig_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", ioi_module_sig_names[ioi_module_sig()]);
}

static struct kobj_attribute module_sig_attr = __ATTR_RO(module_sig);

static ssize_t timing_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", static_key_enabled(&ioi_timing));
}

/* The one file that changes anything: a diagnostic switch, root only. */
static ssize_t timing_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	bool on;
	int err;

	/* It swaps the probes' handlers: no longer ours to change. */
	if (ioi_locked())
		return -EPERM;
	err = kstrtobool(buf, &on);
	if (err)
		return err;
	ioi_timing_set(on);
	return count;
}

static struct kobj_attribute timing_attr = __ATTR_RW_MODE(timing, 0600);

static struct attribute *ioi_attrs[] = {
	&version_attr.attr,
	&build_id_attr.attr,
	&policy_hash_attr.attr,
	&measurement_attr.attr,
	&locked_attr.attr,
	&hooks_armed_attr.attr,
	&mode_attr.attr,
	&tee_attr.attr,
	&module_sig_attr.attr,
	&timing_attr.attr,
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
IOI_STAT_ATTR(allowed_read, IOI_STAT_ALLOWED_READ);
IOI_STAT_ATTR(denied_read, IOI_STAT_DENIED_READ);
IOI_STAT_ATTR(allowed_write, IOI_STAT_ALLOWED_WRITE);
IOI_STAT_ATTR(denied_write, IOI_STAT_DENIED_WRITE);
IOI_STAT_ATTR(allowed_exec, IOI_STAT_ALLOWED_EXEC);
IOI_STAT_ATTR(denied_exec, IOI_STAT_DENIED_EXEC);
IOI_STAT_ATTR(allowed_create, IOI_STAT_ALLOWED_CREATE);
IOI_STAT_ATTR(denied_create, IOI_STAT_DENIED_CREATE);
IOI_STAT_ATTR(allowed_delete, IOI_STAT_ALLOWED_DELETE);
IOI_STAT_ATTR(denied_delete, IOI_STAT_DENIED_DELETE);
IOI_STAT_ATTR(allowed_setattr, IOI_STAT_ALLOWED_SETATTR);
IOI_STAT_ATTR(denied_setattr, IOI_STAT_DENIED_SETATTR);
IOI_STAT_ATTR(denied_privileged, IOI_STAT_DENIED_PRIVILEGED);
IOI_STAT_ATTR(hook_hits, IOI_STAT_HOOK_HITS);
IOI_STAT_ATTR(encrypted_bytes, IOI_STAT_ENCRYPTED_BYTES);
IOI_STAT_ATTR(decrypted_bytes, IOI_STAT_DECRYPTED_BYTES);
IOI_STAT_ATTR(encrypted_open, IOI_STAT_ENCRYPTED_OPEN);
IOI_STAT_ATTR(integrity_failures, IOI_STAT_INTEGRITY_FAILURES);
IOI_STAT_ATTR(plaintext_refused, IOI_STAT_PLAINTEXT_REFUSED);
IOI_STAT_ATTR(nokey, IOI_STAT_NOKEY);
IOI_STAT_ATTR(events_emitted, IOI_STAT_EVENTS_EMITTED);
IOI_STAT_ATTR(events_dropped, IOI_STAT_EVENTS_DROPPED);
IOI_STAT_ATTR(events_suppressed, IOI_STAT_EVENTS_SUPPRESSED);
IOI_STAT_ATTR(timing_hook_ns, IOI_STAT_TIMING_HOOK_NS);
IOI_STAT_ATTR(timing_hook_calls, IOI_STAT_TIMING_HOOK_CALLS);
IOI_STAT_ATTR(timing_crypt_ns, IOI_STAT_TIMING_CRYPT_NS);
IOI_STAT_ATTR(timing_crypt_calls, IOI_STAT_TIMING_CRYPT_CALLS);

static struct attribute *ioi_stat_attrs[] = {
	&stat_attr_netlink_requests.kattr.attr,
	&stat_attr_allowed.kattr.attr,
	&stat_attr_denied.kattr.attr,
	&stat_attr_audited.kattr.attr,
	&stat_attr_exdev.kattr.attr,
	&stat_attr_allowed_read.kattr.attr,
	&stat_attr_denied_read.kattr.attr,
	&stat_attr_allowed_write.kattr.attr,
	&stat_attr_denied_write.kattr.attr,
	&stat_attr_allowed_exec.kattr.attr,
	&stat_attr_denied_exec.kattr.attr,
	&stat_attr_allowed_create.kattr.attr,
	&stat_attr_denied_create.kattr.attr,
	&stat_attr_allowed_delete.kattr.attr,
	&stat_attr_denied_delete.kattr.attr,
	&stat_attr_allowed_setattr.kattr.attr,
	&stat_attr_denied_setattr.kattr.attr,
	&stat_attr_denied_privileged.kattr.attr,
	&stat_attr_hook_hits.kattr.attr,
	&stat_attr_encrypted_bytes.kattr.attr,
	&stat_attr_decrypted_bytes.kattr.attr,
	&stat_attr_encrypted_open.kattr.attr,
	&stat_attr_integrity_failures.kattr.attr,
	&stat_attr_plaintext_refused.kattr.attr,
	&stat_attr_nokey.kattr.attr,
	&stat_attr_events_emitted.kattr.attr,
	&stat_attr_events_dropped.kattr.attr,
	&stat_attr_events_suppressed.kattr.attr,
	&stat_attr_timing_hook_ns.kattr.attr,
	&stat_attr_timing_hook_calls.kattr.attr,
	&stat_attr_timing_crypt_ns.kattr.attr,
	&stat_attr_timing_crypt_calls.kattr.attr,
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
