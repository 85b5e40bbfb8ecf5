/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <elf.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/browser.h"
#include "analysis/decoy-system.h"
#include "analysis/detonate.h"
#include "analysis/json-get.h"
#include "analysis/wsh.h"
#include "basic/fileio.h"
#include "basic/macro.h"
#include "basic/parse.h"
#include "basic/sha256.h"
#include "basic/paths.h"
#include "config.h"

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif

/* A program rather than a library: ET_EXEC, or ET_DYN with a PT_INTERP (a PIE program, which
 * libmagic calls a shared object). Static PIE without an interpreter is taken for a library. */
static bool elf_is_program(int fd)
{
        Elf64_Ehdr eh;

        if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
            memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64)
                return false;
        if (eh.e_type == ET_EXEC)
                return true;
        if (eh.e_type != ET_DYN || eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum > 256)
                return false;
        for (unsigned i = 0; i < eh.e_phnum; i++) {
                Elf64_Phdr ph;

                if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) !=
                    (ssize_t)sizeof(ph))
                        return false;
                if (ph.p_type == PT_INTERP)
                        return true;
        }
        return false;
}

static const char *interpreter_for(const struct analysis_result *r, int fd)
{
        const char *m = r->mime;

        if (!m)
                return NULL;
        if (streq(m, "application/x-executable") || streq(m, "application/x-pie-executable") ||
            streq(m, "application/x-sharedlib"))
                return elf_is_program(fd) ? "" : NULL;
        if (streq(m, "text/x-shellscript"))
                return r->type && strstr(r->type, "Bourne-Again") ? "/bin/bash" : "/bin/sh";
        if (streq(m, "text/x-script.python") || streq(m, "text/x-python"))
                return "/usr/bin/python3";
        if (streq(m, "text/x-perl") || streq(m, "text/x-script.perl"))
                return "/usr/bin/perl";
        /* Text without a #! line: the name says how it would be run. */
        if (startswith(m, "text/") && r->name) {
                static const char *const by_suffix[][2] = {
                        {".py", "/usr/bin/python3"}, {".sh", "/bin/sh"},
                        {".bash", "/bin/bash"},      {".pl", "/usr/bin/perl"},
                        {".command", "/bin/sh"},
                };
                size_t len = strlen(r->name);

                for (size_t i = 0; i < ELEMENTSOF(by_suffix); i++) {
                        size_t sl = strlen(by_suffix[i][0]);

                        if (len > sl && strcasecmp(r->name + len - sl, by_suffix[i][0]) == 0)
                                return by_suffix[i][1];
                }
        }
        return NULL;
}

bool detonate_may_run(const struct analysis_result *r)
{
        const char *m = r->mime ? r->mime : "";

        return streq(m, "application/x-executable") || streq(m, "application/x-pie-executable") ||
               streq(m, "application/x-sharedlib") || interpreter_for(r, -1) || wsh_may_run(r) ||
               browser_may_load(r);
}

bool detonate_wanted(struct analysis_result *r)
{
        /* a node the engine has just scanned into a tree is not finalized yet: its verdict
         * would still read clean */
        analysis_result_finalize(r);
        if (r->verdict == ANALYSIS_CLEAN)
                return detonate_may_run(r);
        /* flagged: the payload a page builds or a Windows script drops, and its own verdict,
         * are what the static rules could not give */
        return wsh_may_run(r) || browser_may_load(r);
}

int detonate_timeout_parse(const char *s, unsigned *ret)
{
        uint64_t v;

        if (parse_uint64(s, &v) < 0 || v < 1 || v > 3600)
                return -EINVAL;
        *ret = (unsigned)v;
        return 0;
}

/* The launcher: beside this program (the build tree), where the installation put it, or on
 * PATH. */
static int find_airlock(char *buf, size_t size)
{
        _cleanup_free_ char *path = NULL;

        if (sibling_program("airlock", AIRLOCK_BINDIR_FROM_LIBEXECDIR, AIRLOCK_BINDIR, &path) < 0)
                snprintf(buf, size, "airlock");
        else
                snprintf(buf, size, "%s", path);
        return 0;
}

