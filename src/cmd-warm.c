/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock warm: a per-user server that keeps a sandbox of one policy built ahead of time, and
 * the client side that "airlock run" uses to take it (docs/warm.md). Each pre-built sandbox
 * has its own supervisor, a process forked from the server, which builds it with the
 * launcher (launcher_hooks.on_warm), waits for one caller, hands it over, supervises it as the
 * cold path would and reports the end to the caller. A sandbox is used once: the supervisor
 * exits with it, and the server builds the next. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

#include "basic/log.h"
#include "basic/sha256.h"
#include "basic/socket-util.h"
#include "basic/strv.h"
#include "cmds.h"
#include "policy/policy.h"
#include "policy/profile.h"
#include "resources/cgroup.h"
#include "sandbox/child.h"
#include "sandbox/launcher.h"
#include "sandbox/report.h"
#include "sandbox/warm-handover.h"
#include "warm.h"

#define WARM_DIR_NAME    "airlock"
#define WARM_MAGIC       0x6d726177u /* "warm" */
#define WARM_POLICY_MAX  (256u * 1024u)
#define WARM_REQUEST_MAX (WARM_HANDOVER_MAX + WARM_POLICY_MAX + 4096u)
#define WARM_POOL_MAX    4
#define WARM_SLOTS_MAX   64 /* sandboxes being built, waiting or running */
#define WARM_BACKLOG     16 /* callers waiting for a sandbox to be ready */
#define WARM_FAILURES    5  /* builds in a row that fail before the server gives up */

/* What of the caller shapes a cold run besides the policy, and must therefore be the same for
 * the warm sandbox's supervisor, read from the kernel, never taken from the caller's word: the
 * namespaces the sandbox's are made in (a caller in another mount namespace sees another host;
 * a program in a sandbox is in other namespaces), the cgroup the sandbox's is made beneath and
 * the rlimits it inherits (limits the caller lives under), the seccomp filters and
 * no_new_privs it inherits, and the scheduling the program gets back before its execve, which
 * a program without capabilities cannot raise. */
#define WARM_NAMESPACES 7
struct warm_context {
        uint64_t ns_ino[WARM_NAMESPACES];
        int nice, sched_policy, sched_priority;
        struct rlimit rlimits[RLIM_NLIMITS];
        char cgroup[2048];
        char confinement[128]; /* NoNewPrivs, Seccomp and Seccomp_filters of the status */
};

/* The value of the line "NAME:\tVALUE" of a /proc status text, or "?". */
static void status_field(const char *status, const char *name, char *buf, size_t size)
{
        const char *l = strstr(status, name);

        snprintf(buf, size, "?");
        if (l && (l == status || l[-1] == '\n'))
                snprintf(buf, size, "%.*s", (int)strcspn(l + strlen(name), "\n"), l + strlen(name));
}

/* Reads what is below of process pid (0: this one) into *ret. Returns 0 or a negative errno:
 * what cannot be read cannot be compared. */
static int warm_context_of(pid_t pid, struct warm_context *ret)
{
        static const char *const names[WARM_NAMESPACES] = {"mnt", "user", "pid",   "net",
                                                           "uts", "ipc",  "cgroup"};
        char base[32], path[64], status[4096], nnp[16], mode[16], filters[16];
        struct sched_param sp = {0};
        struct stat st;
        ssize_t n;
        int fd;

        *ret = (struct warm_context){0};
        if (pid)
                snprintf(base, sizeof(base), "/proc/%d", (int)pid);
        else
                snprintf(base, sizeof(base), "/proc/self");
        for (size_t i = 0; i < WARM_NAMESPACES; i++) {
                snprintf(path, sizeof(path), "%s/ns/%s", base, names[i]);
                if (stat(path, &st) < 0)
                        return -errno;
                ret->ns_ino[i] = (uint64_t)st.st_ino;
        }
        snprintf(path, sizeof(path), "%s/cgroup", base);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, ret->cgroup, sizeof(ret->cgroup) - 1);
        close(fd);
        if (n < 0 || (size_t)n == sizeof(ret->cgroup) - 1)
                return -EIO;
        snprintf(path, sizeof(path), "%s/status", base);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        n = read(fd, status, sizeof(status) - 1);
        close(fd);
        if (n <= 0)
                return -EIO;
        status[n] = 0;
        status_field(status, "NoNewPrivs:", nnp, sizeof(nnp));
        status_field(status, "Seccomp:", mode, sizeof(mode));
        status_field(status, "Seccomp_filters:", filters, sizeof(filters));
        snprintf(ret->confinement, sizeof(ret->confinement), "%s %s %s", nnp, mode, filters);
        for (int r = 0; r < RLIM_NLIMITS; r++)
                if (prlimit(pid, (enum __rlimit_resource)r, NULL, &ret->rlimits[r]) < 0)
                        return -errno;
        errno = 0;
        ret->nice = getpriority(PRIO_PROCESS, (id_t)pid);
        if (errno)
                return -errno;
        ret->sched_policy = sched_getscheduler(pid);
        if (ret->sched_policy < 0 || sched_getparam(pid, &sp) < 0)
                return -errno;
        ret->sched_policy &= ~SCHED_RESET_ON_FORK;
        ret->sched_priority = sp.sched_priority;
        return 0;
}

