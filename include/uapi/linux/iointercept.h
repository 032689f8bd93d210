/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * iointercept: generic netlink interface between iointercept.ko and ioctl-cli.
 *
 * Family IOI_GENL_NAME, version IOI_GENL_VERSION, visible in the initial
 * network namespace only. Every command needs CAP_NET_ADMIN. Requests are
 * validated strictly: an attribute a command does not list below, a wrong
 * type or a wrong length is rejected with an extended ACK message naming it.
 * Replies may grow new attributes; a tool must ignore those it does not know.
 *
 * IOI_CMD_STATUS_GET
 *   request: no attributes
 *   reply:
 *     IOI_A_VERSION          NLA_NUL_STRING  module version, e.g. "0.1.0"
 *     IOI_A_POLICY_LOADED    NLA_U8          1 if a policy is in force
 *     IOI_A_POLICY_HASH      NLA_BINARY      32 bytes, only if loaded
 *     IOI_A_STATS            NLA_NESTED      counters, one NLA_U64 each:
 *       IOI_STAT_NETLINK_REQUESTS            requests handled since load
 *       IOI_STAT_*                           see enum ioi_stat
 *     IOI_A_BUILD_ID         NLA_BINARY      IOI_BUILD_ID_SIZE bytes, only
 *                                            if set
 *     IOI_A_MEASUREMENT      NLA_BINARY      IOI_MEASUREMENT_SIZE bytes,
 *                                            docs/attestation.md
 *     IOI_A_LOCKED           NLA_U8          1 once IOI_CMD_LOCK succeeded
 *     IOI_A_HOOKS_ARMED      NLA_U8          1 if every probe is armed and
 *                                            fires (checked now)
 *     IOI_A_TEE              NLA_U8          enum ioi_tee
 *     IOI_A_MODULE_SIG       NLA_U8          enum ioi_module_sig
 *
 * IOI_CMD_POLICY_SET: replace the policy in force, atomically. On any
 * error nothing changes and the extended ACK says what is wrong; for a bad
 * rule it names the rule's index (0-based, in the order sent).
 *   request:
 *     IOI_A_POLICY           NLA_NESTED
 *       IOI_POLICY_A_MODE      NLA_U8          enum ioi_mode (required)
 *       IOI_POLICY_A_DEFAULT   NLA_U8          enum ioi_default (required)
 *       IOI_POLICY_A_SCOPE     NLA_U8          enum ioi_scope (required)
 *       IOI_POLICY_A_CGROUP    NLA_NUL_STRING  cgroup v2 path, e.g.
 *                                              "/nvflare"; with
 *                                              IOI_SCOPE_CGROUP only
 *       IOI_POLICY_A_ON_PLAINTEXT NLA_U8       enum ioi_on_plaintext
 *                                              (optional: refuse)
 *       IOI_POLICY_A_LOG_PATHS NLA_U8          enum ioi_log_paths
 *                                              (optional: full)
 *       IOI_POLICY_A_RULES     NLA_NESTED      rules, in match order:
 *         IOI_POLICY_A_RULE      NLA_NESTED    (repeated)
 *           IOI_RULE_A_KIND        NLA_U8          enum ioi_rule_kind
 *           IOI_RULE_A_ACCESS      NLA_U8          enum ioi_access for
 *                                                  IOI_RULE_ALLOW, enum
 *                                                  ioi_encrypt for
 *                                                  IOI_RULE_ENCRYPT, absent
 *                                                  otherwise
 *           IOI_RULE_A_PATTERN     NLA_NUL_STRING  see docs/policy.md
 *       IOI_POLICY_A_REQUIRE_TEE NLA_U8        1: refuse keys outside a
 *                                              confidential guest
 *                                              (optional: 0)
 *     IOI_A_BUILD_ID         NLA_BINARY      optional: set the build ID
 *                                            with the policy, atomically
 *     IOI_A_LOCK             NLA_FLAG        optional: lock (IOI_CMD_LOCK)
 *                                            once the policy is in force;
 *                                            if locking fails, nothing
 *                                            changes
 *   reply:
 *     IOI_A_POLICY_HASH      NLA_BINARY      SHA-256 of the canonical text
 *
 * IOI_CMD_POLICY_GET: the policy in force.
 *   request: no attributes
 *   reply: IOI_A_POLICY (as above) and IOI_A_POLICY_HASH, or ENOENT with
 *          a message when no policy is loaded.
 *
 * IOI_CMD_POLICY_DEL: unload the policy; nothing is confined afterwards.
 *   request: no attributes
 *   reply: ACK, or ENOENT when no policy is loaded.
 *
 * IOI_CMD_KEY_ADD: load a master key (docs/format.md); it becomes the key
 * that seals new files. The key is never sent back by any command.
 *   request:
 *     IOI_A_KEY_RAW          NLA_BINARY      exactly IOI_KEY_SIZE bytes
 *   reply:
 *     IOI_A_KEY_ID           NLA_BINARY      IOI_KEY_ID_SIZE bytes
 *   EEXIST if a key with that identifier is loaded, ENOSPC beyond
 *   IOI_MAX_KEYS keys.
 *
 * IOI_CMD_KEY_GENERATE: a new master key from the kernel's random number
 * generator, known to nobody, which becomes the key that seals new files.
 *   request: no attributes
 *   reply: IOI_A_KEY_ID
 *
 * IOI_CMD_KEY_LIST: the loaded keys, newest first.
 *   request: no attributes
 *   reply:
 *     IOI_A_KEYS             NLA_NESTED
 *       IOI_KEY_A_ENTRY        NLA_NESTED      (repeated)
 *         IOI_KEY_A_ID           NLA_BINARY    IOI_KEY_ID_SIZE bytes
 *         IOI_KEY_A_ACTIVE       NLA_U8        1 for the key sealing new files
 *         IOI_KEY_A_GENERATED    NLA_U8        1 if made by KEY_GENERATE
 *
 * IOI_CMD_KEY_REMOVE: forget a key and wipe it. Files already open keep
 * the file keys derived from it until they are closed; new opens of the
 * files it sealed fail with ENOKEY.
 *   request:
 *     IOI_A_KEY_ID           NLA_BINARY      IOI_KEY_ID_SIZE bytes
 *   reply:
 *     IOI_A_KEY_OPEN_FILES   NLA_U32         files open through the
 *                                            encryption layer that still
 *                                            use a file key derived from
 *                                            it (absent if the module
 *                                            could not count them)
 *   or ENOKEY with a message if no such key is loaded.
 *
 * IOI_CMD_STATS_GET: every counter, read at one moment.
 *   request: no attributes
 *   reply:
 *     IOI_A_STATS            NLA_NESTED      one NLA_U64 per enum ioi_stat
 *
 * IOI_CMD_BUILD_ID_SET: record the build ID of the workload image, an
 * input of the measurement.
 *   request:
 *     IOI_A_BUILD_ID         NLA_BINARY      exactly IOI_BUILD_ID_SIZE bytes
 *   reply: IOI_A_MEASUREMENT
 *
 * IOI_CMD_LOCK: refuse every later change of policy, keys and build ID,
 * and the module's unloading, until reboot. EBUSY with a message if the
 * hooks are not armed. Locking again is not an error.
 *   request: no attributes
 *   reply: IOI_A_MEASUREMENT
 *
 * While locked, POLICY_SET, POLICY_DEL, KEY_ADD, KEY_GENERATE, KEY_REMOVE
 * and BUILD_ID_SET fail with EPERM and the message "locked until reboot".
 *
 * Multicast groups:
 *   IOI_MCGRP_EVENTS ("events")  security events, one IOI_CMD_EVENT message
 *   each, sent from process context (docs/monitoring.md):
 *     IOI_A_EVENT            NLA_NESTED
 *       IOI_EV_A_TYPE          NLA_U8          enum ioi_event_type
 *       IOI_EV_A_SEQ           NLA_U64         1, 2, ... for every event
 *                                              raised since load, sent or
 *                                              not: a gap counts the
 *                                              dropped and suppressed
 *       IOI_EV_A_TIME          NLA_U64         ns since the epoch
 *       IOI_EV_A_OP            NLA_NUL_STRING  operation, e.g. "open"
 *       IOI_EV_A_ERRNO         NLA_U32         positive errno returned (0
 *                                              if the operation went on)
 *       IOI_EV_A_PID, _TGID    NLA_U32         in the initial pid namespace
 *       IOI_EV_A_UID           NLA_U32         in the initial user namespace
 *       IOI_EV_A_COMM          NLA_NUL_STRING  the task's comm, unescaped
 *       IOI_EV_A_CGROUP        NLA_NUL_STRING  cgroup v2 path
 *       IOI_EV_A_RULE          NLA_S32         index of the deciding access
 *                                              rule, -1 for the default
 *       IOI_EV_A_PATTERN       NLA_NUL_STRING  that rule's pattern
 *       IOI_EV_A_PATH          NLA_NUL_STRING  the object, unescaped: it can
 *                                              hold any byte but NUL and must
 *                                              be escaped before printing;
 *                                              with "log-paths redact" its last
 *                                              component is "#" + 16 hex
 *                                              digits of a keyed hash
 *       IOI_EV_A_DETAIL        NLA_NUL_STRING  what else is known (a block
 *                                              number, a key identifier)
 *     Attributes that do not apply to a type are absent.
 */
