// SPDX-License-Identifier: GPL-2.0
/* Decoding and printing events of the "events" group. See event.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <iointercept/events.h>

#include "cli.h"
#include "escape.h"
#include "event.h"
#include "nl.h"
#include "util.h"

_Static_assert(ARRAY_SIZE(ioi_event_names) == IOI_EVENT_MAX + 1,
	       "every IOI_EVENT_* needs a name in ioi_event_names[]");

const char *ioi_event_type_name(uint8_t type,
				char buf[IOI_EVENT_TYPE_NAME_SIZE])
{
	if (type < ARRAY_SIZE(ioi_event_names) && ioi_event_names[type])
		snprintf(buf, IOI_EVENT_TYPE_NAME_SIZE, "%s",
			 ioi_event_names[type]);
	else
		snprintf(buf, IOI_EVENT_TYPE_NAME_SIZE, "type-%u", type);
	return buf;
}

int ioi_event_format_time(char buf[IOI_EVENT_TIME_SIZE], uint64_t ns)
{
	time_t secs = (time_t)(ns / 1000000000);
	unsigned int usecs = (unsigned int)(ns % 1000000000 / 1000);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&secs, &tm))
		return -EOVERFLOW;
	n = strftime(buf, IOI_EVENT_TIME_SIZE, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n || IOI_EVENT_TIME_SIZE - n < sizeof(".123456Z"))
		return -EOVERFLOW;
	snprintf(buf + n, IOI_EVENT_TIME_SIZE - n, ".%06uZ", usecs);
	return 0;
}

/* How each attribute must look, and what is wrong if it does not. */
#define ATTR(t, name, what)	{ MNL_TYPE_##t, name " is not " what }
static const struct {
	enum mnl_attr_data_type type;
	const char *bad;
} ev_attrs[] = {
	[IOI_EV_A_TYPE] = ATTR(U8, "type", "a u8"),
	[IOI_EV_A_SEQ] = ATTR(U64, "seq", "a u64"),
	[IOI_EV_A_TIME] = ATTR(U64, "time", "a u64"),
	[IOI_EV_A_OP] = ATTR(NUL_STRING, "op", "a string"),
	[IOI_EV_A_ERRNO] = ATTR(U32, "errno", "a u32"),
	[IOI_EV_A_PID] = ATTR(U32, "pid", "a u32"),
	[IOI_EV_A_TGID] = ATTR(U32, "tgid", "a u32"),
	[IOI_EV_A_UID] = ATTR(U32, "uid", "a u32"),
	[IOI_EV_A_COMM] = ATTR(NUL_STRING, "comm", "a string"),
	[IOI_EV_A_CGROUP] = ATTR(NUL_STRING, "cgroup", "a string"),
	[IOI_EV_A_RULE] = ATTR(U32, "rule", "an s32"),
	[IOI_EV_A_PATTERN] = ATTR(NUL_STRING, "pattern", "a string"),
	[IOI_EV_A_PATH] = ATTR(NUL_STRING, "path", "a string"),
	[IOI_EV_A_DETAIL] = ATTR(NUL_STRING, "detail", "a string"),
};

static void set_why(const char **why, const char *msg)
{
	if (why)
		*why = msg;
}

