/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * iointercept: generic netlink interface between iointercept.ko and ioctl-cli.
 *
 * Family IOI_GENL_NAME, version IOI_GENL_VERSION, visible in the initial
 * network namespace only. Every command needs CAP_NET_ADMIN. Requests are
 * validated strictly: an attribute a command does not list below, a wrong
 * type or a wrong length is rejected with an extended ACK message naming it.
 * Replies may grow new attributes; a tool must ignore those it does not know.
 *
 * IOI_CMD_STATUS_GET
 *   request: no attributes
 *   reply:
 *     IOI_A_VERSION          NLA_NUL_STRING  module version, e.g. "0.1.0"
 *     IOI_A_POLICY_LOADED    NLA_U8          1 if a policy is in force
 *     IOI_A_STATS            NLA_NESTED      counters, one NLA_U64 each:
 *       IOI_STAT_NETLINK_REQUESTS            requests handled since load
 *
 * Multicast groups:
 *   IOI_MCGRP_EVENTS ("events")  security events (no messages yet)
 */
#ifndef _UAPI_LINUX_IOINTERCEPT_H
#define _UAPI_LINUX_IOINTERCEPT_H

#define IOI_GENL_NAME		"iointercept"
#define IOI_GENL_VERSION	1

#define IOI_MCGRP_EVENTS	"events"

enum ioi_cmd {
	IOI_CMD_UNSPEC,
	IOI_CMD_STATUS_GET,

	__IOI_CMD_MAX
};

#define IOI_CMD_MAX (__IOI_CMD_MAX - 1)

enum ioi_attr {
	IOI_A_UNSPEC,
	IOI_A_VERSION,
	IOI_A_POLICY_LOADED,
	IOI_A_STATS,

	__IOI_A_MAX
};

#define IOI_A_MAX (__IOI_A_MAX - 1)

enum ioi_stat {
	IOI_STAT_UNSPEC,
	IOI_STAT_NETLINK_REQUESTS,

	__IOI_STAT_MAX
};

#define IOI_STAT_MAX (__IOI_STAT_MAX - 1)

#endif /* _UAPI_LINUX_IOINTERCEPT_H */
