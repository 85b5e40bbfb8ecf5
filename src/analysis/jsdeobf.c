/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* javascript-obfuscator's string arrays and Dean Edwards' packer, read without running them.
 *
 * The obfuscator moves every string into one array, shifts the indexes by a constant, and
 * rotates the array at start-up until an expression of parseInt()s of some of its items equals
 * a number it chose (older versions rotate a fixed number of times). A decoder function hands
 * out item (index - shift), after base64 or RC4 (keyed by its second argument) when asked, and
 * wrapper functions call it with their arguments shifted again. Here the array is rotated by
 * evaluating that same expression for each rotation (in doubles, as the script would), and
 * every call of the decoder, its aliases and wrappers with constant arguments becomes the
 * quoted string. The packer's payload is a literal whose base-N words index a word list.
 *
 * Hostile input: every loop is bounded by the input's size or a fixed count, and the bytes
 * decoded are counted against a budget. A wrong reading costs nothing (the rules read the raw
 * text as well). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/jsdeobf.h"
#include "basic/textbuf.h"
#include "basic/hex.h"

#define MAX_NAME    64
#define MAX_ARRAYS  16
#define MAX_ITEMS   65536
#define MAX_CALLEES 512
#define MAX_ARGS    8
#define MAX_DEPTH   16
#define NAME_SLOTS  2048
/* bytes decoded and terms evaluated, all arrays and rotations of a round together */
#define WORK_BUDGET (24u << 20)
#define MAX_ROUNDS  4

struct sarray {
        char name[MAX_NAME];   /* the array's variable */
        char holder[MAX_NAME]; /* the function that returns it, or "" */
        struct textbuf data;   /* the items, decoded, one after the other */
        size_t *off, *len, count;
        size_t rot; /* rotation found: item i is the original item (i + rot) % count */
        bool usable;
};

enum callee_kind { CALLEE_DECODER, CALLEE_ALIAS, CALLEE_WRAPPER };
enum encoding { ENC_NONE, ENC_BASE64, ENC_RC4 };

struct warg {
        int param; /* the wrapper's parameter it passes, or -1 for the constant */
        double add;
};

struct callee {
        char name[MAX_NAME];
        enum callee_kind kind;
        /* decoder */
        size_t array;
        double shift;
        enum encoding enc;
        char alphabet[65];
        /* alias and wrapper */
        char target[MAX_NAME];
        struct warg args[MAX_ARGS];
        int nargs;
};

struct value {
        bool is_str;
        double num;
        struct textbuf str;
};

struct ctx {
        const char *s;
        size_t n;
        struct sarray arrays[MAX_ARRAYS];
        size_t narrays;
        struct callee *callees;
        size_t ncallees;
        int slots[NAME_SLOTS]; /* callee index + 1, 0 for empty */
        size_t work;
        bool oom;
};

/* ---- lexing ---- */

static bool is_id(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '$';
}

static size_t ws(const char *s, size_t n, size_t i)
{
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
                i++;
        return i;
}

