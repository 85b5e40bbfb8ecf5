/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The airlock milter. Our protocol loop (milter-proto.c) runs one thread per MTA connection; each
 * message is gathered in memory (bounded), scanned in a scan slot (bounded in number and time),
 * and the end-of-message callback applies the policy's action. Postfix is never left waiting longer
 * than its milter timeouts: the callback sends progress replies while it waits, and gives up
 * (tempfail, or accept-and-label when failing open) when the scan time or the wait for a scan
 * slot runs out. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analysis/browser.h"
#include "analysis/detonate.h"
#include "analysis/html-report.h"
#include "basic/log.h"
#include "basic/macro.h"
#include "basic/strv.h"
#include "mail/mail-policy.h"
#include "mail/milter-proto.h"
#include "mail/milter.h"
#include "mail/mime.h"

#define PROGRESS_INTERVAL_SEC 10
#define REPLACE_CHUNK         65536
/* How long an MTA connection may stay silent (libmilter's default was 7210 s; Postfix
 * closes an idle SMTP session after 300 s). */
#define CONNECTION_TIMEOUT_SEC 600

/* ---- the engine: policy, limits and compiled rules, swapped whole on SIGHUP ---- */

struct engine {
        unsigned refs; /* under engine_lock */
        struct mail_policy policy;
        struct mail_limits limits;
        struct detonate_options det;
        struct analysis_ctx *ctx;
};

static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;
static struct engine *current_engine;
static const struct milter_options *options;

static void engine_unref(struct engine *e)
{
        bool last;

        if (!e)
                return;
        pthread_mutex_lock(&engine_lock);
        last = --e->refs == 0;
        pthread_mutex_unlock(&engine_lock);
        if (!last)
                return;
        if (e->ctx)
                analysis_ctx_free(e->ctx);
        mail_policy_done(&e->policy);
        free(e);
}

static struct engine *engine_get(void)
{
        struct engine *e;

        pthread_mutex_lock(&engine_lock);
        e = current_engine;
        e->refs++;
        pthread_mutex_unlock(&engine_lock);
        return e;
}

static int engine_new(const struct milter_options *o, struct engine **ret)
{
        struct engine *e = calloc(1, sizeof(*e));
        struct analysis_options ao;
        _cleanup_free_ char *error = NULL;
        int r;

        if (!e)
                return log_error_errno(-ENOMEM, "%m");
        e->refs = 1;
        r = mail_policy_init(&e->policy);
        if (r >= 0 && o->config) {
                r = mail_policy_load(&e->policy, o->config, &error);
                if (r < 0 && error) /* FILE:LINE: KEY: cause */
                        log_error("%s", error);
                else if (r < 0)
                        log_error_errno(r, "cannot read %s: %m", o->config);
        }
        for (char *const *d = o->rules_dirs; r >= 0 && d && *d; d++)
                r = strv_extend(&e->policy.rules_dirs, *d);
        if (r >= 0 && o->report_dir) {
                free(e->policy.report_dir);
                e->policy.report_dir = strdup(o->report_dir);
        }
        if (o->html_reports)
                e->policy.html_reports = true;
        if (r < 0)
                goto fail;

        /* The milter waits for the scan (in a worker, or for clamd and detonation in a thread
         * of its own) until scan-timeout, then applies on-error; a worker is killed then. The
         * walk's own deadline is a backstop a little later, for a thread left running. A
         * worker that crashes leaves the message unscannable (worker.crashed). */
        mail_limits_init(&e->limits);
        e->limits.timeout_ms = e->policy.scan_timeout_sec * 1000 + 2000;
        /* Detonation runs inside the scan: its time counts against scan-timeout. */
        if (o->detonate)
                e->policy.detonate = true;
        if (o->detonate_timeout)
                e->policy.detonate_timeout_sec = o->detonate_timeout;
        if (e->policy.detonate) {
                e->det.timeout_sec = e->policy.detonate_timeout_sec;
                e->limits.detonate = &e->det;
        }
        analysis_options_init(&ao);
        ao.rules_dirs = e->policy.rules_dirs;
        ao.clamd_address = e->policy.clamd;
        ao.limits.timeout_sec = e->policy.scan_timeout_sec;
        r = analysis_ctx_new(&ao, &e->ctx, &error);
        if (r < 0) {
                log_error_errno(r, "cannot load the rules: %s", error ?: strerror(-r));
                goto fail;
        }
        /* Web pages are loaded too and what they hand over is judged by this engine; in the
         * browser of the scan slot (set per scan: struct slot). */
        e->det.ctx = e->ctx;
        *ret = e;
        return 0;
fail:
        e->refs = 1;
        engine_unref(e);
        return r;
}

/* ---- scan slots: bounded concurrency ---- */

/* The policy's highest max-concurrency. */
#define MAX_SLOTS 1024
/* How long a slot keeps its browser when no page comes: its memory is given back then. */
#define BROWSER_IDLE_SEC 30

struct scan_job;

/* A scan slot. A scan that detonates (or asks clamd) runs in the slot's own thread, which
 * lives on between scans and keeps the browser that loaded its last page, so that the next
 * page does not wait for Chromium to start: at most one browser per slot, each page in a fresh
 * browser context (analysis/browser.h), ended after BROWSER_IDLE_SEC without a page. The
 * browser is started by that thread, which stays alive: Chromium's parent-death signal follows
 * the thread that forked it, and a thread per scan would end it with the scan. */
struct slot {
        bool busy;               /* under slot_lock */
        bool running;            /* its thread exists; under slot_lock */
        bool working;            /* its thread runs a job; under slot_lock */
        bool has_browser;        /* it keeps a browser; under slot_lock */
        struct scan_job *job;    /* handed to its thread; under slot_lock */
        pthread_cond_t cond;     /* a job for its thread; initialized with the thread */
        struct browser *browser; /* its thread's; taken under slot_lock when not working */
};

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slot_cond = PTHREAD_COND_INITIALIZER;
static unsigned slots_busy;
static struct slot slots[MAX_SLOTS];

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void abstime_in(struct timespec *ts, unsigned sec)
{
        clock_gettime(CLOCK_REALTIME, ts);
        ts->tv_sec += sec;
}

