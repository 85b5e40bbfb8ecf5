/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The server-side script shape (analysis/webshape.h) on any text: it must end, and no length,
 * share or count it reports may exceed what the input allows. */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/webshape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct webshape m;

        webshape_measure((const char *)data, size, &m);
        if (m.bytes > (int64_t)size || m.longest_literal > (int64_t)size ||
            m.max_line > (int64_t)size || m.string_pm > 1000 || m.sources > (int64_t)size ||
            m.taint_exec + m.taint_eval + m.taint_callee + m.taint_dynamic > (int64_t)size ||
            m.cap_count > 10 || m.language > WEBSHAPE_PERL || m.fn_exec_kinds > 16 ||
            m.fn_exec + m.fn_eval + m.fn_write > 3 * 256 ||
            m.write_both + m.taint_connect + m.taint_query > (int64_t)size ||
            m.socket_reads > (int64_t)size || (m.language == WEBSHAPE_NONE && m.bytes != 0))
                abort();
        return 0;
}
