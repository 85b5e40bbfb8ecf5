/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup v1: one directory per hierarchy (memory, pids, cpu, cpuacct, freezer, cpuset), each
 * beneath the cgroup airlock runs in there. memory and pids are required; cpu, cpuacct and
 * freezer are used when present, cpuset only for the policy's cpus and mems. The tree is ended
 * by freezing it, killing every task and thawing. */
#include <sys/eventfd.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <time.h>

#include "basic/log.h"
#include "cgroup-internal.h"

static const struct {
        const char *name;
        unsigned bit;
        bool required;
} v1_controllers[] = {
        {"memory", CG_CTRL_MEMORY, true},    {"pids", CG_CTRL_PIDS, true},
        {"cpu", CG_CTRL_CPU, false},         {"cpuacct", CG_CTRL_CPUACCT, false},
        {"freezer", CG_CTRL_FREEZER, false}, {"cpuset", CG_CTRL_CPUSET, false},
        {"devices", CG_CTRL_DEVICES, false},
};

#define CPU_SETTINGS                                                         \
        (POLICY_CG_CPU_SHARES | POLICY_CG_CPU_PERIOD | POLICY_CG_CPU_QUOTA | \
         POLICY_CG_CPU_RT_PERIOD | POLICY_CG_CPU_RT_RUNTIME)
#define CPUSET_SETTINGS (POLICY_CG_CPUS | POLICY_CG_MEMS)

#define CPU_PERIOD_USEC 100000

/* The parent directories (airlock's own cgroup in each hierarchy), deduplicated so that
 * co-mounted controllers ("cpu,cpuacct") share one. */
struct v1_parent {
        char *path;
        const char *controller; /* the first of them, to find the hierarchy by */
        unsigned controllers;
};

static void parents_free(struct v1_parent *ps, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(ps[i].path);
}

static int find_parents(struct v1_parent *ps, size_t *ret_n)
{
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(v1_controllers); i++) {
                char *dir = NULL;
                size_t j;
                int r = cgroup_find_own(v1_controllers[i].name, &dir);

                if (r == -ENOENT && !v1_controllers[i].required)
                        continue;
                if (r < 0) {
                        parents_free(ps, n);
                        return r == -ENOENT ? -EOPNOTSUPP : r;
                }
                for (j = 0; j < n && !streq(ps[j].path, dir); j++)
                        ;
                if (j < n)
                        free(dir);
                else
                        ps[n++] = (struct v1_parent){.path = dir,
                                                     .controller = v1_controllers[i].name};
                ps[j].controllers |= v1_controllers[i].bit;
        }
        *ret_n = n;
        return 0;
}

static struct cgroup_dir *dir_with(struct cgroup *cg, unsigned controller)
{
        for (size_t i = 0; i < cg->n_dirs; i++)
                if (cg->dirs[i].controllers & controller)
                        return &cg->dirs[i];
        return NULL;
}

/* Writes one setting of policy.cgroup_settings, naming the field when the kernel refuses it. */
static int write_setting(struct cgroup_dir *d, unsigned bit, const char *file, int64_t value)
{
        int r = cgroup_write_i64_at(d->fd, file, value);

        if (r == -ENOENT)
                return cgroup_fail_setting(bit, -EOPNOTSUPP, "this kernel has no %s", file);
        if (r < 0)
                return cgroup_fail_setting(bit, r, "cannot write %" PRId64 " to %s/%s: %m", value,
                                           d->path, file);
        return 0;
}

