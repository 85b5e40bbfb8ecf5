/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>

#include "basic/chase.h"
#include "caps.h"
#include "child.h"
#include "landlock.h"
#include "resources/rlimit.h"
#include "setup-msg.h"
#include "startup-trace.h"
#include "warm-handover.h"

extern char **environ;

const int launcher_forwarded_signals[] = {SIGTERM, SIGINT,  SIGHUP,   SIGQUIT,
                                          SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};
const size_t launcher_n_forwarded_signals = ELEMENTSOF(launcher_forwarded_signals);

static int cmp_int(const void *a, const void *b)
{
        return *(const int *)a - *(const int *)b;
}

/* The fds init keeps through its set-up: the policy's passed fds, the setup socket, the mount
 * namespace's and the start gate's. */
#define CHILD_KEEP_MAX (POLICY_PASS_FDS_MAX + 3)

/* The limits left to rlimits, as the parent sent them (SETUP_MSG_CGROUP). */
struct child_rlimits {
        struct rlimit_setting settings[RESOURCES_FALLBACK_MAX];
        size_t n;
};

/* The signals clone() left at another disposition than the default, as the parent read them
 * in its own /proc/self/status (SETUP_MSG_CGROUP); all of them until then. */
static uint64_t inherited_signals = UINT64_MAX;

/* Applies action (close, or mark close-on-exec) to every fd >= 3 not in keep (n <=
 * CHILD_KEEP_MAX). */
static void fds_except(const int *keep, size_t n, unsigned flags)
{
        int sorted[CHILD_KEEP_MAX];
        unsigned next = 3;

        assert(n <= ELEMENTSOF(sorted));
        if (n > 0) {
                memcpy(sorted, keep, n * sizeof(int));
                qsort(sorted, n, sizeof(int), cmp_int);
        }
        for (size_t i = 0; i < n; i++) {
                if (sorted[i] < (int)next)
                        continue;
                if ((unsigned)sorted[i] > next)
                        close_range(next, (unsigned)sorted[i] - 1, flags);
                next = (unsigned)sorted[i] + 1;
        }
        close_range(next, ~0U, flags);
}

static void send_error(int sock, const struct child_error *e)
{
        struct setup_msg m = {.type = SETUP_MSG_ERROR, .err = e->err};

        memcpy(m.stage, e->stage, sizeof(m.stage));
        memcpy(m.message, e->message, sizeof(m.message));
        setup_msg_send(sock, &m, -1);
}

int loopback_up_on(int sock)
{
        struct ifreq ifr = {.ifr_name = "lo", .ifr_flags = IFF_LOOPBACK | IFF_UP | IFF_RUNNING};

        return ioctl(sock, SIOCSIFFLAGS, &ifr) < 0 ? -errno : 0;
}

/* Brings up the loopback device of the network namespace clone() just made (see
 * loopback_up_on()), or hands the parent a socket of the namespace to do it with while this
 * process builds the new root: the ioctl() is one of the dearest calls of the set-up. */
static int loopback_up(const struct child_ctx *c, struct child_error *e)
{
        struct setup_msg m = {.type = SETUP_MSG_NETDEV};
        int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        int r;

        if (s < 0)
                return child_fail(e, errno, "net", "cannot open a socket: %m");
        r = c->loopback_by_parent ? setup_msg_send(c->sock, &m, s) : loopback_up_on(s);
        safe_close(s);
        return r < 0 ? child_fail(e, r, "net", "cannot bring up the loopback: %s", strerror(-r))
                     : 0;
}

/* Opens a pseudo-terminal of the sandbox's own devpts, sends its master to the parent and
 * returns the slave, set up like the terminal airlock runs under. */
