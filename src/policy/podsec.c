/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Pod Security Standards over an OCI config.json: what makes a container
 * privileged-equivalent (baseline) and what a hardened one must have (restricted).
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ maps each control onto
 * pod fields; here each is mapped onto the spec the engine hands the runtime, and
 * docs/kubernetes.md says where the two differ and why. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "basic/capability.h"
#include "basic/chase.h"
#include "basic/macro.h"
#include "podsec.h"

static json_object *get(json_object *o, const char *key)
{
        json_object *v = NULL;

        return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *get_str(json_object *o, const char *key)
{
        json_object *v = get(o, key);

        return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static size_t array_len(json_object *a)
{
        return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
        for (size_t i = 0; s && i < n; i++)
                if (streq(s, list[i]))
                        return true;
        return false;
}

static int add(struct podsec_report *r, enum podsec_level level, const char *rule,
               const char *field, const char *value, const char *fmt, ...) _printf_(6, 7);
static int add(struct podsec_report *r, enum podsec_level level, const char *rule,
               const char *field, const char *value, const char *fmt, ...)
{
        struct podsec_violation *v;
        va_list ap;
        int k;

        v = reallocarray(r->violations, r->n + 1, sizeof(*v));
        if (!v)
                return -ENOMEM;
        r->violations = v;
        v = &v[r->n];
        *v = (struct podsec_violation){.level = level, .rule = rule};
        va_start(ap, fmt);
        k = vasprintf(&v->why, fmt, ap);
        va_end(ap);
        if (k < 0)
                v->why = NULL;
        v->field = strdup(field);
        v->value = strdup(value);
        r->n++; /* counted even when short of memory, so that podsec_report_done() frees it */
        return v->why && v->field && v->value ? 0 : -ENOMEM;
}

bool podsec_baseline_capability(const char *cap)
{
        static const char *const allowed[] = {
                "CAP_AUDIT_WRITE", "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FOWNER",
                "CAP_FSETID",      "CAP_KILL",   "CAP_MKNOD",        "CAP_NET_BIND_SERVICE",
                "CAP_SETFCAP",     "CAP_SETGID", "CAP_SETPCAP",      "CAP_SETUID",
                "CAP_SYS_CHROOT"};

        return in_list(cap, allowed, ELEMENTSOF(allowed));
}

/* process.capabilities, set by set: beyond the baseline's list (a name no kernel has grants
 * nothing and is left to the runtime to refuse), or beyond restricted's one capability. */
static int check_capabilities(json_object *spec, struct podsec_report *r)
{
        static const char *const sets[] = {"bounding", "effective", "inheritable", "permitted",
                                           "ambient"};
        json_object *caps = get(get(spec, "process"), "capabilities");
        int k;

        for (size_t s = 0; s < ELEMENTSOF(sets); s++) {
                json_object *list = get(caps, sets[s]);
                char field[64];

                snprintf(field, sizeof(field), "process.capabilities.%s", sets[s]);
                for (size_t i = 0; i < array_len(list); i++) {
                        const char *c = json_object_get_string(json_object_array_get_idx(list, i));

                        if (!c || capability_from_name(c) < 0 || streq(c, "CAP_NET_BIND_SERVICE"))
                                continue;
                        if (!podsec_baseline_capability(c))
                                k = add(r, PODSEC_BASELINE, "capabilities", field, c,
                                        "%s is beyond the baseline's capabilities", c);
                        else
                                k = add(r, PODSEC_RESTRICTED, "capabilities", field, c,
                                        "%s is beyond restricted's capabilities (only "
                                        "CAP_NET_BIND_SERVICE)",
                                        c);
                        if (k < 0)
                                return k;
                }
        }
        return 0;
}

bool podsec_ns_is_hosts(const char *path, const char *kind)
{
        char host[64];
        struct stat st, h;

        if (!path || !kind || stat(path, &st) < 0)
                return false;
        for (int i = 0; i < 2; i++) {
                snprintf(host, sizeof(host), "/proc/%s/ns/%s", i ? "self" : "1", kind);
                if (stat(host, &h) == 0 && h.st_dev == st.st_dev && h.st_ino == st.st_ino)
                        return true;
        }
        return false;
}

/* The name in /proc/PID/ns of a linux.namespaces type ("network" → "net"), or NULL. */
static const char *ns_kind(const char *type)
{
        static const char *const names[][2] = {
                {"user", "user"},     {"network", "net"}, {"ipc", "ipc"},   {"uts", "uts"},
                {"cgroup", "cgroup"}, {"pid", "pid"},     {"mount", "mnt"}, {"time", "time"}};

        for (size_t i = 0; type && i < ELEMENTSOF(names); i++)
                if (streq(type, names[i][0]))
                        return names[i][1];
        return NULL;
}

/* linux.namespaces: each of pid, ipc, network, uts and mount must be the container's own; one
 * missing, or any joined by a path that is the host's, shares the host's. */
static int check_namespaces(json_object *spec, struct podsec_report *r)
{
        static const char *const own[] = {"pid", "ipc", "network", "uts", "mount"};
        json_object *ns = get(get(spec, "linux"), "namespaces");
        bool present[ELEMENTSOF(own)] = {}, joined_host[ELEMENTSOF(own)] = {};
        int k;

        for (size_t i = 0; i < array_len(ns); i++) {
                json_object *e = json_object_array_get_idx(ns, i);
                const char *t = get_str(e, "type"), *path = get_str(e, "path");
                bool host = path && *path && podsec_ns_is_hosts(path, ns_kind(t));

                for (size_t j = 0; t && j < ELEMENTSOF(own); j++)
                        if (streq(t, own[j])) {
                                present[j] |= !host;
                                joined_host[j] |= host;
                        }
                if (host) {
                        char field[64];

                        snprintf(field, sizeof(field), "linux.namespaces[%zu].path", i);
                        k = add(r, PODSEC_BASELINE, "host-namespaces", field, path,
                                "linux.namespaces joins the host's %s namespace", t);
                        if (k < 0)
                                return k;
                }
        }
        for (size_t j = 0; j < ELEMENTSOF(own); j++)
                if (!present[j] && !joined_host[j]) {
                        k = add(r, PODSEC_BASELINE, "host-namespaces", "linux.namespaces", own[j],
                                "linux.namespaces lacks %s: the host's would be shared", own[j]);
                        if (k < 0)
                                return k;
                }
        return 0;
}

/* path (absolute) with ".", ".." and repeated slashes taken out, never above "/": what the
 * path names when no component is a symbolic link. Returns NULL when out of memory. */
static char *path_lexical(const char *path)
{
        char *out = malloc(strlen(path) + 2);
        size_t n = 0;

        if (!out)
                return NULL;
        for (const char *p = path; *p;) {
                size_t len = strcspn(p, "/");

                if ((len == 1 && p[0] == '.') || len == 0) {
                        /* nothing */
                } else if (len == 2 && p[0] == '.' && p[1] == '.') {
                        while (n > 0 && out[n - 1] != '/')
                                n--;
                        if (n > 0)
                                n--; /* the slash before it */
                } else {
                        out[n++] = '/';
                        memcpy(out + n, p, len);
                        n += len;
                }
                p += len;
                p += *p == '/';
        }
        if (n == 0)
                out[n++] = '/';
        out[n] = 0;
        return out;
}

/* The host paths a container must not have bound: the root, every path of the host's /proc
 * and /sys (its processes' roots, its sysctls, its cgroups), and the container engines' API
 * sockets with the folders that hold them. */
static bool host_path_forbidden(const char *path)
{
        static const char *const trees[] = {"/proc", "/sys"};
        static const char *const sockets[] = {"/var/run/docker.sock",
                                              "/run/docker.sock",
                                              "/run/containerd/containerd.sock",
                                              "/var/run/containerd/containerd.sock",
                                              "/run/podman/podman.sock",
                                              "/var/run/podman/podman.sock",
                                              "/run/crio/crio.sock",
                                              "/var/run/crio/crio.sock"};

        if (streq(path, "/"))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(trees); i++)
                if (path_in_folder(path, trees[i]))
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(sockets); i++)
                if (path_in_folder(sockets[i], path))
                        return true;
        return false;
}

