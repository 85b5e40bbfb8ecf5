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

static void test_literal_calls(void **state)
{
        (void)state;
        /* String.fromCharCode of number literals and expressions, outside any assignment */
        expect_through(jsasm_fold_literal_calls,
                       "eval(String.fromCharCode(87, 80+3, 0x63, 34, 10));", "eval('WSc\"\\n');",
                       1);
        /* a value with both quotes keeps " around it, escaped inside */
        expect_through(jsasm_fold_literal_calls, "x = String.fromCharCode(39, 34);",
                       "x = \"'\\\"\";", 1);
        /* charAt by dot or bracket, an index, substr and substring, chained */
        expect_through(jsasm_fold_literal_calls,
                       "k = \"qWz\"[\"charAt\"](1) + 'xScr'.substr(1) + \"aipt.\"[1] + "
                       "'..Shell'.substring(7, 2).charAt(0);",
                       "k = \"W\" + 'Scr' + \"i\" + 'S';", 4);
        /* a function expression that returns a literal, called at once (both spellings) */
        expect_through(jsasm_fold_literal_calls,
                       "a = (function z(){return 'WScr';}()) + (function () { return \"ipt\" })();",
                       "a = \"WScr\" + \"ipt\";", 2);
        /* the comma operator picks a member's name; a call's arguments are left */
        expect_through(jsasm_fold_literal_calls,
                       "x = new o[('a', 2, 'ActiveXObject')]; f('a', 'b');",
                       "x = new o[\"ActiveXObject\"]; f('a', 'b');", 1);
        /* wrappers: one returns its argument, one the character of its code less 3 */
        expect_through(jsasm_fold_literal_calls,
                       "function sw(g){return g;} var d = function (c) { return "
                       "String.fromCharCode(c - 3); }; x = sw('WScr') + d(108) + d(115);",
                       "function sw(g){return g;} var d = function (c) { return "
                       "String.fromCharCode(c - 3); }; x = \"WScr\" + \"i\" + \"p\";",
                       3);
        /* a function of no parameter whose last statement returns a literal */
        expect_through(
                jsasm_fold_literal_calls,
                "function k() { var a = 'op'; var b = a + 'en'; return \"open\"; } "
                "x[k()](1); function m() { f(); if (a) { return 'x'; } return 'y'; } m();",
                "function k() { var a = 'op'; var b = a + 'en'; return \"open\"; } "
                "x[\"open\"](1); function m() { f(); if (a) { return 'x'; } return 'y'; } m();",
                1);
        /* an array filled a fragment at a time, by a setter or by index, then joined */
        expect_through(jsasm_fold_literal_calls,
                       "var m = new Array(); function f(v, i) { m[i] = v; }; f('ipt', 7); "
                       "m[2] = 'WScr'; f('.Shell', 9); eval(m.join(''));",
                       "var m = new Array(); function f(v, i) { m[i] = v; }; f('ipt', 7); "
                       "m[2] = 'WScr'; f('.Shell', 9); eval(\"WScript.Shell\");",
                       1);
        /* a key of an object of literals, picked at once or through its name */
        expect_through(jsasm_fold_literal_calls,
                       "var t = {wr: 'WScr', \"ip\": 'ipt'}; x = t.wr + t[\"ip\"] + "
                       "{a: 'x', b: \".Shell\"}[\"b\"]; t.wr = 'q';",
                       "var t = {wr: 'WScr', \"ip\": 'ipt'}; x = \"WScr\" + \"ipt\" + "
                       "\".Shell\"; t.wr = 'q';",
                       3);
        /* what is not constant, out of range, or assigned to is left */
        expect_through(jsasm_fold_literal_calls,
                       "a = String.fromCharCode(x, 1); b = 'ab'.charAt(5); c = 'ab'.charAt(i);"
                       " 'ab'[0] = 1; d = (function () { return q })();"
                       " o = {a: f()}; e = o.a; g = {}['x'];",
                       "a = String.fromCharCode(x, 1); b = 'ab'.charAt(5); c = 'ab'.charAt(i);"
                       " 'ab'[0] = 1; d = (function () { return q })();"
                       " o = {a: f()}; e = o.a; g = {}['x'];",
                       0);
}

