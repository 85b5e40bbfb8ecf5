/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The inflation of base64 runs (analysis/psinflate.h) on any bytes: it must end, stay within
 * its bounds and return text that is NUL-terminated and no longer than it says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/psinflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *out = NULL;
        size_t len = 0;
        int k = psinflate_texts(data, size, &out, &len);

        if (k > 0 && (!out || strlen(out) > len || len > PSINFLATE_MAX_TOTAL + PSINFLATE_MAX_RUNS))
                abort();
        free(out);
        return 0;
}
