/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Turning one notification into an event, the process table, and their JSON. */
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <sched.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/strv.h"
#include "monitor-internal.h"

uint64_t monitor_now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int grow_array(void **array, size_t *cap, size_t n, size_t sz)
{
        size_t c = *cap ? *cap * 2 : 16;
        void *p;

        if (n < *cap)
                return 0;
        p = realloc(*array, c * sz);
        if (!p)
                return -ENOMEM;
        memset((char *)p + *cap * sz, 0, (c - *cap) * sz);
        *array = p;
        *cap = c;
        return 0;
}

/* PPid and the innermost NSpid from /proc/PID/status. */
static int read_status(pid_t pid, pid_t *ret_ppid, pid_t *ret_nspid)
{
        char path[64];
        _cleanup_free_ char *buf = NULL;
        const char *l;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        r = read_full_file(path, &buf, NULL, 65536);
        if (r < 0)
                return r;
        *ret_ppid = 0;
        *ret_nspid = pid;
        l = strstr(buf, "\nPPid:");
        if (l)
                *ret_ppid = (pid_t)strtol(l + 6, NULL, 10);
        l = strstr(buf, "\nNSpid:");
        if (l) {
                const char *end = strchr(l + 1, '\n');
                const char *last = l + 7;

                for (const char *c = l + 7; *c && c < (end ? end : c + 1); c++)
                        if (*c == '\t' || *c == ' ')
                                last = c + 1;
                *ret_nspid = (pid_t)strtol(last, NULL, 10);
        }
        return 0;
}

static char *read_exe(pid_t pid)
{
        char path[64], buf[4096];
        ssize_t n;

        snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
        n = readlink(path, buf, sizeof(buf) - 1);
        if (n < 0)
                return NULL;
        buf[n] = 0;
        return strdup(buf);
}

struct monitor_process *monitor_process_get(struct monitor *m, pid_t pid)
{
        struct monitor_process *p = NULL;

        for (size_t i = m->n_procs; i > 0; i--)
                if (m->procs[i - 1].pid == pid) {
                        p = &m->procs[i - 1];
                        break;
                }
        if (!p) {
                if (grow_array((void **)&m->procs, &m->cap_procs, m->n_procs, sizeof(*p)) < 0)
                        return NULL;
                p = &m->procs[m->n_procs++];
                p->pid = pid;
                p->first_usec = monitor_now_usec() - m->start_usec;
                if (read_status(pid, &p->ppid, &p->pid_ns) < 0)
                        p->pid_ns = 0;
                p->exe_stale = true;
        }
        if (p->exe_stale) {
                char *exe = read_exe(pid);

                if (exe) {
                        free(p->exe);
                        p->exe = exe;
                }
                p->exe_stale = false;
        }
        return p;
}

static int decode_path(pid_t pid, const struct trace_syscall *sc, const uint64_t args[6],
                       int dirfd_arg, int path_arg, char **ret)
{
        _cleanup_free_ char *raw = NULL;
        int dirfd = dirfd_arg >= 0 ? (int)args[dirfd_arg] : AT_FDCWD;
        int r;

        (void)sc;
        r = target_read_string(pid, args[path_arg], &raw);
        if (r < 0)
                return r;
        r = target_resolve_path(pid, dirfd, raw, ret);
        if (r < 0) { /* keep what the program passed */
                *ret = TAKE_PTR(raw);
                return 0;
        }
        return 0;
}

static void decode_address(pid_t pid, const struct trace_syscall *sc, const uint64_t args[6],
                           struct monitor_event *e)
{
        uint64_t addr = 0, len = 0;
        uint8_t sa[128];
        int family;

        if (streq(sc->name, "sendmsg")) {
                struct msghdr mh;

                if (target_read(pid, args[1], &mh, sizeof(mh)) < 0)
                        return;
                addr = (uint64_t)(uintptr_t)mh.msg_name;
                len = mh.msg_namelen;
        } else if (streq(sc->name, "sendto")) {
                addr = args[4];
                len = args[5];
        } else { /* connect, bind */
                addr = args[1];
                len = args[2];
        }
        if (addr == 0 || len == 0)
                return;
        if (len > sizeof(sa))
                len = sizeof(sa);
        if (target_read(pid, addr, sa, (size_t)len) < 0)
                return;
        if (sockaddr_decode(sa, (size_t)len, &e->addr, &e->port, &family) >= 0)
                e->num[0] = family;
}

/* Whether path, seen from pid's root, does not exist: the execve (or open) will fail with ENOENT.
 * Looked up with the sandbox's root as the root (RESOLVE_IN_ROOT), and only for existence. */