static int apply_memory(struct cgroup *cg, const struct policy *p)
{
        const struct policy_cgroup_settings *s = &p->cgroup_settings;
        struct cgroup_dir *d = dir_with(cg, CG_CTRL_MEMORY);
        int r = 0;

        if (p->memory_max > 0) {
                r = cgroup_write_u64_at(d->fd, "memory.limit_in_bytes", p->memory_max);
                if (r < 0)
                        return log_debug_errno(r, "cannot set memory.limit_in_bytes: %m");
                /* With swap accounting, memory+swap at the same value means no swap. */
                if (!(s->set & POLICY_CG_MEMORY_SWAP))
                        (void)cgroup_write_u64_at(d->fd, "memory.memsw.limit_in_bytes",
                                                  p->memory_max);
                cg->enforced |= CGROUP_LIMIT_MEMORY;
        }
        if (s->set & POLICY_CG_MEMORY_SWAP) {
                r = write_setting(d, POLICY_CG_MEMORY_SWAP, "memory.memsw.limit_in_bytes",
                                  s->memory_swap);
                if (r == -EOPNOTSUPP)
                        return cgroup_fail_setting(POLICY_CG_MEMORY_SWAP, r,
                                                   "swap accounting is off in this kernel "
                                                   "(no memory.memsw.limit_in_bytes)");
        }
        if (r >= 0 && s->set & POLICY_CG_MEMORY_RESERVATION)
                r = write_setting(d, POLICY_CG_MEMORY_RESERVATION, "memory.soft_limit_in_bytes",
                                  s->memory_reservation);
        if (r >= 0 && s->set & POLICY_CG_MEMORY_SWAPPINESS)
                r = write_setting(d, POLICY_CG_MEMORY_SWAPPINESS, "memory.swappiness",
                                  (int64_t)s->memory_swappiness);
        if (r >= 0 && s->set & POLICY_CG_MEMORY_NO_OOM_KILLER)
                r = write_setting(d, POLICY_CG_MEMORY_NO_OOM_KILLER, "memory.oom_control", 1);
        /* Linux 6.1 and later accept and ignore it (kernel memory counts within the limit);
         * airlock-runtime says so when it reads the spec. */
        if (r >= 0 && s->set & POLICY_CG_MEMORY_KERNEL)
                (void)cgroup_write_i64_at(d->fd, "memory.kmem.limit_in_bytes", s->memory_kernel);
        if (r >= 0 && s->set & POLICY_CG_MEMORY_KERNEL_TCP)
                r = write_setting(d, POLICY_CG_MEMORY_KERNEL_TCP, "memory.kmem.tcp.limit_in_bytes",
                                  s->memory_kernel_tcp);
        return r;
}

static int apply_cpu(struct cgroup *cg, const struct policy *p)
{
        const struct policy_cgroup_settings *s = &p->cgroup_settings;
        struct cgroup_dir *d = dir_with(cg, CG_CTRL_CPU);
        int r = 0;

        if (!d && (s->set & CPU_SETTINGS))
                return cgroup_fail_setting(s->set & CPU_SETTINGS, -EOPNOTSUPP,
                                           "no cpu controller hierarchy that airlock may write");
        if (!d)
                return 0;
        if (s->set & POLICY_CG_CPU_SHARES)
                r = write_setting(d, POLICY_CG_CPU_SHARES, "cpu.shares", (int64_t)s->cpu_shares);
        if (r < 0)
                return r;
        if (s->set & (POLICY_CG_CPU_PERIOD | POLICY_CG_CPU_QUOTA)) {
                /* the spec's own period and quota, as written */
                if (s->set & POLICY_CG_CPU_PERIOD)
                        r = write_setting(d, POLICY_CG_CPU_PERIOD, "cpu.cfs_period_us",
                                          (int64_t)s->cpu_period_usec);
                if (r >= 0 && s->set & POLICY_CG_CPU_QUOTA)
                        r = write_setting(d, POLICY_CG_CPU_QUOTA, "cpu.cfs_quota_us",
                                          s->cpu_quota_usec);
                if (r < 0)
                        return r;
                if (p->cpus > 0)
                        cg->enforced |= CGROUP_LIMIT_CPU;
        } else if (p->cpus > 0) {
                uint64_t quota = (uint64_t)(p->cpus * CPU_PERIOD_USEC + 0.5);

                r = cgroup_write_u64_at(d->fd, "cpu.cfs_period_us", CPU_PERIOD_USEC);
                if (r >= 0)
                        r = cgroup_write_u64_at(d->fd, "cpu.cfs_quota_us",
                                                quota < 1000 ? 1000 : quota);
                if (r < 0)
                        return log_debug_errno(r, "cannot set the CFS quota: %m");
                cg->enforced |= CGROUP_LIMIT_CPU;
        }
        /* period before runtime: the kernel checks runtime against the period it has */
        if (s->set & POLICY_CG_CPU_RT_PERIOD)
                r = write_setting(d, POLICY_CG_CPU_RT_PERIOD, "cpu.rt_period_us",
                                  (int64_t)s->cpu_rt_period_usec);
        if (r >= 0 && s->set & POLICY_CG_CPU_RT_RUNTIME)
                r = write_setting(d, POLICY_CG_CPU_RT_RUNTIME, "cpu.rt_runtime_us",
                                  s->cpu_rt_runtime_usec);
        return r;
}