/* The realtime moment of min(now + max_usec, deadline), deadline on the monotonic clock. */
static void abstime_in_usec(struct timespec *ts, uint64_t deadline, uint64_t max_usec)
{
        uint64_t now = now_usec();
        uint64_t wait = deadline > now ? deadline - now : 0;

        if (wait > max_usec)
                wait = max_usec;
        clock_gettime(CLOCK_REALTIME, ts);
        ts->tv_sec += (time_t)(wait / 1000000);
        ts->tv_nsec += (long)(wait % 1000000) * 1000;
        if (ts->tv_nsec >= 1000000000) {
                ts->tv_sec++;
                ts->tv_nsec -= 1000000000;
        }
}

/* A free slot below max while fewer than max are busy (a reload may have lowered max under
 * slots still busy above it), or -1: one that keeps a browser when a page is likely, one that
 * does not otherwise (a script would end the browser), else the first. Under slot_lock. */
static int slot_free(unsigned max, bool page)
{
        int first = -1;

        if (slots_busy >= max)
                return -1;
        for (unsigned i = 0; i < max && i < MAX_SLOTS; i++) {
                if (slots[i].busy)
                        continue;
                if (slots[i].has_browser == page)
                        return (int)i;
                if (first < 0)
                        first = (int)i;
        }
        return first;
}

/* Whether the message (size bytes at data) may carry a web page: a Content-Type of HTML,
 * XHTML or SVG. Only a hint for the choice of a slot: the walk decides what is loaded. */
static bool may_carry_page(const char *data, size_t size)
{
        static const char header[] = "\nContent-Type:";
        const char *p = data, *end = data + size;

        while (data && (p = memmem(p, (size_t)(end - p), header, sizeof(header) - 1))) {
                size_t n = (size_t)(end - p) < 96 ? (size_t)(end - p) : 96;
                char line[97];

                memcpy(line, p + 1, n - 1);
                line[n - 1] = 0;
                line[strcspn(line, "\n")] = 0;
                if (strcasestr(line, "html") || strcasestr(line, "svg"))
                        return true;
                p += sizeof(header) - 1;
        }
        return false;
}

/* Waits for a free slot, telling the MTA we are alive. Returns the slot's index, or -EBUSY
 * after timeout. */
static int slot_acquire(struct milter_ctx *smfi, unsigned max, unsigned timeout_sec, bool page)
{
        uint64_t deadline = now_usec() + (uint64_t)timeout_sec * 1000000;
        int i;

        pthread_mutex_lock(&slot_lock);
        while ((i = slot_free(max, page)) < 0) {
                struct timespec ts;

                if (now_usec() >= deadline) {
                        i = -EBUSY;
                        break;
                }
                abstime_in(&ts, 1);
                pthread_cond_timedwait(&slot_cond, &slot_lock, &ts);
                if (smfi)
                        milter_progress(smfi);
        }
        if (i >= 0) {
                slots[i].busy = true;
                slots_busy++;
        }
        pthread_mutex_unlock(&slot_lock);
        return i;
}

static void slot_release(int i)
{
        pthread_mutex_lock(&slot_lock);
        slots[i].busy = false;
        slots_busy--;
        /* waiters may differ in max after a reload: each looks for itself */
        pthread_cond_broadcast(&slot_cond);
        pthread_mutex_unlock(&slot_lock);
}

/* ---- a scan job, run by a slot's thread; abandoned on timeout, freed by the last user ---- */

struct scan_job {
        pthread_mutex_t lock;
        pthread_cond_t cond;
        unsigned refs;
        bool done;
        int error;
        int slot;
        struct engine *engine;
        struct mail_limits limits;   /* the engine's, detonating with det */
        struct detonate_options det; /* the engine's, with the slot's browser */
        char *data;
        size_t size;
        char *name;
        struct mail_scan_options so; /* its strip masks; no wait */
        struct mail_message *message;
};

static void job_unref(struct scan_job *j)
{
        bool last;

        pthread_mutex_lock(&j->lock);
        last = --j->refs == 0;
        pthread_mutex_unlock(&j->lock);
        if (!last)
                return;
        mail_message_free(j->message);
        engine_unref(j->engine);
        free(j->data);
        free(j->name);
        pthread_mutex_destroy(&j->lock);
        pthread_cond_destroy(&j->cond);
        free(j);
}

static void job_run(struct scan_job *j, struct browser **browser)
{
        struct mail_message *m = NULL;
        int slot = j->slot;
        int r;

        j->limits = j->engine->limits;
        if (j->limits.detonate) {
                j->det = *j->limits.detonate;
                j->det.browser = browser;
                j->det.one_sandbox = true;
                j->limits.detonate = &j->det;
        }
        r = mail_message_scan_ex(j->engine->ctx, &j->limits, j->name, j->data, j->size, &j->so, &m);
        pthread_mutex_lock(&j->lock);
        j->error = r < 0 ? r : 0;
        j->message = m;
        j->done = true;
        pthread_cond_signal(&j->cond);
        pthread_mutex_unlock(&j->lock);
        job_unref(j);
        slot_release(slot);
}

/* A slot's thread: runs the jobs handed to its slot, one at a time, and ends the slot's
 * browser once it has been idle for BROWSER_IDLE_SEC. Lives as long as the process. */
