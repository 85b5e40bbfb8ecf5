/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "psinflate.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "basic/base64.h"
#include "basic/macro.h"
#include "dotnetblob.h"

#define LESSER(a, b) ((a) < (b) ? (a) : (b))

static bool is_b64(uint8_t c)
{
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/';
}

/* The .NET names that make a text's base64 worth reading, each a bit of what words_ci()
 * returns: a compressed stream, or base64 decoded by the script. */
enum {
        WORD_DEFLATE = 1u << 0,
        WORD_GZIP = 1u << 1,
        WORD_FROMBASE64 = 1u << 2,
};

/* Which of the words occur in d[0..n), any case: one pass for all three. */
static unsigned words_ci(const uint8_t *d, size_t n)
{
        static const char *const words[] = {"deflatestream", "gzipstream", "frombase64string"};
        static const size_t lengths[] = {13, 10, 16};
        const unsigned all = WORD_DEFLATE | WORD_GZIP | WORD_FROMBASE64;
        unsigned found = 0;

        for (size_t i = 0; i < n && found != all; i++) {
                uint8_t c = d[i] | 0x20;
                if (c != 'd' && c != 'g' && c != 'f')
                        continue;
                for (unsigned w = 0; w < 3; w++) {
                        if (c == (uint8_t)words[w][0] && !(found & 1u << w) &&
                            i + lengths[w] <= n &&
                            strncasecmp((const char *)d + i, words[w], lengths[w]) == 0)
                                found |= 1u << w;
                }
        }
        return found;
}

/* Makes UTF-16LE text (nearly every second byte zero in its first 512 bytes) single bytes by
 * dropping its zeros; returns the new length. */
static size_t narrow_utf16le(uint8_t *b, size_t n)
{
        size_t zeros = 0, pairs = LESSER(n, (size_t)512) / 2, m = 0;

        for (size_t i = 0; i < pairs; i++)
                zeros += b[2 * i + 1] == 0;
        if (pairs < 8 || zeros * 10 < pairs * 9)
                return n;
        for (size_t i = 0; i < n; i++)
                if (b[i] != 0)
                        b[m++] = b[i];
        return m;
}

/* Whether b[0..n) is text: its first 4 KiB printable, white space or UTF-8, 95% at least. */
static bool is_text(const uint8_t *b, size_t n)
{
        size_t look = LESSER(n, (size_t)4096), good = 0;

        if (n < 16)
                return false;
        for (size_t i = 0; i < look; i++)
                good += (b[i] >= 0x20 && b[i] != 0x7f) || b[i] == '\t' || b[i] == '\n' ||
                        b[i] == '\r';
        return good * 100 >= look * 95;
}

/* Inflates the bytes of one base64 run as gzip, zlib or raw deflate into out (cap bytes);
 * returns the length of the text it holds, 0 when it holds none. */
static size_t inflate_run(const uint8_t *raw, size_t n, uint8_t *out, size_t cap)
{
        size_t got;

        if (n >= 3 && raw[0] == 0x1f && raw[1] == 0x8b && raw[2] == 8)
                got = inflate_prefix(raw, n, 16 + MAX_WBITS, out, cap);
        else if (n >= 2 && (raw[0] & 0x0f) == 8 && ((raw[0] << 8) | raw[1]) % 31 == 0)
                got = inflate_prefix(raw, n, MAX_WBITS, out, cap);
        else
                got = inflate_prefix(raw, n, -MAX_WBITS, out, cap);
        got = narrow_utf16le(out, got);
        return is_text(out, got) ? got : 0;
}

/* Whether b[0..n) is ASCII text: its first 4 KiB printable ASCII or white space, 98% at least.
 * Stricter than is_text(): any bytes decode from base64, and compressed or random ones are
 * mostly above 0x7f, which UTF-8 text may be too. */
static bool is_ascii_text(const uint8_t *b, size_t n)
{
        size_t look = LESSER(n, (size_t)4096), good = 0;

        if (n < 16)
                return false;
        for (size_t i = 0; i < look; i++)
                good += (b[i] >= 0x20 && b[i] < 0x7f) || b[i] == '\t' || b[i] == '\n' ||
                        b[i] == '\r';
        return good * 100 >= look * 98;
}

/* Base64 of text itself, not compressed: the first cap bytes of raw when they are text. */
static size_t plain_run(const uint8_t *raw, size_t n, uint8_t *out, size_t cap)
{
        size_t got = LESSER(n, cap);

        memcpy(out, raw, got);
        got = narrow_utf16le(out, got);
        return is_ascii_text(out, got) ? got : 0;
}

/* A run written backwards ends with its padding: it follows an '=' that follows a quote, white
 * space, another '=' or the start of the text ("==QfK4W..."), which a forward run never does. */
