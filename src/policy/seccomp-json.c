/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Docker/OCI JSON seccomp profiles into policy rules.
 *
 * The rules keep the file's order, and the compiler lets a later matching rule win. That is
 * the same result libseccomp gives these profiles (their rules for one syscall share an action
 * or cover disjoint arguments), so the imported profile behaves as it does under Docker. As
 * runc does, the conditions of an entry are ANDed unless one argument is compared twice, then
 * each condition becomes a rule of its own (ORed). */
#include <json-c/json.h>
#include <stdarg.h>
#include <sys/utsname.h>

#include "basic/capability.h"
#include "basic/fileio.h"
#include "basic/macro.h"
#include "seccomp-json.h"
#include "syscall-groups.h"

#if defined(__x86_64__)
static const char *const native_arches[] = {"amd64", "SCMP_ARCH_X86_64", NULL};
#elif defined(__aarch64__)
static const char *const native_arches[] = {"arm64", "SCMP_ARCH_AARCH64", NULL};
#endif

struct import {
        const struct seccomp_json_env *env;
        unsigned kernel[3];
        struct policy *p;
        char **ret_error;
};

_printf_(2, 3) static int import_error(struct import *im, const char *fmt, ...)
{
        va_list ap;

        if (im->ret_error) {
                free(*im->ret_error);
                *im->ret_error = NULL;
                va_start(ap, fmt);
                if (vasprintf(im->ret_error, fmt, ap) < 0)
                        *im->ret_error = NULL;
                va_end(ap);
        }
        return -EINVAL;
}

static void parse_version(const char *s, unsigned v[3])
{
        v[0] = v[1] = v[2] = 0;
        (void)sscanf(s, "%u.%u.%u", &v[0], &v[1], &v[2]);
}

static int version_cmp(const unsigned a[3], const unsigned b[3])
{
        for (int i = 0; i < 3; i++)
                if (a[i] != b[i])
                        return a[i] < b[i] ? -1 : 1;
        return 0;
}

static bool in_list(const char *s, const char *const *list)
{
        for (; *list; list++)
                if (streq(s, *list))
                        return true;
        return false;
}

static bool has_cap(const struct import *im, const char *name)
{
        int cap = capability_from_name(name);

        return cap >= 0 && ((im->env->caps >> cap) & 1);
}

/* Whether a string array names something: the native architecture (arch) or a capability. */
static int list_matches(struct import *im, struct json_object *arr, const char *where, bool arch,
                        bool want_all, bool *ret)
{
        size_t n;
        bool any = false, all = true;

        if (!json_object_is_type(arr, json_type_array))
                return import_error(im, "%s: expected an array of strings", where);
        n = json_object_array_length(arr);
        if (n == 0) { /* an empty list restricts nothing */
                *ret = want_all;
                return 0;
        }
        for (size_t i = 0; i < n; i++) {
                struct json_object *o = json_object_array_get_idx(arr, i);
                if (!json_object_is_type(o, json_type_string))
                        return import_error(im, "%s[%zu]: expected a string", where, i);
                const char *s = json_object_get_string(o);
                bool m = arch ? in_list(s, native_arches) : has_cap(im, s);
                any |= m;
                all &= m;
        }
        *ret = want_all ? all : any;
        return 0;
}

/* Docker's "includes" (every listed capability held, the native arch listed, the kernel at
 * least minKernel) and "excludes" (none of them). */
