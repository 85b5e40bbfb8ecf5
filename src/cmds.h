/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Each subcommand: argv[0] is the subcommand name. Returns the process exit status. */
int cmd_run(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_profile(int argc, char **argv);

/* In airlock-tools (heavier libraries: libmagic, libarchive, libyara, GMime, libmilter). */
int cmd_analyze(int argc, char **argv);
int cmd_quarantine(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_milter(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_open(int argc, char **argv);

/* Shared by both binaries' dispatchers. */
struct command {
        const char *name;
        int (*run)(int argc, char **argv); /* NULL: lives in the other binary */
        const char *summary;
};

#define EXIT_AIRLOCK_FAILED 125
