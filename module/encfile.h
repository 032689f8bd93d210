/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_ENCFILE_H
#define _IOI_ENCFILE_H

#include <linux/fs.h>
#include <linux/types.h>
#include <linux/iointercept.h>

struct iov_iter;
struct kiocb;

/*
 * An open file under an encrypt rule, in the format of docs/format.md.
 * @lower is the filesystem's own file_operations, which these call at
 * ciphertext offsets; @mode is enum ioi_encrypt. All may sleep.
 *
 * ioi_enc_open() returns IOI_ENC_PLAINTEXT for a file that is not in the
 * format when the policy says "on-plaintext allow": it is then not ours.
 */
#define IOI_ENC_PLAINTEXT	1
int ioi_enc_open(struct file *file, const struct file_operations *lower,
		 u8 mode);
void ioi_enc_release(struct file *file);
/*
 * How many files open through the shim use a file key derived from master
 * key @id: after the key's removal, those that keep working until closed.
 * -ENOMEM if it cannot count. Sleeps.
 */
int ioi_enc_key_users(const u8 id[IOI_KEY_ID_SIZE]);
ssize_t ioi_enc_read(struct kiocb *iocb, struct iov_iter *to,
		     const struct file_operations *lower, u8 mode);
ssize_t ioi_enc_write(struct kiocb *iocb, struct iov_iter *from,
		      const struct file_operations *lower);
/*
 * Change the plaintext size to @length. @cut(@arg, n) cuts the stored
 * file to n bytes (the filesystem's truncate, with the caller's checks
 * and times); it is called at most once.
 */
int ioi_enc_truncate(struct file *file, const struct file_operations *lower,
		     loff_t length, int (*cut)(void *arg, loff_t lower_size),
		     void *arg);
/* The plaintext size of an open encrypted file, or -EIO. */
loff_t ioi_enc_size(struct file *file);
/* Is @inode open through the shim, by any file? */
bool ioi_enc_inode_open(const struct inode *inode);
/*
 * @inode is being freed: forget it. From a probe: does not sleep (the
 * entry is freed later, by a work item).
 */
void ioi_enc_evict(struct inode *inode);

int ioi_encfile_init(void);
void ioi_encfile_exit(void);

#endif /* _IOI_ENCFILE_H */
