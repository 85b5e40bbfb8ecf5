/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vocab-dump -m ps|web|js [-f FLAGS] FILE...: for each file, a line
 * "FILE<TAB>TOKENS<TAB>LANGUAGE<TAB>H H H...", the distinct hashes of its tokens (in hex) as the
 * model's tokenizer reads them (analysis/psmodel.h, analysis/webmodel.h) with the given
 * tokenizer flags (default: those of the model's table). LANGUAGE is webshape_language()'s
 * for web (0: not a server-side script, which the scanner never scores; no hashes then) and
 * 0 for ps; for js 1 for a script, 2 for a page (a text that opens with a tag: the tokens of
 * its inline <script> bodies, as the scanner scores them one by one) and 0 for a page without
 * one. tools/train-psmodel.py and tools/train-webmodel.py train on these lines, so that
 * training and scanning share one tokenizer. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/jsmodel.h"
#include "analysis/psmodel.h"
#include "analysis/webmodel.h"
#include "analysis/webshape.h"

struct hashes {
        uint32_t *h;
        size_t n, size;
};

static void add_hash(void *userdata, uint32_t h)
{
        struct hashes *x = userdata;

        if (x->n == x->size) {
                x->size = x->size ? 2 * x->size : 4096;
                x->h = realloc(x->h, x->size * sizeof(*x->h));
                if (!x->h)
                        abort();
        }
        x->h[x->n++] = h;
}

static int cmp_u32(const void *a, const void *b)
{
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

        return (x > y) - (x < y);
}

enum { MODEL_PS, MODEL_WEB, MODEL_JS };

struct js_page {
        unsigned flags;
        struct hashes *x;
        uint32_t tokens;
};

static void js_block(void *userdata, const char *body, size_t len)
{
        struct js_page *p = userdata;

        p->tokens += jsmodel_tokens(body, len, p->flags, add_hash, p->x);
}

/* The first byte that is not blank (after a UTF-8 BOM) opens a tag (as the scanner's
 * opens_with_tag()). */
static int opens_with_tag(const char *d, size_t n)
{
        size_t i = n >= 3 && !memcmp(d, "\xef\xbb\xbf", 3) ? 3 : 0;

        while (i < n && (d[i] == ' ' || (d[i] >= '\t' && d[i] <= '\r')))
                i++;
        return i + 1 < n && d[i] == '<' &&
               (((d[i + 1] | 0x20) >= 'a' && (d[i + 1] | 0x20) <= 'z') || d[i + 1] == '!');
}

static int dump(const char *path, int model, unsigned flags, struct hashes *x)
{
        static char buf[PSMODEL_MAX_INPUT];
        FILE *fp = fopen(path, "rbe");
        uint32_t tokens = 0;
        int language = 0;
        size_t n;

        if (!fp) {
                fprintf(stderr, "vocab-dump: cannot open %s: %s\n", path, strerror(errno));
                return -errno;
        }
        n = fread(buf, 1, sizeof(buf), fp);
        fclose(fp);
        x->n = 0;
        if (model == MODEL_PS) {
                tokens = psmodel_tokens(buf, n, flags, add_hash, x);
        } else if (model == MODEL_JS) {
                if (opens_with_tag(buf, n)) {
                        struct js_page p = {.flags = flags, .x = x};
                        language = jsmodel_blocks(buf, n, js_block, &p) > 0 ? 2 : 0;
                        tokens = p.tokens;
                } else {
                        language = 1;
                        tokens = jsmodel_tokens(buf, n, flags, add_hash, x);
                }
        } else {
                language = webshape_language(buf, n);
                if (language != WEBSHAPE_NONE)
                        tokens = webmodel_tokens(buf, n, language, flags, add_hash, x);
        }
        qsort(x->h, x->n, sizeof(*x->h), cmp_u32);
        printf("%s\t%u\t%d\t", path, tokens, language);
        for (size_t i = 0; i < x->n; i++)
                if (i == 0 || x->h[i] != x->h[i - 1])
                        printf(i ? " %x" : "%x", x->h[i]);
        putchar('\n');
        return 0;
}

int main(int argc, char **argv)
{
        struct hashes x = {0};
        unsigned flags;
        int i = 1, ret = 0, model;

        if (argc < 3 || strcmp(argv[1], "-m") != 0 ||
            (strcmp(argv[2], "ps") != 0 && strcmp(argv[2], "web") != 0 &&
             strcmp(argv[2], "js") != 0)) {
                fprintf(stderr, "usage: vocab-dump -m ps|web|js [-f FLAGS] FILE...\n");
                return 2;
        }
        model = strcmp(argv[2], "web") == 0  ? MODEL_WEB
                : strcmp(argv[2], "js") == 0 ? MODEL_JS
                                             : MODEL_PS;
        flags = model == MODEL_WEB  ? webmodel_table_flags
                : model == MODEL_JS ? jsmodel_table_flags
                                    : psmodel_table_flags;
        i = 3;
        if (argc > i + 1 && strcmp(argv[i], "-f") == 0) {
                flags = (unsigned)strtoul(argv[i + 1], NULL, 0);
                i += 2;
        }
        for (; i < argc; i++)
                if (dump(argv[i], model, flags, &x) < 0)
                        ret = 1;
        free(x.h);
        return ret;
}
