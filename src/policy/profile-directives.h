/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "basic/options.h"
#include "policy.h"

/* Handlers of the run options that the profile language added (include, undo directives,
 * seccomp rules, namespace sharing). They live in the option table in policy-options.c like
 * every other option, so each is both a directive and a flag. */
int opt_include(void *ctx, const struct option_def *def, char *const *args,
                const char **ret_reason);
int opt_unbind(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason);
int opt_reset(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason);
int opt_persist(void *ctx, const struct option_def *def, char *const *args,
                const char **ret_reason);
int opt_home(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason);
int opt_app(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason);
int opt_display(void *ctx, const struct option_def *def, char *const *args,
                const char **ret_reason);
int opt_namespace_flag(void *ctx, const struct option_def *def, char *const *args,
                       const char **ret_reason);
int opt_seccomp_rule(void *ctx, const struct option_def *def, char *const *args,
                     const char **ret_reason);
int opt_seccomp_mode(void *ctx, const struct option_def *def, char *const *args,
                     const char **ret_reason);
int opt_seccomp_import(void *ctx, const struct option_def *def, char *const *args,
                       const char **ret_reason);
int opt_seccomp_errno(void *ctx, const struct option_def *def, char *const *args,
                      const char **ret_reason);

/* Rule text: NAME or @GROUP, optional argument conditions in brackets, and for seccomp-deny an
 * optional errno:  "personality[a0!=0]=EINVAL", "socket[a0==16]", "clone[a0&0x10000000==0]".
 * Parses into *ret (ret->name newly allocated). Returns 0, or -EINVAL with *ret_reason. */
int seccomp_rule_parse(const char *text, enum seccomp_action_kind action, struct seccomp_rule *ret,
                       const char **ret_reason);
/* Formats a rule as seccomp_rule_parse() reads it. Returns 0 and a new string, or -ENOMEM. */
int seccomp_rule_format(const struct seccomp_rule *rule, char **ret);
/* The directive for an action ("seccomp-deny" for errno, ...). */
const char *seccomp_action_directive(enum seccomp_action_kind action);

/* errno by name ("EPERM") or number. Returns 0 or -EINVAL. */
int errno_parse(const char *s, int *ret);
/* The name of an errno, or NULL when it has none in the table. */
const char *errno_name(int e);

/* The folder of the applications' persistent folders (persist). Returns 0 and a new path. */
int profile_apps_dir(char **ret);
/* The host folders that a sandbox could have written, canonical, for chase(): ${DOWNLOADS},
 * the applications' folders (persistent homes, persist and overlay folders) and, with p, the
 * sources of its read-write binds and its untrusted_folders. Links below them are never
 * followed. Returns 0 or -ENOMEM. */
int profile_untrusted_folders(const struct policy *p, char ***ret);

/* The folder sub of application p->app (--app), made when missing (0700; owned by the uid
 * the program runs as when airlock runs as root). Returns 0 and a new path, or -EINVAL
 * without --app. */
int profile_app_folder(const struct policy *p, const char *sub, char **ret);

/* With dry_run, persist only names its folder and makes nothing (profile show and lint have
 * no side effects). */
void profile_set_dry_run(bool dry_run);
