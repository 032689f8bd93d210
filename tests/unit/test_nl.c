// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of netlink ACKs with extended ACK TLVs, and the error messages
 * built from them; no socket involved.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/iointercept.h>

#include "cli.h"
#include "nl.h"

static char buf[8192];

/*
 * An NLMSG_ERROR for a request whose payload was @orig_payload bytes long,
 * echoed in full unless @flags has NLM_F_CAPPED.
 */
static struct nlmsghdr *put_error(int error, uint16_t flags,
				  size_t orig_payload)
{
	struct nlmsghdr *nlh;
	struct nlmsgerr *err;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = flags;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	err->error = error;
	err->msg.nlmsg_len = sizeof(struct nlmsghdr) + orig_payload;
	err->msg.nlmsg_type = 0x20;
	if (!(flags & NLM_F_CAPPED) && orig_payload) {
		char *p = mnl_nlmsg_put_extra_header(nlh, orig_payload);

		/* Request bytes that would parse as a bogus TLV. */
		memset(p, 0xff, orig_payload);
	}
	return nlh;
}

static void test_plain_ack(void **state)
{
	struct ioi_nl_ack ack;

	(void)state;
	assert_int_equal(ioi_nl_parse_ack(put_error(0, NLM_F_CAPPED, 4), &ack),
			 0);
	assert_int_equal(ack.error, 0);
	assert_false(ack.from_kernel);
	assert_null(ack.msg);
	assert_false(ack.has_offset);
}

static void test_capped_extack(void **state)
{
	struct nlmsghdr *nlh;
	struct ioi_nl_ack ack;

	(void)state;
	nlh = put_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 8);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "Unknown attribute type");
	mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 24);
	mnl_attr_put_u32(nlh, 42, 0);	/* a TLV from a newer kernel */

	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), 0);
	assert_int_equal(ack.error, EINVAL);
	assert_true(ack.from_kernel);
	assert_non_null(ack.msg);
	assert_string_equal(ack.msg, "Unknown attribute type");
	assert_true(ack.has_offset);
	assert_int_equal(ack.offset, 24);
}

/* Without NETLINK_CAP_ACK the TLVs follow the (aligned) echoed request. */
static void test_uncapped_extack(void **state)
{
	struct nlmsghdr *nlh;
	struct ioi_nl_ack ack;

	(void)state;
	nlh = put_error(-EOPNOTSUPP, NLM_F_ACK_TLVS, MNL_ALIGN(10));
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "not yet");

	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), 0);
	assert_int_equal(ack.error, EOPNOTSUPP);
	assert_non_null(ack.msg);
	assert_string_equal(ack.msg, "not yet");
	assert_false(ack.has_offset);
}

static void test_no_tlvs_flag(void **state)
{
	struct nlmsghdr *nlh;
	struct ioi_nl_ack ack;

	(void)state;
	/* TLVs present but NLM_F_ACK_TLVS clear: not looked at. */
	nlh = put_error(-EPERM, NLM_F_CAPPED, 0);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "ignored");
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), 0);
	assert_int_equal(ack.error, EPERM);
	assert_null(ack.msg);
}

static void test_bad_msg_tlv_skipped(void **state)
{
	struct nlmsghdr *nlh;
	struct ioi_nl_ack ack;
	char unterminated[4] = "abcd";

	(void)state;
	nlh = put_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, sizeof(unterminated),
		     unterminated);
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), 0);
	assert_int_equal(ack.error, EINVAL);
	assert_null(ack.msg);
}

static void test_truncated(void **state)
{
	struct nlmsghdr *nlh;
	struct ioi_nl_ack ack;

	(void)state;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_len += 4;	/* only the errno, no echoed header */
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), -EBADMSG);

	nlh = put_error(5, NLM_F_CAPPED, 0);	/* positive "errno" */
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), -EBADMSG);

	/* Past MAX_ERRNO; INT_MIN has no positive (found by fuzz_reply). */
	nlh = put_error(-4096, NLM_F_CAPPED, 0);
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), -EBADMSG);
	nlh = put_error(-2147483647 - 1, NLM_F_CAPPED, 0);
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), -EBADMSG);
	nlh = put_error(-4095, NLM_F_CAPPED, 0);
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), 0);
	assert_int_equal(ack.error, 4095);
}

/*
 * A message of an odd length whose last TLV would end at the aligned end:
 * not read (fuzz_reply found the read past the message), and the errno
 * still comes through.
 */
static void test_odd_length_tlv(void **state)
{
	struct nlmsghdr *nlh;
	struct ioi_nl_ack ack;

	(void)state;
	nlh = put_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 0);
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "abc");	/* 8 bytes */
	nlh->nlmsg_len -= 3;	/* "a" and no NUL left */
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), 0);
	assert_int_equal(ack.error, EINVAL);
	assert_null(ack.msg);
}

static void test_done(void **state)
{
	struct nlmsghdr *nlh;
	struct ioi_nl_ack ack;
	int *status;

	(void)state;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	status = mnl_nlmsg_put_extra_header(nlh, sizeof(*status));
	*status = -ENOBUFS;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "dump failed");
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), 0);
	assert_int_equal(ack.error, ENOBUFS);
	assert_string_equal(ack.msg, "dump failed");

	*status = 0;
	nlh->nlmsg_flags = NLM_F_MULTI;
	assert_int_equal(ioi_nl_parse_ack(nlh, &ack), 0);
	assert_int_equal(ack.error, 0);
}

