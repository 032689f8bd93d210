// SPDX-License-Identifier: GPL-2.0
/*
 * The policy as netlink attributes: the IOI_CMD_POLICY_SET request is
 * decoded with the decoder of IOI_CMD_POLICY_GET replies, crafted replies
 * are refused, and the module's errors are traced back to lines.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "nl.h"
#include "policy.h"
#include "util.h"

#define FAMILY_ID		0x20
#define ATTR_FROM_THE_FUTURE	99

static char buf[IOI_NL_BUF_SIZE];

static const char sample[] =
	"mode audit\n"
	"# line 2\n"
	"scope cgroup \"/fl jobs\"\n"
	"default allow\n"
	"\n"
	"system /usr/**\n"
	"tmpfs /tmp/**\n"
	"allow rw \"/data/My Models/*.pt\"\n"
	"allow ro /etc/a#b\n"
	"allow rx /opt/*\n"
	"allow rwx /scratch/**\n"
	"deny /data/secret/**\n"
	"encrypt wo /data/out/**/*.log\n"
	"encrypt rw /data/models/[a-z]*.pt\n";

static void parse_text(struct ioi_policy *p, const char *text)
{
	char *err = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&err, &len);
	assert_non_null(f);
	ioi_policy_init(p);
	assert_int_equal(ioi_policy_parse(p, "policy.conf", text, strlen(text),
					  0, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(err, "");
	free(err);
}

/* A genetlink message for @cmd in buf. */
static struct nlmsghdr *new_msg(uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY_ID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = IOI_GENL_VERSION;
	return nlh;
}

static const struct nlattr *find(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

static const struct nlattr *find_nested(const struct nlattr *nest,
					uint16_t type)
{
	const struct nlattr *attr;

	mnl_attr_for_each_nested(attr, nest)
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

static void assert_same(const struct ioi_policy *a, const struct ioi_policy *b)
{
	size_t i;

	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->scope, b->scope);
	assert_int_equal(a->dflt, b->dflt);
	assert_int_equal(a->on_plaintext, b->on_plaintext);
	assert_int_equal(a->log_paths, b->log_paths);
	assert_int_equal(a->require_tee, b->require_tee);
	if (a->cgroup || b->cgroup) {
		assert_non_null(a->cgroup);
		assert_non_null(b->cgroup);
		assert_string_equal(a->cgroup, b->cgroup);
	}
	assert_int_equal(a->n_access, b->n_access);
	assert_int_equal(a->n_encrypt, b->n_encrypt);
	for (i = 0; i < a->n_access + a->n_encrypt; i++) {
		const struct ioi_policy_rule *ra = ioi_policy_rule_at(a, i);
		const struct ioi_policy_rule *rb = ioi_policy_rule_at(b, i);

		assert_int_equal(ra->kind, rb->kind);
		assert_int_equal(ra->access, rb->access);
		assert_string_equal(ra->pattern, rb->pattern);
	}
}

/* Encode @p as a POLICY_SET request and decode it back into @out. */
static void round_trip(const struct ioi_policy *p, struct ioi_policy *out)
{
	struct nlmsghdr *nlh = new_msg(IOI_CMD_POLICY_SET);
	const struct nlattr *attr;

	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), p), 0);
	attr = find(nlh, IOI_A_POLICY);
	assert_non_null(attr);
	assert_int_equal(attr->nla_len, ioi_policy_nl_size(p));
	ioi_policy_init(out);
	assert_int_equal(ioi_policy_from_nl(attr, out), 0);
}

static void test_encode_decode(void **state)
{
	static const char *const texts[] = {
		sample,
		"",
		"scope cgroup /\ndeny /\n",
		"encrypt rw /a\n",
		"on-plaintext allow\nencrypt wo /a\n",
		"log-paths redact\ndeny /a\n",
		"log-paths redact\non-plaintext allow\nencrypt wo /a\n",
		"require-tee yes\nlog-paths redact\ndeny /a\n",
		"require-tee no\n",
	};
	struct ioi_policy p, q;
	char *c1, *c2;
	size_t l1, l2, i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(texts); i++) {
		parse_text(&p, texts[i]);
		round_trip(&p, &q);
		assert_same(&p, &q);
		/* So the hash is the same too. */
		assert_int_equal(ioi_policy_canonical(&p, &c1, &l1), 0);
		assert_int_equal(ioi_policy_canonical(&q, &c2, &l2), 0);
		assert_int_equal(l1, l2);
		assert_memory_equal(c1, c2, l1);
		free(c1);
		free(c2);
		ioi_policy_free(&p);
		ioi_policy_free(&q);
	}
}

