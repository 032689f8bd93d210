// SPDX-License-Identifier: GPL-2.0
/*
 * ioi-nlfuzz: a generic netlink fuzzer for the iointercept family, run in
 * the test VM (tests/vm/cases/41-nlfuzz.sh). Seeded and reproducible: the
 * same seed and count send the same bytes.
 *
 *   ioi-nlfuzz [--seed N] [--count N] [--from N] [--timeout SEC] [-v]
 *   ioi-nlfuzz --dry-run ...   only generate the datagrams (no socket)
 *   ioi-nlfuzz [--replay-family ID] --replay HEX
 *                               send these bytes as one datagram, check the
 *                               replies, print them; messages of type ID
 *                               (the family's id where they were found)
 *                               go to the family's id here
 *
 * Three phases:
 *
 * 1. --count datagrams, each command number 0..IOI_CMD_MAX+3 in turn: a
 *    valid request built from a template, and then, unless it is kept
 *    pristine (one in eight), mutated while it is built (attribute type,
 *    flags, length field and payload length changed, attributes dropped,
 *    duplicated, wrapped in nests up to 40 deep, attributes of other
 *    commands, policies with up to 1500 rules whose nest length wraps) and
 *    after (header fields, flags such as NLM_F_DUMP on commands without a
 *    dump, truncation, random bytes appended or flipped, several messages
 *    in one datagram). Each datagram is followed by a sentinel
 *    (NLMSG_NOOP with NLM_F_ACK): every reply up to its ACK belongs to the
 *    datagram, and a missing ACK within --timeout is a hang.
 * 2. Dumps: nlctrl's policy dump of the family (the only dumps the family
 *    has) and family dump, read to the end, or interrupted by closing the
 *    socket halfway, or by a second dump on the same socket.
 * 3. Overrun: requests sent on a socket with the smallest receive buffer,
 *    never read until the end, so the kernel drops replies (ENOBUFS).
 *
 * Oracles, for every message received: it is well formed (lengths, our
 * port, no trailing bytes), and it is either an NLMSG_ERROR whose error is
 * 0 or a known errno the family may return, whose echoed header is one we
 * sent and whose extended ACK parses, or a reply of the family whose
 * attributes are exactly those the uapi header documents for that command,
 * with the documented lengths and ranges. A pristine request gets the
 * answer it should (a reply, or the one errno its state allows).
 *
 * State: the fuzzer never locks the module. IOI_CMD_LOCK is sent only
 * with a first attribute that the command's strict policy rejects; a
 * POLICY_SET never carries IOI_A_LOCK; and the only policies that the
 * kernel could accept confine the cgroup /ioi-nlfuzz (empty) or one that
 * does not exist. Every datagram is checked for that the way the kernel
 * walks it (unsafe() below) and drawn again if it fails.
 * A policy or key the kernel accepts is removed at once, and at the end.
 *
 * Exit status 0 if every check passed, 1 on the first failure (with the
 * seed, the datagram and the reply in hex), 2 for bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/iointercept.h>

#define BUF_SIZE	(160 * 1024)
#define MAX_NEST	64
/* The cgroups a fuzzed policy may name: empty, and absent. */
#define SAFE_CGROUP	"/ioi-nlfuzz"
#define ABSENT_CGROUP	"/ioi-nlfuzz-absent"
#define NCMDS		(IOI_CMD_MAX + 4)
#define SENTINEL_SEQ	0xfeed0000u

static uint64_t rng_state;
static bool verbose;
static int timeout_s = 10;
static uint16_t family;
static uint64_t iteration;
static uint64_t seed;
/* --dry-run: only generate (no socket), to test the generator. */
static bool dry_run;

/* What was seen, for the summary line. */
static struct {
	uint64_t datagrams, messages, replies, acks, errors, redrawn;
	uint64_t policies, keys, build_ids, pristine, dumps, interrupted;
	uint64_t enobufs;
	uint64_t errno_count[134];
} st;

/* splitmix64: small, and the same sequence everywhere. */
static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(rnd64() % n) : 0;
}

/* True with probability @pct percent. */
static bool chance(uint32_t pct)
{
	return rnd(100) < pct;
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd64();
}

static void hexdump(const char *what, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	fprintf(stderr, "%s (%zu bytes): ", what, n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%02x", b[i]);
	fputc('\n', stderr);
}

/* The datagram in flight, for failure reports. */
static const uint8_t *cur_msg;
static size_t cur_len;
/* The datagram being checked. */
static uint8_t rbuf[BUF_SIZE];
static size_t rlen;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL: ioi-nlfuzz seed %llu datagram %llu: ",
		(unsigned long long)seed, (unsigned long long)iteration);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cur_msg)
		hexdump("sent", cur_msg, cur_len);
	if (rlen)
		hexdump("received", rbuf, rlen);
	exit(1);
}

/* ---- building messages ---------------------------------------------- */

struct msg {
	uint8_t b[BUF_SIZE];
	size_t len;
	size_t start;		/* of the message being built */
	int rate;		/* percent of attributes mutated */
	size_t nest[MAX_NEST];
	int depth;
	int extra[MAX_NEST];	/* wrapper nests opened with each nest */
	int edepth;
};

static bool mut(const struct msg *m)
{
	return m->rate && chance(m->rate);
}

