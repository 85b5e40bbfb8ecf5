/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The structure of a page (analysis/pageshape.h): one pass from '<' to '<' over the markup.
 * A tag's name decides what is read of it: a script's attributes and body (measured alone by
 * jsshape), an iframe's attributes, the end of a comment, style, noscript, a container's style
 * (what a hidden or off-screen one holds is hidden); any other tag's element text is a
 * candidate carrier. Inside a script only iframes written in its strings are looked at. Every
 * look is bounded by the tag or the body it is in. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/pageshape.h"
#include "analysis/shape.h"
#include "basic/base64.h"
#include "basic/hex.h"

#define ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

struct page_state {
        const char *s;
        size_t n;
        size_t html_start; /* the first <html or <!doctype, or n */
        size_t html_end;   /* after the last </html>, or n */
        size_t noscript_until;
        size_t hidden_until; /* the end of the element hidden by style that we are in, or 0 */
        size_t looked_until; /* how far the last look for a hidden element's end went */
        size_t carrier_at;
        int64_t worst_score;
        size_t bare_hosts[8][2]; /* the hosts of the first bare hidden frames */
        size_t bare_count;
        struct pageshape *m;
        struct jsshape *block;
};

static bool name_at(const char *s, size_t i, size_t n, const char *name)
{
        size_t len = strlen(name);

        return i + len <= n && !strncasecmp(s + i, name, len) &&
               (i + len == n || !(isalnum((unsigned char)s[i + len]) || s[i + len] == '-'));
}

/* The offset of the next "</name" at or after i, or n. */
static size_t close_tag(const char *s, size_t i, size_t n, const char *name)
{
        while (i < n) {
                const char *p = memmem(s + i, n - i, "</", 2);
                if (!p)
                        return n;
                i = (size_t)(p - s);
                if (name_at(s, i + 2, n, name))
                        return i;
                i += 2;
        }
        return n;
}

/* The end of the tag that opens at i ('<'): after its '>' (outside quotes), or n. Quotes are
 * followed to the tag's end only within 4 KiB, so that a stray one costs no more. */
static size_t tag_end(const char *s, size_t i, size_t n)
{
        char q = 0;

        for (size_t k = i + 1; k < n; k++) {
                char c = s[k];
                if (q) {
                        if (c == q || k - i > 4096)
                                q = 0;
                        continue;
                }
                if (c == '"' || c == '\'')
                        q = c;
                else if (c == '>')
                        return k + 1;
        }
        return n;
}

/* The value of attribute name in the tag [a, b), lowercased names, quotes optional (and
 * backslash-escaped quotes, as a script's string writes them): [*ret_a, *ret_b). */
static bool attribute(const char *s, size_t a, size_t b, const char *name, size_t *ret_a,
                      size_t *ret_b)
{
        size_t len = strlen(name);

        for (size_t k = a + 1; k + len < b; k++) {
                if (strncasecmp(s + k, name, len) != 0)
                        continue;
                char before = s[k - 1];
                if (!(isspace((unsigned char)before) || before == '"' || before == '\'' ||
                      before == '/' || before == ';'))
                        continue;
                size_t v = k + len;
                while (v < b && isspace((unsigned char)s[v]))
                        v++;
                if (v >= b || s[v] != '=')
                        continue;
                v++;
                while (v < b && (isspace((unsigned char)s[v]) || s[v] == '\\'))
                        v++;
                char q = v < b && (s[v] == '"' || s[v] == '\'') ? s[v] : 0;
                if (q)
                        v++;
                size_t e = v;
                while (e < b && (q ? s[e] != q : !(isspace((unsigned char)s[e]) || s[e] == '>')))
                        e++;
                if (q && e > v && s[e - 1] == '\\')
                        e--;
                *ret_a = v;
                *ret_b = e;
                return true;
        }
        return false;
}

/* A source on the web: http(s):// or //. */
static size_t web_host(const char *s, size_t a, size_t b)
{
        if (b - a > 7 && !strncasecmp(s + a, "http://", 7))
                return a + 7;
        if (b - a > 8 && !strncasecmp(s + a, "https://", 8))
                return a + 8;
        if (b - a > 2 && s[a] == '/' && s[a + 1] == '/')
                return a + 2;
        return 0;
}

/* A src on a public IPv4 address, or on a port other than the web's. */
static bool odd_source(const char *s, size_t a, size_t b)
{
        size_t h = web_host(s, a, b), e;
        unsigned parts[4] = {0}, dots = 0, digits = 0;
        bool ip = true;

        if (!h)
                return false;
        for (e = h; e < b && !strchr("/:?#\\", s[e]); e++) {
                if (s[e] == '.') {
                        if (++dots > 3 || digits == 0)
                                ip = false;
                        digits = 0;
                } else if (isdigit((unsigned char)s[e]) && dots < 4 && digits < 3) {
                        parts[dots] = parts[dots] * 10 + (unsigned)(s[e] - '0');
                        digits++;
                } else {
                        ip = false;
                }
        }
        if (e - h >= 9 && !strncasecmp(s + h, "localhost", 9))
                return false;
        ip = ip && dots == 3 && digits > 0;
        if (ip) {
                bool private = parts[0] == 10 || parts[0] == 127 || parts[0] == 0 ||
                               (parts[0] == 192 && parts[1] == 168) ||
                               (parts[0] == 172 && parts[1] >= 16 && parts[1] <= 31) ||
                               (parts[0] == 169 && parts[1] == 254);
                return !private;
        }
        if (e < b && s[e] == ':') {
                unsigned port = 0, k = 0;
                for (e++; e < b && isdigit((unsigned char)s[e]) && k < 6; e++, k++)
                        port = port * 10 + (unsigned)(s[e] - '0');
                return k > 0 && port != 80 && port != 443 && port != 8080 && port != 8443;
        }
        return false;
}

/* width="0", height='1px': a size of at most one pixel. */
static bool tiny(const char *s, size_t a, size_t b)
{
        unsigned v = 0, k = 0;

        for (; a < b && isdigit((unsigned char)s[a]) && k < 6; a++, k++)
                v = v * 10 + (unsigned)(s[a] - '0');
        if (k == 0 || v > 1)
                return false;
        if (a < b && s[a] == '%')
                return v == 0;
        return a == b || s[a] == 'p' || s[a] == 'P' || s[a] == '\\';
}

