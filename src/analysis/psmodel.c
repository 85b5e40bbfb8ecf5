/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The vocabulary model of PowerShell (analysis/psmodel.h). The tokenizer knows comments (# to
 * the end of the line, <# ... #>), quoted strings ('' doubled, ` escapes in "..."),
 * here-strings (@' and @" to '@ and "@ at the start of a line) and URLs (scheme://...), and
 * nothing of the grammar: a token is a run of letters, digits and '_', joined by '-' to a
 * letter that follows (Get-ADUser) and cut at '.', ':' and everything else ($env:Path is env
 * and path; [System.Net.WebClient] is system, net and webclient). Tokens that open with a digit
 * (numbers, hex), of one character, or longer than PSMODEL_TOKEN_MAX are left out. Comments go
 * because they name authors, licences and banners, not what a script does; URLs for the same
 * reason (their scheme stays). */
#include <stdbool.h>
#include <string.h>

#include "analysis/psmodel.h"
#include "analysis/vocab.h"

uint32_t psmodel_hash(const char *s, size_t n)
{
        return vocab_hash(s, n);
}

struct tokenizer {
        const unsigned char *s;
        size_t n;
        unsigned flags;
        struct vocab_sink sink;
};

static void emit(struct tokenizer *t, size_t start, size_t end)
{
        vocab_emit(&t->sink, (const char *)t->s + start, end - start);
}

/* Reads the token at i (a word character); emits it when keep. Returns where it ends, or past
 * the URL when the token is a scheme followed by "://". */
static size_t token(struct tokenizer *t, size_t i, bool keep)
{
        size_t start = i;

        for (;;) {
                while (i < t->n && vocab_is_word(t->s[i]))
                        i++;
                if (i + 1 < t->n && t->s[i] == '-' && vocab_is_letter(t->s[i + 1]) &&
                    i - start < PSMODEL_TOKEN_MAX) {
                        i++;
                        continue;
                }
                break;
        }
        if (keep)
                emit(t, start, i);
        if (i + 2 < t->n && t->s[i] == ':' && t->s[i + 1] == '/' && t->s[i + 2] == '/') {
                i += 3;
                while (i < t->n && t->s[i] != ' ' && t->s[i] != '\t' && t->s[i] != '\n' &&
                       t->s[i] != '\r' && t->s[i] != '"' && t->s[i] != '\'' && t->s[i] != ')' &&
                       t->s[i] != '`')
                        i++;
        }
        return i;
}

/* Skips from i to the end of a comment that opens there; returns where it ends. */
static size_t skip_comment(const struct tokenizer *t, size_t i)
{
        if (t->s[i] == '<') {
                const unsigned char *e = memmem(t->s + i + 2, t->n - i - 2, "#>", 2);
                return e ? (size_t)(e - t->s) + 2 : t->n;
        }
        const unsigned char *e = memchr(t->s + i, '\n', t->n - i);
        return e ? (size_t)(e - t->s) : t->n;
}

/* Whether a here-string opens at i (@' or @" with nothing but blanks to the line's end). */
static bool here_opens(const struct tokenizer *t, size_t i)
{
        if (i + 2 >= t->n || t->s[i] != '@' || (t->s[i + 1] != '"' && t->s[i + 1] != '\''))
                return false;
        for (i += 2; i < t->n && (t->s[i] == ' ' || t->s[i] == '\t' || t->s[i] == '\r'); i++)
                ;
        return i < t->n && t->s[i] == '\n';
}

/* Reads a string literal whose quote q is at i (a here-string's when here); returns where it
 * ends. */
static size_t string(struct tokenizer *t, size_t i, unsigned char q, bool here)
{
        bool keep = t->flags & PSMODEL_STRING_WORDS;

        i += here ? 2 : 1;
        while (i < t->n) {
                unsigned char c = t->s[i];
                if (here && c == '\n') {
                        size_t j = i + 1;
                        while (j < t->n && (t->s[j] == ' ' || t->s[j] == '\t'))
                                j++;
                        if (j + 1 < t->n && t->s[j] == q && t->s[j + 1] == '@')
                                return j + 2;
                        i++;
                } else if (!here && c == q) {
                        if (q == '\'' && i + 1 < t->n && t->s[i + 1] == '\'') {
                                i += 2;
                                continue;
                        }
                        return i + 1;
                } else if (c == '`' && q == '"') {
                        i += 2;
                } else if (vocab_is_word(c)) {
                        i = token(t, i, keep);
                } else {
                        i++;
                }
        }
        return t->n;
}

uint32_t psmodel_tokens(const char *s, size_t n, unsigned flags,
                        void (*hashed)(void *userdata, uint32_t h), void *userdata)
{
        struct tokenizer t = {.s = (const unsigned char *)s,
                              .n = n < PSMODEL_MAX_INPUT ? n : PSMODEL_MAX_INPUT,
                              .flags = flags,
                              .sink = {.hashed = hashed,
                                       .userdata = userdata,
                                       .pairs = (flags & PSMODEL_PAIRS) != 0}};
        size_t i = 0;

        while (i < t.n) {
                unsigned char c = t.s[i];
                if (c == '#' && (i == 0 || !vocab_is_word(t.s[i - 1])))
                        i = skip_comment(&t, i);
                else if (c == '<' && i + 1 < t.n && t.s[i + 1] == '#')
                        i = skip_comment(&t, i);
                else if (here_opens(&t, i))
                        i = string(&t, i, t.s[i + 1], true);
                else if (c == '"' || c == '\'')
                        i = string(&t, i, c, false);
                else if (vocab_is_word(c))
                        i = token(&t, i, true);
                else
                        i++;
        }
        return t.sink.tokens;
}

void psmodel_features(const char *s, size_t n, unsigned flags, struct psmodel_features *ret)
{
        memset(ret, 0, sizeof(*ret));
        ret->tokens = psmodel_tokens(s, n, flags, vocab_set_bucket, ret->bits);
}

int64_t psmodel_score(const char *s, size_t n)
{
        struct psmodel_features f;

        psmodel_features(s, n, psmodel_table_flags, &f);
        return vocab_score(f.bits, psmodel_weights, psmodel_bias);
}
