/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where workers come from. A process with threads must not fork a child that goes on running
 * its code: a lock that another thread held at the fork (the allocator's, GLib's, a library's)
 * stays held in the child for ever, and the worker hangs before it reads a byte. So workers are
 * never forked by the supervisor. A zygote, started once per context while the process has a
 * single thread (plain fork: it shares the rules and magic database already loaded), or else
 * by fork and exec of this program (it loads them again, from the options sent over its
 * socket), forks every worker with CLONE_PARENT: the worker is the supervisor's child, which
 * waits for it and reads how it ended, as if it had forked it itself. The zygote parses
 * nothing; it only forks on request, and ends when the supervisor closes its socket or dies. */
#include <dirent.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/socket-util.h"
#include "basic/strv.h"
#include "worker.h"

#define ZYGOTE_FD        3
#define ZYGOTE_ENV       "AIRLOCK_WORKER_ZYGOTE"
#define ZYGOTE_MAX_OPTS  (64u << 10)
#define ZYGOTE_MAX_ERROR 1024

/* Whether this process has one thread: only then may it fork a child that runs on. */
static bool single_threaded(void)
{
        _cleanup_close_ int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d;
        struct dirent *de;
        unsigned n = 0;

        if (fd < 0 || !(d = fdopendir(fd)))
                return false;
        fd = -1;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.')
                        n++;
        closedir(d);
        return n == 1;
}

/* ---- in the zygote ---- */

/* The zygote's context scans in one thread, keeps a cache of its own and streams to no clamd; it
 * holds only its socket and the standard streams (stderr stays: a sanitizer writes its report
 * there). */
static void child_reset(struct analysis_ctx *ctx)
{
        ctx->opts.in_process = true; /* no worker of a worker: clone is forbidden there */
        ctx->opts.threads = 1;
        ctx->pool = NULL;
        ctx->pool_made = true;
        /* A cache of its own, which also reads what the other workers judged (cache.c). */
        ctx->cache = scan_cache_worker(ctx->cache);
        ctx->clamd_address = NULL; /* the supervisor streams to clamd: no sockets here */
        ctx->zygote_sock = -1;
        ctx->zygote_pid = 0;
        pthread_mutex_init(&ctx->pool_lock, NULL);
        pthread_mutex_init(&ctx->magic_lock, NULL);
        pthread_mutex_init(&ctx->zygote_lock, NULL);
        pthread_mutex_init(&ctx->engines_lock, NULL);
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0)
                _exit(3);
        signal(SIGPIPE, SIG_IGN);
        if (worker_confine_prepare() < 0)
                _exit(4);
}

static void zygote_prepare(struct analysis_ctx *ctx, int sock)
{
        (void)prctl(PR_SET_NAME, "airlock-zygote", 0, 0, 0);
        if (sock != ZYGOTE_FD && dup3(sock, ZYGOTE_FD, O_CLOEXEC) < 0)
                _exit(3);
        if (syscall(SYS_close_range, ZYGOTE_FD + 1, ~0U, 0) < 0)
                for (int i = ZYGOTE_FD + 1; i < 1024; i++)
                        (void)close(i);
        child_reset(ctx);
        /* A supervisor that left the rules to its workers: loaded once here for all of them
         * (a worker that finds them missing tries again and says why). */
        (void)analysis_ctx_load_engines(ctx, NULL);
}

#define ZYGOTE_MAX_WORKERS 256

/* Keeps the pidfds of the workers still running in w (n of them), and adds pidfd. Returns
 * false when there is no room even after the ended ones are dropped. */
static bool track_worker(int *w, size_t *n, int pidfd)
{
        for (size_t i = *n; i > 0; i--) {
                struct pollfd p = {.fd = w[i - 1], .events = POLLIN};
                if (poll(&p, 1, 0) == 1) {
                        close(w[i - 1]);
                        w[i - 1] = w[--*n];
                }
        }
        if (*n >= ZYGOTE_MAX_WORKERS)
                return false;
        w[(*n)++] = pidfd;
        return true;
}

/* Forks a worker for each request (one byte and the worker's socket); answers its pid, or a
 * negative errno, as an int32. The workers are the supervisor's children, and the kernel's
 * parent-death signal would follow the supervisor's thread that started this zygote, not its
 * process: so the zygote watches the supervisor's process with a pidfd and, when it ends (or
 * closes this socket), kills the workers it made, even one stuck inside a library. */
