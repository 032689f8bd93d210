/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy file (docs/policy.md): parsing text into a struct ioi_policy
 * (policy_parse.c), the canonical text and its SHA-256, the JSON form
 * (policy.c), and the IOI_A_POLICY nest of IOI_CMD_POLICY_SET/GET
 * (policy_nl.c). All pure: no socket, and errors go to a FILE * the caller
 * passes, so unit tests can read them back.
 */
#ifndef IOI_CTL_POLICY_H
#define IOI_CTL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/netlink.h>
#include <linux/iointercept.h>

struct json_object;
struct ioi_nl_ack;

#define IOI_POLICY_FILE_MAX	(1024 * 1024)	/* bytes in a file */
#define IOI_POLICY_LINE_MAX	4096	/* bytes in a line, no '\n' */
#define IOI_POLICY_MAX_ERRORS	50	/* reported before giving up */
/* nla_len is 16 bits: the whole IOI_A_POLICY nest must fit. */
#define IOI_POLICY_NL_MAX	65535

struct ioi_policy_rule {
	uint8_t kind;		/* enum ioi_rule_kind */
	/* enum ioi_access (IOI_RULE_ALLOW), enum ioi_encrypt (ENCRYPT), or 0 */
	uint8_t access;
	char *pattern;		/* owned */
	unsigned int line;	/* in the policy file; 0 if not from a file */
};

/*
 * What a policy file may ask for beside the policy: load-policy sends it
 * in the same IOI_CMD_POLICY_SET, next to IOI_A_POLICY, but it is not part
 * of the policy, its canonical text or its hash (one policy can serve
 * several builds), and POLICY_GET does not return it.
 */
struct ioi_policy_load {
	bool has_build_id;	/* "build-id HEX64": IOI_A_BUILD_ID */
	uint8_t build_id[IOI_BUILD_ID_SIZE];
	bool lock;		/* "lock yes": IOI_A_LOCK */
	/* Lines of the directives, 0 if not given. */
	unsigned int build_id_line, lock_line;
};

struct ioi_policy {
	uint8_t mode;		/* enum ioi_mode */
	uint8_t scope;		/* enum ioi_scope */
	uint8_t dflt;		/* enum ioi_default */
	uint8_t on_plaintext;	/* enum ioi_on_plaintext */
	uint8_t log_paths;	/* enum ioi_log_paths */
	bool require_tee;	/* IOI_POLICY_A_REQUIRE_TEE */
	char *cgroup;		/* owned; with IOI_SCOPE_CGROUP only */
	unsigned int scope_line;	/* of "scope cgroup", 0 if none */
	/* Access rules, then encrypt rules, each in file (= match) order. */
	struct ioi_policy_rule *access;
	size_t n_access;	/* <= IOI_MAX_ACCESS_RULES */
	struct ioi_policy_rule *encrypt;
	size_t n_encrypt;	/* <= IOI_MAX_ENCRYPT_RULES */
	struct ioi_policy_load load;	/* not part of the policy: above */
};

/* policy.c */

/*
 * The defaults: enforce, scope all, default deny, on-plaintext refuse,
 * log-paths full, require-tee no, no rules; no build ID, no lock.
 */
void ioi_policy_init(struct ioi_policy *p);
/* Free what @p owns and reinitialise it. */
void ioi_policy_free(struct ioi_policy *p);

/*
 * Append a rule (IOI_RULE_ENCRYPT goes to the encrypt list, any other kind
 * to the access list), copying @pattern. No syntax check. Returns 0,
 * -E2BIG if the list is full, -ENOMEM.
 */
int ioi_policy_add_rule(struct ioi_policy *p, uint8_t kind, uint8_t access,
			const char *pattern, unsigned int line);

