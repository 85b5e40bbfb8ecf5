/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp filter, tested live: fork, load, call, look at the errno. Where the call would
 * fail the same way without a filter (a privileged call made by a user), the program's own
 * answer (seccomp_program_denied_errno) is checked too. */
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <cmocka.h>

#include "config.h"
#include "basic/paths.h"
#include "sandbox/seccomp-internal.h"
#include "policy/syscall-groups.h"
#include "seccomp-test-util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x80
#endif

struct probe {
        const char *what;
        long nr;
        long a[5];
        int want; /* errno, 0 for success, -1: anything but EPERM */
};

static int run_probes(void *userdata)
{
        const struct probe *p = userdata;

        for (int i = 0; p[i].what; i++) {
                int e = sys_errno(p[i].nr, p[i].a[0], p[i].a[1], p[i].a[2], p[i].a[3], p[i].a[4]);
                bool ok = p[i].want < 0 ? e != EPERM : e == p[i].want;
                if (!ok) {
                        fprintf(stderr, "probe %s: errno %d, expected %d\n", p[i].what, e,
                                p[i].want);
                        return i + 1;
                }
        }
        return 0;
}

static struct seccomp_program *build(struct policy *p)
{
        struct seccomp_program *prog = NULL;

        assert_int_equal(seccomp_program_build_uncached(p, &prog), 0);
        assert_non_null(prog);
        return prog;
}

static struct policy *new_policy(void)
{
        struct policy *p = NULL;

        assert_int_equal(policy_new(&p), 0);
        return p;
}

static void add_rule(struct policy *p, const char *name, enum seccomp_action_kind a, int err)
{
        struct seccomp_rule r = {.name = (char *)name, .action = a, .errno_value = err};
        assert_int_equal(policy_add_seccomp_rule(p, &r), 0);
}

static void add_rule_cond(struct policy *p, const char *name, enum seccomp_action_kind a, int err,
                          unsigned idx, enum seccomp_cmp op, uint64_t v, uint64_t mask)
{
        struct seccomp_rule r = {
                .name = (char *)name, .action = a, .errno_value = err, .n_conds = 1};
        r.conds[0] = (struct seccomp_arg_cond){.index = idx, .op = op, .value = v, .mask = mask};
        assert_int_equal(policy_add_seccomp_rule(p, &r), 0);
}

static int denied(const struct seccomp_program *prog, const char *name, uint64_t a0, uint64_t a1)
{
        uint64_t args[6] = {a0, a1, 0, 0, 0, 0};
        int nr = syscall_group_resolve_name(name);

        assert_true(nr >= 0);
        return seccomp_program_denied_errno(prog, nr, args);
}

/* What the default deny-list refuses, each with EPERM, by the program's own reckoning. */
static void test_default_denies(void **state)
{
        static const char *const refused[] = {"mount",
                                              "umount2",
                                              "pivot_root",
                                              "fsopen",
                                              "fsconfig",
                                              "fsmount",
                                              "fspick",
                                              "move_mount",
                                              "open_tree",
                                              "mount_setattr",
                                              "unshare",
                                              "setns",
                                              "ptrace",
                                              "process_vm_readv",
                                              "process_vm_writev",
                                              "chroot",
                                              "init_module",
                                              "finit_module",
                                              "delete_module",
                                              "kexec_load",
                                              "kexec_file_load",
                                              "acct",
                                              "swapon",
                                              "swapoff",
                                              "reboot",
                                              "syslog",
                                              "settimeofday",
                                              "clock_settime",
                                              "clock_adjtime",
                                              "adjtimex",
                                              "io_uring_setup",
                                              "io_uring_enter",
                                              "io_uring_register",
                                              "userfaultfd",
                                              "bpf",
                                              "perf_event_open",
                                              "keyctl",
                                              "add_key",
                                              "request_key",
                                              "open_by_handle_at",
                                              "iopl",
                                              "ioperm",
                                              "kcmp",
                                              "pidfd_getfd",
                                              "lookup_dcookie",
                                              "quotactl",
                                              "sethostname",
                                              "setdomainname",
                                              "vhangup",
                                              "uselib",
                                              "ustat",
                                              "sysfs",
                                              "fanotify_init",
                                              "set_mempolicy",
                                              "mbind",
                                              "move_pages",
                                              "get_mempolicy",
                                              "migrate_pages",
                                              "_sysctl",
                                              "nfsservctl",
                                              NULL};
        static const char *const allowed[] = {
                "read",   "write", "openat",       "close",      "mmap",         "futex", "getppid",
                "execve", "wait4", "rt_sigaction", "socketpair", "memfd_create", NULL};
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = build(p);
        struct seccomp_summary s;

        (void)state;
        for (size_t i = 0; refused[i]; i++) {
                if (syscall_group_resolve_name(refused[i]) < 0)
                        continue;
                if (denied(prog, refused[i], 0, 0) != EPERM)
                        fail_msg("%s is not refused with EPERM", refused[i]);
        }
        for (size_t i = 0; allowed[i]; i++)
                if (denied(prog, allowed[i], 0, 0) != 0)
                        fail_msg("%s is refused", allowed[i]);
        assert_int_equal(denied(prog, "clone3", 0, 0), ENOSYS);
        seccomp_program_summary(prog, &s);
        assert_false(s.allowlist);
        assert_true(s.n_errno >= 60);
        assert_true(s.n_allow_cond >= 4); /* clone, ioctl, personality, socket */
        assert_int_equal(s.n_insns, prog->n_insns);
}

