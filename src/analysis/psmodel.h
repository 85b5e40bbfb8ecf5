/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A linear model over the vocabulary of a PowerShell script: offensive tools written in plain,
 * readable PowerShell (AD and Azure reconnaissance, password spraying, credential and hash
 * grabbing, logging and Defender tampering, tunnels) share no structure anomaly and no string,
 * but they use together cmdlets, .NET types, Win32 functions, LDAP attributes and protocol
 * words that admin scripts do not. The script's tokens (identifiers, Verb-Noun names, type and
 * member names, words inside strings; comments and URLs left out), lower-cased, are hashed
 * into PSMODEL_BUCKETS buckets, presence only (analysis/vocab.h); the score is a bias plus the
 * weight of every bucket present, as tools/train-psmodel.py trained it
 * (src/analysis/psmodel-table.c). */

#include <stddef.h>
#include <stdint.h>

#include "analysis/vocab.h"

#define PSMODEL_BUCKET_BITS VOCAB_BUCKET_BITS
#define PSMODEL_BUCKETS     VOCAB_BUCKETS
/* The bytes read: texts beyond are modelled over their first 16 MiB only. */
#define PSMODEL_MAX_INPUT (16u << 20)
/* Tokens longer than this (base64, hashes) are not words of a vocabulary: left out. */
#define PSMODEL_TOKEN_MAX VOCAB_TOKEN_MAX

/* What the tokenizer hashes besides the words of code (the table says which it was trained
 * with: psmodel_table_flags). */
enum {
        PSMODEL_STRING_WORDS = 1 << 0, /* words inside string literals and here-strings */
        PSMODEL_PAIRS = 1 << 1,        /* each pair of adjacent tokens, as a token of its own */
};

struct psmodel_features {
        uint64_t bits[PSMODEL_BUCKETS / 64]; /* the buckets present */
        uint32_t tokens;                     /* tokens hashed (pairs not counted) */
};

/* The generated table (src/analysis/psmodel-table.c): weights and bias in thousandths of a
 * logit, and the tokenizer flags they were trained with. */
extern const int16_t psmodel_weights[PSMODEL_BUCKETS];
extern const int32_t psmodel_bias;
extern const unsigned psmodel_table_flags;

/* 32-bit FNV-1a of n bytes, ASCII letters lower-cased. Returns the hash. */
uint32_t psmodel_hash(const char *s, size_t n);

/* Calls hashed(userdata, h) with the psmodel_hash() of every token of the text s (n bytes) read
 * as PowerShell, in order (and of every pair, with PSMODEL_PAIRS). One pass, bounded by n, no
 * allocation. Returns how many tokens there were (pairs not counted). */
uint32_t psmodel_tokens(const char *s, size_t n, unsigned flags,
                        void (*hashed)(void *userdata, uint32_t h), void *userdata);

/* Hashes the tokens of the text s (n bytes) read as PowerShell into ret. One pass, bounded by
 * n, no allocation. */
void psmodel_features(const char *s, size_t n, unsigned flags, struct psmodel_features *ret);

/* Returns the model's score of the text s (n bytes): the logit that it is an offensive tool,
 * in thousandths (0 is even odds; positive says offensive). */
int64_t psmodel_score(const char *s, size_t n);
