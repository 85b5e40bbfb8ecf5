/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Import of Docker/OCI JSON seccomp profiles: Docker's own default profile behaves as Docker
 * documents, live; malformed profiles give errors that say where. */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "basic/paths.h"
#include "policy/seccomp-json.h"
#include "policy/syscall-groups.h"
#include "tests/unit/sandbox/seccomp-test-util.h"

#define CAP_SYS_ADMIN_BIT (1ULL << 21)

static char *docker_default, *docker_example;

static struct policy *import_file(const char *path, const struct seccomp_json_env *env)
{
        struct policy *p = NULL;
        char *err = NULL;
        int r;

        assert_int_equal(policy_new(&p), 0);
        r = seccomp_json_import_file(path, env, p, &err);
        if (r < 0)
                fail_msg("import of %s: %s", path, err ? err : "?");
        free(err);
        return p;
}

static struct seccomp_program *build(const struct policy *p)
{
        struct seccomp_program *prog = NULL;

        assert_int_equal(seccomp_program_build_uncached(p, &prog), 0);
        return prog;
}

/* The imported rules become the policy's rules; a policy with only them in allow-list mode
 * gives the same program as the profile. */
static int denied(const struct seccomp_program *prog, const char *name, uint64_t a0)
{
        uint64_t args[6] = {a0, 0, 0, 0, 0, 0};
        int nr = syscall_group_resolve_name(name);

        assert_true(nr >= 0);
        return seccomp_program_denied_errno(prog, nr, args);
}

