/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* SHA-256 (FIPS 180-4), small and dependency-free: the analysis engine hashes every file and
 * archive member with it, and airlock links no crypto library. */

#define SHA256_DIGEST_SIZE 32

struct sha256_ctx {
        uint32_t state[8];
        uint64_t length; /* bytes hashed so far */
        uint8_t buffer[64];
        size_t buffered;
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t n);
void sha256_final(struct sha256_ctx *c, uint8_t digest[SHA256_DIGEST_SIZE]);

/* Hashes data and writes 64 lowercase hex digits and a NUL into hex. */
void sha256_hex(const void *data, size_t n, char hex[2 * SHA256_DIGEST_SIZE + 1]);
/* Writes the hex form of a digest into hex (65 bytes). */
void sha256_digest_to_hex(const uint8_t digest[SHA256_DIGEST_SIZE],
                          char hex[2 * SHA256_DIGEST_SIZE + 1]);
