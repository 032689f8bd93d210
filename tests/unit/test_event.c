// SPDX-License-Identifier: GPL-2.0
/*
 * Events of the "events" group (event.c): decoding messages built here the
 * way the module builds them (u64s after IOI_EV_A_PAD, as
 * nla_put_u64_64bit() does), the text and JSON lines, hostile names, the
 * lost-event accounting and the monitor's handling of whole datagrams.
 */
#include <errno.h>
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

#include "escape.h"
#include "event.h"
#include "util.h"

#define FAMILY		0x1c
#define ATTR_FROM_THE_FUTURE	200
#define EV_ATTR_FROM_THE_FUTURE	99

/* 2026-12-05T01:02:03.123456789Z */
#define TIME_NS		1796432523123456789ULL
#define TIME_TEXT	"2026-12-05T01:02:03.123456Z"

static char buf[16384];
static char *buf_start = buf;	/* where the next message goes */

/* What an event holds; NULL strings and has_* false are left out. */
struct ev_opts {
	int type;		/* -1: leave IOI_EV_A_TYPE out */
	bool no_seq;
	uint64_t seq;
	bool has_time, has_errno, has_pid, has_rule;
	uint64_t time_ns;
	uint32_t err, pid, tgid, uid;
	int32_t rule;
	const char *op, *comm, *cgroup, *pattern, *path, *detail;
	uint8_t cmd;		/* 0: IOI_CMD_EVENT */
	bool no_nest;
};

/* nla_put_u64_64bit(): a pad attribute first if the u64 would be unaligned. */
static void put_u64_64bit(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	char *tail = (char *)mnl_nlmsg_get_payload_tail(nlh);

	if ((tail - buf) % 8 == 0)
		mnl_attr_put(nlh, IOI_EV_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

static void put_str(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	if (s)
		mnl_attr_put_strz(nlh, type, s);
}

static struct nlmsghdr *put_event(const struct ev_opts *o)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = mnl_nlmsg_put_header(buf_start);
	nlh->nlmsg_type = FAMILY;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = o->cmd ? o->cmd : IOI_CMD_EVENT;
	genl->version = IOI_GENL_VERSION;
	mnl_attr_put_u32(nlh, ATTR_FROM_THE_FUTURE, 1);
	if (o->no_nest)
		return nlh;

	nest = mnl_attr_nest_start(nlh, IOI_A_EVENT);
	if (o->type >= 0)
		mnl_attr_put_u8(nlh, IOI_EV_A_TYPE, (uint8_t)o->type);
	if (!o->no_seq)
		put_u64_64bit(nlh, IOI_EV_A_SEQ, o->seq);
	if (o->has_time)
		put_u64_64bit(nlh, IOI_EV_A_TIME, o->time_ns);
	put_str(nlh, IOI_EV_A_OP, o->op);
	if (o->has_errno)
		mnl_attr_put_u32(nlh, IOI_EV_A_ERRNO, o->err);
	if (o->has_pid) {
		mnl_attr_put_u32(nlh, IOI_EV_A_PID, o->pid);
		mnl_attr_put_u32(nlh, IOI_EV_A_TGID, o->tgid);
		mnl_attr_put_u32(nlh, IOI_EV_A_UID, o->uid);
	}
	put_str(nlh, IOI_EV_A_COMM, o->comm);
	put_str(nlh, IOI_EV_A_CGROUP, o->cgroup);
	mnl_attr_put_u16(nlh, EV_ATTR_FROM_THE_FUTURE, 7);
	if (o->has_rule)
		mnl_attr_put_u32(nlh, IOI_EV_A_RULE, (uint32_t)o->rule);
	put_str(nlh, IOI_EV_A_PATTERN, o->pattern);
	put_str(nlh, IOI_EV_A_PATH, o->path);
	put_str(nlh, IOI_EV_A_DETAIL, o->detail);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static struct nlmsghdr *build(const struct ev_opts *o)
{
	memset(buf, 0, sizeof(buf));
	buf_start = buf;
	return put_event(o);
}

/* The example event of the documentation. */
static const struct ev_opts denied = {
	.type = IOI_EVENT_DENIED, .seq = 7,
	.has_time = true, .time_ns = TIME_NS,
	.op = "open",
	.has_errno = true, .err = 13,
	.has_pid = true, .pid = 12, .tgid = 12, .uid = 0,
	.comm = "cat", .cgroup = "/ioi-test",
	.has_rule = true, .rule = 3, .pattern = "/srv/**",
	.path = "/srv/x",
};

#define DENIED_TEXT TIME_TEXT " denied open errno=EACCES pid=12 tgid=12 " \
	"uid=0 comm=\"cat\" cgroup=\"/ioi-test\" rule=3 pattern=\"/srv/**\" " \
	"path=\"/srv/x\" seq=7\n"

static char *text_of(const struct ioi_event *ev, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&out, &len);
	assert_non_null(f);
	if (json)
		assert_int_equal(ioi_event_print_json(f, ev), 0);
	else
		assert_int_equal(ioi_event_print_text(f, ev), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(out);
	return out;
}

/* Build, decode and print @o. */
static char *line_of(const struct ev_opts *o, bool json)
{
	struct ioi_event ev;
	const char *why;

	assert_int_equal(ioi_event_parse(build(o), &ev, &why), 0);
	assert_null(why);
	return text_of(&ev, json);
}

/*
 * Parse one line of JSON strictly (valid UTF-8 required), which must be
 * the only line of @text.
 */
static struct json_object *parse_json(const char *text)
{
	struct json_tokener *tok;
	struct json_object *obj;
	size_t len = strlen(text);

	assert_true(len > 0);
	assert_int_equal(text[len - 1], '\n');
	assert_ptr_equal(strchr(text, '\n'), text + len - 1);
	tok = json_tokener_new();
	assert_non_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len - 1);
	assert_int_equal(json_tokener_get_error(tok), json_tokener_success);
	json_tokener_free(tok);
	assert_non_null(obj);
	assert_true(json_object_is_type(obj, json_type_object));
	return obj;
}

static void expect_str(struct json_object *obj, const char *key,
		       const char *want)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(obj, key, &v));
	assert_true(json_object_is_type(v, json_type_string));
	assert_string_equal(json_object_get_string(v), want);
}

