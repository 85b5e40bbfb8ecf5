/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the content of a node yields, whatever its place: the true type and the findings of the
 * rules (YARA and hash lists), kept by SHA-256 and name (rules may test the name) so that the
 * same content met again (an attachment sent to many recipients, a file and its copy inside an
 * archive) is not typed and scanned again. ClamAV keeps a cache of the same kind. Heuristics of
 * names and places, archive walks and carving still run for every node. Bounded: when full, it
 * is emptied. */
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "worker.h"
#ifdef AIRLOCK_SANITIZED
#include <sanitizer/lsan_interface.h>
#endif

#define CACHE_BUCKETS     4096
#define CACHE_MAX_ENTRIES 16384
#define TREE_MAX_NODES    64     /* larger trees are not kept (memory) */
#define TREES_MAX_NODES   200000 /* nodes in all kept trees: then the trees are dropped */

struct cached_finding {
        char *rule, *attack, *description, *evidence, *source;
        enum analysis_severity severity;
};

struct cache_entry {
        char sha256[65];
        char *name, *type, *mime;
        struct cached_finding *findings;
        size_t n_findings;
        struct cache_entry *next;
};

struct tree_entry {
        char sha256[65];
        char *name;
        bool in_disk_image;
        struct scan_tree_stats stats;
        struct analysis_result *tmpl; /* the findings and children to copy */
        struct tree_entry *next;
};

struct shared_head;
#define SHARED_SIZE (64u << 20)

struct scan_cache {
        pthread_mutex_t lock;
        size_t n_entries;
        struct cache_entry *buckets[CACHE_BUCKETS];
        size_t n_trees;
        uint64_t tree_nodes;
        struct tree_entry *trees[CACHE_BUCKETS];
        /* The table shared with the workers (see scan_cache_share()): the supervisor writes
         * through shared_rw (not inherited by a fork), a worker reads through shared_ro. */
        struct shared_head *shared_rw;
        const struct shared_head *shared_ro;
        uint32_t shared_used;
        /* In a worker: what the current job added, for the supervisor; NULL: nothing kept. */
        struct json_object *exports;
};

static void entry_free(struct cache_entry *e)
{
        for (size_t i = 0; i < e->n_findings; i++) {
                struct cached_finding *f = &e->findings[i];
                free(f->rule);
                free(f->attack);
                free(f->description);
                free(f->evidence);
                free(f->source);
        }
        free(e->findings);
        free(e->name);
        free(e->type);
        free(e->mime);
        free(e);
}

/* An empty table is left alone: its bucket heads (64 KiB from calloc) may never have been
 * written, and clearing them would fault every page in (the supervisor of `analyze FILE`
 * frees one at exit, after its worker was forked from it). */
static void clear_trees(struct scan_cache *c)
{
        if (c->n_trees == 0)
                return;
        for (size_t b = 0; b < CACHE_BUCKETS; b++)
                for (struct tree_entry *e = c->trees[b], *next; e; e = next) {
                        next = e->next;
                        analysis_result_free(e->tmpl);
                        free(e->name);
                        free(e);
                }
        memset(c->trees, 0, sizeof(c->trees));
        c->n_trees = 0;
        c->tree_nodes = 0;
}

static void clear(struct scan_cache *c)
{
        clear_trees(c);
        if (c->n_entries == 0)
                return;
        for (size_t b = 0; b < CACHE_BUCKETS; b++)
                for (struct cache_entry *e = c->buckets[b], *next; e; e = next) {
                        next = e->next;
                        entry_free(e);
                }
        memset(c->buckets, 0, sizeof(c->buckets));
        c->n_entries = 0;
}

/* Mapped, not calloc'd: 64 KiB of bucket heads of which a small scan writes a few, and a
 * calloc that reuses heap memory (a worker's, after the fork) writes every page of them. */
