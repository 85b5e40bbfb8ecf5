/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Landlock: file-system rules that repeat the policy's mount view (so that a hole in the mount
 * setup is not also a hole here), TCP denied without a network, abstract unix sockets and
 * signals scoped to the sandbox. Best effort by ABI, as Linux's samples/landlock/sandboxer.c:
 * the rights this kernel lacks are dropped in a fall-through ladder and recorded.
 *
 * The constants are defined here because the installed kernel headers lag the kernel. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "basic/macro.h"
#include "basic/strv.h"
#include "landlock.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule       445
#define SYS_landlock_restrict_self  446
#endif

#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH      1
#define LL_RULE_NET_PORT          2 /* ABI 4 */

#define LL_FS_EXECUTE     (1ULL << 0)
#define LL_FS_WRITE_FILE  (1ULL << 1)
#define LL_FS_READ_FILE   (1ULL << 2)
#define LL_FS_READ_DIR    (1ULL << 3)
#define LL_FS_REMOVE_DIR  (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR   (1ULL << 6)
#define LL_FS_MAKE_DIR    (1ULL << 7)
#define LL_FS_MAKE_REG    (1ULL << 8)
#define LL_FS_MAKE_SOCK   (1ULL << 9)
#define LL_FS_MAKE_FIFO   (1ULL << 10)
#define LL_FS_MAKE_BLOCK  (1ULL << 11)
#define LL_FS_MAKE_SYM    (1ULL << 12)
#define LL_FS_REFER       (1ULL << 13) /* ABI 2 */
#define LL_FS_TRUNCATE    (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV   (1ULL << 15) /* ABI 5 */

#define LL_NET_BIND_TCP    (1ULL << 0) /* ABI 4 */
#define LL_NET_CONNECT_TCP (1ULL << 1)

#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL               (1ULL << 1)

#define LL_FS_ALL ((LL_FS_IOCTL_DEV << 1) - 1)
#define LL_FS_RO  (LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR)
/* the rights that make sense on a file that is not a directory */
#define LL_FS_FILE \
        (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)
#define LL_FS_DEV (LL_FS_RO | LL_FS_WRITE_FILE | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV)

struct ll_ruleset_attr {
        uint64_t handled_access_fs;
        uint64_t handled_access_net;
        uint64_t scoped;
};

struct ll_path_beneath_attr {
        uint64_t allowed_access;
        int32_t parent_fd;
} __attribute__((packed));

int landlock_abi_version(void)
{
        long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);

        return abi < 0 ? 0 : (int)abi;
}

/* What this ABI can enforce of what is wanted; the rest goes to the missing sets. */
static void fit_to_abi(int abi, struct ll_ruleset_attr *want, struct landlock_status *st)
{
        struct ll_ruleset_attr have = *want;

        switch (abi) {
        case 1:
                have.handled_access_fs &= ~LL_FS_REFER;
                __attribute__((fallthrough));
        case 2:
                have.handled_access_fs &= ~LL_FS_TRUNCATE;
                __attribute__((fallthrough));
        case 3:
                have.handled_access_net = 0;
                __attribute__((fallthrough));
        case 4:
                have.handled_access_fs &= ~LL_FS_IOCTL_DEV;
                __attribute__((fallthrough));
        case 5:
                have.scoped = 0;
                break;
        default: /* 6 and later: everything used here */
                break;
        }
        if (abi <= 0)
                have = (struct ll_ruleset_attr){0};
        st->abi = abi;
        st->handled_fs = have.handled_access_fs;
        st->missing_fs = want->handled_access_fs & ~have.handled_access_fs;
        st->handled_net = have.handled_access_net;
        st->missing_net = want->handled_access_net & ~have.handled_access_net;
        st->scoped = have.scoped;
        st->missing_scoped = want->scoped & ~have.scoped;
        *want = have;
}

/* Allows access beneath path. A path that does not exist is no error: the view has no such
 * place, so there is nothing to allow. */
