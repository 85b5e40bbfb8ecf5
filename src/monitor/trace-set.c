/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The trace set: which syscalls the monitor is notified of, and where their arguments are. */
#include <sched.h>
#include <seccomp.h>
#include <sys/syscall.h>

#include "basic/strv.h"
#include "monitor-internal.h"
#include "policy/syscall-groups.h"
#include "sandbox/seccomp.h"
#include "policy/policy.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif

#define NA -1
/* name, kind, nr, dirfd, path, path2 dirfd, path2, flags, mode, argv */
#define SC(n, k, d, p, d2, p2, f, mo, av)               \
        {                                               \
#n, k, SYS_##n, d, p, d2, p2, f, mo, av \
        }

static const struct trace_syscall trace_set[] = {
        SC(execve, TK_EXEC, NA, 0, NA, NA, NA, NA, 1),
        SC(execveat, TK_EXEC, 0, 1, NA, NA, 4, NA, 2),
#ifdef SYS_open
        SC(open, TK_OPEN, NA, 0, NA, NA, 1, 2, NA),
#endif
        SC(openat, TK_OPEN, 0, 1, NA, NA, 2, 3, NA),
        SC(openat2, TK_OPEN, 0, 1, NA, NA, NA, NA, NA), /* flags read from struct open_how */
#ifdef SYS_creat
        SC(creat, TK_OPEN, NA, 0, NA, NA, NA, 1, NA),
#endif
        SC(connect, TK_CONNECT, NA, NA, NA, NA, NA, NA, NA),
        SC(sendto, TK_CONNECT, NA, NA, NA, NA, 3, NA, NA),
        SC(sendmsg, TK_CONNECT, NA, NA, NA, NA, 2, NA, NA),
        SC(bind, TK_BIND, NA, NA, NA, NA, NA, NA, NA),
        SC(listen, TK_LISTEN, NA, NA, NA, NA, NA, NA, NA),
        SC(socket, TK_SOCKET, NA, NA, NA, NA, NA, NA, NA),
#ifdef SYS_unlink
        SC(unlink, TK_UNLINK, NA, 0, NA, NA, NA, NA, NA),
#endif
        SC(unlinkat, TK_UNLINK, 0, 1, NA, NA, 2, NA, NA),
#ifdef SYS_rename
        SC(rename, TK_RENAME, NA, 0, NA, 1, NA, NA, NA),
#endif
        SC(renameat, TK_RENAME, 0, 1, 2, 3, NA, NA, NA),
        SC(renameat2, TK_RENAME, 0, 1, 2, 3, 4, NA, NA),
#ifdef SYS_chmod
        SC(chmod, TK_CHMOD, NA, 0, NA, NA, NA, 1, NA),
#endif
        SC(fchmod, TK_CHMOD, NA, NA, NA, NA, NA, 1, NA), /* path from /proc/PID/fd */
        SC(fchmodat, TK_CHMOD, 0, 1, NA, NA, NA, 2, NA),
        SC(fchmodat2, TK_CHMOD, 0, 1, NA, NA, 3, 2, NA),
#ifdef SYS_mknod
        SC(mknod, TK_MKNOD, NA, 0, NA, NA, NA, 1, NA),
#endif
        SC(mknodat, TK_MKNOD, 0, 1, NA, NA, NA, 2, NA),
        SC(ptrace, TK_PTRACE, NA, NA, NA, NA, NA, NA, NA),
        SC(kill, TK_KILL, NA, NA, NA, NA, NA, NA, NA),
        SC(tkill, TK_KILL, NA, NA, NA, NA, NA, NA, NA),
        SC(tgkill, TK_KILL, NA, NA, NA, NA, NA, NA, NA),
        SC(mount, TK_MOUNT, NA, 1, NA, NA, 3, NA, NA),
        SC(umount2, TK_MOUNT, NA, 0, NA, NA, 1, NA, NA),
        SC(pivot_root, TK_MOUNT, NA, 0, NA, 1, NA, NA, NA),
        SC(fsopen, TK_MOUNT, NA, 0, NA, NA, 1, NA, NA),
        SC(fsmount, TK_MOUNT, NA, NA, NA, NA, 1, NA, NA),
        SC(move_mount, TK_MOUNT, 0, 1, 2, 3, 4, NA, NA),
        SC(open_tree, TK_MOUNT, 0, 1, NA, NA, 2, NA, NA),
        SC(mount_setattr, TK_MOUNT, 0, 1, NA, NA, 2, NA, NA),
        SC(unshare, TK_NAMESPACE, NA, NA, NA, NA, 0, NA, NA),
        SC(setns, TK_NAMESPACE, NA, NA, NA, NA, 1, NA, NA),
        SC(clone, TK_CLONE, NA, NA, NA, NA, 0, NA, NA),
        SC(clone3, TK_CLONE, NA, NA, NA, NA, NA, NA, NA), /* flags read from struct clone_args */
        SC(memfd_create, TK_MEMFD, NA, 0, NA, NA, 1, NA, NA),
        SC(init_module, TK_MODULE, NA, NA, NA, NA, NA, NA, NA),
        SC(finit_module, TK_MODULE, NA, NA, NA, NA, 2, NA, NA),
        SC(delete_module, TK_MODULE, NA, 0, NA, NA, 1, NA, NA),
        SC(bpf, TK_BPF, NA, NA, NA, NA, NA, NA, NA),
        SC(setuid, TK_SETID, NA, NA, NA, NA, NA, NA, NA),
        SC(setgid, TK_SETID, NA, NA, NA, NA, NA, NA, NA),
        SC(setreuid, TK_SETID, NA, NA, NA, NA, NA, NA, NA),
        SC(setregid, TK_SETID, NA, NA, NA, NA, NA, NA, NA),
        SC(setresuid, TK_SETID, NA, NA, NA, NA, NA, NA, NA),
        SC(setresgid, TK_SETID, NA, NA, NA, NA, NA, NA, NA),
        SC(setfsuid, TK_SETID, NA, NA, NA, NA, NA, NA, NA),
        SC(setfsgid, TK_SETID, NA, NA, NA, NA, NA, NA, NA),
        SC(setgroups, TK_SETID, NA, NA, NA, NA, NA, NA, NA),
};

