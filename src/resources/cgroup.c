/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cgroup front end: picks a back end (v2, then v1), names and finds cgroups, removes
 * stale ones, and computes the rlimit fallback for what no cgroup enforces. */
#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <signal.h>
#include <sys/resource.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>

#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "cgroup-internal.h"

static int real_mkdirat(int dirfd, const char *name)
{
        return mkdirat(dirfd, name, 0755) < 0 ? negative_errno() : 0;
}

static int real_rmdirat(int dirfd, const char *name)
{
        return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 ? negative_errno() : 0;
}

int (*cgroup_mkdirat)(int dirfd, const char *name) = real_mkdirat;
int (*cgroup_rmdirat)(int dirfd, const char *name) = real_rmdirat;

static const struct cgroup_backend *const backends[] = {
        &cgroup_v2_backend,
        &cgroup_v1_backend,
};

/* Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot. */
static int process_start_time(pid_t pid, uint64_t *ret)
{
        char path[64];
        _cleanup_free_ char *buf = NULL;
        const char *p;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        r = read_full_file(path, &buf, NULL, 4096);
        if (r < 0)
                return r;
        p = strrchr(buf, ')');
        if (!p)
                return -EIO;
        p++;
        for (int field = 3; field < 22; field++) {
                p = strchr(p + 1, ' ');
                if (!p)
                        return -EIO;
        }
        return sscanf(p + 1, "%" SCNu64, ret) == 1 ? 0 : -EIO;
}

/* This process's start time, read once per process (a child after fork() reads its own). */
static int own_start_time(uint64_t *ret)
{
        static _Thread_local pid_t cached_pid;
        static _Thread_local uint64_t cached_start;
        pid_t pid = getpid();

        if (cached_pid != pid) {
                int r = process_start_time(pid, &cached_start);

                if (r < 0)
                        return r;
                cached_pid = pid;
        }
        *ret = cached_start;
        return 0;
}

/* The owners looked up during one cgroup_cleanup_stale(): each airlock that runs has a
 * cgroup in every v1 hierarchy, and /proc/PID/stat is dear for the kernel to make. */
static _Thread_local struct {
        bool active;
        size_t n;
        struct {
                pid_t pid;
                int r;
                uint64_t start;
        } e[16];
} owners;

static int owner_start_time(pid_t pid, uint64_t *ret)
{
        int r;

        if (pid == getpid())
                return own_start_time(ret);
        for (size_t i = 0; owners.active && i < owners.n; i++)
                if (owners.e[i].pid == pid) {
                        *ret = owners.e[i].start;
                        return owners.e[i].r;
                }
        r = process_start_time(pid, ret);
        if (owners.active && owners.n < ELEMENTSOF(owners.e)) {
                owners.e[owners.n].pid = pid;
                owners.e[owners.n].r = r;
                owners.e[owners.n].start = r >= 0 ? *ret : 0;
                owners.n++;
        }
        return r;
}

int cgroup_make_name(char **ret)
{
        uint64_t start = 0;
        char *name;

        /* both back ends ask in turn (v2, then v1): /proc/PID/stat is read once per process */
        (void)own_start_time(&start);
        /* The "-s" suffix marks a name holding the real start time: builds that read another
         * field of /proc/PID/stat see a name they do not parse and leave it alone. */
        if (asprintf(&name, CGROUP_NAME_PREFIX "%d-%" PRIu64 "-s", (int)getpid(), start) < 0)
                return -ENOMEM;
        *ret = name;
        return 0;
}

