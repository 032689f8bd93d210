// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-cli inspect [--key KEYFILE] [--json] FILE: an encrypted file's
 * header, sizes and end record, and with the key whether all of it
 * verifies, and which blocks do not (all of them: after a crash, that is
 * the list of blocks that read as EIO) and whether the end record does
 * (after a crash it may be missing or stale: reads past the end fail).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"
#include "crypt.h"
#include "keyfile.h"
#include "util.h"

#define NO_KEY	"not verified (no --key)"

struct bad_block {
	uint64_t block;
	uint64_t offset;
	const char *why;
};

struct report {
	const char *name;
	const struct ioi_crypt_status *st;
	bool keyed;
	bool failed;
	struct bad_block *bad;	/* every block that did not verify */
	size_t nbad, room;
};

static void show_help(FILE *f)
{
	fprintf(f,
		"Usage: %s inspect [--key KEYFILE] [--json] FILE\n\n"
		"Show the header of FILE, a file in the format of encrypt rules\n"
		"(docs/format.md), its stored size, block count, plaintext size and\n"
		"where its end record is. With --key, also decrypt every block and\n"
		"check the end record, and say \"verified\", or list every block that\n"
		"fails, at which offset, and why (the blocks the module reads as\n"
		"EIO), and the end record if it fails. No module needed; FILE \"-\"\n"
		"is standard input. Exits 1 if FILE is not valid or does not verify.\n\n"
		"Options:\n"
		"  -k, --key KEYFILE  verify with this master key\n"
		"  -j, --json         print one JSON object instead of text\n"
		"  -h, --help         show this help\n",
		PROG_NAME);
}

static int add_bad(void *arg, uint64_t block, uint64_t offset,
		   const char *why)
{
	struct report *r = arg;
	struct bad_block *more;

	if (r->nbad == r->room) {
		r->room = r->room ? 2 * r->room : 16;
		more = reallocarray(r->bad, r->room, sizeof(*r->bad));
		if (!more)
			return -1;
		r->bad = more;
	}
	r->bad[r->nbad++] = (struct bad_block){ block, offset, why };
	return 0;
}

static const char *suite_name(uint8_t suite)
{
	return suite == IOI_FMT_SUITE ? "AES-256-GCM, HKDF-SHA-256" : "unknown";
}

/* The verification line: "verified", NO_KEY, or "failed: why". */
static void verification(const struct report *r, char *buf, size_t size)
{
	if (!r->keyed)
		snprintf(buf, size, NO_KEY);
	else if (r->failed)
		snprintf(buf, size, "failed: %s", r->st->msg);
	else
		snprintf(buf, size, "verified");
}

