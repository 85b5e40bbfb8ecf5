/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/jsshape.h"

static struct jsshape shape(const char *s, bool markup)
{
        struct jsshape m;

        jsshape_measure(s, strlen(s), markup, &m);
        return m;
}

static void test_sinks(void **state)
{
        (void)state;
        struct jsshape m = shape("eval(x); new Function('a', b); setTimeout('go()', 9);\n"
                                 "setTimeout(go, 9); document.write('<i>');\n"
                                 "stream.write(buf); el.innerHTML = s; t = el.innerHTML;\n"
                                 "var s = document.createElement('script');\n"
                                 "document.createElement('div'); location.href = u;\n"
                                 "window.location.replace(u); var f = function () {};\n",
                                 false);
        assert_int_equal(m.sink_eval, 3);
        assert_int_equal(m.sink_write, 2);
        assert_int_equal(m.sink_inject, 1);
        assert_int_equal(m.sink_redirect, 2);
        assert_int_equal(m.sink_wsh, 0);
        assert_int_equal(m.lines, 6);
        /* document three times, window once */
        assert_int_equal(m.browser_names, 4);
}

static void test_wsh_and_decoders(void **state)
{
        (void)state;
        struct jsshape m = shape("var o = new ActiveXObject('MSXML2.XMLHTTP.6.0');\n"
                                 "var sh = WScript.CreateObject(\"wscript.shell\");\n"
                                 "var t = unescape(a).split('').reverse().join('');\n"
                                 "t = t.replace(/[^a-z]/g, '') + String.fromCharCode(65);\n"
                                 "u = s.replace('a', 'b');\n",
                                 false);
        /* WScript, CreateObject, the wscript.shell literal; ActiveXObject and MSXML2 apart */
        assert_int_equal(m.sink_wsh, 3);
        assert_int_equal(m.sink_activex, 2);
        /* unescape split reverse join replace(/re/) fromCharCode: replace('a') is no decoder */
        assert_int_equal(m.decoders, 6);
        assert_int_equal(m.decoder_kinds, 6);
        assert_int_equal(m.browser_names, 0);
}

static void test_structure(void **state)
{
        (void)state;
        struct jsshape m = shape("var _0x3f2a = ['\\x65\\x76', 'abc'], KWlqCKLfCV = 1;\n"
                                 "window['ev' + 'al'](_0x3f2a[0]); var c = [101, 118, 97, 108];\n"
                                 "// a comment that is not code\n",
                                 false);
        assert_int_equal(m.identifiers, 7);
        /* KWlqCKLfCV of the 7 names; _0x3f2a twice, javascript-obfuscator's */
        assert_int_equal(m.generated_ids_pm, 142);
        assert_int_equal(m.hex_ids_pm, 285);
        assert_int_equal(m.packed, 0);
        assert_int_equal(m.bracket_strings, 1);
        assert_int_equal(m.hidden_names, 0);
        assert_int_equal(m.concat_strings, 1);
        assert_int_equal(m.longest_literal, 8);
        assert_int_equal(m.encoded_literal, 8);
        assert_true(m.number_pm > 0);
        assert_true(m.string_pm > 100 && m.string_pm < 400);
        assert_int_equal(m.lines, 2);
        assert_int_equal(m.max_line, 61);
        /* a regular expression is not a literal, a division is not a regular expression */
        m = shape("x = a / b / c; y = /\"[a-z]+'/g; z = \"abcd\";", false);
        assert_int_equal(m.longest_literal, 4);
        assert_int_equal(m.literal_entropy, 200);
}

