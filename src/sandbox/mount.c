/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>

#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/strv.h"
#include "mount.h"
#include "startup-trace.h"
#include "policy/profile-directives.h"
#include "policy/profile.h"

enum plan_kind {
        PLAN_BIND,    /* src: canonical host path, opened without following symlinks */
        PLAN_FS,      /* a new file system: src is its type, options its options */
        PLAN_DIR,     /* an empty directory */
        PLAN_SYMLINK, /* src is the target */
        PLAN_FILE,    /* a read-only file with src as its content */
        PLAN_RO_SELF, /* make dst (inside the new root) read-only by binding it onto itself */
        PLAN_SET_RO,  /* make the mount at dst read-only, once it is populated */
        PLAN_MASK,    /* hide dst where it is inside the new root (policy's MOUNT_MASK) */
        PLAN_OVERLAY, /* src: the lower folder; options: "dir:PATH" of a persistent folder with
                       * upper/ and work/, or "tmpfs:OPTIONS" for changes that end with the
                       * sandbox */
};

struct plan_entry {
        enum plan_kind kind;
        char *src;
        char *dst; /* normalised, relative to the new root */
        char *options;
        unsigned attrs; /* MOUNT_ATTR_* */
        bool recursive;
        bool optional;
        bool idmap; /* mount_idmap_sources() makes it in the parent, where it can */
        /* a host file of the default view (/etc, /dev): opened as one without its type read,
         * which its mount checks (attach()) */
        bool likely_file;
};

struct mount_plan {
        struct plan_entry *entries;
        size_t n;
        char *root_options;
        /* policy.root_bind: the entry (index + 1, 0 for none) whose tree becomes the new root
         * instead of a tmpfs, and whether it is made read-only once built */
        size_t root_entry;
        bool root_readonly;
        /* in the child: the detached source trees, per entry (0: none); for overlays the
         * lower folder, and in aux its persistent folder; for a deferred bind, aux holds its
         * clone once attached, closed with the others at the end (one close_range() for a run
         * of them instead of a close() each) */
        int *trees;
        int *aux;
        bool *is_dir;
        int *idmapped; /* in the child: the trees mount_idmap_sources() sent, per entry */
        /* in the child: trees[i] is the source opened (O_PATH), cloned when it is attached,
         * so that mountinfo lists the mounts in the plan's order, as runtimes are checked */
        bool *deferred;
        /* host folders sandboxes can write (profile_untrusted_folders()), found with the
         * first source to resolve: the default view has none */
        char **untrusted;
        bool have_untrusted;
};

#define BIND_RO_ATTRS (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)

void mount_plan_free(struct mount_plan *plan)
{
        if (!plan)
                return;
        for (size_t i = 0; i < plan->n; i++) {
                free(plan->entries[i].src);
                free(plan->entries[i].dst);
                free(plan->entries[i].options);
        }
        free(plan->entries);
        free(plan->root_options);
        free(plan->trees);
        free(plan->aux);
        free(plan->is_dir);
        free(plan->deferred);
        for (size_t i = 0; plan->idmapped && i < plan->n; i++)
                safe_close(plan->idmapped[i]);
        free(plan->idmapped);
        strv_free(plan->untrusted);
        free(plan);
}

int mount_normalize_dst(const char *path, char **ret)
{
        _cleanup_free_ char *out = NULL;
        size_t n = 0;
        const char *s = path;

        if (!path || path[0] != '/')
                return -EINVAL;
        out = malloc(strlen(path) + 1);
        if (!out)
                return -ENOMEM;
        while (*s) {
                size_t len;

                while (*s == '/')
                        s++;
                len = strcspn(s, "/");
                if (len == 0)
                        break;
                if (len == 1 && s[0] == '.') {
                        s += len;
                        continue;
                }
                if (len == 2 && s[0] == '.' && s[1] == '.')
                        return -EINVAL;
                if (n > 0)
                        out[n++] = '/';
                memcpy(out + n, s, len);
                n += len;
                s += len;
        }
        out[n] = 0;
        *ret = TAKE_PTR(out);
        return 0;
}

static int plan_add(struct mount_plan *plan, enum plan_kind kind, const char *src, const char *dst,
                    const char *options, unsigned attrs, bool recursive, bool optional)
{
        struct plan_entry *e = realloc(plan->entries, (plan->n + 1) * sizeof(*e));
        struct plan_entry n = {
                .kind = kind,
                .attrs = attrs,
                .recursive = recursive,
                .optional = optional,
        };

        if (!e)
                return -ENOMEM;
        plan->entries = e;
        n.dst = strdup(dst);
        n.src = src ? strdup(src) : NULL;
        n.options = options ? strdup(options) : NULL;
        if (!n.dst || (src && !n.src) || (options && !n.options)) {
                free(n.dst);
                free(n.src);
                free(n.options);
                return -ENOMEM;
        }
        plan->entries[plan->n++] = n;
        return 0;
}

/* A host path of the default view: recreated as the same symlink when it is one (merged-usr
 * links, /etc/localtime), bound read-only otherwise, skipped when absent. likely_file: what the
 * path names on a usual system is a file (plan_entry.likely_file). */
static int plan_add_host_path(struct mount_plan *plan, const char *host, const char *dst,
                              bool likely_file)
{
        char target[PATH_MAX];
        ssize_t n;

        /* readlink() alone tells all three apart (EINVAL: there, and not a symlink), with no
         * lstat() first */
        n = readlink(host, target, sizeof(target) - 1);
        if (n < 0 && errno == EINVAL) {
                int r = plan_add(plan, PLAN_BIND, host, dst, NULL, BIND_RO_ATTRS, true, true);

                if (r >= 0)
                        plan->entries[plan->n - 1].likely_file = likely_file;
                return r;
        }
        if (n <= 0)
                return 0;
        target[n] = 0;
        return plan_add(plan, PLAN_SYMLINK, target, dst, NULL, 0, false, false);
}

static int plan_add_fs(struct mount_plan *plan, const char *type, const char *dst,
                       const char *options, unsigned attrs)
{
        return plan_add(plan, PLAN_FS, type, dst, options, attrs, false, false);
}

/* What /etc holds: enough for the dynamic linker, name services, TLS, time zones and shells;
 * never shadow, ssh keys, machine-id or anything else that identifies or unlocks the host. */
static const char *const etc_entries[] = {
        "ld.so.cache", "ld.so.conf",   "ld.so.conf.d", "nsswitch.conf",   "host.conf",
        "gai.conf",    "alternatives", "ssl",          "ca-certificates", "localtime",
        "timezone",    "protocols",    "services",     "mime.types",      "terminfo",
        "bash.bashrc", "profile",      "inputrc",      "os-release",      "debian_version",
        "fonts",
};
/* those of them that are folders on a usual system (the others are files or symlinks) */
static const char *const etc_folders[] = {"ld.so.conf.d",    "alternatives", "ssl",
                                          "ca-certificates", "terminfo",     "fonts"};

static bool in_list(const char *const *list, size_t n, const char *s)
{
        for (size_t i = 0; i < n; i++)
                if (streq(list[i], s))
                        return true;
        return false;
}

