/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The Windows Script Encoder's format (screnc.exe; JScript.Encode, VBScript.Encode; .jse, .vbe
 * and encoded <script> blocks of .wsf/.hta/.asp): a block "#@~^" LLLLLL "==" DATA CCCCCC "=="
 * "^#~@", where LLLLLL is the length of DATA and CCCCCC the sum of the decoded characters, each
 * 32 bits little-endian in base64, and DATA is the text with each ASCII character substituted
 * through one of three tables, chosen by the character's position modulo 64; "@&", "@#", "@*",
 * "@!" and "@$" stand for LF, CR, '>', '<' and '@'. docs/wsh.md describes it. */

#include <stdbool.h>
#include <stddef.h>

/* Whether data holds the start of an encoded block. */
bool script_is_encoded(const char *data, size_t size);

/* Copies data to *ret (NUL-terminated, to be freed; *ret_size without the NUL) with every
 * encoded block replaced by its text. Sets *ret_bad_sums to the number of blocks whose
 * checksum did not match (decoded all the same). Returns the number of blocks decoded (0: none,
 * and *ret is a copy), or -ENOMEM. A block cut short is decoded as far as it goes. */
int script_decode(const char *data, size_t size, char **ret, size_t *ret_size,
                  unsigned *ret_bad_sums);

/* Encodes text (ASCII) as one block, for tests. Returns 0 or -ENOMEM. */
int script_encode(const char *text, size_t size, char **ret, size_t *ret_size);
