/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Content hidden inside other content, which no archive reader lists: Windows programs
 * embedded in documents or appended to other programs (carved out exactly from their PE
 * headers), cabinets inside installers, base64 blocks in text (mail bodies, data: URIs,
 * smuggling pages), packed programs, and container formats airlock cannot open. */
#include <strings.h>

#include "analysis-internal.h"
#include "analysis/shape.h"
#include "office.h"
#include "basic/base64.h"
#include "basic/unaligned.h"

#define MAX_EMBEDDED  32 /* carved children per node */
#define MIN_B64_BLOCK 256
#define MIN_B64_LINE  40 /* a line break continues a block only after a line this long */

struct pe_section {
        char name[9];
        uint32_t raw_size, raw_offset;
};

struct pe_info {
        size_t image_end; /* the end of the last section's raw data */
        unsigned n_sections;
        struct pe_section sections[16];
};

/* Parses the PE headers at data. Returns true when they are sound. */
static bool pe_parse(const uint8_t *d, size_t size, struct pe_info *pe)
{
        uint32_t lfanew;
        size_t table;
        unsigned n, opt;

        if (size < 0x40 || d[0] != 'M' || d[1] != 'Z')
                return false;
        lfanew = read_le32(d + 0x3c);
        if (lfanew < 4 || lfanew > 4096 || (size_t)lfanew + 24 > size ||
            memcmp(d + lfanew, "PE\0\0", 4) != 0)
                return false;
        n = read_le16(d + lfanew + 6);
        opt = read_le16(d + lfanew + 20);
        table = (size_t)lfanew + 24 + opt;
        if (n == 0 || n > 96 || table + 40 * (size_t)n > size)
                return false;
        *pe = (struct pe_info){.image_end = table + 40 * (size_t)n};
        for (unsigned i = 0; i < n; i++) {
                const uint8_t *s = d + table + 40 * i;
                uint32_t raw_size = read_le32(s + 16), raw_offset = read_le32(s + 20);
                if (raw_size && (uint64_t)raw_offset + raw_size > pe->image_end)
                        pe->image_end = (size_t)raw_offset + raw_size;
                if (i < ELEMENTSOF(pe->sections)) {
                        struct pe_section *ps = &pe->sections[pe->n_sections++];
                        memcpy(ps->name, s, 8);
                        ps->name[8] = 0;
                        ps->raw_size = raw_size;
                        ps->raw_offset = raw_offset;
                }
        }
        return true;
}

/* A packer: known section names, unprintable ones, or compressed-looking sections. */
static const char *pe_packer(const uint8_t *d, size_t size, const struct pe_info *pe)
{
        static const char *const packers[] = {
                "UPX0",     "UPX1",     ".aspack",  ".adata",    ".petite",  ".MPRESS1",
                ".MPRESS2", "pec1",     "pec2",     ".nsp0",     ".nsp1",    "MEW",
                "yC",       ".yP",      ".WWP32",   ".Upack",    ".ByDwing", ".packed",
                ".RLPack",  ".perplex", ".vmp0",    ".vmp1",     ".themida", ".enigma1",
                "FSG!",     ".spin",    "PEPACK!!", ".kkrunchy", "ExeS",
        };

        for (unsigned i = 0; i < pe->n_sections; i++) {
                const struct pe_section *s = &pe->sections[i];
                for (size_t j = 0; j < ELEMENTSOF(packers); j++)
                        if (strncmp(s->name, packers[j], 8) == 0)
                                return "a packer's section name";
                for (const char *c = s->name; *c; c++)
                        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
                                return "unprintable section names";
                if (s->raw_size >= 512 && (uint64_t)s->raw_offset + s->raw_size <= size &&
                    byte_entropy(d + s->raw_offset, s->raw_size, NULL) > 7.3)
                        return "compressed or encrypted sections";
        }
        return NULL;
}

