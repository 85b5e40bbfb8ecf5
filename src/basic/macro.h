/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f)   __attribute__((cleanup(f)))
#define _unused_       __attribute__((unused))
#define _noreturn_     __attribute__((noreturn))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _likely_(x)    (__builtin_expect(!!(x), 1))
#define _unlikely_(x)  (__builtin_expect(!!(x), 0))

/* Built with AddressSanitizer (gcc or clang): LeakSanitizer checks at exit, and the address
 * space it reserves counts in RLIMIT_AS. */
#if defined(__SANITIZE_ADDRESS__)
#define AIRLOCK_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AIRLOCK_SANITIZED 1
#endif
#endif

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

#define streq(a, b)        (strcmp((a), (b)) == 0)
#define strneq(a, b, n)    (strncmp((a), (b), (n)) == 0)
#define streq_ptr(a, b)    ((a) && (b) ? streq((a), (b)) : (a) == (b))
#define startswith(s, pre) (strncmp((s), (pre), strlen(pre)) == 0)

/* Move ownership out of a variable that has a cleanup attribute. */
#define TAKE_PTR(p)                      \
        ({                               \
                typeof(p) _take_p = (p); \
                (p) = NULL;              \
                _take_p;                 \
        })
#define TAKE_FD(fd)                  \
        ({                           \
                int _take_fd = (fd); \
                (fd) = -1;           \
                _take_fd;            \
        })

static inline void freep(void *p)
{
        free(*(void **)p);
}
#define _cleanup_free_ _cleanup_(freep)

/* free() that returns NULL, to reset the pointer in the same statement. */
static inline void *mfree(void *p)
{
        free(p);
        return NULL;
}

/* close() that keeps errno, for cleanup paths. Returns -1 so it can reset a variable. */
static inline int safe_close(int fd)
{
        if (fd >= 0) {
                int saved = errno;
                close(fd);
                errno = saved;
        }
        return -1;
}
static inline void closep(int *fd)
{
        safe_close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

static inline void fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Define foop() calling foo() on a non-NULL pointer, for _cleanup_(foop). */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func) \
        static inline void func##p(type *p)     \
        {                                       \
                if (*p)                         \
                        func(*p);               \
        }

/* errno as a negative value, never 0: for returning after a failed libc call. */
static inline int negative_errno(void)
{
        return errno > 0 ? -errno : -EIO;
}

/* Free a NULL-terminated vector of strings. */
void strv_free(char **v);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free)
#define _cleanup_strv_free_ _cleanup_(strv_freep)
