/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/decoy-system.h"
#include "basic/fileio.h"
#include "basic/macro.h"

#define DECOY_BIN_INSIDE "/run/airlock-decoys"

/* One script under every name: it succeeds, drains what a tool would read (crontab -, at),
 * and nohup runs its command, as the real one would. */
static const char recorder[] = "#!/bin/sh\n"
                               "# airlock decoy: the exec itself is the record\n"
                               "case \"${0##*/}\" in\n"
                               "nohup)\n"
                               "\t[ $# -gt 0 ] && exec \"$@\"\n"
                               "\texit 0 ;;\n"
                               "crontab|at|batch)\n"
                               "\tcase \" $* \" in *\" -l \"*) exit 0 ;; esac\n"
                               "\tcat >/dev/null 2>&1 ;;\n"
                               "passwd|chpasswd)\n"
                               "\tcat >/dev/null 2>&1 ;;\n"
                               "esac\n"
                               "exit 0\n";

static const char *const decoy_names[] = {
        "crontab", "at",       "batch",     "atq",      "systemctl",  "service", "useradd",
        "adduser", "usermod",  "passwd",    "chpasswd", "ssh-keygen", "sudo",    "su",
        "chattr",  "iptables", "ip6tables", "nft",      "ufw",        "nohup",
};

int decoy_system_prepare(const char *dir)
{
        char path[4096], link[4096];
        _cleanup_close_ int fd = -1;
        int k;

        snprintf(path, sizeof(path), "%s/decoys", dir);
        if (mkdir(path, 0755) < 0)
                return negative_errno();
        (void)chmod(path, 0755);
        snprintf(path, sizeof(path), "%s/decoys/.recorder", dir);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0755);
        if (fd < 0)
                return negative_errno();
        k = loop_write(fd, recorder, sizeof(recorder) - 1);
        if (k < 0)
                return k;
        (void)fchmod(fd, 0755);
        for (size_t i = 0; i < ELEMENTSOF(decoy_names); i++) {
                snprintf(link, sizeof(link), "%s/decoys/%s", dir, decoy_names[i]);
                if (symlink(".recorder", link) < 0)
                        return negative_errno();
        }
        return 0;
}

int decoy_system_options(const char *dir, const char **argv, size_t *n, size_t max, char *buf,
                         size_t size)
{
        int a, b;

        if (*n + 9 > max)
                return -E2BIG;
        a = snprintf(buf, size, "%s/decoys", dir);
        if (a < 0 || (size_t)a + 1 >= size)
                return -ENAMETOOLONG;
        b = snprintf(buf + a + 1, size - (size_t)a - 1,
                     "PATH=" DECOY_BIN_INSIDE
                     ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (b < 0 || (size_t)(a + 1 + b) >= size)
                return -ENAMETOOLONG;
        argv[(*n)++] = "--ro-bind";
        argv[(*n)++] = buf;
        argv[(*n)++] = DECOY_BIN_INSIDE;
        argv[(*n)++] = "--env";
        argv[(*n)++] = buf + a + 1;
        /* writes to /etc (cron, systemd units, ld.so.preload) happen, and are seen, in a
         * copy-on-write view that ends with the run */
        argv[(*n)++] = "--overlay";
        argv[(*n)++] = "/etc";
        argv[(*n)++] = "/etc";
        return 0;
}

void decoy_system_remove(const char *dir)
{
        char path[4096];

        for (size_t i = 0; i < ELEMENTSOF(decoy_names); i++) {
                snprintf(path, sizeof(path), "%s/decoys/%s", dir, decoy_names[i]);
                (void)unlink(path);
        }
        snprintf(path, sizeof(path), "%s/decoys/.recorder", dir);
        (void)unlink(path);
        snprintf(path, sizeof(path), "%s/decoys", dir);
        (void)rmdir(path);
}
