/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock open: judge a downloaded file, then show it inside a sandbox made for its type. */
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "analysis/analysis.h"
#include "basic/log.h"
#include "basic/options.h"
#include "basic/strv.h"
#include "cmds.h"
#include "basic/paths.h"
#include "config.h"
#include "endpoint/endpoint.h"
#include "endpoint/open.h"

#define EXIT_OPEN_REFUSED 1
#define EXIT_OPEN_ERROR   2
#define OPEN_DIR          "/work"

struct open_args {
        struct analysis_options opts;
        char **rules_dirs;
        char **command; /* --with or after "--" */
        const char *profile;
        char *profile_path;
        const char *file;
        bool allow_malicious, dry_run, help;
};

static int on_arg(void *ctx, const struct option_def *def, char *const *args, const char **reason)
{
        struct open_args *a = ctx;
        const char *n = def->name;

        if (streq(n, "with")) {
                /* A program and its arguments split at spaces; "{}" stands for the file. */
                _cleanup_free_ char *copy = strdup(args[0]);
                char *save = NULL;

                if (!copy)
                        return -ENOMEM;
                strv_free(a->command);
                a->command = NULL;
                for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
                        if (strv_extend(&a->command, t) < 0)
                                return -ENOMEM;
                if (!a->command) {
                        *reason = "expected a program";
                        return -EINVAL;
                }
        } else if (streq(n, "profile")) {
                /* A profile named by a relative path: airlock run starts in another folder. */
                free(a->profile_path);
                a->profile_path = strchr(args[0], '/') ? realpath(args[0], NULL) : NULL;
                if (strchr(args[0], '/') && !a->profile_path) {
                        *reason = "no such profile file";
                        return negative_errno();
                }
                a->profile = a->profile_path ?: args[0];
        } else if (streq(n, "rules"))
                return strv_extend(&a->rules_dirs, args[0]);
        else if (streq(n, "no-builtin-rules"))
                a->opts.no_builtin_rules = true;
        else if (streq(n, "allow-malicious"))
                a->allow_malicious = true;
        else if (streq(n, "dry-run"))
                a->dry_run = true;
        else if (streq(n, "help"))
                a->help = true;
        return 0;
}

static const struct option_def open_options[] = {
        {"with", 'w', 1, "COMMAND", "open with this program instead (\"{}\" is the file)", on_arg},
        {"profile", 'p', 1, "NAME", "use this profile instead of the one for the file's type",
         on_arg},
        {"allow-malicious", 0, 0, NULL, "open it even when judged malicious (still sandboxed)",
         on_arg},
        {"dry-run", 'n', 0, NULL, "say what would be done, run nothing", on_arg},
        {"rules", 0, 1, "DIR", "add the YARA rules (*.yar) and hash lists (*.hsb) of DIR", on_arg},
        {"no-builtin-rules", 0, 0, NULL, "do not load the shipped rule pack", on_arg},
        {"help", 'h', 0, NULL, "show this help", on_arg},
};

static void print_help(void)
{
        printf("usage: airlock open [OPTIONS] FILE [-- COMMAND [ARG...]]\n"
               "Judges FILE, refuses it when malicious, otherwise opens it with the program and\n"
               "profile for its true type inside airlock run: the file read-only at " OPEN_DIR
               "/NAME,\nno network. \"{}\" in COMMAND stands for the file (appended when "
               "absent).\nExit status: the program's; 1 refused; 2 error.\n\n");
        options_print_help(stdout, open_options, ELEMENTSOF(open_options));
}

static int parse_args(struct open_args *a, int argc, char **argv)
{
        int i = 1, k;

        while (i < argc) {
                k = options_parse(open_options, ELEMENTSOF(open_options), argc - i + 1,
                                  argv + i - 1, a, "open");
                if (k < 0)
                        return k;
                bool dashdash = k >= 2 && streq(argv[i - 1 + k - 1], "--");
                i += k - 1;
                if (dashdash && a->file) {
                        strv_free(a->command);
                        a->command = NULL;
                        for (; i < argc; i++)
                                if (strv_extend(&a->command, argv[i]) < 0)
                                        return -ENOMEM;
                        break;
                }
                if (i >= argc)
                        break;
                if (a->file) {
                        log_error("open: one file at a time ('%s' and '%s')", a->file, argv[i]);
                        return -EINVAL;
                }
                a->file = argv[i++];
        }
        if (!a->file && !a->help) {
                log_error("open: no file given (see airlock open --help)");
                return -EINVAL;
        }
        return 0;
}

