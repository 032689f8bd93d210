// SPDX-License-Identifier: GPL-2.0
/*
 * format_seeds DIR: write valid encrypted files under fuzz_format's key
 * into DIR, as seeds: random bytes could never pass the header tag, so
 * without them the fuzzer would not get past the header. Made at every
 * run rather than kept in the repository, so they always match the key
 * and the format. Plaintext sizes around the block edges, docs/format.md's
 * 5000-byte vector plaintext (byte k = k % 251), and a header alone.
 */
#include <stdio.h>
#include <stdlib.h>

#include "crypt.h"
#include "format.h"
#include "fuzz.h"

int main(int argc, char *argv[])
{
	static const size_t sizes[] = { 1, 28, 29, 4095, 4096, 4097, 5000,
					8192 };
	static uint8_t plain[8192];
	struct ioi_fmt_master master;
	struct ioi_crypt_status st;
	uint8_t key[IOI_FMT_KEY_SIZE], header[IOI_FMT_HEADER_SIZE];
	struct ioi_fmt_file f;
	uint32_t state = 1;
	struct ioi_fmt_rand rand = { ioi_fuzz_nonces, &state };
	char path[4096];
	size_t i, k;
	FILE *in, *out;

	if (argc != 2) {
		fprintf(stderr, "usage: format_seeds DIR\n");
		return 2;
	}
	for (k = 0; k < sizeof(plain); k++)
		plain[k] = (uint8_t)(k % 251);
	ioi_fuzz_master_key(key);
	CHECK(!ioi_fmt_master_init(&master, key), "master key");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(path, sizeof(path), "%s/valid-%zu", argv[1], sizes[i]);
		in = fmemopen(plain, sizes[i], "r");
		out = fopen(path, "we");
		CHECK(in && out, "%s: %m", path);
		CHECK(!ioi_crypt_encrypt(in, out, &master, &rand, &st),
		      "%s: %s", path, st.msg);
		fclose(in);
		CHECK(!fclose(out), "%s: %m", path);
	}
	/* A header and no blocks: an empty file, as truncation leaves it. */
	CHECK(!ioi_fmt_file_create(&f, &master, &rand, header), "header");
	ioi_fmt_file_free(&f);
	snprintf(path, sizeof(path), "%s/valid-header-only", argv[1]);
	out = fopen(path, "we");
	CHECK(out && fwrite(header, sizeof(header), 1, out) == 1 &&
	      !fclose(out), "%s: %m", path);
	return 0;
}
