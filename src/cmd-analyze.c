/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock analyze: static triage of files, folders and standard input. */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analysis.h"
#include "analysis/browser.h"
#include "analysis/detonate.h"
#include "analysis/html-report.h"
#include "analysis/quarantine.h"
#include "basic/fileio.h"
#include "basic/escape.h"
#include "basic/log.h"
#include "basic/options.h"
#include "basic/parse.h"
#include "basic/strv.h"
#include "cmds.h"
#include "mail/mime.h"
#include "sandbox/report.h"

#define EXIT_ANALYZE_ERROR 2

struct analyze_args {
        struct analysis_options opts;
        char **rules_dirs;
        bool json, quiet, help, detonate;
        struct detonate_options det;
        const char *report;
        const char *html_report;
        const char *quarantine;
};

static int on_flag(void *ctx, const struct option_def *def, char *const *args, const char **reason)
{
        struct analyze_args *a = ctx;

        if (streq(def->name, "json"))
                a->json = true;
        else if (streq(def->name, "quiet"))
                a->quiet = true;
        else if (streq(def->name, "help"))
                a->help = true;
        else if (streq(def->name, "no-builtin-rules"))
                a->opts.no_builtin_rules = true;
        else if (streq(def->name, "detonate"))
                a->detonate = true;
        else if (streq(def->name, "no-cache"))
                a->opts.no_cache = true;
        return 0;
}

static int on_string(void *ctx, const struct option_def *def, char *const *args,
                     const char **reason)
{
        struct analyze_args *a = ctx;

        if (streq(def->name, "report"))
                a->report = args[0];
        else if (streq(def->name, "html-report"))
                a->html_report = args[0];
        else if (streq(def->name, "quarantine"))
                a->quarantine = args[0];
        else if (streq(def->name, "rules"))
                return strv_extend(&a->rules_dirs, args[0]);
        else if (streq(def->name, "clamd")) {
                if (!startswith(args[0], "unix:") && !startswith(args[0], "tcp:")) {
                        *reason = "expected unix:PATH or tcp:HOST:PORT";
                        return -EINVAL;
                }
                a->opts.clamd_address = args[0];
        }
        return 0;
}

static int on_limit(void *ctx, const struct option_def *def, char *const *args, const char **reason)
{
        struct analysis_limits *l = &((struct analyze_args *)ctx)->opts.limits;
        uint64_t v;
        int k;

        /* As watch and mail scan: a time outside 1..3600 s is an error, never silently moved. */
        if (streq(def->name, "detonate-timeout")) {
                struct analyze_args *a = ctx;
                if (detonate_timeout_parse(args[0], &a->det.timeout_sec) < 0) {
                        *reason = "expected seconds from 1 to 3600";
                        return -EINVAL;
                }
                a->detonate = true;
                return 0;
        }
        if (streq(def->name, "max-expansion") || streq(def->name, "max-file-size"))
                k = parse_size(args[0], &v);
        else
                k = parse_uint64(args[0], &v);
        if (k < 0) {
                *reason = "expected a number (sizes take K, M, G)";
                return k;
        }
        if (streq(def->name, "max-depth"))
                l->max_depth = v > 1000 ? 1000 : (unsigned)v;
        else if (streq(def->name, "max-members"))
                l->max_members = v;
        else if (streq(def->name, "max-expansion"))
                l->max_expansion = v;
        else if (streq(def->name, "max-ratio"))
                l->max_ratio = v > UINT32_MAX ? UINT32_MAX : (unsigned)v;
        else if (streq(def->name, "timeout"))
                l->timeout_sec = v > 86400 ? 86400 : (unsigned)v;
        else if (streq(def->name, "max-file-size"))
                l->max_file_size = v;
        else if (streq(def->name, "threads"))
                ((struct analyze_args *)ctx)->opts.threads = v < 1 ? 1
                                                             : v > ANALYSIS_MAX_THREADS
                                                                     ? ANALYSIS_MAX_THREADS
                                                                     : (unsigned)v;
        return 0;
}

