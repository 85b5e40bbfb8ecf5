/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

static const char *log_prefix = "airlock";
static int log_max_level = LOG_INFO;
static bool log_to_syslog;

void log_set_prefix(const char *prefix)
{
        log_prefix = prefix;
}

void log_set_max_level(int level)
{
        log_max_level = level;
}

int log_get_max_level(void)
{
        return log_max_level;
}

void log_use_syslog(const char *ident, int facility)
{
        openlog(ident, LOG_PID | LOG_NDELAY, facility);
        log_to_syslog = true;
}

int log_internal(int level, int error, const char *fmt, ...)
{
        int e = error < 0 ? -error : error;

        if (level <= log_max_level) {
                char buf[2048];
                va_list ap;

                errno = e;
                va_start(ap, fmt);
                vsnprintf(buf, sizeof(buf), fmt, ap);
                va_end(ap);

                if (log_to_syslog)
                        syslog(level, "%s", buf);
                else
                        fprintf(stderr, "%s: %s\n", log_prefix, buf);
        }
        return -e;
}
