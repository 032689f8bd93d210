/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a member of a JSON object a test printed, asserting its type.
 * Include after <cmocka.h> and <json-c/json.h>.
 */
#ifndef IOI_TEST_JSON_GET_H
#define IOI_TEST_JSON_GET_H

#include <stdbool.h>

static inline const char *get_str(struct json_object *obj, const char *key)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(obj, key, &v));
	assert_true(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

static inline bool get_bool(struct json_object *obj, const char *key)
{
	struct json_object *v;

	assert_true(json_object_object_get_ex(obj, key, &v));
	assert_true(json_object_is_type(v, json_type_boolean));
	return json_object_get_boolean(v);
}

#endif /* IOI_TEST_JSON_GET_H */
