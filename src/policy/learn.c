/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock learn: a profile from the trace of a --complain run (docs/learn.md). */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "basic/chase.h"
#include "basic/log.h"
#include "basic/parse.h"
#include "basic/strv.h"
#include "policy/learn.h"
#include "policy/syscall-groups.h"

/* Groups written whole when the program used more than half of their calls (of this
 * architecture). Only groups whose every call an ordinary program may use without harm:
 * @file-system (unlink, mknod), @process (execve, kill) and @network stay by name. */
static const char *const learn_groups[] = {
        "@default", "@basic-io", "@io-event", "@memory", "@signal", "@timer", "@sync",
};

/* Above this many files read in one folder, the folder is bound instead. */
#define LEARN_FILES_PER_FOLDER 8
/* The namespace flags of clone (the engine refuses them whatever the profile says). */
#define CLONE_NS_MASK 0x7E020080ULL

struct use {
        char *name;     /* syscall */
        uint64_t count; /* 0: from the merged profile only */
        char *from;     /* the merged profile's comment */
};

struct arg_use {
        int nr; /* SYS_socket or SYS_personality */
        uint64_t value;
        uint64_t count;
        char *from;
};

enum path_kind {
        PATH_READ,  /* a file opened for reading or run: ro-bind it (or its folder) */
        PATH_DIR,   /* a folder opened (listed): ro-bind it unless a bind lies below it */
        PATH_WRITE, /* a folder in which a file was written, made, renamed or removed */
};

struct path_use {
        enum path_kind kind;
        char *src, *dst;
        uint64_t count;
        char *why; /* the first event: "openat /x (read" */
        char *from;
        bool dropped;
};

struct learn {
        struct use *uses;
        size_t n_uses;
        struct arg_use *args;
        size_t n_args;
        uint64_t clone_count;
        char *clone_from;
        struct path_use *paths;
        size_t n_paths;
        char **net_notes; /* "connect AF_INET 127.0.0.1:80" */
        uint64_t *net_counts;
        size_t n_net;
        bool net_host;
        bool net_host_bind; /* a TCP port bound on the host's network: a daemon's clients */
        bool tcp;           /* an internet stream socket was made */
        /* under --net host, loopback is the host's: the ports connected to there, and whether
         * one was not bound by the traced program (a service of the host's, outside) */
        unsigned host_lo_ports[POLICY_PORTS_MAX];
        size_t n_host_lo_ports;
        bool net_host_loopback;
        char *net_from;
        struct port_use {
                unsigned port;
                uint64_t count;
                char *from;           /* the merged profile's comment, or NULL */
        } ports[2][POLICY_PORTS_MAX]; /* [0] bound, [1] connected to */
        size_t n_ports[2];
        size_t n_probes, n_unnamed, n_ro_writes;
};

static void learn_done(struct learn *l)
{
        for (size_t i = 0; i < l->n_uses; i++)
                free(l->uses[i].name), free(l->uses[i].from);
        for (size_t i = 0; i < l->n_args; i++)
                free(l->args[i].from);
        for (size_t i = 0; i < l->n_paths; i++) {
                free(l->paths[i].src);
                free(l->paths[i].dst);
                free(l->paths[i].why);
                free(l->paths[i].from);
        }
        free(l->uses);
        free(l->args);
        free(l->paths);
        free(l->clone_from);
        strv_free(l->net_notes);
        free(l->net_counts);
        free(l->net_from);
        for (size_t k = 0; k < 2; k++)
                for (size_t i = 0; i < l->n_ports[k]; i++)
                        free(l->ports[k][i].from);
}

/* A TCP port bound (connect false) or connected to; past the policy's limit, left out. */
static int add_port(struct learn *l, bool connect, int64_t port, uint64_t count, const char *from)
{
        struct port_use *v = l->ports[connect];
        size_t *n = &l->n_ports[connect];

        if (port < 0 || port > 65535)
                return 0;
        for (size_t i = 0; i < *n; i++)
                if (v[i].port == port) {
                        v[i].count += count;
                        return 0;
                }
        if (*n >= POLICY_PORTS_MAX)
                return 0;
        v[*n] = (struct port_use){.port = (unsigned)port, .count = count};
        if (from && !(v[*n].from = strdup(from)))
                return -ENOMEM;
        (*n)++;
        return 0;
}

static int add_use(struct learn *l, const char *name, uint64_t count, const char *from)
{
        struct use *u;

        for (size_t i = 0; i < l->n_uses; i++)
                if (streq(l->uses[i].name, name)) {
                        l->uses[i].count += count;
                        return 0;
                }
        u = realloc(l->uses, (l->n_uses + 1) * sizeof(*u));
        if (!u)
                return -ENOMEM;
        l->uses = u;
        u = &l->uses[l->n_uses];
        *u = (struct use){.name = strdup(name), .count = count, .from = from ? strdup(from) : NULL};
        if (!u->name)
                return -ENOMEM;
        l->n_uses++;
        return 0;
}

