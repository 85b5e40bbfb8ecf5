/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock learn [RUN OPTIONS] [--output FILE] [--merge FILE] -- COMMAND [ARG...]: runs the
 * command as "airlock run --complain" would, with every system call traced, and writes a
 * profile of what it did (docs/learn.md). */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/strv.h"
#include "cmds.h"
#include "monitor/monitor.h"
#include "policy/learn.h"
#include "policy/policy.h"
#include "policy/profile-directives.h"
#include "policy/profile.h"
#include "sandbox/launcher.h"
#include "sandbox/report.h"

static void help(FILE *f)
{
        fprintf(f,
                "Usage: airlock learn [RUN OPTIONS] [--output FILE] [--merge FILE] -- COMMAND "
                "[ARG...]\n"
                "Run COMMAND in a permissive sandbox that traces every system call, file and\n"
                "connection (airlock run --complain), then write a profile that allows what it\n"
                "did: a seccomp allow-list, the narrowest binds of the --bind/--ro-bind folders\n"
                "given here that it used, its network. Enforce it with airlock run -p FILE.\n\n"
                "Options:\n"
                "  -o, --output FILE                write the profile to FILE (default: stdout)\n"
                "  --merge FILE                     add what an earlier learned profile allows\n"
                "  -h, --help                       show this help\n"
                "\nRun options (they shape the learning sandbox; see airlock run --help):\n");
        options_print_help(f, policy_options, policy_options_count);
        fprintf(f, "\nExit status: the program's own (as airlock run); 125 when airlock failed\n"
                   "or the profile could not be written.\n");
}

struct learn_args {
        const char *output, *merge, *profile;
        bool help;
        char **rest; /* argv without --output/--merge */
};

/* Takes learn's own options out of argv (before "--" or the command) and finds the profile
 * named by the last -p, as run does. */
static int split_options(int argc, char **argv, struct learn_args *a)
{
        int i;

        if (strv_extend(&a->rest, argv[0]) < 0)
                return -ENOMEM;
        for (i = 1; i < argc; i++) {
                const char *s = argv[i];
                const struct option_def *d;

                if (streq(s, "--") || s[0] != '-' || s[1] == 0)
                        break;
                if ((streq(s, "-o") || streq(s, "--output") || streq(s, "--merge"))) {
                        if (i + 1 >= argc) {
                                log_error("learn: %s needs a FILE", s);
                                return -EINVAL;
                        }
                        *(streq(s, "--merge") ? &a->merge : &a->output) = argv[++i];
                        continue;
                }
                if (startswith(s, "--output=") || startswith(s, "--merge=")) {
                        *(s[2] == 'm' ? &a->merge : &a->output) = strchr(s, '=') + 1;
                        continue;
                }
                if (streq(s, "-h") || streq(s, "--help"))
                        a->help = true;
                if (strv_extend(&a->rest, s) < 0)
                        return -ENOMEM;
                if ((streq(s, "-p") || streq(s, "--profile")) && i + 1 < argc)
                        a->profile = argv[i + 1];
                else if (startswith(s, "--profile="))
                        a->profile = s + strlen("--profile=");
                d = s[1] == '-' && !strchr(s, '=')
                            ? options_find(policy_options, policy_options_count, s + 2)
                            : NULL;
                if (streq(s, "-p"))
                        d = options_find(policy_options, policy_options_count, "profile");
                for (unsigned k = 0; d && k < d->n_args && i + 1 < argc; k++)
                        if (strv_extend(&a->rest, argv[++i]) < 0)
                                return -ENOMEM;
        }
        for (; i < argc; i++)
                if (strv_extend(&a->rest, argv[i]) < 0)
                        return -ENOMEM;
        return 0;
}

/* The merged profile: a file the user names, which may lie in a folder a sandbox writes (a
 * learned profile kept in a bound folder): opened with chase(), a regular file, 1 MiB at most. */
