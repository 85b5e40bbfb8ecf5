/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rule layer: the shipped YARA pack with the encoded-run measurements and the decoders of
 * embedded content (base64, uuencode, RTF objects, carved programs) on any text or bytes, under
 * names of every kind; and the parser of users' hash lists. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct analysis_ctx *ctx;
static char hash_dir[] = "/tmp/airlock-fuzz-rules-XXXXXX";

static const char *const names[] = {
        "page.html",
        "image.svg",
        "doc.pdf",
        "letter.rtf",
        "mail.eml",
        "run.sh",
        "x.py",
        "invoice.pdf.exe",
        ("report\xe2\x80\xae" /* RIGHT-TO-LEFT OVERRIDE, split so "f" is not a hex digit */
         "fdp.exe"),
        "data.bin",
};

static void cleanup(void)
{
        char path[64];

        snprintf(path, sizeof(path), "%s/f.hsb", hash_dir);
        unlink(path);
        rmdir(hash_dir);
}

static void parse_hash_list(const uint8_t *data, size_t size)
{
        char path[64], *dirs[] = {hash_dir, NULL}, *error = NULL;
        struct analysis_options o;
        struct analysis_ctx *c = NULL;
        int fd;

        snprintf(path, sizeof(path), "%s/f.hsb", hash_dir);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || write(fd, data, size) != (ssize_t)size)
                abort();
        close(fd);
        analysis_options_init(&o);
        o.no_builtin_rules = true;
        o.rules_dirs = dirs;
        if (analysis_ctx_new(&o, &c, &error) == 0)
                analysis_ctx_free(c);
        free(error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct analysis_result *r = NULL;

        if (!ctx) {
                struct analysis_options o;
                analysis_options_init(&o);
                o.limits.max_expansion = 32 << 20;
                o.in_process = true; /* the parsers themselves, with their sanitizers */
                o.limits.timeout_sec = 10;
                if (analysis_ctx_new(&o, &ctx, NULL) < 0 || !mkdtemp(hash_dir))
                        abort();
                atexit(cleanup);
        }
        if (size == 0)
                return 0;
        if (data[0] == '#') {
                parse_hash_list(data, size);
                return 0;
        }
        if (analysis_scan_buffer(ctx, names[data[0] % (sizeof(names) / sizeof(names[0]))], data,
                                 size, &r) < 0)
                return 0;
        if (r->score > 10)
                abort();
        analysis_result_free(r);
        return 0;
}
