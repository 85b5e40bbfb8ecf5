/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Landlock, tested live on the host's file system: fork, apply, try, look at the errno. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "basic/strv.h"
#include "sandbox/landlock.h"

static int abi;
static char outside[64]; /* a folder outside the writable places of the view */

static int try_create(const char *dir)
{
        char path[128];
        int fd;

        snprintf(path, sizeof(path), "%s/f-%d", dir, (int)getpid());
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
                return errno;
        close(fd);
        unlink(path);
        return 0;
}

static int try_read(const char *path)
{
        char c;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return errno;
        if (read(fd, &c, 1) < 0) {
                close(fd);
                return errno;
        }
        close(fd);
        return 0;
}

static int try_tcp_bind(void)
{
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), r = 0;

        if (fd < 0)
                return errno;
        if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
                r = errno;
        close(fd);
        return r;
}

struct expect {
        const struct policy *p;
        int abi;        /* to apply with */
        int want_rc;    /* landlock_apply's return */
        int outside;    /* errno creating a file in the outside folder */
        int tmp;        /* ... in /tmp */
        int read_etc;   /* errno reading /etc/passwd */
        int tcp;        /* errno binding TCP on loopback, -1: not checked */
        int sig_parent; /* errno of kill(getppid(), 0), -1: not checked */
        int exec_true;  /* exit status of /bin/true */
};

static int child_checks(const struct expect *e)
{
        struct landlock_status st;
        int r = landlock_apply_with_abi(e->p, e->abi, &st);

        if (r != e->want_rc) {
                fprintf(stderr, "landlock_apply: %d, expected %d\n", r, e->want_rc);
                return 1;
        }
        if (r < 0)
                return 0;
        if (try_create(outside) != e->outside) {
                fprintf(stderr, "create in %s: %d\n", outside, try_create(outside));
                return 2;
        }
        if (try_create("/tmp") != e->tmp)
                return 3;
        if (try_read("/etc/passwd") != e->read_etc)
                return 4;
        if (e->tcp >= 0 && try_tcp_bind() != e->tcp) {
                fprintf(stderr, "tcp bind: %d\n", try_tcp_bind());
                return 5;
        }
        if (e->sig_parent >= 0 && (kill(getppid(), 0) < 0 ? errno : 0) != e->sig_parent)
                return 6;
        pid_t pid = fork();
        if (pid == 0) {
                execl("/bin/true", "true", (char *)NULL);
                _exit(127);
        }
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != e->exec_true)
                return 7;
        return 0;
}

static int run_child(const struct expect *e)
{
        pid_t pid = fork();
        int status;

        if (pid == 0)
                _exit(child_checks(e));
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        return WEXITSTATUS(status);
}

static struct policy *new_policy(void)
{
        struct policy *p = NULL;

        assert_int_equal(policy_new(&p), 0);
        return p;
}

static void test_abi(void **state)
{
        (void)state;
        assert_true(abi >= 1);
        assert_non_null(landlock_access_fs_name(0));
        assert_string_equal(landlock_access_fs_name(1), "write_file");
        assert_null(landlock_access_fs_name(16));
}

/* The default view: everything readable and executable, /tmp writable, the rest not; TCP
 * refused without a network; the parent out of reach of signals. */
static void test_default_view(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        struct expect e = {.p = p,
                           .abi = abi,
                           .outside = EACCES,
                           .tmp = 0,
                           .read_etc = 0,
                           .tcp = abi >= 4 ? EACCES : 0,
                           .sig_parent = abi >= 6 ? EPERM : 0};

        (void)state;
        assert_int_equal(run_child(&e), 0);
}

static void test_bind_writable(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        struct expect e = {
                .p = p, .abi = abi, .outside = 0, .read_etc = 0, .tcp = 0, .sig_parent = -1};

        (void)state;
        p->net = NET_HOST;
        assert_int_equal(policy_add_mount(p, MOUNT_BIND, outside, outside), 0);
        assert_int_equal(run_child(&e), 0);
}

