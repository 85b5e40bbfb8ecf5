/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Rules from events and file changes to findings with ATT&CK ids (documented in
 * docs/monitor.md). Each rule is a small function over the recorded run; they look at what
 * the program attempted, whether or not the sandbox let it succeed. */
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <sys/stat.h>

#include "basic/strv.h"
#include "monitor-internal.h"

#define SCAN_ENDPOINTS_MEDIUM 10
#define SCAN_ENDPOINTS_HIGH   50

static const char *const severity_names[] = {"info", "low", "medium", "high"};

const char *severity_to_string(enum severity s)
{
        return severity_names[s];
}

int severity_from_string(const char *s)
{
        for (size_t i = 0; i < ELEMENTSOF(severity_names); i++)
                if (streq(s, severity_names[i]))
                        return (int)i;
        return SEV_HIGH + 1;
}

void finding_done(struct finding *f)
{
        free(f->rule);
        free(f->description);
        free(f->evidence);
}

/* Adds a finding unless one with the same rule and evidence exists. attack: up to three ids,
 * NULL-terminated. */
static int add_finding(struct monitor *m, const char *rule, enum severity sev, const char *a0,
                       const char *a1, const char *description, const char *evidence)
{
        struct finding *f;

        for (size_t i = 0; i < m->n_findings; i++)
                if (streq(m->findings[i].rule, rule) &&
                    streq_ptr(m->findings[i].evidence, evidence)) {
                        if (sev > m->findings[i].severity)
                                m->findings[i].severity = sev;
                        return 0;
                }
        if (grow_array((void **)&m->findings, &m->cap_findings, m->n_findings, sizeof(*f)) < 0)
                return -ENOMEM;
        f = &m->findings[m->n_findings];
        *f = (struct finding){.severity = sev, .attack = {a0, a1, NULL}};
        f->rule = strdup(rule);
        f->description = strdup(description);
        f->evidence = evidence ? strdup(evidence) : NULL;
        if (!f->rule || !f->description || (evidence && !f->evidence)) {
                finding_done(f);
                return -ENOMEM;
        }
        m->n_findings++;
        return 0;
}

static bool is_write_open(const struct monitor_event *e)
{
        return e->sc->kind == TK_OPEN &&
               ((e->flags & O_ACCMODE) != O_RDONLY || (e->flags & (O_CREAT | O_TRUNC | O_APPEND)));
}

/* The path relative to the sandbox home, or NULL when it is not below it. */
static const char *home_relative(const struct monitor *m, const char *path)
{
        size_t n = strlen(m->home);

        if (path && strncmp(path, m->home, n) == 0 && path[n] == '/')
                return path + n + 1;
        if (path && startswith(path, "/root/"))
                return path + 6;
        return NULL;
}

static bool has_prefix_in(const char *path, const char *const *prefixes)
{
        for (size_t i = 0; prefixes[i]; i++) {
                size_t n = strlen(prefixes[i]);

                if (strncmp(path, prefixes[i], n) == 0 &&
                    (prefixes[i][n - 1] == '/' || path[n] == 0 || path[n] == '/'))
                        return true;
        }
        return false;
}

struct persistence {
        const char *rule, *attack, *description;
        const char *const home[6];   /* below the home folder */
        const char *const system[8]; /* absolute */
};

