/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Canaries: decoy secrets in the sandbox home. Nothing legitimate run on a downloaded file
 * reads another user's SSH key or browser passwords, so any open of one is a finding. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/fanotify.h>
#include <sys/statfs.h>
#include <sys/fsuid.h>
#include <sys/stat.h>

#include "basic/chase.h"
#include "basic/log.h"
#include "monitor-internal.h"

/* Decoys are recognised by identity, not by the name the program used. A name (the path in
 * the seccomp notification) can be dodged by a symlink, a hard link, /proc/self/root/...,
 * a dirfd-relative open, open_by_handle_at() or a rename, and resolving that name again on
 * the host would race with the program and would have to follow links the sandbox wrote.
 * Instead each decoy's inode gets a fanotify FAN_OPEN mark when it is planted: the kernel
 * reports every open of that inode, however it was reached, and the report names the inode
 * by its file handle (FAN_REPORT_FID, which also lets an unprivileged user mark an inode it
 * can read, Linux 5.13+). The handles are compared with the ones recorded at planting.
 * Events are queued by the kernel and read when the rules run. Opens by this process (none
 * are made after planting) are ignored. Without fanotify the name match still works. */
struct canary_mark {
        size_t index; /* in canaries[] */
        fsid_t fsid;
        int handle_type;
        unsigned handle_bytes;
        unsigned char handle[MAX_HANDLE_SZ];
};

struct canary {
        const char *rel;     /* below the home folder */
        const char *attack;  /* ATT&CK technique */
        bool prefix;         /* everything below this folder counts */
        const char *content; /* NULL for a folder */
};

#define TOKEN "AIRLOCK-CANARY-7f3c9a"

static const struct canary canaries[] = {
        {".ssh/id_rsa", "T1552.001", false,
         "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA" TOKEN
         "AAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQy\n-----END OPENSSH PRIVATE "
         "KEY-----\n"},
        {".ssh/id_ed25519", "T1552.001", false,
         "-----BEGIN OPENSSH PRIVATE KEY-----\n" TOKEN "\n-----END OPENSSH PRIVATE KEY-----\n"},
        {".aws/credentials", "T1552.001", false,
         "[default]\naws_access_key_id = AKIAIOSFODNN7AIRLOCK\naws_secret_access_key = " TOKEN
         "/bPxRfiCYEXAMPLEKEY\n"},
        {".netrc", "T1552.001", false, "machine git.example.com login deploy password " TOKEN "\n"},
        {".bash_history", "T1552.001", false,
         "ls\nmysql -u root -p" TOKEN "\nssh deploy@10.0.0.5\n"},
        {".gnupg/private-keys-v1.d/3A5C1B8E.key", "T1552.001", false,
         "Key: (private-key (rsa (n #00" TOKEN "#)))\n"},
        {".gnupg", "T1552.001", true, NULL},
        {".mozilla/firefox/airlock.default/logins.json", "T1555.003", false,
         "{\"logins\":[{\"hostname\":\"https://mail.example.com\",\"encryptedPassword\":\"" TOKEN
         "\"}]}\n"},
        {".mozilla/firefox/airlock.default/cookies.sqlite", "T1555.003", false,
         "SQLite format 3\0" TOKEN},
        {".mozilla/firefox/airlock.default/key4.db", "T1555.003", false, "SQLite format 3\0" TOKEN},
        {".mozilla/firefox", "T1555.003", true, NULL},
        {".config/google-chrome/Default/Login Data", "T1555.003", false, "SQLite format 3\0" TOKEN},
        {".config/google-chrome/Default/Cookies", "T1555.003", false, "SQLite format 3\0" TOKEN},
        {".config/google-chrome", "T1555.003", true, NULL},
        {".config/chromium/Default/Login Data", "T1555.003", false, "SQLite format 3\0" TOKEN},
        {".config/chromium", "T1555.003", true, NULL},
};

