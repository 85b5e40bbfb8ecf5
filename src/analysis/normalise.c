/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Text before the rules: is it a document or a script, and the script with its obfuscation
 * undone. The normaliser is a few passes over the text, each undoing one family of tricks,
 * repeated while they change something (a join can only happen after the escapes inside the
 * pieces are gone). It works on bytes and never grows the text by more than the decoded
 * base64 it inserts; it is for matching, not for running: a wrong guess costs nothing, since
 * the rules read the raw text as well. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/jsassemble.h"
#include "analysis/jsdeobf.h"
#include "analysis/normalise.h"
#include "analysis/phpdecode.h"
#include "basic/macro.h"
#include "basic/base64.h"
#include "basic/textbuf.h"

#define MAX_LITERAL 4096
#define MAX_PASSES  4
/* PHP folds take a round each: ('!'^'@').'ssert', then the variable that holds it */
#define MAX_PASSES_PHP 6

/* ASCII letters, digits and '_': isalnum() in the C locale, which airlock never leaves (no
 * setlocale()), without a call into the locale's table at nearly every byte of every pass. */
static inline bool is_ident(char c)
{
        unsigned char u = (unsigned char)c;

        return (u >= '0' && u <= '9') || (unsigned char)((u | 0x20) - 'a') < 26 || u == '_';
}

/* An ASCII letter: isalpha() in the C locale, for the walks that ask at every byte. */
static inline bool is_letter(char c)
{
        return (unsigned char)(((unsigned char)c | 0x20) - 'a') < 26;
}

/* The first letter alone first: the passes ask at nearly every byte, and seldom at one that
 * starts the word. */
static bool prefix_nocase(const char *s, size_t n, size_t i, const char *word)
{
        if (i >= n || tolower((unsigned char)s[i]) != tolower((unsigned char)word[0]))
                return false;
        size_t len = strlen(word);
        return n - i >= len && strncasecmp(s + i, word, len) == 0;
}

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
        return i;
}

/* After an item of a parenthesized list at s[*j]: 1 and *j past the comma when another item
 * follows, 0 at the closing parenthesis (*j on it), -1 for anything else. */
static int list_next(const char *s, size_t n, size_t *j)
{
        *j = skip_blanks(s, n, *j);
        if (*j < n && s[*j] == ',') {
                (*j)++;
                return 1;
        }
        return *j < n && s[*j] == ')' ? 0 : -1;
}

/* A number at s[i] (decimal, 0x or &H hex): its value, and the index after it; -1 if none. */
static long number_at(const char *s, size_t n, size_t *i)
{
        size_t j = *i;
        int base = 10;
        long v = 0;
        bool any = false;

        if (j + 1 < n && s[j] == '0' && (s[j + 1] == 'x' || s[j + 1] == 'X'))
                base = 16, j += 2;
        else if (j + 1 < n && s[j] == '&' && (s[j + 1] == 'h' || s[j + 1] == 'H'))
                base = 16, j += 2;
        for (; j < n && v < 0x110000; j++) {
                int d = isdigit((unsigned char)s[j])                  ? s[j] - '0'
                        : base == 16 && isxdigit((unsigned char)s[j]) ? (s[j] | 0x20) - 'a' + 10
                                                                      : -1;
                if (d < 0)
                        break;
                v = v * base + d;
                any = true;
        }
        if (!any)
                return -1;
        *i = j;
        return v;
}

/* ---- integer arithmetic over literals ---- */

#define MAX_EXPR_DEPTH 16
#define MAX_EXPR_VALUE 0x7fffffffL

static bool expr_sum(const char *s, size_t n, size_t *i, long *v, int depth);

/* A number, a negated one or a parenthesized sum at *i after blanks. */
static bool expr_unary(const char *s, size_t n, size_t *i, long *v, int depth)
{
        size_t j = skip_blanks(s, n, *i);

        if (depth > MAX_EXPR_DEPTH || j >= n)
                return false;
        if (s[j] == '-' || s[j] == '+') {
                bool neg = s[j] == '-';
                j++;
                if (!expr_unary(s, n, &j, v, depth + 1))
                        return false;
                if (neg)
                        *v = -*v;
        } else if (s[j] == '(') {
                j++;
                if (!expr_sum(s, n, &j, v, depth + 1))
                        return false;
                j = skip_blanks(s, n, j);
                if (j >= n || s[j] != ')')
                        return false;
                j++;
        } else if (isdigit((unsigned char)s[j])) {
                long r = number_at(s, n, &j);
                /* number_at stops at 0x110000: a longer number is not one of ours */
                if (r < 0 || (j < n && (isalnum((unsigned char)s[j]) || s[j] == '.')))
                        return false;
                *v = r;
        } else
                return false;
        *i = j;
        return true;
}

static bool expr_product(const char *s, size_t n, size_t *i, long *v, int depth)
{
        size_t j = *i;

        if (!expr_unary(s, n, &j, v, depth))
                return false;
        for (;;) {
                size_t k = skip_blanks(s, n, j);
                long r;
                if (k >= n || !strchr("*/%", s[k]) || (k + 1 < n && s[k + 1] == '='))
                        break;
                char op = s[k++];
                if (!expr_unary(s, n, &k, &r, depth))
                        return false;
                /* JScript divides into fractions: only exact quotients are integers */
                if (op == '*')
                        *v *= r;
                else if (r == 0 || *v % r != 0)
                        return false;
                else
                        *v = op == '/' ? *v / r : *v % r;
                if (*v > MAX_EXPR_VALUE || *v < -MAX_EXPR_VALUE)
                        return false;
                j = k;
        }
        *i = j;
        return true;
}

static bool expr_sum(const char *s, size_t n, size_t *i, long *v, int depth)
{
        size_t j = *i;

        if (!expr_product(s, n, &j, v, depth))
                return false;
        for (;;) {
                size_t k = skip_blanks(s, n, j);
                long r;
                if (k >= n || (s[k] != '+' && s[k] != '-') ||
                    (k + 1 < n && strchr("+-=", s[k + 1])))
                        break;
                char op = s[k++];
                if (!expr_product(s, n, &k, &r, depth))
                        return false;
                *v = op == '+' ? *v + r : *v - r;
                if (*v > MAX_EXPR_VALUE || *v < -MAX_EXPR_VALUE)
                        return false;
                j = k;
        }
        *i = j;
        return true;
}

/* An integer expression of number literals (+ - * / %, parentheses; 389-388, (0x10*2)+1) at
 * *i, that the character stop (or blanks and stop) ends: its value, *i on stop. */
static bool const_int_expr(const char *s, size_t n, size_t *i, long *v, const char *stop)
{
        size_t j = *i;

        if (!expr_sum(s, n, &j, v, 0))
                return false;
        j = skip_blanks(s, n, j);
        if (j >= n || !strchr(stop, s[j]))
                return false;
        *i = j;
        return true;
}

/* A character the normaliser may write into a literal: printable ASCII, or a line break. */
static bool plain_char(long c)
{
        return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t';
}

/* Writes c as a one-character literal, in quotes that it does not close. */
static void put_char_literal(struct textbuf *b, char c)
{
        char q = c == '\'' ? '"' : '\'';
        textbuf_putc(b, q);
        textbuf_putc(b, c);
        textbuf_putc(b, q);
}

/* ---- pass 1: escapes and character codes ---- */

/* [char]N, [char](N), [char]0xN */
static bool char_cast(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i + 6;
        bool paren;
        long v;

        if (!prefix_nocase(s, n, *i, "[char]"))
                return false;
        j = skip_blanks(s, n, j);
        paren = j < n && s[j] == '(';
        if (paren)
                j = skip_blanks(s, n, j + 1);
        v = number_at(s, n, &j);
        if (v < 0 || !plain_char(v))
                return false;
        if (paren) {
                j = skip_blanks(s, n, j);
                if (j >= n || s[j] != ')')
                        return false;
                j++;
        }
        put_char_literal(out, (char)v);
        *i = j;
        return true;
}

/* [char[]](73,69,88) and [char[]]@(73,69,88): the characters as one literal (that -join then
 * leaves as it is). */
static bool char_array_cast(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i + 8, np = 0;
        char picked[MAX_LITERAL];
        bool squote = false;

        if (!prefix_nocase(s, n, *i, "[char[]]"))
                return false;
        j = skip_blanks(s, n, j);
        if (j < n && s[j] == '@')
                j++;
        if (j >= n || s[j] != '(')
                return false;
        for (j++;;) {
                long v;
                int k;
                j = skip_blanks(s, n, j);
                v = number_at(s, n, &j);
                if (v < 0 || !plain_char(v) || v == '\n' || np >= sizeof(picked))
                        return false;
                squote |= v == '\'';
                picked[np++] = (char)v;
                k = list_next(s, n, &j);
                if (k < 0)
                        return false;
                if (k == 0)
                        break;
        }
        if (squote && memchr(picked, '"', np))
                return false;
        textbuf_putc(out, squote ? '"' : '\'');
        textbuf_put(out, picked, np);
        textbuf_putc(out, squote ? '"' : '\'');
        *i = j + 1;
        return true;
}

/* Chr(N), ChrW(N), Chr$(N), ChrB(N) of VBScript and VBA */
static bool chr_call(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i + 3;
        long v;

        if ((*i > 0 && is_ident(s[*i - 1])) || !prefix_nocase(s, n, *i, "chr"))
                return false;
        if (j < n && (s[j] == 'w' || s[j] == 'W' || s[j] == 'b' || s[j] == 'B'))
                j++;
        if (j < n && s[j] == '$')
                j++;
        if (j >= n || s[j] != '(')
                return false;
        j = skip_blanks(s, n, j + 1);
        /* PHP's chr('116') takes the number as a string too */
        char q = j < n && (s[j] == '\'' || s[j] == '"') ? s[j++] : 0;
        /* droppers spell each code as arithmetic: Chr(100-32), ChrW((7*11)+6) */
        size_t e = j;
        long x;
        if (!q && const_int_expr(s, n, &e, &x, ")"))
                v = x, j = e;
        else
                v = number_at(s, n, &j);
        if (q && (j >= n || s[j++] != q))
                return false;
        j = skip_blanks(s, n, j);
        if (v < 0 || !plain_char(v) || j >= n || s[j] != ')')
                return false;
        put_char_literal(out, (char)v);
        *i = j + 1;
        return true;
}

/* String.fromCharCode(n, n, ...) of JScript: the list becomes one literal. */
static bool from_char_code(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i + 13, start = out->len;
        struct textbuf lit = {0};

        if (!prefix_nocase(s, n, *i, "fromcharcode("))
                return false;
        for (;;) {
                long v;
                int k;
                if (!const_int_expr(s, n, &j, &v, ",)") || !plain_char(v) || v == '"' ||
                    lit.len > MAX_LITERAL)
                        goto no;
                textbuf_putc(&lit, (char)v);
                k = list_next(s, n, &j);
                if (k < 0)
                        goto no;
                if (k == 0)
                        break;
        }
        /* "String." before it goes too */
        if (start >= 7 && strncasecmp(out->p + start - 7, "string.", 7) == 0)
                out->len = start - 7;
        textbuf_putc(out, '"');
        textbuf_put(out, lit.p ? lit.p : "", lit.len);
        textbuf_putc(out, '"');
        free(lit.p);
        *i = j + 1;
        return true;
no:
        free(lit.p);
        return false;
}

/* The value of the first digits hex digits of the n bytes at p, or -1 if they are not all there. */
static long hex_run(const char *p, size_t n, size_t digits)
{
        long v = 0;

        if (digits > n)
                return -1;
        for (size_t k = 0; k < digits; k++) {
                if (!isxdigit((unsigned char)p[k]))
                        return -1;
                v = v * 16 + (isdigit((unsigned char)p[k]) ? p[k] - '0' : (p[k] | 0x20) - 'a' + 10);
        }
        return v;
}

/* \xNN, \uNNNN (ASCII only) */
static bool backslash_escape(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t digits;
        long v;

        if (*i + 1 >= n || s[*i] != '\\')
                return false;
        if (s[*i + 1] == 'x')
                digits = 2;
        else if (s[*i + 1] == 'u')
                digits = 4;
        else
                return false;
        v = hex_run(s + *i + 2, n - (*i + 2), digits);
        if (v < 0)
                return false;
        /* quotes and backslashes stay escaped, so that literals keep their ends */
        if (v < 0x20 || v >= 0x7f || v == '\'' || v == '"' || v == '\\')
                return false;
        textbuf_putc(out, (char)v);
        *i += 2 + digits;
        return true;
}

/* JScript's octal escape \NNN (three digits, up to \377) of a printable ASCII character: droppers
 * mix it with \xNN and \uNNNN (this["\x65\166\x61\154"]). Shorter runs stay: \1 and \12 are
 * regular expressions' back references as often as characters. */
static bool octal_escape(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        unsigned v = 0;

        if (*i + 4 > n || s[*i] != '\\' || s[*i + 1] < '0' || s[*i + 1] > '3')
                return false;
        for (size_t k = 1; k <= 3; k++) {
                if (s[*i + k] < '0' || s[*i + k] > '7')
                        return false;
                v = v * 8 + (unsigned)(s[*i + k] - '0');
        }
        if (*i + 4 < n && s[*i + 4] >= '0' && s[*i + 4] <= '9')
                return false;
        /* quotes and backslashes stay escaped, so that literals keep their ends */
        if (v < 0x20 || v >= 0x7f || v == '\'' || v == '"' || v == '\\')
                return false;
        textbuf_putc(out, (char)v);
        *i += 4;
        return true;
}

static bool plain_word(const char *p, size_t len);
static void put_literal(struct textbuf *out, const char *p, size_t len, char q, bool glued);
static bool literal_at(const char *s, size_t n, size_t i, size_t *cs, size_t *ce, size_t *end);
static inline bool skip_string(const char *s, size_t n, size_t *i);
static inline bool ident_starts(const char *s, size_t i);

/* $'\x62ash' at s[*i]: the decoded word, bare if plain, else quoted. */
static bool ansi_c_word(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t cs, ce, end;
        struct textbuf word = {0};

        if (!literal_at(s, n, *i + 1, &cs, &ce, &end))
                return false;
        for (size_t k = cs; k < ce;) {
                if (!backslash_escape(s, ce, &k, &word))
                        textbuf_putc(&word, s[k++]);
        }
        if (word.oom) {
                free(word.p);
                out->oom = true;
                return false;
        }
        bool bare = plain_word(word.p, word.len);
        if (!bare)
                textbuf_putc(out, '\'');
        textbuf_put(out, word.p ? word.p : "", word.len);
        if (!bare)
                textbuf_putc(out, '\'');
        free(word.p);
        *i = end;
        return true;
}

/* PHP's 'a' ^ "\x01": the XOR of literals, read with PHP's escapes before the escapes are
 * undone below, when the result is printable. */
static bool php_xor_escaped(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        _cleanup_free_ uint8_t *x = NULL;
        size_t len, end;

        if (php_xor_literals(s, n, *i, &x, &len, &end) <= 0)
                return false;
        for (size_t k = 0; k < len; k++)
                if (!plain_char(x[k]) || x[k] == '\n' || x[k] == '\r')
                        return false;
        put_literal(out, (const char *)x, len, '\'', false);
        *i = end;
        return true;
}

/* Whether a change of pass_escapes() can start at the byte c: every test of its walk asks for
 * one of these first. */
static inline bool escape_may_start(char c, bool php)
{
        switch (c) {
        case '`':
        case '^':
        case '$':
        case '[':
        case 'c':
        case 'C':
        case 'f':
        case 'F':
        case '\\':
                return true;
        case '\'':
        case '"':
                return php;
        default:
                return false;
        }
}

static int pass_escapes(const char *s, size_t n, struct textbuf *out, bool php)
{
        int changes = 0;

        for (size_t i = 0; i < n;) {
                /* the bytes where nothing can start, copied as one run */
                size_t run = i;
                while (run < n && !escape_may_start(s[run], php))
                        run++;
                if (run > i) {
                        textbuf_put(out, s + i, run - i);
                        i = run;
                        continue;
                }
                char c = s[i];
                if (php && (c == '\'' || c == '"') && php_xor_escaped(s, n, &i, out)) {
                        changes++;
                        continue;
                }
                /* PowerShell's backtick before a letter, cmd's caret between letters */
                if ((c == '`' && i + 1 < n && isalpha((unsigned char)s[i + 1]) && i > 0 &&
                     is_ident(s[i - 1])) ||
                    (c == '^' && i > 0 && i + 1 < n && isalpha((unsigned char)s[i - 1]) &&
                     isalpha((unsigned char)s[i + 1]))) {
                        i++;
                        changes++;
                        continue;
                }
                /* PowerShell's backtick at the start of a word: `N`e`w-Object */
                if (c == '`' && i + 1 < n && isupper((unsigned char)s[i + 1]) &&
                    (i == 0 || !is_ident(s[i - 1]))) {
                        i++;
                        changes++;
                        continue;
                }
                /* bash's $'...' quoting: a word, bare when it decodes to a plain one */
                if (c == '$' && i + 1 < n && s[i + 1] == '\'' && (i == 0 || !is_ident(s[i - 1])) &&
                    ansi_c_word(s, n, &i, out)) {
                        changes++;
                        continue;
                }
                if ((c == '[' && (char_cast(s, n, &i, out) || char_array_cast(s, n, &i, out))) ||
                    ((c == 'c' || c == 'C') && chr_call(s, n, &i, out)) ||
                    ((c == 'f' || c == 'F') && from_char_code(s, n, &i, out)) ||
                    (c == '\\' &&
                     (backslash_escape(s, n, &i, out) || octal_escape(s, n, &i, out)))) {
                        changes++;
                        continue;
                }
                textbuf_putc(out, c);
                i++;
        }
        return changes;
}

/* ---- pass 2: characters picked out of PowerShell's well-known variables ---- */

