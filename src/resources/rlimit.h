/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "policy/policy.h"

/* Applies the sandbox's rlimits: no core dumps, sane numbers of files and tasks, then the
 * policy's own settings. Never raises a hard limit. Returns 0 or -errno. */
int rlimit_apply(const struct policy *p);