/* style="...": hidden (visibility:hidden, display:none, left or top at -100 or less). */
static bool hidden_style(const char *s, size_t a, size_t b)
{
        char low[256];
        size_t k = 0;

        for (size_t i = a; i < b && k + 1 < sizeof(low); i++)
                if (!isspace((unsigned char)s[i]))
                        low[k++] = (char)tolower((unsigned char)s[i]);
        low[k] = 0;
        if (strstr(low, "visibility:hidden") || strstr(low, "display:none"))
                return true;
        for (const char *p = low; (p = strstr(p, ":-")); p += 2) {
                const char *d = p + 2;
                size_t digits = 0;
                while (isdigit((unsigned char)d[digits]))
                        digits++;
                bool offset = (p >= low + 4 && !strncmp(p - 4, "left", 4)) ||
                              (p >= low + 3 && !strncmp(p - 3, "top", 3));
                if (offset && digits >= 3)
                        return true;
        }
        return false;
}

static bool is_edge(const struct page_state *st, size_t at)
{
        return at < st->html_start || (st->html_end < st->n && at >= st->html_end);
}

/* Whether every attribute of the tag [a, b) is one of a frame's source, size, style and
 * borders: a tag that names nothing for its page's own use (no id, name, class, title...). */
static bool bare_tag(const char *s, size_t a, size_t b)
{
        static const char *const plain[] = {
                "align",       "border",    "frameborder", "height", "hspace", "marginheight",
                "marginwidth", "scrolling", "src",         "style",  "vspace", "width",
        };
        size_t k = a + 1;

        while (k < b && !isspace((unsigned char)s[k]) && s[k] != '>')
                k++;
        while (k < b) {
                while (k < b && (isspace((unsigned char)s[k]) || s[k] == '/'))
                        k++;
                size_t na = k;
                while (k < b && !isspace((unsigned char)s[k]) && !strchr("=>\"'", s[k]))
                        k++;
                size_t len = k - na;
                if (len == 0) {
                        if (k < b && s[k] != '>' && s[k] != '=') {
                                k++;
                                continue;
                        }
                        if (k >= b || s[k] == '>')
                                break;
                }
                bool known = false;
                for (size_t i = 0; i < ELEMENTS(plain) && len > 0; i++)
                        if (strlen(plain[i]) == len && !strncasecmp(s + na, plain[i], len))
                                known = true;
                if (len > 0 && !known)
                        return false;
                while (k < b && isspace((unsigned char)s[k]))
                        k++;
                if (k < b && s[k] == '=') {
                        k++;
                        while (k < b && isspace((unsigned char)s[k]))
                                k++;
                        char q = k < b && (s[k] == '"' || s[k] == '\'') ? s[k++] : 0;
                        while (k < b &&
                               (q ? s[k] != q : !isspace((unsigned char)s[k]) && s[k] != '>'))
                                k++;
                        if (q && k < b)
                                k++;
                }
        }
        return true;
}

/* The domain of the web source [a, b) of a bare hidden frame (the last two labels of its
 * host, three under a country's second level such as co.uk or com.ua), kept for lone_frames();
 * not for a source with a fragment, which carries data as a query does. */
static void bare_host(struct page_state *st, size_t a, size_t b)
{
        const char *s = st->s;
        size_t h = web_host(s, a, b), e = h, d, dots = 0, label[3] = {0};

        while (e < b && !strchr("/:?#\\", s[e]))
                e++;
        if (!h || e - h < 4 || e - h > 253 || memchr(s + a, '#', b - a) ||
            st->bare_count >= ELEMENTS(st->bare_hosts))
                return;
        /* the starts of the last three labels */
        for (d = e; d > h && dots < 3; d--)
                if (s[d - 1] == '.')
                        label[dots++] = d;
        if (dots == 0)
                return;
        size_t start = dots >= 2 ? label[1] : h;
        bool country = e - label[0] == 2 && dots >= 2 && label[0] - 1 - label[1] <= 3;
        if (country)
                start = dots >= 3 ? label[2] : h;
        /* the frames that the scripts of the big providers make (a CAPTCHA's, an ad
         * server's, a tag manager's, a video's) are saved with a page's rendered markup */
        static const char *const providers[] = {
                "doubleclick.net", "google.com",  "googlesyndication.com", "googletagmanager.com",
                "gstatic.com",     "youtube.com", "facebook.com",          "twitter.com",
        };
        for (size_t k = 0; k < ELEMENTS(providers); k++)
                if (e - start == strlen(providers[k]) &&
                    !strncasecmp(s + start, providers[k], e - start))
                        return;
        st->bare_hosts[st->bare_count][0] = start;
        st->bare_hosts[st->bare_count][1] = e;
        st->bare_count++;
}

/* How many times the lower-cased text low (n bytes) names the lower-cased domain d (len
 * bytes) as itself or a host under it (no letter, digit or '-' before it, none of those nor a
 * further label after it): at most limit + 1. memmem() keeps each look linear. */
static size_t host_mentions(const char *low, size_t n, const char *d, size_t len, size_t limit)
{
        size_t count = 0;

        for (size_t i = 0; i + len <= n && count <= limit;) {
                const char *p = memmem(low + i, n - i, d, len);
                if (!p)
                        break;
                i = (size_t)(p - low);
                size_t e = i + len;
                bool inside =
                        (i > 0 && (isalnum((unsigned char)low[i - 1]) || low[i - 1] == '-')) ||
                        (e < n && (isalnum((unsigned char)low[e]) || low[e] == '-')) ||
                        (e + 1 < n && low[e] == '.' && isalnum((unsigned char)low[e + 1]));
                if (!inside)
                        count++;
                i = e;
        }
        return count;
}

/* The bare hidden frames whose domain the page names no more often than those frames do: one
 * lower-cased copy of the page, and one linear look for each of at most 8 frames. 0 when the
 * copy cannot be made. */
static int64_t lone_frames(const struct page_state *st)
{
        int64_t lone = 0;

        if (st->bare_count == 0)
                return 0;
        char *low = malloc(st->n);
        if (!low)
                return 0;
        for (size_t i = 0; i < st->n; i++)
                low[i] = (char)tolower((unsigned char)st->s[i]);
        for (size_t k = 0; k < st->bare_count; k++) {
                size_t a = st->bare_hosts[k][0], b = st->bare_hosts[k][1], same = 0;
                for (size_t o = 0; o < st->bare_count; o++)
                        same += st->bare_hosts[o][1] - st->bare_hosts[o][0] == b - a &&
                                !memcmp(low + st->bare_hosts[o][0], low + a, b - a);
                if (host_mentions(low, st->n, low + a, b - a, same) <= same)
                        lone++;
        }
        free(low);
        return lone;
}

