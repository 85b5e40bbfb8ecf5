/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The whole message in a confined worker (docs/worker.md): GMime parses it and the MIME walk
 * judges its parts there, not in the milter or `mail scan`. The worker answers the report JSON
 * of mail_message_to_json() and, when the caller asked for it, the body rewritten with the
 * offending parts stripped; the supervisor builds its struct mail_message back from that JSON
 * (type-checked: the worker is not trusted), without GMime. A worker that crashes or hangs on a
 * message leaves it unscannable (worker.crashed, limit.time), as a part. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/detonate.h"
#include "basic/macro.h"
#include "mail/mime.h"

#define JOB_VERSION  2
#define JOB_GRACE_MS 1000
/* The decoded content of the parts to detonate that one reply may carry; a part beyond it is
 * not run (a note on it says so). */
#define JOB_MAX_KEPT (64u << 20)

enum {
        JOB_DETONATE = 1 << 0, /* answer the content of each part detonation would run */
};

/* The arguments of a job, then name_len bytes of the name. */
struct job_args {
        uint32_t version;
        uint32_t max_depth;
        uint64_t max_parts;
        uint64_t max_decoded;
        uint32_t timeout_ms;
        uint32_t max_uu_blocks;
        uint32_t strip_when;
        uint32_t strip_parts;
        uint32_t name_len;
        uint32_t flags; /* JOB_DETONATE */
};

static bool strip_by_mask(const struct mail_part *p, void *userdata)
{
        const uint32_t *parts = userdata;

        return p->result && p->result->verdict < 32 && (*parts & (1u << p->result->verdict));
}

static void json_add_str(struct json_object *o, const char *key, const char *value)
{
        if (value)
                json_object_object_add(o, key, json_object_new_string(value));
}

/* In the worker: the decoded content of the parts the supervisor is to detonate (a worker
 * cannot run a program), one after the other, and where each starts. */
struct kept_parts {
        struct json_object *list; /* [{"path": "1.2", "offset": N, "size": N}] */
        char *data;
        size_t size;
};

static int keep_part(void *userdata, const struct mail_part *p, const void *data, size_t size)
{
        struct kept_parts *kp = userdata;
        struct json_object *e;
        char *v;

        if (size > JOB_MAX_KEPT - kp->size)
                return analysis_result_add_finding(p->result, "detonation.failed",
                                                   ANALYSIS_SEVERITY_INFO, NULL,
                                                   "the attachment could not be run",
                                                   "more content to run than one message may "
                                                   "carry",
                                                   "detonation");
        if (!kp->list && !(kp->list = json_object_new_array()))
                return -ENOMEM;
        v = realloc(kp->data, kp->size + size + 1);
        if (!v)
                return -ENOMEM;
        kp->data = v;
        memcpy(kp->data + kp->size, data, size);
        e = json_object_new_object();
        if (!e)
                return -ENOMEM;
        json_object_object_add(e, "path", json_object_new_string(p->mime_path));
        json_object_object_add(e, "offset", json_object_new_int64((int64_t)kp->size));
        json_object_object_add(e, "size", json_object_new_int64((int64_t)size));
        if (json_object_array_add(kp->list, e) < 0) {
                json_object_put(e);
                return -ENOMEM;
        }
        kp->size += size;
        return 0;
}

/* In the worker: walks the message in data, strips it when asked, answers
 * {"report": ..., "stripped": N, "content_type": ..., "encoding": ..., "body_size": N,
 *  "detonate": [...]} NUL body, then the content of the parts to detonate. */