#ifndef _UAPI_LINUX_IOINTERCEPT_H
#define _UAPI_LINUX_IOINTERCEPT_H

#define IOI_GENL_NAME		"iointercept"
#define IOI_GENL_VERSION	1

#define IOI_MCGRP_EVENTS	"events"

enum ioi_cmd {
	IOI_CMD_UNSPEC,
	IOI_CMD_STATUS_GET,
	IOI_CMD_POLICY_SET,
	IOI_CMD_POLICY_GET,
	IOI_CMD_POLICY_DEL,
	IOI_CMD_KEY_ADD,
	IOI_CMD_KEY_GENERATE,
	IOI_CMD_KEY_LIST,
	IOI_CMD_KEY_REMOVE,
	IOI_CMD_STATS_GET,
	IOI_CMD_EVENT,
	IOI_CMD_BUILD_ID_SET,
	IOI_CMD_LOCK,

	__IOI_CMD_MAX
};

#define IOI_CMD_MAX (__IOI_CMD_MAX - 1)

enum ioi_attr {
	IOI_A_UNSPEC,
	IOI_A_VERSION,
	IOI_A_POLICY_LOADED,
	IOI_A_STATS,
	IOI_A_POLICY,
	IOI_A_POLICY_HASH,
	IOI_A_KEY_RAW,
	IOI_A_KEY_ID,
	IOI_A_KEYS,
	IOI_A_EVENT,
	IOI_A_PAD,
	IOI_A_BUILD_ID,
	IOI_A_MEASUREMENT,
	IOI_A_LOCKED,
	IOI_A_HOOKS_ARMED,
	IOI_A_TEE,
	IOI_A_MODULE_SIG,
	IOI_A_LOCK,
	IOI_A_KEY_OPEN_FILES,

