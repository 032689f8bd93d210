/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioctl-cli repair's work on an open file (repair.c): whether its end
 * verifies, the longest file that ends in a block that verifies, and
 * sealing a new end record there. No stdio and no printing, so the fuzzer
 * can drive it.
 */
#ifndef IOI_CTL_REPAIR_H
#define IOI_CTL_REPAIR_H

#include <stdint.h>

#include "format.h"

struct ioi_repair {
	int fd;			/* the stored file, open for reading (and writing) */
	uint64_t lower;		/* its size */
	struct ioi_fmt_file *f;	/* opened with its header */
	uint8_t buf[IOI_FMT_SEALED_SIZE + IOI_FMT_END_SIZE];
	uint8_t plain[IOI_FMT_BLOCK_SIZE];
};

/*
 * *@why says why the file needs no repair (its end record verifies, or it
 * is a header alone), or is NULL. Returns 0 or -errno.
 */
int ioi_repair_check(struct ioi_repair *s, const char **why);

/*
 * The plaintext size of the longest file that ends in a block that
 * verifies (0: none does, a header alone is left). From the end back, the
 * first slot holding a whole block that verifies, or a shorter one
 * followed by an end record sealed for its size (an earlier end the crash
 * left in place); after a whole block, the next one if it verifies alone
 * at a shorter length (the last block, its record lost). Returns 0 or
 * -errno (-EIO when libcrypto fails: never taken for "does not verify").
 */
int ioi_repair_find(struct ioi_repair *s, uint64_t *plain);

/*
 * End the file at @plain bytes of plaintext, @lower stored bytes
 * (ioi_fmt_lower_size(), or the header's 80 for 0): a new end record
 * after the last block, the rest cut, fsync. Returns 0 or -errno.
 */
int ioi_repair_apply(struct ioi_repair *s, uint64_t plain, uint64_t lower);

#endif /* IOI_CTL_REPAIR_H */