static int message_job(struct analysis_ctx *ctx, const void *data, size_t size, const void *args,
                       size_t args_size, char **ret_reply, size_t *ret_size)
{
        _cleanup_(mail_message_freep) struct mail_message *m = NULL;
        _cleanup_free_ char *body = NULL, *ctype = NULL, *enc = NULL, *name = NULL;
        struct json_object *o, *report;
        struct kept_parts kept = {};
        struct mail_limits limits;
        struct job_args a;
        size_t body_size = 0;
        int n = 0, k;

        if (args_size < sizeof(a))
                return -EBADMSG;
        memcpy(&a, args, sizeof(a));
        if (a.version != JOB_VERSION || a.name_len != args_size - sizeof(a))
                return -EBADMSG;
        name = strndup((const char *)args + sizeof(a), a.name_len);
        if (!name)
                return -ENOMEM;
        mail_limits_init(&limits);
        limits.max_depth = a.max_depth;
        limits.max_parts = a.max_parts;
        limits.max_decoded = a.max_decoded;
        limits.timeout_ms = a.timeout_ms;
        limits.max_uu_blocks = a.max_uu_blocks;
        if (a.flags & JOB_DETONATE) {
                limits.keep_detonatable = keep_part;
                limits.keep_userdata = &kept;
        }
        k = mail_message_scan(ctx, &limits, name, data, size, &m);
        if (k < 0) {
                json_object_put(kept.list);
                free(kept.data);
                return k;
        }
        if (m->result->verdict < 32 && (a.strip_when & (1u << m->result->verdict))) {
                n = mail_message_strip(m, strip_by_mask, &a.strip_parts);
                if (n > 0)
                        k = mail_message_render_body(m, &body, &body_size, &ctype, &enc);
                if (n < 0 || k < 0)
                        n = 0; /* the supervisor holds what it cannot strip */
        }
        _cleanup_free_ char *kept_data = kept.data;
        report = mail_message_to_json(m);
        o = json_object_new_object();
        if (!report || !o) {
                json_object_put(report);
                json_object_put(o);
                json_object_put(kept.list);
                return -ENOMEM;
        }
        json_object_object_add(o, "body_size", json_object_new_int64((int64_t)body_size));
        if (kept.list)
                json_object_object_add(o, "detonate", kept.list);
        json_object_object_add(o, "report", report);
        json_object_object_add(o, "stripped", json_object_new_int(n));
        if (n > 0) {
                json_add_str(o, "content_type", ctype);
                json_add_str(o, "encoding", enc);
        }
        const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        size_t len = text ? strlen(text) : 0;
        char *reply = text ? malloc(len + 1 + body_size + kept.size) : NULL;
        if (reply) {
                memcpy(reply, text, len + 1);
                if (body_size)
                        memcpy(reply + len + 1, body, body_size);
                if (kept.size)
                        memcpy(reply + len + 1 + body_size, kept_data, kept.size);
        }
        json_object_put(o);
        if (!reply)
                return -ENOMEM;
        *ret_reply = reply;
        *ret_size = len + 1 + body_size + kept.size;
        return 0;
}

/* Before the constructor of an exec'd worker zygote (priority 200). */
__attribute__((constructor(150))) static void register_job(void)
{
        analysis_register_worker_job(message_job, mail_prepare_confined);
}

/* ---- in the supervisor ---- */

static const char *get_str(struct json_object *o, const char *key)
{
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
                return NULL;
        return json_object_get_string(v);
}

static int dup_str(char **field, struct json_object *o, const char *key)
{
        const char *v = get_str(o, key);

        if (!v)
                return 0;
        *field = strdup(v);
        return *field ? 0 : -ENOMEM;
}