/* Every syscall named in Docker's default profile as refused to a process without
 * capabilities is refused by the default deny-list too. */
static void test_default_covers_docker(void **state)
{
        static const char *const docker_refused[] = {"acct",
                                                     "add_key",
                                                     "bpf",
                                                     "clock_adjtime",
                                                     "clock_settime",
                                                     "create_module",
                                                     "delete_module",
                                                     "finit_module",
                                                     "get_kernel_syms",
                                                     "get_mempolicy",
                                                     "init_module",
                                                     "ioperm",
                                                     "iopl",
                                                     "kcmp",
                                                     "kexec_file_load",
                                                     "kexec_load",
                                                     "keyctl",
                                                     "lookup_dcookie",
                                                     "mbind",
                                                     "mount",
                                                     "move_pages",
                                                     "nfsservctl",
                                                     "open_by_handle_at",
                                                     "perf_event_open",
                                                     "pivot_root",
                                                     "process_vm_readv",
                                                     "process_vm_writev",
                                                     "ptrace",
                                                     "query_module",
                                                     "quotactl",
                                                     "reboot",
                                                     "request_key",
                                                     "set_mempolicy",
                                                     "setns",
                                                     "settimeofday",
                                                     "swapon",
                                                     "swapoff",
                                                     "sysfs",
                                                     "_sysctl",
                                                     "umount2",
                                                     "unshare",
                                                     "uselib",
                                                     "userfaultfd",
                                                     "ustat",
                                                     "fsopen",
                                                     "fsconfig",
                                                     "fsmount",
                                                     "fspick",
                                                     "move_mount",
                                                     "open_tree",
                                                     "mount_setattr",
                                                     "io_uring_setup",
                                                     "pidfd_getfd",
                                                     "process_madvise",
                                                     "quotactl_fd",
                                                     "fanotify_init",
                                                     "syslog",
                                                     "vhangup",
                                                     "setdomainname",
                                                     "sethostname",
                                                     "afs_syscall",
                                                     "getpmsg",
                                                     "putpmsg",
                                                     "security",
                                                     "tuxcall",
                                                     "vserver",
                                                     "lsm_get_self_attr",
                                                     "lsm_set_self_attr",
                                                     "lsm_list_modules",
                                                     NULL};
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = build(p);

        (void)state;
        for (size_t i = 0; docker_refused[i]; i++) {
                if (syscall_group_resolve_name(docker_refused[i]) < 0)
                        continue;
                if (denied(prog, docker_refused[i], 0, 0) != EPERM)
                        fail_msg("%s is refused by Docker but not by airlock", docker_refused[i]);
        }
}