/* The name inside the sandbox: the file's own, with anything but a few safe characters
 * replaced, so that no program sees a name that starts with "-" or holds a newline. */
static char *sandbox_name(const char *path)
{
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        char *s = strdup(*base ? base : "file");

        for (char *p = s; p && *p; p++)
                if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-",
                            *p))
                        *p = '_';
        if (s && (s[0] == '-' || s[0] == '.'))
                s[0] = '_';
        return s;
}

static void print_findings(const struct analysis_result *r, unsigned *left)
{
        for (size_t i = 0; i<r->n_findings && * left> 0; i++) {
                const struct analysis_finding *f = &r->findings[i];

                if (f->severity < ANALYSIS_SEVERITY_MEDIUM)
                        continue;
                fprintf(stderr, "  %s (%s", f->rule, analysis_severity_to_string(f->severity));
                for (char **at = f->attack; *at; at++)
                        fprintf(stderr, "%s%s", at == f->attack ? "; " : ",", *at);
                fprintf(stderr, "): %s\n", f->description);
                (*left)--;
        }
        for (size_t i = 0; i<r->n_children && * left> 0; i++)
                print_findings(r->children[i], left);
}

static void print_verdict(const char *file, const struct analysis_result *r)
{
        fprintf(stderr, "airlock open: ");
        endpoint_print_escaped(stderr, file);
        fprintf(stderr, ": %s (score %u), %s [%s]\n", analysis_verdict_to_string(r->verdict),
                r->score, r->type ? r->type : "?", r->mime ? r->mime : "?");
}

/* The airlock binary: beside airlock-tools (build tree), else installed, else in $PATH. */
static char *find_airlock(void)
{
        char *path = NULL;

        if (sibling_program("airlock", AIRLOCK_BINDIR_FROM_LIBEXECDIR, AIRLOCK_BINDIR, &path) < 0)
                return strdup("airlock");
        return path;
}

/* arg with every "{}" replaced by path ("file://{}" works too). Returns NULL on ENOMEM. */
static char *replace_placeholder(const char *arg, const char *path)
{
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        if (!f)
                return NULL;
        for (const char *p = arg; *p;) {
                const char *hit = strstr(p, "{}");

                if (!hit) {
                        fputs(p, f);
                        break;
                }
                fwrite(p, 1, (size_t)(hit - p), f);
                fputs(path, f);
                p = hit + 2;
        }
        if (fclose(f) != 0) {
                free(out);
                return NULL;
        }
        return out;
}

/* Where the shipped browser profiles bind ${DOWNLOADS}. */
#define PROFILE_DOWNLOADS_INSIDE "/home/sandbox/Downloads"

static bool is_browser_profile(const char *profile)
{
        const char *base = strrchr(profile, '/') ? strrchr(profile, '/') + 1 : profile;

        return startswith(base, "chromium") || startswith(base, "firefox");
}

struct launch {
        char *dir;         /* the empty folder that becomes ${CWD} */
        char *placeholder; /* the mount point of the file inside it */
        char **argv;
};

static void launch_done(struct launch *l)
{
        if (l->placeholder)
                (void)unlink(l->placeholder);
        if (l->dir)
                (void)rmdir(l->dir);
        free(l->placeholder);
        free(l->dir);
        strv_free(l->argv);
}

/* airlock run -p PROFILE --net none --ro-bind FILE /work/NAME --chdir /work -- PROGRAM...,
 * started from an empty folder: profiles that bind ${CWD} (pdf, office, archive) get that
 * folder, never the one the file came from. */
static int build_launch(const char *file, const char *profile, char *const *command,
                        struct launch *l)
{
        const char *runtime = getenv("XDG_RUNTIME_DIR");
        _cleanup_free_ char *name = sandbox_name(file), *inside = NULL, *real = NULL;
        char tmpl[PATH_MAX];
        bool has_placeholder = false;
        int fd;

