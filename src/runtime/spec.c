/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.json → policy. Parse everything first, then run: a field this front end does not
 * carry out is an error that names it, never a silent difference from what the spec asked. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/capability.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "basic/strv.h"
#include "policy/podsec.h"
#include "sandbox/caps.h"
#include "sandbox/mount.h"
#include "sandbox/userns.h"
#include "hooks.h"
#include "spec.h"
#include "state.h"

#define HOME_INSIDE "/tmp/.home"

static int log_oom(void)
{
        return log_error_errno(-ENOMEM, "out of memory");
}

static void closedirp(DIR **d)
{
        if (*d)
                closedir(*d);
}

struct parse {
        struct oci_spec *s;
        const char *state_dir;
        char *caps_added; /* the first capability the baseline forbids, for the refusal */
        bool ns_pid, ns_ipc, ns_uts, ns_mount, ns_net;
        bool have_seccomp;
        bool rootless_maps; /* a user's spec with maps of its own (newgidmap: setgroups allowed) */
};

static int unsupported(const char *where, const char *why)
{
        return log_error_errno(-EOPNOTSUPP, "config.json: %s: %s", where, why);
}

static int bad_type(const char *where, const char *want)
{
        return log_error_errno(-EINVAL, "config.json: %s: expected %s", where, want);
}

/* Whether key is a property that the runtime specification (1.x) defines somewhere: one that
 * airlock-runtime does not carry out is refused by name, while one the specification does not
 * define is ignored, as its "Extensibility" section requires (runtimes MUST NOT generate an
 * error on an unknown property). */
static bool spec_property(const char *key)
{
        static const char *const defined[] = {
                /* config.md */
                "ociVersion", "root", "mounts", "process", "hostname", "domainname", "hooks",
                "annotations", "linux", "solaris", "windows", "vm", "zos", "path", "readonly",
                "destination", "source", "options", "type", "uidMappings", "gidMappings",
                "terminal", "consoleSize", "height", "width", "user", "cwd", "env", "args",
                "commandLine", "rlimits", "soft", "hard", "apparmorProfile", "capabilities",
                "bounding", "permitted", "effective", "inheritable", "ambient", "noNewPrivileges",
                "oomScoreAdj", "scheduler", "selinuxLabel", "ioPriority", "execCPUAffinity", "uid",
                "gid", "umask", "additionalGids", "username", "prestart", "createRuntime",
                "createContainer", "startContainer", "poststart", "poststop", "timeout",
                /* config-linux.md */
                "namespaces", "containerID", "hostID", "size", "timeOffsets", "devices", "major",
                "minor", "fileMode", "cgroupsPath", "rootfsPropagation", "resources", "unified",
                "sysctl", "seccomp", "maskedPaths", "readonlyPaths", "mountLabel", "intelRdt",
                "personality", "memoryPolicy", "netDevices", "allow", "access", "memory", "cpu",
                "blockIO", "hugepageLimits", "network", "pids", "rdma", "limit", "reservation",
                "swap", "kernel", "kernelTCP", "swappiness", "disableOOMKiller", "useHierarchy",
                "checkBeforeUpdate", "shares", "quota", "burst", "period", "realtimeRuntime",
                "realtimePeriod", "cpus", "mems", "idle", "defaultAction", "defaultErrnoRet",
                "architectures", "flags", "listenerPath", "listenerMetadata", "syscalls"};

        for (size_t i = 0; i < ELEMENTSOF(defined); i++)
                if (streq(key, defined[i]))
                        return true;
        return false;
}

/* Refuses a key of o that is not in known (NULL-terminated) but that the specification
 * defines; a key it does not define is ignored with a notice. */
static int check_keys(json_object *o, const char *where, const char *const *known)
{
        json_object_object_foreach(o, key, val)
        {
                bool found = false;
                char path[256];

                (void)val;
                for (size_t i = 0; known[i] && !found; i++)
                        found = streq(key, known[i]);
                if (found)
                        continue;
                snprintf(path, sizeof(path), "%s%s%s", where, *where ? "." : "", key);
                if (!spec_property(key)) {
                        log_notice("config.json: %s: ignored: not a property of the runtime "
                                   "specification",
                                   path);
                        continue;
                }
                return unsupported(path, "not supported by airlock-runtime");
        }
        return 0;
}

static json_object *get(json_object *o, const char *key)
{
        json_object *v = NULL;

        return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static bool empty(json_object *v)
{
        return !v || json_object_is_type(v, json_type_null) ||
               (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0) ||
               (json_object_is_type(v, json_type_object) && json_object_object_length(v) == 0);
}

static int get_string(json_object *o, const char *key, const char *where, const char **ret)
{
        json_object *v = get(o, key);

        if (!v) {
                *ret = NULL;
                return 0;
        }
        if (!json_object_is_type(v, json_type_string))
                return bad_type(where, "a string");
        *ret = json_object_get_string(v);
        return 0;
}

static int get_uint(json_object *o, const char *key, const char *where, bool *ret_set,
                    uint64_t *ret)
{
        json_object *v = get(o, key);

        *ret_set = false;
        if (!v)
                return 0;
        if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
                return bad_type(where, "a number >= 0");
        *ret_set = true;
        *ret = (uint64_t)json_object_get_int64(v);
        return 0;
}

/* Whether the container can write the rootfs's top folder, so that it can be the root itself
 * (the root is built with the process's ids): started by root, a rootfs that no other user can
 * reach, seen through an idmapped mount of the container's user namespace, whose process runs
 * as root in it with no maps of the spec's own (then the rootfs' files of uid 0 are its); a
 * process of another uid owns none of them, nor can it make a mount point there. Started by a
 * user, the process's uid is that user, who must own the rootfs. */
static bool rootfs_can_be_root(const char *rootfs, json_object *spec)
{
        json_object *user = get(get(spec, "process"), "user"), *lx = get(spec, "linux");
        json_object *uid = get(user, "uid"), *gid = get(user, "gid");
        struct stat st;

        if (geteuid() != 0)
                return stat(rootfs, &st) == 0 && st.st_uid == geteuid();
        return (!uid || json_object_get_int64(uid) == 0) &&
               (!gid || json_object_get_int64(gid) == 0) && empty(get(lx, "uidMappings")) &&
               empty(get(lx, "gidMappings")) && mount_reachable_by_root_only(rootfs);
}

/* The root: where the container's root can write the rootfs, the rootfs itself (as runc: a
 * program writes /output there), read-only with root.readonly; the mount points it lacks are
 * made in it without following any link (src/sandbox/mount.c). Elsewhere each top-level entry
 * of the rootfs becomes a bind at the same place in airlock's read-only tmpfs root, each
 * top-level link a link. /proc, /dev, /tmp and /sys are airlock's own either way
 * (docs/man/airlock-runtime.1). */
static int parse_root(struct parse *ps, json_object *root, json_object *spec)
{
        static const char *const known[] = {"path", "readonly", NULL};
        static const char *const own[] = {"proc", "dev", "tmp", "sys"};
        struct policy *p = ps->s->policy;
        _cleanup_(closedirp) DIR *d = NULL;
        json_object *ro = get(root, "readonly");
        const char *path;
        struct dirent *de;
        int r;

        if (!root || !json_object_is_type(root, json_type_object))
                return bad_type("root", "an object with path");
        if ((r = check_keys(root, "root", known)) < 0 ||
            (r = get_string(root, "path", "root.path", &path)) < 0)
                return r;
        if (!path || !*path)
                return bad_type("root.path", "a path");
        if (path[0] == '/')
                ps->s->rootfs = strdup(path);
        else if (asprintf(&ps->s->rootfs, "%s/%s", ps->s->bundle, path) < 0)
                ps->s->rootfs = NULL;
        if (!ps->s->rootfs)
                return log_oom();
        d = opendir(ps->s->rootfs);
        if (!d)
                return log_error_errno(-errno, "config.json: root.path: cannot open %s: %m",
                                       ps->s->rootfs);
        if (rootfs_can_be_root(ps->s->rootfs, spec)) {
                p->root_bind = true;
                if (policy_add_mount(p,
                                     ro && json_object_get_boolean(ro) ? MOUNT_RO_BIND : MOUNT_BIND,
                                     ps->s->rootfs, "/") < 0)
                        return log_oom();
                p->mounts[p->n_mounts - 1].idmap = true;
                return 0;
        }
        /* The entries are bound by path, resolved again by the launcher: the container (or
         * another one on the same rootfs) may have swapped a folder for a link to a host folder
         * since readdir() saw it, so that link must not be followed there. */
        if (strv_extend(&p->untrusted_folders, ps->s->rootfs) < 0)
                return log_oom();
        while ((de = readdir(d))) {
                _cleanup_free_ char *src = NULL, *dst = NULL;
                bool skip = streq(de->d_name, ".") || streq(de->d_name, "..");
                struct stat st;

                for (size_t i = 0; i < ELEMENTSOF(own) && !skip; i++)
                        skip = streq(de->d_name, own[i]);
                if (skip)
                        continue;
                if (asprintf(&src, "%s/%s", ps->s->rootfs, de->d_name) < 0 ||
                    asprintf(&dst, "/%s", de->d_name) < 0)
                        return log_oom();
                /* a file system without d_type: the entry's own type, its link not followed */
                if (de->d_type == DT_UNKNOWN &&
                    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                    S_ISLNK(st.st_mode))
                        de->d_type = DT_LNK;
                if (de->d_type == DT_LNK) {
                        char target[4096];
                        ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);

                        if (n < 0)
                                return log_error_errno(-errno, "cannot read the link %s: %m", src);
                        target[n] = 0;
                        r = policy_add_mount(p, MOUNT_SYMLINK, target, dst);
                } else {
                        r = policy_add_mount(
                                p, ro && json_object_get_boolean(ro) ? MOUNT_RO_BIND : MOUNT_BIND,
                                src, dst);
                        if (r >= 0)
                                p->mounts[p->n_mounts - 1].idmap = true;
                }
                if (r < 0)
                        return log_oom();
        }
        return 0;
}

static bool has_option(json_object *opts, const char *name)
{
        for (size_t i = 0; opts && i < json_object_array_length(opts); i++)
                if (streq(json_object_get_string(json_object_array_get_idx(opts, i)), name))
                        return true;
        return false;
}

/* A mount the launcher makes anyway (proc, dev, devpts, shm) is accepted when the spec asks
 * for the same thing at the same place. */
static bool provided_by_airlock(const char *dst, const char *type)
{
        static const char *const same[][2] = {{"/proc", "proc"},
                                              {"/dev", "tmpfs"},
                                              {"/dev/pts", "devpts"},
                                              {"/dev/shm", "tmpfs"},
                                              {"/tmp", "tmpfs"}};

        for (size_t i = 0; i < ELEMENTSOF(same); i++)
                if (streq(dst, same[i][0]) && streq(type, same[i][1]))
                        return true;
        return false;
}

