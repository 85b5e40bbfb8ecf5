/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <sys/resource.h>

#include <sys/stat.h>

#include "basic/log.h"
#include "basic/strv.h"
#include "policy.h"

/* Resource defaults (docs/resources.md): enough for ordinary programs, low enough that a fork
 * bomb or an allocation loop stops long before the host suffers. */
#define POLICY_DEFAULT_PIDS_MAX   1024
#define POLICY_DEFAULT_TMPFS_SIZE (512ull << 20)
#define POLICY_MIN_MEMORY_MAX     (256ull << 20)

/* A quarter of the machine's RAM, at least 256 MiB. */
static uint64_t default_memory_max(void)
{
        long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
        uint64_t ram = pages > 0 && page_size > 0 ? (uint64_t)pages * (uint64_t)page_size : 0;

        return ram / 4 > POLICY_MIN_MEMORY_MAX ? ram / 4 : POLICY_MIN_MEMORY_MAX;
}

int policy_new(struct policy **ret)
{
        struct policy *p = calloc(1, sizeof(*p));

        if (!p)
                return -ENOMEM;
        p->uid = 65534;
        p->gid = 65534;
        p->net = NET_NONE;
        p->mount_defaults = true;
        p->new_session = true;
        p->die_with_parent = true;
        p->seccomp_mode = SECCOMP_MODE_DENYLIST;
        p->seccomp_default_errno = EPERM;
        p->no_new_privs = true;
        p->memory_max = default_memory_max();
        p->pids_max = POLICY_DEFAULT_PIDS_MAX;
        p->tmpfs_size = POLICY_DEFAULT_TMPFS_SIZE;
        *ret = p;
        return 0;
}

void policy_free(struct policy *p)
{
        if (!p)
                return;
        free(p->profile_name);
        strv_free(p->profiles_loaded);
        free(p->hostname);
        free(p->cgroup_path);
        free(p->cgroup_settings.cpus);
        free(p->cgroup_settings.mems);
        free(p->cgroup_settings.devices);
        for (size_t i = 0; i < p->n_mounts; i++) {
                free(p->mounts[i].src);
                free(p->mounts[i].dst);
        }
        free(p->mounts);
        free(p->chdir);
        free(p->home);
        free(p->app);
        strv_free(p->env);
        strv_free(p->untrusted_folders);
        strv_free(p->env_unset);
        free(p->pass_fds);
        for (size_t i = 0; i < p->n_seccomp_rules; i++)
                free(p->seccomp_rules[i].name);
        free(p->seccomp_rules);
        free(p->seccomp_json);
        strv_free(p->require);
        free(p->report_path);
        strv_free(p->argv);
        free(p);
}

int policy_add_mount(struct policy *p, enum mount_kind kind, const char *src, const char *dst)
{
        struct mount_entry *m;
        _cleanup_free_ char *s = NULL, *d = NULL;

        if (src) {
                s = strdup(src);
                if (!s)
                        return -ENOMEM;
        }
        d = strdup(dst);
        if (!d)
                return -ENOMEM;
        m = realloc(p->mounts, (p->n_mounts + 1) * sizeof(*m));
        if (!m)
                return -ENOMEM;
        p->mounts = m;
        p->mounts[p->n_mounts++] = (struct mount_entry){
                .kind = kind,
                .src = TAKE_PTR(s),
                .dst = TAKE_PTR(d),
        };
        return 0;
}

int policy_add_seccomp_rule(struct policy *p, const struct seccomp_rule *rule)
{
        struct seccomp_rule *r;
        char *name = strdup(rule->name);

        if (!name)
                return -ENOMEM;
        r = realloc(p->seccomp_rules, (p->n_seccomp_rules + 1) * sizeof(*r));
        if (!r) {
                free(name);
                return -ENOMEM;
        }
        p->seccomp_rules = r;
        r[p->n_seccomp_rules] = *rule;
        r[p->n_seccomp_rules].name = name;
        p->n_seccomp_rules++;
        return 0;
}

int policy_validate(const struct policy *p)
{
        for (size_t i = 0; i < p->n_mounts; i++) {
                const char *dst = p->mounts[i].dst;

                if (!dst || dst[0] != '/')
                        return log_error_errno(-EINVAL,
                                               "destination '%s' is not an absolute path inside "
                                               "the sandbox",
                                               dst ?: "");
        }
        if (p->chdir && p->chdir[0] != '/')
                return log_error_errno(-EINVAL, "--chdir '%s' is not an absolute path", p->chdir);
        if (p->cpus < 0)
                return log_error_errno(-EINVAL, "--cpus must not be negative");
        for (size_t i = 0; i < p->n_pass_fds; i++) {
                struct stat st;

                /* A directory of the host is a handle outside the new root (runc's
                 * CVE-2024-21626): its entries can be listed through it, and only Landlock
                 * stops opening what lies beneath it. Allowed, since it was asked for. */
                if (fstat(p->pass_fds[i], &st) == 0 && S_ISDIR(st.st_mode))
                        log_warning("--pass-fd %d is a directory outside the sandbox: the program "
                                    "can list it%s",
                                    p->pass_fds[i],
                                    p->landlock_disabled
                                            ? " and, without Landlock, open anything beneath it"
                                            : "; Landlock refuses opening anything beneath it");
        }
        return 0;
}