static const struct {
        const char *name, *value;
} known_variables[] = {
        {"verbosepreference", "SilentlyContinue"},
        {"shellid", "Microsoft.PowerShell"},
        {"pshome", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0"},
        {"env:comspec", "C:\\Windows\\system32\\cmd.exe"},
        {"env:public", "C:\\Users\\Public"},
};

/* $VerbosePreference[1,3], $ShellId[1], and with the variable cast and in parentheses,
 * ([string]$VerbosePreference)[1,3]: the picked characters as one literal. */
static bool variable_pick(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t start = *i;
        bool paren = false;

        if (s[start] == '(') {
                start = skip_blanks(s, n, start + 1);
                if (prefix_nocase(s, n, start, "[string]"))
                        start = skip_blanks(s, n, start + 8);
                if (start >= n || s[start] != '$')
                        return false;
                paren = true;
        }
        for (size_t v = 0; v < ELEMENTSOF(known_variables); v++) {
                const char *value = known_variables[v].value;
                size_t j = start + 1, vlen = strlen(value);
                char picked[32];
                size_t np = 0;

                if (!prefix_nocase(s, n, j, known_variables[v].name))
                        continue;
                j += strlen(known_variables[v].name);
                if (j < n && is_ident(s[j]))
                        continue;
                if (prefix_nocase(s, n, j, ".tostring()"))
                        j += 11;
                if (paren) {
                        j = skip_blanks(s, n, j);
                        if (j >= n || s[j] != ')')
                                return false;
                        j = skip_blanks(s, n, j + 1);
                }
                if (j >= n || s[j] != '[')
                        continue;
                j++;
                for (;;) {
                        long k;
                        j = skip_blanks(s, n, j);
                        k = number_at(s, n, &j);
                        if (k < 0 || (size_t)k >= vlen || np >= sizeof(picked))
                                return false;
                        picked[np++] = value[k];
                        j = skip_blanks(s, n, j);
                        if (j < n && s[j] == ',') {
                                j++;
                                continue;
                        }
                        if (j < n && s[j] == ']')
                                break;
                        return false;
                }
                textbuf_putc(out, '\'');
                textbuf_put(out, picked, np);
                textbuf_putc(out, '\'');
                *i = j + 1;
                return true;
        }
        return false;
}

static int pass_variables(const char *s, size_t n, struct textbuf *out, _unused_ bool php)
{
        int changes = 0;

        for (size_t i = 0; i < n;) {
                if ((s[i] == '$' || s[i] == '(') && variable_pick(s, n, &i, out)) {
                        changes++;
                        continue;
                }
                textbuf_putc(out, s[i++]);
        }
        return changes;
}

/* ---- pass 3: string literals and the operators over them ---- */

/* literal_at() from s[from] on (from = i + 1, or where an earlier look for the same quote gave
 * up, see struct literal_miss): *stop is where a look that finds no literal gave up (the line
 * break, the end of the text, or the first byte past MAX_LITERAL it did not read). */
static bool literal_scan(const char *s, size_t n, size_t i, size_t from, size_t *cs, size_t *ce,
                         size_t *end, size_t *stop)
{
        char q = s[i];
        size_t j;

        if (q != '\'' && q != '"') {
                *stop = i + 1;
                return false;
        }
        for (j = from; j < n && j - i < MAX_LITERAL; j++) {
                if (s[j] == '\n') {
                        *stop = j;
                        return false;
                }
                if (q == '"' && (s[j] == '\\' || s[j] == '`') && j + 1 < n && s[j + 1] != '\n') {
                        j++;
                        continue;
                }
                if (s[j] == q) {
                        *cs = i + 1;
                        *ce = j;
                        *end = j + 1;
                        return true;
                }
        }
        *stop = j;
        return false;
}

/* A literal quoted with ' or " at s[i], on one line: its content and the index after it. */
static bool literal_at(const char *s, size_t n, size_t i, size_t *cs, size_t *ce, size_t *end)
{
        size_t stop;

        return literal_scan(s, n, i, i + 1, cs, ce, end, &stop);
}

/* The last look for a literal that found none in a walk over one text. A quote of the same kind
 * before where it gave up is one that look stepped over as escaped (\" or `" in a "...": any
 * other would have closed it), so a look from there reads the same bytes in the same way and
 * finds no closing quote before that point either: it goes on from there. Without this, a long
 * line of JSON written into a "..." with \" costs MAX_LITERAL bytes at each of its quotes. */
struct literal_miss {
        char quote; /* 0: none yet */
        size_t stop;
        bool ended; /* at a line break or the end of the text, where any look would stop */
};

static bool literal_at_walk(const char *s, size_t n, size_t i, size_t *cs, size_t *ce, size_t *end,
                            struct literal_miss *miss)
{
        size_t from = i + 1, stop;

        if (miss->quote == s[i] && i < miss->stop) {
                if (miss->ended)
                        return false;
                from = miss->stop;
        }
        if (literal_scan(s, n, i, from, cs, ce, end, &stop))
                return true;
        *miss = (struct literal_miss){
                .quote = s[i], .stop = stop, .ended = stop >= n || s[stop] == '\n'};
        return false;
}

/* A literal after blanks at *i: its content appended to lit (lit may be NULL to only skip). */
static bool take_literal(const char *s, size_t n, size_t *i, struct textbuf *lit)
{
        size_t j = skip_blanks(s, n, *i), cs, ce, end;

        if (j >= n || !literal_at(s, n, j, &cs, &ce, &end))
                return false;
        if (lit)
                textbuf_put(lit, s + cs, ce - cs);
        *i = end;
        return true;
}

/* "word" after blanks at *i (case-insensitive, not followed by an identifier character). */
static bool take_word(const char *s, size_t n, size_t *i, const char *word)
{
        size_t j = skip_blanks(s, n, *i), len = strlen(word);

        if (!prefix_nocase(s, n, j, word) ||
            (j + len < n && is_ident(s[j + len]) && is_ident(word[len - 1])))
                return false;
        *i = j + len;
        return true;
}

/* A comma-separated list of literals at *i, each appended to items with a NUL after it. */
static bool take_list(const char *s, size_t n, size_t *i, struct textbuf *items, size_t *count)
{
        size_t j = *i;

        *count = 0;
        for (;;) {
                if (!take_literal(s, n, &j, items))
                        return false;
                textbuf_putc(items, 0);
                (*count)++;
                size_t k = skip_blanks(s, n, j);
                if (k < n && s[k] == ',') {
                        j = k + 1;
                        continue;
                }
                *i = j;
                return true;
        }
}

/* lit -f 'a','b': {N} replaced by the Nth item. */
static bool format_operator(const char *s, size_t n, size_t *i, struct textbuf *lit)
{
        size_t j = *i, count;
        struct textbuf items = {0}, res = {0};
        const char *item[16];
        bool ok = false;

        if (!take_word(s, n, &j, "-f") || !take_list(s, n, &j, &items, &count) || count > 16 ||
            items.oom)
                goto out;
        for (size_t k = 0, off = 0; k < count; k++) {
                item[k] = items.p + off;
                off += strlen(item[k]) + 1;
        }
        for (size_t k = 0; k < lit->len; k++) {
                size_t m = k + 1;
                long idx;
                if (lit->p[k] == '{' && (idx = number_at(lit->p, lit->len, &m)) >= 0 &&
                    m < lit->len && lit->p[m] == '}') {
                        if ((size_t)idx >= count)
                                goto out;
                        textbuf_put(&res, item[idx], strlen(item[idx]));
                        k = m;
                        continue;
                }
                textbuf_putc(&res, lit->p[k]);
        }
        if (res.oom)
                goto out;
        lit->len = 0;
        textbuf_put(lit, res.p ? res.p : "", res.len);
        *i = j;
        ok = true;
out:
        free(items.p);
        free(res.p);
        return ok;
}

/* A JScript regular expression literal at *i after blanks that is plain text (/junk/g) or one
 * class of plain characters (/[xyz]/g): its text appended to items, *ret_class set for a class
 * (the characters without the brackets). */
static bool regex_literal(const char *s, size_t n, size_t *i, struct textbuf *items,
                          bool *ret_class)
{
        size_t j = skip_blanks(s, n, *i), start, stop;
        bool in_class;

        if (take_word(s, n, &j, "new regexp(")) {
                /* new RegExp("junk", "g"): the same as /junk/g */
                size_t cs, ce, end;
                j = skip_blanks(s, n, j);
                if (j >= n || !literal_at(s, n, j, &cs, &ce, &end) || ce == cs)
                        return false;
                for (size_t k = cs; k < ce; k++)
                        if (strchr("\\[](){}.*+?^$|", s[k]))
                                return false;
                j = skip_blanks(s, n, end);
                if (j < n && s[j] == ',' && (++j, !take_literal(s, n, &j, NULL)))
                        return false;
                if (!take_word(s, n, &j, ")"))
                        return false;
                textbuf_put(items, s + cs, ce - cs);
                *ret_class = false;
                *i = j;
                return true;
        }
        if (j >= n || s[j] != '/')
                return false;
        start = ++j;
        in_class = j < n && s[j] == '[';
        if (in_class)
                start = ++j;
        while (j < n && j - start < 256 && s[j] != '/' && !(in_class && s[j] == ']')) {
                if (strchr("\\[](){}.*+?^$|\n", s[j]) || (in_class && s[j] == '-'))
                        return false;
                j++;
        }
        stop = j;
        if (in_class) {
                if (j >= n || s[j] != ']')
                        return false;
                j++;
        }
        if (j >= n || s[j] != '/' || stop == start)
                return false;
        textbuf_put(items, s + start, stop - start);
        for (j++; j < n && strchr("gim", s[j]); j++)
                ;
        *ret_class = in_class;
        *i = j;
        return true;
}

/* lit -replace 'from','to' and lit.Replace('from','to'), for a pattern without regex syntax */
static bool replace_operator(const char *s, size_t n, size_t *i, struct textbuf *lit)
{
        size_t j = *i, count, from_len;
        bool method = false, char_class = false, ok = false;
        struct textbuf items = {0}, res = {0};
        const char *from, *to;

        if (take_word(s, n, &j, ".replace(") || take_word(s, n, &j, ".replace ("))
                method = true;
        else if (!take_word(s, n, &j, "-replace") && !take_word(s, n, &j, "-creplace"))
                return false;
        if (method && regex_literal(s, n, &j, &items, &char_class)) {
                /* .replace(/junk/g, 'x'): the pattern as the first item */
                textbuf_putc(&items, 0);
                j = skip_blanks(s, n, j);
                if (j >= n || s[j] != ',')
                        goto out;
                j++;
                if (!take_literal(s, n, &j, &items))
                        goto out;
                textbuf_putc(&items, 0);
                count = 2;
        } else if (!take_list(s, n, &j, &items, &count))
                goto out;
        if (count != 2 || items.oom)
                goto out;
        from = items.p;
        to = from + strlen(from) + 1;
        from_len = strlen(from);
        if (from_len == 0 || (!method && strpbrk(from, "\\[](){}.*+?^$|")))
                goto out;
        if (method) {
                j = skip_blanks(s, n, j);
                if (j >= n || s[j] != ')')
                        goto out;
                j++;
        }
        for (size_t k = 0; k < lit->len;) {
                if (char_class && memchr(from, lit->p[k], from_len)) {
                        textbuf_put(&res, to, strlen(to));
                        k++;
                } else if (!char_class && k + from_len <= lit->len &&
                           strncasecmp(lit->p + k, from, from_len) == 0) {
                        textbuf_put(&res, to, strlen(to));
                        k += from_len;
                } else
                        textbuf_putc(&res, lit->p[k++]);
        }
        if (res.oom)
                goto out;
        lit->len = 0;
        textbuf_put(lit, res.p ? res.p : "", res.len);
        *i = j;
        ok = true;
out:
        free(items.p);
        free(res.p);
        return ok;
}

/* lit[-1..-N] (Invoke-Obfuscation's reversed strings, then joined): the literal reversed. The
 * end index may be any expression ([-1..-($s.Length)]): the whole literal is taken. */
static bool reverse_index(const char *s, size_t n, size_t *i, struct textbuf *lit)
{
        size_t j = *i;
        long v;

        if (j >= n || s[j] != '[')
                return false;
        j = skip_blanks(s, n, j + 1);
        if (j >= n || s[j] != '-')
                return false;
        j++;
        if ((v = number_at(s, n, &j)) != 1)
                return false;
        j = skip_blanks(s, n, j);
        if (j + 2 >= n || s[j] != '.' || s[j + 1] != '.')
                return false;
        j = skip_blanks(s, n, j + 2);
        if (j >= n || s[j] != '-')
                return false;
        for (size_t k = j; k < n && k < j + 80; k++)
                if (s[k] == ']') {
                        for (size_t a = 0, b = lit->len; b > a + 1; a++, b--) {
                                char t = lit->p[a];
                                lit->p[a] = lit->p[b - 1];
                                lit->p[b - 1] = t;
                        }
                        *i = k + 1;
                        return true;
                } else if (s[k] == '\n' || s[k] == '[')
                        return false;
        return false;
}

/* JScript's lit.split('x').join('y') (lit.split('x').reverse().join('y')): the pieces between
 * the separators joined with y, in reverse order with reverse(); an empty separator splits
 * into characters. */
static bool split_join(const char *s, size_t n, size_t *i, struct textbuf *lit)
{
        size_t j = *i;
        struct textbuf sep = {0}, with = {0}, res = {0};
        _cleanup_free_ size_t *starts = NULL, *ends = NULL;
        bool reverse = false, ok = false;

        if (!take_word(s, n, &j, ".split(") || !take_literal(s, n, &j, &sep) ||
            !take_word(s, n, &j, ")"))
                goto out;
        if (take_word(s, n, &j, ".reverse()"))
                reverse = true;
        if (!take_word(s, n, &j, ".join(") || !take_literal(s, n, &j, &with) ||
            !take_word(s, n, &j, ")") || sep.oom || with.oom)
                goto out;
        /* the pieces, as offsets of their starts and ends */
        size_t np = 0, k = 0, room = lit->len + 1;
        starts = calloc(room, sizeof(size_t));
        ends = calloc(room, sizeof(size_t));
        if (!starts || !ends)
                goto out;
        while (np < room) {
                size_t e = k;
                if (sep.len == 0)
                        e = k + 1;
                else
                        while (e < lit->len &&
                               (e + sep.len > lit->len || memcmp(lit->p + e, sep.p, sep.len) != 0))
                                e++;
                if (e > lit->len)
                        break;
                starts[np] = k;
                ends[np++] = e;
                if (e >= lit->len)
                        break;
                k = e + sep.len;
        }
        for (size_t m = 0; m < np; m++) {
                size_t p = reverse ? np - 1 - m : m;
                if (m > 0)
                        textbuf_put(&res, with.p ? with.p : "", with.len);
                textbuf_put(&res, lit->p + starts[p], ends[p] - starts[p]);
        }
        if (res.oom)
                goto out;
        lit->len = 0;
        textbuf_put(lit, res.p ? res.p : "", res.len);
        *i = j;
        ok = true;
out:
        free(sep.p);
        free(with.p);
        free(res.p);
        return ok;
}

/* PHP's lit ^ 'x': the bytes XORed, as far as the shorter goes (PHP's rule), if the result
 * is printable. */
static bool php_xor(const char *s, size_t n, size_t *i, struct textbuf *lit)
{
        size_t j = skip_blanks(s, n, *i), cs, ce, end;

        if (j >= n || s[j] != '^' || (j + 1 < n && s[j + 1] == '='))
                return false;
        j = skip_blanks(s, n, j + 1);
        if (j >= n || !literal_at(s, n, j, &cs, &ce, &end) || memchr(s + cs, '\\', ce - cs))
                return false;
        size_t len = lit->len < ce - cs ? lit->len : ce - cs;
        for (size_t k = 0; k < len; k++)
                if (!plain_char((unsigned char)(lit->p[k] ^ s[cs + k])) || lit->p[k] == s[cs + k])
                        return false;
        for (size_t k = 0; k < len; k++)
                lit->p[k] ^= s[cs + k];
        lit->len = len;
        *i = end;
        return true;
}

/* JScript's methods of a literal with constant arguments: .charAt(N), .substr(A[, L]),
 * .substring(A[, B]), .slice(A[, B]), .concat('x'), and the case changes (the normalised text
 * is in lower case anyway). */
static bool literal_method(const char *s, size_t n, size_t *i, struct textbuf *lit)
{
        static const char *const names[] = {".charat(",       ".substr(",   ".substring(",
                                            ".slice(",        ".concat(",   ".tolowercase()",
                                            ".touppercase()", ".tostring()"};
        size_t j = *i, which;
        long a = 0, b = (long)lit->len;
        bool two = false;

        for (which = 0; which < ELEMENTSOF(names); which++)
                if (take_word(s, n, &j, names[which]))
                        break;
        if (which == ELEMENTSOF(names))
                return false;
        if (which >= 5) {
                *i = j;
                return true;
        }
        if (which == 4) {
                if (!take_literal(s, n, &j, lit) || !take_word(s, n, &j, ")"))
                        return false;
                *i = j;
                return true;
        }
        if (!const_int_expr(s, n, &j, &a, ",)"))
                return false;
        if (s[j] == ',') {
                j++;
                if (which == 0 || !const_int_expr(s, n, &j, &b, ")"))
                        return false;
                two = true;
        }
        j++;
        long len = (long)lit->len, from, to;
        /* negative starts count from the end for substr and slice, and are 0 for substring */
        if (a < 0)
                a = which == 1 || which == 3 ? (a + len < 0 ? 0 : a + len) : 0;
        if (b < 0)
                b = which == 3 ? (b + len < 0 ? 0 : b + len) : 0;
        from = a > len ? len : a;
        if (which == 0)
                to = from < len ? from + 1 : from;
        else if (which == 1)
                to = !two ? len : (from + b > len ? len : from + b);
        else
                to = b > len ? len : b;
        if (which == 2 && to < from) {
                long t = from;
                from = to;
                to = t;
        }
        if (to < from)
                to = from;
        memmove(lit->p, lit->p + from, (size_t)(to - from));
        lit->len = (size_t)(to - from);
        lit->p[lit->len] = 0;
        *i = j;
        return true;
}

/* What follows a literal and folds into it: + or & and a literal, a literal right after it
 * (shell), -f, -join, -replace, .Replace(); in PHP . and ^. Returns whether one was folded. */
static bool fold_once(const char *s, size_t n, size_t *i, struct textbuf *lit, bool php)
{
        size_t j = skip_blanks(s, n, *i);

        if (*i < n && (s[*i] == '\'' || s[*i] == '"'))
                return take_literal(s, n, i, lit);
        if (php && j < n && s[j] == '.' && !(j + 1 < n && s[j + 1] == '=')) {
                size_t k = j + 1;
                if (take_literal(s, n, &k, lit)) {
                        *i = k;
                        return true;
                }
                return false;
        }
        if (php && lit->len > 0 && php_xor(s, n, i, lit))
                return true;
        if (j < n && (s[j] == '+' || s[j] == '&')) {
                size_t k = j + 1;
                struct textbuf piece = {0};
                bool ok = take_literal(s, n, &k, &piece);
                /* a method call binds to the literal before it, not to the sum */
                while (ok && piece.len < MAX_LITERAL && k < n && s[k] == '.' &&
                       (literal_method(s, n, &k, &piece) || split_join(s, n, &k, &piece) ||
                        replace_operator(s, n, &k, &piece)))
                        ;
                if (ok)
                        textbuf_put(lit, piece.p ? piece.p : "", piece.len);
                lit->oom |= piece.oom;
                free(piece.p);
                if (ok)
                        *i = k;
                return ok;
        }
        if (format_operator(s, n, i, lit) || replace_operator(s, n, i, lit) ||
            reverse_index(s, n, i, lit) || split_join(s, n, i, lit) || literal_method(s, n, i, lit))
                return true;
        /* 'abc' -join '' is 'abc' */
        size_t k = *i;
        if (take_word(s, n, &k, "-join") && take_literal(s, n, &k, NULL)) {
                *i = k;
                return true;
        }
        return false;
}

static bool plain_word(const char *p, size_t len)
{
        if (len == 0)
                return false;
        for (size_t k = 0; k < len; k++)
                if (!isalnum((unsigned char)p[k]) && !strchr("._/-", p[k]))
                        return false;
        return true;
}

/* Writes a literal: bare when it is glued to a word (shell's c'ur'l), else quoted. */
static void put_literal(struct textbuf *out, const char *p, size_t len, char q, bool glued)
{
        if (glued && plain_word(p, len)) {
                textbuf_put(out, p, len);
                return;
        }
        if (memchr(p, q, len))
                q = q == '\'' ? '"' : '\'';
        textbuf_putc(out, q);
        textbuf_put(out, p, len);
        textbuf_putc(out, q);
}

/* The COUNT NUL-separated ITEMS joined by SEP, written to OUT as one literal in QUOTE. */
static bool put_joined(struct textbuf *out, const struct textbuf *items, size_t count,
                       const struct textbuf *sep, char quote)
{
        struct textbuf res = {0};
        bool ok;

        for (size_t k = 0, off = 0; k < count && !items->oom; k++) {
                const char *item = items->p + off;
                if (k > 0 && sep->len)
                        textbuf_put(&res, sep->p, sep->len);
                textbuf_put(&res, item, strlen(item));
                off += strlen(item) + 1;
        }
        ok = !items->oom && !sep->oom && !res.oom;
        if (ok)
                put_literal(out, res.p ? res.p : "", res.len, quote, false);
        free(res.p);
        return ok;
}

/* JScript's ['a','b'].join('x') (an array literal of literals joined) */
static bool array_join(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i + 1, count;
        struct textbuf items = {0}, sep = {0};
        bool ok = false;

        /* an array literal, not an index: nothing that can be indexed before it */
        if (*i > 0 && (is_ident(s[*i - 1]) || s[*i - 1] == ')' || s[*i - 1] == ']'))
                return false;
        if (!take_list(s, n, &j, &items, &count) || !take_word(s, n, &j, "]") ||
            !take_word(s, n, &j, ".join(") || !take_literal(s, n, &j, &sep) ||
            !take_word(s, n, &j, ")"))
                goto out;
        if (!put_joined(out, &items, count, &sep, '"'))
                goto out;
        *i = j;
        ok = true;
out:
        free(items.p);
        free(sep.p);
        return ok;
}

/* JScript's obj["Name"] is obj.Name, for a plain identifier after a word, ) or ]. */
static bool bracket_member(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i + 1, cs, ce, end;

        if (*i == 0 || !(is_ident(s[*i - 1]) || s[*i - 1] == ')' || s[*i - 1] == ']'))
                return false;
        if (j >= n || !literal_at(s, n, j, &cs, &ce, &end) || end >= n || s[end] != ']' || ce == cs)
                return false;
        for (size_t k = cs; k < ce; k++)
                if (!is_ident(s[k]) && s[k] != '$')
                        return false;
        if (isdigit((unsigned char)s[cs]))
                return false;
        textbuf_putc(out, '.');
        textbuf_put(out, s + cs, ce - cs);
        *i = end + 1;
        return true;
}

/* ('a','b') -join 'x', and -join ('a','b') */
static bool join_list(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i, count;
        struct textbuf items = {0}, sep = {0};
        bool unary = false, ok = false;

        if (take_word(s, n, &j, "-join"))
                unary = true;
        j = skip_blanks(s, n, j);
        if (j >= n || s[j] != '(')
                return false;
        j++;
        if (!take_list(s, n, &j, &items, &count))
                goto out;
        j = skip_blanks(s, n, j);
        if (j >= n || s[j] != ')')
                goto out;
        j++;
        if (!unary && (!take_word(s, n, &j, "-join") || !take_literal(s, n, &j, &sep)))
                goto out;
        if (!put_joined(out, &items, count, &sep, '\''))
                goto out;
        *i = j;
        ok = true;
out:
        free(items.p);
        free(sep.p);
        return ok;
}

/* &('iex'), .("iex"), & 'iex': a command named by a literal is that command. */
static bool invoke_literal(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i + 1, cs, ce, end;
        bool paren;
        char prev = *i > 0 ? s[*i - 1] : ' ';

        if (!strchr(" \t\n|;({=", prev))
                return false;
        j = skip_blanks(s, n, j);
        paren = j < n && s[j] == '(';
        if (paren)
                j = skip_blanks(s, n, j + 1);
        if (j >= n || !literal_at(s, n, j, &cs, &ce, &end))
                return false;
        for (size_t k = cs; k < ce; k++)
                if (!isalnum((unsigned char)s[k]) && s[k] != '-')
                        return false;
        j = end;
        if (paren) {
                j = skip_blanks(s, n, j);
                if (j >= n || s[j] != ')')
                        return false;
                j++;
        }
        textbuf_put(out, s + cs, ce - cs);
        *i = j;
        return true;
}

/* Is s[at] (a ']') the end of an index (a[0], obj["x"]) rather than a type ([string])? */
static bool closes_index(const char *s, size_t at)
{
        for (size_t k = at; k > 0 && at - k < 200; k--)
                if (s[k - 1] == '[')
                        return k >= 2 && (is_ident(s[k - 2]) || s[k - 2] == ')' || s[k - 2] == ']');
        return false;
}

/* Whether s[open] ('(') opens one literal and closes after it, blanks allowed: ( 'x' ). Sets
 * the literal's content s[*cs..*ce) and *after, the index past the ')'. */
static bool literal_in_parens(const char *s, size_t n, size_t open, size_t *cs, size_t *ce,
                              size_t *after)
{
        size_t j = skip_blanks(s, n, open + 1), end;

        if (j >= n || !literal_at(s, n, j, cs, ce, &end))
                return false;
        j = skip_blanks(s, n, end);
        if (j >= n || s[j] != ')')
                return false;
        *after = j + 1;
        return true;
}

/* ('x') is 'x'; obj.('Name') is obj.Name, and obj.('Name').Invoke(...) is obj.Name(...).
 * A call's parentheses (f('x'), f()('x'), a[0]('x')) stay. */
static bool paren_literal(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j, cs, ce;
        bool member = *i > 0 && s[*i - 1] == '.';

        /* ...nor the arguments of a name called as a literal, PHP's 'assert'('x') */
        if (*i > 0 && (is_ident(s[*i - 1]) || s[*i - 1] == ')' || s[*i - 1] == '\'' ||
                       s[*i - 1] == '"' || (s[*i - 1] == ']' && closes_index(s, *i - 1))))
                return false;
        if (!literal_in_parens(s, n, *i, &cs, &ce, &j))
                return false;
        if (!member) {
                put_literal(out, s + cs, ce - cs, s[cs - 1], false);
                *i = j;
                return true;
        }
        if (!plain_word(s + cs, ce - cs))
                return false;
        textbuf_put(out, s + cs, ce - cs);
        if (prefix_nocase(s, n, j, ".invoke("))
                j += 7;
        *i = j;
        return true;
}

/* PHP: ('x') after the concatenation's dot, 'a'.('p').('o'), as the XOR builders leave it
 * ("#"^"|").("."^"~"): the literal itself, which the dot joins (paren_literal reads a dot
 * before a parenthesis as JScript's or PowerShell's member access, .('Name')). */
static bool php_concat_paren_literal(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t cs, ce, after;

        if (*i == 0 || s[*i - 1] != '.' || !literal_in_parens(s, n, *i, &cs, &ce, &after))
                return false;
        put_literal(out, s + cs, ce - cs, s[cs - 1], false);
        *i = after;
        return true;
}

#define MAX_SEQUENCE 64

/* JScript's comma operator over literals, ("junk","junk","WScr") + "ipt": the last literal.
 * Only beside a +, so that a list of another language (a tuple, a PowerShell array) stays. */
static bool comma_sequence(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i + 1, count = 0, e = out->len, cs = 0, ce = 0, end;
        bool last_literal = false;
        long v;

        if (*i > 0 && (is_ident(s[*i - 1]) || s[*i - 1] == ')' || s[*i - 1] == ']'))
                return false;
        /* the items: literals or numbers, the last one a literal */
        for (;; count++) {
                j = skip_blanks(s, n, j);
                if (j < n && literal_at(s, n, j, &cs, &ce, &end)) {
                        last_literal = true;
                        j = skip_blanks(s, n, end);
                } else if (const_int_expr(s, n, &j, &v, ",)"))
                        last_literal = false;
                else
                        return false;
                if (j >= n || s[j] != ',' || count > MAX_SEQUENCE)
                        break;
                j++;
        }
        if (count < 1 || count > MAX_SEQUENCE || !last_literal || j >= n || s[j] != ')')
                return false;
        j++;
        while (e > 0 && (out->p[e - 1] == ' ' || out->p[e - 1] == '\t'))
                e--;
        size_t k = skip_blanks(s, n, j);
        if (!(e > 0 && out->p[e - 1] == '+') && !(k < n && s[k] == '+'))
                return false;
        put_literal(out, s + cs, ce - cs, s[cs - 1], false);
        *i = j;
        return true;
}

/* ---- arrays of simple items, and the item a constant index picks ---- */

#define MAX_PICK_ITEMS 4096
#define MAX_PICK_DEPTH 8
#define MAX_PICK_TEXT  (64u << 10)

/* Skips blanks, line breaks and block comments (droppers pad array holes with comments). */
static size_t skip_space(const char *s, size_t n, size_t i)
{
        for (;;) {
                while (i < n && isspace((unsigned char)s[i]))
                        i++;
                if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
                        const char *e = memmem(s + i + 2, n - i - 2, "*/", 2);
                        if (!e)
                                return n;
                        i = (size_t)(e - s) + 2;
                        continue;
                }
                return i;
        }
}

