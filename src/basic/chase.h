/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Host paths that a sandbox may have written. A sandbox can plant a symbolic link, swap a
 * folder or leave a hard link anywhere it could write (a --bind source, ~/Downloads, an
 * application's persistent folders), and the next run, watch or restore would follow it
 * with the user's rights. So such a path is resolved here component by component: a link is
 * followed only where no sandbox could have made it, that is outside every "untrusted"
 * folder; below one, a link is refused. */

/* Resolves path (absolute) like realpath(3), following links only outside the untrusted
 * folders (a NULL-terminated list of canonical absolute paths, or NULL). Opens the result
 * with open_flags | O_NOFOLLOW | O_CLOEXEC (O_PATH when open_flags is 0).
 * On success returns the fd and sets *ret_path (canonical) and *ret_inside (true when the
 * result lies below an untrusted folder, not when it is one; either may be NULL).
 * Errors: -ELOOP when a link stands in an untrusted folder (*ret_path then names that link),
 * -ENOENT, -ENOTDIR, -EACCES..., -ENOMEM. */
int chase(const char *path, char *const *untrusted, int open_flags, char **ret_path,
          bool *ret_inside);

/* path made absolute against the working folder (a copy when it is absolute already).
 * Returns 0 or a negative errno. */
int path_absolute(const char *path, char **ret);

/* chase() of the folder of path (absolute or relative to the working folder), opened O_PATH:
 * returns its fd and sets *ret_name to the last component of *ret_abs (path made absolute;
 * the caller frees it). On -ELOOP, *ret_link names the planted link when not NULL. */
int chase_folder_of(const char *path, char *const *untrusted, char **ret_abs, const char **ret_name,
                    char **ret_link);

/* True when path is dir or lies below it (both canonical). */
bool path_in_folder(const char *path, const char *dir);

/* Makes the folders of rest (relative, without "." or "..") beneath the folder dirfd, each
 * missing one with mode, never following a link, and opens the last one O_RDONLY|O_DIRECTORY.
 * Returns the fd, or -ELOOP when a component is a link, -ENOTDIR when it is no folder, or
 * another negative errno. */
int mkdir_beneath(int dirfd, const char *rest, mode_t mode);

/* Whether st may be trusted as the caller's own object below an untrusted folder: owned by
 * the caller, or (when the caller is root) by root or by uid. */
bool owner_is_ours(const struct stat *st, uid_t uid);

/* openat2(2) of path from dirfd with exactly these open flags and resolve flags (RESOLVE_*;
 * nothing is added: each caller states its whole policy). Returns the fd or a negative errno. */
int openat2_fd(int dirfd, const char *path, uint64_t flags, uint64_t resolve);

/* Changes the working folder to path as the calling process's root sees it (a relative path
 * from the root too): links are followed only as they resolve within the root, and never a
 * magic link (/proc/self/fd/N, /proc/PID/cwd), which could name a folder outside the root
 * through an fd the process holds (runc's CVE-2024-21626). Returns 0 or a negative errno
 * (-ELOOP for a magic link, -ENOTDIR, -ENOENT, -EACCES...). */
int chdir_in_root(const char *path);

/* What chdir_in_root()'s error r means, for a message: -ELOOP said in its words. */
const char *chdir_in_root_strerror(int r);
