// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding and printing of the IOI_CMD_STATUS_GET reply, fed with messages
 * built here the way the module builds them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "json_get.h"
#include "status.h"

#define ATTR_FROM_THE_FUTURE	200
#define STAT_FROM_THE_FUTURE	99

struct reply_opts {
	const char *version;	/* NULL: leave IOI_A_VERSION out */
	bool policy_loaded;
	size_t policy_len;	/* payload length of IOI_A_POLICY_LOADED */
	bool no_stats;
	uint64_t requests;
	size_t hash_len;	/* of IOI_A_POLICY_HASH; 0: leave it out */
};

static const uint8_t hash[IOI_POLICY_HASH_LEN + 1] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
};
#define HASH_HEX \
	"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210"
static const char hash_hex[] = HASH_HEX;

static char buf[8192];

static struct nlmsghdr *build_reply(const struct reply_opts *o)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct nlattr *nest;
	uint8_t policy[8] = { o->policy_loaded };

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_STATUS_GET;
	genl->version = IOI_GENL_VERSION;

	/* A newer module's attribute, before the known ones. */
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 0xdeadbeef);
	if (o->version)
		mnl_attr_put_strz(nlh, IOI_A_VERSION, o->version);
	mnl_attr_put(nlh, IOI_A_POLICY_LOADED,
		     o->policy_len ? o->policy_len : 1, policy);
	if (o->hash_len)
		mnl_attr_put(nlh, IOI_A_POLICY_HASH, o->hash_len, hash);
	if (!o->no_stats) {
		nest = mnl_attr_nest_start(nlh, IOI_A_STATS);
		mnl_attr_put_u64(nlh, STAT_FROM_THE_FUTURE, 12345);
		mnl_attr_put_u64(nlh, IOI_STAT_NETLINK_REQUESTS, o->requests);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

static struct nlmsghdr *good_reply(void)
{
	static const struct reply_opts o = {
		.version = "0.1.0",
		.policy_loaded = true,
		.requests = 3,
	};

	return build_reply(&o);
}

static void test_parse_ok(void **state)
{
	struct ioi_status st;

	(void)state;
	assert_int_equal(ioi_status_parse(good_reply(), &st), 0);
	assert_string_equal(st.version, "0.1.0");
	assert_true(st.policy_loaded);
	assert_true(st.stats_present & (1ULL << IOI_STAT_NETLINK_REQUESTS));
	assert_int_equal(st.stats[IOI_STAT_NETLINK_REQUESTS], 3);
}

static void test_parse_policy_not_loaded(void **state)
{
	const struct reply_opts o = { .version = "0.1.0", .requests = 7 };
	struct ioi_status st;

	(void)state;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), 0);
	assert_false(st.policy_loaded);
	assert_int_equal(st.stats[IOI_STAT_NETLINK_REQUESTS], 7);
}

static void test_parse_missing_version(void **state)
{
	const struct reply_opts o = { .version = NULL, .requests = 1 };
	struct ioi_status st;

	(void)state;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), -ENODATA);
}

static void test_parse_missing_stats(void **state)
{
	const struct reply_opts o = { .version = "0.1.0", .no_stats = true };
	struct ioi_status st;

	(void)state;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), -ENODATA);
}

static void test_parse_bad_u8_length(void **state)
{
	const struct reply_opts o = { .version = "0.1.0", .policy_len = 4 };
	struct ioi_status st;

	(void)state;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), -EBADMSG);
}

static void test_parse_bad_u64_length(void **state)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct nlattr *nest;
	struct ioi_status st;

	(void)state;
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_STATUS_GET;
	mnl_attr_put_strz(nlh, IOI_A_VERSION, "0.1.0");
	mnl_attr_put_u8(nlh, IOI_A_POLICY_LOADED, 0);
	nest = mnl_attr_nest_start(nlh, IOI_A_STATS);
	mnl_attr_put_u32(nlh, IOI_STAT_NETLINK_REQUESTS, 3);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(ioi_status_parse(nlh, &st), -EBADMSG);
}

