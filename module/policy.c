// SPDX-License-Identifier: GPL-2.0
/*
 * The policy: an immutable snapshot built from one netlink message, the
 * decision for a path, and the canonical text whose SHA-256 identifies it.
 * docs/policy.md is the reference for what the rules mean.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <crypto/sha2.h>
#include <net/netlink.h>

#include "match.h"
#include "policy.h"

struct ioi_policy __rcu *ioi_policy_active;
/* Serialises writers; readers only use RCU. */
static DEFINE_MUTEX(ioi_policy_lock);

static const struct nla_policy ioi_rule_nl_policy[IOI_RULE_A_MAX + 1] = {
	[IOI_RULE_A_KIND] = NLA_POLICY_RANGE(NLA_U8, IOI_RULE_SYSTEM,
					     IOI_RULE_ENCRYPT),
	[IOI_RULE_A_ACCESS] = NLA_POLICY_RANGE(NLA_U8, 1, IOI_ACCESS_RWX),
	[IOI_RULE_A_PATTERN] = { .type = NLA_NUL_STRING,
				 .len = IOI_PATTERN_MAX - 1 },
};

const struct nla_policy ioi_policy_nl_policy[IOI_POLICY_A_MAX + 1] = {
	[IOI_POLICY_A_MODE] = NLA_POLICY_MAX(NLA_U8, IOI_MODE_AUDIT),
	[IOI_POLICY_A_DEFAULT] = NLA_POLICY_MAX(NLA_U8, IOI_DEFAULT_ALLOW),
	[IOI_POLICY_A_SCOPE] = NLA_POLICY_MAX(NLA_U8, IOI_SCOPE_CGROUP),
	[IOI_POLICY_A_CGROUP] = { .type = NLA_NUL_STRING,
				  .len = IOI_CGROUP_PATH_MAX - 1 },
	[IOI_POLICY_A_RULES] = NLA_POLICY_NESTED_ARRAY(ioi_rule_nl_policy),
	[IOI_POLICY_A_RULE] = { .type = NLA_REJECT,
				.reject_message = "rules go inside IOI_POLICY_A_RULES" },
	[IOI_POLICY_A_ON_PLAINTEXT] = NLA_POLICY_MAX(NLA_U8,
						     IOI_ON_PLAINTEXT_ALLOW),
	[IOI_POLICY_A_LOG_PATHS] = NLA_POLICY_MAX(NLA_U8, IOI_LOG_PATHS_REDACT),
	[IOI_POLICY_A_REQUIRE_TEE] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const u8 access_rights[] = {
	[IOI_ACCESS_RO] = IOI_R_READ,
	[IOI_ACCESS_RX] = IOI_R_READ | IOI_R_EXEC,
	[IOI_ACCESS_RW] = IOI_R_READ | IOI_R_WRITE | IOI_R_CREATE |
			  IOI_R_DELETE | IOI_R_SETATTR,
	[IOI_ACCESS_RWX] = IOI_R_ALL,
};

static u8 rule_rights(u8 kind, u8 access)
{
	switch (kind) {
	case IOI_RULE_SYSTEM:
		return IOI_R_READ | IOI_R_EXEC;
	case IOI_RULE_TMPFS:
		return access_rights[IOI_ACCESS_RW];
	case IOI_RULE_ALLOW:
		return access_rights[access];
	default:
		return 0;
	}
}

/* Canonical text: see docs/policy.md ("Policy hash"). */
struct cbuf {
	char *buf;	/* NULL: only count */
	size_t len;
};

static void cput(struct cbuf *c, const char *s, size_t n)
{
	if (c->buf)
		memcpy(c->buf + c->len, s, n);
	c->len += n;
}

static void cputs(struct cbuf *c, const char *s)
{
	cput(c, s, strlen(s));
}

static void cput_word(struct cbuf *c, const char *s)
{
	const char *p;

	if (!strpbrk(s, " \t#\"")) {
		cputs(c, s);
		return;
	}
	cput(c, "\"", 1);
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			cput(c, "\\", 1);
		cput(c, p, 1);
	}
	cput(c, "\"", 1);
}

static const char *const kind_names[] = {
	[IOI_RULE_SYSTEM] = "system",
	[IOI_RULE_TMPFS] = "tmpfs",
	[IOI_RULE_ALLOW] = "allow",
	[IOI_RULE_DENY] = "deny",
	[IOI_RULE_ENCRYPT] = "encrypt",
};

