/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sys/stat.h>

#include "analysis/analysis.h"
#include "basic/macro.h"
#include "basic/strv.h"

/* A zip holding docs/invoice.pdf.exe whose content is the EICAR test file. */
static const uint8_t eicar_zip[] = {
        0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x17, 0x2e, 0x7b, 0x5d, 0x3c,
        0xcf, 0x51, 0x68, 0x46, 0x00, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00,
        0x64, 0x6f, 0x63, 0x73, 0x2f, 0x69, 0x6e, 0x76, 0x6f, 0x69, 0x63, 0x65, 0x2e, 0x70, 0x64,
        0x66, 0x2e, 0x65, 0x78, 0x65, 0x8b, 0x30, 0xf5, 0x57, 0x0c, 0x50, 0x75, 0x70, 0x0c, 0x88,
        0x36, 0x89, 0x09, 0x88, 0x8a, 0x30, 0x35, 0xd1, 0x08, 0x88, 0xd3, 0x34, 0x77, 0x76, 0xd6,
        0x34, 0xaf, 0x55, 0x71, 0xf5, 0x74, 0x76, 0x0c, 0xd2, 0x0d, 0x0e, 0x71, 0xf4, 0x73, 0x71,
        0x0c, 0x72, 0xd1, 0x75, 0xf4, 0x0b, 0xf1, 0x0c, 0xf3, 0x0c, 0x0a, 0x0d, 0xd6, 0x0d, 0x71,
        0x0d, 0x0e, 0xd1, 0x75, 0xf3, 0xf4, 0x71, 0x55, 0x54, 0xf1, 0xd0, 0xf6, 0xd0, 0x02, 0x00,
        0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x17, 0x2e, 0x7b,
        0x5d, 0x3c, 0xcf, 0x51, 0x68, 0x46, 0x00, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00, 0x14, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x64, 0x6f, 0x63, 0x73, 0x2f, 0x69, 0x6e, 0x76, 0x6f, 0x69, 0x63, 0x65, 0x2e, 0x70,
        0x64, 0x66, 0x2e, 0x65, 0x78, 0x65, 0x50, 0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x01, 0x00, 0x42, 0x00, 0x00, 0x00, 0x78, 0x00, 0x00, 0x00, 0x00, 0x00};

static char eicar[69];