/* The attributes are those the uapi header lists, in that order. */
static void test_encode_layout(void **state)
{
	static const struct {
		uint8_t kind;
		int access;	/* -1: absent */
	} want[] = {
		{ IOI_RULE_SYSTEM, -1 },
		{ IOI_RULE_TMPFS, -1 },
		{ IOI_RULE_ALLOW, IOI_ACCESS_RW },
		{ IOI_RULE_ALLOW, IOI_ACCESS_RO },
		{ IOI_RULE_ALLOW, IOI_ACCESS_RX },
		{ IOI_RULE_ALLOW, IOI_ACCESS_RWX },
		{ IOI_RULE_DENY, -1 },
		{ IOI_RULE_ENCRYPT, IOI_ENCRYPT_WO },
		{ IOI_RULE_ENCRYPT, IOI_ENCRYPT_RW },
	};
	const struct nlattr *policy, *rules, *rule, *a;
	struct ioi_policy p;
	struct nlmsghdr *nlh;
	size_t n = 0;

	(void)state;
	parse_text(&p, sample);
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	policy = find(nlh, IOI_A_POLICY);
	assert_non_null(policy);
	assert_true(policy->nla_type & NLA_F_NESTED);

	a = find_nested(policy, IOI_POLICY_A_MODE);
	assert_non_null(a);
	assert_int_equal(mnl_attr_validate(a, MNL_TYPE_U8), 0);
	assert_int_equal(mnl_attr_get_u8(a), IOI_MODE_AUDIT);
	a = find_nested(policy, IOI_POLICY_A_DEFAULT);
	assert_non_null(a);
	assert_int_equal(mnl_attr_get_u8(a), IOI_DEFAULT_ALLOW);
	a = find_nested(policy, IOI_POLICY_A_SCOPE);
	assert_non_null(a);
	assert_int_equal(mnl_attr_get_u8(a), IOI_SCOPE_CGROUP);
	a = find_nested(policy, IOI_POLICY_A_CGROUP);
	assert_non_null(a);
	assert_int_equal(mnl_attr_validate(a, MNL_TYPE_NUL_STRING), 0);
	assert_string_equal(mnl_attr_get_str(a), "/fl jobs");

	rules = find_nested(policy, IOI_POLICY_A_RULES);
	assert_non_null(rules);
	assert_true(rules->nla_type & NLA_F_NESTED);
	mnl_attr_for_each_nested(rule, rules) {
		assert_true(n < ARRAY_SIZE(want));
		assert_int_equal(mnl_attr_get_type(rule), IOI_POLICY_A_RULE);
		a = find_nested(rule, IOI_RULE_A_KIND);
		assert_non_null(a);
		assert_int_equal(mnl_attr_get_u8(a), want[n].kind);
		a = find_nested(rule, IOI_RULE_A_ACCESS);
		if (want[n].access < 0) {
			assert_null(a);
		} else {
			assert_non_null(a);
			assert_int_equal(mnl_attr_get_u8(a), want[n].access);
		}
		a = find_nested(rule, IOI_RULE_A_PATTERN);
		assert_non_null(a);
		assert_int_equal(mnl_attr_validate(a, MNL_TYPE_NUL_STRING), 0);
		assert_string_equal(mnl_attr_get_str(a),
				    ioi_policy_rule_at(&p, n)->pattern);
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(want));

	/* No cgroup attribute with scope all. */
	ioi_policy_free(&p);
	parse_text(&p, "deny /x\n");
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	assert_null(find_nested(find(nlh, IOI_A_POLICY), IOI_POLICY_A_CGROUP));
	ioi_policy_free(&p);
}

static void test_encode_no_room(void **state)
{
	struct ioi_policy p;
	struct nlmsghdr *nlh;
	uint32_t len;

	(void)state;
	parse_text(&p, sample);
	nlh = new_msg(IOI_CMD_POLICY_SET);
	len = nlh->nlmsg_len;
	assert_int_equal(ioi_policy_put_nl(nlh, 200, &p), -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, len);
	assert_int_equal(ioi_policy_put_nl(nlh, len + 8, &p), -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, len);
	ioi_policy_free(&p);
}

/* A policy whose nest would not fit in nla_len: refused, not truncated. */
static void test_encode_too_large(void **state)
{
	struct ioi_policy p;
	struct nlmsghdr *nlh;
	char pattern[64];
	uint32_t len;
	size_t i;

	(void)state;
	ioi_policy_init(&p);
	for (i = 0; i < IOI_MAX_ACCESS_RULES; i++) {
		snprintf(pattern, sizeof(pattern), "/%060zu", i);
		assert_int_equal(ioi_policy_add_rule(&p, IOI_RULE_DENY, 0,
						     pattern, 0), 0);
	}
	assert_true(ioi_policy_nl_size(&p) > IOI_POLICY_NL_MAX);
	nlh = new_msg(IOI_CMD_POLICY_SET);
	len = nlh->nlmsg_len;
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, len);
	ioi_policy_free(&p);
}