static void put_raw(struct msg *m, const void *p, size_t n)
{
	if (m->len + n > sizeof(m->b))
		n = sizeof(m->b) - m->len;
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void put_pad(struct msg *m)
{
	static const uint8_t zero[4];

	put_raw(m, zero, NLA_ALIGN(m->len) - m->len);
}

static void put_hdr(struct msg *m, uint16_t type, uint16_t len)
{
	struct nlattr a = { .nla_len = len, .nla_type = type };

	put_raw(m, &a, sizeof(a));
}

static uint16_t rnd_type(void)
{
	switch (rnd(4)) {
	case 0:
		return (uint16_t)rnd(IOI_A_MAX + 3);
	case 1:
		return (uint16_t)rnd(16);
	case 2:
		return (uint16_t)rnd64();
	default:
		return (uint16_t)(rnd(IOI_A_MAX + 3) |
				  (chance(50) ? NLA_F_NESTED : 0) |
				  (chance(50) ? NLA_F_NET_BYTEORDER : 0));
	}
}

/* An attribute, maybe mutated: every way a length or a type can be wrong. */
static void put_attr(struct msg *m, uint16_t type, const void *data,
		     size_t len)
{
	uint8_t tmp[2048];
	int copies = 1;
	size_t at;

	if (len > sizeof(tmp) - 64)
		len = sizeof(tmp) - 64;
	memcpy(tmp, data, len);
	if (mut(m)) {
		switch (rnd(9)) {
		case 0:		/* missing */
			return;
		case 1:
			type = rnd_type();
			break;
		case 2:
			type ^= chance(50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
			break;
		case 3:		/* short */
			len = rnd((uint32_t)len + 1);
			break;
		case 4:		/* long */
			rnd_bytes(tmp + len, 64);
			len += 1 + rnd(63);
			break;
		case 5:
			copies = 2 + rnd(3);
			break;
		case 6:
			rnd_bytes(tmp, len);
			break;
		case 7:		/* a lying length field: below */
			break;
		default:	/* a string without its NUL, or empty */
			len = len ? len - 1 : 0;
			break;
		}
	}
	while (copies--) {
		at = m->len;
		put_hdr(m, type, (uint16_t)(NLA_HDRLEN + len));
		put_raw(m, tmp, len);
		put_pad(m);
		if (m->rate && chance(m->rate / 4 + 1)) {
			struct nlattr *a = (struct nlattr *)(m->b + at);
			static const uint16_t lies[] = { 0, 1, 3, 4, 5, 0xffff };

			if (chance(50))
				a->nla_len = lies[rnd(6)];
			else
				a->nla_len = (uint16_t)(a->nla_len + rnd(9) - 4);
		}
	}
}

static void put_u8(struct msg *m, uint16_t type, uint8_t v)
{
	if (mut(m) && chance(30))
		v = (uint8_t)rnd64();
	put_attr(m, type, &v, 1);
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put_attr(m, type, s, strlen(s) + 1);
}

static void nest_start(struct msg *m, uint16_t type)
{
	int wrap = 0, i;

	if (mut(m) && chance(20))
		wrap = 1 + rnd(40);
	if (m->depth + wrap + 1 > MAX_NEST)
		wrap = 0;
	if (mut(m))
		type = chance(50) ? rnd_type() : (uint16_t)(type & ~NLA_F_NESTED);
	for (i = 0; i < wrap; i++) {
		m->nest[m->depth++] = m->len;
		put_hdr(m, rnd_type() | NLA_F_NESTED, 0);
	}
	m->extra[m->edepth++] = wrap;
	m->nest[m->depth++] = m->len;
	put_hdr(m, type, 0);
}

static void nest_end(struct msg *m)
{
	int n = m->extra[--m->edepth] + 1;

	while (n--) {
		size_t at = m->nest[--m->depth];
		struct nlattr *a = (struct nlattr *)(m->b + at);

		/* Truncated to 16 bits, as a careless sender would. */
		a->nla_len = (uint16_t)(m->len - at);
		if (m->rate && chance(m->rate / 4 + 1))
			a->nla_len = (uint16_t)rnd64();
	}
}

static void msg_begin(struct msg *m, uint16_t type, uint16_t flags,
		      uint8_t cmd)
{
	struct nlmsghdr h = {
		.nlmsg_type = type,
		.nlmsg_flags = flags,
		.nlmsg_seq = (uint32_t)iteration,
	};
	struct genlmsghdr g = { .cmd = cmd, .version = IOI_GENL_VERSION };

	m->start = m->len;
	put_raw(m, &h, sizeof(h));
	put_raw(m, &g, sizeof(g));
}

static struct nlmsghdr *msg_hdr(struct msg *m)
{
	return (struct nlmsghdr *)(m->b + m->start);
}

static void msg_end(struct msg *m)
{
	msg_hdr(m)->nlmsg_len = (uint32_t)(m->len - m->start);
}

/* ---- templates ------------------------------------------------------- */

static const char *const patterns[] = {
	"/tmp/ioi-nlfuzz/**", "/usr/**", "/etc/*.conf", "/srv/a?b/[abc]*",
	"/tmp/ioi-nlfuzz/x", "/tmp/ioi-nlfuzz/*.pt", "/proc/**",
	"/", "/**", "/a/**/b",
};

static const char *const bad_patterns[] = {
	"", "relative", "/a/../b", "/a/./b", "//", "/a//b", "/[", "/[]",
	"/a\\", "/***", "/a/**b", "/\x01", "/a/b/",
};

static void rnd_pattern(struct msg *m, char *buf, size_t size)
{
	size_t n, i;

	if (!mut(m) || chance(40)) {
		snprintf(buf, size, "%s", patterns[rnd(sizeof(patterns) /
						      sizeof(*patterns))]);
		return;
	}
	switch (rnd(3)) {
	case 0:
		snprintf(buf, size, "%s",
			 bad_patterns[rnd(sizeof(bad_patterns) /
					  sizeof(*bad_patterns))]);
		return;
	case 1:			/* around IOI_PATTERN_MAX */
		n = IOI_PATTERN_MAX - 3 + rnd(5);
		break;
	default:
		n = 1 + rnd(40);
		break;
	}
	if (n >= size)
		n = size - 1;
	buf[0] = '/';
	for (i = 1; i < n; i++)
		buf[i] = chance(70) ? "abc/*?[]!.-\\"[rnd(12)] :
				      (char)(1 + rnd(255));
	buf[n] = 0;
}

static void put_rule(struct msg *m)
{
	static const uint8_t kinds[] = {
		IOI_RULE_SYSTEM, IOI_RULE_TMPFS, IOI_RULE_ALLOW,
		IOI_RULE_DENY, IOI_RULE_ENCRYPT,
	};
	uint8_t kind = kinds[rnd(5)];
	char pat[IOI_PATTERN_MAX + 8];

	nest_start(m, IOI_POLICY_A_RULE | NLA_F_NESTED);
	put_u8(m, IOI_RULE_A_KIND, kind);
	if (kind == IOI_RULE_ALLOW)
		put_u8(m, IOI_RULE_A_ACCESS, (uint8_t)(1 + rnd(IOI_ACCESS_RWX)));
	else if (kind == IOI_RULE_ENCRYPT)
		put_u8(m, IOI_RULE_A_ACCESS, (uint8_t)(1 + rnd(IOI_ENCRYPT_WO)));
	if (kind == IOI_RULE_TMPFS)
		snprintf(pat, sizeof(pat), "/tmp/ioi-nlfuzz/**");
	else
		rnd_pattern(m, pat, sizeof(pat));
	put_str(m, IOI_RULE_A_PATTERN, pat);
	nest_end(m);
}

static void put_policy(struct msg *m)
{
	uint32_t rules, i;

	nest_start(m, IOI_A_POLICY | NLA_F_NESTED);
	if (!m->rate && chance(3)) {
		/*
		 * Valid, at the limits (docs/policy.md): 1024 access rules,
		 * 39936 bytes of canonical text; POLICY_GET reads it back.
		 */
		char pat[40];

		put_u8(m, IOI_POLICY_A_MODE, IOI_MODE_AUDIT);
		put_u8(m, IOI_POLICY_A_DEFAULT, IOI_DEFAULT_ALLOW);
		put_u8(m, IOI_POLICY_A_SCOPE, IOI_SCOPE_CGROUP);
		put_str(m, IOI_POLICY_A_CGROUP, SAFE_CGROUP);
		nest_start(m, IOI_POLICY_A_RULES | NLA_F_NESTED);
		for (i = 0; i < IOI_MAX_ACCESS_RULES; i++) {
			snprintf(pat, sizeof(pat), "/srv/data/%023u", i);
			nest_start(m, IOI_POLICY_A_RULE | NLA_F_NESTED);
			put_u8(m, IOI_RULE_A_KIND, IOI_RULE_DENY);
			put_str(m, IOI_RULE_A_PATTERN, pat);
			nest_end(m);
		}
		nest_end(m);
		nest_end(m);
		return;
	}
	put_u8(m, IOI_POLICY_A_MODE, (uint8_t)rnd(2));
	put_u8(m, IOI_POLICY_A_DEFAULT, (uint8_t)rnd(2));
	put_u8(m, IOI_POLICY_A_SCOPE, IOI_SCOPE_CGROUP);
	put_str(m, IOI_POLICY_A_CGROUP,
		chance(80) ? SAFE_CGROUP : ABSENT_CGROUP);
	if (chance(30))
		put_u8(m, IOI_POLICY_A_ON_PLAINTEXT, (uint8_t)rnd(2));
	if (chance(30))
		put_u8(m, IOI_POLICY_A_LOG_PATHS, (uint8_t)rnd(2));
	if (chance(10))
		put_u8(m, IOI_POLICY_A_REQUIRE_TEE, 0);
	if (chance(90)) {
		rules = rnd(6);
		/* At the limits, and past the 16-bit nest length. */
		if (mut(m) && chance(10))
			rules = 100 + rnd(1400);
		nest_start(m, IOI_POLICY_A_RULES | NLA_F_NESTED);
		for (i = 0; i < rules && m->len < sizeof(m->b) - 4096; i++)
			put_rule(m);
		nest_end(m);
	}
	nest_end(m);
}

/* Any top-level attribute with a plausible payload: wrong for most. */
static void put_zoo(struct msg *m)
{
	uint8_t data[64];
	uint16_t type = (uint16_t)(1 + rnd(IOI_A_MAX + 2));

	if (type == IOI_A_POLICY) {
		put_policy(m);
		return;
	}
	rnd_bytes(data, sizeof(data));
	put_attr(m, type, data, rnd(2) ? 1 + rnd(4) * 4 : rnd(sizeof(data)));
}

/* The valid request of @cmd, maybe with attributes it does not take. */
static void put_body(struct msg *m, uint8_t cmd)
{
	uint8_t data[IOI_BUILD_ID_SIZE];
	uint32_t n;

	switch (cmd) {
	case IOI_CMD_POLICY_SET:
		put_policy(m);
		if (chance(20)) {
			rnd_bytes(data, IOI_BUILD_ID_SIZE);
			put_attr(m, IOI_A_BUILD_ID, data, IOI_BUILD_ID_SIZE);
		}
		break;
	case IOI_CMD_KEY_ADD:
		rnd_bytes(data, IOI_KEY_SIZE);
		put_attr(m, IOI_A_KEY_RAW, data, IOI_KEY_SIZE);
		break;
	case IOI_CMD_KEY_REMOVE:
		rnd_bytes(data, IOI_KEY_ID_SIZE);
		put_attr(m, IOI_A_KEY_ID, data, IOI_KEY_ID_SIZE);
		break;
	case IOI_CMD_BUILD_ID_SET:
		rnd_bytes(data, IOI_BUILD_ID_SIZE);
		put_attr(m, IOI_A_BUILD_ID, data, IOI_BUILD_ID_SIZE);
		break;
	case IOI_CMD_LOCK:
		/* Always refused: see unsafe(). */
		put_zoo(m);
		break;
	}
	if (m->rate)
		for (n = rnd(4); n; n--)
			put_zoo(m);
}

static uint16_t rnd_msg_type(void)
{
	switch (rnd(10)) {
	case 0:
		return (uint16_t)rnd(NLMSG_MIN_TYPE);
	case 1:			/* above GENL_MAX_ID: never a family */
		return (uint16_t)(1024 + rnd(64512));
	default:
		return family;
	}
}

static uint16_t rnd_flags(void)
{
	static const uint16_t bits[] = {
		NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO,
		NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, NLM_F_ROOT, NLM_F_MATCH,
		NLM_F_ATOMIC, NLM_F_DUMP, NLM_F_REPLACE, NLM_F_EXCL,
		NLM_F_CREATE, NLM_F_APPEND, NLM_F_NONREC, NLM_F_CAPPED,
		NLM_F_ACK_TLVS,
	};
	uint16_t f = NLM_F_REQUEST | NLM_F_ACK;

	switch (rnd(4)) {
	case 0:
		return (uint16_t)rnd64();
	case 1:
		return f ^ bits[rnd(sizeof(bits) / sizeof(*bits))];
	case 2:
		return f | NLM_F_DUMP;
	default:
		return f | bits[rnd(sizeof(bits) / sizeof(*bits))];
	}
}

/* One message of the datagram for command @cmd; *@pristine if unmutated. */
static void gen_one(struct msg *m, uint8_t cmd, bool *pristine)
{
	struct nlmsghdr *h;
	struct genlmsghdr *g;

	*pristine = cmd != IOI_CMD_LOCK && chance(12);
	m->rate = *pristine ? 0 : (int)(1 + rnd(30));
	msg_begin(m, family, NLM_F_REQUEST | NLM_F_ACK, cmd);
	put_body(m, cmd);
	msg_end(m);
	if (*pristine)
		return;
	h = msg_hdr(m);
	g = (struct genlmsghdr *)(h + 1);
	if (chance(15))
		h->nlmsg_flags = rnd_flags();
	if (chance(10))
		h->nlmsg_type = rnd_msg_type();
	if (chance(8))
		g->cmd = (uint8_t)(chance(50) ? rnd(NCMDS) : rnd64());
	if (chance(5))
		g->version = (uint8_t)rnd64();
	if (chance(5))
		g->reserved = (uint16_t)rnd64();
	if (chance(10)) {
		static const uint32_t lies[] = { 0, 4, 15, 16, 17, 19, 20, 21 };

		h->nlmsg_len = chance(50) ? lies[rnd(8)] :
			h->nlmsg_len + rnd(17) - 8;
	}
	if (chance(10) && m->len > m->start + 4) {
		/* Cut, with or without the header saying so. */
		m->len = m->start + 4 + rnd((uint32_t)(m->len - m->start - 4));
		if (chance(50))
			msg_hdr(m)->nlmsg_len = (uint32_t)(m->len - m->start);
	}
	if (chance(5)) {
		uint8_t junk[64];
		size_t n = 1 + rnd(sizeof(junk));

		rnd_bytes(junk, n);
		put_raw(m, junk, n);
		if (chance(50))
			msg_hdr(m)->nlmsg_len = (uint32_t)(m->len - m->start);
	}
	if (chance(5)) {
		uint32_t flips = 1 + rnd(8);

		while (flips--)
			m->b[m->start + rnd((uint32_t)(m->len - m->start))] ^=
				(uint8_t)(1 << rnd(8));
	}
}

/* ---- the safety guard ------------------------------------------------- */

/* The last attribute of @type (flags ignored) as the kernel walks @p. */
static const struct nlattr *last_attr(const uint8_t *p, size_t len,
				      uint16_t type, bool *seen_len4)
{
	const struct nlattr *found = NULL;

	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == type) {
			found = a;
			if (seen_len4)
				*seen_len4 = true;
		}
		if ((size_t)NLA_ALIGN(a->nla_len) >= len)
			break;
		len -= (size_t)NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return found;
}

/* Whether this POLICY_SET could install a policy confining anything real. */
static bool policy_unsafe(const uint8_t *attrs, size_t len)
{
	const struct nlattr *pol, *scope, *cg;
	const uint8_t *p;
	size_t plen, n;
	bool lock = false;

	last_attr(attrs, len, IOI_A_LOCK, &lock);
	if (lock)
		return true;
	pol = last_attr(attrs, len, IOI_A_POLICY, NULL);
	if (!pol)
		return false;
	p = (const uint8_t *)pol + NLA_HDRLEN;
	plen = pol->nla_len - NLA_HDRLEN;
	scope = last_attr(p, plen, IOI_POLICY_A_SCOPE, NULL);
	if (!scope || scope->nla_len < NLA_HDRLEN + 1)
		return false;
	if (*((const uint8_t *)scope + NLA_HDRLEN) != IOI_SCOPE_CGROUP)
		return *((const uint8_t *)scope + NLA_HDRLEN) <= IOI_SCOPE_CGROUP;
	cg = last_attr(p, plen, IOI_POLICY_A_CGROUP, NULL);
	if (!cg)
		return false;
	n = strnlen((const char *)cg + NLA_HDRLEN, cg->nla_len - NLA_HDRLEN);
	return !((n == strlen(SAFE_CGROUP) &&
		  !memcmp((const char *)cg + NLA_HDRLEN, SAFE_CGROUP, n)) ||
		 (n == strlen(ABSENT_CGROUP) &&
		  !memcmp((const char *)cg + NLA_HDRLEN, ABSENT_CGROUP, n)));
}

/*
 * Whether the kernel could lock the module, install a policy that confines
 * a task that exists, or reach another family with this datagram. Walks it
 * as netlink_rcv_skb() does; conservative everywhere else.
 */
static bool unsafe(const uint8_t *p, size_t len)
{
	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;
		const struct genlmsghdr *g = (const void *)(h + 1);
		const uint8_t *attrs = p + NLMSG_HDRLEN + GENL_HDRLEN;
		size_t alen;

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len)
			return false;
		if (h->nlmsg_type >= NLMSG_MIN_TYPE && h->nlmsg_type < 1024 &&
		    h->nlmsg_type != family)
			return true;
		if (h->nlmsg_type == family &&
		    h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
			alen = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
			if (g->cmd == IOI_CMD_LOCK) {
				const struct nlattr *a = (const void *)attrs;

				if (alen < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
				    a->nla_len > alen ||
				    (a->nla_type & NLA_TYPE_MASK) < 1 ||
				    (a->nla_type & NLA_TYPE_MASK) > IOI_A_MAX)
					return true;
			}
			if (g->cmd == IOI_CMD_POLICY_SET &&
			    policy_unsafe(attrs, alen))
				return true;
		}
		if (NLMSG_ALIGN(h->nlmsg_len) >= len)
			break;
		len -= NLMSG_ALIGN(h->nlmsg_len);
		p += NLMSG_ALIGN(h->nlmsg_len);
	}
	return false;
}

