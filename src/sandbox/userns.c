/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

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

static int write_proc(pid_t pid, const char *file, const char *content);

static uint32_t map_id(const struct id_range *r, unsigned n, uint32_t inside)
{
        for (unsigned i = 0; i < n; i++)
                if (inside >= r[i].inside && inside - r[i].inside < r[i].count)
                        return r[i].outside + (inside - r[i].inside);
        return 65534;
}

void userns_choose_policy_ids(const struct policy *p, struct userns_ids *ret)
{
        userns_choose_ids(p->uid, p->gid, p->uid_set, ret);
        if (p->ids_inside_set && ret->privileged) {
                ret->uid_inside = p->uid_inside;
                ret->gid_inside = p->gid_inside;
        }
        if (p->n_uid_ranges > 0 && p->n_gid_ranges > 0) {
                ret->uid_inside = p->uid;
                ret->gid_inside = p->gid;
                ret->uid_outside = map_id(p->uid_ranges, p->n_uid_ranges, p->uid);
                ret->gid_outside = map_id(p->gid_ranges, p->n_gid_ranges, p->gid);
                ret->uid_ranges = p->uid_ranges;
                ret->gid_ranges = p->gid_ranges;
                ret->n_uid_ranges = p->n_uid_ranges;
                ret->n_gid_ranges = p->n_gid_ranges;
        }
        /* setgroups works where root wrote the maps or newgidmap did */
        if (ret->privileged || ret->n_gid_ranges > 0) {
                ret->groups = p->groups;
                ret->n_groups = p->n_groups;
        }
}

/* newuidmap or newgidmap PID INSIDE OUTSIDE COUNT...: the setuid helpers that map what
 * /etc/subuid and /etc/subgid give the user. */
static int run_newidmap(const char *helper, pid_t pid, const struct id_range *r, unsigned n)
{
        char args[1 + POLICY_MAX_RANGES * 3][16];
        char *argv[3 + POLICY_MAX_RANGES * 3] = {(char *)helper};
        int status, k = 1;
        pid_t child;

        snprintf(args[0], sizeof(args[0]), "%d", (int)pid);
        argv[k++] = args[0];
        for (unsigned i = 0; i < n && i < POLICY_MAX_RANGES; i++) {
                snprintf(args[1 + 3 * i], sizeof(args[0]), "%u", r[i].inside);
                snprintf(args[2 + 3 * i], sizeof(args[0]), "%u", r[i].outside);
                snprintf(args[3 + 3 * i], sizeof(args[0]), "%u", r[i].count);
                argv[k++] = args[1 + 3 * i];
                argv[k++] = args[2 + 3 * i];
                argv[k++] = args[3 + 3 * i];
        }
        argv[k] = NULL;
        child = fork();
        if (child < 0)
                return -errno;
        if (child == 0) {
                execvp(helper, argv);
                _exit(127);
        }
        while (waitpid(child, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
                return log_error_errno(-ENOENT, "%s is missing: install uidmap", helper);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return log_error_errno(-EPERM,
                                       "%s refused the mapping (does /etc/sub%sid give the user "
                                       "these ids?)",
                                       helper, helper[3] == 'u' ? "u" : "g");
        return 0;
}

static int write_ranges(pid_t pid, const char *file, const struct id_range *r, unsigned n)
{
        char map[POLICY_MAX_RANGES * 40];
        size_t len = 0;

        map[0] = 0;
        for (unsigned i = 0; i < n && i < POLICY_MAX_RANGES; i++)
                len += (size_t)snprintf(map + len, sizeof(map) - len, "%u %u %u\n", r[i].inside,
                                        r[i].outside, r[i].count);
        return write_proc(pid, file, map);
}

static int write_proc(pid_t pid, const char *file, const char *content)
{
        char path[64];

        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        return write_string_file(path, content);
}

int userns_write_maps(pid_t pid, const struct userns_ids *ids)
{
        char map[64], gmap[64 + 24 * 32];
        size_t len;
        int r;

        if (ids->n_uid_ranges > 0 && ids->privileged) {
                r = write_ranges(pid, "uid_map", ids->uid_ranges, ids->n_uid_ranges);
                return r < 0 ? r : write_ranges(pid, "gid_map", ids->gid_ranges, ids->n_gid_ranges);
        }
        if (ids->n_uid_ranges > 0) {
                r = run_newidmap("newuidmap", pid, ids->uid_ranges, ids->n_uid_ranges);
                return r < 0 ? r
                             : run_newidmap("newgidmap", pid, ids->gid_ranges, ids->n_gid_ranges);
        }
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
        len = (size_t)snprintf(gmap, sizeof(gmap), "%u %u 1\n", ids->gid_inside, ids->gid_outside);
        for (unsigned i = 0; ids->privileged && i < ids->n_groups && i < 32; i++)
                if (ids->groups[i] != ids->gid_inside)
                        len += (size_t)snprintf(gmap + len, sizeof(gmap) - len, "%u %u 1\n",
                                                ids->groups[i], ids->groups[i]);
        return write_proc(pid, "gid_map", gmap);
}

int userns_become(const struct userns_ids *ids)
{
        if ((ids->privileged || ids->n_gid_ranges > 0) && setgroups(ids->n_groups, ids->groups) < 0)
                return negative_errno();
        int bits = -1;

        /* With the spec's maps uid 0 may be mapped, and this process be it: leaving it would
         * clear the capabilities the setup still needs (they are dropped explicitly later) */
        if (ids->n_uid_ranges > 0) {
                bits = prctl(PR_GET_SECUREBITS);
                if (bits < 0 || prctl(PR_SET_SECUREBITS, bits | SECBIT_NO_SETUID_FIXUP) < 0)
                        return negative_errno();
        }
        if (setresgid(ids->gid_inside, ids->gid_inside, ids->gid_inside) < 0)
                return negative_errno();
        if (setresuid(ids->uid_inside, ids->uid_inside, ids->uid_inside) < 0)
                return negative_errno();
        if (bits >= 0 && prctl(PR_SET_SECUREBITS, bits) < 0)
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