bool cgroup_name_is_stale(const char *name)
{
        int pid;
        uint64_t start, now;
        int n = 0;
        const char *rest;
        bool exact;

        if (!startswith(name, CGROUP_NAME_PREFIX))
                return false;
        if (sscanf(name + strlen(CGROUP_NAME_PREFIX), "%d-%" SCNu64 "%n", &pid, &start, &n) != 2 ||
            pid <= 0)
                return false; /* not one of ours: leave it alone */
        rest = name + strlen(CGROUP_NAME_PREFIX) + n;
        exact = streq(rest, "-s");
        if (!exact && *rest != 0)
                return false;
        if (owner_start_time(pid, &now) < 0)
                return true; /* the owner is gone */
        /* With the start time in the name, another one means the pid was reused. Names of older
         * builds recorded another field: only a vanished owner makes those stale. */
        return exact && now != start;
}

int cgroup_for_each_stale(int pfd, int (*fn)(int pfd, const char *name, void *userdata),
                          void *userdata)
{
        _Alignas(struct dirent64) char buf[8192];
        int n = 0;

        for (;;) {
                long len = syscall(SYS_getdents64, pfd, buf, sizeof(buf));

                if (len <= 0)
                        return n;
                for (long off = 0; off < len;) {
                        const struct dirent64 *de = (const struct dirent64 *)(buf + off);

                        off += de->d_reclen;
                        if (de->d_type == DT_DIR && cgroup_name_is_stale(de->d_name) &&
                            fn(pfd, de->d_name, userdata) > 0)
                                n++;
                }
        }
}

/* Does the comma-separated list contain word? */
static bool list_contains(const char *list, const char *word)
{
        size_t n = strlen(word);

        for (const char *p = list; p && *p;) {
                const char *end = strchrnul(p, ',');

                if ((size_t)(end - p) == n && strneq(p, word, n))
                        return true;
                p = *end ? end + 1 : end;
        }
        return false;
}

/* /proc/self/cgroup and /proc/self/mountinfo, read once for a whole cgroup_setup(): it needs
 * them for every hierarchy, twice (stale cleanup, then setup), and each read costs about
 * 0.1 ms here. cgroup_snapshot_hold() keeps them across the calls of one run. */
static struct {
        char *self_cgroup, *mountinfo;
        unsigned users;
} snapshot;

static void snapshot_begin(void)
{
        if (snapshot.users++ > 0)
                return;
        (void)read_full_file("/proc/self/cgroup", &snapshot.self_cgroup, NULL, 0);
        (void)read_full_file("/proc/self/mountinfo", &snapshot.mountinfo, NULL, 0);
}

static void snapshot_end(void)
{
        if (--snapshot.users > 0)
                return;
        free(snapshot.self_cgroup);
        free(snapshot.mountinfo);
        snapshot.self_cgroup = snapshot.mountinfo = NULL;
}

static bool snapshot_held;

void cgroup_snapshot_hold(void)
{
        if (snapshot_held)
                return;
        snapshot_held = true;
        snapshot_begin();
}

void cgroup_snapshot_release(void)
{
        if (!snapshot_held)
                return;
        snapshot_held = false;
        snapshot_end();
}

/* A private copy of a /proc file, from the snapshot when one is taken. */
static int read_proc_file(const char *path, const char *cached, char **ret)
{
        if (!cached)
                return read_full_file(path, ret, NULL, 0);
        *ret = strdup(cached);
        return *ret ? 0 : -ENOMEM;
}

/* The path of this process's cgroup in the hierarchy of controller ("" for v2). */
static int own_cgroup_path(const char *controller, char **ret)
{
        _cleanup_free_ char *buf = NULL;
        char *save = NULL;
        int r = read_proc_file("/proc/self/cgroup", snapshot.self_cgroup, &buf);

        if (r < 0)
                return r;
        for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *ctrls = strchr(line, ':'), *path;

                if (!ctrls)
                        continue;
                ctrls++;
                path = strchr(ctrls, ':');
                if (!path)
                        continue;
                *path++ = 0;
                if (controller[0] ? !list_contains(ctrls, controller)
                                  : !(streq(line, "0:") && ctrls[0] == 0))
                        continue;
                *ret = strdup(path);
                return *ret ? 0 : -ENOMEM;
        }
        return -ENOENT;
}

