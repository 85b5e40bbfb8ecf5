/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The static triage engine: what a file really is, what is inside it, and whether it carries
 * a known attack pattern. One context is made once (rules compiled, libmagic loaded) and is
 * then used for any number of files, from any number of threads at once.
 *
 * A scan yields a tree of struct analysis_result: the file, and below it its archive members
 * (and, for callers such as the mail scanner, MIME parts they add themselves). Each node has
 * findings; its score and verdict follow from its own findings and the worst child
 * (docs/scoring.md). The tree is turned into the JSON report of docs/analysis-report.schema.json
 * by analysis_report_new() / analysis_result_to_json().
 *
 * This header is a contract with the mail engineer: extend it, never change what is here. */

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ANALYSIS_SCHEMA_VERSION 1

/* Ordered from best to worst: analysis_verdict_worst() relies on it. Unscannable ranks below
 * malicious (a known-bad child decides) but above suspicious (never let it through silently). */
enum analysis_verdict {
        ANALYSIS_CLEAN = 0,
        ANALYSIS_SUSPICIOUS = 1,
        ANALYSIS_UNSCANNABLE = 2,
        ANALYSIS_MALICIOUS = 3,
};

enum analysis_severity {
        ANALYSIS_SEVERITY_INFO = 0,     /* a note: adds nothing to the score */
        ANALYSIS_SEVERITY_LOW = 1,      /* score 2: clean unless combined with others */
        ANALYSIS_SEVERITY_MEDIUM = 2,   /* score 5: suspicious */
        ANALYSIS_SEVERITY_HIGH = 3,     /* score 8: malicious */
        ANALYSIS_SEVERITY_CRITICAL = 4, /* score 10: malicious (known bad: signature, hash) */
};

/* Limits in the spirit of clamd and amavis. Hitting one makes the node unscannable with
 * the limit named in result->limit; never clean. 0 means "no limit" for every field. */
struct analysis_limits {
        unsigned max_depth;     /* container nesting, default 8 */
        uint64_t max_members;   /* archive members in one top-level file, default 10,000 */
        uint64_t max_expansion; /* bytes extracted from one top-level file, default 1 GiB */
        unsigned max_ratio;     /* uncompressed:compressed, default 100 (checked above 1 MiB) */
        unsigned timeout_sec;   /* wall time for one top-level file, default 120 */
        uint64_t max_file_size; /* larger files are not read: unscannable, default 1 GiB */
};

struct analysis_options {
        struct analysis_limits limits;
        /* NULL-terminated list of folders with users' rules, added to the shipped pack:
         * *.yar / *.yara (YARA) and *.hsb / *.hdb / *.sha256 (lines "SHA256:SIZE:NAME",
         * SIZE may be '*'). Not owned. */
        char *const *rules_dirs;
        bool no_builtin_rules; /* do not load the shipped rules/ pack */
        /* "unix:PATH" or "tcp:HOST:PORT" of a clamd to stream every file to; NULL: none. */
        const char *clamd_address;
        /* Threads that scan the files of a folder and the members of archives (from any entry
         * point), at most ANALYSIS_MAX_THREADS; default: the CPUs online, at most 8. 1: no
         * threads. They start on the first scan; the report does not depend on the number. */
        unsigned threads;
        /* Do not keep the type and rule findings of content already scanned (by SHA-256 and
         * name) for the rest of the context's life: every node is typed and scanned anew. */
        bool no_cache;
        /* Parse in this process instead of a confined worker (docs/worker.md): only for
         * comparing the two in bench/ and for the fuzz targets. */
        bool in_process;
        /* A long-lived context (watch): the workers do not share what each judged (the scan
         * cache table of docs/worker.md), so that a worker taken over by one file cannot plant
         * a false judgement that stands for the files of the days after it. Also set where
         * there is one job (analyze FILE): a table no other job reads is not worth its cost. */
        bool no_shared_cache;
        /* The confined workers load the magic database and the rules themselves, and this
         * process does not (it needs neither while the workers parse): the first worker is
         * then forked from a small process and pays no copy-on-write faults for them
         * (docs/worker.md, Budgets). Call analysis_ctx_prepare() after analysis_ctx_new() to
         * learn whether they load. For a run of few files (analyze FILE): a zygote started
         * later (threads, a folder) loads them once more. Ignored with in_process. */
        bool workers_load_engines;
};

