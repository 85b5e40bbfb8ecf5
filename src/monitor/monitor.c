/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor side: receive a notification, record it, answer it. */
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "basic/log.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#include "basic/strv.h"
#include "monitor-internal.h"
#include "policy/syscall-groups.h"
#include "sandbox/startup-trace.h"

/* Whether dir is path or one of its parent folders. */
static bool path_is_prefix(const char *dir, const char *path)
{
        size_t n = strlen(dir);

        while (n > 1 && dir[n - 1] == '/')
                n--;
        if (n == 1 && dir[0] == '/')
                return true;
        return strncmp(dir, path, n) == 0 && (path[n] == 0 || path[n] == '/');
}

int monitor_new(const struct policy *p, struct monitor **ret)
{
        _cleanup_(monitor_freep) struct monitor *m = calloc(1, sizeof(*m));
        bool default_home = true, default_tmp = true;

        if (!m)
                return -ENOMEM;
        m->notify_fd = m->root_fd = m->sinkhole_fd = m->canary_fan_fd = -1;
        m->use_proc_root = true;
        m->canaries = true;
        m->sinkhole = p->net == NET_SINKHOLE;
        m->exec_only = p->trace_exec_only;
        m->home = strdup(p->home ? p->home : "/home/sandbox");
        if (!m->home)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_mounts; i++) {
                const struct mount_entry *e = &p->mounts[i];

                /* Decoys go only into a private home: never into a folder of the host bound
                 * at the home or above it. */
                if (e->kind != MOUNT_TMPFS && e->kind != MOUNT_DIR && e->kind != MOUNT_SYMLINK &&
                    path_is_prefix(e->dst, m->home))
                        m->canaries = false;
                if (e->kind != MOUNT_BIND && e->kind != MOUNT_TMPFS && e->kind != MOUNT_OVERLAY)
                        continue;
                if (strv_extend(&m->writable, e->dst) < 0)
                        return -ENOMEM;
                if (streq(e->dst, m->home))
                        default_home = false;
                if (streq(e->dst, "/tmp"))
                        default_tmp = false;
        }
        /* The launcher gives every sandbox a private tmpfs /tmp and home. */
        if (p->mount_defaults && default_tmp && strv_extend(&m->writable, "/tmp") < 0)
                return -ENOMEM;
        if (p->mount_defaults && default_home && strv_extend(&m->writable, m->home) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(m);
        return 0;
}

void monitor_free(struct monitor *m)
{
        if (!m)
                return;
        safe_close(m->notify_fd);
        safe_close(m->root_fd);
        safe_close(m->sinkhole_fd);
        canaries_done(m);
        if (m->sinkhole_pid > 0) {
                kill(m->sinkhole_pid, SIGKILL);
                (void)waitpid(m->sinkhole_pid, NULL, 0);
        }
        monitor_policy_free(m);
        free(m->notif_buf);
        free(m->resp_buf);
        free(m->home);
        free(m->home_host);
        strv_free(m->writable);
        for (size_t i = 0; i < m->n_events; i++)
                monitor_event_done(&m->events[i]);
        free(m->events);
        free(m->complaints);
        for (size_t i = 0; i < m->n_procs; i++) {
                free(m->procs[i].exe);
                strv_free(m->procs[i].argv);
        }
        free(m->procs);
        for (size_t i = 0; i < m->n_areas; i++)
                fs_area_done(&m->areas[i]);
        free(m->areas);
        for (size_t i = 0; i < m->n_changes; i++)
                file_change_done(&m->changes[i]);
        free(m->changes);
        for (size_t i = 0; i < m->n_net; i++)
                net_record_done(&m->net[i]);
        free(m->net);
        for (size_t i = 0; i < m->n_findings; i++)
                finding_done(&m->findings[i]);
        free(m->findings);
        free(m);
}

void monitor_set_deny(struct monitor *m, monitor_deny_fn fn, void *userdata)
{
        m->deny = fn;
        m->deny_userdata = userdata;
}

void monitor_set_use_proc_root(struct monitor *m, bool b)
{
        m->use_proc_root = b;
}

