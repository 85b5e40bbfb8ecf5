/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* "airlock profile export": the policy as an OCI seccomp JSON, a Security Profiles Operator
 * SeccompProfile, a systemd drop-in or a minijail policy.
 *
 * The seccomp part is a model built from the compiler's resolution of the rules: for every
 * syscall a base action and the conditional rules that override it, in order. Syscalls whose
 * answer is constant are grouped by action; a syscall with conditions gets its base entry
 * first and one entry per override after it, which is the order airlock's importer (later
 * rule wins) needs. The common "allowed unless a namespace flag is set" shape is folded into
 * one positive condition ((arg & flags) == 0), the form Docker's own profile uses, so that
 * runtimes built on libseccomp (where an unconditional rule hides conditional ones) agree. */
#include <ctype.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <linux/seccomp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "basic/log.h"
#include "basic/macro.h"
#include "basic/strv.h"
#include "export.h"
#include "policy/profile-directives.h"
#include "policy/syscall-groups.h"
#include "seccomp.h"

#if defined(__x86_64__)
#define OCI_NATIVE_ARCH "SCMP_ARCH_X86_64"
#elif defined(__aarch64__)
#define OCI_NATIVE_ARCH "SCMP_ARCH_AARCH64"
#endif

/* One entry of the exported list: a set of names with one action and one condition set. */
struct entry {
        enum seccomp_action_kind action;
        int errno_value;
        char **names;
        struct seccomp_arg_cond conds[6];
        unsigned n_conds;
};

struct model {
        bool allowlist;
        int default_errno; /* the exported defaultErrnoRet */
        struct entry *simple;
        size_t n_simple;
        struct entry *cond;
        size_t n_cond;
        char **notes;   /* what the formats cannot express, for the comment */
        char **ordered; /* syscalls whose entries depend on their order */
};

static void model_done(struct model *m)
{
        for (size_t i = 0; i < m->n_simple; i++)
                strv_free(m->simple[i].names);
        for (size_t i = 0; i < m->n_cond; i++)
                strv_free(m->cond[i].names);
        free(m->simple);
        free(m->cond);
        strv_free(m->notes);
        strv_free(m->ordered);
}

_printf_(2, 3) static int note(char ***notes, const char *fmt, ...)
{
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        if (strv_contains(*notes, s)) {
                free(s);
                return 0;
        }
        return strv_push(notes, s);
}

static bool is_default(const struct model *m, enum seccomp_action_kind a, int e)
{
        return a == SECCOMP_ACT_ERRNO_KIND && e == m->default_errno;
}

static int entry_append(struct entry **v, size_t *n, const struct entry *e)
{
        struct entry *nv = realloc(*v, (*n + 1) * sizeof(**v));

        if (!nv)
                return -ENOMEM;
        nv[(*n)++] = *e;
        *v = nv;
        return 0;
}

static int add_simple(struct model *m, const char *name, enum seccomp_action_kind a, int e)
{
        struct entry n = {.action = a, .errno_value = a == SECCOMP_ACT_ERRNO_KIND ? e : 0};

        if (is_default(m, a, e))
                return 0;
        for (size_t i = 0; i < m->n_simple; i++)
                if (m->simple[i].action == n.action && m->simple[i].errno_value == n.errno_value)
                        return strv_extend(&m->simple[i].names, name);
        if (strv_extend(&n.names, name) < 0)
                return -ENOMEM;
        if (entry_append(&m->simple, &m->n_simple, &n) < 0) {
                strv_free(n.names);
                return -ENOMEM;
        }
        return 0;
}

static int add_cond(struct model *m, const char *name, enum seccomp_action_kind a, int e,
                    const struct seccomp_arg_cond *conds, unsigned n_conds)
{
        struct entry n = {.action = a,
                          .errno_value = a == SECCOMP_ACT_ERRNO_KIND ? e : 0,
                          .n_conds = n_conds};

        memcpy(n.conds, conds, n_conds * sizeof(*conds));
        if (strv_extend(&n.names, name) < 0)
                return -ENOMEM;
        if (entry_append(&m->cond, &m->n_cond, &n) < 0) {
                strv_free(n.names);
                return -ENOMEM;
        }
        return 0;
}

/* Allowed unless one of several flag bits of one argument is set, each refused with the
 * default errno: one allow rule with (arg & all flags) == 0 says the same. */
static bool fold_flags(const struct model *m, const struct seccomp_rule *const *rules, size_t n,
                       enum seccomp_action_kind base, struct seccomp_arg_cond *ret)
{
        struct seccomp_arg_cond c = {.op = SECCOMP_CMP_MASKED_EQ_KIND};

        if (base != SECCOMP_ACT_ALLOW_KIND)
                return false;
        for (size_t i = 1; i < n; i++) {
                const struct seccomp_rule *r = rules[i];
                if (!is_default(m, r->action, r->errno_value) || r->n_conds != 1 ||
                    r->conds[0].op != SECCOMP_CMP_MASKED_EQ_KIND ||
                    r->conds[0].mask != r->conds[0].value || r->conds[0].value == 0 ||
                    (i > 1 && r->conds[0].index != c.index))
                        return false;
                c.index = r->conds[0].index;
                c.mask |= r->conds[0].mask;
        }
        *ret = c;
        return true;
}

struct resolve_ctx {
        struct model *m;
        uint32_t def;
};

