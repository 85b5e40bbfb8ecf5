/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy.h"

/* Resource limits through cgroups, behind one interface with a v2 and a v1 back end. */

struct cgroup;

struct cgroup_stats {
        uint64_t cpu_usec;
        uint64_t memory_peak;
        uint64_t pids_peak;
        bool memory_limit_hit;
        bool pids_limit_hit;
        uint64_t oom_kills;
};

/* In the parent, before clone(): creates the sandbox's cgroup beneath the one airlock runs
 * in and applies the policy's limits. Returns 0, or -EOPNOTSUPP / -EACCES when no usable
 * cgroup exists (the caller then falls back to rlimits), or another negative errno. */
int cgroup_setup(const struct policy *p, struct cgroup **ret);
/* The v2 directory fd for CLONE_INTO_CGROUP, or -1 (v1: use cgroup_attach()). */
int cgroup_clone_fd(const struct cgroup *cg);
/* Moves pid into the cgroup; called before the child runs any code of the program. */
int cgroup_attach(struct cgroup *cg, pid_t pid);
/* Kills every task in the cgroup. */
int cgroup_kill(struct cgroup *cg);
int cgroup_read_stats(struct cgroup *cg, struct cgroup_stats *ret);
/* Kills what is left, waits until the cgroup is empty, removes it and frees cg. */
void cgroup_destroy(struct cgroup *cg);
/* A short name of the back end and what it enforces, for the report ("v1", "v2"). */
const char *cgroup_backend_name(const struct cgroup *cg);