/* ---- the socket ------------------------------------------------------ */

/* The port of the socket whose replies are being checked. */
static uint32_t portid;

/* A socket; its port in *@port. */
static int nl_open(int rcvbuf, uint32_t *port)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = timeout_s };
	socklen_t sl = sizeof(sa);
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		fail("socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl))
		fail("socket setup: %s", strerror(errno));
	*port = sa.nl_pid;
	return fd;
}

/* One datagram; 0 on timeout (only when @may_time_out), -errno on error. */
static ssize_t nl_recv(int fd, bool may_time_out)
{
	ssize_t n = recv(fd, rbuf, sizeof(rbuf), MSG_TRUNC);

	if (n < 0) {
		if (errno == ENOBUFS)
			return -ENOBUFS;
		if ((errno == EAGAIN || errno == EWOULDBLOCK) && may_time_out)
			return 0;
		fail("recv: %s (no answer within %d s: a hang?)",
		     strerror(errno), timeout_s);
	}
	if ((size_t)n > sizeof(rbuf))
		fail("a reply of %zd bytes", n);
	rlen = (size_t)n;
	return n;
}

/* ---- checking what comes back ---------------------------------------- */

/* The errors the family and genetlink may answer a request with. */
static bool errno_known(int e)
{
	switch (e) {
	case EINVAL: case ERANGE: case EOPNOTSUPP: case ENOENT: case ENOKEY:
	case EEXIST: case ENOSPC: case E2BIG: case EPERM:
		return true;
	}
	return false;
}

