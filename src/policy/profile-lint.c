/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>

#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "basic/strv.h"
#include "profile-directives.h"
#include "profile-lint.h"
#include "profile.h"

const char *lint_level_to_string(enum lint_level l)
{
        static const char *const names[] = {"low", "medium", "high", "critical"};

        return l <= LINT_CRITICAL ? names[l] : "?";
}

struct findings {
        struct lint_finding *v;
        size_t n;
        int error;
};

_printf_(4, 5) static void add(struct findings *fs, enum lint_level level, const char *risk,
                               const char *fmt, ...)
{
        struct lint_finding *v;
        char *d;
        va_list ap;
        int r;

        if (fs->error)
                return;
        va_start(ap, fmt);
        r = vasprintf(&d, fmt, ap);
        va_end(ap);
        v = r < 0 ? NULL : realloc(fs->v, (fs->n + 1) * sizeof(*v));
        if (!v) {
                if (r >= 0)
                        free(d);
                fs->error = -ENOMEM;
                return;
        }
        fs->v = v;
        v[fs->n++] = (struct lint_finding){.level = level, .directive = d, .risk = risk};
}

/* Syscalls and groups whose allowing the baseline refuses, with what they open. */
static const struct {
        const char *name;
        enum lint_level level;
        const char *risk;
} risky_calls[] = {
        {"ptrace", LINT_HIGH, "ptrace: read and change other processes of the sandbox user"},
        {"process_vm_readv", LINT_HIGH, "reads the memory of other processes"},
        {"process_vm_writev", LINT_HIGH, "writes the memory of other processes"},
        {"@debug", LINT_HIGH, "ptrace and perf: read and change other processes"},
        {"mount", LINT_HIGH, "mount: the way out of most container escapes (T1611)"},
        {"@mount", LINT_HIGH, "mount family: the way out of most container escapes (T1611)"},
        {"pivot_root", LINT_HIGH, "changes the root: container escape surface (T1611)"},
        {"open_tree", LINT_HIGH, "new mount API: container escape surface (T1611)"},
        {"move_mount", LINT_HIGH, "new mount API: container escape surface (T1611)"},
        {"fsopen", LINT_HIGH, "new mount API: container escape surface (T1611)"},
        {"init_module", LINT_CRITICAL, "loads kernel code"},
        {"finit_module", LINT_CRITICAL, "loads kernel code"},
        {"@module", LINT_CRITICAL, "loads and unloads kernel modules"},
        {"kexec_load", LINT_CRITICAL, "replaces the running kernel"},
        {"@reboot", LINT_CRITICAL, "reboots the host"},
        {"@raw-io", LINT_HIGH, "raw port and device I/O"},
        {"@privileged", LINT_HIGH, "calls meant for privileged processes only"},
        {"bpf", LINT_HIGH, "loads BPF programs: large kernel attack surface"},
        {"perf_event_open", LINT_HIGH, "performance counters: side channels, kernel bugs"},
        {"userfaultfd", LINT_MEDIUM, "widens kernel race windows used by exploits"},
        {"io_uring_setup", LINT_MEDIUM, "io_uring: large kernel surface, bypasses seccomp checks"},
        {"@io-uring", LINT_MEDIUM, "io_uring: large kernel surface, bypasses seccomp checks"},
        {"keyctl", LINT_MEDIUM, "kernel keyrings are not namespaced: reads host keys"},
        {"add_key", LINT_MEDIUM, "kernel keyrings are not namespaced"},
        {"request_key", LINT_MEDIUM, "kernel keyrings are not namespaced"},
        {"@keyring", LINT_MEDIUM, "kernel keyrings are not namespaced: reads host keys"},
        {"unshare", LINT_MEDIUM, "new namespaces: kernel surface of CAP_SYS_ADMIN code"},
        {"setns", LINT_MEDIUM, "joins other namespaces"},
        {"@namespaces", LINT_MEDIUM, "new namespaces: kernel surface of CAP_SYS_ADMIN code"},
        {"chroot", LINT_MEDIUM, "chroot: classic escape building block"},
        {"@clock", LINT_MEDIUM, "sets the host clock"},
        {"@swap", LINT_HIGH, "changes host swap"},
        {"acct", LINT_MEDIUM, "turns host process accounting on or off"},
        {"personality", LINT_LOW, "personality: can turn off address-space randomisation"},
        {"clone", LINT_MEDIUM, "clone without flag checks: creates namespaces"},
        {"clone3", LINT_MEDIUM, "clone3 cannot be checked: creates namespaces"},
};