/* Not clone3: the filter always refuses it (ENOSYS, so that libc falls back to clone, whose
 * flags it can read), and a notification would only let a signal turn pthread_create()'s
 * first try into EINTR instead of the ENOSYS libc retries on (see add_clone_trace_rules). */
static const char *const trace_names[] = {
        "execve",       "execveat",      "open",       "openat",       "openat2",
        "creat",        "connect",       "sendto",     "sendmsg",      "bind",
        "listen",       "socket",        "unlink",     "unlinkat",     "rename",
        "renameat",     "renameat2",     "chmod",      "fchmod",       "fchmodat",
        "fchmodat2",    "mknod",         "mknodat",    "ptrace",       "kill",
        "tkill",        "tgkill",        "mount",      "umount2",      "pivot_root",
        "fsopen",       "fsmount",       "move_mount", "open_tree",    "mount_setattr",
        "unshare",      "setns",         "clone",      "memfd_create", "init_module",
        "finit_module", "delete_module", "bpf",        "setuid",       "setgid",
        "setreuid",     "setregid",      "setresuid",  "setresgid",    "setfsuid",
        "setfsgid",     "setgroups",     NULL,
};

const char *const *monitor_trace_syscalls(void)
{
        return trace_names;
}

const struct trace_syscall *trace_syscall_by_nr(int nr)
{
        for (size_t i = 0; i < ELEMENTSOF(trace_set); i++)
                if (trace_set[i].nr == nr)
                        return &trace_set[i];
        return NULL;
}

struct refused {
        uint32_t def; /* set by seccomp_policy_resolve() before the first call */
        char **names;
};

static int collect_refused(int nr, const struct seccomp_rule *const *rules, size_t n,
                           void *userdata)
{
        struct refused *ctx = userdata;
        const char *name = syscall_name_of(nr);
        bool allowed = rules[0] ? rules[0]->action == SECCOMP_ACT_ALLOW_KIND ||
                                          rules[0]->action == SECCOMP_ACT_LOG_KIND
                                : ctx->def == SECCOMP_RET_ALLOW;

        /* allowed whatever the arguments: nothing to report */
        if (n == 1 && allowed)
                return 0;
        /* a name this libseccomp does not know would fail the whole build */
        if (!name || seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
                return 0;
        return strv_extend(&ctx->names, name);
}

int monitor_add_complain_rules(struct policy *p)
{
        struct refused ctx = {0};
        int r;

        /* names first: the rules are appended to the array the resolution reads */
        r = seccomp_policy_resolve(p, &ctx.def, collect_refused, &ctx);
        for (char **n = ctx.names; r >= 0 && n && *n; n++) {
                struct seccomp_rule rule = {.name = *n, .action = SECCOMP_ACT_NOTIFY_KIND};
                r = policy_add_seccomp_rule(p, &rule);
        }
        strv_free(ctx.names);
        return r < 0 ? r : 0;
}

/* clone is worth a notification only when it asks for a namespace: one rule per flag, since
 * a rule's conditions must all hold. A plain fork() goes straight to the kernel. Besides
 * saving a round trip per fork, that keeps fork() from failing with EINTR: a signal that
 * reaches a task waiting for the supervisor, before the supervisor has read the request,
 * ends the wait with -ERESTARTSYS, which a handler without SA_RESTART (dash's SIGCHLD
 * handler) turns into EINTR, where the kernel's own fork would have restarted. */
static int add_clone_trace_rules(struct policy *p)
{
        static const uint64_t monitor_namespace_flags[] = {
                CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
                CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET, CLONE_NEWTIME,
        };

        for (size_t i = 0; i < ELEMENTSOF(monitor_namespace_flags); i++) {
                struct seccomp_rule rule = {
                        .name = (char *)"clone",
                        .action = SECCOMP_ACT_NOTIFY_KIND,
                        .conds = {{.index = 0,
                                   .op = SECCOMP_CMP_MASKED_EQ_KIND,
                                   .mask = monitor_namespace_flags[i],
                                   .value = monitor_namespace_flags[i]}},
                        .n_conds = 1,
                };
                int r = policy_add_seccomp_rule(p, &rule);

                if (r < 0)
                        return r;
        }
        return 0;
}

int monitor_add_trace_rules(struct policy *p)
{
        for (size_t i = 0; trace_names[i]; i++) {
                struct seccomp_rule rule = {
                        .name = (char *)trace_names[i],
                        .action = SECCOMP_ACT_NOTIFY_KIND,
                };
                int r;

                /* A name this libseccomp does not know would fail the whole build. */
                if (seccomp_syscall_resolve_name(trace_names[i]) == __NR_SCMP_ERROR)
                        continue;
                /* the monitor needs the first execve: the program waits there while the
                 * sinkhole starts and the canaries are planted */
                if (p->trace_exec_only && !startswith(trace_names[i], "execve"))
                        continue;
                if (streq(trace_names[i], "clone"))
                        r = add_clone_trace_rules(p);
                else
                        r = policy_add_seccomp_rule(p, &rule);
                if (r < 0)
                        return r;
        }
        return 0;
}
