/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "basic/log.h"
#include "mail/milter-proto.h"

static uint32_t get_be32(const void *p)
{
        const unsigned char *b = p;

        return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put_be32(void *p, uint32_t v)
{
        unsigned char *b = p;

        b[0] = v >> 24;
        b[1] = v >> 16;
        b[2] = v >> 8;
        b[3] = v;
}

int milter_frame_next(const void *buf, size_t n, size_t max, struct milter_cmd *cmd,
                      size_t *consumed)
{
        const char *b = buf;
        uint32_t len;

        if (n < 4)
                return 0;
        len = get_be32(b);
        if (len == 0 || len > max)
                return -EBADMSG;
        if (n - 4 < len)
                return 0;
        cmd->code = b[4];
        cmd->data = b + 5;
        cmd->size = len - 1;
        *consumed = 4 + (size_t)len;
        return 1;
}

int milter_parse_optneg(const struct milter_cmd *c, struct milter_optneg *o)
{
        /* Version 6 sends exactly three words; anything shorter is broken. Longer is
         * tolerated by other implementations, but Postfix never sends it: refuse. */
        if (c->code != MILTER_CMD_OPTNEG || c->size != 12)
                return -EBADMSG;
        o->version = get_be32(c->data);
        o->actions = get_be32(c->data + 4);
        o->protocol = get_be32(c->data + 8);
        if (o->version < 2)
                return -EBADMSG;
        return 0;
}

int milter_parse_strings(const char *data, size_t size, size_t min, const char **argv, size_t max,
                         size_t *n)
{
        size_t k = 0, off = 0;

        while (off < size) {
                const char *end = memchr(data + off, '\0', size - off);

                if (!end || k >= max)
                        return -EBADMSG;
                argv[k++] = data + off;
                off = (size_t)(end - data) + 1;
        }
        if (k < min)
                return -EBADMSG;
        *n = k;
        return 0;
}

int milter_parse_macro(const struct milter_cmd *c, char *stage, const char **pairs, size_t max,
                       size_t *n)
{
        int r;

        if (c->code != MILTER_CMD_MACRO || c->size < 1)
                return -EBADMSG;
        *stage = c->data[0];
        r = milter_parse_strings(c->data + 1, c->size - 1, 0, pairs, max, n);
        if (r < 0)
                return r;
        if (*n % 2)
                return -EBADMSG;
        return 0;
}

int milter_parse_connect(const struct milter_cmd *c, struct milter_connect *conn)
{
        const char *end;
        size_t off;

        if (c->code != MILTER_CMD_CONNECT || c->size < 2)
                return -EBADMSG;
        end = memchr(c->data, '\0', c->size);
        if (!end)
                return -EBADMSG;
        conn->host = c->data;
        off = (size_t)(end - c->data) + 1;
        if (off >= c->size)
                return -EBADMSG;
        conn->family = c->data[off++];
        conn->port = 0;
        conn->addr = NULL;
        switch (conn->family) {
        case 'U':
                return off == c->size ? 0 : -EBADMSG;
        case 'L':
        case '4':
        case '6':
                break;
        default:
                return -EBADMSG;
        }
        if (c->size - off < 3)
                return -EBADMSG;
        conn->port = (uint16_t)((unsigned char)c->data[off] << 8 | (unsigned char)c->data[off + 1]);
        off += 2;
        end = memchr(c->data + off, '\0', c->size - off);
        if (!end || (size_t)(end - c->data) + 1 != c->size)
                return -EBADMSG;
        conn->addr = c->data + off;
        return 0;
}

int milter_parse_header(const struct milter_cmd *c, const char **name, const char **value)
{
        const char *argv[2];
        size_t n;

        if (c->code != MILTER_CMD_HEADER ||
            milter_parse_strings(c->data, c->size, 2, argv, 2, &n) < 0 || argv[0][0] == '\0')
                return -EBADMSG;
        *name = argv[0];
        *value = argv[1];
        return 0;
}

int milter_cmd_check(const struct milter_cmd *c)
{
        const char *argv[MILTER_MAX_ARGS];
        struct milter_optneg neg;
        struct milter_connect conn;
        const char *name, *value;
        size_t n;
        char stage;

        switch (c->code) {
        case MILTER_CMD_OPTNEG:
                return milter_parse_optneg(c, &neg);
        case MILTER_CMD_MACRO:
                return milter_parse_macro(c, &stage, argv, MILTER_MAX_ARGS, &n);
        case MILTER_CMD_CONNECT:
                return milter_parse_connect(c, &conn);
        case MILTER_CMD_HEADER:
                return milter_parse_header(c, &name, &value);
        case MILTER_CMD_HELO:
        case MILTER_CMD_MAIL:
        case MILTER_CMD_RCPT:
        case MILTER_CMD_UNKNOWN:
                return milter_parse_strings(c->data, c->size, 1, argv, MILTER_MAX_ARGS, &n);
        case MILTER_CMD_DATA:
        case MILTER_CMD_EOH:
        case MILTER_CMD_ABORT:
        case MILTER_CMD_QUIT:
        case MILTER_CMD_QUIT_NC:
                return c->size == 0 ? 0 : -EBADMSG;
        default: /* BODY and BODYEOB carry raw bytes; unknown codes are the caller's call */
                return 0;
        }
}

static int out_reserve(struct milter_out *o, size_t more)
{
        size_t cap;
        char *b;

        if (o->cap - o->size >= more)
                return 0;
        cap = o->cap ? o->cap : 256;
        while (cap - o->size < more) {
                if (cap > SIZE_MAX / 2)
                        return -ENOMEM;
                cap *= 2;
        }
        b = realloc(o->buf, cap);
        if (!b)
                return -ENOMEM;
        o->buf = b;
        o->cap = cap;
        return 0;
}

/* Starts a frame of known data size and returns where its data goes. */
static char *out_frame(struct milter_out *o, char code, size_t size)
{
        char *p;

        if (size >= MILTER_MAX_FRAME || out_reserve(o, 5 + size) < 0)
                return NULL;
        p = o->buf + o->size;
        put_be32(p, (uint32_t)size + 1);
        p[4] = code;
        o->size += 5 + size;
        return p + 5;
}

int milter_put(struct milter_out *o, char code, const void *data, size_t size)
{
        char *p;

        if (size >= MILTER_MAX_FRAME)
                return -EINVAL;
        p = out_frame(o, code, size);
        if (!p)
                return -ENOMEM;
        if (size)
                memcpy(p, data, size);
        return 0;
}

int milter_put_optneg(struct milter_out *o, const struct milter_optneg *neg)
{
        char *p = out_frame(o, MILTER_REPLY_OPTNEG, 12);

        if (!p)
                return -ENOMEM;
        put_be32(p, neg->version);
        put_be32(p + 4, neg->actions);
        put_be32(p + 8, neg->protocol);
        return 0;
}

static bool is_code(const char *s, char first)
{
        return strlen(s) == 3 && s[0] == first && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' &&
               s[2] <= '9';
}

int milter_put_replycode(struct milter_out *o, const char *code, const char *xcode,
                         const char *text)
{
        size_t len, k = 0;
        char *p;

        if (!(is_code(code, '4') || is_code(code, '5')) || strlen(xcode) > 16 ||
            xcode[0] != code[0] || strpbrk(xcode, " \r\n%") || strpbrk(text, "\r\n"))
                return -EINVAL;
        len = strlen(code) + 1 + strlen(xcode) + 1 + strlen(text);
        for (const char *t = text; *t; t++)
                len += *t == '%'; /* the MTA formats the text: a lone % would be a directive */
        if (len + 1 >= MILTER_MAX_FRAME)
                return -EINVAL;
        p = out_frame(o, MILTER_REPLY_REPLYCODE, len + 1);
        if (!p)
                return -ENOMEM;
        k += (size_t)sprintf(p, "%s %s ", code, xcode);
        for (const char *t = text; *t; t++) {
                p[k++] = *t;
                if (*t == '%')
                        p[k++] = '%';
        }
        p[k] = '\0';
        return 0;
}

int milter_put_header(struct milter_out *o, char code, uint32_t index, const char *name,
                      const char *value)
{
        size_t nl = strlen(name), vl = value ? strlen(value) : 0, head;
        char *p;

        if (code != MILTER_REPLY_ADDHEADER && code != MILTER_REPLY_CHGHEADER)
                return -EINVAL;
        if (nl == 0 || strpbrk(name, ": \t\r\n"))
                return -EINVAL;
        head = code == MILTER_REPLY_CHGHEADER ? 4 : 0;
        if (nl + vl + 2 + head >= MILTER_MAX_FRAME)
                return -EINVAL;
        p = out_frame(o, code, head + nl + 1 + vl + 1);
        if (!p)
                return -ENOMEM;
        if (head)
                put_be32(p, index);
        memcpy(p + head, name, nl + 1);
        memcpy(p + head + nl + 1, value ? value : "", vl + 1);
        return 0;
}

int milter_put_string(struct milter_out *o, char code, const char *s)
{
        return milter_put(o, code, s, strlen(s) + 1);
}

void milter_out_done(struct milter_out *o)
{
        free(o->buf);
        *o = (struct milter_out){0};
}

const char *milter_cmd_name(char code)
{
        switch (code) {
        case MILTER_CMD_ABORT:
                return "ABORT";
        case MILTER_CMD_BODY:
                return "BODY";
        case MILTER_CMD_CONNECT:
                return "CONNECT";
        case MILTER_CMD_MACRO:
                return "MACRO";
        case MILTER_CMD_BODYEOB:
                return "BODYEOB";
        case MILTER_CMD_HELO:
                return "HELO";
        case MILTER_CMD_QUIT_NC:
                return "QUIT_NC";
        case MILTER_CMD_HEADER:
                return "HEADER";
        case MILTER_CMD_MAIL:
                return "MAIL";
        case MILTER_CMD_EOH:
                return "EOH";
        case MILTER_CMD_OPTNEG:
                return "OPTNEG";
        case MILTER_CMD_QUIT:
                return "QUIT";
        case MILTER_CMD_RCPT:
                return "RCPT";
        case MILTER_CMD_DATA:
                return "DATA";
        case MILTER_CMD_UNKNOWN:
                return "UNKNOWN";
        default:
                return "unknown command";
        }
}

/* ---- the server ---- */

/* Postfix sends macros for up to 8 stages; each stage byte has one slot, so a peer can make
 * us keep at most this many. */
#define MACRO_STAGES 16

struct milter_server {
        int fd;
        char *unix_path;
        volatile bool stopping;
        int wake[2]; /* a pipe: stop() writes, run() polls */
        pthread_mutex_t lock;
        pthread_cond_t idle; /* signalled when active or threads drops to 0 */
        unsigned active;     /* connections being served */
        unsigned waiting;    /* threads waiting for a connection */
        unsigned threads;    /* threads alive */
        const struct milter_callbacks *cb;
        unsigned timeout_sec;
};

struct milter_ctx {
        struct milter_server *server;
        int fd;
        char peer[INET6_ADDRSTRLEN + 16];
        void *priv;
        struct milter_out out;
        char *reply; /* a REPLYCODE frame for the next reject/tempfail */
        size_t reply_size;
        int pending; /* a quiet step's non-CONTINUE answer */
        bool in_message, in_eom, tcp;
        uint32_t protocol; /* negotiated */
        struct {
                char stage;
                char *data; /* the MACRO command's pairs, copied */
                size_t n;
                const char *pairs[MILTER_MAX_ARGS];
        } macros[MACRO_STAGES];
};

void *milter_getpriv(struct milter_ctx *m)
{
        return m->priv;
}

void milter_setpriv(struct milter_ctx *m, void *priv)
{
        m->priv = priv;
}

const char *milter_peer(struct milter_ctx *m)
{
        return m->peer;
}

static bool macro_name_eq(const char *a, const char *b)
{
        size_t la, lb;

        if (*a == '{')
                a++;
        if (*b == '{')
                b++;
        la = strcspn(a, "}");
        lb = strcspn(b, "}");
        return la == lb && memcmp(a, b, la) == 0;
}

const char *milter_getsymval(struct milter_ctx *m, const char *name)
{
        for (size_t s = 0; s < MACRO_STAGES; s++)
                for (size_t k = 0; m->macros[s].data && k < m->macros[s].n; k += 2)
                        if (macro_name_eq(m->macros[s].pairs[k], name))
                                return m->macros[s].pairs[k + 1];
        return NULL;
}

static int ctx_flush(struct milter_ctx *m)
{
        size_t off = 0;

        while (off < m->out.size) {
                ssize_t k = send(m->fd, m->out.buf + off, m->out.size - off, MSG_NOSIGNAL);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0) {
                        m->out.size = 0;
                        return -errno ?: -EIO;
                }
                off += (size_t)k;
        }
        m->out.size = 0;
        return 0;
}