static size_t ws_back(const char *s, size_t i)
{
        while (i > 0 &&
               (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' || s[i - 1] == '\r'))
                i--;
        return i;
}

/* Does the '/' at i start a regular expression (after an operator, a bracket or return),
 * rather than divide? A regex holding a quote would otherwise be read as a string. */
static bool regex_starts(const char *s, size_t i)
{
        size_t j = ws_back(s, i);

        if (j == 0)
                return true;
        if (strchr("(,=:[!&|?{};+-*%<>~^", s[j - 1]))
                return true;
        size_t k = j;
        while (k > 0 && is_id(s[k - 1]))
                k--;
        return (j - k == 6 && memcmp(s + k, "return", 6) == 0) ||
               (j - k == 6 && memcmp(s + k, "typeof", 6) == 0);
}

/* Skips a string literal, a regular expression or a comment at *i; false when there is
 * none. */
static bool skip_quoted(const char *s, size_t n, size_t *i)
{
        size_t j = *i;

        if (j + 1 < n && s[j] == '/' && s[j + 1] == '/') {
                while (j < n && s[j] != '\n')
                        j++;
                *i = j;
                return true;
        }
        if (j + 1 < n && s[j] == '/' && s[j + 1] == '*') {
                const char *e = memmem(s + j + 2, n - j - 2, "*/", 2);
                *i = e ? (size_t)(e - s) + 2 : n;
                return true;
        }
        if (s[j] == '/' && regex_starts(s, j)) {
                bool klass = false;
                for (j++; j < n && s[j] != '\n' && (klass || s[j] != '/'); j++) {
                        if (s[j] == '\\')
                                j++;
                        else if (s[j] == '[')
                                klass = true;
                        else if (s[j] == ']')
                                klass = false;
                }
                *i = j < n ? j + 1 : n;
                return true;
        }
        if (s[j] != '"' && s[j] != '\'' && s[j] != '`')
                return false;
        char q = s[j++];
        while (j < n && s[j] != q) {
                if (s[j] == '\\')
                        j++;
                else if (s[j] == '\n' && q != '`')
                        break;
                j++;
        }
        *i = j < n ? j + 1 : n;
        return true;
}

static bool ident_at(const char *s, size_t n, size_t i, size_t *ret_end)
{
        if (i >= n || !is_id(s[i]) || (s[i] >= '0' && s[i] <= '9') || (i > 0 && is_id(s[i - 1])))
                return false;
        size_t j = i;
        while (j < n && is_id(s[j]))
                j++;
        if (j - i >= MAX_NAME)
                return false;
        *ret_end = j;
        return true;
}

static bool word_at(const char *s, size_t n, size_t i, const char *w)
{
        /* the first letter alone first: the walks ask at every byte */
        if (i >= n || s[i] != w[0])
                return false;
        size_t l = strlen(w);
        return i + l <= n && memcmp(s + i, w, l) == 0 && (i == 0 || !is_id(s[i - 1])) &&
               (i + l == n || !is_id(s[i + l]));
}

static bool same(const char *a, const char *p, size_t len)
{
        return a[0] && strlen(a) == len && memcmp(a, p, len) == 0;
}

static bool same_range(const char *s, size_t a, size_t a_end, size_t b, size_t b_end)
{
        return a_end - a == b_end - b && memcmp(s + a, s + b, a_end - a) == 0;
}

static void copy_name(char dst[MAX_NAME], const char *p, size_t len)
{
        memcpy(dst, p, len);
        dst[len] = 0;
}

/* The closing brace of the block opened at s[open]; n when unbalanced. */
static size_t block_end(const char *s, size_t n, size_t open)
{
        int depth = 0;

        for (size_t i = open; i < n;) {
                if (skip_quoted(s, n, &i))
                        continue;
                if (s[i] == '{')
                        depth++;
                else if (s[i] == '}' && --depth == 0)
                        return i;
                i++;
        }
        return n;
}

static void put_utf8(struct textbuf *b, unsigned long c)
{
        char u[4];

        if (c < 0x80) {
                textbuf_putc(b, (char)c);
        } else if (c < 0x800) {
                u[0] = (char)(0xc0 | (c >> 6));
                u[1] = (char)(0x80 | (c & 0x3f));
                textbuf_put(b, u, 2);
        } else if (c < 0x10000) {
                u[0] = (char)(0xe0 | (c >> 12));
                u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
                u[2] = (char)(0x80 | (c & 0x3f));
                textbuf_put(b, u, 3);
        } else {
                u[0] = (char)(0xf0 | ((c >> 18) & 0x07));
                u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
                u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
                u[3] = (char)(0x80 | (c & 0x3f));
                textbuf_put(b, u, 4);
        }
}

static bool hex_value(const char *s, size_t n, size_t i, size_t digits, unsigned long *v)
{
        *v = 0;
        if (i + digits > n)
                return false;
        for (size_t k = 0; k < digits; k++) {
                int d = hex_digit(s[i + k]);
                if (d < 0)
                        return false;
                *v = *v * 16 + (unsigned long)d;
        }
        return true;
}

/* Reads the string literal at *i into out (UTF-8, escapes undone); false when there is none. */
static bool read_literal(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i;
        unsigned long v;

        if (j >= n || (s[j] != '"' && s[j] != '\''))
                return false;
        char q = s[j++];
        while (j < n && s[j] != q) {
                if (s[j] == '\n')
                        return false;
                if (s[j] != '\\') {
                        textbuf_putc(out, s[j++]);
                        continue;
                }
                if (++j >= n)
                        return false;
                char c = s[j++];
                switch (c) {
                case 'n':
                        textbuf_putc(out, '\n');
                        break;
                case 'r':
                        textbuf_putc(out, '\r');
                        break;
                case 't':
                        textbuf_putc(out, '\t');
                        break;
                case 'b':
                        textbuf_putc(out, '\b');
                        break;
                case 'f':
                        textbuf_putc(out, '\f');
                        break;
                case 'v':
                        textbuf_putc(out, '\v');
                        break;
                case '0':
                        textbuf_putc(out, '\0');
                        break;
                case '\r':
                        if (j < n && s[j] == '\n')
                                j++;
                        break;
                case '\n':
                        break;
                case 'x':
                        if (!hex_value(s, n, j, 2, &v))
                                return false;
                        put_utf8(out, v);
                        j += 2;
                        break;
                case 'u':
                        if (j < n && s[j] == '{') {
                                size_t e = j + 1;
                                v = 0;
                                while (e < n && e < j + 8 && hex_digit(s[e]) >= 0)
                                        v = v * 16 + (unsigned long)hex_digit(s[e++]);
                                if (e >= n || s[e] != '}' || v > 0x10ffff)
                                        return false;
                                put_utf8(out, v);
                                j = e + 1;
                        } else {
                                if (!hex_value(s, n, j, 4, &v))
                                        return false;
                                put_utf8(out, v);
                                j += 4;
                        }
                        break;
                default:
                        textbuf_putc(out, c);
                        break;
                }
        }
        if (j >= n)
                return false;
        *i = j + 1;
        return true;
}

/* ---- constant expressions ---- */

static bool eval_sum(struct ctx *c, size_t *i, double *v, int depth, bool calls);
static bool call_value(struct ctx *c, size_t *i, struct textbuf *out, int depth);

static bool number_literal(const char *s, size_t n, size_t *i, double *v)
{
        size_t j = *i;
        char tmp[72];

        if (j >= n || !((s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
                return false;
        if (j + 1 < n && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X')) {
                double x = 0;
                size_t k = j + 2;
                while (k < n && hex_digit(s[k]) >= 0 && k < j + 18)
                        x = x * 16 + hex_digit(s[k++]);
                if (k == j + 2 || (k < n && is_id(s[k])))
                        return false;
                *v = x;
                *i = k;
                return true;
        }
        size_t k = j;
        while (k < n && k - j < sizeof(tmp) - 1 &&
               ((s[k] >= '0' && s[k] <= '9') || s[k] == '.' || s[k] == 'e' || s[k] == 'E' ||
                ((s[k] == '+' || s[k] == '-') && k > j && (s[k - 1] == 'e' || s[k - 1] == 'E'))))
                k++;
        if (k < n && is_id(s[k]))
                return false;
        memcpy(tmp, s + j, k - j);
        tmp[k - j] = 0;
        char *end;
        *v = strtod(tmp, &end);
        if (end == tmp)
                return false;
        *i = j + (size_t)(end - tmp);
        return true;
}

/* JavaScript's parseInt(string) with no radix. */
static double parse_int(const char *p, size_t len)
{
        size_t i = 0;
        double sign = 1, v = 0;
        int base = 10;
        bool any = false;

        while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
                i++;
        if (i < len && (p[i] == '-' || p[i] == '+'))
                sign = p[i++] == '-' ? -1 : 1;
        if (i + 1 < len && p[i] == '0' && (p[i + 1] == 'x' || p[i + 1] == 'X')) {
                base = 16;
                i += 2;
        }
        for (; i < len; i++) {
                int d = hex_digit(p[i]);
                if (d < 0 || d >= base)
                        break;
                v = v * base + d;
                any = true;
        }
        return any ? sign * v : NAN;
}

static bool eval_primary(struct ctx *c, size_t *i, double *v, int depth, bool calls)
{
        const char *s = c->s;
        size_t n = c->n, j = ws(s, n, *i);

        /* each rotation evaluates the whole check again: its terms count as work */
        if (depth > 32 || j >= n || ++c->work > WORK_BUDGET)
                return false;
        if (s[j] == '-' || s[j] == '+') {
                bool neg = s[j] == '-';
                j++;
                if (!eval_primary(c, &j, v, depth + 1, calls))
                        return false;
                if (neg)
                        *v = -*v;
                *i = j;
                return true;
        }
        if (s[j] == '(') {
                j++;
                if (!eval_sum(c, &j, v, depth + 1, calls))
                        return false;
                j = ws(s, n, j);
                if (j >= n || s[j] != ')')
                        return false;
                *i = j + 1;
                return true;
        }
        if (number_literal(s, n, &j, v)) {
                *i = j;
                return true;
        }
        if (calls && word_at(s, n, j, "parseInt")) {
                j = ws(s, n, j + 8);
                if (j >= n || s[j] != '(')
                        return false;
                j = ws(s, n, j + 1);
                struct textbuf str = {0};
                bool ok = call_value(c, &j, &str, depth + 1);
                *v = ok && !str.oom ? parse_int(str.p ? str.p : "", str.len) : NAN;
                free(str.p);
                if (!ok)
                        return false;
                j = ws(s, n, j);
                if (j >= n || s[j] != ')')
                        return false;
                *i = j + 1;
                return true;
        }
        return false;
}

static bool eval_product(struct ctx *c, size_t *i, double *v, int depth, bool calls)
{
        size_t j = *i;

        if (!eval_primary(c, &j, v, depth, calls))
                return false;
        for (;;) {
                size_t k = ws(c->s, c->n, j);
                double r;
                if (k >= c->n || (c->s[k] != '*' && c->s[k] != '/'))
                        break;
                char op = c->s[k++];
                if (k < c->n && (c->s[k] == '*' || c->s[k] == '/' || c->s[k] == '='))
                        break;
                if (!eval_primary(c, &k, &r, depth + 1, calls))
                        return false;
                *v = op == '*' ? *v * r : *v / r;
                j = k;
        }
        *i = j;
        return true;
}

static bool eval_sum(struct ctx *c, size_t *i, double *v, int depth, bool calls)
{
        size_t j = *i;

        if (!eval_product(c, &j, v, depth, calls))
                return false;
        for (;;) {
                size_t k = ws(c->s, c->n, j);
                double r;
                if (k >= c->n || (c->s[k] != '+' && c->s[k] != '-'))
                        break;
                char op = c->s[k++];
                if (k < c->n && (c->s[k] == op || c->s[k] == '='))
                        break;
                if (!eval_product(c, &k, &r, depth + 1, calls))
                        return false;
                *v = op == '+' ? *v + r : *v - r;
                j = k;
        }
        *i = j;
        return true;
}

/* ---- names ---- */

static size_t name_hash(const char *p, size_t len)
{
        size_t h = 5381;
        for (size_t k = 0; k < len; k++)
                h = h * 33 + (unsigned char)p[k];
        return h % NAME_SLOTS;
}

static struct callee *callee_find(struct ctx *c, const char *p, size_t len)
{
        for (size_t h = name_hash(p, len), k = 0; k < NAME_SLOTS; k++, h = (h + 1) % NAME_SLOTS) {
                if (!c->slots[h])
                        return NULL;
                struct callee *e = &c->callees[c->slots[h] - 1];
                if (same(e->name, p, len))
                        return e;
        }
        return NULL;
}

static struct callee *callee_add(struct ctx *c, const char *p, size_t len)
{
        if (callee_find(c, p, len) || c->ncallees >= MAX_CALLEES)
                return NULL;
        for (size_t h = name_hash(p, len), k = 0; k < NAME_SLOTS; k++, h = (h + 1) % NAME_SLOTS) {
                if (c->slots[h])
                        continue;
                struct callee *e = &c->callees[c->ncallees];
                memset(e, 0, sizeof(*e));
                copy_name(e->name, p, len);
                c->slots[h] = (int)++c->ncallees;
                return e;
        }
        return NULL;
}

static struct sarray *array_named(struct ctx *c, const char *p, size_t len)
{
        for (size_t k = 0; k < c->narrays; k++)
                if (same(c->arrays[k].name, p, len) || same(c->arrays[k].holder, p, len))
                        return &c->arrays[k];
        return NULL;
}

/* ---- decoding one item ---- */

static bool base64_bytes(const char *alphabet, const char *p, size_t len, struct textbuf *out)
{
        unsigned long acc = 0;
        size_t k = 0;

        for (size_t i = 0; i < len; i++) {
                const char *at = memchr(alphabet, p[i], 64);
                if (!at || !p[i])
                        continue;
                acc = (acc << 6) | (unsigned long)(at - alphabet);
                if (k++ % 4)
                        textbuf_putc(out, (char)(0xff & (acc >> ((-2 * (long)k) & 6))));
        }
        return !out->oom;
}

/* decodeURIComponent of the %XX form of bytes: UTF-8 read as code points (bytes that are not
 * UTF-8 make the script throw: no value). */
static bool utf8_points(const struct textbuf *b, unsigned long **ret, size_t *ret_n)
{
        const unsigned char *p = (const unsigned char *)b->p;
        unsigned long *pts = malloc((b->len + 1) * sizeof(*pts));
        size_t m = 0;

        if (!pts)
                return false;
        for (size_t i = 0; i < b->len;) {
                unsigned long cp;
                size_t extra;
                if (p[i] < 0x80) {
                        cp = p[i];
                        extra = 0;
                } else if ((p[i] & 0xe0) == 0xc0) {
                        cp = p[i] & 0x1f;
                        extra = 1;
                } else if ((p[i] & 0xf0) == 0xe0) {
                        cp = p[i] & 0x0f;
                        extra = 2;
                } else if ((p[i] & 0xf8) == 0xf0) {
                        cp = p[i] & 0x07;
                        extra = 3;
                } else {
                        free(pts);
                        return false;
                }
                if (i + extra >= b->len + (extra ? 0 : 1)) {
                        free(pts);
                        return false;
                }
                for (size_t k = 1; k <= extra; k++) {
                        if ((p[i + k] & 0xc0) != 0x80) {
                                free(pts);
                                return false;
                        }
                        cp = (cp << 6) | (p[i + k] & 0x3f);
                }
                pts[m++] = cp;
                i += extra + 1;
        }
        *ret = pts;
        *ret_n = m;
        return true;
}

static bool decode_item(struct ctx *c, const struct callee *d, const char *p, size_t len,
                        const struct value *key, struct textbuf *out)
{
        struct textbuf bytes = {0};
        unsigned long *pts = NULL;
        size_t np = 0;
        bool ok = false;

        c->work += len + 1;
        if (c->work > WORK_BUDGET)
                return false;
        if (d->enc == ENC_NONE) {
                textbuf_put(out, p, len);
                return !out->oom;
        }
        if (!base64_bytes(d->alphabet, p, len, &bytes) || !utf8_points(&bytes, &pts, &np))
                goto done;
        if (d->enc == ENC_RC4) {
                unsigned char box[256];
                const char *k = key && key->is_str && key->str.p ? key->str.p : NULL;
                size_t kl = k ? key->str.len : 0;
                if (!kl)
                        goto done;
                for (int i = 0; i < 256; i++)
                        box[i] = (unsigned char)i;
                for (int i = 0, j = 0; i < 256; i++) {
                        j = (j + box[i] + (unsigned char)k[(size_t)i % kl]) % 256;
                        unsigned char t = box[i];
                        box[i] = box[j];
                        box[j] = t;
                }
                for (size_t m = 0, i = 0, j = 0; m < np; m++) {
                        i = (i + 1) % 256;
                        j = (j + box[i]) % 256;
                        unsigned char t = box[i];
                        box[i] = box[j];
                        box[j] = t;
                        pts[m] ^= box[(box[i] + box[j]) % 256];
                }
                c->work += np * 4;
        }
        for (size_t m = 0; m < np; m++)
                put_utf8(out, pts[m]);
        ok = !out->oom;
done:
        free(bytes.p);
        free(pts);
        return ok;
}

/* ---- calls ---- */

static void values_free(struct value *v, int n)
{
        for (int k = 0; k < n; k++)
                free(v[k].str.p);
}

/* The string a call of a decoder (through aliases and wrappers) with these arguments returns. */
static bool resolve(struct ctx *c, const struct callee *e, struct value *args, int nargs,
                    struct textbuf *out)
{
        struct value tmp[MAX_ARGS];

        for (int depth = 0; depth < MAX_DEPTH && e; depth++) {
                if (e->kind == CALLEE_ALIAS) {
                        e = callee_find(c, e->target, strlen(e->target));
                        continue;
                }
                if (e->kind == CALLEE_WRAPPER) {
                        int m = 0;
                        for (; m < e->nargs; m++) {
                                const struct warg *w = &e->args[m];
                                memset(&tmp[m], 0, sizeof(tmp[m]));
                                if (w->param < 0) {
                                        tmp[m].num = w->add;
                                } else if (w->param < nargs && args[w->param].is_str) {
                                        if (w->add != 0)
                                                break;
                                        tmp[m].is_str = true;
                                        textbuf_put(&tmp[m].str,
                                                    args[w->param].str.p ? args[w->param].str.p
                                                                         : "",
                                                    args[w->param].str.len);
                                } else if (w->param < nargs) {
                                        tmp[m].num = args[w->param].num + w->add;
                                } else {
                                        tmp[m].num = NAN;
                                }
                        }
                        if (m < e->nargs) {
                                values_free(tmp, m);
                                return false;
                        }
                        /* args has MAX_ARGS slots, all owned by the caller's cleanup */
                        values_free(args, nargs);
                        memset(args, 0, sizeof(tmp));
                        memcpy(args, tmp, sizeof(tmp[0]) * (size_t)m);
                        nargs = m;
                        e = callee_find(c, e->target, strlen(e->target));
                        continue;
                }
                struct sarray *a = &c->arrays[e->array];
                double idx;
                if (!a->usable || nargs < 1)
                        return false;
                if (args[0].is_str) {
                        /* older versions pass '0x1f': index - shift makes it a number */
                        size_t k = 0;
                        const char *p = args[0].str.p ? args[0].str.p : "";
                        if (!number_literal(p, args[0].str.len, &k, &idx) || k != args[0].str.len)
                                return false;
                        idx -= e->shift;
                } else {
                        idx = args[0].num - e->shift;
                }
                if (!(idx >= 0) || idx >= (double)a->count || idx != floor(idx))
                        return false;
                size_t k = ((size_t)idx + a->rot) % a->count;
                return decode_item(c, e, a->data.p + a->off[k], a->len[k],
                                   nargs > 1 ? &args[1] : NULL, out);
        }
        return false;
}

/* A call NAME(arg, ...) at *i of a known callee with constant arguments: its string. */
static bool call_value(struct ctx *c, size_t *i, struct textbuf *out, int depth)
{
        const char *s = c->s;
        size_t n = c->n, j = *i, end;
        struct value args[MAX_ARGS];
        int nargs = 0;
        bool ok = false;

        if (depth > 32 || !ident_at(s, n, j, &end))
                return false;
        const struct callee *e = callee_find(c, s + j, end - j);
        if (!e)
                return false;
        j = ws(s, n, end);
        if (j >= n || s[j] != '(')
                return false;
        j = ws(s, n, j + 1);
        memset(args, 0, sizeof(args));
        while (j < n && s[j] != ')') {
                if (nargs == MAX_ARGS)
                        goto done;
                struct value *v = &args[nargs++];
                if (s[j] == '"' || s[j] == '\'') {
                        v->is_str = true;
                        if (!read_literal(s, n, &j, &v->str))
                                goto done;
                } else if (!eval_sum(c, &j, &v->num, depth + 1, false)) {
                        goto done;
                }
                j = ws(s, n, j);
                if (j < n && s[j] == ',')
                        j = ws(s, n, j + 1);
                else if (j >= n || s[j] != ')')
                        goto done;
        }
        if (j >= n)
                goto done;
        ok = resolve(c, e, args, nargs, out);
        nargs = MAX_ARGS;
        if (ok)
                *i = j + 1;
done:
        values_free(args, nargs);
        return ok;
}

/* ---- finding the arrays, decoders, wrappers and the rotation ---- */

static void collect_array(struct ctx *c, size_t open)
{
        const char *s = c->s;
        size_t n = c->n, j = ws_back(s, open), name_end, name_start;

        if (c->narrays >= MAX_ARRAYS || j < 2 || s[j - 1] != '=' ||
            strchr("=!<>+-*/%&|^", s[j - 2]))
                return;
        name_end = ws_back(s, j - 1);
        name_start = name_end;
        while (name_start > 0 && is_id(s[name_start - 1]))
                name_start--;
        if (name_start == name_end || name_end - name_start >= MAX_NAME ||
            (name_start > 0 && s[name_start - 1] == '.'))
                return;

        struct sarray *a = &c->arrays[c->narrays];
        memset(a, 0, sizeof(*a));
        size_t cap = 0;
        j = ws(s, n, open + 1);
        while (j < n && s[j] != ']') {
                if (a->count >= MAX_ITEMS)
                        goto fail;
                if (a->count == cap) {
                        cap = cap ? cap * 2 : 64;
                        size_t *o = realloc(a->off, cap * sizeof(*o));
                        if (!o)
                                goto fail;
                        a->off = o;
                        size_t *l = realloc(a->len, cap * sizeof(*l));
                        if (!l)
                                goto fail;
                        a->len = l;
                }
                a->off[a->count] = a->data.len;
                if (!read_literal(s, n, &j, &a->data) || a->data.oom)
                        goto fail;
                a->len[a->count] = a->data.len - a->off[a->count];
                a->count++;
                j = ws(s, n, j);
                if (j < n && s[j] == ',')
                        j = ws(s, n, j + 1);
                else if (j >= n || s[j] != ']')
                        goto fail;
        }
        if (j >= n || a->count == 0)
                goto fail;
        textbuf_put(&a->data, "", 0);
        copy_name(a->name, s + name_start, name_end - name_start);

        /* function HOLDER(){var NAME=[...]; HOLDER=function(){return NAME;}; return HOLDER();} */
        size_t from = name_start > 96 ? name_start - 96 : 0;
        for (size_t k = name_start; k > from; k--) {
                size_t e;
                if (!word_at(s, n, k - 1, "function"))
                        continue;
                size_t h = ws(s, n, k - 1 + 8);
                if (!ident_at(s, n, h, &e))
                        break;
                size_t p = ws(s, n, e);
                if (p + 1 < n && s[p] == '(' && s[ws(s, n, p + 1)] == ')')
                        copy_name(a->holder, s + h, e - h);
                break;
        }
        a->usable = true;
        c->narrays++;
        return;
fail:
        free(a->data.p);
        free(a->off);
        free(a->len);
        memset(a, 0, sizeof(*a));
}

struct func {
        size_t name, name_len; /* name_len 0: anonymous and not assigned */
        char params[MAX_ARGS][MAX_NAME];
        int nparams;
        size_t body, end; /* s[body] == '{', s[end] == '}' */
};

/* function NAME(a, b) { or NAME = function(a, b) { at the keyword at i. */
static bool func_at(const char *s, size_t n, size_t i, struct func *f)
{
        size_t j = ws(s, n, i + 8), e;

        memset(f, 0, sizeof(*f));
        if (ident_at(s, n, j, &e)) {
                f->name = j;
                f->name_len = e - j;
                j = ws(s, n, e);
        } else {
                size_t b = ws_back(s, i);
                if (b >= 2 && s[b - 1] == '=' && !strchr("=!<>", s[b - 2])) {
                        size_t ne = ws_back(s, b - 1), ns = ne;
                        while (ns > 0 && is_id(s[ns - 1]))
                                ns--;
                        if (ne > ns && ne - ns < MAX_NAME && (ns == 0 || s[ns - 1] != '.')) {
                                f->name = ns;
                                f->name_len = ne - ns;
                        }
                }
        }
        if (j >= n || s[j] != '(')
                return false;
        j = ws(s, n, j + 1);
        while (j < n && s[j] != ')') {
                if (f->nparams == MAX_ARGS || !ident_at(s, n, j, &e))
                        return false;
                copy_name(f->params[f->nparams++], s + j, e - j);
                j = ws(s, n, e);
                if (j < n && s[j] == ',')
                        j = ws(s, n, j + 1);
        }
        j = ws(s, n, j + 1);
        if (j >= n || s[j] != '{')
                return false;
        f->body = j;
        f->end = block_end(s, n, j);
        return f->end < n;
}

static int param_index(const struct func *f, const char *p, size_t len)
{
        for (int k = 0; k < f->nparams; k++)
                if (same(f->params[k], p, len))
                        return k;
        return -1;
}

/* { return CALLEE(p - 0x1f, q, ...); } */
static void collect_wrapper(struct ctx *c, const struct func *f)
{
        const char *s = c->s;
        size_t j = ws(s, f->end, f->body + 1), e, ce;
        struct callee w = {0};

        if (!f->name_len || !word_at(s, c->n, j, "return"))
                return;
        j = ws(s, f->end, j + 6);
        if (!ident_at(s, f->end, j, &ce))
                return;
        copy_name(w.target, s + j, ce - j);
        j = ws(s, f->end, ce);
        if (j >= f->end || s[j] != '(')
                return;
        j = ws(s, f->end, j + 1);
        while (j < f->end && s[j] != ')') {
                struct warg *a = &w.args[w.nargs];
                if (w.nargs == MAX_ARGS)
                        return;
                w.nargs++;
                a->param = -1;
                if (ident_at(s, f->end, j, &e) && (a->param = param_index(f, s + j, e - j)) >= 0) {
                        j = ws(s, f->end, e);
                        if (s[j] == '+' || s[j] == '-') {
                                bool neg = s[j] == '-';
                                double v;
                                j++;
                                if (!eval_sum(c, &j, &v, 0, false))
                                        return;
                                a->add = neg ? -v : v;
                        }
                } else if (!eval_sum(c, &j, &a->add, 0, false)) {
                        return;
                }
                j = ws(s, f->end, j);
                if (j < f->end && s[j] == ',')
                        j = ws(s, f->end, j + 1);
                else if (j >= f->end || s[j] != ')')
                        return;
        }
        j = ws(s, f->end, j + 1);
        if (j < f->end && s[j] == ';')
                j = ws(s, f->end, j + 1);
        if (j != f->end)
                return;
        struct callee *e2 = callee_add(c, s + f->name, f->name_len);
        if (!e2)
                return;
        memcpy(e2->target, w.target, sizeof(w.target));
        memcpy(e2->args, w.args, sizeof(w.args));
        e2->nargs = w.nargs;
        e2->kind = CALLEE_WRAPPER;
}

/* { p = p - 0x1a7; ... ARRAY ... } */
static void collect_decoder(struct ctx *c, const struct func *f)
{
        const char *s = c->s;
        size_t j = ws(s, f->end, f->body + 1), e;
        double shift;

        if (!f->name_len || f->nparams < 1 || !ident_at(s, f->end, j, &e) ||
            !same(f->params[0], s + j, e - j))
                return;
        j = ws(s, f->end, e);
        if (j + 1 < f->end && s[j] == '-' && s[j + 1] == '=') {
                j += 2;
        } else {
                if (s[j] != '=' || s[j + 1] == '=')
                        return;
                j = ws(s, f->end, j + 1);
                if (!ident_at(s, f->end, j, &e) || !same(f->params[0], s + j, e - j))
                        return;
                j = ws(s, f->end, e);
                if (s[j] != '-')
                        return;
                j++;
        }
        if (!eval_sum(c, &j, &shift, 0, false))
                return;

        struct sarray *a = NULL;
        for (size_t k = j; k < f->end && !a;) {
                if (skip_quoted(s, f->end, &k))
                        continue;
                if (ident_at(s, f->end, k, &e)) {
                        a = array_named(c, s + k, e - k);
                        k = e;
                } else {
                        k++;
                }
        }
        if (!a)
                return;
        struct callee *d = callee_add(c, s + f->name, f->name_len);
        if (!d)
                return;
        d->kind = CALLEE_DECODER;
        d->array = (size_t)(a - c->arrays);
        d->shift = shift;
        d->enc = ENC_NONE;
        for (size_t k = f->body; k + 67 <= f->end; k++) {
                if ((s[k] == '\'' || s[k] == '"') && s[k + 66] == s[k] &&
                    memchr(s + k + 1, '+', 65) && memchr(s + k + 1, '/', 65) &&
                    memchr(s + k + 1, 'z', 65) && memchr(s + k + 1, 'Z', 65) &&
                    !memchr(s + k + 1, s[k], 65)) {
                        memcpy(d->alphabet, s + k + 1, 65);
                        d->enc = ENC_BASE64;
                        break;
                }
        }
        /* RC4 reads its key with charCodeAt and the ciphertext too; base64 alone only for
         * its %XX form (the box's size, 0x100, may be written as a sum) */
        size_t reads = 0;
        for (const char *p = s + f->body, *end = s + f->end;
             (p = memmem(p, (size_t)(end - p), "charCodeAt", 10)); p += 10)
                reads++;
        if (d->enc == ENC_BASE64 && f->nparams >= 2 && reads >= 3)
                d->enc = ENC_RC4;
}

/* NAME = CALLEE followed by , ; ) } or a line end: an alias. */
static size_t collect_aliases(struct ctx *c)
{
        const char *s = c->s;
        size_t n = c->n, added = 0, e, ve;

        for (size_t i = 0; i < n;) {
                if (skip_quoted(s, n, &i))
                        continue;
                if (!ident_at(s, n, i, &e)) {
                        i++;
                        continue;
                }
                size_t name = i, j = ws(s, n, e);
                i = e;
                if (j + 1 >= n || s[j] != '=' || s[j + 1] == '=' ||
                    (name > 0 && s[name - 1] == '.'))
                        continue;
                j = ws(s, n, j + 1);
                if (!ident_at(s, n, j, &ve) || !callee_find(c, s + j, ve - j))
                        continue;
                size_t after = ve;
                while (after < n && (s[after] == ' ' || s[after] == '\t'))
                        after++;
                if (after < n && !strchr(",;)}\r\n", s[after]))
                        continue;
                if (same_range(s, name, e, j, ve))
                        continue;
                struct callee *a = callee_add(c, s + name, e - name);
                if (!a)
                        continue;
                a->kind = CALLEE_ALIAS;
                copy_name(a->target, s + j, ve - j);
                added++;
        }
        return added;
}

/* (function(a, b){ ... })(ARRAY, 0x65a00): the start-up rotation. With parseInt in its
 * body, the array is rotated until the expression assigned before the comparison equals
 * the number; otherwise (older versions: while (--n) a.push(a.shift())) it is rotated that
 * many times. */
static void collect_rotation(struct ctx *c, const struct func *f)
{
        const char *s = c->s;
        size_t n = c->n, j = ws(s, n, f->end + 1), e;
        double target;

        if (j < n && s[j] == ')')
                j = ws(s, n, j + 1);
        if (j >= n || s[j] != '(')
                return;
        j = ws(s, n, j + 1);
        if (!ident_at(s, n, j, &e))
                return;
        struct sarray *a = array_named(c, s + j, e - j);
        j = ws(s, n, e);
        if (!a || j >= n || s[j] != ',')
                return;
        j++;
        if (!eval_sum(c, &j, &target, 0, false))
                return;

        const char *body = s + f->body;
        size_t blen = f->end - f->body;
        const char *pi = memmem(body, blen, "parseInt", 8);
        if (!pi) {
                if (!memmem(body, blen, "push", 4) || !memmem(body, blen, "shift", 5) ||
                    !(target >= 0) || target > 1e9)
                        return;
                a->rot = (a->rot + (size_t)target) % a->count;
                return;
        }
        /* the expression starts after the '=' before the first parseInt */
        size_t start = (size_t)(pi - s);
        while (start > f->body && s[start - 1] != '=')
                start--;
        if (start == f->body)
                return;
        size_t base = a->rot;
        for (size_t r = 0; r < a->count; r++) {
                size_t k = start;
                double v;
                a->rot = (base + r) % a->count;
                if (eval_sum(c, &k, &v, 0, true) && v == target)
                        return;
                if (c->work > WORK_BUDGET)
                        break;
        }
        a->rot = base;
        a->usable = false;
}

/* ---- Dean Edwards' packer ---- */

static bool tokens(const char *s, size_t n, size_t *i, const char *const *toks)
{
        size_t j = *i;

        for (; *toks; toks++) {
                size_t l = strlen(*toks);
                j = ws(s, n, j);
                if (j + l > n || memcmp(s + j, *toks, l) != 0)
                        return false;
                j += l;
        }
        *i = j;
        return true;
}

static bool isalnum_ascii(char ch)
{
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

static int digit62(char ch)
{
        if (ch >= '0' && ch <= '9')
                return ch - '0';
        if (ch >= 'a' && ch <= 'z')
                return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'Z')
                return ch - 'A' + 36;
        return -1;
}

/* eval(function(p,a,c,k,e,d){...}('payload',62,N,'w0|w1|...'.split('|'),0,{})) at *i: the
 * payload with its words put back, in out; *i past the eval call. */
static bool unpack(struct ctx *c, size_t *i, struct textbuf *out)
{
        static const char *const head[] = {"eval", "(", "function", "(", "p", ",", "a",
                                           ",",    "c", ",",        "k", ",", NULL};
        static const char *const split[] = {".", "split", "(", "'|'", ")", NULL};
        static const char *const split2[] = {".", "split", "(", "\"|\"", ")", NULL};
        const char *s = c->s;
        size_t n = c->n, j = *i;
        struct textbuf payload = {0}, words = {0};
        double base, count;
        bool ok = false;

        if (!tokens(s, n, &j, head))
                return false;
        while (j < n && s[j] != '{' && j < *i + 64)
                j++;
        if (j >= n || s[j] != '{')
                return false;
        j = block_end(s, n, j);
        if (j >= n)
                return false;
        j = ws(s, n, j + 1);
        if (j >= n || s[j] != '(')
                return false;
        j = ws(s, n, j + 1);
        if (!read_literal(s, n, &j, &payload))
                goto done;
        j = ws(s, n, j);
        if (j >= n || s[j++] != ',' || !eval_sum(c, &j, &base, 0, false))
                goto done;
        j = ws(s, n, j);
        if (j >= n || s[j++] != ',' || !eval_sum(c, &j, &count, 0, false))
                goto done;
        j = ws(s, n, j);
        if (j >= n || s[j++] != ',')
                goto done;
        j = ws(s, n, j);
        if (!read_literal(s, n, &j, &words) ||
            (!tokens(s, n, &j, split) && !tokens(s, n, &j, split2)))
                goto done;
        if (!(base >= 2 && base <= 62) || !(count >= 0 && count <= MAX_ITEMS))
                goto done;
        /* the end of eval(: past the ')' of the call and then that of eval */
        for (int depth = 2; j < n && depth > 0;) {
                if (skip_quoted(s, n, &j))
                        continue;
                if (s[j] == '(')
                        depth++;
                else if (s[j] == ')')
                        depth--;
                j++;
        }
        if (j > n || s[j - 1] != ')')
                goto done;

        /* the word list, split at '|' */
        size_t nw = 0, *woff = NULL, *wlen = NULL;
        size_t cnt = (size_t)count;
        woff = calloc(cnt + 1, sizeof(*woff));
        wlen = calloc(cnt + 1, sizeof(*wlen));
        if (!woff || !wlen) {
                free(woff);
                free(wlen);
                c->oom = true;
                goto done;
        }
        const char *w = words.p ? words.p : "";
        for (size_t k = 0, from = 0; k <= words.len && nw < cnt; k++) {
                if (k == words.len || w[k] == '|') {
                        woff[nw] = from;
                        wlen[nw++] = k - from;
                        from = k + 1;
                }
        }
        const char *p = payload.p ? payload.p : "";
        for (size_t k = 0; k < payload.len;) {
                bool word = isalnum_ascii(p[k]) || p[k] == '_';
                if (!word || (k > 0 && (isalnum_ascii(p[k - 1]) || p[k - 1] == '_'))) {
                        textbuf_putc(out, p[k++]);
                        continue;
                }
                size_t e = k;
                while (e < payload.len && (isalnum_ascii(p[e]) || p[e] == '_'))
                        e++;
                double v = 0;
                bool num = e - k <= 8 && !(p[k] == '0' && e - k > 1);
                for (size_t m = k; m < e && num; m++) {
                        int d = digit62(p[m]);
                        if (d < 0 || d >= base || (base <= 36 && p[m] >= 'A' && p[m] <= 'Z'))
                                num = false;
                        else
                                v = v * base + d;
                }
                if (num && v < (double)nw && wlen[(size_t)v])
                        textbuf_put(out, w + woff[(size_t)v], wlen[(size_t)v]);
                else
                        textbuf_put(out, p + k, e - k);
                k = e;
        }
        free(woff);
        free(wlen);
        c->work += payload.len;
        ok = !out->oom && c->work <= WORK_BUDGET;
        if (ok)
                *i = j;
done:
        free(payload.p);
        free(words.p);
        return ok;
}

/* ---- the pass ---- */

static void put_quoted(struct textbuf *out, const char *p, size_t len)
{
        static const char hex[] = "0123456789abcdef";

        textbuf_putc(out, '\'');
        for (size_t k = 0; k < len; k++) {
                unsigned char ch = (unsigned char)p[k];
                if (ch == '\'' || ch == '\\') {
                        textbuf_putc(out, '\\');
                        textbuf_putc(out, (char)ch);
                } else if (ch < 0x20 || ch == 0x7f) {
                        char e[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
                        textbuf_put(out, e, 4);
                } else {
                        textbuf_putc(out, (char)ch);
                }
        }
        textbuf_putc(out, '\'');
}

/* Does e lead to a decoder whose array was read? */
static bool decodes(struct ctx *c, const struct callee *e)
{
        for (int depth = 0; e && e->kind != CALLEE_DECODER && depth < MAX_DEPTH; depth++)
                e = callee_find(c, e->target, strlen(e->target));
        return e && e->kind == CALLEE_DECODER && c->arrays[e->array].usable;
}

/* function W(a, b, c) { return DECODER(b - 0x1f, a); } at i: the obfuscator puts such
 * wrappers at the head of functions whether they call them or not. The index past it, or 0. */
static size_t wrapper_definition(struct ctx *c, size_t i)
{
        struct func f;

        if (!word_at(c->s, c->n, i, "function") || !func_at(c->s, c->n, i, &f) || !f.name_len ||
            f.name < i)
                return 0;
        const struct callee *w = callee_find(c, c->s + f.name, f.name_len);
        if (!w || w->kind != CALLEE_WRAPPER || !decodes(c, w))
                return 0;
        size_t j = ws(c->s, c->n, f.end + 1);
        if (j < c->n && c->s[j] == ';')
                j = ws(c->s, c->n, j + 1);
        return j;
}

/* var NAME = DECODER; at i, which the obfuscator puts at the head of functions whether they use
 * it or not (and which would hide that the rest of the body is one statement): the index past
 * it, or 0. */
static size_t alias_statement(struct ctx *c, size_t i)
{
        const char *s = c->s;
        size_t n = c->n, j, e;

        if (!word_at(s, n, i, "var") && !word_at(s, n, i, "let") && !word_at(s, n, i, "const"))
                return 0;
        j = ws(s, n, i + (s[i] == 'c' ? 5 : 3));
        if (!ident_at(s, n, j, &e))
                return 0;
        j = ws(s, n, e);
        if (j >= n || s[j] != '=')
                return 0;
        j = ws(s, n, j + 1);
        if (!ident_at(s, n, j, &e))
                return 0;
        if (!decodes(c, callee_find(c, s + j, e - j)))
                return 0;
        j = ws(s, n, e);
        if (j >= n || s[j] != ';')
                return 0;
        return ws(s, n, j + 1);
}

static void ctx_free(struct ctx *c)
{
        for (size_t k = 0; k < c->narrays; k++) {
                free(c->arrays[k].data.p);
                free(c->arrays[k].off);
                free(c->arrays[k].len);
        }
        free(c->callees);
}

static int decode_round(const char *s, size_t n, struct textbuf *out)
{
        struct ctx c = {.s = s, .n = n};
        size_t copied = 0;
        int changed = 0;

        /* not zeroed: callee_add() clears an entry when it hands it out (clearing all
         * MAX_CALLEES cost more than the round over a small script) */
        c.callees = malloc(MAX_CALLEES * sizeof(*c.callees));
        if (!c.callees)
                return -ENOMEM;

        bool packer = false;
        for (size_t i = 0; i < n;) {
                if (skip_quoted(s, n, &i))
                        continue;
                if (s[i] == '[')
                        collect_array(&c, i);
                else if (!packer && word_at(s, n, i, "eval"))
                        packer = true;
                i++;
        }
        if (c.narrays > 0) {
                struct func f;
                for (size_t i = 0; i < n;) {
                        if (skip_quoted(s, n, &i))
                                continue;
                        if (word_at(s, n, i, "function") && func_at(s, n, i, &f)) {
                                collect_decoder(&c, &f);
                                collect_wrapper(&c, &f);
                        }
                        i++;
                }
                /* wrappers of aliases and aliases of wrappers: names found in turn */
                for (int r = 0; r < 4 && collect_aliases(&c); r++)
                        ;
                for (size_t i = 0; i < n;) {
                        if (skip_quoted(s, n, &i))
                                continue;
                        if (word_at(s, n, i, "function") && func_at(s, n, i, &f))
                                collect_rotation(&c, &f);
                        i++;
                }
        }
        if (c.ncallees == 0 && !packer)
                goto end;

        for (size_t i = 0; i < n && !out->oom && !c.oom;) {
                size_t e, at = i;
                if (skip_quoted(s, n, &i))
                        continue;
                if (!ident_at(s, n, i, &e)) {
                        i++;
                        continue;
                }
                size_t skip = alias_statement(&c, i);
                if (!skip)
                        skip = wrapper_definition(&c, i);
                if (skip) {
                        textbuf_put(out, s + copied, at - copied);
                        copied = i = skip;
                        changed++;
                        continue;
                }
                struct textbuf lit = {0};
                if (packer && word_at(s, n, i, "eval")) {
                        if (unpack(&c, &i, &lit)) {
                                textbuf_put(out, s + copied, at - copied);
                                textbuf_put(out, lit.p ? lit.p : "", lit.len);
                                copied = i;
                                changed++;
                        } else {
                                i = e;
                        }
                        free(lit.p);
                        continue;
                }
                if ((at > 0 && s[at - 1] == '.') || !callee_find(&c, s + i, e - i) ||
                    !call_value(&c, &i, &lit, 0) || lit.oom ||
                    memchr(lit.p ? lit.p : "", 0, lit.len)) {
                        free(lit.p);
                        i = i > e ? i : e;
                        continue;
                }
                textbuf_put(out, s + copied, at - copied);
                put_quoted(out, lit.p ? lit.p : "", lit.len);
                free(lit.p);
                copied = i;
                changed++;
        }
        textbuf_put(out, s + copied, n - copied);
end:
        ctx_free(&c);
        if (out->oom || c.oom)
                return -ENOMEM;
        return changed;
}

int jsdeobf_decode(const char *s, size_t n, char **ret, size_t *ret_len)
{
        struct textbuf cur = {0};
        int total = 0;

        if (n > JSDEOBF_MAX_INPUT)
                return 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
                struct textbuf next = {0};
                int k = decode_round(round ? cur.p : s, round ? cur.len : n, &next);
                if (k < 0) {
                        free(next.p);
                        free(cur.p);
                        return k;
                }
                if (k == 0 || next.len > JSDEOBF_MAX_INPUT) {
                        free(next.p);
                        break;
                }
                free(cur.p);
                cur = next;
                total += k;
        }
        if (total == 0)
                return 0;
        *ret = cur.p;
        *ret_len = cur.len;
        return total;
}
