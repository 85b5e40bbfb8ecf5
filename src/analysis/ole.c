/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* OLE2 compound files ([MS-CFB]): the streams of Office 97-2003 documents and of encrypted
 * OOXML packages. What is read here is what a rule over the raw bytes cannot see: the
 * encryption headers (and whether the default password opens them), Excel 4.0 macro sheets in
 * BIFF, field codes stored as UTF-16, and the files held by embedded OLE objects, which are
 * scanned as children. Everything works on the buffer it is given. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "analysis-internal.h"
#include "office.h"
#include "basic/unaligned.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

#define CFB_FREE         0xFFFFFFFFu
#define CFB_END          0xFFFFFFFEu
#define CFB_MAX_SECTOR   0xFFFFFFFAu
#define CFB_DIR_SIZE     128
#define CFB_MAX_STREAM   (64u << 20)
#define MAX_OLE_CHILDREN 32

enum { CFB_STORAGE = 1, CFB_STREAM = 2, CFB_ROOT = 5 };

struct cfb {
        const uint8_t *d;
        size_t size;
        unsigned shift, mini_shift;
        uint32_t mini_cutoff;
        uint32_t *fat, *minifat;
        size_t n_fat, n_minifat;
        uint8_t *dir, *mini;
        size_t n_dir, n_mini;
};

static void cfb_done(struct cfb *c)
{
        free(c->fat);
        free(c->minifat);
        free(c->dir);
        free(c->mini);
}

static const uint8_t *cfb_sector(const struct cfb *c, uint32_t s)
{
        size_t ss = (size_t)1 << c->shift, off = ((size_t)s + 1) << c->shift;

        return s <= CFB_MAX_SECTOR && off <= c->size && c->size - off >= ss ? c->d + off : NULL;
}

/* Follows a chain of table from start, copying unit-sized pieces with get(); at most max
 * bytes. Returns 0 with a malloc'd buffer, or a negative errno (-EBADMSG when broken). */
static int cfb_chain(const struct cfb *c, const uint32_t *table, size_t n_table, bool mini,
                     uint32_t start, size_t max, uint8_t **ret, size_t *ret_size)
{
        size_t unit = (size_t)1 << (mini ? c->mini_shift : c->shift), n = 0, cap = 0, steps = 0;
        _cleanup_free_ uint8_t *buf = NULL;

        for (uint32_t s = start; s != CFB_END && n < max; s = table[s]) {
                const uint8_t *src;
                if (s >= n_table || ++steps > n_table)
                        return -EBADMSG;
                if (mini)
                        src = ((size_t)s + 1) * unit <= c->n_mini ? c->mini + (size_t)s * unit
                                                                  : NULL;
                else
                        src = cfb_sector(c, s);
                if (!src)
                        return -EBADMSG;
                if (n + unit > cap) {
                        size_t ncap = cap ? 2 * cap : 16 * unit;
                        uint8_t *nb = realloc(buf, ncap);
                        if (!nb)
                                return -ENOMEM;
                        buf = nb;
                        cap = ncap;
                }
                memcpy(buf + n, src, unit);
                n += unit;
        }
        *ret_size = MIN(n, max);
        *ret = TAKE_PTR(buf);
        return 0;
}