/* Splits up to n space-separated fields of s in place (mountinfo writes a space within a
 * field as \040). Returns how many it found. */
static size_t split_fields(char *s, char **ret, size_t n)
{
        size_t k = 0;

        while (k < n) {
                s += strspn(s, " ");
                if (!*s)
                        break;
                ret[k++] = s;
                s += strcspn(s, " ");
                if (*s)
                        *s++ = 0;
        }
        return k;
}

int cgroup_mountinfo_find(char *mountinfo, const char *controller, char **ret_mnt, char **ret_root)
{
        char *save = NULL;

        for (char *line = strtok_r(mountinfo, "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
                /* ID PARENT MAJ:MIN ROOT MOUNT-POINT ... - FSTYPE SOURCE SUPER-OPTIONS */
                char *head[5], *tail[3], *sep = strstr(line, " - ");
                const char *fstype, *opts;

                if (!sep)
                        continue;
                *sep = 0;
                if (split_fields(line, head, ELEMENTSOF(head)) < ELEMENTSOF(head) ||
                    split_fields(sep + 3, tail, ELEMENTSOF(tail)) < ELEMENTSOF(tail))
                        continue;
                fstype = tail[0];
                opts = tail[2];
                if (controller[0] ? !(streq(fstype, "cgroup") && list_contains(opts, controller))
                                  : !streq(fstype, "cgroup2"))
                        continue;
                *ret_mnt = strdup(head[4]);
                *ret_root = strdup(head[3]);
                if (!*ret_mnt || !*ret_root) {
                        free(*ret_mnt);
                        free(*ret_root);
                        return -ENOMEM;
                }
                return 0;
        }
        return -ENOENT;
}

/* The mount point and mount root of the hierarchy of controller ("" for cgroup2). */
static int hierarchy_mount(const char *controller, char **ret_mnt, char **ret_root)
{
        _cleanup_free_ char *buf = NULL;
        int r = read_proc_file("/proc/self/mountinfo", snapshot.mountinfo, &buf);

        return r < 0 ? r : cgroup_mountinfo_find(buf, controller, ret_mnt, ret_root);
}

int cgroup_hierarchy_mount(const char *controller, char **ret_mnt)
{
        _cleanup_free_ char *root = NULL;

        return hierarchy_mount(controller, ret_mnt, &root);
}

/* PATH as seen inside a hierarchy mounted from the subtree ROOT, or NULL when outside it. */
static const char *relative_to_root(const char *path, const char *root)
{
        size_t n = strlen(root);

        if (streq(root, "/"))
                return path;
        if (startswith(path, root) && (path[n] == '/' || !path[n]))
                return path + n;
        return NULL;
}

int cgroup_find_own(const char *controller, char **ret_dir)
{
        _cleanup_free_ char *path = NULL, *mnt = NULL, *root = NULL;
        const char *rel;
        char *dir;
        int r;

        r = own_cgroup_path(controller, &path);
        if (r < 0)
                return r;
        r = hierarchy_mount(controller, &mnt, &root);
        if (r < 0)
                return r;
        /* A hierarchy mounted from a subtree (containers): the path is relative to its root. */
        rel = relative_to_root(path, root);
        if (!rel)
                return -ENOENT;
        if (asprintf(&dir, "%s%s%s", mnt, rel[0] == '/' || !rel[0] ? "" : "/",
                     streq(rel, "/") ? "" : rel) < 0)
                return -ENOMEM;
        *ret_dir = dir;
        return 0;
}

int cgroup_named_dir(const char *controller, const char *path, char **ret_dir)
{
        _cleanup_free_ char *own = NULL, *mnt = NULL, *root = NULL;
        const char *rel;
        char *dir;
        int r;

        if (path[0] != '/') {
                r = cgroup_find_own(controller, &own);
                if (r < 0)
                        return r;
                return asprintf(ret_dir, "%s/%s", own, path) < 0 ? -ENOMEM : 0;
        }
        r = hierarchy_mount(controller, &mnt, &root);
        if (r < 0)
                return r;
        rel = relative_to_root(path, root);
        if (!rel)
                return -EPERM;
        if (asprintf(&dir, "%s%s", mnt, rel) < 0)
                return -ENOMEM;
        *ret_dir = dir;
        return 0;
}

int cgroup_make_named(const char *dir)
{
        _cleanup_free_ char *copy = strdup(dir);
        int r;

        if (!copy)
                return -ENOMEM;
        for (char *s = strchr(copy + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = 0;
                r = cgroup_mkdirat(AT_FDCWD, copy);
                *s = '/';
                if (r < 0 && r != -EEXIST)
                        return r;
        }
        return cgroup_mkdirat(AT_FDCWD, dir);
}

int cgroup_read_at(int dirfd, const char *file, char **ret)
{
        _cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return negative_errno();
        return read_full_fd(fd, ret, NULL, 1 << 20);
}

/* A cgroup file of a few lines, in one read(): the kernel makes the whole text at once, so a
 * read that does not fill buf has all of it (the second read() that would say so is spared).
 * Returns the length, -EFBIG when the text does not fit, or another negative errno. */
static int read_small_at(int dirfd, const char *file, char *buf, size_t size)
{
        _cleanup_close_ int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        ssize_t n;

        if (fd < 0)
                return negative_errno();
        do
                n = read(fd, buf, size - 1);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        if ((size_t)n == size - 1)
                return -EFBIG;
        buf[n] = 0;
        return (int)n;
}

/* The text of a cgroup file: in buf when it fits, else in *ret_big (freed by the caller). */
static int read_text_at(int dirfd, const char *file, char *buf, size_t size, char **ret_big,
                        char **ret_text)
{
        int r = read_small_at(dirfd, file, buf, size);

        if (r == -EFBIG) {
                r = cgroup_read_at(dirfd, file, ret_big);
                *ret_text = *ret_big;
                return r;
        }
        *ret_text = buf;
        return r;
}

int cgroup_read_u64_at(int dirfd, const char *file, uint64_t *ret)
{
        _cleanup_free_ char *big = NULL;
        char small[256], *buf;
        int r = read_text_at(dirfd, file, small, sizeof(small), &big, &buf);

        if (r < 0)
                return r;
        buf[strcspn(buf, " \n")] = 0;
        if (streq(buf, "max")) {
                *ret = UINT64_MAX;
                return 0;
        }
        return parse_uint64(buf, ret);
}

int cgroup_read_keys_at(int dirfd, const char *file, const char *const *keys, uint64_t *values,
                        size_t n_keys)
{
        _cleanup_free_ char *big = NULL;
        char small[4096], *buf;
        int r = read_text_at(dirfd, file, small, sizeof(small), &big, &buf), found = 0;
        uint64_t seen = 0; /* the first line of a key counts, as for one key */

        assert(n_keys <= 64);
        if (r < 0)
                return r;
        for (char *p = buf; *p;) {
                char *end = strchrnul(p, '\n'), *sp = memchr(p, ' ', (size_t)(end - p));

                for (size_t i = 0; sp && i < n_keys; i++) {
                        size_t n = strlen(keys[i]);
                        char *num_end;

                        if ((seen & UINT64_C(1) << i) || (size_t)(sp - p) != n ||
                            !strneq(p, keys[i], n))
                                continue;
                        seen |= UINT64_C(1) << i;
                        errno = 0;
                        values[i] = strtoull(sp + 1, &num_end, 10);
                        if (errno || num_end == sp + 1)
                                return -EIO;
                        found++;
                        break;
                }
                p = *end ? end + 1 : end;
        }
        return found;
}

int cgroup_read_key_at(int dirfd, const char *file, const char *key, uint64_t *ret)
{
        uint64_t v;
        int r = cgroup_read_keys_at(dirfd, file, &key, &v, 1);

        if (r <= 0)
                return r < 0 ? r : -ENOENT;
        *ret = v;
        return 0;
}

int cgroup_write_at(int dirfd, const char *file, const char *value)
{
        return write_string_file_at(dirfd, file, value);
}

int cgroup_write_u64_at(int dirfd, const char *file, uint64_t value)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%" PRIu64, value);
        return write_string_file_at(dirfd, file, buf);
}

int cgroup_write_i64_at(int dirfd, const char *file, int64_t value)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%" PRId64, value);
        return write_string_file_at(dirfd, file, buf);
}