static int open_pty(const struct child_ctx *c, struct child_error *e)
{
        struct setup_msg m = {.type = SETUP_MSG_PTY};
        _cleanup_close_ int master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        struct termios tio;
        struct winsize ws;
        int unlock = 0, slave, r;

        if (master < 0)
                return child_fail(e, errno, "pty", "cannot open /dev/pts/ptmx: %m");
        if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
                return child_fail(e, errno, "pty", "cannot unlock the pty: %m");
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0)
                return child_fail(e, errno, "pty", "cannot open the pty: %m");
        for (int fd = 0; fd <= 2; fd++) {
                if (!(c->tty_mask & (1u << fd)))
                        continue;
                if (tcgetattr(fd, &tio) == 0)
                        tcsetattr(slave, TCSANOW, &tio);
                if (ioctl(fd, TIOCGWINSZ, &ws) == 0)
                        ioctl(slave, TIOCSWINSZ, &ws);
                break;
        }
        r = setup_msg_send(c->sock, &m, master);
        if (r < 0) {
                safe_close(slave);
                return child_fail(e, r, "pty", "cannot send the pty: %s", strerror(-r));
        }
        return slave;
}

static int setup_namespaces(const struct child_ctx *c, struct child_error *e)
{
        struct setup_msg go;
        int r;

        /* What needs no identity goes first, while the parent writes the maps: the child would
         * otherwise sleep at once in the wait for them and need a CPU again to go on. The
         * loopback's socket first of all: the parent takes it right after SETUP_MSG_GO. */
        if (c->net_ns && (r = loopback_up(c, e)) < 0)
                return r;
        if (c->uts_ns && sethostname(c->hostname, strlen(c->hostname)) < 0)
                return child_fail(e, errno, "uts", "cannot set the host name: %m");
        for (;;) {
                int tree = -1;

                r = setup_msg_recv(c->sock, &go, &tree);
                if (r <= 0 || go.type != SETUP_MSG_IDMAPPED)
                        break;
                if (mount_take_idmapped(c->plan, (size_t)go.value, tree) < 0)
                        _exit(125); /* not from our parent's plan */
        }
        if (r <= 0 || go.type != SETUP_MSG_GO)
                _exit(125); /* the parent is gone or failed: it says why */
        startup_trace("child: go received");
        /* The sources are opened with the caller's file-system identity (root may bind its
         * own private folders); then the mapped identity, since files of the new root need an
         * owner the namespace can name. The capabilities in the namespace survive that,
         * because its uid 0 is not mapped; they are dropped explicitly later. */
        /* a mount namespace joined (airlock-runtime): the root is built in it */
        if (c->p->join_mount_ns && setns(c->p->mount_ns_fd, CLONE_NEWNS) < 0)
                return child_fail(e, errno, "mount", "cannot join the mount namespace: %m");
        r = mount_open_sources(c->plan, e);
        if (r < 0)
                return r;
        startup_trace("child: mount sources opened");
        r = userns_become(&c->ids);
        if (r < 0)
                return child_fail(e, r, "userns", "cannot take uid %u: %s", c->ids.uid_inside,
                                  strerror(-r));
        /* Changing credentials cleared the parent-death signal: arm it again, or a SIGKILLed
         * airlock would leave the whole sandbox running. The parent is outside our pid
         * namespace (getppid() is 0), so a parent that died before this shows as the setup
         * socket's peer being gone. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (poll(&(struct pollfd){.fd = c->sock}, 1, 0) > 0) /* POLLHUP needs no asking */
                _exit(125);
        r = mount_setup_root(c->plan, e);
        if (r < 0)
                return r;
        startup_trace("child: new root entered");
        return 0;
}

/* Waits for the parent's SETUP_MSG_CGROUP (see send_cgroup() in launcher.c), joins the cgroup
 * through the fds it brings, if any, and keeps the limits left to rlimits for
 * drop_privileges(); then makes the cgroup namespace rooted there. Nothing of the program runs
 * before: it is forked after this. */
static int join_cgroup(const struct child_ctx *c, struct child_rlimits *ret_fallback,
                       struct child_error *e)
{
        struct setup_msg m;
        int fds[RESOURCES_JOIN_MAX];
        size_t n = 0;
        int r;

