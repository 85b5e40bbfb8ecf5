/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "macro.h"
#include "strv.h"

void strv_free(char **v)
{
        if (!v)
                return;
        for (char **p = v; *p; p++)
                free(*p);
        free(v);
}

size_t strv_length(char *const *v)
{
        size_t n = 0;

        if (v)
                while (v[n])
                        n++;
        return n;
}

int strv_push(char ***v, char *s)
{
        size_t n = strv_length(*v);
        char **p = realloc(*v, (n + 2) * sizeof(char *));

        if (!p)
                return -ENOMEM;
        p[n] = s;
        p[n + 1] = NULL;
        *v = p;
        return 0;
}

int strv_extend(char ***v, const char *s)
{
        char *c = strdup(s);
        int r;

        if (!c)
                return -ENOMEM;
        r = strv_push(v, c);
        if (r < 0)
                free(c);
        return r;
}

bool strv_contains(char *const *v, const char *s)
{
        if (v)
                for (; *v; v++)
                        if (streq(*v, s))
                                return true;
        return false;
}
