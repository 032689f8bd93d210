/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reply to IOI_CMD_STATUS_GET: decoding and printing. Everything here
 * but ioi_status_fetch() is pure, so unit tests can feed crafted messages.
 */
#ifndef IOI_CTL_STATUS_H
#define IOI_CTL_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/netlink.h>
#include <linux/iointercept.h>

struct json_object;
struct ioi_nl;
struct ioi_nl_ack;

#define IOI_STATUS_VERSION_SIZE	64
/* The kernel's taint letters for the module, one per flag: room to spare. */
#define IOI_STATUS_TAINT_SIZE	32
#define IOI_STATUS_TAINT_PATH	"/sys/module/iointercept/taint"

struct ioi_status {
	char version[IOI_STATUS_VERSION_SIZE];	/* IOI_A_VERSION */
	bool policy_loaded;			/* IOI_A_POLICY_LOADED */
	bool has_policy_hash;			/* loaded, and hash sent */
	uint8_t policy_hash[IOI_POLICY_HASH_LEN];	/* IOI_A_POLICY_HASH */
	/*
	 * IOI_A_STATS, indexed by IOI_STAT_*. A counter the module did not
	 * send has its bit clear in stats_present and is not printed; nor
	 * is one whose ioi_stat_descs[] entry has no human name.
	 */
	uint64_t stats[IOI_STAT_MAX + 1];
	uint64_t stats_present;

	/*
	 * Attestation (docs/attestation.md). A has_* flag clear: the module
	 * did not send it (older than this tool), and nothing is shown; but
	 * a module that sends a measurement and no build ID has none set.
	 */
	bool has_measurement;
	uint8_t measurement[IOI_MEASUREMENT_SIZE];	/* IOI_A_MEASUREMENT */
	bool has_build_id;
	uint8_t build_id[IOI_BUILD_ID_SIZE];		/* IOI_A_BUILD_ID */
	bool has_locked, locked;			/* IOI_A_LOCKED */
	bool has_hooks_armed, hooks_armed;		/* IOI_A_HOOKS_ARMED */
	bool has_tee;
	uint8_t tee;				/* IOI_A_TEE: enum ioi_tee */
	bool has_module_sig;
	uint8_t module_sig;	/* IOI_A_MODULE_SIG: enum ioi_module_sig */
	/* Not from netlink: ioi_status_read_taint(). "" if untainted. */
	bool has_taint;
	char taint[IOI_STATUS_TAINT_SIZE];
};

/* A Prometheus label of a counter, constant. */
struct ioi_stat_label {
	const char *name;
	const char *value;
};

/*
 * What is known of a counter of IOI_A_STATS: its names for each output,
 * and whether `status` shows it (`stats` shows all of them).
 */
struct ioi_stat_desc {
	unsigned int type;	/* IOI_STAT_* */
	const char *name;	/* as in sysfs stats/; the JSON key */
	const char *human;	/* the `status` line; NULL: only in `stats` */
	/*
	 * Prometheus: the metric family (entries sharing one are told apart
	 * by their labels, up to two), its HELP text (the same in all its
	 * entries), and whether it is a gauge rather than a counter.
	 */
	const char *metric;
	const char *help;
	bool gauge;
	struct ioi_stat_label labels[2];
};

/* One entry per IOI_STAT_* but IOI_STAT_UNSPEC, in enum order. */
extern const struct ioi_stat_desc ioi_stat_descs[];
extern const size_t ioi_stat_ndescs;

/*
 * Decode the nest IOI_A_STATS into @vals, indexed by IOI_STAT_*, setting
 * bit IOI_STAT_* of *@present for each counter sent. Counters this tool
 * does not know, and type 0 (padding), are skipped. Returns 0, or -EBADMSG
 * for a malformed nest or a counter that is not a u64.
 */
int ioi_stats_parse_nest(const struct nlattr *nest,
			 uint64_t vals[IOI_STAT_MAX + 1], uint64_t *present);

