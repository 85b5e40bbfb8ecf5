/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JScript strings assembled a fragment at a time, followed statement by statement
 * (analysis/jsassemble.h). */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/jsassemble.h"
#include "basic/macro.h"
#include "basic/hex.h"

#define MAX_NAME             64
#define MAX_VARS             2048
#define VAR_SLOTS            4096
#define MAX_VALUE            (1u << 20)  /* one variable's value */
#define MAX_OUTPUT           (4u << 20)  /* values written, all together */
#define COPY_BUDGET          (64u << 20) /* bytes copied while evaluating, the whole text */
#define MAX_EVAL_DEPTH       12
#define MAX_PICK_ITEMS       256
#define MAX_IDENTITY         16
#define MAX_SKIPPED_FUNCTION 4096 /* a function expression passed over in a sequence */

struct jvar {
        char name[MAX_NAME];
        struct textbuf val;
        unsigned pieces;
        bool known, func;
};

struct asm_ctx {
        const char *s;
        size_t n;
        struct jvar *vars;
        size_t nvars;
        int slots[VAR_SLOTS]; /* var index + 1, 0 for empty */
        size_t copied;        /* bytes copied into values, against COPY_BUDGET */
        char identity[MAX_IDENTITY][MAX_NAME];
        size_t nidentity;
        bool oom;
};

static bool id_start(char c)
{
        return isalpha((unsigned char)c) || c == '_' || c == '$';
}

static bool id_char(char c)
{
        return isalnum((unsigned char)c) || c == '_' || c == '$';
}

static size_t skip_ws(const char *s, size_t n, size_t i)
{
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
                i++;
        return i;
}

/* Blanks, and VBScript's line continuation (a _ after a blank, at the end of a line). */
static size_t skip_ws_continued(const char *s, size_t n, size_t i)
{
        for (i = skip_ws(s, n, i); i + 1 < n && s[i] == '_' && i > 0 &&
                                   (s[i - 1] == ' ' || s[i - 1] == '\t') &&
                                   (s[i + 1] == '\n' || s[i + 1] == '\r');)
                i = skip_ws(s, n, i + 1);
        return i;
}

static size_t ident_end(const char *s, size_t n, size_t i)
{
        while (i < n && id_char(s[i]))
                i++;
        return i;
}

static bool is_word(const char *s, size_t a, size_t b, const char *w)
{
        return b - a == strlen(w) && memcmp(s + a, w, b - a) == 0;
}

/* Past a quoted string at *i (', " or `); a ' or " string ends at its line. */
static bool skip_quoted(const char *s, size_t n, size_t *i)
{
        char q = s[*i];

        for (size_t j = *i + 1; j < n; j++) {
                if (s[j] == '\\') {
                        j++;
                        continue;
                }
                if (s[j] == q) {
                        *i = j + 1;
                        return true;
                }
                if (q != '`' && s[j] == '\n')
                        break;
        }
        return false;
}

/* What a walk over one text learnt from the quotes that opened no string: a quote of the same
 * kind inside the stretch that such a scan read was read there as escaped, so a scan from it
 * reads the rest of that stretch as the failed one did and fails where it failed. Without it
 * a line of 100 KB with thousands of unclosed quotes (an RTF's \'e0 escapes) costs a scan of
 * the rest of the line per quote. */
struct quote_memo {
        size_t from[3], until[3]; /* ', ", `: a failed scan from from[k] read up to until[k] */
};

static bool skip_quoted_memo(const char *s, size_t n, size_t *i, struct quote_memo *m)
{
        int k = s[*i] == '\'' ? 0 : s[*i] == '"' ? 1 : 2;
        size_t stop;

        if (m->until[k] > 0 && *i > m->from[k] && *i < m->until[k])
                return false;
        if (skip_quoted(s, n, i))
                return true;
        stop = n;
        if (k != 2) {
                const char *nl = memchr(s + *i, '\n', n - *i);
                stop = nl ? (size_t)(nl - s) : n;
        }
        m->from[k] = *i;
        m->until[k] = stop;
        return false;
}

/* Whether a / at i opens a regular expression literal: what comes before it is an operator
 * or an opening, not a value. */
static bool regex_opens(const char *s, size_t i)
{
        size_t k = i;

        while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
                k--;
        return k == 0 || strchr("(,=:[!&|?{};+-*%<>~^\n\r", s[k - 1]) != NULL;
}

/* Past a regular expression literal at *i, on its line. */
static bool skip_regex(const char *s, size_t n, size_t *i)
{
        bool cls = false;

        for (size_t j = *i + 1; j < n && s[j] != '\n'; j++) {
                if (s[j] == '\\') {
                        j++;
                        continue;
                }
                if (s[j] == '[')
                        cls = true;
                else if (s[j] == ']')
                        cls = false;
                else if (s[j] == '/' && !cls) {
                        *i = j + 1;
                        return true;
                }
        }
        return false;
}

static void put_point(struct textbuf *b, unsigned long c)
{
        if (c < 0x80) {
                textbuf_putc(b, (char)c);
        } else if (c < 0x800) {
                textbuf_putc(b, (char)(0xc0 | (c >> 6)));
                textbuf_putc(b, (char)(0x80 | (c & 0x3f)));
        } else {
                textbuf_putc(b, (char)(0xe0 | ((c >> 12) & 0x0f)));
                textbuf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
                textbuf_putc(b, (char)(0x80 | (c & 0x3f)));
        }
}

/* The value of the ' or " literal at *i, escapes decoded, appended to out. */
static bool read_literal(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        char q = s[*i];

        if (q != '\'' && q != '"')
                return false;
        for (size_t j = *i + 1; j < n && s[j] != '\n'; j++) {
                char c = s[j];
                /* VBScript's doubled quote is one quote (JScript has no "" inside a literal) */
                if (c == '"' && q == '"' && j + 1 < n && s[j + 1] == '"' && j > *i + 1) {
                        textbuf_putc(out, c);
                        j++;
                        continue;
                }
                if (c == q) {
                        *i = j + 1;
                        return true;
                }
                if (c != '\\' || j + 1 >= n) {
                        textbuf_putc(out, c);
                        continue;
                }
                c = s[++j];
                unsigned long v = 0;
                size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : 0, k;
                for (k = 0; k < digits && j + 1 + k < n && hex_digit(s[j + 1 + k]) >= 0; k++)
                        v = v * 16 + (unsigned long)hex_digit(s[j + 1 + k]);
                if (digits && k == digits) {
                        put_point(out, v);
                        j += digits;
                } else if (c >= '0' && c <= '7') {
                        v = (unsigned long)(c - '0');
                        for (k = 0; k < 2 && j + 1 < n && s[j + 1] >= '0' && s[j + 1] <= '7'; k++)
                                v = v * 8 + (unsigned long)(s[++j] - '0');
                        put_point(out, v);
                } else {
                        textbuf_putc(out, c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c);
                }
        }
        return false;
}

static size_t name_hash(const char *p, size_t len)
{
        size_t h = 5381;

        for (size_t k = 0; k < len; k++)
                h = h * 33 + (unsigned char)tolower((unsigned char)p[k]);
        return h % VAR_SLOTS;
}

/* The variable named p (len bytes), added when add is set and there is room. */
static struct jvar *var_get(struct asm_ctx *c, const char *p, size_t len, bool add)
{
        if (len == 0 || len >= MAX_NAME)
                return NULL;
        for (size_t h = name_hash(p, len), k = 0; k < VAR_SLOTS; k++, h = (h + 1) % VAR_SLOTS) {
                int slot = c->slots[h];
                if (slot == 0) {
                        if (!add || c->nvars >= MAX_VARS)
                                return NULL;
                        struct jvar *v = &c->vars[c->nvars];
                        *v = (struct jvar){0};
                        memcpy(v->name, p, len);
                        v->name[len] = 0;
                        c->slots[h] = (int)++c->nvars;
                        return v;
                }
                struct jvar *v = &c->vars[slot - 1];
                /* VBScript's names are read in any case; JScript's differ by more */
                if (strlen(v->name) == len && strncasecmp(v->name, p, len) == 0)
                        return v;
        }
        return NULL;
}

static bool identity_method(const struct asm_ctx *c, const char *p, size_t len)
{
        for (size_t k = 0; k < c->nidentity; k++)
                if (strlen(c->identity[k]) == len && memcmp(c->identity[k], p, len) == 0)
                        return true;
        return false;
}

/* ---- integer expressions: array indexes and character codes ---- */

static bool int_sum(const char *s, size_t n, size_t *i, long *v, int depth);

static bool int_primary(const char *s, size_t n, size_t *i, long *v, int depth)
{
        size_t j = skip_ws(s, n, *i);

        if (j < n && s[j] == '-') {
                *i = j + 1;
                if (!int_primary(s, n, i, v, depth + 1))
                        return false;
                *v = -*v;
                return true;
        }
        if (j < n && s[j] == '(') {
                *i = j + 1;
                if (depth >= MAX_EVAL_DEPTH || !int_sum(s, n, i, v, depth + 1))
                        return false;
                j = skip_ws(s, n, *i);
                if (j >= n || s[j] != ')')
                        return false;
                *i = j + 1;
                return true;
        }
        if (j >= n || !isdigit((unsigned char)s[j]))
                return false;
        long x = 0;
        if (s[j] == '0' && j + 1 < n && (s[j + 1] == 'x' || s[j + 1] == 'X')) {
                size_t k = j + 2;
                for (; k < n && hex_digit(s[k]) >= 0 && k - j < 10; k++)
                        x = x * 16 + hex_digit(s[k]);
                if (k == j + 2)
                        return false;
                j = k;
        } else {
                size_t k = j;
                for (; k < n && isdigit((unsigned char)s[k]) && k - j < 9; k++)
                        x = x * 10 + (s[k] - '0');
                j = k;
        }
        if (j < n && (id_char(s[j]) || s[j] == '.'))
                return false;
        *v = x;
        *i = j;
        return true;
}

static bool int_product(const char *s, size_t n, size_t *i, long *v, int depth)
{
        if (!int_primary(s, n, i, v, depth))
                return false;
        for (;;) {
                size_t j = skip_ws(s, n, *i);
                if (j >= n || (s[j] != '*' && s[j] != '/' && s[j] != '%') ||
                    (j + 1 < n && s[j + 1] == '='))
                        return true;
                long r;
                size_t k = j + 1;
                if (!int_primary(s, n, &k, &r, depth))
                        return true;
                if (s[j] == '*')
                        *v = (*v > -1000000 && *v < 1000000 && r > -1000000 && r < 1000000) ? *v * r
                                                                                            : 0;
                else if (r == 0)
                        return false;
                else
                        *v = s[j] == '/' ? *v / r : *v % r;
                *i = k;
        }
}

