/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The names of enum ioi_tee and enum ioi_module_sig, as sysfs (the module)
 * and ioctl-cli status print them: they must agree (docs/attestation.md).
 */
#ifndef _IOINTERCEPT_ATTEST_H
#define _IOINTERCEPT_ATTEST_H

#include <linux/iointercept.h>

static const char *const ioi_tee_names[] = {
	[IOI_TEE_NONE] = "none",
	[IOI_TEE_SEV] = "sev",
	[IOI_TEE_SEV_ES] = "sev-es",
	[IOI_TEE_SEV_SNP] = "sev-snp",
	[IOI_TEE_TDX] = "tdx",
};

static const char *const ioi_module_sig_names[] = {
	[IOI_MODULE_SIG_UNCHECKED] = "unchecked",
	[IOI_MODULE_SIG_VERIFIED] = "verified",
	[IOI_MODULE_SIG_UNVERIFIED] = "unverified",
};

#endif /* _IOINTERCEPT_ATTEST_H */
