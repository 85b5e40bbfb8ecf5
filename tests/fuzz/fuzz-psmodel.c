/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The PowerShell vocabulary model's tokenizer (analysis/psmodel.h) on any text: it must end,
 * call back no more tokens than the text has room for, and score it as the features say. */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/psmodel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void count(void *userdata, uint32_t h)
{
        (void)h;
        (*(size_t *)userdata)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct psmodel_features f;
        size_t calls = 0;
        uint32_t tokens;

        tokens = psmodel_tokens((const char *)data, size, PSMODEL_STRING_WORDS | PSMODEL_PAIRS,
                                count, &calls);
        /* a token takes two bytes and a separator; each but the first adds a pair */
        if ((size_t)tokens > size / 2 + 1 || calls > 2 * (size_t)tokens)
                abort();
        psmodel_features((const char *)data, size, psmodel_table_flags, &f);
        int64_t score = psmodel_bias;
        for (size_t b = 0; b < PSMODEL_BUCKETS; b++)
                if (f.bits[b / 64] >> (b % 64) & 1)
                        score += psmodel_weights[b];
        if (score != psmodel_score((const char *)data, size))
                abort();
        return 0;
}