static void test_parse_unterminated_version(void **state)
{
	struct nlmsghdr *nlh = good_reply();
	struct nlattr *attr;
	struct ioi_status st;

	(void)state;
	/* Overwrite the NUL of "0.1.0" in place. */
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(attr) == IOI_A_VERSION)
			((char *)mnl_attr_get_payload(attr))[5] = 'x';
	}
	assert_int_equal(ioi_status_parse(nlh, &st), -EBADMSG);
}

static void test_parse_truncated(void **state)
{
	struct nlmsghdr *nlh;
	struct ioi_status st;

	(void)state;
	/* Shorter than a genlmsghdr. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_len += 2;
	assert_int_equal(ioi_status_parse(nlh, &st), -EBADMSG);

	/* An attribute running past the end of the message. */
	nlh = good_reply();
	nlh->nlmsg_len -= 4;
	assert_int_equal(ioi_status_parse(nlh, &st), -EBADMSG);
}

static char *print_to_string(int (*print)(FILE *, const struct ioi_status *),
			     const struct ioi_status *st)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(print(f, st), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(out);
	return out;
}

static void test_json(void **state)
{
	struct json_object *obj, *v, *stats;
	struct ioi_status st;
	char *out;

	(void)state;
	assert_int_equal(ioi_status_parse(good_reply(), &st), 0);
	out = print_to_string(ioi_status_print_json, &st);
	/* One line: the only newline is the last byte. */
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);

	obj = json_tokener_parse(out);
	assert_non_null(obj);
	assert_true(json_object_is_type(obj, json_type_object));

	assert_true(json_object_object_get_ex(obj, "version", &v));
	assert_true(json_object_is_type(v, json_type_string));
	assert_string_equal(json_object_get_string(v), "0.1.0");

	assert_true(json_object_object_get_ex(obj, "policy_loaded", &v));
	assert_true(json_object_is_type(v, json_type_boolean));
	assert_true(json_object_get_boolean(v));

	assert_true(json_object_object_get_ex(obj, "stats", &stats));
	assert_true(json_object_is_type(stats, json_type_object));
	assert_int_equal(json_object_object_length(stats), 1);
	assert_true(json_object_object_get_ex(stats, "netlink_requests", &v));
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_uint64(v), 3);

	assert_int_equal(json_object_object_length(obj), 3);
	json_object_put(obj);
	free(out);
}

static void test_json_u64_max(void **state)
{
	const struct reply_opts o = {
		.version = "0.1.0",
		.requests = UINT64_MAX,
	};
	struct json_object *obj, *stats, *v;
	struct ioi_status st;
	char *out;

	(void)state;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), 0);
	out = print_to_string(ioi_status_print_json, &st);
	assert_non_null(strstr(out, "18446744073709551615"));
	obj = json_tokener_parse(out);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "stats", &stats));
	assert_true(json_object_object_get_ex(stats, "netlink_requests", &v));
	assert_true(json_object_get_uint64(v) == UINT64_MAX);
	assert_true(json_object_object_get_ex(obj, "policy_loaded", &v));
	assert_false(json_object_get_boolean(v));
	json_object_put(obj);
	free(out);
}

/* A quote, a backslash, a slash and control bytes survive the round trip. */
static void test_json_escaping(void **state)
{
	static const char nasty[] = "0.1\"\\/\x01\t\x1b[2J-rc";
	const struct reply_opts o = { .version = nasty, .requests = 1 };
	struct json_object *obj, *v;
	struct ioi_status st;
	char *out;

	(void)state;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), 0);
	assert_string_equal(st.version, nasty);
	out = print_to_string(ioi_status_print_json, &st);
	/* No raw control byte reaches the output. */
	assert_null(strchr(out, '\x01'));
	assert_null(strchr(out, '\x1b'));
	assert_null(strchr(out, '\t'));

	obj = json_tokener_parse(out);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "version", &v));
	assert_string_equal(json_object_get_string(v), nasty);
	json_object_put(obj);
	free(out);
}

