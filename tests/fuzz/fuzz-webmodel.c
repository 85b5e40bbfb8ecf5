/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The web vocabulary model's tokenizer (analysis/webmodel.h) on any text, read as each
 * language: it must end, call back no more tokens than the text has room for, and score it as
 * the features say. */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/webmodel.h"
#include "analysis/webshape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *userdata, uint32_t h)
{
        (void)h;
        (*(size_t *)userdata)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        for (int language = WEBSHAPE_NONE; language <= WEBSHAPE_PERL; language++) {
                struct webmodel_features f;
                size_t calls = 0;
                uint32_t tokens = webmodel_tokens((const char *)data, size, language,
                                                  WEBMODEL_PAIRS, count, &calls);
                /* a token takes two bytes and a separator; each but the first adds a pair */
                if ((size_t)tokens > size / 2 + 1 || calls > 2 * (size_t)tokens)
                        abort();
                webmodel_features((const char *)data, size, language, webmodel_table_flags, &f);
                int64_t score = webmodel_bias;
                for (size_t b = 0; b < WEBMODEL_BUCKETS; b++)
                        if (f.bits[b / 64] >> (b % 64) & 1)
                                score += webmodel_weights[b];
                if (score != webmodel_score((const char *)data, size, language))
                        abort();
        }
        return 0;
}
