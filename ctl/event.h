/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events of the "events" multicast group (IOI_CMD_EVENT, layout in
 * <linux/iointercept.h>): decoding, printing as a line of text or of JSON,
 * and what `ioctl-cli monitor` does with each datagram, lost events
 * included. All pure, so unit tests can feed crafted messages; the socket
 * side is cmd_monitor.c.
 *
 * Text, one line an event; attributes the event does not have are left
 * out, the time is "-" without IOI_EV_A_TIME:
 *
 *   TIME TYPE [OP] [errno=NAME] [pid=N] [tgid=N] [uid=N] [comm="S"]
 *     [cgroup="S"] [rule=N] [pattern="S"] [path="S"] [detail="S"] seq=N
 *
 * TIME is RFC 3339 in UTC with microseconds, 2026-12-05T01:02:03.123456Z;
 * strings are escaped with IOI_ESC_TEXT (escape.h), OP with IOI_ESC_SPACE
 * too. JSON, one object a line: "type", "seq", "time" (the same string),
 * "time_ns", "op", "errno", "errno_name", "pid", "tgid", "uid", "comm",
 * "cgroup", "rule", "pattern", "path", "detail", the strings escaped with
 * IOI_ESC_JSON.
 */
#ifndef IOI_CTL_EVENT_H
#define IOI_CTL_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/netlink.h>
#include <linux/iointercept.h>

struct json_object;

/* A decoded event; the strings point into the message. */
struct ioi_event {
	uint32_t present;	/* bit IOI_EV_A_*: the attribute was sent */
	uint8_t type;		/* enum ioi_event_type */
	uint64_t seq;
	uint64_t time_ns;
	uint32_t err;		/* positive errno, 0 if the operation went on */
	uint32_t pid;
	uint32_t tgid;
	uint32_t uid;
	int32_t rule;		/* -1: the default */
	const char *op;
	const char *comm;
	const char *cgroup;
	const char *pattern;
	const char *path;
	const char *detail;
};

_Static_assert(IOI_EV_A_MAX < 32, "ioi_event.present is a 32-bit mask");

/* Whether @ev has attribute @attr (IOI_EV_A_*). */
static inline bool ioi_event_has(const struct ioi_event *ev,
				 unsigned int attr)
{
	return ev->present & (1U << attr);
}

/* Room for any type's name, "type-255" included. */
#define IOI_EVENT_TYPE_NAME_SIZE	16

/*
 * The name of event type @type: "denied", "audited", "integrity",
 * "plaintext", "nokey", "policy-load", "policy-unload", "key-add",
 * "key-generate", "key-remove", "build-id", "lock", "hooks-disarmed",
 * "hooks-armed" (<iointercept/events.h>), or "type-N" for any other,
 * written to @buf. Returns the name.
 */
const char *ioi_event_type_name(uint8_t type,
				char buf[IOI_EVENT_TYPE_NAME_SIZE]);

/* Room for "2026-12-05T01:02:03.123456Z" with its NUL, and years > 9999. */
#define IOI_EVENT_TIME_SIZE	40

/*
 * @ns nanoseconds since the epoch as RFC 3339 in UTC with microseconds
 * (truncated). Returns 0, or -EOVERFLOW if the date cannot be shown.
 */
int ioi_event_format_time(char buf[IOI_EVENT_TIME_SIZE], uint64_t ns);

/*
 * Decode the genetlink message @nlh as an event. IOI_A_EVENT, and in it
 * IOI_EV_A_TYPE and IOI_EV_A_SEQ, are required; attributes this tool does
 * not know are ignored, and a known one of the wrong type or length makes
 * the whole event malformed. Returns 0, -ENOMSG if @nlh is not an
 * IOI_CMD_EVENT, -ENODATA if a required attribute is missing or -EBADMSG
 * if the message is malformed; then *@why (if @why) says what is wrong.
 */
int ioi_event_parse(const struct nlmsghdr *nlh, struct ioi_event *ev,
		    const char **why);

/* The event as one line of text. Returns 0 or -EIO. */
int ioi_event_print_text(FILE *f, const struct ioi_event *ev);
/* The event as a JSON object; the caller owns it. NULL: out of memory. */
struct json_object *ioi_event_to_json(const struct ioi_event *ev);
/* That object on one line. Returns 0, -ENOMEM or -EIO. */
int ioi_event_print_json(FILE *f, const struct ioi_event *ev);

/*
 * Events lost between two received: "lost N events (seq A..B)", or
 * {"type":"lost","reason":"seq-gap","count":N,"first_seq":A,"last_seq":B}.
 * Returns 0, -ENOMEM or -EIO.
 */
int ioi_event_print_lost(FILE *f, bool json, uint64_t first, uint64_t last);
/*
 * Events lost because the socket's receive buffer overflowed (ENOBUFS):
 * "lost events: receive buffer overflow", or
 * {"type":"lost","reason":"overflow"}. Returns 0, -ENOMEM or -EIO.
 */
int ioi_event_print_overflow(FILE *f, bool json);

/* The sequence numbers seen so far. Zero it to start. */
struct ioi_seq_track {
	bool started;
	uint64_t last;
};

/*
 * Account for an event numbered @seq. Returns how many events were lost
 * just before it, their numbers *@first..*@last, or 0: for the first
 * event seen (it sets the baseline), and for a number that is not above
 * the last one (a duplicate, or the module reloaded and counting from 1
 * again), which sets a new baseline.
 */
uint64_t ioi_seq_track(struct ioi_seq_track *t, uint64_t seq,
		       uint64_t *first, uint64_t *last);

/* The state of `ioctl-cli monitor`. */
struct ioi_monitor {
	FILE *out;		/* events and lost lines */
	FILE *err;		/* warnings */
	bool json;
	uint16_t family_id;	/* messages of other types are ignored */
	struct ioi_seq_track seq;
	uint64_t events;	/* printed */
	uint64_t malformed;	/* skipped with a warning */
};

/*
 * Handle one datagram of @len bytes received from the kernel: for each
 * event in it, a lost line first if events were lost before it, then the
 * event, each line flushed at once. Messages of other families and
 * commands are ignored, malformed ones skipped with a warning on m->err.
 * Returns 0, or -EIO (or -ENOMEM) if writing to m->out failed.
 */
int ioi_monitor_feed(struct ioi_monitor *m, const void *buf, size_t len);
/* Report a receive buffer overflow. Returns 0, -ENOMEM or -EIO. */
int ioi_monitor_overflow(struct ioi_monitor *m);

#endif /* IOI_CTL_EVENT_H */
