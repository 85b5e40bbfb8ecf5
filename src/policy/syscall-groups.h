/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* Named sets of system calls ("@mount", "@privileged", ...) with help text, usable wherever a
 * seccomp rule names a syscall. */

struct syscall_group {
        const char *name; /* with the leading '@' */
        const char *help;
        const char *const *members; /* syscall names or other @groups, NULL-terminated */
};

extern const struct syscall_group syscall_groups[];
extern const size_t syscall_groups_count;

/* Returns the group called name ("@mount"), or NULL. */
const struct syscall_group *syscall_group_find(const char *name);

/* Whether name is a group or a syscall of some architecture (for checking profiles: a name
 * of another architecture is no error, it covers nothing here). */
bool syscall_name_exists(const char *name);
/* The native syscall number of name, from libseccomp's tables with a local table for calls
 * newer than the installed libseccomp. Returns the number, or -ENOENT. */
int syscall_group_resolve_name(const char *name);
/* The highest syscall number the tables name; numbers above it are unknown (ENOSYS). */
int syscall_max_known(void);
/* Whether a table names the native syscall number nr. */
bool syscall_known(int nr);
/* The name of a native syscall number, or NULL (static storage, not thread-safe). */
const char *syscall_name_of(int nr);

/* Calls fn for every syscall a rule name covers (a syscall, or a group recursively), with its
 * native number. Calls of other architectures are skipped. Returns 0, -ENOENT for an
 * unknown @group, -EINVAL when name itself is no architecture's syscall, -ELOOP for groups nested
 * too deep, or the first negative value fn returns. */
int syscall_expand(const char *name, int (*fn)(int nr, void *userdata), void *userdata);

/* Prints every group with its help (and with verbose, its members) for
 * "airlock profile syscalls". */
void syscall_groups_print(FILE *f, bool verbose);
