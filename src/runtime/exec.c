/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* exec: a new process in a running container, no less confined than its first. The command
 * (on the host) prepares everything that needs the host's view: the spec's policy and its
 * seccomp program, a pidfd of the sandbox's init, the container's cgroups, its rlimits (from
 * /proc/INIT/limits), the console socket. A helper child joins the cgroups and, through the
 * pidfd, every namespace of the init, then clones the process (CLONE_PARENT: the command's
 * child, in the container's pid namespace). The process takes the container's identity, its
 * rlimits, its process.json's capabilities in the container's user namespace (within the
 * container's bounding set), applies Landlock and the seccomp program, sets no_new_privs when
 * asked, and runs the program. It says why it failed on a close-on-exec pipe; end of file
 * there means its execve succeeded. */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "basic/strv.h"
#include "console.h"
#include "resources/rlimit.h"
#include "runtime.h"
#include "sandbox/caps.h"
#include "sandbox/child.h"
#include "sandbox/landlock.h"
#include "sandbox/seccomp.h"
#include "sandbox/userns.h"
#include "spec.h"
#include "state.h"

#define EXIT_RUNTIME_FAILED 1
#define MAX_CGROUPS         16
#define NAMESPACES                                                                                 \
        (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | \
         CLONE_NEWCGROUP)
#define EXEC_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

extern char **environ;

struct exec_ctx {
        const struct oci_spec *spec;
        const struct seccomp_program *seccomp;
        struct userns_ids ids;
        struct rlimit limits[RLIM_NLIMITS];
        bool have_limits[RLIM_NLIMITS];
        int cgroup_fds[MAX_CGROUPS];
        size_t n_cgroups;
        int init_pidfd;
        int program_pidfd; /* init's child, the container's program; -1 when gone */
        int console_fd;    /* -1 without a terminal */
        int error_fd;      /* the process's failure, as text; close-on-exec */
        int pid_fd;        /* the helper writes the process's pid here */
        char **envp;
};

static _noreturn_ void fail_exit(const struct exec_ctx *x, int err, const char *fmt, ...)
{
        char msg[512];
        va_list ap;
        int n;

        va_start(ap, fmt);
        errno = err;
        n = vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        (void)!write(x->error_fd, msg, n > 0 ? (size_t)n : 0);
        _exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

/* The container's terminal: a pty of its own devpts, the master to the engine. */
static void take_terminal(const struct exec_ctx *x)
{
        _cleanup_close_ int master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        int unlock = 0, slave;

        if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0)
                fail_exit(x, errno, "cannot open a pty in the container: %m");
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_CLOEXEC);
        if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
                fail_exit(x, errno, "cannot take a pty in the container: %m");
        if (oci_console_send(x->console_fd, master, x->spec->console_width,
                             x->spec->console_height) < 0)
                fail_exit(x, errno, "cannot send the pty to the console socket: %m");
        for (int fd = 0; fd <= 2; fd++)
                dup2(slave, fd);
        if (slave > 2)
                close(slave);
}

/* The new process, in the container's namespaces: the same confinement as the init's program
 * (src/sandbox/child.c), in the same order. */
static _noreturn_ void process_main(const struct exec_ctx *x)
{
        const struct policy *p = x->spec->policy;
        struct landlock_status ll;
        int notify_fd = -1, r;
        sigset_t none;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (setsid() < 0)
                fail_exit(x, errno, "cannot start a session: %m");
        if (x->console_fd >= 0)
                take_terminal(x);
        r = userns_become(&x->ids);
        if (r < 0)
                fail_exit(x, -r, "cannot take uid %u in the container: %m", x->ids.uid_inside);
        for (int i = 0; i < RLIM_NLIMITS; i++)
                if (x->have_limits[i] && setrlimit(i, &x->limits[i]) < 0)
                        fail_exit(x, errno, "cannot set the container's rlimit %d: %m", i);
        /* the process's capabilities in the container's user namespace (setns() gave it all
         * of them there), with CAP_SYS_ADMIN kept until the filters are loaded */
        r = caps_apply_before_filters(&p->caps);
        if (r < 0)
                fail_exit(x, -r, "cannot set the process's capabilities: %m");
        /* within the container's root, through no fd it or the caller left open */
        r = chdir_in_root(p->chdir ?: "/");
        if (r < 0)
                fail_exit(x, -r, "cannot change to %s: %s", p->chdir ?: "/",
                          chdir_in_root_strerror(r));
        /* Nothing the engine or the runtime left open reaches the process: only its stdio
         * (exec takes no --preserve-fds). Before the filter, which may refuse close_range. */
        if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
                fail_exit(x, errno, "cannot mark the inherited fds close-on-exec: %m");
        r = landlock_apply(p, &ll);
        if (r < 0)
                fail_exit(x, -r, "cannot apply Landlock: %m");
        if (x->seccomp) {
                r = seccomp_program_load(x->seccomp, &notify_fd);
                if (r < 0)
                        fail_exit(x, -r, "cannot load the seccomp filter: %m");
                safe_close(notify_fd);
        }
        r = caps_apply_final(&p->caps);
        if (r < 0)
                fail_exit(x, -r, "cannot set the process's capabilities: %m");
        if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                fail_exit(x, errno, "cannot set no_new_privs: %m");
        environ = x->envp;
        execvp(p->argv[0], p->argv);
        fail_exit(x, errno, "cannot run %s: %m", p->argv[0]);
}

/* The helper: joins the cgroups and the namespaces, clones the process as a sibling and ends.
 * Exits 0 when the process was made. */
static _noreturn_ void helper_main(const struct exec_ctx *x)
{
        struct clone_args {
                uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
        } args = {.flags = CLONE_PARENT};
        long pid;

        /* nothing of the runtime's memory is for the container to read, before execve */
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        for (size_t i = 0; i < x->n_cgroups; i++)
                if (write(x->cgroup_fds[i], "0", 1) != 1)
                        fail_exit(x, errno, "cannot join the container's cgroup: %m");
        /* init is not dumpable: a caller without CAP_SYS_PTRACE joins through the program,
         * which has the same namespaces */
        if (setns(x->init_pidfd, NAMESPACES) < 0 &&
            (errno != EPERM || x->program_pidfd < 0 || setns(x->program_pidfd, NAMESPACES) < 0))
                fail_exit(x, errno, "cannot join the container's namespaces: %m");
        pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid < 0)
                fail_exit(x, errno, "cannot start the process in the container: %m");
        if (pid == 0)
                process_main(x);
        {
                pid_t p = (pid_t)pid;

                _exit(write(x->pid_fd, &p, sizeof(p)) == sizeof(p) ? 0 : 1);
        }
}

