/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/macro.h"
#include "basic/parse.h"
#include "basic/strv.h"
#include "mail/mail-policy.h"

static const char *const action_names[_MAIL_ACTION_MAX] = {
        [MAIL_ACTION_ACCEPT] = "accept",     [MAIL_ACTION_TAG] = "tag",
        [MAIL_ACTION_STRIP] = "strip",       [MAIL_ACTION_QUARANTINE] = "quarantine",
        [MAIL_ACTION_REJECT] = "reject",     [MAIL_ACTION_DISCARD] = "discard",
        [MAIL_ACTION_TEMPFAIL] = "tempfail",
};

const char *mail_action_to_string(enum mail_action a)
{
        return a < _MAIL_ACTION_MAX ? action_names[a] : "unknown";
}

int mail_action_from_string(const char *s)
{
        for (int i = 0; i < _MAIL_ACTION_MAX; i++)
                if (streq(s, action_names[i]))
                        return i;
        return -EINVAL;
}

int mail_policy_init(struct mail_policy *p)
{
        *p = (struct mail_policy){
                .action =
                        {
                                [ANALYSIS_CLEAN] = MAIL_ACTION_TAG,
                                [ANALYSIS_SUSPICIOUS] = MAIL_ACTION_TAG,
                                [ANALYSIS_UNSCANNABLE] = MAIL_ACTION_QUARANTINE,
                                [ANALYSIS_MALICIOUS] = MAIL_ACTION_REJECT,
                        },
                .tag_headers = true,
                .on_error = MAIL_ACTION_TEMPFAIL,
                .max_message_size = 50ULL << 20,
                /* Postfix waits milter_content_timeout (300 s) for the end-of-message reply;
                 * progress replies restart that clock, but a scan should not need them. */
                .scan_timeout_sec = 120,
                .max_concurrency = 4,
                .queue_timeout_sec = 30,
                .detonate_timeout_sec = 10,
        };
        p->reject_text = strdup("5.7.1 Message rejected by airlock: %s");
        return p->reject_text ? 0 : -ENOMEM;
}

void mail_policy_done(struct mail_policy *p)
{
        free(p->report_dir);
        strv_free(p->rules_dirs);
        free(p->clamd);
        free(p->user);
        free(p->reject_text);
        *p = (struct mail_policy){};
}

static char *strip_ws(char *s)
{
        char *e;

        while (isspace((unsigned char)*s))
                s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
                *--e = 0;
        return s;
}

static int set_string(char **dst, const char *value)
{
        char *c = strdup(value);

        if (!c)
                return -ENOMEM;
        free(*dst);
        *dst = c;
        return 0;
}

static int parse_bool(const char *v, bool *ret)
{
        if (streq(v, "yes") || streq(v, "true") || streq(v, "1"))
                *ret = true;
        else if (streq(v, "no") || streq(v, "false") || streq(v, "0"))
                *ret = false;
        else
                return -EINVAL;
        return 0;
}

static int parse_seconds(const char *v, unsigned *ret)
{
        uint64_t usec;
        int r = parse_duration_usec(v, &usec);

        if (r < 0)
                return r;
        if (usec / 1000000 == 0 || usec / 1000000 > 86400)
                return -ERANGE;
        *ret = (unsigned)(usec / 1000000);
        return 0;
}

static int apply_key(struct mail_policy *p, const char *key, const char *value,
                     const char **ret_reason)
{
        static const char *const verdict_keys[] = {"clean", "suspicious", "unscannable",
                                                   "malicious"};
        uint64_t u;
        int r;

        for (size_t v = 0; v < ELEMENTSOF(verdict_keys); v++)
                if (streq(key, verdict_keys[v])) {
                        r = mail_action_from_string(value);
                        if (r < 0 || r == MAIL_ACTION_TEMPFAIL) {
                                *ret_reason = "expected accept, tag, strip, quarantine, reject "
                                              "or discard";
                                return -EINVAL;
                        }
                        p->action[v] = r;
                        return 0;
                }
        if (streq(key, "on-error")) {
                r = mail_action_from_string(value);
                if (r != MAIL_ACTION_TEMPFAIL && r != MAIL_ACTION_ACCEPT && r != MAIL_ACTION_TAG) {
                        *ret_reason = "expected tempfail, or accept/tag to fail open";
                        return -EINVAL;
                }
                p->on_error = r;
                return 0;
        }
        if (streq(key, "tag-headers"))
                return parse_bool(value, &p->tag_headers);
        if (streq(key, "max-message-size")) {
                r = parse_size(value, &u);
                if (r < 0 || u == 0)
                        return r < 0 ? r : -ERANGE;
                p->max_message_size = u;
                return 0;
        }
        if (streq(key, "scan-timeout"))
                return parse_seconds(value, &p->scan_timeout_sec);
        if (streq(key, "queue-timeout"))
                return parse_seconds(value, &p->queue_timeout_sec);
        if (streq(key, "detonate"))
                return parse_bool(value, &p->detonate);
        if (streq(key, "detonate-timeout")) {
                unsigned s;
                r = parse_seconds(value, &s);
                if (r < 0 || s > 3600) {
                        *ret_reason = "expected seconds from 1 to 3600";
                        return -EINVAL;
                }
                p->detonate_timeout_sec = s;
                return 0;
        }
        if (streq(key, "max-concurrency")) {
                r = parse_uint64(value, &u);
                if (r < 0 || u == 0 || u > 1024)
                        return r < 0 ? r : -ERANGE;
                p->max_concurrency = (unsigned)u;
                return 0;
        }
        if (streq(key, "report-dir"))
                return set_string(&p->report_dir, value);
        if (streq(key, "html-reports"))
                return parse_bool(value, &p->html_reports);
        if (streq(key, "rules"))
                return strv_extend(&p->rules_dirs, value);
        if (streq(key, "clamd"))
                return set_string(&p->clamd, value);
        if (streq(key, "user"))
                return set_string(&p->user, value);
        if (streq(key, "reject-text"))
                return set_string(&p->reject_text, value);
        *ret_reason = "unknown key";
        return -ENOENT;
}

