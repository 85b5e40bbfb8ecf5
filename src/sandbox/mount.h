/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "policy/policy.h"
#include "setup-msg.h"

/* The file system of the sandbox: a plan made in the parent (every source checked and made
 * canonical, every destination normalised), carried out in the child inside its new mount
 * namespace: a new root on tmpfs, read-only /usr, a minimal /etc, /proc, /dev, /tmp, HOME
 * and the policy's binds, entered with pivot_root with the old root detached. */

struct mount_plan;

struct mount_identity {
        uid_t uid; /* inside the sandbox */
        gid_t gid;
        const char *user_name;
        const char *home;
        const char *hostname;
        bool net_host; /* pass the host's resolv.conf */
};

/* Builds the plan. Logs one line naming the object and the cause on bad input (a missing
 * bind source, a destination that leaves the root) and returns a negative errno. */
int mount_plan_build(const struct policy *p, const struct mount_identity *id,
                     struct mount_plan **ret);
void mount_plan_free(struct mount_plan *plan);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct mount_plan *, mount_plan_free)

/* In the parent, once the child's maps are written: for each bind that asks for it
 * (mount_entry.idmap), a detached clone of its source seen through the child's user namespace
 * (MOUNT_ATTR_IDMAP), handed to send(), which owns it only for the call. All or none: when one
 * cannot be made, none is sent and *ret_src names the source. Needs CAP_SYS_ADMIN over the
 * source's file system and a file system that supports idmapped mounts. Returns how many were
 * sent, or a negative errno (-EPERM, -EINVAL: the kernel or the file system cannot; -EACCES:
 * a user other than root can reach the source, no folder above it being root's alone, and the
 * container's root would make files there that are root's on the disk). */
int mount_idmap_sources(const struct mount_plan *plan, pid_t child,
                        int (*send)(size_t index, int tree, void *userdata), void *userdata,
                        const char **ret_src);
/* In the child, before mount_open_sources(): uses tree (a detached mount from
 * mount_idmap_sources()) for entry index instead of cloning its source; takes tree. Returns 0
 * or -EINVAL for an index that asked for none. */
int mount_take_idmapped(struct mount_plan *plan, size_t index, int tree);
/* In the child, in its new user and mount namespaces, still with the caller's file-system
 * identity: opens every bind source without following symlinks and clones it as a detached
 * mount, so that nothing done later can change what a source means. Returns 0 or a negative
 * errno with *e filled. */
int mount_open_sources(struct mount_plan *plan, struct child_error *e);
/* Then, as the sandbox's uid: builds the new root from the plan and pivots into it (the
 * current directory is then "/"). Returns 0 or a negative errno with *e filled. */
int mount_setup_root(struct mount_plan *plan, struct child_error *e);

/* Normalises an absolute path inside the sandbox: drops "." and repeated slashes, refuses
 * "..". Returns 0 and a new string without the leading slash ("" for the root), or -EINVAL. */
int mount_normalize_dst(const char *path, char **ret);

/* Whether path or a folder above it is root's alone (owned by uid 0, no search right for its
 * group or others), so that no other user can reach a file below it. */
bool mount_reachable_by_root_only(const char *path);
