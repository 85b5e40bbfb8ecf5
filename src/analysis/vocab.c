/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shared part of the vocabulary models (analysis/vocab.h). */
#include "analysis/vocab.h"

#define FNV_OFFSET 2166136261u
#define FNV_PRIME  16777619u

static inline unsigned char lower(unsigned char c)
{
        return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

uint32_t vocab_hash(const char *s, size_t n)
{
        uint32_t h = FNV_OFFSET;

        for (size_t i = 0; i < n; i++) {
                h ^= lower((unsigned char)s[i]);
                h *= FNV_PRIME;
        }
        return h;
}

void vocab_emit(struct vocab_sink *sink, const char *s, size_t n)
{
        unsigned char c = n > 0 ? (unsigned char)s[0] : 0;
        uint32_t h;

        if (n < 2 || n > VOCAB_TOKEN_MAX ||
            !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
                return;
        h = vocab_hash(s, n);
        sink->hashed(sink->userdata, h);
        if (sink->tokens < UINT32_MAX)
                sink->tokens++;
        /* a pair hashes as the second token's hash folded into the first's: never the hash
         * of a single token but by chance */
        if (sink->pairs && sink->prev != 0)
                sink->hashed(sink->userdata, (sink->prev ^ 0x9e3779b9u) * FNV_PRIME ^ h);
        sink->prev = h;
}

void vocab_set_bucket(void *userdata, uint32_t h)
{
        uint64_t *bits = userdata;
        uint32_t b = h & (VOCAB_BUCKETS - 1);

        bits[b / 64] |= UINT64_C(1) << (b % 64);
}

int64_t vocab_score(const uint64_t *bits, const int16_t *weights, int32_t bias)
{
        int64_t score = bias;

        for (size_t w = 0; w < VOCAB_BUCKETS / 64; w++)
                for (uint64_t b = bits[w]; b; b &= b - 1)
                        score += weights[w * 64 + (size_t)__builtin_ctzll(b)];
        return score;
}
