/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "basic/macro.h"

/* Each subcommand: argv[0] is the subcommand name. Returns the process exit status. */
int cmd_run(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_warm(int argc, char **argv);

struct launcher_result;
/* One line on stderr when one of airlock's limits ended the program (cmd-run.c); the warm
 * sandbox's supervisor says it too. */
void run_explain_end(const struct launcher_result *res);

/* In airlock-tools (heavier libraries: libmagic, libarchive, libyara, GMime, libmilter). */
int cmd_analyze(int argc, char **argv);
int cmd_quarantine(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_milter(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_open(int argc, char **argv);

struct json_object;
/* --html-report FILE of analyze and mail scan: the page for report (analysis/html-report.h),
 * into FILE opened as run's --report. Returns 0, or a negative errno after logging. */
int write_html_report(const char *path, struct json_object *report);

/* Shared by both binaries' dispatchers. */
struct command {
        const char *name;
        int (*run)(int argc, char **argv); /* NULL: lives in the other binary */
        const char *summary;
};

/* run's own failures: 125, so that they stand apart from the program's statuses. */
#define EXIT_AIRLOCK_FAILED 125
/* A usage error (unknown option, missing argument) in every other command, as clamscan's. */
#define EXIT_USAGE 2

/* Whether a subcommand's arguments (argv[0] is its name) ask for the version: "--version"
 * first, or after the verb of a command that has verbs ("airlock profile lint --version").
 * Never after run's program name: "airlock run ls --version" runs ls --version. */
static inline bool command_asks_version(int argc, char **argv)
{
        static const char *const with_verbs[] = {"profile", "quarantine", "mail"};

        if (argc > 1 && streq(argv[1], "--version"))
                return true;
        if (argc > 2 && argv[1][0] != '-' && streq(argv[2], "--version"))
                for (size_t i = 0; i < ELEMENTSOF(with_verbs); i++)
                        if (streq(argv[0], with_verbs[i]))
                                return true;
        return false;
}
