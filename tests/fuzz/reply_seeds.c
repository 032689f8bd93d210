// SPDX-License-Identifier: GPL-2.0
/*
 * reply_seeds DIR: write valid netlink messages as the kernel sends them
 * into DIR, as seeds of fuzz_reply: a reply to every command that has
 * one, an event of every attribute, error ACKs with and without extended
 * ACK TLVs, the controller's family reply, and a datagram of two events.
 * Built with libmnl and ctl's own encoders (a policy from its text), so
 * they follow <linux/iointercept.h> as it is.
 */
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "fuzz.h"
#include "policy.h"

#define FAMILY	0x21

static char buf[64 * 1024];
static const char *dir;

static struct nlmsghdr *start(char *at, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = 7;
	nlh->nlmsg_pid = 4242;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = IOI_GENL_VERSION;
	return nlh;
}

static void save(const char *name, const void *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	CHECK(f && fwrite(p, len, 1, f) == 1 && !fclose(f), "%s: %m", path);
}

static void save_msg(const char *name, const struct nlmsghdr *nlh)
{
	save(name, nlh, nlh->nlmsg_len);
}

static void put_bytes(struct nlmsghdr *nlh, uint16_t type, size_t len,
		      uint8_t fill)
{
	uint8_t b[64];

	memset(b, fill, sizeof(b));
	mnl_attr_put(nlh, type, len, b);
}

static void put_stats(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, IOI_A_STATS);
	uint16_t i;

	for (i = 1; i <= IOI_STAT_MAX; i++)
		mnl_attr_put_u64(nlh, i, 1000ull * i);
	mnl_attr_nest_end(nlh, nest);
}

static void status(void)
{
	struct nlmsghdr *nlh = start(buf, FAMILY, IOI_CMD_STATUS_GET);

	mnl_attr_put_strz(nlh, IOI_A_VERSION, "0.1.0");
	mnl_attr_put_u8(nlh, IOI_A_POLICY_LOADED, 1);
	put_bytes(nlh, IOI_A_POLICY_HASH, IOI_POLICY_HASH_LEN, 0xab);
	put_stats(nlh);
	put_bytes(nlh, IOI_A_BUILD_ID, IOI_BUILD_ID_SIZE, 0x11);
	put_bytes(nlh, IOI_A_MEASUREMENT, IOI_MEASUREMENT_SIZE, 0x22);
	mnl_attr_put_u8(nlh, IOI_A_LOCKED, 0);
	mnl_attr_put_u8(nlh, IOI_A_HOOKS_ARMED, 1);
	mnl_attr_put_u8(nlh, IOI_A_TEE, IOI_TEE_SEV_SNP);
	mnl_attr_put_u8(nlh, IOI_A_MODULE_SIG, IOI_MODULE_SIG_UNVERIFIED);
	save_msg("status", nlh);

	nlh = start(buf, FAMILY, IOI_CMD_STATUS_GET);
	mnl_attr_put_strz(nlh, IOI_A_VERSION, "0.1.0");
	mnl_attr_put_u8(nlh, IOI_A_POLICY_LOADED, 0);
	put_stats(nlh);
	save_msg("status-minimal", nlh);
}

static void one_attr(const char *name, uint8_t cmd, uint16_t type,
		     size_t len)
{
	struct nlmsghdr *nlh = start(buf, FAMILY, cmd);

	put_bytes(nlh, type, len, 0x5a);
	save_msg(name, nlh);
}

static void stats_keys(void)
{
	struct nlmsghdr *nlh = start(buf, FAMILY, IOI_CMD_STATS_GET);
	struct nlattr *keys, *entry;
	int i;

	put_stats(nlh);
	save_msg("stats", nlh);

	nlh = start(buf, FAMILY, IOI_CMD_KEY_LIST);
	keys = mnl_attr_nest_start(nlh, IOI_A_KEYS);
	for (i = 0; i < 3; i++) {
		entry = mnl_attr_nest_start(nlh, IOI_KEY_A_ENTRY);
		put_bytes(nlh, IOI_KEY_A_ID, IOI_KEY_ID_SIZE, (uint8_t)(0x30 + i));
		mnl_attr_put_u8(nlh, IOI_KEY_A_ACTIVE, i == 0);
		mnl_attr_put_u8(nlh, IOI_KEY_A_GENERATED, i == 2);
		mnl_attr_nest_end(nlh, entry);
	}
	mnl_attr_nest_end(nlh, keys);
	save_msg("key-list", nlh);

	nlh = start(buf, FAMILY, IOI_CMD_KEY_LIST);
	keys = mnl_attr_nest_start(nlh, IOI_A_KEYS);
	mnl_attr_nest_end(nlh, keys);
	save_msg("key-list-empty", nlh);
}

