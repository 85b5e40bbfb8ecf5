/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

static const char *log_prefix = "airlock";
static const char *log_command;
static int log_max_level = LOG_INFO;
static bool log_to_syslog;
static FILE *log_file;
static bool log_json;

void log_set_prefix(const char *prefix)
{
        log_prefix = prefix;
}

void log_set_command(const char *command)
{
        log_command = command;
}

/* Writes "airlock COMMAND: message". A message that already names the command ("analyze:
 * ...", "mail scan: ...", "airlock profile: ...") is not prefixed twice. */
static void write_prefixed(FILE *f, const char *msg)
{
        size_t n, w;

        if (!log_command) {
                fprintf(f, "%s: %s\n", log_prefix, msg);
                return;
        }
        if (startswith(msg, "airlock ")) {
                fprintf(f, "%s\n", msg);
                return;
        }
        n = strlen(log_command);
        if (strncmp(msg, log_command, n) == 0) {
                if (msg[n] == ':') {
                        fprintf(f, "airlock %s\n", msg);
                        return;
                }
                /* a sub-subcommand: "mail scan: ..." */
                w = msg[n] == ' ' ? strspn(msg + n + 1, "abcdefghijklmnopqrstuvwxyz-") : 0;
                if (w > 0 && msg[n + 1 + w] == ':') {
                        fprintf(f, "airlock %s\n", msg);
                        return;
                }
        }
        fprintf(f, "airlock %s: %s\n", log_command, msg);
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

void log_use_file(FILE *f, bool json)
{
        log_file = f;
        log_json = json;
}

static const char *level_name(int level)
{
        return level <= LOG_ERR       ? "error"
               : level == LOG_WARNING ? "warning"
               : level <= LOG_INFO    ? "info"
                                      : "debug";
}

static void write_json(FILE *f, int level, const char *msg)
{
        char when[40];
        struct timespec ts;
        struct tm tm;

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
        fprintf(f, "{\"level\":\"%s\",\"msg\":\"", level_name(level));
        for (const unsigned char *c = (const unsigned char *)msg; *c; c++)
                if (*c == '"' || *c == '\\')
                        fprintf(f, "\\%c", *c);
                else if (*c < 0x20)
                        fprintf(f, "\\u%04x", *c);
                else
                        fputc(*c, f);
        fprintf(f, "\",\"time\":\"%s.%09ldZ\"}\n", when, ts.tv_nsec);
        fflush(f);
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

                if (log_file && log_json)
                        write_json(log_file, level, buf);
                else if (log_file) {
                        write_prefixed(log_file, buf);
                        fflush(log_file);
                } else if (log_to_syslog)
                        syslog(level, "%s", buf);
                else
                        write_prefixed(stderr, buf);
        }
        return -e;
}
