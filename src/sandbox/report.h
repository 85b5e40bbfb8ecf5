/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "launcher.h"
#include "policy/policy.h"

#define RUN_REPORT_SCHEMA_VERSION 1

/* Opens the report file path ("-" for stdout) before the program starts, without truncating
 * it yet: a regular file, reached without following a link at its last component or below a
 * folder that p's sandbox (or another) can write. Returns the fd (close-on-exec) or a
 * negative errno after logging. */
int report_open(const char *path, const struct policy *p);

struct json_object;
/* Writes the run report (docs/run-report.schema.json) to fd, opened by report_open(path):
 * what was enforced, the exit status and resource use, after extend() added its sections
 * (the monitor's events, findings ...; extend may be NULL). Returns 0, or a negative errno
 * after logging. */
int report_write_run_extended(int fd, const char *path, const struct policy *p,
                              const struct launcher_result *res,
                              int (*extend)(void *userdata, struct json_object *report),
                              void *userdata);
