/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The HTML report of a scan, rendered from its JSON report. See html-report.h. */
#include "html-report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/fileio.h"
#include "analysis/json-get.h"
#include "basic/macro.h"

/* Deeper than any tree the engine builds (max-depth is at most 1000 but a page of that depth
 * is useless): what is below is summarised. */
#define HTML_MAX_DEPTH 64

static bool streq_null(const char *a, const char *b)
{
        return a && b && strcmp(a, b) == 0;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
        size_t len;
        unsigned cp;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                len = 2, cp = s[0] & 0x1f;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                len = 3, cp = s[0] & 0x0f;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                len = 4, cp = s[0] & 0x07;
        else
                return 0;
        if (len > n)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
                return 0;
        return len;
}

static unsigned utf8_cp(const unsigned char *s, size_t len)
{
        static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
        unsigned cp = s[0] & lead_mask[len];

        for (size_t i = 1; i < len; i++)
                cp = (cp << 6) | (s[i] & 0x3f);
        return cp;
}

/* Characters that change how the text around them reads without being seen: C1 controls,
 * zero-width and bidi controls, the byte order mark. */
static bool invisible(unsigned cp)
{
        return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
               (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff ||
               cp == 0xad;
}

/* Text from the sample: HTML-escaped, with control characters, invisible characters and bytes
 * that are not UTF-8 shown as escapes in their own colour. */
static void esc(FILE *f, const char *s)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t n;

        if (!s)
                return;
        n = strlen(s);
        while (n > 0) {
                size_t len = utf8_len(p, n);

                if (len == 0)
                        fprintf(f, "<span class=\"c\">\\x%02x</span>", p[0]), len = 1;
                else if (len == 1)
                        switch (p[0]) {
                        case '&':
                                fputs("&amp;", f);
                                break;
                        case '<':
                                fputs("&lt;", f);
                                break;
                        case '>':
                                fputs("&gt;", f);
                                break;
                        case '"':
                                fputs("&quot;", f);
                                break;
                        case '\'':
                                fputs("&#39;", f);
                                break;
                        default:
                                if (p[0] < 0x20 || p[0] == 0x7f)
                                        fprintf(f, "<span class=\"c\">\\x%02x</span>", p[0]);
                                else
                                        fputc(p[0], f);
                        }
                else if (invisible(utf8_cp(p, len)))
                        fprintf(f, "<span class=\"c\">U+%04X</span>", utf8_cp(p, len));
                else
                        fwrite(p, 1, len, f);
                p += len;
                n -= len;
        }
}

/* T1234 or T1234.567: the only strings that become links, to the ATT&CK page of the id. */
static bool attack_id_valid(const char *id)
{
        size_t n = strlen(id);

        if ((n != 5 && n != 9) || id[0] != 'T')
                return false;
        for (size_t i = 1; i < n; i++)
                if (i == 5 ? id[i] != '.' : (id[i] < '0' || id[i] > '9'))
                        return false;
        return true;
}

static void attack_links(FILE *f, struct json_object *finding)
{
        struct json_object *att = jget_type(finding, "attack", json_type_array);
        size_t n = att ? json_object_array_length(att) : 0;

        for (size_t i = 0; i < n; i++) {
                struct json_object *a = json_object_array_get_idx(att, i);
                const char *id =
                        json_object_is_type(a, json_type_string) ? json_object_get_string(a) : NULL;

                if (!id)
                        continue;
                if (i > 0)
                        fputs(" ", f);
                if (attack_id_valid(id))
                        fprintf(f,
                                "<a href=\"https://attack.mitre.org/techniques/%.5s%s%.3s/\" "
                                "rel=\"noreferrer noopener\">%s</a>",
                                id, id[5] ? "/" : "", id[5] ? id + 6 : "", id);
                else
                        esc(f, id);
        }
}

static const char *verdict_class(const char *v)
{
        return streq_null(v, "malicious")     ? "mal"
               : streq_null(v, "suspicious")  ? "sus"
               : streq_null(v, "unscannable") ? "uns"
               : streq_null(v, "clean")       ? "ok"
                                              : "err";
}