static void test_ro_bind(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        struct expect e = {.p = p,
                           .abi = abi,
                           .outside = EACCES,
                           .tmp = 0,
                           .read_etc = 0,
                           .tcp = -1,
                           .sig_parent = -1};

        (void)state;
        /* Without the default file system the launcher still mounts its own /tmp, home, /dev
         * and /proc (mount.c; the OCI runtime's containers rely on it), so Landlock grants
         * them: the private /tmp is writable, the read-only bind still is not. */
        p->mount_defaults = false;
        assert_int_equal(policy_add_mount(p, MOUNT_RO_BIND, outside, outside), 0);
        assert_int_equal(run_child(&e), 0);
}

/* An older ABI: what it lacks is dropped and listed, the rest still holds; with
 * "--require landlock" that is an error. */
static void test_ladder(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        struct expect e = {.p = p,
                           .abi = 3,
                           .outside = EACCES,
                           .tmp = 0,
                           .read_etc = 0,
                           .tcp = 0,
                           .sig_parent = 0};
        struct landlock_status st;

        (void)state;
        if (abi < 3)
                skip();
        assert_int_equal(run_child(&e), 0);

        pid_t pid = fork();
        if (pid == 0) {
                int r = landlock_apply_with_abi(p, 3, &st);
                _exit(r == 0 && st.abi == 3 && st.enforced && st.missing_net == 3 &&
                                      st.missing_scoped == 3 && st.missing_fs == (1ULL << 15) &&
                                      (st.handled_fs & (1ULL << 14))
                              ? 0
                              : 1);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_int_equal(WEXITSTATUS(status), 0);

        assert_int_equal(strv_extend(&p->require, "landlock"), 0);
        e.want_rc = -EOPNOTSUPP;
        assert_int_equal(run_child(&e), 0);
        /* and with the full ABI the requirement is met */
        e = (struct expect){.p = p,
                            .abi = abi,
                            .outside = EACCES,
                            .tmp = 0,
                            .read_etc = 0,
                            .tcp = abi >= 4 ? EACCES : 0,
                            .sig_parent = -1};
        e.want_rc = abi >= 6 ? 0 : -EOPNOTSUPP;
        assert_int_equal(run_child(&e), 0);
}

static void test_disabled(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        struct landlock_status st;

        (void)state;
        p->landlock_disabled = true;
        assert_int_equal(landlock_apply(p, &st), 0); /* applies nothing: safe in the parent */
        assert_false(st.enforced);
        assert_int_equal(strv_extend(&p->require, "landlock"), 0);
        assert_int_equal(landlock_apply(p, &st), -EOPNOTSUPP);
}

/* Abstract unix sockets of the host are out of reach (ABI 6). */
static void test_abstract_unix(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        socklen_t len;
        int srv, status;

        (void)state;
        if (abi < 6)
                skip();
        p->net = NET_HOST;
        snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "airlock-test-landlock-%d", (int)getpid());
        len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(a.sun_path + 1);
        srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assert_true(srv >= 0);
        assert_int_equal(bind(srv, (struct sockaddr *)&a, len), 0);
        assert_int_equal(listen(srv, 1), 0);
        pid_t pid = fork();
        if (pid == 0) {
                struct landlock_status st;
                int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                /* reachable before */
                if (connect(c, (struct sockaddr *)&a, len) < 0)
                        _exit(1);
                close(c);
                if (landlock_apply(p, &st) < 0)
                        _exit(2);
                c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                _exit(connect(c, (struct sockaddr *)&a, len) < 0 && errno == EPERM ? 0 : 3);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        close(srv);
        assert_int_equal(WEXITSTATUS(status), 0);
}

static int setup(void **state)
{
        (void)state;
        snprintf(outside, sizeof(outside), "/var/tmp/airlock-landlock-XXXXXX");
        if (!mkdtemp(outside))
                return -1;
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        rmdir(outside);
        return 0;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_abi),           cmocka_unit_test(test_default_view),
                cmocka_unit_test(test_bind_writable), cmocka_unit_test(test_ro_bind),
                cmocka_unit_test(test_ladder),        cmocka_unit_test(test_disabled),
                cmocka_unit_test(test_abstract_unix),
        };

        abi = landlock_abi_version();
        if (abi <= 0) {
                printf("SKIP: Landlock is not available in this kernel (or disabled by the "
                       "lsm= boot parameter)\n");
                return 77;
        }
        return cmocka_run_group_tests(tests, setup, teardown);
}
