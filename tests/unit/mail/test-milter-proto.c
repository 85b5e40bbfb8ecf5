/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the milter protocol decoder and encoder (src/mail/milter-proto.c): frames
 * as Postfix sends them, and every malformed length or missing terminator refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/milter-proto.h"

/* A frame: 4-byte length, command byte, data. */
static size_t frame(char *buf, char code, const char *data, size_t size)
{
        uint32_t len = (uint32_t)size + 1;

        buf[0] = (char)(len >> 24);
        buf[1] = (char)(len >> 16);
        buf[2] = (char)(len >> 8);
        buf[3] = (char)len;
        buf[4] = code;
        memcpy(buf + 5, data, size);
        return size + 5;
}

static void test_frame(void **state)
{
        char buf[64];
        struct milter_cmd c;
        size_t n, used = 0;

        n = frame(buf, 'O', "\0\0\0\6\0\0\1\377\0\37\377\377", 12);
        n += frame(buf + n, 'Q', "", 0);
        /* Every prefix of the first frame needs more bytes. */
        for (size_t k = 0; k < 17; k++)
                assert_int_equal(milter_frame_next(buf, k, MILTER_MAX_FRAME, &c, &used), 0);
        assert_int_equal(milter_frame_next(buf, n, MILTER_MAX_FRAME, &c, &used), 1);
        assert_int_equal(used, 17);
        assert_int_equal(c.code, 'O');
        assert_int_equal(c.size, 12);
        assert_int_equal(milter_frame_next(buf + used, n - used, MILTER_MAX_FRAME, &c, &used), 1);
        assert_int_equal(c.code, 'Q');
        assert_int_equal(c.size, 0);
        assert_int_equal(milter_cmd_check(&c), 0);

        /* Length 0 (no command byte) and a length above the limit break the stream. */
        memset(buf, 0, 8);
        assert_int_equal(milter_frame_next(buf, 8, MILTER_MAX_FRAME, &c, &used), -EBADMSG);
        memcpy(buf, "\0\20\0\1", 4);
        assert_int_equal(milter_frame_next(buf, 8, MILTER_MAX_FRAME, &c, &used), -EBADMSG);
        memcpy(buf, "\377\377\377\377", 4);
        assert_int_equal(milter_frame_next(buf, 4, MILTER_MAX_FRAME, &c, &used), -EBADMSG);
        assert_int_equal(milter_frame_next(buf, 4, SIZE_MAX, &c, &used), 0);
}

static void test_optneg(void **state)
{
        char buf[64];
        struct milter_cmd c;
        struct milter_optneg o;
        size_t used;

        frame(buf, 'O', "\0\0\0\6\0\0\1\377\0\37\377\377", 12);
        assert_int_equal(milter_frame_next(buf, 17, MILTER_MAX_FRAME, &c, &used), 1);
        assert_int_equal(milter_parse_optneg(&c, &o), 0);
        assert_int_equal(o.version, 6);
        assert_int_equal(o.actions, 0x1ff);
        assert_int_equal(o.protocol, 0x1fffff);
        c.size = 11;
        assert_int_equal(milter_parse_optneg(&c, &o), -EBADMSG);
        c.size = 13;
        assert_int_equal(milter_parse_optneg(&c, &o), -EBADMSG);
        c = (struct milter_cmd){.code = 'O', .data = "\0\0\0\1\0\0\0\0\0\0\0\0", .size = 12};
        assert_int_equal(milter_parse_optneg(&c, &o), -EBADMSG);
}