static int add_arg(struct learn *l, int nr, uint64_t value, uint64_t count, const char *from)
{
        struct arg_use *a;

        for (size_t i = 0; i < l->n_args; i++)
                if (l->args[i].nr == nr && l->args[i].value == value) {
                        l->args[i].count += count;
                        return 0;
                }
        a = realloc(l->args, (l->n_args + 1) * sizeof(*a));
        if (!a)
                return -ENOMEM;
        l->args = a;
        l->args[l->n_args++] = (struct arg_use){
                .nr = nr, .value = value, .count = count, .from = from ? strdup(from) : NULL};
        return 0;
}

static int add_path(struct learn *l, enum path_kind kind, const char *src, const char *dst,
                    const char *why, const char *from)
{
        struct path_use *p;

        for (size_t i = 0; i < l->n_paths; i++)
                if (l->paths[i].kind == kind && streq(l->paths[i].dst, dst)) {
                        if (why)
                                l->paths[i].count++;
                        return 0;
                }
        p = realloc(l->paths, (l->n_paths + 1) * sizeof(*p));
        if (!p)
                return -ENOMEM;
        l->paths = p;
        p = &l->paths[l->n_paths];
        *p = (struct path_use){.kind = kind,
                               .src = strdup(src),
                               .dst = strdup(dst),
                               .count = why ? 1 : 0,
                               .why = why ? strdup(why) : NULL,
                               .from = from ? strdup(from) : NULL};
        if (!p->src || !p->dst)
                return -ENOMEM;
        l->n_paths++;
        return 0;
}

static int add_net(struct learn *l, const char *note)
{
        uint64_t *c;

        for (size_t i = 0; i < l->n_net; i++)
                if (streq(l->net_notes[i], note)) {
                        l->net_counts[i]++;
                        return 0;
                }
        c = realloc(l->net_counts, (l->n_net + 1) * sizeof(*c));
        if (!c)
                return -ENOMEM;
        l->net_counts = c;
        c[l->n_net] = 1;
        if (strv_extend(&l->net_notes, note) < 0)
                return -ENOMEM;
        l->n_net++;
        return 0;
}

/* Collapses "//", "/./" and "/x/.." of an absolute path, in place. Lexical only: the path is
 * the program's own name for the file, compared with the binds' destinations. */
static void path_simplify(char *path)
{
        char *out = path, *in = path;

        while (*in) {
                while (*in == '/')
                        in++;
                if (!*in)
                        break;
                size_t n = strcspn(in, "/");
                if (n == 1 && in[0] == '.') {
                        in += n;
                        continue;
                }
                if (n == 2 && in[0] == '.' && in[1] == '.') {
                        while (out > path && *--out != '/')
                                ;
                        in += n;
                        continue;
                }
                *out++ = '/';
                memmove(out, in, n);
                out += n;
                in += n;
        }
        if (out == path)
                *out++ = '/';
        *out = 0;
}

static char *parent_of(const char *path)
{
        const char *slash = strrchr(path, '/');

        if (!slash || slash == path)
                return strdup("/");
        return strndup(path, (size_t)(slash - path));
}

/* The bind of the learning run that holds dst (the longest destination), or NULL. */
static const struct mount_entry *bind_of(const struct learn_input *in, const char *dst)
{
        const struct mount_entry *best = NULL;

        for (size_t i = 0; i < in->n_binds; i++)
                if (path_in_folder(dst, in->binds[i].dst) &&
                    (!best || strlen(in->binds[i].dst) > strlen(best->dst)))
                        best = &in->binds[i];
        return best;
}

static bool flags_has(struct json_object *flags, const char *name)
{
        for (size_t i = 0; flags && i < json_object_array_length(flags); i++)
                if (streq(json_object_get_string(json_object_array_get_idx(flags, i)), name))
                        return true;
        return false;
}

static const char *get_str(struct json_object *o, const char *key)
{
        struct json_object *v;

        return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
                       ? json_object_get_string(v)
                       : NULL;
}

/* One path of an event: mapped to the host through the learning run's binds. Paths outside
 * them are the sandbox's own (or the base profile's) and stay to the defaults. */
