// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: ioctl-cli repair's search for an end (ctl/repair.c)
 * on the ends a crash can leave, under fuzz_format's key.
 *
 * An input is 5 control bytes and a plaintext. The plaintext is encrypted
 * (deterministic nonces), the stored file cut at a length the first two
 * bytes choose (the header always kept), and the next two bytes' worth
 * of zeros or junk (the fifth byte chooses) written after the cut: the
 * stored file a crash leaves when the size moved and the data did not.
 * Then, beyond what ASan and UBSan catch:
 *
 * - the end is reported as good exactly when nothing was cut or added,
 *   or everything but the header was cut (an empty file);
 * - otherwise the end repair finds is that of the last block still
 *   whole: the plaintext's end if its last block is whole, whatever was
 *   added after it, else the last whole full block before the cut;
 * - after repair the file verifies as a whole with the reader of
 *   `decrypt` and gives back exactly that prefix of the plaintext, and a
 *   second check finds nothing to do.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crypt.h"
#include "format.h"
#include "fuzz.h"
#include "repair.h"

#define CTL	5
#define MAX_EXTRA	(3 * IOI_FMT_SEALED_SIZE)

static struct ioi_fmt_master master;
static uint32_t nonce_state;
static const struct ioi_fmt_rand nonces = { ioi_fuzz_nonces, &nonce_state };

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t key[IOI_FMT_KEY_SIZE];

	(void)argc;
	(void)argv;
	ioi_fuzz_master_key(key);
	CHECK(!ioi_fmt_master_init(&master, key), "master key");
	return 0;
}

/* @in (@len bytes) through @fn into a malloc()ed buffer, *@out_len. */
static uint8_t *run(const uint8_t *in, size_t len, size_t *out_len,
		    bool enc, int *ret)
{
	struct ioi_crypt_status st;
	char *buf = NULL;
	FILE *fin, *fout;

	fin = len ? fmemopen((void *)in, len, "r") : fopen("/dev/null", "r");
	fout = open_memstream(&buf, out_len);
	CHECK(fin && fout, "streams");
	*ret = enc ? ioi_crypt_encrypt(fin, fout, &master, &nonces, &st) :
		     ioi_crypt_decrypt(fin, fout, &master, &st);
	fclose(fin);
	fclose(fout);
	return (uint8_t *)buf;
}

/* The stored size after repair of a file with @plain bytes. */
static uint64_t stored(uint64_t plain)
{
	uint64_t lower = IOI_FMT_HEADER_SIZE;

	if (plain)
		CHECK(!ioi_fmt_lower_size(plain, &lower), "size");
	return lower;
}

/*
 * The ends repair may find in @enc (@len bytes, @plain bytes of
 * plaintext) cut at @cut: *@lo, the end of the last whole full block,
 * and *@hi, the plaintext's end when its last block is whole, else *@lo.
 */
static void ends(uint64_t plain, uint64_t cut, uint64_t *lo, uint64_t *hi)
{
	uint64_t blocks = (plain + IOI_FMT_BLOCK_SIZE - 1) >>
			  IOI_FMT_BLOCK_SHIFT;
	uint64_t last = plain - ((blocks - 1) << IOI_FMT_BLOCK_SHIFT);
	uint64_t i;

	*lo = 0;
	for (i = 0; i < blocks; i++) {
		if (i + 1 < blocks || last == IOI_FMT_BLOCK_SIZE) {
			if (ioi_fmt_block_offset(i) + IOI_FMT_SEALED_SIZE > cut)
				break;
			*lo = (i + 1) << IOI_FMT_BLOCK_SHIFT;
		}
	}
	*hi = *lo;
	if (ioi_fmt_block_offset(blocks - 1) + last + IOI_FMT_OVERHEAD <= cut)
		*hi = plain;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *enc, *file, *out;
	size_t enc_len, out_len, extra, cut, len;
	struct ioi_crypt_status st;
	struct ioi_repair *s;
	struct ioi_fmt_file f;
	uint64_t got, lo, hi;
	const char *why;
	FILE *hdr;
	bool zeros;
	int fd, ret;

	if (size <= CTL)
		return 0;
	nonce_state = 1;
	enc = run(data + CTL, size - CTL, &enc_len, true, &ret);
	CHECK(!ret && enc_len > IOI_FMT_HEADER_SIZE, "encrypt");
	cut = IOI_FMT_HEADER_SIZE + (size_t)(data[0] | data[1] << 8) %
	      (enc_len - IOI_FMT_HEADER_SIZE + 1);
	extra = (size_t)(data[2] | data[3] << 8) % (MAX_EXTRA + 1);
	zeros = data[4] & 1;
	len = cut + extra;
	file = malloc(len);
	CHECK(file, "memory");
	memcpy(file, enc, cut);
	for (size_t i = 0; i < extra; i++)
		file[cut + i] = zeros ? 0 : (uint8_t)(0x5a ^ (i * 31));

	fd = memfd_create("fuzz_repair", MFD_CLOEXEC);
	CHECK(fd >= 0, "memfd");
	CHECK(pwrite(fd, file, len, 0) == (ssize_t)len, "write");
	hdr = fmemopen(file, len, "r");
	CHECK(hdr, "stream");
	CHECK(!ioi_crypt_open(hdr, &master, &f, &st), "open: %s", st.msg);
	fclose(hdr);
	s = calloc(1, sizeof(*s));
	CHECK(s, "memory");
	s->fd = fd;
	s->lower = len;
	s->f = &f;

	CHECK(!ioi_repair_check(s, &why), "check");
	/* Whole, or a header alone: an empty file (docs/format.md). */
	if ((cut == enc_len || cut == IOI_FMT_HEADER_SIZE) && !extra) {
		CHECK(why, "a whole file needs repair");
		goto done;
	}
	CHECK(!why, "a damaged file (cut at %zu of %zu, %zu added) needs none: %s",
	      cut, enc_len, extra, why);
	CHECK(!ioi_repair_find(s, &got), "find");
	ends(size - CTL, cut, &lo, &hi);
	CHECK(got == hi,
	      "end at %llu, not %llu (whole blocks end at %llu; cut at %zu of %zu, %zu added)",
	      (unsigned long long)got, (unsigned long long)hi,
	      (unsigned long long)lo, cut, enc_len, extra);
	CHECK(!ioi_repair_apply(s, got, stored(got)), "apply");

	free(file);
	len = stored(got);
	file = malloc(len);
	CHECK(file, "memory");
	CHECK(pread(fd, file, len, 0) == (ssize_t)len, "read back");
	CHECK(lseek(fd, 0, SEEK_END) == (off_t)len, "stored size");
	out = run(file, len, &out_len, false, &ret);
	CHECK(!ret, "the repaired file does not decrypt");
	CHECK(out_len == got && !memcmp(out, data + CTL, got),
	      "the repaired file is not the plaintext's first %llu bytes",
	      (unsigned long long)got);
	free(out);
	CHECK(!ioi_repair_check(s, &why) && why, "repaired, not verified");
done:
	free(s);
	ioi_fmt_file_free(&f);
	close(fd);
	free(file);
	free(enc);
	return 0;
}
