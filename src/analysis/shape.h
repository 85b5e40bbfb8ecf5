/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

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
