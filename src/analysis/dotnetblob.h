/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* .NET assemblies carried as base64 in scripts: what offensive PowerShell hands to
 * [Reflection.Assembly]::Load (Rubeus, SharpHound, Seatbelt wrappers), plain or compressed
 * with gzip, zlib or raw deflate (IO.Compression.GzipStream / DeflateStream) before the base64.
 * Only the headers are looked at: at most DOTNETBLOB_MAX_INPUT characters are decoded and at
 * most DOTNETBLOB_MAX_OUTPUT bytes inflated, whatever the length of the run. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOTNETBLOB_MAX_INPUT  8192
#define DOTNETBLOB_MAX_OUTPUT 4096

/* Whether the base64 run s[0..len) (standard alphabet; '=' and other characters are skipped)
 * decodes, directly or through gzip, zlib or raw deflate, to a PE image whose CLR runtime
 * header directory is set: a .NET assembly. */
bool dotnetblob_is_assembly(const uint8_t *s, size_t len);

/* Whether the first n bytes of b hold the headers of a PE image with a CLR runtime header
 * directory. */
bool dotnetblob_pe_is_clr(const uint8_t *b, size_t n);

/* Inflates in[0..n) (window_bits as zlib's inflateInit2 takes them: gzip, zlib or raw deflate)
 * into out, at most cap bytes, whatever follows; returns the bytes written, 0 when the stream is
 * not what window_bits says. Also psinflate's. */
size_t inflate_prefix(const uint8_t *in, size_t n, int window_bits, uint8_t *out, size_t cap);
