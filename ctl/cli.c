// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli: the table of subcommands and the dispatcher. Kept out of main.c
 * so the unit tests can drive it.
 */
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
