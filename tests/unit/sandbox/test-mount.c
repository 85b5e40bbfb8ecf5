/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The mount plan: destinations normalised and kept inside the new root, sources checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "basic/log.h"
#include "sandbox/mount.h"

static const struct mount_identity id = {
        .uid = 1000,
        .gid = 1000,
        .user_name = "sandbox",
        .home = "/home/sandbox",
        .hostname = "airlock",
};

static void test_normalize(void **state)
{
        static const struct {
                const char *in, *out;
        } ok[] = {
                {"/", ""},           {"/usr", "usr"},         {"//a///b/", "a/b"},
                {"/a/./b/.", "a/b"}, {"/a/b...c", "a/b...c"}, {"/.hidden/x", ".hidden/x"},
        };
        static const char *const bad[] = {"relative", "/..", "/a/../b", "/a/b/..", ""};

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                _cleanup_free_ char *out = NULL;

                assert_int_equal(mount_normalize_dst(ok[i].in, &out), 0);
                assert_string_equal(out, ok[i].out);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *out = (char *)"untouched";

                assert_int_equal(mount_normalize_dst(bad[i], &out), -EINVAL);
                assert_string_equal(out, "untouched");
        }
}

static int plan_with(enum mount_kind kind, const char *src, const char *dst)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(mount_plan_freep) struct mount_plan *plan = NULL;

        assert_int_equal(policy_new(&p), 0);
        assert_int_equal(policy_add_mount(p, kind, src, dst), 0);
        return mount_plan_build(p, &id, &plan);
}

static void test_plan(void **state)
{
        (void)state;
        log_set_max_level(LOG_EMERG); /* the errors below are expected */
        assert_int_equal(plan_with(MOUNT_RO_BIND, "/usr", "/data"), 0);
        assert_int_equal(plan_with(MOUNT_RO_BIND, "/nonexistent-airlock-test", "/data"), -ENOENT);
        assert_int_equal(plan_with(MOUNT_BIND, "/usr", "/../etc"), -EINVAL);
        assert_int_equal(plan_with(MOUNT_BIND, "/usr", "/"), -EINVAL);
        assert_int_equal(plan_with(MOUNT_TMPFS, NULL, "/scratch"), 0);
        assert_int_equal(plan_with(MOUNT_OVERLAY, "/usr", "/x"), 0);
        assert_int_equal(plan_with(MOUNT_OVERLAY, "/nonexistent-airlock-test", "/x"), -ENOENT);
        assert_int_equal(plan_with(MOUNT_OVERLAY, "/etc/passwd", "/x"), -ENOTDIR);
        assert_int_equal(plan_with(MOUNT_OVERLAY, "/usr", "/"), -EINVAL);
        log_set_max_level(LOG_INFO);
}

static void test_plan_optional(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(mount_plan_freep) struct mount_plan *plan = NULL;

        (void)state;
        assert_int_equal(policy_new(&p), 0);
        assert_int_equal(policy_add_mount(p, MOUNT_BIND, "/nonexistent-airlock-test", "/x"), 0);
        p->mounts[0].optional = true;
        assert_int_equal(mount_plan_build(p, &id, &plan), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_normalize),
                cmocka_unit_test(test_plan),
                cmocka_unit_test(test_plan_optional),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
