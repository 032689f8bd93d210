// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli: the table of subcommands and the dispatcher. Kept out of main.c
 * so the unit tests can drive it.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static const struct ioi_cli_cmd subcommands[] = {
	{ "status", ioi_status_main,
	  "Show the module's version, policy state and totals", false },
	{ "stats", ioi_stats_main,
	  "Show every counter, as text, JSON or for Prometheus", false },
	{ "monitor", ioi_monitor_main,
	  "Print the module's events as they happen", false },
	{ "load-policy", ioi_load_policy_main,
	  "Check a policy file and put it in force", false },
	{ "show-policy", ioi_show_policy_main,
	  "Show the policy in force", false },
	{ "unload-policy", ioi_unload_policy_main,
	  "Remove the policy in force", false },
	{ "check-policy", ioi_check_policy_main,
	  "Check a policy file without loading it", false },
	{ "key", ioi_key_main,
	  "Add, generate, list and remove the module's master keys", true },
	{ "build-id", ioi_build_id_main,
	  "Set or show the build ID of the workload, for the measurement",
	  true },
	{ "lock", ioi_lock_main,
	  "Forbid changes of policy, keys and build ID until reboot", false },
	{ "attest", ioi_attest_main,
	  "Show the measurement; bind it into a TEE report with --out",
	  false },
	{ "measure", ioi_measure_main,
	  "Compute the expected measurement from a policy file (no module)",
	  false },
	{ "version", ioi_version_main,
	  "Show the versions of ioctl-cli and of iointercept.ko", false },
	{ "encrypt", ioi_encrypt_main,
	  "Encrypt a file into the format of encrypt rules (no module)",
	  false },
	{ "decrypt", ioi_decrypt_main,
	  "Decrypt and verify an encrypted file (no module)", false },
	{ "inspect", ioi_inspect_main,
	  "Show an encrypted file's header and sizes; verify it with --key",
	  false },
	{ "repair", ioi_repair_main,
	  "Give an encrypted file an end again after a crash (no module)",
	  false },
};

const struct ioi_cli_cmd *ioi_cli_find(const struct ioi_cli_cmd *cmds,
				       size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, cmds[i].name))
			return &cmds[i];
	return NULL;
}

void ioi_cli_list(FILE *f, const struct ioi_cli_cmd *cmds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "  %-15s%s\n", cmds[i].name, cmds[i].description);
}

void ioi_cli_list_nested(FILE *f, const struct ioi_cli_cmd *cmds, size_t n)
{
	fputs("Subcommands:\n", f);
	ioi_cli_list(f, cmds, n);
	fprintf(f, "  %-15s%s\n", "help",
		"Show this message, or a subcommand's help: help <subcommand>");
	fprintf(f, "\nEach subcommand takes --help for its own options.\n");
}

int ioi_cli_unknown(const char *cmd, const char *name)
{
	const char *sep = cmd ? " " : "";

	cmd = cmd ? cmd : "";
	fprintf(stderr, "%s%s%s: unknown subcommand '%s'\n", PROG_NAME, sep,
		cmd, name);
	fprintf(stderr, "See '%s%s%s --help' for the list of subcommands.\n",
		PROG_NAME, sep, cmd);
	return IOI_EXIT_USAGE;
}

static void show_usage(FILE *file)
{
	fprintf(file, "Usage: %s <cmd> [<args>]\n\n", PROG_NAME);
	fprintf(file, "Control the iointercept kernel module, and read and write "
		"its encrypted\nfiles.\n\n");
	fprintf(file, "Available subcommands:\n");
	ioi_cli_list(file, subcommands, ARRAY_SIZE(subcommands));
	fprintf(file, "  %-15s%s\n", "help",
		"Show this message, or a subcommand's help: help <cmd>");
	fprintf(file,
		"\nEach subcommand takes --help for its own options.\n\n"
		"Exit status:\n"
		"  %d  success\n"
		"  %d  the operation failed (the kernel refused it, I/O error,\n"
		"     a file that is not valid or does not verify)\n"
		"  %d  usage error (bad arguments)\n"
		"  %d  the iointercept module is not loaded or not available\n",
		IOI_EXIT_OK, IOI_EXIT_FAIL, IOI_EXIT_USAGE, IOI_EXIT_NOMOD);
}