static int filter_applies(struct import *im, struct json_object *f, const char *where, bool include,
                          bool *ret)
{
        struct json_object *v;
        char w[160];
        bool m;
        int r;

        *ret = true;
        if (!f)
                return 0;
        if (!json_object_is_type(f, json_type_object))
                return import_error(im, "%s: expected an object", where);
        if (json_object_object_get_ex(f, "caps", &v) && !json_object_is_type(v, json_type_null)) {
                snprintf(w, sizeof(w), "%s.caps", where);
                r = list_matches(im, v, w, false, include, &m);
                if (r < 0)
                        return r;
                if (m != include)
                        *ret = false;
        }
        if (json_object_object_get_ex(f, "arches", &v) && !json_object_is_type(v, json_type_null)) {
                snprintf(w, sizeof(w), "%s.arches", where);
                r = list_matches(im, v, w, true, false, &m);
                if (r < 0)
                        return r;
                if (m != include)
                        *ret = false;
        }
        if (json_object_object_get_ex(f, "minKernel", &v)) {
                unsigned min[3];
                if (!json_object_is_type(v, json_type_string))
                        return import_error(im, "%s.minKernel: expected a string", where);
                parse_version(json_object_get_string(v), min);
                bool at_least = version_cmp(im->kernel, min) >= 0;
                if (at_least != include)
                        *ret = false;
        }
        return 0;
}

static int parse_action(struct import *im, struct json_object *o, const char *where,
                        enum seccomp_action_kind *ret, int *ret_errno)
{
        static const struct {
                const char *name;
                enum seccomp_action_kind kind;
                int errno_value;
        } actions[] = {
                {"SCMP_ACT_ALLOW", SECCOMP_ACT_ALLOW_KIND, 0},
                {"SCMP_ACT_ERRNO", SECCOMP_ACT_ERRNO_KIND, EPERM},
                {"SCMP_ACT_KILL", SECCOMP_ACT_KILL_KIND, 0},
                {"SCMP_ACT_KILL_THREAD", SECCOMP_ACT_KILL_KIND, 0},
                {"SCMP_ACT_KILL_PROCESS", SECCOMP_ACT_KILL_KIND, 0},
                {"SCMP_ACT_TRAP", SECCOMP_ACT_TRAP_KIND, 0},
                /* no tracer is ever attached: the kernel answers ENOSYS */
                {"SCMP_ACT_TRACE", SECCOMP_ACT_ERRNO_KIND, ENOSYS},
                {"SCMP_ACT_LOG", SECCOMP_ACT_LOG_KIND, 0},
                {"SCMP_ACT_NOTIFY", SECCOMP_ACT_NOTIFY_KIND, 0},
        };
        const char *s;

        if (!o || !json_object_is_type(o, json_type_string))
                return import_error(im, "%s: expected an action string such as SCMP_ACT_ERRNO",
                                    where);
        s = json_object_get_string(o);
        for (size_t i = 0; i < ELEMENTSOF(actions); i++)
                if (streq(actions[i].name, s)) {
                        *ret = actions[i].kind;
                        *ret_errno = actions[i].errno_value;
                        return 0;
                }
        return import_error(im, "%s: unknown action \"%s\"", where, s);
}

static int get_u64(struct import *im, struct json_object *o, const char *where, uint64_t *ret)
{
        if (!o) {
                *ret = 0;
                return 0;
        }
        if (!json_object_is_type(o, json_type_int) ||
            (json_object_get_int64(o) < 0 && json_object_get_uint64(o) == 0))
                return import_error(im, "%s: expected a non-negative integer", where);
        *ret = json_object_get_uint64(o);
        return 0;
}

static int parse_errno(struct import *im, struct json_object *o, const char *where, int *ret)
{
        uint64_t v;
        int r;

        if (!o)
                return 0;
        r = get_u64(im, o, where, &v);
        if (r < 0)
                return r;
        if (v > 0xffff) /* the filter's data field; the kernel clamps it to 4095 */
                return import_error(im, "%s: %llu is no errno", where, (unsigned long long)v);
        *ret = (int)v;
        return 0;
}

