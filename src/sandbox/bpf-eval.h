/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/* Runs a classic BPF seccomp program (as read back with PTRACE_SECCOMP_GET_FILTER) on d, as
 * the kernel would. Returns 0 and its return value in *ret, or -EINVAL for a program the
 * kernel would not have accepted (an unknown instruction, a jump or load out of range, no
 * return). */
int bpf_seccomp_eval(const struct sock_filter *prog, size_t n, const struct seccomp_data *d,
                     uint32_t *ret);

/* The action of several filters together: the kernel takes the one of highest precedence
 * (KILL_PROCESS, KILL_THREAD, TRAP, ERRNO, USER_NOTIF, TRACE, LOG, ALLOW). */
uint32_t seccomp_action_combine(uint32_t a, uint32_t b);
