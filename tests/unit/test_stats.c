// SPDX-License-Identifier: GPL-2.0
/*
 * The reply to IOI_CMD_STATS_GET (stats.c) and the counters' table
 * (ioi_stat_descs[] in status.c): decoding, the table, JSON, and the
 * Prometheus text format checked line by line against its grammar.
 */
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "stats.h"
#include "status.h"

#define STAT_FROM_THE_FUTURE	(IOI_STAT_MAX + 7)
#define ATTR_FROM_THE_FUTURE	200

static char buf[8192];

/* Counter i has the value 1000 + i, or @only one counter if non-zero. */
static struct nlmsghdr *build_reply(unsigned int only, bool pad)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = 0x20;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_STATS_GET;
	genl->version = IOI_GENL_VERSION;
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 1);
	nest = mnl_attr_nest_start(nlh, IOI_A_STATS);
	/* The kernel's nla_put_u64_64bit() pads with type 0 here. */
	if (pad)
		mnl_attr_put(nlh, IOI_STAT_UNSPEC, 0, NULL);
	mnl_attr_put_u64(nlh, STAT_FROM_THE_FUTURE, 99);
	for (i = IOI_STAT_UNSPEC + 1; i <= IOI_STAT_MAX; i++)
		if (!only || i == only)
			mnl_attr_put_u64(nlh, (uint16_t)i, 1000 + i);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static char *print_to_string(int (*print)(FILE *, const struct ioi_stats *),
			     const struct ioi_stats *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(print(f, s), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(out);
	return out;
}

/* The table's invariants: enum order, unique names, sysfs-style names. */
static void test_descs(void **state)
{
	size_t i, j;

	(void)state;
	assert_int_equal(ioi_stat_ndescs, IOI_STAT_MAX);
	for (i = 0; i < ioi_stat_ndescs; i++) {
		const struct ioi_stat_desc *d = &ioi_stat_descs[i];

		assert_int_equal(d->type, i + 1);
		assert_non_null(d->name);
		assert_int_equal(strspn(d->name, "abcdefghijklmnopqrstuvwxyz_"),
				 strlen(d->name));
		assert_non_null(d->metric);
		assert_non_null(d->help);
		for (j = 0; j < i; j++)
			assert_string_not_equal(d->name,
						ioi_stat_descs[j].name);
	}
	/* The names the sysfs files have. */
	assert_string_equal(ioi_stat_descs[IOI_STAT_DENIED_SETATTR - 1].name,
			    "denied_setattr");
	assert_string_equal(
		ioi_stat_descs[IOI_STAT_TIMING_CRYPT_CALLS - 1].name,
		"timing_crypt_calls");
	assert_string_equal(ioi_stat_descs[IOI_STAT_ENCRYPTED_OPEN - 1].name,
			    "encrypted_open");
}

static void test_parse(void **state)
{
	struct ioi_stats s;
	unsigned int i;

	(void)state;
	assert_int_equal(ioi_stats_parse(build_reply(0, true), &s), 0);
	for (i = 1; i <= IOI_STAT_MAX; i++) {
		assert_true(s.present & (1ULL << i));
		assert_int_equal(s.vals[i], 1000 + i);
	}
	assert_false(s.present & 1);

	assert_int_equal(ioi_stats_parse(build_reply(IOI_STAT_NOKEY, false),
					 &s), 0);
	assert_true(s.present == 1ULL << IOI_STAT_NOKEY);
}

static void test_parse_bad(void **state)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct ioi_stats s;

	(void)state;
	/* No IOI_A_STATS. */
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_STATS_GET;
	mnl_attr_put_u32(nlh, IOI_A_VERSION + 100, 0);
	assert_int_equal(ioi_stats_parse(nlh, &s), -ENODATA);

	/* A counter that is not a u64. */
	nest = mnl_attr_nest_start(nlh, IOI_A_STATS);
	mnl_attr_put_u32(nlh, IOI_STAT_DENIED, 3);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(ioi_stats_parse(nlh, &s), -EBADMSG);

	/* Cut. */
	nlh = build_reply(0, false);
	nlh->nlmsg_len -= 4;
	assert_int_equal(ioi_stats_parse(nlh, &s), -EBADMSG);
}

