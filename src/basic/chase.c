/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Resolving host paths that a sandbox may have written (see chase.h). The walk keeps an fd
 * of the folder reached so far and opens each component from it with O_NOFOLLOW, so what is
 * checked is what is used: a link planted between two steps is seen as a link. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "chase.h"
#include "macro.h"

#define CHASE_MAX_LINKS 40

bool path_in_folder(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        if (streq(dir, "/"))
                return path[0] == '/';
        return strneq(path, dir, n) && (path[n] == 0 || path[n] == '/');
}

static bool in_untrusted(const char *dir, char *const *untrusted)
{
        for (char *const *u = untrusted; u && *u; u++)
                if (path_in_folder(dir, *u))
                        return true;
        return false;
}

static char *join(const char *dir, const char *name)
{
        char *p;

        if (asprintf(&p, "%s%s%s", dir, streq(dir, "/") ? "" : "/", name) < 0)
                return NULL;
        return p;
}

/* The next component of *todo into comp; advances *todo. Returns false at the end. */
static int next_component(const char **todo, char comp[static NAME_MAX + 1])
{
        const char *p = *todo;
        size_t n;

        while (*p == '/')
                p++;
        if (!*p)
                return 0;
        n = strcspn(p, "/");
        if (n > NAME_MAX)
                return -ENAMETOOLONG;
        memcpy(comp, p, n);
        comp[n] = 0;
        *todo = p + n;
        return 1;
}

/* Replaces the unresolved rest with the link's target followed by what came after the link. */
static int splice_link(int link_fd, const char *after, char **todo)
{
        char target[PATH_MAX];
        ssize_t n = readlinkat(link_fd, "", target, sizeof(target) - 1);
        char *t;

        if (n < 0)
                return negative_errno();
        if (n == 0)
                return -ENOENT;
        target[n] = 0;
        if (asprintf(&t, "%s/%s", target, after) < 0)
                return -ENOMEM;
        free(*todo);
        *todo = t;
        return 0;
}

