/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_KEYS_H
#define _IOI_KEYS_H

#include <linux/types.h>
#include <linux/iointercept.h>

#include "format.h"

struct sk_buff;
struct netlink_ext_ack;

/* Load @raw (wiped by the caller); its identifier goes to @id. Sleeps. */
int ioi_key_add(const u8 raw[IOI_KEY_SIZE], bool generated,
		u8 id[IOI_KEY_ID_SIZE], struct netlink_ext_ack *extack);
int ioi_key_generate(u8 id[IOI_KEY_ID_SIZE], struct netlink_ext_ack *extack);
int ioi_key_remove(const u8 id[IOI_KEY_ID_SIZE]);
/* The identifier of every key, newest first; returns how many. */
int ioi_key_ids(u8 ids[IOI_MAX_KEYS][IOI_KEY_ID_SIZE]);
/* IOI_A_KEYS with every key, newest first. */
int ioi_keys_put_nl(struct sk_buff *msg);
/* Is key @id loaded? */
bool ioi_key_loaded(const u8 id[IOI_KEY_ID_SIZE]);
/* The identifier of the key that seals new files; -ENOKEY if none. */
int ioi_key_active(u8 id[IOI_KEY_ID_SIZE]);
/* The key of a file sealed under key @id with @nonce; -ENOKEY if none. */
int ioi_key_file_key(const u8 id[IOI_KEY_ID_SIZE],
		     const u8 nonce[IOI_FILE_NONCE_SIZE], u8 key[IOI_KEY_SIZE]);
/*
 * The key of a new file with @nonce under the active key, whose identifier
 * goes to @id: one lock for both, so that a removal cannot come between.
 */
int ioi_key_active_file_key(u8 id[IOI_KEY_ID_SIZE],
			    const u8 nonce[IOI_FILE_NONCE_SIZE],
			    u8 key[IOI_KEY_SIZE]);
/* The key that hashes names in redacted events, from the active key. */
int ioi_key_redact(u8 key[32]);
/* Wipe every key: module exit. */
void ioi_keys_exit(void);

#endif /* _IOI_KEYS_H */