static int read_merge(const char *path, const struct policy *p, char **ret)
{
        _cleanup_strv_free_ char **untrusted = NULL;
        _cleanup_close_ int dirfd = -1, fd = -1;
        _cleanup_free_ char *text = NULL, *abs = NULL, *link = NULL;
        const char *name;
        struct stat st;
        ssize_t n;

        if (profile_untrusted_folders(p, &untrusted) < 0)
                return log_error_errno(-ENOMEM, "learn: %m");
        dirfd = chase_folder_of(path, untrusted, &abs, &name, &link);
        if (dirfd == -ELOOP && link)
                return log_error_errno(dirfd,
                                       "learn: cannot read %s: %s is a symbolic link in a folder "
                                       "that sandboxes can write",
                                       path, link);
        if (dirfd < 0)
                return log_error_errno(dirfd, "learn: cannot read %s: %m", path);
        fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return log_error_errno(-errno, "learn: cannot read %s: %m", path);
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 20))
                return log_error_errno(-EINVAL, "learn: %s is not a regular file of at most 1 MiB",
                                       path);
        text = malloc((size_t)st.st_size + 1);
        if (!text)
                return log_error_errno(-ENOMEM, "learn: %m");
        n = read(fd, text, (size_t)st.st_size);
        if (n < 0)
                return log_error_errno(-errno, "learn: cannot read %s: %m", path);
        text[n] = 0;
        if (strlen(text) != (size_t)n)
                return log_error_errno(-EINVAL, "learn: %s holds binary data", path);
        *ret = TAKE_PTR(text);
        return 0;
}

/* The learning run: everything the profile and options say, except that no system call is
 * allowed silently (each is handed to the tracer, answered as allowed and counted) but
 * write(), with which the launcher hands the tracer its listener. */
static int make_learning(struct policy *p)
{
        struct seccomp_rule w = {.name = (char *)"write", .action = SECCOMP_ACT_ALLOW_KIND};

        for (size_t i = 0; i < p->n_seccomp_rules; i++)
                free(p->seccomp_rules[i].name);
        p->n_seccomp_rules = 0;
        free(p->seccomp_json);
        p->seccomp_json = NULL;
        p->seccomp_disabled = false;
        p->seccomp_mode = SECCOMP_MODE_ALLOWLIST;
        p->complain = true;
        p->trace = true;
        p->landlock_disabled = true;
        return policy_add_seccomp_rule(p, &w);
}

