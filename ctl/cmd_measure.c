// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli measure: the measurement a verifier expects, computed offline
 * from the policy file and the key identifiers it knows (measure.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keyfile.h"
#include "measure.h"
#include "policy.h"
#include "util.h"

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s measure --policy FILE [--build-id HEX64] [--key-id HEX32]...\n"
		"                 [--key KEYFILE]... [--locked yes|no]\n"
		"                 [--module-version V] [--text]\n\n"
		"Compute the measurement that iointercept.ko reports once it runs the\n"
		"policy in FILE (\"-\" is standard input) with these keys, and print\n"
		"its SHA-256, as attest and status print the module's. No module is\n"
		"needed: this is the verifier's side. The hooks are taken as armed.\n\n"
		"Options:\n"
		"  -p, --policy FILE         the policy file, as load-policy takes it\n"
		"  -b, --build-id HEX64      the build ID, or \"none\" (default: the\n"
		"                            file's build-id line, else none)\n"
		"  -i, --key-id HEX32        a loaded key's identifier (repeatable)\n"
		"  -k, --key KEYFILE         a loaded key, by its key file (repeatable;\n"
		"                            \"-\" is standard input)\n"
		"  -l, --locked yes|no       whether the module is locked (default: the\n"
		"                            file's lock line, else no)\n"
		"  -V, --module-version V    the module's version (default: %s's)\n"
		"  -t, --text                print the text that is hashed instead\n"
		"  -h, --help                show this help\n",
		PROG_NAME, PROG_NAME);
}

/* Add @id to @m; a usage error if it is there already or one too many. */
static int add_key(const char *cmd, struct ioi_measure *m,
		   const uint8_t id[IOI_KEY_ID_SIZE])
{
	char hex[2 * IOI_KEY_ID_SIZE + 1];
	int err = ioi_measure_add_key(m, id);

	if (err == -EEXIST) {
		ioi_hex(hex, id, IOI_KEY_ID_SIZE);
		return ioi_cli_usage_error(cmd, "key %s given twice", hex);
	}
	if (err)
		return ioi_cli_usage_error(cmd,
			"more than %d keys: the module holds no more",
			IOI_MAX_KEYS);
	return -1;
}

/* The identifiers of --key-id, then of the --key files. */
static int add_keys(const char *cmd, struct ioi_measure *m,
		    const struct ioi_cli_list *ids,
		    const struct ioi_cli_list *files)
{
	char msg[IOI_HEX_MSG_SIZE];
	uint8_t id[IOI_KEY_ID_SIZE];
	struct ioi_fmt_master key;
	const char *path;
	size_t i;
	int ret;

	for (i = 0; i < ids->n; i++) {
		if (ioi_hex_arg("key ID", ids->v[i], id, sizeof(id), true,
				NULL, NULL, msg))
			return ioi_cli_usage_error(cmd, "%s", msg);
		ret = add_key(cmd, m, id);
		if (ret >= 0)
			return ret;
	}
	for (i = 0; i < files->n; i++) {
		path = strcmp(files->v[i], "-") ? files->v[i] : NULL;
		if (ioi_keyfile_load(path, &key, cmd, stderr))
			return IOI_EXIT_FAIL;
		memcpy(id, key.key_id, sizeof(id));
		ioi_fmt_master_wipe(&key);
		ret = add_key(cmd, m, id);
		if (ret >= 0)
			return ret;
	}
	return -1;
}

/* --build-id and --locked, which override the policy file's lines. */
static int take_overrides(const char *cmd, struct ioi_measure *m,
			  const char *build_id, const char *locked)
{
	char msg[IOI_HEX_MSG_SIZE];

	if (build_id && !strcmp(build_id, "none")) {
		m->has_build_id = false;
	} else if (build_id) {
		if (ioi_hex_arg("build ID", build_id, m->build_id,
				sizeof(m->build_id), true, NULL, NULL, msg))
			return ioi_cli_usage_error(cmd, "%s", msg);
		m->has_build_id = true;
	}
	if (locked && strcmp(locked, "yes") && strcmp(locked, "no"))
		return ioi_cli_usage_error(cmd,
			"--locked takes yes or no, not '%s'", locked);
	if (locked)
		m->locked = !strcmp(locked, "yes");
	return -1;
}

