// SPDX-License-Identifier: GPL-2.0
/* Key files: 32 raw bytes, or 64 hex digits and an optional newline. */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "keyfile.h"

#define HEX_LEN		(2 * IOI_FMT_KEY_SIZE)
/* One byte more than the longest form, to tell it from a longer file. */
#define READ_MAX	(HEX_LEN + 2)

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ioi_key_parse(const uint8_t *buf, size_t len,
		  uint8_t key[IOI_FMT_KEY_SIZE])
{
	size_t i;
	int hi, lo;

	/* Raw first: 32 bytes cannot be 64 digits, so there is no doubt. */
	if (len == IOI_FMT_KEY_SIZE) {
		memcpy(key, buf, IOI_FMT_KEY_SIZE);
		return 0;
	}
	if (len == HEX_LEN + 1 && buf[HEX_LEN] == '\n')
		len--;
	if (len != HEX_LEN)
		return -EINVAL;
	for (i = 0; i < IOI_FMT_KEY_SIZE; i++) {
		hi = hex_digit(buf[2 * i]);
		lo = hex_digit(buf[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			OPENSSL_cleanse(key, IOI_FMT_KEY_SIZE);
			return -EINVAL;
		}
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int report(FILE *err, const char *cmd, const char *path,
		  const char *what, int ret)
{
	fprintf(err, "%s %s: %s: %s\n", PROG_NAME, cmd, path, what);
	return ret;
}

int ioi_keyfile_load(const char *path, struct ioi_fmt_master *m,
		     const char *cmd, FILE *err)
{
	uint8_t buf[READ_MAX], key[IOI_FMT_KEY_SIZE];
	size_t len = 0, n;
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f) {
		ret = -errno;
		return report(err, cmd, path, strerror(-ret), ret);
	}
	/* Unbuffered: no copy of the key in a stdio buffer. */
	setvbuf(f, NULL, _IONBF, 0);
	errno = 0;
	do {
		n = fread(buf + len, 1, sizeof(buf) - len, f);
		len += n;
	} while (n && len < sizeof(buf));
	if (ferror(f)) {
		ret = errno ? -errno : -EIO;	/* EISDIR for a directory */
		report(err, cmd, path, strerror(-ret), ret);
	} else if (ioi_key_parse(buf, len, key)) {
		ret = report(err, cmd, path,
			     "expected 32 raw bytes or 64 hex characters",
			     -EINVAL);
	} else if (ioi_fmt_master_init(m, key)) {
		ret = report(err, cmd, path,
			     ioi_fmt_strerror(IOI_FMT_E_CRYPTO), -EIO);
	} else {
		ret = 0;
	}
	fclose(f);
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}
