/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "startup-trace.h"

uint64_t startup_trace_base;

static uint64_t clock_usec(clockid_t clock)
{
        struct timespec ts;

        clock_gettime(clock, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t monotonic_usec(void)
{
        return clock_usec(CLOCK_MONOTONIC);
}

void startup_trace_begin(void)
{
        const char *e = secure_getenv("AIRLOCK_DEBUG_STARTUP");

        startup_trace_base = e && *e && *e != '0' ? monotonic_usec() : 0;
}

void startup_trace_step(const char *step)
{
        char line[128];
        uint64_t now = monotonic_usec();
        int n = snprintf(line, sizeof(line),
                         "airlock-startup: +%" PRIu64 "us pid %d cpu %" PRIu64 "us %s\n",
                         now - startup_trace_base, (int)getpid(),
                         clock_usec(CLOCK_PROCESS_CPUTIME_ID), step);

        /* one write, so that the lines of the processes do not interleave */
        if (n > 0)
                (void)!write(STDERR_FILENO, line,
                             (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}
