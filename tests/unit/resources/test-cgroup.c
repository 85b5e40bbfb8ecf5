/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cgroup back ends. As root on a cgroup v1 machine the v1 tests create real cgroups
 * beneath the test's own, hit the pids and memory limits with forked children and remove
 * everything. The "v2 layout" tests run the v2 file-level logic against a plain directory
 * laid out like cgroup2 (this machine's cgroup2 has no controllers): they are layout tests,
 * not kernel tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "basic/fileio.h"
#include "resources/cgroup-internal.h"

static struct policy *new_policy(uint64_t memory, uint64_t pids, double cpus)
{
        struct policy *p = NULL;

        assert_int_equal(policy_new(&p), 0);
        p->memory_max = memory;
        p->pids_max = pids;
        p->cpus = cpus;
        return p;
}

static char *read_file_at(const char *dir, const char *file)
{
        char path[4096];
        char *buf = NULL;

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        assert_int_equal(read_full_file(path, &buf, NULL, 0), 0);
        return buf;
}

static void put_file(const char *dir, const char *file, const char *content)
{
        char path[4096];
        int fd;

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        assert_true(fd >= 0);
        assert_int_equal(loop_write(fd, content, strlen(content)), 0);
        close(fd);
}

static bool exists(const char *path)
{
        struct stat st;

        return stat(path, &st) == 0;
}

/* ---- v2 layout tests ---- */

static const char *const v2_files[] = {
        "cgroup.procs",     "cgroup.events", "cgroup.kill",   "memory.max", "memory.swap.max",
        "memory.oom.group", "memory.peak",   "memory.events", "pids.max",   "pids.peak",
        "pids.events",      "cpu.max",       "cpu.stat",      "cpu.weight", "memory.low",
        "cpuset.cpus",      "cpuset.mems",
};

/* Lays out the files the kernel creates in a new cgroup2 directory (empty, so that what the
 * back end writes can be read back exactly). */
static int fake_mkdirat(int dirfd, const char *name)
{
        char path[4096];
        int fd;

        if (mkdirat(dirfd, name, 0755) < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(v2_files); i++) {
                snprintf(path, sizeof(path), "%s/%s", name, v2_files[i]);
                fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
                if (fd < 0)
                        return -errno;
                if (streq(v2_files[i], "cgroup.events"))
                        (void)!write(fd, "populated 0\nfrozen 0\n", 21);
                close(fd);
        }
        return 0;
}

static int fake_rmdirat(int dirfd, const char *name)
{
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d;
        struct dirent *de;

        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        while ((de = readdir(d)))
                if (de->d_type == DT_REG)
                        unlinkat(fd, de->d_name, 0);
        closedir(d);
        return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

static int (*real_mkdirat)(int, const char *);
static int (*real_rmdirat)(int, const char *);
static char layout_root[] = "/tmp/airlock-cgroup2-layout.XXXXXX";

static int layout_setup(void **state)
{
        (void)state;
        strcpy(layout_root, "/tmp/airlock-cgroup2-layout.XXXXXX");
        if (!mkdtemp(layout_root))
                return -1;
        put_file(layout_root, "cgroup.subtree_control", "cpu memory pids\n");
        put_file(layout_root, "cgroup.procs", "1\n");
        real_mkdirat = cgroup_mkdirat;
        real_rmdirat = cgroup_rmdirat;
        cgroup_mkdirat = fake_mkdirat;
        cgroup_rmdirat = fake_rmdirat;
        return 0;
}

static int layout_teardown(void **state)
{
        char cmd[4200];

        (void)state;
        cgroup_mkdirat = real_mkdirat;
        cgroup_rmdirat = real_rmdirat;
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", layout_root);
        return system(cmd) == 0 ? 0 : -1;
}

static void test_v2_layout_limits_stats_kill(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(64 << 20, 50, 0.5);
        struct cgroup *cg = NULL;
        _cleanup_free_ char *path = NULL;
        struct cgroup_stats s = {0};
        char *buf;

        (void)state;
        assert_int_equal(cgroup_v2_setup_at(layout_root, p, &cg), 0);
        assert_string_equal(cgroup_backend_name(cg), "v2");
        path = strdup(cg->dirs[0].path);
        assert_true(startswith(cg->name, CGROUP_NAME_PREFIX));
        assert_false(cgroup_name_is_stale(cg->name)); /* we are alive */

#define EXPECT_FILE(f, want)                    \
        do {                                    \
                buf = read_file_at(path, f);    \
                assert_string_equal(buf, want); \
                free(buf);                      \
        } while (0)
        EXPECT_FILE("memory.max", "67108864");
        EXPECT_FILE("memory.swap.max", "0");
        EXPECT_FILE("memory.oom.group", "1");
        EXPECT_FILE("pids.max", "50");
        EXPECT_FILE("cpu.max", "50000 100000");
        assert_int_equal(cgroup_enforced(cg), CGROUP_LIMIT_MEMORY | CGROUP_LIMIT_PIDS |
                                                      CGROUP_LIMIT_CPU | CGROUP_KILL_TREE);
        assert_true(cgroup_clone_fd(cg) >= 0);

        assert_int_equal(cgroup_attach(cg, 4242), 0);
        EXPECT_FILE("cgroup.procs", "4242");

        /* what the kernel would report after a run that hit both limits */
        put_file(path, "memory.peak", "67100000\n");
        put_file(path, "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n");
        put_file(path, "pids.peak", "50\n");
        put_file(path, "pids.events", "max 7\n");
        put_file(path, "cpu.stat",
                 "usage_usec 5000\nuser_usec 3000\nsystem_usec 2000\n"
                 "nr_periods 10\nnr_throttled 4\nthrottled_usec 900\n");
        assert_int_equal(cgroup_read_stats(cg, &s), 0);
        assert_int_equal(s.cpu_usec, 5000);
        assert_int_equal(s.cpu_user_usec, 3000);
        assert_int_equal(s.cpu_system_usec, 2000);
        assert_int_equal(s.cpu_nr_throttled, 4);
        assert_int_equal(s.cpu_throttled_usec, 900);
        assert_int_equal(s.memory_peak, 67100000);
        assert_int_equal(s.memory_max_events, 3);
        assert_int_equal(s.oom_kills, 2);
        assert_true(s.memory_limit_hit);
        assert_int_equal(s.pids_peak, 50);
        assert_int_equal(s.pids_max_events, 7);
        assert_true(s.pids_limit_hit);

        put_file(path, "cgroup.events", "populated 1\nfrozen 0\n");
        assert_true(cgroup_populated(cg));
        assert_int_equal(cgroup_kill(cg), 0);
        EXPECT_FILE("cgroup.kill", "1");
        put_file(path, "cgroup.events", "populated 0\nfrozen 0\n");
        assert_false(cgroup_populated(cg));
        cgroup_destroy(cg);
        assert_false(exists(path));
#undef EXPECT_FILE
}

static void test_v2_layout_quiet_run(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(1 << 30, 1024, 0);
        struct cgroup *cg = NULL;
        struct cgroup_stats s = {0};

        (void)state;
        assert_int_equal(cgroup_v2_setup_at(layout_root, p, &cg), 0);
        /* no --cpus: no cpu.max written, CPU not reported as limited */
        assert_int_equal(cgroup_enforced(cg) & CGROUP_LIMIT_CPU, 0);
        put_file(cg->dirs[0].path, "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
        put_file(cg->dirs[0].path, "pids.events", "max 0\n");
        assert_int_equal(cgroup_read_stats(cg, &s), 0);
        assert_false(s.memory_limit_hit);
        assert_false(s.pids_limit_hit);
        assert_int_equal(s.oom_kills, 0);
        cgroup_destroy(cg);
}

static void test_v2_layout_not_delegated(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(64 << 20, 50, 0);
        struct cgroup *cg = NULL;
        DIR *d;
        struct dirent *de;

        (void)state;
        put_file(layout_root, "cgroup.subtree_control", "cpu\n");
        assert_int_equal(cgroup_v2_setup_at(layout_root, p, &cg), -EOPNOTSUPP);
        assert_null(cg);
        d = opendir(layout_root);
        assert_non_null(d);
        while ((de = readdir(d)))
                assert_false(startswith(de->d_name, CGROUP_NAME_PREFIX));
        closedir(d);
        put_file(layout_root, "cgroup.subtree_control", "cpu memory pids\n");
}

/* A cgroup made for airlock ("systemd-run --scope -p Delegate=yes airlock run"): it offers
 * the controllers but delegates none, and airlock is its only process. airlock moves itself
 * into a leaf, enables the controllers, and leaves everything as found at the end. */
static void test_v2_layout_take_over(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(64 << 20, 50, 0.5);
        struct cgroup *cg = NULL;
        char me[32], leaf[4200], sandbox[4200];
        char *buf;

        (void)state;
        snprintf(me, sizeof(me), "%d\n", (int)getpid());
        put_file(layout_root, "cgroup.controllers", "cpu io memory pids\n");
        put_file(layout_root, "cgroup.subtree_control", "");
        put_file(layout_root, "cgroup.procs", me);

        assert_int_equal(cgroup_v2_setup_at(layout_root, p, &cg), 0);
        snprintf(leaf, sizeof(leaf), "%s/%s.supervisor", layout_root, cg->name);
        snprintf(sandbox, sizeof(sandbox), "%s", cg->dirs[0].path);
        buf = read_file_at(leaf, "cgroup.procs"); /* airlock moved itself out of the way */
        assert_int_equal(atoi(buf), getpid());
        free(buf);
        buf = read_file_at(layout_root, "cgroup.subtree_control");
        assert_string_equal(buf, "+memory +pids +cpu");
        free(buf);
        buf = read_file_at(sandbox, "memory.max");
        assert_string_equal(buf, "67108864");
        free(buf);
        assert_int_equal(cgroup_enforced(cg) & CGROUP_LIMIT_CPU, CGROUP_LIMIT_CPU);

        cgroup_destroy(cg);
        assert_false(exists(sandbox));
        assert_false(exists(leaf));
        buf = read_file_at(layout_root, "cgroup.subtree_control"); /* controllers disabled */
        assert_string_equal(buf, "-memory -pids -cpu");
        free(buf);
        buf = read_file_at(layout_root, "cgroup.procs"); /* and airlock moved back */
        assert_int_equal(atoi(buf), getpid());
        free(buf);

        /* another process in the cgroup: not made for airlock, leave it alone */
        put_file(layout_root, "cgroup.subtree_control", "");
        put_file(layout_root, "cgroup.procs", "1\n");
        assert_int_equal(cgroup_v2_setup_at(layout_root, p, &cg), -EOPNOTSUPP);
        buf = read_file_at(layout_root, "cgroup.subtree_control");
        assert_string_equal(buf, "");
        free(buf);
        put_file(layout_root, "cgroup.subtree_control", "cpu memory pids\n");
}

/* OCI's cpu.shares onto cpu.weight, and memory + swap onto memory.swap.max, as runc and crun
 * map them (this machine's cgroup2 has no controller to write them to for real). */
static void test_v2_mapping(void **state)
{
        int64_t swap = 0;

        (void)state;
        assert_int_equal(cgroup_v2_cpu_weight(0), 0); /* unset stays unset */
        assert_int_equal(cgroup_v2_cpu_weight(2), 1);
        assert_int_equal(cgroup_v2_cpu_weight(1024), 39); /* runc's 1 + 1022 * 9999 / 262142 */
        assert_int_equal(cgroup_v2_cpu_weight(2048), 79);
        assert_int_equal(cgroup_v2_cpu_weight(262144), 10000);
        assert_int_equal(cgroup_v2_swap_max(-1, 1 << 20, &swap), 0);
        assert_int_equal(swap, -1); /* "max" */
        assert_int_equal(cgroup_v2_swap_max(3 << 20, 1 << 20, &swap), 0);
        assert_int_equal(swap, 2 << 20); /* swap alone, beyond memory */
        assert_int_equal(cgroup_v2_swap_max(1 << 20, 1 << 20, &swap), 0);
        assert_int_equal(swap, 0);
        assert_int_equal(cgroup_v2_swap_max(1 << 19, 1 << 20, &swap), -EINVAL);
        assert_int_equal(cgroup_v2_swap_max(1 << 20, 0, &swap), -EINVAL); /* no memory limit */
}

/* The settings written to the sandbox's own v2 cgroup, in v2's files and units. */
static void test_v2_layout_settings(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(50593792, 50, 0);
        struct policy_cgroup_settings *s = &p->cgroup_settings;
        struct cgroup *cg = NULL;
        char *buf;

        (void)state;
        put_file(layout_root, "cgroup.subtree_control", "cpu cpuset memory pids\n");
        s->set = POLICY_CG_CPU_SHARES | POLICY_CG_CPU_PERIOD | POLICY_CG_CPU_QUOTA |
                 POLICY_CG_CPUS | POLICY_CG_MEMS | POLICY_CG_MEMORY_RESERVATION |
                 POLICY_CG_MEMORY_SWAP | POLICY_CG_MEMORY_KERNEL;
        s->cpu_shares = 2048;
        s->cpu_period_usec = 500000;
        s->cpu_quota_usec = 200000;
        p->cpus = 0.4;
        s->cpus = strdup("0-1");
        s->mems = strdup("0");
        s->memory_reservation = 40000000;
        s->memory_swap = 60000000;
        s->memory_kernel = 1; /* no v2 file: ignored, as the spec's parser says */
        assert_int_equal(cgroup_v2_setup_at(layout_root, p, &cg), 0);
#define EXPECT_FILE(f, want)                             \
        do {                                             \
                buf = read_file_at(cg->dirs[0].path, f); \
                assert_string_equal(buf, want);          \
                free(buf);                               \
        } while (0)
        EXPECT_FILE("cpu.weight", "79");
        EXPECT_FILE("cpu.max", "200000 500000");
        EXPECT_FILE("cpuset.cpus", "0-1");
        EXPECT_FILE("cpuset.mems", "0");
        EXPECT_FILE("memory.max", "50593792");
        EXPECT_FILE("memory.low", "40000000");
        EXPECT_FILE("memory.swap.max", "9406208");
#undef EXPECT_FILE
        assert_true(cgroup_enforced(cg) & CGROUP_LIMIT_CPU);
        cgroup_destroy(cg);

        /* quota -1: no limit, the period kept */
        s->set = POLICY_CG_CPU_PERIOD | POLICY_CG_CPU_QUOTA;
        s->cpu_quota_usec = -1;
        p->cpus = 0;
        assert_int_equal(cgroup_v2_setup_at(layout_root, p, &cg), 0);
        buf = read_file_at(cg->dirs[0].path, "cpu.max");
        assert_string_equal(buf, "max 500000");
        free(buf);
        cgroup_destroy(cg);

        put_file(layout_root, "cgroup.subtree_control", "cpu memory pids\n");
}

/* What v2 cannot hold is refused naming the field, as runc refuses realtime there; nothing is
 * left behind. */
static void test_v2_layout_refusals(void **state)
{
        static const struct {
                unsigned set;
                const char *failure;
        } cases[] = {
                {POLICY_CG_CPU_RT_RUNTIME, "linux.resources.cpu.realtimeRuntime: cgroup v2 has "
                                           "no such setting (only v1 has)"},
                {POLICY_CG_MEMORY_SWAPPINESS, "linux.resources.memory.swappiness: cgroup v2 "
                                              "has no such setting (only v1 has)"},
                {POLICY_CG_MEMORY_NO_OOM_KILLER, "linux.resources.memory.disableOOMKiller: "
                                                 "cgroup v2 has no such setting (only v1 has)"},
                {POLICY_CG_CPUS, "linux.resources.cpu.cpus: the cpuset controller is not "
                                 "delegated to airlock's cgroup"},
                {POLICY_CG_MEMORY_SWAP, "linux.resources.memory.swap: memory + swap must be -1 "
                                        "or at least memory.limit, which must be set"},
        };

        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(policy_freep) struct policy *p = new_policy(0, 50, 0);
                struct cgroup *cg = NULL;
                DIR *d;
                struct dirent *de;

                p->cgroup_settings.set = cases[i].set;
                p->cgroup_settings.cpus = strdup("0");
                p->cgroup_settings.memory_swap = 1 << 20;
                assert_true(cgroup_v2_setup_at(layout_root, p, &cg) < 0);
                assert_null(cg);
                assert_string_equal(cgroup_setup_failure(), cases[i].failure);
                d = opendir(layout_root);
                assert_non_null(d);
                while ((de = readdir(d)))
                        assert_false(startswith(de->d_name, CGROUP_NAME_PREFIX));
                closedir(d);
        }
}

static void test_v2_layout_stale(void **state)
{
        char dead[64], reused[64], alive[64], other[] = "user-service";
        char path[4200];
        _cleanup_free_ char *own = NULL;
        pid_t pid = fork();
        int fd;

        (void)state;
        assert_true(pid >= 0);
        if (pid == 0)
                _exit(0);
        assert_int_equal(waitpid(pid, NULL, 0), pid);
        assert_int_equal(cgroup_make_name(&own), 0);
        snprintf(dead, sizeof(dead), CGROUP_NAME_PREFIX "%d-12345", (int)pid);
        snprintf(reused, sizeof(reused), CGROUP_NAME_PREFIX "%d-1-s", (int)getpid());
        snprintf(alive, sizeof(alive), "%s", own);
        fd = open(layout_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(fake_mkdirat(fd, dead), 0);
        assert_int_equal(fake_mkdirat(fd, reused), 0);
        assert_int_equal(fake_mkdirat(fd, alive), 0);
        assert_int_equal(fake_mkdirat(fd, other), 0);

        assert_true(cgroup_name_is_stale(dead));
        assert_true(cgroup_name_is_stale(reused));
        assert_false(cgroup_name_is_stale(alive));
        assert_false(cgroup_name_is_stale(other));
        assert_false(cgroup_name_is_stale("airlock-12x"));

        assert_int_equal(cgroup_v2_cleanup_stale_at(layout_root), 2);
        snprintf(path, sizeof(path), "%s/%s", layout_root, dead);
        assert_false(exists(path));
        snprintf(path, sizeof(path), "%s/%s", layout_root, reused);
        assert_false(exists(path));
        snprintf(path, sizeof(path), "%s/%s", layout_root, alive);
        assert_true(exists(path));
        snprintf(path, sizeof(path), "%s/%s", layout_root, other);
        assert_true(exists(path));
        assert_int_equal(fake_rmdirat(fd, alive), 0);
        assert_int_equal(fake_rmdirat(fd, other), 0);
        close(fd);
}

/* ---- v1 kernel tests (root) / fallback (unprivileged) ---- */

static bool v1_machine(void)
{
        _cleanup_free_ char *dir = NULL;

        return cgroup_find_own("memory", &dir) == 0;
}

static bool can_create_v1(void)
{
        return getuid() == 0 && v1_machine();
}

/* A child that waits until the parent placed it, then runs fn; returns its pid. */
static pid_t spawn_in(struct cgroup *cg, int (*fn)(int), int arg)
{
        int go[2];
        char c;
        pid_t pid;

        assert_int_equal(pipe2(go, O_CLOEXEC), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                close(go[1]);
                if (read(go[0], &c, 1) != 1)
                        _exit(99);
                _exit(fn(arg));
        }
        close(go[0]);
        assert_int_equal(cgroup_attach(cg, pid), 0);
        assert_int_equal(write(go[1], "x", 1), 1);
        close(go[1]);
        return pid;
}

/* Forks sleepers until fork fails; exits with the number of forks that worked (< 250). */
static int fork_until_refused(int max)
{
        int n = 0;

        for (; n < max; n++) {
                pid_t pid = fork();

                if (pid < 0)
                        return errno == EAGAIN ? n : 250;
                if (pid == 0) {
                        pause();
                        _exit(0);
                }
        }
        return 251;
}

static int touch_memory(int mib)
{
        for (int i = 0; i < mib; i++) {
                char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                               -1, 0);

                if (p == MAP_FAILED)
                        return 2;
                memset(p, 0x5a, 1 << 20);
        }
        return 0;
}

static void expect_removed(char **paths, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                assert_false(exists(paths[i]));
                free(paths[i]);
        }
}

static size_t save_paths(struct cgroup *cg, char **paths)
{
        for (size_t i = 0; i < cg->n_dirs; i++)
                paths[i] = strdup(cg->dirs[i].path);
        return cg->n_dirs;
}

static void test_v1_pids_limit(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        struct cgroup *cg = NULL;
        struct cgroup_stats s = {0};
        char *paths[CGROUP_DIRS_MAX];
        size_t n;
        int status;
        pid_t pid;

        (void)state;
        if (!can_create_v1())
                skip();
        p = new_policy(256 << 20, 20, 0); /* after skip(), which jumps past cleanup */
        assert_int_equal(cgroup_setup(p, &cg), 0);
        assert_string_equal(cgroup_backend_name(cg), "v1");
        assert_true(cgroup_enforced(cg) & CGROUP_LIMIT_PIDS);
        assert_int_equal(cgroup_clone_fd(cg), -1);
        n = save_paths(cg, paths);
        for (size_t i = 0; i < n; i++)
                assert_true(exists(paths[i]));

        pid = spawn_in(cg, fork_until_refused, 200);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        /* 20 tasks: the child itself and 19 sleepers */
        assert_int_equal(WEXITSTATUS(status), 19);
        assert_true(cgroup_populated(cg)); /* the sleepers are orphans in the cgroup */
        assert_int_equal(cgroup_read_stats(cg, &s), 0);
        assert_true(s.pids_limit_hit);
        assert_true(s.pids_max_events >= 1);
        assert_int_equal(s.pids_peak, 20);

        /* cgroup_kill ends the orphans too (they are not our children) */
        assert_int_equal(cgroup_kill(cg), 0);
        for (int i = 0; i < 200 && cgroup_populated(cg); i++)
                usleep(10000);
        assert_false(cgroup_populated(cg));
        cgroup_destroy(cg);
        expect_removed(paths, n);
}

static void test_v1_memory_limit(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        struct cgroup *cg = NULL;
        struct cgroup_stats s = {0};
        char *paths[CGROUP_DIRS_MAX];
        size_t n;
        int status;
        pid_t pid;

        (void)state;
        if (!can_create_v1())
                skip();
        p = new_policy(32 << 20, 64, 0); /* after skip(), which jumps past cleanup */
        assert_int_equal(cgroup_setup(p, &cg), 0);
        assert_true(cgroup_enforced(cg) & CGROUP_LIMIT_MEMORY);
        assert_true(cgroup_event_fd(cg) >= 0);
        assert_false(cgroup_event_read(cg)); /* nothing happened yet */
        n = save_paths(cg, paths);
        pid = spawn_in(cg, touch_memory, 256);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGKILL);
        assert_int_equal(cgroup_read_stats(cg, &s), 0);
        assert_true(s.memory_limit_hit);
        assert_true(s.oom_kills >= 1);
        assert_true(cgroup_event_read(cg)); /* the supervisor would now end the sandbox */
        assert_true(s.memory_peak > (16 << 20));
        assert_true(s.memory_peak <= (32 << 20));
        assert_true(s.cpu_usec > 0); /* it ran: touching 32 MiB takes CPU */
        cgroup_destroy(cg);
        expect_removed(paths, n);
}