/* An <iframe tag [a, b): hidden with a web source, on an odd host, at the page's edge. */
static void iframe_tag(struct page_state *st, size_t a, size_t b, bool in_script)
{
        const char *s = st->s;
        size_t va, vb, sa = a, sb = a;
        bool web = false, hidden = false;

        if (attribute(s, a, b, "src", &sa, &sb)) {
                web = web_host(s, sa, sb) != 0;
                if (odd_source(s, sa, sb))
                        st->m->ip_sources++;
        }
        if ((attribute(s, a, b, "width", &va, &vb) && tiny(s, va, vb)) ||
            (attribute(s, a, b, "height", &va, &vb) && tiny(s, va, vb)) ||
            (attribute(s, a, b, "style", &va, &vb) && hidden_style(s, va, vb)))
                hidden = true;
        /* a frame that carries nothing for its page, to a source without a query */
        bool bare = web && !in_script && bare_tag(s, a, b) && !memchr(s + sa, '?', sb - sa) &&
                    !memchr(s + sa, ';', sb - sa) && !memchr(s + sa, '=', sb - sa);
        if (web && !in_script && a >= st->noscript_until)
                st->m->iframes++;
        if (web && hidden && a >= st->noscript_until) {
                st->m->hidden_iframes++;
                st->m->bare_iframes += bare;
                if (bare)
                        bare_host(st, sa, sb);
        }
        if (web && !hidden && !in_script && a < st->hidden_until && a >= st->noscript_until) {
                st->m->hidden_iframes++;
                st->m->parent_iframes++;
                st->m->bare_iframes += bare;
                if (bare)
                        bare_host(st, sa, sb);
        }
        if (!in_script && is_edge(st, a)) {
                st->m->edge_elements++;
                st->m->edge_active += web;
        }
}

static const char *const dom_names[] = {
        "childnodes",
        "firstchild",
        "getattribute",
        "getelementbyid",
        "getelementsbyclassname",
        "getelementsbytagname",
        "innerhtml",
        "innertext",
        "nodevalue",
        "queryselector",
        "queryselectorall",
        "textcontent",
};

static bool is_name_char(unsigned char c)
{
        return isalnum(c) || c == '_' || c == '$';
}

/* The names of dom_names[] in the script [a, b). */
static int64_t dom_reads(const char *s, size_t a, size_t b)
{
        int64_t count = 0;

        for (size_t i = a; i < b;) {
                if (!is_name_char((unsigned char)s[i])) {
                        i++;
                        continue;
                }
                size_t j = i;
                while (j < b && is_name_char((unsigned char)s[j]))
                        j++;
                size_t len = j - i;
                char c = (char)tolower((unsigned char)s[i]);
                if (len >= 9 && len <= 22 && strchr("cfginqt", c)) {
                        for (size_t k = 0; k < ELEMENTS(dom_names); k++)
                                if (strlen(dom_names[k]) == len &&
                                    !strncasecmp(s + i, dom_names[k], len)) {
                                        count++;
                                        break;
                                }
                }
                i = j;
        }
        return count;
}

static int64_t block_score(const struct jsshape *j)
{
        int64_t score = j->number_pm + (j->hidden_names > 0 ? 1000 : 0);

        if (j->identifiers >= 20)
                score += j->generated_ids_pm + j->concat_strings * 1000 / j->identifiers;
        return score;
}

static bool has_sink(const struct jsshape *j)
{
        return j->sink_eval + j->sink_write + j->sink_inject + j->sink_redirect + j->sink_activex +
                       j->sink_wsh >
               0;
}

/* Whether the script [a, b) writes an e-mail address it hides from harvesters (mailto, "&#64;"):
 * the most common obfuscated block of benign pages, never the worst one. */
static bool mail_cloak(const char *s, size_t a, size_t b)
{
        for (size_t i = a; i + 5 <= b; i++) {
                char c = s[i];
                if (c == '&' && !strncmp(s + i, "&#64;", 5))
                        return true;
                if ((c == 'm' || c == 'M') && i + 6 <= b && !strncasecmp(s + i, "mailto", 6))
                        return true;
        }
        return false;
}

/* Whether a <script> start tag [a, b) holds something other than script (a template, JSON). */
static bool not_script(const char *s, size_t a, size_t b)
{
        static const char *const kinds[] = {"json",   "template",   "text/html",
                                            "x-tmpl", "handlebars", "text/x-"};
        size_t va, vb;

        if (!attribute(s, a, b, "type", &va, &vb))
                return false;
        for (size_t k = 0; k < ELEMENTS(kinds); k++)
                if (vb > va && memmem(s + va, vb - va, kinds[k], strlen(kinds[k])))
                        return true;
        return false;
}

static bool has_word(const char *s, size_t a, size_t b, const char *word)
{
        return b > a && find_nocase(s + a, b - a, word) != NULL;
}

/* Whether the test of an if that opens in [a, b) names the referrer: the condition's first
 * 512 bytes, up to its closing parenthesis. */
static bool tests_visitor(const char *s, size_t a, size_t b)
{
        for (size_t i = a; i + 3 < b; i++) {
                if (s[i] != 'i' || s[i + 1] != 'f' ||
                    (i > a && is_name_char((unsigned char)s[i - 1])))
                        continue;
                size_t k = i + 2;
                while (k < b && isspace((unsigned char)s[k]))
                        k++;
                if (k >= b || s[k] != '(')
                        continue;
                size_t end = k + 1;
                int depth = 1;
                while (end < b && end - k < 512 && depth > 0) {
                        depth += s[end] == '(' ? 1 : s[end] == ')' ? -1 : 0;
                        end++;
                }
                if (has_word(s, k, end, "referrer") || has_word(s, k, end, "referer"))
                        return true;
                i = k;
        }
        return false;
}

/* A gate: a short block [a, b) measured as j that reads the referrer, tests it, and writes or
 * creates a <script> or an <iframe>. (Reading and testing the cookies is what consent
 * managers do before they load a script: 1 real page in 250.) */
static bool gate(const char *s, size_t a, size_t b, const struct jsshape *j)
{
        if (b - a > 8192 || j->sink_write + j->sink_inject == 0)
                return false;
        if (!has_word(s, a, b, "document.referrer"))
                return false;
        bool element = j->sink_inject > 0 || has_word(s, a, b, "<script") ||
                       has_word(s, a, b, "<iframe") || has_word(s, a, b, "%3cscript") ||
                       has_word(s, a, b, "%3ciframe");
        return element && tests_visitor(s, a, b);
}

/* Decoded text is looked at over its first DECODED_MAX bytes: an injected loader is short. */
#define DECODED_MAX 4096

