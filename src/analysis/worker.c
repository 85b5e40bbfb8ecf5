/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The supervisor side of the confined worker. Idle workers wait in a pool that the threads share,
 * each forked from the process that already holds the compiled rules and the magic database, so
 * that nothing is loaded after confinement. The worker confines itself (worker-confine.c) and
 * then serves jobs over a socket pair: a job is the input fd (the file, or a sealed memfd with
 * an attachment) passed with SCM_RIGHTS plus the node's path; the answer is the JSON of the
 * result tree. The supervisor polls the socket and a pidfd of the worker against a hard
 * deadline: a hang inside a library cannot hold it, and a crash is a verdict, not a lost slot.
 * A worker is replaced after any error, after WORKER_MAX_JOBS jobs, and when it has used half
 * its CPU time limit. */
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/socket-util.h"
#include "worker.h"

#include <sys/mman.h>
#include <sys/socket.h>

#define WORKER_FD_SOCKET   3
#define WORKER_MAX_JSON    (256u << 20)
#define WORKER_GRACE_MS    1000
#define WORKER_MAX_JOBS    256
#define WORKER_KEEP_MEMORY (64 << 20)

/* JOB_CALL: the job registered by the layer above (analysis_register_worker_job(): the mail
 * module's walk of a whole message) on the data of the fd; the bytes after the header are its
 * arguments instead of a path, and the answer is its own bytes instead of a result's JSON. */
enum { JOB_FD = 0, JOB_DATA = 1, JOB_CALL = 2 };

static analysis_worker_job registered_job;
static void (*registered_prepare)(void);

void analysis_register_worker_job(analysis_worker_job job, void (*prepare)(void))
{
        registered_job = job;
        registered_prepare = prepare;
}

void worker_job_prepare(void)
{
        if (registered_prepare)
                registered_prepare();
}

struct job_msg {
        uint32_t kind;
        uint32_t depth;
        uint32_t path_len;
        uint32_t pad;
};

struct reply_msg {
        int32_t error;      /* a negative errno of the scan, or 0 */
        uint32_t cpu_ms;    /* the worker's CPU time so far */
        uint64_t json_len;  /* bytes of JSON that follow */
        uint64_t cache_len; /* then the JSON of the cache entries the job added (cache.c) */
};

/* With workers_load_engines, the first thing a worker writes: whether it loaded the magic
 * database and the rules, and if not, why (len bytes of text follow). */
struct hello_msg {
        int32_t error;
        uint32_t len;
};

#define WORKER_MAX_HELLO 4096

struct worker {
        struct analysis_ctx *ctx; /* the context it was forked with */
        pid_t pid;
        int pidfd, sock;
        unsigned jobs;
        bool hello_pending; /* its hello_msg is not read yet */
};

/* Idle workers, shared by every thread: the milter scans each message in a new thread. */
#define WORKER_MAX_IDLE 64
static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;
static struct worker *idle[WORKER_MAX_IDLE];
static size_t n_idle;

static int pidfd_open_child(pid_t pid)
{
        return (int)syscall(SYS_pidfd_open, pid, 0);
}

static int64_t now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#ifdef AIRLOCK_FAULT_INJECTION
/* Test builds only: AIRLOCK_TEST_WORKER_FAULT=ACTION[:MARKER][,...] makes the worker misbehave
 * after it is confined, for every file or for those whose first 64 KiB contain MARKER (a whole
 * message, for the mail walk: before GMime reads it). ACTION is
 * crash, hang, open, connect or exec. What open, connect and exec got is added to the result
 * as the finding worker.denied (or worker.escaped when one succeeded). */
#include <sys/socket.h>
#include <sys/un.h>

static const char *fault_wanted(const void *head, size_t size)
{
        const char *spec = getenv("AIRLOCK_TEST_WORKER_FAULT");
        static char action[16];

        /* ACTION[:MARKER][,ACTION[:MARKER]...]: the first that applies. */
        for (const char *e = spec; e && *e;) {
                const char *end = strchrnul(e, ','), *colon = memchr(e, ':', (size_t)(end - e));
                size_t n = colon ? (size_t)(colon - e) : (size_t)(end - e);
                size_t m = colon ? (size_t)(end - colon - 1) : 0;

                if (n < sizeof(action) && (m == 0 || (head && memmem(head, size, colon + 1, m)))) {
                        memcpy(action, e, n);
                        action[n] = '\0';
                        return action;
                }
                e = *end ? end + 1 : end;
        }
        return NULL;
}

static void fault_report(struct analysis_result *node, const char *what, int r)
{
        char evidence[128];

        snprintf(evidence, sizeof(evidence), "%s: %s", what, r < 0 ? strerror(-r) : "succeeded");
        (void)analysis_result_add_finding(
                node, r < 0 ? "worker.denied" : "worker.escaped",
                r < 0 ? ANALYSIS_SEVERITY_INFO : ANALYSIS_SEVERITY_CRITICAL, NULL,
                r < 0 ? "the worker tried a forbidden call and the confinement refused it"
                      : "the worker made a call its confinement should have refused",
                evidence, "worker");
}

