/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock run [OPTIONS] -- COMMAND [ARG...]: the profile first, then the flags (which win),
 * then the launcher, then the report. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>

#include "basic/log.h"
#include "basic/strv.h"
#include "cmds.h"
#include "monitor/monitor.h"
#include "sandbox/launcher.h"
#include "policy/policy.h"
#include "policy/profile.h"
#include "sandbox/report.h"
#include "sandbox/startup-trace.h"
#include "warm.h"

static void help(FILE *f)
{
        fprintf(f, "Usage: airlock run [OPTIONS] -- COMMAND [ARG...]\n"
                   "Run COMMAND in a sandbox: own user, mount, pid, ipc, uts, net and cgroup\n"
                   "namespaces, a minimal read-only file system, no capabilities, no_new_privs,\n"
                   "Landlock and seccomp.\n\nOptions:\n");
        options_print_help(f, policy_options, policy_options_count);
        fprintf(f, "      --cold                       never take a warm sandbox (airlock warm)\n"
                   "  -h, --help                       show this help\n"
                   "\nExit status: the program's own; 128+N when killed by signal N; 124 on\n"
                   "timeout; 125 when airlock failed; 126 not executable; 127 not found.\n");
}

/* Walks airlock's own options the way options_parse() will, without applying them: the
 * profile named by the last -p/--profile (loaded before the flags are applied) and whether
 * -h/--help was asked for. Stops at "--" or at the command: what follows the command's name
 * is the command's, so "airlock run ls -h" runs ls. */
static void scan_options(int argc, char **argv, const char **ret_profile, bool *ret_help)
{
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];

                if (streq(a, "--") || a[0] != '-' || a[1] == 0)
                        return;
                if (streq(a, "-h") || streq(a, "--help"))
                        *ret_help = true;
                else if ((streq(a, "-p") || streq(a, "--profile")) && i + 1 < argc)
                        *ret_profile = argv[++i];
                else if (startswith(a, "--profile="))
                        *ret_profile = a + strlen("--profile=");
                else if (startswith(a, "-p") && a[2] != 0 && a[1] != '-')
                        *ret_profile = a + 2;
                else {
                        /* skip the values of options that take them */
                        const struct option_def *d =
                                a[1] == '-' && !strchr(a, '=')
                                        ? options_find(policy_options, policy_options_count, a + 2)
                                        : NULL;

                        if (d)
                                i += (int)d->n_args;
                }
        }
}

/* Takes --cold out of airlock's own options (before "--" or the command): it is no policy
 * option, only how the same policy is started. Returns whether it was there. */
static bool take_cold(int *argc, char **argv)
{
        bool cold = false;

        for (int i = 1; i < *argc; i++) {
                const char *a = argv[i];

                if (streq(a, "--") || a[0] != '-' || a[1] == 0)
                        break;
                if (streq(a, "--cold")) {
                        memmove(argv + i, argv + i + 1, (size_t)(*argc - i - 1) * sizeof(char *));
                        (*argc)--;
                        argv[*argc] = NULL;
                        cold = true;
                        i--;
                        continue;
                }
                {
                        const struct option_def *d =
                                a[1] == '-' && !strchr(a, '=')
                                        ? options_find(policy_options, policy_options_count, a + 2)
                                        : NULL;

                        if (d)
                                i += (int)d->n_args;
                        else if ((streq(a, "-p")) && i + 1 < *argc)
                                i++;
                }
        }
        return cold;
}

/* One line on stderr when one of airlock's limits ended the program, or refused it something
 * it then may have failed on: the status alone (124, 137, 159) does not say which, and the
 * report is not always asked for. */