static int parse_mount(struct parse *ps, json_object *m, size_t idx)
{
        static const char *const known[] = {"destination", "type", "source", "options", NULL};
        struct policy *p = ps->s->policy;
        char where[64];
        const char *dst, *type, *src;
        json_object *opts = get(m, "options");
        int r;

        snprintf(where, sizeof(where), "mounts[%zu]", idx);
        if (!json_object_is_type(m, json_type_object))
                return bad_type(where, "an object");
        if ((r = check_keys(m, where, known)) < 0 ||
            (r = get_string(m, "destination", where, &dst)) < 0 ||
            (r = get_string(m, "type", where, &type)) < 0 ||
            (r = get_string(m, "source", where, &src)) < 0)
                return r;
        if (!dst || dst[0] != '/')
                return bad_type(where, "an absolute destination");
        if (opts && !json_object_is_type(opts, json_type_array))
                return bad_type(where, "options as an array");
        if (!type)
                type = has_option(opts, "bind") || has_option(opts, "rbind") ? "bind" : "";
        if (provided_by_airlock(dst, type))
                return 0;
        if (streq(type, "sysfs") && streq(dst, "/sys"))
                /* the host's sysfs, read-only: what a new sysfs in another network namespace
                 * would show, less the namespace's own class/net */
                return policy_add_mount(p, MOUNT_RO_BIND, "/sys", "/sys") < 0 ? log_oom() : 0;
        if (streq(type, "tmpfs")) {
                r = policy_add_mount(p, MOUNT_TMPFS, "tmpfs", dst);
                for (size_t i = 0; r >= 0 && opts && i < json_object_array_length(opts); i++) {
                        const char *o = json_object_get_string(json_object_array_get_idx(opts, i));

                        if (o && startswith(o, "size=") &&
                            parse_size(o + 5, &p->mounts[p->n_mounts - 1].size) < 0)
                                return bad_type(where, "a tmpfs size=N");
                }
                return r < 0 ? log_oom() : 0;
        }
        if (streq(type, "bind") || streq(type, "none")) {
                _cleanup_free_ char *abs = NULL;
                bool ro = has_option(opts, "ro");

                if (!src || !*src)
                        return bad_type(where, "a bind source");
                /* relative to the bundle, as runc; the baseline judged the same path
                 * (podsec_check()) */
                if (src[0] != '/' && asprintf(&abs, "%s/%s", ps->s->bundle, src) < 0)
                        return log_oom();
                r = policy_add_mount(p, ro ? MOUNT_RO_BIND : MOUNT_BIND, abs ?: src, dst);
                return r < 0 ? log_oom() : 0;
        }
        if (streq(type, "mqueue") && streq(dst, "/dev/mqueue")) {
                p->mount_mqueue = true;
                return 0;
        }
        if (streq(type, "mqueue") || streq(type, "cgroup") || streq(type, "cgroup2")) {
                log_warning("config.json: %s: %s at %s is not mounted: airlock-runtime gives "
                            "containers no %s file system yet",
                            where, type, dst, type);
                return 0;
        }
        snprintf(where + strlen(where), sizeof(where) - strlen(where), ".type");
        return unsupported(where, "this mount type is not supported by airlock-runtime");
}