int milter_progress(struct milter_ctx *m)
{
        int r = milter_put(&m->out, MILTER_REPLY_PROGRESS, NULL, 0);

        return r < 0 ? r : ctx_flush(m);
}

int milter_addheader(struct milter_ctx *m, const char *name, const char *value)
{
        if (!m->in_eom || !(m->server->cb->actions & MILTER_ACT_ADDHDRS))
                return -EPERM;
        return milter_put_header(&m->out, MILTER_REPLY_ADDHEADER, 0, name, value);
}

int milter_chgheader(struct milter_ctx *m, const char *name, uint32_t index, const char *value)
{
        if (!m->in_eom || !(m->server->cb->actions & MILTER_ACT_CHGHDRS))
                return -EPERM;
        return milter_put_header(&m->out, MILTER_REPLY_CHGHEADER, index, name, value);
}

int milter_replacebody(struct milter_ctx *m, const void *data, size_t size)
{
        if (!m->in_eom || !(m->server->cb->actions & MILTER_ACT_CHGBODY))
                return -EPERM;
        /* Flushed as it goes: a whole replaced body need not sit in the buffer twice. */
        for (size_t off = 0; off < size || (size == 0 && off == 0); off += 65535) {
                size_t n = size - off < 65535 ? size - off : 65535;
                int r = milter_put(&m->out, MILTER_REPLY_REPLBODY, (const char *)data + off, n);

                if (r < 0 || (r = ctx_flush(m)) < 0)
                        return r;
                if (size == 0)
                        break; /* one empty chunk: the body becomes empty */
        }
        return 0;
}