int landlock_deny_all_files(void)
{
        struct ll_ruleset_attr attr = {.handled_access_fs = LL_FS_ALL};
        struct landlock_status st;
        int abi = landlock_abi_version(), fd, k = 0;

        if (abi <= 0)
                return -EOPNOTSUPP;
        fit_to_abi(abi, &attr, &st);
        fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
        if (fd < 0)
                return negative_errno();
        if (syscall(SYS_landlock_restrict_self, fd, 0) < 0)
                k = negative_errno();
        close(fd);
        return k;
}

struct ll_net_port_attr {
        uint64_t allowed_access;
        uint64_t port;
};

static int allow_ports(int ruleset, const uint16_t *ports, size_t n, uint64_t access,
                       uint64_t handled)
{
        for (size_t i = 0; i < n; i++) {
                struct ll_net_port_attr attr = {.allowed_access = access & handled,
                                                .port = ports[i]};

                if (attr.allowed_access == 0)
                        return 0;
                if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_NET_PORT, &attr, 0) < 0)
                        return negative_errno();
        }
        return 0;
}

/* The rules' folder fds, kept open until the rules are in: they are opened one after another,
 * so they mostly form one run of numbers, closed with one close_range() instead of a close()
 * each (the launcher adds a rule for each folder of the view). */
struct fd_run {
        int first, last; /* -1: empty */
};

static void fd_run_close(struct fd_run *run)
{
        if (run->first >= 0)
                close_range((unsigned)run->first, (unsigned)run->last, 0);
        run->first = run->last = -1;
}

static void fd_run_add(struct fd_run *run, int fd)
{
        if (run->first >= 0 && fd != run->last + 1)
                fd_run_close(run);
        if (run->first < 0)
                run->first = fd;
        run->last = fd;
}

static int allow_path(int ruleset, const char *path, uint64_t access, uint64_t handled,
                      struct fd_run *fds)
{
        int fd;
        struct ll_path_beneath_attr attr;

        /* Most rules name a folder: opened as one, it needs no fstat() to tell. Anything else
         * gets the rights that apply to a file only; should a folder take its place between
         * the two opens, it gets fewer rights, never more. */
        fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 && errno == ENOTDIR) {
                fd = open(path, O_PATH | O_CLOEXEC);
                access &= LL_FS_FILE;
        }
        if (fd < 0)
                return errno == ENOENT || errno == ENOTDIR ? 0 : negative_errno();
        fd_run_add(fds, fd);
        attr = (struct ll_path_beneath_attr){.allowed_access = access & handled, .parent_fd = fd};
        if (attr.allowed_access == 0)
                return 0;
        if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &attr, 0) < 0)
                return negative_errno();
        return 0;
}

static uint64_t mount_access(enum mount_kind kind)
{
        switch (kind) {
        case MOUNT_RO_BIND:
        case MOUNT_DIR:
                return LL_FS_RO;
        case MOUNT_BIND:
        case MOUNT_TMPFS:
        case MOUNT_OVERLAY:
                return LL_FS_ALL;
        case MOUNT_DEV_BIND:
                return LL_FS_ALL;
        case MOUNT_SYMLINK:
        case MOUNT_MASK:
                break;
        }
        return 0;
}

static int add_view_rules_to(int ruleset, const struct policy *p, uint64_t handled,
                             struct fd_run *fds)
{
        const char *home = p->home ? p->home : "/home/sandbox";
        int r;