static int parse_arg(struct import *im, struct json_object *a, const char *where,
                     struct seccomp_arg_cond *ret)
{
        static const struct {
                const char *name;
                enum seccomp_cmp op;
        } ops[] = {
                {"SCMP_CMP_NE", SECCOMP_CMP_NE_KIND},
                {"SCMP_CMP_LT", SECCOMP_CMP_LT_KIND},
                {"SCMP_CMP_LE", SECCOMP_CMP_LE_KIND},
                {"SCMP_CMP_EQ", SECCOMP_CMP_EQ_KIND},
                {"SCMP_CMP_GE", SECCOMP_CMP_GE_KIND},
                {"SCMP_CMP_GT", SECCOMP_CMP_GT_KIND},
                {"SCMP_CMP_MASKED_EQ", SECCOMP_CMP_MASKED_EQ_KIND},
        };
        struct json_object *o;
        uint64_t index, value, value2;
        char w[200];
        const char *op;
        int r;

        if (!json_object_is_type(a, json_type_object))
                return import_error(im, "%s: expected an object", where);
        if (!json_object_object_get_ex(a, "index", &o))
                return import_error(im, "%s: \"index\" is missing", where);
        snprintf(w, sizeof(w), "%s.index", where);
        r = get_u64(im, o, w, &index);
        if (r < 0)
                return r;
        if (index > 5)
                return import_error(im, "%s: %llu is not an argument index (0-5)", w,
                                    (unsigned long long)index);
        snprintf(w, sizeof(w), "%s.value", where);
        r = get_u64(im, json_object_object_get_ex(a, "value", &o) ? o : NULL, w, &value);
        if (r < 0)
                return r;
        snprintf(w, sizeof(w), "%s.valueTwo", where);
        r = get_u64(im, json_object_object_get_ex(a, "valueTwo", &o) ? o : NULL, w, &value2);
        if (r < 0)
                return r;
        if (!json_object_object_get_ex(a, "op", &o) || !json_object_is_type(o, json_type_string))
                return import_error(im, "%s.op: expected an operator such as SCMP_CMP_EQ", where);
        op = json_object_get_string(o);
        for (size_t i = 0; i < ELEMENTSOF(ops); i++)
                if (streq(ops[i].name, op)) {
                        *ret = (struct seccomp_arg_cond){.index = (unsigned)index, .op = ops[i].op};
                        if (ops[i].op == SECCOMP_CMP_MASKED_EQ_KIND) {
                                ret->mask = value; /* libseccomp's order: mask, then datum */
                                ret->value = value2;
                        } else
                                ret->value = value;
                        return 0;
                }
        return import_error(im, "%s.op: unknown operator \"%s\"", where, op);
}

static int add_rules_for_name(struct import *im, const char *name, const struct seccomp_rule *tmpl,
                              bool split)
{
        struct seccomp_rule r = *tmpl;
        int ret;

        if (syscall_group_resolve_name(name) < 0)
                return 0; /* not on this architecture or unknown here: skipped, as Docker does */
        r.name = (char *)name;
        if (!split)
                return policy_add_seccomp_rule(im->p, &r);
        for (unsigned i = 0; i < tmpl->n_conds; i++) {
                r.n_conds = 1;
                r.conds[0] = tmpl->conds[i];
                ret = policy_add_seccomp_rule(im->p, &r);
                if (ret < 0)
                        return ret;
        }
        return 0;
}