static int cfb_open(const uint8_t *d, size_t size, struct cfb *c)
{
        uint32_t n_fat_sectors, difat, first_dir, first_minifat;
        size_t ss, per, n_sectors, got = 0;
        uint8_t *raw = NULL;
        size_t raw_size;
        int k;

        *c = (struct cfb){.d = d, .size = size};
        if (size < 512 || memcmp(d, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) != 0)
                return -EBADMSG;
        c->shift = read_le16(d + 0x1e);
        c->mini_shift = read_le16(d + 0x20);
        if ((c->shift != 9 && c->shift != 12) || c->mini_shift != 6)
                return -EBADMSG;
        ss = (size_t)1 << c->shift;
        n_sectors = size / ss;
        per = ss / 4;
        n_fat_sectors = read_le32(d + 0x2c);
        first_dir = read_le32(d + 0x30);
        c->mini_cutoff = read_le32(d + 0x38);
        first_minifat = read_le32(d + 0x3c);
        difat = read_le32(d + 0x44);
        if (n_fat_sectors == 0 || n_fat_sectors > n_sectors)
                return -EBADMSG;
        c->n_fat = (size_t)n_fat_sectors * per;
        c->fat = calloc(c->n_fat, sizeof(uint32_t));
        if (!c->fat)
                return -ENOMEM;
        /* the FAT's sectors: 109 in the header, then a chain of DIFAT sectors */
        for (unsigned i = 0; i < 109 && got < n_fat_sectors; i++, got++) {
                const uint8_t *s = cfb_sector(c, read_le32(d + 0x4c + 4 * i));
                if (!s)
                        return -EBADMSG;
                for (size_t j = 0; j < per; j++)
                        c->fat[got * per + j] = read_le32(s + 4 * j);
        }
        for (size_t hops = 0; got < n_fat_sectors; hops++) {
                const uint8_t *ds = cfb_sector(c, difat);
                if (!ds || hops > n_sectors)
                        return -EBADMSG;
                for (size_t i = 0; i + 1 < per && got < n_fat_sectors; i++, got++) {
                        const uint8_t *s = cfb_sector(c, read_le32(ds + 4 * i));
                        if (!s)
                                return -EBADMSG;
                        for (size_t j = 0; j < per; j++)
                                c->fat[got * per + j] = read_le32(s + 4 * j);
                }
                difat = read_le32(ds + 4 * (per - 1));
        }
        k = cfb_chain(c, c->fat, c->n_fat, false, first_dir, CFB_MAX_STREAM, &c->dir, &raw_size);
        if (k < 0)
                return k;
        c->n_dir = raw_size / CFB_DIR_SIZE;
        if (c->n_dir == 0 || c->dir[0x42] != CFB_ROOT)
                return -EBADMSG;
        /* the mini stream is the root's stream; the mini FAT a chain of its own */
        if (first_minifat != CFB_END && first_minifat != CFB_FREE) {
                k = cfb_chain(c, c->fat, c->n_fat, false, first_minifat, CFB_MAX_STREAM, &raw,
                              &raw_size);
                if (k < 0)
                        return k;
                c->minifat = (uint32_t *)raw;
                c->n_minifat = raw_size / 4;
                for (size_t i = 0; i < c->n_minifat; i++)
                        c->minifat[i] = read_le32(raw + 4 * i);
                k = cfb_chain(c, c->fat, c->n_fat, false, read_le32(c->dir + 0x74),
                              MIN((size_t)read_le32(c->dir + 0x78), (size_t)CFB_MAX_STREAM),
                              &c->mini, &c->n_mini);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* The entry's name in ASCII (other characters as '?', control characters kept). */
static void cfb_name(const struct cfb *c, size_t i, char name[33])
{
        const uint8_t *e = c->dir + i * CFB_DIR_SIZE;
        unsigned len = MIN(read_le16(e + 0x40), 64u) / 2, j;

        for (j = 0; j < len && j < 32; j++) {
                uint16_t ch = read_le16(e + 2 * j);
                if (ch == 0)
                        break;
                name[j] = ch < 0x80 ? (char)ch : '?';
        }
        name[j] = 0;
}

static int cfb_read(const struct cfb *c, size_t i, uint8_t **ret, size_t *ret_size)
{
        const uint8_t *e = c->dir + i * CFB_DIR_SIZE;
        uint32_t start = read_le32(e + 0x74);
        size_t size = read_le32(e + 0x78); /* version 3 files leave the high half unset */

        if (e[0x42] != CFB_STREAM || size > CFB_MAX_STREAM)
                return -EBADMSG;
        if (size < c->mini_cutoff)
                return cfb_chain(c, c->minifat, c->n_minifat, true, start, size, ret, ret_size);
        return cfb_chain(c, c->fat, c->n_fat, false, start, size, ret, ret_size);
}

/* The first stream named name (case-insensitive), or -1. */
static ssize_t cfb_find(const struct cfb *c, const char *name)
{
        char n[33];

        for (size_t i = 1; i < c->n_dir; i++) {
                if (c->dir[i * CFB_DIR_SIZE + 0x42] != CFB_STREAM)
                        continue;
                cfb_name(c, i, n);
                if (strcasecmp(n, name) == 0)
                        return (ssize_t)i;
        }
        return -1;
}

/* Findings of encryption. crypt is what the default password check found. */
static int add_encrypted(struct analysis_result *node, enum office_crypt crypt, const char *how)
{
        if (crypt == OFFICE_CRYPT_DEFAULT)
                return analysis_result_add_finding(
                        node, "office.encrypted_default_password", ANALYSIS_SEVERITY_HIGH,
                        "T1027.013",
                        "an Office document encrypted with the default password "
                        "'" OFFICE_DEFAULT_PASSWORD "': it opens without a prompt, and the "
                        "encryption only hides its content from scanners",
                        how, "office");
        return analysis_result_add_finding(
                node, "office.encrypted", ANALYSIS_SEVERITY_MEDIUM, "T1027.013",
                "an encrypted Office document: its content cannot be inspected", how, "office");
}

static int check_encryption_info(const struct cfb *c, struct analysis_result *node)
{
        _cleanup_free_ uint8_t *info = NULL;
        size_t n;
        ssize_t i = cfb_find(c, "EncryptionInfo");
        enum office_crypt crypt;
        int k;

        if (i < 0)
                return 0;
        k = cfb_read(c, (size_t)i, &info, &n);
        if (k == -ENOMEM)
                return k;
        crypt = k < 0 ? OFFICE_CRYPT_UNKNOWN : office_crypt_check(info, n, OFFICE_DEFAULT_PASSWORD);
        return add_encrypted(node, crypt,
                             n >= 4 && read_le16(info) == 4 && read_le16(info + 2) == 4
                                     ? "EncryptionInfo: agile encryption"
                                     : "EncryptionInfo: standard encryption");
}

/* BIFF records: type, length, data. */
#define BIFF_FORMULA    0x0006
#define BIFF_BOF        0x0809
#define BIFF_EOF        0x000A
#define BIFF_FILEPASS   0x002F
#define BIFF_NAME       0x0018
#define BIFF_BOUNDSHEET 0x0085

/* Excel 4.0 functions that run programs or load code ([MS-XLS] 2.5.198.17 Ftab). */
static const char *xlm_function(uint16_t f)
{
        switch (f & 0x7fff) {
        case 110:
                return "EXEC";
        case 149:
                return "REGISTER";
        case 150:
                return "CALL";
        case 267:
                return "REGISTER.ID";
        default:
                return NULL;
        }
}

/* Looks for function calls in a formula's parsed expression: ptgFunc (id) and ptgFuncVar
 * (argument count, id), of any class. */
static const char *xlm_dangerous_call(const uint8_t *rgce, size_t n)
{
        for (size_t i = 0; i + 2 < n; i++) {
                uint8_t t = rgce[i];
                const char *f = NULL;
                if ((t == 0x21 || t == 0x41 || t == 0x61))
                        f = xlm_function(read_le16(rgce + i + 1));
                else if ((t == 0x22 || t == 0x42 || t == 0x62) && i + 3 < n && rgce[i + 1] < 32)
                        f = xlm_function(read_le16(rgce + i + 2));
                if (f)
                        return f;
        }
        return NULL;
}

struct biff_sheet {
        uint32_t offset;
        uint8_t state, type;
        char name[32];
};

/* The formulas of the substream at off: the first dangerous call, if any. */
static const char *xlm_sheet_calls(const uint8_t *w, size_t n, size_t off)
{
        for (size_t p = off; p + 4 <= n;) {
                uint16_t type = read_le16(w + p), len = read_le16(w + p + 2);
                const uint8_t *r = w + p + 4;
                if (p + 4 + len > n)
                        break;
                if (type == BIFF_EOF)
                        break;
                if (type == BIFF_FORMULA && len > 22) {
                        uint16_t cce = read_le16(r + 20);
                        const char *f = xlm_dangerous_call(r + 22, MIN((size_t)cce, len - 22u));
                        if (f)
                                return f;
                }
                p += 4 + len;
        }
        return NULL;
}

static int check_workbook(struct analysis_result *node, const uint8_t *w, size_t n)
{
        struct biff_sheet sheets[64];
        size_t n_sheets = 0;
        bool auto_open = false;
        int k;

        for (size_t p = 0; p + 4 <= n;) {
                uint16_t type = read_le16(w + p), len = read_le16(w + p + 2);
                const uint8_t *r = w + p + 4;
                if (p + 4 + len > n)
                        break;
                if (type == BIFF_FILEPASS && len >= 2) {
                        /* the sheets' records are encrypted from here on */
                        enum office_crypt crypt = OFFICE_CRYPT_UNKNOWN;
                        if (read_le16(r) == 0 && len >= 6)
                                crypt = read_le16(r + 4) ==
                                                        office_xor_verifier(OFFICE_DEFAULT_PASSWORD)
                                                ? OFFICE_CRYPT_DEFAULT
                                                : OFFICE_CRYPT_PASSWORD;
                        else if (read_le16(r) == 1)
                                crypt = office_crypt_check(r + 2, len - 2u,
                                                           OFFICE_DEFAULT_PASSWORD);
                        return add_encrypted(node, crypt,
                                             read_le16(r) == 0
                                                     ? "Workbook FILEPASS: XOR obfuscation"
                                                     : "Workbook FILEPASS: RC4");
                }
                if (type == BIFF_BOUNDSHEET && len >= 7 && n_sheets < ELEMENTSOF(sheets)) {
                        struct biff_sheet *s = &sheets[n_sheets++];
                        unsigned nl = MIN((unsigned)r[6], (unsigned)sizeof(s->name) - 1);
                        bool wide = len >= 8 && (r[7] & 1);
                        s->offset = read_le32(r);
                        s->state = r[4] & 3;
                        s->type = r[5];
                        s->name[0] = 0;
                        for (unsigned j = 0; j < nl; j++) {
                                size_t at = 8 + (wide ? 2 * j : j);
                                if (at >= len)
                                        break;
                                s->name[j] = r[at] >= 0x20 && r[at] < 0x7f ? (char)r[at] : '?';
                                s->name[j + 1] = 0;
                        }
                }
                /* a built-in name (fBuiltin) whose one-character name is 1: Auto_Open */
                if (type == BIFF_NAME && len >= 15 && (read_le16(r) & 0x20) && r[3] == 1 &&
                    (r[14] == 1 || (len > 15 && r[14] == 0 && r[15] == 1)))
                        auto_open = true;
                p += 4 + len;
        }
        for (size_t i = 0; i < n_sheets; i++) {
                const struct biff_sheet *s = &sheets[i];
                const char *call;
                char ev[160];
                if (s->type != 1)
                        continue;
                call = s->offset < n ? xlm_sheet_calls(w, n, s->offset) : NULL;
                snprintf(ev, sizeof(ev), "macro sheet '%s'%s%s%s%s", s->name,
                         s->state == 1   ? " (hidden)"
                         : s->state == 2 ? " (very hidden)"
                                         : "",
                         call ? ", calls " : "", call ? call : "",
                         auto_open ? ", runs on open (Auto_Open)" : "");
                k = analysis_result_add_finding(
                        node, call ? "office.xlm_macro_exec" : "office.xlm_macro_sheet",
                        call || s->state || auto_open ? ANALYSIS_SEVERITY_HIGH
                                                      : ANALYSIS_SEVERITY_MEDIUM,
                        "T1059,T1204.002",
                        call ? "an Excel 4.0 macro sheet that runs programs or calls Windows "
                               "functions"
                             : "an Excel 4.0 (XLM) macro sheet",
                        ev, "office");
                if (k < 0)
                        return k;
        }
        return 0;
}

/* Word: the FIB says whether the document is encrypted; the header is at the start of the
 * table stream it names. */
static int check_word(const struct cfb *c, struct analysis_result *node, const uint8_t *w, size_t n)
{
        _cleanup_free_ uint8_t *table = NULL;
        uint16_t flags;
        size_t tn = 0;
        ssize_t ti;
        enum office_crypt crypt = OFFICE_CRYPT_UNKNOWN;
        int k;

        if (n < 0x20 || read_le16(w) != 0xA5EC)
                return 0;
        flags = read_le16(w + 0x0a);
        if (!(flags & 0x0100))
                return 0;
        if (flags & 0x8000)
                crypt = read_le16(w + 0x0e) == office_xor_verifier(OFFICE_DEFAULT_PASSWORD)
                                ? OFFICE_CRYPT_DEFAULT
                                : OFFICE_CRYPT_PASSWORD;
        else if ((ti = cfb_find(c, flags & 0x0200 ? "1Table" : "0Table")) >= 0) {
                k = cfb_read(c, (size_t)ti, &table, &tn);
                if (k == -ENOMEM)
                        return k;
                if (k >= 0)
                        crypt = office_crypt_check(table, tn, OFFICE_DEFAULT_PASSWORD);
        }
        return add_encrypted(node, crypt,
                             flags & 0x8000 ? "WordDocument: XOR obfuscation"
                                            : "WordDocument: RC4");
}

/* The text of a field instruction after a field-begin mark (0x13) at i, in steps of one byte
 * (8-bit text) or two (UTF-16LE), until the separator or end mark. */
static void field_text(const uint8_t *w, size_t n, size_t i, size_t step, char *out, size_t cap)
{
        size_t o = 0;

        for (i += step; i + step <= n && o + 1 < cap; i += step) {
                uint8_t ch = w[i];
                if ((step == 2 && w[i + 1] != 0) || ch == 0x14 || ch == 0x15 || ch == 0x13)
                        break;
                out[o++] = ch >= 0x20 && ch < 0x7f ? (char)ch : ' ';
        }
        out[o] = 0;
}

static int check_fields(struct analysis_result *node, const uint8_t *w, size_t n)
{
        char text[256];
        bool dde = false, unc = false;
        int k;

        for (size_t i = 0; i + 4 < n && !(dde && unc); i++) {
                if (w[i] != 0x13)
                        continue;
                for (size_t step = 1; step <= 2; step++) {
                        const char *t = text;
                        if (step == 2 && w[i + 1] != 0)
                                continue;
                        field_text(w, n, i, step, text, sizeof(text));
                        t += strspn(t, " \"");
                        if (!dde && (strncasecmp(t, "DDEAUTO ", 8) == 0 ||
                                     strncasecmp(t, "DDE ", 4) == 0)) {
                                dde = true;
                                k = analysis_result_add_finding(
                                        node, "office.dde_field_binary", ANALYSIS_SEVERITY_HIGH,
                                        "T1559.002,T1204.002",
                                        "a DDE field in a Word document: it runs a command when "
                                        "the document is opened",
                                        text, "office");
                                if (k < 0)
                                        return k;
                        }
                        if (!unc &&
                            (strncasecmp(t, "INCLUDEPICTURE", 14) == 0 ||
                             strncasecmp(t, "INCLUDETEXT", 11) == 0) &&
                            (strstr(t, "\\\\\\\\") || strstr(t, " \\\\") || strstr(t, "\"\\\\") ||
                             strcasestr(t, "file://"))) {
                                unc = true;
                                k = analysis_result_add_finding(
                                        node, "office.field_unc_include", ANALYSIS_SEVERITY_HIGH,
                                        "T1187",
                                        "a Word field that loads a file from a network share "
                                        "when the document is opened: it hands the user's "
                                        "credentials to that server",
                                        text, "office");
                                if (k < 0)
                                        return k;
                        }
                }
        }
        return 0;
}

static int add_ole_child(struct scan_state *st, struct analysis_result *node, const char *name,
                         const uint8_t *data, size_t size, unsigned depth)
{
        const struct analysis_limits *lim = &st->ctx->opts.limits;
        struct analysis_result *child;

        if (lim->max_members && ++st->members > lim->max_members)
                return analysis_result_set_unscannable(node, "members", "too many members");
        if (lim->max_expansion && atomic_fetch_add(&st->expanded, size) + size > lim->max_expansion)
                return analysis_result_set_unscannable(node, "expansion",
                                                       "embedded objects too large");
        child = analysis_result_new(name);
        if (!child || analysis_result_add_child(node, child) < 0) {
                analysis_result_free(child);
                return -ENOMEM;
        }
        return scan_node_data(st, child, data, size, depth + 1);
}

/* An OLE 1.0 Package object: type, label, source path, then the file ([MS-OLEDS] 2.3.6 is
 * the frame; the Package layout is the packager's). Falls back to the whole stream. */
static int add_ole10native(struct scan_state *st, struct analysis_result *node, const uint8_t *s,
                           size_t n, unsigned depth)
{
        size_t p = 6, len;
        const char *label = NULL;
        char name[96];

        if (n >= 6 && read_le16(s + 4) == 2) {
                /* label, file path: NUL-terminated; then 2 + 2 bytes, temp path, size, data */
                label = (const char *)s + p;
                for (int f = 0; f < 2 && p < n; f++)
                        p += strnlen((const char *)s + p, n - p) + 1;
                p += 4;
                if (p + 4 <= n) {
                        size_t tl = read_le32(s + p);
                        p += 4 + tl;
                        if (p + 4 <= n && (len = read_le32(s + p)) <= n - p - 4) {
                                snprintf(name, sizeof(name), "Ole10Native:%.*s",
                                         (int)strnlen(label, 64), label);
                                return add_ole_child(st, node, name, s + p + 4, len, depth);
                        }
                }
        }
        if (n <= 4)
                return 0;
        return add_ole_child(st, node, "Ole10Native", s + 4, n - 4, depth);
}

/* Inflates a zlib stream into out, which it must fill exactly. PowerPoint writes streams
 * whose end (or Adler-32) is missing, which uncompress() refuses as Z_BUF_ERROR: the record
 * gives the size, and that is what counts. */
static bool inflate_whole(const uint8_t *in, size_t in_n, uint8_t *out, size_t out_n)
{
        z_stream z = {.next_in = (Bytef *)in, .next_out = out};
        int k;

        if (in_n > UINT_MAX || out_n > UINT_MAX || inflateInit(&z) != Z_OK)
                return false;
        z.avail_in = (uInt)in_n;
        z.avail_out = (uInt)out_n;
        k = inflate(&z, Z_FINISH);
        inflateEnd(&z);
        return (k == Z_STREAM_END || k == Z_BUF_ERROR || k == Z_OK) && z.total_out == out_n;
}

/* PowerPoint keeps embedded objects in ExOleObjStg records of its document stream (record
 * type 0x1011), compressed (instance 1: the size, then zlib) or not (instance 0). Each is a
 * compound file of its own, scanned as a child. Returns the number found, or a negative errno. */
static int scan_ppt_objects(struct scan_state *st, struct analysis_result *node, const uint8_t *s,
                            size_t n, unsigned depth)
{
        int found = 0, k;

        for (size_t i = 0; i + 12 <= n && found < MAX_OLE_CHILDREN; i++) {
                uint16_t vi = read_le16(s + i);
                size_t len;
                if (read_le16(s + i + 2) != 0x1011 || (vi & 0x0f) != 0 || (vi >> 4) > 1)
                        continue;
                len = read_le32(s + i + 4);
                if (len > n - i - 8)
                        continue;
                if ((vi >> 4) == 1) {
                        uLongf out_n = read_le32(s + i + 8);
                        uint8_t *out;
                        if (len < 4 || out_n == 0 || out_n > CFB_MAX_STREAM)
                                continue;
                        out = malloc(out_n);
                        if (!out)
                                return -ENOMEM;
                        if (!inflate_whole(s + i + 12, len - 4, out, out_n)) {
                                free(out);
                                /* a zlib header: an object that is there but unreadable */
                                if (s[i + 12] != 0x78)
                                        continue;
                                k = analysis_result_set_unscannable(
                                        node, "format",
                                        "a PowerPoint embedded object that airlock cannot inflate");
                                if (k < 0)
                                        return k;
                                continue;
                        }
                        k = add_ole_child(st, node, "ExOleObjStg", out, out_n, depth);
                        free(out);
                } else
                        k = add_ole_child(st, node, "ExOleObjStg", s + i + 8, len, depth);
                if (k < 0)
                        return k;
                found++;
                i += 8 + len - 1;
        }
        return found;
}

/* Streams that hold whole files of their own: an OLE Package, an OOXML package (Package), a
 * PDF or other contents (CONTENTS), an ODF package (EmbeddedOdf). */
static int scan_objects(struct scan_state *st, const struct cfb *c, struct analysis_result *node,
                        unsigned depth)
{
        unsigned added = 0;
        char name[33];
        int k;

        for (size_t i = 1; i < c->n_dir && added < MAX_OLE_CHILDREN; i++) {
                _cleanup_free_ uint8_t *s = NULL;
                size_t n;
                if (c->dir[i * CFB_DIR_SIZE + 0x42] != CFB_STREAM)
                        continue;
                cfb_name(c, i, name);
                if (streq(name, "PowerPoint Document")) {
                        k = cfb_read(c, i, &s, &n);
                        if (k == -ENOMEM)
                                return k;
                        if (k >= 0 && (k = scan_ppt_objects(st, node, s, n, depth)) < 0)
                                return k;
                        if (k > 0)
                                added += (unsigned)k;
                        continue;
                }
                if (!streq(name, "\x01Ole10Native") && !streq(name, "Package") &&
                    !streq(name, "CONTENTS") && !streq(name, "EmbeddedOdf"))
                        continue;
                k = cfb_read(c, i, &s, &n);
                if (k == -ENOMEM)
                        return k;
                if (k < 0 || n == 0)
                        continue;
                added++;
                k = name[0] == 1 ? add_ole10native(st, node, s, n, depth)
                                 : add_ole_child(st, node, name, s, n, depth);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* An Equation Editor 3.0 object ("Equation Native": a 28-byte EQNOLEFILEHDR, then MTEF).
 * Ordinary ones are common in documents from before 2018; the exploits of CVE-2017-11882 and
 * CVE-2018-0802 overflow the editor's 32-byte font name buffer with a FONT record whose name
 * is a command or shellcode. MTEF keeps characters as records with NUL high bytes, and font
 * names are short ("Times New Roman", "MT Extra"), so a run of 40 or more non-NUL bytes, or a
 * header that is not an equation's, is what a rule is told of. */
#define EQ_HDR_SIZE 28
#define EQ_MAX_RUN  40

static int check_equation(const struct cfb *c, struct analysis_result *node)
{
        _cleanup_free_ uint8_t *s = NULL;
        ssize_t i = cfb_find(c, "Equation Native");
        size_t n, run = 0, start = 0, best = 0, best_start = 0, end;
        const char *why = NULL;
        char ev[96];
        int k;

        if (i < 0)
                return 0;
        k = cfb_read(c, (size_t)i, &s, &n);
        if (k == -ENOMEM)
                return k;
        if (k < 0 || n < EQ_HDR_SIZE + 5 || read_le16(s) != EQ_HDR_SIZE || s[EQ_HDR_SIZE] < 2 ||
            s[EQ_HDR_SIZE] > 5)
                why = "an Equation Editor 3.0 object whose data is not an equation's: exploits "
                      "of the editor (CVE-2017-11882, CVE-2018-0802) need no valid header";
        else {
                end = MIN(n, EQ_HDR_SIZE + (size_t)read_le32(s + 8));
                if (end < EQ_HDR_SIZE + 5)
                        end = n;
                for (size_t j = EQ_HDR_SIZE + 5; j < end; j++) {
                        if (s[j] == 0) {
                                run = 0;
                                continue;
                        }
                        if (run++ == 0)
                                start = j;
                        if (run > best) {
                                best = run;
                                best_start = start;
                        }
                }
                if (best >= EQ_MAX_RUN)
                        why = "an Equation Editor 3.0 object with a string too long for the "
                              "editor's buffers: the overflow of CVE-2017-11882 and CVE-2018-0802";
        }
        if (!why)
                return 0;
        if (best >= EQ_MAX_RUN) {
                size_t m = 0;
                for (size_t j = best_start; j < best_start + best && m + 1 < sizeof(ev) - 4; j++)
                        ev[m++] = s[j] >= 0x20 && s[j] < 0x7f ? (char)s[j] : '.';
                ev[m] = 0;
        } else
                snprintf(ev, sizeof(ev), "Equation Native: %zu bytes", n);
        return analysis_result_add_finding(node, "office_equation_editor_object",
                                           ANALYSIS_SEVERITY_HIGH, "T1203", why, ev, "office");
}

static int scan_streams(const struct cfb *c, struct analysis_result *node)
{
        char name[33];
        int k;

        k = check_encryption_info(c, node);
        if (k >= 0)
                k = check_equation(c, node);
        for (size_t i = 1; k >= 0 && i < c->n_dir; i++) {
                _cleanup_free_ uint8_t *s = NULL;
                size_t n;
                bool workbook, word;
                if (c->dir[i * CFB_DIR_SIZE + 0x42] != CFB_STREAM)
                        continue;
                cfb_name(c, i, name);
                workbook = streq(name, "Workbook") || streq(name, "Book");
                word = streq(name, "WordDocument");
                if (!workbook && !word)
                        continue;
                k = cfb_read(c, i, &s, &n);
                if (k == -ENOMEM)
                        return k;
                if (k < 0) {
                        k = 0;
                        continue;
                }
                if (workbook)
                        k = check_workbook(node, s, n);
                else {
                        k = check_word(c, node, s, n);
                        if (k >= 0)
                                k = check_fields(node, s, n);
                }
        }
        return k;
}

int office_ole_scan(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                    size_t size, unsigned depth)
{
        struct cfb c;
        int k = cfb_open(data, size, &c);

        if (k == -EBADMSG) {
                cfb_done(&c);
                return 0;
        }
        if (k >= 0)
                k = scan_streams(&c, node);
        if (k >= 0)
                k = scan_objects(st, &c, node, depth);
        cfb_done(&c);
        return k < 0 ? k : 1;
}
