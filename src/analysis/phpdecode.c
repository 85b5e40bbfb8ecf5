/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "analysis/phpdecode.h"
#include "basic/base64.h"
#include "basic/macro.h"

#define MIN_SIZE(a, b) ((a) < (b) ? (a) : (b))
#define MAX_SIZE(a, b) ((a) > (b) ? (a) : (b))

struct bytes {
        uint8_t *p;
        size_t len, cap;
};

static int bytes_add(struct bytes *b, const void *src, size_t n)
{
        if (b->len + n > PHP_DECODE_MAX_OUTPUT)
                return -E2BIG;
        if (b->len + n + 1 > b->cap) {
                size_t cap = MAX_SIZE(b->cap * 2, b->len + n + 1);
                uint8_t *p = realloc(b->p, MAX_SIZE(cap, (size_t)64));
                if (!p)
                        return -ENOMEM;
                b->p = p;
                b->cap = MAX_SIZE(cap, (size_t)64);
        }
        memcpy(b->p + b->len, src, n);
        b->len += n;
        b->p[b->len] = 0;
        return 0;
}

enum decoder {
        DEC_BASE64,
        DEC_GZINFLATE,
        DEC_GZUNCOMPRESS,
        DEC_GZDECODE,
        DEC_ROT13,
        DEC_STRREV,
        DEC_HEX2BIN,
        DEC_URLDECODE,
        DEC_RAWURLDECODE,
        DEC_STR_REPLACE, /* str_replace('junk', '', 'crjunkeate_function') */
        DEC_STR_IREPLACE,
        DEC_PACK_HEX, /* pack('H*', '6576616c'): hex2bin with a format first */
};

static const struct {
        const char *name;
        enum decoder dec;
} decoders[] = {
        {"base64_decode", DEC_BASE64},      {"gzinflate", DEC_GZINFLATE},
        {"gzuncompress", DEC_GZUNCOMPRESS}, {"gzdecode", DEC_GZDECODE},
        {"str_rot13", DEC_ROT13},           {"strrev", DEC_STRREV},
        {"hex2bin", DEC_HEX2BIN},           {"urldecode", DEC_URLDECODE},
        {"rawurldecode", DEC_RAWURLDECODE}, {"str_replace", DEC_STR_REPLACE},
        {"str_ireplace", DEC_STR_IREPLACE}, {"pack", DEC_PACK_HEX},
};

static bool is_ident(char c)
{
        return isalnum((unsigned char)c) || c == '_';
}

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
        while (i < n &&
               (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == '@'))
                i++;
        return i;
}

/* PHP's escapes of a double-quoted string that packers use: \\ \" \$ \n \r \t \xNN \NNN. */
static size_t double_quoted_escape(const char *s, size_t n, size_t j, uint8_t *c)
{
        static const char from[] = "\\\"$nrt", to[] = "\\\"$\n\r\t";
        const char *k = memchr(from, s[j], sizeof(from) - 1);
        unsigned v = 0;
        size_t m = j;

        if (k) {
                *c = (uint8_t)to[k - from];
                return j + 1;
        }
        if (s[j] == 'x' && j + 1 < n && isxdigit((unsigned char)s[j + 1])) {
                for (m = j + 1; m < n && m < j + 3 && isxdigit((unsigned char)s[m]); m++)
                        v = v * 16 + (unsigned)(isdigit((unsigned char)s[m])
                                                        ? s[m] - '0'
                                                        : (s[m] | 0x20) - 'a' + 10);
                *c = (uint8_t)v;
                return m;
        }
        if (s[j] >= '0' && s[j] <= '7') {
                for (m = j; m < n && m < j + 3 && s[m] >= '0' && s[m] <= '7'; m++)
                        v = v * 8 + (unsigned)(s[m] - '0');
                *c = (uint8_t)v;
                return m;
        }
        *c = '\\';
        return j;
}

/* The literal at s[i] of at most max characters (its escapes undone) into out; the index
 * after it, or 0 if none. */
