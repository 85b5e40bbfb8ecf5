/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "policy/policy.h"

/* The user namespace: one uid and one gid mapped, written by the parent. Started as root,
 * the program's uid inside maps to the same unprivileged uid outside (65534 unless --uid);
 * started by a user, to that user. */

struct userns_ids {
        uid_t uid_inside, uid_outside;
        gid_t gid_inside, gid_outside;
        bool privileged; /* the parent is root: setgroups stays allowed (and is emptied) */
        /* supplementary groups, privileged only: each mapped to the same gid outside */
        const gid_t *groups;
        unsigned n_groups;
        /* maps of several ranges (uid_inside and gid_inside are mapped in them); written
         * directly by root, through newuidmap and newgidmap (which leave setgroups allowed)
         * by a user */
        const struct id_range *uid_ranges, *gid_ranges;
        unsigned n_uid_ranges, n_gid_ranges;
};

/* Chooses the ids for the policy's --uid/--gid and the caller's credentials. */
void userns_choose_ids(uid_t want_uid, gid_t want_gid, bool uid_set, struct userns_ids *ret);
/* userns_choose_ids() for p, with its supplementary groups and its ranges. */
void userns_choose_policy_ids(const struct policy *p, struct userns_ids *ret);
/* Writes setgroups, uid_map and gid_map of pid. Returns 0 or a negative errno. */
int userns_write_maps(pid_t pid, const struct userns_ids *ids);
/* In the child: takes the mapped identity (and drops supplementary groups when allowed).
 * Returns 0 or a negative errno. */
int userns_become(const struct userns_ids *ids);
/* The sysctls that decide whether an unprivileged user may create a user namespace; -1 where
 * the kernel has none. */
struct userns_sysctls {
        long unprivileged_userns_clone; /* kernel.unprivileged_userns_clone (Debian) */
        long apparmor_restrict_userns;  /* kernel.apparmor_restrict_unprivileged_userns */
        long max_user_namespaces;       /* user.max_user_namespaces */
};
/* Why creating a user namespace failed with r given these sysctls, and how to enable them:
 * a static sentence. */
const char *userns_failure_hint(const struct userns_sysctls *k, int r);
/* Logs why a user namespace could not be created and how to enable them. Returns r. */
int userns_explain_failure(int r);