enum decoder { DECODE_BASE64, DECODE_PERCENT, DECODE_CHARCODES };

/* An encoded literal is read over its first LITERAL_MAX bytes: %XX escapes take three bytes
 * for one of the DECODED_MAX looked at. */
#define LITERAL_MAX (4 * DECODED_MAX)

static void put_byte_max(char *out, size_t *len, unsigned v, size_t max)
{
        if (*len < max)
                out[(*len)++] = v < 0x80 ? (char)v : '?';
}

static void put_byte(char *out, size_t *len, unsigned v)
{
        put_byte_max(out, len, v, DECODED_MAX);
}

/* The quoted literal at s[i] (i < b): its text with the escapes \xNN, \uNNNN and \c read, the
 * first LITERAL_MAX bytes into out. The offset after its closing quote, or 0 when it does not
 * close before b. */
static size_t read_literal(const char *s, size_t i, size_t b, char *out, size_t *len)
{
        char q = s[i];

        *len = 0;
        for (i++; i < b; i++) {
                char c = s[i];
                if (c == q)
                        return i + 1;
                if (c == '\n')
                        return 0;
                if (c != '\\' || i + 1 >= b) {
                        put_byte_max(out, len, (unsigned char)c, LITERAL_MAX);
                        continue;
                }
                c = s[++i];
                int digits = c == 'x' ? 2 : c == 'u' ? 4 : 0;
                unsigned v = 0;
                if (digits && i + (size_t)digits < b) {
                        int k;
                        for (k = 1; k <= digits && hex_digit(s[i + k]) >= 0; k++)
                                v = v * 16 + (unsigned)hex_digit(s[i + k]);
                        if (k > digits) {
                                put_byte_max(out, len, v, LITERAL_MAX);
                                i += (size_t)digits;
                                continue;
                        }
                }
                put_byte_max(out, len, (unsigned char)c, LITERAL_MAX);
        }
        return 0;
}

/* text [0, n) decoded as kind into out (DECODED_MAX bytes at most): base64, or %XX and %uXXXX. */
static size_t decode_text(enum decoder kind, const char *in, size_t n, char *out)
{
        size_t len = 0;

        if (kind == DECODE_PERCENT) {
                for (size_t i = 0; i < n; i++) {
                        unsigned v = 0;
                        if (in[i] == '%' && i + 2 < n + 0 && hex_digit(in[i + 1]) >= 0 &&
                            hex_digit(in[i + 2]) >= 0) {
                                v = (unsigned)(hex_digit(in[i + 1]) * 16 + hex_digit(in[i + 2]));
                                i += 2;
                        } else if (in[i] == '%' && i + 5 < n && in[i + 1] == 'u' &&
                                   hex_digit(in[i + 2]) >= 0 && hex_digit(in[i + 3]) >= 0 &&
                                   hex_digit(in[i + 4]) >= 0 && hex_digit(in[i + 5]) >= 0) {
                                for (size_t k = 2; k <= 5; k++)
                                        v = v * 16 + (unsigned)hex_digit(in[i + k]);
                                i += 5;
                        } else {
                                v = (unsigned char)in[i];
                        }
                        put_byte(out, &len, v);
                }
                return len;
        }
        unsigned acc = 0, bits = 0;
        for (size_t i = 0; i < n; i++) {
                char c = in[i];
                int v = base64_digit_any((unsigned char)c);
                if (v < 0) {
                        if (c == '=' || isspace((unsigned char)c))
                                continue;
                        break;
                }
                acc = (acc << 6 | (unsigned)v) & 0xffffff;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        put_byte(out, &len, (acc >> bits) & 0xff);
                }
        }
        return len;
}

/* The list of character codes at s[i] up to its ')' (decimal or 0x hex, separated by commas
 * and white space) into out: the offset of the ')', or 0 when anything else stands in it. */
static size_t read_charcodes(const char *s, size_t i, size_t b, char *out, size_t *len)
{
        size_t numbers = 0;

        *len = 0;
        while (i < b) {
                while (i < b && (isspace((unsigned char)s[i]) || s[i] == ','))
                        i++;
                if (i < b && s[i] == ')')
                        return numbers > 0 ? i : 0;
                unsigned v = 0, k = 0;
                if (i + 1 < b && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
                        for (i += 2; i < b && hex_digit(s[i]) >= 0 && k < 6; i++, k++)
                                v = v * 16 + (unsigned)hex_digit(s[i]);
                } else {
                        for (; i < b && isdigit((unsigned char)s[i]) && k < 7; i++, k++)
                                v = v * 10 + (unsigned)(s[i] - '0');
                }
                if (k == 0)
                        return 0;
                put_byte(out, len, v);
                numbers++;
        }
        return 0;
}

/* Decoded text t (n bytes) with the joins of its literals taken out ('<scr' + 'ipt' is read as
 * '<script'): a quote, a '+' and a quote, with white space between. The new length. */
static size_t unglue(char *t, size_t n)
{
        size_t w = 0;

        for (size_t i = 0; i < n; i++) {
                if (t[i] == '"' || t[i] == '\'') {
                        size_t k = i + 1;
                        while (k < n && (t[k] == ' ' || t[k] == '\t'))
                                k++;
                        if (k < n && t[k] == '+') {
                                k++;
                                while (k < n && (t[k] == ' ' || t[k] == '\t'))
                                        k++;
                                if (k < n && (t[k] == '"' || t[k] == '\'')) {
                                        i = k;
                                        continue;
                                }
                        }
                }
                t[w++] = t[i];
        }
        return w;
}

/* Whether decoded text d (n bytes) makes or writes a <script> or <iframe>, or sends the browser
 * elsewhere, and names a web address or decodes once more. */
static bool injects(const char *d, size_t n)
{
        const char *made = find_nocase(d, n, "createelement");
        bool element = find_nocase(d, n, "<script") || find_nocase(d, n, "<iframe") ||
                       (made && (find_nocase(made, n - (size_t)(made - d), "script") ||
                                 find_nocase(made, n - (size_t)(made - d), "iframe")));
        bool away = find_nocase(d, n, "location.href") || find_nocase(d, n, "location.replace") ||
                    find_nocase(d, n, "location.assign") || find_nocase(d, n, "window.open") ||
                    find_nocase(d, n, "location=") || find_nocase(d, n, "location =");
        bool address = find_nocase(d, n, "http://") || find_nocase(d, n, "https://") ||
                       find_nocase(d, n, "\"//") || find_nocase(d, n, "'//") ||
                       find_nocase(d, n, "fromcharcode") || find_nocase(d, n, "atob(") ||
                       find_nocase(d, n, "unescape(");
        return (element || away) && address;
}

