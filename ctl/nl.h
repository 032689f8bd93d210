/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink plumbing for ioctl-cli, after ethtool's netlink/: one
 * socket with extended ACKs, the "iointercept" family resolved once, and a
 * request helper that runs a callback over the replies and reports the
 * kernel's extack message when the request is refused.
 *
 * Typical use:
 *
 *	struct ioi_nl nl;
 *	struct nlmsghdr *nlh;
 *	int ret;
 *
 *	ret = ioi_nl_open(&nl, 0);
 *	if (ret)
 *		return ret;		// message printed, IOI_EXIT_* code
 *	nlh = ioi_nl_msg(&nl, IOI_CMD_FOO, 0);
 *	mnl_attr_put_u32(nlh, IOI_A_BAR, 1);
 *	ret = ioi_nl_request(&nl, nlh, "foo", foo_cb, &ctx);
 *	ioi_nl_close(&nl);
 *	return ret;
 */
#ifndef IOI_CTL_NL_H
#define IOI_CTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>

/*
 * Room for one request or one batch of replies. The largest of either is a
 * policy: its IOI_A_POLICY nest is at most 65535 bytes (nla_len is 16 bits)
 * plus headers and, if the kernel ignores NETLINK_CAP_ACK, an ACK that
 * echoes it. A dump skb is at most 32 KiB.
 */
#define IOI_NL_BUF_SIZE		(128 * 1024)

struct ioi_nl {
	struct mnl_socket *sock;
	char *buf;			/* IOI_NL_BUF_SIZE bytes */
	uint32_t portid;
	uint32_t seq;			/* of the last message built */
	uint16_t family_id;		/* resolved "iointercept" family */
	uint32_t family_version;	/* CTRL_ATTR_VERSION of the family */
	uint32_t events_group;		/* id of "events", 0 if not offered */
};

/*
 * How a request ended. ack->msg points into nl->buf: valid until the next
 * request on the same socket.
 */
struct ioi_nl_ack {
	int error;		/* positive errno, 0 if it succeeded */
	bool from_kernel;	/* the error came in an NLMSG_ERROR/DONE */
	bool bad_reply;		/* the reply callback rejected a message */
	const char *msg;	/* NLMSGERR_ATTR_MSG, or NULL */
	bool has_offset;
	uint32_t offset;	/* NLMSGERR_ATTR_OFFS: bad attribute's offset */
};

/* ioi_nl_open() flags */
#define IOI_NL_F_PROBE	(1U << 0)	/* module absent: no message */

/*
 * Open the socket (NETLINK_EXT_ACK and NETLINK_CAP_ACK on) and resolve the
 * family, its version and its multicast groups. Returns IOI_EXIT_OK, or
 * IOI_EXIT_NOMOD if the family is not registered (with the "module not
 * loaded" message unless IOI_NL_F_PROBE), or IOI_EXIT_FAIL after printing
 * why. On failure nothing needs closing; ioi_nl_close() is still safe.
 */
int ioi_nl_open(struct ioi_nl *nl, unsigned int flags);
/* Close the socket and free the buffer, wiped first (it may hold a key). */
void ioi_nl_close(struct ioi_nl *nl);

/*
 * Start a request for @cmd in nl->buf: NLM_F_REQUEST | NLM_F_ACK | @flags
 * (e.g. NLM_F_DUMP), a fresh sequence number and the genetlink header.
 * Append attributes with mnl_attr_put*() (bounded by IOI_NL_BUF_SIZE).
 */
struct nlmsghdr *ioi_nl_msg(struct ioi_nl *nl, uint8_t cmd, uint16_t flags);

/*
 * Send @nlh (growing the socket's send buffer if it is too small for it)
 * and run @cb (may be NULL) over every reply until the final ACK or
 * NLMSG_DONE. @cb returns MNL_CB_OK to go on, MNL_CB_STOP to stop,
 * MNL_CB_ERROR (with errno set) to reject the reply. Prints nothing.
 * Returns 0 or a negative errno, and fills @ack.
 */
int ioi_nl_transact(struct ioi_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data, struct ioi_nl_ack *ack);

/*
 * ioi_nl_transact() for a request the family answers with one message:
 * @parse decodes it into @out and returns 0 or a negative errno. A message
 * of another type or a second one (EPROTO), none (ENODATA), or one @parse
 * refuses fails with ack->bad_reply set. Prints nothing; returns 0 or a
 * negative errno.
 */
int ioi_nl_transact_one(struct ioi_nl *nl, struct nlmsghdr *nlh,
			int (*parse)(const struct nlmsghdr *nlh, void *out),
			void *out, struct ioi_nl_ack *ack);

/*
 * ioi_nl_transact() plus ioi_nl_report(stderr, @op, ...) on failure.
 * Returns IOI_EXIT_OK or IOI_EXIT_FAIL.
 */
int ioi_nl_request(struct ioi_nl *nl, struct nlmsghdr *nlh, const char *op,
		   mnl_cb_t cb, void *data);

/*
 * Print why @op failed with @err (negative errno) to @f:
 *   "ioctl-cli: <op>: <strerror>[: <extack msg>][ (attribute at offset N)]"
 * or, for EPERM/EACCES without an extack message, the CAP_NET_ADMIN hint.
 * Returns the exit code to use (IOI_EXIT_FAIL).
 */
int ioi_nl_report(FILE *f, const char *op, int err,
		  const struct ioi_nl_ack *ack);

/*
 * Decode an NLMSG_ERROR or NLMSG_DONE message into @ack (error and extack
 * TLVs). Pure; returns 0, or -EBADMSG if the message is malformed (an
 * error outside -4095..0 included).
 */
int ioi_nl_parse_ack(const struct nlmsghdr *nlh, struct ioi_nl_ack *ack);

/*
 * Walk the attributes in @payload (@len bytes) like mnl_attr_parse_payload(),
 * but an attribute that runs past the end is an error, not the quiet end of
 * the list. Returns 0, or -EBADMSG if the list is malformed or @cb returned
 * MNL_CB_ERROR.
 */
int ioi_nl_parse_attrs(const void *payload, size_t len, mnl_attr_cb_t cb,
		       void *data);

/*
 * Index the attributes of the nest @nest (which must be NLA_NESTED) by
 * type in @tb[0..@max], the last of a type winning; type 0 (padding) and
 * types above @max (a newer module's) are skipped. Returns 0, or -EBADMSG
 * if @nest is not a well-formed nest.
 */
int ioi_nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			uint16_t max);

/*
 * The same for the top-level attributes of the genetlink message @nlh,
 * after its genlmsghdr.
 */
int ioi_nl_parse_reply(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       uint16_t max);

/*
 * Decode the controller's reply to CTRL_CMD_GETFAMILY into @nl: the family
 * id, its version, and the id of its "events" multicast group (left 0 if
 * the family has none). Pure; returns 0, -EPROTO if @nlh is not from the
 * controller, or -EBADMSG if it is malformed.
 */
int ioi_nl_parse_family(const struct nlmsghdr *nlh, struct ioi_nl *nl);

/*
 * Subscribe the socket to the "events" group: 0, -ENOENT if the family has
 * no such group, or another negative errno (-EPERM without CAP_NET_ADMIN).
 */
int ioi_nl_join_events(struct ioi_nl *nl);

#endif /* IOI_CTL_NL_H */
