/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device cgroup: v1's lines, and v2's BPF program, built, loaded (the kernel's verifier
 * accepts it) and, as root where a cgroup2 hierarchy is mounted (no controller is needed for
 * device programs), attached to a child of the test's own cgroup with a forked child in it
 * opening nodes the rules allow and deny. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "basic/fileio.h"
#include "resources/cgroup-internal.h"

#define RULE(a, t, ma, mi, acc)       \
        ((struct policy_device_rule){ \
                .allow = (a), .type = (t), .major = (ma), .minor = (mi), .access = acc})

static void test_v1_lines(void **state)
{
        struct policy_device_rule deny_all = RULE(false, 'a', -1, -1, "rwm");
        struct policy_device_rule null = RULE(true, 'c', 1, 3, "rwm");
        struct policy_device_rule any_block_mknod = RULE(true, 'b', -1, -1, "m");
        struct policy_device_rule pts_read = RULE(false, 'a', 136, -1, "r");
        char line[64];

        (void)state;
        assert_string_equal(cgroup_v1_device_line(&deny_all, 'c', line, sizeof(line)),
                            "devices.deny");
        assert_string_equal(line, "a");
        assert_string_equal(cgroup_v1_device_line(&null, 'c', line, sizeof(line)), "devices.allow");
        assert_string_equal(line, "c 1:3 rwm");
        cgroup_v1_device_line(&any_block_mknod, 'b', line, sizeof(line));
        assert_string_equal(line, "b *:* m");
        cgroup_v1_device_line(&pts_read, 'b', line, sizeof(line));
        assert_string_equal(line, "b 136:* r");
}

static void test_program_shape(void **state)
{
        const struct policy_device_rule rules[] = {
                RULE(false, 'a', -1, -1, "rwm"),
                RULE(true, 'c', 1, 3, "rwm"),
                RULE(true, 'c', 1, 5, "r"),
        };
        struct bpf_insn insns[64];
        int n;

        (void)state;
        n = cgroup_v2_device_program(rules, ELEMENTSOF(rules), insns, ELEMENTSOF(insns));
        /* prologue 6; c 1:5 r: type, access (3), major, minor, verdict (2) = 8; c 1:3: 5;
         * the whole-table deny ends it: 2, no default after it */
        assert_int_equal(n, 6 + 8 + 5 + 2);
        assert_int_equal(insns[n - 2].code, BPF_ALU | BPF_MOV | BPF_K);
        assert_int_equal(insns[n - 2].imm, 0);
        assert_int_equal(insns[n - 1].code, BPF_JMP | BPF_EXIT);
        /* the last rule is compiled first: its type check skips its own 7 other insns */
        assert_int_equal(insns[6].code, BPF_JMP | BPF_JNE | BPF_K);
        assert_int_equal(insns[6].imm, BPF_DEVCG_DEV_CHAR);
        assert_int_equal(insns[6].off, 7);
        assert_int_equal(insns[12].imm, 1); /* its verdict: allow */
        /* without a whole-table rule, what no rule matches is denied */
        n = cgroup_v2_device_program(rules + 1, 1, insns, ELEMENTSOF(insns));
        assert_int_equal(n, 6 + 5 + 2);
        assert_int_equal(insns[n - 2].imm, 0);
        assert_int_equal(cgroup_v2_device_program(rules, ELEMENTSOF(rules), insns, 10), -E2BIG);
}

static void test_program_loads(void **state)
{
        const struct policy_device_rule rules[] = {
                RULE(false, 'a', -1, -1, "rwm"), RULE(true, 'c', -1, -1, "m"),
                RULE(true, 'b', -1, -1, "m"),    RULE(true, 'c', 1, 3, "rwm"),
                RULE(false, 'c', 1, 3, "w"),     RULE(true, 'c', 136, -1, "rwm"),
        };
        struct bpf_insn insns[64];
        union bpf_attr load = {0};
        char log[4096] = "";
        int n, fd;

        (void)state;
        n = cgroup_v2_device_program(rules, ELEMENTSOF(rules), insns, ELEMENTSOF(insns));
        assert_true(n > 0);
        load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        load.insns = (uint64_t)(uintptr_t)insns;
        load.insn_cnt = (uint32_t)n;
        load.license = (uint64_t)(uintptr_t) "LGPL";
        load.log_buf = (uint64_t)(uintptr_t)log;
        load.log_size = sizeof(log);
        load.log_level = 1;
        fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
        if (fd < 0 && (errno == EPERM || errno == ENOSYS)) {
                printf("skip: BPF_PROG_LOAD refused (%m): loading needs root or CAP_BPF\n");
                skip();
        }
        if (fd < 0)
                fail_msg("the verifier refused the program: %m\n%s", log);
        close(fd);
}

/* This process's cgroup2 folder, the one of the unified hierarchy. */
static char *own_v2_dir(void)
{
        char *dir = NULL;

        return cgroup_find_own("", &dir) < 0 ? NULL : dir;
}

/* In the child: into the cgroup, then each open's errno (0: opened) as a digit per node. */
static void child_probe(const char *procs)
{
        static const struct {
                const char *path;
                int flags;
        } probes[] = {
                {"/dev/null", O_RDWR},
                {"/dev/zero", O_RDONLY},
                {"/dev/zero", O_WRONLY},
                {"/dev/full", O_RDONLY},
        };
        char pid[32];
        int code = 0;

        snprintf(pid, sizeof(pid), "%d", (int)getpid());
        if (write_string_file(procs, pid) < 0)
                _exit(99);
        for (size_t i = 0; i < ELEMENTSOF(probes); i++) {
                int fd = open(probes[i].path, probes[i].flags | O_CLOEXEC);

                code = code * 2 + (fd < 0 && errno == EPERM);
                if (fd >= 0)
                        close(fd);
        }
        _exit(code);
}

static void test_program_in_force(void **state)
{
        const struct policy_device_rule rules[] = {
                RULE(false, 'a', -1, -1, "rwm"),
                RULE(true, 'c', 1, 3, "rwm"),
                RULE(true, 'c', 1, 5, "r"),
        };
        _cleanup_free_ char *own = own_v2_dir(), *dir = NULL, *procs = NULL;
        _cleanup_close_ int fd = -1;
        int status, r;
        pid_t child;

        (void)state;
        if (geteuid() != 0 || !own) {
                printf("skip: needs root and a mounted cgroup2 hierarchy\n");
                own = mfree(own); /* skip() jumps past the cleanup */
                skip();
        }
        assert_true(asprintf(&dir, "%s/airlock-devtest-%d", own, (int)getpid()) > 0);
        assert_true(asprintf(&procs, "%s/cgroup.procs", dir) > 0);
        if (mkdir(dir, 0755) < 0) {
                printf("skip: cannot make %s: %m\n", dir);
                own = mfree(own), dir = mfree(dir), procs = mfree(procs);
                skip();
        }
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        r = cgroup_v2_device_attach(fd, rules, ELEMENTSOF(rules));
        if (r < 0) {
                rmdir(dir);
                fail_msg("cannot attach the device program to %s: %s", dir, strerror(-r));
        }
        child = fork();
        assert_true(child >= 0);
        if (child == 0)
                child_probe(procs);
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_int_equal(cgroup_remove_dir(dir), 0);
        assert_true(WIFEXITED(status));
        /* null read-write and zero read-only open; zero for writing and full are EPERM */
        assert_int_equal(WEXITSTATUS(status), 0x3);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_v1_lines),
                cmocka_unit_test(test_program_shape),
                cmocka_unit_test(test_program_loads),
                cmocka_unit_test(test_program_in_force),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