/* Whether the name before the '(' at s[i] (within [a, i)) is a sink that runs or writes text:
 * eval, document.write(ln), Function. */
static bool runs_or_writes(const char *s, size_t a, size_t i)
{
        static const char *const sinks[] = {"eval", "document.write", "document.writeln",
                                            "Function"};
        size_t e = i;

        while (e > a && isspace((unsigned char)s[e - 1]))
                e--;
        for (size_t k = 0; k < ELEMENTS(sinks); k++) {
                size_t len = strlen(sinks[k]);
                if (e - a >= len && !memcmp(s + e - len, sinks[k], len) &&
                    (e - a == len || !is_name_char((unsigned char)s[e - len - 1])))
                        return true;
        }
        return false;
}

/* The '%' that open an escape in raw[0, n). */
static size_t escapes(const char *raw, size_t n)
{
        size_t count = 0;

        for (size_t i = 0; i < n; i++)
                count += raw[i] == '%';
        return count;
}

/* The calls in the script [a, b) that run or write what a decoder makes of one whole literal,
 * when the decoded text injects (injects()). */
static int64_t decoded_injections(const char *s, size_t a, size_t b)
{
        static const struct {
                const char *name;
                enum decoder kind;
        } decoders[] = {
                {"atob(", DECODE_BASE64},       {"window.atob(", DECODE_BASE64},
                {"unescape(", DECODE_PERCENT},  {"decodeURIComponent(", DECODE_PERCENT},
                {"decodeURI(", DECODE_PERCENT}, {"String.fromCharCode(", DECODE_CHARCODES},
        };
        char raw[LITERAL_MAX], text[DECODED_MAX];
        int64_t count = 0;

        for (size_t i = a; i < b;) {
                const char *p = memchr(s + i, '(', b - i);
                if (!p)
                        break;
                i = (size_t)(p - s) + 1;
                if (!runs_or_writes(s, a, i - 1))
                        continue;
                size_t k = i;
                while (k < b && isspace((unsigned char)s[k]))
                        k++;
                for (size_t d = 0; d < ELEMENTS(decoders); d++) {
                        size_t len = strlen(decoders[d].name), n = 0, end;
                        if (b - k < len || memcmp(s + k, decoders[d].name, len) != 0)
                                continue;
                        size_t v = k + len;
                        while (v < b && isspace((unsigned char)s[v]))
                                v++;
                        if (decoders[d].kind == DECODE_CHARCODES) {
                                end = read_charcodes(s, v, b, text, &n);
                        } else {
                                size_t rn = 0;
                                end = v < b && (s[v] == '"' || s[v] == '\'')
                                              ? read_literal(s, v, b, raw, &rn)
                                              : 0;
                                while (end && end < b && isspace((unsigned char)s[end]))
                                        end++;
                                if (end && (end >= b || s[end] != ')'))
                                        end = 0;
                                if (end)
                                        n = decode_text(decoders[d].kind, raw, rn, text);
                                /* a tag written with its < and > escaped, so that a page's
                                 * script holds no </script>, is a convention; code of
                                 * which most bytes are escaped is hidden (a quarter of the
                                 * literal's bytes or more open an escape: its decoded text
                                 * is at most half as long) */
                                if (end && decoders[d].kind == DECODE_PERCENT &&
                                    escapes(raw, rn) * 4 < rn)
                                        end = 0;
                        }
                        if (end && injects(text, unglue(text, n)))
                                count++;
                        if (end)
                                i = end;
                        break;
                }
        }
        return count;
}

/* Numbers in a list that shifted_lists() decodes: at least SHIFTED_MIN of them, the first
 * SHIFTED_MAX looked at, SHIFTED_LISTS lists per script at most. */
#define SHIFTED_MIN   32
#define SHIFTED_MAX   512
#define SHIFTED_LISTS 16

/* The list of numbers at s[i] (i < b): numbers of 1 to 3 digits, each with an optional quote
 * before and after it, separated by commas and white space. Their values read in base 10 into
 * dec and in base 8 into oct (SHIFTED_MAX at most), their count into *count, whether every
 * digit is below 8 into *octal. The offset after the list. */
static size_t read_number_list(const char *s, size_t i, size_t b, unsigned *dec, unsigned *oct,
                               size_t *count, bool *octal)
{
        size_t end = i;

        *count = 0;
        *octal = true;
        while (i < b) {
                if (s[i] == '"' || s[i] == '\'')
                        i++;
                unsigned d = 0, o = 0, k = 0;
                for (; i < b && isdigit((unsigned char)s[i]) && k < 4; i++, k++) {
                        d = d * 10 + (unsigned)(s[i] - '0');
                        o = o * 8 + (unsigned)(s[i] - '0');
                        if (s[i] > '7')
                                *octal = false;
                }
                if (k == 0 || k > 3 ||
                    (i < b && (is_name_char((unsigned char)s[i]) || s[i] == '.')))
                        break;
                if (*count < SHIFTED_MAX) {
                        dec[*count] = d;
                        oct[*count] = o;
                }
                (*count)++;
                if (i < b && (s[i] == '"' || s[i] == '\''))
                        i++;
                end = i;
                while (i < b && (s[i] == ' ' || s[i] == '\t'))
                        i++;
                if (i >= b || s[i] != ',')
                        break;
                i++;
                while (i < b && isspace((unsigned char)s[i]))
                        i++;
        }
        return end;
}

/* Whether text d (n bytes) decoded from a list is code of the page that makes, writes or runs:
 * injects() (a script, frame or redirect to an address), or document named beside a write, a
 * made element or its location, or eval of text decoded once more. */
static bool shifted_code(const char *d, size_t n)
{
        if (injects(d, n))
                return true;
        bool page = find_nocase(d, n, "document.") || find_nocase(d, n, "window.");
        return (page && (find_nocase(d, n, "write(") || find_nocase(d, n, "createelement") ||
                         find_nocase(d, n, "location") || find_nocase(d, n, "<iframe") ||
                         find_nocase(d, n, "<script"))) ||
               (find_nocase(d, n, "eval(") && find_nocase(d, n, "fromcharcode"));
}

/* Whether the values v (count of them, SHIFTED_MAX at most) less one constant are code
 * (shifted_code()): every value less the constant a printable byte or a tab or line break. The
 * constants tried are those that turn the most frequent value into one of the characters code
 * has most of (white space, e, t, quotes, parentheses...), within those that keep every value
 * printable, and only a text with a '(' or '=' is judged: a few decodings per list, not one per
 * possible key. */
