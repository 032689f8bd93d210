// SPDX-License-Identifier: GPL-2.0
/*
 * The policy file parser: text to struct ioi_policy, with an error for
 * each bad line. See policy.h for the interface and docs/policy.md for the
 * language.
 *
 * The parser works line by line: split the line into at most four tokens
 * (a keyword, up to two arguments, and one more to complain about), then
 * check them left to right. The first problem on a line is reported and
 * the rest of the line skipped, so one mistake gives one message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "policy.h"
#include "util.h"

/* The words of the language, also used to write them (names below). */

#define MAX_TOKENS	4
#define CONTEXT_MAX	256	/* longer lines get no caret context */
#define SHOW_MAX	40	/* bytes of a token quoted in a message */

struct name {
	const char *s;
	uint8_t v;
};

static const struct name mode_names[] = {
	{ "enforce", IOI_MODE_ENFORCE },
	{ "audit", IOI_MODE_AUDIT },
};

static const struct name scope_names[] = {
	{ "all", IOI_SCOPE_ALL },
	{ "cgroup", IOI_SCOPE_CGROUP },
};

static const struct name default_names[] = {
	{ "deny", IOI_DEFAULT_DENY },
	{ "allow", IOI_DEFAULT_ALLOW },
};

static const struct name on_plaintext_names[] = {
	{ "refuse", IOI_ON_PLAINTEXT_REFUSE },
	{ "allow", IOI_ON_PLAINTEXT_ALLOW },
};

static const struct name log_paths_names[] = {
	{ "full", IOI_LOG_PATHS_FULL },
	{ "redact", IOI_LOG_PATHS_REDACT },
};

static const struct name yes_no_names[] = {
	{ "no", 0 },
	{ "yes", 1 },
};

static const struct name access_names[] = {
	{ "ro", IOI_ACCESS_RO },
	{ "rx", IOI_ACCESS_RX },
	{ "rw", IOI_ACCESS_RW },
	{ "rwx", IOI_ACCESS_RWX },
};

static const struct name encrypt_names[] = {
	{ "rw", IOI_ENCRYPT_RW },
	{ "wo", IOI_ENCRYPT_WO },
};

static const struct name kind_names[] = {
	{ "system", IOI_RULE_SYSTEM },
	{ "tmpfs", IOI_RULE_TMPFS },
	{ "allow", IOI_RULE_ALLOW },
	{ "deny", IOI_RULE_DENY },
	{ "encrypt", IOI_RULE_ENCRYPT },
};

/* An argument that is one of a few words. */
struct choice {
	const char *what;	/* "access" */
	const char *expected;	/* "ro, rx, rw or rwx" */
	const struct name *names;
	size_t n;
};

#define CHOICE(what, expected, names) \
	{ what, expected, names, ARRAY_SIZE(names) }

static const struct choice mode_choice =
	CHOICE("mode", "enforce or audit", mode_names);
static const struct choice scope_choice =
	CHOICE("scope", "all or cgroup", scope_names);
static const struct choice default_choice =
	CHOICE("default", "deny or allow", default_names);
static const struct choice on_plaintext_choice =
	CHOICE("on-plaintext", "refuse or allow", on_plaintext_names);
static const struct choice log_paths_choice =
	CHOICE("log-paths", "full or redact", log_paths_names);
static const struct choice require_tee_choice =
	CHOICE("require-tee", "yes or no", yes_no_names);
static const struct choice lock_choice =
	CHOICE("lock", "yes or no", yes_no_names);
static const struct choice access_choice =
	CHOICE("access", "ro, rx, rw or rwx", access_names);
static const struct choice encrypt_choice =
	CHOICE("encrypt mode", "rw or wo", encrypt_names);

static const char *name_of(const struct name *names, size_t n, uint8_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i].v == v)
			return names[i].s;
	return "?";
}

const char *ioi_policy_mode_name(uint8_t mode)
{
	return name_of(mode_names, ARRAY_SIZE(mode_names), mode);
}

const char *ioi_policy_on_plaintext_name(uint8_t v)
{
	return name_of(on_plaintext_names, ARRAY_SIZE(on_plaintext_names), v);
}

const char *ioi_policy_log_paths_name(uint8_t v)
{
	return name_of(log_paths_names, ARRAY_SIZE(log_paths_names), v);
}

