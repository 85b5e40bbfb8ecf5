/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

/* Finds a shipped data file or folder (such as "profiles" or "rules/airlock.yar"):
 * $AIRLOCK_DATA_DIR first; then, for a binary running from its build tree, the source tree;
 * then the data folder at its installed place relative to the binary (so that a staged or
 * moved installation uses its own), then the configured data folder. Returns 0 and a newly
 * allocated path, or -ENOENT. */
int data_path(const char *sub, char **ret);

/* The home folder of the calling user: $HOME when it is an absolute path, else the entry for
 * uid in /etc/passwd. The launcher is linked statically, so this reads the file itself instead
 * of going through NSS; a user known only to a directory service needs HOME set (every login
 * sets it). Returns 0 and a newly allocated path, -ENXIO when there is none, or -ENOMEM. */
int user_home_dir(uid_t uid, char **ret);

/* The folder of the running binary (from /proc/self/exe), newly allocated, or NULL. */
char *self_dir(void);

/* Finds the executable program name of this installation: beside the running binary (the build
 * tree), then in from_self relative to it (a staged or moved installation: the relative path
 * from this binary's installed folder to name's), then in installed_dir. Returns 0 and a newly
 * allocated path, -ENOENT, or -ENOMEM. */
int sibling_program(const char *name, const char *from_self, const char *installed_dir, char **ret);
