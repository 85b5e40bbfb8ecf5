/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>

#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/strv.h"
#include "child.h"
#include "launcher.h"
#include "policy/seccomp-json.h"
#include "setup-msg.h"
#include "startup-trace.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

#define SANDBOX_USER "sandbox"
#define SANDBOX_PATH "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"

struct clone_args_v2 {
        uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
        uint64_t set_tid, set_tid_size, cgroup;
};

/* The supervisor's state while the sandbox runs. */
struct supervisor {
        const struct policy *p;
        const struct mount_plan *plan;
        const struct launcher_hooks *hooks;
        struct launcher_result *res;
        struct resources *rs;
        pid_t pid;
        int pidfd, sock, sigfd, timerfd, master, notify_fd;
        int program_pidfd;      /* SETUP_MSG_PIDFD: to take the notify listener */
        int client_fd;          /* a warm sandbox's caller (launcher_warm.client_fd) */
        uint64_t handover_usec; /* when a warm sandbox was handed over; 0 until then */
        bool stdin_open;
        bool got_exit;
        bool have_error;
        bool init_done;
        bool messages_live; /* the socket is read while the sandbox runs, not only at its end */
        bool raw;
        struct termios saved_tio;
};

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int env_set(char ***env, const char *name, const char *value)
{
        size_t len = strlen(name);
        char *entry;

        if (!value)
                return 0;
        if (asprintf(&entry, "%s=%s", name, value) < 0)
                return -ENOMEM;
        for (char **e = *env; e && *e; e++)
                if (strneq(*e, name, len) && (*e)[len] == '=') {
                        free(*e);
                        *e = entry;
                        return 0;
                }
        if (strv_push(env, entry) < 0) {
                free(entry);
                return -ENOMEM;
        }
        return 0;
}

static void env_unset(char **env, const char *name)
{
        size_t len = strlen(name), j = 0;

        for (size_t i = 0; env && env[i]; i++) {
                if (strneq(env[i], name, len) && env[i][len] == '=')
                        free(env[i]);
                else
                        env[j++] = env[i];
        }
        if (env)
                env[j] = NULL;
}

/* The clean environment: PATH, HOME, USER, LOGNAME, TERM and LANG, then --unsetenv, --env. */
static int build_env(const struct policy *p, const char *home, char ***ret)
{
        _cleanup_strv_free_ char **env = NULL;
        int r;

        if ((r = env_set(&env, "PATH", SANDBOX_PATH)) < 0 ||
            (r = env_set(&env, "HOME", home)) < 0 ||
            (r = env_set(&env, "USER", SANDBOX_USER)) < 0 ||
            (r = env_set(&env, "LOGNAME", SANDBOX_USER)) < 0 ||
            (r = env_set(&env, "TERM", getenv("TERM"))) < 0 ||
            (r = env_set(&env, "LANG", getenv("LANG"))) < 0)
                return r;
        for (char **u = p->env_unset; u && *u; u++)
                env_unset(env, *u);
        for (char **e = p->env; e && *e; e++) {
                _cleanup_free_ char *name = strndup(*e, strcspn(*e, "="));

                if (!name)
                        return -ENOMEM;
                if ((r = env_set(&env, name, strchr(*e, '=') + 1)) < 0)
                        return r;
        }
        if (!env && (r = strv_extend(&env, "PATH=" SANDBOX_PATH)) < 0)
                return r;
        *ret = TAKE_PTR(env);
        return 0;
}

int launcher_build_env(const struct policy *p, char ***ret)
{
        return build_env(p, launcher_home(p), ret);
}

const char *launcher_home(const struct policy *p)
{
        return p->home ?: "/home/" SANDBOX_USER;
}

static pid_t clone_sandbox(uint64_t flags, int cgroup_fd, int *ret_pidfd)
{
        struct clone_args_v2 args = {
                .flags = flags | CLONE_PIDFD | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0),
                .pidfd = (uint64_t)(uintptr_t)ret_pidfd,
                .exit_signal = SIGCHLD,
                .cgroup = cgroup_fd >= 0 ? (uint64_t)cgroup_fd : 0,
        };
        long pid = syscall(SYS_clone3, &args, sizeof(args));

        if (pid < 0 && errno == ENOSYS && cgroup_fd < 0) {
                pid = syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, NULL);
                if (pid > 0)
                        *ret_pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
        }
        return pid < 0 ? negative_errno() : (pid_t)pid;
}

