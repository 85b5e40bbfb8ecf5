/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/analysis-internal.h"
#include "analysis/detonate.h"
#include "analysis/json-get.h"
#include "analysis/browser.h"
#include "basic/fileio.h"
#include "basic/macro.h"
#include "basic/paths.h"
#include "basic/sha256.h"
#include "basic/base64.h"

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

#define PAGE_MAX          (16u << 20) /* larger pages are not loaded */
#define MESSAGE_MAX       (48u << 20) /* a DevTools message: a payload in base64 and JSON */
#define PAYLOADS_MAX      32          /* files kept from one page */
#define PAYLOAD_BYTES_MAX (64u << 20) /* and their sizes added up */
#define NET_MAX           16          /* network attempts reported */
#define BUDGET_LOAD_MS    90000       /* virtual time given to the page once loaded */
#define BUDGET_CLICK_MS   60000       /* and again after the click */
/* Beyond the time limit of the first page: what Chromium takes to start on a loaded machine
 * (once per batch). */
#define BROWSER_START_SEC 60
#define BINDING           "__airlockRecord" /* the name data/browser-instrument.js calls */

/* Smuggling pages aim at Windows: a page that hands its payload only to Windows sees one. */
#define WINDOWS_UA                                                                          \
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) " \
        "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0"

struct payload {
        char *api;  /* the first API that handed it over */
        char *name; /* the file name the page gave, or NULL */
        char *url;  /* the blob: or data: URL, or NULL */
        uint8_t *data;
        size_t size;
        char hex[2 * SHA256_DIGEST_SIZE + 1];
};

/* One sandboxed browser, started for the first page of a batch and kept for the next ones. */
struct browser {
        pid_t pid; /* airlock run */
        int fd;    /* our end of the DevTools socket */
        char *in;
        size_t in_len, in_size;
        unsigned next_id;
        bool gone;            /* the browser closed the pipe */
        char dir[256];        /* the host folder of the pages, bound read-only at /sample */
        unsigned pages;       /* pages loaded: page-N */
        char *script;         /* data/browser-instrument.js */
        char *airlock;        /* the launcher */
        bool fresh;           /* started, no page loaded yet: its start counts for the page */
        unsigned timeout_sec; /* per page */
};

struct page_run {
        struct browser *b;
        const char *session;
        struct timespec deadline;
        bool budget_expired;
        struct payload payloads[PAYLOADS_MAX];
        size_t n_payloads;
        size_t payload_bytes;
        char *net[NET_MAX];
        size_t n_net;
        char *screenshot; /* the rendered page, PNG in base64, or NULL */
};

static const char *const page_mimes[][2] = {
        {"text/html", ".html"},
        {"application/xhtml+xml", ".xhtml"},
        {"image/svg+xml", ".svg"},
        {"image/svg", ".svg"},
};

static const char *const page_names[] = {".html", ".htm", ".xhtml", ".svg", ".shtml"};

/* The suffix of page_names that name ends with, or NULL. */
static const char *page_name_suffix(const char *name)
{
        size_t len = strlen(name);

        for (size_t i = 0; i < ELEMENTSOF(page_names); i++) {
                size_t sl = strlen(page_names[i]);

                if (len > sl && strcasecmp(name + len - sl, page_names[i]) == 0)
                        return page_names[i];
        }
        return NULL;
}

static const char *page_suffix(const struct analysis_result *r)
{
        const char *m = r->mime ? r->mime : "";

        for (size_t i = 0; i < ELEMENTSOF(page_mimes); i++)
                if (streq(m, page_mimes[i][0]))
                        return page_mimes[i][1];
        if ((startswith(m, "text/") || streq(m, "application/xml")) && r->name) {
                const char *suffix = page_name_suffix(r->name);

                if (suffix && (streq(suffix, ".htm") || streq(suffix, ".shtml")))
                        return ".html";
                return suffix;
        }
        return NULL;
}

bool browser_may_load(const struct analysis_result *r)
{
        return page_suffix(r) != NULL;
}

static long ms_left(const struct timespec *deadline)
{
        struct timespec now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Decodes the base64 the instrumentation sent (btoa: no line breaks). Returns the number of
 * bytes written to out (at least 3/4 of strlen(s) long). */
static size_t base64_decode(const char *s, uint8_t *out)
{
        uint32_t acc = 0;
        unsigned bits = 0;
        size_t n = 0;

        for (; *s; s++) {
                int v = base64_digit((unsigned char)*s);

                if (v < 0)
                        continue;
                acc = (acc << 6) | (uint32_t)v;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        out[n++] = (uint8_t)(acc >> bits);
                }
        }
        return n;
}

static char *strdup_or_null(const char *s)
{
        return s && *s ? strdup(s) : NULL;
}

static bool is_network_url(const char *url)
{
        return startswith(url, "http:") || startswith(url, "https:") || startswith(url, "ws:") ||
               startswith(url, "wss:") || startswith(url, "ftp:");
}

static void note_network(struct page_run *p, const char *url)
{
        if (!url || !is_network_url(url) || p->n_net >= NET_MAX)
                return;
        for (size_t i = 0; i < p->n_net; i++)
                if (streq(p->net[i], url))
                        return;
        p->net[p->n_net] = strndup(url, 1024);
        if (p->net[p->n_net])
                p->n_net++;
}

/* A record of the instrumentation: a file the page handed over (kept once per content, with
 * the first name given to it), or a URL without content (a network attempt). */