static const struct probe default_probes[] = {
        {"getppid", SYS_getppid, {0}, 0},
        {"uname", SYS_uname, {0}, EFAULT}, /* reaches the kernel */
        {"unshare(NEWUSER)", SYS_unshare, {CLONE_NEWUSER}, EPERM},
        {"unshare(NEWNS)", SYS_unshare, {CLONE_NEWNS}, EPERM},
        {"unshare(NEWTIME)", SYS_unshare, {CLONE_NEWTIME}, EPERM},
        {"clone(NEWUSER)", SYS_clone, {CLONE_NEWUSER | SIGCHLD}, EPERM},
        {"clone(NEWNET)", SYS_clone, {CLONE_NEWNET | SIGCHLD}, EPERM},
        {"clone(NEWPID) high bits", SYS_clone, {(long)(CLONE_NEWPID | 0x100000000ULL)}, EPERM},
        {"clone3", SYS_clone3, {0, 0}, ENOSYS},
        {"ptrace(TRACEME)", SYS_ptrace, {PTRACE_TRACEME}, EPERM},
        {"personality(PER_BSD)", SYS_personality, {0x6}, EPERM},
        {"personality(READ_IMPLIES_EXEC)", SYS_personality, {0x0400000}, EPERM},
        {"personality(PER_LINUX32)", SYS_personality, {0x8}, EPERM},
        {"personality(UNAME26)", SYS_personality, {0x20000}, EPERM},
        {"personality(PER_LINUX32) high bits",
         SYS_personality,
         {(long)(0x8 | 0x100000000ULL)},
         EPERM},
        {"personality(query)", SYS_personality, {0xffffffff}, 0},
        {"personality(PER_LINUX)", SYS_personality, {0}, 0},
        {"socket(AF_VSOCK)", SYS_socket, {40, SOCK_STREAM, 0}, EPERM},
        {"socket(AF_ALG) high bits",
         SYS_socket,
         {(long)(38 | 0x100000000ULL), SOCK_SEQPACKET, 0},
         EPERM},
        {"settimeofday(NULL, NULL)", SYS_settimeofday, {0, 0}, EPERM},
        {"clock_settime(MONOTONIC)", SYS_clock_settime, {CLOCK_MONOTONIC, 0}, EPERM},
        {"adjtimex", SYS_adjtimex, {0}, EPERM},
        {"bpf", SYS_bpf, {-1, 0, 0}, EPERM},
        {"perf_event_open", SYS_perf_event_open, {0, 0, -1, -1, 0}, EPERM},
        {"io_uring_setup", SYS_io_uring_setup, {0, 0}, EPERM},
        {"userfaultfd", SYS_userfaultfd, {0}, EPERM},
        {"keyctl", SYS_keyctl, {0 /* KEYCTL_GET_KEYRING_ID */, -3, 0}, EPERM},
        {"add_key", SYS_add_key, {0, 0, 0, 0, 0}, EPERM},
        {"mount", SYS_mount, {0, 0, 0, 0, 0}, EPERM},
        {"fsopen", SYS_fsopen, {0, 0}, EPERM},
        {"open_tree", SYS_open_tree, {-1, 0, 0}, EPERM},
        {"process_vm_readv", SYS_process_vm_readv, {0, 0, 0, 0, 0}, EPERM},
        {"kcmp", SYS_kcmp, {0, 0, 0, 0, 0}, EPERM},
        {"syslog(SIZE_BUFFER)", SYS_syslog, {10, 0, 0}, EPERM},
        {"unknown syscall 1000", 1000, {0}, ENOSYS},
        {"syscall -1", -1, {0}, ENOSYS},
        {NULL, 0, {0}, 0},
};

static void test_default_live(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = build(p);

        (void)state;
        assert_int_equal(run_filtered(prog, run_probes, (void *)default_probes), 0);
}

/* TIOCSTI and TIOCLINUX fail with EPERM on a terminal or anywhere, also with high bits set in
 * the request (the kernel reads it as 32 bits); other ioctls reach the kernel. */
static int probe_ioctls(void *userdata)
{
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        char c = 'x';

        (void)userdata;
        if (fd < 0)
                return 50;
        if (sys_errno(SYS_ioctl, fd, TIOCSTI, (long)&c, 0, 0) != EPERM)
                return 1;
        if (sys_errno(SYS_ioctl, fd, (long)(TIOCSTI | 0x500000000ULL), (long)&c, 0, 0) != EPERM)
                return 2;
        if (sys_errno(SYS_ioctl, fd, 0x541C /* TIOCLINUX */, (long)&c, 0, 0) != EPERM)
                return 3;
        if (sys_errno(SYS_ioctl, fd, TCGETS, (long)&c, 0, 0) != ENOTTY)
                return 4;
        return 0;
}

static void test_ioctl(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;

        (void)state;
        /* a profile that allows ioctl outright does not lift the TIOCSTI check */
        add_rule(p, "ioctl", SECCOMP_ACT_ALLOW_KIND, 0);
        prog = build(p);
        assert_int_equal(run_filtered(prog, probe_ioctls, NULL), 0);
}

/* Foreign ABIs kill the process. */
#if defined(__x86_64__)
static int call_x32_getpid(void *userdata)
{
        (void)userdata;
        syscall(0x40000000 | 39);
        return 0;
}

static int call_i386_getpid(void *userdata)
{
        long ret;

        (void)userdata;
        __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory");
        return 0;
}

static void test_foreign_abi(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = build(p);
        int bare;

        (void)state;
        assert_int_equal(run_filtered(prog, call_x32_getpid, NULL), 1000 + SIGSYS);
        /* Some machines (PVM guests) have no 32-bit entry point: int $0x80 ends in SIGSEGV
         * without any filter, and there is nothing to refuse. AIRLOCK_PROBE_NO_INT80 pretends
         * so, to exercise this path. */
        bare = getenv("AIRLOCK_PROBE_NO_INT80") ? 1000 + SIGSEGV
                                                : run_forked(call_i386_getpid, NULL);
        if (bare != 0) {
                print_message("no 32-bit entry point on this machine (int $0x80 outside any "
                              "filter: %d): the i386 probe is skipped\n",
                              bare);
                skip();
        }
        assert_int_equal(run_filtered(prog, call_i386_getpid, NULL), 1000 + SIGSYS);
}
#endif