static void expect_int(struct json_object *obj, const char *key,
		       int64_t want)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(obj, key, &v));
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), want);
}

static void test_parse(void **state)
{
	struct ioi_event ev;

	(void)state;
	assert_int_equal(ioi_event_parse(build(&denied), &ev, NULL), 0);
	assert_int_equal(ev.type, IOI_EVENT_DENIED);
	assert_int_equal(ev.seq, 7);
	assert_true(ev.time_ns == TIME_NS);
	assert_int_equal(ev.err, 13);
	assert_int_equal(ev.pid, 12);
	assert_int_equal(ev.rule, 3);
	assert_string_equal(ev.op, "open");
	assert_string_equal(ev.path, "/srv/x");
	assert_null(ev.detail);
	assert_true(ioi_event_has(&ev, IOI_EV_A_UID));
	assert_false(ioi_event_has(&ev, IOI_EV_A_DETAIL));
	assert_false(ioi_event_has(&ev, IOI_EV_A_PAD));
}

/* The u64s at any alignment: the pads shift them by 4 bytes. */
static void test_parse_u64_alignment(void **state)
{
	struct ev_opts o = { .type = IOI_EVENT_KEY_ADD,
			     .seq = 0x0102030405060708ULL,
			     .has_time = true, .time_ns = UINT64_MAX };
	struct nlmsghdr *nlh;
	struct ioi_event ev;
	size_t shift;

	(void)state;
	for (shift = 0; shift < 16; shift += 4) {
		memset(buf, 0, sizeof(buf));
		buf_start = buf + shift;
		nlh = put_event(&o);
		assert_int_equal(ioi_event_parse(nlh, &ev, NULL), 0);
		assert_true(ev.seq == 0x0102030405060708ULL);
		assert_true(ev.time_ns == UINT64_MAX);
	}
	buf_start = buf;
}