static void note_record(struct page_run *p, const char *json)
{
        json_object *o = json_tokener_parse(json), *size_o;
        const char *data = jstr(o, "data"), *name = jstr(o, "name"), *url = jstr(o, "url");
        uint8_t digest[SHA256_DIGEST_SIZE];
        struct sha256_ctx c;
        struct payload *pl;
        uint8_t *bytes;
        size_t n;

        if (!o)
                return;
        size_o = jget(o, "size");
        if (!data || !size_o || json_object_get_int64(size_o) < 0) {
                note_network(p, url);
                goto out;
        }
        bytes = malloc(strlen(data) / 4 * 3 + 3);
        if (!bytes)
                goto out;
        n = base64_decode(data, bytes);
        sha256_init(&c);
        sha256_update(&c, bytes, n);
        sha256_final(&c, digest);
        for (size_t i = 0; i < p->n_payloads; i++) {
                pl = &p->payloads[i];
                if (pl->size == n && memcmp(pl->data, bytes, n) == 0) {
                        if (!pl->name)
                                pl->name = strdup_or_null(name);
                        if (!pl->url)
                                pl->url = strdup_or_null(url);
                        free(bytes);
                        goto out;
                }
        }
        if (n == 0 || p->n_payloads >= PAYLOADS_MAX || p->payload_bytes + n > PAYLOAD_BYTES_MAX) {
                free(bytes);
                goto out;
        }
        p->payload_bytes += n;
        pl = &p->payloads[p->n_payloads++];
        *pl = (struct payload){.api = strdup_or_null(jstr(o, "api")),
                               .name = strdup_or_null(name),
                               .url = strdup_or_null(url),
                               .data = bytes,
                               .size = n};
        sha256_digest_to_hex(digest, pl->hex);
out:
        json_object_put(o);
}

/* Chromium's own download: the name it would save a blob: or data: URL under. */
static void note_download(struct page_run *p, const char *url, const char *name)
{
        for (size_t i = 0; url && name && *name && i < p->n_payloads; i++)
                if (p->payloads[i].url && streq(p->payloads[i].url, url) && !p->payloads[i].name)
                        p->payloads[i].name = strdup(name);
        note_network(p, url);
}

static void handle_event(struct page_run *p, json_object *m)
{
        const char *method = jstr(m, "method"), *session = jstr(m, "sessionId");
        json_object *params = jget(m, "params");

        /* late events of the page before, whose context is gone */
        if (!method || (session && (!p->session || !streq(session, p->session))))
                return;
        if (streq(method, "Runtime.bindingCalled") && streq(jstr(params, "name") ?: "", BINDING))
                note_record(p, jstr(params, "payload") ?: "");
        else if (streq(method, "Network.requestWillBeSent"))
                note_network(p, jstr(jget(params, "request"), "url"));
        else if (streq(method, "Browser.downloadWillBegin"))
                note_download(p, jstr(params, "url"), jstr(params, "suggestedFilename"));
        else if (streq(method, "Emulation.virtualTimeBudgetExpired"))
                p->budget_expired = true;
        else if (streq(method, "Page.frameRequestedNavigation") || streq(method, "Page.windowOpen"))
                note_network(p, jstr(params, "url"));
}

/* Reads one NUL-terminated message, waiting at most until the deadline. Returns 1 and the
 * parsed message, 0 at the deadline, or a negative errno (-EPIPE: the browser went away). */
static int read_message(struct page_run *p, json_object **ret)
{
        for (;;) {
                char *end = p->b->in_len ? memchr(p->b->in, 0, p->b->in_len) : NULL;

                if (end) {
                        size_t len = (size_t)(end - p->b->in) + 1;

                        *ret = json_tokener_parse(p->b->in);
                        memmove(p->b->in, p->b->in + len, p->b->in_len - len);
                        p->b->in_len -= len;
                        if (*ret)
                                return 1;
                        continue;
                }
                long left = ms_left(&p->deadline);
                struct pollfd pfd = {.fd = p->b->fd, .events = POLLIN};

                if (left <= 0)
                        return 0;
                int k = poll(&pfd, 1, (int)MIN(left, 1000L));
                if (k < 0 && errno != EINTR)
                        return negative_errno();
                if (k <= 0)
                        continue;
                if (p->b->in_size - p->b->in_len < 65536) {
                        size_t size = p->b->in_size ? p->b->in_size * 2 : 1u << 20;
                        char *grown;

                        if (size > MESSAGE_MAX)
                                return -EMSGSIZE;
                        grown = realloc(p->b->in, size);
                        if (!grown)
                                return -ENOMEM;
                        p->b->in = grown;
                        p->b->in_size = size;
                }
                ssize_t n =
                        recv(p->b->fd, p->b->in + p->b->in_len, p->b->in_size - p->b->in_len, 0);
                if (n < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                if (n <= 0) {
                        p->b->gone = true;
                        return n < 0 ? negative_errno() : -EPIPE;
                }
                p->b->in_len += (size_t)n;
        }
}

/* Sends all of buf; a browser that went away is an error, not SIGPIPE. */
static int send_all(int fd, const char *buf, size_t n)
{
        while (n > 0) {
                ssize_t k = send(fd, buf, n, MSG_NOSIGNAL);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return negative_errno();
                buf += k;
                n -= (size_t)k;
        }
        return 0;
}

/* Sends method with params (consumed; NULL: none) to the page's session (or the browser when
 * to_browser) without waiting for the answer. Returns the call's id (> 0) or a negative errno. */
static int cdp_send(struct page_run *p, bool to_browser, const char *method, json_object *params)
{
        json_object *msg = json_object_new_object();
        unsigned id = ++p->b->next_id;
        const char *text;
        int k;

        if (!msg) {
                json_object_put(params);
                return -ENOMEM;
        }
        json_object_object_add(msg, "id", json_object_new_int64(id));
        json_object_object_add(msg, "method", json_object_new_string(method));
        json_object_object_add(msg, "params", params ?: json_object_new_object());
        if (!to_browser && p->session)
                json_object_object_add(msg, "sessionId", json_object_new_string(p->session));
        text = json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN);
        k = text ? send_all(p->b->fd, text, strlen(text) + 1) : -ENOMEM;
        json_object_put(msg);
        return k < 0 ? k : (int)(id & INT32_MAX);
}

