/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Resource containment of one run: cgroup or rlimit fallback, accounting, report object. */
#include <json-c/json.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "basic/log.h"
#include "basic/strv.h"
#include "resources.h"

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* What a cgroup_setup*() result k means for the run: the cgroup, the rlimit fallback, or an
 * error (logged). */
static int settle(const struct policy *p, struct resources *r, int k)
{
        /* a setting of the spec is never dropped: one no cgroup here holds is an error */
        if (k < 0 && cgroup_setup_failure()[0])
                return log_error_errno(k, "%s", cgroup_setup_failure());
        /* the device cgroup only where one can be made: the container's wall is that its /dev
         * has no node beyond airlock's own and linux.devices' */
        if (k < 0 && p->cgroup_settings.set & ~POLICY_CG_DEVICES)
                return log_error_errno(
                        k, "linux.resources.%s: no cgroup can be made for it: %m",
                        cgroup_setting_name(p->cgroup_settings.set & ~POLICY_CG_DEVICES));
        if (k < 0 && p->cgroup_path)
                return log_error_errno(k, "cannot make the cgroup %s: %m%s", p->cgroup_path,
                                       k == -EACCES || k == -EPERM || k == -EROFS
                                               ? " (outside what this user may write)"
                                       : k == -EEXIST ? " (it exists already)"
                                                      : "");
        if (k == -EOPNOTSUPP || k == -EACCES) {
                if (strv_contains(p->require, "cgroup"))
                        return log_error_errno(k, "--require cgroup: no cgroup can be created "
                                                  "beneath airlock's own (%m); run as root or "
                                                  "in a delegated cgroup v2 subtree");
                log_debug_errno(k, "no usable cgroup, falling back to rlimits: %m");
        } else if (k < 0)
                return log_error_errno(k, "cannot create the sandbox's cgroup: %m");
        r->enforced = cgroup_enforced(r->cg);
        if (r->cg && strv_contains(p->require, "cgroup")) {
                /* "fully enforced": every limit the policy sets, not only some */
                const char *missing = p->memory_max && !(r->enforced & CGROUP_LIMIT_MEMORY)
                                              ? "memory"
                                      : p->pids_max && !(r->enforced & CGROUP_LIMIT_PIDS) ? "pids"
                                      : p->cpus > 0 && !(r->enforced & CGROUP_LIMIT_CPU)  ? "cpus"
                                                                                          : NULL;

                if (missing) {
                        resources_release(r);
                        return log_error_errno(-EOPNOTSUPP,
                                               "--require cgroup: the cgroup cannot enforce the "
                                               "%s limit (controller not available)",
                                               missing);
                }
        }
        r->backend = !r->cg                                    ? "rlimit"
                     : streq(cgroup_backend_name(r->cg), "v2") ? "cgroup-v2"
                                                               : "cgroup-v1";
        r->n_fallback =
                cgroup_fallback_rlimits(p, r->enforced, r->fallback, RESOURCES_FALLBACK_MAX);
        return 0;
}

int resources_setup_before_clone(const struct policy *p, struct resources *r)
{
        int k;

        *r = (struct resources){
                .memory_max = p->memory_max,
                .pids_max = p->pids_max,
                .timeout_usec = p->timeout_usec,
                .tmpfs_size = p->tmpfs_size,
                .cpus = p->cpus,
        };
        /* read once for this pass, the one after clone and the sweep (resources_setup_end()):
         * before clone(), for reading mountinfo while the child mounts would wait for it */
        cgroup_snapshot_hold();
        /* A cgroup the policy names or configures (airlock-runtime's) is made whole before
         * anything runs, so that its errors come first. */
        if (p->cgroup_path || p->cgroup_settings.set)
                return settle(p, r, cgroup_setup(p, &r->cg));
        k = cgroup_at_clone_futile() ? -EOPNOTSUPP : cgroup_setup_at_clone(p, &r->cg);
        if (k == -EOPNOTSUPP || k == -EACCES) {
                r->deferred = true;
                return 0;
        }
        return settle(p, r, k);
}

int resources_setup_after_clone(const struct policy *p, struct resources *r)
{
        if (!r->deferred)
                return 0;
        r->deferred = false;
        return settle(p, r, cgroup_setup_after_clone(p, &r->cg));
}

int resources_setup(const struct policy *p, struct resources *r)
{
        int k = resources_setup_before_clone(p, r);

        if (k >= 0)
                k = resources_setup_after_clone(p, r);
        resources_setup_end();
        return k;
}

void resources_setup_end(void)
{
        cgroup_snapshot_release();
}

int resources_clone_fd(const struct resources *r)
{
        return cgroup_clone_fd(r->cg);
}

int resources_place(struct resources *r, pid_t pid)
{
        int k;

        if (!r->cg)
                return 0;
        k = cgroup_attach(r->cg, pid);
        if (k < 0)
                return log_error_errno(k, "cannot move the sandbox into its cgroup: %m");
        return 0;
}

