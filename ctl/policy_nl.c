// SPDX-License-Identifier: GPL-2.0
/*
 * The policy as netlink attributes: the IOI_A_POLICY nest that
 * IOI_CMD_POLICY_SET sends and IOI_CMD_POLICY_GET returns (layout in
 * <linux/iointercept.h>), and the replies carrying IOI_A_POLICY_HASH.
 * One encoder and one decoder, so a round trip can be unit-tested.
 */
#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "nl.h"
#include "policy.h"

/* Room an attribute with @payload bytes takes, padding included. */
static size_t attr_size(size_t payload)
{
	return MNL_ALIGN(MNL_ATTR_HDRLEN + payload);
}

static bool has_access(uint8_t kind)
{
	return kind == IOI_RULE_ALLOW || kind == IOI_RULE_ENCRYPT;
}

size_t ioi_policy_nl_size(const struct ioi_policy *p)
{
	size_t n, i;

	n = MNL_ATTR_HDRLEN;			/* IOI_A_POLICY */
	n += 3 * attr_size(sizeof(uint8_t));	/* MODE, DEFAULT, SCOPE */
	if (p->scope == IOI_SCOPE_CGROUP)
		n += attr_size(strlen(p->cgroup ?: "") + 1);
	if (p->on_plaintext != IOI_ON_PLAINTEXT_REFUSE)
		n += attr_size(sizeof(uint8_t));
	if (p->log_paths != IOI_LOG_PATHS_FULL)
		n += attr_size(sizeof(uint8_t));
	if (p->require_tee)
		n += attr_size(sizeof(uint8_t));
	n += MNL_ATTR_HDRLEN;			/* RULES */
	for (i = 0; i < p->n_access + p->n_encrypt; i++) {
		const struct ioi_policy_rule *r = ioi_policy_rule_at(p, i);

		n += MNL_ATTR_HDRLEN;		/* RULE */
		n += attr_size(sizeof(uint8_t));
		if (has_access(r->kind))
			n += attr_size(sizeof(uint8_t));
		n += attr_size(strlen(r->pattern) + 1);
	}
	return n;
}