/* The largest policy that can be sent fits in the socket buffer. */
static void test_encode_largest(void **state)
{
	struct ioi_policy p, q;
	char pattern[IOI_PATTERN_MAX];
	size_t i;

	(void)state;
	ioi_policy_init(&p);
	p.scope = IOI_SCOPE_CGROUP;
	p.cgroup = malloc(IOI_CGROUP_PATH_MAX);
	assert_non_null(p.cgroup);
	memset(p.cgroup, 'c', IOI_CGROUP_PATH_MAX - 1);
	p.cgroup[0] = '/';
	p.cgroup[IOI_CGROUP_PATH_MAX - 1] = '\0';
	memset(pattern, 'p', sizeof(pattern) - 1);
	pattern[0] = '/';
	pattern[sizeof(pattern) - 1] = '\0';
	for (i = 0; i < 61; i++)
		assert_int_equal(ioi_policy_add_rule(&p, IOI_RULE_ENCRYPT,
						     IOI_ENCRYPT_RW, pattern,
						     0), 0);
	assert_true(ioi_policy_nl_size(&p) <= IOI_POLICY_NL_MAX);
	assert_true(ioi_policy_nl_size(&p) > IOI_POLICY_NL_MAX - 1100);
	round_trip(&p, &q);
	assert_same(&p, &q);
	ioi_policy_free(&p);
	ioi_policy_free(&q);
}

/* Crafted replies */

static struct nlattr *start_policy(struct nlmsghdr *nlh, uint8_t scope)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, IOI_A_POLICY);

	mnl_attr_put_u8(nlh, IOI_POLICY_A_MODE, IOI_MODE_ENFORCE);
	mnl_attr_put_u8(nlh, IOI_POLICY_A_DEFAULT, IOI_DEFAULT_DENY);
	mnl_attr_put_u8(nlh, IOI_POLICY_A_SCOPE, scope);
	return nest;
}

static void put_rule(struct nlmsghdr *nlh, int kind, int access,
		     const char *pattern)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, IOI_POLICY_A_RULE);

	if (kind >= 0)
		mnl_attr_put_u8(nlh, IOI_RULE_A_KIND, (uint8_t)kind);
	if (access >= 0)
		mnl_attr_put_u8(nlh, IOI_RULE_A_ACCESS, (uint8_t)access);
	if (pattern)
		mnl_attr_put_strz(nlh, IOI_RULE_A_PATTERN, pattern);
	mnl_attr_nest_end(nlh, nest);
}

static const uint8_t some_hash[IOI_POLICY_HASH_LEN] = { 1, 2, 3, [31] = 9 };

/* A GET reply with one rule, as given; then decode it. */
static int decode_one(int kind, int access, const char *pattern)
{
	struct nlmsghdr *nlh = new_msg(IOI_CMD_POLICY_GET);
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct nlattr *policy, *rules;
	struct ioi_policy p;
	int ret;

	policy = start_policy(nlh, IOI_SCOPE_ALL);
	rules = mnl_attr_nest_start(nlh, IOI_POLICY_A_RULES);
	put_rule(nlh, kind, access, pattern);
	mnl_attr_nest_end(nlh, rules);
	mnl_attr_nest_end(nlh, policy);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(some_hash), some_hash);

	ioi_policy_init(&p);
	ret = ioi_policy_parse_get_reply(nlh, &p, hash);
	if (!ret) {
		assert_int_equal(p.n_access + p.n_encrypt, 1);
		assert_memory_equal(hash, some_hash, sizeof(hash));
	}
	ioi_policy_free(&p);
	return ret;
}

static void test_decode_rules(void **state)
{
	(void)state;
	assert_int_equal(decode_one(IOI_RULE_DENY, -1, "/x"), 0);
	assert_int_equal(decode_one(IOI_RULE_ALLOW, IOI_ACCESS_RWX, "/x"), 0);
	assert_int_equal(decode_one(IOI_RULE_ENCRYPT, IOI_ENCRYPT_WO, "/x"), 0);
	/* An access level where none belongs is ignored. */
	assert_int_equal(decode_one(IOI_RULE_SYSTEM, IOI_ACCESS_RO, "/x"), 0);

	assert_int_equal(decode_one(-1, -1, "/x"), -EBADMSG);
	assert_int_equal(decode_one(IOI_RULE_UNSPEC, -1, "/x"), -EBADMSG);
	assert_int_equal(decode_one(IOI_RULE_ENCRYPT + 1, -1, "/x"), -EBADMSG);
	assert_int_equal(decode_one(IOI_RULE_ALLOW, -1, "/x"), -EBADMSG);
	assert_int_equal(decode_one(IOI_RULE_ALLOW, IOI_ACCESS_UNSPEC, "/x"),
			 -EBADMSG);
	assert_int_equal(decode_one(IOI_RULE_ALLOW, IOI_ACCESS_RWX + 1, "/x"),
			 -EBADMSG);
	assert_int_equal(decode_one(IOI_RULE_ENCRYPT, IOI_ENCRYPT_WO + 1, "/x"),
			 -EBADMSG);
	assert_int_equal(decode_one(IOI_RULE_DENY, -1, NULL), -EBADMSG);
	assert_int_equal(decode_one(IOI_RULE_DENY, -1, ""), -EBADMSG);
}