static void test_human(void **state)
{
	struct ioi_status st;
	char *out;

	(void)state;
	assert_int_equal(ioi_status_parse(good_reply(), &st), 0);
	out = print_to_string(ioi_status_print_human, &st);
	assert_string_equal(out, "iointercept 0.1.0\n"
				 "  policy: loaded\n"
				 "  netlink requests: 3\n");
	free(out);

	st.policy_loaded = false;
	out = print_to_string(ioi_status_print_human, &st);
	assert_non_null(strstr(out, "\n  policy: not loaded\n"));
	free(out);

	/* A counter the module did not send is not printed. */
	st.stats_present = 0;
	out = print_to_string(ioi_status_print_human, &st);
	assert_null(strstr(out, "netlink requests"));
	free(out);
}

static void test_human_escaping(void **state)
{
	const struct reply_opts o = { .version = "1\\2\x1b[2J", .requests = 1 };
	struct ioi_status st;
	char *out;

	(void)state;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), 0);
	out = print_to_string(ioi_status_print_human, &st);
	assert_null(strchr(out, '\x1b'));
	assert_non_null(strstr(out, "iointercept 1\\\\2\\x1b[2J\n"));
	free(out);
}

static void test_policy_hash(void **state)
{
	const struct reply_opts o = {
		.version = "0.1.0",
		.policy_loaded = true,
		.requests = 5,
		.hash_len = IOI_POLICY_HASH_LEN,
	};
	struct json_object *obj, *v;
	struct ioi_status st;
	char *out, *want;

	(void)state;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), 0);
	assert_true(st.has_policy_hash);
	assert_memory_equal(st.policy_hash, hash, IOI_POLICY_HASH_LEN);

	out = print_to_string(ioi_status_print_human, &st);
	assert_true(asprintf(&want, "iointercept 0.1.0\n"
			     "  policy: loaded, sha256 %s\n"
			     "  netlink requests: 5\n", hash_hex) > 0);
	assert_string_equal(out, want);
	free(want);
	free(out);

	out = print_to_string(ioi_status_print_json, &st);
	obj = json_tokener_parse(out);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "policy_sha256", &v));
	assert_string_equal(json_object_get_string(v), hash_hex);
	assert_true(json_object_object_get_ex(obj, "policy_loaded", &v));
	assert_true(json_object_get_boolean(v));
	assert_int_equal(json_object_object_length(obj), 4);
	json_object_put(obj);
	free(out);
}

static void test_policy_hash_bad(void **state)
{
	struct reply_opts o = {
		.version = "0.1.0",
		.policy_loaded = true,
		.hash_len = IOI_POLICY_HASH_LEN + 1,
	};
	struct ioi_status st;
	char *out;

	(void)state;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), -EBADMSG);
	o.hash_len = IOI_POLICY_HASH_LEN - 1;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), -EBADMSG);

	/* A hash without a policy means nothing: ignored. */
	o.hash_len = IOI_POLICY_HASH_LEN;
	o.policy_loaded = false;
	assert_int_equal(ioi_status_parse(build_reply(&o), &st), 0);
	assert_false(st.has_policy_hash);
	out = print_to_string(ioi_status_print_human, &st);
	assert_non_null(strstr(out, "\n  policy: not loaded\n"));
	free(out);
	out = print_to_string(ioi_status_print_json, &st);
	assert_null(strstr(out, "policy_sha256"));
	free(out);
}

/*
 * A module sends every counter; `status` shows the totals, `stats` the
 * rest, so its output stays short.
 */
