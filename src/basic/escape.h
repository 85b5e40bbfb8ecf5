/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The length (1..4) of the valid UTF-8 sequence at s, reading at most left bytes, and its
 * code point in *ret_cp (may be NULL); 0 when it is not valid UTF-8 (overlong forms,
 * surrogates and code points past U+10FFFF included). */
size_t utf8_sequence_length(const unsigned char *s, size_t left, uint32_t *ret_cp);

/* Writes s to f so that it cannot drive a terminal or forge a line: C0 controls, DEL, the
 * C1 controls (U+0080..U+009F, which terminals also obey: CSI is U+009B) and bytes that are
 * not valid UTF-8 are written as \xHH, one for each byte; printable UTF-8 is kept as it is.
 * s may be NULL (nothing is written). */
void fputs_escaped(FILE *f, const char *s);
