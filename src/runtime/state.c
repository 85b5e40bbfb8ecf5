/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "basic/fileio.h"
#include "basic/log.h"
#include "state.h"

#define OCI_VERSION "1.0.2"

static int mkdir_p(const char *path, mode_t mode)
{
        _cleanup_free_ char *copy = strdup(path);

        if (!copy)
                return -ENOMEM;
        for (char *s = copy + 1; *s; s++)
                if (*s == '/') {
                        *s = 0;
                        if (mkdir(copy, 0755) < 0 && errno != EEXIST)
                                return -errno;
                        *s = '/';
                }
        if (mkdir(copy, mode) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

int oci_root(const char *option, char **ret)
{
        const char *xdg = getenv("XDG_RUNTIME_DIR");
        _cleanup_free_ char *root = NULL;
        struct stat st;
        int r;

        if (option)
                root = strdup(option);
        else if (geteuid() == 0)
                root = strdup("/run/airlock-runtime");
        else if (xdg && xdg[0] == '/')
                r = asprintf(&root, "%s/airlock-runtime", xdg) < 0 ? -ENOMEM : 0;
        else
                return log_error_errno(-EINVAL, "no --root given and XDG_RUNTIME_DIR is not set");
        if (!root)
                return log_error_errno(-ENOMEM, "out of memory");
        r = mkdir_p(root, 0700);
        if (r < 0)
                return log_error_errno(r, "cannot make the root folder %s: %m", root);
        /* the state of every container is here: it must be ours and closed to others */
        if (lstat(root, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
            (st.st_mode & 0022))
                return log_error_errno(-EPERM,
                                       "the root folder %s is not a folder of ours that only "
                                       "we can write",
                                       root);
        *ret = TAKE_PTR(root);
        return 0;
}

bool oci_id_valid(const char *id)
{
        if (!id || !*id || id[0] == '.' || strlen(id) > 1024)
                return false;
        return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") ==
               strlen(id);
}

int oci_state_create(const char *root, const char *id, char **ret_dir)
{
        _cleanup_free_ char *dir = NULL;

        if (asprintf(&dir, "%s/%s", root, id) < 0)
                return -ENOMEM;
        if (mkdir(dir, 0700) < 0)
                return -errno;
        *ret_dir = TAKE_PTR(dir);
        return 0;
}

unsigned long long oci_pid_start_time(pid_t pid)
{
        _cleanup_free_ char *buf = NULL;
        unsigned long long t = 0;
        char path[64];
        const char *p;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        if (pid <= 0 || read_full_file(path, &buf, NULL, 4096) < 0)
                return 0;
        /* after the command's ")", field 3 (state) is the first; start time is field 22 */
        p = strrchr(buf, ')');
        for (int field = 2; p && field < 22; field++)
                p = strchr(p + 1, ' ');
        if (p)
                t = strtoull(p + 1, NULL, 10);
        return t;
}

/* A pidfd of the first child of init (the container's program), -1 when there is none. */
int oci_program_pidfd(pid_t init)
{
        _cleanup_free_ char *children = NULL, *stat = NULL;
        char path[64];
        pid_t pid;
        int fd;

        snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)init, (int)init);
        if (read_full_file(path, &children, NULL, 4096) < 0)
                return -1;
        pid = (pid_t)strtol(children, NULL, 10);
        fd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
        /* still init's child after the pidfd: not a reused pid */
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        if (fd >= 0 && read_full_file(path, &stat, NULL, 4096) >= 0) {
                const char *p = strrchr(stat, ')');

                if (p && (p = strchr(p + 2, ' ')) && strtol(p + 1, NULL, 10) == init)
                        return fd;
        }
        safe_close(fd);
        return -1;
}

static json_object *state_object(const struct oci_state *s)
{
        json_object *o = json_object_new_object();
        json_object *ann = s->annotations_json ? json_tokener_parse(s->annotations_json) : NULL;

        json_object_object_add(o, "ociVersion", json_object_new_string(OCI_VERSION));
        json_object_object_add(o, "id", json_object_new_string(s->id));
        json_object_object_add(o, "pid", json_object_new_int64(s->pid));
        json_object_object_add(o, "bundle", json_object_new_string(s->bundle));
        json_object_object_add(o, "annotations", ann ?: json_object_new_object());
        return o;
}

int oci_state_save(const struct oci_state *s)
{
        _cleanup_free_ char *tmp = NULL, *path = NULL;
        json_object *o = state_object(s);
        int r;

        json_object_object_add(o, "starttime", json_object_new_uint64(s->start_time));
        json_object_object_add(o, "created_ns", json_object_new_int64(s->created_ns));
        json_object_object_add(o, "init", json_object_new_int64(s->init));
        json_object_object_add(o, "init_starttime", json_object_new_uint64(s->init_start_time));
        if (asprintf(&tmp, "%s/.state.json", s->dir) < 0 ||
            asprintf(&path, "%s/state.json", s->dir) < 0)
                r = -ENOMEM;
        else
                r = oci_write_file(tmp, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        json_object_put(o);
        if (r >= 0 && rename(tmp, path) < 0)
                r = -errno;
        return r;
}

int oci_state_load(const char *root, const char *id, struct oci_state *ret)
{
        _cleanup_free_ char *dir = NULL, *path = NULL, *text = NULL;
        json_object *o, *v;
        struct oci_state s = {0};
        int r;

        if (!oci_id_valid(id))
                return -EINVAL;
        if (asprintf(&dir, "%s/%s", root, id) < 0 || asprintf(&path, "%s/state.json", dir) < 0)
                return -ENOMEM;
        r = read_full_file(path, &text, NULL, 1u << 20);
        if (r < 0)
                return r;
        o = json_tokener_parse(text);
        if (!o)
                return -EBADMSG;
        s.id = strdup(id);
        s.dir = TAKE_PTR(dir);
        if (json_object_object_get_ex(o, "bundle", &v))
                s.bundle = strdup(json_object_get_string(v));
        if (json_object_object_get_ex(o, "annotations", &v))
                s.annotations_json =
                        strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
        if (json_object_object_get_ex(o, "pid", &v))
                s.pid = (pid_t)json_object_get_int64(v);
        if (json_object_object_get_ex(o, "starttime", &v))
                s.start_time = json_object_get_uint64(v);
        if (json_object_object_get_ex(o, "created_ns", &v))
                s.created_ns = json_object_get_int64(v);
        if (json_object_object_get_ex(o, "init", &v))
                s.init = (pid_t)json_object_get_int64(v);
        if (json_object_object_get_ex(o, "init_starttime", &v))
                s.init_start_time = json_object_get_uint64(v);
        json_object_put(o);
        if (!s.id || !s.bundle || !s.annotations_json) {
                oci_state_done(&s);
                return -ENOMEM;
        }
        *ret = s;
        return 0;
}

void oci_state_done(struct oci_state *s)
{
        free(s->id);
        free(s->dir);
        free(s->bundle);
        free(s->annotations_json);
        *s = (struct oci_state){0};
}

enum oci_status oci_state_status(const struct oci_state *s)
{
        _cleanup_free_ char *fifo = NULL;

        if (s->pid <= 0)
                return OCI_CREATING;
        if (oci_pid_start_time(s->pid) != s->start_time)
                return OCI_STOPPED;
        if (asprintf(&fifo, "%s/exec.fifo", s->dir) >= 0 && access(fifo, F_OK) == 0)
                return OCI_CREATED;
        return OCI_RUNNING;
}

const char *oci_status_name(enum oci_status st)
{
        static const char *const names[] = {"creating", "created", "running", "stopped"};

        return names[st];
}

char *oci_state_json(const struct oci_state *s)
{
        return oci_state_json_as(s, oci_state_status(s));
}

char *oci_state_json_as(const struct oci_state *s, enum oci_status st)
{
        json_object *o = state_object(s);
        char when[64] = "";
        char *text;

        if (s->created_ns) {
                time_t t = (time_t)(s->created_ns / 1000000000);
                struct tm tm;
                char day[32];

                gmtime_r(&t, &tm);
                strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
                snprintf(when, sizeof(when), "%s.%09lldZ", day, s->created_ns % 1000000000);
                json_object_object_add(o, "created", json_object_new_string(when));
        }
        json_object_object_add(o, "status", json_object_new_string(oci_status_name(st)));
        if (st == OCI_STOPPED)
                json_object_object_add(o, "pid", json_object_new_int(0));
        text = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                                JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
        return text;
}

int oci_state_remove(const struct oci_state *s)
{
        static const char *const files[] = {"state.json",   ".state.json", "exec.fifo",  "exit",
                                            "seccomp.json", "execs",       "hooks.json", "cgroups"};
        _cleanup_close_ int dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        if (dfd < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(files); i++)
                if (unlinkat(dfd, files[i], 0) < 0 && errno != ENOENT)
                        return -errno;
        if (rmdir(s->dir) < 0)
                return -errno;
        return 0;
}

int oci_write_file(const char *path, const char *s)
{
        _cleanup_close_ int fd =
                open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);

        if (fd < 0)
                return -errno;
        return loop_write(fd, s, strlen(s));
}

int oci_state_add_exec(const struct oci_state *s, pid_t pid)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -1;
        char line[64];

        if (asprintf(&path, "%s/execs", s->dir) < 0)
                return -ENOMEM;
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return -errno;
        snprintf(line, sizeof(line), "%d %llu\n", (int)pid, oci_pid_start_time(pid));
        return loop_write(fd, line, strlen(line));
}