/* The host path a bind's source names, as the runtime mounts it: a relative source against
 * the bundle folder (runc's rule, and airlock-runtime's), then links followed as the launcher
 * resolves it (chase()), where the path exists; and lexically, for where it does not yet.
 * Sets *ret to the forbidden one of the two, or NULL. Returns 0 or -ENOMEM. */
static int bind_source_forbidden(const char *base, const char *src, char **ret)
{
        _cleanup_free_ char *abs = NULL, *lexical = NULL, *real = NULL;
        int fd;

        *ret = NULL;
        if (src[0] == '/')
                abs = strdup(src);
        else if (asprintf(&abs, "%s/%s", base ?: ".", src) < 0)
                abs = NULL;
        if (!abs || !(lexical = path_lexical(abs)))
                return -ENOMEM;
        fd = chase(abs, NULL, 0, &real, NULL);
        if (fd >= 0)
                close(fd);
        else if (fd == -ENOMEM)
                return fd;
        if (real && host_path_forbidden(real))
                *ret = TAKE_PTR(real);
        else if (host_path_forbidden(lexical))
                *ret = TAKE_PTR(lexical);
        return 0;
}

static bool has_option(json_object *opts, const char *name)
{
        for (size_t i = 0; i < array_len(opts); i++)
                if (streq_ptr(json_object_get_string(json_object_array_get_idx(opts, i)), name))
                        return true;
        return false;
}

