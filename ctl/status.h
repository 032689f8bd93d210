/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reply to IOI_CMD_STATUS_GET: decoding and printing. Everything here
 * but ioi_status_fetch() is pure, so unit tests can feed crafted messages.
 */
#ifndef IOI_CTL_STATUS_H
#define IOI_CTL_STATUS_H

#include <stdbool.h>
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
	 * send has its bit clear in stats_present and is not printed.
	 */
	uint64_t stats[IOI_STAT_MAX + 1];
	uint64_t stats_present;
};

/*
 * Decode a status reply (genlmsghdr + attributes). IOI_A_VERSION,
 * IOI_A_POLICY_LOADED and IOI_A_STATS are required, IOI_A_POLICY_HASH is
 * optional (must be 32 bytes); attributes and counters this tool does not
 * know are ignored. Returns 0, -EBADMSG for a malformed
 * message or attribute, -ENODATA if a required attribute is missing.
 */
int ioi_status_parse(const struct nlmsghdr *nlh, struct ioi_status *st);

/* Return 0, or -EIO if writing failed. */
int ioi_status_print_human(FILE *f, const struct ioi_status *st);
/* One JSON object and a newline. Return 0, -ENOMEM or -EIO. */
int ioi_status_print_json(FILE *f, const struct ioi_status *st);
/*
 * {"version": s, "policy_loaded": b, ["policy_sha256": hex,]
 *  "stats": {"<name>": u64, ...}};
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
