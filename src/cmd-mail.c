/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock mail scan [--json] [--report FILE] [--rules DIR] [--config FILE] MESSAGE...
 * Each MESSAGE is an RFC 5322 file, an mbox, a Maildir or "-". Exit status as clamscan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "analysis/browser.h"
#include "analysis/detonate.h"
#include "basic/fileio.h"
#include "basic/escape.h"
#include "basic/log.h"
#include "basic/options.h"
#include "basic/parse.h"
#include "basic/strv.h"
#include "cmds.h"
#include "mail/mail-policy.h"
#include "mail/mailbox.h"
#include "mail/mime.h"

struct mail_scan_args {
        bool json;
        bool help;
        bool detonate;
        unsigned detonate_timeout;
        const char *report;
        const char *html_report;
        const char *config;
        char **rules_dirs;
        uint64_t max_size;
        unsigned timeout_sec;
};

static int opt_flag(void *ctx, const struct option_def *def, char *const *args, const char **reason)
{
        struct mail_scan_args *a = ctx;

        if (def->short_name == 'h')
                a->help = true;
        else if (streq(def->name, "detonate"))
                a->detonate = true;
        else
                a->json = true;
        return 0;
}

static int opt_string(void *ctx, const struct option_def *def, char *const *args,
                      const char **reason)
{
        struct mail_scan_args *a = ctx;

        if (streq(def->name, "report"))
                a->report = args[0];
        else if (streq(def->name, "html-report"))
                a->html_report = args[0];
        else if (streq(def->name, "config"))
                a->config = args[0];
        else
                return strv_extend(&a->rules_dirs, args[0]);
        return 0;
}

static int opt_max_size(void *ctx, const struct option_def *def, char *const *args,
                        const char **reason)
{
        return parse_size(args[0], &((struct mail_scan_args *)ctx)->max_size);
}

static int opt_timeout(void *ctx, const struct option_def *def, char *const *args,
                       const char **reason)
{
        uint64_t usec;
        int r = parse_duration_usec(args[0], &usec);

        if (r < 0)
                return r;
        ((struct mail_scan_args *)ctx)->timeout_sec = (unsigned)(usec / 1000000);
        return 0;
}

static int opt_detonate_timeout(void *ctx, const struct option_def *def, char *const *args,
                                const char **reason)
{
        struct mail_scan_args *a = ctx;

        if (detonate_timeout_parse(args[0], &a->detonate_timeout) < 0) {
                *reason = "expected seconds from 1 to 3600";
                return -EINVAL;
        }
        a->detonate = true;
        return 0;
}

static const struct option_def scan_options[] = {
        {"json", 0, 0, NULL, "print the JSON report on standard output", opt_flag, 0},
        {"report", 0, 1, "FILE", "write the JSON report to FILE", opt_string, 0},
        {"html-report", 0, 1, "FILE", "write the report as one self-contained HTML page to FILE",
         opt_string, 0},
        {"rules", 0, 1, "DIR", "add the YARA and hash rules in DIR", opt_string, 0},
        {"config", 0, 1, "FILE",
         "milter policy file: the action column follows it (see airlock-milter(8))", opt_string, 0},
        {"max-size", 0, 1, "SIZE", "largest message or mbox read (default 1G)", opt_max_size, 0},
        {"timeout", 0, 1, "SECONDS", "scan time per message (default 120)", opt_timeout, 0},
        {"detonate", 0, 0, NULL,
         "also run attachments that are programs or scripts in airlock run --trace", opt_flag, 0},
        {"detonate-timeout", 0, 1, "SECONDS", "time each detonated attachment may run (default 10)",
         opt_detonate_timeout, 0},
        {"help", 'h', 0, NULL, "show this help", opt_flag, 0},
};

struct scan_state {
        struct analysis_ctx *ctx;
        struct mail_limits limits;
        struct mail_policy policy;
        struct mail_message **messages;
        size_t n_messages;
        enum analysis_verdict worst;
        size_t n_seen; /* messages scanned, kept or not */
        bool text;     /* print a summary per message */
        bool keep;     /* keep the messages for the JSON report */
};

/* A limit finding that says what an earlier finding of the node said: the anomaly and the
 * limit it hit are one thing to the reader, printed once (the JSON report keeps both). */
static bool repeats_earlier(const struct analysis_result *r, size_t i)
{
        const struct analysis_finding *f = &r->findings[i];

        if (!startswith(f->rule, "limit."))
                return false;
        for (size_t j = 0; j < i; j++)
                if (streq_ptr(r->findings[j].description, f->description))
                        return true;
        return false;
}