static _Thread_local char setup_failure[320];

const char *cgroup_setup_failure(void)
{
        return setup_failure;
}

const char *cgroup_setting_name(unsigned set)
{
        static const char *const names[] = {
                "cpu.shares",
                "cpu.period",
                "cpu.quota",
                "cpu.realtimePeriod",
                "cpu.realtimeRuntime",
                "cpu.cpus",
                "cpu.mems",
                "memory.reservation",
                "memory.swap",
                "memory.swappiness",
                "memory.disableOOMKiller",
                "memory.kernel",
                "memory.kernelTCP",
                "devices",
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (set & (1u << i))
                        return names[i];
        return NULL;
}

int cgroup_fail_setting(unsigned bit, int error, const char *fmt, ...)
{
        char cause[256];
        va_list ap;

        errno = -error;
        va_start(ap, fmt);
        vsnprintf(cause, sizeof(cause), fmt, ap);
        va_end(ap);
        snprintf(setup_failure, sizeof(setup_failure), "linux.resources.%s: %s",
                 cgroup_setting_name(bit) ?: "?", cause);
        return error;
}

int cgroup_remove_dir(const char *path)
{
        int r = 0;

        /* The kernel keeps a cgroup busy until its last task is fully gone (exiting, or a
         * zombie being reaped); a killed tree takes a few milliseconds. */
        for (int i = 0; i < 500; i++) {
                r = cgroup_rmdirat(AT_FDCWD, path);
                if (r == 0 || r == -ENOENT)
                        return 0;
                if (r != -EBUSY)
                        break;
                nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
        }
        return log_debug_errno(r, "cannot remove cgroup %s: %m", path);
}

int cgroup_kill_listed(int dirfd)
{
        _cleanup_free_ char *buf = NULL;
        int n = 0;

        if (cgroup_read_at(dirfd, "cgroup.procs", &buf) < 0)
                return 0;
        for (char *p = buf; *p;) {
                long pid = strtol(p, &p, 10);

                if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
                        n++;
                while (*p == '\n' || *p == ' ')
                        p++;
                if (*p && (*p < '0' || *p > '9'))
                        break;
        }
        return n;
}

void cgroup_free(struct cgroup *cg)
{
        if (!cg)
                return;
        for (size_t i = 0; i < cg->n_dirs; i++) {
                safe_close(cg->dirs[i].fd);
                free(cg->dirs[i].path);
        }
        safe_close(cg->event_fd);
        free(cg->v2_own);
        free(cg->v2_leaf);
        free(cg->name);
        free(cg);
}

int cgroup_cleanup_stale(void)
{
        int total = 0;

        snapshot_begin();
        owners.active = true;
        owners.n = 0;
        for (size_t i = 0; i < ELEMENTSOF(backends); i++) {
                int r = backends[i]->cleanup_stale();

                if (r > 0)
                        total += r;
        }
        owners.active = false;
        snapshot_end();
        return total;
}

/* The first usable of the back ends that pass (enum setup_pass) selects. */
enum setup_pass {
        PASS_AT_CLONE = 1u << 0,
        PASS_AFTER_CLONE = 1u << 1,
};

static int setup_first_usable(const struct policy *p, unsigned pass, struct cgroup **ret)
{
        int r = -EOPNOTSUPP;

        for (size_t i = 0; i < ELEMENTSOF(backends); i++) {
                struct cgroup *cg;

                if (!(pass & (backends[i]->at_clone ? PASS_AT_CLONE : PASS_AFTER_CLONE)))
                        continue;
                cg = calloc(1, sizeof(*cg));
                if (!cg)
                        return -ENOMEM;
                cg->backend = backends[i];
                cg->event_fd = -1;
                r = cg->backend->setup(cg, p);
                if (r >= 0) {
                        if (cg->backend->watch)
                                (void)cg->backend->watch(cg);
                        *ret = cg;
                        return 0;
                }
                cgroup_free(cg);
                log_debug_errno(r, "cgroup %s back end not usable: %m", backends[i]->name);
                if (r != -EOPNOTSUPP && r != -EACCES && r != -EPERM && r != -EROFS && r != -ENOENT)
                        return r;
        }
        return r == -EPERM || r == -EROFS ? -EACCES : r == -ENOENT ? -EOPNOTSUPP : r;
}

static int setup_pass(const struct policy *p, unsigned pass, struct cgroup **ret)
{
        int r;

        setup_failure[0] = 0;
        snapshot_begin();
        r = setup_first_usable(p, pass, ret);
        snapshot_end();
        return r;
}

int cgroup_setup(const struct policy *p, struct cgroup **ret)
{
        return setup_pass(p, PASS_AT_CLONE | PASS_AFTER_CLONE, ret);
}

bool cgroup_at_clone_futile(void)
{
        _cleanup_free_ char *buf = NULL;
        char *save = NULL;

        if (read_proc_file("/proc/self/cgroup", snapshot.self_cgroup, &buf) < 0)
                return false;
        for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *ctrls = strchr(line, ':'), *end;

                if (!ctrls || !(end = strchr(++ctrls, ':')))
                        continue;
                *end = 0;
                if (list_contains(ctrls, "memory") || list_contains(ctrls, "pids"))
                        return true;
        }
        return false;
}

