/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reply to IOI_CMD_STATS_GET: decoding, and printing as a table, JSON
 * or the Prometheus text exposition format. The counters' names are
 * ioi_stat_descs[] (status.c). All pure; the socket side is cmd_stats.c.
 */
#ifndef IOI_CTL_STATS_H
#define IOI_CTL_STATS_H

#include <stdint.h>
#include <stdio.h>

#include <linux/netlink.h>
#include <linux/iointercept.h>

struct json_object;

struct ioi_stats {
	uint64_t vals[IOI_STAT_MAX + 1];	/* indexed by IOI_STAT_* */
	uint64_t present;			/* bit IOI_STAT_*: sent */
};

/*
 * Decode a stats reply (genlmsghdr, then IOI_A_STATS). Attributes and
 * counters this tool does not know are ignored. Returns 0, -ENODATA
 * without IOI_A_STATS, or -EBADMSG for a malformed message or counter.
 */
int ioi_stats_parse(const struct nlmsghdr *nlh, struct ioi_stats *s);

/*
 * "<name>  <value>" a line, the names (those of sysfs) padded to the
 * longest, for every counter sent, in ioi_stat_descs[] order. Returns 0
 * or -EIO.
 */
int ioi_stats_print_table(FILE *f, const struct ioi_stats *s);

/*
 * {"<name>": u64, ...} for every counter sent; the caller owns the
 * reference. NULL if out of memory.
 */
struct json_object *ioi_stats_to_json(const struct ioi_stats *s);
/* That object on one line. Returns 0, -ENOMEM or -EIO. */
int ioi_stats_print_json(FILE *f, const struct ioi_stats *s);

/*
 * The Prometheus text exposition format (version 0.0.4, what
 * node_exporter's textfile collector reads): for each metric family with
 * a counter sent, "# HELP", "# TYPE", then its samples, one per line and
 * together, no timestamps. Nothing at all if no counter was sent. Returns
 * 0 or -EIO.
 */
int ioi_stats_print_prometheus(FILE *f, const struct ioi_stats *s);

#endif /* IOI_CTL_STATS_H */