static bool int_sum(const char *s, size_t n, size_t *i, long *v, int depth)
{
        if (!int_product(s, n, i, v, depth))
                return false;
        for (;;) {
                size_t j = skip_ws(s, n, *i);
                if (j >= n || (s[j] != '+' && s[j] != '-') || (j + 1 < n && s[j + 1] == s[j]) ||
                    (j + 1 < n && s[j + 1] == '='))
                        return true;
                long r;
                size_t k = j + 1;
                /* a + between a number and a string is concatenation: not ours */
                if (!int_product(s, n, &k, &r, depth))
                        return false;
                if (r > 1000000000L || r < -1000000000L || *v > 1000000000L || *v < -1000000000L)
                        return false;
                *v = s[j] == '+' ? *v + r : *v - r;
                *i = k;
        }
}

/* ---- string expressions ---- */

static bool str_expr(struct asm_ctx *c, size_t *i, struct textbuf *out, unsigned *pieces,
                     int depth);

static bool charge(struct asm_ctx *c, size_t bytes)
{
        c->copied += bytes;
        return c->copied <= COPY_BUDGET;
}

/* The brace or parenthesis that closes the one at s[at], counted outside quoted literals and,
 * with regexes, regular expressions; n when it does not close within limit bytes of at. */
static size_t bracket_close(const char *s, size_t n, size_t at, size_t limit, bool regexes)
{
        char open = s[at], close = open == '{' ? '}' : ')';
        size_t depth = 0;

        for (size_t j = at; j < n && j - at <= limit; j++) {
                if (s[j] == '\'' || s[j] == '"') {
                        size_t k = j;
                        if (!skip_quoted(s, n, &k))
                                return n;
                        j = k - 1;
                } else if (regexes && s[j] == '/' && j > at && regex_opens(s, j)) {
                        size_t k = j;
                        if (!skip_regex(s, n, &k))
                                return n;
                        j = k - 1;
                } else if (s[j] == open) {
                        depth++;
                } else if (s[j] == close && --depth == 0) {
                        return j;
                }
        }
        return n;
}

/* Past a function expression at *i (function [name]() {...}), its braces counted outside
 * strings. */
static bool skip_function(const char *s, size_t n, size_t *i)
{
        size_t j = skip_ws(s, n, *i);

        if (n - j < 8 || memcmp(s + j, "function", 8) != 0)
                return false;
        const char *open = memchr(s + j, '{', n - j < 256 ? n - j : 256);
        if (!open)
                return false;
        size_t close = bracket_close(s, n, (size_t)(open - s), MAX_SKIPPED_FUNCTION - 1, false);
        if (close == n)
                return false;
        *i = close + 1;
        return true;
}

/* ( a, b, 'c' ): the comma operator over literals and numbers, its value the last. */
static bool str_sequence(struct asm_ctx *c, size_t *i, struct textbuf *out, unsigned *pieces,
                         int depth)
{
        const char *s = c->s;
        size_t n = c->n, j = *i + 1;
        struct textbuf last = {0};
        unsigned last_pieces = 0;
        bool is_str = false;

        for (;;) {
                size_t k = j;
                long num;
                struct textbuf item = {0};
                unsigned p = 0;
                if (str_expr(c, &k, &item, &p, depth + 1)) {
                        free(last.p);
                        last = item;
                        last_pieces = p;
                        is_str = true;
                } else {
                        free(item.p);
                        k = j;
                        if (int_sum(s, n, &k, &num, depth + 1) || skip_function(s, n, &k))
                                is_str = false;
                        else
                                break;
                }
                j = skip_ws(s, n, k);
                if (j < n && s[j] == ',') {
                        j++;
                        continue;
                }
                if (j < n && s[j] == ')' && is_str) {
                        textbuf_put(out, last.p ? last.p : "", last.len);
                        *pieces += last_pieces;
                        free(last.p);
                        *i = j + 1;
                        return charge(c, last.len);
                }
                break;
        }
        free(last.p);
        return false;
}

/* [ 'a', 'b' ][ index ]: an item of an array of literals picked at a constant index. */
static bool str_pick(struct asm_ctx *c, size_t *i, struct textbuf *out, unsigned *pieces, int depth)
{
        const char *s = c->s;
        size_t n = c->n, j = skip_ws(s, n, *i + 1), starts[MAX_PICK_ITEMS + 1], count = 0;
        struct textbuf items = {0};
        unsigned p = 0;
        long index;
        bool ok = false;

        while (count < MAX_PICK_ITEMS) {
                starts[count] = items.len;
                if (!str_expr(c, &j, &items, &p, depth + 1))
                        goto out;
                count++;
                j = skip_ws(s, n, j);
                if (j < n && s[j] == ',') {
                        j++;
                        continue;
                }
                break;
        }
        starts[count] = items.len;
        if (j >= n || s[j] != ']')
                goto out;
        j = skip_ws(s, n, j + 1);
        if (j >= n || s[j] != '[')
                goto out;
        j++;
        if (!int_sum(s, n, &j, &index, depth + 1))
                goto out;
        j = skip_ws(s, n, j);
        if (j >= n || s[j] != ']' || index < 0 || (size_t)index >= count)
                goto out;
        /* items.p is NULL when every item is "" */
        if (starts[index + 1] > starts[index])
                textbuf_put(out, items.p + starts[index], starts[index + 1] - starts[index]);
        *pieces += 1;
        *i = j + 1;
        ok = charge(c, starts[index + 1] - starts[index]);
out:
        free(items.p);
        return ok;
}

/* String.fromCharCode(n, ...) of integer expressions. */
static bool str_from_char_code(struct asm_ctx *c, size_t *i, struct textbuf *out, unsigned *pieces)
{
        const char *s = c->s;
        size_t n = c->n, j = *i;
        static const char w[] = "String.fromCharCode";

        if (n - j < sizeof(w) || memcmp(s + j, w, sizeof(w) - 1) != 0)
                return false;
        j = skip_ws(s, n, j + sizeof(w) - 1);
        if (j >= n || s[j] != '(')
                return false;
        j++;
        struct textbuf tmp = {0};
        for (size_t count = 0; count < 4096; count++) {
                long v;
                if (!int_sum(s, n, &j, &v, 0) || v < 0 || v > 0xffff)
                        break;
                put_point(&tmp, (unsigned long)v);
                j = skip_ws(s, n, j);
                if (j < n && s[j] == ',') {
                        j++;
                        continue;
                }
                if (j < n && s[j] == ')') {
                        textbuf_put(out, tmp.p ? tmp.p : "", tmp.len);
                        free(tmp.p);
                        *pieces += 1;
                        *i = j + 1;
                        return true;
                }
                break;
        }
        free(tmp.p);
        return false;
}

/* VBScript's line and tab constants. */
static bool vb_constant(struct asm_ctx *c, size_t *i, struct textbuf *out, unsigned *pieces)
{
        static const struct {
                const char *name, *value;
        } constants[] = {
                {"vbCrLf", "\r\n"}, {"vbNewLine", "\r\n"}, {"vbLf", "\n"},
                {"vbCr", "\r"},     {"vbTab", "\t"},
        };
        size_t e = ident_end(c->s, c->n, *i);

        for (size_t k = 0; k < ELEMENTSOF(constants); k++)
                if (e - *i == strlen(constants[k].name) &&
                    strncasecmp(c->s + *i, constants[k].name, e - *i) == 0) {
                        textbuf_put(out, constants[k].value, strlen(constants[k].value));
                        *pieces += 1;
                        *i = e;
                        return true;
                }
        return false;
}

/* A literal, a variable holding a known string, a call of a function that returns one, a
 * sequence or a pick; then any calls of identity methods. */
static bool str_term(struct asm_ctx *c, size_t *i, struct textbuf *out, unsigned *pieces, int depth)
{
        const char *s = c->s;
        size_t n = c->n, j = skip_ws_continued(s, n, *i);

        if (depth >= MAX_EVAL_DEPTH || j >= n)
                return false;
        if (s[j] == '\'' || s[j] == '"') {
                size_t before = out->len;
                if (!read_literal(s, n, &j, out) || !charge(c, out->len - before))
                        return false;
                *pieces += 1;
        } else if (s[j] == '(') {
                if (!str_sequence(c, &j, out, pieces, depth))
                        return false;
        } else if (s[j] == '[') {
                if (!str_pick(c, &j, out, pieces, depth))
                        return false;
        } else if (id_start(s[j])) {
                if (str_from_char_code(c, &j, out, pieces) || vb_constant(c, &j, out, pieces))
                        goto postfix;
                size_t e = ident_end(s, n, j), k = skip_ws(s, n, e);
                size_t close = k < n ? skip_ws(s, n, k + 1) : n;
                bool call = k < n && s[k] == '(' && close < n && s[close] == ')';
                struct jvar *v = var_get(c, s + j, e - j, false);
                if (!v || !v->known || v->func != call)
                        return false;
                if (!charge(c, v->val.len))
                        return false;
                textbuf_put(out, v->val.p ? v->val.p : "", v->val.len);
                *pieces += v->pieces;
                j = call ? close + 1 : e;
        } else {
                return false;
        }
postfix:
        for (;;) {
                size_t k = skip_ws(s, n, j);
                if (k >= n || s[k] != '.')
                        break;
                size_t a = skip_ws(s, n, k + 1), e = ident_end(s, n, a), p = skip_ws(s, n, e);
                if (e == a || !identity_method(c, s + a, e - a) || p + 1 >= n || s[p] != '(')
                        break;
                p = skip_ws(s, n, p + 1);
                if (p >= n || s[p] != ')')
                        break;
                j = p + 1;
        }
        *i = j;
        return !out->oom;
}

/* Whether a concatenation operator is at k: JScript's + (not ++, +=) or VBScript's & (not
 * &&, &=, a hex number's &H). */
static bool concatenation(const char *s, size_t n, size_t k)
{
        if (k + 1 >= n)
                return false;
        if (s[k] == '+')
                return s[k + 1] != '+' && s[k + 1] != '=';
        return s[k] == '&' && s[k + 1] != '&' && s[k + 1] != '=' && s[k + 1] != 'h' &&
               s[k + 1] != 'H';
}

static bool str_expr(struct asm_ctx *c, size_t *i, struct textbuf *out, unsigned *pieces, int depth)
{
        const char *s = c->s;
        size_t n = c->n, j = *i;

        if (!str_term(c, &j, out, pieces, depth))
                return false;
        for (;;) {
                size_t k = skip_ws_continued(s, n, j);
                if (!concatenation(s, n, k))
                        break;
                k++;
                if (!str_term(c, &k, out, pieces, depth))
                        return false;
                if (out->len > MAX_VALUE)
                        return false;
                j = k;
        }
        *i = j;
        return true;
}

/* Whether an expression ends at i: the end of a statement, of a declaration, of a block. */
static bool expr_ends(const char *s, size_t n, size_t i)
{
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
        return i >= n || strchr(";,\n\r})", s[i]) != NULL;
}

/* NAME = expr or NAME += expr at i (NAME at [a, e)); the variable is forgotten when the
 * expression is not one this file reads. */