static int add_child(struct scan_state *st, struct analysis_result *node, const char *kind,
                     size_t offset, const uint8_t *data, size_t size, unsigned depth)
{
        _cleanup_free_ char *name = NULL;
        struct analysis_result *child;
        const struct analysis_limits *lim = &st->ctx->opts.limits;

        if (lim->max_members && ++st->members > lim->max_members)
                return analysis_result_set_unscannable(node, "members", "too many members");
        if (asprintf(&name, "%s@%zu", kind, offset) < 0)
                return -ENOMEM;
        child = analysis_result_new(name);
        if (!child || analysis_result_add_child(node, child) < 0) {
                analysis_result_free(child);
                return -ENOMEM;
        }
        return scan_node_data(st, child, data, size, depth + 1);
}

/* The next "MZ" in [p, end): memchr is vectorised, memmem with a two-byte needle is not, and
 * this runs over every byte of every program and document. */
static const uint8_t *find_mz(const uint8_t *p, const uint8_t *end)
{
        while (p + 1 < end) {
                const uint8_t *m = memchr(p, 'M', (size_t)(end - p - 1));
                if (!m)
                        return NULL;
                if (m[1] == 'Z')
                        return m;
                p = m + 1;
        }
        return NULL;
}

/* Programs inside other files: carved from their own headers, so that a hash of the
 * program matches however it is wrapped. */
static int carve_programs(struct scan_state *st, struct analysis_result *node, const uint8_t *d,
                          size_t size, unsigned depth, bool self_is_pe)
{
        unsigned found = 0;
        bool noted = false;

        for (const uint8_t *p = find_mz(d + 1, d + size); p && found < MAX_EMBEDDED;
             p = find_mz(p + 2, d + size)) {
                struct pe_info pe;
                size_t off = (size_t)(p - d);
                if (off + 2 >= size)
                        break;
                if (!pe_parse(p, size - off, &pe))
                        continue;
                if (pe.image_end > size - off)
                        pe.image_end = size - off;
                if (!self_is_pe && !noted) {
                        char ev[64];
                        snprintf(ev, sizeof(ev), "a PE program at offset %zu", off);
                        int k = analysis_result_add_finding(
                                node, "heuristic.embedded_program", ANALYSIS_SEVERITY_MEDIUM,
                                "T1027.009", "a Windows program embedded inside the file", ev,
                                NULL);
                        if (k < 0)
                                return k;
                        noted = true;
                }
                int k = add_child(st, node, "embedded-program", off, p, pe.image_end, depth);
                if (k < 0)
                        return k;
                found++;
                p += pe.image_end > 2 ? pe.image_end - 2 : 0;
                if ((size_t)(p - d) + 2 >= size)
                        break;
        }
        return 0;
}

/* Archives appended to or stored inside a program (self-extracting and installers). */
static int carve_archives(struct scan_state *st, struct analysis_result *node, const uint8_t *d,
                          size_t size, unsigned depth)
{
        static const struct {
                const char *magic;
                size_t len;
        } magics[] = {{"MSCF\0\0\0\0", 8}, {"7z\xbc\xaf\x27\x1c", 6}, {"Rar!\x1a\x07", 6}};

        for (size_t i = 0; i < ELEMENTSOF(magics); i++) {
                const uint8_t *p = memmem(d + 1, size - 1, magics[i].magic, magics[i].len);
                if (p) {
                        size_t off = (size_t)(p - d);
                        int k = add_child(st, node, "embedded-archive", off, p, size - off, depth);
                        if (k < 0)
                                return k;
                }
        }
        return 0;
}

/* Base64 characters (the standard alphabet): a table, as this runs on every byte of text. */
static const bool b64_chars[256] = {
        ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
        ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
        ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
        ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
        ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
        ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
        ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
        ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['+'] = 1, ['/'] = 1,
};

static inline bool b64_char(uint8_t c)
{
        return b64_chars[c];
}

static inline bool b64_or_pad(uint8_t c)
{
        return b64_chars[c] || c == '=';
}