static int record_error(struct supervisor *s, const struct setup_msg *m)
{
        if (s->have_error)
                return 0;
        s->have_error = true;
        s->res->setup_failed = true;
        snprintf(s->res->error_stage, sizeof(s->res->error_stage), "%s", m->stage);
        snprintf(s->res->error, sizeof(s->res->error), "%s", m->message);
        if (streq(m->stage, "exec"))
                s->res->exit_status = m->err == ENOENT || m->err == ENOTDIR ? 127 : 126;
        else
                s->res->exit_status = 125;
        return 0;
}

static void terminal_raw(struct supervisor *s)
{
        struct termios raw;

        if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &s->saved_tio) < 0)
                return;
        raw = s->saved_tio;
        cfmakeraw(&raw);
        if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
                s->raw = true;
}

static void terminal_restore(struct supervisor *s)
{
        if (s->raw)
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &s->saved_tio);
        s->raw = false;
}

static int warm_handover(struct supervisor *s);

static int handle_message(struct supervisor *s)
{
        struct setup_msg m;
        int fd = -1, r = setup_msg_recv(s->sock, &m, &fd);

        startup_trace(r <= 0 ? "message: end of the setup socket" : "message");
        if (r <= 0) {
                s->sock = safe_close(s->sock);
                return 0;
        }
        switch (m.type) {
        case SETUP_MSG_ERROR:
                record_error(s, &m);
                break;
        case SETUP_MSG_LANDLOCK:
                s->res->landlock_reported = true;
                s->res->landlock = m.landlock;
                break;
        case SETUP_MSG_PTY:
                if (fd >= 0 && s->hooks && s->hooks->on_pty) {
                        s->res->pty = true;
                        r = s->hooks->on_pty(s->hooks->userdata, TAKE_FD(fd));
                        if (r < 0)
                                return r;
                } else if (fd >= 0 && s->master < 0) {
                        s->master = TAKE_FD(fd);
                        fcntl(s->master, F_SETFL, O_NONBLOCK);
                        s->res->pty = true;
                        terminal_raw(s);
                }
                break;
        case SETUP_MSG_PIDFD:
                if (fd >= 0 && s->program_pidfd < 0)
                        s->program_pidfd = TAKE_FD(fd);
                break;
        case SETUP_MSG_NOTIFY:
                if (fd < 0 && s->program_pidfd >= 0 && m.value >= 0)
                        fd = (int)syscall(SYS_pidfd_getfd, s->program_pidfd, m.value, 0);
                s->program_pidfd = safe_close(s->program_pidfd);
                if (fd < 0) {
                        /* Without the listener the program would wait forever on its first
                         * notified syscall: end the sandbox, saying why. */
                        struct setup_msg e = {.type = SETUP_MSG_ERROR, .err = errno ?: EBADF};

                        snprintf(e.stage, sizeof(e.stage), "seccomp");
                        snprintf(e.message, sizeof(e.message),
                                 "cannot take the seccomp notification listener: %s",
                                 strerror(e.err));
                        record_error(s, &e);
                        return -e.err;
                }
                if (s->hooks && s->hooks->on_notify_fd) {
                        s->notify_fd = fd;
                        r = s->hooks->on_notify_fd(s->hooks->userdata, TAKE_FD(fd));
                        if (r < 0)
                                return r;
                }
                break;
        case SETUP_MSG_READY:
                if (s->hooks && s->hooks->start_gate && s->hooks->on_ready)
                        s->hooks->on_ready(s->hooks->userdata, s->pid);
                break;
        case SETUP_MSG_EXIT:
                s->got_exit = true;
                s->res->wait_status = m.value;
                break;
        case SETUP_MSG_NETDEV: /* start_child() takes it; its fd is closed below */
                break;
        case SETUP_MSG_WARM:
                r = warm_handover(s);
                if (r < 0)
                        return r;
                break;
        }
        safe_close(fd);
        return 0;
}

static int setup_timer(struct supervisor *s);
static uint64_t now_usec(void);

/* A warm sandbox's init waits (SETUP_MSG_WARM): the hook gives the program, which goes to
 * init with the caller's fds 0-2; the timeout runs from now. Returns 0 or a negative errno
 * (the sandbox is then killed). */