static int model_add(int nr, const struct seccomp_rule *const *rules, size_t n, void *userdata)
{
        struct resolve_ctx *ctx = userdata;
        struct model *m = ctx->m;
        const char *name = syscall_name_of(nr);
        enum seccomp_action_kind base;
        struct seccomp_arg_cond folded;
        int base_errno = 0, r;
        bool differs = false;

        if (!name)
                return 0;
        if (rules[0]) {
                base = rules[0]->action;
                base_errno = rules[0]->errno_value;
        } else if (ctx->def == SECCOMP_RET_ALLOW)
                base = SECCOMP_ACT_ALLOW_KIND;
        else {
                base = SECCOMP_ACT_ERRNO_KIND;
                base_errno = (int)(ctx->def & SECCOMP_RET_DATA);
        }
        if (n > 1 && fold_flags(m, rules, n, base, &folded))
                return add_cond(m, name, SECCOMP_ACT_ALLOW_KIND, 0, &folded, 1);
        r = add_simple(m, name, base, base_errno);
        if (r < 0)
                return r;
        for (size_t i = 1; i < n; i++) {
                const struct seccomp_rule *c = rules[i];
                /* saying the base again before any other answer changes nothing */
                if (!differs && c->action == base &&
                    (base != SECCOMP_ACT_ERRNO_KIND || c->errno_value == base_errno))
                        continue;
                differs = true;
                for (unsigned a = 0; a < c->n_conds; a++)
                        for (unsigned b = 0; b < a; b++)
                                if (c->conds[a].index == c->conds[b].index)
                                        return log_error_errno(
                                                -EOPNOTSUPP,
                                                "cannot export %s: a rule compares argument %u "
                                                "twice, which OCI profiles read as OR",
                                                name, c->conds[a].index);
                r = add_cond(m, name, c->action, c->errno_value, c->conds, c->n_conds);
                if (r < 0)
                        return r;
        }
        /* a runtime on libseccomp lets an unconditional rule hide the conditional ones */
        if (differs && !is_default(m, base, base_errno) && !strv_contains(m->ordered, name))
                return strv_extend(&m->ordered, name);
        return 0;
}

static int model_build(const struct policy *p, struct model *m)
{
        struct resolve_ctx ctx = {.m = m};
        int r;

        *m = (struct model){0};
        if (p->seccomp_disabled)
                return log_error_errno(-EOPNOTSUPP,
                                       "cannot export: the profile disables seccomp, there is no "
                                       "filter to export");
        m->allowlist = p->seccomp_json || p->seccomp_mode == SECCOMP_MODE_ALLOWLIST;
        /* every format here denies by default: a deny-list is exported with its allowed calls
         * listed; the default errno is the profile's (EPERM for a deny-list) */
        m->default_errno = p->seccomp_mode == SECCOMP_MODE_ALLOWLIST && p->seccomp_default_errno > 0
                                   ? p->seccomp_default_errno
                                   : EPERM;
        if (p->seccomp_json) {
                /* the imported file sets the mode and default; read them from the resolution */
                r = seccomp_policy_resolve(p, &ctx.def, NULL, NULL);
                if (r < 0)
                        return log_error_errno(r, "cannot read %s: %m", p->seccomp_json);
                m->default_errno =
                        ctx.def == SECCOMP_RET_ALLOW ? EPERM : (int)(ctx.def & SECCOMP_RET_DATA);
        }
        r = seccomp_policy_resolve(p, &ctx.def, model_add, &ctx);
        if (r == -EOPNOTSUPP)
                return r;
        if (r < 0)
                return log_error_errno(r, "cannot resolve the seccomp rules: %m");
        return 0;
}

static const char *oci_action(enum seccomp_action_kind a)
{
        switch (a) {
        case SECCOMP_ACT_ALLOW_KIND:
                return "SCMP_ACT_ALLOW";
        case SECCOMP_ACT_ERRNO_KIND:
                return "SCMP_ACT_ERRNO";
        case SECCOMP_ACT_KILL_KIND:
                return "SCMP_ACT_KILL_PROCESS";
        case SECCOMP_ACT_LOG_KIND:
                return "SCMP_ACT_LOG";
        case SECCOMP_ACT_NOTIFY_KIND:
                return "SCMP_ACT_NOTIFY";
        case SECCOMP_ACT_TRAP_KIND:
                return "SCMP_ACT_TRAP";
        }
        return "SCMP_ACT_KILL_PROCESS";
}

static const char *oci_op(enum seccomp_cmp op)
{
        static const char *const names[] = {
                [SECCOMP_CMP_EQ_KIND] = "SCMP_CMP_EQ",
                [SECCOMP_CMP_NE_KIND] = "SCMP_CMP_NE",
                [SECCOMP_CMP_LT_KIND] = "SCMP_CMP_LT",
                [SECCOMP_CMP_LE_KIND] = "SCMP_CMP_LE",
                [SECCOMP_CMP_GT_KIND] = "SCMP_CMP_GT",
                [SECCOMP_CMP_GE_KIND] = "SCMP_CMP_GE",
                [SECCOMP_CMP_MASKED_EQ_KIND] = "SCMP_CMP_MASKED_EQ",
        };
        return op < ELEMENTSOF(names) && names[op] ? names[op] : "SCMP_CMP_EQ";
}

/* libseccomp's order for a masked compare: value is the mask, valueTwo the datum */
static void cond_values(const struct seccomp_arg_cond *c, uint64_t *ret_value, uint64_t *ret_two)
{
        *ret_value = c->op == SECCOMP_CMP_MASKED_EQ_KIND ? c->mask : c->value;
        *ret_two = c->op == SECCOMP_CMP_MASKED_EQ_KIND ? c->value : 0;
}

