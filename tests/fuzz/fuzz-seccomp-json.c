/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target of the Docker/OCI JSON seccomp import and of the filter compiler behind it. Any
 * input must be refused with an error message or imported; an imported profile must compile
 * to a program that passes the validator, and the interpreter must answer for every syscall
 * number without leaving the program. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/seccomp-internal.h"
#include "policy/seccomp-json.h"
#include "policy/syscall-groups.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        struct seccomp_program *prog = NULL;
        char *json, *err = NULL;
        int r;

        if (size > 1 << 20)
                return 0;
        json = malloc(size + 1);
        if (!json || policy_new(&p) < 0)
                abort();
        memcpy(json, data, size);
        json[size] = 0;
        r = seccomp_json_import_string(json, NULL, p, &err);
        free(json);
        if (r < 0) {
                if (r == -EINVAL && !err)
                        abort(); /* every refusal says why */
                free(err);
                return 0;
        }
        free(err);
        r = seccomp_program_build_uncached(p, &prog);
        if (r < 0) {
                if (r != -E2BIG)
                        abort(); /* an imported profile always compiles, unless too big */
                return 0;
        }
        if (!seccomp_bpf_valid(prog->insns, prog->n_insns) ||
            !seccomp_bpf_valid(prog->shadow, prog->n_shadow))
                abort();
        for (int nr = 0; nr <= syscall_max_known() + 1; nr += 7) {
                uint64_t args[6] = {(uint64_t)nr, 1, 0xffffffffULL, 0x100000000ULL, 0, 42};
                if (seccomp_program_denied_errno(prog, nr, args) < 0)
                        abort();
        }
        seccomp_program_free(prog);
        return 0;
}
