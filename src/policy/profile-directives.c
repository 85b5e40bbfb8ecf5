/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "basic/chase.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "basic/strv.h"
#include "profile-directives.h"
#include "profile.h"
#include "syscall-groups.h"

int opt_include(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason)
{
        (void)def;
        (void)ret_reason;
        return profile_include(ctx, args[0]);
}

static void mount_entry_free_strings(struct mount_entry *m)
{
        free(m->src);
        free(m->dst);
}

/* Keeps the mounts for which drop() is false, in order. Returns how many were removed. */
static size_t remove_mounts(struct policy *p,
                            bool (*drop)(const struct mount_entry *, const void *),
                            const void *data)
{
        size_t j = 0, n = p->n_mounts;

        for (size_t i = 0; i < n; i++) {
                if (drop(&p->mounts[i], data)) {
                        mount_entry_free_strings(&p->mounts[i]);
                        continue;
                }
                p->mounts[j++] = p->mounts[i];
        }
        p->n_mounts = j;
        return n - j;
}

static bool mount_has_dst(const struct mount_entry *m, const void *dst)
{
        return streq(m->dst, (const char *)dst);
}

int opt_unbind(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason)
{
        (void)def;
        if (args[0][0] != '/') {
                *ret_reason = "expected the absolute destination of an earlier mount";
                return -EINVAL;
        }
        if (remove_mounts(ctx, mount_has_dst, args[0]) == 0) {
                *ret_reason = "expected the destination of an earlier mount: nothing is mounted "
                              "there";
                return -ENOENT;
        }
        return 0;
}

struct mount_kind_match {
        enum mount_kind kind;
        bool optional;
};

static bool mount_is_kind(const struct mount_entry *m, const void *data)
{
        const struct mount_kind_match *k = data;

        return m->kind == k->kind && m->optional == k->optional;
}

static bool mount_always(const struct mount_entry *m, const void *data)
{
        (void)m;
        (void)data;
        return true;
}

static const struct {
        const char *name;
        struct mount_kind_match match;
} mount_directives[] = {
        {"ro-bind", {MOUNT_RO_BIND, false}},   {"ro-bind-try", {MOUNT_RO_BIND, true}},
        {"bind", {MOUNT_BIND, false}},         {"bind-try", {MOUNT_BIND, true}},
        {"dev-bind", {MOUNT_DEV_BIND, false}}, {"tmpfs", {MOUNT_TMPFS, false}},
        {"dir", {MOUNT_DIR, false}},           {"symlink", {MOUNT_SYMLINK, false}},
        {"overlay", {MOUNT_OVERLAY, false}},
};

static void remove_seccomp_rules(struct policy *p, enum seccomp_action_kind action, bool all)
{
        size_t j = 0;

        for (size_t i = 0; i < p->n_seccomp_rules; i++) {
                if (all || p->seccomp_rules[i].action == action) {
                        free(p->seccomp_rules[i].name);
                        continue;
                }
                p->seccomp_rules[j++] = p->seccomp_rules[i];
        }
        p->n_seccomp_rules = j;
}

static const struct {
        const char *directive;
        enum seccomp_action_kind action;
} seccomp_rule_directives[] = {
        {"seccomp-allow", SECCOMP_ACT_ALLOW_KIND},   {"seccomp-deny", SECCOMP_ACT_ERRNO_KIND},
        {"seccomp-kill", SECCOMP_ACT_KILL_KIND},     {"seccomp-log", SECCOMP_ACT_LOG_KIND},
        {"seccomp-notify", SECCOMP_ACT_NOTIFY_KIND}, {"seccomp-trap", SECCOMP_ACT_TRAP_KIND},
};

const char *seccomp_action_directive(enum seccomp_action_kind action)
{
        for (size_t i = 0; i < ELEMENTSOF(seccomp_rule_directives); i++)
                if (seccomp_rule_directives[i].action == action)
                        return seccomp_rule_directives[i].directive;
        return NULL;
}

static void free_and_null(char **s)
{
        free(*s);
        *s = NULL;
}

