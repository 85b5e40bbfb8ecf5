/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Measures the seccomp layer for bench/bench-seccomp.sh: compiling the default filter and
 * Docker's profile, loading them from the cache, and what the loaded filters cost a getppid()
 * loop and an open/read/close loop, beside the same profile compiled by libseccomp the way
 * crun and runc do it. Prints Markdown. Usage: seccomp-bench DOCKER-PROFILE.json */
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/seccomp-internal.h"
#include "policy/seccomp-json.h"
#include "policy/syscall-groups.h"

static double now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
        qsort(v, n, sizeof(*v), cmp_double);
        return v[n / 2];
}

/* libseccomp building the profile from the imported rules, as crun does on every start. */
static scmp_filter_ctx libseccomp_build(const struct policy *p)
{
        scmp_filter_ctx ctx = seccomp_init(p->seccomp_mode == SECCOMP_MODE_ALLOWLIST
                                                   ? SCMP_ACT_ERRNO(p->seccomp_default_errno)
                                                   : SCMP_ACT_ALLOW);
        static const enum scmp_compare ops[] = {0,           SCMP_CMP_EQ,       SCMP_CMP_NE,
                                                SCMP_CMP_LT, SCMP_CMP_LE,       SCMP_CMP_GT,
                                                SCMP_CMP_GE, SCMP_CMP_MASKED_EQ};

        for (size_t i = 0; i < p->n_seccomp_rules; i++) {
                const struct seccomp_rule *r = &p->seccomp_rules[i];
                struct scmp_arg_cmp c[6];
                uint32_t act = r->action == SECCOMP_ACT_ALLOW_KIND ? SCMP_ACT_ALLOW
                               : r->action == SECCOMP_ACT_ERRNO_KIND
                                       ? SCMP_ACT_ERRNO(r->errno_value)
                                       : SCMP_ACT_KILL_PROCESS;
                for (unsigned j = 0; j < r->n_conds; j++) {
                        const struct seccomp_arg_cond *a = &r->conds[j];
                        c[j] = (struct scmp_arg_cmp){
                                a->index, ops[a->op],
                                a->op == SECCOMP_CMP_MASKED_EQ_KIND ? a->mask : a->value, a->value};
                }
                int nr = seccomp_syscall_resolve_name(r->name);
                if (nr >= 0)
                        (void)seccomp_rule_add_array(ctx, act, nr, r->n_conds, c);
        }
        return ctx;
}

/* CPU time of this thread: the machine is shared, and time spent preempted is not the
 * filter's. */
static double cpu_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static double time_loop_getppid(long n)
{
        double t = cpu_us();
        for (long i = 0; i < n; i++)
                syscall(SYS_getppid);
        return (cpu_us() - t) * 1000 / n;
}

static double time_loop_open_read_close(long n)
{
        char buf[64];
        double t = cpu_us();
        for (long i = 0; i < n; i++) {
                int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
                if (read(fd, buf, sizeof(buf)) < 0)
                        abort();
                close(fd);
        }
        return (cpu_us() - t) * 1000 / n;
}

enum filter_kind { F_NONE, F_ALLOW_ALL, F_AIRLOCK, F_DOCKER_AIRLOCK, F_DOCKER_LIBSECCOMP };
#define N_KINDS 5

/* Runs both loops in a child with the filter loaded; results through shared memory. */
static void measure(enum filter_kind k, const struct seccomp_program *prog, scmp_filter_ctx ctx,
                    double res[2])
{
        double *shared =
                mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        pid_t pid = fork();

        if (pid == 0) {
                int fd;
                prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                if (k == F_AIRLOCK || k == F_DOCKER_AIRLOCK)
                        if (seccomp_program_load(prog, &fd) < 0)
                                _exit(1);
                if (k == F_DOCKER_LIBSECCOMP && seccomp_load(ctx) < 0)
                        _exit(1);
                if (k == F_ALLOW_ALL) {
                        struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
                        struct sock_fprog fp = {.len = 1, .filter = &allow};
                        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
                                _exit(1);
                }
                double g = 1e9, o = 1e9;
                for (int i = 0; i < 11; i++) {
                        double x = time_loop_getppid(200000);
                        double y = time_loop_open_read_close(20000);
                        g = x < g ? x : g;
                        o = y < o ? y : o;
                }
                shared[0] = g;
                shared[1] = o;
                _exit(0);
        }
        waitpid(pid, NULL, 0);
        res[0] = shared[0];
        res[1] = shared[1];
        munmap(shared, 4096);
}

