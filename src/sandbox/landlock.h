/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"

/* What Landlock enforced, sent from the child to the parent as plain bytes for the report. */
struct landlock_status {
        int abi;              /* 0: Landlock unavailable */
        bool enforced;        /* a ruleset was applied */
        uint64_t handled_fs;  /* LANDLOCK_ACCESS_FS_* handled */
        uint64_t missing_fs;  /* rights wanted but not known to this kernel's ABI */
        uint64_t handled_net; /* LANDLOCK_ACCESS_NET_* handled */
        uint64_t missing_net;
        uint64_t scoped; /* LANDLOCK_SCOPE_* applied */
        uint64_t missing_scoped;
};

/* In the child, after pivot_root into the new root and before seccomp: restricts the file
 * system to the mount view of the policy (read-only where mounted read-only), TCP when the
 * network is none, abstract unix sockets and signals to the sandbox. Best effort by ABI:
 * what the kernel lacks is recorded in *ret_status. Returns 0 or a negative errno;
 * -EOPNOTSUPP when the policy requires Landlock and it cannot be fully enforced. */
int landlock_apply(const struct policy *p, struct landlock_status *ret_status);

/* Takes from the calling process every file system right this kernel's Landlock can handle,
 * granting none (for a process that only reads fds it was given, such as the analysis worker).
 * Returns 0, -EOPNOTSUPP without Landlock, or a negative errno. */
int landlock_deny_all_files(void);

/* The Landlock ABI version of this kernel, 0 when Landlock is unavailable or disabled. */
int landlock_abi_version(void);
/* The name of LANDLOCK_ACCESS_FS bit number bit ("write_file"), for reports; NULL past the
 * known ones. */
const char *landlock_access_fs_name(unsigned bit);
/* landlock_apply() as if the kernel had ABI version abi (at most its real one): for tests of
 * the fall-through ladder. */
int landlock_apply_with_abi(const struct policy *p, int abi, struct landlock_status *ret_status);
