/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/jsdeobf.h"

/* javascript-obfuscator 5.8.0 (npm) run over
 *     var sh = new ActiveXObject("WScript.Shell");
 *     sh.Run("calc.exe", 0);
 * with stringArrayThreshold 1 and seed 3: no encoding, base64, RC4, and wrapper functions
 * with four parameters; then Dean Edwards' packer (npm packer 0.0.6, no base 62). */
static const char OBF_NONE[] =
        "var _0x14602e=_0x5066;(function(_0x5c71e1,_0x568c3f){var _0x35e587=_0x5066,_0xa4f34e=_0x"
        "5c71e1();while(!![]){try{var _0x272560=-parseInt(_0x35e587(0xbf))/0x1+-parseInt(_0x35e58"
        "7(0xba))/0x2*(-parseInt(_0x35e587(0xbb))/0x3)+-parseInt(_0x35e587(0xc2))/0x4+parseInt(_0"
        "x35e587(0xc0))/0x5*(-parseInt(_0x35e587(0xb6))/0x6)+parseInt(_0x35e587(0xbd))/0x7*(-pars"
        "eInt(_0x35e587(0xb8))/0x8)+parseInt(_0x35e587(0xb9))/0x9*(parseInt(_0x35e587(0xbc))/0xa)"
        "+parseInt(_0x35e587(0xc1))/0xb;if(_0x272560===_0x568c3f)break;else _0xa4f34e['push'](_0x"
        "a4f34e['shift']());}catch(_0x470469){_0xa4f34e['push'](_0xa4f34e['shift']());}}}(_0x57b2"
        ",0xe0400));function _0x5066(_0x5b98ee,_0x25a218){_0x5b98ee=_0x5b98ee-0xb5;var _0x57b258="
        "_0x57b2();var _0x506692=_0x57b258[_0x5b98ee];return _0x506692;}function _0x57b2(){var _0"
        "x478b43=['4279218MVeLwC','WScript.Shell','136aLAWTS','7637949TARuOT','1125854knfcQa','3z"
        "UdGDz','20UMvahV','421729gcZBDx','calc.exe','1523051UjbNyh','5IrYVqa','26561172QxdvIR','"
        "1983680SUUwiK','Run'];_0x57b2=function(){return _0x478b43;};return _0x57b2();}var sh=new"
        " ActiveXObject(_0x14602e(0xb7));sh[_0x14602e(0xb5)](_0x14602e(0xbe),0x0);";