int cgroup_setup_at_clone(const struct policy *p, struct cgroup **ret)
{
        return setup_pass(p, PASS_AT_CLONE, ret);
}

int cgroup_setup_after_clone(const struct policy *p, struct cgroup **ret)
{
        return setup_pass(p, PASS_AFTER_CLONE, ret);
}

int cgroup_clone_fd(const struct cgroup *cg)
{
        return cg ? cg->backend->clone_fd(cg) : -1;
}

int cgroup_attach(struct cgroup *cg, pid_t pid)
{
        return cg ? cg->backend->attach(cg, pid) : -EOPNOTSUPP;
}

int cgroup_open_join(const struct cgroup *cg, int *ret_fds, size_t max)
{
        return cg && cg->backend->open_join ? cg->backend->open_join(cg, ret_fds, max) : 0;
}

int cgroup_join_self(const int *fds, size_t n)
{
        /* "0" is the writer itself */
        for (size_t i = 0; i < n; i++)
                if (write(fds[i], "0", 1) != 1)
                        return negative_errno();
        return 0;
}

int cgroup_kill(struct cgroup *cg)
{
        return cg ? cg->backend->kill(cg) : 0;
}

int cgroup_read_stats(struct cgroup *cg, struct cgroup_stats *ret)
{
        struct cgroup_stats s = {0};
        int r;

        if (!cg)
                return -EOPNOTSUPP;
        r = cg->backend->read_stats(cg, &s);
        if (r < 0)
                return r;
        *ret = s;
        return 0;
}

