// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli attest: the module's measurement, and with --out a TEE report
 * whose report data carries it (docs/attestation.md). The netlink side is
 * here, the configfs side in tsm.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "status.h"
#include "tsm.h"
#include "util.h"

_Static_assert(IOI_MEASUREMENT_SIZE + IOI_TSM_NONCE_MAX == IOI_TSM_DATA_SIZE,
	       "the report data is the measurement and the nonce");

struct attest {
	const char *cmd;
	const char *out;	/* NULL: no report */
	const char *dir;
	uint8_t data[IOI_TSM_DATA_SIZE];	/* measurement, nonce, zeros */
	size_t nonce_len;
	struct ioi_tsm_result res;
};

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s attest [--nonce HEX] [--out FILE] [--tsm-dir DIR] [--json]\n\n"
		"Print the module's measurement (64 hex digits). With --out, also have\n"
		"the TEE make a report through the kernel's configfs TSM interface\n"
		"(Linux 6.7 or later, in an Intel TDX or AMD SEV-SNP guest) whose 64\n"
		"bytes of report data are the measurement, then the nonce padded with\n"
		"zero bytes, and write it to FILE, whole or not at all. Fails if another\n"
		"writer used the report entry meanwhile, or if the measurement changed\n"
		"while the report was made (attest after lock so it cannot).\n\n"
		"Options:\n"
		"  -n, --nonce HEX    the verifier's challenge: up to 64 hex digits (32\n"
		"                     bytes), an even number; needs --out\n"
		"  -o, --out FILE     write the TEE report to FILE\n"
		"  -d, --tsm-dir DIR  the TSM report directory (default %s);\n"
		"                     needs --out\n"
		"  -j, --json         print one JSON object instead of text\n"
		"  -h, --help         show this help\n",
		PROG_NAME, IOI_TSM_DIR);
}

/* The options' rules, before anything is read or asked. */
static int check_args(struct attest *a, const char *nonce)
{
	char msg[IOI_HEX_MSG_SIZE];

	if (nonce && !a->out)
		return ioi_cli_usage_error(a->cmd,
			"--nonce needs --out: the nonce goes into the TEE report");
	if (a->dir && !a->out)
		return ioi_cli_usage_error(a->cmd, "--tsm-dir needs --out");
	if (a->out && !strcmp(a->out, "-"))
		return ioi_cli_usage_error(a->cmd,
			"--out needs a file name: the report is binary");
	if (nonce && ioi_hex_arg("nonce", nonce,
				 a->data + IOI_MEASUREMENT_SIZE,
				 IOI_TSM_NONCE_MAX, false, &a->nonce_len, NULL,
				 msg))
		return ioi_cli_usage_error(a->cmd, "%s", msg);
	if (!a->dir)
		a->dir = IOI_TSM_DIR;
	return -1;
}

/* The module's measurement into a->data. */
static int measure(struct attest *a)
{
	struct ioi_status st;
	int ret;

	ret = ioi_status_get(a->cmd, &st);
	if (ret)
		return ret;
	if (!st.has_measurement) {
		fprintf(stderr, "%s %s: iointercept.ko %s reports no measurement (older than %s)\n",
			PROG_NAME, a->cmd, st.version, PROG_NAME);
		return IOI_EXIT_FAIL;
	}
	memcpy(a->data, st.measurement, IOI_MEASUREMENT_SIZE);
	return IOI_EXIT_OK;
}

/* After the report: the measurement in it must still be the module's. */
static int check_unchanged(void *arg)
{
	struct attest *a = arg;
	uint8_t before[IOI_MEASUREMENT_SIZE];
	int ret;

	memcpy(before, a->data, sizeof(before));
	ret = measure(a);
	if (!ret && memcmp(before, a->data, sizeof(before))) {
		fprintf(stderr, "%s %s: the measurement changed while the report was made: the report is discarded (lock first)\n",
			PROG_NAME, a->cmd);
		ret = IOI_EXIT_FAIL;
	}
	return ret;
}

static int report(struct attest *a)
{
	int ret;

	ret = ioi_tsm_report_file(a->dir, a->data, a->out, &a->res,
				  check_unchanged, a, a->cmd, stderr);
	return ret < 0 ? IOI_EXIT_FAIL : ret;
}

static void print_text(const struct attest *a)
{
	char hex[IOI_HASH_HEX_SIZE];

	ioi_hex(hex, a->data, IOI_MEASUREMENT_SIZE);
	printf("%s\n", hex);
	if (!a->out)
		return;
	printf("report: %s, %zu bytes", a->out, a->res.size);
	if (*a->res.provider) {
		fputs(", provider ", stdout);
		ioi_fputs_escaped(stdout, a->res.provider);
	}
	printf(", generation %llu\n", a->res.generation);
}

static int print_json(const struct attest *a)
{
	struct json_object *obj = json_object_new_object();
	char hex[IOI_HASH_HEX_SIZE];
	int ret;

	if (!obj)
		goto err;
	ioi_hex(hex, a->data, IOI_MEASUREMENT_SIZE);
	if (ioi_json_add(obj, "measurement", json_object_new_string(hex)))
		goto err;
	if (a->out &&
	    (ioi_json_add(obj, "report", json_object_new_string(a->out)) ||
	     ioi_json_add(obj, "report_size",
			  json_object_new_uint64(a->res.size)) ||
	     ioi_json_add(obj, "generation",
			  json_object_new_uint64(a->res.generation))))
		goto err;
	if (a->nonce_len) {
		ioi_hex(hex, a->data + IOI_MEASUREMENT_SIZE, a->nonce_len);
		if (ioi_json_add(obj, "nonce", json_object_new_string(hex)))
			goto err;
	}
	if (a->out && *a->res.provider &&
	    ioi_json_add(obj, "provider",
			 json_object_new_string(a->res.provider)))
		goto err;
	/* It drops obj, printed or not. */
	ret = ioi_json_print(stdout, obj);
	if (!ret)
		return IOI_EXIT_OK;
	fprintf(stderr, "%s %s: %s\n", PROG_NAME, a->cmd, strerror(-ret));
	return IOI_EXIT_FAIL;
err:
	json_object_put(obj);
	fprintf(stderr, "%s %s: out of memory\n", PROG_NAME, a->cmd);
	return IOI_EXIT_FAIL;
}

int ioi_attest_main(int argc, char *argv[])
{
	struct attest a = { .cmd = argv[0] };
	const char *nonce = NULL;
	bool json = false;
	int ret;
	const struct ioi_cli_flag flags[] = {
		{ "json", 'j', &json },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_value values[] = {
		{ "nonce", 'n', &nonce },
		{ "out", 'o', &a.out },
		{ "tsm-dir", 'd', &a.dir },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_spec spec = {
		.flags = flags,
		.values = values,
		.help = show_help,
	};

	ret = ioi_cli_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	ret = check_args(&a, nonce);
	if (ret >= 0)
		return ret;
	if (a.out && ioi_tsm_check_dir(a.dir, a.cmd, stderr))
		return IOI_EXIT_FAIL;

	ret = measure(&a);
	if (!ret && a.out)
		ret = report(&a);
	if (ret)
		return ret;
	if (json)
		return print_json(&a);
	print_text(&a);
	return IOI_EXIT_OK;
}
