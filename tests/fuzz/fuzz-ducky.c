/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Ducky Script's typed text (analysis/ducky.h) on any bytes: it must end, stay within its
 * bounds and return text that is NUL-terminated and as long as it says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ducky.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *out = NULL;
        size_t len = 0;

        (void)ducky_is_script((const char *)data, size);
        int k = ducky_typed((const char *)data, size, &out, &len);
        if (k > 0 && (!out || out[len] != 0))
                abort();
        if (k <= 0 && out)
                abort();
        free(out);
        return 0;
}