/* The calls whose entries depend on their order, for the formats that keep the order. */
static int note_ordered(struct model *m)
{
        _cleanup_free_ char *list = NULL;
        size_t len = 0;

        if (!m->ordered)
                return 0;
        for (char **s = m->ordered; *s; s++)
                len += strlen(*s) + 2;
        list = calloc(len + 1, 1);
        if (!list)
                return -ENOMEM;
        for (char **s = m->ordered; *s; s++) {
                if (s != m->ordered)
                        strcat(list, ", ");
                strcat(list, *s);
        }
        return note(&m->notes,
                    "%s: allowed or refused with exceptions by argument; the exceptions follow "
                    "the base rule (airlock and runc apply the later rule, a libseccomp runtime "
                    "may let the unconditional one win)",
                    list);
}

/* The notes every seccomp-only format shares. */
static int seccomp_only_notes(const struct policy *p, struct model *m)
{
        int r;

        r = note_ordered(m);
        if (r >= 0)
                r = note(&m->notes,
                         "only the seccomp filter is exported: mounts, network, Landlock, "
                         "capabilities and limits of the profile belong to the runtime's "
                         "own configuration");
        if (r >= 0)
                r = note(&m->notes,
                         "airlock kills calls of foreign ABIs (i386, x32): only the native "
                         "architecture is listed, runtimes apply their bad-architecture action");
        if (r >= 0)
                r = note(&m->notes, "syscall numbers no table names fail with ENOSYS under "
                                    "airlock, with the default errno here");
        if (r >= 0 && !p->seccomp_json && p->seccomp_mode == SECCOMP_MODE_DENYLIST)
                r = note(&m->notes,
                         "the profile is a deny-list: its allowed calls are listed, so calls "
                         "newer than this system's tables are refused here and allowed by airlock");
        return r;
}

static struct json_object *json_entry(const struct entry *e)
{
        struct json_object *o = json_object_new_object(), *names = json_object_new_array();

        for (char **n = e->names; n && *n; n++)
                json_object_array_add(names, json_object_new_string(*n));
        json_object_object_add(o, "names", names);
        json_object_object_add(o, "action", json_object_new_string(oci_action(e->action)));
        if (e->action == SECCOMP_ACT_ERRNO_KIND)
                json_object_object_add(o, "errnoRet", json_object_new_int(e->errno_value));
        if (e->n_conds > 0) {
                struct json_object *args = json_object_new_array();
                for (unsigned i = 0; i < e->n_conds; i++) {
                        struct json_object *a = json_object_new_object();
                        uint64_t v, v2;
                        cond_values(&e->conds[i], &v, &v2);
                        json_object_object_add(a, "index", json_object_new_int(e->conds[i].index));
                        json_object_object_add(a, "value", json_object_new_uint64(v));
                        json_object_object_add(a, "valueTwo", json_object_new_uint64(v2));
                        json_object_object_add(a, "op",
                                               json_object_new_string(oci_op(e->conds[i].op)));
                        json_object_array_add(args, a);
                }
                json_object_object_add(o, "args", args);
        }
        return o;
}

static int export_oci(FILE *f, const struct policy *p, const char *name, struct model *m)
{
        struct json_object *root = json_object_new_object(), *comment = json_object_new_array();
        struct json_object *arches = json_object_new_array(), *calls = json_object_new_array();
        _cleanup_free_ char *head = NULL;

        if (!root || !comment || !arches || !calls)
                return -ENOMEM;
        if (asprintf(&head, "airlock profile %s, exported by airlock profile export", name) < 0)
                return -ENOMEM;
        json_object_array_add(comment, json_object_new_string(head));
        for (char **n = m->notes; n && *n; n++)
                json_object_array_add(comment, json_object_new_string(*n));
        /* JSON has no comments: runtimes ignore a member they do not know */
        json_object_object_add(root, "comment", comment);
        json_object_object_add(root, "defaultAction", json_object_new_string("SCMP_ACT_ERRNO"));
        json_object_object_add(root, "defaultErrnoRet", json_object_new_int(m->default_errno));
        json_object_array_add(arches, json_object_new_string(OCI_NATIVE_ARCH));
        json_object_object_add(root, "architectures", arches);
        for (size_t i = 0; i < m->n_simple; i++)
                json_object_array_add(calls, json_entry(&m->simple[i]));
        for (size_t i = 0; i < m->n_cond; i++)
                json_object_array_add(calls, json_entry(&m->cond[i]));
        json_object_object_add(root, "syscalls", calls);
        fputs(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
                                                           JSON_C_TO_STRING_SPACED |
                                                           JSON_C_TO_STRING_NOSLASHESCAPE),
              f);
        fputc('\n', f);
        json_object_put(root);
        (void)p;
        return 0;
}

static void yaml_comment_lines(FILE *f, const char *prefix, char **notes)
{
        for (char **n = notes; n && *n; n++)
                fprintf(f, "%s- %s\n", prefix, *n);
}

/* A Kubernetes object name: lower case letters, digits, '-' and '.'. */
static void k8s_name(FILE *f, const char *name)
{
        const char *base = strrchr(name, '/');

        base = base ? base + 1 : name;
        for (const char *c = base; *c && !streq(c, ".profile"); c++)
                fputc(isalnum((unsigned char)*c) ? tolower((unsigned char)*c)
                      : *c == '.'                ? '.'
                                                 : '-',
                      f);
}