        /* everything in the view is readable; what is writable is named below */
        r = allow_path(ruleset, "/", LL_FS_RO, handled, fds);
        if (r < 0)
                return r;
        /* what the launcher mounts with or without the default file system (mount.c) */
        {
                const struct {
                        const char *path;
                        uint64_t access;
                } defaults[] = {
                        {"/tmp", LL_FS_ALL},
                        {home, LL_FS_ALL},
                        {"/dev", LL_FS_DEV},
                        {"/dev/shm", LL_FS_ALL},
                        {"/dev/pts", LL_FS_DEV},
                        /* /proc/self/{uid_map,setgroups,oom_score_adj...}, written with
                         * O_TRUNC by some (Chromium); /proc/sys is
                         * mounted read-only by the launcher */
                        {"/proc", LL_FS_RO | LL_FS_WRITE_FILE | LL_FS_TRUNCATE},
                };
                for (size_t i = 0; i < ELEMENTSOF(defaults); i++) {
                        r = allow_path(ruleset, defaults[i].path, defaults[i].access, handled, fds);
                        if (r < 0)
                                return r;
                }
        }
        for (size_t i = 0; i < p->n_mounts; i++) {
                uint64_t access = mount_access(p->mounts[i].kind);
                if (access == 0 || !p->mounts[i].dst)
                        continue;
                /* airlock-runtime's writable rootfs as the root: no device node made in it,
                 * whatever the capabilities */
                if (streq(p->mounts[i].dst, "/"))
                        access &= ~(LL_FS_MAKE_CHAR | LL_FS_MAKE_BLOCK);
                r = allow_path(ruleset, p->mounts[i].dst, access, handled, fds);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int add_view_rules(int ruleset, const struct policy *p, uint64_t handled)
{
        struct fd_run fds = {-1, -1};
        int r = add_view_rules_to(ruleset, p, handled, &fds);

        fd_run_close(&fds);
        return r;
}

static bool status_complete(const struct landlock_status *st)
{
        return st->enforced && st->missing_fs == 0 && st->missing_net == 0 &&
               st->missing_scoped == 0;
}

int landlock_apply(const struct policy *p, struct landlock_status *ret_status)
{
        return landlock_apply_with_abi(p, landlock_abi_version(), ret_status);
}

int landlock_apply_with_abi(const struct policy *p, int abi, struct landlock_status *ret_status)
{
        struct ll_ruleset_attr attr = {
                .handled_access_fs = LL_FS_ALL,
                /* without a network TCP is refused; with ports named, TCP to the others is */
                .handled_access_net = p->net == NET_NONE || p->n_tcp_bind || p->n_tcp_connect
                                              ? LL_NET_BIND_TCP | LL_NET_CONNECT_TCP
                                              : 0,
                .scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL,
        };
        bool required = strv_contains(p->require, "landlock");
        struct landlock_status st = {0};
        _cleanup_close_ int ruleset = -1;
        int r;

        if (p->landlock_disabled) {
                *ret_status = st;
                return required ? -EOPNOTSUPP : 0;
        }
        fit_to_abi(abi, &attr, &st);
        if (st.abi <= 0) {
                *ret_status = st;
                return required ? -EOPNOTSUPP : 0;
        }
        if (required && (st.missing_fs || st.missing_net || st.missing_scoped)) {
                *ret_status = st;
                return -EOPNOTSUPP;
        }

        ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
        if (ruleset < 0)
                return negative_errno();
        r = add_view_rules(ruleset, p, attr.handled_access_fs);
        if (r < 0)
                return r;
        r = allow_ports(ruleset, p->tcp_bind, p->n_tcp_bind, LL_NET_BIND_TCP,
                        attr.handled_access_net);
        if (r < 0)
                return r;
        r = allow_ports(ruleset, p->tcp_connect, p->n_tcp_connect, LL_NET_CONNECT_TCP,
                        attr.handled_access_net);
        if (r < 0)
                return r;
        /* airlock-runtime's program may go without: it holds CAP_SYS_ADMIN in its user
         * namespace here (caps_apply_before_filters()), which Landlock accepts instead */
        if ((!p->container_caps || p->no_new_privs) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return negative_errno();
        if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
                return negative_errno();
        st.enforced = true;
        *ret_status = st;
        return required && !status_complete(&st) ? -EOPNOTSUPP : 0;
}

const char *landlock_access_fs_name(unsigned bit)
{
        static const char *const names[] = {
                "execute",   "write_file", "read_file", "read_dir",  "remove_dir", "remove_file",
                "make_char", "make_dir",   "make_reg",  "make_sock", "make_fifo",  "make_block",
                "make_sym",  "refer",      "truncate",  "ioctl_dev",
        };
        return bit < ELEMENTSOF(names) ? names[bit] : NULL;
}
