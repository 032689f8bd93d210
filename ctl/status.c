// SPDX-License-Identifier: GPL-2.0
/* Decoding and printing the reply to IOI_CMD_STATUS_GET. */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "nl.h"
#include "status.h"
#include "util.h"

/* Names of the counters in IOI_A_STATS: one line per IOI_STAT_*. */
static const struct {
	unsigned int type;
	const char *json;	/* key in "stats" */
	const char *human;
} stat_names[] = {
	{ IOI_STAT_NETLINK_REQUESTS, "netlink_requests", "netlink requests" },
	{ IOI_STAT_ALLOWED, "allowed", "allowed" },
	{ IOI_STAT_DENIED, "denied", "denied" },
	{ IOI_STAT_AUDITED, "audited", "audited (would be denied)" },
	{ IOI_STAT_EXDEV, "exdev", "refused moves (EXDEV)" },
};

_Static_assert(ARRAY_SIZE(stat_names) == IOI_STAT_MAX,
	       "every IOI_STAT_* needs a line in stat_names[]");
_Static_assert(IOI_STAT_MAX < 64, "stats_present is a 64-bit mask");

/* libmnl checks exact lengths for fixed-size types (wrong length: error). */
static bool attr_ok(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return mnl_attr_validate(attr, type) == 0;
}

static int stats_attr_cb(const struct nlattr *attr, void *data)
{
	struct ioi_status *st = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* Type 0 may be the kernel's 64-bit alignment pad. */
	if (type == IOI_STAT_UNSPEC || type > IOI_STAT_MAX)
		return MNL_CB_OK;
	if (!attr_ok(attr, MNL_TYPE_U64))
		return MNL_CB_ERROR;
	st->stats[type] = mnl_attr_get_u64(attr);
	st->stats_present |= 1ULL << type;
	return MNL_CB_OK;
}

static int status_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == IOI_A_UNSPEC || type > IOI_A_MAX)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

int ioi_status_parse(const struct nlmsghdr *nlh, struct ioi_status *st)
{
	const size_t hdrlen = MNL_ALIGN(sizeof(struct genlmsghdr));
	const struct nlattr *tb[IOI_A_MAX + 1] = {};
	const char *version;
	size_t len;

	memset(st, 0, sizeof(*st));
	if (nlh->nlmsg_len < sizeof(*nlh))
		return -EBADMSG;
	len = mnl_nlmsg_get_payload_len(nlh);
	if (len < hdrlen)
		return -EBADMSG;
	if (ioi_nl_parse_attrs((const char *)mnl_nlmsg_get_payload(nlh) +
			       hdrlen, len - hdrlen, status_attr_cb, tb) < 0)
		return -EBADMSG;

	if (!tb[IOI_A_VERSION] || !tb[IOI_A_POLICY_LOADED] ||
	    !tb[IOI_A_STATS])
		return -ENODATA;

	if (!attr_ok(tb[IOI_A_VERSION], MNL_TYPE_NUL_STRING))
		return -EBADMSG;
	version = mnl_attr_get_str(tb[IOI_A_VERSION]);
	if (strlen(version) >= sizeof(st->version))
		return -EBADMSG;
	strcpy(st->version, version);

	if (!attr_ok(tb[IOI_A_POLICY_LOADED], MNL_TYPE_U8))
		return -EBADMSG;
	st->policy_loaded = mnl_attr_get_u8(tb[IOI_A_POLICY_LOADED]) != 0;

	/* Optional, and meaningless without a policy. */
	if (tb[IOI_A_POLICY_HASH]) {
		if (mnl_attr_get_payload_len(tb[IOI_A_POLICY_HASH]) !=
		    IOI_POLICY_HASH_LEN)
			return -EBADMSG;
		if (st->policy_loaded) {
			memcpy(st->policy_hash,
			       mnl_attr_get_payload(tb[IOI_A_POLICY_HASH]),
			       IOI_POLICY_HASH_LEN);
			st->has_policy_hash = true;
		}
	}

	if (!attr_ok(tb[IOI_A_STATS], MNL_TYPE_NESTED) ||
	    ioi_nl_parse_attrs(mnl_attr_get_payload(tb[IOI_A_STATS]),
			       mnl_attr_get_payload_len(tb[IOI_A_STATS]),
			       stats_attr_cb, st) < 0)
		return -EBADMSG;
	return 0;
}

static bool stat_present(const struct ioi_status *st, unsigned int type)
{
	return st->stats_present & (1ULL << type);
}

int ioi_status_print_human(FILE *f, const struct ioi_status *st)
{
	size_t i;

	char hex[IOI_HASH_HEX_SIZE];

	fputs("iointercept ", f);
	ioi_fputs_escaped(f, st->version);
	if (st->has_policy_hash) {
		ioi_hex(hex, st->policy_hash, IOI_POLICY_HASH_LEN);
		fprintf(f, "\n  policy: loaded, sha256 %s\n", hex);
	} else {
		fprintf(f, "\n  policy: %s\n",
			st->policy_loaded ? "loaded" : "not loaded");
	}
	for (i = 0; i < ARRAY_SIZE(stat_names); i++) {
		if (!stat_present(st, stat_names[i].type))
			continue;
		fprintf(f, "  %s: %llu\n", stat_names[i].human,
			(unsigned long long)st->stats[stat_names[i].type]);
	}
	return ferror(f) ? -EIO : 0;
}

struct json_object *ioi_status_to_json(const struct ioi_status *st)
{
	struct json_object *obj, *stats;
	char hex[IOI_HASH_HEX_SIZE];
	size_t i;

	obj = json_object_new_object();
	stats = json_object_new_object();
	if (!obj || !stats)
		goto err;
	for (i = 0; i < ARRAY_SIZE(stat_names); i++) {
		unsigned int type = stat_names[i].type;

		if (stat_present(st, type) &&
		    ioi_json_add(stats, stat_names[i].json,
			json_object_new_uint64(st->stats[type])))
			goto err;
	}
	if (ioi_json_add(obj, "version", json_object_new_string(st->version)) ||
	    ioi_json_add(obj, "policy_loaded",
		json_object_new_boolean(st->policy_loaded)))
		goto err;
	if (st->has_policy_hash) {
		ioi_hex(hex, st->policy_hash, IOI_POLICY_HASH_LEN);
		if (ioi_json_add(obj, "policy_sha256",
				 json_object_new_string(hex)))
			goto err;
	}
	/* ioi_json_add() has dropped @stats if it failed. */
	if (ioi_json_add(obj, "stats", stats)) {
		json_object_put(obj);
		return NULL;
	}
	return obj;

err:
	json_object_put(stats);
	json_object_put(obj);
	return NULL;
}

int ioi_status_print_json(FILE *f, const struct ioi_status *st)
{
	return ioi_json_print(f, ioi_status_to_json(st));
}
