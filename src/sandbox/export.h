/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

#include "policy/policy.h"

/* "airlock profile export": a policy in the formats other enforcers read. The seccomp part
 * comes from the compiler's own resolution of the rules (seccomp_policy_resolve()), so that
 * what is exported is what airlock enforces. What a format cannot express is listed in a
 * comment at the top of the output, never dropped silently. */

enum export_format {
        EXPORT_OCI_SECCOMP,         /* Docker/OCI runtime seccomp JSON */
        EXPORT_K8S_SECCOMP_PROFILE, /* Security Profiles Operator SeccompProfile (YAML) */
        EXPORT_SYSTEMD,             /* a systemd service drop-in */
        EXPORT_MINIJAIL,            /* a minijail seccomp policy file */
};

/* Parses a --format value. Returns 0, or -EINVAL for an unknown name. */
int export_format_from_string(const char *s, enum export_format *ret);

/* Writes p in format to f; name is the profile's name (for metadata and comments). Returns 0,
 * or a negative errno (-EOPNOTSUPP for a rule no format of the kind can hold, after logging
 * it). */
int profile_export(FILE *f, const struct policy *p, const char *name, enum export_format format);
