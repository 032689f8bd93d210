// SPDX-License-Identifier: GPL-2.0
/* Decoding and printing the reply to IOI_CMD_STATUS_GET. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <iointercept/attest.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "nl.h"
#include "status.h"
#include "util.h"

#define PROM(x) "iointercept_" x

/* A counter of its own family, in `status` if @human is not NULL. */
#define STAT(t, n, h, help_) \
	{ .type = IOI_STAT_##t, .name = (n), .human = (h), \
	  .metric = PROM(n "_total"), .help = (help_) }

/* One of iointercept_decisions_total, told apart by right and verdict. */
#define DECISION(verdict, right, VERDICT, RIGHT) \
	{ .type = IOI_STAT_##VERDICT##_##RIGHT, .name = verdict "_" right, \
	  .metric = PROM("decisions_total"), \
	  .help = "Checks of confined tasks by the right they needed and " \
		  "the verdict; right privileged: operations never allowed.", \
	  .labels = { { "right", right }, { "verdict", verdict } } }

/*
 * The counters of IOI_A_STATS: one line per IOI_STAT_*, in enum order, the
 * names those of the sysfs files (docs/ABI/). Only the first five, the
 * totals, are in `status`: the others would drown them.
 */
const struct ioi_stat_desc ioi_stat_descs[] = {
	STAT(NETLINK_REQUESTS, "netlink_requests", "netlink requests",
	     "Netlink requests handled since the module was loaded."),
	STAT(ALLOWED, "allowed", "allowed",
	     "Checks of confined tasks that passed."),
	STAT(DENIED, "denied", "denied",
	     "Checks of confined tasks that were denied (EACCES, EPERM)."),
	STAT(AUDITED, "audited", "audited (would be denied)",
	     "Checks of confined tasks that audit mode let through."),
	STAT(EXDEV, "exdev", "refused moves (EXDEV)",
	     "Renames and links refused with EXDEV."),
	DECISION("allowed", "read", ALLOWED, READ),
	DECISION("denied", "read", DENIED, READ),
	DECISION("allowed", "write", ALLOWED, WRITE),
	DECISION("denied", "write", DENIED, WRITE),
	DECISION("allowed", "exec", ALLOWED, EXEC),
	DECISION("denied", "exec", DENIED, EXEC),
	DECISION("allowed", "create", ALLOWED, CREATE),
	DECISION("denied", "create", DENIED, CREATE),
	DECISION("allowed", "delete", ALLOWED, DELETE),
	DECISION("denied", "delete", DENIED, DELETE),
	DECISION("allowed", "setattr", ALLOWED, SETATTR),
	DECISION("denied", "setattr", DENIED, SETATTR),
	DECISION("denied", "privileged", DENIED, PRIVILEGED),
	STAT(HOOK_HITS, "hook_hits", NULL,
	     "Hook calls that consulted the policy, for every task."),
	STAT(ENCRYPTED_BYTES, "encrypted_bytes", NULL,
	     "Plaintext bytes sealed by AES-256-GCM."),
	STAT(DECRYPTED_BYTES, "decrypted_bytes", NULL,
	     "Plaintext bytes opened by AES-256-GCM."),
	{ .type = IOI_STAT_ENCRYPTED_OPEN, .name = "encrypted_open",
	  .metric = PROM("encrypted_open"), .gauge = true,
	  .help = "Files open through the encryption layer now." },
	STAT(INTEGRITY_FAILURES, "integrity_failures", NULL,
	     "Headers and blocks of encrypted files that failed "
	     "authentication or were malformed."),
	STAT(PLAINTEXT_REFUSED, "plaintext_refused", NULL,
	     "Opens of a file under an encrypt rule refused for not being "
	     "encrypted."),
	STAT(NOKEY, "nokey", NULL,
	     "Opens refused with ENOKEY: the key needed is not loaded."),
	STAT(EVENTS_EMITTED, "events_emitted", NULL,
	     "Events sent to the audit subsystem and the events group."),
	STAT(EVENTS_DROPPED, "events_dropped", NULL,
	     "Events lost: queue full, out of memory, or module unloading."),
	STAT(EVENTS_SUPPRESSED, "events_suppressed", NULL,
	     "Events not sent because their type was over its rate limit."),
	{ .type = IOI_STAT_TIMING_HOOK_NS, .name = "timing_hook_ns",
	  .metric = PROM("timing_hook_nanoseconds_total"),
	  .help = "Time spent in the hooks, with timing on." },
	STAT(TIMING_HOOK_CALLS, "timing_hook_calls", NULL,
	     "Hook calls timed, with timing on."),
	{ .type = IOI_STAT_TIMING_CRYPT_NS, .name = "timing_crypt_ns",
	  .metric = PROM("timing_crypt_nanoseconds_total"),
	  .help = "Time spent encrypting and decrypting, with timing on." },
	STAT(TIMING_CRYPT_CALLS, "timing_crypt_calls", NULL,
	     "Encryptions and decryptions timed, with timing on."),
};