static const struct persistence persistence_places[] = {
        {"persistence-shell-profile",
         "T1546.004",
         "writes a shell start-up file, so that its code runs in every new shell",
         {".bashrc", ".profile", ".bash_profile", ".bash_login", ".zshrc", NULL},
         {"/etc/profile", "/etc/bash.bashrc", "/etc/profile.d/", "/etc/zsh/", NULL}},
        {"persistence-cron",
         "T1053.003",
         "installs a cron job",
         {NULL},
         {"/var/spool/cron/", "/etc/crontab", "/etc/cron.d/", "/etc/cron.hourly/",
          "/etc/cron.daily/", "/etc/cron.weekly/", "/etc/cron.monthly/", NULL}},
        {"persistence-autostart",
         "T1547.013",
         "installs an XDG autostart entry",
         {".config/autostart/", NULL},
         {"/etc/xdg/autostart/", NULL}},
        {"persistence-systemd",
         "T1543.002",
         "installs a systemd unit",
         {".config/systemd/user/", ".local/share/systemd/user/", NULL},
         {"/etc/systemd/system/", "/etc/systemd/user/", "/usr/lib/systemd/", "/lib/systemd/",
          NULL}},
        {"persistence-ssh-key",
         "T1098.004",
         "writes an SSH authorized_keys file, so that a key logs in",
         {".ssh/authorized_keys", ".ssh/authorized_keys2", NULL},
         {"/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/", NULL}},
        {"persistence-preload",
         "T1574.006",
         "writes the dynamic linker's preload list, so that its library loads into every program",
         {NULL},
         {"/etc/ld.so.preload", NULL}},
};

/* The tools malware calls for persistence, privilege and defence evasion; in a detonation
 * they are decoys, and the exec with its argv is the act. */
struct tool_rule {
        const char *name, *rule, *attack, *description;
        enum severity severity;
};

static const struct tool_rule tool_rules[] = {
        {"crontab", "persistence-cron", "T1053.003", "installs a cron job with crontab(1)",
         SEV_HIGH},
        {"at", "persistence-at", "T1053.002", "schedules a command with at(1)", SEV_HIGH},
        {"batch", "persistence-at", "T1053.002", "schedules a command with batch(1)", SEV_HIGH},
        {"systemctl", "persistence-systemctl", "T1543.002", "enables or starts a systemd unit",
         SEV_HIGH},
        {"service", "persistence-systemctl", "T1543.002", "starts a system service", SEV_MEDIUM},
        {"useradd", "create-account", "T1136.001", "creates a local account", SEV_HIGH},
        {"adduser", "create-account", "T1136.001", "creates a local account", SEV_HIGH},
        {"usermod", "account-manipulation", "T1098", "changes a local account", SEV_HIGH},
        {"passwd", "account-manipulation", "T1098", "changes an account's password", SEV_HIGH},
        {"chpasswd", "account-manipulation", "T1098", "changes accounts' passwords", SEV_HIGH},
        {"ssh-keygen", "ssh-key-generation", "T1098.004",
         "generates an SSH key pair (for an authorized key)", SEV_MEDIUM},
        {"sudo", "privilege-elevation", "T1548.003", "runs a command through sudo", SEV_MEDIUM},
        {"su", "privilege-elevation", "T1548.003", "runs a command through su", SEV_MEDIUM},
        {"chattr", "file-attributes", "T1222.002",
         "changes file attributes (immutable files resist removal)", SEV_HIGH},
        {"iptables", "firewall-change", "T1562.004", "changes the firewall", SEV_HIGH},
        {"ip6tables", "firewall-change", "T1562.004", "changes the firewall", SEV_HIGH},
        {"nft", "firewall-change", "T1562.004", "changes the firewall", SEV_HIGH},
        {"ufw", "firewall-change", "T1562.004", "changes the firewall", SEV_HIGH},
        {"nohup", "detached-process", "T1564", "starts a command that outlives its session",
         SEV_LOW},
};

static const char *base_name(const char *path)
{
        const char *b = strrchr(path, '/');

        return b ? b + 1 : path;
}

/* argv joined with spaces, cut at size. */
static void join_argv(char *const *argv, char *buf, size_t size)
{
        size_t len = 0;

        buf[0] = 0;
        for (size_t i = 0; argv && argv[i] && len + 1 < size; i++)
                len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "", argv[i]);
}

