/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_SYSFS_H
#define _IOI_SYSFS_H

int ioi_sysfs_init(void);
void ioi_sysfs_exit(void);

#endif /* _IOI_SYSFS_H */