/* The items of an array literal, each kept as its text (a literal with its quotes) and a NUL,
 * an empty text for a hole. */
struct items {
        struct textbuf text;
        size_t *offsets;
        size_t count;
};

static void items_free(struct items *it)
{
        free(it->text.p);
        free(it->offsets);
}

static bool items_add(struct items *it, const char *p, size_t len)
{
        if (it->count >= MAX_PICK_ITEMS || it->text.len + len > MAX_PICK_TEXT)
                return false;
        if (it->count % 64 == 0) {
                size_t *o = realloc(it->offsets, (it->count + 64) * sizeof(*o));
                if (!o) {
                        it->text.oom = true;
                        return false;
                }
                it->offsets = o;
        }
        it->offsets[it->count++] = it->text.len;
        textbuf_put(&it->text, p, len);
        textbuf_putc(&it->text, 0);
        return !it->text.oom;
}

static const char *items_get(const struct items *it, size_t k)
{
        return it->text.p + it->offsets[k];
}

static bool array_pick(const char *s, size_t n, size_t *i, struct textbuf *out, int depth);

/* Skips a nested array literal at s[*i] (its brackets balanced, strings skipped), no deeper
 * than the picks read. */
static bool skip_array(const char *s, size_t n, size_t *i)
{
        int level = 0;

        for (size_t j = *i; j < n && j - *i < MAX_PICK_TEXT;) {
                if (skip_string(s, n, &j))
                        continue;
                if (s[j] == '[') {
                        if (++level > MAX_PICK_DEPTH)
                                return false;
                } else if (s[j] == ']' && --level == 0) {
                        *i = j + 1;
                        return true;
                } else if (s[j] == ';' || s[j] == '{' || s[j] == '}')
                        return false;
                j++;
        }
        return false;
}

/* [item, item, ...] at s[*i]: its items, *i after the ]. An item is a literal, a number, a
 * name (true, Infinity, WScript), a name called with a number (Number(6)), a hole, an array
 * of such, or such an array picked at a constant index (which is resolved). */
static bool array_items(const char *s, size_t n, size_t *i, struct items *it, int depth)
{
        size_t j = *i + 1;

        if (depth > MAX_PICK_DEPTH)
                return false;
        j = skip_space(s, n, j);
        if (j < n && s[j] == ']') {
                *i = j + 1;
                return true;
        }
        for (;;) {
                size_t start = j, cs, ce, end;
                j = skip_space(s, n, j);
                start = j;
                if (j >= n)
                        return false;
                if (s[j] == ',' || s[j] == ']') {
                        if (!items_add(it, "", 0))
                                return false;
                } else if (literal_at(s, n, j, &cs, &ce, &end)) {
                        if (!items_add(it, s + j, end - j))
                                return false;
                        j = end;
                } else if (s[j] == '[') {
                        /* an array, picked at once ([a, b][1]) or kept whole: read once,
                         * and again only when an index follows */
                        struct textbuf picked = {0};
                        size_t k = j, e = j;
                        if (!skip_array(s, n, &k))
                                return false;
                        size_t after = skip_space(s, n, k);
                        bool ok = after < n && s[after] == '[' &&
                                  array_pick(s, n, &e, &picked, depth + 1);
                        if (ok)
                                ok = items_add(it, picked.p ? picked.p : "", picked.len), k = e;
                        else
                                ok = items_add(it, s + j, k - j);
                        free(picked.p);
                        if (!ok)
                                return false;
                        j = k;
                } else if (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '$' ||
                           s[j] == '-' || s[j] == '.') {
                        j++;
                        while (j < n && (is_ident(s[j]) || s[j] == '$' || s[j] == '.'))
                                j++;
                        size_t k = skip_blanks(s, n, j);
                        if (k < n && s[k] == '(') {
                                k = skip_blanks(s, n, k + 1);
                                while (k < n && (isalnum((unsigned char)s[k]) || s[k] == '.'))
                                        k++;
                                k = skip_blanks(s, n, k);
                                if (k >= n || s[k] != ')')
                                        return false;
                                j = k + 1;
                        }
                        if (!items_add(it, s + start, j - start))
                                return false;
                } else {
                        return false;
                }
                j = skip_space(s, n, j);
                if (j < n && s[j] == ',') {
                        j = skip_space(s, n, j + 1);
                        if (j < n && s[j] == ']') { /* a trailing comma adds no item */
                                *i = j + 1;
                                return true;
                        }
                        continue;
                }
                if (j < n && s[j] == ']') {
                        *i = j + 1;
                        return true;
                }
                return false;
        }
}

/* [a, b, c][N] (an array literal, not an index: nothing that can be indexed before it): the
 * Nth item, when it is not a hole; [[x, y]][0][1] picks on. */
static bool array_pick(const char *s, size_t n, size_t *i, struct textbuf *out, int depth)
{
        struct items it = {0};
        size_t j = *i;
        long index;
        bool ok = false;

        if (*i > 0 && (is_ident(s[*i - 1]) || s[*i - 1] == ')' || s[*i - 1] == ']' ||
                       s[*i - 1] == '$' || s[*i - 1] == '.'))
                return false;
        if (!array_items(s, n, &j, &it, depth))
                goto out;
        j = skip_space(s, n, j);
        if (j >= n || s[j] != '[')
                goto out;
        size_t k = j + 1;
        if (!const_int_expr(s, n, &k, &index, "]") || index < 0 || (size_t)index >= it.count)
                goto out;
        k++;
        const char *item = items_get(&it, (size_t)index);
        size_t len = strlen(item);
        if (len == 0)
                goto out;
        size_t after = skip_blanks(s, n, k);
        if (after < n && s[after] == '=' && (after + 1 >= n || s[after + 1] != '='))
                goto out;
        if (item[0] == '[' && after < n && s[after] == '[') {
                /* the item is an array that is picked again */
                struct textbuf chain = {0};
                size_t e = after, c = 0;
                if (!skip_array(s, n, &e)) {
                        free(chain.p);
                        goto out;
                }
                textbuf_put(&chain, item, len);
                textbuf_put(&chain, s + after, e - after);
                if (!chain.oom && array_pick(chain.p, chain.len, &c, out, depth + 1) &&
                    c == chain.len)
                        k = e, ok = true;
                free(chain.p);
                if (!ok)
                        goto out;
        } else {
                textbuf_put(out, item, len);
        }
        *i = k;
        ok = true;
out:
        items_free(&it);
        return ok;
}

/* v += 'a'; v += 'b'; (what calls of one-piece functions leave): v += 'ab';, while the
 * literal stays short enough to be read again. */
static bool append_run(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i, name_end, cs, ce, end, runs = 0;
        struct textbuf lit = {0};
        char q = 0;

        if (!ident_starts(s, j) || !(isalpha((unsigned char)s[j]) || s[j] == '_' || s[j] == '$'))
                return false;
        for (name_end = j; name_end < n && (is_ident(s[name_end]) || s[name_end] == '$');)
                name_end++;
        size_t len = name_end - j;
        for (size_t k = j;; runs++) {
                if (n - k < len || memcmp(s + k, s + *i, len) != 0 ||
                    (k + len < n && (is_ident(s[k + len]) || s[k + len] == '$')))
                        break;
                size_t m = skip_blanks(s, n, k + len);
                if (m + 1 >= n || s[m] != '+' || s[m + 1] != '=')
                        break;
                m = skip_blanks(s, n, m + 2);
                if (!literal_at(s, n, m, &cs, &ce, &end) || lit.len + (ce - cs) > MAX_LITERAL - 2)
                        break;
                size_t e = skip_blanks(s, n, end);
                /* statements, or one expression of appends joined by commas (what
                 * javascript-obfuscator makes of a run of calls) */
                if (e >= n || (s[e] != ';' && s[e] != ','))
                        break;
                if (!q)
                        q = s[m];
                textbuf_put(&lit, s + cs, ce - cs);
                j = e + 1;
                k = skip_space(s, n, j);
        }
        if (runs >= 2 && !lit.oom) {
                textbuf_put(out, s + *i, len);
                textbuf_put(out, " += ", 4);
                put_literal(out, lit.p, lit.len, q, false);
                textbuf_putc(out, ';');
                *i = j;
        }
        if (lit.oom)
                out->oom = true;
        free(lit.p);
        return runs >= 2;
}

