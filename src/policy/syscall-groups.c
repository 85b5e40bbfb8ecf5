/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Named syscall groups. Membership follows what each call can do to the host, in the spirit of
 * systemd's groups; the member lists are written for every architecture, and names a given
 * architecture does not have are skipped when a group is expanded. */
#include <errno.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "basic/macro.h"
#include "syscall-groups.h"

#define MEMBERS(...) ((const char *const[]){__VA_ARGS__, NULL})

const struct syscall_group syscall_groups[] = {
        {"@default", "calls every program needs (threads, time, identity, exit)",
         MEMBERS("arch_prctl", "brk", "cacheflush", "clock_getres", "clock_getres_time64",
                 "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64",
                 "exit", "exit_group", "futex", "futex_time64", "futex_waitv", "futex_wait",
                 "futex_wake", "futex_requeue", "get_robust_list", "get_thread_area", "getegid",
                 "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups",
                 "getgroups32", "getpgid", "getpgrp", "getpid", "getppid", "getrandom", "getresgid",
                 "getresgid32", "getresuid", "getresuid32", "getrlimit", "getsid", "gettid",
                 "gettimeofday", "getuid", "getuid32", "map_shadow_stack", "membarrier", "mmap",
                 "mmap2", "mprotect", "munmap", "nanosleep", "pause", "prlimit64",
                 "restart_syscall", "riscv_flush_icache", "rseq", "rt_sigreturn",
                 "sched_getaffinity", "sched_yield", "set_robust_list", "set_thread_area",
                 "set_tid_address", "set_tls", "sigreturn", "time", "ugetrlimit", "uretprobe")},
        {"@basic-io", "reading and writing open file descriptors",
         MEMBERS("_llseek", "close", "close_range", "dup", "dup2", "dup3", "lseek", "pread64",
                 "preadv", "preadv2", "pwrite64", "pwritev", "pwritev2", "read", "readv", "write",
                 "writev")},
        {"@file-system", "opening, creating, inspecting and changing files and directories",
         MEMBERS("access", "chdir", "chmod", "close", "creat", "faccessat", "faccessat2",
                 "fadvise64", "fadvise64_64", "fallocate", "fchdir", "fchmod", "fchmodat",
                 "fchmodat2", "fcntl", "fcntl64", "fgetxattr", "file_getattr", "file_setattr",
                 "flistxattr", "flock", "fremovexattr", "fsetxattr", "fstat", "fstat64",
                 "fstatat64", "fstatfs", "fstatfs64", "ftruncate", "ftruncate64", "futimesat",
                 "getcwd", "getdents", "getdents64", "getxattr", "getxattrat", "inotify_add_watch",
                 "inotify_init", "inotify_init1", "inotify_rm_watch", "lgetxattr", "link", "linkat",
                 "listxattr", "listxattrat", "llistxattr", "lremovexattr", "lsetxattr", "lstat",
                 "lstat64", "mkdir", "mkdirat", "mknod", "mknodat", "newfstatat", "oldfstat",
                 "oldlstat", "oldstat", "open", "openat", "openat2", "readlink", "readlinkat",
                 "removexattr", "removexattrat", "rename", "renameat", "renameat2", "rmdir",
                 "setxattr", "setxattrat", "stat", "stat64", "statfs", "statfs64", "statx",
                 "symlink", "symlinkat", "truncate", "truncate64", "umask", "unlink", "unlinkat",
                 "utime", "utimensat", "utimensat_time64", "utimes")},
        {"@io-event", "waiting for events on file descriptors",
         MEMBERS("_newselect", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old",
                 "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd",
                 "eventfd2", "poll", "ppoll", "ppoll_time64", "pselect6", "pselect6_time64",
                 "select")},
        {"@aio", "asynchronous I/O (the old interface; io_uring is @io-uring)",
         MEMBERS("io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
                 "io_setup", "io_submit")},
        {"@ipc", "pipes, SysV and POSIX IPC, shared memory files",
         MEMBERS("ipc", "memfd_create", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
                 "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink",
                 "msgctl", "msgget", "msgrcv", "msgsnd", "pipe", "pipe2", "semctl", "semget",
                 "semop", "semtimedop", "semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget")},
        {"@memory", "mapping and managing memory",
         MEMBERS("brk", "madvise", "mincore", "mlock", "mlock2", "mlockall", "mmap", "mmap2",
                 "mprotect", "mremap", "mseal", "msync", "munlock", "munlockall", "munmap",
                 "pkey_alloc", "pkey_free", "pkey_mprotect", "remap_file_pages")},
        {"@network", "sockets",
         MEMBERS("accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
                 "listen", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send",
                 "sendmmsg", "sendmsg", "sendto", "setsockopt", "shutdown", "socket", "socketcall",
                 "socketpair")},
        {"@process", "creating, running, waiting for and signalling processes",
         MEMBERS("capget", "clone", "clone3", "execve", "execveat", "fork", "getrusage", "kill",
                 "pidfd_open", "pidfd_send_signal", "prctl", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
                 "setpgid", "setsid", "tgkill", "times", "tkill", "vfork", "wait4", "waitid",
                 "waitpid")},
        {"@signal", "signal handlers and masks",
         MEMBERS("rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigsuspend",
                 "rt_sigtimedwait", "rt_sigtimedwait_time64", "sigaction", "sigaltstack", "signal",
                 "signalfd", "signalfd4", "sigpending", "sigprocmask", "sigsuspend")},
        {"@timer", "timers and alarms",
         MEMBERS("alarm", "getitimer", "setitimer", "timer_create", "timer_delete",
                 "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
                 "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
                 "timerfd_settime", "timerfd_settime64")},
        {"@sync", "flushing files to disk",
         MEMBERS("fdatasync", "fsync", "msync", "sync", "sync_file_range", "sync_file_range2",
                 "arm_sync_file_range", "syncfs")},
        {"@chown", "changing file owners",
         MEMBERS("chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32")},
        {"@setuid", "changing the process's user and group ids",
         MEMBERS("setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
                 "setgroups", "setgroups32", "setregid", "setregid32", "setresgid", "setresgid32",
                 "setresuid", "setresuid32", "setreuid", "setreuid32", "setuid", "setuid32")},
        {"@resources", "scheduling, priorities, CPU affinity and resource limits",
         MEMBERS("getcpu", "getpriority", "ioprio_get", "ioprio_set", "sched_get_priority_max",
                 "sched_get_priority_min", "sched_getaffinity", "sched_getattr", "sched_getparam",
                 "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64",
                 "sched_setaffinity", "sched_setattr", "sched_setparam", "sched_setscheduler",
                 "setpriority", "setrlimit")},
        {"@numa", "NUMA memory policy and page migration",
         MEMBERS("get_mempolicy", "mbind", "migrate_pages", "move_pages", "set_mempolicy",
                 "set_mempolicy_home_node")},
        {"@sandbox", "confining oneself further (seccomp, Landlock)",
         MEMBERS("landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
                 "seccomp")},
        {"@mount", "mounting and unmounting file systems, changing the root",
         MEMBERS("chroot", "fsconfig", "fsmount", "fsopen", "fspick", "listmount", "mount",
                 "mount_setattr", "move_mount", "open_tree", "open_tree_attr", "pivot_root",
                 "statmount", "umount", "umount2")},
        {"@namespaces", "entering and creating namespaces (clone's flags are checked apart)",
         MEMBERS("setns", "unshare")},
        {"@module", "loading and unloading kernel modules",
         MEMBERS("create_module", "delete_module", "finit_module", "get_kernel_syms", "init_module",
                 "query_module")},
        {"@reboot", "rebooting and loading a new kernel",
         MEMBERS("kexec_file_load", "kexec_load", "reboot")},
        {"@swap", "turning swap on and off", MEMBERS("swapoff", "swapon")},
        {"@clock", "setting the system clock",
         MEMBERS("adjtimex", "clock_adjtime", "clock_adjtime64", "clock_settime", "clock_settime64",
                 "settimeofday", "stime")},
        {"@raw-io", "raw I/O port and PCI access",
         MEMBERS("ioperm", "iopl", "pciconfig_iobase", "pciconfig_read", "pciconfig_write",
                 "s390_pci_mmio_read", "s390_pci_mmio_write")},
        {"@keyring", "the kernel keyring", MEMBERS("add_key", "keyctl", "request_key")},
        {"@io-uring", "io_uring, a second system call interface that seccomp cannot see into",
         MEMBERS("io_uring_enter", "io_uring_register", "io_uring_setup")},
        {"@debug", "tracing and reading or changing other processes",
         MEMBERS("kcmp", "lookup_dcookie", "perf_event_open", "pidfd_getfd", "process_madvise",
                 "process_vm_readv", "process_vm_writev", "ptrace", "rtas", "s390_runtime_instr",
                 "sys_debug_setcontext")},
        {"@cpu-emulation", "emulating other CPUs and memory models",
         MEMBERS("modify_ldt", "subpage_prot", "switch_endian", "vm86", "vm86old")},
        {"@obsolete", "calls no current program uses",
         MEMBERS("_sysctl", "afs_syscall", "bdflush", "break", "create_module", "ftime",
                 "get_kernel_syms", "getpmsg", "gtty", "idle", "lock", "mpx", "nfsservctl", "prof",
                 "profil", "putpmsg", "query_module", "security", "sgetmask", "ssetmask", "stty",
                 "sysfs", "tuxcall", "ulimit", "uselib", "ustat", "vserver")},
        {"@privileged", "calls that need a capability to do anything useful",
         MEMBERS("@chown", "@clock", "@module", "@raw-io", "@reboot", "@swap", "_sysctl", "acct",
                 "bpf", "capset", "chroot", "fanotify_init", "lookup_dcookie", "nfsservctl",
                 "open_by_handle_at", "pivot_root", "quotactl", "quotactl_fd", "setdomainname",
                 "sethostname", "vhangup", "@setuid")},
        {"@system-service", "what an ordinary program or service uses",
         MEMBERS("@aio", "@basic-io", "@chown", "@default", "@file-system", "@io-event", "@ipc",
                 "@memory", "@network", "@process", "@resources", "@setuid", "@signal", "@sync",
                 "@timer", "capset", "copy_file_range", "get_mempolicy", "ioctl",
                 "name_to_handle_at", "oldolduname", "olduname", "personality", "readahead",
                 "readdir", "sendfile", "sendfile64", "splice", "sysinfo", "tee", "uname",
                 "vmsplice")},
        {"@airlock-denied",
         "what the default deny-list refuses with EPERM: everything Docker's default profile "
         "refuses and the rest of the kernel's attack surface (clone, ioctl, personality and "
         "socket are checked by argument apart)",
         MEMBERS("@clock", "@debug", "@io-uring", "@keyring", "@module", "@mount", "@namespaces",
                 "@numa", "@obsolete", "@raw-io", "@reboot", "@swap", "acct", "bpf",
                 "fanotify_init", "lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr",
                 "file_getattr", "file_setattr", "open_by_handle_at", "quotactl", "quotactl_fd",
                 "setdomainname", "sethostname", "syslog", "userfaultfd", "vhangup", "vm86",
                 "vm86old")},
};
const size_t syscall_groups_count = ELEMENTSOF(syscall_groups);

