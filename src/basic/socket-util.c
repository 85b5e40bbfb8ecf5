/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "macro.h"
#include "socket-util.h"

union fd_control {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
};

int send_with_fd(int sock, const void *buf, size_t size, int fd)
{
        union fd_control control = {0};
        struct iovec iov = {.iov_base = (void *)buf, .iov_len = size};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

        if (fd >= 0) {
                struct cmsghdr *c;

                mh.msg_control = control.buf;
                mh.msg_controllen = sizeof(control.buf);
                c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        for (;;) {
                ssize_t n = sendmsg(sock, &mh, MSG_NOSIGNAL);

                if (n >= 0)
                        return (size_t)n == size ? 0 : -EPIPE;
                if (errno != EINTR)
                        return negative_errno();
        }
}

ssize_t recv_with_fd(int sock, void *buf, size_t size, int *ret_fd)
{
        union fd_control control;
        struct iovec iov = {.iov_base = buf, .iov_len = size};
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = control.buf,
                .msg_controllen = sizeof(control.buf),
        };
        ssize_t n;
        int fd = -1;

        do
                n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
                    c->cmsg_len == CMSG_LEN(sizeof(int)))
                        memcpy(&fd, CMSG_DATA(c), sizeof(int));
        if (ret_fd)
                *ret_fd = fd;
        else
                safe_close(fd);
        return n;
}