/* Whether a later rule denies some uses of the call that rule i allows (clone flags). */
static bool narrowed_later(const struct policy *p, size_t i)
{
        for (size_t j = i + 1; j < p->n_seccomp_rules; j++)
                if (streq(p->seccomp_rules[j].name, p->seccomp_rules[i].name) &&
                    p->seccomp_rules[j].action != SECCOMP_ACT_ALLOW_KIND &&
                    p->seccomp_rules[j].action != SECCOMP_ACT_LOG_KIND)
                        return true;
        return false;
}

static void lint_seccomp(struct findings *fs, const struct policy *p)
{
        if (p->seccomp_disabled)
                add(fs, LINT_CRITICAL, "no syscall filter: the whole kernel is reachable",
                    "(seccomp disabled)");
        for (size_t i = 0; i < p->n_seccomp_rules; i++) {
                const struct seccomp_rule *r = &p->seccomp_rules[i];
                _cleanup_free_ char *text = NULL;

                if (r->action != SECCOMP_ACT_ALLOW_KIND && r->action != SECCOMP_ACT_LOG_KIND)
                        continue;
                for (size_t j = 0; j < ELEMENTSOF(risky_calls); j++) {
                        if (!streq(r->name, risky_calls[j].name))
                                continue;
                        /* Conditions narrow a call; narrowed low risks are not worth a line. */
                        if (r->n_conds > 0 && risky_calls[j].level == LINT_LOW)
                                break;
                        if (narrowed_later(p, i))
                                break;
                        if (seccomp_rule_format(r, &text) < 0) {
                                fs->error = -ENOMEM;
                                return;
                        }
                        add(fs,
                            r->n_conds > 0 && risky_calls[j].level > LINT_LOW
                                    ? risky_calls[j].level - 1
                                    : risky_calls[j].level,
                            risky_calls[j].risk, "%s %s", seccomp_action_directive(r->action),
                            text);
                        break;
                }
        }
}

static bool path_is_or_below(const char *path, const char *dir)
{
        size_t n = strlen(dir);

        return strneq(path, dir, n) && (path[n] == 0 || path[n] == '/' || streq(dir, "/"));
}

static bool path_is_or_above(const char *path, const char *dir)
{
        return path_is_or_below(dir, path);
}

static bool is_secret_system_file(const char *src)
{
        static const char *const secret[] = {"/etc/shadow",  "/etc/gshadow",   "/etc/ssh",
                                             "/etc/sudoers", "/etc/sudoers.d", "/etc/ssl/private",
                                             "/root",        "/var/lib/sss",   "/etc/krb5.keytab"};

        for (size_t i = 0; i < ELEMENTSOF(secret); i++)
                if (path_is_or_below(src, secret[i]) || path_is_or_above(src, secret[i]))
                        return true;
        return false;
}

