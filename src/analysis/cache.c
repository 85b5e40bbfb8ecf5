/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the content of a node yields, whatever its place: the true type and the findings of the
 * rules (YARA and hash lists), kept by SHA-256 and name (rules may test the name) so that the
 * same content met again (an attachment sent to many recipients, a file and its copy inside an
 * archive) is not typed and scanned again. ClamAV keeps a cache of the same kind. Heuristics of
 * names and places, archive walks and carving still run for every node. Bounded: when full, it
 * is emptied. */
#include "analysis-internal.h"

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

struct scan_cache {
        pthread_mutex_t lock;
        size_t n_entries;
        struct cache_entry *buckets[CACHE_BUCKETS];
        uint64_t tree_nodes;
        struct tree_entry *trees[CACHE_BUCKETS];
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

static void clear_trees(struct scan_cache *c)
{
        for (size_t b = 0; b < CACHE_BUCKETS; b++)
                for (struct tree_entry *e = c->trees[b], *next; e; e = next) {
                        next = e->next;
                        analysis_result_free(e->tmpl);
                        free(e->name);
                        free(e);
                }
        memset(c->trees, 0, sizeof(c->trees));
        c->tree_nodes = 0;
}

static void clear(struct scan_cache *c)
{
        clear_trees(c);
        for (size_t b = 0; b < CACHE_BUCKETS; b++)
                for (struct cache_entry *e = c->buckets[b], *next; e; e = next) {
                        next = e->next;
                        entry_free(e);
                }
        memset(c->buckets, 0, sizeof(c->buckets));
        c->n_entries = 0;
}

int scan_cache_new(struct scan_cache **ret)
{
        struct scan_cache *c = calloc(1, sizeof(*c));

        if (!c)
                return -ENOMEM;
        pthread_mutex_init(&c->lock, NULL);
        *ret = c;
        return 0;
}

void scan_cache_free(struct scan_cache *c)
{
        if (!c)
                return;
        clear(c);
        pthread_mutex_destroy(&c->lock);
        free(c);
}

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
                return 0;
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
        c->tree_nodes += stats->nodes;
        pthread_mutex_unlock(&c->lock);
        return;
fail:
        analysis_result_free(e->tmpl);
        free(e->name);
        free(e);
}