static void test_table(void **state)
{
	struct ioi_stats s;
	char *out;

	(void)state;
	assert_int_equal(ioi_stats_parse(build_reply(0, false), &s), 0);
	out = print_to_string(ioi_stats_print_table, &s);
	/* Names padded to the longest, integrity_failures (18). */
	assert_non_null(strstr(out, "netlink_requests    1001\n"
				    "allowed             1002\n"));
	assert_non_null(strstr(out, "\nallowed_read        1006\n"
				    "denied_read         1007\n"));
	assert_non_null(strstr(out, "\nencrypted_open      1022\n"));
	assert_non_null(strstr(out, "\ntiming_crypt_calls  1032\n"));
	free(out);

	/* One counter: no padding beyond its name. */
	assert_int_equal(ioi_stats_parse(build_reply(IOI_STAT_EXDEV, false),
					 &s), 0);
	out = print_to_string(ioi_stats_print_table, &s);
	assert_string_equal(out, "exdev  1005\n");
	free(out);

	/* Every line "<name> <value>", in enum order. */
	assert_int_equal(ioi_stats_parse(build_reply(0, false), &s), 0);
	out = print_to_string(ioi_stats_print_table, &s);
	{
		char *line, *save = NULL;
		unsigned int i = 1;
		char name[64];
		unsigned long long v;

		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save), i++) {
			assert_int_equal(sscanf(line, "%63s %llu", name, &v),
					 2);
			assert_string_equal(name, ioi_stat_descs[i - 1].name);
			assert_int_equal(v, 1000 + i);
		}
		assert_int_equal(i, IOI_STAT_MAX + 1);
	}
	free(out);
}

static void test_json(void **state)
{
	struct json_object *obj, *v;
	struct ioi_stats s;
	unsigned int i;
	char *out;

	(void)state;
	assert_int_equal(ioi_stats_parse(build_reply(0, false), &s), 0);
	out = print_to_string(ioi_stats_print_json, &s);
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	assert_ptr_equal(strstr(out, "{\"netlink_requests\":1001,"), out);
	obj = json_tokener_parse(out);
	assert_non_null(obj);
	assert_int_equal(json_object_object_length(obj), IOI_STAT_MAX);
	for (i = 0; i < ioi_stat_ndescs; i++) {
		assert_true(json_object_object_get_ex(obj,
					ioi_stat_descs[i].name, &v));
		assert_true(json_object_is_type(v, json_type_int));
		assert_int_equal(json_object_get_uint64(v), 1001 + i);
	}
	json_object_put(obj);
	free(out);

	/* Missing counters are left out. */
	assert_int_equal(ioi_stats_parse(build_reply(IOI_STAT_NOKEY, false),
					 &s), 0);
	out = print_to_string(ioi_stats_print_json, &s);
	assert_string_equal(out, "{\"nokey\":1025}\n");
	free(out);

	/* UINT64_MAX survives. */
	s.vals[IOI_STAT_NOKEY] = UINT64_MAX;
	out = print_to_string(ioi_stats_print_json, &s);
	assert_string_equal(out, "{\"nokey\":18446744073709551615}\n");
	free(out);
}