static void *slot_thread(void *userdata)
{
        struct slot *s = userdata;

        pthread_mutex_lock(&slot_lock);
        for (;;) {
                struct scan_job *j;

                if (!s->job) {
                        struct browser *idle;
                        struct timespec ts;
                        int k;

                        if (!s->browser) {
                                pthread_cond_wait(&s->cond, &slot_lock);
                                continue;
                        }
                        abstime_in(&ts, BROWSER_IDLE_SEC);
                        k = pthread_cond_timedwait(&s->cond, &slot_lock, &ts);
                        if (k == ETIMEDOUT && !s->job) {
                                idle = TAKE_PTR(s->browser);
                                s->has_browser = false;
                                pthread_mutex_unlock(&slot_lock);
                                browser_free(idle);
                                pthread_mutex_lock(&slot_lock);
                        }
                        continue;
                }
                j = TAKE_PTR(s->job);
                s->working = true;
                pthread_mutex_unlock(&slot_lock);
                job_run(j, &s->browser);
                pthread_mutex_lock(&slot_lock);
                s->working = false;
                s->has_browser = s->browser;
        }
        return NULL;
}

/* Ends the browsers the idle slots keep (at shutdown: a browser's sandbox would otherwise
 * only learn of the milter's end from its parent-death signal, and take its time). */
static void slots_end_browsers(void)
{
        for (unsigned i = 0; i < MAX_SLOTS; i++) {
                struct browser *b = NULL;

                pthread_mutex_lock(&slot_lock);
                if (slots[i].running && !slots[i].working && !slots[i].job) {
                        b = TAKE_PTR(slots[i].browser);
                        slots[i].has_browser = false;
                }
                pthread_mutex_unlock(&slot_lock);
                browser_free(b);
        }
}

/* Hands j to slot i's thread, starting the thread the first time. Returns 0 or a negative
 * errno (j not taken). */
static int slot_give(int i, struct scan_job *j)
{
        struct slot *s = &slots[i];
        pthread_attr_t attr;
        pthread_t t;
        int r = 0;

        pthread_mutex_lock(&slot_lock);
        s->job = j;
        if (s->running)
                pthread_cond_signal(&s->cond);
        else {
                pthread_cond_init(&s->cond, NULL);
                pthread_attr_init(&attr);
                pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
                r = -pthread_create(&t, &attr, slot_thread, s);
                pthread_attr_destroy(&attr);
                if (r < 0) {
                        pthread_cond_destroy(&s->cond);
                        s->job = NULL;
                } else
                        s->running = true;
        }
        pthread_mutex_unlock(&slot_lock);
        return r;
}

static void progress(void *userdata)
{
        if (userdata)
                milter_progress(userdata);
}

/* Bit 1 << verdict for each verdict whose action is a, or (a < 0) that strips a part. */
static uint32_t verdict_mask(const struct mail_policy *policy, int a)
{
        static const enum analysis_verdict all[] = {ANALYSIS_CLEAN, ANALYSIS_SUSPICIOUS,
                                                    ANALYSIS_MALICIOUS, ANALYSIS_UNSCANNABLE};
        uint32_t mask = 0;

        for (size_t i = 0; i < ELEMENTSOF(all); i++) {
                enum mail_action x = mail_policy_action(policy, all[i]);
                if (a >= 0 ? x == (enum mail_action)a
                           : all[i] != ANALYSIS_CLEAN && x != MAIL_ACTION_ACCEPT &&
                                     x != MAIL_ACTION_TAG)
                        mask |= 1u << all[i];
        }
        return mask;
}

/* Scans the message: in a confined worker that this thread waits for, keeping Postfix
 * informed (the worker is killed at the deadline and the message is unscannable); or, when
 * this process has more to do after the worker's walk (clamd, detonation) or walks it itself
 * (AIRLOCK_IN_PROCESS), in a thread of its own so that this one can give up in time. Takes data
 * (malloc'd). Returns 0 and the message, -ETIMEDOUT, -EBUSY (no slot) or another negative errno. */
static int scan_bounded(struct milter_ctx *smfi, struct engine *e, const char *name, char *data,
                        size_t size, struct mail_message **ret)
{
        struct analysis_job_wait wait = {.timeout_ms = e->policy.scan_timeout_sec * 1000,
                                         .progress_ms = PROGRESS_INTERVAL_SEC * 1000,
                                         .progress = progress,
                                         .userdata = smfi};
        struct mail_scan_options so = {
                .strip_when = verdict_mask(&e->policy, MAIL_ACTION_STRIP),
                .strip_parts = verdict_mask(&e->policy, -1),
                .wait = &wait,
                .deadline_is_error = true,
        };
        struct scan_job *j;
        uint64_t deadline;
        int slot, r;

        slot = slot_acquire(smfi, e->policy.max_concurrency, e->policy.queue_timeout_sec,
                            e->limits.detonate && may_carry_page(data, size));
        if (slot < 0) {
                free(data);
                return slot;
        }
        r = -EOPNOTSUPP;
        if (!e->limits.detonate && !e->policy.clamd)
                r = mail_message_scan_confined(e->ctx, &e->limits, name, data, size, &so, ret);
        if (r != -EOPNOTSUPP) {
                free(data);
                slot_release(slot);
                return r;
        }
        j = calloc(1, sizeof(*j));
        if (!j) {
                free(data);
                slot_release(slot);
                return -ENOMEM;
        }
        pthread_mutex_init(&j->lock, NULL);
        pthread_cond_init(&j->cond, NULL);
        j->refs = 2;
        j->slot = slot;
        j->engine = e;
        pthread_mutex_lock(&engine_lock);
        e->refs++;
        pthread_mutex_unlock(&engine_lock);
        j->data = data;
        j->size = size;
        j->name = strdup(name);
        j->so = (struct mail_scan_options){.strip_when = so.strip_when,
                                           .strip_parts = so.strip_parts};

        r = slot_give(slot, j);
        if (r < 0) {
                j->refs = 1;
                job_unref(j);
                slot_release(slot);
                return r;
        }

        deadline = now_usec() + (uint64_t)e->policy.scan_timeout_sec * 1000000;
        pthread_mutex_lock(&j->lock);
        while (!j->done && now_usec() < deadline) {
                struct timespec ts;

                abstime_in_usec(&ts, deadline, PROGRESS_INTERVAL_SEC * 1000000ULL);
                pthread_cond_timedwait(&j->cond, &j->lock, &ts);
                if (!j->done && smfi)
                        milter_progress(smfi);
        }
        if (!j->done)
                r = -ETIMEDOUT;
        else if (j->error < 0)
                r = j->error;
        else
                *ret = TAKE_PTR(j->message);
        pthread_mutex_unlock(&j->lock);
        job_unref(j);
        return r;
}