static int plan_add_etc(struct mount_plan *plan, const struct mount_identity *id)
{
        _cleanup_free_ char *passwd = NULL, *group = NULL, *hosts = NULL, *hostname = NULL;
        int r;

        if (asprintf(&passwd,
                     "root:x:0:0:root:/root:/usr/sbin/nologin\n"
                     "%s:x:%u:%u:sandbox user:%s:/bin/sh\n",
                     id->user_name, id->uid, id->gid, id->home) < 0 ||
            asprintf(&group, "root:x:0:\n%s:x:%u:\n", id->user_name, id->gid) < 0 ||
            asprintf(&hosts, "127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost\n",
                     id->hostname) < 0 ||
            asprintf(&hostname, "%s\n", id->hostname) < 0)
                return -ENOMEM;
        if ((r = plan_add(plan, PLAN_FILE, passwd, "etc/passwd", NULL, 0, false, false)) < 0 ||
            (r = plan_add(plan, PLAN_FILE, group, "etc/group", NULL, 0, false, false)) < 0 ||
            (r = plan_add(plan, PLAN_FILE, hosts, "etc/hosts", NULL, 0, false, false)) < 0 ||
            (r = plan_add(plan, PLAN_FILE, hostname, "etc/hostname", NULL, 0, false, false)) < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(etc_entries); i++) {
                char host[64], dst[64];

                snprintf(host, sizeof(host), "/etc/%s", etc_entries[i]);
                snprintf(dst, sizeof(dst), "etc/%s", etc_entries[i]);
                r = plan_add_host_path(
                        plan, host, dst,
                        !in_list(etc_folders, ELEMENTSOF(etc_folders), etc_entries[i]));
                if (r < 0)
                        return r;
        }
        if (id->net_host) {
                /* resolv.conf is often a link into /run: bind what it points to. */
                char real[PATH_MAX];

                if (realpath("/etc/resolv.conf", real))
                        return plan_add(plan, PLAN_BIND, real, "etc/resolv.conf", NULL,
                                        BIND_RO_ATTRS, false, true);
        }
        return 0;
}