const char *ioi_policy_default_name(uint8_t dflt)
{
	return name_of(default_names, ARRAY_SIZE(default_names), dflt);
}

const char *ioi_policy_kind_name(uint8_t kind)
{
	return name_of(kind_names, ARRAY_SIZE(kind_names), kind);
}

const char *ioi_policy_access_name(uint8_t access)
{
	return name_of(access_names, ARRAY_SIZE(access_names), access);
}

const char *ioi_policy_encrypt_name(uint8_t mode)
{
	return name_of(encrypt_names, ARRAY_SIZE(encrypt_names), mode);
}

const char *ioi_policy_yes_no(bool v)
{
	return name_of(yes_no_names, ARRAY_SIZE(yes_no_names), v);
}

/* Parser */

struct token {
	const char *raw;	/* in the line, quotes included */
	size_t col;		/* 1-based column of raw[0] */
	bool quoted;
	char *val;		/* unescaped and NUL-terminated, in scratch */
	size_t len;		/* of val */
};

struct parser {
	struct ioi_policy *p;
	const char *name;
	unsigned int flags;
	FILE *err;
	unsigned int errors;
	bool stopped;		/* too many errors */
	int oom;		/* -ENOMEM once out of memory */

	const char *line;	/* the current line, without its '\n' */
	size_t linelen;
	unsigned int lineno;
	struct token tok[MAX_TOKENS];
	unsigned int ntok;
	size_t end_col;		/* the column just past the last token */
	char *scratch;		/* the tokens' values */

