/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Shared between the monitor's modules; not part of its interface. */

#include <stdint.h>
#include <sys/types.h>

#include "monitor.h"

enum trace_kind {
        TK_EXEC,
        TK_OPEN,
        TK_CONNECT, /* connect, sendto, sendmsg: an address */
        TK_BIND,
        TK_LISTEN,
        TK_SOCKET,
        TK_UNLINK,
        TK_RENAME,
        TK_CHMOD,
        TK_MKNOD,
        TK_PTRACE,
        TK_KILL,
        TK_MOUNT,
        TK_NAMESPACE, /* unshare, setns */
        TK_CLONE,
        TK_MEMFD,
        TK_MODULE,
        TK_BPF,
        TK_SETID,
};

/* How to find the arguments of one syscall of the trace set. Index -1: absent. */
struct trace_syscall {
        const char *name;
        enum trace_kind kind;
        int nr;        /* native number, -1 when this architecture lacks it */
        int dirfd_arg; /* for *at calls */
        int path_arg;
        int path2_dirfd_arg;
        int path2_arg;
        int flags_arg;
        int mode_arg;
        int argv_arg;
};

const struct trace_syscall *trace_syscall_by_nr(int nr);

/* The clone flags that make a namespace: CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER,
 * NEWPID, NEWNET and NEWTIME. trace-set.c notifies clone only for these. */
#define MONITOR_NAMESPACE_FLAGS 0x7E020080ULL

enum severity {
        SEV_INFO,
        SEV_LOW,
        SEV_MEDIUM,
        SEV_HIGH,
};
const char *severity_to_string(enum severity s);
int severity_from_string(const char *s);

struct monitor_event {
        uint64_t time_usec; /* since monitor_attach */
        pid_t pid;          /* host */
        pid_t pid_ns;       /* inside the sandbox's pid namespace */
        pid_t ppid;         /* host */
        const struct trace_syscall *sc;
        char *exe;
        char *path;  /* absolute where it could be resolved */
        char *path2; /* rename target */
        char **argv;
        uint64_t flags;
        uint64_t mode;
        int64_t num[3]; /* socket family/type/protocol, kill pid/sig, ptrace request/pid ... */
        char *addr;     /* "1.2.3.4", "::1", "/path", "@abstract" */
        int port;       /* -1 when none */
        bool denied;
        int error;      /* errno answered when denied */
        int would_deny; /* --complain: the errno the policy would have answered, else 0 */
        bool canary;
        bool missing; /* an exec of a path that did not exist in the sandbox when called */
};

struct monitor_process {
        pid_t pid, pid_ns, ppid;
        char *exe;
        char **argv; /* of its last execve */
        uint64_t first_usec;
        bool exe_stale; /* re-read after an execve */
};

enum change_kind {
        CHANGE_CREATED,
        CHANGE_MODIFIED,
        CHANGE_DELETED,
};

struct file_change {
        enum change_kind kind;
        char *path; /* as the program saw it */
        char *type; /* "regular", "directory", "symlink", ... plus the sniffed content type */
        char *link_target;
        uint64_t size;
        uint32_t mode;
        char sha256[65]; /* empty when not hashed (deleted, not regular, too large) */
};

struct file_state {
        char *rel; /* relative to the area */
        mode_t mode;
        uint64_t size, ino;
        struct timespec mtime, ctime;
};

struct fs_area {
        char *inside; /* path in the sandbox */
        int fd;       /* O_PATH to its root, kept across the namespace's end */
        struct file_state *before;
        size_t n_before;
        bool truncated;
};

struct net_record {
        uint64_t time_usec;
        char *kind; /* "dns", "http", "tls", "tcp", "udp" */
        char *name; /* DNS name, HTTP Host, TLS SNI */
        char *url;  /* HTTP request line */
        char *addr; /* destination */
        int port;
        char *bytes; /* first bytes, printable-escaped */
};

struct finding {
        char *rule;
        enum severity severity;
        const char *attack[3];
        char *description;
        char *evidence;
};

#define MONITOR_MAX_EVENTS 50000

struct monitor {
        int notify_fd;
        pid_t child;
        int root_fd; /* /proc/CHILD/root, O_PATH */
        bool use_proc_root;
        uint64_t start_usec;
        void *notif_buf, *resp_buf;
        size_t notif_size, resp_size;

