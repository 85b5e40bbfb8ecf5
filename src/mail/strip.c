/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stripping: the offending parts are replaced by a short text notice, everything else is
 * written back as it came (GMime keeps each untouched part's original encoded content). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basic/macro.h"
#include "mail/mime.h"

/* A file name made safe for the notice: ASCII printable only. */
static void sanitize(char *dst, size_t n, const char *src)
{
        size_t i = 0;

        for (; src && *src && i + 1 < n; src++)
                dst[i++] = (*src >= 0x20 && *src < 0x7f) ? *src : '?';
        dst[i] = 0;
}

static GMimeObject *notice_new(const struct mail_part *p)
{
        const struct analysis_result *r = p->result;
        const char *rule = r && r->n_findings ? r->findings[0].rule : NULL;
        char name[200], text[1024];
        GMimeTextPart *t;

        /* The first finding of the worst kind explains best; fall back to the first. */
        for (size_t i = 0; r && i < r->n_findings; i++)
                if (r->findings[i].severity >= ANALYSIS_SEVERITY_MEDIUM) {
                        rule = r->findings[i].rule;
                        break;
                }
        sanitize(name, sizeof(name), p->filename ?: p->content_type ?: "(unnamed)");
        snprintf(text, sizeof(text),
                 "airlock removed part %s (%s) from this message.\r\n"
                 "Verdict: %s, score %u%s%s.\r\n"
                 "Ask your mail administrator if you need it.\r\n",
                 p->mime_path, name, r ? analysis_verdict_to_string(r->verdict) : "unknown",
                 r ? r->score : 0, rule ? ", rule " : "", rule ?: "");

        t = g_mime_text_part_new_with_subtype("plain");
        if (!t)
                return NULL;
        g_mime_text_part_set_text(t, text);
        g_mime_text_part_set_charset(t, "us-ascii");
        g_mime_part_set_content_encoding(GMIME_PART(t), GMIME_CONTENT_ENCODING_7BIT);
        g_mime_object_set_header(GMIME_OBJECT(t), "X-Airlock-Stripped", p->mime_path, NULL);
        return GMIME_OBJECT(t);
}

static int replace_part(struct mail_message *m, struct mail_part *p)
{
        GMimeObject *notice = notice_new(p);
        GMimeObject *old = NULL;

        if (!notice)
                return -ENOMEM;
        if (p->container && GMIME_IS_MULTIPART(p->container)) {
                old = g_mime_multipart_replace(GMIME_MULTIPART(p->container), p->index, notice);
                g_object_unref(notice); /* the multipart holds its own reference */
        } else if (p->owner_message) {
                old = g_mime_message_get_mime_part(p->owner_message);
                if (old)
                        g_object_ref(old);
                g_mime_message_set_mime_part(p->owner_message, notice);
                g_object_unref(notice);
        } else {
                g_object_unref(notice);
                return -EINVAL;
        }
        if (old)
                g_ptr_array_add(m->replaced, old); /* p->object stays valid for reports */
        p->stripped = true;
        return 1;
}

struct strip_walk {
        struct mail_message *m;
        bool (*should_strip)(const struct mail_part *p, void *userdata);
        void *userdata;
        int n;
};

static bool under_stripped(const struct mail_part *p)
{
        for (; p; p = p->parent)
                if (p->stripped)
                        return true;
        return false;
}

static int strip_one(struct mail_part *p, void *userdata)
{
        struct strip_walk *s = userdata;
        struct mail_part *target = p;
        int k;

        if (p->kind != MAIL_PART_LEAF && p->kind != MAIL_PART_UUENCODED)
                return 0;
        if (!s->should_strip(p, s->userdata))
                return 0;
        /* A uuencoded block lives inside its text part, and the parts of an encoded message or
         * multipart were decoded from one leaf of the delivered mail: replacing them would
         * change a copy, so the outermost leaf above them goes. */
        for (struct mail_part *a = p->parent; a; a = a->parent)
                if (a->kind == MAIL_PART_LEAF)
                        target = a;
        if (!target || under_stripped(target))
                return 0;
        k = replace_part(s->m, target);
        if (k < 0)
                return k;
        s->n++;
        return 0;
}

int mail_message_strip(struct mail_message *m,
                       bool (*should_strip)(const struct mail_part *p, void *userdata),
                       void *userdata)
{
        struct strip_walk s = {.m = m, .should_strip = should_strip, .userdata = userdata};
        int k;

        if (!m->message)
                return m->n_stripped;
        if (!m->root)
                return 0;
        k = mail_message_foreach_part(m, strip_one, &s);
        return k < 0 ? k : s.n;
}

int mail_message_render_body(struct mail_message *m, char **ret_body, size_t *ret_size,
                             char **ret_content_type, char **ret_encoding)
{
        GMimeObject *top = m->message ? g_mime_message_get_mime_part(m->message) : NULL;
        GMimeFormatOptions *fo;
        GMimeStream *out;
        GByteArray *bytes;
        const char *ct, *cte;
        _cleanup_free_ char *body = NULL, *ctype = NULL, *enc = NULL;
        size_t size;

        if (!m->message && m->stripped_body) {
                body = malloc(m->stripped_size + 1);
                if (!body ||
                    (m->stripped_content_type && !(ctype = strdup(m->stripped_content_type))) ||
                    (m->stripped_encoding && !(enc = strdup(m->stripped_encoding))))
                        return -ENOMEM;
                memcpy(body, m->stripped_body, m->stripped_size + 1);
                *ret_body = TAKE_PTR(body);
                *ret_size = m->stripped_size;
                *ret_content_type = TAKE_PTR(ctype);
                *ret_encoding = TAKE_PTR(enc);
                return 0;
        }
        if (!top)
                return -EINVAL;
        fo = g_mime_format_options_new();
        g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
        out = g_mime_stream_mem_new();
        if (g_mime_object_write_content_to_stream(top, fo, out) < 0) {
                g_object_unref(out);
                g_mime_format_options_free(fo);
                return -EIO;
        }
        g_mime_format_options_free(fo);
        bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
        size = bytes->len;
        body = malloc(size + 1);
        if (body) {
                memcpy(body, bytes->data, size);
                body[size] = 0;
        }
        g_object_unref(out);
        if (!body)
                return -ENOMEM;

        ct = g_mime_object_get_header(top, "Content-Type");
        cte = g_mime_object_get_header(top, "Content-Transfer-Encoding");
        if (ct && !(ctype = strdup(ct)))
                return -ENOMEM;
        if (cte && !(enc = strdup(cte)))
                return -ENOMEM;
        *ret_body = TAKE_PTR(body);
        *ret_size = size;
        *ret_content_type = TAKE_PTR(ctype);
        *ret_encoding = TAKE_PTR(enc);
        return 0;
}
