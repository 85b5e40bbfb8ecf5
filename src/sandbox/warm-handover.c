/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/macro.h"
#include "warm-handover.h"

static size_t strv_count(char *const *v)
{
        size_t n = 0;

        while (v && v[n])
                n++;
        return n;
}

int warm_handover_encode(char *const *argv, char *const *envp, const char *cwd, mode_t umask,
                         char **ret_blob, size_t *ret_size)
{
        struct warm_handover_head head = {
                .n_argv = (uint32_t)strv_count(argv),
                .n_env = (uint32_t)strv_count(envp),
                .umask = (uint32_t)(umask & 0777),
        };
        size_t size = sizeof(head) + strlen(cwd) + 1;
        char *blob, *w;

        if (head.n_argv == 0 || head.n_argv > WARM_HANDOVER_ARGS || head.n_env > WARM_HANDOVER_ARGS)
                return -E2BIG;
        for (size_t i = 0; i < head.n_argv; i++)
                size += strlen(argv[i]) + 1;
        for (size_t i = 0; i < head.n_env; i++)
                size += strlen(envp[i]) + 1;
        if (size > WARM_HANDOVER_MAX)
                return -E2BIG;
        blob = malloc(size);
        if (!blob)
                return -ENOMEM;
        memcpy(blob, &head, sizeof(head));
        w = blob + sizeof(head);
        for (size_t i = 0; i < head.n_argv; i++)
                w = stpcpy(w, argv[i]) + 1;
        for (size_t i = 0; i < head.n_env; i++)
                w = stpcpy(w, envp[i]) + 1;
        stpcpy(w, cwd);
        *ret_blob = blob;
        *ret_size = size;
        return 0;
}

/* The next string at *pos, which must end before end. */
static const char *take_string(char **pos, const char *end)
{
        char *s = *pos, *nul;

        if (s >= end)
                return NULL;
        nul = memchr(s, 0, (size_t)(end - s));
        if (!nul)
                return NULL;
        *pos = nul + 1;
        return s;
}

int warm_handover_decode(char *blob, size_t size, struct warm_handover *ret)
{
        struct warm_handover_head head;
        struct warm_handover h = {0};
        const char *end = blob + size;
        char *pos = blob + sizeof(head);

        if (size < sizeof(head) || size > WARM_HANDOVER_MAX)
                return -EBADMSG;
        memcpy(&head, blob, sizeof(head));
        /* each string takes one byte at least: counts beyond that are lies */
        if (head.n_argv == 0 || head.n_argv > WARM_HANDOVER_ARGS ||
            head.n_env > WARM_HANDOVER_ARGS || head.umask > 0777 ||
            (size_t)head.n_argv + head.n_env + 1 > size - sizeof(head))
                return -EBADMSG;
        h.argv = calloc(head.n_argv + 1, sizeof(char *));
        h.envp = calloc(head.n_env + 1, sizeof(char *));
        if (!h.argv || !h.envp) {
                warm_handover_done(&h);
                return -ENOMEM;
        }
        for (uint32_t i = 0; i < head.n_argv; i++)
                if (!(h.argv[i] = (char *)take_string(&pos, end)))
                        goto bad;
        for (uint32_t i = 0; i < head.n_env; i++)
                if (!(h.envp[i] = (char *)take_string(&pos, end)) || !strchr(h.envp[i], '='))
                        goto bad;
        h.cwd = take_string(&pos, end);
        if (!h.cwd || h.cwd[0] != '/' || pos != end || h.argv[0][0] == 0)
                goto bad;
        h.umask = (mode_t)head.umask;
        *ret = h;
        return 0;
bad:
        warm_handover_done(&h);
        return -EBADMSG;
}

void warm_handover_done(struct warm_handover *h)
{
        free(h->argv);
        free(h->envp);
        h->argv = h->envp = NULL;
}