int milter_quarantine(struct milter_ctx *m, const char *reason)
{
        if (!m->in_eom || !(m->server->cb->actions & MILTER_ACT_QUARANTINE))
                return -EPERM;
        if (strpbrk(reason, "\r\n"))
                return -EINVAL;
        return milter_put_string(&m->out, MILTER_REPLY_QUARANTINE, reason);
}

int milter_setreply(struct milter_ctx *m, const char *code, const char *xcode, const char *text)
{
        struct milter_out o = {0};
        int r = milter_put_replycode(&o, code, xcode, text);

        if (r < 0)
                return r;
        free(m->reply);
        m->reply = o.buf; /* kept as a whole frame, sent as is */
        m->reply_size = o.size;
        return 0;
}

static void message_done(struct milter_ctx *m)
{
        free(m->reply);
        m->reply = NULL;
        m->pending = MILTER_S_CONTINUE;
        m->in_message = false;
        /* The message's macros go; the connection's (CONNECT, HELO) stay. */
        for (size_t s = 0; s < MACRO_STAGES; s++)
                if (m->macros[s].data && m->macros[s].stage != MILTER_CMD_CONNECT &&
                    m->macros[s].stage != MILTER_CMD_HELO) {
                        free(m->macros[s].data);
                        m->macros[s].data = NULL;
                }
}