/* Handles events until the answers to the n calls sent with the ids from first on have come
 * (answers to calls given up on before are dropped). Returns 0 and the result of the call want
 * (a new reference, when ret is not NULL), -EPROTO when an answer was an error, -ETIME at the
 * deadline, or a negative errno. */
static int cdp_wait(struct page_run *p, unsigned first, unsigned n, unsigned want,
                    json_object **ret)
{
        unsigned left = n;
        int error = 0, k;

        while (left > 0) {
                json_object *answer = NULL, *idv;
                unsigned id;

                k = read_message(p, &answer);
                if (k <= 0)
                        return k == 0 ? -ETIME : k;
                idv = jget(answer, "id");
                if (!idv) {
                        handle_event(p, answer);
                        json_object_put(answer);
                        continue;
                }
                id = (unsigned)json_object_get_int64(idv);
                if (id >= first && id - first < n) {
                        left--;
                        if (jget(answer, "error"))
                                error = -EPROTO;
                        else if (ret && id == want)
                                *ret = json_object_get(jget(answer, "result"));
                }
                json_object_put(answer);
        }
        return error;
}

/* Sends a call and handles events until its answer comes: cdp_send() and cdp_wait(). */
static int cdp_call(struct page_run *p, bool to_browser, const char *method, json_object *params,
                    json_object **ret)
{
        int id = cdp_send(p, to_browser, method, params);

        return id < 0 ? id : cdp_wait(p, (unsigned)id, 1, (unsigned)id, ret);
}

/* Calls sent one after the other without waiting, then waited for together: on a loaded
 * machine each round trip waits for the browser to be scheduled. */
struct cdp_batch {
        unsigned first, n;
        int error;
};

static void batch_send(struct page_run *p, struct cdp_batch *b, bool to_browser, const char *method,
                       json_object *params)
{
        int id;

        if (b->error < 0) {
                json_object_put(params);
                return;
        }
        id = cdp_send(p, to_browser, method, params);
        if (id < 0)
                b->error = id;
        else if (b->n++ == 0)
                b->first = (unsigned)id;
}

/* Waits for the answers of the batch. Returns 0, or the first error (as cdp_wait()). */
static int batch_wait(struct page_run *p, struct cdp_batch *b)
{
        int k = b->n ? cdp_wait(p, b->first, b->n, 0, NULL) : 0;

        return b->error < 0 ? b->error : k;
}

/* Handles events until the virtual time budget runs out, at most ms milliseconds. */
static void wait_budget(struct page_run *p, long ms)
{
        struct timespec saved = p->deadline, now;

        clock_gettime(CLOCK_MONOTONIC, &now);
        if (ms < ms_left(&saved)) {
                p->deadline.tv_sec = now.tv_sec + ms / 1000;
                p->deadline.tv_nsec = now.tv_nsec + (ms % 1000) * 1000000;
                if (p->deadline.tv_nsec >= 1000000000) {
                        p->deadline.tv_sec++;
                        p->deadline.tv_nsec -= 1000000000;
                }
        }
        p->budget_expired = false;
        while (!p->budget_expired) {
                json_object *m = NULL;

                if (read_message(p, &m) <= 0)
                        break;
                handle_event(p, m);
                json_object_put(m);
        }
        p->deadline = saved;
}

static json_object *params_new(const char *key, json_object *value)
{
        json_object *o = json_object_new_object();

        if (o && key)
                json_object_object_add(o, key, value);
        return o;
}

static json_object *virtual_time(const char *policy, int budget_ms)
{
        json_object *o = params_new("policy", json_object_new_string(policy));

        if (o && budget_ms > 0)
                json_object_object_add(o, "budget", json_object_new_int(budget_ms));
        return o;
}

static int set_virtual_time(struct page_run *p, const char *policy, int budget_ms)
{
        return cdp_call(p, false, "Emulation.setVirtualTimePolicy", virtual_time(policy, budget_ms),
                        NULL);
}

static int evaluate(struct page_run *p, const char *expression, json_object **ret_value)
{
        json_object *o = params_new("expression", json_object_new_string(expression)), *res = NULL;
        int k;

        if (o)
                json_object_object_add(o, "returnByValue", json_object_new_boolean(true));
        k = cdp_call(p, false, "Runtime.evaluate", o, &res);
        if (k >= 0)
                *ret_value = json_object_get(jget(jget(res, "result"), "value"));
        json_object_put(res);
        return k;
}