static size_t take_literal(const char *s, size_t n, size_t i, size_t max, struct bytes *out)
{
        char q = i < n ? s[i] : 0;

        if (q != '\'' && q != '"')
                return 0;
        for (size_t j = i + 1; j < n && j - i <= max;) {
                uint8_t c = (uint8_t)s[j];
                if (s[j] == q)
                        return j + 1;
                if (s[j] == '$' && q == '"' && j + 1 < n &&
                    (isalpha((unsigned char)s[j + 1]) || s[j + 1] == '_' || s[j + 1] == '{'))
                        return 0; /* interpolated: not a constant */
                if (s[j] == '\\' && j + 1 < n) {
                        if (q == '\'') {
                                if (s[j + 1] == '\'' || s[j + 1] == '\\')
                                        j++;
                                c = (uint8_t)s[j];
                                j++;
                        } else {
                                j = double_quoted_escape(s, n, j + 1, &c);
                        }
                } else {
                        j++;
                }
                if (bytes_add(out, &c, 1) < 0)
                        return 0;
        }
        return 0;
}

static int decode_base64(const struct bytes *in, struct bytes *out)
{
        unsigned acc = 0;
        int bits = 0, r;

        for (size_t k = 0; k < in->len && in->p[k] != '='; k++) {
                int d = base64_digit_any(in->p[k]);
                if (d < 0)
                        continue; /* PHP skips what is not of the alphabet */
                acc = acc << 6 | (unsigned)d;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        uint8_t c = (uint8_t)(acc >> bits);
                        if ((r = bytes_add(out, &c, 1)) < 0)
                                return r;
                }
        }
        return 0;
}

/* window_bits: -15 raw deflate (gzinflate), 15 zlib (gzuncompress), 31 gzip (gzdecode) */
static int decode_inflate(const struct bytes *in, struct bytes *out, int window_bits)
{
        z_stream z = {0};
        uint8_t chunk[16384];
        int zr, r = 0;

        if (inflateInit2(&z, window_bits) != Z_OK)
                return -ENOMEM;
        z.next_in = in->p;
        z.avail_in = (uInt)MIN_SIZE(in->len, (size_t)UINT32_MAX);
        do {
                z.next_out = chunk;
                z.avail_out = sizeof(chunk);
                zr = inflate(&z, Z_NO_FLUSH);
                if (zr != Z_OK && zr != Z_STREAM_END) {
                        r = zr == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
                        break;
                }
                if ((r = bytes_add(out, chunk, sizeof(chunk) - z.avail_out)) < 0)
                        break;
        } while (zr != Z_STREAM_END);
        inflateEnd(&z);
        return r;
}

static int hex_value(uint8_t c)
{
        return isdigit(c) ? c - '0' : isxdigit(c) ? (c | 0x20) - 'a' + 10 : -1;
}

/* in with every (case-insensitive: icase) occurrence of search replaced by with */
static int replace_all(const struct bytes *in, const struct bytes *search, const struct bytes *with,
                       bool icase, struct bytes *out)
{
        int r = 0;

        if (search->len == 0)
                return in->len ? bytes_add(out, in->p, in->len) : 0;
        for (size_t k = 0; k < in->len && r == 0;) {
                if (k + search->len <= in->len &&
                    (icase ? strncasecmp((const char *)in->p + k, (const char *)search->p,
                                         search->len) == 0
                           : memcmp(in->p + k, search->p, search->len) == 0)) {
                        if (with->len)
                                r = bytes_add(out, with->p, with->len);
                        k += search->len;
                        continue;
                }
                r = bytes_add(out, &in->p[k++], 1);
        }
        return r;
}

static int decode_one(enum decoder dec, const struct bytes *in, struct bytes *out)
{
        int r = 0;

        switch (dec) {
        case DEC_STR_REPLACE:
        case DEC_STR_IREPLACE:
                return -EINVAL; /* replace_all, with its other arguments */
        case DEC_BASE64:
                return decode_base64(in, out);
        case DEC_GZINFLATE:
                return decode_inflate(in, out, -15);
        case DEC_GZUNCOMPRESS:
                return decode_inflate(in, out, 15);
        case DEC_GZDECODE:
                return decode_inflate(in, out, 31);
        case DEC_ROT13:
                for (size_t k = 0; k < in->len && r == 0; k++) {
                        uint8_t c = in->p[k];
                        if (isalpha(c))
                                c = (uint8_t)(((c | 0x20) - 'a' + 13) % 26 +
                                              (isupper(c) ? 'A' : 'a'));
                        r = bytes_add(out, &c, 1);
                }
                return r;
        case DEC_STRREV:
                for (size_t k = in->len; k > 0 && r == 0; k--)
                        r = bytes_add(out, &in->p[k - 1], 1);
                return r;
        case DEC_HEX2BIN:
        case DEC_PACK_HEX:
                if (in->len % 2)
                        return -EBADMSG;
                for (size_t k = 0; k < in->len && r == 0; k += 2) {
                        int hi = hex_value(in->p[k]), lo = hex_value(in->p[k + 1]);
                        if (hi < 0 || lo < 0)
                                return -EBADMSG;
                        r = bytes_add(out, &(uint8_t){(uint8_t)(hi << 4 | lo)}, 1);
                }
                return r;
        case DEC_URLDECODE:
        case DEC_RAWURLDECODE:
                for (size_t k = 0; k < in->len && r == 0; k++) {
                        uint8_t c = in->p[k];
                        if (c == '+' && dec == DEC_URLDECODE)
                                c = ' ';
                        else if (c == '%' && k + 2 < in->len && hex_value(in->p[k + 1]) >= 0 &&
                                 hex_value(in->p[k + 2]) >= 0) {
                                c = (uint8_t)(hex_value(in->p[k + 1]) << 4 |
                                              hex_value(in->p[k + 2]));
                                k += 2;
                        }
                        r = bytes_add(out, &c, 1);
                }
                return r;
        }
        return -EINVAL;
}