static bool put_rule(struct nlmsghdr *nlh, size_t buflen,
		     const struct ioi_policy_rule *r)
{
	struct nlattr *nest;

	nest = mnl_attr_nest_start_check(nlh, buflen, IOI_POLICY_A_RULE);
	if (!nest ||
	    !mnl_attr_put_u8_check(nlh, buflen, IOI_RULE_A_KIND, r->kind) ||
	    (has_access(r->kind) &&
	     !mnl_attr_put_u8_check(nlh, buflen, IOI_RULE_A_ACCESS,
				    r->access)) ||
	    !mnl_attr_put_strz_check(nlh, buflen, IOI_RULE_A_PATTERN,
				     r->pattern))
		return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

int ioi_policy_put_nl(struct nlmsghdr *nlh, size_t buflen,
		      const struct ioi_policy *p)
{
	struct nlattr *policy, *rules;
	size_t i;

	/* mnl_attr_nest_end() would truncate nla_len silently. */
	if (ioi_policy_nl_size(p) > IOI_POLICY_NL_MAX)
		return -EMSGSIZE;

	policy = mnl_attr_nest_start_check(nlh, buflen, IOI_A_POLICY);
	if (!policy)
		return -EMSGSIZE;
	if (!mnl_attr_put_u8_check(nlh, buflen, IOI_POLICY_A_MODE, p->mode) ||
	    !mnl_attr_put_u8_check(nlh, buflen, IOI_POLICY_A_DEFAULT,
				   p->dflt) ||
	    !mnl_attr_put_u8_check(nlh, buflen, IOI_POLICY_A_SCOPE, p->scope) ||
	    (p->on_plaintext != IOI_ON_PLAINTEXT_REFUSE &&
	     !mnl_attr_put_u8_check(nlh, buflen, IOI_POLICY_A_ON_PLAINTEXT,
				    p->on_plaintext)) ||
	    (p->log_paths != IOI_LOG_PATHS_FULL &&
	     !mnl_attr_put_u8_check(nlh, buflen, IOI_POLICY_A_LOG_PATHS,
				    p->log_paths)) ||
	    /* Only when set, as in the canonical text. */
	    (p->require_tee &&
	     !mnl_attr_put_u8_check(nlh, buflen, IOI_POLICY_A_REQUIRE_TEE, 1)))
		goto cancel;
	if (p->scope == IOI_SCOPE_CGROUP &&
	    !mnl_attr_put_strz_check(nlh, buflen, IOI_POLICY_A_CGROUP,
				     p->cgroup ?: ""))
		goto cancel;

	rules = mnl_attr_nest_start_check(nlh, buflen, IOI_POLICY_A_RULES);
	if (!rules)
		goto cancel;
	for (i = 0; i < p->n_access + p->n_encrypt; i++)
		if (!put_rule(nlh, buflen, ioi_policy_rule_at(p, i)))
			goto cancel;
	mnl_attr_nest_end(nlh, rules);
	mnl_attr_nest_end(nlh, policy);
	return 0;

cancel:
	/* Drops everything from the outer nest on. */
	mnl_attr_nest_cancel(nlh, policy);
	return -EMSGSIZE;
}

int ioi_policy_put_load_nl(struct nlmsghdr *nlh, size_t buflen,
			   const struct ioi_policy *p)
{
	uint32_t len = nlh->nlmsg_len;

	if ((p->load.has_build_id &&
	     !mnl_attr_put_check(nlh, buflen, IOI_A_BUILD_ID,
				 sizeof(p->load.build_id), p->load.build_id)) ||
	    (p->load.lock &&
	     /* A flag: no payload ("" only so memcpy() gets no NULL). */
	     !mnl_attr_put_check(nlh, buflen, IOI_A_LOCK, 0, ""))) {
		nlh->nlmsg_len = len;
		return -EMSGSIZE;
	}
	return 0;
}

/* Decoding */

/* A u8 attribute no larger than @max. */
static bool get_u8(const struct nlattr *attr, uint8_t max, uint8_t *v)
{
	if (!attr || mnl_attr_validate(attr, MNL_TYPE_U8) < 0)
		return false;
	*v = mnl_attr_get_u8(attr);
	return *v <= max;
}

/* A non-empty NUL-terminated string of fewer than @size bytes. */
static const char *get_str(const struct nlattr *attr, size_t size)
{
	const char *s;

	if (!attr || mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return NULL;
	s = mnl_attr_get_str(attr);
	if (!*s || strlen(s) >= size)
		return NULL;
	return s;
}

struct rules_ctx {
	struct ioi_policy *p;
	int err;
};

static int decode_rule(const struct nlattr *nest, struct ioi_policy *p)
{
	const struct nlattr *tb[IOI_RULE_A_MAX + 1] = {};
	uint8_t kind, access = 0, lo = 0, hi = 0;
	const char *pattern;

	if (ioi_nl_parse_nested(nest, tb, IOI_RULE_A_MAX) < 0 ||
	    !get_u8(tb[IOI_RULE_A_KIND], IOI_RULE_ENCRYPT, &kind) ||
	    kind == IOI_RULE_UNSPEC)
		return -EBADMSG;
	if (kind == IOI_RULE_ALLOW) {
		lo = IOI_ACCESS_RO;
		hi = IOI_ACCESS_RWX;
	} else if (kind == IOI_RULE_ENCRYPT) {
		lo = IOI_ENCRYPT_RW;
		hi = IOI_ENCRYPT_WO;
	}
	/* Kinds without an access level: ignore one if sent. */
	if (hi && (!get_u8(tb[IOI_RULE_A_ACCESS], hi, &access) ||
		   access < lo))
		return -EBADMSG;
	pattern = get_str(tb[IOI_RULE_A_PATTERN], IOI_PATTERN_MAX);
	if (!pattern)
		return -EBADMSG;
	switch (ioi_policy_add_rule(p, kind, access, pattern, 0)) {
	case 0:
		return 0;
	case -ENOMEM:
		return -ENOMEM;
	default:
		return -EBADMSG;	/* more rules than allowed */
	}
}

static int rules_cb(const struct nlattr *attr, void *data)
{
	struct rules_ctx *ctx = data;

	if (mnl_attr_get_type(attr) != IOI_POLICY_A_RULE)
		return MNL_CB_OK;
	ctx->err = decode_rule(attr, ctx->p);
	return ctx->err ? MNL_CB_ERROR : MNL_CB_OK;
}

int ioi_policy_from_nl(const struct nlattr *nest, struct ioi_policy *p)
{
	const struct nlattr *tb[IOI_POLICY_A_MAX + 1] = {};
	struct rules_ctx ctx = { .p = p };
	const struct nlattr *rules;
	uint8_t require_tee = 0;
	const char *cgroup;

	if (ioi_nl_parse_nested(nest, tb, IOI_POLICY_A_MAX) < 0 ||
	    !get_u8(tb[IOI_POLICY_A_MODE], IOI_MODE_AUDIT, &p->mode) ||
	    !get_u8(tb[IOI_POLICY_A_DEFAULT], IOI_DEFAULT_ALLOW, &p->dflt) ||
	    !get_u8(tb[IOI_POLICY_A_SCOPE], IOI_SCOPE_CGROUP, &p->scope) ||
	    (tb[IOI_POLICY_A_ON_PLAINTEXT] &&
	     !get_u8(tb[IOI_POLICY_A_ON_PLAINTEXT], IOI_ON_PLAINTEXT_ALLOW,
		     &p->on_plaintext)) ||
	    (tb[IOI_POLICY_A_LOG_PATHS] &&
	     !get_u8(tb[IOI_POLICY_A_LOG_PATHS], IOI_LOG_PATHS_REDACT,
		     &p->log_paths)) ||
	    (tb[IOI_POLICY_A_REQUIRE_TEE] &&
	     !get_u8(tb[IOI_POLICY_A_REQUIRE_TEE], 1, &require_tee)))
		return -EBADMSG;
	p->require_tee = require_tee;
	if (p->scope == IOI_SCOPE_CGROUP) {
		cgroup = get_str(tb[IOI_POLICY_A_CGROUP], IOI_CGROUP_PATH_MAX);
		if (!cgroup)
			return -EBADMSG;
		p->cgroup = strdup(cgroup);
		if (!p->cgroup)
			return -ENOMEM;
	}

	/* No IOI_POLICY_A_RULES: no rules. */
	rules = tb[IOI_POLICY_A_RULES];
	if (!rules)
		return 0;
	if (mnl_attr_validate(rules, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	if (ioi_nl_parse_attrs(mnl_attr_get_payload(rules),
			       mnl_attr_get_payload_len(rules), rules_cb,
			       &ctx) < 0)
		return ctx.err ?: -EBADMSG;
	return 0;
}

static int get_hash(const struct nlattr *attr,
		    uint8_t hash[IOI_POLICY_HASH_LEN])
{
	if (!attr)
		return -ENODATA;
	if (mnl_attr_get_payload_len(attr) != IOI_POLICY_HASH_LEN)
		return -EBADMSG;
	memcpy(hash, mnl_attr_get_payload(attr), IOI_POLICY_HASH_LEN);
	return 0;
}

int ioi_policy_parse_get_reply(const struct nlmsghdr *nlh,
			       struct ioi_policy *p,
			       uint8_t hash[IOI_POLICY_HASH_LEN])
{
	const struct nlattr *tb[IOI_A_MAX + 1] = {};
	int ret;

	ret = ioi_nl_parse_reply(nlh, tb, IOI_A_MAX);
	if (ret)
		return ret;
	if (!tb[IOI_A_POLICY])
		return -ENODATA;
	ret = get_hash(tb[IOI_A_POLICY_HASH], hash);
	if (ret)
		return ret;
	return ioi_policy_from_nl(tb[IOI_A_POLICY], p);
}

int ioi_policy_parse_set_reply(const struct nlmsghdr *nlh,
			       uint8_t hash[IOI_POLICY_HASH_LEN])
{
	const struct nlattr *tb[IOI_A_MAX + 1] = {};
	int ret;

	ret = ioi_nl_parse_reply(nlh, tb, IOI_A_MAX);
	if (ret)
		return ret;
	return get_hash(tb[IOI_A_POLICY_HASH], hash);
}

/* Errors from the module */

/* @attr if a whole attribute fits in the @len bytes from it, else NULL. */
static const struct nlattr *attr_at(const void *attr, size_t len)
{
	const struct nlattr *a = attr;

	if (len < sizeof(*a) || a->nla_len < sizeof(*a) || a->nla_len > len)
		return NULL;
	return a;
}

/* The attribute after @attr, *@len bytes being left from @attr; or NULL. */
static const struct nlattr *attr_next(const struct nlattr *attr, size_t *len)
{
	size_t step = MNL_ALIGN((size_t)attr->nla_len);

	if (step >= *len)
		return NULL;
	*len -= step;
	return attr_at((const char *)attr + step, *len);
}

/* The first attribute of type @type in @len bytes at @payload. */
static const struct nlattr *find_attr(const void *payload, size_t len,
				      uint16_t type)
{
	const struct nlattr *attr;

	for (attr = attr_at(payload, len); attr; attr = attr_next(attr, &len))
		if (mnl_attr_get_type(attr) == type)
			return attr;
	return NULL;
}

/* Does @attr, inside @req, hold the byte at @offset from @req? */
static bool holds(const struct nlmsghdr *req, const struct nlattr *attr,
		  uint32_t offset)
{
	size_t start = (size_t)((const char *)attr - (const char *)req);

	return offset >= start && offset < start + attr->nla_len;
}

long ioi_policy_locate(const struct nlmsghdr *req, uint32_t offset)
{
	const size_t hdrlen = MNL_ALIGN(sizeof(struct genlmsghdr));
	const struct nlattr *policy, *attr, *rules;
	size_t len, top_len;
	const char *top;
	long index = 0;

	if (req->nlmsg_len < sizeof(*req) ||
	    mnl_nlmsg_get_payload_len(req) < hdrlen || offset >= req->nlmsg_len)
		return IOI_POLICY_AT_NONE;
	top = (const char *)mnl_nlmsg_get_payload(req) + hdrlen;
	top_len = mnl_nlmsg_get_payload_len(req) - hdrlen;
	attr = find_attr(top, top_len, IOI_A_BUILD_ID);
	if (attr && holds(req, attr, offset))
		return IOI_POLICY_AT_BUILD_ID;
	attr = find_attr(top, top_len, IOI_A_LOCK);
	if (attr && holds(req, attr, offset))
		return IOI_POLICY_AT_LOCK;
	policy = find_attr(top, top_len, IOI_A_POLICY);
	if (!policy || !holds(req, policy, offset))
		return IOI_POLICY_AT_NONE;

	attr = find_attr(mnl_attr_get_payload(policy),
			 mnl_attr_get_payload_len(policy), IOI_POLICY_A_CGROUP);
	if (attr && holds(req, attr, offset))
		return IOI_POLICY_AT_CGROUP;
	rules = find_attr(mnl_attr_get_payload(policy),
			  mnl_attr_get_payload_len(policy), IOI_POLICY_A_RULES);
	if (!rules || !holds(req, rules, offset))
		return IOI_POLICY_AT_NONE;

	/* Count the rules up to the one holding @offset. */
	len = mnl_attr_get_payload_len(rules);
	for (attr = attr_at(mnl_attr_get_payload(rules), len); attr;
	     attr = attr_next(attr, &len), index++)
		if (holds(req, attr, offset))
			return index;
	return IOI_POLICY_AT_NONE;
}

/* N from a message "rule N: ...", or -1. */
static long rule_in_msg(const char *msg)
{
	const long max = IOI_MAX_ACCESS_RULES + IOI_MAX_ENCRYPT_RULES;
	const char *s;
	long index = 0;

	if (!msg || strncmp(msg, "rule ", 5))
		return -1;
	for (s = msg + 5; *s >= '0' && *s <= '9'; s++) {
		index = index * 10 + (*s - '0');
		if (index > max)
			return -1;	/* no such rule; and no overflow */
	}
	if (s == msg + 5 || *s != ':')
		return -1;
	return index;
}

bool ioi_policy_report_error(FILE *f, const char *name,
			     const struct ioi_policy *p,
			     const struct nlmsghdr *req,
			     const struct ioi_nl_ack *ack)
{
	const struct ioi_policy_rule *r;
	unsigned int line = 0;
	long at;

	if (!ack->from_kernel)
		return false;
	at = rule_in_msg(ack->msg);
	if (at < 0 && ack->has_offset && req)
		at = ioi_policy_locate(req, ack->offset);
	if (at == IOI_POLICY_AT_CGROUP) {
		line = p->scope_line;
	} else if (at == IOI_POLICY_AT_BUILD_ID) {
		line = p->load.build_id_line;
	} else if (at == IOI_POLICY_AT_LOCK) {
		line = p->load.lock_line;
	} else if (at >= 0) {
		r = ioi_policy_rule_at(p, (size_t)at);
		if (r)
			line = r->line;
	}
	if (!line)
		return false;
	fprintf(f, "%s:%u: error: %s\n", name, line,
		ack->msg ? ack->msg : strerror(ack->error));
	return true;
}