static int import_syscall(struct import *im, struct json_object *s, size_t idx, int default_errno)
{
        struct seccomp_rule tmpl = {0};
        struct json_object *o, *names = NULL, *args;
        char where[64], w[160];
        bool applies, split = false;
        int r;

        snprintf(where, sizeof(where), "syscalls[%zu]", idx);
        if (!json_object_is_type(s, json_type_object))
                return import_error(im, "%s: expected an object", where);

        json_object_object_get_ex(s, "includes", &o);
        snprintf(w, sizeof(w), "%s.includes", where);
        r = filter_applies(im, json_object_object_get_ex(s, "includes", &o) ? o : NULL, w, true,
                           &applies);
        if (r < 0 || !applies)
                return r;
        snprintf(w, sizeof(w), "%s.excludes", where);
        r = filter_applies(im, json_object_object_get_ex(s, "excludes", &o) ? o : NULL, w, false,
                           &applies);
        if (r < 0 || !applies)
                return r;

        snprintf(w, sizeof(w), "%s.action", where);
        r = parse_action(im, json_object_object_get_ex(s, "action", &o) ? o : NULL, w, &tmpl.action,
                         &tmpl.errno_value);
        if (r < 0)
                return r;
        /* the runtime spec: errnoRet defaults to EPERM (not defaultErrnoRet), and only
         * SCMP_ACT_ERRNO takes it (SCMP_ACT_TRACE's is data for a tracer there is not) */
        (void)default_errno;
        snprintf(w, sizeof(w), "%s.errnoRet", where);
        if (tmpl.action == SECCOMP_ACT_ERRNO_KIND && tmpl.errno_value == EPERM) {
                r = parse_errno(im, json_object_object_get_ex(s, "errnoRet", &o) ? o : NULL, w,
                                &tmpl.errno_value);
                if (r < 0)
                        return r;
        }

        if (json_object_object_get_ex(s, "args", &args) &&
            !json_object_is_type(args, json_type_null)) {
                if (!json_object_is_type(args, json_type_array))
                        return import_error(im, "%s.args: expected an array", where);
                size_t n = json_object_array_length(args);
                if (n > 6)
                        return import_error(im, "%s.args: at most 6 conditions", where);
                for (size_t i = 0; i < n; i++) {
                        snprintf(w, sizeof(w), "%s.args[%zu]", where, i);
                        r = parse_arg(im, json_object_array_get_idx(args, i), w, &tmpl.conds[i]);
                        if (r < 0)
                                return r;
                        for (size_t j = 0; j < i; j++)
                                if (tmpl.conds[j].index == tmpl.conds[i].index)
                                        split = true;
                }
                tmpl.n_conds = (unsigned)n;
        }

        if (json_object_object_get_ex(s, "names", &names) &&
            !json_object_is_type(names, json_type_null)) {
                if (!json_object_is_type(names, json_type_array))
                        return import_error(im, "%s.names: expected an array of strings", where);
                for (size_t i = 0; i < json_object_array_length(names); i++) {
                        o = json_object_array_get_idx(names, i);
                        if (!json_object_is_type(o, json_type_string))
                                return import_error(im, "%s.names[%zu]: expected a string", where,
                                                    i);
                        r = add_rules_for_name(im, json_object_get_string(o), &tmpl, split);
                        if (r < 0)
                                return r;
                }
        }
        if (json_object_object_get_ex(s, "name", &o)) {
                if (!json_object_is_type(o, json_type_string))
                        return import_error(im, "%s.name: expected a string", where);
                return add_rules_for_name(im, json_object_get_string(o), &tmpl, split);
        }
        if (!names)
                return import_error(im, "%s: neither \"names\" nor \"name\"", where);
        return 0;
}

