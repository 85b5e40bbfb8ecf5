/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* src/basic/sha256.c (branch analyze) defines the same names with another context layout;
 * this module keeps its own under a prefix so that both link into one library. */
#define sha256_init   monitor_sha256_init
#define sha256_update monitor_sha256_update
#define sha256_final  monitor_sha256_final

#include <stddef.h>
#include <stdint.h>

/* SHA-256 (FIPS 180-4), small and dependency-free: the sandbox binary must not load a crypto
 * library just to hash the files a traced program changed. */

struct sha256_ctx {
        uint32_t h[8];
        uint64_t length; /* bytes hashed so far */
        uint8_t block[64];
        size_t used;
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t n);
void sha256_final(struct sha256_ctx *c, uint8_t ret_digest[32]);
/* Writes 64 lowercase hex digits and a NUL into ret_hex. */
void sha256_to_hex(const uint8_t digest[32], char ret_hex[65]);
/* Hashes everything readable from fd (at most max bytes). Returns bytes hashed or -errno. */
int64_t sha256_fd(int fd, uint64_t max, char ret_hex[65]);
