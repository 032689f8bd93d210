// SPDX-License-Identifier: GPL-2.0
/*
 * What a verifier needs to know about this module: the build ID it was
 * given, the confidential-computing platform it runs on, what the kernel
 * made of its signature, and the measurement that condenses the state a
 * verifier can recompute (docs/attestation.md defines the text hashed).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cc_platform.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <crypto/sha2.h>
#include <iointercept/version.h>

#include "armed.h"
#include "attest.h"
#include "keys.h"
#include "lock.h"
#include "policy.h"

static DEFINE_MUTEX(build_id_lock);
static u8 build_id[IOI_BUILD_ID_SIZE];
static bool build_id_known;

void ioi_build_id_set(const u8 id[IOI_BUILD_ID_SIZE])
{
	mutex_lock(&build_id_lock);
	memcpy(build_id, id, IOI_BUILD_ID_SIZE);
	build_id_known = true;
	mutex_unlock(&build_id_lock);
}

bool ioi_build_id(u8 id[IOI_BUILD_ID_SIZE])
{
	bool known;

	mutex_lock(&build_id_lock);
	known = build_id_known;
	memcpy(id, build_id, IOI_BUILD_ID_SIZE);
	mutex_unlock(&build_id_lock);
	return known;
}

/* As the kernel decided at boot; TDX also sets the memory attribute. */
enum ioi_tee ioi_tee(void)
{
#ifdef CONFIG_ARCH_HAS_CC_PLATFORM
#ifdef CONFIG_X86
	if (boot_cpu_has(X86_FEATURE_TDX_GUEST))
		return IOI_TEE_TDX;
#endif
	if (cc_platform_has(CC_ATTR_GUEST_SEV_SNP))
		return IOI_TEE_SEV_SNP;
	if (cc_platform_has(CC_ATTR_GUEST_STATE_ENCRYPT))
		return IOI_TEE_SEV_ES;
	if (cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		return IOI_TEE_SEV;
#endif
	return IOI_TEE_NONE;
}

enum ioi_module_sig ioi_module_sig(void)
{
#ifdef CONFIG_MODULE_SIG
	return THIS_MODULE->sig_ok ? IOI_MODULE_SIG_VERIFIED :
				     IOI_MODULE_SIG_UNVERIFIED;
#else
	return IOI_MODULE_SIG_UNCHECKED;
#endif
}

static __printf(2, 3) void line(struct sha256_state *s, const char *fmt, ...)
{
	char buf[96];
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	sha256_update(s, buf, min_t(int, n, sizeof(buf) - 1));
}

static int cmp_id(const void *a, const void *b)
{
	return memcmp(a, b, IOI_KEY_ID_SIZE);
}

bool ioi_measure(u8 out[IOI_MEASUREMENT_SIZE])
{
	bool armed = ioi_hooks_armed();
	u8 ids[IOI_MAX_KEYS][IOI_KEY_ID_SIZE];
	u8 id[IOI_BUILD_ID_SIZE];
	u8 hash[IOI_POLICY_HASH_LEN];
	struct sha256_state s;
	int i, n;

	sha256_init(&s);
	line(&s, "iointercept measurement 1\n");
	line(&s, "version %s\n", IOI_VERSION);
	if (ioi_build_id(id))
		line(&s, "build-id %*phN\n", IOI_BUILD_ID_SIZE, id);
	else
		line(&s, "build-id none\n");
	if (ioi_policy_hash(hash))
		line(&s, "policy %*phN\n", IOI_POLICY_HASH_LEN, hash);
	else
		line(&s, "policy none\n");
	n = ioi_key_ids(ids);
	sort(ids, n, IOI_KEY_ID_SIZE, cmp_id, NULL);
	for (i = 0; i < n; i++)
		line(&s, "key %*phN\n", IOI_KEY_ID_SIZE, ids[i]);
	line(&s, "locked %s\n", ioi_locked() ? "yes" : "no");
	line(&s, "hooks %s\n", armed ? "armed" : "disarmed");
	sha256_final(&s, out);
	return armed;
}