static _Noreturn void zygote_loop(struct analysis_ctx *ctx)
{
        int parent = (int)syscall(SYS_pidfd_open, getppid(), 0), workers[ZYGOTE_MAX_WORKERS];
        size_t n_workers = 0;

        if (parent < 0 || getppid() == 1)
                _exit(0);
        for (;;) {
                struct pollfd p[2] = {{.fd = ZYGOTE_FD, .events = POLLIN},
                                      {.fd = parent, .events = POLLIN}};
                char byte;
                int fd = -1;
                ssize_t n = 0;

                if (poll(p, 2, -1) < 0 && errno != EINTR)
                        break;
                if (p[1].revents)
                        break;
                if (!p[0].revents)
                        continue;
                n = recv_with_fd(ZYGOTE_FD, &byte, 1, &fd);
                if (n <= 0)
                        break;
                if (n != 1 || fd < 0)
                        _exit(5);
                /* CLONE_PARENT: the supervisor waits for the worker. The stack is copied as
                 * by fork; this process has one thread, so no lock is held. */
                pid_t pid = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
                if (pid == 0) {
                        (void)prctl(PR_SET_NAME, "airlock-worker", 0, 0, 0);
                        worker_main(ctx, fd, false);
                }
                int32_t reply = pid > 0 ? pid : -errno;
                close(fd);
                if (pid > 0) {
                        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
                        if (pidfd < 0 || !track_worker(workers, &n_workers, pidfd)) {
                                (void)kill(pid, SIGKILL);
                                safe_close(pidfd);
                                reply = -EAGAIN;
                        }
                }
                if (send_with_fd(ZYGOTE_FD, &reply, sizeof(reply), -1) < 0)
                        break;
        }
        for (size_t i = 0; i < n_workers; i++)
                (void)syscall(SYS_pidfd_send_signal, workers[i], SIGKILL, NULL, 0);
        _exit(0);
}

/* The message walker an exec'd zygote gives its context when the supervisor's had one; the
 * mail code registers it from a constructor that runs before zygote_exec_entry(). */
static analysis_message_walker registered_walker;

void analysis_register_message_walker(analysis_message_walker walk)
{
        registered_walker = walk;
}

/* The zygote started by fork and exec: before main() runs, it reads its options from its
 * socket, loads the rules and the magic database, answers "" (or why it cannot) and serves. */
static int options_from_json(const char *text, struct analysis_options *o, char ***dirs,
                             bool *walker)
{
        struct json_object *j = json_tokener_parse(text), *v;
        int k = -EBADMSG;

        analysis_options_init(o);
        if (!j || !json_object_is_type(j, json_type_object))
                goto out;
#define U(name, field)                              \
        if (json_object_object_get_ex(j, name, &v)) \
                o->limits.field = (typeof(o->limits.field))json_object_get_uint64(v);
        U("max_depth", max_depth);
        U("max_members", max_members);
        U("max_expansion", max_expansion);
        U("max_ratio", max_ratio);
        U("timeout_sec", timeout_sec);
        U("max_file_size", max_file_size);
#undef U
        o->no_builtin_rules =
                json_object_object_get_ex(j, "no_builtin_rules", &v) && json_object_get_boolean(v);
        *walker = json_object_object_get_ex(j, "walker", &v) && json_object_get_boolean(v);
        /* its workers then say that they have the rules, as the supervisor expects */
        o->workers_load_engines = json_object_object_get_ex(j, "workers_load_engines", &v) &&
                                  json_object_get_boolean(v);
        if (json_object_object_get_ex(j, "rules_dirs", &v) &&
            json_object_is_type(v, json_type_array))
                for (size_t i = 0; i < json_object_array_length(v); i++)
                        if (strv_extend(dirs, json_object_get_string(
                                                      json_object_array_get_idx(v, i))) < 0) {
                                k = -ENOMEM;
                                goto out;
                        }
        o->rules_dirs = *dirs;
        o->threads = 1;
        o->no_cache = true;
        o->in_process = true;
        k = 0;
out:
        json_object_put(j);
        return k;
}