static void test_hidden_names(void **state)
{
        (void)state;
        struct jsshape m = shape("window['eval'](s); this[\"ActiveXObject\"]('x');\n"
                                 "s[\"fromCharCode\"](65); o['length']; a = ['eval'];\n",
                                 false);

        assert_int_equal(m.hidden_names, 2);
        assert_int_equal(m.sink_eval, 1);
        assert_int_equal(m.sink_activex, 1);
        assert_int_equal(m.decoders, 1);
        assert_int_equal(m.bracket_strings, 4);
        /* names of data and of the DOM read by strings are not hidden */
        m = shape("o['join'](x); e['innerHTML'] = y; w['document']; t['Function'];", false);
        assert_int_equal(m.hidden_names, 0);
        assert_int_equal(m.bracket_strings, 4);
}

static void test_markup(void **state)
{
        (void)state;
        const char *page = "<html><p>eval(nothing) 'not a literal of a script'</p>\n"
                           "<script type=\"application/ld+json\">{\"a\": \"eval(x)\"}</script>\n"
                           "<SCRIPT>document.write(unescape('%3Ciframe'))</SCRIPT>\n"
                           "<script src=x.js></script><script>eval(y)";
        struct jsshape m = shape(page, true);

        assert_int_equal(m.sink_write, 1);
        assert_int_equal(m.sink_eval, 1);
        assert_int_equal(m.decoders, 1);
        assert_int_equal(m.longest_literal, 9);
        /* read as a script, the page's text counts too */
        m = shape(page, false);
        assert_int_equal(m.longest_literal, 25);
        assert_true(m.sink_eval >= 1);
}

static void test_generated_names(void **state)
{
        (void)state;
        /* generated: PsKnARPQuNN, a1234, v8x3k9q2; written: PascalCase and acronyms; _0x1f2e is
         * counted apart */
        struct jsshape m = shape("_0x1f2e PsKnARPQuNN a1234 v8x3k9q2 RealModObj XMLHttpRequest "
                                 "innerHTML getElementById ADsPath sha256 utf8",
                                 false);

        assert_int_equal(m.identifiers, 11);
        assert_int_equal(m.generated_ids_pm, 3 * 1000 / 11);
        assert_int_equal(m.hex_ids_pm, 1000 / 11);
        /* Hungarian notation of admin scripts is written; a prefix before a generator's
         * single small letters is not */
        m = shape("strOldSiteRDN objRootDSE strConfigurationNC objKWlqCKLfCV strQWzRTk", false);
        assert_int_equal(m.identifiers, 5);
        assert_int_equal(m.generated_ids_pm, 2 * 1000 / 5);
        m = shape("eval(function(p,a,c,k,e,d){return p}('0 1',2,2,'a|b'.split('|'),0,{}))", false);
        assert_int_equal(m.packed, 1);
}

static void test_merge(void **state)
{
        (void)state;
        struct jsshape a = shape("var KWlqCKLfCV = 'abcdefgh';", false);
        struct jsshape b = shape("eval(x)", false);

        jsshape_merge(&a, &b);
        assert_int_equal(a.sink_eval, 1);
        assert_int_equal(a.generated_ids_pm, 500);
        assert_int_equal(a.longest_literal, 8);
}

static void test_hostile(void **state)
{
        (void)state;
        /* unclosed literals, comments, regular expressions and tags end at the end */
        const char *const bad[] = {
                "'abc", "/* never closed", "x = /[/",           "<script>eval(", "`a\nb", "a[",
                "\\",   "<script",         "<script>'</script>"};
        for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
                struct jsshape m = shape(bad[k], k == 3 || k == 7 || k == 8);
                assert_true(m.longest_literal <= (int64_t)strlen(bad[k]));
                assert_true(m.bytes <= (int64_t)strlen(bad[k]));
                assert_true(m.string_pm <= 1000);
        }
        struct jsshape m = shape("", false);
        assert_int_equal(m.bytes, 0);
        assert_int_equal(m.literal_entropy, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sinks),        cmocka_unit_test(test_wsh_and_decoders),
                cmocka_unit_test(test_structure),    cmocka_unit_test(test_markup),
                cmocka_unit_test(test_hidden_names), cmocka_unit_test(test_generated_names),
                cmocka_unit_test(test_merge),        cmocka_unit_test(test_hostile),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
