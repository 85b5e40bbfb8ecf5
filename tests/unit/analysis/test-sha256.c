/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basic/macro.h"
#include "basic/sha256.h"

/* FIPS 180-4 / NIST CSRC example vectors. */
static void test_vectors(void **state)
{
        char hex[65];

        (void)state;
        sha256_hex("", 0, hex);
        assert_string_equal(hex,
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        sha256_hex("abc", 3, hex);
        assert_string_equal(hex,
                            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        sha256_hex(two, strlen(two), hex);
        assert_string_equal(hex,
                            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        const char *four = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmno"
                           "pjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
        sha256_hex(four, strlen(four), hex);
        assert_string_equal(hex,
                            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in uneven pieces so that every buffering path runs. */
static void test_million_a_incremental(void **state)
{
        struct sha256_ctx c;
        uint8_t d[SHA256_DIGEST_SIZE], block[1000];
        char hex[65];
        size_t done = 0, step = 1;

        (void)state;
        memset(block, 'a', sizeof(block));
        sha256_init(&c);
        while (done < 1000000) {
                size_t n = step < 1000000 - done ? step : 1000000 - done;
                if (n > sizeof(block))
                        n = sizeof(block);
                sha256_update(&c, block, n);
                done += n;
                step = step * 7 % 997 + 1;
        }
        sha256_final(&c, d);
        sha256_digest_to_hex(d, hex);
        assert_string_equal(hex,
                            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes) against one-shot hashing. */
static void test_boundaries(void **state)
{
        static const char *const want[] = {
                [55] = "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
                [56] = "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
                [63] = "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
                [64] = "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
        };
        char buf[64], hex[65];

        (void)state;
        memset(buf, 'a', sizeof(buf));
        for (size_t n = 55; n <= 64; n++) {
                if (!want[n])
                        continue;
                sha256_hex(buf, n, hex);
                assert_string_equal(hex, want[n]);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_vectors),
                cmocka_unit_test(test_million_a_incremental),
                cmocka_unit_test(test_boundaries),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
