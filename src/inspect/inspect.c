/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>

#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/macro.h"
#include "sandbox/bpf-eval.h"
#include "sandbox/seccomp.h"
#include "inspect.h"

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* ---- /proc/PID/status ---- */

static bool field(const char *line, const char *name, const char **ret_value)
{
        size_t n = strlen(name);

        if (strncmp(line, name, n) != 0 || line[n] != ':')
                return false;
        *ret_value = line + n + 1 + strspn(line + n + 1, " \t");
        return true;
}

int proc_status_parse(const char *text, struct proc_status *ret)
{
        struct proc_status st = {.no_new_privs = -1, .seccomp_mode = -1};
        bool have_uid = false;
        const char *line = text;

        while (line && *line) {
                const char *v, *nl = strchr(line, '\n');
                unsigned long long x;

                if (field(line, "Uid", &v)) {
                        unsigned long r, e;

                        if (sscanf(v, "%lu %lu", &r, &e) == 2) {
                                st.uid_real = (uid_t)r;
                                st.uid_effective = (uid_t)e;
                                have_uid = true;
                        }
                } else if (field(line, "CapInh", &v) && sscanf(v, "%llx", &x) == 1)
                        st.cap_inh = x;
                else if (field(line, "CapPrm", &v) && sscanf(v, "%llx", &x) == 1)
                        st.cap_prm = x;
                else if (field(line, "CapEff", &v) && sscanf(v, "%llx", &x) == 1) {
                        st.cap_eff = x;
                        st.have_caps = true;
                } else if (field(line, "CapBnd", &v) && sscanf(v, "%llx", &x) == 1)
                        st.cap_bnd = x;
                else if (field(line, "CapAmb", &v) && sscanf(v, "%llx", &x) == 1)
                        st.cap_amb = x;
                else if (field(line, "NoNewPrivs", &v))
                        st.no_new_privs = atoi(v);
                else if (field(line, "Seccomp", &v))
                        st.seccomp_mode = atoi(v);
                else if (field(line, "Seccomp_filters", &v))
                        st.seccomp_filters = atoi(v);
                line = nl ? nl + 1 : NULL;
        }
        if (!have_uid || !st.have_caps)
                return -EINVAL;
        *ret = st;
        return 0;
}

/* ---- helpers ---- */

static struct inspect_check *add_check(struct inspect_result *r, const char *name,
                                       const char *layer, double weight)
{
        struct inspect_check *c;

        assert(r->n_checks < INSPECT_MAX_CHECKS);
        c = &r->checks[r->n_checks++];
        *c = (struct inspect_check){.name = name, .layer = layer, .weight = weight};
        return c;
}

