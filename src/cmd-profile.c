/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock profile list|show|lint|syscalls|export */
#include <dirent.h>

#include "basic/log.h"
#include "basic/strv.h"
#include "cmds.h"
#include "policy/profile-directives.h"
#include "policy/profile-lint.h"
#include "policy/profile.h"
#include "policy/syscall-groups.h"
#include "sandbox/export.h"

static void usage(FILE *f)
{
        fputs("Usage: airlock profile COMMAND\n"
              "  list                 profiles in the search path, with their origin\n"
              "  show NAME|PATH [RUN-OPTIONS]  the merged policy as enforced, in profile syntax\n"
              "  lint NAME|PATH [RUN-OPTIONS]  rate a profile against the restricted baseline\n"
              "  syscalls [-v]        the seccomp syscall groups (-v: with members)\n"
              "  export NAME|PATH --format FORMAT [RUN-OPTIONS]\n"
              "                       the policy for another enforcer, on standard output:\n"
              "                       oci-seccomp (Docker/OCI seccomp JSON), k8s-seccompprofile\n"
              "                       (Security Profiles Operator), systemd (a service drop-in),\n"
              "                       minijail (a seccomp policy file); what the format cannot\n"
              "                       express is listed in a comment at the top;\n"
              "                       --for-runc adds the calls runc's own start-up makes\n"
              "                       after loading the filter (fstatfs, getdents64)\n"
              "Search path: a PATH given, ~/.config/airlock/profiles, /etc/airlock/profiles,\n"
              "then the shipped profiles. See airlock-profile(1) and airlock-profile(5).\n",
              f);
}

static int compare_strings(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The profile names in one folder, sorted. */
static int names_in(const char *dir, char ***ret)
{
        _cleanup_strv_free_ char **names = NULL;
        DIR *d = opendir(dir);
        struct dirent *de;
        int r = 0;

        if (!d)
                return errno == ENOENT || errno == ENOTDIR ? 0 : negative_errno();
        while ((de = readdir(d))) {
                size_t len = strlen(de->d_name);
                size_t sl = strlen(PROFILE_SUFFIX);

                if (de->d_name[0] == '.' || len <= sl ||
                    !streq(de->d_name + len - sl, PROFILE_SUFFIX))
                        continue;
                r = strv_push(&names, strndup(de->d_name, len - sl));
                if (r < 0)
                        break;
        }
        closedir(d);
        if (r < 0)
                return r;
        if (names)
                qsort(names, strv_length(names), sizeof(char *), compare_strings);
        *ret = TAKE_PTR(names);
        return 0;
}

static int profile_list(void)
{
        _cleanup_strv_free_ char **dirs = NULL, **seen = NULL;
        _cleanup_free_ enum profile_origin *origins = NULL;
        int r = profile_search_dirs(&dirs, &origins);

        if (r < 0)
                return log_error_errno(r, "cannot build the profile search path: %m");
        printf("%-16s %-8s %s\n", "NAME", "ORIGIN", "PATH");
        for (size_t i = 0; dirs[i]; i++) {
                _cleanup_strv_free_ char **names = NULL;

                r = names_in(dirs[i], &names);
                if (r < 0) {
                        log_warning_errno(r, "cannot list %s: %m", dirs[i]);
                        continue;
                }
                for (char **n = names; n && *n; n++) {
                        bool shadowed = strv_contains(seen, *n);

                        printf("%-16s %-8s %s/%s%s%s\n", *n, profile_origin_to_string(origins[i]),
                               dirs[i], *n, PROFILE_SUFFIX,
                               shadowed ? "  (shadowed: an earlier folder has it)" : "");
                        if (!shadowed && strv_extend(&seen, *n) < 0)
                                return log_error_errno(-ENOMEM, "out of memory");
                }
        }
        return 0;
}

/* Loads argv[0] and applies the run options after it, as "airlock run -p" would. */
static int load(int argc, char **argv, struct policy **ret)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        int r = policy_new(&p);

        if (r < 0)
                return log_error_errno(r, "out of memory");
        profile_set_dry_run(true); /* looking at a profile makes no folders */
        r = profile_load_into(p, argv[0]);
        if (r < 0)
                return r;
        if (argc > 1) {
                r = options_parse(policy_options, policy_options_count, argc, argv, p, "profile");
                if (r < 0)
                        return r;
                if (r < argc)
                        return log_error_errno(-EINVAL,
                                               "profile: unexpected '%s': expected run options "
                                               "after the profile",
                                               argv[r]);
        }
        *ret = TAKE_PTR(p);
        return 0;
}

