/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The worker confines itself with airlock's own layers, in the order of the launcher
 * (docs/worker.md): rlimits, capabilities dropped, no_new_privs, Landlock with every file
 * system right handled and none granted, then a seccomp allow-list. Everything the parsers
 * need (rules, magic database, gconv modules already loaded by the parent) is in memory
 * before this runs. The allow-list answers open and openat with EACCES, so that a library that
 * looks for a locale or a gconv module lazily gets an error it handles; the calls that only an
 * exploit makes (socket, connect, execve, ptrace, ...) kill the worker with SIGSYS, which the
 * supervisor reports. */
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <signal.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/caps.h"
#include "sandbox/landlock.h"
#include "sandbox/seccomp.h"
#include "worker.h"

#define WORKER_AS_LIMIT (8ULL << 30)
#define WORKER_NOFILE   32

/* Only ever lowers: a caller that already runs under a tighter limit (ulimit -v, a unit's
 * LimitAS=) keeps it, and raising a hard limit would fail without CAP_SYS_RESOURCE. */
static int set_limit(int resource, rlim_t value)
{
        struct rlimit r;

        if (getrlimit(resource, &r) < 0)
                return negative_errno();
        if (r.rlim_max != RLIM_INFINITY && r.rlim_max < value)
                value = r.rlim_max;
        r = (struct rlimit){value, value};
        return setrlimit(resource, &r) < 0 ? negative_errno() : 0;
}

static int confine_rlimits(const struct analysis_limits *lim)
{
        int k;

#ifndef AIRLOCK_SANITIZED
        /* The sanitizers reserve terabytes of shadow address space. */
        if ((k = set_limit(RLIMIT_AS, WORKER_AS_LIMIT)) < 0)
                return k;
#endif
        if (lim->timeout_sec &&
            (k = set_limit(RLIMIT_CPU, ((rlim_t)lim->timeout_sec + 2) * WORKER_CPU_FACTOR)) < 0)
                return k;
        if ((k = set_limit(RLIMIT_FSIZE, 0)) < 0 ||
            (k = set_limit(RLIMIT_NOFILE, WORKER_NOFILE)) < 0 ||
            (k = set_limit(RLIMIT_CORE, 0)) < 0 ||
            (k = set_limit(RLIMIT_NPROC, 1)) < 0) /* clone is refused anyway */
                return k;
        return 0;
}

/* A supervisor that runs as root (analyze or mail scan started by root) has its workers run as
 * the overflow user: the worker reads only the fds it is given, and a parser taken over must
 * not be root on the host even where user namespaces are refused. */
static int drop_root(void)
{
        const uid_t nobody = 65534;

        if (geteuid() != 0)
                return 0;
        if (setgroups(0, NULL) < 0 || setresgid(nobody, nobody, nobody) < 0 ||
            setresuid(nobody, nobody, nobody) < 0)
                return negative_errno();
        return 0;
}

/* Namespaces of its own where this user may make them: a user namespace (no capability over
 * anything of the host's, even when the supervisor runs as root), and mount, network, ipc,
 * uts and cgroup namespaces; its root is an empty read-only tmpfs, so that nothing of the
 * host's file system is there even through /proc/PID/root. Returns true when it has them;
 * false leaves the process as it was (user namespaces refused by the kernel's policy): the
 * other layers still hold, and `airlock inspect` says what is missing. */
