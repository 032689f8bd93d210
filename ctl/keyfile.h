/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key files of encrypt, decrypt, inspect and key add: the 32-byte master
 * key, as 32 raw bytes or as 64 hex digits with at most one newline after
 * them.
 */
#ifndef IOI_CTL_KEYFILE_H
#define IOI_CTL_KEYFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "format.h"

/* Decode the contents @buf of a key file; -EINVAL if it is neither form. */
int ioi_key_parse(const uint8_t *buf, size_t len,
		  uint8_t key[IOI_FMT_KEY_SIZE]);

/*
 * Read the key file @path (NULL: standard input, shown as "<stdin>") into
 * @key, with read(2) alone, so no stdio buffer keeps a copy. On error,
 * prints "ioctl-cli @cmd: @path: <problem>" to @err and returns a negative
 * errno. Nothing of the key is left in memory but @key, which the caller
 * wipes (OPENSSL_cleanse()) when done.
 */
int ioi_keyfile_read(const char *path, uint8_t key[IOI_FMT_KEY_SIZE],
		     const char *cmd, FILE *err);

/*
 * Read the key file @path (NULL: standard input) and derive what files
 * need from the key, its identifier included. On error, prints
 * "ioctl-cli @cmd: @path: <problem>" to @err and returns a negative
 * errno. Nothing of the key is left in memory but @m.
 */
int ioi_keyfile_load(const char *path, struct ioi_fmt_master *m,
		     const char *cmd, FILE *err);

#endif /* IOI_CTL_KEYFILE_H */
