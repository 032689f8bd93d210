/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A temporary directory for a test program's files, and reading and
 * writing whole files in it. Include after <cmocka.h> and "cli_run.h".
 */
#ifndef IOI_TEST_TMPDIR_H
#define IOI_TEST_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Set by tmpdir_create(). */
static char tmpdir[64];

/* For a group setup: 0 or -1. */
static inline int tmpdir_create(const char *prog)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/%s.XXXXXX", prog);
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* For a group teardown: remove the directory and the files in it. */
static inline int tmpdir_remove(void)
{
	struct dirent *de;
	char path[512];
	DIR *d;

	d = opendir(tmpdir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(tmpdir);
}

/* @buf gets the path of @name in the directory. */
static inline void tmpdir_path(char *buf, size_t size, const char *name)
{
	assert_true((size_t)snprintf(buf, size, "%s/%s", tmpdir, name) <
		    size);
}

static inline void write_file(const char *path, const void *data,
			      size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The whole of @path, malloc()ed and NUL-terminated; its length in *@len. */
static inline uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	return (uint8_t *)slurp(f, len);
}

/* No temporary file of ioctl-cli's outfile.c is left in the directory. */
static inline void assert_no_leftovers(void)
{
	struct dirent *de;
	DIR *d = opendir(tmpdir);

	assert_non_null(d);
	while ((de = readdir(d)))
		assert_null(strstr(de->d_name, ".ioctl-cli."));
	closedir(d);
}

#endif /* IOI_TEST_TMPDIR_H */
