/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Calls every syscall number from FIRST to LAST, each in a forked child, with all six
 * arguments -1 (and, with "zero", all 0), and prints one line per call: "NR ARGS ok",
 * "NR ARGS ERRNO-NUMBER", "NR ARGS exit N" or "NR ARGS signal N". Arguments of -1 and 0 are
 * invalid fds, pointers and flags, so an allowed call fails with its own error (EBADF, EFAULT,
 * EINVAL) and a refused one with the seccomp filter's errno: two runs under two filters that
 * decide alike print the same lines. Used by tests/integration/profile-export.sh. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void probe(long nr, long arg)
{
        int fds[2];
        pid_t pid;

        if (pipe(fds) < 0) {
                perror("pipe");
                exit(2);
        }
        pid = fork();
        if (pid < 0) {
                perror("fork");
                exit(2);
        }
        if (pid == 0) {
                pid_t self = getpid();
                char buf[32];
                long r;
                int len;

                close(fds[0]);
                alarm(1); /* pause(), select() without a timeout */
                r = syscall(nr, arg, arg, arg, arg, arg, arg);
                int e = errno;
                if ((pid_t)syscall(SYS_getpid) != self) /* fork, vfork, clone: the new child */
                        _exit(0);
                len = r < 0 ? snprintf(buf, sizeof(buf), "%d\n", e)
                            : snprintf(buf, sizeof(buf), "ok\n");
                if (write(fds[1], buf, (size_t)len) < 0)
                        _exit(3);
                _exit(0);
        }
        close(fds[1]);
        char out[32] = "";
        ssize_t n = read(fds[0], out, sizeof(out) - 1);
        int status;

        close(fds[0]);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        perror("waitpid");
                        exit(2);
                }
        if (n > 0) {
                out[n] = '\0';
                printf("%ld %ld %s", nr, arg, out);
        } else if (WIFSIGNALED(status))
                printf("%ld %ld signal %d\n", nr, arg, WTERMSIG(status));
        else
                printf("%ld %ld exit %d\n", nr, arg, WEXITSTATUS(status));
        fflush(stdout);
}

int main(int argc, char **argv)
{
        long first, last;

        if (argc < 3) {
                fprintf(stderr, "usage: syscall-sweep FIRST LAST [zero]\n");
                return 2;
        }
        first = strtol(argv[1], NULL, 0);
        last = strtol(argv[2], NULL, 0);
        for (long nr = first; nr <= last; nr++) {
                probe(nr, -1);
                if (argc > 3 && strcmp(argv[3], "zero") == 0)
                        probe(nr, 0);
        }
        return 0;
}