static void set(struct inspect_check *c, enum inspect_status s, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
static void set(struct inspect_check *c, enum inspect_status s, const char *fmt, ...)
{
        va_list ap;

        c->status = s;
        c->exposure = s == INSPECT_MISSING ? c->weight : s == INSPECT_WEAK ? c->weight / 2 : 0;
        va_start(ap, fmt);
        vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
        va_end(ap);
}

static int read_at_size(int dirfd, const char *path, char **ret, size_t *ret_size)
{
        _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return negative_errno();
        return read_full_fd(fd, ret, ret_size, 1 << 20);
}

static int read_at(int dirfd, const char *path, char **ret)
{
        return read_at_size(dirfd, path, ret, NULL);
}

/* 1: the same object as ours, 0: a different one, negative errno: cannot tell. */
static int same_as_ours(int dirfd, const char *their, const char *ours)
{
        struct stat a, b;

        if (fstatat(dirfd, their, &a, 0) < 0)
                return negative_errno();
        if (stat(ours, &b) < 0)
                return negative_errno();
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static const char *cap_names[] = {
        "chown",
        "dac_override",
        "dac_read_search",
        "fowner",
        "fsetid",
        "kill",
        "setgid",
        "setuid",
        "setpcap",
        "linux_immutable",
        "net_bind_service",
        "net_broadcast",
        "net_admin",
        "net_raw",
        "ipc_lock",
        "ipc_owner",
        "sys_module",
        "sys_rawio",
        "sys_chroot",
        "sys_ptrace",
        "sys_pacct",
        "sys_admin",
        "sys_boot",
        "sys_nice",
        "sys_resource",
        "sys_time",
        "sys_tty_config",
        "mknod",
        "lease",
        "audit_write",
        "audit_control",
        "setfcap",
        "mac_override",
        "mac_admin",
        "syslog",
        "wake_alarm",
        "block_suspend",
        "audit_read",
        "perfmon",
        "bpf",
        "checkpoint_restore",
};

/* "sys_admin, net_admin, ... (N)" for the most telling capabilities in set. */
static void describe_caps(uint64_t set, char *buf, size_t size)
{
        static const int telling[] = {21, 12, 19, 16, 17, 1, 2, 7, 6, 27, 39};
        size_t n = (size_t)__builtin_popcountll(set), shown = 0, len = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(telling) && shown < 3; i++) {
                if (!(set & (UINT64_C(1) << telling[i])))
                        continue;
                len += (size_t)snprintf(buf + len, size - MIN(len, size), "%s%s", shown ? ", " : "",
                                        cap_names[telling[i]]);
                shown++;
        }
        if (len < size)
                snprintf(buf + len, size - len, "%s%zu in all", shown ? ", ... " : "", n);
}

/* ---- the checks ---- */

static const char *const ns_names[] = {"user", "mnt", "pid", "net", "ipc", "uts", "cgroup"};
static const char *const ns_words[] = {"user", "mount", "pid", "network", "ipc", "uts", "cgroup"};

static void check_namespaces(int dirfd, struct inspect_result *r, int own[7])
{
        static const struct {
                const char *check, *layer;
                double weight;
        } info[] = {
                {"user-namespace", "identity and capabilities apart from the host's", 1.0},
                {"mount-namespace", "its own mount table", 0.8},
                {"pid-namespace", "host processes invisible and unsignalable", 0.7},
                {"network", "no way onto the host's network", 1.0},
                {"ipc-namespace", "host SysV IPC and POSIX queues unreachable", 0.3},
                {"uts-namespace", "its own hostname", 0.1},
                {"cgroup-namespace", "the host's cgroup tree hidden", 0.2},
        };

        for (size_t i = 0; i < ELEMENTSOF(ns_names); i++) {
                char their[32], ours[32];
                struct inspect_check *c =
                        add_check(r, info[i].check, info[i].layer, info[i].weight);

                snprintf(their, sizeof(their), "ns/%s", ns_names[i]);
                snprintf(ours, sizeof(ours), "/proc/self/ns/%s", ns_names[i]);
                own[i] = same_as_ours(dirfd, their, ours);
                if (own[i] < 0)
                        set(c, INSPECT_UNKNOWN, "cannot read /proc/%d/ns/%s: %s", r->pid,
                            ns_names[i], strerror(-own[i]));
                else if (own[i])
                        set(c, INSPECT_MISSING, "shares the %s namespace of airlock inspect",
                            ns_words[i]);
                else
                        set(c, INSPECT_OK, "its own %s namespace", ns_words[i]);
                own[i] = own[i] < 0 ? -1 : !own[i]; /* 1: its own */
        }
}

/* Refines the network check: which interfaces its namespace has. */
static void check_network(int dirfd, struct inspect_check *c, bool own_ns)
{
        _cleanup_free_ char *dev = NULL;
        char names[160] = "";
        size_t len = 0, n = 0;
        char *line, *save = NULL;

        if (read_at(dirfd, "net/dev", &dev) < 0)
                return;
        for (line = strtok_r(dev, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *colon = strchr(line, ':');
                char *name = line + strspn(line, " ");

                if (!colon || strchr(line, '|'))
                        continue;
                *colon = '\0';
                if (streq(name, "lo"))
                        continue;
                n++;
                if (len < sizeof(names))
                        len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
                                                n > 1 ? ", " : "", name);
        }
        if (!own_ns)
                set(c, INSPECT_MISSING, "shares the host's network stack%s%s", n ? ": " : "",
                    names);
        else if (n == 0)
                set(c, INSPECT_OK, "its own network namespace with loopback only");
        else
                set(c, INSPECT_WEAK,
                    "its own network namespace, with interfaces beyond loopback: %s", names);
}

/* Refines the user namespace check: does its uid 0 map to host root? */
static void check_uid_map(int dirfd, struct inspect_check *c)
{
        _cleanup_free_ char *map = NULL;
        char *line, *save = NULL;

        if (c->status != INSPECT_OK || read_at(dirfd, "uid_map", &map) < 0)
                return;
        for (line = strtok_r(map, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                unsigned long inside, outside, count;

                if (sscanf(line, "%lu %lu %lu", &inside, &outside, &count) == 3 && outside == 0 &&
                    count > 0)
                        set(c, INSPECT_WEAK,
                            "its own user namespace, but it maps host root (uid %lu inside is 0 "
                            "outside)",
                            inside);
        }
}

static void check_credentials(const struct proc_status *st, bool own_userns,
                              struct inspect_result *r)
{
        struct inspect_check *c;
        uint64_t held = st->cap_eff | st->cap_prm | st->cap_amb;
        char caps[160];

        c = add_check(r, "host-identity", "not root on the host", 1.0);
        if (st->uid_effective == 0 || st->uid_real == 0)
                set(c, INSPECT_MISSING, "runs as root (uid 0) on the host");
        else
                set(c, INSPECT_OK, "runs as uid %u on the host", (unsigned)st->uid_effective);

        c = add_check(r, "capabilities", "no privileged operation", 1.5);
        describe_caps(held, caps, sizeof(caps));
        if (!held)
                set(c, INSPECT_OK, "effective, permitted and ambient sets empty");
        else if (own_userns)
                set(c, INSPECT_WEAK, "holds capabilities over its own user namespace: %s", caps);
        else
                set(c, INSPECT_MISSING, "holds host capabilities: %s", caps);

        c = add_check(r, "bounding-set", "capabilities cannot be regained by exec", 0.3);
        describe_caps(st->cap_bnd, caps, sizeof(caps));
        if (!st->cap_bnd)
                set(c, INSPECT_OK, "empty");
        else if (own_userns)
                set(c, INSPECT_WEAK, "not emptied, over its own user namespace only: %s", caps);
        else
                set(c, INSPECT_MISSING, "not emptied: %s", caps);

        c = add_check(r, "no-new-privs", "setuid and file capabilities ignored", 0.5);
        if (st->no_new_privs < 0)
                set(c, INSPECT_UNKNOWN, "not shown by this kernel");
        else if (st->no_new_privs)
                set(c, INSPECT_OK, "set");
        else if (own_userns)
                /* a setuid or file-capability program gains at most what the bounding set
                 * allows, over the ids and namespaces of its own user namespace */
                set(c, INSPECT_WEAK,
                    "not set: a setuid program it runs gains privileges over its own user "
                    "namespace only");
        else
                set(c, INSPECT_MISSING, "not set: a setuid program it runs gains privileges");
}

#ifndef SECCOMP_NATIVE_AUDIT_ARCH
#error "the seccomp read-back of airlock inspect does not know this architecture"
#endif

/* The system calls through which a sandboxed program attacks the kernel or escapes (T1611);
 * a filter worth the name refuses them. Arguments are zero but for unshare's flags. */
static const struct {
        const char *name;
        int nr;
        uint64_t arg0;
} escape_calls[] = {
        {"mount", SYS_mount, 0},
        {"umount2", SYS_umount2, 0},
        {"pivot_root", SYS_pivot_root, 0},
        {"unshare(NEWUSER|NEWNS)", SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS},
        {"setns", SYS_setns, 0},
        {"ptrace", SYS_ptrace, 0},
        {"bpf", SYS_bpf, 0},
        {"init_module", SYS_init_module, 0},
        {"finit_module", SYS_finit_module, 0},
        {"kexec_load", SYS_kexec_load, 0},
        {"keyctl", SYS_keyctl, 0},
        {"add_key", SYS_add_key, 0},
        {"io_uring_setup", SYS_io_uring_setup, 0},
        {"perf_event_open", SYS_perf_event_open, 0},
        {"open_by_handle_at", SYS_open_by_handle_at, 0},
        {"userfaultfd", SYS_userfaultfd, 0},
};

/* Reads the seccomp filters of pid back (PTRACE_SECCOMP_GET_FILTER: root only; the process
 * is stopped for the time it takes) and returns, as a bit per escape_calls[] entry, which
 * calls they all let through. -errno when they cannot be read. */
static int64_t filters_allow(pid_t pid, int n_filters)
{
        struct seccomp_data d = {.arch = SECCOMP_NATIVE_AUDIT_ARCH};
        uint32_t action[ELEMENTSOF(escape_calls)];
        int64_t allowed = 0;
        int status, k = 0;

        for (size_t i = 0; i < ELEMENTSOF(escape_calls); i++)
                action[i] = SECCOMP_RET_ALLOW;
        if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0)
                return negative_errno();
        if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0 || waitpid(pid, &status, __WALL) != pid) {
                k = negative_errno();
                goto detach;
        }
        for (int f = 0; f < n_filters && k >= 0; f++) {
                long len = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)(long)f, NULL);
                _cleanup_free_ struct sock_filter *prog = NULL;

                if (len <= 0 || !(prog = calloc((size_t)len, sizeof(*prog))) ||
                    ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)(long)f, prog) != len) {
                        k = len < 0 || !prog ? negative_errno() : -EIO;
                        break;
                }
                for (size_t i = 0; i < ELEMENTSOF(escape_calls) && k >= 0; i++) {
                        uint32_t ret;

                        d.nr = escape_calls[i].nr;
                        d.args[0] = escape_calls[i].arg0;
                        k = bpf_seccomp_eval(prog, (size_t)len, &d, &ret);
                        action[i] = seccomp_action_combine(action[i], ret);
                }
        }
