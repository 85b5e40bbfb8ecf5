/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PHP's string decoders evaluated over a literal, as packed web shells and injected backdoors
 * nest them: eval(gzinflate(str_rot13(base64_decode('...')))). The normaliser writes what the
 * calls return in their place, so that the rules read the code they hide. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most a call (all its layers) may decode to, and the deepest nesting taken. */
#define PHP_DECODE_MAX_OUTPUT (1u << 20)
#define PHP_DECODE_MAX_DEPTH  8
/* The longest literal an XOR of literals is read from: names, not code. */
#define PHP_XOR_MAX_LITERAL 256

/* Evaluates the call of a decoder that starts at s[i] (base64_decode, gzinflate, gzuncompress,
 * gzdecode, str_rot13, strrev, hex2bin, urldecode, rawurldecode, each optionally behind @) whose
 * argument is a literal or another such call; or of str_replace / str_ireplace whose search and
 * replacement are literals and whose subject is either. On success sets *ret (to be freed;
 * NUL-terminated beyond *ret_len), *ret_len and *ret_end (the index after the outer call's
 * parenthesis) and returns 1; returns 0 when s[i] starts no such call or a layer does not decode
 * (corrupt compressed data, more than PHP_DECODE_MAX_OUTPUT bytes), -ENOMEM when memory runs out.
 */
int php_decode_call(const char *s, size_t n, size_t i, uint8_t **ret, size_t *ret_len,
                    size_t *ret_end);

/* Evaluates PHP's XOR of string literals at s[i] ('*upg!'^"i\x275&u" ^ ...), each literal with
 * its escapes undone, as far as the shortest goes. On success sets *ret (to be freed;
 * NUL-terminated beyond *ret_len), *ret_len and *ret_end (the index after the last literal) and
 * returns 1; returns 0 when s[i] starts no XOR of literals. */
int php_xor_literals(const char *s, size_t n, size_t i, uint8_t **ret, size_t *ret_len,
                     size_t *ret_end);

/* The longest name php_decoder_name() knows ("base64_decode"). */
#define PHP_DECODER_NAME_MAX 13

/* Whether name[0..len) names, in any case, a decoder php_decode_call evaluates; str_replace and
 * str_ireplace (which take three arguments, not one string) only when replace is true. */
bool php_decoder_name(const char *name, size_t len, bool replace);

/* The call of a PHP string function through its name as a literal, as packers write it once a
 * variable holding the name is read as the literal: 'str_replace'("x", "", "...") or
 * ("base64_decode")("..."). At s[i] (a quote, or an opening parenthesis before one) a literal
 * naming one of the decoders php_decode_call evaluates, or chr, followed by the call's
 * parenthesis. Not a runner (assert, create_function): the rules read those quoted. On success
 * sets *ret_name and *ret_name_len (the name inside s) and *ret_end (the index of the call's
 * opening parenthesis) and returns 1; returns 0 otherwise. Reads at most a few dozen bytes. */
int php_literal_callee(const char *s, size_t n, size_t i, size_t *ret_name, size_t *ret_name_len,
                       size_t *ret_end);