static void meta_row(FILE *f, const char *label, const char *value, bool code)
{
        if (!value)
                return;
        fprintf(f, "<tr><th>%s</th><td>%s", label, code ? "<code>" : "");
        esc(f, value);
        fprintf(f, "%s</td></tr>\n", code ? "</code>" : "");
}

static void findings_table(FILE *f, struct json_object **list, size_t n)
{
        fputs("<table class=\"findings\"><tr><th>severity</th><th>rule</th><th>ATT&amp;CK</th>"
              "<th>description</th><th>evidence</th><th>source</th></tr>\n",
              f);
        for (size_t i = 0; i < n; i++) {
                const char *sev = jstr(list[i], "severity");

                fprintf(f, "<tr><td class=\"sev-%s\">",
                        streq_null(sev, "critical") ? "critical"
                        : streq_null(sev, "high")   ? "high"
                        : streq_null(sev, "medium") ? "medium"
                        : streq_null(sev, "low")    ? "low"
                                                    : "info");
                esc(f, sev ?: "info");
                fputs("</td><td><code>", f);
                esc(f, jstr(list[i], "rule"));
                fputs("</code></td><td>", f);
                attack_links(f, list[i]);
                fputs("</td><td>", f);
                esc(f, jstr(list[i], "description"));
                fputs("</td><td><code>", f);
                esc(f, jstr(list[i], "evidence"));
                fputs("</code></td><td>", f);
                esc(f, jstr(list[i], "source"));
                fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
}

/* What a detonation finding tells, by its rule (the monitor's names, prefixed "detonation."). */
enum det_group { DET_RUN, DET_PROCESS, DET_NETWORK, DET_FILES, DET_OTHER, _DET_MAX };

static enum det_group det_group_of(const char *rule)
{
        const char *r = rule ?: "";

        if (strncmp(r, "detonation.", 11) == 0)
                r += 11;
        if (strcmp(r, "ran") == 0 || strcmp(r, "failed") == 0 || strcmp(r, "changed") == 0)
                return DET_RUN;
        if (strstr(r, "net") || strstr(r, "connect") || strstr(r, "dns") || strstr(r, "url"))
                return DET_NETWORK;
        if (strstr(r, "exec") || strstr(r, "process") || strstr(r, "ptrace") ||
            strstr(r, "missing"))
                return DET_PROCESS;
        if (strstr(r, "file") || strstr(r, "persistence") || strstr(r, "dropped") ||
            strstr(r, "write") || strstr(r, "delet"))
                return DET_FILES;
        return DET_OTHER;
}

/* The screenshot of a page detonated in Chromium (detonation.screenshot, base64 PNG), checked
 * to be only base64 so that it cannot leave the attribute; an image from data: is all the CSP
 * lets the page load. */
static void screenshot(FILE *f, struct json_object *node)
{
        const char *b64 = jstr(jget_type(node, "detonation", json_type_object), "screenshot");

        if (!b64 || !*b64 ||
            strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                        "0123456789+/=") != strlen(b64))
                return;
        fprintf(f,
                "<h5>The page as rendered</h5><img class=\"shot\" alt=\"page screenshot\" "
                "src=\"data:image/png;base64,%s\">\n",
                b64);
}