static void test_decode_policy(void **state)
{
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct nlattr *policy, *rules, *rule;
	struct ioi_policy p;
	struct nlmsghdr *nlh;
	char unterminated[4] = "/abc";
	size_t i;

	(void)state;
	/* Unknown attributes at every level; no RULES nest is no rules. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 1);
	policy = start_policy(nlh, IOI_SCOPE_CGROUP);
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 1);
	mnl_attr_put_strz(nlh, IOI_POLICY_A_CGROUP, "/a");
	mnl_attr_nest_end(nlh, policy);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(some_hash), some_hash);
	ioi_policy_init(&p);
	assert_int_equal(ioi_policy_parse_get_reply(nlh, &p, hash), 0);
	assert_int_equal(p.scope, IOI_SCOPE_CGROUP);
	assert_string_equal(p.cgroup, "/a");
	assert_int_equal(p.n_access, 0);
	ioi_policy_free(&p);

	nlh = new_msg(IOI_CMD_POLICY_GET);
	policy = start_policy(nlh, IOI_SCOPE_ALL);
	rules = mnl_attr_nest_start(nlh, IOI_POLICY_A_RULES);
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 1);
	rule = mnl_attr_nest_start(nlh, IOI_POLICY_A_RULE);
	mnl_attr_put_u8(nlh, IOI_RULE_A_KIND, IOI_RULE_DENY);
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 1);
	mnl_attr_put_strz(nlh, IOI_RULE_A_PATTERN, "/x");
	mnl_attr_nest_end(nlh, rule);
	mnl_attr_nest_end(nlh, rules);
	mnl_attr_nest_end(nlh, policy);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(some_hash), some_hash);
	ioi_policy_init(&p);
	assert_int_equal(ioi_policy_parse_get_reply(nlh, &p, hash), 0);
	assert_int_equal(p.n_access, 1);
	assert_string_equal(p.access[0].pattern, "/x");
	assert_int_equal(p.access[0].line, 0);
	ioi_policy_free(&p);

	/* Scope cgroup without a path. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	policy = start_policy(nlh, IOI_SCOPE_CGROUP);
	mnl_attr_nest_end(nlh, policy);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(some_hash), some_hash);
	ioi_policy_init(&p);
	assert_int_equal(ioi_policy_parse_get_reply(nlh, &p, hash), -EBADMSG);
	ioi_policy_free(&p);

	/* A mode out of range; a u8 sent as a u32. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	policy = mnl_attr_nest_start(nlh, IOI_A_POLICY);
	mnl_attr_put_u8(nlh, IOI_POLICY_A_MODE, IOI_MODE_AUDIT + 1);
	mnl_attr_put_u8(nlh, IOI_POLICY_A_DEFAULT, 0);
	mnl_attr_put_u8(nlh, IOI_POLICY_A_SCOPE, 0);
	mnl_attr_nest_end(nlh, policy);
	ioi_policy_init(&p);
	assert_int_equal(ioi_policy_from_nl(policy, &p), -EBADMSG);
	nlh = new_msg(IOI_CMD_POLICY_GET);
	policy = mnl_attr_nest_start(nlh, IOI_A_POLICY);
	mnl_attr_put_u32(nlh, IOI_POLICY_A_MODE, 0);
	mnl_attr_put_u8(nlh, IOI_POLICY_A_DEFAULT, 0);
	mnl_attr_put_u8(nlh, IOI_POLICY_A_SCOPE, 0);
	mnl_attr_nest_end(nlh, policy);
	assert_int_equal(ioi_policy_from_nl(policy, &p), -EBADMSG);
	/* No mode at all. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	policy = mnl_attr_nest_start(nlh, IOI_A_POLICY);
	mnl_attr_put_u8(nlh, IOI_POLICY_A_DEFAULT, 0);
	mnl_attr_put_u8(nlh, IOI_POLICY_A_SCOPE, 0);
	mnl_attr_nest_end(nlh, policy);
	assert_int_equal(ioi_policy_from_nl(policy, &p), -EBADMSG);
	ioi_policy_free(&p);

	/* A pattern without its NUL. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	policy = start_policy(nlh, IOI_SCOPE_ALL);
	rules = mnl_attr_nest_start(nlh, IOI_POLICY_A_RULES);
	rule = mnl_attr_nest_start(nlh, IOI_POLICY_A_RULE);
	mnl_attr_put_u8(nlh, IOI_RULE_A_KIND, IOI_RULE_DENY);
	mnl_attr_put(nlh, IOI_RULE_A_PATTERN, sizeof(unterminated),
		     unterminated);
	mnl_attr_nest_end(nlh, rule);
	mnl_attr_nest_end(nlh, rules);
	mnl_attr_nest_end(nlh, policy);
	ioi_policy_init(&p);
	assert_int_equal(ioi_policy_from_nl(policy, &p), -EBADMSG);
	ioi_policy_free(&p);

	/* 129 encrypt rules. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	policy = start_policy(nlh, IOI_SCOPE_ALL);
	rules = mnl_attr_nest_start(nlh, IOI_POLICY_A_RULES);
	for (i = 0; i <= IOI_MAX_ENCRYPT_RULES; i++)
		put_rule(nlh, IOI_RULE_ENCRYPT, IOI_ENCRYPT_RW, "/e");
	mnl_attr_nest_end(nlh, rules);
	mnl_attr_nest_end(nlh, policy);
	ioi_policy_init(&p);
	assert_int_equal(ioi_policy_from_nl(policy, &p), -EBADMSG);
	ioi_policy_free(&p);
}

/* A GET reply with log-paths @v (-1: absent); then decode it. */
/*
 * A POLICY_GET reply whose policy has the u8 option @type set to @v (< 0:
 * left out), decoded into @p.
 */
static int decode_u8(uint16_t type, int v, struct ioi_policy *p)
{
	struct nlmsghdr *nlh = new_msg(IOI_CMD_POLICY_GET);
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct nlattr *policy;

	policy = start_policy(nlh, IOI_SCOPE_ALL);
	if (v >= 0)
		mnl_attr_put_u8(nlh, type, (uint8_t)v);
	mnl_attr_nest_end(nlh, policy);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(some_hash), some_hash);
	ioi_policy_init(p);
	return ioi_policy_parse_get_reply(nlh, p, hash);
}

