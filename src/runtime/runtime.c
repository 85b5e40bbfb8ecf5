/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* create, start, state, kill, delete and run. create forks a keeper: it runs the launcher,
 * whose sandboxed program stops just before execve on the start gate (exec.fifo, as runc's);
 * start writes the byte that lets it go on. The keeper waits for the container, records its
 * exit status and is gone. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/strv.h"
#include "console.h"
#include "hooks.h"
#include "resources/cgroup.h"
#include "runtime.h"
#include "sandbox/launcher.h"
#include "spec.h"
#include "state.h"

#define EXIT_RUNTIME_FAILED 1

struct keeper {
        struct oci_state *state;
        const struct launcher_result *res; /* the launcher's, filled while it runs */
        const struct oci_spec *spec;
        const struct oci_hooks *hooks; /* NULL without */
        int ready_fd;                  /* to create: the init's pid, then closed */
        int gate_fd;
        int console_fd; /* the engine's console socket, -1 without */
        bool open_gate; /* run: the keeper lets the program go once the sandbox is ready */
        bool failed;    /* the keeper ended the sandbox before its program ran */
};

static long long now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* STATE_DIR/cgroups: the folders of the cgroup the spec named (linux.cgroupsPath), one a
 * line, for delete to remove when the keeper could not (killed). */
static int save_cgroups(const struct keeper *k)
{
        _cleanup_free_ char *path = NULL, *text = NULL;
        const char *dirs[8];
        size_t n, len = 0;

        if (!k->spec->policy->cgroup_path)
                return 0;
        n = cgroup_dir_paths(k->res->resources.cg, dirs, ELEMENTSOF(dirs));
        for (size_t i = 0; i < n; i++)
                len += strlen(dirs[i]) + 1;
        text = calloc(len + 1, 1);
        if (!text || asprintf(&path, "%s/cgroups", k->state->dir) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                strcat(text, dirs[i]);
                strcat(text, "\n");
        }
        return oci_write_file(path, text);
}

/* Removes the cgroups STATE_DIR/cgroups lists (killing what is left in them). */
static void remove_cgroups(const struct oci_state *st)
{
        _cleanup_free_ char *path = NULL, *text = NULL;
        char *save = NULL;

        if (asprintf(&path, "%s/cgroups", st->dir) < 0 ||
            read_full_file(path, &text, NULL, 1 << 16) < 0)
                return;
        for (char *dir = strtok_r(text, "\n", &save); dir; dir = strtok_r(NULL, "\n", &save)) {
                _cleanup_free_ char *procs_path = NULL, *procs = NULL;

                if (dir[0] != '/' || asprintf(&procs_path, "%s/cgroup.procs", dir) < 0)
                        continue;
                for (int i = 0; i < 200; i++) {
                        free(procs);
                        procs = NULL;
                        if (read_full_file(procs_path, &procs, NULL, 1 << 20) < 0)
                                break; /* gone */
                        for (char *p = procs; *p;) {
                                long pid = strtol(p, &p, 10);

                                if (pid > 0)
                                        (void)kill((pid_t)pid, SIGKILL);
                                p += strspn(p, " \n");
                                if (*p && !isdigit((unsigned char)*p))
                                        break;
                        }
                        if (rmdir(dir) == 0 || errno == ENOENT)
                                break;
                        if (errno != EBUSY) {
                                log_warning("cannot remove the cgroup %s: %m", dir);
                                break;
                        }
                        usleep(10000);
                }
        }
}

/* The container's pid, for the state and the pid file, is the keeper's, not the sandbox's
 * init: an engine (conmon, containerd's shim) is the subreaper that create's child is handed
 * to, and it waits for that pid to learn the exit status. The keeper forwards signals to the
 * init, ends with the container's status, and the sandbox dies with it (SIGKILL included). */
static void keeper_on_ready(void *userdata, pid_t init)
{
        struct keeper *k = userdata;
        pid_t pid = getpid();

        log_debug("container %s: init %d, keeper %d", k->state->id, (int)init, (int)pid);
        k->state->pid = pid;
        k->state->start_time = oci_pid_start_time(pid);
        k->state->init = init;
        k->state->init_start_time = oci_pid_start_time(init);
        /* the program waits at the gate: what the spec sets in its namespaces is set and the
         * create hooks ran before it runs, or it never runs (create fails: nothing reaches
         * ready_fd); run starts it here, after its startContainer hooks */
        if (oci_spec_apply_sysctl(k->spec, init) < 0 ||
            oci_hooks_run(k->hooks, OCI_HOOK_CREATE_RUNTIME, k->state, OCI_CREATING) < 0 ||
            oci_hooks_run(k->hooks, OCI_HOOK_CREATE_CONTAINER, k->state, OCI_CREATING) < 0 ||
            (k->open_gate &&
             oci_hooks_run(k->hooks, OCI_HOOK_START_CONTAINER, k->state, OCI_CREATED) < 0)) {
                kill(init, SIGKILL);
                k->failed = true;
                k->ready_fd = safe_close(k->ready_fd);
                k->gate_fd = safe_close(k->gate_fd);
                return;
        }
        if (oci_state_save(k->state) < 0 || save_cgroups(k) < 0)
                log_error("cannot save the state of %s", k->state->id);
        if (k->open_gate && write(k->gate_fd, "0", 1) != 1)
                log_error("cannot start %s: %m", k->state->id);
        if (k->open_gate)
                (void)oci_hooks_run(k->hooks, OCI_HOOK_POSTSTART, k->state, OCI_RUNNING);
        if (k->ready_fd >= 0) {
                (void)!write(k->ready_fd, &pid, sizeof(pid));
                k->ready_fd = safe_close(k->ready_fd);
        }
        /* the program holds its own copy until its execve */
        k->gate_fd = safe_close(k->gate_fd);
}

static void record_exit(const struct oci_state *st, int status)
{
        _cleanup_free_ char *path = NULL;
        char text[16];

        snprintf(text, sizeof(text), "%d\n", status);
        if (asprintf(&path, "%s/exit", st->dir) >= 0)
                (void)oci_write_file(path, text);
}

/* The container's terminal goes to the engine, which relays it; the keeper keeps no copy. */
static int keeper_on_pty(void *userdata, int master)
{
        struct keeper *k = userdata;
        int r = oci_console_send(k->console_fd, master, k->spec->console_width,
                                 k->spec->console_height);

        safe_close(master);
        k->console_fd = safe_close(k->console_fd);
        if (r < 0)
                return log_error_errno(r,
                                       "cannot send the terminal of %s to the console socket: %m",
                                       k->state->id);
        return 0;
}

/* A container killed by a signal: its keeper ends by the same signal, so that the engine that
 * waits for it sees what the container saw. */
static void die_by_signal(int sig)
{
        sigset_t set;

        signal(sig, SIG_DFL);
        sigemptyset(&set);
        sigaddset(&set, sig);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        prctl(PR_SET_DUMPABLE, 0); /* no core of the keeper */
        raise(sig);
}

/* The keeper's launcher run; returns the container's exit status. */
static int keep(struct oci_spec *spec, struct oci_state *st, int ready_fd, int gate_fd,
                int console_fd, bool open_gate)
{
        _cleanup_(oci_hooks_freep) struct oci_hooks *oci_hooks = NULL;
        struct launcher_result res;
        struct keeper k = {.state = st,
                           .res = &res,
                           .spec = spec,
                           .ready_fd = ready_fd,
                           .gate_fd = gate_fd,
                           .console_fd = console_fd,
                           .open_gate = open_gate};
        struct launcher_hooks hooks = {
                .userdata = &k,
                .on_ready = keeper_on_ready,
                .on_pty = console_fd >= 0 ? keeper_on_pty : NULL,
                .start_gate = gate_fd >= 0,
                .start_gate_fd = gate_fd,
        };
        int status, wait_status;

        if (oci_hooks_load(st->dir, &oci_hooks) < 0) {
                log_error("cannot read the hooks of %s", st->id);
                record_exit(st, EXIT_RUNTIME_FAILED);
                return EXIT_RUNTIME_FAILED;
        }
        k.hooks = oci_hooks;
        /* here, not in create: the keeper alone lives in the namespaces joined */
        if (oci_spec_join_namespaces(spec) < 0) {
                record_exit(st, EXIT_RUNTIME_FAILED);
                return EXIT_RUNTIME_FAILED;
        }
        if (gate_fd < 0) {
                /* run: nothing to wait for; the state says running once it exists */
                hooks.start_gate = false;
        }
        if (spec->umask >= 0)
                umask((mode_t)spec->umask);
        status = launcher_run(spec->policy, &hooks, &res);
        wait_status = res.wait_status;
        launcher_result_release(&res);
        safe_close(k.ready_fd);
        safe_close(k.gate_fd);
        safe_close(k.console_fd);
        if (k.failed)
                status = EXIT_RUNTIME_FAILED;
        record_exit(st, status);
        if (!k.failed && ready_fd >= 0 && wait_status >= 0 && WIFSIGNALED(wait_status))
                die_by_signal(WTERMSIG(wait_status));
        return status;
}

static int write_pid_file(const char *path, pid_t pid)
{
        char text[24];
        int r;

        snprintf(text, sizeof(text), "%d", (int)pid);
        r = oci_write_file(path, text);
        if (r < 0)
                return log_error_errno(r, "cannot write the pid file %s: %m", path);
        return 0;
}

/* --preserve-fds N: the engine's fds 3..3+N-1 reach the program as they are (podman passes
 * its sd_notify and listening sockets so). */
static int take_preserved_fds(struct policy *p, int n)
{
        if (n <= 0)
                return 0;
        if (n > POLICY_PASS_FDS_MAX)
                return log_error_errno(-EINVAL, "--preserve-fds %d: at most %d", n,
                                       POLICY_PASS_FDS_MAX);
        p->pass_fds = calloc((size_t)n, sizeof(int));
        if (!p->pass_fds)
                return log_error_errno(-ENOMEM, "out of memory");
        for (int fd = 3; fd < 3 + n; fd++) {
                if (fcntl(fd, F_GETFD) < 0)
                        return log_error_errno(-EBADF, "--preserve-fds %d: fd %d is not open", n,
                                               fd);
                p->pass_fds[p->n_pass_fds++] = fd;
        }
        return 0;
}

/* A terminal goes to the console socket; runc refuses the one without the other. */
static int check_terminal(const struct oci_spec *spec, const struct runtime_create_args *a,
                          bool foreground)
{
        if (a->console_socket && !spec->terminal)
                return log_error_errno(-EINVAL, "--console-socket given but config.json's "
                                                "process.terminal is false");
        if (spec->terminal && !a->console_socket && !foreground)
                return log_error_errno(-EINVAL, "config.json: process.terminal: a container "
                                                "that runs detached needs --console-socket");
        return 0;
}

/* Makes the state folder and loads the spec into it. */
static int prepare(const struct runtime_globals *g, const struct runtime_create_args *a,
                   struct oci_state *st, struct oci_spec **ret_spec)
{
        int r;

        if (!oci_id_valid(a->id))
                return log_error_errno(-EINVAL, "invalid container id '%s'", a->id ?: "");
        r = oci_state_create(g->root, a->id, &st->dir);
        if (r == -EEXIST)
                return log_error_errno(r, "container %s exists already", a->id);
        if (r < 0)
                return log_error_errno(r, "cannot make the state of %s in %s: %m", a->id, g->root);
        st->id = strdup(a->id);
        if (!st->id)
                return log_error_errno(-ENOMEM, "out of memory");
        r = oci_spec_load(a->bundle ?: ".", st->dir, ret_spec);
        if (r < 0)
                return r;
        r = take_preserved_fds((*ret_spec)->policy, a->preserve_fds);
        if (r >= 0)
                r = oci_spec_apply_oom_score_adj(*ret_spec);
        if (r < 0)
                return r;
        st->bundle = strdup((*ret_spec)->bundle);
        st->annotations_json = strdup((*ret_spec)->annotations_json);
        st->created_ns = now_ns();
        if (!st->bundle || !st->annotations_json)
                return log_error_errno(-ENOMEM, "out of memory");
        r = oci_state_save(st);
        if (r < 0)
                return log_error_errno(r, "cannot save the state of %s: %m", a->id);
        return oci_spec_save_hooks(*ret_spec, st->dir);
}

/* Removes the state of a container that is gone, then runs its poststop hooks, which are
 * read first (they are in the state folder). */
static int remove_state(struct oci_state *st)
{
        _cleanup_(oci_hooks_freep) struct oci_hooks *hooks = NULL;
        int r = oci_hooks_load(st->dir, &hooks);

        if (r < 0)
                log_warning_errno(r, "cannot read the hooks of %s: %m", st->id);
        remove_cgroups(st);
        r = oci_state_remove(st);
        (void)oci_hooks_run(hooks, OCI_HOOK_POSTSTOP, st, OCI_STOPPED);
        return r;
}

static int open_gate(const struct oci_state *st)
{
        _cleanup_free_ char *fifo = NULL;
        int fd;

        if (asprintf(&fifo, "%s/exec.fifo", st->dir) < 0)
                return -ENOMEM;
        if (mkfifo(fifo, 0600) < 0)
                return -errno;
        /* read-write: the open does not wait for a writer, and the reader never sees end of
         * file while it holds the fd itself: it waits for start's byte */
        fd = open(fifo, O_RDWR | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

int runtime_create(const struct runtime_globals *g, const struct runtime_create_args *a)
{
        _cleanup_(oci_spec_freep) struct oci_spec *spec = NULL;
        struct oci_state st = {0};
        int ready[2], gate = -1, console = -1, r;
        pid_t keeper, pid;
        ssize_t n;

        r = prepare(g, a, &st, &spec);
        if (r >= 0)
                r = check_terminal(spec, a, false);
        if (r >= 0 && a->console_socket && (console = oci_console_connect(a->console_socket)) < 0)
                r = console;
        if (r >= 0 && (gate = open_gate(&st)) < 0)
                r = log_error_errno(gate, "cannot make the start gate of %s: %m", a->id);
        if (r >= 0 && pipe2(ready, O_CLOEXEC) < 0)
                r = log_error_errno(-errno, "cannot make a pipe: %m");
        if (r < 0)
                goto fail;
        keeper = fork();
        if (keeper < 0) {
                r = log_error_errno(-errno, "cannot fork: %m");
                goto fail;
        }
        if (keeper == 0) {
                close(ready[0]);
                setsid();
                _exit(keep(spec, &st, ready[1], gate, console, false));
        }
        close(ready[1]);
        safe_close(gate);
        console = safe_close(console);
        do
                n = read(ready[0], &pid, sizeof(pid));
        while (n < 0 && errno == EINTR);
        close(ready[0]);
        if (n != (ssize_t)sizeof(pid)) {
                /* the keeper failed before the container existed and said why */
                waitpid(keeper, NULL, 0);
                r = -ECHILD;
                goto fail;
        }
        if (a->pid_file && write_pid_file(a->pid_file, pid) < 0) {
                kill(pid, SIGKILL);
                oci_state_done(&st);
                return EXIT_RUNTIME_FAILED;
        }
        oci_state_done(&st);
        return 0;
fail:
        safe_close(gate);
        safe_close(console);
        if (st.dir)
                (void)remove_state(&st);
        oci_state_done(&st);
        return EXIT_RUNTIME_FAILED;
}

int runtime_run(const struct runtime_globals *g, const struct runtime_create_args *a)
{
        _cleanup_(oci_spec_freep) struct oci_spec *spec = NULL;
        struct oci_state st = {0};
        int r, status, console = -1;

        if (a->detach) {
                /* as runc: create, then start; the keeper stays, the caller waits for it */
                r = runtime_create(g, a);
                return r != 0 ? r : runtime_start(g, a->id);
        }
        r = prepare(g, a, &st, &spec);
        if (r >= 0)
                r = check_terminal(spec, a, true);
        if (r >= 0 && a->console_socket && (console = oci_console_connect(a->console_socket)) < 0)
                r = console;
        if (r < 0) {
                if (st.dir)
                        (void)oci_state_remove(&st);
                oci_state_done(&st);
                return EXIT_RUNTIME_FAILED;
        }
        /* the pid file and the state want the init's pid: take it when the sandbox is set up,
         * through the same ready hook, whose gate the keeper opens itself */
        {
                _cleanup_free_ char *fifo = NULL;
                int gate = open_gate(&st);

                if (gate >= 0 && asprintf(&fifo, "%s/exec.fifo", st.dir) >= 0)
                        (void)unlink(fifo);
                if (gate < 0 || !fifo) {
                        log_error("cannot make the start gate of %s", a->id);
                        safe_close(gate);
                        safe_close(console);
                        (void)oci_state_remove(&st);
                        oci_state_done(&st);
                        return EXIT_RUNTIME_FAILED;
                }
                status = keep(spec, &st, -1, gate, console, true);
        }
        if (a->pid_file && st.pid > 0)
                (void)write_pid_file(a->pid_file, st.pid);
        (void)remove_state(&st);
        oci_state_done(&st);
        return status;
}

static int load(const struct runtime_globals *g, const char *id, struct oci_state *st)
{
        int r = oci_state_load(g->root, id, st);

        if (r == -ENOENT || r == -EINVAL)
                return log_error_errno(-ENOENT, "container %s does not exist", id ?: "");
        if (r < 0)
                return log_error_errno(r, "cannot read the state of %s: %m", id);
        return 0;
}

int runtime_start(const struct runtime_globals *g, const char *id)
{
        _cleanup_(oci_hooks_freep) struct oci_hooks *hooks = NULL;
        _cleanup_free_ char *fifo = NULL;
        struct oci_state st;
        enum oci_status status;
        int fd, r = -EINVAL;

        if (load(g, id, &st) < 0)
                return EXIT_RUNTIME_FAILED;
        status = oci_state_status(&st);
        if (status != OCI_CREATED) {
                log_error("container %s is %s, not created: cannot start it", id,
                          oci_status_name(status));
                goto out;
        }
        if (asprintf(&fifo, "%s/exec.fifo", st.dir) < 0)
                goto out;
        r = oci_hooks_load(st.dir, &hooks);
        if (r < 0) {
                log_error_errno(r, "cannot read the hooks of %s: %m", id);
                goto out;
        }
        /* a startContainer hook that fails stops the container before its program runs */
        r = oci_hooks_run(hooks, OCI_HOOK_START_CONTAINER, &st, OCI_CREATED);
        if (r < 0) {
                kill(st.pid, SIGKILL);
                goto out;
        }
        fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
                r = log_error_errno(-errno, "cannot start %s: %m", id);
                goto out;
        }
        r = write(fd, "0", 1) == 1 ? 0 : log_error_errno(-errno, "cannot start %s: %m", id);
        close(fd);
        if (r >= 0) {
                (void)unlink(fifo);
                (void)oci_hooks_run(hooks, OCI_HOOK_POSTSTART, &st, OCI_RUNNING);
        }
out:
        oci_state_done(&st);
        return r < 0 ? EXIT_RUNTIME_FAILED : 0;
}

int runtime_state(const struct runtime_globals *g, const char *id)
{
        _cleanup_free_ char *text = NULL;
        struct oci_state st;

        if (load(g, id, &st) < 0)
                return EXIT_RUNTIME_FAILED;
        text = oci_state_json(&st);
        oci_state_done(&st);
        if (!text)
                return EXIT_RUNTIME_FAILED;
        printf("%s\n", text);
        return 0;
}

int runtime_kill(const struct runtime_globals *g, const char *id, int sig, bool all)
{
        struct oci_state st;
        enum oci_status status;
        int r = 0;

        (void)all; /* the init forwards the signal; SIGKILL ends the whole pid namespace */
        if (load(g, id, &st) < 0)
                return EXIT_RUNTIME_FAILED;
        status = oci_state_status(&st);
        if (status != OCI_CREATED && status != OCI_RUNNING)
                r = log_error_errno(-ESRCH, "container %s is %s: cannot signal it", id,
                                    oci_status_name(status));
        else if (kill(st.pid, sig) < 0)
                r = log_error_errno(-errno, "cannot signal %s (pid %d): %m", id, (int)st.pid);
        oci_state_done(&st);
        return r < 0 ? EXIT_RUNTIME_FAILED : 0;
}

int runtime_delete(const struct runtime_globals *g, const char *id, bool force)
{
        struct oci_state st;
        enum oci_status status;
        int r = 0;

        if (load(g, id, &st) < 0)
                return EXIT_RUNTIME_FAILED;
        status = oci_state_status(&st);
        if (status == OCI_RUNNING && !force) {
                log_error("container %s is running: stop it first, or delete --force", id);
                oci_state_done(&st);
                return EXIT_RUNTIME_FAILED;
        }
        if (status == OCI_CREATED || status == OCI_RUNNING) {
                kill(st.pid, SIGKILL);
                for (int i = 0; i < 500 && oci_pid_start_time(st.pid) == st.start_time; i++)
                        usleep(10000);
        }
        r = remove_state(&st);
        if (r < 0)
                log_error_errno(r, "cannot remove the state of %s: %m", id);
        oci_state_done(&st);
        return r < 0 ? EXIT_RUNTIME_FAILED : 0;
}

/* The n-th blank-separated word of line as a number, -1 when there is none. */
static long word_number(const char *line, int n)
{
        for (int i = 0; *line; i++) {
                line += strspn(line, " \t");
                if (i == n)
                        return isdigit((unsigned char)*line) ? strtol(line, NULL, 10) : -1;
                line += strcspn(line, " \t\n");
        }
        return -1;
}

/* The column of the word PID in ps's header, -1 when there is none. */
static int pid_column(const char *header)
{
        int col = 0;

        for (const char *w = header + strspn(header, " \t"); *w; col++) {
                size_t len = strcspn(w, " \t\n");

                if (len == 3 && strneq(w, "PID", 3))
                        return col;
                w += len;
                w += strspn(w, " \t\n");
        }
        return -1;
}

/* runc's table: ps's own output (ps_args, default -ef), its header and the lines of the
 * container's processes, found by the PID column. */
static int ps_table(const pid_t *pids, int n, char **ps_args)
{
        _cleanup_strv_free_ char **argv = NULL;
        int fds[2], status, col = -1;
        char *line = NULL;
        size_t len = 0;
        pid_t child;
        FILE *f;
        int r = strv_extend(&argv, "ps");

        for (char **a = ps_args; r >= 0 && a && *a; a++)
                r = strv_extend(&argv, *a);
        if (r >= 0 && strv_length(argv) == 1)
                r = strv_extend(&argv, "-ef");
        if (r < 0)
                return log_error_errno(-ENOMEM, "out of memory");
        if (pipe2(fds, O_CLOEXEC) < 0)
                return log_error_errno(-errno, "cannot make a pipe: %m");
        child = fork();
        if (child == 0) {
                dup2(fds[1], STDOUT_FILENO);
                execvp("ps", argv);
                _exit(127);
        }
        close(fds[1]);
        f = child < 0 ? NULL : fdopen(fds[0], "re");
        if (!f) {
                close(fds[0]);
                return log_error_errno(-errno, "cannot run ps: %m");
        }
        while (getline(&line, &len, f) > 0) {
                bool print = col < 0;

                if (col < 0 && (col = pid_column(line)) < 0) {
                        log_error("%s: no PID column in the output of ps", argv[1]);
                        break;
                }
                for (int i = 0; i < n && !print; i++)
                        print = pids[i] == word_number(line, col);
                if (print)
                        fputs(line, stdout);
        }
        free(line);
        fclose(f);
        if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
            col < 0)
                return -EIO;
        return 0;
}

int runtime_ps(const struct runtime_globals *g, const char *id, bool json, char **ps_args)
{
        _cleanup_free_ pid_t *pids = NULL;
        struct oci_state st;
        int n, r = 0;

        if (load(g, id, &st) < 0)
                return EXIT_RUNTIME_FAILED;
        n = oci_state_pids(&st, &pids);
        oci_state_done(&st);
        if (n < 0) {
                log_error_errno(n, "cannot list the processes of %s: %m", id);
                return EXIT_RUNTIME_FAILED;
        }
        if (json) {
                printf("[");
                for (int i = 0; i < n; i++)
                        printf("%s%d", i ? "," : "", (int)pids[i]);
                printf("]\n");
        } else
                r = ps_table(pids, n, ps_args);
        return r < 0 ? EXIT_RUNTIME_FAILED : 0;
}
