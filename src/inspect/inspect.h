/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* airlock inspect: rates how well a running process is isolated, from what /proc shows about
 * it, compared with the namespaces and root of the process doing the inspection (run it
 * from the host). Each check gives a status and the exposure it adds; the sum, scaled to
 * 0.0 (contained) .. 10.0 (not isolated at all), is the process's exposure, in the manner of
 * systemd-analyze security. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum inspect_status {
        INSPECT_OK,      /* the layer holds */
        INSPECT_WEAK,    /* present but with a gap (detail says which) */
        INSPECT_MISSING, /* not there */
        INSPECT_UNKNOWN, /* /proc does not show it (or refused to): not counted either way */
};

struct inspect_check {
        const char *name;  /* "user-namespace", "seccomp", ... */
        const char *layer; /* what it protects, one short phrase */
        enum inspect_status status;
        double weight;   /* exposure when missing */
        double exposure; /* what it adds: 0, part of weight (weak), or weight */
        char detail[256];
};

#define INSPECT_MAX_CHECKS 24

struct inspect_result {
        pid_t pid;
        char command[256]; /* the command line, spaces between arguments */
        uid_t uid;         /* effective uid as the inspector sees it */
        struct inspect_check checks[INSPECT_MAX_CHECKS];
        const char *visible_host[8]; /* host paths it reaches (static strings) */
        size_t n_visible_host;
        size_t n_checks;
        double exposure; /* 0.0 .. 10.0 */
};

/* What /proc/PID/status says that matters here. */
struct proc_status {
        uid_t uid_real, uid_effective;
        uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
        int no_new_privs; /* -1: not shown */
        int seccomp_mode; /* 0 off, 1 strict, 2 filter, -1 not shown */
        int seccomp_filters;
        bool have_caps;
};

/* Parses the text of /proc/PID/status. Returns 0, or -EINVAL when it is not one. */
int proc_status_parse(const char *text, struct proc_status *ret);

/* Inspects pid against the calling process's own view. Returns 0, -ESRCH when there is no
 * such process, -EACCES when its namespaces cannot be read (another user's process), or
 * another negative errno. */
int inspect_process(pid_t pid, struct inspect_result *ret);

/* "contained" (<= 2.0), "partial" (<= 5.0), "exposed" (<= 8.0) or "unsafe". */
const char *inspect_rating(double exposure);
const char *inspect_status_to_string(enum inspect_status s);

/* The programs of the sandboxes this airlock binary started that are running now: for each
 * "airlock run" supervisor whose executable is the caller's own, the first process below its
 * pid 1. Returns how many pids were stored (at most max), or a negative errno. */
int inspect_find_sandboxes(pid_t *pids, size_t max);
