/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Windows script droppers: a .js/.jse file, or the JScript of a .wsf or .hta file, is run in
 * box-js (npm, a WSH emulator on Debian's node; scripts/deps.sh installs it) inside
 * `airlock run --net sinkhole`, with data/wsh-preload.js loaded first. A .vbs/.vbe file, or
 * the VBScript of a .wsf/.hta file without JScript, is run as the JScript data/wsh-vbs.js
 * translates it to inside the sandbox; .jse/.vbe blocks are decoded first (scriptenc.h).
 * box-js writes what the script did (IOC.json, urls.json, the files it wrote) into a folder
 * bound into the sandbox; the host reads them through chase() without following links, and
 * maps them to findings with ATT&CK ids (docs/wsh.md). Written files become children judged
 * by the static engine. */

#include <stdbool.h>

#include "analysis/analysis.h"

/* Whether r is a Windows script by name (.js .jse .wsf .hta .vbs .vbe) or an HTA by type. */
bool wsh_may_run(const struct analysis_result *r);

/* Runs the script whose content is fd (read from its start with pread) as described above,
 * with the launcher airlock, for at most timeout_sec seconds; adds findings and children
 * (scanned with ctx) to r. Does not finalize r. Returns 1 when box-js ran, 0 when it did not
 * (with a finding saying why), or a negative errno when the run could not be prepared. */
int wsh_detonate(struct analysis_result *r, int fd, struct analysis_ctx *ctx, const char *airlock,
                 unsigned timeout_sec);
