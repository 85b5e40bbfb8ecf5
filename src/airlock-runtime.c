/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* airlock-runtime: the runc command line (as podman's conmon and containerd's runc shim call
 * it) in front of airlock's launcher. Global options, then one command with its own. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "basic/fileio.h"
#include "basic/log.h"
#include "basic/macro.h"
#include "basic/parse.h"
#include "basic/strv.h"
#include "config.h"
#include "runtime/runtime.h"
#include "runtime/spec.h"
#include "runtime/state.h"

#define EXIT_USAGE 2

struct command {
        const char *name;
        int (*run)(struct runtime_globals *g, int argc, char **argv);
        const char *usage;
};

static int need_id(int argc, char **argv, int want, const char *usage)
{
        if (argc - optind != want) {
                log_error("usage: airlock-runtime %s", usage);
                return -EINVAL;
        }
        return 0;
}

static int cmd_create_or_run(struct runtime_globals *g, int argc, char **argv, bool run)
{
        static const struct option opts[] = {
                {"bundle", required_argument, NULL, 'b'},
                {"pid-file", required_argument, NULL, 'p'},
                {"console-socket", required_argument, NULL, 'c'},
                {"preserve-fds", required_argument, NULL, 'f'},
                {"detach", no_argument, NULL, 'd'},
                {"no-pivot", no_argument, NULL, 'n'},
                {"no-new-keyring", no_argument, NULL, 'k'},
                {},
        };
        struct runtime_create_args a = {0};
        int c;

        while ((c = getopt_long(argc, argv, "b:d", opts, NULL)) >= 0)
                switch (c) {
                case 'b':
                        a.bundle = optarg;
                        break;
                case 'p':
                        a.pid_file = optarg;
                        break;
                case 'c':
                        a.console_socket = optarg;
                        break;
                case 'f':
                        if (parse_int(optarg, &a.preserve_fds) < 0 || a.preserve_fds < 0) {
                                log_error("--preserve-fds %s: expected a number", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'd':
                        a.detach = run; /* create always returns at once */
                        break;
                case 'n':
                case 'k':
                        break; /* airlock always pivots; it makes no session keyring */
                default:
                        return EXIT_USAGE;
                }
        if (need_id(argc, argv, 1,
                    run ? "run [--bundle B] [--pid-file P] [--console-socket S] "
                          "[--preserve-fds N] [--detach] ID"
                        : "create [--bundle B] [--pid-file P] [--console-socket S] "
                          "[--preserve-fds N] ID") < 0)
                return EXIT_USAGE;
        a.id = argv[optind];
        return run ? runtime_run(g, &a) : runtime_create(g, &a);
}

static int cmd_create(struct runtime_globals *g, int argc, char **argv)
{
        return cmd_create_or_run(g, argc, argv, false);
}

static int cmd_run(struct runtime_globals *g, int argc, char **argv)
{
        return cmd_create_or_run(g, argc, argv, true);
}

static int no_options(int argc, char **argv)
{
        static const struct option opts[] = {{}};

        return getopt_long(argc, argv, "", opts, NULL) >= 0 ? -EINVAL : 0;
}

static int cmd_start(struct runtime_globals *g, int argc, char **argv)
{
        if (no_options(argc, argv) < 0 || need_id(argc, argv, 1, "start ID") < 0)
                return EXIT_USAGE;
        return runtime_start(g, argv[optind]);
}

static int cmd_state(struct runtime_globals *g, int argc, char **argv)
{
        if (no_options(argc, argv) < 0 || need_id(argc, argv, 1, "state ID") < 0)
                return EXIT_USAGE;
        return runtime_state(g, argv[optind]);
}

static int parse_signal(const char *s)
{
        int n;

        if (parse_int(s, &n) >= 0)
                return n > 0 && n < NSIG ? n : -EINVAL;
        if (startswith(s, "SIG"))
                s += 3;
        for (n = 1; n < NSIG; n++) {
                const char *name = sigabbrev_np(n);

                if (name && strcasecmp(name, s) == 0)
                        return n;
        }
        return -EINVAL;
}

static int cmd_kill(struct runtime_globals *g, int argc, char **argv)
{
        static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {}};
        bool all = false;
        int c, sig = SIGTERM;

        while ((c = getopt_long(argc, argv, "a", opts, NULL)) >= 0) {
                if (c != 'a')
                        return EXIT_USAGE;
                all = true;
        }
        if (argc - optind == 2) {
                sig = parse_signal(argv[optind + 1]);
                if (sig < 0) {
                        log_error("unknown signal '%s'", argv[optind + 1]);
                        return EXIT_USAGE;
                }
        } else if (need_id(argc, argv, 1, "kill [--all] ID [SIGNAL]") < 0)
                return EXIT_USAGE;
        return runtime_kill(g, argv[optind], sig, all);
}

static int cmd_delete(struct runtime_globals *g, int argc, char **argv)
{
        static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {}};
        bool force = false;
        int c;

        while ((c = getopt_long(argc, argv, "f", opts, NULL)) >= 0) {
                if (c != 'f')
                        return EXIT_USAGE;
                force = true;
        }
        if (need_id(argc, argv, 1, "delete [--force] ID") < 0)
                return EXIT_USAGE;
        return runtime_delete(g, argv[optind], force);
}

