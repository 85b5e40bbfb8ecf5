/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What a warm sandbox (airlock warm, docs/warm.md) is given for its one program: argv, the
 * environment the cold path would build, the folder to start in and the caller's umask. It
 * travels as one blob: a fixed head, then argv, the environment and the folder as
 * NUL-terminated strings, in that order. The same bytes go from the client to the warm server
 * and from there to the sandbox's pid 1. */

#define WARM_HANDOVER_MAX  (128u * 1024u) /* bytes of one blob */
#define WARM_HANDOVER_ARGS 4096u          /* strings of argv, and of the environment */

struct warm_handover_head {
        uint32_t n_argv, n_env;
        uint32_t umask;
        uint32_t reserved;
};

/* A decoded blob. The strings point into the blob, which must outlive it. */
struct warm_handover {
        char **argv; /* n_argv + 1, NULL-terminated */
        char **envp; /* n_env + 1, NULL-terminated */
        const char *cwd;
        mode_t umask;
};

/* Encodes argv (at least one string), envp and cwd into a new blob. Returns 0 and the blob
 * and its size, -E2BIG when it would exceed WARM_HANDOVER_MAX or WARM_HANDOVER_ARGS strings,
 * or -ENOMEM. */
int warm_handover_encode(char *const *argv, char *const *envp, const char *cwd, mode_t umask,
                         char **ret_blob, size_t *ret_size);

/* Decodes size bytes of blob (untrusted: bounded by WARM_HANDOVER_MAX, every string must end
 * inside it, the counts must match, argv must not be empty, cwd must be absolute). Returns 0
 * and *ret filled (free its arrays with warm_handover_done()), -EBADMSG or -ENOMEM. */
int warm_handover_decode(char *blob, size_t size, struct warm_handover *ret);
void warm_handover_done(struct warm_handover *h);
