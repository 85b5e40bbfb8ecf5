/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "basic/macro.h"
#include "basic/sha256.h"
#include "basic/strv.h"
#include "endpoint/endpoint.h"
#include "endpoint/open.h"

static void test_partial_names(void **state)
{
        (void)state;
        assert_true(endpoint_is_partial_name("Unconfirmed 123456.crdownload"));
        assert_true(endpoint_is_partial_name("setup.exe.crdownload"));
        assert_true(endpoint_is_partial_name("movie.mkv.part"));
        assert_true(endpoint_is_partial_name("file.PART"));
        assert_true(endpoint_is_partial_name("a.download"));
        assert_true(endpoint_is_partial_name("x.tmp"));
        assert_true(endpoint_is_partial_name(".com.google.Chrome.AbCdEf"));
        assert_true(endpoint_is_partial_name(".airlock-gate.12.3"));
        assert_false(endpoint_is_partial_name("report.pdf"));
        assert_false(endpoint_is_partial_name("partial.txt"));
        assert_false(endpoint_is_partial_name(".part")); /* the whole name is no suffix */
        assert_false(endpoint_is_partial_name("crdownload"));
        assert_false(endpoint_is_partial_name("notes.tmp.txt"));
}

/* A mark is valid only while the content keeps the hash it names. */
static void test_mark(void **state)
{
        char path[] = "/tmp/test-endpoint.XXXXXX", hex[65];
        int fd = mkostemp(path, O_CLOEXEC), k;

        (void)state;
        assert_true(fd >= 0);
        assert_int_equal(write(fd, "hello\n", 6), 6);
        assert_false(endpoint_has_valid_mark(fd));
        sha256_hex("hello\n", 6, hex);
        k = endpoint_mark(fd, ANALYSIS_CLEAN, hex);
        if (k == -EOPNOTSUPP) {
                unlink(path);
                close(fd);
                skip();
        }
        assert_int_equal(k, 0);
        assert_true(endpoint_has_valid_mark(fd));
        assert_true(endpoint_has_valid_mark(fd)); /* reading did not move what it reads */
        assert_int_equal(pwrite(fd, "H", 1, 0), 1);
        assert_false(endpoint_has_valid_mark(fd));
        assert_int_equal(endpoint_mark(fd, ANALYSIS_CLEAN, "short"), -EINVAL);
        unlink(path);
        close(fd);
}

static void test_collect(void **state)
{
        struct analysis_result *root = analysis_result_new("page.html");
        struct analysis_result *child = analysis_result_new("payload.exe");
        char **rules = NULL, **attack = NULL;

        (void)state;
        assert_non_null(root);
        assert_non_null(child);
        assert_int_equal(analysis_result_add_finding(root, "html_smuggling_blob",
                                                     ANALYSIS_SEVERITY_MEDIUM, "T1027.006", "d",
                                                     NULL, NULL),
                         0);
        assert_int_equal(analysis_result_add_finding(child, "eicar_test_file",
                                                     ANALYSIS_SEVERITY_CRITICAL, NULL, "d", NULL,
                                                     NULL),
                         0);
        assert_int_equal(analysis_result_add_finding(child, "html_smuggling_blob",
                                                     ANALYSIS_SEVERITY_LOW, "T1027.006,T1204.002",
                                                     "d", NULL, NULL),
                         0);
        assert_int_equal(analysis_result_add_child(root, child), 0);
        assert_int_equal(endpoint_collect_findings(root, &rules, &attack), 0);
        assert_int_equal(strv_length(rules), 2);
        assert_string_equal(rules[0], "html_smuggling_blob");
        assert_string_equal(rules[1], "eicar_test_file");
        assert_int_equal(strv_length(attack), 2);
        assert_string_equal(attack[0], "T1027.006");
        assert_string_equal(attack[1], "T1204.002");
        assert_string_equal(endpoint_top_finding(root)->rule, "eicar_test_file");
        strv_free(rules);
        strv_free(attack);
        analysis_result_free(root);
}

/* Handlers are chosen by MIME type among the programs in $PATH. */
static void test_handlers(void **state)
{
        char dir[] = "/tmp/test-endpoint-bin.XXXXXX", path[128];
        const char *old = getenv("PATH");
        char *saved = old ? strdup(old) : NULL;
        struct open_handler h;

        (void)state;
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/cat", dir);
        int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
        assert_true(fd >= 0);
        close(fd);
        setenv("PATH", dir, 1);

        assert_int_equal(open_choose_handler("text/plain", false, &h), 0);
        assert_string_equal(h.profile, "shell");
        assert_string_equal(h.argv[0], "cat");
        assert_int_equal(open_choose_handler("application/x-pie-executable", false, &h), -EPERM);
        assert_int_equal(open_choose_handler("application/pdf", false, &h), -ENOENT);
        assert_string_equal(h.profile, "pdf");
        assert_null(h.argv);
        assert_int_equal(open_choose_handler("text/html", false, &h), -ENOENT);
        assert_string_equal(h.profile, "chromium");
        assert_int_equal(open_choose_handler("application/zip", false, &h), -ENOENT);
        assert_string_equal(h.profile, "archive");
        assert_int_equal(open_choose_handler("application/x-nothing-known", false, &h), -ENOENT);
        assert_true(open_program_exists("cat"));
        assert_false(open_program_exists("evince"));

        unlink(path);
        rmdir(dir);
        if (saved)
                setenv("PATH", saved, 1);
        free(saved);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_partial_names),
                cmocka_unit_test(test_mark),
                cmocka_unit_test(test_collect),
                cmocka_unit_test(test_handlers),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
