/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "analysis/dotnetblob.h"

#include <string.h>
#include <zlib.h>

#include "basic/base64.h"
#include "basic/unaligned.h"

/* IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR: the CLR runtime header of a managed image. */
#define CLR_DIRECTORY 14

bool dotnetblob_pe_is_clr(const uint8_t *b, size_t n)
{
        if (n < 0x40 || b[0] != 'M' || b[1] != 'Z')
                return false;
        size_t pe = read_le32(b + 0x3c);
        /* signature (4), file header (20), then the optional header */
        if (pe > n || n - pe < 24 + 2 || memcmp(b + pe, "PE\0\0", 4) != 0)
                return false;
        size_t opt = pe + 24;
        uint16_t magic = read_le16(b + opt);
        size_t count_at, dirs_at;
        if (magic == 0x10b)
                count_at = opt + 92, dirs_at = opt + 96;
        else if (magic == 0x20b)
                count_at = opt + 108, dirs_at = opt + 112;
        else
                return false;
        size_t clr_at = dirs_at + CLR_DIRECTORY * 8;
        if (clr_at > n || n - clr_at < 8 || count_at + 4 > n)
                return false;
        if (read_le32(b + count_at) <= CLR_DIRECTORY)
                return false;
        return read_le32(b + clr_at) != 0 && read_le32(b + clr_at + 4) != 0;
}

size_t inflate_prefix(const uint8_t *in, size_t n, int window_bits, uint8_t *out, size_t cap)
{
        z_stream z = {0};
        size_t got = 0;

        if (inflateInit2(&z, window_bits) != Z_OK)
                return 0;
        z.next_in = (Bytef *)in;
        z.avail_in = (uInt)n;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        int k = inflate(&z, Z_SYNC_FLUSH);
        if (k == Z_OK || k == Z_STREAM_END || k == Z_BUF_ERROR)
                got = cap - z.avail_out;
        inflateEnd(&z);
        return got;
}

bool dotnetblob_is_assembly(const uint8_t *s, size_t len)
{
        uint8_t raw[DOTNETBLOB_MAX_INPUT / 4 * 3];
        uint8_t out[DOTNETBLOB_MAX_OUTPUT];
        size_t n = base64_decode_lenient(s, len < DOTNETBLOB_MAX_INPUT ? len : DOTNETBLOB_MAX_INPUT,
                                         raw, sizeof(raw));

        if (n < 0x40)
                return false;
        if (raw[0] == 'M' && raw[1] == 'Z')
                return dotnetblob_pe_is_clr(raw, n);
        int window_bits;
        if (raw[0] == 0x1f && raw[1] == 0x8b && raw[2] == 8)
                window_bits = 16 + MAX_WBITS;
        else if ((raw[0] & 0x0f) == 8 && (raw[0] >> 4) <= 7 && ((raw[0] << 8) | raw[1]) % 31 == 0)
                window_bits = MAX_WBITS;
        else
                window_bits = -MAX_WBITS;
        size_t m = inflate_prefix(raw, n, window_bits, out, sizeof(out));
        return m >= 0x40 && dotnetblob_pe_is_clr(out, m);
}