static void lint_mount(struct findings *fs, const struct mount_entry *m, const char *home,
                       const char *downloads, const char *apps)
{
        const char *src = m->src;
        static const char *const secrets[] = {"/.ssh",
                                              "/.gnupg",
                                              "/.local/share/keyrings",
                                              "/.password-store",
                                              "/.aws",
                                              "/.kube",
                                              "/.docker",
                                              "/.mozilla",
                                              "/.config/chromium",
                                              "/.config/google-chrome"};
        bool writable = m->kind == MOUNT_BIND;
        bool system_dir =
                src && (streq(src, "/") || path_is_or_below(src, "/etc") ||
                        path_is_or_below(src, "/var") || path_is_or_below(src, "/run") ||
                        path_is_or_below(src, "/root") || path_is_or_below(src, "/boot") ||
                        path_is_or_below(src, "/sys") || path_is_or_below(src, "/home"));
        const char *d = m->kind == MOUNT_OVERLAY ? "overlay"
                        : m->optional            ? (writable ? "bind-try" : "ro-bind-try")
                                                 : (writable ? "bind" : "ro-bind");

        if (src && (m->kind == MOUNT_BIND || m->kind == MOUNT_RO_BIND)) {
                struct stat st;

                /* a socket is a way to a host service, whatever the mount's flags */
                if (stat(src, &st) == 0 && S_ISSOCK(st.st_mode)) {
                        if (startswith(src, "/tmp/.X11-unix/"))
                                add(fs, LINT_HIGH,
                                    "an X11 display: any X client can read the keystrokes and "
                                    "windows of all the others (T1056.001); prefer wayland",
                                    "%s %s %s", d, src, m->dst);
                        else if (m->dst && streq(m->dst, "/run/airlock/wayland-0"))
                                add(fs, LINT_LOW,
                                    "a Wayland display: the compositor keeps clients apart",
                                    "%s %s %s", d, src, m->dst);
                        else
                                add(fs, LINT_MEDIUM,
                                    "a host service's socket: the program can talk to that "
                                    "service with the user's rights",
                                    "%s %s %s", d, src, m->dst);
                        return;
                }
        }
        if (m->kind == MOUNT_DEV_BIND) {
                add(fs, LINT_HIGH,
                    "device access: raw devices bypass file permissions and "
                    "reach kernel drivers",
                    "dev-bind %s %s", src, m->dst);
                return;
        }
        /* an overlay writes nothing back, but reads everything below its source */
        if (m->kind == MOUNT_OVERLAY)
                add(fs, LINT_LOW, "reads a host folder through a private copy-on-write layer",
                    "overlay %s %s", src, m->dst);
        if (!src || (m->kind != MOUNT_BIND && m->kind != MOUNT_RO_BIND && m->kind != MOUNT_OVERLAY))
                return;
        if (home)
                for (size_t i = 0; i < ELEMENTSOF(secrets); i++) {
                        _cleanup_free_ char *s = NULL;

                        if (asprintf(&s, "%s%s", home, secrets[i]) < 0) {
                                fs->error = -ENOMEM;
                                return;
                        }
                        if (path_is_or_above(src, s) || path_is_or_below(src, s)) {
                                add(fs, writable ? LINT_CRITICAL : LINT_HIGH,
                                    "exposes keys, credentials or another program's data "
                                    "(~/.ssh, ~/.gnupg, keyrings, browser profiles)",
                                    "%s %s %s", d, src, m->dst);
                                return;
                        }
                }
        if (writable) {
                if (apps && path_is_or_below(src, apps))
                        add(fs, LINT_LOW, "a private folder of this application that persists",
                            "bind %s %s", src, m->dst);
                else if (downloads && streq(src, downloads))
                        add(fs, LINT_MEDIUM,
                            "writes into the downloads folder: files land where the user opens "
                            "them (they are judged by airlock watch)",
                            "%s %s %s", d, src, m->dst);
                else if (system_dir || (home && path_is_or_above(src, home)))
                        add(fs, LINT_CRITICAL,
                            "writable host system or home folder: persistence "
                            "and escape (T1611)",
                            "%s %s %s", d, src, m->dst);
                else
                        add(fs, LINT_MEDIUM,
                            "writable host path: the program can change or "
                            "plant files there",
                            "%s %s %s", d, src, m->dst);
        } else if (is_secret_system_file(src))
                add(fs, LINT_HIGH, "reads host secrets (password hashes, host keys, sudo rules)",
                    "%s %s %s", d, src, m->dst);
        else if (startswith(src, "/etc/"))
                return; /* one public configuration file or folder */
        else if (system_dir || (home && path_is_or_above(src, home)))
                add(fs, LINT_MEDIUM, "reads host data beyond the minimal system view", "%s %s %s",
                    d, src, m->dst);
}