static void print_text(const struct report *r)
{
	const struct ioi_crypt_status *st = r->st;
	const struct ioi_fmt_header *h = &st->header;
	char hex[2 * IOI_FMT_FILE_NONCE_SIZE + 1];
	char line[sizeof(st->msg) + 16];
	size_t i;

	/* A file name is not to drive the terminal. */
	ioi_fputs_escaped(stdout, r->name);
	fputs(":\n", stdout);
	if (st->has_header) {
		printf("  version: %u\n", h->version);
		printf("  suite: %u (%s)\n", h->suite, suite_name(h->suite));
		if (h->block_shift < 64)
			printf("  block size: %llu\n",
			       1ULL << h->block_shift);
		else
			printf("  block size: 2^%u\n", h->block_shift);
		printf("  flags: 0x%02x\n", h->flags);
		ioi_hex(hex, h->key_id, sizeof(h->key_id));
		printf("  key id: %s\n", hex);
		ioi_hex(hex, h->file_nonce, sizeof(h->file_nonce));
		printf("  file nonce: %s\n", hex);
		ioi_hex(hex, h->tag, sizeof(h->tag));
		printf("  header tag: %s\n", hex);
	} else if (!st->lower_size) {
		printf("  header: none (an empty file)\n");
	}
	printf("  lower size: %llu\n", (unsigned long long)st->lower_size);
	if (st->sizes_valid) {
		printf("  blocks: %llu\n", (unsigned long long)st->blocks);
		printf("  plaintext size: %llu\n",
		       (unsigned long long)st->plain_size);
		if (st->has_end)
			printf("  end record: at offset %llu%s\n",
			       (unsigned long long)st->end_offset,
			       !st->end_checked ? "" :
			       st->end_ok ? ", verified" : ", does not verify");
		else
			printf("  end record: none (no data)\n");
	} else {
		printf("  plaintext size: invalid\n");
	}
	/* Without a key, a bad header or size is still worth a line. */
	if (r->failed && !r->keyed)
		printf("  error: %s\n", st->msg);
	verification(r, line, sizeof(line));
	printf("  verification: %s\n", line);
	for (i = 0; i < r->nbad; i++)
		printf("  bad block %llu at offset %llu: %s\n",
		       (unsigned long long)r->bad[i].block,
		       (unsigned long long)r->bad[i].offset, r->bad[i].why);
	if (st->end_checked && !st->end_ok)
		printf("  bad end record at offset %llu: %s\n",
		       (unsigned long long)st->end_offset,
		       ioi_fmt_strerror(IOI_FMT_E_END_AUTH));
}

static int add_hex(struct json_object *obj, const char *key,
		   const uint8_t *bytes, size_t len)
{
	char hex[2 * IOI_FMT_FILE_NONCE_SIZE + 1];

	ioi_hex(hex, bytes, len);
	return ioi_json_add(obj, key, json_object_new_string(hex));
}