/* Sends a step's answer (after any modifications queued). */
static int answer(struct milter_ctx *m, int status)
{
        static const char codes[] = {
                [MILTER_S_CONTINUE] = MILTER_REPLY_CONTINUE,
                [MILTER_S_ACCEPT] = MILTER_REPLY_ACCEPT,
                [MILTER_S_REJECT] = MILTER_REPLY_REJECT,
                [MILTER_S_TEMPFAIL] = MILTER_REPLY_TEMPFAIL,
                [MILTER_S_DISCARD] = MILTER_REPLY_DISCARD,
        };
        int r;

        if (status < 0 || status > MILTER_S_DISCARD)
                status = MILTER_S_TEMPFAIL;
        if ((status == MILTER_S_REJECT || status == MILTER_S_TEMPFAIL) && m->reply &&
            m->reply[5] == (status == MILTER_S_REJECT ? '5' : '4')) {
                if (out_reserve(&m->out, m->reply_size) < 0)
                        return -ENOMEM;
                memcpy(m->out.buf + m->out.size, m->reply, m->reply_size);
                m->out.size += m->reply_size;
        } else if ((r = milter_put(&m->out, codes[status], NULL, 0)) < 0)
                return r;
        if (status != MILTER_S_CONTINUE)
                message_done(m);
        return ctx_flush(m);
}

/* A step the MTA may or may not wait for: quiet when it was negotiated as NR. */
static int step(struct milter_ctx *m, int status, uint32_t nr_flag)
{
        if (nr_flag && (m->protocol & nr_flag)) {
                if (m->pending == MILTER_S_CONTINUE)
                        m->pending = status;
                return 0;
        }
        /* An MTA that waits for this step hears what was decided before it. */
        return answer(m, m->pending != MILTER_S_CONTINUE ? m->pending : status);
}

static int negotiate(struct milter_ctx *m, const struct milter_cmd *c)
{
        const struct milter_callbacks *cb = m->server->cb;
        struct milter_optneg mta, ours;
        uint32_t want = MILTER_P_NOHELO | MILTER_P_NODATA | MILTER_P_NOUNKNOWN;

        if (milter_parse_optneg(c, &mta) < 0)
                return -EBADMSG;
        if (mta.version < MILTER_VERSION)
                return -EPROTO;
        if ((mta.actions & cb->actions) != cb->actions)
                return -EPROTO;
        if (!cb->connect)
                want |= MILTER_P_NOCONNECT;
        if (!cb->envfrom)
                want |= MILTER_P_NOMAIL;
        if (!cb->envrcpt)
                want |= MILTER_P_NORCPT;
        if (!cb->header)
                want |= MILTER_P_NOHDRS;
        if (!cb->eoh)
                want |= MILTER_P_NOEOH;
        if (!cb->body)
                want |= MILTER_P_NOBODY;
        /* No step before the end of the message needs an answer of its own: a failure there
         * is given at the end of the message. */
        want |= MILTER_P_NR_CONN | MILTER_P_NR_HELO | MILTER_P_NR_MAIL | MILTER_P_NR_RCPT |
                MILTER_P_NR_DATA | MILTER_P_NR_UNKN | MILTER_P_NR_EOH | MILTER_P_NR_BODY |
                MILTER_P_NR_HDR;
        m->protocol = want & mta.protocol;
        ours = (struct milter_optneg){MILTER_VERSION, cb->actions, m->protocol};
        if (milter_put_optneg(&m->out, &ours) < 0)
                return -ENOMEM;
        return ctx_flush(m);
}

