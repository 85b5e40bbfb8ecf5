/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by the measurements of text and content (shape.h). */

#include <math.h>

#include "analysis/shape.h"

double byte_entropy(const void *p, size_t len, int64_t *ret_alphabet)
{
        const unsigned char *d = p;
        size_t count[256] = {0};
        double h = 0;
        int64_t distinct = 0;

        for (size_t k = 0; k < len; k++)
                count[d[k]]++;
        for (size_t c = 0; c < 256; c++)
                if (count[c]) {
                        double f = (double)count[c] / (double)len;
                        h -= f * log2(f);
                        distinct++;
                }
        if (ret_alphabet)
                *ret_alphabet = distinct;
        return h;
}
