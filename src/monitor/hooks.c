/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Plugging the monitor into the launcher's supervisor loop and the run report. */
#include <json-c/json.h>

#include "basic/log.h"
#include "monitor-internal.h"
#include "sandbox/launcher.h"
#include "sandbox/seccomp.h"

static int on_notify_fd(void *userdata, int fd)
{
        /* The program's pid is not known yet: the first notification (its execve) names it,
         * and the rest of monitor_attach happens then, while that execve waits. */
        return monitor_attach(userdata, fd, 0);
}

static int on_notify_ready(void *userdata)
{
        int r = monitor_handle(userdata);

        if (r < 0 && getenv("AIRLOCK_MONITOR_DEBUG"))
                fprintf(stderr, "monitor_handle: %s\n", strerror(-r));

        /* A notification we could not read stays pending in the kernel, and a monitor that
         * fails must not take the sandbox down: only a broken listener stops it. */
        return r == -EBADF || r == -EINVAL ? r : 0;
}

static void on_child_exit(void *userdata, int status)
{
        (void)status;
        (void)monitor_finish(userdata);
}

void monitor_launcher_hooks(struct monitor *m, struct launcher_hooks *ret)
{
        *ret = (struct launcher_hooks){
                .userdata = m,
                .on_notify_fd = on_notify_fd,
                .on_notify_ready = on_notify_ready,
                .on_child_exit = on_child_exit,
        };
}

static int deny_by_policy(void *userdata, int nr, const uint64_t args[6])
{
        return seccomp_program_denied_errno(userdata, nr, args);
}

int monitor_use_policy(struct monitor *m, const struct policy *p)
{
        struct seccomp_program *prog = NULL;
        int r;

        if (p->seccomp_disabled)
                return 0;
        r = seccomp_program_build(p, &prog);
        if (r < 0)
                return r;
        m->policy_prog = prog;
        m->complain = p->complain;
        monitor_set_deny(m, deny_by_policy, prog);
        return 0;
}

void monitor_policy_free(struct monitor *m)
{
        seccomp_program_free(m->policy_prog);
        m->policy_prog = NULL;
}

int monitor_report_extend(void *userdata, struct json_object *report)
{
        return monitor_report(userdata, report);
}

void monitor_print_summary(const struct monitor *m, FILE *f)
{
        fprintf(f, "airlock: trace: %zu events, %zu file changes, %zu findings (highest: %s)\n",
                m->n_events, m->n_changes, m->n_findings, monitor_max_severity(m));
        for (size_t i = 0; i < m->n_findings; i++) {
                const struct finding *x = &m->findings[i];

                if (x->severity < SEV_MEDIUM)
                        continue;
                fprintf(f, "airlock: %s %s [%s%s%s]: %s: %s\n", severity_to_string(x->severity),
                        x->rule, x->attack[0] ? x->attack[0] : "", x->attack[1] ? " " : "",
                        x->attack[1] ? x->attack[1] : "", x->description,
                        x->evidence ? x->evidence : "");
        }
}
