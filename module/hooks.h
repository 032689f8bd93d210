/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_HOOKS_H
#define _IOI_HOOKS_H

#include <linux/kprobes.h>
#include <linux/types.h>

int ioi_hooks_init(void);
void ioi_hooks_exit(void);
/* Is the current task confined by the policy in force? */
bool ioi_current_confined(void);
struct path;
/* enum ioi_encrypt of @path, or 0. From a kprobe handler only. */
u8 ioi_path_encrypt_mode(const struct path *path);
/*
 * Is @path a regular file that has been unlinked, while a policy has
 * encrypt rules? It has no name for a rule to match, yet it may still be
 * open through the shim (ioi_enc_inode_open() knows). From a kprobe
 * handler only, after ioi_path_encrypt_mode().
 */
bool ioi_path_unlinked_encrypt(const struct path *path);
struct pt_regs;
/*
 * From a pre-handler: make the probed function return @err without
 * running. Returns what the pre-handler must return.
 */
int ioi_deny(struct pt_regs *regs, int err);
/* A lone return instruction, in hooks.c's top-level asm. */
void ioi_deny_stub(void);

/* Needed although empty: only then is a probe armed with IPMODIFY. */
void ioi_kprobe_post(struct kprobe *kp, struct pt_regs *regs,
		     unsigned long flags);
/* Is every probe enabled? If not, @which names one that is not. */
bool ioi_hooks_enabled(const char **which);
/* Time every handler (the timing switch, docs/ABI/). Sleeps. */
void ioi_hooks_set_timing(bool on);

#define IOI_PROBE(sym, handler) { .symbol_name = #sym, \
	.pre_handler = handler, .post_handler = ioi_kprobe_post }

#endif /* _IOI_HOOKS_H */