/* The rlimits of the sandbox's init (the spec's, and airlock's own where it limits memory
 * without a cgroup), which every process of the container has. */
static int read_limits(pid_t init, struct exec_ctx *x)
{
        _cleanup_free_ char *text = NULL;
        char path[64];
        const char *line;
        int i = -1, r;

        snprintf(path, sizeof(path), "/proc/%d/limits", (int)init);
        r = read_full_file(path, &text, NULL, 1u << 16);
        if (r < 0)
                return r;
        /* one line per resource in RLIMIT_ order after the header; values from column 26 */
        for (line = text; line && *line && i < RLIM_NLIMITS; i++) {
                const char *nl = strchr(line, '\n');

                if (i >= 0 && strlen(line) > 26) {
                        char soft[32], hard[32];

                        if (sscanf(line + 26, "%31s %31s", soft, hard) == 2) {
                                x->limits[i].rlim_cur = streq(soft, "unlimited")
                                                                ? RLIM_INFINITY
                                                                : strtoull(soft, NULL, 10);
                                x->limits[i].rlim_max = streq(hard, "unlimited")
                                                                ? RLIM_INFINITY
                                                                : strtoull(hard, NULL, 10);
                                x->have_limits[i] = true;
                        }
                }
                line = nl ? nl + 1 : NULL;
        }
        return 0;
}

