/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared between cgroup.c and its back ends (and the unit test); not a contract. */

#include "cgroup.h"

#define CGROUP_NAME_PREFIX "airlock-"
#define CGROUP_DIRS_MAX    8

/* v1 controllers a hierarchy carries (bits of cgroup_dir.controllers) */
enum {
        CG_CTRL_MEMORY = 1u << 0,
        CG_CTRL_PIDS = 1u << 1,
        CG_CTRL_CPU = 1u << 2,
        CG_CTRL_CPUACCT = 1u << 3,
        CG_CTRL_FREEZER = 1u << 4,
        CG_CTRL_CPUSET = 1u << 5,
        CG_CTRL_DEVICES = 1u << 6,
};

struct cgroup_dir {
        char *path; /* the sandbox's cgroup directory */
        int fd;     /* O_DIRECTORY fd of path */
        unsigned controllers;
};

struct cgroup_backend;

struct cgroup {
        const struct cgroup_backend *backend;
        char *name;
        struct cgroup_dir dirs[CGROUP_DIRS_MAX]; /* v2: one; v1: one per hierarchy */
        size_t n_dirs;
        unsigned enforced; /* CGROUP_LIMIT_* */
        int event_fd;      /* cgroup_event_fd(), or -1 */

        /* v2 in a cgroup made for airlock (see cgroup-v2.c): what to undo at the end */
        char *v2_own;        /* airlock's own cgroup, whose subtree_control we set */
        char *v2_leaf;       /* the leaf airlock moved itself into */
        char v2_disable[48]; /* "-memory -pids -cpu -cpuset": restores subtree_control */
};

struct cgroup_backend {
        const char *name;
        /* Its cgroup is made before clone(), which places the child in it
         * (CLONE_INTO_CGROUP); the others' are made after (cgroup_setup_after_clone()). */
        bool at_clone;
        /* Creates cg's directories and applies the limits; -EOPNOTSUPP/-EACCES: not usable. */
        int (*setup)(struct cgroup *cg, const struct policy *p);
        int (*clone_fd)(const struct cgroup *cg);
        int (*attach)(struct cgroup *cg, pid_t pid);
        /* Opens the fds of cgroup_open_join() (optional member). */
        int (*open_join)(const struct cgroup *cg, int *ret_fds, size_t max);
        int (*kill)(struct cgroup *cg);
        int (*read_stats)(struct cgroup *cg, struct cgroup_stats *ret);
        bool (*populated)(struct cgroup *cg);
        /* Registers cg->event_fd, if the back end has one (optional member). */
        int (*watch)(struct cgroup *cg);
        /* Undoes what setup changed outside cg's own directories, after they are removed
         * (optional member). */
        void (*release)(struct cgroup *cg);
        /* Removes stale airlock-* cgroups of dead owners beneath airlock's own cgroup. */
        int (*cleanup_stale)(void);
};

extern const struct cgroup_backend cgroup_v2_backend;
extern const struct cgroup_backend cgroup_v1_backend;

/* How cgroup directories are made and removed; the v2 layout test replaces these with
 * functions that lay out (and remove) the files the kernel would create. */
extern int (*cgroup_mkdirat)(int dirfd, const char *name);
extern int (*cgroup_rmdirat)(int dirfd, const char *name);

/* The v2 back end with an explicit parent cgroup directory (the layout test uses this). */
int cgroup_v2_setup_at(const char *parent, const struct policy *p, struct cgroup **ret);
int cgroup_v2_cleanup_stale_at(const char *parent);

/* helpers in cgroup.c */
/* The mount point and mount root of the hierarchy of controller ("memory"..., or "" for
 * cgroup2) in mountinfo, the text of /proc/self/mountinfo, which it changes (each line is
 * split in place: sscanf() cost some 5 us a line here, and a v1 set-up looks up each of its
 * hierarchies, some twenty lines each). Returns 0 with both strings allocated, -ENOENT, or
 * -ENOMEM. */
int cgroup_mountinfo_find(char *mountinfo, const char *controller, char **ret_mnt, char **ret_root);
/* "airlock-<pid>-<starttime>" for this process. Returns 0 or -ENOMEM. */
int cgroup_make_name(char **ret);
/* True when name is an airlock cgroup whose owner process is gone. */
bool cgroup_name_is_stale(const char *name);
/* Calls fn(pfd, name, userdata) for each folder in pfd (an O_RDONLY folder fd) whose name is a
 * stale cgroup of ours, reading pfd itself with getdents64(): a run ends with this sweep in
 * every hierarchy, and opendir() costs five more system calls each time. Returns how many
 * calls of fn returned > 0. */
