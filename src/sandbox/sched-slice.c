/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "basic/macro.h"
#include "sched-slice.h"

/* The kernel's lower bound for a custom slice: 0.1 ms (the default grows with the log of the
 * number of CPUs: 1.4 ms on two). */
#define SHORT_SLICE_NS 100000u

_Static_assert(sizeof(struct sched_attr_v0) == 48, "SCHED_ATTR_SIZE_VER0 is 48 bytes");

int sched_slice_shorten(struct sched_slice *ret)
{
        struct sched_attr_v0 attr = {.size = sizeof(attr)}, shorter;

        *ret = (struct sched_slice){0};
        if (syscall(SYS_sched_getattr, 0, &attr, sizeof(attr), 0u) < 0)
                return negative_errno();
        if (attr.policy != SCHED_OTHER || attr.runtime == SHORT_SLICE_NS)
                return 0;
        attr.size = sizeof(attr);
        shorter = attr;
        shorter.runtime = SHORT_SLICE_NS;
        if (syscall(SYS_sched_setattr, 0, &shorter, 0u) < 0)
                return negative_errno();
        *ret = (struct sched_slice){.shortened = true, .saved = attr};
        return 0;
}

int sched_slice_restore(const struct sched_slice *s)
{
        if (!s->shortened)
                return 0;
        return syscall(SYS_sched_setattr, 0, &s->saved, 0u) < 0 ? negative_errno() : 0;
}