static int parent_of(char **done, int *fd)
{
        char *slash = strrchr(*done, '/');
        int up;

        if (streq(*done, "/"))
                return 0; /* "/.." is "/" */
        up = openat(*fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (up < 0)
                return negative_errno();
        safe_close(*fd);
        *fd = up;
        if (slash == *done)
                slash[1] = 0;
        else
                *slash = 0;
        return 0;
}

int chase(const char *path, char *const *untrusted, int open_flags, char **ret_path,
          bool *ret_inside)
{
        _cleanup_free_ char *todo = NULL, *done = strdup("/");
        _cleanup_close_ int fd = -1;
        unsigned links = 0;
        int r;

        if (!path || path[0] != '/')
                return -EINVAL;
        todo = strdup(path);
        if (!todo || !done)
                return -ENOMEM;
        fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();

        for (;;) {
                char comp[NAME_MAX + 1];
                const char *rest = todo;
                _cleanup_close_ int child = -1;
                struct stat st;
                char *next;

                r = next_component(&rest, comp);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                if (streq(comp, ".")) {
                        memmove(todo, rest, strlen(rest) + 1);
                        continue;
                }
                if (streq(comp, "..")) {
                        r = parent_of(&done, &fd);
                        if (r < 0)
                                return r;
                        memmove(todo, rest, strlen(rest) + 1);
                        continue;
                }
                child = openat(fd, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (child < 0 || fstat(child, &st) < 0)
                        return negative_errno();
                if (S_ISLNK(st.st_mode)) {
                        if (in_untrusted(done, untrusted)) {
                                if (ret_path) {
                                        *ret_path = join(done, comp);
                                        if (!*ret_path)
                                                return -ENOMEM;
                                }
                                return -ELOOP;
                        }
                        if (++links > CHASE_MAX_LINKS)
                                return -ELOOP;
                        r = splice_link(child, rest, &todo);
                        if (r < 0)
                                return r;
                        if (todo[0] == '/') {
                                safe_close(fd);
                                fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                                if (fd < 0)
                                        return negative_errno();
                                free(done);
                                done = strdup("/");
                                if (!done)
                                        return -ENOMEM;
                        }
                        continue;
                }
                next = join(done, comp);
                if (!next)
                        return -ENOMEM;
                free(done);
                done = next;
                safe_close(fd);
                fd = TAKE_FD(child);
                memmove(todo, rest, strlen(rest) + 1);
                if (todo[strspn(todo, "/")] && !S_ISDIR(st.st_mode))
                        return -ENOTDIR;
        }

        if (open_flags) {
                char proc[64];
                int reopened;

                /* the object already found, opened again for I/O: never a path lookup */
                snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
                reopened = open(proc, (open_flags & ~O_NOFOLLOW) | O_CLOEXEC);
                if (reopened < 0)
                        return negative_errno();
                safe_close(fd);
                fd = reopened;
        }
        if (ret_inside) {
                /* below an untrusted folder: not the folder itself, which the user named */
                _cleanup_free_ char *parent = strdup(done);
                char *slash = parent ? strrchr(parent, '/') : NULL;

                if (!slash)
                        return -ENOMEM;
                if (slash == parent)
                        slash[1] = 0;
                else
                        *slash = 0;
                *ret_inside = !streq(done, "/") && in_untrusted(parent, untrusted);
        }
        if (ret_path)
                *ret_path = TAKE_PTR(done);
        return TAKE_FD(fd);
}

int path_absolute(const char *path, char **ret)
{
        _cleanup_free_ char *cwd = NULL;

        if (path[0] == '/')
                return (*ret = strdup(path)) ? 0 : -ENOMEM;
        cwd = get_current_dir_name();
        if (!cwd)
                return negative_errno();
        return asprintf(ret, "%s/%s", cwd, path) < 0 ? -ENOMEM : 0;
}

int chase_folder_of(const char *path, char *const *untrusted, char **ret_abs, const char **ret_name,
                    char **ret_link)
{
        _cleanup_free_ char *abs = NULL, *parent = NULL, *real = NULL;
        char *slash;
        int fd, r;

        r = path_absolute(path, &abs);
        if (r < 0)
                return r;
        slash = strrchr(abs, '/');
        if (!slash[1])
                return -EISDIR;
        parent = strndup(abs, slash == abs ? 1 : (size_t)(slash - abs));
        if (!parent)
                return -ENOMEM;
        fd = chase(parent, untrusted, 0, &real, NULL);
        if (fd == -ELOOP && ret_link)
                *ret_link = TAKE_PTR(real);
        if (fd < 0)
                return fd;
        *ret_name = strrchr(abs, '/') + 1;
        *ret_abs = TAKE_PTR(abs);
        return fd;
}

int mkdir_beneath(int dirfd, const char *rest, mode_t mode)
{
        _cleanup_close_ int cur = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        const char *todo = rest;
        char comp[NAME_MAX + 1];
        int r;

        if (cur < 0)
                return negative_errno();
        while ((r = next_component(&todo, comp)) > 0) {
                int next;

                if (streq(comp, ".") || streq(comp, ".."))
                        return -EINVAL;
                if (mkdirat(cur, comp, mode) < 0 && errno != EEXIST)
                        return negative_errno();
                next = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0) {
                        struct stat st;
                        int k = negative_errno();

                        /* O_DIRECTORY answers ENOTDIR for a link: say what it is */
                        if (fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                            S_ISLNK(st.st_mode))
                                return -ELOOP;
                        return k;
                }
                safe_close(cur);
                cur = next;
        }
        return r < 0 ? r : TAKE_FD(cur);
}

bool owner_is_ours(const struct stat *st, uid_t uid)
{
        uid_t me = geteuid();

        return st->st_uid == me || (me == 0 && st->st_uid == uid);
}

int openat2_fd(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
        struct open_how how = {.flags = flags, .resolve = resolve};
        long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

        return fd < 0 ? negative_errno() : (int)fd;
}

int chdir_in_root(const char *path)
{
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int fd = -1;

        if (root < 0)
                return negative_errno();
        fd = openat2_fd(root, path, O_PATH | O_DIRECTORY | O_CLOEXEC,
                        RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        if (fd < 0)
                return fd;
        /* fchdir() checks the search right as chdir() does */
        return fchdir(fd) < 0 ? negative_errno() : 0;
}

const char *chdir_in_root_strerror(int r)
{
        return r == -ELOOP ? "a link of /proc to an open file or a process's folder, or a loop "
                             "of links, is on its path"
                           : strerror(-r);
}
