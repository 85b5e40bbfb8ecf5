/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The page shape, a script's worst line, its edges and its injections (analysis/pageshape.h) on
 * any text: they must end, and no length or count they report may exceed what the input
 * allows. */
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
            m.bare_iframes > m.iframes || m.parent_iframes > m.iframes ||
            m.gate_blocks > m.blocks || m.bare_lone_iframes > m.bare_iframes ||
            m.decoded_injections > (int64_t)size / 16 || m.shifted_lists > (int64_t)size / 64 ||
            (b.bytes > 0 && b.bytes < 200))
                abort();
        pageshape_script_lines((const char *)data, size, &b);
        if (b.bytes > (int64_t)size || (b.bytes > 0 && b.bytes < 200))
                abort();
        struct pageshape e = {0};
        pageshape_script_edges((const char *)data, size, &e);
        if (e.edge_bytes > (int64_t)size / 2 + 1 || (e.edge_bytes > 0 && e.edge_bytes < 100) ||
            e.edge_hex_ids_pm > 1000 || e.edge_number_pm > 1000)
                abort();
        /* a list of 32 numbers takes 64 bytes or more; a decoded call at least 16 */
        struct pageshape j = {0};
        pageshape_script_injections((const char *)data, size, &j);
        if (j.shifted_lists > (int64_t)size / 64 || j.decoded_injections > (int64_t)size / 16 ||
            j.gate_blocks != 0 || j.blocks != 0)
                abort();
        return 0;
}
