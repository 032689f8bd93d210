// SPDX-License-Identifier: GPL-2.0
/*
 * The master keys as netlink attributes: what IOI_CMD_KEY_ADD and
 * IOI_CMD_KEY_REMOVE send, what IOI_CMD_KEY_ADD, IOI_CMD_KEY_GENERATE and
 * IOI_CMD_KEY_LIST return, and the list printed. See key_nl.h.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>

#include "key_nl.h"
#include "nl.h"
#include "util.h"

int ioi_key_put_raw(struct nlmsghdr *nlh, size_t buflen,
		    const uint8_t key[IOI_KEY_SIZE])
{
	return mnl_attr_put_check(nlh, buflen, IOI_A_KEY_RAW, IOI_KEY_SIZE,
				  key) ? 0 : -EMSGSIZE;
}

int ioi_key_put_id(struct nlmsghdr *nlh, size_t buflen,
		   const uint8_t id[IOI_KEY_ID_SIZE])
{
	return mnl_attr_put_check(nlh, buflen, IOI_A_KEY_ID, IOI_KEY_ID_SIZE,
				  id) ? 0 : -EMSGSIZE;
}

/* The identifier in @attr (IOI_A_KEY_ID or IOI_KEY_A_ID), if there is one. */
static int get_id(const struct nlattr *attr, uint8_t id[IOI_KEY_ID_SIZE])
{
	if (!attr)
		return -ENODATA;
	if (mnl_attr_get_payload_len(attr) != IOI_KEY_ID_SIZE)
		return -EBADMSG;
	memcpy(id, mnl_attr_get_payload(attr), IOI_KEY_ID_SIZE);
	return 0;
}

/* A u8 attribute as a boolean. */
static int get_flag(const struct nlattr *attr, bool *v)
{
	if (!attr)
		return -ENODATA;
	if (mnl_attr_validate(attr, MNL_TYPE_U8) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u8(attr) != 0;
	return 0;
}

int ioi_key_parse_id_reply(const struct nlmsghdr *nlh,
			   uint8_t id[IOI_KEY_ID_SIZE])
{
	const struct nlattr *tb[IOI_A_MAX + 1] = {};

	if (ioi_nl_parse_reply(nlh, tb, IOI_A_MAX) < 0)
		return -EBADMSG;
	return get_id(tb[IOI_A_KEY_ID], id);
}

int ioi_key_parse_remove_reply(const struct nlmsghdr *nlh, uint32_t *open)
{
	const struct nlattr *tb[IOI_A_MAX + 1] = {};

	if (ioi_nl_parse_reply(nlh, tb, IOI_A_MAX) < 0)
		return -EBADMSG;
	if (!tb[IOI_A_KEY_OPEN_FILES])
		return -ENODATA;
	if (mnl_attr_validate(tb[IOI_A_KEY_OPEN_FILES], MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*open = mnl_attr_get_u32(tb[IOI_A_KEY_OPEN_FILES]);
	return 0;
}

struct list_ctx {
	struct ioi_key_list *l;
	int err;
};

static int decode_entry(const struct nlattr *nest, struct ioi_key_list *l)
{
	const struct nlattr *tb[IOI_KEY_A_MAX + 1] = {};
	struct ioi_key_info *k;
	int ret;

	if (l->n == IOI_MAX_KEYS)
		return -EBADMSG;	/* more than a module holds */
	if (ioi_nl_parse_nested(nest, tb, IOI_KEY_A_MAX) < 0)
		return -EBADMSG;
	k = &l->keys[l->n];
	ret = get_id(tb[IOI_KEY_A_ID], k->id);
	if (!ret)
		ret = get_flag(tb[IOI_KEY_A_ACTIVE], &k->active);
	if (!ret)
		ret = get_flag(tb[IOI_KEY_A_GENERATED], &k->generated);
	if (ret)
		return ret;
	l->n++;
	return 0;
}

static int entries_cb(const struct nlattr *attr, void *data)
{
	struct list_ctx *ctx = data;

	/* Padding and a newer module's attributes are not entries. */
	if (mnl_attr_get_type(attr) != IOI_KEY_A_ENTRY)
		return MNL_CB_OK;
	ctx->err = decode_entry(attr, ctx->l);
	return ctx->err ? MNL_CB_ERROR : MNL_CB_OK;
}

int ioi_key_parse_list_reply(const struct nlmsghdr *nlh,
			     struct ioi_key_list *l)
{
	const struct nlattr *tb[IOI_A_MAX + 1] = {};
	struct list_ctx ctx = { .l = l };
	const struct nlattr *keys;

	memset(l, 0, sizeof(*l));
	if (ioi_nl_parse_reply(nlh, tb, IOI_A_MAX) < 0)
		return -EBADMSG;
	keys = tb[IOI_A_KEYS];
	if (!keys)
		return -ENODATA;
	if (mnl_attr_validate(keys, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	if (ioi_nl_parse_attrs(mnl_attr_get_payload(keys),
			       mnl_attr_get_payload_len(keys), entries_cb,
			       &ctx) < 0)
		return ctx.err ?: -EBADMSG;
	return 0;
}

int ioi_key_list_print_text(FILE *f, const struct ioi_key_list *l)
{
	char hex[IOI_KEY_ID_HEX_SIZE];
	size_t i;

	for (i = 0; i < l->n; i++) {
		ioi_hex(hex, l->keys[i].id, IOI_KEY_ID_SIZE);
		fprintf(f, "%s  %-6s  %s\n", hex,
			l->keys[i].active ? "active" : "-",
			l->keys[i].generated ? "generated" : "added");
	}
	return ferror(f) ? -EIO : 0;
}

static struct json_object *key_to_json(const struct ioi_key_info *k)
{
	struct json_object *obj = json_object_new_object();
	char hex[IOI_KEY_ID_HEX_SIZE];

	if (!obj)
		return NULL;
	ioi_hex(hex, k->id, IOI_KEY_ID_SIZE);
	if (ioi_json_add(obj, "id", json_object_new_string(hex)) ||
	    ioi_json_add(obj, "active", json_object_new_boolean(k->active)) ||
	    ioi_json_add(obj, "generated",
			 json_object_new_boolean(k->generated))) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

struct json_object *ioi_key_list_to_json(const struct ioi_key_list *l)
{
	struct json_object *arr = json_object_new_array();
	struct json_object *obj;
	size_t i;

	if (!arr)
		return NULL;
	for (i = 0; i < l->n; i++) {
		obj = key_to_json(&l->keys[i]);
		if (!obj || json_object_array_add(arr, obj)) {
			json_object_put(obj);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

int ioi_key_list_print_json(FILE *f, const struct ioi_key_list *l)
{
	return ioi_json_print(f, ioi_key_list_to_json(l));
}
