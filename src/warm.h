/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "policy/policy.h"

/* airlock warm (src/cmd-warm.c, docs/warm.md): sandboxes of one policy built ahead of time. */

/* Runs p's program in a warm sandbox of this user's server when there is one for exactly
 * this policy, with fds 0-2 and report_fd (-1: none) handed over. Returns 0 and the exit
 * status in *ret_status (the program ran warm), or a negative errno, logged at debug level
 * only, when the caller is to run it cold: no server, another policy, AIRLOCK_WARM=0, a
 * terminal, ... Never starts a server. */
int warm_try_run(const struct policy *p, int report_fd, int *ret_status);

/* Whether p is one a warm sandbox can stand in for at all: 0, or a negative errno that
 * warm_refusal_reason() turns into words. */
int warm_sandbox_refusal(const struct policy *p);
const char *warm_refusal_reason(int r);