void run_explain_end(const struct launcher_result *res)
{
        const struct resources *r = &res->resources;
        int st = res->wait_status;

        if (res->setup_failed)
                return;
        if (res->timed_out)
                log_error("the program was stopped: its --timeout of %.3g s ran out",
                          (double)r->timeout_usec / 1e6);
        else if (r->end == RESOURCES_END_LIMIT && streq_ptr(r->end_limit, "memory"))
                log_error("the program was killed: it reached the memory limit "
                          "(%" PRIu64 " MiB, --memory)",
                          r->memory_max >> 20);
        else if (r->end == RESOURCES_END_LIMIT)
                log_error("the program was killed: it reached the %s limit",
                          r->end_limit ?: "resource");
        else if (st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)
                log_error("the program was killed by SIGSYS: it made a system call "
                          "that the seccomp filter does not allow (see --trace or "
                          "airlock profile syscalls)");
        if (r->have_stats && r->stats.pids_max_events > 0)
                log_error("the task limit (%" PRIu64 ", --pids) refused %" PRIu64 " fork%s",
                          r->pids_max, r->stats.pids_max_events,
                          r->stats.pids_max_events == 1 ? "" : "s");
}

/* A profile that binds the downloads folder (curl, wget) would fail on a fresh account that
 * has none yet. ~/Downloads is made, as a browser makes it on the first download; made in
 * HOME only (a folder no sandbox writes), by name through an fd of HOME, following nothing.
 * Elsewhere (XDG_DOWNLOAD_DIR) the error says what is missing. Returns 0 or a negative errno
 * after logging. */
