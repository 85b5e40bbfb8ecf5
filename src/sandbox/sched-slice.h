/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The launcher's processes run in short bursts between waits for one another: on a busy
 * machine, each turn they wait for a CPU costs more than their work. A short scheduler slice
 * (sched_setattr()'s sched_runtime for SCHED_OTHER, Linux 6.12: an earlier virtual deadline
 * each time they wake) gets them their turns sooner; their share of the CPU stays the same.
 * The program gets the caller's own attributes back before its execve. */
/* struct sched_attr of the first size (SCHED_ATTR_SIZE_VER0), which glibc does not declare */
struct sched_attr_v0 {
        uint32_t size, policy;
        uint64_t flags;
        int32_t nice;
        uint32_t priority;
        uint64_t runtime, deadline, period;
};

struct sched_slice {
        bool shortened;
        struct sched_attr_v0 saved; /* the caller's, when shortened */
};

/* Shortens the calling thread's slice when it runs SCHED_OTHER, and keeps in *ret what to
 * restore; a kernel without custom slices, another policy or any error leaves all as it was
 * (ret->shortened false). Returns 0 or -errno. */
int sched_slice_shorten(struct sched_slice *ret);

/* Gives the calling thread the attributes *s kept, when sched_slice_shorten() changed them;
 * for the program before its execve, and the supervisor at its end. Returns 0 or -errno. */
int sched_slice_restore(const struct sched_slice *s);
