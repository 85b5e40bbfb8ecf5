/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock quarantine list|show|restore|delete: the store that analyze --quarantine fills. */
#include <inttypes.h>
#include <time.h>

#include "analysis/quarantine.h"
#include "basic/escape.h"
#include "basic/log.h"
#include "basic/options.h"
#include "basic/parse.h"
#include "cmds.h"

#define EXIT_QUARANTINE_ERROR 2

struct quarantine_args {
        const char *store;
        const char *to;
        bool force, keep_privileges, json, help;
};

static int on_arg(void *ctx, const struct option_def *def, char *const *args, const char **reason)
{
        struct quarantine_args *a = ctx;

        if (streq(def->name, "store"))
                a->store = args[0];
        else if (streq(def->name, "to"))
                a->to = args[0];
        else if (streq(def->name, "force"))
                a->force = true;
        else if (streq(def->name, "keep-privileges"))
                a->keep_privileges = true;
        else if (streq(def->name, "json"))
                a->json = true;
        else if (streq(def->name, "help"))
                a->help = true;
        return 0;
}

static const struct option_def quarantine_options[] = {
        {"store", 's', 1, "DIR",
         "the quarantine store (default $AIRLOCK_QUARANTINE, else "
         "~/.local/share/airlock/quarantine, where airlock watch puts files)",
         on_arg},
        {"to", 0, 1, "PATH", "restore: write here instead of the original path", on_arg},
        {"force", 'f', 0, NULL, "restore: replace an existing file", on_arg},
        {"keep-privileges", 0, 0, NULL,
         "restore: keep setuid/setgid and security.*/trusted.* attributes (dropped by default)",
         on_arg},
        {"json", 0, 0, NULL, "list, show: print JSON", on_arg},
        {"help", 'h', 0, NULL, "show this help", on_arg},
};

static void print_help(void)
{
        printf("usage: airlock quarantine [--store DIR] list|show ID|restore ID|delete ID\n\n");
        options_print_help(stdout, quarantine_options, ELEMENTSOF(quarantine_options));
}

static struct json_object *entry_json(const struct quarantine_entry *e, bool with_report)
{
        struct json_object *o = json_object_new_object();
        char mode[8];

        snprintf(mode, sizeof(mode), "%04o", (unsigned)e->mode);
        json_object_object_add(o, "id", json_object_new_int64(e->id));
        json_object_object_add(o, "sha256", json_object_new_string(e->sha256));
        json_object_object_add(o, "original_path", json_object_new_string(e->original_path));
        json_object_object_add(o, "size", json_object_new_int64((int64_t)e->size));
        json_object_object_add(o, "uid", json_object_new_int64(e->uid));
        json_object_object_add(o, "gid", json_object_new_int64(e->gid));
        json_object_object_add(o, "mode", json_object_new_string(mode));
        json_object_object_add(o, "mtime", json_object_new_int64(e->mtime.tv_sec));
        json_object_object_add(o, "verdict", json_object_new_string(e->verdict));
        json_object_object_add(o, "score", json_object_new_int((int)e->score));
        json_object_object_add(o, "quarantined_at", json_object_new_int64(e->quarantined_at));
        json_object_object_add(o, "xattrs", json_tokener_parse(e->xattrs));
        if (with_report)
                json_object_object_add(o, "report", json_tokener_parse(e->report));
        return o;
}

static int list_one(const struct quarantine_entry *e, void *userdata)
{
        struct json_object *array = userdata;
        char when[32];
        time_t t = (time_t)e->quarantined_at;

        if (array) {
                json_object_array_add(array, entry_json(e, false));
                return 0;
        }
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&t));
        printf("%6" PRId64 "  %-11s %2u  %s  %.12s  ", e->id, e->verdict, e->score, when,
               e->sha256);
        fputs_escaped(stdout, e->original_path);
        putchar('\n');
        return 0;
}

static int parse_id(const char *s, int64_t *ret)
{
        uint64_t v;
        int k = parse_uint64(s, &v);

        if (k < 0 || v == 0 || v > INT64_MAX)
                return log_error_errno(-EINVAL, "quarantine: invalid id '%s'", s);
        *ret = (int64_t)v;
        return 0;
}

