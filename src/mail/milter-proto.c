/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

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
