/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measurement of docs/attestation.md: the text the module hashes and
 * its SHA-256, built here from what a verifier knows (measure) so it can
 * be compared with what the module reports (status, attest). Pure.
 */
#ifndef IOI_CTL_MEASURE_H
#define IOI_CTL_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/iointercept.h>

/* The inputs, one per line of the text. */
struct ioi_measure {
	const char *version;	/* the module's, e.g. "0.1.0"; not owned */
	bool has_build_id;
	uint8_t build_id[IOI_BUILD_ID_SIZE];
	bool has_policy;
	uint8_t policy_hash[IOI_POLICY_HASH_LEN];
	/* Ascending by bytes, no two equal: use ioi_measure_add_key(). */
	size_t n_keys;
	uint8_t keys[IOI_MAX_KEYS][IOI_KEY_ID_SIZE];
	bool locked;
	bool hooks_armed;
};

/*
 * ioctl-cli's own version (the module's when both come from one build), no
 * build ID, no policy, no key, not locked, hooks armed.
 */
void ioi_measure_init(struct ioi_measure *m);

/*
 * Add the key identifier @id in its place. Returns 0, -EEXIST if it is
 * there already (the module cannot hold a key twice), or -E2BIG beyond
 * IOI_MAX_KEYS (nor more than that many).
 */
int ioi_measure_add_key(struct ioi_measure *m,
			const uint8_t id[IOI_KEY_ID_SIZE]);

/*
 * Whether @v can be the version line's value: 1 to 64 printable ASCII
 * characters, no space, so the text stays one line of two words.
 */
bool ioi_measure_version_ok(const char *v);

/*
 * The text, malloc()ed and NUL-terminated, its length (without the NUL) in
 * *@len:
 *
 *	iointercept measurement 1
 *	version V
 *	build-id HEX64|none
 *	policy HEX64|none
 *	key HEX32		one per key, in ascending order
 *	locked yes|no
 *	hooks armed|disarmed
 *
 * Returns 0, -EINVAL if the version is not ioi_measure_version_ok(), or
 * -ENOMEM.
 */
int ioi_measure_text(const struct ioi_measure *m, char **text, size_t *len);

/* SHA-256 of that text. Returns 0, -EINVAL, -ENOMEM or -EIO. */
int ioi_measure_hash(const struct ioi_measure *m,
		     uint8_t out[IOI_MEASUREMENT_SIZE]);

#endif /* IOI_CTL_MEASURE_H */