static bool interesting_payload(const uint8_t *b, size_t n)
{
        return (n >= 2 && b[0] == 'M' && b[1] == 'Z') || (n >= 4 && !memcmp(b, "PK\3\4", 4)) ||
               (n >= 4 && !memcmp(b,
                                  "\x7f"
                                  "ELF",
                                  4)) ||
               (n >= 4 && !memcmp(b, "%PDF", 4)) || (n >= 4 && !memcmp(b, "\xd0\xcf\x11\xe0", 4)) ||
               (n >= 6 && !memcmp(b, "7z\xbc\xaf\x27\x1c", 6)) ||
               (n >= 4 && !memcmp(b, "Rar!", 4)) || (n >= 3 && !memcmp(b, "\x1f\x8b\x08", 3)) ||
               (n >= 4 && !memcmp(b, "MSCF", 4)) || (n >= 68 && !memcmp(b, "X5O!P%@AP", 9));
}

/* Base64 blocks in text, across line breaks: decoded, and scanned when they start with the
 * header of a program, an archive or a document. */
static int decode_base64_blocks(struct scan_state *st, struct analysis_result *node,
                                const uint8_t *d, size_t size, unsigned depth)
{
        const struct analysis_limits *lim = &st->ctx->opts.limits;
        unsigned found = 0;
        size_t i = 0;

        while (i < size && found < MAX_EMBEDDED) {
                if (!b64_char(d[i])) {
                        i++;
                        continue;
                }
                /* A block long enough begins with a line of at least MIN_B64_LINE base64
                 * characters (or '='), so one in MIN_B64_LINE bytes tells whether a block can
                 * begin before it: skip words and short runs without reading every byte. */
                if (i + MIN_B64_LINE <= size) {
                        size_t probe = i + MIN_B64_LINE - 1, run_start = probe, run_end = probe;
                        if (!b64_or_pad(d[probe])) {
                                i = probe + 1;
                                continue;
                        }
                        while (run_start > i && b64_or_pad(d[run_start - 1]))
                                run_start--;
                        while (run_end < size && b64_or_pad(d[run_end]))
                                run_end++;
                        if (run_end - run_start < MIN_B64_LINE) {
                                i = run_end;
                                continue;
                        }
                        /* A long run: read it (and what leads to it) byte by byte. */
                }
                size_t start = i, chars = 0, line = 0;
                while (i < size) {
                        if (b64_char(d[i]))
                                chars++, line++;
                        else if (d[i] == '\r' || d[i] == '\n') {
                                /* A line break continues the block only after a long line of
                                 * base64 (as mail bodies wrap it) and before more base64. */
                                size_t j = i;
                                while (j < size && (d[j] == '\r' || d[j] == '\n'))
                                        j++;
                                if (line < MIN_B64_LINE || j >= size || !b64_char(d[j]) ||
                                    j - i > 2)
                                        break;
                                line = 0;
                                i = j;
                                continue;
                        } else if (d[i] != '=')
                                break;
                        i++;
                }
                if (chars < MIN_B64_BLOCK)
                        continue;
                uint8_t head[16];
                size_t head_len = base64_decode_lenient(
                        d + start, (start + 24 < i ? start + 24 : i) - start, head, sizeof(head));
                if (!interesting_payload(head, head_len))
                        continue;
                size_t out_size = chars / 4 * 3 + 3;
                if (lim->max_expansion && st->expanded + out_size > lim->max_expansion)
                        return analysis_result_set_unscannable(node, "expansion",
                                                               "too much encoded content");
                uint8_t *out = malloc(out_size);
                if (!out)
                        return -ENOMEM;
                size_t n = base64_decode_lenient(d + start, i - start, out, out_size);
                st->expanded += n;
                int k = add_child(st, node, "base64", start, out, n, depth);
                free(out);
                if (k < 0)
                        return k;
                found++;
        }
        return 0;
}

static int hex_val(uint8_t c)
{
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
}

/* The index after the control word at d[i] == '\\' (letters, then a numeric parameter and
 * a space), or i when it is not one RTF readers skip inside hex data (\binN's data is raw). */