static void test_status_shows_totals(void **state)
{
	struct json_object *obj, *stats, *v;
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct ioi_status st;
	unsigned int i;
	char *out;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_STATUS_GET;
	mnl_attr_put_strz(nlh, IOI_A_VERSION, "0.2.0");
	mnl_attr_put_u8(nlh, IOI_A_POLICY_LOADED, 0);
	nest = mnl_attr_nest_start(nlh, IOI_A_STATS);
	for (i = 1; i <= IOI_STAT_MAX; i++)
		mnl_attr_put_u64(nlh, (uint16_t)i, 100 + i);
	mnl_attr_nest_end(nlh, nest);

	assert_int_equal(ioi_status_parse(nlh, &st), 0);
	assert_true(st.stats_present ==
		    ((1ULL << (IOI_STAT_MAX + 1)) - 2));
	assert_int_equal(st.stats[IOI_STAT_TIMING_CRYPT_CALLS],
			 100 + IOI_STAT_TIMING_CRYPT_CALLS);

	out = print_to_string(ioi_status_print_human, &st);
	assert_string_equal(out, "iointercept 0.2.0\n"
				 "  policy: not loaded\n"
				 "  netlink requests: 101\n"
				 "  allowed: 102\n"
				 "  denied: 103\n"
				 "  audited (would be denied): 104\n"
				 "  refused moves (EXDEV): 105\n");
	free(out);

	out = print_to_string(ioi_status_print_json, &st);
	obj = json_tokener_parse(out);
	assert_non_null(obj);
	assert_true(json_object_object_get_ex(obj, "stats", &stats));
	assert_int_equal(json_object_object_length(stats), 5);
	assert_true(json_object_object_get_ex(stats, "exdev", &v));
	assert_int_equal(json_object_get_uint64(v), 105);
	assert_false(json_object_object_get_ex(stats, "denied_read", &v));
	json_object_put(obj);
	free(out);
}

/* Attestation (docs/attestation.md) */

/* What a module with attestation adds; each u8 < 0 is left out. */
struct attest_opts {
	size_t measurement_len;	/* 0: leave IOI_A_MEASUREMENT out */
	size_t build_id_len;	/* 0: leave IOI_A_BUILD_ID out */
	int locked, armed, tee, sig;
};

static const uint8_t build_id[IOI_BUILD_ID_SIZE + 1] = {
	[0] = 0xb1, [31] = 0x1d,
};
#define BUILD_ID_HEX "b1000000000000000000000000000000" \
		     "0000000000000000000000000000001d"

static struct nlmsghdr *attest_reply(const struct attest_opts *a)
{
	struct nlmsghdr *nlh = good_reply();

	/* The same 32 bytes stand for the measurement here. */
	if (a->measurement_len)
		mnl_attr_put(nlh, IOI_A_MEASUREMENT, a->measurement_len, hash);
	if (a->build_id_len)
		mnl_attr_put(nlh, IOI_A_BUILD_ID, a->build_id_len, build_id);
	if (a->locked >= 0)
		mnl_attr_put_u8(nlh, IOI_A_LOCKED, (uint8_t)a->locked);
	if (a->armed >= 0)
		mnl_attr_put_u8(nlh, IOI_A_HOOKS_ARMED, (uint8_t)a->armed);
	if (a->tee >= 0)
		mnl_attr_put_u8(nlh, IOI_A_TEE, (uint8_t)a->tee);
	if (a->sig >= 0)
		mnl_attr_put_u8(nlh, IOI_A_MODULE_SIG, (uint8_t)a->sig);
	return nlh;
}

static const struct attest_opts full = {
	.measurement_len = 32, .build_id_len = 32,
	.locked = 1, .armed = 1, .tee = IOI_TEE_SEV_SNP,
	.sig = IOI_MODULE_SIG_VERIFIED,
};

