// SPDX-License-Identifier: GPL-2.0
/*
 * Argument handling of ioctl-cli through ioi_cli_main() (cli_run.h). No
 * test here needs iointercept.ko.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include <iointercept/version.h>

#include "cli.h"
#include "cli_run.h"
#include "util.h"

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
		assert_non_null(strstr(r.out, "\n  stats "));
		assert_non_null(strstr(r.out, "\n  monitor "));
		assert_non_null(strstr(r.out, "\n  version "));
		assert_non_null(strstr(r.out, "\n  check-policy "));
		assert_non_null(strstr(r.out, "\n  load-policy "));
		assert_non_null(strstr(r.out, "\n  show-policy "));
		assert_non_null(strstr(r.out, "\n  unload-policy "));
		assert_non_null(strstr(r.out, "\n  key "));
		assert_non_null(strstr(r.out, "\n  encrypt "));
		assert_non_null(strstr(r.out, "\n  decrypt "));
		assert_non_null(strstr(r.out, "\n  inspect "));
		assert_non_null(strstr(r.out, "\n  build-id "));
		assert_non_null(strstr(r.out, "\n  lock "));
		assert_non_null(strstr(r.out, "\n  attest "));
		assert_non_null(strstr(r.out, "\n  measure "));
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

static void test_policy_help(void **state)
{
	static const char *const cmds[][2] = {
		{ "check-policy", "Usage: ioctl-cli check-policy [--canonical] FILE\n" },
		{ "load-policy", "Usage: ioctl-cli load-policy FILE\n" },
		{ "show-policy", "Usage: ioctl-cli show-policy [--json]\n" },
		{ "unload-policy", "Usage: ioctl-cli unload-policy\n" },
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		run_cli(&r, "help", cmds[i][0], NULL);
		assert_int_equal(r.ret, IOI_EXIT_OK);
		assert_ptr_equal(strstr(r.out, cmds[i][1]), r.out);
		assert_string_equal(r.err, "");
		run_free(&r);

		run_cli(&r, cmds[i][0], "--help", NULL);
		assert_int_equal(r.ret, IOI_EXIT_OK);
		assert_ptr_equal(strstr(r.out, cmds[i][1]), r.out);
		run_free(&r);

		run_cli(&r, cmds[i][0], "--bogus", NULL);
		assert_int_equal(r.ret, IOI_EXIT_USAGE);
		assert_non_null(strstr(r.err, "'--bogus'"));
		run_free(&r);
	}
}

/* A temporary file holding @text; its name goes to @path. */
static void write_tmp(char path[32], const char *text)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/test_cli.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static const char good_policy[] =
	"mode audit\n"
	"allow rw \"/data/My Models/*.pt\" # models\n"
	"encrypt wo /data/out/**\n";

static const char good_canonical[] =
	"mode audit\nscope all\ndefault deny\n"
	"allow rw \"/data/My Models/*.pt\"\n"
	"encrypt wo /data/out/**\n";

/* sha256sum of good_canonical. */
#define GOOD_SHA256 \
	"ff21dae92e8f437fb77215a968c7c8b3e6588c21189ef151d643adddfede528d"