static bool fault_switch(void)
{
        return getenv("AIRLOCK_TEST_WORKER_FAULT");
}

/* bad-cache: the job's reply carries cache entries the supervisor must refuse; trailing:
 * bytes its header does not announce. */
static bool fault_bad_cache, fault_trailing;

static void fault_inject(const void *head, size_t size, struct analysis_result *node)
{
        const char *a = fault_wanted(head, size);
        int r;

        fault_bad_cache = a && streq(a, "bad-cache");
        fault_trailing = a && streq(a, "trailing");
        if (!a)
                return;
        if (streq(a, "crash"))
                raise(SIGSEGV);
        else if (streq(a, "hang"))
                for (;;)
                        pause();
        else if (streq(a, "open")) {
                r = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
                fault_report(node, "open /etc/passwd", r < 0 ? negative_errno() : 0);
        } else if (streq(a, "connect")) {
                struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "/run/airlock-test"};
                r = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (r >= 0)
                        r = connect(r, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != ENOENT &&
                                            errno != ECONNREFUSED
                                    ? negative_errno()
                                    : 0;
                else
                        r = negative_errno();
                fault_report(node, "socket and connect", r);
        } else if (streq(a, "exec")) {
                char *argv[] = {(char *)"/bin/true", NULL};
                execve(argv[0], argv, environ);
                fault_report(node, "execve /bin/true", negative_errno());
        }
}
#else
static const bool fault_bad_cache = false, fault_trailing = false;

static bool fault_switch(void)
{
        return false;
}

static void fault_inject(const void *head, size_t size, struct analysis_result *node)
{
}
#endif

/* A worker that ended without an answer, by a signal or by an exit status (a sanitizer that
 * caught the fault reports it and exits): the content is left unscanned. */
static int set_crashed(struct analysis_result *node, int status)
{
        char evidence[64];
        int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        const char *name = sig ? sigabbrev_np(sig) : NULL;

        if (sig)
                snprintf(evidence, sizeof(evidence), "SIG%s (signal %d)", name ? name : "?", sig);
        else
                snprintf(evidence, sizeof(evidence), "exited with status %d",
                         WIFEXITED(status) ? WEXITSTATUS(status) : status);
        if (!node->limit && !(node->limit = strdup("worker")))
                return -ENOMEM;
        return analysis_result_add_finding(
                node, "worker.crashed", ANALYSIS_SEVERITY_MEDIUM, NULL,
                sig == SIGSYS ? "the parser made a system call its confinement forbids and was "
                                "killed; the content is left unscanned"
                : sig         ? "the parser died on a signal while reading this content; it is "
                                "left unscanned"
                              : "the parser ended without an answer while reading this content; "
                                "it is left unscanned",
                evidence, "worker");
}

/* Workers killed and not waited for: the supervisor does not wait while the kernel tears down
 * a worker's address space (on a loaded machine the dying worker waits for a CPU first: tens
 * of ms at the end of `analyze` of one file). They are reaped, through their pidfds so that a
 * reused pid is never waited for, whenever a worker is started or put back, and when a context
 * is freed: a process that exits leaves them to init. */
static void worker_stop(struct worker *w, int *ret_status);

#define GRAVEYARD_MAX 64
static pthread_mutex_t graveyard_lock = PTHREAD_MUTEX_INITIALIZER;
static int graveyard[GRAVEYARD_MAX];
static size_t n_graveyard;

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* Reaps the killed workers that have ended; with wait, all of them. */
static void graveyard_reap(bool wait)
{
        pthread_mutex_lock(&graveyard_lock);
        for (size_t i = n_graveyard; i > 0; i--) {
                siginfo_t si = {0};
                if (waitid((idtype_t)P_PIDFD, (id_t)graveyard[i - 1], &si,
                           WEXITED | (wait ? 0 : WNOHANG)) == 0 &&
                    si.si_pid == 0)
                        continue; /* still ending */
                close(graveyard[i - 1]);
                graveyard[i - 1] = graveyard[--n_graveyard];
        }
        pthread_mutex_unlock(&graveyard_lock);
}

void worker_reap_later(pid_t pid)
{
        int pidfd = pidfd_open_child(pid);

        if (pidfd < 0)
                return;
        (void)syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
        pthread_mutex_lock(&graveyard_lock);
        if (n_graveyard < GRAVEYARD_MAX) {
                graveyard[n_graveyard++] = pidfd;
                pidfd = -1;
        }
        pthread_mutex_unlock(&graveyard_lock);
        if (pidfd >= 0) {
                (void)waitpid(pid, NULL, 0);
                close(pidfd);
        }
}

