/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Accounting and the report's "resources" object: how the end of a run is classified and
 * what each limit is said to be enforced by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <signal.h>

#include "resources/resources.h"

/* A run without any cgroup, as an unprivileged user gets it. */
static void fallback_run(struct resources *r, struct policy **ret_p)
{
        struct policy *p = NULL;

        assert_int_equal(policy_new(&p), 0);
        p->memory_max = 64 << 20;
        p->pids_max = 100;
        p->cpus = 0.5;
        p->timeout_usec = 2000000;
        *r = (struct resources){.memory_max = p->memory_max,
                                .pids_max = p->pids_max,
                                .cpus = p->cpus,
                                .timeout_usec = p->timeout_usec,
                                .tmpfs_size = p->tmpfs_size};
        r->n_fallback = cgroup_fallback_rlimits(p, 0, r->fallback, RESOURCES_FALLBACK_MAX);
        *ret_p = p;
}

static const char *get_string(struct json_object *o, const char *a, const char *b)
{
        struct json_object *v = NULL;

        assert_true(json_object_object_get_ex(o, a, &v));
        if (b)
                assert_true(json_object_object_get_ex(v, b, &v));
        return json_object_get_string(v);
}

static void test_fallback_report(void **state)
{
        struct resources r;
        struct policy *p;
        struct rusage ru = {.ru_utime = {.tv_sec = 1, .tv_usec = 5}, .ru_maxrss = 1000};
        struct json_object *o, *limits, *v;

        (void)state;
        fallback_run(&r, &p);
        resources_started(&r);
        resources_finish(&r, 3 << 8, &ru, false); /* exit status 3 */
        assert_int_equal(r.end, RESOURCES_END_EXIT);
        o = resources_to_json(&r);
        assert_non_null(o);
        assert_string_equal(get_string(o, "backend", NULL), "rlimit");
        assert_string_equal(get_string(o, "end", NULL), "exit");
        assert_true(json_object_object_get_ex(o, "limits", &limits));
        assert_string_equal(get_string(limits, "memory", "enforced_by"), "rlimit");
        assert_string_equal(get_string(limits, "pids", "enforced_by"), "rlimit");
        assert_string_equal(get_string(limits, "cpus", "enforced_by"), "none");
        assert_true(json_object_object_get_ex(o, "cpu_usec", &v));
        assert_int_equal(json_object_get_uint64(v), 1000005);
        assert_true(json_object_object_get_ex(o, "memory_peak", &v));
        assert_int_equal(json_object_get_uint64(v), 1024000);
        /* unknown without a cgroup: null, never a made-up false */
        assert_true(json_object_object_get_ex(o, "pids_limit_hit", &v));
        assert_null(v);
        assert_true(json_object_object_get_ex(o, "exit_status", &v));
        assert_int_equal(json_object_get_int(v), 3);
        json_object_put(o);
        policy_free(p);
}

static void test_end_reasons(void **state)
{
        struct resources r;
        struct policy *p;

        (void)state;
        fallback_run(&r, &p);
        resources_finish(&r, SIGKILL, NULL, true);
        assert_int_equal(r.end, RESOURCES_END_TIMEOUT);
        resources_finish(&r, SIGTERM, NULL, false);
        assert_int_equal(r.end, RESOURCES_END_SIGNAL);
        assert_int_equal(r.term_signal, SIGTERM);
        /* a SIGKILL with an OOM kill counted by the cgroup is the memory limit */
        r.have_stats = false;
        r.stats.oom_kills = 1;
        r.enforced = CGROUP_LIMIT_MEMORY | CGROUP_LIMIT_PIDS | CGROUP_LIMIT_CPU;
        resources_finish(&r, SIGKILL, NULL, false);
        assert_int_equal(r.end, RESOURCES_END_SIGNAL); /* no cgroup: cannot tell */
        policy_free(p);
}

static void test_setup_and_release(void **state)
{
        struct resources r;
        struct policy *p = NULL;

        (void)state;
        assert_int_equal(policy_new(&p), 0);
        assert_int_equal(resources_setup(p, &r), 0);
        if (r.cg) {
                /* root: every default limit in the cgroup, nothing left to rlimits */
                assert_true(r.enforced & CGROUP_LIMIT_MEMORY);
                assert_true(r.enforced & CGROUP_LIMIT_PIDS);
                assert_int_equal(r.n_fallback, 0);
        } else {
                assert_int_equal(r.n_fallback, 3); /* AS, NPROC, FSIZE (no timeout) */
        }
        resources_release(&r);
        resources_release(&r);
        assert_null(r.cg);
        policy_free(p);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_fallback_report),
                cmocka_unit_test(test_end_reasons),
                cmocka_unit_test(test_setup_and_release),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