static int note_path(struct learn *l, const struct learn_input *in, const char *syscall,
                     const char *raw, enum path_kind kind)
{
        _cleanup_free_ char *dst = strdup(raw), *src = NULL, *why = NULL, *folder = NULL;
        const struct mount_entry *b;

        if (!dst)
                return -ENOMEM;
        if (dst[0] != '/')
                return 0; /* not resolved by the tracer */
        path_simplify(dst);
        if (kind == PATH_WRITE) {
                b = bind_of(in, dst);
                if (b && !streq(dst, b->dst)) {
                        folder = parent_of(dst);
                        if (!folder)
                                return -ENOMEM;
                }
        }
        b = bind_of(in, folder ?: dst);
        if (!b)
                return 0;
        if (kind == PATH_WRITE && b->kind == MOUNT_RO_BIND) {
                /* refused while learning too (read-only): the profile keeps it so, and binds
                 * nothing for it (the file may not even exist) */
                l->n_ro_writes++;
                return 0;
        }
        if (asprintf(&src, "%s%s", b->src,
                     streq(b->dst, "/") ? (folder ?: dst) : (folder ?: dst) + strlen(b->dst)) < 0 ||
            asprintf(&why, "%s %s (%s", syscall, dst,
                     kind == PATH_WRITE ? "write"
                     : kind == PATH_DIR ? "listed"
                                        : "read") < 0)
                return -ENOMEM;
        path_simplify(src);
        return add_path(l, kind, src, folder ?: dst, why, NULL);
}

static int read_events(struct learn *l, const struct learn_input *in, struct json_object *report)
{
        struct json_object *events;
        int r = 0;

        if (!json_object_object_get_ex(report, "events", &events) ||
            !json_object_is_type(events, json_type_array))
                return 0;
        for (size_t i = 0; r >= 0 && i < json_object_array_length(events); i++) {
                struct json_object *e = json_object_array_get_idx(events, i), *args, *flags = NULL,
                                   *v;
                const char *sc = get_str(e, "syscall"), *path, *path2;
                bool missing =
                        json_object_object_get_ex(e, "missing", &v) && json_object_get_boolean(v);

                if (!sc || !json_object_object_get_ex(e, "args", &args))
                        continue;
                path = get_str(args, "path");
                path2 = get_str(args, "new_path");
                json_object_object_get_ex(args, "flags", &flags);
                if (streq(sc, "open") || streq(sc, "openat") || streq(sc, "openat2") ||
                    streq(sc, "creat")) {
                        bool write = streq(sc, "creat") || flags_has(flags, "O_WRONLY") ||
                                     flags_has(flags, "O_RDWR") || flags_has(flags, "O_CREAT") ||
                                     flags_has(flags, "O_TRUNC") || flags_has(flags, "O_APPEND");

                        if (!path)
                                continue;
                        if (!write && missing) {
                                l->n_probes++;
                                continue;
                        }
                        r = note_path(l, in, sc, path,
                                      write                             ? PATH_WRITE
                                      : flags_has(flags, "O_DIRECTORY") ? PATH_DIR
                                                                        : PATH_READ);
                } else if (streq(sc, "execve") || streq(sc, "execveat")) {
                        if (path && !missing)
                                r = note_path(l, in, sc, path, PATH_READ);
                } else if (startswith(sc, "unlink") || startswith(sc, "rename") ||
                           startswith(sc, "mknod") || strstr(sc, "chmod")) {
                        if (path)
                                r = note_path(l, in, sc, path, PATH_WRITE);
                        if (r >= 0 && path2)
                                r = note_path(l, in, sc, path2, PATH_WRITE);
                } else if (streq(sc, "socket")) {
                        const char *family = get_str(args, "family"), *type = get_str(args, "type");

                        if (family && type && streq(type, "stream") &&
                            (streq(family, "inet") || streq(family, "inet6")))
                                l->tcp = true;
                } else if (streq(sc, "connect") || streq(sc, "bind") || streq(sc, "sendto") ||
                           streq(sc, "sendmsg")) {
                        const char *family = get_str(args, "family"),
                                   *addr = get_str(args, "address");
                        _cleanup_free_ char *note = NULL;
                        int64_t port = -1;

                        if (!family || !addr || (!streq(family, "inet") && !streq(family, "inet6")))
                                continue;
                        if (json_object_object_get_ex(args, "port", &v))
                                port = json_object_get_int64(v);
                        if (asprintf(&note, "%s %s %s port %" PRId64,
                                     streq(sc, "bind") ? "bind" : "connect", family, addr,
                                     port) < 0)
                                return -ENOMEM;
                        r = add_net(l, note);
                        /* TCP ports for Landlock: bind and connect (sendto on a TCP socket
                         * ignores its address) */
                        if (r >= 0 && l->tcp && (streq(sc, "bind") || streq(sc, "connect")))
                                r = add_port(l, streq(sc, "connect"), port, 1, NULL);
                        /* a port bound on the host's network (not an ephemeral one): a daemon
                         * whose clients are outside the sandbox */
                        if (r >= 0 && l->tcp && streq(sc, "bind") && port > 0 &&
                            in->net == NET_HOST)
                                l->net_host = l->net_host_bind = true;
                        /* the own network namespace has a loopback: a connection to it stays in
                         * the sandbox; any other address needs the host's network */
                        if (r >= 0 && !streq(sc, "bind") && in->net == NET_HOST &&
                            !startswith(addr, "127.") && !streq(addr, "::1"))
                                l->net_host = true;
                        /* ... but under --net host that loopback was the host's: a port the
                         * program did not bind itself is a service outside the sandbox, which
                         * net none would cut off (learn_net_loopback() decides once all is
                         * read) */
                        if (r >= 0 && !streq(sc, "bind") && in->net == NET_HOST && port > 0 &&
                            l->n_host_lo_ports < POLICY_PORTS_MAX &&
                            (startswith(addr, "127.") || streq(addr, "::1")))
                                l->host_lo_ports[l->n_host_lo_ports++] = (unsigned)port;
                }
        }
        return r;
}

