/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Pod Security rules over a config.json (src/policy/podsec.c): the levels, and a bind
 * source judged where the runtime mounts it (relative to the bundle, lexically and with links
 * followed), whatever the working folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "policy/podsec.h"

/* A spec that meets restricted, with mounts (JSON array members) and process_extra (members
 * of process, after a comma) spliced in. */
static json_object *spec_with(const char *mounts, const char *process_extra)
{
        char text[4096];
        json_object *o;

        snprintf(text, sizeof(text),
                 "{\"process\": {\"user\": {\"uid\": 1000}, \"noNewPrivileges\": true%s},"
                 " \"mounts\": [%s],"
                 " \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"ipc\"},"
                 " {\"type\": \"network\"}, {\"type\": \"uts\"}, {\"type\": \"mount\"}],"
                 " \"maskedPaths\": [\"/proc/kcore\"],"
                 " \"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\"}}}",
                 process_extra, mounts);
        o = json_tokener_parse(text);
        assert_non_null(o);
        return o;
}

/* The violations of spec as "level:rule:field" lines, and its level. */
static enum podsec_level rate(json_object *spec, const char *base, char *out, size_t size)
{
        struct podsec_report r = {};
        enum podsec_level level;

        assert_int_equal(podsec_check(spec, base, &r), 0);
        out[0] = 0;
        for (size_t i = 0; i < r.n; i++)
                snprintf(out + strlen(out), size - strlen(out), "%s:%s:%s\n",
                         podsec_level_to_string(r.violations[i].level), r.violations[i].rule,
                         r.violations[i].field);
        level = podsec_level(&r);
        podsec_report_done(&r);
        json_object_put(spec);
        return level;
}

static void test_levels(void **state)
{
        char out[1024];

        (void)state;
        assert_int_equal(rate(spec_with("", ""), "/b", out, sizeof(out)), PODSEC_RESTRICTED);
        assert_string_equal(out, "");
        assert_int_equal(rate(spec_with("", ", \"capabilities\": {\"bounding\": [\"CAP_KILL\","
                                            " \"CAP_NET_BIND_SERVICE\", \"CAP_NOT_ONE\"]}"),
                              "/b", out, sizeof(out)),
                         PODSEC_BASELINE);
        assert_string_equal(out, "restricted:capabilities:process.capabilities.bounding\n");
        assert_int_equal(rate(spec_with("", ", \"capabilities\": {\"ambient\": [\"CAP_BPF\"]}"),
                              "/b", out, sizeof(out)),
                         PODSEC_PRIVILEGED);
        assert_string_equal(out, "baseline:capabilities:process.capabilities.ambient\n");
}

/* Whether a mount of source with type (relative to base) breaks host-path. */
static bool host_path(const char *source, const char *type, const char *base)
{
        char mounts[512], out[1024];

        snprintf(mounts, sizeof(mounts),
                 "{\"destination\": \"/h\", \"type\": \"%s\", \"source\": \"%s\"}", type, source);
        rate(spec_with(mounts, ""), base, out, sizeof(out));
        return strstr(out, "baseline:host-path:mounts[0].source") != NULL;
}

static void test_host_path(void **state)
{
        static const char *const below[] = {"a", "b", "c", "d", "e", "f"};
        char tmpl[] = "/tmp/test-podsec.XXXXXX", deep[256], up[64] = "", old[4096];
        const char *dir = mkdtemp(tmpl);
        int depth = 0;

        (void)state;
        assert_non_null(dir);
        for (const char *p = dir; *p; p++)
                depth += *p == '/';
        for (int i = 0; i < depth; i++)
                strcat(up, i ? "/.." : "..");
        /* run from a working folder deeper than the bundle, where the same text is not / */
        snprintf(deep, sizeof(deep), "%s", dir);
        for (size_t i = 0; i < sizeof(below) / sizeof(below[0]); i++) {
                snprintf(deep + strlen(deep), sizeof(deep) - strlen(deep), "/%s", below[i]);
                assert_int_equal(mkdir(deep, 0700), 0);
        }
        assert_non_null(getcwd(old, sizeof(old)));
        assert_int_equal(chdir(deep), 0);
        assert_true(host_path(up, "bind", dir));
        assert_true(host_path(".", "bind", "/"));
        assert_true(host_path("proc", "bind", "/"));
        assert_true(host_path("/", "none", dir));
        assert_true(host_path("/proc/../sys/.", "bind", dir));
        assert_true(host_path("/run/containerd", "bind", dir));
        assert_true(host_path("/var/run/docker.sock", "bind", dir));
        assert_false(host_path("data", "bind", dir));
        assert_false(host_path("/srv", "bind", dir));
        assert_false(host_path("/procfoo", "bind", dir));
        assert_false(host_path("/", "tmpfs", dir));
        assert_int_equal(chdir(old), 0);
        for (size_t i = sizeof(below) / sizeof(below[0]); i > 0; i--) {
                assert_int_equal(rmdir(deep), 0);
                *strrchr(deep, '/') = 0;
        }
        assert_int_equal(rmdir(dir), 0);
}

static void test_runtime_refuses(void **state)
{
        struct podsec_violation v = {.level = PODSEC_BASELINE, .rule = "host-path"};

        (void)state;
        assert_true(podsec_refused_by_runtime(&v));
        v.rule = "sysctls";
        assert_false(podsec_refused_by_runtime(&v));
        v = (struct podsec_violation){.level = PODSEC_RESTRICTED, .rule = "seccomp"};
        assert_false(podsec_refused_by_runtime(&v));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_levels),
                cmocka_unit_test(test_host_path),
                cmocka_unit_test(test_runtime_refuses),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
