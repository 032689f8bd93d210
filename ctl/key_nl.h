/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's master keys over netlink (IOI_CMD_KEY_*, layout in
 * <linux/iointercept.h>): the requests' attributes, the replies' decoding,
 * and the key list as text and JSON. All pure, so unit tests can feed
 * crafted messages; the socket side is cmd_key.c.
 */
#ifndef IOI_CTL_KEY_NL_H
#define IOI_CTL_KEY_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/netlink.h>
#include <linux/iointercept.h>

struct json_object;

/* Room for a key identifier in hex with its NUL. */
#define IOI_KEY_ID_HEX_SIZE	(2 * IOI_KEY_ID_SIZE + 1)

/* One entry of IOI_A_KEYS. */
struct ioi_key_info {
	uint8_t id[IOI_KEY_ID_SIZE];	/* IOI_KEY_A_ID */
	bool active;			/* IOI_KEY_A_ACTIVE: seals new files */
	bool generated;			/* IOI_KEY_A_GENERATED */
};

/* The reply to IOI_CMD_KEY_LIST: the keys in the module's order. */
struct ioi_key_list {
	size_t n;
	struct ioi_key_info keys[IOI_MAX_KEYS];
};


/*
 * Append IOI_A_KEY_RAW (IOI_CMD_KEY_ADD) or IOI_A_KEY_ID
 * (IOI_CMD_KEY_REMOVE) to @nlh, which lives in a buffer of @buflen bytes.
 * Returns 0 or -EMSGSIZE.
 */
int ioi_key_put_raw(struct nlmsghdr *nlh, size_t buflen,
		    const uint8_t key[IOI_KEY_SIZE]);
int ioi_key_put_id(struct nlmsghdr *nlh, size_t buflen,
		   const uint8_t id[IOI_KEY_ID_SIZE]);

/*
 * Decode the reply to IOI_CMD_KEY_ADD or IOI_CMD_KEY_GENERATE (genlmsghdr,
 * then IOI_A_KEY_ID). Returns 0, -ENODATA without IOI_A_KEY_ID, or
 * -EBADMSG for a malformed message or an identifier that is not 16 bytes.
 */
int ioi_key_parse_id_reply(const struct nlmsghdr *nlh,
			   uint8_t id[IOI_KEY_ID_SIZE]);

/*
 * Decode the reply to IOI_CMD_KEY_REMOVE: IOI_A_KEY_OPEN_FILES, the files
 * still open with the removed key, into @open. Returns 0, -ENODATA
 * without it, or -EBADMSG for a malformed message or attribute.
 */
int ioi_key_parse_remove_reply(const struct nlmsghdr *nlh, uint32_t *open);

/*
 * Decode the reply to IOI_CMD_KEY_LIST. IOI_A_KEYS is required (empty: no
 * key); each IOI_KEY_A_ENTRY needs IOI_KEY_A_ID (16 bytes) and the u8s
 * IOI_KEY_A_ACTIVE and IOI_KEY_A_GENERATED. Attributes this tool does not
 * know are ignored, at every level. Returns 0, -ENODATA if a required
 * attribute is missing, or -EBADMSG for a malformed message or attribute,
 * or more than IOI_MAX_KEYS entries.
 */
int ioi_key_parse_list_reply(const struct nlmsghdr *nlh,
			     struct ioi_key_list *l);

/*
 * One line a key, "<id>  active  generated", the second field "-" but for
 * the active key, the third "added" or "generated". Nothing for no key.
 * Returns 0, or -EIO if writing failed.
 */
int ioi_key_list_print_text(FILE *f, const struct ioi_key_list *l);
/*
 * [{"id": hex, "active": b, "generated": b}, ...]; the caller owns the
 * reference. NULL if out of memory.
 */
struct json_object *ioi_key_list_to_json(const struct ioi_key_list *l);
/* That array on one line. Returns 0, -ENOMEM or -EIO. */
int ioi_key_list_print_json(FILE *f, const struct ioi_key_list *l);

#endif /* IOI_CTL_KEY_NL_H */