static void print_part_findings(const struct analysis_result *r, unsigned indent)
{
        for (size_t i = 0; i < r->n_findings; i++) {
                const struct analysis_finding *f = &r->findings[i];

                if (f->severity == ANALYSIS_SEVERITY_INFO && !r->limit)
                        continue;
                if (repeats_earlier(r, i))
                        continue;
                printf("%*s%s: %s [%s]%s%s\n", indent, "", f->rule, f->description ?: "",
                       analysis_severity_to_string(f->severity),
                       f->attack && f->attack[0] ? " " : "",
                       f->attack && f->attack[0] ? f->attack[0] : "");
        }
}

/* What made an archive attached to a message what it is: its members that are not clean. */
static void print_members(const struct analysis_result *r)
{
        for (size_t i = 0; i < r->n_children; i++) {
                const struct analysis_result *c = r->children[i];

                if (c->verdict == ANALYSIS_CLEAN)
                        continue;
                printf("    member ");
                fputs_escaped(stdout, c->path);
                printf(": %s (score %u)\n", analysis_verdict_to_string(c->verdict), c->score);
                print_part_findings(c, 6);
                print_members(c);
        }
}

static int print_part(struct mail_part *p, void *userdata)
{
        const struct analysis_result *r = p->result;

        if (!r || r->verdict == ANALYSIS_CLEAN)
                return 0;
        /* the content type and the file name come from the message: escaped */
        printf("  part %s ", p->mime_path);
        fputs_escaped(stdout, p->content_type ?: "?");
        if (p->filename) {
                putchar(' ');
                fputs_escaped(stdout, p->filename);
        }
        printf(": %s (score %u)\n", analysis_verdict_to_string(r->verdict), r->score);
        print_part_findings(r, 4);
        if (p->n_children == 0) /* a multipart's children are parts, printed on their own */
                print_members(r);
        return 0;
}

static void print_message(struct scan_state *s, const struct mail_message *m)
{
        const struct analysis_result *r = m->result;
        enum mail_action a = mail_policy_action(&s->policy, r->verdict);

        fputs_escaped(stdout, m->name);
        printf(": %s (score %u, %llu parts, milter action %s)\n",
               analysis_verdict_to_string(r->verdict), r->score, (unsigned long long)m->n_parts,
               mail_action_to_string(a));
        if (r->verdict == ANALYSIS_CLEAN)
                return;
        print_part_findings(r, 2);
        mail_message_foreach_part(m, print_part, NULL);
}

static int on_message(const char *name, const char *data, size_t size, void *userdata)
{
        struct scan_state *s = userdata;
        struct mail_message *m = NULL, **v;
        int r;

        r = mail_message_scan(s->ctx, &s->limits, name, data, size, &m);
        if (r < 0)
                return log_error_errno(r, "mail scan: cannot scan %s: %m", name);
        s->n_seen++;
        s->worst = analysis_verdict_worst(s->worst, m->result->verdict);
        if (s->text)
                print_message(s, m);
        if (!s->keep) {
                /* No report wanted: a large mbox need not be held in memory. */
                mail_message_free(m);
                return 0;
        }
        v = reallocarray(s->messages, s->n_messages + 1, sizeof(*v));
        if (!v) {
                mail_message_free(m);
                return log_error_errno(-ENOMEM, "mail scan: %m");
        }
        s->messages = v;
        v[s->n_messages++] = m;
        return 0;
}

static struct json_object *build_report(struct scan_state *s)
{
        _cleanup_free_ struct analysis_result **results =
                calloc(s->n_messages + 1, sizeof(*results));
        struct json_object *report, *files;

        if (!results)
                return NULL;
        for (size_t i = 0; i < s->n_messages; i++)
                results[i] = s->messages[i]->result;
        report = analysis_report_new(results, s->n_messages);
        if (!report)
                return NULL;
        if (!json_object_object_get_ex(report, "files", &files))
                return report;
        for (size_t i = 0; i < s->n_messages; i++) {
                struct json_object *o = mail_message_to_json(s->messages[i]);
                enum mail_action a =
                        mail_policy_action(&s->policy, s->messages[i]->result->verdict);

                if (!o)
                        continue;
                json_object_object_add(o, "action",
                                       json_object_new_string(mail_action_to_string(a)));
                json_object_array_put_idx(files, i, o);
        }
        return report;
}

