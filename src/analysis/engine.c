/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The triage engine: contexts, the walk over files, folders and archive members, and the
 * limits. Archive members are extracted into memory only; nothing is ever written to disk,
 * whatever the member names say. */
#include <archive.h>
#include <archive_entry.h>
#include <openssl/sha.h>
#include <dirent.h>
#include <fcntl.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "analysis-internal.h"
#include "worker.h"
#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/strv.h"

#define RATIO_FLOOR    (1024 * 1024) /* the ratio limit applies above this many bytes */
#define MAGIC_PEEK     (1024 * 1024) /* bytes libmagic sees of a file too large to read */
#define MAX_DIR_LEVELS 256
#define READ_CHUNK     (256 * 1024)
#define SMALL_FILE     (256 * 1024) /* read, not mapped, up to this size */

/* SHA-256 of data as 64 lowercase hex digits. OpenSSL's uses the CPU's SHA instructions where
 * there are any: the portable C one cost a seventh of a scan. */
static void hash_hex(const void *data, size_t size, char hex[65])
{
        static const char digits[] = "0123456789abcdef";
        uint8_t digest[SHA256_DIGEST_LENGTH];

        SHA256(data, size, digest);
        for (size_t i = 0; i < sizeof(digest); i++) {
                hex[2 * i] = digits[digest[i] >> 4];
                hex[2 * i + 1] = digits[digest[i] & 15];
        }
        hex[64] = 0;
}