static void test_attest_parse(void **state)
{
	struct attest_opts a = full;
	struct ioi_status st;

	(void)state;
	assert_int_equal(ioi_status_parse(attest_reply(&a), &st), 0);
	assert_true(st.has_measurement);
	assert_memory_equal(st.measurement, hash, IOI_MEASUREMENT_SIZE);
	assert_true(st.has_build_id);
	assert_memory_equal(st.build_id, build_id, IOI_BUILD_ID_SIZE);
	assert_true(st.has_locked && st.locked);
	assert_true(st.has_hooks_armed && st.hooks_armed);
	assert_true(st.has_tee);
	assert_int_equal(st.tee, IOI_TEE_SEV_SNP);
	assert_true(st.has_module_sig);
	assert_int_equal(st.module_sig, IOI_MODULE_SIG_VERIFIED);
	assert_false(st.has_taint);

	/* An older module: none of them, and no error. */
	assert_int_equal(ioi_status_parse(good_reply(), &st), 0);
	assert_false(st.has_measurement || st.has_build_id || st.has_locked ||
		     st.has_hooks_armed || st.has_tee || st.has_module_sig);

	/* Wrong lengths are malformed. */
	a.measurement_len = 31;
	assert_int_equal(ioi_status_parse(attest_reply(&a), &st), -EBADMSG);
	a = full;
	a.build_id_len = 33;
	assert_int_equal(ioi_status_parse(attest_reply(&a), &st), -EBADMSG);

	/* A u8 sent as a u32. */
	a = full;
	a.tee = -1;
	mnl_attr_put_u32(attest_reply(&a), IOI_A_TEE, 1);
	assert_int_equal(ioi_status_parse((struct nlmsghdr *)buf, &st),
			 -EBADMSG);
}

static void test_attest_human(void **state)
{
	struct attest_opts a = full;
	struct ioi_status st;
	char *out;

	(void)state;
	assert_int_equal(ioi_status_parse(attest_reply(&a), &st), 0);
	st.has_taint = true;
	strcpy(st.taint, "OE");
	out = print_to_string(ioi_status_print_human, &st);
	assert_string_equal(out, "iointercept 0.1.0\n"
				 "  policy: loaded\n"
				 "  build ID: " BUILD_ID_HEX "\n"
				 "  measurement: " HASH_HEX "\n"
				 "  locked: yes, until reboot\n"
				 "  hooks: armed\n"
				 "  tee: sev-snp\n"
				 "  module signature: verified\n"
				 "  taint: OE\n"
				 "  netlink requests: 3\n");
	free(out);

	/* No build ID set; unlocked, disarmed, no TEE; not tainted. */
	a.build_id_len = 0;
	a.locked = 0;
	a.armed = 0;
	a.tee = IOI_TEE_NONE;
	a.sig = IOI_MODULE_SIG_UNVERIFIED;
	assert_int_equal(ioi_status_parse(attest_reply(&a), &st), 0);
	st.has_taint = true;
	out = print_to_string(ioi_status_print_human, &st);
	assert_non_null(strstr(out, "\n  build ID: none\n"));
	assert_non_null(strstr(out, "\n  locked: no\n"));
	assert_non_null(strstr(out, "\n  hooks: DISARMED\n"));
	assert_non_null(strstr(out, "\n  tee: none\n"));
	assert_non_null(strstr(out, "\n  module signature: unverified\n"));
	assert_non_null(strstr(out, "\n  taint: none\n"));
	free(out);

	/* A newer module's values are shown, not refused. */
	a.tee = 9;
	a.sig = 7;
	assert_int_equal(ioi_status_parse(attest_reply(&a), &st), 0);
	out = print_to_string(ioi_status_print_human, &st);
	assert_non_null(strstr(out, "\n  tee: unknown-9\n"));
	assert_non_null(strstr(out, "\n  module signature: unknown-7\n"));
	assert_null(strstr(out, "taint"));
	free(out);

	/* Only some attributes: only their lines; no "build ID: none". */
	a = (struct attest_opts){ .locked = 0, .armed = -1, .tee = -1,
				  .sig = -1 };
	assert_int_equal(ioi_status_parse(attest_reply(&a), &st), 0);
	out = print_to_string(ioi_status_print_human, &st);
	assert_string_equal(out, "iointercept 0.1.0\n"
				 "  policy: loaded\n"
				 "  locked: no\n"
				 "  netlink requests: 3\n");
	free(out);
}

