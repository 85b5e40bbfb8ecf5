/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <json.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/strv.h"
#include "policy/profile-directives.h"
#include "report.h"

static const char *const landlock_fs_names[] = {
        "execute",   "write_file", "read_file", "read_dir",  "remove_dir", "remove_file",
        "make_char", "make_dir",   "make_reg",  "make_sock", "make_fifo",  "make_block",
        "make_sym",  "refer",      "truncate",  "ioctl_dev",
};
static const char *const landlock_net_names[] = {"bind_tcp", "connect_tcp"};
static const char *const landlock_scope_names[] = {"abstract_unix_socket", "signal"};

static json_object *rights_array(uint64_t bits, const char *const *names, size_t n)
{
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < 64; i++) {
                char other[16];

                if (!(bits & (UINT64_C(1) << i)))
                        continue;
                if (i < n)
                        json_object_array_add(a, json_object_new_string(names[i]));
                else {
                        snprintf(other, sizeof(other), "bit%zu", i);
                        json_object_array_add(a, json_object_new_string(other));
                }
        }
        return a;
}

#define RIGHTS(bits, names) rights_array((bits), (names), ELEMENTSOF(names))

static void add(json_object *o, const char *key, json_object *v)
{
        json_object_object_add(o, key, v);
}

static json_object *namespaces_json(unsigned ns)
{
        static const char *const names[] = {"user", "mount", "pid", "ipc", "uts", "net", "cgroup"};
        json_object *a = json_object_new_array();

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (ns & (1u << i))
                        json_object_array_add(a, json_object_new_string(names[i]));
        return a;
}

static json_object *seccomp_json(const struct policy *p, const struct launcher_result *r)
{
        json_object *o = json_object_new_object();
        const struct seccomp_summary *s = &r->seccomp;

        add(o, "enforced", json_object_new_boolean(r->seccomp_loaded));
        add(o, "mode",
            json_object_new_string(s->allowlist || p->seccomp_mode == SECCOMP_MODE_ALLOWLIST
                                           ? "allowlist" /* an imported JSON profile decides */
                                           : "denylist"));
        add(o, "errno", json_object_new_int64(s->n_errno));
        add(o, "kill", json_object_new_int64(s->n_kill));
        add(o, "log", json_object_new_int64(s->n_log));
        add(o, "notify", json_object_new_int64(s->n_notify));
        add(o, "allow_conditional", json_object_new_int64(s->n_allow_cond));
        add(o, "cached", json_object_new_boolean(s->cached));
        return o;
}

static json_object *landlock_json(const struct launcher_result *r)
{
        json_object *o = json_object_new_object();
        const struct landlock_status *l = &r->landlock;

        add(o, "abi", json_object_new_int(r->landlock_reported ? l->abi : 0));
        add(o, "enforced", json_object_new_boolean(r->landlock_reported && l->enforced));
        add(o, "handled_fs", RIGHTS(l->handled_fs, landlock_fs_names));
        add(o, "unenforced_fs", RIGHTS(l->missing_fs, landlock_fs_names));
        add(o, "handled_net", RIGHTS(l->handled_net, landlock_net_names));
        add(o, "unenforced_net", RIGHTS(l->missing_net, landlock_net_names));
        add(o, "scoped", RIGHTS(l->scoped, landlock_scope_names));
        add(o, "unenforced_scoped", RIGHTS(l->missing_scoped, landlock_scope_names));
        return o;
}

static json_object *enforced_json(const struct policy *p, const struct launcher_result *r)
{
        json_object *o = json_object_new_object();
        json_object *ids = json_object_new_object();

        add(o, "namespaces", namespaces_json(r->namespaces));
        add(o, "network", json_object_new_string(p->net == NET_HOST ? "host" : "none"));
        add(ids, "uid_inside", json_object_new_int64(r->uid_inside));
        add(ids, "uid_outside", json_object_new_int64(r->uid_outside));
        add(ids, "gid_inside", json_object_new_int64(r->gid_inside));
        add(ids, "gid_outside", json_object_new_int64(r->gid_outside));
        add(o, "identity", ids);
        add(o, "capabilities", json_object_new_array());
        add(o, "no_new_privs", json_object_new_boolean(r->no_new_privs));
        add(o, "new_session", json_object_new_boolean(true));
        add(o, "pty", json_object_new_boolean(r->pty));
        add(o, "timeout_seconds",
            p->timeout_usec ? json_object_new_double((double)p->timeout_usec / 1e6) : NULL);
        add(o, "seccomp", seccomp_json(p, r));
        add(o, "landlock", landlock_json(r));
        return o;
}