static const char *const access_names[] = {
	[IOI_ACCESS_RO] = "ro",
	[IOI_ACCESS_RX] = "rx",
	[IOI_ACCESS_RW] = "rw",
	[IOI_ACCESS_RWX] = "rwx",
};

static const char *const encrypt_names[] = {
	[IOI_ENCRYPT_RW] = "rw",
	[IOI_ENCRYPT_WO] = "wo",
};

static void canon_rule(struct cbuf *c, const struct ioi_rule *r)
{
	cputs(c, kind_names[r->kind]);
	cput(c, " ", 1);
	if (r->kind == IOI_RULE_ALLOW || r->kind == IOI_RULE_ENCRYPT) {
		cputs(c, r->kind == IOI_RULE_ALLOW ? access_names[r->access] :
						     encrypt_names[r->access]);
		cput(c, " ", 1);
	}
	cput_word(c, r->pattern);
	cput(c, "\n", 1);
}

static void canon_text(struct cbuf *c, const struct ioi_policy *p)
{
	u32 i;

	cputs(c, p->mode == IOI_MODE_AUDIT ? "mode audit\n" : "mode enforce\n");
	if (p->scope == IOI_SCOPE_CGROUP) {
		cputs(c, "scope cgroup ");
		cput_word(c, p->cgroup_path);
		cput(c, "\n", 1);
	} else {
		cputs(c, "scope all\n");
	}
	cputs(c, p->dflt == IOI_DEFAULT_ALLOW ? "default allow\n" :
						 "default deny\n");
	/* Only when not the default, so older policies keep their hash. */
	if (p->on_plaintext == IOI_ON_PLAINTEXT_ALLOW)
		cputs(c, "on-plaintext allow\n");
	if (p->log_paths == IOI_LOG_PATHS_REDACT)
		cputs(c, "log-paths redact\n");
	if (p->require_tee)
		cputs(c, "require-tee yes\n");
	for (i = 0; i < p->access.n; i++)
		canon_rule(c, &p->access.rule[i]);
	for (i = 0; i < p->encrypt.n; i++)
		canon_rule(c, &p->encrypt.rule[i]);
}

static int policy_hash(struct ioi_policy *p, const struct nlattr *nest,
		       struct netlink_ext_ack *extack)
{
	struct cbuf c = {};

	canon_text(&c, p);
	if (c.len > IOI_POLICY_TEXT_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "policy too large (canonical text over 40 KiB)");
		return -E2BIG;
	}
	c.buf = kvmalloc(c.len, GFP_KERNEL);
	if (!c.buf)
		return -ENOMEM;
	c.len = 0;
	canon_text(&c, p);
	sha256(c.buf, c.len, p->hash);
	kvfree(c.buf);
	return 0;
}

/*
 * A tmpfs rule must name a place on tmpfs or ramfs: check the deepest
 * existing directory of the pattern's literal prefix, as the loading task
 * sees it.
 */
static int check_tmpfs(const char *pattern, size_t prefix_len,
		       const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	struct path path;
	bool on_tmpfs;
	char *dir, *slash;
	int err;

	dir = kstrndup(pattern, prefix_len ? prefix_len : 1, GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	for (;;) {
		err = kern_path(dir, LOOKUP_FOLLOW, &path);
		if (err != -ENOENT)
			break;
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	kfree(dir);
	if (err) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "tmpfs rule: cannot look up its directory");
		return err;
	}
	on_tmpfs = ioi_sb_is_tmpfs(path.dentry->d_sb);
	path_put(&path);
	if (!on_tmpfs) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "tmpfs rule: the path is not on a tmpfs or ramfs");
		return -EINVAL;
	}
	return 0;
}

