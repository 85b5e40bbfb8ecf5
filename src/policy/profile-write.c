/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* "airlock profile show": the merged policy written back as a profile, every setting explicit,
 * so that the output is what airlock enforces and loading it again gives the same policy. */
#include <inttypes.h>

#include "profile-directives.h"
#include "profile.h"

const char *const profile_written_directives[] = {
        /* written as themselves */
        "ro-bind", "ro-bind-try", "bind", "bind-try", "dev-bind", "tmpfs", "dir", "symlink",
        "overlay", "net", "tcp-bind", "tcp-connect", "hostname", "app", "home", "env", "unsetenv",
        "chdir", "uid", "gid", "timeout", "memory", "memory-rlimit", "pids", "cpus", "tmpfs-size",
        "require", "seccomp-json", "seccomp-mode", "seccomp-errno", "seccomp-allow", "seccomp-deny",
        "seccomp-kill", "seccomp-log", "seccomp-notify", "seccomp-trap", "allow-userns", "pty",
        "trace", "no-landlock",
        /* applied while loading; their effect is in the directives above */
        "include", "unbind", "reset", "persist", "display", "seccomp-import", NULL};

static bool safe_char(unsigned char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               strchr("_-./@%+=:,[]&!<>~^*?()", c);
}

/* One value: bare when that reads back the same, else in double quotes with escapes. */
static void write_word(FILE *f, const char *s)
{
        bool bare = s[0] != 0;

        for (const unsigned char *c = (const unsigned char *)s; *c && bare; c++)
                bare = safe_char(*c);
        fputc(' ', f);
        if (bare) {
                fputs(s, f);
                return;
        }
        fputc('"', f);
        for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
                size_t n = *c >= 0x80 ? profile_utf8_length(c, strlen((const char *)c)) : 1;

                if (n > 1) {
                        fwrite(c, 1, n, f);
                        c += n - 1;
                } else if (*c == '"' || *c == '\\' || *c == '$')
                        fprintf(f, "\\%c", *c);
                else if (*c == '\n')
                        fputs("\\n", f);
                else if (*c == '\t')
                        fputs("\\t", f);
                else if (*c == '\r')
                        fputs("\\r", f);
                else if (*c < 0x20 || *c >= 0x7f)
                        fprintf(f, "\\x%02x", *c);
                else
                        fputc(*c, f);
        }
        fputc('"', f);
}

static void directive(FILE *f, const char *name, const char *a, const char *b)
{
        fputs(name, f);
        if (a)
                write_word(f, a);
        if (b)
                write_word(f, b);
        fputc('\n', f);
}

static const char *mount_directive(const struct mount_entry *m)
{
        switch (m->kind) {
        case MOUNT_RO_BIND:
                return m->optional ? "ro-bind-try" : "ro-bind";
        case MOUNT_BIND:
                return m->optional ? "bind-try" : "bind";
        case MOUNT_DEV_BIND:
                return "dev-bind";
        case MOUNT_TMPFS:
                return "tmpfs";
        case MOUNT_DIR:
                return "dir";
        case MOUNT_SYMLINK:
                return "symlink";
        case MOUNT_OVERLAY:
                return "overlay";
        case MOUNT_MASK: /* no directive: write_mounts() says it in a comment */
                break;
        }
        return "?";
}

static void write_mounts(FILE *f, const struct policy *p)
{
        if (p->n_mounts > 0)
                fputs("\n# file system, on top of the built-in read-only /usr, /etc subset, "
                      "/proc, /dev and private /tmp and HOME\n",
                      f);
        for (size_t i = 0; i < p->n_mounts; i++) {
                const struct mount_entry *m = &p->mounts[i];

                if (m->kind == MOUNT_MASK)
                        fprintf(f, "# %s masked (an OCI spec's linux.maskedPaths)\n", m->dst);
                else if (m->src)
                        directive(f, mount_directive(m), m->src, m->dst);
                else
                        directive(f, mount_directive(m), m->dst, NULL);
        }
}

static void write_errno(FILE *f, const char *name, int e)
{
        const char *n = errno_name(e);
        char num[16];

        snprintf(num, sizeof(num), "%d", e);
        directive(f, name, n ?: num, NULL);
}

static int write_seccomp(FILE *f, const struct policy *p)
{
        fputs("\n# seccomp. Built into the engine: in deny-list mode without seccomp-json the "
              "base\n"
              "# deny-list (@airlock-denied, personality, AF_ALG/AF_VSOCK sockets) comes before "
              "these\n"
              "# rules; after them, always: clone/unshare namespace flags (a new user namespace\n"
              "# passes with allow-userns), clone3=ENOSYS, ioctl TIOCSTI and TIOCLINUX.\n",
              f);
        directive(f, "seccomp-mode",
                  p->seccomp_mode == SECCOMP_MODE_ALLOWLIST ? "allowlist" : "denylist", NULL);
        write_errno(f, "seccomp-errno", p->seccomp_default_errno);
        if (p->seccomp_json)
                directive(f, "seccomp-json", p->seccomp_json, NULL);
        for (size_t i = 0; i < p->n_seccomp_rules; i++) {
                _cleanup_free_ char *text = NULL;
                const char *d = seccomp_action_directive(p->seccomp_rules[i].action);
                int r;

                if (!d)
                        return -EINVAL;
                r = seccomp_rule_format(&p->seccomp_rules[i], &text);
                if (r < 0)
                        return r;
                directive(f, d, text, NULL);
        }
        return 0;
}