static void test_text(void **state)
{
	char *out;

	(void)state;
	out = line_of(&denied, false);
	assert_string_equal(out, DENIED_TEXT);
	free(out);
}

static void test_json(void **state)
{
	struct json_object *obj;
	char *out;

	(void)state;
	out = line_of(&denied, true);
	obj = parse_json(out);
	expect_str(obj, "type", "denied");
	expect_int(obj, "seq", 7);
	expect_str(obj, "time", TIME_TEXT);
	expect_int(obj, "time_ns", (int64_t)TIME_NS);
	expect_str(obj, "op", "open");
	expect_int(obj, "errno", 13);
	expect_str(obj, "errno_name", "EACCES");
	expect_int(obj, "pid", 12);
	expect_int(obj, "tgid", 12);
	expect_int(obj, "uid", 0);
	expect_str(obj, "comm", "cat");
	expect_str(obj, "cgroup", "/ioi-test");
	expect_int(obj, "rule", 3);
	expect_str(obj, "pattern", "/srv/**");
	expect_str(obj, "path", "/srv/x");
	/* Nothing else: no detail, and nothing for the unknown attributes. */
	assert_int_equal(json_object_object_length(obj), 15);
	json_object_put(obj);
	/* The order is the documented one. */
	assert_ptr_equal(strstr(out,
				"{\"type\":\"denied\",\"seq\":7,\"time\":"),
			 out);
	free(out);
}

/* Only what an event has is printed: a policy-unload is two fields. */
static void test_minimal(void **state)
{
	const struct ev_opts o = { .type = IOI_EVENT_POLICY_UNLOAD, .seq = 5 };
	struct json_object *obj;
	char *out;

	(void)state;
	out = line_of(&o, false);
	assert_string_equal(out, "- policy-unload seq=5\n");
	free(out);
	out = line_of(&o, true);
	assert_string_equal(out, "{\"type\":\"policy-unload\",\"seq\":5}\n");
	obj = parse_json(out);
	assert_int_equal(json_object_object_length(obj), 2);
	json_object_put(obj);
	free(out);
}

static void test_type_names(void **state)
{
	static const char *const names[] = {
		[IOI_EVENT_DENIED] = "denied",
		[IOI_EVENT_AUDITED] = "audited",
		[IOI_EVENT_INTEGRITY] = "integrity",
		[IOI_EVENT_PLAINTEXT] = "plaintext",
		[IOI_EVENT_NOKEY] = "nokey",
		[IOI_EVENT_POLICY_LOAD] = "policy-load",
		[IOI_EVENT_POLICY_UNLOAD] = "policy-unload",
		[IOI_EVENT_KEY_ADD] = "key-add",
		[IOI_EVENT_KEY_GENERATE] = "key-generate",
		[IOI_EVENT_KEY_REMOVE] = "key-remove",
		[IOI_EVENT_BUILD_ID] = "build-id",
		[IOI_EVENT_LOCK] = "lock",
		[IOI_EVENT_HOOKS_DISARMED] = "hooks-disarmed",
		[IOI_EVENT_HOOKS_ARMED] = "hooks-armed",
	};
	char name[IOI_EVENT_TYPE_NAME_SIZE];
	unsigned int t;

	(void)state;
	/* A new type must be added here too, with the name it must have. */
	_Static_assert(ARRAY_SIZE(names) == IOI_EVENT_MAX + 1,
		       "every IOI_EVENT_* needs its expected name here");
	for (t = 1; t < ARRAY_SIZE(names); t++)
		assert_string_equal(ioi_event_type_name((uint8_t)t, name),
				    names[t]);
	assert_string_equal(ioi_event_type_name(0, name), "type-0");
	assert_int_equal(IOI_EVENT_MAX, 14);
	assert_string_equal(ioi_event_type_name(IOI_EVENT_MAX + 1, name),
			    "type-15");
	assert_string_equal(ioi_event_type_name(255, name), "type-255");
}

