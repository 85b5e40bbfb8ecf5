/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What PDF rules cannot read in the raw file: names written with #xx escapes ("/L#61unch" is
 * "/Launch" to every reader) and objects kept compressed in object streams (/Type /ObjStm,
 * FlateDecode). When either hides an action, the file is rewritten with plain names and the
 * inflated object streams appended, and that copy is scanned as a child, so that the PDF rules
 * see what a reader sees. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "analysis-internal.h"
#include "basic/hex.h"
#include "office.h"

#define MIN_T(a, b) ((a) < (b) ? (a) : (b))
#define MAX_T(a, b) ((a) > (b) ? (a) : (b))

#define PDF_DECODED_MARK   "%PDF-1.7\n% airlock: names unescaped, object streams inflated\n"
#define MAX_OBJSTM         256
#define MAX_OBJSTM_INFLATE (16u << 20)
#define MAX_ATTACHMENTS    32

static bool pdf_delimiter(uint8_t c)
{
        return c <= ' ' || strchr("()<>[]{}/%", c);
}

struct buf {
        uint8_t *d;
        size_t n, cap;
};

static int buf_add(struct buf *b, const void *p, size_t n)
{
        if (b->n + n > b->cap) {
                size_t cap = MAX_T(b->cap * 2, b->n + n + 4096);
                uint8_t *d = realloc(b->d, cap);
                if (!d)
                        return -ENOMEM;
                b->d = d;
                b->cap = cap;
        }
        memcpy(b->d + b->n, p, n);
        b->n += n;
        return 0;
}

/* Copies d into b with the #xx escapes of names decoded. Returns how many it decoded, or
 * -ENOMEM. */
static ssize_t unescape_names(const uint8_t *d, size_t size, struct buf *b)
{
        ssize_t decoded = 0;
        bool in_name = false;
        int k;

        for (size_t i = 0; i < size; i++) {
                uint8_t c = d[i];
                if (c == '/')
                        in_name = true;
                else if (in_name && pdf_delimiter(c))
                        in_name = false;
                if (in_name && c == '#' && i + 2 < size && hex_digit(d[i + 1]) >= 0 &&
                    hex_digit(d[i + 2]) >= 0) {
                        c = (uint8_t)(hex_digit(d[i + 1]) << 4 | hex_digit(d[i + 2]));
                        i += 2;
                        decoded++;
                }
                if ((k = buf_add(b, &c, 1)) < 0)
                        return k;
        }
        return decoded;
}

static int inflate_into(const uint8_t *src, size_t n, struct buf *b, size_t max)
{
        z_stream z = {0};
        uint8_t out[16384];
        size_t total = 0;
        int zr, k = 0;

        if (inflateInit(&z) != Z_OK)
                return -ENOMEM;
        z.next_in = (Bytef *)src;
        z.avail_in = (uInt)MIN_T(n, (size_t)UINT32_MAX);
        do {
                z.next_out = out;
                z.avail_out = sizeof(out);
                zr = inflate(&z, Z_NO_FLUSH);
                if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
                        break;
                size_t got = sizeof(out) - z.avail_out;
                total += got;
                if ((k = buf_add(b, out, got)) < 0 || total > max || got == 0)
                        break;
        } while (zr != Z_STREAM_END);
        inflateEnd(&z);
        return k;
}

/* Appends the inflated content of every FlateDecode object stream of d (already unescaped). */
static int inflate_object_streams(const uint8_t *d, size_t size, struct buf *b)
{
        const uint8_t *p = d, *end = d + size;
        unsigned count = 0;
        size_t budget = MAX_OBJSTM_INFLATE;
        int k;

        while (count < MAX_OBJSTM && (p = memmem(p, (size_t)(end - p), "/ObjStm", 7))) {
                const uint8_t *dict_start, *s, *e;
                size_t before = b->n;
                p += 7;
                /* the dictionary around it: back to its "<<", on to "stream" */
                dict_start = p - 7;
                for (unsigned back = 0; dict_start > d && back < 2048; back++, dict_start--)
                        if (dict_start[0] == '<' && dict_start[1] == '<')
                                break;
                s = memmem(p, MIN_T((size_t)(end - p), (size_t)4096), "stream", 6);
                if (!s)
                        continue;
                if (!memmem(dict_start, (size_t)(s - dict_start), "/FlateDecode", 12) &&
                    !memmem(dict_start, (size_t)(s - dict_start), "/Fl ", 4))
                        continue;
                s += 6;
                if (s < end && *s == '\r')
                        s++;
                if (s < end && *s == '\n')
                        s++;
                e = memmem(s, (size_t)(end - s), "endstream", 9);
                if (!e)
                        e = end;
                if ((k = buf_add(b, "\n", 1)) < 0 ||
                    (k = inflate_into(s, (size_t)(e - s), b, budget)) < 0)
                        return k;
                budget -= MIN_T(budget, b->n - before);
                count++;
                p = e;
                if (!budget)
                        break;
        }
        return 0;
}

