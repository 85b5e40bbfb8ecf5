/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "basic/log.h"
#include "basic/paths.h"
#include "basic/strv.h"
#include "policy/profile-directives.h"
#include "policy/profile-lint.h"
#include "policy/profile.h"

static char scratch[] = "/tmp/test-profile.XXXXXX";

static int setup(void **state)
{
        static char data[64];

        (void)state;
        if (!mkdtemp(scratch))
                return -1;
        /* Variables and persist folders come from here, never from the real home. */
        setenv("HOME", scratch, 1);
        /* persist makes folders: below the scratch folder, never in /var/lib/airlock */
        snprintf(data, sizeof(data), "%s/data", scratch);
        setenv("XDG_DATA_HOME", data, 1);
        unsetenv("XDG_CONFIG_HOME");
        unsetenv("XDG_DOWNLOAD_DIR");
        setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);
        log_set_max_level(
                getenv("TEST_VERBOSE")
                        ? LOG_DEBUG
                        : LOG_CRIT); /* the malformed inputs below would fill the output */
        return 0;
}

static int teardown(void **state)
{
        char cmd[128];

        (void)state;
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
        return system(cmd) == 0 ? 0 : -1;
}

static int load(struct policy **ret, const char *text)
{
        int r = policy_new(ret);

        if (r < 0)
                return r;
        return profile_load_string(*ret, text, strlen(text), "test.profile");
}

static void write_file(const char *name, const char *text)
{
        char path[512];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", scratch, name);
        f = fopen(path, "we");
        assert_non_null(f);
        fputs(text, f);
        assert_int_equal(fclose(f), 0);
}

static int load_path(struct policy **ret, const char *name)
{
        char path[512];
        int r = policy_new(ret);

        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "%s/%s", scratch, name);
        return profile_load_into(*ret, path);
}

static void test_directives_apply(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;

        (void)state;
        assert_int_equal(load(&p, "# comment first\n"
                                  "airlock-profile 1\n"
                                  "\n"
                                  "  ro-bind /usr/share /data   # trailing comment\n"
                                  "net host\n"
                                  "env \"GREETING=hello world\"\n"
                                  "memory 64M\n"
                                  "timeout 1.5\n"
                                  "tmpfs /scratch\r\n"
                                  "seccomp-deny personality[a0!=0]=EINVAL\n"
                                  "seccomp-allow socket[a0==AF_UNIX,a1&0xf==1]\n"
                                  "seccomp-mode allowlist\n"
                                  "seccomp-errno ENOSYS\n"
                                  "allow-userns\n"),
                         0);
        assert_int_equal(p->n_mounts, 2);
        assert_int_equal(p->mounts[0].kind, MOUNT_RO_BIND);
        assert_string_equal(p->mounts[0].src, "/usr/share");
        assert_string_equal(p->mounts[0].dst, "/data");
        assert_int_equal(p->mounts[1].kind, MOUNT_TMPFS);
        assert_int_equal(p->net, NET_HOST);
        assert_string_equal(p->env[0], "GREETING=hello world");
        assert_int_equal(p->memory_max, 64 << 20);
        assert_int_equal(p->timeout_usec, 1500000);
        assert_int_equal(p->n_seccomp_rules, 2);
        assert_string_equal(p->seccomp_rules[0].name, "personality");
        assert_int_equal(p->seccomp_rules[0].action, SECCOMP_ACT_ERRNO_KIND);
        assert_int_equal(p->seccomp_rules[0].errno_value, EINVAL);
        assert_int_equal(p->seccomp_rules[0].n_conds, 1);
        assert_int_equal(p->seccomp_rules[0].conds[0].op, SECCOMP_CMP_NE_KIND);
        assert_int_equal(p->seccomp_rules[1].n_conds, 2);
        assert_int_equal(p->seccomp_rules[1].conds[0].value, 1); /* AF_UNIX */
        assert_int_equal(p->seccomp_rules[1].conds[1].op, SECCOMP_CMP_MASKED_EQ_KIND);
        assert_int_equal(p->seccomp_rules[1].conds[1].mask, 0xf);
        assert_int_equal(p->seccomp_mode, SECCOMP_MODE_ALLOWLIST);
        assert_int_equal(p->seccomp_default_errno, ENOSYS);
        assert_true(p->allow_userns);
}

