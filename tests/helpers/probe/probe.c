/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Escape probe for tests/integration/escape.sh: makes one raw attempt to leave or weaken the
 * sandbox and prints "NAME: denied (ERRNO) seccomp=MODE pidns=INODE userns=INODE
 * netns=INODE ipcns=INODE" with status 0
 * when the attempt failed, or "NAME: ALLOWED ..." with status 1 when it worked. Status 2:
 * usage. The seccomp mode and the namespaces let the caller tell which layer refused: an EPERM
 * outside any filter, in the host's namespaces, is only the uid's. "i386-entry" (run outside
 * any sandbox) says whether the 32-bit entry point exists at all: "present" status 0, "absent"
 * status 3 (PVM guests kill int $0x80 with SIGSEGV; AIRLOCK_PROBE_NO_INT80=1 pretends so). */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

static const char *name;

/* The "Seccomp:" mode of /proc/self/status, -1 when unreadable. */
static int seccomp_mode(void)
{
        char line[256];
        int mode = -1;
        FILE *f = fopen("/proc/self/status", "re");

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "Seccomp: %d", &mode) == 1)
                        break;
        fclose(f);
        return mode;
}

static unsigned long long ns_inode(const char *path)
{
        struct stat st;

        return stat(path, &st) < 0 ? 0 : (unsigned long long)st.st_ino;
}

static int denied(int err)
{
        printf("%s: denied (%s) seccomp=%d pidns=%llu userns=%llu netns=%llu ipcns=%llu\n", name,
               strerrorname_np(err) ?: "?", seccomp_mode(), ns_inode("/proc/self/ns/pid"),
               ns_inode("/proc/self/ns/user"), ns_inode("/proc/self/ns/net"),
               ns_inode("/proc/self/ns/ipc"));
        return 0;
}

static int allowed(const char *what)
{
        printf("%s: ALLOWED %s\n", name, what);
        return 1;
}

/* The usual shape: r < 0 means the kernel refused. */
static int check(long r, const char *what)
{
        return r < 0 ? denied(errno) : allowed(what);
}

static int t_clone_ns(unsigned long flags)
{
        long pid = syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);

        if (pid == 0)
                _exit(0);
        if (pid < 0)
                return denied(errno);
        waitpid((pid_t)pid, NULL, 0);
        return allowed("a child in new namespaces");
}

static int t_clone3_ns(void)
{
        struct {
                uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
        } args = {.flags = CLONE_NEWUSER | CLONE_NEWNS, .exit_signal = SIGCHLD};
        long pid = syscall(SYS_clone3, &args, sizeof(args));

        if (pid == 0)
                _exit(0);
        if (pid < 0)
                return denied(errno);
        waitpid((pid_t)pid, NULL, 0);
        return allowed("clone3 with namespace flags");
}

static int t_x32(void)
{
        long r = syscall(0x40000000 | SYS_getpid);

        return check(r, "an x32 syscall");
}

static int t_i386(void)
{
        long r;

        /* getpid through the 32-bit entry point (int $0x80, eax 20) */
        __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
        if (r < 0 && r > -4096)
                return denied((int)-r);
        return allowed("an i386 syscall");
}

/* Whether int $0x80 works outside: in a child, so that a SIGSEGV ends only the child. */
static int t_i386_entry(void)
{
        int status;
        pid_t pid;

        if (getenv("AIRLOCK_PROBE_NO_INT80")) {
                printf("i386-entry: absent (AIRLOCK_PROBE_NO_INT80 is set)\n");
                return 3;
        }
        pid = fork();
        if (pid < 0)
                return denied(errno);
        if (pid == 0) {
                long r;
                __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
                _exit(r == getpid() ? 0 : 1);
        }
        if (waitpid(pid, &status, 0) < 0)
                return denied(errno);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                printf("i386-entry: present\n");
                return 0;
        }
        printf("i386-entry: absent (int $0x80 getpid ends in %s %d)\n",
               WIFSIGNALED(status) ? "signal" : "status",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        return 3;
}

/* PTRACE_SEIZE, not PTRACE_ATTACH: attaching is the escape, and ATTACH's SIGSTOP could be
 * left pending when the probe detaches before the stop (run without a sandbox, the stopped
 * parent is the test's own shell, which then hangs). A seized tracee is let go, unstopped,
 * when the probe exits. */
static int t_ptrace(pid_t pid)
{
        if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0)
                return denied(errno);
        return allowed("ptrace attach");
}

static int t_vm_readv(void)
{
        char buf[8];
        struct iovec local = {buf, sizeof(buf)}, remote = {(void *)0x400000, sizeof(buf)};

        return check(process_vm_readv(1, &local, 1, &remote, 1, 0), "process_vm_readv of pid 1");
}

static int t_perf(void)
{
        struct perf_event_attr a = {
                .type = PERF_TYPE_SOFTWARE, .size = sizeof(a), .config = PERF_COUNT_SW_CPU_CLOCK};

        return check(syscall(SYS_perf_event_open, &a, 0, -1, -1, 0), "perf_event_open");
}