static int parse_mounts(struct parse *ps, json_object *mounts)
{
        int r;

        if (!mounts)
                return 0;
        if (!json_object_is_type(mounts, json_type_array))
                return bad_type("mounts", "an array");
        for (size_t i = 0; i < json_object_array_length(mounts); i++) {
                r = parse_mount(ps, json_object_array_get_idx(mounts, i), i);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int parse_strv(json_object *a, const char *where, char ***ret)
{
        if (!a)
                return 0;
        if (!json_object_is_type(a, json_type_array))
                return bad_type(where, "an array of strings");
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                json_object *e = json_object_array_get_idx(a, i);

                if (!json_object_is_type(e, json_type_string))
                        return bad_type(where, "an array of strings");
                if (strv_extend(ret, json_object_get_string(e)) < 0)
                        return log_oom();
        }
        return 0;
}

/* One of process.capabilities' sets into bits; a name no kernel has is an error, one this
 * kernel lacks is left out with a notice (as runc does). */
static int parse_cap_set(json_object *a, const char *where, char **caps_added, uint64_t *ret)
{
        _cleanup_strv_free_ char **list = NULL;
        int last = caps_last_cap(), r;

        r = parse_strv(a, where, &list);
        if (r < 0)
                return r;
        *ret = 0;
        for (char **c = list; c && *c; c++) {
                int cap = capability_from_name(*c);

                if (cap < 0)
                        return log_error_errno(-EINVAL, "config.json: %s: unknown capability %s",
                                               where, *c);
                if (!podsec_baseline_capability(*c) && !*caps_added && !(*caps_added = strdup(*c)))
                        return log_oom();
                if (cap > last)
                        log_notice("config.json: %s: %s: this kernel does not have it", where, *c);
                else
                        *ret |= UINT64_C(1) << cap;
        }
        return 0;
}

/* process.capabilities: granted in the container's user namespace (never the host's), within
 * the baseline's list unless airlock.allow-privileged=true (oci_spec_load() refuses more). */
static int parse_capabilities(struct parse *ps, json_object *caps)
{
        static const char *const sets[] = {"bounding",  "effective", "inheritable",
                                           "permitted", "ambient",   NULL};
        struct cap_sets *cs = &ps->s->policy->caps;
        uint64_t *bits[] = {&cs->bounding, &cs->effective, &cs->inheritable, &cs->permitted,
                            &cs->ambient};
        int r;

        *cs = (struct cap_sets){0};
        if (!caps)
                return 0;
        if (!json_object_is_type(caps, json_type_object))
                return bad_type("process.capabilities", "an object");
        r = check_keys(caps, "process.capabilities", sets);
        if (r < 0)
                return r;
        for (size_t i = 0; sets[i]; i++) {
                char where[64];

                snprintf(where, sizeof(where), "process.capabilities.%s", sets[i]);
                r = parse_cap_set(get(caps, sets[i]), where, &ps->caps_added, bits[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static const struct {
        const char *name;
        int resource;
} rlimit_names[] = {
        {"RLIMIT_AS", RLIMIT_AS},
        {"RLIMIT_CORE", RLIMIT_CORE},
        {"RLIMIT_CPU", RLIMIT_CPU},
        {"RLIMIT_DATA", RLIMIT_DATA},
        {"RLIMIT_FSIZE", RLIMIT_FSIZE},
        {"RLIMIT_LOCKS", RLIMIT_LOCKS},
        {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
        {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
        {"RLIMIT_NICE", RLIMIT_NICE},
        {"RLIMIT_NOFILE", RLIMIT_NOFILE},
        {"RLIMIT_NPROC", RLIMIT_NPROC},
        {"RLIMIT_RSS", RLIMIT_RSS},
        {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
        {"RLIMIT_RTTIME", RLIMIT_RTTIME},
        {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
        {"RLIMIT_STACK", RLIMIT_STACK},
};

static int parse_rlimits(struct policy *p, json_object *a)
{
        static const char *const known[] = {"type", "hard", "soft", NULL};
        int r;

        if (!a)
                return 0;
        if (!json_object_is_type(a, json_type_array))
                return bad_type("process.rlimits", "an array");
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                json_object *e = json_object_array_get_idx(a, i);
                char where[64];
                const char *type;
                uint64_t hard = 0, soft = 0;
                bool set_h, set_s, found = false;

                snprintf(where, sizeof(where), "process.rlimits[%zu]", i);
                if ((r = check_keys(e, where, known)) < 0 ||
                    (r = get_string(e, "type", where, &type)) < 0 ||
                    (r = get_uint(e, "hard", where, &set_h, &hard)) < 0 ||
                    (r = get_uint(e, "soft", where, &set_s, &soft)) < 0)
                        return r;
                for (size_t k = 0; type && k < ELEMENTSOF(rlimit_names) && !found; k++)
                        if (streq(type, rlimit_names[k].name)) {
                                struct rlimit_setting *rl = &p->rlimits[rlimit_names[k].resource];

                                found = true;
                                *rl = (struct rlimit_setting){.resource = rlimit_names[k].resource,
                                                              .soft = soft,
                                                              .hard = hard,
                                                              .set = true};
                        }
                if (!found)
                        return unsupported(where, "unknown rlimit type");
        }
        return 0;
}

/* process.user.additionalGids: as root, each is mapped to the same gid outside (as the
 * container's gid is) and set with setgroups; a user namespace made without privilege has
 * setgroups "deny", so a user's container can have none. */
static int parse_groups(struct parse *ps, json_object *a)
{
        struct policy *p = ps->s->policy;

        if (empty(a))
                return 0;
        if (!json_object_is_type(a, json_type_array))
                return bad_type("process.user.additionalGids", "an array of gids");
        if (geteuid() != 0 && !ps->rootless_maps)
                return unsupported("process.user.additionalGids",
                                   "started without privilege, the container's user namespace "
                                   "has setgroups \"deny\": it can have no supplementary groups");
        if (json_object_array_length(a) > POLICY_MAX_GROUPS)
                return unsupported("process.user.additionalGids", "at most 32 gids");
        p->n_groups = 0;
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                json_object *g = json_object_array_get_idx(a, i);
                int64_t v = json_object_get_int64(g);
                bool dup = false;

                if (!json_object_is_type(g, json_type_int) || v < 0 || v > 4294967294LL)
                        return bad_type("process.user.additionalGids", "an array of gids");
                for (unsigned k = 0; k < p->n_groups && !dup; k++)
                        dup = p->groups[k] == (gid_t)v;
                if (!dup)
                        p->groups[p->n_groups++] = (gid_t)v;
        }
        return 0;
}

static int parse_user(struct parse *ps, json_object *u)
{
        static const char *const known[] = {"uid", "gid", "umask", "additionalGids", NULL};
        uint64_t uid = 0, gid = 0, umask_v = 0;
        bool set_u, set_g, set_m;
        int r;

        if (!u)
                return 0;
        if ((r = check_keys(u, "process.user", known)) < 0 ||
            (r = get_uint(u, "uid", "process.user.uid", &set_u, &uid)) < 0 ||
            (r = get_uint(u, "gid", "process.user.gid", &set_g, &gid)) < 0 ||
            (r = get_uint(u, "umask", "process.user.umask", &set_m, &umask_v)) < 0)
                return r;
        if ((r = parse_groups(ps, get(u, "additionalGids"))) < 0)
                return r;
        if (set_m && umask_v > 0777)
                return bad_type("process.user.umask", "a mode of 0 to 0777");
        ps->s->umask = set_m ? (int)umask_v : -1;
        oci_spec_set_user(ps->s, (uid_t)uid, (gid_t)gid);
        return 0;
}

void oci_spec_set_user(struct oci_spec *s, uid_t uid, gid_t gid)
{
        struct policy *p = s->policy;

        s->spec_uid = uid;
        s->spec_gid = gid;
        p->ids_inside_set = false;
        if (p->n_uid_ranges > 0 || s->ns_path[OCI_NS_USER]) {
                /* the spec's own maps, or a user namespace joined by path: its ids are the
                 * ones inside */
                p->uid = uid;
                p->gid = gid;
                p->uid_set = true;
                return;
        }
        /* Started by root, the container runs as the same uid inside and outside, and uid 0
         * (the spec's default) is uid 0 in its user namespace, mapped to 65534 outside (as
         * rootless podman maps it to the user): airlock never runs a container as the host's
         * root. Started by a user, the spec's uid inside maps to the user. */
        p->uid_set = false;
        p->uid = 65534; /* policy_new()'s */
        p->gid = 65534;
        if (geteuid() == 0) {
                if (uid != 0) {
                        p->uid = uid;
                        p->gid = gid ?: uid;
                        p->uid_set = true;
                } else {
                        p->ids_inside_set = true;
                        p->uid_inside = 0;
                        p->gid_inside = gid;
                }
        } else {
                p->uid = uid;
                p->gid = gid;
                p->uid_set = true;
        }
}

static int parse_console_size(struct oci_spec *s, json_object *size)
{
        static const char *const known[] = {"height", "width", NULL};
        uint64_t h = 0, w = 0;
        bool set_h, set_w;
        int r;

        if (!size)
                return 0;
        if ((r = check_keys(size, "process.consoleSize", known)) < 0 ||
            (r = get_uint(size, "height", "process.consoleSize.height", &set_h, &h)) < 0 ||
            (r = get_uint(size, "width", "process.consoleSize.width", &set_w, &w)) < 0)
                return r;
        if (h > 0xffff || w > 0xffff)
                return bad_type("process.consoleSize", "a height and a width below 65536");
        s->console_height = (unsigned)h;
        s->console_width = (unsigned)w;
        return 0;
}

static int parse_oom_score_adj(struct oci_spec *s, json_object *v)
{
        if (!v)
                return 0;
        if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < -1000 ||
            json_object_get_int64(v) > 1000)
                return bad_type("process.oomScoreAdj", "a number from -1000 to 1000");
        s->oom_score_adj = (int)json_object_get_int64(v);
        s->oom_score_adj_set = true;
        return 0;
}

static int parse_process(struct parse *ps, json_object *proc)
{
        static const char *const known[] = {"terminal",
                                            "consoleSize",
                                            "user",
                                            "args",
                                            "env",
                                            "cwd",
                                            "capabilities",
                                            "rlimits",
                                            "noNewPrivileges",
                                            "apparmorProfile",
                                            "oomScoreAdj",
                                            NULL};
        struct policy *p = ps->s->policy;
        json_object *nnp = get(proc, "noNewPrivileges"), *term = get(proc, "terminal");
        const char *cwd, *apparmor;
        int r;

        if (!proc || !json_object_is_type(proc, json_type_object))
                return bad_type("process", "an object");
        if ((r = check_keys(proc, "process", known)) < 0 ||
            (r = parse_strv(get(proc, "args"), "process.args", &p->argv)) < 0 ||
            (r = parse_strv(get(proc, "env"), "process.env", &p->env)) < 0 ||
            (r = get_string(proc, "cwd", "process.cwd", &cwd)) < 0 ||
            (r = get_string(proc, "apparmorProfile", "process.apparmorProfile", &apparmor)) < 0 ||
            (r = parse_user(ps, get(proc, "user"))) < 0 ||
            (r = parse_capabilities(ps, get(proc, "capabilities"))) < 0 ||
            (r = parse_rlimits(p, get(proc, "rlimits"))) < 0)
                return r;
        if (!p->argv)
                return bad_type("process.args", "at least the program");
        for (char **e = p->env; e && *e; e++)
                if (!strchr(*e, '='))
                        return bad_type("process.env", "NAME=VALUE strings");
        if (cwd && !(p->chdir = strdup(cwd)))
                return log_oom();
        if (apparmor && *apparmor)
                log_notice("config.json: process.apparmorProfile: ignored: airlock confines "
                           "with Landlock and seccomp");
        /* false unless the spec says true, as runc: the program runs with the spec's
         * capabilities, and airlock's Landlock and seccomp do not need it */
        p->no_new_privs = nnp && json_object_get_boolean(nnp);
        if ((r = parse_console_size(ps->s, get(proc, "consoleSize"))) < 0 ||
            (r = parse_oom_score_adj(ps->s, get(proc, "oomScoreAdj"))) < 0)
                return r;
        ps->s->terminal = term && json_object_get_boolean(term);
        p->pty = ps->s->terminal;
        return 0;
}

/* Each namespace by enum oci_ns: its type in config.json (which messages call it), its name
 * in /proc/PID/ns and its clone flag. */
static const struct {
        const char *type, *kind;
        int flag;
} namespaces[OCI_NS_MAX] = {
        [OCI_NS_USER] = {"user", "user", CLONE_NEWUSER},
        [OCI_NS_NET] = {"network", "net", CLONE_NEWNET},
        [OCI_NS_IPC] = {"ipc", "ipc", CLONE_NEWIPC},
        [OCI_NS_UTS] = {"uts", "uts", CLONE_NEWUTS},
        [OCI_NS_CGROUP] = {"cgroup", "cgroup", CLONE_NEWCGROUP},
        [OCI_NS_PID] = {"pid", "pid", CLONE_NEWPID},
        [OCI_NS_MOUNT] = {"mount", "mnt", CLONE_NEWNS},
};

/* The enum oci_ns of a config.json type, or -1. */
static int ns_index(const char *type)
{
        for (int i = 0; type && i < OCI_NS_MAX; i++)
                if (streq(type, namespaces[i].type))
                        return i;
        return -1;
}

static const char *ns_kind(const char *type)
{
        int i = ns_index(type);

        return i >= 0 ? namespaces[i].kind : NULL;
}

static int parse_namespaces(struct parse *ps, json_object *a)
{
        static const char *const known[] = {"type", "path", NULL};
        bool ns_cgroup = false;
        int r;

        if (!a)
                return 0;
        if (!json_object_is_type(a, json_type_array))
                return bad_type("linux.namespaces", "an array");
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                json_object *e = json_object_array_get_idx(a, i);
                char where[64];
                const char *type, *path;

                snprintf(where, sizeof(where), "linux.namespaces[%zu]", i);
                if ((r = check_keys(e, where, known)) < 0 ||
                    (r = get_string(e, "type", where, &type)) < 0 ||
                    (r = get_string(e, "path", where, &path)) < 0)
                        return r;
                if (!type)
                        return bad_type(where, "a type");
                if (path && *path && ns_index(type) >= 0) {
                        char **slot = &ps->s->ns_path[ns_index(type)];

                        if (path[0] != '/') {
                                snprintf(where + strlen(where), sizeof(where) - strlen(where),
                                         ".path");
                                return bad_type(where, "an absolute path");
                        }
                        /* joined before the launcher runs (oci_spec_join_namespaces) */
                        if (podsec_ns_is_hosts(path, ns_kind(type)))
                                continue; /* the baseline refused it, or the annotation */
                        free(*slot);
                        if (!(*slot = strdup(path)))
                                return log_oom();
                }
                if (streq(type, "pid"))
                        ps->ns_pid = true;
                else if (streq(type, "ipc"))
                        ps->ns_ipc = true;
                else if (streq(type, "uts"))
                        ps->ns_uts = true;
                else if (streq(type, "mount"))
                        ps->ns_mount = true;
                else if (streq(type, "network"))
                        ps->ns_net = true;
                else if (streq(type, "cgroup"))
                        ns_cgroup = true;
                else if (!streq(type, "user"))
                        return unsupported(where, "this namespace type is not supported");
        }
        /* no cgroup namespace listed: the runtime's is shared (as runc and crun do), and
         * /proc/self/cgroup shows the container's cgroup by its whole path */
        ps->s->policy->keep_cgroup_ns = !ns_cgroup;
        return 0;
}

/* The character devices of airlock's own /dev (null, zero, full, random, urandom, tty, console,
 * ptmx): the device cgroup always allows them, as runc its default devices. */
static const int own_devices[][2] = {{1, 3}, {1, 5}, {1, 7}, {1, 8},
                                     {1, 9}, {5, 0}, {5, 1}, {5, 2}};

/* An allow rule of linux.resources.devices that grants nothing beyond airlock's own /dev. */
static bool device_rule_harmless(json_object *rule)
{
        const char *type = json_object_get_string(get(rule, "type"));
        const char *access = json_object_get_string(get(rule, "access"));
        json_object *major = get(rule, "major"), *minor = get(rule, "minor");
        int ma = major ? json_object_get_int(major) : -1,
            mi = minor ? json_object_get_int(minor) : -1;

        if (access && *access && strspn(access, "m") == strlen(access))
                return true;
        if (!type || !streq(type, "c") || !major)
                return false;
        if (ma == 136)
                return true; /* the container's own devpts */
        for (size_t i = 0; i < ELEMENTSOF(own_devices); i++)
                if (ma == own_devices[i][0] && minor && mi == own_devices[i][1])
                        return true;
        if (ma == 10 && minor && mi == 200) {
                log_notice("config.json: linux.resources.devices: /dev/net/tun is allowed but "
                           "airlock's /dev has no such node");
                return true;
        }
        return false;
}

/* A whole number of o's key that may also be -1 (OCI's "unlimited"). */
static int get_int_or_unlimited(json_object *o, const char *key, const char *where, bool *ret_set,
                                int64_t *ret)
{
        json_object *v = get(o, key);

        *ret_set = false;
        if (!v)
                return 0;
        if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < -1)
                return bad_type(where, "a number >= 0, or -1 for no limit");
        *ret_set = true;
        *ret = json_object_get_int64(v);
        return 0;
}

static int out_of_range(const char *where, uint64_t v, const char *range)
{
        return log_error_errno(-ERANGE, "config.json: %s: %" PRIu64 " is out of range (%s)", where,
                               v, range);
}

/* A cpuset list ("0-3,5"); an empty one leaves the setting unset. */
static int get_cpuset_list(json_object *o, const char *key, const char *where, unsigned bit,
                           struct policy_cgroup_settings *s, char **ret)
{
        const char *v;
        int r = get_string(o, key, where, &v);

        if (r < 0 || !v || !*v)
                return r;
        if (strspn(v, "0123456789,-") != strlen(v))
                return bad_type(where, "a list of numbers and ranges such as \"0-3,5\"");
        free(*ret);
        *ret = strdup(v);
        if (!*ret)
                return log_oom();
        s->set |= bit;
        return 0;
}

static int parse_resources_memory(struct policy *p, json_object *mem)
{
        static const char *const known[] = {
                "limit",      "reservation",      "swap", "kernel", "kernelTCP",
                "swappiness", "disableOOMKiller", NULL};
        static const struct {
                const char *key;
                unsigned bit;
                size_t offset;
        } signed_fields[] = {
                {"reservation", POLICY_CG_MEMORY_RESERVATION,
                 offsetof(struct policy_cgroup_settings, memory_reservation)},
                {"swap", POLICY_CG_MEMORY_SWAP,
                 offsetof(struct policy_cgroup_settings, memory_swap)},
                {"kernel", POLICY_CG_MEMORY_KERNEL,
                 offsetof(struct policy_cgroup_settings, memory_kernel)},
                {"kernelTCP", POLICY_CG_MEMORY_KERNEL_TCP,
                 offsetof(struct policy_cgroup_settings, memory_kernel_tcp)},
        };
        struct policy_cgroup_settings *s = &p->cgroup_settings;
        json_object *oom = get(mem, "disableOOMKiller");
        uint64_t v;
        bool set;
        int r;

        if ((r = check_keys(mem, "linux.resources.memory", known)) < 0 ||
            (r = get_uint(mem, "limit", "linux.resources.memory.limit", &set, &v)) < 0)
                return r;
        if (set)
                p->memory_max = v;
        for (size_t i = 0; i < ELEMENTSOF(signed_fields); i++) {
                char where[64];
                int64_t n;

                snprintf(where, sizeof(where), "linux.resources.memory.%s", signed_fields[i].key);
                if ((r = get_int_or_unlimited(mem, signed_fields[i].key, where, &set, &n)) < 0)
                        return r;
                if (!set)
                        continue;
                *(int64_t *)((char *)s + signed_fields[i].offset) = n;
                s->set |= signed_fields[i].bit;
        }
        /* memory + swap, as v1 has it: never below the memory limit */
        if ((s->set & POLICY_CG_MEMORY_SWAP) && s->memory_swap != -1 &&
            (p->memory_max == 0 || (uint64_t)s->memory_swap < p->memory_max))
                return unsupported("linux.resources.memory.swap",
                                   "memory + swap must be -1 or at least memory.limit, which must "
                                   "be set");
        if (s->set & POLICY_CG_MEMORY_KERNEL)
                log_notice("config.json: linux.resources.memory.kernel: set where the kernel has "
                           "it (cgroup v1), but Linux 6.1 and later ignore it: kernel memory "
                           "counts within memory.limit");
        if ((r = get_uint(mem, "swappiness", "linux.resources.memory.swappiness", &set, &v)) < 0)
                return r;
        if (set && v > 100)
                return out_of_range("linux.resources.memory.swappiness", v, "0-100");
        if (set) {
                s->memory_swappiness = v;
                s->set |= POLICY_CG_MEMORY_SWAPPINESS;
        }
        if (oom && !json_object_is_type(oom, json_type_boolean))
                return bad_type("linux.resources.memory.disableOOMKiller", "true or false");
        if (oom && json_object_get_boolean(oom))
                s->set |= POLICY_CG_MEMORY_NO_OOM_KILLER;
        return 0;
}

static int parse_resources_cpu(struct policy *p, json_object *cpu)
{
        static const char *const known[] = {"quota", "period",         "shares",          "cpus",
                                            "mems",  "realtimePeriod", "realtimeRuntime", NULL};
        struct policy_cgroup_settings *s = &p->cgroup_settings;
        uint64_t v;
        int64_t n;
        bool set;
        int r;

        if ((r = check_keys(cpu, "linux.resources.cpu", known)) < 0 ||
            (r = get_uint(cpu, "shares", "linux.resources.cpu.shares", &set, &v)) < 0)
                return r;
        /* the kernel's range (v1 clamps silently, so a value outside would not read back) */
        if (set && v != 0 && (v < 2 || v > 262144))
                return out_of_range("linux.resources.cpu.shares", v, "2-262144");
        if (set && v != 0) {
                s->cpu_shares = v;
                s->set |= POLICY_CG_CPU_SHARES;
        }
        if ((r = get_uint(cpu, "period", "linux.resources.cpu.period", &set, &v)) < 0)
                return r;
        if (set && v != 0 && (v < 1000 || v > 1000000))
                return out_of_range("linux.resources.cpu.period", v, "1000-1000000 microseconds");
        if (set && v != 0) {
                s->cpu_period_usec = v;
                s->set |= POLICY_CG_CPU_PERIOD;
        }
        if ((r = get_int_or_unlimited(cpu, "quota", "linux.resources.cpu.quota", &set, &n)) < 0)
                return r;
        if (set && n >= 0 && n < 1000)
                return out_of_range("linux.resources.cpu.quota", (uint64_t)n,
                                    "at least 1000 microseconds, or -1");
        if (set) {
                s->cpu_quota_usec = n;
                s->set |= POLICY_CG_CPU_QUOTA;
                if (n > 0)
                        p->cpus = (double)n / (double)(s->set & POLICY_CG_CPU_PERIOD
                                                               ? s->cpu_period_usec
                                                               : 100000);
        }
        if ((r = get_uint(cpu, "realtimePeriod", "linux.resources.cpu.realtimePeriod", &set, &v)) <
            0)
                return r;
        if (set) {
                s->cpu_rt_period_usec = v;
                s->set |= POLICY_CG_CPU_RT_PERIOD;
        }
        if ((r = get_int_or_unlimited(cpu, "realtimeRuntime", "linux.resources.cpu.realtimeRuntime",
                                      &set, &n)) < 0)
                return r;
        if (set) {
                s->cpu_rt_runtime_usec = n;
                s->set |= POLICY_CG_CPU_RT_RUNTIME;
        }
        if ((r = get_cpuset_list(cpu, "cpus", "linux.resources.cpu.cpus", POLICY_CG_CPUS, s,
                                 &s->cpus)) < 0)
                return r;
        return get_cpuset_list(cpu, "mems", "linux.resources.cpu.mems", POLICY_CG_MEMS, s,
                               &s->mems);
}

/* One rule of linux.resources.devices, checked for its form. */
static int parse_device_rule(json_object *o, const char *where, struct policy_device_rule *ret)
{
        static const char *const known[] = {"allow", "type", "major", "minor", "access", NULL};
        json_object *allow = get(o, "allow"), *type = get(o, "type"), *access = get(o, "access");
        struct policy_device_rule d = {.type = 'a', .major = -1, .minor = -1};
        const char *num[] = {"major", "minor"};
        int32_t *val[] = {&d.major, &d.minor};
        const char *s;
        int r;

        if ((r = check_keys(o, where, known)) < 0)
                return r;
        if (!allow || !json_object_is_type(allow, json_type_boolean))
                return bad_type(where, "\"allow\": true or false");
        d.allow = json_object_get_boolean(allow);
        if (type) {
                s = json_object_is_type(type, json_type_string) ? json_object_get_string(type) : "";
                if (strlen(s) != 1 || !strchr("acb", s[0]))
                        return bad_type(where, "\"type\": \"a\", \"c\" or \"b\"");
                d.type = s[0];
        }
        for (size_t k = 0; k < 2; k++) {
                json_object *v = get(o, num[k]);

                if (!v)
                        continue;
                if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < -1 ||
                    json_object_get_int64(v) > INT32_MAX)
                        return bad_type(where, "a device number >= 0, or -1 for any");
                *val[k] = (int32_t)json_object_get_int64(v);
        }
        s = access && json_object_is_type(access, json_type_string) ? json_object_get_string(access)
            : access                                                ? "?"
                                                                    : "rwm";
        if (!*s || strlen(s) > 3 || strspn(s, "rwm") != strlen(s))
                return bad_type(where, "\"access\": some of \"rwm\"");
        strcpy(d.access, s);
        *ret = d;
        return 0;
}

/* Whether rule names one of the nodes linux.devices binds (bound, n of them), and no other. */
static bool device_rule_bound(const struct policy_device_rule *rule,
                              const struct policy_device_rule *bound, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (rule->type == bound[i].type && rule->major == bound[i].major &&
                    rule->minor == bound[i].minor)
                        return true;
        return false;
}

/* A rule of linux.resources.devices for every device and access ("a" in v1's files), which
 * replaces the whole table. */
static bool device_rule_whole(const struct policy_device_rule *rule)
{
        return rule->type == 'a' && rule->major < 0 && rule->minor < 0 &&
               streq(rule->access, "rwm");
}

/* The nodes linux.devices binds (bound, checked before), allowed. */
static void add_bound_devices(struct policy_device_rule *rules, json_object *bound)
{
        size_t n = bound ? json_object_array_length(bound) : 0;

        for (size_t i = 0; i < n; i++) {
                json_object *d = json_object_array_get_idx(bound, i);
                const char *type = json_object_get_string(get(d, "type"));

                rules[i] = (struct policy_device_rule){
                        .allow = true,
                        .type = streq(type, "b") ? 'b' : 'c',
                        .major = (int32_t)json_object_get_int64(get(d, "major")),
                        .minor = (int32_t)json_object_get_int64(get(d, "minor")),
                        .access = "rwm"};
        }
}

/* The device cgroup: everything denied, then the spec's rules in order, with the nodes of
 * linux.devices allowed after its last rule that replaces the whole table (containerd's "deny
 * all" would take them back; a rule after it may still deny one), then airlock's own /dev
 * allowed, as runc appends its default devices. An allow rule grants nothing beyond airlock's
 * /dev (one of its devices or of linux.devices, or mknod alone, which no capability is left
 * to use) unless the annotation airlock.allow-privileged=true is set: the baseline forbids
 * more. containerd's default spec has both kinds. */
static int parse_resources_devices(struct parse *ps, json_object *dev, json_object *bound)
{
        struct policy_cgroup_settings *s = &ps->s->policy->cgroup_settings;
        size_t n_bound = bound ? json_object_array_length(bound) : 0;
        struct policy_device_rule *rules, *spec_rules;
        size_t n, k = 0, last_whole = 0;

        if (!json_object_is_type(dev, json_type_array))
                return bad_type("linux.resources.devices", "an array");
        n = json_object_array_length(dev);
        rules = calloc(1 + n + n_bound + ELEMENTSOF(own_devices) + 1, sizeof(*rules));
        /* the spec's rules, parsed first: where the bound nodes go depends on them */
        spec_rules = calloc(n + n_bound + 1, sizeof(*spec_rules));
        if (!rules || !spec_rules) {
                free(rules);
                free(spec_rules);
                return log_oom();
        }
        free(s->devices);
        s->devices = rules;
        add_bound_devices(spec_rules + n, bound);
        for (size_t i = 0; i < n; i++) {
                json_object *o = json_object_array_get_idx(dev, i);
                char where[64];
                int r;

                snprintf(where, sizeof(where), "linux.resources.devices[%zu]", i);
                r = parse_device_rule(o, where, &spec_rules[i]);
                if (r >= 0 && spec_rules[i].allow && !ps->s->allow_privileged &&
                    !device_rule_harmless(o) &&
                    !device_rule_bound(&spec_rules[i], spec_rules + n, n_bound))
                        r = unsupported(where, "a device beyond airlock's /dev (the "
                                               "annotation airlock.allow-privileged=true "
                                               "allows it)");
                if (r < 0) {
                        free(spec_rules);
                        return r;
                }
                if (device_rule_whole(&spec_rules[i]))
                        last_whole = i + 1;
        }
        rules[k++] =
                (struct policy_device_rule){.type = 'a', .major = -1, .minor = -1, .access = "rwm"};
        memcpy(rules + k, spec_rules, last_whole * sizeof(*rules));
        k += last_whole;
        memcpy(rules + k, spec_rules + n, n_bound * sizeof(*rules));
        k += n_bound;
        memcpy(rules + k, spec_rules + last_whole, (n - last_whole) * sizeof(*rules));
        k += n - last_whole;
        free(spec_rules);
        for (size_t i = 0; i < ELEMENTSOF(own_devices); i++)
                rules[k++] = (struct policy_device_rule){.allow = true,
                                                         .type = 'c',
                                                         .major = own_devices[i][0],
                                                         .minor = own_devices[i][1],
                                                         .access = "rwm"};
        rules[k++] = (struct policy_device_rule){
                .allow = true, .type = 'c', .major = 136, .minor = -1, .access = "rwm"};
        s->n_devices = k;
        s->set |= POLICY_CG_DEVICES;
        return 0;
}

static int parse_resources(struct parse *ps, json_object *res, json_object *bound)
{
        struct policy *p = ps->s->policy;
        static const char *const known[] = {"memory", "pids", "cpu", "devices", NULL};
        static const char *const pids_known[] = {"limit", NULL};
        json_object *mem = get(res, "memory"), *pids = get(res, "pids"), *cpu = get(res, "cpu");
        json_object *dev = get(res, "devices");
        uint64_t v;
        bool set;
        int r;

        if (!res)
                return 0;
        if ((r = check_keys(res, "linux.resources", known)) < 0)
                return r;
        if (mem && (r = parse_resources_memory(p, mem)) < 0)
                return r;
        if (pids) {
                if ((r = check_keys(pids, "linux.resources.pids", pids_known)) < 0 ||
                    (r = get_uint(pids, "limit", "linux.resources.pids.limit", &set, &v)) < 0)
                        return r;
                if (set)
                        p->pids_max = v;
        }
        if (cpu && (r = parse_resources_cpu(p, cpu)) < 0)
                return r;
        return dev ? parse_resources_devices(ps, dev, bound) : 0;
}

/* A masked path: /dev/null over a file, an empty read-only tmpfs over a folder, chosen where the
 * path is in the container's root once it is built (the host never looks it up in the rootfs,
 * which containers write); a path the root does not have (/proc/acpi on most machines), or one
 * below a folder masked before, is skipped, as runc does. */
static int parse_masked(struct parse *ps, json_object *a)
{
        _cleanup_strv_free_ char **list = NULL;
        int r = parse_strv(a, "linux.maskedPaths", &list);

        for (char **m = list; r >= 0 && m && *m; m++) {
                if ((*m)[0] != '/')
                        return bad_type("linux.maskedPaths", "absolute paths");
                if (policy_add_mount(ps->s->policy, MOUNT_MASK, NULL, *m) < 0)
                        return log_oom();
        }
        return r;
}

static int parse_readonly(struct parse *ps, json_object *a)
{
        /* what the launcher keeps read-only anyway */
        static const char *const ro_already[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                                 "/proc/sysrq-trigger"};
        _cleanup_strv_free_ char **list = NULL;
        int r = parse_strv(a, "linux.readonlyPaths", &list);

        for (char **m = list; r >= 0 && m && *m; m++) {
                bool done = false;

                for (size_t i = 0; i < ELEMENTSOF(ro_already) && !done; i++)
                        done = streq(*m, ro_already[i]);
                if (done)
                        continue;
                if ((*m)[0] != '/')
                        return bad_type("linux.readonlyPaths", "absolute paths");
                if (startswith(*m, "/proc/")) {
                        /* not per container: the host's own entry, read-only, where it has
                         * one (a kernel without sound has no /proc/asound) */
                        if (access(*m, F_OK) < 0)
                                continue;
                        if (policy_add_mount(ps->s->policy, MOUNT_RO_BIND, *m, *m) < 0)
                                return log_oom();
                        continue;
                }
                if (startswith(*m, "/sys"))
                        return unsupported("linux.readonlyPaths",
                                           "/sys is read-only already; other paths below it "
                                           "are not supported");
                /* made read-only where it is in the container's root, whatever it is there
                 * (a device node too), skipped where it is not (as runc): the host never
                 * looks it up in the rootfs, which containers write */
                if (policy_add_mount(ps->s->policy, MOUNT_RO_BIND, NULL, *m) < 0)
                        return log_oom();
        }
        return r;
}

static int parse_seccomp(struct parse *ps, json_object *sc)
{
        _cleanup_free_ char *path = NULL;
        const char *def = NULL;
        int r;

        if (!sc)
                return 0;
        ps->have_seccomp = true;
        r = get_string(sc, "defaultAction", "linux.seccomp.defaultAction", &def);
        if (r < 0)
                return r;
        if (asprintf(&path, "%s/seccomp.json", ps->state_dir) < 0)
                return log_oom();
        r = oci_write_file(path, json_object_to_json_string_ext(sc, JSON_C_TO_STRING_PLAIN));
        if (r < 0)
                return log_error_errno(r, "cannot write %s: %m", path);
        ps->s->policy->seccomp_json = TAKE_PTR(path);
        return 0;
}

/* The sysctls that belong to a container's own namespaces (uts, ipc, network); any other one
 * would change the host. */
static bool sysctl_namespaced(const char *key)
{
        static const char *const exact[] = {"kernel.hostname", "kernel.domainname",
                                            "kernel.msgmax",   "kernel.msgmnb",
                                            "kernel.msgmni",   "kernel.sem",
                                            "kernel.shmall",   "kernel.shmmax",
                                            "kernel.shmmni",   "kernel.shm_rmid_forced"};

        for (size_t i = 0; i < ELEMENTSOF(exact); i++)
                if (streq(key, exact[i]))
                        return true;
        return startswith(key, "net.") || startswith(key, "fs.mqueue.");
}

static int parse_sysctl(struct parse *ps, json_object *sysctl)
{
        char where[256];

        if (empty(sysctl))
                return 0;
        if (!json_object_is_type(sysctl, json_type_object))
                return bad_type("linux.sysctl", "an object");
        json_object_object_foreach(sysctl, key, val)
        {
                snprintf(where, sizeof(where), "linux.sysctl.%s", key);
                if (!sysctl_namespaced(key))
                        return log_error_errno(-EPERM,
                                               "config.json: %s: not a sysctl of the container's "
                                               "namespaces: it would change the host",
                                               where);
                /* a key is a path below /proc/sys: no way up, no empty part */
                if (strstr(key, "..") || strstr(key, "//") || key[strlen(key) - 1] == '.' ||
                    key[strlen(key) - 1] == '/')
                        return bad_type(where, "a sysctl name");
                if (!json_object_is_type(val, json_type_string))
                        return bad_type(where, "a string value");
                if (strv_extend(&ps->s->sysctl, key) < 0 ||
                    strv_extend(&ps->s->sysctl, json_object_get_string(val)) < 0)
                        return log_oom();
        }
        return 0;
}

/* linux.uidMappings or gidMappings into ranges (at most POLICY_MAX_RANGES). Returns the
 * number of ranges or a negative errno after logging. */
static int parse_ranges(json_object *maps, const char *where, struct id_range *ret)
{
        static const char *const known[] = {"containerID", "hostID", "size", NULL};
        size_t n;
        int r;

        if (empty(maps))
                return 0;
        if (!json_object_is_type(maps, json_type_array))
                return bad_type(where, "an array");
        n = json_object_array_length(maps);
        if (n > POLICY_MAX_RANGES)
                return unsupported(where, "at most 16 ranges");
        for (size_t i = 0; i < n; i++) {
                json_object *m = json_object_array_get_idx(maps, i);
                uint64_t inside = 0, outside = 0, size = 0;
                bool set_c, set_h, set_s;
                char at[64];

                snprintf(at, sizeof(at), "%s[%zu]", where, i);
                if (!json_object_is_type(m, json_type_object))
                        return bad_type(at, "an object");
                if ((r = check_keys(m, at, known)) < 0 ||
                    (r = get_uint(m, "containerID", at, &set_c, &inside)) < 0 ||
                    (r = get_uint(m, "hostID", at, &set_h, &outside)) < 0 ||
                    (r = get_uint(m, "size", at, &set_s, &size)) < 0)
                        return r;
                if (!set_c || !set_h || size == 0 || inside + size > 4294967295ULL ||
                    outside + size > 4294967295ULL)
                        return bad_type(at,
                                        "containerID, hostID and a size above 0 within 32 bits");
                ret[i] = (struct id_range){(uint32_t)inside, (uint32_t)outside, (uint32_t)size};
        }
        return (int)n;
}

static bool range_maps(const struct id_range *r, int n, uint32_t inside)
{
        for (int i = 0; i < n; i++)
                if (inside >= r[i].inside && inside - r[i].inside < r[i].count)
                        return true;
        return false;
}

static bool maps_host_root(const struct id_range *r, int n)
{
        for (int i = 0; i < n; i++)
                if (r[i].outside == 0)
                        return true;
        return false;
}

/* linux.uidMappings and gidMappings. The one mapping airlock makes anyway (the container's
 * user to the caller, or for root to the same unprivileged id, as "runc spec --rootless"
 * writes it) changes nothing; any other becomes the user namespace's maps, written by root
 * or through newuidmap and newgidmap for a user. The process's uid and gid are then the
 * spec's, inside; the host's root is never mapped (baseline) unless allowed. */
static int parse_mappings(struct parse *ps, json_object *lx)
{
        struct policy *p = ps->s->policy;
        struct id_range u[POLICY_MAX_RANGES], g[POLICY_MAX_RANGES];
        struct userns_ids ids;
        int nu, ng;

        nu = parse_ranges(get(lx, "uidMappings"), "linux.uidMappings", u);
        if (nu < 0)
                return nu;
        ng = parse_ranges(get(lx, "gidMappings"), "linux.gidMappings", g);
        if (ng < 0)
                return ng;
        if (nu == 0 && ng == 0)
                return 0;
        userns_choose_policy_ids(p, &ids);
        if (nu == 1 && ng == 1 && u[0].count == 1 && g[0].count == 1 &&
            u[0].inside == ids.uid_inside && u[0].outside == ids.uid_outside &&
            g[0].inside == ids.gid_inside && g[0].outside == ids.gid_outside) {
                if (geteuid() != 0 && p->n_groups > 0)
                        return unsupported("process.user.additionalGids",
                                           "with one gid mapped the user namespace has setgroups "
                                           "\"deny\": map the groups with linux.gidMappings");
                return 0;
        }
        if (nu == 0 || ng == 0)
                return unsupported(nu == 0 ? "linux.uidMappings" : "linux.gidMappings",
                                   "needed with the other one");
        if (geteuid() == 0 && (maps_host_root(u, nu) || maps_host_root(g, ng)) &&
            !ps->s->allow_privileged)
                return log_error_errno(-EPERM, "refused by the Pod Security baseline, rule "
                                               "host-namespaces: linux.uidMappings or gidMappings "
                                               "maps the host's root (annotation "
                                               "airlock.allow-privileged=true overrides)");
        if (!range_maps(u, nu, ps->s->spec_uid))
                return log_error_errno(-EINVAL,
                                       "config.json: linux.uidMappings: process.user.uid "
                                       "%u is not mapped",
                                       (unsigned)ps->s->spec_uid);
        if (!range_maps(g, ng, ps->s->spec_gid))
                return log_error_errno(-EINVAL,
                                       "config.json: linux.gidMappings: process.user.gid "
                                       "%u is not mapped",
                                       (unsigned)ps->s->spec_gid);
        for (unsigned i = 0; i < p->n_groups; i++)
                if (!range_maps(g, ng, p->groups[i]))
                        return log_error_errno(-EINVAL,
                                               "config.json: linux.gidMappings: "
                                               "process.user.additionalGids: %u is not mapped",
                                               (unsigned)p->groups[i]);
        memcpy(p->uid_ranges, u, sizeof(u[0]) * (size_t)nu);
        memcpy(p->gid_ranges, g, sizeof(g[0]) * (size_t)ng);
        p->n_uid_ranges = (unsigned)nu;
        p->n_gid_ranges = (unsigned)ng;
        oci_spec_set_user(ps->s, ps->s->spec_uid, ps->s->spec_gid);
        return 0;
}

/* The host's node at path when it is a device of the spec's type ("c", "u" or "b"), major and
 * minor, reached without a symbolic link on the way; 0 when it is, else a negative errno after
 * naming the device and what differs. */
static int check_host_device(const char *where, const char *path, const char *type,
                             unsigned major_no, unsigned minor_no)
{
        _cleanup_free_ char *real = NULL;
        _cleanup_close_ int fd = chase(path, NULL, 0, &real, NULL);
        bool want_block = streq(type, "b");
        struct stat st;

        if (fd < 0 || fstat(fd, &st) < 0)
                return log_error_errno(fd < 0 ? fd : -errno,
                                       "config.json: %s: %s: the host has no such device to "
                                       "bind (a user namespace cannot mknod): %m",
                                       where, path);
        if (!streq(real, path))
                return log_error_errno(-EPERM,
                                       "config.json: %s: %s: on the host it is a link to %s, "
                                       "not the device itself",
                                       where, path, real);
        if (want_block ? !S_ISBLK(st.st_mode) : !S_ISCHR(st.st_mode))
                return log_error_errno(-EINVAL,
                                       "config.json: %s: %s: the host's node is not a %s "
                                       "device (a user namespace cannot mknod)",
                                       where, path, want_block ? "block" : "character");
        if (major(st.st_rdev) != major_no || minor(st.st_rdev) != minor_no)
                return log_error_errno(-EINVAL,
                                       "config.json: %s: %s: the spec says %u:%u, the host's "
                                       "node is %u:%u (a user namespace cannot mknod)",
                                       where, path, major_no, minor_no, major(st.st_rdev),
                                       minor(st.st_rdev));
        return 0;
}

static int get_device_number(json_object *d, const char *key, const char *where, unsigned *ret)
{
        json_object *v = get(d, key);
        int64_t n;

        if (!v || !json_object_is_type(v, json_type_int))
                return bad_type(where, key[1] == 'a' ? "a major number" : "a minor number");
        n = json_object_get_int64(v);
        if (n < 0 || n > UINT32_MAX)
                return bad_type(where, "a device number");
        *ret = (unsigned)n;
        return 0;
}

/* linux.devices: a user namespace cannot mknod, so (as rootless runc and crun do) each device
 * is the host's node of the same path bound in, when its type, major and minor are the spec's;
 * any other is refused by name. fileMode, uid and gid stay the host node's. */
static int parse_devices(struct parse *ps, json_object *a)
{
        static const char *const known[] = {"path",     "type", "major", "minor",
                                            "fileMode", "uid",  "gid",   NULL};
        int r;

        if (!a)
                return 0;
        if (!json_object_is_type(a, json_type_array))
                return bad_type("linux.devices", "an array");
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                json_object *d = json_object_array_get_idx(a, i);
                const char *path, *type;
                unsigned major_no, minor_no;
                char where[64];

                snprintf(where, sizeof(where), "linux.devices[%zu]", i);
                if (!json_object_is_type(d, json_type_object))
                        return bad_type(where, "an object");
                if ((r = check_keys(d, where, known)) < 0 ||
                    (r = get_string(d, "path", where, &path)) < 0 ||
                    (r = get_string(d, "type", where, &type)) < 0)
                        return r;
                if (!path || path[0] != '/' || strstr(path, "/.."))
                        return bad_type(where, "an absolute path without '..'");
                if (!type || (!streq(type, "c") && !streq(type, "u") && !streq(type, "b")))
                        return unsupported(where, "only character (c, u) and block (b) devices "
                                                  "can be bound from the host");
                if ((r = get_device_number(d, "major", where, &major_no)) < 0 ||
                    (r = get_device_number(d, "minor", where, &minor_no)) < 0 ||
                    (r = check_host_device(where, path, type, major_no, minor_no)) < 0)
                        return r;
                if (get(d, "fileMode") || get(d, "uid") || get(d, "gid"))
                        log_debug("config.json: %s: %s keeps the host node's mode and owner", where,
                                  path);
                if (policy_add_mount(ps->s->policy, MOUNT_DEV_BIND, path, path) < 0)
                        return log_oom();
        }
        return 0;
}

/* linux.cgroupsPath: the container's cgroup, made there (relative to the runtime's own cgroup,
 * as runc reads a relative path, or absolute) instead of beneath airlock's own; delete removes
 * it. systemd's "slice:prefix:name" needs --systemd-cgroup, which airlock-runtime has not. */
static int parse_cgroups_path(struct policy *p, json_object *v)
{
        const char *path = json_object_get_string(v);

        if (!v)
                return 0;
        if (!json_object_is_type(v, json_type_string))
                return bad_type("linux.cgroupsPath", "a path");
        if (!*path)
                return 0;
        if (strchr(path, ':'))
                return unsupported("linux.cgroupsPath",
                                   "systemd's slice:prefix:name form needs --systemd-cgroup, "
                                   "which airlock-runtime does not support");
        for (const char *c = path; *c; c += strcspn(c, "/"), c += strspn(c, "/"))
                if ((c[0] == '.' && (c[1] == '/' || !c[1])) ||
                    (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2])))
                        return bad_type("linux.cgroupsPath", "a path without '.' or '..'");
        if (streq(path + strspn(path, "/"), ""))
                return bad_type("linux.cgroupsPath", "a cgroup below the root");
        free(p->cgroup_path);
        p->cgroup_path = strdup(path);
        return p->cgroup_path ? 0 : log_oom();
}