/* Why the caller on conn cannot take a sandbox of this process, or NULL. The caller is named
 * by the kernel (SO_PEERCRED's pid, and SO_PEERPIDFD's pidfd, still alive once its files were
 * read: the pid was not reused meanwhile). */
static const char *warm_caller_differs(int conn)
{
        struct warm_context own, peer;
        struct ucred cred;
        socklen_t len = sizeof(cred);
        _cleanup_close_ int pidfd = -1;
        socklen_t fdlen = sizeof(pidfd);

        if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.pid <= 0)
                return "the caller's process is not visible from the server's pid namespace";
        if (getsockopt(conn, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &fdlen) < 0)
                return "the kernel cannot name the caller's process (SO_PEERPIDFD, Linux 6.5)";
        if (warm_context_of(0, &own) < 0 || warm_context_of(cred.pid, &peer) < 0 ||
            syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
                return "the caller's process cannot be inspected";
        if (memcmp(peer.ns_ino, own.ns_ino, sizeof(own.ns_ino)) != 0)
                return "the caller is in other namespaces than the server";
        if (!streq(peer.cgroup, own.cgroup))
                return "the caller is in another cgroup than the server";
        if (memcmp(peer.rlimits, own.rlimits, sizeof(own.rlimits)) != 0)
                return "the caller's rlimits are not the server's";
        if (!streq(peer.confinement, own.confinement))
                return "the caller's seccomp filters or no_new_privs are not the server's";
        if (peer.sched_policy != own.sched_policy || peer.sched_priority != own.sched_priority ||
            peer.nice != own.nice)
                return "the caller's scheduling (policy, priority, nice) is not the server's";
        return NULL;
}

/* The caller's one message: this head, the policy in profile syntax, the hand-over blob and
 * the report's path (NUL-terminated, or nothing), with fds 0-2 and the report's fd. */
struct warm_request_head {
        uint32_t magic;
        uint32_t policy_len, blob_len, report_len;
};

enum { WARM_REPLY_STARTED = 1, WARM_REPLY_REFUSED, WARM_REPLY_RESULT };

struct warm_reply {
        uint32_t type;
        int32_t status;
        char why[120];
};

/* The part of a policy a warm sandbox must share with the caller's: everything but what is
 * handed over (argv, the environment), the report's path (the caller's report is written by
 * the sandbox's supervisor) and the profile's name. In profile syntax, so that the resolved
 * policy is compared, not the command line. Returns 0 and a new string, or -ENOMEM. */
static int policy_text(const struct policy *p, char **ret)
{
        struct policy q = *p;
        char *text = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        q.argv = q.env = q.env_unset = NULL;
        q.report_path = NULL;
        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        r = profile_write(f, &q);
        if (fclose(f) != 0 && r >= 0)
                r = -ENOMEM;
        if (r < 0) {
                free(text);
                return r;
        }
        *ret = text;
        return 0;
}

/* The folder of the socket: /run/airlock for root, $XDG_RUNTIME_DIR/airlock for a user. */
/* The folder the socket's folder is made in: $AIRLOCK_RUNTIME_DIR when set (the tests: each
 * has its own server), else /run for root and $XDG_RUNTIME_DIR for a user. */
/* The socket of the server of one policy: warm-HASH.sock, HASH the first 16 hex digits of the
 * SHA-256 of the policy's text (policy_text()), so that servers of several policies can wait
 * side by side and a caller finds the one of its own policy. The server compares the whole
 * text all the same. */
static char warm_socket_name[32];

static void warm_socket_name_set(const char *text)
{
        char hex[2 * SHA256_DIGEST_SIZE + 1];

        sha256_hex(text, strlen(text), hex);
        snprintf(warm_socket_name, sizeof(warm_socket_name), "warm-%.16s.sock", hex);
}

static const char *warm_dir_parent(void)
{
        const char *rt = getenv("AIRLOCK_RUNTIME_DIR");

        if (!rt)
                rt = geteuid() == 0 ? "/run" : getenv("XDG_RUNTIME_DIR");

        return rt && rt[0] == '/' ? rt : NULL;
}

/* Opens the socket's folder (made 0700 first with create), following no link at its last
 * component, and checks that it is a folder of ours that nobody else can reach. Logs at level
 * why not, naming the folder. Returns the fd or a negative errno. */
