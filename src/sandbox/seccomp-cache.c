/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cache of compiled seccomp programs, so that starting a sandbox loads a ready program
 * instead of compiling one.
 *
 * A cache file holds the key (every input the program depends on: the policy's seccomp part,
 * the imported JSON file's bytes, the kernel release, the versions of airlock and libseccomp),
 * the programs and a checksum. It is used only from a folder that is ours and closed to others,
 * when the file is ours, not writable by others, of the exact size, with an equal key, the
 * right checksum and programs that pass the validator; on any doubt it is ignored and
 * rebuilt. */
#include <dirent.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdarg.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "basic/fileio.h"
#include "basic/macro.h"
#include "basic/paths.h"
#include "config.h"
#include "seccomp-internal.h"

#define CACHE_MAGIC     "ALSECCMP"
#define CACHE_FORMAT    1
#define CACHE_MAX_SIZE  (1U << 20)
#define CACHE_MAX_FILES 64 /* beyond this, the least recently used go */

struct cache_header {
        char magic[8];
        uint32_t format;
        uint32_t key_size;
        uint32_t n_insns;
        uint32_t n_shadow; /* 0: the same program */
        uint32_t has_notify;
        uint32_t n_errno, n_kill, n_log, n_notify, n_allow_cond, allowlist;
        uint64_t checksum; /* FNV-1a over the file with this field zero */
};

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
        const unsigned char *p = data;

        for (size_t i = 0; i < n; i++) {
                h ^= p[i];
                h *= 0x100000001b3ULL;
        }
        return h;
}
#define FNV_OFFSET 0xcbf29ce484222325ULL

struct buf {
        char *data;
        size_t n, cap;
        int error;
};

static void buf_add(struct buf *b, const void *data, size_t n)
{
        if (b->error < 0)
                return;
        if (b->n + n + 1 > b->cap) {
                size_t cap = (b->n + n + 1) * 2;
                char *d = realloc(b->data, cap);
                if (!d) {
                        b->error = -ENOMEM;
                        return;
                }
                b->data = d;
                b->cap = cap;
        }
        memcpy(b->data + b->n, data, n);
        b->n += n;
        b->data[b->n] = 0;
}

_printf_(2, 3) static void buf_printf(struct buf *b, const char *fmt, ...)
{
        char tmp[512];
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= sizeof(tmp)) {
                b->error = -ENAMETOOLONG;
                return;
        }
        buf_add(b, tmp, (size_t)n);
}

int seccomp_cache_key(const struct policy *p, char **ret_key, size_t *ret_size)
{
        const struct scmp_version *v = seccomp_version();
        struct buf b = {0};
        struct utsname u;
        struct stat exe;

        if (uname(&u) < 0)
                return negative_errno();
        /* The compiler and its built-in rules are part of the binary: a rebuilt airlock
         * (same version, other code) must not load its predecessor's programs. */
        if (stat("/proc/self/exe", &exe) < 0)
                return negative_errno();
        buf_printf(&b, "airlock %s seccomp format %d libseccomp %u.%u.%u\nkernel %s %s\n",
                   AIRLOCK_VERSION, CACHE_FORMAT, v->major, v->minor, v->micro, u.release,
                   u.machine);
        buf_printf(&b, "binary %llx:%llx %lld %lld.%09ld\n", (unsigned long long)exe.st_dev,
                   (unsigned long long)exe.st_ino, (long long)exe.st_size,
                   (long long)exe.st_mtim.tv_sec, exe.st_mtim.tv_nsec);
        buf_printf(&b, "mode %d errno %d userns %d disabled %d\n", (int)p->seccomp_mode,
                   p->seccomp_default_errno, (int)p->allow_userns, (int)p->seccomp_disabled);
        for (size_t i = 0; i < p->n_seccomp_rules; i++) {
                const struct seccomp_rule *r = &p->seccomp_rules[i];
                buf_printf(&b, "rule %zu:", strlen(r->name));
                buf_add(&b, r->name, strlen(r->name));
                buf_printf(&b, " %d %d %u", (int)r->action, r->errno_value, r->n_conds);
                for (unsigned c = 0; c < r->n_conds && c < 6; c++)
                        buf_printf(&b, " %u,%d,%llx,%llx", r->conds[c].index, (int)r->conds[c].op,
                                   (unsigned long long)r->conds[c].value,
                                   (unsigned long long)r->conds[c].mask);
                buf_add(&b, "\n", 1);
        }
        if (p->seccomp_json) {
                _cleanup_free_ char *json = NULL;
                size_t n = 0;
                int r = read_full_file(p->seccomp_json, &json, &n, 16U << 20);
                if (r < 0) {
                        free(b.data);
                        return r;
                }
                buf_printf(&b, "json %zu\n", n);
                buf_add(&b, json, n);
        }
        if (b.error < 0) {
                free(b.data);
                return b.error;
        }
        *ret_key = b.data;
        *ret_size = b.n;
        return 0;
}