        struct seccomp_program *policy_prog; /* for monitor_use_policy() */
        bool complain;                       /* answer every call, count the refusals */
        struct complaint {
                int nr;
                int error;
                uint64_t count;
                bool has_arg0; /* socket, personality: one entry per first argument */
                uint64_t arg0;
        } * complaints;
        size_t n_complaints;
        monitor_deny_fn deny;
        void *deny_userdata;

        char *home;      /* as the program sees it */
        char *home_host; /* when set: plant canaries here directly (standalone runner) */
        bool canaries;
        int canary_fan_fd;                /* fanotify group watching the decoys' inodes, or -1 */
        struct canary_mark *canary_marks; /* canary.c: the identity of each planted decoy */
        size_t n_canary_marks;
        bool sinkhole;
        bool exec_only;  /* --trace-exec-only: the events are execs only */
        char **writable; /* paths inside, read from the policy */

        struct monitor_event *events;
        size_t n_events, cap_events;
        uint64_t n_notifications, n_dropped;

        struct monitor_process *procs;
        size_t n_procs, cap_procs;

        struct fs_area *areas;
        size_t n_areas;
        struct file_change *changes;
        size_t n_changes, cap_changes;

        struct net_record *net;
        size_t n_net, cap_net;
        pid_t sinkhole_pid;
        int sinkhole_fd; /* reads net records from the sinkhole helper */

        struct finding *findings;
        size_t n_findings, cap_findings;
        bool finished;
};

uint64_t monitor_now_usec(void);
/* Grows *array (of n elements of size sz, capacity *cap) for one more. Returns 0 or -ENOMEM. */
int grow_array(void **array, size_t *cap, size_t n, size_t sz);

void monitor_policy_free(struct monitor *m);

/* decode.c: reading the target's memory. Each returns 0 or a negative errno. */
int target_read(pid_t pid, uint64_t addr, void *buf, size_t n);
int target_read_string(pid_t pid, uint64_t addr, char **ret);
int target_read_argv(pid_t pid, uint64_t addr, char ***ret);
/* An absolute path for (dirfd, path) as the target sees it. */
int target_resolve_path(pid_t pid, int64_t dirfd, const char *path, char **ret);
int sockaddr_decode(const void *sa, size_t len, char **ret_addr, int *ret_port, int *ret_family);
const char *family_to_string(int family);

/* events.c */
int monitor_record_notification(struct monitor *m, pid_t pid, int nr, const uint64_t args[6],
                                struct monitor_event *ret);
void monitor_event_done(struct monitor_event *e);
struct monitor_process *monitor_process_get(struct monitor *m, pid_t pid);
struct json_object *monitor_event_to_json(const struct monitor_event *e);
struct json_object *monitor_process_tree_to_json(const struct monitor *m);

/* files.c */
int fs_area_open(struct monitor *m, const char *inside);
int fs_area_snapshot(struct fs_area *a);
int fs_area_diff(struct monitor *m, struct fs_area *a);
void fs_area_done(struct fs_area *a);
void file_change_done(struct file_change *c);
const char *sniff_type(const uint8_t *buf, size_t n);
struct json_object *file_change_to_json(const struct file_change *c);

/* canary.c */
int canaries_plant(struct monitor *m);
/* True when path (absolute, inside) is one of the canaries; *ret_attack gets its technique. */
bool canary_match(const struct monitor *m, const char *path, const char **ret_attack);
/* Calls fn for each decoy some process other than ours opened, by whatever name, link or
 * handle: the kernel reports the open of the decoy's inode. rel: below the home. */
void canaries_opened(struct monitor *m,
                     void (*fn)(struct monitor *m, const char *rel, const char *attack, pid_t pid));
void canaries_done(struct monitor *m);

/* rules.c */
int monitor_run_rules(struct monitor *m);
void finding_done(struct finding *f);
struct json_object *finding_to_json(const struct finding *f);

/* sinkhole.c */
int sinkhole_start(struct monitor *m);
int sinkhole_collect(struct monitor *m);
void net_record_done(struct net_record *r);
struct json_object *net_record_to_json(const struct net_record *r);