        r = setup_msg_recv_fds(c->sock, &m, fds, ELEMENTSOF(fds), &n);
        if (r <= 0 || m.type != SETUP_MSG_CGROUP || m.value < 0 ||
            (size_t)m.value > ELEMENTSOF(m.rlimits))
                _exit(125); /* the parent is gone or failed: it says why */
        r = resources_join_self(fds, n);
        for (size_t i = 0; i < n; i++)
                close(fds[i]);
        if (r < 0)
                return child_fail(e, r, "cgroup", "cannot join the sandbox's cgroup: %s",
                                  strerror(-r));
        ret_fallback->n = (size_t)m.value;
        memcpy(ret_fallback->settings, m.rlimits, sizeof(m.rlimits));
        inherited_signals = m.signals;
        if (c->cgroup_ns_done)
                return 0;
        startup_trace("child: cgroup joined");
        if (unshare(CLONE_NEWCGROUP) < 0)
                return child_fail(e, errno, "cgroup", "cannot make a cgroup namespace: %m");
        return 0;
}

static int drop_all_caps(struct child_error *e)
{
        int r = caps_drop_all();

        if (r < 0)
                return child_fail(e, r, "caps", "cannot drop capabilities: %s", strerror(-r));
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return child_fail(e, errno, "caps", "cannot set no_new_privs: %m");
        return 0;
}

static int drop_privileges(const struct child_ctx *c, const struct child_rlimits *fallback,
                           struct child_error *e)
{
        int r = rlimit_apply(c->p);