size_t resources_open_join(const struct resources *r, int *ret_fds, size_t max)
{
        int n = cgroup_open_join(r->cg, ret_fds, max);

        if (n < 0)
                log_debug_errno(n, "cannot open the cgroup for the child to join, moving it: %m");
        return n > 0 ? (size_t)n : 0;
}

int resources_join_self(const int *fds, size_t n)
{
        return cgroup_join_self(fds, n);
}

void resources_sweep_stale(const struct resources *r)
{
        if (r->cg)
                (void)cgroup_cleanup_stale();
}

int resources_apply_fallback(const struct rlimit_setting *fallback, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct rlimit_setting *s = &fallback[i];
                struct rlimit cur;

                if (getrlimit(s->resource, &cur) < 0)
                        return -errno;
                /* lower only: without CAP_SYS_RESOURCE a hard limit cannot go up */
                if (s->hard < cur.rlim_max)
                        cur.rlim_max = s->hard;
                cur.rlim_cur = s->soft < cur.rlim_max ? s->soft : cur.rlim_max;
                if (setrlimit(s->resource, &cur) < 0)
                        return -errno;
        }
        return 0;
}

int resources_event_fd(const struct resources *r)
{
        return cgroup_event_fd(r->cg);
}

bool resources_limit_event(struct resources *r)
{
        if (!cgroup_event_read(r->cg))
                return false;
        r->oom_ended = true;
        return true;
}

void resources_started(struct resources *r)
{
        r->start_usec = now_usec();
}

void resources_kill(struct resources *r)
{
        if (r->cg)
                (void)cgroup_kill(r->cg);
}

void resources_finish(struct resources *r, int wait_status, const struct rusage *ru, bool timed_out)
{
        r->end_usec = now_usec();
        if (ru) {
                r->rusage = *ru;
                r->have_rusage = true;
        }
        if (r->cg && cgroup_read_stats(r->cg, &r->stats) >= 0)
                r->have_stats = true;
        /* the supervisor may end the sandbox on the OOM notice before the kernel's OOM
         * killer picked a task: the limit was hit all the same */
        if (r->oom_ended)
                r->stats.memory_limit_hit = true;

        if (WIFEXITED(wait_status)) {
                r->end = RESOURCES_END_EXIT;
                r->exit_status = WEXITSTATUS(wait_status);
        } else if (WIFSIGNALED(wait_status)) {
                r->end = RESOURCES_END_SIGNAL;
                r->term_signal = WTERMSIG(wait_status);
        }
        if (timed_out)
                r->end = RESOURCES_END_TIMEOUT;
        else if (r->oom_ended || (r->end == RESOURCES_END_SIGNAL && r->term_signal == SIGKILL &&
                                  r->have_stats && r->stats.oom_kills > 0)) {
                r->end = RESOURCES_END_LIMIT;
                r->end_limit = "memory";
        } else if (r->end == RESOURCES_END_SIGNAL && r->term_signal == SIGKILL &&
                   !(r->enforced & CGROUP_LIMIT_CPU)) {
                /* RLIMIT_CPU's hard limit ends a process with SIGKILL */
                uint64_t cpu = r->have_rusage ? (uint64_t)r->rusage.ru_utime.tv_sec +
                                                        (uint64_t)r->rusage.ru_stime.tv_sec
                                              : 0;

                for (size_t i = 0; i < r->n_fallback; i++)
                        if (r->fallback[i].resource == RLIMIT_CPU &&
                            cpu + 1 >= r->fallback[i].hard) {
                                r->end = RESOURCES_END_LIMIT;
                                r->end_limit = "cpu-time";
                        }
        }
}

void resources_release(struct resources *r)
{
        if (r->cg) {
                cgroup_destroy(r->cg);
                r->cg = NULL;
        }
}

const char *resources_end_name(enum resources_end end)
{
        switch (end) {
        case RESOURCES_END_EXIT:
                return "exit";
        case RESOURCES_END_SIGNAL:
                return "signal";
        case RESOURCES_END_TIMEOUT:
                return "timeout";
        case RESOURCES_END_LIMIT:
                return "limit";
        default:
                return "unknown";
        }
}

static bool has_fallback(const struct resources *r, int resource)
{
        for (size_t i = 0; i < r->n_fallback; i++)
                if (r->fallback[i].resource == resource)
                        return true;
        return false;
}

const char *resources_enforced_by(const struct resources *r, unsigned limit)
{
        if (r->enforced & limit)
                return r->backend;
        if ((limit == CGROUP_LIMIT_MEMORY &&
             (has_fallback(r, RLIMIT_AS) || has_fallback(r, RLIMIT_DATA))) ||
            (limit == CGROUP_LIMIT_PIDS && has_fallback(r, RLIMIT_NPROC)))
                return "rlimit";
        return "none";
}

static void add(struct json_object *o, const char *key, struct json_object *v)
{
        json_object_object_add(o, key, v);
}

static struct json_object *limit_json(const struct resources *r, unsigned limit,
                                      struct json_object *max)
{
        struct json_object *o = json_object_new_object();

        add(o, "max", max);
        add(o, "enforced_by", json_object_new_string(resources_enforced_by(r, limit)));
        return o;
}

