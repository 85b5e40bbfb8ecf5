/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench-startup.sh's floor: the least a process can pay for being under seccomp and Landlock
 * at all. "floor seccomp|landlock|both PROGRAM [ARG...]" sets no_new_privs, then attaches a
 * one-instruction allow-all seccomp filter and/or a Landlock domain that handles every file
 * system right and allows all of them beneath "/", and execs PROGRAM outside any namespace.
 * The kernel's per-syscall price for "a filter is attached" and "a domain is in force" shows as
 * the difference to a bare run; airlock's own share is the rest. */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule       445
#define SYS_landlock_restrict_self  446
#endif

struct ruleset_attr {
        uint64_t handled_access_fs;
};

struct path_beneath_attr {
        uint64_t allowed_access;
        int32_t parent_fd;
} __attribute__((packed));

static int seccomp_allow_all(void)
{
        struct sock_filter insn[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
        struct sock_fprog prog = {.len = 1, .filter = insn};

        return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static int landlock_allow_all(void)
{
        /* Every file system right of ABI 5 and later (execute .. ioctl_dev: 16 bits). */
        struct ruleset_attr attr = {.handled_access_fs = (1ULL << 16) - 1};
        struct path_beneath_attr rule = {.allowed_access = attr.handled_access_fs};
        int ruleset, r;

        ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
        if (ruleset < 0)
                return -1;
        rule.parent_fd = open("/", O_PATH | O_CLOEXEC);
        r = rule.parent_fd < 0
                    ? -1
                    : (int)syscall(SYS_landlock_add_rule, ruleset, 1 /* path beneath */, &rule, 0);
        if (r == 0)
                r = (int)syscall(SYS_landlock_restrict_self, ruleset, 0);
        return r;
}

int main(int argc, char **argv)
{
        int sc, ll;

        if (argc < 3) {
                fprintf(stderr, "usage: floor seccomp|landlock|both PROGRAM [ARG...]\n");
                return 2;
        }
        sc = strcmp(argv[1], "seccomp") == 0 || strcmp(argv[1], "both") == 0;
        ll = strcmp(argv[1], "landlock") == 0 || strcmp(argv[1], "both") == 0;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || (ll && landlock_allow_all() < 0) ||
            (sc && seccomp_allow_all() < 0)) {
                perror("floor");
                return 1;
        }
        execv(argv[2], argv + 2);
        perror(argv[2]);
        return 127;
}
