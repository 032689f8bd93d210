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
 * IOI_A_POLICY_LOADED and IOI_A_STATS are required, IOI_A_POLICY_HASH is
 * optional (must be 32 bytes); attributes and counters this tool does not
 * know are ignored. Returns 0, -EBADMSG for a malformed
 * message or attribute, -ENODATA if a required attribute is missing.
 */
int ioi_status_parse(const struct nlmsghdr *nlh, struct ioi_status *st);

/*
 * The version, the policy line and the counters with a human name (the
 * totals: the rest is for `ioctl-cli stats`). Return 0, or -EIO if writing
 * failed.
 */
int ioi_status_print_human(FILE *f, const struct ioi_status *st);
/* One JSON object and a newline. Return 0, -ENOMEM or -EIO. */
int ioi_status_print_json(FILE *f, const struct ioi_status *st);
/*
 * {"version": s, "policy_loaded": b, ["policy_sha256": hex,]
 *  "stats": {"<name>": u64, ...}}, with the counters the text shows;
 * the caller owns the reference. NULL if out of memory.
 */
struct json_object *ioi_status_to_json(const struct ioi_status *st);

/*
 * Send IOI_CMD_STATUS_GET on an opened socket and decode the reply (lives
 * in cmd_status.c). Prints nothing; returns 0 or a negative errno with
 * @ack filled in, ready for ioi_nl_report().
 */
int ioi_status_fetch(struct ioi_nl *nl, struct ioi_status *st,
		     struct ioi_nl_ack *ack);

#endif /* IOI_CTL_STATUS_H */