static void rule_tools(struct monitor *m)
{
        char ev[512];

        for (size_t i = 0; i < m->n_events; i++) {
                const struct monitor_event *e = &m->events[i];
                const char *name;

                if (e->sc->kind != TK_EXEC || !e->path || e->missing)
                        continue;
                name = base_name(e->path);
                for (size_t j = 0; j < ELEMENTSOF(tool_rules); j++) {
                        const struct tool_rule *t = &tool_rules[j];

                        if (!streq(name, t->name))
                                continue;
                        /* listing is not installing */
                        if ((streq(name, "crontab") || streq(name, "systemctl")) &&
                            (strv_length(e->argv) < 2 || strv_contains(e->argv, "-l") ||
                             strv_contains(e->argv, "status") ||
                             strv_contains(e->argv, "list-units")))
                                break;
                        join_argv(e->argv, ev, sizeof(ev));
                        (void)add_finding(m, t->rule, t->severity, t->attack, NULL, t->description,
                                          ev[0] ? ev : e->path);
                        break;
                }
        }
}

/* An exec of a program that does not exist: a shell or execvp() tries each PATH folder, so
 * only a name that no attempt of that process found counts. */
static void rule_missing_programs(struct monitor *m)
{
        char ev[512];

        for (size_t i = 0; i < m->n_events; i++) {
                const struct monitor_event *e = &m->events[i];
                bool found = false;

                if (e->sc->kind != TK_EXEC || !e->missing || !e->path)
                        continue;
                for (size_t j = 0; j < m->n_events && !found; j++) {
                        const struct monitor_event *o = &m->events[j];

                        found = o->sc->kind == TK_EXEC && !o->missing && o->pid == e->pid &&
                                o->path && streq(base_name(o->path), base_name(e->path));
                }
                if (found)
                        continue;
                join_argv(e->argv, ev, sizeof(ev));
                (void)add_finding(m, "missing-program", SEV_INFO, NULL, NULL,
                                  "tries to run a program that does not exist in the sandbox",
                                  ev[0] ? ev : base_name(e->path));
        }
}

static const struct persistence *persistence_of(const struct monitor *m, const char *path)
{
        const char *rel = home_relative(m, path);

        for (size_t i = 0; path && i < ELEMENTSOF(persistence_places); i++) {
                const struct persistence *p = &persistence_places[i];

                if (has_prefix_in(path, p->system))
                        return p;
                if (rel && has_prefix_in(rel, p->home))
                        return p;
        }
        return NULL;
}

static void rule_persistence(struct monitor *m)
{
        for (size_t i = 0; i < m->n_events; i++) {
                const struct monitor_event *e = &m->events[i];
                const char *target = NULL;
                const struct persistence *p;

                if (is_write_open(e) || e->sc->kind == TK_CHMOD)
                        target = e->path;
                else if (e->sc->kind == TK_RENAME)
                        target = e->path2;

                p = target ? persistence_of(m, target) : NULL;
                if (p)
                        (void)add_finding(m, p->rule, SEV_HIGH, p->attack, NULL, p->description,
                                          target);
        }
        for (size_t i = 0; i < m->n_changes; i++) {
                const struct file_change *c = &m->changes[i];
                const struct persistence *p;

                if (c->kind == CHANGE_DELETED)
                        continue;
                p = persistence_of(m, c->path);
                if (p)
                        (void)add_finding(m, p->rule, SEV_HIGH, p->attack, NULL, p->description,
                                          c->path);
        }
}

/* A decoy opened under another name (a link, a hard link, /proc/self/root/..., a dirfd, a
 * file handle, after a rename): the evidence is the decoy's own path, so that an open also seen
 * by name gives one finding. */
static void canary_opened(struct monitor *m, const char *rel, const char *attack, pid_t pid)
{
        _cleanup_free_ char *path = NULL;

        (void)pid;
        if (asprintf(&path, "%s/%s", m->home, rel) < 0)
                return;
        (void)add_finding(
                m, "credential-canary", SEV_HIGH, attack,
                startswith(rel, ".ssh/") || startswith(rel, ".gnupg/") ? "T1552.004" : NULL,
                streq(attack, "T1555.003") ? "opens a decoy browser password or cookie store"
                                           : "opens a decoy credential file",
                path);
}

