/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/xattr.h>

#include "basic/escape.h"
#include "basic/macro.h"
#include "basic/sha256.h"
#include "basic/strv.h"
#include "endpoint/endpoint.h"

bool endpoint_is_partial_name(const char *name)
{
        /* Chromium, Firefox, Safari and Edge, wget --continue, GIO and rsync temporaries. */
        static const char *const suffixes[] = {".crdownload", ".part", ".partial",   ".download",
                                               ".tmp",        ".temp", ".opdownload"};
        static const char *const prefixes[] = {".com.google.Chrome.", ".org.chromium.Chromium.",
                                               ".goutputstream-", ".airlock-"};
        size_t len = strlen(name);

        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                size_t n = strlen(suffixes[i]);
                if (len > n && strcasecmp(name + len - n, suffixes[i]) == 0)
                        return true;
        }
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++)
                if (startswith(name, prefixes[i]))
                        return true;
        return false;
}

bool endpoint_has_valid_mark(int fd)
{
        char verdict[32], stored[80], hex[65];
        ssize_t n;

        n = fgetxattr(fd, ENDPOINT_XATTR_VERDICT, verdict, sizeof(verdict) - 1);
        if (n <= 0)
                return false;
        verdict[n] = 0;
        n = fgetxattr(fd, ENDPOINT_XATTR_SHA256, stored, sizeof(stored) - 1);
        if (n != 64)
                return false;
        stored[n] = 0;
        if (lseek(fd, 0, SEEK_SET) < 0 || sha256_fd(fd, UINT64_MAX, hex) < 0 ||
            lseek(fd, 0, SEEK_SET) < 0)
                return false;
        return streq(hex, stored);
}

int endpoint_mark(int fd, enum analysis_verdict v, const char *sha256)
{
        const char *s = analysis_verdict_to_string(v);

        if (!sha256 || strlen(sha256) != 64)
                return -EINVAL;
        /* The hash first: a verdict without a matching hash is no mark. */
        if (fsetxattr(fd, ENDPOINT_XATTR_SHA256, sha256, 64, 0) < 0 ||
            fsetxattr(fd, ENDPOINT_XATTR_VERDICT, s, strlen(s), 0) < 0)
                return negative_errno();
        return 0;
}

static int collect(const struct analysis_result *r, char ***rules, char ***attack)
{
        for (size_t i = 0; i < r->n_findings; i++) {
                const struct analysis_finding *f = &r->findings[i];

                if (!strv_contains(*rules, f->rule) && strv_extend(rules, f->rule) < 0)
                        return -ENOMEM;
                for (char **a = f->attack; *a; a++)
                        if (!strv_contains(*attack, *a) && strv_extend(attack, *a) < 0)
                                return -ENOMEM;
        }
        for (size_t i = 0; i < r->n_children; i++)
                if (collect(r->children[i], rules, attack) < 0)
                        return -ENOMEM;
        return 0;
}

int endpoint_collect_findings(const struct analysis_result *r, char ***ret_rules,
                              char ***ret_attack)
{
        _cleanup_strv_free_ char **rules = NULL, **attack = NULL;

        if (collect(r, &rules, &attack) < 0)
                return -ENOMEM;
        *ret_rules = TAKE_PTR(rules);
        *ret_attack = TAKE_PTR(attack);
        return 0;
}

const struct analysis_finding *endpoint_top_finding(const struct analysis_result *r)
{
        const struct analysis_finding *best = NULL;

        for (size_t i = 0; i < r->n_findings; i++)
                if (!best || r->findings[i].severity > best->severity)
                        best = &r->findings[i];
        for (size_t i = 0; i < r->n_children; i++) {
                const struct analysis_finding *f = endpoint_top_finding(r->children[i]);
                if (f && (!best || f->severity > best->severity))
                        best = f;
        }
        return best;
}

void endpoint_print_escaped(FILE *f, const char *s)
{
        fputs_escaped(f, s);
}