static int kind_from_string(const char *s, enum mail_part_kind *ret)
{
        static const char *const names[] = {
                [MAIL_PART_LEAF] = "part",
                [MAIL_PART_MULTIPART] = "multipart",
                [MAIL_PART_MESSAGE] = "message",
                [MAIL_PART_UUENCODED] = "uuencoded",
        };

        for (size_t i = 0; s && i < ELEMENTSOF(names); i++)
                if (streq(s, names[i])) {
                        *ret = (enum mail_part_kind)i;
                        return 0;
                }
        return -EBADMSG;
}

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static struct mail_part *part_from_json(struct json_object *mime, struct analysis_result *r,
                                        size_t index, struct mail_part *parent)
{
        struct mail_part *p = calloc(1, sizeof(*p));
        struct json_object *v;

        if (!p)
                return NULL;
        p->result = r;
        p->result_index = index;
        p->parent = parent;
        p->attachment = json_object_object_get_ex(mime, "attachment", &v) &&
                        json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
        p->stripped = json_object_object_get_ex(mime, "stripped", &v) &&
                      json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
        if (kind_from_string(get_str(mime, "kind"), &p->kind) < 0 ||
            dup_str(&p->mime_path, mime, "path") < 0 || !p->mime_path ||
            dup_str(&p->content_type, mime, "content_type") < 0 ||
            dup_str(&p->disposition, mime, "disposition") < 0 ||
            dup_str(&p->filename, mime, "filename") < 0 ||
            dup_str(&p->encoding, mime, "encoding") < 0 ||
            dup_str(&p->charset, mime, "charset") < 0) {
                mail_part_free(p);
                return NULL;
        }
        if (r && r->size)
                p->size = r->size;
        return p;
}

static int add_part(struct mail_message *m, struct mail_part *parent, struct mail_part *p)
{
        struct mail_part **v;

        if (!parent) {
                if (m->root)
                        return -EBADMSG; /* one top-level body */
                m->root = p;
                return 0;
        }
        v = reallocarray(parent->children, parent->n_children + 1, sizeof(*v));
        if (!v)
                return -ENOMEM;
        parent->children = v;
        v[parent->n_children++] = p;
        return 0;
}

/* The parts of the message: each node of the JSON tree that has a "mime_part" object, below the
 * nearest part above it. o and r are the same node of the JSON and of the rebuilt tree. */
static int parts_from_json(struct mail_message *m, struct json_object *o, struct analysis_result *r,
                           struct mail_part *parent, unsigned level)
{
        struct json_object *children, *mime;
        int k;

