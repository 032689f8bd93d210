// SPDX-License-Identifier: GPL-2.0
/* Key files: 32 raw bytes, or 64 hex digits and an optional newline. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "keyfile.h"
#include "util.h"

#define HEX_LEN		(2 * IOI_FMT_KEY_SIZE)
/* One byte more than the longest form, to tell it from a longer file. */
#define READ_MAX	(HEX_LEN + 2)

int ioi_key_parse(const uint8_t *buf, size_t len,
		  uint8_t key[IOI_FMT_KEY_SIZE])
{
	/* Raw first: 32 bytes cannot be 64 digits, so there is no doubt. */
	if (len == IOI_FMT_KEY_SIZE) {
		memcpy(key, buf, IOI_FMT_KEY_SIZE);
		return 0;
	}
	if (len == HEX_LEN + 1 && buf[HEX_LEN] == '\n')
		len--;
	if (len != HEX_LEN)
		return -EINVAL;
	if (ioi_unhex(key, (const char *)buf, IOI_FMT_KEY_SIZE)) {
		OPENSSL_cleanse(key, IOI_FMT_KEY_SIZE);
		return -EINVAL;
	}
	return 0;
}

static int report(FILE *err, const char *cmd, const char *name,
		  const char *what, int ret)
{
	fprintf(err, "%s %s: %s: %s\n", PROG_NAME, cmd, name, what);
	return ret;
}

/* Up to @size bytes of @fd, until its end; the count or a negative errno. */
static ssize_t read_all(int fd, uint8_t *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size) {
		n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;	/* EISDIR for a directory */
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

int ioi_keyfile_read(const char *path, uint8_t key[IOI_FMT_KEY_SIZE],
		     const char *cmd, FILE *err)
{
	const char *name = path ? path : "<stdin>";
	uint8_t buf[READ_MAX];
	ssize_t len;
	int fd, ret;

	/* read(2), not stdio: no copy of the key in a stdio buffer. */
	fd = path ? open(path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		ret = -errno;
		return report(err, cmd, name, strerror(-ret), ret);
	}
	len = read_all(fd, buf, sizeof(buf));
	if (len < 0)
		ret = report(err, cmd, name, strerror((int)-len), (int)len);
	else if (ioi_key_parse(buf, (size_t)len, key))
		ret = report(err, cmd, name,
			     "expected 32 raw bytes or 64 hex characters",
			     -EINVAL);
	else
		ret = 0;
	if (path)
		close(fd);
	OPENSSL_cleanse(buf, sizeof(buf));
	return ret;
}

int ioi_keyfile_load(const char *path, struct ioi_fmt_master *m,
		     const char *cmd, FILE *err)
{
	uint8_t key[IOI_FMT_KEY_SIZE];
	int ret;

	ret = ioi_keyfile_read(path, key, cmd, err);
	if (ret)
		return ret;
	if (ioi_fmt_master_init(m, key))
		ret = report(err, cmd, path ? path : "<stdin>",
			     ioi_fmt_strerror(IOI_FMT_E_CRYPTO), -EIO);
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}
