/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "macro.h"
#include "fileio.h"
#include "paths.h"

#include <stdlib.h>
#include <string.h>

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
        *ret = p;
        return 0;
}

int data_path(const char *sub, char **ret)
{
        const char *dirs[] = {secure_getenv("AIRLOCK_DATA_DIR"), AIRLOCK_DATADIR,
                              AIRLOCK_SOURCE_ROOT};

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
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
