/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup v2: one directory beneath the cgroup airlock runs in. Usable when that cgroup
 * already delegates the memory and pids controllers to its children (its
 * cgroup.subtree_control lists them): airlock never changes an existing cgroup's settings,
 * so it does not enable controllers itself. The program is placed with clone3
 * CLONE_INTO_CGROUP (cgroup_clone_fd()) and the tree ends with cgroup.kill.
 *
 * The kernel lets a non-root cgroup hand controllers to children only while it has no
 * process of its own, so a cgroup airlock runs in can delegate nothing. One exception is
 * taken: a cgroup made for airlock (it offers memory and pids in cgroup.controllers, airlock
 * may write it, and airlock is its only process, as after "systemd-run --scope -p
 * Delegate=yes airlock run ..."). There airlock moves itself into a leaf "<name>.supervisor",
 * enables the controllers, and at the end disables them again and moves back: the cgroup is
 * left as it was found. */
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <time.h>

#include "basic/log.h"
#include "cgroup-internal.h"

#define CPU_PERIOD_USEC 100000

static bool word_in(const char *list, const char *word)
{
        size_t n = strlen(word);

        for (const char *p = list; (p = strstr(p, word)); p += n)
                if ((p == list || p[-1] == ' ' || p[-1] == '\n') &&
                    (p[n] == 0 || p[n] == ' ' || p[n] == '\n'))
                        return true;
        return false;
}

#define CPU_SETTINGS    (POLICY_CG_CPU_SHARES | POLICY_CG_CPU_PERIOD | POLICY_CG_CPU_QUOTA)
#define RT_SETTINGS     (POLICY_CG_CPU_RT_PERIOD | POLICY_CG_CPU_RT_RUNTIME)
#define CPUSET_SETTINGS (POLICY_CG_CPUS | POLICY_CG_MEMS)
/* v1 knobs that v2 has no file for */
#define V1_ONLY_SETTINGS                                                              \
        (RT_SETTINGS | POLICY_CG_MEMORY_SWAPPINESS | POLICY_CG_MEMORY_NO_OOM_KILLER | \
         POLICY_CG_MEMORY_KERNEL_TCP)

/* As runc and crun: shares 2..262144 onto weight 1..10000, linearly. */
uint64_t cgroup_v2_cpu_weight(uint64_t shares)
{
        if (shares == 0)
                return 0;
        if (shares < 2)
                shares = 2;
        if (shares > 262144)
                shares = 262144;
        return 1 + ((shares - 2) * 9999) / 262142;
}

int cgroup_v2_swap_max(int64_t swap, uint64_t limit, int64_t *ret)
{
        if (swap == -1) {
                *ret = -1;
                return 0;
        }
        if (limit == 0 || limit > INT64_MAX || swap < (int64_t)limit)
                return -EINVAL;
        *ret = swap - (int64_t)limit;
        return 0;
}

static int write_setting(int fd, unsigned bit, const char *file, const char *value)
{
        int r = cgroup_write_at(fd, file, value);

        if (r < 0)
                return cgroup_fail_setting(bit, r, "cannot write \"%s\" to %s: %m", value, file);
        return 0;
}

/* "max" for -1, else the number */
static const char *v2_number(char buf[static 32], int64_t v)
{
        if (v < 0)
                return "max";
        snprintf(buf, 32, "%" PRId64, v);
        return buf;
}

static int apply_memory_settings(int fd, const struct policy *p)
{
        const struct policy_cgroup_settings *s = &p->cgroup_settings;
        char buf[32];
        int r = 0;

        if (s->set & POLICY_CG_MEMORY_SWAP) {
                int64_t swap;

                r = cgroup_v2_swap_max(s->memory_swap, p->memory_max, &swap);
                if (r < 0)
                        return cgroup_fail_setting(POLICY_CG_MEMORY_SWAP, r,
                                                   "memory + swap must be -1 or at least "
                                                   "memory.limit, which must be set");
                r = write_setting(fd, POLICY_CG_MEMORY_SWAP, "memory.swap.max",
                                  v2_number(buf, swap));
        }
        if (r >= 0 && s->set & POLICY_CG_MEMORY_RESERVATION)
                r = write_setting(fd, POLICY_CG_MEMORY_RESERVATION, "memory.low",
                                  v2_number(buf, s->memory_reservation));
        return r;
}

static int apply_cpu_settings(int fd, const struct policy *p, const char *delegated)
{
        const struct policy_cgroup_settings *s = &p->cgroup_settings;
        char buf[64];
        int r = 0;

        if ((s->set & CPU_SETTINGS) && !word_in(delegated, "cpu"))
                return cgroup_fail_setting(s->set & CPU_SETTINGS, -EOPNOTSUPP,
                                           "the cpu controller is not delegated to airlock's "
                                           "cgroup");
        if ((s->set & CPUSET_SETTINGS) && !word_in(delegated, "cpuset"))
                return cgroup_fail_setting(s->set & CPUSET_SETTINGS, -EOPNOTSUPP,
                                           "the cpuset controller is not delegated to "
                                           "airlock's cgroup");
        if (s->set & POLICY_CG_CPU_SHARES) {
                snprintf(buf, sizeof(buf), "%" PRIu64, cgroup_v2_cpu_weight(s->cpu_shares));
                r = write_setting(fd, POLICY_CG_CPU_SHARES, "cpu.weight", buf);
        }
        if (r >= 0 && s->set & (POLICY_CG_CPU_PERIOD | POLICY_CG_CPU_QUOTA)) {
                char quota[32];
                uint64_t period =
                        s->set & POLICY_CG_CPU_PERIOD ? s->cpu_period_usec : CPU_PERIOD_USEC;

                snprintf(buf, sizeof(buf), "%s %" PRIu64,
                         s->set & POLICY_CG_CPU_QUOTA ? v2_number(quota, s->cpu_quota_usec) : "max",
                         period);
                r = write_setting(fd, s->set & (POLICY_CG_CPU_PERIOD | POLICY_CG_CPU_QUOTA),
                                  "cpu.max", buf);
        }
        if (r >= 0 && s->set & POLICY_CG_CPUS)
                r = write_setting(fd, POLICY_CG_CPUS, "cpuset.cpus", s->cpus);
        if (r >= 0 && s->set & POLICY_CG_MEMS)
                r = write_setting(fd, POLICY_CG_MEMS, "cpuset.mems", s->mems);
        return r;
}

/* The device cgroup's program, where airlock may load and attach one (root; the container's
 * wall is that it has no node beyond airlock's /dev: the cgroup is a second one). */
static int apply_devices(int fd, const struct policy *p)
{
        const struct policy_cgroup_settings *s = &p->cgroup_settings;
        int r;

        if (!(s->set & POLICY_CG_DEVICES))
                return 0;
        r = cgroup_v2_device_attach(fd, s->devices, s->n_devices);
        if (r == -EPERM || r == -EACCES || r == -ENOSYS) {
                log_debug_errno(r, "cannot attach a device program: %m; no device cgroup");
                return 0;
        }
        if (r < 0)
                return cgroup_fail_setting(POLICY_CG_DEVICES, r,
                                           "cannot attach the device program: %m");
        return 0;
}

static int apply_limits(struct cgroup *cg, const struct policy *p, const char *delegated)
{
        const struct policy_cgroup_settings *s = &p->cgroup_settings;
        int fd = cg->dirs[0].fd;
        int r;

        if (s->set & V1_ONLY_SETTINGS)
                /* as runc: refused, not dropped (cgroup v2 has no such file) */
                return cgroup_fail_setting(s->set & V1_ONLY_SETTINGS, -EOPNOTSUPP,
                                           "cgroup v2 has no such setting (only v1 has)");
        if (p->memory_max > 0) {
                r = cgroup_write_u64_at(fd, "memory.max", p->memory_max);
                if (r < 0)
                        return log_debug_errno(r, "cannot set memory.max: %m");
                /* No swap (a limit that spills to swap is no limit), and an OOM kill ends the
                 * whole sandbox rather than one random task of it. Both are optional files. */
                if (!(s->set & POLICY_CG_MEMORY_SWAP))
                        (void)cgroup_write_at(fd, "memory.swap.max", "0");
                (void)cgroup_write_at(fd, "memory.oom.group", "1");
                cg->enforced |= CGROUP_LIMIT_MEMORY;
        }
        r = apply_memory_settings(fd, p);
        if (r < 0)
                return r;
        if (p->pids_max > 0) {
                r = cgroup_write_u64_at(fd, "pids.max", p->pids_max);
                if (r < 0)
                        return log_debug_errno(r, "cannot set pids.max: %m");
                cg->enforced |= CGROUP_LIMIT_PIDS;
        }
        if (s->set & (CPU_SETTINGS | CPUSET_SETTINGS)) {
                r = apply_cpu_settings(fd, p, delegated);
                if (r < 0)
                        return r;
                if (p->cpus > 0 && (s->set & POLICY_CG_CPU_QUOTA))
                        cg->enforced |= CGROUP_LIMIT_CPU;
        }
        if (p->cpus > 0 && !(s->set & (POLICY_CG_CPU_PERIOD | POLICY_CG_CPU_QUOTA)) &&
            word_in(delegated, "cpu")) {
                uint64_t quota = (uint64_t)(p->cpus * CPU_PERIOD_USEC + 0.5);
                char buf[64];

                snprintf(buf, sizeof(buf), "%llu %d",
                         (unsigned long long)(quota < 1000 ? 1000 : quota), CPU_PERIOD_USEC);
                r = cgroup_write_at(fd, "cpu.max", buf);
                if (r < 0)
                        return log_debug_errno(r, "cannot set cpu.max: %m");
                cg->enforced |= CGROUP_LIMIT_CPU;
        }
        r = apply_devices(fd, p);
        if (r < 0)
                return r;
        if (faccessat(fd, "cgroup.kill", W_OK, 0) == 0 ||
            faccessat(fd, "cgroup.freeze", W_OK, 0) == 0)
                cg->enforced |= CGROUP_KILL_TREE;
        return 0;
}

/* Is this process the only one in the cgroup dirfd? */
static bool alone_in(int dirfd)
{
        _cleanup_free_ char *procs = NULL;
        char *end;
        long pid;

        if (cgroup_read_at(dirfd, "cgroup.procs", &procs) < 0)
                return false;
        pid = strtol(procs, &end, 10);
        return pid == getpid() && end[strspn(end, " \n")] == 0;
}

/* In a cgroup made for airlock: move into a leaf and enable the controllers (see the top).
 * Sets *delegated to what the cgroup now delegates. Returns 0 or -EOPNOTSUPP/-errno. */
static int take_over(struct cgroup *cg, const char *own, int pfd, const struct policy *p,
                     char **delegated)
{
        _cleanup_free_ char *avail = NULL, *leaf = NULL, *procs = NULL, *now = NULL;
        bool cpu, cpuset;
        char me[32], enable[48];
        int r;

        if (cgroup_read_at(pfd, "cgroup.controllers", &avail) < 0 || !word_in(avail, "memory") ||
            !word_in(avail, "pids") || !alone_in(pfd) ||
            faccessat(pfd, "cgroup.subtree_control", W_OK, 0) < 0)
                return -EOPNOTSUPP;
        cpu = (p->cpus > 0 || (p->cgroup_settings.set & CPU_SETTINGS)) && word_in(avail, "cpu");
        cpuset = (p->cgroup_settings.set & CPUSET_SETTINGS) && word_in(avail, "cpuset");
        if (asprintf(&leaf, "%s.supervisor", cg->name) < 0 ||
            asprintf(&procs, "%s.supervisor/cgroup.procs", cg->name) < 0 ||
            asprintf(&now, "memory pids%s%s", cpu ? " cpu" : "", cpuset ? " cpuset" : "") < 0)
                return -ENOMEM;
        r = cgroup_mkdirat(pfd, leaf);
        if (r < 0)
                return r;
        snprintf(me, sizeof(me), "%d", (int)getpid());
        snprintf(enable, sizeof(enable), "+memory +pids%s%s", cpu ? " +cpu" : "",
                 cpuset ? " +cpuset" : "");
        r = cgroup_write_at(pfd, procs, me);
        if (r >= 0) {
                r = cgroup_write_at(pfd, "cgroup.subtree_control", enable);
                if (r < 0)
                        (void)cgroup_write_at(pfd, "cgroup.procs", me); /* back home */
        }
        if (r < 0) {
                (void)cgroup_rmdirat(pfd, leaf);
                return log_debug_errno(r, "cannot take over %s for the sandbox: %m", own);
        }
        snprintf(cg->v2_disable, sizeof(cg->v2_disable), "-memory -pids%s%s", cpu ? " -cpu" : "",
                 cpuset ? " -cpuset" : "");
        cg->v2_own = strdup(own);
        if (!cg->v2_own || asprintf(&cg->v2_leaf, "%s/%s", own, leaf) < 0)
                return -ENOMEM; /* v2_release() still undoes what it can */
        free(*delegated);
        *delegated = TAKE_PTR(now);
        return 0;
}

/* Leaves airlock's own cgroup as take_over() found it. */
static void v2_release(struct cgroup *cg)
{
        _cleanup_close_ int pfd = -1;
        char me[32];

        if (!cg->v2_own)
                return;
        pfd = open(cg->v2_own, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0)
                return;
        snprintf(me, sizeof(me), "%d", (int)getpid());
        (void)cgroup_write_at(pfd, "cgroup.subtree_control", cg->v2_disable);
        (void)cgroup_write_at(pfd, "cgroup.procs", me);
        if (cg->v2_leaf)
                (void)cgroup_remove_dir(cg->v2_leaf);
}

static int setup_at(struct cgroup *cg, const char *parent, const struct policy *p)
{
        _cleanup_close_ int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_free_ char *delegated = NULL;
        struct cgroup_dir *d = &cg->dirs[0];
        int r;

        if (pfd < 0)
                return negative_errno();
        r = cgroup_read_at(pfd, "cgroup.subtree_control", &delegated);
        if (r < 0)
                return r == -ENOENT ? -EOPNOTSUPP : r;
        r = cgroup_make_name(&cg->name);
        if (r < 0)
                return r;
        if (!word_in(delegated, "memory") || !word_in(delegated, "pids")) {
                r = take_over(cg, parent, pfd, p, &delegated);
                if (r < 0) {
                        /* not usable: the caller falls back to v1 or rlimits */
                        log_debug_errno(r,
                                        "%s does not delegate the memory and pids "
                                        "controllers: %m",
                                        parent);
                        v2_release(cg);
                        return -EOPNOTSUPP;
                }
        }
        r = cgroup_mkdirat(pfd, cg->name);
        if (r < 0) {
                v2_release(cg);
                return r;
        }
        if (asprintf(&d->path, "%s/%s", parent, cg->name) < 0) {
                (void)cgroup_rmdirat(pfd, cg->name);
                v2_release(cg);
                return -ENOMEM;
        }
        cg->n_dirs = 1;
        d->fd = openat(pfd, cg->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = d->fd < 0 ? negative_errno() : apply_limits(cg, p, delegated);
        if (r < 0) {
                d->fd = safe_close(d->fd);
                (void)cgroup_remove_dir(d->path);
                d->path = mfree(d->path); /* cgroup_free frees the paths of n_dirs only */
                cg->n_dirs = 0;
                v2_release(cg);
        }
        return r;
}

/* Enables memory and pids (and cpu, cpuset for the cpu settings) in the subtree_control of every
 * folder of dir below the one in which they are already enabled, down to dir's parent (as runc
 * does), so that dir gets those controllers. */
static void delegate_down_to(const char *mnt, const char *dir, bool cpu, bool cpuset)
{
        char enable[48];
        _cleanup_free_ char *copy = strdup(dir);

        snprintf(enable, sizeof(enable), "+memory +pids%s%s", cpu ? " +cpu" : "",
                 cpuset ? " +cpuset" : "");
        for (char *s = copy ? strchr(copy + strlen(mnt), '/') : NULL; s; s = strchr(s + 1, '/')) {
                _cleanup_close_ int fd = -1;

                *s = 0;
                fd = open(copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                *s = '/';
                if (fd >= 0)
                        (void)cgroup_write_at(fd, "cgroup.subtree_control", enable);
        }
}

/* The cgroup the policy names (policy.cgroup_path) instead of one beneath airlock's own. */
static int setup_named(struct cgroup *cg, const char *own, const struct policy *p)
{
        _cleanup_free_ char *avail = NULL, *dir = NULL, *mnt = NULL, *delegated = NULL;
        _cleanup_close_ int ofd = open(own, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct cgroup_dir *d = &cg->dirs[0];
        int r;

        if (ofd < 0 || cgroup_read_at(ofd, "cgroup.controllers", &avail) < 0 ||
            !word_in(avail, "memory") || !word_in(avail, "pids"))
                return -EOPNOTSUPP;
        r = cgroup_named_dir("", p->cgroup_path, &dir);
        if (r >= 0)
                r = cgroup_hierarchy_mount("", &mnt);
        if (r >= 0)
                r = cgroup_make_named(dir);
        if (r < 0)
                return r;
        delegate_down_to(mnt, dir, p->cpus > 0 || (p->cgroup_settings.set & CPU_SETTINGS),
                         p->cgroup_settings.set & CPUSET_SETTINGS);
        d->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = d->fd < 0 ? negative_errno() : 0;
        if (r >= 0 && !(cg->name = strdup(p->cgroup_path)))
                r = -ENOMEM;
        if (r >= 0) {
                /* what the leaf got: the controllers its parent delegates */
                _cleanup_free_ char *mine = NULL;

                r = cgroup_read_at(d->fd, "cgroup.controllers", &mine);
                delegated = r >= 0 ? TAKE_PTR(mine) : NULL;
                if (r >= 0 && (!word_in(delegated, "memory") || !word_in(delegated, "pids")))
                        r = -EOPNOTSUPP;
        }
        d->path = TAKE_PTR(dir);
        cg->n_dirs = 1;
        if (r >= 0)
                r = apply_limits(cg, p, delegated);
        if (r < 0) {
                d->fd = safe_close(d->fd);
                (void)cgroup_remove_dir(d->path);
                d->path = mfree(d->path);
                cg->n_dirs = 0;
        }
        return r;
}

static int v2_setup(struct cgroup *cg, const struct policy *p)
{
        _cleanup_free_ char *own = NULL;
        int r = cgroup_find_own("", &own);

        if (r < 0)
                return r == -ENOENT ? -EOPNOTSUPP : r;
        return p->cgroup_path ? setup_named(cg, own, p) : setup_at(cg, own, p);
}

int cgroup_v2_setup_at(const char *parent, const struct policy *p, struct cgroup **ret)
{
        struct cgroup *cg = calloc(1, sizeof(*cg));
        int r;

        if (!cg)
                return -ENOMEM;
        cg->backend = &cgroup_v2_backend;
        r = setup_at(cg, parent, p);
        if (r < 0) {
                cgroup_free(cg);
                return r;
        }
        *ret = cg;
        return 0;
}

static int v2_clone_fd(const struct cgroup *cg)
{
        return cg->n_dirs > 0 ? cg->dirs[0].fd : -1;
}

static int v2_attach(struct cgroup *cg, pid_t pid)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%d", (int)pid);
        return cgroup_write_at(cg->dirs[0].fd, "cgroup.procs", buf);
}

static bool dir_populated(int fd)
{
        uint64_t v;

        if (cgroup_read_key_at(fd, "cgroup.events", "populated", &v) >= 0)
                return v != 0;
        _cleanup_free_ char *buf = NULL;
        return cgroup_read_at(fd, "cgroup.procs", &buf) >= 0 && buf[strspn(buf, " \n")] != 0;
}

static bool v2_populated(struct cgroup *cg)
{
        return dir_populated(cg->dirs[0].fd);
}

static int kill_dir(int fd)
{
        int r = cgroup_write_at(fd, "cgroup.kill", "1");

        if (r != -ENOENT)
                return r;
        /* Before Linux 5.14: freeze, kill what is listed, thaw. */
        (void)cgroup_write_at(fd, "cgroup.freeze", "1");
        (void)cgroup_kill_listed(fd);
        (void)cgroup_write_at(fd, "cgroup.freeze", "0");
        return 0;
}

static int v2_kill(struct cgroup *cg)
{
        return kill_dir(cg->dirs[0].fd);
}

/* Each keyed file read once for all its keys: the end of every run waits for these (cpu.stat
 * and memory.events were read once per key, 24 system calls more). */
static int v2_read_stats(struct cgroup *cg, struct cgroup_stats *s)
{
        static const char *const cpu_keys[] = {"usage_usec", "user_usec", "system_usec",
                                               "nr_throttled", "throttled_usec"};
        static const char *const memory_keys[] = {"max", "oom_kill", "oom"};
        uint64_t cpu[ELEMENTSOF(cpu_keys)] = {0}, memory[ELEMENTSOF(memory_keys)] = {0};
        int fd = cg->dirs[0].fd;
        uint64_t v;

        if (cgroup_read_keys_at(fd, "cpu.stat", cpu_keys, cpu, ELEMENTSOF(cpu_keys)) >= 0) {
                s->cpu_usec = cpu[0];
                s->cpu_user_usec = cpu[1];
                s->cpu_system_usec = cpu[2];
                s->cpu_nr_throttled = cpu[3];
                s->cpu_throttled_usec = cpu[4];
        }
        if (cgroup_read_u64_at(fd, "memory.peak", &v) >= 0)
                s->memory_peak = v;
        if (cgroup_read_keys_at(fd, "memory.events", memory_keys, memory,
                                ELEMENTSOF(memory_keys)) >= 0) {
                s->memory_max_events = memory[0];
                s->oom_kills = memory[1];
                s->memory_limit_hit = memory[2] > 0;
        }
        s->memory_limit_hit = s->memory_limit_hit || s->memory_max_events > 0 || s->oom_kills > 0;
        if (cgroup_read_u64_at(fd, "pids.peak", &v) >= 0)
                s->pids_peak = v;
        if (cgroup_read_key_at(fd, "pids.events", "max", &v) >= 0)
                s->pids_max_events = v;
        s->pids_limit_hit = s->pids_max_events > 0;
        return 0;
}

/* Kills and removes name beneath parent when its owner is gone. */
static int remove_stale(int pfd, const char *name, void *userdata)
{
        const char *parent = userdata;
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0)
                return 0;
        for (int i = 0; i < 50 && dir_populated(fd); i++) {
                (void)kill_dir(fd);
                nanosleep(&(struct timespec){.tv_nsec = 2 * 1000 * 1000}, NULL);
        }
        if (asprintf(&path, "%s/%s", parent, name) < 0)
                return 0;
        fd = safe_close(fd);
        return cgroup_remove_dir(path) >= 0 ? 1 : 0;
}

int cgroup_v2_cleanup_stale_at(const char *parent)
{
        _cleanup_close_ int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (pfd < 0)
                return 0;
        return cgroup_for_each_stale(pfd, remove_stale, (void *)parent);
}

static int v2_cleanup_stale(void)
{
        _cleanup_free_ char *own = NULL;

        if (cgroup_find_own("", &own) < 0)
                return 0;
        return cgroup_v2_cleanup_stale_at(own);
}

const struct cgroup_backend cgroup_v2_backend = {
        .name = "v2",
        .at_clone = true,
        .setup = v2_setup,
        .clone_fd = v2_clone_fd,
        .attach = v2_attach,
        .kill = v2_kill,
        .read_stats = v2_read_stats,
        .populated = v2_populated,
        .cleanup_stale = v2_cleanup_stale,
        .release = v2_release,
};
