/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The confined worker: hostile content (a file, a download, an attachment) is parsed and
 * matched by libmagic, libarchive, YARA and GMime in a child process that confines itself
 * before it reads a byte of it (docs/worker.md). The supervisor, this process, only passes the
 * fd, holds the deadline and reads back the JSON of the result tree. */

#include <linux/filter.h>

#include "analysis-internal.h"

/* Scans the open file fd into node in a confined child. The child is kept for the next
 * files of this thread (recycled after a number of them or any error). A child past the deadline
 * (the time limit plus a second) is killed and node is unscannable with limit "time"; a child that
 * dies on a signal makes node unscannable with the finding worker.crashed naming the signal.
 * Returns 0, or the negative errno the scan in the child returned, or one of fork, pipe or reading
 * the result. */
int worker_scan_fd(struct analysis_ctx *ctx, int fd, struct analysis_result *node);

/* Scans data held in memory into node in a confined child, as worker_scan_fd(): the child
 * reads it from its copy of this process's memory. */
int worker_scan_data(struct analysis_ctx *ctx, struct analysis_result *node, const void *data,
                     size_t size, unsigned depth);

/* engine.c: the scans the worker runs in process. Return 0 or a negative errno. */
int scan_open_file_in_process(struct analysis_ctx *ctx, int fd, struct analysis_result *node);
int scan_buffer_into(struct analysis_ctx *ctx, struct analysis_result *node, const void *data,
                     size_t size, unsigned depth);
int scan_clamd(struct analysis_ctx *ctx, struct analysis_result *node, const void *data,
               size_t size);

/* Applies the worker's confinement to the calling (single-threaded) process: no_new_privs,
 * rlimits, namespaces where allowed, capabilities dropped, Landlock with no file system
 * access, and the seccomp allow-list. Returns 0 or a negative errno (seccomp could not be
 * loaded: the caller must not go on). */
int worker_confine(const struct analysis_limits *lim, bool tie_to_parent);
/* Builds the seccomp filter of worker_confine() once, in the zygote, before workers are forked.
 * Returns 0 or a negative errno. */
int worker_confine_prepare(void);
/* The worker's seccomp program, written directly in classic BPF for this architecture (or by
 * libseccomp where this file does not know the architecture), and the same compiled by
 * libseccomp, which the unit test compares it with. Return 0 and a malloc'd program, or a
 * negative errno. */
int worker_filter_build(struct sock_filter **ret, size_t *ret_len);
int worker_filter_build_libseccomp(struct sock_filter **ret, size_t *ret_len);
/* Starts one worker of ctx and leaves it idle, so that the first file does not wait for its
 * confinement. */
void worker_pool_prestart(struct analysis_ctx *ctx);

/* Fills node from the JSON of analysis_result_to_json() (its path and name are kept).
 * Returns 0, -EBADMSG for JSON that is not a result, or -ENOMEM. */
/* worker-zygote.c: asks the zygote of ctx (started now when there is none) for a new worker
 * that serves sock; it is this process's child. Returns 0 and its pid, or a negative errno. */
int worker_spawn(struct analysis_ctx *ctx, int sock, pid_t *ret_pid);
/* Ends the zygote of ctx. */
void worker_zygote_stop(struct analysis_ctx *ctx);
/* worker.c: the worker's life, in the child the zygote forked: confines itself, then serves
 * the jobs that come over sock. */
_Noreturn void worker_main(struct analysis_ctx *ctx, int sock, bool tie_to_parent);

/* In the zygote, before it forks workers: the registered job's preparation. */
void worker_job_prepare(void);

/* Kills the child pid and reaps it later (when a worker is next started or put back, or a
 * context freed), instead of waiting while it ends. */
void worker_reap_later(pid_t pid);

/* Ends the idle workers forked with ctx. */
void worker_pool_drop(struct analysis_ctx *ctx);

/* The worker's CPU limit is the time limit plus 2 s, times this: it serves several files. */
#define WORKER_CPU_FACTOR 8

int worker_result_from_json(struct json_object *o, struct analysis_result *node);

/* cache.c: the scan cache shared with the workers. In the supervisor, before the first worker
 * or zygote is forked: makes the table the workers will read (idempotent). Returns 0 or a
 * negative errno (then nothing is shared). */
int scan_cache_share(struct scan_cache *c);
/* In a forked worker: a cache of its own that also reads the supervisor's shared table. */
struct scan_cache *scan_cache_worker(const struct scan_cache *supervisor);
/* In a worker: keep (on) or not the entries the next job adds, and take them as a JSON array
 * (NULL and 0 when there are none). */
void scan_cache_export_begin(struct scan_cache *c, bool on);
char *scan_cache_export_take(struct scan_cache *c, size_t *ret_size);
/* In the supervisor: checks the entries a worker sent and adds them to the shared table.
 * Returns 0, or -EBADMSG (then none is added). */
int scan_cache_ingest(struct scan_cache *c, const char *text, size_t size);
