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

/* Whether word occurs in d[0..n), any case. */
static bool contains_ci(const uint8_t *d, size_t n, const char *word)
{
        size_t len = strlen(word);

        for (size_t i = 0; i + len <= n; i++)
                if ((d[i] | 0x20) == word[0] && strncasecmp((const char *)d + i, word, len) == 0)
                        return true;
        return false;
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

int psinflate_texts(const uint8_t *data, size_t size, char **ret, size_t *ret_len)
{
        _cleanup_free_ uint8_t *raw = NULL, *text = NULL;
        _cleanup_free_ char *all = NULL;
        size_t len = 0, runs = 0;
        int found = 0;

        if (!contains_ci(data, size, "deflatestream") && !contains_ci(data, size, "gzipstream"))
                return 0;
        for (size_t i = 0; i < size && runs < PSINFLATE_MAX_RUNS;) {
                if (!is_b64(data[i])) {
                        i++;
                        continue;
                }
                size_t start = i;
                while (i < size && is_b64(data[i]))
                        i++;
                size_t n = i - start;
                if (n < PSINFLATE_MIN_RUN)
                        continue;
                runs++;
                n = LESSER(n, (size_t)PSINFLATE_MAX_INPUT);
                if (!raw && !(raw = malloc(PSINFLATE_MAX_INPUT / 4 * 3 + 3)))
                        return -ENOMEM;
                if (!text && !(text = malloc(PSINFLATE_MAX_OUTPUT)))
                        return -ENOMEM;
                size_t m = base64_decode_lenient(data + start, n, raw,
                                                 PSINFLATE_MAX_INPUT / 4 * 3 + 3);
                size_t got = inflate_run(raw, m, text, PSINFLATE_MAX_OUTPUT);
                if (got == 0)
                        continue;
                got = LESSER(got, (size_t)PSINFLATE_MAX_TOTAL - len);
                char *grown = realloc(all, len + got + 2);
                if (!grown)
                        return -ENOMEM;
                all = grown;
                memcpy(all + len, text, got);
                len += got;
                all[len++] = '\n';
                all[len] = '\0';
                found++;
                if (len >= PSINFLATE_MAX_TOTAL)
                        break;
        }
        if (found > 0) {
                *ret = TAKE_PTR(all);
                *ret_len = len;
        }
        return found;
}
