/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The script normaliser on arbitrary input: it must end, return the text or -ENOMEM, never
 * grow the text beyond what it decoded, and classify the same bytes as some kind of text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/normalise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *out = NULL;
        size_t len = 0;
        int k = normalise_script(data, size, &out, &len);

        if (k == -ENOMEM)
                return 0;
        if (k < 0 || !out || strlen(out) > len)
                abort();
        free(out);
        (void)text_kind_of(data, size, "fuzz.js");
        return 0;
}