static struct json_object *u64_or_null(uint64_t v)
{
        return v ? json_object_new_uint64(v) : NULL;
}

static struct json_object *limits_json(const struct resources *r)
{
        struct json_object *o = json_object_new_object();
        struct json_object *rl = json_object_new_array();

        add(o, "memory", limit_json(r, CGROUP_LIMIT_MEMORY, u64_or_null(r->memory_max)));
        add(o, "pids", limit_json(r, CGROUP_LIMIT_PIDS, u64_or_null(r->pids_max)));
        add(o, "cpus",
            limit_json(r, CGROUP_LIMIT_CPU, r->cpus > 0 ? json_object_new_double(r->cpus) : NULL));
        add(o, "timeout_usec", u64_or_null(r->timeout_usec));
        add(o, "tmpfs_size", u64_or_null(r->tmpfs_size));
        for (size_t i = 0; i < r->n_fallback; i++) {
                static const struct {
                        int resource;
                        const char *name;
                } names[] = {{RLIMIT_AS, "RLIMIT_AS"},
                             {RLIMIT_DATA, "RLIMIT_DATA"},
                             {RLIMIT_NPROC, "RLIMIT_NPROC"},
                             {RLIMIT_CPU, "RLIMIT_CPU"},
                             {RLIMIT_FSIZE, "RLIMIT_FSIZE"}};
                struct json_object *e = json_object_new_object();

                for (size_t j = 0; j < ELEMENTSOF(names); j++)
                        if (names[j].resource == r->fallback[i].resource)
                                add(e, "resource", json_object_new_string(names[j].name));
                add(e, "value", json_object_new_uint64(r->fallback[i].hard));
                json_object_array_add(rl, e);
        }
        add(o, "rlimits", rl);
        return o;
}

static void usage_json(const struct resources *r, struct json_object *o)
{
        const struct cgroup_stats *s = &r->stats;
        uint64_t ru_user = 0, ru_sys = 0;

        if (r->have_rusage) {
                ru_user = (uint64_t)r->rusage.ru_utime.tv_sec * 1000000u +
                          (uint64_t)r->rusage.ru_utime.tv_usec;
                ru_sys = (uint64_t)r->rusage.ru_stime.tv_sec * 1000000u +
                         (uint64_t)r->rusage.ru_stime.tv_usec;
        }
        add(o, "wall_usec",
            json_object_new_uint64(r->end_usec > r->start_usec ? r->end_usec - r->start_usec : 0));
        /* The cgroup sees every task; rusage only what the sandbox's init reaped. */
        if (r->have_stats && s->cpu_usec > 0) {
                add(o, "cpu_usec", json_object_new_uint64(s->cpu_usec));
                add(o, "cpu_user_usec", json_object_new_uint64(s->cpu_user_usec));
                add(o, "cpu_system_usec", json_object_new_uint64(s->cpu_system_usec));
        } else {
                add(o, "cpu_usec", json_object_new_uint64(ru_user + ru_sys));
                add(o, "cpu_user_usec", json_object_new_uint64(ru_user));
                add(o, "cpu_system_usec", json_object_new_uint64(ru_sys));
        }
        add(o, "cpu_throttled_usec",
            r->have_stats && (r->enforced & CGROUP_LIMIT_CPU)
                    ? json_object_new_uint64(s->cpu_throttled_usec)
                    : NULL);
        if (r->have_stats && s->memory_peak > 0) {
                add(o, "memory_peak", json_object_new_uint64(s->memory_peak));
                add(o, "memory_peak_of", json_object_new_string("sandbox"));
        } else if (r->have_rusage) {
                add(o, "memory_peak", json_object_new_uint64((uint64_t)r->rusage.ru_maxrss * 1024));
                add(o, "memory_peak_of", json_object_new_string("largest process"));
        } else
                add(o, "memory_peak", NULL);
        add(o, "pids_peak", r->have_stats ? json_object_new_uint64(s->pids_peak) : NULL);
        add(o, "memory_limit_hit",
            r->have_stats ? json_object_new_boolean(s->memory_limit_hit) : NULL);
        add(o, "pids_limit_hit", r->have_stats ? json_object_new_boolean(s->pids_limit_hit) : NULL);
        add(o, "oom_kills", r->have_stats ? json_object_new_uint64(s->oom_kills) : NULL);
}

struct json_object *resources_to_json(const struct resources *r)
{
        struct json_object *o = json_object_new_object();

        if (!o)
                return NULL;
        add(o, "backend", json_object_new_string(r->backend ?: "rlimit"));
        add(o, "limits", limits_json(r));
        usage_json(r, o);
        add(o, "end", json_object_new_string(resources_end_name(r->end)));
        add(o, "end_limit", r->end_limit ? json_object_new_string(r->end_limit) : NULL);
        if (r->end == RESOURCES_END_EXIT)
                add(o, "exit_status", json_object_new_int(r->exit_status));
        if (r->end == RESOURCES_END_SIGNAL || r->end == RESOURCES_END_LIMIT)
                add(o, "signal", json_object_new_int(r->term_signal));
        return o;
}
