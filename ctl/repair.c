// SPDX-License-Identifier: GPL-2.0
/*
 * Finding where a file a crash left without an authenticated end can end
 * again, and ending it there (ioctl-cli repair; docs/format.md, "What a
 * crash leaves"). From the end of the stored file back, slot by slot
 * (where block i would be), the first place a block that verifies can
 * end the file: the blocks past it did not verify, so they were being
 * written when the machine died.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "repair.h"

#define SEALED	IOI_FMT_SEALED_SIZE
#define END	IOI_FMT_END_SIZE
#define MIN_BLOCK	(IOI_FMT_OVERHEAD + 1)	/* one byte of data */

/* Block @slot stored in @len bytes of s->buf verifies. */
static bool block_ok(struct ioi_repair *s, uint64_t slot, size_t len)
{
	return !ioi_fmt_open(s->f, slot, s->buf, len, s->plain);
}

static bool all_zero(const uint8_t *p, size_t len)
{
	return !len || (!p[0] && !memcmp(p, p + 1, len - 1));
}

/*
 * The largest plaintext size that slot @slot can end, or 0 if it ends
 * none: the slot holding a whole block that verifies; a shorter block
 * that verifies, followed by an end record for its size (an earlier end
 * the crash left in place); or, where the stored file stops inside the
 * slot or the record after it, a shorter block that verifies without a
 * record. Trying every length is affordable: an end record costs one AES
 * block, and no more than the last two slots get every block length tried.
 */
static int slot_end(struct ioi_repair *s, uint64_t slot, uint64_t *plain)
{
	uint64_t at = ioi_fmt_block_offset(slot);
	uint64_t base = slot << IOI_FMT_BLOCK_SHIFT;
	size_t have, len;
	ssize_t n;

	have = s->lower - at < sizeof(s->buf) ? s->lower - at : sizeof(s->buf);
	n = pread(s->fd, s->buf, have, (off_t)at);
	if (n < 0)
		return -errno;
	if ((size_t)n != have)
		return -EIO;	/* cut while we read: not ours to guess */
	*plain = 0;
	/* A hole the crash left (zeros) holds no seal: skip the tries. */
	if (all_zero(s->buf, have))
		return 0;
	if (have >= SEALED && block_ok(s, slot, SEALED)) {
		*plain = base + IOI_FMT_BLOCK_SIZE;
		return 0;
	}
	len = (have < SEALED ? have : SEALED) - 1;
	for (; len >= MIN_BLOCK; len--) {
		uint64_t size = base + len - IOI_FMT_OVERHEAD;

		if (len + END <= have &&
		    !ioi_fmt_end_open(s->f, size, s->buf + len) &&
		    block_ok(s, slot, len)) {
			*plain = size;
			return 0;
		}
	}
	if (have == sizeof(s->buf))
		return 0;	/* the file does not end in this block */
	for (len = have < SEALED ? have : SEALED - 1; len >= MIN_BLOCK; len--) {
		if (block_ok(s, slot, len)) {
			*plain = base + len - IOI_FMT_OVERHEAD;
			return 0;
		}
	}
	return 0;
}

/* From the last slot back, the first that ends a file. */
int ioi_repair_find(struct ioi_repair *s, uint64_t *plain)
{
	uint64_t slots, slot;
	int err;

	*plain = 0;
	if (s->lower <= IOI_FMT_HEADER_SIZE)
		return 0;
	slots = (s->lower - IOI_FMT_HEADER_SIZE + SEALED - 1) / SEALED;
	for (slot = slots; slot-- > 0; ) {
		err = slot_end(s, slot, plain);
		if (err || *plain)
			return err;
	}
	return 0;
}

int ioi_repair_check(struct ioi_repair *s, const char **why)
{
	uint64_t plain, blocks;
	ssize_t n;

	*why = NULL;
	if (ioi_fmt_plain_size(s->lower, &plain, &blocks))
		return 0;
	if (!plain) {
		*why = "a header alone (no data)";
		return 0;
	}
	n = pread(s->fd, s->buf, END, (off_t)(s->lower - END));
	if (n < 0)
		return -errno;
	if (n == END && !ioi_fmt_end_open(s->f, plain, s->buf))
		*why = "the end record verifies";
	return 0;
}

int ioi_repair_apply(struct ioi_repair *s, uint64_t plain, uint64_t lower)
{
	uint8_t rec[END];

	if (plain) {
		if (ioi_fmt_end_seal(s->f, plain, rec))
			return -EIO;
		errno = EIO;	/* a short write sets none */
		if (pwrite(s->fd, rec, END, (off_t)(lower - END)) != END)
			return -errno;
	}
	if (ftruncate(s->fd, (off_t)lower) || fsync(s->fd))
		return -errno;
	s->lower = lower;
	return 0;
}
