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

int setup_msg_recv(int sock, struct setup_msg *m, int *ret_fd)
{
        ssize_t n;

        memset(m, 0, sizeof(*m));
        n = recv_with_fd(sock, m, sizeof(*m), ret_fd);
        /* A peer that ends with a message of ours unread (the child failing while the parent
         * says SETUP_MSG_JOINED) makes the kernel report ECONNRESET once, ahead of what the
         * peer sent before it ended (its error): read on. */
        if (n == -ECONNRESET)
                n = recv_with_fd(sock, m, sizeof(*m), ret_fd);
        if (n > 0 && (size_t)n != sizeof(*m))
                return -EBADMSG;
        return (int)n;
}
