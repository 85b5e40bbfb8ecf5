/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "basic/log.h"
#include "cmds.h"

int cmd_analyze(int argc, char **argv)
{
        (void)argc;
        (void)argv;
        log_error("airlock analyze: not implemented yet");
        return EXIT_AIRLOCK_FAILED;
}
