/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "policy/policy.h"

/* Empties all five capability sets (bounding, ambient, inheritable, permitted, effective) and
 * locks the securebits so that no later exec can regain one. Returns 0 or -errno. */
int caps_drop_all(void);

/* The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap), or CAP_LAST_CAP of
 * the headers when it cannot be read. */
int caps_last_cap(void);

/* airlock-runtime's capabilities, in two steps around Landlock and seccomp (loaded without
 * no_new_privs, which needs CAP_SYS_ADMIN in the process's user namespace). The first cuts the
 * bounding set to s's, sets the inheritable set, raises the ambient ones and keeps
 * CAP_SYS_ADMIN effective beside s's permitted and effective sets; the second sets permitted,
 * effective and inheritable to exactly s's. Both return 0 or -errno. */
int caps_apply_before_filters(const struct cap_sets *s);
int caps_apply_final(const struct cap_sets *s);
