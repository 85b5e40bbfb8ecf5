/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor reads back the result tree a worker wrote as JSON (the format of the
 * reports, analysis_result_to_json()). The worker is not trusted: every field is checked for
 * its type, unknown verdicts and severities are refused, and the verdicts and scores are
 * recomputed from the findings by the caller's analysis_result_finalize(). */
#include <string.h>

#include "worker.h"

#define WORKER_MAX_NESTING 64

static const char *get_string(struct json_object *o, const char *key)
{
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return NULL;
        return json_object_get_string(v);
}

static int set_field(char **field, const char *value)
{
        if (!value)
                return 0;
        char *s = strdup(value);
        if (!s)
                return -ENOMEM;
        free(*field);
        *field = s;
        return 0;
}

static int parse_severity(const char *s, enum analysis_severity *ret)
{
        for (int i = ANALYSIS_SEVERITY_INFO; i <= ANALYSIS_SEVERITY_CRITICAL; i++)
                if (s && streq(s, analysis_severity_to_string(i))) {
                        *ret = i;
                        return 0;
                }
        return -EBADMSG;
}

static int add_finding(struct analysis_result *node, struct json_object *f)
{
        enum analysis_severity sev;
        struct json_object *attack;
        _cleanup_free_ char *ids = NULL;
        size_t len = 0;
        const char *rule = get_string(f, "rule");

        if (!rule || parse_severity(get_string(f, "severity"), &sev) < 0)
                return -EBADMSG;
        if (json_object_object_get_ex(f, "attack", &attack) &&
            json_object_is_type(attack, json_type_array))
                for (size_t i = 0; i < json_object_array_length(attack); i++) {
                        const char *id =
                                json_object_get_string(json_object_array_get_idx(attack, i));
                        if (!id || strchr(id, ','))
                                continue;
                        char *n = realloc(ids, len + strlen(id) + 2);
                        if (!n)
                                return -ENOMEM;
                        ids = n;
                        len += (size_t)sprintf(ids + len, "%s%s", len ? "," : "", id);
                }
        return analysis_result_add_finding(node, rule, sev, ids, get_string(f, "description"),
                                           get_string(f, "evidence"), get_string(f, "source"));
}

static int fill(struct json_object *o, struct analysis_result *node, unsigned level)
{
        struct json_object *v, *list;
        int k;

        if (!json_object_is_type(o, json_type_object) || level > WORKER_MAX_NESTING)
                return -EBADMSG;
        if ((k = set_field(&node->sha256, get_string(o, "sha256"))) < 0 ||
            (k = set_field(&node->type, get_string(o, "type"))) < 0 ||
            (k = set_field(&node->mime, get_string(o, "mime"))) < 0 ||
            (k = set_field(&node->limit, get_string(o, "limit"))) < 0 ||
            (k = set_field(&node->note, get_string(o, "note"))) < 0)
                return k;
        if (json_object_object_get_ex(o, "size", &v) && json_object_is_type(v, json_type_int))
                node->size = (uint64_t)json_object_get_int64(v);
        if (json_object_object_get_ex(o, "findings", &list) &&
            json_object_is_type(list, json_type_array))
                for (size_t i = 0; i < json_object_array_length(list); i++)
                        if ((k = add_finding(node, json_object_array_get_idx(list, i))) < 0)
                                return k;
        if (json_object_object_get_ex(o, "children", &list) &&
            json_object_is_type(list, json_type_array))
                for (size_t i = 0; i < json_object_array_length(list); i++) {
                        struct json_object *c = json_object_array_get_idx(list, i);
                        const char *path = get_string(c, "path"), *name = get_string(c, "name");
                        _cleanup_(analysis_result_freep) struct analysis_result *child =
                                analysis_result_new(path);
                        if (!child)
                                return -ENOMEM;
                        if ((k = set_field(&child->name, name)) < 0 ||
                            (k = fill(c, child, level + 1)) < 0 ||
                            (k = analysis_result_add_child(node, child)) < 0)
                                return k;
                        TAKE_PTR(child);
                }
        return 0;
}

int worker_result_from_json(struct json_object *o, struct analysis_result *node)
{
        return fill(o, node, 0);
}

int analysis_result_from_json(struct json_object *o, struct analysis_result *node)
{
        return fill(o, node, 0);
}
