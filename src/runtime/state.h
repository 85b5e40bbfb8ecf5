/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* A container's state folder, ROOT/ID: state.json (what "state" prints, less the status,
 * which is computed), exec.fifo while the container waits to be started, and exit (its
 * status) once it ended. The folder belongs to the runtime; no container can write it. */

enum oci_status {
        OCI_CREATING,
        OCI_CREATED,
        OCI_RUNNING,
        OCI_STOPPED,
};

struct oci_state {
        char *id;
        char *dir; /* ROOT/ID */
        char *bundle;
        char *annotations_json;
        pid_t pid;                     /* the container's init, 0 before it exists */
        unsigned long long start_time; /* of pid, /proc/PID/stat field 22: against pid reuse */
        long long created_ns;          /* CLOCK_REALTIME */
        pid_t init;                    /* the sandbox's pid 1 (what exec joins), 0 unknown */
        unsigned long long init_start_time;
};

/* The root folder: the option, or /run/airlock-runtime for root, or
 * $XDG_RUNTIME_DIR/airlock-runtime. Made (0700) when missing. Returns 0 or a negative errno
 * after logging. */
int oci_root(const char *option, char **ret);
/* Whether id may name a container (letters, digits, "_", "-", "."; not "." first). */
bool oci_id_valid(const char *id);

/* Makes ROOT/ID; -EEXIST when a container of that name exists. */
int oci_state_create(const char *root, const char *id, char **ret_dir);
/* Writes state.json (atomically). Returns 0 or a negative errno. */
int oci_state_save(const struct oci_state *s);
/* Reads ROOT/ID/state.json. Returns 0, -ENOENT when there is no such container, or another
 * negative errno. */
int oci_state_load(const char *root, const char *id, struct oci_state *ret);
void oci_state_done(struct oci_state *s);
/* The status, from whether the init still lives and whether exec.fifo is still there. */
enum oci_status oci_state_status(const struct oci_state *s);
const char *oci_status_name(enum oci_status st);
/* The OCI state JSON (ociVersion, id, status, pid, bundle, annotations, created). The caller
 * frees it. */
char *oci_state_json(const struct oci_state *s);
/* The same with the status given (what a hook is told). */
char *oci_state_json_as(const struct oci_state *s, enum oci_status st);
/* The start time of pid (clock ticks since boot), 0 when it does not exist. */
unsigned long long oci_pid_start_time(pid_t pid);
/* A pidfd of the first child of init (the container's program), -1 when there is none. */
int oci_program_pidfd(pid_t init);
/* Removes the state folder and what is in it. Returns 0 or a negative errno. */
int oci_state_remove(const struct oci_state *s);
/* Appends pid (and its start time) to STATE_DIR/execs: a process exec started, which ps lists
 * with its descendants. Returns 0 or a negative errno. */
int oci_state_add_exec(const struct oci_state *s, pid_t pid);
/* The live processes of the container: the keeper, the processes exec started, and all their
 * descendants, sorted. The caller frees *ret. Returns the number or a negative errno. */
int oci_state_pids(const struct oci_state *s, pid_t **ret);
/* Writes s to path, made or truncated (mode 0600 when made), never through a link. Returns 0
 * or a negative errno. */
int oci_write_file(const char *path, const char *s);