        if (r >= 0)
                r = resources_apply_fallback(fallback->settings, fallback->n);
        if (r < 0)
                return child_fail(e, r, "rlimit", "cannot set resource limits: %s", strerror(-r));
        /* airlock-runtime's init keeps its capabilities for the program it forks, and drops
         * them once it has forked it (child_main()) */
        if (!c->p->container_caps) {
                r = drop_all_caps(e);
                if (r < 0)
                        return r;
        }
        /* Keeps the program out of init's /proc files (environ, fd, exe, mem): init carries
         * airlock's environment and may not be traced. The program's exec makes it
         * dumpable again, as usual. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return child_fail(e, errno, "caps", "cannot clear the dumpable flag: %m");
        return 0;
}

int signals_not_default(uint64_t *ret)
{
        char buf[4096];
        const char *ign, *cgt;
        unsigned long long i, c;
        ssize_t n;
        int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return -EIO;
        buf[n] = 0;
        ign = strstr(buf, "\nSigIgn:");
        cgt = strstr(buf, "\nSigCgt:");
        if (!ign || !cgt || sscanf(ign + 8, "%llx", &i) != 1 || sscanf(cgt + 8, "%llx", &c) != 1)
                return -EIO;
        *ret = (uint64_t)(i | c);
        return 0;
}

/* The kernel's struct sigaction (x86_64 and aarch64 alike). */
struct kernel_sigaction {
        void (*handler)(int);
        unsigned long flags;
        void (*restorer)(void);
        uint64_t mask;
};

/* Every signal back to its default disposition, none blocked. Only those that differ are
 * set: the ones the parent found changed, and SIGCHLD, whose handler pid 1 set
 * (init_block_signals()), instead of a sigaction() for each of the 64 signals; the parent read
 * them while this process's set-up ran, so that it does not read /proc/self/status itself on
 * the way to its execve. The system call itself, since glibc's sigaction() refuses the two
 * signals it keeps for its threads (32 and 33), which a caller can still have left ignored
 * (CI runners do). */
static void reset_signals(void)
{
        struct kernel_sigaction sa = {.handler = SIG_DFL};
        uint64_t changed = inherited_signals | UINT64_C(1) << (SIGCHLD - 1);
        sigset_t none;

        for (int sig = 1; sig <= 64; sig++)
                if (sig != SIGKILL && sig != SIGSTOP && (changed & (UINT64_C(1) << (sig - 1))))
                        (void)syscall(SYS_rt_sigaction, sig, &sa, NULL, sizeof(sa.mask));
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
}

static int exec_status(int err)
{
        return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

/* Says it is ready (write(), as SETUP_MSG_NOTIFY) and waits for one byte on the gate, which is
 * close-on-exec. End of file (the gate's writer went away) means the start was cancelled. */
static int wait_start_gate(const struct child_ctx *c)
{
        struct setup_msg m = {.type = SETUP_MSG_READY};
        char b;

        if (write(c->sock, &m, sizeof(m)) != (ssize_t)sizeof(m))
                return -EPIPE;
        for (;;) {
                ssize_t n = read(c->start_gate_fd, &b, 1);

                if (n == 1)
                        return 0;
                if (n == 0 || errno != EINTR)
                        return -EPIPE;
        }
}

/* airlock-runtime's program, after Landlock and seccomp: its capabilities to exactly the
 * spec's, no_new_privs when the spec asks, then it waits until init has dropped every
 * capability of its own (end of file on init_dropped_fd) so that nothing the program runs meets
 * an init that holds any. */
static int finish_container_caps(const struct policy *p, int init_dropped_fd, struct child_error *e)
{
        char b;
        int r = caps_apply_final(&p->caps);

        if (r < 0)
                return child_fail(e, r, "caps", "cannot set the container's capabilities: %s",
                                  strerror(-r));
        if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return child_fail(e, errno, "caps", "cannot set no_new_privs: %m");
        while (read(init_dropped_fd, &b, 1) < 0)
                if (errno != EINTR)
                        return child_fail(e, errno, "caps", "cannot wait for init: %m");
        return 0;
}

/* The program's process: own session, terminal, fds, Landlock, seccomp, then exec.
 * shares_memory: started by vfork(), it runs in pid 1's memory until its execve.
 * init_dropped_fd: with container_caps, the pipe init closes once it dropped its
 * capabilities; -1 otherwise. */
static _noreturn_ void program_main(const struct child_ctx *c, int slave, bool shares_memory,
                                    int init_dropped_fd)
{
        struct child_error e = {0};
        struct setup_msg m = {.type = SETUP_MSG_LANDLOCK};
        const struct policy *p = c->p;
        char **argv = c->argv ?: p->argv;
        int notify_fd = -1, r;

        startup_trace("program: forked");
        reset_signals();
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        /* init is not dumpable; this process runs only airlock's code until execve (which
         * decides dumpability afresh), and the supervisor may need it traceable to take the
         * seccomp listener with pidfd_getfd(). Dumpability belongs to the memory: a process
         * sharing init's leaves it alone, or init would stay dumpable after our execve. */
        if (!shares_memory)
                prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
        if (setsid() < 0) {
                child_fail(&e, errno, "session", "cannot start a new session: %m");
                goto fail;
        }
        if (slave >= 0) {
                if (ioctl(slave, TIOCSCTTY, 0) < 0) {
                        child_fail(&e, errno, "pty", "cannot take the pty: %m");
                        goto fail;
                }
                for (int fd = 0; fd <= 2; fd++)
                        if ((c->tty_mask & (1u << fd)) || !c->tty_mask)
                                dup2(slave, fd);
                if (slave > 2)
                        close(slave);
        }
        /* apart from the rest: a new session is a new scheduler autogroup, and the move into
         * it can cost a wait for a CPU on a busy machine */
        startup_trace("program: session");
        if (c->set_umask)
                umask(c->umask);
        for (size_t i = 0; i < p->n_pass_fds; i++)
                fcntl(p->pass_fds[i], F_SETFD, 0);
        fds_except(p->pass_fds, p->n_pass_fds, CLOSE_RANGE_CLOEXEC);
        r = chdir_in_root(c->cwd ?: p->chdir ?: c->home);
        if (r < 0) {
                child_fail(&e, -r, "chdir", "cannot change to %s: %s",
                           c->cwd ?: p->chdir ?: c->home, chdir_in_root_strerror(r));
                goto fail;
        }
        if (p->container_caps) {
                r = caps_apply_before_filters(&p->caps);
                if (r < 0) {
                        child_fail(&e, r, "caps", "cannot set the container's capabilities: %s",
                                   strerror(-r));
                        goto fail;
                }
        }
        if (!p->landlock_disabled) {
                r = landlock_apply(p, &m.landlock);
                if (r < 0) {
                        child_fail(&e, r, "landlock", "cannot apply Landlock: %s", strerror(-r));
                        goto fail;
                }
                setup_msg_send(c->sock, &m, -1);
        }
        startup_trace("program: fds, Landlock");
        /* The caller's scheduling back, while the seccomp filter still lets us set it; not
         * worth failing the start for if it cannot be (it only tunes when the program runs). */
        (void)sched_slice_restore(&c->caller_sched);
        if (!p->seccomp_disabled) {
                if (p->trace) {
                        struct setup_msg pm = {.type = SETUP_MSG_PIDFD};
                        int self;

                        /* pidfd_getfd() needs us dumpable for an unprivileged supervisor. No
                         * other process of the sandbox exists yet to read us, and our exec
                         * would make us dumpable anyway. */
                        prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
                        self = (int)syscall(SYS_pidfd_open, getpid(), 0);

                        if (self >= 0) {
                                setup_msg_send(c->sock, &pm, self);
                                close(self);
                        }
                }
                r = seccomp_program_load(c->seccomp, &notify_fd);
                if (r < 0) {
                        child_fail(&e, r, "seccomp", "cannot load the seccomp filter: %s",
                                   strerror(-r));
                        goto fail;
                }
                if (notify_fd >= 0) {
                        /* write(), not sendmsg(): see SETUP_MSG_PIDFD. The listener stays open
                         * (close-on-exec) until our execve, which waits for the supervisor. */
                        struct setup_msg n = {.type = SETUP_MSG_NOTIFY, .value = notify_fd};

                        if (write(c->sock, &n, sizeof(n)) != (ssize_t)sizeof(n))
                                close(notify_fd);
                }
        }
        if (p->container_caps && finish_container_caps(p, init_dropped_fd, &e) < 0)
                goto fail;
        if (c->start_gate_fd >= 0 && wait_start_gate(c) < 0)
                _exit(125);
        startup_trace("program: exec");
        environ = c->envp;
        execvp(argv[0], argv);
        r = errno;
        child_fail(&e, r, "exec", "cannot run %s: %s", argv[0], strerror(r));
        send_error(c->sock, &e);
        _exit(exec_status(r));
fail:
        send_error(c->sock, &e);
        _exit(125);
}

static void noop_handler(int sig)
{
        (void)sig;
}

/* pid 1 of the sandbox: forwards signals to the program, reaps every orphan, and reports the
 * program's wait status. When it exits the kernel kills whatever is left in the namespace.
 * pid 1 drops signals it has no handler for once they are unblocked, so each it reads gets a
 * handler that never runs (they stay blocked and are read with sigwaitinfo).
 * Before the program starts, they are blocked (a blocked signal stays pending whatever its
 * disposition, so none sent meanwhile is lost) and SIGCHLD gets its handler: ignored, as a
 * caller may leave it, the program's end would be reaped by the kernel unseen. */
static void init_block_signals(sigset_t *ret_set)
{
        struct sigaction sa = {.sa_handler = noop_handler};

        sigemptyset(ret_set);
        sigaddset(ret_set, SIGCHLD);
        for (size_t i = 0; i < launcher_n_forwarded_signals; i++)
                sigaddset(ret_set, launcher_forwarded_signals[i]);
        sigprocmask(SIG_BLOCK, ret_set, NULL);
        sigaction(SIGCHLD, &sa, NULL);
}

/* Once the program has started, the signals pid 1 forwards get their handlers: set before, the
 * program would inherit eight handlers only to set them back to the default before its
 * execve; now this runs beside the program's exec instead of ahead of it. */
static void init_catch_signals(void)
{
        struct sigaction sa = {.sa_handler = noop_handler};

        for (size_t i = 0; i < launcher_n_forwarded_signals; i++)
                sigaction(launcher_forwarded_signals[i], &sa, NULL);
}

static _noreturn_ void init_loop(const struct child_ctx *c, pid_t program, const sigset_t *set)
{
        for (;;) {
                siginfo_t si;
                int sig = sigwaitinfo(set, &si), status;
                pid_t pid;

                if (sig < 0)
                        continue;
                if (sig != SIGCHLD) {
                        kill(program, sig);
                        continue;
                }
                while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
                        if (pid == program) {
                                struct setup_msg m = {.type = SETUP_MSG_EXIT, .value = status};

                                startup_trace("init: program ended");
                                setup_msg_send(c->sock, &m, -1);
                                _exit(0);
                        }
        }
}

/* AddressSanitizer reserves terabytes of address space, which RLIMIT_AS (the memory limit
 * where no cgroup can be made) counts: in a sanitizer build the vfork()ed program then fails
 * to map memory and the sandbox hangs. Those builds fork. */
#ifdef AIRLOCK_SANITIZED
#define PROGRAM_FORKS true
#else
#define PROGRAM_FORKS false
#endif

/* Starts the program's process. By vfork() when nothing needs it apart from init before its
 * execve: no copy of the launcher's page tables and no copy-on-write faults in either
 * process, which a fork() of pid 1 costs on every start; init sleeps until the execve (or
 * the _exit() of a failed set-up), as it would otherwise sleep in sigwaitinfo(). A fork()
 * when the program must wait for a start gate (init would sleep through it), for the
 * tracer, which needs the program dumpable to take its seccomp listener (see
 * program_main()), or for init to drop its capabilities (container_caps: *ret_dropped_fd is
 * then the pipe's end to close once init has). Returns the pid or -1 with errno set, as
 * fork(). */
static pid_t start_program(const struct child_ctx *c, int slave, int *ret_dropped_fd)
{
        int dropped[2] = {-1, -1};
        pid_t pid;

        *ret_dropped_fd = -1;
        if (c->p->container_caps && pipe2(dropped, O_CLOEXEC) < 0)
                return -1;
        if (c->start_gate_fd >= 0 || c->p->trace || c->p->container_caps || PROGRAM_FORKS) {
                pid = fork();
                if (pid == 0) {
                        safe_close(dropped[1]);
                        program_main(c, slave, false, dropped[0]);
                }
                safe_close(dropped[0]);
                if (pid < 0)
                        safe_close(dropped[1]);
                else
                        *ret_dropped_fd = dropped[1];
                return pid;
        }
        pid = vfork();
        if (pid == 0)
                program_main(c, slave, true, -1);
        return pid;
}

static int child_setup(const struct child_ctx *c, struct child_error *e, int *ret_slave)
{
        struct child_rlimits fallback = {0};
        int keep[CHILD_KEEP_MAX], n = 0, r;

        prctl(PR_SET_PDEATHSIG, SIGKILL);
        /* in a pid namespace joined (airlock-runtime) init is not its pid 1: the program's
         * orphans are still init's to reap, not the namespace's pid 1's */
        if (c->p->keep_pid_ns)
                prctl(PR_SET_CHILD_SUBREAPER, 1);
        /* Nothing the caller left open reaches the sandbox, except what --pass-fd names. */
        keep[n++] = c->sock;
        if (c->p->join_mount_ns)
                keep[n++] = c->p->mount_ns_fd;
        if (c->start_gate_fd >= 0)
                keep[n++] = c->start_gate_fd;
        for (size_t i = 0; i < c->p->n_pass_fds; i++)
                keep[n++] = c->p->pass_fds[i];
        fds_except(keep, (size_t)n, 0);

        r = setup_namespaces(c, e);
        if (r >= 0)
                r = join_cgroup(c, &fallback, e);
        if (r < 0)
                return r;
        if (c->want_pty) {
                r = open_pty(c, e);
                if (r < 0)
                        return r;
                *ret_slave = r;
        }
        startup_trace("child: namespaces set up");
        return drop_privileges(c, &fallback, e);
}

/* A warm sandbox's init, set up: says so and waits for its one program (see
 * launcher_hooks.on_warm). The caller's fds 0-2 replace init's own, which the program
 * inherits; argv, the environment, the folder and the umask go into *ret_ctx, a copy of c.
 * Returns 0 or a negative errno after child_fail(). */
static int warm_receive(const struct child_ctx *c, struct child_ctx *ret_ctx,
                        struct warm_handover *ret_h, char **ret_blob, struct child_error *e)
{
        struct setup_msg m = {.type = SETUP_MSG_WARM};
        int fds[3] = {-1, -1, -1};
        size_t n = 0;
        char *blob;
        ssize_t got;
        int r;

        startup_trace("init: warm, waiting");
        r = setup_msg_send(c->sock, &m, -1);
        if (r < 0)
                return child_fail(e, r, "warm", "cannot say it is ready: %s", strerror(-r));
        r = setup_msg_recv_fds(c->sock, &m, fds, ELEMENTSOF(fds), &n);
        if (r <= 0 || m.type != SETUP_MSG_HANDOVER || n != 3 || m.value <= 0 ||
            (size_t)m.value > WARM_HANDOVER_MAX)
                _exit(125); /* the parent is gone or failed: it says why */
        startup_trace("init: handed over");
        blob = malloc((size_t)m.value);
        if (!blob)
                return child_fail(e, ENOMEM, "warm", "cannot take the hand-over: %m");
        got = recv(c->sock, blob, (size_t)m.value, 0);
        if (got != m.value || warm_handover_decode(blob, (size_t)got, ret_h) < 0) {
                free(blob);
                return child_fail(e, EBADMSG, "warm", "cannot read the hand-over");
        }
        for (int fd = 0; fd < 3; fd++) {
                if (dup2(fds[fd], fd) < 0)
                        return child_fail(e, errno, "warm", "cannot take the caller's fd %d: %m",
                                          fd);
                close(fds[fd]);
        }
        *ret_ctx = *c;
        ret_ctx->argv = ret_h->argv;
        ret_ctx->envp = ret_h->envp;
        ret_ctx->cwd = ret_h->cwd;
        ret_ctx->umask = ret_h->umask;
        ret_ctx->set_umask = true;
        *ret_blob = blob;
        return 0;
}

_noreturn_ void child_main(const struct child_ctx *c)
{
        struct child_ctx warm_ctx;
        struct warm_handover handover;
        char *handover_blob = NULL;
        struct child_error e = {0};
        int slave = -1, dropped_fd = -1;
        sigset_t set;
        pid_t pid;

        if (child_setup(c, &e, &slave) < 0) {
                send_error(c->sock, &e);
                _exit(125);
        }
        startup_trace("child: privileges dropped");
        init_block_signals(&set);
        if (c->warm) {
                if (warm_receive(c, &warm_ctx, &handover, &handover_blob, &e) < 0) {
                        send_error(c->sock, &e);
                        _exit(125);
                }
                c = &warm_ctx;
        }
        pid = start_program(c, slave, &dropped_fd);
        if (pid < 0) {
                child_fail(&e, errno, "fork", "cannot start the program: %m");
                send_error(c->sock, &e);
                _exit(125);
        }
        if (c->p->container_caps) {
                if (drop_all_caps(&e) < 0) {
                        kill(pid, SIGKILL);
                        send_error(c->sock, &e);
                        _exit(125);
                }
                safe_close(dropped_fd);
        }
        safe_close(slave);
        if (c->start_gate_fd >= 0)
                close(c->start_gate_fd);
        for (size_t i = 0; i < c->p->n_pass_fds; i++)
                close(c->p->pass_fds[i]);
        init_catch_signals();
        init_loop(c, pid, &set);
}
