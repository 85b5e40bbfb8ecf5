/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>

#include "basic/chase.h"
#include "basic/parse.h"
#include "basic/strv.h"
#include "policy.h"
#include "profile-directives.h"
#include "profile.h"

/* Handlers for the option table. Each receives the policy as ctx. */

static int replace_string(char **dst, const char *src)
{
        char *c = strdup(src);

        if (!c)
                return -ENOMEM;
        free(*dst);
        *dst = c;
        return 0;
}

static int absolute_path(const char *s, const char **ret_reason)
{
        if (s[0] != '/') {
                *ret_reason = "expected an absolute path";
                return -EINVAL;
        }
        return 0;
}

static int opt_profile(void *ctx, const struct option_def *def, char *const *args,
                       const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        (void)ret_reason;
        return replace_string(&p->profile_name, args[0]);
}

static enum mount_kind mount_kind_of(const char *name, bool *ret_optional)
{
        *ret_optional = false;
        if (streq(name, "ro-bind"))
                return MOUNT_RO_BIND;
        if (streq(name, "ro-bind-try")) {
                *ret_optional = true;
                return MOUNT_RO_BIND;
        }
        if (streq(name, "bind"))
                return MOUNT_BIND;
        if (streq(name, "bind-try")) {
                *ret_optional = true;
                return MOUNT_BIND;
        }
        if (streq(name, "dev-bind"))
                return MOUNT_DEV_BIND;
        if (streq(name, "overlay"))
                return MOUNT_OVERLAY;
        if (streq(name, "symlink"))
                return MOUNT_SYMLINK;
        if (streq(name, "dir"))
                return MOUNT_DIR;
        return MOUNT_TMPFS;
}

static int opt_mount2(void *ctx, const struct option_def *def, char *const *args,
                      const char **ret_reason)
{
        struct policy *p = ctx;
        bool optional;
        enum mount_kind kind = mount_kind_of(def->name, &optional);
        int r;

        _cleanup_free_ char *dir = NULL, *src = NULL;

        r = absolute_path(args[1], ret_reason);
        if (r < 0)
                return r;
        if (kind != MOUNT_SYMLINK && args[0][0] != '/') {
                /* On the command line a relative source is the user's, from the working folder
                 * (as bwrap takes it); a profile names its sources absolutely or with ${CWD}. */
                if (profile_current_dir(&dir) != -ENOENT) {
                        *ret_reason = "expected an absolute source (or ${CWD}/...) in a profile";
                        return -EINVAL;
                }
                r = path_absolute(args[0], &src);
                if (r < 0)
                        return r;
        }
        r = policy_add_mount(p, kind, src ?: args[0], args[1]);
        if (r < 0)
                return r;
        p->mounts[p->n_mounts - 1].optional = optional;
        return 0;
}

static int opt_mount1(void *ctx, const struct option_def *def, char *const *args,
                      const char **ret_reason)
{
        struct policy *p = ctx;
        bool optional;
        int r = absolute_path(args[0], ret_reason);

        if (r < 0)
                return r;
        return policy_add_mount(p, mount_kind_of(def->name, &optional), NULL, args[0]);
}

static int opt_net(void *ctx, const struct option_def *def, char *const *args,
                   const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        if (streq(args[0], "none"))
                p->net = NET_NONE;
        else if (streq(args[0], "host"))
                p->net = NET_HOST;
        else if (streq(args[0], "sinkhole"))
                p->net = NET_SINKHOLE;
        else {
                *ret_reason = "expected none, host or sinkhole";
                return -EINVAL;
        }
        return 0;
}