static const char OBF_BASE64[] =
        "var _0x14602e=_0x5066;(function(_0x5c71e1,_0x568c3f){var _0x35e587=_0x5066,_0xa4f34e=_0x"
        "5c71e1();while(!![]){try{var _0x272560=-parseInt(_0x35e587(0xbf))/0x1+-parseInt(_0x35e58"
        "7(0xba))/0x2*(-parseInt(_0x35e587(0xbb))/0x3)+-parseInt(_0x35e587(0xc2))/0x4+parseInt(_0"
        "x35e587(0xc0))/0x5*(-parseInt(_0x35e587(0xb6))/0x6)+parseInt(_0x35e587(0xbd))/0x7*(-pars"
        "eInt(_0x35e587(0xb8))/0x8)+parseInt(_0x35e587(0xb9))/0x9*(parseInt(_0x35e587(0xbc))/0xa)"
        "+parseInt(_0x35e587(0xc1))/0xb;if(_0x272560===_0x568c3f)break;else _0xa4f34e['push'](_0x"
        "a4f34e['shift']());}catch(_0x470469){_0xa4f34e['push'](_0xa4f34e['shift']());}}}(_0x57b2"
        ",0xe0400));function _0x57b2(){var _0x478b43=['ndi3otiXoe1wzuX3qW','v1nJCMLWDc5tAgvSBa','"
        "mtm2yuXbv1rt','nZyZnZK0ovrbuNvpva','mteYntG1ngTUzMnryq','m3PvzeDeEG','mJbvtxzHAfy','ndiX"
        "nZi5z2nAqKr4','y2fSyY5LEgu','mtuYmZa1mvvQyK55Aa','nuLYwvzXyq','mJy1nJeXnZjrEgr2svi','mtK"
        "4mZy4mfnvvxDPsW','uNvU'];_0x57b2=function(){return _0x478b43;};return _0x57b2();}var sh="
        "new ActiveXObject(_0x14602e(0xb7));function _0x5066(_0x5b98ee,_0x25a218){_0x5b98ee=_0x5b"
        "98ee-0xb5;var _0x57b258=_0x57b2();var _0x506692=_0x57b258[_0x5b98ee];if(_0x5066['oJokAi'"
        "]===undefined){var _0xbb7830=function(_0x196942){var _0x5999af='abcdefghijklmnopqrstuvwx"
        "yzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/=';var _0x870da9='',_0x56bc36='';for(var _0x828c"
        "32=0x0,_0x3e4c77,_0x22d13f,_0x1d2d93=0x0;_0x22d13f=_0x196942['charAt'](_0x1d2d93++);~_0x"
        "22d13f&&(_0x3e4c77=_0x828c32%0x4?_0x3e4c77*0x40+_0x22d13f:_0x22d13f,_0x828c32++%0x4)?_0x"
        "870da9+=String['fromCharCode'](0xff&_0x3e4c77>>(-0x2*_0x828c32&0x6)):0x0){_0x22d13f=_0x5"
        "999af['indexOf'](_0x22d13f);}for(var _0x151b3e=0x0,_0x5bbda2=_0x870da9['length'];_0x151b"
        "3e<_0x5bbda2;_0x151b3e++){_0x56bc36+='%'+('00'+_0x870da9['charCodeAt'](_0x151b3e)['toStr"
        "ing'](0x10))['slice'](-0x2);}return decodeURIComponent(_0x56bc36);};_0x5066['azHpsa']=_0"
        "xbb7830,_0x5066['nsjLBh']={},_0x5066['oJokAi']=!![];}var _0x250b41=_0x57b258[0x0];_0x506"
        "6['MCGdVe']!==_0x250b41&&(_0x5066['nsjLBh']={},_0x5066['MCGdVe']=_0x250b41);var _0x11030"
        "7=_0x5066['nsjLBh'][_0x5b98ee];return _0x110307===undefined?(_0x506692=_0x5066['azHpsa']"
        "(_0x506692),_0x5066['nsjLBh'][_0x5b98ee]=_0x506692):_0x506692=_0x110307,_0x506692;}sh[_0"
        "x14602e(0xb5)](_0x14602e(0xbe),0x0);";
