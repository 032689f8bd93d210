/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_EVENTS_H
#define _IOI_EVENTS_H

#include <linux/types.h>
#include <linux/iointercept.h>

struct file;
struct ioi_policy;
struct sk_buff;

/*
 * A security event about the current task (docs/monitoring.md). Strings
 * are copied; @path need not be NUL-terminated. Any context: an event
 * raised where nothing may sleep is queued and sent from a worker.
 */
struct ioi_event {
	enum ioi_event_type type;
	const char *op;		/* a string constant */
	int err;		/* positive errno, 0 if the operation went on */
	int rule;		/* deciding access rule, -1 for the default */
	const struct ioi_policy *policy;	/* with @rule */
	const char *path;
	size_t path_len;
	const char *detail;
};

/* Which events carry a rule: the decisions. */
static inline bool ioi_event_has_rule(enum ioi_event_type t)
{
	return t == IOI_EVENT_DENIED || t == IOI_EVENT_AUDITED;
}

void ioi_event(const struct ioi_event *ev);
/* An event about @file, named by d_path(). Sleeps. */
void ioi_event_file(enum ioi_event_type type, const char *op, int err,
		    struct file *file, const char *detail);

int __init ioi_events_init(void);
/* No event is sent once this returns; those queued are counted dropped. */
void ioi_events_stop(void);
void ioi_events_exit(void);

/* The multicast send, in netlink.c. */
int ioi_genl_event(struct sk_buff *skb);
struct sk_buff *ioi_genl_event_new(size_t payload, void **hdr);

#endif /* _IOI_EVENTS_H */