static void rule_canaries(struct monitor *m)
{
        for (size_t i = 0; i < m->n_events; i++) {
                const struct monitor_event *e = &m->events[i];
                const char *attack = NULL;

                if (!e->canary || !canary_match(m, e->path, &attack))
                        continue;
                (void)add_finding(m, "credential-canary", SEV_HIGH, attack,
                                  strstr(e->path, "/.ssh/") || strstr(e->path, "/.gnupg/")
                                          ? "T1552.004"
                                          : NULL,
                                  streq(attack, "T1555.003")
                                          ? "opens a decoy browser password or cookie store"
                                          : "opens a decoy credential file",
                                  e->path);
        }
        canaries_opened(m, canary_opened);
}

/* Whether path was created or written by the program before time t (by an event or, when
 * time is unknown, as a file change). */
static bool dropped_before(const struct monitor *m, const char *path, uint64_t t)
{
        if (!path)
                return false;
        for (size_t i = 0; i < m->n_events && m->events[i].time_usec <= t; i++) {
                const struct monitor_event *e = &m->events[i];

                if (is_write_open(e) && streq_ptr(e->path, path))
                        return true;
                if (e->sc->kind == TK_RENAME && streq_ptr(e->path2, path))
                        return true;
        }
        for (size_t i = 0; i < m->n_changes; i++)
                if (m->changes[i].kind == CHANGE_CREATED && streq(m->changes[i].path, path))
                        return true;
        return false;
}

static bool is_inet_connect(const struct monitor_event *e)
{
        return e->sc->kind == TK_CONNECT && e->addr && (e->num[0] == 2 || e->num[0] == 10);
}

static bool network_before(const struct monitor *m, uint64_t t)
{
        for (size_t i = 0; i < m->n_events && m->events[i].time_usec <= t; i++)
                if (is_inet_connect(&m->events[i]))
                        return true;
        for (size_t i = 0; i < m->n_net; i++)
                if (m->net[i].time_usec <= t)
                        return true;
        return false;
}

static void rule_dropped_files(struct monitor *m)
{
        for (size_t i = 0; i < m->n_events; i++) {
                const struct monitor_event *e = &m->events[i];
                bool net;

                if (e->sc->kind == TK_EXEC && dropped_before(m, e->path, e->time_usec)) {
                        net = network_before(m, e->time_usec);
                        (void)add_finding(m, net ? "download-execute" : "execute-dropped-file",
                                          net ? SEV_HIGH : SEV_LOW, net ? "T1105" : NULL, NULL,
                                          net ? "executes a file it wrote after network activity"
                                              : "executes a file it wrote",
                                          e->path);
                }
                if (e->sc->kind == TK_CHMOD && (e->mode & 0111) &&
                    dropped_before(m, e->path, e->time_usec)) {
                        net = network_before(m, e->time_usec);
                        (void)add_finding(m, "chmod-dropped-file", net ? SEV_MEDIUM : SEV_LOW,
                                          "T1222.002", NULL, "makes a file it wrote executable",
                                          e->path);
                }
                if ((e->sc->kind == TK_CHMOD || e->sc->kind == TK_MKNOD ||
                     (e->sc->kind == TK_OPEN && (e->flags & O_CREAT))) &&
                    (e->mode & (S_ISUID | S_ISGID)))
                        (void)add_finding(m, "setuid-bit", SEV_HIGH, "T1548.001", NULL,
                                          "sets the set-user-ID or set-group-ID bit", e->path);
        }
        for (size_t i = 0; i < m->n_changes; i++) {
                const struct file_change *c = &m->changes[i];

                if (c->kind != CHANGE_DELETED && (c->mode & (S_ISUID | S_ISGID)) &&
                    startswith(c->type, "regular"))
                        (void)add_finding(m, "setuid-bit", SEV_HIGH, "T1548.001", NULL,
                                          "leaves a set-user-ID or set-group-ID file", c->path);
        }
}