	__IOI_A_MAX
};

#define IOI_A_MAX (__IOI_A_MAX - 1)

#define IOI_POLICY_HASH_LEN	32
#define IOI_BUILD_ID_SIZE	32
#define IOI_MEASUREMENT_SIZE	32	/* SHA-256 */

enum ioi_policy_attr {
	IOI_POLICY_A_UNSPEC,
	IOI_POLICY_A_MODE,
	IOI_POLICY_A_DEFAULT,
	IOI_POLICY_A_SCOPE,
	IOI_POLICY_A_CGROUP,
	IOI_POLICY_A_RULES,
	IOI_POLICY_A_RULE,
	IOI_POLICY_A_ON_PLAINTEXT,
	IOI_POLICY_A_LOG_PATHS,
	IOI_POLICY_A_REQUIRE_TEE,

	__IOI_POLICY_A_MAX
};

#define IOI_POLICY_A_MAX (__IOI_POLICY_A_MAX - 1)

enum ioi_rule_attr {
	IOI_RULE_A_UNSPEC,
	IOI_RULE_A_KIND,
	IOI_RULE_A_ACCESS,
	IOI_RULE_A_PATTERN,

	__IOI_RULE_A_MAX
};

#define IOI_RULE_A_MAX (__IOI_RULE_A_MAX - 1)