static int cmd_ps(struct runtime_globals *g, int argc, char **argv)
{
        static const struct option opts[] = {{"format", required_argument, NULL, 'f'}, {}};
        bool json = false;
        int c;

        /* "+": what follows the id is ps's own options */
        while ((c = getopt_long(argc, argv, "+f:", opts, NULL)) >= 0) {
                if (c != 'f' || (!streq(optarg, "json") && !streq(optarg, "table"))) {
                        log_error("usage: airlock-runtime ps [--format table|json] ID [PS ARGS]");
                        return EXIT_USAGE;
                }
                json = streq(optarg, "json");
        }
        if (optind >= argc) {
                log_error("usage: airlock-runtime ps [--format table|json] ID [PS ARGS]");
                return EXIT_USAGE;
        }
        return runtime_ps(g, argv[optind], json, argv + optind + 1);
}

static int cmd_exec(struct runtime_globals *g, int argc, char **argv)
{
        static const struct option opts[] = {
                {"process", required_argument, NULL, 'p'},
                {"detach", no_argument, NULL, 'd'},
                {"pid-file", required_argument, NULL, 'P'},
                {"console-socket", required_argument, NULL, 'c'},
                {"env", required_argument, NULL, 'e'},
                {"cwd", required_argument, NULL, 'w'},
                {"tty", no_argument, NULL, 't'},
                {"no-new-privs", no_argument, NULL, 'n'},
                {"user", required_argument, NULL, 'u'},
                {"cap", required_argument, NULL, 'C'},
                {"preserve-fds", required_argument, NULL, 'f'},
                {},
        };
        static const char usage[] =
                "exec [--process F | -e NAME=VALUE --cwd DIR -u UID[:GID] -t] [--detach] "
                "[--pid-file P] [--console-socket S] ID [COMMAND ARG...]";
        _cleanup_strv_free_ char **env = NULL;
        struct runtime_exec_args a = {0};
        int c, fds;

        /* "+": the command's own options follow the id */
        while ((c = getopt_long(argc, argv, "+p:de:tu:", opts, NULL)) >= 0)
                switch (c) {
                case 'p':
                        a.process = optarg;
                        break;
                case 'd':
                        a.detach = true;
                        break;
                case 'P':
                        a.pid_file = optarg;
                        break;
                case 'c':
                        a.console_socket = optarg;
                        break;
                case 'e':
                        if (strv_extend(&env, optarg) < 0)
                                return 1;
                        break;
                case 'w':
                        a.cwd = optarg;
                        break;
                case 't':
                        a.tty = true;
                        break;
                case 'n':
                        a.no_new_privs = true;
                        break;
                case 'u':
                        a.user = optarg;
                        break;
                case 'C':
                        log_error("exec --cap %s: not supported: name the process's "
                                  "capabilities in --process (process.capabilities)",
                                  optarg);
                        return 1;
                case 'f':
                        if (parse_int(optarg, &fds) < 0 || fds != 0) {
                                log_error("exec --preserve-fds %s: not supported", optarg);
                                return 1;
                        }
                        break;
                default:
                        return EXIT_USAGE;
                }
        if (optind >= argc || (!a.process && optind + 1 >= argc) ||
            (a.process && optind + 1 < argc)) {
                log_error("usage: airlock-runtime %s", usage);
                return EXIT_USAGE;
        }
        a.id = argv[optind];
        a.argv = argv + optind + 1;
        a.env = env;
        return runtime_exec(g, &a);
}

static int cmd_spec(struct runtime_globals *g, int argc, char **argv)
{
        static const struct option opts[] = {
                {"bundle", required_argument, NULL, 'b'}, {"rootless", no_argument, NULL, 'r'}, {}};
        _cleanup_free_ char *path = NULL;
        const char *bundle = ".";
        bool rootless = false;
        struct stat st;
        int c, r;

        (void)g;
        while ((c = getopt_long(argc, argv, "b:", opts, NULL)) >= 0)
                switch (c) {
                case 'b':
                        bundle = optarg;
                        break;
                case 'r':
                        rootless = true;
                        break;
                default:
                        return EXIT_USAGE;
                }
        if (asprintf(&path, "%s/config.json", bundle) < 0)
                return 1;
        if (lstat(path, &st) == 0) {
                log_error("%s exists already", path);
                return 1;
        }
        r = oci_write_file(path, oci_spec_default(rootless));
        if (r < 0) {
                log_error_errno(r, "cannot write %s: %m", path);
                return 1;
        }
        return 0;
}

