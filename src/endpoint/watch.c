/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>

#include <json-c/json.h>

#include "analysis/detonate.h"
#include "analysis/quarantine.h"
#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/strv.h"
#include "endpoint/endpoint.h"
#include "endpoint/watch.h"
#include "policy/profile-directives.h"

/* Events kept in memory before the watcher gives up on them and lists the folders again
 * instead: a flood costs a rescan, never a lost file. */
#define WATCH_QUEUE_MAX 65536

/* Subfolders watched in all, past which a warning says that deeper ones are not. */
#define WATCH_MAX_FOLDERS 8192

/* IN_CREATE and IN_MOVED_FROM only matter for folders: a subfolder made, or moved away. */
#define WATCH_MASK                                                                   \
        (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE_SELF | \
         IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)

/* A folder named on the command line, or a subfolder of one (up to max_depth below it). A
 * subfolder removed or moved away stays in the array, gone, so that indexes hold. */
struct folder {
        char *path;
        int dfd;
        int wd;
        char *release; /* gate folders only */
        int release_dfd;
        size_t parent;  /* subfolders: the folder it is in */
        char *name;     /* subfolders: its name there */
        unsigned depth; /* 0: named on the command line */
        bool gone;
        dev_t dev;
        ino_t ino;
};

struct pending {
        size_t folder;
        char *name;
};

struct watcher {
        struct analysis_options opts;
        struct analysis_ctx *ctx;
        struct quarantine *q;
        struct folder *folders;
        size_t n_folders, cap_folders;
        unsigned max_depth;
        bool warned_folders;
        dev_t quarantine_dev;
        ino_t quarantine_ino;
        int ifd;
        struct pending *queue;
        size_t head, tail, cap;
        bool rescan;
        bool json;
        bool detonate;
        struct detonate_options det;
        int log_fd;
        bool warned_xattr;
        struct watch_stats stats;
};

/* ---- log lines ---- */

struct event {
        const char *action; /* "clean", "quarantined", "released", "held", "error" */
        const char *path;
        const char *dest; /* released: the new path */
        const struct analysis_result *r;
        int64_t quarantine_id;
        const char *note;
};

static void append_list(FILE *f, const char *label, char **v)
{
        if (!v)
                return;
        fprintf(f, "; %s: ", label);
        for (char **p = v; *p; p++)
                fprintf(f, "%s%s", p == v ? "" : ",", *p);
}

static struct json_object *strv_json(char **v)
{
        struct json_object *a = json_object_new_array();

        for (char **p = v; p && *p; p++)
                json_object_array_add(a, json_object_new_string(*p));
        return a;
}