/*
 * The canonical text, which is hashed and which show-policy prints:
 *
 *	"mode " ("enforce" | "audit") "\n"
 *	"scope all\n" | "scope cgroup " Q(cgroup) "\n"
 *	"default " ("deny" | "allow") "\n"
 *	"on-plaintext allow\n", only with IOI_ON_PLAINTEXT_ALLOW
 *	"log-paths redact\n", only with IOI_LOG_PATHS_REDACT
 *	"require-tee yes\n", only with require_tee
 *	then each access rule in order:
 *	  "system " Q(p) "\n" | "tmpfs " Q(p) "\n" |
 *	  "allow " ("ro" | "rx" | "rw" | "rwx") " " Q(p) "\n" |
 *	  "deny " Q(p) "\n"
 *	then each encrypt rule in order:
 *	  "encrypt " ("rw" | "wo") " " Q(p) "\n"
 *
 * Q(s) is s itself, unless s contains a space, a tab, '#' or '"' (which
 * covers "starts with '"'): then '"', s with a '\' put before each '"' and
 * each '\', and '"'. Single spaces, no comments, nothing else. The module
 * builds the same bytes to compute IOI_A_POLICY_HASH = SHA-256(text).
 * The load directives (p->load) are not in it.
 *
 * Writes a malloc()ed, NUL-terminated copy to *@text and its length
 * (without the NUL) to *@len. Returns 0 or -ENOMEM.
 */
int ioi_policy_canonical(const struct ioi_policy *p, char **text,
			 size_t *len);
/* Write Q(@s), as above, to @f. */
void ioi_policy_put_quoted(FILE *f, const char *s);

/* SHA-256 of @len bytes. Returns 0, or -EIO if libcrypto failed. */
int ioi_policy_sha256(const void *data, size_t len,
		      uint8_t out[IOI_POLICY_HASH_LEN]);
/* SHA-256 of the canonical text of @p. Returns 0, -ENOMEM or -EIO. */
int ioi_policy_hash(const struct ioi_policy *p,
		    uint8_t out[IOI_POLICY_HASH_LEN]);

/*
 * {"mode": s, "scope": s, ["cgroup": s,] "default": s,
 *  "on-plaintext": s, "log-paths": s, "require-tee": "yes"|"no",
 *  "rules": [{"kind": s, ["access": s,] "pattern": s}, ...],
 *  "encrypt": [{"mode": s, "pattern": s}, ...], "sha256": hex}
 * Only the policy: not p->load. The caller owns the reference; NULL if
 * out of memory.
 */
struct json_object *ioi_policy_to_json(const struct ioi_policy *p,
				       const uint8_t hash[IOI_POLICY_HASH_LEN]);

/*
 * The rule at @index in the order IOI_CMD_POLICY_SET sends them (access
 * rules, then encrypt rules), or NULL if there is none.
 */
const struct ioi_policy_rule *ioi_policy_rule_at(const struct ioi_policy *p,
						 size_t index);

/* policy_parse.c */

/*
 * Parse the policy text @text (@len bytes, need not be NUL-terminated) into
 * @p, which must be freshly ioi_policy_init()ed. @name is the file name for
 * the messages. Every error is written to @err as
 *	NAME:LINE:COL: error: REASON
 * (1-based line, 1-based byte column), at most one per line, followed with
 * IOI_POLICY_F_CONTEXT by the line and a caret under the column; after
 * IOI_POLICY_MAX_ERRORS a note, and parsing stops. Errors about the whole
 * policy (too large) are "NAME: error: REASON". Returns 0, the number of
 * errors (> 0; @p then holds what was parsed and must still be freed), or
 * -ENOMEM.
 */
#define IOI_POLICY_F_CONTEXT	(1U << 0)
int ioi_policy_parse(struct ioi_policy *p, const char *name, const char *text,
		     size_t len, unsigned int flags, FILE *err);

/*
 * Read a policy file (@path "-" is stdin) into a malloc()ed buffer, at most
 * IOI_POLICY_FILE_MAX bytes. Returns 0, or a negative errno (-EFBIG if too
 * large) after printing why to @err.
 */
int ioi_policy_read_file(const char *path, char **text, size_t *len,
			 FILE *err);

/* The name messages use for @path: "<stdin>" for "-". */
const char *ioi_policy_file_name(const char *path);

/*
 * ioi_policy_read_file() then ioi_policy_parse(), named after
 * ioi_policy_file_name(@path). Returns 0, the number of errors (> 0), or a
 * negative errno; every problem has been printed to @err.
 */
int ioi_policy_parse_file(struct ioi_policy *p, const char *path,
			  unsigned int flags, FILE *err);

/* Keywords, for messages and JSON; "?" for a value out of range. */
const char *ioi_policy_mode_name(uint8_t mode);
const char *ioi_policy_default_name(uint8_t dflt);
const char *ioi_policy_on_plaintext_name(uint8_t v);
const char *ioi_policy_log_paths_name(uint8_t v);
const char *ioi_policy_kind_name(uint8_t kind);
const char *ioi_policy_access_name(uint8_t access);
const char *ioi_policy_encrypt_name(uint8_t mode);
const char *ioi_policy_yes_no(bool v);