static void test_variables_and_quotes(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        char want[600];

        (void)state;
        assert_int_equal(load(&p, "airlock-profile 1\n"
                                  "ro-bind ${HOME}/in \"/x y/${APP}\"\n"
                                  "ro-bind-try ${DOWNLOADS} '/lit/${HOME}'\n"
                                  "bind-try ${RUNTIME_DIR}/a /b\\ c\n"
                                  "env \"A=\\$x\\ttab\\x41\"\n"),
                         0);
        snprintf(want, sizeof(want), "%s/in", scratch);
        assert_string_equal(p->mounts[0].src, want);
        assert_string_equal(p->mounts[0].dst, "/x y/test");
        snprintf(want, sizeof(want), "%s/Downloads", scratch);
        assert_string_equal(p->mounts[1].src, want);
        assert_string_equal(p->mounts[1].dst, "/lit/${HOME}");
        assert_true(p->mounts[1].optional);
        assert_string_equal(p->mounts[2].src, "/run/user/4242/a");
        assert_string_equal(p->mounts[2].dst, "/b c");
        assert_string_equal(p->env[0], "A=$x\ttabA");
}

static void test_undo(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL, *d = NULL;

        (void)state;
        assert_int_equal(load(&p, "airlock-profile 1\n"
                                  "ro-bind /usr/share /a\n"
                                  "bind /tmp /b\n"
                                  "tmpfs /c\n"
                                  "bind /var/tmp /d\n"
                                  "unbind /a\n"
                                  "reset bind\n"
                                  "net host\n"
                                  "reset net\n"
                                  "env A=1\n"
                                  "env B=2\n"
                                  "unsetenv A\n"
                                  "seccomp-deny ptrace\n"
                                  "seccomp-allow read\n"
                                  "reset seccomp-deny\n"
                                  "memory 1G\n"
                                  "reset memory\n"
                                  "allow-userns\n"
                                  "reset allow-userns\n"),
                         0);
        assert_int_equal(p->n_mounts, 1);
        assert_string_equal(p->mounts[0].dst, "/c");
        assert_int_equal(p->net, NET_NONE);
        assert_int_equal(strv_length(p->env), 1);
        assert_string_equal(p->env[0], "B=2");
        assert_true(strv_contains(p->env_unset, "A"));
        assert_int_equal(p->n_seccomp_rules, 1);
        assert_string_equal(p->seccomp_rules[0].name, "read");
        assert_int_equal(policy_new(&d), 0);
        assert_int_equal(p->memory_max, d->memory_max); /* the built-in default again */
        assert_false(p->allow_userns);
}

static void test_include_and_extend(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;

        (void)state;
        write_file("base.profile", "airlock-profile 1\nnet host\nro-bind /usr/share /s\n");
        write_file("top.profile", "airlock-profile 1\ninclude base\nunbind /s\nhostname top\n");
        assert_int_equal(load_path(&p, "top.profile"), 0);
        assert_int_equal(p->net, NET_HOST);
        assert_int_equal(p->n_mounts, 0);
        assert_string_equal(p->hostname, "top");
        assert_int_equal(strv_length(p->profiles_loaded), 2);
}

static void test_include_cycle_and_depth(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL, *q = NULL, *s = NULL;
        char name[32], text[128];

        (void)state;
        write_file("cyc-a.profile", "airlock-profile 1\ninclude cyc-b\n");
        write_file("cyc-b.profile", "airlock-profile 1\ninclude ./cyc-a.profile\n");
        assert_int_equal(load_path(&p, "cyc-a.profile"), -ELOOP);
        write_file("self.profile", "airlock-profile 1\ninclude self\n");
        /* "include self" from self.profile found by path looks for the next "self" in the
         * search path and finds none. */
        assert_int_equal(load_path(&s, "self.profile"), -ENOENT);
        for (int i = 0; i < PROFILE_MAX_DEPTH + 2; i++) {
                snprintf(name, sizeof(name), "deep-%d.profile", i);
                snprintf(text, sizeof(text), "airlock-profile 1\ninclude deep-%d\n", i + 1);
                write_file(name, text);
        }
        write_file("deep-10.profile", "airlock-profile 1\n");
        assert_int_equal(load_path(&q, "deep-0.profile"), -ELOOP);
}