/* A name safe to show inside the sandbox and on a command line. */
static void safe_name(const char *name, char *out, size_t size)
{
        size_t j = 0;

        for (const char *c = name ? name : ""; *c && j + 1 < size; c++)
                out[j++] = (strchr("._-+", *c) || (*c >= 'a' && *c <= 'z') ||
                            (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9'))
                                   ? *c
                                   : '_';
        out[j] = 0;
        if (!out[0] || out[0] == '.')
                snprintf(out, size, "sample");
}

/* Copies the content of in (from its start) to the new file to, hashing what was copied into
 * hex: what runs is what was hashed. */
static int copy_file(int in, const char *to, char hex[2 * SHA256_DIGEST_SIZE + 1])
{
        _cleanup_close_ int out = -1;
        uint8_t digest[SHA256_DIGEST_SIZE];
        struct sha256_ctx c;
        char buf[65536];
        off_t off = 0;
        ssize_t n;

        out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
        if (out < 0)
                return negative_errno();
        sha256_init(&c);
        while ((n = pread(in, buf, sizeof(buf), off)) > 0) {
                int k = loop_write(out, buf, (size_t)n);

                if (k < 0)
                        return k;
                off += n;
                sha256_update(&c, buf, (size_t)n);
        }
        sha256_final(&c, digest);
        sha256_digest_to_hex(digest, hex);
        return n < 0 ? negative_errno() : 0;
}

static enum analysis_severity severity_of(const char *s)
{
        return streq(s, "high")     ? ANALYSIS_SEVERITY_HIGH
               : streq(s, "medium") ? ANALYSIS_SEVERITY_MEDIUM
               : streq(s, "low")    ? ANALYSIS_SEVERITY_LOW
                                    : ANALYSIS_SEVERITY_INFO;
}

/* At most this many entries of each list are kept for the report: a sample that forks or
 * connects in a loop must not make every report huge (the counts say how many there were). */
#define DETONATION_MAX_ENTRIES 200

static bool timeline_event(json_object *e)
{
        const char *sc = jstr(e, "syscall");
        json_object *args, *flags;

        if (!sc)
                return false;
        if (!streq(sc, "openat") && !streq(sc, "open") && !streq(sc, "openat2"))
                return !streq(sc, "socket");
        /* an open is an event only when it may write */
        if (!json_object_object_get_ex(e, "args", &args) ||
            !json_object_object_get_ex(args, "flags", &flags) ||
            !json_object_is_type(flags, json_type_array))
                return false;
        for (size_t i = 0; i < json_object_array_length(flags); i++) {
                const char *f = json_object_get_string(json_object_array_get_idx(flags, i));
                if (f && (streq(f, "O_WRONLY") || streq(f, "O_RDWR") || streq(f, "O_CREAT") ||
                          streq(f, "O_TRUNC")))
                        return true;
        }
        return false;
}

static void keep_list(json_object *from, json_object *to, const char *key,
                      bool (*want)(json_object *))
{
        json_object *l, *copy = json_object_new_array();
        size_t n, total = 0;
        char count[64];

        if (!copy)
                return;
        if (json_object_object_get_ex(from, key, &l) && json_object_is_type(l, json_type_array)) {
                n = json_object_array_length(l);
                for (size_t i = 0; i < n; i++) {
                        json_object *e = json_object_array_get_idx(l, i);
                        if (want && !want(e))
                                continue;
                        if (total++ < DETONATION_MAX_ENTRIES)
                                json_object_array_add(copy, json_object_get(e));
                }
        }
        json_object_object_add(to, streq(key, "events") ? "timeline" : key, copy);
        snprintf(count, sizeof(count), "%s_total", streq(key, "events") ? "timeline" : key);
        json_object_object_add(to, count, json_object_new_int64((int64_t)total));
}

/* What the run report holds for a person to look at (the HTML report draws it): the command,
 * its exit, the process tree, the events that change something, network attempts and the
 * files written, each list cut at DETONATION_MAX_ENTRIES. */
static void keep_detonation(struct analysis_result *r, json_object *root)
{
        json_object *d = json_object_new_object(), *v;

        if (!d)
                return;
        if (json_object_object_get_ex(root, "command", &v))
                json_object_object_add(d, "command", json_object_get(v));
        if (json_object_object_get_ex(root, "exit", &v))
                json_object_object_add(d, "exit", json_object_get(v));
        if (json_object_object_get_ex(root, "process_tree", &v))
                json_object_object_add(d, "process_tree", json_object_get(v));
        keep_list(root, d, "events", timeline_event);
        keep_list(root, d, "network", NULL);
        keep_list(root, d, "file_changes", NULL);
        free(r->detonation);
        r->detonation = strdup(json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN));
        json_object_put(d);
}

/* The monitor's findings, and a note of what ran, as findings of r. */
static int import_report(struct analysis_result *r, const char *report, int status, const char *how)
{
        json_object *root = json_object_from_file(report), *findings, *network;
        size_t n = 0, n_net = 0;
        char note[1024];
        int k = 0;

        if (!root)
                return analysis_result_add_finding(
                        r, "detonation.failed", ANALYSIS_SEVERITY_INFO, NULL,
                        "the sample could not be run in the sandbox (no report)", how,
                        "detonation");
        if (json_object_object_get_ex(root, "findings", &findings) &&
            json_object_is_type(findings, json_type_array))
                n = json_object_array_length(findings);
        if (json_object_object_get_ex(root, "network", &network) &&
            json_object_is_type(network, json_type_array))
                n_net = json_object_array_length(network);
        for (size_t i = 0; i < n && k >= 0; i++) {
                json_object *f = json_object_array_get_idx(findings, i), *att;
                char attack[256] = "", rule[128];
                size_t len = 0;

                if (json_object_object_get_ex(f, "attack", &att) &&
                    json_object_is_type(att, json_type_array))
                        for (size_t j = 0; j < json_object_array_length(att); j++)
                                len += (size_t)snprintf(
                                        attack + MIN(len, sizeof(attack)),
                                        sizeof(attack) - MIN(len, sizeof(attack)), "%s%s",
                                        j ? "," : "",
                                        json_object_get_string(json_object_array_get_idx(att, j)));
                snprintf(rule, sizeof(rule), "detonation.%s", jstr(f, "rule") ?: "finding");
                k = analysis_result_add_finding(r, rule, severity_of(jstr(f, "severity") ?: ""),
                                                attack[0] ? attack : NULL,
                                                jstr(f, "description") ?: "behaviour seen when run",
                                                jstr(f, "evidence"), "detonation");
        }
        keep_detonation(r, root);
        snprintf(note, sizeof(note),
                 "%s; exit status %d; %zu behaviour finding%s, %zu network record%s", how, status,
                 n, n == 1 ? "" : "s", n_net, n_net == 1 ? "" : "s");
        if (k >= 0)
                k = analysis_result_add_finding(r, "detonation.ran", ANALYSIS_SEVERITY_INFO, NULL,
                                                "run in airlock run --trace --net sinkhole", note,
                                                "detonation");
        json_object_put(root);
        return k;
}

/* Appends "; " and what fmt says to buf (of size size), as far as it fits. */
void detonate_append(char *buf, size_t size, const char *fmt, ...)
{
        size_t len = strlen(buf);
        va_list ap;

        if (len && len + 2 < size)
                len += (size_t)snprintf(buf + len, size - len, "; ");
        if (len >= size)
                return;
        va_start(ap, fmt);
        vsnprintf(buf + len, size - len, fmt, ap);
        va_end(ap);
}

/* Runs argv (argv[0] looked up in PATH) with /dev/null as its standard streams and waits for
 * it. *ret_status: its exit status, or 128 + the signal that ended it; 125 when /dev/null
 * could not be opened, 127 when argv[0] could not be run. */
int detonate_spawn_quiet(const char *const *argv, int *ret_status)
{
        int status;
        pid_t pid = fork();

        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);

                if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
                        _exit(125);
                execvp(argv[0], (char *const *)argv);
                _exit(127);
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return negative_errno();
        *ret_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return 0;
}

