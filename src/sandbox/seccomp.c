/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp filter compiler.
 *
 * Rules (built-in, imported from JSON, from the policy) are resolved per syscall number into
 * "the last matching rule decides", and compiled straight to classic BPF: an arch check, the
 * x32 check, then a binary search over ranges of syscall numbers whose leaves jump to one shared
 * return per answer. A syscall without argument conditions ends in a constant return, so the
 * kernel's action cache answers it without running the filter; only the few cold calls with
 * argument checks (clone, ioctl, personality, socket) load arguments. libseccomp supplies the
 * syscall tables; the code generation is ours because libseccomp cannot express ordered overrides
 * between conditional rules, and because the same program bytes are cached and interpreted again
 * for the monitor (seccomp_program_denied_errno).
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>

#include "basic/macro.h"
#include "bpf-eval.h"
#include "seccomp-internal.h"
#include "policy/seccomp-json.h"
#include "seccomp.h"
#include "policy/syscall-groups.h"

#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif
#ifndef SECCOMP_RET_LOG
#define SECCOMP_RET_LOG 0x7ffc0000U
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

#ifndef SECCOMP_NATIVE_AUDIT_ARCH
#error "airlock's seccomp layer knows x86_64 and aarch64"
#endif
#if defined(__x86_64__)
#define X32_SYSCALL_BIT 0x40000000U
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#define ARG_HI(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#endif

#define RULE(n, act, err)                                                  \
        {                                                                  \
                .name = (char *)(n), .action = (act), .errno_value = (err) \
        }
#define RULE_MASKED(n, act, err, idx, m, v)                                               \
        {                                                                                 \
                .name = (char *)(n), .action = (act), .errno_value = (err), .n_conds = 1, \
                .conds = {{.index = (idx),                                                \
                           .op = SECCOMP_CMP_MASKED_EQ_KIND,                              \
                           .mask = (m),                                                   \
                           .value = (v)}},                                                \
        }
/* Arguments the kernel reads as 32-bit ints are compared on their low half only: a deny rule
 * on the full 64 bits would let TIOCSTI | 1 << 32 through (flatpak's CVE-2019-10063). */
#define LOW32 0xffffffffULL

/* The deny-list's base: what Docker's default refuses and the rest of the attack surface. */
static const struct seccomp_rule denylist_base[] = {
        RULE("@airlock-denied", SECCOMP_ACT_ERRNO_KIND, EPERM),
        /* personality: PER_LINUX and the 0xffffffff query only. Docker also allows
         * PER_LINUX32 and UNAME26; the issue asks for PER_LINUX alone, and a profile can add
         * them back ("personality" rules with argument conditions). */
        RULE("personality", SECCOMP_ACT_ERRNO_KIND, EPERM),
        RULE_MASKED("personality", SECCOMP_ACT_ALLOW_KIND, 0, 0, LOW32, 0x0),
        RULE_MASKED("personality", SECCOMP_ACT_ALLOW_KIND, 0, 0, LOW32, 0xffffffff),
        /* Docker refuses AF_ALG (38) and AF_VSOCK (40). */
        RULE_MASKED("socket", SECCOMP_ACT_ERRNO_KIND, EPERM, 0, LOW32, 38),
        RULE_MASKED("socket", SECCOMP_ACT_ERRNO_KIND, EPERM, 0, LOW32, 40),
};

/* With allow_userns: nested sandboxes (Chromium's) create a user namespace and chroot into an
 * empty folder; the namespace flags are then checked by the rules below. */
static const struct seccomp_rule denylist_userns[] = {
        RULE("unshare", SECCOMP_ACT_ALLOW_KIND, 0),
        RULE("chroot", SECCOMP_ACT_ALLOW_KIND, 0),
};

static const uint64_t namespace_flags[] = {
        CLONE_NEWNS,  CLONE_NEWCGROUP, CLONE_NEWUTS,  CLONE_NEWIPC,
        CLONE_NEWPID, CLONE_NEWNET,    CLONE_NEWUSER, CLONE_NEWTIME,
};

static const struct seccomp_rule always_after[] = {
        /* clone3 passes its flags in memory the filter cannot read: ENOSYS makes libc fall
         * back to clone, whose flags the filter checks. */
        RULE("clone3", SECCOMP_ACT_ERRNO_KIND, ENOSYS),
        RULE_MASKED("ioctl", SECCOMP_ACT_ERRNO_KIND, EPERM, 1, LOW32, TIOCSTI),
        RULE_MASKED("ioctl", SECCOMP_ACT_ERRNO_KIND, EPERM, 1, LOW32, TIOCLINUX),
};

