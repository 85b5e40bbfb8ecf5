/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "basic/socket-util.h"
#include "setup-msg.h"

int child_fail(struct child_error *e, int err, const char *stage, const char *fmt, ...)
{
        va_list ap;

        if (err < 0)
                err = -err;
        if (err == 0)
                err = EIO;
        e->err = err;
        snprintf(e->stage, sizeof(e->stage), "%s", stage);
        va_start(ap, fmt);
        vsnprintf(e->message, sizeof(e->message), fmt, ap);
        va_end(ap);
        return -err;
}

int setup_msg_send(int sock, const struct setup_msg *m, int fd)
{
        return send_with_fd(sock, m, sizeof(*m), fd);
}

int setup_msg_send_fds(int sock, const struct setup_msg *m, const int *fds, size_t n)
{
        return send_with_fds(sock, m, sizeof(*m), fds, n);
}

int setup_msg_recv_fds(int sock, struct setup_msg *m, int *ret_fds, size_t max, size_t *ret_n)
{
        ssize_t n;

        memset(m, 0, sizeof(*m));
        n = recv_with_fds(sock, m, sizeof(*m), ret_fds, max, ret_n);
        /* A peer that ends with a message of ours unread (the child failing while the parent
         * says SETUP_MSG_CGROUP) makes the kernel report ECONNRESET once, ahead of what the
         * peer sent before it ended (its error): read on. */
        if (n == -ECONNRESET)
                n = recv_with_fds(sock, m, sizeof(*m), ret_fds, max, ret_n);
        if (n > 0 && (size_t)n != sizeof(*m))
                return -EBADMSG;
        return (int)n;
}

int setup_msg_recv(int sock, struct setup_msg *m, int *ret_fd)
{
        int fd = -1, n = setup_msg_recv_fds(sock, m, &fd, ret_fd ? 1 : 0, NULL);

        if (ret_fd)
                *ret_fd = fd;
        return n;
}