/* ---- per connection and per message state ---- */

static const char *const own_headers[] = {"X-Airlock-Verdict", "X-Airlock-Score",
                                          "X-Airlock-Report"};

struct conn {
        char client[128];
        /* the message being received */
        char *buf;
        size_t size, alloc;
        uint64_t total; /* bytes received, also beyond the limit */
        bool oversize;
        char *sender;
        unsigned n_rcpts;
        unsigned n_own_headers[ELEMENTSOF(own_headers)]; /* spoofed copies to delete */
        char *content_type, *encoding;                   /* top-level, first copy */
        uint64_t start_usec;
};

static void conn_reset_message(struct conn *c)
{
        free(c->buf);
        free(c->sender);
        free(c->content_type);
        free(c->encoding);
        c->buf = c->sender = c->content_type = c->encoding = NULL;
        c->size = c->alloc = c->total = 0;
        c->oversize = false;
        c->n_rcpts = 0;
        memset(c->n_own_headers, 0, sizeof(c->n_own_headers));
}

static int conn_append(struct conn *c, const void *data, size_t n, uint64_t max)
{
        c->total += n;
        if (c->oversize)
                return 0;
        if (c->size + n > max) {
                c->oversize = true;
                free(c->buf);
                c->buf = NULL;
                c->size = c->alloc = 0;
                return 0;
        }
        if (c->size + n > c->alloc) {
                size_t want = c->alloc ? c->alloc * 2 : 65536;
                char *p;

                while (want < c->size + n)
                        want *= 2;
                p = realloc(c->buf, want);
                if (!p)
                        return -ENOMEM;
                c->buf = p;
                c->alloc = want;
        }
        memcpy(c->buf + c->size, data, n);
        c->size += n;
        return 0;
}

static struct conn *conn_of(struct milter_ctx *smfi)
{
        return milter_getpriv(smfi);
}

static int on_connect(struct milter_ctx *smfi, const char *host)
{
        struct conn *c = calloc(1, sizeof(*c));

        if (!c)
                return MILTER_S_TEMPFAIL;
        snprintf(c->client, sizeof(c->client), "%s", host ?: "unknown");
        milter_setpriv(smfi, c);
        return MILTER_S_CONTINUE;
}

static int on_envfrom(struct milter_ctx *smfi, const char **argv, size_t n)
{
        struct conn *c = conn_of(smfi);

        if (!c)
                return MILTER_S_TEMPFAIL;
        conn_reset_message(c);
        c->start_usec = now_usec();
        c->sender = strdup(argv && argv[0] ? argv[0] : "<>");
        return MILTER_S_CONTINUE;
}

static int on_envrcpt(struct milter_ctx *smfi, const char **argv, size_t n)
{
        struct conn *c = conn_of(smfi);

        if (c)
                c->n_rcpts++;
        return MILTER_S_CONTINUE;
}

static uint64_t max_size(void)
{
        struct engine *e = engine_get();
        uint64_t m = e->policy.max_message_size;

        engine_unref(e);
        return m;
}

static int on_header(struct milter_ctx *smfi, const char *name, const char *value)
{
        struct conn *c = conn_of(smfi);
        uint64_t max = max_size();

        if (!c)
                return MILTER_S_TEMPFAIL;
        for (size_t i = 0; i < ELEMENTSOF(own_headers); i++)
                if (strcasecmp(name, own_headers[i]) == 0)
                        c->n_own_headers[i]++;
        if (!c->content_type && strcasecmp(name, "Content-Type") == 0)
                c->content_type = strdup(value);
        if (!c->encoding && strcasecmp(name, "Content-Transfer-Encoding") == 0)
                c->encoding = strdup(value);
        if (conn_append(c, name, strlen(name), max) < 0 || conn_append(c, ": ", 2, max) < 0 ||
            conn_append(c, value, strlen(value), max) < 0 || conn_append(c, "\r\n", 2, max) < 0)
                return MILTER_S_TEMPFAIL;
        return MILTER_S_CONTINUE;
}

static int on_eoh(struct milter_ctx *smfi)
{
        struct conn *c = conn_of(smfi);

        if (!c || conn_append(c, "\r\n", 2, max_size()) < 0)
                return MILTER_S_TEMPFAIL;
        return MILTER_S_CONTINUE;
}

static int on_body(struct milter_ctx *smfi, const unsigned char *chunk, size_t n)
{
        struct conn *c = conn_of(smfi);

        if (!c || conn_append(c, chunk, n, max_size()) < 0)
                return MILTER_S_TEMPFAIL;
        return MILTER_S_CONTINUE;
}

/* ---- applying the verdict ---- */

struct outcome {
        enum analysis_verdict verdict;
        unsigned score;
        bool error;       /* no verdict: error, overload or timeout */
        char reason[256]; /* why (error, or the main finding) */
        enum mail_action action;
        char report_name[128]; /* file name in report-dir, or "" */
        unsigned n_stripped;
};

/* Printable ASCII only, for headers and log lines that must stay one line. */
static void sanitize(char *s)
{
        for (; *s; s++)
                if (*s < 0x20 || *s >= 0x7f)
                        *s = '?';
}

struct main_finding {
        const struct analysis_finding *f;
        const struct analysis_result *node;
        unsigned depth;
};

/* The strongest finding below r, the deepest of equals: for a zip attached to a message, the
 * finding on the member, not the zip's empty list of its own. */
