/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* The measurements of jsshape.c, psshape.c, pageshape.c and webshape.c are structs of
 * int64_t counts, one per rule variable. Merges b into a, field by field, keeping the larger:
 * what a node's texts (raw, normalised, decoded) showed at most. size is sizeof the struct. */
static inline void shape_merge_max(void *a, const void *b, size_t size)
{
        int64_t *x = a;
        const int64_t *y = b;

        for (size_t k = 0; k < size / sizeof(int64_t); k++)
                if (y[k] > x[k])
                        x[k] = y[k];
}

/* The Shannon entropy of len bytes at p, in bits per byte (0 for none); the number of distinct
 * bytes in *ret_alphabet when it is not NULL. */
double byte_entropy(const void *p, size_t len, int64_t *ret_alphabet);

/* byte_entropy() in hundredths of a bit, as the rule variables give it. */
static inline int64_t entropy_centibits(const char *p, size_t len, int64_t *ret_alphabet)
{
        return (int64_t)(byte_entropy(p, len, ret_alphabet) * 100 + 0.5);
}

/* The first place in s[0, n) where word (in lower case) stands, in any case; NULL if none. */
static inline const char *find_nocase(const char *s, size_t n, const char *word)
{
        size_t len = strlen(word);

        for (size_t i = 0; i + len <= n; i++)
                if (tolower((unsigned char)s[i]) == word[0] && !strncasecmp(s + i, word, len))
                        return s + i;
        return NULL;
}
