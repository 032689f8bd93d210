// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "iointercept": the only way to change the module's
 * state. The attribute trees are documented in the uapi header; each command
 * has its own strict policy so an attribute it does not take is an error
 * with a message, never silently ignored.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <linux/iointercept.h>
#include <iointercept/version.h>

#include "armed.h"
#include "attest.h"
#include "encfile.h"
#include "events.h"
#include "hooks.h"
#include "keys.h"
#include "lock.h"
#include "netlink.h"
#include "policy.h"
#include "stats.h"

static struct genl_family ioi_genl_family;

/*
 * One policy per request shape. Every attribute a command does not take is
 * NLA_REJECT with a message naming what it does take; the tables are
 * filled in at init because an initializer cannot first reject every
 * attribute and then accept some without -Woverride-init.
 */
static struct nla_policy ioi_no_attrs_policy[IOI_A_MAX + 1] __ro_after_init;
static struct nla_policy ioi_policy_set_policy[IOI_A_MAX + 1] __ro_after_init;
static struct nla_policy ioi_key_add_policy[IOI_A_MAX + 1] __ro_after_init;
static struct nla_policy ioi_key_remove_policy[IOI_A_MAX + 1] __ro_after_init;
static struct nla_policy ioi_build_id_policy[IOI_A_MAX + 1] __ro_after_init;

static void __init reject_all(struct nla_policy *pol, const char *msg)
{
	int i;

	for (i = 0; i <= IOI_A_MAX; i++) {
		pol[i].type = NLA_REJECT;
		pol[i].reject_message = msg;
	}
}

/* memcpy: struct nla_policy has const members, so no assignment. */
static void __init accept(struct nla_policy *pol, int attr,
			  const struct nla_policy *how)
{
	memcpy(&pol[attr], how, sizeof(*how));
}

static void __init init_policies(void)
{
	static const struct nla_policy build_id =
		NLA_POLICY_EXACT_LEN(IOI_BUILD_ID_SIZE);
	static const struct nla_policy policy =
		NLA_POLICY_NESTED(ioi_policy_nl_policy);
	static const struct nla_policy key_raw =
		NLA_POLICY_EXACT_LEN(IOI_KEY_SIZE);
	static const struct nla_policy key_id =
		NLA_POLICY_EXACT_LEN(IOI_KEY_ID_SIZE);
	static const struct nla_policy flag = { .type = NLA_FLAG };

	reject_all(ioi_no_attrs_policy, "this command takes no attributes");
	reject_all(ioi_policy_set_policy,
		   "POLICY_SET takes IOI_A_POLICY, IOI_A_BUILD_ID and IOI_A_LOCK only");
	accept(ioi_policy_set_policy, IOI_A_POLICY, &policy);
	accept(ioi_policy_set_policy, IOI_A_BUILD_ID, &build_id);
	accept(ioi_policy_set_policy, IOI_A_LOCK, &flag);
	reject_all(ioi_key_add_policy, "KEY_ADD takes IOI_A_KEY_RAW only");
	accept(ioi_key_add_policy, IOI_A_KEY_RAW, &key_raw);
	reject_all(ioi_key_remove_policy, "KEY_REMOVE takes IOI_A_KEY_ID only");
	accept(ioi_key_remove_policy, IOI_A_KEY_ID, &key_id);
	reject_all(ioi_build_id_policy,
		   "BUILD_ID_SET takes IOI_A_BUILD_ID only");
	accept(ioi_build_id_policy, IOI_A_BUILD_ID, &build_id);
}