/* A bind mount, as runc and airlock-runtime read it: type "bind", type "none" (airlock-runtime
 * binds it), or the option bind or rbind with any type. */
static bool mount_is_bind(json_object *m)
{
        const char *type = get_str(m, "type");
        json_object *opts = get(m, "options");

        return (type && (streq(type, "bind") || streq(type, "none"))) || has_option(opts, "bind") ||
               has_option(opts, "rbind");
}

/* mounts: a bind of a forbidden host path (baseline); restricted allows the files the engine
 * writes for the container's name service and file systems that show nothing of the host's. */
static int check_mounts(json_object *spec, const char *base, struct podsec_report *r)
{
        static const char *const engine_files[] = {"/etc/hosts", "/etc/resolv.conf",
                                                   "/etc/hostname"};
        static const char *const own_fs[] = {"tmpfs",  "proc",   "sysfs",  "mqueue",
                                             "devpts", "cgroup", "cgroup2"};
        json_object *mounts = get(spec, "mounts");
        int k = 0;

        for (size_t i = 0; i < array_len(mounts) && k >= 0; i++) {
                json_object *m = json_object_array_get_idx(mounts, i);
                const char *src = get_str(m, "source"), *dst = get_str(m, "destination");
                const char *type = get_str(m, "type");
                _cleanup_free_ char *forbidden = NULL;
                char field[64];

                if (mount_is_bind(m)) {
                        snprintf(field, sizeof(field), "mounts[%zu].source", i);
                        if (!src || !*src)
                                continue;
                        k = bind_source_forbidden(base, src, &forbidden);
                        if (k >= 0 && forbidden)
                                k = add(r, PODSEC_BASELINE, "host-path", field, src,
                                        "mounts bind the host's %s", forbidden);
                        else if (k >= 0 && !in_list(dst, engine_files, ELEMENTSOF(engine_files)))
                                k = add(r, PODSEC_RESTRICTED, "volume-types", field, src,
                                        "a bind of the host's %s at %s (restricted binds only "
                                        "/etc/hosts, /etc/resolv.conf and /etc/hostname)",
                                        src, dst ?: "(no destination)");
                        continue;
                }
                if (in_list(type, own_fs, ELEMENTSOF(own_fs)))
                        continue;
                snprintf(field, sizeof(field), "mounts[%zu].type", i);
                k = add(r, PODSEC_RESTRICTED, "volume-types", field, type ?: "(none)",
                        "a %s file system at %s (restricted allows tmpfs, proc, sysfs, mqueue, "
                        "devpts and cgroup)",
                        type ?: "(typeless)", dst ?: "(no destination)");
        }
        return k;
}