	/*
	 * Line of each directive, 0 while not seen; those of build-id and
	 * lock are in p->load.
	 */
	unsigned int mode_line, scope_line, default_line, on_plaintext_line;
	unsigned int log_paths_line, require_tee_line;
	/* Rule lines seen, good or bad, to report the first one too many. */
	size_t access_lines, encrypt_lines;
	char show[4 * SHOW_MAX + 4];
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* The line again, and a caret under @col, as compilers do. */
static void show_context(struct parser *ps, size_t col)
{
	const unsigned char *s = (const unsigned char *)ps->line;
	FILE *f = ps->err;
	size_t i;

	if (ps->linelen > CONTEXT_MAX)
		return;
	fputs("    ", f);
	for (i = 0; i < ps->linelen; i++) {
		if (s[i] == '\t')
			fputc('\t', f);
		else if (is_ctl(s[i]))
			fprintf(f, "\\x%02x", s[i]);
		else
			fputc(s[i], f);
	}
	fputs("\n    ", f);
	/* Same width as above: tabs stay tabs, one space per character. */
	for (i = 0; i + 1 < col && i < ps->linelen; i++) {
		if (s[i] == '\t')
			fputc('\t', f);
		else if (is_ctl(s[i]))
			fputs("    ", f);
		else if ((s[i] & 0xc0) != 0x80)	/* a UTF-8 character */
			fputc(' ', f);
	}
	fputs("^\n", f);
}

/* Count an error; false if it must not be printed (too many already). */
static bool count_error(struct parser *ps)
{
	if (ps->stopped)
		return false;
	if (ps->errors == IOI_POLICY_MAX_ERRORS) {
		fprintf(ps->err,
			"%s: note: too many errors, stopping after %d\n",
			ps->name, IOI_POLICY_MAX_ERRORS);
		ps->stopped = true;
		return false;
	}
	ps->errors++;
	return true;
}

__attribute__((format(printf, 3, 4)))
static void error_at(struct parser *ps, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (!count_error(ps))
		return;
	fprintf(ps->err, "%s:%u:%zu: error: ", ps->name, ps->lineno, col);
	va_start(ap, fmt);
	vfprintf(ps->err, fmt, ap);
	va_end(ap);
	fputc('\n', ps->err);
	if (ps->flags & IOI_POLICY_F_CONTEXT)
		show_context(ps, col);
}

/* An error about the whole policy: "NAME: error: ...". */
__attribute__((format(printf, 2, 3)))
static void error_file(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (!count_error(ps))
		return;
	fprintf(ps->err, "%s: error: ", ps->name);
	va_start(ap, fmt);
	vfprintf(ps->err, fmt, ap);
	va_end(ap);
	fputc('\n', ps->err);
}

/* @t's value for a message: control bytes escaped, long ones cut. */
static const char *show(struct parser *ps, const struct token *t)
{
	const unsigned char *s = (const unsigned char *)t->val;
	char *out = ps->show;
	size_t i;

	for (i = 0; i < t->len && i < SHOW_MAX; i++) {
		if (is_ctl(s[i]))
			out += sprintf(out, "\\x%02x", s[i]);
		else
			*out++ = (char)s[i];
	}
	if (i < t->len)
		out = stpcpy(out, "...");
	*out = '\0';
	return ps->show;
}

/* Column of byte @off of @t's value, counting the quote and escapes. */
static size_t col_of(const struct token *t, size_t off)
{
	size_t r, i;

	if (!t->quoted)
		return t->col + off;
	for (r = 1, i = 0; i < off && i < t->len; i++)
		r += t->raw[r] == '\\' ? 2 : 1;
	return t->col + r;
}

/*
 * The quoted token @t opens at ps->line[*@i]: copy its value to *@out and
 * move *@i past the closing quote. \" and \\ are the only escapes. False
 * after reporting an error.
 */
static bool scan_quoted(struct parser *ps, const struct token *t, size_t *i,
			char **out)
{
	const char *s = ps->line;
	size_t n = ps->linelen, k;

	for (k = *i + 1; k < n && s[k] != '"'; k++) {
		if (s[k] == '\\' && k + 1 < n) {
			if (s[k + 1] != '"' && s[k + 1] != '\\') {
				error_at(ps, k + 1,
					 "unknown escape in a quoted string (only \\\" and \\\\)");
				return false;
			}
			k++;
		}
		*(*out)++ = s[k];
	}
	if (k >= n) {
		error_at(ps, t->col, "unterminated quoted string");
		return false;
	}
	k++;
	if (k < n && !is_blank(s[k])) {
		error_at(ps, k + 1, "expected a space after the closing quote");
		return false;
	}
	*i = k;
	return true;
}

/*
 * Split the line into tokens, at most MAX_TOKENS. A '#' at the start of a
 * token begins a comment; a '"' begins a quoted token. False after
 * reporting a malformed token.
 */
static bool tokenize(struct parser *ps)
{
	const char *s = ps->line;
	size_t n = ps->linelen, i = 0;
	char *out = ps->scratch;
	struct token *t;

	ps->ntok = 0;
	ps->end_col = 1;
	while (ps->ntok < MAX_TOKENS) {
		while (i < n && is_blank(s[i]))
			i++;
		if (i >= n || s[i] == '#')
			break;
		t = &ps->tok[ps->ntok++];
		t->raw = s + i;
		t->col = i + 1;
		t->val = out;
		t->quoted = s[i] == '"';
		if (t->quoted && !scan_quoted(ps, t, &i, &out))
			return false;
		for (; !t->quoted && i < n && !is_blank(s[i]); i++) {
			if (s[i] == '"') {
				error_at(ps, i + 1,
					 "'\"' inside a word (quote the whole pattern)");
				return false;
			}
			*out++ = s[i];
		}
		t->len = (size_t)(out - t->val);
		*out++ = '\0';
		ps->end_col = i + 1;
	}
	return true;
}

/* A keyword or a choice may not be quoted. */
static bool unquoted(struct parser *ps, const struct token *t)
{
	if (!t->quoted)
		return true;
	error_at(ps, t->col,
		 "quotes are only allowed around a pattern or a cgroup path");
	return false;
}

/* Argument @i, or NULL after reporting that it is missing. */
static const struct token *arg(struct parser *ps, unsigned int i,
			       const char *what, const char *expected)
{
	if (i < ps->ntok)
		return &ps->tok[i];
	if (expected)
		error_at(ps, ps->end_col, "missing %s (expected %s)", what,
			 expected);
	else
		error_at(ps, ps->end_col, "missing %s", what);
	return NULL;
}

/* Nothing may follow argument @i - 1. */
static bool no_more(struct parser *ps, unsigned int i, const char *hint)
{
	if (i >= ps->ntok)
		return true;
	error_at(ps, ps->tok[i].col, "unexpected '%s'%s",
		 show(ps, &ps->tok[i]), hint);
	return false;
}

static bool get_choice(struct parser *ps, unsigned int i,
		       const struct choice *c, uint8_t *v)
{
	const struct token *t = arg(ps, i, c->what, c->expected);
	size_t k;

	if (!t || !unquoted(ps, t))
		return false;
	for (k = 0; k < c->n; k++) {
		if (!strcmp(t->val, c->names[k].s)) {
			*v = c->names[k].v;
			return true;
		}
	}
	error_at(ps, t->col, "unknown %s '%s' (expected %s)", c->what,
		 show(ps, t), c->expected);
	return false;
}

static bool check_pattern(struct parser *ps, const struct token *t)
{
	const char *why = "invalid";
	size_t off = 0;

	if (t->len >= IOI_PATTERN_MAX) {
		error_at(ps, col_of(t, IOI_PATTERN_MAX - 1),
			 "pattern longer than %d bytes", IOI_PATTERN_MAX - 1);
		return false;
	}
	if (ioi_pattern_check(t->val, &off, &why)) {
		error_at(ps, col_of(t, off < t->len ? off : t->len),
			 "bad pattern: %s", why);
		return false;
	}
	return true;
}

/* Absolute, components as in a pattern, no wildcard. */
static bool check_cgroup(struct parser *ps, const struct token *t)
{
	const char *why = "invalid";
	size_t off = 0;

	if (t->len >= IOI_CGROUP_PATH_MAX) {
		error_at(ps, col_of(t, IOI_CGROUP_PATH_MAX - 1),
			 "cgroup path longer than %d bytes",
			 IOI_CGROUP_PATH_MAX - 1);
		return false;
	}
	if (ioi_pattern_check(t->val, &off, &why)) {
		error_at(ps, col_of(t, off < t->len ? off : t->len),
			 "bad cgroup path: %s", why);
		return false;
	}
	/* The literal prefix stops before the component with a wildcard. */
	off = ioi_pattern_prefix_len(t->val);
	if (off < t->len) {
		off += strcspn(t->val + off, "*?[");
		error_at(ps, col_of(t, off),
			 "bad cgroup path: wildcards are not allowed");
		return false;
	}
	return true;
}

/* A directive may be given once; *@seen is the line it was first on. */
static bool first_time(struct parser *ps, unsigned int *seen)
{
	if (*seen) {
		error_at(ps, ps->tok[0].col,
			 "'%s' given twice (first on line %u)", ps->tok[0].val,
			 *seen);
		return false;
	}
	*seen = ps->lineno;
	return true;
}

static void parse_mode(struct parser *ps)
{
	uint8_t v;

	if (first_time(ps, &ps->mode_line) &&
	    get_choice(ps, 1, &mode_choice, &v) && no_more(ps, 2, ""))
		ps->p->mode = v;
}

static void parse_default(struct parser *ps)
{
	uint8_t v;

	if (first_time(ps, &ps->default_line) &&
	    get_choice(ps, 1, &default_choice, &v) && no_more(ps, 2, ""))
		ps->p->dflt = v;
}

static void parse_on_plaintext(struct parser *ps)
{
	uint8_t v;

	if (first_time(ps, &ps->on_plaintext_line) &&
	    get_choice(ps, 1, &on_plaintext_choice, &v) && no_more(ps, 2, ""))
		ps->p->on_plaintext = v;
}

static void parse_log_paths(struct parser *ps)
{
	uint8_t v;

	if (first_time(ps, &ps->log_paths_line) &&
	    get_choice(ps, 1, &log_paths_choice, &v) && no_more(ps, 2, ""))
		ps->p->log_paths = v;
}

static void parse_require_tee(struct parser *ps)
{
	uint8_t v;

	if (first_time(ps, &ps->require_tee_line) &&
	    get_choice(ps, 1, &require_tee_choice, &v) && no_more(ps, 2, ""))
		ps->p->require_tee = v;
}

/* A load directive, not part of the policy: see struct ioi_policy_load. */
static void parse_lock(struct parser *ps)
{
	uint8_t v;

	if (first_time(ps, &ps->p->load.lock_line) &&
	    get_choice(ps, 1, &lock_choice, &v) && no_more(ps, 2, ""))
		ps->p->load.lock = v;
}

/* Likewise: exactly IOI_BUILD_ID_SIZE bytes in hex. */
static void parse_build_id(struct parser *ps)
{
	struct ioi_policy_load *load = &ps->p->load;
	char msg[IOI_HEX_MSG_SIZE];
	const struct token *t;
	size_t bad;

	if (!first_time(ps, &load->build_id_line))
		return;
	t = arg(ps, 1, "build ID", "64 hex digits");
	if (!t || !unquoted(ps, t))
		return;
	if (ioi_hex_arg("build ID", t->val, load->build_id,
			sizeof(load->build_id), true, NULL, &bad, msg)) {
		error_at(ps, t->col + bad, "%s", msg);
		return;
	}
	if (no_more(ps, 2, ""))
		load->has_build_id = true;
}

static void parse_scope(struct parser *ps)
{
	const struct token *t;
	uint8_t v;

	if (!first_time(ps, &ps->scope_line) ||
	    !get_choice(ps, 1, &scope_choice, &v))
		return;
	if (v == IOI_SCOPE_ALL) {
		if (no_more(ps, 2, ""))
			ps->p->scope = v;
		return;
	}
	t = arg(ps, 2, "cgroup path", NULL);
	if (!t || !check_cgroup(ps, t) ||
	    !no_more(ps, 3, " (quote a cgroup path that contains spaces)"))
		return;
	ps->p->cgroup = strdup(t->val);
	if (!ps->p->cgroup) {
		ps->oom = -ENOMEM;
		return;
	}
	ps->p->scope = v;
	ps->p->scope_line = ps->lineno;
}

static void parse_rule(struct parser *ps, uint8_t kind)
{
	bool enc = kind == IOI_RULE_ENCRYPT;
	size_t *lines = enc ? &ps->encrypt_lines : &ps->access_lines;
	size_t max = enc ? IOI_MAX_ENCRYPT_RULES : IOI_MAX_ACCESS_RULES;
	const struct token *t;
	unsigned int i = 1;
	uint8_t access = 0;
	bool add = true;
	int ret;

	/* Report the first rule too many; check the ones after it. */
	if (++*lines > max) {
		if (*lines == max + 1) {
			error_at(ps, ps->tok[0].col, "more than %zu %s rules",
				 max, enc ? "encrypt" : "access");
			return;
		}
		add = false;
	}

	if (kind == IOI_RULE_ALLOW || enc) {
		if (!get_choice(ps, i++, enc ? &encrypt_choice : &access_choice,
				&access))
			return;
	}
	t = arg(ps, i++, "pattern", NULL);
	if (!t || !check_pattern(ps, t) ||
	    !no_more(ps, i, " (quote a pattern that contains spaces)"))
		return;
	if (!add)
		return;

	ret = ioi_policy_add_rule(ps->p, kind, access, t->val, ps->lineno);
	if (ret == -ENOMEM)
		ps->oom = ret;
}

static void parse_line(struct parser *ps)
{
	static const struct {
		const char *kw;
		void (*fn)(struct parser *ps);
		uint8_t kind;	/* for a rule, with fn NULL */
	} keywords[] = {
		{ "mode", parse_mode, 0 },
		{ "scope", parse_scope, 0 },
		{ "default", parse_default, 0 },
		{ "on-plaintext", parse_on_plaintext, 0 },
		{ "log-paths", parse_log_paths, 0 },
		{ "require-tee", parse_require_tee, 0 },
		{ "build-id", parse_build_id, 0 },
		{ "lock", parse_lock, 0 },
		{ "system", NULL, IOI_RULE_SYSTEM },
		{ "tmpfs", NULL, IOI_RULE_TMPFS },
		{ "allow", NULL, IOI_RULE_ALLOW },
		{ "deny", NULL, IOI_RULE_DENY },
		{ "encrypt", NULL, IOI_RULE_ENCRYPT },
	};
	const struct token *t = &ps->tok[0];
	size_t i;

	if (!unquoted(ps, t))
		return;
	for (i = 0; i < ARRAY_SIZE(keywords); i++) {
		if (strcmp(t->val, keywords[i].kw))
			continue;
		if (keywords[i].fn)
			keywords[i].fn(ps);
		else
			parse_rule(ps, keywords[i].kind);
		return;
	}
	error_at(ps, t->col, "unknown directive '%s'", show(ps, t));
}

/* Limits on the whole policy, once every line is good. */
static int check_size(struct parser *ps)
{
	size_t len, nl_len;
	char *text;
	int ret;

	ret = ioi_policy_canonical(ps->p, &text, &len);
	if (ret)
		return ret;
	free(text);
	if (len > IOI_POLICY_TEXT_MAX)
		error_file(ps, "policy too large (%zu bytes of canonical text, at most %d)",
			   len, IOI_POLICY_TEXT_MAX);
	nl_len = ioi_policy_nl_size(ps->p);
	if (nl_len > IOI_POLICY_NL_MAX)
		error_file(ps, "policy too large (%zu bytes of netlink attributes, at most %d)",
			   nl_len, IOI_POLICY_NL_MAX);
	return 0;
}

int ioi_policy_parse(struct ioi_policy *p, const char *name, const char *text,
		     size_t len, unsigned int flags, FILE *err)
{
	struct parser ps = {
		.p = p,
		.name = name,
		.flags = flags,
		.err = err,
	};
	const char *end = text + len, *nul, *s;
	int ret;

	if (len > IOI_POLICY_FILE_MAX) {
		error_file(&ps, "file larger than %d bytes",
			   IOI_POLICY_FILE_MAX);
		return (int)ps.errors;
	}
	ps.scratch = malloc(IOI_POLICY_LINE_MAX + MAX_TOKENS);
	if (!ps.scratch)
		return -ENOMEM;

	for (s = text; s < end && !ps.stopped && !ps.oom; ) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));

		ps.line = s;
		ps.linelen = (size_t)((nl ? nl : end) - s);
		ps.lineno++;
		s = nl ? nl + 1 : end;

		if (ps.linelen > IOI_POLICY_LINE_MAX) {
			error_at(&ps, IOI_POLICY_LINE_MAX + 1,
				 "line longer than %d bytes",
				 IOI_POLICY_LINE_MAX);
			continue;
		}
		nul = memchr(ps.line, '\0', ps.linelen);
		if (nul) {
			error_at(&ps, (size_t)(nul - ps.line) + 1, "NUL byte");
			continue;
		}
		if (ps.linelen && ps.line[ps.linelen - 1] == '\r') {
			error_at(&ps, ps.linelen,
				 "carriage return at the end of the line (DOS line endings?)");
			continue;
		}
		if (tokenize(&ps) && ps.ntok)
			parse_line(&ps);
	}
	free(ps.scratch);
	if (ps.oom)
		return ps.oom;
	if (!ps.errors) {
		ret = check_size(&ps);
		if (ret)
			return ret;
	}
	return (int)ps.errors;
}