/* Clicks (trusted mouse events) the middle of the page and the first four links and buttons. */
static void click_page(struct page_run *p)
{
        static const char expr[] =
                "(() => { const out = [[innerWidth / 2, innerHeight / 2]];"
                " for (const e of document.querySelectorAll('a, button, input[type=button],"
                " input[type=submit], input[type=image], [onclick], [role=button]')) {"
                " const r = e.getBoundingClientRect();"
                " if (r.width > 0 && r.height > 0 && out.length <= 4)"
                " out.push([r.x + r.width / 2, r.y + r.height / 2]); } return out; })()";
        json_object *points = NULL;

        if (evaluate(p, expr, &points) < 0 || !json_object_is_type(points, json_type_array)) {
                json_object_put(points);
                return;
        }
        struct cdp_batch batch = {0};

        for (size_t i = 0; i < json_object_array_length(points); i++) {
                json_object *pt = json_object_array_get_idx(points, i);
                static const char *const kinds[] = {"mousePressed", "mouseReleased"};

                for (size_t j = 0; j < ELEMENTSOF(kinds); j++) {
                        json_object *o = params_new("type", json_object_new_string(kinds[j]));

                        if (!o)
                                break;
                        json_object_object_add(o, "x",
                                               json_object_get(json_object_array_get_idx(pt, 0)));
                        json_object_object_add(o, "y",
                                               json_object_get(json_object_array_get_idx(pt, 1)));
                        json_object_object_add(o, "button", json_object_new_string("left"));
                        json_object_object_add(o, "clickCount", json_object_new_int(1));
                        batch_send(p, &batch, false, "Input.dispatchMouseEvent", o);
                }
        }
        (void)batch_wait(p, &batch);
        json_object_put(points);
}

/* The page's password fields, and where their form sends them: "N field(s), action URL". */
static void credential_form(struct page_run *p, char *buf, size_t size)
{
        static const char expr[] =
                "(() => { const f = document.querySelectorAll('input[type=password]');"
                " return f.length ? f.length + ' password field(s), form action ' +"
                " ((f[0].form && f[0].form.action) || '(none)') : ''; })()";
        json_object *v = NULL;

        buf[0] = 0;
        if (evaluate(p, expr, &v) >= 0 && json_object_is_type(v, json_type_string))
                snprintf(buf, size, "%s", json_object_get_string(v));
        json_object_put(v);
}

/* A picture of the page as rendered, for the HTML report: time runs again so that a frame is
 * drawn; a page that cannot be drawn in time has none. */
#define SCREENSHOT_MAX (4u << 20) /* base64 characters */
static void screenshot(struct page_run *p)
{
        json_object *o = params_new("format", json_object_new_string("png")), *res = NULL;
        const char *data;

        int id;

        if (!o || p->b->gone) {
                json_object_put(o);
                return;
        }
        id = cdp_send(p, false, "Emulation.setVirtualTimePolicy", virtual_time("advance", 0));
        id = id < 0 ? id : cdp_send(p, false, "Page.captureScreenshot", o);
        if (id < 0 || cdp_wait(p, (unsigned)id - 1, 2, (unsigned)id, &res) < 0)
                return;
        data = jstr(res, "data");
        if (data && strlen(data) <= SCREENSHOT_MAX)
                p->screenshot = strdup(data);
        json_object_put(res);
}

/* Opens the page's target (in the browser context given) and session, installs the
 * instrumentation, navigates with virtual time, clicks, and lets the clicked page run. Returns 0
 * or a negative errno. */
static int drive(struct page_run *p, const char *context, const char *url, char *cred,
                 size_t cred_size)
{
        json_object *res = NULL, *o;
        _cleanup_free_ char *session = NULL;
        struct cdp_batch batch = {0};
        const char *target;
        int k;

        o = params_new("url", json_object_new_string("about:blank"));
        if (o)
                json_object_object_add(o, "browserContextId", json_object_new_string(context));
        k = cdp_call(p, true, "Target.createTarget", o, &res);
        if (k < 0)
                return k;
        target = jstr(res, "targetId");
        o = params_new("targetId", json_object_new_string(target ?: ""));
        if (o)
                json_object_object_add(o, "flatten", json_object_new_boolean(true));
        json_object_put(res);
        res = NULL;
        k = cdp_call(p, true, "Target.attachToTarget", o, &res);
        if (k < 0)
                return k;
        session = strdup_or_null(jstr(res, "sessionId"));
        json_object_put(res);
        if (!session)
                return -EPROTO;
        p->session = session;

        batch_send(p, &batch, false, "Runtime.enable", NULL);
        batch_send(p, &batch, false, "Runtime.addBinding",
                   params_new("name", json_object_new_string(BINDING)));
        batch_send(p, &batch, false, "Page.enable", NULL);
        batch_send(p, &batch, false, "Network.enable", NULL);
        batch_send(p, &batch, false, "Page.addScriptToEvaluateOnNewDocument",
                   params_new("source", json_object_new_string(p->b->script)));
        o = params_new("userAgent", json_object_new_string(WINDOWS_UA));
        if (o)
                json_object_object_add(o, "platform", json_object_new_string("Win32"));
        batch_send(p, &batch, false, "Emulation.setUserAgentOverride", o);
        /* Saved inside the sandbox only: the instrumentation sends the bytes. */
        o = params_new("behavior", json_object_new_string("allowAndName"));
        if (o) {
                json_object_object_add(o, "downloadPath", json_object_new_string("/tmp/downloads"));
                json_object_object_add(o, "eventsEnabled", json_object_new_boolean(true));
                json_object_object_add(o, "browserContextId", json_object_new_string(context));
        }
        batch_send(p, &batch, true, "Browser.setDownloadBehavior", o);
        batch_send(p, &batch, false, "Emulation.setVirtualTimePolicy", virtual_time("pause", 0));
        k = batch_wait(p, &batch);
        if (k < 0)
                goto out;
        /* once the instrumentation is in place: the page, then its timers on virtual time */
        batch = (struct cdp_batch){0};
        batch_send(p, &batch, false, "Page.navigate",
                   params_new("url", json_object_new_string(url)));
        batch_send(p, &batch, false, "Emulation.setVirtualTimePolicy",
                   virtual_time("pauseIfNetworkFetchesPending", BUDGET_LOAD_MS));
        k = batch_wait(p, &batch);
        if (k < 0)
                goto out;
        wait_budget(p, 4000);
        /* before the click, which may submit the form */
        credential_form(p, cred, cred_size);
        click_page(p);
        k = set_virtual_time(p, "pauseIfNetworkFetchesPending", BUDGET_CLICK_MS);
        if (k >= 0)
                wait_budget(p, 2000);
        /* a round trip, for records of blobs read asynchronously */
        res = NULL;
        (void)evaluate(p, "0", &res);
        json_object_put(res);
        screenshot(p);
        k = 0;
out:
        p->session = NULL;
        return k;
}