static bool is_reversed_run(const uint8_t *data, size_t start)
{
        if (start == 0 || data[start - 1] != '=')
                return false;
        if (start == 1)
                return true;
        uint8_t before = data[start - 2];
        return before == '=' || before == '"' || before == '\'' || before == ' ' ||
               before == '\t' || before == '\n' || before == '\r';
}

/* Decodes the run data[start..start+n) (backwards when reversed, through scratch) into raw;
 * returns the number of bytes. */
static size_t decode_run(const uint8_t *data, size_t start, size_t n, bool reversed,
                         uint8_t *scratch, uint8_t *raw)
{
        const uint8_t *run = data + start;

        if (reversed) {
                for (size_t k = 0; k < n; k++)
                        scratch[k] = data[start + n - 1 - k];
                run = scratch;
        }
        return base64_decode_lenient(run, n, raw, PSINFLATE_MAX_INPUT / 4 * 3 + 3);
}

/* Where the next run worth reading may start, at or after i: at any base64 character when the
 * text decodes or inflates base64 itself, or in the first tenth of a text (every); otherwise
 * only after a run's own padding (is_reversed_run), found with memchr, so that ordinary text
 * costs one pass of it. */
static size_t next_run_start(const uint8_t *data, size_t size, size_t i, bool every)
{
        if (every) {
                while (i < size && !is_b64(data[i]))
                        i++;
                return i;
        }
        while (i < size) {
                const uint8_t *eq = memchr(data + i, '=', size - i);
                if (!eq)
                        return size;
                i = (size_t)(eq - data) + 1;
                if (i < size && is_b64(data[i]) && is_reversed_run(data, i))
                        return i;
        }
        return size;
}

/* Appends got bytes of text and a line end to *all (*len long); 0 or -ENOMEM. */
static int keep_text(char **all, size_t *len, const uint8_t *text, size_t got)
{
        got = LESSER(got, (size_t)PSINFLATE_MAX_TOTAL - *len);
        char *grown = realloc(*all, *len + got + 2);
        if (!grown)
                return -ENOMEM;
        *all = grown;
        memcpy(grown + *len, text, got);
        *len += got;
        grown[(*len)++] = '\n';
        grown[*len] = '\0';
        return 0;
}

int psinflate_texts(const uint8_t *data, size_t size, char **ret, size_t *ret_len)
{
        _cleanup_free_ uint8_t *raw = NULL, *text = NULL, *scratch = NULL;
        _cleanup_free_ char *all = NULL;
        size_t len = 0, runs = 0, i = 0;
        int found = 0;
        unsigned words = words_ci(data, size);
        bool compressed = words & (WORD_DEFLATE | WORD_GZIP);
        bool decoded = words & WORD_FROMBASE64;
        bool every = compressed || decoded;

        while (i < size && runs < PSINFLATE_MAX_RUNS && len < PSINFLATE_MAX_TOTAL) {
                size_t start = i;
                while (i < size && is_b64(data[i]))
                        i++;
                size_t n = i - start;
                bool reversed = is_reversed_run(data, start);
                /* plain text in base64: a script kept in a variable for FromBase64String, a
                 * file that is one run of base64, or one written backwards */
                bool plain =
                        (decoded && n >= PSINFLATE_MIN_PLAIN) || n * 10 >= size * 9 || reversed;
                size_t got = 0;
                if (n >= PSINFLATE_MIN_RUN && (compressed || plain)) {
                        runs++;
                        n = LESSER(n, (size_t)PSINFLATE_MAX_INPUT);
                        if (!raw && !(raw = malloc(PSINFLATE_MAX_INPUT / 4 * 3 + 3)))
                                return -ENOMEM;
                        if (!text && !(text = malloc(PSINFLATE_MAX_OUTPUT)))
                                return -ENOMEM;
                        if (reversed && !scratch && !(scratch = malloc(PSINFLATE_MAX_INPUT)))
                                return -ENOMEM;
                        size_t m = decode_run(data, start, n, reversed, scratch, raw);
                        if (compressed)
                                got = inflate_run(raw, m, text, PSINFLATE_MAX_OUTPUT);
                        if (got == 0 && plain)
                                got = plain_run(raw, m, text, PSINFLATE_MAX_OUTPUT);
                }
                if (got > 0) {
                        if (keep_text(&all, &len, text, got) < 0)
                                return -ENOMEM;
                        found++;
                }
                /* a run that is nearly the whole text starts in its first tenth */
                i = next_run_start(data, size, i, every || i <= size / 10);
        }
        if (found > 0) {
                *ret = TAKE_PTR(all);
                *ret_len = len;
        }
        return found;
}