/* Print the hash of @m, or its text with @text. */
static int print(const char *cmd, const struct ioi_measure *m, bool text)
{
	uint8_t hash[IOI_MEASUREMENT_SIZE];
	char hex[IOI_HASH_HEX_SIZE];
	size_t len;
	char *s;

	if (text) {
		if (ioi_measure_text(m, &s, &len))
			goto err;
		fwrite(s, 1, len, stdout);
		free(s);
		return IOI_EXIT_OK;
	}
	if (ioi_measure_hash(m, hash))
		goto err;
	ioi_hex(hex, hash, sizeof(hash));
	printf("%s\n", hex);
	return IOI_EXIT_OK;
err:
	fprintf(stderr, "%s %s: cannot compute the measurement\n", PROG_NAME,
		cmd);
	return IOI_EXIT_FAIL;
}

int ioi_measure_main(int argc, char *argv[])
{
	const char *policy = NULL, *build_id = NULL, *locked = NULL;
	const char *version = NULL;
	const char *ids_v[IOI_MAX_KEYS], *files_v[IOI_MAX_KEYS];
	struct ioi_cli_list ids = { ids_v, ARRAY_SIZE(ids_v), 0 };
	struct ioi_cli_list files = { files_v, ARRAY_SIZE(files_v), 0 };
	const char *cmd = argv[0];
	struct ioi_measure m;
	struct ioi_policy p;
	bool text = false;
	size_t i;
	int ret;
	const struct ioi_cli_flag flags[] = {
		{ "text", 't', &text },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_value values[] = {
		{ "policy", 'p', &policy },
		{ "build-id", 'b', &build_id },
		{ "locked", 'l', &locked },
		{ "module-version", 'V', &version },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_multi multi[] = {
		{ "key-id", 'i', &ids },
		{ "key", 'k', &files },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_spec spec = {
		.flags = flags,
		.values = values,
		.multi = multi,
		.help = show_help,
	};

	ret = ioi_cli_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (!policy)
		return ioi_cli_missing_arg(cmd, "--policy FILE");
	ioi_measure_init(&m);
	if (version)
		m.version = version;
	if (!ioi_measure_version_ok(m.version))
		return ioi_cli_usage_error(cmd,
			"--module-version takes 1 to 64 printable characters, no space");
	for (i = 0; i < files.n; i++)
		if (!strcmp(policy, "-") && !strcmp(files.v[i], "-"))
			return ioi_cli_usage_error(cmd,
				"--policy and --key cannot both read standard input");

	/* The arguments first: a usage error must not wait for the file. */
	ioi_policy_init(&p);
	ret = take_overrides(cmd, &m, build_id, locked);
	if (ret >= 0)
		goto out;
	ret = add_keys(cmd, &m, &ids, &files);
	if (ret >= 0)
		goto out;

	if (ioi_policy_parse_file(&p, policy, IOI_POLICY_F_CONTEXT, stderr)) {
		ret = IOI_EXIT_FAIL;
		goto out;
	}
	if (ioi_policy_hash(&p, m.policy_hash)) {
		fprintf(stderr, "%s %s: cannot compute the policy hash\n",
			PROG_NAME, cmd);
		ret = IOI_EXIT_FAIL;
		goto out;
	}
	m.has_policy = true;
	if (!build_id && p.load.has_build_id) {
		memcpy(m.build_id, p.load.build_id, sizeof(m.build_id));
		m.has_build_id = true;
	}
	if (!locked)
		m.locked = p.load.lock;
	ret = print(cmd, &m, text);
out:
	ioi_policy_free(&p);
	return ret;
}
