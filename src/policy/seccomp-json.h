/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "policy.h"

/* Import of Docker/OCI JSON seccomp profiles (the format of moby/profiles seccomp/default.json
 * and of the OCI runtime spec's linux.seccomp) into the policy's seccomp rules. */

struct seccomp_json_env {
        const char *kernel_release; /* for "minKernel"; NULL: this kernel's uname release */
        uint64_t caps;              /* capabilities the program keeps (1 << CAP_*); airlock: 0 */
};

/* Parses the profile and sets p's seccomp mode and default errno from its defaultAction, then
 * appends one rule per syscall entry that applies to this architecture, kernel and capability
 * set, in file order. Syscall names this system does not know are skipped, as Docker does.
 * env may be NULL (this kernel, no capabilities). Returns 0, or a negative errno with a
 * message naming the place and the cause in *ret_error when ret_error is not NULL (the
 * caller frees it). */
int seccomp_json_import_file(const char *path, const struct seccomp_json_env *env, struct policy *p,
                             char **ret_error);
int seccomp_json_import_string(const char *json, const struct seccomp_json_env *env,
                               struct policy *p, char **ret_error);