/* Calls newer than the libseccomp this was built against may be missing from its tables.
 * From 424 on every architecture but alpha shares one numbering. */
static const struct {
        const char *name;
        int nr;
} newer_syscalls[] = {
        {"statmount", 457},         {"listmount", 458},        {"lsm_get_self_attr", 459},
        {"lsm_set_self_attr", 460}, {"lsm_list_modules", 461}, {"mseal", 462},
        {"setxattrat", 463},        {"getxattrat", 464},       {"listxattrat", 465},
        {"removexattrat", 466},     {"open_tree_attr", 467},   {"file_getattr", 468},
        {"file_setattr", 469},
#if defined(__x86_64__)
        {"uretprobe", 335},
#endif
};

const struct syscall_group *syscall_group_find(const char *name)
{
        for (size_t i = 0; i < syscall_groups_count; i++)
                if (streq(syscall_groups[i].name, name))
                        return &syscall_groups[i];
        return NULL;
}

bool syscall_name_exists(const char *name)
{
        if (name[0] == '@')
                return syscall_group_find(name) != NULL;
        /* libseccomp answers a negative pseudo number for a call of another architecture,
         * and __NR_SCMP_ERROR for a name it does not know at all */
        if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR)
                return true;
        return syscall_group_resolve_name(name) >= 0;
}