static int warm_handover(struct supervisor *s)
{
        struct launcher_warm w = {.fds = {-1, -1, -1}, .client_fd = -1};
        struct setup_msg m = {.type = SETUP_MSG_HANDOVER};
        int r;

        if (!s->hooks || !s->hooks->on_warm || s->handover_usec)
                return -EPROTO;
        r = s->hooks->on_warm(s->hooks->userdata, &w);
        if (r < 0)
                return r;
        s->handover_usec = now_usec();
        /* the run's wall time, as the report gives it, from the hand-over as well */
        resources_started(s->rs);
        s->client_fd = w.client_fd;
        s->rs->timeout_usec = s->p->timeout_usec;
        m.value = (int)w.size;
        r = setup_msg_send_fds(s->sock, &m, w.fds, ELEMENTSOF(w.fds));
        if (r >= 0 && send(s->sock, w.blob, w.size, MSG_NOSIGNAL) != (ssize_t)w.size)
                r = -errno ?: -EPIPE;
        if (r >= 0)
                r = setup_timer(s);
        /* from here on as cold: what init and the program say is read once init has ended
         * (a warm sandbox has no pty, tracer or start gate that would need it sooner) */
        s->messages_live = false;
        return r < 0 ? log_error_errno(r, "cannot hand the sandbox over: %m") : 0;
}

static void kill_sandbox(struct supervisor *s)
{
        if (!s->init_done)
                syscall(SYS_pidfd_send_signal, s->pidfd, SIGKILL, NULL, 0);
        resources_kill(s->rs);
}

static void handle_signal(struct supervisor *s)
{
        struct signalfd_siginfo si;

        if (read(s->sigfd, &si, sizeof(si)) != sizeof(si))
                return;
        if (si.ssi_signo == SIGWINCH && s->master >= 0) {
                struct winsize ws;

                if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
                        ioctl(s->master, TIOCSWINSZ, &ws);
                return;
        }
        if (!s->init_done)
                syscall(SYS_pidfd_send_signal, s->pidfd, (int)si.ssi_signo, NULL, 0);
}

/* Copies what is readable from one fd to another. Returns false at end of input. */
static bool relay(int from, int to)
{
        char buf[16384];
        ssize_t n = read(from, buf, sizeof(buf));

        if (n < 0)
                return errno == EAGAIN || errno == EINTR;
        if (n == 0)
                return false;
        return loop_write(to, buf, (size_t)n) >= 0 || true;
}

static void reap_init(struct supervisor *s)
{
        siginfo_t info = {0};

        if (waitid((idtype_t)P_PIDFD, (id_t)s->pidfd, &info, WEXITED) < 0)
                waitpid(s->pid, NULL, 0);
        s->init_done = true;
        if (!s->got_exit && !s->have_error && !s->res->timed_out) {
                /* init died without a word: killed from outside, or crashed. */
                s->res->wait_status =
                        info.si_code == CLD_EXITED ? info.si_status << 8 : info.si_status & 0x7f;
                s->got_exit = info.si_code != CLD_EXITED;
                if (info.si_code == CLD_EXITED)
                        s->res->exit_status = 125;
        }
}

/* Whether a message of the running sandbox needs the supervisor before the sandbox ends: the
 * pty's master, the seccomp listener for the tracer, the start gate's readiness. Otherwise
 * what the sandbox says once the program runs (its Landlock status, its end, an error) is
 * read when pid 1 has exited: every message is queued by then, and the supervisor wakes once,
 * for pid 1's end, instead of once for each message and again for the end. */
static bool needs_live_messages(const struct policy *p, const struct launcher_hooks *hooks,
                                const struct child_ctx *c)
{
        return c->want_pty || p->trace ||
               (hooks && (hooks->on_pty || hooks->on_notify_fd || hooks->on_notify_ready ||
                          hooks->start_gate || hooks->on_ready || hooks->on_warm));
}

/* A warm sandbox's caller said something: a signal to forward, or that it is gone. */
static void handle_client(struct supervisor *s)
{
        int r = s->hooks->on_warm_client(s->hooks->userdata);

        if (r > 0 && !s->init_done)
                syscall(SYS_pidfd_send_signal, s->pidfd, r, NULL, 0);
        if (r < 0) {
                s->client_fd = -1;
                kill_sandbox(s);
        }
}

