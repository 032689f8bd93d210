// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: ctl's decoders of what the kernel sends, on any bytes
 * (tests/fuzz/run makes valid seeds with reply_seeds.c): the reply of
 * every command (status, measurement, stats, key identifier, key list,
 * policy, policy hash), events, ACKs, the controller's family reply, and
 * the printers behind them.
 *
 * The input is one message. Its nlmsg_len is clamped to the input, as
 * mnl_cb_run() guarantees before any decoder sees a message, and it is
 * copied into a buffer of exactly that size, so ASan sees a read past it.
 * Every decoder gets it. Beyond what ASan and UBSan catch, when a decoder
 * accepts it:
 * - its printers run, text and JSON (and Prometheus for stats): each JSON
 *   line parses back with json-c, and the text of status, stats, keys and
 *   events has no control byte but the newlines (a hostile name cannot
 *   drive the terminal);
 * - the same message cut inside its last top-level attribute is refused
 *   (no decoder takes a truncated message for a whole one). Not for ACKs,
 *   whose TLVs are best effort by design: the errno must survive them.
 * The whole input also goes to ioi_monitor_feed() as a datagram (any
 * number of messages, any lengths), as text and as JSON, for the family
 * of its first message, with the same oracles on what it prints.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "event.h"
#include "fuzz.h"
#include "key_nl.h"
#include "nl.h"
#include "policy.h"
#include "stats.h"
#include "status.h"

/* A memory stream and what was written to it. */
struct out {
	FILE *f;
	char *buf;
	size_t len;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	CHECK(o->f, "open_memstream");
}

static void out_close(struct out *o)
{
	CHECK(!fclose(o->f), "fclose");
}

static void out_free(struct out *o)
{
	free(o->buf);
}

/* No control byte but newline (and tab), and no DEL. */
static void check_printable(const struct out *o, const char *what)
{
	size_t i;

	for (i = 0; i < o->len; i++) {
		unsigned char c = (unsigned char)o->buf[i];

		CHECK(c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f),
		      "%s: byte %#x at %zu of %.200s", what, c, i, o->buf);
	}
}

/* Every line parses as one JSON value, and nothing follows it. */
static void check_json_lines(const struct out *o, const char *what)
{
	const char *s = o->buf, *end = o->buf + o->len, *nl;
	struct json_tokener *tok;
	struct json_object *obj;

	CHECK(memchr(o->buf, 0, o->len) == NULL, "%s: a NUL", what);
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		CHECK(nl, "%s: a line without a newline: %.200s", what, s);
		tok = json_tokener_new();
		CHECK(tok, "json_tokener_new");
		obj = json_tokener_parse_ex(tok, s, (int)(nl - s));
		CHECK(obj && json_tokener_get_error(tok) == json_tokener_success &&
		      (size_t)json_tokener_get_parse_end(tok) == (size_t)(nl - s),
		      "%s: not one JSON value: %.*s", what, (int)(nl - s), s);
		json_object_put(obj);
		json_tokener_free(tok);
		s = nl + 1;
	}
}

/* A JSON object made by a *_to_json(), printed and parsed back. */
static void check_json_obj(struct json_object *obj, const char *what)
{
	const char *text;
	struct json_object *back;

	CHECK(obj, "%s: out of memory?", what);
	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	back = json_tokener_parse(text);
	CHECK(back, "%s: does not parse back: %.200s", what, text);
	json_object_put(back);
	json_object_put(obj);
}

/* A copy of @msg cut to @len bytes, with nlmsg_len saying so. */
static struct nlmsghdr *cut(const struct nlmsghdr *msg, size_t len)
{
	struct nlmsghdr *c = malloc(len);

	CHECK(c, "malloc");
	memcpy(c, msg, len);
	c->nlmsg_len = (uint32_t)len;
	return c;
}

/*
 * Where to cut @nlh so that its last top-level attribute (after the
 * genetlink header) runs past the end, or 0 if its attributes do not
 * reach its end exactly. @salt picks the point.
 */
