/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/scriptenc.h"

/* A JScript.Encode block and its text. The block was made by script_encode() and checked with
 * an independent decoder (ScrDec 1.8, run by hand, not part of airlock): it holds every
 * printable character, a tab, CR LF and the five escaped characters (< > @ CR LF). */
static const char ENCODED[] =
        "#@~^vQAAAA==-mD~kt,'P\t+S~b1Yr\\\x7f"
        "(68N+mDcJq?mMr2Yc?4+sVEbp@#@&/4 I!xcE1:N~&1Pn"
        "m4G,@!C@*P@$P4iUeE~,!bi@#@&&&,!FyfclvGR1~l(m9+Wo4rN3s:\tGw$DdO!\\haz.P)A;9As!_qx|St1"
        "}Kp\"?Pjj\x7f"
        "pe\\P\t),T--7#yY[C`*{QOxI=~ zQvJ@#@&hDUAAA==^#~@";
static const char PLAIN[] =
        "var sh = new ActiveXObject(\"WScript.Shell\");\r\nsh.Run(\"cmd /c echo <a> @ b\t~!\""
        ", 0);\r\n// 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ {}[]|\\"
        "^`$%&*()_+-=;:,./?'\"\r\n";

static void test_known_block(void **state)
{
        char *out = NULL;
        size_t n;
        unsigned bad = 9;

        (void)state;
        assert_true(script_is_encoded(ENCODED, strlen(ENCODED)));
        assert_int_equal(script_decode(ENCODED, strlen(ENCODED), &out, &n, &bad), 1);
        assert_int_equal(bad, 0);
        assert_int_equal(n, strlen(PLAIN));
        assert_string_equal(out, PLAIN);
        free(out);
}

/* The encoder makes that block, byte for byte. */
static void test_encoder_matches(void **state)
{
        char *out = NULL;
        size_t n;

        (void)state;
        assert_int_equal(script_encode(PLAIN, strlen(PLAIN), &out, &n), 0);
        assert_int_equal(n, strlen(ENCODED));
        assert_memory_equal(out, ENCODED, n);
        free(out);
}

/* Every character at every position of the 64-step cycle comes back. */
static void test_round_trip_all_positions(void **state)
{
        char text[8192], *enc = NULL, *dec = NULL;
        size_t n = 0, en, dn;
        unsigned bad;

        (void)state;
        for (unsigned shift = 0; shift < 64; shift++) {
                for (unsigned c = ' '; c < 0x7f; c++)
                        text[n++] = (char)((c - ' ' + shift) % 95 + ' ');
                text[n++] = shift % 3 == 0 ? '\t' : shift % 3 == 1 ? '\r' : '\n';
        }
        assert_true(n < sizeof(text));
        assert_int_equal(script_encode(text, n, &enc, &en), 0);
        assert_int_equal(script_decode(enc, en, &dec, &dn, &bad), 1);
        assert_int_equal(bad, 0);
        assert_int_equal(dn, n);
        assert_memory_equal(dec, text, n);
        free(enc);
        free(dec);
}

/* Text around and between blocks stays; each block is decoded in place (an encoded HTA). */
static void test_blocks_in_page(void **state)
{
        const char *a = "WScript.Echo(1)", *b = "CreateObject(\"WScript.Shell\").Run \"calc\"";
        char *ea = NULL, *eb = NULL, *page = NULL, *out = NULL, want[512];
        size_t n, on;
        unsigned bad;

        (void)state;
        assert_int_equal(script_encode(a, strlen(a), &ea, &n), 0);
        assert_int_equal(script_encode(b, strlen(b), &eb, &n), 0);
        assert_true(asprintf(&page,
                             "<html><script language=\"JScript.Encode\">%s</script>\n"
                             "<script language=\"VBScript.Encode\">%s</script></html>",
                             ea, eb) > 0);
        snprintf(want, sizeof(want),
                 "<html><script language=\"JScript.Encode\">%s</script>\n"
                 "<script language=\"VBScript.Encode\">%s</script></html>",
                 a, b);
        assert_int_equal(script_decode(page, strlen(page), &out, &on, &bad), 2);
        assert_int_equal(bad, 0);
        assert_string_equal(out, want);
        free(ea);
        free(eb);
        free(page);
        free(out);
}

/* A changed character is decoded all the same and the checksum says so; a block cut short is
 * decoded as far as it goes; text without a block is copied. */
/* A page of a double-byte code page (GBK here): the encoder copies a character's two bytes as
 * they are, counts them as one character and leaves them out of the sum and of the table
 * sequence, so a trail byte below 0x80 ('A' in B0 41) is not a character to decode. The
 * block is script_encode()'s of "abcd" with the character put in after "ab" and the length
 * made 5. */
static void test_double_byte_page(void **state)
{
        char *enc = NULL, *out = NULL;
        size_t n, k;
        unsigned bad = 9;
        char block[64];

        (void)state;
        assert_int_equal(script_encode("abcd", 4, &enc, &n), 0);
        /* #@~^ LLLLLL== body(4) SSSSSS== ^#~@ */
        assert_int_equal(n, 4 + 8 + 4 + 8 + 4);
        k = (size_t)snprintf(block, sizeof(block), "#@~^BQAAAA==%.2s\xb0\x41%.2s%.8s^#~@", enc + 12,
                             enc + 14, enc + 16);
        assert_int_equal(script_decode(block, k, &out, &n, &bad), 1);
        assert_int_equal(bad, 0);
        assert_string_equal(out, "ab\xb0\x41"
                                 "cd");
        free(out);
        free(enc);
}

static void test_damaged(void **state)
{
        const char *a = "WScript.Echo(\"hello\")";
        char *enc = NULL, *out = NULL;
        size_t n, on;
        unsigned bad;

        (void)state;
        assert_int_equal(script_encode(a, strlen(a), &enc, &n), 0);
        enc[14] = enc[14] == 'A' ? 'B' : 'A';
        assert_int_equal(script_decode(enc, n, &out, &on, &bad), 1);
        assert_int_equal(bad, 1);
        assert_int_equal(on, strlen(a));
        free(out);
        assert_int_equal(script_decode(enc, 20, &out, &on, &bad), 1);
        assert_int_equal(bad, 1);
        assert_int_equal(on, 20 - 12);
        free(out);
        free(enc);

        assert_false(script_is_encoded("#@~^ not a block", 16));
        assert_int_equal(script_decode("#@~^ not a block", 16, &out, &on, &bad), 0);
        assert_string_equal(out, "#@~^ not a block");
        free(out);
        assert_int_equal(script_decode("#@~^", 4, &out, &on, &bad), 0);
        assert_string_equal(out, "#@~^");
        free(out);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_known_block),
                cmocka_unit_test(test_encoder_matches),
                cmocka_unit_test(test_round_trip_all_positions),
                cmocka_unit_test(test_blocks_in_page),
                cmocka_unit_test(test_double_byte_page),
                cmocka_unit_test(test_damaged),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
