// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing for ioctl-cli: socket setup, family resolution,
 * request/reply loop and extended ACK reporting. See nl.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/iointercept.h>

#include "cli.h"
#include "nl.h"

#define IOI_NL_MAX_ERRNO	4095

/* State of one ioi_nl_transact() shared by the data and control callbacks. */
struct req_ctx {
	mnl_cb_t cb;
	void *data;
	struct ioi_nl_ack *ack;
};

static int ack_attr_cb(const struct nlattr *attr, void *data)
{
	struct ioi_nl_ack *ack = data;

	/* A TLV we cannot use must not hide the errno: skip it. */
	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			ack->msg = mnl_attr_get_str(attr);
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0) {
			ack->offset = mnl_attr_get_u32(attr);
			ack->has_offset = true;
		}
		break;
	}
	return MNL_CB_OK;
}

int ioi_nl_parse_ack(const struct nlmsghdr *nlh, struct ioi_nl_ack *ack)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const void *payload = mnl_nlmsg_get_payload(nlh);
	size_t tlv_offset;
	int error;

	memset(ack, 0, sizeof(*ack));
	if (nlh->nlmsg_len < sizeof(*nlh))
		return -EBADMSG;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = payload;

		if (len < sizeof(*err))
			return -EBADMSG;
		error = err->error;
		tlv_offset = sizeof(*err);
		/* Without NETLINK_CAP_ACK the whole request is echoed. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (err->msg.nlmsg_len < sizeof(err->msg))
				return -EBADMSG;
			tlv_offset += MNL_ALIGN(err->msg.nlmsg_len -
						sizeof(err->msg));
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump's end carries its status; older kernels may not. */
		error = 0;
		if (len >= sizeof(error))
			memcpy(&error, payload, sizeof(error));
		tlv_offset = sizeof(error);
	} else {
		return -EBADMSG;
	}

	/* The kernel's errors are -1..-4095 (MAX_ERRNO); -INT_MIN overflows. */
	if (error > 0 || error < -IOI_NL_MAX_ERRNO)
		return -EBADMSG;
	ack->error = -error;
	ack->from_kernel = ack->error != 0;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || tlv_offset >= len)
		return 0;
	/*
	 * Not mnl_attr_parse(), which reads up to the aligned end, past a
	 * message of an odd length. Best effort: malformed TLVs must not
	 * hide the errno, so what came before them is kept.
	 */
	ioi_nl_parse_attrs((const char *)payload + tlv_offset,
			   len - tlv_offset, ack_attr_cb, ack);
	return 0;
}

int ioi_nl_parse_attrs(const void *payload, size_t len, mnl_attr_cb_t cb,
		       void *data)
{
	const struct nlattr *attr = payload;
	size_t step;

	while (len >= sizeof(*attr)) {
		if (attr->nla_len < sizeof(*attr) || attr->nla_len > len)
			return -EBADMSG;
		if (cb(attr, data) <= MNL_CB_ERROR)
			return -EBADMSG;
		step = MNL_ALIGN(attr->nla_len);
		if (step >= len)
			break;
		len -= step;
		attr = (const void *)((const char *)attr + step);
	}
	/* 1 to 3 bytes left: an attribute cut inside its header. */
	return len && len < sizeof(*attr) ? -EBADMSG : 0;
}

struct table {
	const struct nlattr **tb;
	uint16_t max;
};

/* Index attributes by type; type 0 and unknown types are skipped. */
static int table_cb(const struct nlattr *attr, void *data)
{
	struct table *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type != 0 && type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

int ioi_nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			uint16_t max)
{
	struct table t = { tb, max };

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	return ioi_nl_parse_attrs(mnl_attr_get_payload(nest),
				  mnl_attr_get_payload_len(nest), table_cb,
				  &t);
}