static int t_bpf(void)
{
        union {
                struct {
                        uint32_t map_type, key_size, value_size, max_entries;
                } m;
                char pad[128];
        } attr = {.m = {1 /* BPF_MAP_TYPE_HASH */, 4, 4, 1}};

        return check(syscall(SYS_bpf, 0 /* BPF_MAP_CREATE */, &attr, sizeof(attr)), "bpf");
}

static int t_io_uring(void)
{
        char params[120] = {0};

        return check(syscall(SYS_io_uring_setup, 4, params), "io_uring_setup");
}

static int t_open_by_handle(void)
{
        struct {
                unsigned int handle_bytes;
                int handle_type;
                unsigned char f_handle[128];
        } h = {.handle_bytes = 128};
        int mount_id;

        if (syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &h, &mount_id, 0) < 0)
                h.handle_type = 1; /* try a made-up handle anyway */
        return check(syscall(SYS_open_by_handle_at, AT_FDCWD, &h, O_RDONLY), "open_by_handle_at");
}

static int t_tcp(const char *port)
{
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};
        int s = socket(AF_INET, SOCK_STREAM, 0);

        if (s < 0)
                return denied(errno);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return check(connect(s, (struct sockaddr *)&a, sizeof(a)), "TCP to the host's loopback");
}

static int t_abstract(const char *path)
{
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        int s = socket(AF_UNIX, SOCK_STREAM, 0);
        socklen_t len;

        if (s < 0)
                return denied(errno);
        strncpy(a.sun_path + 1, path, sizeof(a.sun_path) - 2);
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path));
        return check(connect(s, (struct sockaddr *)&a, len), "the host's abstract socket");
}

static int t_shm(const char *key)
{
        return check(shmget((key_t)strtol(key, NULL, 0), 0, 0), "the host's SysV shared memory");
}

static int t_kill_init(void)
{
        /* Landlock's signal scope refuses outright (EPERM), even the kill(1, 0) probe */
        if (kill(1, SIGKILL) < 0)
                return denied(errno);
        usleep(100000);
        if (kill(1, 0) == 0 || errno != ESRCH) {
                printf("%s: denied (pid 1 survived SIGKILL)\n", name);
                return 0;
        }
        return allowed("killed pid 1");
}

static int t_tiocsti(const char *path)
{
        int fd = path ? open(path, O_RDWR | O_NOCTTY) : 0;
        const char *s = "echo INJECTED\n";

        if (fd < 0)
                return denied(errno);
        for (const char *c = s; *c; c++)
                if (ioctl(fd, TIOCSTI, c) < 0)
                        return denied(errno);
        return allowed("TIOCSTI");
}

static int t_capset(void)
{
        struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct d[2] = {{.effective = ~0u, .permitted = ~0u},
                                              {.effective = ~0u, .permitted = ~0u}};

        return check(syscall(SYS_capset, &h, d), "raising capabilities");
}

static int t_write(const char *path)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

        if (fd < 0)
                return denied(errno);
        if (write(fd, "x", 1) < 0)
                return denied(errno);
        return allowed(path);
}

static int t_read(const char *path)
{
        char buf[16];
        int fd = open(path, O_RDONLY);

        if (fd < 0)
                return denied(errno);
        if (read(fd, buf, sizeof(buf)) < 0)
                return denied(errno);
        return allowed(path);
}

