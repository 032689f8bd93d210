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

#include "events.h"
#include "hooks.h"
#include "keys.h"
#include "netlink.h"
#include "policy.h"
#include "stats.h"

static struct genl_family ioi_genl_family;

static const struct nla_policy ioi_no_attrs_policy[IOI_A_MAX + 1] = {
	[0 ... IOI_A_MAX] = {
		.type = NLA_REJECT,
		.reject_message = "this command takes no attributes",
	},
};

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
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/* A reply of one part, @put: the stats, the key list. */
static int put_reply(struct genl_info *info, u8 cmd,
		     int (*put)(struct sk_buff *msg))
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ioi_genl_family, 0, cmd);
	if (!hdr || put(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
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

#define POLICY_SET_ONLY { .type = NLA_REJECT, \
			 .reject_message = "POLICY_SET takes IOI_A_POLICY only" }

static const struct nla_policy ioi_policy_set_policy[IOI_A_MAX + 1] = {
	[IOI_A_VERSION] = POLICY_SET_ONLY,
	[IOI_A_POLICY_LOADED] = POLICY_SET_ONLY,
	[IOI_A_STATS] = POLICY_SET_ONLY,
	[IOI_A_POLICY] = NLA_POLICY_NESTED(ioi_policy_nl_policy),
	[IOI_A_POLICY_HASH] = POLICY_SET_ONLY,
	[IOI_A_KEY_RAW] = POLICY_SET_ONLY,
	[IOI_A_KEY_ID] = POLICY_SET_ONLY,
	[IOI_A_KEYS] = POLICY_SET_ONLY,
	[IOI_A_EVENT] = POLICY_SET_ONLY,
	[IOI_A_PAD] = POLICY_SET_ONLY,
};

/* The policy and the keys are changed from outside the confinement only. */
static bool refuse_confined(struct genl_info *info)
{
	if (!ioi_current_confined())
		return false;
	NL_SET_ERR_MSG(info->extack,
		       "a confined task cannot change the policy or the keys");
	return true;
}

static int ioi_nl_policy_set(struct sk_buff *skb, struct genl_info *info)
{
	struct ioi_policy *p;
	struct sk_buff *msg;
	void *hdr;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_confined(info))
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
	if (!hdr)
		goto err_msg;
	p = ioi_policy_from_nl(info->attrs[IOI_A_POLICY], info->extack);
	if (IS_ERR(p)) {
		nlmsg_free(msg);
		return PTR_ERR(p);
	}
	if (nla_put(msg, IOI_A_POLICY_HASH, IOI_POLICY_HASH_LEN, p->hash)) {
		ioi_policy_free(p);
		goto err_msg;
	}
	ioi_policy_install(p);
	pr_info("policy loaded: %u access rules, %u encrypt rules, sha256 %*phN\n",
		p->access.n, p->encrypt.n, 8, p->hash);
	config_event(IOI_EVENT_POLICY_LOAD, "load-policy", "sha256:%*phN",
		     p->hash, IOI_POLICY_HASH_LEN);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_msg:
	nlmsg_free(msg);
	return -EMSGSIZE;
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
	if (refuse_confined(info))
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

#define KEY_ONLY(cmd, attr) { .type = NLA_REJECT, \
	.reject_message = cmd " takes " attr " only" }

static const struct nla_policy ioi_key_add_policy[IOI_A_MAX + 1] = {
	[IOI_A_VERSION] = KEY_ONLY("KEY_ADD", "IOI_A_KEY_RAW"),
	[IOI_A_POLICY_LOADED] = KEY_ONLY("KEY_ADD", "IOI_A_KEY_RAW"),
	[IOI_A_STATS] = KEY_ONLY("KEY_ADD", "IOI_A_KEY_RAW"),
	[IOI_A_POLICY] = KEY_ONLY("KEY_ADD", "IOI_A_KEY_RAW"),
	[IOI_A_POLICY_HASH] = KEY_ONLY("KEY_ADD", "IOI_A_KEY_RAW"),
	[IOI_A_KEY_RAW] = NLA_POLICY_EXACT_LEN(IOI_KEY_SIZE),
	[IOI_A_KEY_ID] = KEY_ONLY("KEY_ADD", "IOI_A_KEY_RAW"),
	[IOI_A_KEYS] = KEY_ONLY("KEY_ADD", "IOI_A_KEY_RAW"),
	[IOI_A_EVENT] = KEY_ONLY("KEY_ADD", "IOI_A_KEY_RAW"),
	[IOI_A_PAD] = KEY_ONLY("KEY_ADD", "IOI_A_KEY_RAW"),
};