enum { W_SOCK, W_PID, W_SIG, W_TIMER, W_MASTER, W_STDIN, W_NOTIFY, W_LIMIT, W_CLIENT, W_MAX };

static int supervise(struct supervisor *s)
{
        while (!s->init_done || s->sock >= 0) {
                struct pollfd pfd[W_MAX];
                int r;

                for (int i = 0; i < W_MAX; i++)
                        pfd[i] = (struct pollfd){.fd = -1, .events = POLLIN};
                pfd[W_SOCK].fd = s->init_done || s->messages_live ? s->sock : -1;
                pfd[W_PID].fd = s->init_done ? -1 : s->pidfd;
                pfd[W_SIG].fd = s->sigfd;
                pfd[W_TIMER].fd = s->timerfd;
                pfd[W_MASTER].fd = s->master;
                pfd[W_STDIN].fd = s->master >= 0 && s->stdin_open ? STDIN_FILENO : -1;
                pfd[W_NOTIFY].fd = s->notify_fd;
                pfd[W_LIMIT].fd = s->init_done ? -1 : resources_event_fd(s->rs);
                pfd[W_CLIENT].fd =
                        s->init_done || !s->hooks || !s->hooks->on_warm_client ? -1 : s->client_fd;
                r = poll(pfd, W_MAX, s->init_done ? 0 : -1);
                if (r < 0 && errno != EINTR)
                        return log_error_errno(-errno, "cannot wait for the sandbox: %m");
                if (r <= 0 && s->init_done)
                        break;
                if (r <= 0)
                        continue;
                if (pfd[W_SOCK].revents)
                        if ((r = handle_message(s)) < 0)
                                kill_sandbox(s);
                if (pfd[W_SIG].revents)
                        handle_signal(s);
                if (pfd[W_TIMER].revents) {
                        s->res->timed_out = true;
                        s->timerfd = safe_close(s->timerfd);
                        kill_sandbox(s);
                }
                if (pfd[W_STDIN].revents && !relay(STDIN_FILENO, s->master)) {
                        s->stdin_open = false;
                        if (!isatty(STDIN_FILENO))
                                loop_write(s->master, "\004", 1);
                }
                if (pfd[W_MASTER].revents && !relay(s->master, STDOUT_FILENO))
                        s->master = safe_close(s->master);
                if (pfd[W_NOTIFY].revents && s->hooks && s->hooks->on_notify_ready &&
                    s->hooks->on_notify_ready(s->hooks->userdata) < 0)
                        kill_sandbox(s);
                if (pfd[W_NOTIFY].revents & (POLLHUP | POLLERR))
                        s->notify_fd = -1; /* owned by the hook */
                /* a limit killed a task (v1 OOM): the whole sandbox ends, as on v2 */
                if (pfd[W_LIMIT].revents && resources_limit_event(s->rs))
                        kill_sandbox(s);
                if (pfd[W_CLIENT].revents)
                        handle_client(s);
                if (pfd[W_PID].revents)
                        reap_init(s);
        }
        /* Whatever the program printed last is still in the pty. */
        while (s->master >= 0 && relay(s->master, STDOUT_FILENO)) {
                struct pollfd m = {.fd = s->master, .events = POLLIN};

                if (poll(&m, 1, 0) <= 0)
                        break;
        }
        return 0;
}

static int setup_signals(struct supervisor *s, sigset_t *ret_old)
{
        sigset_t set;

        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        for (size_t i = 0; i < launcher_n_forwarded_signals; i++)
                sigaddset(&set, launcher_forwarded_signals[i]);
        if (sigprocmask(SIG_BLOCK, &set, ret_old) < 0)
                return -errno;
        sigdelset(&set, SIGCHLD);
        s->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        return s->sigfd < 0 ? -errno : 0;
}

static int setup_timer(struct supervisor *s)
{
        struct itimerspec its = {
                .it_value.tv_sec = (time_t)(s->p->timeout_usec / 1000000u),
                .it_value.tv_nsec = (long)(s->p->timeout_usec % 1000000u) * 1000,
        };

        if (!s->p->timeout_usec)
                return 0;
        s->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (s->timerfd < 0 || timerfd_settime(s->timerfd, 0, &its, NULL) < 0)
                return -errno;
        return 0;
}

static unsigned tty_mask(void)
{
        unsigned m = 0;

        for (int fd = 0; fd <= 2; fd++)
                if (isatty(fd))
                        m |= 1u << fd;
        return m;
}