/* tcp-bind PORT, tcp-connect PORT: a Landlock network rule each (a repeated port is one) */
static int opt_tcp_port(void *ctx, const struct option_def *def, char *const *args,
                        const char **ret_reason)
{
        struct policy *p = ctx;
        bool bind = streq(def->name, "tcp-bind");
        uint16_t *ports = bind ? p->tcp_bind : p->tcp_connect;
        size_t *n = bind ? &p->n_tcp_bind : &p->n_tcp_connect;
        uint64_t v;

        /* 0 is Landlock's own: bind to port 0 takes an ephemeral port */
        if (parse_uint64(args[0], &v) < 0 || v > 65535) {
                *ret_reason = "expected a TCP port number, 0 (any ephemeral port) to 65535";
                return -EINVAL;
        }
        for (size_t i = 0; i < *n; i++)
                if (ports[i] == v)
                        return 0;
        if (*n >= POLICY_PORTS_MAX) {
                *ret_reason = "too many ports (at most 64 of each kind)";
                return -E2BIG;
        }
        ports[(*n)++] = (uint16_t)v;
        return 0;
}

static int opt_hostname(void *ctx, const struct option_def *def, char *const *args,
                        const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        if (strlen(args[0]) == 0 || strlen(args[0]) > 64) {
                *ret_reason = "expected 1 to 64 characters";
                return -EINVAL;
        }
        return replace_string(&p->hostname, args[0]);
}

static int opt_env(void *ctx, const struct option_def *def, char *const *args,
                   const char **ret_reason)
{
        struct policy *p = ctx;
        const char *eq = strchr(args[0], '=');
        char *entry;
        int r;

        (void)def;
        if (eq == args[0] || args[0][0] == 0) {
                *ret_reason = "expected NAME or NAME=VALUE";
                return -EINVAL;
        }
        if (eq)
                entry = strdup(args[0]);
        else {
                const char *v = getenv(args[0]);

                if (!v)
                        return 0; /* NAME alone passes the host's value, if there is one */
                if (asprintf(&entry, "%s=%s", args[0], v) < 0)
                        entry = NULL;
        }
        if (!entry)
                return -ENOMEM;
        r = strv_push(&p->env, entry);
        if (r < 0)
                free(entry);
        return r;
}

static int opt_unsetenv(void *ctx, const struct option_def *def, char *const *args,
                        const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        (void)ret_reason;
        /* Also undo an earlier "env NAME=..." (from an included profile). */
        if (p->env) {
                size_t j = 0, len = strlen(args[0]);

                for (size_t i = 0; p->env[i]; i++) {
                        if (strneq(p->env[i], args[0], len) && p->env[i][len] == '=')
                                free(p->env[i]);
                        else
                                p->env[j++] = p->env[i];
                }
                p->env[j] = NULL;
        }
        if (strv_contains(p->env_unset, args[0]))
                return 0;
        return strv_extend(&p->env_unset, args[0]);
}

static int opt_chdir(void *ctx, const struct option_def *def, char *const *args,
                     const char **ret_reason)
{
        struct policy *p = ctx;
        int r = absolute_path(args[0], ret_reason);

        (void)def;
        return r < 0 ? r : replace_string(&p->chdir, args[0]);
}

static int opt_uid(void *ctx, const struct option_def *def, char *const *args,
                   const char **ret_reason)
{
        struct policy *p = ctx;
        uint64_t v;
        int r = parse_uint64(args[0], &v);

        if (r < 0 || v >= 0xFFFFFFFFu || v == 0) {
                *ret_reason = "expected a numeric uid other than 0";
                return -EINVAL;
        }
        if (streq(def->name, "gid"))
                p->gid = (gid_t)v;
        else {
                p->uid = (uid_t)v;
                p->uid_set = true;
        }
        return 0;
}