static bool confine_namespaces(void)
{
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                    CLONE_NEWCGROUP) < 0)
                return false;
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return false;
        const char *at = access("/tmp", X_OK) == 0 ? "/tmp" : "/";
        if (mount("airlock-worker", at, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  "size=4k,nr_inodes=1,mode=0555") < 0 ||
            chdir(at) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
            umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
                _exit(4); /* half-done: do not serve from a root that is neither */
        (void)mount(NULL, "/", NULL,
                    MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
        return true;
}

/* The allow-list, the calls that kill the worker and those that answer EACCES: one table read
 * by both builders below. A call this architecture lacks (open, fork... on arm64) is left out. */
enum filter_action { FILTER_ALLOW, FILTER_KILL, FILTER_EACCES };

struct filter_rule {
        int nr;
        enum filter_action action;
};

#define ALLOW(name)                       \
        {                                 \
                __NR_##name, FILTER_ALLOW \
        }
#define KILL(name)                       \
        {                                \
                __NR_##name, FILTER_KILL \
        }
#define EACCES_(name)                      \
        {                                  \
                __NR_##name, FILTER_EACCES \
        }

static const struct filter_rule filter_rules[] = {
        ALLOW(read),
        ALLOW(write),
        ALLOW(readv),
        ALLOW(writev),
        ALLOW(pread64),
        ALLOW(lseek),
        ALLOW(fstat),
        ALLOW(newfstatat),
        ALLOW(statx),
        ALLOW(close),
        ALLOW(mmap),
        ALLOW(munmap),
        ALLOW(mremap),
        ALLOW(mprotect),
        ALLOW(madvise),
        ALLOW(brk),
        ALLOW(futex),
        ALLOW(exit),
        ALLOW(exit_group),
        ALLOW(rt_sigreturn),
        ALLOW(rt_sigprocmask),
        ALLOW(rt_sigaction),
        ALLOW(sigaltstack),
        ALLOW(getpid),
        ALLOW(gettid),
        ALLOW(tgkill),
        ALLOW(clock_gettime),
        ALLOW(gettimeofday),
        ALLOW(getrandom),
        ALLOW(fcntl),
        ALLOW(sched_yield),
        ALLOW(getrusage),
        ALLOW(prlimit64),
        ALLOW(sched_getaffinity),
        ALLOW(set_robust_list),
        ALLOW(rseq),
#ifdef __NR_pause
        ALLOW(pause),
#endif
        ALLOW(nanosleep),
        ALLOW(clock_nanosleep),
        ALLOW(dup),
        ALLOW(recvmsg),
        ALLOW(sendmsg),
        ALLOW(getuid),
        ALLOW(geteuid),
        KILL(execve),
        KILL(execveat),
        KILL(socket),
        KILL(socketpair),
        KILL(connect),
        KILL(bind),
        KILL(ptrace),
        KILL(process_vm_readv),
        KILL(process_vm_writev),
        KILL(clone),
        KILL(clone3),
#ifdef __NR_fork
        KILL(fork),
#endif
#ifdef __NR_vfork
        KILL(vfork),
#endif
        KILL(unshare),
        KILL(setns),
        KILL(mount),
        KILL(kill),
        KILL(bpf),
        KILL(io_uring_setup),
        KILL(userfaultfd),
        KILL(perf_event_open),
#ifdef __NR_open
        EACCES_(open),
#endif
        EACCES_(openat),
        EACCES_(openat2),
};

#undef ALLOW
#undef KILL
#undef EACCES_

static uint32_t filter_ret(enum filter_action a)
{
        switch (a) {
        case FILTER_ALLOW:
                return SECCOMP_RET_ALLOW;
        case FILTER_KILL:
                return SECCOMP_RET_KILL_PROCESS;
        case FILTER_EACCES:
                return SECCOMP_RET_ERRNO | EACCES;
        }
        return SECCOMP_RET_KILL_PROCESS;
}

int worker_filter_build_libseccomp(struct sock_filter **ret, size_t *ret_len)
{
        scmp_filter_ctx f = seccomp_init(SCMP_ACT_ERRNO(EPERM));
        struct sock_filter *prog = NULL;
        int k = 0, mfd = -1;

        if (!f)
                return -ENOMEM;
        /* libseccomp's actions are the kernel's return values */
        for (size_t i = 0; i < ELEMENTSOF(filter_rules) && k >= 0; i++)
                k = seccomp_rule_add(f, filter_ret(filter_rules[i].action), filter_rules[i].nr, 0);
        if (k >= 0 && (mfd = memfd_create("airlock-worker-filter", MFD_CLOEXEC)) < 0)
                k = negative_errno();
        if (k >= 0)
                k = seccomp_export_bpf(f, mfd);
        seccomp_release(f);
        if (k >= 0) {
                off_t size = lseek(mfd, 0, SEEK_END);
                if (size <= 0 || size % sizeof(struct sock_filter) != 0 ||
                    size / sizeof(struct sock_filter) > BPF_MAXINSNS)
                        k = -EINVAL;
                else if (!(prog = malloc((size_t)size)))
                        k = -ENOMEM;
                else if (pread(mfd, prog, (size_t)size, 0) != size)
                        k = -EIO;
                else {
                        *ret = TAKE_PTR(prog);
                        *ret_len = (size_t)size / sizeof(struct sock_filter);
                }
        }
        free(prog);
        if (mfd >= 0)
                close(mfd);
        return k;
}

#ifdef SECCOMP_NATIVE_AUDIT_ARCH
/* The same filter written directly in classic BPF: the architecture checked first (another one,
 * or x32's numbers on x86-64, kill the worker), then one comparison per listed call jumping to
 * its action, and EPERM for the rest. No argument is checked, so the kernel's action cache
 * answers every allowed call without running the program. Building it costs microseconds where
 * libseccomp's compile cost a worker milliseconds of CPU and page faults (docs/worker.md). */
int worker_filter_build(struct sock_filter **ret, size_t *ret_len)
{
#ifdef __X32_SYSCALL_BIT
        const size_t head = 5; /* the x32 check */
#else
        const size_t head = 4;
#endif
        const size_t n_rules = ELEMENTSOF(filter_rules), n = head + n_rules + 4;
        struct sock_filter *prog = calloc(n, sizeof(*prog));
        size_t i = 0;

        if (!prog)
                return -ENOMEM;
        /* the tail: default, then one return per action */
        const size_t ret_default = head + n_rules, ret_of[] = {
                                                           [FILTER_ALLOW] = ret_default + 1,
                                                           [FILTER_KILL] = ret_default + 2,
                                                           [FILTER_EACCES] = ret_default + 3,
                                                   };

        prog[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                                 offsetof(struct seccomp_data, arch));
        prog[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
                                                 SECCOMP_NATIVE_AUDIT_ARCH, 1, 0);
        prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
        prog[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                                 offsetof(struct seccomp_data, nr));
#ifdef __X32_SYSCALL_BIT
        prog[i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT,
                                               (uint8_t)(ret_of[FILTER_KILL] - (i + 1)), 0);
        i++;
#endif
        for (size_t r = 0; r < n_rules; r++, i++) {
                size_t jump = ret_of[filter_rules[r].action] - (i + 1);
                if (jump > UINT8_MAX) {
                        free(prog);
                        return -E2BIG;
                }
                prog[i] = (struct sock_filter)BPF_JUMP(
                        BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)filter_rules[r].nr, (uint8_t)jump, 0);
        }
        prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
        prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, filter_ret(FILTER_ALLOW));
        prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, filter_ret(FILTER_KILL));
        prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, filter_ret(FILTER_EACCES));
        *ret = prog;
        *ret_len = i;
        return 0;
}
#else
int worker_filter_build(struct sock_filter **ret, size_t *ret_len)
{
        return worker_filter_build_libseccomp(ret, ret_len);
}
#endif

