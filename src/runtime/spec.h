/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "basic/macro.h"
#include "policy/policy.h"

/* An OCI bundle's config.json made into an airlock policy: every field either becomes part of
 * the policy or is refused with its JSON path named; the Pod Security "baseline" rules are
 * checked before anything runs. */

/* The namespaces a spec may join by path, in the order they are joined: the user namespace
 * first (joining the others takes its capabilities), pid before the container's init is forked
 * in it, mount last (joined by the init, which builds the root in it). */
enum oci_ns {
        OCI_NS_USER,
        OCI_NS_NET,
        OCI_NS_IPC,
        OCI_NS_UTS,
        OCI_NS_CGROUP,
        OCI_NS_PID,
        OCI_NS_MOUNT,
        OCI_NS_MAX
};

struct oci_spec {
        struct policy *policy;
        char *bundle;           /* absolute */
        char *rootfs;           /* absolute */
        char *annotations_json; /* the "annotations" object as JSON text, "{}" when none */
        /* linux.namespaces paths, joined not made (oci_spec_join_namespaces()), by enum oci_ns;
         * NULL where the namespace is a new one */
        char *ns_path[OCI_NS_MAX];
        bool terminal;
        unsigned console_width, console_height; /* process.consoleSize, 0 when not given */
        int umask;         /* process.user.umask, -1 when not given; set by the keeper, inherited */
        int oom_score_adj; /* process.oomScoreAdj, when oom_score_adj_set */
        bool oom_score_adj_set;
        bool allow_privileged; /* annotation airlock.allow-privileged=true */
        char **sysctl;         /* linux.sysctl: key, value, key, value..., namespaced keys only */
        uid_t spec_uid;        /* process.user as the spec gives it */
        gid_t spec_gid;
        char *hooks_json; /* the "hooks" object as JSON text, NULL when none */
};

/* Reads BUNDLE/config.json into a policy. The spec's linux.seccomp, if any, is written to
 * STATE_DIR/seccomp.json for the launcher to import. Logs one line naming the JSON path and
 * the cause and returns a negative errno on anything it does not support or the baseline
 * refuses. */
int oci_spec_load(const char *bundle, const char *state_dir, struct oci_spec **ret);
/* Replaces the process of s (args, env, cwd, user, terminal) with the OCI process object in
 * the file path (exec --process). Returns 0 or a negative errno after logging. */
int oci_spec_load_process(struct oci_spec *s, const char *path);
/* The process's user, as process.user's uid and gid (exec --user). */
void oci_spec_set_user(struct oci_spec *s, uid_t uid, gid_t gid);
/* Joins the namespaces the spec names by path in the calling process, for the launcher to
 * keep: the user namespace first, then network, ipc, uts, cgroup and pid (which applies to the
 * children: the container's init); the mount namespace is opened here and joined by the init.
 * A pid or mount namespace must belong to the container's user namespace (joined too). Returns
 * 0 or a negative errno after logging. */
int oci_spec_join_namespaces(const struct oci_spec *s);
/* Saves the hooks in STATE_DIR/hooks.json (hooks.h) with the folders the container can write
 * and its identity. Returns 0 or a negative errno after logging. */
int oci_spec_save_hooks(const struct oci_spec *s, const char *state_dir);
/* Sets process.oomScoreAdj on the calling process, for the container's processes to inherit
 * (lowering it needs CAP_SYS_RESOURCE). Returns 0 or a negative errno after logging. */
int oci_spec_apply_oom_score_adj(const struct oci_spec *s);
/* Writes linux.sysctl in the namespaces (user, network, ipc, uts) of the container whose
 * sandbox init is init, from a helper that joins them: before the program runs, the values
 * are the container's own and the host's stay as they were. Returns 0 or a negative errno
 * after logging the key. */
int oci_spec_apply_sysctl(const struct oci_spec *s, pid_t init);
void oci_spec_free(struct oci_spec *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct oci_spec *, oci_spec_free)

/* The config.json that "airlock-runtime spec" writes: busybox-friendly, passes the baseline.
 * Returns a static string. */
const char *oci_spec_default(bool rootless);
