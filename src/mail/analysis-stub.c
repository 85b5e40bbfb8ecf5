/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TEMPORARY: a stand-in for the triage engine of branch "analyze", built only while
 * src/analysis has no sources, so that the mail code can be built and tested before the
 * merge. It knows two patterns (EICAR and a Blob/createObjectURL smuggling page). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"

struct analysis_ctx {
        struct analysis_options opts;
};

void analysis_options_init(struct analysis_options *o)
{
        memset(o, 0, sizeof(*o));
}

int analysis_ctx_new(const struct analysis_options *opts, struct analysis_ctx **ret,
                     char **ret_error)
{
        struct analysis_ctx *c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        if (opts)
                c->opts = *opts;
        *ret = c;
        return 0;
}

struct analysis_ctx *analysis_ctx_free(struct analysis_ctx *ctx)
{
        free(ctx);
        return NULL;
}

size_t analysis_ctx_rule_count(const struct analysis_ctx *ctx)
{
        return 2;
}

struct analysis_result *analysis_result_new(const char *name)
{
        struct analysis_result *r = calloc(1, sizeof(*r));
        if (!r)
                return NULL;
        r->path = strdup(name ?: "");
        r->name = strdup(name ?: "");
        return r;
}

int analysis_result_add_finding(struct analysis_result *r, const char *rule,
                                enum analysis_severity severity, const char *attack,
                                const char *description, const char *evidence, const char *source)
{
        struct analysis_finding *f =
                reallocarray(r->findings, r->n_findings + 1, sizeof(*r->findings));
        if (!f)
                return -ENOMEM;
        r->findings = f;
        f = &f[r->n_findings++];
        memset(f, 0, sizeof(*f));
        f->rule = strdup(rule);
        f->severity = severity;
        f->attack = calloc(2, sizeof(char *));
        if (attack)
                f->attack[0] = strdup(attack);
        f->description = strdup(description ?: "");
        f->evidence = evidence ? strdup(evidence) : NULL;
        f->source = strdup(source ?: "heuristic");
        return 0;
}

int analysis_result_add_child(struct analysis_result *parent, struct analysis_result *child)
{
        struct analysis_result **v =
                reallocarray(parent->children, parent->n_children + 1, sizeof(*v));
        if (!v)
                return -ENOMEM;
        parent->children = v;
        v[parent->n_children++] = child;
        child->parent = parent;
        return 0;
}

int analysis_result_set_unscannable(struct analysis_result *r, const char *limit, const char *why)
{
        free(r->limit);
        r->limit = strdup(limit);
        return analysis_result_add_finding(r, "limit", ANALYSIS_SEVERITY_INFO, NULL, why, limit,
                                           "limit");
}

enum analysis_verdict analysis_verdict_worst(enum analysis_verdict a, enum analysis_verdict b)
{
        return a > b ? a : b;
}

void analysis_result_finalize(struct analysis_result *r)
{
        static const unsigned scores[] = {0, 2, 5, 8, 10};
        unsigned score = 0;
        enum analysis_verdict v = ANALYSIS_CLEAN;

        for (size_t i = 0; i < r->n_findings; i++)
                if (scores[r->findings[i].severity] > score)
                        score = scores[r->findings[i].severity];
        if (score >= 8)
                v = ANALYSIS_MALICIOUS;
        else if (score >= 5)
                v = ANALYSIS_SUSPICIOUS;
        if (r->limit)
                v = analysis_verdict_worst(v, ANALYSIS_UNSCANNABLE);
        for (size_t i = 0; i < r->n_children; i++) {
                analysis_result_finalize(r->children[i]);
                v = analysis_verdict_worst(v, r->children[i]->verdict);
                if (r->children[i]->score > score)
                        score = r->children[i]->score;
        }
        r->verdict = v;
        r->score = score;
}