/* Check one rule's attributes; on success fill *@r except the pattern. */
static int parse_rule(const struct nlattr *rule, struct ioi_rule *r,
		      const struct nlattr **pattern,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IOI_RULE_A_MAX + 1];
	size_t offset;
	const char *why;
	int err;

	if (nla_type(rule) != IOI_POLICY_A_RULE) {
		NL_SET_ERR_MSG_ATTR(extack, rule,
				    "IOI_POLICY_A_RULES holds IOI_POLICY_A_RULE only");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, IOI_RULE_A_MAX, rule, ioi_rule_nl_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, rule, tb, IOI_RULE_A_KIND) ||
	    NL_REQ_ATTR_CHECK(extack, rule, tb, IOI_RULE_A_PATTERN)) {
		NL_SET_ERR_MSG(extack, "a rule needs a kind and a pattern");
		return -EINVAL;
	}
	r->kind = nla_get_u8(tb[IOI_RULE_A_KIND]);
	if (r->kind == IOI_RULE_ALLOW || r->kind == IOI_RULE_ENCRYPT) {
		if (NL_REQ_ATTR_CHECK(extack, rule, tb, IOI_RULE_A_ACCESS)) {
			NL_SET_ERR_MSG(extack,
				       "allow and encrypt rules need an access mode");
			return -EINVAL;
		}
		r->access = nla_get_u8(tb[IOI_RULE_A_ACCESS]);
		if (r->kind == IOI_RULE_ENCRYPT && r->access > IOI_ENCRYPT_WO) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IOI_RULE_A_ACCESS],
					    "encrypt rule: mode is rw or wo");
			return -EINVAL;
		}
	} else if (tb[IOI_RULE_A_ACCESS]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IOI_RULE_A_ACCESS],
				    "only allow and encrypt rules take an access mode");
		return -EINVAL;
	}
	*pattern = tb[IOI_RULE_A_PATTERN];
	if (ioi_pattern_check(nla_data(*pattern), &offset, &why)) {
		/*
		 * why is a string constant of match.c, so it outlives the
		 * request; the macros only take literals.
		 */
		if (extack)
			extack->_msg = why;
		NL_SET_BAD_ATTR(extack, *pattern);
		return -EINVAL;
	}
	r->prefix_len = ioi_pattern_prefix_len(nla_data(*pattern));
	r->shape = ioi_rule_shape(nla_data(*pattern), r->prefix_len);
	r->rights = rule_rights(r->kind, r->access);
	if (r->kind == IOI_RULE_TMPFS)
		return check_tmpfs(nla_data(*pattern), r->prefix_len, *pattern,
				   extack);
	return 0;
}

static struct ioi_policy *policy_alloc(u32 n_access, u32 n_encrypt,
				       size_t strbytes)
{
	struct ioi_policy *p;

	p = kvzalloc(struct_size(p, strings, strbytes), GFP_KERNEL);
	if (!p)
		return NULL;
	p->access.rule = kvcalloc(n_access, sizeof(*p->access.rule),
				  GFP_KERNEL);
	p->encrypt.rule = kvcalloc(n_encrypt, sizeof(*p->encrypt.rule),
				   GFP_KERNEL);
	if ((n_access && !p->access.rule) || (n_encrypt && !p->encrypt.rule)) {
		ioi_policy_free(p);
		return NULL;
	}
	return p;
}

void ioi_policy_free(struct ioi_policy *p)
{
	if (!p)
		return;
	if (p->cgrp)
		cgroup_put(p->cgrp);
	ioi_rules_free(&p->access);
	ioi_rules_free(&p->encrypt);
	kvfree(p->access.rule);
	kvfree(p->encrypt.rule);
	kvfree(p);
}

/*
 * Two passes over the rules: the first validates and counts, so the second
 * fills one allocation and cannot fail.
 */