int cgroup_for_each_stale(int pfd, int (*fn)(int pfd, const char *name, void *userdata),
                          void *userdata);
/* The path of this process's cgroup in hierarchy (controller "memory" ..., or "" for v2) as
 * listed in /proc/self/cgroup, and the mount point of that hierarchy. Returns 0, -ENOENT. */
int cgroup_find_own(const char *controller, char **ret_dir);
/* The mount point of the hierarchy of controller ("" for v2). Returns 0, -ENOENT. */
int cgroup_hierarchy_mount(const char *controller, char **ret_mnt);
/* The directory of the cgroup at path (policy.cgroup_path) in the hierarchy of controller ("" for
 * v2): beneath this process's own cgroup when relative, from the hierarchy's root when
 * absolute. Returns 0, -EPERM when an absolute path lies outside the part of the hierarchy
 * this process sees, -ENOENT without the hierarchy. */
int cgroup_named_dir(const char *controller, const char *path, char **ret_dir);
/* Makes dir (from cgroup_named_dir()) and its missing parents; dir itself must not exist
 * (-EEXIST). Returns 0 or a negative errno. */
int cgroup_make_named(const char *dir);
/* Reads a file of a cgroup directory into a NUL-terminated buffer. */
int cgroup_read_at(int dirfd, const char *file, char **ret);
/* Reads one unsigned number ("max" reads as UINT64_MAX). */
int cgroup_read_u64_at(int dirfd, const char *file, uint64_t *ret);
/* The value of "KEY N" in a flat keyed file such as memory.events. */
int cgroup_read_key_at(int dirfd, const char *file, const char *key, uint64_t *ret);
/* The values of several keys of one flat keyed file, read once: values[i] for keys[i], left
 * alone for a key the file lacks. Returns how many were found, or a negative errno. */
int cgroup_read_keys_at(int dirfd, const char *file, const char *const *keys, uint64_t *values,
                        size_t n_keys);
int cgroup_write_at(int dirfd, const char *file, const char *value);
int cgroup_write_u64_at(int dirfd, const char *file, uint64_t value);
/* Removes a cgroup directory, retrying while the kernel still reports it busy. */
int cgroup_remove_dir(const char *path);
/* Sends SIGKILL to every pid listed in dirfd's cgroup.procs; returns how many. */
int cgroup_kill_listed(int dirfd);
/* Records why a setting of policy.cgroup_settings cannot be honoured (cgroup_setup_failure():
 * "linux.resources.<name of bit>: <cause>", the cause with strerror(-error) for %m) and
 * returns error. */
int cgroup_fail_setting(unsigned bit, int error, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Writes a signed number ("-1" is how v1 says unlimited). */
int cgroup_write_i64_at(int dirfd, const char *file, int64_t value);
/* The settings of p that a v2 cgroup holds, in the files and units of v2 (as runc and crun map
 * them). cpu.weight from cpu.shares: 0 when shares is 0 (unset). */
uint64_t cgroup_v2_cpu_weight(uint64_t shares);
/* memory.swap.max from OCI's memory.swap (memory + swap) and memory.limit (0: unset): -1 for
 * "max". Returns 0, or -EINVAL when swap is below the limit or set without one. */
int cgroup_v2_swap_max(int64_t swap, uint64_t limit, int64_t *ret);
/* One rule of the device cgroup as v1's devices.allow and devices.deny take it ("a", "c 1:3 rwm",
 * "b *:* m"), in buf of size n; type 'a' with a number or part of the access is written by the
 * caller as a 'c' and a 'b' rule (type given apart). Returns the file to write it to. */
const char *cgroup_v1_device_line(const struct policy_device_rule *d, char type, char *buf,
                                  size_t n);
/* The BPF_PROG_TYPE_CGROUP_DEVICE program of rules (v2, as runc and crun build it): the last
 * rule that matches decides, nothing matched is denied. Returns the number of instructions
 * written to insns (of room max), -E2BIG when they do not fit. */
struct bpf_insn;
int cgroup_v2_device_program(const struct policy_device_rule *rules, size_t n,
                             struct bpf_insn *insns, size_t max);
/* Loads that program and attaches it to the cgroup folder cgroup_fd (BPF_CGROUP_DEVICE, with
 * the programs above it kept). Returns 0 or -errno. */
int cgroup_v2_device_attach(int cgroup_fd, const struct policy_device_rule *rules, size_t n);
/* Frees cg and closes its fds (does not remove anything). */
void cgroup_free(struct cgroup *cg);