static int profile_show(int argc, char **argv)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        int r = load(argc, argv, &p);

        if (r < 0)
                return r;
        r = profile_write(stdout, p);
        if (r >= 0 && fflush(stdout) != 0)
                r = negative_errno();
        if (r < 0)
                return log_error_errno(r, "cannot write the policy: %m");
        return 0;
}

static int profile_lint_cmd(int argc, char **argv)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        int r = load(argc, argv, &p);

        if (r < 0)
                return r;
        profile_lint_print(stdout, argv[0], p);
        return 0;
}

/* The calls runc's init (runc 1.1) makes between loading the filter and execve: it closes the
 * descriptors it inherited by reading /proc/self/fd, after checking that this is procfs. A
 * profile learned from the program alone lacks them, and runc then fails to start it ("ensure
 * /proc/self/fd is on procfs: operation not permitted"). crun loads the filter last. */
static char *runc_calls[] = {"--seccomp-allow", "fstatfs", "--seccomp-allow", "getdents64"};

/* "export NAME --format F [--for-runc] [RUN-OPTIONS]": --format and --for-runc may come
 * anywhere after NAME. */
static int profile_export_cmd(int argc, char **argv)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_free_ char **rest = calloc(argc + ELEMENTSOF(runc_calls) + 1, sizeof(char *));
        bool for_runc = false;
        const char *format_name = NULL;
        enum export_format format;
        int n = 0, r;

        if (!rest)
                return log_error_errno(-ENOMEM, "out of memory");
        for (int i = 0; i < argc; i++) {
                if (streq(argv[i], "--format") && i + 1 < argc)
                        format_name = argv[++i];
                else if (startswith(argv[i], "--format="))
                        format_name = argv[i] + strlen("--format=");
                else if (streq(argv[i], "--for-runc") && i > 0)
                        for_runc = true;
                else
                        rest[n++] = argv[i];
        }
        if (for_runc)
                for (size_t i = 0; i < ELEMENTSOF(runc_calls); i++)
                        rest[n++] = runc_calls[i];
        if (!format_name) {
                log_error("airlock profile export: --format is missing: oci-seccomp, "
                          "k8s-seccompprofile, systemd or minijail");
                return -EUCLEAN; /* a usage error */
        }
        if (export_format_from_string(format_name, &format) < 0) {
                log_error("airlock profile export: unknown format '%s': expected oci-seccomp, "
                          "k8s-seccompprofile, systemd or minijail",
                          format_name);
                return -EUCLEAN;
        }
        r = load(n, rest, &p);
        if (r < 0)
                return r;
        r = profile_export(stdout, p, rest[0], format);
        if (r < 0)
                return r;
        if (fflush(stdout) != 0)
                return log_error_errno(negative_errno(), "cannot write the export: %m");
        return 0;
}

int cmd_profile(int argc, char **argv)
{
        const char *verb = argc > 1 ? argv[1] : NULL;
        int r;

        if (!verb || streq(verb, "-h") || streq(verb, "--help")) {
                usage(verb ? stdout : stderr);
                return verb ? 0 : EXIT_USAGE;
        }
        /* "profile lint --help": help, never a profile named --help */
        for (int i = 2; i < argc && !streq(argv[i], "--"); i++)
                if (streq(argv[i], "-h") || streq(argv[i], "--help")) {
                        usage(stdout);
                        return 0;
                }
        if (streq(verb, "list")) {
                if (argc != 2)
                        goto bad;
                r = profile_list();
        } else if (streq(verb, "show") || streq(verb, "lint")) {
                if (argc < 3)
                        goto bad;
                if (argv[2][0] == '-') {
                        log_error("airlock profile %s: unrecognized option '%s' (see airlock "
                                  "profile --help)",
                                  verb, argv[2]);
                        return EXIT_USAGE;
                }
                r = streq(verb, "show") ? profile_show(argc - 2, argv + 2)
                                        : profile_lint_cmd(argc - 2, argv + 2);
        } else if (streq(verb, "export")) {
                if (argc < 3 || argv[2][0] == '-')
                        goto bad;
                r = profile_export_cmd(argc - 2, argv + 2);
                if (r == -EUCLEAN)
                        return EXIT_USAGE;
        } else if (streq(verb, "syscalls")) {
                if (argc > 3 || (argc == 3 && !streq(argv[2], "-v")))
                        goto bad;
                syscall_groups_print(stdout, argc == 3);
                r = 0;
        } else {
                log_error("airlock profile: unknown command '%s': expected list, show, lint, "
                          "syscalls or export",
                          verb);
                return EXIT_USAGE;
        }
        return r < 0 ? EXIT_AIRLOCK_FAILED : 0;
bad:
        log_error("airlock profile %s: wrong arguments (see airlock profile --help)", verb);
        return EXIT_USAGE;
}