static int keep_macros(struct milter_ctx *m, const struct milter_cmd *c)
{
        const char *pairs[MILTER_MAX_ARGS];
        size_t n, slot = MACRO_STAGES, k;
        char stage, *copy;

        if (milter_parse_macro(c, &stage, pairs, MILTER_MAX_ARGS, &n) < 0)
                return -EBADMSG;
        for (k = 0; k < MACRO_STAGES; k++)
                if (m->macros[k].data && m->macros[k].stage == stage)
                        slot = k;
        if (slot == MACRO_STAGES)
                for (k = 0; k < MACRO_STAGES && slot == MACRO_STAGES; k++)
                        if (!m->macros[k].data)
                                slot = k;
        if (slot == MACRO_STAGES)
                return -EBADMSG;
        copy = malloc(c->size);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, c->data, c->size);
        free(m->macros[slot].data);
        m->macros[slot].data = copy;
        m->macros[slot].stage = stage;
        m->macros[slot].n = n;
        for (k = 0; k < n; k++)
                m->macros[slot].pairs[k] = copy + (pairs[k] - c->data);
        return 0;
}

/* One command. Returns 0 to go on, 1 to close, or a negative errno (the connection is
 * dropped and the cause logged). */
static int dispatch(struct milter_ctx *m, const struct milter_cmd *c)
{
        const struct milter_callbacks *cb = m->server->cb;
        const char *argv[MILTER_MAX_ARGS], *name, *value;
        struct milter_connect conn;
        size_t n;
        int r;

        if (milter_cmd_check(c) < 0)
                return -EBADMSG;
        switch (c->code) {
        case MILTER_CMD_OPTNEG:
                return negotiate(m, c);
        case MILTER_CMD_MACRO:
                return keep_macros(m, c);
        case MILTER_CMD_CONNECT:
                if (milter_parse_connect(c, &conn) < 0)
                        return -EBADMSG;
                return step(m, cb->connect ? cb->connect(m, conn.host) : MILTER_S_CONTINUE,
                            MILTER_P_NR_CONN);
        case MILTER_CMD_HELO:
                return step(m, MILTER_S_CONTINUE, MILTER_P_NR_HELO);
        case MILTER_CMD_MAIL:
                m->in_message = true;
                if (milter_parse_strings(c->data, c->size, 1, argv, MILTER_MAX_ARGS, &n) < 0)
                        return -EBADMSG;
                return step(m, cb->envfrom ? cb->envfrom(m, argv, n) : MILTER_S_CONTINUE,
                            MILTER_P_NR_MAIL);
        case MILTER_CMD_RCPT:
                if (milter_parse_strings(c->data, c->size, 1, argv, MILTER_MAX_ARGS, &n) < 0)
                        return -EBADMSG;
                if (m->pending != MILTER_S_CONTINUE)
                        return step(m, MILTER_S_CONTINUE, MILTER_P_NR_RCPT);
                return step(m, cb->envrcpt ? cb->envrcpt(m, argv, n) : MILTER_S_CONTINUE,
                            MILTER_P_NR_RCPT);
        case MILTER_CMD_DATA:
                return step(m, MILTER_S_CONTINUE, MILTER_P_NR_DATA);
        case MILTER_CMD_UNKNOWN:
                return step(m, MILTER_S_CONTINUE, MILTER_P_NR_UNKN);
        case MILTER_CMD_HEADER:
                if (milter_parse_header(c, &name, &value) < 0)
                        return -EBADMSG;
                if (m->pending != MILTER_S_CONTINUE)
                        return step(m, MILTER_S_CONTINUE, MILTER_P_NR_HDR);
                return step(m, cb->header ? cb->header(m, name, value) : MILTER_S_CONTINUE,
                            MILTER_P_NR_HDR);
        case MILTER_CMD_EOH:
                if (m->pending != MILTER_S_CONTINUE)
                        return step(m, MILTER_S_CONTINUE, MILTER_P_NR_EOH);
                return step(m, cb->eoh ? cb->eoh(m) : MILTER_S_CONTINUE, MILTER_P_NR_EOH);
        case MILTER_CMD_BODY:
        case MILTER_CMD_BODYEOB:
                if (m->pending == MILTER_S_CONTINUE && c->size > 0 && cb->body) {
                        r = cb->body(m, (const unsigned char *)c->data, c->size);
                        if (c->code == MILTER_CMD_BODY)
                                return step(m, r, MILTER_P_NR_BODY);
                        if (r != MILTER_S_CONTINUE)
                                m->pending = r;
                } else if (c->code == MILTER_CMD_BODY)
                        return step(m, MILTER_S_CONTINUE, MILTER_P_NR_BODY);
                if (m->pending != MILTER_S_CONTINUE)
                        return answer(m, m->pending);
                m->in_eom = true;
                r = cb->eom ? cb->eom(m) : MILTER_S_ACCEPT;
                m->in_eom = false;
                /* The end of the message always ends it: continue means accept. */
                return answer(m, r == MILTER_S_CONTINUE ? MILTER_S_ACCEPT : r);
        case MILTER_CMD_ABORT:
                if (cb->abort)
                        cb->abort(m);
                m->out.size = 0;
                message_done(m);
                return 0; /* no reply */
        case MILTER_CMD_QUIT:
                return 1;
        case MILTER_CMD_QUIT_NC:
                /* A new connection follows on this socket: start over. */
                if (cb->close)
                        cb->close(m);
                m->priv = NULL;
                message_done(m);
                for (size_t k = 0; k < MACRO_STAGES; k++) {
                        free(m->macros[k].data);
                        m->macros[k].data = NULL;
                }
                return 0;
        default:
                return -EOPNOTSUPP;
        }
}

