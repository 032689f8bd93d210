/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running ioctl-cli through ioi_cli_main() inside a unit test: stdout and
 * stderr are redirected to temporary files around each call, so nothing
 * leaks into cmocka's output and both can be checked. Include after
 * <cmocka.h>.
 */
#ifndef IOI_TEST_CLI_RUN_H
#define IOI_TEST_CLI_RUN_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

struct run {
	int ret;
	char *out;	/* NUL-terminated; out_len bytes before the NUL */
	size_t out_len;
	char *err;
};

static inline char *slurp(FILE *f, size_t *lenp)
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
	if (lenp)
		*lenp = (size_t)len;
	return buf;
}

/* Make fd @fd a fresh temporary file (@tmp) or @path; return the saved fd. */
static inline int redirect(int fd, FILE **tmp, const char *path)
{
	int saved, new_fd;

	if (path) {
		*tmp = NULL;
		new_fd = open(path, O_RDONLY);
	} else {
		*tmp = tmpfile();
		assert_non_null(*tmp);
		new_fd = fileno(*tmp);
	}
	assert_true(new_fd >= 0);
	saved = dup(fd);
	assert_true(saved >= 0);
	assert_true(dup2(new_fd, fd) >= 0);
	if (path)
		close(new_fd);
	return saved;
}

static inline void restore(int fd, int saved)
{
	assert_true(dup2(saved, fd) >= 0);
	close(saved);
}

/*
 * Run ioi_cli_main() on the NULL-terminated arguments @ap, with standard
 * input read from @in (NULL: left as it is).
 */
static inline void run_cli_va(struct run *r, const char *in, va_list ap)
{
	int argc = 0, saved_in = -1, saved_out, saved_err;
	char *argv[16];
	FILE *out, *err, *unused;

	argv[argc++] = "ioctl-cli";
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		assert_true(++argc < 15);

	fflush(stdout);
	fflush(stderr);
	if (in)
		saved_in = redirect(STDIN_FILENO, &unused, in);
	saved_out = redirect(STDOUT_FILENO, &out, NULL);
	saved_err = redirect(STDERR_FILENO, &err, NULL);

	r->ret = ioi_cli_main(argc, argv);

	fflush(stdout);
	fflush(stderr);
	restore(STDOUT_FILENO, saved_out);
	restore(STDERR_FILENO, saved_err);
	if (in) {
		/*
		 * A run that stopped reading early (decrypt at a bad block)
		 * leaves the rest of its input in stdin's buffer; the next
		 * run, like a new process, starts with none.
		 */
		__fpurge(stdin);
		restore(STDIN_FILENO, saved_in);
		clearerr(stdin);
	}
	r->out = slurp(out, &r->out_len);
	r->err = slurp(err, NULL);
}

/* Run ioi_cli_main() on a NULL-terminated argument list. */
static inline void run_cli(struct run *r, ...)
{
	va_list ap;

	va_start(ap, r);
	run_cli_va(r, NULL, ap);
	va_end(ap);
}

/* The same with standard input read from the file @in. */
static inline void run_cli_stdin(struct run *r, const char *in, ...)
{
	va_list ap;

	va_start(ap, in);
	run_cli_va(r, in, ap);
	va_end(ap);
}

static inline void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Exit @code, nothing on stdout, and stderr exactly @err; then free @r. */
static inline void run_expect(struct run *r, int code, const char *err)
{
	if (r->ret != code)
		fail_msg("exit %d, expected %d: %s", r->ret, code, r->err);
	assert_string_equal(r->out, "");
	assert_string_equal(r->err, err);
	run_free(r);
}

/* ioctl-cli ARGS... is a usage error of @cmd ("key add") saying @msg. */
#define run_expect_usage(cmd, msg, ...) do {				\
	struct run r_;							\
									\
	run_cli(&r_, __VA_ARGS__, NULL);				\
	run_expect(&r_, IOI_EXIT_USAGE, "ioctl-cli " cmd ": " msg "\n"	\
		   "See 'ioctl-cli help " cmd "'.\n");			\
} while (0)

#define RUN_NO_MODULE \
	"iointercept module not loaded: run `modprobe iointercept`\n"

/* ioctl-cli ARGS... gets as far as the module, and finds it absent. */
#define run_expect_no_module(...) do {					\
	struct run r_;							\
									\
	run_cli(&r_, __VA_ARGS__, NULL);				\
	run_expect(&r_, IOI_EXIT_NOMOD, RUN_NO_MODULE);			\
} while (0)

#endif /* IOI_TEST_CLI_RUN_H */