/* Any JSON value as text (compact), escaped. */
static void json_text(FILE *f, struct json_object *v)
{
        if (!v)
                return;
        if (json_object_is_type(v, json_type_string))
                esc(f, json_object_get_string(v));
        else
                esc(f, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void argv_text(FILE *f, struct json_object *argv)
{
        size_t n = argv && json_object_is_type(argv, json_type_array)
                           ? json_object_array_length(argv)
                           : 0;

        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        fputc(' ', f);
                fputs("<span class=\"arg\">", f);
                json_text(f, json_object_array_get_idx(argv, i));
                fputs("</span>", f);
        }
}

static void process_tree(FILE *f, struct json_object *list, unsigned depth)
{
        size_t n = list && json_object_is_type(list, json_type_array)
                           ? json_object_array_length(list)
                           : 0;

        if (n == 0)
                return;
        if (depth >= HTML_MAX_DEPTH) {
                fputs("<p class=\"none\">deeper processes: see the JSON report</p>", f);
                return;
        }
        fputs("<ul class=\"tree\">\n", f);
        for (size_t i = 0; i < n; i++) {
                struct json_object *p = json_object_array_get_idx(list, i), *v;

                fputs("<li><code>", f);
                if (json_object_object_get_ex(p, "pid", &v))
                        fprintf(f, "[%d] ", json_object_get_int(v));
                esc(f, jstr(p, "exe"));
                fputs("</code> ", f);
                if (json_object_object_get_ex(p, "argv", &v)) {
                        fputs("<code>", f);
                        argv_text(f, v);
                        fputs("</code>", f);
                }
                if (json_object_object_get_ex(p, "first_seen", &v))
                        fprintf(f, " <span class=\"score\">at %.3f s</span>",
                                json_object_get_double(v));
                process_tree(f, jget_type(p, "children", json_type_array), depth + 1);
                fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
}

/* A table of the objects of list, one column per key (strings escaped, others as JSON). */
static void list_table(FILE *f, struct json_object *d, const char *key, const char *title,
                       const char *const *cols, const char *empty)
{
        struct json_object *list = jget_type(d, key, json_type_array), *v;
        size_t n = list ? json_object_array_length(list) : 0;
        char total_key[64];

        fprintf(f, "<h5>%s</h5>\n", title);
        if (n == 0) {
                fprintf(f, "<p class=\"none\">%s</p>\n", empty);
                return;
        }
        fputs("<table class=\"findings\"><tr>", f);
        for (size_t c = 0; cols[c]; c++)
                fprintf(f, "<th>%s</th>", cols[c]);
        fputs("</tr>\n", f);
        for (size_t i = 0; i < n; i++) {
                struct json_object *e = json_object_array_get_idx(list, i);

                fputs("<tr>", f);
                for (size_t c = 0; cols[c]; c++) {
                        fputs("<td><code>", f);
                        if (json_object_object_get_ex(e, cols[c], &v)) {
                                if (streq_null(cols[c], "argv"))
                                        argv_text(f, v);
                                else if (json_object_is_type(v, json_type_double))
                                        fprintf(f, "%.3f", json_object_get_double(v));
                                else
                                        json_text(f, v);
                        }
                        fputs("</code></td>", f);
                }
                fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
        snprintf(total_key, sizeof(total_key), "%s_total", key);
        if (json_object_object_get_ex(d, total_key, &v) && (size_t)json_object_get_int64(v) > n)
                fprintf(f, "<p class=\"none\">%" PRId64 " in all; the first %zu are shown.</p>\n",
                        json_object_get_int64(v), n);
}

/* What the run report of a detonation held (see keep_detonation() in detonate.c). */
static void record(FILE *f, struct json_object *d)
{
        static const char *const timeline_cols[] = {"time", "pid",    "exe", "syscall",
                                                    "args", "result", NULL};
        static const char *const network_cols[] = {"time", "kind",    "name",        "address",
                                                   "port", "request", "first_bytes", NULL};
        static const char *const file_cols[] = {"change", "path",   "type", "size",
                                                "mode",   "sha256", NULL};
        struct json_object *v;

        /* a page loaded in Chromium has a screenshot and no run report */
        if (!d || !(jget_type(d, "command", json_type_array) ||
                    jget_type(d, "process_tree", json_type_array)))
                return;
        fputs("<table class=\"meta\">", f);
        if (json_object_object_get_ex(d, "command", &v)) {
                fputs("<tr><th>command</th><td><code>", f);
                argv_text(f, v);
                fputs("</code></td></tr>", f);
        }
        if (json_object_object_get_ex(d, "exit", &v)) {
                fputs("<tr><th>exit</th><td><code>", f);
                json_text(f, v);
                fputs("</code></td></tr>", f);
        }
        fputs("</table>\n<h5>Process tree</h5>\n", f);
        if (jget_type(d, "process_tree", json_type_array) &&
            json_object_array_length(jget_type(d, "process_tree", json_type_array)) > 0)
                process_tree(f, jget_type(d, "process_tree", json_type_array), 0);
        else
                fputs("<p class=\"none\">No process recorded.</p>\n", f);
        list_table(f, d, "network", "Network attempts (all answered by the sinkhole)", network_cols,
                   "No network attempt recorded.");
        list_table(f, d, "file_changes", "Files written", file_cols, "No file written.");
        list_table(f, d, "timeline", "Timeline (programs run, connections, writes)", timeline_cols,
                   "No event recorded.");
}

static void findings(FILE *f, struct json_object *node)
{
        static const char *const titles[_DET_MAX] = {
                [DET_RUN] = "how it ran",        [DET_PROCESS] = "Processes",
                [DET_NETWORK] = "network",       [DET_FILES] = "Files written and persistence",
                [DET_OTHER] = "other behaviour",
        };
        struct json_object *arr = jget_type(node, "findings", json_type_array);
        size_t n = arr ? json_object_array_length(arr) : 0, n_static = 0, n_det[_DET_MAX] = {0};
        _cleanup_free_ struct json_object **st = NULL, **det = NULL;
        size_t n_det_all = 0;

        st = calloc(n + 1, sizeof(*st));
        det = calloc(n + 1, sizeof(*det));
        if (!st || !det)
                return;
        for (size_t i = 0; i < n; i++) {
                struct json_object *fi = json_object_array_get_idx(arr, i);

                if (!json_object_is_type(fi, json_type_object))
                        continue;
                if (streq_null(jstr(fi, "source"), "detonation"))
                        det[n_det_all++] = fi;
                else
                        st[n_static++] = fi;
        }
        if (n_static > 0) {
                fputs("<h4>Findings</h4>\n", f);
                findings_table(f, st, n_static);
        }
        if (n_det_all == 0 && !jget_type(node, "detonation", json_type_object))
                return;
        fputs("<div class=\"det\"><h4>Detonation</h4>\n", f);
        record(f, jget_type(node, "detonation", json_type_object));
        screenshot(f, node);
        for (enum det_group g = 0; g < _DET_MAX; g++) {
                _cleanup_free_ struct json_object **sel = calloc(n_det_all + 1, sizeof(*sel));

                if (!sel)
                        return;
                for (size_t i = 0; i < n_det_all; i++)
                        if (det_group_of(jstr(det[i], "rule")) == g)
                                sel[n_det[g]++] = det[i];
                if (n_det[g] == 0)
                        continue;
                fprintf(f, "<h5>Findings: %s</h5>\n", titles[g]);
                findings_table(f, sel, n_det[g]);
        }
        fputs("</div>\n", f);
}

static void node_html(FILE *f, struct json_object *node, unsigned depth)
{
        struct json_object *msg = jget_type(node, "message", json_type_object);
        struct json_object *mime = jget_type(node, "mime_part", json_type_object);
        struct json_object *children = jget_type(node, "children", json_type_array);
        struct json_object *v;
        const char *verdict = jstr(node, "verdict");
        const char *name = jstr(node, "name") ?: jstr(node, "path");
        size_t n_children = children ? json_object_array_length(children) : 0;
        char num[32];

        fprintf(f, "<details class=\"node v-%s\"%s><summary><span class=\"badge\">",
                verdict_class(verdict), depth < 3 || !streq_null(verdict, "clean") ? " open" : "");
        esc(f, verdict ?: "?");
        fputs("</span> <b>", f);
        if (name)
                esc(f, name);
        else if (mime && jstr(mime, "path"))
                esc(f, jstr(mime, "path"));
        else
                fputs("(unnamed)", f);
        fputs("</b>", f);
        if (json_object_object_get_ex(node, "score", &v))
                fprintf(f, " <span class=\"score\">score %d</span>", json_object_get_int(v));
        fputs("</summary>\n<table class=\"meta\">\n", f);
        meta_row(f, "path", jstr(node, "path"), true);
        meta_row(f, "type", jstr(node, "type"), false);
        meta_row(f, "mime", jstr(node, "mime"), true);
        if (json_object_object_get_ex(node, "size", &v)) {
                snprintf(num, sizeof(num), "%" PRId64 " bytes", json_object_get_int64(v));
                meta_row(f, "size", num, false);
        }
        meta_row(f, "sha256", jstr(node, "sha256"), true);
        meta_row(f, "limit", jstr(node, "limit"), false);
        meta_row(f, "note", jstr(node, "note"), false);
        meta_row(f, "action", jstr(node, "action"), false);
        if (msg) {
                meta_row(f, "subject", jstr(msg, "subject"), false);
                meta_row(f, "from", jstr(msg, "from"), false);
                meta_row(f, "message-id", jstr(msg, "message_id"), true);
        }
        if (mime) {
                meta_row(f, "MIME part", jstr(mime, "path"), true);
                meta_row(f, "content type", jstr(mime, "content_type"), true);
                meta_row(f, "disposition", jstr(mime, "disposition"), false);
                meta_row(f, "file name", jstr(mime, "filename"), false);
                meta_row(f, "encoding", jstr(mime, "encoding"), false);
        }
        fputs("</table>\n", f);
        findings(f, node);
        if (n_children > 0) {
                fprintf(f, "<h4>Contents (%zu)</h4>\n", n_children);
                if (depth >= HTML_MAX_DEPTH)
                        fputs("<p class=\"none\">Nested too deep to show here; see the JSON "
                              "report.</p>\n",
                              f);
                else {
                        fputs("<ul class=\"tree\">\n", f);
                        for (size_t i = 0; i < n_children; i++) {
                                struct json_object *c = json_object_array_get_idx(children, i);

                                if (!json_object_is_type(c, json_type_object))
                                        continue;
                                fputs("<li>", f);
                                node_html(f, c, depth + 1);
                                fputs("</li>\n", f);
                        }
                        fputs("</ul>\n", f);
                }
        }
        fputs("</details>\n", f);
}

static const char style[] =
        "body{font:14px/1.4 sans-serif;margin:1em 2em;color:#222;background:#fff}"
        "code{font:12px monospace;overflow-wrap:anywhere;white-space:pre-wrap}"
        ".top{padding:.8em 1em;border-radius:6px;color:#fff;margin-bottom:1em}"
        ".top h1{margin:0;font-size:28px}.top p{margin:.2em 0}"
        ".mal .badge,.top.v-mal{background:#b00020}.sus .badge,.top.v-sus{background:#c77700}"
        ".uns .badge,.top.v-uns{background:#6a1b9a}.ok .badge,.top.v-ok{background:#2e7d32}"
        ".err .badge,.top.v-err{background:#555}"
        ".v-mal>summary .badge{background:#b00020}.v-sus>summary .badge{background:#c77700}"
        ".v-uns>summary .badge{background:#6a1b9a}.v-ok>summary .badge{background:#2e7d32}"
        ".v-err>summary .badge{background:#555}"
        ".badge{color:#fff;padding:0 .4em;border-radius:3px;text-transform:uppercase;"
        "font-size:11px}"
        "details.node{border-left:3px solid #ccc;margin:.4em 0;padding-left:.6em}"
        "summary{cursor:pointer}.score{color:#666}"
        "table{border-collapse:collapse;margin:.3em 0}"
        "td,th{border:1px solid #ddd;padding:2px 6px;vertical-align:top;text-align:left}"
        "table.meta th{background:#f4f4f4;font-weight:normal;color:#555}"
        "table.findings th{background:#eee}"
        ".sev-critical{color:#fff;background:#b00020;font-weight:bold}"
        ".sev-high{color:#b00020;font-weight:bold}.sev-medium{color:#c77700}"
        ".sev-low{color:#555}.sev-info{color:#888}"
        ".c{background:#fde2e2;color:#900;font:11px monospace;border-radius:2px;padding:0 1px}"
        ".det{background:#f7f9ff;padding:.2em .6em;border:1px solid #dde}"
        "ul.tree{list-style:none;padding-left:1em}.none{color:#777;font-style:italic}"
        "img.shot{max-width:100%;border:1px solid #999}"
        "h4{margin:.6em 0 .2em}h5{margin:.4em 0 .1em}";

static void page(FILE *f, struct json_object *report)
{
        struct json_object *files = jget_type(report, "files", json_type_array);
        struct json_object *summary = jget_type(report, "summary", json_type_object);
        struct json_object *v;
        const char *verdict = summary ? jstr(summary, "verdict") : jstr(report, "verdict");
        size_t n = files ? json_object_array_length(files) : 1;
        int score = 0;

        for (size_t i = 0; i < n; i++) {
                struct json_object *o = files ? json_object_array_get_idx(files, i) : report;

                if (json_object_object_get_ex(o, "score", &v) && json_object_get_int(v) > score)
                        score = json_object_get_int(v);
        }
        fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action "
              "'none'\">\n"
              "<meta name=\"referrer\" content=\"no-referrer\">\n"
              "<title>airlock report: ",
              f);
        esc(f, verdict ?: "?");
        fprintf(f, "</title>\n<style>%s</style></head><body>\n", style);
        fprintf(f, "<div class=\"top v-%s\"><h1>", verdict_class(verdict));
        esc(f, verdict ?: "?");
        fprintf(f, "</h1><p>score %d</p>", score);
        if (summary) {
                fputs("<p>", f);
                if (json_object_object_get_ex(summary, "files", &v))
                        fprintf(f, "%" PRId64 " item%s scanned", json_object_get_int64(v),
                                json_object_get_int64(v) == 1 ? "" : "s");
                static const char *const names[] = {"clean", "suspicious", "malicious",
                                                    "unscannable"};
                for (size_t i = 0; i < ELEMENTSOF(names); i++)
                        if (json_object_object_get_ex(summary, names[i], &v))
                                fprintf(f, "; %" PRId64 " %s", json_object_get_int64(v), names[i]);
                fputs("</p>", f);
        }
        fputs("</div>\n", f);
        /* The milter's report of one message: who sent it, what was done. */
        if (!files) {
                fputs("<table class=\"meta\">\n", f);
                meta_row(f, "queue id", jstr(report, "queue_id"), true);
                meta_row(f, "sender", jstr(report, "sender"), false);
                meta_row(f, "client", jstr(report, "client"), false);
                meta_row(f, "action", jstr(report, "action"), false);
                meta_row(f, "reason", jstr(report, "reason"), false);
                fputs("</table>\n", f);
        }
        for (size_t i = 0; i < n; i++) {
                struct json_object *o = files ? json_object_array_get_idx(files, i) : report;

                if (json_object_is_type(o, json_type_object))
                        node_html(f, o, 0);
        }
        fputs("<p class=\"none\">Written by ", f);
        esc(f, jstr(report, "tool") ?: "airlock");
        fputs(" ", f);
        esc(f, jstr(report, "version"));
        fputs(". Names, evidence and URLs are the sample's own text, shown escaped; nothing in "
              "this page loads or runs. ATT&amp;CK ids link to attack.mitre.org.</p>\n"
              "</body></html>\n",
              f);
}

int html_report_write(int fd, struct json_object *report)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return -ENOMEM;
        page(f, report);
        if (ferror(f)) {
                fclose(f);
                return -ENOMEM;
        }
        if (fclose(f) != 0)
                return -ENOMEM;
        return loop_write(fd, buf, size);
}