static int ioi_put_stats(struct sk_buff *msg)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, IOI_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = IOI_STAT_UNSPEC + 1; i <= IOI_STAT_MAX; i++) {
		if (nla_put_u64_64bit(msg, i, ioi_stats_read(&ioi_stats, i),
				      IOI_STAT_UNSPEC)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* @armed: whether the hooks were armed in the state measured. */
static int put_measurement_armed(struct sk_buff *msg, bool *armed)
{
	u8 m[IOI_MEASUREMENT_SIZE];

	*armed = ioi_measure(m);
	return nla_put(msg, IOI_A_MEASUREMENT, sizeof(m), m);
}

static int put_measurement(struct sk_buff *msg)
{
	bool armed;

	return put_measurement_armed(msg, &armed);
}

static int put_attest(struct sk_buff *msg)
{
	u8 id[IOI_BUILD_ID_SIZE];
	bool armed;

	/* The flag and the measurement beside it say the same. */
	if (put_measurement_armed(msg, &armed) ||
	    (ioi_build_id(id) &&
	     nla_put(msg, IOI_A_BUILD_ID, sizeof(id), id)) ||
	    nla_put_u8(msg, IOI_A_LOCKED, ioi_locked()) ||
	    nla_put_u8(msg, IOI_A_HOOKS_ARMED, armed) ||
	    nla_put_u8(msg, IOI_A_TEE, ioi_tee()) ||
	    nla_put_u8(msg, IOI_A_MODULE_SIG, ioi_module_sig()))
		return -EMSGSIZE;
	return 0;
}

static int ioi_nl_status_get(struct sk_buff *skb, struct genl_info *info)
{
	u8 hash[IOI_POLICY_HASH_LEN];
	struct sk_buff *msg;
	bool loaded;
	void *hdr;
	int err;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ioi_genl_family, 0,
				IOI_CMD_STATUS_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	loaded = ioi_policy_hash(hash);
	if (nla_put_string(msg, IOI_A_VERSION, IOI_VERSION) ||
	    nla_put_u8(msg, IOI_A_POLICY_LOADED, loaded) ||
	    (loaded &&
	     nla_put(msg, IOI_A_POLICY_HASH, IOI_POLICY_HASH_LEN, hash))) {
		err = -EMSGSIZE;
		goto err_free;
	}
	err = ioi_put_stats(msg);
	if (!err)
		err = put_attest(msg);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/* A reply of one part, @put: the stats, the key list. */
/*
 * A reply made in two steps, for a request that changes something: made
 * before the change, so that once the change is in, nothing can fail.
 */
static struct sk_buff *reply_new(struct genl_info *info, u8 cmd, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &ioi_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info,
		      int (*put)(struct sk_buff *msg))
{
	if (put(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int put_reply(struct genl_info *info, u8 cmd,
		     int (*put)(struct sk_buff *msg))
{
	struct sk_buff *msg;
	void *hdr;

	msg = reply_new(info, cmd, &hdr);
	return msg ? reply_send(msg, hdr, info, put) : -ENOMEM;
}

static int ioi_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	return put_reply(info, IOI_CMD_STATS_GET, ioi_put_stats);
}

/* A change of configuration, as an event: who made it, and to what. */
static void config_event(enum ioi_event_type type, const char *op,
			 const char *fmt, const u8 *bytes, int len)
{
	struct ioi_event ev = { .type = type, .op = op, .rule = -1 };
	char detail[80];

	if (fmt) {
		snprintf(detail, sizeof(detail), fmt, len, bytes);
		ev.detail = detail;
	}
	ioi_event(&ev);
}

static void set_build_id(const u8 id[IOI_BUILD_ID_SIZE])
{
	ioi_build_id_set(id);
	pr_info("build ID %*phN\n", IOI_BUILD_ID_SIZE, id);
	config_event(IOI_EVENT_BUILD_ID, "build-id", "build-id:%*phN", id,
		     IOI_BUILD_ID_SIZE);
}

static void lock_commit(void)
{
	u8 m[IOI_MEASUREMENT_SIZE];

	if (ioi_locked())
		return;
	ioi_lock_commit();
	ioi_measure(m);
	config_event(IOI_EVENT_LOCK, "lock", "measurement:%*phN", m,
		     IOI_MEASUREMENT_SIZE);
}

/*
 * The policy, the keys and the build ID are changed from outside the
 * confinement only, and not at all once locked.
 */
static bool refuse_change(struct genl_info *info)
{
	if (ioi_current_confined()) {
		NL_SET_ERR_MSG(info->extack,
			       "a confined task cannot change the policy or the keys");
		return true;
	}
	return ioi_refuse_locked(info->extack);
}

/* require-tee: keys only in a confidential guest. */
static bool refuse_key(struct genl_info *info)
{
	if (refuse_change(info))
		return true;
	if (!ioi_policy_requires_tee() || ioi_tee() != IOI_TEE_NONE)
		return false;
	NL_SET_ERR_MSG(info->extack, "require-tee: not a confidential guest");
	return true;
}

/* A policy saying require-tee cannot come after keys loaded outside one. */
static int check_require_tee(const struct ioi_policy *p, struct genl_info *info)
{
	u8 id[IOI_KEY_ID_SIZE];

	if (!p->require_tee || ioi_tee() != IOI_TEE_NONE ||
	    ioi_key_active(id) == -ENOKEY)
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "require-tee: keys are loaded and this is not a confidential guest");
	return -EPERM;
}

static int ioi_nl_policy_set(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *build_id = info->attrs[IOI_A_BUILD_ID];
	bool lock = nla_get_flag(info->attrs[IOI_A_LOCK]);
	struct ioi_policy *p;
	struct sk_buff *msg;
	void *hdr;
	int err;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_change(info))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, IOI_A_POLICY)) {
		NL_SET_ERR_MSG(info->extack, "POLICY_SET needs IOI_A_POLICY");
		return -EINVAL;
	}
	/* Allocate the reply first: once the policy is in, we cannot fail. */
	msg = genlmsg_new(nla_total_size(IOI_POLICY_HASH_LEN), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ioi_genl_family, 0,
				IOI_CMD_POLICY_SET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_msg;
	}
	p = ioi_policy_from_nl(info->attrs[IOI_A_POLICY], info->extack);
	if (IS_ERR(p)) {
		err = PTR_ERR(p);
		goto err_msg;
	}
	err = check_require_tee(p, info);
	if (err)
		goto err_policy;
	if (nla_put(msg, IOI_A_POLICY_HASH, IOI_POLICY_HASH_LEN, p->hash)) {
		err = -EMSGSIZE;
		goto err_policy;
	}
	/* The last step that can fail: then all of it happens, or none. */
	if (lock) {
		err = ioi_lock_prepare(info->extack);
		if (err)
			goto err_policy;
	}
	ioi_policy_install(p);
	pr_info("policy loaded: %u access rules, %u encrypt rules, sha256 %*phN\n",
		p->access.n, p->encrypt.n, 8, p->hash);
	config_event(IOI_EVENT_POLICY_LOAD, "load-policy", "sha256:%*phN",
		     p->hash, IOI_POLICY_HASH_LEN);
	if (build_id)
		set_build_id(nla_data(build_id));
	if (lock)
		lock_commit();
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_policy:
	ioi_policy_free(p);
err_msg:
	nlmsg_free(msg);
	return err;
}

static int policy_get_reply(const struct ioi_policy *p, void *arg)
{
	struct genl_info *info = arg;
	struct sk_buff *msg;
	void *hdr;

	if (!p) {
		NL_SET_ERR_MSG(info->extack, "no policy loaded");
		return -ENOENT;
	}
	msg = genlmsg_new(IOI_POLICY_TEXT_MAX + NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ioi_genl_family, 0,
				IOI_CMD_POLICY_GET);
	if (!hdr || ioi_policy_put_nl(msg, p) ||
	    nla_put(msg, IOI_A_POLICY_HASH, IOI_POLICY_HASH_LEN, p->hash)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int ioi_nl_policy_get(struct sk_buff *skb, struct genl_info *info)
{
	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	return ioi_policy_with(policy_get_reply, info);
}

static int ioi_nl_policy_del(struct sk_buff *skb, struct genl_info *info)
{
	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_change(info))
		return -EPERM;
	if (!ioi_policy_loaded()) {
		NL_SET_ERR_MSG(info->extack, "no policy loaded");
		return -ENOENT;
	}
	ioi_policy_install(NULL);
	pr_info("policy unloaded\n");
	config_event(IOI_EVENT_POLICY_UNLOAD, "unload-policy", NULL, NULL, 0);
	return 0;
}

/* The reply to KEY_ADD and KEY_GENERATE: the new key's identifier. */
static int key_id_reply(struct sk_buff *msg, void *hdr, struct genl_info *info,
			const u8 id[IOI_KEY_ID_SIZE])
{
	if (nla_put(msg, IOI_A_KEY_ID, IOI_KEY_ID_SIZE, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int ioi_nl_key_add(struct sk_buff *skb, struct genl_info *info)
{
	u8 *raw, id[IOI_KEY_ID_SIZE];
	struct sk_buff *msg;
	void *hdr;
	int err;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_key(info))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, IOI_A_KEY_RAW)) {
		NL_SET_ERR_MSG(info->extack, "KEY_ADD needs IOI_A_KEY_RAW");
		return -EINVAL;
	}
	raw = nla_data(info->attrs[IOI_A_KEY_RAW]);
	msg = reply_new(info, IOI_CMD_KEY_ADD, &hdr);
	err = msg ? ioi_key_add(raw, false, id, info->extack) : -ENOMEM;
	/* The request is ours until it is freed: leave no copy behind. */
	memzero_explicit(raw, IOI_KEY_SIZE);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	pr_info("key %*phN added\n", IOI_KEY_ID_SIZE, id);
	config_event(IOI_EVENT_KEY_ADD, "key-add", "key:%*phN", id,
		     IOI_KEY_ID_SIZE);
	return key_id_reply(msg, hdr, info, id);
}

static int ioi_nl_key_generate(struct sk_buff *skb, struct genl_info *info)
{
	u8 id[IOI_KEY_ID_SIZE];
	struct sk_buff *msg;
	void *hdr;
	int err;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_key(info))
		return -EPERM;
	msg = reply_new(info, IOI_CMD_KEY_GENERATE, &hdr);
	if (!msg)
		return -ENOMEM;
	err = ioi_key_generate(id, info->extack);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	pr_info("key %*phN generated\n", IOI_KEY_ID_SIZE, id);
	config_event(IOI_EVENT_KEY_GENERATE, "key-generate", "key:%*phN", id,
		     IOI_KEY_ID_SIZE);
	return key_id_reply(msg, hdr, info, id);
}

static int ioi_nl_key_list(struct sk_buff *skb, struct genl_info *info)
{
	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	return put_reply(info, IOI_CMD_KEY_LIST, ioi_keys_put_nl);
}

static int ioi_nl_key_remove(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	const u8 *id;
	void *hdr;
	int open;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_change(info))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, IOI_A_KEY_ID)) {
		NL_SET_ERR_MSG(info->extack, "KEY_REMOVE needs IOI_A_KEY_ID");
		return -EINVAL;
	}
	id = nla_data(info->attrs[IOI_A_KEY_ID]);
	if (ioi_key_remove(id)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IOI_A_KEY_ID],
				    "no key with this identifier is loaded");
		return -ENOKEY;
	}
	/*
	 * The files that go on with the key until they are closed (like
	 * fscrypt's "files busy"), for the operator to know. Counted after
	 * the removal: only an open already deriving its file key then can
	 * still add one.
	 */
	open = ioi_enc_key_users(id);
	if (open >= 0)
		pr_info("key %*phN removed, %d open files still use it\n",
			IOI_KEY_ID_SIZE, id, open);
	else
		pr_info("key %*phN removed\n", IOI_KEY_ID_SIZE, id);
	config_event(IOI_EVENT_KEY_REMOVE, "key-remove", "key:%*phN", id,
		     IOI_KEY_ID_SIZE);
	/* The key is gone whatever happens next: the count is optional. */
	msg = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return 0;
	hdr = genlmsg_put_reply(msg, info, &ioi_genl_family, 0,
				IOI_CMD_KEY_REMOVE);
	if (!hdr ||
	    (open >= 0 && nla_put_u32(msg, IOI_A_KEY_OPEN_FILES, open))) {
		nlmsg_free(msg);
		return 0;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int ioi_nl_build_id_set(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_change(info))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, IOI_A_BUILD_ID)) {
		NL_SET_ERR_MSG(info->extack, "BUILD_ID_SET needs IOI_A_BUILD_ID");
		return -EINVAL;
	}
	msg = reply_new(info, IOI_CMD_BUILD_ID_SET, &hdr);
	if (!msg)
		return -ENOMEM;
	set_build_id(nla_data(info->attrs[IOI_A_BUILD_ID]));
	return reply_send(msg, hdr, info, put_measurement);
}