static int ensure_downloads(const struct policy *p)
{
        _cleanup_free_ char *downloads = NULL, *home = NULL, *expected = NULL;
        _cleanup_close_ int home_fd = -1;
        bool wanted = false;
        struct stat st;

        if (profile_variable("DOWNLOADS", NULL, &downloads) < 0)
                return 0;
        for (size_t i = 0; i < p->n_mounts; i++)
                if ((p->mounts[i].kind == MOUNT_BIND || p->mounts[i].kind == MOUNT_RO_BIND) &&
                    !p->mounts[i].optional && streq(p->mounts[i].src, downloads))
                        wanted = true;
        if (!wanted || lstat(downloads, &st) == 0 || errno != ENOENT)
                return 0;
        if (profile_variable("HOME", NULL, &home) < 0 ||
            asprintf(&expected, "%s/Downloads", home) < 0 || !streq(expected, downloads))
                return log_error_errno(-ENOENT,
                                       "run: the profile binds your downloads folder %s, which "
                                       "does not exist: create it (mkdir -p %s)",
                                       downloads, downloads);
        home_fd = open(home, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (home_fd < 0 || mkdirat(home_fd, "Downloads", 0755) < 0)
                return log_error_errno(-errno,
                                       "run: the profile binds your downloads folder %s, which "
                                       "does not exist and cannot be made: %m",
                                       downloads);
        log_notice("run: made the downloads folder %s, which the profile binds", downloads);
        return 0;
}

static uid_t overlay_uid;
static gid_t overlay_gid;
static size_t overlay_unmapped, overlay_seen;
static gid_t overlay_first_gid;

static int count_unmapped(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        /* another user's file the program cannot change anyway; one's own can, if mapped */
        if (st->st_uid == overlay_uid && st->st_gid != overlay_gid) {
                if (overlay_unmapped++ == 0)
                        overlay_first_gid = st->st_gid;
        }
        return ++overlay_seen >= 100000; /* enough to say so; stop walking a huge tree */
}

/* Run by a user, the sandbox maps only the user's own uid and gid: a file of the user's with
 * another group cannot be copied up into an overlay, and the program's write fails with
 * "Value too large for defined data type" (EOVERFLOW), which says nothing of why. Say it
 * before the program starts. Only stats, never follows a link (FTW_PHYS). */
static void check_overlay_groups(const struct policy *p)
{
        if (geteuid() == 0)
                return;
        for (size_t i = 0; i < p->n_mounts; i++) {
                const struct mount_entry *m = &p->mounts[i];

                if (m->kind != MOUNT_OVERLAY)
                        continue;
                overlay_uid = geteuid();
                overlay_gid = getegid();
                overlay_unmapped = overlay_seen = 0;
                (void)nftw(m->src, count_unmapped, 16, FTW_PHYS | FTW_MOUNT);
                if (overlay_unmapped > 0)
                        log_warning("run: --overlay %s: %zu of your file%s belong to a group (such "
                                    "as gid "
                                    "%u) that is not mapped in the sandbox, where only your uid "
                                    "and gid %u exist: changing %s fails with \"Value too large "
                                    "for defined data type\" (EOVERFLOW); chgrp %u them first, "
                                    "or overlay a copy",
                                    m->src, overlay_unmapped, overlay_unmapped == 1 ? "" : "s",
                                    (unsigned)overlay_first_gid, (unsigned)overlay_gid,
                                    overlay_unmapped == 1 ? "it" : "them", (unsigned)overlay_gid);
        }
}

int cmd_run(int argc, char **argv)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(monitor_freep) struct monitor *m = NULL;
        struct launcher_hooks hooks = {0};
        struct launcher_result res;
        _cleanup_close_ int report_fd = -1;
        const char *profile = NULL;
        bool want_help = false, cold;
        int r, first;

        cold = take_cold(&argc, argv);
        if (getenv("AIRLOCK_DEBUG_WARM"))
                log_set_max_level(LOG_DEBUG);
        scan_options(argc, argv, &profile, &want_help);
        if (want_help) {
                help(stdout);
                return 0;
        }
        r = policy_new(&p);
        if (r < 0)
                return log_error_errno(r, "run: %m"), EXIT_AIRLOCK_FAILED;
        if (profile_load_into(p, profile ?: "default") < 0)
                return EXIT_AIRLOCK_FAILED;
        first = options_parse(policy_options, policy_options_count, argc, argv, p, "run");
        if (first < 0)
                return EXIT_AIRLOCK_FAILED;
        if (first >= argc) {
                log_error("run: no command given (airlock run [OPTIONS] -- COMMAND [ARG...])");
                return EXIT_AIRLOCK_FAILED;
        }
        strv_free(p->argv);
        p->argv = NULL;
        for (int i = first; i < argc; i++)
                if (strv_extend(&p->argv, argv[i]) < 0)
                        return log_error_errno(-ENOMEM, "run: %m"), EXIT_AIRLOCK_FAILED;
        if (policy_validate(p) < 0 || ensure_downloads(p) < 0)
                return EXIT_AIRLOCK_FAILED;
        check_overlay_groups(p);
        /* A report that cannot be written is found out before the program runs, not after,
         * when the only way left to say so would be to replace the program's status. */
        if (p->report_path) {
                report_fd = report_open(p->report_path, p);
                if (report_fd < 0)
                        return EXIT_AIRLOCK_FAILED;
        }

        /* the sinkhole's listeners belong to the monitor */
        if (p->net == NET_SINKHOLE)
                p->trace = true;
        if (p->complain) {
                /* Landlock has no log: in complain mode it is off, and the trace records the
                 * file accesses instead */
                log_notice("run: --complain: nothing is refused; Landlock is off (it cannot "
                           "log), the seccomp filter's refusals go to the report");
                p->trace = true;
                p->landlock_disabled = true;
        }
        if (p->trace) {
                r = monitor_add_trace_rules(p);
                if (r >= 0 && p->complain)
                        r = monitor_add_complain_rules(p);
                if (r < 0 || (r = monitor_new(p, &m)) < 0 || (r = monitor_use_policy(m, p)) < 0)
                        return log_error_errno(r, "run: cannot set up --trace: %m"),
                               EXIT_AIRLOCK_FAILED;
                monitor_launcher_hooks(m, &hooks);
        }
        if (!cold && !m && warm_try_run(p, report_fd, &r) >= 0)
                return r;
        r = launcher_run(p, m ? &hooks : NULL, &res);
        run_explain_end(&res);
        if (m)
                monitor_print_summary(m, stderr);
        if (p->report_path &&
            report_write_run_extended(report_fd, p->report_path, p, &res,
                                      m ? monitor_report_extend : NULL, m) < 0 &&
            r < 124)
                r = EXIT_AIRLOCK_FAILED;
        launcher_result_release(&res);
        /* the end of what the caller waits for, but for this process's own exit */
        startup_trace("released: cgroup removed");
        return r;
}
