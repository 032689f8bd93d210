// SPDX-License-Identifier: GPL-2.0
/*
 * `ioctl-cli attest`, `build-id` and `lock`: the argument errors, which
 * need no module, and the configfs TSM steps of tsm.c against a directory
 * laid out like /sys/kernel/config/tsm/report/<entry>, with a child
 * process playing the kernel: it answers the read of outblob (a FIFO) with
 * a report over what was written to inblob, and moves the generation.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "cli_run.h"
#include "tsm.h"
#include "util.h"

#define REPORT_HEAD "REPORT v1:"
#define ID64 "000102030405060708090a0b0c0d0e0f" \
	     "101112131415161718191a1b1c1d1e1f"

/* A fresh directory per test, and its "iointercept" entry. */
static char dir[64], entry[96];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_attest.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(entry, sizeof(entry), "%s/" IOI_TSM_ENTRY, dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static void path_of(char *buf, size_t size, const char *base,
		    const char *name)
{
	assert_true((size_t)snprintf(buf, size, "%s/%s", base, name) < size);
}

static void put(const char *base, const char *name, const char *text)
{
	char path[160];
	FILE *f;

	path_of(path, sizeof(path), base, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static bool exists(const char *base, const char *name)
{
	char path[160];

	path_of(path, sizeof(path), base, name);
	return !access(path, F_OK);
}

/* The entry as configfs shows it: generation @gen, outblob a FIFO. */
static void make_entry(unsigned int gen, const char *provider)
{
	char path[160], text[32];

	assert_int_equal(mkdir(entry, 0700), 0);
	snprintf(text, sizeof(text), "%u\n", gen);
	put(entry, "generation", text);
	put(entry, "inblob", "");
	if (provider)
		put(entry, "provider", provider);
	path_of(path, sizeof(path), entry, "outblob");
	assert_int_equal(mkfifo(path, 0600), 0);
}

/*
 * The kernel's part, in a child: when outblob is opened for reading, read
 * inblob, set the generation to @gen, and answer REPORT_HEAD + inblob, or
 * nothing with @empty.
 */
static pid_t kernel(unsigned int gen, bool empty)
{
	char path[160], text[32], in[IOI_TSM_DATA_SIZE];
	ssize_t n;
	pid_t pid;
	int fd, in_fd;

	pid = fork();
	assert_true(pid >= 0);
	if (pid)
		return pid;
	alarm(10);	/* never outlive a test that failed early */
	path_of(path, sizeof(path), entry, "outblob");
	fd = open(path, O_WRONLY);	/* waits for the reader */
	if (fd < 0)
		_exit(1);
	path_of(path, sizeof(path), entry, "inblob");
	in_fd = open(path, O_RDONLY);
	n = in_fd < 0 ? -1 : read(in_fd, in, sizeof(in));
	close(in_fd);
	snprintf(text, sizeof(text), "%u\n", gen);
	put(entry, "generation", text);
	if (!empty && (write(fd, REPORT_HEAD, strlen(REPORT_HEAD)) < 0 ||
		       write(fd, in, n > 0 ? (size_t)n : 0) != n))
		_exit(1);
	close(fd);
	_exit(n == IOI_TSM_DATA_SIZE ? 0 : 2);
}

static void reap(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static const uint8_t *report_data(void)
{
	static uint8_t data[IOI_TSM_DATA_SIZE];
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0xa0 + i);
	return data;
}

/* Run ioi_tsm_report() into memory; its messages into *@err. */
static int tsm(const char *d, char **out, size_t *out_len, char **err,
	       struct ioi_tsm_result *res)
{
	size_t err_len = 0;
	FILE *o, *e;
	int ret;

	*out = NULL;
	*err = NULL;
	o = open_memstream(out, out_len);
	e = open_memstream(err, &err_len);
	assert_non_null(o);
	assert_non_null(e);
	ret = ioi_tsm_report(d, report_data(), o, res, "attest", e);
	assert_int_equal(fclose(o), 0);
	assert_int_equal(fclose(e), 0);
	return ret;
}

static void test_report(void **state)
{
	struct ioi_tsm_result res;
	size_t len, head = strlen(REPORT_HEAD);
	char *out, *err, path[160];
	pid_t pid;

	(void)state;
	make_entry(41, "fake_tsm\n");
	pid = kernel(42, false);
	assert_int_equal(tsm(dir, &out, &len, &err, &res), 0);
	reap(pid);
	assert_string_equal(err, "");
	assert_int_equal(len, head + IOI_TSM_DATA_SIZE);
	assert_memory_equal(out, REPORT_HEAD, head);
	assert_memory_equal(out + head, report_data(), IOI_TSM_DATA_SIZE);
	assert_int_equal(res.size, len);
	assert_int_equal(res.generation, 42);
	assert_string_equal(res.provider, "fake_tsm");
	free(out);
	free(err);

	/* The entry is reused; no provider file: none said. */
	path_of(path, sizeof(path), entry, "provider");
	assert_int_equal(unlink(path), 0);
	pid = kernel(43, false);
	assert_int_equal(tsm(dir, &out, &len, &err, &res), 0);
	reap(pid);
	assert_string_equal(err, "");
	assert_int_equal(res.generation, 43);
	assert_string_equal(res.provider, "");
	free(out);
	free(err);
}

/* Another writer between our two reads of the generation. */
static void test_report_raced(void **state)
{
	struct ioi_tsm_result res;
	char *out, *err, *want;
	size_t len;
	pid_t pid;

	(void)state;
	make_entry(7, NULL);
	pid = kernel(9, false);
	assert_int_equal(tsm(dir, &out, &len, &err, &res), -EBUSY);
	reap(pid);
	assert_true(asprintf(&want, "ioctl-cli attest: the report entry was "
			     "used by another writer meanwhile (generation 7, "
			     "then 9); try again\n") > 0);
	assert_string_equal(err, want);
	free(want);
	free(out);
	free(err);

	/* Not moved at all (a kernel that did not take inblob): also. */
	pid = kernel(9, false);
	assert_int_equal(tsm(dir, &out, &len, &err, &res), -EBUSY);
	reap(pid);
	assert_string_equal(err, "ioctl-cli attest: the report entry's "
			    "generation did not move (9): the report is not "
			    "over the data written; try again\n");
	free(out);
	free(err);
}

static void test_report_empty(void **state)
{
	struct ioi_tsm_result res;
	char *out, *err;
	size_t len;
	pid_t pid;

	(void)state;
	make_entry(1, NULL);
	pid = kernel(2, true);
	assert_int_equal(tsm(dir, &out, &len, &err, &res), -EPROTO);
	reap(pid);
	assert_non_null(strstr(err, "/outblob: the TEE returned an empty "
				    "report\n"));
	free(out);
	free(err);
}

/* A directory that is not configfs-tsm's: said so, and left as it was. */
static void test_not_tsm(void **state)
{
	struct ioi_tsm_result res;
	char *out, *err, *want;
	char missing[128];
	size_t len;

	(void)state;
	assert_int_equal(tsm(dir, &out, &len, &err, &res), -ENOENT);
	assert_true(asprintf(&want, "ioctl-cli attest: %s is not a TSM report "
			     "directory: %s has no generation file\n", dir,
			     entry) > 0);
	assert_string_equal(err, want);
	free(want);
	free(out);
	free(err);
	/* The entry it made is gone again. */
	assert_false(exists(dir, IOI_TSM_ENTRY));

	/* An entry that was there stays. */
	assert_int_equal(mkdir(entry, 0700), 0);
	assert_int_equal(tsm(dir, &out, &len, &err, &res), -ENOENT);
	assert_non_null(strstr(err, "is not a TSM report directory"));
	assert_true(exists(dir, IOI_TSM_ENTRY));
	free(out);
	free(err);

	/* A generation that is not a number. */
	put(entry, "generation", "seven\n");
	assert_int_equal(tsm(dir, &out, &len, &err, &res), -EPROTO);
	assert_non_null(strstr(err, "/generation: not a decimal number\n"));
	free(out);
	free(err);

	/* No such directory at all. */
	path_of(missing, sizeof(missing), dir, "nonexistent");
	assert_int_equal(tsm(missing, &out, &len, &err, &res), -ENOENT);
	assert_true(asprintf(&want, "ioctl-cli attest: %s does not exist: the "
			     "kernel offers no TSM report interface (Linux 6.7 "
			     "or later, in an Intel TDX or AMD SEV-SNP guest, "
			     "configfs mounted)\n", missing) > 0);
	assert_string_equal(err, want);
	free(want);
	free(out);
	free(err);
}

static void test_check_dir(void **state)
{
	char path[128], *err = NULL;
	size_t len = 0;
	FILE *e;

	(void)state;
	e = open_memstream(&err, &len);
	assert_non_null(e);
	assert_int_equal(ioi_tsm_check_dir(dir, "attest", e), 0);
	path_of(path, sizeof(path), dir, "none");
	assert_int_equal(ioi_tsm_check_dir(path, "attest", e), -ENOENT);
	put(dir, "file", "x");
	path_of(path, sizeof(path), dir, "file");
	assert_int_equal(ioi_tsm_check_dir(path, "attest", e), -ENOTDIR);
	assert_int_equal(fclose(e), 0);
	assert_non_null(strstr(err, "/none does not exist: the kernel offers "
				    "no TSM report interface"));
	assert_non_null(strstr(err, "/file: Not a directory\n"));
	free(err);
}

static int check_calls;

static int check_ok(void *arg)
{
	(void)arg;
	check_calls++;
	return 0;
}

static int check_fails(void *arg)
{
	(void)arg;
	check_calls++;
	return IOI_EXIT_FAIL;
}

/* How many names @d holds, "." and ".." aside. */
static size_t files_in(const char *d)
{
	struct dirent *de;
	size_t n = 0;
	DIR *dd;

	dd = opendir(d);
	assert_non_null(dd);
	while ((de = readdir(dd)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(dd);
	return n;
}

/* The report file appears whole, or not at all. */
static void test_report_file(void **state)
{
	struct ioi_tsm_result res;
	char out[128], *err = NULL;
	uint8_t *got;
	size_t len = 0;
	FILE *e, *f;
	pid_t pid;

	(void)state;
	make_entry(1, NULL);
	path_of(out, sizeof(out), dir, "report.bin");
	e = open_memstream(&err, &len);
	assert_non_null(e);

	pid = kernel(2, false);
	check_calls = 0;
	assert_int_equal(ioi_tsm_report_file(dir, report_data(), out, &res,
					     check_ok, NULL, "attest", e), 0);
	reap(pid);
	assert_int_equal(check_calls, 1);
	f = fopen(out, "r");
	assert_non_null(f);
	got = malloc(256);
	assert_non_null(got);
	assert_int_equal(fread(got, 1, 256, f),
			 strlen(REPORT_HEAD) + IOI_TSM_DATA_SIZE);
	assert_int_equal(fclose(f), 0);
	assert_memory_equal(got + strlen(REPORT_HEAD), report_data(),
			    IOI_TSM_DATA_SIZE);
	free(got);
	assert_int_equal(unlink(out), 0);

	/* The check refuses: no file, no temporary left. */
	pid = kernel(3, false);
	assert_int_equal(ioi_tsm_report_file(dir, report_data(), out, &res,
					     check_fails, NULL, "attest", e),
			 IOI_EXIT_FAIL);
	reap(pid);
	assert_false(exists(dir, "report.bin"));
	/* The generation jumps: the check is not even asked. */
	pid = kernel(5, false);
	check_calls = 0;
	assert_int_equal(ioi_tsm_report_file(dir, report_data(), out, &res,
					     check_ok, NULL, "attest", e),
			 -EBUSY);
	reap(pid);
	assert_int_equal(check_calls, 0);
	assert_false(exists(dir, "report.bin"));
	assert_int_equal(files_in(dir), 1);	/* the entry alone */
	assert_int_equal(fclose(e), 0);
	free(err);
}

/* ioctl-cli attest, build-id, lock: what needs no module */


static void test_attest_usage(void **state)
{
	char out[128], *want;
	struct run r;

	(void)state;
	path_of(out, sizeof(out), dir, "report.bin");
	run_expect_usage("attest",
			 "--nonce needs --out: the nonce goes into the TEE report",
			 "attest", "--nonce", "00");
	run_expect_usage("attest", "--tsm-dir needs --out", "attest",
			 "--tsm-dir", dir);
	run_expect_usage("attest",
			 "--out needs a file name: the report is binary",
			 "attest", "--out", "-");
	run_expect_usage("attest",
			 "nonce has an odd number of hex digits (3): a "
			 "byte takes two", "attest", "--out", out, "--tsm-dir",
			 dir, "--nonce", "abc");
	run_expect_usage("attest", "nonce must be at most 64 hex digits (32 "
			 "bytes), got 66", "attest", "--out", out, "--nonce",
			 ID64 "00");
	run_expect_usage("attest",
			 "nonce: 'g' (character 3) is not a hex digit",
			 "attest", "-o", out, "-n", "00g0");
	run_expect_usage("attest", "nonce is empty", "attest", "-o", out,
			 "--nonce=");
	run_expect_usage("attest", "unexpected argument 'now'", "attest",
			 "now");
	run_expect_usage("attest", "invalid option '--bogus'", "attest",
			 "--bogus");
	/* A nonce of 64 digits is fine: it gets as far as the directory. */
	run_cli(&r, "attest", "--out", out, "--nonce", ID64, "--tsm-dir",
		"/nonexistent/tsm", NULL);
	run_expect(&r, IOI_EXIT_FAIL, "ioctl-cli attest: /nonexistent/tsm does "
		   "not exist: the kernel offers no TSM report interface (Linux "
		   "6.7 or later, in an Intel TDX or AMD SEV-SNP guest, configfs "
		   "mounted)\n");
	/* Then the module, which this host does not have. */
	run_cli(&r, "attest", "--out", out, "--tsm-dir", dir, NULL);
	run_expect(&r, IOI_EXIT_NOMOD, RUN_NO_MODULE);
	run_cli(&r, "attest", "--json", NULL);
	run_expect(&r, IOI_EXIT_NOMOD, RUN_NO_MODULE);
	/* Nothing was written, nothing made. */
	assert_false(exists(dir, "report.bin"));
	assert_false(exists(dir, IOI_TSM_ENTRY));

	run_cli(&r, "help", "attest", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_true(asprintf(&want, "Usage: ioctl-cli attest [--nonce HEX] "
			     "[--out FILE] [--tsm-dir DIR] [--json]\n") > 0);
	assert_ptr_equal(strstr(r.out, want), r.out);
	free(want);
	run_free(&r);
}

static void test_build_id_lock_usage(void **state)
{
	struct run r;

	(void)state;
	run_expect_usage("build-id set",
			 "build ID must be 64 hex digits (32 bytes), got 62",
			 "build-id", "set", ID64 + 2);
	run_expect_usage("build-id set",
			 "build ID must be 64 hex digits (32 bytes), got 65",
			 "build-id", "set", ID64 "0");
	run_expect_usage("build-id set",
			 "build ID: 'g' (character 64) is not a hex digit",
			 "build-id", "set",
			 "000102030405060708090a0b0c0d0e0f"
			 "101112131415161718191a1b1c1d1e1g");
	run_expect_usage("build-id set", "missing build ID", "build-id", "set");
	run_expect_usage("build-id show", "unexpected argument 'x'", "build-id",
			 "show", "x");
	run_expect_usage("lock", "unexpected argument 'now'", "lock", "now");
	run_cli(&r, "build-id", "frob", NULL);
	run_expect(&r, IOI_EXIT_USAGE,
		   "ioctl-cli build-id: unknown subcommand 'frob'\n"
		   "See 'ioctl-cli build-id --help' for the list of subcommands.\n");

	/* Good ones reach for the module. */
	run_cli(&r, "build-id", "set", ID64, NULL);
	run_expect(&r, IOI_EXIT_NOMOD, RUN_NO_MODULE);
	run_cli(&r, "build-id", NULL);
	run_expect(&r, IOI_EXIT_NOMOD, RUN_NO_MODULE);
	run_cli(&r, "build-id", "show", NULL);
	run_expect(&r, IOI_EXIT_NOMOD, RUN_NO_MODULE);
	run_cli(&r, "lock", NULL);
	run_expect(&r, IOI_EXIT_NOMOD, RUN_NO_MODULE);

	/* Help, three ways for a nested one. */
	run_cli(&r, "help", "build-id", "set", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_ptr_equal(strstr(r.out, "Usage: ioctl-cli build-id set HEX64\n"),
			 r.out);
	run_free(&r);
	run_cli(&r, "build-id", "help", "show", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_ptr_equal(strstr(r.out, "Usage: ioctl-cli build-id [show]\n"),
			 r.out);
	run_free(&r);
	run_cli(&r, "build-id", "--help", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_non_null(strstr(r.out, "\n  set            "));
	run_free(&r);
	run_cli(&r, "lock", "--help", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_ptr_equal(strstr(r.out, "Usage: ioctl-cli lock\n"), r.out);
	assert_non_null(strstr(r.out, "until reboot"));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_raced, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_report_empty, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_tsm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_dir, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_report_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_attest_usage, setup,
						teardown),
		cmocka_unit_test(test_build_id_lock_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