static int opt_pass_fd(void *ctx, const struct option_def *def, char *const *args,
                       const char **ret_reason)
{
        struct policy *p = ctx;
        int fd, *fds;

        (void)def;
        if (parse_int(args[0], &fd) < 0 || fd < 3) {
                *ret_reason = "expected a file descriptor number of 3 or more";
                return -EINVAL;
        }
        if (fcntl(fd, F_GETFD) < 0) {
                *ret_reason = "that file descriptor is not open";
                return -EBADF;
        }
        if (p->n_pass_fds >= POLICY_PASS_FDS_MAX) {
                *ret_reason = "at most 64 file descriptors can be passed";
                return -E2BIG;
        }
        fds = realloc(p->pass_fds, (p->n_pass_fds + 1) * sizeof(int));
        if (!fds)
                return -ENOMEM;
        fds[p->n_pass_fds++] = fd;
        p->pass_fds = fds;
        return 0;
}

static int opt_timeout(void *ctx, const struct option_def *def, char *const *args,
                       const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        if (parse_duration_usec(args[0], &p->timeout_usec) < 0) {
                *ret_reason = "expected seconds, such as 10, 1.5 or 500ms";
                return -EINVAL;
        }
        return 0;
}

static int opt_size(void *ctx, const struct option_def *def, char *const *args,
                    const char **ret_reason)
{
        struct policy *p = ctx;
        uint64_t v;

        /* "max" lifts the default memory limit (for programs that reserve huge address
         * spaces, such as browsers, where RLIMIT_AS stands in for the cgroup) */
        if (streq(def->name, "memory") && (streq(args[0], "max") || streq(args[0], "unlimited")))
                v = 0;
        else if (parse_size(args[0], &v) < 0 || v == 0) {
                /* 0 would read as "no limit" further down: say max for that, never 0 */
                *ret_reason = streq(def->name, "memory")
                                      ? "expected a positive size such as 512M or 2G, or max"
                                      : "expected a positive size such as 512M or 2G";
                return -EINVAL;
        }
        if (streq(def->name, "memory"))
                p->memory_max = v;
        else
                p->tmpfs_size = v;
        return 0;
}

static int opt_pids(void *ctx, const struct option_def *def, char *const *args,
                    const char **ret_reason)
{
        struct policy *p = ctx;
        uint64_t v;

        (void)def;
        if (streq(args[0], "max") || streq(args[0], "unlimited"))
                v = 0;
        else if (parse_uint64(args[0], &v) < 0 || v == 0) {
                *ret_reason = "expected a positive number of tasks, or max";
                return -EINVAL;
        }
        p->pids_max = v;
        return 0;
}

static int opt_cpus(void *ctx, const struct option_def *def, char *const *args,
                    const char **ret_reason)
{
        struct policy *p = ctx;
        double v;

        (void)def;
        if (parse_double(args[0], &v) < 0 || v <= 0 || v > 4096) {
                *ret_reason = "expected a positive number of CPUs, such as 0.5 or 2";
                return -EINVAL;
        }
        p->cpus = v;
        return 0;
}

static int opt_memory_rlimit(void *ctx, const struct option_def *def, char *const *args,
                             const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        if (!streq(args[0], "as") && !streq(args[0], "data")) {
                *ret_reason = "expected as or data";
                return -EINVAL;
        }
        p->memory_rlimit_data = streq(args[0], "data");
        return 0;
}

static int opt_report(void *ctx, const struct option_def *def, char *const *args,
                      const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        (void)ret_reason;
        return replace_string(&p->report_path, args[0]);
}

static int opt_flag(void *ctx, const struct option_def *def, char *const *args,
                    const char **ret_reason)
{
        struct policy *p = ctx;

        (void)args;
        (void)ret_reason;
        if (streq(def->name, "trace"))
                p->trace = true;
        else if (streq(def->name, "trace-exec-only"))
                p->trace_exec_only = true;
        else if (streq(def->name, "complain"))
                p->complain = true;
        else if (streq(def->name, "pty"))
                p->pty = true;
        else if (streq(def->name, "no-landlock"))
                p->landlock_disabled = true;
        return 0;
}

static int opt_require(void *ctx, const struct option_def *def, char *const *args,
                       const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        if (!streq(args[0], "landlock") && !streq(args[0], "cgroup") &&
            !streq(args[0], "seccomp")) {
                *ret_reason = "expected landlock, seccomp or cgroup";
                return -EINVAL;
        }
        if (strv_contains(p->require, args[0]))
                return 0;
        return strv_extend(&p->require, args[0]);
}