int cmd_quarantine(int argc, char **argv)
{
        struct quarantine_args a = {0};
        _cleanup_free_ char *default_store = NULL;
        _cleanup_(quarantine_closep) struct quarantine *q = NULL;
        const char *verb;
        int64_t id = 0;
        int i = 1, k;

        /* Options may come before and after the verb. */
        k = options_parse(quarantine_options, ELEMENTSOF(quarantine_options), argc, argv, &a,
                          "quarantine");
        if (k < 0)
                return EXIT_QUARANTINE_ERROR;
        i = k;
        if (a.help) {
                print_help();
                return 0;
        }
        if (i >= argc) {
                log_error("quarantine: expected list, show, restore or delete (see --help)");
                return EXIT_QUARANTINE_ERROR;
        }
        verb = argv[i++];
        if (i < argc && (streq(argv[i], "--help") || streq(argv[i], "-h"))) {
                print_help();
                return 0;
        }
        if (i < argc && argv[i][0] != '-' && parse_id(argv[i++], &id) < 0)
                return EXIT_QUARANTINE_ERROR;
        if (i < argc) {
                k = options_parse(quarantine_options, ELEMENTSOF(quarantine_options), argc - i + 1,
                                  argv + i - 1, &a, "quarantine");
                if (k < 0)
                        return EXIT_QUARANTINE_ERROR;
                if (a.help) {
                        print_help();
                        return 0;
                }
                if (i - 1 + k < argc && id == 0 && parse_id(argv[i - 1 + k], &id) < 0)
                        return EXIT_QUARANTINE_ERROR;
        }
        if (!a.store) {
                /* the store airlock watch fills when none is named */
                k = quarantine_default_dir(&default_store);
                if (k < 0)
                        return log_error_errno(k, "quarantine: no store given (--store DIR): %m"),
                               EXIT_QUARANTINE_ERROR;
                a.store = default_store;
        }
        if (!streq(verb, "list") && id == 0) {
                log_error("quarantine %s: expected an entry id", verb);
                return EXIT_QUARANTINE_ERROR;
        }
        /* Reading a store never makes one: a mistyped --store is an error, not an empty
         * store; the default one not made yet holds nothing. */
        k = quarantine_open_existing(a.store, &q);
        if (k == -ENOENT && default_store && streq(verb, "list")) {
                if (a.json)
                        puts("[]");
                return 0;
        }
        if (k == -ENOENT) {
                log_error("quarantine: there is no quarantine store at %s", a.store);
                return EXIT_QUARANTINE_ERROR;
        }
        if (k < 0) {
                log_error_errno(k, "quarantine: cannot open %s: %m", a.store);
                return EXIT_QUARANTINE_ERROR;
        }

        if (streq(verb, "list")) {
                struct json_object *array = a.json ? json_object_new_array() : NULL;
                k = quarantine_foreach(q, list_one, array);
                if (array) {
                        puts(json_object_to_json_string_ext(array, JSON_C_TO_STRING_PRETTY));
                        json_object_put(array);
                }
        } else if (streq(verb, "show")) {
                struct quarantine_entry e;
                k = quarantine_get(q, id, &e);
                if (k >= 0) {
                        struct json_object *o = entry_json(&e, true);
                        puts(json_object_to_json_string_ext(
                                o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
                        json_object_put(o);
                        quarantine_entry_done(&e);
                }
        } else if (streq(verb, "restore")) {
                k = quarantine_restore(
                        q, id, a.to,
                        (a.force ? QUARANTINE_RESTORE_FORCE : 0) |
                                (a.keep_privileges ? QUARANTINE_RESTORE_KEEP_PRIVILEGES : 0));
                if (k == -ELOOP) {
                        log_error("quarantine restore %" PRId64 ": a symbolic link stands in "
                                  "the target's folder, below a folder sandboxes can write; "
                                  "airlock does not follow it (use --to PATH)",
                                  id);
                        return EXIT_QUARANTINE_ERROR;
                }
                if (k == -EEXIST) {
                        log_error("quarantine restore %" PRId64 ": the target exists (use --force "
                                  "or --to PATH)",
                                  id);
                        return EXIT_QUARANTINE_ERROR;
                }
        } else if (streq(verb, "delete"))
                k = quarantine_delete(q, id);
        else {
                log_error("quarantine: unknown command '%s' (see --help)", verb);
                return EXIT_QUARANTINE_ERROR;
        }
        if (k == -ENOENT) {
                log_error("quarantine %s: no entry %" PRId64 " in %s", verb, id, a.store);
                return EXIT_QUARANTINE_ERROR;
        }
        if (k < 0) {
                log_error_errno(k, "quarantine %s: %m", verb);
                return EXIT_QUARANTINE_ERROR;
        }
        return 0;
}
