/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/resource.h>

#include "rlimit.h"

#define DEFAULT_NOFILE_SOFT 1024
#define DEFAULT_NOFILE_HARD 65536
#define DEFAULT_NPROC       4096 /* counted per uid in the sandbox's own user namespace */

static int lower(int resource, rlim_t soft, rlim_t hard)
{
        struct rlimit cur;

        if (getrlimit(resource, &cur) < 0)
                return negative_errno();
        if (hard > cur.rlim_max)
                hard = cur.rlim_max;
        if (soft > hard)
                soft = hard;
        cur.rlim_cur = soft;
        cur.rlim_max = hard;
        return setrlimit(resource, &cur) < 0 ? negative_errno() : 0;
}

/* The default of a resource the policy does not set: a hard limit lowered here could not be
 * raised again (that needs CAP_SYS_RESOURCE over the host), so a value the policy (an OCI
 * spec's process.rlimits, --rlimit) gives replaces the default instead of following it. */
static int lower_default(const struct policy *p, int resource, rlim_t soft, rlim_t hard)
{
        if (resource < POLICY_RLIMIT_MAX && p->rlimits[resource].set)
                return 0;
        return lower(resource, soft, hard);
}

int rlimit_apply(const struct policy *p)
{
        int r;

        if ((r = lower_default(p, RLIMIT_CORE, 0, 0)) < 0 ||
            (r = lower_default(p, RLIMIT_NOFILE, DEFAULT_NOFILE_SOFT, DEFAULT_NOFILE_HARD)) < 0 ||
            (r = lower_default(p, RLIMIT_NPROC, DEFAULT_NPROC, DEFAULT_NPROC)) < 0)
                return r;
        for (size_t i = 0; i < POLICY_RLIMIT_MAX; i++) {
                const struct rlimit_setting *s = &p->rlimits[i];

                if (s->set && (r = lower(s->resource, s->soft, s->hard)) < 0)
                        return r;
        }
        return 0;
}
