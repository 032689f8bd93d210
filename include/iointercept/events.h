/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The names of event types: in audit records (the module) and in
 * ioctl-cli monitor's output, which must agree (docs/monitoring.md).
 * Each user checks that every IOI_EVENT_* has one.
 */
#ifndef _IOINTERCEPT_EVENTS_H
#define _IOINTERCEPT_EVENTS_H

#include <linux/iointercept.h>

static const char *const ioi_event_names[] = {
	[IOI_EVENT_DENIED] = "denied",
	[IOI_EVENT_AUDITED] = "audited",
	[IOI_EVENT_INTEGRITY] = "integrity",
	[IOI_EVENT_PLAINTEXT] = "plaintext",
	[IOI_EVENT_NOKEY] = "nokey",
	[IOI_EVENT_POLICY_LOAD] = "policy-load",
	[IOI_EVENT_POLICY_UNLOAD] = "policy-unload",
	[IOI_EVENT_KEY_ADD] = "key-add",
	[IOI_EVENT_KEY_GENERATE] = "key-generate",
	[IOI_EVENT_KEY_REMOVE] = "key-remove",
	[IOI_EVENT_BUILD_ID] = "build-id",
	[IOI_EVENT_LOCK] = "lock",
	[IOI_EVENT_HOOKS_DISARMED] = "hooks-disarmed",
	[IOI_EVENT_HOOKS_ARMED] = "hooks-armed",
};

#endif