static int run_sample(struct analysis_result *r, int fd, const char *interp, const char *airlock,
                      unsigned timeout)
{
        char dir[] = "/tmp/airlock-detonate.XXXXXX", name[80], sample[160], inside[96], report[64],
             tmo[16], how[256], hex[2 * SHA256_DIGEST_SIZE + 1], decoys[4200];
        const char *argv[32];
        size_t a = 0;
        int status = 0, k;

        if (!mkdtemp(dir))
                return negative_errno();
        (void)chmod(dir, 0755);
        safe_name(r->name, name, sizeof(name));
        snprintf(sample, sizeof(sample), "%s/%s", dir, name);
        snprintf(inside, sizeof(inside), "/sample/%s", name);
        snprintf(report, sizeof(report), "%s/report.json", dir);
        snprintf(tmo, sizeof(tmo), "%u", timeout);
        k = copy_file(fd, sample, hex);
        if (k < 0)
                goto out;
        if (r->sha256 && !streq(hex, r->sha256)) {
                /* replaced since it was judged: what would run is not what was read */
                k = analysis_result_add_finding(
                        r, "detonation.changed", ANALYSIS_SEVERITY_INFO, NULL,
                        "the file changed after it was scanned; not run", hex, "detonation");
                goto out;
        }
        argv[a++] = airlock;
        argv[a++] = "run";
        argv[a++] = "--trace";
        argv[a++] = "--net";
        argv[a++] = "sinkhole";
        argv[a++] = "--timeout";
        argv[a++] = tmo;
        argv[a++] = "--report";
        argv[a++] = report;
        argv[a++] = "--ro-bind";
        argv[a++] = sample;
        argv[a++] = inside;
        k = decoy_system_prepare(dir);
        if (k >= 0)
                k = decoy_system_options(dir, argv, &a, ELEMENTSOF(argv) - 4, decoys,
                                         sizeof(decoys));
        if (k < 0)
                goto out;
        argv[a++] = "--";
        if (interp[0])
                argv[a++] = interp;
        argv[a++] = inside;
        argv[a] = NULL;
        snprintf(how, sizeof(how), "%s%s%s for at most %u s", interp, interp[0] ? " " : "", inside,
                 timeout);
        k = detonate_spawn_quiet(argv, &status);
        if (k < 0)
                goto out;
        k = import_report(r, report, status, how);
        if (k >= 0)
                k = 1;
out:
        decoy_system_remove(dir);
        unlink(sample);
        unlink(report);
        rmdir(dir);
        return k;
}

