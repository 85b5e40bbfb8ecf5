/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Read a whole file (at most max bytes; 0 means 64 MiB) into a NUL-terminated buffer.
 * Returns 0 and sets *ret_buf (and *ret_size if non-NULL), or a negative errno
 * (-EFBIG when the file is larger than max). */
int read_full_file(const char *path, char **ret_buf, size_t *ret_size, size_t max);
int read_full_fd(int fd, char **ret_buf, size_t *ret_size, size_t max);

/* Write all of buf, retrying on EINTR and short writes. Returns 0 or a negative errno. */
int loop_write(int fd, const void *buf, size_t n);
/* Read up to n bytes, retrying on EINTR and short reads until EOF. Returns bytes read. */
ssize_t loop_read(int fd, void *buf, size_t n);

/* Write a string to an existing file (such as /proc or cgroup files), without O_CREAT.
 * Returns 0 or a negative errno. */
int write_string_file(const char *path, const char *s);
/* The same relative to a directory fd. */
int write_string_file_at(int dirfd, const char *path, const char *s);

/* Keeps a cache folder small: of the regular files in dfd whose name match() accepts, removes
 * the oldest by modification time (which a cache's load refreshes) until at most max are left.
 * Names of 96 bytes or more are left alone. Best effort: errors leave files in place. */
void dir_prune_oldest(int dfd, bool (*match)(int dfd, const char *name), size_t max);