static int write_report(struct scan_state *s, const char *path, bool to_stdout,
                        const char *html_path)
{
        struct json_object *report = build_report(s);
        const char *text;
        int r = 0;

        if (!report)
                return log_error_errno(-ENOMEM, "mail scan: %m");
        text = json_object_to_json_string_ext(report, JSON_C_TO_STRING_PRETTY |
                                                              JSON_C_TO_STRING_NOSLASHESCAPE);
        if (to_stdout)
                printf("%s\n", text);
        if (path) {
                _cleanup_fclose_ FILE *f = fopen(path, "we");

                if (!f || fprintf(f, "%s\n", text) < 0 || fflush(f) != 0)
                        r = log_error_errno(negative_errno(), "mail scan: cannot write %s: %m",
                                            path);
        }
        if (html_path && write_html_report(html_path, report) < 0)
                r = -EIO;
        json_object_put(report);
        return r;
}

static void usage(FILE *f)
{
        fprintf(f, "usage: airlock mail scan [OPTIONS] MESSAGE...\n"
                   "MESSAGE: an RFC 5322 file, an mbox, a Maildir or '-' for standard input.\n"
                   "Exit status: 0 all clean, 1 something suspicious, malicious or "
                   "unscannable, 2 error.\n\n");
        options_print_help(f, scan_options, ELEMENTSOF(scan_options));
}

static int scan_main(int argc, char **argv)
{
        struct mail_scan_args a = {};
        struct scan_state s = {.worst = ANALYSIS_CLEAN};
        struct detonate_options det = {0};
        struct browser *browser = NULL;
        struct analysis_options ao;
        _cleanup_free_ char *error = NULL;
        bool failed = false;
        int first, r, ret = 2;

        first = options_parse(scan_options, ELEMENTSOF(scan_options), argc, argv, &a,
                              "airlock mail scan");
        if (first < 0)
                goto out_args;
        if (a.help) {
                usage(stdout);
                ret = 0;
                goto out_args;
        }
        if (first >= argc) {
                usage(stderr);
                goto out_args;
        }
        if (mail_policy_init(&s.policy) < 0)
                goto out_args;
        if (a.config && mail_policy_load(&s.policy, a.config, &error) < 0) {
                log_error("mail scan: %s", error ?: "cannot read the policy file");
                goto out;
        }
        mail_limits_init(&s.limits);
        if (a.timeout_sec)
                s.limits.timeout_ms = a.timeout_sec * 1000;
        /* The policy file's detonate and detonate-timeout, as the milter reads them; the
         * command line wins. */
        det.timeout_sec = a.detonate_timeout ?: s.policy.detonate_timeout_sec;
        if (a.detonate || s.policy.detonate)
                s.limits.detonate = &det; /* after the worker's walk, each for its own time */

        analysis_options_init(&ao);
        ao.rules_dirs = a.rules_dirs ?: s.policy.rules_dirs;
        ao.clamd_address = s.policy.clamd;
        if (a.timeout_sec)
                ao.limits.timeout_sec = a.timeout_sec;
        r = analysis_ctx_new(&ao, &s.ctx, &error);
        if (r < 0) {
                log_error_errno(r, "mail scan: cannot load the rules: %s", error ?: strerror(-r));
                goto out;
        }
        /* pages among the attachments: the files they hand over are judged by this engine, and
         * one browser loads the pages of the whole run */
        det.ctx = s.ctx;
        det.browser = &browser;
        s.text = !a.json;
        s.keep = a.json || a.report || a.html_report;
        for (int i = first; i < argc; i++) {
                size_t seen = s.n_seen;

                r = mailbox_foreach(argv[i], a.max_size, on_message, &s);
                if (r >= 0 && s.n_seen == seen)
                        log_warning("mail scan: %s: no messages found (expected a message, an "
                                    "mbox, or a folder or Maildir of messages)",
                                    argv[i]);
                if (r < 0) {
                        if (r != -ENOMEM)
                                log_error_errno(r, "mail scan: cannot read %s: %m", argv[i]);
                        failed = true;
                }
        }
        if ((a.json || a.report || a.html_report) &&
            write_report(&s, a.report, a.json, a.html_report) < 0)
                failed = true;
        ret = failed ? 2 : analysis_exit_status(s.worst);
out:
        browser_free(browser);
        for (size_t i = 0; i < s.n_messages; i++)
                mail_message_free(s.messages[i]);
        free(s.messages);
        if (s.ctx)
                analysis_ctx_free(s.ctx);
        mail_policy_done(&s.policy);
out_args:
        strv_free(a.rules_dirs);
        return ret;
}

int cmd_mail(int argc, char **argv)
{
        if (argc >= 2 && streq(argv[1], "scan"))
                return scan_main(argc - 1, argv + 1);
        if (argc >= 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                usage(stdout);
                return 0;
        }
        log_error("usage: airlock mail scan [--json] MESSAGE... (see airlock mail --help)");
        return EXIT_USAGE;
}