static void test_connect(void **state)
{
        struct milter_cmd c = {.code = 'C'};
        struct milter_connect conn;

        c.data = "mx.example\0004\0\031"
                 "127.0.0.1";
        c.size = 11 + 1 + 2 + 10;
        assert_int_equal(milter_parse_connect(&c, &conn), 0);
        assert_string_equal(conn.host, "mx.example");
        assert_int_equal(conn.family, '4');
        assert_int_equal(conn.port, 25);
        assert_string_equal(conn.addr, "127.0.0.1");
        assert_int_equal(milter_cmd_check(&c), 0);

        c.size--; /* address without its NUL */
        assert_int_equal(milter_parse_connect(&c, &conn), -EBADMSG);
        c.size = 11 + 1 + 1; /* port cut */
        assert_int_equal(milter_parse_connect(&c, &conn), -EBADMSG);
        c.size = 11; /* no family */
        assert_int_equal(milter_parse_connect(&c, &conn), -EBADMSG);

        c.data = "localhost\0U";
        c.size = 11;
        assert_int_equal(milter_parse_connect(&c, &conn), 0);
        assert_int_equal(conn.family, 'U');
        assert_null(conn.addr);
        c.data = "localhost\0Ux";
        c.size = 12;
        assert_int_equal(milter_parse_connect(&c, &conn), -EBADMSG);
        c.data = "localhost\0X\0\0a";
        c.size = 15;
        assert_int_equal(milter_parse_connect(&c, &conn), -EBADMSG);
        c.data = "no terminator";
        c.size = 13;
        assert_int_equal(milter_parse_connect(&c, &conn), -EBADMSG);
}

static void test_macro_header_strings(void **state)
{
        struct milter_cmd c = {.code = 'D'};
        const char *argv[MILTER_MAX_ARGS], *name, *value;
        size_t n;
        char stage;

        c.data = "Mi\0ABC123\0{mail_addr}\0a@b\0";
        c.size = 1 + 2 + 7 + 12 + 4;
        assert_int_equal(milter_parse_macro(&c, &stage, argv, MILTER_MAX_ARGS, &n), 0);
        assert_int_equal(stage, 'M');
        assert_int_equal(n, 4);
        assert_string_equal(argv[0], "i");
        assert_string_equal(argv[1], "ABC123");
        assert_string_equal(argv[3], "a@b");
        c.size -= 4; /* a name without its value */
        assert_int_equal(milter_parse_macro(&c, &stage, argv, MILTER_MAX_ARGS, &n), -EBADMSG);
        c.size = 1; /* a stage with no macros is fine */
        assert_int_equal(milter_parse_macro(&c, &stage, argv, MILTER_MAX_ARGS, &n), 0);
        assert_int_equal(n, 0);
        c.size = 0;
        assert_int_equal(milter_parse_macro(&c, &stage, argv, MILTER_MAX_ARGS, &n), -EBADMSG);

        c = (struct milter_cmd){.code = 'L', .data = "Subject\0 hi\0", .size = 12};
        assert_int_equal(milter_parse_header(&c, &name, &value), 0);
        assert_string_equal(name, "Subject");
        assert_string_equal(value, " hi");
        c.size = 11;
        assert_int_equal(milter_parse_header(&c, &name, &value), -EBADMSG);
        c = (struct milter_cmd){.code = 'L', .data = "Subject\0a\0b\0", .size = 12};
        assert_int_equal(milter_parse_header(&c, &name, &value), -EBADMSG);
        c = (struct milter_cmd){.code = 'L', .data = "\0a\0", .size = 3};
        assert_int_equal(milter_parse_header(&c, &name, &value), -EBADMSG);

        c = (struct milter_cmd){.code = 'M', .data = "<a@b>\0SIZE=10\0", .size = 14};
        assert_int_equal(milter_cmd_check(&c), 0);
        c.size = 0; /* MAIL needs its address */
        assert_int_equal(milter_cmd_check(&c), -EBADMSG);
        c = (struct milter_cmd){.code = 'T', .data = "x", .size = 1};
        assert_int_equal(milter_cmd_check(&c), -EBADMSG);
        c = (struct milter_cmd){.code = 'B', .data = "\0\0\377", .size = 3};
        assert_int_equal(milter_cmd_check(&c), 0);

        /* More strings than the limit. */
        {
                char many[2 * (MILTER_MAX_ARGS + 1)];

                memset(many, 0, sizeof(many));
                for (size_t k = 0; k < sizeof(many); k += 2)
                        many[k] = 'x';
                assert_int_equal(
                        milter_parse_strings(many, sizeof(many), 1, argv, MILTER_MAX_ARGS, &n),
                        -EBADMSG);
                assert_int_equal(
                        milter_parse_strings(many, sizeof(many) - 2, 1, argv, MILTER_MAX_ARGS, &n),
                        0);
                assert_int_equal(n, MILTER_MAX_ARGS);
        }
}

