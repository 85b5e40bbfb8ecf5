/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The MIME walk. GMime parses; this file visits every part, hands leaves to the triage
 * engine, and turns anything two MIME parsers could read differently into `unscannable`:
 * a filter that sees one structure while the mail client sees another is how attachments
 * slip past gateways (amavis CVE-2024-28054: two boundary parameters). */
#include <ctype.h>
#include <sys/mman.h>
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basic/macro.h"
#include "analysis/detonate.h"
#include "basic/fileio.h"
#include "mail/mime.h"

/* ATT&CK for an attachment hidden by structure: obfuscation of the delivered file. */
#define ATTACK_MIME_EVASION "T1027,T1566.001"

void mail_limits_init(struct mail_limits *l)
{
        *l = (struct mail_limits){
                .max_depth = 32,
                .max_parts = 10000,
                .max_decoded = 256ULL << 20,
                .timeout_ms = 120000,
                .max_uu_blocks = 16,
        };
}

/* Before the constructor of an exec'd worker zygote (priority 200), which needs it. */
__attribute__((constructor(150))) static void register_walker(void)
{
        analysis_register_message_walker(mail_walk_message);
}

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_init_real(void)
{
        g_mime_init();
}

void mail_prepare_confined(void)
{
        /* glibc loads a converter module on its first iconv_open() and may unload it after
         * the last iconv_close(): these stay open for the life of the process. */
        static const char *const charsets[] = {
                "ISO-8859-1",   "ISO-8859-2",   "ISO-8859-5",   "ISO-8859-7",   "ISO-8859-9",
                "ISO-8859-15",  "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252", "WINDOWS-1253",
                "WINDOWS-1254", "WINDOWS-1256", "KOI8-R",       "KOI8-U",       "SHIFT_JIS",
                "EUC-JP",       "ISO-2022-JP",  "GB2312",       "GBK",          "GB18030",
                "BIG5",         "EUC-KR",       "UTF-16",       "UTF-7",
        };
        static iconv_t kept[ELEMENTSOF(charsets)] __attribute__((unused));
        static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
        static bool done;

        pthread_once(&gmime_once, gmime_init_real);
        pthread_mutex_lock(&lock);
        for (size_t i = 0; !done && i < ELEMENTSOF(charsets); i++)
                kept[i] = iconv_open("UTF-8", charsets[i]);
        done = true;
        pthread_mutex_unlock(&lock);
}

static uint64_t now_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

struct parser_warning {
        GMimeParserWarning code;
        char *item;
        gint64 offset;
};

struct walk {
        struct analysis_ctx *ctx;
        const struct mail_limits *limits;
        struct mail_message *msg;
        const char *raw;
        size_t raw_size;
        uint64_t decoded;
        uint64_t deadline; /* 0: none */
        bool parts_limit_hit;
        bool time_limit_hit;
        GArray *warnings; /* struct parser_warning */
};

/* Records an anomaly: an info finding with our rule name and the evidence, and when the
 * structure is ambiguous the node becomes unscannable. */
static int note(struct analysis_result *r, const char *rule, bool unscannable, const char *limit,
                const char *description, const char *evidence)
{
        int k = analysis_result_add_finding(r, rule, ANALYSIS_SEVERITY_INFO, ATTACK_MIME_EVASION,
                                            description, evidence, "mime");
        if (k < 0)
                return k;
        if (unscannable)
                return analysis_result_set_unscannable(r, limit ?: "mime-structure", description);
        return 0;
}

static void on_parser_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
                              gpointer userdata)
{
        struct walk *w = userdata;
        struct parser_warning pw = {
                .code = code, .item = item ? strdup(item) : NULL, .offset = offset};

        if (w->warnings->len < 1000)
                g_array_append_val(w->warnings, pw);
        else
                free(pw.item);
}

struct warning_desc {
        GMimeParserWarning code;
        const char *rule;
        bool unscannable;
        const char *description;
};

static const struct warning_desc warning_descs[] = {
        {GMIME_WARN_DUPLICATED_HEADER, "mime.duplicated_header", false,
         "a header that should appear once is repeated"},
        {GMIME_WARN_DUPLICATED_PARAMETER, "mime.duplicated_parameter", false,
         "a header parameter is repeated"},
        {GMIME_WARN_UNENCODED_8BIT_HEADER, "mime.8bit_header", false,
         "a header carries unencoded 8-bit characters"},
        {GMIME_WARN_INVALID_CONTENT_TYPE, "mime.invalid_content_type", false,
         "an invalid Content-Type (read as application/octet-stream)"},
        {GMIME_WARN_INVALID_RFC2047_HEADER_VALUE, "mime.invalid_encoded_word", false,
         "an invalid RFC 2047 encoded word"},
        {GMIME_WARN_MALFORMED_MULTIPART, "mime.malformed_multipart", true,
         "a multipart whose boundary never occurs: clients may see parts this scan cannot"},
        {GMIME_WARN_TRUNCATED_MESSAGE, "mime.truncated", true,
         "the message ends early, inside a multipart (no closing boundary)"},
        {GMIME_WARN_MALFORMED_MESSAGE, "mime.malformed_message", true, "a malformed message"},
        {GMIME_CRIT_INVALID_HEADER_NAME, "mime.invalid_header_name", true,
         "an invalid header name: parsers disagree on where the headers end"},
        {GMIME_CRIT_CONFLICTING_HEADER, "mime.conflicting_header", true,
         "conflicting copies of a MIME header (such as two Content-Transfer-Encoding values)"},
        {GMIME_CRIT_CONFLICTING_PARAMETER, "mime.conflicting_parameter", true,
         "conflicting copies of a header parameter (such as two boundary values, "
         "CVE-2024-28054)"},
        {GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY, "mime.missing_boundary", true,
         "a multipart without a boundary parameter"},
        {GMIME_WARN_INVALID_PARAMETER, "mime.invalid_parameter", false,
         "an invalid header parameter"},
        {GMIME_WARN_INVALID_ADDRESS_LIST, "mime.invalid_address", false, "an invalid address list"},
        {GMIME_CRIT_NESTING_OVERFLOW, "mime.nesting_overflow", true,
         "MIME nesting deeper than the parser allows"},
        {GMIME_WARN_PART_WITHOUT_CONTENT, "mime.part_without_content", true,
         "a part whose headers end at a boundary"},
        {GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT, "mime.empty_part", true,
         "a part with neither headers nor content"},
};