int monitor_set_canary_home(struct monitor *m, const char *home_inside, const char *home_host)
{
        if (!home_inside) {
                m->canaries = false;
                return 0;
        }
        m->canaries = true;
        free(m->home);
        m->home = strdup(home_inside);
        free(m->home_host);
        m->home_host = home_host ? strdup(home_host) : NULL;
        return m->home && (!home_host || m->home_host) ? 0 : -ENOMEM;
}

int monitor_watch_host_dir(struct monitor *m, const char *label, const char *path)
{
        _cleanup_close_ int fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct fs_area *a;

        if (fd < 0)
                return negative_errno();
        a = realloc(m->areas, (m->n_areas + 1) * sizeof(*a));
        if (!a)
                return -ENOMEM;
        m->areas = a;
        a = &m->areas[m->n_areas];
        *a = (struct fs_area){.inside = strdup(label), .fd = TAKE_FD(fd)};
        if (!a->inside) {
                safe_close(a->fd);
                return -ENOMEM;
        }
        m->n_areas++;
        return 0;
}

static int notif_sizes(struct monitor *m)
{
        struct seccomp_notif_sizes sizes;

        if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
                return negative_errno();
        m->notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif)
                                ? sizes.seccomp_notif
                                : sizeof(struct seccomp_notif);
        m->resp_size = sizes.seccomp_notif_resp > sizeof(struct seccomp_notif_resp)
                               ? sizes.seccomp_notif_resp
                               : sizeof(struct seccomp_notif_resp);
        m->notif_buf = calloc(1, m->notif_size);
        m->resp_buf = calloc(1, m->resp_size);
        return m->notif_buf && m->resp_buf ? 0 : -ENOMEM;
}

/* What needs the program's pid: its root, the canaries, the snapshot, the sinkhole. Runs while
 * the program waits in its first traced call (its execve), before any of its code ran. */
static int attach_to(struct monitor *m, pid_t child)
{
        int r;

        m->child = child;
        if (m->use_proc_root) {
                char path[64];

                snprintf(path, sizeof(path), "/proc/%d/root", (int)child);
                m->root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (m->root_fd < 0)
                        return log_debug_errno(negative_errno(), "cannot open %s: %m", path);
                for (size_t i = 0; m->writable && m->writable[i]; i++)
                        (void)fs_area_open(m, m->writable[i]);
        }
        /* Canaries first, so that the snapshot holds them and they are no file change. */
        if (m->canaries)
                (void)canaries_plant(m);
        startup_trace("monitor: canaries planted");
        for (size_t i = 0; i < m->n_areas; i++)
                (void)fs_area_snapshot(&m->areas[i]);
        startup_trace("monitor: writable areas snapshot");
        if (m->sinkhole) {
                r = sinkhole_start(m);
                if (r < 0)
                        return log_debug_errno(r, "cannot start the network sinkhole: %m");
                startup_trace("monitor: sinkhole started");
        }
        return 0;
}

int monitor_attach(struct monitor *m, int notify_fd, pid_t child)
{
        int r;

        m->notify_fd = notify_fd;
        m->start_usec = monitor_now_usec();
        /* Wake the traced task on our CPU when we answer, and us on its CPU when it asks
         * (Linux 6.6): a round trip without two scheduler hops. Older kernels refuse it. */
        (void)ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
        r = notif_sizes(m);
        if (r < 0)
                return r;
        return child > 0 ? attach_to(m, child) : 0;
}

int monitor_fd(const struct monitor *m)
{
        return m->notify_fd;
}

static void note_exec(struct monitor *m, const struct monitor_event *e)
{
        struct monitor_process *p = monitor_process_get(m, e->pid);
        char **copy = NULL;

        if (!p)
                return;
        for (size_t i = 0; e->argv && e->argv[i]; i++)
                if (strv_extend(&copy, e->argv[i]) < 0)
                        break;
        strv_free(p->argv);
        p->argv = copy;
        p->exe_stale = true;
}

