/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

#include "policy.h"

/* Rates a policy against a restricted baseline, in the spirit of the Kubernetes Pod Security
 * Standards: no host network, no host pid/ipc, no writable host paths beyond the program's own
 * folders, no device access, no nested user namespaces, no ptrace, seccomp and Landlock on,
 * memory and task limits set. Every difference is a relaxation with a level and its risk. */

enum lint_level {
        LINT_LOW,      /* worth knowing, fine for most programs */
        LINT_MEDIUM,   /* baseline: reaches host data or kernel surface the baseline denies */
        LINT_HIGH,     /* privileged: a known way out or to host secrets */
        LINT_CRITICAL, /* the layer is gone */
};

struct lint_finding {
        enum lint_level level;
        char *directive; /* the setting, in profile syntax */
        const char *risk;
};

const char *lint_level_to_string(enum lint_level l);

/* Collects the relaxations, most severe first. Returns how many, or -ENOMEM. */
int profile_lint(const struct policy *p, struct lint_finding **ret);
void lint_findings_free(struct lint_finding *f, size_t n);

/* The overall rating: "restricted" (nothing above low), "baseline" (medium at most) or
 * "privileged". */
const char *profile_lint_rating(const struct lint_finding *f, size_t n);

/* Prints the rating and one line per relaxation. Returns the number of findings or -ENOMEM. */
int profile_lint_print(FILE *out, const char *name, const struct policy *p);