static void test_persist(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        char want[600];
        struct stat st;

        (void)state;
        assert_int_equal(load(&p, "airlock-profile 1\npersist /home/sandbox/.config/app\n"), 0);
        snprintf(want, sizeof(want), "%s/data/airlock/apps/test/home/sandbox/.config/app", scratch);
        assert_string_equal(p->mounts[0].src, want);
        assert_int_equal(p->mounts[0].kind, MOUNT_BIND);
        assert_int_equal(stat(want, &st), 0);
        assert_true(S_ISDIR(st.st_mode));
}

static const char *const bad[] = {
        "",                                       /* no version */
        "# only a comment\n",                     /* no version */
        "net none\n",                             /* directive before version */
        "airlock-profile 2\n",                    /* unsupported version */
        "airlock-profile\n",                      /* version without number */
        "airlock-profile 1 2\n",                  /* extra value */
        "airlock-profile 1\nairlock-profile 1\n", /* second version line */
        "airlock-profile 1\nfrobnicate\n",        /* unknown directive */
        "airlock-profile 1\nnet\n",               /* missing value */
        "airlock-profile 1\nnet wide\n",          /* bad value */
        "airlock-profile 1\nnet none host\n",     /* too many */
        "airlock-profile 1\nro-bind /a\n",        /* missing second */
        "airlock-profile 1\nro-bind a /b\n",      /* relative */
        "airlock-profile 1\nmemory lots\n",       /* bad size */
        "airlock-profile 1\npids 0\n",            /* bad number */
        "airlock-profile 1\ntimeout soon\n",      /* bad duration */
        "airlock-profile 1\nenv \"A=1\n",         /* unterminated quote */
        "airlock-profile 1\nenv A=$HOME\n",       /* bare $ */
        "airlock-profile 1\nbind ${NOPE} /x\n",   /* unknown variable */
        "airlock-profile 1\nbind ${HOME /x\n",    /* unclosed variable */
        "airlock-profile 1\nenv \"A=\\q\"\n",     /* bad escape */
        "airlock-profile 1\nenv \"A=\\x00\"\n",   /* NUL escape */
        "airlock-profile 1\nnet\001none\n",       /* control character */
        "airlock-profile 1\nnet \xff\xfe\n",      /* not UTF-8 */
        "airlock-profile 1\nseccomp-deny nosuchcall\n",
        "airlock-profile 1\nseccomp-deny @nosuchgroup\n",
        "airlock-profile 1\nseccomp-deny read[a9==1]\n",
        "airlock-profile 1\nseccomp-deny read[a0~1]\n",
        "airlock-profile 1\nseccomp-deny read[a0==1\n",
        "airlock-profile 1\nseccomp-deny read[]\n",
        "airlock-profile 1\nseccomp-allow read=EPERM\n",
        "airlock-profile 1\nseccomp-deny read=EWHAT\n",
        "airlock-profile 1\nseccomp-mode sometimes\n",
        "airlock-profile 1\nseccomp-errno 0\n",
        "airlock-profile 1\nunbind /never-mounted\n",
        "airlock-profile 1\nreset nothing\n",
        "airlock-profile 1\nprofile default\n", /* command-line only */
        "airlock-profile 1\npass-fd 3\n",       /* command-line only */
        "airlock-profile 1\ninclude no-such-profile-anywhere\n",
        "airlock-profile 1\ninclude ../x\n",
        "airlock-profile 1\npersist /a/../b\n",
        "airlock-profile 1\nhome relative\n",
        "airlock-profile 1\nallow-userns yes\n",
};

static void test_malformed(void **state)
{
        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_(policy_freep) struct policy *p = NULL;
                int r = load(&p, bad[i]);

                if (r >= 0)
                        fail_msg("accepted bad profile #%zu: %s", i, bad[i]);
        }
}