static int read_would_deny(struct learn *l, struct json_object *report)
{
        struct json_object *trace, *would;
        int r = 0;

        if (!json_object_object_get_ex(report, "trace", &trace) ||
            !json_object_object_get_ex(trace, "would_deny", &would))
                return log_error_errno(-EINVAL, "learn: the trace has no would_deny list");
        for (size_t i = 0; r >= 0 && i < json_object_array_length(would); i++) {
                struct json_object *o = json_object_array_get_idx(would, i), *v, *a0;
                const char *name = get_str(o, "syscall");
                uint64_t count = json_object_object_get_ex(o, "count", &v)
                                         ? (uint64_t)json_object_get_int64(v)
                                         : 1;

                if (!name) {
                        l->n_unnamed++;
                        continue;
                }
                if (json_object_object_get_ex(o, "arg0", &a0) &&
                    (streq(name, "socket") || streq(name, "personality")))
                        r = add_arg(l, syscall_group_resolve_name(name),
                                    (uint64_t)json_object_get_int64(a0), count, NULL);
                else if (streq(name, "clone") || streq(name, "clone3"))
                        l->clone_count += count;
                else
                        r = add_use(l, name, count, NULL);
        }
        return r;
}

/* ---- the merged profile ---- */

/* Splits one line into at most three words (quotes as the profile language: '...' taken as
 * is, "..." with \" and \\) and the comment. Returns the number of words, or -EINVAL. */
static int split_line(char *line, char *words[3], char **ret_comment)
{
        int n = 0;
        char *c = line;

        *ret_comment = NULL;
        for (;;) {
                char *w, *o;

                while (*c == ' ' || *c == '\t')
                        c++;
                if (!*c || *c == '\n')
                        return n;
                if (*c == '#') {
                        *ret_comment = c + 1 + (c[1] == ' ');
                        c[strcspn(c, "\n")] = 0;
                        return n;
                }
                if (n == 3)
                        return -EINVAL;
                w = o = c;
                while (*c && *c != ' ' && *c != '\t' && *c != '\n') {
                        if (*c == '\'') {
                                char *end = strchr(c + 1, '\'');
                                if (!end)
                                        return -EINVAL;
                                memmove(o, c + 1, (size_t)(end - c - 1));
                                o += end - c - 1;
                                c = end + 1;
                        } else if (*c == '"') {
                                for (c++; *c && *c != '"'; c++) {
                                        if (*c == '\\' && c[1])
                                                c++;
                                        *o++ = *c;
                                }
                                if (*c != '"')
                                        return -EINVAL;
                                c++;
                        } else if (*c == '\\' && c[1])
                                *o++ = c[1], c += 2;
                        else
                                *o++ = *c++;
                }
                if (*c)
                        c++;
                *o = 0;
                words[n++] = w;
        }
}

static int expand_one(int nr, void *userdata)
{
        struct learn *l = userdata;
        const char *name = syscall_name_of(nr);

        return name ? add_use(l, name, 0, "") : 0;
}

static int parse_arg_rule(const char *rule, const char *name, uint64_t *ret)
{
        size_t n = strlen(name);
        char *end;

        if (!strneq(rule, name, n) || !strneq(rule + n, "[a0==", 5))
                return -EINVAL;
        rule += n + 5;
        if (startswith(rule, "AF_UNIX]"))
                *ret = AF_UNIX;
        else if (startswith(rule, "AF_INET]"))
                *ret = AF_INET;
        else if (startswith(rule, "AF_INET6]"))
                *ret = AF_INET6;
        else if (startswith(rule, "AF_NETLINK]"))
                *ret = AF_NETLINK;
        else if (startswith(rule, "AF_PACKET]"))
                *ret = AF_PACKET;
        else if (startswith(rule, "AF_VSOCK]"))
                *ret = AF_VSOCK;
        else if (startswith(rule, "PER_LINUX]"))
                *ret = 0;
        else {
                errno = 0;
                *ret = strtoull(rule, &end, 0);
                if (errno || end == rule || !streq(end, "]"))
                        return -EINVAL;
        }
        return 0;
}