static void rule_fileless(struct monitor *m)
{
        bool memfd = false;

        for (size_t i = 0; i < m->n_events; i++) {
                const struct monitor_event *e = &m->events[i];

                if (e->sc->kind == TK_MEMFD)
                        memfd = true;
                if (e->sc->kind != TK_EXEC || !e->path)
                        continue;
                if (startswith(e->path, "/memfd:") ||
                    (memfd && startswith(e->path, "/proc/") && strstr(e->path, "/fd/")))
                        (void)add_finding(m, "fileless-exec", SEV_HIGH, "T1620", NULL,
                                          "executes a program from memory (memfd_create then "
                                          "exec)",
                                          e->path);
        }
}

static void rule_escape(struct monitor *m)
{
        char ev[256];

        for (size_t i = 0; i < m->n_events; i++) {
                const struct monitor_event *e = &m->events[i];
                const char *desc = NULL, *attack = "T1611", *attack2 = NULL;

                switch (e->sc->kind) {
                case TK_MOUNT:
                        desc = "tries to change the mount table";
                        break;
                case TK_NAMESPACE:
                case TK_CLONE:
                        desc = "tries to create or join namespaces";
                        break;
                case TK_MODULE:
                        desc = "tries to load or remove a kernel module";
                        attack2 = "T1547.006";
                        break;
                case TK_BPF:
                        desc = "tries to use bpf()";
                        break;
                case TK_MKNOD:
                        if (S_ISBLK((mode_t)e->flags) || S_ISCHR((mode_t)e->flags))
                                desc = "tries to create a device node";
                        break;
                case TK_PTRACE:
                        if (e->num[0] != 0 /* PTRACE_TRACEME */) {
                                desc = "tries to trace or inject into another process";
                                attack = "T1055.008";
                        }
                        break;
                default:
                        break;
                }
                if (!desc)
                        continue;
                snprintf(ev, sizeof(ev), "%s(%s)%s", e->sc->name, e->path ? e->path : "",
                         e->denied ? " denied" : "");
                (void)add_finding(m, attack[5] == '8' ? "process-injection" : "escape-attempt",
                                  SEV_HIGH, attack, attack2, desc, ev);
        }
}

static bool is_interpreter(const char *exe)
{
        static const char *const names[] = {"sh",   "bash", "dash", "zsh",  "ksh", "busybox",
                                            "perl", "ruby", "php",  "node", "lua", NULL};
        const char *b = base_name(exe);

        for (size_t i = 0; names[i]; i++)
                if (streq(b, names[i]))
                        return true;
        return startswith(b, "python") || startswith(b, "perl5");
}

/* The script an interpreter runs: its first argument that is not an option. */
static const char *script_of(char *const *argv)
{
        for (size_t i = 1; argv && argv[i]; i++) {
                if (streq(argv[i], "-c") || streq(argv[i], "-e") || streq(argv[i], "-E"))
                        return NULL;
                if (argv[i][0] != '-')
                        return argv[i];
        }
        return NULL;
}

/* The files a process and its ancestors were started from: deleting one is hiding. */
static bool is_own_image(struct monitor *m, const struct monitor_event *e)
{
        pid_t pid = e->pid;

        if (!e->path)
                return false;
        for (unsigned depth = 0; depth < 16 && pid > 0; depth++) {
                struct monitor_process *p = NULL;

                for (size_t i = 0; i < m->n_procs; i++)
                        if (m->procs[i].pid == pid)
                                p = &m->procs[i];
                if (!p)
                        break;
                if (streq_ptr(p->exe, e->path))
                        return true;
                /* a script: the file an interpreter was started on, not the arguments of
                 * every program (rm's arguments are what it deletes, not what it is) */
                if (p->exe && is_interpreter(p->exe) && streq_ptr(script_of(p->argv), e->path))
                        return true;
                pid = p->ppid;
        }
        for (size_t i = 0; i < m->n_events; i++)
                if (m->events[i].sc->kind == TK_EXEC && m->events[i].pid == e->pid &&
                    streq_ptr(m->events[i].path, e->path))
                        return true;
        return false;
}

