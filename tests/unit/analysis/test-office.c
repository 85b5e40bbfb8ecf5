/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The encryption header checks on what an attacker controls: every truncation of a header
 * of each version, and malformed agile descriptors, give "unknown" without reading past the
 * buffer (the ASan build runs this). The checks against real encrypted files are in
 * tests/integration/analyze-office.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/office.h"

static void check_all_truncations(const uint8_t *hdr, size_t n)
{
        for (size_t len = 0; len < n; len++) {
                /* a copy of exactly len bytes, so that ASan sees any read past it */
                uint8_t *p = malloc(len ? len : 1);
                assert_non_null(p);
                memcpy(p, hdr, len);
                enum office_crypt c = office_crypt_check(p, len, OFFICE_DEFAULT_PASSWORD);
                assert_true(c == OFFICE_CRYPT_UNKNOWN || c == OFFICE_CRYPT_PASSWORD);
                free(p);
        }
}

static void test_truncated_rc4(void **state)
{
        uint8_t h[4 + 48];
        memset(h, 0x5a, sizeof(h));
        h[0] = 1, h[1] = 0, h[2] = 1, h[3] = 0;
        check_all_truncations(h, sizeof(h));
        /* whole, with random bytes: a header, just not one the default password opens */
        assert_int_equal(office_crypt_check(h, sizeof(h), OFFICE_DEFAULT_PASSWORD),
                         OFFICE_CRYPT_PASSWORD);
}

static void test_truncated_cryptoapi(void **state)
{
        uint8_t h[12 + 32 + 4 + 16 + 16 + 4 + 32] = {4, 0, 2, 0};
        memset(h + 4, 0, sizeof(h) - 4);
        h[8] = 32;                          /* header size */
        h[12 + 8] = 0x01, h[12 + 9] = 0x68; /* RC4 */
        h[12 + 16] = 128;                   /* key bits */
        h[44] = 16;                         /* salt size */
        h[44 + 36] = 20;                    /* verifier hash size */
        check_all_truncations(h, sizeof(h));
        assert_int_equal(office_crypt_check(h, sizeof(h), OFFICE_DEFAULT_PASSWORD),
                         OFFICE_CRYPT_PASSWORD);
        /* a header size that points past the end */
        h[8] = 0xff, h[9] = 0xff;
        assert_int_equal(office_crypt_check(h, sizeof(h), OFFICE_DEFAULT_PASSWORD),
                         OFFICE_CRYPT_UNKNOWN);
}

static void test_agile_malformed(void **state)
{
        static const char *const xml[] = {
                "",
                "<encryption>",
                "<p:encryptedKey spinCount=\"100000\" keyBits=\"256\" hashAlgorithm=\"SHA512\"",
                "<p:encryptedKey spinCount=\"4000000000\" keyBits=\"256\" hashAlgorithm=\"SHA512\" "
                "cipherAlgorithm=\"AES\" saltValue=\"AAAAAAAAAAAAAAAAAAAAAA==\"/>",
                "<p:encryptedKey spinCount=\"1\" keyBits=\"100\" hashAlgorithm=\"SHA512\" "
                "cipherAlgorithm=\"AES\"/>",
                "<p:encryptedKey spinCount=\"1\" keyBits=\"256\" hashAlgorithm=\"MD4\" "
                "cipherAlgorithm=\"AES\"/>",
                "<p:encryptedKey spinCount=\"1\" keyBits=\"256\" hashAlgorithm=\"SHA512\" "
                "cipherAlgorithm=\"AES\" saltValue=\"!!!!\" encryptedVerifierHashInput=\"\" "
                "encryptedVerifierHashValue=\"\"/>",
                "<p:encryptedKey spinCount=\"1\" keyBits=\"256\" hashAlgorithm=\"SHA512\" "
                "cipherAlgorithm=\"AES\" saltValue=\"AAAAAAAAAAAAAAAAAAAAAA==\" "
                "encryptedVerifierHashInput=\"AAAAAAAAAAAAAAAAAAAAAA==\" "
                "encryptedVerifierHashValue=\"AAAAAAAAAAAAAAAAAAAAAA==\"/>",
        };
        for (size_t i = 0; i < sizeof(xml) / sizeof(xml[0]); i++) {
                size_t n = 8 + strlen(xml[i]);
                uint8_t *p = malloc(n);
                assert_non_null(p);
                memcpy(p, "\x04\x00\x04\x00\x40\x00\x00\x00", 8);
                memcpy(p + 8, xml[i], n - 8);
                /* a verifier hash shorter than SHA-512's is unknown, never "default" */
                assert_int_equal(office_crypt_check(p, n, OFFICE_DEFAULT_PASSWORD),
                                 OFFICE_CRYPT_UNKNOWN);
                check_all_truncations(p, n);
                free(p);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_truncated_rc4),
                cmocka_unit_test(test_truncated_cryptoapi),
                cmocka_unit_test(test_agile_malformed),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