static void ctx_free(struct milter_ctx *m)
{
        if (m->server->cb->close)
                m->server->cb->close(m);
        message_done(m);
        for (size_t s = 0; s < MACRO_STAGES; s++)
                free(m->macros[s].data);
        milter_out_done(&m->out);
        close(m->fd);
        free(m);
}

/* Reads and answers commands until the MTA quits, the connection breaks or stays silent
 * too long, or the server stops between messages. */
/* Serves one connection until it ends; frees m. */
static void conn_run(struct milter_ctx *m)
{
        struct milter_server *s = m->server;
        size_t cap = 65536 + 16, have = 0, used;
        char *buf = malloc(cap);
        unsigned silent_ms = 0;
        const char *cause = NULL;
        int r = 0;

        if (!buf) {
                log_error("milter: %s: out of memory", m->peer);
                goto done;
        }
        for (;;) {
                struct milter_cmd c;
                struct pollfd p = {.fd = m->fd, .events = POLLIN};
                ssize_t k;

                /* Every whole command in the buffer first. */
                r = milter_frame_next(buf, have, MILTER_MAX_FRAME, &c, &used);
                if (r < 0) {
                        cause = "a frame length out of bounds";
                        break;
                }
                if (r > 0) {
                        r = dispatch(m, &c);
                        memmove(buf, buf + used, have - used);
                        have -= used;
                        if (r == 1)
                                break;
                        if (r < 0) {
                                cause = r == -EBADMSG ? "a malformed command"
                                        : r == -EPROTO
                                                ? "a protocol version or actions we cannot use"
                                        : r == -EOPNOTSUPP ? "an unknown command"
                                                           : "a failed reply";
                                log_warning("milter: dropping %s: %s (%s)", m->peer, cause,
                                            milter_cmd_name(c.code));
                                cause = NULL;
                                break;
                        }
                        silent_ms = 0;
                        continue;
                }
                if (s->stopping && !m->in_message)
                        break;
                r = poll(&p, 1, 500);
                if (r < 0 && errno != EINTR)
                        break;
                if (r <= 0) {
                        silent_ms += 500;
                        if (silent_ms / 1000 >= s->timeout_sec) {
                                cause = "no command within the timeout";
                                break;
                        }
                        continue;
                }
                if (have == cap) {
                        /* Grows only for a frame that announced it needs the room. */
                        size_t need = 4 + (size_t)MILTER_MAX_FRAME;
                        char *b = cap < need ? realloc(buf, need) : NULL;

                        if (!b) {
                                cause = "a frame larger than the buffer";
                                break;
                        }
                        buf = b;
                        cap = need;
                }
                k = recv(m->fd, buf + have, cap - have, 0);
                if (k < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                if (k == 0 && have > 0) {
                        cause = "a connection closed inside a frame";
                        break;
                }
                if (k <= 0)
                        break;
                have += (size_t)k;
                /* The steps we take without a reply leave the MTA's next small packet waiting
                 * (Nagle) for our ACK, which Linux would delay by up to 40 ms: ACK at once.
                 * The kernel clears the flag on its own, so set it after every read. */
                if (m->tcp)
                        (void)setsockopt(m->fd, IPPROTO_TCP, TCP_QUICKACK, &(int){1}, sizeof(int));
        }
        if (cause)
                log_warning("milter: dropping %s: %s", m->peer, cause);
done:
        free(buf);
        ctx_free(m);
}

static int parse_inet(const char *spec, int family, struct sockaddr_storage *sa, socklen_t *len)
{
        struct addrinfo hints = {.ai_family = family,
                                 .ai_socktype = SOCK_STREAM,
                                 .ai_flags = AI_PASSIVE | AI_NUMERICSERV},
                        *res = NULL;
        const char *at = strchr(spec, '@');
        char port[16];
        size_t pl = at ? (size_t)(at - spec) : strlen(spec);
        int r;

        if (pl == 0 || pl >= sizeof(port) || strspn(spec, "0123456789") != pl)
                return -EINVAL;
        memcpy(port, spec, pl);
        port[pl] = '\0';
        if (atoi(port) < 1 || atoi(port) > 65535)
                return -EINVAL;
        r = getaddrinfo(at && at[1] ? at + 1 : NULL, port, &hints, &res);
        if (r != 0 || !res)
                return -EINVAL;
        memcpy(sa, res->ai_addr, res->ai_addrlen);
        *len = res->ai_addrlen;
        freeaddrinfo(res);
        return 0;
}

int milter_server_open(const char *spec, struct milter_server **ret)
{
        struct sockaddr_storage sa = {0};
        socklen_t len = 0;
        struct milter_server *s;
        const char *path = NULL;
        int r, one = 1;

        if (strncmp(spec, "inet:", 5) == 0)
                r = parse_inet(spec + 5, AF_INET, &sa, &len);
        else if (strncmp(spec, "inet6:", 6) == 0)
                r = parse_inet(spec + 6, AF_INET6, &sa, &len);
        else if (strncmp(spec, "unix:", 5) == 0 || strncmp(spec, "local:", 6) == 0) {
                struct sockaddr_un *un = (struct sockaddr_un *)&sa;

                path = strchr(spec, ':') + 1;
                r = path[0] == '/' && strlen(path) < sizeof(un->sun_path) ? 0 : -EINVAL;
                if (r == 0) {
                        un->sun_family = AF_UNIX;
                        strcpy(un->sun_path, path);
                        len = sizeof(*un);
                }
        } else
                r = -EINVAL;
        if (r < 0)
                return r;
        s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;
        s->fd = s->wake[0] = s->wake[1] = -1;
        pthread_mutex_init(&s->lock, NULL);
        pthread_cond_init(&s->idle, NULL);
        if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) < 0)
                goto fail;
        s->fd = socket(sa.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s->fd < 0)
                goto fail;
        if (path) {
                struct stat st;

                /* A socket left by an earlier run is replaced; anything else is not ours. */
                if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
                        (void)unlink(path);
        } else {
                (void)setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        }
        if (bind(s->fd, (struct sockaddr *)&sa, len) < 0)
                goto fail;
        /* Removed at the end only once it is ours. */
        if (path && !(s->unix_path = strdup(path)))
                goto fail;
        if (listen(s->fd, SOMAXCONN) < 0)
                goto fail;
        *ret = s;
        return 0;