/* Whether the child has already reported an error, reading what it sent so far without
 * waiting (the messages are kept for supervise(), which goes on from there). */
static bool child_failed_first(struct supervisor *s)
{
        while (!s->have_error && s->sock >= 0) {
                struct pollfd p = {.fd = s->sock, .events = POLLIN};

                if (poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR)))
                        break;
                if (handle_message(s) < 0)
                        break;
        }
        return s->have_error;
}

static int send_idmapped(size_t index, int tree, void *userdata)
{
        const struct supervisor *s = userdata;
        struct setup_msg m = {.type = SETUP_MSG_IDMAPPED, .value = (int)index};

        return setup_msg_send(s->sock, &m, tree);
}

/* The binds that ask for it (airlock-runtime's rootfs) seen through idmapped mounts of the
 * child's user namespace, once its maps are written. Only root can make them (CAP_SYS_ADMIN
 * over the file system), and only in a user namespace airlock made; where the kernel or the
 * file system cannot, the binds stay plain (the files keep the host's owners), and the debug
 * log (airlock-runtime --debug) says why: a bundle under a folder others can reach is common,
 * and a line on every create would be noise. */
static int idmap_sources(struct supervisor *s)
{
        const char *src = NULL;
        int r;

        if (s->p->keep_user_ns || geteuid() != 0)
                return 0;
        r = mount_idmap_sources(s->plan, s->pid, send_idmapped, s, &src);
        if (r == -EACCES) {
                log_debug("the rootfs is not idmapped, its files keep the host's owners: other "
                          "users can reach %s (no folder above it is root's alone, mode 0700), "
                          "where files of the container's root would be uid 0's",
                          src);
                return 0;
        }
        if (r == -EPERM || r == -EINVAL || r == -EOPNOTSUPP || r == -ENOSYS) {
                log_debug("the rootfs is not idmapped, its files keep the host's owners: "
                          "%s: %s",
                          src ?: "",
                          r == -EINVAL ? "the file system or the kernel does not "
                                         "support idmapped mounts"
                                       : strerror(-r));
                return 0;
        }
        return r < 0 ? log_error_errno(r, "cannot idmap %s: %m", src ?: "the rootfs") : 0;
}

/* After SETUP_MSG_GO, while the child builds its new root: makes the cgroup unless clone()
 * placed the child in it already (cgroup v1 is made only now, off the path to the program's
 * start), then tells the child how to join it and which limits are left to rlimits
 * (SETUP_MSG_CGROUP). The child joins by itself, through the tasks files opened here: a move
 * by pid waits for an RCU grace period in the kernel (the write side of
 * cgroup_threadgroup_rwsem), several milliseconds on a loaded machine. The child waits for the
 * message before it makes its cgroup namespace and forks the program, so nothing of the
 * program runs outside the cgroup. What the set-up allocates before the child is in its
 * cgroup (a few kB of mount and tmpfs metadata) is charged to airlock's own cgroup. */
static int send_cgroup(struct supervisor *s, bool placed)
{
        struct setup_msg m = {.type = SETUP_MSG_CGROUP};
        int fds[RESOURCES_JOIN_MAX];
        size_t n = 0;
        int r;

        if (!placed) {
                r = resources_setup_after_clone(s->p, s->rs);
                if (r < 0)
                        return r;
                n = resources_open_join(s->rs, fds, ELEMENTSOF(fds));
                /* The child may fail (a mount it cannot make) and end before it is joined:
                 * then its error, already sent, is what to report, and supervise() reads it. */
                if (n == 0 && (r = resources_place(s->rs, s->pid)) < 0)
                        return child_failed_first(s) ? 0 : r;
        }
        m.value = (int)s->rs->n_fallback;
        memcpy(m.rlimits, s->rs->fallback, sizeof(m.rlimits));
        /* read here, while the child builds its root, rather than by the program on the way
         * to its execve: no disposition of ours changed since clone() */
        m.signals = UINT64_MAX;
        (void)signals_not_default(&m.signals);
        r = setup_msg_send_fds(s->sock, &m, fds, n);
        for (size_t i = 0; i < n; i++)
                close(fds[i]);
        if (r < 0)
                return child_failed_first(s) ? 0
                                             : log_error_errno(r, "cannot start the sandbox: %m");
        return 0;
}