detach:
        (void)ptrace(PTRACE_DETACH, pid, 0, 0);
        if (k < 0)
                return k;
        for (size_t i = 0; i < ELEMENTSOF(escape_calls); i++) {
                uint32_t a = action[i] & SECCOMP_RET_ACTION_FULL;

                if (a == SECCOMP_RET_ALLOW || a == SECCOMP_RET_LOG)
                        allowed |= INT64_C(1) << i;
        }
        return allowed;
}

static void check_seccomp(pid_t pid, const struct proc_status *st, struct inspect_result *r)
{
        struct inspect_check *c =
                add_check(r, "seccomp", "the kernel's attack surface reduced", 1.5);
        char list[192] = "";
        int64_t allowed;
        size_t n = 0;

        if (st->seccomp_mode == 1) {
                set(c, INSPECT_OK, "strict mode");
                return;
        }
        if (st->seccomp_mode == 0) {
                set(c, INSPECT_MISSING, "no filter: every system call reaches the kernel");
                return;
        }
        if (st->seccomp_mode != 2) {
                set(c, INSPECT_UNKNOWN, "not shown by this kernel");
                return;
        }
        /* A filter attached says nothing of what it refuses: an allow-everything one looks
         * the same. Read it back and run it where the kernel lets us (root). */
        allowed = filters_allow(pid, st->seccomp_filters);
        if (allowed < 0) {
                set(c, INSPECT_UNKNOWN,
                    "%d filter%s attached; what they refuse can be read back only by root (%s)",
                    st->seccomp_filters, st->seccomp_filters == 1 ? "" : "s",
                    strerror((int)-allowed));
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(escape_calls); i++)
                if (allowed & (INT64_C(1) << i)) {
                        size_t len = strlen(list);

                        snprintf(list + len, sizeof(list) - len, "%s%s", n++ ? ", " : "",
                                 escape_calls[i].name);
                }
        if (n == 0)
                set(c, INSPECT_OK,
                    "%d filter%s read back: refuse mount, namespaces, ptrace, bpf, "
                    "modules, keyrings, io_uring, perf and the other %zu escape calls probed",
                    st->seccomp_filters, st->seccomp_filters == 1 ? "" : "s",
                    ELEMENTSOF(escape_calls) - 8);
        else if (n == ELEMENTSOF(escape_calls))
                set(c, INSPECT_MISSING,
                    "%d filter%s attached, but %s every escape call probed (%s)",
                    st->seccomp_filters, st->seccomp_filters == 1 ? "" : "s",
                    st->seccomp_filters == 1 ? "it allows" : "they allow", list);
        else
                set(c, INSPECT_WEAK, "the filters allow %s", list);
}

