/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cache of compiled programs: a second build loads the first one's program; a file that is
 * damaged, swapped, linked, too open, or in a folder that is too open is ignored. */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "basic/fileio.h"
#include "sandbox/seccomp-internal.h"
#include "policy/syscall-groups.h"
#include "seccomp-test-util.h"

static char base[64];
static char dir[96];

static struct policy *new_policy(void)
{
        struct policy *p = NULL;

        assert_int_equal(policy_new(&p), 0);
        return p;
}

static struct seccomp_program *build(const struct policy *p, bool want_cached)
{
        struct seccomp_program *prog = NULL;
        struct seccomp_summary s;

        assert_int_equal(seccomp_program_build(p, &prog), 0);
        seccomp_program_summary(prog, &s);
        if (s.cached != want_cached)
                fail_msg("the program was%s loaded from the cache", s.cached ? "" : " not");
        return prog;
}

static void assert_same(const struct seccomp_program *a, const struct seccomp_program *b)
{
        assert_int_equal(a->n_insns, b->n_insns);
        assert_memory_equal(a->insns, b->insns, a->n_insns * sizeof(struct sock_filter));
        assert_int_equal(a->n_shadow, b->n_shadow);
        assert_memory_equal(a->shadow, b->shadow, a->n_shadow * sizeof(struct sock_filter));
        assert_int_equal(a->has_notify, b->has_notify);
        assert_int_equal(a->summary.n_errno, b->summary.n_errno);
        assert_int_equal(a->summary.n_allow_cond, b->summary.n_allow_cond);
}

/* The one cache file (there is one per policy here). */
static void cache_file(char *path, size_t size)
{
        DIR *d = opendir(dir);
        struct dirent *de;

        assert_non_null(d);
        path[0] = 0;
        while ((de = readdir(d)))
                if (strncmp(de->d_name, "seccomp-", 8) == 0)
                        snprintf(path, size, "%s/%s", dir, de->d_name);
        closedir(d);
        assert_true(path[0] != 0);
}

static void clear_cache(void)
{
        DIR *d = opendir(dir);
        struct dirent *de;

        if (!d)
                return;
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' || strlen(de->d_name) > 2) {
                        char p[512];
                        snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
                        unlink(p);
                }
        closedir(d);
}

static int probe_mount(void *userdata)
{
        (void)userdata;
        return sys_errno(SYS_mount, 0, 0, 0, 0, 0) == EPERM &&
                               sys_errno(SYS_getppid, 0, 0, 0, 0, 0) == 0
                       ? 0
                       : 1;
}

static void test_roundtrip(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *a = NULL, *b = NULL;
        struct stat st;
        char file[512];

        (void)state;
        clear_cache();
        rmdir(dir);
        a = build(p, false);
        assert_int_equal(stat(dir, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0700);
        cache_file(file, sizeof(file));
        assert_int_equal(stat(file, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600);
        b = build(p, true);
        assert_same(a, b);
        /* the cached program works in the kernel */
        assert_int_equal(run_filtered(b, probe_mount, NULL), 0);
}

static void test_notify_roundtrip(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *a = NULL, *b = NULL;
        struct seccomp_rule r = {.name = (char *)"mount", .action = SECCOMP_ACT_NOTIFY_KIND};
        uint64_t args[6] = {0};

        (void)state;
        clear_cache();
        assert_int_equal(policy_add_seccomp_rule(p, &r), 0);
        a = build(p, false);
        b = build(p, true);
        assert_same(a, b);
        assert_true(b->has_notify);
        assert_int_equal(seccomp_program_denied_errno(b, syscall_group_resolve_name("mount"), args),
                         EPERM);
}

/* Another policy is another key. */
static void test_policy_change(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(), *q = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *a = NULL, *b = NULL, *c = NULL;
        struct seccomp_rule r = {
                .name = (char *)"uname", .action = SECCOMP_ACT_ERRNO_KIND, .errno_value = EXDEV};
        uint64_t args[6] = {0};

        (void)state;
        clear_cache();
        a = build(p, false);
        assert_int_equal(policy_add_seccomp_rule(q, &r), 0);
        b = build(q, false);
        c = build(q, true);
        assert_int_equal(seccomp_program_denied_errno(c, syscall_group_resolve_name("uname"), args),
                         EXDEV);
        assert_int_equal(seccomp_program_denied_errno(a, syscall_group_resolve_name("uname"), args),
                         0);
}

/* The imported JSON file's bytes are part of the key. */
static void test_json_change(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        _cleanup_(seccomp_program_freep) struct seccomp_program *a = NULL, *b = NULL;
        char json[128];
        uint64_t args[6] = {0};
        int fd;

        (void)state;
        clear_cache();
        snprintf(json, sizeof(json), "%s/profile.json", base);
        fd = open(json, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        assert_true(fd >= 0);
        assert_int_equal(loop_write(fd, "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", 35), 0);
        close(fd);
        p->seccomp_json = strdup(json);
        a = build(p, false);
        assert_int_equal(seccomp_program_denied_errno(a, syscall_group_resolve_name("uname"), args),
                         0);
        fd = open(json, O_WRONLY | O_TRUNC | O_CLOEXEC);
        assert_true(fd >= 0);
        const char *v2 = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": "
                         "[\"uname\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 18}]}";
        assert_int_equal(loop_write(fd, v2, strlen(v2)), 0);
        close(fd);
        b = build(p, false);
        assert_int_equal(seccomp_program_denied_errno(b, syscall_group_resolve_name("uname"), args),
                         EXDEV);
        unlink(json);
}

static void rewrite_byte(const char *path, off_t at, char c)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC);

        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, &c, 1, at), 1);
        close(fd);
}

