/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Sends size bytes of buf as one message on a unix socket, with fd attached as SCM_RIGHTS
 * (-1: none); retries on EINTR, never raises SIGPIPE. Returns 0, -EPIPE when the message did
 * not go whole, or a negative errno. */
int send_with_fd(int sock, const void *buf, size_t size, int fd);
/* The same with n_fds fds (at most 16) attached. */
int send_with_fds(int sock, const void *buf, size_t size, const int *fds, size_t n_fds);

/* Receives one message of at most size bytes into buf and the fd that came with it
 * (close-on-exec) into *ret_fd, -1 when none; with ret_fd NULL a received fd is closed.
 * Retries on EINTR. Returns the number of bytes (0 at end of stream) or a negative errno. */
ssize_t recv_with_fd(int sock, void *buf, size_t size, int *ret_fd);
/* The same with up to max fds (close-on-exec) into ret_fds and their number into *ret_n (may
 * be NULL); fds beyond max are closed. */
ssize_t recv_with_fds(int sock, void *buf, size_t size, int *ret_fds, size_t max, size_t *ret_n);
