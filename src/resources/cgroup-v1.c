/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cgroup v1: one directory per hierarchy (memory, pids, cpu, cpuacct, freezer), each beneath
 * the cgroup airlock runs in there. memory and pids are required; cpu, cpuacct and freezer
 * are used when present. The tree is ended by freezing it, killing every task and thawing. */
#include <sys/eventfd.h>
#include <fcntl.h>
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
        {"freezer", CG_CTRL_FREEZER, false},
};

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

static int apply_limits(struct cgroup *cg, const struct policy *p)
{
        struct cgroup_dir *d;
        int r;

        d = dir_with(cg, CG_CTRL_MEMORY);
        if (p->memory_max > 0) {
                r = cgroup_write_u64_at(d->fd, "memory.limit_in_bytes", p->memory_max);
                if (r < 0)
                        return log_debug_errno(r, "cannot set memory.limit_in_bytes: %m");
                /* With swap accounting, memory+swap at the same value means no swap. */
                (void)cgroup_write_u64_at(d->fd, "memory.memsw.limit_in_bytes", p->memory_max);
                cg->enforced |= CGROUP_LIMIT_MEMORY;
        }
        d = dir_with(cg, CG_CTRL_PIDS);
        if (p->pids_max > 0) {
                r = cgroup_write_u64_at(d->fd, "pids.max", p->pids_max);
                if (r < 0)
                        return log_debug_errno(r, "cannot set pids.max: %m");
                cg->enforced |= CGROUP_LIMIT_PIDS;
        }
        d = dir_with(cg, CG_CTRL_CPU);
        if (p->cpus > 0 && d) {
                uint64_t quota = (uint64_t)(p->cpus * CPU_PERIOD_USEC + 0.5);

                r = cgroup_write_u64_at(d->fd, "cpu.cfs_period_us", CPU_PERIOD_USEC);
                if (r >= 0)
                        r = cgroup_write_u64_at(d->fd, "cpu.cfs_quota_us",
                                                quota < 1000 ? 1000 : quota);
                if (r < 0)
                        return log_debug_errno(r, "cannot set the CFS quota: %m");
                cg->enforced |= CGROUP_LIMIT_CPU;
        }
        if (dir_with(cg, CG_CTRL_FREEZER))
                cg->enforced |= CGROUP_KILL_TREE;
        return 0;
}

/* The cgroup the policy names, in the hierarchy of parent. */
static int setup_named(struct cgroup_dir *d, const struct v1_parent *parent, const char *path)
{
        _cleanup_free_ char *dir = NULL;
        int r = cgroup_named_dir(parent->controller, path, &dir);

        if (r >= 0)
                r = cgroup_make_named(dir);
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

                /* a hierarchy of the cpu controller alone serves only --cpus */
                if (parents[i].controllers == CG_CTRL_CPU && p->cpus <= 0)
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
