/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "basic/macro.h"
#include "basic/options.h"

/* The policy: everything a sandbox enforces, in one struct. Profiles and command-line flags
 * both fill it through the option table in policy-options.c (flags after profiles, so flags
 * win); the launcher only reads it. */

enum net_mode {
        NET_NONE,     /* own network namespace, loopback only */
        NET_HOST,     /* the host's network namespace */
        NET_SINKHOLE, /* own namespace with fake DNS and capturing listeners (monitor) */
};

enum mount_kind {
        MOUNT_RO_BIND,
        MOUNT_BIND,
        MOUNT_DEV_BIND,
        MOUNT_TMPFS,
        MOUNT_DIR,     /* an empty directory in the new root */
        MOUNT_SYMLINK, /* src is the link target */
        MOUNT_OVERLAY, /* copy-on-write view: src lower, upper kept in a private folder */
        /* dst hidden where it is in the new root (airlock-runtime's linux.maskedPaths): an
         * empty read-only tmpfs over a folder, /dev/null over anything else, nothing where the
         * root has no dst; the host never looks dst up */
        MOUNT_MASK,
};

struct mount_entry {
        enum mount_kind kind;
        char *src; /* NULL with MOUNT_RO_BIND: dst itself, made read-only where it is */
        char *dst;
        uint64_t size; /* tmpfs size in bytes, 0 = default */
        bool optional; /* skip silently when src does not exist (--ro-bind-try) */
        /* a bind seen through an idmapped mount of the sandbox's user namespace, where root
         * and the kernel can make one (airlock-runtime's rootfs: its files of the container's
         * ids appear as theirs); else a plain bind */
        bool idmap;
};

enum seccomp_action_kind {
        SECCOMP_ACT_ALLOW_KIND,
        SECCOMP_ACT_ERRNO_KIND,  /* fail with errno_value */
        SECCOMP_ACT_KILL_KIND,   /* kill the process */
        SECCOMP_ACT_LOG_KIND,    /* allow and log */
        SECCOMP_ACT_NOTIFY_KIND, /* hand to the behaviour monitor */
        SECCOMP_ACT_TRAP_KIND,
};

enum seccomp_cmp {
        SECCOMP_CMP_NONE,
        SECCOMP_CMP_EQ_KIND,
        SECCOMP_CMP_NE_KIND,
        SECCOMP_CMP_LT_KIND,
        SECCOMP_CMP_LE_KIND,
        SECCOMP_CMP_GT_KIND,
        SECCOMP_CMP_GE_KIND,
        SECCOMP_CMP_MASKED_EQ_KIND, /* (arg & mask) == value */
};

struct seccomp_arg_cond {
        unsigned index; /* 0..5 */
        enum seccomp_cmp op;
        uint64_t value;
        uint64_t mask; /* for MASKED_EQ */
};

/* One rule: a syscall name or an @group, an action and optional argument conditions
 * (all must hold). Rules later in the list override earlier ones for the same syscall. */
struct seccomp_rule {
        char *name;
        enum seccomp_action_kind action;
        int errno_value;
        struct seccomp_arg_cond conds[6];
        unsigned n_conds;
};

enum seccomp_mode {
        SECCOMP_MODE_DENYLIST,  /* default allow, listed calls denied */
        SECCOMP_MODE_ALLOWLIST, /* default deny (errno), listed calls allowed */
};

struct rlimit_setting {
        int resource; /* RLIMIT_* */
        uint64_t soft, hard;
        bool set;
};

#define POLICY_RLIMIT_MAX   16
#define POLICY_PASS_FDS_MAX 64 /* --pass-fd, airlock-runtime's --preserve-fds */
#define POLICY_PORTS_MAX    64

#define POLICY_MAX_GROUPS 32
#define POLICY_MAX_RANGES 16

/* The five capability sets of a process, one bit per CAP_* number. */
struct cap_sets {
        uint64_t bounding, effective, permitted, inheritable, ambient;
};

/* One line of a user namespace's uid_map or gid_map. */
struct id_range {
        uint32_t inside, outside, count;
};

/* airlock-runtime's linux.resources beyond memory_max, pids_max and cpus, written to the
 * sandbox's own cgroup only (src/resources/cgroup-v1.c, cgroup-v2.c). A field counts when
 * its POLICY_CG_* bit is in .set; the names are the OCI specification's. */
