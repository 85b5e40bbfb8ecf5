/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The launcher, live: policy defaults, the setup messages, and whole runs of real programs
 * with their exit statuses, a setup failure and a timeout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "basic/log.h"
#include "basic/strv.h"
#include "sandbox/launcher.h"
#include "sandbox/setup-msg.h"
#include "sandbox/userns.h"

static void test_defaults(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;

        (void)state;
        assert_int_equal(policy_new(&p), 0);
        assert_int_equal(p->uid, 65534);
        assert_int_equal(p->net, NET_NONE);
        assert_true(p->mount_defaults);
        assert_true(p->new_session);
        assert_true(p->die_with_parent);
        assert_false(p->seccomp_disabled);
        assert_false(p->landlock_disabled);
}

static void test_ids(void **state)
{
        struct userns_ids ids;

        (void)state;
        userns_choose_ids(4242, 4343, true, &ids);
        assert_int_equal(ids.uid_inside, 4242);
        if (geteuid() == 0) {
                assert_true(ids.privileged);
                assert_int_equal(ids.uid_outside, 4242); /* never 0 */
                assert_int_equal(ids.gid_outside, 4343);
        } else {
                assert_false(ids.privileged);
                assert_int_equal(ids.uid_outside, geteuid());
        }
        userns_choose_ids(65534, 65534, false, &ids);
        assert_int_equal(ids.uid_inside, geteuid() == 0 ? 65534 : geteuid());
}

/* Each way an unprivileged user can be refused a user namespace gets its own cause and fix;
 * AppArmor's restriction (Ubuntu 23.10+) names the profile that lifts it for airlock alone. */
static void test_userns_hint(void **state)
{
        struct userns_sysctls debian_off = {0, -1, 15000}, apparmor = {-1, 1, 15000},
                              limit = {-1, 0, 0}, none = {-1, -1, 15000};

        (void)state;
        assert_non_null(strstr(userns_failure_hint(&debian_off, -EPERM),
                               "kernel.unprivileged_userns_clone=1"));
        assert_non_null(strstr(userns_failure_hint(&apparmor, -EPERM), "AppArmor"));
        assert_non_null(strstr(userns_failure_hint(&apparmor, -EPERM),
                               "apparmor_parser -r /etc/apparmor.d/airlock"));
        assert_non_null(strstr(userns_failure_hint(&limit, -EPERM), "user.max_user_namespaces"));
        assert_non_null(strstr(userns_failure_hint(&none, -ENOSPC), "user.max_user_namespaces"));
        assert_non_null(strstr(userns_failure_hint(&none, -EPERM), "may be disabled"));
}

static void test_setup_msg(void **state)
{
        struct setup_msg m = {.type = SETUP_MSG_ERROR, .err = ENOENT, .stage = "bind"}, got;
        int sv[2], fd = -1, devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

        (void)state;
        assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
        snprintf(m.message, sizeof(m.message), "cannot bind /x");
        assert_int_equal(setup_msg_send(sv[0], &m, devnull), 0);
        assert_int_equal(setup_msg_recv(sv[1], &got, &fd), (int)sizeof(got));
        assert_int_equal(got.type, SETUP_MSG_ERROR);
        assert_int_equal(got.err, ENOENT);
        assert_string_equal(got.stage, "bind");
        assert_string_equal(got.message, "cannot bind /x");
        assert_true(fd >= 0);
        assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        close(fd);
        close(sv[0]);
        assert_int_equal(setup_msg_recv(sv[1], &got, &fd), 0); /* end of stream */
        close(sv[1]);
        close(devnull);
}

static int count_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        int n = 0;

        assert_non_null(d);
        while (readdir(d))
                n++;
        closedir(d);
        return n;
}

/* SETUP_MSG_CGROUP: several fds in one message, close-on-exec on arrival, the rlimits with
 * them; fds beyond what the receiver takes are closed, not leaked. */
static void test_setup_msg_fds(void **state)
{
        struct setup_msg m = {.type = SETUP_MSG_CGROUP, .value = 1}, got;
        int sv[2], fds[4], in[2];
        size_t n = 99;
        int before = count_fds();

        (void)state;
        m.rlimits[0] =
                (struct rlimit_setting){.resource = RLIMIT_AS, .soft = 1 << 20, .hard = 1 << 21};
        for (size_t i = 0; i < ELEMENTSOF(fds); i++)
                fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
        assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
        assert_int_equal(setup_msg_send_fds(sv[0], &m, fds, ELEMENTSOF(fds)), 0);
        assert_int_equal(setup_msg_recv_fds(sv[1], &got, in, ELEMENTSOF(in), &n), (int)sizeof(got));
        assert_int_equal(got.type, SETUP_MSG_CGROUP);
        assert_int_equal(got.value, 1);
        assert_int_equal(got.rlimits[0].resource, RLIMIT_AS);
        assert_int_equal(got.rlimits[0].hard, 1 << 21);
        assert_int_equal(n, 2);
        for (size_t i = 0; i < n; i++) {
                assert_true(fcntl(in[i], F_GETFD) & FD_CLOEXEC);
                close(in[i]);
        }
        /* none sent: none received */
        assert_int_equal(setup_msg_send_fds(sv[0], &m, NULL, 0), 0);
        assert_int_equal(setup_msg_recv_fds(sv[1], &got, in, ELEMENTSOF(in), &n), (int)sizeof(got));
        assert_int_equal(n, 0);
        for (size_t i = 0; i < ELEMENTSOF(fds); i++)
                close(fds[i]);
        close(sv[0]);
        close(sv[1]);
        /* the two received beyond max were closed, not leaked */
        assert_int_equal(count_fds(), before);
}

static int run(const char *const *argv, uint64_t timeout_usec, struct launcher_result *res)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        int r;

        assert_int_equal(policy_new(&p), 0);
        for (const char *const *a = argv; *a; a++)
                assert_int_equal(strv_extend(&p->argv, *a), 0);
        p->timeout_usec = timeout_usec;
        r = launcher_run(p, NULL, res);
        launcher_result_release(res);
        return r;
}

static void test_run(void **state)
{
        static const char *const ok[] = {"/bin/sh", "-c", "test \"$(id -u)\" != 0 && exit 7", NULL};
        static const char *const sig[] = {"/bin/sh", "-c", "kill -USR1 $$", NULL};
        static const char *const missing[] = {"/no/such/program", NULL};
        static const char *const slow[] = {"/bin/sleep", "10", NULL};
        struct launcher_result res;

        (void)state;
        log_set_max_level(LOG_EMERG);
        assert_int_equal(run(ok, 0, &res), 7);
        assert_int_equal(res.namespaces & LAUNCHER_NS_USER, LAUNCHER_NS_USER);
        assert_int_equal(run(sig, 0, &res), 128 + SIGUSR1);
        assert_int_equal(run(missing, 0, &res), 127);
        assert_true(res.setup_failed);
        assert_string_equal(res.error_stage, "exec");
        assert_int_equal(run(slow, 200000, &res), 124);
        assert_true(res.timed_out);
        log_set_max_level(LOG_INFO);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_defaults),      cmocka_unit_test(test_ids),
                cmocka_unit_test(test_userns_hint),   cmocka_unit_test(test_setup_msg),
                cmocka_unit_test(test_setup_msg_fds), cmocka_unit_test(test_run),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
