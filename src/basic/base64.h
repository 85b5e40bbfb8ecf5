/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The value of one base64 digit (RFC 4648, section 4), or -1 for anything else. */
static inline int base64_digit(int c)
{
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* The same, also taking the URL-safe alphabet's '-' and '_' (section 5). */
static inline int base64_digit_any(int c)
{
        return c == '-' ? 62 : c == '_' ? 63 : base64_digit(c);
}

/* Decodes the base64 digits of s[0..len) into out, at most cap bytes, skipping whatever is not
 * a digit (line breaks, spaces, padding): lenient, as a scanner reading hostile text must be.
 * Returns the bytes written. */
static inline size_t base64_decode_lenient(const uint8_t *s, size_t len, uint8_t *out, size_t cap)
{
        uint32_t acc = 0;
        unsigned bits = 0;
        size_t n = 0;

        for (size_t i = 0; i < len && n < cap; i++) {
                int v = base64_digit(s[i]);
                if (v < 0)
                        continue;
                acc = acc << 6 | (uint32_t)v;
                bits += 6;
                if (bits >= 8) {
                        bits -= 8;
                        out[n++] = (uint8_t)(acc >> bits);
                }
        }
        return n;
}
