// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli: the table of subcommands and the dispatcher. Kept out of main.c
 * so the unit tests can drive it.
 */
#include <assert.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *description;
} subcommands[] = {
	{ "status", ioi_status_main,
	  "Show the module's version, policy state and counters" },
	{ "load-policy", ioi_load_policy_main,
	  "Check a policy file and put it in force" },
	{ "show-policy", ioi_show_policy_main,
	  "Show the policy in force" },
	{ "unload-policy", ioi_unload_policy_main,
	  "Remove the policy in force" },
	{ "check-policy", ioi_check_policy_main,
	  "Check a policy file without loading it" },
	{ "version", ioi_version_main,
	  "Show the versions of ioctl-cli and of iointercept.ko" },
};

static void show_usage(FILE *file)
{
	size_t i;

	fprintf(file, "Usage: %s <cmd> [<args>]\n\n", PROG_NAME);
	fprintf(file, "Control the iointercept kernel module.\n\n");
	fprintf(file, "Available subcommands:\n");
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(file, "  %-15s%s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(file, "  %-15s%s\n", "help",
		"Show this message, or a subcommand's help: help <cmd>");
	fprintf(file,
		"\nEach subcommand takes --help for its own options.\n\n"
		"Exit status:\n"
		"  %d  success\n"
		"  %d  the operation failed (the kernel refused it, I/O error)\n"
		"  %d  usage error (bad arguments)\n"
		"  %d  the iointercept module is not loaded or not available\n",
		IOI_EXIT_OK, IOI_EXIT_FAIL, IOI_EXIT_USAGE, IOI_EXIT_NOMOD);
}

static int find_subcommand(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (!strcmp(name, subcommands[i].name))
			return (int)i;
	return -1;
}

static int unknown_subcommand(const char *name)
{
	fprintf(stderr, "%s: unknown subcommand '%s'\n", PROG_NAME, name);
	fprintf(stderr, "See '%s --help' for the list of subcommands.\n",
		PROG_NAME);
	return IOI_EXIT_USAGE;
}

/* `help [<cmd>]` */
static int help_main(int argc, char *argv[])
{
	char *sub_argv[3];
	int i;

	if (argc < 2) {
		show_usage(stdout);
		return IOI_EXIT_OK;
	}
	if (argc > 2)
		return ioi_cli_extra_args("help", argv[2]);

	i = find_subcommand(argv[1]);
	if (i < 0)
		return unknown_subcommand(argv[1]);

	sub_argv[0] = argv[1];
	sub_argv[1] = "--help";
	sub_argv[2] = NULL;
	return subcommands[i].fn(2, sub_argv);
}

int ioi_cli_options(int argc, char *argv[], const struct ioi_cli_flag *flags,
		    void (*help)(FILE *f), const char *arg)
{
	struct option opts[IOI_CLI_MAX_FLAGS + 2];
	char optstring[IOI_CLI_MAX_FLAGS + 4] = "+:h";
	const char *cmd = argv[0];
	size_t n, i;
	int c;

	for (n = 0; flags && flags[n].name; n++) {
		assert(n < IOI_CLI_MAX_FLAGS);
		opts[n] = (struct option){ flags[n].name, no_argument, NULL,
					   flags[n].c };
		optstring[3 + n] = flags[n].c;
	}
	optstring[3 + n] = '\0';
	opts[n] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n + 1] = (struct option){ NULL, 0, NULL, 0 };

	/* optind = 0: ioi_cli_main() may run again (unit tests). */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, opts, NULL)) != -1) {
		if (c == 'h') {
			help(stdout);
			return IOI_EXIT_OK;
		}
		for (i = 0; i < n && flags[i].c != c; i++)
			;
		if (i == n)
			return ioi_cli_bad_option(cmd, argv, c);
		*flags[i].set = true;
	}
	if (!arg) {
		if (optind < argc)
			return ioi_cli_extra_args(cmd, argv[optind]);
		return -1;
	}
	if (optind >= argc)
		return ioi_cli_missing_arg(cmd, arg);
	if (optind + 1 < argc)
		return ioi_cli_extra_args(cmd, argv[optind + 1]);
	return -1;
}

int ioi_cli_bad_option(const char *cmd, char *argv[], int c)
{
	const char *what = c == ':' ? "option needs an argument" :
				      "invalid option";
	const char *arg = argv[optind - 1];

	/* A long option is the whole word; a short one may be in a cluster. */
	if (!strncmp(arg, "--", 2) || !optopt)
		fprintf(stderr, "%s %s: %s '%s'\n", PROG_NAME, cmd, what, arg);
	else
		fprintf(stderr, "%s %s: %s '-%c'\n", PROG_NAME, cmd, what,
			optopt);
	fprintf(stderr, "See '%s help %s'.\n", PROG_NAME, cmd);
	return IOI_EXIT_USAGE;
}

int ioi_cli_extra_args(const char *cmd, const char *arg)
{
	fprintf(stderr, "%s %s: unexpected argument '%s'\n", PROG_NAME, cmd,
		arg);
	fprintf(stderr, "See '%s help %s'.\n", PROG_NAME, cmd);
	return IOI_EXIT_USAGE;
}

int ioi_cli_missing_arg(const char *cmd, const char *what)
{
	fprintf(stderr, "%s %s: missing %s\n", PROG_NAME, cmd, what);
	fprintf(stderr, "See '%s help %s'.\n", PROG_NAME, cmd);
	return IOI_EXIT_USAGE;
}

static int finish(int ret)
{
	/* A full disk or a closed pipe must not look like success. */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: error writing output: %m\n", PROG_NAME);
		clearerr(stdout);
		if (ret == IOI_EXIT_OK)
			ret = IOI_EXIT_FAIL;
	}
	return ret;
}

int ioi_cli_main(int argc, char *argv[])
{
	const char *cmd;
	int i;

	if (argc < 2) {
		show_usage(stderr);
		return IOI_EXIT_USAGE;
	}

	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
		return finish(help_main(1, argv + 1));
	if (!strcmp(cmd, "help"))
		return finish(help_main(argc - 1, argv + 1));

	i = find_subcommand(cmd);
	if (i < 0)
		return unknown_subcommand(cmd);
	return finish(subcommands[i].fn(argc - 1, argv + 1));
}