static int read_page(int fd, uint8_t **ret, size_t *ret_size, char hex[2 * SHA256_DIGEST_SIZE + 1])
{
        _cleanup_free_ uint8_t *buf = NULL;
        uint8_t digest[SHA256_DIGEST_SIZE];
        struct sha256_ctx c;
        size_t size = 0, cap = 0;
        ssize_t n;

        for (;;) {
                if (size == cap) {
                        uint8_t *b;

                        if (cap >= PAGE_MAX)
                                return -EFBIG;
                        cap = cap ? cap * 2 : 65536;
                        b = realloc(buf, cap);
                        if (!b)
                                return -ENOMEM;
                        buf = b;
                }
                n = pread(fd, buf + size, cap - size, (off_t)size);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        break;
                size += (size_t)n;
        }
        sha256_init(&c);
        sha256_update(&c, buf, size);
        sha256_final(&c, digest);
        sha256_digest_to_hex(digest, hex);
        *ret = TAKE_PTR(buf);
        *ret_size = size;
        return 0;
}

/* Debian's /usr/bin/chromium is a shell script that runs eleven programs (uname, grep, expr,
 * findmnt...) before the browser, each traced in the sandbox: the browser itself is started,
 * with the flags of /etc/chromium.d that matter here. */
#define CHROMIUM_BINARY "/usr/lib/chromium/chromium"

static pid_t spawn_browser(const char *airlock, const char *dir, int sock)
{
        const char *argv[80];
        size_t a = 0;
        pid_t pid, parent = getpid();

        argv[a++] = airlock;
        argv[a++] = "run";
        argv[a++] = "--net";
        argv[a++] = "sinkhole";
        /* Nothing reads the trace of the browser (its findings come over the DevTools pipe):
         * without a round trip to the monitor for each of Chromium's opens and IPC sends, the
         * sinkhole stays and a page's verdict takes about a second less CPU. */
        argv[a++] = "--trace-exec-only";
        /* Each page has its own deadline (the driver's); this bounds a batch. */
        argv[a++] = "--timeout";
        argv[a++] = "3600";
        /* what the chromium profile gives the browser, without its network and its folders */
        argv[a++] = "--allow-userns";
        argv[a++] = "--pids";
        argv[a++] = "2048";
        argv[a++] = "--memory";
        argv[a++] = "4G";
        argv[a++] = "--memory-rlimit";
        argv[a++] = "data";
        argv[a++] = "--ro-bind-try";
        argv[a++] = "/etc/fonts";
        argv[a++] = "/etc/fonts";
        /* without its cache, fontconfig reads every font anew on each start: seconds */
        argv[a++] = "--ro-bind-try";
        argv[a++] = "/var/cache/fontconfig";
        argv[a++] = "/var/cache/fontconfig";
        argv[a++] = "--ro-bind-try";
        argv[a++] = "/etc/chromium.d";
        argv[a++] = "/etc/chromium.d";
        argv[a++] = "--ro-bind-try";
        argv[a++] = "/etc/chromium";
        argv[a++] = "/etc/chromium";
        /* the pages of the batch, written one at a time by the host */
        argv[a++] = "--ro-bind";
        argv[a++] = dir;
        argv[a++] = "/sample";
        argv[a++] = "--pass-fd";
        argv[a++] = "3";
        argv[a++] = "--pass-fd";
        argv[a++] = "4";
        argv[a++] = "--";
        argv[a++] = access(CHROMIUM_BINARY, X_OK) == 0 ? CHROMIUM_BINARY : "chromium";
        argv[a++] = "--headless";
        argv[a++] = "--disable-gpu";
        argv[a++] = "--no-first-run";
        argv[a++] = "--no-default-browser-check";
        argv[a++] = "--disable-background-networking";
        argv[a++] = "--disable-component-update";
        argv[a++] = "--disable-sync";
        argv[a++] = "--disable-extensions";
        argv[a++] = "--disable-default-apps";
        argv[a++] = "--disable-pings";
        argv[a++] = "--disable-domain-reliability";
        argv[a++] = "--disable-client-side-phishing-detection";
        argv[a++] = "--no-service-autorun";
        argv[a++] = "--media-router=0";
        /* no keyring probing over D-Bus: the sandbox has no bus */
        argv[a++] = "--password-store=basic";
        argv[a++] = "--disable-breakpad";
        /* the sandbox's /dev/shm is small */
        argv[a++] = "--disable-dev-shm-usage";
        /* SpareRendererForSitePerProcess: renderers started ahead of the next navigation, 7
         * zygote forks for one page instead of 5, CPU a detonation wants for the page */
        argv[a++] = "--disable-features=Translate,OptimizationHints,MediaRouter,"
                    "DialMediaRouteProvider,AutofillServerCommunication,"
                    "CertificateTransparencyComponentUpdater,SpareRendererForSitePerProcess";
        argv[a++] = "--mute-audio";
        argv[a++] = "--remote-debugging-pipe";
        argv[a++] = "--user-data-dir=/tmp/chromium";
        argv[a++] = "about:blank";
        argv[a] = NULL;
        assert(a < ELEMENTSOF(argv));

        pid = fork();
        if (pid != 0)
                return pid;
        /* A browser kept for a batch ends with the program that drives it. */
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
                _exit(125);
        /* Chromium reads fd 3 and writes fd 4: both are our socket's other end. Both copies
         * sit above them: another thread may have freed fd 3 or 4 just before the fork, and
         * /dev/null opened there would be replaced by the socket before it is dup'd to 0-2. */
        int s = fcntl(sock, F_DUPFD, 10), dev_null = open("/dev/null", O_RDWR | O_CLOEXEC);
        int null = dev_null < 0 ? -1 : fcntl(dev_null, F_DUPFD_CLOEXEC, 10);

        if (s < 0 || null < 0 || dup2(s, 3) < 0 || dup2(s, 4) < 0 || dup2(null, 0) < 0 ||
            dup2(null, 1) < 0 || dup2(null, 2) < 0)
                _exit(125);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
}

