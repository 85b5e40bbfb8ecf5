/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-startup.sh's load inside each sandbox: N getppid() calls, or N open/read/close of
 * one file, so that a seccomp filter's cost per syscall shows. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        long n = argc > 2 ? atol(argv[2]) : 1000000;
        char buf[256];

        if (argc < 2)
                return 2;
        if (strcmp(argv[1], "getppid") == 0) {
                for (long i = 0; i < n; i++)
                        getppid();
                return 0;
        }
        for (long i = 0; i < n; i++) {
                int fd = open(argc > 3 ? argv[3] : "/usr/lib/os-release", O_RDONLY | O_CLOEXEC);

                if (fd < 0 || read(fd, buf, sizeof(buf)) < 0)
                        return 1;
                close(fd);
        }
        return 0;
}