bool php_decoder_name(const char *name, size_t len, bool replace)
{
        for (size_t k = 0; k < ELEMENTSOF(decoders); k++) {
                if (!replace &&
                    (decoders[k].dec == DEC_STR_REPLACE || decoders[k].dec == DEC_STR_IREPLACE))
                        continue;
                if (strlen(decoders[k].name) == len &&
                    strncasecmp(name, decoders[k].name, len) == 0)
                        return true;
        }
        return false;
}

/* The decoder named at s[i] (not part of a longer name), and the index after its '('. */
static bool decoder_at(const char *s, size_t n, size_t i, enum decoder *dec, size_t *after)
{
        if (i > 0 && (is_ident(s[i - 1]) || s[i - 1] == '$' || s[i - 1] == '>' || s[i - 1] == ':'))
                return false;
        for (size_t k = 0; k < ELEMENTSOF(decoders); k++) {
                size_t len = strlen(decoders[k].name), j;
                if (i + len >= n || strncasecmp(s + i, decoders[k].name, len) != 0 ||
                    is_ident(s[i + len]))
                        continue;
                j = skip_blanks(s, n, i + len);
                if (j >= n || s[j] != '(')
                        return false;
                *dec = decoders[k].dec;
                *after = j + 1;
                return true;
        }
        return false;
}

/* pack's first argument at s[*j]: true when it is the literal 'H*' followed by a comma, with
 * *j moved to the next argument. */
static bool pack_hex_format(const char *s, size_t n, size_t *j)
{
        struct bytes format = {0};
        size_t k = take_literal(s, n, *j, 8, &format);
        bool hex = k && format.len == 2 && format.p[0] == 'H' && format.p[1] == '*';

        free(format.p);
        k = hex ? skip_blanks(s, n, k) : n;
        if (k >= n || s[k] != ',')
                return false;
        *j = skip_blanks(s, n, k + 1);
        return true;
}

/* The call at s[i] into out (empty on entry); the index after it, 0 if it does not decode,
 * or a negative errno when memory runs out. */
static long eval_call(const char *s, size_t n, size_t i, unsigned depth, struct bytes *out)
{
        struct bytes arg = {0};
        enum decoder dec;
        size_t j;
        long end = 0;
        int r;

        struct bytes search = {0}, with = {0};
        bool replace;

        if (depth >= PHP_DECODE_MAX_DEPTH || !decoder_at(s, n, i, &dec, &j))
                return 0;
        j = skip_blanks(s, n, j);
        /* str_replace's search and replacement: literals, then the subject as any argument */
        replace = dec == DEC_STR_REPLACE || dec == DEC_STR_IREPLACE;
        if (replace) {
                j = take_literal(s, n, j, PHP_XOR_MAX_LITERAL, &search);
                j = j ? skip_blanks(s, n, j) : n;
                if (j >= n || s[j] != ',')
                        goto out;
                j = take_literal(s, n, skip_blanks(s, n, j + 1), PHP_XOR_MAX_LITERAL, &with);
                j = j ? skip_blanks(s, n, j) : n;
                if (j >= n || s[j] != ',')
                        goto out;
                j = skip_blanks(s, n, j + 1);
        }
        /* pack's format: only 'H*', a whole hex string, is a decoder */
        if (dec == DEC_PACK_HEX && !pack_hex_format(s, n, &j))
                goto out;
        if (j < n && (s[j] == '\'' || s[j] == '"')) {
                j = take_literal(s, n, j, n, &arg);
        } else if (j < n) {
                long k = eval_call(s, n, j, depth + 1, &arg);
                if (k < 0) {
                        end = k;
                        goto out;
                }
                j = (size_t)k;
        } else {
                j = 0;
        }
        if (j == 0)
                goto out;
        j = skip_blanks(s, n, j);
        if (j >= n || s[j] != ')')
                goto out;
        r = replace ? replace_all(&arg, &search, &with, dec == DEC_STR_IREPLACE, out)
                    : decode_one(dec, &arg, out);
        if (r == -ENOMEM)
                end = r;
        else if (r == 0)
                end = (long)j + 1;
out:
        free(arg.p);
        free(search.p);
        free(with.p);
        return end;
}