const size_t ioi_stat_ndescs = ARRAY_SIZE(ioi_stat_descs);

_Static_assert(ARRAY_SIZE(ioi_stat_descs) == IOI_STAT_MAX,
	       "every IOI_STAT_* needs a line in ioi_stat_descs[]");
_Static_assert(IOI_STAT_MAX < 64, "stats_present is a 64-bit mask");

/* libmnl checks exact lengths for fixed-size types (wrong length: error). */
static bool attr_ok(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return mnl_attr_validate(attr, type) == 0;
}

struct stats_ctx {
	uint64_t *vals;
	uint64_t *present;
};

static int stats_attr_cb(const struct nlattr *attr, void *data)
{
	struct stats_ctx *ctx = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* Type 0 may be the kernel's 64-bit alignment pad. */
	if (type == IOI_STAT_UNSPEC || type > IOI_STAT_MAX)
		return MNL_CB_OK;
	if (!attr_ok(attr, MNL_TYPE_U64))
		return MNL_CB_ERROR;
	ctx->vals[type] = mnl_attr_get_u64(attr);
	*ctx->present |= 1ULL << type;
	return MNL_CB_OK;
}

int ioi_stats_parse_nest(const struct nlattr *nest,
			 uint64_t vals[IOI_STAT_MAX + 1], uint64_t *present)
{
	struct stats_ctx ctx = { vals, present };

	if (!attr_ok(nest, MNL_TYPE_NESTED) ||
	    ioi_nl_parse_attrs(mnl_attr_get_payload(nest),
			       mnl_attr_get_payload_len(nest),
			       stats_attr_cb, &ctx) < 0)
		return -EBADMSG;
	return 0;
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

/* An optional attribute of exactly @len bytes: into @out, and *@has set. */
static int get_bin(const struct nlattr *attr, void *out, size_t len,
		   bool *has)
{
	if (!attr)
		return 0;
	if (mnl_attr_get_payload_len(attr) != len)
		return -EBADMSG;
	memcpy(out, mnl_attr_get_payload(attr), len);
	*has = true;
	return 0;
}

/* An optional u8: into *@out, and *@has set. */
static int get_u8(const struct nlattr *attr, uint8_t *out, bool *has)
{
	if (!attr)
		return 0;
	if (!attr_ok(attr, MNL_TYPE_U8))
		return -EBADMSG;
	*out = mnl_attr_get_u8(attr);
	*has = true;
	return 0;
}

/* The attributes of docs/attestation.md, all optional. */
static int parse_attest(const struct nlattr **tb, struct ioi_status *st)
{
	uint8_t locked = 0, armed = 0;

	if (get_bin(tb[IOI_A_MEASUREMENT], st->measurement,
		    sizeof(st->measurement), &st->has_measurement) ||
	    get_bin(tb[IOI_A_BUILD_ID], st->build_id, sizeof(st->build_id),
		    &st->has_build_id) ||
	    get_u8(tb[IOI_A_LOCKED], &locked, &st->has_locked) ||
	    get_u8(tb[IOI_A_HOOKS_ARMED], &armed, &st->has_hooks_armed) ||
	    get_u8(tb[IOI_A_TEE], &st->tee, &st->has_tee) ||
	    get_u8(tb[IOI_A_MODULE_SIG], &st->module_sig,
		   &st->has_module_sig))
		return -EBADMSG;
	st->locked = locked;
	st->hooks_armed = armed;
	return 0;
}

/* Index the top-level attributes of the reply @nlh in @tb. */
static int parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	const size_t hdrlen = MNL_ALIGN(sizeof(struct genlmsghdr));
	size_t len;

	if (nlh->nlmsg_len < sizeof(*nlh))
		return -EBADMSG;
	len = mnl_nlmsg_get_payload_len(nlh);
	if (len < hdrlen)
		return -EBADMSG;
	if (ioi_nl_parse_attrs((const char *)mnl_nlmsg_get_payload(nlh) +
			       hdrlen, len - hdrlen, status_attr_cb, tb) < 0)
		return -EBADMSG;
	return 0;
}

