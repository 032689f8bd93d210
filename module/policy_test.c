// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for policy.c, #included at its end on kernels with KUnit:
 * the decision (rule order, default, rights, audit is the hooks' business),
 * encrypt modes, the canonical text and its hash, and the limits enforced
 * when a policy arrives over netlink.
 */
#include <kunit/test.h>
#include <net/genetlink.h>

#define R(k, a, pat) { .kind = k, .access = a, .pattern = pat }

/* What parse_rule() computes from the attributes. */
static void finish_rules(struct ioi_rule *r, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		r[i].rights = rule_rights(r[i].kind, r[i].access);
		r[i].prefix_len = ioi_pattern_prefix_len(r[i].pattern);
		r[i].shape = ioi_rule_shape(r[i].pattern, r[i].prefix_len);
	}
}

/* The hooks pass a path with its length. */
static u8 granted(const struct ioi_policy *p, const char *path, int *rule)
{
	return ioi_policy_granted(p, path, strlen(path), rule);
}

static void decide(const struct ioi_policy *p, const char *path, u8 want,
		   struct ioi_verdict *v)
{
	ioi_policy_decide(p, path, strlen(path), want, v);
}

static bool split(const struct ioi_rules *rs, const char *dir)
{
	return ioi_rules_split_below(rs, dir, strlen(dir));
}

static u8 encrypt_mode(const struct ioi_policy *p, const char *path)
{
	return ioi_policy_encrypt_mode(p, path, strlen(path));
}

static struct ioi_rule test_access[] = {
	R(IOI_RULE_DENY, 0, "/data/secret/**"),
	R(IOI_RULE_ALLOW, IOI_ACCESS_RW, "/data/**"),
	R(IOI_RULE_SYSTEM, 0, "/usr/**"),
	R(IOI_RULE_ALLOW, IOI_ACCESS_RO, "/etc/*.conf"),
	R(IOI_RULE_TMPFS, 0, "/tmp/**"),
};

static struct ioi_rule test_encrypt[] = {
	R(IOI_RULE_ENCRYPT, IOI_ENCRYPT_RW, "/data/models/*.pt"),
	R(IOI_RULE_ENCRYPT, IOI_ENCRYPT_WO, "/data/**/*.log"),
};

static void init_policy(struct kunit *test, struct ioi_policy *p, u8 dflt)
{
	memset(p, 0, sizeof(*p));
	p->dflt = dflt;
	p->access.rule = test_access;
	p->access.n = ARRAY_SIZE(test_access);
	p->encrypt.rule = test_encrypt;
	p->encrypt.n = ARRAY_SIZE(test_encrypt);
	finish_rules(test_access, ARRAY_SIZE(test_access));
	finish_rules(test_encrypt, ARRAY_SIZE(test_encrypt));
	KUNIT_ASSERT_EQ(test, ioi_rules_index(&p->access), 0);
	KUNIT_ASSERT_EQ(test, ioi_rules_index(&p->encrypt), 0);
}

static void done_policy(struct ioi_policy *p)
{
	ioi_rules_free(&p->access);
	ioi_rules_free(&p->encrypt);
}

static void ioi_policy_test_first_match(struct kunit *test)
{
	struct ioi_policy p;
	int rule;

	init_policy(test, &p, IOI_DEFAULT_DENY);
	/* The deny rule comes first and wins over the broader allow. */
	KUNIT_EXPECT_EQ(test, granted(&p, "/data/secret/k", &rule),
			0);
	KUNIT_EXPECT_EQ(test, rule, 0);
	KUNIT_EXPECT_EQ(test, granted(&p, "/data/secret", &rule), 0);
	KUNIT_EXPECT_EQ(test, granted(&p, "/data/x", &rule),
			rule_rights(IOI_RULE_ALLOW, IOI_ACCESS_RW));
	KUNIT_EXPECT_EQ(test, rule, 1);
	/* A name that merely starts like a rule's prefix does not match. */
	KUNIT_EXPECT_EQ(test, granted(&p, "/database", &rule), 0);
	KUNIT_EXPECT_EQ(test, rule, -1);
	done_policy(&p);
}

static void ioi_policy_test_default(struct kunit *test)
{
	struct ioi_policy p;
	int rule;

	init_policy(test, &p, IOI_DEFAULT_DENY);
	KUNIT_EXPECT_EQ(test, granted(&p, "/srv/x", &rule), 0);
	KUNIT_EXPECT_EQ(test, rule, -1);
	done_policy(&p);
	init_policy(test, &p, IOI_DEFAULT_ALLOW);
	KUNIT_EXPECT_EQ(test, granted(&p, "/srv/x", &rule),
			IOI_R_ALL);
	/* An explicit rule still limits a path under default allow. */
	KUNIT_EXPECT_EQ(test, granted(&p, "/usr/bin/ls", &rule),
			IOI_R_READ | IOI_R_EXEC);
	done_policy(&p);
}

