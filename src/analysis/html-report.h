/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The HTML report: one self-contained page rendered from the JSON report of a scan
 * (analysis_report_new(), mail scan's report, or one message of the milter). Nothing in it
 * runs or loads: a Content-Security-Policy of default-src 'none' (inline style and data:
 * images only), no script, every string from the sample HTML-escaped with its control and
 * bidi characters shown, URLs from the sample as text; the only links are ATT&CK pages. */

#include <json-c/json.h>

/* Writes the page for report to fd (opened with report_open(), which refuses a link a sandbox
 * could have planted, and truncated). Returns 0 or a negative errno. */
int html_report_write(int fd, struct json_object *report);