static void yaml_entry(FILE *f, const struct entry *e)
{
        fprintf(f, "  - action: %s\n", oci_action(e->action));
        if (e->action == SECCOMP_ACT_ERRNO_KIND)
                fprintf(f, "    errnoRet: %d\n", e->errno_value);
        fputs("    names:\n", f);
        for (char **n = e->names; n && *n; n++)
                fprintf(f, "    - %s\n", *n);
        if (e->n_conds > 0) {
                fputs("    args:\n", f);
                for (unsigned i = 0; i < e->n_conds; i++) {
                        uint64_t v, v2;
                        cond_values(&e->conds[i], &v, &v2);
                        fprintf(f,
                                "    - index: %u\n      value: %llu\n      valueTwo: %llu\n"
                                "      op: %s\n",
                                e->conds[i].index, (unsigned long long)v, (unsigned long long)v2,
                                oci_op(e->conds[i].op));
                }
        }
}

static int export_k8s(FILE *f, const char *name, struct model *m)
{
        fprintf(f, "# airlock profile %s, exported by airlock profile export\n", name);
        fputs("# Not expressed here:\n", f);
        yaml_comment_lines(f, "# ", m->notes);
        fputs("apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
              "kind: SeccompProfile\n"
              "metadata:\n"
              "  name: airlock-",
              f);
        k8s_name(f, name);
        fprintf(f,
                "\nspec:\n"
                "  defaultAction: SCMP_ACT_ERRNO\n"
                "  architectures:\n"
                "  - %s\n"
                "  syscalls:\n",
                OCI_NATIVE_ARCH);
        if (m->default_errno != EPERM)
                fprintf(f, "  # the default errno is %d; SeccompProfile has no defaultErrnoRet\n",
                        m->default_errno);
        for (size_t i = 0; i < m->n_simple; i++)
                yaml_entry(f, &m->simple[i]);
        for (size_t i = 0; i < m->n_cond; i++)
                yaml_entry(f, &m->cond[i]);
        return 0;
}

/* The names the allow-list holds for a format without argument conditions: every call some
 * rule allows (or only logs), under conditions or not. With conditions that is looser than
 * airlock; the calls are noted. */