_noreturn_ static int busy_then_fork_tree(int arg)
{
        (void)arg;
        for (int i = 0; i < 4; i++)
                if (fork() == 0) {
                        if (fork() == 0)
                                for (;;)
                                        pause();
                        for (;;)
                                pause();
                }
        for (;;)
                pause();
}

static void test_v1_destroy_kills_tree(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        struct cgroup *cg = NULL;
        struct cgroup_stats s = {0};
        char *paths[CGROUP_DIRS_MAX];
        size_t n;
        int status;
        pid_t pid;

        (void)state;
        if (!can_create_v1())
                skip();
        p = new_policy(64 << 20, 64, 0.5); /* after skip(), which jumps past cleanup */
        assert_int_equal(cgroup_setup(p, &cg), 0);
        assert_true(cgroup_enforced(cg) & CGROUP_KILL_TREE);
        n = save_paths(cg, paths);
        pid = spawn_in(cg, busy_then_fork_tree, 0);
        for (int i = 0; i < 300; i++) {
                assert_int_equal(cgroup_read_stats(cg, &s), 0);
                if (s.pids_peak >= 9)
                        break;
                usleep(10000);
        }
        assert_int_equal(s.pids_peak, 9);
        /* destroy alone must end the whole tree, grandchildren included */
        cgroup_destroy(cg);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        expect_removed(paths, n);
}