int main(int argc, char **argv)
{
        struct timespec now;
        struct mount_attr attr = {.attr_clr = MOUNT_ATTR_RDONLY};
        const char *arg = argc > 2 ? argv[2] : NULL;

        if (argc < 2)
                return 2;
        name = argv[1];
        setvbuf(stdout, NULL, _IONBF, 0);
#define IS(n) (strcmp(name, n) == 0)
        if (IS("i386-entry"))
                return t_i386_entry();
        if (IS("mount"))
                return check(mount("none", "/tmp", "tmpfs", 0, NULL), "mount tmpfs");
        if (IS("umount"))
                return check(umount2("/proc", MNT_DETACH), "umount /proc");
        if (IS("remount-usr-rw"))
                return check(mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL),
                             "remount /usr read-write");
        if (IS("fsopen"))
                return check(syscall(SYS_fsopen, "tmpfs", 0), "fsopen");
        if (IS("open_tree"))
                return check(syscall(SYS_open_tree, AT_FDCWD, "/usr", 1 /* CLONE */), "open_tree");
        if (IS("move_mount"))
                return check(syscall(SYS_move_mount, AT_FDCWD, "/usr", AT_FDCWD, "/tmp", 0),
                             "move_mount");
        if (IS("mount_setattr"))
                return check(syscall(SYS_mount_setattr, AT_FDCWD, "/usr", 0, &attr, sizeof(attr)),
                             "mount_setattr");
        if (IS("pivot_root"))
                return check(syscall(SYS_pivot_root, "/tmp", "/tmp"), "pivot_root");
        if (IS("chroot"))
                return check(chroot("/tmp"), "chroot");
        if (IS("unshare-user"))
                return check(unshare(CLONE_NEWUSER), "unshare a user namespace");
        if (IS("unshare-mount"))
                return check(unshare(CLONE_NEWNS), "unshare a mount namespace");
        if (IS("unshare-net"))
                return check(unshare(CLONE_NEWNET), "unshare a network namespace");
        if (IS("clone-newuser"))
                return t_clone_ns(CLONE_NEWUSER);
        if (IS("clone3-ns"))
                return t_clone3_ns();
        if (IS("setns")) {
                int fd = open("/proc/self/ns/mnt", O_RDONLY);
                return fd < 0 ? denied(errno) : check(setns(fd, CLONE_NEWNS), "setns");
        }
        if (IS("ptrace-init"))
                return t_ptrace(1);
        if (IS("ptrace-parent"))
                return t_ptrace(getppid());
        if (IS("ptrace-traceme"))
                return check(ptrace(PTRACE_TRACEME, 0, NULL, NULL), "PTRACE_TRACEME");
        if (IS("process_vm_readv"))
                return t_vm_readv();
        if (IS("bpf"))
                return t_bpf();
        if (IS("perf_event_open"))
                return t_perf();
        if (IS("userfaultfd"))
                return check(syscall(SYS_userfaultfd, 0), "userfaultfd");
        if (IS("io_uring"))
                return t_io_uring();
        if (IS("keyctl"))
                return check(syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "airlock"), "keyctl");
        if (IS("add_key"))
                return check(
                        syscall(SYS_add_key, "user", "airlock", "x", 1, KEY_SPEC_PROCESS_KEYRING),
                        "add_key");
        if (IS("request_key"))
                return check(
                        syscall(SYS_request_key, "user", "airlock", NULL, KEY_SPEC_PROCESS_KEYRING),
                        "request_key");
        if (IS("kexec_load"))
                return check(syscall(SYS_kexec_load, 0, 0, NULL, 0), "kexec_load");
        if (IS("init_module"))
                return check(syscall(SYS_init_module, "", 0, ""), "init_module");
        if (IS("finit_module"))
                return check(syscall(SYS_finit_module, 0, "", 0), "finit_module");
        if (IS("delete_module"))
                return check(syscall(SYS_delete_module, "loop", 0), "delete_module");
        if (IS("acct"))
                return check(syscall(SYS_acct, "/tmp/acct"), "acct");
        if (IS("swapon"))
                return check(syscall(SYS_swapon, "/tmp/swap", 0), "swapon");
        if (IS("reboot"))
                return check(syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
                                     LINUX_REBOOT_CMD_CAD_ON, NULL),
                             "reboot");
        if (IS("syslog")) {
                char buf[64];
                return check(syscall(SYS_syslog, 3 /* READ_ALL */, buf, sizeof(buf)),
                             "reading the kernel log");
        }
        if (IS("clock_settime")) {
                clock_gettime(CLOCK_REALTIME, &now);
                return check(clock_settime(CLOCK_REALTIME, &now), "setting the clock");
        }
        if (IS("settimeofday"))
                return check(syscall(SYS_settimeofday, NULL, NULL), "settimeofday");
        if (IS("personality")) {
                if (personality(PER_LINUX32) < 0)
                        return denied(errno);
                if ((personality(0xffffffff) & PER_MASK) != PER_LINUX32)
                        return denied(EPERM);
                return allowed("personality PER_LINUX32");
        }
        if (IS("x32"))
                return t_x32();
        if (IS("i386"))
                return t_i386();
        if (IS("tiocsti"))
                return t_tiocsti(arg);
        if (IS("tioclinux")) {
                char sub = 6; /* TIOCL_GETSHIFTSTATE */
                return check(ioctl(0, TIOCLINUX, &sub), "TIOCLINUX");
        }
        if (IS("open_by_handle_at"))
                return t_open_by_handle();
        if (IS("mknod"))
                return check(mknod("/tmp/sda", S_IFBLK | 0600, makedev(8, 0)),
                             "mknod a block device");
        if (IS("setuid0"))
                return check(setuid(0), "setuid(0)");
        if (IS("capset"))
                return t_capset();
        if (IS("pidfd_getfd")) {
                int pfd = (int)syscall(SYS_pidfd_open, 1, 0);
                return pfd < 0 ? denied(errno)
                               : check(syscall(SYS_pidfd_getfd, pfd, 0, 0), "pidfd_getfd of pid 1");
        }
        if (IS("kill-init"))
                return t_kill_init();
        if (IS("tcp") && arg)
                return t_tcp(arg);
        if (IS("abstract") && arg)
                return t_abstract(arg);
        if (IS("shm-create") && arg) {
                /* outside, for the test: a segment anyone may attach */
                int id = shmget((key_t)strtol(arg, NULL, 0), 4096, IPC_CREAT | 0666);
                if (id < 0)
                        return 2;
                printf("%d\n", id);
                return 0;
        }
        if (IS("shm") && arg)
                return t_shm(arg);
        if (IS("write") && arg)
                return t_write(arg);
        if (IS("read") && arg)
                return t_read(arg);
        if (IS("sethostname"))
                return check(sethostname("escaped", 7), "sethostname");
        fprintf(stderr, "probe: unknown attempt %s\n", name);
        return 2;
}