/* Whether decoded content names an action or a payload that the PDF rules look for. */
static bool names_action(const uint8_t *d, size_t n)
{
        static const char *const names[] = {
                "/Launch",       "/JavaScript", "/JS",         "/URI",        "/GoToR",
                "/GoToE",        "/SubmitForm", "/ImportData", "/OpenAction", "/AA",
                "/EmbeddedFile", "/RichMedia",  "/XFA",
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (memmem(d, n, names[i], strlen(names[i])))
                        return true;
        return false;
}

static int add_pdf_child(struct scan_state *st, struct analysis_result *node, const char *name,
                         const uint8_t *d, size_t n, unsigned depth)
{
        const struct analysis_limits *lim = &st->ctx->opts.limits;
        struct analysis_result *child;

        if ((lim->max_members && ++st->members > lim->max_members) ||
            (lim->max_expansion && atomic_fetch_add(&st->expanded, n) + n > lim->max_expansion))
                return analysis_result_set_unscannable(node, "expansion",
                                                       "decoded PDF content too large");
        child = analysis_result_new(name);
        if (!child || analysis_result_add_child(node, child) < 0) {
                analysis_result_free(child);
                return -ENOMEM;
        }
        return scan_node_data(st, child, d, n, depth + 1);
}

/* The stream of the dictionary that holds d[at]: its data, inflated when FlateDecode'd. */
static int stream_of(const uint8_t *d, size_t size, size_t at, struct buf *b, size_t *ret_end)
{
        const uint8_t *end = d + size, *dict = d + at, *s, *e;

        for (unsigned back = 0; dict > d && back < 2048; back++, dict--)
                if (dict[0] == '<' && dict[1] == '<')
                        break;
        s = memmem(d + at, MIN_T(size - at, (size_t)4096), "stream", 6);
        if (!s)
                return -ENOENT;
        bool flate = memmem(dict, (size_t)(s - dict), "/FlateDecode", 12) ||
                     memmem(dict, (size_t)(s - dict), "/Fl ", 4);
        s += 6;
        if (s < end && *s == '\r')
                s++;
        if (s < end && *s == '\n')
                s++;
        if (s >= end)
                return -ENOENT;
        e = memmem(s, (size_t)(end - s), "endstream", 9);
        if (!e)
                e = end;
        *ret_end = (size_t)(e - d);
        /* the end of line before endstream is not data */
        if (e > s && e[-1] == '\n')
                e--;
        if (e > s && e[-1] == '\r')
                e--;
        return flate ? inflate_into(s, (size_t)(e - s), b, MAX_OBJSTM_INFLATE)
                     : buf_add(b, s, (size_t)(e - s));
}

/* Attached files (/Type /EmbeddedFile streams) are judged as children: an attachment is not
 * suspicious by itself, what it holds may be. */
static int scan_attachments(struct scan_state *st, struct analysis_result *node, const uint8_t *d,
                            size_t size, unsigned depth)
{
        unsigned count = 0;
        size_t at = 0, stream_end;
        const uint8_t *p;
        int k;

        while (count < MAX_ATTACHMENTS && (p = memmem(d + at, size - at, "/EmbeddedFile", 13))) {
                struct buf b = {0};
                char name[48];
                at = (size_t)(p - d) + 13;
                /* the type, not /EmbeddedFiles (the name tree) */
                if (at < size && !pdf_delimiter(d[at]))
                        continue;
                k = stream_of(d, size, at, &b, &stream_end);
                if (k == -ENOENT)
                        continue;
                snprintf(name, sizeof(name), "pdf-attachment@%zu", (size_t)(p - d));
                if (k >= 0 && b.n > 0)
                        k = add_pdf_child(st, node, name, b.d, b.n, depth);
                free(b.d);
                if (k < 0)
                        return k;
                at = stream_end;
                count++;
        }
        return 0;
}

int pdf_decode_scan(struct scan_state *st, struct analysis_result *node, const uint8_t *d,
                    size_t size, unsigned depth)
{
        struct buf b = {0}, objs = {0};
        ssize_t escapes;
        size_t body;
        int k;

        if (size < 8 || (memcmp(d, "%PDF", 4) != 0 && memcmp(d + 1, "%PDF", 4) != 0) ||
            (size >= strlen(PDF_DECODED_MARK) &&
             !memcmp(d, PDF_DECODED_MARK, strlen(PDF_DECODED_MARK))))
                return 0;
        if ((k = buf_add(&b, PDF_DECODED_MARK, strlen(PDF_DECODED_MARK))) < 0)
                goto out;
        escapes = unescape_names(d, size, &b);
        if (escapes < 0) {
                k = (int)escapes;
                goto out;
        }
        body = b.n;
        /* into a buffer of its own: appending to b while reading it would read freed memory
         * once realloc() moves it (Tika's testPDF_childAttachments.pdf, 2 MB of object
         * streams, crashed the worker) */
        if ((k = inflate_object_streams(b.d + strlen(PDF_DECODED_MARK),
                                        body - strlen(PDF_DECODED_MARK), &objs)) < 0 ||
            (objs.n > 0 && (k = buf_add(&b, objs.d, objs.n)) < 0))
                goto out;
        /* a copy only when it shows an action that the raw file hid */
        k = scan_attachments(st, node, d, size, depth);
        if (k < 0 || !((escapes > 0 && names_action(b.d, body)) ||
                       (b.n > body && names_action(b.d + body, b.n - body))))
                goto out;
        k = add_pdf_child(st, node, "pdf-decoded", b.d, b.n, depth);
out:
        free(objs.d);
        free(b.d);
        return k;
}
