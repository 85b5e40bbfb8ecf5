/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Page detonation: an HTML, XHTML or SVG file is loaded in Debian's headless Chromium inside
 * `airlock run --net sinkhole` (Chromium's own sandbox on inside it), driven over the DevTools
 * protocol on a pipe (--remote-debugging-pipe). A script installed before any script of the
 * page (data/browser-instrument.js) records the files the page builds (Blob, File,
 * URL.createObjectURL, msSaveOrOpenBlob, a[download], data:/blob: navigations, window.open,
 * fetch of data: URLs); timers run on virtual time, so that a payload held back for a minute
 * comes within a second or two; the page is clicked once loaded. Each recovered file becomes a
 * child of the page, judged by the static engine; the page gets T1027.006 (T1027.017 for SVG)
 * when what it handed over is a program, a script, an archive or anything not clean. */

#include <stdbool.h>

#include "analysis/analysis.h"

/* Whether r is a page Chromium would render: HTML, XHTML or SVG by type (or, for text, by
 * name). */
bool browser_may_load(const struct analysis_result *r);

/* One sandboxed browser for a batch of pages (an analysis, a message): started by the first
 * page, each page then loaded in a fresh browser context (its own cookies, storage, cache and
 * service workers), disposed of after it. A browser that misses a page's deadline or loses a
 * context is ended and the next page starts another. */
struct browser;

/* Ends the browser and its sandbox. NULL is fine. */
void browser_free(struct browser *b);

/* Starts the browser in *browser (made with the launcher airlock when NULL) before the page
 * at path has been scanned, when its name says it is a page (.html, .htm, .xhtml, .svg,
 * .shtml): the browser's start, the longest step of a single page's verdict, then runs while
 * the static engine scans the file. The first page loaded gets the time of a browser's start,
 * as if it had started it. Returns 1 when started, 0 when path is not named as a page or the
 * browser runs already, or a negative errno. */
int browser_prestart(struct browser **browser, const char *airlock, const char *path);

/* Loads the page whose content is fd (read from its start with pread) as described above, in
 * *browser (started with the launcher airlock and stored there when NULL; the caller frees it
 * with browser_free() after the batch), for at most timeout_sec seconds (plus the browser's
 * start when it starts for this page); adds the findings and the recovered files (scanned
 * with ctx) to r. Does not finalize r. Returns 1 when the page was loaded, 0 when r is not a
 * page, or a negative errno when the run could not be prepared. */
int browser_detonate(struct browser **browser, struct analysis_result *r, int fd,
                     struct analysis_ctx *ctx, const char *airlock, unsigned timeout_sec);

/* Loads the page r, a member at any depth of container (an archive or a mail message on disk,
 * whose node is an ancestor of r), as browser_detonate() does: its content is taken out of
 * container inside airlock run --net none (data/member-extract.py) and found by r's SHA-256.
 * Returns 1 when the page was loaded, 0 when r is not a page, or a negative errno (-ENOENT:
 * not found in container). */
int browser_detonate_member(struct browser **browser, const struct analysis_result *container,
                            struct analysis_result *r, struct analysis_ctx *ctx,
                            const char *airlock, unsigned timeout_sec);