static bool action_allows(const char *action)
{
        return action && (streq(action, "SCMP_ACT_ALLOW") || streq(action, "SCMP_ACT_LOG"));
}

/* linux.seccomp: baseline forbids an explicit "Unconfined" profile (one that allows every
 * system call); restricted wants one whose default denies (RuntimeDefault or Localhost). */
static int check_seccomp(json_object *spec, struct podsec_report *r)
{
        json_object *sc = get(get(spec, "linux"), "seccomp"), *calls = get(sc, "syscalls");
        const char *def = get_str(sc, "defaultAction");
        bool denies = false;

        if (!sc)
                return add(r, PODSEC_RESTRICTED, "seccomp", "linux.seccomp", "(none)",
                           "no seccomp profile (restricted needs RuntimeDefault or Localhost)");
        if (!action_allows(def))
                return 0;
        for (size_t i = 0; i < array_len(calls) && !denies; i++)
                denies = !action_allows(get_str(json_object_array_get_idx(calls, i), "action"));
        if (!denies)
                return add(r, PODSEC_BASELINE, "seccomp", "linux.seccomp.defaultAction", def,
                           "linux.seccomp is unconfined (allow everything)");
        return add(r, PODSEC_RESTRICTED, "seccomp", "linux.seccomp.defaultAction", def,
                   "linux.seccomp allows every system call it does not name (not "
                   "RuntimeDefault)");
}

/* procMount "Unmasked": the engine masks nothing of /proc. */
static int check_proc_mount(json_object *spec, struct podsec_report *r)
{
        if (array_len(get(get(spec, "linux"), "maskedPaths")) > 0)
                return 0;
        return add(r, PODSEC_BASELINE, "proc-mount", "linux.maskedPaths", "[]",
                   "linux.maskedPaths is empty: the host's /proc is unmasked (procMount "
                   "Unmasked)");
}

