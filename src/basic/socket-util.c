/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "macro.h"
#include "socket-util.h"

#define FDS_MAX 16

union fd_control {
        char buf[CMSG_SPACE(sizeof(int) * FDS_MAX)];
        struct cmsghdr align;
};

int send_with_fds(int sock, const void *buf, size_t size, const int *fds, size_t n_fds)
{
        union fd_control control = {0};
        struct iovec iov = {.iov_base = (void *)buf, .iov_len = size};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

        if (n_fds > FDS_MAX)
                return -E2BIG;
        if (n_fds > 0) {
                struct cmsghdr *c;

                mh.msg_control = control.buf;
                mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
                c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
                memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
        }
        for (;;) {
                ssize_t n = sendmsg(sock, &mh, MSG_NOSIGNAL);

                if (n >= 0)
                        return (size_t)n == size ? 0 : -EPIPE;
                if (errno != EINTR)
                        return negative_errno();
        }
}

int send_with_fd(int sock, const void *buf, size_t size, int fd)
{
        return send_with_fds(sock, buf, size, &fd, fd >= 0 ? 1 : 0);
}

ssize_t recv_with_fds(int sock, void *buf, size_t size, int *ret_fds, size_t max, size_t *ret_n)
{
        union fd_control control;
        struct iovec iov = {.iov_base = buf, .iov_len = size};
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = control.buf,
                .msg_controllen = sizeof(control.buf),
        };
        size_t got = 0;
        ssize_t n;

        do
                n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                size_t k;

                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                for (size_t i = 0; i < k; i++) {
                        int fd;

                        memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                        if (got < max)
                                ret_fds[got++] = fd;
                        else
                                safe_close(fd); /* more than asked for: not ours to keep */
                }
        }
        if (ret_n)
                *ret_n = got;
        return n;
}

ssize_t recv_with_fd(int sock, void *buf, size_t size, int *ret_fd)
{
        int fd = -1;
        ssize_t n = recv_with_fds(sock, buf, size, &fd, ret_fd ? 1 : 0, NULL);

        if (ret_fd)
                *ret_fd = fd;
        return n;
}