typedef void (*attr_check)(const struct nlattr *a, void *ctx);

/* Walk attributes strictly: lengths exact, nothing left over. */
static void walk(const uint8_t *p, size_t len, attr_check cb, void *ctx,
		 const char *where)
{
	while (len) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (len < NLA_HDRLEN || a->nla_len < NLA_HDRLEN ||
		    a->nla_len > len)
			fail("%s: malformed attribute at %zu bytes from the end",
			     where, len);
		cb(a, ctx);
		if ((size_t)NLA_ALIGN(a->nla_len) > len) {
			if (a->nla_len != len)
				fail("%s: unaligned end", where);
			break;
		}
		len -= (size_t)NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
}

static const uint8_t *nla_data_of(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static size_t nla_len_of(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static void want_len(const struct nlattr *a, size_t n, const char *what)
{
	if (nla_len_of(a) != n)
		fail("%s: %zu bytes, expected %zu", what, nla_len_of(a), n);
}

static uint8_t want_u8(const struct nlattr *a, uint8_t max, const char *what)
{
	want_len(a, 1, what);
	if (nla_data_of(a)[0] > max)
		fail("%s: %u > %u", what, nla_data_of(a)[0], max);
	return nla_data_of(a)[0];
}

static void want_str(const struct nlattr *a, size_t max, const char *what)
{
	size_t n = nla_len_of(a);

	if (!n || n > max || nla_data_of(a)[n - 1] ||
	    strlen((const char *)nla_data_of(a)) != n - 1)
		fail("%s: not a NUL-terminated string of at most %zu", what, max);
}

/* Seen-once bookkeeping of a reply's attributes. */
struct seen {
	uint64_t mask;
	int count;
	uint8_t loaded;
	const char *where;
};

static void once(struct seen *s, unsigned int type)
{
	if (type < 64 && (s->mask & (1ull << type)))
		fail("%s: attribute %u twice", s->where, type);
	if (type < 64)
		s->mask |= 1ull << type;
	s->count++;
}

static void stat_cb(const struct nlattr *a, void *ctx)
{
	struct seen *s = ctx;

	if (a->nla_type < 1 || a->nla_type > IOI_STAT_MAX)
		fail("stats: counter type %u", a->nla_type);
	once(s, a->nla_type);
	want_len(a, 8, "stats counter");
}

static void check_stats(const struct nlattr *a)
{
	struct seen s = { .where = "IOI_A_STATS" };

	if (!(a->nla_type & NLA_F_NESTED))
		fail("IOI_A_STATS without NLA_F_NESTED");
	walk(nla_data_of(a), nla_len_of(a), stat_cb, &s, "IOI_A_STATS");
	if (s.count != IOI_STAT_MAX)
		fail("IOI_A_STATS: %d counters, expected %d", s.count,
		     IOI_STAT_MAX);
}

static void rule_cb(const struct nlattr *a, void *ctx)
{
	struct seen *s = ctx;

	once(s, a->nla_type);
	switch (a->nla_type) {
	case IOI_RULE_A_KIND:
		want_u8(a, IOI_RULE_ENCRYPT, "rule kind");
		break;
	case IOI_RULE_A_ACCESS:
		want_u8(a, IOI_ACCESS_RWX, "rule access");
		break;
	case IOI_RULE_A_PATTERN:
		want_str(a, IOI_PATTERN_MAX, "rule pattern");
		break;
	default:
		fail("rule: attribute %u", a->nla_type);
	}
}

static void rules_cb(const struct nlattr *a, void *ctx)
{
	struct seen s = { .where = "rule" };

	(void)ctx;
	if (a->nla_type != (IOI_POLICY_A_RULE | NLA_F_NESTED))
		fail("rules: attribute %#x", a->nla_type);
	walk(nla_data_of(a), nla_len_of(a), rule_cb, &s, "rule");
	if (!(s.mask & (1u << IOI_RULE_A_KIND)) ||
	    !(s.mask & (1u << IOI_RULE_A_PATTERN)))
		fail("rule without kind or pattern");
}

static void policy_cb(const struct nlattr *a, void *ctx)
{
	struct seen *s = ctx;
	unsigned int type = a->nla_type & NLA_TYPE_MASK;

	once(s, type);
	switch (type) {
	case IOI_POLICY_A_MODE:
		want_u8(a, IOI_MODE_AUDIT, "policy mode");
		break;
	case IOI_POLICY_A_DEFAULT:
		want_u8(a, IOI_DEFAULT_ALLOW, "policy default");
		break;
	case IOI_POLICY_A_SCOPE:
		want_u8(a, IOI_SCOPE_CGROUP, "policy scope");
		break;
	case IOI_POLICY_A_ON_PLAINTEXT:
		want_u8(a, IOI_ON_PLAINTEXT_ALLOW, "on-plaintext");
		break;
	case IOI_POLICY_A_LOG_PATHS:
		want_u8(a, IOI_LOG_PATHS_REDACT, "log-paths");
		break;
	case IOI_POLICY_A_REQUIRE_TEE:
		want_u8(a, 1, "require-tee");
		break;
	case IOI_POLICY_A_CGROUP:
		want_str(a, IOI_CGROUP_PATH_MAX, "policy cgroup");
		break;
	case IOI_POLICY_A_RULES:
		walk(nla_data_of(a), nla_len_of(a), rules_cb, NULL, "rules");
		break;
	default:
		fail("policy: attribute %u", type);
	}
}

/* Key identifiers seen in replies: removed again at once. */
static uint8_t new_keys[64][IOI_KEY_ID_SIZE];
static int n_new_keys;
static bool policy_installed;
/*
 * The hash of the policies the last datagram installed (how many), and
 * of the one POLICY_GET read back: they must agree.
 */
static uint8_t set_hash[IOI_POLICY_HASH_LEN], get_hash[IOI_POLICY_HASH_LEN];
static int n_set_hash;
static bool got_hash;
/* The command of the reply being checked. */
static uint8_t reply_cmd;
/* Whether a key list's identifiers go to new_keys too (cleanup()). */
static bool collect_keys;

static void new_key(const struct nlattr *a)
{
	if (n_new_keys < 64)
		memcpy(new_keys[n_new_keys++], nla_data_of(a), IOI_KEY_ID_SIZE);
}

static void entry_cb(const struct nlattr *a, void *ctx)
{
	struct seen *s = ctx;

	once(s, a->nla_type);
	switch (a->nla_type) {
	case IOI_KEY_A_ID:
		want_len(a, IOI_KEY_ID_SIZE, "key id");
		if (collect_keys)
			new_key(a);
		break;
	case IOI_KEY_A_ACTIVE:
		s->loaded += want_u8(a, 1, "key active");
		break;
	case IOI_KEY_A_GENERATED:
		want_u8(a, 1, "key generated");
		break;
	default:
		fail("key entry: attribute %u", a->nla_type);
	}
}

static void keys_cb(const struct nlattr *a, void *ctx)
{
	struct seen *all = ctx, s = { .where = "key entry" };

	if (a->nla_type != (IOI_KEY_A_ENTRY | NLA_F_NESTED))
		fail("keys: attribute %#x", a->nla_type);
	walk(nla_data_of(a), nla_len_of(a), entry_cb, &s, "key entry");
	if (s.count != 3)
		fail("key entry with %d attributes", s.count);
	all->count++;
	all->loaded += s.loaded;
}

static void reply_cb(const struct nlattr *a, void *ctx)
{
	struct seen *s = ctx;
	unsigned int type = a->nla_type & NLA_TYPE_MASK;
	struct seen sub = { .where = "nest" };

	once(s, type);
	switch (type) {
	case IOI_A_VERSION:
		want_str(a, 64, "IOI_A_VERSION");
		break;
	case IOI_A_POLICY_LOADED:
		s->loaded = want_u8(a, 1, "IOI_A_POLICY_LOADED");
		break;
	case IOI_A_POLICY_HASH:
		want_len(a, IOI_POLICY_HASH_LEN, "IOI_A_POLICY_HASH");
		if (reply_cmd == IOI_CMD_POLICY_SET) {
			memcpy(set_hash, nla_data_of(a), IOI_POLICY_HASH_LEN);
			n_set_hash++;
		} else if (reply_cmd == IOI_CMD_POLICY_GET) {
			memcpy(get_hash, nla_data_of(a), IOI_POLICY_HASH_LEN);
			got_hash = true;
		}
		break;
	case IOI_A_BUILD_ID:
		want_len(a, IOI_BUILD_ID_SIZE, "IOI_A_BUILD_ID");
		break;
	case IOI_A_MEASUREMENT:
		want_len(a, IOI_MEASUREMENT_SIZE, "IOI_A_MEASUREMENT");
		break;
	case IOI_A_LOCKED:
		if (want_u8(a, 1, "IOI_A_LOCKED"))
			fail("the module says it is locked");
		break;
	case IOI_A_HOOKS_ARMED:
		want_u8(a, 1, "IOI_A_HOOKS_ARMED");
		break;
	case IOI_A_TEE:
		want_u8(a, IOI_TEE_TDX, "IOI_A_TEE");
		break;
	case IOI_A_MODULE_SIG:
		want_u8(a, IOI_MODULE_SIG_UNVERIFIED, "IOI_A_MODULE_SIG");
		break;
	case IOI_A_STATS:
		check_stats(a);
		break;
	case IOI_A_KEY_ID:
		want_len(a, IOI_KEY_ID_SIZE, "IOI_A_KEY_ID");
		new_key(a);
		break;
	case IOI_A_KEY_OPEN_FILES: {
		uint32_t files;

		/* The fuzzer holds no encrypted file open: any count is 0. */
		want_len(a, sizeof(files), "IOI_A_KEY_OPEN_FILES");
		memcpy(&files, nla_data_of(a), sizeof(files));
		if (files)
			fail("IOI_A_KEY_OPEN_FILES: %u files", files);
		break;
	}
	case IOI_A_POLICY:
		if (!(a->nla_type & NLA_F_NESTED))
			fail("IOI_A_POLICY without NLA_F_NESTED");
		sub.where = "IOI_A_POLICY";
		walk(nla_data_of(a), nla_len_of(a), policy_cb, &sub,
		     "IOI_A_POLICY");
		break;
	case IOI_A_KEYS:
		if (!(a->nla_type & NLA_F_NESTED))
			fail("IOI_A_KEYS without NLA_F_NESTED");
		walk(nla_data_of(a), nla_len_of(a), keys_cb, &sub, "IOI_A_KEYS");
		if (sub.count > IOI_MAX_KEYS || sub.loaded > 1 ||
		    (sub.count && sub.loaded != 1))
			fail("IOI_A_KEYS: %d keys, %d active", sub.count,
			     sub.loaded);
		break;
	default:
		fail("reply attribute %u", type);
	}
}

/* The attributes each command's reply has: required, and optional. */
static const struct {
	uint64_t need, may;
} reply_attrs[NCMDS] = {
#define A(x) (1ull << IOI_A_##x)
	[IOI_CMD_STATUS_GET] = {
		A(VERSION) | A(POLICY_LOADED) | A(STATS) | A(MEASUREMENT) |
		A(LOCKED) | A(HOOKS_ARMED) | A(TEE) | A(MODULE_SIG),
		A(POLICY_HASH) | A(BUILD_ID) },
	[IOI_CMD_POLICY_SET] = { A(POLICY_HASH), 0 },
	[IOI_CMD_POLICY_GET] = { A(POLICY) | A(POLICY_HASH), 0 },
	[IOI_CMD_KEY_ADD] = { A(KEY_ID), 0 },
	[IOI_CMD_KEY_GENERATE] = { A(KEY_ID), 0 },
	[IOI_CMD_KEY_LIST] = { A(KEYS), 0 },
	[IOI_CMD_STATS_GET] = { A(STATS), 0 },
	[IOI_CMD_BUILD_ID_SET] = { A(MEASUREMENT), 0 },
	[IOI_CMD_KEY_REMOVE] = { 0, A(KEY_OPEN_FILES) },
#undef A
};

/* What one datagram got back. */
struct outcome {
	bool sentinel;
	int replies[NCMDS];	/* per command */
	int acks;		/* error 0, not the sentinel */
	int errors[134];	/* per errno */
	int enobufs;
};

static void check_reply(const struct nlmsghdr *h, struct outcome *o)
{
	const struct genlmsghdr *g = (const void *)(h + 1);
	struct seen s = { .where = "reply" };
	size_t len = h->nlmsg_len - NLMSG_HDRLEN;
	uint64_t need, may;

	if (len < GENL_HDRLEN)
		fail("reply without a genetlink header");
	if (g->cmd >= NCMDS ||
	    !(reply_attrs[g->cmd].need | reply_attrs[g->cmd].may))
		fail("reply of command %u, which has none", g->cmd);
	if (g->version != IOI_GENL_VERSION || g->reserved)
		fail("reply header: version %u reserved %u", g->version,
		     g->reserved);
	reply_cmd = g->cmd;
	walk((const uint8_t *)(g + 1), len - GENL_HDRLEN, reply_cb, &s,
	     "reply");
	need = reply_attrs[g->cmd].need;
	may = reply_attrs[g->cmd].may;
	if (g->cmd == IOI_CMD_STATUS_GET && s.loaded)
		need |= 1ull << IOI_A_POLICY_HASH;
	if ((s.mask & need) != need || (s.mask & ~(need | may)))
		fail("reply of command %u: attributes %#llx, expected %#llx",
		     g->cmd, (unsigned long long)s.mask,
		     (unsigned long long)need);
	if (g->cmd == IOI_CMD_POLICY_SET)
		policy_installed = true;
	o->replies[g->cmd]++;
	st.replies++;
}

static void ack_tlv_cb(const struct nlattr *a, void *ctx)
{
	const struct nlmsghdr *echo = ctx;

	switch (a->nla_type & NLA_TYPE_MASK) {
	case NLMSGERR_ATTR_MSG:
		want_str(a, 256, "extack message");
		break;
	case NLMSGERR_ATTR_OFFS:
	case NLMSGERR_ATTR_MISS_NEST:
		want_len(a, 4, "extack offset");
		if (*(const uint32_t *)nla_data_of(a) >= echo->nlmsg_len)
			fail("extack offset %u past the request's %u bytes",
			     *(const uint32_t *)nla_data_of(a),
			     echo->nlmsg_len);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		want_len(a, 4, "extack missing type");
		break;
	case NLMSGERR_ATTR_POLICY:
	case NLMSGERR_ATTR_COOKIE:
		break;
	default:
		fail("extack attribute %u", a->nla_type);
	}
}

/* Whether @h is the header of a message at a 4-aligned offset of @sent. */
static bool echoes(const struct nlmsghdr *h, const uint8_t *sent, size_t len)
{
	size_t off;

	for (off = 0; off + sizeof(*h) <= len; off += 4)
		if (!memcmp(sent + off, h, sizeof(*h)))
			return true;
	return false;
}

static void check_error(const struct nlmsghdr *h, const uint8_t *sent,
			size_t sent_len, uint32_t sentinel, struct outcome *o)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t len = h->nlmsg_len - NLMSG_HDRLEN;

	if (len < sizeof(*e))
		fail("short NLMSG_ERROR");
	if (e->error > 0)
		fail("positive error %d", e->error);
	if (e->msg.nlmsg_seq == sentinel && e->msg.nlmsg_type == NLMSG_NOOP &&
	    e->msg.nlmsg_len == NLMSG_HDRLEN) {
		if (e->error)
			fail("the sentinel got error %d", e->error);
		o->sentinel = true;
		return;
	}
	if (sent && !echoes(&e->msg, sent, sent_len))
		fail("an ACK for a header we did not send");
	if (h->nlmsg_flags & NLM_F_ACK_TLVS)
		walk((const uint8_t *)(e + 1), len - sizeof(*e), ack_tlv_cb,
		     (void *)&e->msg, "extended ACK");
	else if (len != sizeof(*e))
		fail("NLMSG_ERROR with %zu bytes and no TLVs", len);
	if (!e->error) {
		o->acks++;
		st.acks++;
		return;
	}
	if (!errno_known(-e->error))
		fail("error %d (%s) is not one the family answers with",
		     e->error, strerror(-e->error));
	o->errors[-e->error]++;
	st.errors++;
	st.errno_count[-e->error]++;
}

/* Check every message of the datagram in rbuf. */
static void check_datagram(size_t n, const uint8_t *sent, size_t sent_len,
			   uint32_t sentinel, struct outcome *o)
{
	const uint8_t *p = rbuf;

	while (n) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;

		if (n < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
		    h->nlmsg_len > n)
			fail("malformed datagram from the kernel");
		if (h->nlmsg_pid != portid)
			fail("message for port %u, we are %u", h->nlmsg_pid,
			     portid);
		if (verbose)
			hexdump("  got", h, h->nlmsg_len);
		st.messages++;
		if (h->nlmsg_type == NLMSG_ERROR)
			check_error(h, sent, sent_len, sentinel, o);
		else if (h->nlmsg_type == family)
			check_reply(h, o);
		else
			fail("message of type %u", h->nlmsg_type);
		if (NLMSG_ALIGN(h->nlmsg_len) >= n)
			break;
		n -= NLMSG_ALIGN(h->nlmsg_len);
		p += NLMSG_ALIGN(h->nlmsg_len);
	}
}