static size_t rtf_skip_word(const uint8_t *d, size_t size, size_t i)
{
        size_t w = i + 1, e = w;

        while (e < size && ((d[e] >= 'a' && d[e] <= 'z') || d[e] == '*'))
                e++;
        if (e == w || (e - w == 3 && !memcmp(d + w, "bin", 3)))
                return i;
        if (e < size && d[e] == '-')
                e++;
        while (e < size && d[e] >= '0' && d[e] <= '9')
                e++;
        if (e < size && d[e] == ' ')
                e++;
        return e;
}

/* The end of the hex digits of an \objdata group from i: RTF readers skip whitespace,
 * control words and nested groups between the digits, and exploit documents put them there
 * so that no rule sees the object's bytes ("nibble" obfuscation). Counts the digits in
 * *ret_digits. */
static size_t rtf_hex_end(const uint8_t *d, size_t size, size_t i, size_t *ret_digits)
{
        size_t digits = 0, next;
        unsigned nest = 0;

        while (i < size) {
                uint8_t c = d[i];
                if (hex_val(c) >= 0)
                        digits++;
                else if (c == '{')
                        nest++;
                else if (c == '}') {
                        if (nest == 0)
                                break;
                        nest--;
                } else if (c == '\\') {
                        if ((next = rtf_skip_word(d, size, i)) == i)
                                break;
                        i = next;
                        continue;
                } else if (c != ' ' && c != '\r' && c != '\n' && c != '\t')
                        break;
                i++;
        }
        *ret_digits = digits;
        return i;
}

/* RTF keeps embedded objects (\objdata) as hex across lines: decode each block of at least
 * 512 hex digits into a child, in which the programs are then carved out. */
static int decode_rtf_objects(struct scan_state *st, struct analysis_result *node, const uint8_t *d,
                              size_t size, unsigned depth)
{
        const struct analysis_limits *lim = &st->ctx->opts.limits;
        const uint8_t *p = d;
        unsigned found = 0;

        while (found < MAX_EMBEDDED && (p = memmem(p, size - (size_t)(p - d), "\\objdata", 8))) {
                size_t start = (size_t)(p - d) + 8, digits, i;
                i = rtf_hex_end(d, size, start, &digits);
                p = d + i;
                if (digits < 512)
                        continue;
                if (lim->max_expansion && st->expanded + digits / 2 > lim->max_expansion)
                        return analysis_result_set_unscannable(node, "expansion",
                                                               "too much encoded content");
                uint8_t *out = malloc(digits / 2 + 1);
                size_t n = 0;
                int hi = -1;
                if (!out)
                        return -ENOMEM;
                for (size_t j = start; j < i;) {
                        int v = hex_val(d[j]);
                        if (v < 0) {
                                size_t next = d[j] == '\\' ? rtf_skip_word(d, i, j) : j;
                                j = next > j ? next : j + 1;
                                continue;
                        }
                        j++;
                        if (hi < 0)
                                hi = v;
                        else
                                out[n++] = (uint8_t)(hi << 4 | v), hi = -1;
                }
                st->expanded += n;
                int k = add_child(st, node, "rtf-object", start, out, n, depth);
                free(out);
                if (k < 0)
                        return k;
                found++;
        }
        return 0;
}

/* OneNote sections (.one, [MS-ONESTORE]) keep attached files as FileDataStoreObject
 * structures (2.6.13): a GUID, the length on 8 bytes, 12 unused bytes, the file, padding and a
 * GUID footer. Each file becomes a child, found by its GUID as readers of the format do; the
 * file's name is a UTF-16LE property elsewhere, which rules/office.yar reads. */
static const uint8_t onenote_section_guid[16] = {0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D,
                                                 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3};
static const uint8_t onenote_file_guid[16] = {0xE7, 0x16, 0xE3, 0xBD, 0x65, 0x26, 0x11, 0x45,
                                              0xA4, 0xC4, 0x8D, 0x4D, 0x0B, 0x7A, 0x9E, 0xAC};

