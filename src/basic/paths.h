/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Finds a shipped data file or folder (such as "profiles" or "rules/airlock.yar"):
 * $AIRLOCK_DATA_DIR first, then the installed data folder, then the source tree the binary
 * was built from. Returns 0 and a newly allocated path, or -ENOENT. */
int data_path(const char *sub, char **ret);