int seccomp_cache_dir(char **ret)
{
        const char *e = secure_getenv("AIRLOCK_CACHE_DIR");
        char *d = NULL;

        if (e && e[0] == '/')
                d = strdup(e);
        else if (geteuid() == 0)
                d = strdup("/var/cache/airlock");
        else if ((e = getenv("XDG_CACHE_HOME")) && e[0] == '/') {
                if (asprintf(&d, "%s/airlock", e) < 0)
                        d = NULL;
        } else {
                _cleanup_free_ char *home = NULL;

                if (user_home_dir(geteuid(), &home) < 0)
                        return -ENOENT;
                if (asprintf(&d, "%s/.cache/airlock", home) < 0)
                        d = NULL;
        }
        if (!d)
                return -ENOMEM;
        *ret = d;
        return 0;
}

/* Opens the cache folder if it is ours and closed to everyone else; with create, makes it
 * (and a missing parent, 0700) first. Returns an fd or a negative errno. */
static int open_cache_dir(bool create)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r;

        r = seccomp_cache_dir(&dir);
        if (r < 0)
                return r;
        if (create) {
                char *slash = strrchr(dir, '/');
                if (slash && slash != dir) {
                        *slash = 0;
                        (void)mkdir(dir, 0700); /* ~/.cache when missing */
                        *slash = '/';
                }
                if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                        return negative_errno();
        }
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (st.st_uid != geteuid() || (st.st_mode & 077) != 0)
                return -EPERM;
        return TAKE_FD(fd);
}

static void cache_file_name(const char *key, size_t key_size, char name[64])
{
        snprintf(name, 64, "seccomp-%016llx.bpf",
                 (unsigned long long)fnv1a(FNV_OFFSET, key, key_size));
}

static uint64_t cache_checksum(const char *file, size_t size)
{
        struct cache_header h;
        uint64_t sum;

        memcpy(&h, file, sizeof(h));
        h.checksum = 0;
        sum = fnv1a(FNV_OFFSET, &h, sizeof(h));
        return fnv1a(sum, file + sizeof(h), size - sizeof(h));
}

static int parse_cache_file(const char *file, size_t size, const char *key, size_t key_size,
                            struct seccomp_program **ret)
{
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;
        struct cache_header h;
        size_t want;

        if (size < sizeof(h))
                return -EBADMSG;
        memcpy(&h, file, sizeof(h));
        if (memcmp(h.magic, CACHE_MAGIC, 8) != 0 || h.format != CACHE_FORMAT ||
            h.key_size != key_size || h.n_insns == 0 || h.n_insns > BPF_MAXINSNS ||
            h.n_shadow > BPF_MAXINSNS)
                return -EBADMSG;
        want = sizeof(h) + key_size + ((size_t)h.n_insns + h.n_shadow) * sizeof(struct sock_filter);
        if (size != want || cache_checksum(file, size) != h.checksum)
                return -EBADMSG;
        if (memcmp(file + sizeof(h), key, key_size) != 0)
                return -ESTALE;

        prog = calloc(1, sizeof(*prog));
        if (!prog)
                return -ENOMEM;
        const char *insns = file + sizeof(h) + key_size;
        prog->n_insns = h.n_insns;
        prog->insns = malloc(h.n_insns * sizeof(struct sock_filter));
        if (!prog->insns)
                return -ENOMEM;
        memcpy(prog->insns, insns, h.n_insns * sizeof(struct sock_filter));
        if (h.n_shadow) {
                prog->n_shadow = h.n_shadow;
                prog->shadow = malloc(h.n_shadow * sizeof(struct sock_filter));
                if (!prog->shadow)
                        return -ENOMEM;
                memcpy(prog->shadow, insns + h.n_insns * sizeof(struct sock_filter),
                       h.n_shadow * sizeof(struct sock_filter));
        } else {
                prog->shadow = prog->insns;
                prog->n_shadow = prog->n_insns;
        }
        if (!seccomp_bpf_valid(prog->insns, prog->n_insns) ||
            !seccomp_bpf_valid(prog->shadow, prog->n_shadow))
                return -EBADMSG;
        prog->has_notify = h.has_notify != 0;
        prog->summary = (struct seccomp_summary){
                .n_errno = h.n_errno,
                .n_kill = h.n_kill,
                .n_log = h.n_log,
                .n_notify = h.n_notify,
                .n_allow_cond = h.n_allow_cond,
                .allowlist = h.allowlist != 0,
                .cached = true,
                .n_insns = h.n_insns,
        };
        *ret = TAKE_PTR(prog);
        return 0;
}