int php_decode_call(const char *s, size_t n, size_t i, uint8_t **ret, size_t *ret_len,
                    size_t *ret_end)
{
        struct bytes out = {0};
        long end = eval_call(s, n, i, 0, &out);

        if (end <= 0 || !out.p) {
                free(out.p);
                return end < 0 ? (int)end : 0;
        }
        *ret = out.p;
        *ret_len = out.len;
        *ret_end = (size_t)end;
        return 1;
}

int php_xor_literals(const char *s, size_t n, size_t i, uint8_t **ret, size_t *ret_len,
                     size_t *ret_end)
{
        struct bytes acc = {0}, next = {0};
        size_t j = take_literal(s, n, i, PHP_XOR_MAX_LITERAL, &acc), end = 0;
        unsigned operands = 1;

        while (j > 0) {
                size_t k = skip_blanks(s, n, j);
                if (k >= n || s[k] != '^' || (k + 1 < n && s[k + 1] == '='))
                        break;
                next.len = 0;
                k = take_literal(s, n, skip_blanks(s, n, k + 1), PHP_XOR_MAX_LITERAL, &next);
                if (k == 0)
                        break;
                /* PHP XORs as far as the shorter string goes */
                acc.len = acc.len < next.len ? acc.len : next.len;
                for (size_t m = 0; m < acc.len; m++)
                        acc.p[m] ^= next.p[m];
                operands++;
                j = end = k;
        }
        free(next.p);
        if (operands < 2 || acc.len == 0) {
                free(acc.p);
                return 0;
        }
        acc.p[acc.len] = 0;
        *ret = acc.p;
        *ret_len = acc.len;
        *ret_end = end;
        return 1;
}

#define LITERAL_CALLEE_MAX_NAME 16

static size_t callee_skip_blanks(const char *s, size_t n, size_t i)
{
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
        return i;
}

int php_literal_callee(const char *s, size_t n, size_t i, size_t *ret_name, size_t *ret_name_len,
                       size_t *ret_end)
{
        bool wrapped = false;
        size_t k = i;

        /* not an index ($a['chr'](...) calls what the array holds) nor part of a word */
        if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_' || s[i - 1] == '[' ||
                      s[i - 1] == '$' || s[i - 1] == '\\'))
                return 0;
        if (k < n && s[k] == '(') {
                wrapped = true;
                k = callee_skip_blanks(s, n, k + 1);
        }
        if (k >= n || (s[k] != '\'' && s[k] != '"'))
                return 0;
        char q = s[k];
        size_t start = ++k;
        while (k < n && k - start <= LITERAL_CALLEE_MAX_NAME &&
               (isalnum((unsigned char)s[k]) || s[k] == '_'))
                k++;
        if (k >= n || s[k] != q || k == start || k - start > LITERAL_CALLEE_MAX_NAME)
                return 0;
        size_t len = k - start;
        /* what php_decode_call evaluates, and chr */
        if (!php_decoder_name(s + start, len, true) &&
            !(len == 3 && strncasecmp(s + start, "chr", 3) == 0))
                return 0;
        k = callee_skip_blanks(s, n, k + 1);
        if (wrapped) {
                if (k >= n || s[k] != ')')
                        return 0;
                k = callee_skip_blanks(s, n, k + 1);
        }
        if (k >= n || s[k] != '(')
                return 0;
        *ret_name = start;
        *ret_name_len = len;
        *ret_end = k;
        return 1;
}
