/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "mount.h"
#include "sched-slice.h"
#include "policy/policy.h"
#include "resources/resources.h"
#include "seccomp.h"
#include "userns.h"

/* What the cloned child needs; prepared by the parent before clone(), read-only after. */
struct child_ctx {
        const struct policy *p;
        struct mount_plan *plan; /* the child's copy fills in its source trees */
        const struct seccomp_program *seccomp;
        struct userns_ids ids;
        char **envp;
        const char *hostname;
        const char *home;
        int sock;          /* the setup socket, close-on-exec */
        unsigned tty_mask; /* bit n: fd n (0..2) is a terminal, to be replaced by the pty */
        bool want_pty;
        bool cgroup_ns_done; /* clone() already made the cgroup namespace */
        bool net_ns;
        bool loopback_by_parent;         /* net_ns: the parent brings lo up (SETUP_MSG_NETDEV) */
        bool uts_ns;                     /* a new uts namespace, whose host name the child sets */
        int start_gate_fd;               /* -1, or launcher_hooks.start_gate_fd */
        struct sched_slice caller_sched; /* what the program gets back before its execve */
        /* a warm sandbox (airlock warm): init waits for the hand-over before it forks the
         * program (SETUP_MSG_WARM, SETUP_MSG_HANDOVER) */
        bool warm;
        /* set from the hand-over in init's copy: argv, folder and umask instead of the
         * policy's (envp is replaced too) */
        char **argv;
        const char *cwd;
        mode_t umask;
        bool set_umask;
};

/* The child after clone(): pid 1 of the new pid namespace. Sets the sandbox up, forks the
 * program and reaps until it ends. Reports failures to the parent; never returns. */
_noreturn_ void child_main(const struct child_ctx *c);

/* Brings up the loopback device of the network namespace that sock (any socket made there)
 * belongs to. Its flags in a namespace clone() just made are known (IFF_LOOPBACK alone:
 * nothing else has touched it), so they are set without being read first: one ioctl()
 * instead of two. The caller needs CAP_NET_ADMIN over the namespace: the child, or the parent
 * that made its user namespace. Returns 0 or -errno. */
int loopback_up_on(int sock);

/* The signals whose disposition is not the default (ignored or caught) in the calling
 * process, from the SigIgn and SigCgt masks of /proc/self/status (bit N-1 is signal N).
 * Returns 0, or -errno when the masks cannot be read (*ret is then left alone). */
int signals_not_default(uint64_t *ret);

/* The signals airlock forwards to the program. */
extern const int launcher_forwarded_signals[];
extern const size_t launcher_n_forwarded_signals;