static int decode_onenote_files(struct scan_state *st, struct analysis_result *node,
                                const uint8_t *d, size_t size, unsigned depth)
{
        unsigned found = 0;

        if (size < 16 || memcmp(d, onenote_section_guid, 16) != 0)
                return 0;
        for (const uint8_t *p = memmem(d + 16, size - 16, onenote_file_guid, 16);
             p && found < MAX_EMBEDDED;
             p = memmem(p + 16, size - (size_t)(p + 16 - d), onenote_file_guid, 16)) {
                size_t off = (size_t)(p - d);
                uint64_t len = 0;
                if (size - off < 36)
                        break;
                for (unsigned b = 0; b < 8; b++)
                        len |= (uint64_t)p[16 + b] << (8 * b);
                if (len == 0 || len > size - off - 36)
                        continue;
                int k = add_child(st, node, "onenote-file", off + 36, p + 36, (size_t)len, depth);
                if (k < 0)
                        return k;
                found++;
        }
        return 0;
}

/* An OLE 1.0 object (RTF \objdata, OLE1 Package): version, format 2 (embedded), class,
 * topic and item names, then the native data: the embedded file, scanned as a child. */
static int decode_ole1_native(struct scan_state *st, struct analysis_result *node, const uint8_t *d,
                              size_t size, unsigned depth)
{
        size_t p = 8, len;

        if (size < 24 || read_le32(d) != 0x501 || read_le32(d + 4) != 2)
                return 0;
        for (int f = 0; f < 3; f++) {
                if (p + 4 > size || (len = read_le32(d + p)) > size - p - 4)
                        return 0;
                p += 4 + len;
        }
        if (p + 4 > size || (len = read_le32(d + p)) == 0 || len > size - p - 4)
                return 0;
        return add_child(st, node, "ole1-native", p + 4, d + p + 4, len, depth);
}

/* The start of the line after the one p is in, or NULL. */
static const uint8_t *next_line(const uint8_t *p, const uint8_t *end)
{
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));

        return nl && nl + 1 < end ? nl + 1 : NULL;
}

/* uuencoded files ("begin 644 name" ... "end") in text, as old mail carries them. */
static int decode_uuencoded(struct scan_state *st, struct analysis_result *node, const uint8_t *d,
                            size_t size, unsigned depth)
{
        const struct analysis_limits *lim = &st->ctx->opts.limits;
        unsigned found = 0;

        /* "begin " counts only at the start of a line: look at line starts. */
        for (const uint8_t *p = d; p && found < MAX_EMBEDDED; p = next_line(p, d + size)) {
                size_t off = (size_t)(p - d), i, n = 0;
                if (off + 10 > size || memcmp(p, "begin ", 6) != 0 ||
                    !(p[6] >= '0' && p[6] <= '7' && p[7] >= '0' && p[7] <= '7' && p[8] >= '0' &&
                      p[8] <= '7'))
                        continue;
                const uint8_t *nl = memchr(p, '\n', size - off);
                if (!nl)
                        break;
                i = (size_t)(nl - d) + 1;
                if (lim->max_expansion && st->expanded + size - i > lim->max_expansion)
                        return analysis_result_set_unscannable(node, "expansion",
                                                               "too much encoded content");
                uint8_t *out = malloc(size - i + 1);
                if (!out)
                        return -ENOMEM;
                while (i < size) {
                        size_t len = (size_t)((d[i] - 32) & 63), j = i + 1;
                        const uint8_t *eol = memchr(d + i, '\n', size - i);
                        size_t end = eol ? (size_t)(eol - d) : size;
                        if (len == 0 || (end - i >= 3 && !memcmp(d + i, "end", 3)))
                                break;
                        for (size_t got = 0; got < len && j + 3 < end + 1; j += 4) {
                                uint8_t c[4];
                                for (int q = 0; q < 4; q++)
                                        c[q] = (uint8_t)(j + (size_t)q < end ? (d[j + q] - 32) & 63
                                                                             : 0);
                                uint8_t b[3] = {(uint8_t)(c[0] << 2 | c[1] >> 4),
                                                (uint8_t)(c[1] << 4 | c[2] >> 2),
                                                (uint8_t)(c[2] << 6 | c[3])};
                                for (int q = 0; q < 3 && got < len; q++, got++)
                                        out[n++] = b[q];
                        }
                        i = end + 1;
                }
                st->expanded += n;
                int k = n > 0 ? add_child(st, node, "uuencoded", off, out, n, depth) : 0;
                free(out);
                if (k < 0)
                        return k;
                found++;
        }
        return 0;
}