static const struct option_def analyze_options[] = {
        {"json", 0, 0, NULL, "print the JSON report instead of the table", on_flag},
        {"report", 0, 1, "FILE", "also write the JSON report to FILE", on_string},
        {"html-report", 0, 1, "FILE",
         "also write the report as one self-contained HTML page to FILE", on_string},
        {"rules", 0, 1, "DIR", "add the YARA rules (*.yar) and hash lists (*.hsb) of DIR",
         on_string},
        {"no-builtin-rules", 0, 0, NULL, "do not load the shipped rule pack", on_flag},
        {"quarantine", 0, 1, "DIR", "move files that are not clean into the store DIR", on_string},
        {"detonate", 0, 0, NULL,
         "run programs and scripts in airlock run --trace --net sinkhole and judge what they do",
         on_flag},
        {"detonate-timeout", 0, 1, "SECONDS", "time each detonated sample may run (default 10)",
         on_limit},
        {"clamd", 0, 1, "ADDR", "also ask clamd at unix:PATH or tcp:HOST:PORT (INSTREAM)",
         on_string},
        {"max-depth", 0, 1, "N", "container nesting limit (default 8)", on_limit},
        {"max-members", 0, 1, "N", "archive members per file (default 10000)", on_limit},
        {"max-expansion", 0, 1, "SIZE", "bytes extracted per file (default 1G)", on_limit},
        {"max-ratio", 0, 1, "N", "compression ratio limit (default 100)", on_limit},
        {"max-file-size", 0, 1, "SIZE", "larger files are not read (default 1G)", on_limit},
        {"timeout", 0, 1, "SECONDS", "time per file (default 120)", on_limit},
        {"threads", 'j', 1, "N",
         "threads scanning files and archive members (default: CPUs, max 8)", on_limit},
        {"no-cache", 0, 0, NULL,
         "type and scan every file anew, even content already scanned in this run", on_flag},
        {"quiet", 'q', 0, NULL, "print only what is not clean", on_flag},
        {"help", 'h', 0, NULL, "show this help", on_flag},
};

static void print_help(void)
{
        printf("usage: airlock analyze [OPTIONS] PATH...\n"
               "Static triage of files, folders (recursive) and - (standard input).\n"
               "Exit status: 0 all clean, 1 something suspicious, malicious or unscannable, "
               "2 error.\n\n");
        options_print_help(stdout, analyze_options, ELEMENTSOF(analyze_options));
}

/* Progress on a terminal: a long scan says how far it is, on stderr, on one line that it
 * rewrites; nothing when stderr is not a terminal (a pipe, a log, a unit's journal). */
struct progress {
        struct analysis_ctx *ctx;
        pthread_t thread;
        pthread_mutex_t lock;
        atomic_bool stop;
        bool started, shown;
};

/* Results are printed with the progress line erased and held off: a tick between the erase
 * and the result would put "files scanned" on the result's line. */
static void progress_hold(struct progress *p)
{
        if (!p->started)
                return;
        pthread_mutex_lock(&p->lock);
        if (p->shown)
                fputs("\r\033[K", stderr);
        p->shown = false;
}

static void progress_release(struct progress *p)
{
        if (!p->started)
                return;
        fflush(stdout);
        pthread_mutex_unlock(&p->lock);
}

static void progress_clear(struct progress *p)
{
        progress_hold(p);
        progress_release(p);
}

static void *progress_run(void *arg)
{
        struct progress *p = arg;
        const struct timespec tick = {0, 200 * 1000 * 1000};
        unsigned ticks = 0;

        while (!atomic_load(&p->stop)) {
                nanosleep(&tick, NULL);
                if (++ticks < 5 || atomic_load(&p->stop)) /* quiet for the first second */
                        continue;
                pthread_mutex_lock(&p->lock);
                fprintf(stderr, "\r\033[Kanalyze: %llu files scanned",
                        (unsigned long long)analysis_ctx_files_scanned(p->ctx));
                fflush(stderr);
                p->shown = true;
                pthread_mutex_unlock(&p->lock);
        }
        return NULL;
}

static void progress_start(struct progress *p, struct analysis_ctx *ctx)
{
        *p = (struct progress){.ctx = ctx};
        if (!isatty(STDERR_FILENO) || getenv("AIRLOCK_NO_PROGRESS"))
                return;
        pthread_mutex_init(&p->lock, NULL);
        /* Before the thread: the workers' zygote is forked with the rules already loaded. */
        (void)analysis_ctx_start_workers(ctx);
        p->started = pthread_create(&p->thread, NULL, progress_run, p) == 0;
}