static void test_huge_and_binary(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL, *q = NULL;
        _cleanup_free_ char *huge = malloc(PROFILE_MAX_LINE + 64);
        const char bin[] = "airlock-profile 1\nnet \0none\n";

        (void)state;
        assert_non_null(huge);
        strcpy(huge, "airlock-profile 1\nenv A=");
        memset(huge + strlen(huge), 'x', PROFILE_MAX_LINE);
        huge[strlen("airlock-profile 1\nenv A=") + PROFILE_MAX_LINE] = 0;
        assert_int_equal(load(&p, huge), -E2BIG);
        assert_int_equal(policy_new(&q), 0);
        assert_int_equal(profile_load_string(q, bin, sizeof(bin) - 1, "bin.profile"), -EBADMSG);
}

static void test_rule_round_trip(void **state)
{
        static const char *const rules[] = {
                "read",
                "@mount",
                "personality[a0!=0]=EINVAL",
                "socket[a0==0x10]",
                "clone[a0&0x10000000==0]",
                "ioctl[a1==0x5412,a0<3,a2>=0x10]",
                "keyctl=ENOSYS",
                "ptrace=77",
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
                struct seccomp_rule rule;
                const char *reason = NULL;
                _cleanup_free_ char *text = NULL;

                assert_int_equal(
                        seccomp_rule_parse(rules[i], SECCOMP_ACT_ERRNO_KIND, &rule, &reason), 0);
                assert_int_equal(seccomp_rule_format(&rule, &text), 0);
                assert_string_equal(text, rules[i]);
                free(rule.name);
        }
}

/* Writes p, loads the text again and writes that: both texts must be the same. */
static void assert_round_trip(const struct policy *p, const char *what)
{
        _cleanup_free_ char *first = NULL, *second = NULL;
        _cleanup_(policy_freep) struct policy *again = NULL;
        size_t n1 = 0, n2 = 0;
        FILE *f = open_memstream(&first, &n1);

        assert_non_null(f);
        assert_int_equal(profile_write(f, p), 0);
        fclose(f);
        assert_int_equal(policy_new(&again), 0);
        if (profile_load_string(again, first, n1, "shown.profile") < 0)
                fail_msg("output of %s does not load:\n%s", what, first);
        /* the comments name the files loaded; the policy itself must not differ */
        strv_free(again->profiles_loaded);
        again->profiles_loaded = NULL;
        free(again->profile_name);
        again->profile_name = p->profile_name ? strdup(p->profile_name) : NULL;
        if (p->profiles_loaded)
                for (char **s = p->profiles_loaded; *s; s++)
                        assert_int_equal(strv_extend(&again->profiles_loaded, *s), 0);
        f = open_memstream(&second, &n2);
        assert_non_null(f);
        assert_int_equal(profile_write(f, again), 0);
        fclose(f);
        if (!streq(first, second))
                fail_msg("%s does not round-trip:\n%s\n----\n%s", what, first, second);
        assert_int_equal(again->n_mounts, p->n_mounts);
        assert_int_equal(again->n_seccomp_rules, p->n_seccomp_rules);
        assert_int_equal(again->memory_max, p->memory_max);
        assert_int_equal(again->net, p->net);
}

static void test_shipped_round_trip(void **state)
{
        _cleanup_free_ char *dir = NULL;
        struct dirent *de;
        unsigned n = 0;
        DIR *d;

        (void)state;
        assert_int_equal(data_path("profiles", &dir), 0);
        d = opendir(dir);
        assert_non_null(d);
        while ((de = readdir(d))) {
                _cleanup_(policy_freep) struct policy *p = NULL;
                char path[1024];

                if (!strstr(de->d_name, PROFILE_SUFFIX))
                        continue;
                snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                assert_int_equal(policy_new(&p), 0);
                if (profile_load_into(p, path) < 0)
                        fail_msg("shipped profile %s does not load", path);
                assert_round_trip(p, path);
                n++;
        }
        closedir(d);
        assert_true(n >= 11);
}