int cgroup_event_fd(const struct cgroup *cg)
{
        return cg ? cg->event_fd : -1;
}

bool cgroup_event_read(struct cgroup *cg)
{
        uint64_t n = 0;

        if (!cg || cg->event_fd < 0)
                return false;
        return read(cg->event_fd, &n, sizeof(n)) == sizeof(n) && n > 0;
}

bool cgroup_populated(struct cgroup *cg)
{
        return cg && cg->backend->populated(cg);
}

/* Removes every folder of cg at the first try; false if one is still busy. A cgroup with a
 * task left (or still exiting) is busy, so a sandbox that has ended, as mostly, is removed
 * without reading cgroup.procs or cgroup.events of each folder first. */
static bool remove_dirs_at_once(struct cgroup *cg)
{
        for (size_t i = 0; i < cg->n_dirs; i++) {
                int r = cgroup_rmdirat(AT_FDCWD, cg->dirs[i].path);

                if (r < 0 && r != -ENOENT)
                        return false;
        }
        return true;
}

void cgroup_destroy(struct cgroup *cg)
{
        if (!cg)
                return;
        if (remove_dirs_at_once(cg))
                goto release;
        for (int i = 0; i < 200 && cg->backend->populated(cg); i++) {
                (void)cg->backend->kill(cg);
                if (!cg->backend->populated(cg))
                        break;
                nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
        }
        for (size_t i = 0; i < cg->n_dirs; i++) {
                cg->dirs[i].fd = safe_close(cg->dirs[i].fd);
                (void)cgroup_remove_dir(cg->dirs[i].path);
        }
release:
        if (cg->backend->release)
                cg->backend->release(cg);
        cgroup_free(cg);
}

