/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "resources/cgroup.h"
#include "landlock.h"
#include "policy/policy.h"
#include "resources/resources.h"
#include "seccomp.h"

/* The launcher: clones the sandbox (user, mount, pid, ipc, uts, net and cgroup namespaces),
 * sets it up in the child (new root, identity, rlimits, capabilities, no_new_privs, Landlock,
 * seccomp) and supervises it from the parent: signals, timeout, pty relay, cgroup, the
 * seccomp notify fd, and the exit status. */

/* A warm sandbox's one program, as launcher_hooks.on_warm gives it: the hand-over blob
 * (sandbox/warm-handover.h, kept by the hook until the run ends), the caller's fds 0-2 (the
 * hook's: the launcher only sends them) and the caller's connection, polled until the sandbox
 * ends (launcher_hooks.on_warm_client). */
struct launcher_warm {
        const char *blob;
        size_t size;
        int fds[3];
        int client_fd;
};

/* Callbacks for the behaviour monitor. Each may be NULL. */
struct launcher_hooks {
        void *userdata;
        /* The seccomp user-notification listener arrived (the hook owns it from now on).
         * Returns 0, or a negative errno to stop the sandbox. */
        int (*on_notify_fd)(void *userdata, int notify_fd);
        /* The listener is readable: a notification waits. Returns 0 or -errno (stops). */
        int (*on_notify_ready)(void *userdata);
        /* The program ended with this wait status (or the sandbox was killed). */
        void (*on_child_exit)(void *userdata, int status);
        /* With start_gate: the sandbox is set up and its program waits, just before execve,
         * until it reads one byte from start_gate_fd (airlock-runtime's create and start).
         * pid is the sandbox's init in the caller's pid namespace. */
        void (*on_ready)(void *userdata, pid_t pid);
        /* The sandbox's pty master arrived (policy.pty): the hook owns it and the supervisor
         * relays nothing (airlock-runtime hands it to the engine's console socket). Returns
         * 0, or a negative errno to stop the sandbox. */
        int (*on_pty)(void *userdata, int master);
        bool start_gate;
        int start_gate_fd;
        /* airlock warm: the sandbox is built and its init waits, before it forks the program,
         * until this returns the program's hand-over (it may block until a caller comes).
         * The policy's timeout is read after it returns and runs from then. Returns 0, or a
         * negative errno to end the sandbox unused. */
        int (*on_warm)(void *userdata, struct launcher_warm *ret);
        /* The caller's connection is readable. Returns a signal to forward to the program, 0,
         * or a negative errno when the caller is gone (the sandbox is then killed). */
        int (*on_warm_client)(void *userdata);
};

enum {
        LAUNCHER_NS_USER = 1 << 0,
        LAUNCHER_NS_MOUNT = 1 << 1,
        LAUNCHER_NS_PID = 1 << 2,
        LAUNCHER_NS_IPC = 1 << 3,
        LAUNCHER_NS_UTS = 1 << 4,
        LAUNCHER_NS_NET = 1 << 5,
        LAUNCHER_NS_CGROUP = 1 << 6,
};

struct launcher_result {
        int exit_status; /* what airlock run exits with */
        int wait_status; /* the program's wait status, -1 when it never ran */
        bool timed_out;
        bool setup_failed; /* airlock's own failure (status 125), or exec failed (126/127) */
        char error_stage[24];
        char error[232];

        unsigned namespaces; /* LAUNCHER_NS_* */
        uid_t uid_inside, uid_outside;
        gid_t gid_inside, gid_outside;
        bool pty;
        bool no_new_privs;
        bool caps_dropped;

        bool seccomp_loaded;
        struct seccomp_summary seccomp;
        bool landlock_reported;
        struct landlock_status landlock;

        /* cgroup or rlimit containment and the accounting (resources.h); its cgroup lives
         * until launcher_result_release() so that the report can still name it */
        struct resources resources;
        uint64_t wall_usec;
        struct rusage rusage; /* of the whole sandbox, reaped */
};

/* Runs p->argv in a sandbox made from p and waits for it. Fills *ret (always, also on
 * failure) and returns ret->exit_status: the program's status, 128+N when killed by signal N,
 * 124 on timeout, 125 when airlock failed (logged once), 126/127 when the program could not
 * be executed. */
int launcher_run(const struct policy *p, const struct launcher_hooks *hooks,
                 struct launcher_result *ret);
/* The environment the program of p gets, as launcher_run() builds it from p and the caller's
 * TERM and LANG. Returns 0 and a new strv, or -ENOMEM. */
int launcher_build_env(const struct policy *p, char ***ret);
/* The program's HOME inside the sandbox (and the folder it starts in without --chdir). */
const char *launcher_home(const struct policy *p);
/* Removes what the run still holds (its emptied cgroup). Call after writing the report. */
void launcher_result_release(struct launcher_result *r);