static void test_odd_values_round_trip(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;

        (void)state;
        assert_int_equal(load(&p, "airlock-profile 1\n"
                                  "env \"Q=a \\\"quoted\\\" \\$ \\\\ value\\nnext\\x01\"\n"
                                  "env \"H=#not a comment\"\n"
                                  "ro-bind /usr/share \"/with space/ünïcode\"\n"
                                  "cpus 0.3\n"
                                  "memory 1000001\n"
                                  "memory-rlimit data\n"
                                  "tmpfs-size 3G\n"
                                  "timeout 0.0015\n"
                                  "uid 1234\n"
                                  "gid 99\n"
                                  "seccomp-kill @module\n"
                                  "seccomp-log ptrace\n"
                                  "seccomp-notify openat[a2&0x3==0x1]\n"
                                  "pty\ntrace\nno-landlock\n"
                                  "require landlock\n"
                                  "seccomp-json /nonexistent.json\n"
                                  "symlink usr/bin /bin2\n"
                                  "dir /d\n"
                                  "dev-bind /dev/null /dev/null2\n"),
                         0);
        assert_round_trip(p, "odd values");
}

/* "env" after "unsetenv" of the same name sets it again (the launcher removes, then sets):
 * "profile show" must keep it so. It wrote the env lines first, and the unsetenv below them
 * then dropped them on load (found by fuzz-profile). */
static void test_env_after_unsetenv_round_trip(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;

        (void)state;
        assert_int_equal(load(&p, "airlock-profile 1\n"
                                  "env A=1\n"
                                  "unsetenv A\n"
                                  "env A=2\n"
                                  "unsetenv LANG\n"),
                         0);
        assert_non_null(p->env);
        assert_string_equal(p->env[0], "A=2");
        assert_null(p->env[1]);
        assert_round_trip(p, "env after unsetenv");
}

/* Every directive of the option table must survive "profile show". */
static void test_table_covered(void **state)
{
        (void)state;
        for (size_t i = 0; i < policy_options_count; i++) {
                bool found = false;

                if (policy_options[i].flags & OPTION_CLI_ONLY)
                        continue;
                for (const char *const *d = profile_written_directives; *d; d++)
                        found = found || streq(*d, policy_options[i].name);
                if (!found)
                        fail_msg("directive '%s' is not written by profile show",
                                 policy_options[i].name);
        }
}

static void test_lint(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL, *q = NULL;
        struct lint_finding *f = NULL;
        int n;

        (void)state;
        assert_int_equal(load(&p, "airlock-profile 1\nmemory 1G\npids 10\n"), 0);
        n = profile_lint(p, &f);
        assert_int_equal(n, 0);
        assert_string_equal(profile_lint_rating(f, 0), "restricted");
        free(f);
        f = NULL;
        assert_int_equal(load(&q, "airlock-profile 1\nnet host\nbind / /host\nallow-userns\n"
                                  "seccomp-allow ptrace\ndev-bind /dev/null /dev/x\n"
                                  "ro-bind /etc/shadow /s\nmemory 1G\npids 10\n"),
                         0);
        n = profile_lint(q, &f);
        assert_int_equal(n, 6);
        assert_int_equal(f[0].level, LINT_CRITICAL); /* bind / */
        assert_string_equal(profile_lint_rating(f, (size_t)n), "privileged");
        lint_findings_free(f, (size_t)n);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_directives_apply),
                cmocka_unit_test(test_variables_and_quotes),
                cmocka_unit_test(test_undo),
                cmocka_unit_test(test_include_and_extend),
                cmocka_unit_test(test_include_cycle_and_depth),
                cmocka_unit_test(test_persist),
                cmocka_unit_test(test_malformed),
                cmocka_unit_test(test_huge_and_binary),
                cmocka_unit_test(test_rule_round_trip),
                cmocka_unit_test(test_env_after_unsetenv_round_trip),
                cmocka_unit_test(test_shipped_round_trip),
                cmocka_unit_test(test_odd_values_round_trip),
                cmocka_unit_test(test_table_covered),
                cmocka_unit_test(test_lint),
        };

        return cmocka_run_group_tests(tests, setup, teardown);
}
