/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Heuristics in C for what rules cannot see: the name against the true type, double
 * extensions and bidirectional-override names (T1036.002/.007/.008), executables and disk
 * images inside archives (T1204.002, T1553.005). */
#include <strings.h>

#include "analysis-internal.h"

/* Extensions that make Windows (or a desktop) run the file. */
static const char *const exec_extensions[] = {
        "exe", "scr", "com", "pif",      "bat", "cmd", "js",  "jse",  "vbs", "vbe",
        "wsf", "wsh", "hta", "lnk",      "ps1", "msi", "jar", "cpl",  "dll", "reg",
        "elf", "sh",  "run", "appimage", "iso", "img", "vhd", "vhdx", "url",
};

/* Extensions of files people open without a second thought. */
static const char *const document_extensions[] = {
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "rtf", "txt",
        "odt", "ods", "csv",  "jpg", "jpeg", "png", "gif",  "bmp", "mp3",
        "mp4", "avi", "mov",  "wav", "html", "htm", "zip",  "rar", "7z",
};

/* Programs that Windows runs on a double click: the usual payload of a mail attachment. */
static const char *const windows_exec_mimes[] = {
        "application/x-dosexec",
        "application/x-msdownload",
        "application/vnd.microsoft.portable-executable",
        "application/x-ms-shortcut",
        "application/x-msi",
};

/* Unix programs: common in ordinary software archives, so weaker on their own. */
static const char *const unix_exec_mimes[] = {
        "application/x-executable",  "application/x-pie-executable", "application/x-sharedlib",
        "application/x-mach-binary", "text/x-shellscript",
};

/* Windows extensions that run a script or program on a double click (jar: with Java
 * installed; Adwind and STRRAT arrive so). */
static const char *const windows_run_extensions[] = {
        "exe", "scr", "com", "pif", "bat", "cmd", "js",  "jse", "vbs", "vbe",
        "wsf", "wsh", "hta", "lnk", "ps1", "msi", "cpl", "reg", "url", "jar",
};

/* Zip files that are an application's package, not something a user opens to take a file
 * out: a double click runs them or nothing does (Explorer does not browse them), so their
 * scripts and programs are the application's parts, not an attachment's payload. */
static const char *const package_extensions[] = {
        "jar", "war", "ear", "jmod", "whl",   "egg",  "ja",
        "xpi", "crx", "apk", "aar",  "nupkg", "vsix",
};

static const char *const disk_image_mimes[] = {
        "application/x-iso9660-image",
        "application/x-udf-image",
        "application/x-virtualbox-vhd",
        "application/x-qemu-disk",
};

static const char *const archive_mimes[] = {
        "application/zip",
        "application/x-7z-compressed",
        "application/x-rar",
        "application/vnd.rar",
        "application/x-tar",
        "application/gzip",
        "application/x-bzip2",
        "application/x-xz",
        "application/vnd.ms-cab-compressed",
        "application/x-cpio",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
        for (size_t i = 0; s && i < n; i++)
                if (strcasecmp(s, list[i]) == 0)
                        return true;
        return false;
}

#define IN(s, list) in_list((s), (list), ELEMENTSOF(list))

bool heuristics_below_disk_image(const struct analysis_result *node)
{
        for (const struct analysis_result *a = node->parent; a; a = a->parent)
                if (IN(a->mime, disk_image_mimes))
                        return true;
        return false;
}

bool heuristics_is_executable(const struct analysis_result *node)
{
        return IN(node->mime, windows_exec_mimes) || IN(node->mime, unix_exec_mimes);
}

/* The extension after the last dot (trailing spaces and dots dropped, as Windows does). */
static void last_extension(const char *name, size_t len, char *ext, size_t ext_size,
                           size_t *ret_dot)
{
        while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '.'))
                len--;
        ext[0] = 0;
        *ret_dot = len;
        for (size_t i = len; i > 0; i--) {
                if (name[i - 1] == '.') {
                        size_t n = len - i;
                        if (n == 0 || n >= ext_size)
                                return;
                        memcpy(ext, name + i, n);
                        ext[n] = 0;
                        *ret_dot = i - 1;
                        return;
                }
                if (name[i - 1] == '/')
                        return;
        }
}

static int check_bidi(struct analysis_result *node)
{
        /* U+202E RIGHT-TO-LEFT OVERRIDE, U+202D LRO, U+2066..U+2069 isolates, U+200F RLM. */
        static const char *const marks[] = {"\xe2\x80\xae", "\xe2\x80\xad", "\xe2\x81\xa6",
                                            "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9"};

        for (size_t i = 0; i < ELEMENTSOF(marks); i++)
                if (strstr(node->name, marks[i]))
                        return analysis_result_add_finding(
                                node, "heuristic.rtlo_name", ANALYSIS_SEVERITY_HIGH, "T1036.002",
                                "the file name contains a bidirectional override character that "
                                "reverses how its extension is displayed",
                                node->name, NULL);
        return 0;
}

