/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* How airlock open shows a file: the shipped profile and the program for its true type (the
 * MIME type libmagic gives, never the name's extension). */

#include <stdbool.h>

struct open_handler {
        const char *kind;        /* "PDF document", "web page or image"... */
        const char *profile;     /* a shipped profile */
        const char *const *argv; /* the program; "{}" stands for the file */
};

/* Chooses the handler for mime: the first of its programs installed on this host (found in
 * $PATH). interactive: standard output is a terminal (text is then paged with less instead of
 * printed with cat). Returns 0, -EPERM for programs and libraries (airlock open never runs
 * them: that is airlock run), or -ENOENT when no program for the type is installed (*ret then
 * still names the kind and profile, with argv NULL). */
int open_choose_handler(const char *mime, bool interactive, struct open_handler *ret);

/* Whether the program name (or path) can be run: a path that is executable, or a name found
 * in $PATH. */
bool open_program_exists(const char *name);