static int decode_log_paths(int v, struct ioi_policy *p)
{
	return decode_u8(IOI_POLICY_A_LOG_PATHS, v, p);
}

/* log-paths: sent only when redact; absent means full. */
/*
 * An option sent only when not the default: not in the request for the
 * policy @without, the u8 @v in the one for @with, which decodes into @q
 * (freed by the caller) as it was.
 */
static void expect_sent_u8(const char *without, const char *with,
			   uint16_t type, uint8_t v, struct ioi_policy *q)
{
	const struct nlattr *a;
	struct ioi_policy p;
	struct nlmsghdr *nlh;

	parse_text(&p, without);
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	assert_null(find_nested(find(nlh, IOI_A_POLICY), type));
	ioi_policy_free(&p);

	parse_text(&p, with);
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	a = find_nested(find(nlh, IOI_A_POLICY), type);
	assert_non_null(a);
	assert_int_equal(mnl_attr_validate(a, MNL_TYPE_U8), 0);
	assert_int_equal(mnl_attr_get_u8(a), v);
	round_trip(&p, q);
	assert_same(&p, q);
	ioi_policy_free(&p);
}

static void test_log_paths(void **state)
{
	struct nlattr *policy;
	struct ioi_policy p, q;
	struct nlmsghdr *nlh;

	(void)state;
	expect_sent_u8("deny /x\n", "log-paths redact\ndeny /x\n",
		       IOI_POLICY_A_LOG_PATHS, IOI_LOG_PATHS_REDACT, &q);
	assert_int_equal(q.log_paths, IOI_LOG_PATHS_REDACT);
	ioi_policy_free(&q);

	assert_int_equal(decode_log_paths(-1, &p), 0);
	assert_int_equal(p.log_paths, IOI_LOG_PATHS_FULL);
	ioi_policy_free(&p);
	assert_int_equal(decode_log_paths(IOI_LOG_PATHS_FULL, &p), 0);
	assert_int_equal(p.log_paths, IOI_LOG_PATHS_FULL);
	ioi_policy_free(&p);
	assert_int_equal(decode_log_paths(IOI_LOG_PATHS_REDACT, &p), 0);
	assert_int_equal(p.log_paths, IOI_LOG_PATHS_REDACT);
	ioi_policy_free(&p);
	assert_int_equal(decode_log_paths(IOI_LOG_PATHS_REDACT + 1, &p),
			 -EBADMSG);
	ioi_policy_free(&p);

	/* A u8 sent as a u32. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	policy = start_policy(nlh, IOI_SCOPE_ALL);
	mnl_attr_put_u32(nlh, IOI_POLICY_A_LOG_PATHS, IOI_LOG_PATHS_REDACT);
	mnl_attr_nest_end(nlh, policy);
	ioi_policy_init(&p);
	assert_int_equal(ioi_policy_from_nl(policy, &p), -EBADMSG);
	ioi_policy_free(&p);
}

static int decode_require_tee(int v, struct ioi_policy *p)
{
	return decode_u8(IOI_POLICY_A_REQUIRE_TEE, v, p);
}

/* Sent as a u8 1 only when set, as the canonical text has it. */
static void test_require_tee(void **state)
{
	struct ioi_policy p, q;

	(void)state;
	expect_sent_u8("require-tee no\ndeny /x\n",
		       "require-tee yes\ndeny /x\n", IOI_POLICY_A_REQUIRE_TEE,
		       1, &q);
	assert_true(q.require_tee);
	ioi_policy_free(&q);

	assert_int_equal(decode_require_tee(-1, &p), 0);
	assert_false(p.require_tee);
	ioi_policy_free(&p);
	assert_int_equal(decode_require_tee(0, &p), 0);
	assert_false(p.require_tee);
	ioi_policy_free(&p);
	assert_int_equal(decode_require_tee(1, &p), 0);
	assert_true(p.require_tee);
	ioi_policy_free(&p);
	assert_int_equal(decode_require_tee(2, &p), -EBADMSG);
	ioi_policy_free(&p);
}

#define ID64 "000102030405060708090a0b0c0d0e0f" \
	     "101112131415161718191a1b1c1d1e1f"

/* build-id and lock: top-level attributes after IOI_A_POLICY. */
static void test_load_directives(void **state)
{
	const struct nlattr *a;
	struct ioi_policy p;
	struct nlmsghdr *nlh;
	uint32_t len;
	size_t i;

	(void)state;
	/* Neither: nothing added. */
	parse_text(&p, "deny /x\nlock no\n");
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	len = nlh->nlmsg_len;
	assert_int_equal(ioi_policy_put_load_nl(nlh, sizeof(buf), &p), 0);
	assert_int_equal(nlh->nlmsg_len, len);
	ioi_policy_free(&p);

	parse_text(&p, "deny /x\nbuild-id " ID64 "\nlock yes\n");
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	assert_int_equal(ioi_policy_put_load_nl(nlh, sizeof(buf), &p), 0);
	a = find(nlh, IOI_A_BUILD_ID);
	assert_non_null(a);
	assert_int_equal(mnl_attr_get_payload_len(a), IOI_BUILD_ID_SIZE);
	for (i = 0; i < IOI_BUILD_ID_SIZE; i++)
		assert_int_equal(((const uint8_t *)mnl_attr_get_payload(a))[i],
				 i);
	a = find(nlh, IOI_A_LOCK);
	assert_non_null(a);
	assert_int_equal(mnl_attr_get_payload_len(a), 0);	/* a flag */
	/* Not inside the policy. */
	assert_null(find_nested(find(nlh, IOI_A_POLICY), IOI_A_BUILD_ID));

	/* No room: nothing added. */
	len = nlh->nlmsg_len;
	assert_int_equal(ioi_policy_put_load_nl(nlh, len + 8, &p), -EMSGSIZE);
	assert_int_equal(nlh->nlmsg_len, len);
	ioi_policy_free(&p);
}

static void test_get_reply(void **state)
{
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct ioi_policy p, q;
	struct nlmsghdr *nlh;

	(void)state;
	parse_text(&p, sample);
	assert_int_equal(ioi_policy_hash(&p, hash), 0);

	/* As the module sends it: the policy, then its hash. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(hash), hash);
	ioi_policy_init(&q);
	memset(hash, 0, sizeof(hash));
	assert_int_equal(ioi_policy_parse_get_reply(nlh, &q, hash), 0);
	assert_same(&p, &q);
	{
		uint8_t again[IOI_POLICY_HASH_LEN];

		assert_int_equal(ioi_policy_hash(&q, again), 0);
		assert_memory_equal(again, hash, sizeof(hash));
	}
	ioi_policy_free(&q);

	/* Without the hash. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	ioi_policy_init(&q);
	assert_int_equal(ioi_policy_parse_get_reply(nlh, &q, hash), -ENODATA);
	ioi_policy_free(&q);

	/* With a short hash. */
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(hash) - 1, hash);
	ioi_policy_init(&q);
	assert_int_equal(ioi_policy_parse_get_reply(nlh, &q, hash), -EBADMSG);
	ioi_policy_free(&q);

	/* Without the policy. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(hash), hash);
	ioi_policy_init(&q);
	assert_int_equal(ioi_policy_parse_get_reply(nlh, &q, hash), -ENODATA);
	ioi_policy_free(&q);

	/* Truncated: the last attribute runs past the end. */
	nlh = new_msg(IOI_CMD_POLICY_GET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(hash), hash);
	nlh->nlmsg_len -= 8;
	ioi_policy_init(&q);
	assert_int_equal(ioi_policy_parse_get_reply(nlh, &q, hash), -EBADMSG);
	ioi_policy_free(&q);
	ioi_policy_free(&p);
}