static void test_damaged(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();
        char file[512];
        struct stat st;

        (void)state;
        clear_cache();
        seccomp_program_free(build(p, false));
        cache_file(file, sizeof(file));
        assert_int_equal(stat(file, &st), 0);

        /* a changed instruction: the checksum no longer fits */
        rewrite_byte(file, st.st_size - 3, 0x5a);
        seccomp_program_free(build(p, false));
        seccomp_program_free(build(p, true)); /* rebuilt and stored again */

        /* cut short */
        assert_int_equal(truncate(file, st.st_size - 8), 0);
        seccomp_program_free(build(p, false));
        seccomp_program_free(build(p, true));

        /* open to others */
        assert_int_equal(chmod(file, 0666), 0);
        seccomp_program_free(build(p, false));
        assert_int_equal(stat(file, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0600); /* replaced */
        seccomp_program_free(build(p, true));
}

/* A file of another policy under this policy's name is not taken. */
static void test_swapped(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(), *q = new_policy();
        struct seccomp_rule r = {
                .name = (char *)"uname", .action = SECCOMP_ACT_ERRNO_KIND, .errno_value = EXDEV};
        char pfile[512], qfile[512];

        (void)state;
        clear_cache();
        seccomp_program_free(build(p, false));
        cache_file(pfile, sizeof(pfile));
        assert_int_equal(policy_add_seccomp_rule(q, &r), 0);
        clear_cache();
        seccomp_program_free(build(q, false));
        cache_file(qfile, sizeof(qfile));
        assert_int_equal(rename(qfile, pfile), 0);
        seccomp_program_free(build(p, false));

        /* a symbolic link to a good file is not followed */
        clear_cache();
        seccomp_program_free(build(p, false));
        char moved[600];
        snprintf(moved, sizeof(moved), "%s/elsewhere", base);
        assert_int_equal(rename(pfile, moved), 0);
        assert_int_equal(symlink(moved, pfile), 0);
        seccomp_program_free(build(p, false));
        unlink(moved);
}

static void test_open_dir(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy();

        (void)state;
        clear_cache();
        seccomp_program_free(build(p, false));
        seccomp_program_free(build(p, true));
        assert_int_equal(chmod(dir, 0755), 0);
        seccomp_program_free(build(p, false));
        seccomp_program_free(build(p, false));
        assert_int_equal(chmod(dir, 0700), 0);
        seccomp_program_free(build(p, true));

        setenv("AIRLOCK_SECCOMP_CACHE", "0", 1);
        seccomp_program_free(build(p, false));
        unsetenv("AIRLOCK_SECCOMP_CACHE");
}

/* Every policy leaves a file; the folder keeps the most recent 64. */
static void test_prune(void **state)
{
        size_t files = 0;
        struct dirent *de;
        DIR *d;

        (void)state;
        clear_cache();
        for (int i = 1; i <= 70; i++) {
                _cleanup_(policy_freep) struct policy *p = new_policy();
                struct seccomp_rule r = {.name = (char *)"uname",
                                         .action = SECCOMP_ACT_ERRNO_KIND,
                                         .errno_value = i};
                assert_int_equal(policy_add_seccomp_rule(p, &r), 0);
                seccomp_program_free(build(p, false));
        }
        d = opendir(dir);
        assert_non_null(d);
        while ((de = readdir(d)))
                files += strncmp(de->d_name, "seccomp-", 8) == 0;
        closedir(d);
        assert_int_equal(files, 64);
}

static void test_dir_choice(void **state)
{
        char *d = NULL;

        (void)state;
        assert_int_equal(seccomp_cache_dir(&d), 0);
        assert_string_equal(d, dir);
        free(d);
        unsetenv("AIRLOCK_CACHE_DIR");
        setenv("XDG_CACHE_HOME", "/somewhere/cache", 1);
        assert_int_equal(seccomp_cache_dir(&d), 0);
        assert_string_equal(d, geteuid() == 0 ? "/var/cache/airlock" : "/somewhere/cache/airlock");
        free(d);
        unsetenv("XDG_CACHE_HOME");
        setenv("HOME", "/home/someone", 1);
        assert_int_equal(seccomp_cache_dir(&d), 0);
        assert_string_equal(d,
                            geteuid() == 0 ? "/var/cache/airlock" : "/home/someone/.cache/airlock");
        free(d);
        setenv("AIRLOCK_CACHE_DIR", dir, 1);
}

static int setup(void **state)
{
        (void)state;
        snprintf(base, sizeof(base), "/tmp/airlock-cache-test-XXXXXX");
        if (!mkdtemp(base))
                return -1;
        snprintf(dir, sizeof(dir), "%s/cache", base);
        setenv("AIRLOCK_CACHE_DIR", dir, 1);
        unsetenv("AIRLOCK_SECCOMP_CACHE");
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        chmod(dir, 0700);
        clear_cache();
        rmdir(dir);
        rmdir(base);
        return 0;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_roundtrip),     cmocka_unit_test(test_notify_roundtrip),
                cmocka_unit_test(test_policy_change), cmocka_unit_test(test_json_change),
                cmocka_unit_test(test_damaged),       cmocka_unit_test(test_swapped),
                cmocka_unit_test(test_open_dir),      cmocka_unit_test(test_prune),
                cmocka_unit_test(test_dir_choice),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