        real = realpath(file, NULL);
        if (!name || !real || asprintf(&inside, OPEN_DIR "/%s", name) < 0)
                return real ? -ENOMEM : negative_errno();
        snprintf(tmpl, sizeof(tmpl), "%s/airlock-open.XXXXXX",
                 runtime && runtime[0] == '/' && access(runtime, W_OK) == 0 ? runtime : "/tmp");
        if (!mkdtemp(tmpl))
                return negative_errno();
        l->dir = strdup(tmpl);
        if (!l->dir || asprintf(&l->placeholder, "%s/%s", tmpl, name) < 0)
                return -ENOMEM;
        /* Started as root, the program runs as an unprivileged uid: it must reach the folder. */
        (void)chmod(l->dir, 0755);
        fd = open(l->placeholder, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
        if (fd < 0)
                return negative_errno();
        close(fd);
        char *const head[] = {"run",       "-p", (char *)profile, "--net",   "none",
                              "--ro-bind", real, inside,          "--chdir", OPEN_DIR};
        l->argv = NULL;
        if (strv_push(&l->argv, find_airlock()) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(head); i++)
                if (strv_extend(&l->argv, head[i]) < 0)
                        return -ENOMEM;
        /* The browser profiles bind the Downloads folder (or its gate): a page opened here must
         * not save anything there, so an empty tmpfs hides it. */
        if (is_browser_profile(profile) && (strv_extend(&l->argv, "--tmpfs") < 0 ||
                                            strv_extend(&l->argv, PROFILE_DOWNLOADS_INSIDE) < 0))
                return -ENOMEM;
        if (strv_extend(&l->argv, "--") < 0)
                return -ENOMEM;
        for (char *const *c = command; *c; c++) {
                char *arg = replace_placeholder(*c, inside);

                if (!arg || strv_push(&l->argv, arg) < 0) {
                        free(arg);
                        return -ENOMEM;
                }
                has_placeholder = has_placeholder || strstr(*c, "{}");
        }
        if (!has_placeholder && strv_extend(&l->argv, inside) < 0)
                return -ENOMEM;
        return 0;
}

static int run_launch(const struct launch *l)
{
        int status;
        pid_t pid = fork();

        if (pid < 0)
                return log_error_errno(negative_errno(), "open: fork: %m");
        if (pid == 0) {
                if (chdir(l->dir) < 0)
                        _exit(EXIT_AIRLOCK_FAILED);
                execvp(l->argv[0], l->argv);
                log_error_errno(negative_errno(), "open: cannot run %s: %m", l->argv[0]);
                _exit(127);
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return log_error_errno(negative_errno(), "open: waitpid: %m");
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void print_command(char *const *argv)
{
        fprintf(stderr, "airlock open: running:");
        for (char *const *a = argv; *a; a++) {
                fputc(' ', stderr);
                endpoint_print_escaped(stderr, *a);
        }
        fputc('\n', stderr);
}

static int scan_file(struct open_args *a, struct analysis_result **ret, struct stat *ret_st)
{
        _cleanup_(analysis_ctx_freep) struct analysis_ctx *ctx = NULL;
        _cleanup_free_ char *error = NULL;
        _cleanup_close_ int fd = open(a->file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        const char *base = strrchr(a->file, '/') ? strrchr(a->file, '/') + 1 : a->file;
        int k;

        if (fd < 0 || fstat(fd, ret_st) < 0)
                return log_error_errno(negative_errno(), "open: %s: %m", a->file);
        if (!S_ISREG(ret_st->st_mode))
                return log_error_errno(-EINVAL, "open: %s is not a regular file", a->file);
        a->opts.rules_dirs = a->rules_dirs;
        a->opts.threads = 1;
        k = analysis_ctx_new(&a->opts, &ctx, &error);
        if (k < 0)
                return log_error_errno(k, "open: %s", error ? error : "cannot load rules: %m");
        k = analysis_scan_fd(ctx, fd, base, ret);
        if (k < 0)
                return log_error_errno(k, "open: cannot judge %s: %m", a->file);
        return 0;
}

/* Whether the path still names the file that was judged, unchanged. A program can write a
 * file and set its modification time back (utimensat), but not its change time. */
static bool still_same(const char *file, const struct stat *judged)
{
        struct stat now;

        return stat(file, &now) == 0 && now.st_dev == judged->st_dev &&
               now.st_ino == judged->st_ino && now.st_size == judged->st_size &&
               now.st_mtim.tv_sec == judged->st_mtim.tv_sec &&
               now.st_mtim.tv_nsec == judged->st_mtim.tv_nsec &&
               now.st_ctim.tv_sec == judged->st_ctim.tv_sec &&
               now.st_ctim.tv_nsec == judged->st_ctim.tv_nsec;
}

static int decide(struct open_args *a, const struct analysis_result *r, const char **ret_profile,
                  char ***ret_command)
{
        struct open_handler h;
        int k = open_choose_handler(r->mime, isatty(STDOUT_FILENO), &h);

        *ret_profile = a->profile ?: h.profile;
        if (a->command) {
                fprintf(stderr, "airlock open: a %s; profile %s%s, your command\n", h.kind,
                        *ret_profile, a->profile ? " (yours)" : "");
                for (char **c = a->command; *c; c++)
                        if (strv_extend(ret_command, *c) < 0)
                                return -ENOMEM;
                return 0;
        }
        if (k == -EPERM)
                return log_error_errno(k,
                                       "open: %s is a %s: airlock open does not run "
                                       "programs (use airlock run, or --with to view it)",
                                       a->file, h.kind);
        if (k < 0)
                return log_error_errno(k,
                                       "open: no program to show a %s is installed (use "
                                       "--with COMMAND)",
                                       h.kind);
        fprintf(stderr, "airlock open: a %s; profile %s%s, program %s\n", h.kind, *ret_profile,
                a->profile ? " (yours)" : "", h.argv[0]);
        for (const char *const *p = h.argv; *p; p++)
                if (strv_extend(ret_command, *p) < 0)
                        return -ENOMEM;
        return 0;
}

int cmd_open(int argc, char **argv)
{
        struct open_args a = {0};
        _cleanup_(analysis_result_freep) struct analysis_result *r = NULL;
        _cleanup_strv_free_ char **command = NULL;
        struct launch l = {0};
        const char *profile;
        struct stat st;
        int k, status = EXIT_OPEN_ERROR;

        analysis_options_init(&a.opts);
        if (parse_args(&a, argc, argv) < 0)
                goto out;
        if (a.help) {
                print_help();
                status = 0;
                goto out;
        }
        if (scan_file(&a, &r, &st) < 0)
                goto out;
        print_verdict(a.file, r);
        if (r->verdict == ANALYSIS_MALICIOUS) {
                unsigned left = 3;
                print_findings(r, &left);
                if (!a.allow_malicious) {
                        fprintf(stderr, "airlock open: refused: it is malicious "
                                        "(--allow-malicious opens it anyway, sandboxed)\n");
                        status = EXIT_OPEN_REFUSED;
                        goto out;
                }
        } else if (r->verdict != ANALYSIS_CLEAN) {
                unsigned left = 3;
                print_findings(r, &left);
                fprintf(stderr, "airlock open: opening it sandboxed anyway: not known bad\n");
        }
        if (decide(&a, r, &profile, &command) < 0)
                goto out;
        k = build_launch(a.file, profile, command, &l);
        if (k < 0) {
                log_error_errno(k, "open: cannot prepare the sandbox for %s: %m", a.file);
                goto out;
        }
        fprintf(stderr, "airlock open: the file is read-only at %s/%s, no network%s\n", OPEN_DIR,
                strrchr(l.placeholder, '/') + 1,
                is_browser_profile(profile) ? ", downloads discarded" : "");
        print_command(l.argv);
        if (a.dry_run) {
                status = 0;
                goto out;
        }
        if (!still_same(a.file, &st)) {
                log_error("open: %s changed after it was judged: not opened", a.file);
                goto out;
        }
        if (geteuid() == 0 && !(st.st_mode & S_IROTH))
                log_warning("open: %s is not readable by others: the sandboxed program (an "
                            "unprivileged uid) may not read it",
                            a.file);
        status = run_launch(&l);
out:
        launch_done(&l);
        strv_free(a.rules_dirs);
        strv_free(a.command);
        free(a.profile_path);
        return status;
}
