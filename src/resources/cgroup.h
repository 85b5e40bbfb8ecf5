/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy/policy.h"

/* Resource limits through cgroups, behind one interface with a v2 and a v1 back end
 * (cgroup-v2.c, cgroup-v1.c). The sandbox's cgroup is created beneath the cgroup airlock
 * runs in (in every v1 hierarchy it uses), named "airlock-<pid>-<starttime>" after the
 * airlock process that owns it, and removed by cgroup_destroy(). Cgroups whose owner is dead
 * (airlock was SIGKILLed) are killed and removed by cgroup_cleanup_stale(), which the next
 * run calls while its sandbox sets itself up. See docs/resources.md. */

struct cgroup;

struct cgroup_stats {
        uint64_t cpu_usec; /* user + system CPU time of every task that ran in the cgroup */
        uint64_t memory_peak;
        uint64_t pids_peak;
        bool memory_limit_hit;
        bool pids_limit_hit;
        uint64_t oom_kills;
        /* added by the resources branch */
        uint64_t cpu_user_usec, cpu_system_usec; /* 0 when the back end cannot tell */
        uint64_t cpu_throttled_usec;             /* time held back by the --cpus quota */
        uint64_t cpu_nr_throttled;
        uint64_t memory_max_events; /* times the memory limit was reached */
        uint64_t pids_max_events;   /* forks refused by the pids limit */
};

/* Which of the policy's limits the cgroup enforces (cgroup_enforced()). */
enum {
        CGROUP_LIMIT_MEMORY = 1u << 0,
        CGROUP_LIMIT_PIDS = 1u << 1,
        CGROUP_LIMIT_CPU = 1u << 2,
        CGROUP_KILL_TREE = 1u << 3, /* cgroup_kill() reaches every task (cgroup.kill, freezer) */
};

/* Why the last cgroup_setup() on this thread refused a setting of policy.cgroup_settings:
 * "linux.resources.FIELD: CAUSE" naming the OCI field, or "" when no setting was at fault. */
const char *cgroup_setup_failure(void);
/* The OCI name of the first field of settings (POLICY_CG_* bits), e.g. "cpu.shares", or NULL. */
const char *cgroup_setting_name(unsigned set);

/* In the parent, before clone(): creates the sandbox's cgroup beneath
 * the one airlock runs in and applies the policy's limits. Returns 0, or -EOPNOTSUPP /
 * -EACCES when no usable cgroup exists (the caller then falls back to rlimits), or another
 * negative errno. */
int cgroup_setup(const struct policy *p, struct cgroup **ret);
/* cgroup_setup() in two passes: the back ends whose cgroup clone() must find made (v2,
 * CLONE_INTO_CGROUP), then, after clone(), the others (v1), while the child builds its root.
 * Each returns as cgroup_setup() does; -EOPNOTSUPP/-EACCES from the first: try the second. */
int cgroup_setup_at_clone(const struct policy *p, struct cgroup **ret);
/* Whether cgroup_setup_at_clone() would find nothing: a v1 hierarchy holds the memory or the pids
 * controller, which the v2 back end needs (a controller belongs to one hierarchy). Reads
 * /proc/self/cgroup (from the snapshot when held); trying also opens the unified folder and
 * reads our start time, ~35 us before clone() on every start of a v1 machine. */
bool cgroup_at_clone_futile(void);
int cgroup_setup_after_clone(const struct policy *p, struct cgroup **ret);
/* Keeps /proc/self/cgroup and /proc/self/mountinfo, which cgroup_setup*() and
 * cgroup_cleanup_stale() look up for every hierarchy, read once from now until
 * cgroup_snapshot_release(): a run's passes before and after clone() and its sweep then read
 * them once instead of three times. Neither changes meanwhile, for the caller does not move
 * itself or mount anything. Idempotent, both. */
void cgroup_snapshot_hold(void);
void cgroup_snapshot_release(void);
/* The v2 directory fd for CLONE_INTO_CGROUP, or -1 (v1: use cgroup_attach()). */
int cgroup_clone_fd(const struct cgroup *cg);
/* Moves pid into the cgroup; called before the child runs any code of the program. */
int cgroup_attach(struct cgroup *cg, pid_t pid);
/* In the parent, before clone(): opens what the child needs to join the cgroup itself with
 * cgroup_join_self(), at most max write-only fds into ret_fds (v1: each hierarchy's tasks
 * file). Returns how many, 0 when the back end has no such way (then use cgroup_attach()), or
 * a negative errno. */
int cgroup_open_join(const struct cgroup *cg, int *ret_fds, size_t max);
/* In the child, single-threaded: moves the calling process through the fds of
 * cgroup_open_join(). Async-signal-safe. Returns 0 or a negative errno. */
int cgroup_join_self(const int *fds, size_t n);
/* Kills every task in the cgroup. Returns 0 or a negative errno. */
int cgroup_kill(struct cgroup *cg);
/* Reads the accounting. Returns 0 (fields the back end lacks stay 0) or a negative errno. */
int cgroup_read_stats(struct cgroup *cg, struct cgroup_stats *ret);
/* Kills what is left, waits until the cgroup is empty, removes it and frees cg. */
void cgroup_destroy(struct cgroup *cg);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct cgroup *, cgroup_destroy)
/* The directories of cg (one per hierarchy used) into ret, at most max. Returns how many. */
size_t cgroup_dir_paths(const struct cgroup *cg, const char **ret, size_t max);
/* A short name of the back end and what it enforces, for the report ("v1", "v2"). */
const char *cgroup_backend_name(const struct cgroup *cg);

/* CGROUP_LIMIT_* bits of what cg enforces (0 for NULL). */
unsigned cgroup_enforced(const struct cgroup *cg);
/* An fd that becomes readable when a limit killed a task (v1: the OOM notification of the
 * memory cgroup), so that the supervisor can end the whole sandbox as v2's memory.oom.group
 * does; -1 when the back end needs none. Owned by cg. */
int cgroup_event_fd(const struct cgroup *cg);
/* Drains the event fd. Returns true when an OOM happened since the last call. */
bool cgroup_event_read(struct cgroup *cg);
/* True while any task is left in the cgroup. */
bool cgroup_populated(struct cgroup *cg);
/* Kills and removes the cgroups of airlock processes that are gone. Returns how many were
 * removed, or a negative errno. */
int cgroup_cleanup_stale(void);

/* The rlimit fallback for limits no cgroup enforces (enforced = cgroup_enforced()):
 * RLIMIT_AS (or RLIMIT_DATA with policy->memory_rlimit_data) for memory, RLIMIT_NPROC for pids (set
 * inside the user namespace, where the kernel counts only the sandbox's tasks), RLIMIT_CPU as a
 * backstop for the timeout and RLIMIT_FSIZE at the larger of the memory limit and the tmpfs size.
 * Fills up to max entries of ret and returns how many. */
size_t cgroup_fallback_rlimits(const struct policy *p, unsigned enforced,
                               struct rlimit_setting *ret, size_t max);