/* The attestation events, as the module raises them, print like any other. */
static void test_attest_events(void **state)
{
	const struct ev_opts disarmed = {
		.type = IOI_EVENT_HOOKS_DISARMED, .seq = 9, .op = "hooks",
		.has_rule = true, .rule = -1,
		.detail = "the canary probe did not fire",
	};
	const struct ev_opts lock = {
		.type = IOI_EVENT_LOCK, .seq = 10, .op = "lock",
		.has_pid = true, .pid = 5, .tgid = 5, .uid = 0,
		.comm = "ioctl-cli", .detail = "measurement:00ff",
	};
	struct json_object *obj;
	char *out;

	(void)state;
	out = line_of(&disarmed, false);
	assert_string_equal(out, "- hooks-disarmed hooks rule=-1 "
			    "detail=\"the canary probe did not fire\" seq=9\n");
	free(out);
	out = line_of(&lock, false);
	assert_string_equal(out, "- lock lock pid=5 tgid=5 uid=0 "
			    "comm=\"ioctl-cli\" detail=\"measurement:00ff\" "
			    "seq=10\n");
	free(out);
	out = line_of(&disarmed, true);
	obj = parse_json(out);
	expect_str(obj, "type", "hooks-disarmed");
	expect_str(obj, "op", "hooks");
	json_object_put(obj);
	free(out);
}

/* A newer module's type, an errno with no name, the default rule. */
static void test_unknowns(void **state)
{
	struct ev_opts o = {
		.type = 42, .seq = 9, .op = "frob",
		.has_errno = true, .err = 4000,
		.has_rule = true, .rule = -1,
		.detail = "block 3",
	};
	struct json_object *obj, *v;
	char *out;

	(void)state;
	out = line_of(&o, false);
	assert_string_equal(out, "- type-42 frob errno=4000 rule=-1 "
			    "detail=\"block 3\" seq=9\n");
	free(out);
	out = line_of(&o, true);
	obj = parse_json(out);
	expect_str(obj, "type", "type-42");
	expect_int(obj, "errno", 4000);
	assert_false(json_object_object_get_ex(obj, "errno_name", &v));
	expect_int(obj, "rule", -1);
	expect_str(obj, "detail", "block 3");
	json_object_put(obj);
	free(out);

	/* errno 0: the operation went on (audit mode). */
	o.type = IOI_EVENT_AUDITED;
	o.err = 0;
	out = line_of(&o, false);
	assert_string_equal(out, "- audited frob errno=0 rule=-1 "
			    "detail=\"block 3\" seq=9\n");
	free(out);
	out = line_of(&o, true);
	obj = parse_json(out);
	expect_int(obj, "errno", 0);
	assert_false(json_object_object_get_ex(obj, "errno_name", &v));
	json_object_put(obj);
	free(out);

	o.err = 126;
	out = line_of(&o, false);
	assert_non_null(strstr(out, " errno=ENOKEY "));
	free(out);
}

/* Names an attacker chose, each trying something else. */
#define HOSTILE_PATH	"/srv/x\n2026-12-05T01:02:03.123456Z denied " \
			"open path=\"/etc/shadow\" seq=1\n"
#define HOSTILE_COMM	"\x1b[31mevil\x1b[0m"
#define HOSTILE_CGROUP	"/ioi\" rule=\"0"
#define HOSTILE_DETAIL	"a\\x41 \xff\xc3\x28\xc0\xaf\xed\xa0\x80 \xe2\x82"

static void test_hostile_text(void **state)
{
	const struct ev_opts o = {
		.type = IOI_EVENT_DENIED, .seq = 3, .op = "open file",
		.comm = HOSTILE_COMM, .cgroup = HOSTILE_CGROUP,
		.path = HOSTILE_PATH, .detail = HOSTILE_DETAIL,
		.pattern = "/srv/caf\xc3\xa9/\t*",
	};
	char *out;

	(void)state;
	out = line_of(&o, false);
	assert_string_equal(out,
		"- denied open\\x20file comm=\"\\x1b[31mevil\\x1b[0m\" "
		"cgroup=\"/ioi\\\" rule=\\\"0\" "
		"pattern=\"/srv/caf\xc3\xa9/\\t*\" "
		"path=\"/srv/x\\n2026-12-05T01:02:03.123456Z denied open "
		"path=\\\"/etc/shadow\\\" seq=1\\n\" "
		"detail=\"a\\\\x41 \\xff\\xc3(\\xc0\\xaf\\xed\\xa0\\x80 "
		"\\xe2\\x82\" seq=3\n");
	/* One line, no ESC. */
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	assert_null(strchr(out, '\x1b'));
	free(out);
}

