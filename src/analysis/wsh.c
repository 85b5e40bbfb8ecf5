/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/wsh.h"
#include "analysis/detonate.h"
#include "analysis/json-get.h"
#include "analysis/scriptenc.h"
#include "basic/chase.h"
#include "basic/fileio.h"
#include "basic/macro.h"
#include "basic/paths.h"
#include "basic/sha256.h"

#define SCRIPT_MAX    (4u << 20)  /* larger scripts are not run */
#define IOC_MAX       (16u << 20) /* IOC.json read at most */
#define RESOURCE_MAX  (32u << 20) /* a written file judged at most */
#define RESOURCES_MAX 16          /* written files judged */
#define EVIDENCE_SIZE 768
#define BOXJS_DEFAULT "/usr/local/lib/airlock/box-js"
/* beyond the script's own limit: node loading box-js on a busy machine */
#define NODE_START_SEC 30
/* whom the sandbox runs as on the host when we are root: airlock run's default (policy.h) */
#define SANDBOX_UID_FOR_ROOT 65534

static const char *suffix_of(const struct analysis_result *r)
{
        static const char *const names[] = {".js", ".jse", ".wsf", ".hta", ".vbs", ".vbe"};
        size_t len = r->name ? strlen(r->name) : 0;

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                size_t sl = strlen(names[i]);

                if (len > sl && strcasecmp(r->name + len - sl, names[i]) == 0)
                        return names[i];
        }
        if (r->mime && streq(r->mime, "application/hta"))
                return ".hta";
        return NULL;
}

bool wsh_may_run(const struct analysis_result *r)
{
        const char *m = r->mime ? r->mime : "";

        /* by name only for text: a program named x.js is not a script */
        return suffix_of(r) && (startswith(m, "text/") || streq(m, "application/hta") ||
                                streq(m, "application/javascript") || streq(m, "application/xml"));
}

static uid_t sandbox_uid(void)
{
        return geteuid() == 0 ? SANDBOX_UID_FOR_ROOT : geteuid();
}

static const char *boxjs_dir(void)
{
        const char *d = secure_getenv("AIRLOCK_BOXJS_DIR");

        return d && d[0] == '/' ? d : BOXJS_DEFAULT;
}

static bool contains_ci(const char *s, const char *what)
{
        return s && strcasestr(s, what);
}

/* Which <script> elements extract_scripts() takes. */
enum script_lang {
        SCRIPT_JSCRIPT,
        SCRIPT_VBSCRIPT,
        /* all, in document order, for data/wsh-vbs.js: the VBScript as it is, each JScript block
         * between a line "\x1ejscript" and a line "\x1e" */
        SCRIPT_BOTH,
};

/* The script of a WSF or HTA file: the bodies of its <script> elements in the language asked
 * for, with CDATA markers taken out. Sets *ret_other to the number of blocks in the other
 * language. A <script .../> (a src= reference) has no body. */
static char *extract_scripts(const char *s, enum script_lang lang, size_t *ret_other)
{
        size_t len = strlen(s), n = 0, other = 0;
        /* the bodies, a newline each, and for SCRIPT_BOTH two marker lines each (13 bytes, more
         * than the <script> tag they stand for only by 5) */
        char *out = malloc(lang == SCRIPT_BOTH ? 2 * len + 16 : len + 2);
        const char *p = s;

        if (!out)
                return NULL;
        while ((p = strcasestr(p, "<script"))) {
                const char *gt = strchr(p, '>'), *end;
                _cleanup_free_ char *attrs = NULL;
                bool vb, empty;

                if (!gt)
                        break;
                attrs = strndup(p, (size_t)(gt - p));
                if (!attrs) {
                        free(out);
                        return NULL;
                }
                empty = gt[-1] == '/';
                end = empty ? gt + 1 : strcasestr(gt + 1, "</script");
                if (!end)
                        end = s + len;
                vb = contains_ci(attrs, "vbscript");
                if (lang != SCRIPT_BOTH && vb != (lang == SCRIPT_VBSCRIPT))
                        other++;
                else if (!empty) {
                        if (lang == SCRIPT_BOTH && !vb)
                                n += (size_t)sprintf(out + n, "\n\x1ejscript\n");
                        for (const char *c = gt + 1; c < end; c++) {
                                if (startswith(c, "<![CDATA[")) {
                                        c += strlen("<![CDATA[") - 1;
                                        continue;
                                }
                                if (startswith(c, "]]>")) {
                                        c += 2;
                                        continue;
                                }
                                out[n++] = *c;
                        }
                        out[n++] = '\n';
                        if (lang == SCRIPT_BOTH && !vb)
                                n += (size_t)sprintf(out + n, "\x1e\n");
                }
                p = end;
                if (*p)
                        p++;
        }
        out[n] = 0;
        *ret_other = other;
        return out;
}