static void make_eicar(void)
{
        snprintf(eicar, sizeof(eicar), "%s%s", "X5O!P%@AP[4\\PZX54(P^)7CC)",
                 "7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
}

static bool has_rule(const struct analysis_result *r, const char *rule)
{
        for (size_t i = 0; i < r->n_findings; i++)
                if (streq(r->findings[i].rule, rule))
                        return true;
        for (size_t i = 0; i < r->n_children; i++)
                if (has_rule(r->children[i], rule))
                        return true;
        return false;
}

static void test_scoring(void **state)
{
        struct analysis_result *r = analysis_result_new("dir/a.txt");

        (void)state;
        assert_non_null(r);
        assert_string_equal(r->name, "a.txt");
        analysis_result_finalize(r);
        assert_int_equal(r->verdict, ANALYSIS_CLEAN);
        assert_int_equal(r->score, 0);
        /* one low finding: 2, clean; three lows: 4, suspicious */
        assert_int_equal(
                analysis_result_add_finding(r, "a", ANALYSIS_SEVERITY_LOW, NULL, "a", NULL, NULL),
                0);
        analysis_result_finalize(r);
        assert_int_equal(r->score, 2);
        assert_int_equal(r->verdict, ANALYSIS_CLEAN);
        analysis_result_add_finding(r, "b", ANALYSIS_SEVERITY_LOW, NULL, "b", NULL, NULL);
        analysis_result_add_finding(r, "c", ANALYSIS_SEVERITY_LOW, "T1027,T1036.007", "c", "ev",
                                    "test");
        analysis_result_add_finding(r, "c", ANALYSIS_SEVERITY_LOW, NULL, "duplicate", NULL, NULL);
        assert_int_equal(r->n_findings, 3);
        assert_string_equal(r->findings[2].attack[1], "T1036.007");
        assert_null(r->findings[2].attack[2]);
        analysis_result_finalize(r);
        assert_int_equal(r->score, 4);
        assert_int_equal(r->verdict, ANALYSIS_SUSPICIOUS);
        analysis_result_add_finding(r, "d", ANALYSIS_SEVERITY_HIGH, NULL, "d", NULL, NULL);
        analysis_result_finalize(r);
        assert_int_equal(r->score, 10);
        assert_int_equal(r->verdict, ANALYSIS_MALICIOUS);
        analysis_result_free(r);
}

static void test_worst_child_decides(void **state)
{
        struct analysis_result *msg = analysis_result_new("message.eml");
        struct analysis_result *a = analysis_result_new("a.txt"), *b = analysis_result_new("b.zip");
        struct analysis_result *c = analysis_result_new("c.exe");

        (void)state;
        assert_int_equal(analysis_result_add_child(msg, a), 0);
        assert_int_equal(analysis_result_add_child(msg, b), 0);
        assert_int_equal(analysis_result_add_child(b, c), 0);
        assert_ptr_equal(c->parent, b);
        assert_int_equal(analysis_result_set_unscannable(b, "depth", "too deep"), 0);
        analysis_result_finalize(msg);
        assert_int_equal(msg->verdict, ANALYSIS_UNSCANNABLE);
        assert_string_equal(b->limit, "depth");
        analysis_result_add_finding(c, "x", ANALYSIS_SEVERITY_CRITICAL, NULL, "bad", NULL, "mail");
        analysis_result_finalize(msg);
        assert_int_equal(msg->verdict, ANALYSIS_MALICIOUS);
        assert_int_equal(msg->score, 10);
        assert_int_equal(a->verdict, ANALYSIS_CLEAN);
        assert_int_equal(analysis_exit_status(msg->verdict), 1);
        assert_int_equal(analysis_exit_status(ANALYSIS_CLEAN), 0);
        assert_int_equal(analysis_verdict_worst(ANALYSIS_SUSPICIOUS, ANALYSIS_UNSCANNABLE),
                         ANALYSIS_UNSCANNABLE);

        struct json_object *report = analysis_report_new(&msg, 1);
        assert_non_null(report);
        assert_int_equal(json_object_get_int(json_object_object_get(report, "schema_version")),
                         ANALYSIS_SCHEMA_VERSION);
        struct json_object *files = json_object_object_get(report, "files");
        assert_int_equal(json_object_array_length(files), 1);
        struct json_object *f = json_object_array_get_idx(files, 0);
        assert_string_equal(json_object_get_string(json_object_object_get(f, "verdict")),
                            "malicious");
        assert_int_equal(json_object_array_length(json_object_object_get(f, "children")), 2);
        json_object_put(report);
        analysis_result_free(msg);
}

static struct analysis_ctx *ctx;

static int setup_ctx(void **state)
{
        (void)state;
        make_eicar();
        return analysis_ctx_new(NULL, &ctx, NULL) < 0 ? -1 : 0;
}

static int teardown_ctx(void **state)
{
        (void)state;
        ctx = analysis_ctx_free(ctx);
        return 0;
}

static void test_scan_buffer(void **state)
{
        struct analysis_result *r = NULL;

        (void)state;
        assert_true(analysis_ctx_rule_count(ctx) > 20);
        assert_int_equal(analysis_scan_buffer(ctx, "eicar.com", eicar, strlen(eicar), &r), 0);
        assert_int_equal(r->verdict, ANALYSIS_MALICIOUS);
        assert_true(has_rule(r, "eicar_test_file"));
        assert_string_equal(r->sha256,
                            "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f");
        assert_int_equal(r->size, 68);
        r = analysis_result_free(r);

        assert_int_equal(analysis_scan_buffer(ctx, "note.txt", "hello\n", 6, &r), 0);
        assert_int_equal(r->verdict, ANALYSIS_CLEAN);
        assert_string_equal(r->mime, "text/plain");
        r = analysis_result_free(r);

        /* An all-ASCII PDF is text byte by byte, but a PDF to its reader. */
        {
                static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
                                          "trailer << /Root 1 0 R >>\n%%EOF\n";

                assert_int_equal(analysis_scan_buffer(ctx, "doc.pdf", pdf, strlen(pdf), &r), 0);
                assert_string_equal(r->mime, "application/pdf");
                assert_int_equal(r->verdict, ANALYSIS_CLEAN);
                r = analysis_result_free(r);
        }

        assert_int_equal(analysis_scan_buffer(ctx, "mail.zip", eicar_zip, sizeof(eicar_zip), &r),
                         0);
        assert_int_equal(r->verdict, ANALYSIS_MALICIOUS);
        assert_int_equal(r->n_children, 1);
        assert_string_equal(r->children[0]->path, "docs/invoice.pdf.exe");
        assert_string_equal(r->children[0]->name, "invoice.pdf.exe");
        assert_true(has_rule(r, "eicar_test_file"));
        r = analysis_result_free(r);
}

static const struct analysis_finding *find_rule(const struct analysis_result *r, const char *rule)
{
        for (size_t i = 0; i < r->n_findings; i++)
                if (streq(r->findings[i].rule, rule))
                        return &r->findings[i];
        return NULL;
}

/* libyara keeps match records and matched bytes in one arena: after the 4 bytes of "<svg" the
 * next record is misaligned, and reading it for the evidence must still work (and stay quiet
 * under UBSan). Found by fuzz-archive. */
static void test_evidence_of_later_match(void **state)
{
        static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n"
                                  "<foreignObject width=\"10\" height=\"10\"></foreignObject>\n"
                                  "<script>var a = 1;</script></svg>\n";
        const struct analysis_finding *f;
        struct analysis_result *r = NULL;

        (void)state;
        assert_int_equal(analysis_scan_buffer(ctx, "image.svg", svg, strlen(svg), &r), 0);
        f = find_rule(r, "svg_active_content");
        assert_non_null(f);
        assert_non_null(f->evidence);
        assert_non_null(strstr(f->evidence, "at offset"));
        r = analysis_result_free(r);
}

/* A mail scanner's tree: a message node of its own with attachments scanned as members. */
static void test_scan_buffer_child(void **state)
{
        struct analysis_result *msg = analysis_result_new("message.eml"), *part = NULL;
        static const char pe[] = "MZ\x90\x00 not really a program";

        (void)state;
        assert_int_equal(analysis_scan_buffer_child(ctx, msg, "notes.txt", "hello\n", 6, &part), 0);
        assert_ptr_equal(part->parent, msg);
        assert_int_equal(analysis_scan_buffer_child(ctx, msg, "invoice.exe", pe, sizeof(pe), NULL),
                         0);
        assert_int_equal(msg->n_children, 2);
        analysis_result_finalize(msg);
        assert_int_equal(msg->children[0]->verdict, ANALYSIS_CLEAN);
        assert_true(has_rule(msg->children[1], "heuristic.executable_in_container"));
        assert_int_equal(msg->verdict, ANALYSIS_SUSPICIOUS);
        assert_int_equal(
                analysis_scan_buffer_child(ctx, msg, "a.zip", eicar_zip, sizeof(eicar_zip), NULL),
                0);
        analysis_result_finalize(msg);
        assert_int_equal(msg->verdict, ANALYSIS_MALICIOUS);
        analysis_result_free(msg);
}

static void test_limits(void **state)
{
        struct analysis_options o;
        struct analysis_ctx *small = NULL;
        struct analysis_result *r = NULL;

        (void)state;
        analysis_options_init(&o);
        assert_int_equal(o.limits.max_depth, 8);
        assert_int_equal(o.limits.max_members, 10000);
        assert_int_equal(o.limits.max_expansion, 1ULL << 30);
        assert_int_equal(o.limits.max_ratio, 100);
        assert_int_equal(o.limits.timeout_sec, 120);
        o.limits.max_depth = 0;
        o.limits.max_members = 0;
        o.limits.max_file_size = 100;
        assert_int_equal(analysis_ctx_new(&o, &small, NULL), 0);
        assert_int_equal(analysis_scan_buffer(small, "z.zip", eicar_zip, sizeof(eicar_zip), &r), 0);
        assert_int_equal(r->verdict, ANALYSIS_UNSCANNABLE);
        assert_string_equal(r->limit, "file-size");
        r = analysis_result_free(r);
        small = analysis_ctx_free(small);

        analysis_options_init(&o);
        o.limits.max_members = 0;
        o.limits.max_depth = 1;
        assert_int_equal(analysis_ctx_new(&o, &small, NULL), 0);
        /* depth 1: the zip is opened, nothing inside it would be */
        assert_int_equal(analysis_scan_buffer(small, "z.zip", eicar_zip, sizeof(eicar_zip), &r), 0);
        assert_int_equal(r->verdict, ANALYSIS_MALICIOUS);
        r = analysis_result_free(r);
        small = analysis_ctx_free(small);
}

static void test_bad_user_rule(void **state)
{
        char dir[] = "/tmp/airlock-rules-XXXXXX", path[64];
        char *rules_dirs[] = {dir, NULL}, *error = NULL;
        struct analysis_options o;
        struct analysis_ctx *c = NULL;
        FILE *f;

        (void)state;
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/bad.yar", dir);
        f = fopen(path, "w");
        fputs("rule ok { condition: true }\nrule broken { condition: nonsense_ident }\n", f);
        fclose(f);
        analysis_options_init(&o);
        o.rules_dirs = rules_dirs;
        assert_int_equal(analysis_ctx_new(&o, &c, &error), -EINVAL);
        assert_non_null(error);
        assert_non_null(strstr(error, "bad.yar:2"));
        free(error);
        unlink(path);

        /* a hash line matches by content wherever the file sits */
        snprintf(path, sizeof(path), "%s/h.hsb", dir);
        f = fopen(path, "w");
        fputs("# "
              "comment\n275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f:68:Test."
              "Eicar\n",
              f);
        fclose(f);
        o.no_builtin_rules = true;
        assert_int_equal(analysis_ctx_new(&o, &c, NULL), 0);
        assert_int_equal(analysis_ctx_rule_count(c), 1);
        struct analysis_result *r = NULL;
        assert_int_equal(analysis_scan_buffer(c, "z.zip", eicar_zip, sizeof(eicar_zip), &r), 0);
        assert_true(has_rule(r, "hash.Test.Eicar"));
        assert_int_equal(r->verdict, ANALYSIS_MALICIOUS);
        analysis_result_free(r);
        analysis_ctx_free(c);
        unlink(path);
        rmdir(dir);
}

/* Appends n copies of piece to buf at *len (the caller sized buf). */
static void append_times(char *buf, size_t *len, const char *piece, size_t n)
{
        size_t k = strlen(piece);

        for (size_t i = 0; i < n; i++, *len += k)
                memcpy(buf + *len, piece, k);
        buf[*len] = '\0';
}

static bool scan_has(struct analysis_ctx *c, const char *name, const char *data, size_t len,
                     const char *rule)
{
        struct analysis_result *r = NULL;
        bool found;

        assert_int_equal(analysis_scan_buffer(c, name, data, len, &r), 0);
        found = has_rule(r, rule);
        analysis_result_free(r);
        return found;
}

/* Whether the finding of rule on r (not its children) has the ATT&CK id. */
static bool finding_has_id(const struct analysis_result *r, const char *rule, const char *id)
{
        for (size_t i = 0; i < r->n_findings; i++)
                if (streq(r->findings[i].rule, rule))
                        return strv_contains(r->findings[i].attack, id);
        return false;
}

static bool scan_has_id(struct analysis_ctx *c, const char *name, const char *data,
                        const char *rule, const char *id)
{
        struct analysis_result *r = NULL;
        bool found;

        assert_int_equal(analysis_scan_buffer(c, name, data, strlen(data), &r), 0);
        assert_true(has_rule(r, rule));
        found = finding_has_id(r, rule, id);
        analysis_result_free(r);
        return found;
}

/* A context with only the rules of text (in a file NAME.yar of a folder of its own, removed
 * once they are compiled), for tests of the engine's rule machinery. */
static struct analysis_ctx *ctx_with_rules(const char *name, const char *text)
{
        char dir[] = "/tmp/airlock-rules-XXXXXX", path[96];
        char *rules_dirs[] = {dir, NULL};
        struct analysis_options o;
        struct analysis_ctx *c = NULL;
        FILE *f;

        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/%s.yar", dir, name);
        f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        analysis_options_init(&o);
        o.rules_dirs = rules_dirs;
        o.no_builtin_rules = true;
        assert_int_equal(analysis_ctx_new(&o, &c, NULL), 0);
        unlink(path);
        rmdir(dir);
        return c;
}

/* A rule that says what a script does gets T1059.001 on PowerShell text, named so or not,
 * plain or obfuscated; the same behaviour in VBScript, shell or a .txt of prose keeps the ids
 * the rule wrote, and a low finding is not a behaviour. */
static void test_powershell_ids(void **state)
{
        struct analysis_ctx *c;

        (void)state;
        c = ctx_with_rules(
                "does", "rule t_does { meta: severity = \"high\" attack = \"T1003\" strings: $a = "
                        "\"sekurlsa\" nocase condition: $a }\n"
                        "rule t_note { meta: severity = \"low\" attack = \"T1082\" strings: $a = "
                        "\"hostname\" nocase condition: $a }\n");

        const char *ps = "$out = $null\n$p = New-Object Diagnostics.Process\n"
                         "if (Test-Path $env:TEMP) { $out = 'sekurlsa::logonpasswords' }\n"
                         "hostname | Out-Null\n";
        assert_true(scan_has_id(c, "a1b2c3d4", ps, "t_does", "T1059.001"));
        assert_true(scan_has_id(c, "a1b2c3d4", ps, "t_does", "T1003"));
        assert_false(scan_has_id(c, "a1b2c3d4", ps, "t_note", "T1059.001"));
        assert_true(scan_has_id(c, "tool.ps1", "$x = 'sekurlsa'\n", "t_does", "T1059.001"));
        /* cmdlets that show only once the ticks and the joins are undone */
        const char *obf = "& ('Ne'+'w-Ob'+'ject') Net.WebClient; ('Te'+'st-Path') x;"
                          " ${x} = 'sekur'+'lsa'; ('Star'+'t-Sleep') 1\n";
        assert_true(scan_has_id(c, "blob", obf, "t_does", "T1059.001"));

        const char *vbs = "Set sh = CreateObject(\"WScript.Shell\")\nsh.Run \"powershell "
                          "-c $env:x; New-Object x; Test-Path y; sekurlsa\"\n";
        assert_false(scan_has_id(c, "a.vbs", vbs, "t_does", "T1059.001"));
        const char *sh = "#!/bin/sh\nif [ \"$a\" -eq 1 ] && [ -f x ]; then echo sekurlsa; fi\n";
        assert_false(scan_has_id(c, "run", sh, "t_does", "T1059.001"));
        analysis_ctx_free(c);
}

/* literal_run, literal_digit_run and element_run: the runs that a quote or '>' opens in
 * markup, measured in C for exploits.yar, also in markup that libmagic calls data. */
static void test_literal_runs(void **state)
{
        struct analysis_ctx *c;
        size_t len;
        char *buf = malloc(64 * 1024);

        (void)state;
        assert_non_null(buf);
        c = ctx_with_rules("runs", "// airlock-scope: markup\n"
                                   "rule t_digits { condition: literal_digit_run >= 1000 }\n"
                                   "rule t_element { condition: element_run >= 3000 }\n"
                                   "rule t_literal { condition: literal_run >= 4000 }\n");

        /* character codes written out in a string literal */
        len = 0;
        append_times(buf, &len, "<html><script>var p=\"60", 1);
        append_times(buf, &len, ",115", 400);
        append_times(buf, &len, "\";</script></html>", 1);
        assert_true(scan_has(c, "a.html", buf, len, "t_digits"));
        assert_false(scan_has(c, "a.html", buf, len, "t_literal"));
        assert_false(scan_has(c, "a.html", buf, len, "t_element"));

        /* a JSON array of ids is no such run: brackets, and numbers of more than 5 digits */
        len = 0;
        append_times(buf, &len, "<html><script>var j={\"ids\":[66664167", 1);
        append_times(buf, &len, ",66868167", 600);
        append_times(buf, &len, "]};</script></html>", 1);
        assert_false(scan_has(c, "j.html", buf, len, "t_digits"));
        len = 0;
        append_times(buf, &len, "<html><script>var p=\"1", 1);
        append_times(buf, &len, ",123456", 400);
        append_times(buf, &len, "\";</script></html>", 1);
        assert_false(scan_has(c, "k.html", buf, len, "t_digits"));

        /* an element's text of encoded characters; spaces end the run */
        len = 0;
        append_times(buf, &len, "<html><body><div style=\"display:none\">", 1);
        append_times(buf, &len, "QmxhY2tob2xl", 300);
        append_times(buf, &len, "</div></body></html>", 1);
        assert_true(scan_has(c, "e.html", buf, len, "t_element"));
        len = 0;
        append_times(buf, &len, "<html><body><p>", 1);
        append_times(buf, &len, "QmxhY2tob2xl ", 300);
        append_times(buf, &len, "</p></body></html>", 1);
        assert_false(scan_has(c, "p.html", buf, len, "t_element"));
        assert_false(scan_has(c, "p.html", buf, len, "t_literal"));

        /* a literal with bytes of a binary cipher: the page is data to libmagic, still markup */
        len = 0;
        append_times(buf, &len, "<html><body><script>x=\"", 1);
        append_times(buf, &len, "\x9e\x11,o\x0f{P\x9eio", 600);
        append_times(buf, &len, "\";</script></body></html>", 1);
        assert_true(scan_has(c, "d.html", buf, len, "t_literal"));
        assert_false(scan_has(c, "d.html", buf, len, "t_digits"));

        analysis_ctx_free(c);
        free(buf);
}

/* A rule set's scanner is reused from scan to scan: what one text measured must not be read by
 * the next, for which it was not measured (a binary has no encoded runs, no literal runs). */
static void test_scanner_reused(void **state)
{
        struct analysis_ctx *c;
        char text[400], binary[400];
        size_t len = 0;

        (void)state;
        c = ctx_with_rules("reuse", "rule t_b64 { condition: encoded_b64 > 0 }\n"
                                    "rule t_literal { condition: literal_run > 0 }\n");
        append_times(text, &len, "x = \"", 1);
        append_times(text, &len, "0a1b2c3d4e5f6789", 16); /* hex: the normaliser leaves it */
        append_times(text, &len, "\"\n", 1);
        memset(binary, 0, sizeof(binary));
        memcpy(binary,
               "\x7f"
               "ELF\x02\x01\x01",
               7);
        for (int round = 0; round < 3; round++) {
                assert_true(scan_has(c, "a.txt", text, len, "t_b64"));
                assert_true(scan_has(c, "a.txt", text, len, "t_literal"));
                assert_false(scan_has(c, "b.bin", binary, sizeof(binary), "t_b64"));
                assert_false(scan_has(c, "b.bin", binary, sizeof(binary), "t_literal"));
        }
        analysis_ctx_free(c);
}

/* The "page" scope: markup, and also the script of a page saved alone (file_type "script"),
 * with the literal runs measured for it; prose is in neither. The "exploit" scope: the same,
 * and then only text that holds what one of exploits.yar's rules needs. */
static void test_page_scope(void **state)
{
        struct analysis_ctx *c, *page;
        size_t len;
        char *buf = malloc(64 * 1024);

        (void)state;
        assert_non_null(buf);
        c = ctx_with_rules("exploit", "// airlock-scope: exploit\n"
                                      "rule t_mark { strings: $a = \"zzmarkzz\" condition: $a }\n"
                                      "rule t_literal { condition: literal_run >= 4000 }\n");
        page = ctx_with_rules("page", "// airlock-scope: page\n"
                                      "rule t_mark { strings: $a = \"zzmarkzz\" condition: $a }\n");

        /* a script with no markup at all: in the scope, its literal measured */
        len = 0;
        append_times(buf, &len, "var zzmarkzz = 1;\nvar p=\"", 1);
        append_times(buf, &len, "QmxhY2tob2xl", 400);
        append_times(buf, &len, "\";\neval(p);\n", 1);
        assert_true(scan_has(c, "landing.js", buf, len, "t_mark"));
        assert_true(scan_has(c, "landing.js", buf, len, "t_literal"));

        /* a page or a script: in the scope when it holds what one of exploits.yar's rules
         * needs (page_could_match()), one thing at a time */
        static const char *const in[] = {
                "<html><body><p>zzmarkzz</p><IFRAME src=x></iframe></body></html>",
                "x = UnEscape(zzmarkzz);",
                "zzmarkzz = String.fromCharCode(65);",
                "var zzmarkzz = new ActiveXObject('a.b');",
                "zzmarkzz = 'res://c:/x.sys';",
                "zzmarkzz = '\\x3c\\x69';",
                "zzmarkzz = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';",
                "zzmarkzz = 0x9E3779B9;",
                "eval(a + b + c + d + e + f + g + h + i + zzmarkzz);",
                "el.style.display = 'none'; zzmarkzz = el.innerHTML;",
                "<script>zzmarkzz</script><html>",
        };
        static const char *const out[] = {
                "<html><body><p>zzmarkzz</p></body></html>",
                "eval(a + b + c + d + e + f + g + h + zzmarkzz);",
                "el.style.display = 'none'; zzmarkzz();",
                "zzmarkzz = unescap;",
        };
        for (size_t i = 0; i < ELEMENTSOF(in); i++)
                if (!scan_has(c, "landing.js", in[i], strlen(in[i]), "t_mark"))
                        fail_msg("exploit scope not scanned over: %s", in[i]);
        for (size_t i = 0; i < ELEMENTSOF(out); i++) {
                if (scan_has(c, "landing.js", out[i], strlen(out[i]), "t_mark"))
                        fail_msg("exploit scope scanned over: %s", out[i]);
                if (!scan_has(page, "landing.js", out[i], strlen(out[i]), "t_mark"))
                        fail_msg("page scope not scanned over: %s", out[i]);
        }
        /* 24 %uXXXX or \\uXXXX in a row (a heap spray's shellcode), not 23 */
        for (const char *u = "%\\"; *u; u++) {
                char unit[8];
                snprintf(unit, sizeof(unit), "%cu4141", *u);
                len = 0;
                append_times(buf, &len, "zzmarkzz = '", 1);
                append_times(buf, &len, unit, 23);
                append_times(buf, &len, "';", 1);
                assert_false(scan_has(c, "landing.js", buf, len, "t_mark"));
                len = 0;
                append_times(buf, &len, "zzmarkzz = '", 1);
                append_times(buf, &len, unit, 24);
                assert_true(scan_has(c, "landing.js", buf, len, "t_mark"));
        }
        /* a <script> after the page's end, or opening the file; not one inside the page */
        len = 0;
        append_times(buf, &len, "<html><body><p>", 1);
        append_times(buf, &len, "Words of the page. ", 40);
        append_times(buf, &len, "zzmarkzz</p><script>x()</script></body></html>", 1);
        assert_false(scan_has(c, "page.html", buf, len, "t_mark"));
        append_times(buf, &len, "\n<script>y()</script>", 1);
        assert_true(scan_has(c, "page.html", buf, len, "t_mark"));
        /* a literal of character codes */
        len = 0;
        append_times(buf, &len, "zzmarkzz = \"", 1);
        append_times(buf, &len, "60,115,", 143);
        append_times(buf, &len, "\";", 1);
        assert_true(scan_has(c, "landing.js", buf, len, "t_mark"));
        len = 0;
        append_times(buf, &len, "zzmarkzz = \"", 1);
        append_times(buf, &len, "60,115,", 142);
        append_times(buf, &len, "\";", 1);
        assert_false(scan_has(c, "landing.js", buf, len, "t_mark"));

        /* prose: not a script and not markup, so the rules are not scanned over it */
        len = 0;
        append_times(buf, &len,
                     "This is an ordinary sentence of plain words written for people to read, "
                     "and zzmarkzz is one of them.\n",
                     40);
        assert_false(scan_has(c, "notes.txt", buf, len, "t_mark"));
        assert_false(scan_has(page, "notes.txt", buf, len, "t_mark"));

        analysis_ctx_free(page);
        analysis_ctx_free(c);
        free(buf);
}

/* The "php" scope: a rule set scanned only over text with a PHP opening, which every rule of
 * the scope requires; text without one (a shell script's ${x}) is not scanned with it. */
static void test_php_scope(void **state)
{
        struct analysis_ctx *c;
        static const char rule[] = "// airlock-scope: php\n"
                                   "rule t_php { strings: $a = \"zzmarkzz\" condition: $a }\n";
        static const char *const in[] = {
                "<?php echo 'zzmarkzz'; ?>",
                "<?PHP\nzzmarkzz",
                "x <?= zzmarkzz ?>",
                "<? zzmarkzz",
                "<?\tzzmarkzz",
                "<?$a='zzmarkzz';",
                "<?@eval('zzmarkzz');",
                "<?eval('zzmarkzz');",
                "<?assert('zzmarkzz');",
                "<?include 'zzmarkzz';",
                "<?require 'zzmarkzz';",
                "<script language=\"php\">zzmarkzz</script>",
                "<SCRIPT\n  LANGUAGE = php>zzmarkzz",
        };
        static const char *const out[] = {
                "#!/bin/sh\necho \"${zzmarkzz}\"\n",
                "<?xml version=\"1.0\"?><a>zzmarkzz</a>",
                "<script>var zzmarkzz = 1;</script>",
                "<scriptlanguage>zzmarkzz",
                "zzmarkzz <?",
        };

        (void)state;
        c = ctx_with_rules("php", rule);
        for (size_t i = 0; i < ELEMENTSOF(in); i++)
                if (!scan_has(c, "page.php", in[i], strlen(in[i]), "t_php"))
                        fail_msg("php scope not scanned over: %s", in[i]);
        for (size_t i = 0; i < ELEMENTSOF(out); i++)
                if (scan_has(c, "page.php", out[i], strlen(out[i]), "t_php"))
                        fail_msg("php scope scanned over: %s", out[i]);
        analysis_ctx_free(c);
}

static void *scan_thread(void *arg)
{
        for (int i = 0; i < 50; i++) {
                struct analysis_result *r = NULL;
                if (analysis_scan_buffer(ctx, "t.zip", eicar_zip, sizeof(eicar_zip), &r) < 0 ||
                    r->verdict != ANALYSIS_MALICIOUS) {
                        analysis_result_free(r);
                        return (void *)1;
                }
                analysis_result_free(r);
        }
        return arg;
}

/* One context shared by threads: rules compiled once, libmagic loaded once. */
static void test_threads(void **state)
{
        pthread_t t[4];
        void *ret;

        (void)state;
        for (int i = 0; i < 4; i++)
                assert_int_equal(pthread_create(&t[i], NULL, scan_thread, NULL), 0);
        for (int i = 0; i < 4; i++) {
                assert_int_equal(pthread_join(t[i], &ret), 0);
                assert_null(ret);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_scoring),
                cmocka_unit_test(test_worst_child_decides),
                cmocka_unit_test(test_scan_buffer),
                cmocka_unit_test(test_scan_buffer_child),
                cmocka_unit_test(test_limits),
                cmocka_unit_test(test_bad_user_rule),
                cmocka_unit_test(test_threads),
                cmocka_unit_test(test_evidence_of_later_match),
                cmocka_unit_test(test_literal_runs),
                cmocka_unit_test(test_powershell_ids),
                cmocka_unit_test(test_page_scope),
                cmocka_unit_test(test_php_scope),
                cmocka_unit_test(test_scanner_reused),
        };
        return cmocka_run_group_tests(tests, setup_ctx, teardown_ctx);
}
