/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Helpers for the live seccomp tests: run a check in a child that loaded a program. */
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/seccomp.h"

/* A raw syscall's errno: 0 on success. */
static inline int sys_errno(long nr, long a, long b, long c, long d, long e)
{
        long r = syscall(nr, a, b, c, d, e, 0);
        return r < 0 ? errno : 0;
}

/* A child must die of a fault, not run cmocka's handler: that one longjmps back into the test
 * runner, and the child would then go on running the later cases beside its parent. */
static inline void child_default_signals(void)
{
        static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS, SIGABRT};

        for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
                signal(sigs[i], SIG_DFL);
}

/* Runs fn in a child. Returns its exit status, 1000 + a signal, or -1. */
static inline int run_forked(int (*fn)(void *), void *userdata)
{
        pid_t pid = fork();
        int status;

        if (pid < 0)
                return -1;
        if (pid == 0) {
                child_default_signals();
                _exit(fn(userdata));
        }
        if (waitpid(pid, &status, 0) != pid)
                return -1;
        return WIFSIGNALED(status) ? 1000 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* Forks, loads prog in the child and runs fn there; fn returns 0 when every probe gave what
 * it expected, else a number saying which failed. Returns the child's exit status, or 1000 +
 * the signal that killed it, or -1. */
static inline int run_filtered(const struct seccomp_program *prog, int (*fn)(void *),
                               void *userdata)
{
        pid_t pid = fork();
        int status, fd;

        if (pid < 0)
                return -1;
        if (pid == 0) {
                child_default_signals();
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        _exit(200);
                if (seccomp_program_load(prog, &fd) < 0)
                        _exit(201);
                _exit(fn(userdata));
        }
        if (waitpid(pid, &status, 0) != pid)
                return -1;
        if (WIFSIGNALED(status))
                return 1000 + WTERMSIG(status);
        return WEXITSTATUS(status);
}
