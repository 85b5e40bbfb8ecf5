/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The warm sandbox's hand-over blob (sandbox/warm-handover.c): what is encoded decodes the
 * same (empty strings included), and every malformed blob is refused: truncated, counts that
 * lie, a string running past the end, bytes left over, an empty argv[0], a relative folder,
 * an environment entry without '=', a umask beyond 0777, and every cut of a good blob. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sandbox/warm-handover.h"

static char *argv_ok[] = {"sh", "-c", "", "echo $FOO", NULL};
static char *env_ok[] = {"PATH=/usr/bin", "FOO=", NULL};

static void round_trip(void **state)
{
        struct warm_handover h;
        char *blob;
        size_t size;

        assert_int_equal(warm_handover_encode(argv_ok, env_ok, "/home/sandbox", 027, &blob, &size),
                         0);
        assert_int_equal(warm_handover_decode(blob, size, &h), 0);
        for (size_t i = 0; argv_ok[i]; i++)
                assert_string_equal(h.argv[i], argv_ok[i]);
        assert_null(h.argv[4]);
        assert_string_equal(h.envp[0], "PATH=/usr/bin");
        assert_string_equal(h.envp[1], "FOO=");
        assert_null(h.envp[2]);
        assert_string_equal(h.cwd, "/home/sandbox");
        assert_int_equal(h.umask, 027);
        warm_handover_done(&h);
        free(blob);
}

static void empty_environment(void **state)
{
        char *argv[] = {"true", NULL};
        struct warm_handover h;
        char *blob;
        size_t size;

        assert_int_equal(warm_handover_encode(argv, NULL, "/", 022, &blob, &size), 0);
        assert_int_equal(warm_handover_decode(blob, size, &h), 0);
        assert_null(h.envp[0]);
        warm_handover_done(&h);
        free(blob);
}

static void encode_refuses(void **state)
{
        char *none[] = {NULL};
        char *blob;
        size_t size;
        char *big = malloc(WARM_HANDOVER_MAX + 1);
        char *argv[] = {big, NULL};

        assert_non_null(big);
        assert_int_equal(warm_handover_encode(none, NULL, "/", 0, &blob, &size), -E2BIG);
        memset(big, 'a', WARM_HANDOVER_MAX);
        big[WARM_HANDOVER_MAX] = 0;
        assert_int_equal(warm_handover_encode(argv, NULL, "/", 0, &blob, &size), -E2BIG);
        free(big);
}

/* A blob from a head and raw bytes. */
static size_t make(char *buf, uint32_t n_argv, uint32_t n_env, uint32_t umask, const char *body,
                   size_t body_len)
{
        struct warm_handover_head head = {.n_argv = n_argv, .n_env = n_env, .umask = umask};

        memcpy(buf, &head, sizeof(head));
        memcpy(buf + sizeof(head), body, body_len);
        return sizeof(head) + body_len;
}

static void decode_refuses(void **state)
{
        static const struct {
                uint32_t n_argv, n_env, umask;
                const char *body;
                size_t len;
        } bad[] = {
                {0, 0, 0, "/\0", 2},                  /* no argv */
                {1, 0, 0, "true\0", 5},               /* no folder */
                {1, 0, 0, "true\0/", 6},              /* folder runs past the end */
                {1, 0, 0, "true\0rel\0", 9},          /* relative folder */
                {1, 0, 0, "true\0/\0x", 8},           /* bytes left over */
                {1, 0, 0, "\0/\0", 3},                /* empty argv[0] */
                {1, 1, 0, "true\0NOEQUALS\0/\0", 16}, /* environment entry without '=' */
                {1, 0, 01000, "true\0/\0", 7},        /* umask beyond 0777 */
                {3, 0, 0, "true\0/\0", 7},            /* more strings counted than there are */
                {1, 4000000, 0, "true\0/\0", 7},      /* a count far beyond the size */
        };
        char buf[256];
        struct warm_handover h;

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                size_t n = make(buf, bad[i].n_argv, bad[i].n_env, bad[i].umask, bad[i].body,
                                bad[i].len);

                assert_int_equal(warm_handover_decode(buf, n, &h), -EBADMSG);
        }
        assert_int_equal(warm_handover_decode(buf, 3, &h), -EBADMSG);
        assert_int_equal(warm_handover_decode(buf, WARM_HANDOVER_MAX + 1, &h), -EBADMSG);
}

static void every_cut_refused(void **state)
{
        struct warm_handover h;
        char *blob;
        size_t size;

        assert_int_equal(warm_handover_encode(argv_ok, env_ok, "/home/sandbox", 022, &blob, &size),
                         0);
        for (size_t cut = 0; cut < size; cut++)
                assert_int_equal(warm_handover_decode(blob, cut, &h), -EBADMSG);
        free(blob);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(round_trip),        cmocka_unit_test(empty_environment),
                cmocka_unit_test(encode_refuses),    cmocka_unit_test(decode_refuses),
                cmocka_unit_test(every_cut_refused),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