static int cmd_features(struct runtime_globals *g, int argc, char **argv)
{
        (void)g;
        (void)argc;
        (void)argv;
        printf("{\n"
               "  \"ociVersionMin\": \"1.0.0\",\n"
               "  \"ociVersionMax\": \"1.0.2\",\n"
               "  \"hooks\": [],\n"
               "  \"mountOptions\": [\"bind\", \"rbind\", \"ro\", \"rw\", \"nosuid\", "
               "\"nodev\", \"noexec\", \"size\"],\n"
               "  \"linux\": {\n"
               "    \"namespaces\": [\"cgroup\", \"ipc\", \"mount\", \"network\", \"pid\", "
               "\"user\", \"uts\"],\n"
               "    \"capabilities\": [],\n"
               "    \"cgroup\": {\"v1\": true, \"v2\": true, \"systemd\": false, "
               "\"systemdUser\": false},\n"
               "    \"seccomp\": {\"enabled\": true},\n"
               "    \"apparmor\": {\"enabled\": false},\n"
               "    \"selinux\": {\"enabled\": false}\n"
               "  },\n"
               "  \"annotations\": {\"org.airlock.baseline\": \"enforced\"}\n"
               "}\n");
        return 0;
}

static const struct command commands[] = {
        {"create", cmd_create, "create a container that waits for start"},
        {"start", cmd_start, "start a created container"},
        {"state", cmd_state, "print a container's state (OCI JSON)"},
        {"kill", cmd_kill, "signal a container's init"},
        {"delete", cmd_delete, "delete a stopped container (--force: any)"},
        {"run", cmd_run, "create and start a container, wait for it, delete it"},
        {"exec", cmd_exec, "run a new process in a running container"},
        {"ps", cmd_ps, "list a container's processes (--format json: its pids)"},
        {"spec", cmd_spec, "write a config.json that runs sh"},
        {"features", cmd_features, "print what this runtime supports (JSON)"},
};

static void help(FILE *f)
{
        fprintf(f, "Usage: airlock-runtime [GLOBAL OPTIONS] COMMAND [OPTIONS] ID\n"
                   "An OCI runtime (the runc command line) that runs containers in airlock's\n"
                   "sandbox and refuses privileged specs (Pod Security baseline).\n\n"
                   "Commands:\n");
        for (size_t i = 0; i < ELEMENTSOF(commands); i++)
                fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].usage);
        fprintf(f, "\nGlobal options:\n"
                   "  --root DIR          state folder (default /run/airlock-runtime, or\n"
                   "                      $XDG_RUNTIME_DIR/airlock-runtime when not root)\n"
                   "  --log FILE          write messages to FILE\n"
                   "  --log-format F      text or json\n"
                   "  --debug             more messages\n"
                   "  --systemd-cgroup    (not supported: an error)\n"
                   "  -v, --version       show the version\n"
                   "  -h, --help          show this help\n");
}

int main(int argc, char **argv)
{
        static const struct option opts[] = {
                {"root", required_argument, NULL, 'r'},
                {"log", required_argument, NULL, 'l'},
                {"log-format", required_argument, NULL, 'f'},
                {"debug", no_argument, NULL, 'd'},
                {"systemd-cgroup", no_argument, NULL, 's'},
                {"version", no_argument, NULL, 'v'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        struct runtime_globals g = {0};
        const char *root = NULL, *log_path = NULL;
        bool json = false, systemd = false;
        FILE *log_file = NULL;
        int c, r;

        log_set_prefix("airlock-runtime");
        /* "+": the globals end at the command */
        while ((c = getopt_long(argc, argv, "+vh", opts, NULL)) >= 0)
                switch (c) {
                case 'r':
                        root = optarg;
                        break;
                case 'l':
                        log_path = optarg;
                        break;
                case 'f':
                        if (!streq(optarg, "json") && !streq(optarg, "text")) {
                                log_error("--log-format %s: expected text or json", optarg);
                                return EXIT_USAGE;
                        }
                        json = streq(optarg, "json");
                        break;
                case 'd':
                        log_set_max_level(LOG_DEBUG);
                        break;
                case 's':
                        systemd = true;
                        break;
                case 'v':
                        printf("airlock-runtime version %s\nspec: 1.0.2\n", AIRLOCK_VERSION);
                        return 0;
                case 'h':
                        help(stdout);
                        return 0;
                default:
                        return EXIT_USAGE;
                }
        if (log_path) {
                log_file = fopen(log_path, "ae");
                if (!log_file) {
                        log_error_errno(-errno, "cannot open the log %s: %m", log_path);
                        return 1;
                }
                log_use_file(log_file, json);
        }
        if (systemd) {
                log_error("--systemd-cgroup: not supported: airlock-runtime manages its own "
                          "cgroups (configure the engine with cgroupfs)");
                return 1;
        }
        if (optind >= argc) {
                help(stderr);
                return EXIT_USAGE;
        }
        for (size_t i = 0; i < ELEMENTSOF(commands); i++) {
                char **sub = argv + optind;
                int n = argc - optind;

                if (!streq(sub[0], commands[i].name))
                        continue;
                if (!streq(sub[0], "spec") && !streq(sub[0], "features")) {
                        r = oci_root(root, &g.root);
                        if (r < 0)
                                return 1;
                }
                optind = 1;
                r = commands[i].run(&g, n, sub);
                free(g.root);
                return r;
        }
        log_error("unknown command '%s' (see airlock-runtime --help)", argv[optind]);
        return EXIT_USAGE;
}
