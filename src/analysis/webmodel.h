/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A linear model over the vocabulary of a server-side script (PHP, ASP/ASPX, JSP, Perl CGI):
 * file managers, database consoles, uploaders, mailers, IRC bots, scanners and loaders share
 * no flow that webshape.c follows and no string across authors, but they name together what
 * applications name rarely together (uname, safe_mode, disable_functions, passthru, chmod,
 * wget, gzinflate, "Upload", "Execute", "Server IP", backconnect, PRIVMSG...). The script's
 * tokens (identifiers, function and method names, variables without their sigil, words inside
 * strings and in the HTML text around the code; comments, URLs, numbers, escapes and long
 * base64 runs left out), lower-cased, are hashed into WEBMODEL_BUCKETS buckets, presence only
 * (analysis/vocab.h); the score is a bias plus the weight of every bucket present, as
 * tools/train-webmodel.py trained it (src/analysis/webmodel-table.c). */

#include <stddef.h>
#include <stdint.h>

#include "analysis/vocab.h"

#define WEBMODEL_BUCKETS VOCAB_BUCKETS
/* The bytes read: texts beyond are modelled over their first 4 MiB only. */
#define WEBMODEL_MAX_INPUT (4u << 20)
/* A run of base64's alphabet this long (no blank, quote or operator in it) is a blob, not
 * words: left out whole. */
#define WEBMODEL_BLOB_MIN 48

/* What the tokenizer hashes besides single tokens (the table says which it was trained with:
 * webmodel_table_flags). */
enum {
        WEBMODEL_PAIRS = 1 << 0, /* each pair of adjacent tokens, as a token of its own */
};

struct webmodel_features {
        uint64_t bits[WEBMODEL_BUCKETS / 64]; /* the buckets present */
        uint32_t tokens;                      /* tokens hashed (pairs not counted) */
};

/* The generated table (src/analysis/webmodel-table.c): weights and bias in thousandths of a
 * logit, and the tokenizer flags they were trained with. */
extern const int16_t webmodel_weights[WEBMODEL_BUCKETS];
extern const int32_t webmodel_bias;
extern const unsigned webmodel_table_flags;

/* Calls hashed(userdata, h) with the vocab_hash() of every token of the text s (n bytes) read
 * as a script of language (enum webshape_language: its comments), in order (and of every
 * pair, with WEBMODEL_PAIRS). One pass, bounded by n and WEBMODEL_MAX_INPUT, no allocation.
 * Returns how many tokens there were (pairs not counted). */
uint32_t webmodel_tokens(const char *s, size_t n, int language, unsigned flags,
                         void (*hashed)(void *userdata, uint32_t h), void *userdata);

/* Hashes the tokens of the text s (n bytes) into ret. */
void webmodel_features(const char *s, size_t n, int language, unsigned flags,
                       struct webmodel_features *ret);

/* Returns the model's score of the text s (n bytes) read as a script of language: the logit
 * that it is a web shell or server-side backdoor, in thousandths (0 is even odds; positive says
 * malicious). */
int64_t webmodel_score(const char *s, size_t n, int language);