static void store_event(struct monitor *m, struct monitor_event *e)
{
        if (m->n_events >= MONITOR_MAX_EVENTS ||
            grow_array((void **)&m->events, &m->cap_events, m->n_events, sizeof(*e)) < 0) {
                m->n_dropped++;
                monitor_event_done(e);
                return;
        }
        m->events[m->n_events++] = *e;
}

/* Whether an event is worth keeping: a send() on a connected socket names no address and
 * would only flood the report. */
static bool worth_recording(const struct monitor_event *e)
{
        if (e->sc->kind == TK_CONNECT && !e->addr && !streq(e->sc->name, "connect"))
                return false;
        if (e->sc->kind == TK_CLONE && !(e->flags & MONITOR_NAMESPACE_FLAGS))
                return false;
        return true;
}

/* --complain: what would have been refused, counted per syscall and errno; for socket and
 * personality also per first argument (the family, the persona), which a profile can name in
 * an argument condition (airlock learn writes socket[a0==AF_UNIX]). */
static void complain(struct monitor *m, int nr, int error, const uint64_t args[6])
{
        bool by_arg0 = nr == SYS_socket || nr == SYS_personality;
        uint64_t arg0 = by_arg0 ? (uint32_t)args[0] : 0;
        struct complaint *c;

        for (size_t i = 0; i < m->n_complaints; i++)
                if (m->complaints[i].nr == nr && m->complaints[i].error == error &&
                    m->complaints[i].arg0 == arg0) {
                        m->complaints[i].count++;
                        return;
                }
        c = realloc(m->complaints, (m->n_complaints + 1) * sizeof(*c));
        if (!c) {
                m->n_dropped++;
                return;
        }
        m->complaints = c;
        m->complaints[m->n_complaints++] = (struct complaint){nr, error, 1, by_arg0, arg0};
}