/* `help [<cmd> [<subcmd>]]`, the last for a nested <cmd> only */
static int help_main(int argc, char *argv[])
{
	const struct ioi_cli_cmd *c;
	char *sub_argv[4];
	int max, i;

	if (argc < 2) {
		show_usage(stdout);
		return IOI_EXIT_OK;
	}
	if (argc > 3)
		return ioi_cli_extra_args("help", argv[3]);

	c = ioi_cli_find(subcommands, ARRAY_SIZE(subcommands), argv[1]);
	if (!c)
		return ioi_cli_unknown(NULL, argv[1]);
	max = c->nested ? 3 : 2;
	if (argc > max)
		return ioi_cli_extra_args("help", argv[max]);

	/* <cmd> [<subcmd>] --help */
	for (i = 1; i < argc; i++)
		sub_argv[i - 1] = argv[i];
	sub_argv[argc - 1] = "--help";
	sub_argv[argc] = NULL;
	return c->fn(argc, sub_argv);
}

/* The getopt_long() tables of @spec; false if it has too many options. */
static bool build_options(const struct ioi_cli_spec *spec,
			  struct option *opts, char *optstring)
{
	const struct ioi_cli_flag *f = spec->flags;
	const struct ioi_cli_value *v = spec->values;
	const struct ioi_cli_multi *m = spec->multi;
	size_t n = 0, len;

	/* A literal into the caller's room for every option: bounded. */
	strcpy(optstring, "+:h"); /* NOLINT(clang-analyzer-security.insecureAPI.strcpy) */
	len = strlen(optstring);
	for (; f && f->name; f++, n++) {
		if (n == IOI_CLI_MAX_FLAGS)
			return false;
		opts[n] = (struct option){ f->name, no_argument, NULL, f->c };
		optstring[len++] = f->c;
	}
	for (; v && v->name; v++, n++) {
		if (n == IOI_CLI_MAX_FLAGS)
			return false;
		opts[n] = (struct option){ v->name, required_argument, NULL,
					   v->c };
		optstring[len++] = v->c;
		optstring[len++] = ':';
	}
	for (; m && m->name; m++, n++) {
		if (n == IOI_CLI_MAX_FLAGS)
			return false;
		opts[n] = (struct option){ m->name, required_argument, NULL,
					   m->c };
		optstring[len++] = m->c;
		optstring[len++] = ':';
	}
	optstring[len] = '\0';
	opts[n] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	return true;
}

/*
 * Record option @c of @spec. Returns -1 to go on, or the exit code after
 * reporting an option that is not one of them or is given too often.
 */
static int take_option(const struct ioi_cli_spec *spec, char *argv[], int c)
{
	const struct ioi_cli_flag *f;
	const struct ioi_cli_value *v;
	const struct ioi_cli_multi *m;

	for (f = spec->flags; f && f->name; f++) {
		if (f->c == c) {
			*f->set = true;
			return -1;
		}
	}
	for (v = spec->values; v && v->name; v++) {
		if (v->c == c) {
			*v->value = optarg;
			return -1;
		}
	}
	for (m = spec->multi; m && m->name; m++) {
		if (m->c != c)
			continue;
		if (m->list->n == m->list->max)
			return ioi_cli_usage_error(argv[0],
				"--%s given more than %zu times", m->name,
				m->list->max);
		m->list->v[m->list->n++] = optarg;
		return -1;
	}
	return ioi_cli_bad_option(argv[0], argv, c);
}

