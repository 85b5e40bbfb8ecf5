/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Reading members of a json-c object that another process wrote (a sandboxed run's report,
 * box-js's IOC.json, a browser's capture): a missing member or one of another type is NULL,
 * never an error, so that callers can treat untrusted documents field by field. */

#include <json-c/json.h>
#include <stddef.h>

/* The string value of o's member key, NULL when o is NULL, key is absent or not a string. */
static inline const char *jstr(json_object *o, const char *key)
{
        json_object *v;

        return o && json_object_object_get_ex(o, key, &v) &&
                               json_object_is_type(v, json_type_string)
                       ? json_object_get_string(v)
                       : NULL;
}

/* o's member key whatever its type, NULL when o is NULL or key is absent. */
static inline json_object *jget(json_object *o, const char *key)
{
        json_object *v;

        return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* o's member key when it has the given type, else NULL. */
static inline json_object *jget_type(json_object *o, const char *key, enum json_type type)
{
        json_object *v = jget(o, key);

        return v && json_object_is_type(v, type) ? v : NULL;
}