int cmd_learn(int argc, char **argv)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(monitor_freep) struct monitor *m = NULL;
        _cleanup_free_ struct mount_entry *binds = NULL;
        _cleanup_free_ char *merge_text = NULL, *base = NULL;
        _cleanup_close_ int report_fd = -1, out_fd = -1;
        struct learn_args a = {0};
        struct launcher_hooks hooks = {0};
        struct launcher_result res;
        struct json_object *report = NULL;
        size_t n_base_mounts, n_binds = 0;
        FILE *out = NULL;
        int r, first, status;

        r = split_options(argc, argv, &a);
        if (r < 0) {
                strv_free(a.rest);
                return r == -ENOMEM ? (log_error_errno(r, "learn: %m"), EXIT_AIRLOCK_FAILED)
                                    : EXIT_AIRLOCK_FAILED;
        }
        if (a.help) {
                help(stdout);
                strv_free(a.rest);
                return 0;
        }
        r = policy_new(&p);
        if (r < 0 || profile_load_into(p, a.profile ?: "default") < 0) {
                strv_free(a.rest);
                return EXIT_AIRLOCK_FAILED;
        }
        n_base_mounts = p->n_mounts;
        first = options_parse(policy_options, policy_options_count, (int)strv_length(a.rest),
                              a.rest, p, "learn");
        if (first < 0 || first >= (int)strv_length(a.rest)) {
                if (first >= 0)
                        log_error("learn: no command given (airlock learn [OPTIONS] -- COMMAND "
                                  "[ARG...])");
                strv_free(a.rest);
                return EXIT_AIRLOCK_FAILED;
        }
        strv_free(p->argv);
        p->argv = NULL;
        for (int i = first; a.rest[i]; i++)
                if (strv_extend(&p->argv, a.rest[i]) < 0) {
                        strv_free(a.rest);
                        return log_error_errno(-ENOMEM, "learn: %m"), EXIT_AIRLOCK_FAILED;
                }
        strv_free(a.rest);
        if (policy_validate(p) < 0)
                return EXIT_AIRLOCK_FAILED;

        /* the binds given here: the learned binds are parts of them */
        binds = calloc(p->n_mounts + 1, sizeof(*binds));
        if (!binds)
                return log_error_errno(-ENOMEM, "learn: %m"), EXIT_AIRLOCK_FAILED;
        for (size_t i = n_base_mounts; i < p->n_mounts; i++)
                if (p->mounts[i].kind == MOUNT_BIND || p->mounts[i].kind == MOUNT_RO_BIND)
                        binds[n_binds++] = p->mounts[i];
        /* the learned profile includes the one the run started from, by an absolute path
         * when it was named by one */
        if (a.profile && strchr(a.profile, '/')) {
                if (path_absolute(a.profile, &base) < 0)
                        return log_error_errno(-ENOMEM, "learn: %m"), EXIT_AIRLOCK_FAILED;
        } else if (!(base = strdup(a.profile ?: "default")))
                return log_error_errno(-ENOMEM, "learn: %m"), EXIT_AIRLOCK_FAILED;

        if (a.merge && read_merge(a.merge, p, &merge_text) < 0)
                return EXIT_AIRLOCK_FAILED;
        /* the files are opened before the program runs, as run's report: a link planted in a
         * folder the sandbox writes cannot redirect them */
        if (a.output && !streq(a.output, "-")) {
                out_fd = report_open(a.output, p);
                if (out_fd < 0)
                        return EXIT_AIRLOCK_FAILED;
        }
        if (p->report_path) {
                report_fd = report_open(p->report_path, p);
                if (report_fd < 0)
                        return EXIT_AIRLOCK_FAILED;
        }
        if (p->net == NET_SINKHOLE)
                log_warning("learn: --net sinkhole answers every connection itself: the "
                            "learned profile says net none");

        r = make_learning(p);
        if (r >= 0)
                r = monitor_add_trace_rules(p);
        if (r >= 0)
                r = monitor_add_complain_rules(p);
        if (r < 0 || (r = monitor_new(p, &m)) < 0 || (r = monitor_use_policy(m, p)) < 0)
                return log_error_errno(r, "learn: cannot set up the trace: %m"),
                       EXIT_AIRLOCK_FAILED;
        monitor_launcher_hooks(m, &hooks);
        log_notice("learn: every system call is traced and allowed; Landlock is off");

        status = launcher_run(p, &hooks, &res);
        (void)monitor_finish(m);
        if (res.setup_failed) {
                launcher_result_release(&res);
                return status;
        }
        if (p->report_path && report_write_run_extended(report_fd, p->report_path, p, &res,
                                                        monitor_report_extend, m) < 0)
                status = EXIT_AIRLOCK_FAILED;
        launcher_result_release(&res);

        report = json_object_new_object();
        if (!report || monitor_report(m, report) < 0) {
                json_object_put(report);
                return log_error_errno(-ENOMEM, "learn: %m"), EXIT_AIRLOCK_FAILED;
        }
        if (out_fd >= 0) {
                if (ftruncate(out_fd, 0) < 0 && errno != EINVAL)
                        r = log_error_errno(-errno, "learn: cannot write %s: %m", a.output);
                else
                        out = fdopen(TAKE_FD(out_fd), "w");
                if (!out && r >= 0)
                        r = log_error_errno(-errno, "learn: cannot write %s: %m", a.output);
        } else
                out = stdout;
        if (r >= 0) {
                struct learn_input in = {.base = base,
                                         .net = p->net,
                                         .binds = binds,
                                         .n_binds = n_binds,
                                         .argv = p->argv};
                struct learn_merge mg = {.name = a.merge, .text = merge_text};

                r = learn_profile_write(&in, report, a.merge ? &mg : NULL, out);
        }
        json_object_put(report);
        if (out && out != stdout && fclose(out) != 0 && r >= 0)
                r = log_error_errno(-errno, "learn: cannot write %s: %m", a.output);
        if (r < 0)
                return EXIT_AIRLOCK_FAILED;
        if (a.output && !streq(a.output, "-"))
                log_notice("learn: wrote %s (the program exited with status %d)", a.output, status);
        return status;
}
