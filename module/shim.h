/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_SHIM_H
#define _IOI_SHIM_H

#include <linux/fs.h>
#include <linux/types.h>

/*
 * The shim for files of @lower under an encrypt rule of @mode (enum
 * ioi_encrypt), as the table whose open sets a file up, or NULL if none
 * can be made. Callable from a kprobe handler. The caller holds a module
 * reference for the file, which the VFS drops with the shim (its owner),
 * and drops the filesystem's.
 */
const struct file_operations *ioi_shim_get(const struct file_operations *lower,
					   u8 mode);
/* Is @fops one of our shims, set up by its open? */
bool ioi_shim_is(const struct file_operations *fops);
/* Is @fops one of our shims whose open never ran (shim.c)? */
bool ioi_shim_unopened(const struct file_operations *fops);
/*
 * Set up a file whose open never ran (an atomic open's), as its open
 * would have, at its first use; 0 if it is set up (now or already), or
 * the error its open would have failed with; EACCES for a plaintext file,
 * or one not opened O_RDWR without O_APPEND. May sleep.
 */
int ioi_shim_setup(struct file *file);
void ioi_shims_exit(void);
/* ioi_enc_truncate() for a file open through a shim. */
int ioi_shim_truncate(struct file *file, loff_t length,
		      int (*cut)(void *arg, loff_t lower_size), void *arg);

#endif /* _IOI_SHIM_H */