static bool shifted_values(const unsigned *v, size_t count)
{
        static const char common[] = " etaonrsil()'\";.=,";
        unsigned short seen[1024] = {0};
        char text[SHIFTED_MAX];
        unsigned lo = v[0], hi = v[0], mode = v[0];

        for (size_t k = 0; k < count; k++) {
                unsigned x = v[k] & 1023;
                lo = v[k] < lo ? v[k] : lo;
                hi = v[k] > hi ? v[k] : hi;
                if (++seen[x] > seen[mode & 1023])
                        mode = v[k];
        }
        for (size_t c = 0; c < sizeof(common) - 1; c++) {
                /* keys from hi - 126 to lo - 9: every byte between a tab and '~' */
                long key = (long)mode - common[c];
                if (key < (long)hi - 126 || key > (long)lo - 9)
                        continue;
                size_t len = 0;
                for (size_t k = 0; k < count; k++) {
                        long ch = (long)v[k] - key;
                        if (ch < 32 && ch != '\t' && ch != '\n' && ch != '\r')
                                break;
                        text[len++] = (char)ch;
                }
                if (len == count && (memchr(text, '(', len) || memchr(text, '=', len)) &&
                    shifted_code(text, unglue(text, len)))
                        return true;
        }
        return false;
}

/* The lists of numbers in the script [a, b) that one constant turns into code of the page
 * (the shifted_lists field), in a script that names fromCharCode. */
static int64_t shifted_lists(const char *s, size_t a, size_t b)
{
        unsigned dec[SHIFTED_MAX], oct[SHIFTED_MAX];
        int64_t found = 0;
        int lists = 0;

        if (b - a < SHIFTED_MIN * 2 || !memmem(s + a, b - a, "fromCharCode", 12))
                return 0;
        for (size_t i = a; i < b && lists < SHIFTED_LISTS;) {
                const char *p = memchr(s + i, ',', b - i);
                if (!p)
                        break;
                /* back to the number before the comma and the quote before it */
                size_t c = (size_t)(p - s), start = c;
                if (start > a && (s[start - 1] == '"' || s[start - 1] == '\''))
                        start--;
                size_t digits = 0;
                while (start > a && isdigit((unsigned char)s[start - 1]) && digits < 4) {
                        start--;
                        digits++;
                }
                if (digits == 0 || digits > 3 ||
                    (start > a &&
                     (is_name_char((unsigned char)s[start - 1]) || s[start - 1] == '.'))) {
                        i = c + 1;
                        continue;
                }
                if (start > a && (s[start - 1] == '"' || s[start - 1] == '\''))
                        start--;
                size_t count;
                bool octal;
                size_t end = read_number_list(s, start, b, dec, oct, &count, &octal);
                i = end > c ? end : c + 1;
                if (count < SHIFTED_MIN)
                        continue;
                lists++;
                size_t m = count < SHIFTED_MAX ? count : SHIFTED_MAX;
                if (shifted_values(dec, m) || (octal && shifted_values(oct, m)))
                        found++;
        }
        return found;
}

/* A block of script [a, b): a <script> body, an on* handler or a javascript: URL. */
static void script_block(struct page_state *st, size_t a, size_t b, struct jsshape *ret)
{
        const char *s = st->s;

        jsshape_measure(s + a, b - a, false, ret);
        st->m->blocks++;
        st->m->dom_reads += dom_reads(s, a, b);
        if (gate(s, a, b, ret))
                st->m->gate_blocks++;
        if (ret->decoders > 0 && ret->sink_eval + ret->sink_write > 0)
                st->m->decoded_injections += decoded_injections(s, a, b);
        if (ret->decoders > 0)
                st->m->shifted_lists += shifted_lists(s, a, b);
        if (ret->bytes >= 200 && has_sink(ret) && !mail_cloak(s, a, b)) {
                int64_t score = block_score(ret);
                if (score > st->worst_score || st->block->bytes == 0) {
                        *st->block = *ret;
                        st->worst_score = score;
                }
        }
}

/* The on* handlers and javascript: URLs of the tag [a, b), each a block. */
static void tag_handlers(struct page_state *st, size_t a, size_t b)
{
        const char *s = st->s;
        size_t k = a + 1;

        while (k < b && !isspace((unsigned char)s[k]) && s[k] != '>')
                k++;
        while (k < b) {
                while (k < b && (isspace((unsigned char)s[k]) || s[k] == '/'))
                        k++;
                size_t na = k;
                while (k < b && !isspace((unsigned char)s[k]) && s[k] != '=' && s[k] != '>')
                        k++;
                size_t nb = k;
                while (k < b && isspace((unsigned char)s[k]))
                        k++;
                if (k >= b || s[k] != '=') {
                        if (nb == na)
                                k++;
                        continue;
                }
                k++;
                while (k < b && isspace((unsigned char)s[k]))
                        k++;
                char q = k < b && (s[k] == '"' || s[k] == '\'') ? s[k++] : 0;
                size_t va = k;
                while (k < b && (q ? s[k] != q : !isspace((unsigned char)s[k]) && s[k] != '>'))
                        k++;
                size_t vb = k;
                if (q && k < b)
                        k++;
                bool on = nb - na >= 4 && (s[na] == 'o' || s[na] == 'O') &&
                          (s[na + 1] == 'n' || s[na + 1] == 'N');
                bool url = vb - va > 11 && !strncasecmp(s + va, "javascript:", 11);
                if (url)
                        va += 11;
                if ((on || url) && vb > va) {
                        struct jsshape j;
                        script_block(st, va, vb, &j);
                }
        }
}

/* A <script> element: its tag [a, b), its body [b, close). */
static void script_element(struct page_state *st, size_t a, size_t b, size_t close)
{
        const char *s = st->s;
        size_t va, vb;
        bool odd = false;
        struct jsshape j = {0};

        if (attribute(s, a, b, "src", &va, &vb) && odd_source(s, va, vb)) {
                odd = true;
                st->m->ip_sources++;
        }
        if (!not_script(s, a, b) && close > b)
                script_block(st, b, close, &j);
        if (is_edge(st, a)) {
                st->m->edge_elements++;
                if (odd || (j.decoders > 0 &&
                            j.sink_eval + j.sink_write + j.sink_inject + j.sink_redirect > 0))
                        st->m->edge_active++;
        }
        /* iframes written in the script's strings */
        for (size_t i = b; i < close;) {
                const char *lt = memchr(s + i, '<', close - i);
                if (!lt)
                        break;
                i = (size_t)(lt - s);
                if (name_at(s, i + 1, close, "iframe")) {
                        size_t e = tag_end(s, i, close);
                        iframe_tag(st, i, e, true);
                        i = e;
                } else {
                        i++;
                }
        }
}