static void policy(void)
{
	static const char text[] =
		"mode audit\n"
		"scope cgroup /nvflare\n"
		"default deny\n"
		"on-plaintext allow\n"
		"log-paths redact\n"
		"require-tee yes\n"
		"system /usr/**\n"
		"tmpfs /tmp/**\n"
		"allow rw /srv/data/**\n"
		"allow ro \"/srv/a b/#x\"\n"
		"deny /srv/data/secret\n"
		"encrypt rw /srv/data/*.pt\n"
		"encrypt wo /var/log/job/**\n";
	struct ioi_policy p;
	struct nlmsghdr *nlh = start(buf, FAMILY, IOI_CMD_POLICY_GET);

	ioi_policy_init(&p);
	CHECK(!ioi_policy_parse(&p, "seed", text, sizeof(text) - 1, 0, stderr),
	      "policy");
	CHECK(!ioi_policy_put_nl(nlh, sizeof(buf), &p), "policy nl");
	put_bytes(nlh, IOI_A_POLICY_HASH, IOI_POLICY_HASH_LEN, 0xcd);
	save_msg("policy-get", nlh);
	ioi_policy_free(&p);
}

static void event(char *at, uint64_t seq, const char *path)
{
	struct nlmsghdr *nlh = start(at, FAMILY, IOI_CMD_EVENT);
	struct nlattr *ev = mnl_attr_nest_start(nlh, IOI_A_EVENT);

	mnl_attr_put_u8(nlh, IOI_EV_A_TYPE, IOI_EVENT_DENIED);
	mnl_attr_put_u64(nlh, IOI_EV_A_SEQ, seq);
	mnl_attr_put_u64(nlh, IOI_EV_A_TIME, 1796460959044000000ull);
	mnl_attr_put_strz(nlh, IOI_EV_A_OP, "open");
	mnl_attr_put_u32(nlh, IOI_EV_A_ERRNO, 13);
	mnl_attr_put_u32(nlh, IOI_EV_A_PID, 100);
	mnl_attr_put_u32(nlh, IOI_EV_A_TGID, 99);
	mnl_attr_put_u32(nlh, IOI_EV_A_UID, 0);
	mnl_attr_put_strz(nlh, IOI_EV_A_COMM, "python3");
	mnl_attr_put_strz(nlh, IOI_EV_A_CGROUP, "/nvflare/job");
	mnl_attr_put_u32(nlh, IOI_EV_A_RULE, (uint32_t)-1);
	mnl_attr_put_strz(nlh, IOI_EV_A_PATTERN, "/srv/**");
	mnl_attr_put_strz(nlh, IOI_EV_A_PATH, path);
	mnl_attr_put_strz(nlh, IOI_EV_A_DETAIL, "block 3");
	mnl_attr_nest_end(nlh, ev);
}

static void events(void)
{
	struct nlmsghdr *first = (struct nlmsghdr *)buf;
	size_t len;

	event(buf, 1, "/srv/data/model.pt");
	save_msg("event", first);
	/* A path with every kind of byte a hostile name can hold. */
	event(buf, 2, "/srv/\x1b[31mred\n\"q\"\\\x7f\xc3\xa9\xff");
	save_msg("event-hostile", first);
	/* Two events, one lost between them: a datagram for monitor. */
	event(buf, 5, "/a");
	len = MNL_ALIGN(first->nlmsg_len);
	event(buf + len, 7, "/b");
	len += ((struct nlmsghdr *)(buf + len))->nlmsg_len;
	save("events-gap", buf, len);
}

static void acks(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = -22;
	e->msg.nlmsg_len = 64;
	e->msg.nlmsg_type = FAMILY;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "rule 3: bad pattern");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 40);
	save_msg("ack-extack", nlh);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_CAPPED;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->msg.nlmsg_len = 20;
	save_msg("ack", nlh);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	mnl_nlmsg_put_extra_header(nlh, sizeof(int));
	save_msg("done", nlh);
}

static void family(void)
{
	struct nlmsghdr *nlh = start(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY);
	struct nlattr *groups, *grp;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IOI_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, IOI_GENL_VERSION);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, IOI_A_MAX);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 9);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, IOI_MCGRP_EVENTS);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, groups);
	save_msg("family", nlh);
}

int main(int argc, char *argv[])
{
	if (argc != 2) {
		fprintf(stderr, "usage: reply_seeds DIR\n");
		return 2;
	}
	dir = argv[1];
	status();
	one_attr("measurement", IOI_CMD_BUILD_ID_SET, IOI_A_MEASUREMENT,
		 IOI_MEASUREMENT_SIZE);
	one_attr("policy-set", IOI_CMD_POLICY_SET, IOI_A_POLICY_HASH,
		 IOI_POLICY_HASH_LEN);
	one_attr("key-id", IOI_CMD_KEY_ADD, IOI_A_KEY_ID, IOI_KEY_ID_SIZE);
	stats_keys();
	policy();
	events();
	acks();
	family();
	return 0;
}
