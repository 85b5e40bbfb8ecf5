/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/macro.h"
#include "basic/paths.h"
#include "basic/sha256.h"
#include "basic/strv.h"
#include "quarantine.h"
#include "policy/profile-directives.h"

#define BUSY_TIMEOUT_MS 30000
#define COPY_CHUNK      (256 * 1024)

struct quarantine {
        int dfd; /* the store */
        char *dir;
        sqlite3 *db;
};

static const char schema[] =
        "CREATE TABLE IF NOT EXISTS entries ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " sha256 TEXT NOT NULL, original_path TEXT NOT NULL, size INTEGER NOT NULL,"
        " uid INTEGER, gid INTEGER, mode INTEGER,"
        " atime_sec INTEGER, atime_nsec INTEGER, mtime_sec INTEGER, mtime_nsec INTEGER,"
        " xattrs TEXT, verdict TEXT, score INTEGER, report TEXT,"
        " quarantined_at INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS entries_sha256 ON entries(sha256);";

struct quarantine *quarantine_close(struct quarantine *q)
{
        if (!q)
                return NULL;
        if (q->db)
                sqlite3_close(q->db);
        safe_close(q->dfd);
        free(q->dir);
        free(q);
        return NULL;
}

static int sqlite_errno(int rc)
{
        switch (rc) {
        case SQLITE_OK:
        case SQLITE_DONE:
        case SQLITE_ROW:
                return 0;
        case SQLITE_NOMEM:
                return -ENOMEM;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
                return -EBUSY;
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_AUTH:
                return -EACCES;
        case SQLITE_CANTOPEN:
                return -ENOENT;
        default:
                return -EIO;
        }
}

/* Runs sql, retrying while the database is busy. SQLite does not always call the busy
 * handler for the first statements on a new database (switching to WAL while another process
 * creates it answers SQLITE_BUSY at once), so two analyzers opening a new store together
 * would otherwise fail. */
static int exec_retry_busy(sqlite3 *db, const char *sql)
{
        for (unsigned waited_ms = 0;; waited_ms += 10) {
                int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

                if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited_ms >= BUSY_TIMEOUT_MS)
                        return sqlite_errno(rc);
                (void)usleep(10 * 1000);
        }
}

int quarantine_default_dir(char **ret)
{
        const char *env = getenv("AIRLOCK_QUARANTINE"), *xdg = getenv("XDG_DATA_HOME");
        _cleanup_free_ char *home = NULL;
        int k;

        if (env && *env)
                return (*ret = strdup(env)) ? 0 : -ENOMEM;
        if (xdg && xdg[0] == '/')
                return asprintf(ret, "%s/airlock/quarantine", xdg) < 0 ? -ENOMEM : 0;
        k = user_home_dir(getuid(), &home);
        if (k < 0)
                return k;
        return asprintf(ret, "%s/.local/share/airlock/quarantine", home) < 0 ? -ENOMEM : 0;
}

int quarantine_open_existing(const char *dir, struct quarantine **ret)
{
        _cleanup_free_ char *index = NULL;

        if (asprintf(&index, "%s/index.sqlite", dir) < 0)
                return -ENOMEM;
        if (access(index, F_OK) < 0)
                return negative_errno();
        return quarantine_open(dir, ret);
}

int quarantine_open(const char *dir, struct quarantine **ret)
{
        struct quarantine *q = calloc(1, sizeof(*q));
        _cleanup_free_ char *db_path = NULL;
        int k;

        if (!q)
                return -ENOMEM;
        q->dfd = -1;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                goto errno_fail;
        q->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (q->dfd < 0)
                goto errno_fail;
        if ((mkdirat(q->dfd, "objects", 0700) < 0 && errno != EEXIST) ||
            (mkdirat(q->dfd, "tmp", 0700) < 0 && errno != EEXIST))
                goto errno_fail;
        q->dir = strdup(dir);
        if (!q->dir || asprintf(&db_path, "%s/index.sqlite", dir) < 0) {
                k = -ENOMEM;
                goto fail;
        }
        k = sqlite_errno(sqlite3_open_v2(
                db_path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                NULL));
        if (k < 0)
                goto fail;
        sqlite3_busy_timeout(q->db, BUSY_TIMEOUT_MS);
        k = exec_retry_busy(q->db, "PRAGMA journal_mode=WAL;");
        if (k >= 0)
                k = exec_retry_busy(q->db, schema);
        if (k < 0)
                goto fail;
        (void)fchmod(q->dfd, 0700);
        *ret = q;
        return 0;
errno_fail:
        k = negative_errno();
fail:
        quarantine_close(q);
        return k;
}