/* Element text [a, b): its longest run of printable ASCII without white space. */
static void element_text(struct page_state *st, size_t a, size_t b)
{
        const char *s = st->s;
        size_t run = 0;

        for (size_t i = a; i <= b; i++) {
                unsigned char c = i < b ? (unsigned char)s[i] : ' ';
                /* '&' ends a run too: text in entities (&#x3042;&quot;) is no carrier */
                if (c > ' ' && c < 0x7f && c != '&') {
                        run++;
                        continue;
                }
                if ((int64_t)run > st->m->carrier_run) {
                        st->m->carrier_run = (int64_t)run;
                        st->carrier_at = i - run;
                }
                run = 0;
        }
}

/* An element's start tag [a, b) that hides what it holds (hidden by style, or placed
 * off-screen): what follows up to its end tag, looked for within 16 KiB, is hidden. One such
 * element is followed at a time, and no look starts inside the span of the last one, so that
 * the looks together read each byte at most once. */
static void hidden_element(struct page_state *st, size_t a, size_t b)
{
        static const char *const containers[] = {"aside", "center",  "div",  "font",
                                                 "p",     "section", "span", "td"};
        const char *s = st->s;
        char name[16];
        size_t k = 0, va, vb;

        while (a + 1 + k < b && k + 1 < sizeof(name) && isalpha((unsigned char)s[a + 1 + k])) {
                name[k] = (char)tolower((unsigned char)s[a + 1 + k]);
                k++;
        }
        name[k] = 0;
        if (k == 0 || k + 1 >= sizeof(name) || s[a + 1 + k] == '>')
                return;
        bool container = false;
        for (size_t i = 0; i < ELEMENTS(containers); i++)
                if (!strcmp(name, containers[i]))
                        container = true;
        /* a style that hides holds a ':'; most containers' tags have none, and need no look */
        if (!container || !memchr(s + a, ':', b - a) || !attribute(s, a, b, "style", &va, &vb) ||
            !hidden_style(s, va, vb))
                return;
        /* a look that found no end covers its 16 KiB: no other starts inside them, so that
         * many unclosed hidden elements cost one pass */
        if (a < st->looked_until)
                return;
        size_t limit = b + 16384 < st->n ? b + 16384 : st->n;
        size_t close = close_tag(s, b, limit, name);
        st->looked_until = close;
        if (close < limit)
                st->hidden_until = close;
}

/* The page's edges: the first <html or <!doctype, and the end of the last </html>. */
static void find_edges(struct page_state *st)
{
        const char *s = st->s;
        size_t n = st->n;
        bool found = false;

        st->html_start = 0; /* no edge in a fragment without <html> */
        st->html_end = n;
        for (size_t i = 0; i < n;) {
                const char *lt = memchr(s + i, '<', n - i);
                if (!lt)
                        break;
                i = (size_t)(lt - s) + 1;
                if (name_at(s, i, n, "html") || name_at(s, i, n, "!doctype")) {
                        st->html_start = i - 1;
                        found = true;
                        break;
                }
                /* a page whose head comes before any <html (which is then some string's) has
                 * no edge before it */
                if (name_at(s, i, n, "head") || name_at(s, i, n, "body") ||
                    name_at(s, i, n, "title") || name_at(s, i, n, "meta") ||
                    name_at(s, i, n, "link"))
                        break;
        }
        if (!found)
                return;
        for (size_t i = n; i > st->html_start + 1; i--)
                if (s[i - 1] == '<' && i + 5 <= n && !strncasecmp(s + i, "/html", 5)) {
                        size_t e = tag_end(s, i - 1, n);
                        /* only when markup follows: a trailing newline is no edge */
                        size_t k = e;
                        while (k < n && isspace((unsigned char)s[k]))
                                k++;
                        if (k < n)
                                st->html_end = e;
                        break;
                }
}

void pageshape_measure(const char *s, size_t n, struct pageshape *ret, struct jsshape *block)
{
        struct pageshape m = {0};
        struct jsshape worst = {0};
        struct page_state st = {
                .s = s,
                .n = n > PAGESHAPE_MAX_INPUT ? PAGESHAPE_MAX_INPUT : n,
                .m = &m,
                .block = &worst,
        };

        find_edges(&st);
        n = st.n;
        for (size_t i = 0; i < n;) {
                const char *lt = memchr(s + i, '<', n - i);
                if (!lt)
                        break;
                size_t at = (size_t)(lt - s), e;
                if (n - at >= 4 && !memcmp(s + at, "<!--", 4)) {
                        const char *c = memmem(s + at + 4, n - at - 4, "-->", 3);
                        i = c ? (size_t)(c - s) + 3 : n;
                        continue;
                }
                if (name_at(s, at + 1, n, "script")) {
                        e = tag_end(s, at, n);
                        size_t close = close_tag(s, e, n, "script");
                        script_element(&st, at, e, close);
                        i = close;
                        continue;
                }
                if (name_at(s, at + 1, n, "style")) {
                        e = tag_end(s, at, n);
                        i = close_tag(s, e, n, "style");
                        continue;
                }
                e = tag_end(s, at, n);
                if (name_at(s, at + 1, n, "noscript"))
                        st.noscript_until = close_tag(s, e, n, "noscript");
                else if (name_at(s, at + 1, n, "iframe"))
                        iframe_tag(&st, at, e, false);
                else if (at >= st.hidden_until)
                        hidden_element(&st, at, e);
                if (s[at + 1] != '/' && s[at + 1] != '!')
                        tag_handlers(&st, at, e);
                /* the element's text, up to the next tag */
                const char *next = e < n ? memchr(s + e, '<', n - e) : NULL;
                size_t text_end = next ? (size_t)(next - s) : n;
                element_text(&st, e, text_end);
                i = text_end > at ? text_end : at + 1;
        }
        m.bare_lone_iframes = lone_frames(&st);
        if (m.carrier_run > 0)
                m.carrier_entropy = entropy_centibits(s + st.carrier_at, (size_t)m.carrier_run,
                                                      &m.carrier_alphabet);
        *ret = m;
        *block = worst;
}

void pageshape_merge(struct pageshape *a, const struct pageshape *b)
{
        shape_merge_max(a, b, sizeof(*a));
}

