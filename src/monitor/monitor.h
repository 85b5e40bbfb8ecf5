/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "basic/macro.h"
#include "policy/policy.h"

struct json_object;

/* The behaviour monitor (airlock run --trace). It sits outside the sandbox, receives seccomp
 * user notifications for the trace set, decodes the arguments from the target's memory,
 * records an event and answers: continue when the policy allows the call, the policy's errno
 * when it denies it. It never grants on the strength of target memory (seccomp_unotify(2)):
 * the kernel layers enforce, the monitor observes and may only deny more.
 *
 * Life cycle, driven by the launcher's supervisor loop:
 *   monitor_add_trace_rules(policy)   before the seccomp program is built
 *   monitor_new(policy)               in the parent
 *   monitor_attach(m, notify_fd, pid) when the child has sent the listener fd (it is then
 *                                     blocked in its first execve, which is traced): plants the
 *                                     canaries, snapshots the writable areas, starts the sinkhole
 *   monitor_handle(m)                 whenever monitor_fd(m) is readable
 *   monitor_finish(m)                 when the child has exited: file changes, findings
 *   monitor_report(m, json)           adds events[], process_tree, file_changes[], network[],
 *                                     findings[] to the run report */

struct monitor;

/* What the non-traced policy would answer for a call: 0 to allow, an errno to deny. */
typedef int (*monitor_deny_fn)(void *userdata, int nr, const uint64_t args[6]);

/* Appends a NOTIFY rule for every syscall of the trace set that libseccomp knows.
 * Returns 0 or -ENOMEM. */
int monitor_add_trace_rules(struct policy *p);
/* --complain: adds a NOTIFY rule for every syscall the policy does not allow whatever its
 * arguments, so that the monitor sees each call the filter would refuse, answers it as
 * allowed and counts it (the report's trace.would_deny). Returns 0 or a negative errno. */
int monitor_add_complain_rules(struct policy *p);
/* The names of the trace set, NULL-terminated (static). */
const char *const *monitor_trace_syscalls(void);

/* Reads what it needs of the policy (home, writable mounts, net mode). Returns 0 or -ENOMEM. */
int monitor_new(const struct policy *p, struct monitor **ret);
void monitor_free(struct monitor *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct monitor *, monitor_free)

void monitor_set_deny(struct monitor *m, monitor_deny_fn fn, void *userdata);
/* Writable areas are found through /proc/PID/root; turn that off for a child that shares our
 * mount namespace (the standalone runner), and give host folders to watch instead. */
int monitor_watch_host_dir(struct monitor *m, const char *label, const char *path);
void monitor_set_use_proc_root(struct monitor *m, bool b);
/* Home folder (as the program sees it) where canaries go; NULL disables canaries. */
int monitor_set_canary_home(struct monitor *m, const char *home_inside, const char *home_host);

/* Takes ownership of notify_fd. Returns 0 or a negative errno (logs at debug level). */
int monitor_attach(struct monitor *m, int notify_fd, pid_t child);
/* The fd to poll for POLLIN (the notification listener), or -1. */
int monitor_fd(const struct monitor *m);
/* Handles one pending notification. Returns 1 when one was handled, 0 when none was pending or
 * the target went away, -EPIPE when every traced task is gone, other negative errno on error. */
int monitor_handle(struct monitor *m);
/* After the child exited: drains, diffs the writable areas, runs the rules. Returns 0 or -errno. */
int monitor_finish(struct monitor *m);
/* Adds the monitor's sections to a run report object. Returns 0 or -ENOMEM. */
int monitor_report(const struct monitor *m, struct json_object *report);

/* Counts for tests and the summary line. */
size_t monitor_n_events(const struct monitor *m);
size_t monitor_n_findings(const struct monitor *m);
/* True when a finding carries this ATT&CK id (such as "T1620"); severity at least min
 * ("info" < "low" < "medium" < "high"), NULL for any. */
bool monitor_has_finding(const struct monitor *m, const char *attack_id, const char *min_severity);
/* The highest severity found ("none" when there is no finding). */
const char *monitor_max_severity(const struct monitor *m);

struct launcher_hooks;
/* Fills the launcher's hooks so that its supervisor loop drives m. */
void monitor_launcher_hooks(struct monitor *m, struct launcher_hooks *ret);
/* Answers notifications as the policy's own filter would (seccomp_program_denied_errno on a
 * program built from p). Returns 0 or a negative errno. */
int monitor_use_policy(struct monitor *m, const struct policy *p);
/* For report_write_run_extended(): userdata is the monitor. */
int monitor_report_extend(void *userdata, struct json_object *report);
/* One line of counts, and one line per finding of medium severity or more. */
void monitor_print_summary(const struct monitor *m, FILE *f);

/* Standalone runner for tests and benchmarks: forks, installs a filter with NOTIFY for the
 * trace set (SECCOMP_FILTER_FLAG_NEW_LISTENER), passes the listener over SCM_RIGHTS, execs argv
 * and supervises until every traced task is gone. *ret_status gets the wait status.
 * Returns 0 or a negative errno. */
int monitor_run_standalone(struct monitor *m, char *const argv[], int *ret_status);