static int import_profile(struct import *im, struct json_object *root)
{
        struct json_object *o, *syscalls;
        enum seccomp_action_kind def;
        int def_errno = EPERM, r;

        /* a whole OCI runtime config: its linux.seccomp */
        if (json_object_object_get_ex(root, "linux", &o) &&
            json_object_object_get_ex(o, "seccomp", &o))
                root = o;
        if (!json_object_is_type(root, json_type_object))
                return import_error(im, "expected a JSON object");
        r = parse_action(im, json_object_object_get_ex(root, "defaultAction", &o) ? o : NULL,
                         "defaultAction", &def, &def_errno);
        if (r < 0)
                return r;
        r = parse_errno(im, json_object_object_get_ex(root, "defaultErrnoRet", &o) ? o : NULL,
                        "defaultErrnoRet", &def_errno);
        if (r < 0)
                return r;
        if (json_object_object_get_ex(root, "architectures", &o) &&
            !json_object_is_type(o, json_type_null) && !json_object_is_type(o, json_type_array))
                return import_error(im, "architectures: expected an array");
        if (json_object_object_get_ex(root, "archMap", &o) &&
            !json_object_is_type(o, json_type_null) && !json_object_is_type(o, json_type_array))
                return import_error(im, "archMap: expected an array");

        switch (def) {
        case SECCOMP_ACT_ALLOW_KIND:
        case SECCOMP_ACT_LOG_KIND: /* allowed; the log is lost */
                im->p->seccomp_mode = SECCOMP_MODE_DENYLIST;
                break;
        case SECCOMP_ACT_NOTIFY_KIND: /* without a listener the kernel answers ENOSYS */
                im->p->seccomp_mode = SECCOMP_MODE_ALLOWLIST;
                im->p->seccomp_default_errno = ENOSYS;
                break;
        default: /* errno, kill, trap: an allow-list (airlock's default answer is an errno) */
                im->p->seccomp_mode = SECCOMP_MODE_ALLOWLIST;
                im->p->seccomp_default_errno = def_errno > 0 ? def_errno : EPERM;
                break;
        }

        if (!json_object_object_get_ex(root, "syscalls", &syscalls) ||
            json_object_is_type(syscalls, json_type_null))
                return 0;
        if (!json_object_is_type(syscalls, json_type_array))
                return import_error(im, "syscalls: expected an array");
        for (size_t i = 0; i < json_object_array_length(syscalls); i++) {
                r = import_syscall(im, json_object_array_get_idx(syscalls, i), i,
                                   def_errno > 0 ? def_errno : EPERM);
                if (r < 0)
                        return r;
        }
        return 0;
}

int seccomp_json_import_string(const char *json, const struct seccomp_json_env *env,
                               struct policy *p, char **ret_error)
{
        static const struct seccomp_json_env no_env = {0};
        struct import im = {.env = env ? env : &no_env, .p = p, .ret_error = ret_error};
        struct json_tokener *tok;
        struct json_object *root;
        struct utsname u;
        size_t len = strlen(json);
        int r;

        if (im.env->kernel_release)
                parse_version(im.env->kernel_release, im.kernel);
        else if (uname(&u) == 0)
                parse_version(u.release, im.kernel);

        tok = json_tokener_new_ex(64);
        if (!tok)
                return -ENOMEM;
        root = json_tokener_parse_ex(tok, json, (int)len);
        if (!root || json_tokener_get_parse_end(tok) < len) {
                enum json_tokener_error e = json_tokener_get_error(tok);
                size_t end = json_tokener_get_parse_end(tok), line = 1, col = 1;
                for (size_t i = 0; i < end && i < len; i++) {
                        if (json[i] == '\n') {
                                line++;
                                col = 1;
                        } else
                                col++;
                }
                json_object_put(root);
                json_tokener_free(tok);
                return import_error(&im, "line %zu, column %zu: %s", line, col,
                                    e == json_tokener_success    ? "text after the JSON value"
                                    : e == json_tokener_continue ? "the JSON value is not finished"
                                                                 : json_tokener_error_desc(e));
        }
        json_tokener_free(tok);
        r = import_profile(&im, root);
        json_object_put(root);
        return r;
}

int seccomp_json_import_file(const char *path, const struct seccomp_json_env *env, struct policy *p,
                             char **ret_error)
{
        _cleanup_free_ char *json = NULL, *err = NULL;
        int r;

        r = read_full_file(path, &json, NULL, 16U << 20);
        if (r < 0) {
                if (ret_error && asprintf(ret_error, "%s: %s", path, strerror(-r)) < 0)
                        *ret_error = NULL;
                return r;
        }
        r = seccomp_json_import_string(json, env, p, ret_error ? &err : NULL);
        if (r < 0 && ret_error && asprintf(ret_error, "%s: %s", path, err ? err : "invalid") < 0)
                *ret_error = NULL;
        return r;
}