/* Opens cgroup.procs of each hierarchy where the init's cgroup is not ours. */
static int open_cgroups(pid_t init, struct exec_ctx *x)
{
        _cleanup_free_ char *theirs = NULL, *ours = NULL;
        char path[64];
        int r;

        snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)init);
        r = read_full_file(path, &theirs, NULL, 1u << 16);
        if (r >= 0)
                r = read_full_file("/proc/self/cgroup", &ours, NULL, 1u << 16);
        if (r < 0)
                return r;
        for (char *line = strtok(theirs, "\n"); line; line = strtok(NULL, "\n")) {
                _cleanup_free_ char *procs = NULL, *needle = NULL;
                char *ctrl = strchr(line, ':'), *rel = ctrl ? strchr(ctrl + 1, ':') : NULL;
                int fd;

                if (!rel)
                        continue;
                if (asprintf(&needle, "%s\n", line) < 0)
                        return -ENOMEM;
                if (strstr(ours, needle) || streq(rel + 1, "/"))
                        continue; /* the same cgroup, or the root: nothing to join */
                *rel = 0;
                ctrl++;
                if (!*ctrl)
                        r = asprintf(&procs, "/sys/fs/cgroup/%s%s/cgroup.procs",
                                     access("/sys/fs/cgroup/unified", F_OK) == 0 ? "unified/" : "",
                                     rel + 1);
                else
                        r = asprintf(&procs, "/sys/fs/cgroup/%s%s/cgroup.procs",
                                     startswith(ctrl, "name=") ? ctrl + 5 : ctrl, rel + 1);
                if (r < 0)
                        return -ENOMEM;
                if (x->n_cgroups == MAX_CGROUPS)
                        return -E2BIG;
                fd = open(procs, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        return log_error_errno(-errno, "cannot open %s: %m", procs);
                x->cgroup_fds[x->n_cgroups++] = fd;
        }
        return 0;
}

/* The process's environment: the spec's, with PATH and HOME when it lacks them (as runc). */
static int exec_env(const struct policy *p, char ***ret)
{
        _cleanup_strv_free_ char **env = NULL;
        bool path = false, home = false;

        for (char **e = p->env; e && *e; e++) {
                path |= startswith(*e, "PATH=");
                home |= startswith(*e, "HOME=");
                if (strv_extend(&env, *e) < 0)
                        return -ENOMEM;
        }
        if ((!path && strv_extend(&env, "PATH=" EXEC_PATH) < 0) ||
            (!home && strv_extend(&env, "HOME=/") < 0))
                return -ENOMEM;
        *ret = TAKE_PTR(env);
        return 0;
}

/* SIGCHLD and the signals forwarded to the process, blocked before it exists. */
static void forwarded_signals(sigset_t *ret)
{
        sigemptyset(ret);
        sigaddset(ret, SIGCHLD);
        for (size_t i = 0; i < launcher_n_forwarded_signals; i++)
                sigaddset(ret, launcher_forwarded_signals[i]);
}

static int forward_and_wait(pid_t pid)
{
        sigset_t set;
        int status;

        forwarded_signals(&set);
        for (;;) {
                pid_t r = waitpid(pid, &status, WNOHANG);
                int sig;

                if (r == pid)
                        break;
                if (r < 0 && errno != EINTR)
                        return EXIT_RUNTIME_FAILED;
                sig = sigwaitinfo(&set, NULL);
                if (sig > 0 && sig != SIGCHLD)
                        kill(pid, sig);
        }
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return WEXITSTATUS(status);
}

/* Starts the process; returns its pid (in the host's pid namespace) once its execve
 * succeeded, or a negative errno after logging. */
