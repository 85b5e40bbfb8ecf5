/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Helpers shared by airlock watch and airlock open: which names are a browser's unfinished
 * downloads, the mark a judged file carries, and the summary of a verdict for one log line. */

#include <stdbool.h>
#include <stdio.h>

#include "analysis/analysis.h"

/* Extended attributes on a file judged clean: the verdict and the SHA-256 of the content
 * judged. A file whose content no longer has that hash is judged again. */
#define ENDPOINT_XATTR_VERDICT "user.airlock.verdict"
#define ENDPOINT_XATTR_SHA256  "user.airlock.sha256"

/* Whether name is a download still being written (Chromium's *.crdownload, Firefox's *.part,
 * Safari's *.download, *.tmp...) or a temporary file of airlock itself: such files are
 * judged only once they are renamed to their final name. */
bool endpoint_is_partial_name(const char *name);

/* Whether the file open at fd carries a mark whose hash matches its content. Reads the
 * whole file to hash it. Returns true only for a valid mark. */
bool endpoint_has_valid_mark(int fd);

/* Marks the file open at fd as judged with verdict v and content hash sha256. Returns 0 or a
 * negative errno (-EOPNOTSUPP on file systems without user xattrs, -EPERM). */
int endpoint_mark(int fd, enum analysis_verdict v, const char *sha256);

/* The distinct rule names and ATT&CK ids found anywhere in the tree r, in order of first
 * appearance. Returns 0 and two NULL-terminated vectors (which may be NULL when empty), or
 * -ENOMEM. */
int endpoint_collect_findings(const struct analysis_result *r, char ***ret_rules,
                              char ***ret_attack);

/* The most severe finding in the tree r, or NULL. */
const struct analysis_finding *endpoint_top_finding(const struct analysis_result *r);

/* Writes s with control characters escaped as \xHH, so that a name is one line. */
void endpoint_print_escaped(FILE *f, const char *s);