size_t cgroup_dir_paths(const struct cgroup *cg, const char **ret, size_t max)
{
        size_t n = 0;

        for (size_t i = 0; cg && i < cg->n_dirs && n < max; i++)
                ret[n++] = cg->dirs[i].path;
        return n;
}

const char *cgroup_backend_name(const struct cgroup *cg)
{
        return cg ? cg->backend->name : "none";
}

unsigned cgroup_enforced(const struct cgroup *cg)
{
        return cg ? cg->enforced : 0;
}

static size_t add_rlimit(struct rlimit_setting *ret, size_t n, size_t max, int resource,
                         uint64_t value)
{
        if (n >= max || value == 0)
                return n;
        ret[n] = (struct rlimit_setting){
                .resource = resource, .soft = value, .hard = value, .set = true};
        return n + 1;
}

size_t cgroup_fallback_rlimits(const struct policy *p, unsigned enforced,
                               struct rlimit_setting *ret, size_t max)
{
        size_t n = 0;

        if (!(enforced & CGROUP_LIMIT_MEMORY))
                n = add_rlimit(ret, n, max, p->memory_rlimit_data ? RLIMIT_DATA : RLIMIT_AS,
                               p->memory_max);
        if (!(enforced & CGROUP_LIMIT_PIDS))
                n = add_rlimit(ret, n, max, RLIMIT_NPROC, p->pids_max);
        /* CPU time cannot stand in for a CPU share, but it bounds a runaway that outlives
         * a lost supervisor: the timeout, rounded up, on every CPU of the machine. */
        if (!(enforced & CGROUP_LIMIT_CPU) && p->timeout_usec > 0) {
                long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
                uint64_t secs = (p->timeout_usec + 999999) / 1000000;

                n = add_rlimit(ret, n, max, RLIMIT_CPU, secs * (uint64_t)(ncpu > 0 ? ncpu : 1) + 1);
        }
        /* No single file larger than the whole memory budget (or the tmpfs, if larger): a
         * writable bind is the only place such a file could go. Not at the tmpfs size, which
         * would turn a full tmpfs (ENOSPC) into SIGXFSZ. */
        if (!(enforced & CGROUP_LIMIT_MEMORY))
                n = add_rlimit(ret, n, max, RLIMIT_FSIZE,
                               p->memory_max > p->tmpfs_size ? p->memory_max : p->tmpfs_size);
        return n;
}