static int parse_linux(struct parse *ps, json_object *lx)
{
        static const char *const known[] = {"namespaces",    "uidMappings", "gidMappings",
                                            "resources",     "seccomp",     "maskedPaths",
                                            "readonlyPaths", "cgroupsPath", "rootfsPropagation",
                                            "sysctl",        "devices",     NULL};
        int r;

        if (!lx)
                return 0;
        if ((r = check_keys(lx, "linux", known)) < 0)
                return r;
        if ((r = parse_mappings(ps, lx)) < 0)
                return r;
        if ((r = parse_sysctl(ps, get(lx, "sysctl"))) < 0)
                return r;
        if ((r = parse_devices(ps, get(lx, "devices"))) < 0)
                return r;
        if ((r = parse_cgroups_path(ps->s->policy, get(lx, "cgroupsPath"))) < 0)
                return r;
        if ((r = parse_namespaces(ps, get(lx, "namespaces"))) < 0)
                return r;
        if (ps->s->ns_path[OCI_NS_USER] &&
            (!empty(get(lx, "uidMappings")) || !empty(get(lx, "gidMappings"))))
                return unsupported(!empty(get(lx, "uidMappings")) ? "linux.uidMappings"
                                                                  : "linux.gidMappings",
                                   "a user namespace joined by path has its own maps");
        if (ps->s->ns_path[OCI_NS_USER] && ps->s->policy->n_groups > 0)
                return unsupported("process.user.additionalGids",
                                   "a user namespace joined by path: its setgroups is left as "
                                   "it is");
        if (ps->s->ns_path[OCI_NS_USER])
                oci_spec_set_user(ps->s, ps->s->spec_uid, ps->s->spec_gid);
        if ((r = parse_resources(ps, get(lx, "resources"), get(lx, "devices"))) < 0 ||
            (r = parse_seccomp(ps, get(lx, "seccomp"))) < 0 ||
            (r = parse_masked(ps, get(lx, "maskedPaths"))) < 0)
                return r;
        return parse_readonly(ps, get(lx, "readonlyPaths"));
}