static void test_hostile_json(void **state)
{
	const struct ev_opts o = {
		.type = IOI_EVENT_DENIED, .seq = 3, .op = "open",
		.comm = HOSTILE_COMM, .cgroup = HOSTILE_CGROUP,
		.path = HOSTILE_PATH, .detail = HOSTILE_DETAIL,
	};
	struct json_object *obj;
	char *out;

	(void)state;
	out = line_of(&o, true);
	/* parse_json() insists on one line of valid UTF-8. */
	obj = parse_json(out);
	assert_null(strchr(out, '\x1b'));
	/* Valid UTF-8 strings come back as they were... */
	expect_str(obj, "comm", HOSTILE_COMM);
	expect_str(obj, "cgroup", HOSTILE_CGROUP);
	expect_str(obj, "path", HOSTILE_PATH);
	/* ...invalid bytes as \xNN, a backslash doubled so it cannot pose. */
	expect_str(obj, "detail", "a\\\\x41 \\xff\\xc3(\\xc0\\xaf"
		   "\\xed\\xa0\\x80 \\xe2\\x82");
	json_object_put(obj);
	free(out);
}

/* A 255-byte component of invalid bytes, in a path of 4 KiB. */
static void test_long_path(void **state)
{
	struct ev_opts o = { .type = IOI_EVENT_DENIED, .seq = 1 };
	char path[4096], *out, *want, *p;
	struct json_object *obj, *v;
	size_t i;

	(void)state;
	for (i = 0; i + 256 < sizeof(path); i += 256) {
		path[i] = '/';
		memset(path + i + 1, (i / 256) % 2 ? 0xff : 'a', 255);
	}
	path[i] = '\0';
	o.path = path;

	out = line_of(&o, false);
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	want = ioi_escape_dup(path, IOI_ESC_TEXT);
	assert_non_null(strstr(out, want));
	free(want);
	free(out);

	out = line_of(&o, true);
	obj = parse_json(out);
	assert_true(json_object_object_get_ex(obj, "path", &v));
	p = (char *)json_object_get_string(v);
	assert_int_equal(strlen(p), 8 * 256 + 7 * (1 + 4 * 255));
	json_object_put(obj);
	free(out);
}