/* (namespace creation other than a user namespace is left to the kernel, which refuses it
 * without a capability: not probed live, as the test may run as root) */
static const struct probe userns_probes[] = {
        {"unshare(NEWUSER)", SYS_unshare, {CLONE_NEWUSER}, -1},
        {"unshare(FILES)", SYS_unshare, {CLONE_FILES}, 0},
        {"mount", SYS_mount, {0, 0, 0, 0, 0}, EPERM},
        {"fsopen", SYS_fsopen, {0, 0}, EPERM},
        {"setns", SYS_setns, {-1, 0}, EPERM},
        {NULL, 0, {0}, 0},
};

static void test_allow_userns(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;

        (void)state;
        p->allow_userns = true;
        prog = build(p);
        assert_int_equal(run_filtered(prog, run_probes, (void *)userns_probes), 0);
        assert_int_equal(denied(prog, "clone", CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET, 0), 0);
        assert_int_equal(denied(prog, "clone", CLONE_NEWPID, 0), 0);
        assert_int_equal(denied(prog, "unshare", CLONE_NEWUSER | CLONE_NEWNS, 0), 0);
        assert_int_equal(denied(prog, "chroot", 0, 0), 0);
        assert_int_equal(denied(prog, "mount", 0, 0), EPERM);
        assert_int_equal(denied(prog, "fsopen", 0, 0), EPERM);
}

static const struct probe allowlist_probes[] = {
        {"getppid", SYS_getppid, {0}, 0},
        {"socket", SYS_socket, {AF_UNIX, SOCK_STREAM, 0}, EACCES},
        {"uname", SYS_uname, {0}, EACCES},
        {"getcwd (allowed, reaches the kernel)", SYS_getcwd, {0, 0}, ERANGE},
        {"clone3", SYS_clone3, {0, 0}, ENOSYS},
        {"unknown syscall 999", 999, {0}, ENOSYS},
        {NULL, 0, {0}, 0},
};

static void test_allowlist(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;
        struct seccomp_summary s;

        (void)state;
        p->seccomp_mode = SECCOMP_MODE_ALLOWLIST;
        p->seccomp_default_errno = EACCES;
        add_rule(p, "@default", SECCOMP_ACT_ALLOW_KIND, 0);
        add_rule(p, "@basic-io", SECCOMP_ACT_ALLOW_KIND, 0);
        add_rule(p, "@file-system", SECCOMP_ACT_ALLOW_KIND, 0);
        add_rule(p, "@signal", SECCOMP_ACT_ALLOW_KIND, 0);
        prog = build(p);
        seccomp_program_summary(prog, &s);
        assert_true(s.allowlist);
        assert_int_equal(run_filtered(prog, run_probes, (void *)allowlist_probes), 0);
        assert_int_equal(denied(prog, "mount", 0, 0), EACCES);
}

/* The last matching rule decides. */
static void test_rule_order(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(), *q = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *pp = NULL, *qp = NULL;
        const struct probe uname_exdev[] = {{"uname", SYS_uname, {0}, EXDEV}, {NULL, 0, {0}, 0}};
        const struct probe uname_allowed[] = {{"uname", SYS_uname, {0}, EFAULT},
                                              {"ptrace", SYS_ptrace, {PTRACE_TRACEME}, 0},
                                              {NULL, 0, {0}, 0}};

        (void)state;
        add_rule(p, "uname", SECCOMP_ACT_ALLOW_KIND, 0);
        add_rule(p, "uname", SECCOMP_ACT_ERRNO_KIND, EXDEV);
        pp = build(p);
        assert_int_equal(run_filtered(pp, run_probes, (void *)uname_exdev), 0);

        add_rule(q, "uname", SECCOMP_ACT_ERRNO_KIND, EXDEV);
        add_rule(q, "uname", SECCOMP_ACT_ALLOW_KIND, 0);
        add_rule(q, "ptrace", SECCOMP_ACT_ALLOW_KIND, 0); /* a profile may lift a base denial */
        qp = build(q);
        assert_int_equal(run_filtered(qp, run_probes, (void *)uname_allowed), 0);
}

/* Each comparison on 64-bit values, against the rule "getpriority fails with EXDEV when
 * arg1 OP value": the kernel's answer and the interpreter's must agree with C's. */
struct cmp_case {
        enum seccomp_cmp op;
        uint64_t value, mask;
};

static bool cmp_holds(const struct cmp_case *c, uint64_t a)
{
        switch (c->op) {
        case SECCOMP_CMP_EQ_KIND:
                return a == c->value;
        case SECCOMP_CMP_NE_KIND:
                return a != c->value;
        case SECCOMP_CMP_LT_KIND:
                return a < c->value;
        case SECCOMP_CMP_LE_KIND:
                return a <= c->value;
        case SECCOMP_CMP_GT_KIND:
                return a > c->value;
        case SECCOMP_CMP_GE_KIND:
                return a >= c->value;
        case SECCOMP_CMP_MASKED_EQ_KIND:
                return (a & c->mask) == c->value;
        default:
                return true;
        }
}

