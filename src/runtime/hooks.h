/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <sys/types.h>

#include "basic/macro.h"
#include "state.h"

/* config.json's hooks (the OCI runtime spec's "POSIX-platform Hooks"). create saves them in
 * the state folder (hooks.json) with what later commands need to run them safely: the
 * folders the container can write (a hook path there is resolved without following links)
 * and the container's identity inside its user namespace. */

enum oci_hook_kind {
        OCI_HOOK_PRESTART, /* deprecated: run with createRuntime, before it */
        OCI_HOOK_CREATE_RUNTIME,
        OCI_HOOK_CREATE_CONTAINER,
        OCI_HOOK_START_CONTAINER,
        OCI_HOOK_POSTSTART,
        OCI_HOOK_POSTSTOP,
        _OCI_HOOK_MAX,
};

/* Checks config.json's "hooks" (NULL: none): every field known and of its type, paths
 * absolute, timeouts above 0. Logs the JSON path and returns a negative errno otherwise. */
int oci_hooks_check(json_object *hooks);
/* Writes STATE_DIR/hooks.json: the hooks, the canonical folders the container may write
 * (untrusted, NULL-terminated) and its uid and gid inside. Nothing is written without hooks.
 * Returns 0 or a negative errno after logging. */
int oci_hooks_save(const char *state_dir, json_object *hooks, char *const *untrusted,
                   uid_t uid_inside, gid_t gid_inside);

struct oci_hooks;
/* Reads STATE_DIR/hooks.json, never through a link and only when it is the runtime's own
 * file. *ret is NULL when the container has no hooks. Returns 0 or a negative errno. */
int oci_hooks_load(const char *state_dir, struct oci_hooks **ret);
void oci_hooks_free(struct oci_hooks *h);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct oci_hooks *, oci_hooks_free)
/* Runs the hooks of kind (prestart before createRuntime's) in order, each with the state of
 * s as status on its stdin. createRuntime, poststart and poststop run in the runtime's
 * namespaces; createContainer and startContainer in the container's (those of s->init's
 * program), as the container's user. Returns 0, or a negative errno at the first hook that
 * fails (logged with its output); poststart and poststop failures are warnings and return
 * 0. h may be NULL. */
int oci_hooks_run(const struct oci_hooks *h, enum oci_hook_kind kind, const struct oci_state *s,
                  enum oci_status status);
