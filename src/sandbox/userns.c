/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>

#include "basic/fileio.h"
#include "basic/log.h"
#include "userns.h"

void userns_choose_ids(uid_t want_uid, gid_t want_gid, bool uid_set, struct userns_ids *ret)
{
        bool root = geteuid() == 0;

        *ret = (struct userns_ids){
                .privileged = root,
                .uid_outside = root ? want_uid : geteuid(),
                .gid_outside = root ? want_gid : getegid(),
                /* A user runs as itself unless it asked for another uid inside. */
                .uid_inside = root || uid_set ? want_uid : geteuid(),
                .gid_inside = root || uid_set ? want_gid : getegid(),
        };
}

static int write_proc(pid_t pid, const char *file, const char *content)
{
        char path[64];

        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        return write_string_file(path, content);
}

int userns_write_maps(pid_t pid, const struct userns_ids *ids)
{
        char map[64];
        int r;

        if (!ids->privileged) {
                /* Without this an unprivileged writer may not map a gid. */
                r = write_proc(pid, "setgroups", "deny");
                if (r < 0 && r != -ENOENT)
                        return r;
        }
        snprintf(map, sizeof(map), "%u %u 1\n", ids->uid_inside, ids->uid_outside);
        r = write_proc(pid, "uid_map", map);
        if (r < 0)
                return r;
        snprintf(map, sizeof(map), "%u %u 1\n", ids->gid_inside, ids->gid_outside);
        return write_proc(pid, "gid_map", map);
}

int userns_become(const struct userns_ids *ids)
{
        if (ids->privileged && setgroups(0, NULL) < 0)
                return negative_errno();
        if (setresgid(ids->gid_inside, ids->gid_inside, ids->gid_inside) < 0)
                return negative_errno();
        if (setresuid(ids->uid_inside, ids->uid_inside, ids->uid_inside) < 0)
                return negative_errno();
        return 0;
}

static long read_sysctl(const char *path)
{
        _cleanup_free_ char *buf = NULL;

        if (read_full_file(path, &buf, NULL, 64) < 0)
                return -1;
        return strtol(buf, NULL, 10);
}

const char *userns_failure_hint(const struct userns_sysctls *k, int r)
{
        if (k->unprivileged_userns_clone == 0)
                return "they are disabled for unprivileged users; enable them with "
                       "'sysctl -w kernel.unprivileged_userns_clone=1'";
        if (k->apparmor_restrict_userns == 1)
                return "AppArmor restricts them to programs whose profile grants 'userns' "
                       "(Ubuntu 23.10 and later); install and load airlock's profile "
                       "(the Debian package ships it as /etc/apparmor.d/airlock: "
                       "'apparmor_parser -r /etc/apparmor.d/airlock'), or lift the restriction "
                       "with 'sysctl -w kernel.apparmor_restrict_unprivileged_userns=0'";
        if (k->max_user_namespaces == 0 || r == -ENOSPC)
                return "the limit user.max_user_namespaces is reached or 0; enable them with "
                       "'sysctl -w user.max_user_namespaces=15000'";
        return "user namespaces may be disabled (check the sysctls user.max_user_namespaces and "
               "kernel.unprivileged_userns_clone, or a seccomp filter of the container airlock "
               "runs in)";
}

int userns_explain_failure(int r)
{
        struct userns_sysctls k = {
                .unprivileged_userns_clone =
                        read_sysctl("/proc/sys/kernel/unprivileged_userns_clone"),
                .apparmor_restrict_userns =
                        read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns"),
                .max_user_namespaces = read_sysctl("/proc/sys/user/max_user_namespaces"),
        };

        return log_error_errno(r, "cannot create a user namespace: %m; %s",
                               userns_failure_hint(&k, r));
}
