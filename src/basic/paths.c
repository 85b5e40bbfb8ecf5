/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "macro.h"
#include "fileio.h"
#include "paths.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* path without the "bin/../share" of a folder found relative to the binary (these are the
 * installation's own folders, not anything a sandbox could write); path itself when that
 * fails. Takes path. */
static char *canonical(char *path)
{
        char *c = realpath(path, NULL);

        if (!c)
                return path;
        free(path);
        return c;
}

static int try_path(const char *dir, const char *sub, char **ret)
{
        char *p;

        if (!dir || !*dir)
                return -ENOENT;
        if (asprintf(&p, "%s/%s", dir, sub) < 0)
                return -ENOMEM;
        if (access(p, F_OK) < 0) {
                free(p);
                return -ENOENT;
        }
        *ret = canonical(p);
        return 0;
}

char *self_dir(void)
{
        char buf[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
        char *slash;

        if (n <= 0)
                return NULL;
        buf[n] = 0;
        slash = strrchr(buf, '/');
        if (!slash || slash == buf)
                return NULL;
        *slash = 0;
        return strdup(buf);
}

static bool path_is_below(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        return strneq(path, dir, n) && (path[n] == '/' || path[n] == 0);
}

int data_path(const char *sub, char **ret)
{
        _cleanup_free_ char *self = self_dir(), *from_bin = NULL, *from_libexec = NULL;
        const char *dirs[5] = {secure_getenv("AIRLOCK_DATA_DIR")};
        size_t n = 1;

        /* A binary in its build tree uses the source tree's data; any other uses the data
         * beside it first, so that a staged (DESTDIR) or moved installation never reads the
         * source tree's or another installation's. */
        if (self && path_is_below(self, AIRLOCK_BUILD_ROOT))
                dirs[n++] = AIRLOCK_SOURCE_ROOT;
        if (self && asprintf(&from_bin, "%s/%s", self, AIRLOCK_DATADIR_FROM_BINDIR) >= 0)
                dirs[n++] = from_bin;
        if (self && asprintf(&from_libexec, "%s/%s", self, AIRLOCK_DATADIR_FROM_LIBEXECDIR) >= 0)
                dirs[n++] = from_libexec;
        dirs[n++] = AIRLOCK_DATADIR;

        for (size_t i = 0; i < n; i++) {
                int r = try_path(dirs[i], sub, ret);

                if (r != -ENOENT)
                        return r;
        }
        return -ENOENT;
}

int user_home_dir(uid_t uid, char **ret)
{
        _cleanup_free_ char *buf = NULL;
        const char *h = getenv("HOME");
        char *line, *save = NULL;
        size_t size;

        if (h && h[0] == '/') {
                *ret = strdup(h);
                return *ret ? 0 : -ENOMEM;
        }
        if (read_full_file("/etc/passwd", &buf, &size, 16 << 20) < 0)
                return -ENXIO;
        for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                /* name:password:uid:gid:gecos:home:shell */
                char *f[7] = {0}, *p = line;
                unsigned long u;
                char *end;

                for (size_t i = 0; i < ELEMENTSOF(f) && p; i++) {
                        f[i] = p;
                        p = strchr(p, ':');
                        if (p)
                                *p++ = '\0';
                }
                if (!f[5] || !f[2][0])
                        continue;
                errno = 0;
                u = strtoul(f[2], &end, 10);
                if (errno || *end || u != (unsigned long)uid || f[5][0] != '/')
                        continue;
                *ret = strdup(f[5]);
                return *ret ? 0 : -ENOMEM;
        }
        return -ENXIO;
}

int sibling_program(const char *name, const char *from_self, const char *installed_dir, char **ret)
{
        _cleanup_free_ char *self = self_dir();
        const char *dirs[] = {self, from_self, installed_dir};

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                char *p;

                if (!dirs[i] || (i == 1 && !self))
                        continue;
                if ((i == 1 ? asprintf(&p, "%s/%s/%s", self, from_self, name)
                            : asprintf(&p, "%s/%s", dirs[i], name)) < 0)
                        return -ENOMEM;
                if (access(p, X_OK) == 0) {
                        *ret = canonical(p);
                        return 0;
                }
                free(p);
        }
        return -ENOENT;
}
