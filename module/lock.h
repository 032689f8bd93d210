/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_LOCK_H
#define _IOI_LOCK_H

#include <linux/types.h>

struct netlink_ext_ack;

/* Locked until reboot? Any context. */
bool ioi_locked(void);
/* If locked, say so in @extack and return true: the caller fails EPERM. */
bool ioi_refuse_locked(struct netlink_ext_ack *extack);
/*
 * Locking in two steps, so that a request that also changes something
 * else can do whatever may fail in between: prepare (sleeps, may fail),
 * then commit (cannot fail) or abort. Both are no-ops when locked.
 */
int ioi_lock_prepare(struct netlink_ext_ack *extack);
void ioi_lock_commit(void);
void ioi_lock_abort(void);
void ioi_lock_exit(void);

#endif /* _IOI_LOCK_H */