int analysis_scan_buffer(struct analysis_ctx *ctx, const char *name, const void *data, size_t size,
                         struct analysis_result **ret)
{
        struct analysis_result *r = analysis_result_new(name ?: "buffer");
        if (!r)
                return -ENOMEM;
        r->size = size;
        if (memmem(data, size, "EICAR-STANDARD-ANTIVIRUS-TEST-FILE", 34))
                analysis_result_add_finding(r, "eicar", ANALYSIS_SEVERITY_CRITICAL, NULL,
                                            "EICAR test file", NULL, "yara");
        if (memmem(data, size, "createObjectURL", 15) &&
            (memmem(data, size, "atob(", 5) || memmem(data, size, "new Blob", 8)))
                analysis_result_add_finding(r, "html_smuggling_blob", ANALYSIS_SEVERITY_HIGH,
                                            "T1027.006", "HTML smuggling", NULL, "yara");
        analysis_result_finalize(r);
        *ret = r;
        return 0;
}

int analysis_scan_path(struct analysis_ctx *ctx, const char *path, struct analysis_result **ret)
{
        return -EOPNOTSUPP;
}

int analysis_scan_fd(struct analysis_ctx *ctx, int fd, const char *name,
                     struct analysis_result **ret)
{
        return -EOPNOTSUPP;
}

struct analysis_result *analysis_result_free(struct analysis_result *r)
{
        if (!r)
                return NULL;
        for (size_t i = 0; i < r->n_children; i++)
                analysis_result_free(r->children[i]);
        for (size_t i = 0; i < r->n_findings; i++) {
                struct analysis_finding *f = &r->findings[i];
                free(f->rule);
                if (f->attack)
                        free(f->attack[0]);
                free(f->attack);
                free(f->description);
                free(f->evidence);
                free(f->source);
        }
        free(r->findings);
        free(r->children);
        free(r->path);
        free(r->name);
        free(r->sha256);
        free(r->type);
        free(r->mime);
        free(r->limit);
        free(r->note);
        free(r);
        return NULL;
}

const char *analysis_verdict_to_string(enum analysis_verdict v)
{
        static const char *const s[] = {"clean", "suspicious", "unscannable", "malicious"};
        return s[v];
}

const char *analysis_severity_to_string(enum analysis_severity s)
{
        static const char *const n[] = {"info", "low", "medium", "high", "critical"};
        return n[s];
}

struct json_object *analysis_result_to_json(const struct analysis_result *r)
{
        struct json_object *o = json_object_new_object(), *f = json_object_new_array(),
                           *c = json_object_new_array();

        json_object_object_add(o, "path", json_object_new_string(r->path ?: ""));
        json_object_object_add(o, "verdict",
                               json_object_new_string(analysis_verdict_to_string(r->verdict)));
        json_object_object_add(o, "score", json_object_new_int((int)r->score));
        json_object_object_add(o, "size", json_object_new_int64((int64_t)r->size));
        if (r->limit)
                json_object_object_add(o, "limit", json_object_new_string(r->limit));
        for (size_t i = 0; i < r->n_findings; i++) {
                struct json_object *x = json_object_new_object();
                json_object_object_add(x, "rule", json_object_new_string(r->findings[i].rule));
                json_object_object_add(x, "description",
                                       json_object_new_string(r->findings[i].description ?: ""));
                json_object_array_add(f, x);
        }
        json_object_object_add(o, "findings", f);
        for (size_t i = 0; i < r->n_children; i++)
                json_object_array_add(c, analysis_result_to_json(r->children[i]));
        json_object_object_add(o, "children", c);
        return o;
}

struct json_object *analysis_report_new(struct analysis_result *const *results, size_t n)
{
        struct json_object *o = json_object_new_object(), *files = json_object_new_array();

        json_object_object_add(o, "schema_version", json_object_new_int(ANALYSIS_SCHEMA_VERSION));
        for (size_t i = 0; i < n; i++)
                json_object_array_add(files, analysis_result_to_json(results[i]));
        json_object_object_add(o, "files", files);
        return o;
}

int analysis_exit_status(enum analysis_verdict worst)
{
        return worst == ANALYSIS_CLEAN ? 0 : 1;
}
