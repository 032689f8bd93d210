// SPDX-License-Identifier: GPL-2.0
/*
 * The policy in memory, its canonical text and SHA-256, and its JSON form.
 * The parser is in policy_parse.c, the netlink form in policy_nl.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "policy.h"
#include "util.h"

void ioi_policy_init(struct ioi_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = IOI_MODE_ENFORCE;
	p->scope = IOI_SCOPE_ALL;
	p->dflt = IOI_DEFAULT_DENY;
}

static void free_rules(struct ioi_policy_rule *rules, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rules[i].pattern);
	free(rules);
}

void ioi_policy_free(struct ioi_policy *p)
{
	free_rules(p->access, p->n_access);
	free_rules(p->encrypt, p->n_encrypt);
	free(p->cgroup);
	ioi_policy_init(p);
}

int ioi_policy_add_rule(struct ioi_policy *p, uint8_t kind, uint8_t access,
			const char *pattern, unsigned int line)
{
	bool enc = kind == IOI_RULE_ENCRYPT;
	struct ioi_policy_rule **rules = enc ? &p->encrypt : &p->access;
	size_t *n = enc ? &p->n_encrypt : &p->n_access;
	size_t max = enc ? IOI_MAX_ENCRYPT_RULES : IOI_MAX_ACCESS_RULES;
	struct ioi_policy_rule *r;

	if (*n >= max)
		return -E2BIG;
	/* Room for the most there can be, on first use: at most 24 KiB. */
	if (!*rules) {
		*rules = calloc(max, sizeof(**rules));
		if (!*rules)
			return -ENOMEM;
	}
	r = &(*rules)[*n];
	r->pattern = strdup(pattern);
	if (!r->pattern)
		return -ENOMEM;
	r->kind = kind;
	r->access = access;
	r->line = line;
	(*n)++;
	return 0;
}

const struct ioi_policy_rule *ioi_policy_rule_at(const struct ioi_policy *p,
						 size_t index)
{
	if (index < p->n_access)
		return &p->access[index];
	index -= p->n_access;
	if (index < p->n_encrypt)
		return &p->encrypt[index];
	return NULL;
}

/* Canonical text */

void ioi_policy_put_quoted(FILE *f, const char *s)
{
	const char *c;

	if (!strpbrk(s, " \t#\"")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (c = s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fputc('\\', f);
		fputc(*c, f);
	}
	fputc('"', f);
}

static void put_rule(FILE *f, const struct ioi_policy_rule *r)
{
	fprintf(f, "%s ", ioi_policy_kind_name(r->kind));
	if (r->kind == IOI_RULE_ALLOW)
		fprintf(f, "%s ", ioi_policy_access_name(r->access));
	else if (r->kind == IOI_RULE_ENCRYPT)
		fprintf(f, "%s ", ioi_policy_encrypt_name(r->access));
	ioi_policy_put_quoted(f, r->pattern);
	fputc('\n', f);
}

int ioi_policy_canonical(const struct ioi_policy *p, char **text,
			 size_t *len)
{
	FILE *f;
	size_t i;

	*text = NULL;
	*len = 0;
	f = open_memstream(text, len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "mode %s\n", ioi_policy_mode_name(p->mode));
	if (p->scope == IOI_SCOPE_CGROUP) {
		fputs("scope cgroup ", f);
		ioi_policy_put_quoted(f, p->cgroup ? p->cgroup : "");
		fputc('\n', f);
	} else {
		fputs("scope all\n", f);
	}
	fprintf(f, "default %s\n", ioi_policy_default_name(p->dflt));
	/* Only when not the default, so older policies keep their hash. */
	if (p->on_plaintext != IOI_ON_PLAINTEXT_REFUSE)
		fprintf(f, "on-plaintext %s\n",
			ioi_policy_on_plaintext_name(p->on_plaintext));
	if (p->log_paths != IOI_LOG_PATHS_FULL)
		fprintf(f, "log-paths %s\n",
			ioi_policy_log_paths_name(p->log_paths));
	if (p->require_tee)
		fputs("require-tee yes\n", f);
	for (i = 0; i < p->n_access; i++)
		put_rule(f, &p->access[i]);
	for (i = 0; i < p->n_encrypt; i++)
		put_rule(f, &p->encrypt[i]);
	return ioi_memstream_close(f, text);
}

int ioi_policy_sha256(const void *data, size_t len,
		      uint8_t out[IOI_POLICY_HASH_LEN])
{
	unsigned int n = 0;

	if (!EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) ||
	    n != IOI_POLICY_HASH_LEN)
		return -EIO;
	return 0;
}

