// SPDX-License-Identifier: GPL-2.0
/*
 * The measurement text and its hash (docs/attestation.md). The module's
 * ioi_measure() writes the same bytes; a difference of one byte makes every
 * verifier refuse the VM, so the unit tests pin the hash of fixed inputs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <iointercept/version.h>

#include "measure.h"
#include "policy.h"
#include "util.h"

_Static_assert(IOI_MEASUREMENT_SIZE == IOI_POLICY_HASH_LEN,
	       "both are SHA-256");

#define VERSION_MAX	64

void ioi_measure_init(struct ioi_measure *m)
{
	memset(m, 0, sizeof(*m));
	m->version = IOI_VERSION;
	m->hooks_armed = true;
}

int ioi_measure_add_key(struct ioi_measure *m,
			const uint8_t id[IOI_KEY_ID_SIZE])
{
	size_t i;
	int cmp;

	/* Insertion: at most IOI_MAX_KEYS, and sorted as it grows. */
	for (i = 0; i < m->n_keys; i++) {
		cmp = memcmp(id, m->keys[i], IOI_KEY_ID_SIZE);
		if (!cmp)
			return -EEXIST;
		if (cmp < 0)
			break;
	}
	if (m->n_keys == IOI_MAX_KEYS)
		return -E2BIG;
	memmove(m->keys[i + 1], m->keys[i], (m->n_keys - i) * IOI_KEY_ID_SIZE);
	memcpy(m->keys[i], id, IOI_KEY_ID_SIZE);
	m->n_keys++;
	return 0;
}

bool ioi_measure_version_ok(const char *v)
{
	size_t i, n = strlen(v);

	if (!n || n > VERSION_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] >= 0x7f)
			return false;
	return true;
}

/* "NAME HEX\n", or "NAME none\n" without a value. */
static void put_hex(FILE *f, const char *name, const uint8_t *v, size_t len)
{
	char hex[2 * IOI_BUILD_ID_SIZE + 1];

	if (!v) {
		fprintf(f, "%s none\n", name);
		return;
	}
	ioi_hex(hex, v, len);
	fprintf(f, "%s %s\n", name, hex);
}

int ioi_measure_text(const struct ioi_measure *m, char **text, size_t *len)
{
	FILE *f;
	size_t i;

	*text = NULL;
	*len = 0;
	if (!m->version || !ioi_measure_version_ok(m->version))
		return -EINVAL;
	f = open_memstream(text, len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "iointercept measurement 1\nversion %s\n", m->version);
	put_hex(f, "build-id", m->has_build_id ? m->build_id : NULL,
		IOI_BUILD_ID_SIZE);
	put_hex(f, "policy", m->has_policy ? m->policy_hash : NULL,
		IOI_POLICY_HASH_LEN);
	for (i = 0; i < m->n_keys; i++)
		put_hex(f, "key", m->keys[i], IOI_KEY_ID_SIZE);
	fprintf(f, "locked %s\nhooks %s\n", m->locked ? "yes" : "no",
		m->hooks_armed ? "armed" : "disarmed");
	return ioi_memstream_close(f, text);
}

int ioi_measure_hash(const struct ioi_measure *m,
		     uint8_t out[IOI_MEASUREMENT_SIZE])
{
	size_t len;
	char *text;
	int ret;

	ret = ioi_measure_text(m, &text, &len);
	if (ret)
		return ret;
	ret = ioi_policy_sha256(text, len, out);
	free(text);
	return ret;
}