void pageshape_script_lines(const char *s, size_t n, struct jsshape *block)
{
        struct jsshape worst = {0};
        int64_t worst_score = 0;

        if (n > PAGESHAPE_MAX_INPUT)
                n = PAGESHAPE_MAX_INPUT;
        for (size_t i = 0; i < n;) {
                const char *nl = memchr(s + i, '\n', n - i);
                size_t end = nl ? (size_t)(nl - s) : n;
                /* a line as long as the whole text is the text: js_* measure it already */
                if (end - i >= 200 && !(i == 0 && end == n)) {
                        struct jsshape j;
                        jsshape_measure(s + i, end - i, false, &j);
                        if (j.bytes >= 200 && has_sink(&j) && !mail_cloak(s, i, end)) {
                                int64_t score = block_score(&j);
                                if (score > worst_score || worst.bytes == 0) {
                                        worst = j;
                                        worst_score = score;
                                }
                        }
                }
                i = end + 1;
        }
        *block = worst;
}

/* Calls through a computed member of document or window in [a, b): document[x[5]](...), the
 * sink's name kept in a string table. A member named by a literal is no such call. */
static int64_t computed_calls(const char *s, size_t a, size_t b)
{
        static const char *const owners[] = {"document[", "window["};
        int64_t count = 0;

        for (size_t o = 0; o < ELEMENTS(owners); o++) {
                size_t len = strlen(owners[o]);
                for (size_t i = a; i + len < b;) {
                        const char *p = memmem(s + i, b - i, owners[o], len);
                        if (!p)
                                break;
                        size_t k = (size_t)(p - s) + len;
                        i = k;
                        if (k >= b || s[k] == '"' || s[k] == '\'' || isdigit((unsigned char)s[k]))
                                continue;
                        int depth = 1;
                        while (k < b && k - i < 64 && depth > 0) {
                                depth += s[k] == '[' ? 1 : s[k] == ']' ? -1 : 0;
                                k++;
                        }
                        while (k < b && isspace((unsigned char)s[k]))
                                k++;
                        if (depth == 0 && k < b && s[k] == '(')
                                count++;
                }
        }
        return count;
}

static bool blank(const char *s, size_t a, size_t b)
{
        for (; a < b; a++)
                if (!isspace((unsigned char)s[a]))
                        return false;
        return true;
}

/* The start of the last statement of a long line [a, b) that a minified library's end and
 * code glued onto it share: the last place in its final 1 KiB, 100 bytes or more before its
 * end, where after a ';', '}' or ')' opens a declaration, an eval, a call through document or
 * window, or a function run at once. a when none. */
static size_t glued_statement(const char *s, size_t a, size_t b)
{
        static const char *const openings[] = {"var ",    "eval(",     "document[", "document.",
                                               "window[", "(function", "!function"};
        size_t low = b - a > 1024 ? b - 1024 : a;

        for (size_t p = b >= 100 ? b - 100 : a; p > low && p > a; p--) {
                if (!strchr(";})", s[p - 1]))
                        continue;
                for (size_t k = 0; k < ELEMENTS(openings); k++) {
                        size_t len = strlen(openings[k]);
                        if (p + len <= b && !memcmp(s + p, openings[k], len))
                                return p;
                }
        }
        return a;
}

void pageshape_script_edges(const char *s, size_t n, struct pageshape *ret)
{
        size_t seg[4][2], count = 0, a = 0, b;
        int64_t best = -1;

        if (n > PAGESHAPE_MAX_INPUT)
                n = PAGESHAPE_MAX_INPUT;
        /* the first line holding something */
        while (a < n && isspace((unsigned char)s[a]))
                a++;
        const char *nl = a < n ? memchr(s + a, '\n', n - a) : NULL;
        b = nl ? (size_t)(nl - s) : n;
        seg[count][0] = a, seg[count][1] = b, count++;
        /* the last */
        b = n;
        while (b > 0 && isspace((unsigned char)s[b - 1]))
                b--;
        a = b;
        while (a > 0 && s[a - 1] != '\n')
                a--;
        seg[count][0] = a, seg[count][1] = b, count++;
        /* the last statement of a long last line: code glued onto a minified library */
        if (b - a > 4096) {
                size_t g = glued_statement(s, a, b);
                if (g > a)
                        seg[count][0] = g, seg[count][1] = b, count++;
        }
        /* what follows the last sourceMappingURL comment's line */
        const char *map = NULL;
        for (size_t i = 0; i < n;) {
                const char *p = memmem(s + i, n - i, "sourceMappingURL=", 17);
                if (!p)
                        break;
                map = p;
                i = (size_t)(p - s) + 17;
        }
        if (map) {
                nl = memchr(map, '\n', n - (size_t)(map - s));
                if (nl && !blank(s, (size_t)(nl - s), n))
                        seg[count][0] = (size_t)(nl - s) + 1, seg[count][1] = n, count++;
        }
        for (size_t k = 0; k < count; k++) {
                a = seg[k][0], b = seg[k][1];
                /* an edge as long as half the text is the text */
                if (b <= a || b - a < 100 || (b - a) * 2 > n)
                        continue;
                struct jsshape j;
                jsshape_measure(s + a, b - a, false, &j);
                if (j.bytes < 100)
                        continue;
                int64_t calls = computed_calls(s, a, b);
                int64_t score = j.hex_ids_pm + j.number_pm + (j.encoded_literal >= 100 ? 500 : 0) +
                                (calls > 0 ? 500 : 0);
                if (score <= best)
                        continue;
                best = score;
                ret->edge_bytes = j.bytes;
                ret->edge_hex_ids_pm = j.hex_ids_pm;
                ret->edge_encoded = j.encoded_literal;
                ret->edge_number_pm = j.number_pm;
                ret->edge_sinks = j.sink_eval + j.sink_write + j.sink_inject + j.sink_redirect +
                                  j.hidden_names + calls;
                ret->edge_decoders = j.decoders;
        }
}

void pageshape_script_injections(const char *s, size_t n, struct pageshape *ret)
{
        static const char *const decoders[] = {"atob(", "unescape(", "decodeURI", "fromCharCode"};
        bool decodes = false;

        if (n > PAGESHAPE_MAX_INPUT)
                n = PAGESHAPE_MAX_INPUT;
        for (size_t k = 0; k < ELEMENTS(decoders) && !decodes; k++)
                decodes = memmem(s, n, decoders[k], strlen(decoders[k])) != NULL;
        if (!decodes)
                return;
        ret->decoded_injections += decoded_injections(s, 0, n);
        ret->shifted_lists += shifted_lists(s, 0, n);
}