static void assignment(struct asm_ctx *c, size_t a, size_t e, size_t op, bool append)
{
        struct jvar *v = var_get(c, c->s + a, e - a, true);
        struct textbuf val = {0};
        unsigned pieces = 0;
        size_t j = op + (append ? 2 : 1);

        if (!v)
                return;
        if (append && v->known && !v->func) {
                textbuf_put(&val, v->val.p ? v->val.p : "", v->val.len);
                pieces = v->pieces;
                if (!charge(c, v->val.len))
                        goto forget;
        } else if (append) {
                goto forget;
        }
        if (!str_expr(c, &j, &val, &pieces, 0) || !expr_ends(c->s, c->n, j) || val.len > MAX_VALUE)
                goto forget;
        if (val.oom) {
                c->oom = true;
                goto forget;
        }
        free(v->val.p);
        v->val = val;
        v->pieces = pieces;
        v->known = true;
        v->func = false;
        return;
forget:
        free(val.p);
        free(v->val.p);
        v->val = (struct textbuf){0};
        v->known = false;
}

/* function NAME() { [var X = expr;]... return expr; }: NAME() is that string. */
static void function_definition(struct asm_ctx *c, size_t i)
{
        const char *s = c->s;
        size_t n = c->n, a = skip_ws(s, n, i), e = ident_end(s, n, a), j;

        if (e == a || e - a >= MAX_NAME)
                return;
        j = skip_ws(s, n, e);
        if (j >= n || s[j] != '(' || (j = skip_ws(s, n, j + 1)) >= n || s[j] != ')')
                return;
        j = skip_ws(s, n, j + 1);
        if (j >= n || s[j] != '{')
                return;
        for (j++;;) {
                j = skip_ws(s, n, j);
                size_t w = ident_end(s, n, j);
                if (is_word(s, j, w, "var")) {
                        size_t va = skip_ws(s, n, w), ve = ident_end(s, n, va);
                        size_t eq = skip_ws(s, n, ve);
                        if (ve == va || eq >= n || s[eq] != '=' || s[eq + 1] == '=')
                                return;
                        assignment(c, va, ve, eq, false);
                        struct jvar *v = var_get(c, s + va, ve - va, false);
                        if (!v || !v->known)
                                return;
                        /* past the expression just read: to the end of its statement */
                        unsigned p = 0;
                        struct textbuf tmp = {0};
                        size_t k = eq + 1;
                        bool ok = str_expr(c, &k, &tmp, &p, 0);
                        free(tmp.p);
                        if (!ok)
                                return;
                        k = skip_ws(s, n, k);
                        if (k < n && s[k] == ';')
                                k++;
                        j = k;
                        continue;
                }
                if (!is_word(s, j, w, "return"))
                        return;
                struct textbuf val = {0};
                unsigned pieces = 0;
                size_t k = w;
                if (!str_expr(c, &k, &val, &pieces, 0)) {
                        free(val.p);
                        return;
                }
                k = skip_ws(s, n, k);
                if (k < n && s[k] == ';')
                        k = skip_ws(s, n, k + 1);
                if (k >= n || s[k] != '}' || val.oom) {
                        free(val.p);
                        return;
                }
                struct jvar *v = var_get(c, s + a, e - a, true);
                if (!v) {
                        free(val.p);
                        return;
                }
                free(v->val.p);
                v->val = val;
                v->pieces = 1;
                v->known = v->func = true;
                return;
        }
}

/* The body of a method at i ("{ return this }" or "{ var v = this; return v }"). */
static bool identity_body(const char *s, size_t n, size_t i)
{
        size_t j = skip_ws(s, n, i), w, va = 0, ve = 0;

        if (j >= n || s[j] != '{')
                return false;
        j = skip_ws(s, n, j + 1);
        w = ident_end(s, n, j);
        if (is_word(s, j, w, "var")) {
                va = skip_ws(s, n, w);
                ve = ident_end(s, n, va);
                j = skip_ws(s, n, ve);
                if (ve == va || j >= n || s[j] != '=')
                        return false;
                j = skip_ws(s, n, j + 1);
                w = ident_end(s, n, j);
                if (!is_word(s, j, w, "this"))
                        return false;
                j = skip_ws(s, n, w);
                if (j < n && s[j] == ';')
                        j = skip_ws(s, n, j + 1);
                w = ident_end(s, n, j);
        }
        if (!is_word(s, j, w, "return"))
                return false;
        j = skip_ws(s, n, w);
        w = ident_end(s, n, j);
        if (ve > va ? w - j != ve - va || memcmp(s + j, s + va, w - j) != 0
                    : !is_word(s, j, w, "this"))
                return false;
        j = skip_ws(s, n, w);
        if (j < n && s[j] == ';')
                j = skip_ws(s, n, j + 1);
        return j < n && s[j] == '}';
}

/* The identity methods that s defines: function String.prototype.f() {...} (JScript's own
 * syntax) and String.prototype.f = function () {...}, of String or Object. */
static void collect_identity(struct asm_ctx *c)
{
        const char *s = c->s, *p = s;
        size_t n = c->n;

        while (c->nidentity < MAX_IDENTITY &&
               (p = memmem(p, n - (size_t)(p - s), ".prototype.", 11))) {
                size_t at = (size_t)(p - s), a = at + 11, e = ident_end(s, n, a), j;
                p += 11;
                if (at < 6 || e == a || e - a >= MAX_NAME ||
                    !(memcmp(s + at - 6, "String", 6) == 0 || memcmp(s + at - 6, "Object", 6) == 0))
                        continue;
                j = skip_ws(s, n, e);
                if (j < n && s[j] == '=') {
                        j = skip_ws(s, n, j + 1);
                        size_t w = ident_end(s, n, j);
                        if (!is_word(s, j, w, "function"))
                                continue;
                        j = skip_ws(s, n, w);
                        j = ident_end(s, n, j);
                        j = skip_ws(s, n, j);
                }
                if (j >= n || s[j] != '(' || (j = skip_ws(s, n, j + 1)) >= n || s[j] != ')')
                        continue;
                if (!identity_body(s, n, j + 1))
                        continue;
                memcpy(c->identity[c->nidentity], s + a, e - a);
                c->identity[c->nidentity++][e - a] = 0;
        }
}

static void ctx_free(struct asm_ctx *c)
{
        for (size_t k = 0; k < c->nvars; k++)
                free(c->vars[k].val.p);
        free(c->vars);
}

/* An index or an argument at i that joins known strings (obj["wscr" + x], f(a + "b")):
 * its value is kept in operands, a line each. */
static void operand(struct asm_ctx *c, size_t i, struct textbuf *operands)
{
        struct textbuf val = {0};
        unsigned pieces = 0;
        size_t j = i;

        if (operands->len >= MAX_OUTPUT || !str_term(c, &j, &val, &pieces, 0) ||
            !concatenation(c->s, c->n, skip_ws(c->s, c->n, j))) {
                free(val.p);
                return;
        }
        j = i;
        val.len = 0;
        pieces = 0;
        if (str_expr(c, &j, &val, &pieces, 0) && pieces >= 2 && val.len >= 4 &&
            (j = skip_ws(c->s, c->n, j)) < c->n && strchr("]),", c->s[j])) {
                textbuf_putc(operands, '\n');
                textbuf_put(operands, val.p, val.len);
                textbuf_putc(operands, '\n');
        }
        free(val.p);
}

int jsasm_assembled_values(const char *s, size_t n, struct textbuf *out)
{
        struct asm_ctx *c = calloc(1, sizeof(*c));
        struct textbuf operands = {0};
        struct quote_memo quotes = {0};
        int written = 0;

        if (!c) {
                out->oom = true;
                return 0;
        }
        c->s = s;
        c->n = n;
        /* not zeroed: var_get() clears an entry when it hands it out (a text names a few of
         * the MAX_VARS, and clearing all 200 KiB cost as much as reading a small script) */
        c->vars = malloc(MAX_VARS * sizeof(*c->vars));
        if (!c->vars) {
                free(c);
                out->oom = true;
                return 0;
        }
        collect_identity(c);
        for (size_t i = 0; i < n && !c->oom && c->copied <= COPY_BUDGET; i++) {
                char ch = s[i];
                if (ch == '\'' || ch == '"' || ch == '`') {
                        size_t j = i;
                        if (skip_quoted_memo(s, n, &j, &quotes))
                                i = j - 1;
                        continue;
                }
                if (ch == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*')) {
                        const char *end = s[i + 1] == '/' ? memchr(s + i, '\n', n - i)
                                                          : memmem(s + i + 2, n - i - 2, "*/", 2);
                        if (!end)
                                break;
                        i = (size_t)(end - s);
                        continue;
                }
                if (ch == '/' && regex_opens(s, i)) {
                        size_t j = i;
                        if (skip_regex(s, n, &j))
                                i = j - 1;
                        continue;
                }
                if (ch == '[' || ch == '(') {
                        operand(c, i + 1, &operands);
                        continue;
                }
                if (!id_start(ch) || (i > 0 && (id_char(s[i - 1]) || s[i - 1] == '.')))
                        continue;
                size_t e = ident_end(s, n, i), j = skip_ws(s, n, e);
                if (is_word(s, i, e, "function")) {
                        function_definition(c, e);
                } else if (j + 1 < n && s[j] == '=' && s[j + 1] != '=') {
                        assignment(c, i, e, j, false);
                } else if (j + 2 < n && s[j] == '+' && s[j + 1] == '=') {
                        assignment(c, i, e, j, true);
                }
                i = e - 1;
        }
        for (size_t k = 0; k < c->nvars && !c->oom; k++) {
                const struct jvar *v = &c->vars[k];
                if (!v->known || v->func || v->pieces < JSASM_MIN_PIECES ||
                    v->val.len < JSASM_MIN_VALUE || out->len + v->val.len > MAX_OUTPUT)
                        continue;
                textbuf_putc(out, '\n');
                textbuf_put(out, v->val.p, v->val.len);
                textbuf_putc(out, '\n');
                written++;
        }
        if (operands.len > 0 && out->len + operands.len <= MAX_OUTPUT) {
                textbuf_put(out, operands.p, operands.len);
                written++;
        }
        if (c->oom || operands.oom)
                out->oom = true;
        free(operands.p);
        ctx_free(c);
        free(c);
        return written;
}

