/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"
#include "macro.h"
#include "paths.h"

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
