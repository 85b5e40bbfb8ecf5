/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock inspect [--json] [PID...]: rate how well running processes are isolated.
 * airlock inspect --spec FILE [--json]: rate an OCI config.json against the Pod Security
 * Standards (baseline, restricted). */
#include <errno.h>
#include <getopt.h>
#include <json.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/escape.h"
#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "cmds.h"
#include "inspect/inspect.h"
#include "policy/podsec.h"

#define MAX_PIDS 256

static void usage(FILE *f)
{
        fputs("Usage: airlock inspect [--json] [PID...]\n"
              "       airlock inspect --spec FILE [--json]\n"
              "Rates how well each process is isolated: namespaces, root, identity,\n"
              "capabilities, no_new_privs, seccomp, cgroup limits, terminal, leaked directory\n"
              "fds; an exposure from 0.0 (contained) to 10.0 (not isolated), relative to the\n"
              "namespaces airlock inspect runs in (run it from the host).\n"
              "Without PID: the programs of every sandbox this airlock started that runs now.\n"
              "With --spec: rates an OCI runtime configuration (config.json) against the\n"
              "Kubernetes Pod Security Standards: prints the highest level it meets\n"
              "(privileged, baseline, restricted) and every rule it breaks, by JSON field.\n"
              "  --spec FILE   the config.json to rate (relative bind sources are resolved\n"
              "                against its folder, as the runtime resolves them against the\n"
              "                bundle)\n"
              "  --json        one JSON document (schema: docs/inspect-report.schema.json;\n"
              "                with --spec: docs/inspect-spec.schema.json)\n"
              "  -h, --help    this text\n"
              "Exit status: 0 every process contained (exposure <= 2.0), 1 some process less\n"
              "so, 125 an error (no such process, not allowed to read it). With --spec: 0 the\n"
              "spec meets restricted, 1 it does not, 125 the file cannot be read or parsed.\n"
              "See airlock-inspect(1).\n",
              f);
}

static json_object *result_json(const struct inspect_result *r)
{
        json_object *o = json_object_new_object(), *checks = json_object_new_array();
        char buf[16];

        json_object_object_add(o, "pid", json_object_new_int(r->pid));
        json_object_object_add(o, "command", json_object_new_string(r->command));
        json_object_object_add(o, "uid", json_object_new_int64(r->uid));
        snprintf(buf, sizeof(buf), "%.1f", r->exposure);
        json_object_object_add(o, "exposure", json_object_new_double_s(r->exposure, buf));
        json_object_object_add(o, "rating", json_object_new_string(inspect_rating(r->exposure)));
        for (size_t i = 0; i < r->n_checks; i++) {
                const struct inspect_check *c = &r->checks[i];
                json_object *j = json_object_new_object();

                json_object_object_add(j, "name", json_object_new_string(c->name));
                json_object_object_add(j, "protects", json_object_new_string(c->layer));
                json_object_object_add(j, "status",
                                       json_object_new_string(inspect_status_to_string(c->status)));
                snprintf(buf, sizeof(buf), "%.2f", c->exposure);
                json_object_object_add(j, "exposure", json_object_new_double_s(c->exposure, buf));
                json_object_object_add(j, "detail", json_object_new_string(c->detail));
                json_object_array_add(checks, j);
        }
        json_object_object_add(o, "checks", checks);
        {
                json_object *v = json_object_new_array();

                for (size_t i = 0; i < r->n_visible_host; i++)
                        json_object_array_add(v, json_object_new_string(r->visible_host[i]));
                json_object_object_add(o, "visible_host_paths", v);
        }
        return o;
}

/* Colour only on a terminal, and never when NO_COLOR is set to anything (no-color.org). */
static bool use_color(void)
{
        const char *no_color = getenv("NO_COLOR");

        return isatty(STDOUT_FILENO) && !(no_color && no_color[0]);
}