/* Puts what one directive sets back to the built-in default: the value policy_new() gives. */
static int reset_setting(struct policy *p, const char *name)
{
        _cleanup_(policy_freep) struct policy *d = NULL;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(mount_directives); i++)
                if (streq(name, mount_directives[i].name)) {
                        remove_mounts(p, mount_is_kind, &mount_directives[i].match);
                        return 0;
                }
        for (size_t i = 0; i < ELEMENTSOF(seccomp_rule_directives); i++)
                if (streq(name, seccomp_rule_directives[i].directive)) {
                        remove_seccomp_rules(p, seccomp_rule_directives[i].action, false);
                        return 0;
                }
        if (streq(name, "mounts") || streq(name, "unbind") || streq(name, "persist")) {
                remove_mounts(p, mount_always, NULL);
                return 0;
        }
        if (streq(name, "seccomp")) {
                remove_seccomp_rules(p, SECCOMP_ACT_ALLOW_KIND, true);
                return 0;
        }

        r = policy_new(&d);
        if (r < 0)
                return r;
        if (streq(name, "net"))
                p->net = d->net;
        else if (streq(name, "tcp-bind"))
                p->n_tcp_bind = 0;
        else if (streq(name, "tcp-connect"))
                p->n_tcp_connect = 0;
        else if (streq(name, "hostname"))
                free_and_null(&p->hostname);
        else if (streq(name, "env")) {
                strv_free(p->env);
                p->env = NULL;
        } else if (streq(name, "unsetenv")) {
                strv_free(p->env_unset);
                p->env_unset = NULL;
        } else if (streq(name, "chdir"))
                free_and_null(&p->chdir);
        else if (streq(name, "home"))
                free_and_null(&p->home);
        else if (streq(name, "uid")) {
                p->uid = d->uid;
                p->uid_set = d->uid_set;
        } else if (streq(name, "gid"))
                p->gid = d->gid;
        else if (streq(name, "timeout"))
                p->timeout_usec = d->timeout_usec;
        else if (streq(name, "memory"))
                p->memory_max = d->memory_max;
        else if (streq(name, "memory-rlimit"))
                p->memory_rlimit_data = d->memory_rlimit_data;
        else if (streq(name, "pids"))
                p->pids_max = d->pids_max;
        else if (streq(name, "cpus"))
                p->cpus = d->cpus;
        else if (streq(name, "tmpfs-size"))
                p->tmpfs_size = d->tmpfs_size;
        else if (streq(name, "require")) {
                strv_free(p->require);
                p->require = NULL;
        } else if (streq(name, "seccomp-json") || streq(name, "seccomp-import"))
                free_and_null(&p->seccomp_json);
        else if (streq(name, "seccomp-mode"))
                p->seccomp_mode = d->seccomp_mode;
        else if (streq(name, "seccomp-errno"))
                p->seccomp_default_errno = d->seccomp_default_errno;
        else if (streq(name, "pty"))
                p->pty = d->pty;
        else if (streq(name, "trace"))
                p->trace = d->trace;
        else if (streq(name, "no-landlock"))
                p->landlock_disabled = d->landlock_disabled;
        else if (streq(name, "allow-userns"))
                p->allow_userns = d->allow_userns;
        else
                return -EINVAL;
        return 0;
}

int opt_reset(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason)
{
        int r;

        (void)def;
        r = reset_setting(ctx, args[0]);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                *ret_reason = "expected a directive that sets something (such as net, bind, env, "
                              "memory, seccomp-deny), or mounts or seccomp";
                return -EINVAL;
        }
        return 0;
}

