/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A self-contained traced run, for the unit tests and the benchmark: the same supervisor the
 * launcher drives, with a filter that only notifies (no other confinement). */
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "monitor-internal.h"

/* The child cannot sendmsg() the listener: sendmsg is in the trace set and would wait for the
 * very supervisor it is trying to reach. It writes the fd number instead (write is not traced)
 * and the parent takes the fd with pidfd_getfd(). */
static int take_fd(pid_t pid, int sock)
{
        int number, pidfd, fd;

        if (read(sock, &number, sizeof(number)) != sizeof(number))
                return -EIO;
        pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0)
                return negative_errno();
        fd = (int)syscall(SYS_pidfd_getfd, pidfd, number, 0);
        if (fd < 0)
                fd = negative_errno();
        close(pidfd);
        return fd;
}

_noreturn_ static void child_main(int sock, char *const argv[])
{
        const char *const *names = monitor_trace_syscalls();
        scmp_filter_ctx ctx;
        char ack;
        int fd;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                _exit(125);
        ctx = seccomp_init(SCMP_ACT_ALLOW);
        if (!ctx)
                _exit(125);
        for (size_t i = 0; names[i]; i++) {
                int nr = seccomp_syscall_resolve_name(names[i]);

                if (nr != __NR_SCMP_ERROR)
                        (void)seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
        }
        if (seccomp_load(ctx) < 0)
                _exit(125);
        fd = seccomp_notify_fd(ctx);
        if (fd < 0 || write(sock, &fd, sizeof(fd)) != sizeof(fd))
                _exit(125);
        /* Wait until the parent holds its copy before closing ours. */
        if (read(sock, &ack, 1) != 1)
                _exit(125);
        close(fd);
        close(sock);
        execvp(argv[0], argv);
        _exit(127);
}

int monitor_run_standalone(struct monitor *m, char *const argv[], int *ret_status)
{
        int sv[2], fd, r, status = 0;
        bool reaped = false;
        pid_t pid;

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return negative_errno();
        pid = fork();
        if (pid < 0) {
                r = negative_errno();
                close(sv[0]);
                close(sv[1]);
                return r;
        }
        if (pid == 0) {
                close(sv[0]);
                child_main(sv[1], argv);
        }
        close(sv[1]);
        fd = take_fd(pid, sv[0]);
        if (fd >= 0 && write(sv[0], "k", 1) != 1) {
                safe_close(fd);
                fd = -EIO;
        }
        close(sv[0]);
        if (fd < 0) {
                (void)waitpid(pid, &status, 0);
                return fd;
        }
        r = monitor_attach(m, fd, pid);
        if (r < 0) {
                kill(pid, SIGKILL);
                (void)waitpid(pid, &status, 0);
                return r;
        }
        /* Until every traced task is gone (POLLHUP), answer notifications. */
        for (;;) {
                struct pollfd pfd = {.fd = monitor_fd(m), .events = POLLIN};

                r = poll(&pfd, 1, reaped ? 100 : 1000);
                if (r < 0 && errno != EINTR)
                        break;
                if (r > 0 && (pfd.revents & POLLIN)) {
                        (void)monitor_handle(m);
                        continue;
                }
                if (!reaped && waitpid(pid, &status, WNOHANG) == pid)
                        reaped = true;
                if (r > 0 && (pfd.revents & (POLLHUP | POLLERR)))
                        break;
                if (reaped && r == 0)
                        break;
        }
        if (!reaped)
                (void)waitpid(pid, &status, 0);
        *ret_status = status;
        return monitor_finish(m);
}