fail:
        r = -errno;
        milter_server_free(s);
        return r;
}

void milter_server_stop(struct milter_server *s)
{
        s->stopping = true;
        if (write(s->wake[1], "x", 1) < 0) {
                /* already woken */
        }
}

/* Threads that wait for a connection, at most: the others end when their connection does. */
#define MILTER_WAITING_MAX 4U

static int acceptor_start(struct milter_server *s);

/* Takes the connection fd from peer: its context and TCP options. NULL when out of memory
 * (fd is closed). */
static struct milter_ctx *conn_new(struct milter_server *s, int fd,
                                   const struct sockaddr_storage *peer)
{
        struct milter_ctx *m = calloc(1, sizeof(*m));
        int one = 1;

        if (!m) {
                close(fd);
                return NULL;
        }
        m->server = s;
        m->fd = fd;
        if (peer->ss_family == AF_INET || peer->ss_family == AF_INET6) {
                char a[INET6_ADDRSTRLEN] = "?";
                const void *addr =
                        peer->ss_family == AF_INET
                                ? (const void *)&((const struct sockaddr_in *)peer)->sin_addr
                                : (const void *)&((const struct sockaddr_in6 *)peer)->sin6_addr;
                unsigned port = ntohs(peer->ss_family == AF_INET
                                              ? ((const struct sockaddr_in *)peer)->sin_port
                                              : ((const struct sockaddr_in6 *)peer)->sin6_port);

                inet_ntop(peer->ss_family, addr, a, sizeof(a));
                snprintf(m->peer, sizeof(m->peer), "%s:%u", a, port);
                (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                m->tcp = true;
        } else
                snprintf(m->peer, sizeof(m->peer), "unix socket peer");
        return m;
}

/* Each waiting thread has its own epoll instance, with the listening socket in it as
 * EPOLLEXCLUSIVE: a new connection wakes one waiting thread, not all of them (with poll() every
 * waiting thread woke, and all but one found nothing to accept, on a 2-CPU machine at the moment
 * the MTA waits for the milter). The stop pipe is in every instance, so stop() still wakes all.
 * Returns the epoll fd, or -1 when epoll cannot be used: the thread then polls as before. */
static int waiter_new(struct milter_server *s)
{
        struct epoll_event lev = {.events = EPOLLIN | EPOLLEXCLUSIVE};
        struct epoll_event wev = {.events = EPOLLIN};
        int ep = epoll_create1(EPOLL_CLOEXEC);

        if (ep < 0)
                return -1;
        lev.data.fd = s->fd;
        wev.data.fd = s->wake[0];
        if (epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &lev) < 0 ||
            epoll_ctl(ep, EPOLL_CTL_ADD, s->wake[0], &wev) < 0) {
                close(ep);
                return -1;
        }
        return ep;
}

/* Waits until the listening socket or the stop pipe is readable. Returns 1 when a connection
 * may be waiting, 0 when not (interrupted, or the stop pipe), -1 on error. */