/* Does the output end with iex or invoke-expression, then blanks and parentheses? */
static bool after_iex(const struct textbuf *out)
{
        size_t e = out->len;

        while (e > 0 && (out->p[e - 1] == ' ' || out->p[e - 1] == '\t' || out->p[e - 1] == '('))
                e--;
        for (size_t w = 0; w < 2; w++) {
                const char *word = w == 0 ? "iex" : "invoke-expression";
                size_t len = strlen(word);
                if (e >= len && strncasecmp(out->p + e - len, word, len) == 0 &&
                    (e == len || !is_ident(out->p[e - len - 1])))
                        return true;
        }
        return false;
}

/* The most a pass may add by decoding PHP calls, beyond the text it reads. */
#define MAX_PHP_DECODED_GROWTH (4u << 20)

#define MAX_PHP_LAYERS 32

/* Decoded code that starts (within a few bytes) with another decoder call: that call decoded
 * in place in *text. Returns 1 if one was, 0 if not, -ENOMEM. */
static int php_inner_layer(uint8_t **text, size_t *len)
{
        const char *t = (const char *)*text;

        for (size_t p = 0; p < *len && p < 64; p++) {
                _cleanup_free_ uint8_t *inner = NULL;
                size_t inner_len, end;
                if (!isalpha((unsigned char)t[p]))
                        continue;
                int k = php_decode_call(t, *len, p, &inner, &inner_len, &end);
                if (k < 0)
                        return k;
                if (k == 0)
                        continue;
                if (p + inner_len + (*len - end) > PHP_DECODE_MAX_OUTPUT)
                        return 0;
                uint8_t *joined = malloc(p + inner_len + (*len - end) + 1);
                if (!joined)
                        return -ENOMEM;
                memcpy(joined, t, p);
                memcpy(joined + p, inner, inner_len);
                memcpy(joined + p + inner_len, t + end, *len - end);
                *len = p + inner_len + (*len - end);
                joined[*len] = 0;
                free(*text);
                *text = joined;
                return 1;
        }
        return 0;
}

/* A PHP decoder call over a literal (eval(gzinflate(base64_decode('...')))): what it returns,
 * when that is text, written in its place: a short word as a literal (a function name kept
 * in a variable), anything longer bare, since it is code for eval. Returns 1 if written, 0 if
 * not, -ENOMEM. */
static int php_decoded_call(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        _cleanup_free_ uint8_t *text = NULL;
        size_t len, end;
        bool word = true;
        int k = php_decode_call(s, n, *i, &text, &len, &end);

        if (k <= 0) {
                if (k < 0)
                        out->oom = true;
                return k;
        }
        /* an onion (the code is eval(gzinflate(...)) again, dozens deep): peeled here, since
         * the rounds of the normaliser are few */
        for (int layer = 0; layer < MAX_PHP_LAYERS && (k = php_inner_layer(&text, &len)) > 0;
             layer++)
                ;
        if (k < 0) {
                out->oom = true;
                return k;
        }
        if (len == 0 || out->len + len > n + MAX_PHP_DECODED_GROWTH)
                return 0;
        for (size_t m = 0; m < len; m++) {
                if (text[m] < 0x80 && !plain_char(text[m]))
                        return 0;
                word = word && (is_ident((char)text[m]) || text[m] == '.');
        }
        if (word && len <= 64)
                put_literal(out, (const char *)text, len, '\'', false);
        else
                textbuf_put(out, (const char *)text, len);
        *i = end;
        return 1;
}

/* VBScript's and JScript's string functions over literals, which ASP web shells wrap around
 * the code they execute: StrReverse("lave"), unescape("eval%20request%28%22x%22%29") (%XX and
 * %uXXXX, printable results only; any other escape stays as it is) and VBScript's
 * Replace("e0v0a0l", "0", "") (three literal arguments). The result is written as a literal.
 * A call of a method (x.replace) is not one of them. */
static bool vb_string_call(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        static const char *const names[] = {"strreverse", "unescape", "replace"};
        size_t j = *i, which;
        struct textbuf lit = {0}, items = {0};
        bool ok = false;

        if (*i > 0 && (is_ident(s[*i - 1]) || s[*i - 1] == '.' || s[*i - 1] == '$'))
                return false;
        /* the first letter picks the one name it can be */
        switch (s[*i] | 0x20) {
        case 's':
                which = 0;
                break;
        case 'u':
                which = 1;
                break;
        default:
                which = 2;
                break;
        }
        if (!take_word(s, n, &j, names[which]) || !take_word(s, n, &j, "("))
                return false;
        if (which == 2) {
                size_t count = 0;
                if (!take_list(s, n, &j, &items, &count) || count != 3 || !take_word(s, n, &j, ")"))
                        goto out;
                const char *src = items.p, *from = src + strlen(src) + 1,
                           *to = from + strlen(from) + 1;
                size_t flen = strlen(from), tlen = strlen(to);
                if (flen == 0)
                        goto out;
                for (const char *p = src; *p;) {
                        if (!strncmp(p, from, flen)) {
                                textbuf_put(&lit, to, tlen);
                                p += flen;
                        } else
                                textbuf_putc(&lit, *p++);
                        if (lit.len > MAX_LITERAL)
                                goto out;
                }
        } else {
                if (!take_literal(s, n, &j, &lit) || !take_word(s, n, &j, ")"))
                        goto out;
        }
        if (lit.oom || items.oom)
                goto out;
        if (which == 0)
                for (size_t a = 0, b = lit.len; lit.p && a + 1 < b; a++, b--) {
                        char t = lit.p[a];
                        lit.p[a] = lit.p[b - 1];
                        lit.p[b - 1] = t;
                }
        if (which == 1 && lit.p) {
                size_t w = 0;
                for (size_t r = 0; r < lit.len;) {
                        size_t k = r + 1;
                        long v = -1;
                        if (lit.p[r] == '%' && k < lit.len &&
                            (lit.p[k] == 'u' || lit.p[k] == 'U')) {
                                v = hex_run(lit.p + k + 1, lit.len - k - 1, 4);
                                if (v >= 0)
                                        k += 5;
                        } else if (lit.p[r] == '%') {
                                v = hex_run(lit.p + k, lit.len - k, 2);
                                if (v >= 0)
                                        k = r + 3;
                        }
                        if (v >= 0 && plain_char(v)) {
                                lit.p[w++] = (char)v;
                                r = k;
                        } else
                                lit.p[w++] = lit.p[r++];
                }
                lit.len = w;
                lit.p[w] = 0;
        }
        put_literal(out, lit.p ? lit.p : "", lit.len, '"', false);
        *i = j;
        ok = true;
out:
        free(lit.p);
        free(items.p);
        return ok;
}

/* What a php_long_literal_end that found no end read: the literal opened by q at from, read to
 * to (the next index it would have read) without its closing quote. Every q it read before to
 * was escaped, so a later q in (from, to) opens a literal whose reading follows the same path
 * from that q on: it is not read again, but taken up at to, or given up at once when the first
 * reading stopped for good (dead: the text's end, or a variable interpolated). Without it a
 * run of escaped quotes ("\"\"\"...) costs a reading of MAX_PHP_LONG_LITERAL at every quote. */
struct literal_scan {
        char q;
        bool dead;
        size_t from, to;
};

static size_t php_long_literal_end(const char *s, size_t n, size_t i, struct literal_scan *seen);

/* A PHP literal longer than literal_at reads (a packer's payload) at s[*i], on its first line
 * for that long: copied as it is, so that its closing quote is not taken for an opening one.
 * The code after it is read as code. */
static bool php_long_literal(const char *s, size_t n, size_t *i, struct textbuf *out,
                             struct literal_scan *seen)
{
        size_t end;

        /* the end first: it stops at the next quote, so scans of successive quotes do not
         * overlap, where a look for a line break at every quote would cost MAX_LITERAL each */
        if (n - *i <= MAX_LITERAL || !(end = php_long_literal_end(s, n, *i, seen)) ||
            end - *i <= MAX_LITERAL || memchr(s + *i + 1, '\n', MAX_LITERAL))
                return false;
        textbuf_put(out, s + *i, end - *i);
        *i = end;
        return true;
}

static int pass_literals(const char *s, size_t n, struct textbuf *out, bool php)
{
        struct literal_miss miss = {0};
        struct literal_scan seen = {0};
        int changes = 0;

        for (size_t i = 0; i < n;) {
                size_t cs, ce, end;
                char c = s[i];

                if ((c == '&' || c == '.') && invoke_literal(s, n, &i, out)) {
                        changes++;
                        continue;
                }
                /* PHP's $_GET['x'] stays: its rules read request values by their index */
                if (c == '[' &&
                    (array_join(s, n, &i, out) ||
                     (!php && (array_pick(s, n, &i, out, 0) || bracket_member(s, n, &i, out))))) {
                        changes++;
                        continue;
                }
                if (!php && (isalpha((unsigned char)c) || c == '_' || c == '$') &&
                    append_run(s, n, &i, out)) {
                        changes++;
                        continue;
                }
                /* at the start of a word only: the letters are common */
                if (!php && ((c | 0x20) == 's' || (c | 0x20) == 'u' || (c | 0x20) == 'r') &&
                    (i == 0 || !is_ident(s[i - 1])) && vb_string_call(s, n, &i, out)) {
                        changes++;
                        continue;
                }
                if (php && isalpha((unsigned char)c)) {
                        int k = php_decoded_call(s, n, &i, out);
                        if (k < 0)
                                return changes;
                        if (k > 0) {
                                changes++;
                                continue;
                        }
                }
                if ((c == '(' || c == '-') && join_list(s, n, &i, out)) {
                        changes++;
                        continue;
                }
                if (c == '(' && ((php && php_concat_paren_literal(s, n, &i, out)) ||
                                 paren_literal(s, n, &i, out) || comma_sequence(s, n, &i, out))) {
                        changes++;
                        continue;
                }
                /* [string]'x' is 'x' */
                if (c == '[' && prefix_nocase(s, n, i, "[string]")) {
                        size_t k = skip_blanks(s, n, i + 8);
                        if (k < n && (s[k] == '\'' || s[k] == '"')) {
                                i = k;
                                changes++;
                                continue;
                        }
                }
                if (php && (c == '\'' || c == '"') && php_long_literal(s, n, &i, out, &seen))
                        continue;
                if ((c == '\'' || c == '"') && literal_at_walk(s, n, i, &cs, &ce, &end, &miss)) {
                        struct textbuf lit = {0};
                        bool glued_before = out->len > 0 && is_ident(out->p[out->len - 1]);
                        int folded = 0;

                        textbuf_put(&lit, s + cs, ce - cs);
                        i = end;
                        while (lit.len < MAX_LITERAL && fold_once(s, n, &i, &lit, php))
                                folded++;
                        if (lit.oom) {
                                out->oom = true;
                                free(lit.p);
                                return changes;
                        }
                        /* 'code' | iex: the code itself, run by iex */
                        size_t k = skip_blanks(s, n, i);
                        if (k < n && s[k] == '|' &&
                            (take_word(s, n, &(size_t){k + 1}, "iex") ||
                             take_word(s, n, &(size_t){k + 1}, "invoke-expression"))) {
                                size_t e = k + 1;
                                if (!take_word(s, n, &e, "iex"))
                                        take_word(s, n, &e, "invoke-expression");
                                textbuf_put(out, lit.p ? lit.p : "", lit.len);
                                free(lit.p);
                                i = e;
                                changes += folded + 1;
                                continue;
                        }
                        /* iex 'code', iex ('code'): the code, once nothing is left to fold */
                        size_t after = k;
                        while (after < n && strchr(" \t)", s[after]))
                                after++;
                        if (after_iex(out) && (k >= n || strchr(")\n;|", s[k])) &&
                            (after >= n || !strchr(".-[", s[after]))) {
                                textbuf_put(out, lit.p ? lit.p : "", lit.len);
                                free(lit.p);
                                changes += folded + 1;
                                continue;
                        }
                        bool glued = glued_before || (i < n && is_ident(s[i]));
                        if (glued && plain_word(lit.p, lit.len))
                                folded++;
                        put_literal(out, lit.p ? lit.p : "", lit.len, c, glued);
                        free(lit.p);
                        changes += folded;
                        continue;
                }
                textbuf_putc(out, c);
                i++;
        }
        return changes;
}

/* ---- pass 4: base64 given to a decoder ---- */

/* Decodes the base64 run s[0..len) into printable text (ASCII, or UTF-16LE as PowerShell's
 * -EncodedCommand); false when it is not text. */
static bool decode_b64_text(const char *s, size_t len, struct textbuf *out)
{
        struct textbuf raw = {0};
        unsigned acc = 0;
        int bits = 0;
        bool wide, ok = false;

        for (size_t k = 0; k < len && s[k] != '='; k++) {
                acc = acc << 6 | (unsigned)base64_digit_any((unsigned char)s[k]);
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        textbuf_putc(&raw, (char)(acc >> bits & 0xff));
                }
        }
        if (raw.oom || raw.len < 8)
                goto out;
        wide = raw.len >= 2 && raw.p[1] == 0;
        for (size_t k = 0; k < raw.len; k += wide ? 2 : 1) {
                if (!plain_char((unsigned char)raw.p[k]) ||
                    (wide && k + 1 < raw.len && raw.p[k + 1] != 0))
                        goto out;
        }
        for (size_t k = 0; k < raw.len; k += wide ? 2 : 1)
                textbuf_putc(out, raw.p[k]);
        ok = true;
out:
        free(raw.p);
        return ok;
}

/* Does the line around s[i] hand base64 to a decoder? */
static bool line_decodes(const char *s, size_t n, size_t i)
{
        size_t a = i, b = i;

        while (a > 0 && s[a - 1] != '\n' && i - a < 400)
                a--;
        while (b < n && s[b] != '\n' && b - i < 400)
                b++;
        for (size_t k = a; k < b; k++) {
                if (prefix_nocase(s, b, k, "base64"))
                        return true;
                if (s[k] == '-' && k > a && (s[k - 1] == ' ' || s[k - 1] == '\t') &&
                    (prefix_nocase(s, b, k, "-e ") || prefix_nocase(s, b, k, "-ec ") ||
                     prefix_nocase(s, b, k, "-enc ") || prefix_nocase(s, b, k, "-encodedcommand ")))
                        return true;
        }
        return false;
}

/* Is the whole text one base64 blob (lines of the alphabet, at least 64 characters)? A script
 * file that is nothing else is a stage stored encoded, to be decoded by what fetched it. */
static bool all_base64(const char *s, size_t n)
{
        size_t digits = 0;

        for (size_t k = 0; k < n; k++) {
                if (s[k] == '\r' || s[k] == '\n' || (s[k] == '=' && digits > 0))
                        continue;
                if (base64_digit_any((unsigned char)s[k]) < 0 || s[k] == '-' || s[k] == '_')
                        return false;
                digits++;
        }
        return digits >= 64;
}

static int pass_base64(const char *s, size_t n, struct textbuf *out, _unused_ bool php)
{
        int changes = 0;
        bool whole = all_base64(s, n);

        for (size_t i = 0; i < n;) {
                size_t j = i;
                if (i > 0 && (is_ident(s[i - 1]) || s[i - 1] == '+' || s[i - 1] == '/')) {
                        textbuf_putc(out, s[i++]);
                        continue;
                }
                while (j < n && base64_digit_any((unsigned char)s[j]) >= 0 && s[j] != '-' &&
                       s[j] != '_')
                        j++;
                while (j < n && s[j] == '=' && j - i < MAX_LITERAL * 4)
                        j++;
                if (j - i >= 16 && (whole || line_decodes(s, n, i)) &&
                    decode_b64_text(s + i, j - i, out)) {
                        changes++;
                        i = j;
                        continue;
                }
                if (j == i)
                        j = i + 1;
                textbuf_put(out, s + i, j - i);
                i = j;
        }
        return changes;
}

/* ---- string variables ---- */

#define MAX_STRING_VARS 512
#define MAX_VAR_NAME    128
#define MAX_VAR_LITERAL 64

/* A name in an open-addressed table (name_slot()): the first member of each entry. */
struct name_key {
        const char *name;
        size_t len;
};

struct string_var {
        struct name_key key;
        const char *lit;
        size_t lit_len;
        char quote;
        unsigned assigned;
};

/* The identifier at s[i] starts a token: not part of a longer name, a member (.x), a
 * variable of PowerShell, shell or PHP ($x), or a label. */
