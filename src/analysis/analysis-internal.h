/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared between the modules of the engine; not part of the public API. */

#include <magic.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "analysis.h"
#include "basic/macro.h"

struct rules;

/* A libmagic handle pair. libmagic handles are not thread-safe: each scanning thread borrows
 * a pair of its own from the context's pool, so that threads never wait for each other. */
struct magic_pair {
        magic_t type, mime;
        struct magic_pair *next_free;
        struct magic_pair *next_all;
};

struct pool;

/* Tasks submitted together and waited for together. */
struct pool_group {
        unsigned pending; /* guarded by the pool's lock */
        int error;        /* the first negative errno a task returned */
};

/* pool.c: a pool of threads - 1 workers; NULL (and 0) when threads <= 1. Returns 0 or -ENOMEM. */
int pool_new(unsigned threads, struct pool **ret);
void pool_free(struct pool *p);
/* Queues fn(arg) in group g, or runs it at once when p is NULL or its queue is full. */
void pool_submit(struct pool *p, struct pool_group *g, int (*fn)(void *arg), void *arg);
/* Runs queued tasks until every task of g has finished. Returns 0 or the first negative
 * errno a task of g returned. */
int pool_wait(struct pool *p, struct pool_group *g);

/* cache.c: type and rule findings by SHA-256 and name (see there). */
struct scan_cache;
int scan_cache_new(struct scan_cache **ret);
void scan_cache_free(struct scan_cache *c);
/* When node's content (node->sha256, node->name) was scanned before: sets its type and MIME
 * type, adds the rule findings, and returns 1. Returns 0 when it was not (or c is NULL), or
 * -ENOMEM. */
int scan_cache_apply(struct scan_cache *c, struct analysis_result *node);
/* Keeps node's type, MIME type and findings[first...] (those of the rules). Best effort. */
void scan_cache_store(struct scan_cache *c, const struct analysis_result *node, size_t first);

/* What scanning the content of a node added below its own heuristics: the findings from
 * findings[first] on, and the whole tree of members and carved children, kept by SHA-256, name
 * and whether a disk image is above (the placement heuristics of the members depend on that),
 * for content that hit no limit anywhere. */
struct scan_tree_stats {
        unsigned height; /* levels below the node */
        uint64_t nodes;  /* nodes below the node (members and carved children) */
        uint64_t bytes;  /* their sizes added up */
};
/* Looks the tree up. When it is there and accept(stats, userdata) says yes, adds its findings
 * and copies of its children to node, sets *ret_stats and returns 1. Returns 0 otherwise, or
 * -ENOMEM. */
int scan_cache_apply_tree(struct scan_cache *c, struct analysis_result *node, bool in_disk_image,
                          bool (*accept)(const struct scan_tree_stats *s, void *userdata),
                          void *userdata, struct scan_tree_stats *ret_stats);
/* Keeps the tree below node (findings[first...] and the children) when it is small and hit no
 * limit; stats describe it. Best effort. */
void scan_cache_store_tree(struct scan_cache *c, const struct analysis_result *node,
                           bool in_disk_image, size_t first, const struct scan_tree_stats *stats);

struct analysis_ctx {
        struct analysis_options opts;
        struct scan_cache *cache;               /* NULL with opts.no_cache */
        analysis_message_walker message_walker; /* NULL: messages are text */
        pthread_mutex_t pool_lock;              /* guards the creation of pool */
        struct pool *pool; /* made on the first scan, so that a fork before it is safe */
        bool pool_made;
        char **rules_dirs; /* owned copy of opts.rules_dirs */
        char *clamd_address;
        pthread_mutex_t magic_lock; /* guards the two lists below */
        struct magic_pair *magic_free, *magic_all;
        struct rules *rules;
        pthread_mutex_t engines_lock; /* guards loading the magic database and the rules */
        /* The process that forks the confined workers (worker-zygote.c); -1 and 0: none yet. */
        _Atomic uint64_t files_scanned; /* top-level files done, for progress on a terminal */
        pthread_mutex_t zygote_lock;
        int zygote_sock;
        pid_t zygote_pid;
};

/* Per top-level file: the budgets of the limits. */
struct scan_state {
        struct analysis_ctx *ctx;
        _Atomic uint64_t members; /* tasks of one file count from several threads */
        _Atomic uint64_t expanded;
        struct timespec deadline;
        bool has_deadline;
};

/* engine.c: loads the magic database and the rules into ctx, once (in the supervisor, or in a
 * zygote or worker forked from a supervisor that left them to its workers). Returns 0 or a
 * negative errno; on -EINVAL *ret_error (when not NULL) says which file and why. */
int analysis_ctx_load_engines(struct analysis_ctx *ctx, char **ret_error);

/* rules.c: YARA rule pack plus hash lists. Returns 0 or a negative errno; on -EINVAL
 * *ret_error says which file and why. */
int rules_load(const struct analysis_options *opts, char *const *dirs, struct rules **ret,
               char **ret_error);
void rules_free(struct rules *r);
size_t rules_count(const struct rules *r);
/* Adds a finding to node for every rule matching data. Returns 0 or a negative errno. */
int rules_scan(const struct rules *r, const void *data, size_t size, const char *name,
               unsigned timeout_sec, struct analysis_result *node);

/* heuristics.c: findings from the name, the true type and the place in the tree. */
int heuristics_node(struct analysis_result *node, unsigned depth);
int heuristics_placement(struct analysis_result *node, unsigned depth);
bool heuristics_is_executable(const struct analysis_result *node);
/* Whether a disk image is among the containers above node (what the placement heuristics of
 * everything below node depend on, besides the content). */
bool heuristics_below_disk_image(const struct analysis_result *node);

/* clamd.c: streams data to clamd with INSTREAM. Returns 0 and sets *ret_virus to the
 * signature name (or NULL when clean), or a negative errno with *ret_error set. */
int clamd_scan(const char *address, const void *data, size_t size, char **ret_virus,
               char **ret_error);

/* engine.c */
bool scan_state_expired(const struct scan_state *st);
/* Scans data as the content of node, depth containers deep. Returns 0 or a negative errno. */
int scan_node_data(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                   size_t size, unsigned depth);

/* embedded.c: programs and archives inside other files, base64 blocks in text, packers and
 * formats airlock cannot open. Returns 0 or a negative errno. */
int embedded_scan(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                  size_t size, unsigned depth);
