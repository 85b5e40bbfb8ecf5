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

/* Past a function expression at *i (function [name]() {...}), its braces counted outside
 * strings. */
static bool skip_function(const char *s, size_t n, size_t *i)
{
        size_t j = skip_ws(s, n, *i), depth = 0;

        if (n - j < 8 || memcmp(s + j, "function", 8) != 0)
                return false;
        const char *open = memchr(s + j, '{', n - j < 256 ? n - j : 256);
        if (!open)
                return false;
        size_t start = (size_t)(open - s);
        for (j = start; j < n && j - start < MAX_SKIPPED_FUNCTION; j++) {
                if (s[j] == '\'' || s[j] == '"') {
                        size_t k = j;
                        if (!skip_quoted(s, n, &k))
                                return false;
                        j = k - 1;
                } else if (s[j] == '{') {
                        depth++;
                } else if (s[j] == '}' && --depth == 0) {
                        *i = j + 1;
                        return true;
                }
        }
        return false;
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