static pid_t start_process(struct exec_ctx *x, const char *id)
{
        int err[2], ready[2], status;
        pid_t helper, pid = -1;
        char msg[512];
        ssize_t n;

        if (pipe2(err, O_CLOEXEC) < 0)
                return log_error_errno(-errno, "cannot make a pipe: %m");
        if (pipe2(ready, O_CLOEXEC) < 0) {
                close(err[0]);
                close(err[1]);
                return log_error_errno(-errno, "cannot make a pipe: %m");
        }
        x->error_fd = err[1];
        x->pid_fd = ready[1];
        helper = fork();
        if (helper == 0) {
                close(err[0]);
                close(ready[0]);
                helper_main(x);
        }
        close(err[1]);
        close(ready[1]);
        if (helper < 0) {
                close(err[0]);
                close(ready[0]);
                return log_error_errno(-errno, "cannot fork: %m");
        }
        if (read(ready[0], &pid, sizeof(pid)) != (ssize_t)sizeof(pid))
                pid = -1;
        close(ready[0]);
        waitpid(helper, &status, 0);
        /* end of file once the process's execve succeeded */
        n = read(err[0], msg, sizeof(msg) - 1);
        close(err[0]);
        if (n > 0) {
                msg[n] = 0;
                if (pid > 0)
                        waitpid(pid, NULL, 0);
                return log_error_errno(-EIO, "exec in %s: %s", id, msg);
        }
        if (pid <= 0)
                return log_error_errno(-EIO, "exec in %s: the helper failed", id);
        return pid;
}

static int load_process(struct oci_spec *spec, const struct runtime_exec_args *a)
{
        struct policy *p = spec->policy;
        int r;

        p->no_new_privs |= a->no_new_privs;
        if (a->process) {
                r = oci_spec_load_process(spec, a->process);
                p->no_new_privs |= a->no_new_privs;
                return r;
        }
        strv_free(p->argv);
        p->argv = NULL;
        for (char **c = a->argv; c && *c; c++)
                if (strv_extend(&p->argv, *c) < 0)
                        return log_error_errno(-ENOMEM, "out of memory");
        for (char **e = a->env; e && *e; e++) {
                if (!strchr(*e, '='))
                        return log_error_errno(-EINVAL, "--env %s: expected NAME=VALUE", *e);
                r = strv_extend(&p->env, *e);
                if (r < 0)
                        return log_error_errno(-ENOMEM, "out of memory");
        }
        if (a->user) {
                uint64_t uid, gid;
                _cleanup_free_ char *u = strdup(a->user);
                char *colon = u ? strchr(u, ':') : NULL;

                if (!u)
                        return log_error_errno(-ENOMEM, "out of memory");
                if (colon)
                        *colon = 0;
                if (parse_uint64(u, &uid) < 0 || uid > UINT32_MAX - 1 ||
                    (colon && (parse_uint64(colon + 1, &gid) < 0 || gid > UINT32_MAX - 1)))
                        return log_error_errno(-EINVAL, "--user %s: expected UID[:GID]", a->user);
                oci_spec_set_user(spec, (uid_t)uid, colon ? (gid_t)gid : 0);
        }
        if (a->cwd) {
                free(p->chdir);
                p->chdir = strdup(a->cwd);
                if (!p->chdir)
                        return log_error_errno(-ENOMEM, "out of memory");
        }
        spec->terminal = a->tty;
        return 0;
}

