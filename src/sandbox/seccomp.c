/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the seccomp layer lands: builds an empty program. */
#include "seccomp.h"

struct seccomp_program {
        struct seccomp_summary summary;
};

int seccomp_program_build(const struct policy *p, struct seccomp_program **ret)
{
        (void)p;
        *ret = calloc(1, sizeof(struct seccomp_program));
        return *ret ? 0 : -ENOMEM;
}

int seccomp_program_load(const struct seccomp_program *prog, int *ret_notify_fd)
{
        (void)prog;
        *ret_notify_fd = -1;
        return 0;
}

void seccomp_program_free(struct seccomp_program *prog)
{
        free(prog);
}

void seccomp_program_summary(const struct seccomp_program *prog, struct seccomp_summary *ret)
{
        *ret = prog->summary;
}

int seccomp_program_build_uncached(const struct policy *p, struct seccomp_program **ret)
{
        return seccomp_program_build(p, ret);
}

int seccomp_program_denied_errno(const struct seccomp_program *prog, int nr, const uint64_t args[6])
{
        (void)prog;
        (void)nr;
        (void)args;
        return 0;
}

int seccomp_cache_dir(char **ret)
{
        (void)ret;
        return -ENOTSUP;
}
