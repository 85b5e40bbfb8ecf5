/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basic/log.h"
#include "policy/policy.h"

static int parse(struct policy *p, int argc, char **argv)
{
        return options_parse(policy_options, policy_options_count, argc, argv, p, "test");
}

static void test_run_options(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        char *argv[] = {"run",   "--ro-bind", "/usr",  "/usr", "--tmpfs=/scratch",
                        "--net", "host",      "--env", "A=b",  "--memory",
                        "64M",   "--timeout", "1.5",   "--",   "/bin/true",
                        "x",     NULL};
        int r;

        (void)state;
        assert_int_equal(policy_new(&p), 0);
        r = parse(p, 16, argv);
        assert_int_equal(r, 14);
        assert_string_equal(argv[r], "/bin/true");
        assert_int_equal(p->n_mounts, 2);
        assert_int_equal(p->mounts[0].kind, MOUNT_RO_BIND);
        assert_string_equal(p->mounts[1].dst, "/scratch");
        assert_int_equal(p->mounts[1].kind, MOUNT_TMPFS);
        assert_int_equal(p->net, NET_HOST);
        assert_string_equal(p->env[0], "A=b");
        assert_int_equal(p->memory_max, 64 << 20);
        assert_int_equal(p->timeout_usec, 1500000);
}

static void test_stops_at_command(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        char *argv[] = {"run", "--net", "none", "ls", "--net", "host", NULL};

        (void)state;
        assert_int_equal(policy_new(&p), 0);
        assert_int_equal(parse(p, 6, argv), 3);
        assert_int_equal(p->net, NET_NONE);
}

static void test_bad_options(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        char *unknown[] = {"run", "--frobnicate", "x", NULL};
        char *badnet[] = {"run", "--net", "wide", NULL};
        char *missing[] = {"run", "--ro-bind", "/usr", NULL};
        char *relative[] = {"run", "--bind", "/tmp", "tmp", NULL};
        char *flagvalue[] = {"run", "--trace=yes", NULL};

        (void)state;
        log_set_max_level(-1);
        assert_int_equal(policy_new(&p), 0);
        assert_int_equal(parse(p, 3, unknown), -EINVAL);
        assert_int_equal(parse(p, 3, badnet), -EINVAL);
        assert_int_equal(parse(p, 3, missing), -EINVAL);
        assert_int_equal(parse(p, 4, relative), -EINVAL);
        assert_int_equal(parse(p, 2, flagvalue), -EINVAL);
        assert_int_equal(p->n_mounts, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_run_options),
                cmocka_unit_test(test_stops_at_command),
                cmocka_unit_test(test_bad_options),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
