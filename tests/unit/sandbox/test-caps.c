/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock-runtime's capability sets, tested live: a child makes a user namespace of its own
 * (where it holds every capability), applies the sets in their two steps and reads back what
 * the kernel says it holds. */
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "basic/capability.h"
#include "sandbox/caps.h"

#define BIT(cap) (UINT64_C(1) << (cap))

static void test_names(void **state)
{
        (void)state;
        assert_int_equal(capability_from_name("CAP_CHOWN"), CAP_CHOWN);
        assert_int_equal(capability_from_name("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
        assert_int_equal(capability_from_name("CAP_CHECKPOINT_RESTORE"), 40);
        assert_int_equal(capability_from_name("CAP_NOT_ONE"), -EINVAL);
        assert_int_equal(capability_from_name("chown"), -EINVAL);
        assert_true(caps_last_cap() >= CAP_AUDIT_READ);
}

static uint64_t held(int which)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct d[2] = {0};

        if (syscall(SYS_capget, &hdr, d) < 0)
                return UINT64_MAX;
        if (which == 0)
                return d[0].effective | (uint64_t)d[1].effective << 32;
        if (which == 1)
                return d[0].permitted | (uint64_t)d[1].permitted << 32;
        return d[0].inheritable | (uint64_t)d[1].inheritable << 32;
}

static uint64_t bounding(void)
{
        uint64_t set = 0;

        for (int cap = 0; cap <= caps_last_cap(); cap++)
                if (prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0) == 1)
                        set |= BIT(cap);
        return set;
}

static uint64_t ambient(void)
{
        uint64_t set = 0;

        for (int cap = 0; cap <= caps_last_cap(); cap++)
                if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, (unsigned long)cap, 0, 0) == 1)
                        set |= BIT(cap);
        return set;
}

/* The child's checks, as its exit status: 0, or the number of the first that failed. */
static int apply_and_read(const struct cap_sets *s)
{
        if (unshare(CLONE_NEWUSER) < 0)
                return errno == EPERM || errno == EINVAL ? 77 : 1;
        if (caps_apply_before_filters(s) < 0)
                return 2;
        if (bounding() != s->bounding)
                return 3;
        if (held(0) != (s->effective | BIT(CAP_SYS_ADMIN)) ||
            held(1) != (s->permitted | BIT(CAP_SYS_ADMIN)) || held(2) != s->inheritable)
                return 4;
        if (ambient() != s->ambient)
                return 5;
        if (caps_apply_final(s) < 0)
                return 6;
        if (held(0) != s->effective || held(1) != s->permitted || held(2) != s->inheritable)
                return 7;
        if (ambient() != (s->ambient & s->permitted & s->inheritable))
                return 8;
        return 0;
}

static int run_child(const struct cap_sets *s)
{
        int status;
        pid_t pid = fork();

        if (pid == 0)
                _exit(apply_and_read(s));
        assert_true(pid > 0);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        return WEXITSTATUS(status);
}

static void test_sets_applied(void **state)
{
        const uint64_t base = BIT(CAP_CHOWN) | BIT(CAP_KILL) | BIT(CAP_SETUID) | BIT(CAP_SETGID);
        struct cap_sets s = {
                .bounding = base | BIT(CAP_NET_BIND_SERVICE),
                .effective = base,
                .permitted = base,
                .inheritable = BIT(CAP_KILL) | BIT(CAP_CHOWN),
                .ambient = BIT(CAP_KILL),
        };
        int r;

        (void)state;
        r = run_child(&s);
        if (r == 77)
                skip(); /* user namespaces unavailable to this user: nothing to test */
        assert_int_equal(r, 0);
}

static void test_nothing_held(void **state)
{
        struct cap_sets none = {0};
        int r;

        (void)state;
        r = run_child(&none);
        if (r == 77)
                skip();
        assert_int_equal(r, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_sets_applied),
                cmocka_unit_test(test_nothing_held),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