static const char OBF_RC4[] =
        "var _0x1c6ac6=_0x5066;function _0x5066(_0x5b98ee,_0x25a218){_0x5b98ee=_0x5b98ee-0xb5;var"
        " _0x57b258=_0x57b2();var _0x506692=_0x57b258[_0x5b98ee];if(_0x5066['NwYkiV']===undefined"
        "){var _0xbb7830=function(_0x5999af){var _0x870da9='abcdefghijklmnopqrstuvwxyzABCDEFGHIJK"
        "LMNOPQRSTUVWXYZ0123456789+/=';var _0x56bc36='',_0x828c32='';for(var _0x3e4c77=0x0,_0x22d"
        "13f,_0x1d2d93,_0x151b3e=0x0;_0x1d2d93=_0x5999af['charAt'](_0x151b3e++);~_0x1d2d93&&(_0x2"
        "2d13f=_0x3e4c77%0x4?_0x22d13f*0x40+_0x1d2d93:_0x1d2d93,_0x3e4c77++%0x4)?_0x56bc36+=Strin"
        "g['fromCharCode'](0xff&_0x22d13f>>(-0x2*_0x3e4c77&0x6)):0x0){_0x1d2d93=_0x870da9['indexO"
        "f'](_0x1d2d93);}for(var _0x5bbda2=0x0,_0x18dafe=_0x56bc36['length'];_0x5bbda2<_0x18dafe;"
        "_0x5bbda2++){_0x828c32+='%'+('00'+_0x56bc36['charCodeAt'](_0x5bbda2)['toString'](0x10))["
        "'slice'](-0x2);}return decodeURIComponent(_0x828c32);};var _0x196942=function(_0x5e3aab,"
        "_0x53dfc5){var _0xe687f=[],_0x4e1bb5=0x0,_0x32787d,_0x4ecd2d='';_0x5e3aab=_0xbb7830(_0x5"
        "e3aab);var _0x4dcc51;for(_0x4dcc51=0x0;_0x4dcc51<0x100;_0x4dcc51++){_0xe687f[_0x4dcc51]="
        "_0x4dcc51;}for(_0x4dcc51=0x0;_0x4dcc51<0x100;_0x4dcc51++){_0x4e1bb5=(_0x4e1bb5+_0xe687f["
        "_0x4dcc51]+_0x53dfc5['charCodeAt'](_0x4dcc51%_0x53dfc5['length']))%0x100,_0x32787d=_0xe6"
        "87f[_0x4dcc51],_0xe687f[_0x4dcc51]=_0xe687f[_0x4e1bb5],_0xe687f[_0x4e1bb5]=_0x32787d;}_0"
        "x4dcc51=0x0,_0x4e1bb5=0x0;for(var _0x339c70=0x0;_0x339c70<_0x5e3aab['length'];_0x339c70+"
        "+){_0x4dcc51=(_0x4dcc51+0x1)%0x100,_0x4e1bb5=(_0x4e1bb5+_0xe687f[_0x4dcc51])%0x100,_0x32"
        "787d=_0xe687f[_0x4dcc51],_0xe687f[_0x4dcc51]=_0xe687f[_0x4e1bb5],_0xe687f[_0x4e1bb5]=_0x"
        "32787d,_0x4ecd2d+=String['fromCharCode'](_0x5e3aab['charCodeAt'](_0x339c70)^_0xe687f[(_0"
        "xe687f[_0x4dcc51]+_0xe687f[_0x4e1bb5])%0x100]);}return _0x4ecd2d;};_0x5066['zJxOlz']=_0x"
        "196942,_0x5066['cZVrQW']={},_0x5066['NwYkiV']=!![];}var _0x250b41=_0x57b258[0x0];_0x5066"
        "['isDAeS']!==_0x250b41&&(_0x5066['cZVrQW']={},_0x5066['isDAeS']=_0x250b41);var _0x110307"
        "=_0x5066['cZVrQW'][_0x5b98ee];return _0x110307===undefined?(_0x5066['JrRoKV']===undefine"
        "d&&(_0x5066['JrRoKV']=!![]),_0x506692=_0x5066['zJxOlz'](_0x506692,_0x25a218),_0x5066['cZ"
        "VrQW'][_0x5b98ee]=_0x506692):_0x506692=_0x110307,_0x506692;}(function(_0x5c71e1,_0x568c3"
        "f){var _0x26161b=_0x5066,_0xa4f34e=_0x5c71e1();while(!![]){try{var _0x272560=-parseInt(_"
        "0x26161b(0xc3,'U9wh'))/0x1+-parseInt(_0x26161b(0xcd,'N7RK'))/0x2*(-parseInt(_0x26161b(0x"
        "c6,'MbiG'))/0x3)+-parseInt(_0x26161b(0xc5,'1C*p'))/0x4+parseInt(_0x26161b(0xbd,'Un2p'))/"
        "0x5*(-parseInt(_0x26161b(0xbe,'ZkPJ'))/0x6)+parseInt(_0x26161b(0xc7,'A&PZ'))/0x7*(-parse"
        "Int(_0x26161b(0xcc,'AGjY'))/0x8)+parseInt(_0x26161b(0xb9,'BGVZ'))/0x9*(parseInt(_0x26161"
        "b(0xc2,'xKu4'))/0xa)+parseInt(_0x26161b(0xb8,'BGVZ'))/0xb;if(_0x272560===_0x568c3f)break"
        ";else _0xa4f34e['push'](_0xa4f34e['shift']());}catch(_0x470469){_0xa4f34e['push'](_0xa4f"
        "34e['shift']());}}}(_0x57b2,0xe0400));var sh=new ActiveXObject(_0x1c6ac6(0xb7,'KJMd'));s"
        "h[_0x1c6ac6(0xc4,'MbiG')](_0x1c6ac6(0xb6,'rY)!'),0x0);function _0x57b2(){var _0x56d415=["
        "'xYnramoSWRej','iu/cR8kbpmo6CW','WPxdPSksW5e7W4q3qSovBcVcULy','WOOhW7PovSkoW5hcQG','W5Jd"
        "TMJdM8okW6pcNZBdQW','a8kmW74GlKhcUSkwWQr8WPRdPem','W5fwW7ldUGzKW7FcJq','W7xdSmoZr8o8WRjs"
        "W73cJ8ksWOjmla','W5lcOuq','fSoZW4RdUCo/WPa4W6tcQLldSmoFW6G','WRpcRN8KlJddIW','WOhcUSoCC8"
        "okWQFdJdXgWQuKcq','W57dS23cJCk/WPBdStBdUr8dpYi','WRXghtddIeRdMZbwWPC0rhBdSW','ySo3WPldKN"
        "NcGmka','W68rWPXMWQVdRCopnCoUcwVdMG4','WPFdS8keCSkLuCkZW5eu','ESofbSkuWPldReFdS8oXW7X1vd"
        "K','x8onW4LlzYRdIuxcLCkqW7dcKmk7','W5aQWQFcOmknW4xdTCkh','WPpdMweKvb4lW6HSW7bYcmo1','W4a"
        "PW5FcPx3dLrpcMCoqqCoEA8kEBq','W4uPW5hcPhxdKb3dV8oaA8opuSkd','xLGuymkiW7fqaCo0cmowWRPz','"
        "W7D5W4ldTCoOo8kJcCk2lCoWWOC'];_0x57b2=function(){return _0x56d415;};return _0x57b2();}";