__attribute__((constructor(200))) static void zygote_exec_entry(void)
{
        const char *e = secure_getenv(ZYGOTE_ENV);
        struct analysis_options o;
        struct analysis_ctx *ctx = NULL;
        _cleanup_free_ char *error = NULL;
        char **dirs = NULL;
        bool walker = false;
        int type = 0;
        socklen_t len = sizeof(type);

        if (!e || !streq(e, "1"))
                return;
        (void)unsetenv(ZYGOTE_ENV);
        if (getsockopt(ZYGOTE_FD, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET)
                return; /* not ours: run as the program */
        char *text = malloc(ZYGOTE_MAX_OPTS + 1);
        ssize_t n = text ? recv(ZYGOTE_FD, text, ZYGOTE_MAX_OPTS, 0) : -1;
        if (n <= 0)
                _exit(0);
        text[n] = '\0';
        int k = options_from_json(text, &o, &dirs, &walker);
        free(text);
        if (k >= 0)
                k = analysis_ctx_new(&o, &ctx, &error);
        if (k >= 0 && walker) {
                if (registered_walker)
                        analysis_ctx_set_message_walker(ctx, registered_walker);
                else
                        k = -ENOPKG;
        }
        const char *why = k >= 0 ? "" : error ? error : strerror(-k);
        if (send_with_fd(ZYGOTE_FD, why, strlen(why) + 1, -1) < 0 || k < 0)
                _exit(k < 0 ? 2 : 0);
        /* A forked zygote inherits what the supervisor prepared; this one prepares itself. */
        worker_job_prepare();
        zygote_prepare(ctx, ZYGOTE_FD);
        zygote_loop(ctx);
}

/* ---- in the supervisor ---- */

/* Test builds: the path a process with threads takes, on demand (AIRLOCK_TEST_ZYGOTE=exec). */
static bool force_exec(void)
{
#ifdef AIRLOCK_FAULT_INJECTION
        return streq_ptr(getenv("AIRLOCK_TEST_ZYGOTE"), "exec");
#else
        return false;
#endif
}

static char *options_to_json(const struct analysis_ctx *ctx)
{
        const struct analysis_limits *l = &ctx->opts.limits;
        struct json_object *j = json_object_new_object(), *dirs = json_object_new_array();
        char *text = NULL;

        if (!j || !dirs)
                goto out;
        json_object_object_add(j, "max_depth", json_object_new_uint64(l->max_depth));
        json_object_object_add(j, "max_members", json_object_new_uint64(l->max_members));
        json_object_object_add(j, "max_expansion", json_object_new_uint64(l->max_expansion));
        json_object_object_add(j, "max_ratio", json_object_new_uint64(l->max_ratio));
        json_object_object_add(j, "timeout_sec", json_object_new_uint64(l->timeout_sec));
        json_object_object_add(j, "max_file_size", json_object_new_uint64(l->max_file_size));
        json_object_object_add(j, "no_builtin_rules",
                               json_object_new_boolean(ctx->opts.no_builtin_rules));
        json_object_object_add(j, "walker", json_object_new_boolean(!!ctx->message_walker));
        json_object_object_add(j, "workers_load_engines",
                               json_object_new_boolean(ctx->opts.workers_load_engines));
        for (char *const *d = ctx->rules_dirs; d && *d; d++)
                json_object_array_add(dirs, json_object_new_string(*d));
        json_object_object_add(j, "rules_dirs", dirs);
        dirs = NULL;
        text = strdup(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
out:
        json_object_put(dirs);
        json_object_put(j);
        return text;
}

/* fork and exec of this program, which becomes the zygote in its constructor. Only
 * async-signal-safe calls between fork and exec: this process may have threads. */
static int zygote_exec(struct analysis_ctx *ctx, int sock, int theirs, pid_t *ret_pid)
{
        _cleanup_free_ char *opts = options_to_json(ctx);
        /* Above ZYGOTE_FD: the child's dup2 to it must not replace the program it runs.
         * Another thread may have just freed fd 3. */
        _cleanup_close_ int path = open("/proc/self/exe", O_PATH | O_CLOEXEC);
        _cleanup_close_ int exe = path < 0 ? -1 : fcntl(path, F_DUPFD_CLOEXEC, ZYGOTE_FD + 1);
        extern char **environ;
        size_t n_env = 0;
        int k;

        if (!opts)
                return -ENOMEM;
        if (exe < 0)
                return negative_errno();
        while (environ && environ[n_env])
                n_env++;
        _cleanup_free_ char **envp = calloc(n_env + 2, sizeof(char *));
        if (!envp)
                return -ENOMEM;
        envp[0] = (char *)ZYGOTE_ENV "=1";
        for (size_t i = 0, j = 1; i < n_env; i++)
                if (!startswith(environ[i], ZYGOTE_ENV "="))
                        envp[j++] = environ[i];
        char *argv[] = {(char *)"airlock-zygote", NULL};

        pid_t pid = fork();
        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                if (dup2(theirs, ZYGOTE_FD) < 0 || fcntl(ZYGOTE_FD, F_SETFD, 0) < 0)
                        _exit(127);
                syscall(SYS_execveat, exe, "", argv, envp, AT_EMPTY_PATH);
                _exit(127);
        }
        *ret_pid = pid;
        if ((k = send_with_fd(sock, opts, strlen(opts), -1)) < 0)
                return k;
        return 0;
}

/* Starts the zygote of ctx. Returns 0 or a negative errno; *ret_why says why the rules could
 * not be loaded in an exec'd zygote. */
static int zygote_start(struct analysis_ctx *ctx)
{
        int sv[2], k;
        pid_t pid = 0;

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return negative_errno();
        if (single_threaded() && !force_exec()) {
                if (!ctx->opts.no_shared_cache)
                        (void)scan_cache_share(ctx->cache); /* mapped by the workers it forks */
                fflush(NULL);
                pid = fork();
                if (pid == 0) {
                        close(sv[0]);
                        zygote_prepare(ctx, sv[1]);
                        zygote_loop(ctx);
                }
                k = pid < 0 ? negative_errno() : 0;
        } else {
                k = zygote_exec(ctx, sv[0], sv[1], &pid);
                /* Only the zygote holds its end now: one that ends at start-up (before it
                 * reports) is seen as end of file, not waited for. */
                sv[1] = safe_close(sv[1]);
                if (k >= 0) {
                        char why[ZYGOTE_MAX_ERROR];
                        ssize_t n = recv(sv[0], why, sizeof(why) - 1, 0);
                        if (n <= 0)
                                k = log_error_errno(-ECHILD,
                                                    "the analysis zygote ended at start-up");
                        else if (why[0]) {
                                why[n] = '\0';
                                k = log_error_errno(-EINVAL, "the analysis zygote: %s", why);
                        }
                }
        }
        safe_close(sv[1]);
        if (k < 0) {
                close(sv[0]);
                if (pid > 0) {
                        (void)kill(pid, SIGKILL);
                        (void)waitpid(pid, NULL, 0);
                }
                return k;
        }
        ctx->zygote_pid = pid;
        ctx->zygote_sock = sv[0];
        return 0;
}

static void zygote_stop_locked(struct analysis_ctx *ctx)
{
        ctx->zygote_sock = safe_close(ctx->zygote_sock);
        if (ctx->zygote_pid > 0)
                worker_reap_later(ctx->zygote_pid);
        ctx->zygote_pid = 0;
}

int analysis_ctx_start_workers(struct analysis_ctx *ctx)
{
        int k = 0;

        if (ctx->opts.in_process)
                return 0;
        pthread_mutex_lock(&ctx->zygote_lock);
        if (ctx->zygote_sock < 0)
                k = zygote_start(ctx);
        pthread_mutex_unlock(&ctx->zygote_lock);
        if (k >= 0)
                worker_pool_prestart(ctx);
        return k;
}

void worker_zygote_stop(struct analysis_ctx *ctx)
{
        pthread_mutex_lock(&ctx->zygote_lock);
        zygote_stop_locked(ctx);
        pthread_mutex_unlock(&ctx->zygote_lock);
}

int worker_spawn(struct analysis_ctx *ctx, int sock, pid_t *ret_pid)
{
        int k = 0;

        pthread_mutex_lock(&ctx->zygote_lock);
        /* No zygote yet and one thread (analyze or open of a few files, mail scan of a
         * message): one fork instead of a zygote and a clone. */
        if (ctx->zygote_sock < 0 && single_threaded() && !force_exec()) {
                if (!ctx->opts.no_shared_cache)
                        (void)scan_cache_share(ctx->cache);
                fflush(NULL);
                pid_t pid = fork();
                if (pid == 0) {
                        child_reset(ctx);
                        (void)prctl(PR_SET_NAME, "airlock-worker", 0, 0, 0);
                        worker_main(ctx, sock, true); /* forked by the only thread */
                }
                pthread_mutex_unlock(&ctx->zygote_lock);
                if (pid < 0)
                        return negative_errno();
                *ret_pid = pid;
                return 0;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
                int32_t reply = 0;

                if (ctx->zygote_sock < 0 && (k = zygote_start(ctx)) < 0)
                        break;
                k = send_with_fd(ctx->zygote_sock, "W", 1, sock);
                if (k >= 0) {
                        ssize_t n = recv(ctx->zygote_sock, &reply, sizeof(reply), 0);
                        k = n == sizeof(reply) ? 0 : -EPIPE;
                }
                if (k < 0) { /* the zygote died: start another once */
                        zygote_stop_locked(ctx);
                        continue;
                }
                if (reply <= 0) {
                        k = reply < 0 ? reply : -EIO;
                        break;
                }
                *ret_pid = reply;
                break;
        }
        pthread_mutex_unlock(&ctx->zygote_lock);
        return k;
}