static void test_malformed(void **state)
{
	struct ev_opts o = denied;
	struct nlmsghdr *nlh;
	struct nlattr *attr;
	struct ioi_event ev;
	const char *why;

	(void)state;
	o.no_nest = true;
	assert_int_equal(ioi_event_parse(build(&o), &ev, &why), -ENODATA);
	assert_string_equal(why, "no IOI_A_EVENT");

	o = denied;
	o.type = -1;
	assert_int_equal(ioi_event_parse(build(&o), &ev, &why), -ENODATA);
	assert_string_equal(why, "no type");
	o = denied;
	o.no_seq = true;
	assert_int_equal(ioi_event_parse(build(&o), &ev, &why), -ENODATA);
	assert_string_equal(why, "no seq");

	/* Another command of the family: not an event, no complaint. */
	o = denied;
	o.cmd = IOI_CMD_STATUS_GET;
	assert_int_equal(ioi_event_parse(build(&o), &ev, &why), -ENOMSG);

	/* Wrong lengths: a u32 seq, a u16 type, a 2-byte pid. */
	nlh = build(&denied);
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		struct nlattr *a;

		if (mnl_attr_get_type(attr) != IOI_A_EVENT)
			continue;
		mnl_attr_for_each_nested(a, attr)
			if (mnl_attr_get_type(a) == IOI_EV_A_PID)
				a->nla_len = MNL_ATTR_HDRLEN + 2;
	}
	assert_int_equal(ioi_event_parse(nlh, &ev, &why), -EBADMSG);
	assert_string_equal(why, "pid is not a u32");

	/* An unterminated string. */
	nlh = build(&denied);
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		struct nlattr *a;

		if (mnl_attr_get_type(attr) != IOI_A_EVENT)
			continue;
		mnl_attr_for_each_nested(a, attr)
			if (mnl_attr_get_type(a) == IOI_EV_A_PATH)
				((char *)mnl_attr_get_payload(a))[6] = 'y';
	}
	assert_int_equal(ioi_event_parse(nlh, &ev, &why), -EBADMSG);
	assert_string_equal(why, "path is not a string");

	/* The nest running past the message. */
	nlh = build(&denied);
	nlh->nlmsg_len -= 8;
	assert_int_equal(ioi_event_parse(nlh, &ev, &why), -EBADMSG);
	assert_non_null(why);

	/* Shorter than the genetlink header. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_len += 2;
	assert_int_equal(ioi_event_parse(nlh, &ev, &why), -EBADMSG);
}

/* A type attribute of the wrong size, and IOI_A_EVENT not a nest. */
static void test_malformed_built(void **state)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct ioi_event ev;
	const char *why;

	(void)state;
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_EVENT;
	nest = mnl_attr_nest_start(nlh, IOI_A_EVENT);
	mnl_attr_put_u32(nlh, IOI_EV_A_TYPE, IOI_EVENT_DENIED);
	mnl_attr_put_u64(nlh, IOI_EV_A_SEQ, 1);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(ioi_event_parse(nlh, &ev, &why), -EBADMSG);
	assert_string_equal(why, "type is not a u8");

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_EVENT;
	mnl_attr_put_u16(nlh, IOI_A_EVENT, 1);
	assert_int_equal(ioi_event_parse(nlh, &ev, &why), -EBADMSG);
	assert_string_equal(why, "malformed IOI_A_EVENT");

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_EVENT;
	nest = mnl_attr_nest_start(nlh, IOI_A_EVENT);
	mnl_attr_put_u8(nlh, IOI_EV_A_TYPE, IOI_EVENT_DENIED);
	mnl_attr_put_u32(nlh, IOI_EV_A_SEQ, 1);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(ioi_event_parse(nlh, &ev, &why), -EBADMSG);
	assert_string_equal(why, "seq is not a u64");
}

static void test_time(void **state)
{
	char t[IOI_EVENT_TIME_SIZE];

	(void)state;
	assert_int_equal(ioi_event_format_time(t, 0), 0);
	assert_string_equal(t, "1970-01-01T00:00:00.000000Z");
	assert_int_equal(ioi_event_format_time(t, TIME_NS), 0);
	assert_string_equal(t, TIME_TEXT);
	assert_int_equal(ioi_event_format_time(t, 999), 0);
	assert_string_equal(t, "1970-01-01T00:00:00.000000Z");
	assert_int_equal(ioi_event_format_time(t, UINT64_MAX), 0);
	assert_string_equal(t, "2554-07-21T23:34:33.709551Z");
}

static void test_seq_track(void **state)
{
	struct ioi_seq_track t = { 0 };
	uint64_t first = 0, last = 0;

	(void)state;
	/* The first event is the baseline, whatever its number. */
	assert_int_equal(ioi_seq_track(&t, 1000, &first, &last), 0);
	assert_int_equal(ioi_seq_track(&t, 1001, &first, &last), 0);
	assert_int_equal(ioi_seq_track(&t, 1002, &first, &last), 0);
	assert_int_equal(ioi_seq_track(&t, 1005, &first, &last), 2);
	assert_int_equal(first, 1003);
	assert_int_equal(last, 1004);
	assert_int_equal(ioi_seq_track(&t, 1007, &first, &last), 1);
	assert_int_equal(first, 1006);
	assert_int_equal(last, 1006);
	/* A repeat, then the module reloaded: new baselines, no loss. */
	assert_int_equal(ioi_seq_track(&t, 1007, &first, &last), 0);
	assert_int_equal(ioi_seq_track(&t, 1, &first, &last), 0);
	assert_int_equal(ioi_seq_track(&t, 2, &first, &last), 0);
	assert_int_equal(ioi_seq_track(&t, 4, &first, &last), 1);
	assert_int_equal(first, 3);
	/* Huge gaps do not overflow. */
	assert_true(ioi_seq_track(&t, UINT64_MAX, &first, &last) ==
		    UINT64_MAX - 5);
	assert_int_equal(first, 5);
	assert_true(last == UINT64_MAX - 1);
}