static void progress_stop(struct progress *p)
{
        if (!p->started)
                return;
        atomic_store(&p->stop, true);
        pthread_join(p->thread, NULL);
        progress_clear(p);
        p->started = false;
}

static void print_node(const struct analysis_result *r, const char *prefix, bool quiet)
{
        _cleanup_free_ char *path = NULL;

        if (asprintf(&path, "%s%s", prefix, r->path) < 0)
                return;
        if (r->type && streq(r->type, "directory") && !r->note) {
                for (size_t i = 0; i < r->n_children; i++)
                        print_node(r->children[i], "", quiet);
                return;
        }
        if (!quiet || r->verdict != ANALYSIS_CLEAN) {
                /* a FIFO or a device was not read: it has no verdict; a folder not walked
                 * is unscannable */
                printf("%-11s %2u  ",
                       r->note && r->verdict == ANALYSIS_CLEAN
                               ? "skipped"
                               : analysis_verdict_to_string(r->verdict),
                       r->score);
                fputs_escaped(stdout, path);
                printf("  [%s]", r->type ? r->type : "?");
                if (r->note)
                        printf(" (%s)", r->note);
                putchar('\n');
                for (size_t i = 0; i < r->n_findings; i++) {
                        const struct analysis_finding *f = &r->findings[i];
                        printf("                %s (%s", f->rule,
                               analysis_severity_to_string(f->severity));
                        for (char **a = f->attack; *a; a++)
                                printf("%s%s", a == f->attack ? "; " : ",", *a);
                        printf("): %s", f->description);
                        if (f->evidence) {
                                printf(": ");
                                fputs_escaped(stdout, f->evidence);
                        }
                        putchar('\n');
                }
        }
        for (size_t i = 0; i < r->n_children; i++) {
                _cleanup_free_ char *sub = NULL;
                if (r->children[i]->verdict == ANALYSIS_CLEAN && quiet)
                        continue;
                if (asprintf(&sub, "%s!", path) < 0)
                        return;
                print_node(r->children[i], sub, quiet);
        }
}

/* Whether clamd failed on a file below r: an outage of the scanner, not a verdict on the file. */
static bool clamd_failed_below(const struct analysis_result *r)
{
        if (analysis_result_clamd_failed(r))
                return true;
        if (r->type && streq(r->type, "directory"))
                for (size_t i = 0; i < r->n_children; i++)
                        if (clamd_failed_below(r->children[i]))
                                return true;
        return false;
}

/* Moves every file on disk below r that is not clean into the store. A file clamd could not
 * judge stays where it is. */
static int quarantine_tree(struct quarantine *q, const struct analysis_result *r, size_t *moved)
{
        int k, ret = 0;

        if (r->type && streq(r->type, "directory")) {
                for (size_t i = 0; i < r->n_children; i++) {
                        k = quarantine_tree(q, r->children[i], moved);
                        if (k < 0)
                                ret = k;
                }
                return ret;
        }
        if (r->verdict == ANALYSIS_CLEAN || r->note)
                return 0;
        if (analysis_result_clamd_failed(r)) {
                log_error("analyze: %s not quarantined: clamd could not scan it", r->path);
                return -EIO;
        }
        if (streq(r->path, "-")) {
                log_warning("analyze: standard input is %s but cannot be quarantined",
                            analysis_verdict_to_string(r->verdict));
                return 0;
        }
        k = quarantine_add_file(q, r->path, r, NULL);
        if (k < 0)
                return log_error_errno(k, "analyze: cannot quarantine %s: %m", r->path);
        (*moved)++;
        return 0;
}

/* Counts the files below r by verdict: folders are not files, their entries are; and the
 * folders that were not walked. */
static void count_files(const struct analysis_result *r, size_t counts[4], size_t *n,
                        size_t *unwalked)
{
        if (r->type && streq(r->type, "directory")) {
                if (r->limit)
                        (*unwalked)++;
                for (size_t i = 0; i < r->n_children; i++)
                        count_files(r->children[i], counts, n, unwalked);
                return;
        }
        if (r->note)
                return;
        counts[r->verdict]++;
        (*n)++;
}