int ioi_status_parse_measurement(const struct nlmsghdr *nlh,
				 uint8_t out[IOI_MEASUREMENT_SIZE])
{
	const struct nlattr *tb[IOI_A_MAX + 1] = {};
	bool has = false;

	if (parse_top(nlh, tb) ||
	    get_bin(tb[IOI_A_MEASUREMENT], out, IOI_MEASUREMENT_SIZE, &has))
		return -EBADMSG;
	return has ? 0 : -ENODATA;
}

int ioi_status_parse(const struct nlmsghdr *nlh, struct ioi_status *st)
{
	const struct nlattr *tb[IOI_A_MAX + 1] = {};
	const char *version;

	memset(st, 0, sizeof(*st));
	if (parse_top(nlh, tb))
		return -EBADMSG;

	if (!tb[IOI_A_VERSION] || !tb[IOI_A_POLICY_LOADED] ||
	    !tb[IOI_A_STATS])
		return -ENODATA;

	if (!attr_ok(tb[IOI_A_VERSION], MNL_TYPE_NUL_STRING))
		return -EBADMSG;
	version = mnl_attr_get_str(tb[IOI_A_VERSION]);
	if (strlen(version) >= sizeof(st->version))
		return -EBADMSG;
	/* Its length was checked just above. */
	strcpy(st->version, version); /* NOLINT(clang-analyzer-security.insecureAPI.strcpy) */

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

	if (parse_attest(tb, st))
		return -EBADMSG;
	return ioi_stats_parse_nest(tb[IOI_A_STATS], st->stats,
				    &st->stats_present);
}

void ioi_status_read_taint(struct ioi_status *st, const char *path)
{
	ssize_t n;
	int fd;

	st->has_taint = false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, st->taint, sizeof(st->taint) - 1);
	close(fd);
	if (n < 0)
		return;
	st->taint[n] = '\0';
	st->taint[strcspn(st->taint, "\n")] = '\0';
	st->has_taint = true;
}

static const char *enum_name(const char *const *names, size_t n, uint8_t v,
			     char buf[IOI_STATUS_NAME_SIZE])
{
	if (v < n && names[v])
		return names[v];
	/* A newer module's value: shown, not refused. */
	snprintf(buf, IOI_STATUS_NAME_SIZE, "unknown-%u", v);
	return buf;
}

const char *ioi_status_tee_name(uint8_t v, char buf[IOI_STATUS_NAME_SIZE])
{
	return enum_name(ioi_tee_names, ARRAY_SIZE(ioi_tee_names), v, buf);
}

const char *ioi_status_module_sig_name(uint8_t v,
				       char buf[IOI_STATUS_NAME_SIZE])
{
	return enum_name(ioi_module_sig_names,
			 ARRAY_SIZE(ioi_module_sig_names), v, buf);
}

void ioi_status_print_measurement(FILE *f,
				  const uint8_t m[IOI_MEASUREMENT_SIZE])
{
	char hex[IOI_HASH_HEX_SIZE];

	ioi_hex(hex, m, IOI_MEASUREMENT_SIZE);
	fprintf(f, "measurement %s\n", hex);
}