int quarantine_object_path(struct quarantine *q, const char *sha256, char **ret)
{
        return asprintf(ret, "%s/objects/%.2s/%s", q->dir, sha256, sha256) < 0 ? -ENOMEM : 0;
}

/* Copies src (or data) into a private temporary file in the store while hashing it, then
 * links it into objects/XX/HASH. The object is mode 0400: never executable. */
static int store_object(struct quarantine *q, int src, const void *data, size_t size, char hex[65],
                        uint64_t *ret_size)
{
        _cleanup_close_ int tmp = -1;
        _cleanup_free_ uint8_t *buf = NULL;
        char tmp_name[64], sub[3], object[4 + 64 + 1];
        struct sha256_ctx c;
        uint8_t digest[SHA256_DIGEST_SIZE];
        uint64_t total = 0;
        int k;

        tmp = openat(q->dfd, "tmp", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0400);
        if (tmp < 0)
                return negative_errno();
        sha256_init(&c);
        if (src >= 0) {
                ssize_t n;
                buf = malloc(COPY_CHUNK);
                if (!buf)
                        return -ENOMEM;
                while ((n = read(src, buf, COPY_CHUNK)) != 0) {
                        if (n < 0) {
                                if (errno == EINTR)
                                        continue;
                                return negative_errno();
                        }
                        sha256_update(&c, buf, (size_t)n);
                        k = loop_write(tmp, buf, (size_t)n);
                        if (k < 0)
                                return k;
                        total += (uint64_t)n;
                }
        } else {
                sha256_update(&c, data, size);
                k = loop_write(tmp, data, size);
                if (k < 0)
                        return k;
                total = size;
        }
        sha256_final(&c, digest);
        sha256_digest_to_hex(digest, hex);
        if (fsync(tmp) < 0)
                return negative_errno();
        snprintf(sub, sizeof(sub), "%.2s", hex);
        snprintf(object, sizeof(object), "%s/%s", sub, hex);
        snprintf(tmp_name, sizeof(tmp_name), "/proc/self/fd/%d", tmp);
        int objects = openat(q->dfd, "objects", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (objects < 0)
                return negative_errno();
        if (mkdirat(objects, sub, 0700) < 0 && errno != EEXIST) {
                k = negative_errno();
                safe_close(objects);
                return k;
        }
        /* Two analyzers storing the same content: the first link wins, the content is the
         * same, so EEXIST is success. */
        k = linkat(AT_FDCWD, tmp_name, objects, object, AT_SYMLINK_FOLLOW);
        if (k < 0 && errno != EEXIST) {
                k = negative_errno();
                safe_close(objects);
                return k;
        }
        safe_close(objects);
        *ret_size = total;
        return 0;
}

static char *xattrs_json(int fd)
{
        struct json_object *o = json_object_new_object();
        _cleanup_free_ char *names = NULL;
        ssize_t n = flistxattr(fd, NULL, 0);
        char *ret;

        if (!o)
                return NULL;
        if (n > 0 && (names = malloc((size_t)n)) && (n = flistxattr(fd, names, (size_t)n)) > 0) {
                for (char *p = names; p < names + n; p += strlen(p) + 1) {
                        ssize_t m = fgetxattr(fd, p, NULL, 0);
                        _cleanup_free_ uint8_t *value = m >= 0 ? malloc((size_t)m + 1) : NULL;
                        _cleanup_free_ char *hexv = m >= 0 ? malloc(2 * (size_t)m + 1) : NULL;
                        if (!value || !hexv)
                                continue;
                        m = fgetxattr(fd, p, value, (size_t)m);
                        if (m < 0)
                                continue;
                        for (ssize_t i = 0; i < m; i++)
                                sprintf(hexv + 2 * i, "%02x", value[i]);
                        hexv[2 * m] = 0;
                        json_object_object_add(o, p, json_object_new_string(hexv));
                }
        }
        ret = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
        json_object_put(o);
        return ret;
}

static int insert_entry(struct quarantine *q, const char *sha256, const char *path, uint64_t size,
                        const struct stat *s, const char *xattrs, const struct analysis_result *r,
                        int64_t *ret_id)
{
        static const char sql[] =
                "INSERT INTO entries (sha256, original_path, size, uid, gid, mode, atime_sec,"
                " atime_nsec, mtime_sec, mtime_nsec, xattrs, verdict, score, report,"
                " quarantined_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
        sqlite3_stmt *st = NULL;
        struct json_object *report = r ? analysis_result_to_json(r) : NULL;
        int k;

        k = sqlite_errno(sqlite3_prepare_v2(q->db, sql, -1, &st, NULL));
        if (k < 0)
                goto out;
        sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)size);
        sqlite3_bind_int64(st, 4, s->st_uid);
        sqlite3_bind_int64(st, 5, s->st_gid);
        sqlite3_bind_int64(st, 6, s->st_mode & 07777);
        sqlite3_bind_int64(st, 7, s->st_atim.tv_sec);
        sqlite3_bind_int64(st, 8, s->st_atim.tv_nsec);
        sqlite3_bind_int64(st, 9, s->st_mtim.tv_sec);
        sqlite3_bind_int64(st, 10, s->st_mtim.tv_nsec);
        sqlite3_bind_text(st, 11, xattrs ? xattrs : "{}", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 12, r ? analysis_verdict_to_string(r->verdict) : "unknown", -1,
                          SQLITE_STATIC);
        sqlite3_bind_int(st, 13, r ? (int)r->score : 0);
        if (report)
                sqlite3_bind_text(st, 14,
                                  json_object_to_json_string_ext(report, JSON_C_TO_STRING_PLAIN),
                                  -1, SQLITE_TRANSIENT);
        else
                sqlite3_bind_null(st, 14);
        sqlite3_bind_int64(st, 15, (sqlite3_int64)time(NULL));
        k = sqlite3_step(st);
        k = k == SQLITE_DONE ? 0 : sqlite_errno(k);
        if (k >= 0 && ret_id)
                *ret_id = sqlite3_last_insert_rowid(q->db);