/* Copies cpuset.cpus and cpuset.mems from the parent of each folder of dir from first (a
 * folder airlock made) down: a new cpuset starts empty, and no task can join an empty one. */
static int cpuset_inherit(const char *first, const char *dir)
{
        static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
        _cleanup_free_ char *copy = strdup(dir);
        size_t at = strlen(first);

        if (!copy)
                return -ENOMEM;
        for (;;) {
                char saved = copy[at];
                char *slash;
                _cleanup_close_ int fd = -1, pfd = -1;

                copy[at] = 0;
                fd = open(copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                slash = strrchr(copy, '/');
                *slash = 0;
                pfd = open(copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                *slash = '/';
                copy[at] = saved;
                if (fd < 0 || pfd < 0)
                        return negative_errno();
                for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                        _cleanup_free_ char *v = NULL;
                        int r = cgroup_read_at(pfd, files[i], &v);

                        if (r >= 0)
                                r = cgroup_write_at(fd, files[i], v);
                        if (r < 0)
                                return log_debug_errno(r, "cannot copy %s into %s: %m", files[i],
                                                       copy);
                }
                if (!saved)
                        return 0;
                at = strchrnul(copy + at + 1, '/') - copy;
        }
}

static int apply_cpuset(struct cgroup *cg, const struct policy *p)
{
        const struct policy_cgroup_settings *s = &p->cgroup_settings;
        struct cgroup_dir *d = dir_with(cg, CG_CTRL_CPUSET);
        int r = 0;

        if (!(s->set & CPUSET_SETTINGS))
                return 0;
        if (!d)
                return cgroup_fail_setting(s->set & CPUSET_SETTINGS, -EOPNOTSUPP,
                                           "no cpuset controller hierarchy that airlock may "
                                           "write");
        if (s->set & POLICY_CG_CPUS)
                r = cgroup_write_at(d->fd, "cpuset.cpus", s->cpus);
        if (r < 0)
                return cgroup_fail_setting(POLICY_CG_CPUS, r,
                                           "cannot write \"%s\" to %s/cpuset.cpus: %m", s->cpus,
                                           d->path);
        if (s->set & POLICY_CG_MEMS)
                r = cgroup_write_at(d->fd, "cpuset.mems", s->mems);
        if (r < 0)
                return cgroup_fail_setting(POLICY_CG_MEMS, r,
                                           "cannot write \"%s\" to %s/cpuset.mems: %m", s->mems,
                                           d->path);
        return 0;
}

const char *cgroup_v1_device_line(const struct policy_device_rule *d, char type, char *buf,
                                  size_t n)
{
        char major[16] = "*", minor[16] = "*";

        if (d->type == 'a' && d->major < 0 && d->minor < 0 && streq(d->access, "rwm"))
                snprintf(buf, n, "a");
        else {
                if (d->major >= 0)
                        snprintf(major, sizeof(major), "%" PRId32, d->major);
                if (d->minor >= 0)
                        snprintf(minor, sizeof(minor), "%" PRId32, d->minor);
                snprintf(buf, n, "%c %s:%s %s", type, major, minor, d->access);
        }
        return d->allow ? "devices.allow" : "devices.deny";
}

/* The device cgroup, where this hierarchy is there and airlock may write it (the container's
 * wall is that it has no node beyond airlock's /dev: the cgroup is a second one): the rules
 * written in order, from "a" denied, as the kernel applies each to the list before. */
static int apply_devices(struct cgroup *cg, const struct policy *p)
{
        const struct policy_cgroup_settings *s = &p->cgroup_settings;
        struct cgroup_dir *d = dir_with(cg, CG_CTRL_DEVICES);

        if (!(s->set & POLICY_CG_DEVICES))
                return 0;
        if (!d) {
                log_debug("no devices hierarchy that airlock may write: no device cgroup");
                return 0;
        }
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct policy_device_rule *rule = &s->devices[i];
                /* "a" alone is every device; a rule of type a with less is one per type */
                const char *types = rule->type == 'c' ? "c" : rule->type == 'b' ? "b" : "cb";

                for (const char *t = types; *t; t++) {
                        char line[64];
                        const char *file = cgroup_v1_device_line(rule, *t, line, sizeof(line));
                        int r = cgroup_write_at(d->fd, file, line);

                        if (r < 0)
                                return cgroup_fail_setting(POLICY_CG_DEVICES, r,
                                                           "cannot write \"%s\" to %s/%s: %m", line,
                                                           d->path, file);
                        if (streq(line, "a"))
                                break;
                }
        }
        return 0;
}

