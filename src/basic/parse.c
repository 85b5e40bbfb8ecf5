/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <limits.h>
#include <math.h>

#include "macro.h"
#include "parse.h"

int parse_uint64(const char *s, uint64_t *ret)
{
        char *end;
        unsigned long long v;

        if (!s || !isdigit((unsigned char)s[0]))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno == ERANGE)
                return -ERANGE;
        if (*end != 0)
                return -EINVAL;
        *ret = v;
        return 0;
}

int parse_int(const char *s, int *ret)
{
        char *end;
        long v;

        if (!s || !*s || isspace((unsigned char)s[0]))
                return -EINVAL;
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
                return -ERANGE;
        if (*end != 0)
                return -EINVAL;
        *ret = (int)v;
        return 0;
}

int parse_double(const char *s, double *ret)
{
        char *end;
        double v;

        if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
                return -EINVAL;
        errno = 0;
        v = strtod(s, &end);
        if (errno == ERANGE || !isfinite(v))
                return -ERANGE;
        if (*end != 0 || v < 0)
                return -EINVAL;
        *ret = v;
        return 0;
}

static int split_number(const char *s, double *ret_value, const char **ret_suffix)
{
        char *end;
        double v;

        if (!s || !(isdigit((unsigned char)s[0]) || s[0] == '.'))
                return -EINVAL;
        errno = 0;
        v = strtod(s, &end);
        if (errno == ERANGE || !isfinite(v) || v < 0)
                return -ERANGE;
        if (end == s)
                return -EINVAL;
        *ret_value = v;
        *ret_suffix = end;
        return 0;
}

int parse_size(const char *s, uint64_t *ret)
{
        static const struct {
                const char *suffix;
                uint64_t factor;
        } units[] = {
                {"", 1},
                {"B", 1},
                {"K", 1ULL << 10},
                {"KB", 1ULL << 10},
                {"KiB", 1ULL << 10},
                {"k", 1ULL << 10},
                {"M", 1ULL << 20},
                {"MB", 1ULL << 20},
                {"MiB", 1ULL << 20},
                {"G", 1ULL << 30},
                {"GB", 1ULL << 30},
                {"GiB", 1ULL << 30},
                {"T", 1ULL << 40},
                {"TB", 1ULL << 40},
                {"TiB", 1ULL << 40},
        };
        const char *suffix;
        double v;
        int r;

        r = split_number(s, &v, &suffix);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                if (streq(suffix, units[i].suffix)) {
                        double bytes = v * (double)units[i].factor;

                        if (bytes >= 18446744073709551615.0)
                                return -ERANGE;
                        *ret = (uint64_t)bytes;
                        return 0;
                }
        return -EINVAL;
}

int parse_duration_usec(const char *s, uint64_t *ret)
{
        static const struct {
                const char *suffix;
                double factor;
        } units[] = {
                {"", 1e6},   {"s", 1e6},    {"ms", 1e3},   {"us", 1},
                {"m", 60e6}, {"min", 60e6}, {"h", 3600e6},
        };
        const char *suffix;
        double v;
        int r;

        r = split_number(s, &v, &suffix);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                if (streq(suffix, units[i].suffix)) {
                        double us = v * units[i].factor;

                        if (us >= 9.2e18)
                                return -ERANGE;
                        *ret = (uint64_t)us;
                        return 0;
                }
        return -EINVAL;
}