enum {
        POLICY_CG_CPU_SHARES = 1u << 0,
        POLICY_CG_CPU_PERIOD = 1u << 1,
        POLICY_CG_CPU_QUOTA = 1u << 2,
        POLICY_CG_CPU_RT_PERIOD = 1u << 3,
        POLICY_CG_CPU_RT_RUNTIME = 1u << 4,
        POLICY_CG_CPUS = 1u << 5,
        POLICY_CG_MEMS = 1u << 6,
        POLICY_CG_MEMORY_RESERVATION = 1u << 7,
        POLICY_CG_MEMORY_SWAP = 1u << 8,
        POLICY_CG_MEMORY_SWAPPINESS = 1u << 9,
        POLICY_CG_MEMORY_NO_OOM_KILLER = 1u << 10,
        POLICY_CG_MEMORY_KERNEL = 1u << 11,
        POLICY_CG_MEMORY_KERNEL_TCP = 1u << 12,
        POLICY_CG_DEVICES = 1u << 13,
};

/* One rule of the device cgroup (OCI's linux.resources.devices), applied in order: the last
 * rule that matches a device decides. */
struct policy_device_rule {
        bool allow;
        char type;      /* 'a' (any), 'c' or 'b' */
        int32_t major;  /* -1: any */
        int32_t minor;  /* -1: any */
        char access[4]; /* some of "rwm" */
};

struct policy_cgroup_settings {
        unsigned set;
        uint64_t cpu_shares;
        uint64_t cpu_period_usec;
        int64_t cpu_quota_usec; /* -1: no quota */
        uint64_t cpu_rt_period_usec;
        int64_t cpu_rt_runtime_usec; /* -1: no limit */
        char *cpus, *mems;           /* cpuset lists, "0-3,5" */
        int64_t memory_reservation;  /* bytes, -1: none */
        int64_t memory_swap;         /* memory + swap in bytes (OCI's meaning), -1: unlimited */
        uint64_t memory_swappiness;  /* 0-100 */
        int64_t memory_kernel, memory_kernel_tcp; /* bytes, -1: unlimited */
        /* POLICY_CG_DEVICES: the device cgroup's rules, everything denied before the first */
        struct policy_device_rule *devices;
        size_t n_devices;
};

struct policy {
        char *profile_name;     /* the profile named with -p, for the report */
        char **profiles_loaded; /* every file that contributed, in order */

        /* identity and namespaces */
        uid_t uid; /* host uid the program runs as when airlock is root; default 65534 */
        gid_t gid;
        bool uid_set;
        /* supplementary groups (airlock-runtime's additionalGids): root only, each mapped to
         * the same gid outside */
        gid_t groups[POLICY_MAX_GROUPS];
        unsigned n_groups;
        /* the user namespace's maps when not the one id airlock maps (airlock-runtime's
         * linux.uidMappings/gidMappings); uid and gid are then the ids inside */
        struct id_range uid_ranges[POLICY_MAX_RANGES], gid_ranges[POLICY_MAX_RANGES];
        unsigned n_uid_ranges, n_gid_ranges;
        /* started by root, the program's ids inside when they differ from uid and gid (which
         * are then the ids outside): airlock-runtime's container root, uid 0 in its user
         * namespace mapped to 65534 */
        bool ids_inside_set;
        uid_t uid_inside;
        gid_t gid_inside;
        /* airlock-runtime's model (rootless podman's): the program holds caps in its own user
         * namespace instead of none, and no_new_privs is set only when no_new_privs says so;
         * Landlock and seccomp are loaded while it still holds CAP_SYS_ADMIN there. Never set
         * by airlock run, which drops every capability and always sets no_new_privs. */
        bool container_caps;
        struct cap_sets caps;
        bool no_new_privs; /* default true */
        char *hostname;    /* default "airlock" */
        enum net_mode net;
        /* the caller's ipc and uts namespaces are kept, not made (airlock-runtime joined one
         * by path); with keep_uts_ns the host name is not set */
        bool keep_ipc_ns, keep_uts_ns;
        bool keep_cgroup_ns; /* the same for the cgroup namespace */
        /* airlock-runtime joined a user or pid namespace by path: no new one is made, the
         * sandbox runs in the caller's (maps as that namespace has them) */
        bool keep_user_ns, keep_pid_ns;
        /* with join_mount_ns, the sandbox's init joins the mount namespace mount_ns_fd (an
         * fd of the caller's, kept open) instead of making one, and builds its root there */
        bool join_mount_ns;
        int mount_ns_fd;
        /* TCP ports Landlock lets the program bind and connect to (ABI 4 and later). When
         * either list is set, TCP bind and connect to any other port are refused whatever
         * the net setting; under net none they are refused anyway unless listed. */
        uint16_t tcp_bind[POLICY_PORTS_MAX];
        size_t n_tcp_bind;
        uint16_t tcp_connect[POLICY_PORTS_MAX];
        size_t n_tcp_connect;
        bool share_ipc;    /* never by default */
        bool share_pid;    /* never by default */
        bool allow_userns; /* let the program create nested user namespaces */