static int read_merge(struct learn *l, const struct learn_input *in, const struct learn_merge *m)
{
        _cleanup_free_ char *text = strdup(m->text);
        unsigned lineno = 0;
        char *save = NULL;
        bool version = false;

        if (!text)
                return -ENOMEM;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *w[3] = {0}, *comment;
                _cleanup_free_ char *from = NULL;
                int n = split_line(line, w, &comment), r = 0;
                uint64_t v;

                lineno++;
                if (n < 0)
                        return log_error_errno(-EINVAL, "learn: %s:%u: cannot read this line",
                                               m->name, lineno);
                if (n == 0)
                        continue;
                if (asprintf(&from, "%s", comment ?: "") < 0)
                        return -ENOMEM;
                if (!version) {
                        if (n != 2 || !streq(w[0], "airlock-profile") || !streq(w[1], "1"))
                                return log_error_errno(-EINVAL,
                                                       "learn: %s:%u: not a profile (expected "
                                                       "\"airlock-profile 1\")",
                                                       m->name, lineno);
                        version = true;
                } else if (n == 2 && streq(w[0], "include")) {
                        if (!streq(w[1], in->base))
                                log_warning("learn: %s includes %s, this run started from %s: "
                                            "the merged profile includes %s",
                                            m->name, w[1], in->base, in->base);
                } else if (n == 2 && streq(w[0], "net")) {
                        if (streq(w[1], "host")) {
                                l->net_host = true;
                                free(l->net_from);
                                l->net_from = strdup(from);
                        }
                } else if (n == 2 && (streq(w[0], "tcp-bind") || streq(w[0], "tcp-connect"))) {
                        r = parse_uint64(w[1], &v) < 0 || v > 65535
                                    ? -EINVAL
                                    : add_port(l, streq(w[0], "tcp-connect"), (int64_t)v, 0, from);
                } else if (n == 2 && streq(w[0], "seccomp-allow")) {
                        if (w[1][0] == '@')
                                r = syscall_expand(w[1], expand_one, l);
                        else if (parse_arg_rule(w[1], "socket", &v) >= 0)
                                r = add_arg(l, syscall_group_resolve_name("socket"), v, 0, from);
                        else if (parse_arg_rule(w[1], "personality", &v) >= 0)
                                r = add_arg(l, syscall_group_resolve_name("personality"), v, 0,
                                            from);
                        else if (startswith(w[1], "clone[") || streq(w[1], "clone")) {
                                if (!l->clone_from)
                                        l->clone_from = strdup(from);
                        } else if (!strchr(w[1], '[') && syscall_name_exists(w[1]))
                                r = add_use(l, w[1], 0, from);
                        else
                                r = -EINVAL;
                } else if (n == 3 && (streq(w[0], "ro-bind") || streq(w[0], "bind")) &&
                           w[1][0] == '/' && w[2][0] == '/')
                        r = add_path(l, streq(w[0], "bind") ? PATH_WRITE : PATH_READ, w[1], w[2],
                                     NULL, from);
                else if (!(n == 2 && streq(w[0], "reset") && streq(w[1], "seccomp")) &&
                         !(n == 2 && streq(w[0], "seccomp-mode") && streq(w[1], "allowlist")) &&
                         !(n == 2 && streq(w[0], "seccomp-errno")))
                        r = -EINVAL;
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return log_error_errno(-EINVAL,
                                               "learn: %s:%u: '%s' is not a line airlock learn "
                                               "writes (--merge takes a learned profile)",
                                               m->name, lineno, w[0]);
        }
        if (!version)
                return log_error_errno(-EINVAL, "learn: %s is empty", m->name);
        return 0;
}

/* ---- narrowing ---- */

