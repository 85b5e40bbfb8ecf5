/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading the traced program's memory. Nothing read here is ever a reason to allow a call:
 * the target (or another of its threads) can change it after we looked (seccomp_unotify(2)).
 * It only describes the call in the event. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "basic/strv.h"
#include "monitor-internal.h"

#define PAGE     4096u
#define MAX_ARGS 256

static int read_proc_mem(pid_t pid, uint64_t addr, void *buf, size_t n)
{
        char path[64];
        _cleanup_close_ int fd = -1;
        ssize_t k;

        snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        k = pread(fd, buf, n, (off_t)addr);
        if (k < 0)
                return negative_errno();
        return (size_t)k == n ? 0 : -EFAULT;
}

int target_read(pid_t pid, uint64_t addr, void *buf, size_t n)
{
        struct iovec local = {buf, n}, remote = {(void *)(uintptr_t)addr, n};
        ssize_t k;

        if (addr == 0)
                return -EFAULT;
        k = process_vm_readv(pid, &local, 1, &remote, 1, 0);
        if (k == (ssize_t)n)
                return 0;
        if (k < 0 && errno != EPERM && errno != ENOSYS)
                return negative_errno();
        /* process_vm_readv may be filtered or short: /proc/PID/mem follows the same rules. */
        return read_proc_mem(pid, addr, buf, n);
}

int target_read_string(pid_t pid, uint64_t addr, char **ret)
{
        _cleanup_free_ char *s = malloc(PATH_MAX + 1);
        size_t len = 0;

        if (!s)
                return -ENOMEM;
        /* Read up to each page end, so that a string near unmapped memory still reads. */
        while (len < PATH_MAX) {
                size_t chunk = PAGE - ((addr + len) % PAGE);
                int r;

                if (chunk > PATH_MAX - len)
                        chunk = PATH_MAX - len;
                r = target_read(pid, addr + len, s + len, chunk);
                if (r < 0)
                        return r;
                void *nul = memchr(s + len, 0, chunk);
                if (nul) {
                        len = (size_t)((char *)nul - s);
                        break;
                }
                len += chunk;
        }
        s[len] = 0;
        *ret = TAKE_PTR(s);
        return 0;
}

int target_read_argv(pid_t pid, uint64_t addr, char ***ret)
{
        _cleanup_strv_free_ char **v = NULL;
        int r;

        if (addr == 0) {
                *ret = NULL;
                return 0;
        }
        for (unsigned i = 0; i < MAX_ARGS; i++) {
                uint64_t p = 0;
                char *s;

                r = target_read(pid, addr + i * sizeof(uint64_t), &p, sizeof(p));
                if (r < 0)
                        return r;
                if (p == 0)
                        break;
                r = target_read_string(pid, p, &s);
                if (r < 0)
                        return r;
                r = strv_push(&v, s);
                if (r < 0) {
                        free(s);
                        return r;
                }
        }
        *ret = TAKE_PTR(v);
        return 0;
}

static int readlink_alloc(const char *path, char **ret)
{
        char buf[PATH_MAX];
        ssize_t n = readlink(path, buf, sizeof(buf) - 1);

        if (n < 0)
                return negative_errno();
        buf[n] = 0;
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

/* Collapses "." and ".." and repeated slashes lexically (no symlinks are followed: this only
 * makes the event readable and the rules' matching stable). */
static void normalize_path(char *p)
{
        char *out = p, *in = p;

        while (*in) {
                if (in[0] == '/' && (in[1] == '/' || in[1] == 0) && out != p) {
                        in++;
                        continue;
                }
                if (in[0] == '/' && in[1] == '.' && (in[2] == '/' || in[2] == 0)) {
                        in += 2;
                        continue;
                }
                if (in[0] == '/' && in[1] == '.' && in[2] == '.' && (in[3] == '/' || in[3] == 0)) {
                        while (out > p && *--out != '/')
                                ;
                        in += 3;
                        continue;
                }
                *out++ = *in++;
        }
        if (out == p)
                *out++ = '/';
        *out = 0;
}

int target_resolve_path(pid_t pid, int64_t dirfd, const char *path, char **ret)
{
        _cleanup_free_ char *base = NULL;
        char link[64];
        char *s;
        int r;

        if (path[0] == '/') {
                s = strdup(path);
                if (!s)
                        return -ENOMEM;
                normalize_path(s);
                *ret = s;
                return 0;
        }
        if ((int)dirfd == AT_FDCWD || dirfd < 0)
                snprintf(link, sizeof(link), "/proc/%d/cwd", (int)pid);
        else
                snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, (int)dirfd);
        r = readlink_alloc(link, &base);
        if (r < 0)
                return r;
        if (path[0] == 0) {
                *ret = TAKE_PTR(base);
                return 0;
        }
        if (asprintf(&s, "%s/%s", base, path) < 0)
                return -ENOMEM;
        normalize_path(s);
        *ret = s;
        return 0;
}

const char *family_to_string(int family)
{
        switch (family) {
        case AF_UNIX:
                return "unix";
        case AF_INET:
                return "inet";
        case AF_INET6:
                return "inet6";
        case AF_NETLINK:
                return "netlink";
        case AF_PACKET:
                return "packet";
        default:
                return "other";
        }
}

int sockaddr_decode(const void *sa, size_t len, char **ret_addr, int *ret_port, int *ret_family)
{
        sa_family_t family;
        char buf[INET6_ADDRSTRLEN + 8];
        char *s = NULL;

        if (len < sizeof(sa_family_t))
                return -EINVAL;
        memcpy(&family, sa, sizeof(family));
        *ret_port = -1;
        *ret_family = family;
        if (family == AF_INET && len >= sizeof(struct sockaddr_in)) {
                struct sockaddr_in in;

                memcpy(&in, sa, sizeof(in));
                inet_ntop(AF_INET, &in.sin_addr, buf, sizeof(buf));
                *ret_port = ntohs(in.sin_port);
                s = strdup(buf);
        } else if (family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
                struct sockaddr_in6 in6;

                memcpy(&in6, sa, sizeof(in6));
                inet_ntop(AF_INET6, &in6.sin6_addr, buf, sizeof(buf));
                *ret_port = ntohs(in6.sin6_port);
                s = strdup(buf);
        } else if (family == AF_UNIX) {
                struct sockaddr_un un = {0};
                size_t n = len - offsetof(struct sockaddr_un, sun_path);

                memcpy(&un, sa, len < sizeof(un) ? len : sizeof(un));
                if (n > sizeof(un.sun_path))
                        n = sizeof(un.sun_path);
                if (n > 0 && un.sun_path[0] == 0) {
                        if (asprintf(&s, "@%.*s", (int)(n - 1), un.sun_path + 1) < 0)
                                s = NULL;
                } else
                        s = strndup(un.sun_path, n);
        } else if (family == AF_NETLINK && len >= sizeof(struct sockaddr_nl)) {
                struct sockaddr_nl nl;

                memcpy(&nl, sa, sizeof(nl));
                if (asprintf(&s, "netlink:%u", nl.nl_pid) < 0)
                        s = NULL;
        } else {
                if (asprintf(&s, "family:%d", (int)family) < 0)
                        s = NULL;
        }
        if (!s)
                return -ENOMEM;
        *ret_addr = s;
        return 0;
}