static const uint64_t cmp_args[] = {0,
                                    1,
                                    41,
                                    42,
                                    43,
                                    0xffffffffULL,
                                    0x100000000ULL,
                                    0x10000002aULL,
                                    0x20000002aULL,
                                    0xffffffff00000000ULL,
                                    0xffffffffffffffffULL};

static int probe_cmp(void *userdata)
{
        const struct cmp_case *c = userdata;

        for (size_t i = 0; i < ELEMENTSOF(cmp_args); i++) {
                /* getpriority(PRIO_PROCESS, who): a who that is no process gives ESRCH */
                int e = sys_errno(SYS_getpriority, 0, (long)cmp_args[i], 0, 0, 0);
                bool refused = e == EXDEV;
                if (refused != cmp_holds(c, cmp_args[i])) {
                        fprintf(stderr, "op %d value %#llx arg %#llx: errno %d\n", (int)c->op,
                                (unsigned long long)c->value, (unsigned long long)cmp_args[i], e);
                        return (int)i + 1;
                }
        }
        return 0;
}

static void test_arg_comparisons(void **state)
{
        static const struct cmp_case cases[] = {
                {SECCOMP_CMP_EQ_KIND, 42, 0},
                {SECCOMP_CMP_EQ_KIND, 0x10000002aULL, 0},
                {SECCOMP_CMP_NE_KIND, 42, 0},
                {SECCOMP_CMP_NE_KIND, 0x10000002aULL, 0},
                {SECCOMP_CMP_LT_KIND, 42, 0},
                {SECCOMP_CMP_LT_KIND, 0x10000002aULL, 0},
                {SECCOMP_CMP_LE_KIND, 42, 0},
                {SECCOMP_CMP_LE_KIND, 0x10000002aULL, 0},
                {SECCOMP_CMP_GT_KIND, 42, 0},
                {SECCOMP_CMP_GT_KIND, 0x10000002aULL, 0},
                {SECCOMP_CMP_GE_KIND, 42, 0},
                {SECCOMP_CMP_GE_KIND, 0x10000002aULL, 0},
                {SECCOMP_CMP_MASKED_EQ_KIND, 42, 0xff},
                {SECCOMP_CMP_MASKED_EQ_KIND, 0x100000000ULL, 0x100000000ULL},
                {SECCOMP_CMP_MASKED_EQ_KIND, 0x2a, 0xffffffffULL},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(policy_freep) struct policy *p = new_policy();
                _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;

                add_rule_cond(p, "getpriority", SECCOMP_ACT_ERRNO_KIND, EXDEV, 1, cases[i].op,
                              cases[i].value, cases[i].mask);
                prog = build(p);
                if (run_filtered(prog, probe_cmp, (void *)&cases[i]) != 0)
                        fail_msg("comparison case %zu is wrong in the kernel", i);
                for (size_t a = 0; a < ELEMENTSOF(cmp_args); a++) {
                        bool refused = denied(prog, "getpriority", 0, cmp_args[a]) == EXDEV;
                        if (refused != cmp_holds(&cases[i], cmp_args[a]))
                                fail_msg("comparison case %zu, arg %zu is wrong in the "
                                         "interpreter",
                                         i, a);
                }
        }
}

static int call_getppid(void *userdata)
{
        (void)userdata;
        getppid();
        return 0;
}

static void test_kill(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;

        (void)state;
        add_rule(p, "getppid", SECCOMP_ACT_KILL_KIND, 0);
        prog = build(p);
        assert_int_equal(run_filtered(prog, call_getppid, NULL), 1000 + SIGSYS);
}

/* The monitor's contract: NOTIFY rules give a listener fd, and the supervisor's answer from
 * seccomp_program_denied_errno is the policy's own. */
static const struct seccomp_program *notify_prog;

static int supervise_one(int listener, pid_t child)
{
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        int status, e;

        memset(&req, 0, sizeof(req));
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
                return 60;
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        e = seccomp_program_denied_errno(notify_prog, req.data.nr, (const uint64_t *)req.data.args);
        if (e)
                resp.error = -e;
        else
                resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
                return 61;
        if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
                return 62;
        return WEXITSTATUS(status);
}

static int notify_child(void *userdata)
{
        const long *which = userdata;
        int fd = -1, r;
        pid_t pid;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            seccomp_program_load(notify_prog, &fd) < 0 || fd < 0)
                return 70;
        pid = fork();
        if (pid == 0) {
                struct utsname u;
                if (*which == SYS_uname)
                        _exit(uname(&u) == 0 ? 0 : 71);
                _exit(sys_errno(SYS_mount, 0, 0, 0, 0, 0) == EPERM ? 0 : 72);
        }
        r = supervise_one(fd, pid);
        close(fd);
        return r;
}

