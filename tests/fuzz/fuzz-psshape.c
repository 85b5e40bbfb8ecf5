/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The PowerShell shape (analysis/psshape.h) on any text: it must end, and no length or share
 * it reports may exceed what the input allows. */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/psshape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct psshape m;

        psshape_measure((const char *)data, size, &m);
        if (m.bytes > (int64_t)size || m.longest_literal > (int64_t)size ||
            m.encoded_literal > m.longest_literal || m.max_line > (int64_t)size ||
            m.string_pm > 1000 || m.number_pm > 1000 || m.random_vars_pm > 1000 ||
            m.literal_entropy > 800 || m.lines > (int64_t)size + 1 ||
            m.random_case > m.known_words || m.symbol_vars > m.variables)
                abort();
        return 0;
}