static void check_root(int dirfd, struct inspect_result *r)
{
        struct inspect_check *c =
                add_check(r, "private-root", "the host's files out of sight", 1.0);
        int same = same_as_ours(dirfd, "root/", "/");

        if (same < 0)
                set(c, INSPECT_UNKNOWN, "cannot read /proc/%d/root: %s", r->pid, strerror(-same));
        else if (same)
                set(c, INSPECT_MISSING, "its root is the host's /: every file the uid may read");
        else
                set(c, INSPECT_OK, "a root of its own");
}

/* Host files that a contained program must not reach. The rating goes by what is reachable,
 * not by which layers are configured: a program with every namespace, no capabilities and a
 * seccomp filter that bind-mounts the host's folders into its own root still reads them. */
static const char *const host_paths[] = {"/etc/shadow", "/etc/passwd", "/home", "/root",
                                         "/var",        "/srv",        "/mnt",  "/opt"};

/* Each host path is looked up through the process's root without following anything it could
 * have planted (no symlinks, no magic links, never above its root), and is visible when what
 * is found there is the host's own object (same device and inode). */
static void check_host_files(int dirfd, struct inspect_result *r)
{
        struct inspect_check *c =
                add_check(r, "host-files", "sensitive host files out of reach", 3.0);
        _cleanup_close_ int rootfd = openat(dirfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
        char seen[200] = "";
        size_t n = 0, checked = 0;

        if (rootfd < 0) {
                set(c, INSPECT_UNKNOWN, "cannot open /proc/%d/root: %s", r->pid, strerror(errno));
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(host_paths); i++) {
                _cleanup_close_ int fd = -1;
                struct stat host, their;

                if (lstat(host_paths[i], &host) < 0)
                        continue; /* not on this host */
                checked++;
                fd = openat2_fd(rootfd, host_paths[i] + 1, O_PATH | O_NOFOLLOW | O_CLOEXEC,
                                RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
                if (fd < 0 || fstat(fd, &their) < 0)
                        continue;
                if (their.st_dev != host.st_dev || their.st_ino != host.st_ino)
                        continue;
                r->visible_host[n++] = host_paths[i];
                if (strlen(seen) + strlen(host_paths[i]) + 2 < sizeof(seen))
                        strcat(strcat(seen, *seen ? " " : ""), host_paths[i]);
        }
        r->n_visible_host = n;
        if (checked == 0)
                set(c, INSPECT_UNKNOWN, "none of the host paths checked exists here");
        else if (n > 0)
                set(c, INSPECT_MISSING, "the host's own %s visible through its root", seen);
        else
                set(c, INSPECT_OK, "none of %zu sensitive host paths visible through its root",
                    checked);
}

/* The mount ids of its mount namespace, from /proc/PID/mountinfo. */
static int mount_ids(int dirfd, int **ret, size_t *ret_n)
{
        _cleanup_free_ char *info = NULL;
        _cleanup_free_ int *ids = NULL;
        size_t n = 0, cap = 0;
        char *line, *save = NULL;
        int r = read_at(dirfd, "mountinfo", &info);

        if (r < 0)
                return r;
        for (line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (n == cap) {
                        int *m = realloc(ids, (cap = cap ? cap * 2 : 64) * sizeof(int));
                        if (!m)
                                return -ENOMEM;
                        ids = m;
                }
                ids[n++] = atoi(line);
        }
        *ret = TAKE_PTR(ids);
        *ret_n = n;
        return 0;
}

/* A directory fd on a mount outside its mount namespace is a handle on the host's tree:
 * openat(fd, "..") walks out of any root (CVE-2024-21626, runc's leaked cgroup fd). */
static void check_fds(int dirfd, struct inspect_result *r, bool own_mntns)
{
        struct inspect_check *c = add_check(r, "leaked-directories",
                                            "no directory handle from outside its view", 1.0);
        _cleanup_free_ int *ids = NULL;
        _cleanup_close_ int fdd = -1;
        size_t n_ids = 0, leaked = 0, len = 0;
        char names[200] = "";
        DIR *d;
        struct dirent *de;
        int e;

        if (!own_mntns) {
                set(c, INSPECT_OK, "none possible: it shares the host's mount table");
                return;
        }
        e = mount_ids(dirfd, &ids, &n_ids);
        fdd = openat(dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (e < 0 || fdd < 0) {
                set(c, INSPECT_UNKNOWN, "cannot read its fds or mounts: %s",
                    strerror(e < 0 ? -e : errno));
                return;
        }
        d = fdopendir(fdd);
        if (!d) {
                set(c, INSPECT_UNKNOWN, "cannot list its fds: %m");
                return;
        }
        fdd = -1;
        while ((de = readdir(d))) {
                char path[sizeof(de->d_name) + 8], target[128];
                _cleanup_free_ char *fdinfo = NULL;
                struct stat st;
                const char *m;
                bool found = false;
                int mnt;

                if (de->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "fd/%s", de->d_name);
                if (fstatat(dirfd, path, &st, 0) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                snprintf(path, sizeof(path), "fdinfo/%s", de->d_name);
                if (read_at(dirfd, path, &fdinfo) < 0 || !(m = strstr(fdinfo, "mnt_id:")))
                        continue;
                mnt = atoi(m + strlen("mnt_id:"));
                for (size_t i = 0; i < n_ids && !found; i++)
                        found = ids[i] == mnt;
                if (found)
                        continue;
                leaked++;
                snprintf(path, sizeof(path), "fd/%s", de->d_name);
                ssize_t l = readlinkat(dirfd, path, target, sizeof(target) - 1);
                target[l < 0 ? 0 : l] = '\0';
                if (len < sizeof(names))
                        len += (size_t)snprintf(names + len, sizeof(names) - len, "%sfd %s -> %s",
                                                leaked > 1 ? ", " : "", de->d_name, target);
        }
        closedir(d);
        if (leaked)
                set(c, INSPECT_MISSING,
                    "%zu directory fd%s from outside its mounts (listable; only a Landlock domain, "
                    "not visible here, would stop opens beneath): %s",
                    leaked, leaked == 1 ? "" : "s", names);
        else
                set(c, INSPECT_OK, "every directory it holds is inside its own mounts");
}

/* One limit file of a cgroup and its ancestors below stop (the inspector's own cgroup, whose
 * limits bind the inspector too and so are not the process's own). Returns the smallest
 * finite value, or UINT64_MAX. */
static uint64_t cgroup_limit(const char *mnt, const char *path, const char *stop, const char *file)
{
        _cleanup_free_ char *p = strdup(path);
        uint64_t best = UINT64_MAX;

        while (p && p[0] == '/' && p[1] && !streq(p, stop)) {
                char full[PATH_MAX];
                _cleanup_free_ char *v = NULL;
                char *slash;

                snprintf(full, sizeof(full), "%s%s/%s", mnt, p, file);
                if (read_full_file(full, &v, NULL, 64) == 0 && isdigit((unsigned char)v[0])) {
                        unsigned long long x = strtoull(v, NULL, 10);
                        /* v1 memory shows "no limit" as a page-rounded LONG_MAX */
                        if (x < (UINT64_C(1) << 62) && x < best)
                                best = x;
                }
                slash = strrchr(p, '/');
                if (!slash || slash == p)
                        break;
                *slash = '\0';
        }
        return best;
}

/* Whether a comma-separated list holds word. */
static bool list_has(const char *list, const char *word)
{
        size_t n = strlen(word);

        for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
                if (strncmp(p, word, n) == 0 && (p[n] == ',' || p[n] == '\0'))
                        return true;
        return false;
}

/* The path of controller ctrl ("" for v2) in a /proc/PID/cgroup text; NULL if none. */
static char *cgroup_path(const char *text, const char *ctrl)
{
        _cleanup_free_ char *copy = strdup(text);
        char *line, *save = NULL;

        for (line = copy ? strtok_r(copy, "\n", &save) : NULL; line;
             line = strtok_r(NULL, "\n", &save)) {
                char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;

                if (!b)
                        continue;
                *b = '\0';
                if (ctrl[0] ? list_has(a + 1, ctrl) : a[1] == '\0')
                        return strdup(b + 1);
        }
        return NULL;
}

/* The soft RLIMIT_NPROC in dirfd's "limits" (AT_FDCWD: our own), UINT64_MAX if unlimited. */
static uint64_t max_processes(int dirfd)
{
        _cleanup_free_ char *lim = NULL;
        const char *p;

        if (read_at(dirfd, dirfd == AT_FDCWD ? "/proc/self/limits" : "limits", &lim) < 0 ||
            !(p = strstr(lim, "Max processes")))
                return UINT64_MAX;
        p += strlen("Max processes");
        p += strspn(p, " ");
        return isdigit((unsigned char)*p) ? strtoull(p, NULL, 10) : UINT64_MAX;
}

static void check_limits(int dirfd, struct inspect_result *r)
{
        struct inspect_check *c =
                add_check(r, "resource-limits", "a fork bomb or leak stops short", 0.5);
        _cleanup_free_ char *theirs = NULL, *ours = NULL;
        uint64_t pids = UINT64_MAX, mem = UINT64_MAX;
        struct statfs sfs;

        if (read_at(dirfd, "cgroup", &theirs) < 0 ||
            read_full_file("/proc/self/cgroup", &ours, NULL, 1 << 16) < 0) {
                set(c, INSPECT_UNKNOWN, "cannot read its cgroup");
                return;
        }
        /* v1 controllers where mounted, then v2 (at /sys/fs/cgroup or beside v1). */
        {
                _cleanup_free_ char *tp = cgroup_path(theirs, "pids"),
                                    *op = cgroup_path(ours, "pids");
                if (tp)
                        pids = MIN(pids, cgroup_limit("/sys/fs/cgroup/pids", tp, op ? op : "/",
                                                      "pids.max"));
        }
        {
                _cleanup_free_ char *tp = cgroup_path(theirs, "memory"),
                                    *op = cgroup_path(ours, "memory");
                if (tp)
                        mem = MIN(mem, cgroup_limit("/sys/fs/cgroup/memory", tp, op ? op : "/",
                                                    "memory.limit_in_bytes"));
        }
        {
                _cleanup_free_ char *tp = cgroup_path(theirs, ""), *op = cgroup_path(ours, "");
                const char *mnt =
                        statfs("/sys/fs/cgroup", &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC
                                ? "/sys/fs/cgroup"
                                : "/sys/fs/cgroup/unified";
                if (tp) {
                        pids = MIN(pids, cgroup_limit(mnt, tp, op ? op : "/", "pids.max"));
                        mem = MIN(mem, cgroup_limit(mnt, tp, op ? op : "/", "memory.max"));
                }
        }
        if (pids != UINT64_MAX && mem != UINT64_MAX)
                set(c, INSPECT_OK, "cgroup limits of its own: %" PRIu64 " tasks, %" PRIu64 " MiB",
                    pids, mem >> 20);
        else if (pids != UINT64_MAX || mem != UINT64_MAX)
                set(c, INSPECT_WEAK, "only a %s limit of its own (cgroup)",
                    pids != UINT64_MAX ? "task" : "memory");
        else {
                /* rlimits are the fallback without a cgroup */
                uint64_t theirs_np = max_processes(dirfd), ours_np = max_processes(AT_FDCWD);

                if (theirs_np < ours_np)
                        set(c, INSPECT_WEAK,
                            "no cgroup limit of its own; a lower RLIMIT_NPROC only");
                else
                        set(c, INSPECT_MISSING, "no cgroup limit of its own and no process rlimit");
        }
}

static void check_terminal(int dirfd, struct inspect_result *r)
{
        struct inspect_check *c =
                add_check(r, "terminal", "no keystrokes injected into a host terminal", 0.4);
        _cleanup_free_ char *legacy = NULL, *pstat = NULL;
        struct stat ours;
        const char *p;
        int tty_nr = 0;

        if (read_full_file("/proc/sys/dev/tty/legacy_tiocsti", &legacy, NULL, 16) == 0 &&
            legacy[0] == '0') {
                set(c, INSPECT_OK, "TIOCSTI is disabled on this system (dev.tty.legacy_tiocsti=0)");
                return;
        }
        if (read_at(dirfd, "stat", &pstat) < 0 || !(p = strrchr(pstat, ')'))) {
                set(c, INSPECT_UNKNOWN, "cannot read /proc/%d/stat", r->pid);
                return;
        }
        /* ") S ppid pgrp session tty_nr" */
        if (sscanf(p + 1, " %*c %*d %*d %*d %d", &tty_nr) != 1) {
                set(c, INSPECT_UNKNOWN, "cannot parse /proc/%d/stat", r->pid);
                return;
        }
        if (tty_nr == 0) {
                set(c, INSPECT_OK, "no controlling terminal");
                return;
        }
        /* Its terminal on a devpts instance other than ours is a pty of its own. */
        if (stat("/dev/pts", &ours) == 0)
                for (int fd = 0; fd < 3; fd++) {
                        char path[16];
                        struct stat st;

                        snprintf(path, sizeof(path), "fd/%d", fd);
                        if (fstatat(dirfd, path, &st, 0) == 0 && S_ISCHR(st.st_mode) &&
                            st.st_rdev ==
                                    (dev_t)makedev((unsigned)tty_nr >> 8 & 0xfff,
                                                   ((unsigned)tty_nr & 0xff) |
                                                           ((unsigned)tty_nr >> 12 & 0xfff00)) &&
                            st.st_dev != ours.st_dev) {
                                set(c, INSPECT_OK, "a terminal of its own (a separate devpts)");
                                return;
                        }
                }
        set(c, INSPECT_MISSING,
            "a controlling terminal shared with the host: TIOCSTI can type into it "
            "(CVE-2017-5226)");
}

static void check_unseen(struct inspect_result *r)
{
        _cleanup_free_ char *label = NULL;
        char path[64];
        struct inspect_check *c = add_check(r, "landlock", "file and network access rules", 0);

        set(c, INSPECT_UNKNOWN, "the kernel shows no process's Landlock domain in /proc");
        c = add_check(r, "lsm-label", "an AppArmor or SELinux confinement", 0);
        snprintf(path, sizeof(path), "/proc/%d/attr/current", r->pid);
        if (read_full_file(path, &label, NULL, 4096) < 0 || !label[0])
                set(c, INSPECT_UNKNOWN, "no security module label");
        else {
                label[strcspn(label, "\n")] = '\0';
                set(c, streq(label, "unconfined") ? INSPECT_MISSING : INSPECT_OK, "%s", label);
        }
}

int inspect_process(pid_t pid, struct inspect_result *ret)
{
        _cleanup_free_ char *status = NULL, *cmdline = NULL;
        _cleanup_close_ int dirfd = -1;
        struct proc_status st;
        char path[32];
        size_t len = 0;
        int own[7];
        double total = 0, weight = 0;
        int r;

        *ret = (struct inspect_result){.pid = pid};
        snprintf(path, sizeof(path), "/proc/%d", pid);
        dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return errno == ENOENT ? -ESRCH : negative_errno();
        r = read_at(dirfd, "status", &status);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        r = proc_status_parse(status, &st);
        if (r < 0)
                return r;
        ret->uid = st.uid_effective;
        if (read_at_size(dirfd, "cmdline", &cmdline, &len) == 0 && len > 0) {
                for (size_t i = 0; i + 1 < len; i++)
                        if (cmdline[i] == '\0')
                                cmdline[i] = ' ';
                snprintf(ret->command, sizeof(ret->command), "%s", cmdline);
        }

        check_namespaces(dirfd, ret, own);
        if (own[0] < 0) {
                /* another user's process (EACCES), or one that has exited (a zombie has no
                 * namespaces left): nothing to rate */
                struct stat nst;

                if (fstatat(dirfd, "ns/user", &nst, 0) < 0 && errno != EACCES && errno != EPERM)
                        return -ESRCH;
                return -EACCES;
        }
        check_uid_map(dirfd, &ret->checks[0]);
        if (own[3] >= 0)
                check_network(dirfd, &ret->checks[3], own[3] == 1);
        check_credentials(&st, own[0] == 1, ret);
        check_seccomp(pid, &st, ret);
        check_root(dirfd, ret);
        check_host_files(dirfd, ret);
        check_fds(dirfd, ret, own[1] == 1);
        check_limits(dirfd, ret);
        check_terminal(dirfd, ret);
        check_unseen(ret);

        for (size_t i = 0; i < ret->n_checks; i++)
                if (ret->checks[i].status != INSPECT_UNKNOWN) {
                        total += ret->checks[i].exposure;
                        weight += ret->checks[i].weight;
                }
        ret->exposure = weight > 0 ? 10.0 * total / weight : 10.0;
        /* Layers are appearances: a program that reaches the host's files is not contained
         * however many it has. */
        if (ret->n_visible_host > 0 && ret->exposure <= 5.0)
                ret->exposure = 5.5;
        return 0;
}

const char *inspect_rating(double exposure)
{
        return exposure <= 2.0   ? "contained"
               : exposure <= 5.0 ? "partial"
               : exposure <= 8.0 ? "exposed"
                                 : "unsafe";
}

const char *inspect_status_to_string(enum inspect_status s)
{
        static const char *const names[] = {"ok", "weak", "missing", "unknown"};

        return (unsigned)s < ELEMENTSOF(names) ? names[s] : "unknown";
}

/* The first pid in /proc/PID/task/PID/children, or 0. */
static pid_t first_child(pid_t pid)
{
        _cleanup_free_ char *text = NULL;
        char path[64];

        snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
        if (read_full_file(path, &text, NULL, 1 << 16) < 0)
                return 0;
        return (pid_t)atoi(text);
}

int inspect_find_sandboxes(pid_t *pids, size_t max)
{
        char self[PATH_MAX];
        ssize_t sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
        DIR *d = opendir("/proc");
        struct dirent *de;
        size_t n = 0;

        if (sl < 0 || !d) {
                if (d)
                        closedir(d);
                return negative_errno();
        }
        self[sl] = '\0';
        while ((de = readdir(d)) && n < max) {
                char path[64], exe[PATH_MAX];
                _cleanup_free_ char *cmd = NULL;
                size_t len = 0;
                pid_t pid = (pid_t)atoi(de->d_name), init, prog;
                ssize_t el;

                if (pid <= 0 || pid == getpid())
                        continue;
                snprintf(path, sizeof(path), "/proc/%d/exe", pid);
                el = readlink(path, exe, sizeof(exe) - 1);
                if (el < 0)
                        continue;
                exe[el] = '\0';
                if (!streq(exe, self))
                        continue;
                snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
                if (read_full_file(path, &cmd, &len, 1 << 16) < 0 || len < 2)
                        continue;
                /* argv[1] is the subcommand */
                if (strlen(cmd) + 1 >= len || !streq(cmd + strlen(cmd) + 1, "run"))
                        continue;
                init = first_child(pid);
                prog = init > 0 ? first_child(init) : 0;
                if (prog > 0)
                        pids[n++] = prog;
        }
        closedir(d);
        return (int)n;
}