static char *event_json(const struct event *e, char **rules, char **attack)
{
        struct json_object *o = json_object_new_object();
        struct timespec ts;
        char when[40];
        struct tm tm;
        char *line;

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_object_object_add(o, "time", json_object_new_string(when));
        json_object_object_add(o, "event", json_object_new_string(e->action));
        json_object_object_add(o, "path", json_object_new_string(e->path));
        if (e->dest)
                json_object_object_add(o, "released_to", json_object_new_string(e->dest));
        if (e->r) {
                json_object_object_add(
                        o, "verdict",
                        json_object_new_string(analysis_verdict_to_string(e->r->verdict)));
                json_object_object_add(o, "score", json_object_new_int((int)e->r->score));
                if (e->r->sha256)
                        json_object_object_add(o, "sha256", json_object_new_string(e->r->sha256));
                if (e->r->type)
                        json_object_object_add(o, "type", json_object_new_string(e->r->type));
                json_object_object_add(o, "rules", strv_json(rules));
                json_object_object_add(o, "attack", strv_json(attack));
        }
        if (e->quarantine_id > 0)
                json_object_object_add(o, "quarantine_id", json_object_new_int64(e->quarantine_id));
        if (e->note)
                json_object_object_add(o, "note", json_object_new_string(e->note));
        if (asprintf(&line, "%s\n",
                     json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                               JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
                line = NULL;
        json_object_put(o);
        return line;
}

static char *event_text(const struct event *e, char **rules, char **attack)
{
        char *line = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&line, &len);

        if (!f)
                return NULL;
        fprintf(f, "%s ", e->action);
        endpoint_print_escaped(f, e->path);
        if (e->r)
                fprintf(f, ": %s (score %u)", analysis_verdict_to_string(e->r->verdict),
                        e->r->score);
        append_list(f, "rules", rules);
        append_list(f, "ATT&CK", attack);
        if (e->dest) {
                fputs(" -> ", f);
                endpoint_print_escaped(f, e->dest);
        }
        if (e->quarantine_id > 0)
                fprintf(f, "; quarantine id %" PRId64, e->quarantine_id);
        if (e->note)
                fprintf(f, " (%s)", e->note);
        fputc('\n', f);
        fclose(f);
        return line;
}

/* One event, one write(): lines of concurrent watchers sharing a log file never mix. */
static void log_event(struct watcher *w, const struct event *e)
{
        _cleanup_strv_free_ char **rules = NULL, **attack = NULL;
        _cleanup_free_ char *line = NULL;

        if (e->r && endpoint_collect_findings(e->r, &rules, &attack) < 0)
                return;
        line = w->json ? event_json(e, rules, attack) : event_text(e, rules, attack);
        if (!line)
                return;
        (void)loop_write(w->log_fd, line, strlen(line));
}

/* ---- the queue of names to judge ---- */

/* Events are bounded (bounded: past WATCH_QUEUE_MAX the folders are listed again instead);
 * the listing itself is not, or a folder larger than the bound would be listed forever. */
static int queue_push(struct watcher *w, size_t folder, const char *name, bool bounded)
{
        size_t used = w->tail - w->head;
        char *copy;

        if (bounded && used >= WATCH_QUEUE_MAX) {
                w->rescan = true;
                return 0;
        }
        if (w->tail == w->cap) {
                if (w->head > 0) {
                        memmove(w->queue, w->queue + w->head, used * sizeof(*w->queue));
                        w->head = 0;
                        w->tail = used;
                } else {
                        size_t cap = w->cap ? 2 * w->cap : 64;
                        struct pending *q = realloc(w->queue, cap * sizeof(*q));
                        if (!q)
                                return -ENOMEM;
                        w->queue = q;
                        w->cap = cap;
                }
        }
        copy = strdup(name);
        if (!copy)
                return -ENOMEM;
        w->queue[w->tail++] = (struct pending){.folder = folder, .name = copy};
        return 0;
}

static bool queue_pop(struct watcher *w, struct pending *ret)
{
        if (w->head == w->tail)
                return false;
        *ret = w->queue[w->head++];
        if (w->head == w->tail)
                w->head = w->tail = 0;
        return true;
}

static void queue_clear(struct watcher *w)
{
        struct pending p;

        while (queue_pop(w, &p))
                free(p.name);
}

static int add_subfolder(struct watcher *w, size_t i, const char *name);

/* Queues every entry of a folder (judge() skips what is not a finished regular file), and
 * adds its subfolders, each listed in turn. */
static int queue_folder(struct watcher *w, size_t i)
{
        int fd;
        DIR *d;
        struct dirent *de;
        int k = 0;

        if (w->folders[i].gone)
                return 0;
        fd = openat(w->folders[i].dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(negative_errno(), "watch: cannot list %s: %m",
                                       w->folders[i].path);
        d = fdopendir(fd);
        if (!d) {
                safe_close(fd);
                return -ENOMEM;
        }
        while ((de = readdir(d))) {
                unsigned char type = de->d_type;
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (type == DT_UNKNOWN &&
                    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
                        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : 0;
                if (type == DT_DIR)
                        k = add_subfolder(w, i, de->d_name);
                else if (type == DT_REG || type == DT_UNKNOWN)
                        k = queue_push(w, i, de->d_name, false);
                if (k < 0)
                        break;
        }
        closedir(d);
        return k;
}

/* ---- judging ---- */

static char *join_path(const char *dir, const char *name)
{
        char *p;

        return asprintf(&p, "%s/%s", dir, name) < 0 ? NULL : p;
}

/* Whether the name still refers to the inode judged: only that file may be moved. */
static bool same_file(int dfd, const char *name, const struct stat *judged)
{
        struct stat now;

        return fstatat(dfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 && now.st_dev == judged->st_dev &&
               now.st_ino == judged->st_ino;
}

/* Judges the open file fd, called name; with --detonate a program, script or web page that
 * looks clean is also run in the traced sandbox (what runs is checked to be what was hashed). */
static int scan(struct watcher *w, int fd, const char *name, struct analysis_result **ret)
{
        int k;

        if (lseek(fd, 0, SEEK_SET) < 0)
                return negative_errno();
        k = analysis_scan_fd(w->ctx, fd, name, ret);
        w->det.ctx = w->ctx; /* judges what a page hands over; replaced on a reload */
        if (k >= 0 && w->detonate && (*ret)->verdict == ANALYSIS_CLEAN &&
            analysis_detonate_fd(*ret, fd, &w->det) < 0)
                log_warning("watch: cannot detonate %s", name);
        return k;
}

static void count_verdict(struct watcher *w, const struct analysis_result *r)
{
        w->stats.judged++;
        w->stats.worst = analysis_verdict_worst(w->stats.worst, r->verdict);
}

static int move_to_quarantine(struct watcher *w, struct folder *f, const char *name,
                              const struct stat *st, const struct analysis_result *r)
{
        _cleanup_free_ char *path = join_path(f->path, name);
        int64_t id = 0;
        int k;

        if (!path)
                return -ENOMEM;
        if (!same_file(f->dfd, name, st)) {
                /* Replaced while it was judged: the new file brings its own event. */
                log_debug("watch: %s changed while judged", path);
                return 0;
        }
        k = quarantine_add_at(w->q, f->dfd, name, path, r, &id);
        if (k < 0) {
                w->stats.errors++;
                w->stats.held++;
                log_error_errno(k, "watch: cannot quarantine %s: %m", path);
                log_event(w, &(struct event){.action = "held",
                                             .path = path,
                                             .r = r,
                                             .note = "could not be quarantined"});
                return k;
        }
        w->stats.quarantined++;
        log_event(w, &(struct event){
                             .action = "quarantined", .path = path, .r = r, .quarantine_id = id});
        return 0;
}

static void mark(struct watcher *w, int fd, const char *path, const struct analysis_result *r)
{
        int k = endpoint_mark(fd, r->verdict, r->sha256);

        if (k >= 0)
                return;
        /* Without a mark the file is judged again after a restart: slower, never unsafe. */
        if (!w->warned_xattr)
                log_warning_errno(k,
                                  "watch: cannot mark %s (%m): files will be judged again "
                                  "after a restart",
                                  path);
        w->warned_xattr = true;
}

static int judge_in_place(struct watcher *w, struct folder *f, const char *name, int fd,
                          const struct stat *st)
{
        _cleanup_(analysis_result_freep) struct analysis_result *r = NULL;
        _cleanup_free_ char *path = join_path(f->path, name);
        int k;

        if (!path)
                return -ENOMEM;
        if (endpoint_has_valid_mark(fd))
                return 0;
        k = scan(w, fd, name, &r);
        if (k < 0) {
                w->stats.errors++;
                return log_error_errno(k, "watch: cannot judge %s: %m", path);
        }
        count_verdict(w, r);
        if (r->verdict != ANALYSIS_CLEAN)
                return move_to_quarantine(w, f, name, st, r);
        mark(w, fd, path, r);
        w->stats.clean++;
        log_event(w, &(struct event){.action = "clean", .path = path, .r = r});
        return 0;
}

static int copy_fd(int src, int dst)
{
        char buf[65536];
        ssize_t n;

        for (;;) {
                n = copy_file_range(src, NULL, dst, NULL, 1 << 30, 0);
                if (n == 0)
                        return 0;
                if (n < 0)
                        break;
        }
        if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)
                return negative_errno();
        /* Nothing was copied when copy_file_range refuses at once. */
        while ((n = loop_read(src, buf, sizeof(buf))) > 0)
                if (loop_write(dst, buf, (size_t)n) < 0)
                        return negative_errno();
        return n < 0 ? (int)n : 0;
}

/* A private, unnamed copy in the release folder: what is judged is what is released, even if
 * the downloader still holds the original open for writing. */
static int make_copy(struct folder *f, int src, const struct stat *st, char **ret_tmpname)
{
        _cleanup_close_ int fd = openat(f->release_dfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        _cleanup_free_ char *tmpname = NULL;
        static unsigned counter;
        int k;

        if (fd < 0) {
                if (asprintf(&tmpname, ".airlock-gate.%d.%u", getpid(), counter++) < 0)
                        return -ENOMEM;
                fd = openat(f->release_dfd, tmpname, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
                if (fd < 0)
                        return negative_errno();
        }
        k = copy_fd(src, fd);
        if (k >= 0 && geteuid() == 0)
                if (fchown(fd, st->st_uid, st->st_gid) < 0)
                        log_debug_errno(negative_errno(), "watch: cannot keep the owner: %m");
        if (k >= 0 && fchmod(fd, st->st_mode & 0666) < 0)
                k = negative_errno();
        if (k >= 0)
                k = futimens(fd, (struct timespec[2]){st->st_atim, st->st_mtim}) < 0
                            ? negative_errno()
                            : 0;
        if (k < 0) {
                if (tmpname)
                        (void)unlinkat(f->release_dfd, tmpname, 0);
                return k;
        }
        *ret_tmpname = TAKE_PTR(tmpname);
        return TAKE_FD(fd);
}

/* "name", then "stem (1).ext", "stem (2).ext"... as browsers do: a release never replaces a
 * file. */
static int candidate_name(const char *name, unsigned n, char **ret)
{
        const char *dot = strrchr(name, '.');

        if (n == 0)
                return (*ret = strdup(name)) ? 0 : -ENOMEM;
        if (!dot || dot == name)
                dot = name + strlen(name);
        return asprintf(ret, "%.*s (%u)%s", (int)(dot - name), name, n, dot) < 0 ? -ENOMEM : 0;
}

static int publish(struct folder *f, int fd, const char *tmpname, const char *name,
                   char **ret_final)
{
        char proc[64];

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        for (unsigned n = 0; n < 1000; n++) {
                _cleanup_free_ char *cand = NULL;
                int k = candidate_name(name, n, &cand);

                if (k < 0)
                        return k;
                if (tmpname)
                        k = renameat2(f->release_dfd, tmpname, f->release_dfd, cand,
                                      RENAME_NOREPLACE);
                else
                        k = linkat(AT_FDCWD, proc, f->release_dfd, cand, AT_SYMLINK_FOLLOW);
                if (k == 0) {
                        *ret_final = TAKE_PTR(cand);
                        return 0;
                }
                if (errno != EEXIST)
                        return negative_errno();
        }
        return -EEXIST;
}

static int judge_gate(struct watcher *w, struct folder *f, const char *name, int src,
                      const struct stat *st)
{
        _cleanup_(analysis_result_freep) struct analysis_result *r = NULL;
        _cleanup_free_ char *path = join_path(f->path, name), *tmpname = NULL, *final = NULL,
                            *dest = NULL;
        _cleanup_close_ int fd = -1;
        int k;

        if (!path)
                return -ENOMEM;
        fd = make_copy(f, src, st, &tmpname);
        if (fd < 0) {
                w->stats.errors++;
                return log_error_errno(fd, "watch: cannot copy %s to %s: %m", path, f->release);
        }
        k = scan(w, fd, name, &r);
        if (k < 0 || r->verdict != ANALYSIS_CLEAN) {
                if (tmpname)
                        (void)unlinkat(f->release_dfd, tmpname, 0);
                if (k < 0) {
                        w->stats.errors++;
                        return log_error_errno(k, "watch: cannot judge %s: %m", path);
                }
                count_verdict(w, r);
                return move_to_quarantine(w, f, name, st, r);
        }
        count_verdict(w, r);
        mark(w, fd, path, r);
        k = publish(f, fd, tmpname, name, &final);
        if (k < 0) {
                if (tmpname)
                        (void)unlinkat(f->release_dfd, tmpname, 0);
                w->stats.errors++;
                return log_error_errno(k, "watch: cannot release %s into %s: %m", path, f->release);
        }
        if (same_file(f->dfd, name, st))
                (void)unlinkat(f->dfd, name, 0);
        dest = join_path(f->release, final);
        w->stats.clean++;
        w->stats.released++;
        log_event(w, &(struct event){.action = "released", .path = path, .dest = dest, .r = r});
        return 0;
}

static int judge(struct watcher *w, size_t i, const char *name)
{
        struct folder *f = &w->folders[i];
        _cleanup_close_ int fd = -1;
        struct stat st;

        if (f->gone || endpoint_is_partial_name(name))
                return 0;
        fd = openat(f->dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
                if (errno == ENOENT || errno == ELOOP || errno == ENXIO)
                        return 0; /* gone, a symlink, a socket: nothing downloaded */
                w->stats.errors++;
                return log_error_errno(negative_errno(), "watch: cannot open %s/%s: %m", f->path,
                                       name);
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return 0;
        if (!f->release)
                return judge_in_place(w, f, name, fd, &st);
        /* Firefox reserves the final name with an empty file before the download starts. */
        if (st.st_size == 0)
                return 0;
        return judge_gate(w, f, name, fd, &st);
}

static void judge_pending(struct watcher *w)
{
        struct pending p;

        if (!queue_pop(w, &p))
                return;
        (void)judge(w, p.folder, p.name);
        free(p.name);
}

/* ---- set-up ---- */

/* Opens a watched folder, a gate or a release folder. These lie in download folders, which
 * sandboxes write (a browser's gate is its Downloads): a link planted there is refused, never
 * followed (chase.h). With create, a missing folder is made, beneath its opened parent.
 * Returns 0 with the fd and the canonical path, or a negative errno after logging. */
static int open_folder(const char *path, bool create, int *ret_fd, char **ret_path)
{
        _cleanup_strv_free_ char **untrusted = NULL;
        _cleanup_free_ char *abs = NULL, *real = NULL;
        int fd, k;

        if (path_absolute(path, &abs) < 0 || profile_untrusted_folders(NULL, &untrusted) < 0)
                return log_error_errno(-ENOMEM, "watch: %m");
        fd = chase(abs, untrusted, O_RDONLY | O_DIRECTORY, &real, NULL);
        if (fd == -ENOENT && create) {
                _cleanup_free_ char *pabs = NULL;
                _cleanup_close_ int pfd = -1;
                const char *name;

                pfd = chase_folder_of(abs, untrusted, &pabs, &name, NULL);
                if (pfd >= 0 && mkdirat(pfd, name, 0700) < 0 && errno != EEXIST)
                        return log_error_errno(negative_errno(), "watch: cannot create %s: %m",
                                               path);
                fd = chase(abs, untrusted, O_RDONLY | O_DIRECTORY, &real, NULL);
        }
        if (fd == -ELOOP && real)
                return log_error_errno(fd,
                                       "watch: cannot open %s: %s is a symbolic link in a folder "
                                       "that sandboxes can write; airlock does not follow it",
                                       path, real);
        if (fd < 0)
                return log_error_errno(fd, "watch: cannot open folder %s: %m", path);
        k = 0;
        *ret_fd = fd;
        *ret_path = TAKE_PTR(real);
        return k;
}

static int add_folder(struct watcher *w, const char *path, const char *release)
{
        struct folder *f = &w->folders[w->n_folders];
        struct stat st;
        int k;

        *f = (struct folder){.dfd = -1, .wd = -1, .release_dfd = -1};
        w->n_folders++;
        /* Absolute, canonical paths in the log and the quarantine index. */
        k = open_folder(path, release != NULL, &f->dfd, &f->path);
        if (k < 0)
                return k;
        if (fstat(f->dfd, &st) < 0)
                return log_error_errno(negative_errno(), "watch: %s: %m", path);
        f->dev = st.st_dev;
        f->ino = st.st_ino;
        if (release) {
                struct stat a, b;
                k = open_folder(release, true, &f->release_dfd, &f->release);
                if (k < 0)
                        return k;
                if (fstat(f->dfd, &a) == 0 && fstat(f->release_dfd, &b) == 0 &&
                    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
                        return log_error_errno(-EINVAL,
                                               "watch: the gate %s cannot be its own "
                                               "release folder",
                                               path);
        }
        return 0;
}

static int open_quarantine(const char *dir, bool make_parents, struct quarantine **ret)
{
        _cleanup_free_ char *copy = strdup(dir);
        int k;

        if (!copy)
                return -ENOMEM;
        /* mkdir -p for the parents of the default store (~/.local/share/airlock); a store the
         * user named must have its folder already (a typo makes no tree of folders). */
        for (char *s = copy + 1; make_parents && (s = strchr(s, '/')); s++) {
                *s = 0;
                if (mkdir(copy, 0700) < 0 && errno != EEXIST)
                        break;
                *s = '/';
        }
        k = quarantine_open(dir, ret);
        if (k < 0)
                return log_error_errno(k, "watch: cannot open the quarantine %s: %m", dir);
        return 0;
}

int watcher_new(const struct watch_config *cfg, struct watcher **ret)
{
        _cleanup_(watcher_freep) struct watcher *w = calloc(1, sizeof(*w));
        _cleanup_free_ char *error = NULL;
        size_t n = strv_length(cfg->dirs) + strv_length(cfg->gates);
        int k;

        if (!w)
                return log_error_errno(-ENOMEM, "watch: %m");
        w->ifd = -1;
        w->opts = cfg->opts;
        w->opts.no_shared_cache = true; /* a daemon: see analysis.h */
        w->json = cfg->json;
        w->detonate = cfg->detonate;
        w->det.timeout_sec = cfg->detonate_timeout;
        w->log_fd = cfg->log_fd;
        w->max_depth = cfg->max_depth;
        w->cap_folders = n + 1;
        w->folders = calloc(n + 1, sizeof(*w->folders));
        if (!w->folders)
                return log_error_errno(-ENOMEM, "watch: %m");
        for (char **d = cfg->dirs; d && *d; d++)
                if ((k = add_folder(w, *d, NULL)) < 0)
                        return k;
        for (size_t i = 0; cfg->gates && cfg->gates[i]; i++)
                if ((k = add_folder(w, cfg->gates[i], cfg->releases[i])) < 0)
                        return k;
        k = open_quarantine(cfg->quarantine, cfg->quarantine_make_parents, &w->q);
        if (k < 0)
                return k;
        /* The store may lie inside a watched folder: its objects are never judged. */
        struct stat st;
        if (stat(cfg->quarantine, &st) == 0) {
                w->quarantine_dev = st.st_dev;
                w->quarantine_ino = st.st_ino;
        }
        k = analysis_ctx_new(&w->opts, &w->ctx, &error);
        if (k < 0)
                return log_error_errno(k, "watch: %s", error ? error : "cannot load rules: %m");
        (void)analysis_ctx_start_workers(w->ctx);
        *ret = TAKE_PTR(w);
        return 0;
}

struct watcher *watcher_free(struct watcher *w)
{
        if (!w)
                return NULL;
        queue_clear(w);
        free(w->queue);
        for (size_t i = 0; i < w->n_folders; i++) {
                free(w->folders[i].path);
                free(w->folders[i].name);
                free(w->folders[i].release);
                safe_close(w->folders[i].dfd);
                safe_close(w->folders[i].release_dfd);
        }
        free(w->folders);
        safe_close(w->ifd);
        if (w->q)
                quarantine_close(w->q);
        if (w->ctx)
                analysis_ctx_free(w->ctx);
        free(w);
        return NULL;
}

const struct watch_stats *watcher_stats(const struct watcher *w)
{
        return &w->stats;
}

int watcher_run_once(struct watcher *w)
{
        size_t n = w->n_folders;
        int k;

        /* The folders named: each lists its subfolders as it finds them. */
        for (size_t i = 0; i < n; i++)
                if ((k = queue_folder(w, i)) < 0)
                        return k;
        while (w->head != w->tail)
                judge_pending(w);
        return 0;
}

/* ---- the event loop ---- */

/* Through /proc: the folder we opened, even if its path was replaced meanwhile. */
static int watch_folder(struct watcher *w, size_t i)
{
        struct folder *f = &w->folders[i];
        char proc[64];

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->dfd);
        f->wd = inotify_add_watch(w->ifd, proc, WATCH_MASK);
        if (f->wd < 0 && f->depth == 0)
                f->wd = inotify_add_watch(w->ifd, f->path, WATCH_MASK);
        if (f->wd < 0)
                return log_error_errno(negative_errno(),
                                       "watch: cannot watch %s: %m (see "
                                       "/proc/sys/fs/inotify/max_user_watches)",
                                       f->path);
        return 0;
}

static int add_watches(struct watcher *w)
{
        int k;

        w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (w->ifd < 0)
                return log_error_errno(negative_errno(), "watch: inotify: %m");
        for (size_t i = 0; i < w->n_folders; i++)
                if ((k = watch_folder(w, i)) < 0)
                        return k;
        return 0;
}

/* Whether a folder found inside a watched one is left alone: already watched (a bind mount
 * or a loop), the quarantine store, or a gate's release folder. */
static bool skip_folder(const struct watcher *w, const struct stat *st)
{
        if (st->st_dev == w->quarantine_dev && st->st_ino == w->quarantine_ino)
                return true;
        for (size_t i = 0; i < w->n_folders; i++) {
                const struct folder *f = &w->folders[i];
                struct stat r;
                if (!f->gone && f->dev == st->st_dev && f->ino == st->st_ino)
                        return true;
                if (f->release_dfd >= 0 && fstat(f->release_dfd, &r) == 0 &&
                    r.st_dev == st->st_dev && r.st_ino == st->st_ino)
                        return true;
        }
        return false;
}

/* Adds the subfolder name of folder i to the watched ones (watched at once when the watcher
 * runs), then lists it: what was put in it before the watch was in place is judged too.
 * Gates have no subfolders: only their own files are released. */
static int add_subfolder(struct watcher *w, size_t i, const char *name)
{
        _cleanup_free_ char *path = NULL, *copy = NULL;
        _cleanup_close_ int fd = -1;
        size_t n = w->n_folders;
        struct stat st;

        if (w->folders[i].release || w->folders[i].depth >= w->max_depth)
                return 0;
        fd = openat(w->folders[i].dfd, name,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
                if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
                        log_warning_errno(negative_errno(), "watch: cannot open %s/%s: %m",
                                          w->folders[i].path, name);
                return 0;
        }
        if (fstat(fd, &st) < 0 || skip_folder(w, &st))
                return 0;
        if (n >= WATCH_MAX_FOLDERS) {
                if (!w->warned_folders)
                        log_warning("watch: more than %d folders: %s/%s and further "
                                    "subfolders are not watched",
                                    WATCH_MAX_FOLDERS, w->folders[i].path, name);
                w->warned_folders = true;
                return 0;
        }
        path = join_path(w->folders[i].path, name);
        copy = strdup(name);
        if (!path || !copy)
                return -ENOMEM;
        if (n == w->cap_folders) {
                size_t cap = 2 * w->cap_folders;
                struct folder *f = reallocarray(w->folders, cap, sizeof(*f));
                if (!f)
                        return -ENOMEM;
                w->folders = f;
                w->cap_folders = cap;
        }
        w->folders[n] = (struct folder){.path = TAKE_PTR(path),
                                        .dfd = TAKE_FD(fd),
                                        .wd = -1,
                                        .release_dfd = -1,
                                        .parent = i,
                                        .name = TAKE_PTR(copy),
                                        .depth = w->folders[i].depth + 1,
                                        .dev = st.st_dev,
                                        .ino = st.st_ino};
        w->n_folders++;
        log_debug("watch: watching the subfolder %s", w->folders[n].path);
        /* Without a watch (max_user_watches) the folder is still judged now, not live. */
        if (w->ifd >= 0)
                (void)watch_folder(w, n);
        return queue_folder(w, n);
}

/* A subfolder removed or moved away: it and every folder below it are no longer watched
 * (their paths are no longer theirs; a folder moved within the tree is added anew). */
static void drop_subfolder(struct watcher *w, size_t i)
{
        for (size_t j = 0; j < w->n_folders; j++) {
                size_t a = j;
                struct folder *f = &w->folders[j];

                while (a != i && w->folders[a].depth > 0)
                        a = w->folders[a].parent;
                if (a != i || f->gone)
                        continue;
                if (f->wd >= 0)
                        (void)inotify_rm_watch(w->ifd, f->wd);
                f->wd = -1;
                f->gone = true;
                f->dfd = safe_close(f->dfd);
                log_debug("watch: %s is no longer watched", f->path);
        }
}

static void on_event(struct watcher *w, const struct inotify_event *ev)
{
        if (ev->mask & IN_Q_OVERFLOW) {
                log_warning("watch: the kernel's event queue overflowed: listing the folders "
                            "again");
                w->rescan = true;
                return;
        }
        for (size_t i = 0; i < w->n_folders; i++) {
                struct folder *f = &w->folders[i];

                if (f->gone || f->wd != ev->wd)
                        continue;
                if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
                        /* A subfolder's move is seen in its parent (IN_MOVED_FROM). */
                        if (f->depth == 0)
                                log_warning("watch: %s was removed or moved: no longer watched",
                                            f->path);
                        else if (ev->mask & IN_DELETE_SELF)
                                drop_subfolder(w, i);
                } else if (ev->len > 0 && (ev->mask & IN_ISDIR)) {
                        if (ev->mask & IN_MOVED_FROM) {
                                for (size_t j = 0; j < w->n_folders; j++)
                                        if (!w->folders[j].gone && w->folders[j].depth > 0 &&
                                            w->folders[j].parent == i &&
                                            streq(w->folders[j].name, ev->name))
                                                drop_subfolder(w, j);
                        } else if ((ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
                                   add_subfolder(w, i, ev->name) < 0)
                                w->rescan = true;
                } else if (ev->len > 0 && (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) &&
                           queue_push(w, i, ev->name, true) < 0)
                        w->rescan = true;
                return;
        }
}

static int drain_events(struct watcher *w)
{
        char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));

        for (;;) {
                ssize_t n = read(w->ifd, buf, sizeof(buf));

                if (n < 0)
                        return errno == EAGAIN || errno == EINTR ? 0 : negative_errno();
                for (char *p = buf; p < buf + n;) {
                        const struct inotify_event *ev = (const struct inotify_event *)p;
                        on_event(w, ev);
                        p += sizeof(*ev) + ev->len;
                }
        }
}

static int reload_rules(struct watcher *w)
{
        struct analysis_ctx *ctx = NULL;
        _cleanup_free_ char *error = NULL;
        int k = analysis_ctx_new(&w->opts, &ctx, &error);

        if (k < 0)
                return log_error_errno(k, "watch: rules not reloaded, keeping the old ones: %s",
                                       error ? error : "cannot load rules");
        (void)analysis_ctx_start_workers(ctx);
        analysis_ctx_free(w->ctx);
        w->ctx = ctx;
        log_info("watch: rules reloaded (%zu rules)", analysis_ctx_rule_count(ctx));
        return 0;
}

static int write_pid_file(const char *path)
{
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -1;
        char pid[32];
        int k;

        if (asprintf(&tmp, "%s.tmp", path) < 0)
                return -ENOMEM;
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return negative_errno();
        snprintf(pid, sizeof(pid), "%d\n", getpid());
        k = loop_write(fd, pid, strlen(pid));
        if (k >= 0 && rename(tmp, path) < 0)
                k = negative_errno();
        return k;
}

/* Returns 1 to stop, 0 to go on. */
static int on_signal(struct watcher *w, int sfd)
{
        struct signalfd_siginfo si;

        while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
                if (si.ssi_signo == SIGHUP)
                        (void)reload_rules(w);
                else
                        return 1;
        }
        return 0;
}

int watcher_run(struct watcher *w, const char *pid_file)
{
        _cleanup_close_ int sfd = -1;
        sigset_t mask, old;
        int k, stop = 0;

        /* A log reader that goes away must not take the watcher with it. */
        signal(SIGPIPE, SIG_IGN);
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGHUP);
        if (sigprocmask(SIG_BLOCK, &mask, &old) < 0)
                return negative_errno();
        sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
        if (sfd < 0) {
                k = log_error_errno(negative_errno(), "watch: signalfd: %m");
                goto out;
        }
        /* Watches first, then the listing: a file that arrives in between is seen twice
         * (and judged once: the second time it carries the mark or is gone), never missed. */
        k = add_watches(w);
        if (k < 0)
                goto out;
        for (size_t i = 0, n = w->n_folders; i < n; i++)
                if ((k = queue_folder(w, i)) < 0)
                        goto out;
        if (pid_file && (k = write_pid_file(pid_file)) < 0) {
                log_error_errno(k, "watch: cannot write %s: %m", pid_file);
                goto out;
        }
        log_info("watch: watching %zu folder%s", w->n_folders, w->n_folders == 1 ? "" : "s");
        while (!stop) {
                struct pollfd p[2] = {{.fd = w->ifd, .events = POLLIN},
                                      {.fd = sfd, .events = POLLIN}};
                bool idle = w->head == w->tail && !w->rescan;

                if (poll(p, 2, idle ? -1 : 0) < 0 && errno != EINTR) {
                        k = log_error_errno(negative_errno(), "watch: poll: %m");
                        goto out;
                }
                if ((p[1].revents & POLLIN) && on_signal(w, sfd))
                        break;
                if ((p[0].revents & POLLIN) && (k = drain_events(w)) < 0) {
                        log_error_errno(k, "watch: reading events: %m");
                        goto out;
                }
                if (w->rescan) {
                        w->rescan = false;
                        queue_clear(w);
                        for (size_t i = 0, n = w->n_folders; i < n; i++)
                                (void)queue_folder(w, i);
                }
                judge_pending(w);
        }
        k = 0;
out:
        sigprocmask(SIG_SETMASK, &old, NULL);
        return k;
}
