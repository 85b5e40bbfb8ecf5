/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/jsassemble.h"
#include "analysis/normalise.h"

/* The values jsasm_assembled_values() writes for in, and how many. */
static char *values(const char *in, int *ret_k)
{
        struct textbuf out = {0};

        *ret_k = jsasm_assembled_values(in, strlen(in), &out);
        assert_false(out.oom);
        textbuf_put(&out, "", 0);
        return out.p;
}

static void expect_values(const char *in, const char *want)
{
        int k;
        char *got = values(in, &k);

        assert_true(k > 0);
        assert_string_equal(got, want);
        free(got);
}

static void expect_no_values(const char *in)
{
        int k;
        char *got = values(in, &k);

        assert_int_equal(k, 0);
        assert_string_equal(got, "");
        free(got);
}

static void test_statements_in_order(void **state)
{
        (void)state;
        /* a temporary reassigned before each append: the order of statements matters */
        expect_values("var n='';var u='';u='var ws = WScr';n+=u;u='ipt.CreateObject';n+=u;"
                      "u='(\"WScript.Shell\")';n+=u;x()(n);",
                      "\nvar ws = WScript.CreateObject(\"WScript.Shell\")\n");
        /* functions that return a literal or an array item at a constant index */
        expect_values("function a() { return 'Activ'; }\n"
                      "function b() { var q = [\"eX\"][(3880 - 3880)]; return q; }\n"
                      "var c = a() + b() + 'Object!!!';",
                      "\nActiveXObject!!!\n");
        /* the comma operator over literals, escapes, String.fromCharCode */
        expect_values("var x = ('junk', 'more', 'WScr') + '\\x69pt' + String.fromCharCode(46, 83)"
                      " + 'hell';",
                      "\nWScript.Shell\n");
        /* VBScript: & and its constants, any case, line continuation */
        expect_values(
                "s = \"Set o = Cre\"\nS = s & \"ateObject(\"\"WScr\" & _\n \"ipt\"\")\" & vbCrLf\n",
                "\nSet o = CreateObject(\"WScript\")\r\n\n");
}

static void test_operands(void **state)
{
        (void)state;
        /* an index or an argument that joins known strings */
        expect_values("var a = 'wscr'; var b = 'ipt.shell'; o.CreateObject(a + b);",
                      "\nwscript.shell\n");
}

static void test_forgotten(void **state)
{
        (void)state;
        /* an expression not read makes the variable unknown: nothing is made up */
        expect_no_values("var n = 'abc'; n += 'defgh'; n += 'ijklmnop'; n = n.split('');");
        expect_no_values("var n = 'abc'; n += q; n += 'defghijklmnopqrstu';");
        /* too few fragments: a plain literal is not assembled */
        expect_no_values("var n = 'abcdefghijklmnopqrstuvwxyz';");
        expect_no_values("");
        /* an item picked from an array of empty strings is empty */
        expect_values("var a = [\"\", \"\"][1] + 'WScript' + '.Shell';", "\nWScript.Shell\n");
}

static char *through(int (*f)(const char *, size_t, struct textbuf *), const char *in, int *k)
{
        struct textbuf out = {0};

        *k = f(in, strlen(in), &out);
        assert_false(out.oom);
        textbuf_put(&out, "", 0);
        return out.p;
}

static void expect_through(int (*f)(const char *, size_t, struct textbuf *), const char *in,
                           const char *want, int want_k)
{
        int k;
        char *got = through(f, in, &k);

        assert_int_equal(k, want_k);
        assert_string_equal(got, want);
        free(got);
}

/* Quotes that open no string on their line (an RTF's \\'e0 escapes, an apostrophe in prose)
 * are stepped over, and the strings of the next lines are still read. */
static void test_unclosed_quotes(void **state)
{
        (void)state;
        expect_values("x = 'it\\'s \\'e0\\'e1 \"a \\\" b 'c\n"
                      "var a = 'wscr'; var b = 'ipt.shell'; o.CreateObject(a + b);",
                      "\nwscript.shell\n");
        /* the same after a long line of them, whose scan is not repeated per quote */
        size_t len = 60000;
        char *s = malloc(len + 128);
        assert_non_null(s);
        for (size_t k = 0; k < len; k += 4)
                memcpy(s + k, "\\'e0", 4);
        strcpy(s + len, "\nvar a = 'wscr'; var b = 'ipt.shell'; o.CreateObject(a + b);");
        expect_values(s, "\nwscript.shell\n");
        strcpy(s + len, "\nWScript.Echo('a // b'); // c");
        char *want = strdup(s);
        assert_non_null(want);
        strcpy(want + len, "\nWScript.Echo('a // b');  ");
        expect_through(jsasm_strip_comments, s, want, 1);
        free(want);
        free(s);
}

static void test_identity_calls(void **state)
{
        (void)state;
        expect_through(jsasm_identity_calls,
                       "x = (function String.prototype.off() { var v = this; return v }, 1);"
                       " o('wscr'.off() + \"ipt\".off().off());",
                       "x = (function String.prototype.off() { var v = this; return v }, 1);"
                       " o('wscr' + \"ipt\");",
                       2);
        expect_through(jsasm_identity_calls,
                       "String.prototype.id = function () { return this; }; a = 'x'.id();",
                       "String.prototype.id = function () { return this; }; a = 'x';", 1);
        /* a method that does something is kept */
        expect_through(jsasm_identity_calls,
                       "String.prototype.id = function () { return this + 1; }; a = 'x'.id();",
                       "String.prototype.id = function () { return this + 1; }; a = 'x'.id();", 0);
}