struct proc_entry {
        pid_t pid, ppid;
        bool in;
};

static pid_t parent_of(pid_t pid)
{
        _cleanup_free_ char *buf = NULL;
        char path[64];
        const char *p;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        if (read_full_file(path, &buf, NULL, 4096) < 0)
                return -1;
        /* after the command's ")": state, then the parent */
        p = strrchr(buf, ')');
        if (!p || !(p = strchr(p + 2, ' ')))
                return -1;
        return (pid_t)strtol(p + 1, NULL, 10);
}

/* Every process with its parent; the roots marked. */
static int proc_table(const struct oci_state *s, struct proc_entry **ret, size_t *ret_n)
{
        _cleanup_free_ char *execs = NULL, *path = NULL;
        struct proc_entry *t = NULL;
        size_t n = 0, cap = 0;
        DIR *d = opendir("/proc");
        struct dirent *de;

        if (!d)
                return -errno;
        if (asprintf(&path, "%s/execs", s->dir) >= 0)
                (void)read_full_file(path, &execs, NULL, 1u << 20);
        while ((de = readdir(d))) {
                pid_t pid = (pid_t)strtol(de->d_name, NULL, 10);
                pid_t ppid = pid > 0 ? parent_of(pid) : -1;

                if (ppid < 0)
                        continue;
                if (n == cap) {
                        struct proc_entry *bigger = realloc(t, (cap = cap * 2 + 256) * sizeof(*t));

                        if (!bigger) {
                                free(t);
                                closedir(d);
                                return -ENOMEM;
                        }
                        t = bigger;
                }
                t[n++] = (struct proc_entry){.pid = pid, .ppid = ppid, .in = pid == s->pid};
        }
        closedir(d);
        /* an exec'd process counts while it is the one that was recorded (not a reused pid) */
        for (const char *l = execs; l && *l; l = strchrnul(l, '\n'), l += *l ? 1 : 0) {
                unsigned long long start = 0;
                int pid = 0;

                if (sscanf(l, "%d %llu", &pid, &start) != 2 || start == 0 ||
                    oci_pid_start_time(pid) != start)
                        continue;
                for (size_t i = 0; i < n; i++)
                        t[i].in |= t[i].pid == pid;
        }
        *ret = t;
        *ret_n = n;
        return 0;
}

static int cmp_pid(const void *a, const void *b)
{
        return *(const pid_t *)a - *(const pid_t *)b;
}

int oci_state_pids(const struct oci_state *s, pid_t **ret)
{
        _cleanup_free_ struct proc_entry *t = NULL;
        pid_t *pids;
        size_t n = 0, k = 0;
        bool grew = true;
        int r;

        if (oci_state_status(s) == OCI_STOPPED) {
                *ret = NULL;
                return 0;
        }
        r = proc_table(s, &t, &n);
        if (r < 0)
                return r;
        /* descendants: mark children of marked processes until nothing changes */
        while (grew) {
                grew = false;
                for (size_t i = 0; i < n; i++)
                        for (size_t j = 0; j < n && !t[i].in; j++)
                                if (t[j].in && t[j].pid == t[i].ppid)
                                        t[i].in = grew = true;
        }
        pids = calloc(n + 1, sizeof(pid_t));
        if (!pids)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (t[i].in)
                        pids[k++] = t[i].pid;
        qsort(pids, k, sizeof(pid_t), cmp_pid);
        *ret = pids;
        return (int)k;
}
