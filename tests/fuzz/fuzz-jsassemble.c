/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JScript and VBScript string assembly (analysis/jsassemble.h) on any text: every reader
 * must end, return a count that is not negative, and write at most what its bounds allow: the
 * copying readers no more than their input (identity calls, comments) or their input and a line
 * per literal (eval literals), the folder of calls over literals no more than twice its input
 * (a value requoted), the inliner of string methods no more than twice, the keyed decoder
 * no more than its input and a line end around each literal it decoded, the assembler no more than
 * its output bound. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/jsassemble.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *s = (const char *)data;
        int (*const readers[])(const char *, size_t, struct textbuf *) = {
                jsasm_assembled_values,      jsasm_identity_calls,  jsasm_strip_comments,
                jsasm_eval_literals,         jsasm_char_code_apply, jsasm_fold_literal_calls,
                jsasm_inline_string_methods, jsasm_keyed_literals};

        if (size > (1u << 20))
                return 0;
        for (size_t k = 0; k < sizeof(readers) / sizeof(readers[0]); k++) {
                struct textbuf out = {0};
                int r = readers[k](s, size, &out);
                if (r < 0)
                        abort();
                if (!out.oom) {
                        size_t bound = k == 0                       ? (8u << 20)
                                       : k == 3 || k == 5 || k == 6 ? 2 * size + 2
                                                                    : size + 2;
                        if (out.len > bound || (out.p && strlen(out.p) > out.len))
                                abort();
                }
                free(out.p);
        }
        return 0;
}
