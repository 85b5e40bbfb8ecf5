/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JavaScript vocabulary model's tokenizer and page reader (analysis/jsmodel.h) on any text:
 * they must end, call back no more tokens than the text has room for, hand over only bodies
 * inside the text, and score it as the features say. */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/jsmodel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *userdata, uint32_t h)
{
        (void)h;
        (*(size_t *)userdata)++;
}

struct span {
        const char *s;
        size_t n;
};

static void inside(void *userdata, const char *body, size_t len)
{
        const struct span *t = userdata;

        if (body < t->s || len < JSMODEL_BLOCK_MIN || body + len > t->s + t->n)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data;
        struct jsmodel_features f;
        struct span t = {s, size};
        size_t calls = 0, blocks;
        uint32_t tokens = jsmodel_tokens(s, size, JSMODEL_PAIRS, count, &calls);

        /* a token takes two bytes and a separator, "_0x" four; each but the first adds a pair */
        if ((size_t)tokens > size / 2 + 1 || calls > 2 * (size_t)tokens)
                abort();
        jsmodel_features(s, size, jsmodel_table_flags, &f);
        int64_t score = jsmodel_bias;
        for (size_t b = 0; b < JSMODEL_BUCKETS; b++)
                if (f.bits[b / 64] >> (b % 64) & 1)
                        score += jsmodel_weights[b];
        if (score != jsmodel_score(s, size))
                abort();
        if (jsmodel_blocks(s, size, inside, &t) > JSMODEL_MAX_BLOCKS)
                abort();
        score = jsmodel_score_page(s, size, &blocks);
        if (blocks == 0 && score != 0)
                abort();
        return 0;
}