int jsasm_identity_calls(const char *s, size_t n, struct textbuf *out)
{
        struct asm_ctx c = {.s = s, .n = n};
        struct quote_memo quotes = {0};
        size_t copied = 0;
        int removed = 0;

        if (memmem(s, n, ".prototype.", 11))
                collect_identity(&c);
        for (size_t i = 0; c.nidentity > 0 && i < n; i++) {
                if (s[i] != '\'' && s[i] != '"')
                        continue;
                size_t j = i;
                if (!skip_quoted_memo(s, n, &j, &quotes))
                        continue;
                i = j - 1;
                size_t k = j;
                for (;;) {
                        size_t d = skip_ws(s, n, k);
                        if (d >= n || s[d] != '.')
                                break;
                        size_t a = skip_ws(s, n, d + 1), e = ident_end(s, n, a),
                               p = skip_ws(s, n, e);
                        if (e == a || !identity_method(&c, s + a, e - a) || p >= n || s[p] != '(')
                                break;
                        p = skip_ws(s, n, p + 1);
                        if (p >= n || s[p] != ')')
                                break;
                        k = p + 1;
                }
                if (k == j)
                        continue;
                textbuf_put(out, s + copied, j - copied);
                copied = k;
                i = k - 1;
                removed++;
        }
        textbuf_put(out, s + copied, n - copied);
        return removed;
}

static bool names_wsh(const char *s, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                char c = (char)(s[i] | 0x20);
                if ((c == 'a' && n - i >= 13 && strncasecmp(s + i, "activexobject", 13) == 0) ||
                    (c == 'w' && n - i >= 7 && strncasecmp(s + i, "wscript", 7) == 0))
                        return true;
        }
        return false;
}

int jsasm_strip_comments(const char *s, size_t n, struct textbuf *out)
{
        struct quote_memo quotes = {0};
        size_t copied = 0;
        int removed = 0;

        if (!names_wsh(s, n)) {
                textbuf_put(out, s, n);
                return 0;
        }
        for (size_t i = 0; i < n; i++) {
                char ch = s[i];
                if (ch == '\'' || ch == '"' || ch == '`') {
                        size_t j = i;
                        if (skip_quoted_memo(s, n, &j, &quotes))
                                i = j - 1;
                        continue;
                }
                if (ch != '/')
                        continue;
                /* conditional compilation (/ *@cc_on, //@set) is code for the host */
                if (i + 2 < n && (s[i + 1] == '/' || s[i + 1] == '*') && s[i + 2] != '@') {
                        bool line = s[i + 1] == '/';
                        /* a // after a value's character is a URL's (http://) or a division's
                         * neighbour, not a comment */
                        if (line && i > 0 && !strchr(" \t\r\n;{}()", s[i - 1]))
                                continue;
                        const char *end = line ? memchr(s + i, '\n', n - i)
                                               : memmem(s + i + 2, n - i - 2, "*/", 2);
                        size_t stop = end ? (size_t)(end - s) + (line ? 0 : 2) : n;
                        textbuf_put(out, s + copied, i - copied);
                        textbuf_putc(out, ' ');
                        copied = stop;
                        i = stop - 1;
                        removed++;
                        continue;
                }
                if (regex_opens(s, i)) {
                        size_t j = i;
                        if (skip_regex(s, n, &j))
                                i = j - 1;
                }
        }
        textbuf_put(out, s + copied, n - copied);
        return removed;
}

/* The ( after eval or Function (new Function('code'), Function('code')()) at p, or 0. */
static size_t code_call(const char *s, size_t n, const char *p)
{
        size_t at = (size_t)(p - s), len = p[0] == 'e' ? 4 : 8, j = skip_ws(s, n, at + len);

        if ((at > 0 && (id_char(s[at - 1]) || s[at - 1] == '.')) || j >= n || s[j] != '(')
                return 0;
        return j;
}

int jsasm_eval_literals(const char *s, size_t n, struct textbuf *out)
{
        size_t copied = 0;
        int unwrapped = 0;

        for (size_t i = 0; i + 4 <= n; i++) {
                if (!(s[i] == 'e' && memcmp(s + i, "eval", 4) == 0) &&
                    !(s[i] == 'F' && n - i >= 8 && memcmp(s + i, "Function", 8) == 0))
                        continue;
                size_t j = code_call(s, n, s + i);
                if (j == 0 || i < copied)
                        continue;
                size_t lit = skip_ws(s, n, j + 1), end = lit;
                struct textbuf code = {0};
                if (lit >= n || !read_literal(s, n, &end, &code) ||
                    code.len < JSASM_MIN_EVAL_CODE || (end = skip_ws(s, n, end)) >= n ||
                    s[end] != ')') {
                        free(code.p);
                        continue;
                }
                textbuf_put(out, s + copied, j + 1 - copied);
                textbuf_putc(out, '\n');
                textbuf_put(out, code.p, code.len);
                textbuf_putc(out, '\n');
                free(code.p);
                copied = end;
                i = end - 1;
                unwrapped++;
        }
        textbuf_put(out, s + copied, n - copied);
        return unwrapped;
}

int jsasm_char_code_apply(const char *s, size_t n, struct textbuf *out)
{
        static const char w[] = "String.fromCharCode.apply";
        size_t copied = 0;
        int folded = 0;

        for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), w, sizeof(w) - 1)); p++) {
                size_t at = (size_t)(p - s), j = skip_ws(s, n, at + sizeof(w) - 1);
                if (at < copied || j >= n || s[j] != '(')
                        continue;
                /* the this argument: null, this or a name */
                j = skip_ws(s, n, j + 1);
                size_t e = ident_end(s, n, j);
                if (e == j || (j = skip_ws(s, n, e)) >= n || s[j] != ',' ||
                    (j = skip_ws(s, n, j + 1)) >= n || s[j] != '[')
                        continue;
                j++;
                struct textbuf lit = {0};
                bool ok = false;
                for (size_t count = 0; count < 65536; count++) {
                        long v;
                        if (!int_sum(s, n, &j, &v, 0) || v < 0x20 || v > 0x7e)
                                break;
                        if (v == '"' || v == '\\')
                                textbuf_putc(&lit, '\\');
                        textbuf_putc(&lit, (char)v);
                        j = skip_ws(s, n, j);
                        if (j < n && s[j] == ',') {
                                j++;
                                continue;
                        }
                        if (j < n && s[j] == ']' && (j = skip_ws(s, n, j + 1)) < n && s[j] == ')')
                                ok = true;
                        break;
                }
                if (ok && !lit.oom) {
                        textbuf_put(out, s + copied, at - copied);
                        textbuf_putc(out, '"');
                        textbuf_put(out, lit.p ? lit.p : "", lit.len);
                        textbuf_putc(out, '"');
                        copied = j + 1;
                        p = s + j;
                        folded++;
                }
                free(lit.p);
        }
        textbuf_put(out, s + copied, n - copied);
        return folded;
}

/* ---- calls over literals folded where they stand ---- */

#define MAX_FOLD_WRAPPERS 64
#define MAX_FOLD_CODES    65536

/* A one-parameter function that hands back its argument, or the character of that code:
 * function f(x) { return x; }, function d(c) { return String.fromCharCode(c - 3); }. */
struct fold_wrapper {
        char name[MAX_NAME];
        bool char_code;
        long add;
        size_t constant; /* no parameter: the literal it returns, at this offset; else 0 */
};

/* NAME = { key: 'literal', ... } */
struct fold_object {
        char name[MAX_NAME];
        size_t open; /* the brace */
};

#define MAX_FOLD_OBJECTS 128
#define MAX_FOLD_SETTERS 1024
#define MAX_FOLD_PIECES  16384

/* function F(v, i) { ARR[i] = v; }: F('literal', index) is ARR[index] = 'literal' */
struct fold_setter {
        char name[MAX_NAME], array[MAX_NAME];
        bool value_first;
};

struct fold_piece {
        char array[MAX_NAME];
        long index;
        size_t literal; /* offset of the literal in the text */
};
#define MAX_OBJECT_TEXT 8192

struct fold_ctx {
        const char *s;
        size_t n;
        struct fold_wrapper wrappers[MAX_FOLD_WRAPPERS];
        size_t nwrappers;
        struct fold_object objects[MAX_FOLD_OBJECTS];
        size_t nobjects;
        struct fold_setter setters[MAX_FOLD_SETTERS];
        size_t nsetters;
        struct fold_piece *pieces; /* ARR[index] = 'literal', in the order written */
        size_t npieces;
};

static bool same_name(const char *s, size_t a, size_t a_end, size_t b, size_t b_end)
{
        return a_end - a == b_end - b && memcmp(s + a, s + b, a_end - a) == 0;
}

