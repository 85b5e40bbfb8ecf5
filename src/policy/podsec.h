/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "basic/macro.h"

/* The Kubernetes Pod Security Standards ("privileged", "baseline", "restricted") applied to an
 * OCI runtime configuration (config.json). One copy of the rules: airlock-runtime refuses a
 * spec that breaks a privileged-equivalent baseline rule (podsec_refused_by_runtime()), and
 * "airlock inspect --spec" rates a spec against both levels. docs/kubernetes.md says how each
 * Kubernetes control maps onto the spec and where they differ. */

enum podsec_level {
        PODSEC_PRIVILEGED, /* breaks a baseline rule */
        PODSEC_BASELINE,   /* meets baseline, breaks a restricted rule */
        PODSEC_RESTRICTED, /* meets both */
};

struct podsec_violation {
        enum podsec_level level; /* the level whose rule it breaks: BASELINE or RESTRICTED */
        const char *rule;        /* the rule's name, static: "capabilities", "host-path"... */
        char *field;             /* the JSON path: "process.capabilities.bounding" */
        char *value;             /* what is there: "CAP_SYS_ADMIN" */
        char *why;               /* the sentence: "CAP_SYS_ADMIN is beyond the baseline's..." */
};

struct podsec_report {
        struct podsec_violation *violations;
        size_t n;
};

/* Rates spec (a parsed config.json) against baseline and restricted. A relative bind source
 * is resolved against base (the bundle folder, absolute) as airlock-runtime and runc mount it.
 * Every violation is added to *ret (which the caller zeroes and frees with
 * podsec_report_done()), in the order of the rules. Returns 0 or -ENOMEM. */
int podsec_check(json_object *spec, const char *base, struct podsec_report *ret);
void podsec_report_done(struct podsec_report *r);
/* The highest level the spec that r describes meets. */
enum podsec_level podsec_level(const struct podsec_report *r);
/* "privileged", "baseline", "restricted". */
const char *podsec_level_to_string(enum podsec_level level);
/* Whether airlock-runtime refuses a spec for v without the annotation
 * airlock.allow-privileged=true: the baseline rules that make a container
 * privileged-equivalent (capabilities, host-namespaces, host-path, seccomp). */
bool podsec_refused_by_runtime(const struct podsec_violation *v);

/* Whether cap ("CAP_CHOWN") is one the baseline lets a container have. */
bool podsec_baseline_capability(const char *cap);
/* Whether the namespace file path is the host's (pid 1's or the caller's own) of that kind
 * ("net", "pid", ...): joining it would share the host's. */
bool podsec_ns_is_hosts(const char *path, const char *kind);