static bool is_text(const struct analysis_result *node)
{
        return node->mime && (startswith(node->mime, "text/") || strstr(node->mime, "xml") ||
                              strstr(node->mime, "svg") || startswith(node->mime, "message/") ||
                              strstr(node->mime, "javascript") || strstr(node->mime, "json") ||
                              streq(node->mime, "application/mbox"));
}

/* Formats that hold other files but that no library here can open: say so, never clean. */
static const char *unopenable_format(const struct analysis_result *node)
{
        static const char *const types[] = {
                "ARJ archive",
                "MS Windows HtmlHelp Data",
                "Symbian installation",
                "Transport Neutral Encapsulation Format",
                "MS Compress archive",
                "BinHex",
                "uuencoded",
                "Nullsoft Installer",
                "ACE archive",
                "Zoo archive",
                "StuffIt",
                "ARC archive",
                "InstallShield",
        };

        for (size_t i = 0; node->type && i < ELEMENTSOF(types); i++)
                if (strstr(node->type, types[i]))
                        return types[i];
        return NULL;
}

/* PHP code inside an image or a blob: a web shell given a picture's header (GIF89a, a JPEG's
 * JFIF or comment segment, a PNG's chunks) so that an upload check of the type or of
 * getimagesize() passes it, which PHP still runs when the file is included or named .php.
 * The code from its first "<?php" (or "<?=", "<? " before a request read or a sink) up to the
 * first NUL byte (where the image's own data
 * resumes), at most 1 MiB, is scanned as a child: the rules read it as the PHP it is. Only
 * images and unknown data: a text file is scanned whole already, and an archive lists its
 * members. */
#define MAX_PHP_CARVE (1u << 20)

/* Whether PHP code [p, p + n) reads the request or calls what a web shell calls. */
static bool php_runs_request(const uint8_t *p, size_t n)
{
        static const char *const words[] = {"$_GET",
                                            "$_POST",
                                            "$_REQUEST",
                                            "$_COOKIE",
                                            "$_FILES",
                                            "$_SERVER",
                                            "eval(",
                                            "assert(",
                                            "system(",
                                            "passthru(",
                                            "exec(",
                                            "shell_exec(",
                                            "move_uploaded_file",
                                            "file_put_contents",
                                            "fwrite(",
                                            "base64_decode"};

        for (size_t k = 0; k < ELEMENTSOF(words); k++)
                if (memmem(p, n, words[k], strlen(words[k])))
                        return true;
        return false;
}

static int carve_php(struct scan_state *st, struct analysis_result *node, const uint8_t *d,
                     size_t size, unsigned depth)
{
        if (!node->mime ||
            !(startswith(node->mime, "image/") || streq(node->mime, "application/octet-stream")))
                return 0;
        for (const uint8_t *p = d, *end = d + size;
             p + 6 < end && (p = memchr(p, '<', (size_t)(end - p - 6))); p++) {
                if (p[1] != '?')
                        continue;
                /* <?php, or the short forms <?= and <? followed by a blank, which a picture's
                 * compressed bytes hold by chance now and then: those only with a request read
                 * or a sink in what follows */
                bool full = strncasecmp((const char *)p + 2, "php", 3) == 0 &&
                            (p[5] == ' ' || p[5] == '\n' || p[5] == '\r' || p[5] == '\t');
                bool short_tag = p[2] == '=' || p[2] == ' ' || p[2] == '\n' || p[2] == '\t';
                if (!full && !short_tag)
                        continue;
                size_t left = (size_t)(end - p), n;
                const uint8_t *nul = memchr(p, 0, left < MAX_PHP_CARVE ? left : MAX_PHP_CARVE);
                n = nul ? (size_t)(nul - p) : (left < MAX_PHP_CARVE ? left : MAX_PHP_CARVE);
                if (n < 16)
                        continue;
                bool runs = php_runs_request(p, n);
                if (!full && !runs)
                        continue;
                if (runs && startswith(node->mime, "image/")) {
                        char ev[96];
                        snprintf(ev, sizeof(ev), "<?php at offset %zu of the image, %zu bytes",
                                 (size_t)(p - d), n);
                        int k = analysis_result_add_finding(
                                node, "heuristic.php_in_image", ANALYSIS_SEVERITY_HIGH,
                                "T1505.003,T1027",
                                "PHP code hidden in an image that reads the request or writes, "
                                "runs or uploads files: a web shell given a picture's header to "
                                "pass an upload check",
                                ev, NULL);
                        if (k < 0)
                                return k;
                }
                return add_child(st, node, "php", (size_t)(p - d), p, n, depth);
        }
        return 0;
}