static uint32_t sentinel_no;

/* Send @len bytes and a sentinel; check everything up to its ACK. */
static void transact(int fd, const uint8_t *p, size_t len, struct outcome *o)
{
	struct nlmsghdr s = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = SENTINEL_SEQ | (++sentinel_no & 0xffff),
	};
	ssize_t n;

	memset(o, 0, sizeof(*o));
	cur_msg = p;
	cur_len = len;
	if (verbose)
		hexdump("send", p, len);
	if (send(fd, p, len, 0) < 0 && errno != EMSGSIZE)
		fail("send: %s", strerror(errno));
	if (send(fd, &s, sizeof(s), 0) < 0)
		fail("send sentinel: %s", strerror(errno));
	st.datagrams++;
	while (!o->sentinel) {
		n = nl_recv(fd, false);
		if (n == -ENOBUFS)
			fail("ENOBUFS with a buffer of %d bytes", BUF_SIZE);
		check_datagram((size_t)n, p, len, s.nlmsg_seq, o);
	}
}

/* A well-formed request of ours; returns its error (0: ACK or reply). */
static int request(int fd, uint8_t cmd, const void *attr, size_t alen,
		   struct outcome *o)
{
	static struct msg m;
	int e;

	memset(&m.len, 0, sizeof(m) - sizeof(m.b));
	msg_begin(&m, family, NLM_F_REQUEST | NLM_F_ACK, cmd);
	put_raw(&m, attr, alen);
	msg_end(&m);
	transact(fd, m.b, m.len, o);
	for (e = 1; e < 134; e++)
		if (o->errors[e])
			return -e;
	return 0;
}

