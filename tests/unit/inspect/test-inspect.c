/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "inspect/inspect.h"

static const char status_text[] = "Name:\tsleep\n"
                                  "Uid:\t65534\t65534\t65534\t65534\n"
                                  "Gid:\t65534\t65534\t65534\t65534\n"
                                  "CapInh:\t0000000000000000\n"
                                  "CapPrm:\t0000000000000000\n"
                                  "CapEff:\t0000000000000000\n"
                                  "CapBnd:\t000001ffffffffff\n"
                                  "CapAmb:\t0000000000000000\n"
                                  "NoNewPrivs:\t1\n"
                                  "Seccomp:\t2\n"
                                  "Seccomp_filters:\t3\n";

static void test_status_parse(void **state)
{
        struct proc_status st;

        (void)state;
        assert_int_equal(proc_status_parse(status_text, &st), 0);
        assert_int_equal(st.uid_real, 65534);
        assert_int_equal(st.uid_effective, 65534);
        assert_true(st.cap_eff == 0 && st.cap_prm == 0 && st.cap_amb == 0);
        assert_true(st.cap_bnd == UINT64_C(0x1ffffffffff));
        assert_int_equal(st.no_new_privs, 1);
        assert_int_equal(st.seccomp_mode, 2);
        assert_int_equal(st.seccomp_filters, 3);
        /* Not a status file: no Uid or capabilities. */
        assert_int_equal(proc_status_parse("Name:\tx\n", &st), -EINVAL);
        assert_int_equal(proc_status_parse("", &st), -EINVAL);
        /* An older kernel without NoNewPrivs/Seccomp lines: shown as unknown (-1). */
        assert_int_equal(proc_status_parse("Uid:\t1\t2\t2\t2\nCapEff:\t0\n", &st), 0);
        assert_int_equal(st.uid_real, 1);
        assert_int_equal(st.uid_effective, 2);
        assert_int_equal(st.no_new_privs, -1);
        assert_int_equal(st.seccomp_mode, -1);
}

static void test_rating(void **state)
{
        (void)state;
        assert_string_equal(inspect_rating(0.0), "contained");
        assert_string_equal(inspect_rating(2.0), "contained");
        assert_string_equal(inspect_rating(2.1), "partial");
        assert_string_equal(inspect_rating(5.0), "partial");
        assert_string_equal(inspect_rating(7.9), "exposed");
        assert_string_equal(inspect_rating(8.1), "unsafe");
        assert_string_equal(inspect_status_to_string(INSPECT_MISSING), "missing");
}

static const struct inspect_check *find(const struct inspect_result *r, const char *name)
{
        for (size_t i = 0; i < r->n_checks; i++)
                if (strcmp(r->checks[i].name, name) == 0)
                        return &r->checks[i];
        return NULL;
}

/* This test process shares every namespace with itself and has no filter: the namespace
 * checks are missing and the exposure is their weight's share at least. */
static void test_self(void **state)
{
        struct inspect_result r;
        double sum = 0;

        (void)state;
        assert_int_equal(inspect_process(getpid(), &r), 0);
        assert_true(r.n_checks > 10);
        assert_int_equal(find(&r, "user-namespace")->status, INSPECT_MISSING);
        assert_int_equal(find(&r, "mount-namespace")->status, INSPECT_MISSING);
        assert_int_equal(find(&r, "private-root")->status, INSPECT_MISSING);
        assert_int_equal(find(&r, "landlock")->status, INSPECT_UNKNOWN);
        assert_non_null(strstr(r.command, "test-inspect"));
        for (size_t i = 0; i < r.n_checks; i++) {
                const struct inspect_check *c = &r.checks[i];

                assert_true(c->exposure >= 0 && c->exposure <= c->weight);
                assert_true(c->status != INSPECT_OK || c->exposure == 0);
                assert_true(c->status != INSPECT_MISSING || c->exposure == c->weight);
                sum += c->exposure;
        }
        assert_true(sum > 0);
        assert_true(r.exposure > 3.0 && r.exposure <= 10.0);
}

static void test_no_such_process(void **state)
{
        struct inspect_result r;

        (void)state;
        assert_int_equal(inspect_process(999999999, &r), -ESRCH);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_status_parse),
                cmocka_unit_test(test_rating),
                cmocka_unit_test(test_self),
                cmocka_unit_test(test_no_such_process),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
