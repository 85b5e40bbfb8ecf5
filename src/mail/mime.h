/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The MIME walk: one RFC 5322 message parsed with GMime, every part visited (nested
 * message/rfc822, every multipart kind, inline and attachment parts, uuencoded blocks in
 * text), each leaf handed to the triage engine, and structure that two MIME parsers could
 * read differently (duplicate or missing boundaries, unterminated multiparts, conflicting
 * encodings, broken base64, message/partial) recorded as an `unscannable` finding, never
 * passed as clean.
 *
 * The result is two parallel trees: struct mail_part (what the MIME structure is, used for
 * reports and for stripping parts) and struct analysis_result (what the engine judged, and
 * the verdict). Each mail_part points at its node in the result tree. */

#include <gmime/gmime.h>
#include <stdbool.h>
#include <stdint.h>

#include "analysis/analysis.h"

struct detonate_options;
struct mail_part;

struct mail_limits {
        unsigned max_depth;     /* MIME nesting (multipart and message/rfc822), default 32 */
        uint64_t max_parts;     /* parts in one message, default 10,000 */
        uint64_t max_decoded;   /* decoded bytes of all parts of one message, default 256 MiB */
        unsigned timeout_ms;    /* wall time for one message, default 120,000; 0: none */
        unsigned max_uu_blocks; /* uuencoded blocks looked at in one text part, default 16 */
        /* Not NULL: attachments that are programs or scripts and look clean are also run in
         * airlock run --trace (analysis/detonate.h). Default NULL. */
        const struct detonate_options *detonate;
        /* Not NULL (in a confined worker, which cannot run anything): called instead with the
         * decoded content of each part detonation would run, for the supervisor to run it
         * (src/mail/message-job.c). A negative return stops the walk. Default NULL. */
        int (*keep_detonatable)(void *userdata, const struct mail_part *p, const void *data,
                                size_t size);
        void *keep_userdata;
};

/* Fills l with the defaults above. */
void mail_limits_init(struct mail_limits *l);

/* Runs a part's decoded content (size bytes at data) in the traced sandbox when
 * detonate_may_run() allows it; its findings join r, a failure to run it is a note on r. */
void mail_detonate_part(struct analysis_result *r, const void *data, size_t size,
                        const struct detonate_options *o);

enum mail_part_kind {
        MAIL_PART_LEAF,      /* a GMimePart: text, attachment, anything with content */
        MAIL_PART_MULTIPART, /* a GMimeMultipart of any subtype */
        MAIL_PART_MESSAGE,   /* message/rfc822 and friends: an embedded message */
        MAIL_PART_UUENCODED, /* a uuencoded block found inside a text leaf */
};

struct mail_part {
        char *mime_path; /* "1", "1.2", "1.2.1": position in the tree, like IMAP section numbers */
        enum mail_part_kind kind;
        char *content_type; /* "text/html", lowercase */
        char *disposition;  /* "inline", "attachment" or NULL */
        char *filename;     /* decoded (RFC 2231, RFC 2047), or NULL */
        char *encoding;     /* Content-Transfer-Encoding as given, or NULL */
        char *charset;      /* or NULL */
        uint64_t size;      /* decoded size of a leaf */
        bool attachment;    /* Content-Disposition attachment, or a file name without it */

        struct analysis_result *result; /* borrowed from the message's result tree */
        GMimeObject *object;            /* borrowed from the message; NULL for uuencoded */
        GMimeObject *container;         /* the multipart or message part holding it, or NULL */
        GMimeMessage *owner_message;    /* the (embedded) message whose body it is, if root */
        int index;                      /* its index in container when that is a multipart */
        size_t result_index;            /* its index among its parent result's children */
        bool stripped;                  /* replaced by a notice */

        struct mail_part *parent;
        struct mail_part **children;
        size_t n_children;
};

/* Frees p and every part below it (none of them owns its result or object). */
void mail_part_free(struct mail_part *p);

struct mail_message {
        GMimeMessage *message;          /* NULL when the input was not a message */
        struct analysis_result *result; /* owned: the message node, verdict final */
        struct mail_part *root;         /* owned: the top-level body part, may be NULL */
        char *name;                     /* what the caller called it */
        char *subject, *from, *message_id;
        uint64_t size; /* input bytes */
        uint64_t n_parts;
        uint64_t scan_usec;
        GPtrArray *replaced; /* objects taken out by mail_message_strip(), kept alive */
        /* A message walked in a confined worker (message is NULL then): the parts the worker
         * stripped as mail_scan_options asked, and the body it rendered. */
        int n_stripped;
        char *stripped_body;
        size_t stripped_size;
        char *stripped_content_type, *stripped_encoding;
};