int embedded_scan(struct scan_state *st, struct analysis_result *node, const uint8_t *d,
                  size_t size, unsigned depth)
{
        const char *format = unopenable_format(node);
        struct pe_info pe;
        bool self_is_pe = pe_parse(d, size, &pe);
        int k;

        if (format) {
                char why[160];
                snprintf(why, sizeof(why), "%s: a container format that airlock cannot open",
                         format);
                k = analysis_result_set_unscannable(node, "format", why);
                if (k < 0)
                        return k;
        }
        if (self_is_pe) {
                const char *packer = pe_packer(d, size, &pe);
                if (packer) {
                        k = analysis_result_add_finding(
                                node, "heuristic.packed_program", ANALYSIS_SEVERITY_MEDIUM,
                                "T1027.002",
                                "a packed Windows program: its code cannot be inspected", packer,
                                NULL);
                        if (k < 0)
                                return k;
                }
                if (memmem(d, size, "InstallShield", 13)) {
                        k = analysis_result_set_unscannable(
                                node, "format",
                                "an InstallShield installer: its payload is in a format airlock "
                                "cannot open");
                        if (k < 0)
                                return k;
                }
                k = carve_archives(st, node, d, size, depth);
                if (k < 0)
                        return k;
        }
        if (size > 64 && !is_text(node)) {
                size_t before = node->n_children;
                int ole = office_ole_scan(st, node, d, size, depth);
                if (ole < 0)
                        return ole;
                k = carve_programs(st, node, d, size, depth, self_is_pe);
                if (k < 0)
                        return k;
                k = carve_php(st, node, d, size, depth);
                if (k < 0)
                        return k;
                /* OLE documents keep embedded objects in sectors that need not be adjacent:
                 * when the compound file could not be read and nothing could be carved, say
                 * so. (A PowerPoint object that cannot be inflated is said in ole.c: the four
                 * bytes of its record header turn up by chance in any large file.) */
                if (node->n_children == before && size >= 512 &&
                    !memcmp(d, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) && ole == 0 &&
                    memmem(d, size,
                           "O\0l\0e\0"
                           "1\0"
                           "0\0N\0a\0t\0i\0v\0e\0",
                           22)) {
                        k = analysis_result_set_unscannable(
                                node, "format",
                                "an OLE document with embedded objects that airlock cannot "
                                "extract");
                        if (k < 0)
                                return k;
                }
        }
        k = pdf_decode_scan(st, node, d, size, depth);
        if (k < 0)
                return k;
        k = decode_ole1_native(st, node, d, size, depth);
        if (k < 0)
                return k;
        k = decode_onenote_files(st, node, d, size, depth);
        if (k < 0)
                return k;
        if (node->mime && (streq(node->mime, "text/rtf") || streq(node->mime, "application/rtf"))) {
                k = decode_rtf_objects(st, node, d, size, depth);
                if (k < 0)
                        return k;
        }
        if (is_text(node)) {
                k = decode_uuencoded(st, node, d, size, depth);
                if (k < 0)
                        return k;
                return decode_base64_blocks(st, node, d, size, depth);
        }
        return 0;
}
