/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The airlock entry point. The sandbox commands live here and link only what starting a
 * sandbox needs (libseccomp); the commands that load heavy libraries live in airlock-tools,
 * which this binary executes, so that "airlock run" never pays for loading them. */
#include <limits.h>
#include <stdio.h>

#include "basic/log.h"
#include "basic/macro.h"
#include "cmds.h"
#include "basic/paths.h"
#include "config.h"

static const struct command commands[] = {
        {"run", cmd_run, "run a program in a sandbox"},
        {"warm", cmd_warm, "keep sandboxes built ahead of time for airlock run"},
        {"learn", cmd_learn, "trace a program and write a profile of what it did"},
        {"analyze", NULL, "judge files: true type, archive walk, rules, verdict"},
        {"mail", NULL, "scan mail messages, mbox files and Maildir folders"},
        {"milter", NULL, "run the Postfix/Sendmail milter"},
        {"watch", NULL, "watch download folders and judge new files"},
        {"open", NULL, "judge a file, then open it in a sandbox"},
        {"quarantine", NULL, "list, show, restore or delete quarantined files"},
        {"inspect", cmd_inspect, "rate the isolation of a running process or a container spec"},
        {"profile", cmd_profile, "list, show and lint profiles"},
};

static void help(FILE *f)
{
        fprintf(f, "Usage: airlock COMMAND [OPTIONS] [ARGS...]\n"
                   "Application isolation and sandboxing (MITRE ATT&CK M1048).\n\n"
                   "Commands:\n");
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
        fprintf(f, "\nairlock COMMAND --help shows a command's options.\n"
                   "  -h, --help     show this help\n"
                   "  --version      show the version\n");
}

/* Finds airlock-tools beside this binary (build tree), else where the installation put it. */
static int exec_tools(char **argv)
{
        _cleanup_free_ char *path = NULL;
        int r = sibling_program("airlock-tools", AIRLOCK_LIBEXECDIR_FROM_BINDIR, AIRLOCK_LIBEXECDIR,
                                &path);

        if (r < 0)
                return log_error_errno(r, "cannot find airlock-tools in %s: %m",
                                       AIRLOCK_LIBEXECDIR);
        execv(path, argv);
        return log_error_errno(-errno, "cannot run %s: %m", path);
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                help(stderr);
                return 2;
        }
        if (streq(argv[1], "-h") || streq(argv[1], "--help") || streq(argv[1], "help")) {
                help(stdout);
                return 0;
        }
        if (streq(argv[1], "--version")) {
                printf("airlock %s\n", AIRLOCK_VERSION);
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(commands); i++) {
                if (!streq(argv[1], commands[i].name))
                        continue;
                log_set_command(commands[i].name);
                if (command_asks_version(argc - 1, argv + 1)) {
                        printf("airlock %s\n", AIRLOCK_VERSION);
                        return 0;
                }
                if (commands[i].run)
                        return commands[i].run(argc - 1, argv + 1);
                exec_tools(argv);
                return EXIT_AIRLOCK_FAILED;
        }
        log_error("unknown command '%s' (see airlock --help)", argv[1]);
        return 2;
}
