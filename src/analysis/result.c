/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The result tree: nodes, findings, scoring (docs/scoring.md) and the JSON report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "basic/escape.h"
#include "basic/macro.h"
#include "config.h"

static const char *const verdict_names[] = {
        [ANALYSIS_CLEAN] = "clean",
        [ANALYSIS_SUSPICIOUS] = "suspicious",
        [ANALYSIS_UNSCANNABLE] = "unscannable",
        [ANALYSIS_MALICIOUS] = "malicious",
};

static const char *const severity_names[] = {
        [ANALYSIS_SEVERITY_INFO] = "info",         [ANALYSIS_SEVERITY_LOW] = "low",
        [ANALYSIS_SEVERITY_MEDIUM] = "medium",     [ANALYSIS_SEVERITY_HIGH] = "high",
        [ANALYSIS_SEVERITY_CRITICAL] = "critical",
};

/* The score a single finding of each severity gives its node. */
static const unsigned severity_score[] = {
        [ANALYSIS_SEVERITY_INFO] = 0,      [ANALYSIS_SEVERITY_LOW] = 2,
        [ANALYSIS_SEVERITY_MEDIUM] = 5,    [ANALYSIS_SEVERITY_HIGH] = 8,
        [ANALYSIS_SEVERITY_CRITICAL] = 10,
};

#define SCORE_SUSPICIOUS 4
#define SCORE_MALICIOUS  7

const char *analysis_verdict_to_string(enum analysis_verdict v)
{
        return (unsigned)v < ELEMENTSOF(verdict_names) ? verdict_names[v] : "unknown";
}

const char *analysis_severity_to_string(enum analysis_severity s)
{
        return (unsigned)s < ELEMENTSOF(severity_names) ? severity_names[s] : "unknown";
}

enum analysis_verdict analysis_verdict_worst(enum analysis_verdict a, enum analysis_verdict b)
{
        return a > b ? a : b;
}

int analysis_exit_status(enum analysis_verdict worst)
{
        return worst == ANALYSIS_CLEAN ? 0 : 1;
}

struct analysis_result *analysis_result_new(const char *name)
{
        struct analysis_result *r = calloc(1, sizeof(*r));

        if (!r)
                return NULL;
        r->path = strdup(name ? name : "");
        const char *slash = name ? strrchr(name, '/') : NULL;
        r->name = strdup(slash && slash[1] ? slash + 1 : (name ? name : ""));
        if (!r->path || !r->name)
                return analysis_result_free(r);
        return r;
}

/* Arrays grow to the next power of two (at least 4) when their count reaches one, so that a
 * folder of 100,000 files costs linear time without a capacity field in the public struct. */
static bool needs_growth(size_t n)
{
        return n < 4 ? n == 0 : (n & (n - 1)) == 0;
}

static size_t grow_to(size_t n)
{
        return n < 4 ? 4 : 2 * n;
}

static void finding_done(struct analysis_finding *f)
{
        free(f->rule);
        strv_free(f->attack);
        free(f->description);
        free(f->evidence);
        free(f->source);
}