static int warm_dir_open(bool create, int level, char **ret_path)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int parent = -1, fd = -1;
        struct stat st;
        const char *rt = warm_dir_parent();

        if (!rt)
                return log_full_errno(level, -ENXIO,
                                      "XDG_RUNTIME_DIR is not set: no place for "
                                      "the warm server's socket");
        if (asprintf(&path, "%s/" WARM_DIR_NAME, rt) < 0)
                return log_full_errno(level, -ENOMEM, "%m");
        parent = open(rt, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (parent < 0)
                return log_full_errno(level, -errno, "cannot open the folder of %s: %m", path);
        if (create && mkdirat(parent, WARM_DIR_NAME, 0700) < 0 && errno != EEXIST)
                return log_full_errno(level, -errno, "cannot make %s: %m", path);
        fd = openat(parent, WARM_DIR_NAME, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
                int e = errno;
                bool link = fstatat(parent, WARM_DIR_NAME, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                            S_ISLNK(st.st_mode);

                return log_full_errno(level, -e, "refusing %s: %s", path,
                                      link ? "it is a symbolic link" : "it is not a folder");
        }
        if (fd < 0)
                return log_full_errno(level, -errno, "cannot open %s: %m", path);
        if (fstat(fd, &st) < 0)
                return log_full_errno(level, -errno, "cannot stat %s: %m", path);
        if (st.st_uid != geteuid())
                return log_full_errno(level, -EPERM, "refusing %s: it belongs to uid %u, not %u",
                                      path, (unsigned)st.st_uid, (unsigned)geteuid());
        if (st.st_mode & 077)
                return log_full_errno(level, -EPERM,
                                      "refusing %s: its mode %04o lets others in (want 0700)", path,
                                      (unsigned)(st.st_mode & 07777));
        if (ret_path)
                *ret_path = TAKE_PTR(path);
        return TAKE_FD(fd);
}

/* The socket by its name in the folder fd, checked: a socket of ours, not a link. Returns 0,
 * -ENOENT when there is none, or another negative errno after logging at level. */
static int warm_socket_check(int dir_fd, const char *dir, int level)
{
        struct stat st;

        if (fstatat(dir_fd, warm_socket_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? -ENOENT
                                       : log_full_errno(level, -errno, "cannot stat %s/%s: %m", dir,
                                                        warm_socket_name);
        if (!S_ISSOCK(st.st_mode))
                return log_full_errno(level, -EPERM, "refusing %s/%s: %s", dir, warm_socket_name,
                                      S_ISLNK(st.st_mode) ? "it is a symbolic link"
                                                          : "it is not a socket");
        if (st.st_uid != geteuid())
                return log_full_errno(level, -EPERM, "refusing %s/%s: it belongs to uid %u", dir,
                                      warm_socket_name, (unsigned)st.st_uid);
        return 0;
}

/* The socket's address through the folder's fd: the checked folder, whatever its path now. */
static void warm_address(int dir_fd, struct sockaddr_un *ret)
{
        *ret = (struct sockaddr_un){.sun_family = AF_UNIX};
        snprintf(ret->sun_path, sizeof(ret->sun_path), "/proc/self/fd/%d/%s", dir_fd,
                 warm_socket_name);
}

/* Whether the peer of a unix socket runs as our own uid. */
static bool peer_is_us(int fd, uid_t *ret_uid)
{
        struct ucred cred;
        socklen_t len = sizeof(cred);

        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return false;
        *ret_uid = cred.uid;
        return cred.uid == geteuid();
}

static int send_reply(int fd, uint32_t type, int status, const char *why)
{
        struct warm_reply m = {.type = type, .status = status};

        snprintf(m.why, sizeof(m.why), "%s", why ?: "");
        return send_with_fd(fd, &m, sizeof(m), -1);
}

/* ---- the supervisor of one pre-built sandbox ---- */

/* --max-age: a sandbox waits this long for a caller at most (0: for ever), then ends unused
 * (exit status WARM_EXPIRED) and the server builds a fresh one; its view of the host's files
 * is as old as it is. */
static unsigned warm_max_age = 60;
#define WARM_EXPIRED 3

struct warm_run {
        struct policy *p;
        const char *policy_text;
        int ctl;          /* to the server */
        int listen_fd;    /* shared by the sandboxes that wait: the kernel gives a caller to one */
        int conn;         /* the caller, once handed over */
        int saved_stderr; /* the server's, while the caller's stands in for it */
        uint64_t expires_usec; /* CLOCK_MONOTONIC; 0: never */
        bool expired;
        int fds[4];
        size_t n_fds;
        char *request;
};

static void warm_run_drop_request(struct warm_run *run)
{
        for (size_t i = 0; i < run->n_fds; i++)
                safe_close(run->fds[i]);
        run->n_fds = 0;
        free(run->request);
        run->request = NULL;
}

/* Reads and checks a caller's request on conn. Returns 0 when the sandbox is to be handed
 * over (the caller has been told STARTED), or a negative errno after refusing it. */
static int take_request(struct warm_run *run, int conn, struct launcher_warm *ret)
{
        struct warm_request_head head;
        struct warm_handover h;
        const char *policy, *blob, *report = NULL, *why;
        ssize_t n;
        uid_t uid;
        int r;

        if (!peer_is_us(conn, &uid))
                return -EPERM; /* the server checked already; never answered */
        run->request = malloc(WARM_REQUEST_MAX);
        if (!run->request)
                return -ENOMEM;
        n = recv_with_fds(conn, run->request, WARM_REQUEST_MAX, run->fds, ELEMENTSOF(run->fds),
                          &run->n_fds);
        if (n < (ssize_t)sizeof(head))
                return -EBADMSG;
        memcpy(&head, run->request, sizeof(head));
        if (head.magic != WARM_MAGIC || head.policy_len == 0 || head.policy_len > WARM_POLICY_MAX ||
            head.blob_len > WARM_HANDOVER_MAX || head.report_len > 4096 ||
            sizeof(head) + head.policy_len + head.blob_len + head.report_len != (size_t)n ||
            run->n_fds != (head.report_len ? 4u : 3u)) {
                send_reply(conn, WARM_REPLY_REFUSED, 0, "malformed request");
                return -EBADMSG;
        }
        policy = run->request + sizeof(head);
        blob = policy + head.policy_len;
        if (head.report_len) {
                report = blob + head.blob_len;
                if (memchr(report, 0, head.report_len) != report + head.report_len - 1) {
                        send_reply(conn, WARM_REPLY_REFUSED, 0, "malformed report path");
                        return -EBADMSG;
                }
        }
        why = warm_caller_differs(conn);
        if (why) {
                send_reply(conn, WARM_REPLY_REFUSED, 0, why);
                return -EPERM;
        }
        if (strlen(run->policy_text) != head.policy_len ||
            memcmp(policy, run->policy_text, head.policy_len) != 0) {
                send_reply(conn, WARM_REPLY_REFUSED, 0, "the policy differs from the server's");
                return -EPERM;
        }
        r = warm_handover_decode((char *)blob, head.blob_len, &h);
        if (r < 0) {
                send_reply(conn, WARM_REPLY_REFUSED, 0, "malformed hand-over");
                return r;
        }
        /* the report names the program: the caller's */
        strv_free(run->p->argv);
        run->p->argv = NULL;
        r = 0;
        for (char **a = h.argv; r >= 0 && *a; a++)
                r = strv_extend(&run->p->argv, *a);
        warm_handover_done(&h);
        if (r < 0)
                return r;
        free(run->p->report_path);
        run->p->report_path = report ? strdup(report) : NULL;
        if (!run->p->argv || (report && !run->p->report_path))
                return -ENOMEM;
        /* STARTED before the program is given to init: a caller that sees the connection end
         * before it may run the program cold, since it never ran here */
        r = send_reply(conn, WARM_REPLY_STARTED, 0, NULL);
        if (r < 0)
                return r;
        *ret = (struct launcher_warm){
                .blob = blob,
                .size = head.blob_len,
                .fds = {run->fds[0], run->fds[1], run->fds[2]},
                .client_fd = conn,
        };
        return 0;
}

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The next caller of our own uid on the listening socket, or a negative errno when the server
 * is gone or the sandbox too old (--max-age). Another uid's is refused unanswered, and said so on
 * the server's stderr. */
static int accept_caller(struct warm_run *run)
{
        for (;;) {
                struct pollfd pfd[2] = {{.fd = run->listen_fd, .events = POLLIN},
                                        {.fd = run->ctl, .events = POLLIN}};
                uid_t uid = (uid_t)-1;
                int fd;

                int timeout = -1, r;

                if (run->expires_usec) {
                        uint64_t now = now_usec();

                        if (now >= run->expires_usec) {
                                run->expired = true;
                                return -ETIME;
                        }
                        timeout = (int)((run->expires_usec - now + 999) / 1000);
                }
                r = poll(pfd, 2, timeout);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return -errno;
                if (r == 0)
                        continue; /* expired: said above */
                if (pfd[1].revents)
                        return -EPIPE; /* the server never writes: it is gone */
                fd = accept4(run->listen_fd, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0)
                        continue; /* another sandbox took it */
                if (peer_is_us(fd, &uid))
                        return fd;
                log_warning("refused a caller of uid %u: only uid %u may take a warm sandbox",
                            (unsigned)uid, (unsigned)geteuid());
                close(fd);
        }
}

static int on_warm(void *userdata, struct launcher_warm *ret)
{
        struct warm_run *run = userdata;
        char b = 'R';

        if (send(run->ctl, &b, 1, MSG_NOSIGNAL) != 1)
                return -EPIPE;
        if (warm_max_age)
                run->expires_usec = now_usec() + (uint64_t)warm_max_age * 1000000u;
        for (;;) {
                int conn = accept_caller(run), r;

                if (conn < 0)
                        return conn; /* end unused */
                r = take_request(run, conn, ret);
                if (r >= 0) {
                        b = 'T';
                        run->conn = conn;
                        run->listen_fd = safe_close(run->listen_fd);
                        (void)send(run->ctl, &b, 1, MSG_NOSIGNAL);
                        /* what the launcher says from now on is the caller's to read */
                        run->saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
                        dup2(run->fds[2], STDERR_FILENO);
                        log_set_command("run");
                        return 0;
                }
                log_debug_errno(r, "a caller was not handed this sandbox: %m");
                safe_close(conn);
                warm_run_drop_request(run);
        }
}

static int on_warm_client(void *userdata)
{
        struct warm_run *run = userdata;
        uint32_t sig;
        ssize_t n = recv(run->conn, &sig, sizeof(sig), MSG_DONTWAIT);

        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return 0;
        if (n != (ssize_t)sizeof(sig))
                return -EPIPE;
        for (size_t i = 0; i < launcher_n_forwarded_signals; i++)
                if ((int)sig == launcher_forwarded_signals[i])
                        return (int)sig;
        return 0;
}

/* The process of one pre-built sandbox. Returns its exit status. */
static int warm_sandbox_main(struct policy *p, const char *text, int ctl, int listen_fd)
{
        struct warm_run run = {.p = p,
                               .policy_text = text,
                               .ctl = ctl,
                               .listen_fd = listen_fd,
                               .conn = -1,
                               .saved_stderr = -1};
        struct launcher_hooks hooks = {
                .userdata = &run, .on_warm = on_warm, .on_warm_client = on_warm_client};
        struct launcher_result res;
        int r, report_fd;

        r = launcher_run(p, &hooks, &res);
        if (run.conn < 0) {
                launcher_result_release(&res);
                /* never handed over: too old, or the build failed (logged), or the server left */
                return run.expired ? WARM_EXPIRED : 1;
        }
        run_explain_end(&res);
        report_fd = run.n_fds == 4 ? run.fds[3] : -1;
        if (report_fd >= 0 &&
            report_write_run_extended(report_fd, p->report_path, p, &res, NULL, NULL) < 0 &&
            r < 124)
                r = EXIT_AIRLOCK_FAILED;
        /* Every process of the sandbox is gone (its init was reaped) and the report written:
         * the caller may return. Nothing of the caller's is kept past that (a pipe's reader
         * sees its end with the caller's); removing the emptied cgroup is no longer its wait. */
        warm_run_drop_request(&run);
        if (run.saved_stderr >= 0)
                dup2(run.saved_stderr, STDERR_FILENO);
        send_reply(run.conn, WARM_REPLY_RESULT, r, NULL);
        launcher_result_release(&res);
        return 0;
}

/* ---- the server ---- */

enum slot_state { SLOT_BUILDING, SLOT_READY, SLOT_BUSY };

struct slot {
        pid_t pid;
        int ctl;
        enum slot_state state;
};

struct server {
        struct policy *p;
        char *text;
        char *dir;
        int dir_fd, listen_fd, sigfd;
        unsigned pool, failures;
        struct slot slots[WARM_SLOTS_MAX];
        size_t n_slots;
        unsigned handed;
};

static int spawn_slot(struct server *sv)
{
        int pair[2];
        pid_t pid, server = getpid();

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
                return log_error_errno(-errno, "cannot make a socket pair: %m");
        pid = fork();
        if (pid < 0) {
                close(pair[0]);
                close(pair[1]);
                return log_error_errno(-errno, "cannot fork: %m");
        }
        if (pid == 0) {
                sigset_t none;
                int devnull;

                /* the sandbox dies with its supervisor (init's parent-death signal), and the
                 * supervisor with the server: a killed server leaves nothing running */
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (getppid() != server)
                        _exit(1);
                int keep[2] = {pair[1] < sv->listen_fd ? pair[1] : sv->listen_fd,
                               pair[1] < sv->listen_fd ? sv->listen_fd : pair[1]};

                if (keep[0] > 3)
                        close_range(3, (unsigned)keep[0] - 1, 0);
                if (keep[1] > keep[0] + 1)
                        close_range((unsigned)keep[0] + 1, (unsigned)keep[1] - 1, 0);
                close_range((unsigned)keep[1] + 1, ~0U, 0);
                devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
                if (devnull >= 0) {
                        dup2(devnull, STDIN_FILENO);
                        dup2(devnull, STDOUT_FILENO);
                        close(devnull);
                }
                sigemptyset(&none);
                sigprocmask(SIG_SETMASK, &none, NULL);
                _exit(warm_sandbox_main(sv->p, sv->text, pair[1], sv->listen_fd));
        }
        close(pair[1]);
        sv->slots[sv->n_slots++] = (struct slot){.pid = pid, .ctl = pair[0]};
        return 0;
}

static size_t count_waiting(const struct server *sv)
{
        size_t n = 0;

        for (size_t i = 0; i < sv->n_slots; i++)
                n += sv->slots[i].state != SLOT_BUSY;
        return n;
}

static void slot_said(struct server *sv, struct slot *s)
{
        char b;
        ssize_t n = recv(s->ctl, &b, 1, MSG_DONTWAIT);

        if (n == 1 && b == 'R') {
                s->state = SLOT_READY;
                sv->failures = 0;
        } else if (n == 1 && b == 'T') {
                s->state = SLOT_BUSY;
                sv->handed++;
        } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
                s->ctl = safe_close(s->ctl);
}

static void reap_slots(struct server *sv)
{
        pid_t pid;
        int status;

        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
                for (size_t i = 0; i < sv->n_slots; i++) {
                        if (sv->slots[i].pid != pid)
                                continue;
                        if (sv->slots[i].state != SLOT_BUSY &&
                            !(WIFEXITED(status) && WEXITSTATUS(status) == WARM_EXPIRED))
                                sv->failures++;
                        safe_close(sv->slots[i].ctl);
                        sv->slots[i] = sv->slots[--sv->n_slots];
                        break;
                }
}

/* A sandbox not handed over ends itself when the server closes its end of the control socket
 * (accept_caller() sees the hang-up): it removes its cgroup as cold does. One that does not end
 * within a second, and every sandbox running a caller's program, is killed; the cgroups a killed
 * supervisor could not remove are swept once all are gone. */
static void stop_slots(struct server *sv)
{
        uint64_t deadline = now_usec() + 1000000u;
        bool killed = false;

        for (size_t i = 0; i < sv->n_slots; i++) {
                if (sv->slots[i].state == SLOT_BUSY) {
                        kill(sv->slots[i].pid, SIGKILL);
                        killed = true;
                }
                sv->slots[i].ctl = safe_close(sv->slots[i].ctl);
        }
        for (size_t i = 0; i < sv->n_slots; i++) {
                while (waitpid(sv->slots[i].pid, NULL, WNOHANG) == 0) {
                        if (now_usec() >= deadline) {
                                kill(sv->slots[i].pid, SIGKILL);
                                killed = true;
                                waitpid(sv->slots[i].pid, NULL, 0);
                                break;
                        }
                        usleep(10000);
                }
        }
        sv->n_slots = 0;
        /* a killed supervisor's sandbox dies by its parent-death signal a moment later; the
         * sweep kills what is left in a cgroup whose owner is gone, then removes it */
        if (killed)
                (void)cgroup_cleanup_stale();
}

static int serve(struct server *sv)
{
        for (;;) {
                struct pollfd pfd[1 + WARM_SLOTS_MAX];
                size_t n = 0;

                while (count_waiting(sv) < sv->pool && sv->n_slots < WARM_SLOTS_MAX &&
                       sv->failures < WARM_FAILURES)
                        if (spawn_slot(sv) < 0)
                                return -EIO;
                if (sv->failures >= WARM_FAILURES)
                        return log_error_errno(-EIO,
                                               "%u sandboxes in a row could not be built; "
                                               "stopping (see the errors above)",
                                               sv->failures);
                pfd[n++] = (struct pollfd){.fd = sv->sigfd, .events = POLLIN};
                for (size_t i = 0; i < sv->n_slots; i++)
                        pfd[n++] = (struct pollfd){.fd = sv->slots[i].ctl, .events = POLLIN};
                if (poll(pfd, n, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return log_error_errno(-errno, "poll: %m");
                }
                for (size_t i = 0; i < sv->n_slots; i++)
                        if (pfd[1 + i].revents && sv->slots[i].ctl >= 0)
                                slot_said(sv, &sv->slots[i]);
                if (pfd[0].revents) {
                        struct signalfd_siginfo si;

                        if (read(sv->sigfd, &si, sizeof(si)) == sizeof(si) &&
                            si.ssi_signo != SIGCHLD)
                                return 0;
                        reap_slots(sv);
                }
        }
}

/* Binds the listening socket in the checked folder. Another server's live socket is left
 * alone (an error); a stale one, ours, is replaced. Returns the fd or a negative errno. */
static int warm_listen(int dir_fd, const char *dir)
{
        _cleanup_close_ int fd = -1;
        struct sockaddr_un sa;
        mode_t old;
        int r;

        warm_address(dir_fd, &sa);
        r = warm_socket_check(dir_fd, dir, LOG_ERR);
        if (r < 0 && r != -ENOENT)
                return r;
        if (r == 0) {
                _cleanup_close_ int probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

                if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0)
                        return log_error_errno(-EADDRINUSE,
                                               "a warm server already listens on %s/%s", dir,
                                               warm_socket_name);
                if (unlinkat(dir_fd, warm_socket_name, 0) < 0)
                        return log_error_errno(-errno, "cannot remove the stale %s/%s: %m", dir,
                                               warm_socket_name);
        }
        fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return log_error_errno(-errno, "cannot make a socket: %m");
        old = umask(0177);
        r = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? -errno : 0;
        umask(old);
        if (r < 0)
                return log_error_errno(r, "cannot bind %s/%s: %m", dir, warm_socket_name);
        if (listen(fd, WARM_BACKLOG) < 0)
                return log_error_errno(-errno, "cannot listen on %s/%s: %m", dir, warm_socket_name);
        return TAKE_FD(fd);
}

static void help(FILE *f)
{
        fprintf(f, "Usage: airlock warm [--pool N] [--max-age SECONDS] [OPTIONS]\n"
                   "Keep sandboxes of one policy (the default profile, or -p PROFILE and the\n"
                   "run OPTIONS) built ahead of time, for \"airlock run\" of the same policy to\n"
                   "take, one each (docs/warm.md). Listens on\n"
                   "$XDG_RUNTIME_DIR/airlock/warm-HASH.sock (root: /run/airlock/; HASH of the\n"
                   "policy) for callers of its own uid only; stops on SIGTERM or SIGINT.\n"
                   "\"airlock run --cold\" or AIRLOCK_WARM=0 ignores it.\n\n"
                   "Options:\n"
                   "  --pool N                         sandboxes kept ready (1 to 4, default 1)\n"
                   "  --max-age SECONDS                rebuild a sandbox unused for so long (its\n"
                   "                                   view of the host is as old; default 60,\n"
                   "                                   0: never)\n");
        options_print_help(f, policy_options, policy_options_count);
        fprintf(f, "  -h, --help                       show this help\n");
}

/* Takes "NAME N" out of argv (options of the server, not of the policy): *ret stays as it is
 * when NAME is not there. Returns 0, or -EINVAL when N is not a number from min to max. */
static int take_number(int *argc, char **argv, const char *name, unsigned long min,
                       unsigned long max, unsigned *ret)
{
        for (int i = 1; i < *argc; i++) {
                char *end;
                unsigned long v;

                if (!streq(argv[i], name))
                        continue;
                if (i + 1 >= *argc)
                        return -EINVAL;
                errno = 0;
                v = strtoul(argv[i + 1], &end, 10);
                if (errno || end == argv[i + 1] || *end || v < min || v > max)
                        return -EINVAL;
                *ret = (unsigned)v;
                memmove(argv + i, argv + i + 2, (size_t)(*argc - i - 2) * sizeof(char *));
                *argc -= 2;
                argv[*argc] = NULL;
                return 0;
        }
        return 0;
}

int cmd_warm(int argc, char **argv)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_free_ char *text = NULL, *dir = NULL;
        _cleanup_close_ int dir_fd = -1, listen_fd = -1, sigfd = -1;
        struct server sv = {.pool = 1};
        const char *profile = NULL;
        sigset_t set;
        int r, first;

        for (int i = 1; i < argc; i++) {
                if (streq(argv[i], "-h") || streq(argv[i], "--help")) {
                        help(stdout);
                        return 0;
                }
                if ((streq(argv[i], "-p") || streq(argv[i], "--profile")) && i + 1 < argc)
                        profile = argv[i + 1];
        }
        if (take_number(&argc, argv, "--pool", 1, WARM_POOL_MAX, &sv.pool) < 0) {
                log_error("--pool takes a number from 1 to %d", WARM_POOL_MAX);
                return EXIT_USAGE;
        }
        if (take_number(&argc, argv, "--max-age", 0, 86400, &warm_max_age) < 0) {
                log_error("--max-age takes a number of seconds from 0 (never) to 86400");
                return EXIT_USAGE;
        }
        if (policy_new(&p) < 0 || profile_load_into(p, profile ?: "default") < 0)
                return 1;
        first = options_parse(policy_options, policy_options_count, argc, argv, p, "warm");
        if (first < 0)
                return EXIT_USAGE;
        if (first < argc) {
                log_error("takes no command: each caller brings its own");
                return EXIT_USAGE;
        }
        r = warm_sandbox_refusal(p);
        if (r < 0)
                return log_error_errno(r, "this policy cannot be kept warm: %s",
                                       warm_refusal_reason(r)),
                       EXIT_USAGE;
        if (policy_validate(p) < 0 || policy_text(p, &text) < 0)
                return 1;
        warm_socket_name_set(text);
        dir_fd = warm_dir_open(true, LOG_ERR, &dir);
        if (dir_fd < 0)
                return 1;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGCHLD);
        sigprocmask(SIG_BLOCK, &set, NULL);
        sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sigfd < 0)
                return log_error_errno(-errno, "cannot make a signalfd: %m"), 1;
        listen_fd = warm_listen(dir_fd, dir);
        if (listen_fd < 0)
                return 1;
        log_info("listening on %s/%s, %u sandbox%s kept ready", dir, warm_socket_name, sv.pool,
                 sv.pool == 1 ? "" : "es");
        sv.p = p;
        sv.text = text;
        sv.dir = dir;
        sv.dir_fd = dir_fd;
        sv.listen_fd = listen_fd;
        sv.sigfd = sigfd;
        r = serve(&sv);
        stop_slots(&sv);
        if (unlinkat(dir_fd, warm_socket_name, 0) < 0)
                log_warning_errno(-errno, "cannot remove %s/%s: %m", dir, warm_socket_name);
        log_info("stopped after handing over %u sandbox%s", sv.handed, sv.handed == 1 ? "" : "es");
        return r < 0 ? 1 : 0;
}

