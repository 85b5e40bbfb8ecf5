/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

/* One table describes an option once: its command-line flag, its profile directive (the
 * same name), its help line and the handler that applies it. --help, the man pages and the
 * profile parser all read the same table. */

enum {
        OPTION_CLI_ONLY = 1 << 0,     /* not a profile directive (--help, --profile) */
        OPTION_PROFILE_ONLY = 1 << 1, /* not a command-line flag (include) */
        OPTION_HIDDEN = 1 << 2,       /* not in --help */
};

struct option_def;

/* Applies one option. args holds n_args strings. Returns 0 or a negative errno; it does not
 * log: the caller names the option, the value and (for profiles) the file and line. A handler
 * may set *ret_reason to a static string that says what was expected. */
typedef int (*option_handler_t)(void *ctx, const struct option_def *def, char *const *args,
                                const char **ret_reason);

struct option_def {
        const char *name; /* long flag without "--"; also the profile directive */
        char short_name;  /* 0 for none */
        unsigned n_args;  /* 0, 1 or 2 */
        const char *args_help;
        const char *help;
        option_handler_t handler;
        unsigned flags;
};

/* Finds an option by its long name. Returns NULL when there is none. */
const struct option_def *options_find(const struct option_def *defs, size_t n, const char *name);

/* Parses argv[1..] with the table. Accepts --name VALUE, --name=VALUE, -x VALUE and bundled
 * short flags without arguments. Stops after "--" or before the first non-option argument.
 * Returns the index of the first argument not consumed, or a negative errno after logging
 * "CMD: ..." naming the option and the cause. */
int options_parse(const struct option_def *defs, size_t n, int argc, char **argv, void *ctx,
                  const char *cmd);

/* Prints one aligned line per option. */
void options_print_help(FILE *f, const struct option_def *defs, size_t n);
