/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The vocabulary model of server-side scripts (analysis/webmodel.h). The tokenizer knows
 * comments (C's and C++'s but in Perl, '#' at a line's start or after a blank or ';{}' in PHP
 * and Perl, VBScript's ' in ASP, <!-- -->, <%-- --%>, Perl's POD), quoted strings (\ escapes
 * but in ASP, whose VBScript doubles its quotes; ' is no string in ASP), URLs (scheme://...)
 * and blobs of base64 (a run of WEBMODEL_BLOB_MIN of its alphabet), and nothing of the
 * grammar: a token is a run of letters, digits and '_' ($_GET is _get, IO::Socket is io and
 * socket, Runtime.getRuntime() is runtime and getruntime). Tokens that open with a digit
 * (numbers, hex), of one character, or longer than VOCAB_TOKEN_MAX are left out, and so are
 * the letters of \x, \u escapes. Comments go because they name authors, licences and banners,
 * not what a script does; URLs for the same reason (their scheme stays). */
#include <stdbool.h>
#include <string.h>

#include "analysis/webmodel.h"
#include "analysis/webshape.h"

struct tokenizer {
        const unsigned char *s;
        size_t n;
        int language;
        struct vocab_sink sink;
};

/* Reads the token at i (a word character); emits it unless it is part of a blob. Returns where
 * it ends, or past the URL when the token is a scheme followed by "://", or past the blob. */
static size_t token(struct tokenizer *t, size_t i)
{
        size_t start = i, j = i;

        while (i < t->n && vocab_is_word(t->s[i]))
                i++;
        if (i + 2 < t->n && t->s[i] == ':' && t->s[i + 1] == '/' && t->s[i + 2] == '/') {
                vocab_emit(&t->sink, (const char *)t->s + start, i - start);
                i += 3;
                while (i < t->n && !vocab_is_blank(t->s[i]) && t->s[i] != '"' && t->s[i] != '\'' &&
                       t->s[i] != ')' && t->s[i] != '<' && t->s[i] != '>')
                        i++;
                return i;
        }
        if (i < t->n && (t->s[i] == '+' || t->s[i] == '/')) {
                /* base64's alphabet on: a blob when long enough */
                for (j = i; j < t->n && vocab_is_b64(t->s[j]) && j - start < WEBMODEL_BLOB_MIN; j++)
                        ;
                if (j - start >= WEBMODEL_BLOB_MIN) {
                        while (j < t->n && (vocab_is_b64(t->s[j]) || t->s[j] == '='))
                                j++;
                        return j;
                }
        } else if (i - start >= WEBMODEL_BLOB_MIN) {
                return i; /* one long run: left out as too long */
        }
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
        for (size_t e = i + k; i < e && i < t->n; i++) {
                unsigned char c = t->s[i] | 0x20;
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                        break;
        }
        return i;
}

/* Reads a string literal whose quote q is at i; returns where it ends. */
static size_t string(struct tokenizer *t, size_t i, unsigned char q)
{
        bool vbs = t->language == WEBSHAPE_ASP;

        i++;
        while (i < t->n) {
                unsigned char c = t->s[i];
                if (c == q) {
                        if (vbs && i + 1 < t->n && t->s[i + 1] == q) {
                                i += 2;
                                continue;
                        }
                        return i + 1;
                }
                if (c == '\\' && !vbs)
                        i = escape(t, i);
                else if (vocab_is_word(c))
                        i = token(t, i);
                else
                        i++;
        }
        return t->n;
}

/* Whether a line comment that '#' opens may start at i: at a line's start or after a blank or
 * one of ";{}" (not CSS's #fff, Perl's $#array, a regex's delimiter). */
static bool hash_comment(const struct tokenizer *t, size_t i)
{
        if (t->language != WEBSHAPE_PHP && t->language != WEBSHAPE_PERL)
                return false;
        if (i == 0)
                return true;
        unsigned char p = t->s[i - 1];
        return vocab_is_blank(p) || p == ';' || p == '{' || p == '}';
}

/* Skips Perl's POD when a line opening at i starts it (=word ... =cut); returns where the
 * text goes on (i when it does not). */
static size_t pod(const struct tokenizer *t, size_t i)
{
        if (t->language != WEBSHAPE_PERL || t->s[i] != '=' || i + 1 >= t->n ||
            !vocab_is_letter(t->s[i + 1]) || (i > 0 && t->s[i - 1] != '\n'))
                return i;
        for (size_t j = vocab_line_end(t->s, t->n, i); j < t->n;
             j = vocab_line_end(t->s, t->n, j + 1))
                if (j + 4 < t->n && memcmp(t->s + j + 1, "=cut", 4) == 0)
                        return vocab_line_end(t->s, t->n, j + 1);
        return t->n;
}

uint32_t webmodel_tokens(const char *s, size_t n, int language, unsigned flags,
                         void (*hashed)(void *userdata, uint32_t h), void *userdata)
{
        struct tokenizer t = {.s = (const unsigned char *)s,
                              .n = n < WEBMODEL_MAX_INPUT ? n : WEBMODEL_MAX_INPUT,
                              .language = language,
                              .sink = {.hashed = hashed,
                                       .userdata = userdata,
                                       .pairs = (flags & WEBMODEL_PAIRS) != 0}};
        bool perl = language == WEBSHAPE_PERL, asp = language == WEBSHAPE_ASP;
        size_t i = 0;

        while (i < t.n) {
                unsigned char c = t.s[i];
                unsigned char d = i + 1 < t.n ? t.s[i + 1] : 0;
                size_t j;
                if (vocab_is_word(c)) {
                        i = token(&t, i);
                } else if (c == '/' && d == '*' && !perl) {
                        i = vocab_past(t.s, t.n, i + 2, "*/", 2);
                } else if (c == '/' && d == '/' && !perl && (i == 0 || t.s[i - 1] != ':')) {
                        i = vocab_line_end(t.s, t.n, i);
                } else if (c == '#' && hash_comment(&t, i)) {
                        i = vocab_line_end(t.s, t.n, i);
                } else if (c == '<' && d == '!' && i + 3 < t.n && t.s[i + 2] == '-' &&
                           t.s[i + 3] == '-') {
                        i = vocab_past(t.s, t.n, i + 4, "-->", 3);
                } else if (c == '<' && d == '%' && i + 3 < t.n && t.s[i + 2] == '-' &&
                           t.s[i + 3] == '-') {
                        i = vocab_past(t.s, t.n, i + 4, "--%>", 4);
                } else if (c == '=' && (j = pod(&t, i)) != i) {
                        i = j;
                } else if (c == '\'' && asp) {
                        /* C#'s 'x' and '\n' are characters; else VBScript's comment, unless
                         * inside a word (HTML's don't) */
                        if (i + 2 < t.n && t.s[i + 2] == '\'')
                                i += 3;
                        else if (d == '\\' && i + 3 < t.n && t.s[i + 3] == '\'')
                                i += 4;
                        else if (i > 0 && vocab_is_word(t.s[i - 1]))
                                i++;
                        else
                                i = vocab_line_end(t.s, t.n, i);
                } else if (c == '"' || c == '\'' || (c == '`' && !asp)) {
                        i = string(&t, i, c);
                } else {
                        i++;
                }
        }
        return t.sink.tokens;
}

void webmodel_features(const char *s, size_t n, int language, unsigned flags,
                       struct webmodel_features *ret)
{
        memset(ret, 0, sizeof(*ret));
        ret->tokens = webmodel_tokens(s, n, language, flags, vocab_set_bucket, ret->bits);
}

int64_t webmodel_score(const char *s, size_t n, int language)
{
        struct webmodel_features f;

        webmodel_features(s, n, language, webmodel_table_flags, &f);
        return vocab_score(f.bits, webmodel_weights, webmodel_bias);
}
