/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/seccomp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "basic/macro.h"
#include "monitor/monitor-internal.h"
#include "monitor/monitor.h"
#include "monitor/sha256.h"

static char tmpdir[64];

static int setup(void **state)
{
        (void)state;
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-monitor.XXXXXX");
        return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
        char cmd[128];

        (void)state;
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        return system(cmd) == 0 ? 0 : -1;
}

static bool have_notify(void)
{
        struct seccomp_notif_sizes sizes;

        return syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) == 0;
}

/* The calls the default policy denies; the standalone runner has no other layer, so the
 * tests deny them here (and never let a sample out to the network). */
static int deny_like_policy(void *userdata, int nr, const uint64_t args[6])
{
        (void)userdata;
        (void)args;
        switch (nr) {
        case SYS_mount:
        case SYS_umount2:
        case SYS_unshare:
        case SYS_setns:
        case SYS_init_module:
        case SYS_finit_module:
        case SYS_bpf:
        case SYS_ptrace:
        case SYS_mknodat:
        case SYS_mknod:
                return EPERM;
        case SYS_connect:
                return ENETUNREACH;
        default:
                return 0;
        }
}

struct run {
        struct monitor *m;
        struct json_object *report;
        int status;
};

static void run_traced(struct run *r, char *const argv[])
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        char home[128];

        assert_int_equal(policy_new(&p), 0);
        p->mount_defaults = false;
        assert_int_equal(monitor_new(p, &r->m), 0);
        monitor_set_use_proc_root(r->m, false);
        monitor_set_deny(r->m, deny_like_policy, NULL);
        snprintf(home, sizeof(home), "%s/home", tmpdir);
        (void)mkdir(home, 0700);
        assert_int_equal(monitor_set_canary_home(r->m, home, home), 0);
        assert_int_equal(monitor_watch_host_dir(r->m, tmpdir, tmpdir), 0);
        assert_int_equal(monitor_run_standalone(r->m, argv, &r->status), 0);
        r->report = json_object_new_object();
        assert_int_equal(monitor_report(r->m, r->report), 0);
}

static void run_done(struct run *r)
{
        json_object_put(r->report);
        monitor_free(r->m);
}

static struct json_object *find_event(struct json_object *report, const char *syscall,
                                      const char *path)
{
        struct json_object *events = json_object_object_get(report, "events");

        for (size_t i = 0; i < json_object_array_length(events); i++) {
                struct json_object *e = json_object_array_get_idx(events, i), *args, *p;

                if (!streq(json_object_get_string(json_object_object_get(e, "syscall")), syscall))
                        continue;
                args = json_object_object_get(e, "args");
                p = json_object_object_get(args, "path");
                if (!path || (p && streq(json_object_get_string(p), path)))
                        return e;
        }
        return NULL;
}

static void test_sha256(void **state)
{
        struct sha256_ctx c;
        uint8_t d[32];
        char hex[65];

        (void)state;
        sha256_init(&c);
        sha256_update(&c, "abc", 3);
        sha256_final(&c, d);
        sha256_to_hex(d, hex);
        assert_string_equal(hex,
                            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_sockaddr_decode(void **state)
{
        struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(8443)};
        struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(53)};
        struct sockaddr_un un = {.sun_family = AF_UNIX};
        char *addr = NULL;
        int port, family;

        (void)state;
        in.sin_addr.s_addr = htonl(0xc0000201);
        assert_int_equal(sockaddr_decode(&in, sizeof(in), &addr, &port, &family), 0);
        assert_string_equal(addr, "192.0.2.1");
        assert_int_equal(port, 8443);
        assert_int_equal(family, AF_INET);
        free(addr);
        in6.sin6_addr.s6_addr[15] = 1;
        assert_int_equal(sockaddr_decode(&in6, sizeof(in6), &addr, &port, &family), 0);
        assert_string_equal(addr, "::1");
        assert_int_equal(port, 53);
        free(addr);
        memcpy(un.sun_path, "\0bus", 4);
        assert_int_equal(sockaddr_decode(&un, offsetof(struct sockaddr_un, sun_path) + 4, &addr,
                                         &port, &family),
                         0);
        assert_string_equal(addr, "@bus");
        assert_int_equal(port, -1);
        free(addr);
        /* a truncated address is refused, never read past */
        assert_int_equal(sockaddr_decode(&in, 1, &addr, &port, &family), -EINVAL);
}

