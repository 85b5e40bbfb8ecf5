/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log.h"
#include "macro.h"
#include "options.h"

const struct option_def *options_find(const struct option_def *defs, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (streq(defs[i].name, name))
                        return &defs[i];
        return NULL;
}

static const struct option_def *find_short(const struct option_def *defs, size_t n, char c)
{
        for (size_t i = 0; i < n; i++)
                if (defs[i].short_name && defs[i].short_name == c)
                        return &defs[i];
        return NULL;
}

static int apply(const struct option_def *def, char *const *args, void *ctx, const char *cmd)
{
        const char *reason = NULL;
        int r = def->handler(ctx, def, args, &reason);

        if (r >= 0)
                return 0;
        if (def->n_args == 0)
                return log_error_errno(r, "%s: --%s: %s", cmd, def->name, reason ?: "%m");
        if (reason)
                return log_error_errno(r, "%s: invalid value '%s' for --%s: %s", cmd,
                                       args[def->n_args - 1], def->name, reason);
        return log_error_errno(r, "%s: invalid value '%s' for --%s: %m", cmd, args[def->n_args - 1],
                               def->name);
}

int options_parse(const struct option_def *defs, size_t n, int argc, char **argv, void *ctx,
                  const char *cmd)
{
        int i = 1;

        while (i < argc) {
                const char *a = argv[i];
                const struct option_def *def;
                char *inline_value = NULL;
                char *args[2];
                int r;

                if (streq(a, "--"))
                        return i + 1;
                if (a[0] != '-' || a[1] == 0)
                        return i;

                if (a[1] == '-') {
                        _cleanup_free_ char *name = strdup(a + 2);
                        char *eq;

                        if (!name)
                                return log_error_errno(-ENOMEM, "%s: %m", cmd);
                        eq = strchr(name, '=');
                        if (eq) {
                                *eq = 0;
                                inline_value = (char *)a + 2 + (eq - name) + 1;
                        }
                        def = options_find(defs, n, name);
                        if (!def || (def->flags & OPTION_PROFILE_ONLY))
                                return log_error_errno(
                                        -EINVAL, "%s: unrecognized option '--%s' (see --help)", cmd,
                                        name);
                } else {
                        /* Bundled short flags: only the last may take an argument. */
                        for (const char *c = a + 1; *c; c++) {
                                def = find_short(defs, n, *c);
                                if (!def)
                                        return log_error_errno(
                                                -EINVAL,
                                                "%s: unrecognized option '-%c' (see --help)", cmd,
                                                *c);
                                if (def->n_args > 0) {
                                        if (c[1]) {
                                                inline_value = (char *)c + 1;
                                        }
                                        break;
                                }
                                r = apply(def, NULL, ctx, cmd);
                                if (r < 0)
                                        return r;
                                def = NULL;
                        }
                        if (!def) {
                                i++;
                                continue;
                        }
                }

                if (def->n_args == 0) {
                        if (inline_value)
                                return log_error_errno(-EINVAL, "%s: --%s takes no value", cmd,
                                                       def->name);
                        r = apply(def, NULL, ctx, cmd);
                        i++;
                } else {
                        unsigned need = def->n_args - (inline_value ? 1 : 0);
                        unsigned k = 0;

                        if (i + (int)need >= argc)
                                return log_error_errno(-EINVAL, "%s: --%s needs %s", cmd, def->name,
                                                       def->args_help ?: "a value");
                        if (inline_value)
                                args[k++] = inline_value;
                        for (unsigned j = 0; j < need; j++)
                                args[k++] = argv[i + 1 + (int)j];
                        r = apply(def, args, ctx, cmd);
                        i += 1 + (int)need;
                }
                if (r < 0)
                        return r;
        }
        return i;
}

void options_print_help(FILE *f, const struct option_def *defs, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                char left[64];

                if (defs[i].flags & (OPTION_HIDDEN | OPTION_PROFILE_ONLY))
                        continue;
                snprintf(left, sizeof(left), "%s%c%s--%s%s%s", defs[i].short_name ? "-" : "",
                         defs[i].short_name ?: ' ', defs[i].short_name ? ", " : "  ", defs[i].name,
                         defs[i].n_args ? " " : "",
                         defs[i].n_args ? (defs[i].args_help ?: "VALUE") : "");
                if (!defs[i].short_name)
                        memmove(left, left + 1, strlen(left)); /* drop the placeholder */
                fprintf(f, "  %-32s %s\n", left, defs[i].help);
        }
}