static void write_number(FILE *f, const char *name, uint64_t v, const char *unit)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%" PRIu64 "%s", v, unit);
        directive(f, name, buf, NULL);
}

/* A size with the largest binary unit that divides it, as parse_size() reads it back. */
static void write_size(FILE *f, const char *name, uint64_t v)
{
        static const char units[] = "KMGT";
        unsigned u = 0;

        while (u < 4 && v % 1024 == 0 && v >= 1024) {
                v /= 1024;
                u++;
        }
        write_number(f, name, v, u ? (char[]){units[u - 1], 0} : "");
}

static void write_resources(FILE *f, const struct policy *p)
{
        fputs("\n# resources\n", f);
        /* Always written: their defaults are not 0, and 0 means no limit ("max"). */
        if (p->memory_max)
                write_size(f, "memory", p->memory_max);
        else
                directive(f, "memory", "max", NULL);
        if (p->memory_rlimit_data)
                directive(f, "memory-rlimit", "data", NULL);
        if (p->pids_max)
                write_number(f, "pids", p->pids_max, "");
        else
                directive(f, "pids", "max", NULL);
        if (p->cpus > 0) {
                char buf[40];

                snprintf(buf, sizeof(buf), "%.17g", p->cpus);
                directive(f, "cpus", buf, NULL);
        }
        write_size(f, "tmpfs-size", p->tmpfs_size);
        if (p->timeout_usec)
                write_number(f, "timeout", p->timeout_usec, "us");
}

int profile_write(FILE *f, const struct policy *p)
{
        char num[16];
        int r;

        fprintf(f, "airlock-profile %d\n", PROFILE_VERSION);
        fprintf(f, "# The merged policy%s%s, as airlock enforces it.\n",
                p->profile_name ? " of " : "", p->profile_name ?: "");
        for (char **s = p->profiles_loaded; s && *s; s++)
                fprintf(f, "# from %s\n", *s);

        fputs("\n# identity and namespaces\n", f);
        directive(f, "hostname", p->hostname ?: "airlock", NULL);
        directive(f, "net",
                  p->net == NET_HOST       ? "host"
                  : p->net == NET_SINKHOLE ? "sinkhole"
                                           : "none",
                  NULL);
        for (size_t i = 0; i < p->n_tcp_bind; i++) {
                snprintf(num, sizeof(num), "%u", (unsigned)p->tcp_bind[i]);
                directive(f, "tcp-bind", num, NULL);
        }
        for (size_t i = 0; i < p->n_tcp_connect; i++) {
                snprintf(num, sizeof(num), "%u", (unsigned)p->tcp_connect[i]);
                directive(f, "tcp-connect", num, NULL);
        }
        if (p->uid_set) {
                snprintf(num, sizeof(num), "%u", (unsigned)p->uid);
                directive(f, "uid", num, NULL);
        }
        if (p->gid != 65534) {
                snprintf(num, sizeof(num), "%u", (unsigned)p->gid);
                directive(f, "gid", num, NULL);
        }
        if (p->allow_userns)
                directive(f, "allow-userns", NULL, NULL);

        fputs("\n# process\n", f);
        if (p->app)
                directive(f, "app", p->app, NULL);
        directive(f, "home", p->home ?: PROFILE_SANDBOX_HOME, NULL);
        if (p->chdir)
                directive(f, "chdir", p->chdir, NULL);
        /* unsetenv first: it also drops the env lines above it, and the launcher applies the
         * removals before the variables set, so "env NAME=..." after "unsetenv NAME" wins. */
        for (char **s = p->env_unset; s && *s; s++)
                directive(f, "unsetenv", *s, NULL);
        for (char **s = p->env; s && *s; s++)
                directive(f, "env", *s, NULL);
        if (p->pty)
                directive(f, "pty", NULL, NULL);

        write_mounts(f, p);
        r = write_seccomp(f, p);
        if (r < 0)
                return r;
        if (p->landlock_disabled || p->require) {
                fputs("\n# enforcement\n", f);
                if (p->landlock_disabled)
                        directive(f, "no-landlock", NULL, NULL);
                for (char **s = p->require; s && *s; s++)
                        directive(f, "require", *s, NULL);
        }
        write_resources(f, p);
        if (p->trace)
                directive(f, "trace", NULL, NULL);
        return ferror(f) ? -EIO : 0;
}