enum ioi_key_attr {
	IOI_KEY_A_UNSPEC,
	IOI_KEY_A_ENTRY,
	IOI_KEY_A_ID,
	IOI_KEY_A_ACTIVE,
	IOI_KEY_A_GENERATED,

	__IOI_KEY_A_MAX
};

#define IOI_KEY_A_MAX (__IOI_KEY_A_MAX - 1)

enum ioi_event_attr {
	IOI_EV_A_UNSPEC,
	IOI_EV_A_TYPE,
	IOI_EV_A_SEQ,
	IOI_EV_A_TIME,
	IOI_EV_A_OP,
	IOI_EV_A_ERRNO,
	IOI_EV_A_PID,
	IOI_EV_A_TGID,
	IOI_EV_A_UID,
	IOI_EV_A_COMM,
	IOI_EV_A_CGROUP,
	IOI_EV_A_RULE,
	IOI_EV_A_PATTERN,
	IOI_EV_A_PATH,
	IOI_EV_A_DETAIL,
	IOI_EV_A_PAD,

	__IOI_EV_A_MAX
};

#define IOI_EV_A_MAX (__IOI_EV_A_MAX - 1)

enum ioi_event_type {
	IOI_EVENT_UNSPEC,
	IOI_EVENT_DENIED,	/* an operation refused by the policy */
	IOI_EVENT_AUDITED,	/* one audit mode let through */
	IOI_EVENT_INTEGRITY,	/* a header or block failed authentication */
	IOI_EVENT_PLAINTEXT,	/* a file under an encrypt rule not sealed */
	IOI_EVENT_NOKEY,	/* a file sealed with a key not loaded */
	IOI_EVENT_POLICY_LOAD,
	IOI_EVENT_POLICY_UNLOAD,
	IOI_EVENT_KEY_ADD,
	IOI_EVENT_KEY_GENERATE,
	IOI_EVENT_KEY_REMOVE,
	IOI_EVENT_BUILD_ID,	/* the build ID was set */
	IOI_EVENT_LOCK,		/* locked until reboot */
	IOI_EVENT_HOOKS_DISARMED,	/* a probe stopped firing */
	IOI_EVENT_HOOKS_ARMED,	/* ... and fires again */

	__IOI_EVENT_MAX
};

#define IOI_EVENT_MAX (__IOI_EVENT_MAX - 1)

#define IOI_KEY_SIZE		32	/* a master key: AES-256 and HKDF input */
#define IOI_KEY_ID_SIZE		16
#define IOI_MAX_KEYS		32

/* The confidential-computing platform the kernel runs on. */
enum ioi_tee {
	IOI_TEE_NONE,		/* not a confidential guest */
	IOI_TEE_SEV,		/* AMD SEV: memory encrypted */
	IOI_TEE_SEV_ES,		/* AMD SEV-ES: and register state */
	IOI_TEE_SEV_SNP,	/* AMD SEV-SNP: and integrity, attestation */
	IOI_TEE_TDX,		/* Intel TDX */
};

/* What the kernel found when it loaded the module. */
enum ioi_module_sig {
	IOI_MODULE_SIG_UNCHECKED,	/* kernel without CONFIG_MODULE_SIG */
	IOI_MODULE_SIG_VERIFIED,	/* signed by a trusted key */
	IOI_MODULE_SIG_UNVERIFIED,	/* unsigned or unknown key: taint E */
};

enum ioi_mode {
	IOI_MODE_ENFORCE,	/* deny what the policy does not allow */
	IOI_MODE_AUDIT,		/* count what would be denied, allow it */
};

enum ioi_default {
	IOI_DEFAULT_DENY,
	IOI_DEFAULT_ALLOW,
};

/* A non-empty file under an encrypt rule that is not in the format. */
enum ioi_on_plaintext {
	IOI_ON_PLAINTEXT_REFUSE,	/* EACCES at open */
	IOI_ON_PLAINTEXT_ALLOW,		/* opened as it is, unencrypted */
};

/* How events name files. */
enum ioi_log_paths {
	IOI_LOG_PATHS_FULL,
	IOI_LOG_PATHS_REDACT,	/* last component replaced by a keyed hash */
};

