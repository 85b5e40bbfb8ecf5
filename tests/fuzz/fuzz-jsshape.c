/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The script shape (analysis/jsshape.h) on any text, as a script and as markup: it must end,
 * and no length or share it reports may exceed what the input allows. */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/jsshape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        for (int markup = 0; markup <= 1; markup++) {
                struct jsshape m;
                jsshape_measure((const char *)data, size, markup, &m);
                if (m.bytes > (int64_t)size || m.longest_literal > (int64_t)size ||
                    m.encoded_literal > m.longest_literal || m.max_line > (int64_t)size ||
                    m.string_pm > 1000 || m.number_pm > 1000 || m.generated_ids_pm > 1000 ||
                    m.literal_entropy > 800 || m.lines > (int64_t)size + 1)
                        abort();
        }
        return 0;
}