out:
        sqlite3_finalize(st);
        json_object_put(report);
        return k;
}

int quarantine_add_at(struct quarantine *q, int dirfd, const char *name, const char *path,
                      const struct analysis_result *r, int64_t *ret_id)
{
        _cleanup_close_ int fd =
                openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOATIME | O_CLOEXEC);
        _cleanup_free_ char *xattrs = NULL;
        struct stat s, now;
        char hex[65];
        uint64_t size;
        int k;

        if (fd < 0 && errno == EPERM)
                fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &s) < 0)
                return negative_errno();
        if (!S_ISREG(s.st_mode))
                return -EBADFD;
        k = store_object(q, fd, NULL, 0, hex, &size);
        if (k < 0)
                return k;
        xattrs = xattrs_json(fd);
        k = insert_entry(q, hex, path, size, &s, xattrs, r, ret_id);
        if (k < 0)
                return k;
        /* only the file that was stored goes: never one swapped in under its name meanwhile */
        if (fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        if (now.st_dev != s.st_dev || now.st_ino != s.st_ino)
                return -ESTALE;
        if (unlinkat(dirfd, name, 0) < 0)
                return negative_errno();
        return 0;
}

int quarantine_add_file(struct quarantine *q, const char *path, const struct analysis_result *r,
                        int64_t *ret_id)
{
        _cleanup_strv_free_ char **untrusted = NULL;
        _cleanup_free_ char *abs = NULL;
        _cleanup_close_ int dirfd = -1;
        const char *name;

        if (profile_untrusted_folders(NULL, &untrusted) < 0)
                return -ENOMEM;
        /* the folder is opened without following a link a sandbox could have planted */
        dirfd = chase_folder_of(path, untrusted, &abs, &name, NULL);
        if (dirfd < 0)
                return dirfd;
        return quarantine_add_at(q, dirfd, name, abs, r, ret_id);
}

int quarantine_add_buffer(struct quarantine *q, const char *name, const void *data, size_t size,
                          const struct analysis_result *r, int64_t *ret_id)
{
        struct stat s = {.st_uid = getuid(), .st_gid = getgid(), .st_mode = S_IFREG | 0600};
        char hex[65];
        uint64_t stored;
        int k;

        clock_gettime(CLOCK_REALTIME, &s.st_mtim);
        s.st_atim = s.st_mtim;
        k = store_object(q, -1, data, size, hex, &stored);
        if (k < 0)
                return k;
        return insert_entry(q, hex, name ? name : "(buffer)", stored, &s, NULL, r, ret_id);
}