static void print_result(const struct inspect_result *r, bool color)
{
        static const char *const marks[] = {"✓", "~", "✗", "?"};
        static const char *const colors[] = {"\033[32m", "\033[33m", "\033[31m", "\033[2m"};

        printf("PID %d: %s\n", r->pid, r->command[0] ? r->command : "(no command line)");
        printf("  %-20s %-8s %-8s %s\n", "CHECK", "STATUS", "EXPOSURE", "DETAIL");
        for (size_t i = 0; i < r->n_checks; i++) {
                const struct inspect_check *c = &r->checks[i];

                printf("  %s%s%s %-18s %-8s %-8.2f %s\n", color ? colors[c->status] : "",
                       marks[c->status], color ? "\033[0m" : "", c->name,
                       inspect_status_to_string(c->status), c->exposure, c->detail);
        }
        printf("  → exposure %.1f/10: %s\n", r->exposure, inspect_rating(r->exposure));
}

static json_object *spec_json(const char *path, const struct podsec_report *r,
                              bool allow_privileged)
{
        json_object *o = json_object_new_object(), *list = json_object_new_array();

        json_object_object_add(o, "schema_version", json_object_new_int(1));
        json_object_object_add(o, "spec", json_object_new_string(path));
        json_object_object_add(o, "level",
                               json_object_new_string(podsec_level_to_string(podsec_level(r))));
        json_object_object_add(o, "allow_privileged", json_object_new_boolean(allow_privileged));
        for (size_t i = 0; i < r->n; i++) {
                const struct podsec_violation *v = &r->violations[i];
                json_object *j = json_object_new_object();

                json_object_object_add(j, "level",
                                       json_object_new_string(podsec_level_to_string(v->level)));
                json_object_object_add(j, "rule", json_object_new_string(v->rule));
                json_object_object_add(j, "field", json_object_new_string(v->field));
                json_object_object_add(j, "value", json_object_new_string(v->value));
                json_object_object_add(j, "message", json_object_new_string(v->why));
                json_object_array_add(list, j);
        }
        json_object_object_add(o, "violations", list);
        return o;
}

static void print_spec(const char *path, const struct podsec_report *r, bool allow_privileged)
{
        enum podsec_level level = podsec_level(r);

        fputs_escaped(stdout, path);
        printf(": %s (%s)\n", podsec_level_to_string(level),
               level == PODSEC_RESTRICTED ? "meets baseline and restricted"
               : level == PODSEC_BASELINE ? "meets baseline, not restricted"
                                          : "meets neither baseline nor restricted");
        for (size_t i = 0; i < r->n; i++) {
                const struct podsec_violation *v = &r->violations[i];

                fputs("  ", stdout);
                fputs_escaped(stdout, v->field);
                fputs(": ", stdout);
                fputs_escaped(stdout, v->value);
                printf(" (%s: %s)\n      ", podsec_level_to_string(v->level), v->rule);
                fputs_escaped(stdout, v->why);
                putchar('\n');
        }
        if (allow_privileged)
                printf("  annotation airlock.allow-privileged=true: airlock-runtime runs it even "
                       "so\n");
}

/* --spec FILE: rates the spec; the exit status as the help says. */
static int inspect_spec(const char *path, bool json)
{
        _cleanup_free_ char *text = NULL, *real = NULL;
        struct podsec_report report = {};
        enum json_tokener_error jerr = json_tokener_success;
        json_object *spec, *allow = NULL;
        bool allow_privileged;
        int r;

        r = read_full_file(path, &text, NULL, 4u << 20);
        if (r == -EFBIG)
                return log_error("cannot read %s: larger than 4 MiB", path), EXIT_AIRLOCK_FAILED;
        if (r < 0)
                return log_error_errno(r, "cannot read %s: %m", path), EXIT_AIRLOCK_FAILED;
        /* the folder of the file the user named, links followed: the bundle it stands for */
        real = realpath(path, NULL);
        if (!real)
                return log_error_errno(-errno, "cannot read %s: %m", path), EXIT_AIRLOCK_FAILED;
        spec = json_tokener_parse_verbose(text, &jerr);
        if (!spec) {
                log_error("cannot parse %s: not valid JSON (%s)", path,
                          json_tokener_error_desc(jerr));
                return EXIT_AIRLOCK_FAILED;
        }
        if (!json_object_is_type(spec, json_type_object)) {
                log_error("cannot parse %s: not a JSON object (an OCI runtime configuration)",
                          path);
                json_object_put(spec);
                return EXIT_AIRLOCK_FAILED;
        }
        r = podsec_check(spec, dirname(real), &report);
        if (json_object_object_get_ex(spec, "annotations", &allow) &&
            !json_object_object_get_ex(allow, "airlock.allow-privileged", &allow))
                allow = NULL;
        allow_privileged = json_object_is_type(allow, json_type_string) &&
                           streq(json_object_get_string(allow), "true");
        json_object_put(spec);
        if (r < 0) {
                podsec_report_done(&report);
                return log_error_errno(r, "%s: %m", path), EXIT_AIRLOCK_FAILED;
        }
        if (json) {
                json_object *doc = spec_json(path, &report, allow_privileged);

                puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
                json_object_put(doc);
        } else
                print_spec(path, &report, allow_privileged);
        r = podsec_level(&report) == PODSEC_RESTRICTED ? 0 : 1;
        podsec_report_done(&report);
        return r;
}