#define ANALYSIS_MAX_THREADS 64

/* Fills o with the defaults above. */
void analysis_options_init(struct analysis_options *o);

struct analysis_finding {
        char *rule; /* "html_smuggling_blob", "heuristic.double_extension", ... */
        enum analysis_severity severity;
        char **attack;     /* NULL-terminated ATT&CK ids ("T1027.006"); never NULL */
        char *description; /* one readable sentence */
        char *evidence;    /* what was seen (an excerpt, a name, an offset); may be NULL */
        char *source;      /* "yara", "heuristic", "hash", "clamav", "limit", or the caller's */
};

struct analysis_result {
        char *path;   /* the path given, or the member path inside its container */
        char *name;   /* the last component: what a user would see as the file name */
        char *sha256; /* 64 lowercase hex digits; NULL when the content was not read */
        char *type;   /* libmagic's description */
        char *mime;   /* libmagic's MIME type */
        uint64_t size;
        enum analysis_verdict verdict;
        unsigned score; /* 0-10 */
        char *limit;    /* the limit hit ("depth", "members", ...), or NULL */
        char *note;     /* why something was skipped (FIFO, device), or NULL */
        /* What detonation saw, as JSON text (the "detonation" member of the report: command,
         * exit, process_tree, timeline, network, file_changes), or NULL. */
        char *detonation;
        struct analysis_finding *findings;
        size_t n_findings;
        struct analysis_result **children;
        size_t n_children;
        struct analysis_result *parent; /* set by analysis_result_add_child() */
};

struct analysis_ctx;

/* Creates a context: loads libmagic, compiles the shipped rules and the users' rules once.
 * opts may be NULL for the defaults; it is copied. Returns 0, or a negative errno (-EINVAL
 * for a rule that does not compile; *ret_error then names the file, line and cause and must
 * be freed). ret_error may be NULL. */
int analysis_ctx_new(const struct analysis_options *opts, struct analysis_ctx **ret,
                     char **ret_error);
struct analysis_ctx *analysis_ctx_free(struct analysis_ctx *ctx);

/* Walks a mail message (RFC 5322, or an mbox of them) met as the content of node: adds its
 * MIME parts (and their scanned content, through analysis_scan_buffer_child()) below node.
 * Returns 0 or a negative errno. */
typedef int (*analysis_message_walker)(struct analysis_ctx *ctx, struct analysis_result *node,
                                       const void *data, size_t size);

/* Lets the engine open mail messages it meets (a .eml file, a message inside an archive), with
 * the mail module's MIME walk: the engine does not link it itself. NULL: messages are only
 * text. Set it before the first scan. */
void analysis_ctx_set_message_walker(struct analysis_ctx *ctx, analysis_message_walker walk);

/* Makes walk the walker that a worker zygote started by exec gives its context (docs/worker.md)
 * when the supervisor's context has one: the mail code calls it from a constructor, so that
 * this folder does not depend on the one above it. */
void analysis_register_message_walker(analysis_message_walker walk);

/* A job that a confined worker runs for the layer above the engine: the mail module's walk of
 * a whole message (docs/worker.md). In the worker, confined: data is the input, args the
 * caller's bytes; sets *ret_reply (malloc'd) and *ret_size to the answer the caller reads back.
 * Returns 0 or a negative errno. */
typedef int (*analysis_worker_job)(struct analysis_ctx *ctx, const void *data, size_t size,
                                   const void *args, size_t args_size, char **ret_reply,
                                   size_t *ret_size);