static inline bool ident_starts(const char *s, size_t i)
{
        return i == 0 || !(is_ident(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '$' ||
                           s[i - 1] == '@' || s[i - 1] == '-');
}

/* After the identifier ending at *end: an assignment (=, +=..., not == or =>)? */
static bool assignment_after(const char *s, size_t n, size_t end, size_t *ret_value)
{
        size_t j = skip_blanks(s, n, end);

        if (j < n && strchr("+-*/|&.^", s[j]) && j + 1 < n && s[j + 1] == '=') {
                *ret_value = n; /* a compound assignment: never a constant */
                return true;
        }
        if (j >= n || s[j] != '=' || (j + 1 < n && (s[j + 1] == '=' || s[j + 1] == '>')))
                return false;
        *ret_value = skip_blanks(s, n, j + 1);
        return true;
}

/* An open-addressed table of names, twice the largest count, so a probe always ends. */
#define STRING_VAR_SLOTS (2 * MAX_STRING_VARS)

static size_t name_hash(const char *p, size_t len)
{
        size_t h = 2166136261u;

        for (size_t k = 0; k < len; k++)
                h = (h ^ (unsigned char)p[k]) * 16777619u;
        return h;
}

/* The entry of the name p in a table of slots entries of size bytes (each starting with a
 * struct name_key, all zero when free), twice the largest count so that a probe always ends.
 * With add, a free entry is claimed for it (zeroed, the name set) while fewer than max are
 * taken. NULL when the name is not there and is not added. */
static void *name_slot(void *tab, size_t size, size_t slots, size_t max, const char *p, size_t len,
                       bool add, size_t *count)
{
        for (size_t h = name_hash(p, len) % slots;; h = (h + 1) % slots) {
                struct name_key *k = (struct name_key *)((char *)tab + h * size);

                if (!k->name) {
                        if (!add || *count == max)
                                return NULL;
                        (*count)++;
                        memset(k, 0, size);
                        *k = (struct name_key){.name = p, .len = len};
                        return k;
                }
                if (k->len == len && memcmp(k->name, p, len) == 0)
                        return k;
        }
}

static struct string_var *string_var_find(struct string_var *vars, const char *p, size_t len,
                                          bool add, size_t *count)
{
        return name_slot(vars, sizeof(*vars), STRING_VAR_SLOTS, MAX_STRING_VARS, p, len, add,
                         count);
}

/* Skips a string literal at s[*i] (its quote included); false if none starts there. */
static bool skip_quoted_string(const char *s, size_t n, size_t *i)
{
        char q = s[*i];

        for (size_t j = *i + 1; j < n; j++) {
                if (s[j] == '\\') {
                        j++;
                        continue;
                }
                if (s[j] == q || (s[j] == '\n' && q != '`')) {
                        *i = j + 1;
                        return true;
                }
        }
        *i = n;
        return true;
}

/* Past a string at *i, or false when none opens there: the walks ask at every byte, so the
 * test of the byte is inlined into them. */
static inline bool skip_string(const char *s, size_t n, size_t *i)
{
        char q = s[*i];

        return (q == '\'' || q == '"' || q == '`') && skip_quoted_string(s, n, i);
}

/* Does a variable's name start at s[i]? A name, or in PHP a $name (also the inner one of $$name,
 * a variable variable), not $this. The index after it in *ret_end. */
static inline bool var_name_at(const char *s, size_t n, size_t i, bool php, size_t *ret_end)
{
        size_t j = i;

        if (php) {
                if (s[i] != '$' || i + 1 >= n || !(is_letter(s[i + 1]) || s[i + 1] == '_') ||
                    (i > 0 && (is_ident(s[i - 1]) || s[i - 1] == '\\')) ||
                    prefix_nocase(s, n, i, "$this"))
                        return false;
                j = i + 1;
        } else if (!(is_letter(s[i]) || s[i] == '_') || !ident_starts(s, i)) {
                return false;
        }
        while (j < n && is_ident(s[j]))
                j++;
        *ret_end = j;
        return true;
}

/* Names given one short literal once and never assigned again (a = "WScr"; ... a + "ipt"), as
 * WSH droppers spell their ProgIDs across dozens of variables, and PHP shells the name of the
 * function they call through a variable ($a = 'assert'; $a($_POST['x'])). */
static size_t collect_string_vars(const char *s, size_t n, struct string_var *vars, bool php)
{
        size_t count = 0;

        for (size_t i = 0; i < n;) {
                if (skip_string(s, n, &i))
                        continue;
                size_t start = i, value, cs, ce, end;
                if (!var_name_at(s, n, i, php, &i)) {
                        i++;
                        continue;
                }
                if (i - start > MAX_VAR_NAME || !assignment_after(s, n, i, &value))
                        continue;
                struct string_var *v = string_var_find(vars, s + start, i - start, true, &count);
                if (!v)
                        continue;
                v->assigned++;
                if (value < n && literal_at(s, n, value, &cs, &ce, &end) &&
                    ce - cs <= MAX_VAR_LITERAL && !memchr(s + cs, '\\', ce - cs)) {
                        size_t after = skip_blanks(s, n, end);
                        if (after >= n || s[after] == ';' || s[after] == ',' || s[after] == '\n' ||
                            s[after] == '\r') {
                                v->lit = s + cs;
                                v->lit_len = ce - cs;
                                v->quote = s[value];
                        }
                }
        }
        return count;
}

static int pass_string_vars(const char *s, size_t n, struct textbuf *out, bool php)
{
        _cleanup_free_ struct string_var *vars = calloc(STRING_VAR_SLOTS, sizeof(*vars));
        size_t count, copied = 0;
        int changed = 0;

        if (!vars) {
                out->oom = true;
                return 0;
        }
        count = collect_string_vars(s, n, vars, php);
        /* most texts give no name one literal: then nothing below is replaced, and the walk
         * over the text (a third of this pass) is skipped */
        bool usable = false;
        for (size_t h = 0; h < STRING_VAR_SLOTS && count && !usable; h++)
                usable = vars[h].assigned == 1 && vars[h].lit;
        for (size_t i = 0; i < n && usable;) {
                if (skip_string(s, n, &i))
                        continue;
                size_t start = i, value, after;
                if (!var_name_at(s, n, i, php, &i)) {
                        i++;
                        continue;
                }
                struct string_var *v = string_var_find(vars, s + start, i - start, false, &count);
                if (!v || v->assigned != 1 || !v->lit || assignment_after(s, n, i, &value))
                        continue;
                /* a key of an object literal or a function called by that name stays; PHP's
                 * $f(...) is a call of the function named by the literal, which is the point */
                after = skip_blanks(s, n, i);
                if (!php && after < n && (s[after] == ':' || s[after] == '('))
                        continue;
                textbuf_put(out, s + copied, start - copied);
                /* $$name: the variable the literal names */
                if (php && start > 0 && s[start - 1] == '$' && plain_word(v->lit, v->lit_len)) {
                        textbuf_put(out, v->lit, v->lit_len);
                        copied = i;
                        changed++;
                        continue;
                }
                textbuf_putc(out, v->quote);
                textbuf_put(out, v->lit, v->lit_len);
                textbuf_putc(out, v->quote);
                copied = i;
                changed++;
        }
        textbuf_put(out, s + copied, n - copied);
        return changed;
}

/* ---- PHP comments between tokens ---- */

#define MAX_JUNK_COMMENT 64

/* PHP: comments without a blank inside (an empty one, or one of dashes and slashes), put
 * between the tokens of a statement ("s".COMMENT"y".COMMENT"stem", $COMMENT{"_P"."OST"}) to
 * break up what a rule would read: removed, so that the literals join. A comment a person
 * writes has words and blanks, and stays. */
static int pass_php_junk_comments(const char *s, size_t n, struct textbuf *out, bool php)
{
        size_t copied = 0;
        int changed = 0;

        for (size_t i = 0; php && i + 3 < n;) {
                if (skip_string(s, n, &i))
                        continue;
                if (s[i] != '/' || s[i + 1] != '*') {
                        i++;
                        continue;
                }
                size_t k = i + 2;
                while (k + 1 < n && k - i < MAX_JUNK_COMMENT && !(s[k] == '*' && s[k + 1] == '/') &&
                       !isspace((unsigned char)s[k]))
                        k++;
                if (k + 1 >= n || s[k] != '*' || s[k + 1] != '/') {
                        i = k;
                        continue;
                }
                textbuf_put(out, s + copied, i - copied);
                /* two names must not run into one */
                if (i > 0 && k + 2 < n && is_ident(s[i - 1]) && is_ident(s[k + 2]))
                        textbuf_putc(out, ' ');
                copied = i = k + 2;
                changed++;
        }
        textbuf_put(out, s + copied, n - copied);
        return changed;
}

/* ---- PHP variables spelled by appending literals ---- */

#define MAX_APPEND_VARS    64
#define APPEND_VAR_SLOTS   (2 * MAX_APPEND_VARS)
#define MAX_APPEND_LITERAL 256

/* $f = 'as'; $f .= 'se'; $f .= 'rt'; with nothing else ever assigned to $f: its value. */
struct append_var {
        struct name_key key;
        char value[MAX_APPEND_LITERAL];
        size_t len;
        unsigned appends;
        bool set, broken;
};

/* The literal statement at s[j] (a literal, then ; or the end of the line): its text. */
static bool literal_statement(const char *s, size_t n, size_t j, size_t *ret_cs, size_t *ret_ce)
{
        size_t cs, ce, end;

        if (j >= n || !literal_at(s, n, j, &cs, &ce, &end) || memchr(s + cs, '\\', ce - cs))
                return false;
        end = skip_blanks(s, n, end);
        if (end < n && s[end] != ';' && s[end] != '\n' && s[end] != '\r')
                return false;
        *ret_cs = cs;
        *ret_ce = ce;
        return true;
}

/* Reads every assignment of every $name: a first = of a literal, then only .= of literals
 * keeps the name; anything else assigned breaks it. Returns how many names were seen. */
static size_t collect_append_vars(const char *s, size_t n, struct append_var *vars)
{
        size_t count = 0;

        for (size_t i = 0; i < n;) {
                if (skip_string(s, n, &i))
                        continue;
                size_t start = i, cs, ce;
                if (!var_name_at(s, n, i, true, &i)) {
                        i++;
                        continue;
                }
                size_t j = skip_blanks(s, n, i);
                bool append = j + 1 < n && s[j] == '.' && s[j + 1] == '=';
                size_t value;
                if (i - start > MAX_VAR_NAME || (!append && !assignment_after(s, n, i, &value)))
                        continue;
                struct append_var *v =
                        name_slot(vars, sizeof(*vars), APPEND_VAR_SLOTS, MAX_APPEND_VARS, s + start,
                                  i - start, true, &count);
                if (!v || v->broken)
                        continue;
                if (append) {
                        if (!v->set ||
                            !literal_statement(s, n, skip_blanks(s, n, j + 2), &cs, &ce) ||
                            v->len + (ce - cs) > MAX_APPEND_LITERAL) {
                                v->broken = true;
                                continue;
                        }
                        memcpy(v->value + v->len, s + cs, ce - cs);
                        v->len += ce - cs;
                        v->appends++;
                        continue;
                }
                if (v->set || !literal_statement(s, n, value, &cs, &ce) ||
                    ce - cs > MAX_APPEND_LITERAL) {
                        v->broken = true;
                        continue;
                }
                memcpy(v->value, s + cs, ce - cs);
                v->len = ce - cs;
                v->set = true;
        }
        return count;
}

/* PHP: a variable built by appending literals ($__ = '_'; $__ .= 'P'; $__ .= 'OST';) read as
 * the whole literal where it is used ('_POST', and $$__ as $_POST), as pass_string_vars reads
 * a variable given one literal. Bounded: 64 names, 256 characters each. */
static int pass_php_append_vars(const char *s, size_t n, struct textbuf *out, bool php)
{
        _cleanup_free_ struct append_var *vars = NULL;
        size_t count = 0, copied = 0;
        int changed = 0;

        if (php && memmem(s, n, ".=", 2)) {
                vars = calloc(APPEND_VAR_SLOTS, sizeof(*vars));
                if (!vars) {
                        out->oom = true;
                        return 0;
                }
                count = collect_append_vars(s, n, vars);
        }
        for (size_t i = 0; i < n && count;) {
                if (skip_string(s, n, &i))
                        continue;
                size_t start = i, value;
                if (!var_name_at(s, n, i, true, &i)) {
                        i++;
                        continue;
                }
                struct append_var *v =
                        name_slot(vars, sizeof(*vars), APPEND_VAR_SLOTS, MAX_APPEND_VARS, s + start,
                                  i - start, false, &count);
                size_t j = skip_blanks(s, n, i);
                if (!v || v->broken || !v->set || !v->appends ||
                    assignment_after(s, n, i, &value) ||
                    (j + 1 < n && s[j] == '.' && s[j + 1] == '='))
                        continue;
                bool single = memchr(v->value, '\'', v->len), dbl = memchr(v->value, '"', v->len);
                if ((single && dbl) || memchr(v->value, '$', v->len))
                        continue;
                textbuf_put(out, s + copied, start - copied);
                if (start > 0 && s[start - 1] == '$' && plain_word(v->value, v->len))
                        textbuf_put(out, v->value, v->len);
                else
                        put_literal(out, v->value, v->len, single ? '"' : '\'', false);
                copied = i;
                changed++;
        }
        textbuf_put(out, s + copied, n - copied);
        return changed;
}

/* PHP code: an opening tag <?php or <?=, the short tag <? before a blank, $ or @, or
 * <script language="php">. */
static bool is_php(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data;

        for (size_t i = 0; i + 5 <= size; i++) {
                if (s[i] != '<')
                        continue;
                if (s[i + 1] == '?' && (s[i + 2] == '=' || prefix_nocase(s, size, i + 2, "php")))
                        return true;
                if (s[i + 1] == '?' && s[i + 2] != 0 && strchr(" \t\r\n$@", s[i + 2]))
                        return true;
                if (prefix_nocase(s, size, i, "<script") &&
                    prefix_nocase(s, size, skip_blanks(s, size, i + 7), "language"))
                        for (size_t k = i + 15; k < size && k < i + 40 && s[k] != '>'; k++)
                                if (prefix_nocase(s, size, k, "php"))
                                        return true;
        }
        return false;
}

/* ---- constant arrays and functions that return a literal ---- */

#define MAX_CONSTANTS   256
#define CONSTANT_SLOTS  (2 * MAX_CONSTANTS)
#define MAX_ARRAY_ITEMS 4096
#define MAX_CALL_ARGS   512

/* A name defined once as an array of literals (x = ['a', "b"], x = 'a|b'.split('|')) that is
 * never changed in place, or as a function whose body is return 'literal'. Items are kept as
 * their quote, their text and a NUL. */
struct constant {
        struct name_key key;
        unsigned defined;
        bool function, changed;
        bool array;    /* a function that returns an array: f()[N] */
        bool identity; /* a function that returns its first parameter: f('x') */
        bool append;   /* a function whose body is v += 'lit': f() is that statement */
        struct textbuf items;
        size_t count;
        size_t *offsets; /* where each item starts in items */
};

static struct constant *constant_find(struct constant *tab, const char *p, size_t len, bool add,
                                      size_t *count)
{
        return name_slot(tab, sizeof(*tab), CONSTANT_SLOTS, MAX_CONSTANTS, p, len, add, count);
}

static void constant_add_item(struct constant *c, char quote, const char *p, size_t len)
{
        if (c->count % 64 == 0) {
                size_t *o = realloc(c->offsets, (c->count + 64) * sizeof(*o));
                if (!o) {
                        c->items.oom = true;
                        return;
                }
                c->offsets = o;
        }
        c->offsets[c->count] = c->items.len;
        textbuf_putc(&c->items, quote);
        textbuf_put(&c->items, p, len);
        textbuf_putc(&c->items, 0);
        c->count++;
}

/* The items of an array literal at *j (see array_items), kept: a literal as its quote and its
 * text, anything else with a NUL quote. */
static bool array_into(const char *s, size_t n, size_t *j, struct constant *c)
{
        struct items it = {0};
        bool ok = false;

        if (*j >= n || s[*j] != '[' || !array_items(s, n, j, &it, 0))
                goto out;
        for (size_t k = 0; k < it.count; k++) {
                const char *item = items_get(&it, k);
                size_t len = strlen(item);
                if (len >= 2 && (item[0] == '\'' || item[0] == '"'))
                        constant_add_item(c, item[0], item + 1, len - 2);
                else
                        constant_add_item(c, 0, item, len);
        }
        ok = true;
out:
        items_free(&it);
        return ok;
}

/* [item, ...] at j, then the end of a statement or of a declaration among others (var a = [...],
 * b = [...], as javascript-obfuscator writes them): the items */
static bool array_value(const char *s, size_t n, size_t j, struct constant *c)
{
        if (!array_into(s, n, &j, c))
                return false;
        j = skip_blanks(s, n, j);
        return j >= n || strchr(";,\r\n", s[j]);
}

/* 'a|b|c'.split('|') at j, then the end of a statement: the pieces */
static bool split_value(const char *s, size_t n, size_t j, struct constant *c)
{
        size_t cs, ce, end, ss, se;

        if (!literal_at(s, n, j, &cs, &ce, &end))
                return false;
        j = end;
        if (!take_word(s, n, &j, ".split(") || j >= n || !literal_at(s, n, j, &ss, &se, &j) ||
            se == ss || !take_word(s, n, &j, ")"))
                return false;
        j = skip_blanks(s, n, j);
        if (j < n && !strchr(";\r\n", s[j]))
                return false;
        for (size_t k = cs, e; k <= ce && c->count < MAX_ARRAY_ITEMS; k = e + (se - ss)) {
                for (e = k;
                     e < ce && !(e + (se - ss) <= ce && memcmp(s + e, s + ss, se - ss) == 0);)
                        e++;
                constant_add_item(c, s[cs - 1], s + k, e - k);
                if (e >= ce)
                        break;
        }
        return true;
}

/* function f(a, b) { return 'lit'; } with s[j] just after the name; also a literal returned
 * through a local variable ({ var x = 'lit'; return x; }), an array of items returned (f()[2]
 * picks one) and the first parameter returned as it is (f('lit') is 'lit'). */
static bool return_literal_body(const char *s, size_t n, size_t j, struct constant *c)
{
        size_t cs, ce, end, param = 0, param_len = 0, local = 0, local_len = 0, lq = 0;
        char q = 0;

        j = skip_blanks(s, n, j);
        if (j >= n || s[j] != '(')
                return false;
        for (j++; j < n && s[j] != ')'; j++) {
                if (!is_ident(s[j]) && !strchr(" \t,$", s[j]))
                        return false;
                if (!param_len && (is_ident(s[j]) || s[j] == '$')) {
                        for (param = j; j < n && (is_ident(s[j]) || s[j] == '$'); j++)
                                ;
                        param_len = j - param;
                        j--;
                }
        }
        j = skip_space(s, n, j + 1);
        if (j >= n || s[j] != '{')
                return false;
        j = skip_space(s, n, j + 1);
        if (take_word(s, n, &j, "var")) {
                j = skip_blanks(s, n, j);
                for (local = j; j < n && (is_ident(s[j]) || s[j] == '$'); j++)
                        ;
                local_len = j - local;
                if (!local_len || !take_word(s, n, &j, "="))
                        return false;
                j = skip_blanks(s, n, j);
                if (!literal_at(s, n, j, &cs, &ce, &end))
                        return false;
                lq = j;
                j = end;
                while (j < n && (isspace((unsigned char)s[j]) || s[j] == ';'))
                        j++;
        }
        /* { v += 'lit'; }: a piece of a string that the calls of such functions build */
        size_t t = j;
        while (t < n && (is_ident(s[t]) || s[t] == '$'))
                t++;
        size_t k = skip_blanks(s, n, t);
        if (!local_len && t > j && t - j <= MAX_VAR_NAME && k + 1 < n && s[k] == '+' &&
            s[k + 1] == '=') {
                size_t name = j;
                k = skip_blanks(s, n, k + 2);
                if (!literal_at(s, n, k, &cs, &ce, &end))
                        return false;
                q = s[k];
                for (j = end; j < n && (isspace((unsigned char)s[j]) || s[j] == ';');)
                        j++;
                if (j >= n || s[j] != '}')
                        return false;
                constant_add_item(c, q, s + cs, ce - cs);
                constant_add_item(c, 0, s + name, t - name);
                c->function = c->append = true;
                return true;
        }
        if (!take_word(s, n, &j, "return"))
                return false;
        j = skip_blanks(s, n, j);
        if (j >= n)
                return false;
        if (local_len && n - j >= local_len && memcmp(s + j, s + local, local_len) == 0 &&
            !(j + local_len < n && is_ident(s[j + local_len]))) {
                j += local_len;
                q = s[lq];
                literal_at(s, n, lq, &cs, &ce, &end);
        } else if (s[j] == '[') {
                if (!array_into(s, n, &j, c))
                        return false;
                c->array = true;
        } else if (literal_at(s, n, j, &cs, &ce, &end)) {
                q = s[j];
                j = end;
        } else if (param_len && n - j >= param_len && memcmp(s + j, s + param, param_len) == 0 &&
                   !(j + param_len < n && is_ident(s[j + param_len]))) {
                j += param_len;
                c->identity = true;
        } else {
                return false;
        }
        while (j < n && (isspace((unsigned char)s[j]) || s[j] == ';'))
                j++;
        if (j >= n || s[j] != '}')
                return false;
        if (q)
                constant_add_item(c, q, s + cs, ce - cs);
        c->function = true;
        return true;
}

static bool preceded_by_function(const char *s, size_t start)
{
        size_t k = start;

        while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
                k--;
        return k >= 8 && strncmp(s + k - 8, "function", 8) == 0 && (k == 8 || !is_ident(s[k - 9]));
}

/* Does a constant's name (a JScript name, $ allowed) start at s[i]? The index after it in
 * *ret_end. */
static inline bool constant_name_at(const char *s, size_t n, size_t i, size_t *ret_end)
{
        if (!(is_letter(s[i]) || s[i] == '_' || s[i] == '$') || !ident_starts(s, i))
                return false;
        while (i < n && (is_ident(s[i]) || s[i] == '$'))
                i++;
        *ret_end = i;
        return true;
}

static void collect_constants(const char *s, size_t n, struct constant *tab, size_t *count)
{
        for (size_t i = 0; i < n;) {
                if (skip_string(s, n, &i))
                        continue;
                size_t start = i, value, j;
                if (!constant_name_at(s, n, start, &i)) {
                        i++;
                        continue;
                }
                if (i - start > MAX_VAR_NAME)
                        continue;
                bool def = preceded_by_function(s, start);
                if (!def && !assignment_after(s, n, i, &value)) {
                        /* x.splice(...), x[0] = ...: an array changed in place */
                        j = i;
                        if (j < n && (s[j] == '.' || s[j] == '[')) {
                                struct constant *c =
                                        constant_find(tab, s + start, i - start, false, count);
                                if (!c)
                                        continue;
                                if (s[j] == '.' && !prefix_nocase(s, n, j, ".length"))
                                        c->changed = true;
                                if (s[j] == '[') {
                                        for (j++; j < n && s[j] != ']' && s[j] != '\n'; j++)
                                                ;
                                        if (j < n && s[j] == ']' &&
                                            assignment_after(s, n, j + 1, &value))
                                                c->changed = true;
                                }
                        }
                        continue;
                }
                struct constant *c = constant_find(tab, s + start, i - start, true, count);
                if (!c)
                        continue;
                if (c->defined++ > 0)
                        continue;
                if (def ? !return_literal_body(s, n, i, c)
                        : !(array_value(s, n, value, c) || split_value(s, n, value, c) ||
                            ((j = value, take_word(s, n, &j, "function")) &&
                             return_literal_body(s, n, j, c)))) {
                        c->defined++; /* not a constant: never read as one */
                }
        }
}

static const char *constant_item(const struct constant *c, size_t index)
{
        return c->items.p + c->offsets[index];
}

/* f(args) of a constant function (f(args)[N] if it returns an array, f('lit') if it returns
 * its parameter), x[N] of a constant array at s[*i] after the name: the item */
static bool constant_use(const char *s, size_t n, size_t *i, const struct constant *c,
                         struct textbuf *out)
{
        size_t j = *i, value, cs, ce;
        long index = 0;

        if (c->append) {
                j = skip_blanks(s, n, j);
                if (j >= n || s[j] != '(')
                        return false;
                j = skip_blanks(s, n, j + 1);
                if (j >= n || s[j] != ')' || c->count != 2)
                        return false;
                const char *lit = constant_item(c, 0), *name = constant_item(c, 1);
                textbuf_put(out, name + 1, strlen(name + 1));
                textbuf_put(out, " += ", 4);
                put_literal(out, lit + 1, strlen(lit + 1), lit[0], false);
                *i = j + 1;
                return true;
        }
        if (c->identity) {
                if (j >= n || s[j] != '(' || !literal_in_parens(s, n, j, &cs, &ce, &j))
                        return false;
                put_literal(out, s + cs, ce - cs, s[cs - 1], false);
                *i = j;
                return true;
        }
        if (c->function) {
                if (j >= n || s[j] != '(')
                        return false;
                int depth = 0;
                for (; j < n && j - *i < MAX_CALL_ARGS; j++) {
                        if (s[j] == '\n' || s[j] == '\'' || s[j] == '"')
                                return false;
                        depth += s[j] == '(' ? 1 : s[j] == ')' ? -1 : 0;
                        if (depth == 0)
                                break;
                }
                if (j >= n || depth != 0)
                        return false;
                j++;
        }
        if (!c->function || c->array) {
                if (j >= n || s[j] != '[')
                        return false;
                j++;
                if (!const_int_expr(s, n, &j, &index, "]") || index < 0 ||
                    (size_t)index >= c->count)
                        return false;
                j++;
                if (assignment_after(s, n, j, &value))
                        return false;
        }
        if ((size_t)index >= c->count)
                return false;
        const char *item = constant_item(c, (size_t)index);
        if (item[0])
                put_literal(out, item + 1, strlen(item + 1), item[0], false);
        else if (item[1])
                textbuf_put(out, item + 1, strlen(item + 1));
        else
                return false;
        *i = j;
        return true;
}

/* JScript's constants (PHP's code is read by its own passes: copied as it is). */
static int pass_constants(const char *s, size_t n, struct textbuf *out, bool php)
{
        _cleanup_free_ struct constant *tab = NULL;
        size_t count = 0, copied = 0;
        int changed = 0;

        if (php) {
                textbuf_put(out, s, n);
                return 0;
        }
        tab = calloc(CONSTANT_SLOTS, sizeof(*tab));
        if (!tab) {
                out->oom = true;
                return 0;
        }
        collect_constants(s, n, tab, &count);
        /* as in pass_string_vars(): no constant that may be used, no walk */
        bool usable = false;
        for (size_t h = 0; h < CONSTANT_SLOTS && count && !usable; h++)
                usable = tab[h].key.name && tab[h].defined == 1 && !tab[h].changed &&
                         !tab[h].items.oom;
        for (size_t i = 0; i < n && usable;) {
                if (skip_string(s, n, &i))
                        continue;
                size_t start = i;
                if (!constant_name_at(s, n, start, &i)) {
                        i++;
                        continue;
                }
                struct constant *c = constant_find(tab, s + start, i - start, false, &count);
                if (!c || c->defined != 1 || c->changed || c->items.oom ||
                    preceded_by_function(s, start))
                        continue;
                size_t at = out->len;
                textbuf_put(out, s + copied, start - copied);
                if (!constant_use(s, n, &i, c, out)) {
                        out->len = at;
                        continue;
                }
                copied = i;
                changed++;
        }
        textbuf_put(out, s + copied, n - copied);
        for (size_t h = 0; h < CONSTANT_SLOTS; h++) {
                free(tab[h].items.p);
                free(tab[h].offsets);
        }
        return changed;
}

/* PHP: a decoder or chr called through its name as a literal ('str_replace'(...), what
 * pass_string_vars makes of $f(...) when $f holds the name) made a plain call, so that
 * pass_literals evaluates it in the same round. Returns how many were. */
static int pass_php_callees(const char *s, size_t n, struct textbuf *out, bool php)
{
        size_t copied = 0;
        int changed = 0;

        if (!php) {
                textbuf_put(out, s, n);
                return 0;
        }
        for (size_t i = 0; i < n; i++) {
                size_t name, name_len, end;
                if ((s[i] != '\'' && s[i] != '"' && s[i] != '(') ||
                    php_literal_callee(s, n, i, &name, &name_len, &end) <= 0)
                        continue;
                textbuf_put(out, s + copied, i - copied);
                textbuf_put(out, s + name, name_len);
                copied = end;
                i = end - 1;
                changed++;
        }
        textbuf_put(out, s + copied, n - copied);
        return changed;
}

/* ---- PHP: a variable holding a long literal, given to a decoder ---- */

/* The longest literal taken (base64 of PHP_DECODE_MAX_OUTPUT bytes, with line breaks), and
 * the most a pass may insert. */
#define MAX_PHP_LONG_LITERAL (2u * PHP_DECODE_MAX_OUTPUT)
#define MAX_PHP_LONG_GROWTH  (4u << 20)

/* A PHP literal at s[i], over lines: the index after its closing quote, or 0 when none ends
 * within MAX_PHP_LONG_LITERAL or it interpolates a variable ("...$x..."). seen: what the last
 * reading that found no end learnt (struct literal_scan), updated. */
static size_t php_long_literal_end(const char *s, size_t n, size_t i, struct literal_scan *seen)
{
        char q = s[i];
        size_t j = i + 1;

        if (q != '\'' && q != '"')
                return 0;
        if (seen->q == q && i > seen->from && i < seen->to) {
                if (seen->dead)
                        return 0;
                j = seen->to;
        }
        for (; j < n && j - i <= MAX_PHP_LONG_LITERAL; j++) {
                if (s[j] == '\\') {
                        j++;
                        continue;
                }
                if (q == '"' && s[j] == '$' && j + 1 < n &&
                    (isalpha((unsigned char)s[j + 1]) || s[j + 1] == '_' || s[j + 1] == '{')) {
                        *seen = (struct literal_scan){.q = q, .dead = true, .from = i, .to = j};
                        return 0;
                }
                if (s[j] == q)
                        return j + 1;
        }
        *seen = (struct literal_scan){.q = q, .dead = j >= n, .from = i, .to = j};
        return 0;
}

/* Is s[i] (a '(') the call of a PHP decoder: base64_decode(, gzinflate (...? */
static bool php_decoder_paren(const char *s, size_t i)
{
        size_t e = i, b;

        while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
                e--;
        /* the name before it, read back no further than the longest decoder's name */
        for (b = e; b > 0 && e - b <= PHP_DECODER_NAME_MAX && is_ident(s[b - 1]); b--)
                ;
        if (b > 0 && (is_ident(s[b - 1]) || s[b - 1] == '$' || s[b - 1] == '>' || s[b - 1] == ':'))
                return false;
        return php_decoder_name(s + b, e - b, false);
}

/* A variable of pass_php_long_vars: its literal, how often it is assigned and how often its
 * literal was written in a pass. */
struct php_long_var {
        struct name_key key;
        const char *lit;
        size_t lit_len;
        unsigned assigned, used;
};

/* The most times a pass writes one variable's literal: a packer decodes its payload once or
 * twice; thousands of calls on one literal that does not decode would only grow the text in
 * every round. */
#define MAX_PHP_LONG_USES 4

/* Packers keep the payload in a variable, often far longer than pass_string_vars takes:
 * $c = '...20 KB of base64...'; eval(gzinflate(base64_decode($c))). A $name assigned a
 * literal once (and nothing else) and read as a decoder's whole argument is that literal, so
 * that pass_literals decodes the call. Returns how many were written. */
static int pass_php_long_vars(const char *s, size_t n, struct textbuf *out, bool php)
{
        _cleanup_free_ struct php_long_var *vars = NULL;
        size_t count = 0, copied = 0, grown = 0;
        struct literal_scan seen = {0};
        int changed = 0;

        if (!php || !memchr(s, '(', n)) {
                textbuf_put(out, s, n);
                return 0;
        }
        if (!(vars = calloc(STRING_VAR_SLOTS, sizeof(*vars)))) {
                out->oom = true;
                return 0;
        }
        /* literals are not skipped as a whole: a quote in the HTML around the code would
         * hide the rest; only the literal assigned is */
        for (size_t i = 0; i < n;) {
                size_t start = i, value, end;
                if (!var_name_at(s, n, i, true, &i)) {
                        i++;
                        continue;
                }
                if (i - start > MAX_VAR_NAME || !assignment_after(s, n, i, &value))
                        continue;
                struct php_long_var *v =
                        name_slot(vars, sizeof(*vars), STRING_VAR_SLOTS, MAX_STRING_VARS, s + start,
                                  i - start, true, &count);
                if (!v)
                        continue;
                v->assigned++;
                if (value >= n || !(end = php_long_literal_end(s, n, value, &seen)) ||
                    end - value <= MAX_VAR_LITERAL + 2)
                        continue;
                size_t after = skip_blanks(s, n, end);
                if (after < n && s[after] == ';') {
                        v->lit = s + value;
                        v->lit_len = end - value;
                }
                i = end;
        }
        for (size_t i = 0; i < n && count;) {
                size_t start = i, before, after;
                if (!var_name_at(s, n, i, true, &i)) {
                        i++;
                        continue;
                }
                struct php_long_var *v =
                        name_slot(vars, sizeof(*vars), STRING_VAR_SLOTS, MAX_STRING_VARS, s + start,
                                  i - start, false, &count);
                if (!v || v->assigned != 1 || !v->lit || v->used >= MAX_PHP_LONG_USES ||
                    grown + v->lit_len > MAX_PHP_LONG_GROWTH)
                        continue;
                for (before = start; before > 0 && strchr(" \t\r\n@", s[before - 1]); before--)
                        ;
                after = skip_blanks(s, n, i);
                if (before == 0 || s[before - 1] != '(' || after >= n || s[after] != ')' ||
                    !php_decoder_paren(s, before - 1))
                        continue;
                textbuf_put(out, s + copied, start - copied);
                textbuf_put(out, v->lit, v->lit_len);
                grown += v->lit_len;
                v->used++;
                copied = i;
                changed++;
        }
        textbuf_put(out, s + copied, n - copied);
        return changed;
}

/* PHP: ${'_POST'} is $_POST, as shells write the superglobal they assemble ($a = "~+d()" ^
 * "!{+{}"; ${$a}['x'], which pass_string_vars makes ${'_POST'}['x']). Returns how many were. */
static int pass_php_brace_vars(const char *s, size_t n, struct textbuf *out, bool php)
{
        size_t copied = 0;
        int changed = 0;

        for (size_t i = 0; php && i + 1 < n; i++) {
                if (s[i] != '$' || s[i + 1] != '{')
                        continue;
                size_t j = skip_blanks(s, n, i + 2), start, end;
                if (j >= n || (s[j] != '\'' && s[j] != '"'))
                        continue;
                char q = s[j];
                start = end = j + 1;
                while (end < n && end - start <= MAX_VAR_NAME && is_ident(s[end]))
                        end++;
                if (end == start || end >= n || s[end] != q || isdigit((unsigned char)s[start]))
                        continue;
                j = skip_blanks(s, n, end + 1);
                if (j >= n || s[j] != '}')
                        continue;
                textbuf_put(out, s + copied, i - copied);
                textbuf_putc(out, '$');
                textbuf_put(out, s + start, end - start);
                copied = j + 1;
                i = j;
                changed++;
        }
        textbuf_put(out, s + copied, n - copied);
        return changed;
}

/* strtolower('x') or strtoupper("x") at s[i]: the literal as it is (the rules read the text
 * lowercased), written after what is left to copy. */
static bool case_call(const char *s, size_t n, size_t i, size_t *ret_end, struct textbuf *out,
                      size_t *copied)
{
        size_t j, cs, ce, end;

        if ((s[i] | 0x20) != 's' || !ident_starts(s, i) || s[i - 1] == '>' || s[i - 1] == ':' ||
            !(prefix_nocase(s, n, i, "strtolower") || prefix_nocase(s, n, i, "strtoupper")))
                return false;
        j = skip_blanks(s, n, i + 10);
        if (j >= n || s[j] != '(')
                return false;
        j = skip_blanks(s, n, j + 1);
        if (j >= n || !literal_at(s, n, j, &cs, &ce, &end))
                return false;
        size_t lit = j;
        j = skip_blanks(s, n, end);
        if (j >= n || s[j] != ')')
                return false;
        textbuf_put(out, s + *copied, i - *copied);
        textbuf_put(out, s + lit, end - lit);
        *copied = *ret_end = j + 1;
        return true;
}

/* PHP: a character picked from a short literal by its index, 'ceo64dtbas_p'[7] or "...."{3},
 * as shells spell a function's name out of a scrambled alphabet kept in a variable (which
 * pass_string_vars reads as the literal): the character as a literal, which pass_literals
 * joins. Read from the index's bracket back to the literal's opening quote, at most
 * MAX_VAR_LITERAL characters, so that the work stays linear. Returns how many were. */
static int pass_php_string_index(const char *s, size_t n, struct textbuf *out, bool php)
{
        size_t copied = 0;
        int changed = 0;

        for (size_t i = 2; php && i < n; i++) {
                char q = s[i - 1], open = s[i];
                size_t case_end;
                if (case_call(s, n, i, &case_end, out, &copied)) {
                        i = case_end - 1;
                        changed++;
                        continue;
                }
                if ((open != '[' && open != '{') || (q != '\'' && q != '"'))
                        continue;
                size_t j = skip_blanks(s, n, i + 1), index = 0, digits = 0, start;
                while (j < n && isdigit((unsigned char)s[j]) && digits < 4)
                        index = index * 10 + (size_t)(s[j++] - '0'), digits++;
                j = skip_blanks(s, n, j);
                if (digits == 0 || j >= n || s[j] != (open == '[' ? ']' : '}'))
                        continue;
                for (start = i - 2; start > 0 && i - 2 - start < MAX_VAR_LITERAL; start--)
                        if (s[start] == q || s[start] == '\\' || s[start] == '\n' ||
                            (q == '"' && s[start] == '$'))
                                break;
                if (s[start] != q || (start > 0 && s[start - 1] == '\\') || start < copied ||
                    start + 1 + index >= i - 1)
                        continue;
                unsigned char c = (unsigned char)s[start + 1 + index];
                if (!isprint(c) || c == '\'' || c == '\\')
                        continue;
                textbuf_put(out, s + copied, start - copied);
                textbuf_putc(out, '\'');
                textbuf_putc(out, (char)c);
                textbuf_putc(out, '\'');
                copied = j + 1;
                i = j;
                changed++;
        }
        textbuf_put(out, s + copied, n - copied);
        return changed;
}

/* ---- PowerShell's character codes turned into characters in a pipeline ---- */

/* Writes the characters picked[0..np) as one literal, in quotes that none of them closes;
 * false when they hold both kinds of quote. */
static bool put_picked(struct textbuf *out, const char *picked, size_t np)
{
        bool squote = memchr(picked, '\'', np) != NULL;

        if (squote && memchr(picked, '"', np))
                return false;
        textbuf_putc(out, squote ? '"' : '\'');
        textbuf_put(out, picked, np);
        textbuf_putc(out, squote ? '"' : '\'');
        return true;
}

/* How a pipeline block turns each item into a character: the base its items are written in
 * and a constant it XORs, adds or subtracts. */
/* Codes of one list turned into characters, at most. */
#define MAX_CODES 65536

struct char_conversion {
        int base;
        char op; /* '^', '+', '-' or 0 */
        long key;
};

/* Removes every occurrence of word from the NUL-terminated b; true when there was one. */
static bool cut_all(char *b, const char *word)
{
        size_t len = strlen(word);
        bool any = false;

        for (char *p; (p = strstr(b, word));) {
                memmove(p, p + len, strlen(p + len) + 1);
                any = true;
        }
        return any;
}

/* The block a pipeline hands each item to, read with blanks, parentheses and case ignored:
 * a cast to [char] (or -as [char]) of $_, of $_ cast to a number or a string, of
 * [Convert]::ToInt16($_, BASE), or of $_ -bxor, + or - a constant: { [char][int]$_ },
 * { ([int]$_ -as [char]) }, { [char]([Convert]::ToInt16(([String]$_), 16)) },
 * { [char]($_ -bxor '0x36') }. *i past the closing brace. */
static bool char_block(const char *s, size_t n, size_t *i, struct char_conversion *cv)
{
        static const char *const casts[] = {"[int]",  "[int32]",  "[int16]",   "[byte]", "[uint32]",
                                            "[long]", "[string]", ".tostring", "'",      "\""};
        size_t j = skip_blanks(s, n, *i), m = 0;
        char b[160], *p;

        if (j >= n || s[j] != '{')
                return false;
        for (j++; j < n && s[j] != '}'; j++) {
                if (s[j] == '{' || s[j] == '\n' || m + 1 >= sizeof(b))
                        return false;
                if (s[j] != ' ' && s[j] != '\t' && s[j] != '(' && s[j] != ')')
                        b[m++] = (char)tolower((unsigned char)s[j]);
        }
        if (j >= n)
                return false;
        b[m] = '\0';
        if (!cut_all(b, "-as[char]") && !cut_all(b, "[char]"))
                return false;
        for (size_t k = 0; k < ELEMENTSOF(casts); k++)
                cut_all(b, casts[k]);
        cv->base = 10;
        cv->op = 0;
        cv->key = 0;
        p = b;
        if (startswith(p, "[convert]::toint16") || startswith(p, "[convert]::toint32") ||
            startswith(p, "[convert]::tobyte")) {
                p = strchr(p, '$');
                if (!p || !startswith(p, "$_,"))
                        return false;
                size_t e = 3;
                long base = number_at(p, strlen(p), &e);
                if ((base != 2 && base != 8 && base != 10 && base != 16) || p[e])
                        return false;
                cv->base = (int)base;
                p = (char *)"$_";
        }
        if (!startswith(p, "$_"))
                return false;
        p += 2;
        if (startswith(p, "-bxor"))
                cv->op = '^', p += 5;
        else if (*p == '+' || *p == '-')
                cv->op = *p++;
        if (cv->op) {
                size_t e = 0;
                if ((cv->key = number_at(p, strlen(p), &e)) < 0)
                        return false;
                p += e;
        }
        if (*p)
                return false;
        *i = j + 1;
        return true;
}

/* | % {...}, | foreach {...}, | ForEach-Object {...} at *i. */
static bool char_pipeline(const char *s, size_t n, size_t *i, struct char_conversion *cv)
{
        size_t j = skip_blanks(s, n, *i);

        if (j >= n || s[j] != '|')
                return false;
        j = skip_blanks(s, n, j + 1);
        if (j < n && s[j] == '%')
                j++;
        else if (!take_word(s, n, &j, "foreach-object") && !take_word(s, n, &j, "foreach"))
                return false;
        if (!char_block(s, n, &j, cv))
                return false;
        *i = j;
        return true;
}

/* The character of the item p[0..len) (digits in cv's base, 0x allowed in base 10 and 16)
 * after cv's constant. */
static bool item_to_char(const char *p, size_t len, const struct char_conversion *cv, char *c)
{
        long v = 0;
        size_t k = 0;

        if (cv->base != 2 && cv->base != 8 && len > 2 && p[0] == '0' && (p[1] | 0x20) == 'x')
                k = 2;
        if (k == len || len - k > 12)
                return false;
        for (int base = k == 2 ? 16 : cv->base; k < len; k++) {
                int d = isdigit((unsigned char)p[k])    ? p[k] - '0'
                        : isxdigit((unsigned char)p[k]) ? (p[k] | 0x20) - 'a' + 10
                                                        : 99;
                if (d >= base)
                        return false;
                v = v * base + d;
        }
        if (cv->op == '^')
                v ^= cv->key;
        else if (cv->op == '+')
                v += cv->key;
        else if (cv->op == '-')
                v -= cv->key;
        if (!plain_char(v) || v == '\n')
                return false;
        *c = (char)v;
        return true;
}

/* One item of a list of codes at *j: a number or a quoted one ('2d'); its text. */
static bool code_item(const char *s, size_t n, size_t *j, size_t *start, size_t *len)
{
        size_t k = skip_blanks(s, n, *j);
        char q = k < n && (s[k] == '\'' || s[k] == '"') ? s[k] : 0;

        if (q)
                k++;
        *start = k;
        while (k < n && (isxdigit((unsigned char)s[k]) || (s[k] | 0x20) == 'x'))
                k++;
        *len = k - *start;
        if (*len == 0 || *len > 12)
                return false;
        if (q) {
                if (k >= n || s[k] != q)
                        return false;
                k++;
        }
        *j = k;
        return true;
}

/* (73,69,88) | % {[char]$_}, ( [char[]] 87,114 | % {...}), ('57','2d' | % {[char]
 * ([Convert]::ToInt16($_,16))}): the characters as one literal. When the list ends at the pipe,
 * the parenthesis that opens it stays. */
static bool code_list_pipeline(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        static const char *const casts[] = {"[char[]]", "[int[]]", "[string[]]", "[byte[]]"};
        size_t j = skip_blanks(s, n, *i + 1), ni = 0, first_start, first_len;
        _cleanup_free_ size_t *items = NULL;
        _cleanup_free_ char *picked = NULL;
        struct char_conversion cv;
        bool open;

        for (size_t k = 0; k < ELEMENTSOF(casts); k++)
                if (prefix_nocase(s, n, j, casts[k])) {
                        j += strlen(casts[k]);
                        break;
                }
        /* most parentheses open no list of codes: look at the first item before allocating */
        size_t probe = j;
        if (!code_item(s, n, &probe, &first_start, &first_len) ||
            (probe = skip_blanks(s, n, probe)) >= n || s[probe] != ',')
                return false;
        items = malloc(MAX_CODES * 2 * sizeof(*items));
        if (!items)
                return false;
        for (;;) {
                if (ni >= MAX_CODES || !code_item(s, n, &j, &items[2 * ni], &items[2 * ni + 1]))
                        return false;
                ni++;
                j = skip_blanks(s, n, j);
                if (j < n && s[j] == ',') {
                        j++;
                        continue;
                }
                break;
        }
        open = j < n && s[j] == '|';
        if (!open) {
                if (j >= n || s[j] != ')')
                        return false;
                j++;
        }
        if (ni < 2 || !char_pipeline(s, n, &j, &cv) || !(picked = malloc(ni)))
                return false;
        for (size_t k = 0; k < ni; k++)
                if (!item_to_char(s + items[2 * k], items[2 * k + 1], &cv, &picked[k]))
                        return false;
        if (open)
                textbuf_putc(out, '(');
        if (!put_picked(out, picked, ni))
                return false;
        *i = j;
        return true;
}

/* The separators of a literal of codes: any number of .Split('x'), -split 'x' (-csplit,
 * -isplit) and the no-op .Replace('^','') / -replace '^','' that Invoke-Obfuscation puts
 * between them, each character of a separator literal separating. */
static bool code_separators(const char *s, size_t n, size_t *i, struct textbuf *sep)
{
        size_t j = *i, splits = 0;

        for (;;) {
                size_t k = skip_blanks(s, n, j);
                struct textbuf junk = {0};
                bool ok;
                if (prefix_nocase(s, n, k, ".split(")) {
                        k += 7;
                        ok = take_literal(s, n, &k, sep) && take_word(s, n, &k, ")");
                        splits++;
                } else if (take_word(s, n, &k, "-split") || take_word(s, n, &k, "-csplit") ||
                           take_word(s, n, &k, "-isplit")) {
                        ok = take_literal(s, n, &k, sep);
                        splits++;
                } else if (prefix_nocase(s, n, k, ".replace(")) {
                        k += 9;
                        ok = take_literal(s, n, &k, &junk) && take_word(s, n, &k, ",") &&
                             take_literal(s, n, &k, NULL) && take_word(s, n, &k, ")");
                        ok = ok && junk.len == 1 && junk.p[0] == '^';
                } else if (take_word(s, n, &k, "-replace") || take_word(s, n, &k, "-creplace")) {
                        ok = take_literal(s, n, &k, &junk) && take_word(s, n, &k, ",") &&
                             take_literal(s, n, &k, NULL);
                        ok = ok && junk.len == 1 && junk.p[0] == '^';
                } else
                        ok = false;
                free(junk.p);
                if (!ok)
                        break;
                j = k;
        }
        *i = j;
        return splits > 0 && sep->len > 0;
}

/* '73;69;88'.Split(';') | % {[char]$_}, '57P72}69' -split 'P' -split '}' | % {...}: the
 * characters as one literal. */
static bool split_codes_pipeline(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        struct textbuf codes = {0}, sep = {0};
        size_t j = *i, np = 0, cs, ce, end;
        char *picked = NULL;
        struct char_conversion cv;
        bool ok = false;

        /* most literals are followed by no split: look before copying */
        if (!literal_at(s, n, j, &cs, &ce, &end))
                return false;
        end = skip_blanks(s, n, end);
        if (!prefix_nocase(s, n, end, ".split(") && !prefix_nocase(s, n, end, ".replace(") &&
            !prefix_nocase(s, n, end, "-split") && !prefix_nocase(s, n, end, "-csplit") &&
            !prefix_nocase(s, n, end, "-isplit") && !prefix_nocase(s, n, end, "-replace") &&
            !prefix_nocase(s, n, end, "-creplace"))
                return false;
        if (!take_literal(s, n, &j, &codes) || !codes.p || !code_separators(s, n, &j, &sep) ||
            !char_pipeline(s, n, &j, &cv) || !(picked = malloc(codes.len)))
                goto done;
        for (size_t k = 0; k < codes.len;) {
                size_t e = k;
                if (memchr(sep.p, codes.p[k], sep.len)) {
                        k++;
                        continue;
                }
                while (e < codes.len && !memchr(sep.p, codes.p[e], sep.len))
                        e++;
                if (!item_to_char(codes.p + k, e - k, &cv, &picked[np]))
                        goto done;
                np++;
                k = e;
        }
        if (np < 2 || !put_picked(out, picked, np))
                goto done;
        *i = j;
        ok = true;
done:
        free(picked);
        free(codes.p);
        free(sep.p);
        return ok;
}

/* [char](70-1), [char](0x20+0x29): the character of an integer expression. */
static bool char_expression(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        size_t j = *i + 6;
        long v;

        if (!prefix_nocase(s, n, *i, "[char]"))
                return false;
        j = skip_blanks(s, n, j);
        if (j >= n || s[j] != '(')
                return false;
        j++;
        if (!const_int_expr(s, n, &j, &v, ")") || !plain_char(v) || v == '\n')
                return false;
        put_char_literal(out, (char)v);
        *i = j + 1;
        return true;
}

/* [regex]::Matches('lit','.','RightToLeft'), with | % {$_.Value} after it: the literal
 * turned round. */
static bool regex_reverse(const char *s, size_t n, size_t *i, struct textbuf *out)
{
        struct textbuf lit = {0}, dot = {0}, dir = {0};
        size_t j = *i;
        bool ok = false;

        if (!prefix_nocase(s, n, j, "[regex]::matches("))
                return false;
        j += 17;
        if (!take_literal(s, n, &j, &lit) || !take_word(s, n, &j, ",") ||
            !take_literal(s, n, &j, &dot) || !take_word(s, n, &j, ",") ||
            !take_literal(s, n, &j, &dir) || (j = skip_blanks(s, n, j)) >= n || s[j] != ')')
                goto done;
        j++;
        if (!lit.p || lit.len >= MAX_LITERAL || dot.len != 1 || dot.p[0] != '.' || dir.len != 11 ||
            strncasecmp(dir.p, "righttoleft", 11) != 0)
                goto done;
        size_t k = skip_blanks(s, n, j);
        if (k < n && s[k] == '|') {
                size_t m = skip_blanks(s, n, k + 1);
                if (m < n && s[m] == '%')
                        m++;
                else if (!take_word(s, n, &m, "foreach-object") && !take_word(s, n, &m, "foreach"))
                        m = 0;
                if (m && take_word(s, n, &m, "{") && take_word(s, n, &m, "$_.value") &&
                    take_word(s, n, &m, "}"))
                        j = m;
        }
        char rev[MAX_LITERAL];
        for (size_t a = 0; a < lit.len; a++)
                rev[a] = lit.p[lit.len - 1 - a];
        if (!put_picked(out, rev, lit.len))
                goto done;
        *i = j;
        ok = true;
done:
        free(lit.p);
        free(dot.p);
        free(dir.p);
        return ok;
}

/* Whether the text has a [char] or a [regex] to look at: the pass copies any other whole. */
static bool has_char_or_regex(const char *s, size_t n)
{
        for (const char *p = s; (p = memchr(p, '[', (size_t)(s + n - p))); p++)
                if (prefix_nocase(s, n, (size_t)(p - s), "[char") ||
                    prefix_nocase(s, n, (size_t)(p - s), "[regex]"))
                        return true;
        return false;
}

/* Run only over text that has_char_or_regex(), and not PHP (run_passes() asks). */
static int pass_ps_char_codes(const char *s, size_t n, struct textbuf *out, _unused_ bool php)
{
        int changes = 0;

        for (size_t i = 0; i < n;) {
                char c = s[i];
                if ((c == '(' && code_list_pipeline(s, n, &i, out)) ||
                    ((c == '\'' || c == '"') && split_codes_pipeline(s, n, &i, out)) ||
                    (c == '[' &&
                     (char_expression(s, n, &i, out) || regex_reverse(s, n, &i, out)))) {
                        changes++;
                        continue;
                }
                textbuf_putc(out, c);
                i++;
        }
        return changes;
}

/* JScript: calls of identity methods on literals dropped ("wscr".f() + "ipt"), so that the
 * literals join (analysis/jsassemble.h). */
static int pass_identity_calls(const char *s, size_t n, struct textbuf *out, _unused_ bool php)
{
        return jsasm_identity_calls(s, n, out);
}

/* JScript: the literal handed to eval written out as code (analysis/jsassemble.h). */
static int pass_eval_literals(const char *s, size_t n, struct textbuf *out, _unused_ bool php)
{
        return jsasm_eval_literals(s, n, out);
}

/* JScript: String.fromCharCode.apply(null, [codes]) as a literal (analysis/jsassemble.h). */
static int pass_char_code_apply(const char *s, size_t n, struct textbuf *out, _unused_ bool php)
{
        return jsasm_char_code_apply(s, n, out);
}

/* JScript: calls over literals (fromCharCode of numbers, charAt, substr, a function that
 * returns a literal called at once, the comma operator) as the literal they make
 * (analysis/jsassemble.h). */
static int pass_literal_calls(const char *s, size_t n, struct textbuf *out, _unused_ bool php)
{
        return jsasm_fold_literal_calls(s, n, out);
}

/* JScript: "lit".f() where String.prototype.f only applies one method to this, written as that
 * method (analysis/jsassemble.h). */
static int pass_string_methods(const char *s, size_t n, struct textbuf *out, _unused_ bool php)
{
        return jsasm_inline_string_methods(s, n, out);
}

/* Whether the text holds word, in any case (the text may hold NUL bytes). */
static bool holds_nocase(const char *s, size_t n, const char *word)
{
        char first = (char)tolower((unsigned char)word[0]);

        for (size_t i = 0; i < n; i++)
                if ((char)tolower((unsigned char)s[i]) == first && prefix_nocase(s, n, i, word))
                        return true;
        return false;
}

/* What each pass needs to find before it can change anything: without it the pass would copy
 * the text as it is, and is not run (most texts hold nothing for most passes, and a pass that
 * walks the text costs as much as the YARA scan of it). Each test is implied by every change
 * its pass makes. */
static bool could_pick_variable(const char *s, size_t n)
{
        for (const char *p = s; (p = memchr(p, '$', (size_t)(s + n - p))); p++)
                for (size_t v = 0; v < ELEMENTSOF(known_variables); v++)
                        if (prefix_nocase(s, n, (size_t)(p - s) + 1, known_variables[v].name))
                                return true;
        return false;
}

/* line_decodes() needs "base64" or a blank and -e (-e, -ec, -enc, -encodedcommand) on the
 * line, unless the whole text is base64 */
static bool could_decode_base64(const char *s, size_t n)
{
        for (const char *p = s; (p = memchr(p, '-', (size_t)(s + n - p))); p++)
                if (p > s && (p[-1] == ' ' || p[-1] == '\t') && p + 1 < s + n &&
                    (p[1] | 0x20) == 'e')
                        return true;
        return holds_nocase(s, n, "base64") || all_base64(s, n);
}

static bool could_fold_char_codes(const char *s, size_t n)
{
        return has_char_or_regex(s, n);
}

/* jsasm_identity_calls() drops only the methods that a .prototype. defines */
static bool could_drop_identity_calls(const char *s, size_t n)
{
        return memmem(s, n, ".prototype.", 11) != NULL;
}

static bool could_apply_char_codes(const char *s, size_t n)
{
        return memmem(s, n, "String.fromCharCode.apply", 25) != NULL;
}

/* jsasm_eval_literals() unwraps only eval(...) and Function(...): its walk stops at nothing
 * else, and most scripts have neither, so that the copy it makes would be the text again */
static bool could_unwrap_eval(const char *s, size_t n)
{
        return memmem(s, n, "eval", 4) || memmem(s, n, "Function", 8);
}

/* every fold of jsasm_fold_literal_calls() holds one of these: the most common first, since
 * the first found ends the search and each one missing walks the whole text */
static bool could_fold_literal_calls(const char *s, size_t n)
{
        static const char *const marks[] = {"\",",    "',",     "function",
                                            "substr", "charAt", "fromCharCode"};

        for (size_t k = 0; k < ELEMENTSOF(marks); k++)
                if (memmem(s, n, marks[k], strlen(marks[k])))
                        return true;
        return false;
}

enum pass_language {
        PASS_ANY,
        PASS_PHP,     /* PHP text only */
        PASS_NOT_PHP, /* PowerShell, JScript, VBScript, shell... */
};

static const struct pass {
        int (*run)(const char *s, size_t n, struct textbuf *out, bool php);
        enum pass_language language;
        bool (*could_change)(const char *s, size_t n); /* NULL: always run */
} passes[] = {
        {pass_php_junk_comments, PASS_PHP, NULL},
        {pass_escapes, PASS_ANY, NULL},
        {pass_ps_char_codes, PASS_NOT_PHP, could_fold_char_codes},
        {pass_variables, PASS_ANY, could_pick_variable},
        {pass_string_vars, PASS_ANY, NULL},
        {pass_php_append_vars, PASS_PHP, NULL},
        {pass_constants, PASS_NOT_PHP, NULL},
        {pass_php_callees, PASS_PHP, NULL},
        {pass_php_long_vars, PASS_PHP, NULL},
        {pass_php_brace_vars, PASS_PHP, NULL},
        {pass_php_string_index, PASS_PHP, NULL},
        {pass_identity_calls, PASS_NOT_PHP, could_drop_identity_calls},
        {pass_eval_literals, PASS_NOT_PHP, could_unwrap_eval},
        {pass_char_code_apply, PASS_NOT_PHP, could_apply_char_codes},
        {pass_string_methods, PASS_NOT_PHP, could_drop_identity_calls},
        {pass_literal_calls, PASS_NOT_PHP, could_fold_literal_calls},
        {pass_literals, PASS_ANY, NULL},
        {pass_base64, PASS_ANY, could_decode_base64},
};

/* The rounds of passes over cur, until nothing changes. Returns the changes made. A pass is a
 * function of the text alone: one that left a text as it was (no change counted, the same
 * bytes out) would leave it so again, so it is not run again until another pass has changed
 * the text. The last round, which changes nothing, then costs only the passes that had not yet
 * seen its text. */
static int run_passes(struct textbuf *cur, bool php)
{
        /* version: how many times the text was rewritten; left_as_is[p]: the version pass p
         * last left as it was, plus one (0: none) */
        unsigned version = 0, left_as_is[ELEMENTSOF(passes)] = {0};
        int total = 0;

        for (int round = 0; round < (php ? MAX_PASSES_PHP : MAX_PASSES) && !cur->oom; round++) {
                int changed = 0;
                for (size_t p = 0; p < ELEMENTSOF(passes) && !cur->oom; p++) {
                        const struct pass *pass = &passes[p];
                        const char *text = cur->p ? cur->p : "";
                        if ((pass->language == PASS_PHP && !php) ||
                            (pass->language == PASS_NOT_PHP && php) || left_as_is[p] == version + 1)
                                continue;
                        if (pass->could_change && !pass->could_change(text, cur->len)) {
                                left_as_is[p] = version + 1;
                                continue;
                        }
                        struct textbuf next = {0};
                        textbuf_reserve(&next, cur->len + cur->len / 8 + 64);
                        int c = pass->run(text, cur->len, &next, php);
                        textbuf_put(&next, "", 0);
                        if (next.oom) {
                                free(next.p);
                                cur->oom = true;
                                break;
                        }
                        if (c == 0 && next.len == cur->len && memcmp(next.p, text, next.len) == 0) {
                                free(next.p);
                                left_as_is[p] = version + 1;
                                continue;
                        }
                        free(cur->p);
                        *cur = next;
                        version++;
                        changed += c;
                }
                total += changed;
                if (!changed)
                        break;
        }
        return total;
}

/* JScript built a fragment at a time: the comments of a WSH file removed first (padding that
 * names module.exports or a page is not what runs), and after the passes the values of the
 * variables assembled from fragments written at the end, which the passes then read too.
 * Returns the changes made. */
static int assemble_jscript(struct textbuf *cur, bool php)
{
        struct textbuf values = {0};
        int k;

        if (php || cur->oom)
                return 0;
        /* after the passes, which spell out the names that say the file is for WSH */
        struct textbuf bare = {0};
        textbuf_reserve(&bare, cur->len + 1);
        if (jsasm_strip_comments(cur->p ? cur->p : "", cur->len, &bare) > 0 && !bare.oom) {
                free(cur->p);
                *cur = bare;
        } else {
                cur->oom = cur->oom || bare.oom;
                free(bare.p);
        }
        if (cur->oom)
                return 0;
        k = jsasm_assembled_values(cur->p ? cur->p : "", cur->len, &values);
        if (values.oom)
                cur->oom = true;
        if (k <= 0 || cur->oom) {
                free(values.p);
                return 0;
        }
        textbuf_put(cur, values.p, values.len);
        free(values.p);
        return k + run_passes(cur, php);
}

int normalise_script(const uint8_t *data, size_t size, char **ret, size_t *ret_len)
{
        struct textbuf cur = {0};
        int total = 0;
        bool php = is_php(data, size);

        /* javascript-obfuscator's string arrays and packed scripts first: what they hand out
         * is what the passes below fold */
        if (!php) {
                char *dec = NULL;
                size_t dec_len = 0;
                int k = jsdeobf_decode((const char *)data, size, &dec, &dec_len);
                if (k == -ENOMEM)
                        return -ENOMEM;
                if (k > 0) {
                        cur.p = dec;
                        cur.len = dec_len;
                        cur.cap = dec_len + 1;
                        total += k;
                }
        }
        if (!cur.p)
                textbuf_put(&cur, (const char *)data, size);
        /* literals that a key or a step decodes into code: read from the text as written, the
         * passes then read what they say */
        if (!php)
                total += jsasm_keyed_literals((const char *)data, size, &cur);
        total += run_passes(&cur, php);
        total += assemble_jscript(&cur, php);
        if (cur.oom) {
                free(cur.p);
                return -ENOMEM;
        }
        for (size_t k = 0; k < cur.len; k++)
                cur.p[k] = (char)tolower((unsigned char)cur.p[k]);
        *ret = cur.p;
        *ret_len = cur.len;
        return total;
}

/* ---- documents and scripts ---- */

static const char *const script_extensions[] = {
        "ps1", "psm1", "psd1", "sh",  "bash", "zsh", "ksh", "py",          "pyw", "pl",
        "pm",  "rb",   "php",  "js",  "jse",  "mjs", "cjs", "vbs",         "vbe", "wsf",
        "wsh", "hta",  "bat",  "cmd", "lua",  "tcl", "sct", "applescript",
};

const char *text_kind_name(enum text_kind kind)
{
        switch (kind) {
        case TEXT_KIND_TEXT:
                return "text";
        case TEXT_KIND_DOCUMENT:
                return "document";
        case TEXT_KIND_SCRIPT:
                return "script";
        default:
                return "";
        }
}

static bool has_script_extension(const char *name)
{
        const char *dot = name ? strrchr(name, '.') : NULL;

        if (!dot)
                return false;
        for (size_t k = 0; k < ELEMENTSOF(script_extensions); k++)
                if (strcasecmp(dot + 1, script_extensions[k]) == 0)
                        return true;
        return false;
}

/* A line of prose: words of letters, as a sentence is written; not code, not a comment. */
static bool prose_line(const char *p, size_t len)
{
        size_t k = 0, letters = 0, words = 0, other = 0;

        while (k < len && (p[k] == ' ' || p[k] == '\t' || p[k] == '>'))
                k++;
        if (k + 1 < len && (p[k] == '*' || p[k] == '-' || p[k] == '+') && p[k + 1] == ' ')
                k += 2;
        while (k < len && p[k] == '#')
                k++;
        while (k < len && p[k] == ' ')
                k++;
        /* emphasis, code or a link may open a sentence: **`npm`** comes..., [Node](...) is */
        while (k < len && strchr("*_`[", p[k]))
                k++;
        if (k >= len || !isalpha((unsigned char)p[k]))
                return false;
        for (bool in_word = false; k < len; k++) {
                unsigned char c = (unsigned char)p[k];
                /* a Markdown link's target and an autolink are addresses, not words: the
                 * link's text is what a reader reads */
                if ((c == ']' && k + 1 < len && p[k + 1] == '(') ||
                    (c == '<' && k + 4 < len && !strncmp(p + k + 1, "http", 4))) {
                        const char *close = memchr(p + k, c == ']' ? ')' : '>', len - k);
                        if (close) {
                                k = (size_t)(close - p);
                                in_word = false;
                                continue;
                        }
                }
                if (isalpha(c)) {
                        letters++;
                        if (!in_word)
                                words++;
                        in_word = true;
                        continue;
                }
                in_word = false;
                /* paths and names in a sentence (~/.bashrc, &/or, bash_completion.d) */
                if (!strchr(" \t.,:'\"!?()-`*[]/~_&", c) && !(c & 0x80))
                        other++;
        }
        return words >= 6 && other * 20 <= letters && p[len - 1] != ';' && p[len - 1] != '{';
}

/* Markdown or reStructuredText structure: a heading, a list item, a link, a table row. */
static bool markup_line(const char *p, size_t len, bool after_text)
{
        size_t k = 0;

        while (k < len && p[k] == ' ')
                k++;
        if (k + 2 < len && p[k] == '#' && p[k + 1] == '#')
                return true;
        if (after_text && len >= 3 &&
            (strspn(p, "=") == len || strspn(p, "-") == len || strspn(p, "~") == len ||
             strspn(p, "^") == len))
                return true;
        if (k + 2 < len && (p[k] == '*' || p[k] == '-') && p[k + 1] == ' ' &&
            isalpha((unsigned char)p[k + 2]))
                return true;
        if (len >= 2 && p[0] == '|' && p[len - 1] == '|')
                return true;
        const char *link = memmem(p, len, "](", 2);
        return link && memchr(p, '[', (size_t)(link - p));
}

static bool code_line(const char *p, size_t len)
{
        char last = p[len - 1];
        return last == ';' || last == '{' || last == '}' || last == ')' || memchr(p, '$', len) ||
               memchr(p, '=', len);
}

enum text_kind text_kind_of(const uint8_t *data, size_t size, const char *name)
{
        const char *s = (const char *)data, *end = s + size;
        size_t lines = 0, prose = 0, markup = 0, fences = 0, code = 0;
        bool in_fence = false, after_text = false;

        if (size >= 2 && s[0] == '#' && s[1] == '!')
                return TEXT_KIND_SCRIPT;
        if (has_script_extension(name))
                return TEXT_KIND_SCRIPT;
        for (const char *p = s; p < end;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t len = (size_t)((nl ? nl : end) - p);
                const char *q = p;
                while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == ' '))
                        len--;
                while (q < p + len && *q == ' ')
                        q++;
                if ((size_t)(p + len - q) >= 3 &&
                    (!strncmp(q, "```", 3) || !strncmp(q, "~~~", 3))) {
                        in_fence = !in_fence;
                        fences++;
                } else if (len > 0 && !in_fence) {
                        lines++;
                        if (prose_line(p, len))
                                prose++;
                        else if (markup_line(p, len, after_text))
                                markup++;
                        else if (code_line(p, len))
                                code++;
                }
                after_text = len > 0 && !in_fence && isalnum((unsigned char)*q);
                p = nl ? nl + 1 : end;
        }
        if (prose >= 3 && prose * 10 >= lines * 3 && (fences >= 2 || markup >= 2))
                return TEXT_KIND_DOCUMENT;
        if (prose >= 5 && prose * 10 >= lines * 6)
                return TEXT_KIND_DOCUMENT;
        if (code * 10 >= lines * 3)
                return TEXT_KIND_SCRIPT;
        return TEXT_KIND_TEXT;
}

