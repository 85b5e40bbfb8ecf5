/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The worker's seccomp program, written directly in BPF (worker-confine.c), gives every system
 * call the same answer as the same table compiled by libseccomp, which is how it was built
 * before; both are run by the BPF interpreter that `airlock inspect` reads filters back with. */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "analysis/worker.h"
#include "sandbox/bpf-eval.h"

#if defined(__x86_64__)
#define NATIVE AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE AUDIT_ARCH_AARCH64
#endif

static uint32_t eval(const struct sock_filter *prog, size_t n, uint32_t arch, uint32_t nr)
{
        struct seccomp_data d = {.nr = (int)nr, .arch = arch};
        uint32_t ret = 0;

        assert_int_equal(bpf_seccomp_eval(prog, n, &d, &ret), 0);
        return ret;
}

static bool kills(uint32_t ret)
{
        uint32_t a = ret & SECCOMP_RET_ACTION_FULL;
        return a == SECCOMP_RET_KILL_PROCESS || a == SECCOMP_RET_KILL_THREAD;
}

static void test_same_as_libseccomp(void **state)
{
        struct sock_filter *ours = NULL, *theirs = NULL;
        size_t n_ours = 0, n_theirs = 0;
        unsigned allowed = 0, killed = 0, eacces = 0;

        (void)state;
        assert_int_equal(worker_filter_build(&ours, &n_ours), 0);
        assert_int_equal(worker_filter_build_libseccomp(&theirs, &n_theirs), 0);
        for (uint32_t nr = 0; nr < 1024; nr++) {
                uint32_t a = eval(ours, n_ours, NATIVE, nr);
                uint32_t b = eval(theirs, n_theirs, NATIVE, nr);
                if (a != b)
                        fail_msg("system call %u: %#x, libseccomp's filter %#x", nr, a, b);
                allowed += a == SECCOMP_RET_ALLOW;
                killed += kills(a);
                eacces += a == (SECCOMP_RET_ERRNO | EACCES);
        }
        /* the table is not empty and every kind of answer is given */
        assert_true(allowed >= 40);
        assert_true(killed >= 15);
        assert_true(eacces >= 2);
#if defined(__x86_64__)
        assert_int_equal(eval(ours, n_ours, AUDIT_ARCH_X86_64, __NR_read), SECCOMP_RET_ALLOW);
        assert_int_equal(eval(ours, n_ours, AUDIT_ARCH_X86_64, __NR_openat),
                         SECCOMP_RET_ERRNO | EACCES);
        assert_int_equal(eval(ours, n_ours, AUDIT_ARCH_X86_64, __NR_execve),
                         SECCOMP_RET_KILL_PROCESS);
        assert_int_equal(eval(ours, n_ours, AUDIT_ARCH_X86_64, __NR_ioctl),
                         SECCOMP_RET_ERRNO | EPERM);
        /* x32's numbers and another architecture are killed, by both */
        for (uint32_t nr = 0x40000000; nr < 0x40000000 + 600; nr++) {
                assert_true(kills(eval(ours, n_ours, AUDIT_ARCH_X86_64, nr)));
                assert_true(kills(eval(theirs, n_theirs, AUDIT_ARCH_X86_64, nr)));
        }
        for (uint32_t nr = 0; nr < 512; nr++) {
                assert_true(kills(eval(ours, n_ours, AUDIT_ARCH_I386, nr)));
                assert_true(kills(eval(theirs, n_theirs, AUDIT_ARCH_I386, nr)));
        }
#endif
        free(ours);
        free(theirs);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_same_as_libseccomp),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