static int apply_limits(struct cgroup *cg, const struct policy *p)
{
        struct cgroup_dir *d;
        int r;

        r = apply_memory(cg, p);
        if (r < 0)
                return r;
        d = dir_with(cg, CG_CTRL_PIDS);
        if (p->pids_max > 0) {
                r = cgroup_write_u64_at(d->fd, "pids.max", p->pids_max);
                if (r < 0)
                        return log_debug_errno(r, "cannot set pids.max: %m");
                cg->enforced |= CGROUP_LIMIT_PIDS;
        }
        r = apply_cpu(cg, p);
        if (r >= 0)
                r = apply_cpuset(cg, p);
        if (r >= 0)
                r = apply_devices(cg, p);
        if (r < 0)
                return r;
        if (dir_with(cg, CG_CTRL_FREEZER))
                cg->enforced |= CGROUP_KILL_TREE;
        return 0;
}

/* The first folder of dir that does not exist yet, or NULL when dir exists. */
static char *first_missing(const char *dir)
{
        _cleanup_free_ char *copy = strdup(dir);

        for (char *s = copy ? strchr(copy + 1, '/') : NULL; copy; s = strchr(s + 1, '/')) {
                if (s)
                        *s = 0;
                if (access(copy, F_OK) < 0)
                        return TAKE_PTR(copy);
                if (!s)
                        return NULL;
                *s = '/';
        }
        return NULL;
}

/* The cgroup the policy names, in the hierarchy of parent. */
static int setup_named(struct cgroup_dir *d, const struct v1_parent *parent, const char *path)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_free_ char *first_new = NULL;
        int r = cgroup_named_dir(parent->controller, path, &dir);

        if (r >= 0 && !(first_new = first_missing(dir)))
                r = -EEXIST;
        if (r >= 0)
                r = cgroup_make_named(dir);
        if (r >= 0 && (parent->controllers & CG_CTRL_CPUSET)) {
                r = cpuset_inherit(first_new, dir);
                if (r < 0)
                        (void)cgroup_remove_dir(dir);
        }
        if (r < 0)
                return log_debug_errno(r, "cannot make the cgroup %s (%s): %m", path,
                                       dir ?: parent->controller);
        d->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d->fd < 0) {
                r = negative_errno();
                (void)cgroup_remove_dir(dir);
                return r;
        }
        d->path = TAKE_PTR(dir);
        d->controllers = parent->controllers;
        return 0;
}