struct ioi_policy *ioi_policy_from_nl(const struct nlattr *nest,
				      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IOI_POLICY_A_MAX + 1];
	const struct nlattr *rule, *pattern;
	u32 n_access = 0, n_encrypt = 0;
	size_t strbytes = 0, off = 0;
	struct ioi_policy *p;
	struct ioi_rule r;
	int err, rem;

	err = nla_parse_nested(tb, IOI_POLICY_A_MAX, nest, ioi_policy_nl_policy,
			       extack);
	if (err)
		return ERR_PTR(err);
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, IOI_POLICY_A_MODE) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, IOI_POLICY_A_DEFAULT) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, IOI_POLICY_A_SCOPE)) {
		NL_SET_ERR_MSG(extack, "a policy needs mode, default and scope");
		return ERR_PTR(-EINVAL);
	}
	if ((nla_get_u8(tb[IOI_POLICY_A_SCOPE]) == IOI_SCOPE_CGROUP) !=
	    !!tb[IOI_POLICY_A_CGROUP]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a cgroup path goes with scope cgroup, and only with it");
		return ERR_PTR(-EINVAL);
	}
	if (tb[IOI_POLICY_A_CGROUP]) {
		const char *cg = nla_data(tb[IOI_POLICY_A_CGROUP]);
		size_t offset;
		const char *why;

		/* The syntax of a pattern without wildcards, as ioctl-cli. */
		if (ioi_pattern_check(cg, &offset, &why) ||
		    strpbrk(cg, "*?[")) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IOI_POLICY_A_CGROUP],
					    "scope cgroup: not an absolute path without wildcards");
			return ERR_PTR(-EINVAL);
		}
		strbytes += nla_len(tb[IOI_POLICY_A_CGROUP]);
	}

	if (tb[IOI_POLICY_A_RULES]) {
		nla_for_each_nested(rule, tb[IOI_POLICY_A_RULES], rem) {
			memset(&r, 0, sizeof(r));
			err = parse_rule(rule, &r, &pattern, extack);
			if (err)
				return ERR_PTR(err);
			if (r.kind == IOI_RULE_ENCRYPT &&
			    ++n_encrypt > IOI_MAX_ENCRYPT_RULES) {
				NL_SET_ERR_MSG_ATTR(extack, rule,
						    "more than 128 encrypt rules");
				return ERR_PTR(-E2BIG);
			}
			if (r.kind != IOI_RULE_ENCRYPT &&
			    ++n_access > IOI_MAX_ACCESS_RULES) {
				NL_SET_ERR_MSG_ATTR(extack, rule,
						    "more than 1024 access rules");
				return ERR_PTR(-E2BIG);
			}
			strbytes += nla_len(pattern);
		}
	}

	p = policy_alloc(n_access, n_encrypt, strbytes);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->mode = nla_get_u8(tb[IOI_POLICY_A_MODE]);
	p->dflt = nla_get_u8(tb[IOI_POLICY_A_DEFAULT]);
	p->scope = nla_get_u8(tb[IOI_POLICY_A_SCOPE]);
	if (tb[IOI_POLICY_A_ON_PLAINTEXT])
		p->on_plaintext = nla_get_u8(tb[IOI_POLICY_A_ON_PLAINTEXT]);
	if (tb[IOI_POLICY_A_LOG_PATHS])
		p->log_paths = nla_get_u8(tb[IOI_POLICY_A_LOG_PATHS]);
	if (tb[IOI_POLICY_A_REQUIRE_TEE])
		p->require_tee = nla_get_u8(tb[IOI_POLICY_A_REQUIRE_TEE]);
	if (tb[IOI_POLICY_A_CGROUP]) {
		p->cgroup_path = p->strings + off;
		off += nla_strscpy(p->strings + off, tb[IOI_POLICY_A_CGROUP],
				   strbytes - off) + 1;
		p->cgrp = cgroup_get_from_path(p->cgroup_path);
		if (IS_ERR(p->cgrp)) {
			err = PTR_ERR(p->cgrp);
			p->cgrp = NULL;
			NL_SET_ERR_MSG_ATTR(extack, tb[IOI_POLICY_A_CGROUP],
					    "scope cgroup: no such cgroup v2 directory");
			goto err_free;
		}
	}
	if (tb[IOI_POLICY_A_RULES]) {
		n_access = 0;
		n_encrypt = 0;
		nla_for_each_nested(rule, tb[IOI_POLICY_A_RULES], rem) {
			struct ioi_rule *dst;

			memset(&r, 0, sizeof(r));
			/* Validated above; only a changed tmpfs can fail now. */
			err = parse_rule(rule, &r, &pattern, extack);
			if (err)
				goto err_free;
			dst = r.kind == IOI_RULE_ENCRYPT ?
			      &p->encrypt.rule[n_encrypt++] :
			      &p->access.rule[n_access++];
			*dst = r;
			dst->pattern = p->strings + off;
			off += nla_strscpy(p->strings + off, pattern,
					   strbytes - off) + 1;
		}
	}
	p->access.n = n_access;
	p->encrypt.n = n_encrypt;
	err = ioi_rules_index(&p->access);
	if (!err)
		err = ioi_rules_index(&p->encrypt);
	if (!err)
		err = policy_hash(p, nest, extack);
	if (err)
		goto err_free;
	return p;

err_free:
	ioi_policy_free(p);
	return ERR_PTR(err);
}

