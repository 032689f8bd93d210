/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_HOOKS_H
#define _IOI_HOOKS_H

int ioi_hooks_init(void);
void ioi_hooks_exit(void);
/* Is the current task confined by the policy in force? */
bool ioi_current_confined(void);
/* A lone return instruction, in hooks.c's top-level asm. */
void ioi_deny_stub(void);

#endif /* _IOI_HOOKS_H */