static int parse_annotations(struct parse *ps, json_object *a)
{
        json_object *allow = get(a, "airlock.allow-privileged");

        ps->s->annotations_json =
                strdup(a ? json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN) : "{}");
        if (!ps->s->annotations_json)
                return log_oom();
        if (a && !json_object_is_type(a, json_type_object))
                return bad_type("annotations", "an object");
        ps->s->allow_privileged = allow && json_object_is_type(allow, json_type_string) &&
                                  streq(json_object_get_string(allow), "true");
        return 0;
}

/* Pod Security Standards, "baseline", judged before anything else is parsed: a privileged
 * spec is refused for being privileged, not for the first field airlock does not support. The
 * rules are podsec_check()'s, shared with "airlock inspect --spec"; the runtime refuses those
 * that make a container privileged-equivalent (podsec_refused_by_runtime()). */
static int baseline_scan(struct parse *ps, json_object *spec)
{
        struct podsec_report report = {};
        const struct podsec_violation *v = NULL;
        int r;

        r = podsec_check(spec, ps->s->bundle, &report);
        if (r < 0) {
                podsec_report_done(&report);
                return log_oom();
        }
        for (size_t i = 0; i < report.n && !v; i++)
                if (podsec_refused_by_runtime(&report.violations[i]))
                        v = &report.violations[i];
        if (v && ps->s->allow_privileged)
                log_warning("the spec is privileged-equivalent (baseline rule %s: %s: %s); "
                            "running it because of airlock.allow-privileged=true",
                            v->rule, v->field, v->why);
        else if (v)
                r = log_error_errno(-EPERM,
                                    "refused by the Pod Security baseline, rule %s: %s (%s; "
                                    "annotation airlock.allow-privileged=true overrides)",
                                    v->rule, v->why, v->field);
        podsec_report_done(&report);
        return r;
}

