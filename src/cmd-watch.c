/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock watch: download protection for folders, and the browser's download gate. */
#include <fcntl.h>
#include <inttypes.h>

#include "analysis/detonate.h"
#include "analysis/quarantine.h"
#include "basic/log.h"
#include "basic/options.h"
#include "basic/parse.h"
#include "basic/paths.h"
#include "basic/strv.h"
#include "cmds.h"
#include "endpoint/watch.h"

#define EXIT_WATCH_ERROR    2
#define WATCH_DEPTH_DEFAULT 8
#define WATCH_DEPTH_LIMIT   32

struct watch_args {
        struct watch_config cfg;
        char **dirs, **gates, **releases, **rules_dirs;
        const char *log_file, *pid_file;
        bool once, help, verbose;
};

static int on_arg(void *ctx, const struct option_def *def, char *const *args, const char **reason)
{
        struct watch_args *a = ctx;
        const char *n = def->name;

        if (streq(n, "gate"))
                return strv_extend(&a->gates, args[0]);
        if (streq(n, "release-to"))
                return strv_extend(&a->releases, args[0]);
        if (streq(n, "rules"))
                return strv_extend(&a->rules_dirs, args[0]);
        if (streq(n, "quarantine"))
                a->cfg.quarantine = args[0];
        else if (streq(n, "log"))
                a->log_file = args[0];
        else if (streq(n, "pid-file"))
                a->pid_file = args[0];
        else if (streq(n, "json"))
                a->cfg.json = true;
        else if (streq(n, "once"))
                a->once = true;
        else if (streq(n, "no-builtin-rules"))
                a->cfg.opts.no_builtin_rules = true;
        else if (streq(n, "detonate"))
                a->cfg.detonate = true;
        else if (streq(n, "detonate-timeout")) {
                if (detonate_timeout_parse(args[0], &a->cfg.detonate_timeout) < 0) {
                        *reason = "expected seconds from 1 to 3600";
                        return -EINVAL;
                }
                a->cfg.detonate = true;
        } else if (streq(n, "max-depth")) {
                uint64_t v;
                if (parse_uint64(args[0], &v) < 0 || v > WATCH_DEPTH_LIMIT) {
                        *reason = "expected a number of levels from 0 to 32";
                        return -EINVAL;
                }
                a->cfg.max_depth = (unsigned)v;
        } else if (streq(n, "verbose"))
                a->verbose = true;
        else if (streq(n, "help"))
                a->help = true;
        return 0;
}

static const struct option_def watch_options[] = {
        {"gate", 0, 1, "DIR", "a gate folder: its files go to --release-to only when clean",
         on_arg},
        {"release-to", 0, 1, "DIR", "where the clean files of the preceding --gate go", on_arg},
        {"quarantine", 0, 1, "DIR",
         "the quarantine store (default $AIRLOCK_QUARANTINE, else "
         "~/.local/share/airlock/quarantine)",
         on_arg},
        {"rules", 0, 1, "DIR", "add the YARA rules (*.yar) and hash lists (*.hsb) of DIR", on_arg},
        {"no-builtin-rules", 0, 0, NULL, "do not load the shipped rule pack", on_arg},
        {"detonate", 0, 0, NULL,
         "also run programs and scripts that look clean in airlock run --trace and judge what "
         "they do",
         on_arg},
        {"detonate-timeout", 0, 1, "SECONDS", "time each detonated file may run (default 10)",
         on_arg},
        {"max-depth", 0, 1, "N",
         "subfolder levels watched below each folder, 0: none (default 8; gates: none)", on_arg},
        {"once", 0, 0, NULL, "judge the files present, then exit (status as analyze)", on_arg},
        {"json", 0, 0, NULL, "log one JSON object per line", on_arg},
        {"log", 0, 1, "FILE", "append the log lines to FILE instead of standard output", on_arg},
        {"pid-file", 0, 1, "FILE", "write the pid to FILE once the folders are watched", on_arg},
        {"verbose", 'v', 0, NULL, "also log why files are skipped", on_arg},
        {"help", 'h', 0, NULL, "show this help", on_arg},
};

