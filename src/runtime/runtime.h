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
        const char *console_socket; /* the engine's socket for the pty master, or NULL */
        int preserve_fds;           /* fds 3..3+N-1 pass to the container */
        bool detach;                /* run: return once the container runs */
};

struct runtime_exec_args {
        const char *id;
        const char *process; /* --process: an OCI process JSON, else argv */
        char **argv;
        char **env; /* --env NAME=VALUE, added */
        const char *cwd;
        const char *user; /* --user UID[:GID], or NULL */
        const char *pid_file;
        const char *console_socket;
        bool tty;
        bool detach;
        bool no_new_privs; /* --no-new-privs: set even where the spec does not */
};

int runtime_create(const struct runtime_globals *g, const struct runtime_create_args *a);
/* Like create then start, in the foreground: returns the container's exit status. */
int runtime_run(const struct runtime_globals *g, const struct runtime_create_args *a);
int runtime_start(const struct runtime_globals *g, const char *id);
int runtime_state(const struct runtime_globals *g, const char *id);
int runtime_kill(const struct runtime_globals *g, const char *id, int sig, bool all);
/* exec: a new process in the container, confined as its first one. Returns the process's exit
 * status (0 with detach) or 1 when it could not be started. */
int runtime_exec(const struct runtime_globals *g, const struct runtime_exec_args *a);
/* ps: the pids as a JSON array, or ps's table (ps_args, default -ef) cut to them. */
int runtime_ps(const struct runtime_globals *g, const char *id, bool json, char **ps_args);
int runtime_delete(const struct runtime_globals *g, const char *id, bool force);