/* Where the blanks before i begin. */
static size_t ws_before(const char *s, size_t i)
{
        while (i > 0 &&
               (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' || s[i - 1] == '\r'))
                i--;
        return i;
}

static bool at_word(const char *s, size_t n, size_t i, const char *w)
{
        size_t len = strlen(w);

        return n - i >= len && memcmp(s + i, w, len) == 0 && (i + len >= n || !id_char(s[i + len]));
}

/* The value as a literal in the quote preferred (the folded literal's own, so that PowerShell's
 * '...' stays one), or in the other when the value holds the preferred and not the other (an
 * escape would stay escaped in the code that the passes join from such literals); the quote,
 * the backslash and line ends escaped. */
static void put_requoted(struct textbuf *out, const char *p, size_t len, char prefer)
{
        char other = prefer == '"' ? '\'' : '"';
        char q = memchr(p, prefer, len) && !memchr(p, other, len) ? other : prefer;

        textbuf_putc(out, q);
        for (size_t k = 0; k < len; k++) {
                char ch = p[k];
                if (ch == q || ch == '\\')
                        textbuf_putc(out, '\\');
                if (ch == '\n' || ch == '\r')
                        textbuf_put(out, ch == '\n' ? "\\n" : "\\r", 2);
                else
                        textbuf_putc(out, ch);
        }
        textbuf_putc(out, q);
}

/* String.fromCharCode(codes) at *i, each an integer expression: its characters to val. */
static bool fold_char_codes(const char *s, size_t n, size_t *i, struct textbuf *val)
{
        static const char w[] = "String.fromCharCode";
        size_t j = *i;

        if (!at_word(s, n, j, w))
                return false;
        j = skip_ws(s, n, j + sizeof(w) - 1);
        if (j >= n || s[j] != '(')
                return false;
        j++;
        for (size_t count = 0; count < MAX_FOLD_CODES; count++) {
                long v;
                if (!int_sum(s, n, &j, &v, 0) || v <= 0 || v > 0xffff)
                        return false;
                put_point(val, (unsigned long)v);
                j = skip_ws(s, n, j);
                if (j < n && s[j] == ',') {
                        j++;
                        continue;
                }
                if (j < n && s[j] == ')') {
                        *i = j + 1;
                        return true;
                }
                return false;
        }
        return false;
}

/* The integer arguments of a call at *i (the open parenthesis): up to max of them. */
static int int_args(const char *s, size_t n, size_t *i, long *args, int max)
{
        size_t j = skip_ws(s, n, *i);
        int count = 0;

        if (j >= n || s[j] != '(')
                return -1;
        j = skip_ws(s, n, j + 1);
        if (j < n && s[j] == ')') {
                *i = j + 1;
                return 0;
        }
        for (;;) {
                if (count >= max || !int_sum(s, n, &j, &args[count], 0))
                        return -1;
                count++;
                j = skip_ws(s, n, j);
                if (j < n && s[j] == ',') {
                        j++;
                        continue;
                }
                if (j >= n || s[j] != ')')
                        return -1;
                *i = j + 1;
                return count;
        }
}

/* JScript's substr (start, length) and substring (from, to: swapped, clamped) over v, in
 * place. (slice is pass_literals' in normalise.c, which keeps the literal's own quotes: the
 * fragments it cuts are joined into code by the passes after it.) */
static bool cut(struct textbuf *v, const char *method, const long *args, int nargs)
{
        long len = (long)v->len, a = nargs > 0 ? args[0] : 0, b;

        if (strcmp(method, "substr") == 0) {
                if (a < 0)
                        a = a + len < 0 ? 0 : a + len;
                a = a > len ? len : a;
                b = nargs > 1 ? a + (args[1] < 0 ? 0 : args[1]) : len;
        } else if (strcmp(method, "substring") == 0) {
                b = nargs > 1 ? args[1] : len;
                a = a < 0 ? 0 : a > len ? len : a;
                b = b < 0 ? 0 : b > len ? len : b;
                if (a > b) {
                        long t = a;
                        a = b;
                        b = t;
                }
        } else {
                return false;
        }
        a = a > len ? len : a;
        b = b > len ? len : b < a ? a : b;
        if (b > a) /* "" has no buffer */
                memmove(v->p, v->p + a, (size_t)(b - a));
        v->len = (size_t)(b - a);
        return true;
}

/* One method of a string read at *i, after the value v: .charAt(n), ["charAt"](n), [n],
 * .substr(a, b), .substring(a, b), .slice(a, b). v becomes the method's value. */
static bool fold_method(const char *s, size_t n, size_t *i, struct textbuf *v)
{
        size_t j = skip_ws(s, n, *i);
        char method[16];
        long args[2];

        if (j + 1 >= n)
                return false;
        if (s[j] == '.') {
                size_t a = skip_ws(s, n, j + 1), e = ident_end(s, n, a);
                if (e == a || e - a >= sizeof(method))
                        return false;
                memcpy(method, s + a, e - a);
                method[e - a] = 0;
                j = e;
        } else if (s[j] == '[') {
                size_t a = skip_ws(s, n, j + 1);
                long index;
                if (a < n && (s[a] == '\'' || s[a] == '"')) {
                        struct textbuf name = {0};
                        bool ok = read_literal(s, n, &a, &name) && name.len > 0 &&
                                  name.len < sizeof(method);
                        if (ok) {
                                memcpy(method, name.p, name.len);
                                method[name.len] = 0;
                        }
                        free(name.p);
                        a = skip_ws(s, n, a);
                        if (!ok || a >= n || s[a] != ']')
                                return false;
                        j = a + 1;
                } else if (int_sum(s, n, &a, &index, 0) && (a = skip_ws(s, n, a)) < n &&
                           s[a] == ']') {
                        /* "abc"[1] = ... is no value; "abc"[1] == "b" is */
                        size_t after = skip_ws(s, n, a + 1);
                        if (index < 0 || (size_t)index >= v->len ||
                            (after < n && s[after] == '=' &&
                             (after + 1 >= n || s[after + 1] != '=')))
                                return false;
                        v->p[0] = v->p[index];
                        v->len = 1;
                        *i = a + 1;
                        return true;
                } else {
                        return false;
                }
        } else {
                return false;
        }
        int nargs = int_args(s, n, &j, args, 2);
        if (nargs < 0)
                return false;
        if (strcmp(method, "charAt") == 0) {
                if (nargs != 1 || args[0] < 0 || (size_t)args[0] >= v->len)
                        return false;
                v->p[0] = v->p[args[0]];
                v->len = 1;
        } else if (!cut(v, method, args, nargs)) {
                return false;
        }
        *i = j;
        return true;
}

/* A literal at *i followed by at least one method of fold_method(). */
static bool fold_literal_methods(const char *s, size_t n, size_t *i, struct textbuf *val)
{
        size_t j = *i;
        int methods = 0;

        if (!read_literal(s, n, &j, val) || val->oom)
                return false;
        while (methods < 64 && fold_method(s, n, &j, val))
                methods++;
        if (methods == 0)
                return false;
        *i = j;
        return true;
}

/* (function [name]() { return 'literal'; })() or (function [name]() {...}()) at *i. */
static bool fold_iife(const char *s, size_t n, size_t *i, struct textbuf *val)
{
        size_t j = skip_ws(s, n, *i + 1);

        if (!at_word(s, n, j, "function"))
                return false;
        j = skip_ws(s, n, ident_end(s, n, skip_ws(s, n, j + 8)));
        if (j + 1 >= n || s[j] != '(' || (j = skip_ws(s, n, j + 1)) >= n || s[j] != ')' ||
            (j = skip_ws(s, n, j + 1)) >= n || s[j] != '{')
                return false;
        j = skip_ws(s, n, j + 1);
        if (!at_word(s, n, j, "return"))
                return false;
        j = skip_ws(s, n, j + 6);
        if (j >= n || !read_literal(s, n, &j, val))
                return false;
        j = skip_ws(s, n, j);
        if (j < n && s[j] == ';')
                j = skip_ws(s, n, j + 1);
        if (j >= n || s[j] != '}')
                return false;
        j = skip_ws(s, n, j + 1);
        /* })() or }()) */
        if (j + 2 < n && s[j] == ')' && (j = skip_ws(s, n, j + 1)) + 1 < n && s[j] == '(' &&
            (j = skip_ws(s, n, j + 1)) < n && s[j] == ')') {
                *i = j + 1;
                return true;
        }
        if (j + 1 < n && s[j] == '(' && (j = skip_ws(s, n, j + 1)) < n && s[j] == ')' &&
            (j = skip_ws(s, n, j + 1)) < n && s[j] == ')') {
                *i = j + 1;
                return true;
        }
        return false;
}

/* [('a', 1, 'b')]: the comma operator over literals and numbers choosing a member's name, at *i
 * (the parenthesis). */
static bool fold_sequence(const char *s, size_t n, size_t *i, struct textbuf *val)
{
        size_t j = *i, before = ws_before(s, *i);
        int items = 0;
        bool last_is_str = false;

        /* only a member's name, o[('a', 'b')]: elsewhere ('a', 'b') is PowerShell's array or
         * Python's tuple */
        if (before == 0 || s[before - 1] != '[')
                return false;
        for (j++;; j++) {
                long num;
                j = skip_ws(s, n, j);
                if (items >= 256 || j >= n)
                        return false;
                if (s[j] == '\'' || s[j] == '"') {
                        val->len = 0;
                        if (!read_literal(s, n, &j, val))
                                return false;
                        last_is_str = true;
                } else if (int_sum(s, n, &j, &num, 0)) {
                        last_is_str = false;
                } else {
                        return false;
                }
                items++;
                j = skip_ws(s, n, j);
                if (j < n && s[j] == ',')
                        continue;
                if (j < n && s[j] == ')' && items > 1 && last_is_str) {
                        size_t after = skip_ws(s, n, j + 1);
                        if (after >= n || s[after] != ']')
                                return false;
                        *i = j + 1;
                        return true;
                }
                return false;
        }
}

/* function NAME(P) { return P; } or { return String.fromCharCode(P [+-] K); } at i (the
 * word function), and NAME = function (P) {...}. */
static void collect_fold_wrapper(struct fold_ctx *c, size_t i)
{
        const char *s = c->s;
        size_t n = c->n, j = skip_ws(s, n, i + 8), na, ne, pa, pe;
        struct fold_wrapper w = {0};

        na = j;
        ne = ident_end(s, n, na);
        if (ne == na) {
                /* NAME = function: the name before the = */
                size_t k = ws_before(s, i);
                if (k == 0 || s[k - 1] != '=' || (k >= 2 && strchr("=!<>", s[k - 2])))
                        return;
                ne = ws_before(s, k - 1);
                for (na = ne; na > 0 && id_char(s[na - 1]);)
                        na--;
                if (na > 0 && s[na - 1] == '.')
                        return;
        }
        if (ne == na || ne - na >= MAX_NAME || !id_start(s[na]))
                return;
        if ((j = skip_ws(s, n, j == na ? ne : j)) >= n || s[j] != '(')
                return;
        pa = skip_ws(s, n, j + 1);
        pe = ident_end(s, n, pa);
        if (pe == pa || (j = skip_ws(s, n, pe)) + 1 >= n || s[j] != ')' ||
            (j = skip_ws(s, n, j + 1)) >= n || s[j] != '{')
                return;
        j = skip_ws(s, n, j + 1);
        if (!at_word(s, n, j, "return"))
                return;
        j = skip_ws(s, n, j + 6);
        if (at_word(s, n, j, "String.fromCharCode")) {
                j = skip_ws(s, n, j + 19);
                if (j >= n || s[j] != '(')
                        return;
                j = skip_ws(s, n, j + 1);
                w.char_code = true;
        }
        size_t e = ident_end(s, n, j);
        if (e - j != pe - pa || memcmp(s + j, s + pa, pe - pa) != 0)
                return;
        j = skip_ws(s, n, e);
        if (w.char_code) {
                if (j < n && (s[j] == '+' || s[j] == '-')) {
                        size_t k = j + 1;
                        if (!int_product(s, n, &k, &w.add, 0))
                                return;
                        w.add = s[j] == '-' ? -w.add : w.add;
                        j = skip_ws(s, n, k);
                }
                if (j >= n || s[j] != ')')
                        return;
                j = skip_ws(s, n, j + 1);
        }
        if (j < n && s[j] == ';')
                j = skip_ws(s, n, j + 1);
        if (j >= n || s[j] != '}' || c->nwrappers >= MAX_FOLD_WRAPPERS)
                return;
        memcpy(w.name, s + na, ne - na);
        w.name[ne - na] = 0;
        c->wrappers[c->nwrappers++] = w;
}

/* function NAME() { [var x = ...;]... return 'literal'; } at i (the word function): the
 * statements before the return have no block of their own. */
static void collect_fold_constant(struct fold_ctx *c, size_t i)
{
        const char *s = c->s;
        size_t n = c->n, na = skip_ws(s, n, i + 8), ne = ident_end(s, n, na), j;
        struct fold_wrapper w = {0};

        if (ne == na || ne - na >= MAX_NAME || !id_start(s[na]) ||
            (j = skip_ws(s, n, ne)) + 1 >= n || s[j] != '(' || (j = skip_ws(s, n, j + 1)) >= n ||
            s[j] != ')' || (j = skip_ws(s, n, j + 1)) >= n || s[j] != '{')
                return;
        size_t open = j, limit = n - open > 1024 ? open + 1024 : n;
        const char *close = memchr(s + open + 1, '}', limit - open - 1);
        if (!close || memchr(s + open + 1, '{', (size_t)(close - s) - open - 1))
                return;
        /* the last statement: return 'literal'; */
        const char *ret = NULL;
        for (const char *p = s + open; (p = memmem(p, (size_t)(close - p), "return", 6)); p += 6)
                ret = p;
        if (!ret || id_char(ret[-1]) || id_char(ret[6]))
                return;
        j = skip_ws(s, n, (size_t)(ret - s) + 6);
        size_t lit = j;
        struct textbuf tmp = {0};
        bool ok = j < n && read_literal(s, n, &j, &tmp);
        free(tmp.p);
        if (!ok)
                return;
        j = skip_ws(s, n, j);
        if (j < n && s[j] == ';')
                j = skip_ws(s, n, j + 1);
        if (j != (size_t)(close - s) || c->nwrappers >= MAX_FOLD_WRAPPERS)
                return;
        memcpy(w.name, s + na, ne - na);
        w.name[ne - na] = 0;
        w.constant = lit;
        c->wrappers[c->nwrappers++] = w;
}

static const struct fold_wrapper *fold_wrapper_named(const struct fold_ctx *c, const char *p,
                                                     size_t len)
{
        for (size_t k = 0; k < c->nwrappers; k++)
                if (strlen(c->wrappers[k].name) == len && memcmp(c->wrappers[k].name, p, len) == 0)
                        return &c->wrappers[k];
        return NULL;
}

/* NAME(argument) at *i for a wrapper: a literal for an identity, a code for a character's. */
static bool fold_wrapper_call(const struct fold_ctx *c, size_t *i, struct textbuf *val)
{
        const char *s = c->s;
        size_t n = c->n, e = ident_end(s, n, *i), j = skip_ws(s, n, e);
        const struct fold_wrapper *w = fold_wrapper_named(c, s + *i, e - *i);

        size_t before = ws_before(s, *i);
        if (!w || j >= n || s[j] != '(' ||
            (before >= 8 && memcmp(s + before - 8, "function", 8) == 0))
                return false;
        if (w->constant) {
                size_t lit = w->constant;
                if ((j = skip_ws(s, n, j + 1)) >= n || s[j] != ')' ||
                    !read_literal(s, n, &lit, val))
                        return false;
                j++;
        } else if (w->char_code) {
                long code;
                if (int_args(s, n, &j, &code, 1) != 1 || code + w->add <= 0 ||
                    code + w->add > 0xffff)
                        return false;
                put_point(val, (unsigned long)(code + w->add));
        } else {
                j = skip_ws(s, n, j + 1);
                if (j >= n || !read_literal(s, n, &j, val) || (j = skip_ws(s, n, j)) >= n ||
                    s[j] != ')')
                        return false;
                j++;
        }
        *i = j;
        return true;
}

/* The object literal at open ({ key: 'value', "key": "value" }, literal values only): the value
 * of key (len bytes, or any key when key is NULL) to val when it has it. Sets *ret_close past
 * the closing brace. False when the object holds anything but literals. */
static bool object_value(const char *s, size_t n, size_t open, const char *key, size_t len,
                         struct textbuf *val, size_t *ret_close)
{
        size_t j = skip_ws(s, n, open + 1);
        bool found = false;

        if (j < n && s[j] == '}') /* {} is no table of names */
                return false;
        while (j < n && j - open < MAX_OBJECT_TEXT) {
                size_t ka, ke, k;
                if (s[j] == '\'' || s[j] == '"') {
                        ka = j + 1;
                        k = j;
                        if (!skip_quoted(s, n, &k))
                                return false;
                        ke = k - 1;
                } else if (id_char(s[j])) {
                        ka = j;
                        k = ke = ident_end(s, n, j);
                } else {
                        return false;
                }
                k = skip_ws(s, n, k);
                if (k >= n || s[k] != ':')
                        return false;
                k = skip_ws(s, n, k + 1);
                if (k >= n || (s[k] != '\'' && s[k] != '"'))
                        return false;
                bool wanted = !found && key && ke - ka == len && memcmp(s + ka, key, len) == 0;
                struct textbuf item = {0};
                if (!read_literal(s, n, &k, wanted ? val : &item)) {
                        free(item.p);
                        return false;
                }
                free(item.p);
                found = found || wanted;
                j = skip_ws(s, n, k);
                if (j < n && s[j] == ',')
                        j = skip_ws(s, n, j + 1);
                if (j < n && s[j] == '}') {
                        *ret_close = j + 1;
                        return found || !key;
                }
        }
        return false;
}

/* A key after an object at *i: ["key"] or .key. */
static bool member_key(const char *s, size_t n, size_t *i, size_t *ret_a, size_t *ret_e)
{
        size_t j = skip_ws(s, n, *i);

        if (j + 1 >= n)
                return false;
        if (s[j] == '.') {
                size_t a = skip_ws(s, n, j + 1), e = ident_end(s, n, a);
                if (e == a)
                        return false;
                *ret_a = a;
                *ret_e = *i = e;
        } else if (s[j] == '[') {
                size_t k = skip_ws(s, n, j + 1), a = k + 1;
                if (k >= n || (s[k] != '\'' && s[k] != '"') || !skip_quoted(s, n, &k))
                        return false;
                size_t e = k - 1;
                k = skip_ws(s, n, k);
                if (k >= n || s[k] != ']' || memchr(s + a, '\\', e - a))
                        return false;
                *ret_a = a;
                *ret_e = e;
                *i = k + 1;
        } else {
                return false;
        }
        /* a member assigned to is no constant */
        size_t after = skip_ws(s, n, *i);
        return after >= n || s[after] != '=' || (after + 1 < n && s[after + 1] == '=');
}

/* { key: 'v', ... }["key"] or .key at *i. */
static bool fold_object_pick(const char *s, size_t n, size_t *i, struct textbuf *val)
{
        size_t close, j, a, e;

        if (!object_value(s, n, *i, NULL, 0, val, &close))
                return false;
        j = close;
        if (!member_key(s, n, &j, &a, &e))
                return false;
        if (!object_value(s, n, *i, s + a, e - a, val, &close))
                return false;
        *i = j;
        return true;
}

/* NAME = { literals } at i (the brace); the name is the one before the =. */
static void collect_fold_object(struct fold_ctx *c, size_t i)
{
        const char *s = c->s;
        size_t close, k = ws_before(s, i), na, ne;
        struct textbuf none = {0};

        if (c->nobjects >= MAX_FOLD_OBJECTS || k == 0 || s[k - 1] != '=' ||
            (k >= 2 && strchr("=!<>+-*/%&|^", s[k - 2])))
                return;
        ne = ws_before(s, k - 1);
        for (na = ne; na > 0 && id_char(s[na - 1]);)
                na--;
        if (ne == na || ne - na >= MAX_NAME || !id_start(s[na]) || (na > 0 && s[na - 1] == '.'))
                return;
        if (!object_value(s, c->n, i, NULL, 0, &none, &close))
                return;
        memcpy(c->objects[c->nobjects].name, s + na, ne - na);
        c->objects[c->nobjects].name[ne - na] = 0;
        c->objects[c->nobjects++].open = i;
}

/* NAME.key or NAME["key"] at *i for an object collected. */
static bool fold_object_member(const struct fold_ctx *c, size_t *i, struct textbuf *val)
{
        const char *s = c->s;
        size_t n = c->n, e = ident_end(s, n, *i), j = e, a, ke, close;

        for (size_t k = 0; k < c->nobjects; k++) {
                const struct fold_object *o = &c->objects[k];
                if (strlen(o->name) != e - *i || memcmp(o->name, s + *i, e - *i) != 0)
                        continue;
                if (!member_key(s, n, &j, &a, &ke) ||
                    !object_value(s, n, o->open, s + a, ke - a, val, &close))
                        return false;
                *i = j;
                return true;
        }
        return false;
}

/* function F(a, b) { ARR[b] = a; } at i (the word function). */
static void collect_fold_setter(struct fold_ctx *c, size_t i)
{
        const char *s = c->s;
        size_t n = c->n, na = skip_ws(s, n, i + 8), ne = ident_end(s, n, na), j, p[2][2], aa, ae,
               ia, ie;
        struct fold_setter *f;

        if (ne == na || ne - na >= MAX_NAME || c->nsetters >= MAX_FOLD_SETTERS ||
            (j = skip_ws(s, n, ne)) >= n || s[j] != '(')
                return;
        for (int k = 0; k < 2; k++) {
                p[k][0] = skip_ws(s, n, j + 1);
                p[k][1] = ident_end(s, n, p[k][0]);
                j = skip_ws(s, n, p[k][1]);
                if (p[k][1] == p[k][0] || j >= n || s[j] != (k == 0 ? ',' : ')'))
                        return;
        }
        j = skip_ws(s, n, j + 1);
        if (j >= n || s[j] != '{')
                return;
        aa = skip_ws(s, n, j + 1);
        ae = ident_end(s, n, aa);
        ia = skip_ws(s, n, ae);
        if (ae == aa || ae - aa >= MAX_NAME || ia >= n || s[ia] != '[')
                return;
        ia = skip_ws(s, n, ia + 1);
        ie = ident_end(s, n, ia);
        j = skip_ws(s, n, ie);
        if (ie == ia || j >= n || s[j] != ']' || (j = skip_ws(s, n, j + 1)) >= n || s[j] != '=')
                return;
        size_t va = skip_ws(s, n, j + 1), ve = ident_end(s, n, va);
        j = skip_ws(s, n, ve);
        if (j < n && s[j] == ';')
                j = skip_ws(s, n, j + 1);
        if (ve == va || j >= n || s[j] != '}')
                return;
        bool value_first;
        if (same_name(s, va, ve, p[0][0], p[0][1]) && same_name(s, ia, ie, p[1][0], p[1][1]))
                value_first = true;
        else if (same_name(s, va, ve, p[1][0], p[1][1]) && same_name(s, ia, ie, p[0][0], p[0][1]))
                value_first = false;
        else
                return;
        f = &c->setters[c->nsetters++];
        memcpy(f->name, s + na, ne - na);
        f->name[ne - na] = 0;
        memcpy(f->array, s + aa, ae - aa);
        f->array[ae - aa] = 0;
        f->value_first = value_first;
}

static void add_piece(struct fold_ctx *c, const char *array, long index, size_t literal)
{
        if (!c->pieces || c->npieces >= MAX_FOLD_PIECES || index < 0 || index > 1000000)
                return;
        struct fold_piece *p = &c->pieces[c->npieces++];
        snprintf(p->array, sizeof(p->array), "%s", array);
        p->index = index;
        p->literal = literal;
}

/* A literal and an integer as the two arguments of a call at *i (its parenthesis). */
static bool literal_and_index(const char *s, size_t n, size_t i, bool value_first,
                              size_t *ret_literal, long *ret_index)
{
        size_t j = skip_ws(s, n, i + 1);
        struct textbuf tmp = {0};

        for (int k = 0; k < 2; k++) {
                if ((k == 0) == value_first) {
                        *ret_literal = j;
                        bool ok = j < n && read_literal(s, n, &j, &tmp);
                        free(tmp.p);
                        tmp = (struct textbuf){0};
                        if (!ok)
                                return false;
                } else if (!int_sum(s, n, &j, ret_index, 0)) {
                        return false;
                }
                j = skip_ws(s, n, j);
                if (j >= n || s[j] != (k == 0 ? ',' : ')'))
                        return false;
                j = skip_ws(s, n, j + 1);
        }
        return true;
}

/* The pieces: calls of setters with a literal and an index, and ARR[index] = 'literal'. */
static void collect_fold_pieces(struct fold_ctx *c)
{
        const char *s = c->s;
        size_t n = c->n;

        for (size_t i = 0; i < n && c->npieces < MAX_FOLD_PIECES; i++) {
                if (!id_start(s[i]) || (i > 0 && (id_char(s[i - 1]) || s[i - 1] == '.')))
                        continue;
                size_t e = ident_end(s, n, i), j = skip_ws(s, n, e);
                if (j < n && s[j] == '(' && c->nsetters > 0) {
                        for (size_t k = 0; k < c->nsetters; k++) {
                                const struct fold_setter *f = &c->setters[k];
                                size_t lit = 0;
                                long index = 0;
                                if (strlen(f->name) == e - i &&
                                    memcmp(f->name, s + i, e - i) == 0 &&
                                    literal_and_index(s, n, j, f->value_first, &lit, &index)) {
                                        add_piece(c, f->array, index, lit);
                                        break;
                                }
                        }
                } else if (j < n && s[j] == '[' && e - i < MAX_NAME) {
                        size_t k = j + 1;
                        long index;
                        if (int_sum(s, n, &k, &index, 0) && (k = skip_ws(s, n, k)) < n &&
                            s[k] == ']' && (k = skip_ws(s, n, k + 1)) + 1 < n && s[k] == '=' &&
                            s[k + 1] != '=') {
                                size_t lit = skip_ws(s, n, k + 1), end = lit;
                                struct textbuf tmp = {0};
                                if (lit < n && read_literal(s, n, &end, &tmp) &&
                                    expr_ends(s, n, end)) {
                                        char name[MAX_NAME];
                                        memcpy(name, s + i, e - i);
                                        name[e - i] = 0;
                                        add_piece(c, name, index, lit);
                                }
                                free(tmp.p);
                        }
                }
                i = e - 1;
        }
}

static int piece_order(const void *a, const void *b)
{
        const struct fold_piece *x = a, *y = b;

        return x->index < y->index ? -1 : x->index > y->index ? 1 : 0;
}

/* ARR.join("") at *i for an array that has pieces: the pieces in the order of their indexes
 * (the last written for an index). */
static bool fold_join(struct fold_ctx *c, size_t *i, struct textbuf *val)
{
        const char *s = c->s;
        size_t n = c->n, e = ident_end(s, n, *i), j = skip_ws(s, n, e);
        static const char join[] = "join";
        struct fold_piece *sel;
        size_t count = 0;

        if (c->npieces == 0 || j >= n || s[j] != '.' || e - *i >= MAX_NAME)
                return false;
        j = skip_ws(s, n, j + 1);
        if (!at_word(s, n, j, join) || (j = skip_ws(s, n, j + 4)) >= n || s[j] != '(' ||
            (j = skip_ws(s, n, j + 1)) + 2 >= n || (s[j] != '"' && s[j] != '\'') ||
            s[j + 1] != s[j] || (j = skip_ws(s, n, j + 2)) >= n || s[j] != ')')
                return false;
        sel = malloc(c->npieces * sizeof(*sel));
        if (!sel) {
                val->oom = true;
                return false;
        }
        for (size_t k = 0; k < c->npieces; k++)
                if (strlen(c->pieces[k].array) == e - *i &&
                    memcmp(c->pieces[k].array, s + *i, e - *i) == 0)
                        sel[count++] = c->pieces[k];
        /* qsort is not stable: the order written breaks ties (the last write wins) */
        for (size_t k = 0; k < count; k++)
                sel[k].index = sel[k].index * (long)MAX_FOLD_PIECES + (long)k;
        qsort(sel, count, sizeof(*sel), piece_order);
        for (size_t k = 0; k < count; k++) {
                if (k + 1 < count && sel[k + 1].index / (long)MAX_FOLD_PIECES ==
                                             sel[k].index / (long)MAX_FOLD_PIECES)
                        continue;
                size_t lit = sel[k].literal;
                read_literal(s, n, &lit, val);
        }
        free(sel);
        if (count < 2)
                return false;
        *i = j + 1;
        return true;
}

int jsasm_fold_literal_calls(const char *s, size_t n, struct textbuf *out)
{
        struct fold_ctx *c = calloc(1, sizeof(*c));
        struct quote_memo quotes = {0};
        size_t copied = 0, grown = 0;
        int folded = 0;

        if (!c) {
                out->oom = true;
                return 0;
        }
        c->s = s;
        c->n = n;
        for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), "function", 8)); p += 8) {
                size_t at = (size_t)(p - s);
                if ((at == 0 || !id_char(s[at - 1])) && at_word(s, n, at, "function"))
                        collect_fold_wrapper(c, at);
                if ((at == 0 || !id_char(s[at - 1])) && at_word(s, n, at, "function"))
                        collect_fold_constant(c, at);
        }
        for (const char *p = s; (p = memchr(p, '{', n - (size_t)(p - s))); p++)
                collect_fold_object(c, (size_t)(p - s));
        for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), "function", 8)); p += 8) {
                size_t at = (size_t)(p - s);
                if ((at == 0 || !id_char(s[at - 1])) && at_word(s, n, at, "function"))
                        collect_fold_setter(c, at);
        }
        if (memmem(s, n, ".join(", 6)) {
                c->pieces = malloc(MAX_FOLD_PIECES * sizeof(*c->pieces));
                collect_fold_pieces(c);
        }
        for (size_t i = 0; i < n && !out->oom; i++) {
                char ch = s[i];
                size_t j = i;
                struct textbuf val = {0};
                bool ok = false;
                if (ch == '/' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '*')) {
                        const char *end = s[i + 1] == '/' ? memchr(s + i, '\n', n - i)
                                                          : memmem(s + i + 2, n - i - 2, "*/", 2);
                        if (!end)
                                break;
                        i = (size_t)(end - s);
                        continue;
                }
                if (ch == '/' && regex_opens(s, i)) {
                        if (skip_regex(s, n, &j))
                                i = j - 1;
                        continue;
                }
                if (ch == '\'' || ch == '"') {
                        ok = fold_literal_methods(s, n, &j, &val);
                        if (!ok) {
                                j = i;
                                if (skip_quoted_memo(s, n, &j, &quotes))
                                        i = j - 1;
                        }
                } else if (ch == '{') {
                        ok = fold_object_pick(s, n, &j, &val);
                } else if (ch == '(') {
                        ok = fold_iife(s, n, &j, &val);
                        if (!ok) {
                                val.len = 0;
                                j = i;
                                ok = fold_sequence(s, n, &j, &val);
                        }
                } else if (id_start(ch) && (i == 0 || (!id_char(s[i - 1]) && s[i - 1] != '.'))) {
                        if (ch == 'S')
                                ok = fold_char_codes(s, n, &j, &val);
                        if (!ok && c->nwrappers > 0)
                                ok = fold_wrapper_call(c, &j, &val);
                        if (!ok && c->nobjects > 0) {
                                val.len = 0;
                                j = i;
                                ok = fold_object_member(c, &j, &val);
                        }
                        if (!ok && c->npieces > 0) {
                                val.len = 0;
                                j = i;
                                ok = fold_join(c, &j, &val);
                        }
                        if (!ok)
                                i = ident_end(s, n, i) - 1;
                }
                /* a member of an object named elsewhere may be longer than its name: the text
                 * grows by at most its own size */
                size_t most = 2 * val.len + 2;
                if (ok && most > j - i) {
                        ok = grown + (most - (j - i)) <= n;
                        grown += ok ? most - (j - i) : 0;
                }
                if (ok && !val.oom) {
                        textbuf_put(out, s + copied, i - copied);
                        put_requoted(out, val.p ? val.p : "", val.len, ch == '\'' ? '\'' : '"');
                        copied = j;
                        i = j - 1;
                        folded++;
                }
                out->oom = out->oom || val.oom;
                free(val.p);
        }
        textbuf_put(out, s + copied, n - copied);
        free(c->pieces);
        free(c);
        return folded;
}

