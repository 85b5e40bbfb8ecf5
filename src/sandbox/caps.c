/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "basic/fileio.h"
#include "basic/macro.h"
#include "caps.h"

static int capset_sets(uint64_t permitted, uint64_t effective, uint64_t inheritable)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct data[2] = {
                {.effective = (uint32_t)effective,
                 .permitted = (uint32_t)permitted,
                 .inheritable = (uint32_t)inheritable},
                {.effective = (uint32_t)(effective >> 32),
                 .permitted = (uint32_t)(permitted >> 32),
                 .inheritable = (uint32_t)(inheritable >> 32)},
        };

        return syscall(SYS_capset, &hdr, data) < 0 ? negative_errno() : 0;
}

int caps_drop_all(void)
{
        /* Root inside (uid 0) gets no capabilities from exec, and nothing may change that. */
        if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
                                             SECBIT_NO_SETUID_FIXUP_LOCKED |
                                             SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
                                             SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED) < 0)
                return negative_errno();
        for (unsigned long cap = 0; cap <= 63; cap++)
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
                        if (errno == EINVAL)
                                break; /* past this kernel's last capability */
                        return negative_errno();
                }
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return negative_errno();
        return capset_sets(0, 0, 0);
}

int caps_last_cap(void)
{
        _cleanup_free_ char *text = NULL;
        long last;

        if (read_full_file("/proc/sys/kernel/cap_last_cap", &text, NULL, 32) < 0)
                return CAP_LAST_CAP;
        last = strtol(text, NULL, 10);
        return last > 0 && last < 64 ? (int)last : CAP_LAST_CAP;
}

int caps_apply_before_filters(const struct cap_sets *s)
{
        const uint64_t sys_admin = UINT64_C(1) << CAP_SYS_ADMIN;
        int last = caps_last_cap(), r;

        for (int cap = 0; cap <= last; cap++)
                if (!(s->bounding & (UINT64_C(1) << cap)) &&
                    prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0, 0, 0) < 0)
                        return negative_errno();
        r = capset_sets(s->permitted | sys_admin, s->effective | sys_admin, s->inheritable);
        if (r < 0)
                return r;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
                return negative_errno();
        for (int cap = 0; cap <= last; cap++)
                if ((s->ambient & (UINT64_C(1) << cap)) &&
                    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)cap, 0, 0) < 0)
                        return negative_errno();
        return 0;
}

int caps_apply_final(const struct cap_sets *s)
{
        return capset_sets(s->permitted, s->effective, s->inheritable);
}
