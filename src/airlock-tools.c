/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The commands that load the analysis and mail libraries. Started by "airlock" (argv[0] is
 * then the path of airlock) or directly. */
#include <stdio.h>

#include "basic/log.h"
#include "basic/macro.h"
#include "cmds.h"
#include "config.h"

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
                        return commands[i].run(argc - 1, argv + 1);
                }
        log_error("unknown command '%s' (see airlock --help)", argv[1]);
        return 2;
}
