/* SPDX-License-Identifier: LGPL-2.1-or-later */
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
/* Beyond the time limit of a sample: what Chromium takes to start on a loaded machine. */
#define BROWSER_START_SEC 20
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

struct page_run {
        int fd; /* our end of the DevTools socket */
        char *in;
        size_t in_len, in_size;
        unsigned next_id;
        const char *session;
        struct timespec deadline;
        bool budget_expired;
        struct payload payloads[PAYLOADS_MAX];
        size_t n_payloads;
        size_t payload_bytes;
        char *net[NET_MAX];
        size_t n_net;
        bool gone;        /* the browser closed the pipe */
        char *screenshot; /* the rendered page, PNG in base64, or NULL */
};

static const char *const page_mimes[][2] = {
        {"text/html", ".html"},
        {"application/xhtml+xml", ".xhtml"},
        {"image/svg+xml", ".svg"},
        {"image/svg", ".svg"},
};

static const char *page_suffix(const struct analysis_result *r)
{
        static const char *const by_name[] = {".html", ".htm", ".xhtml", ".svg", ".shtml"};
        const char *m = r->mime ? r->mime : "";

        for (size_t i = 0; i < ELEMENTSOF(page_mimes); i++)
                if (streq(m, page_mimes[i][0]))
                        return page_mimes[i][1];
        if ((startswith(m, "text/") || streq(m, "application/xml")) && r->name) {
                size_t len = strlen(r->name);

                for (size_t i = 0; i < ELEMENTSOF(by_name); i++) {
                        size_t sl = strlen(by_name[i]);

                        if (len > sl && strcasecmp(r->name + len - sl, by_name[i]) == 0)
                                return streq(by_name[i], ".htm") || streq(by_name[i], ".shtml")
                                               ? ".html"
                                               : by_name[i];
                }
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

static int b64_value(int c)
{
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes the base64 the instrumentation sent (btoa: no line breaks). Returns the number of
 * bytes written to out (at least 3/4 of strlen(s) long). */
static size_t base64_decode(const char *s, uint8_t *out)
{
        uint32_t acc = 0;
        unsigned bits = 0;
        size_t n = 0;

        for (; *s; s++) {
                int v = b64_value((unsigned char)*s);

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
        const char *method = jstr(m, "method");
        json_object *params = jget(m, "params");

        if (!method)
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
                char *end = p->in_len ? memchr(p->in, 0, p->in_len) : NULL;

                if (end) {
                        size_t len = (size_t)(end - p->in) + 1;

                        *ret = json_tokener_parse(p->in);
                        memmove(p->in, p->in + len, p->in_len - len);
                        p->in_len -= len;
                        if (*ret)
                                return 1;
                        continue;
                }
                long left = ms_left(&p->deadline);
                struct pollfd pfd = {.fd = p->fd, .events = POLLIN};

                if (left <= 0)
                        return 0;
                int k = poll(&pfd, 1, (int)MIN(left, 1000L));
                if (k < 0 && errno != EINTR)
                        return negative_errno();
                if (k <= 0)
                        continue;
                if (p->in_size - p->in_len < 65536) {
                        size_t size = p->in_size ? p->in_size * 2 : 1u << 20;
                        char *b;

                        if (size > MESSAGE_MAX)
                                return -EMSGSIZE;
                        b = realloc(p->in, size);
                        if (!b)
                                return -ENOMEM;
                        p->in = b;
                        p->in_size = size;
                }
                ssize_t n = recv(p->fd, p->in + p->in_len, p->in_size - p->in_len, 0);
                if (n < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                if (n <= 0) {
                        p->gone = true;
                        return n < 0 ? negative_errno() : -EPIPE;
                }
                p->in_len += (size_t)n;
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
 * to_browser), and handles events until the answer comes. Returns 0 and the answer's result
 * (a new reference, when ret is not NULL), -EPROTO for an error answer, -ETIME at the deadline,
 * or a negative errno. */
static int cdp_call(struct page_run *p, bool to_browser, const char *method, json_object *params,
                    json_object **ret)
{
        json_object *msg = json_object_new_object(), *answer = NULL;
        unsigned id = ++p->next_id;
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
        k = text ? send_all(p->fd, text, strlen(text) + 1) : -ENOMEM;
        json_object_put(msg);
        if (k < 0)
                return k;
        for (;;) {
                json_object *idv;

                k = read_message(p, &answer);
                if (k <= 0)
                        return k == 0 ? -ETIME : k;
                idv = jget(answer, "id");
                if (idv && (unsigned)json_object_get_int64(idv) == id)
                        break;
                handle_event(p, answer);
                json_object_put(answer);
        }
        if (jget(answer, "error")) {
                json_object_put(answer);
                return -EPROTO;
        }
        if (ret)
                *ret = json_object_get(jget(answer, "result"));
        json_object_put(answer);
        return 0;
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

static int set_virtual_time(struct page_run *p, const char *policy, int budget_ms)
{
        json_object *o = params_new("policy", json_object_new_string(policy));

        if (o && budget_ms > 0)
                json_object_object_add(o, "budget", json_object_new_int(budget_ms));
        return cdp_call(p, false, "Emulation.setVirtualTimePolicy", o, NULL);
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
                        if (cdp_call(p, false, "Input.dispatchMouseEvent", o, NULL) < 0)
                                break;
                }
        }
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

/* Opens the page's target and session, installs the instrumentation, navigates with virtual
 * time, clicks, and lets the clicked page run. Returns 0 or a negative errno. */
/* A picture of the page as rendered, for the HTML report: time runs again so that a frame is
 * drawn; a page that cannot be drawn in time has none. */
#define SCREENSHOT_MAX (4u << 20) /* base64 characters */
static void screenshot(struct page_run *p)
{
        json_object *o = params_new("format", json_object_new_string("png")), *res = NULL;
        const char *data;

        if (!o || p->gone || set_virtual_time(p, "advance", 0) < 0)
                return;
        if (cdp_call(p, false, "Page.captureScreenshot", o, &res) < 0)
                return;
        data = jstr(res, "data");
        if (data && strlen(data) <= SCREENSHOT_MAX)
                p->screenshot = strdup(data);
        json_object_put(res);
}

static int drive(struct page_run *p, const char *script, const char *url, char *cred,
                 size_t cred_size)
{
        json_object *res = NULL, *o;
        _cleanup_free_ char *session = NULL;
        const char *target;
        int k;

        k = cdp_call(p, true, "Target.createTarget",
                     params_new("url", json_object_new_string("about:blank")), &res);
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

        k = cdp_call(p, false, "Runtime.enable", NULL, NULL);
        if (k >= 0)
                k = cdp_call(p, false, "Runtime.addBinding",
                             params_new("name", json_object_new_string(BINDING)), NULL);
        if (k >= 0)
                k = cdp_call(p, false, "Page.enable", NULL, NULL);
        if (k >= 0)
                k = cdp_call(p, false, "Network.enable", NULL, NULL);
        if (k >= 0)
                k = cdp_call(p, false, "Page.addScriptToEvaluateOnNewDocument",
                             params_new("source", json_object_new_string(script)), NULL);
        if (k >= 0) {
                o = params_new("userAgent", json_object_new_string(WINDOWS_UA));
                if (o)
                        json_object_object_add(o, "platform", json_object_new_string("Win32"));
                k = cdp_call(p, false, "Emulation.setUserAgentOverride", o, NULL);
        }
        if (k >= 0) {
                /* Saved inside the sandbox only: the instrumentation sends the bytes. */
                o = params_new("behavior", json_object_new_string("allowAndName"));
                if (o) {
                        json_object_object_add(o, "downloadPath",
                                               json_object_new_string("/tmp/downloads"));
                        json_object_object_add(o, "eventsEnabled", json_object_new_boolean(true));
                }
                k = cdp_call(p, true, "Browser.setDownloadBehavior", o, NULL);
        }
        if (k >= 0)
                k = set_virtual_time(p, "pause", 0);
        if (k >= 0)
                k = cdp_call(p, false, "Page.navigate",
                             params_new("url", json_object_new_string(url)), NULL);
        if (k >= 0)
                k = set_virtual_time(p, "pauseIfNetworkFetchesPending", BUDGET_LOAD_MS);
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

static pid_t spawn_browser(const char *airlock, const char *page, const char *inside,
                           unsigned timeout, int sock)
{
        char tmo[16];
        const char *argv[72];
        size_t a = 0;
        pid_t pid;

        snprintf(tmo, sizeof(tmo), "%u", timeout + BROWSER_START_SEC + 5);
        argv[a++] = airlock;
        argv[a++] = "run";
        argv[a++] = "--net";
        argv[a++] = "sinkhole";
        argv[a++] = "--timeout";
        argv[a++] = tmo;
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
        argv[a++] = "--ro-bind";
        argv[a++] = page;
        argv[a++] = inside;
        argv[a++] = "--pass-fd";
        argv[a++] = "3";
        argv[a++] = "--pass-fd";
        argv[a++] = "4";
        argv[a++] = "--";
        argv[a++] = "chromium";
        argv[a++] = "--headless";
        argv[a++] = "--disable-gpu";
        argv[a++] = "--no-first-run";
        argv[a++] = "--disable-background-networking";
        argv[a++] = "--disable-component-update";
        argv[a++] = "--disable-sync";
        argv[a++] = "--disable-extensions";
        argv[a++] = "--mute-audio";
        argv[a++] = "--remote-debugging-pipe";
        argv[a++] = "--user-data-dir=/tmp/chromium";
        argv[a++] = "about:blank";
        argv[a] = NULL;

        pid = fork();
        if (pid != 0)
                return pid;
        /* Chromium reads fd 3 and writes fd 4: both are our socket's other end. */
        int s = fcntl(sock, F_DUPFD, 10), null = open("/dev/null", O_RDWR | O_CLOEXEC);

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
        free(p->in);
        safe_close(p->fd);
}

int browser_detonate(struct analysis_result *r, int fd, struct analysis_ctx *ctx,
                     const char *airlock, unsigned timeout_sec)
{
        const char *suffix = page_suffix(r);
        char dir[] = "/tmp/airlock-page.XXXXXX", page[64], inside[32], url[48], cred[512] = "",
             hex[2 * SHA256_DIGEST_SIZE + 1];
        _cleanup_free_ char *script_path = NULL, *script = NULL;
        _cleanup_free_ uint8_t *content = NULL;
        struct page_run p = {.fd = -1};
        struct timespec start, end;
        int sv[2], k, driven;
        size_t size;
        pid_t pid;

        if (!suffix || !ctx)
                return 0;
        k = data_path("data/browser-instrument.js", &script_path);
        if (k >= 0)
                k = read_full_file(script_path, &script, NULL, 1u << 20);
        if (k >= 0)
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
        if (!mkdtemp(dir))
                return negative_errno();
        (void)chmod(dir, 0755);
        snprintf(page, sizeof(page), "%s/page%s", dir, suffix);
        snprintf(inside, sizeof(inside), "/sample/page%s", suffix);
        snprintf(url, sizeof(url), "file://%s", inside);
        {
                _cleanup_close_ int out =
                        open(page, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);

                k = out < 0 ? negative_errno() : loop_write(out, content, size);
        }
        if (k >= 0 && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                k = negative_errno();
        if (k < 0)
                goto out;
        clock_gettime(CLOCK_MONOTONIC, &start);
        pid = spawn_browser(airlock, page, inside, timeout_sec, sv[1]);
        safe_close(sv[1]);
        p.fd = sv[0];
        if (pid < 0) {
                k = negative_errno();
                goto out;
        }
        p.deadline = start;
        p.deadline.tv_sec += timeout_sec + BROWSER_START_SEC;
        driven = drive(&p, script, url, cred, sizeof(cred));
        if (!p.gone)
                (void)cdp_call(&p, true, "Browser.close", NULL, NULL);
        p.fd = safe_close(p.fd);
        reap(pid);
        clock_gettime(CLOCK_MONOTONIC, &end);
        k = report(&p, r, ctx, streq(suffix, ".svg"), cred, driven,
                   (double)(end.tv_sec - start.tv_sec) +
                           (double)(end.tv_nsec - start.tv_nsec) / 1e9);
        if (k >= 0 && p.screenshot) {
                json_object *d = params_new("screenshot", json_object_new_string(p.screenshot));

                free(r->detonation);
                r->detonation =
                        d ? strdup(json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN))
                          : NULL;
                json_object_put(d);
        }
        if (k >= 0)
                k = 1;
out:
        page_run_done(&p);
        unlink(page);
        rmdir(dir);
        return k;
}