static int plan_add_dev(struct mount_plan *plan, uint64_t tmpfs_size, bool mqueue)
{
        char shm_opts[64];
        static const char *const nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
        static const char *const links[][2] = {
                {"pts/ptmx", "dev/ptmx"},          {"/proc/self/fd", "dev/fd"},
                {"/proc/self/fd/0", "dev/stdin"},  {"/proc/self/fd/1", "dev/stdout"},
                {"/proc/self/fd/2", "dev/stderr"},
        };
        int r;

        r = plan_add_fs(plan, "tmpfs", "dev", "mode=0755,size=64k,nr_inodes=64",
                        MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(nodes); i++) {
                char host[32], dst[32];

                snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
                snprintf(dst, sizeof(dst), "dev/%s", nodes[i]);
                r = plan_add(plan, PLAN_BIND, host, dst, NULL,
                             MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, false, false);
                if (r >= 0)
                        plan->entries[plan->n - 1].likely_file = true; /* a device node */
        }
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(links); i++)
                r = plan_add(plan, PLAN_SYMLINK, links[i][0], links[i][1], NULL, 0, false, false);
        if (r >= 0)
                r = plan_add_fs(plan, "devpts", "dev/pts", "ptmxmode=0666,mode=0620",
                                MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
        /* /dev/shm is a tmpfs like /tmp: the same --tmpfs-size bounds it; its source is
         * named "shm", as container runtimes name it */
        snprintf(shm_opts, sizeof(shm_opts), "source=shm,mode=1777,size=%" PRIu64, tmpfs_size);
        if (!tmpfs_size)
                shm_opts[strlen("source=shm,mode=1777")] = 0;
        if (r >= 0)
                r = plan_add_fs(plan, "tmpfs", "dev/shm", shm_opts,
                                MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        /* the sandbox's own ipc namespace's message queues */
        if (r >= 0 && mqueue)
                r = plan_add_fs(plan, "mqueue", "dev/mqueue", NULL,
                                MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        return r;
}

static int plan_add_proc(struct mount_plan *plan)
{
        /* The kernel's knobs stay read-only even for a future root inside. */
        static const char *const ro[] = {"proc/sys", "proc/sysrq-trigger", "proc/irq", "proc/bus",
                                         "proc/fs"};
        int r = plan_add_fs(plan, "proc", "proc", NULL,
                            MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(ro); i++)
                r = plan_add(plan, PLAN_RO_SELF, NULL, ro[i], NULL, 0, true, true);
        return r;
}

static int plan_add_defaults(struct mount_plan *plan, const struct policy *p,
                             const struct mount_identity *id)
{
        static const char *const usr_links[] = {"bin", "sbin", "lib", "lib64", "lib32", "libx32"};
        _cleanup_free_ char *tmp_opts = NULL, *home_opts = NULL, *home = NULL;
        int r;

        if (p->mount_defaults) {
                r = plan_add(plan, PLAN_BIND, "/usr", "usr", NULL, BIND_RO_ATTRS, true, false);
                for (size_t i = 0; r >= 0 && i < ELEMENTSOF(usr_links); i++) {
                        char host[16];

                        snprintf(host, sizeof(host), "/%s", usr_links[i]);
                        r = plan_add_host_path(plan, host, usr_links[i], false);
                }
                if (r >= 0)
                        r = plan_add_etc(plan, id);
                if (r < 0)
                        return r;
        }
        r = plan_add_proc(plan);
        if (r >= 0)
                r = plan_add_dev(plan, p->tmpfs_size, p->mount_mqueue);
        if (r < 0)
                return r;
        if (asprintf(&tmp_opts, "mode=1777%s%" PRIu64, p->tmpfs_size ? ",size=" : "",
                     p->tmpfs_size) < 0)
                return -ENOMEM;
        if (!p->tmpfs_size)
                tmp_opts[strlen("mode=1777")] = 0;
        r = plan_add_fs(plan, "tmpfs", "tmp", tmp_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        if (r < 0)
                return r;
        r = mount_normalize_dst(id->home, &home);
        if (r < 0 || home[0] == 0)
                return log_error_errno(-EINVAL, "home '%s' is not a path inside the sandbox",
                                       id->home);
        if (p->app) {
                /* --app: the application's own HOME, kept between runs */
                _cleanup_free_ char *folder = NULL;

                r = profile_app_folder(p, "home", &folder);
                if (r < 0)
                        return log_error_errno(
                                r, "cannot make the home folder of application %s: %m", p->app);
                return plan_add(plan, PLAN_BIND, folder, home, NULL,
                                MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, false, false);
        }
        if ((p->tmpfs_size ? asprintf(&home_opts, "mode=0700,uid=%u,gid=%u,size=%" PRIu64, id->uid,
                                      id->gid, p->tmpfs_size)
                           : asprintf(&home_opts, "mode=0700,uid=%u,gid=%u", id->uid, id->gid)) < 0)
                return -ENOMEM;
        return plan_add_fs(plan, "tmpfs", home, home_opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
}

/* The persistent folder of an overlay at dst (normalised) with --app: APPS/APP/overlay/ESC
 * where ESC is dst with '%' as %25 and '/' as %2F, holding upper/ and work/. */
static int overlay_folder(const struct policy *p, const char *dst, char **ret)
{
        _cleanup_free_ char *sub = malloc(strlen("overlay/") + 3 * strlen(dst) + 1);
        _cleanup_free_ char *folder = NULL;
        char *o;
        int r;

        if (!sub)
                return -ENOMEM;
        o = stpcpy(sub, "overlay/");
        for (const char *c = dst; *c; c++)
                o = *c == '/' ? stpcpy(o, "%2F") : *c == '%' ? stpcpy(o, "%25") : (*o = *c, o + 1);
        *o = 0;
        /* upper/ and work/ are made like the folder itself (profile_app_folder(): no link
         * followed, handed over by fd): the sandbox owns the folder and may have replaced
         * either with a link */
        for (size_t i = 0; i < 2; i++) {
                _cleanup_free_ char *d = NULL, *made = NULL;

                if (asprintf(&d, "%s/%s", sub, i ? "work" : "upper") < 0)
                        return -ENOMEM;
                r = profile_app_folder(p, d, &made);
                if (r < 0)
                        return r;
        }
        r = profile_app_folder(p, sub, &folder);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(folder);
        return 0;
}

/* The canonical path of a bind or overlay source, resolved without following a link that a
 * sandbox could have planted, and checked: below a folder sandboxes write, it must be ours
 * and a folder, a regular file or (dev-bind) a device. Returns 0, -ENOENT (not logged, for
 * the -try forms), or another negative errno after logging. */
static int resolve_source(struct mount_plan *plan, const struct policy *p,
                          const struct mount_entry *m, const char *what, char **ret)
{
        _cleanup_free_ char *real = NULL;
        _cleanup_close_ int fd = -1;
        bool inside = false;
        struct stat st;
        int r;

        if (!plan->have_untrusted) {
                r = profile_untrusted_folders(p, &plan->untrusted);
                if (r < 0)
                        return log_error_errno(r, "%m");
                plan->have_untrusted = true;
        }
        fd = chase(m->src, plan->untrusted, 0, &real, &inside);
        if (fd == -ELOOP && real)
                return log_error_errno(fd,
                                       "cannot %s %s: %s is a symbolic link in a folder that "
                                       "sandboxes can write; airlock does not follow it",
                                       what, m->src, real);
        if (fd == -ENOENT)
                return fd;
        if (fd < 0)
                return log_error_errno(fd, "cannot %s %s: %m", what, m->src);
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "cannot %s %s: %m", what, m->src);
        /* an idmapped bind (airlock-runtime's rootfs) holds files of the container's ids by
         * design: its owner says nothing about who planted it */
        if (inside && !m->idmap && !owner_is_ours(&st, p->uid))
                return log_error_errno(-EPERM,
                                       "cannot %s %s: it belongs to uid %u, not to the user "
                                       "who started airlock, in a folder sandboxes can write",
                                       what, m->src, (unsigned)st.st_uid);
        /* a FIFO would block the program, a device node needs dev-bind */
        if (m->kind == MOUNT_DEV_BIND
                    ? !S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)
                    : !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode) && !S_ISSOCK(st.st_mode))
                return log_error_errno(-EINVAL, "cannot %s %s: %s", what, m->src,
                                       m->kind == MOUNT_DEV_BIND
                                               ? "not a device"
                                               : "not a file, a folder or a socket");
        /* Started as root the program runs as another uid: a writable bind it cannot write
         * fails deep inside the program (unzip: Permission denied; a converter that exits 0
         * with no output). Say so now, with the way out. (Not for airlock-runtime's rootfs,
         * whose files are root's as any image's, seen through an idmapped mount where it can.) */
        if (m->kind == MOUNT_BIND && !m->idmap && geteuid() == 0 && S_ISDIR(st.st_mode) &&
            st.st_uid != p->uid && !(st.st_gid == p->gid && (st.st_mode & S_IWGRP)) &&
            !(st.st_mode & S_IWOTH)) {
                char as_owner[48] = ""; /* --uid 0 is refused: root's folders need chown */

                if (st.st_uid != 0)
                        snprintf(as_owner, sizeof(as_owner), "use --uid %u, or ",
                                 (unsigned)st.st_uid);
                log_warning("--bind %s: the program runs as uid %u, which cannot write this "
                            "folder (owner uid %u, mode %04o): %schange its owner or mode",
                            m->src, (unsigned)p->uid, (unsigned)st.st_uid,
                            (unsigned)(st.st_mode & 07777), as_owner);
        }
        *ret = TAKE_PTR(real);
        return 0;
}

static int plan_add_policy_mount(struct mount_plan *plan, const struct policy *p,
                                 const struct mount_entry *m, const struct mount_identity *id,
                                 uint64_t tmpfs_size)
{
        _cleanup_free_ char *dst = NULL, *opts = NULL, *real = NULL;
        unsigned attrs;
        int r;

        r = mount_normalize_dst(m->dst, &dst);
        if (r < 0)
                return log_error_errno(r,
                                       "destination '%s' is outside the sandbox root: "
                                       "it must be an absolute path without '..'",
                                       m->dst ?: "");
        if (dst[0] == 0 && !(p->root_bind && !plan->root_entry &&
                             (m->kind == MOUNT_BIND || m->kind == MOUNT_RO_BIND)))
                return log_error_errno(-EINVAL, "destination '/' would replace the sandbox root");
        if (dst[0] == 0) {
                /* the new root itself: not recursive (a mount below the rootfs is not seen,
                 * nor through an idmapping), read-only only once its mount points are made */
                r = resolve_source(plan, p, m, "bind", &real);
                if (r < 0)
                        return r == -ENOENT ? log_error_errno(r, "cannot bind %s: %m", m->src) : r;
                r = plan_add(plan, PLAN_BIND, real, dst, NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
                             false, false);
                if (r < 0)
                        return r;
                plan->entries[plan->n - 1].idmap = m->idmap;
                plan->root_entry = plan->n;
                plan->root_readonly = m->kind == MOUNT_RO_BIND;
                return 0;
        }
        switch (m->kind) {
        case MOUNT_RO_BIND:
        case MOUNT_BIND:
        case MOUNT_DEV_BIND:
                /* no source: what the new root has at dst, made read-only where it is
                 * (airlock-runtime's linux.readonlyPaths), a path the host never resolves */
                if (m->kind == MOUNT_RO_BIND && !m->src)
                        return plan_add(plan, PLAN_RO_SELF, NULL, dst, NULL, 0, true, true);
                r = resolve_source(plan, p, m, "bind", &real);
                if (r == -ENOENT && m->optional)
                        return 0;
                if (r == -ENOENT)
                        return log_error_errno(r, "cannot bind %s: %m", m->src);
                if (r < 0)
                        return r;
                attrs = m->kind == MOUNT_RO_BIND ? BIND_RO_ATTRS
                        : m->kind == MOUNT_BIND  ? MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV
                                                 : MOUNT_ATTR_NOSUID;
                r = plan_add(plan, PLAN_BIND, real, dst, NULL, attrs, true, m->optional);
                if (r >= 0)
                        plan->entries[plan->n - 1].idmap = m->idmap;
                return r;
        case MOUNT_TMPFS:
                if (asprintf(&opts, "mode=0755,uid=%u,gid=%u", id->uid, id->gid) < 0)
                        return -ENOMEM;
                if (tmpfs_size) {
                        free(opts);
                        if (asprintf(&opts, "mode=0755,uid=%u,gid=%u,size=%" PRIu64, id->uid,
                                     id->gid, tmpfs_size) < 0)
                                return -ENOMEM;
                }
                return plan_add_fs(plan, "tmpfs", dst, opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        case MOUNT_DIR:
                return plan_add(plan, PLAN_DIR, NULL, dst, NULL, 0, false, false);
        case MOUNT_SYMLINK:
                return plan_add(plan, PLAN_SYMLINK, m->src, dst, NULL, 0, false, false);
        case MOUNT_MASK:
                return plan_add(plan, PLAN_MASK, NULL, dst, NULL, 0, false, true);
        case MOUNT_OVERLAY: {
                _cleanup_free_ char *folder = NULL;
                struct stat st;

                r = resolve_source(plan, p, m, "overlay", &real);
                if (r == -ENOENT)
                        return log_error_errno(r, "cannot overlay %s: %m", m->src);
                if (r < 0)
                        return r;
                if (stat(real, &st) < 0)
                        return log_error_errno(-errno, "cannot overlay %s: %m", m->src);
                if (!S_ISDIR(st.st_mode))
                        return log_error_errno(-ENOTDIR, "cannot overlay %s: not a folder", m->src);
                if (p->app) {
                        r = overlay_folder(p, dst, &folder);
                        if (r < 0)
                                return log_error_errno(r,
                                                       "cannot make the overlay folder of "
                                                       "application %s for /%s: %m",
                                                       p->app, dst);
                        if (asprintf(&opts, "dir:%s", folder) < 0)
                                return -ENOMEM;
                } else {
                        char size[32] = "";

                        if (tmpfs_size)
                                snprintf(size, sizeof(size), ",size=%" PRIu64, tmpfs_size);
                        if (asprintf(&opts, "tmpfs:mode=0755,uid=%u,gid=%u%s", id->uid, id->gid,
                                     size) < 0)
                                return -ENOMEM;
                }
                return plan_add(plan, PLAN_OVERLAY, real, dst, opts,
                                MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, false, false);
        }
        }
        return -EINVAL;
}

int mount_plan_build(const struct policy *p, const struct mount_identity *id,
                     struct mount_plan **ret)
{
        _cleanup_(mount_plan_freep) struct mount_plan *plan = calloc(1, sizeof(*plan));
        int r;

        if (!plan)
                return log_error_errno(-ENOMEM, "%m");
        if (asprintf(&plan->root_options, "mode=0755,size=%u", 4u << 20) < 0)
                return log_error_errno(-ENOMEM, "%m");
        r = plan_add_defaults(plan, p, id);
        if (r < 0)
                return r == -ENOMEM ? log_error_errno(r, "%m") : r;
        for (size_t i = 0; i < p->n_mounts; i++) {
                r = plan_add_policy_mount(plan, p, &p->mounts[i], id, p->tmpfs_size);
                if (r < 0)
                        return r == -ENOMEM ? log_error_errno(r, "%m") : r;
        }
        /* /dev is made read-only once the policy's mounts are in: a device bound there
         * (--dev-bind, an OCI spec's linux.devices) needs its mount point made first */
        r = plan_add(plan, PLAN_SET_RO, NULL, "dev", NULL, 0, false, false);
        if (r < 0)
                return log_error_errno(r, "%m");
        *ret = TAKE_PTR(plan);
        return 0;
}

/* ---- in the child ---- */

static int openat2_path(int dirfd, const char *path, int flags, uint64_t resolve)
{
        return openat2_fd(dirfd, path, (uint64_t)(flags | O_CLOEXEC),
                          resolve | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
}

/* The folder that holds the last mount point, kept open while the new root is built: the
 * default view puts some twenty entries in /etc and a dozen in /dev, and opening their parent
 * from the root for each one cost four system calls an entry. The entry is dropped when a
 * mount lands on the folder or above it, since the fd would then name what the mount
 * covers. */
struct dir_cache {
        int rootfd; /* the new root, borrowed */
        int fd;     /* -1: nothing cached */
        char path[PATH_MAX];
};

static void dir_cache_done(struct dir_cache *dc)
{
        dc->fd = safe_close(dc->fd);
        dc->path[0] = 0;
}

/* A mount was attached at dst: forget the cached folder if the mount covers it. */
static void dir_cache_mounted(struct dir_cache *dc, const char *dst)
{
        size_t n = strlen(dst);

        if (dc->fd < 0)
                return;
        if (n == 0 || (strneq(dc->path, dst, n) && (dc->path[n] == 0 || dc->path[n] == '/')))
                dir_cache_done(dc);
}

/* Opens the folder path beneath the root without following any symlink, creating what is
 * missing. Returns an O_PATH fd or -errno. */
static int open_folder(int rootfd, const char *path)
{
        _cleanup_close_ int owned = -1;
        int cur = rootfd;
        const char *s = path;

        while (*s) {
                size_t len = strcspn(s, "/");
                char name[NAME_MAX + 1];
                int next;

                if (len > NAME_MAX)
                        return -ENAMETOOLONG;
                memcpy(name, s, len);
                name[len] = 0;
                next = openat2_path(cur, name, O_PATH | O_DIRECTORY, RESOLVE_BENEATH);
                if (next == -ENOENT) {
                        if (mkdirat(cur, name, 0755) < 0 && errno != EEXIST)
                                return negative_errno();
                        next = openat2_path(cur, name, O_PATH | O_DIRECTORY, RESOLVE_BENEATH);
                }
                if (next < 0)
                        return next;
                safe_close(owned);
                cur = owned = next;
                s += len;
                while (*s == '/')
                        s++;
        }
        return owned >= 0 ? TAKE_FD(owned)
                          : openat2_path(rootfd, ".", O_PATH | O_DIRECTORY, RESOLVE_BENEATH);
}

/* The parent folder of dst (created when missing), borrowed from the cache: do not close it.
 * Points *ret_name at the last component. Returns the fd or -errno. */
static int dir_cache_parent(struct dir_cache *dc, const char *dst, const char **ret_name)
{
        const char *slash = strrchr(dst, '/');
        size_t len;
        int fd;

        if (!slash) {
                *ret_name = dst;
                return dc->rootfd;
        }
        len = (size_t)(slash - dst);
        if (len >= sizeof(dc->path))
                return -ENAMETOOLONG;
        *ret_name = slash + 1;
        if (dc->fd >= 0 && strlen(dc->path) == len && strneq(dc->path, dst, len))
                return dc->fd;
        dir_cache_done(dc);
        memcpy(dc->path, dst, len);
        dc->path[len] = 0;
        fd = open_folder(dc->rootfd, dc->path);
        if (fd < 0) {
                dc->path[0] = 0;
                return fd;
        }
        return dc->fd = fd;
}

/* Opens dst beneath root without following any symlink, creating what is missing: folders on
 * the way, and a folder or an empty file at the end. Returns an fd to mount on (O_PATH, or the
 * write-only fd of the file it just created) or -errno. */
static int open_mountpoint(struct dir_cache *dc, const char *dst, bool want_dir)
{
        const char *name;
        int parent, fd;

        if (dst[0] == 0)
                return openat2_path(dc->rootfd, ".", O_PATH | O_DIRECTORY, RESOLVE_BENEATH);
        parent = dir_cache_parent(dc, dst, &name);
        if (parent < 0)
                return parent;
        /* The new root is an empty tmpfs, or the rootfs whose mount points mostly exist:
         * try to create first, open what exists after. */
        if (want_dir) {
                if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
                        return negative_errno();
                return openat2_path(parent, name, O_PATH | O_DIRECTORY, RESOLVE_BENEATH);
        }
        fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0444);
        if (fd >= 0)
                return fd;
        if (errno != EEXIST)
                return negative_errno();
        return openat2_path(parent, name, O_PATH, RESOLVE_BENEATH);
}

static int make_fs(const char *type, const char *options, unsigned attrs)
{
        _cleanup_close_ int fs = fsopen(type, FSOPEN_CLOEXEC);
        _cleanup_free_ char *opts = options ? strdup(options) : NULL;
        char *save = NULL;
        int mnt;

        if (fs < 0 || (options && !opts))
                return fs < 0 ? negative_errno() : -ENOMEM;
        /* the source that mountinfo shows, "none" otherwise: the type's name, as mount(8)
         * users give it (options may name another one) */
        if (!(options && (startswith(options, "source=") || strstr(options, ",source="))) &&
            fsconfig(fs, FSCONFIG_SET_STRING, "source", type, 0) < 0)
                return negative_errno();
        for (char *o = opts ? strtok_r(opts, ",", &save) : NULL; o;
             o = strtok_r(NULL, ",", &save)) {
                char *eq = strchr(o, '=');
                int r;

                if (eq) {
                        *eq = 0;
                        r = fsconfig(fs, FSCONFIG_SET_STRING, o, eq + 1, 0);
                } else
                        r = fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0);
                if (r < 0)
                        return negative_errno();
        }
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return negative_errno();
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
        return mnt < 0 ? negative_errno() : mnt;
}

static int set_attrs(int fd, const char *path, unsigned flags, unsigned attrs)
{
        struct mount_attr attr = {.attr_set = attrs};

        if (mount_setattr(fd, path, flags, &attr, sizeof(attr)) < 0)
                return negative_errno();
        return 0;
}

#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif

/* open_tree(OPEN_TREE_CLONE) and mount_setattr() in one call (Linux 6.15); on older kernels,
 * or when a filter refuses it, the two calls. Returns a detached mount fd or -errno. */
static int clone_tree_attrs(int fd, unsigned flags, unsigned attrs)
{
        static bool no_open_tree_attr;
        struct mount_attr attr = {.attr_set = attrs};
        _cleanup_close_ int tree = -1;
        int r;

        flags |= AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
        if (!no_open_tree_attr) {
                tree = (int)syscall(SYS_open_tree_attr, fd, "", flags, &attr, sizeof(attr));
                if (tree >= 0)
                        return TAKE_FD(tree);
                /* any failure: the two calls below say what is wrong */
                no_open_tree_attr = errno == ENOSYS || errno == EPERM;
        }
        tree = open_tree(fd, "", flags);
        if (tree < 0)
                return negative_errno();
        r = set_attrs(tree, "", AT_EMPTY_PATH | (flags & AT_RECURSIVE), attrs);
        return r < 0 ? r : TAKE_FD(tree);
}

/* Opens the source before anything is mounted over the host's view, so that later mounts
 * cannot change what a source path means. Returns an O_PATH fd, 0 for a missing optional
 * source, or -errno. */
static int open_source(const struct plan_entry *e, bool *ret_is_dir, struct child_error *err)
{
        _cleanup_close_ int fd = -1;

        /* The type without an fstat(): a folder is opened as one; a host file of the default
         * view, or anything a folder open refused, is taken for a file, which its mount checks
         * (attach()): a folder mounted on the file made for it fails, and is then mounted on a
         * folder. Should a folder take a file's place between the two opens, it meets the
         * same check. */
        *ret_is_dir = !e->likely_file;
        if (*ret_is_dir) {
                fd = openat2_path(AT_FDCWD, e->src, O_PATH | O_DIRECTORY, 0);
                *ret_is_dir = fd != -ENOTDIR;
        }
        if (!*ret_is_dir)
                fd = openat2_path(AT_FDCWD, e->src, O_PATH, 0);
        if (fd < 0) {
                if (fd == -ENOENT && e->optional)
                        return 0;
                if (fd == -ELOOP)
                        return child_fail(err, fd, "bind",
                                          "cannot bind %s: a symbolic link appeared in its path",
                                          e->src);
                return child_fail(err, fd, "bind", "cannot bind %s: %s", e->src, strerror(-fd));
        }
        return TAKE_FD(fd);
}

/* A detached clone of the source e opened (fd), with its attributes. Returns the mount fd or
 * -errno. */
static int clone_source(const struct plan_entry *e, int fd, struct child_error *err)
{
        int tree = clone_tree_attrs(fd, e->recursive ? AT_RECURSIVE : 0, e->attrs);

        if (tree < 0)
                return child_fail(err, tree, "bind", "cannot bind %s: %s", e->src, strerror(-tree));
        return tree;
}

/* Whether the new root, attached at the host's /tmp while it is built, would be below e's
 * source: a recursive clone of it is then made before, not when it is attached. */
static bool source_holds_new_root(const struct plan_entry *e)
{
        return e->recursive && (streq(e->src, "/") || streq(e->src, "/tmp"));
}

/* The mount point for dst beneath the new root. The new root is an empty tmpfs that nothing
 * else writes while it is built (or with policy.root_bind the rootfs, where what a container
 * made is met as it is, never followed: both stay within the new root): a mount point made here (a
 * folder, or an empty file) is mounted on by its name in its folder, two system calls instead of
 * four; one that exists already is opened without following any symlink, as open_mountpoint() does.
 * Returns the fd to mount on with *ret_name: the folder (borrowed from the cache: do not close it)
 * and the name just made in it, or the existing mount point's own fd (to close) and "". Returns
 * -errno on failure. */
static int mountpoint_for(struct dir_cache *dc, const char *dst, bool is_dir, const char **ret_name)
{
        const char *name;
        int parent, r;

        if (dst[0] == 0)
                return -EINVAL; /* the plan refuses "/" as a destination */
        parent = dir_cache_parent(dc, dst, &name);
        if (parent < 0)
                return parent;
        r = is_dir ? mkdirat(parent, name, 0755) : mknodat(parent, name, S_IFREG | 0444, 0);
        if (r == 0) {
                *ret_name = name;
                return parent;
        }
        if (errno != EEXIST)
                return negative_errno();
        *ret_name = "";
        return openat2_path(parent, name, O_PATH | (is_dir ? O_DIRECTORY : 0), RESOLVE_BENEATH);
}

/* A tree taken for a file (open_source()) that the kernel would not mount on the file made for
 * it: if it is a folder, the file is replaced by a folder and the tree mounted there. Returns
 * 0 when mounted, or -err (the first failure's) otherwise. */
static int attach_as_folder(int tree, int parent, const char *name, int err)
{
        struct stat st;

        if (!*name || fstat(tree, &st) < 0 || !S_ISDIR(st.st_mode))
                return -err;
        if (unlinkat(parent, name, 0) < 0 || mkdirat(parent, name, 0755) < 0 ||
            move_mount(tree, "", parent, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return negative_errno();
        return 0;
}

static int attach(int tree, struct dir_cache *dc, const char *dst, bool is_dir,
                  struct child_error *err, const char *what)
{
        const char *name = "";
        int target = mountpoint_for(dc, dst, is_dir, &name);
        _cleanup_close_ int owned = target >= 0 && !*name ? target : -1;

        if (target < 0)
                return child_fail(err, target, "mount", "cannot create mount point /%s for %s: %s",
                                  dst, what, strerror(-target));
        if (move_mount(tree, "", target, name,
                       MOVE_MOUNT_F_EMPTY_PATH | (*name ? 0 : MOVE_MOUNT_T_EMPTY_PATH)) < 0) {
                int r = is_dir ? -errno : attach_as_folder(tree, target, name, errno);

                if (r < 0)
                        return child_fail(err, r, "mount", "cannot mount %s at /%s: %s", what, dst,
                                          strerror(-r));
        }
        dir_cache_mounted(dc, dst);
        return 0;
}

static int do_file(struct dir_cache *dc, const struct plan_entry *e, struct child_error *err)
{
        const char *name;
        int parent = dir_cache_parent(dc, e->dst, &name);
        _cleanup_close_ int fd = -1;

        if (parent < 0)
                return child_fail(err, parent, "etc", "cannot create /%s: %s", e->dst,
                                  strerror(-parent));
        fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 || loop_write(fd, e->src, strlen(e->src)) < 0)
                return child_fail(err, errno, "etc", "cannot write /%s: %m", e->dst);
        return 0;
}

static int do_symlink(struct dir_cache *dc, const struct plan_entry *e, struct child_error *err)
{
        const char *name;
        int parent = dir_cache_parent(dc, e->dst, &name);

        if (parent < 0)
                return child_fail(err, parent, "symlink", "cannot create /%s: %s", e->dst,
                                  strerror(-parent));
        if (symlinkat(e->src, parent, name) < 0)
                return child_fail(err, errno, "symlink", "cannot create symlink /%s: %m", e->dst);
        return 0;
}

static int do_ro_self(struct dir_cache *dc, const struct plan_entry *e, struct child_error *err)
{
        _cleanup_close_ int where = openat2_path(dc->rootfd, e->dst, O_PATH, RESOLVE_BENEATH);
        _cleanup_close_ int tree = -1;

        if (where == -ELOOP)
                return child_fail(err, where, "mount",
                                  "cannot make /%s read-only: a symbolic link in a folder that "
                                  "sandboxes can write is on its path; airlock does not follow it",
                                  e->dst);
        if (where < 0)
                return e->optional && where == -ENOENT
                               ? 0
                               : child_fail(err, where, "mount", "cannot open /%s: %s", e->dst,
                                            strerror(-where));
        tree = clone_tree_attrs(where, AT_RECURSIVE, MOUNT_ATTR_RDONLY);
        if (tree < 0)
                return child_fail(err, tree, "mount", "cannot make /%s read-only: %s", e->dst,
                                  strerror(-tree));
        if (move_mount(tree, "", where, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return child_fail(err, errno, "mount", "cannot mount /%s: %m", e->dst);
        dir_cache_mounted(dc, e->dst);
        return 0;
}

/* What hides a masked path of the given type: an empty read-only tmpfs over a folder, the
 * host's /dev/null (the host's own, not the container's) over anything else. Returns a detached
 * mount fd or -errno. */
static int mask_tree(bool is_dir)
{
        _cleanup_close_ int null = -1;
        struct stat st;

        if (is_dir)
                return make_fs("tmpfs", "mode=0755,size=4096",
                               MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                                       MOUNT_ATTR_NOEXEC);
        null = openat2_path(AT_FDCWD, "/dev/null", O_PATH, 0);
        if (null < 0)
                return null;
        if (fstat(null, &st) < 0)
                return negative_errno();
        if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                return -ENODEV;
        return clone_tree_attrs(null, 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
}

/* A masked path, looked up beneath the new root with no link followed (a container writes its
 * rootfs: the host never resolves the path there), its type read there. A path missing, or
 * below one masked before (its empty tmpfs has nothing), is skipped, as runc does. */
static int do_mask(struct dir_cache *dc, const struct plan_entry *e, struct child_error *err)
{
        _cleanup_close_ int where = openat2_path(dc->rootfd, e->dst, O_PATH, RESOLVE_BENEATH);
        _cleanup_close_ int tree = -1;
        struct stat st;

        if (where == -ELOOP || where == -EXDEV)
                return child_fail(err, where, "mount",
                                  "cannot mask /%s: a symbolic link is on its path in the "
                                  "container's root; airlock does not follow it",
                                  e->dst);
        if (where == -ENOENT || where == -ENOTDIR)
                return 0;
        if (where < 0)
                return child_fail(err, where, "mount", "cannot mask /%s: %s", e->dst,
                                  strerror(-where));
        if (fstat(where, &st) < 0)
                return child_fail(err, errno, "mount", "cannot mask /%s: %m", e->dst);
        tree = mask_tree(S_ISDIR(st.st_mode));
        if (tree < 0)
                return child_fail(err, tree, "mount", "cannot mask /%s: %s", e->dst,
                                  strerror(-tree));
        if (move_mount(tree, "", where, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return child_fail(err, errno, "mount", "cannot mask /%s: %m", e->dst);
        dir_cache_mounted(dc, e->dst);
        return 0;
}

/* ret_attached: where to leave a deferred bind's clone, attached, for the caller to close;
 * NULL to close it here. Left alone otherwise. */
static int do_entry(struct dir_cache *dc, const struct plan_entry *e, int tree, bool is_dir,
                    bool deferred, int *ret_attached, struct child_error *err)
{
        _cleanup_close_ int fs = -1, where = -1;
        int r;

        switch (e->kind) {
        case PLAN_BIND:
                if (tree > 0 && deferred) {
                        _cleanup_close_ int clone = clone_source(e, tree, err);

                        if (clone < 0)
                                return clone;
                        r = attach(clone, dc, e->dst, is_dir, err, e->src);
                        if (r >= 0 && ret_attached)
                                *ret_attached = TAKE_FD(clone);
                        return r;
                }
                return tree > 0 ? attach(tree, dc, e->dst, is_dir, err, e->src) : 0;
        case PLAN_FS:
                fs = make_fs(e->src, e->options, e->attrs);
                if (fs < 0)
                        return child_fail(err, fs, "mount", "cannot mount %s at /%s: %s", e->src,
                                          e->dst, strerror(-fs));
                return attach(fs, dc, e->dst, true, err, e->src);
        case PLAN_DIR:
                where = open_mountpoint(dc, e->dst, true);
                return where < 0 ? child_fail(err, where, "mount", "cannot create /%s: %s", e->dst,
                                              strerror(-where))
                                 : 0;
        case PLAN_SYMLINK:
                return do_symlink(dc, e, err);
        case PLAN_FILE:
                return do_file(dc, e, err);
        case PLAN_RO_SELF:
                return do_ro_self(dc, e, err);
        case PLAN_MASK:
                return do_mask(dc, e, err);
        case PLAN_OVERLAY: /* build_root() mounts these */
                return 0;
        case PLAN_SET_RO:
                r = set_attrs(dc->rootfd, e->dst, 0, MOUNT_ATTR_RDONLY);
                return r < 0 ? child_fail(err, r, "mount", "cannot make /%s read-only: %s", e->dst,
                                          strerror(-r))
                             : 0;
        }
        return 0;
}

/* An overlay's lower folder and persistent folder, opened now like bind sources (no symlink
 * followed, before anything covers the host's view). They stay in this mount namespace:
 * overlayfs takes its layers by path, which /proc/self/fd/N gives. */
static int open_overlay_sources(const struct plan_entry *e, int *ret_lower, int *ret_folder,
                                struct child_error *err)
{
        int fd = openat2_path(AT_FDCWD, e->src, O_PATH | O_DIRECTORY, 0);

        if (fd < 0)
                return child_fail(err, fd, "overlay", "cannot overlay %s: %s", e->src,
                                  fd == -ELOOP ? "a symbolic link appeared in its path"
                                               : strerror(-fd));
        *ret_lower = fd;
        if (startswith(e->options, "dir:")) {
                fd = openat2_path(AT_FDCWD, e->options + 4, O_PATH | O_DIRECTORY, 0);
                if (fd < 0)
                        return child_fail(err, fd, "overlay", "cannot open %s: %s", e->options + 4,
                                          strerror(-fd));
                *ret_folder = fd;
        }
        return 0;
}

/* Mounts the overlay of entry index: lower is its lower folder, folder its persistent folder
 * or 0, in which case a tmpfs, mounted in the new root for the time it takes, holds the
 * changes. */
static int do_overlay(struct dir_cache *dc, const struct plan_entry *e, size_t index, int lower,
                      int folder, struct child_error *err)
{
        int rootfd = dc->rootfd;
        _cleanup_close_ int fs = -1, mnt = -1, tmp = -1, hold = -1;
        char name[40], lowerdir[40], upperdir[48], workdir[48];
        struct stat st;
        int r = 0;

        snprintf(lowerdir, sizeof(lowerdir), "/proc/self/fd/%d", lower);
        if (folder > 0) {
                snprintf(upperdir, sizeof(upperdir), "/proc/self/fd/%d/upper", folder);
                snprintf(workdir, sizeof(workdir), "/proc/self/fd/%d/work", folder);
        } else {
                /* A tmpfs for the changes, attached at a hidden folder of the new root while
                 * the overlay takes it (overlayfs wants its layers in this mount namespace),
                 * then detached: the overlay keeps its own reference. */
                snprintf(name, sizeof(name), ".airlock-overlay-%zu", index);
                tmp = make_fs("tmpfs", e->options + strlen("tmpfs:"),
                              MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
                if (tmp < 0)
                        return child_fail(err, tmp, "overlay", "cannot mount a tmpfs for /%s: %s",
                                          e->dst, strerror(-tmp));
                if (mkdirat(rootfd, name, 0700) < 0 ||
                    move_mount(tmp, "", rootfd, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                        return child_fail(err, errno, "overlay",
                                          "cannot attach a tmpfs for /%s: %m", e->dst);
                hold = openat2_path(rootfd, name, O_PATH | O_DIRECTORY, RESOLVE_BENEATH);
                if (hold < 0)
                        return child_fail(err, hold, "overlay", "cannot open the tmpfs for /%s: %s",
                                          e->dst, strerror(-hold));
                /* the view's root takes the lower folder's mode */
                if (mkdirat(hold, "upper", 0755) < 0 || mkdirat(hold, "work", 0700) < 0 ||
                    (fstat(lower, &st) == 0 && fchmodat(hold, "upper", st.st_mode & 07777, 0) < 0))
                        return child_fail(err, errno, "overlay", "cannot prepare /%s: %m", e->dst);
                snprintf(upperdir, sizeof(upperdir), "/proc/self/fd/%d/upper", hold);
                snprintf(workdir, sizeof(workdir), "/proc/self/fd/%d/work", hold);
        }
        fs = fsopen("overlay", FSOPEN_CLOEXEC);
        if (fs < 0)
                return child_fail(err, errno, "overlay",
                                  "cannot overlay %s: overlayfs is not available: %m", e->src);
        /* userxattr: in a user namespace overlayfs keeps its metadata in user.* attributes */
        if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lowerdir, 0) < 0 ||
            fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", upperdir, 0) < 0 ||
            fsconfig(fs, FSCONFIG_SET_STRING, "workdir", workdir, 0) < 0 ||
            fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", NULL, 0) < 0 ||
            fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return child_fail(err, errno, "overlay", "cannot overlay %s at /%s: %m", e->src,
                                  e->dst);
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, e->attrs);
        if (mnt < 0)
                return child_fail(err, errno, "overlay", "cannot overlay %s at /%s: %m", e->src,
                                  e->dst);
        r = attach(mnt, dc, e->dst, true, err, e->src);
        if (hold >= 0) {
                char path[40];

                snprintf(path, sizeof(path), "/proc/self/fd/%d", hold);
                if (umount2(path, MNT_DETACH) < 0 && r >= 0)
                        r = child_fail(err, errno, "overlay", "cannot detach the tmpfs of /%s: %m",
                                       e->dst);
                hold = safe_close(hold);
                if (r >= 0 && unlinkat(rootfd, name, AT_REMOVEDIR) < 0)
                        r = child_fail(err, errno, "overlay", "cannot remove /%s: %m", name);
        }
        return r;
}

/* A detached, non-recursive clone of e's source, idmapped with the user namespace userns_fd:
 * not recursive, so that no mount beneath the source (a host folder bound there) is seen
 * through the mapping. */
static int idmapped_clone(const struct plan_entry *e, int userns_fd)
{
        _cleanup_close_ int fd = openat2_path(AT_FDCWD, e->src, O_PATH, 0);
        _cleanup_close_ int tree = -1;
        /* Private: made here, in the caller's mount namespace, the clone of a shared mount (/
         * on every systemd host) joins its peer group, so what the child mounts on it would
         * propagate back to the host, and pivot_root() refuses a shared new root. The child's
         * MS_PRIVATE of its own tree never reaches this detached one. */
        struct mount_attr attr = {
                .attr_set = e->attrs | MOUNT_ATTR_IDMAP,
                .propagation = MS_PRIVATE,
                .userns_fd = (uint64_t)userns_fd,
        };

        if (fd < 0)
                return fd;
        tree = open_tree(fd, "", AT_EMPTY_PATH | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (tree < 0)
                return negative_errno();
        if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
                return negative_errno();
        return TAKE_FD(tree);
}

/* Whether path or a folder above it is root's alone (owned by uid 0, no search right for its
 * group or others): then no other user can reach a file below it. Through an idmapped root the
 * container's root writes files that are uid 0's on the disk, a set-uid one among them; a user
 * who could run that from the host would be root. */
bool mount_reachable_by_root_only(const char *path)
{
        _cleanup_free_ char *copy = strdup(path);

        for (char *end = copy; copy && end && *copy;) {
                struct stat st;

                if (lstat(copy, &st) < 0)
                        return false;
                if (S_ISDIR(st.st_mode) && st.st_uid == 0 && !(st.st_mode & 0011))
                        return true;
                end = strrchr(copy, '/');
                if (end)
                        *end = 0;
        }
        return false;
}

int mount_idmap_sources(const struct mount_plan *plan, pid_t child,
                        int (*send)(size_t index, int tree, void *userdata), void *userdata,
                        const char **ret_src)
{
        _cleanup_free_ int *trees = calloc(plan->n + 1, sizeof(int));
        _cleanup_close_ int userns_fd = -1;
        char path[64];
        int r = 0, n = 0;

        if (!trees)
                return -ENOMEM;
        for (size_t i = 0; i < plan->n && !r; i++)
                r = plan->entries[i].kind == PLAN_BIND && plan->entries[i].idmap;
        if (!r)
                return 0; /* nothing asks for it */
        r = 0;
        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child);
        userns_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (userns_fd < 0)
                return negative_errno();
        /* all or none: a root half seen through the mapping would be worse than either */
        for (size_t i = 0; r >= 0 && i < plan->n; i++) {
                const struct plan_entry *e = &plan->entries[i];

                trees[i] = -1;
                if (e->kind != PLAN_BIND || !e->idmap)
                        continue;
                if (!mount_reachable_by_root_only(e->src)) {
                        *ret_src = e->src;
                        r = -EACCES;
                        break;
                }
                r = idmapped_clone(e, userns_fd);
                if (r == -ENOENT && e->optional)
                        r = 0;
                else if (r < 0)
                        *ret_src = e->src;
                else
                        trees[i] = r;
        }
        for (size_t i = 0; r >= 0 && i < plan->n; i++)
                if (trees[i] >= 0) {
                        r = send(i, trees[i], userdata);
                        n++;
                }
        for (size_t i = 0; i < plan->n; i++)
                if (trees[i] > 0)
                        close(trees[i]);
        return r < 0 ? r : n;
}

int mount_take_idmapped(struct mount_plan *plan, size_t index, int tree)
{
        if (index >= plan->n || !plan->entries[index].idmap || tree < 0) {
                safe_close(tree);
                return -EINVAL;
        }
        if (!plan->idmapped) {
                plan->idmapped = calloc(plan->n, sizeof(int));
                if (!plan->idmapped) {
                        close(tree);
                        return -ENOMEM;
                }
                for (size_t i = 0; i < plan->n; i++)
                        plan->idmapped[i] = -1;
        }
        safe_close(plan->idmapped[index]);
        plan->idmapped[index] = tree;
        return 0;
}

int mount_open_sources(struct mount_plan *plan, struct child_error *err)
{
        plan->trees = calloc(plan->n + 1, sizeof(int));
        plan->aux = calloc(plan->n + 1, sizeof(int));
        plan->is_dir = calloc(plan->n + 1, sizeof(bool));
        plan->deferred = calloc(plan->n + 1, sizeof(bool));
        if (!plan->trees || !plan->aux || !plan->is_dir || !plan->deferred)
                return child_fail(err, ENOMEM, "mount", "out of memory");
        /* Nothing we mount may propagate back to the host. */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return child_fail(err, errno, "mount", "cannot make the mounts private: %m");
        for (size_t i = 0; i < plan->n; i++) {
                int r;

                if (plan->entries[i].kind == PLAN_OVERLAY) {
                        r = open_overlay_sources(&plan->entries[i], &plan->trees[i], &plan->aux[i],
                                                 err);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (plan->entries[i].kind != PLAN_BIND)
                        continue;
                if (plan->idmapped && plan->idmapped[i] >= 0) {
                        struct stat st;

                        if (fstat(plan->idmapped[i], &st) < 0)
                                return child_fail(err, errno, "bind", "cannot bind %s: %m",
                                                  plan->entries[i].src);
                        plan->is_dir[i] = S_ISDIR(st.st_mode);
                        plan->trees[i] = TAKE_FD(plan->idmapped[i]);
                        continue;
                }
                r = open_source(&plan->entries[i], &plan->is_dir[i], err);
                if (r <= 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                plan->trees[i] = r;
                if (source_holds_new_root(&plan->entries[i])) {
                        r = clone_source(&plan->entries[i], plan->trees[i], err);
                        if (r < 0)
                                return r;
                        close(plan->trees[i]);
                        plan->trees[i] = r;
                } else
                        plan->deferred[i] = true;
        }
        return 0;
}

/* The attached clones build_entries() keeps open until the end, at most: the sources are all
 * open meanwhile, and a plan of many binds must stay well within RLIMIT_NOFILE. */
#define KEPT_CLONES_MAX 128

static int build_entries(const struct mount_plan *plan, int rootfd, struct child_error *err)
{
        struct dir_cache dc = {.rootfd = rootfd, .fd = -1};
        int r = 0;

        for (size_t i = 0, kept = 0; r >= 0 && i < plan->n; i++) {
                int *keep = kept < KEPT_CLONES_MAX ? &plan->aux[i] : NULL;

                if (i + 1 == plan->root_entry)
                        continue;
                if (plan->entries[i].kind == PLAN_OVERLAY)
                        r = do_overlay(&dc, &plan->entries[i], i, plan->trees[i], plan->aux[i],
                                       err);
                else {
                        r = do_entry(&dc, &plan->entries[i], plan->trees[i], plan->is_dir[i],
                                     plan->deferred[i], keep, err);
                        kept += keep && plan->aux[i] > 0;
                }
        }
        dir_cache_done(&dc);
        return r;
}

static int build_root(struct mount_plan *plan, struct child_error *err)
{
        _cleanup_close_ int root_mnt = -1;
        bool readonly = true;
        int r;

        if (plan->root_entry) {
                /* the rootfs itself, its tree idmapped (by the parent) where it could be */
                size_t k = plan->root_entry - 1;

                if (plan->trees[k] <= 0 || !plan->is_dir[k])
                        return child_fail(err, ENOTDIR, "mount",
                                          "cannot make %s the new root: not a folder",
                                          plan->entries[k].src);
                readonly = plan->root_readonly;
                if (plan->deferred[k]) {
                        root_mnt = clone_source(&plan->entries[k], plan->trees[k], err);
                        if (root_mnt < 0)
                                return root_mnt;
                } else {
                        root_mnt = plan->trees[k];
                        plan->trees[k] = 0;
                }
        } else {
                root_mnt =
                        make_fs("tmpfs", plan->root_options, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
                if (root_mnt < 0)
                        return child_fail(err, root_mnt, "mount", "cannot mount the new root: %s",
                                          strerror(-root_mnt));
        }
        /* The new root needs a place in the tree for pivot_root; /tmp always exists. Once
         * attached, the mount's fd is the new root's folder. */
        if (move_mount(root_mnt, "", AT_FDCWD, "/tmp", MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return child_fail(err, errno, "mount", "cannot attach the new root: %m");
        r = build_entries(plan, root_mnt, err);
        if (r < 0)
                return r;
        r = set_attrs(root_mnt, "", AT_EMPTY_PATH,
                      (readonly ? MOUNT_ATTR_RDONLY : 0) | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        if (r < 0)
                return child_fail(err, r, "mount", "cannot make the new root read-only: %s",
                                  strerror(-r));
        /* apart from the step after: umount2() of the old root waits for an RCU grace period */
        startup_trace("child: new root built");
        if (fchdir(root_mnt) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
                return child_fail(err, errno, "pivot_root", "cannot enter the new root: %m");
        /* The old root is now stacked on "."; detach it and everything below it. */
        if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
                return child_fail(err, errno, "pivot_root", "cannot detach the old root: %m");
        return 0;
}

static int cmp_fd(const void *a, const void *b)
{
        return *(const int *)a - *(const int *)b;
}

/* Closes the fds of fds[] that are > 0, a run of consecutive numbers with one close_range():
 * the detached source trees were opened one after another, so they mostly are one run. */
static void close_fds(int *fds, size_t n)
{
        size_t k = 0;

        for (size_t i = 0; i < n; i++)
                if (fds[i] > 0)
                        fds[k++] = fds[i];
        qsort(fds, k, sizeof(int), cmp_fd);
        for (size_t i = 0; i < k;) {
                size_t j = i;

                while (j + 1 < k && fds[j + 1] == fds[j] + 1)
                        j++;
                if (j == i)
                        close(fds[i]);
                else
                        close_range((unsigned)fds[i], (unsigned)fds[j], 0);
                i = j + 1;
        }
        memset(fds, 0, n * sizeof(int));
}

int mount_setup_root(struct mount_plan *plan, struct child_error *err)
{
        int r = build_root(plan, err);

        close_fds(plan->trees, plan->n);
        close_fds(plan->aux, plan->n);
        return r;
}