/* The filter, built once by the zygote (worker_confine_prepare()) or the first worker and
 * inherited by every worker forked after. */
static struct sock_filter *filter;
static unsigned short filter_len;

int worker_confine_prepare(void)
{
        struct sock_filter *prog;
        size_t n;
        int k;

        if (filter)
                return 0;
        k = worker_filter_build(&prog, &n);
        if (k < 0)
                return k;
        if (n == 0 || n > BPF_MAXINSNS) {
                free(prog);
                return -EINVAL;
        }
        filter = prog;
        filter_len = (unsigned short)n;
        return 0;
}

static int confine_seccomp(void)
{
        struct sock_fprog prog = {.len = filter_len, .filter = filter};
        int k = worker_confine_prepare(); /* a no-op when the zygote built it */

        if (k < 0)
                return k;
        return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 ? negative_errno() : 0;
}

int worker_confine(const struct analysis_limits *lim, bool tie_to_parent)
{
        int k;

        if ((k = drop_root()) < 0)
                return k;
        (void)confine_namespaces();
        /* After the change of identity, which clears it: a worker stuck in a library ends with
         * the supervisor. The kernel ties this signal to the thread that forked, so only a
         * worker forked by a supervisor with one thread asks for it; the zygote ends its
         * workers itself when the supervisor's process ends. */
        pid_t parent = getppid();
        if (tie_to_parent && (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent))
                _exit(0);
        if ((k = confine_rlimits(lim)) < 0)
                return k;
        (void)caps_drop_all(); /* nothing to drop for an ordinary user */
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return negative_errno();
        (void)landlock_deny_all_files(); /* where the kernel has Landlock */
        return confine_seccomp();
}