/* What the launcher cannot do even when the baseline allows it. */
static int check_launcher(struct parse *ps)
{
        struct policy *p = ps->s->policy;

        if (!ps->ns_pid || !ps->ns_ipc || !ps->ns_uts || !ps->ns_mount)
                return unsupported("linux.namespaces",
                                   "airlock always makes new pid, ipc, uts and mount namespaces");
        if (!ps->ns_net) {
                for (char **k = ps->s->sysctl; k && *k; k += 2)
                        if (startswith(*k, "net.")) {
                                char where[256];

                                snprintf(where, sizeof(where), "linux.sysctl.%s", *k);
                                return log_error_errno(-EPERM,
                                                       "config.json: %s: the container shares "
                                                       "the host's network namespace",
                                                       where);
                        }
                p->net = NET_HOST;
        }
        return 0;
}

/* ociVersion: a version 1.x.y of the specification (SemVer: "1.0.2-dev" as runc writes it);
 * another is a configuration this runtime cannot read. runc accepts a spec without one. */
static int check_oci_version(json_object *spec)
{
        json_object *o = get(spec, "ociVersion");
        const char *v = json_object_get_string(o);
        unsigned major, minor, patch;
        int n = 0;

        if (!o)
                return 0;
        if (!json_object_is_type(o, json_type_string))
                return bad_type("ociVersion", "the version of the specification, as a string");
        if (!isdigit((unsigned char)v[0]) ||
            sscanf(v, "%u.%u.%u%n", &major, &minor, &patch, &n) != 3 || major != 1 ||
            (v[n] && v[n] != '-' && v[n] != '+'))
                return unsupported("ociVersion", "not a version 1.x.y of the specification");
        return 0;
}

