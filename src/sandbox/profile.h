/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "policy.h"

/* Loads the profile NAME (searched in the profile path) or PATH (contains a '/') with its
 * includes into p, applying each directive through the option table. Command-line flags are
 * applied after it, so they win. Returns 0, or a negative errno after logging
 * "FILE:LINE:COL: what is wrong". */
int profile_load_into(struct policy *p, const char *name_or_path);
