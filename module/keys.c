// SPDX-License-Identifier: GPL-2.0
/*
 * Master keys. Only what the format needs is kept — each key's HKDF PRK
 * (and a transform keyed with it) and its identifier — in kernel memory
 * that is wiped when the key is removed and when the module goes. Nothing
 * here ever copies a key out: callers get identifiers and derived file
 * keys.
 *
 * Keys are used in process context only (opening a file, netlink), so a
 * mutex guards the list.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "crypt.h"
#include "keys.h"

struct ioi_key {
	struct list_head node;
	struct ioi_master m;
	bool generated;
};

static LIST_HEAD(keys);		/* newest first; the first seals new files */
static unsigned int nkeys;
static DEFINE_MUTEX(keys_lock);

static struct ioi_key *find(const u8 id[IOI_KEY_ID_SIZE])
{
	struct ioi_key *k;

	lockdep_assert_held(&keys_lock);
	list_for_each_entry(k, &keys, node)
		if (!memcmp(k->m.id, id, IOI_KEY_ID_SIZE))
			return k;
	return NULL;
}

static void wipe(struct ioi_key *k)
{
	list_del(&k->node);
	nkeys--;
	ioi_master_free(&k->m);
	kfree_sensitive(k);
}

int ioi_key_add(const u8 raw[IOI_KEY_SIZE], bool generated,
		u8 id[IOI_KEY_ID_SIZE], struct netlink_ext_ack *extack)
{
	struct ioi_key *k;
	int err;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	err = ioi_master_derive(raw, &k->m);
	if (err) {
		NL_SET_ERR_MSG(extack, "cannot derive from the key (hmac(sha256))");
		goto out;
	}
	k->generated = generated;
	mutex_lock(&keys_lock);
	if (find(k->m.id)) {
		NL_SET_ERR_MSG(extack, "this key is already loaded");
		err = -EEXIST;
	} else if (nkeys >= IOI_MAX_KEYS) {
		NL_SET_ERR_MSG(extack, "too many keys loaded: remove one first");
		err = -ENOSPC;
	} else {
		memcpy(id, k->m.id, IOI_KEY_ID_SIZE);
		list_add(&k->node, &keys);
		nkeys++;
		k = NULL;
	}
	mutex_unlock(&keys_lock);
	if (k)
		ioi_master_free(&k->m);
out:
	kfree_sensitive(k);
	return err;
}

int ioi_key_generate(u8 id[IOI_KEY_ID_SIZE], struct netlink_ext_ack *extack)
{
	u8 raw[IOI_KEY_SIZE];
	int err;

	/* Waits for the RNG to be seeded; a VM without entropy blocks here. */
	err = wait_for_random_bytes();
	if (err)
		return err;
	get_random_bytes(raw, sizeof(raw));
	err = ioi_key_add(raw, true, id, extack);
	memzero_explicit(raw, sizeof(raw));
	return err;
}

int ioi_key_remove(const u8 id[IOI_KEY_ID_SIZE])
{
	struct ioi_key *k;

	mutex_lock(&keys_lock);
	k = find(id);
	if (k)
		wipe(k);
	mutex_unlock(&keys_lock);
	return k ? 0 : -ENOKEY;
}

bool ioi_key_loaded(const u8 id[IOI_KEY_ID_SIZE])
{
	bool ret;

	mutex_lock(&keys_lock);
	ret = find(id);
	mutex_unlock(&keys_lock);
	return ret;
}

int ioi_key_active(u8 id[IOI_KEY_ID_SIZE])
{
	struct ioi_key *k;

	mutex_lock(&keys_lock);
	k = list_first_entry_or_null(&keys, struct ioi_key, node);
	if (k)
		memcpy(id, k->m.id, IOI_KEY_ID_SIZE);
	mutex_unlock(&keys_lock);
	return k ? 0 : -ENOKEY;
}

int ioi_key_file_key(const u8 id[IOI_KEY_ID_SIZE],
		     const u8 nonce[IOI_FILE_NONCE_SIZE], u8 key[IOI_KEY_SIZE])
{
	struct ioi_key *k;
	int err = -ENOKEY;

	mutex_lock(&keys_lock);
	k = find(id);
	if (k)
		err = ioi_file_key(&k->m, nonce, key);
	mutex_unlock(&keys_lock);
	return err;
}

int ioi_key_active_file_key(u8 id[IOI_KEY_ID_SIZE],
			    const u8 nonce[IOI_FILE_NONCE_SIZE],
			    u8 key[IOI_KEY_SIZE])
{
	struct ioi_key *k;
	int err = -ENOKEY;

	mutex_lock(&keys_lock);
	k = list_first_entry_or_null(&keys, struct ioi_key, node);
	if (k) {
		memcpy(id, k->m.id, IOI_KEY_ID_SIZE);
		err = ioi_file_key(&k->m, nonce, key);
	}
	mutex_unlock(&keys_lock);
	return err;
}

int ioi_key_redact(u8 key[IOI_HASH_SIZE])
{
	static const char info[] = "iointercept log redaction";
	struct ioi_key *k;
	int err = -ENOKEY;

	mutex_lock(&keys_lock);
	k = list_first_entry_or_null(&keys, struct ioi_key, node);
	if (k)
		err = ioi_master_expand(&k->m, info, sizeof(info) - 1, key,
					IOI_HASH_SIZE);
	mutex_unlock(&keys_lock);
	return err;
}

int ioi_key_ids(u8 ids[IOI_MAX_KEYS][IOI_KEY_ID_SIZE])
{
	struct ioi_key *k;
	int n = 0;

	mutex_lock(&keys_lock);
	list_for_each_entry(k, &keys, node)
		memcpy(ids[n++], k->m.id, IOI_KEY_ID_SIZE);
	mutex_unlock(&keys_lock);
	return n;
}

int ioi_keys_put_nl(struct sk_buff *msg)
{
	struct nlattr *nest, *entry;
	struct ioi_key *k;
	int err = 0;

	nest = nla_nest_start(msg, IOI_A_KEYS);
	if (!nest)
		return -EMSGSIZE;
	mutex_lock(&keys_lock);
	list_for_each_entry(k, &keys, node) {
		entry = nla_nest_start(msg, IOI_KEY_A_ENTRY);
		if (!entry ||
		    nla_put(msg, IOI_KEY_A_ID, IOI_KEY_ID_SIZE, k->m.id) ||
		    nla_put_u8(msg, IOI_KEY_A_ACTIVE,
			       list_is_first(&k->node, &keys)) ||
		    nla_put_u8(msg, IOI_KEY_A_GENERATED, k->generated)) {
			err = -EMSGSIZE;
			break;
		}
		nla_nest_end(msg, entry);
	}
	mutex_unlock(&keys_lock);
	if (err) {
		nla_nest_cancel(msg, nest);
		return err;
	}
	nla_nest_end(msg, nest);
	return 0;
}

void ioi_keys_exit(void)
{
	struct ioi_key *k, *tmp;

	mutex_lock(&keys_lock);
	list_for_each_entry_safe(k, tmp, &keys, node)
		wipe(k);
	mutex_unlock(&keys_lock);
}
