/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* NULL-terminated string vectors; a NULL vector is an empty one. strv_free() is in macro.h. */
size_t strv_length(char *const *v);
/* Append s (taking ownership). Returns 0 or -ENOMEM (s is not freed then). */
int strv_push(char ***v, char *s);
/* Append a copy of s. Returns 0 or -ENOMEM. */
int strv_extend(char ***v, const char *s);
bool strv_contains(char *const *v, const char *s);
