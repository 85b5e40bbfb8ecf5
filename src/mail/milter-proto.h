/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The milter protocol (version 6, the one Postfix speaks), written from its public
 * description: framing of the MTA's commands, decoding of each command's arguments and
 * encoding of the milter's replies. No I/O here: the caller reads bytes into a buffer, asks
 * milter_frame_next() for the next whole command and decodes it in place (every string
 * returned points into the command's data, which must outlive it).
 *
 * A frame is a 32-bit big-endian length, then that many bytes: one command byte and the
 * command's data. Every decoder checks every length and returns -EBADMSG on a frame that
 * does not follow the protocol; the caller drops such a connection. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MILTER_VERSION 6
/* The largest frame we accept. Postfix sends body chunks of at most 65535 bytes and
 * headers of at most its line limit; 1 MiB leaves room and bounds what a peer can make us
 * buffer before we drop it. */
#define MILTER_MAX_FRAME (1024u * 1024u)
/* How many strings (macro pairs, MAIL/RCPT arguments) one command may carry. */
#define MILTER_MAX_ARGS 64

/* Commands from the MTA. */
enum {
        MILTER_CMD_ABORT = 'A',
        MILTER_CMD_BODY = 'B',
        MILTER_CMD_CONNECT = 'C',
        MILTER_CMD_MACRO = 'D',
        MILTER_CMD_BODYEOB = 'E',
        MILTER_CMD_HELO = 'H',
        MILTER_CMD_QUIT_NC = 'K',
        MILTER_CMD_HEADER = 'L',
        MILTER_CMD_MAIL = 'M',
        MILTER_CMD_EOH = 'N',
        MILTER_CMD_OPTNEG = 'O',
        MILTER_CMD_QUIT = 'Q',
        MILTER_CMD_RCPT = 'R',
        MILTER_CMD_DATA = 'T',
        MILTER_CMD_UNKNOWN = 'U',
};

/* Replies to the MTA. */
enum {
        MILTER_REPLY_ACCEPT = 'a',
        MILTER_REPLY_REPLBODY = 'b',
        MILTER_REPLY_CONTINUE = 'c',
        MILTER_REPLY_DISCARD = 'd',
        MILTER_REPLY_ADDHEADER = 'h',
        MILTER_REPLY_CHGHEADER = 'm',
        MILTER_REPLY_PROGRESS = 'p',
        MILTER_REPLY_QUARANTINE = 'q',
        MILTER_REPLY_REJECT = 'r',
        MILTER_REPLY_TEMPFAIL = 't',
        MILTER_REPLY_REPLYCODE = 'y',
        MILTER_REPLY_OPTNEG = 'O',
};

/* Actions the milter may take (negotiated in OPTNEG). */
enum {
        MILTER_ACT_ADDHDRS = 0x01,
        MILTER_ACT_CHGBODY = 0x02,
        MILTER_ACT_CHGHDRS = 0x10,
        MILTER_ACT_QUARANTINE = 0x20,
};

/* Protocol steps: what the MTA need not send (NO*) or need not wait a reply for (NR_*). */
enum {
        MILTER_P_NOCONNECT = 0x01,
        MILTER_P_NOHELO = 0x02,
        MILTER_P_NOMAIL = 0x04,
        MILTER_P_NORCPT = 0x08,
        MILTER_P_NOBODY = 0x10,
        MILTER_P_NOHDRS = 0x20,
        MILTER_P_NOEOH = 0x40,
        MILTER_P_NR_HDR = 0x80,
        MILTER_P_NOUNKNOWN = 0x100,
        MILTER_P_NODATA = 0x200,
        MILTER_P_NR_CONN = 0x1000,
        MILTER_P_NR_HELO = 0x2000,
        MILTER_P_NR_MAIL = 0x4000,
        MILTER_P_NR_RCPT = 0x8000,
        MILTER_P_NR_DATA = 0x10000,
        MILTER_P_NR_UNKN = 0x20000,
        MILTER_P_NR_EOH = 0x40000,
        MILTER_P_NR_BODY = 0x80000,
        MILTER_P_HDR_LEADSPC = 0x100000,
};

struct milter_cmd {
        char code;
        const char *data; /* the bytes after the command byte, inside the caller's buffer */
        size_t size;
};

/* The next whole frame at the start of buf[0..n): 1 with *cmd and *consumed set, 0 when more
 * bytes are needed, -EBADMSG when the length is 0 or above max (the stream cannot be
 * resynchronised: drop the connection). */
int milter_frame_next(const void *buf, size_t n, size_t max, struct milter_cmd *cmd,
                      size_t *consumed);

struct milter_optneg {
        uint32_t version, actions, protocol;
};
int milter_parse_optneg(const struct milter_cmd *c, struct milter_optneg *o);

/* A sequence of NUL-terminated strings filling the data exactly (MAIL, RCPT, HELO, UNKNOWN;
 * an empty sequence is allowed only when min is 0). */
int milter_parse_strings(const char *data, size_t size, size_t min, const char **argv, size_t max,
                         size_t *n);

/* MACRO: the stage's command byte, then name/value pairs. */
int milter_parse_macro(const struct milter_cmd *c, char *stage, const char **pairs, size_t max,
                       size_t *n);

struct milter_connect {
        const char *host;
        char family; /* 'U' unknown, 'L' unix, '4', '6' */
        uint16_t port;
        const char *addr; /* NULL for family 'U' */
};
int milter_parse_connect(const struct milter_cmd *c, struct milter_connect *conn);

int milter_parse_header(const struct milter_cmd *c, const char **name, const char **value);

/* Checks a command's arguments by its code without keeping them: 0 when well formed
 * (unknown command codes are well formed: the caller decides), -EBADMSG otherwise. */
int milter_cmd_check(const struct milter_cmd *c);

/* Encoders append one frame to a growing buffer (*buf, *size, *cap). -ENOMEM or -EINVAL
 * (a reply that would exceed MILTER_MAX_FRAME or a string with a NUL in it). */
struct milter_out {
        char *buf;
        size_t size, cap;
};
int milter_put(struct milter_out *o, char code, const void *data, size_t size);
int milter_put_optneg(struct milter_out *o, const struct milter_optneg *neg);
/* REPLYCODE: "CODE X.Y.Z text": code 4xx or 5xx; text is sent as is after checks ('%' is
 * doubled, CR and LF refused). */
int milter_put_replycode(struct milter_out *o, const char *code, const char *xcode,
                         const char *text);
int milter_put_header(struct milter_out *o, char code, uint32_t index, const char *name,
                      const char *value);
int milter_put_string(struct milter_out *o, char code, const char *s);
void milter_out_done(struct milter_out *o);

/* Human-readable name of a command code, for logs. */
const char *milter_cmd_name(char code);

/* ---- the server: a listener and one thread per MTA connection ---- */

/* What a callback answers. */
enum milter_status {
        MILTER_S_CONTINUE,
        MILTER_S_ACCEPT,
        MILTER_S_REJECT,
        MILTER_S_TEMPFAIL,
        MILTER_S_DISCARD,
};

struct milter_ctx;

/* Callbacks run in the connection's thread. A NULL callback means the step is not needed:
 * the MTA is told not to send it. Steps whose callbacks are "quiet" get no reply (the
 * SMFIP_NR_* flags): a non-CONTINUE answer from one of them is kept and given at the next
 * step the MTA waits for. */
struct milter_callbacks {
        int (*connect)(struct milter_ctx *m, const char *host);
        int (*envfrom)(struct milter_ctx *m, const char **argv, size_t n);
        int (*envrcpt)(struct milter_ctx *m, const char **argv, size_t n);
        int (*header)(struct milter_ctx *m, const char *name, const char *value);
        int (*eoh)(struct milter_ctx *m);
        int (*body)(struct milter_ctx *m, const unsigned char *chunk, size_t n);
        int (*eom)(struct milter_ctx *m);
        int (*abort)(struct milter_ctx *m);
        void (*close)(struct milter_ctx *m);
        uint32_t actions; /* MILTER_ACT_* */
};

void *milter_getpriv(struct milter_ctx *m);
void milter_setpriv(struct milter_ctx *m, void *priv);
/* A macro's value ("i" and "{i}" alike), or NULL. */
const char *milter_getsymval(struct milter_ctx *m, const char *name);
/* The peer, for logs: "inet:127.0.0.1:4567", "unix". */
const char *milter_peer(struct milter_ctx *m);
/* Modifications, valid in eom only; sent before its final reply (progress is sent now).
 * 0 or a negative errno. */
int milter_progress(struct milter_ctx *m);
int milter_addheader(struct milter_ctx *m, const char *name, const char *value);
int milter_chgheader(struct milter_ctx *m, const char *name, uint32_t index, const char *value);
int milter_replacebody(struct milter_ctx *m, const void *data, size_t size);
int milter_quarantine(struct milter_ctx *m, const char *reason);
/* The text of the next REJECT or TEMPFAIL reply. */
int milter_setreply(struct milter_ctx *m, const char *code, const char *xcode, const char *text);

struct milter_server;

/* Parses spec (inet:PORT@ADDR, inet6:PORT@ADDR, unix:PATH or local:PATH; ADDR may be a
 * name), binds and listens (TCP_NODELAY on TCP; a stale unix socket is replaced). */
int milter_server_open(const char *spec, struct milter_server **ret);
/* Accepts connections until milter_server_stop(), then waits for every connection thread to
 * finish its current message (the MTA is told nothing new is taken). Threads are born with
 * the signals the caller blocks. timeout_sec: how long a connection may stay silent. */
int milter_server_run(struct milter_server *s, const struct milter_callbacks *cb,
                      unsigned timeout_sec);
void milter_server_stop(struct milter_server *s);
void milter_server_free(struct milter_server *s);
