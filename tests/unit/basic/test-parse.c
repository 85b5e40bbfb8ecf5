/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basic/parse.h"
#include "basic/macro.h"

static void test_parse_size(void **state)
{
        uint64_t v = 7;

        (void)state;
        assert_int_equal(parse_size("512", &v), 0);
        assert_int_equal(v, 512);
        assert_int_equal(parse_size("64K", &v), 0);
        assert_int_equal(v, 65536);
        assert_int_equal(parse_size("1.5G", &v), 0);
        assert_int_equal(v, 1610612736ULL);
        assert_int_equal(parse_size("2MiB", &v), 0);
        assert_int_equal(v, 2097152);
        v = 7;
        assert_int_equal(parse_size("12X", &v), -EINVAL);
        assert_int_equal(parse_size("-1M", &v), -EINVAL);
        assert_int_equal(parse_size("", &v), -EINVAL);
        assert_int_equal(parse_size("99999999999T", &v), -ERANGE);
        assert_int_equal(v, 7);
}

static void test_parse_duration(void **state)
{
        uint64_t v = 0;

        (void)state;
        assert_int_equal(parse_duration_usec("10", &v), 0);
        assert_int_equal(v, 10000000);
        assert_int_equal(parse_duration_usec("500ms", &v), 0);
        assert_int_equal(v, 500000);
        assert_int_equal(parse_duration_usec("1.5", &v), 0);
        assert_int_equal(v, 1500000);
        assert_int_equal(parse_duration_usec("2m", &v), 0);
        assert_int_equal(v, 120000000);
        assert_int_equal(parse_duration_usec("ten", &v), -EINVAL);
        assert_int_equal(parse_duration_usec("1d", &v), -EINVAL);
}

static void test_parse_ints(void **state)
{
        int i = 0;
        uint64_t u = 0;

        (void)state;
        assert_int_equal(parse_int("-12", &i), 0);
        assert_int_equal(i, -12);
        assert_int_equal(parse_int("12a", &i), -EINVAL);
        assert_int_equal(parse_int("99999999999", &i), -ERANGE);
        assert_int_equal(parse_uint64("18446744073709551615", &u), 0);
        assert_true(u == UINT64_MAX);
        assert_int_equal(parse_uint64("18446744073709551616", &u), -ERANGE);
        assert_int_equal(parse_uint64("-1", &u), -EINVAL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_size),
                cmocka_unit_test(test_parse_duration),
                cmocka_unit_test(test_parse_ints),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