/* libseccomp's program for ctx, as it would load it. */
static struct sock_fprog libseccomp_program(scmp_filter_ctx ctx)
{
        struct sock_fprog fp = {0};
        int fd = memfd_create("bpf", MFD_CLOEXEC);
        off_t size;

        if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0 || (size = lseek(fd, 0, SEEK_END)) <= 0)
                exit(4);
        fp.filter = malloc((size_t)size);
        if (!fp.filter || pread(fd, fp.filter, (size_t)size, 0) != size)
                exit(4);
        fp.len = (unsigned short)(size / sizeof(struct sock_filter));
        close(fd);
        return fp;
}

/* The seccomp() call alone, in a fresh child each time: the kernel checks the program, converts
 * it to eBPF, JITs it and prepares its action cache, all in the program's path to execve. */
static double attach_us(const struct sock_fprog *fp)
{
        double *shared =
                mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        pid_t pid = fork();
        double r;

        if (pid == 0) {
                prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                double s = now_us();
                if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, fp) < 0)
                        _exit(1);
                shared[0] = now_us() - s;
                _exit(0);
        }
        waitpid(pid, NULL, 0);
        r = shared[0];
        munmap(shared, 4096);
        return r;
}

int main(int argc, char **argv)
{
        static double t[200];
        _cleanup_(policy_freep) struct policy *def = NULL, *docker = NULL, *imported = NULL;
        struct seccomp_program *prog = NULL, *dprog = NULL;
        scmp_filter_ctx ctx = NULL;
        char dir[] = "/tmp/airlock-bench-XXXXXX", cache[64];
        double build_def, build_docker, load_def, load_docker, lsc_build, res[N_KINDS][2];

        if (argc != 2 || !mkdtemp(dir))
                return 2;
        snprintf(cache, sizeof(cache), "%s/cache", dir);
        setenv("AIRLOCK_CACHE_DIR", cache, 1);
        if (policy_new(&def) < 0 || policy_new(&docker) < 0 || policy_new(&imported) < 0)
                return 1;
        docker->seccomp_json = strdup(argv[1]);
        double tables = now_us();
        syscall_max_known(); /* once per process: which numbers libseccomp's tables name */
        tables = now_us() - tables;

        for (int i = 0; i < 50; i++) {
                double s = now_us();
                seccomp_program_build_uncached(def, &prog);
                t[i] = now_us() - s;
                seccomp_program_free(prog);
        }
        build_def = median(t, 50);
        for (int i = 0; i < 50; i++) {
                double s = now_us();
                seccomp_program_build_uncached(docker, &prog);
                t[i] = now_us() - s;
                seccomp_program_free(prog);
        }
        build_docker = median(t, 50);
        for (int i = 0; i < 50; i++) {
                struct policy *q = NULL;
                double s = now_us();
                policy_new(&q);
                seccomp_json_import_file(argv[1], NULL, q, NULL);
                scmp_filter_ctx c = libseccomp_build(q);
                int fd = memfd_create("bpf", MFD_CLOEXEC);
                seccomp_export_bpf(c, fd);
                t[i] = now_us() - s;
                close(fd);
                seccomp_release(c);
                policy_free(q);
        }
        lsc_build = median(t, 50);

        seccomp_program_free(seccomp_program_build(def, &prog) == 0 ? prog : NULL);
        seccomp_program_free(seccomp_program_build(docker, &prog) == 0 ? prog : NULL);
        for (int i = 0; i < 200; i++) {
                double s = now_us();
                seccomp_program_build(def, &prog);
                t[i] = now_us() - s;
                if (!prog->summary.cached)
                        return 3;
                seccomp_program_free(prog);
        }
        load_def = median(t, 200);
        for (int i = 0; i < 200; i++) {
                double s = now_us();
                seccomp_program_build(docker, &prog);
                t[i] = now_us() - s;
                seccomp_program_free(prog);
        }
        load_docker = median(t, 200);

        seccomp_program_build_uncached(def, &prog);
        seccomp_program_build_uncached(docker, &dprog);
        seccomp_json_import_file(argv[1], NULL, imported, NULL);
        ctx = libseccomp_build(imported);
        for (int k = 0; k < N_KINDS; k++)
                res[k][0] = res[k][1] = 1e9;
        /* interleaved rounds, the best of each: the machine is shared */
        for (int round = 0; round < 3; round++)
                for (int k = 0; k < N_KINDS; k++) {
                        double r[2];
                        measure(k, k == F_DOCKER_AIRLOCK ? dprog : prog, ctx, r);
                        res[k][0] = r[0] < res[k][0] ? r[0] : res[k][0];
                        res[k][1] = r[1] < res[k][1] ? r[1] : res[k][1];
                }

        /* interleaved, the median of each */
        struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        struct sock_fprog attach_progs[] = {
                {.len = 1, .filter = &allow},
                {.len = (unsigned short)prog->n_insns, .filter = prog->insns},
                {.len = (unsigned short)dprog->n_insns, .filter = dprog->insns},
                libseccomp_program(ctx),
        };
        static double at[ELEMENTSOF(attach_progs)][101];
        for (int i = 0; i < 101; i++)
                for (size_t k = 0; k < ELEMENTSOF(attach_progs); k++)
                        at[k][i] = attach_us(&attach_progs[k]);

        printf("## seccomp filter: compile, cache, syscall cost\n\n");
        printf("Compiling (median of 50) and loading from the cache of compiled programs (median "
               "of 200), in microseconds. The peer is libseccomp compiling the same Docker "
               "profile as crun does at every start.\n\n");
        printf("| program | airlock compile | airlock cache load | libseccomp compile (peer) | "
               "ratio cache load / peer |\n|---|---|---|---|---|\n");
        printf("| default deny-list (%u insns) | %.0f | %.0f | | |\n", prog->summary.n_insns,
               build_def, load_def);
        printf("| Docker default profile (%u insns) | %.0f | %.0f | %.0f | %.3f |\n\n",
               dprog->summary.n_insns, build_docker, load_docker, lsc_build,
               load_docker / lsc_build);
        printf("A compile also pays, once per process, %.0f us to learn which syscall numbers "
               "libseccomp's tables name; a cache load does not.\n\n",
               tables);
        printf("Attaching the filter: the seccomp() call alone (the kernel checks the program, "
               "converts and JITs it, prepares its action cache), in the program's path to "
               "execve; median of 101 forks each, interleaved, in microseconds.\n\n");
        printf("| program | instructions | attach |\n|---|---|---|\n");
        static const char *const attach_names[] = {"allow everything", "airlock default",
                                                   "Docker profile, airlock compiler",
                                                   "Docker profile, libseccomp (peer)"};
        for (size_t k = 0; k < ELEMENTSOF(attach_progs); k++)
                printf("| %s | %u | %.0f |\n", attach_names[k], attach_progs[k].len,
                       median(at[k], 101));
        printf("\n");
        free(attach_progs[3].filter);
        printf("Syscall loops in a child with the filter loaded, CPU ns per iteration (the best "
               "of 33 runs of 200,000 getppid() and of 20,000 open/read/close of /etc/hostname, "
               "interleaved). \"allow everything\" is a one-instruction filter: the floor any "
               "seccomp filter pays.\n\n");
        printf("| filter | getppid | ratio to bare | open/read/close | ratio to bare |\n"
               "|---|---|---|---|---|\n");
        static const char *const names[] = {"none (bare)", "allow everything (1 insn)",
                                            "airlock default", "Docker profile, airlock compiler",
                                            "Docker profile, libseccomp (peer)"};
        for (int i = 0; i < N_KINDS; i++)
                printf("| %s | %.1f | %.3f | %.1f | %.3f |\n", names[i], res[i][0],
                       res[i][0] / res[0][0], res[i][1], res[i][1] / res[0][1]);
        seccomp_program_free(prog);
        seccomp_program_free(dprog);
        seccomp_release(ctx);
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : 1;
}