static void test_set_reply(void **state)
{
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct nlmsghdr *nlh;

	(void)state;
	nlh = new_msg(IOI_CMD_POLICY_SET);
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 7);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, sizeof(some_hash), some_hash);
	assert_int_equal(ioi_policy_parse_set_reply(nlh, hash), 0);
	assert_memory_equal(hash, some_hash, sizeof(hash));

	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_parse_set_reply(nlh, hash), -ENODATA);
	mnl_attr_put(nlh, IOI_A_POLICY_HASH, 33, buf);
	assert_int_equal(ioi_policy_parse_set_reply(nlh, hash), -EBADMSG);

	/* Shorter than a genetlink header. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_len += 2;
	assert_int_equal(ioi_policy_parse_set_reply(nlh, hash), -EBADMSG);
}

/* Errors from the module, traced back to lines */

static uint32_t offset_of(const struct nlmsghdr *nlh, const struct nlattr *a)
{
	return (uint32_t)((const char *)a - (const char *)nlh);
}

static void test_locate(void **state)
{
	const struct nlattr *policy, *rules, *rule, *a;
	struct ioi_policy p;
	struct nlmsghdr *nlh;
	long i = 0;

	(void)state;
	parse_text(&p, sample);
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	policy = find(nlh, IOI_A_POLICY);
	rules = find_nested(policy, IOI_POLICY_A_RULES);
	/* Without the directives, their attributes are not found. */
	assert_int_equal(ioi_policy_put_load_nl(nlh, sizeof(buf), &p), 0);

	mnl_attr_for_each_nested(rule, rules) {
		uint32_t off = offset_of(nlh, rule);
		uint32_t last = off + rule->nla_len - 1;

		assert_int_equal(ioi_policy_locate(nlh, off), i);
		assert_int_equal(ioi_policy_locate(nlh, last), i);
		mnl_attr_for_each_nested(a, rule)
			assert_int_equal(ioi_policy_locate(nlh,
							   offset_of(nlh, a)),
					 i);
		i++;
	}
	assert_int_equal(i, 9);

	a = find_nested(policy, IOI_POLICY_A_CGROUP);
	assert_int_equal(ioi_policy_locate(nlh, offset_of(nlh, a)),
			 IOI_POLICY_AT_CGROUP);
	a = find_nested(policy, IOI_POLICY_A_MODE);
	assert_int_equal(ioi_policy_locate(nlh, offset_of(nlh, a)),
			 IOI_POLICY_AT_NONE);
	assert_int_equal(ioi_policy_locate(nlh, offset_of(nlh, policy)),
			 IOI_POLICY_AT_NONE);
	assert_int_equal(ioi_policy_locate(nlh, offset_of(nlh, rules)),
			 IOI_POLICY_AT_NONE);
	assert_int_equal(ioi_policy_locate(nlh, 0), IOI_POLICY_AT_NONE);
	assert_int_equal(ioi_policy_locate(nlh, nlh->nlmsg_len),
			 IOI_POLICY_AT_NONE);
	assert_int_equal(ioi_policy_locate(nlh, UINT32_MAX),
			 IOI_POLICY_AT_NONE);
	ioi_policy_free(&p);

	/* The build ID and the lock flag, beside the policy. */
	parse_text(&p, "deny /x\nbuild-id " ID64 "\nlock yes\n");
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	assert_int_equal(ioi_policy_put_load_nl(nlh, sizeof(buf), &p), 0);
	a = find(nlh, IOI_A_BUILD_ID);
	assert_int_equal(ioi_policy_locate(nlh, offset_of(nlh, a)),
			 IOI_POLICY_AT_BUILD_ID);
	assert_int_equal(ioi_policy_locate(nlh, offset_of(nlh, a) + 35),
			 IOI_POLICY_AT_BUILD_ID);
	a = find(nlh, IOI_A_LOCK);
	assert_int_equal(ioi_policy_locate(nlh, offset_of(nlh, a)),
			 IOI_POLICY_AT_LOCK);
	policy = find(nlh, IOI_A_POLICY);
	rules = find_nested(policy, IOI_POLICY_A_RULES);
	assert_int_equal(ioi_policy_locate(nlh, offset_of(nlh,
					mnl_attr_get_payload(rules))), 0);
	ioi_policy_free(&p);
}