static int v1_setup(struct cgroup *cg, const struct policy *p)
{
        struct v1_parent parents[CGROUP_DIRS_MAX] = {0};
        size_t n_parents = 0;
        int r;

        r = find_parents(parents, &n_parents);
        if (r < 0)
                return r;
        if (p->cgroup_path) {
                cg->name = strdup(p->cgroup_path);
                r = cg->name ? 0 : -ENOMEM;
        } else
                r = cgroup_make_name(&cg->name);
        for (size_t i = 0; r >= 0 && i < n_parents; i++) {
                struct cgroup_dir *d = &cg->dirs[cg->n_dirs];
                _cleanup_close_ int pfd = -1;

                /* a hierarchy of the cpu controller alone serves only --cpus and the cpu
                 * settings, one of cpuset alone only the cpus and mems settings */
                if (parents[i].controllers == CG_CTRL_CPU && p->cpus <= 0 &&
                    !(p->cgroup_settings.set & CPU_SETTINGS))
                        continue;
                if (parents[i].controllers == CG_CTRL_CPUSET &&
                    !(p->cgroup_settings.set & CPUSET_SETTINGS))
                        continue;
                if (parents[i].controllers == CG_CTRL_DEVICES &&
                    !(p->cgroup_settings.set & POLICY_CG_DEVICES))
                        continue;
                if (p->cgroup_path) {
                        r = setup_named(d, &parents[i], p->cgroup_path);
                        if (r >= 0)
                                cg->n_dirs++;
                        else if (!(parents[i].controllers & (CG_CTRL_MEMORY | CG_CTRL_PIDS)))
                                r = 0;
                        continue;
                }
                pfd = open(parents[i].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (pfd < 0) {
                        r = negative_errno();
                        break;
                }
                r = cgroup_mkdirat(pfd, cg->name);
                if (r < 0) {
                        /* Optional hierarchies we may not write are simply not used. */
                        if (!(parents[i].controllers & (CG_CTRL_MEMORY | CG_CTRL_PIDS)))
                                r = 0;
                        continue;
                }
                if (asprintf(&d->path, "%s/%s", parents[i].path, cg->name) < 0) {
                        (void)cgroup_rmdirat(pfd, cg->name);
                        r = -ENOMEM;
                        break;
                }
                d->fd = openat(pfd, cg->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                d->controllers = parents[i].controllers;
                cg->n_dirs++;
                if (d->fd < 0)
                        r = negative_errno();
                else if (d->controllers & CG_CTRL_CPUSET)
                        r = cpuset_inherit(d->path, d->path);
        }
        parents_free(parents, n_parents);
        if (r >= 0)
                r = apply_limits(cg, p);
        if (r < 0) {
                for (size_t i = 0; i < cg->n_dirs; i++) {
                        cg->dirs[i].fd = safe_close(cg->dirs[i].fd);
                        (void)cgroup_remove_dir(cg->dirs[i].path);
                }
        }
        return r;
}

static int v1_clone_fd(const struct cgroup *cg)
{
        (void)cg;
        return -1;
}

static int v1_attach(struct cgroup *cg, pid_t pid)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%d", (int)pid);
        for (size_t i = 0; i < cg->n_dirs; i++) {
                int r = cgroup_write_at(cg->dirs[i].fd, "cgroup.procs", buf);

                if (r < 0)
                        return log_debug_errno(r, "cannot move %d into %s: %m", (int)pid,
                                               cg->dirs[i].path);
        }
        return 0;
}

/* The tasks file of each hierarchy, for the child to move itself by writing "0". A move by pid
 * (cgroup.procs, or tasks with a pid) takes cgroup_threadgroup_rwsem for writing, and each such
 * taking waits for an RCU grace period: several milliseconds on a loaded machine, and the
 * sandbox's pid 1 then waits in the same queue for the grace period of its own umount of the
 * old root. A thread moving itself takes no such lock (it cannot exit or exec meanwhile); pid 1
 * has one thread then, so that moves the whole process. The kernel checks the write against the
 * credentials of the file's opener, airlock. */
static int v1_open_join(const struct cgroup *cg, int *ret_fds, size_t max)
{
        if (cg->n_dirs > max)
                return -E2BIG;
        for (size_t i = 0; i < cg->n_dirs; i++) {
                ret_fds[i] = openat(cg->dirs[i].fd, "tasks", O_WRONLY | O_NOCTTY | O_CLOEXEC);
                if (ret_fds[i] < 0) {
                        int r = negative_errno();

                        while (i > 0)
                                close(ret_fds[--i]);
                        return r;
                }
        }
        return (int)cg->n_dirs;
}

static bool dir_populated(int dirfd)
{
        _cleanup_free_ char *buf = NULL;

        if (cgroup_read_at(dirfd, "cgroup.procs", &buf) < 0)
                return false;
        return buf[strspn(buf, " \n")] != 0;
}

static bool v1_populated(struct cgroup *cg)
{
        for (size_t i = 0; i < cg->n_dirs; i++)
                if (dir_populated(cg->dirs[i].fd))
                        return true;
        return false;
}

static void freezer_set(int fd, const char *state)
{
        if (cgroup_write_at(fd, "freezer.state", state) < 0)
                return;
        /* FREEZING turns FROZEN once every task stopped; wait briefly for it. */
        for (int i = 0; i < 100 && streq(state, "FROZEN"); i++) {
                _cleanup_free_ char *now = NULL;

                if (cgroup_read_at(fd, "freezer.state", &now) < 0 || startswith(now, "FROZEN"))
                        return;
                nanosleep(&(struct timespec){.tv_nsec = 1000 * 1000}, NULL);
        }
}

/* Kills every task of the hierarchy dirfd: frozen first, so nothing can fork meanwhile and
 * no pid read from cgroup.procs can be reused before the signal lands. */
static int kill_dir(int dirfd, int freezer_fd)
{
        int killed;

        if (freezer_fd >= 0)
                freezer_set(freezer_fd, "FROZEN");
        killed = cgroup_kill_listed(dirfd);
        if (freezer_fd >= 0)
                freezer_set(freezer_fd, "THAWED");
        return killed;
}

static int v1_kill(struct cgroup *cg)
{
        struct cgroup_dir *f = dir_with(cg, CG_CTRL_FREEZER);
        struct cgroup_dir *pids = dir_with(cg, CG_CTRL_PIDS);

        /* Without a freezer a task can fork between listing and killing: repeat until the
         * pids hierarchy (which sees every task) is empty. */
        for (int i = 0; i < 50 && v1_populated(cg); i++) {
                if (kill_dir(f ? f->fd : pids->fd, f ? f->fd : -1) == 0 && !dir_populated(pids->fd))
                        break;
                for (size_t j = 0; j < cg->n_dirs; j++)
                        (void)cgroup_kill_listed(cg->dirs[j].fd);
        }
        return 0;
}

static int v1_read_stats(struct cgroup *cg, struct cgroup_stats *s)
{
        struct cgroup_dir *d;
        uint64_t v;

        d = dir_with(cg, CG_CTRL_MEMORY);
        if (cgroup_read_u64_at(d->fd, "memory.max_usage_in_bytes", &v) >= 0)
                s->memory_peak = v;
        /* With swap accounting the memory+swap counter (same limit) is charged first and
         * may be the one that fails: count both. */
        if (cgroup_read_u64_at(d->fd, "memory.failcnt", &v) >= 0)
                s->memory_max_events = v;
        if (cgroup_read_u64_at(d->fd, "memory.memsw.failcnt", &v) >= 0)
                s->memory_max_events += v;
        if (cgroup_read_key_at(d->fd, "memory.oom_control", "oom_kill", &v) >= 0)
                s->oom_kills = v;
        s->memory_limit_hit = s->memory_max_events > 0 || s->oom_kills > 0;

        d = dir_with(cg, CG_CTRL_PIDS);
        if (cgroup_read_u64_at(d->fd, "pids.peak", &v) >= 0)
                s->pids_peak = v;
        if (cgroup_read_key_at(d->fd, "pids.events", "max", &v) >= 0)
                s->pids_max_events = v;
        s->pids_limit_hit = s->pids_max_events > 0;

        d = dir_with(cg, CG_CTRL_CPUACCT);
        if (d && cgroup_read_u64_at(d->fd, "cpuacct.usage", &v) >= 0)
                s->cpu_usec = v / 1000;
        if (d && cgroup_read_u64_at(d->fd, "cpuacct.usage_user", &v) >= 0)
                s->cpu_user_usec = v / 1000;
        if (d && cgroup_read_u64_at(d->fd, "cpuacct.usage_sys", &v) >= 0)
                s->cpu_system_usec = v / 1000;

        d = dir_with(cg, CG_CTRL_CPU);
        if (d && cgroup_read_key_at(d->fd, "cpu.stat", "nr_throttled", &v) >= 0)
                s->cpu_nr_throttled = v;
        if (d && cgroup_read_key_at(d->fd, "cpu.stat", "throttled_time", &v) >= 0)
                s->cpu_throttled_usec = v / 1000;
        return 0;
}

/* Kills and removes name beneath parent when its owner is gone. */
static int remove_stale(int pfd, const char *name, void *userdata)
{
        const char *parent = userdata;
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int ffd = openat(fd, "freezer.state", O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return 0;
        for (int i = 0; i < 50 && dir_populated(fd); i++)
                (void)kill_dir(fd, ffd >= 0 ? fd : -1);
        if (asprintf(&path, "%s/%s", parent, name) < 0)
                return -ENOMEM;
        return cgroup_remove_dir(path) >= 0 ? 1 : 0;
}

static int v1_cleanup_stale(void)
{
        struct v1_parent parents[CGROUP_DIRS_MAX] = {0};
        size_t n_parents = 0;
        int removed = 0;

        if (find_parents(parents, &n_parents) < 0)
                return 0;
        for (size_t i = 0; i < n_parents; i++) {
                _cleanup_close_ int pfd = open(parents[i].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                if (pfd >= 0)
                        removed += cgroup_for_each_stale(pfd, remove_stale, parents[i].path);
        }
        parents_free(parents, n_parents);
        return removed;
}

/* v1 has no memory.oom.group: the OOM killer ends one task and the rest would run on. The
 * memory cgroup's OOM notification (cgroup.event_control) tells the supervisor, which then
 * ends the whole sandbox. */
static int v1_watch(struct cgroup *cg)
{
        struct cgroup_dir *d = dir_with(cg, CG_CTRL_MEMORY);
        _cleanup_close_ int efd = -1, ofd = -1;
        char buf[64];
        int r;

        if (!(cg->enforced & CGROUP_LIMIT_MEMORY))
                return 0;
        efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        ofd = openat(d->fd, "memory.oom_control", O_RDONLY | O_CLOEXEC);
        if (efd < 0 || ofd < 0)
                return negative_errno();
        snprintf(buf, sizeof(buf), "%d %d", efd, ofd);
        r = cgroup_write_at(d->fd, "cgroup.event_control", buf);
        if (r < 0)
                return log_debug_errno(r, "cannot watch %s for OOM: %m", d->path);
        cg->event_fd = TAKE_FD(efd);
        return 0;
}

const struct cgroup_backend cgroup_v1_backend = {
        .name = "v1",
        .setup = v1_setup,
        .clone_fd = v1_clone_fd,
        .attach = v1_attach,
        .open_join = v1_open_join,
        .kill = v1_kill,
        .read_stats = v1_read_stats,
        .populated = v1_populated,
        .cleanup_stale = v1_cleanup_stale,
        .watch = v1_watch,
};