/* Undo what the datagram installed: policies, keys. */
static void undo(int fd)
{
	struct outcome o;
	uint8_t attr[NLA_HDRLEN + IOI_KEY_ID_SIZE];
	struct nlattr *a = (struct nlattr *)attr;
	int err, i;

	if (policy_installed) {
		policy_installed = false;
		st.policies++;
		/* It reads back, in the documented layout, as it went in. */
		got_hash = false;
		err = request(fd, IOI_CMD_POLICY_GET, NULL, 0, &o);
		if (err && err != -ENOENT)
			fail("reading a fuzzed policy back: %d", err);
		if (!err && n_set_hash == 1 &&
		    memcmp(get_hash, set_hash, IOI_POLICY_HASH_LEN))
			fail("POLICY_GET's hash is not POLICY_SET's");
		if (!err && !got_hash)
			fail("POLICY_GET without a hash");
		n_set_hash = 0;
		err = request(fd, IOI_CMD_POLICY_DEL, NULL, 0, &o);
		/* ENOENT: a later message of the datagram deleted it. */
		if (err && err != -ENOENT)
			fail("unloading a fuzzed policy: %d", err);
	}
	for (i = 0; i < n_new_keys; i++) {
		a->nla_len = sizeof(attr);
		a->nla_type = IOI_A_KEY_ID;
		memcpy(attr + NLA_HDRLEN, new_keys[i], IOI_KEY_ID_SIZE);
		st.keys++;
		err = request(fd, IOI_CMD_KEY_REMOVE, attr, sizeof(attr), &o);
		if (err && err != -ENOKEY)
			fail("removing a fuzzed key: %d", err);
	}
	n_new_keys = 0;
}