static void test_v1_stale_after_owner_killed(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        char path[4096] = {0};
        int pipefd[2];
        pid_t owner;

        (void)state;
        if (!can_create_v1())
                skip();
        p = new_policy(64 << 20, 64, 0); /* after skip(), which jumps past cleanup */
        assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
        owner = fork();
        assert_true(owner >= 0);
        if (owner == 0) {
                struct cgroup *cg = NULL;

                if (cgroup_setup(p, &cg) < 0)
                        _exit(1);
                (void)!write(pipefd[1], cg->dirs[0].path, strlen(cg->dirs[0].path));
                /* a sandboxed task left behind, as when airlock is SIGKILLed */
                (void)spawn_in(cg, fork_until_refused, 0);
                raise(SIGKILL);
        }
        close(pipefd[1]);
        assert_true(read(pipefd[0], path, sizeof(path) - 1) > 0);
        close(pipefd[0]);
        assert_int_equal(waitpid(owner, NULL, 0), owner);
        assert_true(exists(path));
        assert_true(cgroup_cleanup_stale() >= 1);
        assert_false(exists(path));
}

static void test_unprivileged_falls_back(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        struct cgroup *cg = NULL;
        int r;

        (void)state;
        if (getuid() == 0)
                skip();
        p = new_policy(64 << 20, 64, 0); /* after skip(), which jumps past cleanup */
        r = cgroup_setup(p, &cg);
        /* this machine delegates no cgroup to users: the caller must fall back to rlimits */
        assert_true(r == -EACCES || r == -EOPNOTSUPP);
        assert_null(cg);
}