static void deepest_finding(const struct analysis_result *r, unsigned depth, bool descend,
                            struct main_finding *best)
{
        for (size_t i = 0; i < r->n_findings; i++) {
                const struct analysis_finding *f = &r->findings[i];

                if (f->severity < ANALYSIS_SEVERITY_MEDIUM && !r->limit)
                        continue;
                if (!best->f || f->severity > best->f->severity ||
                    (f->severity == best->f->severity && depth > best->depth))
                        *best = (struct main_finding){f, r, depth};
        }
        for (size_t i = 0; descend && i < r->n_children; i++)
                if (r->children[i]->verdict != ANALYSIS_CLEAN)
                        deepest_finding(r->children[i], depth + 1, true, best);
}

static int find_main_finding(struct mail_part *p, void *userdata)
{
        const struct analysis_result *r = p->result;
        struct outcome *o = userdata;
        struct main_finding best = {};
        const struct analysis_finding *f;

        if (!r || r->verdict == ANALYSIS_CLEAN)
                return 0;
        /* a multipart's children are parts of their own, visited after it */
        deepest_finding(r, 0, p->n_children == 0, &best);
        f = best.f;
        if (!f)
                return 0;
        snprintf(o->reason, sizeof(o->reason), "%s%s%s in part %s%s%s%s%s", f->rule,
                 f->attack && f->attack[0] ? " " : "",
                 f->attack && f->attack[0] ? f->attack[0] : "", p->mime_path,
                 p->filename ? " " : "", p->filename ?: "", best.depth > 0 ? " member " : "",
                 best.depth > 0 ? best.node->path : "");
        return 1;
}

static void explain(struct outcome *o, const struct mail_message *m)
{
        const struct analysis_result *r = m->result;

        if (o->verdict == ANALYSIS_CLEAN)
                return;
        if (mail_message_foreach_part(m, find_main_finding, o) == 0) {
                /* The message node itself: structure or a limit. */
                for (size_t i = 0; i < r->n_findings; i++)
                        if (r->findings[i].severity >= ANALYSIS_SEVERITY_MEDIUM || r->limit) {
                                snprintf(o->reason, sizeof(o->reason), "%s", r->findings[i].rule);
                                break;
                        }
                if (!o->reason[0] && r->limit)
                        snprintf(o->reason, sizeof(o->reason), "limit %s", r->limit);
        }
        /* never an empty reason after "rejected by airlock: " */
        if (!o->reason[0])
                snprintf(o->reason, sizeof(o->reason), "the message is %s (score %u)",
                         analysis_verdict_to_string(o->verdict), r->score);
        sanitize(o->reason);
}

static void add_headers(struct milter_ctx *smfi, struct conn *c, const struct outcome *o)
{
        char score[16], report[512];

        /* Headers that came with the message must not pass for ours. */
        for (size_t i = 0; i < ELEMENTSOF(own_headers); i++)
                for (unsigned k = c->n_own_headers[i]; k > 0; k--)
                        milter_chgheader(smfi, own_headers[i], (uint32_t)k, NULL);

        snprintf(score, sizeof(score), "%u", o->score);
        snprintf(report, sizeof(report), "%s%s%s%s", o->reason[0] ? o->reason : "no findings",
                 o->n_stripped ? "; offending parts removed" : "",
                 o->report_name[0] ? "; report " : "", o->report_name);
        sanitize(report);
        milter_addheader(smfi, "X-Airlock-Verdict",
                         o->error ? "unscanned" : (char *)analysis_verdict_to_string(o->verdict));
        if (!o->error)
                milter_addheader(smfi, "X-Airlock-Score", score);
        milter_addheader(smfi, "X-Airlock-Report", report);
}

static bool should_strip(const struct mail_part *p, void *userdata)
{
        const struct mail_policy *policy = userdata;
        enum mail_action a;

        if (!p->result || p->result->verdict == ANALYSIS_CLEAN)
                return false;
        a = mail_policy_action(policy, p->result->verdict);
        return a != MAIL_ACTION_ACCEPT && a != MAIL_ACTION_TAG;
}

static int header_differs(const char *old, const char *new)
{
        if (!old && !new)
                return 0;
        if (!old || !new)
                return 1;
        while (*old == ' ' || *old == '\t')
                old++;
        while (*new == ' ' || *new == '\t')
                new ++;
        return strcmp(old, new) != 0;
}

/* Replaces the offending parts. Returns the number replaced (0: nothing could be), or a
 * negative errno. */
static int strip(struct milter_ctx *smfi, struct conn *c, struct engine *e, struct mail_message *m)
{
        _cleanup_free_ char *body = NULL, *ctype = NULL, *enc = NULL;
        size_t size;
        int n, r;

        n = mail_message_strip(m, should_strip, &e->policy);
        if (n <= 0)
                return n;
        r = mail_message_render_body(m, &body, &size, &ctype, &enc);
        if (r < 0)
                return r;
        for (size_t off = 0; off < size || size == 0; off += REPLACE_CHUNK) {
                size_t len = size - off < REPLACE_CHUNK ? size - off : REPLACE_CHUNK;

                if (milter_replacebody(smfi, body + off, len) < 0)
                        return -EIO;
                if (size == 0)
                        break;
        }
        if (header_differs(c->content_type, ctype))
                milter_chgheader(smfi, "Content-Type", 1, ctype);
        if (header_differs(c->encoding, enc)) {
                if (c->encoding)
                        milter_chgheader(smfi, "Content-Transfer-Encoding", 1, enc);
                else
                        milter_addheader(smfi, "Content-Transfer-Encoding", enc);
        }
        return n;
}

static int apply(struct milter_ctx *smfi, struct conn *c, struct engine *e, struct mail_message *m,
                 struct outcome *o)
{
        char text[600];
        int r;

