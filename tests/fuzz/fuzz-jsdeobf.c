/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* javascript-obfuscator's string arrays and the packer read statically (analysis/jsdeobf.h) on
 * any text: the decoder must end, return 0, a count with the text, or -ENOMEM, and never return
 * more than it says. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/jsdeobf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *out = NULL;
        size_t len = 0;

        if (size > (1u << 20))
                return 0;
        int k = jsdeobf_decode((const char *)data, size, &out, &len);
        if (k == -ENOMEM || k == 0) {
                if (out)
                        abort();
                return 0;
        }
        if (k < 0 || !out || strlen(out) > len || len > JSDEOBF_MAX_INPUT)
                abort();
        free(out);
        return 0;
}