/* Kills w without waiting for it; its status is not wanted. */
static void worker_kill(struct worker *w)
{
        bool buried = false;

        w->sock = safe_close(w->sock);
        if (w->pid > 0 && w->pidfd >= 0) {
                (void)syscall(SYS_pidfd_send_signal, w->pidfd, SIGKILL, NULL, 0);
                pthread_mutex_lock(&graveyard_lock);
                if (n_graveyard < GRAVEYARD_MAX) {
                        graveyard[n_graveyard++] = w->pidfd;
                        buried = true;
                }
                pthread_mutex_unlock(&graveyard_lock);
        }
        if (buried) {
                w->pidfd = -1;
                w->pid = 0;
        }
        worker_stop(w, NULL); /* no room: waits for it */
}

static void worker_stop(struct worker *w, int *ret_status)
{
        int status = 0;

        w->sock = safe_close(w->sock);
        if (w->pid > 0) {
                (void)kill(w->pid, SIGKILL);
                (void)waitpid(w->pid, &status, 0);
        }
        w->pidfd = safe_close(w->pidfd);
        w->pid = 0;
        w->jobs = 0;
        if (ret_status)
                *ret_status = status;
}

/* The longest path (or arguments of a call) a job carries (send_job() cuts it there). */
#define JOB_MAX_ARGS 65536

/* In the worker (one thread): the job being received, its header and its path. */
static char job_buf[sizeof(struct job_msg) + JOB_MAX_ARGS];

/* Receives a job into job_buf: its header into *m, the input fd into *ret_fd and, in the same
 * system call, the bytes of its path that came with it (*ret_got of them, m->path_len at most,
 * after the header). Returns 1, 0 at the end of the stream, or a negative errno. */
static int recv_job(int sock, struct job_msg *m, size_t *ret_got, int *ret_fd)
{
        ssize_t n = recv_with_fd(sock, job_buf, sizeof(job_buf), ret_fd);

        if (n <= 0)
                return (int)n;
        if ((size_t)n >= sizeof(*m))
                memcpy(m, job_buf, sizeof(*m));
        if ((size_t)n < sizeof(*m) || *ret_fd < 0 || m->path_len > JOB_MAX_ARGS ||
            (size_t)n - sizeof(*m) > m->path_len) {
                *ret_fd = safe_close(*ret_fd);
                return -EBADMSG;
        }
        *ret_got = (size_t)n - sizeof(*m);
        return 1;
}