        if (level > 256)
                return -EBADMSG;
        if (!json_object_object_get_ex(o, "children", &children) ||
            !json_object_is_type(children, json_type_array))
                return 0;
        if (json_object_array_length(children) != r->n_children)
                return -EBADMSG;
        for (size_t i = 0; i < r->n_children; i++) {
                struct json_object *c = json_object_array_get_idx(children, i);
                struct mail_part *p = NULL;

                if (json_object_object_get_ex(c, "mime_part", &mime) &&
                    json_object_is_type(mime, json_type_object)) {
                        p = part_from_json(mime, r->children[i], i, parent);
                        if (!p)
                                return -EBADMSG;
                        k = add_part(m, parent, p);
                        if (k < 0) {
                                mail_part_free(p);
                                return k;
                        }
                }
                k = parts_from_json(m, c, r->children[i], p ?: parent, level + 1);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* The parts to detonate of a reply: its "detonate" list, and the content they point into. */
struct detonate_list {
        struct json_object *list; /* a reference of its own, or NULL */
        const char *data;
        size_t size;
};

static int message_from_reply(struct mail_message *m, const char *reply, size_t size,
                              struct detonate_list *det)
{
        size_t len = strnlen(reply, size), body_size = 0;
        struct json_object *o, *report, *msg, *v;
        int k = -EBADMSG;

        if (len == size)
                return -EBADMSG;
        /* A message nested max_depth deep: two JSON levels a node, and the part's object. */
        struct json_tokener *tok = json_tokener_new_ex(512);
        if (!tok)
                return -ENOMEM;
        o = json_tokener_parse_ex(tok, reply, (int)len);
        json_tokener_free(tok);
        if (!o || !json_object_object_get_ex(o, "report", &report) ||
            !json_object_is_type(report, json_type_object))
                goto out;
        if (!json_object_object_get_ex(o, "body_size", &v) ||
            !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
            (uint64_t)json_object_get_int64(v) > size - len - 1)
                goto out;
        body_size = (size_t)json_object_get_int64(v);
        k = analysis_result_from_json(report, m->result);
        if (k < 0)
                goto out;
        if (json_object_object_get_ex(report, "message", &msg) &&
            json_object_is_type(msg, json_type_object)) {
                if ((k = dup_str(&m->subject, msg, "subject")) < 0 ||
                    (k = dup_str(&m->from, msg, "from")) < 0 ||
                    (k = dup_str(&m->message_id, msg, "message_id")) < 0)
                        goto out;
                if (json_object_object_get_ex(msg, "parts", &v) &&
                    json_object_is_type(v, json_type_int))
                        m->n_parts = (uint64_t)json_object_get_int64(v);
        }
        k = parts_from_json(m, report, m->result, NULL, 0);
        if (k < 0)
                goto out;
        if (json_object_object_get_ex(o, "stripped", &v) && json_object_is_type(v, json_type_int) &&
            json_object_get_int(v) > 0 && m->root) {
                m->n_stripped = json_object_get_int(v);
                m->stripped_size = body_size;
                m->stripped_body = malloc(m->stripped_size + 1);
                if (!m->stripped_body ||
                    (k = dup_str(&m->stripped_content_type, o, "content_type")) < 0 ||
                    (k = dup_str(&m->stripped_encoding, o, "encoding")) < 0) {
                        k = -ENOMEM;
                        goto out;
                }
                memcpy(m->stripped_body, reply + len + 1, m->stripped_size);
                m->stripped_body[m->stripped_size] = 0;
        }
        if (det && json_object_object_get_ex(o, "detonate", &v) &&
            json_object_is_type(v, json_type_array)) {
                det->list = json_object_get(v);
                det->data = reply + len + 1 + body_size;
                det->size = size - len - 1 - body_size;
        }
        k = 0;
out:
        json_object_put(o);
        return k;
}

struct find_part {
        const char *path;
        struct mail_part *found;
};

static int find_part_by_path(struct mail_part *p, void *userdata)
{
        struct find_part *f = userdata;

        if (!streq(p->mime_path, f->path))
                return 0;
        f->found = p;
        return 1;
}

static int64_t get_int64(struct json_object *o, const char *key)
{
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
                return -1;
        return json_object_get_int64(v);
}

/* Runs the parts the worker handed over (detonation runs airlock run, which a worker cannot),
 * each from a memfd of its decoded content, as in process: the supervisor does not parse MIME, it
 * takes the bytes the worker gave for a part it names, and runs them only when that part's
 * node (type-checked from the worker's JSON) is one detonation would run. A part detonation
 * finds bad that the worker did not strip leaves no stripped body: the milter holds the
 * message then, it never delivers it with that part. Returns 0 or -ENOMEM. */
static int detonate_parts(struct mail_message *m, const struct detonate_list *det,
                          const struct detonate_options *d, const struct mail_scan_options *o)
{
        size_t n = json_object_array_length(det->list);
        bool unstripped_bad = false;

        for (size_t i = 0; i < n; i++) {
                struct json_object *e = json_object_array_get_idx(det->list, i);
                int64_t off = get_int64(e, "offset"), len = get_int64(e, "size");
                struct find_part f = {.path = get_str(e, "path")};
                struct analysis_result *r;

                if (!f.path || off < 0 || len < 0 || (uint64_t)off > det->size ||
                    (uint64_t)len > det->size - (uint64_t)off)
                        continue;
                (void)mail_message_foreach_part(m, find_part_by_path, &f);
                if (!f.found || f.found->kind != MAIL_PART_LEAF || !(r = f.found->result))
                        continue;
                if (f.found->stripped || !detonate_wanted(r))
                        continue;
                mail_detonate_part(r, det->data + off, (size_t)len, d);
                analysis_result_finalize(r);
                if (o && r->verdict < 32 && (o->strip_parts & (1u << r->verdict)))
                        unstripped_bad = true;
        }
        if (unstripped_bad && m->stripped_body) {
                free(m->stripped_body);
                m->stripped_body = NULL;
                m->stripped_size = 0;
                m->n_stripped = 0;
        }
        return 0;
}

static void detonate_list_done(struct detonate_list *d)
{
        json_object_put(d->list);
}

int mail_message_scan_confined(struct analysis_ctx *ctx, const struct mail_limits *limits,
                               const char *name, const void *data, size_t size,
                               const struct mail_scan_options *o, struct mail_message **ret)
{
        _cleanup_(mail_message_freep) struct mail_message *m = NULL;
        struct analysis_job_wait wait = {};
        _cleanup_(detonate_list_done) struct detonate_list det = {};
        _cleanup_free_ char *args = NULL, *reply = NULL;
        size_t name_len, reply_size = 0;
        struct job_args a;
        uint64_t start = now_usec();
        int k;

        if (!ctx)
                return -EOPNOTSUPP;
        mail_prepare_confined(); /* before the first worker is forked */
        name = name ?: "message";
        name_len = strnlen(name, 4096);
        a = (struct job_args){
                .version = JOB_VERSION,
                .max_depth = limits->max_depth,
                .max_parts = limits->max_parts,
                .max_decoded = limits->max_decoded,
                .timeout_ms = limits->timeout_ms,
                .max_uu_blocks = limits->max_uu_blocks,
                .strip_when = o ? o->strip_when : 0,
                .strip_parts = o ? o->strip_parts : 0,
                .name_len = (uint32_t)name_len,
                .flags = limits->detonate ? JOB_DETONATE : 0,
        };
        args = malloc(sizeof(a) + name_len);
        if (!args)
                return -ENOMEM;
        memcpy(args, &a, sizeof(a));
        memcpy(args + sizeof(a), name, name_len);
        if (o && o->wait)
                wait = *o->wait;
        if (!wait.timeout_ms && limits->timeout_ms)
                wait.timeout_ms = limits->timeout_ms + JOB_GRACE_MS;

        m = calloc(1, sizeof(*m));
        if (!m)
                return -ENOMEM;
        m->name = strndup(name, name_len);
        m->result = analysis_result_new(m->name);
        m->replaced = g_ptr_array_new_with_free_func(g_object_unref);
        if (!m->name || !m->result)
                return -ENOMEM;
        m->size = size;

        k = analysis_worker_job_run(ctx, data, size, args, sizeof(a) + name_len, &wait, m->result,
                                    &reply, &reply_size);
        if (k < 0)
                return k;
        if (k == 1 && o && o->deadline_is_error && streq_ptr(m->result->limit, "time"))
                return -ETIMEDOUT;
        if (k == 0) {
                k = message_from_reply(m, reply, reply_size, &det);
                if (k == -EBADMSG) {
                        /* Not a message's report: start again from an empty node. */
                        mail_message_free(TAKE_PTR(m));
                        m = calloc(1, sizeof(*m));
                        if (!m)
                                return -ENOMEM;
                        m->name = strndup(name, name_len);
                        m->result = analysis_result_new(name);
                        m->replaced = g_ptr_array_new_with_free_func(g_object_unref);
                        if (!m->name || !m->result)
                                return -ENOMEM;
                        m->size = size;
                        k = analysis_result_set_unscannable(m->result, "worker",
                                                            "the confined parser gave no result");
                }
                if (k < 0)
                        return k;
        }
        if (det.list) {
                k = detonate_parts(m, &det, limits->detonate, o);
                if (k < 0)
                        return k;
        }
        /* clamd parses the MIME itself: it is given the raw message, as clamav-milter does. */
        k = analysis_clamd_scan_node(ctx, m->result, data, size);
        if (k < 0)
                return k;
        analysis_result_finalize(m->result);
        m->scan_usec = now_usec() - start;
        *ret = TAKE_PTR(m);
        return 0;
}