int ioi_nl_parse_reply(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       uint16_t max)
{
	const size_t hdrlen = MNL_ALIGN(sizeof(struct genlmsghdr));
	struct table t = { tb, max };
	size_t len;

	if (nlh->nlmsg_len < sizeof(*nlh))
		return -EBADMSG;
	len = mnl_nlmsg_get_payload_len(nlh);
	if (len < hdrlen)
		return -EBADMSG;
	return ioi_nl_parse_attrs((const char *)mnl_nlmsg_get_payload(nlh) +
				  hdrlen, len - hdrlen, table_cb, &t);
}

static int ctl_ack_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req_ctx *ctx = data;
	int ret;

	ret = ioi_nl_parse_ack(nlh, ctx->ack);
	if (ret < 0) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	if (ctx->ack->error) {
		errno = ctx->ack->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int ctl_noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int ctl_overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	errno = ENOSPC;
	return MNL_CB_ERROR;
}

/*
 * mnl_cb_run2() calls only these for types below NLMSG_MIN_TYPE (libmnl
 * wants a non-const array).
 */
static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP]	= ctl_noop_cb,
	[NLMSG_ERROR]	= ctl_ack_cb,
	[NLMSG_DONE]	= ctl_ack_cb,
	[NLMSG_OVERRUN]	= ctl_overrun_cb,
};

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct req_ctx *ctx = data;
	int ret;

	if (!ctx->cb)
		return MNL_CB_OK;
	errno = 0;
	ret = ctx->cb(nlh, ctx->data);
	if (ret <= MNL_CB_ERROR) {
		ctx->ack->bad_reply = true;
		if (!errno)
			errno = EBADMSG;
	}
	return ret;
}

/*
 * The kernel refuses a message larger than the send buffer (EMSGSIZE); the
 * default (net.core.wmem_default) is usually enough, but may be set lower.
 * SO_SNDBUFFORCE passes net.core.wmem_max and needs CAP_NET_ADMIN, which
 * every command needs anyway. Best effort: if both fail, sendto() says why.
 */
static void fit_sndbuf(struct ioi_nl *nl, size_t len)
{
	int fd = mnl_socket_get_fd(nl->sock);
	socklen_t optlen = sizeof(int);
	int cur, want;

	/* Netlink wants len <= sk_sndbuf - 32, which getsockopt() reports. */
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &cur, &optlen) == 0 &&
	    cur >= 0 && (size_t)cur >= len + 4096)
		return;
	/* The kernel doubles the value it is given. */
	want = (int)(len + 4096);
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
}

/*
 * For the fault-injection tests only (docs/testing.md): with
 * IOI_TEST_FAIL_NTH=N, the kernel fails the Nth allocation of this thread
 * made while a request to the module is sent, which is when the module
 * handles it (/proc/thread-self/fail-nth, CONFIG_FAULT_INJECTION). Says on
 * stderr when the request made fewer allocations than N.
 */
