/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "startup-trace.h"

uint64_t startup_trace_base;

static uint64_t monotonic_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void startup_trace_begin(void)
{
        const char *e = secure_getenv("AIRLOCK_DEBUG_STARTUP");

        startup_trace_base = e && *e && *e != '0' ? monotonic_usec() : 0;
}

void startup_trace_step(const char *step)
{
        char line[128];
        int n = snprintf(line, sizeof(line), "airlock-startup: +%" PRIu64 "us pid %d %s\n",
                         monotonic_usec() - startup_trace_base, (int)getpid(), step);

        /* one write, so that the lines of the processes do not interleave */
        if (n > 0)
                (void)!write(STDERR_FILENO, line,
                             (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}