static void reap(pid_t pid)
{
        int status;

        for (int i = 0; i < 100; i++) {
                if (waitpid(pid, &status, WNOHANG) == pid)
                        return;
                if (i == 50)
                        kill(pid, SIGTERM);
                usleep(20000);
        }
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
}

/* What a page may hand over without being called a smuggler: data a user would download. */
static bool deliverable(const struct analysis_result *c)
{
        static const char *const kinds[] = {"application/x-",
                                            "application/zip",
                                            "application/vnd.",
                                            "application/java",
                                            "application/octet-stream",
                                            "application/gzip",
                                            "text/x-",
                                            "application/hta",
                                            "application/msword",
                                            "application/x-iso9660-image"};
        const char *m = c->mime ? c->mime : "";

        if (c->verdict != ANALYSIS_CLEAN || heuristics_is_executable(c))
                return true;
        if (streq(m, "application/vnd.ms-excel") || streq(m, "text/csv"))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(kinds); i++)
                if (startswith(m, kinds[i]))
                        return true;
        return false;
}

/* Each file the page handed over becomes a child judged by the static engine; the page gets one
 * smuggling finding naming those worth smuggling, and a note naming the others. */
static int report_payloads(struct page_run *p, struct analysis_result *r, struct analysis_ctx *ctx,
                           bool svg)
{
        char smuggled[512] = "", handed[512] = "";
        int k = 0;

        for (size_t i = 0; i < p->n_payloads; i++) {
                struct payload *pl = &p->payloads[i];
                struct analysis_result *child = NULL;
                char name[96];

                if (pl->name) {
                        const char *base = strrchr(pl->name, '/') ?: strrchr(pl->name, '\\');
                        snprintf(name, sizeof(name), "%s", base && base[1] ? base + 1 : pl->name);
                } else
                        snprintf(name, sizeof(name), "payload-%zu", i + 1);
                k = analysis_scan_buffer_child(ctx, r, name, pl->data, pl->size, &child);
                if (k < 0)
                        return k;
                analysis_result_finalize(child);
                if (deliverable(child))
                        detonate_append(smuggled, sizeof(smuggled), "%s: %s (%s, %zu bytes)",
                                        pl->api ?: "script", name, child->mime ?: "data", pl->size);
                else
                        detonate_append(handed, sizeof(handed), "%s: %s (%s, %zu bytes)",
                                        pl->api ?: "script", name, child->mime ?: "data", pl->size);
        }
        if (smuggled[0])
                k = analysis_result_add_finding(
                        r, svg ? "browser.svg_smuggling" : "browser.html_smuggling",
                        ANALYSIS_SEVERITY_HIGH, svg ? "T1027.017" : "T1027.006",
                        svg ? "the image's script builds a file in the browser and hands it over "
                              "as a download (SVG smuggling)"
                            : "the page's script builds a file in the browser and hands it over "
                              "as a download (HTML smuggling)",
                        smuggled, "detonation");
        if (k >= 0 && handed[0])
                k = analysis_result_add_finding(r, "browser.download", ANALYSIS_SEVERITY_INFO, NULL,
                                                "the page's script hands over data it built "
                                                "(judged by its own content)",
                                                handed, "detonation");
        return k;
}

static int report(struct page_run *p, struct analysis_result *r, struct analysis_ctx *ctx, bool svg,
                  const char *cred, int driven, double seconds)
{
        char note[256], urls[512] = "";
        int k = report_payloads(p, r, ctx, svg);

        for (size_t i = 0; i < p->n_net; i++)
                detonate_append(urls, sizeof(urls), "%s", p->net[i]);
        if (k >= 0 && urls[0])
                k = analysis_result_add_finding(r, "browser.network", ANALYSIS_SEVERITY_INFO,
                                                "T1071.001", "the page tried to reach the network",
                                                urls, "detonation");
        if (k >= 0 && cred[0])
                k = analysis_result_add_finding(
                        r, "browser.credential_form", ANALYSIS_SEVERITY_INFO, NULL,
                        "the rendered page asks for a password", cred, "detonation");
        snprintf(note, sizeof(note), "%s; %.1f s; %zu file%s handed over, %zu network attempt%s",
                 driven < 0 ? strerror(-driven) : "loaded and clicked", seconds, p->n_payloads,
                 p->n_payloads == 1 ? "" : "s", p->n_net, p->n_net == 1 ? "" : "s");
        if (k >= 0)
                k = analysis_result_add_finding(
                        r, driven < 0 && !p->n_payloads ? "detonation.failed" : "browser.loaded",
                        ANALYSIS_SEVERITY_INFO, NULL,
                        "loaded in headless Chromium in airlock run --net sinkhole", note,
                        "detonation");
        return k;
}