int ioi_cli_parse(int argc, char *argv[], const struct ioi_cli_spec *spec)
{
	struct option opts[IOI_CLI_MAX_FLAGS + 2];
	char optstring[2 * IOI_CLI_MAX_FLAGS + 4];
	const char *cmd = argv[0];
	size_t i;
	int c, ret;

	/* More than IOI_CLI_MAX_FLAGS options is a bug of the caller. */
	if (!build_options(spec, opts, optstring))
		abort();

	/* optind = 0: ioi_cli_main() may run again (unit tests). */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, opts, NULL)) != -1) {
		if (c == 'h') {
			spec->help(stdout);
			return IOI_EXIT_OK;
		}
		if (c == '?' || c == ':')
			return ioi_cli_bad_option(cmd, argv, c);
		ret = take_option(spec, argv, c);
		if (ret >= 0)
			return ret;
	}
	for (i = 0; spec->args && spec->args[i]; i++)
		if (optind + (int)i >= argc)
			return ioi_cli_missing_arg(cmd, spec->args[i]);
	if (optind + (int)i < argc)
		return ioi_cli_extra_args(cmd, argv[optind + (int)i]);
	return -1;
}

int ioi_cli_options(int argc, char *argv[], const struct ioi_cli_flag *flags,
		    void (*help)(FILE *f), const char *arg)
{
	const char *args[] = { arg, NULL };
	const struct ioi_cli_spec spec = {
		.flags = flags,
		.help = help,
		.args = args,
	};

	return ioi_cli_parse(argc, argv, &spec);
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

int ioi_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s %s: ", PROG_NAME, cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nSee '%s help %s'.\n", PROG_NAME, cmd);
	return IOI_EXIT_USAGE;
}

int ioi_cli_extra_args(const char *cmd, const char *arg)
{
	return ioi_cli_usage_error(cmd, "unexpected argument '%s'", arg);
}

int ioi_cli_missing_arg(const char *cmd, const char *what)
{
	return ioi_cli_usage_error(cmd, "missing %s", what);
}

int ioi_cli_dispatch(int argc, char *argv[], const struct ioi_cli_cmd *cmds,
		     size_t n, void (*usage)(FILE *f), const char *dflt)
{
	char name[64];
	const struct ioi_cli_cmd *c;
	char *sub_argv[3];
	const char *sub;
	bool help;

	if (argc < 2 && !dflt) {
		usage(stderr);
		return IOI_EXIT_USAGE;
	}
	sub = argc < 2 ? dflt : argv[1];
	help = !strcmp(sub, "help");
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") ||
	    (help && argc == 2)) {
		usage(stdout);
		return IOI_EXIT_OK;
	}
	/* `NAME help SUB` */
	if (help) {
		if (argc > 3)
			return ioi_cli_extra_args(argv[0], argv[3]);
		sub = argv[2];
	}

	c = ioi_cli_find(cmds, n, sub);
	if (!c)
		return ioi_cli_unknown(argv[0], sub);
	/* Its messages name it "NAME SUB". */
	snprintf(name, sizeof(name), "%s %s", argv[0], c->name);
	if (help || argc < 2) {
		sub_argv[0] = name;
		sub_argv[1] = help ? "--help" : NULL;
		sub_argv[2] = NULL;
		return c->fn(help ? 2 : 1, sub_argv);
	}
	argv[1] = name;
	return c->fn(argc - 1, argv + 1);
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
	const struct ioi_cli_cmd *c;
	const char *cmd;

	if (argc < 2) {
		show_usage(stderr);
		return IOI_EXIT_USAGE;
	}

	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
		return finish(help_main(1, argv + 1));
	if (!strcmp(cmd, "help"))
		return finish(help_main(argc - 1, argv + 1));

	c = ioi_cli_find(subcommands, ARRAY_SIZE(subcommands), cmd);
	if (!c)
		return ioi_cli_unknown(NULL, cmd);
	return finish(c->fn(argc - 1, argv + 1));
}