static size_t cut_point(const struct nlmsghdr *nlh, uint8_t salt)
{
	size_t off = NLMSG_HDRLEN + MNL_ALIGN(GENL_HDRLEN), last = 0;
	const struct nlattr *a;

	while (off + sizeof(*a) <= nlh->nlmsg_len) {
		a = (const void *)((const char *)nlh + off);
		if (a->nla_len < sizeof(*a) || off + a->nla_len > nlh->nlmsg_len)
			return 0;
		last = off;
		if (off + MNL_ALIGN(a->nla_len) >= nlh->nlmsg_len)
			break;
		off += MNL_ALIGN(a->nla_len);
	}
	if (!last)
		return 0;
	a = (const void *)((const char *)nlh + last);
	if (last + MNL_ALIGN(a->nla_len) < nlh->nlmsg_len)
		return 0;	/* trailing bytes: not a clean message */
	/* Strictly inside the attribute: at least its header's first byte. */
	return last + 1 + salt % (a->nla_len - 1);
}

typedef int (*decoder)(const struct nlmsghdr *nlh, bool print);

static int status(const struct nlmsghdr *nlh, bool print)
{
	struct ioi_status st;
	struct out o;
	int ret;

	ret = ioi_status_parse(nlh, &st);
	if (ret || !print)
		return ret;
	out_open(&o);
	CHECK(!ioi_status_print_human(o.f, &st), "status text");
	out_close(&o);
	check_printable(&o, "status text");
	out_free(&o);
	out_open(&o);
	CHECK(!ioi_status_print_json(o.f, &st), "status json");
	out_close(&o);
	check_json_lines(&o, "status json");
	out_free(&o);
	return 0;
}

static int measurement(const struct nlmsghdr *nlh, bool print)
{
	uint8_t m[IOI_MEASUREMENT_SIZE];
	struct out o;
	int ret;

	ret = ioi_status_parse_measurement(nlh, m);
	if (ret || !print)
		return ret;
	out_open(&o);
	ioi_status_print_measurement(o.f, m);
	out_close(&o);
	check_printable(&o, "measurement");
	out_free(&o);
	return 0;
}

static int stats(const struct nlmsghdr *nlh, bool print)
{
	struct ioi_stats s;
	struct out o;
	int ret;

	ret = ioi_stats_parse(nlh, &s);
	if (ret || !print)
		return ret;
	out_open(&o);
	CHECK(!ioi_stats_print_table(o.f, &s), "stats table");
	CHECK(!ioi_stats_print_prometheus(o.f, &s), "prometheus");
	out_close(&o);
	check_printable(&o, "stats text");
	out_free(&o);
	out_open(&o);
	CHECK(!ioi_stats_print_json(o.f, &s), "stats json");
	out_close(&o);
	check_json_lines(&o, "stats json");
	out_free(&o);
	check_json_obj(ioi_stats_to_json(&s), "stats object");
	return 0;
}

static int key_id(const struct nlmsghdr *nlh, bool print)
{
	uint8_t id[IOI_KEY_ID_SIZE];

	(void)print;
	return ioi_key_parse_id_reply(nlh, id);
}

static int key_list(const struct nlmsghdr *nlh, bool print)
{
	struct ioi_key_list l;
	struct out o;
	int ret;

	ret = ioi_key_parse_list_reply(nlh, &l);
	if (ret || !print)
		return ret;
	CHECK(l.n <= IOI_MAX_KEYS, "%zu keys", l.n);
	out_open(&o);
	CHECK(!ioi_key_list_print_text(o.f, &l), "key text");
	out_close(&o);
	check_printable(&o, "key text");
	out_free(&o);
	out_open(&o);
	CHECK(!ioi_key_list_print_json(o.f, &l), "key json");
	out_close(&o);
	check_json_lines(&o, "key json");
	out_free(&o);
	return 0;
}

static int policy_get(const struct nlmsghdr *nlh, bool print)
{
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct ioi_policy p;
	char *text;
	size_t len;
	int ret;

	ioi_policy_init(&p);
	ret = ioi_policy_parse_get_reply(nlh, &p, hash);
	if (!ret && print) {
		CHECK(p.n_access <= IOI_MAX_ACCESS_RULES &&
		      p.n_encrypt <= IOI_MAX_ENCRYPT_RULES,
		      "%zu access and %zu encrypt rules", p.n_access,
		      p.n_encrypt);
		CHECK(!ioi_policy_canonical(&p, &text, &len), "canonical");
		CHECK(strlen(text) == len, "canonical text length");
		free(text);
		check_json_obj(ioi_policy_to_json(&p, hash), "policy object");
	}
	ioi_policy_free(&p);
	return ret;
}

