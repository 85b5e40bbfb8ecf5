/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A linear model over the vocabulary of JavaScript (JScript and WSH droppers, .hta and .wsf
 * tools, scripts injected into web pages): droppers and injected loaders share no string across
 * campaigns and hide their sinks from jsshape.c's walk behind indirection, but they name
 * together what libraries and sites' own scripts name rarely together (ActiveXObject,
 * WScript, Shell, Run, ExpandEnvironmentStrings, TEMP, responseBody, SaveToFile, charCodeAt,
 * fromCharCode, createElement("script"), referrer, cookie, iframe, visibility, the _0x names of
 * obfuscator.io...). The script's tokens (identifiers, property and method names, words inside
 * strings; comments, URLs, numbers, escapes and long base64 runs left out), lower-cased, are
 * hashed into JSMODEL_BUCKETS buckets, presence only (analysis/vocab.h); the score is a bias
 * plus the weight of every bucket present, as tools/train-jsmodel.py trained it
 * (src/analysis/jsmodel-table.c). A page is scored by its inline <script> bodies, each alone
 * (an injected script is a small part of its page): the highest score. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/vocab.h"

#define JSMODEL_BUCKETS VOCAB_BUCKETS
/* The bytes read: texts beyond are modelled over their first 4 MiB only. */
#define JSMODEL_MAX_INPUT (4u << 20)
/* A run of base64's alphabet this long (no blank, quote or operator in it) is a blob, not
 * words: left out whole. */
#define JSMODEL_BLOB_MIN 48
/* A page's <script> bodies scored: at most this many, each of at least JSMODEL_BLOCK_MIN
 * bytes (a shorter one names too little to be scored alone). */
#define JSMODEL_MAX_BLOCKS 64
#define JSMODEL_BLOCK_MIN  64

/* What the tokenizer hashes besides single tokens (the table says which it was trained with:
 * jsmodel_table_flags). */
enum {
        JSMODEL_PAIRS = 1 << 0, /* each pair of adjacent tokens, as a token of its own */
};

struct jsmodel_features {
        uint64_t bits[JSMODEL_BUCKETS / 64]; /* the buckets present */
        uint32_t tokens;                     /* tokens hashed (pairs not counted) */
};

/* The generated table (src/analysis/jsmodel-table.c): weights and bias in thousandths of a
 * logit, and the tokenizer flags they were trained with. */
extern const int16_t jsmodel_weights[JSMODEL_BUCKETS];
extern const int32_t jsmodel_bias;
extern const unsigned jsmodel_table_flags;

/* Calls hashed(userdata, h) with the vocab_hash() of every token of the script s (n bytes), in
 * order (and of every pair, with JSMODEL_PAIRS). A name of obfuscator.io's form (_0x and hex
 * digits) is the token "_0x". One pass, bounded by n and JSMODEL_MAX_INPUT, no allocation.
 * Returns how many tokens there were (pairs not counted). */
uint32_t jsmodel_tokens(const char *s, size_t n, unsigned flags,
                        void (*hashed)(void *userdata, uint32_t h), void *userdata);

/* Hashes the tokens of the script s (n bytes) into ret. */
void jsmodel_features(const char *s, size_t n, unsigned flags, struct jsmodel_features *ret);

/* Returns the model's score of the script s (n bytes): the logit that it is a dropper or an
 * injected script, in thousandths (0 is even odds; positive says malicious). */
int64_t jsmodel_score(const char *s, size_t n);

/* Calls block(userdata, body, len) for each inline <script> body of the page s (n bytes) of at
 * least JSMODEL_BLOCK_MIN bytes, at most JSMODEL_MAX_BLOCKS of them. Returns how many. */
size_t jsmodel_blocks(const char *s, size_t n,
                      void (*block)(void *userdata, const char *body, size_t len), void *userdata);

/* The bytes jsmodel_reads_as_javascript() looks at. */
#define JSMODEL_SNIFF (64u << 10)

/* Whether the text s (n bytes) may be scored whole as JavaScript: it does not open with a tag
 * (a page, an XML document: scored by their <script> bodies, if at all), holds a ';' or a '{',
 * and none of the words of VBScript and VBA (End Sub, End Function, End If, Attribute VB_),
 * PowerShell (Write-Host, $env:, New-Object, -ErrorAction) or batch files (@echo off) in its
 * first JSMODEL_SNIFF bytes: the model was trained on JavaScript, and another language's
 * downloader is another id. */
bool jsmodel_reads_as_javascript(const char *s, size_t n);

/* Returns the highest score of the page s's (n bytes) inline <script> bodies that are not
 * VBScript (jsmodel_reads_as_javascript()'s words); *ret_blocks (when not NULL) says how many
 * were scored (0: none, and the score is 0). */
int64_t jsmodel_score_page(const char *s, size_t n, size_t *ret_blocks);
