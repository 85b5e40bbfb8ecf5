/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The milter command decoder on an arbitrary byte stream, as a hostile MTA (or anything
 * that reaches the milter's socket) could send it: split into frames, check every command,
 * decode each by its code, and echo what was decoded through the encoder. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/milter-proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct milter_out o = {0};
        size_t off = 0, used, n;

        for (;;) {
                struct milter_cmd c;
                const char *argv[MILTER_MAX_ARGS], *name, *value;
                struct milter_connect conn;
                struct milter_optneg neg;
                char stage;
                int r = milter_frame_next(data + off, size - off, 64 * 1024, &c, &used);

                if (r <= 0)
                        break;
                if (used > size - off || c.data + c.size > (const char *)data + size)
                        abort();
                off += used;
                if (milter_cmd_check(&c) < 0)
                        continue;
                switch (c.code) {
                case MILTER_CMD_OPTNEG:
                        if (milter_parse_optneg(&c, &neg) < 0)
                                abort();
                        milter_put_optneg(&o, &neg);
                        break;
                case MILTER_CMD_CONNECT:
                        if (milter_parse_connect(&c, &conn) < 0)
                                abort();
                        milter_put_string(&o, MILTER_REPLY_QUARANTINE, conn.host);
                        if (conn.addr)
                                milter_put_string(&o, MILTER_REPLY_QUARANTINE, conn.addr);
                        break;
                case MILTER_CMD_HEADER:
                        if (milter_parse_header(&c, &name, &value) < 0)
                                abort();
                        milter_put_header(&o, MILTER_REPLY_ADDHEADER, 0, name, value);
                        milter_put_replycode(&o, "550", "5.7.1", value);
                        break;
                case MILTER_CMD_MACRO:
                        if (milter_parse_macro(&c, &stage, argv, MILTER_MAX_ARGS, &n) < 0 || n % 2)
                                abort();
                        for (size_t k = 0; k < n; k += 2)
                                milter_put_header(&o, MILTER_REPLY_CHGHEADER, (uint32_t)k, argv[k],
                                                  argv[k + 1]);
                        break;
                case MILTER_CMD_MAIL:
                case MILTER_CMD_RCPT:
                        if (milter_parse_strings(c.data, c.size, 1, argv, MILTER_MAX_ARGS, &n) <
                                    0 ||
                            n < 1)
                                abort();
                        break;
                case MILTER_CMD_BODY:
                        milter_put(&o, MILTER_REPLY_REPLBODY, c.data, c.size);
                        break;
                default:
                        break;
                }
        }
        /* Every frame encoded must decode again. */
        for (size_t k = 0; k < o.size; k += used) {
                struct milter_cmd c;

                if (milter_frame_next(o.buf + k, o.size - k, MILTER_MAX_FRAME, &c, &used) != 1)
                        abort();
        }
        milter_out_done(&o);
        return 0;
}