static json_object *exit_json(const struct launcher_result *r)
{
        json_object *o = json_object_new_object();
        int st = r->wait_status;

        add(o, "status", json_object_new_int(r->exit_status));
        add(o, "timed_out", json_object_new_boolean(r->timed_out));
        add(o, "code", st >= 0 && WIFEXITED(st) ? json_object_new_int(WEXITSTATUS(st)) : NULL);
        add(o, "signal", st >= 0 && WIFSIGNALED(st) ? json_object_new_int(WTERMSIG(st)) : NULL);
        if (r->setup_failed) {
                json_object *e = json_object_new_object();

                add(e, "stage", json_object_new_string(r->error_stage));
                add(e, "message", json_object_new_string(r->error));
                add(o, "error", e);
        } else
                add(o, "error", NULL);
        return o;
}

static json_object *report_json(const struct policy *p, const struct launcher_result *r)
{
        json_object *o = json_object_new_object();
        json_object *cmd = json_object_new_array();

        for (char **a = p->argv; a && *a; a++)
                json_object_array_add(cmd, json_object_new_string(*a));
        add(o, "schema_version", json_object_new_int(RUN_REPORT_SCHEMA_VERSION));
        add(o, "tool", json_object_new_string("airlock run"));
        add(o, "command", cmd);
        add(o, "profile", json_object_new_string(p->profile_name ?: "default"));
        add(o, "enforced", enforced_json(p, r));
        add(o, "exit", exit_json(r));
        add(o, "resources", resources_to_json(&r->resources));
        return o;
}

int report_open(const char *path, const struct policy *p)
{
        _cleanup_strv_free_ char **untrusted = NULL;
        _cleanup_free_ char *abs = NULL, *link = NULL;
        _cleanup_close_ int dirfd = -1, fd = -1;
        const char *name;
        struct stat st;

        if (streq(path, "-")) {
                fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
                if (fd < 0)
                        return log_error_errno(-errno, "cannot write the report to stdout: %m");
                return TAKE_FD(fd);
        }
        if (profile_untrusted_folders(p, &untrusted) < 0)
                return log_error_errno(-ENOMEM, "%m");
        /* A report in a folder the sandbox writes (--bind ./out /out --report out/r.json):
         * a link planted there earlier must not send the report elsewhere. */
        dirfd = chase_folder_of(path, untrusted, &abs, &name, &link);
        if (dirfd == -ELOOP && link)
                return log_error_errno(dirfd,
                                       "cannot write the report %s: %s is a symbolic link in a "
                                       "folder that sandboxes can write",
                                       path, link);
        if (dirfd < 0)
                return log_error_errno(dirfd, "cannot write the report %s: %m", path);
        fd = openat(dirfd, name,
                    O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK, 0644);
        if (fd < 0)
                return log_error_errno(-errno, "cannot write the report %s: %m", path);
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return log_error_errno(-EINVAL, "cannot write the report %s: not a regular file",
                                       path);
        return TAKE_FD(fd);
}

int report_write_run_extended(int fd, const char *path, const struct policy *p,
                              const struct launcher_result *res,
                              int (*extend)(void *userdata, struct json_object *report),
                              void *userdata)
{
        json_object *o = report_json(p, res);
        const char *text;
        int r;

        if (extend && (r = extend(userdata, o)) < 0) {
                json_object_put(o);
                return log_error_errno(r, "cannot build the report %s: %m", path);
        }
        text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE);

        /* A regular file is replaced; a pipe or a terminal is only written to. */
        r = 0;
        if (!streq(path, "-") && ftruncate(fd, 0) < 0 && errno != EINVAL)
                r = -errno;
        if (r >= 0)
                r = loop_write(fd, text, strlen(text));
        if (r >= 0)
                r = loop_write(fd, "\n", 1);
        json_object_put(o);
        if (r < 0)
                return log_error_errno(r, "cannot write the report %s: %m", path);
        return 0;
}