int ioi_policy_read_file(const char *path, char **text, size_t *len,
			 FILE *err)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = ioi_policy_file_name(path);
	size_t size = 0, n;
	char *buf;
	FILE *f;
	int ret;

	f = is_stdin ? stdin : fopen(path, "re");
	if (!f) {
		ret = -errno;
		fprintf(err, "%s: error: %s\n", name, strerror(-ret));
		return ret;
	}
	/* One byte more than allowed, to tell "full" from "too large". */
	buf = malloc(IOI_POLICY_FILE_MAX + 1);
	if (!buf) {
		ret = -ENOMEM;
		fprintf(err, "%s: error: %s\n", name, strerror(-ret));
		goto out;
	}
	errno = 0;
	do {
		n = fread(buf + size, 1, IOI_POLICY_FILE_MAX + 1 - size, f);
		size += n;
	} while (n && size <= IOI_POLICY_FILE_MAX);

	if (ferror(f)) {
		ret = errno ? -errno : -EIO;	/* EISDIR for a directory */
		fprintf(err, "%s: error: %s\n", name, strerror(-ret));
	} else if (size > IOI_POLICY_FILE_MAX) {
		ret = -EFBIG;
		fprintf(err, "%s: error: file larger than %d bytes\n", name,
			IOI_POLICY_FILE_MAX);
	} else {
		*text = buf;
		*len = size;
		buf = NULL;
		ret = 0;
	}
	free(buf);
out:
	if (!is_stdin)
		fclose(f);
	return ret;
}

const char *ioi_policy_file_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

int ioi_policy_parse_file(struct ioi_policy *p, const char *path,
			  unsigned int flags, FILE *err)
{
	const char *name = ioi_policy_file_name(path);
	size_t len;
	char *text;
	int ret;

	ret = ioi_policy_read_file(path, &text, &len, err);
	if (ret)
		return ret;
	/*
	 * clang-analyzer (14) does not know that fopen() sets errno when it
	 * fails, so it takes -errno for 0 and @text for unset.
	 */
	ret = ioi_policy_parse(p, name, text, len, flags, err); /* NOLINT(clang-analyzer-core.CallAndMessage) */
	free(text);
	if (ret < 0)
		fprintf(err, "%s: error: %s\n", name, strerror(-ret));
	return ret;
}
