/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Placeholder until the cgroup back ends land: no cgroup is ever usable. */
#include "cgroup.h"

int cgroup_setup(const struct policy *p, struct cgroup **ret)
{
        (void)p;
        (void)ret;
        return -EOPNOTSUPP;
}

int cgroup_clone_fd(const struct cgroup *cg)
{
        (void)cg;
        return -1;
}

int cgroup_attach(struct cgroup *cg, pid_t pid)
{
        (void)cg;
        (void)pid;
        return -EOPNOTSUPP;
}

int cgroup_kill(struct cgroup *cg)
{
        (void)cg;
        return 0;
}

int cgroup_read_stats(struct cgroup *cg, struct cgroup_stats *ret)
{
        (void)cg;
        *ret = (struct cgroup_stats){0};
        return -EOPNOTSUPP;
}

void cgroup_destroy(struct cgroup *cg)
{
        (void)cg;
}

const char *cgroup_backend_name(const struct cgroup *cg)
{
        (void)cg;
        return "none";
}