/* ---- String.prototype methods that apply one method to this, inlined ---- */

#define MAX_INLINE_METHODS 32
#define MAX_INLINE_ARGS    96

struct inline_method {
        char name[MAX_NAME];
        size_t body, body_len; /* ".replace(/[qz]/g, '')" in the text */
};

/* Whether the arguments at [a, e) are constants only: literals, regular expressions (and
 * their flags), numbers and operators, no name that would mean something inside the method. */
static bool constant_args(const char *s, size_t a, size_t e)
{
        for (size_t j = a; j < e;) {
                char ch = s[j];
                if (ch == '\'' || ch == '"') {
                        if (!skip_quoted(s, e, &j))
                                return false;
                } else if (ch == '/') {
                        if (!skip_regex(s, e, &j))
                                return false;
                        while (j < e && strchr("gimsuy", s[j]) && s[j] != 0)
                                j++;
                } else if (id_start(ch)) {
                        return false;
                } else {
                        j++;
                }
        }
        return true;
}

/* A chain at *i of calls with constant arguments and constant indexes: .split(",").join("")[0].
 * Returns how many links it has. */
static int constant_chain(const char *s, size_t n, size_t *i)
{
        size_t j = skip_ws(s, n, *i), end = *i;
        int links = 0;

        while (links < 8 && j < n) {
                if (s[j] == '.') {
                        size_t a = skip_ws(s, n, j + 1), e = ident_end(s, n, a),
                               open = skip_ws(s, n, e);
                        if (e == a || open >= n || s[open] != '(')
                                break;
                        size_t close = bracket_close(s, n, open, MAX_INLINE_ARGS, true);
                        if (close >= n || !constant_args(s, open + 1, close))
                                break;
                        end = close + 1;
                } else if (s[j] == '[') {
                        size_t k = j + 1;
                        long index;
                        if (!int_sum(s, n, &k, &index, 0) || (k = skip_ws(s, n, k)) >= n ||
                            s[k] != ']')
                                break;
                        end = k + 1;
                } else {
                        break;
                }
                links++;
                j = skip_ws(s, n, end);
        }
        *i = end;
        return links;
}

