/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <string.h>

#include "escape.h"

size_t utf8_sequence_length(const unsigned char *s, size_t left, uint32_t *ret_cp)
{
        size_t n;
        uint32_t cp;

        if (left == 0)
                return 0;
        if (s[0] < 0x80) {
                if (ret_cp)
                        *ret_cp = s[0];
                return 1;
        }
        if ((s[0] & 0xe0) == 0xc0) {
                n = 2;
                cp = s[0] & 0x1f;
        } else if ((s[0] & 0xf0) == 0xe0) {
                n = 3;
                cp = s[0] & 0x0f;
        } else if ((s[0] & 0xf8) == 0xf0) {
                n = 4;
                cp = s[0] & 0x07;
        } else
                return 0;
        if (n > left)
                return 0;
        for (size_t i = 1; i < n; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        if (ret_cp)
                *ret_cp = cp;
        return n;
}

void fputs_escaped(FILE *f, const char *s)
{
        const unsigned char *p = (const unsigned char *)s;

        while (p && *p) {
                uint32_t cp = 0;
                size_t n = utf8_sequence_length(p, strnlen((const char *)p, 4), &cp);

                if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
                        if (n == 0)
                                n = 1;
                        for (size_t i = 0; i < n; i++)
                                fprintf(f, "\\x%02x", p[i]);
                } else
                        fwrite(p, 1, n, f);
                p += n;
        }
}
