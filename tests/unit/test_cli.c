// SPDX-License-Identifier: GPL-2.0
/*
 * Argument handling of ioctl-cli through ioi_cli_main(). stdout and stderr
 * are redirected to temporary files around each call so nothing leaks into
 * cmocka's output. No test here needs iointercept.ko.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <iointercept/version.h>

#include "cli.h"
#include "util.h"

struct run {
	int ret;
	char *out;
	char *err;
};

static char *slurp(FILE *f)
{
	char *buf;
	long len;

	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

/* Redirect fd @fd to a fresh temporary file; return the saved fd. */
static int redirect(int fd, FILE **tmp)
{
	int saved;

	*tmp = tmpfile();
	assert_non_null(*tmp);
	saved = dup(fd);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(*tmp), fd) >= 0);
	return saved;
}

static void restore(int fd, int saved)
{
	assert_true(dup2(saved, fd) >= 0);
	close(saved);
}

/* Run ioi_cli_main() on a NULL-terminated argument list. */
static void run_cli(struct run *r, ...)
{
	char *argv[16];
	int argc = 0, saved_out, saved_err;
	FILE *out, *err;
	va_list ap;

	argv[argc++] = "ioctl-cli";
	va_start(ap, r);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		assert_true(++argc < 15);
	va_end(ap);

	fflush(stdout);
	fflush(stderr);
	saved_out = redirect(STDOUT_FILENO, &out);
	saved_err = redirect(STDERR_FILENO, &err);

	r->ret = ioi_cli_main(argc, argv);

	fflush(stdout);
	fflush(stderr);
	restore(STDOUT_FILENO, saved_out);
	restore(STDERR_FILENO, saved_err);
	r->out = slurp(out);
	r->err = slurp(err);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static void test_help(void **state)
{
	static const char *const forms[] = { "--help", "-h", "help" };
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		run_cli(&r, forms[i], NULL);
		assert_int_equal(r.ret, IOI_EXIT_OK);
		assert_non_null(strstr(r.out, "Usage: ioctl-cli"));
		assert_non_null(strstr(r.out, "\n  status "));
		assert_non_null(strstr(r.out, "\n  version "));
		/* The exit-code table is in the footer. */
		assert_non_null(strstr(r.out, "  3  the iointercept module"));
		assert_string_equal(r.err, "");
		run_free(&r);
	}
}

static void test_no_args(void **state)
{
	struct run r;

	(void)state;
	run_cli(&r, NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "Usage: ioctl-cli"));
	run_free(&r);
}

static void test_unknown_subcommand(void **state)
{
	struct run r;

	(void)state;
	run_cli(&r, "frobnicate", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "'frobnicate'"));
	assert_non_null(strstr(r.err, "ioctl-cli --help"));
	run_free(&r);
}

static void test_status_bad_option(void **state)
{
	struct run r;

	(void)state;
	run_cli(&r, "status", "--bogus", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "'--bogus'"));

	run_free(&r);
	run_cli(&r, "status", "-jx", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'-x'"));

	run_free(&r);
	run_cli(&r, "status", "--json=yes", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);

	run_free(&r);
	run_cli(&r, "status", "extra", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'extra'"));
	run_free(&r);
}

static void test_subcommand_help(void **state)
{
	struct run r;

	(void)state;
	run_cli(&r, "help", "status", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, "Usage: ioctl-cli status [--json]"));
	assert_string_equal(r.err, "");
	run_free(&r);

	/* Same text from the subcommand itself, after a prior bad call. */
	run_cli(&r, "status", "--help", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, "Usage: ioctl-cli status [--json]"));
	run_free(&r);

	run_cli(&r, "version", "-h", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, "Usage: ioctl-cli version"));
	run_free(&r);

	run_cli(&r, "help", "nosuch", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'nosuch'"));
	run_free(&r);
}

/* The host has no iointercept family: a real "not loaded" case. */
static void test_version_without_module(void **state)
{
	struct run r;

	(void)state;
	run_cli(&r, "version", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_string_equal(r.out, "ioctl-cli " IOI_VERSION "\n"
			    "iointercept.ko: not loaded\n");
	assert_string_equal(r.err, "");
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_no_args),
		cmocka_unit_test(test_unknown_subcommand),
		cmocka_unit_test(test_status_bad_option),
		cmocka_unit_test(test_subcommand_help),
		cmocka_unit_test(test_version_without_module),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
