/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"

void textbuf_put(struct textbuf *b, const char *s, size_t n)
{
        if (b->oom)
                return;
        if (b->len + n + 1 > b->cap) {
                size_t cap = (b->len + n + 1) * 2;
                char *p = realloc(b->p, cap);
                if (!p) {
                        b->oom = true;
                        return;
                }
                b->p = p;
                b->cap = cap;
        }
        memcpy(b->p + b->len, s, n);
        b->len += n;
        b->p[b->len] = 0;
}

void textbuf_reserve(struct textbuf *b, size_t n)
{
        size_t len = b->len;
        char *p;

        textbuf_put(b, "", 0);
        if (b->oom || b->cap >= len + n + 1)
                return;
        p = realloc(b->p, len + n + 1);
        if (!p) {
                b->oom = true;
                return;
        }
        b->p = p;
        b->cap = len + n + 1;
}
