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

#include <cmocka.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

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
static const char hash_hex[] =
	"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210";

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