static int ordinary_program(void)
{
        pid_t pid = fork();
        int status;

        if (pid < 0)
                return errno;
        if (pid == 0) {
                execl("/bin/sh", "sh", "-c", "echo hello | tr h j | grep -q jello", (char *)NULL);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

static int docker_probes(void *userdata)
{
        (void)userdata;
        if (sys_errno(SYS_getppid, 0, 0, 0, 0, 0) != 0)
                return 1;
        /* personality: PER_LINUX and the query pass, PER_BSD does not */
        if (sys_errno(SYS_personality, 0, 0, 0, 0, 0) != 0)
                return 2;
        if (sys_errno(SYS_personality, 0xffffffff, 0, 0, 0, 0) != 0)
                return 3;
        if (sys_errno(SYS_personality, 0x6, 0, 0, 0, 0) != EPERM)
                return 4;
        if (sys_errno(SYS_mount, 0, 0, 0, 0, 0) != EPERM)
                return 5;
        if (sys_errno(SYS_unshare, CLONE_NEWUSER, 0, 0, 0, 0) != EPERM)
                return 6;
        if (sys_errno(SYS_clone3, 0, 0, 0, 0, 0) != ENOSYS)
                return 7;
        if (sys_errno(SYS_socket, 40 /* AF_VSOCK */, SOCK_STREAM, 0, 0, 0) != EPERM)
                return 8;
        if (sys_errno(SYS_keyctl, 0, -3, 0, 0, 0) != EPERM)
                return 9;
        if (ordinary_program() != 0)
                return 10;
        return 0;
}

static void test_docker_default(void **state)
{
        _cleanup_(policy_freep) struct policy *p = import_file(docker_default, NULL);
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;
        struct seccomp_summary s;

        (void)state;
        assert_int_equal(p->seccomp_mode, SECCOMP_MODE_ALLOWLIST);
        assert_int_equal(p->seccomp_default_errno, EPERM);
        assert_true(p->n_seccomp_rules > 300);
        prog = build(p);
        seccomp_program_summary(prog, &s);
        assert_true(s.allowlist);
        assert_int_equal(denied(prog, "mount", 0), EPERM);
        assert_int_equal(denied(prog, "read", 0), 0);
        assert_int_equal(denied(prog, "arch_prctl", 0), 0);
        assert_int_equal(denied(prog, "personality", 0x6), EPERM);
        assert_int_equal(denied(prog, "personality", 0x20008), 0);
        assert_int_equal(denied(prog, "clone", CLONE_NEWNS | SIGCHLD), EPERM);
        assert_int_equal(denied(prog, "clone", CLONE_VM | CLONE_THREAD | SIGCHLD), 0);
        assert_int_equal(denied(prog, "socket", AF_INET), 0);
        assert_int_equal(denied(prog, "socket", 38), EPERM);
        /* Docker allows ptrace from kernel 4.8 on ("minKernel") */
        assert_int_equal(denied(prog, "ptrace", PTRACE_TRACEME), 0);
        assert_int_equal(run_filtered(prog, docker_probes, NULL), 0);
}

/* The same profile through the policy's seccomp_json field, as "--seccomp-json" sets it. */
static void test_docker_default_by_path(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;

        (void)state;
        assert_int_equal(policy_new(&p), 0);
        p->seccomp_json = strdup(docker_default);
        prog = build(p);
        assert_int_equal(denied(prog, "personality", 0x6), EPERM);
        assert_int_equal(denied(prog, "read", 0), 0);
        assert_int_equal(run_filtered(prog, docker_probes, NULL), 0);
}

static int ptrace_probe(void *userdata)
{
        return sys_errno(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0, 0) == *(int *)userdata ? 0 : 1;
}

/* "includes": minKernel and capabilities. */
static void test_docker_includes(void **state)
{
        const struct seccomp_json_env old = {.kernel_release = "4.4.0"};
        const struct seccomp_json_env admin = {.caps = CAP_SYS_ADMIN_BIT};
        _cleanup_(policy_freep) struct policy *p = import_file(docker_default, &old);
        _cleanup_(policy_freep) struct policy *q = import_file(docker_default, &admin);
        _cleanup_(seccomp_program_freep) struct seccomp_program *pp = build(p), *qp = build(q);
        int want;

        (void)state;
        assert_int_equal(denied(pp, "ptrace", PTRACE_TRACEME), EPERM);
        want = EPERM;
        assert_int_equal(run_filtered(pp, ptrace_probe, &want), 0);
        /* with CAP_SYS_ADMIN Docker allows mount and setns; airlock's own namespace checks on
         * clone stay */
        assert_int_equal(denied(qp, "mount", 0), 0);
        assert_int_equal(denied(qp, "setns", 0), 0);
        assert_int_equal(denied(qp, "clone", CLONE_NEWNS | SIGCHLD), EPERM);
}

static void test_docker_example(void **state)
{
        _cleanup_(policy_freep) struct policy *p = import_file(docker_example, NULL);
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;

        (void)state;
        assert_int_equal(p->seccomp_mode, SECCOMP_MODE_ALLOWLIST);
        assert_true(p->n_seccomp_rules > 0);
        prog = build(p);
        assert_int_equal(denied(prog, "clone", CLONE_NEWNS | SIGCHLD), EPERM);
        assert_int_equal(denied(prog, "close", 0), 0);
        /* errnoRet 12345: the kernel clamps it to 4095 */
        assert_int_equal(denied(prog, "syslog", 0), 4095);
        assert_int_equal(denied(prog, "uname", 0), EPERM);
}

static struct policy *import_text(const char *json, int want, const char *want_error)
{
        struct policy *p = NULL;
        char *err = NULL;

        assert_int_equal(policy_new(&p), 0);
        assert_int_equal(seccomp_json_import_string(json, NULL, p, &err), want);
        if (want_error) {
                assert_non_null(err);
                if (!strstr(err, want_error))
                        fail_msg("error \"%s\" does not say \"%s\"", err, want_error);
        }
        free(err);
        return p;
}

static void test_errors(void **state)
{
        static const struct {
                const char *json;
                const char *error;
        } bad[] = {
                {"{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"syscalls\": [ { \"names\": ]",
                 "line 3"},
                {"{}", "defaultAction"},
                {"[1, 2]", "JSON object"},
                {"{\"defaultAction\": \"SCMP_ACT_NOPE\"}", "unknown action \"SCMP_ACT_NOPE\""},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}", "syscalls: expected"},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
                 "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, "
                 "\"op\": \"SCMP_CMP_SIMILAR\"}]}]}",
                 "syscalls[0].args[0].op: unknown operator"},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
                 "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 9, \"op\": "
                 "\"SCMP_CMP_EQ\"}]}]}",
                 "syscalls[0].args[0].index"},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": \"read\", "
                 "\"action\": \"SCMP_ACT_ERRNO\"}]}",
                 "syscalls[0].names"},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
                 "\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 99999}]}",
                 "syscalls[0].errnoRet"},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": "
                 "\"SCMP_ACT_ERRNO\"}]}",
                 "neither"},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\"} trailing", "line 1"},
                {"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
                 "\"action\": \"SCMP_ACT_ERRNO\", \"includes\": {\"caps\": \"CAP_X\"}}]}",
                 "syscalls[0].includes.caps"},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_(policy_freep) struct policy *p =
                        import_text(bad[i].json, -EINVAL, bad[i].error);
        }
}

static int getpriority_errno(uint64_t who)
{
        return sys_errno(SYS_getpriority, 0, (long)who, 0, 0, 0);
}