static void narrow_paths(struct learn *l)
{
        /* a folder written in covers everything below it */
        for (size_t i = 0; i < l->n_paths; i++)
                for (size_t j = 0; j < l->n_paths; j++) {
                        struct path_use *a = &l->paths[i], *b = &l->paths[j];

                        if (i == j || a->dropped || b->dropped || a->kind != PATH_WRITE)
                                continue;
                        if (path_in_folder(b->dst, a->dst) &&
                            (b->kind != PATH_WRITE || !streq(a->dst, b->dst)))
                                b->dropped = true;
                }
        /* many files read in one folder: the folder */
        for (size_t i = 0; i < l->n_paths; i++) {
                struct path_use *a = &l->paths[i];
                _cleanup_free_ char *folder = NULL, *src_folder = NULL, *why = NULL;
                size_t n = 0;

                if (a->dropped || a->kind != PATH_READ || a->from)
                        continue;
                folder = parent_of(a->dst);
                src_folder = parent_of(a->src);
                if (!folder || !src_folder)
                        return;
                for (size_t j = 0; j < l->n_paths; j++)
                        if (!l->paths[j].dropped && l->paths[j].kind == PATH_READ &&
                            !l->paths[j].from) {
                                _cleanup_free_ char *f = parent_of(l->paths[j].dst);
                                n += f && streq(f, folder);
                        }
                if (n <= LEARN_FILES_PER_FOLDER)
                        continue;
                if (asprintf(&why, "%zu files read in it, such as %s", n, a->why) < 0)
                        return;
                for (size_t j = 0; j < l->n_paths; j++) {
                        _cleanup_free_ char *f = parent_of(l->paths[j].dst);
                        if (l->paths[j].kind == PATH_READ && f && streq(f, folder))
                                l->paths[j].dropped = true;
                }
                if (add_path(l, PATH_READ, src_folder, folder, why, NULL) < 0)
                        return;
        }
        /* a folder listed is bound only when nothing below it is: the binds of its files make
         * it, and binding it would show every file in it */
        for (size_t i = 0; i < l->n_paths; i++) {
                struct path_use *a = &l->paths[i];

                if (a->dropped || a->kind != PATH_DIR)
                        continue;
                for (size_t j = 0; j < l->n_paths; j++)
                        if (j != i && !l->paths[j].dropped &&
                            (l->paths[j].kind != PATH_DIR || !streq(l->paths[j].dst, a->dst)) &&
                            (path_in_folder(l->paths[j].dst, a->dst) ||
                             path_in_folder(a->dst, l->paths[j].dst)))
                                a->dropped = true;
                if (!a->dropped)
                        a->kind = PATH_READ;
        }
        /* what a read folder holds */
        for (size_t i = 0; i < l->n_paths; i++)
                for (size_t j = 0; j < l->n_paths; j++) {
                        struct path_use *a = &l->paths[i], *b = &l->paths[j];

                        if (i != j && !a->dropped && !b->dropped && a->kind == PATH_READ &&
                            b->kind == PATH_READ && !streq(a->dst, b->dst) &&
                            path_in_folder(b->dst, a->dst))
                                b->dropped = true;
                }
}

/* ---- writing ---- */

