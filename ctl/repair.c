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

/*
 * 1 if what is at @p (@len bytes) verifies: block @slot (@rec false) or
 * the end record of a file of @slot bytes (@rec true); 0 if it does not;
 * -EIO if libcrypto failed, which must not pass for "does not verify":
 * that would cut data that verifies.
 */
static int verifies(struct ioi_repair *s, uint64_t slot, const uint8_t *p,
		    size_t len, bool rec)
{
	int err = rec ? ioi_fmt_end_open(s->f, slot, p) :
			ioi_fmt_open(s->f, slot, p, len, s->plain);

	if (!err)
		return 1;
	if (err == IOI_FMT_E_BLOCK_AUTH || err == IOI_FMT_E_END_AUTH)
		return 0;
	return -EIO;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	return !len || (!p[0] && !memcmp(p, p + 1, len - 1));
}

/* Slot @slot and the record after it into s->buf: *@have bytes. */
static int read_slot(struct ioi_repair *s, uint64_t slot, size_t *have)
{
	uint64_t at = ioi_fmt_block_offset(slot);
	ssize_t n;

	*have = s->lower - at < sizeof(s->buf) ? s->lower - at :
						  sizeof(s->buf);
	n = pread(s->fd, s->buf, *have, (off_t)at);
	if (n < 0)
		return -errno;
	/* Cut while we read: not ours to guess. */
	return (size_t)n == *have ? 0 : -EIO;
}

/*
 * Where slot @slot ends a file by what it holds alone, *@plain (0: it
 * does not): a whole block that verifies, or a shorter block that
 * verifies followed by an end record sealed for its size (an earlier end
 * the crash left in place). A slot that does not costs one AES block per
 * length tried, about 3 ms: the scan back over a long run of junk is
 * slow (zeros, the holes a crash leaves, are skipped).
 */
static int slot_end(struct ioi_repair *s, uint64_t slot, uint64_t *plain)
{
	uint64_t base = slot << IOI_FMT_BLOCK_SHIFT;
	size_t have, len;
	int ok;

	*plain = 0;
	ok = read_slot(s, slot, &have);
	if (ok || all_zero(s->buf, have))
		return ok;
	if (have >= SEALED) {
		ok = verifies(s, slot, s->buf, SEALED, false);
		if (ok > 0)
			*plain = base + IOI_FMT_BLOCK_SIZE;
		if (ok)
			return ok < 0 ? ok : 0;
	}
	if (have < MIN_BLOCK + END)
		return 0;
	len = have - END < SEALED - 1 ? have - END : SEALED - 1;
	for (; len >= MIN_BLOCK; len--) {
		ok = verifies(s, base + len - IOI_FMT_OVERHEAD, s->buf + len,
			      END, true);
		if (ok > 0)
			ok = verifies(s, slot, s->buf, len, false);
		if (ok < 0)
			return ok;
		if (ok) {
			*plain = base + len - IOI_FMT_OVERHEAD;
			return 0;
		}
	}
	return 0;
}

/*
 * The block right after the last whole one, @slot, may be the file's
 * last, shorter, block with no record that verifies after it (the
 * record's page lost, or the stored file cut inside it): every length is
 * tried, once per repair, since a file ends only in its last block.
 */
static int lone_end(struct ioi_repair *s, uint64_t slot, uint64_t *plain)
{
	size_t have, len;
	int ok;

	*plain = 0;
	if (ioi_fmt_block_offset(slot) >= s->lower)
		return 0;
	ok = read_slot(s, slot, &have);
	if (ok || all_zero(s->buf, have))
		return ok;
	for (len = have < SEALED ? have : SEALED - 1; len >= MIN_BLOCK; len--) {
		ok = verifies(s, slot, s->buf, len, false);
		if (ok < 0)
			return ok;
		if (ok) {
			*plain = (slot << IOI_FMT_BLOCK_SHIFT) + len -
				 IOI_FMT_OVERHEAD;
			break;
		}
	}
	return 0;
}

int ioi_repair_find(struct ioi_repair *s, uint64_t *plain)
{
	uint64_t slots, slot, lone;
	int err = 0;

	*plain = 0;
	if (s->lower <= IOI_FMT_HEADER_SIZE)
		return 0;
	slots = (s->lower - IOI_FMT_HEADER_SIZE + SEALED - 1) / SEALED;
	/* From the last slot back, the first that ends a file... */
	for (slot = slots; slot-- > 0; ) {
		err = slot_end(s, slot, plain);
		if (err || *plain)
			break;
	}
	if (err)
		return err;
	/* ... unless it ends in a whole block, and a shorter one follows. */
	if (*plain & (IOI_FMT_BLOCK_SIZE - 1))
		return 0;
	err = lone_end(s, *plain >> IOI_FMT_BLOCK_SHIFT, &lone);
	if (!err && lone)
		*plain = lone;
	return err;
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
	if (n != END)
		return -EIO;
	n = verifies(s, plain, s->buf, END, true);
	if (n > 0)
		*why = "the end record verifies";
	return n < 0 ? (int)n : 0;
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