static void ioi_policy_test_decide(struct kunit *test)
{
	struct ioi_policy p;
	struct ioi_verdict v;

	init_policy(test, &p, IOI_DEFAULT_DENY);
	decide(&p, "/usr/bin/ls", IOI_R_READ | IOI_R_EXEC, &v);
	KUNIT_EXPECT_TRUE(test, v.allowed);
	decide(&p, "/usr/bin/ls", IOI_R_WRITE, &v);
	KUNIT_EXPECT_FALSE(test, v.allowed);
	KUNIT_EXPECT_EQ(test, v.rule, 2);
	decide(&p, "/usr/bin/new", IOI_R_CREATE, &v);
	KUNIT_EXPECT_FALSE(test, v.allowed);
	decide(&p, "/etc/app.conf", IOI_R_READ, &v);
	KUNIT_EXPECT_TRUE(test, v.allowed);
	decide(&p, "/etc/app.conf", IOI_R_READ | IOI_R_WRITE, &v);
	KUNIT_EXPECT_FALSE(test, v.allowed);
	decide(&p, "/etc/sub/app.conf", IOI_R_READ, &v);
	KUNIT_EXPECT_FALSE(test, v.allowed);
	decide(&p, "/tmp/a/b", IOI_R_CREATE | IOI_R_DELETE |
			  IOI_R_WRITE | IOI_R_SETATTR, &v);
	KUNIT_EXPECT_TRUE(test, v.allowed);
	decide(&p, "/tmp/a/b", IOI_R_EXEC, &v);
	KUNIT_EXPECT_FALSE(test, v.allowed);
	/* Asking for no right is never refused. */
	decide(&p, "/nowhere", 0, &v);
	KUNIT_EXPECT_TRUE(test, v.allowed);
	done_policy(&p);
}

static void ioi_policy_test_encrypt(struct kunit *test)
{
	struct ioi_policy p;

	init_policy(test, &p, IOI_DEFAULT_DENY);
	KUNIT_EXPECT_EQ(test, encrypt_mode(&p, "/data/models/a.pt"),
			IOI_ENCRYPT_RW);
	KUNIT_EXPECT_EQ(test, encrypt_mode(&p, "/data/models/a.log"),
			IOI_ENCRYPT_WO);
	KUNIT_EXPECT_EQ(test, encrypt_mode(&p, "/data/run.log"),
			IOI_ENCRYPT_WO);
	KUNIT_EXPECT_EQ(test, encrypt_mode(&p, "/data/models/a.pth"),
			0);
	KUNIT_EXPECT_EQ(test, encrypt_mode(&p, "/tmp/a.pt"), 0);

	KUNIT_EXPECT_TRUE(test, split(&p.encrypt, "/data"));
	KUNIT_EXPECT_TRUE(test, split(&p.encrypt, "/data/x/y"));
	KUNIT_EXPECT_TRUE(test, split(&p.encrypt, "/data/models"));
	KUNIT_EXPECT_TRUE(test, split(&p.encrypt, "/"));
	KUNIT_EXPECT_FALSE(test, split(&p.encrypt, "/tmp"));
	KUNIT_EXPECT_FALSE(test, split(&p.encrypt, "/database"));
	/* Trees cover a directory and its contents alike. */
	KUNIT_EXPECT_FALSE(test, split(&p.access, "/usr/lib"));
	KUNIT_EXPECT_FALSE(test, split(&p.access, "/data/secret/a"));
	KUNIT_EXPECT_TRUE(test, split(&p.access, "/data"));
	KUNIT_EXPECT_TRUE(test, split(&p.access, "/etc"));
	done_policy(&p);
}

