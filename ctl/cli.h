/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioctl-cli: the subcommand dispatcher, the exit codes and the subcommands'
 * entry points. Every subcommand is `int ioi_<name>_main(argc, argv)` with
 * argv[0] set to the subcommand's name, and returns one of the IOI_EXIT_*.
 * A nested one (`key`) calls its own subcommands the same way, with
 * argv[0] their full name ("key add"), which the messages show.
 */
#ifndef IOI_CTL_CLI_H
#define IOI_CTL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define PROG_NAME "ioctl-cli"

/* Exit codes: keep in sync with the footer printed by `ioctl-cli --help`. */
enum ioi_exit {
	IOI_EXIT_OK = 0,	/* success */
	IOI_EXIT_FAIL = 1,	/* the operation failed: refused, I/O error */
	IOI_EXIT_USAGE = 2,	/* usage error: bad arguments */
	IOI_EXIT_NOMOD = 3,	/* the iointercept module is not available */
};

int ioi_cli_main(int argc, char *argv[]);

int ioi_check_policy_main(int argc, char *argv[]);
int ioi_load_policy_main(int argc, char *argv[]);
int ioi_show_policy_main(int argc, char *argv[]);
int ioi_unload_policy_main(int argc, char *argv[]);
int ioi_status_main(int argc, char *argv[]);
int ioi_stats_main(int argc, char *argv[]);
int ioi_monitor_main(int argc, char *argv[]);
int ioi_version_main(int argc, char *argv[]);
int ioi_encrypt_main(int argc, char *argv[]);
int ioi_decrypt_main(int argc, char *argv[]);
int ioi_inspect_main(int argc, char *argv[]);
int ioi_repair_main(int argc, char *argv[]);
/* `key add|generate|list|remove|id`: a subcommand with subcommands. */
int ioi_key_main(int argc, char *argv[]);
/* `build-id set|show`, likewise. */
int ioi_build_id_main(int argc, char *argv[]);
int ioi_lock_main(int argc, char *argv[]);
int ioi_measure_main(int argc, char *argv[]);
int ioi_attest_main(int argc, char *argv[]);

/* An entry of a table of subcommands. */
struct ioi_cli_cmd {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *description;	/* one line of the usage */
	/* Has subcommands of its own: `help NAME SUB` is `NAME SUB --help`. */
	bool nested;
};

/* The entry named @name among the @n of @cmds, or NULL. */
const struct ioi_cli_cmd *ioi_cli_find(const struct ioi_cli_cmd *cmds,
				       size_t n, const char *name);

/* Print "  NAME  DESCRIPTION" for each of the @n @cmds, aligned. */
void ioi_cli_list(FILE *f, const struct ioi_cli_cmd *cmds, size_t n);

/*
 * The end of the usage of a subcommand with subcommands: "Subcommands:",
 * ioi_cli_list() of them, the help line and the --help note.
 */
void ioi_cli_list_nested(FILE *f, const struct ioi_cli_cmd *cmds, size_t n);

/*
 * Report the unknown subcommand @name of @cmd (NULL: of ioctl-cli itself):
 * "ioctl-cli[ cmd]: unknown subcommand 'name'" and where the list is.
 * Returns IOI_EXIT_USAGE.
 */
int ioi_cli_unknown(const char *cmd, const char *name);

/* A subcommand's boolean option: --name or -c sets *set. */
struct ioi_cli_flag {
	const char *name;
	char c;
	bool *set;
};

/*
 * A subcommand's option with an argument (--name ARG, --name=ARG, -c ARG):
 * *value points to the argument, the last one if given twice.
 */
struct ioi_cli_value {
	const char *name;
	char c;
	const char **value;
};

/*
 * A subcommand's option with an argument that may be given several times
 * (--key-id A --key-id B): each argument, in order, into @list.
 */
struct ioi_cli_list {
	const char **v;		/* room for @max */
	size_t max;
	size_t n;
};

struct ioi_cli_multi {
	const char *name;
	char c;
	struct ioi_cli_list *list;
};

/* Options of one subcommand, of all kinds together. */
#define IOI_CLI_MAX_FLAGS 8

/*
 * Parse a subcommand's options (argv[0] is its name): the @flags, ended by
 * one with a NULL name (or @flags NULL), and --help/-h, which prints @help
 * to stdout. Then exactly one positional argument, described by @arg ("policy
 * file"), or none if @arg is NULL, which is then argv[optind]. Returns -1 to
 * go on, or the exit code to return: IOI_EXIT_OK after --help,
 * IOI_EXIT_USAGE with a message on stderr.
 */
int ioi_cli_options(int argc, char *argv[], const struct ioi_cli_flag *flags,
		    void (*help)(FILE *f), const char *arg);

/*
 * What ioi_cli_parse() accepts: ioi_cli_options()'s @flags and @help, the
 * options with an argument and those that may be repeated (each ended by
 * one with a NULL name, or NULL; more than list->max of one is a usage
 * error), and the descriptions of a fixed number of positional arguments,
 * ended by NULL (NULL: none), which are then argv[optind],
 * argv[optind + 1], ...
 */
struct ioi_cli_spec {
	const struct ioi_cli_flag *flags;
	const struct ioi_cli_value *values;
	const struct ioi_cli_multi *multi;
	void (*help)(FILE *f);
	const char *const *args;
};

/* ioi_cli_options() for any @spec; same return values. */
int ioi_cli_parse(int argc, char *argv[], const struct ioi_cli_spec *spec);

/*
 * Report an option getopt_long() rejected: @c is what it returned ('?', or
 * ':' for a missing argument when optstring starts with "+:"), with
 * opterr = 0. Prints "ioctl-cli <cmd>: ..." and a hint on stderr; returns
 * IOI_EXIT_USAGE. Subcommands set optind = 0 before parsing, so that
 * ioi_cli_main() can be called repeatedly (unit tests).
 */
int ioi_cli_bad_option(const char *cmd, char *argv[], int c);

/*
 * Report a usage error of @cmd: "ioctl-cli <cmd>: <message>" and a hint,
 * on stderr. Returns IOI_EXIT_USAGE.
 */
int ioi_cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Report unexpected positional arguments; returns IOI_EXIT_USAGE. */
int ioi_cli_extra_args(const char *cmd, const char *arg);

/* Report a missing positional argument @what; returns IOI_EXIT_USAGE. */
int ioi_cli_missing_arg(const char *cmd, const char *what);

/*
 * The body of a subcommand with subcommands, argv[0] its name ("key"):
 * run the one of the @n @cmds that argv[1] names, with argv[0] set to
 * their full name ("key add") for its messages. "--help", "-h" and "help"
 * print @usage to stdout; "help SUB" is "SUB --help". Without argv[1],
 * run @dflt, or print @usage to stderr (a usage error) if @dflt is NULL.
 * Returns an IOI_EXIT_* code.
 */
int ioi_cli_dispatch(int argc, char *argv[], const struct ioi_cli_cmd *cmds,
		     size_t n, void (*usage)(FILE *f), const char *dflt);

#endif /* IOI_CTL_CLI_H */