/* The answer a pristine request must get. */
static void check_pristine(uint8_t cmd, const struct outcome *o)
{
	int e, nerr = 0, err = 0;

	for (e = 1; e < 134; e++)
		if (o->errors[e]) {
			nerr += o->errors[e];
			err = e;
		}
	if (nerr > 1 || (nerr && o->acks) || (!nerr && o->acks != 1))
		fail("pristine command %u: %d errors, %d ACKs", cmd, nerr,
		     o->acks);
	switch (cmd) {
	case IOI_CMD_STATUS_GET:
	case IOI_CMD_KEY_LIST:
	case IOI_CMD_STATS_GET:
	case IOI_CMD_BUILD_ID_SET:
		if (err || o->replies[cmd] != 1)
			fail("pristine command %u: error %d", cmd, err);
		return;
	case IOI_CMD_POLICY_SET:	/* the absent cgroup */
	case IOI_CMD_POLICY_GET:
		if (err ? err != ENOENT : o->replies[cmd] != 1)
			fail("pristine command %u: error %d", cmd, err);
		return;
	case IOI_CMD_POLICY_DEL:
		if (err && err != ENOENT)
			fail("pristine POLICY_DEL: error %d", err);
		return;
	case IOI_CMD_KEY_ADD:
	case IOI_CMD_KEY_GENERATE:
		if (err ? err != ENOSPC : o->replies[cmd] != 1)
			fail("pristine command %u: error %d", cmd, err);
		return;
	case IOI_CMD_KEY_REMOVE:	/* a random identifier */
		if (err != ENOKEY)
			fail("pristine KEY_REMOVE: error %d", err);
		return;
	default:
		if (err != EOPNOTSUPP)
			fail("pristine command %u: error %d, not EOPNOTSUPP",
			     cmd, err);
	}
}

/* ---- phase 1: fuzzed requests ---------------------------------------- */

static struct msg dgram;

static void fuzz_requests(int fd, uint64_t count, uint64_t from)
{
	struct outcome o;
	bool pristine;
	uint8_t cmd;
	int tries;

	for (iteration = 0; iteration < count; iteration++) {
		cmd = (uint8_t)(iteration % NCMDS);
		for (tries = 0;; tries++) {
			memset(&dgram.len, 0, sizeof(dgram) - sizeof(dgram.b));
			gen_one(&dgram, cmd, &pristine);
			/* Sometimes more messages in the same datagram. */
			while (!pristine && chance(5) &&
			       dgram.len < sizeof(dgram.b) - 8192) {
				bool p;

				dgram.len = NLMSG_ALIGN(dgram.len);
				gen_one(&dgram, (uint8_t)rnd(NCMDS), &p);
			}
			if (!unsafe(dgram.b, dgram.len))
				break;
			st.redrawn++;
			if (tries > 1000)
				fail("no safe message after 1000 draws");
		}
		if (iteration < from)
			continue;
		if (dry_run) {
			st.datagrams++;
			st.messages += dgram.len;
			continue;
		}
		transact(fd, dgram.b, dgram.len, &o);
		if (pristine) {
			st.pristine++;
			check_pristine(cmd, &o);
		}
		undo(fd);
	}
	cur_msg = NULL;
}

/* ---- phase 2: dumps -------------------------------------------------- */

static void put_ctrl(struct msg *m, uint8_t cmd, int op)
{
	struct {
		struct nlattr a;
		uint16_t id;
		uint16_t pad;
	} fam = { { 6, CTRL_ATTR_FAMILY_ID }, family, 0 };
	struct {
		struct nlattr a;
		uint32_t op;
	} o = { { 8, CTRL_ATTR_OP }, (uint32_t)op };

	memset(&m->len, 0, sizeof(*m) - sizeof(m->b));
	msg_begin(m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, cmd);
	((struct genlmsghdr *)(msg_hdr(m) + 1))->version = 1;
	if (cmd == CTRL_CMD_GETPOLICY) {
		put_raw(m, &fam, sizeof(fam));
		if (op >= 0)
			put_raw(m, &o, sizeof(o));
	}
	msg_end(m);
}

/* Check a datagram of a dump; true once NLMSG_DONE came. */
static bool dump_datagram(size_t n, int *err)
{
	const uint8_t *p = rbuf;
	bool done = false;

	while (n) {
		const struct nlmsghdr *h = (const struct nlmsghdr *)p;

		if (n < NLMSG_HDRLEN || h->nlmsg_len < NLMSG_HDRLEN ||
		    h->nlmsg_len > n)
			fail("malformed dump datagram");
		if (h->nlmsg_type == NLMSG_DONE) {
			done = true;
		} else if (h->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (e->error > 0)
				fail("dump: positive error");
			*err = e->error;
			done = true;
		} else if (h->nlmsg_type == GENL_ID_CTRL) {
			if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
			    !(h->nlmsg_flags & NLM_F_MULTI))
				fail("dump message without NLM_F_MULTI");
		} else {
			fail("dump: message type %u", h->nlmsg_type);
		}
		if (NLMSG_ALIGN(h->nlmsg_len) >= n)
			break;
		n -= NLMSG_ALIGN(h->nlmsg_len);
		p += NLMSG_ALIGN(h->nlmsg_len);
	}
	return done;
}

static void fuzz_dumps(uint64_t count)
{
	static struct msg m;
	uint64_t i;

	for (i = 0; i < count; i++) {
		uint32_t port;
		int fd = nl_open(chance(50) ? 4096 : 1 << 20, &port);
		bool policy = chance(75), done = false;
		int op = chance(50) ? (int)rnd(NCMDS + 2) : -1, reads, err = 0;
		uint32_t action = rnd(3);

		put_ctrl(&m, policy ? CTRL_CMD_GETPOLICY : CTRL_CMD_GETFAMILY,
			 op);
		cur_msg = m.b;
		cur_len = m.len;
		if (send(fd, m.b, m.len, 0) < 0)
			fail("dump send: %s", strerror(errno));
		st.dumps++;
		reads = action == 0 ? (int)rnd(3) : 1 << 20;
		while (!done && reads-- > 0) {
			ssize_t n = nl_recv(fd, false);

			/*
			 * The small buffer overflowed: the EBUSY of a
			 * second dump did not fit.
			 */
			if (n == -ENOBUFS) {
				st.enobufs++;
				continue;
			}
			done = dump_datagram((size_t)n, &err);
			if (action == 1 && !done && chance(30)) {
				/* A second dump while one runs. */
				if (send(fd, m.b, m.len, 0) < 0)
					fail("dump send: %s", strerror(errno));
				action = 2;
			}
		}
		if (done && err && !(policy && op >= 0 && err == -ENOENT) &&
		    !(action == 2 && err == -EBUSY))
			fail("dump: error %d", err);
		if (!done)
			st.interrupted++;
		close(fd);
	}
	cur_msg = NULL;
}

/* ---- phase 3: an overrun receive buffer ------------------------------- */