/* ---- Python ---- */

static bool word_opens(const char *p, size_t len, const char *word)
{
        size_t n = strlen(word);

        return len >= n && !strncmp(p, word, n);
}

static bool is_name_char(char c)
{
        return isalnum((unsigned char)c) || c == '_';
}

/* After the word at p (of len bytes) that opens the line: a dotted name, and where it ends. */
static size_t dotted_name(const char *p, size_t len, size_t k)
{
        size_t start = k;

        while (k < len && (is_name_char(p[k]) || (k > start && p[k] == '.')))
                k++;
        return k > start && !isdigit((unsigned char)p[start]) ? k : 0;
}

/* A statement only Python writes, p the line without its indentation and trailing blanks. */
static bool python_statement(const char *p, size_t len)
{
        static const char *const openers[] = {"if ",  "elif ",  "else:",    "for ",  "while ",
                                              "try:", "except", "finally:", "with ", "async def "};
        size_t k;

        if (!p || len == 0)
                return false;
        char last = p[len - 1];
        if (word_opens(p, len, "def ") && (k = dotted_name(p, len, 4)) && k < len && p[k] == '(')
                return last == ':' || last == ',' || last == '(';
        if (word_opens(p, len, "class ") && (k = dotted_name(p, len, 6)))
                return k < len && (p[k] == ':' || p[k] == '(') && (last == ':' || last == ',');
        /* from a.b import c, from . import d, from ..e import f */
        for (k = 5; word_opens(p, len, "from ") && k < len && p[k] == '.';)
                k++;
        if (word_opens(p, len, "from ") && k < len &&
            (k = p[k] == ' ' ? k : dotted_name(p, len, k)) &&
            word_opens(p + k, len - k, " import "))
                return true;
        /* import a.b, c as d (not an ES module's import x from "y"; or import "y") */
        if (word_opens(p, len, "import ") && dotted_name(p, len, 7))
                return last != ';' && !memchr(p, '"', len) && !memchr(p, '\'', len) &&
                       !memmem(p, len, " from ", 6) && !memchr(p, '{', len);
        for (size_t i = 0; i < ELEMENTSOF(openers); i++)
                if (word_opens(p, len, openers[i]))
                        return last == ':';
        return false;
}

