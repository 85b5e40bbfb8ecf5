/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Canaries: decoy secrets in the sandbox home. Nothing legitimate run on a downloaded file
 * reads another user's SSH key or browser passwords, so any open of one is a finding. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "basic/log.h"
#include "monitor-internal.h"

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
        struct open_how how = {
                .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        const char *rel = m->home;

        if (m->home_host)
                return open(m->home_host, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (m->root_fd < 0)
                return -EBADF;
        while (*rel == '/')
                rel++;
        return (int)syscall(SYS_openat2, m->root_fd, *rel ? rel : ".", &how, sizeof(how));
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