static const char OBF_WRAPPERS[] =
        "function _0x3b172f(_0x2cfcba,_0x38fb21,_0x3a0652,_0x4fd5ee){return _0x5066(_0x38fb21- -0"
        "x196,_0x4fd5ee);}function _0x2f14fd(_0x35c14f,_0x312489,_0x3064f4,_0x3ed0af){return _0x5"
        "066(_0x3ed0af- -0x9f,_0x312489);}function _0x57b2(){var _0x503f56=['4279218MVeLwC','WScr"
        "ipt.Shell','136aLAWTS','7637949TARuOT','1125854knfcQa','3zUdGDz','20UMvahV','421729gcZBD"
        "x','calc.exe','1523051UjbNyh','5IrYVqa','26561172QxdvIR','1983680SUUwiK','Run'];_0x57b2="
        "function(){return _0x503f56;};return _0x57b2();}(function(_0x5c71e1,_0x568c3f){function "
        "_0x29394f(_0x4429f8,_0x38ea89,_0x5369ea,_0x42b06e){return _0x5066(_0x5369ea-0x366,_0x42b"
        "06e);}function _0x35e587(_0x4a3c97,_0x53873b,_0x227196,_0x2c77d4){return _0x5066(_0x5387"
        "3b-0x1e,_0x2c77d4);}var _0xa4f34e=_0x5c71e1();while(!![]){try{var _0x272560=-parseInt(_0"
        "x35e587(0xe3,0xdd,0xdb,0xd7))/0x1+-parseInt(_0x29394f(0x424,0x422,0x420,0x425))/0x2*(-pa"
        "rseInt(_0x29394f(0x425,0x41f,0x421,0x427))/0x3)+-parseInt(_0x29394f(0x426,0x42a,0x428,0x"
        "427))/0x4+parseInt(_0x35e587(0xde,0xde,0xd9,0xda))/0x5*(-parseInt(_0x35e587(0xd7,0xd4,0x"
        "da,0xce))/0x6)+parseInt(_0x35e587(0xe0,0xdb,0xdf,0xda))/0x7*(-parseInt(_0x29394f(0x41b,0"
        "x41b,0x41e,0x420))/0x8)+parseInt(_0x35e587(0xd3,0xd7,0xd7,0xd9))/0x9*(parseInt(_0x29394f"
        "(0x429,0x421,0x422,0x425))/0xa)+parseInt(_0x29394f(0x42e,0x425,0x427,0x42e))/0xb;if(_0x2"
        "72560===_0x568c3f)break;else _0xa4f34e['push'](_0xa4f34e['shift']());}catch(_0x470469){_"
        "0xa4f34e['push'](_0xa4f34e['shift']());}}}(_0x57b2,0xe0400));var sh=new ActiveXObject(_0"
        "x3b172f(-0xdf,-0xdf,-0xdb,-0xdd));function _0x5066(_0x5b98ee,_0x25a218){_0x5b98ee=_0x5b9"
        "8ee-0xb5;var _0x57b258=_0x57b2();var _0x506692=_0x57b258[_0x5b98ee];return _0x506692;}sh"
        "[_0x3b172f(-0xe3,-0xe1,-0xe5,-0xe2)](_0x2f14fd(0x24,0x1d,0x1c,0x1f),0x0);";
