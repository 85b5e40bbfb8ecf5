/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The script normaliser on any text, and on the same text as PHP (behind a <?php tag), where it
 * also evaluates decoder calls over literals (gzinflate, base64_decode, str_rot13... nested),
 * XORs of literals and $variables holding literals; and the PHP decoder itself, and its reader
 * of decoders called by a literal name, at every offset of a short input. The normaliser must
 * end, return the text or -ENOMEM, never return more than it says, and classify the same bytes
 * as some kind of text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/normalise.h"
#include "analysis/phpdecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void normalise_once(const uint8_t *data, size_t size)
{
        char *out = NULL;
        size_t len = 0;
        int k = normalise_script(data, size, &out, &len);

        if (k == -ENOMEM)
                return;
        if (k < 0 || !out || strlen(out) > len)
                abort();
        free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char tag[] = "<?php\n";
        uint8_t *php;

        if (size > (1u << 20))
                return 0;
        normalise_once(data, size);
        (void)text_kind_of(data, size, "fuzz.js");
        php = malloc(sizeof(tag) - 1 + size);
        if (!php)
                return 0;
        memcpy(php, tag, sizeof(tag) - 1);
        memcpy(php + sizeof(tag) - 1, data, size);
        normalise_once(php, sizeof(tag) - 1 + size);
        free(php);
        for (size_t i = 0; i < size && size <= 4096; i++) {
                uint8_t *out = NULL;
                size_t len, end;
                if (php_decode_call((const char *)data, size, i, &out, &len, &end) > 0) {
                        if (end <= i || end > size || len > PHP_DECODE_MAX_OUTPUT)
                                abort();
                        free(out);
                }
                if (php_xor_literals((const char *)data, size, i, &out, &len, &end) > 0) {
                        if (end <= i || end > size)
                                abort();
                        free(out);
                }
                size_t name, name_len;
                if (php_literal_callee((const char *)data, size, i, &name, &name_len, &end) > 0) {
                        if (end <= i || end >= size || data[end] != '(' || name <= i ||
                            name + name_len > end || name_len == 0)
                                abort();
                }
        }
        return 0;
}
