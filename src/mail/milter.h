/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The airlock milter: a libmilter daemon that scans each message with the MIME walk and the
 * triage engine and tags, rejects, quarantines (Postfix hold queue) or strips it by policy. */

#include <stdbool.h>

struct milter_options {
        const char *socket;        /* "inet:PORT@127.0.0.1" or "unix:PATH" */
        const char *config;        /* policy file (mail-policy.h), or NULL for the defaults */
        const char *user;          /* user to run as when started as root (overrides config) */
        const char *report_dir;    /* overrides the config's report-dir */
        bool html_reports;         /* overrides the config's html-reports = no */
        char *const *rules_dirs;   /* added to the config's rules */
        bool syslog;               /* log to syslog instead of standard error */
        bool detonate;             /* overrides the config's detonate = no */
        unsigned detonate_timeout; /* seconds, overrides the config's; 0: the config's */
};

/* Runs until SIGTERM or SIGINT; SIGHUP re-reads the policy file and recompiles the rules
 * (on failure the running ones stay). Returns 0 after a clean stop, or a negative errno after
 * logging why it could not start. */
int milter_run(const struct milter_options *o);
