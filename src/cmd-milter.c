/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock milter --socket inet:PORT@127.0.0.1|unix:PATH [--config FILE] [--user USER]
 *                [--report-dir DIR] [--rules DIR] [--syslog] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/detonate.h"
#include "basic/log.h"
#include "basic/options.h"
#include "basic/strv.h"
#include "cmds.h"
#include "mail/milter.h"

struct milter_args {
        struct milter_options o;
        char **rules_dirs;
        bool help;
};

/* The socket spec, checked with a reason for each error before the listener
 * (milter_server_open()) parses it again. */
static int check_socket_spec(const char *spec, const char **reason)
{
        const char *path = startswith(spec, "unix:")    ? spec + 5
                           : startswith(spec, "local:") ? spec + 6
                                                        : NULL;
        const char *port = startswith(spec, "inet:")    ? spec + 5
                           : startswith(spec, "inet6:") ? spec + 6
                                                        : NULL;
        unsigned long v = 0;
        size_t digits;

        if (path) {
                if (path[0] != '/') {
                        *reason = "expected an absolute path after unix:";
                        return -EINVAL;
                }
                if (strlen(path) >= 108) {
                        *reason = "the socket path is longer than 107 bytes";
                        return -ENAMETOOLONG;
                }
                return 0;
        }
        if (!port) {
                *reason = "expected inet:PORT@HOST, inet6:PORT@HOST or unix:/PATH";
                return -EINVAL;
        }
        digits = strspn(port, "0123456789");
        if (digits > 0 && digits <= 5)
                v = strtoul(port, NULL, 10);
        if (digits == 0 || digits > 5 || v < 1 || v > 65535 ||
            (port[digits] != 0 && port[digits] != '@')) {
                *reason = "expected a port from 1 to 65535";
                return -ERANGE;
        }
        if (port[digits] == '@' && port[digits + 1] == 0) {
                *reason = "expected a host after @";
                return -EINVAL;
        }
        return 0;
}

static int opt_value(void *ctx, const struct option_def *def, char *const *args,
                     const char **reason)
{
        struct milter_args *a = ctx;
        int r;

        if (streq(def->name, "socket")) {
                r = check_socket_spec(args[0], reason);
                if (r < 0)
                        return r;
                a->o.socket = args[0];
        } else if (streq(def->name, "config"))
                a->o.config = args[0];
        else if (streq(def->name, "user"))
                a->o.user = args[0];
        else if (streq(def->name, "report-dir"))
                a->o.report_dir = args[0];
        else if (streq(def->name, "rules"))
                return strv_extend(&a->rules_dirs, args[0]);
        else if (streq(def->name, "syslog"))
                a->o.syslog = true;
        else if (streq(def->name, "html-reports"))
                a->o.html_reports = true;
        else if (streq(def->name, "detonate"))
                a->o.detonate = true;
        else if (streq(def->name, "detonate-timeout")) {
                if (detonate_timeout_parse(args[0], &a->o.detonate_timeout) < 0) {
                        *reason = "expected seconds from 1 to 3600";
                        return -EINVAL;
                }
                a->o.detonate = true;
        } else
                a->help = true;
        return 0;
}

static const struct option_def milter_options_table[] = {
        {"socket", 's', 1, "SPEC", "inet:PORT@127.0.0.1 or unix:PATH to listen on", opt_value, 0},
        {"config", 'c', 1, "FILE", "policy file (see airlock-milter(8)); default: built in",
         opt_value, 0},
        {"user", 'u', 1, "USER", "user to run as when started as root (default nobody)", opt_value,
         0},
        {"report-dir", 0, 1, "DIR", "write a JSON report per message into DIR", opt_value, 0},
        {"html-reports", 0, 0, NULL, "and an HTML page (airlock-analyze(1)) beside each", opt_value,
         0},
        {"rules", 0, 1, "DIR", "add the YARA and hash rules in DIR", opt_value, 0},
        {"syslog", 0, 0, NULL, "log to syslog (facility mail) instead of standard error", opt_value,
         0},
        {"detonate", 0, 0, NULL,
         "also run attachments that are programs or scripts in airlock run --trace (the run "
         "counts against scan-timeout)",
         opt_value, 0},
        {"detonate-timeout", 0, 1, "SECONDS",
         "time each detonated attachment may run (default 10; implies --detonate)", opt_value, 0},
        {"help", 'h', 0, NULL, "show this help", opt_value, 0},
};

int cmd_milter(int argc, char **argv)
{
        struct milter_args a = {};
        int first, r;

        first = options_parse(milter_options_table, ELEMENTSOF(milter_options_table), argc, argv,
                              &a, "airlock milter");
        if (first < 0) {
                strv_free(a.rules_dirs);
                return EXIT_USAGE;
        }
        if (a.help) {
                printf("usage: airlock milter --socket SPEC [OPTIONS]\n");
                options_print_help(stdout, milter_options_table, ELEMENTSOF(milter_options_table));
                strv_free(a.rules_dirs);
                return 0;
        }
        if (!a.o.socket || first < argc) {
                log_error("usage: airlock milter --socket inet:PORT@127.0.0.1|unix:PATH "
                          "[--config FILE]");
                strv_free(a.rules_dirs);
                return EXIT_USAGE;
        }
        a.o.rules_dirs = a.rules_dirs;
        r = milter_run(&a.o);
        strv_free(a.rules_dirs);
        return r < 0 ? 1 : 0;
}
