/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"

#define READ_FULL_DEFAULT_MAX (64u * 1024 * 1024)

int read_full_fd(int fd, char **ret_buf, size_t *ret_size, size_t max)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, alloc = 0;

        if (max == 0)
                max = READ_FULL_DEFAULT_MAX;

        for (;;) {
                ssize_t k;

                if (alloc - size < 4096) {
                        size_t want = alloc ? alloc * 2 : 8192;
                        char *p;

                        if (want > max + 1)
                                want = max + 1;
                        if (want <= size)
                                return -EFBIG;
                        p = realloc(buf, want + 1);
                        if (!p)
                                return -ENOMEM;
                        buf = p;
                        alloc = want;
                }
                k = read(fd, buf + size, alloc - size);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        break;
                size += (size_t)k;
                if (size > max)
                        return -EFBIG;
        }
        if (!buf) {
                buf = malloc(1);
                if (!buf)
                        return -ENOMEM;
        }
        buf[size] = 0;
        *ret_buf = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = size;
        return 0;
}

int read_full_file(const char *path, char **ret_buf, size_t *ret_size, size_t max)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return negative_errno();
        return read_full_fd(fd, ret_buf, ret_size, max);
}

int loop_write(int fd, const void *buf, size_t n)
{
        const char *p = buf;

        while (n > 0) {
                ssize_t k = write(fd, p, n);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        return -EIO;
                p += k;
                n -= (size_t)k;
        }
        return 0;
}

ssize_t loop_read(int fd, void *buf, size_t n)
{
        char *p = buf;
        size_t done = 0;

        while (done < n) {
                ssize_t k = read(fd, p + done, n - done);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return done > 0 ? (ssize_t)done : negative_errno();
                }
                if (k == 0)
                        break;
                done += (size_t)k;
        }
        return (ssize_t)done;
}

int write_string_file_at(int dirfd, const char *path, const char *s)
{
        _cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return negative_errno();
        return loop_write(fd, s, strlen(s));
}

int write_string_file(const char *path, const char *s)
{
        return write_string_file_at(AT_FDCWD, path, s);
}

void dir_prune_oldest(int dfd, bool (*match)(int dfd, const char *name), size_t max)
{
        struct entry {
                char name[96];
                struct timespec mtime;
        } *v = NULL;
        size_t n = 0, cap = 0;
        int fd = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        struct dirent *de;

        if (!d) {
                if (fd >= 0)
                        close(fd);
                return;
        }
        while ((de = readdir(d))) {
                struct stat st;

                if (strlen(de->d_name) >= sizeof(v->name) || !match(dfd, de->d_name) ||
                    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
                        continue;
                if (n == cap) {
                        struct entry *nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));
                        if (!nv)
                                break;
                        v = nv;
                }
                memcpy(v[n].name, de->d_name, strlen(de->d_name) + 1); /* < 96, checked */
                v[n++].mtime = st.st_mtim;
        }
        closedir(d);
        while (n > max) {
                size_t oldest = 0;
                for (size_t i = 1; i < n; i++)
                        if (v[i].mtime.tv_sec < v[oldest].mtime.tv_sec ||
                            (v[i].mtime.tv_sec == v[oldest].mtime.tv_sec &&
                             v[i].mtime.tv_nsec < v[oldest].mtime.tv_nsec))
                                oldest = i;
                (void)unlinkat(dfd, v[oldest].name, 0);
                v[oldest] = v[--n];
        }
        free(v);
}