/* What the caller of mail_message_scan_ex() wants besides the verdict. */
struct mail_scan_options {
        /* Bit 1 << verdict: when the message's verdict is one of strip_when, the parts whose
         * verdict is one of strip_parts are stripped in the worker (mail_message_strip()), which
         * renders the new body; mail_message_strip() and mail_message_render_body() then give
         * what it did. 0: no stripping. */
        uint32_t strip_when, strip_parts;
        /* How to wait for the worker (progress calls, and its deadline: when 0, the limits'
         * timeout_ms plus a second). NULL: no progress calls. */
        const struct analysis_job_wait *wait;
        /* A worker killed at the deadline makes mail_message_scan_ex() return -ETIMEDOUT
         * (the milter's on-error) instead of an unscannable message. */
        bool deadline_is_error;
};

/* Parses and walks one message held in memory (data is not kept). ctx may be NULL: the walk
 * then only judges structure (for the fuzzer and tests). name labels the report. Returns 0
 * and a message whose result verdict is final (structural problems and limits make it
 * unscannable, they are not errors), or -ENOMEM. */
int mail_message_scan(struct analysis_ctx *ctx, const struct mail_limits *limits, const char *name,
                      const void *data, size_t size, struct mail_message **ret);

/* As mail_message_scan(), with o (may be NULL). With a ctx whose files are parsed in
 * confined workers (the default, docs/worker.md), the whole message, GMime included, is parsed
 * in one: the message comes back as its report (message is NULL), and a worker that crashed or
 * was killed at the deadline leaves it unscannable with worker.crashed or limit.time. In
 * process (AIRLOCK_IN_PROCESS=1, clamd, detonation, ctx NULL) the walk runs here. */
int mail_message_scan_ex(struct analysis_ctx *ctx, const struct mail_limits *limits,
                         const char *name, const void *data, size_t size,
                         const struct mail_scan_options *o, struct mail_message **ret);

/* Before the workers that walk messages are forked (their confinement forbids open): GMime
 * initialised and the converters of the common character sets loaded (about 7 ms, once),
 * so that a header in Latin-1 or Shift_JIS decodes in a worker as it does in process. */
void mail_prepare_confined(void);

/* message-job.c: the worker's half of mail_message_scan_ex(). Returns as it does, or
 * -EOPNOTSUPP when the walk must run in this process. */
int mail_message_scan_confined(struct analysis_ctx *ctx, const struct mail_limits *limits,
                               const char *name, const void *data, size_t size,
                               const struct mail_scan_options *o, struct mail_message **ret);

/* The engine's message walker (analysis_ctx_set_message_walker()): walks the message (or, for
 * an mbox, each message) in data and puts its MIME parts below node, each part scanned by the
 * engine within the limits of the file node is part of. Returns 0 or -ENOMEM. */
int mail_walk_message(struct analysis_ctx *ctx, struct analysis_result *node, const void *data,
                      size_t size);

struct mail_message *mail_message_free(struct mail_message *m);
static inline void mail_message_freep(struct mail_message **p)
{
        if (*p)
                mail_message_free(*p);
}

/* The report node of a message: analysis_result_to_json() of its result tree with a "mime"
 * object (path, content type, disposition, file name, encoding, charset) added to each node
 * that is a MIME part, and "subject", "from", "message_id" on the message node. Returns a
 * new reference or NULL on ENOMEM. */
struct json_object *mail_message_to_json(const struct mail_message *m);

/* Calls fn on every part, parents before children. Stops and returns fn's value when it is
 * not 0; returns 0 otherwise. */
int mail_message_foreach_part(const struct mail_message *m,
                              int (*fn)(struct mail_part *p, void *userdata), void *userdata);

/* Replaces every leaf part for which should_strip() says true with a text/plain notice that
 * names the part and why, keeping everything else. Uuencoded blocks take their text part
 * with them. Returns the number of parts replaced (0: nothing changed), or a negative errno.
 * A message walked in a worker was stripped there (mail_scan_options): returns that count. */
int mail_message_strip(struct mail_message *m,
                       bool (*should_strip)(const struct mail_part *p, void *userdata),
                       void *userdata);

/* Writes the message body (without the top-level headers) as it now is, with CRLF line ends,
 * into a new buffer; *ret_content_type and *ret_encoding get the values the top-level
 * Content-Type and Content-Transfer-Encoding headers must have (NULL when not set). Returns 0
 * or a negative errno. */
int mail_message_render_body(struct mail_message *m, char **ret_body, size_t *ret_size,
                             char **ret_content_type, char **ret_encoding);

/* Decodes the first uuencoded block ("begin MODE NAME" ... "end") at or after *pos in text.
 * Returns 1 and sets *ret_data, *ret_size, *ret_name (all malloc'd) and moves *pos past the
 * block; 0 when there is none; -EBADMSG for a block without "end" (*pos moves past its begin);
 * -ENOMEM. */
int mail_uudecode_next(const char *text, size_t size, size_t *pos, unsigned char **ret_data,
                       size_t *ret_size, char **ret_name);