int monitor_handle(struct monitor *m)
{
        struct seccomp_notif *req = m->notif_buf;
        struct seccomp_notif_resp *resp = m->resp_buf;
        struct monitor_event e = {0};
        uint64_t args[6];
        int deny = 0, would = 0, r;

        memset(req, 0, m->notif_size);
        if (ioctl(m->notify_fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
                if (errno == EINTR || errno == ENOENT || errno == EAGAIN)
                        return 0;
                return negative_errno();
        }
        m->n_notifications++;
        memcpy(args, req->data.args, sizeof(args));
        if (m->child == 0)
                (void)attach_to(m, (pid_t)req->pid);

        /* The answer depends only on the registers the kernel copied, never on memory. */
        if (m->deny)
                deny = m->deny(m->deny_userdata, req->data.nr, args);
        if (m->complain && deny > 0) {
                complain(m, req->data.nr, deny, args);
                would = deny;
                deny = 0;
        }

        r = monitor_record_notification(m, req->pid, req->data.nr, args, &e);
        /* Whatever we read belongs to this request only if it is still pending. */
        if (ioctl(m->notify_fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0) {
                if (r >= 0)
                        monitor_event_done(&e);
                return 0;
        }
        if (r >= 0) {
                e.denied = deny > 0;
                e.error = deny;
                e.would_deny = would;
                if (e.sc->kind == TK_EXEC && !e.denied)
                        note_exec(m, &e);
                if (worth_recording(&e))
                        store_event(m, &e);
                else
                        monitor_event_done(&e);
        }

        memset(resp, 0, m->resp_size);
        resp->id = req->id;
        if (deny > 0) {
                resp->error = -deny;
        } else
                resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        if (ioctl(m->notify_fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
                return negative_errno();
        return 1;
}

int monitor_finish(struct monitor *m)
{
        if (m->finished)
                return 0;
        m->finished = true;
        /* Drain what is still queued: tasks blocked in a traced call must not hang. */
        if (m->notify_fd >= 0)
                for (;;) {
                        struct pollfd pfd = {.fd = m->notify_fd, .events = POLLIN};

                        if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
                                break;
                        if (monitor_handle(m) <= 0)
                                break;
                }
        if (m->sinkhole_fd >= 0)
                (void)sinkhole_collect(m);
        for (size_t i = 0; i < m->n_areas; i++)
                (void)fs_area_diff(m, &m->areas[i]);
        return monitor_run_rules(m);
}

int monitor_report(const struct monitor *m, struct json_object *report)
{
        struct json_object *events = json_object_new_array(), *changes = json_object_new_array(),
                           *net = json_object_new_array(), *findings = json_object_new_array(),
                           *trace = json_object_new_object();
        bool truncated = false;

        for (size_t i = 0; i < m->n_events; i++)
                json_object_array_add(events, monitor_event_to_json(&m->events[i]));
        for (size_t i = 0; i < m->n_changes; i++)
                json_object_array_add(changes, file_change_to_json(&m->changes[i]));
        for (size_t i = 0; i < m->n_net; i++)
                json_object_array_add(net, net_record_to_json(&m->net[i]));
        for (size_t i = 0; i < m->n_findings; i++)
                json_object_array_add(findings, finding_to_json(&m->findings[i]));

        json_object_object_add(trace, "notifications",
                               json_object_new_int64((int64_t)m->n_notifications));
        json_object_object_add(trace, "events_dropped",
                               json_object_new_int64((int64_t)m->n_dropped));
        if (m->exec_only)
                json_object_object_add(trace, "exec_only", json_object_new_boolean(true));
        for (size_t i = 0; i < m->n_areas; i++)
                truncated = truncated || m->areas[i].truncated;
        /* a writable area larger than the walk's limit: its changes are not all listed */
        json_object_object_add(trace, "file_changes_truncated", json_object_new_boolean(truncated));
        json_object_object_add(trace, "max_severity",
                               json_object_new_string(monitor_max_severity(m)));
        if (m->complain) {
                struct json_object *would = json_object_new_array();
                for (size_t i = 0; i < m->n_complaints; i++) {
                        const struct complaint *c = &m->complaints[i];
                        const char *name = syscall_name_of(c->nr);
                        struct json_object *o = json_object_new_object();
                        json_object_object_add(o, "syscall",
                                               name ? json_object_new_string(name)
                                                    : json_object_new_int(c->nr));
                        json_object_object_add(o, "errno", json_object_new_int(c->error));
                        json_object_object_add(o, "count",
                                               json_object_new_int64((int64_t)c->count));
                        if (c->has_arg0)
                                json_object_object_add(o, "arg0",
                                                       json_object_new_int64((int64_t)c->arg0));
                        json_object_object_add(o, "tag", json_object_new_string("would be denied"));
                        json_object_array_add(would, o);
                }
                json_object_object_add(trace, "complain", json_object_new_boolean(true));
                json_object_object_add(trace, "would_deny", would);
        }
        json_object_object_add(report, "trace", trace);
        json_object_object_add(report, "events", events);
        json_object_object_add(report, "process_tree", monitor_process_tree_to_json(m));
        json_object_object_add(report, "file_changes", changes);
        json_object_object_add(report, "network", net);
        json_object_object_add(report, "findings", findings);
        return 0;
}

size_t monitor_n_events(const struct monitor *m)
{
        return m->n_events;
}

size_t monitor_n_findings(const struct monitor *m)
{
        return m->n_findings;
}

bool monitor_has_finding(const struct monitor *m, const char *attack_id, const char *min_severity)
{
        int min = min_severity ? severity_from_string(min_severity) : SEV_INFO;

        for (size_t i = 0; i < m->n_findings; i++) {
                const struct finding *f = &m->findings[i];

                if ((int)f->severity < min)
                        continue;
                for (size_t j = 0; j < ELEMENTSOF(f->attack) && f->attack[j]; j++)
                        if (streq(f->attack[j], attack_id))
                                return true;
        }
        return false;
}

const char *monitor_max_severity(const struct monitor *m)
{
        int max = -1;

        for (size_t i = 0; i < m->n_findings; i++)
                if ((int)m->findings[i].severity > max)
                        max = (int)m->findings[i].severity;
        return max < 0 ? "none" : severity_to_string((enum severity)max);
}
