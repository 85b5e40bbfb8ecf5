/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/scriptenc.h"
#include "basic/base64.h"
#include "basic/unaligned.h"

#define START     "#@~^"
#define END       "^#~@"
#define START_LEN 4
#define NUM_LEN   6 /* base64 digits of a 32-bit number, then "==" */

/* The format's substitution: ENC[p][k] is how table p writes the character PLAIN(k): a tab for
 * k = 0, then ' ' + k - 1 (up to 0x7f). '<', '>' and '@' are always escaped ('?' here). These are
 * the encoder's constants as documented in public descriptions of the format. */
static const char ENC[3][98] = {
        "dP\"Ja^][B`#e_~ORz!F &c*vG%,)i?'?g?bAZf2sMCq9|SH1rnpI?Kj.\x7f(5}$-T7{=l4mN+0otkL3V:xWw;D/"
        "YE\\h6Xy\x09u8UQ",
        "7~ZE:yY'vcbMQSR "
        "&Tq+f*X\x7f{01lI?x?_?)$/93o!u(BFJ\\H6K}]jPi#\x09pet,wD?m|C8^[nWL4r%VshUG25."
        "dO;-Aaz\"`kN=g",
        "i,er[fuLEv*C3B cJZ8y2Wl+FRO=p?{?Q?z~;GAwV_&xndtg}h5\"U:`jqoI\\]'Y%|#m(19\x7f"
        "6T4bN0^s\x09Ka$"
        "MkD!7SXH.P-)?/",
};

/* Which table the character at position m (mod 64) goes through. */
static const uint8_t PICK[64] = {
        1, 2, 0, 1, 2, 0, 2, 0, 0, 2, 0, 2, 1, 0, 2, 0, 1, 0, 2, 0, 1, 1,
        2, 0, 0, 2, 1, 0, 2, 0, 0, 2, 1, 1, 0, 2, 0, 2, 0, 1, 0, 1, 1, 2,
        0, 1, 0, 2, 1, 0, 2, 0, 1, 1, 2, 0, 0, 1, 1, 2, 0, 1, 0, 2,
};

static const char ESC_CODE[] = "&#*!$", ESC_CHAR[] = "\n\r><@";

static unsigned plain_of(unsigned k)
{
        return k == 0 ? '\t' : ' ' + k - 1;
}

static void make_decode(uint8_t dec[3][128])
{
        for (unsigned p = 0; p < 3; p++) {
                for (unsigned c = 0; c < 128; c++)
                        dec[p][c] = (uint8_t)c;
                for (unsigned k = 0; k < 97; k++) {
                        unsigned c = plain_of(k);

                        if (c != '<' && c != '>' && c != '@')
                                dec[p][(uint8_t)ENC[p][k]] = (uint8_t)c;
                }
        }
}

/* NUM_LEN base64 digits and "==" at s (at least NUM_LEN + 2 bytes): a 32-bit number, little
 * endian. Returns false if they are not that. */
static bool read_number(const char *s, uint32_t *ret)
{
        int d[NUM_LEN];
        uint8_t b[4];

        for (unsigned i = 0; i < NUM_LEN; i++)
                if ((d[i] = base64_digit(s[i])) < 0)
                        return false;
        if (s[NUM_LEN] != '=' || s[NUM_LEN + 1] != '=')
                return false;
        b[0] = (uint8_t)(d[0] << 2 | d[1] >> 4);
        b[1] = (uint8_t)((d[1] & 15) << 4 | d[2] >> 2);
        b[2] = (uint8_t)((d[2] & 3) << 6 | d[3]);
        b[3] = (uint8_t)(d[4] << 2 | d[5] >> 4);
        *ret = read_le32(b);
        return true;
}

static void write_number(uint32_t v, char *out)
{
        static const char digits[] =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

        out[0] = digits[b[0] >> 2];
        out[1] = digits[(b[0] & 3) << 4 | b[1] >> 4];
        out[2] = digits[(b[1] & 15) << 2 | b[2] >> 6];
        out[3] = digits[b[2] & 63];
        out[4] = digits[b[3] >> 2];
        out[5] = digits[(b[3] & 3) << 4];
        out[6] = out[7] = '=';
}

static const char *find_start(const char *s, const char *end)
{
        for (; s + START_LEN + NUM_LEN + 2 <= end; s++)
                if (memcmp(s, START, START_LEN) == 0)
                        return s;
        return NULL;
}

bool script_is_encoded(const char *data, size_t size)
{
        const char *s = find_start(data, data + size);
        uint32_t len;

        return s && read_number(s + START_LEN, &len);
}

/* Decodes the len characters of a block's body at q into out + *n, adding their codes to *sum;
 * returns where the body ends. With dbcs, a byte of 0x80 or above leads a character of a
 * double-byte code page: it and the byte after it are copied as they are, count as one
 * character, and neither add to the sum nor move the table sequence on (as the encoder wrote
 * GBK pages: the sums match). Else such bytes are copied alone and a UTF-8 continuation byte is
 * not counted as a character. */