static char *column_dup(sqlite3_stmt *st, int i)
{
        const unsigned char *t = sqlite3_column_text(st, i);
        return strdup(t ? (const char *)t : "");
}

static int row_to_entry(sqlite3_stmt *st, struct quarantine_entry *e)
{
        *e = (struct quarantine_entry){
                .id = sqlite3_column_int64(st, 0),
                .sha256 = column_dup(st, 1),
                .original_path = column_dup(st, 2),
                .size = (uint64_t)sqlite3_column_int64(st, 3),
                .uid = (uid_t)sqlite3_column_int64(st, 4),
                .gid = (gid_t)sqlite3_column_int64(st, 5),
                .mode = (mode_t)sqlite3_column_int64(st, 6),
                .atime = {sqlite3_column_int64(st, 7), sqlite3_column_int64(st, 8)},
                .mtime = {sqlite3_column_int64(st, 9), sqlite3_column_int64(st, 10)},
                .xattrs = column_dup(st, 11),
                .verdict = column_dup(st, 12),
                .score = (unsigned)sqlite3_column_int(st, 13),
                .report = column_dup(st, 14),
                .quarantined_at = sqlite3_column_int64(st, 15),
        };
        if (!e->sha256 || !e->original_path || !e->xattrs || !e->verdict || !e->report) {
                quarantine_entry_done(e);
                return -ENOMEM;
        }
        return 0;
}

#define SELECT_ENTRY                                                                     \
        "SELECT id, sha256, original_path, size, uid, gid, mode, atime_sec, atime_nsec," \
        " mtime_sec, mtime_nsec, xattrs, verdict, score, report, quarantined_at FROM entries"

void quarantine_entry_done(struct quarantine_entry *e)
{
        free(e->sha256);
        free(e->original_path);
        free(e->xattrs);
        free(e->verdict);
        free(e->report);
        *e = (struct quarantine_entry){0};
}

int quarantine_foreach(struct quarantine *q,
                       int (*cb)(const struct quarantine_entry *e, void *userdata), void *userdata)
{
        sqlite3_stmt *st = NULL;
        int k, rc;

        k = sqlite_errno(sqlite3_prepare_v2(q->db, SELECT_ENTRY " ORDER BY id", -1, &st, NULL));
        while (k >= 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
                struct quarantine_entry e;
                k = row_to_entry(st, &e);
                if (k < 0)
                        break;
                k = cb(&e, userdata);
                quarantine_entry_done(&e);
                if (k != 0)
                        break;
        }
        if (k == 0 && rc != SQLITE_DONE)
                k = sqlite_errno(rc);
        sqlite3_finalize(st);
        return k;
}

int quarantine_get(struct quarantine *q, int64_t id, struct quarantine_entry *ret)
{
        sqlite3_stmt *st = NULL;
        int k, rc;

        k = sqlite_errno(sqlite3_prepare_v2(q->db, SELECT_ENTRY " WHERE id = ?", -1, &st, NULL));
        if (k < 0)
                return k;
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
                k = row_to_entry(st, ret);
        else
                k = rc == SQLITE_DONE ? -ENOENT : sqlite_errno(rc);
        sqlite3_finalize(st);
        return k;
}

/* An attribute that grants privileges (file capabilities, SELinux labels, trusted.*): a file
 * judged not clean never gets one back unless asked for. */
static bool xattr_grants_privileges(const char *name)
{
        return startswith(name, "security.") || startswith(name, "trusted.");
}

static int restore_xattrs(int fd, const char *json, bool keep_privileges)
{
        struct json_object *o = json_tokener_parse(json);

        if (!o)
                return 0;
        json_object_object_foreach(o, name, val)
        {
                const char *hexv = json_object_get_string(val);
                size_t n = strlen(hexv) / 2;
                _cleanup_free_ uint8_t *bytes = malloc(n + 1);
                if (!bytes)
                        break;
                if (!keep_privileges && xattr_grants_privileges(name))
                        continue;
                for (size_t i = 0; i < n; i++) {
                        unsigned v;
                        sscanf(hexv + 2 * i, "%2x", &v);
                        bytes[i] = (uint8_t)v;
                }
                /* security.* and trusted.* need privileges; user.* always comes back. */
                (void)fsetxattr(fd, name, bytes, n, 0);
        }
        json_object_put(o);
        return 0;
}

