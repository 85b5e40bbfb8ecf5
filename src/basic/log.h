/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <syslog.h>

#include "macro.h"

/* Messages go to stderr as "PREFIX: message", or to syslog for daemons. */
void log_set_prefix(const char *prefix);
/* Names the subcommand: messages then read "airlock COMMAND: message" (one style for every
 * command, the milter's included); a message that starts with the command is not prefixed
 * twice. */
void log_set_command(const char *command);
void log_set_max_level(int level);
int log_get_max_level(void);
void log_use_syslog(const char *ident, int facility);

/* Logs when level <= max level. Returns -abs(error), or 0 when error is 0, so that callers
 * can write "return log_error_errno(r, ...)". %m expands to strerror(abs(error)). */
int log_internal(int level, int error, const char *fmt, ...) _printf_(3, 4);

#define log_full_errno(level, error, ...) log_internal((level), (error), __VA_ARGS__)
#define log_error_errno(error, ...)       log_internal(LOG_ERR, (error), __VA_ARGS__)
#define log_warning_errno(error, ...)     log_internal(LOG_WARNING, (error), __VA_ARGS__)
#define log_info_errno(error, ...)        log_internal(LOG_INFO, (error), __VA_ARGS__)
#define log_debug_errno(error, ...)       log_internal(LOG_DEBUG, (error), __VA_ARGS__)
#define log_error(...)                    log_internal(LOG_ERR, 0, __VA_ARGS__)
#define log_warning(...)                  log_internal(LOG_WARNING, 0, __VA_ARGS__)
#define log_notice(...)                   log_internal(LOG_NOTICE, 0, __VA_ARGS__)
#define log_info(...)                     log_internal(LOG_INFO, 0, __VA_ARGS__)
#define log_debug(...)                    log_internal(LOG_DEBUG, 0, __VA_ARGS__)

/* Sends the messages to f instead of stderr (airlock-runtime's --log), as runc's JSON lines
 * ({"level":"error","msg":"...","time":"..."}) when json. */
void log_use_file(FILE *f, bool json);