int cmd_inspect(int argc, char **argv)
{
        static const struct option longopts[] = {
                {"json", no_argument, NULL, 'j'},
                {"spec", required_argument, NULL, 's'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        pid_t pids[MAX_PIDS];
        size_t n = 0;
        bool json = false, all_contained = true;
        const char *spec = NULL;
        json_object *doc = NULL, *procs = NULL;
        int c, r;

        optind = 0;
        opterr = 0; /* the message below has the prefix of every other command */
        while ((c = getopt_long(argc, argv, "+:h", longopts, NULL)) >= 0)
                switch (c) {
                case 'j':
                        json = true;
                        break;
                case 's':
                        spec = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                case ':':
                        log_error("option '%s' needs an argument (see airlock inspect --help)",
                                  argv[optind - 1]);
                        return EXIT_USAGE;
                default:
                        log_error("unrecognized option '%s' (see airlock inspect --help)",
                                  argv[optind - 1]);
                        return EXIT_USAGE;
                }
        if (spec && optind < argc) {
                log_error("--spec rates a file, not processes: '%s' is one argument too many",
                          argv[optind]);
                return EXIT_USAGE;
        }
        if (spec)
                return inspect_spec(spec, json);
        for (int i = optind; i < argc; i++) {
                int v;

                if (parse_int(argv[i], &v) < 0 || v <= 0) {
                        log_error("'%s' is not a process id", argv[i]);
                        return EXIT_USAGE;
                }
                if (n == MAX_PIDS) {
                        log_error("at most %d processes at once", MAX_PIDS);
                        return EXIT_AIRLOCK_FAILED;
                }
                pids[n++] = (pid_t)v;
        }
        if (optind == argc) {
                r = inspect_find_sandboxes(pids, MAX_PIDS);
                if (r < 0)
                        return log_error_errno(r, "cannot list processes: %m"), EXIT_AIRLOCK_FAILED;
                n = (size_t)r;
                if (n == 0 && !json) {
                        printf("No sandbox of this airlock is running. Give a PID to inspect any "
                               "process.\n");
                        return 0;
                }
        }

        if (json) {
                doc = json_object_new_object();
                procs = json_object_new_array();
                json_object_object_add(doc, "schema_version", json_object_new_int(1));
                json_object_object_add(doc, "processes", procs);
        }
        for (size_t i = 0; i < n; i++) {
                struct inspect_result res;

                r = inspect_process(pids[i], &res);
                if (r == -ESRCH) {
                        log_error("no process %d", pids[i]);
                        json_object_put(doc);
                        return EXIT_AIRLOCK_FAILED;
                }
                if (r == -EACCES || r == -EPERM) {
                        log_error("process %d: not allowed to read its namespaces "
                                  "(another user's process: run as that user or as root)",
                                  pids[i]);
                        json_object_put(doc);
                        return EXIT_AIRLOCK_FAILED;
                }
                if (r < 0) {
                        log_error_errno(r, "process %d: %m", pids[i]);
                        json_object_put(doc);
                        return EXIT_AIRLOCK_FAILED;
                }
                if (res.exposure > 2.0)
                        all_contained = false;
                if (json)
                        json_object_array_add(procs, result_json(&res));
                else {
                        if (i > 0)
                                putchar('\n');
                        print_result(&res, use_color());
                }
        }
        if (json) {
                puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
                json_object_put(doc);
        }
        return all_contained ? 0 : 1;
}