int runtime_exec(const struct runtime_globals *g, const struct runtime_exec_args *a)
{
        _cleanup_(oci_spec_freep) struct oci_spec *spec = NULL;
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;
        struct exec_ctx x = {.init_pidfd = -1,
                             .program_pidfd = -1,
                             .console_fd = -1,
                             .error_fd = -1,
                             .pid_fd = -1};
        struct userns_ids container_ids;
        struct oci_state st;
        enum oci_status status;
        int level = log_get_max_level(), r;
        pid_t pid = -1;

        r = oci_state_load(g->root, a->id, &st);
        if (r < 0) {
                log_error("container %s does not exist", a->id);
                return EXIT_RUNTIME_FAILED;
        }
        status = oci_state_status(&st);
        if (status != OCI_RUNNING && status != OCI_CREATED) {
                r = log_error_errno(-ESRCH, "container %s is %s: cannot exec in it", a->id,
                                    oci_status_name(status));
                goto out;
        }
        x.init_pidfd = (int)syscall(SYS_pidfd_open, st.init, 0);
        /* the start time after the pidfd: a reused pid cannot slip in between */
        if (st.init <= 0 || x.init_pidfd < 0 || oci_pid_start_time(st.init) != st.init_start_time) {
                r = log_error_errno(-ESRCH, "container %s: its init is gone", a->id);
                goto out;
        }
        x.program_pidfd = oci_program_pidfd(st.init);
        /* the spec was judged and its notes shown at create */
        if (level > LOG_ERR)
                log_set_max_level(LOG_ERR);
        r = oci_spec_load(st.bundle, st.dir, &spec);
        log_set_max_level(level);
        if (r >= 0) {
                userns_choose_policy_ids(spec->policy, &container_ids);
                r = load_process(spec, a);
        }
        if (r < 0)
                goto out;
        /* the container's user namespace maps one uid and one gid: the process takes those */
        userns_choose_policy_ids(spec->policy, &x.ids);
        if (x.ids.uid_inside != container_ids.uid_inside ||
            x.ids.gid_inside != container_ids.gid_inside) {
                r = log_error_errno(-EINVAL,
                                    "exec in %s: user %u:%u: the container maps only uid %u and "
                                    "gid %u",
                                    a->id, x.ids.uid_inside, x.ids.gid_inside,
                                    container_ids.uid_inside, container_ids.gid_inside);
                goto out;
        }
        if (spec->terminal != (a->console_socket != NULL)) {
                r = log_error_errno(-EINVAL, spec->terminal ? "a terminal needs --console-socket"
                                                            : "--console-socket needs a terminal "
                                                              "(process.terminal or --tty)");
                goto out;
        }
        if ((r = oci_spec_apply_oom_score_adj(spec)) < 0)
                goto out;
        x.spec = spec;
        if ((r = exec_env(spec->policy, &x.envp)) < 0) {
                log_error_errno(r, "out of memory");
                goto out;
        }
        if (!spec->policy->seccomp_disabled) {
                r = seccomp_program_build(spec->policy, &prog);
                if (r < 0) {
                        log_error_errno(r, "cannot build the seccomp filter: %m");
                        goto out;
                }
                x.seccomp = prog;
        }
        if ((r = read_limits(st.init, &x)) < 0) {
                log_error_errno(r, "cannot read the rlimits of %s: %m", a->id);
                goto out;
        }
        if ((r = open_cgroups(st.init, &x)) < 0) {
                log_error_errno(r, "cannot join the cgroup of %s: %m", a->id);
                goto out;
        }
        if (a->console_socket && (x.console_fd = oci_console_connect(a->console_socket)) < 0) {
                r = x.console_fd;
                goto out;
        }
        {
                sigset_t set;

                forwarded_signals(&set);
                sigprocmask(SIG_BLOCK, &set, NULL);
        }
        pid = start_process(&x, a->id);
        r = pid < 0 ? pid : 0;
        if (r < 0)
                goto out;
        if (pid > 0)
                (void)oci_state_add_exec(&st, pid);
        if (pid > 0 && a->pid_file) {
                char text[24];

                snprintf(text, sizeof(text), "%d", (int)pid);
                r = oci_write_file(a->pid_file, text);
                if (r < 0) {
                        log_error_errno(r, "cannot write the pid file %s: %m", a->pid_file);
                        kill(pid, SIGKILL);
                        goto out;
                }
        }
out:
        for (size_t i = 0; i < x.n_cgroups; i++)
                safe_close(x.cgroup_fds[i]);
        safe_close(x.init_pidfd);
        safe_close(x.program_pidfd);
        safe_close(x.console_fd);
        strv_free(x.envp);
        oci_state_done(&st);
        if (r < 0)
                return EXIT_RUNTIME_FAILED;
        if (a->detach || pid <= 0)
                return pid > 0 ? 0 : EXIT_RUNTIME_FAILED;
        return forward_and_wait(pid);
}