int scan_cache_new(struct scan_cache **ret)
{
        struct scan_cache *c =
                mmap(NULL, sizeof(*c), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (c == MAP_FAILED)
                return -ENOMEM;
        pthread_mutex_init(&c->lock, NULL);
#ifdef AIRLOCK_SANITIZED
        /* LeakSanitizer does not look into mappings of our own, and the entries hang from it. */
        __lsan_register_root_region(c, sizeof(*c));
#endif
        *ret = c;
        return 0;
}

void scan_cache_free(struct scan_cache *c)
{
        if (!c)
                return;
        clear(c);
        if (c->shared_rw) {
                munmap(c->shared_rw, SHARED_SIZE);
                munmap((void *)c->shared_ro, SHARED_SIZE);
        }
        json_object_put(c->exports);
        pthread_mutex_destroy(&c->lock);
#ifdef AIRLOCK_SANITIZED
        __lsan_unregister_root_region(c, sizeof(*c));
#endif
        munmap(c, sizeof(*c));
}

static int copy_findings(struct analysis_result *to, const struct analysis_result *from,
                         size_t first);
static int shared_apply(struct scan_cache *c, struct analysis_result *node);
static int shared_apply_tree(struct scan_cache *c, struct analysis_result *node, bool in_disk_image,
                             bool (*accept)(const struct scan_tree_stats *s, void *userdata),
                             void *userdata, struct scan_tree_stats *ret_stats);
static void export_entry(struct scan_cache *c, const char *kind, const char *sha256,
                         const char *name, bool in_disk_image, const struct scan_tree_stats *stats,
                         const struct analysis_result *entry);

static size_t bucket_of(const char *sha256, const char *name)
{
        size_t h = 5381;

        for (const char *p = sha256; *p; p++)
                h = h * 33 + (unsigned char)*p;
        for (const char *p = name; *p; p++)
                h = h * 33 + (unsigned char)*p;
        return h % CACHE_BUCKETS;
}

static struct cache_entry *find(struct scan_cache *c, const char *sha256, const char *name)
{
        for (struct cache_entry *e = c->buckets[bucket_of(sha256, name)]; e; e = e->next)
                if (streq(e->sha256, sha256) && streq(e->name, name))
                        return e;
        return NULL;
}

static char *join_attack(char **attack)
{
        size_t len = 1;
        char *s;

        for (char **a = attack; a && *a; a++)
                len += strlen(*a) + 1;
        s = calloc(1, len);
        if (!s)
                return NULL;
        for (char **a = attack; a && *a; a++) {
                if (*s)
                        strcat(s, ",");
                strcat(s, *a);
        }
        return s;
}

int scan_cache_apply(struct scan_cache *c, struct analysis_result *node)
{
        int k = 0;

        if (!c || !node->sha256)
                return 0;
        pthread_mutex_lock(&c->lock);
        struct cache_entry *e = find(c, node->sha256, node->name);
        if (!e) {
                pthread_mutex_unlock(&c->lock);
                return c->shared_ro ? shared_apply(c, node) : 0;
        }
        free(node->type);
        free(node->mime);
        node->type = strdup(e->type);
        node->mime = strdup(e->mime);
        if (!node->type || !node->mime)
                k = -ENOMEM;
        for (size_t i = 0; k >= 0 && i < e->n_findings; i++) {
                const struct cached_finding *f = &e->findings[i];
                k = analysis_result_add_finding(node, f->rule, f->severity,
                                                *f->attack ? f->attack : NULL, f->description,
                                                f->evidence, f->source);
        }
        pthread_mutex_unlock(&c->lock);
        return k < 0 ? k : 1;
}

static int copy_finding(struct cached_finding *to, const struct analysis_finding *f)
{
        *to = (struct cached_finding){.severity = f->severity};
        to->rule = strdup(f->rule);
        to->attack = join_attack(f->attack);
        to->description = strdup(f->description);
        to->evidence = f->evidence ? strdup(f->evidence) : NULL;
        to->source = strdup(f->source);
        return to->rule && to->attack && to->description && (!f->evidence || to->evidence) &&
                               to->source
                       ? 0
                       : -ENOMEM;
}

void scan_cache_store(struct scan_cache *c, const struct analysis_result *node, size_t first)
{
        struct cache_entry *e;
        size_t n = node->n_findings - first;

        if (!c || !node->sha256 || !node->type || !node->mime)
                return;
        e = calloc(1, sizeof(*e));
        if (!e)
                return;
        memcpy(e->sha256, node->sha256, sizeof(e->sha256) - 1);
        e->name = strdup(node->name);
        e->type = strdup(node->type);
        e->mime = strdup(node->mime);
        e->findings = n ? calloc(n, sizeof(*e->findings)) : NULL;
        if (!e->name || !e->type || !e->mime || (n && !e->findings))
                goto fail;
        for (size_t i = 0; i < n; i++) {
                e->n_findings++;
                if (copy_finding(&e->findings[i], &node->findings[first + i]) < 0)
                        goto fail;
        }
        if (c->exports) {
                struct analysis_result *t = analysis_result_new("");
                if (t && (t->type = strdup(node->type)) && (t->mime = strdup(node->mime)) &&
                    copy_findings(t, node, first) >= 0)
                        export_entry(c, "leaf", e->sha256, e->name, false, NULL, t);
                analysis_result_free(t);
        }
        pthread_mutex_lock(&c->lock);
        if (find(c, e->sha256, e->name)) {
                pthread_mutex_unlock(&c->lock);
                goto fail; /* another thread scanned the same content meanwhile */
        }
        if (c->n_entries >= CACHE_MAX_ENTRIES)
                clear(c);
        size_t b = bucket_of(e->sha256, e->name);
        e->next = c->buckets[b];
        c->buckets[b] = e;
        c->n_entries++;
        pthread_mutex_unlock(&c->lock);
        return;
fail:
        entry_free(e);
}

static int copy_findings(struct analysis_result *to, const struct analysis_result *from,
                         size_t first)
{
        for (size_t i = first; i < from->n_findings; i++) {
                const struct analysis_finding *f = &from->findings[i];
                _cleanup_free_ char *attack = join_attack(f->attack);
                if (!attack)
                        return -ENOMEM;
                int k = analysis_result_add_finding(to, f->rule, f->severity,
                                                    *attack ? attack : NULL, f->description,
                                                    f->evidence, f->source);
                if (k < 0)
                        return k;
        }
        return 0;
}

static int copy_string(char **to, const char *from)
{
        free(*to);
        *to = from ? strdup(from) : NULL;
        return !from || *to ? 0 : -ENOMEM;
}

/* A copy of r and everything below it (verdicts are computed again by finalize). */
static struct analysis_result *clone_tree(const struct analysis_result *r)
{
        struct analysis_result *c = analysis_result_new(r->path);

        if (!c)
                return NULL;
        c->size = r->size;
        if (copy_string(&c->name, r->name) < 0 || copy_string(&c->sha256, r->sha256) < 0 ||
            copy_string(&c->type, r->type) < 0 || copy_string(&c->mime, r->mime) < 0 ||
            copy_string(&c->limit, r->limit) < 0 || copy_string(&c->note, r->note) < 0 ||
            copy_findings(c, r, 0) < 0)
                return analysis_result_free(c);
        for (size_t i = 0; i < r->n_children; i++) {
                struct analysis_result *child = clone_tree(r->children[i]);
                if (!child || analysis_result_add_child(c, child) < 0) {
                        analysis_result_free(child);
                        return analysis_result_free(c);
                }
        }
        return c;
}

static struct tree_entry *find_tree(struct scan_cache *c, const char *sha256, const char *name,
                                    bool in_disk_image)
{
        for (struct tree_entry *e = c->trees[bucket_of(sha256, name)]; e; e = e->next)
                if (e->in_disk_image == in_disk_image && streq(e->sha256, sha256) &&
                    streq(e->name, name))
                        return e;
        return NULL;
}

int scan_cache_apply_tree(struct scan_cache *c, struct analysis_result *node, bool in_disk_image,
                          bool (*accept)(const struct scan_tree_stats *s, void *userdata),
                          void *userdata, struct scan_tree_stats *ret_stats)
{
        int k = 0;

        if (!c || !node->sha256)
                return 0;
        pthread_mutex_lock(&c->lock);
        struct tree_entry *e = find_tree(c, node->sha256, node->name, in_disk_image);
        if (!e && c->shared_ro) {
                pthread_mutex_unlock(&c->lock);
                return shared_apply_tree(c, node, in_disk_image, accept, userdata, ret_stats);
        }
        if (!e || !accept(&e->stats, userdata))
                goto out;
        k = copy_findings(node, e->tmpl, 0);
        for (size_t i = 0; k >= 0 && i < e->tmpl->n_children; i++) {
                struct analysis_result *child = clone_tree(e->tmpl->children[i]);
                k = child ? analysis_result_add_child(node, child) : -ENOMEM;
                if (k < 0)
                        analysis_result_free(child);
        }
        if (k >= 0) {
                *ret_stats = e->stats;
                k = 1;
        }
out:
        pthread_mutex_unlock(&c->lock);
        return k;
}

void scan_cache_store_tree(struct scan_cache *c, const struct analysis_result *node,
                           bool in_disk_image, size_t first, const struct scan_tree_stats *stats)
{
        struct tree_entry *e;

        if (!c || !node->sha256 || stats->nodes > TREE_MAX_NODES)
                return;
        e = calloc(1, sizeof(*e));
        if (!e)
                return;
        memcpy(e->sha256, node->sha256, sizeof(e->sha256) - 1);
        e->in_disk_image = in_disk_image;
        e->stats = *stats;
        e->name = strdup(node->name);
        e->tmpl = analysis_result_new("");
        if (!e->name || !e->tmpl || copy_findings(e->tmpl, node, first) < 0)
                goto fail;
        for (size_t i = 0; i < node->n_children; i++) {
                struct analysis_result *child = clone_tree(node->children[i]);
                if (!child || analysis_result_add_child(e->tmpl, child) < 0) {
                        analysis_result_free(child);
                        goto fail;
                }
        }
        if (c->exports)
                export_entry(c, "tree", e->sha256, e->name, in_disk_image, stats, e->tmpl);
        pthread_mutex_lock(&c->lock);
        if (find_tree(c, e->sha256, e->name, in_disk_image)) {
                pthread_mutex_unlock(&c->lock);
                goto fail;
        }
        if (c->tree_nodes + stats->nodes > TREES_MAX_NODES)
                clear_trees(c);
        size_t b = bucket_of(e->sha256, e->name);
        e->next = c->trees[b];
        c->trees[b] = e;
        c->n_trees++;
        c->tree_nodes += stats->nodes;
        pthread_mutex_unlock(&c->lock);
        return;
fail:
        analysis_result_free(e->tmpl);
        free(e->name);
        free(e);
}

/* ---- The table shared with the workers ----
 *
 * Each worker keeps the cache above for the files it scans; what one worker judged is also
 * offered to the others through a table that the supervisor alone writes. A worker sends the
 * entries its job added after its result (scan_cache_export_take()); the supervisor checks
 * them (scan_cache_ingest()) and appends them to a memfd that every worker has mapped read-only:
 * the mapping is inherited when the zygote or the worker is forked, the supervisor's writable
 * mapping is not (MADV_DONTFORK), and the worker holds no writable fd of it, so it can neither
 * write the table nor map it writable. A worker reads it with no system call and no round trip.
 * Entries are immutable once published (a bucket's head is stored with release semantics after
 * the entry is written); the table is append-only and stops growing when full. An entry holds
 * the JSON of a result node (the type, MIME type and rule findings of content, or the findings
 * and children of a tree), which the reading worker checks as the supervisor checks a reply. */

#define SHARED_MAGIC     0x41495243u
#define SHARED_MAX_ENTRY (1u << 20)
#define SHARED_MAX_CHAIN 4096

enum { SHARED_LEAF = 1, SHARED_TREE = 2, SHARED_TREE_IN_IMAGE = 3 };

struct shared_head {
        uint32_t magic;
        uint32_t buckets[CACHE_BUCKETS]; /* offsets of the newest entry of each, 0: none */
};

struct shared_entry {
        uint32_t next; /* offset of the next entry of the bucket, 0: none */
        uint32_t kind;
        uint32_t name_len, json_len; /* the name, a NUL, the JSON and a NUL follow */
        uint64_t nodes, bytes;
        uint32_t height, pad;
        char sha256[64];
};

int scan_cache_share(struct scan_cache *c)
{
        _cleanup_close_ int fd = -1, ro = -1;
        char path[64];
        void *rw_map = MAP_FAILED, *ro_map = MAP_FAILED;
        int k = 0;

        if (!c)
                return 0;
        pthread_mutex_lock(&c->lock);
        if (c->shared_rw)
                goto out;
        fd = memfd_create("airlock-scan-cache", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0 || ftruncate(fd, SHARED_SIZE) < 0 ||
            fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
                k = negative_errno();
                goto out;
        }
        /* The workers' view comes from a read-only open of the memfd: a mapping made from it
         * cannot be made writable (mprotect answers EACCES). */
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        ro = open(path, O_RDONLY | O_CLOEXEC);
        if (ro < 0) {
                k = negative_errno();
                goto out;
        }
        rw_map = mmap(NULL, SHARED_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        ro_map = mmap(NULL, SHARED_SIZE, PROT_READ, MAP_SHARED, ro, 0);
        if (rw_map == MAP_FAILED || ro_map == MAP_FAILED ||
            madvise(rw_map, SHARED_SIZE, MADV_DONTFORK) < 0) {
                k = -ENOMEM;
                goto out;
        }
        c->shared_rw = rw_map;
        c->shared_ro = ro_map;
        c->shared_rw->magic = SHARED_MAGIC;
        c->shared_used = (sizeof(struct shared_head) + 7) & ~7u; /* entries are 8-aligned */
        rw_map = ro_map = MAP_FAILED;
out:
        if (rw_map != MAP_FAILED)
                munmap(rw_map, SHARED_SIZE);
        if (ro_map != MAP_FAILED)
                munmap(ro_map, SHARED_SIZE);
        pthread_mutex_unlock(&c->lock);
        return k;
}

struct scan_cache *scan_cache_worker(const struct scan_cache *supervisor)
{
        struct scan_cache *c;

        if (!supervisor || scan_cache_new(&c) < 0)
                return NULL;
        c->shared_ro = supervisor->shared_ro;
        return c;
}

/* Finds the entry of kind for sha256 and name in the table read through base; checks every
 * offset, as a worker must not fault on it. Returns it, or NULL. */
static const struct shared_entry *shared_find(const struct shared_head *base, uint32_t kind,
                                              const char *sha256, const char *name,
                                              const char **ret_json)
{
        const uint8_t *p = (const uint8_t *)base;
        size_t name_len = strlen(name);
        uint32_t off;

        if (!base || base->magic != SHARED_MAGIC || strlen(sha256) != 64)
                return NULL;
        off = __atomic_load_n(&base->buckets[bucket_of(sha256, name)], __ATOMIC_ACQUIRE);
        for (unsigned steps = 0; off && steps < SHARED_MAX_CHAIN; steps++) {
                if (off < sizeof(*base) || off % 8 ||
                    off > SHARED_SIZE - sizeof(struct shared_entry))
                        return NULL;
                const struct shared_entry *e = (const struct shared_entry *)(p + off);
                if ((uint64_t)e->name_len + e->json_len + 2 >
                    SHARED_SIZE - off - sizeof(struct shared_entry))
                        return NULL;
                const char *ename = (const char *)(e + 1);
                if (e->kind == kind && e->name_len == name_len &&
                    memcmp(e->sha256, sha256, 64) == 0 && memcmp(ename, name, name_len) == 0 &&
                    ename[name_len] == '\0' && ename[name_len + 1 + e->json_len] == '\0') {
                        *ret_json = ename + name_len + 1;
                        return e;
                }
                off = e->next;
        }
        return NULL;
}

/* Test builds: AIRLOCK_TEST_CACHE_TRACE=1 makes a worker say on stderr which content the shared
 * table served (tests/integration/worker-faults.sh). */
static void trace_hit(const struct analysis_result *node)
{
#ifdef AIRLOCK_FAULT_INJECTION
        if (getenv("AIRLOCK_TEST_CACHE_TRACE"))
                fprintf(stderr, "airlock-worker: shared cache: %s\n", node->name);
#endif
}

/* The node an entry's JSON describes, checked as a worker's reply is. NULL when it is not one. */
static struct analysis_result *shared_node(const char *json)
{
        struct json_object *o = json_tokener_parse(json);
        struct analysis_result *t = o ? analysis_result_new("") : NULL;

        if (t && worker_result_from_json(o, t) < 0)
                t = analysis_result_free(t);
        json_object_put(o);
        return t;
}

static int shared_apply(struct scan_cache *c, struct analysis_result *node)
{
        const char *json = NULL;
        const struct shared_entry *e =
                shared_find(c->shared_ro, SHARED_LEAF, node->sha256, node->name, &json);
        _cleanup_(analysis_result_freep) struct analysis_result *t = NULL;
        int k;

        if (!e || !(t = shared_node(json)) || !t->type || !t->mime)
                return 0;
        free(node->type);
        free(node->mime);
        node->type = TAKE_PTR(t->type);
        node->mime = TAKE_PTR(t->mime);
        k = copy_findings(node, t, 0);
        trace_hit(node);
        return k < 0 ? k : 1;
}

static int shared_apply_tree(struct scan_cache *c, struct analysis_result *node, bool in_disk_image,
                             bool (*accept)(const struct scan_tree_stats *s, void *userdata),
                             void *userdata, struct scan_tree_stats *ret_stats)
{
        const char *json = NULL;
        const struct shared_entry *e =
                shared_find(c->shared_ro, in_disk_image ? SHARED_TREE_IN_IMAGE : SHARED_TREE,
                            node->sha256, node->name, &json);
        _cleanup_(analysis_result_freep) struct analysis_result *t = NULL;
        struct scan_tree_stats stats;
        int k;

        if (!e)
                return 0;
        stats = (struct scan_tree_stats){.height = e->height, .nodes = e->nodes, .bytes = e->bytes};
        if (!accept(&stats, userdata) || !(t = shared_node(json)))
                return 0;
        k = copy_findings(node, t, 0);
        for (size_t i = 0; k >= 0 && i < t->n_children; i++) {
                struct analysis_result *child = clone_tree(t->children[i]);
                k = child ? analysis_result_add_child(node, child) : -ENOMEM;
                if (k < 0)
                        analysis_result_free(child);
        }
        if (k < 0)
                return k;
        trace_hit(node);
        *ret_stats = stats;
        return 1;
}

/* In a worker: an entry the current job added, for the supervisor to share. Best effort. */
static void export_entry(struct scan_cache *c, const char *kind, const char *sha256,
                         const char *name, bool in_disk_image, const struct scan_tree_stats *stats,
                         const struct analysis_result *entry)
{
        struct json_object *o = json_object_new_object(), *node = analysis_result_to_json(entry);

        if (!o || !node) {
                json_object_put(o);
                json_object_put(node);
                return;
        }
        json_object_object_add(o, "kind", json_object_new_string(kind));
        json_object_object_add(o, "sha256", json_object_new_string(sha256));
        json_object_object_add(o, "name", json_object_new_string(name));
        json_object_object_add(o, "in_disk_image", json_object_new_boolean(in_disk_image));
        if (stats) {
                json_object_object_add(o, "height", json_object_new_int64(stats->height));
                json_object_object_add(o, "nodes", json_object_new_int64((int64_t)stats->nodes));
                json_object_object_add(o, "bytes", json_object_new_int64((int64_t)stats->bytes));
        }
        json_object_object_add(o, "node", node);
        if (json_object_array_add(c->exports, o) < 0)
                json_object_put(o);
}

void scan_cache_export_begin(struct scan_cache *c, bool on)
{
        if (!c)
                return;
        json_object_put(c->exports);
        c->exports = on && c->shared_ro ? json_object_new_array() : NULL;
}

char *scan_cache_export_take(struct scan_cache *c, size_t *ret_size)
{
        char *text = NULL;

        *ret_size = 0;
        if (c && c->exports && json_object_array_length(c->exports) > 0) {
                text = strdup(json_object_to_json_string_ext(c->exports, JSON_C_TO_STRING_PLAIN));
                if (text)
                        *ret_size = strlen(text);
        }
        if (c) {
                json_object_put(c->exports);
                c->exports = NULL;
        }
        return text;
}

static bool is_sha256(const char *s)
{
        if (!s || strlen(s) != 64)
                return false;
        for (const char *p = s; *p; p++)
                if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
                        return false;
        return true;
}

static int64_t get_count(struct json_object *o, const char *key)
{
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
                return -1;
        return json_object_get_int64(v);
}

/* Checks one entry and, with commit, appends it to the table (lock held). *json is the text of
 * its node: made by the check (it points into the node, valid while o is not changed or freed)
 * and reused by the commit, so that a node is written out once. Returns 0, or -EBADMSG. */
static int shared_add(struct scan_cache *c, struct json_object *o, bool commit, const char **json)
{
        struct json_object *v, *node;
        const char *kind_s, *sha256, *name;
        uint32_t kind;
        int64_t height = 0, nodes = 0, bytes = 0;
        const char *dummy;

        if (!json_object_is_type(o, json_type_object) ||
            !json_object_object_get_ex(o, "kind", &v) || !(kind_s = json_object_get_string(v)) ||
            !json_object_object_get_ex(o, "sha256", &v) ||
            !json_object_is_type(v, json_type_string) ||
            !is_sha256(sha256 = json_object_get_string(v)) ||
            !json_object_object_get_ex(o, "name", &v) ||
            !json_object_is_type(v, json_type_string) ||
            !json_object_object_get_ex(o, "node", &node) ||
            !json_object_is_type(node, json_type_object))
                return -EBADMSG;
        name = json_object_get_string(v);
        if (streq(kind_s, "leaf"))
                kind = SHARED_LEAF;
        else if (streq(kind_s, "tree")) {
                kind = json_object_object_get_ex(o, "in_disk_image", &v) &&
                                       json_object_get_boolean(v)
                               ? SHARED_TREE_IN_IMAGE
                               : SHARED_TREE;
                height = get_count(o, "height");
                nodes = get_count(o, "nodes");
                bytes = get_count(o, "bytes");
                if (height < 0 || height > TREE_MAX_NODES || nodes < 0 || nodes > TREE_MAX_NODES ||
                    bytes < 0)
                        return -EBADMSG;
        } else
                return -EBADMSG;
        if (!commit)
                *json = json_object_to_json_string_ext(node, JSON_C_TO_STRING_PLAIN);
        size_t name_len = strlen(name), json_len = *json ? strlen(*json) : 0;
        size_t size = sizeof(struct shared_entry) + name_len + json_len + 2;
        if (!*json || size > SHARED_MAX_ENTRY)
                return -EBADMSG;
        if (!commit)
                return 0;
        if (shared_find(c->shared_ro, kind, sha256, name, &dummy))
                return 0; /* another worker judged the same content */
        size = (size + 7) & ~(size_t)7;
        if (c->shared_used + size > SHARED_SIZE)
                return 0; /* full: the workers' own caches still serve */
        uint32_t off = c->shared_used;
        uint8_t *p = (uint8_t *)c->shared_rw + off;
        struct shared_entry *e = (struct shared_entry *)p;
        size_t b = bucket_of(sha256, name);
        *e = (struct shared_entry){.kind = kind,
                                   .name_len = (uint32_t)name_len,
                                   .json_len = (uint32_t)json_len,
                                   .nodes = (uint64_t)nodes,
                                   .bytes = (uint64_t)bytes,
                                   .height = (uint32_t)height,
                                   .next = c->shared_rw->buckets[b]};
        memcpy(e->sha256, sha256, 64);
        memcpy(p + sizeof(*e), name, name_len + 1);
        memcpy(p + sizeof(*e) + name_len + 1, *json, json_len + 1);
        __atomic_store_n(&c->shared_rw->buckets[b], off, __ATOMIC_RELEASE);
        c->shared_used += (uint32_t)size;
        return 0;
}

int scan_cache_ingest(struct scan_cache *c, const char *text, size_t size)
{
        struct json_object *o;
        int k = 0;

        if (!c || !c->shared_rw || size == 0)
                return 0;
        if (strnlen(text, size) != size || !(o = json_tokener_parse(text)))
                return -EBADMSG;
        if (!json_object_is_type(o, json_type_array))
                k = -EBADMSG;
        size_t n = k >= 0 ? json_object_array_length(o) : 0;
        _cleanup_free_ const char **texts = n ? calloc(n, sizeof(*texts)) : NULL;
        if (n && !texts)
                k = -ENOMEM;
        /* All or nothing: a reply with one bad entry is not believed for the others. */
        pthread_mutex_lock(&c->lock);
        for (int commit = 0; k >= 0 && commit < 2; commit++)
                for (size_t i = 0; k >= 0 && i < n; i++)
                        k = shared_add(c, json_object_array_get_idx(o, i), commit, &texts[i]);
        pthread_mutex_unlock(&c->lock);
        json_object_put(o);
        return k;
}