static int put_rule(struct sk_buff *msg, const struct ioi_rule *r)
{
	struct nlattr *nest = nla_nest_start(msg, IOI_POLICY_A_RULE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, IOI_RULE_A_KIND, r->kind) ||
	    ((r->kind == IOI_RULE_ALLOW || r->kind == IOI_RULE_ENCRYPT) &&
	     nla_put_u8(msg, IOI_RULE_A_ACCESS, r->access)) ||
	    nla_put_string(msg, IOI_RULE_A_PATTERN, r->pattern)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int ioi_policy_put_nl(struct sk_buff *msg, const struct ioi_policy *p)
{
	struct nlattr *nest, *rules;
	u32 i;

	nest = nla_nest_start(msg, IOI_A_POLICY);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, IOI_POLICY_A_MODE, p->mode) ||
	    nla_put_u8(msg, IOI_POLICY_A_DEFAULT, p->dflt) ||
	    nla_put_u8(msg, IOI_POLICY_A_SCOPE, p->scope) ||
	    (p->on_plaintext != IOI_ON_PLAINTEXT_REFUSE &&
	     nla_put_u8(msg, IOI_POLICY_A_ON_PLAINTEXT, p->on_plaintext)) ||
	    (p->log_paths != IOI_LOG_PATHS_FULL &&
	     nla_put_u8(msg, IOI_POLICY_A_LOG_PATHS, p->log_paths)) ||
	    (p->require_tee &&
	     nla_put_u8(msg, IOI_POLICY_A_REQUIRE_TEE, 1)) ||
	    (p->cgroup_path &&
	     nla_put_string(msg, IOI_POLICY_A_CGROUP, p->cgroup_path)))
		goto err;
	rules = nla_nest_start(msg, IOI_POLICY_A_RULES);
	if (!rules)
		goto err;
	for (i = 0; i < p->access.n; i++)
		if (put_rule(msg, &p->access.rule[i]))
			goto err;
	for (i = 0; i < p->encrypt.n; i++)
		if (put_rule(msg, &p->encrypt.rule[i]))
			goto err;
	nla_nest_end(msg, rules);
	/* nla_len is 16 bits: never send a nest whose length wrapped. */
	if (skb_tail_pointer(msg) - (unsigned char *)nest > U16_MAX)
		goto err;
	nla_nest_end(msg, nest);
	return 0;
err:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

void ioi_policy_install(struct ioi_policy *p)
{
	struct ioi_policy *old;

	mutex_lock(&ioi_policy_lock);
	old = rcu_replace_pointer(ioi_policy_active, p,
				  lockdep_is_held(&ioi_policy_lock));
	mutex_unlock(&ioi_policy_lock);
	/*
	 * While a policy is in force the module stays loaded: unloading it
	 * would silently end the confinement. unload-policy first.
	 */
	if (p && !old)
		__module_get(THIS_MODULE);
	if (old) {
		/* Hooks still deciding with the old snapshot finish first. */
		synchronize_rcu();
		ioi_policy_free(old);
		if (!p)
			module_put(THIS_MODULE);
	}
}

bool ioi_policy_loaded(void)
{
	return rcu_access_pointer(ioi_policy_active);
}

int ioi_policy_mode(void)
{
	const struct ioi_policy *p;
	int mode;

	rcu_read_lock();
	p = rcu_dereference(ioi_policy_active);
	mode = p ? p->mode : -1;
	rcu_read_unlock();
	return mode;
}

bool ioi_policy_requires_tee(void)
{
	const struct ioi_policy *p;
	bool ret;

	rcu_read_lock();
	p = rcu_dereference(ioi_policy_active);
	ret = p && p->require_tee;
	rcu_read_unlock();
	return ret;
}

bool ioi_policy_hash(u8 out[IOI_POLICY_HASH_LEN])
{
	const struct ioi_policy *p;
	bool loaded;

	rcu_read_lock();
	p = rcu_dereference(ioi_policy_active);
	loaded = p;
	if (p)
		memcpy(out, p->hash, IOI_POLICY_HASH_LEN);
	rcu_read_unlock();
	return loaded;
}

/*
 * Call @fn with the policy in force (or NULL) while no writer can replace
 * it, so @fn may sleep (allocate a reply, for instance).
 */
int ioi_policy_with(int (*fn)(const struct ioi_policy *p, void *arg),
		    void *arg)
{
	int ret;

	mutex_lock(&ioi_policy_lock);
	ret = fn(rcu_dereference_protected(ioi_policy_active,
					   lockdep_is_held(&ioi_policy_lock)),
		 arg);
	mutex_unlock(&ioi_policy_lock);
	return ret;
}

void ioi_policy_exit(void)
{
	ioi_policy_install(NULL);
}

u8 ioi_policy_encrypt_mode(const struct ioi_policy *p, const char *path,
			   size_t len)
{
	int i = ioi_rules_first(&p->encrypt, path, len);

	return i >= 0 ? p->encrypt.rule[i].access : 0;
}

#if IOI_KUNIT
#include "policy_test.c"
#endif
