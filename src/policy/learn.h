/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

#include "policy/policy.h"

struct json_object;

/* airlock learn: turns the trace of a --complain run into a profile (docs/learn.md).
 *
 * The run is described by the policy it ran under: the profile it started from (included by
 * the learned profile), the binds given on the command line (the learned binds are the
 * narrowest parts of these that the program used: events whose path lies elsewhere are the
 * sandbox's own /usr, /etc, /tmp, /proc, /dev and home, or the included profile's) and its
 * network mode. Only the report's events and its trace.would_deny are read: never a file the
 * program may have written. */
struct learn_input {
        const char *base;                /* profile the run started from ("default") */
        enum net_mode net;               /* of the learning run */
        const struct mount_entry *binds; /* bind and ro-bind given on the command line */
        size_t n_binds;
        char *const *argv; /* the program, for the header comment */
};

/* Merged data from an earlier learned profile: the text of FILE (written by an earlier
 * airlock learn), read by the caller. name is used in comments. */
struct learn_merge {
        const char *name;
        const char *text;
};

/* Writes the learned profile to out. report is the run's report (events and trace.would_deny
 * from --complain); merge may be NULL. Returns 0, or a negative errno after logging (-EINVAL
 * when the merged text is not a learned profile, naming the line). */
int learn_profile_write(const struct learn_input *in, struct json_object *report,
                        const struct learn_merge *merge, FILE *out);