/* String.prototype.NAME = function () { [[var] X = this;] return [("junk", ]this.M(constants)
 * [.M2(constants)...][)]; } at at (".prototype."). */
static void collect_inline_method(const char *s, size_t n, size_t at, struct inline_method *m,
                                  size_t *count)
{
        size_t a = at + 11, e = ident_end(s, n, a), j, xa = 0, xe = 0, chain;
        bool sequence = false;

        if (at < 6 || memcmp(s + at - 6, "String", 6) != 0 || e == a || e - a >= MAX_NAME ||
            *count >= MAX_INLINE_METHODS)
                return;
        j = skip_ws(s, n, e);
        if (j >= n || s[j] != '=' || !at_word(s, n, (j = skip_ws(s, n, j + 1)), "function"))
                return;
        j = skip_ws(s, n, j + 8);
        if (j + 1 >= n || s[j] != '(' || (j = skip_ws(s, n, j + 1)) >= n || s[j] != ')' ||
            (j = skip_ws(s, n, j + 1)) >= n || s[j] != '{')
                return;
        j = skip_ws(s, n, j + 1);
        /* an alias of this */
        if (at_word(s, n, j, "var"))
                j = skip_ws(s, n, j + 3);
        if (!at_word(s, n, j, "return")) {
                xa = j;
                xe = ident_end(s, n, xa);
                size_t k = skip_ws(s, n, xe);
                if (xe == xa || k >= n || s[k] != '=' ||
                    !at_word(s, n, (k = skip_ws(s, n, k + 1)), "this"))
                        return;
                k = skip_ws(s, n, k + 4);
                if (k < n && s[k] == ';')
                        k++;
                j = skip_ws(s, n, k);
        }
        if (!at_word(s, n, j, "return"))
                return;
        j = skip_ws(s, n, j + 6);
        /* ("junk", this...) */
        if (j < n && s[j] == '(') {
                size_t k = skip_ws(s, n, j + 1);
                if (k >= n || (s[k] != '\'' && s[k] != '"') || !skip_quoted(s, n, &k) ||
                    (k = skip_ws(s, n, k)) >= n || s[k] != ',')
                        return;
                j = skip_ws(s, n, k + 1);
                sequence = true;
        }
        if (xe > xa ? ident_end(s, n, j) - j != xe - xa || memcmp(s + j, s + xa, xe - xa) != 0
                    : !at_word(s, n, j, "this"))
                return;
        j = chain = j + (xe > xa ? xe - xa : 4);
        if (constant_chain(s, n, &j) == 0)
                return;
        size_t end = j;
        j = skip_ws(s, n, j);
        if (sequence) {
                if (j >= n || s[j] != ')')
                        return;
                j = skip_ws(s, n, j + 1);
        }
        if (j < n && s[j] == ';')
                j = skip_ws(s, n, j + 1);
        if (j >= n || s[j] != '}')
                return;
        memcpy(m[*count].name, s + a, e - a);
        m[*count].name[e - a] = 0;
        m[*count].body = chain;
        m[*count].body_len = end - chain;
        (*count)++;
}

