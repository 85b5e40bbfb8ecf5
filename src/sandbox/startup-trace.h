/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* AIRLOCK_DEBUG_STARTUP=1: one line on stderr per launcher step ("airlock-startup: +123us
 * pid 4567 cpu 890us clone"), in microseconds of CLOCK_MONOTONIC since startup_trace_begin(),
 * from the supervisor and from the sandbox's processes alike, to find where start-up time
 * goes; cpu is the CPU time the process has used so far (CLOCK_PROCESS_CPUTIME_ID, counted
 * from its fork), which tells a step's own work from its waits on a loaded machine. Off, a
 * step costs one test of a global. */

extern uint64_t startup_trace_base; /* 0: tracing is off */

/* Reads AIRLOCK_DEBUG_STARTUP and notes the time the launcher started. */
void startup_trace_begin(void);
void startup_trace_step(const char *step);

static inline void startup_trace(const char *step)
{
        if (startup_trace_base)
                startup_trace_step(step);
}
