/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Sends size bytes of buf as one message on a unix socket, with fd attached as SCM_RIGHTS
 * (-1: none); retries on EINTR, never raises SIGPIPE. Returns 0, -EPIPE when the message did
 * not go whole, or a negative errno. */
int send_with_fd(int sock, const void *buf, size_t size, int fd);

/* Receives one message of at most size bytes into buf and the fd that came with it
 * (close-on-exec) into *ret_fd, -1 when none; with ret_fd NULL a received fd is closed.
 * Retries on EINTR. Returns the number of bytes (0 at end of stream) or a negative errno. */
ssize_t recv_with_fd(int sock, void *buf, size_t size, int *ret_fd);