int jsasm_inline_string_methods(const char *s, size_t n, struct textbuf *out)
{
        struct inline_method methods[MAX_INLINE_METHODS];
        struct quote_memo quotes = {0};
        size_t count = 0, copied = 0, added = 0;
        int inlined = 0;

        for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), ".prototype.", 11)); p += 11)
                collect_inline_method(s, n, (size_t)(p - s), methods, &count);
        for (size_t i = 0; count > 0 && i < n; i++) {
                if (s[i] != '\'' && s[i] != '"')
                        continue;
                size_t j = i;
                if (!skip_quoted_memo(s, n, &j, &quotes))
                        continue;
                i = j - 1;
                size_t d = skip_ws(s, n, j);
                if (d >= n || s[d] != '.')
                        continue;
                size_t a = skip_ws(s, n, d + 1), e = ident_end(s, n, a), p = skip_ws(s, n, e);
                if (e == a || p + 1 >= n || s[p] != '(' || (p = skip_ws(s, n, p + 1)) >= n ||
                    s[p] != ')')
                        continue;
                const struct inline_method *m = NULL;
                for (size_t k = 0; k < count && !m; k++)
                        if (strlen(methods[k].name) == e - a &&
                            memcmp(methods[k].name, s + a, e - a) == 0)
                                m = &methods[k];
                /* the text grows by at most its own size */
                if (!m || added + m->body_len > n)
                        continue;
                textbuf_put(out, s + copied, j - copied);
                textbuf_put(out, s + m->body, m->body_len);
                added += m->body_len;
                copied = p + 1;
                i = p;
                inlined++;
        }
        textbuf_put(out, s + copied, n - copied);
        return inlined;
}

/* ---- literals decoded by a key or a step, found by trying ---- */

#define MAX_KEYED_LITERALS 4096
#define MAX_KEYS           64
#define MAX_DATA           8
#define KEYED_BUDGET       (16u << 20)
#define MIN_KEYED_DATA     32

struct keyed_literal {
        size_t off, len; /* in the buffer of decoded literals */
};

/* Whether text looks like script: printable, with the punctuation of code. */
static bool looks_like_code(const char *p, size_t len)
{
        size_t printable = 0, punct = 0;

        for (size_t k = 0; k < len; k++) {
                unsigned char ch = (unsigned char)p[k];
                printable += (ch >= 0x20 && ch < 0x7f) || ch == '\t' || ch == '\n' || ch == '\r';
                punct += ch == '(' || ch == ')' || ch == ';' || ch == '=' || ch == '"' ||
                         ch == '\'' || ch == '.';
        }
        return len >= 16 && printable * 100 >= len * 97 && punct * 100 >= len * 3;
}

/* Whether text names one of the objects or calls a dropper hides. */
static bool names_sink(const char *p, size_t len)
{
        static const char *const words[] = {"activexobject", "wscript", "adodb",      "msxml2",
                                            "eval(",         "shell",   "savetofile", "xmlhttp"};

        for (size_t w = 0; w < ELEMENTSOF(words); w++) {
                size_t wl = strlen(words[w]);
                /* the first byte inline: a call per byte and word cost more than the rest */
                for (size_t k = 0; k + wl <= len; k++)
                        if (tolower((unsigned char)p[k]) == words[w][0] &&
                            strncasecmp(p + k, words[w], wl) == 0)
                                return true;
        }
        return false;
}

/* data (hex digits decoded first when it is all hex) XOR the key, cycled. */
static void xor_with(const char *data, size_t len, const char *key, size_t klen, bool hex,
                     struct textbuf *out, size_t limit)
{
        size_t m = hex ? len / 2 : len;

        for (size_t k = 0; k < m && k < limit; k++) {
                unsigned char b = hex ? (unsigned char)(hex_digit(data[2 * k]) * 16 +
                                                        hex_digit(data[2 * k + 1]))
                                      : (unsigned char)data[k];
                textbuf_putc(out, (char)(b ^ (unsigned char)key[k % klen]));
        }
}

static bool all_hex(const char *p, size_t len)
{
        if (len % 2)
                return false;
        for (size_t k = 0; k < len; k++)
                if (hex_digit(p[k]) < 0)
                        return false;
        return true;
}

int jsasm_keyed_literals(const char *s, size_t n, struct textbuf *out)
{
        struct textbuf lits = {0};
        struct keyed_literal *l = calloc(MAX_KEYED_LITERALS, sizeof(*l));
        size_t count = 0, data[MAX_DATA], ndata = 0, work = 0, start = out->len;
        struct quote_memo quotes = {0};
        bool xor = false, step = false;
        int written = 0;

        if (!l) {
                out->oom = true;
                return 0;
        }
        /* what the text decodes with: charCodeAt(i) ^ key.charCodeAt(j), or a loop's step */
        for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), "charCodeAt", 10)); p += 10) {
                const char *q = memchr(p, '^', (size_t)(s + n - p) < 48 ? (size_t)(s + n - p) : 48);
                if (q && memmem(q, (size_t)(s + n - q) < 48 ? (size_t)(s + n - q) : 48,
                                "charCodeAt", 10))
                        xor = true;
        }
        for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), ".length", 7)); p += 7) {
                const char *q = memchr(p, '+', (size_t)(s + n - p) < 24 ? (size_t)(s + n - p) : 24);
                if (q && q + 3 < s + n && q[1] == '=')
                        step = true;
        }
        if (!xor&&!step)
                goto out;
        for (size_t i = 0; i < n && count < MAX_KEYED_LITERALS; i++) {
                if (s[i] != '\'' && s[i] != '"')
                        continue;
                size_t j = i, before = lits.len;
                if (!read_literal(s, n, &j, &lits)) {
                        lits.len = before;
                        j = i;
                        if (skip_quoted_memo(s, n, &j, &quotes))
                                i = j - 1;
                        continue;
                }
                l[count].off = before;
                l[count++].len = lits.len - before;
                i = j - 1;
        }
        if (lits.oom) {
                out->oom = true;
                goto out;
        }
        /* the longest literals are the data, longest first */
        for (size_t k = 0; k < count; k++) {
                size_t m;
                if (l[k].len < MIN_KEYED_DATA ||
                    (ndata == MAX_DATA && l[data[MAX_DATA - 1]].len >= l[k].len))
                        continue;
                m = ndata < MAX_DATA ? ndata++ : MAX_DATA - 1;
                for (; m > 0 && l[data[m - 1]].len < l[k].len; m--)
                        data[m] = data[m - 1];
                data[m] = k;
        }
        for (size_t d = 0; d < ndata && work < KEYED_BUDGET; d++) {
                const char *p = lits.p + l[data[d]].off;
                size_t len = l[data[d]].len;
                bool hex = all_hex(p, len), found = false;
                struct textbuf dec = {0};
                /* XOR with each short literal as the key: a prefix first, then the whole */
                for (size_t k = 0, keys = 0; xor &&!found && k < count && keys < MAX_KEYS; k++) {
                        if (l[k].len == 0 || l[k].len > 64 || k == data[d])
                                continue;
                        keys++;
                        dec.len = 0;
                        xor_with(p, len, lits.p + l[k].off, l[k].len, hex, &dec, 256);
                        work += dec.len;
                        if (!looks_like_code(dec.p, dec.len))
                                continue;
                        dec.len = 0;
                        xor_with(p, len, lits.p + l[k].off, l[k].len, hex, &dec, len);
                        work += dec.len;
                        found = looks_like_code(dec.p, dec.len) && names_sink(dec.p, dec.len);
                }
                /* every Nth character from an offset: junk letters between the code's */
                for (size_t st = 2; step && !found && st <= 8 && work < KEYED_BUDGET; st++)
                        for (size_t from = 0; !found && from < st; from++) {
                                dec.len = 0;
                                for (size_t k = from; k < len; k += st)
                                        textbuf_putc(&dec, p[k]);
                                work += len;
                                found = names_sink(dec.p, dec.len) &&
                                        looks_like_code(dec.p, dec.len);
                        }
                if (found && !dec.oom && out->len - start + dec.len <= n) {
                        textbuf_putc(out, '\n');
                        textbuf_put(out, dec.p, dec.len);
                        textbuf_putc(out, '\n');
                        written++;
                }
                out->oom = out->oom || dec.oom;
                free(dec.p);
        }
out:
        free(lits.p);
        free(l);
        return written;
}