static const struct nla_policy ioi_key_remove_policy[IOI_A_MAX + 1] = {
	[IOI_A_VERSION] = KEY_ONLY("KEY_REMOVE", "IOI_A_KEY_ID"),
	[IOI_A_POLICY_LOADED] = KEY_ONLY("KEY_REMOVE", "IOI_A_KEY_ID"),
	[IOI_A_STATS] = KEY_ONLY("KEY_REMOVE", "IOI_A_KEY_ID"),
	[IOI_A_POLICY] = KEY_ONLY("KEY_REMOVE", "IOI_A_KEY_ID"),
	[IOI_A_POLICY_HASH] = KEY_ONLY("KEY_REMOVE", "IOI_A_KEY_ID"),
	[IOI_A_KEY_RAW] = KEY_ONLY("KEY_REMOVE", "IOI_A_KEY_ID"),
	[IOI_A_KEY_ID] = NLA_POLICY_EXACT_LEN(IOI_KEY_ID_SIZE),
	[IOI_A_KEYS] = KEY_ONLY("KEY_REMOVE", "IOI_A_KEY_ID"),
	[IOI_A_EVENT] = KEY_ONLY("KEY_REMOVE", "IOI_A_KEY_ID"),
	[IOI_A_PAD] = KEY_ONLY("KEY_REMOVE", "IOI_A_KEY_ID"),
};

/* The reply to KEY_ADD and KEY_GENERATE: the new key's identifier. */
static int key_id_reply(struct genl_info *info, u8 cmd,
			const u8 id[IOI_KEY_ID_SIZE])
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(IOI_KEY_ID_SIZE), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ioi_genl_family, 0, cmd);
	if (!hdr || nla_put(msg, IOI_A_KEY_ID, IOI_KEY_ID_SIZE, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int ioi_nl_key_add(struct sk_buff *skb, struct genl_info *info)
{
	u8 id[IOI_KEY_ID_SIZE];
	int err;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_confined(info))
		return -EPERM;
	if (GENL_REQ_ATTR_CHECK(info, IOI_A_KEY_RAW)) {
		NL_SET_ERR_MSG(info->extack, "KEY_ADD needs IOI_A_KEY_RAW");
		return -EINVAL;
	}
	err = ioi_key_add(nla_data(info->attrs[IOI_A_KEY_RAW]), false, id,
			  info->extack);
	/* The request is ours until it is freed: leave no copy behind. */
	memzero_explicit(nla_data(info->attrs[IOI_A_KEY_RAW]), IOI_KEY_SIZE);
	if (err)
		return err;
	pr_info("key %*phN added\n", IOI_KEY_ID_SIZE, id);
	config_event(IOI_EVENT_KEY_ADD, "key-add", "key:%*phN", id,
		     IOI_KEY_ID_SIZE);
	return key_id_reply(info, IOI_CMD_KEY_ADD, id);
}

static int ioi_nl_key_generate(struct sk_buff *skb, struct genl_info *info)
{
	u8 id[IOI_KEY_ID_SIZE];
	int err;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_confined(info))
		return -EPERM;
	err = ioi_key_generate(id, info->extack);
	if (err)
		return err;
	pr_info("key %*phN generated\n", IOI_KEY_ID_SIZE, id);
	config_event(IOI_EVENT_KEY_GENERATE, "key-generate", "key:%*phN", id,
		     IOI_KEY_ID_SIZE);
	return key_id_reply(info, IOI_CMD_KEY_GENERATE, id);
}

static int ioi_nl_key_list(struct sk_buff *skb, struct genl_info *info)
{
	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	return put_reply(info, IOI_CMD_KEY_LIST, ioi_keys_put_nl);
}

static int ioi_nl_key_remove(struct sk_buff *skb, struct genl_info *info)
{
	const u8 *id;

	ioi_stats_inc(&ioi_stats, IOI_STAT_NETLINK_REQUESTS);
	if (refuse_confined(info))
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
	pr_info("key %*phN removed\n", IOI_KEY_ID_SIZE, id);
	config_event(IOI_EVENT_KEY_REMOVE, "key-remove", "key:%*phN", id,
		     IOI_KEY_ID_SIZE);
	return 0;
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
	return genl_register_family(&ioi_genl_family);
}

void ioi_genl_exit(void)
{
	genl_unregister_family(&ioi_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(IOI_GENL_NAME);