int ioi_event_parse(const struct nlmsghdr *nlh, struct ioi_event *ev,
		    const char **why)
{
	const struct nlattr *tb[IOI_A_MAX + 1] = {};
	const struct nlattr *ea[IOI_EV_A_MAX + 1] = {};
	const struct genlmsghdr *genl;
	unsigned int i;

	memset(ev, 0, sizeof(*ev));
	set_why(why, NULL);
	if (nlh->nlmsg_len < sizeof(*nlh) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl)) {
		set_why(why, "message shorter than its headers");
		return -EBADMSG;
	}
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd != IOI_CMD_EVENT)
		return -ENOMSG;
	if (ioi_nl_parse_reply(nlh, tb, IOI_A_MAX) < 0) {
		set_why(why, "malformed attributes");
		return -EBADMSG;
	}
	if (!tb[IOI_A_EVENT]) {
		set_why(why, "no IOI_A_EVENT");
		return -ENODATA;
	}
	if (ioi_nl_parse_nested(tb[IOI_A_EVENT], ea, IOI_EV_A_MAX) < 0) {
		set_why(why, "malformed IOI_A_EVENT");
		return -EBADMSG;
	}

	for (i = 1; i < ARRAY_SIZE(ev_attrs); i++) {
		if (!ea[i])
			continue;
		if (mnl_attr_validate(ea[i], ev_attrs[i].type) < 0) {
			set_why(why, ev_attrs[i].bad);
			return -EBADMSG;
		}
		ev->present |= 1U << i;
	}
	if (!ea[IOI_EV_A_TYPE] || !ea[IOI_EV_A_SEQ]) {
		set_why(why, ea[IOI_EV_A_TYPE] ? "no seq" : "no type");
		return -ENODATA;
	}

	ev->type = mnl_attr_get_u8(ea[IOI_EV_A_TYPE]);
	ev->seq = mnl_attr_get_u64(ea[IOI_EV_A_SEQ]);
	if (ea[IOI_EV_A_TIME])
		ev->time_ns = mnl_attr_get_u64(ea[IOI_EV_A_TIME]);
	if (ea[IOI_EV_A_ERRNO])
		ev->err = mnl_attr_get_u32(ea[IOI_EV_A_ERRNO]);
	if (ea[IOI_EV_A_PID])
		ev->pid = mnl_attr_get_u32(ea[IOI_EV_A_PID]);
	if (ea[IOI_EV_A_TGID])
		ev->tgid = mnl_attr_get_u32(ea[IOI_EV_A_TGID]);
	if (ea[IOI_EV_A_UID])
		ev->uid = mnl_attr_get_u32(ea[IOI_EV_A_UID]);
	if (ea[IOI_EV_A_RULE])
		ev->rule = (int32_t)mnl_attr_get_u32(ea[IOI_EV_A_RULE]);
	if (ea[IOI_EV_A_OP])
		ev->op = mnl_attr_get_str(ea[IOI_EV_A_OP]);
	if (ea[IOI_EV_A_COMM])
		ev->comm = mnl_attr_get_str(ea[IOI_EV_A_COMM]);
	if (ea[IOI_EV_A_CGROUP])
		ev->cgroup = mnl_attr_get_str(ea[IOI_EV_A_CGROUP]);
	if (ea[IOI_EV_A_PATTERN])
		ev->pattern = mnl_attr_get_str(ea[IOI_EV_A_PATTERN]);
	if (ea[IOI_EV_A_PATH])
		ev->path = mnl_attr_get_str(ea[IOI_EV_A_PATH]);
	if (ea[IOI_EV_A_DETAIL])
		ev->detail = mnl_attr_get_str(ea[IOI_EV_A_DETAIL]);
	return 0;
}

/* The symbolic name of a positive errno, or NULL if glibc knows none. */
static const char *errno_name(uint32_t err)
{
	if (err == 0 || err > 4095)
		return NULL;
	return strerrorname_np((int)err);
}

/* ` key="escaped"` for a string the event has. */
static void put_quoted(FILE *f, const char *key, const char *s)
{
	if (!s)
		return;
	fprintf(f, " %s=\"", key);
	ioi_escape_fputs(f, s, IOI_ESC_TEXT);
	fputc('"', f);
}