int quarantine_restore(struct quarantine *q, int64_t id, const char *target, unsigned flags)
{
        struct quarantine_entry e = {0};
        _cleanup_strv_free_ char **untrusted = NULL;
        _cleanup_free_ char *object = NULL, *tmp = NULL, *abs = NULL;
        _cleanup_close_ int src = -1, dst = -1, dirfd = -1;
        bool keep = flags & QUARANTINE_RESTORE_KEEP_PRIVILEGES;
        struct timespec times[2];
        const char *name;
        mode_t mode;
        struct stat s;
        int k;

        k = quarantine_get(q, id, &e);
        if (k < 0)
                return k;
        if (!target)
                target = e.original_path;
        if (profile_untrusted_folders(NULL, &untrusted) < 0) {
                k = -ENOMEM;
                goto out;
        }
        /* the target's folder (the original place of a download is one sandboxes write) is
         * opened without following a planted link */
        dirfd = chase_folder_of(target, untrusted, &abs, &name, NULL);
        if (dirfd < 0) {
                k = dirfd;
                goto out;
        }
        if (!(flags & QUARANTINE_RESTORE_FORCE) &&
            fstatat(dirfd, name, &s, AT_SYMLINK_NOFOLLOW) == 0) {
                k = -EEXIST;
                goto out;
        }
        k = quarantine_object_path(q, e.sha256, &object);
        if (k < 0 || asprintf(&tmp, ".%s.airlock-restore.%d", name, (int)getpid()) < 0) {
                k = -ENOMEM;
                goto out;
        }
        src = open(object, O_RDONLY | O_CLOEXEC);
        if (src < 0) {
                k = negative_errno();
                goto out;
        }
        dst = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (dst < 0) {
                k = negative_errno();
                goto out;
        }
        for (;;) {
                uint8_t buf[65536];
                ssize_t n = read(src, buf, sizeof(buf));
                if (n == 0)
                        break;
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 || (k = loop_write(dst, buf, (size_t)n)) < 0) {
                        k = n < 0 ? negative_errno() : k;
                        goto unlink_tmp;
                }
        }
        (void)restore_xattrs(dst, e.xattrs, keep);
        /* Only root may give a file away; others restore it as their own. */
        if (geteuid() == 0 && fchown(dst, e.uid, e.gid) < 0) {
                k = negative_errno();
                goto unlink_tmp;
        }
        /* setuid and setgid come back only when asked for: the file was judged not clean */
        mode = keep ? e.mode & 07777 : e.mode & 01777;
        if (fchmod(dst, mode) < 0 || fsync(dst) < 0) {
                k = negative_errno();
                goto unlink_tmp;
        }
        times[0] = e.atime;
        times[1] = e.mtime;
        if (futimens(dst, times) < 0 ||
            renameat2(dirfd, tmp, dirfd, name,
                      flags & QUARANTINE_RESTORE_FORCE ? 0 : RENAME_NOREPLACE) < 0) {
                k = negative_errno();
                goto unlink_tmp;
        }
        k = quarantine_delete(q, id);
        goto out;
unlink_tmp:
        (void)unlinkat(dirfd, tmp, 0);
out:
        quarantine_entry_done(&e);
        return k;
}

int quarantine_delete(struct quarantine *q, int64_t id)
{
        struct quarantine_entry e = {0};
        sqlite3_stmt *st = NULL;
        int k, rc;

        k = sqlite_errno(sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, NULL));
        if (k < 0)
                return k;
        k = quarantine_get(q, id, &e);
        if (k < 0)
                goto rollback;
        k = sqlite_errno(
                sqlite3_prepare_v2(q->db, "DELETE FROM entries WHERE id = ?", -1, &st, NULL));
        if (k < 0)
                goto rollback;
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        st = NULL;
        if (rc != SQLITE_DONE) {
                k = sqlite_errno(rc);
                goto rollback;
        }
        k = sqlite_errno(sqlite3_prepare_v2(q->db, "SELECT COUNT(*) FROM entries WHERE sha256 = ?",
                                            -1, &st, NULL));
        if (k < 0)
                goto rollback;
        sqlite3_bind_text(st, 1, e.sha256, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0) {
                _cleanup_free_ char *object = NULL;
                if (quarantine_object_path(q, e.sha256, &object) == 0)
                        (void)unlink(object);
        }
        sqlite3_finalize(st);
        k = sqlite_errno(sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL));
        quarantine_entry_done(&e);
        return k;
rollback:
        sqlite3_finalize(st);
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        quarantine_entry_done(&e);
        return k;
}