/* ---- the client, for airlock run ---- */

int warm_sandbox_refusal(const struct policy *p)
{
        if (p->trace || p->complain)
                return -EXDEV;
        if (p->pty)
                return -ENOTTY;
        if (p->n_pass_fds > 0)
                return -EBADF;
        return 0;
}

const char *warm_refusal_reason(int r)
{
        switch (r) {
        case -EXDEV:
                return "--trace and --complain need their monitor in the launcher";
        case -ENOTTY:
                return "a warm sandbox gives no pseudo-terminal yet";
        case -EBADF:
                return "--pass-fd is not handed over";
        default:
                return strerror(-r);
        }
}

/* Sends the request (the policy, the hand-over, fds 0-2 and the report's) on conn. Returns 0
 * or a negative errno. */
static int send_request(int conn, const struct policy *p, const char *text, int report_fd)
{
        _cleanup_free_ char *blob = NULL, *msg = NULL, *cwd = NULL;
        _cleanup_strv_free_ char **env = NULL;
        struct warm_request_head head = {.magic = WARM_MAGIC};
        int fds[4] = {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO, report_fd};
        size_t blob_size, size;
        mode_t mask = umask(0);
        int r;

        umask(mask);
        if ((r = launcher_build_env(p, &env)) < 0)
                return r;
        /* the folder the cold path starts the program in (child.c: program_main()) */
        cwd = strdup(p->chdir ?: launcher_home(p));
        if (!cwd)
                return -ENOMEM;
        r = warm_handover_encode(p->argv, env, cwd, mask, &blob, &blob_size);
        if (r < 0)
                return r;
        head.policy_len = (uint32_t)strlen(text);
        head.blob_len = (uint32_t)blob_size;
        head.report_len = p->report_path && report_fd >= 0 ? strlen(p->report_path) + 1 : 0;
        if (head.policy_len > WARM_POLICY_MAX || head.report_len > 4096)
                return -E2BIG;
        size = sizeof(head) + head.policy_len + head.blob_len + head.report_len;
        msg = malloc(size);
        if (!msg)
                return -ENOMEM;
        memcpy(msg, &head, sizeof(head));
        memcpy(msg + sizeof(head), text, head.policy_len);
        memcpy(msg + sizeof(head) + head.policy_len, blob, blob_size);
        if (head.report_len)
                memcpy(msg + size - head.report_len, p->report_path, head.report_len);
        return send_with_fds(conn, msg, size, fds, head.report_len ? 4 : 3);
}