int ioi_event_print_text(FILE *f, const struct ioi_event *ev)
{
	char type[IOI_EVENT_TYPE_NAME_SIZE], when[IOI_EVENT_TIME_SIZE];
	const char *name;

	if (!ioi_event_has(ev, IOI_EV_A_TIME) ||
	    ioi_event_format_time(when, ev->time_ns))
		strcpy(when, "-");
	fprintf(f, "%s %s", when, ioi_event_type_name(ev->type, type));
	/* A bare word: a space in it would make two fields. */
	if (ev->op) {
		fputc(' ', f);
		ioi_escape_fputs(f, ev->op, IOI_ESC_TEXT | IOI_ESC_SPACE);
	}
	if (ioi_event_has(ev, IOI_EV_A_ERRNO)) {
		name = errno_name(ev->err);
		if (name)
			fprintf(f, " errno=%s", name);
		else
			fprintf(f, " errno=%u", ev->err);
	}
	if (ioi_event_has(ev, IOI_EV_A_PID))
		fprintf(f, " pid=%u", ev->pid);
	if (ioi_event_has(ev, IOI_EV_A_TGID))
		fprintf(f, " tgid=%u", ev->tgid);
	if (ioi_event_has(ev, IOI_EV_A_UID))
		fprintf(f, " uid=%u", ev->uid);
	put_quoted(f, "comm", ev->comm);
	put_quoted(f, "cgroup", ev->cgroup);
	if (ioi_event_has(ev, IOI_EV_A_RULE))
		fprintf(f, " rule=%d", ev->rule);
	put_quoted(f, "pattern", ev->pattern);
	put_quoted(f, "path", ev->path);
	put_quoted(f, "detail", ev->detail);
	fprintf(f, " seq=%llu\n", (unsigned long long)ev->seq);
	return ferror(f) ? -EIO : 0;
}

/* Add the string @s, escaped for JSON, if the event has it. */
static int add_string(struct json_object *obj, const char *key,
		      const char *s)
{
	char *e;
	int ret;

	if (!s)
		return 0;
	e = ioi_escape_dup(s, IOI_ESC_JSON);
	if (!e)
		return -ENOMEM;
	ret = ioi_json_add(obj, key, json_object_new_string(e));
	free(e);
	return ret;
}

/* Add the number @v if the event has attribute @attr. */
static int add_num(struct json_object *obj, const struct ioi_event *ev,
		   unsigned int attr, const char *key, int64_t v)
{
	if (!ioi_event_has(ev, attr))
		return 0;
	return ioi_json_add(obj, key, json_object_new_int64(v));
}

struct json_object *ioi_event_to_json(const struct ioi_event *ev)
{
	char type[IOI_EVENT_TYPE_NAME_SIZE], when[IOI_EVENT_TIME_SIZE];
	struct json_object *obj = json_object_new_object();
	const char *err_name = NULL, *time_str = NULL;

	if (!obj)
		return NULL;
	if (ioi_event_has(ev, IOI_EV_A_TIME) &&
	    !ioi_event_format_time(when, ev->time_ns))
		time_str = when;
	if (ioi_event_has(ev, IOI_EV_A_ERRNO))
		err_name = errno_name(ev->err);