static const char PACKED[] =
        "eval(function(p,a,c,k,e,r){e=String;if(!''.replace(/^/,String)){while(c--)r[c]=k[c]||c;k"
        "=[function(e){return r[e]}];e=function(){return'\\\\w+'};c=1};while(c--)if(k[c])p=p.repl"
        "ace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c]);return p}('2 1=3 4(\"5.6\");1.7(\"8.9\",0"
        ");',10,10,'|sh|var|new|ActiveXObject|WScript|Shell|Run|calc|exe'.split('|'),0,{}))";

/* the older form: a var array rotated a fixed number of times, indexes passed as strings */
static const char OBF_OLD[] =
        "var _0xa=['calc.exe','WScript.Shell','Run'];(function(a,b){var c=function(d){while(--d)"
        "{a['push'](a['shift']());}};c(++b);}(_0xa,0x1));var _0xb=function(a,b){a=a-0x0;var "
        "c=_0xa[a];return c;};var sh=new ActiveXObject(_0xb('0x0'));sh[_0xb('0x1')](_0xb('0x2'));";

static char *decode(const char *s, int *ret_k)
{
        char *out = NULL;
        size_t len = 0;

        *ret_k = jsdeobf_decode(s, strlen(s), &out, &len);
        if (*ret_k > 0) {
                assert_non_null(out);
                assert_int_equal(strlen(out), len);
        }
        return out;
}

static void expect_dropper(const char *s)
{
        int k;
        char *out = decode(s, &k);

        assert_true(k > 0);
        assert_non_null(strstr(out, "new ActiveXObject('WScript.Shell')"));
        assert_non_null(strstr(out, "sh['Run']('calc.exe',0x0)"));
        free(out);
}

static void test_string_array(void **state)
{
        (void)state;
        expect_dropper(OBF_NONE);
}

static void test_base64(void **state)
{
        (void)state;
        expect_dropper(OBF_BASE64);
}

static void test_rc4(void **state)
{
        (void)state;
        expect_dropper(OBF_RC4);
}