static void test_fallback_rlimits(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(64 << 20, 100, 0.5);
        struct rlimit_setting rl[8];
        size_t n;

        (void)state;
        p->timeout_usec = 1500000;
        p->tmpfs_size = 8 << 20;
        n = cgroup_fallback_rlimits(p, 0, rl, ELEMENTSOF(rl));
        assert_int_equal(n, 4);
        assert_int_equal(rl[0].resource, RLIMIT_AS);
        assert_int_equal(rl[0].hard, 64 << 20);
        assert_int_equal(rl[1].resource, RLIMIT_NPROC);
        assert_int_equal(rl[1].soft, 100);
        assert_int_equal(rl[2].resource, RLIMIT_CPU);
        assert_true(rl[2].soft >= 2);
        assert_int_equal(rl[3].resource, RLIMIT_FSIZE);
        assert_int_equal(rl[3].soft, 64 << 20);
        /* browsers: RLIMIT_DATA instead */
        p->memory_rlimit_data = true;
        n = cgroup_fallback_rlimits(p, 0, rl, ELEMENTSOF(rl));
        assert_int_equal(rl[0].resource, RLIMIT_DATA);
        assert_int_equal(rl[0].hard, 64 << 20);
        p->memory_rlimit_data = false;
        /* everything enforced by the cgroup: nothing to fall back on */
        n = cgroup_fallback_rlimits(p, CGROUP_LIMIT_MEMORY | CGROUP_LIMIT_PIDS | CGROUP_LIMIT_CPU,
                                    rl, ELEMENTSOF(rl));
        assert_int_equal(n, 0);
        /* a cgroup without the cpu controller: only the CPU-time backstop */
        n = cgroup_fallback_rlimits(p, CGROUP_LIMIT_MEMORY | CGROUP_LIMIT_PIDS, rl, ELEMENTSOF(rl));
        assert_int_equal(n, 1);
        assert_int_equal(rl[0].resource, RLIMIT_CPU);
}

