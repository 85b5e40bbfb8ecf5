/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The download watcher: folders (and their subfolders, up to max_depth levels below them)
 * watched with inotify, every finished file judged by the
 * analysis engine, then left in place and marked (clean) or moved into the quarantine store
 * (anything else). A gate folder is watched the same way, but its clean files are moved on to
 * a release folder, and nothing else ever is.
 *
 * inotify, not fanotify: fanotify's permission events (which could hold an open() until the
 * verdict) need CAP_SYS_ADMIN in the initial user namespace, and the watcher runs as the
 * user whose downloads it watches. The gate gives the same guarantee for browsers: a file is
 * only visible in the release folder once it was judged clean. */

#include <stdbool.h>
#include <stdint.h>

#include "analysis/analysis.h"

struct watch_config {
        char **dirs;                  /* folders whose files are judged in place; not owned */
        char **gates;                 /* gate folders; not owned */
        char **releases;              /* the release folder of each gate, same length; not owned */
        const char *quarantine;       /* the store */
        bool quarantine_make_parents; /* the default store: make its parent folders */
        struct analysis_options opts;
        bool json;                 /* log lines are JSON objects */
        bool detonate;             /* also run programs and scripts (analysis/detonate.h) */
        unsigned detonate_timeout; /* seconds per sample, 0: the default */
        unsigned max_depth;        /* subfolder levels watched below each folder (not gates) */
        int log_fd;                /* where log lines go */
};

struct watch_stats {
        uint64_t judged, clean, quarantined, released, held, errors;
        enum analysis_verdict worst;
};

struct watcher;

/* Opens the folders (creating gates and release folders when missing), the store and the
 * analysis context. Returns 0, or a negative errno after logging what failed. */
int watcher_new(const struct watch_config *cfg, struct watcher **ret);
struct watcher *watcher_free(struct watcher *w);

/* Judges every file present in the folders that carries no valid mark, then returns.
 * Returns 0 or a negative errno. */
int watcher_run_once(struct watcher *w);

/* Watches until SIGTERM or SIGINT (SIGHUP reloads the rules): judges what is present, then
 * every file that is closed after writing or moved in. When pid_file is not NULL it is
 * written once the watches are in place (the ready signal). Returns 0 after a stop signal,
 * or a negative errno. The caller blocks nothing: signals are handled here. */
int watcher_run(struct watcher *w, const char *pid_file);

const struct watch_stats *watcher_stats(const struct watcher *w);

static inline void watcher_freep(struct watcher **p)
{
        if (*p)
                watcher_free(*p);
}
