/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The commands that load the analysis and mail libraries. Started by "airlock" (argv[0] is
 * then the path of airlock) or directly. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "basic/log.h"
#include "basic/macro.h"
#include "cmds.h"
#include "config.h"

/* A command that returned has closed what it opened. What the ~40 libraries linked here would
 * still do at exit (their destructors) changes nothing outside, and costs a page fault or two
 * each, two once a confined worker was forked (their data pages are then copy-on-write): 70 of
 * analyze FILE's page faults (docs/worker.md, Budgets). So the streams are flushed and the
 * process ends. Sanitizer builds exit normally: LeakSanitizer checks at exit. */
static int end(int status)
{
        /* A report that could not be written (a full disk, a closed pipe) is never a success:
         * exit() would have dropped this error as silently as _exit(). */
        int r = fflush(stdout);

        if (r != 0 || ferror(stdout)) {
                if (r != 0)
                        log_error_errno(errno, "cannot write the standard output: %m");
                else
                        log_error("cannot write the standard output: a write to it failed");
                if (status == 0)
                        status = 2;
        }
#ifdef AIRLOCK_SANITIZED
        return status;
#else
        fflush(NULL);
        _exit(status);
#endif
}

static const struct command commands[] = {
        {"analyze", cmd_analyze, NULL}, {"quarantine", cmd_quarantine, NULL},
        {"mail", cmd_mail, NULL},       {"milter", cmd_milter, NULL},
        {"watch", cmd_watch, NULL},     {"open", cmd_open, NULL},
};

int main(int argc, char **argv)
{
        if (argc < 2) {
                log_error("usage: airlock COMMAND ... (see airlock --help)");
                return 2;
        }
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                if (streq(argv[1], commands[i].name)) {
                        log_set_command(commands[i].name);
                        if (command_asks_version(argc - 1, argv + 1)) {
                                printf("airlock %s\n", AIRLOCK_VERSION);
                                return 0;
                        }
                        return end(commands[i].run(argc - 1, argv + 1));
                }
        log_error("unknown command '%s' (see airlock --help)", argv[1]);
        return 2;
}