static char *lost_text(bool json, bool overflow, uint64_t a, uint64_t b)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&out, &len);
	assert_non_null(f);
	if (overflow)
		assert_int_equal(ioi_event_print_overflow(f, json), 0);
	else
		assert_int_equal(ioi_event_print_lost(f, json, a, b), 0);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_lost_lines(void **state)
{
	struct json_object *obj;
	char *out;

	(void)state;
	out = lost_text(false, false, 3, 4);
	assert_string_equal(out, "lost 2 events (seq 3..4)\n");
	free(out);
	out = lost_text(false, false, 9, 9);
	assert_string_equal(out, "lost 1 events (seq 9..9)\n");
	free(out);
	out = lost_text(false, true, 0, 0);
	assert_string_equal(out, "lost events: receive buffer overflow\n");
	free(out);

	out = lost_text(true, false, 3, 4);
	assert_string_equal(out, "{\"type\":\"lost\",\"reason\":\"seq-gap\","
			    "\"count\":2,\"first_seq\":3,\"last_seq\":4}\n");
	obj = parse_json(out);
	expect_int(obj, "count", 2);
	json_object_put(obj);
	free(out);
	out = lost_text(true, true, 0, 0);
	assert_string_equal(out,
			    "{\"type\":\"lost\",\"reason\":\"overflow\"}\n");
	free(out);
}

/* Run the monitor over @len bytes of buf; its outputs in @out and @err. */
static int feed(struct ioi_monitor *m, size_t len, char **out, char **err)
{
	size_t out_len = 0, err_len = 0;
	int ret;

	m->out = open_memstream(out, &out_len);
	m->err = open_memstream(err, &err_len);
	assert_non_null(m->out);
	assert_non_null(m->err);
	ret = ioi_monitor_feed(m, buf, len);
	assert_int_equal(fclose(m->out), 0);
	assert_int_equal(fclose(m->err), 0);
	return ret;
}

/* Append an event numbered @seq to the datagram being built in buf. */
static void append(const struct ev_opts *tmpl, uint64_t seq)
{
	struct ev_opts o = *tmpl;
	struct nlmsghdr *nlh;

	o.seq = seq;
	nlh = put_event(&o);
	buf_start += MNL_ALIGN(nlh->nlmsg_len);
}

/* A datagram of several messages, the odd ones among them. */
static size_t build_datagram(void)
{
	const struct ev_opts other_cmd = { .type = 1, .seq = 1,
					   .cmd = IOI_CMD_STATUS_GET };
	const struct ev_opts broken = { .type = -1, .seq = 1 };
	struct nlmsghdr *nlh;

	memset(buf, 0, sizeof(buf));
	buf_start = buf;
	append(&denied, 41);
	append(&denied, 42);
	append(&other_cmd, 0);		/* ignored */
	nlh = mnl_nlmsg_put_header(buf_start);	/* another family */
	nlh->nlmsg_type = FAMILY + 1;
	buf_start += MNL_ALIGN(nlh->nlmsg_len);
	append(&broken, 0);		/* warned about */
	append(&denied, 45);		/* 43 and 44 lost */
	return (size_t)(buf_start - buf);
}

#define LINE(seq) TIME_TEXT " denied open errno=EACCES pid=12 tgid=12 " \
	"uid=0 comm=\"cat\" cgroup=\"/ioi-test\" rule=3 pattern=\"/srv/**\" " \
	"path=\"/srv/x\" seq=" #seq "\n"