static void test_notify(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;
        struct seccomp_summary s;
        long which;

        (void)state;
        add_rule(p, "uname", SECCOMP_ACT_NOTIFY_KIND, 0);
        add_rule(p, "mount", SECCOMP_ACT_NOTIFY_KIND, 0);
        prog = build(p);
        seccomp_program_summary(prog, &s);
        assert_int_equal(s.n_notify, 2);
        /* tracing never loosens the policy */
        assert_int_equal(denied(prog, "uname", 0, 0), 0);
        assert_int_equal(denied(prog, "mount", 0, 0), EPERM);
        notify_prog = prog;
        which = SYS_uname;
        assert_int_equal(run_forked(notify_child, &which), 0);
        which = SYS_mount;
        assert_int_equal(run_forked(notify_child, &which), 0);
}

/* Hot calls carry no argument checks: the program answers them without loading an argument
 * (what lets the kernel's action cache hold them). */
static void test_hot_calls_constant(void **state)
{
        static const char *const hot[] = {"read",       "write",   "openat",  "close",
                                          "mmap",       "futex",   "getppid", "fstat",
                                          "newfstatat", "lseek",   "brk",     "rt_sigprocmask",
                                          "munmap",     "pread64", NULL};
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = build(p);

        (void)state;
        for (size_t i = 0; hot[i]; i++) {
                struct seccomp_data d = {.nr = syscall_group_resolve_name(hot[i])};
                uint32_t first = 0;
                /* vary the arguments: the answer must not change */
                for (size_t n = 0; n < 4; n++) {
                        uint32_t v;
                        struct seccomp_data e = d;
                        e.arch = prog->insns[1].k; /* the native arch the program checks */
                        for (int a = 0; a < 6; a++)
                                e.args[a] = n * 0x1234567890ULL + (uint64_t)a;
                        v = seccomp_bpf_run(prog->insns, prog->n_insns, &e);
                        if (n == 0)
                                first = v;
                        else if (v != first)
                                fail_msg("%s depends on its arguments", hot[i]);
                }
        }
        /* and structurally: no argument load on their path. Count argument loads overall. */
        size_t arg_loads = 0;
        for (size_t i = 0; i < prog->n_insns; i++)
                if (prog->insns[i].code == (BPF_LD | BPF_W | BPF_ABS) &&
                    prog->insns[i].k >= offsetof(struct seccomp_data, args))
                        arg_loads++;
        assert_true(arg_loads > 0);
        assert_true(arg_loads < 64);
}

static void test_bad_rules(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(), *q = new_policy();
        struct seccomp_program *prog = NULL;

        (void)state;
        add_rule(p, "@no-such-group", SECCOMP_ACT_ALLOW_KIND, 0);
        assert_int_equal(seccomp_program_build_uncached(p, &prog), -ENOENT);
        assert_null(prog);
        add_rule_cond(q, "getpriority", SECCOMP_ACT_ERRNO_KIND, EPERM, 7, SECCOMP_CMP_EQ_KIND, 1,
                      0);
        assert_int_equal(seccomp_program_build_uncached(q, &prog), -EINVAL);
        assert_null(prog);

        /* a misspelt name is an error; a call of another architecture covers nothing */
        _cleanup_(policy_freep) struct policy *t = new_policy(), *u = new_policy();
        add_rule(t, "ptrce", SECCOMP_ACT_ERRNO_KIND, EPERM);
        assert_int_equal(seccomp_program_build_uncached(t, &prog), -EINVAL);
        assert_null(prog);
        assert_false(syscall_name_exists("ptrce"));
        assert_true(syscall_name_exists("ptrace"));
        assert_true(syscall_name_exists("@mount"));
        assert_false(syscall_name_exists("@mnt"));
#if defined(__x86_64__)
        assert_true(syscall_name_exists("socketcall")); /* i386, s390 */
        add_rule(u, "socketcall", SECCOMP_ACT_ERRNO_KIND, EPERM);
        assert_int_equal(seccomp_program_build_uncached(u, &prog), 0);
        seccomp_program_free(prog);
#endif
}

static void test_groups(void **state)
{
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        (void)state;
        assert_non_null(syscall_group_find("@mount"));
        assert_non_null(syscall_group_find("@system-service"));
        assert_null(syscall_group_find("@nope"));
        assert_true(syscall_group_resolve_name("openat") >= 0);
        assert_int_equal(syscall_group_resolve_name("no_such_call"), -ENOENT);
        assert_true(syscall_max_known() >= syscall_group_resolve_name("futex_requeue"));
        f = open_memstream(&buf, &size);
        assert_non_null(f);
        syscall_groups_print(f, true);
        fclose(f);
        assert_non_null(strstr(buf, "@io-uring"));
        assert_non_null(strstr(buf, "io_uring_setup"));
        assert_non_null(strstr(buf, "@keyring"));
        free(buf);
        /* every member of every group names something this system or another has */
        for (size_t i = 0; i < syscall_groups_count; i++)
                for (const char *const *m = syscall_groups[i].members; *m; m++)
                        if ((*m)[0] == '@' && !syscall_group_find(*m))
                                fail_msg("%s names unknown group %s", syscall_groups[i].name, *m);
}