/* A comment's text: printable ASCII, other bytes as '?', at most 300 bytes. */
static void put_comment(FILE *out, const char *s)
{
        size_t n = 0;

        for (; *s && n < 300; s++, n++)
                fputc((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?', out);
        if (*s)
                fputs("...", out);
}

/* A value of the profile language: bare when it can be, else in single quotes. Returns false
 * when it cannot be written (a quote or a control character in it). */
static bool value_ok(const char *s)
{
        for (; *s; s++)
                if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\'')
                        return false;
        return true;
}

static void put_value(FILE *out, const char *s)
{
        bool bare = true;

        for (const char *c = s; *c; c++)
                if (!strchr("/._+-@%,:=~", *c) &&
                    !((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                      (*c >= '0' && *c <= '9')))
                        bare = false;
        if (bare)
                fputs(s, out);
        else
                fprintf(out, "'%s'", s);
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_use(const void *a, const void *b)
{
        return strcmp(((const struct use *)a)->name, ((const struct use *)b)->name);
}

static int cmp_path(const void *a, const void *b)
{
        const struct path_use *x = a, *y = b;
        int r = strcmp(x->dst, y->dst);

        return r ? r : (int)x->kind - (int)y->kind;
}

static int cmp_arg(const void *a, const void *b)
{
        const struct arg_use *x = a, *y = b;

        if (x->nr != y->nr)
                return x->nr < y->nr ? -1 : 1;
        return x->value < y->value ? -1 : x->value > y->value;
}

struct group_count {
        const struct learn *l;
        size_t total, used;
        bool *covered; /* per use */
        bool mark;
};

static int count_member(int nr, void *userdata)
{
        struct group_count *g = userdata;
        const char *name = syscall_name_of(nr);

        g->total++;
        for (size_t i = 0; name && i < g->l->n_uses; i++)
                if (streq(g->l->uses[i].name, name)) {
                        g->used++;
                        if (g->mark)
                                g->covered[i] = true;
                }
        return 0;
}

static const char *family_name(uint64_t v)
{
        switch (v) {
        case AF_UNIX:
                return "AF_UNIX";
        case AF_INET:
                return "AF_INET";
        case AF_INET6:
                return "AF_INET6";
        case AF_NETLINK:
                return "AF_NETLINK";
        case AF_PACKET:
                return "AF_PACKET";
        case AF_VSOCK:
                return "AF_VSOCK";
        }
        return NULL;
}

static void put_count(FILE *out, uint64_t count, const char *from)
{
        if (count > 0)
                fprintf(out, "%" PRIu64 " time%s", count, count == 1 ? "" : "s");
        else {
                fputs("from the merged profile", out);
                if (from && *from) {
                        fputs(": ", out);
                        put_comment(out, from);
                }
        }
}

static void write_seccomp(struct learn *l, FILE *out)
{
        _cleanup_free_ bool *covered = calloc(l->n_uses + 1, sizeof(bool));
        int socket_nr = syscall_group_resolve_name("socket");

        if (!covered)
                return;
        if (l->n_uses > 0)
                qsort(l->uses, l->n_uses, sizeof(*l->uses), cmp_use);
        if (l->n_args > 0)
                qsort(l->args, l->n_args, sizeof(*l->args), cmp_arg);
        fputs("\n# System calls: an allow-list of the calls the program made; any other fails "
              "with EPERM.\n"
              "reset seccomp\nseccomp-mode allowlist\nseccomp-errno EPERM\n",
              out);
        for (size_t i = 0; i < ELEMENTSOF(learn_groups); i++) {
                struct group_count g = {.l = l};

                (void)syscall_expand(learn_groups[i], count_member, &g);
                if (g.total == 0 || g.used * 2 <= g.total)
                        continue;
                fprintf(out, "seccomp-allow %s  # %zu of its %zu calls used (more than half):",
                        learn_groups[i], g.used, g.total);
                _cleanup_free_ bool *mine = calloc(l->n_uses + 1, sizeof(bool));
                if (!mine)
                        return;
                g = (struct group_count){.l = l, .covered = mine, .mark = true};
                (void)syscall_expand(learn_groups[i], count_member, &g);
                for (size_t j = 0, shown = 0; j < l->n_uses; j++) {
                        if (!mine[j])
                                continue;
                        covered[j] = true;
                        if (shown++ < 40) {
                                fprintf(out, " %s", l->uses[j].name);
                                if (l->uses[j].count)
                                        fprintf(out, " %" PRIu64, l->uses[j].count);
                        }
                }
                fputc('\n', out);
        }
        for (size_t i = 0; i < l->n_uses; i++) {
                if (covered[i])
                        continue;
                fprintf(out, "seccomp-allow %s  # %s ", l->uses[i].name, l->uses[i].name);
                if (streq(l->uses[i].name, "write") && l->uses[i].count == 0)
                        fputs("always: the launcher hands the tracer over with it, so a "
                              "learning run allows it untraced",
                              out);
                else
                        put_count(out, l->uses[i].count, l->uses[i].from);
                fputc('\n', out);
        }
        if (l->clone_count > 0 || l->clone_from) {
                fprintf(out,
                        "seccomp-allow clone[a0&0x%llx==0]  # clone and clone3 without "
                        "namespace flags, ",
                        CLONE_NS_MASK);
                put_count(out, l->clone_count, l->clone_from);
                fputs(" (clone3 is ENOSYS under airlock: libc falls back to clone)\n", out);
        }
        for (size_t i = 0; i < l->n_args; i++) {
                const struct arg_use *a = &l->args[i];
                bool sock = a->nr == socket_nr;
                const char *fam = sock ? family_name(a->value) : NULL;

                fprintf(out, "seccomp-allow %s[a0==", sock ? "socket" : "personality");
                if (fam)
                        fputs(fam, out);
                else if (!sock && a->value == 0)
                        fputs("PER_LINUX", out);
                else
                        fprintf(out, "0x%" PRIx64, a->value);
                fprintf(out, "]  # %s ", sock ? "socket" : "personality");
                if (fam)
                        fprintf(out, "%s ", fam);
                put_count(out, a->count, a->from);
                fputc('\n', out);
        }
        if (l->n_unnamed > 0)
                fprintf(out, "# %zu call%s without a name in this system's tables: not allowed\n",
                        l->n_unnamed, l->n_unnamed == 1 ? "" : "s");
}

static void write_paths(struct learn *l, FILE *out)
{
        size_t n = 0;

        if (l->n_paths > 0)
                qsort(l->paths, l->n_paths, sizeof(*l->paths), cmp_path);
        fputs("\n# Files: the narrowest parts of the run's binds that the program used (files "
              "read,\n# folders written in); the sandbox's own /usr, /etc, /tmp, /proc, /dev "
              "and home\n# stay as the included profile makes them.\n",
              out);
        for (size_t i = 0; i < l->n_paths; i++) {
                const struct path_use *p = &l->paths[i];

                if (p->dropped)
                        continue;
                if (!value_ok(p->src) || !value_ok(p->dst)) {
                        fputs("# not bound (a quote or control character in the name): ", out);
                        put_comment(out, p->dst);
                        fputc('\n', out);
                        continue;
                }
                fputs(p->kind == PATH_WRITE ? "bind " : "ro-bind ", out);
                put_value(out, p->src);
                fputc(' ', out);
                put_value(out, p->dst);
                fputs("  # ", out);
                if (p->why) {
                        put_comment(out, p->why);
                        fprintf(out, ", %" PRIu64 " time%s)", p->count, p->count == 1 ? "" : "s");
                } else
                        put_count(out, 0, p->from);
                fputc('\n', out);
                n++;
        }
        if (n == 0)
                fputs("# (none: the program used no file of the run's binds)\n", out);
        if (l->n_ro_writes > 0)
                fprintf(out,
                        "# %zu write%s under a --ro-bind left out (refused while learning too)\n",
                        l->n_ro_writes, l->n_ro_writes == 1 ? "" : "s");
        if (l->n_probes > 0)
                fprintf(out, "# %zu open%s of paths that did not exist (probes) left out\n",
                        l->n_probes, l->n_probes == 1 ? "" : "s");
}

/* A connection made under --net host to a loopback port that no traced bind named (an
 * ephemeral bind, port 0, cannot be told from a host's service): the host's own loopback,
 * which the sandbox's network namespace does not have. */
static void learn_net_loopback(struct learn *l)
{
        for (size_t i = 0; i < l->n_host_lo_ports; i++) {
                bool bound = false;

                for (size_t k = 0; k < l->n_ports[0] && !bound; k++)
                        bound = l->ports[0][k].port == l->host_lo_ports[i];
                if (!bound) {
                        l->net_host = l->net_host_loopback = true;
                        return;
                }
        }
}

static void write_net(struct learn *l, FILE *out)
{
        _cleanup_free_ char **sorted = NULL;

        learn_net_loopback(l);
        fputs("\n# Network\n", out);
        fprintf(out, "net %s  # ", l->net_host ? "host" : "none");
        if (l->net_host_bind)
                fputs("a TCP port bound on the host's network, for clients outside", out);
        else if (l->net_host_loopback)
                fputs("a connection to a port of the host's loopback that the program did not "
                      "bind (a service outside the sandbox)",
                      out);
        else if (l->net_host)
                fputs("a connection to an address other than loopback", out);
        else if (l->n_net > 0)
                fputs("only loopback: the sandbox's own network namespace has it", out);
        else
                fputs("no internet socket connected or bound", out);
        if (l->net_from) {
                fputs("; from the merged profile: ", out);
                put_comment(out, l->net_from);
        }
        fputc('\n', out);
        /* Landlock (ABI 4 and later) refuses TCP bind and connect to the ports not named */
        for (size_t k = 0; k < 2; k++)
                for (size_t i = 0; i < l->n_ports[k]; i++) {
                        const struct port_use *u = &l->ports[k][i];

                        fprintf(out, "%s %u  # ", k ? "tcp-connect" : "tcp-bind", u->port);
                        if (u->count > 0)
                                fprintf(out, "%s port %u, %" PRIu64 " time%s",
                                        k ? "connect to" : "bind to", u->port, u->count,
                                        u->count == 1 ? "" : "s");
                        if (u->from) {
                                fputs(u->count > 0 ? "; from the merged profile: "
                                                   : "from the merged profile: ",
                                      out);
                                put_comment(out, u->from);
                        }
                        fputc('\n', out);
                }
        sorted = calloc(l->n_net + 1, sizeof(char *));
        if (!sorted)
                return;
        for (size_t i = 0; i < l->n_net; i++) {
                if (asprintf(&sorted[i], "%s (%" PRIu64 " time%s)", l->net_notes[i],
                             l->net_counts[i], l->net_counts[i] == 1 ? "" : "s") < 0)
                        sorted[i] = NULL;
        }
        if (l->n_net > 0)
                qsort(sorted, l->n_net, sizeof(char *), cmp_str);
        for (size_t i = 0; i < l->n_net; i++)
                if (sorted[i]) {
                        fputs("#   ", out);
                        put_comment(out, sorted[i]);
                        fputc('\n', out);
                        free(sorted[i]);
                }
}

int learn_profile_write(const struct learn_input *in, struct json_object *report,
                        const struct learn_merge *merge, FILE *out)
{
        struct learn l = {0};
        int r;

        r = read_would_deny(&l, report);
        if (r >= 0)
                r = read_events(&l, in, report);
        if (r >= 0 && merge)
                r = read_merge(&l, in, merge);
        if (r < 0) {
                learn_done(&l);
                return r == -ENOMEM ? log_error_errno(r, "learn: %m") : r;
        }
        /* the launcher hands the tracer over with write(), which is therefore never traced */
        r = add_use(&l, "write", 0, NULL);
        if (r < 0) {
                learn_done(&l);
                return log_error_errno(r, "learn: %m");
        }
        narrow_paths(&l);

        fputs("airlock-profile 1\n# Learned by airlock learn from:", out);
        for (size_t i = 0; in->argv && in->argv[i] && i < 16; i++) {
                fputc(' ', out);
                put_comment(out, in->argv[i]);
        }
        if (merge) {
                fputs("\n# merged with ", out);
                put_comment(out, merge->name);
        }
        fputs("\n# It allows what the traced runs did and nothing else: review it before use.\n",
              out);
        fputs("include ", out);
        put_value(out, in->base);
        fputs("  # the profile the run started from\n", out);
        write_net(&l, out);
        write_paths(&l, out);
        write_seccomp(&l, out);
        learn_done(&l);
        fflush(out);
        return ferror(out) ? log_error_errno(-EIO, "learn: cannot write the profile") : 0;
}