int mail_policy_load(struct mail_policy *p, const char *path, char **ret_error)
{
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        _cleanup_free_ char *line = NULL;
        struct mail_policy n;
        size_t cap = 0, n_seen = 0;
        unsigned lineno = 0;
        struct {
                char key[32];
                unsigned line;
        } seen[64];
        int r = 0;

        if (!f)
                return negative_errno();
        /* Parse into a copy so that a bad file leaves the running policy as it was. */
        n = *p;
        n.report_dir = p->report_dir ? strdup(p->report_dir) : NULL;
        n.rules_dirs = NULL;
        for (char **d = p->rules_dirs; d && *d; d++)
                strv_extend(&n.rules_dirs, *d);
        n.clamd = p->clamd ? strdup(p->clamd) : NULL;
        n.user = p->user ? strdup(p->user) : NULL;
        n.reject_text = strdup(p->reject_text ?: "");

        for (;;) {
                const char *reason = NULL;
                char *s, *eq, *key = NULL, *value = NULL;
                ssize_t len = getline(&line, &cap, f);

                if (len < 0)
                        break;
                lineno++;
                if (memchr(line, 0, (size_t)len)) {
                        /* the rest of such a line would be silently cut off */
                        reason = "a NUL byte: the file is not text";
                        r = -EINVAL;
                        goto bad;
                }
                s = strip_ws(line);
                if (*s == 0 || *s == '#')
                        continue;
                eq = strchr(s, '=');
                if (!eq) {
                        reason = "expected KEY = VALUE";
                        r = -EINVAL;
                        goto bad;
                }
                *eq = 0;
                key = strip_ws(s);
                value = strip_ws(eq + 1);
                /* A key given twice is a mistake to show, not a silent override ("rules" adds
                 * folders and may repeat). */
                if (!streq(key, "rules")) {
                        unsigned first = 0;
                        for (size_t i = 0; i < n_seen; i++)
                                if (streq(seen[i].key, key))
                                        first = seen[i].line;
                        if (first) {
                                if (ret_error && asprintf(ret_error,
                                                          "%s:%u: %s: duplicate key (first set "
                                                          "on line %u)",
                                                          path, lineno, key, first) < 0)
                                        *ret_error = NULL;
                                r = -EINVAL;
                                goto fail;
                        }
                        if (n_seen < ELEMENTSOF(seen)) {
                                snprintf(seen[n_seen].key, sizeof(seen[n_seen].key), "%s", key);
                                seen[n_seen++].line = lineno;
                        }
                }
                r = apply_key(&n, key, value, &reason);
                if (r >= 0)
                        continue;
        bad:
                if (ret_error && (r == -ENOENT && key ? asprintf(ret_error,
                                                                 "%s:%u: %s: unknown key (see "
                                                                 "airlock-milter(8))",
                                                                 path, lineno, key)
                                  : key ? asprintf(ret_error, "%s:%u: %s: invalid value '%s': %s",
                                                   path, lineno, key, value, reason ?: strerror(-r))
                                        : asprintf(ret_error, "%s:%u: %s", path, lineno,
                                                   reason ?: strerror(-r))) < 0)
                        *ret_error = NULL;
        fail:
                mail_policy_done(&n);
                return -EINVAL;
        }
        mail_policy_done(p);
        *p = n;
        return 0;
}

enum mail_action mail_policy_action(const struct mail_policy *p, enum analysis_verdict v)
{
        return v <= ANALYSIS_MALICIOUS ? p->action[v] : MAIL_ACTION_TEMPFAIL;
}
