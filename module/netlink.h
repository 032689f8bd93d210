/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_NETLINK_H
#define _IOI_NETLINK_H

int ioi_genl_init(void);
void ioi_genl_exit(void);

#endif /* _IOI_NETLINK_H */