/* The name holds field 22 of /proc/self/stat (the start time), which never changes: a name
 * that held a field that does (vsize, 23) made a live sandbox look stale to the next run. */
static void test_name_holds_start_time(void **state)
{
        _cleanup_free_ char *name = NULL, *stat = NULL;
        char want[64];
        const char *p;
        void *big;
        int i;

        (void)state;
        assert_int_equal(read_full_file("/proc/self/stat", &stat, NULL, 0), 0);
        p = strrchr(stat, ')') + 2; /* field 3 */
        for (i = 3; i < 22; i++)
                p = strchr(p, ' ') + 1;
        snprintf(want, sizeof(want), CGROUP_NAME_PREFIX "%d-%.*s-s", (int)getpid(),
                 (int)strcspn(p, " "), p);
        assert_int_equal(cgroup_make_name(&name), 0);
        assert_string_equal(name, want);
        /* growing the address space must not make our own cgroup look stale */
        big = mmap(NULL, 256 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assert_true(big != MAP_FAILED);
        assert_false(cgroup_name_is_stale(name));
        munmap(big, 256 << 20);
}

static void test_policy_defaults(void **state)
{
        _cleanup_(policy_freep) struct policy *p = NULL;

        (void)state;
        assert_int_equal(policy_new(&p), 0);
        assert_int_equal(p->pids_max, 1024);
        assert_true(p->memory_max >= (256 << 20));
        assert_true(p->memory_max <= (uint64_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE));
        assert_int_equal(p->tmpfs_size, 512 << 20);
}

/* The counters are read in one read() when they fit in a small buffer; a longer text is read
 * whole all the same, and a key at its very end is found. */
static void test_read_counters_short_and_long(void **state)
{
        char big[8192];
        size_t n = 0;
        uint64_t v = 0;
        int fd;

        (void)state;
        for (int i = 0; n < 6000; i++)
                n += (size_t)snprintf(big + n, sizeof(big) - n, "filler_%d 1\n", i);
        snprintf(big + n, sizeof(big) - n, "wanted 42\n");
        put_file(layout_root, "long.stat", big);
        memset(big, ' ', 1000);
        memcpy(big, "12345", 5);
        big[1000] = 0;
        put_file(layout_root, "long.u64", big);
        put_file(layout_root, "short.u64", "7\n");
        put_file(layout_root, "short.max", "max\n");
        put_file(layout_root, "short.stat", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
        fd = open(layout_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(cgroup_read_key_at(fd, "long.stat", "wanted", &v), 0);
        assert_int_equal(v, 42);
        assert_int_equal(cgroup_read_key_at(fd, "long.stat", "filler_3", &v), 0);
        assert_int_equal(v, 1);
        assert_int_equal(cgroup_read_key_at(fd, "long.stat", "absent", &v), -ENOENT);
        assert_int_equal(cgroup_read_u64_at(fd, "long.u64", &v), 0);
        assert_int_equal(v, 12345);
        assert_int_equal(cgroup_read_u64_at(fd, "short.u64", &v), 0);
        assert_int_equal(v, 7);
        assert_int_equal(cgroup_read_u64_at(fd, "short.max", &v), 0);
        assert_true(v == UINT64_MAX);
        assert_int_equal(cgroup_read_key_at(fd, "short.stat", "oom_kill", &v), 0);
        assert_int_equal(v, 3);
        assert_int_equal(cgroup_read_u64_at(fd, "missing", &v), -ENOENT);
        close(fd);
}

/* The hierarchies are found by the fields of mountinfo, whatever the optional fields between
 * them, a space written \\040 in a path, or a controller among several of one mount. */
static void test_mountinfo_find(void **state)
{
        static const char text[] =
                "21 26 0:20 / /proc rw,relatime - proc proc rw\n"
                "30 22 0:27 / /sys/fs/cgroup rw,relatime shared:9 - tmpfs tmpfs rw,mode=755\n"
                "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:10 master:2 - cgroup "
                "cgroup rw,cpu,cpuacct\n"
                "34 30 0:31 /sub /sys/fs/cgroup/my\\040memory rw - cgroup cgroup rw,memory\n"
                "39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n"
                "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
                "41 30 0:38 / /broken rw\n";
        struct {
                const char *controller, *mnt, *root;
        } cases[] = {
                {"cpuacct", "/sys/fs/cgroup/cpu,cpuacct", "/"},
                {"cpu", "/sys/fs/cgroup/cpu,cpuacct", "/"},
                {"memory", "/sys/fs/cgroup/my\\040memory", "/sub"},
                {"", "/sys/fs/cgroup/unified", "/"},
                {"pids", NULL, NULL},
                {"name=systemd", "/sys/fs/cgroup/systemd", "/"},
        };
        (void)state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char *copy = strdup(text), *mnt = NULL, *root = NULL;
                int r = cgroup_mountinfo_find(copy, cases[i].controller, &mnt, &root);

                if (!cases[i].mnt)
                        assert_int_equal(r, -ENOENT);
                else {
                        assert_int_equal(r, 0);
                        assert_string_equal(mnt, cases[i].mnt);
                        assert_string_equal(root, cases[i].root);
                }
                free(mnt);
                free(root);
                free(copy);
        }
}

/* cgroup_at_clone_futile() says so exactly when /proc/cgroups puts memory or pids in a v1
 * hierarchy, and then only spares a try that would fail: the at-clone pass finds nothing. */
static void test_at_clone_futile(void **state)
{
        _cleanup_(policy_freep) struct policy *p = new_policy(64 << 20, 64, 0);
        struct cgroup *cg = NULL;
        char line[256], name[64];
        unsigned hierarchy;
        bool in_v1 = false;
        FILE *f;
        int r;

        (void)state;
        f = fopen("/proc/cgroups", "re");
        assert_non_null(f);
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "%63s %u", name, &hierarchy) == 2 && hierarchy != 0 &&
                    (streq(name, "memory") || streq(name, "pids")))
                        in_v1 = true;
        fclose(f);
        assert_int_equal(cgroup_at_clone_futile(), in_v1);
        if (!in_v1)
                return;
        r = cgroup_setup_at_clone(p, &cg);
        assert_true(r == -EOPNOTSUPP || r == -EACCES);
        assert_null(cg);
}