static int waiter_wait(struct milter_server *s, int ep)
{
        if (ep >= 0) {
                struct epoll_event ev[2];
                int n = epoll_wait(ep, ev, 2, -1);

                if (n < 0)
                        return errno == EINTR ? 0 : -1;
                for (int i = 0; i < n; i++)
                        if (ev[i].data.fd == s->fd)
                                return 1;
                return 0;
        } else {
                struct pollfd p[2] = {{.fd = s->fd, .events = POLLIN},
                                      {.fd = s->wake[0], .events = POLLIN}};

                if (poll(p, 2, -1) < 0)
                        return errno == EINTR ? 0 : -1;
                return !!(p[0].revents & POLLIN);
        }
}

/* A connection thread: waits for a connection on the listening socket itself, so that a new
 * connection is answered by a thread already running (no thread to create and no hand-over
 * between threads before the MTA's first command is read), starts another waiting thread when
 * it was the last one, serves the connection, and waits again unless enough others do. */
static void *acceptor_run(void *userdata)
{
        struct milter_server *s = userdata;
        bool waiting = true; /* counted in s->waiting */
        _cleanup_close_ int ep = waiter_new(s);

        for (;;) {
                struct sockaddr_storage peer;
                socklen_t plen = sizeof(peer);
                struct milter_ctx *m;
                bool more, keep;
                int fd, ready;

                if (s->stopping)
                        break;
                ready = waiter_wait(s, ep);
                if (ready < 0)
                        break;
                if (s->stopping)
                        break;
                if (ready == 0)
                        continue;
                /* The socket does not block: another thread may have taken it first. */
                fd = accept4(s->fd, (struct sockaddr *)&peer, &plen, SOCK_CLOEXEC);
                if (fd < 0) {
                        if (errno == EMFILE || errno == ENFILE || errno == ENOMEM ||
                            errno == ENOBUFS)
                                (void)poll(NULL, 0, 100); /* do not spin until an fd is free */
                        continue;
                }
                pthread_mutex_lock(&s->lock);
                s->waiting--;
                s->active++;
                more = s->waiting == 0 && !s->stopping;
                pthread_mutex_unlock(&s->lock);
                if (more && acceptor_start(s) < 0)
                        log_error("milter: cannot start a connection thread: %s", strerror(errno));
                m = conn_new(s, fd, &peer);
                if (m)
                        conn_run(m);
                pthread_mutex_lock(&s->lock);
                if (--s->active == 0)
                        pthread_cond_broadcast(&s->idle);
                keep = s->waiting < MILTER_WAITING_MAX && !s->stopping;
                if (keep)
                        s->waiting++;
                pthread_mutex_unlock(&s->lock);
                if (!keep) {
                        waiting = false;
                        break;
                }
        }
        pthread_mutex_lock(&s->lock);
        if (waiting)
                s->waiting--;
        if (--s->threads == 0)
                pthread_cond_broadcast(&s->idle);
        pthread_mutex_unlock(&s->lock);
        return NULL;
}

/* Starts one more waiting thread. Returns 0 or a negative errno (errno is set too). */
static int acceptor_start(struct milter_server *s)
{
        pthread_attr_t attr;
        pthread_t t;
        int r;

        pthread_mutex_lock(&s->lock);
        s->threads++;
        s->waiting++;
        pthread_mutex_unlock(&s->lock);
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        r = -pthread_create(&t, &attr, acceptor_run, s);
        pthread_attr_destroy(&attr);
        if (r < 0) {
                pthread_mutex_lock(&s->lock);
                s->waiting--;
                if (--s->threads == 0)
                        pthread_cond_broadcast(&s->idle);
                pthread_mutex_unlock(&s->lock);
                errno = -r;
        }
        return r;
}

int milter_server_run(struct milter_server *s, const struct milter_callbacks *cb,
                      unsigned timeout_sec)
{
        int fl, r = 0;

        s->cb = cb;
        s->timeout_sec = timeout_sec ?: 1;
        fl = fcntl(s->fd, F_GETFL);
        if (fl < 0 || fcntl(s->fd, F_SETFL, fl | O_NONBLOCK) < 0)
                return -errno;
        /* Two waiting threads: the second takes a connection while the first starts another. */
        for (unsigned i = 0; i < 2; i++)
                if (acceptor_start(s) < 0 && i == 0)
                        return -errno;
        while (!s->stopping) {
                struct pollfd p = {.fd = s->wake[0], .events = POLLIN};

                if (poll(&p, 1, -1) < 0 && errno != EINTR) {
                        r = -errno;
                        milter_server_stop(s);
                }
        }
        /* Drain: every connection ends after its current message, then its thread. */
        pthread_mutex_lock(&s->lock);
        while (s->active > 0 || s->threads > 0)
                pthread_cond_wait(&s->idle, &s->lock);
        pthread_mutex_unlock(&s->lock);
        return r;
}

void milter_server_free(struct milter_server *s)
{
        if (!s)
                return;
        if (s->fd >= 0)
                close(s->fd);
        if (s->unix_path)
                (void)unlink(s->unix_path);
        free(s->unix_path);
        if (s->wake[0] >= 0)
                close(s->wake[0]);
        if (s->wake[1] >= 0)
                close(s->wake[1]);
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->idle);
        free(s);
}
