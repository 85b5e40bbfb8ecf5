/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* The lifecycle commands of airlock-runtime (the runc command line), one function each. Each
 * returns the process's exit status. */

struct runtime_globals {
        char *root; /* the state root, made */
};

struct runtime_create_args {
        const char *id;
        const char *bundle;
        const char *pid_file;
};

int runtime_create(const struct runtime_globals *g, const struct runtime_create_args *a);
/* Like create then start, in the foreground: returns the container's exit status. */
int runtime_run(const struct runtime_globals *g, const struct runtime_create_args *a);
int runtime_start(const struct runtime_globals *g, const char *id);
int runtime_state(const struct runtime_globals *g, const char *id);
int runtime_kill(const struct runtime_globals *g, const char *id, int sig, bool all);
int runtime_delete(const struct runtime_globals *g, const char *id, bool force);
