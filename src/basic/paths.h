/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

/* Finds a shipped data file or folder (such as "profiles" or "rules/airlock.yar"):
 * $AIRLOCK_DATA_DIR first, then the installed data folder, then the source tree the binary
 * was built from. Returns 0 and a newly allocated path, or -ENOENT. */
int data_path(const char *sub, char **ret);

/* The home folder of the calling user: $HOME when it is an absolute path, else the entry for
 * uid in /etc/passwd. The launcher is linked statically, so this reads the file itself instead
 * of going through NSS; a user known only to a directory service needs HOME set (every login
 * sets it). Returns 0 and a newly allocated path, -ENXIO when there is none, or -ENOMEM. */
int user_home_dir(uid_t uid, char **ret);
