/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "basic/log.h"
#include "report.h"

int report_write_run(const char *path, const struct policy *p, const struct launcher_result *res)
{
        (void)path;
        (void)p;
        (void)res;
        return 0;
}