static char *report(const char *op, int err, const struct ioi_nl_ack *ack)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&out, &len);
	assert_non_null(f);
	assert_int_equal(ioi_nl_report(f, op, err, ack), IOI_EXIT_FAIL);
	assert_int_equal(fclose(f), 0);
	return out;
}

static void test_report(void **state)
{
	struct ioi_nl_ack ack = {
		.error = EINVAL,
		.from_kernel = true,
		.msg = "Unknown attribute type",
		.has_offset = true,
		.offset = 24,
	};
	char *out;

	(void)state;
	out = report("status", -EINVAL, &ack);
	assert_string_equal(out, "ioctl-cli: status: Invalid argument: "
				 "Unknown attribute type "
				 "(attribute at offset 24)\n");
	free(out);

	memset(&ack, 0, sizeof(ack));
	ack.error = EPERM;
	ack.from_kernel = true;
	out = report("status", -EPERM, &ack);
	assert_string_equal(out, "permission denied: ioctl-cli needs "
				 "CAP_NET_ADMIN (run as root)\n");
	free(out);

	memset(&ack, 0, sizeof(ack));
	ack.error = ENODATA;
	ack.bad_reply = true;
	out = report("status", -ENODATA, &ack);
	assert_string_equal(out, "ioctl-cli: status: invalid reply from the "
				 "module: No data available\n");
	free(out);

	/* A lost answer: the request may or may not have been done. */
	out = report("key add", -ENOBUFS, NULL);
	assert_string_equal(out, "ioctl-cli: key add: No buffer space "
				 "available: the module's answer was lost, "
				 "the request may have taken effect (see "
				 "status)\n");
	free(out);

	out = report("opening", -EMFILE, NULL);
	assert_string_equal(out,
			    "ioctl-cli: opening: Too many open files\n");
	free(out);
}

/* The controller's answer to CTRL_CMD_GETFAMILY, with @groups groups. */
static struct nlmsghdr *put_family(const char *const *groups, size_t n,
				   bool short_id)
{
	struct nlattr *all, *grp;
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	size_t i;

	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IOI_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1c);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	all = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	for (i = 0; i < n; i++) {
		grp = mnl_attr_nest_start(nlh, (uint16_t)(i + 1));
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, groups[i]);
		if (short_id)
			mnl_attr_put_u16(nlh, CTRL_ATTR_MCAST_GRP_ID,
					 (uint16_t)(7 + i));
		else
			mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID,
					 (uint32_t)(7 + i));
		mnl_attr_nest_end(nlh, grp);
	}
	mnl_attr_nest_end(nlh, all);
	return nlh;
}

static void test_family(void **state)
{
	static const char *const groups[] = { "other", IOI_MCGRP_EVENTS };
	struct nlmsghdr *nlh;
	struct ioi_nl nl;

	(void)state;
	memset(&nl, 0, sizeof(nl));
	assert_int_equal(ioi_nl_parse_family(put_family(groups, 2, false),
					     &nl), 0);
	assert_int_equal(nl.family_id, 0x1c);
	assert_int_equal(nl.family_version, 1);
	assert_int_equal(nl.events_group, 8);

	/* No "events" group: none to join. */
	memset(&nl, 0, sizeof(nl));
	assert_int_equal(ioi_nl_parse_family(put_family(groups, 1, false),
					     &nl), 0);
	assert_int_equal(nl.family_id, 0x1c);
	assert_int_equal(nl.events_group, 0);
	assert_int_equal(ioi_nl_join_events(&nl), -ENOENT);

	/* A group id that is not a u32. */
	memset(&nl, 0, sizeof(nl));
	assert_int_equal(ioi_nl_parse_family(put_family(groups, 2, true),
					     &nl), -EBADMSG);

	/*
	 * Cut inside the last attribute's header: refused, not taken for
	 * a reply without groups (found by fuzz_reply).
	 */
	nlh = put_family(groups, 2, false);
	nlh->nlmsg_len = 36 + 8 + 8 + 2;	/* 2 bytes of MCAST_GROUPS */
	memset(&nl, 0, sizeof(nl));
	assert_int_equal(ioi_nl_parse_family(nlh, &nl), -EBADMSG);
	/* Cut inside the groups. */
	nlh = put_family(groups, 2, false);
	nlh->nlmsg_len -= 4;
	assert_int_equal(ioi_nl_parse_family(nlh, &nl), -EBADMSG);

	/* Not from the controller. */
	put_family(groups, 2, false)->nlmsg_type = 0x1c;
	assert_int_equal(ioi_nl_parse_family((struct nlmsghdr *)buf, &nl),
			 -EPROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_ack),
		cmocka_unit_test(test_capped_extack),
		cmocka_unit_test(test_uncapped_extack),
		cmocka_unit_test(test_no_tlvs_flag),
		cmocka_unit_test(test_bad_msg_tlv_skipped),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_odd_length_tlv),
		cmocka_unit_test(test_done),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_family),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
