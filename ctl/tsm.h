/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A TEE report through the kernel's configfs TSM interface
 * (Documentation/ABI/testing/configfs-tsm, Linux 6.7 and later, in Intel
 * TDX and AMD SEV-SNP guests): the file steps of `ioctl-cli attest`, kept
 * apart from the netlink ones so they can be tested against a directory
 * laid out like the configfs one.
 */
#ifndef IOI_CTL_TSM_H
#define IOI_CTL_TSM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define IOI_TSM_DIR		"/sys/kernel/config/tsm/report"
#define IOI_TSM_ENTRY		"iointercept"	/* our entry under it */
#define IOI_TSM_DATA_SIZE	64		/* inblob: the report data */
#define IOI_TSM_NONCE_MAX	32		/* its second half */
/* Far more than any report (the kernel caps them at 32 KiB or so). */
#define IOI_TSM_OUTBLOB_MAX	(16 * 1024 * 1024)

/* What came with a report. */
struct ioi_tsm_result {
	unsigned long long generation;	/* of the entry, after the report */
	size_t size;			/* bytes of the report */
	char provider[64];		/* "tdx_guest"...; "" if not said */
};

/*
 * Check that @dir is there before anything else is done. On error prints
 * "ioctl-cli @cmd: ..." to @err, saying that the kernel offers no TSM
 * report interface when @dir does not exist; returns a negative errno.
 */
int ioi_tsm_check_dir(const char *dir, const char *cmd, FILE *err);

/*
 * Have the TSM report directory @dir make a report over @data: make (or
 * reuse) @dir/IOI_TSM_ENTRY, read its generation, write @data to inblob,
 * read outblob to its end into @out, and read the generation again, which
 * must have moved by exactly one (else another writer used the entry
 * meanwhile and the report may hold its data). outblob is read with
 * open() and read() alone: no size is asked for, no seek. On success @res
 * says what came; on error "ioctl-cli @cmd: ..." is printed to @err and a
 * negative errno returned (@out may hold part of a report: discard it).
 */
int ioi_tsm_report(const char *dir, const uint8_t data[IOI_TSM_DATA_SIZE],
		   FILE *out, struct ioi_tsm_result *res, const char *cmd,
		   FILE *err);

/*
 * ioi_tsm_report() into the file @path, which appears whole or not at all
 * (outfile.h; "-" is not a file for this): it is created first, so a bad
 * @path is found before the TEE is asked, and committed only if @check
 * (may be NULL) then returns 0 (for attest: the measurement did not change
 * meanwhile). Returns 0, a negative errno after printing why, or what
 * @check returned; on any failure @path is as it was.
 */
int ioi_tsm_report_file(const char *dir,
			const uint8_t data[IOI_TSM_DATA_SIZE],
			const char *path, struct ioi_tsm_result *res,
			int (*check)(void *arg), void *arg, const char *cmd,
			FILE *err);

#endif /* IOI_CTL_TSM_H */