struct wsh_run {
        char urls[EVIDENCE_SIZE], writes[EVIDENCE_SIZE], runs[EVIDENCE_SIZE], regs[EVIDENCE_SIZE],
                tasks[EVIDENCE_SIZE], objects[EVIDENCE_SIZE], other[EVIDENCE_SIZE];
        bool download, write, run, run_written, powershell, cmd, run_key, task, activex_fetch;
        size_t n_ioc;
};

/* The last component of a Windows or POSIX path. */
static const char *base_of(const char *path)
{
        const char *b = strrchr(path, '\\'), *s = strrchr(path, '/');

        if (s > b)
                b = s;
        return b && b[1] ? b + 1 : path;
}

static void note_run(struct wsh_run *w, const char *command)
{
        if (!command)
                return;
        w->run = true;
        detonate_append(w->runs, sizeof(w->runs), "%s", command);
        if (contains_ci(command, "powershell") || contains_ci(command, "pwsh"))
                w->powershell = true;
        if (contains_ci(command, "cmd") || contains_ci(command, ".bat"))
                w->cmd = true;
        if (contains_ci(command, "schtasks")) {
                w->task = true;
                detonate_append(w->tasks, sizeof(w->tasks), "%s", command);
        }
        if (contains_ci(command, "CurrentVersion\\Run") && contains_ci(command, "reg")) {
                w->run_key = true;
                detonate_append(w->regs, sizeof(w->regs), "%s", command);
        }
        if (contains_ci(command, "http://") || contains_ci(command, "https://") ||
            contains_ci(command, "DownloadFile") || contains_ci(command, "Invoke-WebRequest") ||
            contains_ci(command, "iwr ") || contains_ci(command, "bitsadmin") ||
            contains_ci(command, "certutil"))
                w->download = true;
}