static bool exec_target_missing(pid_t pid, const char *path)
{
        _cleanup_close_ int root = -1;
        char proc[64];
        int fd;

        snprintf(proc, sizeof(proc), "/proc/%d/root", (int)pid);
        root = open(proc, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return false;
        fd = openat2_fd(root, path, O_PATH | O_CLOEXEC, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        if (fd >= 0) {
                close(fd);
                return false;
        }
        return fd == -ENOENT;
}

/* Fills e from the arguments. Every read is best effort: an argument that cannot be read is
 * left out of the event, never guessed. */
static void decode_args(pid_t pid, const struct trace_syscall *sc, const uint64_t args[6],
                        struct monitor_event *e)
{
        if (sc->path_arg >= 0) {
                if (sc->kind == TK_MEMFD || streq(sc->name, "fsopen") ||
                    streq(sc->name, "delete_module"))
                        (void)target_read_string(pid, args[sc->path_arg], &e->path);
                else
                        (void)decode_path(pid, sc, args, sc->dirfd_arg, sc->path_arg, &e->path);
        }
        if (sc->path2_arg >= 0)
                (void)decode_path(pid, sc, args, sc->path2_dirfd_arg, sc->path2_arg, &e->path2);
        if (sc->flags_arg >= 0)
                e->flags = args[sc->flags_arg];
        if (sc->mode_arg >= 0)
                e->mode = args[sc->mode_arg] & 07777;
        if (sc->argv_arg >= 0)
                (void)target_read_argv(pid, args[sc->argv_arg], &e->argv);

        switch (sc->kind) {
        case TK_OPEN:
                if (streq(sc->name, "openat2")) {
                        struct open_how how = {0};

                        if (target_read(pid, args[2], &how, sizeof(how)) >= 0) {
                                e->flags = how.flags;
                                e->mode = how.mode & 07777;
                        }
                } else if (streq(sc->name, "creat"))
                        e->flags = O_CREAT | O_WRONLY | O_TRUNC;
                break;
        case TK_EXEC:
                if (streq(sc->name, "execveat") && e->path && (e->flags & AT_EMPTY_PATH)) {
                        /* execveat(fd, "", AT_EMPTY_PATH): the file is the fd itself */
                        char link[64];

                        snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, (int)args[0]);
                        free(e->path);
                        e->path = NULL;
                        char buf[4096];
                        ssize_t n = readlink(link, buf, sizeof(buf) - 1);
                        if (n >= 0) {
                                buf[n] = 0;
                                e->path = strdup(buf);
                        }
                }
                break;
        case TK_CONNECT:
        case TK_BIND:
                decode_address(pid, sc, args, e);
                e->num[1] = (int64_t)args[0]; /* socket fd */
                break;
        case TK_LISTEN:
                e->num[1] = (int64_t)args[0];
                e->num[2] = (int64_t)args[1];
                break;
        case TK_SOCKET:
                e->num[0] = (int)args[0];
                e->num[1] = (int)args[1];
                e->num[2] = (int)args[2];
                break;
        case TK_CHMOD:
                if (streq(sc->name, "fchmod"))
                        (void)target_resolve_path(pid, (int)args[0], "", &e->path);
                break;
        case TK_MKNOD:
                e->flags = args[sc->mode_arg]; /* with the file type bits */
                break;
        case TK_PTRACE:
                e->num[0] = (int64_t)args[0]; /* request */
                e->num[1] = (int)args[1];     /* pid */
                break;
        case TK_KILL:
                if (streq(sc->name, "tgkill")) {
                        e->num[0] = (int)args[1];
                        e->num[1] = (int)args[2];
                } else {
                        e->num[0] = (int)args[0];
                        e->num[1] = (int)args[1];
                }
                break;
        case TK_CLONE:
                if (streq(sc->name, "clone3")) {
                        uint64_t flags;

                        if (target_read(pid, args[0], &flags, sizeof(flags)) >= 0)
                                e->flags = flags;
                }
                break;
        case TK_MODULE:
        case TK_BPF:
        case TK_SETID:
                e->num[0] = (int64_t)args[0];
                e->num[1] = (int64_t)args[1];
                e->num[2] = (int64_t)args[2];
                break;
        default:
                break;
        }
}

int monitor_record_notification(struct monitor *m, pid_t pid, int nr, const uint64_t args[6],
                                struct monitor_event *ret)
{
        const struct trace_syscall *sc = trace_syscall_by_nr(nr);
        struct monitor_process *proc;
        struct monitor_event e = {.pid = pid, .port = -1, .sc = sc};

        if (!sc)
                return -ENOENT;
        e.time_usec = monitor_now_usec() - m->start_usec;
        proc = monitor_process_get(m, pid);
        if (proc) {
                e.ppid = proc->ppid;
                e.pid_ns = proc->pid_ns;
                e.exe = proc->exe ? strdup(proc->exe) : NULL;
        }
        decode_args(pid, sc, args, &e);
        if (sc->kind == TK_OPEN && e.path)
                e.canary = canary_match(m, e.path, NULL);
        if (sc->kind == TK_EXEC && e.path && e.path[0] == '/')
                e.missing = exec_target_missing(pid, e.path);
        /* --complain (airlock learn): whether an open names a path that does not exist, so
         * that a probe (ENOENT) is told from a file the program used */
        else if (m->complain && sc->kind == TK_OPEN && e.path && e.path[0] == '/' &&
                 !(e.flags & O_CREAT) && (e.flags & O_TMPFILE) != O_TMPFILE)
                e.missing = exec_target_missing(pid, e.path);
        *ret = e;
        return 0;
}

void monitor_event_done(struct monitor_event *e)
{
        free(e->exe);
        free(e->path);
        free(e->path2);
        free(e->addr);
        strv_free(e->argv);
        memset(e, 0, sizeof(*e));
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
        if (v)
                json_object_object_add(o, k, json_object_new_string(v));
}

static void add_int(struct json_object *o, const char *k, int64_t v)
{
        json_object_object_add(o, k, json_object_new_int64(v));
}

static struct json_object *strv_to_json(char *const *v)
{
        struct json_object *a = json_object_new_array();

        for (size_t i = 0; v && v[i]; i++)
                json_object_array_add(a, json_object_new_string(v[i]));
        return a;
}

static const struct {
        uint64_t flag;
        const char *name;
} open_flags[] =
        {
                {O_WRONLY, "O_WRONLY"},       {O_RDWR, "O_RDWR"},       {O_CREAT, "O_CREAT"},
                {O_EXCL, "O_EXCL"},           {O_TRUNC, "O_TRUNC"},     {O_APPEND, "O_APPEND"},
                {O_DIRECTORY, "O_DIRECTORY"}, {O_PATH, "O_PATH"},       {O_NOFOLLOW, "O_NOFOLLOW"},
                {O_TMPFILE, "O_TMPFILE"},     {O_CLOEXEC, "O_CLOEXEC"},
},
  ns_flags[] = {
          {CLONE_NEWNS, "CLONE_NEWNS"},         {CLONE_NEWUSER, "CLONE_NEWUSER"},
          {CLONE_NEWPID, "CLONE_NEWPID"},       {CLONE_NEWNET, "CLONE_NEWNET"},
          {CLONE_NEWUTS, "CLONE_NEWUTS"},       {CLONE_NEWIPC, "CLONE_NEWIPC"},
          {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"}, {0x80 /* CLONE_NEWTIME */, "CLONE_NEWTIME"},
          {CLONE_THREAD, "CLONE_THREAD"},       {CLONE_VM, "CLONE_VM"},
};

static struct json_object *flags_to_json(uint64_t v, bool open_style)
{
        struct json_object *a = json_object_new_array();

        if (open_style) {
                if ((v & O_ACCMODE) == O_RDONLY && !(v & O_PATH))
                        json_object_array_add(a, json_object_new_string("O_RDONLY"));
                for (size_t i = 0; i < ELEMENTSOF(open_flags); i++) {
                        uint64_t f = open_flags[i].flag;

                        if (f == O_TMPFILE ? (v & O_TMPFILE) == O_TMPFILE : (v & f) == f)
                                json_object_array_add(a,
                                                      json_object_new_string(open_flags[i].name));
                }
        } else
                for (size_t i = 0; i < ELEMENTSOF(ns_flags); i++)
                        if (v & ns_flags[i].flag)
                                json_object_array_add(a, json_object_new_string(ns_flags[i].name));
        return a;
}

static struct json_object *event_args_to_json(const struct monitor_event *e)
{
        struct json_object *a = json_object_new_object();
        char mode[16];

        add_str(a, "path", e->path);
        add_str(a, e->sc->kind == TK_MOUNT ? "path2" : "new_path", e->path2);
        if (e->argv)
                json_object_object_add(a, "argv", strv_to_json(e->argv));
        switch (e->sc->kind) {
        case TK_OPEN:
                json_object_object_add(a, "flags", flags_to_json(e->flags, true));
                if (e->flags & O_CREAT) {
                        snprintf(mode, sizeof(mode), "0%03o", (unsigned)e->mode);
                        add_str(a, "mode", mode);
                }
                break;
        case TK_CHMOD:
        case TK_MKNOD:
                snprintf(mode, sizeof(mode), "0%04o", (unsigned)e->mode);
                add_str(a, "mode", mode);
                break;
        case TK_CONNECT:
        case TK_BIND:
                if (e->addr) {
                        add_str(a, "family", family_to_string((int)e->num[0]));
                        add_str(a, "address", e->addr);
                        if (e->port >= 0)
                                add_int(a, "port", e->port);
                }
                add_int(a, "fd", e->num[1]);
                break;
        case TK_LISTEN:
                add_int(a, "fd", e->num[1]);
                add_int(a, "backlog", e->num[2]);
                break;
        case TK_SOCKET:
                add_str(a, "family", family_to_string((int)e->num[0]));
                add_str(a, "type",
                        (e->num[1] & 0xf) == SOCK_STREAM  ? "stream"
                        : (e->num[1] & 0xf) == SOCK_DGRAM ? "dgram"
                        : (e->num[1] & 0xf) == SOCK_RAW   ? "raw"
                                                          : "other");
                add_int(a, "protocol", e->num[2]);
                break;
        case TK_PTRACE:
                add_int(a, "request", e->num[0]);
                add_int(a, "target", e->num[1]);
                break;
        case TK_KILL:
                add_int(a, "target", e->num[0]);
                add_int(a, "signal", e->num[1]);
                break;
        case TK_NAMESPACE:
        case TK_CLONE:
                json_object_object_add(a, "flags", flags_to_json(e->flags, false));
                break;
        case TK_MOUNT:
        case TK_MEMFD:
        case TK_UNLINK:
        case TK_RENAME:
        case TK_EXEC:
                if (e->flags)
                        add_int(a, "flags", (int64_t)e->flags);
                break;
        case TK_MODULE:
        case TK_BPF:
        case TK_SETID:
                add_int(a, "arg0", e->num[0]);
                add_int(a, "arg1", e->num[1]);
                break;
        }
        return a;
}

struct json_object *monitor_event_to_json(const struct monitor_event *e)
{
        struct json_object *o = json_object_new_object();

        json_object_object_add(o, "time", json_object_new_double((double)e->time_usec / 1e6));
        add_int(o, "pid", e->pid_ns);
        add_int(o, "host_pid", e->pid);
        add_int(o, "ppid", e->ppid);
        add_str(o, "exe", e->exe);
        add_str(o, "syscall", e->sc->name);
        json_object_object_add(o, "args", event_args_to_json(e));
        add_str(o, "result", e->denied ? "denied" : "continued");
        if (e->denied)
                add_str(o, "errno", strerrorname_np(e->error) ?: "unknown");
        if (e->would_deny > 0) {
                /* --complain: continued, but the policy would have refused it */
                add_str(o, "tag", "would be denied");
                add_str(o, "would_errno", strerrorname_np(e->would_deny) ?: "unknown");
        }
        if (e->canary)
                json_object_object_add(o, "canary", json_object_new_boolean(true));
        if (e->missing)
                json_object_object_add(o, "missing", json_object_new_boolean(true));
        return o;
}

static struct json_object *process_node(const struct monitor *m, size_t i, unsigned depth)
{
        const struct monitor_process *p = &m->procs[i];
        struct json_object *o = json_object_new_object(), *kids = json_object_new_array();

        add_int(o, "pid", p->pid_ns);
        add_int(o, "host_pid", p->pid);
        add_str(o, "exe", p->exe);
        if (p->argv)
                json_object_object_add(o, "argv", strv_to_json(p->argv));
        json_object_object_add(o, "first_seen",
                               json_object_new_double((double)p->first_usec / 1e6));
        for (size_t j = 0; j < m->n_procs && depth < 64; j++)
                if (j != i && m->procs[j].ppid == p->pid)
                        json_object_array_add(kids, process_node(m, j, depth + 1));
        json_object_object_add(o, "children", kids);
        return o;
}

struct json_object *monitor_process_tree_to_json(const struct monitor *m)
{
        struct json_object *roots = json_object_new_array();

        for (size_t i = 0; i < m->n_procs; i++) {
                bool has_parent = false;

                for (size_t j = 0; j < m->n_procs; j++)
                        if (j != i && m->procs[j].pid == m->procs[i].ppid)
                                has_parent = true;
                if (!has_parent)
                        json_object_array_add(roots, process_node(m, i, 0));
        }
        return roots;
}
