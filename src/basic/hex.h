/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The value of the hexadecimal digit c (either case), or -1 for anything else; c may be a
 * (signed) char or a byte. */
static inline int hex_digit(int c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}