/* Makes job the one analysis_worker_job_run() runs; called from a constructor, as
 * analysis_register_message_walker(). prepare (or NULL) runs in a worker zygote started by
 * exec, before it forks workers: what the job loads lazily (character set converters) must be
 * loaded before confinement. A supervisor that forks its workers prepares itself. */
void analysis_register_worker_job(analysis_worker_job job, void (*prepare)(void));

struct analysis_job_wait {
        unsigned timeout_ms;              /* the deadline: past it the worker is killed; 0: none */
        unsigned progress_ms;             /* progress() is called after each such wait */
        void (*progress)(void *userdata); /* or NULL */
        void *userdata;
};

/* Runs the registered job on a sealed copy of data in a confined worker of ctx, and waits for
 * it as wait says. Returns 0 and the answer in *ret_reply (malloc'd, NUL-terminated beyond
 * *ret_size); 1 when the worker gave none (killed at the deadline, or died): failed is then
 * unscannable with limit "time" or the finding worker.crashed; -EOPNOTSUPP when ctx parses in
 * this process or streams to clamd (the caller runs the job itself); or a negative errno. */
int analysis_worker_job_run(struct analysis_ctx *ctx, const void *data, size_t size,
                            const void *args, size_t args_size,
                            const struct analysis_job_wait *wait, struct analysis_result *failed,
                            char **ret_reply, size_t *ret_size);

/* Fills node (its path and name are kept) from the JSON of analysis_result_to_json(), type
 * checked: what a worker answered. Call analysis_result_finalize() afterwards. Returns 0,
 * -EBADMSG for JSON that is not a result, or -ENOMEM. */
int analysis_result_from_json(struct json_object *o, struct analysis_result *node);

/* Starts, now, the process that forks the confined parsing workers of ctx (docs/worker.md);
 * otherwise the first scan starts it. Call it once ctx is complete (message walker set) and,
 * where possible, before the process starts threads: it then shares the rules already loaded
 * instead of loading them again. Returns 0 or a negative errno (logged). */
int analysis_ctx_start_workers(struct analysis_ctx *ctx);

/* With workers_load_engines: starts the first worker of ctx now and waits until it has loaded
 * the magic database and the rules, so that ones that cannot be loaded are reported before any
 * file is judged, as analysis_ctx_new() does otherwise. Call it once ctx is complete (message
 * walker set). Returns 0 (also when ctx loads them itself), or a negative errno: -EINVAL with
 * *ret_error saying which file and why. */
int analysis_ctx_prepare(struct analysis_ctx *ctx, char **ret_error);

/* Number of rules loaded (YARA rules plus hash lines). */
size_t analysis_ctx_rule_count(const struct analysis_ctx *ctx);

/* Top-level files (given, or found in folders) scanned so far with ctx; any thread may ask. */
uint64_t analysis_ctx_files_scanned(const struct analysis_ctx *ctx);

/* Scans a file or a folder (recursively; symlinks are never followed out of the tree,
 * FIFOs and devices are skipped with a note). "-" reads standard input. A folder yields a
 * node of type "directory" whose children are its files. Returns 0 and a result tree whose
 * verdict is final, or a negative errno when path cannot be opened at all. */
int analysis_scan_path(struct analysis_ctx *ctx, const char *path, struct analysis_result **ret);

/* Scans an open file descriptor (a regular file or a pipe); name is what to call it.
 * Returns as analysis_scan_path(). */
int analysis_scan_fd(struct analysis_ctx *ctx, int fd, const char *name,
                     struct analysis_result **ret);

/* Scans data held in memory, such as a decoded mail attachment; name is its file name (used
 * by the name heuristics) and may be NULL. data is not kept. Returns 0 and a result tree,
 * or a negative errno (-ENOMEM). */
int analysis_scan_buffer(struct analysis_ctx *ctx, const char *name, const void *data, size_t size,
                         struct analysis_result **ret);