static void lint_mounts(struct findings *fs, const struct policy *p)
{
        _cleanup_free_ char *home = NULL, *downloads = NULL, *apps = NULL;

        (void)profile_variable("HOME", NULL, &home);
        (void)profile_variable("DOWNLOADS", NULL, &downloads);
        (void)profile_apps_dir(&apps);
        for (size_t i = 0; i < p->n_mounts; i++)
                lint_mount(fs, &p->mounts[i], home, downloads, apps);
}

static int compare_findings(const void *a, const void *b)
{
        const struct lint_finding *x = a, *y = b;

        return (int)y->level - (int)x->level;
}

int profile_lint(const struct policy *p, struct lint_finding **ret)
{
        struct findings fs = {0};

        if (p->net == NET_HOST)
                add(&fs, LINT_HIGH,
                    "shares the host network: reaches host services on loopback "
                    "and the LAN, and can exfiltrate",
                    "net host");
        if (p->share_pid)
                add(&fs, LINT_HIGH, "sees and signals every host process", "share-pid");
        if (p->share_ipc)
                add(&fs, LINT_HIGH, "reaches host shared memory and message queues", "share-ipc");
        if (p->allow_userns)
                add(&fs, LINT_MEDIUM,
                    "nested user namespaces expose kernel code otherwise "
                    "reachable only with CAP_SYS_ADMIN (a common privilege escalation path)",
                    "allow-userns");
        lint_mounts(&fs, p);
        lint_seccomp(&fs, p);
        if (p->landlock_disabled)
                add(&fs, LINT_MEDIUM, "no Landlock: the file system rests on mounts alone",
                    "no-landlock");
        if ((p->n_tcp_bind || p->n_tcp_connect) && !p->landlock_disabled) {
                /* LANDLOCK_CREATE_RULESET_VERSION; network rules came with ABI 4 */
                long abi = syscall(444 /* landlock_create_ruleset */, NULL, 0, 1U);

                if (abi < 4)
                        add(&fs, LINT_MEDIUM,
                            p->net == NET_NONE
                                    ? "this kernel's Landlock has no network rules (ABI < 4): "
                                      "the ports are not enforced; the own network namespace "
                                      "(net none) still keeps the program off the host's"
                                    : "this kernel's Landlock has no network rules (ABI < 4): "
                                      "the ports are not enforced; every port of the host "
                                      "network is open",
                            "%s", p->n_tcp_bind ? "tcp-bind" : "tcp-connect");
        }
        if (!p->memory_max)
                add(&fs, LINT_LOW,
                    "no memory limit of its own: the launcher's default (a quarter of the RAM) "
                    "applies",
                    "(no memory)");
        if (!p->pids_max)
                add(&fs, LINT_LOW, "no task limit: a fork bomb slows the host", "(no pids)");
        if (fs.error) {
                lint_findings_free(fs.v, fs.n);
                return fs.error;
        }
        if (fs.n)
                qsort(fs.v, fs.n, sizeof(*fs.v), compare_findings);
        *ret = fs.v;
        return (int)fs.n;
}

void lint_findings_free(struct lint_finding *f, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(f[i].directive);
        free(f);
}

const char *profile_lint_rating(const struct lint_finding *f, size_t n)
{
        enum lint_level worst = LINT_LOW;

        for (size_t i = 0; i < n; i++)
                if (f[i].level > worst)
                        worst = f[i].level;
        return worst >= LINT_HIGH ? "privileged" : worst == LINT_MEDIUM ? "baseline" : "restricted";
}

int profile_lint_print(FILE *out, const char *name, const struct policy *p)
{
        struct lint_finding *f = NULL;
        int n = profile_lint(p, &f);

        if (n < 0)
                return n;
        fprintf(out, "profile %s: %s (%d relaxation%s of the restricted baseline)\n", name,
                profile_lint_rating(f, (size_t)n), n, n == 1 ? "" : "s");
        for (int i = 0; i < n; i++)
                fprintf(out, "  %-8s %s\n  %-8s   risk: %s\n", lint_level_to_string(f[i].level),
                        f[i].directive, "", f[i].risk);
        lint_findings_free(f, (size_t)n);
        return n;
}