int seccomp_cache_load(const char *key, size_t key_size, struct seccomp_program **ret)
{
        _cleanup_close_ int dfd = -1, fd = -1;
        _cleanup_free_ char *file = NULL;
        char name[64];
        struct stat st;
        size_t size;
        int r;

        dfd = open_cache_dir(false);
        if (dfd < 0)
                return dfd;
        cache_file_name(key, key_size, name);
        fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0 ||
            st.st_size > CACHE_MAX_SIZE)
                return -EPERM;
        r = read_full_fd(fd, &file, &size, CACHE_MAX_SIZE);
        if (r < 0)
                return r;
        if ((off_t)size != st.st_size)
                return -EBADMSG;
        r = parse_cache_file(file, size, key, key_size, ret);
        if (r >= 0 && st.st_mtime < time(NULL) - 3600)
                (void)futimens(fd, NULL); /* recently used: kept by the pruning */
        return r;
}

static bool cache_file_match(int dfd, const char *name)
{
        return startswith(name, "seccomp-") && strlen(name) < 64;
}

int seccomp_cache_store(const char *key, size_t key_size, const struct seccomp_program *prog)
{
        bool same = prog->shadow == prog->insns;
        struct cache_header h = {
                .magic = CACHE_MAGIC,
                .format = CACHE_FORMAT,
                .key_size = (uint32_t)key_size,
                .n_insns = (uint32_t)prog->n_insns,
                .n_shadow = same ? 0 : (uint32_t)prog->n_shadow,
                .has_notify = prog->has_notify,
                .n_errno = prog->summary.n_errno,
                .n_kill = prog->summary.n_kill,
                .n_log = prog->summary.n_log,
                .n_notify = prog->summary.n_notify,
                .n_allow_cond = prog->summary.n_allow_cond,
                .allowlist = prog->summary.allowlist,
        };
        _cleanup_close_ int dfd = -1, fd = -1;
        struct buf b = {0};
        char name[64], tmp[96];
        uint64_t rnd = 0;
        int r;

        if (prog->n_insns == 0)
                return 0;
        dfd = open_cache_dir(true);
        if (dfd < 0)
                return dfd;
        buf_add(&b, &h, sizeof(h));
        buf_add(&b, key, key_size);
        buf_add(&b, prog->insns, prog->n_insns * sizeof(struct sock_filter));
        if (!same)
                buf_add(&b, prog->shadow, prog->n_shadow * sizeof(struct sock_filter));
        if (b.error < 0) {
                free(b.data);
                return b.error;
        }
        h.checksum = cache_checksum(b.data, b.n);
        memcpy(b.data, &h, sizeof(h));

        cache_file_name(key, key_size, name);
        if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
                rnd = (uint64_t)getpid() << 20 ^ (uint64_t)(uintptr_t)&rnd;
        snprintf(tmp, sizeof(tmp), ".%s.%016llx", name, (unsigned long long)rnd);
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
                free(b.data);
                return negative_errno();
        }
        r = loop_write(fd, b.data, b.n);
        free(b.data);
        if (r >= 0 && renameat(dfd, tmp, dfd, name) < 0)
                r = negative_errno();
        if (r < 0)
                (void)unlinkat(dfd, tmp, 0);
        else
                /* every rebuilt binary and every policy leaves a file: the least recently used go
                 */
                dir_prune_oldest(dfd, cache_file_match, CACHE_MAX_FILES);
        return r;
}

int seccomp_program_build(const struct policy *p, struct seccomp_program **ret)
{
        _cleanup_free_ char *key = NULL;
        const char *e = getenv("AIRLOCK_SECCOMP_CACHE");
        size_t key_size;
        int r;

        if ((e && streq(e, "0")) || p->seccomp_disabled ||
            seccomp_cache_key(p, &key, &key_size) < 0)
                return seccomp_program_build_uncached(p, ret);
        if (seccomp_cache_load(key, key_size, ret) >= 0)
                return 0;
        r = seccomp_program_build_uncached(p, ret);
        if (r < 0)
                return r;
        (void)seccomp_cache_store(key, key_size, *ret);
        return 0;
}
