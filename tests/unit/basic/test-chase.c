/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "basic/chase.h"
#include "basic/macro.h"

static void assert_cwd(const char *want)
{
        char cwd[4096];

        assert_non_null(getcwd(cwd, sizeof(cwd)));
        assert_string_equal(cwd, want);
}

/* a plain folder, absolute or relative: from the root, whatever the working folder */
static void test_chdir_plain(void **state)
{
        (void)state;
        assert_int_equal(chdir_in_root("/usr"), 0);
        assert_cwd("/usr");
        assert_int_equal(chdir_in_root("etc"), 0);
        assert_cwd("/etc");
        assert_int_equal(chdir_in_root("/../../usr/.."), 0);
        assert_cwd("/");
}

/* /proc/self/fd/N names an fd's folder wherever it is: refused, directly or through a link,
 * and the working folder stays where it was */
static void test_chdir_magic_links(void **state)
{
        char dir[] = "/tmp/test-chase.XXXXXX", path[64], link[sizeof(dir) + 8];
        _cleanup_close_ int fd = -1;

        (void)state;
        assert_non_null(mkdtemp(dir));
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(chdir("/usr"), 0);
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
        assert_int_equal(chdir_in_root(path), -ELOOP);
        assert_int_equal(chdir_in_root("/proc/self/cwd"), -ELOOP);
        snprintf(link, sizeof(link), "%s/cwd", dir);
        assert_int_equal(symlink(path, link), 0);
        assert_int_equal(chdir_in_root(link), -ELOOP);
        assert_cwd("/usr");
        assert_int_equal(chdir_in_root("/nonexistent-folder-of-test-chase"), -ENOENT);
        unlink(link);
        rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_chdir_plain),
                cmocka_unit_test(test_chdir_magic_links),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
