/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_ENCSIZE_H
#define _IOI_ENCSIZE_H

struct kprobe;

/* The probes on truncate and getattr, registered with the hooks'. */
struct kprobe *ioi_encsize_kprobes(unsigned int *n);

#endif /* _IOI_ENCSIZE_H */