        if (o->action == MAIL_ACTION_STRIP) {
                r = m ? strip(smfi, c, e, m) : 0;
                if (r > 0) {
                        o->n_stripped = (unsigned)r;
                } else {
                        /* Structure or a limit, not a part, made the verdict: hold it. */
                        if (r < 0)
                                log_warning_errno(r, "cannot strip: %m; holding the message");
                        o->action = MAIL_ACTION_QUARANTINE;
                }
        }
        switch (o->action) {
        case MAIL_ACTION_ACCEPT:
                return MILTER_S_ACCEPT;
        case MAIL_ACTION_TAG:
        case MAIL_ACTION_STRIP:
                if (e->policy.tag_headers || o->action == MAIL_ACTION_TAG)
                        add_headers(smfi, c, o);
                return MILTER_S_ACCEPT;
        case MAIL_ACTION_QUARANTINE:
                if (e->policy.tag_headers)
                        add_headers(smfi, c, o);
                snprintf(text, sizeof(text), "airlock: %s: %s",
                         analysis_verdict_to_string(o->verdict), o->reason);
                if (milter_quarantine(smfi, text) < 0) {
                        snprintf(o->reason, sizeof(o->reason), "quarantine refused by the MTA");
                        o->action = MAIL_ACTION_TEMPFAIL;
                        milter_setreply(smfi, "451", "4.7.1", "airlock: try again later");
                        return MILTER_S_TEMPFAIL;
                }
                return MILTER_S_ACCEPT;
        case MAIL_ACTION_REJECT: {
                _cleanup_free_ char *t = NULL;
                const char *fmt = e->policy.reject_text ?: "5.7.1 %s";
                const char *pct = strstr(fmt, "%s");

                /* The text comes from the policy: substitute %s by hand, never as a format. */
                if (pct && asprintf(&t, "%.*s%s%s", (int)(pct - fmt), fmt, o->reason, pct + 2) < 0)
                        t = NULL;
                snprintf(text, sizeof(text), "%s", t ?: fmt);
                sanitize(text);
                /* milter_setreply takes the enhanced code separately. */
                if (startswith(text, "5.7.1 "))
                        milter_setreply(smfi, "550", "5.7.1", text + 6);
                else
                        milter_setreply(smfi, "550", "5.7.1", text);
                return MILTER_S_REJECT;
        }
        case MAIL_ACTION_DISCARD:
                return MILTER_S_DISCARD;
        case MAIL_ACTION_TEMPFAIL:
        default:
                milter_setreply(smfi, "451", "4.7.1", "airlock: cannot scan now, try again later");
                return MILTER_S_TEMPFAIL;
        }
}

/* ---- report file and log line ---- */

static void report_file_name(struct outcome *o, const char *queue_id)
{
        static unsigned long counter;
        unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
        char id[64];
        size_t k = 0;

        for (const char *p = queue_id; p && *p && k + 1 < sizeof(id); p++)
                if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9'))
                        id[k++] = *p;
        id[k] = 0;
        if (k)
                snprintf(o->report_name, sizeof(o->report_name), "%s.json", id);
        else
                snprintf(o->report_name, sizeof(o->report_name), "noqueue-%ld-%d-%lu.json",
                         (long)time(NULL), (int)getpid(), n);
}

/* NAME.html beside NAME.json in the milter's own report folder: written to a new temporary
 * file (O_EXCL, never through a link) and renamed into place, as the JSON one. */
static void write_html_report(const char *dir, const char *json_name, struct json_object *j)
{
        _cleanup_free_ char *path = NULL, *tmp = NULL;
        size_t stem = strlen(json_name);
        int fd, r;

        if (stem > 5 && streq(json_name + stem - 5, ".json"))
                stem -= 5;
        if (asprintf(&path, "%s/%.*s.html", dir, (int)stem, json_name) < 0 ||
            asprintf(&tmp, "%s/.%.*s.html.tmp", dir, (int)stem, json_name) < 0)
                return;
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0) {
                log_warning_errno(negative_errno(), "cannot write report %s: %m", path);
                return;
        }
        r = html_report_write(fd, j);
        if (close(fd) < 0 && r >= 0)
                r = negative_errno();
        if (r >= 0 && rename(tmp, path) < 0)
                r = negative_errno();
        if (r < 0) {
                log_warning_errno(r, "cannot write report %s: %m", path);
                unlink(tmp);
        }
}

static void write_report(struct engine *e, struct conn *c, const struct mail_message *m,
                         const struct outcome *o, const char *queue_id, double ms)
{
        _cleanup_free_ char *path = NULL, *tmp = NULL;
        struct json_object *j = m ? mail_message_to_json(m) : json_object_new_object();
        const char *text;
        FILE *f;

        if (!j)
                return;
        json_object_object_add(j, "schema_version", json_object_new_int(ANALYSIS_SCHEMA_VERSION));
        json_object_object_add(j, "queue_id", json_object_new_string(queue_id ?: ""));
        json_object_object_add(j, "sender", json_object_new_string(c->sender ?: ""));
        json_object_object_add(j, "recipients", json_object_new_int((int)c->n_rcpts));
        json_object_object_add(j, "client", json_object_new_string(c->client));
        json_object_object_add(j, "message_size", json_object_new_int64((int64_t)c->total));
        json_object_object_add(j, "action",
                               json_object_new_string(mail_action_to_string(o->action)));
        if (o->error || !m)
                json_object_object_add(
                        j, "verdict",
                        json_object_new_string(o->error ? "error"
                                                        : analysis_verdict_to_string(o->verdict)));
        json_object_object_add(j, "reason", json_object_new_string(o->reason));
        json_object_object_add(j, "stripped_parts", json_object_new_int((int)o->n_stripped));
        json_object_object_add(j, "time_ms", json_object_new_double(ms));

        if (asprintf(&path, "%s/%s", e->policy.report_dir, o->report_name) < 0 ||
            asprintf(&tmp, "%s/.%s.tmp", e->policy.report_dir, o->report_name) < 0) {
                json_object_put(j);
                return;
        }
        text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE);
        f = fopen(tmp, "wxe");
        if (!f || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0 || rename(tmp, path) < 0) {
                log_warning_errno(negative_errno(), "cannot write report %s: %m", path);
                if (!f)
                        unlink(tmp);
        }
        if (e->policy.html_reports)
                write_html_report(e->policy.report_dir, o->report_name, j);
        json_object_put(j);
}