static void test_strip_comments(void **state)
{
        (void)state;
        expect_through(jsasm_strip_comments,
                       "// module.exports = x\nvar s = WScript.CreateObject('a//b'); /* c */ "
                       "u = 'http://x'; /*@cc_on @*/ r = /a\\/\\//;\n",
                       " \nvar s = WScript.CreateObject('a//b');   u = 'http://x'; /*@cc_on @*/ "
                       "r = /a\\/\\//;\n",
                       2);
        /* only a file for Windows Script Host loses its comments */
        expect_through(jsasm_strip_comments, "// module.exports\nvar a = 1;",
                       "// module.exports\nvar a = 1;", 0);
}

static void test_eval_literals(void **state)
{
        (void)state;
        expect_through(jsasm_eval_literals, "eval('var a = \"WScr\" + \"ipt\";');",
                       "eval(\nvar a = \"WScr\" + \"ipt\";\n);", 1);
        expect_through(jsasm_eval_literals, "f = new Function(\"var o = 'WScr' + 'ipt';\");",
                       "f = new Function(\nvar o = 'WScr' + 'ipt';\n);", 1);
        expect_through(jsasm_eval_literals, "eval('x'); medieval('var a = \"WScr\" + \"ipt\";');",
                       "eval('x'); medieval('var a = \"WScr\" + \"ipt\";');", 0);
}

static void test_char_code_apply(void **state)
{
        (void)state;
        expect_through(jsasm_char_code_apply,
                       "a = String.fromCharCode.apply(null, [87, 80+3, 0x63, 34]);",
                       "a = \"WSc\\\"\";", 1);
        /* a code that is not printable, or a list that is not constant, is left */
        expect_through(jsasm_char_code_apply, "a = String.fromCharCode.apply(null, [87, 1]);",
                       "a = String.fromCharCode.apply(null, [87, 1]);", 0);
        expect_through(jsasm_char_code_apply, "a = String.fromCharCode.apply(null, [87, x]);",
                       "a = String.fromCharCode.apply(null, [87, x]);", 0);
}

static void test_normalised(void **state)
{
        (void)state;
        const char *in = "var n='';var u='';u='new ActiveX';n+=u;u='Object(\"WScr';n+=u;"
                         "u='ipt.Shell\")';n+=u;eval(n);";
        char *out = NULL;
        size_t len;
        int k = normalise_script((const uint8_t *)in, strlen(in), &out, &len);

        assert_true(k > 0);
        assert_non_null(strstr(out, "new activexobject(\"wscript.shell\")"));
        free(out);
        in = "x = Chr(100-13) & ChrW((7*11)+6) & \"cript\"";
        k = normalise_script((const uint8_t *)in, strlen(in), &out, &len);
        assert_true(k > 0);
        assert_string_equal(out, "x = 'wscript'");
        free(out);
}

/* Every prefix of hostile text: the readers end and never write more than they say. */
static void test_hostile(void **state)
{
        (void)state;
        const char *s =
                "function f() { var a = ['x', 'y'][(1 - 1 + 0x1)]; return a + 'z'; }\n"
                "var n = ((('a', 'b'), 'c') + f() + String.fromCharCode(65, 66,\n"
                "s = \"a\"\"b\" & vbCrLf & _\n t\neval('eval(\\'x = 1 + 2 + 3 + 4 + 5 + 6\\')');"
                "String.prototype.q = function() { return this }; 'a'.q( /* // '\" \\";
        size_t n = strlen(s);

        for (size_t cut = 0; cut <= n; cut++) {
                int (*const f[])(const char *, size_t, struct textbuf *) = {
                        jsasm_assembled_values, jsasm_identity_calls, jsasm_strip_comments,
                        jsasm_eval_literals, jsasm_char_code_apply};
                for (size_t k = 0; k < 5; k++) {
                        struct textbuf out = {0};
                        int r = f[k](s, cut, &out);
                        assert_true(r >= 0);
                        assert_false(out.oom);
                        free(out.p);
                }
        }
        /* deep nesting stops at the depth limit */
        char deep[4096];
        size_t d = 0;
        d += (size_t)snprintf(deep, sizeof(deep), "var x = ");
        while (d < 2000)
                deep[d++] = '(';
        deep[d] = 0;
        int k;
        char *got = values(deep, &k);
        assert_int_equal(k, 0);
        free(got);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_statements_in_order), cmocka_unit_test(test_operands),
                cmocka_unit_test(test_unclosed_quotes),     cmocka_unit_test(test_forgotten),
                cmocka_unit_test(test_identity_calls),      cmocka_unit_test(test_strip_comments),
                cmocka_unit_test(test_eval_literals),       cmocka_unit_test(test_char_code_apply),
                cmocka_unit_test(test_normalised),          cmocka_unit_test(test_hostile),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