/* Connects to this user's warm server, checked the house way. Returns the fd or a negative
 * errno (logged at debug level). */
static int warm_connect(void)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int dir_fd = -1, fd = -1;
        struct sockaddr_un sa;
        uid_t uid = (uid_t)-1;
        int r;

        dir_fd = warm_dir_open(false, LOG_DEBUG, &dir);
        if (dir_fd < 0)
                return dir_fd;
        r = warm_socket_check(dir_fd, dir, LOG_DEBUG);
        if (r == -ENOENT)
                return log_debug_errno(r, "no warm server: %s/%s does not exist", dir,
                                       warm_socket_name);
        if (r < 0)
                return r;
        warm_address(dir_fd, &sa);
        fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                return log_debug_errno(-errno, "cannot connect to %s/%s: %m", dir,
                                       warm_socket_name);
        if (!peer_is_us(fd, &uid))
                return log_debug_errno(-EPERM,
                                       "refusing the warm server on %s/%s: it runs as uid %u", dir,
                                       warm_socket_name, (unsigned)uid);
        return TAKE_FD(fd);
}

/* After STARTED: forwards the signals the cold path forwards and waits for the end. Returns
 * the exit status. */
static int warm_wait(int conn, int sigfd)
{
        for (;;) {
                struct pollfd pfd[2] = {{.fd = conn, .events = POLLIN},
                                        {.fd = sigfd, .events = POLLIN}};
                struct warm_reply m;
                ssize_t n;

                if (poll(pfd, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return log_error_errno(-errno, "cannot wait for the sandbox: %m"),
                               EXIT_AIRLOCK_FAILED;
                }
                if (pfd[1].revents) {
                        struct signalfd_siginfo si;

                        if (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
                                uint32_t sig = si.ssi_signo;

                                (void)send(conn, &sig, sizeof(sig), MSG_NOSIGNAL);
                        }
                }
                if (!pfd[0].revents)
                        continue;
                n = recv(conn, &m, sizeof(m), 0);
                if (n == (ssize_t)sizeof(m) && m.type == WARM_REPLY_RESULT)
                        return m.status;
                log_error("the warm sandbox's server went away while the program ran: its "
                          "status is lost");
                return EXIT_AIRLOCK_FAILED;
        }
}

int warm_try_run(const struct policy *p, int report_fd, int *ret_status)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int conn = -1, sigfd = -1;
        const char *env = getenv("AIRLOCK_WARM");
        struct warm_reply m;
        sigset_t set, old;
        ssize_t n;
        int r;

        if (env && streq(env, "0"))
                return log_debug_errno(-ECANCELED, "cold: AIRLOCK_WARM=0");
        if (getenv("AIRLOCK_DEBUG_STARTUP"))
                return log_debug_errno(-ECANCELED,
                                       "cold: AIRLOCK_DEBUG_STARTUP times the cold launcher");
        r = warm_sandbox_refusal(p);
        if (r < 0)
                return log_debug_errno(r, "cold: %s", warm_refusal_reason(r));
        for (int fd = 0; fd <= 2; fd++)
                if (isatty(fd))
                        return log_debug_errno(-ENOTTY,
                                               "cold: fd %d is a terminal, and a warm "
                                               "sandbox gives no pseudo-terminal yet",
                                               fd);
        r = policy_text(p, &text);
        if (r < 0)
                return log_debug_errno(r, "cold: %m");
        warm_socket_name_set(text);
        conn = warm_connect();
        if (conn < 0)
                return conn;
        sigemptyset(&set);
        for (size_t i = 0; i < launcher_n_forwarded_signals; i++)
                sigaddset(&set, launcher_forwarded_signals[i]);
        sigprocmask(SIG_BLOCK, &set, &old);
        sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        r = sigfd < 0 ? -errno : send_request(conn, p, text, report_fd);
        if (r < 0) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                return log_debug_errno(r, "cold: cannot send the request: %m");
        }
        n = recv(conn, &m, sizeof(m), 0);
        if (n != (ssize_t)sizeof(m) || m.type != WARM_REPLY_STARTED) {
                sigprocmask(SIG_SETMASK, &old, NULL);
                m.why[sizeof(m.why) - 1] = 0;
                return log_debug_errno(-EPERM, "cold: the warm server refused: %s",
                                       n == (ssize_t)sizeof(m) ? m.why : "no answer");
        }
        log_debug("warm: handed a pre-built sandbox");
        *ret_status = warm_wait(conn, sigfd);
        sigprocmask(SIG_SETMASK, &old, NULL);
        return 0;
}