static struct json_object *header_to_json(const struct ioi_fmt_header *h)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (ioi_json_add(obj, "version", json_object_new_int(h->version)) ||
	    ioi_json_add(obj, "suite", json_object_new_int(h->suite)) ||
	    ioi_json_add(obj, "block_size_log2",
			 json_object_new_int(h->block_shift)) ||
	    (h->block_shift < 64 &&
	     ioi_json_add(obj, "block_size",
			  json_object_new_uint64(1ULL << h->block_shift))) ||
	    ioi_json_add(obj, "flags", json_object_new_int(h->flags)) ||
	    add_hex(obj, "key_id", h->key_id, sizeof(h->key_id)) ||
	    add_hex(obj, "file_nonce", h->file_nonce,
		    sizeof(h->file_nonce)) ||
	    add_hex(obj, "header_tag", h->tag, sizeof(h->tag))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static int add_u64(struct json_object *obj, const char *key, uint64_t v)
{
	return ioi_json_add(obj, key, json_object_new_uint64(v));
}

static struct json_object *bad_to_json(const struct report *r)
{
	struct json_object *arr = json_object_new_array(), *obj;
	size_t i;

	for (i = 0; arr && i < r->nbad; i++) {
		obj = json_object_new_object();
		if (!obj ||
		    add_u64(obj, "block", r->bad[i].block) ||
		    add_u64(obj, "offset", r->bad[i].offset) ||
		    ioi_json_add(obj, "error",
				 json_object_new_string(r->bad[i].why)) ||
		    json_object_array_add(arr, obj)) {
			json_object_put(obj);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/* {"offset", "verified" (once checked), "error" (when it failed)} */
static struct json_object *end_to_json(const struct ioi_crypt_status *st)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (add_u64(obj, "offset", st->end_offset) ||
	    (st->end_checked &&
	     ioi_json_add(obj, "verified",
			  json_object_new_boolean(st->end_ok))) ||
	    (st->end_checked && !st->end_ok &&
	     ioi_json_add(obj, "error", json_object_new_string(
				ioi_fmt_strerror(IOI_FMT_E_END_AUTH))))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static struct json_object *report_to_json(const struct report *r)
{
	const struct ioi_crypt_status *st = r->st;
	struct json_object *obj = json_object_new_object();
	char line[sizeof(st->msg) + 16];

	if (!obj)
		return NULL;
	verification(r, line, sizeof(line));
	if (ioi_json_add(obj, "file", json_object_new_string(r->name)) ||
	    (st->has_header &&
	     ioi_json_add(obj, "header", header_to_json(&st->header))) ||
	    add_u64(obj, "lower_size", st->lower_size) ||
	    (st->sizes_valid &&
	     (add_u64(obj, "blocks", st->blocks) ||
	      add_u64(obj, "plaintext_size", st->plain_size))) ||
	    (st->has_end &&
	     ioi_json_add(obj, "end_record", end_to_json(st))) ||
	    ioi_json_add(obj, "verified",
			 json_object_new_boolean(r->keyed && !r->failed)) ||
	    ioi_json_add(obj, "verification", json_object_new_string(line)))
		goto err;
	if (r->failed &&
	    (ioi_json_add(obj, "error", json_object_new_string(st->msg)) ||
	     (st->has_block && (add_u64(obj, "error_block", st->block) ||
				add_u64(obj, "error_offset", st->offset)))))
		goto err;
	if (r->keyed && ioi_json_add(obj, "bad_blocks", bad_to_json(r)))
		goto err;
	return obj;
err:
	json_object_put(obj);
	return NULL;
}

static int print_json(const struct report *r)
{
	struct json_object *obj = report_to_json(r);
	const char *text;
	int ret = 0;

	text = obj ? json_object_to_json_string_ext(obj,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	if (text)
		printf("%s\n", text);
	else
		ret = -ENOMEM;
	json_object_put(obj);
	return ret;
}

static int inspect(const char *path, const struct ioi_fmt_master *m,
		   bool json)
{
	struct ioi_crypt_status st;
	struct report r = {
		.name = ioi_crypt_in_name(path),
		.st = &st,
		.keyed = m != NULL,
	};
	FILE *in;
	int ret;

	in = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!in) {
		fprintf(stderr, "%s inspect: %s: %s\n", PROG_NAME, path,
			strerror(errno));
		return IOI_EXIT_FAIL;
	}
	r.failed = ioi_crypt_verify(in, m, add_bad, &r, &st) != 0;
	ret = r.failed ? IOI_EXIT_FAIL : IOI_EXIT_OK;
	if (in != stdin)
		fclose(in);
	/* Nothing to show of a file that could not be read. */
	if (r.failed && st.err < 0) {
		fprintf(stderr, "%s inspect: %s: %s\n", PROG_NAME, r.name,
			st.msg);
		ret = IOI_EXIT_FAIL;
	} else if (!json) {
		print_text(&r);
	} else if (print_json(&r)) {
		fprintf(stderr, "%s inspect: out of memory\n", PROG_NAME);
		ret = IOI_EXIT_FAIL;
	}
	free(r.bad);
	return ret;
}

int ioi_inspect_main(int argc, char *argv[])
{
	static const char *const args[] = { "FILE", NULL };
	const char *keyfile = NULL;
	struct ioi_fmt_master m;
	bool json = false;
	int ret;
	const struct ioi_cli_flag flags[] = {
		{ "json", 'j', &json },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_value values[] = {
		{ "key", 'k', &keyfile },
		{ NULL, 0, NULL }
	};
	const struct ioi_cli_spec spec = {
		.flags = flags,
		.values = values,
		.help = show_help,
		.args = args,
	};

	ret = ioi_cli_parse(argc, argv, &spec);
	if (ret >= 0)
		return ret;
	if (!keyfile)
		return inspect(argv[optind], NULL, json);
	if (ioi_keyfile_load(keyfile, &m, argv[0], stderr))
		return IOI_EXIT_FAIL;
	ret = inspect(argv[optind], &m, json);
	ioi_fmt_master_wipe(&m);
	return ret;
}