static unsigned default_threads(void)
{
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

void analysis_options_init(struct analysis_options *o)
{
        *o = (struct analysis_options){
                .limits =
                        {
                                .max_depth = 8,
                                .max_members = 10000,
                                .max_expansion = UINT64_C(1) << 30,
                                .max_ratio = 100,
                                .timeout_sec = 120,
                                .max_file_size = UINT64_C(1) << 30,
                        },
                .threads = default_threads(),
                /* Only for the side-by-side rows of bench/ (docs/worker.md). */
                .in_process = streq_ptr(secure_getenv("AIRLOCK_IN_PROCESS"), "1"),
        };
}

static void magic_pair_free(struct magic_pair *m)
{
        if (m->type)
                magic_close(m->type);
        if (m->mime)
                magic_close(m->mime);
        free(m);
}

/* Opens a libmagic handle pair. Returns 0, -ENOMEM, or -EINVAL when the database cannot be
 * loaded (*ret_why then says why). The database is mapped, not parsed: this is cheap. */
static int magic_pair_new(struct magic_pair **ret, const char **ret_why)
{
        struct magic_pair *m = calloc(1, sizeof(*m));

        if (!m)
                return -ENOMEM;
        m->type = magic_open(MAGIC_NONE | MAGIC_NO_CHECK_COMPRESS);
        m->mime = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
        if (!m->type || !m->mime) {
                magic_pair_free(m);
                return -ENOMEM;
        }
        if (magic_load(m->type, NULL) < 0 || magic_load(m->mime, NULL) < 0) {
                *ret_why = magic_error(m->type) ?: magic_error(m->mime) ?: "cannot load";
                magic_pair_free(m);
                return -EINVAL;
        }
        *ret = m;
        return 0;
}

/* Borrows a free handle pair, opening one more when all are in use (one per thread that scans
 * at the same time). Returns NULL on failure. */
static struct magic_pair *magic_pair_get(struct analysis_ctx *ctx)
{
        struct magic_pair *m;
        const char *why;

        pthread_mutex_lock(&ctx->magic_lock);
        m = ctx->magic_free;
        if (m)
                ctx->magic_free = m->next_free;
        pthread_mutex_unlock(&ctx->magic_lock);
        if (m || magic_pair_new(&m, &why) < 0)
                return m;
        pthread_mutex_lock(&ctx->magic_lock);
        m->next_all = ctx->magic_all;
        ctx->magic_all = m;
        pthread_mutex_unlock(&ctx->magic_lock);
        return m;
}

static void magic_pair_put(struct analysis_ctx *ctx, struct magic_pair *m)
{
        pthread_mutex_lock(&ctx->magic_lock);
        m->next_free = ctx->magic_free;
        ctx->magic_free = m;
        pthread_mutex_unlock(&ctx->magic_lock);
}

struct analysis_ctx *analysis_ctx_free(struct analysis_ctx *ctx)
{
        if (!ctx)
                return NULL;
        worker_pool_drop(ctx);
        worker_zygote_stop(ctx);
        pool_free(ctx->pool);
        pthread_mutex_destroy(&ctx->pool_lock);
        scan_cache_free(ctx->cache);
        rules_free(ctx->rules);
        for (struct magic_pair *m = ctx->magic_all, *next; m; m = next) {
                next = m->next_all;
                magic_pair_free(m);
        }
        pthread_mutex_destroy(&ctx->magic_lock);
        pthread_mutex_destroy(&ctx->engines_lock);
        strv_free(ctx->rules_dirs);
        free(ctx->clamd_address);
        free(ctx);
        return NULL;
}

static int set_error(char **ret_error, const char *what, const char *why)
{
        if (ret_error && asprintf(ret_error, "%s: %s", what, why) < 0)
                *ret_error = NULL;
        return -EINVAL;
}

int analysis_ctx_load_engines(struct analysis_ctx *ctx, char **ret_error)
{
        const char *why = NULL;
        int k = 0;

        pthread_mutex_lock(&ctx->engines_lock);
        if (ctx->rules)
                goto out;
        /* One pair now, so that a database that cannot be loaded is reported here. */
        if (!ctx->magic_all) {
                k = magic_pair_new(&ctx->magic_all, &why);
                if (k == -EINVAL)
                        k = set_error(ret_error, "libmagic", why);
                if (k < 0)
                        goto out;
                ctx->magic_free = ctx->magic_all;
        }
        k = rules_load(&ctx->opts, ctx->rules_dirs, &ctx->rules, ret_error);
out:
        pthread_mutex_unlock(&ctx->engines_lock);
        return k;
}

int analysis_ctx_new(const struct analysis_options *opts, struct analysis_ctx **ret,
                     char **ret_error)
{
        struct analysis_ctx *ctx = calloc(1, sizeof(*ctx));
        int k;

        if (!ctx)
                return -ENOMEM;
        pthread_mutex_init(&ctx->magic_lock, NULL);
        pthread_mutex_init(&ctx->pool_lock, NULL);
        pthread_mutex_init(&ctx->zygote_lock, NULL);
        pthread_mutex_init(&ctx->engines_lock, NULL);
        ctx->zygote_sock = -1;
        if (opts)
                ctx->opts = *opts;
        else
                analysis_options_init(&ctx->opts);
        for (char *const *d = ctx->opts.rules_dirs; d && *d; d++)
                if (strv_extend(&ctx->rules_dirs, *d) < 0)
                        goto nomem;
        ctx->opts.rules_dirs = ctx->rules_dirs;
        if (ctx->opts.clamd_address) {
                ctx->clamd_address = strdup(ctx->opts.clamd_address);
                if (!ctx->clamd_address)
                        goto nomem;
                ctx->opts.clamd_address = ctx->clamd_address;
                if (!startswith(ctx->clamd_address, "unix:") &&
                    !startswith(ctx->clamd_address, "tcp:")) {
                        k = set_error(ret_error, ctx->clamd_address,
                                      "expected unix:PATH or tcp:HOST:PORT");
                        goto fail;
                }
        }
        /* Loaded here, so that a database or rules that cannot be loaded are reported here;
         * with workers_load_engines, by the first worker (analysis_ctx_prepare()). */
        if (!ctx->opts.workers_load_engines || ctx->opts.in_process) {
                k = analysis_ctx_load_engines(ctx, ret_error);
                if (k < 0)
                        goto fail;
        }
        if (!ctx->opts.no_cache && scan_cache_new(&ctx->cache) < 0)
                goto nomem;
        *ret = ctx;
        return 0;
nomem:
        k = -ENOMEM;
fail:
        analysis_ctx_free(ctx);
        return k;
}

void analysis_ctx_set_message_walker(struct analysis_ctx *ctx, analysis_message_walker walk)
{
        ctx->message_walker = walk;
}

/* The message a thread is walking for the engine: analysis_scan_buffer_child() called by the
 * walker scans the parts within the limits of the file the message is in, one level deeper. */
struct message_frame {
        struct analysis_ctx *ctx;
        struct scan_state *st;
        unsigned depth; /* of the message node */
};

static __thread struct message_frame *current_message;

size_t analysis_ctx_rule_count(const struct analysis_ctx *ctx)
{
        return rules_count(ctx->rules);
}

/* The scanning threads, started on the first scan. NULL: scan in the calling thread. */
static struct pool *ctx_pool(struct analysis_ctx *ctx)
{
        pthread_mutex_lock(&ctx->pool_lock);
        if (!ctx->pool_made) {
                /* Workers are forked directly while this process has one thread; from
                 * now on they come from a zygote, forked here while that still holds. */
                if (ctx->opts.threads > 1)
                        (void)analysis_ctx_start_workers(ctx);
                if (pool_new(ctx->opts.threads, &ctx->pool) < 0)
                        ctx->pool = NULL; /* no memory for threads: scan in this one */
                ctx->pool_made = true;
        }
        pthread_mutex_unlock(&ctx->pool_lock);
        return ctx->pool;
}

static void scan_state_init(struct scan_state *st, struct analysis_ctx *ctx)
{
        *st = (struct scan_state){.ctx = ctx};
        if (ctx->opts.limits.timeout_sec > 0) {
                clock_gettime(CLOCK_MONOTONIC, &st->deadline);
                st->deadline.tv_sec += ctx->opts.limits.timeout_sec;
                st->has_deadline = true;
        }
}

bool scan_state_expired(const struct scan_state *st)
{
        struct timespec now;

        if (!st->has_deadline)
                return false;
        clock_gettime(CLOCK_MONOTONIC, &now);
        return now.tv_sec > st->deadline.tv_sec ||
               (now.tv_sec == st->deadline.tv_sec && now.tv_nsec >= st->deadline.tv_nsec);
}

static unsigned seconds_left(const struct scan_state *st)
{
        struct timespec now;

        if (!st->has_deadline)
                return 0;
        clock_gettime(CLOCK_MONOTONIC, &now);
        return now.tv_sec >= st->deadline.tv_sec ? 1 : (unsigned)(st->deadline.tv_sec - now.tv_sec);
}

static int set_string(char **field, const char *value)
{
        char *copy = strdup(value);

        if (!copy)
                return -ENOMEM;
        free(*field);
        *field = copy;
        return 0;
}

static bool memmem_case(const char *hay, size_t n, const char *needle);

/* Text is told apart here: libmagic runs dozens of regular expressions over text and costs
 * milliseconds per file, while what the engine needs of text (markup, script, RTF) is in its
 * first bytes. Binary content, where libmagic is fast and knows thousands of formats, goes to
 * libmagic. Returns the MIME type, or NULL when data is not text. */
static const char *classify_text(const uint8_t *d, size_t size, const char **ret_type)
{
        size_t n = size < 8192 ? size : 8192, odd = 0, i = 0;
        const char *head = (const char *)d;

        if (size == 0 || !d)
                return NULL;
        for (size_t j = 0; j < n; j++) {
                uint8_t c = d[j];
                if (c == 0)
                        return NULL;
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
                        odd++;
        }
        if (odd * 100 > n)
                return NULL;
        if (n >= 3 && !memcmp(d, "\xef\xbb\xbf", 3))
                i = 3;
        while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
                i++;
        head = (const char *)d + i;
        n -= i;
#define HEAD_IS(s)          (n >= sizeof(s) - 1 && strncasecmp(head, (s), sizeof(s) - 1) == 0)
#define HEAD_HAS(s, within) (memmem_case(head, n < (within) ? n : (within), (s)))
        if (HEAD_IS("#!")) {
                const char *eol = memchr(head, '\n', n);
                size_t line = eol ? (size_t)(eol - head) : n;
                if (memmem(head, line, "python", 6))
                        return *ret_type = "Python script text", "text/x-script.python";
                if (memmem(head, line, "perl", 4))
                        return *ret_type = "Perl script text", "text/x-perl";
                if (memmem(head, line, "node", 4))
                        return *ret_type = "Node.js script text", "application/javascript";
                return *ret_type = "shell script text", "text/x-shellscript";
        }
        /* Formats that are text on the wire but documents to their readers (an all-ASCII
         * PDF is valid): typed as such, so that viewers and the name heuristics agree. */
        if (HEAD_IS("%PDF-"))
                return *ret_type = "PDF document", "application/pdf";
        if (HEAD_IS("%!PS"))
                return *ret_type = "PostScript document text", "application/postscript";
        if (HEAD_IS("{\\rtf"))
                return *ret_type = "Rich Text Format data", "text/rtf";
        if (HEAD_HAS("<svg", 4096))
                return *ret_type = "SVG Scalable Vector Graphics image", "image/svg+xml";
        if (HEAD_IS("<!doctype html") || HEAD_HAS("<html", 1024) || HEAD_HAS("<head", 1024) ||
            HEAD_HAS("<script", 1024) || HEAD_HAS("<body", 1024))
                return *ret_type = "HTML document text", "text/html";
        if (HEAD_IS("<?xml"))
                return *ret_type = "XML document text", "text/xml";
        if (HEAD_HAS("(This file must be converted with BinHex", 256))
                return *ret_type = "BinHex binary text", "application/mac-binhex40";
        return *ret_type = "text", "text/plain";
#undef HEAD_IS
#undef HEAD_HAS
}

static bool memmem_case(const char *hay, size_t n, const char *needle)
{
        size_t len = strlen(needle);
        char first = needle[0];

        for (size_t i = 0; i + len <= n; i++)
                if (hay[i] == first && strncasecmp(hay + i, needle, len) == 0)
                        return true;
        return false;
}

static bool header_is_mail(const char *name, size_t len)
{
        static const char *const names[] = {
                "from",         "to",          "cc",
                "subject",      "date",        "message-id",
                "received",     "return-path", "mime-version",
                "content-type", "reply-to",    "delivered-to",
                "sender",       "in-reply-to", "references",
                "x-mailer",     "user-agent",  "content-transfer-encoding",
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (strlen(names[i]) == len && strncasecmp(name, names[i], len) == 0)
                        return true;
        return false;
}

/* A mail message (RFC 5322: a block of header fields, at least two of them mail headers, up
 * to an empty line) or an mbox (the same after a "From " line). Checked before the text
 * classifier, which would call it text. Returns the MIME type, or NULL. */
static const char *classify_mail(const uint8_t *d, size_t size, const char **ret_type)
{
        size_t n = size < 8192 ? size : 8192, i = 0;
        const char *s = (const char *)d;
        unsigned known = 0, fields = 0;
        bool mbox = false;

        if (n >= 5 && !memcmp(s, "From ", 5)) {
                const char *eol = memchr(s, '\n', n);
                if (!eol)
                        return NULL;
                mbox = true;
                i = (size_t)(eol - s) + 1;
        }
        while (i < n) {
                const char *line = s + i, *eol = memchr(line, '\n', n - i);
                size_t len = eol ? (size_t)(eol - line) : n - i;
                if (len > 0 && line[len - 1] == '\r')
                        len--;
                if (len == 0)
                        break; /* the end of the header */
                if (!eol && n < size)
                        return NULL; /* a header longer than we look at: not a message */
                if (line[0] == ' ' || line[0] == '\t') {
                        if (fields == 0)
                                return NULL;
                } else {
                        size_t name = 0;
                        while (name < len && line[name] != ':' && line[name] > 32 &&
                               line[name] < 127)
                                name++;
                        if (name == 0 || name >= len || line[name] != ':')
                                return NULL;
                        fields++;
                        known += header_is_mail(line, name);
                }
                if (!eol)
                        break;
                i = (size_t)(eol - s) + 1;
        }
        if (known < 2)
                return NULL;
        if (mbox)
                return *ret_type = "mbox mail folder", "application/mbox";
        return *ret_type = "RFC 822 mail text", "message/rfc822";
}

/* Compressed streams are typed here: airlock decompresses them and types what is inside,
 * and libmagic's database answers for gzip only after trying most of its other entries
 * (about a millisecond for every .gz file, more than hashing and scanning it). Returns the
 * MIME type, or NULL when data is not one of these. */
static const char *classify_stream(const uint8_t *d, size_t size, const char **ret_type)
{
        if (size >= 10 && d[0] == 0x1f && d[1] == 0x8b && d[2] == 8)
                return *ret_type = "gzip compressed data", "application/gzip";
        if (size >= 10 && d[0] == 'B' && d[1] == 'Z' && d[2] == 'h' && d[3] >= '1' && d[3] <= '9' &&
            !memcmp(d + 4, "\x31\x41\x59\x26\x53\x59", 6))
                return *ret_type = "bzip2 compressed data", "application/x-bzip2";
        if (size >= 12 && !memcmp(d,
                                  "\xfd"
                                  "7zXZ\0",
                                  6))
                return *ret_type = "XZ compressed data", "application/x-xz";
        if (size >= 8 && !memcmp(d, "\x28\xb5\x2f\xfd", 4))
                return *ret_type = "Zstandard compressed data", "application/zstd";
        return NULL;
}

static int identify(struct analysis_ctx *ctx, struct analysis_result *node, const void *data,
                    size_t size)
{
        const char *type = NULL, *mime;
        struct magic_pair *m;
        int k;

        if (size == 0) {
                k = set_string(&node->type, "empty");
                return k < 0 ? k : set_string(&node->mime, "application/x-empty");
        }
        mime = classify_text(data, size, &type);
        if (mime) {
                const char *mail_type = NULL, *mail = classify_mail(data, size, &mail_type);
                if (mail)
                        mime = mail, type = mail_type;
        } else
                mime = classify_stream(data, size, &type);
        if (mime) {
                k = set_string(&node->type, type);
                return k < 0 ? k : set_string(&node->mime, mime);
        }
        m = magic_pair_get(ctx);
        if (!m)
                return -ENOMEM;
        mime = magic_buffer(m->mime, data, size);
        k = set_string(&node->mime, mime ? mime : "application/octet-stream");
        if (k >= 0) {
                type = magic_buffer(m->type, data, size);
                k = set_string(&node->type, type ? type : "data");
        }
        magic_pair_put(ctx, m);
        return k;
}

enum container_kind { CONTAINER_NONE, CONTAINER_ARCHIVE, CONTAINER_STREAM };

static bool has_prefix(const void *data, size_t size, size_t off, const char *magic, size_t n)
{
        return size >= off + n && memcmp((const uint8_t *)data + off, magic, n) == 0;
}

/* What libarchive should be asked to open: an archive format, a single compressed stream
 * (gzip, bzip2, xz...: read with the "raw" format), or nothing. */
static enum container_kind container_kind(const struct analysis_result *node, const void *data,
                                          size_t size)
{
        static const char *const archive_mimes[] = {
                "application/zip",
                "application/x-7z-compressed",
                "application/x-rar",
                "application/vnd.rar",
                "application/x-tar",
                "application/x-iso9660-image",
                "application/vnd.ms-cab-compressed",
                "application/x-cpio",
                "application/x-archive",
                "application/x-xar",
                "application/x-lha",
                "application/x-lzh-compressed",
                "application/java-archive",
                "application/epub+zip",
                "application/x-gtar",
                "application/x-ustar",
                "application/x-udf-image",
        };
        static const char *const stream_mimes[] = {
                "application/gzip",   "application/x-gzip",     "application/x-bzip2",
                "application/x-xz",   "application/x-lzma",     "application/zstd",
                "application/x-lzip", "application/x-compress", "application/x-lz4",
                "application/x-lzop",
        };
        const char *m = node->mime ? node->mime : "";

        if (has_prefix(data, size, 0, "\x1f\x8b", 2) || has_prefix(data, size, 0, "BZh", 3) ||
            has_prefix(data, size, 0,
                       "\xfd"
                       "7zXZ",
                       6) ||
            has_prefix(data, size, 0, "\x28\xb5\x2f\xfd", 4))
                return CONTAINER_STREAM;
        for (size_t i = 0; i < ELEMENTSOF(stream_mimes); i++)
                if (streq(m, stream_mimes[i]))
                        return CONTAINER_STREAM;
        if (has_prefix(data, size, 0, "PK\x03\x04", 4) ||
            has_prefix(data, size, 0, "PK\x05\x06", 4) ||
            has_prefix(data, size, 0, "7z\xbc\xaf\x27\x1c", 6) ||
            has_prefix(data, size, 0, "Rar!\x1a\x07", 6) || has_prefix(data, size, 0, "MSCF", 4) ||
            has_prefix(data, size, 257, "ustar", 5) || has_prefix(data, size, 0x8001, "CD001", 5) ||
            has_prefix(data, size, 0, "070701", 6) || has_prefix(data, size, 0, "070707", 6) ||
            has_prefix(data, size, 0, "!<arch>\n", 8))
                return CONTAINER_ARCHIVE;
        for (size_t i = 0; i < ELEMENTSOF(archive_mimes); i++)
                if (streq(m, archive_mimes[i]))
                        return CONTAINER_ARCHIVE;
        if (startswith(m, "application/vnd.openxmlformats-officedocument.") ||
            startswith(m, "application/vnd.oasis.opendocument.") ||
            startswith(m, "application/vnd.ms-word.") ||
            startswith(m, "application/vnd.ms-excel.") ||
            startswith(m, "application/vnd.ms-powerpoint."))
                return has_prefix(data, size, 0, "PK", 2) ? CONTAINER_ARCHIVE : CONTAINER_NONE;
        return CONTAINER_NONE;
}

static int scan_data(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                     size_t size, unsigned depth);

static bool unsafe_member_name(const char *name)
{
        if (name[0] == '/' || name[0] == '\\' || strstr(name, "../") || strstr(name, "..\\") ||
            streq(name, ".."))
                return true;
        for (const char *p = name; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                        return true;
        return false;
}

/* Reads the current member into memory, counting it against the limits. Returns 0 with the
 * data, 1 when a limit was hit (already recorded on child), or a negative errno. */
static int read_member(struct scan_state *st, struct archive *a, struct archive_entry *e,
                       size_t container_size, uint64_t *archive_expanded,
                       struct analysis_result *child, uint8_t **ret_buf, size_t *ret_size)
{
        const struct analysis_limits *lim = &st->ctx->opts.limits;
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len = 0, cap = 0;
        char why[160];

        if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0 &&
            (uint64_t)archive_entry_size(e) <= (lim->max_file_size ?: UINT64_MAX) &&
            archive_entry_size(e) <= 64 << 20) {
                cap = (size_t)archive_entry_size(e) + READ_CHUNK;
                buf = malloc(cap);
                if (!buf)
                        return -ENOMEM;
        }
        for (;;) {
                if (cap - len < READ_CHUNK) {
                        size_t want = cap < READ_CHUNK ? 2 * READ_CHUNK : cap * 2;
                        uint8_t *grown = realloc(buf, want);
                        if (!grown)
                                return -ENOMEM;
                        buf = grown;
                        cap = want;
                }
                la_ssize_t n = archive_read_data(a, buf + len, READ_CHUNK);
                if (n == 0)
                        break;
                if (n < 0) {
                        const char *err = archive_error_string(a);
                        if (err && strcasestr(err, "encrypt"))
                                return analysis_result_add_finding(
                                               child, "archive.encrypted_member",
                                               ANALYSIS_SEVERITY_MEDIUM, "T1027.013",
                                               "an encrypted member: its content cannot be "
                                               "inspected",
                                               err, NULL)
                                               ?: 1;
                        snprintf(why, sizeof(why), "the member cannot be read: %s",
                                 err ? err : "unknown error");
                        return analysis_result_set_unscannable(child, "read-error", why) ?: 1;
                }
                len += (size_t)n;
                *archive_expanded += (uint64_t)n;
                st->expanded += (uint64_t)n;
                if (lim->max_expansion && st->expanded > lim->max_expansion) {
                        snprintf(why, sizeof(why), "more than %llu bytes extracted from one file",
                                 (unsigned long long)lim->max_expansion);
                        return analysis_result_set_unscannable(child, "expansion", why) ?: 1;
                }
                if (lim->max_file_size && len > lim->max_file_size) {
                        snprintf(why, sizeof(why), "a member larger than %llu bytes",
                                 (unsigned long long)lim->max_file_size);
                        return analysis_result_set_unscannable(child, "file-size", why) ?: 1;
                }
                if (lim->max_ratio && *archive_expanded > RATIO_FLOOR &&
                    *archive_expanded / (container_size ? container_size : 1) >= lim->max_ratio) {
                        snprintf(why, sizeof(why),
                                 "compression ratio above %u:1 (%llu bytes from %zu)",
                                 lim->max_ratio, (unsigned long long)*archive_expanded,
                                 container_size);
                        return analysis_result_set_unscannable(child, "ratio", why) ?: 1;
                }
                if (scan_state_expired(st))
                        return analysis_result_set_unscannable(
                                       child, "time", "the time limit ran out while extracting")
                                       ?: 1;
        }
        *ret_buf = TAKE_PTR(buf);
        *ret_size = len;
        return 0;
}

static int member_name(struct archive_entry *e, const struct analysis_result *parent, bool stream,
                       char **ret)
{
        const char *name = archive_entry_pathname_utf8(e);

        if (!name)
                name = archive_entry_pathname(e);
        /* The raw format calls its only member "data": name it after the parent instead. */
        if (stream && (!name || streq(name, "data"))) {
                const char *p = parent->name;
                const char *dot = strrchr(p, '.');
                if (dot && dot != p)
                        *ret = strndup(p, (size_t)(dot - p));
                else
                        *ret = strdup(*p ? p : "data");
        } else
                *ret = strdup(name && *name ? name : "(unnamed)");
        return *ret ? 0 : -ENOMEM;
}

/* A member read from an archive, scanned by whichever thread takes it. */
struct member_task {
        struct scan_state *st;
        struct analysis_result *child;
        uint8_t *data;
        size_t size;
        unsigned depth;
};

static int member_task_run(void *arg)
{
        struct member_task *t = arg;
        int k = scan_data(t->st, t->child, t->data, t->size, t->depth);

        free(t->data);
        free(t);
        return k;
}

/* Scans a member (taking ownership of data) in the pool: the archive reader goes on reading
 * the next member meanwhile. Returns 0, or a negative errno when it ran here and failed. */
static int scan_member(struct scan_state *st, struct pool_group *g, struct analysis_result *child,
                       uint8_t *data, size_t size, unsigned depth)
{
        struct pool *p = ctx_pool(st->ctx);
        struct member_task *t = p ? malloc(sizeof(*t)) : NULL;
        int k;

        if (!t) {
                k = scan_data(st, child, data, size, depth);
                free(data);
                return k;
        }
        *t = (struct member_task){
                .st = st, .child = child, .data = data, .size = size, .depth = depth};
        pool_submit(p, g, member_task_run, t);
        return 0;
}

static bool all_zero(const uint8_t *d, size_t n)
{
        return n == 0 || (d[0] == 0 && memcmp(d, d + 1, n - 1) == 0);
}

/* Every format of archive_read_support_format_all() that holds files, which is all of them
 * but mtree: an mtree file is a text manifest of files kept elsewhere, and its bidder takes
 * ordinary text for one (a gzipped changelog then failed as "Can't parse line 82", and was
 * unscannable instead of read through the raw format). */
static void support_formats(struct archive *a)
{
        archive_read_support_format_7zip(a);
        archive_read_support_format_ar(a);
        archive_read_support_format_cab(a);
        archive_read_support_format_cpio(a);
        archive_read_support_format_empty(a);
        archive_read_support_format_iso9660(a);
        archive_read_support_format_lha(a);
        archive_read_support_format_rar(a);
        archive_read_support_format_rar5(a);
        archive_read_support_format_tar(a);
        archive_read_support_format_warc(a);
        archive_read_support_format_xar(a);
        archive_read_support_format_zip(a);
}

static int walk_archive(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                        size_t size, unsigned depth, bool stream)
{
        const struct analysis_limits *lim = &st->ctx->opts.limits;
        struct archive *a = archive_read_new();
        struct archive_entry *e;
        struct pool_group members = {0};
        uint64_t archive_expanded = 0, entries = 0;
        unsigned retries = 0;
        bool encrypted_noted = false;
        char why[256];
        int k = 0, r;

        if (!a)
                return -ENOMEM;
        archive_read_support_filter_all(a);
        support_formats(a);
        if (stream)
                archive_read_support_format_raw(a);
        if (archive_read_open_memory(a, data, size) != ARCHIVE_OK) {
                snprintf(why, sizeof(why), "looks like an archive but cannot be opened: %s",
                         archive_error_string(a) ?: "unknown format");
                k = analysis_result_set_unscannable(node, "format", why);
                goto out;
        }
        for (;;) {
                _cleanup_free_ char *name = NULL;
                _cleanup_free_ uint8_t *buf = NULL;
                struct analysis_result *child;
                size_t len = 0;

                r = archive_read_next_header(a, &e);
                if (r == ARCHIVE_EOF) {
                        /* A sizeable "archive" without a single readable member is damaged,
                         * or made to look empty. */
                        if (entries == 0 && size > 64 && !all_zero(data, size))
                                k = analysis_result_set_unscannable(
                                        node, "read-error",
                                        "an archive of this size without any readable member");
                        if (k < 0)
                                goto out;
                        break;
                }
                entries++;
                if (r == ARCHIVE_RETRY && ++retries < 16)
                        continue;
                if (r < ARCHIVE_WARN) {
                        const char *err = archive_error_string(a);
                        if (err && strcasestr(err, "encrypt")) {
                                k = analysis_result_add_finding(
                                        node, "archive.encrypted", ANALYSIS_SEVERITY_MEDIUM,
                                        "T1027.013",
                                        "an encrypted archive: its content cannot be inspected",
                                        err, NULL);
                                if (k >= 0)
                                        k = analysis_result_set_unscannable(
                                                node, "encrypted", "the archive is encrypted");
                                goto out;
                        }
                        snprintf(why, sizeof(why), "the archive is damaged or truncated: %s",
                                 err ?: "unknown error");
                        k = analysis_result_set_unscannable(node, "read-error", why);
                        goto out;
                }
                if (scan_state_expired(st)) {
                        k = analysis_result_set_unscannable(node, "time", "the time limit ran out");
                        goto out;
                }
                if (lim->max_members && ++st->members > lim->max_members) {
                        snprintf(why, sizeof(why), "more than %llu archive members",
                                 (unsigned long long)lim->max_members);
                        k = analysis_result_set_unscannable(node, "members", why);
                        goto out;
                }
                k = member_name(e, node, stream, &name);
                if (k < 0)
                        goto out;
                /* The symbol table of a GNU or System V ar archive (a static library) is a
                 * member called "/" (or "/SYM64/"), its table of long names "//": the format's own,
                 * not a path. */
                bool ar_index =
                        (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_AR &&
                        (streq(name, "/") || streq(name, "//") || streq(name, "/SYM64/"));
                if (!ar_index && unsafe_member_name(name)) {
                        k = analysis_result_add_finding(
                                node, "archive.unsafe_member_name", ANALYSIS_SEVERITY_MEDIUM,
                                "T1036",
                                "a member name with ../, an absolute path or control characters "
                                "(path traversal on extraction)",
                                name, NULL);
                        if (k < 0)
                                goto out;
                }
                if (archive_entry_is_encrypted(e)) {
                        if (!encrypted_noted) {
                                k = analysis_result_add_finding(
                                        node, "archive.encrypted_member", ANALYSIS_SEVERITY_MEDIUM,
                                        "T1027.013",
                                        "an encrypted member: its content cannot be inspected",
                                        name, NULL);
                                if (k < 0)
                                        goto out;
                                encrypted_noted = true;
                        }
                        continue;
                }
                if (archive_entry_filetype(e) != AE_IFREG)
                        continue;

                child = analysis_result_new(name);
                if (!child || analysis_result_add_child(node, child) < 0) {
                        analysis_result_free(child);
                        k = -ENOMEM;
                        goto out;
                }
                k = read_member(st, a, e, size, &archive_expanded, child, &buf, &len);
                if (k < 0)
                        goto out;
                if (k > 0) {
                        /* A budget is spent (or the member is unreadable): stop unless only
                         * this member was affected. */
                        if (child->limit && !streq(child->limit, "read-error") &&
                            !streq(child->limit, "file-size"))
                                goto out_ok;
                        continue;
                }
                /* A name inside an Office document that only macro documents have. */
                const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
                if (strcasecmp(base, "vbaProject.bin") == 0 ||
                    strcasecmp(base, "vbaProjectSignature.bin") == 0) {
                        k = analysis_result_add_finding(
                                child, "office.vba_project", ANALYSIS_SEVERITY_HIGH,
                                "T1204.002,T1059.005,T1559.001",
                                "an Office document that carries a VBA macro project", name, NULL);
                        if (k < 0)
                                goto out;
                }
                k = scan_member(st, &members, child, TAKE_PTR(buf), len, depth + 1);
                if (k < 0)
                        goto out;
        }
out_ok:
        k = 0;
out:
        /* The members still being scanned point into nothing of a, but into st and node. */
        r = pool_wait(ctx_pool(st->ctx), &members);
        archive_read_free(a);
        return k < 0 ? k : r;
}

/* A mail message: its MIME parts are walked by the caller's walker (src/mail), which scans
 * each part with analysis_scan_buffer_child() inside this file's limits. The walk decodes
 * every encoding itself, so the carving of base64 and uuencoded blocks is not repeated. */
static int walk_message(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                        size_t size, unsigned depth)
{
        struct message_frame frame = {.ctx = st->ctx, .st = st, .depth = depth};
        struct message_frame *outer = current_message;
        unsigned max_depth = st->ctx->opts.limits.max_depth;
        char why[96];
        int k;

        if (max_depth && depth + 1 >= max_depth) {
                snprintf(why, sizeof(why), "containers nested deeper than %u levels", max_depth);
                return analysis_result_set_unscannable(node, "depth", why);
        }
        current_message = &frame;
        k = st->ctx->message_walker(st->ctx, node, data, size);
        current_message = outer;
        return k;
}

static int scan_inside(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                       size_t size, unsigned depth);

/* Budgets of one file left for a cached tree: it is copied only when scanning it anew could
 * not have hit a limit either. */
struct tree_budget {
        struct scan_state *st;
        unsigned depth;
};

static bool tree_fits(const struct scan_tree_stats *s, void *userdata)
{
        const struct tree_budget *b = userdata;
        const struct analysis_limits *lim = &b->st->ctx->opts.limits;

        return (!lim->max_depth || b->depth + s->height < lim->max_depth) &&
               (!lim->max_members || b->st->members + s->nodes <= lim->max_members) &&
               (!lim->max_expansion || b->st->expanded + s->bytes <= lim->max_expansion);
}

/* Walks the tree below node: its height, size, and whether anything in it hit a limit, was
 * skipped, or is a message (whose walk counts against the limits differently). */
static bool tree_cacheable(const struct analysis_result *node, unsigned level,
                           struct scan_tree_stats *s)
{
        if (node->limit || node->note ||
            (node->mime &&
             (streq(node->mime, "message/rfc822") || streq(node->mime, "application/mbox"))))
                return false;
        if (level > s->height)
                s->height = level;
        for (size_t i = 0; i < node->n_children; i++) {
                s->nodes++;
                s->bytes += node->children[i]->size;
                if (!tree_cacheable(node->children[i], level + 1, s))
                        return false;
        }
        return true;
}

/* The content of node below its own heuristics: from the tree cache when the same content
 * (and name, and place as far as it matters) was walked before within the same limits, else
 * walked, and kept for the next time. */
static int scan_content(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                        size_t size, unsigned depth)
{
        struct analysis_ctx *ctx = st->ctx;
        struct tree_budget budget = {.st = st, .depth = depth};
        struct scan_tree_stats stats = {0};
        size_t first = node->n_findings;
        bool below_image;
        int k;

        if (!ctx->cache || ctx->clamd_address || node->limit)
                return scan_inside(st, node, data, size, depth);
        below_image = heuristics_below_disk_image(node);
        k = scan_cache_apply_tree(ctx->cache, node, below_image, tree_fits, &budget, &stats);
        if (k != 0) {
                if (k > 0) {
                        st->members += stats.nodes;
                        st->expanded += stats.bytes;
                }
                return k < 0 ? k : 0;
        }
        k = scan_inside(st, node, data, size, depth);
        if (k >= 0 && tree_cacheable(node, 0, &stats) &&
            (!ctx->opts.limits.max_depth || depth + stats.height < ctx->opts.limits.max_depth))
                scan_cache_store_tree(ctx->cache, node, below_image, first, &stats);
        return k;
}

/* Streams data to the clamd of the options; only the supervisor does this (a worker has no
 * sockets). Returns 0 or a negative errno. */
int scan_clamd(struct analysis_ctx *ctx, struct analysis_result *node, const void *data,
               size_t size)
{
        _cleanup_free_ char *virus = NULL, *error = NULL, *rule = NULL;
        int k = clamd_scan(ctx->clamd_address, data, size, &virus, &error);
        if (k < 0)
                k = analysis_result_set_unscannable(node, "clamd", error ? error : "clamd failed");
        else if (virus) {
                if (asprintf(&rule, "clamav.%s", virus) < 0)
                        return -ENOMEM;
                k = analysis_result_add_finding(node, rule, ANALYSIS_SEVERITY_CRITICAL, NULL,
                                                "ClamAV found a signature", virus, "clamav");
        }
        return k;
}

static int scan_data(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                     size_t size, unsigned depth)
{
        struct analysis_ctx *ctx = st->ctx;
        char hex[65];
        int k;

        node->size = size;
        hash_hex(data, size, hex);
        k = set_string(&node->sha256, hex);
        if (k >= 0)
                k = scan_cache_apply(ctx->cache, node);
        /* A context whose workers load the rules scans in process only where a caller asks
         * for it: then this process loads them too. */
        if (k == 0 && !ctx->rules)
                k = analysis_ctx_load_engines(ctx, NULL);
        if (k == 0) {
                size_t first;
                k = identify(ctx, node, data, size);
                if (k < 0)
                        return k;
                first = node->n_findings;
                k = rules_scan(ctx->rules, data, size, node->name, seconds_left(st), node);
                if (k == 0)
                        scan_cache_store(ctx->cache, node, first);
        } else if (k > 0)
                k = 0;
        if (k == -ETIME)
                k = analysis_result_set_unscannable(node, "time", "the rule scan ran out of time");
        else if (k == -EIO)
                k = analysis_result_set_unscannable(node, "rules", "the rule scan failed");
        if (k < 0)
                return k;
        k = heuristics_node(node, depth);
        if (k < 0)
                return k;
        if (depth == 0 && ctx->clamd_address && (k = scan_clamd(ctx, node, data, size)) < 0)
                return k;
        return scan_content(st, node, data, size, depth);
}

/* What is inside data: a message's parts, an archive's members, carved and decoded content. */
static int scan_inside(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                       size_t size, unsigned depth)
{
        struct analysis_ctx *ctx = st->ctx;
        enum container_kind kind;

        if (ctx->message_walker && node->mime &&
            (streq(node->mime, "message/rfc822") || streq(node->mime, "application/mbox")))
                return walk_message(st, node, data, size, depth);
        kind = container_kind(node, data, size);
        if (ctx->opts.limits.max_depth && depth >= ctx->opts.limits.max_depth) {
                if (kind == CONTAINER_NONE)
                        return 0;
                char why[96];
                snprintf(why, sizeof(why), "containers nested deeper than %u levels",
                         ctx->opts.limits.max_depth);
                return analysis_result_set_unscannable(node, "depth", why);
        }
        if (kind != CONTAINER_NONE)
                return walk_archive(st, node, data, size, depth, kind == CONTAINER_STREAM);
        return embedded_scan(st, node, data, size, depth);
}

int scan_node_data(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                   size_t size, unsigned depth)
{
        return scan_data(st, node, data, size, depth);
}

/* Scans data into node at the given depth; data over the file size limit is hashed, typed
 * and marked unscannable instead. Returns 0 or a negative errno. */
int scan_buffer_into(struct analysis_ctx *ctx, struct analysis_result *node, const void *data,
                     size_t size, unsigned depth)
{
        struct scan_state st;
        int k;

        scan_state_init(&st, ctx);
        if (ctx->opts.limits.max_file_size && size > ctx->opts.limits.max_file_size) {
                char hex[65];
                hash_hex(data, size, hex);
                node->size = size;
                k = set_string(&node->sha256, hex);
                if (k >= 0)
                        k = identify(ctx, node, data, size < MAGIC_PEEK ? size : MAGIC_PEEK);
                if (k >= 0)
                        k = analysis_result_set_unscannable(node, "file-size",
                                                            "larger than the file size limit");
        } else
                k = scan_data(&st, node, data, size, depth);
        return k;
}

int analysis_scan_buffer(struct analysis_ctx *ctx, const char *name, const void *data, size_t size,
                         struct analysis_result **ret)
{
        _cleanup_(analysis_result_freep) struct analysis_result *node = NULL;
        int k;

        node = analysis_result_new(name ? name : "(buffer)");
        if (!node)
                return -ENOMEM;
        k = ctx->opts.in_process ? scan_buffer_into(ctx, node, data, size, 0)
                                 : worker_scan_data(ctx, node, data, size, 0);
        if (k < 0)
                return k;
        analysis_result_finalize(node);
        *ret = TAKE_PTR(node);
        return 0;
}

int analysis_scan_buffer_child(struct analysis_ctx *ctx, struct analysis_result *parent,
                               const char *name, const void *data, size_t size,
                               struct analysis_result **ret)
{
        struct analysis_result *node = analysis_result_new(name ? name : "(attachment)");
        int k;

        if (!node)
                return -ENOMEM;
        if (analysis_result_add_child(parent, node) < 0) {
                analysis_result_free(node);
                return -ENOMEM;
        }
        if (current_message && current_message->ctx == ctx) {
                struct scan_state *st = current_message->st;
                const struct analysis_limits *lim = &ctx->opts.limits;
                if (lim->max_file_size && size > lim->max_file_size)
                        k = scan_buffer_into(ctx, node, data, size, current_message->depth + 1);
                else
                        k = scan_data(st, node, data, size, current_message->depth + 1);
        } else if (!ctx->opts.in_process)
                /* An attachment of a message the caller walks (mail scan, the milter). */
                k = worker_scan_data(ctx, node, data, size, 1);
        else
                k = scan_buffer_into(ctx, node, data, size, 1);
        if (k < 0)
                return k;
        if (ret)
                *ret = node;
        return 0;
}

static int set_note(struct analysis_result *node, const char *type, const char *note)
{
        int k = set_string(&node->type, type);

        return k < 0 ? k : set_string(&node->note, note);
}

/* A regular file too large to read: its type from the first bytes, and the limit. */
static int scan_oversized(struct analysis_ctx *ctx, int fd, struct analysis_result *node)
{
        _cleanup_free_ uint8_t *head = malloc(MAGIC_PEEK);
        ssize_t n;
        int k;

        if (!head)
                return -ENOMEM;
        n = pread(fd, head, MAGIC_PEEK, 0);
        if (n < 0)
                return negative_errno();
        k = identify(ctx, node, head, (size_t)n);
        if (k < 0)
                return k;
        return analysis_result_set_unscannable(
                node, "file-size", "larger than the file size limit: not read, not hashed");
}

/* A small file is read rather than mapped: a mapping costs page faults and, once several
 * threads run, a TLB shootdown on every munmap. Returns as scan_data(). */
static int scan_small_file(struct scan_state *st, int fd, struct analysis_result *node, size_t size)
{
        _cleanup_free_ uint8_t *buf = malloc(size);
        size_t got = 0;

        if (!buf)
                return -ENOMEM;
        while (got < size) {
                ssize_t n = pread(fd, buf + got, size - got, (off_t)got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        break; /* shrank meanwhile: scan what is there */
                got += (size_t)n;
        }
        return scan_data(st, node, buf, got, 0);
}

/* Scans an open file into node (not finalized). Returns 0 or a negative errno when the file
 * cannot be read at all. */
int scan_open_file_in_process(struct analysis_ctx *ctx, int fd, struct analysis_result *node)
{
        const struct analysis_limits *lim = &ctx->opts.limits;
        struct scan_state st;
        struct stat s;
        int k;

        if (fstat(fd, &s) < 0)
                return negative_errno();
        scan_state_init(&st, ctx);
        if (S_ISFIFO(s.st_mode) || S_ISCHR(s.st_mode) || S_ISBLK(s.st_mode) ||
            S_ISSOCK(s.st_mode)) {
                /* A pipe we were handed (stdin) is read; found in a tree, it is skipped. */
                _cleanup_free_ char *buf = NULL;
                size_t len;
                if (!S_ISFIFO(s.st_mode) || !streq(node->path, "-"))
                        return set_note(node,
                                        S_ISFIFO(s.st_mode)   ? "fifo"
                                        : S_ISSOCK(s.st_mode) ? "socket"
                                                              : "device",
                                        "not a regular file: skipped");
                k = fcntl(fd, F_GETFL);
                if (k >= 0 && (k & O_NONBLOCK))
                        (void)fcntl(fd, F_SETFL, k & ~O_NONBLOCK);
                k = read_full_fd(fd, &buf, &len, lim->max_file_size ?: SIZE_MAX - 1);
                if (k == -EFBIG)
                        return analysis_result_set_unscannable(node, "file-size",
                                                               "larger than the file size limit");
                if (k < 0)
                        return k;
                return scan_data(&st, node, (const uint8_t *)buf, len, 0);
        }
        if (!S_ISREG(s.st_mode))
                return set_note(node, "unknown", "not a regular file: skipped");
        node->size = (uint64_t)s.st_size;
        if (lim->max_file_size && (uint64_t)s.st_size > lim->max_file_size)
                return scan_oversized(ctx, fd, node);
        if (s.st_size == 0)
                return scan_data(&st, node, (const uint8_t *)"", 0, 0);
        if (s.st_size <= SMALL_FILE)
                return scan_small_file(&st, fd, node, (size_t)s.st_size);
        void *map = mmap(NULL, (size_t)s.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED)
                return negative_errno();
        (void)madvise(map, (size_t)s.st_size, MADV_SEQUENTIAL);
        k = scan_data(&st, node, map, (size_t)s.st_size, 0);
        munmap(map, (size_t)s.st_size);
        return k;
}

/* A top-level file is parsed by a confined worker unless the options say otherwise. */
static int scan_open_file(struct analysis_ctx *ctx, int fd, struct analysis_result *node)
{
        int k = ctx->opts.in_process ? scan_open_file_in_process(ctx, fd, node)
                                     : worker_scan_fd(ctx, fd, node);
        ctx->files_scanned++;
        return k;
}

uint64_t analysis_ctx_files_scanned(const struct analysis_ctx *ctx)
{
        return ctx->files_scanned;
}

int analysis_scan_fd(struct analysis_ctx *ctx, int fd, const char *name,
                     struct analysis_result **ret)
{
        _cleanup_(analysis_result_freep) struct analysis_result *node = NULL;
        int k;

        node = analysis_result_new(name ? name : "-");
        if (!node)
                return -ENOMEM;
        k = scan_open_file(ctx, fd, node);
        if (k < 0)
                return k;
        analysis_result_finalize(node);
        *ret = TAKE_PTR(node);
        return 0;
}

/* Reading a file should not change it: keep its access time when we may (we own it, or have
 * CAP_FOWNER), so that quarantine records and restores the times the user had. */
static int open_noatime(int dfd, const char *name, int flags)
{
        int fd = openat(dfd, name, flags | O_NOATIME);

        if (fd < 0 && errno == EPERM)
                fd = openat(dfd, name, flags);
        return fd;
}

static int cmp_names(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

struct dir_walk;
static int scan_dir(struct dir_walk *w, int dfd, struct analysis_result *node, unsigned level);

/* Scans one regular file of a folder from its fd (taken). */
static int scan_dir_file(struct analysis_ctx *ctx, int fd, struct analysis_result *child)
{
        int k = scan_open_file(ctx, fd, child);

        safe_close(fd);
        if (k < 0 && k != -ENOMEM)
                k = analysis_result_set_unscannable(child, "read-error", "the file cannot be read");
        return k;
}

/* A folder not walked may hold anything: unscannable, never clean (as a file that cannot be
 * read), so that exit status 0 still means everything was read. */
static int folder_not_walked(struct analysis_result *child, const char *limit, const char *why)
{
        int k = set_note(child, "directory", "not walked");

        return k < 0 ? k : analysis_result_set_unscannable(child, limit, why);
}

/* One entry of a folder. Returns 1 when it is a regular file left for the caller to scan (so
 * that the files of a folder are scanned by several threads), 0 when done, or a negative
 * errno. */
static int scan_dir_entry(struct dir_walk *w, int dfd, const char *name,
                          struct analysis_result *dir, unsigned level)
{
        _cleanup_free_ char *path = NULL;
        struct analysis_result *child;
        struct stat s;
        int fd;

        if (asprintf(&path, "%s/%s", streq(dir->path, "/") ? "" : dir->path, name) < 0)
                return -ENOMEM;
        child = analysis_result_new(path);
        if (!child || analysis_result_add_child(dir, child) < 0) {
                analysis_result_free(child);
                return -ENOMEM;
        }
        if (fstatat(dfd, name, &s, AT_SYMLINK_NOFOLLOW) < 0)
                return set_note(child, "unknown", "vanished or cannot be examined");
        if (S_ISLNK(s.st_mode))
                return set_note(child, "symlink", "symbolic link: not followed");
        if (S_ISDIR(s.st_mode)) {
                char why[128];
                if (level >= MAX_DIR_LEVELS) {
                        snprintf(why, sizeof(why),
                                 "folders nested deeper than %d levels are "
                                 "not walked",
                                 MAX_DIR_LEVELS);
                        return folder_not_walked(child, "depth", why);
                }
                fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0) {
                        snprintf(why, sizeof(why), "the folder cannot be opened: %s",
                                 strerror(errno));
                        return folder_not_walked(child, "read-error", why);
                }
                return scan_dir(w, fd, child, level + 1);
        }
        if (!S_ISREG(s.st_mode))
                return set_note(child,
                                S_ISFIFO(s.st_mode)   ? "fifo"
                                : S_ISSOCK(s.st_mode) ? "socket"
                                                      : "device",
                                "not a regular file: skipped");
        return 1;
}

/* A folder tree's regular files go to the pool as the walk finds them, and the walk goes on
 * meanwhile: waiting at the end of every folder left all threads but one idle in the many
 * folders of one or two files that a corpus or a download tree holds. The walk opens each file
 * (relative to its folder, never through a link) before it queues it, so that a folder is
 * closed as soon as it is listed and nothing makes the walk wait before the end: a wait every
 * few dozen folders left a thread idle behind the last file of each batch. The fds held are
 * those of the queued and running files, which the pool bounds (pool_submit() runs a task
 * itself past its queue's limit). The nodes are made by the walk, in order, so the report does
 * not depend on which thread scanned what; a file's task reads its node and the directory nodes
 * above it, whose fields are set before it is queued. */
struct file_task {
        struct analysis_ctx *ctx;
        int fd;
        struct analysis_result *node;
};

struct dir_walk {
        struct analysis_ctx *ctx;
        struct pool *pool;
        struct pool_group group;
};

static int file_task_run(void *arg)
{
        struct file_task *t = arg;
        int k = scan_dir_file(t->ctx, t->fd, t->node);

        free(t);
        return k;
}

/* Opens the file name of the folder dfd and queues its scan into node. */
static int walk_queue_file(struct dir_walk *w, int dfd, const char *name,
                           struct analysis_result *node)
{
        struct file_task *t;
        int fd = open_noatime(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

        if (fd < 0)
                return analysis_result_set_unscannable(node, "read-error",
                                                       "the file cannot be opened");
        t = malloc(sizeof(*t));
        if (!t)
                return scan_dir_file(w->ctx, fd, node);
        *t = (struct file_task){.ctx = w->ctx, .fd = fd, .node = node};
        pool_submit(w->pool, &w->group, file_task_run, t);
        return 0;
}

/* Takes ownership of dfd. Folders, links and special files are taken in order, subfolders
 * walked where they stand; the regular files are queued (walk_queue_file()). */
static int scan_dir(struct dir_walk *w, int dfd, struct analysis_result *node, unsigned level)
{
        DIR *d = fdopendir(dfd);
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        int k = 0;

        if (!d) {
                safe_close(dfd);
                return negative_errno();
        }
        k = set_string(&node->type, "directory");
        if (k >= 0)
                k = set_string(&node->mime, "inode/directory");
        while (k >= 0 && (de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (n + 2 > cap) {
                        size_t want = cap ? cap * 2 : 64;
                        char **grown = reallocarray(names, want, sizeof(char *));
                        if (!grown) {
                                k = -ENOMEM;
                                break;
                        }
                        names = grown;
                        cap = want;
                }
                names[n] = strdup(de->d_name);
                if (!names[n]) {
                        k = -ENOMEM;
                        break;
                }
                names[++n] = NULL;
        }
        if (k >= 0 && n > 0)
                qsort(names, n, sizeof(char *), cmp_names);
        for (size_t i = 0; k >= 0 && i < n; i++) {
                k = scan_dir_entry(w, dirfd(d), names[i], node, level);
                if (k == 1)
                        k = walk_queue_file(w, dirfd(d), names[i],
                                            node->children[node->n_children - 1]);
        }
        closedir(d);
        strv_free(names);
        return k;
}

/* Walks the folder dfd (taken) into node and scans its files. */
static int scan_tree(struct analysis_ctx *ctx, int dfd, struct analysis_result *node)
{
        _cleanup_free_ struct dir_walk *w = calloc(1, sizeof(*w));
        int k, r;

        if (!w) {
                safe_close(dfd);
                return -ENOMEM;
        }
        w->ctx = ctx;
        w->pool = ctx_pool(ctx);
        k = scan_dir(w, dfd, node, 0);
        r = pool_wait(w->pool, &w->group);
        return k < 0 ? k : r;
}

int analysis_scan_path(struct analysis_ctx *ctx, const char *path, struct analysis_result **ret)
{
        _cleanup_(analysis_result_freep) struct analysis_result *node = NULL;
        struct stat s;
        int fd, k;

        node = analysis_result_new(path);
        if (!node)
                return -ENOMEM;
        if (streq(path, "-")) {
                free(node->name);
                node->name = strdup("(stdin)");
                if (!node->name)
                        return -ENOMEM;
                k = scan_open_file(ctx, STDIN_FILENO, node);
        } else {
                fd = open_noatime(AT_FDCWD, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
                if (fd < 0)
                        return negative_errno();
                if (fstat(fd, &s) < 0) {
                        k = negative_errno();
                        safe_close(fd);
                        return k;
                }
                if (S_ISDIR(s.st_mode))
                        k = scan_tree(ctx, fd, node);
                else {
                        k = scan_open_file(ctx, fd, node);
                        safe_close(fd);
                }
        }
        if (k < 0)
                return k;
        analysis_result_finalize(node);
        *ret = TAKE_PTR(node);
        return 0;
}
