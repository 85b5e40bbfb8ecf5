/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The quarantine store: files judged suspicious, malicious or unscannable are moved into a
 * content-addressed folder (objects/XX/SHA256, mode 0400, never executable) and described in
 * an SQLite index (WAL, busy timeout) with their original path, owner, mode, times, extended
 * attributes, verdict and report. Any number of processes may add at the same time. */

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "analysis.h"

struct quarantine;

struct quarantine_entry {
        int64_t id;
        char *sha256;
        char *original_path;
        uint64_t size;
        uid_t uid;
        gid_t gid;
        mode_t mode;
        struct timespec atime, mtime;
        char *xattrs; /* JSON object: name -> hex value */
        char *verdict;
        unsigned score;
        char *report; /* JSON of the result */
        int64_t quarantined_at;
};

/* The store used when none is named: $AIRLOCK_QUARANTINE, else
 * $XDG_DATA_HOME/airlock/quarantine, else ~/.local/share/airlock/quarantine (where airlock
 * watch puts what it quarantines). Returns 0 or a negative errno. */
int quarantine_default_dir(char **ret);
/* As quarantine_open(), for a store that must exist already: -ENOENT when dir holds none. */
int quarantine_open_existing(const char *dir, struct quarantine **ret);
/* Opens (creating when missing) the store in dir. Returns 0 or a negative errno. */
int quarantine_open(const char *dir, struct quarantine **ret);
struct quarantine *quarantine_close(struct quarantine *q);

/* Moves the file name of the folder dirfd into the store with the verdict and report of r
 * (which may be NULL), recorded under path, and removes it: opened without following a link,
 * and removed only while that name still is the file stored. Returns 0 and the new id, or a
 * negative errno (-ESTALE when the name was replaced meanwhile; the original is then left in
 * place). */
int quarantine_add_at(struct quarantine *q, int dirfd, const char *name, const char *path,
                      const struct analysis_result *r, int64_t *ret_id);
/* The same for the file at path, whose folder is opened without following a link below a
 * folder sandboxes can write (chase.h). */
int quarantine_add_file(struct quarantine *q, const char *path, const struct analysis_result *r,
                        int64_t *ret_id);

/* Stores data held in memory (such as a mail attachment) under the name given. Returns 0 and
 * the new id, or a negative errno. */
int quarantine_add_buffer(struct quarantine *q, const char *name, const void *data, size_t size,
                          const struct analysis_result *r, int64_t *ret_id);

/* Calls cb for every entry, oldest first; stops when cb returns non-zero. Returns 0, the value
 * of cb or a negative errno. */
int quarantine_foreach(struct quarantine *q,
                       int (*cb)(const struct quarantine_entry *e, void *userdata), void *userdata);

/* Fills *ret with entry id. Returns 0, -ENOENT or a negative errno. */
int quarantine_get(struct quarantine *q, int64_t id, struct quarantine_entry *ret);
void quarantine_entry_done(struct quarantine_entry *e);

enum {
        QUARANTINE_RESTORE_FORCE = 1 << 0,           /* replace an existing file */
        QUARANTINE_RESTORE_KEEP_PRIVILEGES = 1 << 1, /* setuid/setgid, security.*, trusted.* */
};
/* Writes the file back, bit-exact, with its mode, owner (when allowed), times and extended
 * attributes, to target (NULL: its original path), then drops the entry. The setuid and
 * setgid bits and the security.* and trusted.* attributes (file capabilities...) come back
 * only with QUARANTINE_RESTORE_KEEP_PRIVILEGES. The target's folder is opened without
 * following a link below a folder sandboxes can write. Refuses to replace an existing file
 * unless QUARANTINE_RESTORE_FORCE. Returns 0 or a negative errno (-EEXIST, -ELOOP). */
int quarantine_restore(struct quarantine *q, int64_t id, const char *target, unsigned flags);

/* Drops the entry, and its object when no other entry uses it. Returns 0, -ENOENT or a
 * negative errno. */
int quarantine_delete(struct quarantine *q, int64_t id);

/* The path of the object of a hash inside the store. Returns 0 or -ENOMEM. */
int quarantine_object_path(struct quarantine *q, const char *sha256, char **ret);

static inline void quarantine_closep(struct quarantine **p)
{
        if (*p)
                quarantine_close(*p);
}