static int test_fail_arm(const struct nlmsghdr *nlh, const char *n)
{
	int fd;

	if (!n || nlh->nlmsg_type == GENL_ID_CTRL)
		return -1;
	fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (fd < 0 || write(fd, n, strlen(n)) != (ssize_t)strlen(n)) {
		fprintf(stderr, "ioctl-cli: IOI_TEST_FAIL_NTH: %s\n",
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void test_fail_disarm(int fd, const char *nth)
{
	char buf[16] = "";
	long n, left;

	if (fd < 0 || !nth)
		return;
	/* Not reached: the request made N - left allocations. */
	left = pread(fd, buf, sizeof(buf) - 1, 0) > 0 ?
	       strtol(buf, NULL, 10) : 0;
	if (left) {
		n = strtol(nth, NULL, 10);
		fprintf(stderr,
			"ioctl-cli: IOI_TEST_FAIL_NTH: not reached (%ld allocations)\n",
			n - left);
	}
	if (pwrite(fd, "0", 1, 0) != 1)
		fputs("ioctl-cli: IOI_TEST_FAIL_NTH: cannot disarm\n", stderr);
	close(fd);
}

int ioi_nl_transact(struct ioi_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data, struct ioi_nl_ack *ack)
{
	struct req_ctx ctx = { .cb = cb, .data = data, .ack = ack };
	const char *nth = getenv("IOI_TEST_FAIL_NTH");
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t len;
	int ret, armed;

	memset(ack, 0, sizeof(*ack));
	fit_sndbuf(nl, nlh->nlmsg_len);
	armed = test_fail_arm(nlh, nth);
	len = mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len);
	test_fail_disarm(armed, nth);
	if (len < 0)
		goto fail;

	do {
		len = mnl_socket_recvfrom(nl->sock, nl->buf, IOI_NL_BUF_SIZE);
		if (len < 0)
			goto fail;
		ret = mnl_cb_run2(nl->buf, len, seq, nl->portid, data_cb,
				  &ctx, ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret > 0);
	if (ret < 0)
		goto fail;
	return 0;

fail:
	ack->error = errno ? errno : EIO;
	return -ack->error;
}

/* State of one ioi_nl_transact_one(). */
struct one_ctx {
	uint16_t family_id;
	unsigned int replies;
	int (*parse)(const struct nlmsghdr *nlh, void *out);
	void *out;
};

static int one_cb(const struct nlmsghdr *nlh, void *data)
{
	struct one_ctx *ctx = data;
	int ret;

	if (nlh->nlmsg_type != ctx->family_id || ctx->replies) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	ctx->replies++;
	ret = ctx->parse(nlh, ctx->out);
	if (ret < 0) {
		errno = -ret;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int ioi_nl_transact_one(struct ioi_nl *nl, struct nlmsghdr *nlh,
			int (*parse)(const struct nlmsghdr *nlh, void *out),
			void *out, struct ioi_nl_ack *ack)
{
	struct one_ctx ctx = {
		.family_id = nl->family_id,
		.parse = parse,
		.out = out,
	};
	int err;

	err = ioi_nl_transact(nl, nlh, one_cb, &ctx, ack);
	if (!err && !ctx.replies) {
		ack->bad_reply = true;
		ack->error = ENODATA;
		err = -ENODATA;
	}
	return err;
}

int ioi_nl_report(FILE *f, const char *op, int err,
		  const struct ioi_nl_ack *ack)
{
	const char *msg = ack ? ack->msg : NULL;

	err = err < 0 ? -err : err;
	if ((err == EPERM || err == EACCES) && !msg) {
		fprintf(f, "permission denied: %s needs CAP_NET_ADMIN (run as root)\n",
			PROG_NAME);
		return IOI_EXIT_FAIL;
	}

	fprintf(f, "%s: %s: ", PROG_NAME, op);
	if (ack && ack->bad_reply)
		fprintf(f, "invalid reply from the module: ");
	fprintf(f, "%s", strerror(err));
	if (msg)
		fprintf(f, ": %s", msg);
	if (ack && ack->has_offset)
		fprintf(f, " (attribute at offset %u)", ack->offset);
	/*
	 * The socket lost a message for us (the kernel could not allocate
	 * the reply or the ACK): the request itself may have been done.
	 */
	if (err == ENOBUFS && !msg)
		fprintf(f, ": the module's answer was lost, the request may have taken effect (see status)");
	fputc('\n', f);
	return IOI_EXIT_FAIL;
}

int ioi_nl_request(struct ioi_nl *nl, struct nlmsghdr *nlh, const char *op,
		   mnl_cb_t cb, void *data)
{
	struct ioi_nl_ack ack;
	int err;

	err = ioi_nl_transact(nl, nlh, cb, data, &ack);
	if (err)
		return ioi_nl_report(stderr, op, err, &ack);
	return IOI_EXIT_OK;
}

static struct nlmsghdr *put_genl_header(struct ioi_nl *nl, uint16_t type,
					uint8_t cmd, uint8_t version,
					uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *ioi_nl_msg(struct ioi_nl *nl, uint8_t cmd, uint16_t flags)
{
	return put_genl_header(nl, nl->family_id, cmd, IOI_GENL_VERSION,
			       flags);
}

static int mcast_group_cb(const struct nlattr *attr, void *data)
{
	struct ioi_nl *nl = data;
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = {};

	/* Each group is a nest of its name and id. */
	if (ioi_nl_parse_nested(attr, tb, CTRL_ATTR_MCAST_GRP_MAX) < 0)
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
		return MNL_CB_OK;
	if (mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_NAME],
			      MNL_TYPE_NUL_STRING) < 0 ||
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
		    IOI_MCGRP_EVENTS))
		nl->events_group = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	struct ioi_nl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return MNL_CB_ERROR;
		nl->family_id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		nl->family_version = mnl_attr_get_u32(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		if (mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		    ioi_nl_parse_attrs(mnl_attr_get_payload(attr),
				       mnl_attr_get_payload_len(attr),
				       mcast_group_cb, nl) < 0)
			return MNL_CB_ERROR;
		break;
	}
	return MNL_CB_OK;
}

int ioi_nl_parse_family(const struct nlmsghdr *nlh, struct ioi_nl *nl)
{
	if (nlh->nlmsg_type != GENL_ID_CTRL)
		return -EPROTO;
	if (nlh->nlmsg_len < sizeof(*nlh) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -EBADMSG;
	/*
	 * Not mnl_attr_parse(): a truncated attribute is an error, and the
	 * walk stops at the message's end, not the aligned one past it.
	 */
	return ioi_nl_parse_attrs((const char *)mnl_nlmsg_get_payload(nlh) +
				  MNL_ALIGN(sizeof(struct genlmsghdr)),
				  mnl_nlmsg_get_payload_len(nlh) -
				  MNL_ALIGN(sizeof(struct genlmsghdr)),
				  family_attr_cb, nl);
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	int err = ioi_nl_parse_family(nlh, data);

	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int resolve_family(struct ioi_nl *nl, unsigned int flags)
{
	const char *op = "looking up the " IOI_GENL_NAME " netlink family";
	struct ioi_nl_ack ack;
	struct nlmsghdr *nlh;
	int err;

	nlh = put_genl_header(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IOI_GENL_NAME);

	err = ioi_nl_transact(nl, nlh, family_cb, nl, &ack);
	if (err == -ENOENT && ack.from_kernel) {
		if (!(flags & IOI_NL_F_PROBE))
			fprintf(stderr, "iointercept module not loaded: run `modprobe iointercept`\n");
		return IOI_EXIT_NOMOD;
	}
	if (err)
		return ioi_nl_report(stderr, op, err, &ack);
	if (!nl->family_id) {
		ack.bad_reply = true;
		return ioi_nl_report(stderr, op, -EBADMSG, &ack);
	}
	return IOI_EXIT_OK;
}

int ioi_nl_open(struct ioi_nl *nl, unsigned int flags)
{
	const char *op = "opening a generic netlink socket";
	int one = 1;
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(IOI_NL_BUF_SIZE);
	if (!nl->buf)
		goto err;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		goto err;
	/* Best effort: without them only the extack text is lost. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto err;
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);

	ret = resolve_family(nl, flags);
	if (ret)
		ioi_nl_close(nl);
	return ret;

err:
	ret = ioi_nl_report(stderr, op, -errno, NULL);
	ioi_nl_close(nl);
	return ret;
}

void ioi_nl_close(struct ioi_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	/* A request may have carried a master key (IOI_CMD_KEY_ADD). */
	if (nl->buf)
		explicit_bzero(nl->buf, IOI_NL_BUF_SIZE);
	free(nl->buf);
	nl->sock = NULL;
	nl->buf = NULL;
}

int ioi_nl_join_events(struct ioi_nl *nl)
{
	int group = (int)nl->events_group;

	if (!group)
		return -ENOENT;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}