int syscall_group_resolve_name(const char *name)
{
        int nr = seccomp_syscall_resolve_name(name);

        if (nr >= 0)
                return nr;
        for (size_t i = 0; i < ELEMENTSOF(newer_syscalls); i++)
                if (streq(newer_syscalls[i].name, name))
                        return newer_syscalls[i].nr;
        return -ENOENT;
}

#define KNOWN_MAX 1024
static uint64_t known_bits[KNOWN_MAX / 64];
static int known_max = -1;

/* Which numbers the tables name, found once: libseccomp has no "highest number" call, so it
 * is asked number by number, up to well past the newest call it could know. */
static void load_known(void)
{
        int m = 0;

        if (known_max >= 0)
                return;
        for (size_t i = 0; i < ELEMENTSOF(newer_syscalls); i++) {
                int nr = newer_syscalls[i].nr;
                known_bits[nr / 64] |= 1ULL << (nr % 64);
                if (nr > m)
                        m = nr;
        }
        for (int nr = 0; nr < KNOWN_MAX && nr <= m + 128; nr++) {
                char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
                if (!n)
                        continue;
                free(n);
                known_bits[nr / 64] |= 1ULL << (nr % 64);
                if (nr > m)
                        m = nr;
        }
        known_max = m;
}

int syscall_max_known(void)
{
        load_known();
        return known_max;
}

