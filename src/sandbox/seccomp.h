/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <linux/audit.h>
#include <stdint.h>

#include "policy/policy.h"

/* The audit architecture of this build's own system calls (seccomp_data.arch): what every
 * filter airlock writes checks first, and what the read-back of a filter evaluates with. Left
 * undefined on an architecture airlock's filters do not know (x32 included). */
#if defined(__x86_64__) && !defined(__ILP32__)
#define SECCOMP_NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* The seccomp layer. The filter is compiled in the parent before clone() (or loaded from the
 * cache of compiled programs), and only loaded in the child.
 *
 * Rule semantics: the policy's rules (after the imported JSON profile, if any) are applied in
 * order; for one call, the last rule whose name covers the syscall and whose argument
 * conditions all hold decides. A call no rule decides gets the mode's default (allow in
 * deny-list mode, errno seccomp_default_errno in allow-list mode). Syscall numbers that no
 * table names fail with ENOSYS; foreign ABIs (i386, x32) kill the process.
 *
 * NOTIFY rules are the monitor's trace set: a call that a NOTIFY rule matches is handed to the
 * supervisor whatever the other rules say, and the supervisor answers it with
 * seccomp_program_denied_errno(), so that tracing never loosens the policy. */

struct seccomp_program;

struct seccomp_summary {
        unsigned n_errno; /* syscalls that fail with an errno */
        unsigned n_kill;
        unsigned n_log;
        unsigned n_notify;
        unsigned n_allow_cond; /* allowed only under argument conditions */
        bool allowlist;
        bool cached;      /* loaded from the compiled-program cache */
        unsigned n_insns; /* BPF instructions of the loaded program */
};

/* Builds the BPF program for the policy, or loads it ready-made from the cache of compiled
 * programs (and stores it there after building). Imports p->seccomp_json when set. Returns 0
 * or a negative errno (logs nothing). */
int seccomp_program_build(const struct policy *p, struct seccomp_program **ret);
/* The same without the cache (for tests and benchmarks). */
int seccomp_program_build_uncached(const struct policy *p, struct seccomp_program **ret);
/* In the child, with no_new_privs already set: loads the program. When it has notify rules,
 * *ret_notify_fd gets the listener fd, else -1. Allocates nothing. Returns 0 or -errno. */
int seccomp_program_load(const struct seccomp_program *prog, int *ret_notify_fd);
void seccomp_program_free(struct seccomp_program *prog);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct seccomp_program *, seccomp_program_free)
/* Fills the counts for the report. */
void seccomp_program_summary(const struct seccomp_program *prog, struct seccomp_summary *ret);

/* For the monitor answering a notification: what the policy without its NOTIFY rules does
 * with syscall nr (native ABI) and these arguments. Returns 0 when it allows the call (or only
 * logs it), else the positive errno the call would fail with (EPERM for a kill rule, ENOSYS
 * for a syscall number no table names). Safe to call from any thread. */
int seccomp_program_denied_errno(const struct seccomp_program *prog, int nr,
                                 const uint64_t args[6]);

/* For exporting a policy to other formats: calls fn for every syscall number a table names
 * (native ABI), in order, with the rules that decide it as the compiler resolves them: rules[0]
 * is the base (NULL: the mode's default, *ret_default), each later rule is conditional and
 * overrides the ones before it when its conditions hold. NOTIFY rules (the monitor's trace set)
 * are left out: they never change a decision. *ret_default is SECCOMP_RET_ALLOW or
 * SECCOMP_RET_ERRNO | errno. fn may be NULL (only the default). Returns 0, a negative errno, or the
 * first negative value of fn. */
typedef int (*seccomp_resolved_fn)(int nr, const struct seccomp_rule *const *rules, size_t n_rules,
                                   void *userdata);
int seccomp_policy_resolve(const struct policy *p, uint32_t *ret_default, seccomp_resolved_fn fn,
                           void *userdata);

/* The private folder of compiled programs: $AIRLOCK_CACHE_DIR, else /var/cache/airlock for
 * root, else $XDG_CACHE_HOME/airlock or ~/.cache/airlock. Returns 0 and a newly allocated
 * path, or a negative errno. */
int seccomp_cache_dir(char **ret);