/* The loaded layout (compact) decides every call as the plain one (a return per range of
 * syscall numbers, each rule tested on its own): every number 0-1023, the x32 bit, -1, the native
 * and two foreign architectures, and arguments built from every constant either program compares
 * with. */
static void add_probe(uint64_t *v, size_t *n, size_t max, uint64_t value)
{
        size_t j = 0;

        while (j < *n && v[j] != value)
                j++;
        if (j == *n && *n < max)
                v[(*n)++] = value;
}

/* The constants the program compares an argument with, each with its neighbours and with the
 * high half set or shifted into it. Whether the accumulator may hold an argument is followed
 * forward from each load through the jumps (all forward): the syscall-number tests are left
 * out, which keeps this test quick under ASan. */
static void probe_constants(const struct seccomp_program *prog, uint64_t *v, size_t *n, size_t max)
{
        bool *arg_in = calloc(prog->n_insns + 1, sizeof(*arg_in));

        assert_non_null(arg_in);
        for (size_t pc = 0; pc < prog->n_insns; pc++) {
                const struct sock_filter *f = &prog->insns[pc];
                bool arg_out = arg_in[pc];

                if (f->code == (BPF_LD | BPF_W | BPF_ABS))
                        arg_out = f->k >= offsetof(struct seccomp_data, args);
                else if (arg_in[pc] &&
                         (BPF_CLASS(f->code) == BPF_JMP || BPF_CLASS(f->code) == BPF_ALU)) {
                        uint64_t k = f->k;
                        uint64_t cand[] = {k, k - 1, k + 1, k << 32, k | 1ULL << 32};
                        for (size_t c = 0; c < ELEMENTSOF(cand); c++)
                                add_probe(v, n, max, cand[c]);
                }
                if (BPF_CLASS(f->code) == BPF_RET)
                        continue;
                if (f->code == (BPF_JMP | BPF_JA))
                        arg_in[pc + 1 + f->k] |= arg_out;
                else if (BPF_CLASS(f->code) == BPF_JMP) {
                        arg_in[pc + 1 + f->jt] |= arg_out;
                        arg_in[pc + 1 + f->jf] |= arg_out;
                } else
                        arg_in[pc + 1] |= arg_out;
        }
        free(arg_in);
}

static size_t compare_layouts(struct policy *p)
{
        static const uint32_t arches[] = {SECCOMP_NATIVE_AUDIT_ARCH, AUDIT_ARCH_I386,
                                          AUDIT_ARCH_ARM, 0};
        struct seccomp_program *shared = NULL, *plain = NULL;
        static uint64_t values[2048];
        size_t n_values = 0, n_probes = 0;

        assert_int_equal(seccomp_program_build_layout(p, SECCOMP_LAYOUT_COMPACT, &shared), 0);
        assert_int_equal(seccomp_program_build_layout(p, SECCOMP_LAYOUT_PLAIN, &plain), 0);
        assert_true(seccomp_bpf_valid(shared->insns, shared->n_insns));
        assert_true(seccomp_bpf_valid(shared->shadow, shared->n_shadow));
        assert_true(shared->n_insns < plain->n_insns);
        assert_int_equal(shared->has_notify, plain->has_notify);
        assert_int_equal(shared->summary.n_errno, plain->summary.n_errno);
        assert_int_equal(shared->summary.n_kill, plain->summary.n_kill);
        assert_int_equal(shared->summary.n_notify, plain->summary.n_notify);
        assert_int_equal(shared->summary.n_allow_cond, plain->summary.n_allow_cond);
        values[n_values++] = 0;
        values[n_values++] = UINT64_MAX;
        probe_constants(plain, values, &n_values, ELEMENTSOF(values));
        for (size_t a = 0; a < ELEMENTSOF(arches); a++)
                for (int64_t nr = -1; nr < 1024 + 3; nr++) {
                        struct seccomp_data d = {.arch = arches[a], .nr = (int)nr};
                        if (nr >= 1024)
                                d.nr = (int)(0x40000000 + (nr - 1024) * 3); /* x32 */
                        /* a foreign call ends at the arch check: its arguments are not read */
                        for (int i = 0; i < (a == 0 ? 6 : 1); i++)
                                for (size_t k = 0; k < (a == 0 ? n_values : 1); k++) {
                                        memset(d.args, 0, sizeof(d.args));
                                        d.args[i] = values[k];
                                        uint32_t want =
                                                seccomp_bpf_run(plain->insns, plain->n_insns, &d);
                                        uint32_t got =
                                                seccomp_bpf_run(shared->insns, shared->n_insns, &d);
                                        if (got != want)
                                                fail_msg("arch %#x nr %d arg%d %#llx: %#x, plain "
                                                         "layout %#x",
                                                         d.arch, d.nr, i,
                                                         (unsigned long long)values[k], got, want);
                                        want = seccomp_bpf_run(plain->shadow, plain->n_shadow, &d);
                                        got = seccomp_bpf_run(shared->shadow, shared->n_shadow, &d);
                                        if (got != want)
                                                fail_msg("shadow: arch %#x nr %d arg%d %#llx: %#x, "
                                                         "plain layout %#x",
                                                         d.arch, d.nr, i,
                                                         (unsigned long long)values[k], got, want);
                                        n_probes++;
                                }
                }
        seccomp_program_free(shared);
        seccomp_program_free(plain);
        return n_probes;
}