/* After SETUP_MSG_GO, while the child builds its root: brings up the loopback of its network
 * namespace through the socket the child sent as its first message (SETUP_MSG_NETDEV), which
 * is queued by now. The child may have failed before instead, and said why: then that is what
 * to report. Returns 1 when the loopback is up, 0 when the child failed first, or a negative
 * errno (logged). */
static int loopback_for_child(struct supervisor *s)
{
        struct setup_msg m;
        int fd = -1, r = setup_msg_recv(s->sock, &m, &fd);

        if (r > 0 && m.type == SETUP_MSG_NETDEV && fd >= 0) {
                r = loopback_up_on(fd);
                safe_close(fd);
                if (r >= 0)
                        return 1;
                m = (struct setup_msg){.type = SETUP_MSG_ERROR, .err = -r};
                snprintf(m.stage, sizeof(m.stage), "net");
                snprintf(m.message, sizeof(m.message), "cannot bring up the loopback: %s",
                         strerror(-r));
                record_error(s, &m);
                return log_error_errno(r, "cannot bring up the loopback: %m");
        }
        safe_close(fd);
        if (r > 0 && m.type == SETUP_MSG_ERROR) {
                record_error(s, &m);
                return 0;
        }
        if (r == 0) /* the child ended without a word: reap_init() says so */
                return 0;
        return log_error_errno(r < 0 ? r : -EPROTO, "cannot start the sandbox: %m");
}

/* After clone: map the identity and let the child go on, bring its loopback up (when
 * loopback, see loopback_for_child()), then make and join its cgroup (send_cgroup()). */
static int start_child(struct supervisor *s, const struct userns_ids *ids, bool placed,
                       bool loopback)
{
        struct setup_msg go = {.type = SETUP_MSG_GO};
        int r;

        /* a user namespace joined (airlock-runtime) has its maps already. The child sets up
         * what needs no identity before it waits for them, and may fail there and end: then
         * its error, already sent, is what to report. */
        r = s->p->keep_user_ns ? 0 : userns_write_maps(s->pid, ids);
        if (r < 0 && !child_failed_first(s))
                return log_error_errno(r, "cannot map uid %u in the user namespace: %m",
                                       ids->uid_outside);
        if (r >= 0 && (r = idmap_sources(s)) < 0)
                return child_failed_first(s) ? 0 : r;
        if (r >= 0 && (r = setup_msg_send(s->sock, &go, -1)) < 0 && !child_failed_first(s))
                return log_error_errno(r, "cannot start the sandbox: %m");
        if (r < 0)
                return 0;
        if (loopback && (r = loopback_for_child(s)) <= 0)
                return r;
        return send_cgroup(s, placed);
}

static int exit_status_of(const struct supervisor *s)
{
        const struct launcher_result *res = s->res;
        int st = res->wait_status;

        if (res->timed_out)
                return 124;
        if (s->have_error)
                return res->exit_status;
        if (!s->got_exit)
                return 125;
        if (WIFEXITED(st))
                return WEXITSTATUS(st);
        if (WIFSIGNALED(st))
                return 128 + WTERMSIG(st);
        return 125;
}

static void finish(struct supervisor *s)
{
        struct launcher_result *res = s->res;

        getrusage(RUSAGE_CHILDREN, &res->rusage);
        res->exit_status = exit_status_of(s);
        s->program_pidfd = safe_close(s->program_pidfd);
        /* When pid 1 of the sandbox's own pid namespace is reaped, the kernel has killed and
         * released every other task of it: there is nothing to kill (and resources_release()
         * checks again that the cgroup is empty before removing it). */
        if (!s->init_done || s->p->keep_pid_ns)
                resources_kill(s->rs);
        resources_finish(s->rs, s->got_exit ? res->wait_status : 0, &res->rusage, res->timed_out);
        if (s->hooks && s->hooks->on_child_exit)
                s->hooks->on_child_exit(s->hooks->userdata, res->wait_status);
        if (s->have_error)
                log_error("%s", res->error);
        /* A setup step failed before the program's execve: the report must not claim the
         * credentials and the filter it never got to. */
        if (s->have_error && !streq(res->error_stage, "exec")) {
                res->no_new_privs = res->caps_dropped = false;
                res->seccomp_loaded = false;
        }
}