static bool on_disk(const struct analysis_result *r)
{
        struct stat st;

        /* archive members and attachments have no file of their own */
        if (r->parent && !(r->parent->mime && streq(r->parent->mime, "inode/directory")))
                return false;
        return r->path && lstat(r->path, &st) == 0 && S_ISREG(st.st_mode) &&
               (uint64_t)st.st_size == r->size;
}

/* The web pages below container (a file on disk: an archive, a message), at any depth: pages
 * wherever they arrive. Returns the number loaded. */
static int detonate_member_pages(const struct analysis_result *container, struct analysis_result *r,
                                 const char *airlock, unsigned timeout, struct analysis_ctx *ctx,
                                 struct browser **browser)
{
        /* not the files a page loaded below hands over: those are judged, not loaded */
        size_t n = r->n_children;
        int total = 0, k;

        for (size_t i = 0; i < n; i++) {
                struct analysis_result *c = r->children[i];

                total += detonate_member_pages(container, c, airlock, timeout, ctx, browser);
                k = browser_detonate_member(browser, container, c, ctx, airlock, timeout);
                /* -ENOENT: content the engine decoded (base64...), no member of its own */
                if (k < 0 && k != -ENOENT)
                        (void)analysis_result_add_finding(
                                c, "detonation.failed", ANALYSIS_SEVERITY_INFO, NULL,
                                "the page could not be taken out of its container and loaded",
                                strerror(-k), "detonation");
                else if (k > 0)
                        total += k;
        }
        return total;
}

