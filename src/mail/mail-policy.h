/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the milter does with a message, by verdict, and its limits: read from a small
 * "key = value" file (docs/man/airlock-milter.8), with defaults that need no file at all:
 * tag every message, reject malicious, quarantine unscannable, tempfail on error. */

#include <stdbool.h>
#include <stdint.h>

#include "analysis/analysis.h"

enum mail_action {
        MAIL_ACTION_ACCEPT,     /* deliver untouched */
        MAIL_ACTION_TAG,        /* deliver with X-Airlock-* headers */
        MAIL_ACTION_STRIP,      /* deliver with the offending parts replaced by a notice */
        MAIL_ACTION_QUARANTINE, /* Postfix hold queue (smfi_quarantine) */
        MAIL_ACTION_REJECT,     /* 550 5.7.1 */
        MAIL_ACTION_DISCARD,    /* accept and drop silently */
        MAIL_ACTION_TEMPFAIL,   /* 451 4.7.1: the sender retries */
        _MAIL_ACTION_MAX,
};

struct mail_policy {
        enum mail_action action[ANALYSIS_MALICIOUS + 1]; /* by verdict */
        bool tag_headers;              /* add X-Airlock-* headers to what is delivered or held */
        enum mail_action on_error;     /* TEMPFAIL, or ACCEPT/TAG to fail open */
        uint64_t max_message_size;     /* bytes; larger messages are unscannable */
        unsigned scan_timeout_sec;     /* wall time for one message's scan */
        unsigned max_concurrency;      /* scans at once */
        unsigned queue_timeout_sec;    /* how long a message waits for a scan slot: then overload */
        char *report_dir;              /* a JSON report per message, or NULL */
        bool html_reports;             /* and an HTML page beside each JSON report */
        char **rules_dirs;             /* users' rule folders for the engine */
        char *clamd;                   /* optional clamd address for the engine */
        char *user;                    /* drop to this user when started as root */
        char *reject_text;             /* the 550 text; %s is replaced by the reason */
        bool detonate;                 /* also run attachments that are programs or scripts */
        unsigned detonate_timeout_sec; /* per attachment run, 1..3600 */
};

/* The defaults above. Returns 0 or -ENOMEM. */
int mail_policy_init(struct mail_policy *p);
void mail_policy_done(struct mail_policy *p);

/* Reads a policy file over the current values. Returns 0 or a negative errno; on -EINVAL
 * *ret_error says which line and why (free it). The policy is untouched on failure. */
int mail_policy_load(struct mail_policy *p, const char *path, char **ret_error);

const char *mail_action_to_string(enum mail_action a);
/* Returns the action, or -EINVAL. */
int mail_action_from_string(const char *s);

/* The action for a verdict, as the policy says. */
enum mail_action mail_policy_action(const struct mail_policy *p, enum analysis_verdict v);