static int allowed_names(struct model *m, bool with_conditional, char ***ret)
{
        _cleanup_strv_free_ char **names = NULL;
        int r;

        for (size_t i = 0; i < m->n_simple; i++)
                if (m->simple[i].action == SECCOMP_ACT_ALLOW_KIND ||
                    m->simple[i].action == SECCOMP_ACT_LOG_KIND)
                        for (char **n = m->simple[i].names; *n; n++)
                                if (strv_extend(&names, *n) < 0)
                                        return -ENOMEM;
        for (size_t i = 0; i < m->n_cond && with_conditional; i++) {
                const char *n = m->cond[i].names[0];
                if (m->cond[i].action != SECCOMP_ACT_ALLOW_KIND || strv_contains(names, n))
                        continue;
                if (strv_extend(&names, n) < 0)
                        return -ENOMEM;
                r = note(&m->notes,
                         "%s: allowed only under argument conditions by airlock, "
                         "allowed whatever its arguments here",
                         n);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(names);
        return 0;
}

/* Calls airlock refuses with an errno other than the default, or kills: noted. */
static int note_other_answers(struct model *m, const char *what)
{
        for (size_t i = 0; i < m->n_simple; i++) {
                const struct entry *e = &m->simple[i];
                const char *en = errno_name(e->errno_value);
                int r = 0;

                if (e->action == SECCOMP_ACT_KILL_KIND || e->action == SECCOMP_ACT_TRAP_KIND)
                        r = note(&m->notes, "%s: airlock kills the process; %s", e->names[0], what);
                else if (e->action == SECCOMP_ACT_ERRNO_KIND && !streq_ptr(e->names[0], "clone3"))
                        r = note(&m->notes, "%s%s: airlock answers %s; %s", e->names[0],
                                 e->names[1] ? " and others" : "", en ? en : "an errno", what);
                else if (e->action == SECCOMP_ACT_LOG_KIND)
                        r = note(&m->notes, "%s: airlock allows and logs; allowed here",
                                 e->names[0]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static void write_list(FILE *f, const char *key, char **names)
{
        size_t col = 0;

        if (!names)
                return;
        for (char **n = names; *n; n++) {
                if (col == 0)
                        col = (size_t)fprintf(f, "%s=", key);
                col += (size_t)fprintf(f, "%s%s", col > strlen(key) + 1 ? " " : "", *n);
                if (col > 90 || !n[1]) {
                        fputc('\n', f);
                        col = 0;
                }
        }
}

static bool has_space(const char *s)
{
        return strpbrk(s, " \t\n\"'\\") != NULL;
}

static bool under_home(const char *path)
{
        static const char *const homes[] = {"/home", "/root", "/run/user"};

        for (size_t i = 0; i < ELEMENTSOF(homes); i++) {
                size_t l = strlen(homes[i]);
                if (strneq(path, homes[i], l) && (path[l] == '/' || path[l] == '\0'))
                        return true;
        }
        return false;
}

static int systemd_mounts(FILE *f, const struct policy *p, struct model *m, bool *ret_devices)
{
        int r = 0;

        *ret_devices = false;
        for (size_t i = 0; i < p->n_mounts && r >= 0; i++) {
                const struct mount_entry *e = &p->mounts[i];
                const char *opt = e->optional ? "-" : "";

                if ((e->src && has_space(e->src)) || has_space(e->dst)) {
                        r = note(&m->notes, "%s: a path with spaces or quotes is left out", e->dst);
                        continue;
                }
                switch (e->kind) {
                case MOUNT_RO_BIND:
                        if (!streq(e->src, e->dst) || under_home(e->dst))
                                fprintf(f, "BindReadOnlyPaths=%s%s:%s\n", opt, e->src, e->dst);
                        break;
                case MOUNT_BIND:
                        fprintf(f, "BindPaths=%s%s:%s\n", opt, e->src, e->dst);
                        break;
                case MOUNT_DEV_BIND:
                        *ret_devices = true;
                        fprintf(f, "BindPaths=%s%s:%s\n", opt, e->src, e->dst);
                        break;
                case MOUNT_TMPFS:
                        if (!streq(e->dst, "/tmp"))
                                fprintf(f, "TemporaryFileSystem=%s\n", e->dst);
                        break;
                case MOUNT_DIR:
                        r = note(&m->notes,
                                 "%s: an empty folder of the sandbox's root is left "
                                 "out",
                                 e->dst);
                        break;
                case MOUNT_SYMLINK:
                        r = note(&m->notes, "%s: a link of the sandbox's root is left out", e->dst);
                        break;
                case MOUNT_MASK:
                        fprintf(f, "InaccessiblePaths=-%s\n", e->dst);
                        break;
                case MOUNT_OVERLAY:
                        r = note(&m->notes, "%s: a copy-on-write overlay is exported as read-only",
                                 e->dst);
                        fprintf(f, "BindReadOnlyPaths=%s%s:%s\n", opt, e->src, e->dst);
                        break;
                }
        }
        return r;
}

static const struct {
        int resource;
        const char *key;
} systemd_limits[] = {
        {RLIMIT_CPU, "LimitCPU"},           {RLIMIT_FSIZE, "LimitFSIZE"},
        {RLIMIT_DATA, "LimitDATA"},         {RLIMIT_STACK, "LimitSTACK"},
        {RLIMIT_CORE, "LimitCORE"},         {RLIMIT_RSS, "LimitRSS"},
        {RLIMIT_NOFILE, "LimitNOFILE"},     {RLIMIT_AS, "LimitAS"},
        {RLIMIT_NPROC, "LimitNPROC"},       {RLIMIT_MEMLOCK, "LimitMEMLOCK"},
        {RLIMIT_LOCKS, "LimitLOCKS"},       {RLIMIT_SIGPENDING, "LimitSIGPENDING"},
        {RLIMIT_MSGQUEUE, "LimitMSGQUEUE"}, {RLIMIT_NICE, "LimitNICE"},
        {RLIMIT_RTPRIO, "LimitRTPRIO"},     {RLIMIT_RTTIME, "LimitRTTIME"},
};

static void systemd_resources(FILE *f, const struct policy *p)
{
        bool nofile = false, core = false;

        if (p->memory_max > 0)
                fprintf(f, "MemoryMax=%llu\n", (unsigned long long)p->memory_max);
        if (p->pids_max > 0)
                fprintf(f, "TasksMax=%llu\n", (unsigned long long)p->pids_max);
        if (p->cpus > 0)
                fprintf(f, "CPUQuota=%.0f%%\n", p->cpus * 100);
        if (p->timeout_usec > 0)
                fprintf(f, "RuntimeMaxSec=%llu\n",
                        (unsigned long long)((p->timeout_usec + 999999) / 1000000));
        for (size_t i = 0; i < POLICY_RLIMIT_MAX; i++) {
                const struct rlimit_setting *s = &p->rlimits[i];
                if (!s->set)
                        continue;
                for (size_t j = 0; j < ELEMENTSOF(systemd_limits); j++)
                        if (systemd_limits[j].resource == s->resource) {
                                fprintf(f, "%s=", systemd_limits[j].key);
                                if (s->soft == RLIM_INFINITY)
                                        fputs("infinity", f);
                                else
                                        fprintf(f, "%llu", (unsigned long long)s->soft);
                                if (s->hard == RLIM_INFINITY)
                                        fputs(":infinity\n", f);
                                else
                                        fprintf(f, ":%llu\n", (unsigned long long)s->hard);
                        }
                nofile |= s->resource == RLIMIT_NOFILE;
                core |= s->resource == RLIMIT_CORE;
        }
        /* airlock's own defaults for every run (src/resources/rlimit.c) */
        if (!core)
                fputs("LimitCORE=0\n", f);
        if (!nofile)
                fputs("LimitNOFILE=1024:65536\n", f);
}

/* Drops one note, when something else says it. */
static void note_drop(char **notes, const char *s)
{
        for (char **n = notes; n && *n; n++)
                if (streq(*n, s)) {
                        free(*n);
                        memmove(n, n + 1, (strv_length(n + 1) + 1) * sizeof(*n));
                        return;
                }
}

static const struct {
        const char *name;
        uint64_t value;
} address_families[] = {
        {"AF_UNIX", AF_UNIX},       {"AF_INET", AF_INET},     {"AF_INET6", AF_INET6},
        {"AF_NETLINK", AF_NETLINK}, {"AF_PACKET", AF_PACKET}, {"AF_VSOCK", AF_VSOCK},
};

/* RestrictAddressFamilies= from the rules for socket(): "none" when no rule allows it, the
 * families when every rule that allows it is "a0 == FAMILY", nothing when one allows it
 * whatever the family (or a family has no name here). socketpair() is not socket(): systemd
 * leaves it alone, as the profile's own socketpair rule does. */
static int systemd_families(struct model *m, char ***ret)
{
        _cleanup_strv_free_ char **families = NULL;
        bool allowed = false;

        *ret = NULL;
        for (size_t i = 0; i < m->n_simple; i++)
                if ((m->simple[i].action == SECCOMP_ACT_ALLOW_KIND ||
                     m->simple[i].action == SECCOMP_ACT_LOG_KIND) &&
                    strv_contains(m->simple[i].names, "socket"))
                        return 0; /* any family */
        for (size_t i = 0; i < m->n_cond; i++) {
                const struct entry *e = &m->cond[i];
                const char *fam = NULL;

                if (e->action != SECCOMP_ACT_ALLOW_KIND || !streq(e->names[0], "socket"))
                        continue;
                if (e->n_conds != 1 || e->conds[0].index != 0 ||
                    e->conds[0].op != SECCOMP_CMP_EQ_KIND)
                        return 0;
                for (size_t j = 0; j < ELEMENTSOF(address_families); j++)
                        if (address_families[j].value == e->conds[0].value)
                                fam = address_families[j].name;
                if (!fam)
                        return 0;
                allowed = true;
                if (!strv_contains(families, fam) && strv_extend(&families, fam) < 0)
                        return -ENOMEM;
        }
        if (!allowed)
                return strv_extend(ret, "none");
        *ret = TAKE_PTR(families);
        return 0;
}

/* The TCP ports: SocketBindAllow=tcp:P for each port bound and SocketBindDeny=tcp after them
 * (Landlock refuses every other TCP bind once either port list is set, and its port rules are
 * TCP only, so UDP stays open as under airlock). Port 0, a port the kernel picks, has no
 * systemd form: binding is then left open. Connecting has no port rule in systemd
 * (IPAddressAllow= goes by address). Both are noted by systemd_port_notes(). */
static bool systemd_bind_any(const struct policy *p)
{
        for (size_t i = 0; i < p->n_tcp_bind; i++)
                if (p->tcp_bind[i] == 0)
                        return true;
        return false;
}

static int systemd_port_notes(const struct policy *p, struct model *m)
{
        _cleanup_free_ char *ports = NULL;
        size_t len = 0;
        FILE *s;
        int r;

        if (systemd_bind_any(p)) {
                r = note(&m->notes, "tcp-bind 0 (a port the kernel picks): systemd's bind rules "
                                    "name ports 1-65535; TCP binding is left open here");
                if (r < 0)
                        return r;
        }
        if (p->n_tcp_connect == 0)
                return 0;
        s = open_memstream(&ports, &len);
        if (!s)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_tcp_connect; i++)
                fprintf(s, "%s%u", i ? " " : "", p->tcp_connect[i]);
        if (fclose(s) != 0)
                return -ENOMEM;
        return note(&m->notes,
                    "tcp-connect %s: systemd has no port rule for connect (IPAddressAllow= goes "
                    "by address); TCP connections to other ports are not refused here",
                    ports);
}

static void systemd_ports(FILE *f, const struct policy *p)
{
        if ((p->n_tcp_bind == 0 && p->n_tcp_connect == 0) || systemd_bind_any(p))
                return;
        for (size_t i = 0; i < p->n_tcp_bind; i++)
                fprintf(f, "SocketBindAllow=tcp:%u\n", p->tcp_bind[i]);
        fputs("SocketBindDeny=tcp\n", f);
}

static int export_systemd(FILE *f, const struct policy *p, const char *name, struct model *m)
{
        _cleanup_strv_free_ char **allowed = NULL, **families = NULL;
        const char *def = errno_name(m->default_errno);
        bool devices;
        int r;

        r = systemd_families(m, &families);
        if (r >= 0)
                r = allowed_names(m, true, &allowed);
        if (r >= 0 && families && !streq(families[0], "none"))
                /* RestrictAddressFamilies= says what the conditions on socket() said */
                note_drop(m->notes, "socket: allowed only under argument conditions by airlock, "
                                    "allowed whatever its arguments here");
        if (r >= 0)
                r = systemd_port_notes(p, m);
        for (char **n = m->ordered; r >= 0 && n && *n; n++)
                r = note(&m->notes,
                         "%s: refused by airlock for some arguments, allowed "
                         "whatever its arguments here",
                         *n);
        if (r >= 0)
                r = note_other_answers(m, "refused with the default errno here");
        if (r >= 0 && !p->allow_userns && !strv_contains(allowed, "clone3"))
                r = strv_extend(&allowed, "clone3"); /* RestrictNamespaces= answers it ENOSYS */
        if (r >= 0)
                r = note(&m->notes,
                         "Landlock: airlock also confines file access with Landlock; systemd "
                         "has no such setting");
        if (r >= 0)
                r = note(&m->notes,
                         "the root: airlock shows only the mounted paths; here the host's tree "
                         "stays visible read-only (ProtectSystem=strict): list secrets in "
                         "InaccessiblePaths=");
        if (r >= 0 && !p->uid_set)
                r = note(&m->notes, "the user: airlock runs the program as an unprivileged uid; "
                                    "set User= or DynamicUser=yes");
        if (r >= 0 && p->net == NET_SINKHOLE)
                r = note(&m->notes, "the sinkhole network is exported as no network");
        if (r < 0)
                return r;

        fprintf(f,
                "# airlock profile %s as a systemd drop-in, written by airlock profile "
                "export.\n# Install it as /etc/systemd/system/UNIT.service.d/airlock.conf.\n"
                "# Not expressed here, or expressed differently:\n",
                name);
        yaml_comment_lines(f, "# ", m->notes);
        fputs("[Service]\n"
              "NoNewPrivileges=yes\n"
              "CapabilityBoundingSet=\n"
              "AmbientCapabilities=\n"
              "RestrictSUIDSGID=yes\n"
              "ProtectSystem=strict\n"
              "ProtectHome=tmpfs\n"
              "PrivateTmp=yes\n"
              "ProtectKernelTunables=yes\n"
              "ProtectKernelModules=yes\n"
              "ProtectKernelLogs=yes\n"
              "ProtectControlGroups=yes\n"
              "InaccessiblePaths=-/etc/shadow -/etc/gshadow -/etc/ssh -/etc/sudoers.d\n",
              f);
        if (!p->allow_userns)
                fputs("RestrictNamespaces=yes\n", f);
        if (!p->share_ipc)
                fputs("PrivateIPC=yes\n", f);
        fputs("ProtectHostname=yes\n", f);
        if (p->net != NET_HOST)
                fputs("PrivateNetwork=yes\n", f);
        systemd_ports(f, p);
        if (families) {
                /* the empty assignment first: a unit's own list would be merged with this one */
                fputs("RestrictAddressFamilies=\nRestrictAddressFamilies=", f);
                for (char **a = families; *a; a++)
                        fprintf(f, "%s%s", a == families ? "" : " ", *a);
                fputc('\n', f);
        }
        r = systemd_mounts(f, p, m, &devices);
        if (r < 0)
                return r;
        if (!devices)
                fputs("PrivateDevices=yes\n", f);
        if (p->chdir && !has_space(p->chdir))
                fprintf(f, "WorkingDirectory=%s\n", p->chdir);
        systemd_resources(f, p);
        fputs("SystemCallArchitectures=native\n", f);
        if (!strv_contains(allowed, "personality"))
                fputs("LockPersonality=yes\n", f);
        /* the empty assignment first: systemd merges allow-lists, and the unit's own
         * (@system-service, say) would let through what the profile refuses */
        fputs("SystemCallFilter=\n", f);
        write_list(f, "SystemCallFilter", allowed);
        if (def)
                fprintf(f, "SystemCallErrorNumber=%s\n", def);
        else
                fprintf(f, "SystemCallErrorNumber=%d\n", m->default_errno);
        return 0;
}

/* One minijail comparison for a condition, or its negation; false when the language has no
 * exact form (a masked compare other than "all these bits" or "none of them"). */
static bool minijail_cond(FILE *f, const struct seccomp_arg_cond *c, bool negate)
{
        static const char *const ops[][2] = {
                [SECCOMP_CMP_EQ_KIND] = {"==", "!="}, [SECCOMP_CMP_NE_KIND] = {"!=", "=="},
                [SECCOMP_CMP_LT_KIND] = {"<", ">="},  [SECCOMP_CMP_LE_KIND] = {"<=", ">"},
                [SECCOMP_CMP_GT_KIND] = {">", "<="},  [SECCOMP_CMP_GE_KIND] = {">=", "<"},
        };
        unsigned long long mask = c->mask, value = c->value;

        if (c->op != SECCOMP_CMP_MASKED_EQ_KIND) {
                if (f)
                        fprintf(f, "arg%u %s %#llx", c->index, ops[c->op][negate],
                                (unsigned long long)c->value);
                return true;
        }
        /* (arg & m) == 0: "arg in ~m"; its negation, one bit: "arg & m" */
        if (value == 0 && (!negate || __builtin_popcountll(mask) == 1)) {
                if (f)
                        fprintf(f, negate ? "arg%u & %#llx" : "arg%u in %#llx", c->index,
                                negate ? mask : ~mask);
                return true;
        }
        /* (arg & b) == b for one bit b: "arg & b"; its negation "arg in ~b" */
        if (value == mask && __builtin_popcountll(mask) == 1) {
                if (f)
                        fprintf(f, negate ? "arg%u in %#llx" : "arg%u & %#llx", c->index,
                                negate ? ~mask : mask);
                return true;
        }
        return false;
}

/* A syscall with conditional rules: "allowed unless" or "refused unless", else false. */
static bool minijail_conditional(FILE *f, const char *name, const struct entry *base,
                                 const struct entry *const *over, size_t n, int default_errno)
{
        /* no base entry: the default errno */
        bool base_allows = base && base->action == SECCOMP_ACT_ALLOW_KIND;
        int deny_errno =
                base && base->action == SECCOMP_ACT_ERRNO_KIND ? base->errno_value : default_errno;

        if (base && base->action != SECCOMP_ACT_ALLOW_KIND &&
            base->action != SECCOMP_ACT_ERRNO_KIND)
                return false;
        for (size_t i = 0; i < n; i++) {
                bool allows = over[i]->action == SECCOMP_ACT_ALLOW_KIND;
                if (allows == base_allows || (!allows && over[i]->action != SECCOMP_ACT_ERRNO_KIND))
                        return false;
                if (!allows &&
                    (over[i]->errno_value != over[0]->errno_value || over[i]->n_conds != 1))
                        return false;
                for (unsigned c = 0; c < over[i]->n_conds; c++)
                        if (!minijail_cond(NULL, &over[i]->conds[c], !allows))
                                return false;
        }
        if (!f)
                return true;
        fprintf(f, "%s: ", name);
        for (size_t i = 0; i < n; i++)
                for (unsigned c = 0; c < over[i]->n_conds; c++) {
                        if (i > 0 || c > 0)
                                fputs(base_allows || c > 0 ? " && " : " || ", f);
                        minijail_cond(f, &over[i]->conds[c], base_allows);
                }
        fprintf(f, "; return %d\n", base_allows ? over[0]->errno_value : deny_errno);
        return true;
}

static int export_minijail(FILE *f, const char *name, struct model *m)
{
        _cleanup_strv_free_ char **done = NULL;
        int r;

        r = note(&m->notes, "calls not listed: minijail kills the process, airlock answers "
                            "the default errno; names newer than minijail's tables must be "
                            "removed");
        for (size_t i = 0; r >= 0 && i < m->n_simple; i++)
                if (m->simple[i].action == SECCOMP_ACT_TRAP_KIND)
                        r = note(&m->notes, "%s: SIGSYS (trap) under airlock, killed here",
                                 m->simple[i].names[0]);
        for (size_t i = 0; r >= 0 && i < m->n_cond; i++) {
                const char *n = m->cond[i].names[0];
                const struct entry *base = NULL, *over[64];
                size_t n_over = 0;

                if (strv_contains(done, n))
                        continue;
                for (size_t j = 0; j < m->n_simple && !base; j++)
                        if (strv_contains(m->simple[j].names, n))
                                base = &m->simple[j];
                for (size_t j = i; j < m->n_cond && n_over < ELEMENTSOF(over); j++)
                        if (streq(m->cond[j].names[0], n))
                                over[n_over++] = &m->cond[j];
                if (!minijail_conditional(NULL, n, base, over, n_over, m->default_errno))
                        r = note(&m->notes,
                                 "%s: its argument conditions have no exact minijail form; "
                                 "only the unconditional answer is written",
                                 n);
                if (r >= 0)
                        r = strv_extend(&done, n);
        }
        if (r < 0)
                return r;

        fprintf(f,
                "# airlock profile %s as a minijail seccomp policy (minijail0 -S FILE), "
                "written by airlock profile export.\n# Not expressed here, or expressed "
                "differently:\n",
                name);
        yaml_comment_lines(f, "# ", m->notes);
        for (size_t i = 0; i < m->n_simple; i++) {
                const struct entry *e = &m->simple[i];
                for (char **n = e->names; *n; n++) {
                        if (strv_contains(done, *n))
                                continue;
                        if (e->action == SECCOMP_ACT_ALLOW_KIND ||
                            e->action == SECCOMP_ACT_LOG_KIND)
                                fprintf(f, "%s: 1\n", *n);
                        else if (e->action == SECCOMP_ACT_ERRNO_KIND)
                                fprintf(f, "%s: return %d\n", *n, e->errno_value);
                }
        }
        for (char **n = done; n && *n; n++) {
                const struct entry *base = NULL, *over[64];
                size_t n_over = 0;

                for (size_t j = 0; j < m->n_simple && !base; j++)
                        if (strv_contains(m->simple[j].names, *n))
                                base = &m->simple[j];
                for (size_t j = 0; j < m->n_cond && n_over < ELEMENTSOF(over); j++)
                        if (streq(m->cond[j].names[0], *n))
                                over[n_over++] = &m->cond[j];
                if (minijail_conditional(f, *n, base, over, n_over, m->default_errno))
                        continue;
                if (!base)
                        fprintf(f, "%s: return %d\n", *n, m->default_errno);
                else if (base->action == SECCOMP_ACT_ALLOW_KIND)
                        fprintf(f, "%s: 1\n", *n);
                else if (base->action == SECCOMP_ACT_ERRNO_KIND)
                        fprintf(f, "%s: return %d\n", *n, base->errno_value);
        }
        return 0;
}

int export_format_from_string(const char *s, enum export_format *ret)
{
        static const struct {
                const char *name;
                enum export_format format;
        } formats[] = {
                {"oci-seccomp", EXPORT_OCI_SECCOMP},
                {"k8s-seccompprofile", EXPORT_K8S_SECCOMP_PROFILE},
                {"systemd", EXPORT_SYSTEMD},
                {"minijail", EXPORT_MINIJAIL},
        };
        for (size_t i = 0; i < ELEMENTSOF(formats); i++)
                if (streq(s, formats[i].name)) {
                        *ret = formats[i].format;
                        return 0;
                }
        return -EINVAL;
}

int profile_export(FILE *f, const struct policy *p, const char *name, enum export_format format)
{
        _cleanup_(model_done) struct model m = {0};
        int r;

        r = model_build(p, &m);
        if (r < 0)
                return r;
        switch (format) {
        case EXPORT_OCI_SECCOMP:
                r = seccomp_only_notes(p, &m);
                return r < 0 ? r : export_oci(f, p, name, &m);
        case EXPORT_K8S_SECCOMP_PROFILE:
                r = seccomp_only_notes(p, &m);
                return r < 0 ? r : export_k8s(f, name, &m);
        case EXPORT_SYSTEMD:
                return export_systemd(f, p, name, &m);
        case EXPORT_MINIJAIL:
                return export_minijail(f, name, &m);
        }
        return log_error_errno(-EOPNOTSUPP, "cannot export: this format is not written yet");
}
