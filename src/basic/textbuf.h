/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A text buffer that grows as it is written, always NUL-terminated once written to. A failed
 * allocation sets oom and makes every later write a no-op, so that a writer checks once, at
 * the end. textbuf_putc() is inline: the normalisers write a byte at a time on their hot path. */

#include <stdbool.h>
#include <stddef.h>

struct textbuf {
        char *p;
        size_t len, cap;
        bool oom;
};

void textbuf_put(struct textbuf *b, const char *s, size_t n);

static inline void textbuf_putc(struct textbuf *b, char c)
{
        if (b->len + 2 <= b->cap) {
                b->p[b->len++] = c;
                b->p[b->len] = 0;
                return;
        }
        textbuf_put(b, &c, 1);
}

/* Room for about n more bytes, so that a pass over n bytes seldom grows its output. */
void textbuf_reserve(struct textbuf *b, size_t n);
