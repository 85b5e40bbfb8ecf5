/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "basic/log.h"
#include "cmds.h"

int cmd_profile(int argc, char **argv)
{
        (void)argc;
        (void)argv;
        log_error("airlock profile: not implemented yet");
        return EXIT_AIRLOCK_FAILED;
}