/* The lines of parse_attest()'s attributes, those the module sent. */
static void print_attest(FILE *f, const struct ioi_status *st)
{
	char hex[IOI_HASH_HEX_SIZE], name[IOI_STATUS_NAME_SIZE];

	if (st->has_build_id) {
		ioi_hex(hex, st->build_id, sizeof(st->build_id));
		fprintf(f, "  build ID: %s\n", hex);
	} else if (st->has_measurement) {
		fputs("  build ID: none\n", f);
	}
	if (st->has_measurement) {
		ioi_hex(hex, st->measurement, sizeof(st->measurement));
		fprintf(f, "  measurement: %s\n", hex);
	}
	if (st->has_locked)
		fprintf(f, "  locked: %s\n",
			st->locked ? "yes, until reboot" : "no");
	/* Upper case: it is the line that must not be missed. */
	if (st->has_hooks_armed)
		fprintf(f, "  hooks: %s\n",
			st->hooks_armed ? "armed" : "DISARMED");
	if (st->has_tee)
		fprintf(f, "  tee: %s\n", ioi_status_tee_name(st->tee, name));
	if (st->has_module_sig)
		fprintf(f, "  module signature: %s\n",
			ioi_status_module_sig_name(st->module_sig, name));
	if (st->has_taint) {
		fputs("  taint: ", f);
		ioi_fputs_escaped(f, *st->taint ? st->taint : "none");
		fputc('\n', f);
	}
}

/* Sent by the module, and one that `status` shows. */
static bool stat_shown(const struct ioi_status *st,
		       const struct ioi_stat_desc *d)
{
	return d->human && (st->stats_present & (1ULL << d->type));
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
	print_attest(f, st);
	for (i = 0; i < ioi_stat_ndescs; i++) {
		const struct ioi_stat_desc *d = &ioi_stat_descs[i];

		if (stat_shown(st, d))
			fprintf(f, "  %s: %llu\n", d->human,
				(unsigned long long)st->stats[d->type]);
	}
	return ferror(f) ? -EIO : 0;
}

/* Add a hex string of @len bytes at @v, or null if @v is NULL. */
static int add_hex(struct json_object *obj, const char *key,
		   const uint8_t *v, size_t len)
{
	char hex[IOI_HASH_HEX_SIZE];

	if (!v)
		return json_object_object_add(obj, key, NULL) ? -ENOMEM : 0;
	ioi_hex(hex, v, len);
	return ioi_json_add(obj, key, json_object_new_string(hex));
}

/* The keys of print_attest()'s lines, the same ones left out. */
static int attest_to_json(struct json_object *obj,
			  const struct ioi_status *st)
{
	char name[IOI_STATUS_NAME_SIZE];

	if ((st->has_build_id || st->has_measurement) &&
	    add_hex(obj, "build_id", st->has_build_id ? st->build_id : NULL,
		    sizeof(st->build_id)))
		return -ENOMEM;
	if ((st->has_measurement &&
	     add_hex(obj, "measurement", st->measurement,
		     sizeof(st->measurement))) ||
	    (st->has_locked &&
	     ioi_json_add(obj, "locked",
			  json_object_new_boolean(st->locked))) ||
	    (st->has_hooks_armed &&
	     ioi_json_add(obj, "hooks_armed",
			  json_object_new_boolean(st->hooks_armed))) ||
	    (st->has_tee &&
	     ioi_json_add(obj, "tee", json_object_new_string(
			ioi_status_tee_name(st->tee, name)))) ||
	    (st->has_module_sig &&
	     ioi_json_add(obj, "module_sig", json_object_new_string(
			ioi_status_module_sig_name(st->module_sig, name)))) ||
	    (st->has_taint &&
	     ioi_json_add(obj, "taint", json_object_new_string(st->taint))))
		return -ENOMEM;
	return 0;
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
	for (i = 0; i < ioi_stat_ndescs; i++) {
		const struct ioi_stat_desc *d = &ioi_stat_descs[i];

		if (stat_shown(st, d) &&
		    ioi_json_add(stats, d->name,
			json_object_new_uint64(st->stats[d->type])))
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
	if (attest_to_json(obj, st))
		goto err;
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