static int apply_parser_warnings(struct walk *w)
{
        for (guint i = 0; i < w->warnings->len; i++) {
                struct parser_warning *pw = &g_array_index(w->warnings, struct parser_warning, i);
                const struct warning_desc *d = NULL;
                char evidence[256];
                bool unscannable;
                int r;

                for (size_t k = 0; k < ELEMENTSOF(warning_descs); k++)
                        if (warning_descs[k].code == pw->code)
                                d = &warning_descs[k];
                if (!d)
                        continue;
                unscannable = d->unscannable;
                /* A repeated boundary is the amavis bypass even when both copies agree. */
                if (pw->code == GMIME_WARN_DUPLICATED_PARAMETER && pw->item &&
                    strcasestr(pw->item, "boundary"))
                        unscannable = true;
                snprintf(evidence, sizeof(evidence), "offset %lld%s%.200s", (long long)pw->offset,
                         pw->item ? ": " : "", pw->item ?: "");
                r = note(w->msg->result, d->rule, unscannable, NULL, d->description, evidence);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool deadline_passed(struct walk *w)
{
        if (w->deadline && !w->time_limit_hit && now_usec() > w->deadline)
                w->time_limit_hit = true;
        return w->time_limit_hit;
}

static char *lowercase(char *s)
{
        for (char *p = s; p && *p; p++)
                *p = (char)tolower((unsigned char)*p);
        return s;
}

static struct mail_part *part_new(struct mail_part *parent, enum mail_part_kind kind,
                                  GMimeObject *object, GMimeObject *container, int index)
{
        struct mail_part *p = calloc(1, sizeof(*p));

        if (!p)
                return NULL;
        p->kind = kind;
        p->object = object;
        p->container = container;
        p->index = index;
        p->parent = parent;
        if (!parent)
                p->mime_path = strdup("1");
        else if (asprintf(&p->mime_path, "%s.%zu", parent->mime_path, parent->n_children + 1) < 0)
                p->mime_path = NULL;
        if (!p->mime_path) {
                free(p);
                return NULL;
        }
        return p;
}

void mail_part_free(struct mail_part *p)
{
        if (!p)
                return;
        for (size_t i = 0; i < p->n_children; i++)
                mail_part_free(p->children[i]);
        free(p->children);
        free(p->mime_path);
        free(p->content_type);
        free(p->disposition);
        free(p->filename);
        free(p->encoding);
        free(p->charset);
        free(p);
}

static int part_add_child(struct mail_part *parent, struct mail_part *child)
{
        struct mail_part **v = reallocarray(parent->children, parent->n_children + 1, sizeof(*v));
        if (!v)
                return -ENOMEM;
        parent->children = v;
        v[parent->n_children++] = child;
        return 0;
}

/* Hangs r below parent_result and remembers where, for the JSON walk. Takes r. */
static int attach_result(struct mail_part *p, struct analysis_result *parent_result,
                         struct analysis_result *r)
{
        int k = analysis_result_add_child(parent_result, r);

        if (k < 0) {
                analysis_result_free(r);
                return k;
        }
        p->result = r;
        p->result_index = parent_result->n_children - 1;
        return 0;
}

static void read_mime_headers(struct mail_part *p)
{
        GMimeObject *o = p->object;
        GMimeContentType *ct = g_mime_object_get_content_type(o);
        const char *disp = g_mime_object_get_disposition(o);
        const char *cs = g_mime_object_get_content_type_parameter(o, "charset");
        const char *cte = g_mime_object_get_header(o, "Content-Transfer-Encoding");
        const char *fn = NULL;

        if (ct) {
                char *t = g_mime_content_type_get_mime_type(ct);
                p->content_type = t ? lowercase(strdup(t)) : NULL;
                g_free(t);
        }
        if (disp)
                p->disposition = lowercase(strdup(disp));
        if (cs)
                p->charset = strdup(cs);
        if (cte)
                p->encoding = strdup(cte);
        /* RFC 2231 and RFC 2047 are decoded by GMime; the disposition's filename first, then
         * Content-Type's name, as mail clients do. */
        if (GMIME_IS_PART(o))
                fn = g_mime_part_get_filename(GMIME_PART(o));
        else
                fn = g_mime_object_get_content_disposition_parameter(o, "filename")
                             ?: g_mime_object_get_content_type_parameter(o, "name");
        if (fn && *fn)
                p->filename = strdup(fn);
        p->attachment = (p->disposition && streq(p->disposition, "attachment")) || p->filename;
}

/* Counts the header lines named name among o's own headers, and whether they differ. */
static unsigned count_headers(GMimeObject *o, const char *name, bool *ret_differ)
{
        GMimeHeaderList *hl = g_mime_object_get_header_list(o);
        const char *first = NULL;
        unsigned n = 0;
        int count = hl ? g_mime_header_list_get_count(hl) : 0;

        *ret_differ = false;
        for (int i = 0; i < count; i++) {
                GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
                const char *v;

                if (!h || g_ascii_strcasecmp(g_mime_header_get_name(h), name) != 0)
                        continue;
                v = g_mime_header_get_value(h) ?: "";
                while (g_ascii_isspace(*v))
                        v++;
                if (n++ == 0)
                        first = v;
                else if (strcspn(v, " \t\r\n;") != strcspn(first, " \t\r\n;") ||
                         g_ascii_strncasecmp(v, first, strcspn(first, " \t\r\n;")) != 0)
                        *ret_differ = true;
        }
        return n;
}

/* How many times a parameter named name appears in a raw header value (case-insensitive,
 * counting RFC 2231 continuations "name*0" and "name*" once each). */
static unsigned count_parameter(const char *value, const char *name)
{
        size_t len = strlen(name);
        unsigned n = 0;

        for (const char *p = value; p && (p = strcasestr(p, name)); p += len) {
                const char *before = p == value ? ";" : p - 1;
                const char *after = p + len;

                while (*before == ' ' || *before == '\t' || *before == '\r' || *before == '\n')
                        before = before == value ? ";" : before - 1;
                if (*before != ';')
                        continue;
                while (*after == ' ' || *after == '\t')
                        after++;
                if (*after == '=' || (after[0] == '*' && (after[1] == '=' || after[1] == '0')))
                        n++;
        }
        return n;
}

static int check_headers(struct mail_part *p)
{
        bool differ;
        unsigned n;
        int r;

        n = count_headers(p->object, "Content-Type", &differ);
        if (n > 1) {
                r = note(p->result, "mime.duplicate_content_type", true, NULL,
                         "the part has more than one Content-Type header: parsers disagree on "
                         "which counts",
                         differ ? "the copies differ" : "identical copies");
                if (r < 0)
                        return r;
        }
        n = count_headers(p->object, "Content-Transfer-Encoding", &differ);
        if (n > 1 && differ) {
                r = note(p->result, "mime.conflicting_encoding", true, NULL,
                         "conflicting Content-Transfer-Encoding headers", p->encoding);
                if (r < 0)
                        return r;
        }
        if (p->encoding) {
                _cleanup_free_ char *e = lowercase(strdup(p->encoding));
                GMimeContentEncoding enc;

                if (!e)
                        return -ENOMEM;
                g_strstrip(e);
                enc = g_mime_content_encoding_from_string(e);
                if (enc == GMIME_CONTENT_ENCODING_DEFAULT || streq(e, "uuencode") ||
                    streq(e, "x-uuencode") || streq(e, "x-uue")) {
                        /* uuencode as a transfer encoding is not MIME: clients disagree. */
                        if (enc == GMIME_CONTENT_ENCODING_DEFAULT || p->kind != MAIL_PART_LEAF) {
                                r = note(p->result, "mime.unknown_encoding", true, NULL,
                                         "an unknown Content-Transfer-Encoding", p->encoding);
                                if (r < 0)
                                        return r;
                        }
                } else if (p->kind != MAIL_PART_LEAF && enc != GMIME_CONTENT_ENCODING_7BIT &&
                           enc != GMIME_CONTENT_ENCODING_8BIT &&
                           enc != GMIME_CONTENT_ENCODING_BINARY) {
                        r = note(p->result, "mime.encoded_container", true, NULL,
                                 "a multipart or message part with a Content-Transfer-Encoding "
                                 "other than 7bit, 8bit or binary",
                                 p->encoding);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* Characters a base64 decoder may skip without changing the data: line ends and spaces. */
static int check_base64(struct mail_part *p, GMimeDataWrapper *wrapper)
{
        GMimeStream *s = g_mime_data_wrapper_get_stream(wrapper);
        unsigned char buf[8192];
        bool padded = false, bad = false;
        uint64_t offset = 0, bad_at = 0;
        ssize_t n;

        if (!s)
                return 0;
        g_mime_stream_reset(s);
        while (!bad && (n = g_mime_stream_read(s, (char *)buf, sizeof(buf))) > 0) {
                for (ssize_t i = 0; i < n && !bad; i++, offset++) {
                        unsigned char c = buf[i];

                        if (c == '\r' || c == '\n' || c == ' ' || c == '\t')
                                continue;
                        if (c == '=') {
                                padded = true;
                                continue;
                        }
                        if (padded || !(isalnum(c) || c == '+' || c == '/')) {
                                bad = true;
                                bad_at = offset;
                        }
                }
        }
        g_mime_stream_reset(s);
        if (bad) {
                char evidence[64];

                snprintf(evidence, sizeof(evidence), "byte %llu of the encoded part",
                         (unsigned long long)bad_at);
                return note(p->result, "mime.broken_base64", true, NULL,
                            "base64 with characters outside the alphabet or data after the "
                            "padding: decoders disagree on the content",
                            evidence);
        }
        return 0;
}

/* A part without a file name is reported by its place and type ("1.1 text/plain"). */
static void label_unnamed(struct analysis_result *r, const struct mail_part *p)
{
        char *label;

        if (asprintf(&label, "%s %s", p->mime_path, p->content_type ?: "part") < 0)
                return;
        free(r->path);
        free(r->name);
        r->path = label;
        r->name = strdup(label);
}

/* Runs an attachment that is a program or a script (from a memfd holding its decoded
 * content) in the traced sandbox; its findings join the part's node. Failure to run it is a
 * note on the node, never a reason to stop the walk. */
void mail_detonate_part(struct analysis_result *r, const void *data, size_t size,
                        const struct detonate_options *o)
{
        _cleanup_close_ int fd = -1;
        int k;

        if (!detonate_may_run(r))
                return;
        fd = memfd_create("airlock-attachment", MFD_CLOEXEC);
        k = fd < 0 ? negative_errno() : loop_write(fd, data, size);
        if (k >= 0)
                k = analysis_detonate_fd(r, fd, o);
        if (k < 0)
                (void)analysis_result_add_finding(r, "detonation.failed", ANALYSIS_SEVERITY_INFO,
                                                  NULL, "the attachment could not be run",
                                                  strerror(-k), "detonation");
}

/* Judges a part's decoded content as a member of parent_result (so that the engine's
 * placement heuristics apply, as to an archive member) and links p to its node. Without an
 * engine (fuzzing, unit tests) the node is an empty one. Returns 0 or a negative errno. */
static int scan_into(struct walk *w, struct mail_part *p, struct analysis_result *parent_result,
                     const unsigned char *data, size_t size)
{
        struct analysis_result *r = NULL;
        int k;

        if (w->ctx) {
                k = analysis_scan_buffer_child(w->ctx, parent_result, p->filename, data, size, &r);
                if (k < 0)
                        return k;
                p->result = r;
                p->result_index = parent_result->n_children - 1;
                if (w->limits->detonate && detonate_wanted(r))
                        mail_detonate_part(r, data, size, w->limits->detonate);
                else if (w->limits->keep_detonatable && detonate_wanted(r)) {
                        k = w->limits->keep_detonatable(w->limits->keep_userdata, p, data, size);
                        if (k < 0)
                                return k;
                }
        } else {
                r = analysis_result_new(p->filename ?: "part");
                if (!r)
                        return -ENOMEM;
                r->size = size;
                k = attach_result(p, parent_result, r);
                if (k < 0)
                        return k;
        }
        if (!p->filename)
                label_unnamed(r, p);
        return 0;
}

static int walk_uuencoded(struct walk *w, struct mail_part *text, const unsigned char *data,
                          size_t size)
{
        size_t pos = 0;

        for (unsigned i = 0; i < w->limits->max_uu_blocks; i++) {
                _cleanup_free_ unsigned char *decoded = NULL;
                _cleanup_free_ char *name = NULL;
                struct mail_part *p;
                size_t n = 0;
                int k;

                k = mail_uudecode_next((const char *)data, size, &pos, &decoded, &n, &name);
                if (k == 0)
                        return 0;
                if (k == -EBADMSG)
                        return note(text->result, "mime.unterminated_uuencode", true, NULL,
                                    "a uuencoded block without its end line", NULL);
                if (k < 0)
                        return k;
                p = part_new(text, MAIL_PART_UUENCODED, NULL, NULL, -1);
                if (!p)
                        return -ENOMEM;
                p->content_type = strdup("application/octet-stream");
                p->encoding = strdup("x-uuencode");
                p->filename = TAKE_PTR(name);
                p->attachment = true;
                p->size = n;
                w->msg->n_parts++;
                if (part_add_child(text, p) < 0) {
                        mail_part_free(p);
                        return -ENOMEM;
                }
                k = scan_into(w, p, text->result, decoded, n);
                if (k < 0)
                        return k;
        }
        return note(text->result, "mime.uuencode_limit", true, "parts",
                    "more uuencoded blocks than the limit", NULL);
}

static int walk_object(struct walk *w, struct mail_part *parent,
                       struct analysis_result *parent_result, GMimeObject *object,
                       GMimeObject *container, GMimeMessage *owner, int index, unsigned depth,
                       struct mail_part **ret);

/* A message/... or multipart/... part with a Content-Transfer-Encoding other than 7bit, 8bit
 * or binary (forbidden by RFC 2045 and 2046) is read by GMime as a leaf holding the decoded
 * bytes. Clients differ: some decode and show the message, some show nothing. Either way the
 * scan must see what a client could: the decoded bytes are parsed as a message (for multipart,
 * under the part's own Content-Type) and walked below p, and the part stays unscannable, since
 * no reading of it is the right one. Returns 0 or a negative errno. */
static bool is_container_type(const char *ctype)
{
        return ctype && (startswith(ctype, "message/rfc822") ||
                         startswith(ctype, "message/global") || startswith(ctype, "multipart/"));
}

static int walk_decoded_container(struct walk *w, struct mail_part *p, const guint8 *data,
                                  size_t size, unsigned depth)
{
        _cleanup_free_ char *buf = NULL;
        const char *raw = w->raw;
        size_t raw_size = w->raw_size, len = size;
        GMimeStream *stream;
        GMimeParser *parser;
        GMimeParserOptions *opts;
        GMimeMessage *sub;
        GMimeObject *body;
        int k;

        k = note(p->result, "mime.encoded_container", true, NULL,
                 "a multipart or message part with a Content-Transfer-Encoding other than 7bit, "
                 "8bit or binary (decoded and scanned; clients disagree on how to show it)",
                 p->encoding);
        if (k < 0)
                return k;
        if (depth >= w->limits->max_depth)
                return note(p->result, "mime.depth_limit", true, "depth",
                            "MIME nesting deeper than the limit", NULL);
        if (startswith(p->content_type, "multipart/")) {
                /* The multipart's own header gives the boundary: put it in front of the body. */
                static const char prefix[] = "Content-Type: ", sep[] = "\r\n\r\n";
                const char *ct = g_mime_object_get_header(p->object, "Content-Type");
                size_t n;

                if (!ct)
                        return 0;
                n = strlen(prefix) + strlen(ct) + strlen(sep);
                len = n + size;
                buf = malloc(len ?: 1);
                if (!buf)
                        return -ENOMEM;
                memcpy(stpcpy(stpcpy(stpcpy(buf, prefix), ct), sep), data, size);
                data = (const guint8 *)buf;
        }

        stream = g_mime_stream_mem_new_with_buffer((const char *)data, len);
        parser = g_mime_parser_new_with_stream(stream);
        opts = g_mime_parser_options_new();
        g_mime_parser_options_set_warning_callback(opts, on_parser_warning, w);
        g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
        sub = g_mime_parser_construct_message(parser, opts);
        g_object_unref(parser);
        g_object_unref(stream);
        g_mime_parser_options_free(opts);
        if (!sub)
                return note(p->result, "mime.not_a_message", true, "format",
                            "the decoded part could not be read as a mail message", NULL);
        /* The parts below borrow from sub: it lives as long as the message. */
        g_ptr_array_add(w->msg->replaced, sub);
        body = g_mime_message_get_mime_part(sub);
        if (!body)
                return 0;
        /* Boundary checks look in the bytes the parser read, not in the encoded outer mail. */
        w->raw = (const char *)data;
        w->raw_size = len;
        k = walk_object(w, p, p->result, body, NULL, sub, 0, depth + 1, NULL);
        w->raw = raw;
        w->raw_size = raw_size;
        return k;
}

static int walk_leaf(struct walk *w, struct mail_part *p, struct analysis_result *parent_result,
                     unsigned depth)
{
        GMimeDataWrapper *wrapper =
                GMIME_IS_PART(p->object) ? g_mime_part_get_content(GMIME_PART(p->object)) : NULL;
        GMimeStream *out = NULL;
        GByteArray *bytes;
        int k;

        if (wrapper) {
                out = g_mime_stream_mem_new();
                g_mime_stream_reset(g_mime_data_wrapper_get_stream(wrapper));
                g_mime_data_wrapper_write_to_stream(wrapper, out);
        }
        bytes = out ? g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out)) : NULL;
        p->size = bytes ? bytes->len : 0;
        w->decoded += p->size;

        k = scan_into(w, p, parent_result, bytes ? bytes->data : (const guint8 *)"", p->size);
        if (k >= 0)
                k = check_headers(p);
        if (k >= 0 && wrapper &&
            g_mime_data_wrapper_get_encoding(wrapper) == GMIME_CONTENT_ENCODING_BASE64)
                k = check_base64(p, wrapper);
        if (k >= 0 && GMIME_IS_MESSAGE_PARTIAL(p->object))
                k = note(p->result, "mime.message_partial", true, NULL,
                         "message/partial: the fragments are joined only by the client", NULL);
        if (k >= 0 && w->limits->max_decoded && w->decoded > w->limits->max_decoded)
                k = note(p->result, "mime.decoded_size", true, "expansion",
                         "the decoded parts exceed the size limit", NULL);
        if (k >= 0 && bytes && p->content_type && startswith(p->content_type, "text/"))
                k = walk_uuencoded(w, p, bytes->data, bytes->len);
        if (k >= 0 && wrapper && is_container_type(p->content_type))
                k = walk_decoded_container(w, p, bytes ? bytes->data : (const guint8 *)"", p->size,
                                           depth);
        if (out)
                g_object_unref(out);
        return k;
}

/* Looks for "--BOUNDARY--" in the raw input: GMime accepts a multipart that runs to the end
 * of the message, but a client may then cut it elsewhere. */
static bool raw_has_terminator(struct walk *w, const char *boundary)
{
        _cleanup_free_ char *needle = NULL;

        if (asprintf(&needle, "--%s--", boundary) < 0)
                return true;
        return memmem(w->raw, w->raw_size, needle, strlen(needle)) != NULL;
}

static int walk_multipart(struct walk *w, struct mail_part *p, unsigned depth)
{
        GMimeMultipart *mp = GMIME_MULTIPART(p->object);
        /* Not g_mime_multipart_get_boundary(): without a boundary it invents one and re-encodes
         * the Content-Type, and GMime before 3.2.15 loops for ever (eating memory) encoding a
         * parameter whose name is 70 to 72 bytes long and whose value is not ASCII (GMime
         * issue #165). It also hid the missing boundary from the check below. */
        const char *boundary = g_mime_object_get_content_type_parameter(p->object, "boundary");
        const char *ctype = g_mime_object_get_header(p->object, "Content-Type");
        int count = g_mime_multipart_get_count(mp);
        int k;

        if (ctype && count_parameter(ctype, "boundary") > 1) {
                k = note(p->result, "mime.duplicate_boundary", true, NULL,
                         "two boundary parameters: scanners and clients may split the parts "
                         "differently (amavis CVE-2024-28054)",
                         ctype);
                if (k < 0)
                        return k;
        }
        if (!boundary) {
                k = note(p->result, "mime.missing_boundary", true, NULL,
                         "a multipart without a boundary parameter", ctype);
                if (k < 0)
                        return k;
        } else if (count > 0 && !raw_has_terminator(w, boundary)) {
                k = note(p->result, "mime.unterminated_multipart", true, NULL,
                         "a multipart without its closing boundary", boundary);
                if (k < 0)
                        return k;
        }
        if (boundary && count == 0) {
                k = note(p->result, "mime.empty_multipart", true, NULL,
                         "a multipart in which the boundary never starts a part", boundary);
                if (k < 0)
                        return k;
        }
        for (int i = 0; i < count; i++) {
                GMimeObject *child = g_mime_multipart_get_part(mp, i);

                if (!child)
                        continue;
                k = walk_object(w, p, p->result, child, p->object, NULL, i, depth + 1, NULL);
                if (k < 0)
                        return k;
                if (w->parts_limit_hit || w->time_limit_hit)
                        break;
        }
        return 0;
}

static int walk_message_part(struct walk *w, struct mail_part *p, unsigned depth)
{
        GMimeMessage *sub = g_mime_message_part_get_message(GMIME_MESSAGE_PART(p->object));
        GMimeObject *body = sub ? g_mime_message_get_mime_part(sub) : NULL;

        if (!body)
                return 0;
        return walk_object(w, p, p->result, body, p->object, sub, 0, depth + 1, NULL);
}

static int walk_object(struct walk *w, struct mail_part *parent,
                       struct analysis_result *parent_result, GMimeObject *object,
                       GMimeObject *container, GMimeMessage *owner, int index, unsigned depth,
                       struct mail_part **ret)
{
        enum mail_part_kind kind = GMIME_IS_MULTIPART(object)      ? MAIL_PART_MULTIPART
                                   : GMIME_IS_MESSAGE_PART(object) ? MAIL_PART_MESSAGE
                                                                   : MAIL_PART_LEAF;
        struct mail_part *p;
        int k;

        if (w->limits->max_parts && w->msg->n_parts >= w->limits->max_parts) {
                w->parts_limit_hit = true;
                return note(parent_result, "mime.part_limit", true, "parts",
                            "more MIME parts than the limit", NULL);
        }
        if (deadline_passed(w))
                return note(parent_result, "mime.time_limit", true, "time",
                            "the message took longer than the time limit", NULL);

        p = part_new(parent, kind, object, container, index);
        if (!p)
                return -ENOMEM;
        p->owner_message = owner;
        read_mime_headers(p);
        w->msg->n_parts++;
        if (parent) {
                k = part_add_child(parent, p);
                if (k < 0) {
                        mail_part_free(p);
                        return k;
                }
        } else {
                *ret = p;
        }

        if (kind == MAIL_PART_LEAF)
                return walk_leaf(w, p, parent_result, depth);

        k = attach_result(p, parent_result,
                          analysis_result_new(p->filename ?: p->content_type ?: "part"));
        if (k < 0)
                return k;
        if (p->result->mime == NULL && p->content_type)
                p->result->mime = strdup(p->content_type);
        k = check_headers(p);
        if (k < 0)
                return k;
        if (depth >= w->limits->max_depth)
                return note(p->result, "mime.depth_limit", true, "depth",
                            "MIME nesting deeper than the limit", NULL);
        if (kind == MAIL_PART_MULTIPART)
                return walk_multipart(w, p, depth);
        return walk_message_part(w, p, depth);
}

static void read_message_headers(struct mail_message *m)
{
        const char *s = g_mime_message_get_subject(m->message);
        const char *id = g_mime_message_get_message_id(m->message);
        InternetAddressList *from = g_mime_message_get_from(m->message);

        if (s)
                m->subject = strdup(s);
        if (id)
                m->message_id = strdup(id);
        if (from && internet_address_list_length(from) > 0) {
                char *f = internet_address_list_to_string(from, NULL, FALSE);
                m->from = f ? strdup(f) : NULL;
                g_free(f);
        }
}

static void fill_message_node(struct mail_message *m, const void *data, size_t size)
{
        struct analysis_result *r = m->result;
        gchar *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, size);

        r->size = size;
        r->sha256 = sum ? strdup(sum) : NULL;
        r->mime = strdup("message/rfc822");
        r->type = strdup("RFC 5322 mail message");
        g_free(sum);
}

/* The headers any mail message has; a header block with none of them is not a message. */
static const char *const mail_headers[] = {
        "from",       "to",       "cc",          "subject",      "date",
        "message-id", "received", "return-path", "mime-version", "content-type",
        "sender",     "reply-to", "delivered-to"};

/* Whether line (len bytes, no line end) is a header field "NAME:" or "NAME :", NAME being
 * printable ASCII without spaces or colons, as Postfix's is_header() has it. Sets *ret_known
 * when NAME is one of mail_headers. */
static bool is_header_line(const char *line, size_t len, bool *ret_known)
{
        size_t n = 0, i;

        while (n < len && line[n] > ' ' && line[n] < 127 && line[n] != ':')
                n++;
        if (n == 0)
                return false;
        for (i = n; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
                ;
        if (i >= len || line[i] != ':')
                return false;
        for (size_t k = 0; k < ELEMENTSOF(mail_headers); k++)
                if (strlen(mail_headers[k]) == n && strncasecmp(line, mail_headers[k], n) == 0)
                        *ret_known = true;
        return true;
}

struct header_block {
        size_t end;        /* offset of the blank line, or of the first line that is no header */
        bool blank;        /* a blank line ends the headers */
        unsigned bad_line; /* the number of the first line that is no header, or 0 */
        bool known;        /* one of mail_headers is among them */
};

/* Finds where the header block ends the way Postfix does: at a blank line, at the first line
 * that is neither a header nor a continuation, or at the end of the data. The milter only
 * ever sees what Postfix split, so mail scan reads the same bytes the same way. */
static void find_header_block(const char *data, size_t size, struct header_block *ret)
{
        size_t pos = 0;
        unsigned line_no = 0;

        *ret = (struct header_block){.end = size};
        while (pos < size) {
                const char *nl = memchr(data + pos, '\n', size - pos);
                size_t len = (nl ? (size_t)(nl - data) : size) - pos;
                const char *line = data + pos;

                line_no++;
                if (len > 0 && line[len - 1] == '\r')
                        len--;
                if (len == 0) {
                        ret->end = pos;
                        ret->blank = true;
                        return;
                }
                if (!((line[0] == ' ' || line[0] == '\t') && pos > 0) &&
                    !is_header_line(line, len, &ret->known)) {
                        ret->end = pos;
                        ret->bad_line = line_no;
                        return;
                }
                pos = nl ? (size_t)(nl - data) + 1 : size;
        }
}

/* When no blank line ends the headers, a copy of data with one where Postfix ends them, so
 * that GMime splits the message as the MTA (and so the milter) does. */
static int normalize_header_block(const char *data, size_t size, const struct header_block *hb,
                                  char **ret, size_t *ret_size)
{
        bool need_nl = hb->end > 0 && data[hb->end - 1] != '\n';
        size_t n = size + 1 + need_nl;
        char *copy;

        if (hb->blank) {
                *ret = NULL;
                return 0;
        }
        copy = malloc(n);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, data, hb->end);
        if (need_nl)
                copy[hb->end] = '\n';
        copy[hb->end + need_nl] = '\n';
        memcpy(copy + hb->end + need_nl + 1, data + hb->end, size - hb->end);
        *ret = copy;
        *ret_size = n;
        return 0;
}

static int parse_and_walk(struct walk *w, const void *data, size_t size)
{
        struct mail_message *m = w->msg;
        GMimeStream *stream = g_mime_stream_mem_new_with_buffer(data, size);
        GMimeParser *parser = g_mime_parser_new_with_stream(stream);
        GMimeParserOptions *opts = g_mime_parser_options_new();
        GMimeObject *body;
        int k = 0;

        g_mime_parser_options_set_warning_callback(opts, on_parser_warning, w);
        g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
        m->message = g_mime_parser_construct_message(parser, opts);
        g_object_unref(parser);
        g_object_unref(stream);

        if (!m->message) {
                k = note(m->result, "mime.not_a_message", true, "format",
                         "the input could not be read as a mail message", NULL);
                goto out;
        }
        read_message_headers(m);
        body = g_mime_message_get_mime_part(m->message);
        if (body)
                k = walk_object(w, NULL, m->result, body, NULL, m->message, 0, 0, &m->root);
out:
        if (k >= 0)
                k = apply_parser_warnings(w);
        g_mime_parser_options_free(opts);
        return k;
}

static int message_scan_here(struct analysis_ctx *ctx, const struct mail_limits *limits,
                             const char *name, const void *data, size_t size,
                             struct mail_message **ret);

int mail_message_scan_ex(struct analysis_ctx *ctx, const struct mail_limits *limits,
                         const char *name, const void *data, size_t size,
                         const struct mail_scan_options *o, struct mail_message **ret)
{
        struct mail_limits defaults;
        int k;

        if (!limits) {
                mail_limits_init(&defaults);
                limits = &defaults;
        }
        k = mail_message_scan_confined(ctx, limits, name, data, size, o, ret);
        if (k != -EOPNOTSUPP)
                return k;
        return message_scan_here(ctx, limits, name, data, size, ret);
}

int mail_message_scan(struct analysis_ctx *ctx, const struct mail_limits *limits, const char *name,
                      const void *data, size_t size, struct mail_message **ret)
{
        return mail_message_scan_ex(ctx, limits, name, data, size, NULL, ret);
}

static int message_scan_here(struct analysis_ctx *ctx, const struct mail_limits *limits,
                             const char *name, const void *data, size_t size,
                             struct mail_message **ret)
{
        struct mail_limits defaults;
        _cleanup_(mail_message_freep) struct mail_message *m = NULL;
        uint64_t start = now_usec();
        struct walk w = {.ctx = ctx, .raw = data, .raw_size = size};
        _cleanup_free_ char *normalized = NULL;
        size_t normalized_size = 0;
        struct header_block hb;
        int k;

        pthread_once(&gmime_once, gmime_init_real);
        if (!limits) {
                mail_limits_init(&defaults);
                limits = &defaults;
        }
        w.limits = limits;
        if (limits->timeout_ms)
                w.deadline = start + (uint64_t)limits->timeout_ms * 1000;
        /* In process (AIRLOCK_IN_PROCESS), attachments are run during the walk, each for its
         * own time limit; with the worker they are run after it, outside its deadline. */
        if (limits->timeout_ms && limits->detonate)
                w.deadline += 60000000;

        m = calloc(1, sizeof(*m));
        if (!m)
                return -ENOMEM;
        w.msg = m;
        m->name = strdup(name ?: "message");
        m->result = analysis_result_new(name ?: "message");
        m->replaced = g_ptr_array_new_with_free_func(g_object_unref);
        if (!m->name || !m->result)
                return -ENOMEM;
        m->size = size;
        fill_message_node(m, data, size);

        find_header_block(data, size, &hb);
        k = normalize_header_block(data, size, &hb, &normalized, &normalized_size);
        if (k < 0)
                return k;
        if (normalized) {
                w.raw = normalized;
                w.raw_size = normalized_size;
        }
        if (!hb.known)
                k = note(m->result, "mime.not_a_message", true, "format",
                         "not a mail message: it has none of the headers a message has (From, "
                         "To, Subject, Date, Message-ID, Received, MIME-Version, Content-Type)",
                         NULL);
        else if (hb.bad_line) {
                char evidence[64];

                snprintf(evidence, sizeof(evidence), "line %u", hb.bad_line);
                k = note(m->result, "mime.header_block_ends_early", false, NULL,
                         "a line that is not a header ends the headers (as Postfix reads it): "
                         "what follows is the body",
                         evidence);
        }
        if (k < 0)
                return k;
        w.warnings = g_array_new(FALSE, TRUE, sizeof(struct parser_warning));
        if (!hb.known)
                k = 0; /* nothing a mail client would show as a message to walk */
        else
                k = normalized ? parse_and_walk(&w, normalized, normalized_size)
                               : parse_and_walk(&w, data, size);
        for (guint i = 0; i < w.warnings->len; i++)
                free(g_array_index(w.warnings, struct parser_warning, i).item);
        g_array_free(w.warnings, TRUE);
        if (k < 0)
                return k;

        analysis_result_finalize(m->result);
        m->scan_usec = now_usec() - start;
        *ret = TAKE_PTR(m);
        return 0;
}

struct mail_message *mail_message_free(struct mail_message *m)
{
        if (!m)
                return NULL;
        mail_part_free(m->root);
        analysis_result_free(m->result);
        if (m->message)
                g_object_unref(m->message);
        if (m->replaced)
                g_ptr_array_free(m->replaced, TRUE);
        free(m->name);
        free(m->subject);
        free(m->from);
        free(m->message_id);
        free(m->stripped_body);
        free(m->stripped_content_type);
        free(m->stripped_encoding);
        free(m);
        return NULL;
}

static int foreach_part(struct mail_part *p, int (*fn)(struct mail_part *p, void *userdata),
                        void *userdata)
{
        int k = fn(p, userdata);

        for (size_t i = 0; k == 0 && i < p->n_children; i++)
                k = foreach_part(p->children[i], fn, userdata);
        return k;
}

int mail_message_foreach_part(const struct mail_message *m,
                              int (*fn)(struct mail_part *p, void *userdata), void *userdata)
{
        return m->root ? foreach_part(m->root, fn, userdata) : 0;
}

static void json_add_string(struct json_object *o, const char *key, const char *value)
{
        if (value)
                json_object_object_add(o, key, json_object_new_string(value));
}

static const char *kind_to_string(enum mail_part_kind k)
{
        static const char *const names[] = {
                [MAIL_PART_LEAF] = "part",
                [MAIL_PART_MULTIPART] = "multipart",
                [MAIL_PART_MESSAGE] = "message",
                [MAIL_PART_UUENCODED] = "uuencoded",
        };
        return names[k];
}

static void augment_json(struct json_object *node, const struct mail_part *p)
{
        struct json_object *mime = json_object_new_object();
        struct json_object *children;

        if (!mime)
                return;
        json_add_string(mime, "path", p->mime_path);
        json_add_string(mime, "kind", kind_to_string(p->kind));
        json_add_string(mime, "content_type", p->content_type);
        json_add_string(mime, "disposition", p->disposition);
        json_add_string(mime, "filename", p->filename);
        json_add_string(mime, "encoding", p->encoding);
        json_add_string(mime, "charset", p->charset);
        json_object_object_add(mime, "attachment", json_object_new_boolean(p->attachment));
        if (p->stripped)
                json_object_object_add(mime, "stripped", json_object_new_boolean(true));
        json_object_object_add(node, "mime_part", mime);

        if (!json_object_object_get_ex(node, "children", &children) ||
            !json_object_is_type(children, json_type_array))
                return;
        for (size_t i = 0; i < p->n_children; i++) {
                struct json_object *c =
                        json_object_array_get_idx(children, p->children[i]->result_index);
                if (c)
                        augment_json(c, p->children[i]);
        }
}

struct json_object *mail_message_to_json(const struct mail_message *m)
{
        struct json_object *o = analysis_result_to_json(m->result);
        struct json_object *children, *msg;

        if (!o)
                return NULL;
        msg = json_object_new_object();
        if (msg) {
                json_add_string(msg, "subject", m->subject);
                json_add_string(msg, "from", m->from);
                json_add_string(msg, "message_id", m->message_id);
                json_object_object_add(msg, "parts", json_object_new_int64((int64_t)m->n_parts));
                json_object_object_add(msg, "scan_ms",
                                       json_object_new_double((double)m->scan_usec / 1000.0));
                json_object_object_add(o, "message", msg);
        }
        if (m->root && json_object_object_get_ex(o, "children", &children)) {
                struct json_object *c = json_object_array_get_idx(children, m->root->result_index);
                if (c)
                        augment_json(c, m->root);
        }
        return o;
}