static bool matches(const char *re_text, const char *s)
{
	regex_t re;
	bool ok;

	assert_int_equal(regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

#define NAME_RE	"[a-zA-Z_:][a-zA-Z0-9_:]*"
#define SAMPLE_RE "^" NAME_RE "(\\{[^}]*\\})? [0-9]+$"
#define LABELS_RE "^\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\"," \
	"?)*\\}$"
#define MAX_FAMILIES	64

/*
 * Check @out against the text exposition format as node_exporter's
 * textfile collector reads it: every line HELP, TYPE or a sample; a
 * family's HELP and TYPE once, before its samples, which come together;
 * counters' names ending in _total. Returns the number of samples.
 */
static unsigned int check_prometheus(char *out)
{
	char *families[MAX_FAMILIES], *line, *save = NULL, *current = NULL;
	char current_type[16] = "";
	unsigned int nfam = 0, samples = 0, i;
	size_t len = strlen(out);

	assert_true(len == 0 || out[len - 1] == '\n');
	assert_null(strstr(out, "\n\n"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[128], type[16], *brace;
		size_t n;

		if (!strncmp(line, "# HELP ", 7)) {
			assert_int_equal(sscanf(line + 7, "%127s", name), 1);
			assert_true(matches("^" NAME_RE "$", name));
			/* A new family: never seen before. */
			for (i = 0; i < nfam; i++)
				assert_string_not_equal(families[i], name);
			assert_true(nfam < MAX_FAMILIES);
			families[nfam++] = line + 7;
			current = NULL;
			/* The text after the name is not empty. */
			assert_true(strlen(line + 7) > strlen(name) + 1);
			/* TYPE comes next, for the same name. */
			line = strtok_r(NULL, "\n", &save);
			assert_non_null(line);
			assert_int_equal(sscanf(line, "# TYPE %127s %15s",
						name, type), 2);
			assert_true(!strcmp(type, "counter") ||
				    !strcmp(type, "gauge"));
			n = strcspn(families[nfam - 1], " ");
			assert_int_equal(strlen(name), n);
			assert_memory_equal(name, families[nfam - 1], n);
			current = families[nfam - 1];
			strcpy(current_type, type);
			continue;
		}
		/* No other comment, and samples only after their TYPE. */
		assert_true(line[0] != '#');
		assert_true(matches(SAMPLE_RE, line));
		assert_non_null(current);
		n = strcspn(current, " ");
		brace = strchr(line, '{');
		assert_int_equal(brace ? (size_t)(brace - line) :
				 strcspn(line, " "), n);
		assert_memory_equal(line, current, n);
		if (brace) {
			char labels[256];
			size_t ll = strcspn(brace, " ");

			assert_true(ll < sizeof(labels));
			memcpy(labels, brace, ll);
			labels[ll] = '\0';
			assert_true(matches(LABELS_RE, labels));
		}
		if (!strcmp(current_type, "counter"))
			assert_memory_equal(current + n - 6, "_total", 6);
		samples++;
	}
	return samples;
}

static void test_prometheus(void **state)
{
	struct ioi_stats s;
	char *out;

	(void)state;
	assert_int_equal(ioi_stats_parse(build_reply(0, false), &s), 0);
	out = print_to_string(ioi_stats_print_prometheus, &s);

	/* Exact lines for the families that matter most. */
	assert_ptr_equal(strstr(out,
		"# HELP iointercept_netlink_requests_total Netlink requests "
		"handled since the module was loaded.\n"
		"# TYPE iointercept_netlink_requests_total counter\n"
		"iointercept_netlink_requests_total 1001\n"), out);
	assert_non_null(strstr(out,
		"# TYPE iointercept_denied_total counter\n"
		"iointercept_denied_total 1003\n"));
	assert_non_null(strstr(out,
		"# TYPE iointercept_decisions_total counter\n"
		"iointercept_decisions_total{right=\"read\",verdict=\"allowed\"} 1006\n"
		"iointercept_decisions_total{right=\"read\",verdict=\"denied\"} 1007\n"
		"iointercept_decisions_total{right=\"write\",verdict=\"allowed\"} 1008\n"));
	assert_non_null(strstr(out,
		"iointercept_decisions_total{right=\"setattr\",verdict=\"denied\"} 1017\n"
		"iointercept_decisions_total{right=\"privileged\",verdict=\"denied\"} 1018\n"
		"# HELP iointercept_hook_hits_total "));
	assert_non_null(strstr(out,
		"# TYPE iointercept_encrypted_open gauge\n"
		"iointercept_encrypted_open 1022\n"));
	assert_non_null(strstr(out,
		"# TYPE iointercept_timing_hook_nanoseconds_total counter\n"
		"iointercept_timing_hook_nanoseconds_total 1029\n"));
	/* One HELP line per family. */
	assert_non_null(strstr(out, "# HELP iointercept_decisions_total "));
	assert_null(strstr(strstr(out, "# HELP iointercept_decisions_total ")
			   + 1, "# HELP iointercept_decisions_total "));

	/* Every counter once: 32 samples in 20 families. */
	assert_int_equal(check_prometheus(out), IOI_STAT_MAX);
	free(out);
}

/* A family whose first member is missing still gets HELP and TYPE. */
static void test_prometheus_partial(void **state)
{
	struct ioi_stats s;
	char *out;

	(void)state;
	assert_int_equal(ioi_stats_parse(build_reply(IOI_STAT_DENIED_EXEC,
						     false), &s), 0);
	out = print_to_string(ioi_stats_print_prometheus, &s);
	assert_string_equal(out,
		"# HELP iointercept_decisions_total Checks of confined tasks "
		"by the right they needed and the verdict; right privileged: "
		"operations never allowed.\n"
		"# TYPE iointercept_decisions_total counter\n"
		"iointercept_decisions_total{right=\"exec\",verdict=\"denied\"} 1011\n");
	assert_int_equal(check_prometheus(out), 1);
	free(out);

	/* Nothing sent: nothing printed, still a valid (empty) file. */
	memset(&s, 0, sizeof(s));
	out = print_to_string(ioi_stats_print_prometheus, &s);
	assert_string_equal(out, "");
	free(out);

	/* Large values print in full, never in exponent form. */
	assert_int_equal(ioi_stats_parse(build_reply(0, false), &s), 0);
	s.vals[IOI_STAT_HOOK_HITS] = UINT64_MAX;
	out = print_to_string(ioi_stats_print_prometheus, &s);
	assert_non_null(strstr(out,
		"\niointercept_hook_hits_total 18446744073709551615\n"));
	assert_int_equal(check_prometheus(out), IOI_STAT_MAX);
	free(out);
}

/* The checker itself rejects what node_exporter would. */
static void test_checker_rejects(void **state)
{
	(void)state;
	assert_false(matches(SAMPLE_RE, "iointercept-denied_total 3"));
	assert_false(matches(SAMPLE_RE, "iointercept_denied_total 3e3"));
	assert_false(matches(SAMPLE_RE, "iointercept_denied_total  3"));
	assert_false(matches(SAMPLE_RE, "9iointercept_total 3"));
	assert_true(matches(SAMPLE_RE, "a_total{x=\"y\"} 3"));
	assert_false(matches(LABELS_RE, "{x=\"a\"b\"}"));
	assert_true(matches(LABELS_RE, "{x=\"a\\\"b\",y=\"\"}"));
	assert_false(matches(LABELS_RE, "{9x=\"a\"}"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descs),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_prometheus),
		cmocka_unit_test(test_prometheus_partial),
		cmocka_unit_test(test_checker_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
