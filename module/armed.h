/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_ARMED_H
#define _IOI_ARMED_H

#include <linux/types.h>

/* Does every hook fire? Checked now; a change raises an event. Sleeps. */
bool ioi_hooks_armed(void);
/* The function the canary probe sits on (and the lock's ftrace_ops). */
void ioi_canary(void);

int ioi_armed_init(void);
void ioi_armed_exit(void);

#endif /* _IOI_ARMED_H */
