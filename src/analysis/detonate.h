/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Detonation: a file the static engine found to be a program or a script is run inside
 * `airlock run --trace --net sinkhole` (every namespace, seccomp, Landlock, no network but the
 * sinkhole, canaries in its home, a time limit), and what it tried to do becomes findings of
 * its node, with source "detonation" and the monitor's ATT&CK ids. Files of other types, and
 * archive members (not on disk), are not run. */

#include <stdbool.h>

#include "analysis/analysis.h"
#include "basic/macro.h"

struct browser;

struct detonate_options {
        const char *airlock;  /* the airlock launcher; NULL: found beside this program */
        unsigned timeout_sec; /* per sample, default 10 */
        /* The static engine that judges the files a detonated web page hands over; NULL: web
         * pages (browser.h) are not loaded. */
        struct analysis_ctx *ctx;
        /* Where the browser that loads the pages of a batch is kept between calls (the caller
         * ends it with browser_free()); NULL: one browser per call. */
        struct browser **browser;
        /* A browser kept in *browser is ended before another sandbox (a program, a script,
         * box-js) starts: at most one sandbox at a time for the caller (the milter's scan
         * slots, each of which counts as one). */
        bool one_sandbox;
};

/* Parses a --detonate-timeout value: whole seconds from 1 to 3600. Returns 0, or -EINVAL. */
int detonate_timeout_parse(const char *s, unsigned *ret);

/* Whether r's type or name makes it something detonation may run (an ELF file, which the
 * run itself tells from a library, a script, or a web page, loaded when there is an engine
 * for what it hands over). */
bool detonate_may_run(const struct analysis_result *r);

/* Whether the walk of a message (or another caller that scanned r) should detonate r: a
 * clean node that detonate_may_run(), or a flagged web page or Windows script, whose
 * recovered payload and its verdict are the evidence the static rules cannot give. Flagged
 * programs and shell scripts are not run. Finalizes r first (its static verdict). */
bool detonate_wanted(struct analysis_result *r);

/* Detonates every runnable file in the tree below r (a file or a folder scan) that exists on
 * disk at its path, adds the findings, and finalizes r. Returns the number of samples run,
 * or a negative errno when the launcher cannot be started at all. */
int analysis_detonate(struct analysis_result *r, const struct detonate_options *o);

/* Starts the browser of o->browser ahead of the scan of path when path is named as a web page
 * (browser_prestart()), so that Chromium starts while the static engine works. Returns 1 when
 * started, 0 when not (not a page by name, no o->ctx or o->browser), or a negative errno. */
int analysis_detonate_prestart(const char *path, const struct detonate_options *o);

/* Detonates the single node r, whose content is the open file fd (read from its start with
 * pread; for callers that scanned an fd, such as the download watcher and the mail walk), when
 * it is a program or a script (Windows scripts in box-js, analysis/wsh.h), or a web page when
 * o->ctx is given (in *o->browser when given),
 * and finalizes r. Returns 1 when it ran, 0 when it is not runnable, or a negative errno. */
int analysis_detonate_fd(struct analysis_result *r, int fd, const struct detonate_options *o);

/* Runs argv (argv[0] looked up in PATH) with /dev/null as its standard streams and waits for
 * it; *ret_status is its exit status, or 128 + the signal that ended it (125: /dev/null could
 * not be opened, 127: argv[0] could not be run). Returns 0 or a negative errno. */
int detonate_spawn_quiet(const char *const *argv, int *ret_status);

/* Appends "; " and what fmt says to buf (of size size), as far as it fits: the evidence
 * lines of the detonators' findings. */
void detonate_append(char *buf, size_t size, const char *fmt, ...) _printf_(3, 4);
