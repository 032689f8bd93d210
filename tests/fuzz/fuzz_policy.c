// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the policy parser (ctl/policy_parse.c) on any bytes.
 *
 * Beyond what ASan and UBSan catch, the oracles are:
 * - the messages agree with the result: one "NAME:..." line per error
 *   counted, none for a good policy, each pointing at a line and column
 *   of the text, lines in order, and no control byte in them but tab and
 *   newline (a hostile policy must not drive the terminal);
 * - a good policy's canonical text is a good policy whose canonical text
 *   is the same bytes (what show-policy prints can be loaded again, and
 *   the hash the module computes does not move);
 * - a good policy fits in a POLICY_SET request, and decoding that request
 *   (as a POLICY_GET reply is decoded) gives the same canonical text.
 */
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "fuzz.h"
#include "nl.h"
#include "policy.h"

#define NAME "fuzz.conf"

static char nlbuf[IOI_NL_BUF_SIZE];

/* Parse @len bytes into @p (initialised here); messages into *@msgs. */
static int parse(struct ioi_policy *p, const char *text, size_t len,
		 char **msgs, size_t *msgs_len)
{
	FILE *err;
	int ret;

	*msgs = NULL;
	err = open_memstream(msgs, msgs_len);
	CHECK(err, "open_memstream");
	ioi_policy_init(p);
	ret = ioi_policy_parse(p, NAME, text, len, IOI_POLICY_F_CONTEXT, err);
	CHECK(!fclose(err), "fclose");
	return ret;
}

/*
 * Where a message "NAME:LINE:COL: error: ..." points must be in the text:
 * a line that exists, a column from 1 to one past its last byte, and each
 * message on a later line than the one before (one error per line).
 */
static void check_position(const char *msg, const char *text, size_t size,
			   unsigned long *last)
{
	unsigned long line, col, n = 1;
	const char *s = text, *end = text + size, *nl;
	size_t linelen;
	int pos = 0;

	if (sscanf(msg, NAME ":%lu:%lu: error: %n", &line, &col, &pos) != 2 ||
	    !pos)
		return;		/* about the whole file */
	CHECK(line > *last, "line %lu after line %lu", line, *last);
	*last = line;
	for (; n < line; n++) {
		nl = memchr(s, '\n', (size_t)(end - s));
		CHECK(nl, "line %lu of %lu: %.200s", line, n, msg);
		s = nl + 1;
	}
	nl = memchr(s, '\n', (size_t)(end - s));
	linelen = (size_t)((nl ? nl : end) - s);
	CHECK(col >= 1 && col <= linelen + 1,
	      "column %lu of a line of %zu bytes: %.200s", col, linelen, msg);
}

static void check_messages(int ret, const char *msgs, size_t len,
			   const char *text, size_t size)
{
	size_t i, lines = 0;
	unsigned long last = 0;
	const char *s;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)msgs[i];

		CHECK(c >= 0x20 || c == '\n' || c == '\t',
		      "control byte 0x%02x at %zu of the messages:\n%s", c, i,
		      msgs);
		CHECK(c != 0x7f, "DEL at %zu of the messages:\n%s", i, msgs);
	}
	/* Messages start "NAME:"; the line shown under one starts blank. */
	for (s = msgs; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : "")
		if (!strncmp(s, NAME ":", strlen(NAME ":")) &&
		    strncmp(s, NAME ": note:", strlen(NAME ": note:"))) {
			check_position(s, text, size, &last);
			lines++;
		}
	CHECK(ret >= 0, "parse returned %d", ret);
	CHECK(lines == (size_t)ret, "%d errors, %zu messages:\n%s", ret, lines,
	      msgs);
}

/* The canonical text of @p; fails the run if it cannot be made. */
static char *canonical(const struct ioi_policy *p, size_t *len)
{
	char *text;

	CHECK(!ioi_policy_canonical(p, &text, len), "canonical text");
	return text;
}

static void check_reparse(const char *text, size_t len)
{
	struct ioi_policy p;
	size_t msgs_len, len2;
	char *msgs, *text2;
	int ret;

	ret = parse(&p, text, len, &msgs, &msgs_len);
	CHECK(ret == 0, "the canonical text does not parse (%d):\n%s\n%s",
	      ret, text, msgs);
	text2 = canonical(&p, &len2);
	CHECK(len2 == len && !memcmp(text, text2, len),
	      "canonical text moved:\n%s\nthen:\n%s", text, text2);
	free(text2);
	free(msgs);
	ioi_policy_free(&p);
}

static void check_netlink(const struct ioi_policy *p, const char *text,
			  size_t len)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct nlattr *attr;
	struct ioi_policy q;
	size_t len2;
	char *text2;
	int ret;

	nlh = mnl_nlmsg_put_header(nlbuf);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = IOI_CMD_POLICY_SET;
	attr = (struct nlattr *)mnl_nlmsg_get_payload_tail(nlh);
	ret = ioi_policy_put_nl(nlh, sizeof(nlbuf), p);
	CHECK(ret == 0, "a policy the parser took does not fit: %d", ret);
	CHECK(mnl_attr_get_type(attr) == IOI_A_POLICY &&
	      attr->nla_len == ioi_policy_nl_size(p),
	      "IOI_A_POLICY of %u bytes, %zu expected", attr->nla_len,
	      ioi_policy_nl_size(p));

	ioi_policy_init(&q);
	ret = ioi_policy_from_nl(attr, &q);
	CHECK(ret == 0, "its own POLICY_SET does not decode: %d", ret);
	text2 = canonical(&q, &len2);
	CHECK(len2 == len && !memcmp(text, text2, len),
	      "netlink round trip changed the policy:\n%s\nthen:\n%s", text,
	      text2);
	free(text2);
	ioi_policy_free(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t hash[IOI_POLICY_HASH_LEN];
	struct json_object *obj;
	struct ioi_policy p;
	size_t msgs_len, len;
	char *msgs, *text;
	int ret;

	ret = parse(&p, (const char *)data, size, &msgs, &msgs_len);
	check_messages(ret, msgs, msgs_len, (const char *)data, size);
	free(msgs);
	if (ret) {
		ioi_policy_free(&p);
		return 0;
	}

	text = canonical(&p, &len);
	CHECK(len <= IOI_POLICY_TEXT_MAX, "canonical text of %zu bytes", len);
	check_reparse(text, len);
	check_netlink(&p, text, len);

	CHECK(!ioi_policy_hash(&p, hash), "hash");
	obj = ioi_policy_to_json(&p, hash);
	CHECK(obj, "JSON");
	CHECK(json_object_to_json_string(obj), "JSON text");
	json_object_put(obj);

	free(text);
	ioi_policy_free(&p);
	return 0;
}
