/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared by the seccomp compiler and its cache; not part of the contract. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp.h"

struct seccomp_program {
        struct seccomp_summary summary;
        bool has_notify;
        struct sock_filter *insns; /* what is loaded */
        size_t n_insns;
        struct sock_filter *shadow; /* without the NOTIFY rules; == insns when there are none */
        size_t n_shadow;
};

/* How the program is laid out: compact (what is loaded: the tree of syscall-number ranges ends in
 * jumps to one shared return per value, falling back to a return per range when one would be
 * out of a jump's reach, and runs of one-bit argument tests are one JSET), or plain (a return
 * per range, each rule tested on its own; kept so the tests can check the first against it).
 * Both decide every call alike. */
enum seccomp_layout {
        SECCOMP_LAYOUT_COMPACT,
        SECCOMP_LAYOUT_PLAIN,
};
/* seccomp_program_build_uncached() with the layout chosen. Returns 0 or a negative errno. */
int seccomp_program_build_layout(const struct policy *p, enum seccomp_layout layout,
                                 struct seccomp_program **ret);

/* Runs a program of the subset the compiler emits on d. Returns the SECCOMP_RET_* value. */
uint32_t seccomp_bpf_run(const struct sock_filter *f, size_t n, const struct seccomp_data *d);
/* Whether a program only uses that subset, with every jump inside it and a final return. */
bool seccomp_bpf_valid(const struct sock_filter *f, size_t n);

/* The cache of compiled programs (seccomp-cache.c). The key is the exact text the program was
 * built from; a file is used only when its stored key equals it byte for byte. */
int seccomp_cache_key(const struct policy *p, char **ret_key, size_t *ret_size);
int seccomp_cache_load(const char *key, size_t key_size, struct seccomp_program **ret);
int seccomp_cache_store(const char *key, size_t key_size, const struct seccomp_program *prog);