static int split_probes(void *userdata)
{
        (void)userdata;
        /* one argument compared twice: ORed */
        if (getpriority_errno(5) != EXDEV || getpriority_errno(7) != EXDEV)
                return 1;
        if (getpriority_errno(6) == EXDEV)
                return 2;
        /* two arguments: ANDed (setpriority(which=0, who=5, prio) refused only for prio 3) */
        if (sys_errno(SYS_setpriority, 0, 5, 3, 0, 0) != EXDEV)
                return 3;
        if (sys_errno(SYS_setpriority, 0, 5, 4, 0, 0) == EXDEV)
                return 4;
        /* MASKED_EQ: value is the mask, valueTwo the datum */
        if (sys_errno(SYS_getpgid, 0x1f0, 0, 0, 0, 0) != EXDEV)
                return 5;
        if (sys_errno(SYS_getpgid, 0x100, 0, 0, 0, 0) == EXDEV)
                return 6;
        /* unknown names are skipped, known ones in the same entry kept */
        if (sys_errno(SYS_getppid, 0, 0, 0, 0, 0) != EXDEV)
                return 7;
        return 0;
}

static void test_arg_semantics(void **state)
{
        static const char json[] =
                "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": ["
                "{\"names\": [\"getpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 18,"
                " \"args\": [{\"index\": 1, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"},"
                "            {\"index\": 1, \"value\": 7, \"op\": \"SCMP_CMP_EQ\"}]},"
                "{\"names\": [\"setpriority\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 18,"
                " \"args\": [{\"index\": 1, \"value\": 5, \"op\": \"SCMP_CMP_EQ\"},"
                "            {\"index\": 2, \"value\": 3, \"op\": \"SCMP_CMP_EQ\"}]},"
                "{\"name\": \"getpgid\", \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 18,"
                " \"args\": [{\"index\": 0, \"value\": 240, \"valueTwo\": 240,"
                "             \"op\": \"SCMP_CMP_MASKED_EQ\"}]},"
                "{\"names\": [\"no_such_syscall\", \"getppid\"], \"action\": \"SCMP_ACT_ERRNO\","
                " \"errnoRet\": 18, \"comment\": \"ignored\"}]}";
        _cleanup_(policy_freep) struct policy *p = import_text(json, 0, NULL);
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;

        (void)state;
        assert_int_equal(p->seccomp_mode, SECCOMP_MODE_DENYLIST);
        prog = build(p);
        assert_int_equal(run_filtered(prog, split_probes, NULL), 0);
}

/* A whole OCI runtime config: its linux.seccomp is used. */
static void test_oci_config(void **state)
{
        static const char json[] =
                "{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": {"
                "\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 13,"
                "\"architectures\": [\"SCMP_ARCH_X86_64\"],"
                "\"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
                "{\"names\": [\"getppid\"], \"action\": \"SCMP_ACT_KILL_PROCESS\"},"
                "{\"names\": [\"uname\"], \"action\": \"SCMP_ACT_LOG\"},"
                "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ERRNO\"},"
                "{\"names\": [\"getuid\"], \"action\": \"SCMP_ACT_TRACE\", \"errnoRet\": 5}]}}}";
        _cleanup_(policy_freep) struct policy *p = import_text(json, 0, NULL);
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;
        struct seccomp_summary s;

        (void)state;
        assert_int_equal(p->seccomp_mode, SECCOMP_MODE_ALLOWLIST);
        assert_int_equal(p->seccomp_default_errno, EACCES);
        prog = build(p);
        seccomp_program_summary(prog, &s);
        assert_int_equal(s.n_kill, 1);
        assert_int_equal(s.n_log, 1);
        assert_int_equal(denied(prog, "read", 0), 0);
        assert_int_equal(denied(prog, "openat", 0), EACCES);
        /* errnoRet defaults to EPERM, not to defaultErrnoRet (runtime spec); TRACE without a
         * tracer is ENOSYS whatever its errnoRet */
        assert_int_equal(denied(prog, "getpid", 0), EPERM);
        assert_int_equal(denied(prog, "getuid", 0), ENOSYS);
}

static int setup(void **state)
{
        (void)state;
        if (data_path("tests/data/seccomp/docker-default.json", &docker_default) < 0 ||
            data_path("tests/data/seccomp/docker-example.json", &docker_example) < 0) {
                fprintf(stderr, "tests/data/seccomp is missing\n");
                return -1;
        }
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        free(docker_default);
        free(docker_example);
        return 0;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_docker_default),
                cmocka_unit_test(test_docker_default_by_path),
                cmocka_unit_test(test_docker_includes),
                cmocka_unit_test(test_docker_example),
                cmocka_unit_test(test_errors),
                cmocka_unit_test(test_arg_semantics),
                cmocka_unit_test(test_oci_config),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