static unsigned cpu_ms(void)
{
        struct rusage ru;

        if (getrusage(RUSAGE_SELF, &ru) < 0)
                return 0;
        return (unsigned)((ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
                          (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000);
}

/* In the worker (one thread): the buffer small parts are read into, kept between jobs. */
#define WORKER_COPY_MAX (1024 * 1024)
static char *copy_buf;
static size_t copy_size;

/* In the worker: one job, from the fd received to the reply written. */
static int serve_job(struct analysis_ctx *ctx, const struct job_msg *m, int fd, const char *args,
                     size_t got)
{
        _cleanup_(analysis_result_freep) struct analysis_result *node = NULL;
        _cleanup_free_ char *path = NULL, *call_reply = NULL;
        size_t call_size = 0;
        struct json_object *o = NULL;
        const char *text = "";
        const void *map = NULL, *data = NULL;
        struct stat st;
        char head[65536];
        ssize_t n = 0;
        int k;

        if (!(path = calloc(1, m->path_len + 1)))
                return -ENOMEM;
        memcpy(path, args, got);
        if (got < m->path_len) { /* the rest of a long path */
                ssize_t more = loop_read(WORKER_FD_SOCKET, path + got, m->path_len - got);
                if (more < 0)
                        return (int)more;
                if ((size_t)more != m->path_len - got)
                        return -EPIPE;
        }
        node = analysis_result_new(m->kind == JOB_CALL ? "job" : path);
        if (!node)
                return -ENOMEM;
        /* The supervisor shares what a file's job judged with the other workers; a message's
         * walk (the milter's) keeps it to this worker. */
        scan_cache_export_begin(ctx->cache, m->kind != JOB_CALL);
        if (m->kind == JOB_DATA || m->kind == JOB_CALL) {
                if (fstat(fd, &st) < 0)
                        return negative_errno();
                if (st.st_size > 0 && st.st_size <= WORKER_COPY_MAX) {
                        /* A small part is read into a buffer kept from job to job: a mapping
                         * made and dropped per job costs a TLB flush each time, which a
                         * paravirtualized guest pays dearly for (perf: 6% of a mail scan). */
                        if ((size_t)st.st_size > copy_size) {
                                char *b = realloc(copy_buf, (size_t)st.st_size);
                                if (!b)
                                        return -ENOMEM;
                                copy_buf = b;
                                copy_size = (size_t)st.st_size;
                        }
                        ssize_t r = pread(fd, copy_buf, (size_t)st.st_size, 0);
                        if (r < 0)
                                return negative_errno();
                        if (r != st.st_size)
                                return -EIO;
                        data = copy_buf;
                } else if (st.st_size > 0) {
                        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
                        if (map == MAP_FAILED)
                                return negative_errno();
                        data = map;
                }
                size_t size = data ? (size_t)st.st_size : 0;
                fault_inject(data, size < 65536 ? size : 65536, node);
                if (m->kind == JOB_CALL) {
                        k = registered_job ? registered_job(ctx, data ? data : "", size, path,
                                                            m->path_len, &call_reply, &call_size)
                                           : -ENOPKG;
                        if (k >= 0)
                                text = call_reply;
                } else
                        k = scan_buffer_into(ctx, node, data ? data : "", size, m->depth);
                if (map)
                        munmap((void *)map, (size_t)st.st_size);
        } else {
                if (fault_switch()) {
                        n = pread(fd, head, sizeof(head), 0);
                        fault_inject(n > 0 ? head : NULL, n > 0 ? (size_t)n : 0, node);
                }
                k = scan_open_file_in_process(ctx, fd, node);
        }
        if (k >= 0 && m->kind != JOB_CALL) {
                o = analysis_result_to_json(node);
                text = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : NULL;
                if (!text)
                        k = -ENOMEM;
        }
        size_t cache_len = 0;
        _cleanup_free_ char *cache = scan_cache_export_take(ctx->cache, &cache_len);
        if (fault_bad_cache) {
                free(cache);
                cache = strdup("[{\"kind\":\"leaf\",\"sha256\":\"not a hash\"}]");
                cache_len = cache ? strlen(cache) : 0;
        }
        struct reply_msg r = {.error = k < 0 ? k : 0,
                              .cpu_ms = cpu_ms(),
                              .json_len = k < 0                 ? 0
                                          : m->kind == JOB_CALL ? call_size
                                                                : strlen(text),
                              .cache_len = k < 0 ? 0 : cache_len};
        /* One write for the header, the JSON and the cache entries, for the same reason as
         * send_job(). */
        const size_t trailing = fault_trailing ? 8 : 0, size = sizeof(r) + r.json_len + r.cache_len;
        _cleanup_free_ char *reply = malloc(size + trailing);
        if (reply) {
                memcpy(reply, &r, sizeof(r));
                memcpy(reply + sizeof(r), text, r.json_len);
                if (r.cache_len)
                        memcpy(reply + sizeof(r) + r.json_len, cache, r.cache_len);
                memcpy(reply + size, "TRAILING", trailing);
                k = loop_write(WORKER_FD_SOCKET, reply, size + trailing);
        } else {
                k = loop_write(WORKER_FD_SOCKET, &r, sizeof(r));
                if (k >= 0 && r.json_len)
                        k = loop_write(WORKER_FD_SOCKET, text, r.json_len);
                if (k >= 0 && r.cache_len)
                        k = loop_write(WORKER_FD_SOCKET, cache, r.cache_len);
        }
        json_object_put(o);
        return k;
}

/* The worker, forked by the zygote (worker-zygote.c), which prepared ctx for a single thread
 * with no cache and no clamd, and left it the standard streams and sock. */
_Noreturn void worker_main(struct analysis_ctx *ctx, int sock, bool tie_to_parent)
{
        if (dup3(sock, WORKER_FD_SOCKET, O_CLOEXEC) < 0)
                _exit(3);
        if (syscall(SYS_close_range, WORKER_FD_SOCKET + 1, ~0U, 0) < 0)
                for (int i = WORKER_FD_SOCKET + 1; i < 1024; i++)
                        (void)close(i);
        /* The memory a job freed is kept for the next one: a worker serves many files, and
         * memory given back to the kernel after each is faulted in again by the next (page
         * faults are dear in a paravirtualized guest). */
        (void)mallopt(M_MMAP_THRESHOLD, WORKER_KEEP_MEMORY);
        (void)mallopt(M_TRIM_THRESHOLD, WORKER_KEEP_MEMORY);
        /* Loaded here, before confinement, when the supervisor left them to its workers (a
         * no-op when the zygote or the supervisor already did). */
        _cleanup_free_ char *why = NULL;
        int loaded = analysis_ctx_load_engines(ctx, &why);
        /* The hello goes before the confinement: the supervisor opens the file and sends the
         * job while this process confines itself, instead of after, on the critical path of
         * `analyze FILE`. Nothing is read from the socket before worker_confine() returns; a
         * confinement that fails ends the worker as it does one of a pool (worker.crashed,
         * "exited with status 4": never a verdict). */
        if (ctx->opts.workers_load_engines) {
                struct hello_msg h = {.error = loaded < 0 ? loaded : 0};
                size_t len = why ? strnlen(why, WORKER_MAX_HELLO) : 0;
                char buf[sizeof(h) + WORKER_MAX_HELLO];
                h.len = (uint32_t)len;
                memcpy(buf, &h, sizeof(h));
                if (len)
                        memcpy(buf + sizeof(h), why, len);
                if (loop_write(WORKER_FD_SOCKET, buf, sizeof(h) + len) < 0)
                        _exit(5);
        }
        if (loaded < 0 || worker_confine(&ctx->opts.limits, tie_to_parent) < 0)
                _exit(4);
        for (;;) {
                /* recv_job() fills it; gcc 12 cannot tell in a release tree (-O2, werror) */
                struct job_msg m = {0};
                size_t got = 0;
                int fd = -1, k = recv_job(WORKER_FD_SOCKET, &m, &got, &fd);
                if (k <= 0)
                        _exit(k == 0 ? 0 : 5);
                k = serve_job(ctx, &m, fd, job_buf + sizeof(m), got);
                close(fd);
                if (k < 0 && k != -ENOMEM)
                        _exit(6);
        }
}

static int worker_start(struct worker *w, struct analysis_ctx *ctx)
{
        pid_t pid = 0;
        int sv[2], k;

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return negative_errno();
        k = worker_spawn(ctx, sv[1], &pid);
        safe_close(sv[1]);
        if (k < 0) {
                safe_close(sv[0]);
                return k;
        }
        w->ctx = ctx;
        w->pid = pid;
        w->sock = sv[0];
        w->jobs = 0;
        w->hello_pending = ctx->opts.workers_load_engines && !ctx->opts.in_process;
        w->pidfd = pidfd_open_child(pid);
        if (w->pidfd < 0) {
                k = negative_errno();
                worker_kill(w);
                return k;
        }
        return 0;
}

/* An idle worker forked with ctx, or a new one. Returns NULL and sets *ret_error on failure. */
static struct worker *worker_get(struct analysis_ctx *ctx, int *ret_error)
{
        struct worker *w = NULL;

        pthread_mutex_lock(&idle_lock);
        for (size_t i = n_idle; i > 0; i--)
                if (idle[i - 1]->ctx == ctx) {
                        w = idle[i - 1];
                        idle[i - 1] = idle[--n_idle];
                        break;
                }
        pthread_mutex_unlock(&idle_lock);
        if (w && w->jobs >= WORKER_MAX_JOBS)
                worker_kill(w);
        graveyard_reap(false);
        if (!w) {
                w = calloc(1, sizeof(*w));
                if (!w) {
                        *ret_error = -ENOMEM;
                        return NULL;
                }
                w->pidfd = w->sock = -1;
        }
        if (w->pid <= 0 && (*ret_error = worker_start(w, ctx)) < 0) {
                free(w);
                return NULL;
        }
        return w;
}

/* Gives w back for the next job, or ends it when it was stopped or too many are idle. */
static void worker_put(struct worker *w)
{
        if (w->pid > 0) {
                pthread_mutex_lock(&idle_lock);
                if (n_idle < WORKER_MAX_IDLE) {
                        idle[n_idle++] = w;
                        w = NULL;
                }
                pthread_mutex_unlock(&idle_lock);
        }
        if (w) {
                worker_kill(w);
                free(w);
        }
}

void worker_pool_prestart(struct analysis_ctx *ctx)
{
        struct worker *w;
        int k;

        w = worker_get(ctx, &k);
        if (w)
                worker_put(w);
}

/* Ends the idle workers of ctx (analysis_ctx_free()). */
void worker_pool_drop(struct analysis_ctx *ctx)
{
        pthread_mutex_lock(&idle_lock);
        for (size_t i = n_idle; i > 0; i--)
                if (idle[i - 1]->ctx == ctx) {
                        struct worker *w = idle[i - 1];
                        idle[i - 1] = idle[--n_idle];
                        worker_kill(w);
                        free(w);
                }
        pthread_mutex_unlock(&idle_lock);
        graveyard_reap(false);
}

/* The header and the path go in one message: written apart, the worker often wakes for the
 * header and sleeps again for the path, two context switches per job instead of one. */
static int send_job(struct worker *w, const struct job_msg *m, const char *path, int fd)
{
        _cleanup_free_ char *buf = malloc(sizeof(*m) + m->path_len);

        if (!buf)
                return -ENOMEM;
        memcpy(buf, m, sizeof(*m));
        memcpy(buf + sizeof(*m), path, m->path_len);
        return send_with_fd(w->sock, buf, sizeof(*m) + m->path_len, fd) < 0 ? -EPIPE : 0;
}

/* Reads at least n and at most max bytes from the worker before deadline_ms (*ret_got says how
 * many, when not NULL). Returns 0, -ETIME past the deadline, -ECHILD when the worker died
 * (reaped into *status), or another negative errno. */
static int recv_upto(struct worker *w, void *buf, size_t n, size_t max, size_t *ret_got,
                     int64_t deadline_ms, int *status, const struct analysis_job_wait *wait)
{
        for (size_t done = 0;;) {
                if (done >= n) {
                        if (ret_got)
                                *ret_got = done;
                        return 0;
                }
                struct pollfd p[2] = {{.fd = w->sock, .events = POLLIN},
                                      {.fd = w->pidfd, .events = POLLIN}};
                int timeout = -1;
                if (deadline_ms > 0) {
                        int64_t left = deadline_ms - now_ms();
                        if (left <= 0)
                                return -ETIME;
                        timeout = left > INT32_MAX ? INT32_MAX : (int)left;
                }
                if (wait && wait->progress && wait->progress_ms &&
                    (timeout < 0 || (unsigned)timeout > wait->progress_ms))
                        timeout = (int)wait->progress_ms;
                int k = poll(p, 2, timeout);
                if (k < 0 && errno != EINTR)
                        return negative_errno();
                if (k == 0 && wait && wait->progress)
                        wait->progress(wait->userdata);
                if (k <= 0)
                        continue;
                if (p[0].revents) {
                        ssize_t got = read(w->sock, (char *)buf + done, max - done);
                        if (got > 0) {
                                done += (size_t)got;
                                continue;
                        }
                        if (got < 0 && (errno == EINTR || errno == EAGAIN))
                                continue;
                }
                /* The socket closed or the worker exited: collect how it ended. */
                (void)kill(w->pid, SIGKILL);
                if (waitpid(w->pid, status, 0) < 0)
                        return negative_errno();
                w->pid = 0;
                return -ECHILD;
        }
}

static int recv_until_progress(struct worker *w, void *buf, size_t n, int64_t deadline_ms,
                               int *status, const struct analysis_job_wait *wait)
{
        return recv_upto(w, buf, n, n, NULL, deadline_ms, status, wait);
}

static int recv_until(struct worker *w, void *buf, size_t n, int64_t deadline_ms, int *status)
{
        return recv_until_progress(w, buf, n, deadline_ms, status, NULL);
}

/* The first read of a reply takes its header and, in the same system call, what follows up to
 * this much: the worker wrote them at once (serve_job()), so a reply of a small file costs the
 * supervisor one poll and one read. */
#define REPLY_FIRST_READ (64u << 10)

/* Reads a job's reply: the header into *r, then the json_len + cache_len bytes that follow into
 * *ret_text as the JSON, a NUL, the cache entries and a NUL (*ret_text is left NULL when the
 * header says the job failed: nothing follows it). Returns 0, -EFBIG for a length beyond
 * WORKER_MAX_JSON, -EBADMSG for bytes the header did not announce, or one of recv_upto()'s. */
static int recv_reply(struct worker *w, struct reply_msg *r, char **ret_text, int64_t deadline,
                      int *status, const struct analysis_job_wait *wait)
{
        _cleanup_free_ char *first = malloc(sizeof(*r) + REPLY_FIRST_READ), *text = NULL;
        size_t got = 0;
        int k;

        if (!first)
                return -ENOMEM;
        k = recv_upto(w, first, sizeof(*r), sizeof(*r) + REPLY_FIRST_READ, &got, deadline, status,
                      wait);
        if (k < 0)
                return k;
        memcpy(r, first, sizeof(*r));
        if (r->json_len > WORKER_MAX_JSON || r->cache_len > WORKER_MAX_JSON)
                return -EFBIG;
        size_t body = r->json_len + r->cache_len, extra = got - sizeof(*r);
        if (extra > body || (r->error < 0 && extra))
                return -EBADMSG;
        if (r->error < 0)
                return 0;
        text = malloc(body + 2);
        if (!text)
                return -ENOMEM;
        size_t in_json = extra < r->json_len ? extra : r->json_len, in_cache = extra - in_json;
        memcpy(text, first + sizeof(*r), in_json);
        memcpy(text + r->json_len + 1, first + sizeof(*r) + in_json, in_cache);
        if (in_json < r->json_len &&
            (k = recv_upto(w, text + in_json, r->json_len - in_json, r->json_len - in_json, NULL,
                           deadline, status, wait)) < 0)
                return k;
        char *cache = text + r->json_len + 1;
        if (in_cache < r->cache_len &&
            (k = recv_upto(w, cache + in_cache, r->cache_len - in_cache, r->cache_len - in_cache,
                           NULL, deadline, status, wait)) < 0)
                return k;
        text[r->json_len] = '\0';
        cache[r->cache_len] = '\0';
        *ret_text = TAKE_PTR(text);
        return 0;
}

/* Reads w's hello_msg when it is still to come (it loads the rules itself: no deadline, its
 * death ends the wait). Returns 0, the negative errno of a load that failed (*ret_why says why,
 * when not NULL), or one of recv_until()'s. */
static int worker_hello(struct worker *w, int *status, char **ret_why)
{
        struct hello_msg h;
        int k;

        if (!w->hello_pending)
                return 0;
        k = recv_until(w, &h, sizeof(h), 0, status);
        if (k < 0)
                return k;
        if (h.len > WORKER_MAX_HELLO || (h.error >= 0 && h.len) || h.error < -4095)
                return -EBADMSG;
        _cleanup_free_ char *why = calloc(1, h.len + 1);
        if (!why)
                return -ENOMEM;
        if (h.len && (k = recv_until(w, why, h.len, 0, status)) < 0)
                return k;
        w->hello_pending = false;
        if (h.error < 0 && ret_why && h.len)
                *ret_why = TAKE_PTR(why);
        return h.error < 0 ? h.error : 0;
}

/* Before a job's reply (when *k, send_job()'s answer, is not an error yet): the hello of a
 * worker that loads the rules itself, its answer in *k. True when that is a load that failed:
 * the worker is killed and the caller returns *k, an error rather than a verdict; a worker
 * that died or sent nonsense is judged like any other failure of the job. */
static bool job_hello_failed(struct worker *w, int *k, int *status)
{
        if (*k < 0 || !w->hello_pending)
                return false;
        *k = worker_hello(w, status, NULL);
        if (*k < 0 && *k != -ECHILD && *k != -EBADMSG && *k != -ENOMEM) {
                worker_kill(w);
                return true;
        }
        return false;
}

static int judge_failure(struct analysis_result *node, int k, int status)
{
        if (k == -ETIME)
                return analysis_result_set_unscannable(
                        node, "time", "the parser did not finish before the deadline: killed");
        if (k == -ECHILD)
                return set_crashed(node, status);
        if (k == -EBADMSG || k == -EFBIG) {
                log_debug("worker for %s failed: %s", node->path, strerror(-k));
                return analysis_result_set_unscannable(node, "worker",
                                                       "the confined parser gave no result");
        }
        return k;
}

static int worker_job_run(struct worker *w, struct analysis_ctx *ctx, struct analysis_result *node,
                          uint32_t kind, int fd, unsigned depth)
{
        unsigned timeout = ctx->opts.limits.timeout_sec;
        int64_t deadline = 0;
        struct job_msg m = {.kind = kind, .depth = depth};
        struct reply_msg r;
        int k, status = 0;

        size_t len = strlen(node->path);
        m.path_len = len > JOB_MAX_ARGS ? JOB_MAX_ARGS : (uint32_t)len;
        w->jobs++;
        k = send_job(w, &m, node->path, fd);
        /* A worker that loads the rules itself starts the job once it has: the deadline is
         * the job's, not the load's. */
        if (job_hello_failed(w, &k, &status))
                return k; /* the rules cannot be loaded any more */
        if (timeout)
                deadline = now_ms() + (int64_t)timeout * 1000 + WORKER_GRACE_MS;
        _cleanup_free_ char *text = NULL;
        if (k >= 0)
                k = recv_reply(w, &r, &text, deadline, &status, NULL);
        if (k == -EPIPE) { /* died before it read the job: no reply is believed */
                k = recv_until(w, &r, sizeof(r), deadline, &status);
                if (k >= 0)
                        k = -EBADMSG;
        }
        if (k < 0) {
                worker_kill(w);
                return judge_failure(node, k, status);
        }
        if (r.error < 0) {
                if (r.json_len || r.cache_len) /* a failed job has nothing to follow */
                        worker_kill(w);
                return r.error;
        }
        char *cache = text + r.json_len + 1;
        if (timeout && r.cpu_ms > (timeout + 2) * 1000 * WORKER_CPU_FACTOR / 2)
                worker_kill(w);
        struct json_object *o = json_tokener_parse(text);
        k = o ? worker_result_from_json(o, node) : -EBADMSG;
        json_object_put(o);
        /* Entries that do not check out discredit the whole reply: the worker is replaced
         * and the file is unscannable, as for a result that is not one. */
        if (k >= 0 && r.cache_len)
                k = scan_cache_ingest(ctx->cache, cache, r.cache_len);
        if (k == -EBADMSG) {
                worker_kill(w);
                return judge_failure(node, k, 0);
        }
        return k;
}

static int worker_run(struct analysis_ctx *ctx, struct analysis_result *node, uint32_t kind, int fd,
                      unsigned depth)
{
        struct worker *w;
        int k;

        w = worker_get(ctx, &k);
        if (!w)
                return k;
        k = worker_job_run(w, ctx, node, kind, fd, depth);
        worker_put(w);
        return k;
}

/* clamd reads the bytes, it does not parse them here: the supervisor may stream them. */
static int clamd_fd(struct analysis_ctx *ctx, int fd, struct analysis_result *node)
{
        const uint64_t max = ctx->opts.limits.max_file_size;
        struct stat st;
        int k;

        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (max && (uint64_t)st.st_size > max))
                return 0;
        if (st.st_size == 0)
                return scan_clamd(ctx, node, "", 0);
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED)
                return negative_errno();
        k = scan_clamd(ctx, node, map, (size_t)st.st_size);
        munmap(map, (size_t)st.st_size);
        return k;
}