static void test_wrappers(void **state)
{
        (void)state;
        expect_dropper(OBF_WRAPPERS);
}

static void test_old_rotation(void **state)
{
        int k;
        char *out = decode(OBF_OLD, &k);

        (void)state;
        assert_int_equal(k, 3);
        assert_non_null(strstr(out, "new ActiveXObject('WScript.Shell');sh['Run']('calc.exe');"));
        free(out);
}

static void test_packer(void **state)
{
        int k;
        char *out = decode(PACKED, &k);

        (void)state;
        assert_int_equal(k, 1);
        assert_string_equal(out,
                            "var sh=new ActiveXObject(\"WScript.Shell\");sh.Run(\"calc.exe\",0);");
        free(out);
}

/* A regular expression holding a quote (minified libraries have many) is not a string that
 * would hide the rest of the line. */
static void test_regex_quote(void **state)
{
        static const char head[] = "var q=/[\"']/g,d=4/2,e=(d)/2;";
        char *s = malloc(sizeof(head) + strlen(OBF_NONE));

        (void)state;
        assert_non_null(s);
        strcpy(s, head);
        strcat(s, OBF_NONE);
        expect_dropper(s);
        free(s);
}

/* A rotation whose check never holds is not guessed: nothing is decoded. */
static void test_rotation_unmatched(void **state)
{
        char *s = strdup(OBF_NONE), *at, *out = NULL;
        size_t len;

        (void)state;
        assert_non_null(s);
        at = strstr(s, "}(_0x57b2,0x");
        assert_non_null(at);
        at[strlen("}(_0x57b2,0x")] = at[strlen("}(_0x57b2,0x")] == '1' ? '2' : '1';
        assert_int_equal(jsdeobf_decode(s, strlen(s), &out, &len), 0);
        assert_null(out);
        free(s);
}

/* Text with no decoder is left alone, arrays of strings or not. */
static void test_plain_text(void **state)
{
        static const char plain[] = "var names = ['a', 'b'];\nfunction f(i) { return names[i]; }\n"
                                    "eval('1+1');\n";
        char *out = NULL;
        size_t len;

        (void)state;
        assert_int_equal(jsdeobf_decode(plain, strlen(plain), &out, &len), 0);
        assert_null(out);
}

/* Every prefix of the vectors, and each with one byte changed at every offset: an answer
 * (decoded or not), never a fault (the ASan build runs this too). */
static void test_damaged(void **state)
{
        const char *vectors[] = {OBF_RC4, OBF_WRAPPERS, PACKED, OBF_OLD};

        (void)state;
        for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
                size_t n = strlen(vectors[v]);
                char *s = malloc(n + 1);
                assert_non_null(s);
                for (size_t cut = 0; cut <= n; cut++) {
                        char *out = NULL;
                        size_t len;
                        memcpy(s, vectors[v], cut);
                        int k = jsdeobf_decode(s, cut, &out, &len);
                        assert_true(k >= 0);
                        free(out);
                }
                for (size_t at = 0; at < n; at += 3) {
                        char *out = NULL;
                        size_t len;
                        memcpy(s, vectors[v], n + 1);
                        s[at] = "'(),0x"[at % 6];
                        int k = jsdeobf_decode(s, n, &out, &len);
                        assert_true(k >= 0);
                        if (k > 0)
                                assert_int_equal(strlen(out), len);
                        free(out);
                }
                free(s);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_string_array), cmocka_unit_test(test_base64),
                cmocka_unit_test(test_rc4),          cmocka_unit_test(test_wrappers),
                cmocka_unit_test(test_old_rotation), cmocka_unit_test(test_packer),
                cmocka_unit_test(test_regex_quote),  cmocka_unit_test(test_rotation_unmatched),
                cmocka_unit_test(test_plain_text),   cmocka_unit_test(test_damaged),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
