/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <json-c/json.h>

#include "basic/log.h"
#include "report.h"

/* Interim writer until the core branch's full report lands: the schema version, the exit
 * status and the "resources" object (resources_to_json()). */
int report_write_run(const char *path, const struct policy *p, const struct launcher_result *res)
{
        struct json_object *root = json_object_new_object();
        int r = 0;

        (void)p;
        if (!root)
                return log_error_errno(-ENOMEM, "cannot write the report: %m");
        json_object_object_add(root, "schema_version",
                               json_object_new_int(RUN_REPORT_SCHEMA_VERSION));
        json_object_object_add(root, "exit_status", json_object_new_int(res->exit_status));
        json_object_object_add(root, "resources", resources_to_json(&res->resources));
        if (streq(path, "-"))
                puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
        else if (json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY) < 0)
                r = log_error_errno(-EIO, "cannot write the report %s: %s", path,
                                    json_util_get_last_err());
        json_object_put(root);
        return r;
}