static void test_check_policy(void **state)
{
	char path[32], *want;
	struct run r;

	(void)state;
	write_tmp(path, good_policy);
	run_cli(&r, "check-policy", path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_true(asprintf(&want, "%s: ok, 1 access rules, 1 encrypt rules, "
			     "sha256 " GOOD_SHA256 "\n", path) > 0);
	assert_string_equal(r.out, want);
	assert_string_equal(r.err, "");
	free(want);
	run_free(&r);

	run_cli(&r, "check-policy", "--canonical", path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_string_equal(r.out, good_canonical);
	run_free(&r);

	run_cli(&r, "check-policy", path, "extra", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'extra'"));
	run_free(&r);
	assert_int_equal(unlink(path), 0);

	run_cli(&r, "check-policy", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "missing policy file"));
	run_free(&r);

	run_cli(&r, "check-policy", path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_true(asprintf(&want, "%s: error: No such file or directory\n",
			     path) > 0);
	assert_string_equal(r.err, want);
	free(want);
	run_free(&r);
}

static void test_check_policy_errors(void **state)
{
	char path[32], *want;
	struct run r;

	(void)state;
	write_tmp(path, "mode audit\nallow rwz /x\ndeny /a/../b\n");
	run_cli(&r, "check-policy", path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	/* With the line and a caret. */
	assert_true(asprintf(&want,
		"%s:2:7: error: unknown access 'rwz' (expected ro, rx, rw or rwx)\n"
		"    allow rwz /x\n"
		"          ^\n"
		"%s:3:9: error: bad pattern: '..' component\n"
		"    deny /a/../b\n"
		"            ^\n", path, path) > 0);
	assert_string_equal(r.err, want);
	free(want);
	run_free(&r);

	/* load-policy stops there too: nothing is sent, no module needed. */
	run_cli(&r, "load-policy", path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_FAIL);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, ":2:7: error: unknown access 'rwz'"));
	assert_null(strstr(r.err, "module"));
	run_free(&r);
	assert_int_equal(unlink(path), 0);
}

/* build-id and lock: shown by check-policy, not in the canonical text. */
static void test_check_policy_load_directives(void **state)
{
	static const char id[] = "00112233445566778899aabbccddeeff"
				 "00112233445566778899AABBCCDDEEFF";
	char path[32], *text, *want;
	struct run r;

	(void)state;
	assert_true(asprintf(&text, "%sbuild-id %s\nlock yes\n", good_policy,
			     id) > 0);
	write_tmp(path, text);
	free(text);
	run_cli(&r, "check-policy", path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	/* The policy's line unchanged; the directives after it. */
	assert_true(asprintf(&want, "%s: ok, 1 access rules, 1 encrypt rules, "
			     "sha256 " GOOD_SHA256 "\n"
			     "build-id: 00112233445566778899aabbccddeeff"
			     "00112233445566778899aabbccddeeff\n"
			     "lock: yes\n", path) > 0);
	assert_string_equal(r.out, want);
	assert_string_equal(r.err, "");
	free(want);
	run_free(&r);

	run_cli(&r, "check-policy", "--canonical", path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_string_equal(r.out, good_canonical);
	run_free(&r);

	/* load-policy gets as far as the module. */
	run_cli(&r, "load-policy", path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_NOMOD);
	run_free(&r);
	assert_int_equal(unlink(path), 0);
}

static void test_check_policy_stdin(void **state)
{
	char path[32];
	struct run r;

	(void)state;
	write_tmp(path, good_policy);
	run_cli_stdin(&r, path, "check-policy", "-", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_string_equal(r.out, "<stdin>: ok, 1 access rules, 1 encrypt "
			    "rules, sha256 " GOOD_SHA256 "\n");
	run_free(&r);
	assert_int_equal(unlink(path), 0);
}

/* The host has no iointercept family: a good policy gets that far. */
static void test_policy_without_module(void **state)
{
	char path[32];
	struct run r;

	(void)state;
	write_tmp(path, good_policy);
	run_cli(&r, "load-policy", path, NULL);
	assert_int_equal(r.ret, IOI_EXIT_NOMOD);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "module not loaded"));
	run_free(&r);
	assert_int_equal(unlink(path), 0);

	run_cli(&r, "show-policy", NULL);
	assert_int_equal(r.ret, IOI_EXIT_NOMOD);
	run_free(&r);
	run_cli(&r, "show-policy", "--json", NULL);
	assert_int_equal(r.ret, IOI_EXIT_NOMOD);
	run_free(&r);
	run_cli(&r, "unload-policy", NULL);
	assert_int_equal(r.ret, IOI_EXIT_NOMOD);
	assert_non_null(strstr(r.err, "module not loaded"));
	run_free(&r);

	run_cli(&r, "unload-policy", "now", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	run_free(&r);
	run_cli(&r, "show-policy", "x", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	run_free(&r);
	run_cli(&r, "load-policy", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	run_free(&r);
}

static void test_stats_monitor_usage(void **state)
{
	struct run r;

	(void)state;
	run_cli(&r, "help", "stats", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_ptr_equal(strstr(r.out, "Usage: ioctl-cli stats "
				"[--json | --prometheus]\n"), r.out);
	run_free(&r);
	run_cli(&r, "monitor", "--help", NULL);
	assert_int_equal(r.ret, IOI_EXIT_OK);
	assert_ptr_equal(strstr(r.out, "Usage: ioctl-cli monitor [--json]\n"),
			 r.out);
	run_free(&r);

	/* One output format at a time. */
	run_cli(&r, "stats", "--json", "--prometheus", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "--json and --prometheus"));
	run_free(&r);
	run_cli(&r, "stats", "-jp", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	run_free(&r);

	run_cli(&r, "stats", "--bogus", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'--bogus'"));
	run_free(&r);
	run_cli(&r, "monitor", "--prometheus", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'--prometheus'"));
	run_free(&r);
	run_cli(&r, "monitor", "now", NULL);
	assert_int_equal(r.ret, IOI_EXIT_USAGE);
	assert_non_null(strstr(r.err, "'now'"));
	run_free(&r);
}

/* The host has no iointercept family: both stop there. */
static void test_stats_monitor_without_module(void **state)
{
	static const char *const argv[][2] = {
		{ "stats", NULL }, { "stats", "--prometheus" },
		{ "monitor", NULL }, { "monitor", "--json" },
	};
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(argv); i++) {
		run_cli(&r, argv[i][0], argv[i][1], NULL);
		assert_int_equal(r.ret, IOI_EXIT_NOMOD);
		assert_string_equal(r.out, "");
		assert_non_null(strstr(r.err, "module not loaded"));
		run_free(&r);
	}
}

/* An option given several times: each argument, in order, up to a limit. */
static void test_repeated_option(void **state)
{
	const char *v[2];
	struct ioi_cli_list list = { v, ARRAY_SIZE(v), 0 };
	const struct ioi_cli_multi multi[] = {
		{ "item", 'i', &list },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_spec spec = { .multi = multi };
	char *two[] = { "cmd", "--item", "a", "-ib", NULL };
	char *three[] = { "cmd", "-i", "a", "--item=b", "-i", "c", NULL };
	FILE *saved = stderr;
	char *err = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(ioi_cli_parse(4, two, &spec), -1);
	assert_int_equal(list.n, 2);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b");

	list.n = 0;
	stderr = open_memstream(&err, &len);
	assert_non_null(stderr);
	assert_int_equal(ioi_cli_parse(6, three, &spec), IOI_EXIT_USAGE);
	fclose(stderr);
	stderr = saved;
	assert_string_equal(err, "ioctl-cli cmd: --item given more than 2 "
			    "times\nSee 'ioctl-cli help cmd'.\n");
	free(err);
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
		cmocka_unit_test(test_policy_help),
		cmocka_unit_test(test_check_policy),
		cmocka_unit_test(test_check_policy_errors),
		cmocka_unit_test(test_check_policy_load_directives),
		cmocka_unit_test(test_check_policy_stdin),
		cmocka_unit_test(test_policy_without_module),
		cmocka_unit_test(test_stats_monitor_usage),
		cmocka_unit_test(test_stats_monitor_without_module),
		cmocka_unit_test(test_repeated_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
