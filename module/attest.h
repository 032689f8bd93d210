/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IOI_ATTEST_H
#define _IOI_ATTEST_H

#include <linux/types.h>
#include <linux/iointercept.h>

void ioi_build_id_set(const u8 id[IOI_BUILD_ID_SIZE]);
/* False if no build ID was set. */
bool ioi_build_id(u8 id[IOI_BUILD_ID_SIZE]);
enum ioi_tee ioi_tee(void);
enum ioi_module_sig ioi_module_sig(void);
/*
 * The measurement of the state now (docs/attestation.md), and whether the
 * hooks were armed in it: one canary check serves both. Sleeps.
 */
bool ioi_measure(u8 out[IOI_MEASUREMENT_SIZE]);

#endif /* _IOI_ATTEST_H */
