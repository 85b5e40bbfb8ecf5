/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/macro.h"
#include "basic/paths.h"

/* The home folder from /etc/passwd, read the way user_home_dir must read it, for comparison. */
static char *passwd_home(uid_t uid)
{
        char line[4096];
        FILE *f = fopen("/etc/passwd", "re");
        char *res = NULL;

        assert_non_null(f);
        while (!res && fgets(line, sizeof(line), f)) {
                char *fields[7] = {0}, *tok;
                int n = 0;

                for (tok = line; n < 7 && tok; n++) {
                        fields[n] = tok;
                        tok = strchr(tok, ':');
                        if (tok)
                                *tok++ = '\0';
                }
                if (n >= 6 && (uid_t)strtoul(fields[2], NULL, 10) == uid)
                        res = strdup(fields[5]);
        }
        fclose(f);
        return res;
}

static void test_home_from_env(void **state)
{
        char *h = NULL;

        (void)state;
        setenv("HOME", "/some/where", 1);
        assert_int_equal(user_home_dir(getuid(), &h), 0);
        assert_string_equal(h, "/some/where");
        free(h);
}

static void test_home_from_passwd(void **state)
{
        char *h = NULL, *want;

        (void)state;
        /* A relative or missing HOME is not trusted: the passwd entry answers. */
        setenv("HOME", "relative", 1);
        want = passwd_home(0);
        assert_non_null(want);
        assert_int_equal(user_home_dir(0, &h), 0);
        assert_string_equal(h, want);
        free(h);
        unsetenv("HOME");
        h = NULL;
        assert_int_equal(user_home_dir(0, &h), 0);
        assert_string_equal(h, want);
        free(h);
        free(want);
}

static void test_home_unknown_uid(void **state)
{
        char *h = NULL;

        (void)state;
        unsetenv("HOME");
        /* No passwd file names this uid (it is the overflow range's top). */
        assert_null(passwd_home(4294967293U));
        assert_int_equal(user_home_dir(4294967293U, &h), -ENXIO);
        assert_null(h);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_home_from_env),
                cmocka_unit_test(test_home_from_passwd),
                cmocka_unit_test(test_home_unknown_uid),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