enum ioi_scope {
	IOI_SCOPE_ALL,		/* every user task */
	IOI_SCOPE_CGROUP,	/* tasks in a cgroup v2 subtree */
};

enum ioi_rule_kind {
	IOI_RULE_UNSPEC,
	IOI_RULE_SYSTEM,	/* read, exec */
	IOI_RULE_TMPFS,		/* read, write, create, delete, setattr */
	IOI_RULE_ALLOW,		/* as IOI_RULE_A_ACCESS says */
	IOI_RULE_DENY,		/* nothing */
	IOI_RULE_ENCRYPT,	/* not an access rule: see docs/policy.md */
};

enum ioi_access {
	IOI_ACCESS_UNSPEC,
	IOI_ACCESS_RO,
	IOI_ACCESS_RX,
	IOI_ACCESS_RW,
	IOI_ACCESS_RWX,
};

enum ioi_encrypt {
	IOI_ENCRYPT_UNSPEC,
	IOI_ENCRYPT_RW,		/* encrypted on write, decrypted on read */
	IOI_ENCRYPT_WO,		/* encrypted on write, read back sealed */
};

/* Limits; the module enforces them and ioctl-cli checks them first. */
#define IOI_MAX_ACCESS_RULES	1024
#define IOI_MAX_ENCRYPT_RULES	128
#define IOI_PATTERN_MAX		1024	/* bytes, with the terminating NUL */
#define IOI_CGROUP_PATH_MAX	1024	/* bytes, with the terminating NUL */
/*
 * Bytes of the canonical text. Chosen so that IOI_A_POLICY, whose length
 * is a 16-bit field, always fits: each rule's attributes take at most 22
 * bytes more than its line of text.
 */
#define IOI_POLICY_TEXT_MAX	40960

enum ioi_stat {
	IOI_STAT_UNSPEC,
	IOI_STAT_NETLINK_REQUESTS,
	IOI_STAT_ALLOWED,	/* checks of confined tasks that passed */
	IOI_STAT_DENIED,	/* ... that were denied */
	IOI_STAT_AUDITED,	/* ... that audit mode let through */
	IOI_STAT_EXDEV,		/* renames and links refused with EXDEV */
	/* Checks of confined tasks by the right they needed (docs/ABI/). */
	IOI_STAT_ALLOWED_READ,
	IOI_STAT_DENIED_READ,
	IOI_STAT_ALLOWED_WRITE,
	IOI_STAT_DENIED_WRITE,
	IOI_STAT_ALLOWED_EXEC,
	IOI_STAT_DENIED_EXEC,
	IOI_STAT_ALLOWED_CREATE,
	IOI_STAT_DENIED_CREATE,
	IOI_STAT_ALLOWED_DELETE,
	IOI_STAT_DENIED_DELETE,
	IOI_STAT_ALLOWED_SETATTR,
	IOI_STAT_DENIED_SETATTR,
	IOI_STAT_DENIED_PRIVILEGED,	/* never allowed: mount, ptrace... */
	IOI_STAT_HOOK_HITS,	/* hook calls, confined or not */
	IOI_STAT_ENCRYPTED_BYTES,	/* plaintext bytes sealed */
	IOI_STAT_DECRYPTED_BYTES,	/* plaintext bytes opened */
	IOI_STAT_ENCRYPTED_OPEN,	/* files open through the shim now */
	IOI_STAT_INTEGRITY_FAILURES,
	IOI_STAT_PLAINTEXT_REFUSED,
	IOI_STAT_NOKEY,
	IOI_STAT_EVENTS_EMITTED,
	IOI_STAT_EVENTS_DROPPED,	/* queue full or out of memory */
	IOI_STAT_EVENTS_SUPPRESSED,	/* over the rate limit */
	IOI_STAT_TIMING_HOOK_NS,	/* with timing on, see docs/ABI/ */
	IOI_STAT_TIMING_HOOK_CALLS,
	IOI_STAT_TIMING_CRYPT_NS,
	IOI_STAT_TIMING_CRYPT_CALLS,

	__IOI_STAT_MAX
};

#define IOI_STAT_MAX (__IOI_STAT_MAX - 1)

#endif /* _UAPI_LINUX_IOINTERCEPT_H */