struct analysis_result *analysis_result_free(struct analysis_result *r)
{
        if (!r)
                return NULL;
        for (size_t i = 0; i < r->n_findings; i++)
                finding_done(&r->findings[i]);
        free(r->findings);
        for (size_t i = 0; i < r->n_children; i++)
                analysis_result_free(r->children[i]);
        free(r->children);
        free(r->detonation);
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

static char **split_attack(const char *attack)
{
        size_t n = 1;
        char **v;

        for (const char *p = attack; p && *p; p++)
                n += *p == ',';
        v = calloc(n + 1, sizeof(char *));
        if (!v)
                return NULL;
        if (!attack || !*attack)
                return v;
        n = 0;
        for (const char *p = attack; *p;) {
                size_t len = strcspn(p, ", ");
                if (len > 0) {
                        v[n] = strndup(p, len);
                        if (!v[n]) {
                                strv_free(v);
                                return NULL;
                        }
                        n++;
                }
                p += len;
                p += strspn(p, ", ");
        }
        return v;
}

int analysis_result_add_finding(struct analysis_result *r, const char *rule,
                                enum analysis_severity severity, const char *attack,
                                const char *description, const char *evidence, const char *source)
{
        struct analysis_finding f = {.severity = severity};
        struct analysis_finding *grown;

        /* The same rule twice on one node says nothing new (a rule pack and a user's copy). */
        for (size_t i = 0; i < r->n_findings; i++)
                if (streq(r->findings[i].rule, rule ? rule : ""))
                        return 0;

        f.rule = strdup(rule ? rule : "");
        f.attack = split_attack(attack);
        f.description = strdup(description ? description : "");
        f.evidence = evidence ? strndup(evidence, 512) : NULL;
        f.source = strdup(source ? source : "heuristic");
        if (!f.rule || !f.attack || !f.description || (evidence && !f.evidence) || !f.source)
                goto nomem;
        if (needs_growth(r->n_findings)) {
                grown = reallocarray(r->findings, grow_to(r->n_findings), sizeof(*grown));
                if (!grown)
                        goto nomem;
                r->findings = grown;
        }
        r->findings[r->n_findings++] = f;
        return 0;
nomem:
        finding_done(&f);
        return -ENOMEM;
}

int analysis_finding_add_attack(struct analysis_finding *f, const char *id)
{
        size_t n = 0;
        char **grown, *copy;

        for (; f->attack[n]; n++)
                if (streq(f->attack[n], id))
                        return 0;
        copy = strdup(id);
        if (!copy)
                return -ENOMEM;
        grown = reallocarray(f->attack, n + 2, sizeof(*grown));
        if (!grown) {
                free(copy);
                return -ENOMEM;
        }
        grown[n] = copy;
        grown[n + 1] = NULL;
        f->attack = grown;
        return 1;
}

int analysis_result_add_child(struct analysis_result *parent, struct analysis_result *child)
{
        struct analysis_result **grown;

        if (needs_growth(parent->n_children)) {
                grown = reallocarray(parent->children, grow_to(parent->n_children), sizeof(*grown));
                if (!grown)
                        return -ENOMEM;
                parent->children = grown;
        }
        parent->children[parent->n_children++] = child;
        child->parent = parent;
        return 0;
}

int analysis_result_set_unscannable(struct analysis_result *r, const char *limit, const char *why)
{
        _cleanup_free_ char *rule = NULL;

        if (!r->limit) {
                r->limit = strdup(limit);
                if (!r->limit)
                        return -ENOMEM;
        }
        if (asprintf(&rule, "limit.%s", limit) < 0)
                return -ENOMEM;
        return analysis_result_add_finding(r, rule, ANALYSIS_SEVERITY_MEDIUM, NULL, why, NULL,
                                           "limit");
}

/* A node's own score: its strongest finding, plus one for each further finding of at least
 * low severity (at most two), capped at 10. Several weak signs together make a suspicion. */
static unsigned own_score(const struct analysis_result *r)
{
        unsigned best = 0, others = 0;

        for (size_t i = 0; i < r->n_findings; i++) {
                unsigned s = severity_score[r->findings[i].severity];
                if (s == 0)
                        continue;
                if (s > best) {
                        if (best > 0)
                                others++;
                        best = s;
                } else
                        others++;
        }
        best += others > 2 ? 2 : others;
        return best > 10 ? 10 : best;
}

void analysis_result_finalize(struct analysis_result *r)
{
        unsigned score = own_score(r);
        enum analysis_verdict v;

        v = score >= SCORE_MALICIOUS    ? ANALYSIS_MALICIOUS
            : score >= SCORE_SUSPICIOUS ? ANALYSIS_SUSPICIOUS
                                        : ANALYSIS_CLEAN;
        if (r->limit)
                v = analysis_verdict_worst(v, ANALYSIS_UNSCANNABLE);
        for (size_t i = 0; i < r->n_children; i++) {
                struct analysis_result *c = r->children[i];
                analysis_result_finalize(c);
                v = analysis_verdict_worst(v, c->verdict);
                if (c->score > score)
                        score = c->score;
        }
        r->score = score;
        r->verdict = v;
}

/* JSON is UTF-8 (RFC 8259), and json-c writes strings as given: names in an archive or an OLE
 * package are in whatever code page their writer used (GBK, CP1252...). Bytes that are not
 * valid UTF-8 are written as the text \xHH, as airlock's terminal output does. Returns a
 * malloc'd copy, or NULL when value is valid as it is (or on ENOMEM, with *oom set). */
static char *utf8_or_escaped(const char *value, bool *oom)
{
        const unsigned char *u = (const unsigned char *)value;
        size_t n = strlen(value), i = 0, m = 0, l;
        char *out;

        *oom = false;
        while (i < n && (l = utf8_sequence_length(u + i, n - i, NULL)) > 0)
                i += l;
        if (i == n)
                return NULL;
        out = malloc(4 * n + 1);
        if (!out) {
                *oom = true;
                return NULL;
        }
        for (i = 0; i < n;) {
                l = utf8_sequence_length(u + i, n - i, NULL);
                if (l > 0) {
                        memcpy(out + m, value + i, l);
                        m += l;
                        i += l;
                } else
                        m += (size_t)sprintf(out + m, "\\x%02x", u[i++]);
        }
        out[m] = 0;
        return out;
}

static int add_string(struct json_object *o, const char *key, const char *value)
{
        struct json_object *s;
        char *fixed = NULL;
        bool oom = false;

        if (value && (fixed = utf8_or_escaped(value, &oom)))
                value = fixed;
        if (oom)
                return -ENOMEM;
        s = value ? json_object_new_string(value) : json_object_new_null();
        free(fixed);
        if (value && !s)
                return -ENOMEM;
        return json_object_object_add(o, key, s) < 0 ? -ENOMEM : 0;
}

static struct json_object *finding_to_json(const struct analysis_finding *f)
{
        struct json_object *o = json_object_new_object(), *attack = json_object_new_array();