int ioi_policy_hash(const struct ioi_policy *p,
		    uint8_t out[IOI_POLICY_HASH_LEN])
{
	size_t len;
	char *text;
	int ret;

	ret = ioi_policy_canonical(p, &text, &len);
	if (ret)
		return ret;
	ret = ioi_policy_sha256(text, len, out);
	free(text);
	return ret;
}

/* JSON */

/* Append @val to @arr; drop it on failure. */
static int append(struct json_object *arr, struct json_object *val)
{
	if (!val || json_object_array_add(arr, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *rule_to_json(const struct ioi_policy_rule *r)
{
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if (r->kind == IOI_RULE_ENCRYPT) {
		if (ioi_json_add(obj, "mode", json_object_new_string(
				ioi_policy_encrypt_name(r->access))))
			goto err;
	} else {
		if (ioi_json_add(obj, "kind", json_object_new_string(
				ioi_policy_kind_name(r->kind))))
			goto err;
		if (r->kind == IOI_RULE_ALLOW &&
		    ioi_json_add(obj, "access", json_object_new_string(
				ioi_policy_access_name(r->access))))
			goto err;
	}
	if (ioi_json_add(obj, "pattern", json_object_new_string(r->pattern)))
		goto err;
	return obj;
err:
	json_object_put(obj);
	return NULL;
}

struct json_object *ioi_policy_to_json(const struct ioi_policy *p,
				       const uint8_t hash[IOI_POLICY_HASH_LEN])
{
	struct json_object *obj, *rules, *encrypt;
	char hex[IOI_HASH_HEX_SIZE];
	size_t i;

	obj = json_object_new_object();
	if (!obj)
		return NULL;
	if (ioi_json_add(obj, "mode",
		json_object_new_string(ioi_policy_mode_name(p->mode))) ||
	    ioi_json_add(obj, "scope", json_object_new_string(
			p->scope == IOI_SCOPE_CGROUP ? "cgroup" : "all")))
		goto err;
	if (p->scope == IOI_SCOPE_CGROUP &&
	    ioi_json_add(obj, "cgroup",
			 json_object_new_string(p->cgroup ?: "")))
		goto err;
	if (ioi_json_add(obj, "default",
		json_object_new_string(ioi_policy_default_name(p->dflt))) ||
	    ioi_json_add(obj, "on-plaintext", json_object_new_string(
		ioi_policy_on_plaintext_name(p->on_plaintext))) ||
	    ioi_json_add(obj, "log-paths", json_object_new_string(
		ioi_policy_log_paths_name(p->log_paths))) ||
	    ioi_json_add(obj, "require-tee", json_object_new_string(
		ioi_policy_yes_no(p->require_tee))))
		goto err;

	/* Added first, so obj owns them and frees them on error. */
	rules = json_object_new_array();
	if (ioi_json_add(obj, "rules", rules))
		goto err;
	for (i = 0; i < p->n_access; i++)
		if (append(rules, rule_to_json(&p->access[i])))
			goto err;
	encrypt = json_object_new_array();
	if (ioi_json_add(obj, "encrypt", encrypt))
		goto err;
	for (i = 0; i < p->n_encrypt; i++)
		if (append(encrypt, rule_to_json(&p->encrypt[i])))
			goto err;

	ioi_hex(hex, hash, IOI_POLICY_HASH_LEN);
	if (ioi_json_add(obj, "sha256", json_object_new_string(hex)))
		goto err;
	return obj;
err:
	json_object_put(obj);
	return NULL;
}