static int parse_spec(struct parse *ps, json_object *spec)
{
        static const char *const known[] = {"ociVersion", "root",        "mounts", "process",
                                            "hostname",   "annotations", "linux",  "hooks",
                                            "domainname", NULL};
        struct policy *p = ps->s->policy;
        const char *hostname;
        int r;

        if (!json_object_is_type(spec, json_type_object))
                return bad_type("", "an object");
        ps->rootless_maps = geteuid() != 0 && !empty(get(get(spec, "linux"), "uidMappings")) &&
                            !empty(get(get(spec, "linux"), "gidMappings"));
        if ((r = parse_annotations(ps, get(spec, "annotations"))) < 0 ||
            (r = baseline_scan(ps, spec)) < 0 || (r = check_oci_version(spec)) < 0 ||
            (r = check_keys(spec, "", known)) < 0)
                return r;
        if ((r = oci_hooks_check(get(spec, "hooks"))) < 0)
                return r;
        if (!empty(get(spec, "hooks")) &&
            !(ps->s->hooks_json = strdup(
                      json_object_to_json_string_ext(get(spec, "hooks"), JSON_C_TO_STRING_PLAIN))))
                return log_oom();
        if (get(spec, "domainname") && *json_object_get_string(get(spec, "domainname")))
                return unsupported("domainname", "not supported yet");
        if ((r = get_string(spec, "hostname", "hostname", &hostname)) < 0 ||
            (r = parse_root(ps, get(spec, "root"), spec)) < 0 ||
            (r = parse_process(ps, get(spec, "process"))) < 0 ||
            (r = parse_mounts(ps, get(spec, "mounts"))) < 0 ||
            (r = parse_linux(ps, get(spec, "linux"))) < 0)
                return r;
        if (hostname && *hostname && ps->s->ns_path[OCI_NS_UTS])
                return log_error_errno(-EINVAL, "config.json: hostname: cannot be set in a uts "
                                                "namespace joined by path");
        if (hostname && *hostname && !(p->hostname = strdup(hostname)))
                return log_oom();
        if (p->mount_mqueue && ps->s->ns_path[OCI_NS_IPC]) {
                /* mqueue belongs to an ipc namespace that the container's user namespace
                 * owns; one joined by path is another's */
                log_notice("config.json: /dev/mqueue: not mounted: the ipc namespace is "
                           "joined by path");
                p->mount_mqueue = false;
        }
        return check_launcher(ps);
}

int oci_spec_load(const char *bundle, const char *state_dir, struct oci_spec **ret)
{
        _cleanup_(oci_spec_freep) struct oci_spec *s = calloc(1, sizeof(*s));
        _cleanup_free_ char *path = NULL, *text = NULL;
        struct parse ps = {.s = s, .state_dir = state_dir};
        json_object *spec;
        int r;

        if (s)
                s->umask = -1;
        if (!s || !(s->bundle = realpath(bundle, NULL)))
                return log_error_errno(s ? -errno : -ENOMEM, "bundle %s: %m", bundle);
        if (asprintf(&path, "%s/config.json", s->bundle) < 0)
                return log_oom();
        r = read_full_file(path, &text, NULL, 4u << 20);
        if (r < 0)
                return log_error_errno(r, "cannot read %s: %m", path);
        spec = json_tokener_parse(text);
        if (!spec)
                return log_error_errno(-EINVAL, "%s: not valid JSON", path);
        r = policy_new(&s->policy);
        if (r >= 0) {
                s->policy->mount_defaults = false;
                s->policy->container_caps = true;
                s->policy->home = strdup(HOME_INSIDE);
                r = s->policy->home ? parse_spec(&ps, spec) : log_oom();
        }
        json_object_put(spec);
        free(ps.caps_added);
        if (r < 0)
                return r;
        r = policy_validate(s->policy);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}

int oci_spec_load_process(struct oci_spec *s, const char *path)
{
        _cleanup_free_ char *text = NULL;
        struct parse ps = {.s = s};
        struct policy *p = s->policy;
        uint64_t bounding = p->caps.bounding;
        json_object *proc;
        int r;

        r = read_full_file(path, &text, NULL, 4u << 20);
        if (r < 0)
                return log_error_errno(r, "cannot read %s: %m", path);
        proc = json_tokener_parse(text);
        if (!proc)
                return log_error_errno(-EINVAL, "%s: not valid JSON", path);
        strv_free(p->argv);
        strv_free(p->env);
        free(p->chdir);
        p->argv = p->env = NULL;
        p->chdir = NULL;
        s->console_width = s->console_height = 0;
        r = parse_process(&ps, proc);
        json_object_put(proc);
        if (r >= 0 && ps.caps_added && !s->allow_privileged)
                r = log_error_errno(-EPERM,
                                    "refused by the Pod Security baseline, rule capabilities: "
                                    "%s is beyond the baseline's capabilities (annotation "
                                    "airlock.allow-privileged=true overrides)",
                                    ps.caps_added);
        /* no more than the container's own first process may have */
        p->caps.bounding &= bounding;
        p->caps.effective &= bounding;
        p->caps.permitted &= bounding;
        p->caps.inheritable &= bounding;
        p->caps.ambient &= bounding;
        free(ps.caps_added);
        return r;
}