/* A first line of code JavaScript cannot parse and Python can. Not `@` (JScript's @cc_on is
 * code) and not a #! line (node skips one: it comes before the first line asked about). */
static bool python_only_opening(const char *p, size_t len)
{
        if (p[0] == '#' || word_opens(p, len, "\"\"\"") || word_opens(p, len, "'''") ||
            word_opens(p, len, "r\"\"\"") || word_opens(p, len, "r'''"))
                return true;
        return python_statement(p, len) &&
               (word_opens(p, len, "def ") || word_opens(p, len, "class ") ||
                word_opens(p, len, "from ") || word_opens(p, len, "import "));
}

static size_t count_of(const char *p, size_t len, const char *what)
{
        size_t n = 0, w = strlen(what);

        for (const char *q = p, *end = p + len; (q = memmem(q, (size_t)(end - q), what, w)); q += w)
                n++;
        return n;
}

/* Whether the line leaves a JavaScript block comment open: its last slash-star has no
 * star-slash after it. */
static bool opens_block_comment(const char *p, size_t len)
{
        const char *open = NULL;

        for (const char *q = p, *end = p + len; (q = memmem(q, (size_t)(end - q), "/*", 2)); q += 2)
                open = q;
        return open && !memmem(open + 2, len - (size_t)(open + 2 - p), "*/", 2);
}