static void page_run_done(struct page_run *p)
{
        for (size_t i = 0; i < p->n_payloads; i++) {
                free(p->payloads[i].api);
                free(p->payloads[i].name);
                free(p->payloads[i].url);
                free(p->payloads[i].data);
        }
        for (size_t i = 0; i < p->n_net; i++)
                free(p->net[i]);
        free(p->screenshot);
}

/* Ends the browser: asked to close, then its sandbox is ended. */
static void browser_stop(struct browser *b)
{
        if (b->pid > 0) {
                if (!b->gone && b->fd >= 0) {
                        struct page_run p = {.b = b};

                        clock_gettime(CLOCK_MONOTONIC, &p.deadline);
                        p.deadline.tv_sec += 2;
                        (void)cdp_call(&p, true, "Browser.close", NULL, NULL);
                }
                b->fd = safe_close(b->fd);
                reap(b->pid);
                b->pid = 0;
        }
        b->fd = safe_close(b->fd);
        free(b->in);
        b->in = NULL;
        b->in_len = b->in_size = 0;
        b->gone = false;
}

void browser_free(struct browser *b)
{
        if (!b)
                return;
        browser_stop(b);
        if (b->dir[0])
                (void)rmdir(b->dir);
        free(b->script);
        free(b->airlock);
        free(b);
}

static int browser_new(const char *airlock, struct browser **ret)
{
        _cleanup_free_ char *script_path = NULL;
        struct browser *b = calloc(1, sizeof(*b));
        int k;

        if (!b)
                return -ENOMEM;
        b->fd = -1;
        /* its own copy: a browser outlives the call that started it */
        b->airlock = strdup(airlock);
        k = b->airlock ? data_path("data/browser-instrument.js", &script_path) : -ENOMEM;
        if (k >= 0)
                k = read_full_file(script_path, &b->script, NULL, 1u << 20);
        if (k >= 0) {
                /* $TMPDIR as mkdtemp(1) takes it, when it is an absolute path that fits */
                const char *t = secure_getenv("TMPDIR");
                if (!t || t[0] != '/' || strlen(t) > sizeof(b->dir) - 32)
                        t = "/tmp";
                snprintf(b->dir, sizeof(b->dir), "%s/airlock-pages.XXXXXX", t);
                if (!mkdtemp(b->dir)) {
                        k = negative_errno();
                        b->dir[0] = 0;
                } else
                        (void)chmod(b->dir, 0755);
        }
        if (k < 0) {
                browser_free(b);
                return k;
        }
        *ret = b;
        return 0;
}

static int browser_start(struct browser *b)
{
        int sv[2];

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return negative_errno();
        b->pid = spawn_browser(b->airlock, b->dir, sv[1]);
        safe_close(sv[1]);
        if (b->pid < 0) {
                int k = negative_errno();

                b->pid = 0;
                safe_close(sv[0]);
                return k;
        }
        b->fd = sv[0];
        b->fresh = true;
        return 0;
}

/* A fresh browser context (its own cookies, storage, cache, service workers) for one page.
 * Returns 0 and its id, or a negative errno. */
static int context_new(struct page_run *p, char **ret)
{
        json_object *res = NULL;
        int k = cdp_call(p, true, "Target.createBrowserContext", NULL, &res);

        if (k >= 0) {
                *ret = strdup_or_null(jstr(res, "browserContextId"));
                k = *ret ? 0 : -EPROTO;
        }
        json_object_put(res);
        return k;
}

static double seconds_since(const struct timespec *start)
{
        struct timespec end;

        clock_gettime(CLOCK_MONOTONIC, &end);
        return (double)(end.tv_sec - start->tv_sec) + (double)(end.tv_nsec - start->tv_nsec) / 1e9;
}

/* Loads one page, whose content is content, in the browser b (started when it is not running)
 * and reports on r. */
static int load_page(struct browser *b, struct analysis_result *r, struct analysis_ctx *ctx,
                     const char *suffix, const uint8_t *content, size_t size)
{
        char page[sizeof(b->dir) + 48], inside[48], url[64], cred[512] = "";
        _cleanup_free_ char *context = NULL;
        struct page_run p = {.b = b};
        struct timespec start;
        bool keep = true, kept = b->pid > 0 && !b->fresh;
        int k, driven;

        clock_gettime(CLOCK_MONOTONIC, &start);
        p.deadline = start;
        p.deadline.tv_sec += b->timeout_sec;
        if (b->pid <= 0) {
                k = browser_start(b);
                if (k < 0)
                        return k;
        }
        /* a browser started for this page, here or ahead of it (browser_prestart()) */
        if (!kept)
                p.deadline.tv_sec += BROWSER_START_SEC;
        b->fresh = false;
        b->pages++;
        snprintf(page, sizeof(page), "%s/page-%u%s", b->dir, b->pages, suffix);
        snprintf(inside, sizeof(inside), "/sample/page-%u%s", b->pages, suffix);
        snprintf(url, sizeof(url), "file://%s", inside);
        {
                _cleanup_close_ int out =
                        open(page, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);

                k = out < 0 ? negative_errno() : loop_write(out, content, size);
        }
        if (k < 0) {
                unlink(page);
                return k;
        }
        driven = context_new(&p, &context);
        if (driven >= 0)
                driven = drive(&p, context, url, cred, sizeof(cred));
        if (context && !b->gone) {
                json_object *o = params_new("browserContextId", json_object_new_string(context));

                p.session = NULL;
                /* a context that cannot be disposed of would leak into the next page */
                keep = cdp_call(&p, true, "Target.disposeBrowserContext", o, NULL) >= 0;
        }
        unlink(page);
        /* A browser that missed its deadline or kept a context is not used again. */
        if (driven < 0 || !keep || b->gone)
                browser_stop(b);
        /* A kept browser gives a page only its own time, a new one adds its start's: a page
         * that found nothing before its deadline in a kept browser (a loaded machine) is
         * loaded once more in a new one, so that keeping browsers never judges a page on less
         * time than starting one for it would. */
        if (kept && driven < 0 && !p.n_payloads) {
                page_run_done(&p);
                return load_page(b, r, ctx, suffix, content, size);
        }
        k = report(&p, r, ctx, streq(suffix, ".svg"), cred, driven, seconds_since(&start));
        if (k >= 0 && p.screenshot) {
                json_object *d = params_new("screenshot", json_object_new_string(p.screenshot));

                free(r->detonation);
                r->detonation =
                        d ? strdup(json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN))
                          : NULL;
                json_object_put(d);
        }
        page_run_done(&p);
        return k < 0 ? k : 1;
}