        /* file system */
        struct mount_entry *mounts;
        size_t n_mounts;
        bool mount_defaults; /* the standard read-only /usr, /etc subset, /proc, /dev, /tmp */
        bool mount_mqueue;   /* a POSIX message queue file system at /dev/mqueue */
        /* airlock-runtime: the bind whose destination is / is the new root itself (the OCI
         * rootfs, written where the container writes /), not a bind in airlock's read-only
         * tmpfs root; mount points missing in it are made there, following no link */
        bool root_bind;
        /* host folders a sandbox writes that no read-write bind names (airlock-runtime's
         * rootfs, whose top-level entries are bound one by one): links below them are never
         * followed (profile_untrusted_folders()) */
        char **untrusted_folders;
        char *chdir;
        char *home; /* HOME inside, default /home/sandbox */
        char *app;  /* --app: HOME and overlays persist in the application's folder */

        /* process */
        char **env;       /* NAME=VALUE list, added to the clean default environment */
        char **env_unset; /* names removed from the defaults */
        int *pass_fds;    /* at most POLICY_PASS_FDS_MAX */
        size_t n_pass_fds;
        bool new_session; /* setsid(): no controlling terminal (default true) */
        bool pty;         /* give the program its own pseudo-terminal */
        bool die_with_parent;

        /* seccomp */
        enum seccomp_mode seccomp_mode;
        struct seccomp_rule *seccomp_rules;
        size_t n_seccomp_rules;
        int seccomp_default_errno; /* for allow-list mode, default EPERM */
        char *seccomp_json;        /* a Docker/OCI JSON profile to import */
        bool seccomp_disabled;     /* only for debugging, never in shipped profiles */

        /* Landlock */
        bool landlock_disabled;
        char **require; /* "landlock", "cgroup", ...: fail when it cannot be enforced */

        /* resources (0 = unlimited / unset) */
        uint64_t memory_max;
        uint64_t pids_max;
        /* the sandbox's cgroup at this path (airlock-runtime's linux.cgroupsPath) instead of
         * airlock-PID-START: relative to airlock's own cgroup, or absolute in the hierarchy;
         * it must not exist, and without a cgroup there the run fails */
        char *cgroup_path;
        double cpus;
        struct policy_cgroup_settings cgroup_settings;
        uint64_t timeout_usec;
        uint64_t tmpfs_size; /* default size of /tmp and other tmpfs */
        /* without a cgroup, limit memory with RLIMIT_DATA instead of RLIMIT_AS: browsers
         * reserve terabytes of address space they never use (docs/resources.md) */
        bool memory_rlimit_data;
        struct rlimit_setting rlimits[POLICY_RLIMIT_MAX];

        /* monitoring and reporting */
        char *report_path;
        bool trace;
        /* the monitor is told of execs only: the sinkhole, canaries and file changes without a
         * round trip per open, send or socket call (--trace-exec-only) */
        bool trace_exec_only;
        bool complain; /* refuse no syscall: record what the filter would refuse (--complain) */

        /* the program */
        char **argv;
};

/* Allocates a policy with the secure defaults. Returns 0 or -ENOMEM. */
int policy_new(struct policy **ret);
void policy_free(struct policy *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct policy *, policy_free)

/* Appends a mount. Takes copies of src and dst. Returns 0 or -ENOMEM. */
int policy_add_mount(struct policy *p, enum mount_kind kind, const char *src, const char *dst);
/* Appends a seccomp rule (copied). Returns 0 or -ENOMEM. */
int policy_add_seccomp_rule(struct policy *p, const struct seccomp_rule *rule);

/* Checks the merged policy for contradictions (a destination that is not absolute, ...).
 * Returns 0, or a negative errno after logging what is wrong. */
int policy_validate(const struct policy *p);

/* The option table shared by "airlock run" and the profile language. */
extern const struct option_def policy_options[];
extern const size_t policy_options_count;