static int ioi_nl_lock(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (ioi_current_confined()) {
		NL_SET_ERR_MSG(info->extack, "a confined task cannot lock");
		return -EPERM;
	}
	msg = reply_new(info, IOI_CMD_LOCK, &hdr);
	if (!msg)
		return -ENOMEM;
	err = ioi_lock_prepare(info->extack);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	lock_commit();
	return reply_send(msg, hdr, info, put_measurement);
}

static const struct genl_ops ioi_genl_ops[] = {
	{
		.cmd = IOI_CMD_STATS_GET,
		.doit = ioi_nl_stats_get,
		.policy = ioi_no_attrs_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_STATUS_GET,
		.doit = ioi_nl_status_get,
		.policy = ioi_no_attrs_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_POLICY_SET,
		.doit = ioi_nl_policy_set,
		.policy = ioi_policy_set_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_POLICY_GET,
		.doit = ioi_nl_policy_get,
		.policy = ioi_no_attrs_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_POLICY_DEL,
		.doit = ioi_nl_policy_del,
		.policy = ioi_no_attrs_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_KEY_ADD,
		.doit = ioi_nl_key_add,
		.policy = ioi_key_add_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_KEY_GENERATE,
		.doit = ioi_nl_key_generate,
		.policy = ioi_no_attrs_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_KEY_LIST,
		.doit = ioi_nl_key_list,
		.policy = ioi_no_attrs_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_KEY_REMOVE,
		.doit = ioi_nl_key_remove,
		.policy = ioi_key_remove_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_BUILD_ID_SET,
		.doit = ioi_nl_build_id_set,
		.policy = ioi_build_id_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = IOI_CMD_LOCK,
		.doit = ioi_nl_lock,
		.policy = ioi_no_attrs_policy,
		.maxattr = IOI_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group ioi_mcgrps[] = {
	{ .name = IOI_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static struct genl_family ioi_genl_family __ro_after_init = {
	.name = IOI_GENL_NAME,
	.version = IOI_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = ioi_genl_ops,
	.n_ops = ARRAY_SIZE(ioi_genl_ops),
	.mcgrps = ioi_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ioi_mcgrps),
	/* Only the initial namespace: a container must not even see it. */
	.netnsok = false,
};

struct sk_buff *ioi_genl_event_new(size_t payload, void **hdr)
{
	struct sk_buff *skb = genlmsg_new(payload, GFP_KERNEL);

	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &ioi_genl_family, 0, IOI_CMD_EVENT);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

int ioi_genl_event(struct sk_buff *skb)
{
	return genlmsg_multicast(&ioi_genl_family, skb, 0, 0, GFP_KERNEL);
}

int __init ioi_genl_init(void)
{
	init_policies();
	return genl_register_family(&ioi_genl_family);
}

void ioi_genl_exit(void)
{
	genl_unregister_family(&ioi_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(IOI_GENL_NAME);