	if (add_string(obj, "type", ioi_event_type_name(ev->type, type)) ||
	    ioi_json_add(obj, "seq", json_object_new_uint64(ev->seq)) ||
	    add_string(obj, "time", time_str) ||
	    (ioi_event_has(ev, IOI_EV_A_TIME) &&
	     ioi_json_add(obj, "time_ns",
			  json_object_new_uint64(ev->time_ns))) ||
	    add_string(obj, "op", ev->op) ||
	    add_num(obj, ev, IOI_EV_A_ERRNO, "errno", ev->err) ||
	    add_string(obj, "errno_name", err_name) ||
	    add_num(obj, ev, IOI_EV_A_PID, "pid", ev->pid) ||
	    add_num(obj, ev, IOI_EV_A_TGID, "tgid", ev->tgid) ||
	    add_num(obj, ev, IOI_EV_A_UID, "uid", ev->uid) ||
	    add_string(obj, "comm", ev->comm) ||
	    add_string(obj, "cgroup", ev->cgroup) ||
	    add_num(obj, ev, IOI_EV_A_RULE, "rule", ev->rule) ||
	    add_string(obj, "pattern", ev->pattern) ||
	    add_string(obj, "path", ev->path) ||
	    add_string(obj, "detail", ev->detail)) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

int ioi_event_print_json(FILE *f, const struct ioi_event *ev)
{
	return ioi_json_print(f, ioi_event_to_json(ev));
}

int ioi_event_print_lost(FILE *f, bool json, uint64_t first, uint64_t last)
{
	struct json_object *obj;
	uint64_t count = last - first + 1;

	if (!json) {
		/* "events" even for one: a fixed form is easier to match. */
		fprintf(f, "lost %llu events (seq %llu..%llu)\n",
			(unsigned long long)count, (unsigned long long)first,
			(unsigned long long)last);
		return ferror(f) ? -EIO : 0;
	}
	obj = json_object_new_object();
	if (!obj ||
	    ioi_json_add(obj, "type", json_object_new_string("lost")) ||
	    ioi_json_add(obj, "reason", json_object_new_string("seq-gap")) ||
	    ioi_json_add(obj, "count", json_object_new_uint64(count)) ||
	    ioi_json_add(obj, "first_seq", json_object_new_uint64(first)) ||
	    ioi_json_add(obj, "last_seq", json_object_new_uint64(last))) {
		json_object_put(obj);
		return -ENOMEM;
	}
	return ioi_json_print(f, obj);
}

int ioi_event_print_overflow(FILE *f, bool json)
{
	struct json_object *obj;

	if (!json) {
		fputs("lost events: receive buffer overflow\n", f);
		return ferror(f) ? -EIO : 0;
	}
	obj = json_object_new_object();
	if (!obj ||
	    ioi_json_add(obj, "type", json_object_new_string("lost")) ||
	    ioi_json_add(obj, "reason", json_object_new_string("overflow"))) {
		json_object_put(obj);
		return -ENOMEM;
	}
	return ioi_json_print(f, obj);
}

uint64_t ioi_seq_track(struct ioi_seq_track *t, uint64_t seq,
		       uint64_t *first, uint64_t *last)
{
	uint64_t prev = t->last;
	bool started = t->started;

	t->started = true;
	t->last = seq;
	if (!started || seq <= prev || seq - prev == 1)
		return 0;
	*first = prev + 1;
	*last = seq - 1;
	return seq - prev - 1;
}

static int flush(FILE *f, int ret)
{
	if ((fflush(f) || ferror(f)) && !ret)
		return -EIO;
	return ret;
}

static void warn(struct ioi_monitor *m, const char *why)
{
	m->malformed++;
	fprintf(m->err, "%s monitor: skipping a malformed event: %s\n",
		PROG_NAME, why);
	fflush(m->err);
}

/* Print the event @nlh, after the events lost before it if any. */
static int handle(struct ioi_monitor *m, const struct nlmsghdr *nlh)
{
	uint64_t first, last;
	struct ioi_event ev;
	const char *why;
	int ret;

	ret = ioi_event_parse(nlh, &ev, &why);
	if (ret == -ENOMSG)
		return 0;
	if (ret) {
		warn(m, why);
		return 0;
	}
	if (ioi_seq_track(&m->seq, ev.seq, &first, &last)) {
		ret = ioi_event_print_lost(m->out, m->json, first, last);
		if (ret)
			return flush(m->out, ret);
	}
	ret = m->json ? ioi_event_print_json(m->out, &ev) :
			ioi_event_print_text(m->out, &ev);
	if (!ret)
		m->events++;
	return flush(m->out, ret);
}

int ioi_monitor_feed(struct ioi_monitor *m, const void *buf, size_t len)
{
	const char *p = buf;
	const struct nlmsghdr *nlh;
	size_t step;
	int ret;

	/*
	 * Not mnl_nlmsg_ok(): it compares nlmsg_len as an int, so a length
	 * of 0xffffffff passes, and mnl_nlmsg_next() then never moves on.
	 */
	while (len >= sizeof(*nlh)) {
		nlh = (const struct nlmsghdr *)p;
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len) {
			warn(m, "truncated netlink message");
			break;
		}
		if (nlh->nlmsg_type == m->family_id) {
			ret = handle(m, nlh);
			if (ret)
				return ret;
		}
		step = MNL_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

int ioi_monitor_overflow(struct ioi_monitor *m)
{
	return flush(m->out, ioi_event_print_overflow(m->out, m->json));
}
