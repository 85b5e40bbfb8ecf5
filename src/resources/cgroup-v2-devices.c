/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The device cgroup on cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program attached to the
 * container's cgroup, built as runc and crun build theirs. The kernel hands the program
 * struct bpf_cgroup_dev_ctx (access_type: the access in its upper 16 bits, the type in its
 * lower 16; major; minor) and lets the access through when it returns 1. The rules are
 * compiled last first, each a block that jumps to the next one when a field differs and
 * returns its verdict when all match, so that the last matching rule decides; what no rule
 * matches is denied. A block with no condition (a whole-table rule) ends the program: the
 * verifier refuses code that cannot be reached. */
#include <linux/bpf.h>
#include <sys/syscall.h>

#include "basic/log.h"
#include "cgroup-internal.h"

#define INSN(c, d, s, o, i) \
        ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, s, o)      INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define ALU32_IMM(op, d, i) INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, i)
#define MOV32_REG(d, s)     INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define JNE_IMM(d, i, o)    INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define JNE_REG(d, s, o)    INSN(BPF_JMP | BPF_JNE | BPF_X, d, s, o, 0)
#define EXIT()              INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* registers after the prologue: R2 type, R3 access, R4 major, R5 minor */
enum { R0, R1, R2, R3, R4, R5 };

static unsigned access_bits(const char *access)
{
        unsigned bits = 0;

        for (const char *c = access; *c; c++)
                bits |= *c == 'r'   ? BPF_DEVCG_ACC_READ
                        : *c == 'w' ? BPF_DEVCG_ACC_WRITE
                                    : BPF_DEVCG_ACC_MKNOD;
        return bits;
}

/* One rule's block in out (room for 8). Returns how many instructions, and whether the block
 * has no condition. */
static size_t rule_block(const struct policy_device_rule *d, struct bpf_insn *out,
                         bool *ret_unconditional)
{
        unsigned access = access_bits(d->access);
        const unsigned all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
        size_t n = 0, jumps[4], n_jumps = 0;

        if (d->type != 'a') {
                jumps[n_jumps++] = n;
                out[n++] =
                        JNE_IMM(R2, d->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, 0);
        }
        if (access != all) {
                /* every bit asked for is one the rule names: (access & rule) == access */
                out[n++] = MOV32_REG(R1, R3);
                out[n++] = ALU32_IMM(BPF_AND, R1, (int32_t)access);
                jumps[n_jumps++] = n;
                out[n++] = JNE_REG(R1, R3, 0);
        }
        if (d->major >= 0) {
                jumps[n_jumps++] = n;
                out[n++] = JNE_IMM(R4, d->major, 0);
        }
        if (d->minor >= 0) {
                jumps[n_jumps++] = n;
                out[n++] = JNE_IMM(R5, d->minor, 0);
        }
        out[n++] = INSN(BPF_ALU | BPF_MOV | BPF_K, R0, 0, 0, d->allow ? 1 : 0);
        out[n++] = EXIT();
        /* a failed condition goes to the first instruction after this block */
        for (size_t j = 0; j < n_jumps; j++)
                out[jumps[j]].off = (int16_t)(n - jumps[j] - 1);
        *ret_unconditional = n_jumps == 0;
        return n;
}

int cgroup_v2_device_program(const struct policy_device_rule *rules, size_t n,
                             struct bpf_insn *insns, size_t max)
{
        const struct bpf_insn prologue[] = {
                LDX_W(R2, R1, 0), ALU32_IMM(BPF_AND, R2, 0xffff), /* type */
                LDX_W(R3, R1, 0), ALU32_IMM(BPF_RSH, R3, 16),     /* access */
                LDX_W(R4, R1, 4),                                 /* major */
                LDX_W(R5, R1, 8),                                 /* minor */
        };
        size_t k = ELEMENTSOF(prologue);
        bool unconditional = false;

        if (max < k + 2)
                return -E2BIG;
        memcpy(insns, prologue, sizeof(prologue));
        for (size_t i = n; i-- > 0 && !unconditional;) {
                struct bpf_insn block[8];
                size_t len = rule_block(&rules[i], block, &unconditional);

                if (k + len + 2 > max)
                        return -E2BIG;
                memcpy(insns + k, block, len * sizeof(*block));
                k += len;
        }
        if (!unconditional) {
                insns[k++] = INSN(BPF_ALU | BPF_MOV | BPF_K, R0, 0, 0, 0);
                insns[k++] = EXIT();
        }
        return (int)k;
}

int cgroup_v2_device_attach(int cgroup_fd, const struct policy_device_rule *rules, size_t n)
{
        size_t max = 6 + 8 * n + 2;
        _cleanup_free_ struct bpf_insn *insns = calloc(max, sizeof(*insns));
        _cleanup_close_ int prog = -1;
        union bpf_attr load = {0}, attach = {0};
        int len;

        if (!insns)
                return -ENOMEM;
        len = cgroup_v2_device_program(rules, n, insns, max);
        if (len < 0)
                return len;
        load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        load.insns = (uint64_t)(uintptr_t)insns;
        load.insn_cnt = (uint32_t)len;
        load.license = (uint64_t)(uintptr_t) "LGPL";
        prog = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
        if (prog < 0)
                return negative_errno();
        /* the programs of the cgroups above still run: each must let an access through */
        attach.target_fd = (uint32_t)cgroup_fd;
        attach.attach_bpf_fd = (uint32_t)prog;
        attach.attach_type = BPF_CGROUP_DEVICE;
        attach.attach_flags = BPF_F_ALLOW_MULTI;
        if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof(attach)) < 0)
                return negative_errno();
        return 0;
}