static void map_ioc(struct wsh_run *w, json_object *ioc)
{
        const char *type = jstr(ioc, "type");
        json_object *v = jget(ioc, "value");

        if (!type)
                return;
        w->n_ioc++;
        if (streq(type, "UrlFetch") || streq(type, "XMLHTTP")) {
                const char *url = jstr(v, "url");

                w->download = true;
                if (streq(type, "XMLHTTP")) {
                        w->activex_fetch = true;
                        if (!strstr(w->objects, "MSXML2.XMLHTTP"))
                                detonate_append(w->objects, sizeof(w->objects), "MSXML2.XMLHTTP");
                }
                if (url && !strstr(w->urls, url))
                        detonate_append(w->urls, sizeof(w->urls), "%s", url);
        } else if (streq(type, "ADODBStream") || streq(type, "FileWrite") ||
                   streq(type, "FileCopy") || streq(type, "FileMove") || streq(type, "Copy")) {
                const char *f = jstr(v, "file") ?: jstr(v, "name");

                if (streq(type, "ADODBStream") && !strstr(w->objects, "ADODB.Stream"))
                        detonate_append(w->objects, sizeof(w->objects), "ADODB.Stream");
                if (f) {
                        w->write = true;
                        if (!strstr(w->writes, f))
                                detonate_append(w->writes, sizeof(w->writes), "%s", f);
                }
        } else if (streq(type, "Run")) {
                note_run(w, jstr(v, "command")
                                    ?: (json_object_is_type(v, json_type_string)
                                                ? json_object_get_string(v)
                                                : NULL));
        } else if (streq(type, "CommandExec") || streq(type, "WMI.GetObject.Create") ||
                   streq(type, "WMI.GetObject.Run")) {
                note_run(w, jstr(v, "command")
                                    ?: json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
        } else if (streq(type, "RegWrite")) {
                const char *key = jstr(v, "key");

                detonate_append(w->regs, sizeof(w->regs), "%s = %s", key ?: "?",
                                jstr(v, "value") ?: "");
                if (contains_ci(key, "CurrentVersion\\Run"))
                        w->run_key = true;
        } else if (streq(type, "Task")) {
                w->task = true;
                detonate_append(w->tasks, sizeof(w->tasks), "%s",
                                json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
        } else if (!streq(type, "Sample Name") && !streq(type, "NewResource") &&
                   !strstr(w->other, type))
                detonate_append(w->other, sizeof(w->other), "%s", type);
}

/* A command that runs a file the script wrote. */
static void match_written_runs(struct wsh_run *w, json_object *iocs)
{
        for (size_t i = 0; i < json_object_array_length(iocs); i++) {
                json_object *o = json_object_array_get_idx(iocs, i);
                const char *t = jstr(o, "type"), *f;

                if (!t || !(streq(t, "FileWrite") || streq(t, "ADODBStream")))
                        continue;
                f = jstr(jget(o, "value"), "file") ?: jstr(jget(o, "value"), "name");
                if (f && *base_of(f) && contains_ci(w->runs, base_of(f)))
                        w->run_written = true;
        }
}

/* Opens name below the results folder out (which the sandbox wrote) without following a link,
 * as a regular file owned by the sandbox's user (us). Returns the fd or a negative errno. */
static int open_result(const char *out, const char *name)
{
        char path[4096];
        char *untrusted[] = {(char *)out, NULL};
        _cleanup_free_ char *real = NULL;
        struct stat st;
        int fd;

        if (strchr(name, '/') || streq(name, ".") || streq(name, ".."))
                return -EINVAL;
        snprintf(path, sizeof(path), "%s/%s", out, name);
        fd = chase(path, untrusted, O_RDONLY | O_NONBLOCK, &real, NULL);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !owner_is_ours(&st, sandbox_uid())) {
                safe_close(fd);
                return -EPERM;
        }
        return fd;
}

/* The files the script wrote (resources.json: uuid -> {path}) as children of r. */
static int judge_resources(struct analysis_result *r, struct analysis_ctx *ctx, const char *out,
                           char *names, size_t names_size)
{
        _cleanup_free_ char *text = NULL;
        json_object *res;
        size_t n = 0;
        int fd, k = 0;

        fd = open_result(out, "resources.json");
        if (fd < 0)
                return 0;
        k = read_full_fd(fd, &text, NULL, IOC_MAX);
        safe_close(fd);
        if (k < 0)
                return 0;
        res = json_tokener_parse(text);
        if (!res || !json_object_is_type(res, json_type_object)) {
                json_object_put(res);
                return 0;
        }
        json_object_object_foreach(res, uuid, info)
        {
                _cleanup_free_ char *data = NULL;
                struct analysis_result *child = NULL;
                const char *path = jstr(info, "path");
                size_t size = 0;

                if (n >= RESOURCES_MAX || k < 0)
                        break;
                fd = open_result(out, uuid);
                if (fd < 0)
                        continue;
                k = read_full_fd(fd, &data, &size, RESOURCE_MAX);
                safe_close(fd);
                if (k < 0) {
                        k = 0;
                        continue;
                }
                n++;
                k = analysis_scan_buffer_child(ctx, r, path ? base_of(path) : uuid, data, size,
                                               &child);
                if (k >= 0 && child)
                        analysis_result_finalize(child);
                detonate_append(names, names_size, "%s (%zu bytes)", path ? base_of(path) : uuid,
                                size);
        }
        json_object_put(res);
        return k;
}

static int add(struct analysis_result *r, const char *rule, enum analysis_severity sev,
               const char *attack, const char *description, const char *evidence)
{
        return analysis_result_add_finding(r, rule, sev, attack, description, evidence,
                                           "detonation");
}

static int report(struct analysis_result *r, struct wsh_run *w, const char *lang)
{
        char ids[128], ev[EVIDENCE_SIZE * 2];
        bool dropper = w->download && (w->write || w->run);
        int k = 0;

        if (w->urls[0] || w->download)
                k = add(r, "wsh.download", ANALYSIS_SEVERITY_MEDIUM, "T1105",
                        w->activex_fetch ? "the script fetches a URL through ActiveX "
                                           "(MSXML2.XMLHTTP)"
                                         : "the script fetches a URL",
                        w->urls[0] ? w->urls : w->runs);
        if (k >= 0 && w->objects[0] && strstr(w->objects, "ADODB.Stream"))
                k = add(r, "wsh.activex_stream", ANALYSIS_SEVERITY_MEDIUM, "T1105",
                        "the script writes data through ActiveX objects", w->objects);
        if (k >= 0 && w->write)
                k = add(r, "wsh.file_write", ANALYSIS_SEVERITY_LOW, NULL, "the script writes files",
                        w->writes);
        if (k >= 0 && w->run) {
                snprintf(ids, sizeof(ids), "%s%s%s%s", lang, w->powershell ? ",T1059.001" : "",
                         w->cmd ? ",T1059.003" : "", w->run_written ? ",T1204.002" : "");
                k = add(r, "wsh.shell_run", ANALYSIS_SEVERITY_MEDIUM, ids,
                        w->run_written ? "the script runs a file it wrote (WScript.Shell)"
                                       : "the script runs commands (WScript.Shell Run/Exec)",
                        w->runs);
        }
        if (k >= 0 && w->run_key)
                k = add(r, "wsh.run_key", ANALYSIS_SEVERITY_HIGH, "T1547.001",
                        "the script writes a registry Run key", w->regs);
        else if (k >= 0 && w->regs[0])
                k = add(r, "wsh.registry_write", ANALYSIS_SEVERITY_LOW, "T1112",
                        "the script writes the registry", w->regs);
        if (k >= 0 && w->task)
                k = add(r, "wsh.scheduled_task", ANALYSIS_SEVERITY_HIGH, "T1053.005",
                        "the script registers a scheduled task", w->tasks);
        if (k >= 0 && dropper) {
                snprintf(ids, sizeof(ids), "%s,T1105%s", lang, w->run_written ? ",T1204.002" : "");
                ev[0] = 0;
                detonate_append(ev, sizeof(ev), "fetched %s",
                                w->urls[0] ? w->urls : "(by a command)");
                if (w->write)
                        detonate_append(ev, sizeof(ev), "wrote %s", w->writes);
                if (w->run)
                        detonate_append(ev, sizeof(ev), "ran %s", w->runs);
                k = add(r, "wsh.dropper", ANALYSIS_SEVERITY_HIGH, ids,
                        "the script downloads a payload and writes or runs it (a dropper)", ev);
        }
        return k;
}

/* dir holds sample.js, preload.js (data/wsh-preload.js) and vbs.js (data/wsh-vbs.js), ours and
 * read-only inside. */
static int run_boxjs(const char *airlock, const char *dir, const char *out, unsigned timeout,
                     bool vbscript, int *ret_status)
{
        const char *bdir = boxjs_dir();
        char tmo[16], inner[32], pathenv[4200], analyze[4200], sample_in[] = "/sample/sample.js",
                                                               preload[] = "/sample/preload.js";
        const char *argv[40];
        size_t a = 0;

        snprintf(tmo, sizeof(tmo), "%u", timeout + NODE_START_SEC);
        snprintf(inner, sizeof(inner), "--timeout=%u", timeout);
        snprintf(pathenv, sizeof(pathenv), "PATH=%s/path", bdir);
        snprintf(analyze, sizeof(analyze), "%s/node_modules/box-js/analyze.js", bdir);
        argv[a++] = airlock;
        argv[a++] = "run";
        argv[a++] = "--net";
        argv[a++] = "sinkhole";
        argv[a++] = "--timeout";
        argv[a++] = tmo;
        argv[a++] = "--ro-bind";
        argv[a++] = bdir;
        argv[a++] = bdir;
        argv[a++] = "--ro-bind";
        argv[a++] = dir;
        argv[a++] = "/sample";
        argv[a++] = "--bind";
        argv[a++] = out;
        argv[a++] = "/out";
        argv[a++] = "--env";
        argv[a++] = pathenv;
        if (vbscript) {
                /* data/wsh-preload.js translates it with data/wsh-vbs.js (/sample/vbs.js) */
                argv[a++] = "--env";
                argv[a++] = "AIRLOCK_WSH_VBSCRIPT=1";
        }
        argv[a++] = "--";
        argv[a++] = "node";
        argv[a++] = "-r";
        argv[a++] = preload;
        argv[a++] = analyze;
        argv[a++] = sample_in;
        argv[a++] = "/out/";
        argv[a++] = inner;
        argv[a++] = "--no-kill";
        /* without it box-js throws at the first Run, and the rest of the script never runs */
        argv[a++] = "--no-shell-error";
        argv[a] = NULL;

        return detonate_spawn_quiet(argv, ret_status);
}

/* Removes what the sandbox left in out (flat: box-js writes no folders), never following a
 * link, then out itself. */
static void remove_out(const char *out)
{
        _cleanup_close_ int dfd = open(out, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        DIR *d;
        struct dirent *e;

        if (dfd >= 0 && (d = fdopendir(dup(dfd)))) {
                while ((e = readdir(d)))
                        if (!streq(e->d_name, ".") && !streq(e->d_name, ".."))
                                if (unlinkat(dfd, e->d_name, 0) < 0 && errno == EISDIR)
                                        (void)unlinkat(dfd, e->d_name, AT_REMOVEDIR);
                closedir(d);
        }
        (void)rmdir(out);
}

/* A new file, readable by the sandbox's user, holding data. */
static int write_new(const char *path, const void *data, size_t size)
{
        _cleanup_close_ int o =
                open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);

        return o < 0 ? negative_errno() : loop_write(o, data, size);
}

static int not_run(struct analysis_result *r, const char *why)
{
        return analysis_result_add_finding(r, "wsh.not_run", ANALYSIS_SEVERITY_INFO, NULL,
                                           "the Windows script was not detonated", why,
                                           "detonation") < 0
                       ? -ENOMEM
                       : 0;
}

int wsh_detonate(struct analysis_result *r, int fd, struct analysis_ctx *ctx, const char *airlock,
                 unsigned timeout_sec)
{
        const char *suffix = suffix_of(r), *lang;
        char dir[] = "/tmp/airlock-wsh.XXXXXX", sample[64], preload[64], vbs_path[64], out[64],
             path[4200], hex[2 * SHA256_DIGEST_SIZE + 1], note[512], dropped[EVIDENCE_SIZE] = "";
        _cleanup_free_ char *content = NULL, *js = NULL, *ioc_text = NULL, *pre_path = NULL,
                            *pre = NULL, *vbs_data_path = NULL, *vbs = NULL;
        bool vbscript = false, both = false;
        uint8_t digest[SHA256_DIGEST_SIZE];
        struct wsh_run w = {};
        struct sha256_ctx c;
        struct timespec start, end;
        json_object *iocs = NULL;
        size_t size = 0, other = 0;
        int k, status = 0, ifd;

        if (!suffix)
                return 0;
        snprintf(path, sizeof(path), "%s/node_modules/box-js/analyze.js", boxjs_dir());
        if (access(path, R_OK) < 0) {
                note[0] = 0;
                detonate_append(note, sizeof(note),
                                "box-js is not installed (%s: %s; scripts/deps.sh installs it)",
                                path, strerror(errno));
                return not_run(r, note);
        }
        k = data_path("data/wsh-preload.js", &pre_path);
        if (k >= 0)
                k = read_full_file(pre_path, &pre, NULL, 1u << 20);
        if (k >= 0)
                k = data_path("data/wsh-vbs.js", &vbs_data_path);
        if (k >= 0)
                k = read_full_file(vbs_data_path, &vbs, NULL, 1u << 20);
        if (k < 0)
                return not_run(r, "airlock's data/wsh-preload.js or data/wsh-vbs.js is missing");
        {
                _cleanup_close_ int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);

                if (dup_fd < 0 || lseek(dup_fd, 0, SEEK_SET) < 0)
                        return negative_errno();
                k = read_full_fd(dup_fd, &content, &size, SCRIPT_MAX);
        }
        if (k == -EFBIG || k == -E2BIG)
                return not_run(r, "larger than 4 MiB");
        if (k < 0)
                return k;
        sha256_init(&c);
        sha256_update(&c, content, size);
        sha256_final(&c, digest);
        sha256_digest_to_hex(digest, hex);
        if (r->sha256 && !streq(hex, r->sha256))
                return analysis_result_add_finding(r, "detonation.changed", ANALYSIS_SEVERITY_INFO,
                                                   NULL,
                                                   "the file changed after it was scanned; not run",
                                                   hex, "detonation") < 0
                               ? -ENOMEM
                               : 0;
        /* JScript.Encode/VBScript.Encode: box-js and the translator read the text */
        if (script_is_encoded(content, size)) {
                _cleanup_free_ char *decoded = NULL;
                size_t decoded_size;

                if (script_decode(content, size, &decoded, &decoded_size, NULL) < 0)
                        return -ENOMEM;
                free(content);
                content = TAKE_PTR(decoded);
                size = decoded_size;
        }
        if (streq(suffix, ".vbs") || streq(suffix, ".vbe"))
                vbscript = true;
        else if (streq(suffix, ".wsf") || streq(suffix, ".hta")) {
                /* its JScript, its VBScript, or both in document order through the translator */
                js = extract_scripts(content, SCRIPT_JSCRIPT, &other);
                if (js && other) {
                        both = js[0] != 0;
                        free(js);
                        js = extract_scripts(content, both ? SCRIPT_BOTH : SCRIPT_VBSCRIPT, &other);
                        vbscript = true;
                }
                if (!js)
                        return -ENOMEM;
        }
        lang = both ? "T1059.005,T1059.007" : vbscript ? "T1059.005" : "T1059.007";

        if (!mkdtemp(dir))
                return negative_errno();
        (void)chmod(dir, 0755);
        snprintf(sample, sizeof(sample), "%s/sample.js", dir);
        snprintf(preload, sizeof(preload), "%s/preload.js", dir);
        snprintf(vbs_path, sizeof(vbs_path), "%s/vbs.js", dir);
        snprintf(out, sizeof(out), "%s/out", dir);
        k = write_new(sample, js ? js : content, js ? strlen(js) : size);
        if (k >= 0)
                k = write_new(preload, pre, strlen(pre));
        if (k >= 0)
                k = write_new(vbs_path, vbs, strlen(vbs));
        if (k >= 0 && mkdir(out, 0700) < 0)
                k = negative_errno();
        /* the sandbox's user writes it; dir, ours and not writable by it, holds it in place */
        if (k >= 0 && geteuid() == 0 && chown(out, SANDBOX_UID_FOR_ROOT, SANDBOX_UID_FOR_ROOT) < 0)
                k = negative_errno();
        if (k < 0)
                goto finish;
        clock_gettime(CLOCK_MONOTONIC, &start);
        k = run_boxjs(airlock, dir, out, timeout_sec, vbscript, &status);
        clock_gettime(CLOCK_MONOTONIC, &end);
        if (k < 0)
                goto finish;
        ifd = open_result(out, "IOC.json");
        if (ifd >= 0) {
                k = read_full_fd(ifd, &ioc_text, NULL, IOC_MAX);
                safe_close(ifd);
                if (k >= 0)
                        iocs = json_tokener_parse(ioc_text);
        }
        snprintf(note, sizeof(note),
                 "box-js in airlock run --net sinkhole%s; exit status %d; %.1f s",
                 both       ? " (VBScript translated to JScript, with its JScript blocks)"
                 : vbscript ? " (VBScript translated to JScript)"
                            : "",
                 status,
                 (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9);
        if (!iocs || !json_object_is_type(iocs, json_type_array)) {
                detonate_append(note, sizeof(note), "no IOC.json (%s)",
                                ifd == -ELOOP   ? "a link in its place, not followed"
                                : ifd == -EPERM ? "not a file of ours"
                                                : "the emulator failed on the script");
                k = add(r, "detonation.failed", ANALYSIS_SEVERITY_INFO, NULL,
                        "the Windows script could not be emulated", note);
                goto finish;
        }
        for (size_t i = 0; i < json_object_array_length(iocs); i++)
                map_ioc(&w, json_object_array_get_idx(iocs, i));
        match_written_runs(&w, iocs);
        k = report(r, &w, lang);
        if (k >= 0 && ctx)
                k = judge_resources(r, ctx, out, dropped, sizeof(dropped));
        detonate_append(note, sizeof(note), "%zu records", w.n_ioc);
        if (dropped[0])
                detonate_append(note, sizeof(note), "files written: %s", dropped);
        if (k >= 0)
                k = add(r, "wsh.ran", ANALYSIS_SEVERITY_INFO, NULL,
                        "emulated in box-js (WSH emulator) inside the sandbox", note);
        if (k >= 0)
                k = 1;
finish:
        json_object_put(iocs);
        remove_out(out);
        unlink(sample);
        unlink(preload);
        unlink(vbs_path);
        rmdir(dir);
        return k;
}