/* Whether the namespace of fd belongs to the user namespace of user_fd. */
static bool ns_owned_by(int fd, int user_fd)
{
        _cleanup_close_ int owner = user_fd >= 0 ? ioctl(fd, NS_GET_USERNS) : -1;
        struct stat a, b;

        return owner >= 0 && fstat(owner, &a) == 0 && fstat(user_fd, &b) == 0 &&
               a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Whether a line "INSIDE OUTSIDE COUNT" of the map text maps outside id 0. */
static bool map_text_maps_root(const char *text)
{
        unsigned long inside, outside, count;
        int n;

        for (const char *l = text; sscanf(l, "%lu %lu %lu%n", &inside, &outside, &count, &n) == 3;
             l += n)
                if (outside == 0 && count > 0)
                        return true;
        return false;
}

/* Whether the user namespace of fd maps the host's root (uid or gid 0): its maps, read from
 * here (in this process's terms) through a child that joined it. */
static bool userns_maps_host_root(int fd)
{
        _cleanup_free_ char *uids = NULL, *gids = NULL;
        char path[64], byte;
        int sync[2];
        bool root = false;
        pid_t pid;

        if (pipe2(sync, O_CLOEXEC) < 0)
                return false;
        pid = fork();
        if (pid == 0) {
                close(sync[0]);
                if (setns(fd, CLONE_NEWUSER) == 0 && write(sync[1], "1", 1) == 1)
                        pause();
                _exit(1);
        }
        close(sync[1]);
        if (pid > 0 && read(sync[0], &byte, 1) == 1) {
                snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
                root = read_full_file(path, &uids, NULL, 1 << 16) >= 0 && map_text_maps_root(uids);
                snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
                root |= read_full_file(path, &gids, NULL, 1 << 16) >= 0 && map_text_maps_root(gids);
        }
        close(sync[0]);
        if (pid > 0) {
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
        }
        return root;
}

/* A pid or mount namespace joined must be the container's user namespace's: /proc is mounted
 * for a pid namespace, and anything in a mount namespace, only from the user namespace that
 * owns it, and the container's is a new one unless the spec joins one. */
static int check_owners(const int *fds, char *const *paths)
{
        for (int i = OCI_NS_PID; i <= OCI_NS_MOUNT; i++)
                if (fds[i] >= 0 && !ns_owned_by(fds[i], fds[OCI_NS_USER]))
                        return log_error_errno(-EPERM,
                                               "config.json: linux.namespaces: the %s namespace "
                                               "%s does not belong to %s: join the user "
                                               "namespace that owns it too (airlock sets a %s "
                                               "namespace up only from its owner)",
                                               namespaces[i].type, paths[i],
                                               fds[OCI_NS_USER] >= 0
                                                       ? "the user namespace joined by path"
                                                       : "the container's user namespace, which "
                                                         "is a new one",
                                               namespaces[i].type);
        return 0;
}

int oci_spec_join_namespaces(const struct oci_spec *s)
{
        /* in enum oci_ns's order, the order the kernel needs (spec.h); the mount namespace is
         * joined by the init, which builds the root in it */
        char *const *paths = s->ns_path;
        struct policy *p = s->policy;
        int fds[OCI_NS_MAX], r = 0;

        for (int i = 0; i < OCI_NS_MAX; i++)
                fds[i] = -1;
        for (int i = 0; r >= 0 && i < OCI_NS_MAX; i++)
                if (paths[i] && (fds[i] = open(paths[i], O_RDONLY | O_CLOEXEC)) < 0)
                        r = log_error_errno(-errno,
                                            "config.json: linux.namespaces: cannot open the %s "
                                            "namespace %s: %m",
                                            namespaces[i].type, paths[i]);
        if (r >= 0)
                r = check_owners(fds, paths);
        if (r >= 0 && fds[OCI_NS_USER] >= 0 && geteuid() == 0 && !s->allow_privileged &&
            userns_maps_host_root(fds[OCI_NS_USER]))
                r = log_error_errno(-EPERM,
                                    "refused by the Pod Security baseline, rule "
                                    "host-namespaces: the user namespace %s maps the "
                                    "host's root (annotation airlock.allow-privileged=true "
                                    "overrides)",
                                    paths[OCI_NS_USER]);
        for (int i = 0; r >= 0 && i < OCI_NS_MOUNT; i++)
                if (fds[i] >= 0 && setns(fds[i], namespaces[i].flag) < 0)
                        r = log_error_errno(-errno,
                                            "config.json: linux.namespaces: cannot join the %s "
                                            "namespace %s: %m",
                                            namespaces[i].type, paths[i]);
        if (r >= 0) {
                /* the launcher makes none of these: it keeps the ones joined */
                p->keep_user_ns |= fds[OCI_NS_USER] >= 0;
                if (fds[OCI_NS_NET] >= 0)
                        p->net = NET_HOST;
                p->keep_ipc_ns |= fds[OCI_NS_IPC] >= 0;
                p->keep_uts_ns |= fds[OCI_NS_UTS] >= 0;
                p->keep_cgroup_ns |= fds[OCI_NS_CGROUP] >= 0;
                p->keep_pid_ns |= fds[OCI_NS_PID] >= 0;
                if (fds[OCI_NS_MOUNT] >= 0) {
                        p->join_mount_ns = true;
                        p->mount_ns_fd = TAKE_FD(fds[OCI_NS_MOUNT]);
                }
        }
        for (int i = 0; i < OCI_NS_MAX; i++)
                safe_close(fds[i]);
        return r;
}

int oci_spec_save_hooks(const struct oci_spec *s, const char *state_dir)
{
        _cleanup_strv_free_ char **untrusted = NULL;
        const struct policy *p = s->policy;
        struct userns_ids ids;
        json_object *hooks;
        int r = 0;

        if (!s->hooks_json)
                return 0;
        /* what the container can write: its rootfs and every writable bind */
        for (size_t i = 0; r >= 0 && i <= p->n_mounts; i++) {
                const char *src = i == p->n_mounts ? s->rootfs : p->mounts[i].src;
                _cleanup_free_ char *canon = NULL;

                if (i < p->n_mounts && p->mounts[i].kind != MOUNT_BIND)
                        continue;
                canon = realpath(src, NULL);
                if (canon && !strv_contains(untrusted, canon))
                        r = strv_extend(&untrusted, canon);
        }
        if (r < 0)
                return log_oom();
        userns_choose_policy_ids(p, &ids);
        hooks = json_tokener_parse(s->hooks_json);
        if (!hooks)
                return log_oom();
        r = oci_hooks_save(state_dir, hooks, untrusted, ids.uid_inside, ids.gid_inside);
        json_object_put(hooks);
        return r;
}

int oci_spec_apply_oom_score_adj(const struct oci_spec *s)
{
        char text[16];
        int r;

        if (!s->oom_score_adj_set)
                return 0;
        snprintf(text, sizeof(text), "%d", s->oom_score_adj);
        r = write_string_file("/proc/self/oom_score_adj", text);
        if (r < 0)
                return log_error_errno(r, "config.json: process.oomScoreAdj: cannot set %d: %m",
                                       s->oom_score_adj);
        return 0;
}

/* In the helper, joined: one key. kernel.hostname and kernel.domainname through their system
 * calls (their /proc/sys files check for the host's root, not the namespace's); the others
 * through /proc/sys, which shows the files of the caller's namespaces. */
static int write_sysctl(const char *key, const char *value)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -1;
        size_t n = strlen(value);

        if (streq(key, "kernel.hostname"))
                return sethostname(value, n) < 0 ? -errno : 0;
        if (streq(key, "kernel.domainname"))
                return setdomainname(value, n) < 0 ? -errno : 0;
        if (asprintf(&path, "/proc/sys/%s", key) < 0)
                return -ENOMEM;
        /* dots separate the levels unless the key uses slashes (an interface "eth0.100") */
        if (!strchr(key, '/'))
                for (char *c = path + strlen("/proc/sys/"); *c; c++)
                        if (*c == '.')
                                *c = '/';
        fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (write(fd, value, n) != (ssize_t)n)
                return errno ? -errno : -EIO;
        return 0;
}

static int join_for_sysctl(pid_t init, bool user_joined)
{
        /* a user namespace joined by path is the runtime's already: not joined again */
        const int flags =
                (user_joined ? 0 : CLONE_NEWUSER) | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
        _cleanup_close_ int fd = (int)syscall(SYS_pidfd_open, init, 0);
        _cleanup_close_ int prog = -1;

        if (fd < 0 || setns(fd, flags) < 0) {
                /* init is not dumpable: a caller without CAP_SYS_PTRACE joins through the
                 * program, which waits at the start gate with the same namespaces */
                prog = oci_program_pidfd(init);
                if (prog < 0 || setns(prog, flags) < 0)
                        return -errno;
        }
        /* The namespaces' sysctl files belong to the root of the container's user namespace,
         * which root's uid 0 outside is not: write them as it, where it is mapped (the
         * capabilities setns() gave stay, since this uid 0 is not the namespace's). */
        if (!user_joined) {
                if (setresgid(0, 0, 0) < 0 && errno != EINVAL)
                        return -errno;
                if (setresuid(0, 0, 0) < 0 && errno != EINVAL)
                        return -errno;
        }
        return 0;
}

int oci_spec_apply_sysctl(const struct oci_spec *s, pid_t init)
{
        int err[2], status = 0;
        pid_t pid;

        if (!s->sysctl)
                return 0;
        if (pipe2(err, O_CLOEXEC) < 0)
                return log_error_errno(-errno, "cannot make a pipe: %m");
        pid = fork();
        if (pid < 0) {
                close(err[0]);
                close(err[1]);
                return log_error_errno(-errno, "cannot fork: %m");
        }
        if (pid == 0) {
                /* the failing key's index and errno, for the parent to name */
                int msg[2] = {-1, 0};

                close(err[0]);
                msg[1] = join_for_sysctl(init, s->policy->keep_user_ns);
                for (int i = 0; msg[1] == 0 && s->sysctl[i]; i += 2)
                        if ((msg[1] = write_sysctl(s->sysctl[i], s->sysctl[i + 1])) < 0)
                                msg[0] = i;
                if (msg[1] < 0)
                        (void)!write(err[1], msg, sizeof(msg));
                _exit(msg[1] < 0 ? 1 : 0);
        }
        close(err[1]);
        {
                int msg[2];
                ssize_t n = read(err[0], msg, sizeof(msg));

                close(err[0]);
                while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                        ;
                if (n == (ssize_t)sizeof(msg) && msg[0] < 0)
                        return log_error_errno(msg[1], "config.json: linux.sysctl: cannot join the "
                                                       "container's namespaces: %m");
                if (n == (ssize_t)sizeof(msg))
                        return log_error_errno(msg[1],
                                               "config.json: linux.sysctl.%s: cannot set %s: %m",
                                               s->sysctl[msg[0]], s->sysctl[msg[0] + 1]);
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return log_error_errno(-EIO, "config.json: linux.sysctl: the helper failed");
        return 0;
}

void oci_spec_free(struct oci_spec *s)
{
        if (!s)
                return;
        if (s->policy && s->policy->join_mount_ns)
                safe_close(s->policy->mount_ns_fd);
        policy_free(s->policy);
        free(s->bundle);
        free(s->rootfs);
        free(s->annotations_json);
        for (int i = 0; i < OCI_NS_MAX; i++)
                free(s->ns_path[i]);
        free(s->hooks_json);
        strv_free(s->sysctl);
        free(s);
}

const char *oci_spec_default(bool rootless)
{
        (void)rootless; /* airlock makes the same user namespace either way */
        return "{\n"
               "  \"ociVersion\": \"1.0.2\",\n"
               "  \"process\": {\n"
               "    \"terminal\": false,\n"
               "    \"user\": {\"uid\": 0, \"gid\": 0},\n"
               "    \"args\": [\"sh\"],\n"
               "    \"env\": "
               "[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
               "            \"TERM=xterm\"],\n"
               "    \"cwd\": \"/\",\n"
               "    \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}],\n"
               "    \"noNewPrivileges\": true\n"
               "  },\n"
               "  \"root\": {\"path\": \"rootfs\", \"readonly\": true},\n"
               "  \"hostname\": \"airlock\",\n"
               "  \"mounts\": [\n"
               "    {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},\n"
               "    {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
               "     \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},\n"
               "    {\"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": "
               "\"devpts\"},\n"
               "    {\"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\"},\n"
               "    {\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\",\n"
               "     \"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]}\n"
               "  ],\n"
               "  \"linux\": {\n"
               "    \"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]},\n"
               "    \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\"}, {\"type\": "
               "\"ipc\"},\n"
               "                   {\"type\": \"uts\"}, {\"type\": \"mount\"}, {\"type\": "
               "\"cgroup\"}],\n"
               "    \"maskedPaths\": [\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", "
               "\"/proc/keys\",\n"
               "                    \"/proc/latency_stats\", \"/proc/timer_list\", "
               "\"/proc/timer_stats\",\n"
               "                    \"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"],\n"
               "    \"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", "
               "\"/proc/sys\",\n"
               "                      \"/proc/sysrq-trigger\"]\n"
               "  }\n"
               "}\n";
}
