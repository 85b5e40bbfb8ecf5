/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the linear vocabulary models share (analysis/psmodel.h for PowerShell,
 * analysis/webmodel.h for server-side scripts): a token's hash (FNV-1a, ASCII letters
 * lower-cased), the filter of which tokens count, the pair of adjacent tokens, the presence
 * bitmap of VOCAB_BUCKETS buckets and the score of a bitmap under a table of weights. Each
 * model has its own tokenizer (what a comment, a string, a URL is in its languages) and hands
 * every token it reads to vocab_emit(). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VOCAB_BUCKET_BITS 14
#define VOCAB_BUCKETS     (1u << VOCAB_BUCKET_BITS)
/* Tokens longer than this (base64, hashes) are not words of a vocabulary: left out. */
#define VOCAB_TOKEN_MAX 40

/* Where a tokenizer's tokens go: hashed(userdata, h) for each token's hash (and each pair's,
 * with pairs set); tokens counts the tokens (pairs not counted). */
struct vocab_sink {
        void (*hashed)(void *userdata, uint32_t h);
        void *userdata;
        uint32_t prev; /* hash of the token before, 0 at the start */
        uint32_t tokens;
        int pairs;
};

/* 32-bit FNV-1a of n bytes, ASCII letters lower-cased. Returns the hash. */
uint32_t vocab_hash(const char *s, size_t n);

/* Hands the token s (n bytes) to the sink, unless it is shorter than two bytes, longer than
 * VOCAB_TOKEN_MAX or opens with neither a letter nor '_' (numbers, hex). */
void vocab_emit(struct vocab_sink *sink, const char *s, size_t n);

/* A vocab_sink callback: sets the bucket of h in the bitmap userdata (VOCAB_BUCKETS bits). */
void vocab_set_bucket(void *userdata, uint32_t h);

/* Returns bias plus the weight of every bucket set in bits (VOCAB_BUCKETS bits). */
int64_t vocab_score(const uint64_t *bits, const int16_t *weights, int32_t bias);

/* The byte classes and text walks the tokenizers share (ASCII only: no locale). */
static inline bool vocab_is_letter(unsigned char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool vocab_is_word(unsigned char c)
{
        return vocab_is_letter(c) || (c >= '0' && c <= '9') || c == '_';
}

static inline bool vocab_is_b64(unsigned char c)
{
        return vocab_is_letter(c) || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

static inline bool vocab_is_blank(unsigned char c)
{
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Where the text s[0, n) ends after the first occurrence of the m bytes of mark at or after i
 * (n without one). */
static inline size_t vocab_past(const unsigned char *s, size_t n, size_t i, const char *mark,
                                size_t m)
{
        const unsigned char *e = i < n ? memmem(s + i, n - i, mark, m) : NULL;
        return e ? (size_t)(e - s) + m : n;
}

/* Where the line at i of s[0, n) ends (its '\n', or n). */
static inline size_t vocab_line_end(const unsigned char *s, size_t n, size_t i)
{
        const unsigned char *e = i < n ? memchr(s + i, '\n', n - i) : NULL;
        return e ? (size_t)(e - s) : n;
}