static void print_help(void)
{
        printf("usage: airlock watch [OPTIONS] DIR...\n"
               "       airlock watch [OPTIONS] --gate DIR --release-to DIR [DIR...]\n"
               "Judges every finished file in the folders and their subfolders (and the files "
               "already\nthere that carry no verdict mark): clean files stay and are marked, "
               "the others are\nmoved into the quarantine. Files of a gate folder (not of its "
               "subfolders) reach\ntheir release folder only when clean.\nUnfinished downloads "
               "(*.crdownload, *.part, *.download, "
               "*.tmp) wait for their final name.\nSIGTERM stops, SIGHUP reloads the "
               "rules.\n\n");
        options_print_help(stdout, watch_options, ELEMENTSOF(watch_options));
}

static int parse_args(struct watch_args *a, int argc, char **argv)
{
        int i = 1, k;

        /* Options and folders may be mixed; everything after "--" is a folder. */
        while (i < argc) {
                k = options_parse(watch_options, ELEMENTSOF(watch_options), argc - i + 1,
                                  argv + i - 1, a, "watch");
                if (k < 0)
                        return k;
                bool dashdash = k >= 2 && streq(argv[i - 1 + k - 1], "--");
                i += k - 1;
                for (; i < argc && (dashdash || argv[i][0] != '-'); i++)
                        if (strv_extend(&a->dirs, argv[i]) < 0)
                                return log_error_errno(-ENOMEM, "watch: %m");
        }
        return 0;
}

static int check_args(struct watch_args *a)
{
        if (a->help)
                return 0;
        if (strv_length(a->gates) != strv_length(a->releases)) {
                log_error("watch: each --gate needs its --release-to");
                return -EINVAL;
        }
        if (!a->dirs && !a->gates) {
                log_error("watch: no folder given (see airlock watch --help)");
                return -EINVAL;
        }
        return 0;
}

static int open_log(const char *path)
{
        int fd;

        if (!path)
                return dup(STDOUT_FILENO);
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
        if (fd < 0)
                return log_error_errno(negative_errno(), "watch: cannot open the log %s: %m", path);
        return fd;
}

int cmd_watch(int argc, char **argv)
{
        struct watch_args a = {0};
        _cleanup_(watcher_freep) struct watcher *w = NULL;
        _cleanup_free_ char *quarantine = NULL;
        _cleanup_close_ int log_fd = -1;
        const struct watch_stats *s;
        int k, status = EXIT_WATCH_ERROR;

        analysis_options_init(&a.cfg.opts);
        /* One file at a time: the machine is the user's, the watcher runs beside their work. */
        a.cfg.opts.threads = 1;
        a.cfg.max_depth = WATCH_DEPTH_DEFAULT;
        if (parse_args(&a, argc, argv) < 0 || check_args(&a) < 0)
                goto out;
        if (a.help) {
                print_help();
                status = 0;
                goto out;
        }
        if (a.verbose)
                log_set_max_level(LOG_DEBUG);
        if (!a.cfg.quarantine || !*a.cfg.quarantine) {
                /* only the default store's parent folders are made */
                a.cfg.quarantine_make_parents = !getenv("AIRLOCK_QUARANTINE");
                k = quarantine_default_dir(&quarantine);
                if (k < 0) {
                        log_error_errno(k, "watch: no quarantine store (--quarantine DIR): %m");
                        goto out;
                }
                a.cfg.quarantine = quarantine;
        }
        log_fd = open_log(a.log_file);
        if (log_fd < 0)
                goto out;
        a.cfg.dirs = a.dirs;
        a.cfg.gates = a.gates;
        a.cfg.releases = a.releases;
        a.cfg.opts.rules_dirs = a.rules_dirs;
        a.cfg.log_fd = log_fd;
        if (watcher_new(&a.cfg, &w) < 0)
                goto out;
        k = a.once ? watcher_run_once(w) : watcher_run(w, a.pid_file);
        s = watcher_stats(w);
        if (a.once)
                log_info("watch: %" PRIu64 " judged: %" PRIu64 " clean (%" PRIu64
                         " released), %" PRIu64 " quarantined, %" PRIu64 " errors",
                         s->judged, s->clean, s->released, s->quarantined, s->errors);
        if (k < 0)
                goto out;
        status = a.once && s->worst != ANALYSIS_CLEAN ? analysis_exit_status(s->worst)
                 : a.once && s->errors                ? EXIT_WATCH_ERROR
                                                      : 0;
        if (a.pid_file)
                (void)unlink(a.pid_file);
out:
        strv_free(a.dirs);
        strv_free(a.gates);
        strv_free(a.releases);
        strv_free(a.rules_dirs);
        return status;
}