static int on_eom(struct milter_ctx *smfi)
{
        struct conn *c = conn_of(smfi);
        struct engine *e;
        struct mail_message *m = NULL;
        struct outcome o = {.verdict = ANALYSIS_CLEAN};
        const char *queue_id = milter_getsymval(smfi, "i");
        char sender[256];
        int ret;
        double ms;
        int r = 0;

        if (!c)
                return MILTER_S_TEMPFAIL;
        e = engine_get();
        if (c->oversize) {
                o.verdict = ANALYSIS_UNSCANNABLE;
                snprintf(o.reason, sizeof(o.reason),
                         "limit size (%llu bytes, max-message-size %llu)",
                         (unsigned long long)c->total,
                         (unsigned long long)e->policy.max_message_size);
        } else {
                char *data = TAKE_PTR(c->buf);

                c->size = c->alloc = 0;
                r = scan_bounded(smfi, e, queue_id ?: "message", data, c->total, &m);
        }
        if (r < 0) {
                o.error = true;
                snprintf(o.reason, sizeof(o.reason), "%s",
                         r == -ETIMEDOUT ? "scan timeout"
                         : r == -EBUSY   ? "overload: no scan slot"
                                         : strerror(-r));
                o.action = e->policy.on_error;
        } else {
                if (m) {
                        o.verdict = m->result->verdict;
                        o.score = m->result->score;
                        explain(&o, m);
                }
                o.action = mail_policy_action(&e->policy, o.verdict);
        }
        if (e->policy.report_dir)
                report_file_name(&o, queue_id);
        ret = apply(smfi, c, e, m, &o);

        ms = (double)(now_usec() - c->start_usec) / 1000.0;
        if (e->policy.report_dir)
                write_report(e, c, m, &o, queue_id, ms);
        snprintf(sender, sizeof(sender), "%s", c->sender ?: "<>");
        sanitize(sender);
        log_info("queue_id=%s from=%s size=%llu verdict=%s score=%u action=%s%s time_ms=%.1f%s%s%s",
                 queue_id ?: "NOQUEUE", sender, (unsigned long long)c->total,
                 o.error ? "error" : analysis_verdict_to_string(o.verdict), o.score,
                 mail_action_to_string(o.action),
                 o.error && o.action != MAIL_ACTION_TEMPFAIL ? " fail-open=yes" : "", ms,
                 o.reason[0] ? " reason=\"" : "", o.reason, o.reason[0] ? "\"" : "");

        mail_message_free(m);
        conn_reset_message(c);
        engine_unref(e);
        return ret;
}

static int on_abort(struct milter_ctx *smfi)
{
        struct conn *c = conn_of(smfi);

        if (c)
                conn_reset_message(c);
        return MILTER_S_CONTINUE;
}

static void on_close(struct milter_ctx *smfi)
{
        struct conn *c = conn_of(smfi);

        if (c) {
                conn_reset_message(c);
                free(c);
                milter_setpriv(smfi, NULL);
        }
}

/* HELO, DATA and unknown commands need nothing from airlock: the MTA is told to skip them
 * (it still sends their macros, "i" at DATA). No step before the end of the message waits
 * for a reply either (milter-proto.c). */
static const struct milter_callbacks milter_callbacks = {
        .connect = on_connect,
        .envfrom = on_envfrom,
        .envrcpt = on_envrcpt,
        .header = on_header,
        .eoh = on_eoh,
        .body = on_body,
        .eom = on_eom,
        .abort = on_abort,
        .close = on_close,
        .actions = MILTER_ACT_ADDHDRS | MILTER_ACT_CHGHDRS | MILTER_ACT_CHGBODY |
                   MILTER_ACT_QUARANTINE,
};

/* ---- the daemon ---- */

static int drop_privileges(const char *user, const char *unix_socket)
{
        struct passwd *pw;

        if (geteuid() != 0)
                return 0;
        pw = getpwnam(user);
        if (!pw)
                return log_error_errno(-ESRCH, "no user '%s' to run as", user);
        if (pw->pw_uid == 0)
                return log_error_errno(-EPERM, "refusing to run as root: choose --user");
        if (unix_socket && chown(unix_socket, pw->pw_uid, pw->pw_gid) < 0)
                return log_error_errno(negative_errno(), "cannot chown %s: %m", unix_socket);
        if (setgroups(0, NULL) < 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
            setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
                return log_error_errno(negative_errno(), "cannot become user %s: %m", user);
        log_info("running as user %s (uid %u)", user, (unsigned)pw->pw_uid);
        return 0;
}

static pthread_t main_thread;
static struct milter_server *server;
static volatile bool stopping;

/* Signals reach the main thread through a handler that writes their number to a pipe.
 * The kernel hands a process-directed signal to the thread-group leader whenever that thread
 * does not block it. So the main thread never blocks them (SA_NODEFER:
 * not even inside the handler), every other thread does, and a SIGHUP always lands here, even
 * while a reload is compiling rules. */
static int signal_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
        int saved = errno;
        unsigned char c = (unsigned char)sig;

        if (write(signal_pipe[1], &c, 1) < 0) {
                /* the pipe is full: signals already wait there */
        }
        errno = saved;
}

static void *milter_thread(void *userdata)
{
        int *ret = userdata;

        *ret = milter_server_run(server, &milter_callbacks, CONNECTION_TIMEOUT_SEC);
        if (!stopping)
                pthread_kill(main_thread, SIGUSR2);
        return NULL;
}

static void reload(void)
{
        struct engine *e, *old;

        if (engine_new(options, &e) < 0) {
                log_error("reload failed: keeping the running policy and rules");
                return;
        }
        /* This process has threads now: the zygote is exec'd and loads the rules itself. */
        (void)analysis_ctx_start_workers(e->ctx);
        pthread_mutex_lock(&engine_lock);
        old = current_engine;
        current_engine = e;
        pthread_mutex_unlock(&engine_lock);
        engine_unref(old);
        log_info("reloaded policy%s%s and %zu rules", options->config ? " " : "",
                 options->config ?: "", analysis_ctx_rule_count(e->ctx));
}