static int mkdir_parents(const char *path, mode_t mode)
{
        _cleanup_free_ char *copy = strdup(path);

        if (!copy)
                return -ENOMEM;
        for (char *s = copy + 1; *s; s++) {
                if (*s != '/')
                        continue;
                *s = 0;
                if (mkdir(copy, mode) < 0 && errno != EEXIST)
                        return negative_errno();
                *s = '/';
        }
        if (mkdir(copy, mode) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

static bool path_is_clean(const char *path)
{
        /* No "." or ".." components and no empty ones: the folder must stay below the app's. */
        if (path[0] != '/' || strstr(path, "//"))
                return false;
        for (const char *c = path; (c = strchr(c, '/')); c++)
                if (strneq(c, "/./", 3) || strneq(c, "/../", 4) || streq(c, "/.") ||
                    streq(c, "/.."))
                        return false;
        return true;
}

/* The folder that holds every application's persistent folders: $XDG_DATA_HOME/airlock/apps
 * or ~/.local/share/airlock/apps; for root, which runs programs as another uid that cannot
 * enter /root, /var/lib/airlock/apps unless XDG_DATA_HOME says otherwise. */
int profile_apps_dir(char **ret)
{
        _cleanup_free_ char *home = NULL;
        const char *xdg = getenv("XDG_DATA_HOME");
        int r;

        if (xdg && xdg[0] == '/')
                r = asprintf(ret, "%s/airlock/apps", xdg);
        else if (geteuid() == 0)
                r = asprintf(ret, "/var/lib/airlock/apps");
        else {
                r = profile_variable("HOME", NULL, &home);
                if (r < 0)
                        return r;
                r = asprintf(ret, "%s/.local/share/airlock/apps", home);
        }
        return r < 0 ? -ENOMEM : 0;
}

int profile_untrusted_folders(const struct policy *p, char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *downloads = NULL, *apps = NULL;
        char real[PATH_MAX];

        if (profile_variable("DOWNLOADS", NULL, &downloads) >= 0 && realpath(downloads, real) &&
            strv_extend(&l, real) < 0)
                return -ENOMEM;
        if (profile_apps_dir(&apps) >= 0 && realpath(apps, real) && strv_extend(&l, real) < 0)
                return -ENOMEM;
        for (size_t i = 0; p && i < p->n_mounts; i++)
                if (p->mounts[i].kind == MOUNT_BIND && p->mounts[i].src &&
                    realpath(p->mounts[i].src, real) && strv_extend(&l, real) < 0)
                        return -ENOMEM;
        for (char **f = p ? p->untrusted_folders : NULL; f && *f; f++)
                if (realpath(*f, real) && strv_extend(&l, real) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

/* persist DST: a private folder of this application that outlives the sandbox (a browser's
 * profile), kept in APPS/APP/DST (see profile_apps_dir()) and bound at DST. The folder is
 * made here so that the launcher finds it; when airlock runs as root it belongs to the uid the
 * program runs as, and the folders above it can be entered by that uid. */
static bool persist_dry_run;

void profile_set_dry_run(bool dry_run)
{
        persist_dry_run = dry_run;
}

/* Makes APPS/rel, the private folder of an application, and returns its path. Below APPS
 * everything may have been written by a sandbox (the application's HOME is there), so the
 * folders are made and opened one by one without following a link, and the last one is
 * handed to the uid the program runs as through its fd, never through the path. */
static int app_store_folder(const struct policy *p, const char *rel, char **ret)
{
        _cleanup_free_ char *apps = NULL, *path = NULL;
        _cleanup_close_ int appsfd = -1, fd = -1;
        bool root = geteuid() == 0;
        int r;

        r = profile_apps_dir(&apps);
        if (r < 0)
                return r;
        if (asprintf(&path, "%s/%s", apps, rel) < 0)
                return -ENOMEM;
        if (persist_dry_run) {
                *ret = TAKE_PTR(path);
                return 0;
        }
        r = mkdir_parents(apps, root ? 0755 : 0700);
        if (r < 0)
                return r;
        appsfd = open(apps, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (appsfd < 0)
                return negative_errno();
        fd = mkdir_beneath(appsfd, rel, root ? 0755 : 0700);
        if (fd < 0)
                return fd;
        if (root && (fchown(fd, p->uid, p->gid) < 0 || fchmod(fd, 0700) < 0))
                return negative_errno();
        *ret = TAKE_PTR(path);
        return 0;
}

int opt_persist(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason)
{
        struct policy *p = ctx;
        _cleanup_free_ char *app = NULL, *rel = NULL, *src = NULL;
        int r;

        (void)def;
        if (!path_is_clean(args[0]) || streq(args[0], "/")) {
                *ret_reason = "expected an absolute folder inside the sandbox, without . or ..";
                return -EINVAL;
        }
        r = profile_variable("APP", NULL, &app);
        if (r < 0)
                return r;
        if (asprintf(&rel, "%s%s", app, args[0]) < 0)
                return -ENOMEM;
        r = app_store_folder(p, rel, &src);
        if (r == -ELOOP)
                *ret_reason = "a symbolic link stands in the application's private folder "
                              "(a sandbox can write there): airlock does not follow it";
        else if (r < 0)
                *ret_reason = "cannot make the private folder of this application";
        if (r < 0)
                return r;
        return policy_add_mount(p, MOUNT_BIND, src, args[0]);
}

/* app NAME: the sandbox is application NAME. ${APP} names it from here on, HOME is its
 * persistent private folder and overlays keep their changes in its folder (see mount.c). */
int opt_app(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason)
{
        struct policy *p = ctx;
        const char *n = args[0];
        char *copy;

        (void)def;
        if (!n[0] || n[0] == '.' || strlen(n) > 64 ||
            strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
                    strlen(n)) {
                *ret_reason = "expected a name of letters, digits, '.', '_' and '-' (at most 64), "
                              "not starting with '.'";
                return -EINVAL;
        }
        copy = strdup(n);
        if (!copy)
                return -ENOMEM;
        free(p->app);
        p->app = copy;
        return profile_set_app(n);
}

static int push_env(struct policy *p, const char *name, const char *value)
{
        char *entry;
        int r;

        if (asprintf(&entry, "%s=%s", name, value) < 0)
                return -ENOMEM;
        r = strv_push(&p->env, entry);
        if (r < 0)
                free(entry);
        return r;
}

static bool is_socket(const char *path)
{
        struct stat st;

        return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* display wayland|x11|none: the host's display server, reached through its socket bound into
 * the sandbox (nothing else of the host's /run or /tmp). Resolved from the environment when
 * the directive is read, like persist. */
int opt_display(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason)
{
        struct policy *p = ctx;
        const char *what = args[0];
        _cleanup_free_ char *sock = NULL;
        int r;

        (void)def;
        if (streq(what, "none"))
                return 0;
        if (streq(what, "wayland")) {
                const char *wd = getenv("WAYLAND_DISPLAY"), *rt = getenv("XDG_RUNTIME_DIR");

                if (!wd || !wd[0])
                        wd = "wayland-0";
                if (wd[0] == '/')
                        sock = strdup(wd);
                else if (rt && rt[0] == '/' && asprintf(&sock, "%s/%s", rt, wd) < 0)
                        sock = NULL;
                if (!sock || !is_socket(sock)) {
                        *ret_reason =
                                "no Wayland display socket ($XDG_RUNTIME_DIR/$WAYLAND_DISPLAY)";
                        return -ENOENT;
                }
                if ((r = policy_add_mount(p, MOUNT_TMPFS, NULL, "/run/airlock")) < 0 ||
                    (r = policy_add_mount(p, MOUNT_BIND, sock, "/run/airlock/wayland-0")) < 0 ||
                    (r = push_env(p, "WAYLAND_DISPLAY", "/run/airlock/wayland-0")) < 0 ||
                    (r = push_env(p, "XDG_RUNTIME_DIR", "/run/airlock")) < 0)
                        return r;
                return 0;
        }
        if (streq(what, "x11")) {
                const char *d = getenv("DISPLAY"), *xa = getenv("XAUTHORITY");
                _cleanup_free_ char *dst = NULL, *home = NULL, *auth = NULL;
                unsigned long n = 0;
                char *end = NULL;

                /* Local displays only: ":N" or ":N.S". A TCP display would need the network. */
                if (d && d[0] == ':' && isdigit((unsigned char)d[1]))
                        n = strtoul(d + 1, &end, 10);
                if (!end || (*end && *end != '.') || n > 65535) {
                        *ret_reason = "DISPLAY is not a local X display such as :0";
                        return -EINVAL;
                }
                if (asprintf(&sock, "/tmp/.X11-unix/X%lu", n) < 0 ||
                    asprintf(&dst, "/tmp/.X11-unix/X%lu", n) < 0)
                        return -ENOMEM;
                if (!is_socket(sock)) {
                        *ret_reason = "no X server socket in /tmp/.X11-unix for DISPLAY";
                        return -ENOENT;
                }
                if ((r = policy_add_mount(p, MOUNT_TMPFS, NULL, "/run/airlock")) < 0 ||
                    (r = policy_add_mount(p, MOUNT_BIND, sock, dst)) < 0 ||
                    (r = push_env(p, "DISPLAY", d)) < 0)
                        return r;
                if (xa && xa[0] == '/')
                        auth = strdup(xa);
                else if (profile_variable("HOME", NULL, &home) >= 0 &&
                         asprintf(&auth, "%s/.Xauthority", home) < 0)
                        auth = NULL;
                if (auth && access(auth, R_OK) == 0 &&
                    ((r = policy_add_mount(p, MOUNT_RO_BIND, auth, "/run/airlock/Xauthority")) <
                             0 ||
                     (r = push_env(p, "XAUTHORITY", "/run/airlock/Xauthority")) < 0))
                        return r;
                log_warning("display x11: the program can read the keystrokes and windows of "
                            "every client of this X server (X11 does not isolate clients); "
                            "prefer display wayland");
                return 0;
        }
        *ret_reason = "expected wayland, x11 or none";
        return -EINVAL;
}

int profile_app_folder(const struct policy *p, const char *sub, char **ret)
{
        _cleanup_free_ char *rel = NULL;

        if (!p->app)
                return -EINVAL;
        if (asprintf(&rel, "%s/%s", p->app, sub) < 0)
                return -ENOMEM;
        return app_store_folder(p, rel, ret);
}

int opt_home(void *ctx, const struct option_def *def, char *const *args, const char **ret_reason)
{
        struct policy *p = ctx;
        char *c;

        (void)def;
        if (!path_is_clean(args[0]) || streq(args[0], "/")) {
                *ret_reason = "expected an absolute folder other than /, without . or ..";
                return -EINVAL;
        }
        c = strdup(args[0]);
        if (!c)
                return -ENOMEM;
        free(p->home);
        p->home = c;
        return 0;
}

int opt_namespace_flag(void *ctx, const struct option_def *def, char *const *args,
                       const char **ret_reason)
{
        struct policy *p = ctx;

        (void)args;
        (void)ret_reason;
        if (streq(def->name, "allow-userns"))
                p->allow_userns = true;
        else
                return -EINVAL;
        return 0;
}

static const struct {
        const char *name;
        int value;
} errno_names[] = {
        {"EPERM", EPERM},
        {"ENOENT", ENOENT},
        {"ESRCH", ESRCH},
        {"EINTR", EINTR},
        {"EIO", EIO},
        {"ENXIO", ENXIO},
        {"E2BIG", E2BIG},
        {"EBADF", EBADF},
        {"EAGAIN", EAGAIN},
        {"ENOMEM", ENOMEM},
        {"EACCES", EACCES},
        {"EFAULT", EFAULT},
        {"EBUSY", EBUSY},
        {"EEXIST", EEXIST},
        {"EXDEV", EXDEV},
        {"ENODEV", ENODEV},
        {"ENOTDIR", ENOTDIR},
        {"EISDIR", EISDIR},
        {"EINVAL", EINVAL},
        {"ENFILE", ENFILE},
        {"EMFILE", EMFILE},
        {"ENOTTY", ENOTTY},
        {"EROFS", EROFS},
        {"ENOSYS", ENOSYS},
        {"ENOTSUP", ENOTSUP},
        {"EAFNOSUPPORT", EAFNOSUPPORT},
        {"ENOSPC", ENOSPC},
        {"EPROTONOSUPPORT", EPROTONOSUPPORT},
        {"ECONNREFUSED", ECONNREFUSED},
        {"ENETUNREACH", ENETUNREACH},
};

int errno_parse(const char *s, int *ret)
{
        int v;

        for (size_t i = 0; i < ELEMENTSOF(errno_names); i++)
                if (streq(s, errno_names[i].name)) {
                        *ret = errno_names[i].value;
                        return 0;
                }
        if (parse_int(s, &v) < 0 || v < 1 || v > 4095)
                return -EINVAL;
        *ret = v;
        return 0;
}

const char *errno_name(int e)
{
        for (size_t i = 0; i < ELEMENTSOF(errno_names); i++)
                if (errno_names[i].value == e)
                        return errno_names[i].name;
        return NULL;
}

/* Constants that argument conditions may name instead of numbers. */
static const struct {
        const char *name;
        uint64_t value;
} cond_constants[] = {
        {"AF_UNIX", AF_UNIX},
        {"AF_INET", AF_INET},
        {"AF_INET6", AF_INET6},
        {"AF_NETLINK", AF_NETLINK},
        {"AF_PACKET", AF_PACKET},
        {"AF_VSOCK", AF_VSOCK},
        {"CLONE_NEWNS", CLONE_NEWNS},
        {"CLONE_NEWUSER", CLONE_NEWUSER},
        {"CLONE_NEWPID", CLONE_NEWPID},
        {"CLONE_NEWNET", CLONE_NEWNET},
        {"CLONE_NEWIPC", CLONE_NEWIPC},
        {"CLONE_NEWUTS", CLONE_NEWUTS},
        {"CLONE_NEWCGROUP", CLONE_NEWCGROUP},
        {"TIOCSTI", TIOCSTI},
        {"TIOCLINUX", TIOCLINUX},
        {"PER_LINUX", 0},
};

static int parse_cond_value(const char *s, size_t len, uint64_t *ret)
{
        char buf[32], *end;
        unsigned long long v;

        if (len == 0 || len >= sizeof(buf))
                return -EINVAL;
        memcpy(buf, s, len);
        buf[len] = 0;
        for (size_t i = 0; i < ELEMENTSOF(cond_constants); i++)
                if (streq(buf, cond_constants[i].name)) {
                        *ret = cond_constants[i].value;
                        return 0;
                }
        if (!isdigit((unsigned char)buf[0]))
                return -EINVAL;
        errno = 0;
        v = strtoull(buf, &end, 0);
        if (errno || *end)
                return -EINVAL;
        *ret = v;
        return 0;
}

static const struct {
        const char *text;
        enum seccomp_cmp op;
} cond_ops[] = {
        /* two-character operators first */
        {"==", SECCOMP_CMP_EQ_KIND}, {"!=", SECCOMP_CMP_NE_KIND}, {"<=", SECCOMP_CMP_LE_KIND},
        {">=", SECCOMP_CMP_GE_KIND}, {"<", SECCOMP_CMP_LT_KIND},  {">", SECCOMP_CMP_GT_KIND},
};

/* One condition: aN OP VALUE, or aN&MASK==VALUE. */
static int parse_cond(const char *s, size_t len, struct seccomp_arg_cond *ret)
{
        const char *end = s + len, *c;
        struct seccomp_arg_cond cond = {0};

        if (len < 4 || s[0] != 'a' || s[1] < '0' || s[1] > '5')
                return -EINVAL;
        cond.index = (unsigned)(s[1] - '0');
        c = s + 2;
        if (*c == '&') {
                const char *eq = memmem(c, (size_t)(end - c), "==", 2);

                if (!eq || parse_cond_value(c + 1, (size_t)(eq - c - 1), &cond.mask) < 0)
                        return -EINVAL;
                cond.op = SECCOMP_CMP_MASKED_EQ_KIND;
                c = eq + 2;
        } else {
                size_t i;

                for (i = 0; i < ELEMENTSOF(cond_ops); i++)
                        if (strneq(c, cond_ops[i].text, strlen(cond_ops[i].text)))
                                break;
                if (i == ELEMENTSOF(cond_ops))
                        return -EINVAL;
                cond.op = cond_ops[i].op;
                c += strlen(cond_ops[i].text);
        }
        if (parse_cond_value(c, (size_t)(end - c), &cond.value) < 0)
                return -EINVAL;
        *ret = cond;
        return 0;
}

static bool valid_group_name(const char *s, size_t len)
{
        if (len < 2)
                return false;
        for (size_t i = 1; i < len; i++)
                if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
                        return false;
        return true;
}

int seccomp_rule_parse(const char *text, enum seccomp_action_kind action, struct seccomp_rule *ret,
                       const char **ret_reason)
{
        struct seccomp_rule rule = {.action = action, .errno_value = EPERM};
        size_t name_len = strcspn(text, "[=");
        const char *c = text + name_len;

        if (name_len == 0 || name_len > 64) {
                *ret_reason = "expected a syscall name or an @group";
                return -EINVAL;
        }
        rule.name = strndup(text, name_len);
        if (!rule.name)
                return -ENOMEM;
        if (rule.name[0] == '@') {
                if (!valid_group_name(rule.name, name_len) || !syscall_group_find(rule.name)) {
                        *ret_reason = "expected a group name such as @mount (see airlock profile "
                                      "syscalls)";
                        goto fail;
                }
        } else if (syscall_group_resolve_name(rule.name) < 0) {
                *ret_reason = "expected a syscall this architecture knows, or an @group (see "
                              "airlock profile syscalls)";
                goto fail;
        }
        if (*c == '[') {
                const char *close = strchr(c, ']');

                if (!close) {
                        *ret_reason = "expected ']' after the argument conditions";
                        goto fail;
                }
                c++;
                while (c < close) {
                        size_t len = strcspn(c, ",]");

                        if (rule.n_conds == ELEMENTSOF(rule.conds) ||
                            parse_cond(c, len, &rule.conds[rule.n_conds]) < 0) {
                                *ret_reason = "expected up to 6 conditions aN==V, aN!=V, aN<V, "
                                              "aN<=V, aN>V, aN>=V or aN&MASK==V, separated by ','";
                                goto fail;
                        }
                        rule.n_conds++;
                        c += len;
                        if (*c == ',')
                                c++;
                }
                if (rule.n_conds == 0) {
                        *ret_reason = "expected at least one condition between '[' and ']'";
                        goto fail;
                }
                c = close + 1;
        }
        if (*c == '=') {
                if (action != SECCOMP_ACT_ERRNO_KIND || errno_parse(c + 1, &rule.errno_value) < 0) {
                        *ret_reason = action == SECCOMP_ACT_ERRNO_KIND
                                              ? "expected an errno name such as EPERM or a number "
                                                "from 1 to 4095 after '='"
                                              : "expected no '=ERRNO': only seccomp-deny takes one";
                        goto fail;
                }
                c += strlen(c);
        }
        if (*c) {
                *ret_reason = "expected NAME, NAME[CONDITIONS] or for seccomp-deny NAME=ERRNO";
                goto fail;
        }
        *ret = rule;
        return 0;
fail:
        free(rule.name);
        return -EINVAL;
}

/* Small numbers in decimal, the rest (flags, ioctl requests) in hex. */
static void format_value(FILE *f, uint64_t v)
{
        if (v < 10)
                fprintf(f, "%" PRIu64, v);
        else
                fprintf(f, "%#" PRIx64, v);
}

int seccomp_rule_format(const struct seccomp_rule *rule, char **ret)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        int r;

        if (!f)
                return -ENOMEM;
        fputs(rule->name, f);
        for (unsigned i = 0; i < rule->n_conds && i < ELEMENTSOF(rule->conds); i++) {
                const struct seccomp_arg_cond *c = &rule->conds[i];
                static const char *const ops[] = {
                        [SECCOMP_CMP_EQ_KIND] = "==", [SECCOMP_CMP_NE_KIND] = "!=",
                        [SECCOMP_CMP_LT_KIND] = "<",  [SECCOMP_CMP_LE_KIND] = "<=",
                        [SECCOMP_CMP_GT_KIND] = ">",  [SECCOMP_CMP_GE_KIND] = ">=",
                };

                fputc(i == 0 ? '[' : ',', f);
                fprintf(f, "a%u", c->index);
                if (c->op == SECCOMP_CMP_MASKED_EQ_KIND) {
                        fputc('&', f);
                        format_value(f, c->mask);
                        fputs("==", f);
                } else if (c->op > SECCOMP_CMP_NONE && c->op < ELEMENTSOF(ops))
                        fputs(ops[c->op], f);
                format_value(f, c->value);
        }
        if (rule->n_conds > 0)
                fputc(']', f);
        if (rule->action == SECCOMP_ACT_ERRNO_KIND && rule->errno_value != EPERM) {
                const char *n = errno_name(rule->errno_value);

                if (n)
                        fprintf(f, "=%s", n);
                else
                        fprintf(f, "=%d", rule->errno_value);
        }
        r = ferror(f) ? -ENOMEM : 0;
        fclose(f);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(buf);
        return 0;
}

int opt_seccomp_rule(void *ctx, const struct option_def *def, char *const *args,
                     const char **ret_reason)
{
        struct seccomp_rule rule;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(seccomp_rule_directives); i++) {
                if (!streq(def->name, seccomp_rule_directives[i].directive))
                        continue;
                r = seccomp_rule_parse(args[0], seccomp_rule_directives[i].action, &rule,
                                       ret_reason);
                if (r < 0)
                        return r;
                r = policy_add_seccomp_rule(ctx, &rule);
                free(rule.name);
                return r;
        }
        return -EINVAL;
}

int opt_seccomp_mode(void *ctx, const struct option_def *def, char *const *args,
                     const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        if (streq(args[0], "denylist"))
                p->seccomp_mode = SECCOMP_MODE_DENYLIST;
        else if (streq(args[0], "allowlist"))
                p->seccomp_mode = SECCOMP_MODE_ALLOWLIST;
        else {
                *ret_reason = "expected denylist or allowlist";
                return -EINVAL;
        }
        return 0;
}

int opt_seccomp_errno(void *ctx, const struct option_def *def, char *const *args,
                      const char **ret_reason)
{
        struct policy *p = ctx;

        (void)def;
        if (errno_parse(args[0], &p->seccomp_default_errno) < 0) {
                *ret_reason = "expected an errno name such as EPERM or ENOSYS, or a number from 1 "
                              "to 4095";
                return -EINVAL;
        }
        return 0;
}

/* seccomp-import FILE: as seccomp-json, with a relative FILE found beside the profile that
 * names it (or in the current folder on the command line), and made absolute so that the
 * policy means the same wherever it is shown or run. */
int opt_seccomp_import(void *ctx, const struct option_def *def, char *const *args,
                       const char **ret_reason)
{
        struct policy *p = ctx;
        _cleanup_free_ char *dir = NULL, *joined = NULL;
        char *abs;
        int r;

        (void)def;
        if (args[0][0] == '/')
                joined = strdup(args[0]);
        else {
                r = profile_current_dir(&dir);
                if (r == -ENOENT) {
                        dir = get_current_dir_name();
                        r = dir ? 0 : negative_errno();
                }
                if (r < 0)
                        return r;
                if (asprintf(&joined, "%s/%s", dir, args[0]) < 0)
                        joined = NULL;
        }
        if (!joined)
                return -ENOMEM;
        abs = realpath(joined, NULL);
        if (!abs) {
                *ret_reason = "expected a Docker/OCI JSON seccomp profile that exists";
                return negative_errno();
        }
        free(p->seccomp_json);
        p->seccomp_json = abs;
        return 0;
}
