/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File changes in the writable areas: a snapshot before the program runs, a diff after.
 * Every area is reached through an O_PATH fd opened before the program ran (beneath
 * /proc/CHILD/root, so also the tmpfs areas that live only in the sandbox's mount namespace;
 * the fd keeps the mount alive after the namespace is gone). The walk never follows a
 * symlink: each step is openat(O_NOFOLLOW) from the parent's fd, so a link the program
 * planted is reported as a link. */
#include <dirent.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/openat2.h>
#include <sys/stat.h>

#include "monitor-internal.h"
#include "basic/chase.h"
#include "basic/sha256.h"

#define MAX_FILES  20000
#define MAX_DEPTH  32
#define MAX_HASHED (64ULL << 20)

int fs_area_open(struct monitor *m, const char *inside)
{
        const char *rel = inside;
        struct fs_area *a;
        int fd;

        while (*rel == '/')
                rel++;
        fd = openat2_fd(m->root_fd, *rel ? rel : ".", O_PATH | O_DIRECTORY | O_CLOEXEC,
                        RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        if (fd < 0)
                return fd;
        a = realloc(m->areas, (m->n_areas + 1) * sizeof(*a));
        if (!a) {
                safe_close(fd);
                return -ENOMEM;
        }
        m->areas = a;
        a = &m->areas[m->n_areas];
        *a = (struct fs_area){.inside = strdup(inside), .fd = fd};
        if (!a->inside) {
                safe_close(fd);
                return -ENOMEM;
        }
        m->n_areas++;
        return 0;
}

void fs_area_done(struct fs_area *a)
{
        for (size_t i = 0; i < a->n_before; i++)
                free(a->before[i].rel);
        free(a->before);
        free(a->inside);
        safe_close(a->fd);
}

void file_change_done(struct file_change *c)
{
        free(c->path);
        free(c->type);
        free(c->link_target);
}

struct walk {
        struct file_state *v;
        size_t n, cap;
        bool truncated;
};

static int walk_dir(int parent_fd, const char *prefix, unsigned depth, struct walk *w)
{
        _cleanup_close_ int fd = openat(parent_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d;
        struct dirent *de;

        if (fd < 0)
                return negative_errno();
        d = fdopendir(fd);
        if (!d)
                return negative_errno();
        fd = -1;
        while ((de = readdir(d))) {
                struct stat st;
                char *rel;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (w->n >= MAX_FILES) {
                        w->truncated = true;
                        break;
                }
                if (asprintf(&rel, "%s%s%s", prefix, *prefix ? "/" : "", de->d_name) < 0)
                        break;
                if (grow_array((void **)&w->v, &w->cap, w->n, sizeof(*w->v)) < 0) {
                        free(rel);
                        break;
                }
                w->v[w->n++] = (struct file_state){
                        .rel = rel,
                        .mode = st.st_mode,
                        .size = (uint64_t)st.st_size,
                        .ino = st.st_ino,
                        .mtime = st.st_mtim,
                        .ctime = st.st_ctim,
                };
                if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
                        _cleanup_close_ int sub =
                                openat(dirfd(d), de->d_name,
                                       O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub >= 0)
                                (void)walk_dir(sub, rel, depth + 1, w);
                }
        }
        closedir(d);
        return 0;
}

static int state_cmp(const void *a, const void *b);

static int walk_area(struct fs_area *a, struct walk *w)
{
        int r;

        *w = (struct walk){0};
        r = walk_dir(a->fd, "", 0, w);
        if (w->n)
                qsort(w->v, w->n, sizeof(*w->v), state_cmp);
        return r;
}

static void walk_free(struct walk *w)
{
        for (size_t i = 0; i < w->n; i++)
                free(w->v[i].rel);
        free(w->v);
}

int fs_area_snapshot(struct fs_area *a)
{
        struct walk w;
        int r = walk_area(a, &w);

        if (r < 0) {
                walk_free(&w);
                return r;
        }
        a->before = w.v;
        a->n_before = w.n;
        a->truncated = w.truncated;
        return 0;
}

static int state_cmp(const void *a, const void *b)
{
        return strcmp(((const struct file_state *)a)->rel, ((const struct file_state *)b)->rel);
}

static const struct file_state *find_state(const struct file_state *v, size_t n, const char *rel)
{
        struct file_state key = {.rel = (char *)rel};

        return n ? bsearch(&key, v, n, sizeof(*v), state_cmp) : NULL;
}

const char *sniff_type(const uint8_t *b, size_t n)
{
        if (n == 0)
                return "empty";
        if (n >= 4 && memcmp(b, "\177ELF", 4) == 0)
                return "elf";
        if (n >= 2 && b[0] == '#' && b[1] == '!')
                return "script";
        if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
                return "gzip";
        if (n >= 4 && memcmp(b, "PK\003\004", 4) == 0)
                return "zip";
        if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
                return "pdf";
        if (n >= 8 && memcmp(b, "\211PNG\r\n\032\n", 8) == 0)
                return "png";
        if (n >= 6 && (memcmp(b,
                              "\375"
                              "7zXZ",
                              5) == 0))
                return "xz";
        for (size_t i = 0; i < n; i++)
                if (b[i] == 0 || (b[i] < 0x20 && b[i] != '\n' && b[i] != '\r' && b[i] != '\t'))
                        return "data";
        return "text";
}

static const char *mode_type(mode_t m)
{
        if (S_ISREG(m))
                return "regular";
        if (S_ISDIR(m))
                return "directory";
        if (S_ISLNK(m))
                return "symlink";
        if (S_ISFIFO(m))
                return "fifo";
        if (S_ISSOCK(m))
                return "socket";
        if (S_ISCHR(m))
                return "char-device";
        if (S_ISBLK(m))
                return "block-device";
        return "unknown";
}

/* Hashes and sniffs a regular file without following links or blocking on a FIFO swapped in. */
static void describe_file(int areafd, const char *rel, struct file_change *c)
{
        _cleanup_close_ int fd =
                openat2_fd(areafd, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                           RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        uint8_t head[512];
        struct stat st;
        ssize_t n;

        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return;
        n = pread(fd, head, sizeof(head), 0);
        if (n < 0)
                return;
        if (asprintf(&c->type, "regular/%s", sniff_type(head, (size_t)n)) < 0)
                c->type = NULL;
        c->size = (uint64_t)st.st_size;
        if ((uint64_t)st.st_size <= MAX_HASHED)
                (void)sha256_fd(fd, MAX_HASHED, c->sha256);
}

static int add_change(struct monitor *m, const struct fs_area *a, enum change_kind kind,
                      const struct file_state *s)
{
        struct file_change *c;

        if (grow_array((void **)&m->changes, &m->cap_changes, m->n_changes, sizeof(*c)) < 0)
                return -ENOMEM;
        c = &m->changes[m->n_changes];
        *c = (struct file_change){.kind = kind, .size = s->size, .mode = s->mode & 07777};
        if (asprintf(&c->path, "%s%s%s", a->inside, streq(a->inside, "/") ? "" : "/", s->rel) < 0)
                return -ENOMEM;
        if (kind != CHANGE_DELETED && S_ISREG(s->mode))
                describe_file(a->fd, s->rel, c);
        if (kind != CHANGE_DELETED && S_ISLNK(s->mode)) {
                char buf[4096];
                ssize_t n = readlinkat(a->fd, s->rel, buf, sizeof(buf) - 1);

                if (n >= 0) {
                        buf[n] = 0;
                        c->link_target = strdup(buf);
                }
        }
        if (!c->type)
                c->type = strdup(mode_type(s->mode));
        m->n_changes++;
        return 0;
}

static bool same_state(const struct file_state *a, const struct file_state *b)
{
        return a->ino == b->ino && a->size == b->size && a->mode == b->mode &&
               a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec &&
               a->ctime.tv_sec == b->ctime.tv_sec && a->ctime.tv_nsec == b->ctime.tv_nsec;
}

int fs_area_diff(struct monitor *m, struct fs_area *a)
{
        struct walk w;
        int r = walk_area(a, &w);

        if (r < 0) {
                walk_free(&w);
                return r;
        }
        a->truncated = a->truncated || w.truncated;
        for (size_t i = 0; i < w.n; i++) {
                const struct file_state *old = find_state(a->before, a->n_before, w.v[i].rel);

                if (!old)
                        r = add_change(m, a, CHANGE_CREATED, &w.v[i]);
                else if (!same_state(old, &w.v[i]) && !S_ISDIR(w.v[i].mode))
                        r = add_change(m, a, CHANGE_MODIFIED, &w.v[i]);
                if (r < 0)
                        break;
        }
        for (size_t i = 0; i < a->n_before && r >= 0; i++)
                if (!find_state(w.v, w.n, a->before[i].rel))
                        r = add_change(m, a, CHANGE_DELETED, &a->before[i]);
        walk_free(&w);
        return r;
}

struct json_object *file_change_to_json(const struct file_change *c)
{
        static const char *const kinds[] = {"created", "modified", "deleted"};
        struct json_object *o = json_object_new_object();
        char mode[8];

        json_object_object_add(o, "change", json_object_new_string(kinds[c->kind]));
        json_object_object_add(o, "path", json_object_new_string(c->path));
        json_object_object_add(o, "type", json_object_new_string(c->type ? c->type : "unknown"));
        json_object_object_add(o, "size", json_object_new_int64((int64_t)c->size));
        snprintf(mode, sizeof(mode), "%04o", (unsigned)c->mode);
        json_object_object_add(o, "mode", json_object_new_string(mode));
        if (c->sha256[0])
                json_object_object_add(o, "sha256", json_object_new_string(c->sha256));
        if (c->link_target)
                json_object_object_add(o, "link_target", json_object_new_string(c->link_target));
        return o;
}