bool syscall_known(int nr)
{
        load_known();
        return nr >= 0 && nr < KNOWN_MAX && (known_bits[nr / 64] >> (nr % 64)) & 1;
}

const char *syscall_name_of(int nr)
{
        static char buf[64];
        char *n;

        for (size_t i = 0; i < ELEMENTSOF(newer_syscalls); i++)
                if (newer_syscalls[i].nr == nr)
                        return newer_syscalls[i].name;
        n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
        if (!n)
                return NULL;
        snprintf(buf, sizeof(buf), "%s", n);
        free(n);
        return buf;
}

static int expand_recursive(const char *name, unsigned depth, int (*fn)(int nr, void *userdata),
                            void *userdata)
{
        const struct syscall_group *g;
        int r;

        if (name[0] != '@') {
                int nr = syscall_group_resolve_name(name);
                if (nr >= 0)
                        return fn(nr, userdata);
                /* A call of another architecture covers nothing here. A rule naming no
                 * architecture's call is a mistake (a misspelt deny rule would deny
                 * nothing); a group member may be newer than this libseccomp. */
                return depth > 0 || syscall_name_exists(name) ? 0 : -EINVAL;
        }
        if (depth > 8)
                return -ELOOP;
        g = syscall_group_find(name);
        if (!g)
                return -ENOENT;
        for (const char *const *m = g->members; *m; m++) {
                r = expand_recursive(*m, depth + 1, fn, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

int syscall_expand(const char *name, int (*fn)(int nr, void *userdata), void *userdata)
{
        return expand_recursive(name, 0, fn, userdata);
}

void syscall_groups_print(FILE *f, bool verbose)
{
        for (size_t i = 0; i < syscall_groups_count; i++) {
                const struct syscall_group *g = &syscall_groups[i];

                fprintf(f, "%-18s %s\n", g->name, g->help);
                if (!verbose)
                        continue;
                fputs("   ", f);
                size_t col = 3;
                for (const char *const *m = g->members; *m; m++) {
                        /* Only what this architecture has, so the list says what a rule covers. */
                        if ((*m)[0] != '@' && syscall_group_resolve_name(*m) < 0)
                                continue;
                        if (col + strlen(*m) + 1 > 99) {
                                fputs("\n   ", f);
                                col = 3;
                        }
                        fprintf(f, " %s", *m);
                        col += strlen(*m) + 1;
                }
                fputs("\n\n", f);
        }
}
