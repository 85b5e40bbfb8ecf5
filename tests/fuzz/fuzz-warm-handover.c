/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The warm sandbox's hand-over blob (sandbox/warm-handover.c) on any bytes: the decoder must
 * end, and what it accepts must hold together (every string inside the blob, argv[0] not
 * empty, an absolute folder) and encode again to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/warm-handover.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct warm_handover h;
        char *copy, *again = NULL;
        size_t again_size = 0;

        if (size > WARM_HANDOVER_MAX + 1)
                return 0;
        copy = malloc(size ? size : 1);
        if (!copy)
                return 0;
        memcpy(copy, data, size);
        if (warm_handover_decode(copy, size, &h) == 0) {
                if (!h.argv[0] || !h.argv[0][0] || h.cwd[0] != '/' || h.cwd < copy ||
                    h.cwd >= copy + size)
                        abort();
                if (warm_handover_encode(h.argv, h.envp, h.cwd, h.umask, &again, &again_size) !=
                            0 ||
                    again_size != size || memcmp(again, copy, 12) != 0 ||
                    memcmp(again + 16, copy + 16, size - 16) != 0)
                        abort();
                free(again);
                warm_handover_done(&h);
        }
        free(copy);
        return 0;
}
