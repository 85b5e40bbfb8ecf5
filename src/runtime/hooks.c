/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* OCI hooks. A hook is host code named by the bundle's owner, so it runs with the runtime's
 * rights in the runtime's namespaces, except createContainer and startContainer, which run in
 * the container's namespaces as the container's user (the spec's "container namespace"):
 * there a host-rights process would meet whatever the container made. A hook path the
 * runtime resolves itself is resolved with chase(): where the container could write (its
 * rootfs, its writable binds) no link is followed and the file must be the runtime's own.
 * Each hook gets the state JSON on stdin; its stdout and stderr are kept (4 KiB) for the
 * message when it fails; its timeout kills it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/strv.h"
#include "hooks.h"

#define HOOK_OUTPUT_MAX 4096

extern char **environ;

static const char *const kind_names[_OCI_HOOK_MAX] = {
        [OCI_HOOK_PRESTART] = "prestart",
        [OCI_HOOK_CREATE_RUNTIME] = "createRuntime",
        [OCI_HOOK_CREATE_CONTAINER] = "createContainer",
        [OCI_HOOK_START_CONTAINER] = "startContainer",
        [OCI_HOOK_POSTSTART] = "poststart",
        [OCI_HOOK_POSTSTOP] = "poststop",
};

struct oci_hook {
        char *path;
        char **args; /* NULL: the path alone */
        char **env;  /* NULL: the runtime's environment */
        int timeout; /* seconds, 0 for none */
};

struct oci_hooks {
        struct oci_hook *list[_OCI_HOOK_MAX];
        size_t n[_OCI_HOOK_MAX];
        char **untrusted;
        uid_t uid;
        gid_t gid;
};

static json_object *get(json_object *o, const char *key)
{
        json_object *v = NULL;

        return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static int bad(const char *where, const char *want)
{
        return log_error_errno(-EINVAL, "config.json: %s: %s", where, want);
}

static int check_strv(json_object *a, const char *where)
{
        if (!a)
                return 0;
        if (!json_object_is_type(a, json_type_array))
                return bad(where, "expected an array of strings");
        for (size_t i = 0; i < json_object_array_length(a); i++)
                if (!json_object_is_type(json_object_array_get_idx(a, i), json_type_string))
                        return bad(where, "expected an array of strings");
        return 0;
}

static int check_one(json_object *h, const char *where)
{
        char field[96];
        json_object *path = get(h, "path"), *t = get(h, "timeout");
        int r;

        if (!json_object_is_type(h, json_type_object))
                return bad(where, "expected an object with path");
        json_object_object_foreach(h, key, val)
        {
                (void)val;
                if (!streq(key, "path") && !streq(key, "args") && !streq(key, "env") &&
                    !streq(key, "timeout")) {
                        snprintf(field, sizeof(field), "%s.%s", where, key);
                        return log_error_errno(-EOPNOTSUPP,
                                               "config.json: %s: not supported by "
                                               "airlock-runtime",
                                               field);
                }
        }
        snprintf(field, sizeof(field), "%s.path", where);
        if (!path || !json_object_is_type(path, json_type_string) ||
            json_object_get_string(path)[0] != '/')
                return bad(field, "expected an absolute path");
        snprintf(field, sizeof(field), "%s.args", where);
        if ((r = check_strv(get(h, "args"), field)) < 0)
                return r;
        snprintf(field, sizeof(field), "%s.env", where);
        if ((r = check_strv(get(h, "env"), field)) < 0)
                return r;
        snprintf(field, sizeof(field), "%s.timeout", where);
        if (t && (!json_object_is_type(t, json_type_int) || json_object_get_int64(t) <= 0 ||
                  json_object_get_int64(t) > 86400))
                return bad(field, "expected a number of seconds above 0");
        return 0;
}

int oci_hooks_check(json_object *hooks)
{
        char where[64];
        int r;

        if (!hooks || json_object_is_type(hooks, json_type_null))
                return 0;
        if (!json_object_is_type(hooks, json_type_object))
                return bad("hooks", "expected an object");
        json_object_object_foreach(hooks, key, list)
        {
                bool known = false;

                for (size_t k = 0; k < _OCI_HOOK_MAX && !known; k++)
                        known = streq(key, kind_names[k]);
                snprintf(where, sizeof(where), "hooks.%s", key);
                if (!known)
                        return log_error_errno(-EOPNOTSUPP,
                                               "config.json: %s: not a hook of the OCI runtime "
                                               "spec",
                                               where);
                if (json_object_is_type(list, json_type_null))
                        continue;
                if (!json_object_is_type(list, json_type_array))
                        return bad(where, "expected an array");
                for (size_t i = 0; i < json_object_array_length(list); i++) {
                        snprintf(where, sizeof(where), "hooks.%s[%zu]", key, i);
                        r = check_one(json_object_array_get_idx(list, i), where);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int oci_hooks_save(const char *state_dir, json_object *hooks, char *const *untrusted,
                   uid_t uid_inside, gid_t gid_inside)
{
        _cleanup_free_ char *path = NULL;
        json_object *o, *u;
        bool any = false;
        int r;

        if (!hooks || !json_object_is_type(hooks, json_type_object))
                return 0;
        json_object_object_foreach(hooks, key, list)
        {
                (void)key;
                any |= json_object_is_type(list, json_type_array) &&
                       json_object_array_length(list) > 0;
        }
        if (!any)
                return 0;
        o = json_object_new_object();
        u = json_object_new_array();
        if (!o || !u) {
                json_object_put(o);
                json_object_put(u);
                return log_error_errno(-ENOMEM, "out of memory");
        }
        json_object_object_add(o, "hooks", json_object_get(hooks));
        for (char *const *p = untrusted; p && *p; p++)
                json_object_array_add(u, json_object_new_string(*p));
        json_object_object_add(o, "untrusted", u);
        json_object_object_add(o, "uid", json_object_new_int64(uid_inside));
        json_object_object_add(o, "gid", json_object_new_int64(gid_inside));
        if (asprintf(&path, "%s/hooks.json", state_dir) < 0)
                r = -ENOMEM;
        else
                r = oci_write_file(path, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        json_object_put(o);
        if (r < 0)
                return log_error_errno(r, "cannot save the hooks in %s: %m", state_dir);
        return 0;
}

static int strv_from_json(json_object *a, char ***ret)
{
        for (size_t i = 0; a && i < json_object_array_length(a); i++)
                if (strv_extend(ret, json_object_get_string(json_object_array_get_idx(a, i))) < 0)
                        return -ENOMEM;
        return 0;
}

void oci_hooks_free(struct oci_hooks *h)
{
        if (!h)
                return;
        for (size_t k = 0; k < _OCI_HOOK_MAX; k++) {
                for (size_t i = 0; i < h->n[k]; i++) {
                        free(h->list[k][i].path);
                        strv_free(h->list[k][i].args);
                        strv_free(h->list[k][i].env);
                }
                free(h->list[k]);
        }
        strv_free(h->untrusted);
        free(h);
}

static int load_json(json_object *o, struct oci_hooks *h)
{
        json_object *hooks = get(o, "hooks");

        if (strv_from_json(get(o, "untrusted"), &h->untrusted) < 0)
                return -ENOMEM;
        h->uid = (uid_t)json_object_get_int64(get(o, "uid"));
        h->gid = (gid_t)json_object_get_int64(get(o, "gid"));
        for (size_t k = 0; k < _OCI_HOOK_MAX; k++) {
                json_object *list = get(hooks, kind_names[k]);
                size_t n = json_object_is_type(list, json_type_array)
                                   ? json_object_array_length(list)
                                   : 0;

                if (n == 0)
                        continue;
                h->list[k] = calloc(n, sizeof(struct oci_hook));
                if (!h->list[k])
                        return -ENOMEM;
                for (size_t i = 0; i < n; i++) {
                        json_object *e = json_object_array_get_idx(list, i);
                        struct oci_hook *hk = &h->list[k][h->n[k]++];

                        hk->path = strdup(json_object_get_string(get(e, "path")) ?: "");
                        hk->timeout = (int)json_object_get_int64(get(e, "timeout"));
                        if (!hk->path || strv_from_json(get(e, "args"), &hk->args) < 0 ||
                            strv_from_json(get(e, "env"), &hk->env) < 0)
                                return -ENOMEM;
                        if (get(e, "env") && !hk->env && !(hk->env = calloc(1, sizeof(char *))))
                                return -ENOMEM;
                }
        }
        return 0;
}

int oci_hooks_load(const char *state_dir, struct oci_hooks **ret)
{
        _cleanup_close_ int dir = -1, fd = -1;
        _cleanup_free_ char *text = NULL;
        struct oci_hooks *h;
        struct stat st;
        json_object *o;
        int r;

        *ret = NULL;
        dir = open(state_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir < 0)
                return -errno;
        fd = openat(dir, "hooks.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        /* the runtime's own regular file, which only it can change */
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 0022))
                return -EPERM;
        r = read_full_fd(fd, &text, NULL, 1u << 20);
        if (r < 0)
                return r;
        o = json_tokener_parse(text);
        if (!o)
                return -EBADMSG;
        h = calloc(1, sizeof(*h));
        r = h ? load_json(o, h) : -ENOMEM;
        json_object_put(o);
        if (r < 0) {
                oci_hooks_free(h);
                return r;
        }
        *ret = h;
        return 0;
}

/* The namespaces of pid that differ from ours, as CLONE_NEW* flags: only those are joined (a
 * namespace the container shares with the runtime may belong to a user namespace the hook
 * has no rights in once it joined the container's). */
static int namespaces_to_join(pid_t pid)
{
        static const struct {
                const char *name;
                int flag;
        } kinds[] = {{"user", CLONE_NEWUSER},    {"mnt", CLONE_NEWNS},  {"pid", CLONE_NEWPID},
                     {"ipc", CLONE_NEWIPC},      {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET},
                     {"cgroup", CLONE_NEWCGROUP}};
        int flags = 0;

        for (size_t i = 0; i < ELEMENTSOF(kinds); i++) {
                char self[64], theirs[64];
                struct stat a, b;

                snprintf(self, sizeof(self), "/proc/self/ns/%s", kinds[i].name);
                snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, kinds[i].name);
                if (stat(self, &a) < 0 || stat(theirs, &b) < 0 || a.st_ino != b.st_ino ||
                    a.st_dev != b.st_dev)
                        flags |= kinds[i].flag;
        }
        return flags;
}

/* The pid of a pidfd, from /proc/self/fdinfo. */
static pid_t pidfd_pid(int pidfd)
{
        _cleanup_free_ char *info = NULL;
        char path[64];
        const char *p;

        snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
        if (read_full_file(path, &info, NULL, 4096) < 0 || !(p = strstr(info, "\nPid:")))
                return -1;
        return (pid_t)strtol(p + 5, NULL, 10);
}

struct hook_run {
        const struct oci_hook *hook;
        const struct oci_hooks *hooks;
        int exe_fd;     /* the binary, resolved in the runtime's namespaces; -1: hook->path */
        int join_fd;    /* a pidfd of the container's program, -1 for the runtime's */
        int join_flags; /* the namespaces to join */
        int stdin_fd, out_fd;
};

static _noreturn_ void hook_exec(const struct hook_run *x)
{
        char *argv_path[] = {x->hook->path, NULL};
        char **argv = x->hook->args && x->hook->args[0] ? x->hook->args : argv_path;
        char **envp = x->hook->env ?: environ;

        if (x->exe_fd >= 0) {
                syscall(SYS_execveat, x->exe_fd, "", argv, envp, AT_EMPTY_PATH);
                /* a script: its interpreter opens /dev/fd/N, which a close-on-exec fd lacks */
                if (errno == ENOENT && fcntl(x->exe_fd, F_SETFD, 0) == 0)
                        syscall(SYS_execveat, x->exe_fd, "", argv, envp, AT_EMPTY_PATH);
        } else
                execve(x->hook->path, argv, envp);
        fprintf(stderr, "cannot execute %s: %m\n", x->hook->path);
        _exit(127);
}

/* The forked child: stdio, then (for the container's hooks) the container's namespaces and
 * user, then the hook. */
static _noreturn_ void hook_child(const struct hook_run *x)
{
        sigset_t none;
        pid_t child;
        int status;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int sig = 1; sig < _NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        signal(sig, SIG_DFL);
        if (dup2(x->stdin_fd, STDIN_FILENO) < 0 || dup2(x->out_fd, STDOUT_FILENO) < 0 ||
            dup2(x->out_fd, STDERR_FILENO) < 0)
                _exit(127);
        if (x->join_fd < 0)
                hook_exec(x);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (setns(x->join_fd, x->join_flags) < 0) {
                fprintf(stderr, "cannot join the container's namespaces: %m\n");
                _exit(127);
        }
        /* the container's user: the hook can do no more than the container itself */
        (void)setgroups(0, NULL); /* refused where setgroups is "deny": there are none */
        if (setresgid(x->hooks->gid, x->hooks->gid, x->hooks->gid) < 0 ||
            setresuid(x->hooks->uid, x->hooks->uid, x->hooks->uid) < 0 ||
            prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                fprintf(stderr, "cannot take the container's user %u:%u: %m\n",
                        (unsigned)x->hooks->uid, (unsigned)x->hooks->gid);
                _exit(127);
        }
        if (chdir("/") < 0)
                _exit(127);
        /* the pid namespace takes the children of who joined it */
        child = fork();
        if (child < 0)
                _exit(127);
        if (child == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                hook_exec(x);
        }
        while (waitpid(child, &status, 0) < 0)
                if (errno != EINTR)
                        _exit(127);
        if (WIFSIGNALED(status))
                _exit(128 + WTERMSIG(status));
        _exit(WEXITSTATUS(status));
}

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs one hook; returns its wait status, or -ETIME when its timeout ended it, or another
 * negative errno when it could not be run. The output is in out (NUL-terminated). */
static int hook_run(struct hook_run *x, const char *state_json, char *out, size_t out_size)
{
        int in[2] = {-1, -1}, o[2] = {-1, -1}, pidfd = -1, status = 0, r = 0;
        long long deadline = x->hook->timeout > 0 ? now_ms() + x->hook->timeout * 1000LL : -1;
        size_t len = 0, n = strlen(state_json);
        bool timed_out = false;
        pid_t pid;

        out[0] = 0;
        if (pipe2(in, O_CLOEXEC) < 0 || pipe2(o, O_CLOEXEC) < 0) {
                r = -errno;
                goto out;
        }
        /* the state is small: it fits in the pipe before the hook reads it */
        if (n >= 65536 || loop_write(in[1], state_json, n) < 0) {
                r = -EIO;
                goto out;
        }
        in[1] = safe_close(in[1]);
        x->stdin_fd = in[0];
        x->out_fd = o[1];
        pid = fork();
        if (pid < 0) {
                r = -errno;
                goto out;
        }
        if (pid == 0)
                hook_child(x);
        o[1] = safe_close(o[1]);
        pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        /* the output until end of file (or the timeout), then the exit */
        for (;;) {
                struct pollfd p = {.fd = o[0], .events = POLLIN};
                long long left = deadline < 0 ? -1 : deadline - now_ms();
                char buf[1024];
                ssize_t k;

                if (deadline >= 0 && left <= 0) {
                        timed_out = true;
                        break;
                }
                if (poll(&p, 1, (int)left) < 0 && errno != EINTR)
                        break;
                if (!(p.revents & (POLLIN | POLLHUP)))
                        continue;
                k = read(o[0], buf, sizeof(buf));
                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                if (len + 1 < out_size) {
                        size_t take =
                                (size_t)k < out_size - 1 - len ? (size_t)k : out_size - 1 - len;

                        memcpy(out + len, buf, take);
                        len += take;
                        out[len] = 0;
                }
        }
        if (!timed_out && deadline >= 0 && pidfd >= 0) {
                /* the output closed, the hook may still run */
                struct pollfd p = {.fd = pidfd, .events = POLLIN};
                long long left = deadline - now_ms();

                if (left <= 0 || poll(&p, 1, (int)left) == 0)
                        timed_out = true;
        }
        if (timed_out)
                kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        r = -errno;
                        goto out;
                }
        r = timed_out ? -ETIME : status;
out:
        safe_close(in[0]);
        safe_close(in[1]);
        safe_close(o[0]);
        safe_close(o[1]);
        safe_close(pidfd);
        return r;
}

/* The binary of a hook that runs from the runtime's namespaces: resolved without following
 * a link where the container could write, and then only a regular file of the runtime's (or
 * root's) own. */
static int open_binary(const struct oci_hooks *h, const struct oci_hook *hk)
{
        _cleanup_free_ char *canon = NULL;
        bool inside = false;
        struct stat st;
        int fd = chase(hk->path, h->untrusted, 0, &canon, &inside);

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                safe_close(fd);
                return -EACCES;
        }
        if (inside && !owner_is_ours(&st, 0)) {
                safe_close(fd);
                return -EPERM;
        }
        return fd;
}

int oci_hooks_run(const struct oci_hooks *h, enum oci_hook_kind kind, const struct oci_state *s,
                  enum oci_status status)
{
        _cleanup_free_ char *json = NULL;
        _cleanup_close_ int join = -1;
        bool in_container = kind == OCI_HOOK_CREATE_CONTAINER || kind == OCI_HOOK_START_CONTAINER;
        bool warn_only = kind == OCI_HOOK_POSTSTART || kind == OCI_HOOK_POSTSTOP;
        int level = warn_only ? LOG_WARNING : LOG_ERR;
        int flags = 0, r;

        if (!h)
                return 0;
        if (kind == OCI_HOOK_CREATE_RUNTIME) {
                r = oci_hooks_run(h, OCI_HOOK_PRESTART, s, status);
                if (r < 0)
                        return r;
        }
        if (h->n[kind] == 0)
                return 0;
        json = oci_state_json_as(s, status);
        if (!json)
                return log_error_errno(-ENOMEM, "out of memory");
        if (in_container) {
                /* the init is not dumpable; the program waits at the start gate, in every
                 * namespace of the container */
                join = s->init > 0 ? oci_program_pidfd(s->init) : -1;
                if (join < 0)
                        return log_error_errno(-ESRCH,
                                               "hooks.%s: the container %s has no process to "
                                               "join",
                                               kind_names[kind], s->id);
                flags = namespaces_to_join(pidfd_pid(join));
        }
        for (size_t i = 0; i < h->n[kind]; i++) {
                const struct oci_hook *hk = &h->list[kind][i];
                struct hook_run x = {
                        .hook = hk, .hooks = h, .exe_fd = -1, .join_fd = join, .join_flags = flags};
                char out[HOOK_OUTPUT_MAX] = "";
                char what[64];

                snprintf(what, sizeof(what), "hooks.%s[%zu]", kind_names[kind], i);
                /* startContainer's path is the container's; the others are the runtime's */
                if (kind != OCI_HOOK_START_CONTAINER && (x.exe_fd = open_binary(h, hk)) < 0)
                        r = x.exe_fd;
                else
                        r = hook_run(&x, json, out, sizeof(out));
                safe_close(x.exe_fd);
                if (r == 0)
                        continue;
                if (r > 0 && WIFEXITED(r))
                        log_internal(level, 0, "%s %s of %s exited with status %d%s%s", what,
                                     hk->path, s->id, WEXITSTATUS(r), out[0] ? ": " : "", out);
                else if (r > 0)
                        log_internal(level, 0, "%s %s of %s was killed by signal %d%s%s", what,
                                     hk->path, s->id, WTERMSIG(r), out[0] ? ": " : "", out);
                else if (r == -ETIME)
                        log_internal(level, 0,
                                     "%s %s of %s did not end within its timeout of %d s%s%s", what,
                                     hk->path, s->id, hk->timeout, out[0] ? ": " : "", out);
                else
                        log_internal(level, r, "%s %s of %s: cannot run it: %m", what, hk->path,
                                     s->id);
                if (!warn_only)
                        return r > 0 ? -ECANCELED : r;
        }
        return 0;
}
