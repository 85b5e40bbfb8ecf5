/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdarg.h>
#include <stdbool.h>

#include "basic/macro.h"
#include "landlock.h"
#include "resources/resources.h"

/* The messages the sandbox's processes send to the supervisor over the close-on-exec setup
 * socketpair (SOCK_SEQPACKET, one message per send). File descriptors (the pty master, the
 * seccomp notify fd) travel with their message as SCM_RIGHTS. */

enum setup_msg_type {
        SETUP_MSG_GO = 1,   /* parent -> child: identity mapped, go on */
        SETUP_MSG_ERROR,    /* child: a setup step failed; stage, err and message say which */
        SETUP_MSG_LANDLOCK, /* child: what Landlock enforced */
        SETUP_MSG_PTY,      /* child: the master of the sandbox's own pseudo-terminal (fd) */
        SETUP_MSG_NOTIFY,   /* child: the seccomp user-notification listener (fd) */
        SETUP_MSG_EXIT,     /* init: the program's wait status in value */
        /* program, before loading a filter with NOTIFY rules: a pidfd of itself (fd). The
         * listener then cannot travel by sendmsg (sendmsg is traced and would wait for the
         * supervisor that lacks the listener): SETUP_MSG_NOTIFY comes by write() with the fd
         * number in value, and the supervisor takes it with pidfd_getfd(). */
        SETUP_MSG_PIDFD,
        SETUP_MSG_READY, /* program: set up, waiting on the start gate (launcher_hooks) */
        /* parent -> child, after SETUP_MSG_GO, once the cgroup is made (cgroup v1: while the
         * child builds its root): the fds through which the child joins it (none: clone()
         * or the parent placed it, or there is no cgroup) and, in rlimits, the limits left
         * to the rlimit fallback (value of them). Nothing of the program runs before it. */
        SETUP_MSG_CGROUP,
        /* parent -> child, before SETUP_MSG_GO: the idmapped tree (fd) of the mount plan's
         * entry number value (mount_idmap_sources()) */
        SETUP_MSG_IDMAPPED,
        /* child -> parent, its first message: a socket of the new network namespace (fd),
         * through which the parent brings the loopback up while the child builds its root */
        SETUP_MSG_NETDEV,
        /* init -> parent, warm sandboxes only (launcher_hooks.on_warm): set up, waiting for
         * the program to run */
        SETUP_MSG_WARM,
        /* parent -> init, the answer: the caller's fds 0-2 attached, then a second message
         * of value bytes, the hand-over (sandbox/warm-handover.h) */
        SETUP_MSG_HANDOVER,
};

struct setup_msg {
        int type;
        int err;   /* positive errno for SETUP_MSG_ERROR */
        int value; /* wait status for SETUP_MSG_EXIT */
        char stage[24];
        char message[232];
        struct landlock_status landlock;
        struct rlimit_setting rlimits[RESOURCES_FALLBACK_MAX]; /* SETUP_MSG_CGROUP */
        /* SETUP_MSG_CGROUP: the signals not at their default disposition in the parent, as
         * clone() left them to the child (signals_not_default()); UINT64_MAX when unknown */
        uint64_t signals;
};

/* A failed child setup step: filled by child_fail(), sent by the child's top level. */
struct child_error {
        char stage[24];
        int err;
        char message[232];
};

/* Records stage, errno and a message in *e. Returns -err (err given positive or negative),
 * so that setup code can write "return child_fail(e, r, "mount", "cannot ...")". */
int child_fail(struct child_error *e, int err, const char *stage, const char *fmt, ...)
        _printf_(4, 5);

/* Sends a message with an optional fd (-1 for none). Returns 0 or a negative errno. */
int setup_msg_send(int sock, const struct setup_msg *m, int fd);
/* Receives one message and its fd (or -1) into *ret_fd when ret_fd is not NULL. Returns the
 * number of bytes (0 at end of stream) or a negative errno. */
int setup_msg_recv(int sock, struct setup_msg *m, int *ret_fd);
/* The same with n fds (SETUP_MSG_CGROUP). */
int setup_msg_send_fds(int sock, const struct setup_msg *m, const int *fds, size_t n);
/* The same with up to max fds into ret_fds, their number into *ret_n. */
int setup_msg_recv_fds(int sock, struct setup_msg *m, int *ret_fds, size_t max, size_t *ret_n);
