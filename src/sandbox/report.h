/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "launcher.h"
#include "policy.h"

#define RUN_REPORT_SCHEMA_VERSION 1

/* Writes the run report (docs/run-report.schema.json) to path, "-" for stdout: what was
 * enforced, the exit status and resource use. Returns 0, or a negative errno after logging. */
int report_write_run(const char *path, const struct policy *p, const struct launcher_result *res);

struct json_object;
/* The same, letting extend() add sections (the monitor's events, findings ...) before the
 * report is written. extend may be NULL. */
int report_write_run_extended(const char *path, const struct policy *p,
                              const struct launcher_result *res,
                              int (*extend)(void *userdata, struct json_object *report),
                              void *userdata);