int main(void)
{
        const struct CMUnitTest layout[] = {
                cmocka_unit_test(test_v2_layout_limits_stats_kill),
                cmocka_unit_test(test_v2_layout_quiet_run),
                cmocka_unit_test(test_v2_layout_not_delegated),
                cmocka_unit_test(test_v2_layout_take_over),
                cmocka_unit_test(test_v2_mapping),
                cmocka_unit_test(test_v2_layout_settings),
                cmocka_unit_test(test_v2_layout_refusals),
                cmocka_unit_test(test_v2_layout_stale),
                cmocka_unit_test(test_read_counters_short_and_long),
                cmocka_unit_test(test_mountinfo_find),
        };
        const struct CMUnitTest kernel[] = {
                cmocka_unit_test(test_v1_pids_limit),
                cmocka_unit_test(test_v1_memory_limit),
                cmocka_unit_test(test_v1_destroy_kills_tree),
                cmocka_unit_test(test_v1_stale_after_owner_killed),
                cmocka_unit_test(test_unprivileged_falls_back),
                cmocka_unit_test(test_fallback_rlimits),
                cmocka_unit_test(test_policy_defaults),
                cmocka_unit_test(test_name_holds_start_time),
                cmocka_unit_test(test_at_clone_futile),
        };
        int failed;

        failed = cmocka_run_group_tests_name("cgroup v2 layout (not a kernel test)", layout,
                                             layout_setup, layout_teardown);
        failed += cmocka_run_group_tests_name("cgroup v1 kernel and rlimit fallback", kernel, NULL,
                                              NULL);
        return failed ? 1 : 0;
}