struct rule_set {
        const struct seccomp_rule **v;
        size_t n, cap;
        struct seccomp_rule *owned; /* the namespace rules made for this policy */
        size_t n_owned;
        struct policy *imported; /* the JSON profile's rules */
        enum seccomp_mode mode;
        int default_errno;
};

static void rule_set_done(struct rule_set *s)
{
        free(s->v);
        free(s->owned);
        policy_free(s->imported);
}

static int rule_set_push(struct rule_set *s, const struct seccomp_rule *r)
{
        if (s->n == s->cap) {
                size_t cap = s->cap ? s->cap * 2 : 64;
                const struct seccomp_rule **v = realloc(s->v, cap * sizeof(*v));
                if (!v)
                        return -ENOMEM;
                s->v = v;
                s->cap = cap;
        }
        s->v[s->n++] = r;
        return 0;
}

static int rule_set_push_array(struct rule_set *s, const struct seccomp_rule *a, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                int r = rule_set_push(s, &a[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* clone and unshare fail with EPERM when they would create a namespace. With allow_userns
 * they pass: the program holds no capability in airlock's user namespace, so the kernel lets
 * it create other namespaces only inside a user namespace of its own (what Chromium's zygote
 * does: a user, pid and net namespace, then a pid namespace per renderer). mount and the rest
 * of @mount stay refused there too. */
static int make_namespace_rules(struct rule_set *s, bool allow_userns)
{
        static const char *const calls[] = {"clone", "unshare"};
        size_t n = 0;

        if (allow_userns)
                return 0;
        s->owned = calloc(ELEMENTSOF(calls) * ELEMENTSOF(namespace_flags), sizeof(*s->owned));
        if (!s->owned)
                return -ENOMEM;
        for (size_t c = 0; c < ELEMENTSOF(calls); c++)
                for (size_t i = 0; i < ELEMENTSOF(namespace_flags); i++) {
                        uint64_t f = namespace_flags[i];
                        /* clone's low byte is the exit signal, not CLONE_NEWTIME */
                        if (c == 0 && f == CLONE_NEWTIME)
                                continue;
                        s->owned[n++] = (struct seccomp_rule)RULE_MASKED(
                                calls[c], SECCOMP_ACT_ERRNO_KIND, EPERM, 0, f, f);
                }
        s->n_owned = n;
        return rule_set_push_array(s, s->owned, n);
}

/* Every rule in the order it applies: the base (JSON profile, or the built-in deny-list), the
 * policy's own rules, then the checks no policy may lift (namespace flags, TIOCSTI). */
static int collect_rules(const struct policy *p, struct rule_set *s)
{
        int r;

        s->mode = p->seccomp_mode;
        s->default_errno = p->seccomp_default_errno > 0 ? p->seccomp_default_errno : EPERM;
        if (p->seccomp_json) {
                r = policy_new(&s->imported);
                if (r < 0)
                        return r;
                r = seccomp_json_import_file(p->seccomp_json, NULL, s->imported, NULL);
                if (r < 0)
                        return r;
                s->mode = s->imported->seccomp_mode;
                s->default_errno = s->imported->seccomp_default_errno;
                for (size_t i = 0; i < s->imported->n_seccomp_rules; i++) {
                        r = rule_set_push(s, &s->imported->seccomp_rules[i]);
                        if (r < 0)
                                return r;
                }
        } else if (s->mode == SECCOMP_MODE_DENYLIST) {
                r = rule_set_push_array(s, denylist_base, ELEMENTSOF(denylist_base));
                if (r >= 0 && p->allow_userns)
                        r = rule_set_push_array(s, denylist_userns, ELEMENTSOF(denylist_userns));
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < p->n_seccomp_rules; i++) {
                r = rule_set_push(s, &p->seccomp_rules[i]);
                if (r < 0)
                        return r;
        }
        r = make_namespace_rules(s, p->allow_userns);
        if (r < 0)
                return r;
        return rule_set_push_array(s, always_after, ELEMENTSOF(always_after));
}

/* The rules that can decide one syscall number. */
struct nr_rules {
        const struct seccomp_rule **shadow; /* from the last unconditional one on */
        size_t n_shadow;
        const struct seccomp_rule **notify;
        size_t n_notify;
};

struct resolver {
        struct nr_rules *by_nr;
        int max_nr;
        const struct seccomp_rule *current;
};

static int ptr_append(const struct seccomp_rule ***v, size_t *n, const struct seccomp_rule *r)
{
        const struct seccomp_rule **nv = realloc(*v, (*n + 1) * sizeof(**v));

        if (!nv)
                return -ENOMEM;
        nv[(*n)++] = r;
        *v = nv;
        return 0;
}

static int resolve_one(int nr, void *userdata)
{
        struct resolver *res = userdata;
        const struct seccomp_rule *rule = res->current;
        struct nr_rules *e;

        if (nr < 0 || nr > res->max_nr)
                return 0;
        e = &res->by_nr[nr];
        if (rule->action == SECCOMP_ACT_NOTIFY_KIND)
                return ptr_append(&e->notify, &e->n_notify, rule);
        if (rule->n_conds == 0) /* an unconditional rule hides all earlier ones */
                e->n_shadow = 0;
        return ptr_append(&e->shadow, &e->n_shadow, rule);
}

static void resolver_done(struct resolver *res)
{
        if (!res->by_nr)
                return;
        for (int i = 0; i <= res->max_nr; i++) {
                free(res->by_nr[i].shadow);
                free(res->by_nr[i].notify);
        }
        free(res->by_nr);
}

static int rule_check(const struct seccomp_rule *r)
{
        if (r->n_conds > 6)
                return -EINVAL;
        for (unsigned i = 0; i < r->n_conds; i++)
                if (r->conds[i].index > 5 || r->conds[i].op > SECCOMP_CMP_MASKED_EQ_KIND)
                        return -EINVAL;
        if (r->action == SECCOMP_ACT_ERRNO_KIND && (r->errno_value < 0 || r->errno_value > 0xffff))
                return -EINVAL;
        return 0;
}

static int resolve_rules(const struct rule_set *s, struct resolver *res)
{
        int r;

        res->max_nr = syscall_max_known();
        res->by_nr = calloc(res->max_nr + 1, sizeof(*res->by_nr));
        if (!res->by_nr)
                return -ENOMEM;
        for (size_t i = 0; i < s->n; i++) {
                r = rule_check(s->v[i]);
                if (r < 0)
                        return r;
                res->current = s->v[i];
                r = syscall_expand(s->v[i]->name, resolve_one, res);
                if (r < 0)
                        return r;
        }
        return 0;
}

static uint32_t action_value(enum seccomp_action_kind a, int errno_value)
{
        switch (a) {
        case SECCOMP_ACT_ALLOW_KIND:
                return SECCOMP_RET_ALLOW;
        case SECCOMP_ACT_ERRNO_KIND:
                return SECCOMP_RET_ERRNO | ((uint32_t)errno_value & SECCOMP_RET_DATA);
        case SECCOMP_ACT_KILL_KIND:
                return SECCOMP_RET_KILL_PROCESS;
        case SECCOMP_ACT_LOG_KIND:
                return SECCOMP_RET_LOG;
        case SECCOMP_ACT_NOTIFY_KIND:
                return SECCOMP_RET_USER_NOTIF;
        case SECCOMP_ACT_TRAP_KIND:
                return SECCOMP_RET_TRAP;
        }
        return SECCOMP_RET_KILL_PROCESS;
}

static uint32_t rule_value(const struct seccomp_rule *r)
{
        return action_value(r->action, r->errno_value);
}

struct builder {
        struct sock_filter *insns;
        size_t n, cap;
        int error;
        bool counting; /* only counts instructions: sizes a subtree before it is laid out */
        int loaded;    /* the seccomp_data offset the accumulator holds here, or -1 */
};

static size_t emit(struct builder *b, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
        if (b->counting)
                return b->n++;
        if (b->n == b->cap) {
                size_t cap = b->cap ? b->cap * 2 : 256;
                struct sock_filter *v = realloc(b->insns, cap * sizeof(*v));
                if (!v) {
                        b->error = -ENOMEM;
                        return b->n;
                }
                b->insns = v;
                b->cap = cap;
        }
        b->insns[b->n] = (struct sock_filter){code, jt, jf, k};
        return b->n++;
}

#define LD(b, off)          emit((b), BPF_LD | BPF_W | BPF_ABS, 0, 0, (off))
#define RET(b, v)           emit((b), BPF_RET | BPF_K, 0, 0, (v))
#define AND(b, m)           emit((b), BPF_ALU | BPF_AND | BPF_K, 0, 0, (m))
#define JMP(b, op, k, t, f) emit((b), BPF_JMP | (op) | BPF_K, (t), (f), (k))

/* Jumps to the end of the rule, patched once its length is known. */
struct fail_fixups {
        size_t at[6 * 3];
        bool jt[6 * 3];
        size_t n;
};

static void fail_jump(struct fail_fixups *f, size_t insn, bool jt)
{
        f->at[f->n] = insn;
        f->jt[f->n] = jt;
        f->n++;
}

/* Code for one condition: falls through when it holds, jumps to the rule's end when not. */
static void emit_cond(struct builder *b, const struct seccomp_arg_cond *c, struct fail_fixups *f)
{
        uint32_t v_lo = (uint32_t)c->value, v_hi = (uint32_t)(c->value >> 32);
        uint32_t m_lo = (uint32_t)c->mask, m_hi = (uint32_t)(c->mask >> 32);
        unsigned i = c->index;

        switch (c->op) {
        case SECCOMP_CMP_NONE:
                break;
        case SECCOMP_CMP_EQ_KIND:
                LD(b, ARG_HI(i));
                fail_jump(f, JMP(b, BPF_JEQ, v_hi, 0, 0), false);
                LD(b, ARG_LO(i));
                fail_jump(f, JMP(b, BPF_JEQ, v_lo, 0, 0), false);
                break;
        case SECCOMP_CMP_NE_KIND:
                LD(b, ARG_HI(i));
                JMP(b, BPF_JEQ, v_hi, 0, 2);
                LD(b, ARG_LO(i));
                fail_jump(f, JMP(b, BPF_JEQ, v_lo, 0, 0), true);
                break;
        case SECCOMP_CMP_MASKED_EQ_KIND:
                if (m_hi != 0 || v_hi != 0) {
                        LD(b, ARG_HI(i));
                        AND(b, m_hi);
                        fail_jump(f, JMP(b, BPF_JEQ, v_hi, 0, 0), false);
                }
                LD(b, ARG_LO(i));
                if (m_lo != 0xffffffffU)
                        AND(b, m_lo);
                fail_jump(f, JMP(b, BPF_JEQ, v_lo, 0, 0), false);
                break;
        case SECCOMP_CMP_GT_KIND:
        case SECCOMP_CMP_GE_KIND:
                LD(b, ARG_HI(i));
                JMP(b, BPF_JGT, v_hi, 3, 0);
                fail_jump(f, JMP(b, BPF_JEQ, v_hi, 0, 0), false);
                LD(b, ARG_LO(i));
                fail_jump(f, JMP(b, c->op == SECCOMP_CMP_GT_KIND ? BPF_JGT : BPF_JGE, v_lo, 0, 0),
                          false);
                break;
        case SECCOMP_CMP_LT_KIND:
        case SECCOMP_CMP_LE_KIND:
                LD(b, ARG_HI(i));
                fail_jump(f, JMP(b, BPF_JGT, v_hi, 0, 0), true);
                JMP(b, BPF_JEQ, v_hi, 0, 2);
                LD(b, ARG_LO(i));
                fail_jump(f, JMP(b, c->op == SECCOMP_CMP_LT_KIND ? BPF_JGE : BPF_JGT, v_lo, 0, 0),
                          true);
                break;
        }
}

/* "if every condition holds, return value". */
static void emit_rule(struct builder *b, const struct seccomp_rule *r, uint32_t value)
{
        struct fail_fixups f = {.n = 0};
        size_t end;

        b->loaded = -1; /* its failing tests leave different words loaded */
        for (unsigned i = 0; i < r->n_conds; i++)
                emit_cond(b, &r->conds[i], &f);
        RET(b, value);
        if (b->error < 0 || b->counting)
                return;
        end = b->n;
        for (size_t i = 0; i < f.n; i++) {
                size_t off = end - f.at[i] - 1;
                if (off > 255) {
                        b->error = -E2BIG;
                        return;
                }
                if (f.jt[i])
                        b->insns[f.at[i]].jt = (uint8_t)off;
                else
                        b->insns[f.at[i]].jf = (uint8_t)off;
        }
}

struct nr_plan {
        bool simple;    /* a constant answer: the kernel's action cache holds it */
        uint32_t value; /* for simple */
};

static struct nr_plan plan_nr(const struct nr_rules *e, bool with_notify, uint32_t fallback)
{
        struct nr_plan plan = {.simple = true, .value = fallback};

        if (with_notify && e->n_notify > 0) {
                for (size_t i = 0; i < e->n_notify; i++)
                        if (e->notify[i]->n_conds == 0)
                                return (struct nr_plan){true, SECCOMP_RET_USER_NOTIF};
                plan.simple = false;
        }
        for (size_t i = 0; i < e->n_shadow; i++)
                if (e->shadow[i]->n_conds > 0)
                        plan.simple = false;
        if (e->n_shadow > 0 && e->shadow[0]->n_conds == 0)
                plan.value = rule_value(e->shadow[0]);
        return plan;
}

/* Whether the rule's one condition is "this bit of an argument's low half is set" (a masked
 * equality with value == mask, one bit): the namespace-flag rules. */
static bool bit_rule(const struct seccomp_rule *r, unsigned *ret_index, uint32_t *ret_bit)
{
        const struct seccomp_arg_cond *c = &r->conds[0];

        if (r->n_conds != 1 || c->op != SECCOMP_CMP_MASKED_EQ_KIND || c->value != c->mask ||
            c->mask == 0 || c->mask > UINT32_MAX || (c->mask & (c->mask - 1)) != 0)
                return false;
        *ret_index = c->index;
        *ret_bit = (uint32_t)c->mask;
        return true;
}

/* Rules shadow[*i - 1], shadow[*i - 2]... while each tests one bit of the same argument and
 * returns the same value: tested in that order they return the value when any of the bits is
 * set, which is one JSET. The argument stays loaded on the way out (b->loaded). */
static void emit_bit_rules(struct builder *b, const struct nr_rules *e, size_t *i)
{
        const struct seccomp_rule *first = e->shadow[*i - 1];
        uint32_t value = rule_value(first), bits = 0, bit;
        unsigned index, other;

        bit_rule(first, &index, &bit);
        while (*i > 0 && bit_rule(e->shadow[*i - 1], &other, &bit) && other == index &&
               rule_value(e->shadow[*i - 1]) == value) {
                bits |= bit;
                (*i)--;
        }
        if (b->loaded != (int)ARG_LO(index))
                LD(b, ARG_LO(index));
        JMP(b, BPF_JSET, bits, 0, 1);
        RET(b, value);
        b->loaded = (int)ARG_LO(index);
}

static void emit_nr_block(struct builder *b, const struct nr_rules *e, bool with_notify,
                          uint32_t fallback, bool merge_bit_tests)
{
        struct nr_plan plan = plan_nr(e, with_notify, fallback);
        unsigned index;
        uint32_t bit;

        b->loaded = -1;
        if (with_notify)
                for (size_t i = 0; i < e->n_notify; i++)
                        emit_rule(b, e->notify[i], SECCOMP_RET_USER_NOTIF);
        /* the last matching rule decides: test the latest first */
        for (size_t i = e->n_shadow; i > 0;) {
                const struct seccomp_rule *r = e->shadow[i - 1];

                if (merge_bit_tests && bit_rule(r, &index, &bit))
                        emit_bit_rules(b, e, &i);
                else {
                        if (r->n_conds > 0)
                                emit_rule(b, r, rule_value(r));
                        i--;
                }
        }
        RET(b, plan.value);
}

struct nr_range {
        uint32_t lo; /* first syscall number of the range */
        bool simple;
        uint32_t value;
        int nr; /* the one number of a range with conditions */
};

/* A jump from the tree to the shared return of a simple range, patched by emit_returns(). */
struct return_jump {
        size_t at;
        bool jt;
        uint32_t value;
};

struct compiler {
        const struct resolver *res;
        bool with_notify;
        uint32_t named_default;
        struct nr_range *ranges;
        size_t n_ranges;
        /* The simple ranges jump to one return per value after the tree instead of each having
         * its own, and runs of one-bit tests are one JSET: a third of the instructions, and
         * the kernel's time to check, convert and JIT a filter grows with their number (see
         * seccomp_layout). */
        bool shared_returns, merge_bit_tests;
        struct return_jump *jumps;
        size_t n_jumps, cap_jumps;
};

static void return_jump(struct builder *b, struct compiler *c, size_t at, bool jt, uint32_t value)
{
        if (b->counting || b->error < 0)
                return;
        if (c->n_jumps == c->cap_jumps) {
                size_t cap = c->cap_jumps ? c->cap_jumps * 2 : 64;
                struct return_jump *v = realloc(c->jumps, cap * sizeof(*v));
                if (!v) {
                        b->error = -ENOMEM;
                        return;
                }
                c->jumps = v;
                c->cap_jumps = cap;
        }
        c->jumps[c->n_jumps++] = (struct return_jump){at, jt, value};
}

static bool shared_leaf(const struct compiler *c, size_t from, size_t to)
{
        return c->shared_returns && to - from == 1 && c->ranges[from].simple;
}

static void emit_tree(struct builder *b, struct compiler *c, size_t from, size_t to);

static size_t tree_size(struct compiler *c, size_t from, size_t to)
{
        struct builder counter = {.counting = true};

        emit_tree(&counter, c, from, to);
        return counter.n;
}

/* Ranges [from, to): "nr >= ranges[mid].lo" picks the upper half; a half that is one simple
 * range is a jump to its shared return, any other is laid out after the test. */
static void emit_tree(struct builder *b, struct compiler *c, size_t from, size_t to)
{
        if (to - from == 1) {
                const struct nr_range *r = &c->ranges[from];
                if (r->simple)
                        RET(b, r->value);
                else
                        emit_nr_block(b, &c->res->by_nr[r->nr], c->with_notify, c->named_default,
                                      c->merge_bit_tests);
                return;
        }
        size_t mid = from + (to - from) / 2;
        uint32_t lo = c->ranges[mid].lo;
        bool lower_shared = shared_leaf(c, from, mid), upper_shared = shared_leaf(c, mid, to);

        if (lower_shared || upper_shared) {
                size_t at = JMP(b, BPF_JGE, lo, 0, 0);
                if (upper_shared)
                        return_jump(b, c, at, true, c->ranges[mid].value);
                if (lower_shared)
                        return_jump(b, c, at, false, c->ranges[from].value);
                if (!lower_shared)
                        emit_tree(b, c, from, mid);
                if (!upper_shared)
                        emit_tree(b, c, mid, to);
                return;
        }
        size_t lower = tree_size(c, from, mid);
        if (lower <= 255)
                JMP(b, BPF_JGE, lo, (uint8_t)lower, 0);
        else { /* too far for a conditional jump: over a long one */
                JMP(b, BPF_JGE, lo, 0, 1);
                emit(b, BPF_JMP | BPF_JA, 0, 0, (uint32_t)lower);
        }
        emit_tree(b, c, from, mid);
        emit_tree(b, c, mid, to);
}

/* The shared returns, one per value in order of first use, and the jumps to them. -E2BIG when
 * one is out of a conditional jump's reach. */
static int emit_returns(struct builder *b, const struct compiler *c)
{
        uint32_t values[64];
        size_t at[64], n = 0;

        for (size_t i = 0; i < c->n_jumps; i++) {
                const struct return_jump *j = &c->jumps[i];
                size_t k = 0;

                while (k < n && values[k] != j->value)
                        k++;
                if (k == n) {
                        if (n == ELEMENTSOF(values))
                                return -E2BIG;
                        values[n] = j->value;
                        at[n++] = RET(b, j->value);
                        if (b->error < 0)
                                return b->error;
                }
                size_t off = at[k] - j->at - 1;
                if (off > 255)
                        return -E2BIG;
                if (j->jt)
                        b->insns[j->at].jt = (uint8_t)off;
                else
                        b->insns[j->at].jf = (uint8_t)off;
        }
        return 0;
}

static int plan_ranges(struct compiler *c)
{
        int max = c->res->max_nr;

        c->ranges = calloc(max + 2, sizeof(*c->ranges));
        if (!c->ranges)
                return -ENOMEM;
        for (int nr = 0; nr <= max + 1; nr++) {
                struct nr_range r = {.lo = (uint32_t)nr, .simple = true, .nr = nr};
                if (nr > max || !syscall_known(nr))
                        r.value = SECCOMP_RET_ERRNO | ENOSYS;
                else {
                        struct nr_plan plan =
                                plan_nr(&c->res->by_nr[nr], c->with_notify, c->named_default);
                        r.simple = plan.simple;
                        r.value = plan.value;
                }
                struct nr_range *last = c->n_ranges ? &c->ranges[c->n_ranges - 1] : NULL;
                if (last && last->simple && r.simple && last->value == r.value)
                        continue;
                c->ranges[c->n_ranges++] = r;
        }
        return 0;
}

static int emit_program(struct builder *b, struct compiler *c)
{
        LD(b, offsetof(struct seccomp_data, arch));
        JMP(b, BPF_JEQ, SECCOMP_NATIVE_AUDIT_ARCH, 1, 0);
        RET(b, SECCOMP_RET_KILL_PROCESS);
        LD(b, offsetof(struct seccomp_data, nr));
#ifdef X32_SYSCALL_BIT
        /* x32 calls are the native ones with a high bit: refused. -1 is what tracers use to
         * skip a call; it is no syscall at all. */
        JMP(b, BPF_JGE, X32_SYSCALL_BIT, 0, 3);
        JMP(b, BPF_JEQ, 0xffffffffU, 0, 1);
        RET(b, SECCOMP_RET_ERRNO | ENOSYS);
        RET(b, SECCOMP_RET_KILL_PROCESS);
#endif
        emit_tree(b, c, 0, c->n_ranges);
        if (b->error < 0)
                return b->error;
        if (c->shared_returns)
                return emit_returns(b, c);
        return 0;
}

static int compile(const struct resolver *res, uint32_t named_default, bool with_notify,
                   enum seccomp_layout layout, struct sock_filter **ret, size_t *ret_n)
{
        struct compiler c = {
                .res = res,
                .with_notify = with_notify,
                .named_default = named_default,
                .shared_returns = layout == SECCOMP_LAYOUT_COMPACT,
                .merge_bit_tests = layout == SECCOMP_LAYOUT_COMPACT,
        };
        struct builder b = {0};
        int r;

        r = plan_ranges(&c);
        if (r < 0)
                return r;
        r = emit_program(&b, &c);
        if (r == -E2BIG && c.shared_returns) {
                /* a return out of reach of a jump to it: a return per range */
                free(b.insns);
                b = (struct builder){0};
                c.shared_returns = false;
                c.n_jumps = 0;
                r = emit_program(&b, &c);
        }
        free(c.ranges);
        free(c.jumps);
        if (r >= 0 && b.n > BPF_MAXINSNS)
                r = -E2BIG;
        if (r < 0) {
                free(b.insns);
                return r;
        }
        *ret = b.insns;
        *ret_n = b.n;
        return 0;
}

static void summarize(const struct resolver *res, uint32_t named_default, bool allowlist,
                      struct seccomp_summary *s)
{
        *s = (struct seccomp_summary){.allowlist = allowlist};
        for (int nr = 0; nr <= res->max_nr; nr++) {
                const struct nr_rules *e = &res->by_nr[nr];
                if (!syscall_known(nr))
                        continue;
                if (e->n_notify > 0)
                        s->n_notify++;
                struct nr_plan plan = plan_nr(e, false, named_default);
                if (!plan.simple) {
                        s->n_allow_cond++;
                        continue;
                }
                switch (plan.value & SECCOMP_RET_ACTION_FULL) {
                case SECCOMP_RET_ERRNO:
                case SECCOMP_RET_TRAP:
                        s->n_errno++;
                        break;
                case SECCOMP_RET_KILL_PROCESS:
                case SECCOMP_RET_KILL_THREAD:
                        s->n_kill++;
                        break;
                case SECCOMP_RET_LOG:
                        s->n_log++;
                        break;
                }
        }
}

void seccomp_program_free(struct seccomp_program *prog)
{
        if (!prog)
                return;
        if (prog->shadow != prog->insns)
                free(prog->shadow);
        free(prog->insns);
        free(prog);
}

int seccomp_program_build_layout(const struct policy *p, enum seccomp_layout layout,
                                 struct seccomp_program **ret)
{
        _cleanup_(seccomp_program_freep) struct seccomp_program *prog = NULL;
        struct rule_set set = {0};
        struct resolver res = {0};
        uint32_t named_default;
        bool has_notify = false;
        int r;

        prog = calloc(1, sizeof(*prog));
        if (!prog)
                return -ENOMEM;
        if (p->seccomp_disabled) {
                *ret = TAKE_PTR(prog);
                return 0;
        }
        r = collect_rules(p, &set);
        if (r >= 0)
                r = resolve_rules(&set, &res);
        if (r < 0)
                goto finish;
        named_default = set.mode == SECCOMP_MODE_ALLOWLIST
                                ? SECCOMP_RET_ERRNO | (uint32_t)set.default_errno
                                : SECCOMP_RET_ALLOW;
        for (int nr = 0; nr <= res.max_nr; nr++)
                if (res.by_nr[nr].n_notify > 0)
                        has_notify = true;
        r = compile(&res, named_default, true, layout, &prog->insns, &prog->n_insns);
        if (r < 0)
                goto finish;
        if (has_notify)
                r = compile(&res, named_default, false, layout, &prog->shadow, &prog->n_shadow);
        else {
                prog->shadow = prog->insns;
                prog->n_shadow = prog->n_insns;
        }
        if (r < 0)
                goto finish;
        prog->has_notify = has_notify;
        summarize(&res, named_default, set.mode == SECCOMP_MODE_ALLOWLIST, &prog->summary);
        prog->summary.n_insns = (unsigned)prog->n_insns;
        *ret = TAKE_PTR(prog);
finish:
        resolver_done(&res);
        rule_set_done(&set);
        return r < 0 ? r : 0;
}

int seccomp_program_build_uncached(const struct policy *p, struct seccomp_program **ret)
{
        return seccomp_program_build_layout(p, SECCOMP_LAYOUT_COMPACT, ret);
}

int seccomp_policy_resolve(const struct policy *p, uint32_t *ret_default, seccomp_resolved_fn fn,
                           void *userdata)
{
        struct rule_set set = {0};
        struct resolver res = {0};
        const struct seccomp_rule **v = NULL;
        int r;

        r = collect_rules(p, &set);
        if (r >= 0)
                r = resolve_rules(&set, &res);
        if (r < 0)
                goto finish;
        *ret_default = set.mode == SECCOMP_MODE_ALLOWLIST
                               ? SECCOMP_RET_ERRNO | (uint32_t)set.default_errno
                               : SECCOMP_RET_ALLOW;
        for (int nr = 0; fn && nr <= res.max_nr && r >= 0; nr++) {
                const struct nr_rules *e = &res.by_nr[nr];
                size_t n = 0;

                if (!syscall_known(nr))
                        continue;
                free(v);
                v = calloc(e->n_shadow + 1, sizeof(*v));
                if (!v) {
                        r = -ENOMEM;
                        break;
                }
                /* shadow[0] is the unconditional base when there is one */
                if (e->n_shadow == 0 || e->shadow[0]->n_conds > 0)
                        v[n++] = NULL;
                for (size_t i = 0; i < e->n_shadow; i++)
                        v[n++] = e->shadow[i];
                r = fn(nr, (const struct seccomp_rule *const *)v, n, userdata);
        }
finish:
        free(v);
        resolver_done(&res);
        rule_set_done(&set);
        return r < 0 ? r : 0;
}

int seccomp_program_load(const struct seccomp_program *prog, int *ret_notify_fd)
{
        struct sock_fprog fprog = {
                .len = (unsigned short)prog->n_insns,
                .filter = prog->insns,
        };
        long r;

        if (prog->n_insns == 0) { /* seccomp disabled by the policy */
                *ret_notify_fd = -1;
                return 0;
        }
        if (prog->has_notify) {
                /* Once the supervisor has a notification, only a fatal signal interrupts the
                 * call (Linux 5.19): a program's own signals (Go's preemption) would otherwise
                 * restart it and be traced again, over and over. */
                r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                            SECCOMP_FILTER_FLAG_NEW_LISTENER |
                                    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
                            &fprog);
                if (r < 0 && errno == EINVAL)
                        r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                                    SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
        } else
                r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
        if (r < 0)
                return negative_errno();
        *ret_notify_fd = prog->has_notify ? (int)r : -1;
        return 0;
}

void seccomp_program_summary(const struct seccomp_program *prog, struct seccomp_summary *ret)
{
        *ret = prog->summary;
}

uint32_t seccomp_bpf_run(const struct sock_filter *f, size_t n, const struct seccomp_data *d)
{
        uint32_t ret;

        /* a program the kernel would refuse kills, as a program that loads nothing would */
        if (bpf_seccomp_eval(f, n, d, &ret) < 0)
                return SECCOMP_RET_KILL_PROCESS;
        return ret;
}

bool seccomp_bpf_valid(const struct sock_filter *f, size_t n)
{
        if (n == 0 || n > BPF_MAXINSNS || f[n - 1].code != (BPF_RET | BPF_K))
                return false;
        for (size_t pc = 0; pc < n; pc++) {
                const struct sock_filter *i = &f[pc];
                switch (i->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        if (i->k > sizeof(struct seccomp_data) - 4 || i->k % 4)
                                return false;
                        break;
                case BPF_ALU | BPF_AND | BPF_K:
                case BPF_RET | BPF_K:
                        break;
                case BPF_JMP | BPF_JA:
                        if (i->k >= n - pc - 1)
                                return false;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                case BPF_JMP | BPF_JGT | BPF_K:
                case BPF_JMP | BPF_JGE | BPF_K:
                case BPF_JMP | BPF_JSET | BPF_K:
                        if (i->jt >= n - pc - 1 || i->jf >= n - pc - 1)
                                return false;
                        break;
                default:
                        return false;
                }
        }
        return true;
}

int seccomp_program_denied_errno(const struct seccomp_program *prog, int nr, const uint64_t args[6])
{
        struct seccomp_data d = {.nr = nr, .arch = SECCOMP_NATIVE_AUDIT_ARCH};
        uint32_t v;

        if (prog->n_shadow == 0)
                return 0;
        memcpy(d.args, args, sizeof(d.args));
        v = seccomp_bpf_run(prog->shadow, prog->n_shadow, &d);
        switch (v & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_ALLOW:
        case SECCOMP_RET_LOG:
        case SECCOMP_RET_USER_NOTIF:
                return 0;
        case SECCOMP_RET_ERRNO:
                /* the kernel clamps the errno as here */
                return (v & SECCOMP_RET_DATA)
                               ? (int)((v & SECCOMP_RET_DATA) > 4095 ? 4095
                                                                     : (v & SECCOMP_RET_DATA))
                               : EPERM;
        case SECCOMP_RET_TRACE:
                return ENOSYS;
        default: /* kill, trap: the supervisor can only refuse */
                return EPERM;
        }
}
