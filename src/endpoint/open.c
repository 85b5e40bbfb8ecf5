/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <limits.h>

#include "basic/macro.h"
#include "endpoint/open.h"

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

struct program {
        const char *profile;
        const char *const *argv;
};

struct type_rule {
        const char *kind;
        const char *const *mimes; /* prefixes of MIME types, NULL-terminated */
        const struct program *programs;
        size_t n_programs;
        bool refuse;
};

static const struct program pdf_programs[] = {
        {"pdf", ARGV("evince", "{}")},
        {"pdf", ARGV("okular", "{}")},
        {"pdf", ARGV("zathura", "{}")},
        {"pdf", ARGV("mupdf", "{}")},
        {"pdf", ARGV("pdftotext", "-layout", "{}", "-")},
};
static const struct program office_programs[] = {
        {"office", ARGV("soffice", "--view", "{}")},
        {"office", ARGV("libreoffice", "--view", "{}")},
};
static const struct program web_programs[] = {
        {"chromium", ARGV("chromium", "{}")},
        {"firefox", ARGV("firefox-esr", "--no-remote", "{}")},
        {"firefox", ARGV("firefox", "--no-remote", "{}")},
};
static const struct program archive_programs[] = {
        {"archive", ARGV("bsdtar", "-tvf", "{}")},
        {"archive", ARGV("7z", "l", "{}")},
        {"archive", ARGV("unzip", "-l", "{}")},
};
static const struct program pager_programs[] = {
        {"shell", ARGV("less", "{}")},
        {"shell", ARGV("cat", "{}")},
};
static const struct program cat_programs[] = {
        {"shell", ARGV("cat", "{}")},
};

#define PROGRAMS(a) a, ELEMENTSOF(a)

/* In order: the first rule with a matching prefix decides (HTML before other text). */
static const struct type_rule rules[] = {
        {"program or library",
         ARGV("application/x-executable", "application/x-pie-executable", "application/x-sharedlib",
              "application/x-dosexec", "application/x-msdownload",
              "application/vnd.microsoft.portable-executable", "application/x-mach-binary",
              "application/x-msi", "application/x-object"),
         NULL, 0, true},
        {"PDF document", ARGV("application/pdf"), PROGRAMS(pdf_programs), false},
        {"office document",
         ARGV("application/vnd.openxmlformats-officedocument", "application/msword",
              "application/vnd.ms-", "application/vnd.oasis.opendocument", "application/rtf",
              "text/rtf", "application/CDFV2"),
         PROGRAMS(office_programs), false},
        {"web page or image", ARGV("text/html", "application/xhtml+xml", "image/svg+xml", "image/"),
         PROGRAMS(web_programs), false},
        {"archive",
         ARGV("application/zip", "application/x-tar", "application/gzip", "application/x-gzip",
              "application/x-7z-compressed", "application/x-rar", "application/vnd.rar",
              "application/x-bzip2", "application/x-xz", "application/zstd",
              "application/x-iso9660-image", "application/x-cpio", "application/java-archive",
              "application/vnd.ms-cab-compressed", "application/x-lzma"),
         PROGRAMS(archive_programs), false},
        {"text file",
         ARGV("text/", "application/json", "application/xml", "application/javascript",
              "application/x-shellscript", "message/", "inode/x-empty"),
         PROGRAMS(pager_programs), false},
};

bool open_program_exists(const char *name)
{
        const char *path = getenv("PATH");
        char buf[PATH_MAX];

        if (strchr(name, '/'))
                return access(name, X_OK) == 0;
        if (!path || !*path)
                path = "/usr/local/bin:/usr/bin:/bin";
        while (*path) {
                size_t len = strcspn(path, ":");

                if (len > 0 &&
                    (size_t)snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, name) <
                            sizeof(buf) &&
                    access(buf, X_OK) == 0)
                        return true;
                path += len;
                if (*path == ':')
                        path++;
        }
        return false;
}

static bool matches(const struct type_rule *r, const char *mime)
{
        for (const char *const *m = r->mimes; *m; m++)
                if (strncasecmp(mime, *m, strlen(*m)) == 0)
                        return true;
        return false;
}

int open_choose_handler(const char *mime, bool interactive, struct open_handler *ret)
{
        for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
                const struct type_rule *r = &rules[i];
                const struct program *programs = r->programs;
                size_t n = r->n_programs;

                if (!mime || !matches(r, mime))
                        continue;
                if (r->refuse) {
                        *ret = (struct open_handler){.kind = r->kind, .profile = "untrusted"};
                        return -EPERM;
                }
                if (programs == pager_programs && !interactive) {
                        programs = cat_programs;
                        n = ELEMENTSOF(cat_programs);
                }
                for (size_t j = 0; j < n; j++)
                        if (open_program_exists(programs[j].argv[0])) {
                                *ret = (struct open_handler){.kind = r->kind,
                                                             .profile = programs[j].profile,
                                                             .argv = programs[j].argv};
                                return 0;
                        }
                *ret = (struct open_handler){.kind = r->kind, .profile = programs[0].profile};
                return -ENOENT;
        }
        *ret = (struct open_handler){.kind = mime ? mime : "unknown type", .profile = "untrusted"};
        return -ENOENT;
}