static void test_string_methods(void **state)
{
        (void)state;
        /* a prototype method that applies one method with constants to this */
        expect_through(jsasm_inline_string_methods,
                       "String.prototype.dd = function () { return this.replace(/[qz]/g, \"\"); };"
                       " x = 'WqSzc'.dd();",
                       "String.prototype.dd = function () { return this.replace(/[qz]/g, \"\"); };"
                       " x = 'WqSzc'.replace(/[qz]/g, \"\");",
                       1);
        /* a chain, behind a comma operator, or on an alias of this */
        expect_through(jsasm_inline_string_methods,
                       "String.prototype.a = function () {return (\"asdf\", "
                       "this.split(\",\").join(\"\"));}; String.prototype.b = function () { "
                       "x = this; return x.substr(0, 1); }; k = 'W,S'.a() + 'cr'.b();",
                       "String.prototype.a = function () {return (\"asdf\", "
                       "this.split(\",\").join(\"\"));}; String.prototype.b = function () { "
                       "x = this; return x.substr(0, 1); }; k = 'W,S'.split(\",\").join(\"\") + "
                       "'cr'.substr(0, 1);",
                       2);
        /* a body that reads a name, or does more than one thing, is left */
        expect_through(jsasm_inline_string_methods,
                       "String.prototype.a = function () { return this.replace(k, ''); };"
                       " String.prototype.b = function () { f(); return this.charAt(1); };"
                       " x = 'ab'.a() + 'cd'.b();",
                       "String.prototype.a = function () { return this.replace(k, ''); };"
                       " String.prototype.b = function () { f(); return this.charAt(1); };"
                       " x = 'ab'.a() + 'cd'.b();",
                       0);
}

/* plain XOR key (cycled) as a JScript literal of \\x escapes, in out */
static void xor_literal(const char *plain, const char *key, char *out, size_t size)
{
        size_t len = strlen(plain), klen = strlen(key), at = 0;

        at += (size_t)snprintf(out + at, size - at, "'");
        for (size_t k = 0; k < len && at < size; k++)
                at += (size_t)snprintf(out + at, size - at, "\\x%02x",
                                       (unsigned char)(plain[k] ^ key[k % klen]));
        snprintf(out + at, size - at, "'");
}

static void test_keyed_literals(void **state)
{
        (void)state;
        char in[512], xored[256];
        xor_literal("var o = new ActiveXObject(\"WScript.Shell\"); o.run(1);", "k3y", xored,
                    sizeof(xored));
        /* a XOR of two charCodeAt()s: each short literal is tried as the key */
        snprintf(in, sizeof(in),
                 "var k = 'k3y'; var b = %s; for (i = 0; i < b.length; i++) "
                 "r += String.fromCharCode(b.charCodeAt(i) ^ k.charCodeAt(i %% 3)); eval(r);",
                 xored);
        expect_through(jsasm_keyed_literals, in,
                       "\nvar o = new ActiveXObject(\"WScript.Shell\"); o.run(1);\n", 1);
        /* every third character of a literal, where a loop steps through a length by += */
        expect_through(jsasm_keyed_literals,
                       "var s = 'nqkezbwjx "
                       "kvAbmcxttvpimqvtzepjXqkOzbbjxjkvebmcxttvp(mqWtzSpjcqkrzbijxpkvtbm."
                       "xtSvphmqetzlpjlqk)zb';"
                       " for (i = 0; i < s.length; i += 3) r += s.charAt(i);",
                       "\nnew ActiveXObject(WScript.Shell)\n", 1);
        /* without the decoder, or without a name of WSH in the result, nothing */
        snprintf(in, sizeof(in), "var k = 'k3y'; var b = %s; f(b, k);", xored);
        expect_through(jsasm_keyed_literals, in, "", 0);
        expect_through(jsasm_keyed_literals,
                       "var s = 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz';"
                       " for (i = 0; i < s.length; i += 3) r += s.charAt(i);",
                       "", 0);
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
        /* folded calls join into a name the rules read */
        in = "var o = new this[('x', 'Active') + (function(){return 'XObj';})() + "
             "String.fromCharCode(101, 99, 116)]('WScript.Shell');";
        k = normalise_script((const uint8_t *)in, strlen(in), &out, &len);
        assert_true(k > 0);
        assert_non_null(strstr(out, "activexobject"));
        free(out);
        in = "String.prototype.q = function () { return this.charAt(1); };"
             "var o = new ActiveXObject('xW'.q() + 'yS'.q() + 'cript.Shell');";
        k = normalise_script((const uint8_t *)in, strlen(in), &out, &len);
        assert_true(k > 0);
        assert_non_null(strstr(out, "activexobject('wscript.shell')"));
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
                        jsasm_assembled_values,      jsasm_identity_calls,
                        jsasm_strip_comments,        jsasm_eval_literals,
                        jsasm_char_code_apply,       jsasm_fold_literal_calls,
                        jsasm_inline_string_methods, jsasm_keyed_literals};
                for (size_t k = 0; k < 8; k++) {
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
                cmocka_unit_test(test_statements_in_order),
                cmocka_unit_test(test_operands),
                cmocka_unit_test(test_unclosed_quotes),
                cmocka_unit_test(test_forgotten),
                cmocka_unit_test(test_identity_calls),
                cmocka_unit_test(test_strip_comments),
                cmocka_unit_test(test_eval_literals),
                cmocka_unit_test(test_char_code_apply),
                cmocka_unit_test(test_keyed_literals),
                cmocka_unit_test(test_literal_calls),
                cmocka_unit_test(test_string_methods),
                cmocka_unit_test(test_normalised),
                cmocka_unit_test(test_hostile),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