static int check_names(struct analysis_result *node)
{
        char ext[16], inner[16];
        size_t dot, dot2;
        bool exec_type = heuristics_is_executable(node);
        int k;

        if (!node->name || !*node->name)
                return 0;
        k = check_bidi(node);
        if (k < 0)
                return k;
        last_extension(node->name, strlen(node->name), ext, sizeof(ext), &dot);
        if (!*ext)
                return 0;
        last_extension(node->name, dot, inner, sizeof(inner), &dot2);

        /* invoice.pdf.exe, photo.jpg      .scr: the shown extension is not the real one. */
        if (*inner && IN(inner, document_extensions) && (IN(ext, exec_extensions) || exec_type)) {
                bool padded = dot > 0 && node->name[dot - 1] == ' ';
                k = analysis_result_add_finding(
                        node, "heuristic.double_extension", ANALYSIS_SEVERITY_HIGH, "T1036.007",
                        padded ? "a document extension followed by spaces and an executable one"
                               : "a document extension followed by an executable one or "
                                 "executable content",
                        node->name, NULL);
                if (k < 0)
                        return k;
        }
        /* report.pdf that is an ELF or PE program: the name lies about the type. */
        if (exec_type && IN(ext, document_extensions)) {
                char *ev;
                if (asprintf(&ev, "named .%s, content is %s", ext, node->mime) < 0)
                        return -ENOMEM;
                k = analysis_result_add_finding(
                        node, "heuristic.type_mismatch", ANALYSIS_SEVERITY_HIGH, "T1036.008",
                        "the extension claims a document but the content is executable", ev, NULL);
                free(ev);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* Findings that depend on where the node sits: inside an archive or a message. */
static int check_placement(struct analysis_result *node, unsigned depth)
{
        const struct analysis_result *p = node->parent;
        char ext[16];
        size_t dot;
        int k;

        if (depth == 0 || !p)
                return 0;
        last_extension(p->name, strlen(p->name), ext, sizeof(ext), &dot);
        bool in_package =
                (IN(p->mime, archive_mimes) || streq(p->mime ?: "", "application/java-archive")) &&
                IN(ext, package_extensions);
        last_extension(node->name, strlen(node->name), ext, sizeof(ext), &dot);
        bool in_disk_image = false;
        for (const struct analysis_result *a = p; a; a = a->parent)
                in_disk_image = in_disk_image || IN(a->mime, disk_image_mimes);
        if ((IN(node->mime, windows_exec_mimes) || IN(ext, windows_run_extensions)) &&
            in_disk_image) {
                k = analysis_result_add_finding(
                        node, "heuristic.executable_in_disk_image", ANALYSIS_SEVERITY_HIGH,
                        "T1553.005,T1204.002",
                        "a program delivered inside a disk image, which carries no "
                        "mark-of-the-web once mounted",
                        node->path, NULL);
                if (k < 0)
                        return k;
        } else if (in_package) {
                /* an application's own parts: see package_extensions */
        } else if (IN(node->mime, windows_exec_mimes) || IN(ext, windows_run_extensions)) {
                k = analysis_result_add_finding(
                        node, "heuristic.executable_in_container", ANALYSIS_SEVERITY_MEDIUM,
                        "T1204.002",
                        "a program or script that Windows runs on a double click, delivered "
                        "inside a container",
                        node->path, NULL);
                if (k < 0)
                        return k;
        } else if (IN(node->mime, unix_exec_mimes) && !streq(node->mime, "text/x-shellscript")) {
                k = analysis_result_add_finding(
                        node, "heuristic.program_in_container", ANALYSIS_SEVERITY_LOW, "T1204.002",
                        "a compiled program inside a container", node->path, NULL);
                if (k < 0)
                        return k;
        }
        if (IN(node->mime, disk_image_mimes) || strcasecmp(ext, "iso") == 0 ||
            strcasecmp(ext, "img") == 0 || strcasecmp(ext, "vhd") == 0 ||
            strcasecmp(ext, "vhdx") == 0) {
                k = analysis_result_add_finding(
                        node, "heuristic.disk_image_in_container", ANALYSIS_SEVERITY_MEDIUM,
                        "T1553.005",
                        "a disk image inside another container: a way to slip past "
                        "mark-of-the-web",
                        node->path, NULL);
                if (k < 0)
                        return k;
        } else if (IN(node->mime, archive_mimes) && p && IN(p->mime, archive_mimes)) {
                k = analysis_result_add_finding(node, "heuristic.nested_archive",
                                                ANALYSIS_SEVERITY_LOW, "T1027",
                                                "an archive inside an archive", node->path, NULL);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* For a node parsed by a confined worker: the worker sees the node without its parents, so the
 * supervisor, which has them, adds what depends on where the node sits. */
int heuristics_placement(struct analysis_result *node, unsigned depth)
{
        return check_placement(node, depth);
}

int heuristics_node(struct analysis_result *node, unsigned depth)
{
        int k = check_names(node);

        if (k < 0)
                return k;
        return check_placement(node, depth);
}