static void test_encode(void **state)
{
        struct milter_out o = {0};
        struct milter_optneg neg = {6, MILTER_ACT_ADDHDRS, MILTER_P_NOHELO};
        struct milter_cmd c;
        size_t used, off = 0;

        assert_int_equal(milter_put_optneg(&o, &neg), 0);
        assert_int_equal(milter_put(&o, MILTER_REPLY_CONTINUE, NULL, 0), 0);
        assert_int_equal(milter_put_replycode(&o, "550", "5.7.1", "airlock: 100% bad"), 0);
        assert_int_equal(
                milter_put_header(&o, MILTER_REPLY_CHGHEADER, 2, "X-Airlock-Verdict", NULL), 0);
        assert_int_equal(milter_put_header(&o, MILTER_REPLY_ADDHEADER, 0, "X-A", "v"), 0);

        assert_int_equal(milter_frame_next(o.buf, o.size, MILTER_MAX_FRAME, &c, &used), 1);
        assert_int_equal(c.code, 'O');
        assert_memory_equal(c.data, "\0\0\0\6\0\0\0\1\0\0\0\2", 12);
        off += used;
        assert_int_equal(milter_frame_next(o.buf + off, o.size - off, MILTER_MAX_FRAME, &c, &used),
                         1);
        assert_int_equal(c.code, 'c');
        assert_int_equal(c.size, 0);
        off += used;
        assert_int_equal(milter_frame_next(o.buf + off, o.size - off, MILTER_MAX_FRAME, &c, &used),
                         1);
        assert_int_equal(c.code, 'y');
        assert_string_equal(c.data, "550 5.7.1 airlock: 100%% bad");
        assert_int_equal(c.size, strlen(c.data) + 1);
        off += used;
        assert_int_equal(milter_frame_next(o.buf + off, o.size - off, MILTER_MAX_FRAME, &c, &used),
                         1);
        assert_int_equal(c.code, 'm');
        assert_memory_equal(c.data, "\0\0\0\2X-Airlock-Verdict\0\0", 4 + 18 + 1);
        off += used;
        assert_int_equal(milter_frame_next(o.buf + off, o.size - off, MILTER_MAX_FRAME, &c, &used),
                         1);
        assert_int_equal(c.code, 'h');
        assert_memory_equal(c.data, "X-A\0v\0", 6);
        off += used;
        assert_int_equal(off, o.size);

        /* Refused: not a 4xx/5xx code, a class mismatch, CR/LF in text or a bad name. */
        assert_int_equal(milter_put_replycode(&o, "250", "2.0.0", "ok"), -EINVAL);
        assert_int_equal(milter_put_replycode(&o, "550", "4.7.1", "x"), -EINVAL);
        assert_int_equal(milter_put_replycode(&o, "451", "4.7.1", "a\r\nb"), -EINVAL);
        assert_int_equal(milter_put_header(&o, MILTER_REPLY_ADDHEADER, 0, "X: y", "v"), -EINVAL);
        assert_int_equal(milter_put_header(&o, MILTER_REPLY_ADDHEADER, 0, "", "v"), -EINVAL);
        assert_int_equal(off, o.size);
        milter_out_done(&o);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_frame),   cmocka_unit_test(test_optneg),
                cmocka_unit_test(test_connect), cmocka_unit_test(test_macro_header_strings),
                cmocka_unit_test(test_encode),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
