/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* JavaScript whose strings sit in an array that a decoder function hands out (the output of
 * javascript-obfuscator and obfuscator.io: _0x names, a rotated string array, base64 or RC4
 * encoding, wrapper functions with shifted indexes) and Dean Edwards' packer
 * (eval(function(p,a,c,k,e,d){...}('...',62,N,'...'.split('|'),0,{}))), read statically: the
 * array is rotated as its own check would rotate it, and every call of the decoder (or of an
 * alias or wrapper of it) with constant arguments is replaced by the string it returns, so
 * that the rules read the names the script uses. Nothing is run; the work is bounded by the
 * size of the input. */

#include <stddef.h>
#include <stdint.h>

/* The largest input jsdeobf_decode() reads; larger text is left as it is. */
#define JSDEOBF_MAX_INPUT (8u << 20)

/* Decodes s (n bytes). On success with something decoded, sets *ret (NUL-terminated, to be
 * freed) and *ret_len and returns the number of calls replaced or packers unpacked (> 0).
 * Returns 0 when there was nothing to decode (ret untouched), or -ENOMEM. */
int jsdeobf_decode(const char *s, size_t n, char **ret, size_t *ret_len);