static void test_attest_json(void **state)
{
	struct attest_opts a = full;
	struct json_object *obj, *v;
	struct ioi_status st;
	char *out;

	(void)state;
	assert_int_equal(ioi_status_parse(attest_reply(&a), &st), 0);
	st.has_taint = true;
	strcpy(st.taint, "E");
	out = print_to_string(ioi_status_print_json, &st);
	obj = json_tokener_parse(out);
	assert_non_null(obj);
	assert_string_equal(get_str(obj, "build_id"), BUILD_ID_HEX);
	assert_string_equal(get_str(obj, "measurement"), hash_hex);
	assert_true(get_bool(obj, "locked"));
	assert_true(get_bool(obj, "hooks_armed"));
	assert_string_equal(get_str(obj, "tee"), "sev-snp");
	assert_string_equal(get_str(obj, "module_sig"), "verified");
	assert_string_equal(get_str(obj, "taint"), "E");
	assert_int_equal(json_object_object_length(obj), 10);
	json_object_put(obj);
	free(out);

	/* No build ID: null, so that "none" is told from "not reported". */
	a.build_id_len = 0;
	a.armed = 0;
	assert_int_equal(ioi_status_parse(attest_reply(&a), &st), 0);
	out = print_to_string(ioi_status_print_json, &st);
	assert_non_null(strstr(out, "\"build_id\":null"));
	obj = json_tokener_parse(out);
	assert_non_null(obj);
	assert_false(get_bool(obj, "hooks_armed"));
	assert_false(json_object_object_get_ex(obj, "taint", &v));
	json_object_put(obj);
	free(out);

	/* An older module: the keys are left out. */
	assert_int_equal(ioi_status_parse(good_reply(), &st), 0);
	out = print_to_string(ioi_status_print_json, &st);
	assert_null(strstr(out, "build_id"));
	assert_null(strstr(out, "measurement"));
	free(out);
}

/* The reply to BUILD_ID_SET and LOCK. */
static void test_measurement_reply(void **state)
{
	uint8_t m[IOI_MEASUREMENT_SIZE];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	char *out;
	size_t len = 0;
	FILE *f;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_LOCK;
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 1);
	assert_int_equal(ioi_status_parse_measurement(nlh, m), -ENODATA);
	mnl_attr_put(nlh, IOI_A_MEASUREMENT, IOI_MEASUREMENT_SIZE, hash);
	assert_int_equal(ioi_status_parse_measurement(nlh, m), 0);
	assert_memory_equal(m, hash, sizeof(m));

	out = NULL;
	f = open_memstream(&out, &len);
	assert_non_null(f);
	ioi_status_print_measurement(f, m);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(out, "measurement " HASH_HEX "\n");
	free(out);

	/* A second, short one: malformed. */
	mnl_attr_put(nlh, IOI_A_MEASUREMENT, 16, hash);
	assert_int_equal(ioi_status_parse_measurement(nlh, m), -EBADMSG);
}

static void test_read_taint(void **state)
{
	char path[] = "/tmp/test_status.XXXXXX";
	struct ioi_status st;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "OE\n", 3), 3);
	close(fd);
	memset(&st, 0, sizeof(st));
	ioi_status_read_taint(&st, path);
	assert_true(st.has_taint);
	assert_string_equal(st.taint, "OE");

	/* Untainted: an empty line. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "\n", 1), 1);
	close(fd);
	ioi_status_read_taint(&st, path);
	assert_true(st.has_taint);
	assert_string_equal(st.taint, "");

	assert_int_equal(unlink(path), 0);
	ioi_status_read_taint(&st, path);
	assert_false(st.has_taint);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_policy_not_loaded),
		cmocka_unit_test(test_parse_missing_version),
		cmocka_unit_test(test_parse_missing_stats),
		cmocka_unit_test(test_parse_bad_u8_length),
		cmocka_unit_test(test_parse_bad_u64_length),
		cmocka_unit_test(test_parse_unterminated_version),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_u64_max),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_human),
		cmocka_unit_test(test_human_escaping),
		cmocka_unit_test(test_policy_hash),
		cmocka_unit_test(test_policy_hash_bad),
		cmocka_unit_test(test_status_shows_totals),
		cmocka_unit_test(test_attest_parse),
		cmocka_unit_test(test_attest_human),
		cmocka_unit_test(test_attest_json),
		cmocka_unit_test(test_measurement_reply),
		cmocka_unit_test(test_read_taint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