int analysis_clamd_scan_node(struct analysis_ctx *ctx, struct analysis_result *node,
                             const void *data, size_t size)
{
        return ctx->clamd_address ? scan_clamd(ctx, node, data, size) : 0;
}

int worker_scan_fd(struct analysis_ctx *ctx, int fd, struct analysis_result *node)
{
        int k = worker_run(ctx, node, JOB_FD, fd, 0);

        if (k >= 0 && ctx->clamd_address)
                k = clamd_fd(ctx, fd, node);
        return k;
}

int worker_scan_data(struct analysis_ctx *ctx, struct analysis_result *node, const void *data,
                     size_t size, unsigned depth)
{
        _cleanup_close_ int fd = memfd_create("airlock-part", MFD_CLOEXEC | MFD_ALLOW_SEALING);

        if (fd < 0)
                return negative_errno();
        if (size > 0 && loop_write(fd, data, size) < 0)
                return negative_errno();
        (void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
        int k = worker_run(ctx, node, JOB_DATA, fd, depth);
        /* the worker had the node without its parents: see heuristics_placement() */
        if (k >= 0 && depth > 0 && node->parent)
                k = heuristics_placement(node, depth);
        if (k >= 0 && depth == 0 && ctx->clamd_address)
                k = scan_clamd(ctx, node, data, size);
        return k;
}

int analysis_worker_job_run(struct analysis_ctx *ctx, const void *data, size_t size,
                            const void *args, size_t args_size,
                            const struct analysis_job_wait *wait, struct analysis_result *failed,
                            char **ret_reply, size_t *ret_size)
{
        int64_t deadline = wait && wait->timeout_ms ? now_ms() + wait->timeout_ms : 0;
        struct job_msg m = {.kind = JOB_CALL};
        _cleanup_close_ int fd = -1;
        struct reply_msg r;
        struct worker *w;
        int k, status = 0;

        if (ctx->opts.in_process || !registered_job)
                return -EOPNOTSUPP;
        if (args_size > JOB_MAX_ARGS)
                return -E2BIG;
        fd = memfd_create("airlock-message", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return negative_errno();
        if (size > 0 && loop_write(fd, data, size) < 0)
                return negative_errno();
        (void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);

        w = worker_get(ctx, &k);
        if (!w)
                return k;
        m.path_len = (uint32_t)args_size;
        w->jobs++;
        k = send_job(w, &m, args, fd);
        if (job_hello_failed(w, &k, &status)) {
                free(w);
                return k;
        }
        _cleanup_free_ char *reply = NULL;
        if (k >= 0)
                k = recv_reply(w, &r, &reply, deadline, &status, wait);
        if (k >= 0 && r.cache_len) /* a message's job shares no cache entries */
                k = -EBADMSG;
        if (k == -EPIPE) { /* died before it read the job: no reply is believed */
                k = recv_until(w, &r, sizeof(r), deadline, &status);
                if (k >= 0)
                        k = -EBADMSG;
        }
        if (k >= 0 && r.error < 0 && !r.json_len) {
                /* the job failed without dying: ENOMEM, or a message it could not read */
                worker_put(w);
                return r.error;
        }
        if (k >= 0 && r.error < 0) /* a failed job has nothing to follow */
                k = -EBADMSG;
        if (k < 0) {
                worker_kill(w);
                free(w);
                if (k == -ENOMEM)
                        return k;
                k = judge_failure(failed, k, status);
                return k < 0 ? k : 1;
        }
        if (ctx->opts.limits.timeout_sec &&
            r.cpu_ms > (ctx->opts.limits.timeout_sec + 2) * 1000 * WORKER_CPU_FACTOR / 2)
                worker_kill(w);
        worker_put(w);
        reply[r.json_len] = '\0';
        *ret_size = r.json_len;
        *ret_reply = TAKE_PTR(reply);
        return 0;
}

int analysis_ctx_prepare(struct analysis_ctx *ctx, char **ret_error)
{
        struct worker *w;
        int k, status = 0;

        if (ctx->opts.in_process || !ctx->opts.workers_load_engines)
                return 0;
        w = worker_get(ctx, &k);
        if (!w)
                return k;
        k = worker_hello(w, &status, ret_error);
        if (k < 0) {
                worker_kill(w);
                free(w);
                return k == -ECHILD || k == -EBADMSG ? -ECHILD : k;
        }
        worker_put(w);
        return 0;
}