static const char *decode_block(const uint8_t dec[3][128], const char *q, const char *end,
                                uint32_t len, bool dbcs, char *out, size_t *n, uint32_t *sum)
{
        unsigned m = 0;

        while (len > 0 && q < end) {
                uint8_t c = (uint8_t)*q++;

                if (c == '@' && q < end) {
                        const char *e = strchr(ESC_CODE, *q);

                        c = e && *q ? (uint8_t)ESC_CHAR[e - ESC_CODE] : (uint8_t)*q;
                        q++;
                        len = len > 1 ? len - 2 : 0;
                        out[(*n)++] = (char)c;
                        *sum += c;
                        m++;
                        continue;
                }
                if (c < 0x80) {
                        c = dec[PICK[m % 64]][c];
                        *sum += c;
                        m++;
                } else if (dbcs && q < end) {
                        /* one character, outside the sum and the table sequence */
                        out[(*n)++] = (char)c;
                        out[(*n)++] = *q++;
                        len--;
                        continue;
                }
                out[(*n)++] = (char)c;
                /* the length counts characters: a UTF-8 continuation byte is not one */
                if ((c & 0xc0) != 0x80 || c < 0x80)
                        len--;
        }
        return q;
}

/* Whether the checksum after a block's body at q is sum. */
static bool sum_follows(const char *q, const char *end, uint32_t sum)
{
        uint32_t want;

        return q + NUM_LEN + 2 <= end && read_number(q, &want) && want == sum;
}

int script_decode(const char *data, size_t size, char **ret, size_t *ret_size,
                  unsigned *ret_bad_sums)
{
        const char *p = data, *end = data + size, *s;
        uint8_t dec[3][128];
        unsigned bad = 0;
        size_t n = 0;
        int blocks = 0;
        /* decoding never makes text longer */
        char *out = malloc(size + 1);

        if (!out)
                return -ENOMEM;
        make_decode(dec);
        while ((s = find_start(p, end))) {
                uint32_t len, sum = 0, want;
                const char *q = s + START_LEN + NUM_LEN + 2;

                if (!read_number(s + START_LEN, &len)) {
                        memcpy(out + n, p, (size_t)(s + 1 - p));
                        n += (size_t)(s + 1 - p);
                        p = s + 1;
                        continue;
                }
                memcpy(out + n, p, (size_t)(s - p));
                n += (size_t)(s - p);
                size_t n0 = n;
                const char *body = q;
                q = decode_block(dec, body, end, len, false, out, &n, &sum);
                /* A block whose sum is wrong may be text of a double-byte code page (GBK, Big5,
                 * Shift JIS), whose trail bytes the encoder copies as they are: decoded so,
                 * kept when its sum is right. */
                if (!sum_follows(q, end, sum)) {
                        size_t n1 = n0;
                        uint32_t sum1 = 0;
                        const char *q1 = decode_block(dec, body, end, len, true, out, &n1, &sum1);

                        if (sum_follows(q1, end, sum1)) {
                                q = q1, n = n1, sum = sum1;
                        } else {
                                n = n0, sum = 0;
                                q = decode_block(dec, body, end, len, false, out, &n, &sum);
                        }
                }
                if (q + NUM_LEN + 2 <= end && read_number(q, &want)) {
                        if (want != sum)
                                bad++;
                        q += NUM_LEN + 2;
                } else
                        bad++;
                if ((size_t)(end - q) >= strlen(END) && memcmp(q, END, strlen(END)) == 0)
                        q += strlen(END);
                p = q;
                blocks++;
        }
        memcpy(out + n, p, (size_t)(end - p));
        n += (size_t)(end - p);
        out[n] = 0;
        *ret = out;
        *ret_size = n;
        if (ret_bad_sums)
                *ret_bad_sums = bad;
        return blocks;
}

int script_encode(const char *text, size_t size, char **ret, size_t *ret_size)
{
        /* at most two characters for one, the markers and numbers around them */
        char *out = malloc(2 * size + 2 * START_LEN + 2 * (NUM_LEN + 2) + 1);
        size_t n = START_LEN + NUM_LEN + 2;
        uint32_t sum = 0;
        unsigned m = 0;

        if (!out)
                return -ENOMEM;
        memcpy(out, START, START_LEN);
        for (size_t i = 0; i < size; i++) {
                uint8_t c = (uint8_t)text[i];
                const char *e = c ? strchr(ESC_CHAR, c) : NULL;

                if (e) {
                        out[n++] = '@';
                        out[n++] = ESC_CODE[e - ESC_CHAR];
                } else if (c == '\t' || (c >= ' ' && c < 0x80))
                        out[n++] = ENC[PICK[m % 64]][c == '\t' ? 0 : c - ' ' + 1];
                else
                        out[n++] = (char)c;
                if (c < 0x80) {
                        sum += c;
                        m++;
                }
        }
        write_number((uint32_t)(n - START_LEN - NUM_LEN - 2), out + START_LEN);
        write_number(sum, out + n);
        n += NUM_LEN + 2;
        memcpy(out + n, END, strlen(END));
        n += strlen(END);
        out[n] = 0;
        *ret = out;
        *ret_size = n;
        return 0;
}