/*
 * Decode a status reply (genlmsghdr + attributes). IOI_A_VERSION,
 * IOI_A_POLICY_LOADED and IOI_A_STATS are required; IOI_A_POLICY_HASH,
 * IOI_A_BUILD_ID, IOI_A_MEASUREMENT (32 bytes each) and the u8s
 * IOI_A_LOCKED, IOI_A_HOOKS_ARMED, IOI_A_TEE, IOI_A_MODULE_SIG are
 * optional; attributes and counters this tool does not know are ignored,
 * and so are enum values it does not know (shown as "unknown-N"). Returns
 * 0, -EBADMSG for a malformed message or attribute, -ENODATA if a required
 * attribute is missing.
 */
int ioi_status_parse(const struct nlmsghdr *nlh, struct ioi_status *st);

/*
 * Decode the reply to IOI_CMD_BUILD_ID_SET or IOI_CMD_LOCK: IOI_A_MEASUREMENT,
 * required. Returns 0, -ENODATA without it, -EBADMSG if it is malformed.
 */
int ioi_status_parse_measurement(const struct nlmsghdr *nlh,
				 uint8_t out[IOI_MEASUREMENT_SIZE]);

/*
 * Read the module's taint letters from @path (IOI_STATUS_TAINT_PATH) into
 * st->taint, without the newline, and set st->has_taint. Best effort: a
 * missing or unreadable file leaves has_taint clear.
 */
void ioi_status_read_taint(struct ioi_status *st, const char *path);

/* The name of an enum ioi_tee or ioi_module_sig value, or "unknown-N". */
#define IOI_STATUS_NAME_SIZE	16
const char *ioi_status_tee_name(uint8_t v, char buf[IOI_STATUS_NAME_SIZE]);
const char *ioi_status_module_sig_name(uint8_t v,
				       char buf[IOI_STATUS_NAME_SIZE]);

/*
 * The version, the policy line, the attestation lines the module sent and
 * the counters with a human name (the totals: the rest is for `ioctl-cli
 * stats`). Return 0, or -EIO if writing failed.
 */
int ioi_status_print_human(FILE *f, const struct ioi_status *st);
/* "measurement HEX\n", as build-id set and lock print the module's reply. */
void ioi_status_print_measurement(FILE *f,
				  const uint8_t m[IOI_MEASUREMENT_SIZE]);
/* One JSON object and a newline. Return 0, -ENOMEM or -EIO. */
int ioi_status_print_json(FILE *f, const struct ioi_status *st);
/*
 * {"version": s, "policy_loaded": b, ["policy_sha256": hex,]
 *  ["build_id": hex|null,] ["measurement": hex,] ["locked": b,]
 *  ["hooks_armed": b,] ["tee": s,] ["module_sig": s,] ["taint": s,]
 *  "stats": {"<name>": u64, ...}}, with the counters the text shows and
 * the attestation keys the module sent; the caller owns the reference.
 * NULL if out of memory.
 */
struct json_object *ioi_status_to_json(const struct ioi_status *st);

/*
 * Send IOI_CMD_STATUS_GET on an opened socket and decode the reply (lives
 * in cmd_status.c). Prints nothing; returns 0 or a negative errno with
 * @ack filled in, ready for ioi_nl_report().
 */
int ioi_status_fetch(struct ioi_nl *nl, struct ioi_status *st,
		     struct ioi_nl_ack *ack);

/*
 * Open a socket, ioi_status_fetch() and close it (cmd_status.c, like the
 * next one). On failure, prints why
 * as "ioctl-cli: @op: ..." (or that the module is not loaded). Returns an
 * IOI_EXIT_* code.
 */
int ioi_status_get(const char *op, struct ioi_status *st);

/*
 * Open a socket and send @cmd, IOI_CMD_BUILD_ID_SET with @build_id or
 * IOI_CMD_LOCK (@build_id NULL), whose reply carries the measurement:
 * into @out. Reports failures like ioi_status_get(); returns an IOI_EXIT_*
 * code.
 */
int ioi_status_request_measurement(const char *op, uint8_t cmd,
				   const uint8_t *build_id,
				   uint8_t out[IOI_MEASUREMENT_SIZE]);

#endif /* IOI_CTL_STATUS_H */