static int detonate_tree(struct analysis_result *r, const char *airlock, unsigned timeout,
                         struct analysis_ctx *ctx, struct browser **browser)
{
        _cleanup_close_ int fd = -1;
        const char *interp;
        int total = 0, k;

        for (size_t i = 0; i < r->n_children; i++) {
                if (!(r->mime && streq(r->mime, "inode/directory")))
                        break;
                k = detonate_tree(r->children[i], airlock, timeout, ctx, browser);
                if (k < 0)
                        return k;
                total += k;
        }
        if (!on_disk(r))
                return total;
        if (ctx && !(r->mime && streq(r->mime, "inode/directory")))
                total += detonate_member_pages(r, r, airlock, timeout, ctx, browser);
        fd = open(r->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        interp = fd >= 0 ? interpreter_for(r, fd) : NULL;
        if (fd >= 0 && !interp && wsh_may_run(r))
                k = wsh_detonate(r, fd, ctx, airlock, timeout);
        else if (fd >= 0 && !interp && ctx && browser_may_load(r))
                k = browser_detonate(browser, r, fd, ctx, airlock, timeout);
        else if (!interp)
                return total;
        else
                k = run_sample(r, fd, interp, airlock, timeout);
        if (k < 0)
                return analysis_result_add_finding(r, "detonation.failed", ANALYSIS_SEVERITY_INFO,
                                                   NULL, "the sample could not be prepared",
                                                   strerror(-k), "detonation") < 0
                               ? -ENOMEM
                               : total;
        return total + k;
}

static void launcher(const struct detonate_options *o, char *buf, size_t size)
{
        if (o && o->airlock)
                snprintf(buf, size, "%s", o->airlock);
        else
                find_airlock(buf, size);
}

int analysis_detonate(struct analysis_result *r, const struct detonate_options *o)
{
        struct browser *own = NULL, **browser = o && o->browser ? o->browser : &own;
        char airlock[PATH_MAX];
        int k;

        launcher(o, airlock, sizeof(airlock));
        k = detonate_tree(r, airlock, o && o->timeout_sec ? o->timeout_sec : 10, o ? o->ctx : NULL,
                          browser);
        browser_free(own);
        analysis_result_finalize(r);
        return k;
}

int analysis_detonate_prestart(const char *path, const struct detonate_options *o)
{
        char airlock[PATH_MAX];

        if (!o || !o->ctx || !o->browser)
                return 0;
        launcher(o, airlock, sizeof(airlock));
        return browser_prestart(o->browser, airlock, path);
}

int analysis_detonate_fd(struct analysis_result *r, int fd, const struct detonate_options *o)
{
        const char *interp = interpreter_for(r, fd);
        unsigned timeout = o && o->timeout_sec ? o->timeout_sec : 10;
        char airlock[PATH_MAX];
        int k;

        if (!interp && !wsh_may_run(r) && !(o && o->ctx && browser_may_load(r)))
                return 0;
        launcher(o, airlock, sizeof(airlock));
        if ((interp || wsh_may_run(r)) && o && o->one_sandbox && o->browser && *o->browser) {
                browser_free(*o->browser);
                *o->browser = NULL;
        }
        if (interp)
                k = run_sample(r, fd, interp, airlock, timeout);
        else if (wsh_may_run(r))
                /* an attachment: .js/.hta/.vbs... as analyze detonates them */
                k = wsh_detonate(r, fd, o ? o->ctx : NULL, airlock, timeout);
        else {
                struct browser *own = NULL, **browser = o->browser ? o->browser : &own;

                /* an attachment, a download: a page wherever it arrives */
                k = browser_detonate(browser, r, fd, o->ctx, airlock, timeout);
                browser_free(own);
        }
        analysis_result_finalize(r);
        return k;
}
