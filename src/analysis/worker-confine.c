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
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
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
#include "worker.h"

#if defined(__SANITIZE_ADDRESS__)
#define WORKER_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WORKER_SANITIZED 1
#endif
#endif

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

#ifndef WORKER_SANITIZED
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

static const int allowed[] = {
        SCMP_SYS(read),
        SCMP_SYS(write),
        SCMP_SYS(readv),
        SCMP_SYS(writev),
        SCMP_SYS(pread64),
        SCMP_SYS(lseek),
        SCMP_SYS(fstat),
        SCMP_SYS(newfstatat),
        SCMP_SYS(statx),
        SCMP_SYS(close),
        SCMP_SYS(mmap),
        SCMP_SYS(munmap),
        SCMP_SYS(mremap),
        SCMP_SYS(mprotect),
        SCMP_SYS(madvise),
        SCMP_SYS(brk),
        SCMP_SYS(futex),
        SCMP_SYS(exit),
        SCMP_SYS(exit_group),
        SCMP_SYS(rt_sigreturn),
        SCMP_SYS(rt_sigprocmask),
        SCMP_SYS(rt_sigaction),
        SCMP_SYS(sigaltstack),
        SCMP_SYS(getpid),
        SCMP_SYS(gettid),
        SCMP_SYS(tgkill),
        SCMP_SYS(clock_gettime),
        SCMP_SYS(gettimeofday),
        SCMP_SYS(getrandom),
        SCMP_SYS(fcntl),
        SCMP_SYS(sched_yield),
        SCMP_SYS(getrusage),
        SCMP_SYS(prlimit64),
        SCMP_SYS(sched_getaffinity),
        SCMP_SYS(set_robust_list),
        SCMP_SYS(rseq),
        SCMP_SYS(pause),
        SCMP_SYS(nanosleep),
        SCMP_SYS(clock_nanosleep),
        SCMP_SYS(dup),
        SCMP_SYS(recvmsg),
        SCMP_SYS(sendmsg),
        SCMP_SYS(getuid),
        SCMP_SYS(geteuid),
};

static const int killed[] = {
        SCMP_SYS(execve),
        SCMP_SYS(execveat),
        SCMP_SYS(socket),
        SCMP_SYS(socketpair),
        SCMP_SYS(connect),
        SCMP_SYS(bind),
        SCMP_SYS(ptrace),
        SCMP_SYS(process_vm_readv),
        SCMP_SYS(process_vm_writev),
        SCMP_SYS(clone),
        SCMP_SYS(clone3),
        SCMP_SYS(fork),
        SCMP_SYS(vfork),
        SCMP_SYS(unshare),
        SCMP_SYS(setns),
        SCMP_SYS(mount),
        SCMP_SYS(kill),
        SCMP_SYS(bpf),
        SCMP_SYS(io_uring_setup),
        SCMP_SYS(userfaultfd),
        SCMP_SYS(perf_event_open),
};

/* The filter, compiled once by the zygote (worker_confine_prepare()) and inherited by every
 * worker it forks: libseccomp's work is not repeated for each worker. */
static struct sock_filter *filter;
static unsigned short filter_len;

int worker_confine_prepare(void)
{
        scmp_filter_ctx f = seccomp_init(SCMP_ACT_ERRNO(EPERM));
        int k = 0, mfd = -1;

        if (filter)
                return 0;
        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(allowed) && k >= 0; i++)
                k = seccomp_rule_add(f, SCMP_ACT_ALLOW, allowed[i], 0);
        for (size_t i = 0; i < ELEMENTSOF(killed) && k >= 0; i++)
                k = seccomp_rule_add(f, SCMP_ACT_KILL_PROCESS, killed[i], 0);
        if (k >= 0)
                k = seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0);
        if (k >= 0)
                k = seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0);
        if (k >= 0)
                k = seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat2), 0);
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
                else if (!(filter = malloc((size_t)size)))
                        k = -ENOMEM;
                else if (pread(mfd, filter, (size_t)size, 0) != size) {
                        k = -EIO;
                        free(filter);
                        filter = NULL;
                } else
                        filter_len = (unsigned short)(size / sizeof(struct sock_filter));
        }
        if (mfd >= 0)
                close(mfd);
        return k;
}

static int confine_seccomp(void)
{
        struct sock_fprog prog = {.len = filter_len, .filter = filter};
        int k = worker_confine_prepare(); /* a no-op when the zygote compiled it */

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
