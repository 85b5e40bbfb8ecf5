/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The .NET assembly check of base64 runs (analysis/dotnetblob.h) on any bytes: it must end and
 * agree with itself, since it reads only a bounded prefix of its input. */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/dotnetblob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        bool whole = dotnetblob_is_assembly(data, size);

        /* nothing past the bounded prefix may change the answer */
        if (size > DOTNETBLOB_MAX_INPUT &&
            whole != dotnetblob_is_assembly(data, DOTNETBLOB_MAX_INPUT))
                abort();
        (void)dotnetblob_pe_is_clr(data, size);
        return 0;
}