int milter_run(const struct milter_options *o)
{
        const char *user = o->user;
        const char *unix_socket = startswith(o->socket, "unix:")    ? o->socket + 5
                                  : startswith(o->socket, "local:") ? o->socket + 6
                                                                    : NULL;
        struct engine *e;
        sigset_t set;
        pthread_t t;
        int ret = 0, r, sig;
        bool dropped;

        options = o;
        /* The handlers first: once the socket is open the MTA or an administrator may send
         * SIGHUP at any time, and its default action would end the milter. */
        if (pipe2(signal_pipe, O_CLOEXEC) < 0 || fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK) < 0)
                return log_error_errno(negative_errno(), "cannot make a pipe: %m");
        sigemptyset(&set);
        sigaddset(&set, SIGHUP);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGUSR2);
        {
                static const int handled[] = {SIGHUP, SIGTERM, SIGINT, SIGUSR2};
                struct sigaction sa = {.sa_handler = on_signal,
                                       .sa_flags = SA_NODEFER | SA_RESTART};

                sigemptyset(&sa.sa_mask);
                for (size_t i = 0; i < ELEMENTSOF(handled); i++)
                        sigaction(handled[i], &sa, NULL);
        }
        main_thread = pthread_self();
        if (o->syslog)
                log_use_syslog("airlock-milter", LOG_MAIL);
        r = engine_new(o, &e);
        if (r < 0)
                return r;
        current_engine = e;
        if (!user)
                user = e->policy.user ?: "nobody";
        if (e->policy.report_dir && mkdir(e->policy.report_dir, 0750) < 0 && errno != EEXIST)
                return log_error_errno(negative_errno(), "cannot create %s: %m",
                                       e->policy.report_dir);
        if (e->policy.report_dir) {
                struct stat st;
                if (stat(e->policy.report_dir, &st) < 0)
                        return log_error_errno(negative_errno(), "report-dir %s: %m",
                                               e->policy.report_dir);
                if (!S_ISDIR(st.st_mode))
                        return log_error_errno(-ENOTDIR, "report-dir %s: %m", e->policy.report_dir);
        }
        if (e->policy.report_dir && geteuid() == 0) {
                struct passwd *pw = getpwnam(user);

                if (pw && chown(e->policy.report_dir, pw->pw_uid, pw->pw_gid) < 0)
                        log_warning_errno(negative_errno(), "cannot chown %s: %m",
                                          e->policy.report_dir);
        }

        r = milter_server_open(o->socket, &server);
        if (r == -EINVAL)
                return log_error_errno(r, "invalid socket '%s'", o->socket);
        if (r < 0)
                return log_error_errno(r, "cannot listen on %s: %m", o->socket);
        /* The MTA runs as its own user: the socket is open to all, as clamav-milter's is in
         * Debian; the folder it is in decides who may reach it. */
        if (unix_socket && chmod(unix_socket, 0666) < 0)
                log_warning_errno(negative_errno(), "cannot chmod %s: %m", unix_socket);
        dropped = geteuid() == 0;
        r = drop_privileges(user, unix_socket);
        if (r < 0)
                return r;
        /* A report folder the milter cannot write would fail every message: refuse it now. */
        if (e->policy.report_dir && access(e->policy.report_dir, W_OK | X_OK) < 0)
                return log_error_errno(negative_errno(), "report-dir %s: not writable%s%s: %m",
                                       e->policy.report_dir, dropped ? " by user " : "",
                                       dropped ? user : "");
        /* As the milter's user, before the listener's threads: the zygote that forks the parsing
         * workers shares the rules loaded above. */
        mail_prepare_confined();
        (void)analysis_ctx_start_workers(e->ctx);

        signal(SIGPIPE, SIG_IGN);
        /* The listener's threads are born with the signals blocked; only this one takes them. */
        pthread_sigmask(SIG_BLOCK, &set, NULL);
        r = -pthread_create(&t, NULL, milter_thread, &ret);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        if (r < 0)
                return log_error_errno(r, "cannot start: %m");
        log_info("listening on %s (max %u scans at once, scan timeout %us, on error %s)", o->socket,
                 e->policy.max_concurrency, e->policy.scan_timeout_sec,
                 mail_action_to_string(e->policy.on_error));
        if (e->policy.detonate)
                log_info("attachments that are programs or scripts are detonated (%us each, "
                         "within the scan timeout)",
                         e->policy.detonate_timeout_sec);
        if (dropped) {
                /* SIGHUP reads the policy and rules again, as the user the milter is now: find
                 * out at start-up, not at the first reload, whether that user can. */
                struct engine *probe;

                if (engine_new(o, &probe) < 0)
                        log_warning("as user %s the policy file or rules cannot be read: a reload "
                                    "(SIGHUP) will fail until they are readable by %s",
                                    user, user);
                else
                        engine_unref(probe);
        }

        for (;;) {
                unsigned char buf[64];
                bool hup = false, listener_gone = false;
                ssize_t n;

                /* Every signal that came while the last reload ran is read at once: a stop
                 * goes first, and any number of SIGHUPs is one reload (each reload loads the
                 * rules anew: seconds on a loaded machine, so a burst must not queue them). */
                n = read(signal_pipe[0], buf, sizeof(buf));
                if (n <= 0)
                        continue; /* EINTR */
                sig = 0;
                for (ssize_t i = 0; i < n; i++) {
                        if (buf[i] == SIGHUP)
                                hup = true;
                        else if (buf[i] == SIGUSR2)
                                listener_gone = true;
                        else
                                sig = buf[i];
                }
                if (sig) {
                        log_info("stopping on signal %d", sig);
                        stopping = true;
                        milter_server_stop(server);
                        break;
                }
                if (listener_gone)
                        break; /* the listener stopped on its own */
                if (hup)
                        reload();
        }
        pthread_join(t, NULL);
        slots_end_browsers();
        if (ret < 0)
                log_error("the milter listener stopped with an error");
        return ret;
}
