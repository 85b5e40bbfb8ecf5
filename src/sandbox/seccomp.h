/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "policy.h"

/* The seccomp layer. The filter is compiled in the parent before clone() (or loaded from the
 * cache of compiled programs), and only loaded in the child. */

struct seccomp_program;

struct seccomp_summary {
        unsigned n_errno; /* syscalls that fail with an errno */
        unsigned n_kill;
        unsigned n_log;
        unsigned n_notify;
        unsigned n_allow_cond; /* allowed only under argument conditions */
        bool allowlist;
        bool cached; /* loaded from the compiled-program cache */
};

/* Builds the BPF program for the policy. Returns 0 or a negative errno (logs nothing). */
int seccomp_program_build(const struct policy *p, struct seccomp_program **ret);
/* In the child, with no_new_privs already set: loads the program. When it has notify rules,
 * *ret_notify_fd gets the listener fd, else -1. Allocates nothing. Returns 0 or -errno. */
int seccomp_program_load(const struct seccomp_program *prog, int *ret_notify_fd);
void seccomp_program_free(struct seccomp_program *prog);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct seccomp_program *, seccomp_program_free)
/* Fills the counts for the report. */
void seccomp_program_summary(const struct seccomp_program *prog, struct seccomp_summary *ret);
