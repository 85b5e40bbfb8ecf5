/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The archive walk: any bytes as an attachment, opened with libarchive, walked recursively with
 * the limits, carved and decoded, and turned into the JSON report. */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct analysis_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct analysis_result *r = NULL;
        struct json_object *j;

        if (!ctx) {
                struct analysis_options o;
                analysis_options_init(&o);
                o.limits.max_expansion = 32 << 20;
                o.in_process = true; /* the parsers themselves, with their sanitizers */
                o.limits.max_file_size = 16 << 20;
                o.limits.timeout_sec = 10;
                if (analysis_ctx_new(&o, &ctx, NULL) < 0)
                        abort();
        }
        if (analysis_scan_buffer(ctx, "attachment.zip", data, size, &r) < 0)
                return 0;
        /* A verdict is always given; a node that hit a limit is never clean. */
        if (r->limit && r->verdict == ANALYSIS_CLEAN)
                abort();
        j = analysis_result_to_json(r);
        if (!j)
                abort();
        json_object_put(j);
        analysis_result_free(r);
        return 0;
}