static int policy_set(const struct nlmsghdr *nlh, bool print)
{
	uint8_t hash[IOI_POLICY_HASH_LEN];

	(void)print;
	return ioi_policy_parse_set_reply(nlh, hash);
}

static int event(const struct nlmsghdr *nlh, bool print)
{
	struct ioi_event ev;
	const char *why;
	struct out o;
	int ret;

	ret = ioi_event_parse(nlh, &ev, &why);
	if (ret) {
		CHECK(why || ret == -ENOMSG, "event refused without a reason");
		return ret;
	}
	if (!print)
		return 0;
	out_open(&o);
	CHECK(!ioi_event_print_text(o.f, &ev), "event text");
	out_close(&o);
	check_printable(&o, "event text");
	CHECK(o.len && o.buf[o.len - 1] == '\n' &&
	      !memchr(o.buf, '\n', o.len - 1), "event text: not one line");
	out_free(&o);
	out_open(&o);
	CHECK(!ioi_event_print_json(o.f, &ev), "event json");
	out_close(&o);
	check_json_lines(&o, "event json");
	out_free(&o);
	return 0;
}

static int family(const struct nlmsghdr *nlh, bool print)
{
	struct ioi_nl nl;

	(void)print;
	memset(&nl, 0, sizeof(nl));
	return ioi_nl_parse_family(nlh, &nl);
}

static const struct {
	const char *name;
	decoder fn;
} decoders[] = {
	{ "status", status },
	{ "measurement", measurement },
	{ "stats", stats },
	{ "key id", key_id },
	{ "key list", key_list },
	{ "policy get", policy_get },
	{ "policy set", policy_set },
	{ "event", event },
	{ "family", family },
};

static void ack(const struct nlmsghdr *nlh)
{
	struct ioi_nl_ack a;
	struct out o;

	if (ioi_nl_parse_ack(nlh, &a))
		return;
	CHECK(a.error >= 0, "negative errno %d", a.error);
	out_open(&o);
	ioi_nl_report(o.f, "fuzz", -a.error, &a);
	out_close(&o);
	out_free(&o);
}

static void monitor(const uint8_t *data, size_t size, bool json)
{
	struct ioi_monitor m;
	struct out o, e;

	memset(&m, 0, sizeof(m));
	out_open(&o);
	out_open(&e);
	m.out = o.f;
	m.err = e.f;
	m.json = json;
	m.family_id = size >= 6 ? (uint16_t)(data[4] | data[5] << 8) : 0;
	CHECK(!ioi_monitor_feed(&m, data, size), "monitor");
	out_close(&o);
	out_close(&e);
	if (json)
		check_json_lines(&o, "monitor json");
	else
		check_printable(&o, "monitor text");
	check_printable(&e, "monitor warnings");
	out_free(&o);
	out_free(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh, *c;
	uint32_t len;
	size_t i, at;

	/* A datagram: in an exact copy, so ASan sees reads past its end. */
	if (size) {
		uint8_t *copy = malloc(size);

		CHECK(copy, "malloc");
		memcpy(copy, data, size);
		monitor(copy, size, false);
		monitor(copy, size, true);
		free(copy);
	}
	if (size < NLMSG_HDRLEN)
		return 0;

	/* One message, as mnl_cb_run() hands it over. */
	memcpy(&len, data, sizeof(len));
	if (len < NLMSG_HDRLEN || len > size)
		len = (uint32_t)size;
	nlh = cut((const struct nlmsghdr *)data, len);

	ack(nlh);
	at = cut_point(nlh, data[size - 1]);
	for (i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++) {
		if (decoders[i].fn(nlh, true) || !at)
			continue;
		c = cut(nlh, at);
		CHECK(decoders[i].fn(c, false),
		      "%s: takes the message cut to %zu of %u bytes",
		      decoders[i].name, at, nlh->nlmsg_len);
		free(c);
	}
	free(nlh);
	return 0;
}