static int open_home(struct monitor *m)
{
        const char *rel = m->home;

        if (m->home_host)
                return open(m->home_host, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (m->root_fd < 0)
                return -EBADF;
        while (*rel == '/')
                rel++;
        return openat2_fd(m->root_fd, *rel ? rel : ".", O_PATH | O_DIRECTORY | O_CLOEXEC,
                          RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/* Creates the folders of rel below homefd, one component at a time, never following links. */
static int make_parents(int homefd, const char *rel, uid_t uid, gid_t gid, bool chown_them)
{
        char buf[256];
        _cleanup_close_ int dfd = fcntl(homefd, F_DUPFD_CLOEXEC, 3);
        char *slash, *p = buf;

        snprintf(buf, sizeof(buf), "%s", rel);
        while ((slash = strchr(p, '/'))) {
                int next;

                *slash = 0;
                if (mkdirat(dfd, p, 0700) >= 0 && chown_them &&
                    fchownat(dfd, p, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
                        log_debug_errno(negative_errno(), "cannot chown canary folder %s: %m", p);
                next = openat(dfd, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0)
                        return -1;
                safe_close(dfd);
                dfd = next;
                p = slash + 1;
        }
        return TAKE_FD(dfd);
}

static int canary_mark_add(struct monitor *m, int fd, size_t index)
{
        struct {
                struct file_handle fh;
                unsigned char buf[MAX_HANDLE_SZ];
        } h = {.fh.handle_bytes = MAX_HANDLE_SZ};
        struct canary_mark *mk, *a;
        struct statfs sf;
        int mount_id;

        if (m->canary_fan_fd < 0)
                return -EBADF;
        if (name_to_handle_at(fd, "", &h.fh, &mount_id, AT_EMPTY_PATH) < 0 || fstatfs(fd, &sf) < 0)
                return log_debug_errno(negative_errno(), "cannot identify canary %s: %m",
                                       canaries[index].rel);
        if (fanotify_mark(m->canary_fan_fd, FAN_MARK_ADD, FAN_OPEN | FAN_OPEN_EXEC, fd, NULL) < 0)
                return log_debug_errno(negative_errno(), "cannot watch canary %s: %m",
                                       canaries[index].rel);
        a = reallocarray(m->canary_marks, m->n_canary_marks + 1, sizeof(*a));
        if (!a)
                return -ENOMEM;
        m->canary_marks = a;
        mk = &a[m->n_canary_marks++];
        *mk = (struct canary_mark){.index = index,
                                   .fsid = sf.f_fsid,
                                   .handle_type = h.fh.handle_type,
                                   .handle_bytes = h.fh.handle_bytes};
        memcpy(mk->handle, h.fh.f_handle, h.fh.handle_bytes);
        return 0;
}

void canaries_done(struct monitor *m)
{
        m->canary_fan_fd = safe_close(m->canary_fan_fd);
        free(m->canary_marks);
        m->canary_marks = NULL;
        m->n_canary_marks = 0;
}

static const struct canary_mark *mark_of(const struct monitor *m, const fsid_t *fsid,
                                         const struct file_handle *fh)
{
        for (size_t i = 0; i < m->n_canary_marks; i++) {
                const struct canary_mark *mk = &m->canary_marks[i];

                if (memcmp(&mk->fsid, fsid, sizeof(*fsid)) == 0 &&
                    mk->handle_type == fh->handle_type && mk->handle_bytes == fh->handle_bytes &&
                    memcmp(mk->handle, fh->f_handle, fh->handle_bytes) == 0)
                        return mk;
        }
        return NULL;
}

void canaries_opened(struct monitor *m,
                     void (*fn)(struct monitor *m, const char *rel, const char *attack, pid_t pid))
{
        _Alignas(struct fanotify_event_metadata) unsigned char buf[8192];
        bool *seen;
        ssize_t n;

        if (m->canary_fan_fd < 0 || m->n_canary_marks == 0)
                return;
        seen = calloc(ELEMENTSOF(canaries), sizeof(*seen));
        if (!seen)
                return;
        /* Events with file identifiers have lengths that are not multiples of 8, so the
         * records are copied out of the buffer before they are read (an unaligned access is
         * undefined behaviour, and UBSan says so). */
        while ((n = read(m->canary_fan_fd, buf, sizeof(buf))) > 0) {
                size_t off = 0;

                while (off + sizeof(struct fanotify_event_metadata) <= (size_t)n) {
                        struct fanotify_event_metadata e;
                        struct fanotify_event_info_fid fid;
                        struct {
                                struct file_handle fh;
                                unsigned char bytes[MAX_HANDLE_SZ];
                        } h;
                        const unsigned char *ev = buf + off;
                        const struct canary_mark *mk;
                        size_t at = sizeof(e) + sizeof(fid);

                        memcpy(&e, ev, sizeof(e));
                        if (e.vers != FANOTIFY_METADATA_VERSION || e.event_len < sizeof(e) ||
                            off + e.event_len > (size_t)n)
                                break;
                        off += e.event_len;
                        if (e.mask & FAN_Q_OVERFLOW) {
                                /* Events were lost: any of them may have been a decoy. */
                                for (size_t i = 0; i < m->n_canary_marks; i++) {
                                        mk = &m->canary_marks[i];
                                        if (seen[mk->index])
                                                continue;
                                        seen[mk->index] = true;
                                        fn(m, canaries[mk->index].rel, canaries[mk->index].attack,
                                           0);
                                }
                                continue;
                        }
                        if (e.pid == getpid() || e.event_len < at + sizeof(struct file_handle))
                                continue;
                        memcpy(&fid, ev + sizeof(e), sizeof(fid));
                        memcpy(&h.fh, ev + at, sizeof(h.fh));
                        if (fid.hdr.info_type != FAN_EVENT_INFO_TYPE_FID ||
                            h.fh.handle_bytes > MAX_HANDLE_SZ ||
                            at + sizeof(h.fh) + h.fh.handle_bytes > e.event_len)
                                continue;
                        memcpy(h.fh.f_handle, ev + at + sizeof(h.fh), h.fh.handle_bytes);
                        mk = mark_of(m, (const fsid_t *)&fid.fsid, &h.fh);
                        if (mk && !seen[mk->index]) {
                                seen[mk->index] = true;
                                fn(m, canaries[mk->index].rel, canaries[mk->index].attack, e.pid);
                        }
                }
        }
        free(seen);
}

int canaries_plant(struct monitor *m)
{
        _cleanup_close_ int homefd = open_home(m);
        char proc[64];
        struct stat st;
        bool chown_them;
        int old_fsuid = -1, old_fsgid = -1;

        if (homefd < 0)
                return -errno;
        snprintf(proc, sizeof(proc), "/proc/%d", (int)m->child);
        if (stat(proc, &st) < 0)
                return negative_errno();
        chown_them = st.st_uid != geteuid() || st.st_gid != getegid();
        if (m->canary_fan_fd < 0) {
                m->canary_fan_fd =
                        fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_FID,
                                      O_RDONLY | O_CLOEXEC | O_LARGEFILE);
                if (m->canary_fan_fd < 0)
                        log_debug_errno(negative_errno(),
                                        "fanotify: %m; decoys are recognised by name only");
        }
        /* The home is a tmpfs of the sandbox's user namespace, where our own uid (root) may
         * have no mapping (EOVERFLOW): create as the program's user. */
        if (chown_them) {
                old_fsgid = setfsgid(st.st_gid);
                old_fsuid = setfsuid(st.st_uid);
        }
        for (size_t i = 0; i < ELEMENTSOF(canaries); i++) {
                const struct canary *c = &canaries[i];
                _cleanup_close_ int dfd = -1, fd = -1;
                const char *base = strrchr(c->rel, '/');
                size_t len;

                if (!c->content)
                        continue;
                dfd = make_parents(homefd, c->rel, st.st_uid, st.st_gid, chown_them);
                if (dfd < 0)
                        continue;
                fd = openat(dfd, base ? base + 1 : c->rel,
                            O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (fd < 0)
                        continue;
                /* The browser stores start with "SQLite format 3\0": count past that NUL. */
                len = strlen(c->content);
                if (startswith(c->content, "SQLite"))
                        len += 1 + strlen(c->content + len + 1);
                if (write(fd, c->content, len) != (ssize_t)len)
                        log_debug("short write to canary %s", c->rel);
                (void)canary_mark_add(m, fd, i);
                if (chown_them && fchown(fd, st.st_uid, st.st_gid) < 0)
                        log_debug_errno(negative_errno(), "cannot chown canary %s: %m", c->rel);
        }
        if (chown_them) {
                setfsuid((uid_t)old_fsuid);
                setfsgid((gid_t)old_fsgid);
        }
        return 0;
}

bool canary_match(const struct monitor *m, const char *path, const char **ret_attack)
{
        size_t hl = strlen(m->home);

        if (!m->canaries || strncmp(path, m->home, hl) != 0 || path[hl] != '/')
                return false;
        path += hl + 1;
        for (size_t i = 0; i < ELEMENTSOF(canaries); i++) {
                const struct canary *c = &canaries[i];
                size_t n = strlen(c->rel);

                if (streq(path, c->rel) ||
                    (c->prefix && strncmp(path, c->rel, n) == 0 && path[n] == '/')) {
                        if (ret_attack)
                                *ret_attack = c->attack;
                        return true;
                }
        }
        return false;
}