bool text_is_python(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data, *end = s + size;
        size_t python = 0, js = 0;
        bool first = true, in_triple = false, in_comment = false;

        for (const char *p = s; p < end;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t len = (size_t)((nl ? nl : end) - p);
                const char *line = p;

                p = nl ? nl + 1 : end;
                while (len > 0 && strchr(" \t", *line)) {
                        line++;
                        len--;
                }
                while (len > 0 && strchr(" \t\r", line[len - 1]))
                        len--;
                if (len == 0 || (line == s && len >= 2 && !strncmp(line, "#!", 2)))
                        continue;
                if (first && !python_only_opening(line, len))
                        return false;
                first = false;
                /* a JavaScript block comment may hide Python-looking lines */
                if (in_comment) {
                        in_comment = !memmem(line, len, "*/", 2);
                        continue;
                }
                size_t triples = count_of(line, len, "\"\"\"") + count_of(line, len, "'''");
                bool was_triple = in_triple;
                if (triples % 2)
                        in_triple = !in_triple;
                if (was_triple || triples)
                        continue;
                in_comment = opens_block_comment(line, len);
                if (python_statement(line, len))
                        python++;
                else if (line[len - 1] == ';' || word_opens(line, len, "var ") ||
                         word_opens(line, len, "let ") || word_opens(line, len, "const ") ||
                         word_opens(line, len, "function"))
                        js++;
        }
        return python >= 3 && python >= 2 * js;
}
