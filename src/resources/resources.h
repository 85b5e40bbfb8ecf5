/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "cgroup.h"
#include "policy/policy.h"

/* Resource containment of one run, for the launcher: a cgroup when one is usable, rlimits
 * for what it does not cover, the accounting when the run is over, and the "resources"
 * object of the report. See docs/resources.md. */

enum resources_end {
        RESOURCES_END_UNKNOWN,
        RESOURCES_END_EXIT,    /* the program exited */
        RESOURCES_END_SIGNAL,  /* killed by a signal (not a limit of ours) */
        RESOURCES_END_TIMEOUT, /* --timeout */
        RESOURCES_END_LIMIT,   /* killed by a limit: see end_limit */
};

#define RESOURCES_FALLBACK_MAX 4
#define RESOURCES_JOIN_MAX     8 /* fds of resources_open_join() */

struct resources {
        struct cgroup *cg;   /* NULL: no usable cgroup */
        unsigned enforced;   /* CGROUP_LIMIT_* the cgroup enforces */
        const char *backend; /* "cgroup-v2", "cgroup-v1" or "rlimit" (kept after release) */
        struct rlimit_setting fallback[RESOURCES_FALLBACK_MAX];
        size_t n_fallback;
        bool deferred; /* the cgroup is resources_setup_after_clone()'s to make */

        /* the policy's limits, copied for the report */
        uint64_t memory_max, pids_max, timeout_usec, tmpfs_size;
        double cpus;

        uint64_t start_usec, end_usec; /* CLOCK_MONOTONIC */
        struct cgroup_stats stats;
        bool have_stats; /* stats come from the cgroup */
        struct rusage rusage;
        bool have_rusage;
        bool oom_ended; /* an OOM kill made the supervisor end the whole sandbox */
        enum resources_end end;
        const char *end_limit; /* "memory" when RESOURCES_END_LIMIT */
        int exit_status, term_signal;
};

/* Makes the cgroup, or plans the rlimit fallback. Fails only when --require cgroup cannot be
 * met (logged) or on a hard error. Returns 0 or -errno. The launcher calls it in two halves:
 * resources_setup_before_clone() makes a cgroup that clone() must find (v2, for
 * CLONE_INTO_CGROUP; one the policy names or configures) and otherwise leaves the set-up
 * (deferred) to resources_setup_after_clone(), which makes it (v1) or settles for the rlimit
 * fallback while the child builds its root, off the path to the program's start. The child
 * then learns the fallback and its join fds from the parent (SETUP_MSG_CGROUP). */
int resources_setup(const struct policy *p, struct resources *r);
int resources_setup_before_clone(const struct policy *p, struct resources *r);
int resources_setup_after_clone(const struct policy *p, struct resources *r);
/* The fd for clone3 CLONE_INTO_CGROUP, or -1 (then the child joins after clone(): through
 * resources_open_join()'s fds, else resources_place()). */
int resources_clone_fd(const struct resources *r);
/* Puts the child in the cgroup (v1, or v2 without clone3). No-op without a cgroup. */
int resources_place(struct resources *r, pid_t pid);
/* In the parent, when resources_clone_fd() gave none: the fds with which the child joins the
 * cgroup itself (resources_join_self()), at most max, into ret_fds; cheaper than
 * resources_place() on cgroup v1. Returns how many; 0 (nothing opened): use
 * resources_place(). The parent closes them once sent. */
size_t resources_open_join(const struct resources *r, int *ret_fds, size_t max);
/* In the child, single-threaded, before it starts the program: joins the cgroup through the
 * fds of resources_open_join() (not closed here). Async-signal-safe. Returns 0 or -errno. */
int resources_join_self(const int *fds, size_t n);
/* In the parent, once a run with a cgroup has started its child: kills and removes the
 * cgroups that SIGKILLed airlock runs left. Meant for the time the parent would otherwise wait
 * for the child's set-up, instead of the end of the run that the caller waits for. */
void resources_sweep_stale(const struct resources *r);
/* In the parent, once the set-up and the sweep are done or have failed: forgets the host's
 * cgroup and mount tables that the set-up read once for both passes and the sweep. */
void resources_setup_end(void);
/* In the child, inside its user namespace (so RLIMIT_NPROC counts the sandbox only): lowers
 * the n fallback rlimits (struct resources' fallback, as the parent sent them); never raises a
 * hard limit. Async-signal-safe. Returns 0 or -errno. */
int resources_apply_fallback(const struct rlimit_setting *fallback, size_t n);
/* Starts the wall clock (call right after clone). */
void resources_started(struct resources *r);
/* An fd for the supervisor's poll loop, readable when a limit killed a task and the whole
 * sandbox must end (v1 OOM); -1 when there is none. */
int resources_event_fd(const struct resources *r);
/* Call when resources_event_fd() is readable. Returns true when the sandbox must be ended
 * (then kill it and its init; the report says the memory limit ended the run). */
bool resources_limit_event(struct resources *r);
/* Ends every task of the sandbox (the cgroup's; without one the caller kills the pid
 * namespace's init). */
void resources_kill(struct resources *r);
/* After the child was reaped: stops the clock, reads the accounting and decides why the run
 * ended. ru may be NULL. */
void resources_finish(struct resources *r, int wait_status, const struct rusage *ru,
                      bool timed_out);
/* Kills what is left and removes the cgroup. Safe to call twice. */
void resources_release(struct resources *r);
const char *resources_end_name(enum resources_end end);
/* How a limit is enforced: "cgroup-v2", "cgroup-v1", "rlimit" or "none". */
const char *resources_enforced_by(const struct resources *r, unsigned limit);

struct json_object;
/* The report's "resources" object. Returns NULL on allocation failure. */
struct json_object *resources_to_json(const struct resources *r);