static void rule_self_delete(struct monitor *m)
{
        for (size_t i = 0; i < m->n_events; i++) {
                const struct monitor_event *e = &m->events[i];

                if (e->sc->kind == TK_UNLINK && is_own_image(m, e))
                        (void)add_finding(m, "self-deletion", SEV_MEDIUM, "T1070.004", NULL,
                                          "deletes the file it was started from", e->path);
        }
}

#define SCAN_WINDOW_USEC (10 * 1000000ULL)

struct endpoint {
        uint64_t time;
        char key[96];
};

/* The most distinct address:port pairs connected to within any SCAN_WINDOW_USEC (counted up to
 * SCAN_ENDPOINTS_HIGH). */
static size_t scan_burst(const struct monitor *m)
{
        struct endpoint *seen = NULL;
        size_t n = 0, cap = 0, best = 0, lo = 0;

        for (size_t i = 0; i < m->n_events; i++) {
                const struct monitor_event *e = &m->events[i];
                struct endpoint ep;
                bool dup = false;

                if (!is_inet_connect(e) || e->port <= 0)
                        continue;
                snprintf(ep.key, sizeof(ep.key), "%s:%d", e->addr, e->port);
                /* only the window matters, which keeps this linear: it never holds more
                 * than SCAN_ENDPOINTS_HIGH entries before the loop ends */
                for (size_t j = lo; j < n && !dup; j++)
                        dup = streq(seen[j].key, ep.key);
                if (dup)
                        continue;
                if (grow_array((void **)&seen, &cap, n, sizeof(*seen)) < 0)
                        break;
                ep.time = e->time_usec;
                seen[n++] = ep;
                while (seen[lo].time + SCAN_WINDOW_USEC < ep.time)
                        lo++;
                if (n - lo > best)
                        best = n - lo;
                if (best >= SCAN_ENDPOINTS_HIGH)
                        break;
        }
        free(seen);
        return best;
}

static void rule_scanning(struct monitor *m)
{
        size_t n = scan_burst(m);
        char ev[128];

        if (n < SCAN_ENDPOINTS_MEDIUM)
                return;
        snprintf(ev, sizeof(ev), "%zu distinct address:port pairs within 10 s", n);
        (void)add_finding(m, "network-scan", n >= SCAN_ENDPOINTS_HIGH ? SEV_HIGH : SEV_MEDIUM,
                          "T1046", NULL, "connects to many endpoints in a burst", ev);
}

int monitor_run_rules(struct monitor *m)
{
        rule_persistence(m);
        rule_tools(m);
        rule_missing_programs(m);
        rule_canaries(m);
        rule_dropped_files(m);
        rule_fileless(m);
        rule_escape(m);
        rule_self_delete(m);
        rule_scanning(m);
        return 0;
}

struct json_object *finding_to_json(const struct finding *f)
{
        struct json_object *o = json_object_new_object(), *a = json_object_new_array();

        json_object_object_add(o, "rule", json_object_new_string(f->rule));
        json_object_object_add(o, "severity",
                               json_object_new_string(severity_to_string(f->severity)));
        for (size_t i = 0; i < ELEMENTSOF(f->attack) && f->attack[i]; i++)
                json_object_array_add(a, json_object_new_string(f->attack[i]));
        json_object_object_add(o, "attack", a);
        json_object_object_add(o, "description", json_object_new_string(f->description));
        if (f->evidence)
                json_object_object_add(o, "evidence", json_object_new_string(f->evidence));
        return o;
}