static int opt_seccomp_json(void *ctx, const struct option_def *def, char *const *args,
                            const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        (void)ret_reason;
        return replace_string(&p->seccomp_json, args[0]);
}

const struct option_def policy_options[] = {
        {"profile", 'p', 1, "NAME|PATH", "profile to start from (default: default)", opt_profile,
         OPTION_CLI_ONLY},
        {"ro-bind", 0, 2, "SRC DST", "bind SRC read-only at DST", opt_mount2, 0},
        {"ro-bind-try", 0, 2, "SRC DST", "as --ro-bind, skipped when SRC is missing", opt_mount2,
         0},
        {"bind", 0, 2, "SRC DST", "bind SRC read-write at DST", opt_mount2, 0},
        {"bind-try", 0, 2, "SRC DST", "as --bind, skipped when SRC is missing", opt_mount2, 0},
        {"dev-bind", 0, 2, "SRC DST", "bind a device node SRC at DST", opt_mount2, 0},
        {"tmpfs", 0, 1, "DST", "mount a private tmpfs at DST", opt_mount1, 0},
        {"dir", 0, 1, "DST", "create an empty directory DST", opt_mount1, 0},
        {"symlink", 0, 2, "TARGET DST", "create a symbolic link DST pointing to TARGET", opt_mount2,
         0},
        {"net", 0, 1, "none|host|sinkhole", "network: own loopback only (default), host, sinkhole",
         opt_net, 0},
        {"tcp-bind", 0, 1, "PORT",
         "allow TCP bind to PORT; with any tcp-bind or tcp-connect, Landlock refuses TCP to "
         "other ports, with any net setting",
         opt_tcp_port, 0},
        {"tcp-connect", 0, 1, "PORT", "allow TCP connect to PORT (as tcp-bind)", opt_tcp_port, 0},
        {"hostname", 0, 1, "NAME", "host name inside (default: airlock)", opt_hostname, 0},
        {"env", 0, 1, "NAME[=VALUE]", "set a variable, or pass the host's value of NAME", opt_env,
         0},
        {"unsetenv", 0, 1, "NAME", "remove a variable from the default environment", opt_unsetenv,
         0},
        {"chdir", 0, 1, "DIR", "working directory inside", opt_chdir, 0},
        {"uid", 0, 1, "N", "host uid to run as when started as root (default 65534)", opt_uid, 0},
        {"gid", 0, 1, "N", "host gid to run as when started as root (default 65534)", opt_uid, 0},
        {"pass-fd", 0, 1, "N", "keep file descriptor N open in the program", opt_pass_fd,
         OPTION_CLI_ONLY},
        {"timeout", 0, 1, "SECONDS", "kill the whole sandbox after this time (status 124)",
         opt_timeout, 0},
        {"memory", 0, 1, "SIZE",
         "memory limit, such as 512M (default: a quarter of RAM; max: none)", opt_size, 0},
        {"memory-rlimit", 0, 1, "as|data",
         "without a cgroup, limit memory with RLIMIT_AS (default) or RLIMIT_DATA (browsers)",
         opt_memory_rlimit, 0},
        {"pids", 0, 1, "N", "limit on the number of tasks (default 1024; max: none)", opt_pids, 0},
        {"cpus", 0, 1, "N", "CPU bandwidth limit in CPUs, such as 0.5", opt_cpus, 0},
        {"tmpfs-size", 0, 1, "SIZE",
         "size of /tmp, /dev/shm, HOME and --tmpfs mounts (default 512M)", opt_size, 0},
        {"require", 0, 1, "FEATURE", "fail unless landlock, seccomp or cgroup is fully enforced",
         opt_require, 0},
        {"seccomp-json", 0, 1, "FILE", "import a Docker/OCI JSON seccomp profile", opt_seccomp_json,
         0},
        {"pty", 0, 0, NULL, "give the program its own pseudo-terminal", opt_flag, 0},
        {"trace", 0, 0, NULL, "record behaviour events into the report", opt_flag, 0},
        {"trace-exec-only", 0, 0, NULL,
         "with --trace or --net sinkhole: record execs only (the sinkhole, canaries and file "
         "changes stay; a browser's thousands of opens and IPC sends pay no round trip)",
         opt_flag, OPTION_CLI_ONLY},
        {"complain", 0, 0, NULL,
         "refuse no syscall: list in the report what the seccomp filter would refuse (implies "
         "--trace; Landlock cannot log, so it is off)",
         opt_flag, OPTION_CLI_ONLY},
        {"report", 0, 1, "FILE", "write a JSON report of what was enforced and what happened",
         opt_report, OPTION_CLI_ONLY},
        {"no-landlock", 0, 0, NULL, "do not apply Landlock (debugging only)", opt_flag,
         OPTION_HIDDEN},
        /* The profile language's own directives (profile-directives.c); each is a flag too. */
        {"include", 0, 1, "NAME|PATH", "apply another profile on top (in a profile: include it)",
         opt_include, 0},
        {"unbind", 0, 1, "DST", "drop every earlier mount at DST (undo a profile's bind)",
         opt_unbind, 0},
        {"reset", 0, 1, "DIRECTIVE", "undo what earlier DIRECTIVEs set (mounts, seccomp, env...)",
         opt_reset, 0},
        {"persist", 0, 1, "DST", "bind a private folder of this application that persists at DST",
         opt_persist, 0},
        {"home", 0, 1, "DIR", "HOME inside (default: /home/sandbox)", opt_home, 0},
        {"overlay", 0, 2, "SRC DST",
         "a copy-on-write view of SRC at DST: changes go to a tmpfs (with --app: the "
         "application's folder), never to SRC",
         opt_mount2, 0},
        {"display", 0, 1, "wayland|x11|none",
         "reach the host's display server through its socket alone (x11 lets the program see "
         "every other X client)",
         opt_display, 0},
        {"app", 0, 1, "NAME",
         "run as application NAME: HOME and --overlay changes persist in its own folder", opt_app,
         0},
        {"allow-userns", 0, 0, NULL, "let the program make nested user namespaces (browsers)",
         opt_namespace_flag, 0},
        {"seccomp-mode", 0, 1, "denylist|allowlist",
         "denylist: allow all but denied calls (default); allowlist: deny all but allowed ones",
         opt_seccomp_mode, 0},
        {"seccomp-import", 0, 1, "FILE",
         "as --seccomp-json; in a profile a relative FILE is beside the profile",
         opt_seccomp_import, 0},
        {"seccomp-errno", 0, 1, "ERRNO", "errno of calls an allow-list does not name (EPERM)",
         opt_seccomp_errno, 0},
        {"seccomp-allow", 0, 1, "RULE", "allow a syscall or @group (RULE: NAME[a0==V,...])",
         opt_seccomp_rule, 0},
        {"seccomp-deny", 0, 1, "RULE", "make a syscall or @group fail (NAME[...][=ERRNO])",
         opt_seccomp_rule, 0},
        {"seccomp-kill", 0, 1, "RULE", "kill the process on a syscall or @group", opt_seccomp_rule,
         0},
        {"seccomp-log", 0, 1, "RULE", "allow and log a syscall or @group", opt_seccomp_rule, 0},
        {"seccomp-notify", 0, 1, "RULE", "hand a syscall or @group to the behaviour monitor",
         opt_seccomp_rule, 0},
        {"seccomp-trap", 0, 1, "RULE", "send SIGSYS on a syscall or @group", opt_seccomp_rule,
         OPTION_HIDDEN},
};
const size_t policy_options_count = ELEMENTSOF(policy_options);
