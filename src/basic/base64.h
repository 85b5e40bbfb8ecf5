/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

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
