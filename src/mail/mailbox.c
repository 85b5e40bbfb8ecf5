/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Message sources for `airlock mail scan`: one file, an mbox, a Maildir, stdin. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "basic/fileio.h"
#include "basic/macro.h"
#include "basic/strv.h"
#include "mail/mailbox.h"

#define DEFAULT_MAX_SIZE (1ULL << 30)

static bool is_from_line(const char *p, const char *end)
{
        return end - p >= 5 && memcmp(p, "From ", 5) == 0;
}

int mailbox_split_mbox(const char *name, const char *data, size_t size, mailbox_message_fn fn,
                       void *userdata)
{
        const char *end = data + size, *p = data, *start = NULL;
        unsigned n = 0;

        /* A message starts after a "From " line that begins the file or follows an empty
         * line (mboxo/mboxrd escape body lines as ">From "). */
        while (p < end) {
                const char *nl = memchr(p, '\n', end - p);
                const char *next = nl ? nl + 1 : end;
                bool boundary =
                        is_from_line(p, end) && (p == data || (p - data >= 2 && p[-2] == '\n') ||
                                                 (p - data >= 3 && p[-2] == '\r' && p[-3] == '\n'));

                if (boundary) {
                        if (start) {
                                char label[4096];
                                int r;

                                snprintf(label, sizeof(label), "%s:%u", name, ++n);
                                r = fn(label, start, p - start, userdata);
                                if (r != 0)
                                        return r;
                        }
                        start = next;
                }
                p = next;
        }
        if (start) {
                char label[4096];

                snprintf(label, sizeof(label), "%s:%u", name, ++n);
                return fn(label, start, end - start, userdata);
        }
        return 0;
}

static int one_file(const char *path, int fd, size_t max, mailbox_message_fn fn, void *userdata)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        int r;

        r = read_full_fd(fd, &buf, &size, max);
        if (r < 0)
                return r;
        if (is_from_line(buf, buf + size))
                return mailbox_split_mbox(path, buf, size, fn, userdata);
        return fn(path, buf, size, userdata);
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files of dir, sorted, as full paths. */
static int list_files(const char *dir, char ***ret)
{
        _cleanup_strv_free_ char **v = NULL;
        DIR *d = opendir(dir);
        struct dirent *de;

        if (!d)
                return negative_errno();
        while ((de = readdir(d))) {
                char *full;
                struct stat st;

                if (de->d_name[0] == '.')
                        continue;
                if (asprintf(&full, "%s/%s", dir, de->d_name) < 0) {
                        closedir(d);
                        return -ENOMEM;
                }
                if (lstat(full, &st) < 0 || !S_ISREG(st.st_mode) || strv_push(&v, full) < 0) {
                        free(full);
                        continue;
                }
        }
        closedir(d);
        if (v)
                qsort(v, strv_length(v), sizeof(char *), cmp_str);
        *ret = TAKE_PTR(v);
        return 0;
}

static int folder(const char *path, size_t max, mailbox_message_fn fn, void *userdata)
{
        static const char *const maildir_subdirs[] = {"new", "cur"};
        char sub[4096];
        struct stat st;
        bool maildir = false;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(maildir_subdirs); i++) {
                snprintf(sub, sizeof(sub), "%s/%s", path, maildir_subdirs[i]);
                if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
                        maildir = true;
        }
        for (size_t i = 0; i < (maildir ? ELEMENTSOF(maildir_subdirs) : 1); i++) {
                _cleanup_strv_free_ char **files = NULL;
                const char *dir = path;

                if (maildir) {
                        snprintf(sub, sizeof(sub), "%s/%s", path, maildir_subdirs[i]);
                        dir = sub;
                        if (stat(dir, &st) < 0)
                                continue;
                }
                r = list_files(dir, &files);
                if (r < 0)
                        return r;
                for (char **f = files; f && *f; f++) {
                        _cleanup_close_ int fd = open(*f, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

                        if (fd < 0)
                                return negative_errno();
                        r = one_file(*f, fd, max, fn, userdata);
                        if (r != 0)
                                return r;
                }
        }
        return 0;
}

int mailbox_foreach(const char *path, size_t max_size, mailbox_message_fn fn, void *userdata)
{
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (max_size == 0)
                max_size = DEFAULT_MAX_SIZE;
        if (streq(path, "-"))
                return one_file("-", STDIN_FILENO, max_size, fn, userdata);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return folder(path, max_size, fn, userdata);
        return one_file(path, fd, max_size, fn, userdata);
}
