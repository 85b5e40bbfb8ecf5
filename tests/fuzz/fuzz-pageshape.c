/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The page shape and a script's worst line (analysis/pageshape.h) on any text: they must end,
 * and no length they report may exceed what the input allows. */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/pageshape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct pageshape m;
        struct jsshape b;

        pageshape_measure((const char *)data, size, &m, &b);
        if (m.carrier_run > (int64_t)size || m.carrier_entropy > 800 || m.carrier_alphabet > 95 ||
            m.edge_active > m.edge_elements || m.blocks > (int64_t)size / 8 + 1 ||
            m.hidden_iframes > (int64_t)size / 8 || b.bytes > (int64_t)size ||
            (b.bytes > 0 && b.bytes < 200))
                abort();
        pageshape_script_lines((const char *)data, size, &b);
        if (b.bytes > (int64_t)size || (b.bytes > 0 && b.bytes < 200))
                abort();
        return 0;
}