struct report {
	bool ret;
	char *out;
};

static struct report report(const struct ioi_policy *p,
			    const struct nlmsghdr *req,
			    const struct ioi_nl_ack *ack)
{
	struct report r = { 0 };
	size_t len = 0;
	FILE *f;

	f = open_memstream(&r.out, &len);
	assert_non_null(f);
	r.ret = ioi_policy_report_error(f, "policy.conf", p, req, ack);
	assert_int_equal(fclose(f), 0);
	return r;
}

static void expect_report(const struct ioi_policy *p,
			  const struct nlmsghdr *req,
			  const struct ioi_nl_ack *ack, const char *want)
{
	struct report r = report(p, req, ack);

	assert_string_equal(r.out, want);
	assert_int_equal(r.ret, *want != '\0');
	free(r.out);
}

static void test_report_error(void **state)
{
	const struct nlattr *policy, *rules, *rule, *a;
	struct ioi_nl_ack ack = {
		.error = EINVAL,
		.from_kernel = true,
	};
	struct ioi_policy p, q;
	struct nlmsghdr *nlh;

	(void)state;
	parse_text(&p, sample);
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	policy = find(nlh, IOI_A_POLICY);
	rules = find_nested(policy, IOI_POLICY_A_RULES);

	/* "rule N:" in the message: access rules, then encrypt rules. */
	ack.msg = "rule 0: no";
	expect_report(&p, nlh, &ack, "policy.conf:6: error: rule 0: no\n");
	ack.msg = "rule 6: no";
	expect_report(&p, nlh, &ack, "policy.conf:12: error: rule 6: no\n");
	ack.msg = "rule 7: bad encrypt rule";
	expect_report(&p, nlh, &ack,
		      "policy.conf:13: error: rule 7: bad encrypt rule\n");
	ack.msg = "rule 8: x";
	expect_report(&p, NULL, &ack, "policy.conf:14: error: rule 8: x\n");
	/* Not a rule of ours, or not that form. */
	ack.msg = "rule 9: x";
	expect_report(&p, nlh, &ack, "");
	ack.msg = "rule 99999999999999999999999: x";
	expect_report(&p, nlh, &ack, "");
	ack.msg = "rule x: y";
	expect_report(&p, nlh, &ack, "");
	ack.msg = "rule 1";
	expect_report(&p, nlh, &ack, "");
	ack.msg = "rules 1: x";
	expect_report(&p, nlh, &ack, "");
	ack.msg = "rule : x";
	expect_report(&p, nlh, &ack, "");

	/* The offset of the bad attribute: the module's way. */
	rule = mnl_attr_get_payload(rules);		/* rule 0 */
	rule = mnl_attr_next(rule);			/* rule 1, tmpfs */
	a = find_nested(rule, IOI_RULE_A_PATTERN);
	ack.msg = "tmpfs rule: the path is not on a tmpfs or ramfs";
	ack.has_offset = true;
	ack.offset = offset_of(nlh, a);
	expect_report(&p, nlh, &ack, "policy.conf:7: error: tmpfs rule: the "
				     "path is not on a tmpfs or ramfs\n");
	/* Without a message: the errno. */
	ack.msg = NULL;
	expect_report(&p, nlh, &ack,
		      "policy.conf:7: error: Invalid argument\n");
	/* The cgroup path: the "scope" line. */
	a = find_nested(policy, IOI_POLICY_A_CGROUP);
	ack.msg = "scope cgroup: no such cgroup v2 directory";
	ack.error = ENOENT;
	ack.offset = offset_of(nlh, a);
	expect_report(&p, nlh, &ack, "policy.conf:3: error: scope cgroup: no "
				     "such cgroup v2 directory\n");
	/* Anything else: no line. */
	ack.offset = offset_of(nlh, policy);
	expect_report(&p, nlh, &ack, "");
	ack.offset = offset_of(nlh, find_nested(policy, IOI_POLICY_A_MODE));
	expect_report(&p, nlh, &ack, "");
	/* Not from the kernel. */
	ack.msg = "rule 0: no";
	ack.from_kernel = false;
	expect_report(&p, nlh, &ack, "");

	/* A policy not from a file has no lines. */
	round_trip(&p, &q);
	ack.from_kernel = true;
	expect_report(&q, nlh, &ack, "");
	ioi_policy_free(&q);
	ioi_policy_free(&p);

	/* The build-id and lock lines, by the offsets of their attributes. */
	parse_text(&p, "deny /x\n# x\nbuild-id " ID64 "\nlock yes\n");
	nlh = new_msg(IOI_CMD_POLICY_SET);
	assert_int_equal(ioi_policy_put_nl(nlh, sizeof(buf), &p), 0);
	assert_int_equal(ioi_policy_put_load_nl(nlh, sizeof(buf), &p), 0);
	ack.msg = "lock: the hooks are not armed";
	ack.error = EBUSY;
	ack.offset = offset_of(nlh, find(nlh, IOI_A_LOCK));
	expect_report(&p, nlh, &ack, "policy.conf:4: error: lock: the hooks "
				     "are not armed\n");
	ack.msg = NULL;
	ack.error = EINVAL;
	ack.offset = offset_of(nlh, find(nlh, IOI_A_BUILD_ID));
	expect_report(&p, nlh, &ack,
		      "policy.conf:3: error: Invalid argument\n");
	/* Locked: no offset, no line; load-policy prints the message. */
	ack.msg = "locked until reboot";
	ack.error = EPERM;
	ack.has_offset = false;
	expect_report(&p, nlh, &ack, "");
	ioi_policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test(test_encode_layout),
		cmocka_unit_test(test_encode_no_room),
		cmocka_unit_test(test_encode_too_large),
		cmocka_unit_test(test_encode_largest),
		cmocka_unit_test(test_decode_rules),
		cmocka_unit_test(test_decode_policy),
		cmocka_unit_test(test_log_paths),
		cmocka_unit_test(test_require_tee),
		cmocka_unit_test(test_load_directives),
		cmocka_unit_test(test_get_reply),
		cmocka_unit_test(test_set_reply),
		cmocka_unit_test(test_locate),
		cmocka_unit_test(test_report_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