static void ioi_policy_test_canonical(struct kunit *test)
{
	static const char want[] =
		"mode audit\nscope all\ndefault deny\n"
		"system /usr/**\n"
		"allow rw \"/data/My Models/**\"\n"
		"deny /data/**\n"
		"encrypt wo /data/**/*.log\n";
	/* sha256sum of want, computed outside the kernel. */
	static const u8 want_hash[IOI_POLICY_HASH_LEN] = {
		0x16, 0xd2, 0x37, 0x6a, 0x7c, 0xa4, 0x8d, 0xbe,
		0x5d, 0x93, 0x9f, 0x34, 0x70, 0x13, 0x0e, 0x52,
		0x18, 0x05, 0xc6, 0xd7, 0x4f, 0x41, 0x96, 0x5a,
		0x76, 0x88, 0xb1, 0x91, 0xe5, 0x2d, 0xa0, 0xb7,
	};
	struct ioi_rule access[] = {
		R(IOI_RULE_SYSTEM, 0, "/usr/**"),
		R(IOI_RULE_ALLOW, IOI_ACCESS_RW, "/data/My Models/**"),
		R(IOI_RULE_DENY, 0, "/data/**"),
	};
	struct ioi_rule encrypt[] = {
		R(IOI_RULE_ENCRYPT, IOI_ENCRYPT_WO, "/data/**/*.log"),
	};
	struct ioi_policy p = {
		.mode = IOI_MODE_AUDIT, .dflt = IOI_DEFAULT_DENY,
		.access = { .rule = access, .n = ARRAY_SIZE(access) },
		.encrypt = { .rule = encrypt, .n = ARRAY_SIZE(encrypt) },
	};
	struct cbuf c = {};

	canon_text(&c, &p);
	KUNIT_ASSERT_EQ(test, c.len, sizeof(want) - 1);
	c.buf = kunit_kzalloc(test, c.len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c.buf);
	c.len = 0;
	canon_text(&c, &p);
	KUNIT_EXPECT_STREQ(test, c.buf, want);
	KUNIT_ASSERT_EQ(test, policy_hash(&p, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(p.hash, want_hash, sizeof(want_hash)), 0);
}

/* A POLICY_SET nest of @n_allow allow rules and @n_encrypt encrypt rules. */
static struct sk_buff *build_policy(struct kunit *test, int n_allow,
				    int n_encrypt)
{
	struct sk_buff *skb = alloc_skb(256 * 1024, GFP_KERNEL);
	struct nlattr *pol, *rules, *rule;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	pol = nla_nest_start(skb, IOI_A_POLICY);
	nla_put_u8(skb, IOI_POLICY_A_MODE, IOI_MODE_ENFORCE);
	nla_put_u8(skb, IOI_POLICY_A_DEFAULT, IOI_DEFAULT_DENY);
	nla_put_u8(skb, IOI_POLICY_A_SCOPE, IOI_SCOPE_ALL);
	rules = nla_nest_start(skb, IOI_POLICY_A_RULES);
	for (i = 0; i < n_allow + n_encrypt; i++) {
		bool enc = i >= n_allow;

		rule = nla_nest_start(skb, IOI_POLICY_A_RULE);
		KUNIT_ASSERT_NOT_NULL(test, rule);
		nla_put_u8(skb, IOI_RULE_A_KIND,
			   enc ? IOI_RULE_ENCRYPT : IOI_RULE_ALLOW);
		nla_put_u8(skb, IOI_RULE_A_ACCESS,
			   enc ? IOI_ENCRYPT_RW : IOI_ACCESS_RO);
		nla_put_string(skb, IOI_RULE_A_PATTERN,
			       enc ? "/enc/**/*.pt" : "/data/*/x");
		nla_nest_end(skb, rule);
	}
	nla_nest_end(skb, rules);
	nla_nest_end(skb, pol);
	return skb;
}

static void expect_load(struct kunit *test, int n_allow, int n_encrypt,
			int want_err)
{
	struct sk_buff *skb = build_policy(test, n_allow, n_encrypt);
	struct ioi_policy *p;

	p = ioi_policy_from_nl((struct nlattr *)skb->data, NULL);
	if (want_err) {
		KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(p), want_err);
	} else {
		KUNIT_ASSERT_FALSE(test, IS_ERR(p));
		KUNIT_EXPECT_EQ(test, p->access.n, (u32)n_allow);
		KUNIT_EXPECT_EQ(test, p->encrypt.n, (u32)n_encrypt);
		KUNIT_EXPECT_STREQ(test, p->access.rule[n_allow - 1].pattern,
				   "/data/*/x");
		ioi_policy_free(p);
	}
	kfree_skb(skb);
}

static void ioi_policy_test_limits(struct kunit *test)
{
	expect_load(test, IOI_MAX_ACCESS_RULES, IOI_MAX_ENCRYPT_RULES, 0);
	expect_load(test, IOI_MAX_ACCESS_RULES + 1, 0, -E2BIG);
	expect_load(test, 1, IOI_MAX_ENCRYPT_RULES + 1, -E2BIG);
}

static struct kunit_case ioi_policy_test_cases[] = {
	KUNIT_CASE(ioi_policy_test_first_match),
	KUNIT_CASE(ioi_policy_test_default),
	KUNIT_CASE(ioi_policy_test_decide),
	KUNIT_CASE(ioi_policy_test_encrypt),
	KUNIT_CASE(ioi_policy_test_canonical),
	KUNIT_CASE(ioi_policy_test_limits),
	{}
};

static struct kunit_suite ioi_policy_test_suite = {
	.name = "iointercept_policy",
	.test_cases = ioi_policy_test_cases,
};

kunit_test_suite(ioi_policy_test_suite);