static void test_monitor_text(void **state)
{
	struct ioi_monitor m = { .family_id = FAMILY };
	size_t len = build_datagram();
	char *out, *err;

	(void)state;
	assert_int_equal(feed(&m, len, &out, &err), 0);
	assert_string_equal(out, LINE(41) LINE(42)
			    "lost 2 events (seq 43..44)\n" LINE(45));
	assert_string_equal(err, "ioctl-cli monitor: skipping a malformed "
			    "event: no type\n");
	assert_int_equal(m.events, 3);
	assert_int_equal(m.malformed, 1);
	free(out);
	free(err);

	/* The next datagram goes on from 45; an overflow is reported. */
	memset(buf, 0, sizeof(buf));
	buf_start = buf;
	append(&denied, 46);
	append(&denied, 50);
	assert_int_equal(feed(&m, (size_t)(buf_start - buf), &out, &err), 0);
	assert_string_equal(out, LINE(46)
			    "lost 3 events (seq 47..49)\n" LINE(50));
	assert_string_equal(err, "");
	free(out);
	free(err);
}

static void test_monitor_json(void **state)
{
	struct ioi_monitor m = { .family_id = FAMILY, .json = true };
	size_t len = build_datagram();
	struct json_object *obj;
	char *out, *err, *line, *save = NULL;
	static const char *const types[] = {
		"denied", "denied", "lost", "denied"
	};
	static const int seqs[] = { 41, 42, -1, 45 };
	size_t i = 0;

	(void)state;
	assert_int_equal(feed(&m, len, &out, &err), 0);
	assert_non_null(strstr(err, "no type"));
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), i++) {
		char *copy;

		assert_true(i < ARRAY_SIZE(types));
		assert_true(asprintf(&copy, "%s\n", line) > 0);
		obj = parse_json(copy);
		expect_str(obj, "type", types[i]);
		if (seqs[i] >= 0) {
			expect_int(obj, "seq", seqs[i]);
		} else {
			expect_int(obj, "count", 2);
			expect_int(obj, "first_seq", 43);
			expect_int(obj, "last_seq", 44);
		}
		json_object_put(obj);
		free(copy);
	}
	assert_int_equal(i, ARRAY_SIZE(types));
	free(out);
	free(err);
}

/* A datagram cut inside a message: what is whole is printed. */
static void test_monitor_truncated(void **state)
{
	struct ioi_monitor m = { .family_id = FAMILY };
	size_t len;
	char *out, *err;

	(void)state;
	memset(buf, 0, sizeof(buf));
	buf_start = buf;
	append(&denied, 1);
	len = (size_t)(buf_start - buf);
	append(&denied, 2);
	assert_int_equal(feed(&m, len + 20, &out, &err), 0);
	assert_string_equal(out, LINE(1));
	assert_string_equal(err, "ioctl-cli monitor: skipping a malformed "
			    "event: truncated netlink message\n");
	free(out);
	free(err);

	/* Garbage: no crash, nothing printed. */
	memset(buf, 0xff, 64);
	assert_int_equal(feed(&m, 64, &out, &err), 0);
	assert_string_equal(out, "");
	free(out);
	free(err);
	assert_int_equal(feed(&m, 3, &out, &err), 0);
	assert_string_equal(out, "");
	assert_string_equal(err, "");
	free(out);
	free(err);
}

/* A full disk or a closed pipe stops the monitor. */
static void test_monitor_write_error(void **state)
{
	struct ioi_monitor m = { .family_id = FAMILY };

	(void)state;
	memset(buf, 0, sizeof(buf));
	buf_start = buf;
	append(&denied, 1);
	m.out = fopen("/dev/full", "w");
	m.err = stderr;
	assert_non_null(m.out);
	assert_int_equal(ioi_monitor_feed(&m, buf, (size_t)(buf_start - buf)),
			 -EIO);
	assert_int_equal(ioi_monitor_overflow(&m), -EIO);
	fclose(m.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_u64_alignment),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_attest_events),
		cmocka_unit_test(test_unknowns),
		cmocka_unit_test(test_hostile_text),
		cmocka_unit_test(test_hostile_json),
		cmocka_unit_test(test_long_path),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_built),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_seq_track),
		cmocka_unit_test(test_lost_lines),
		cmocka_unit_test(test_monitor_text),
		cmocka_unit_test(test_monitor_json),
		cmocka_unit_test(test_monitor_truncated),
		cmocka_unit_test(test_monitor_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
