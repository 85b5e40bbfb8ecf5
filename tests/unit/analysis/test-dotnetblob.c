/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "analysis/dotnetblob.h"

#define IMAGE_SIZE 3072

/* A PE image's headers (PE32 or PE32+), with the CLR runtime header directory set or not, and
 * bytes after them that compress as code would not (a counter mixed with a constant). */
static void make_image(uint8_t *b, bool pe32_plus, bool clr)
{
        memset(b, 0, IMAGE_SIZE);
        b[0] = 'M', b[1] = 'Z';
        b[0x3c] = 0x80;
        memcpy(b + 0x80, "PE\0\0", 4);
        size_t opt = 0x80 + 24;
        b[opt] = 0x0b, b[opt + 1] = pe32_plus ? 0x02 : 0x01;
        size_t count_at = opt + (pe32_plus ? 108 : 92), dirs_at = opt + (pe32_plus ? 112 : 96);
        b[count_at] = 16;
        if (clr) {
                b[dirs_at + 14 * 8] = 0x08, b[dirs_at + 14 * 8 + 1] = 0x20;
                b[dirs_at + 14 * 8 + 4] = 0x48;
        }
        for (size_t i = 0x400; i < IMAGE_SIZE; i++)
                b[i] = (uint8_t)(i * 2654435761u >> 13);
}

static char *b64(const uint8_t *d, size_t n)
{
        static const char digits[] =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char *out = malloc(n / 3 * 4 + 5), *p = out;

        assert_non_null(out);
        for (size_t i = 0; i < n; i += 3) {
                uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? d[i + 1] : 0) << 8 |
                             (i + 2 < n ? d[i + 2] : 0);
                *p++ = digits[v >> 18 & 63];
                *p++ = digits[v >> 12 & 63];
                *p++ = i + 1 < n ? digits[v >> 6 & 63] : '=';
                *p++ = i + 2 < n ? digits[v & 63] : '=';
        }
        *p = 0;
        return out;
}

/* Compresses d with deflate in the framing window_bits names (raw, zlib or gzip). */
static size_t squeeze(const uint8_t *d, size_t n, int window_bits, uint8_t *out, size_t cap)
{
        z_stream z = {0};

        assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
        z.next_in = (Bytef *)d;
        z.avail_in = (uInt)n;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        size_t got = cap - z.avail_out;
        deflateEnd(&z);
        return got;
}

static bool blob_is_assembly(const uint8_t *d, size_t n)
{
        char *s = b64(d, n);
        bool r = dotnetblob_is_assembly((const uint8_t *)s, strlen(s));
        free(s);
        return r;
}

static void test_plain(void **state)
{
        uint8_t img[IMAGE_SIZE];

        (void)state;
        make_image(img, false, true);
        assert_true(dotnetblob_pe_is_clr(img, sizeof(img)));
        assert_true(blob_is_assembly(img, sizeof(img)));
        make_image(img, true, true);
        assert_true(blob_is_assembly(img, sizeof(img)));
        /* a native program is not an assembly */
        make_image(img, false, false);
        assert_false(dotnetblob_pe_is_clr(img, sizeof(img)));
        assert_false(blob_is_assembly(img, sizeof(img)));
}

static void test_compressed(void **state)
{
        uint8_t img[IMAGE_SIZE], packed[IMAGE_SIZE * 2];
        const int framings[] = {-MAX_WBITS, MAX_WBITS, 16 + MAX_WBITS};

        (void)state;
        for (size_t i = 0; i < sizeof(framings) / sizeof(framings[0]); i++) {
                make_image(img, false, true);
                size_t n = squeeze(img, sizeof(img), framings[i], packed, sizeof(packed));
                assert_true(blob_is_assembly(packed, n));
                make_image(img, true, false);
                n = squeeze(img, sizeof(img), framings[i], packed, sizeof(packed));
                assert_false(blob_is_assembly(packed, n));
        }
}

static void test_not_assemblies(void **state)
{
        uint8_t img[IMAGE_SIZE], noise[4096];

        (void)state;
        for (size_t i = 0; i < sizeof(noise); i++)
                noise[i] = (uint8_t)(i * 2246822519u >> 11);
        assert_false(blob_is_assembly(noise, sizeof(noise)));
        /* headers cut short: the PE header points past what is there */
        make_image(img, false, true);
        assert_false(dotnetblob_pe_is_clr(img, 0x100));
        img[0x3c] = 0xff, img[0x3d] = 0xff;
        assert_false(dotnetblob_pe_is_clr(img, sizeof(img)));
        /* too short to decode to headers */
        assert_false(dotnetblob_is_assembly((const uint8_t *)"TVqQAAMAAAAEAAAA", 16));
        assert_false(dotnetblob_is_assembly((const uint8_t *)"", 0));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_plain),
                cmocka_unit_test(test_compressed),
                cmocka_unit_test(test_not_assemblies),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