static void test_layouts_agree(void **state)
{
        _cleanup_(policy_freep) struct policy *def = new_policy(), *userns = new_policy(),
                                              *allow = new_policy(), *docker = new_policy(),
                                              *mixed = new_policy(), *longer = new_policy();

        (void)state;
        assert_true(compare_layouts(def) > 1024 * 6 * 20);
        userns->allow_userns = true;
        compare_layouts(userns);
        allow->seccomp_mode = SECCOMP_MODE_ALLOWLIST;
        add_rule(allow, "@default", SECCOMP_ACT_ALLOW_KIND, 0);
        add_rule_cond(allow, "getpriority", SECCOMP_ACT_ALLOW_KIND, 0, 0, SECCOMP_CMP_LT_KIND, 3,
                      0);
        compare_layouts(allow);
        assert_int_equal(data_path("tests/data/seccomp/docker-default.json", &docker->seccomp_json),
                         0);
        compare_layouts(docker);
        /* notify rules (a shadow program without them), every comparison, kill and log */
        add_rule(mixed, "uname", SECCOMP_ACT_NOTIFY_KIND, 0);
        add_rule_cond(mixed, "openat", SECCOMP_ACT_NOTIFY_KIND, 0, 2, SECCOMP_CMP_MASKED_EQ_KIND, 1,
                      3);
        add_rule_cond(mixed, "getpriority", SECCOMP_ACT_ERRNO_KIND, 13, 0, SECCOMP_CMP_GT_KIND, 1,
                      0);
        add_rule_cond(mixed, "setpriority", SECCOMP_ACT_KILL_KIND, 0, 1, SECCOMP_CMP_LE_KIND,
                      1ULL << 32, 0);
        add_rule_cond(mixed, "setpriority", SECCOMP_ACT_LOG_KIND, 0, 2, SECCOMP_CMP_GE_KIND, 7, 0);
        add_rule_cond(mixed, "getpgid", SECCOMP_ACT_ERRNO_KIND, 5, 0, SECCOMP_CMP_NE_KIND, 0, 0);
        add_rule_cond(mixed, "setpgid", SECCOMP_ACT_ERRNO_KIND, 6, 1, SECCOMP_CMP_EQ_KIND,
                      0x100000002ULL, 0);
        add_rule(mixed, "@network", SECCOMP_ACT_ERRNO_KIND, 99);
        add_rule(mixed, "@swap", SECCOMP_ACT_KILL_KIND, 0);
        compare_layouts(mixed);
        /* conditions on a whole group: a tree too long for some shared returns to be in reach
         * of a jump (a return per range then, the one-bit tests still merged) */
        add_rule_cond(longer, "@file-system", SECCOMP_ACT_ERRNO_KIND, 5, 1, SECCOMP_CMP_EQ_KIND, 7,
                      0);
        add_rule_cond(longer, "@process", SECCOMP_ACT_ERRNO_KIND, 6, 0, SECCOMP_CMP_EQ_KIND, 7, 0);
        compare_layouts(longer);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_default_denies),
                cmocka_unit_test(test_default_covers_docker),
                cmocka_unit_test(test_default_live),
                cmocka_unit_test(test_ioctl),
#if defined(__x86_64__)
                cmocka_unit_test(test_foreign_abi),
#endif
                cmocka_unit_test(test_allow_userns),
                cmocka_unit_test(test_allowlist),
                cmocka_unit_test(test_rule_order),
                cmocka_unit_test(test_arg_comparisons),
                cmocka_unit_test(test_kill),
                cmocka_unit_test(test_notify),
                cmocka_unit_test(test_hot_calls_constant),
                cmocka_unit_test(test_bad_rules),
                cmocka_unit_test(test_groups),
                cmocka_unit_test(test_layouts_agree),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