int browser_prestart(struct browser **browser, const char *airlock, const char *path)
{
        int k;

        if (!page_name_suffix(path))
                return 0;
        if (!*browser) {
                k = browser_new(airlock, browser);
                if (k < 0)
                        return k;
        }
        if ((*browser)->pid > 0)
                return 0;
        k = browser_start(*browser);
        return k < 0 ? k : 1;
}

int browser_detonate(struct browser **browser, struct analysis_result *r, int fd,
                     struct analysis_ctx *ctx, const char *airlock, unsigned timeout_sec)
{
        const char *suffix = page_suffix(r);
        char hex[2 * SHA256_DIGEST_SIZE + 1];
        _cleanup_free_ uint8_t *content = NULL;
        size_t size;
        int k;

        if (!suffix || !ctx)
                return 0;
        k = read_page(fd, &content, &size, hex);
        if (k < 0)
                return k;
        if (r->sha256 && !streq(hex, r->sha256))
                return analysis_result_add_finding(
                               r, "detonation.changed", ANALYSIS_SEVERITY_INFO, NULL,
                               "the file changed after it was scanned; not loaded", hex,
                               "detonation") < 0
                               ? -ENOMEM
                               : 0;
        if (!*browser) {
                k = browser_new(airlock, browser);
                if (k < 0)
                        return k;
        }
        (*browser)->timeout_sec = timeout_sec;
        return load_page(*browser, r, ctx, suffix, content, size);
}

#define CONTAINER_MAX (256u << 20) /* larger archives and messages are not opened again */

/* Reads fd until its end into a new memfd, at most max bytes. Returns the memfd or a negative
 * errno (-EFBIG: more than max). */
static int drain_to_memfd(int fd, size_t max)
{
        _cleanup_close_ int out = memfd_create("airlock-member", MFD_CLOEXEC);
        char buf[65536];
        size_t total = 0;

        if (out < 0)
                return negative_errno();
        for (;;) {
                ssize_t n = read(fd, buf, sizeof(buf));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        break;
                total += (size_t)n;
                if (total > max)
                        return -EFBIG;
                int k = loop_write(out, buf, (size_t)n);
                if (k < 0)
                        return k;
        }
        return TAKE_FD(out);
}

/* The content of r, a member at any depth of the archive or message container (a file on
 * disk), taken out by data/member-extract.py inside airlock run --net none (the host does not
 * parse the container again) and found by r's SHA-256. Returns a memfd holding it, or a
 * negative errno (-ENOENT: not found). */
static int member_fd(const struct analysis_result *container, const struct analysis_result *r,
                     const char *airlock)
{
        _cleanup_free_ char *script_path = NULL, *script = NULL;
        _cleanup_close_ int in = -1, out = -1;
        int pipefd[2], status, k;
        struct stat st;
        pid_t pid;

        if (!container->path || !r->sha256)
                return -ENOENT;
        k = data_path("data/member-extract.py", &script_path);
        if (k >= 0)
                k = read_full_file(script_path, &script, NULL, 1u << 20);
        if (k < 0)
                return k;
        in = open(container->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (in < 0)
                return negative_errno();
        if (fstat(in, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != container->size ||
            (uint64_t)st.st_size > CONTAINER_MAX)
                return -EFBIG;
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return negative_errno();
        const char *argv[] = {airlock,   "run", "--net", "none", "--timeout", "30", "--",
                              "python3", "-I",  "-c",    script, r->sha256,   NULL};
        pid = fork();
        if (pid == 0) {
                int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

                if (null < 0 || dup2(in, 0) < 0 || dup2(pipefd[1], 1) < 0 || dup2(null, 2) < 0)
                        _exit(125);
                execvp(argv[0], (char *const *)argv);
                _exit(127);
        }
        safe_close(pipefd[1]);
        if (pid < 0) {
                safe_close(pipefd[0]);
                return negative_errno();
        }
        out = drain_to_memfd(pipefd[0], PAGE_MAX);
        safe_close(pipefd[0]);
        if (out < 0)
                kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return negative_errno();
        if (out < 0)
                return out;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return -ENOENT;
        return TAKE_FD(out);
}

int browser_detonate_member(struct browser **browser, const struct analysis_result *container,
                            struct analysis_result *r, struct analysis_ctx *ctx,
                            const char *airlock, unsigned timeout_sec)
{
        _cleanup_close_ int fd = -1;

        if (!browser_may_load(r) || !ctx)
                return 0;
        fd = member_fd(container, r, airlock);
        if (fd < 0)
                return fd;
        /* browser_detonate() reads it with pread and checks its SHA-256 again */
        return browser_detonate(browser, r, fd, ctx, airlock, timeout_sec);
}