static void fuzz_overrun(int count)
{
	static struct msg m;
	uint32_t main_port = portid;
	struct outcome o;
	int fd = nl_open(0, &portid), i;
	ssize_t n;

	for (i = 0; i < count; i++) {
		uint8_t cmd = chance(20) ? IOI_CMD_KEY_GENERATE :
			      chance(50) ? IOI_CMD_STATUS_GET :
					   IOI_CMD_POLICY_GET;

		memset(&m.len, 0, sizeof(m) - sizeof(m.b));
		msg_begin(&m, family, NLM_F_REQUEST | NLM_F_ACK, cmd);
		msg_end(&m);
		if (send(fd, m.b, m.len, 0) < 0)
			fail("overrun send: %s", strerror(errno));
	}
	memset(&o, 0, sizeof(o));
	for (;;) {
		n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			st.enobufs++;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0)
			fail("overrun recv: %s", strerror(errno));
		rlen = (size_t)n;
		check_datagram((size_t)n, NULL, 0, 0, &o);
	}
	if (!st.enobufs)
		fail("%d requests unread and no ENOBUFS", count);
	close(fd);
	portid = main_port;
}

/* Remove every key and the policy, whatever the fuzzing left. */
static void cleanup(int fd)
{
	struct outcome o;
	int err;

	n_new_keys = 0;
	collect_keys = true;
	err = request(fd, IOI_CMD_KEY_LIST, NULL, 0, &o);
	if (err)
		fail("KEY_LIST: %d", err);
	policy_installed = true;
	undo(fd);
	st.policies--;
	err = request(fd, IOI_CMD_KEY_LIST, NULL, 0, &o);
	collect_keys = false;
	if (err || n_new_keys)
		fail("keys left after cleanup: %d", n_new_keys);
}

/* ---- family lookup, replay, main -------------------------------------- */

static void resolve(int fd)
{
	static struct msg m;
	ssize_t n;

	memset(&m.len, 0, sizeof(m) - sizeof(m.b));
	msg_begin(&m, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY);
	put_hdr(&m, CTRL_ATTR_FAMILY_NAME, NLA_HDRLEN + sizeof(IOI_GENL_NAME));
	put_raw(&m, IOI_GENL_NAME, sizeof(IOI_GENL_NAME));
	put_pad(&m);
	msg_end(&m);
	if (send(fd, m.b, m.len, 0) < 0)
		fail("send: %s", strerror(errno));
	n = nl_recv(fd, false);
	if (n >= (ssize_t)(NLMSG_HDRLEN + GENL_HDRLEN)) {
		const struct nlmsghdr *h = (const void *)rbuf;
		const uint8_t *p = rbuf + NLMSG_HDRLEN + GENL_HDRLEN;
		bool dummy = false;
		const struct nlattr *a;

		if (h->nlmsg_type == GENL_ID_CTRL) {
			a = last_attr(p, h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
				      CTRL_ATTR_FAMILY_ID, &dummy);
			if (a && a->nla_len == NLA_HDRLEN + 2) {
				memcpy(&family, nla_data_of(a), 2);
				return;
			}
		}
	}
	fail("family %s not found", IOI_GENL_NAME);
}

static int unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned int v;

	while (s[0] && s[1] && n < max) {
		if (sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return *s ? -1 : (int)n;
}

/* Messages of type @from (walked as the kernel does) go to the family. */
static void retarget(uint8_t *p, size_t len, int from)
{
	while (len >= NLMSG_HDRLEN) {
		struct nlmsghdr *h = (struct nlmsghdr *)p;

		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len)
			return;
		if (h->nlmsg_type == from)
			h->nlmsg_type = family;
		if (NLMSG_ALIGN(h->nlmsg_len) >= len)
			return;
		len -= NLMSG_ALIGN(h->nlmsg_len);
		p += NLMSG_ALIGN(h->nlmsg_len);
	}
}

static void print_summary(double secs)
{
	int e;

	printf("ioi-nlfuzz: seed %llu: %llu datagrams (%llu pristine, %llu redrawn for safety), %llu messages back: %llu replies, %llu ACKs, %llu errors\n",
	       (unsigned long long)seed, (unsigned long long)st.datagrams,
	       (unsigned long long)st.pristine, (unsigned long long)st.redrawn,
	       (unsigned long long)st.messages, (unsigned long long)st.replies,
	       (unsigned long long)st.acks, (unsigned long long)st.errors);
	printf("ioi-nlfuzz: errors:");
	for (e = 1; e < 134; e++)
		if (st.errno_count[e])
			printf(" %s=%llu", strerrorname_np(e),
			       (unsigned long long)st.errno_count[e]);
	printf("\n");
	printf("ioi-nlfuzz: undone: %llu policies, %llu keys; %llu dumps, %llu interrupted; %llu ENOBUFS\n",
	       (unsigned long long)st.policies, (unsigned long long)st.keys,
	       (unsigned long long)st.dumps, (unsigned long long)st.interrupted,
	       (unsigned long long)st.enobufs);
	printf("ioi-nlfuzz: %.1f s, %.0f datagrams/s\n", secs,
	       secs > 0 ? st.datagrams / secs : 0.0);
}

int main(int argc, char **argv)
{
	uint64_t count = 1000, from = 0;
	const char *replay = NULL;
	int replay_family = -1;
	struct timespec t0, t1;
	struct outcome o;
	int fd, i;

	seed = (uint64_t)time(NULL);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[i], "--dry-run")) {
			dry_run = true;
		} else if (i + 1 < argc && !strcmp(argv[i], "--seed")) {
			seed = strtoull(argv[++i], NULL, 0);
		} else if (i + 1 < argc && !strcmp(argv[i], "--count")) {
			count = strtoull(argv[++i], NULL, 0);
		} else if (i + 1 < argc && !strcmp(argv[i], "--from")) {
			from = strtoull(argv[++i], NULL, 0);
		} else if (i + 1 < argc && !strcmp(argv[i], "--timeout")) {
			timeout_s = atoi(argv[++i]);
		} else if (i + 1 < argc &&
			   !strcmp(argv[i], "--replay-family")) {
			replay_family = atoi(argv[++i]);
		} else if (i + 1 < argc && !strcmp(argv[i], "--replay")) {
			replay = argv[++i];
		} else {
			fprintf(stderr, "usage: ioi-nlfuzz [--seed N] [--count N] [--from N] [--timeout SEC] [-v] [--dry-run] | [--replay-family ID] --replay HEX\n");
			return 2;
		}
	}
	rng_state = seed;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (dry_run) {
		family = 0x1234;
		fuzz_requests(-1, count, from);
		printf("ioi-nlfuzz: dry run: %llu datagrams, %llu bytes, %llu redrawn\n",
		       (unsigned long long)st.datagrams,
		       (unsigned long long)st.messages,
		       (unsigned long long)st.redrawn);
		return 0;
	}
	fd = nl_open(1 << 20, &portid);
	resolve(fd);

	if (replay) {
		int n = unhex(replay, dgram.b, sizeof(dgram.b));

		if (n < 0) {
			fprintf(stderr, "ioi-nlfuzz: --replay: not hex\n");
			return 2;
		}
		retarget(dgram.b, (size_t)n, replay_family);
		if (unsafe(dgram.b, (size_t)n)) {
			fprintf(stderr, "ioi-nlfuzz: --replay: refused, unsafe\n");
			return 2;
		}
		verbose = true;
		transact(fd, dgram.b, (size_t)n, &o);
		undo(fd);
		cleanup(fd);
		printf("ioi-nlfuzz: replay: %d ACKs, %llu errors, %llu replies\n",
		       o.acks, (unsigned long long)st.errors,
		       (unsigned long long)st.replies);
		return 0;
	}

	printf("ioi-nlfuzz: seed %llu, %llu datagrams, family %u\n",
	       (unsigned long long)seed, (unsigned long long)count, family);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fuzz_requests(fd, count, from);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fuzz_dumps(count / 50 + 20);
	fuzz_overrun(64);
	cleanup(fd);
	print_summary((double)(t1.tv_sec - t0.tv_sec) +
		      (t1.tv_nsec - t0.tv_nsec) / 1e9);
	close(fd);
	return 0;
}