static int write_report(const char *path, struct json_object *report)
{
        const char *text = json_object_to_json_string_ext(
                report, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
        _cleanup_close_ int fd = -1;
        int k;

        if (streq(path, "-"))
                fd = dup(STDOUT_FILENO);
        else
                fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return negative_errno();
        k = loop_write(fd, text, strlen(text));
        if (k >= 0)
                k = loop_write(fd, "\n", 1);
        return k;
}

/* Opened as airlock run opens --report: a regular file, never through a link planted in a
 * folder that a sandbox can write. */
int write_html_report(const char *path, struct json_object *report)
{
        _cleanup_close_ int fd = report_open(path, NULL);
        int k;

        if (fd < 0)
                return fd;
        if (!streq(path, "-") && ftruncate(fd, 0) < 0)
                return log_error_errno(-errno, "cannot write the report %s: %m", path);
        k = html_report_write(fd, report);
        if (k < 0)
                return log_error_errno(k, "cannot write the report %s: %m", path);
        return 0;
}

int cmd_analyze(int argc, char **argv)
{
        struct analyze_args a = {0};
        struct browser *browser = NULL;
        _cleanup_(analysis_ctx_freep) struct analysis_ctx *ctx = NULL;
        struct progress progress = {0};
        _cleanup_(quarantine_closep) struct quarantine *q = NULL;
        _cleanup_free_ char *error = NULL;
        _cleanup_strv_free_ char **paths = NULL;
        struct analysis_result **results = NULL;
        size_t n = 0, moved = 0;
        enum analysis_verdict worst = ANALYSIS_CLEAN;
        bool failed = false, clamd_outage = false;
        int i = 1, k, status;

        analysis_options_init(&a.opts);
        /* Options and paths may be mixed; everything after "--" is a path. */
        while (i < argc) {
                k = options_parse(analyze_options, ELEMENTSOF(analyze_options), argc - i + 1,
                                  argv + i - 1, &a, "analyze");
                if (k < 0)
                        goto usage_error;
                bool dashdash = k >= 2 && streq(argv[i - 1 + k - 1], "--");
                i += k - 1;
                if (dashdash) {
                        for (; i < argc; i++)
                                if (strv_extend(&paths, argv[i]) < 0)
                                        goto oom;
                        break;
                }
                if (i < argc && strv_extend(&paths, argv[i++]) < 0)
                        goto oom;
        }
        if (a.help) {
                print_help();
                strv_free(a.rules_dirs);
                return 0;
        }
        if (!paths) {
                log_error("analyze: no file given (see airlock analyze --help)");
                goto usage_error;
        }
        a.opts.rules_dirs = a.rules_dirs;
        /* One file: its worker loads the rules and this process does not, so that the worker
         * is forked from a small process (docs/worker.md, Budgets). A folder or several files
         * keep them here, where the zygote that forks their workers shares them. */
        struct stat one;
        a.opts.workers_load_engines = !paths[1] && !streq(paths[0], "-") &&
                                      stat(paths[0], &one) == 0 && S_ISREG(one.st_mode);
        /* One file is one job: no other worker would read what its worker judged, so it sends
         * no cache entries and this process makes no table for them (docs/worker.md). */
        if (a.opts.workers_load_engines)
                a.opts.no_shared_cache = true;
        k = analysis_ctx_new(&a.opts, &ctx, &error);
        if (k < 0) {
                log_error_errno(k, "analyze: %s", error ? error : "cannot set up: %m");
                goto usage_error;
        }
        /* A scanner that cannot be reached is an error before any file is judged, as
         * clamdscan's: never a verdict on the files, never a reason to move them. */
        if (a.opts.clamd_address) {
                _cleanup_free_ char *why = NULL;
                k = analysis_clamd_ping(a.opts.clamd_address, &why);
                if (k < 0) {
                        log_error_errno(k, "analyze: %s", why ?: "cannot reach clamd: %m");
                        goto usage_error;
                }
        }
        /* Mail messages (.eml, mbox, a message in an archive) are walked as mail scan does. */
        analysis_ctx_set_message_walker(ctx, mail_walk_message);
        k = analysis_ctx_prepare(ctx, &error);
        if (k < 0) {
                log_error_errno(k, "analyze: %s", error ? error : "cannot start a worker: %m");
                goto usage_error;
        }
        progress_start(&progress, ctx);
        a.det.ctx = ctx;
        a.det.browser = &browser; /* one browser loads the pages of every path */
        if (a.quarantine) {
                k = quarantine_open(a.quarantine, &q);
                if (k < 0) {
                        log_error_errno(k, "analyze: cannot open the quarantine %s: %m",
                                        a.quarantine);
                        goto usage_error;
                }
        }
        /* Chromium takes seconds to start and the scan of a page a tenth of one: a page to
         * detonate first has its browser started now, beside its scan. */
        if (a.detonate) {
                k = analysis_detonate_prestart(paths[0], &a.det);
                if (k < 0)
                        log_debug_errno(k, "analyze: cannot start the browser ahead: %m");
        }
        results = calloc(strv_length(paths) + 1, sizeof(*results));
        if (!results)
                goto oom;
        for (char **p = paths; *p; p++) {
                k = analysis_scan_path(ctx, *p, &results[n]);
                progress_clear(&progress);
                if (k < 0) {
                        log_error_errno(k, "analyze: %s: %m", *p);
                        failed = true;
                        continue;
                }
                if (a.detonate && (k = analysis_detonate(results[n], &a.det)) < 0) {
                        log_error_errno(k, "analyze: cannot detonate %s: %m", *p);
                        failed = true;
                }
                /* A FIFO or a device given by name was not read: say so, as clamscan. */
                if (results[n]->note) {
                        log_warning("analyze: %s: %s", *p, results[n]->note);
                        failed = true;
                }
                if (clamd_failed_below(results[n])) {
                        clamd_outage = true;
                        failed = true;
                }
                worst = analysis_verdict_worst(worst, results[n]->verdict);
                if (!a.json) {
                        progress_hold(&progress);
                        print_node(results[n], "", a.quiet);
                        progress_release(&progress);
                }
                n++;
        }
        progress_stop(&progress);
        if (q)
                for (size_t j = 0; j < n; j++)
                        if (quarantine_tree(q, results[j], &moved) < 0)
                                failed = true;
        if (a.json || a.report || a.html_report) {
                struct json_object *report = analysis_report_new(results, n);
                if (!report)
                        goto oom;
                if (a.json && write_report("-", report) < 0)
                        failed = true;
                if (a.report && (k = write_report(a.report, report)) < 0) {
                        log_error_errno(k, "analyze: cannot write %s: %m", a.report);
                        failed = true;
                }
                if (a.html_report && write_html_report(a.html_report, report) < 0)
                        failed = true;
                json_object_put(report);
        }
        if (!a.json && !a.quiet) {
                size_t counts[4] = {0}, files = 0, unwalked = 0;
                for (size_t j = 0; j < n; j++)
                        count_files(results[j], counts, &files, &unwalked);
                printf("-- %zu files: %zu clean, %zu suspicious, %zu malicious, %zu "
                       "unscannable",
                       files, counts[ANALYSIS_CLEAN], counts[ANALYSIS_SUSPICIOUS],
                       counts[ANALYSIS_MALICIOUS], counts[ANALYSIS_UNSCANNABLE]);
                if (unwalked)
                        printf("; %zu folder%s not walked", unwalked, unwalked == 1 ? "" : "s");
                printf("%s\n", moved ? "; moved to the quarantine" : "");
        }
        if (clamd_outage)
                log_error("analyze: clamd at %s failed during the scan: the files it could not "
                          "scan are unscannable, none was quarantined",
                          a.opts.clamd_address);
        status = clamd_outage              ? EXIT_ANALYZE_ERROR
                 : worst != ANALYSIS_CLEAN ? analysis_exit_status(worst)
                 : failed                  ? EXIT_ANALYZE_ERROR
                                           : 0;
        browser_free(browser);
        for (size_t j = 0; j < n; j++)
                analysis_result_free(results[j]);
        free(results);
        strv_free(a.rules_dirs);
        return status;
oom:
        log_error_errno(-ENOMEM, "analyze: %m");
usage_error:
        progress_stop(&progress);
        browser_free(browser);
        for (size_t j = 0; j < n; j++)
                analysis_result_free(results[j]);
        free(results);
        strv_free(a.rules_dirs);
        return EXIT_ANALYZE_ERROR;
}