/* Scans data as a member of parent (an attachment of a message the caller walks): the new node
 * is appended to parent's children, and the placement heuristics (a program inside a
 * container, a disk image inside a container) apply as to an archive member. name is the
 * member's file name. Sets *ret to the new node (owned by parent) when ret is not NULL.
 * Called by a message walker (analysis_ctx_set_message_walker()), the node counts against the
 * limits (depth, members, expansion, time) of the file the message was found in.
 * Call analysis_result_finalize() on the root afterwards. Returns 0 or a negative errno. */
int analysis_scan_buffer_child(struct analysis_ctx *ctx, struct analysis_result *parent,
                               const char *name, const void *data, size_t size,
                               struct analysis_result **ret);

/* For callers that build their own trees (MIME messages): an empty node named name, clean,
 * score 0. Returns NULL on ENOMEM. */
struct analysis_result *analysis_result_new(const char *name);

/* Adds a finding. attack is a comma-separated list of ids ("T1027.006,T1204.002") or NULL;
 * evidence may be NULL; source NULL means "heuristic". Returns 0 or -ENOMEM. */
int analysis_result_add_finding(struct analysis_result *r, const char *rule,
                                enum analysis_severity severity, const char *attack,
                                const char *description, const char *evidence, const char *source);

/* Adds the ATT&CK id to finding f unless it has it already. Returns 1 when added, 0 when it
 * was there, or -ENOMEM. */
int analysis_finding_add_attack(struct analysis_finding *f, const char *id);

/* Appends child below parent and takes ownership of it. Returns 0 or -ENOMEM (child is then
 * still the caller's). */
int analysis_result_add_child(struct analysis_result *parent, struct analysis_result *child);

/* Marks r unscannable because of limit ("depth", "members", "expansion", "ratio", "time",
 * "file-size", "format", "read-error", or the caller's), adding a finding that says why.
 * Returns 0 or -ENOMEM. */
int analysis_result_set_unscannable(struct analysis_result *r, const char *limit, const char *why);

/* Recomputes score and verdict of r and all nodes below it from their findings: the worst
 * child decides the parent. Call after adding findings or children yourself. */
void analysis_result_finalize(struct analysis_result *r);

struct analysis_result *analysis_result_free(struct analysis_result *r);

/* The JSON object of one node and its children (the "files[]" entries of the report). Returns a
 * new reference, or NULL on ENOMEM. */
struct json_object *analysis_result_to_json(const struct analysis_result *r);

/* The whole report: {"schema_version", "tool", "version", "files": [...], "summary": {...}}.
 * Returns a new reference, or NULL on ENOMEM. */
struct json_object *analysis_report_new(struct analysis_result *const *results, size_t n);

const char *analysis_verdict_to_string(enum analysis_verdict v);
const char *analysis_severity_to_string(enum analysis_severity s);
/* Returns the worse of the two. */
enum analysis_verdict analysis_verdict_worst(enum analysis_verdict a, enum analysis_verdict b);

/* The exit status clamscan would give for these verdicts: 0 all clean, 1 otherwise. */
int analysis_exit_status(enum analysis_verdict worst);

/* Asks clamd at address ("unix:PATH" or "tcp:HOST:PORT") for PING. Returns 0 when it answers
 * PONG, or a negative errno with *ret_error set (to be freed) naming the address and cause. */
int analysis_clamd_ping(const char *address, char **ret_error);

/* Streams data (a whole message a worker walked) to the clamd of ctx's options, when there
 * is one: a signature is a critical finding on node (clamav.NAME), an unreachable clamd makes
 * node unscannable (limit clamd). Returns 0 or a negative errno. */
int analysis_clamd_scan_node(struct analysis_ctx *ctx, struct analysis_result *node,
                             const void *data, size_t size);

/* Whether r is unscannable because clamd could not be asked (an outage, not a verdict). */
bool analysis_result_clamd_failed(const struct analysis_result *r);

static inline void analysis_ctx_freep(struct analysis_ctx **p)
{
        if (*p)
                analysis_ctx_free(*p);
}
static inline void analysis_result_freep(struct analysis_result **p)
{
        if (*p)
                analysis_result_free(*p);
}