/* policy_nl.c */

/*
 * Size of the IOI_A_POLICY attribute ioi_policy_put_nl() would add (header
 * and padding included); its nla_len is this value, and must not exceed
 * IOI_POLICY_NL_MAX.
 */
size_t ioi_policy_nl_size(const struct ioi_policy *p);

/*
 * Append IOI_A_POLICY for @p to @nlh, which lives in a buffer of @buflen
 * bytes. Returns 0, or -EMSGSIZE (nothing usable added) if the buffer or
 * the 16-bit nla_len is too small.
 */
int ioi_policy_put_nl(struct nlmsghdr *nlh, size_t buflen,
		      const struct ioi_policy *p);

/*
 * Append what p->load asks for to @nlh, after IOI_A_POLICY: IOI_A_BUILD_ID
 * and IOI_A_LOCK (a flag), each only if given. Returns 0, or -EMSGSIZE
 * (nothing added) if the buffer of @buflen bytes is too small.
 */
int ioi_policy_put_load_nl(struct nlmsghdr *nlh, size_t buflen,
			   const struct ioi_policy *p);

/*
 * Decode an IOI_A_POLICY nest into @p (freshly ioi_policy_init()ed; free it
 * even on failure). Unknown attributes are skipped; a rule of a kind this
 * tool does not know, a missing attribute, a bad length or an enum out of
 * range is an error. Patterns are not checked (the module did).
 * Returns 0, -EBADMSG, -ENOMEM.
 */
int ioi_policy_from_nl(const struct nlattr *nest, struct ioi_policy *p);

/*
 * Decode the reply to IOI_CMD_POLICY_GET (genlmsghdr, then IOI_A_POLICY and
 * IOI_A_POLICY_HASH, both required). Returns 0, -EBADMSG, -ENODATA,
 * -ENOMEM.
 */
int ioi_policy_parse_get_reply(const struct nlmsghdr *nlh,
			       struct ioi_policy *p,
			       uint8_t hash[IOI_POLICY_HASH_LEN]);

/*
 * Decode the reply to IOI_CMD_POLICY_SET (IOI_A_POLICY_HASH required).
 * Returns 0, -EBADMSG or -ENODATA.
 */
int ioi_policy_parse_set_reply(const struct nlmsghdr *nlh,
			       uint8_t hash[IOI_POLICY_HASH_LEN]);

/* ioi_policy_locate() results other than a rule index */
#define IOI_POLICY_AT_NONE	(-1)
#define IOI_POLICY_AT_CGROUP	(-2)
#define IOI_POLICY_AT_BUILD_ID	(-3)	/* IOI_A_BUILD_ID */
#define IOI_POLICY_AT_LOCK	(-4)	/* IOI_A_LOCK */

/*
 * What byte @offset of the request @req (as built by ioi_policy_put_nl())
 * belongs to: the index of a rule in sending order (>= 0), the cgroup path
 * (IOI_POLICY_AT_CGROUP), the build ID or the lock flag sent beside the
 * policy (IOI_POLICY_AT_BUILD_ID, _LOCK), or nothing tied to a line
 * (IOI_POLICY_AT_NONE).
 * For NLMSGERR_ATTR_OFFS, which counts from the start of the request.
 */
long ioi_policy_locate(const struct nlmsghdr *req, uint32_t offset);

/*
 * When the module refused the policy @p sent in @req and the refusal can
 * be tied to a line of the file, print "NAME:LINE: error: MSG" to @f (MSG
 * is the extack message, or strerror() without one) and return true;
 * otherwise print nothing and return false. The line comes from an extack
 * message starting with "rule N:" (N the 0-based index in sending order:
 * access rules, then encrypt rules), else from the extack offset of the
 * bad attribute (a rule's, the cgroup path's for "scope cgroup", or that of
 * the build-id or lock line).
 */
bool ioi_policy_report_error(FILE *f, const char *name,
			     const struct ioi_policy *p,
			     const struct nlmsghdr *req,
			     const struct ioi_nl_ack *ack);

#endif /* IOI_CTL_POLICY_H */
