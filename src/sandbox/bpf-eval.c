/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A classic BPF interpreter for seccomp programs read back from a process, so that `airlock
 * inspect` rates what a filter refuses rather than that one is attached. It follows the
 * checks of the kernel's bpf_check_classic() and seccomp_check_filter(): loads from
 * seccomp_data only, 32-bit and aligned; the scratch memory M[0..15]. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "bpf-eval.h"

#define BPF_MEMWORDS_SECCOMP 16

static int load_data(const struct seccomp_data *d, uint32_t k, uint32_t *ret)
{
        if (k % 4 != 0 || k + 4 > sizeof(*d))
                return -EINVAL;
        memcpy(ret, (const uint8_t *)d + k, 4);
        return 0;
}

static int alu(uint16_t op, uint32_t a, uint32_t v, uint32_t *ret)
{
        switch (op) {
        case BPF_ADD:
                *ret = a + v;
                return 0;
        case BPF_SUB:
                *ret = a - v;
                return 0;
        case BPF_MUL:
                *ret = a * v;
                return 0;
        case BPF_DIV:
                if (v == 0)
                        return -EINVAL;
                *ret = a / v;
                return 0;
        case BPF_MOD:
                if (v == 0)
                        return -EINVAL;
                *ret = a % v;
                return 0;
        case BPF_AND:
                *ret = a & v;
                return 0;
        case BPF_OR:
                *ret = a | v;
                return 0;
        case BPF_XOR:
                *ret = a ^ v;
                return 0;
        case BPF_LSH:
                *ret = v < 32 ? a << v : 0;
                return 0;
        case BPF_RSH:
                *ret = v < 32 ? a >> v : 0;
                return 0;
        case BPF_NEG:
                *ret = -a;
                return 0;
        }
        return -EINVAL;
}

static int jump(uint16_t op, uint32_t a, uint32_t v, bool *ret)
{
        switch (op) {
        case BPF_JEQ:
                *ret = a == v;
                return 0;
        case BPF_JGT:
                *ret = a > v;
                return 0;
        case BPF_JGE:
                *ret = a >= v;
                return 0;
        case BPF_JSET:
                *ret = (a & v) != 0;
                return 0;
        }
        return -EINVAL;
}

int bpf_seccomp_eval(const struct sock_filter *prog, size_t n, const struct seccomp_data *d,
                     uint32_t *ret)
{
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS_SECCOMP] = {0};

        for (size_t pc = 0; pc < n; pc++) {
                const struct sock_filter *f = &prog[pc];
                uint32_t v = BPF_SRC(f->code) == BPF_X ? x : f->k;
                bool taken;
                int r;

                switch (BPF_CLASS(f->code)) {
                case BPF_LD:
                        if (f->code == (BPF_LD | BPF_W | BPF_ABS))
                                r = load_data(d, f->k, &a);
                        else if (f->code == (BPF_LD | BPF_IMM))
                                a = f->k, r = 0;
                        else if (f->code == (BPF_LD | BPF_MEM) && f->k < BPF_MEMWORDS_SECCOMP)
                                a = mem[f->k], r = 0;
                        else if (f->code == (BPF_LD | BPF_W | BPF_LEN))
                                a = sizeof(*d), r = 0;
                        else
                                r = -EINVAL;
                        break;
                case BPF_LDX:
                        if (f->code == (BPF_LDX | BPF_IMM))
                                x = f->k, r = 0;
                        else if (f->code == (BPF_LDX | BPF_MEM) && f->k < BPF_MEMWORDS_SECCOMP)
                                x = mem[f->k], r = 0;
                        else if (f->code == (BPF_LDX | BPF_W | BPF_LEN))
                                x = sizeof(*d), r = 0;
                        else
                                r = -EINVAL;
                        break;
                case BPF_ST:
                case BPF_STX:
                        if (f->k >= BPF_MEMWORDS_SECCOMP)
                                return -EINVAL;
                        mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
                        r = 0;
                        break;
                case BPF_ALU:
                        r = alu(BPF_OP(f->code), a, v, &a);
                        break;
                case BPF_JMP:
                        if (BPF_OP(f->code) == BPF_JA) {
                                if (f->k >= n - pc - 1)
                                        return -EINVAL;
                                pc += f->k;
                                continue;
                        }
                        r = jump(BPF_OP(f->code), a, v, &taken);
                        if (r < 0)
                                return r;
                        if ((size_t)(taken ? f->jt : f->jf) >= n - pc - 1)
                                return -EINVAL;
                        pc += taken ? f->jt : f->jf;
                        continue;
                case BPF_RET:
                        *ret = BPF_RVAL(f->code) == BPF_A ? a : f->k;
                        return 0;
                case BPF_MISC:
                        if (BPF_MISCOP(f->code) == BPF_TAX)
                                x = a;
                        else
                                a = x;
                        r = 0;
                        break;
                default:
                        r = -EINVAL;
                }
                if (r < 0)
                        return r;
        }
        return -EINVAL; /* fell off the end: the kernel refuses such a program */
}

uint32_t seccomp_action_combine(uint32_t a, uint32_t b)
{
        /* the kernel compares the actions as signed numbers: the lowest wins */
        return (int32_t)(a & SECCOMP_RET_ACTION_FULL) <= (int32_t)(b & SECCOMP_RET_ACTION_FULL) ? a
                                                                                                : b;
}