static void test_shell_events(void **state)
{
        struct run r = {0};
        char script[1024], path[256];
        struct json_object *e, *changes, *tree;
        bool found = false;

        (void)state;
        if (!have_notify())
                skip();
        snprintf(path, sizeof(path), "%s/out.txt", tmpdir);
        snprintf(script, sizeof(script), "printf 'hello\\n' > %s; /bin/cat %s >/dev/null", path,
                 path);
        char *argv[] = {"/bin/sh", "-c", script, NULL};
        run_traced(&r, argv);
        assert_true(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0);

        e = find_event(r.report, "execve", "/bin/sh");
        assert_non_null(e);
        assert_string_equal(
                json_object_get_string(json_object_array_get_idx(
                        json_object_object_get(json_object_object_get(e, "args"), "argv"), 2)),
                script);
        assert_string_equal(json_object_get_string(json_object_object_get(e, "result")),
                            "continued");
        assert_non_null(find_event(r.report, "execve", "/bin/cat"));
        e = find_event(r.report, "openat", path);
        assert_non_null(e);
        assert_non_null(strstr(json_object_to_json_string(e), "O_CREAT"));

        /* sh is the root; cat, its child, hangs below it. */
        tree = json_object_object_get(r.report, "process_tree");
        assert_true(json_object_array_length(tree) >= 1);
        assert_true(json_object_array_length(json_object_object_get(
                            json_object_array_get_idx(tree, 0), "children")) >= 1);

        changes = json_object_object_get(r.report, "file_changes");
        for (size_t i = 0; i < json_object_array_length(changes); i++) {
                struct json_object *c = json_object_array_get_idx(changes, i);

                if (!streq(json_object_get_string(json_object_object_get(c, "path")), path))
                        continue;
                found = true;
                assert_string_equal(json_object_get_string(json_object_object_get(c, "change")),
                                    "created");
                /* sha256("hello\n") */
                assert_string_equal(
                        json_object_get_string(json_object_object_get(c, "sha256")),
                        "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
                assert_int_equal(json_object_get_int(json_object_object_get(c, "size")), 6);
        }
        assert_true(found);
        assert_int_equal(monitor_has_finding(r.m, "T1105", NULL), false);
        run_done(&r);
}

static void run_sample(struct run *r, const char *mode, const char *arg)
{
        char *argv[] = {(char *)MONITOR_SAMPLE_RAW, (char *)mode, (char *)arg, NULL};

        run_traced(r, argv);
        assert_true(WIFEXITED(r->status));
}

static void test_escape(void **state)
{
        struct run r = {0};
        struct json_object *e;

        (void)state;
        if (!have_notify())
                skip();
        run_sample(&r, "escape", NULL);
        e = find_event(r.report, "mount", "/tmp");
        assert_non_null(e);
        /* the policy's answer stands: recorded and still denied */
        assert_string_equal(json_object_get_string(json_object_object_get(e, "result")), "denied");
        assert_string_equal(json_object_get_string(json_object_object_get(e, "errno")), "EPERM");
        assert_non_null(find_event(r.report, "unshare", NULL));
        assert_non_null(find_event(r.report, "init_module", NULL));
        assert_non_null(find_event(r.report, "bpf", NULL));
        assert_true(monitor_has_finding(r.m, "T1611", "high"));
        assert_true(monitor_has_finding(r.m, "T1055.008", "high"));
        run_done(&r);
}

static void test_canary(void **state)
{
        struct run r = {0};
        char home[128];

        (void)state;
        if (!have_notify())
                skip();
        snprintf(home, sizeof(home), "%s/home", tmpdir);
        run_sample(&r, "canary", home);
        assert_true(monitor_has_finding(r.m, "T1552.001", "high"));
        assert_true(monitor_has_finding(r.m, "T1555.003", "high"));
        run_done(&r);
}

static void test_fileless(void **state)
{
        struct run r = {0};

        (void)state;
        if (!have_notify())
                skip();
        run_sample(&r, "fileless", NULL);
        assert_int_equal(WEXITSTATUS(r.status), 0);
        assert_non_null(find_event(r.report, "memfd_create", "payload"));
        assert_true(monitor_has_finding(r.m, "T1620", "high"));
        run_done(&r);
}

static void test_setuid(void **state)
{
        struct run r = {0};
        char path[128];

        (void)state;
        if (!have_notify())
                skip();
        snprintf(path, sizeof(path), "%s/suid", tmpdir);
        run_sample(&r, "setuid", path);
        assert_true(monitor_has_finding(r.m, "T1548.001", "high"));
        run_done(&r);
}

static void test_scan(void **state)
{
        struct run r = {0};
        struct json_object *e;

        (void)state;
        if (!have_notify())
                skip();
        run_sample(&r, "scan", "30");
        e = find_event(r.report, "connect", NULL);
        assert_non_null(e);
        assert_string_equal(json_object_get_string(json_object_object_get(
                                    json_object_object_get(e, "args"), "address")),
                            "127.0.0.1");
        assert_true(monitor_has_finding(r.m, "T1046", "medium"));
        run_done(&r);
}

static void test_selfdelete(void **state)
{
        struct run r = {0};
        char copy[128], cmd[512];

        (void)state;
        if (!have_notify())
                skip();
        snprintf(copy, sizeof(copy), "%s/dropped-sample", tmpdir);
        snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", MONITOR_SAMPLE_RAW, copy);
        assert_int_equal(system(cmd), 0);
        char *argv[] = {copy, "selfdelete", NULL};
        run_traced(&r, argv);
        assert_int_equal(WEXITSTATUS(r.status), 0);
        assert_int_equal(access(copy, F_OK), -1);
        assert_true(monitor_has_finding(r.m, "T1070.004", NULL));
        run_done(&r);
}

static void test_persist(void **state)
{
        struct run r = {0};
        char home[128];

        (void)state;
        if (!have_notify())
                skip();
        snprintf(home, sizeof(home), "%s/home", tmpdir);
        run_sample(&r, "persist", home);
        assert_true(monitor_has_finding(r.m, "T1546.004", "high"));
        assert_true(monitor_has_finding(r.m, "T1547.013", "high"));
        run_done(&r);
}

static void test_dropper(void **state)
{
        struct run r = {0};

        (void)state;
        if (!have_notify())
                skip();
        run_sample(&r, "dropper", tmpdir);
        assert_int_equal(WEXITSTATUS(r.status), 0);
        assert_true(monitor_has_finding(r.m, "T1105", "high"));
        assert_true(monitor_has_finding(r.m, "T1222.002", NULL));
        run_done(&r);
}

static void test_benign(void **state)
{
        struct run r = {0};
        char script[512];

        (void)state;
        if (!have_notify())
                skip();
        snprintf(script, sizeof(script),
                 "cd %s && mkdir -p d && echo a > d/a && tar cf d.tar d && ls -l >/dev/null && "
                 "rm d.tar",
                 tmpdir);
        char *argv[] = {"/bin/sh", "-c", script, NULL};
        run_traced(&r, argv);
        assert_int_equal(WEXITSTATUS(r.status), 0);
        assert_true(monitor_n_events(r.m) > 0);
        assert_false(monitor_has_finding(r.m, "T1105", NULL));
        assert_true(strcmp(monitor_max_severity(r.m), "medium") != 0 &&
                    strcmp(monitor_max_severity(r.m), "high") != 0);
        run_done(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sha256),
                cmocka_unit_test(test_sockaddr_decode),
                cmocka_unit_test_setup_teardown(test_shell_events, setup, teardown),
                cmocka_unit_test_setup_teardown(test_escape, setup, teardown),
                cmocka_unit_test_setup_teardown(test_canary, setup, teardown),
                cmocka_unit_test_setup_teardown(test_fileless, setup, teardown),
                cmocka_unit_test_setup_teardown(test_setuid, setup, teardown),
                cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
                cmocka_unit_test_setup_teardown(test_selfdelete, setup, teardown),
                cmocka_unit_test_setup_teardown(test_persist, setup, teardown),
                cmocka_unit_test_setup_teardown(test_dropper, setup, teardown),
                cmocka_unit_test_setup_teardown(test_benign, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