/* A JSON profile that cannot be imported is named with the place of the fault
 * ("f.json: syscalls[3].args[0].op: unknown operator ..."); the import is run again only to
 * get that text, on this failure path alone. Returns r. */
static int log_seccomp_build_error(const struct policy *p, int r)
{
        _cleanup_(policy_freep) struct policy *scratch = NULL;
        _cleanup_free_ char *why = NULL;

        if (p->seccomp_json && policy_new(&scratch) >= 0 &&
            seccomp_json_import_file(p->seccomp_json, NULL, scratch, &why) < 0 && why)
                return log_error_errno(r, "cannot build the seccomp filter: %s", why);
        return log_error_errno(r, "cannot build the seccomp filter: %m");
}
static int prepare(const struct policy *p, struct child_ctx *c, struct launcher_result *res,
                   struct mount_plan **ret_plan, struct seccomp_program **ret_prog)
{
        struct mount_identity id;
        int r;

        userns_choose_policy_ids(p, &c->ids);
        if (p->keep_user_ns) {
                /* the joined namespace's setgroups is its owner's choice: left alone */
                c->ids.privileged = false;
                c->ids.n_groups = 0;
        }
        res->uid_inside = c->ids.uid_inside;
        res->uid_outside = c->ids.uid_outside;
        res->gid_inside = c->ids.gid_inside;
        res->gid_outside = c->ids.gid_outside;
        id = (struct mount_identity){
                .uid = c->ids.uid_inside,
                .gid = c->ids.gid_inside,
                .user_name = SANDBOX_USER,
                .home = c->home,
                .hostname = c->hostname,
                .net_host = p->net == NET_HOST,
        };
        r = mount_plan_build(p, &id, ret_plan);
        if (r < 0)
                return r;
        c->plan = *ret_plan;
        r = build_env(p, c->home, &c->envp);
        if (r < 0)
                return log_error_errno(r, "cannot build the environment: %m");
        if (!p->seccomp_disabled) {
                r = seccomp_program_build(p, ret_prog);
                if (r < 0)
                        return log_seccomp_build_error(p, r);
                c->seccomp = *ret_prog;
                seccomp_program_summary(*ret_prog, &res->seccomp);
                res->seccomp_loaded = true;
        }
        return 0;
}

int launcher_run(const struct policy *p, const struct launcher_hooks *hooks,
                 struct launcher_result *res)
{
        _cleanup_(mount_plan_freep) struct mount_plan *plan = NULL;
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;
        struct child_ctx c = {
                .p = p,
                .hostname = p->hostname ?: "airlock",
                .home = launcher_home(p),
                .net_ns = p->net != NET_HOST,
                /* a user namespace joined may be another's, whose network the parent cannot
                 * administer */
                .loopback_by_parent = p->net != NET_HOST && !p->keep_user_ns,
                .uts_ns = !p->keep_uts_ns,
                .start_gate_fd = hooks && hooks->start_gate ? hooks->start_gate_fd : -1,
                .warm = hooks && hooks->on_warm,
        };
        struct supervisor s = {
                .p = p,
                .hooks = hooks,
                .res = res,
                .pidfd = -1,
                .sock = -1,
                .sigfd = -1,
                .timerfd = -1,
                .master = -1,
                .notify_fd = -1,
                .program_pidfd = -1,
                .client_fd = -1,
                .stdin_open = true,
                .rs = &res->resources,
        };
        uint64_t flags = (p->keep_user_ns ? 0 : CLONE_NEWUSER) |
                         (p->join_mount_ns ? 0 : CLONE_NEWNS) |
                         (p->keep_pid_ns ? 0 : CLONE_NEWPID) | (p->keep_ipc_ns ? 0 : CLONE_NEWIPC) |
                         (p->keep_uts_ns ? 0 : CLONE_NEWUTS);
        uint64_t start = now_usec();
        int sv[2], cgfd, r;
        sigset_t old_mask;