/* linux.sysctl: Kubernetes's safe set only (namespaced and isolated from other pods). */
static int check_sysctls(json_object *spec, struct podsec_report *r)
{
        static const char *const safe[] = {"kernel.shm_rmid_forced",
                                           "net.ipv4.ip_local_port_range",
                                           "net.ipv4.ip_unprivileged_port_start",
                                           "net.ipv4.tcp_syncookies",
                                           "net.ipv4.ping_group_range",
                                           "net.ipv4.ip_local_reserved_ports",
                                           "net.ipv4.tcp_keepalive_time",
                                           "net.ipv4.tcp_fin_timeout",
                                           "net.ipv4.tcp_keepalive_intvl",
                                           "net.ipv4.tcp_keepalive_probes",
                                           "net.ipv4.tcp_rmem",
                                           "net.ipv4.tcp_wmem"};
        json_object *sysctl = get(get(spec, "linux"), "sysctl");
        char field[320];
        int k;

        if (!json_object_is_type(sysctl, json_type_object))
                return 0;
        json_object_object_foreach(sysctl, key, val)
        {
                if (in_list(key, safe, ELEMENTSOF(safe)))
                        continue;
                snprintf(field, sizeof(field), "linux.sysctl.%s", key);
                k = add(r, PODSEC_BASELINE, "sysctls", field, json_object_get_string(val) ?: "",
                        "%s is not one of the safe sysctls", key);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* process.apparmorProfile "unconfined"; process.selinuxLabel with a type other than the
 * container types (the user and role an engine always writes in the label are not judged). */
static int check_lsm(json_object *spec, struct podsec_report *r)
{
        static const char *const types[] = {"container_t", "container_init_t", "container_kvm_t",
                                            "container_engine_t"};
        json_object *proc = get(spec, "process");
        const char *aa = get_str(proc, "apparmorProfile"), *label = get_str(proc, "selinuxLabel");
        int k = 0;

        if (aa && streq(aa, "unconfined"))
                k = add(r, PODSEC_BASELINE, "apparmor", "process.apparmorProfile", aa,
                        "AppArmor is unconfined");
        if (k >= 0 && label && *label) {
                const char *t = strchr(label, ':');
                _cleanup_free_ char *type = NULL;

                t = t ? strchr(t + 1, ':') : NULL;
                type = t ? strndup(t + 1, strcspn(t + 1, ":")) : strdup("");
                if (!type)
                        return -ENOMEM;
                if (!in_list(type, types, ELEMENTSOF(types)))
                        k = add(r, PODSEC_BASELINE, "selinux", "process.selinuxLabel", label,
                                "SELinux type %s is not a container type", *type ? type : "(none)");
        }
        return k;
}

/* Restricted: a user other than root, and no way to gain privileges. */
static int check_identity(json_object *spec, struct podsec_report *r)
{
        json_object *proc = get(spec, "process"), *uid = get(get(proc, "user"), "uid");
        json_object *nnp = get(proc, "noNewPrivileges");
        int k = 0;

        if (!uid || json_object_get_int64(uid) == 0)
                k = add(r, PODSEC_RESTRICTED, "run-as-non-root", "process.user.uid", "0",
                        "the process runs as root (uid 0)");
        if (k >= 0 &&
            !(json_object_is_type(nnp, json_type_boolean) && json_object_get_boolean(nnp)))
                k = add(r, PODSEC_RESTRICTED, "privilege-escalation", "process.noNewPrivileges",
                        nnp ? json_object_get_string(nnp) : "(unset)",
                        "noNewPrivileges is not true: setuid programs can raise privileges");
        return k;
}

int podsec_check(json_object *spec, const char *base, struct podsec_report *r)
{
        int k;

        if ((k = check_capabilities(spec, r)) < 0 || (k = check_namespaces(spec, r)) < 0 ||
            (k = check_mounts(spec, base, r)) < 0 || (k = check_seccomp(spec, r)) < 0 ||
            (k = check_proc_mount(spec, r)) < 0 || (k = check_sysctls(spec, r)) < 0 ||
            (k = check_lsm(spec, r)) < 0 || (k = check_identity(spec, r)) < 0)
                return k;
        return 0;
}

void podsec_report_done(struct podsec_report *r)
{
        for (size_t i = 0; i < r->n; i++) {
                free(r->violations[i].field);
                free(r->violations[i].value);
                free(r->violations[i].why);
        }
        free(r->violations);
        *r = (struct podsec_report){};
}

enum podsec_level podsec_level(const struct podsec_report *r)
{
        enum podsec_level level = PODSEC_RESTRICTED;

        for (size_t i = 0; i < r->n; i++)
                if (r->violations[i].level == PODSEC_BASELINE)
                        return PODSEC_PRIVILEGED;
                else
                        level = PODSEC_BASELINE;
        return level;
}

const char *podsec_level_to_string(enum podsec_level level)
{
        static const char *const names[] = {"privileged", "baseline", "restricted"};

        return names[level];
}

bool podsec_refused_by_runtime(const struct podsec_violation *v)
{
        static const char *const refused[] = {"capabilities", "host-namespaces", "host-path",
                                              "seccomp"};

        return v->level == PODSEC_BASELINE && in_list(v->rule, refused, ELEMENTSOF(refused));
}
