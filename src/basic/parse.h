/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

/* Each returns 0 and stores the value, or -EINVAL / -ERANGE leaving *ret untouched. */
int parse_uint64(const char *s, uint64_t *ret);
int parse_int(const char *s, int *ret);
/* "512", "64K", "512M", "2G", "1.5G" (binary units, optional trailing "B" or "iB"). */
int parse_size(const char *s, uint64_t *ret);
/* "10", "1.5", "500ms", "2s", "3m", "1h" into microseconds. */
int parse_duration_usec(const char *s, uint64_t *ret);
/* A non-negative decimal such as "0.5" or "2". */
int parse_double(const char *s, double *ret);