        *res = (struct launcher_result){.exit_status = 125, .wait_status = -1};
        /* before clone(): pid 1 and the program start with it (see sched-slice.h) */
        (void)sched_slice_shorten(&c.caller_sched);
        startup_trace_begin();
        sigprocmask(SIG_SETMASK, NULL, &old_mask);
        r = prepare(p, &c, res, &plan, &prog);
        if (r < 0)
                goto out;
        s.plan = plan;
        startup_trace("prepared: mount plan, environment, seccomp program");
        r = resources_setup_before_clone(p, s.rs);
        if (r < 0)
                goto out;
        startup_trace("resources set up before clone");
        c.tty_mask = tty_mask();
        c.want_pty = p->pty || c.tty_mask != 0;
        s.messages_live = needs_live_messages(p, hooks, &c);
        if (c.net_ns)
                flags |= CLONE_NEWNET;
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
                r = log_error_errno(-errno, "cannot create the setup socket: %m");
                goto out;
        }
        r = setup_signals(&s, &old_mask);
        /* a warm sandbox's timeout runs from its hand-over (warm_handover()) */
        if (r < 0 || (!c.warm && (r = setup_timer(&s)) < 0)) {
                log_error_errno(r, "cannot set up the supervisor: %m");
                goto out_close;
        }
        cgfd = resources_clone_fd(s.rs);
        c.cgroup_ns_done = cgfd >= 0 || p->keep_cgroup_ns;
        c.sock = sv[1];
        s.pid = clone_sandbox(flags | (cgfd >= 0 && !p->keep_cgroup_ns ? CLONE_NEWCGROUP : 0), cgfd,
                              &s.pidfd);
        if (s.pid == -EINVAL || s.pid == -EPERM || s.pid == -EBUSY) {
                if (cgfd >= 0) {
                        /* the cgroup refused: join it after clone instead */
                        cgfd = -1;
                        c.cgroup_ns_done = p->keep_cgroup_ns;
                        s.pid = clone_sandbox(flags, -1, &s.pidfd);
                }
        }
        if (s.pid == 0) {
                safe_close(sv[0]);
                child_main(&c);
        }
        startup_trace("cloned");
        resources_started(s.rs);
        safe_close(sv[1]);
        s.sock = sv[0];
        if (s.pid < 0) {
                r = userns_explain_failure(s.pid);
                goto out_close;
        }
        res->namespaces = (p->keep_user_ns ? 0 : LAUNCHER_NS_USER) |
                          (p->join_mount_ns ? 0 : LAUNCHER_NS_MOUNT) |
                          (p->keep_pid_ns ? 0 : LAUNCHER_NS_PID) |
                          (p->keep_cgroup_ns ? 0 : LAUNCHER_NS_CGROUP) |
                          (p->keep_ipc_ns ? 0 : LAUNCHER_NS_IPC) |
                          (p->keep_uts_ns ? 0 : LAUNCHER_NS_UTS) | (c.net_ns ? LAUNCHER_NS_NET : 0);
        res->no_new_privs = res->caps_dropped = true;
        r = start_child(&s, &c.ids, cgfd >= 0, c.loopback_by_parent);
        startup_trace("child mapped and started, cgroup made");
        if (r < 0) {
                kill_sandbox(&s);
                reap_init(&s);
                goto out_close;
        }
        /* while the child builds the sandbox, not after the program, when the caller waits */
        resources_sweep_stale(s.rs);
        resources_setup_end();
        startup_trace("stale cgroups swept");
        r = supervise(&s);
        startup_trace("sandbox ended");
        if (!s.init_done) {
                kill_sandbox(&s);
                reap_init(&s);
        }
        terminal_restore(&s);
        finish(&s);
        startup_trace("finished: accounting read");
        r = 0;
out_close:
        safe_close(s.sock);
        safe_close(s.pidfd);
        safe_close(s.sigfd);
        safe_close(s.timerfd);
        safe_close(s.master);
        sigprocmask(SIG_SETMASK, &old_mask, NULL);
out:
        resources_setup_end();
        (void)sched_slice_restore(&c.caller_sched);
        strv_free(c.envp);
        res->wall_usec = now_usec() - (s.handover_usec ?: start);
        if (r < 0) {
                res->exit_status = 125;
                res->seccomp_loaded = res->no_new_privs = res->caps_dropped = false;
                if (!res->setup_failed) {
                        /* failed in the parent (logged there): the report names the cause */
                        res->setup_failed = true;
                        snprintf(res->error_stage, sizeof(res->error_stage), "prepare");
                        snprintf(res->error, sizeof(res->error), "%s", strerror(-r));
                }
        }
        return res->exit_status;
}

void launcher_result_release(struct launcher_result *r)
{
        resources_release(&r->resources);
}
