/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "basic/log.h"
#include "cmds.h"

int cmd_run(int argc, char **argv)
{
        (void)argc;
        (void)argv;
        log_error("airlock run: not implemented yet");
        return EXIT_AIRLOCK_FAILED;
}
