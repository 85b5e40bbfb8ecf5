/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

#include "policy.h"

/* The profile language (airlock-profile(5)): a version line "airlock-profile 1" first, then one
 * directive a line. Every directive is an option of the run option table (policy-options.c),
 * so "ro-bind /a /b" in a profile and "--ro-bind /a /b" on the command line do the same. */

#define PROFILE_VERSION      1
#define PROFILE_MAX_DEPTH    8         /* include nesting */
#define PROFILE_MAX_LINE     4096      /* bytes in one line */
#define PROFILE_MAX_SIZE     (1 << 20) /* bytes in one file */
#define PROFILE_SUFFIX       ".profile"
#define PROFILE_SANDBOX_HOME "/home/sandbox"

/* Loads the profile NAME (searched in the profile path) or PATH (contains a '/') with its
 * includes into p, applying each directive through the option table. Command-line flags are
 * applied after it, so they win. Returns 0, or a negative errno after logging
 * "FILE:LINE:COL: what is wrong". */
int profile_load_into(struct policy *p, const char *name_or_path);

/* Parses profile text held in memory (filename is used in messages and for relative includes).
 * Returns 0, or a negative errno after logging where and what is wrong. */
int profile_load_string(struct policy *p, const char *text, size_t size, const char *filename);

/* Applies "include NAME|PATH" on behalf of the option table: inside a profile it is searched
 * relative to the including file first and checked for cycles and depth; on the command line
 * (--include) it loads like -p. Returns 0 or a negative errno (logged). */
int profile_include(struct policy *p, const char *name_or_path);

/* Where a profile came from, by the search path. */
enum profile_origin {
        PROFILE_ORIGIN_PATH,   /* named by a path */
        PROFILE_ORIGIN_USER,   /* ~/.config/airlock/profiles */
        PROFILE_ORIGIN_SYSTEM, /* /etc/airlock/profiles */
        PROFILE_ORIGIN_SHIPPED /* installed with airlock (data_path("profiles")) */
};
const char *profile_origin_to_string(enum profile_origin o);

/* The search folders, in order, NULL-terminated, with their origins. Returns 0 or -ENOMEM;
 * free with strv_free(). */
int profile_search_dirs(char ***ret_dirs, enum profile_origin **ret_origins);

/* Finds NAME.profile in the search path (or takes a PATH). Returns 0 and the path, or -ENOENT. */
int profile_find(const char *name_or_path, char **ret_path, enum profile_origin *ret_origin);

/* Writes the policy in profile syntax, every setting explicit, so that loading the output
 * yields the same policy. Returns 0 or a negative errno. */
int profile_write(FILE *f, const struct policy *p);

/* The directive names profile_write() knows; a directive missing from this list would be lost
 * by "profile show" (the unit test checks the option table against it). NULL-terminated. */
extern const char *const profile_written_directives[];

/* Value of a profile variable (HOME, DOWNLOADS, RUNTIME_DIR, APP, CWD, SANDBOX_HOME) for the
 * profile being loaded. Returns 0 and a new string, -ENOENT for an unknown name. */
int profile_variable(const char *name, const char *app, char **ret);
/* ${APP} from here on (the app directive and --app). Returns 0 or -ENOMEM. */
int profile_set_app(const char *name);

/* Length of the UTF-8 sequence at s (1 to 4), or 0 when it is not valid UTF-8. */
size_t profile_utf8_length(const unsigned char *s, size_t left);

/* The folder of the profile file being loaded (for paths relative to it). Returns 0 and a new
 * string, or -ENOENT outside a profile (on the command line). */
int profile_current_dir(char **ret);
