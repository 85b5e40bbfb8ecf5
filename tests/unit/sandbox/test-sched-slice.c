/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launcher's short scheduler slice, tested live in children (the attributes are per
 * thread): shortened, inherited by a fork as pid 1 and the program inherit it, given back
 * exactly (nice included), and left alone under another policy. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "sandbox/sched-slice.h"

static int get_attr(struct sched_attr_v0 *ret)
{
        *ret = (struct sched_attr_v0){.size = sizeof(*ret)};
        return syscall(SYS_sched_getattr, 0, ret, sizeof(*ret), 0u) < 0 ? -errno : 0;
}

/* Runs fn in a child; returns its exit status (77: the kernel has no custom slices). */
static int in_child(int (*fn)(void))
{
        int status;
        pid_t pid = fork();

        if (pid == 0)
                _exit(fn());
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

static int shortened_then_restored(void)
{
        struct sched_attr_v0 before, during, after, in_fork;
        struct sched_slice s;
        int status, nice_now, nice;
        pid_t pid;

        /* A nice value of our own, above the one we run at: an unprivileged caller (the suite's
         * user phase, or a run under `nice`) may raise it, never lower it. */
        errno = 0;
        nice_now = getpriority(PRIO_PROCESS, 0);
        if (nice_now == -1 && errno != 0)
                return 10;
        nice = nice_now < 3 ? 3 : nice_now < 19 ? nice_now + 1 : 19;
        if (setpriority(PRIO_PROCESS, 0, nice) < 0 || get_attr(&before) < 0)
                return 10;
        if (sched_slice_shorten(&s) < 0 || get_attr(&during) < 0)
                return 11;
        if (!s.shortened || during.runtime != 100000)
                return before.runtime == 0 ? 77 : 12; /* no sched_runtime for SCHED_OTHER */
        if (during.nice != nice || during.policy != SCHED_OTHER)
                return 13;
        pid = fork();
        if (pid == 0)
                _exit(get_attr(&in_fork) < 0 || in_fork.runtime != 100000 ? 1 : 0);
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
                return 14;
        if (sched_slice_restore(&s) < 0 || get_attr(&after) < 0)
                return 15;
        if (after.runtime != before.runtime || after.nice != nice || after.policy != SCHED_OTHER)
                return 16;
        return 0;
}

static void test_shortened_then_restored(void **state)
{
        int r = in_child(shortened_then_restored);

        (void)state;
        if (r == 77)
                skip();
        assert_int_equal(r, 0);
}

static int other_policy_left_alone(void)
{
        struct sched_param zero = {0};
        struct sched_attr_v0 before, after;
        struct sched_slice s;

        if (sched_setscheduler(0, SCHED_BATCH, &zero) < 0 || get_attr(&before) < 0)
                return 10;
        if (sched_slice_shorten(&s) < 0 || s.shortened)
                return 11;
        if (get_attr(&after) < 0 || after.policy != SCHED_BATCH || after.runtime != before.runtime)
                return 12;
        return sched_slice_restore(&s) == 0 ? 0 : 13;
}

static void test_other_policy_left_alone(void **state)
{
        (void)state;
        assert_int_equal(in_child(other_policy_left_alone), 0);
}

static void test_restore_without_shorten(void **state)
{
        struct sched_slice none = {0};

        (void)state;
        assert_int_equal(sched_slice_restore(&none), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_shortened_then_restored),
                cmocka_unit_test(test_other_policy_left_alone),
                cmocka_unit_test(test_restore_without_shorten),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
