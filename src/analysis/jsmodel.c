/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The vocabulary model of JavaScript (analysis/jsmodel.h). The tokenizer knows comments (C's
 * and C++'s; not JScript's conditional compilation, whose /\*@cc_on ... @*\/ is code), quoted
 * strings ('', "" and `` with \ escapes; a '' or "" string ends at its line's end, so that a
 * regular expression's lone quote does not swallow the script), URLs (scheme://...) and blobs of
 * base64 (a run of JSMODEL_BLOB_MIN of its alphabet), and nothing of the grammar: a token is a
 * run of letters, digits and '_' (document.createElement is document and createelement, $ is
 * no letter). Tokens that open with a digit, of one character, or longer than VOCAB_TOKEN_MAX
 * are left out, and so are the letters of \x, \u escapes; obfuscator.io's names (_0x and hex
 * digits), random in each sample, are all the one token "_0x". Comments go because they name
 * authors, licences and banners, not what a script does; URLs for the same reason (their
 * scheme stays). */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "analysis/jsmodel.h"

struct tokenizer {
        const unsigned char *s;
        size_t n;
        struct vocab_sink sink;
};

static inline bool is_digit(unsigned char c)
{
        return c >= '0' && c <= '9';
}

static inline bool is_hex(unsigned char c)
{
        return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Whether the n bytes of w are obfuscator.io's kind of name: _0x and at least one hex digit. */
static bool hex_name(const unsigned char *w, size_t n)
{
        if (n < 4 || w[0] != '_' || w[1] != '0' || (w[2] | 0x20) != 'x')
                return false;
        for (size_t k = 3; k < n; k++)
                if (!is_hex(w[k]))
                        return false;
        return true;
}

/* Reads the token at i (a word character); emits it unless it is part of a blob. Returns where
 * it ends, or past the URL when the token is a scheme followed by "://", or past the blob. */
static size_t token(struct tokenizer *t, size_t i)
{
        size_t start = i, j;

        while (i < t->n && vocab_is_word(t->s[i]))
                i++;
        if (i + 2 < t->n && t->s[i] == ':' && t->s[i + 1] == '/' && t->s[i + 2] == '/') {
                vocab_emit(&t->sink, (const char *)t->s + start, i - start);
                i += 3;
                while (i < t->n && !vocab_is_blank(t->s[i]) && t->s[i] != '"' && t->s[i] != '\'' &&
                       t->s[i] != '`' && t->s[i] != ')' && t->s[i] != '<' && t->s[i] != '>')
                        i++;
                return i;
        }
        if (i < t->n && (t->s[i] == '+' || t->s[i] == '/')) {
                /* base64's alphabet on: a blob when long enough */
                for (j = i; j < t->n && vocab_is_b64(t->s[j]) && j - start < JSMODEL_BLOB_MIN; j++)
                        ;
                if (j - start >= JSMODEL_BLOB_MIN) {
                        while (j < t->n && (vocab_is_b64(t->s[j]) || t->s[j] == '='))
                                j++;
                        return j;
                }
        } else if (i - start >= JSMODEL_BLOB_MIN) {
                return i; /* one long run: left out as too long */
        }
        if (hex_name(t->s + start, i - start))
                vocab_emit(&t->sink, "_0x", 3);
        else
                vocab_emit(&t->sink, (const char *)t->s + start, i - start);
        return i;
}

/* After a backslash at i: returns where the escape ends (\xHH and \uHHHH whole). */
static size_t escape(const struct tokenizer *t, size_t i)
{
        size_t k = 0;

        if (i + 1 >= t->n)
                return t->n;
        if (t->s[i + 1] == 'x' || t->s[i + 1] == 'X')
                k = 2;
        else if (t->s[i + 1] == 'u')
                k = 4;
        i += 2;
        for (size_t e = i + k; i < e && i < t->n && is_hex(t->s[i]); i++)
                ;
        return i;
}

/* Reads a string literal whose quote q is at i; returns where it ends. */
static size_t string(struct tokenizer *t, size_t i, unsigned char q)
{
        i++;
        while (i < t->n) {
                unsigned char c = t->s[i];
                if (c == q)
                        return i + 1;
                if (c == '\n' && q != '`')
                        return i + 1;
                if (c == '\\')
                        i = escape(t, i);
                else if (vocab_is_word(c))
                        i = token(t, i);
                else
                        i++;
        }
        return t->n;
}

uint32_t jsmodel_tokens(const char *s, size_t n, unsigned flags,
                        void (*hashed)(void *userdata, uint32_t h), void *userdata)
{
        struct tokenizer t = {.s = (const unsigned char *)s,
                              .n = n < JSMODEL_MAX_INPUT ? n : JSMODEL_MAX_INPUT,
                              .sink = {.hashed = hashed,
                                       .userdata = userdata,
                                       .pairs = (flags & JSMODEL_PAIRS) != 0}};
        size_t i = 0;

        while (i < t.n) {
                unsigned char c = t.s[i];
                unsigned char d = i + 1 < t.n ? t.s[i + 1] : 0;
                if (vocab_is_word(c)) {
                        i = token(&t, i);
                } else if (c == '/' && d == '*') {
                        /* JScript's conditional compilation is code */
                        if (i + 2 < t.n && t.s[i + 2] == '@')
                                i += 3;
                        else
                                i = vocab_past(t.s, t.n, i + 2, "*/", 2);
                } else if (c == '/' && d == '/' && (i == 0 || t.s[i - 1] != ':')) {
                        i = vocab_line_end(t.s, t.n, i);
                } else if (c == '"' || c == '\'' || c == '`') {
                        i = string(&t, i, c);
                } else {
                        i++;
                }
        }
        return t.sink.tokens;
}

void jsmodel_features(const char *s, size_t n, unsigned flags, struct jsmodel_features *ret)
{
        memset(ret, 0, sizeof(*ret));
        ret->tokens = jsmodel_tokens(s, n, flags, vocab_set_bucket, ret->bits);
}

int64_t jsmodel_score(const char *s, size_t n)
{
        struct jsmodel_features f;

        jsmodel_features(s, n, jsmodel_table_flags, &f);
        return vocab_score(f.bits, jsmodel_weights, jsmodel_bias);
}

/* Where the first "<tag" (case-insensitive, followed by a blank, '>' or '/') at or after i
 * opens, or n. */
static size_t find_tag(const char *s, size_t n, size_t i, const char *tag, size_t m)
{
        while (i < n) {
                const char *p = memchr(s + i, '<', n - i);
                if (!p)
                        return n;
                i = (size_t)(p - s);
                if (i + 1 + m < n && strncasecmp(s + i + 1, tag, m) == 0) {
                        unsigned char e = (unsigned char)s[i + 1 + m];
                        if (vocab_is_blank(e) || e == '>' || e == '/')
                                return i;
                }
                i++;
        }
        return n;
}

size_t jsmodel_blocks(const char *s, size_t n,
                      void (*block)(void *userdata, const char *body, size_t len), void *userdata)
{
        size_t i = 0, blocks = 0;

        n = n < JSMODEL_MAX_INPUT ? n : JSMODEL_MAX_INPUT;
        while (blocks < JSMODEL_MAX_BLOCKS && (i = find_tag(s, n, i, "script", 6)) < n) {
                const char *gt = memchr(s + i, '>', n - i);
                if (!gt)
                        break;
                size_t body = (size_t)(gt - s) + 1;
                size_t end = find_tag(s, n, body, "/script", 7);
                if (end - body >= JSMODEL_BLOCK_MIN) {
                        block(userdata, s + body, end - body);
                        blocks++;
                }
                i = end;
        }
        return blocks;
}

bool jsmodel_reads_as_javascript(const char *s, size_t n)
{
        /* words of VBScript and VBA, PowerShell and batch files, lower case */
        static const char *const other[] = {
                "end sub", "end function", "end if",       "attribute vb_", "write-host",
                "$env:",   "new-object ",  "-erroraction", "@echo off",
        };
        size_t i = n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3) ? 3 : 0;

        n = n < JSMODEL_SNIFF ? n : JSMODEL_SNIFF;
        while (i < n && vocab_is_blank((unsigned char)s[i]))
                i++;
        if (i < n && s[i] == '<')
                return false;
        if (!memchr(s, ';', n) && !memchr(s, '{', n))
                return false;
        for (; i < n; i++) {
                unsigned char c = (unsigned char)s[i] | 0x20;
                /* the first letters of the words ('@' | 0x20 is '`', '$' and '-' stay) */
                if (c != 'e' && c != 'a' && c != 'w' && c != '$' && c != 'n' && c != '-' &&
                    s[i] != '@')
                        continue;
                for (size_t k = 0; k < sizeof(other) / sizeof(other[0]); k++) {
                        size_t m = strlen(other[k]);
                        if (((unsigned char)other[k][0] | 0x20) == c && m <= n - i &&
                            strncasecmp(s + i, other[k], m) == 0)
                                return false;
                }
        }
        return true;
}

struct page_score {
        int64_t best;
        size_t blocks;
};

static void score_block(void *userdata, const char *body, size_t len)
{
        struct page_score *p = userdata;
        int64_t score;

        if (!jsmodel_reads_as_javascript(body, len))
                return;
        score = jsmodel_score(body, len);
        if (p->blocks++ == 0 || score > p->best)
                p->best = score;
}

int64_t jsmodel_score_page(const char *s, size_t n, size_t *ret_blocks)
{
        struct page_score p = {0};

        jsmodel_blocks(s, n, score_block, &p);
        if (ret_blocks)
                *ret_blocks = p.blocks;
        return p.best;
}
