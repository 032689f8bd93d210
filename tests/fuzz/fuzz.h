/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer targets share: a check that aborts (libFuzzer saves
 * the input as a crash), and the key of the format target.
 */
#ifndef IOI_FUZZ_H
#define IOI_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* An oracle: when @cond is false, say why and abort. */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: check failed: %s: ",	\
				__FILE__, __LINE__, #cond);		\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			abort();					\
		}							\
	} while (0)

/* The master key of fuzz_format and its seeds: docs/format.md's vector. */
static inline void ioi_fuzz_master_key(uint8_t key[32])
{
	int i;

	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
}

/*
 * A deterministic nonce source (struct ioi_fmt_rand): a run replays
 * exactly. Never all zero, which the writer would draw again.
 */
static inline int ioi_fuzz_nonces(void *arg, uint8_t *buf, size_t len)
{
	uint32_t *state = arg;
	size_t i;

	for (i = 0; i < len; i++) {
		*state = *state * 1103515245u + 12345u;
		buf[i] = (uint8_t)(*state >> 16);
	}
	buf[0] |= 1;
	return 0;
}

#endif /* IOI_FUZZ_H */
