/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* Called once per message found: name is "FILE", "MBOX:N" (1-based) or "MAILDIR/cur/NAME".
 * Return 0 to go on, anything else to stop (the value is passed back). */
typedef int (*mailbox_message_fn)(const char *name, const char *data, size_t size, void *userdata);

/* Reads path as a single RFC 5322 message, an mbox file (first line "From "), a Maildir
 * (a folder with cur/ or new/) or any other folder (each regular file in it is a message);
 * "-" is standard input. Files larger than max_size (0: 1 GiB) are an error. Returns 0, fn's
 * non-zero value, or a negative errno (after which nothing more is read). */
int mailbox_foreach(const char *path, size_t max_size, mailbox_message_fn fn, void *userdata);

/* Splits an mbox held in memory at its "From " lines. Returns as mailbox_foreach(). */
int mailbox_split_mbox(const char *name, const char *data, size_t size, mailbox_message_fn fn,
                       void *userdata);
