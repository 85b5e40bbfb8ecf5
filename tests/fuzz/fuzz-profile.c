/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target of the profile parser. Any input must be either refused with an error or
 * accepted; an accepted one must round-trip: what "profile show" writes loads again and
 * writes the same text. */
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>

#include "basic/log.h"
#include "policy/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char home[] = "/tmp/fuzz-profile.XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
        (void)st;
        (void)type;
        (void)ftw;
        remove(path);
        return 0;
}

static void remove_home(void)
{
        nftw(home, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup_once(void)
{
        static bool done;

        if (done)
                return;
        done = true;
        /* "persist" makes folders below HOME: keep them in a scratch folder. */
        if (mkdtemp(home)) {
                setenv("HOME", home, 1);
                setenv("XDG_DATA_HOME", home, 1);
                atexit(remove_home);
        }
        log_set_max_level(getenv("FUZZ_VERBOSE") ? LOG_DEBUG : LOG_CRIT);
}

static void write_policy(const struct policy *p, char **ret, size_t *ret_size)
{
        FILE *f = open_memstream(ret, ret_size);

        if (!f)
                abort();
        if (profile_write(f, p) < 0)
                abort();
        fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_(policy_freep) struct policy *p = NULL, *again = NULL;
        _cleanup_free_ char *first = NULL, *second = NULL;
        size_t n1 = 0, n2 = 0;

        setup_once();
        if (policy_new(&p) < 0)
                abort();
        if (profile_load_string(p, (const char *)data, size, "fuzz.profile") < 0)
                return 0;
        write_policy(p, &first, &n1);
        if (policy_new(&again) < 0)
                abort();
        if (profile_load_string(again, first, n1, "fuzz.profile") < 0) {
                fprintf(stderr, "output of an accepted profile does not load:\n%s\n", first);
                abort();
        }
        write_policy(again, &second, &n2);
        /* The comment lines name the files loaded; includes make them differ. */
        if (strcmp(strchr(first, '\n'), strchr(second, '\n')) != 0) {
                const char *a = strstr(first, "\n\n"), *b = strstr(second, "\n\n");

                if (!a || !b || strcmp(a, b) != 0) {
                        fprintf(stderr, "round trip differs:\n%s\n----\n%s\n", first, second);
                        abort();
                }
        }
        return 0;
}