        if (!o || !attack)
                goto fail;
        for (char **a = f->attack; *a; a++)
                json_object_array_add(attack, json_object_new_string(*a));
        if (add_string(o, "rule", f->rule) < 0 ||
            add_string(o, "severity", analysis_severity_to_string(f->severity)) < 0 ||
            json_object_object_add(o, "attack", attack) < 0)
                goto fail;
        attack = NULL;
        if (add_string(o, "description", f->description) < 0 ||
            add_string(o, "evidence", f->evidence) < 0 || add_string(o, "source", f->source) < 0)
                goto fail;
        return o;
fail:
        json_object_put(attack);
        json_object_put(o);
        return NULL;
}

struct json_object *analysis_result_to_json(const struct analysis_result *r)
{
        struct json_object *o = json_object_new_object(), *findings = NULL, *children = NULL;

        if (!o)
                return NULL;
        if (add_string(o, "path", r->path) < 0 || add_string(o, "name", r->name) < 0 ||
            add_string(o, "sha256", r->sha256) < 0 || add_string(o, "type", r->type) < 0 ||
            add_string(o, "mime", r->mime) < 0)
                goto fail;
        json_object_object_add(o, "size", json_object_new_int64((int64_t)r->size));
        add_string(o, "verdict", analysis_verdict_to_string(r->verdict));
        json_object_object_add(o, "score", json_object_new_int((int)r->score));
        if (r->limit)
                add_string(o, "limit", r->limit);
        if (r->note)
                add_string(o, "note", r->note);
        if (r->detonation) {
                struct json_object *d = json_tokener_parse(r->detonation);
                if (d)
                        json_object_object_add(o, "detonation", d);
        }
        findings = json_object_new_array();
        if (!findings)
                goto fail;
        json_object_object_add(o, "findings", findings);
        for (size_t i = 0; i < r->n_findings; i++) {
                struct json_object *f = finding_to_json(&r->findings[i]);
                if (!f || json_object_array_add(findings, f) < 0)
                        goto fail;
        }
        children = json_object_new_array();
        if (!children)
                goto fail;
        json_object_object_add(o, "children", children);
        for (size_t i = 0; i < r->n_children; i++) {
                struct json_object *c = analysis_result_to_json(r->children[i]);
                if (!c || json_object_array_add(children, c) < 0)
                        goto fail;
        }
        return o;
fail:
        json_object_put(o);
        return NULL;
}

struct json_object *analysis_report_new(struct analysis_result *const *results, size_t n)
{
        struct json_object *o = json_object_new_object(), *files = json_object_new_array();
        struct json_object *summary = json_object_new_object();
        size_t counts[ELEMENTSOF(verdict_names)] = {0};
        enum analysis_verdict worst = ANALYSIS_CLEAN;

        if (!o || !files || !summary)
                goto fail;
        json_object_object_add(o, "schema_version", json_object_new_int(ANALYSIS_SCHEMA_VERSION));
        add_string(o, "tool", "airlock");
        add_string(o, "version", AIRLOCK_VERSION);
        json_object_object_add(o, "files", files);
        files = NULL;
        for (size_t i = 0; i < n; i++) {
                struct json_object *f = analysis_result_to_json(results[i]);
                if (!f || json_object_array_add(json_object_object_get(o, "files"), f) < 0)
                        goto fail;
                counts[results[i]->verdict]++;
                worst = analysis_verdict_worst(worst, results[i]->verdict);
        }
        json_object_object_add(summary, "files", json_object_new_int64((int64_t)n));
        for (size_t v = 0; v < ELEMENTSOF(verdict_names); v++)
                json_object_object_add(summary, verdict_names[v],
                                       json_object_new_int64((int64_t)counts[v]));
        add_string(summary, "verdict", analysis_verdict_to_string(worst));
        json_object_object_add(o, "summary", summary);
        return o;
fail:
        json_object_put(files);
        json_object_put(summary);
        json_object_put(o);
        return NULL;
}
