/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/psshape.h"

static struct psshape shape(const char *s)
{
        struct psshape m;

        psshape_measure(s, strlen(s), &m);
        return m;
}

static void test_sinks(void **state)
{
        (void)state;
        struct psshape m = shape("iex $a\n"
                                 "Invoke-Expression -Command $b\n"
                                 "$s = [ScriptBlock]::Create($c)\n"
                                 "$ExecutionContext.InvokeCommand.InvokeScript($d)\n"
                                 "& $exe /quiet\n"
                                 ". \"$PSScriptRoot\\lib.ps1\"\n"
                                 "&( $x ) ; .( $y ) | .$env:comspec[4,15,25]\n"
                                 "$f = '(&(objectClass=user)(cn=a))'\n"
                                 "powershell -nop -w hidden -enc SQBFAFgA\n"
                                 "Start-Process cmd.exe\n"
                                 "[Reflection.Assembly]::Load($bytes)\n"
                                 "Add-Type -TypeDefinition $src\n");
        /* iex, Invoke-Expression, ::Create after ScriptBlock, InvokeCommand, InvokeScript */
        assert_int_equal(m.sink_iex, 5);
        /* &( .( .$env:comspec[...]: not & $exe, not . "path", not an LDAP filter */
        assert_int_equal(m.sink_call, 3);
        /* the powershell line once, Start-Process */
        assert_int_equal(m.sink_child, 2);
        assert_int_equal(m.sink_load, 1);
        assert_int_equal(m.add_type, 1);
        assert_int_equal(m.downloads, 0);
        /* ]:: twice, Invoke-Expression, Start-Process, Add-Type */
        assert_int_equal(m.syntax, 5);
}

static void test_syntax(void **state)
{
        (void)state;
        /* test(1)'s operators, CSS class names and && are not PowerShell's */
        struct psshape a = shape("if [ -f x -a $n -eq 1 ]; then echo; fi\n"
                                 "<div class=\"select-box get-started\"></div> a && (b)\n");
        struct psshape b = shape("$a -like 'x*' -and $b -match 'y'; '{0}' -f 1; Get-Item .\n");

        assert_int_equal(a.syntax, 0);
        assert_int_equal(a.sink_call, 0);
        /* -like -match, the format before -f, Get-Item */
        assert_int_equal(b.syntax, 4);
}

static void test_downloads_sockets(void **state)
{
        (void)state;
        struct psshape m = shape("(New-Object Net.WebClient).DownloadString('http://x/a')\n"
                                 "iwr http://x/b -OutFile b\n"
                                 "$c = New-Object System.Net.Sockets.TCPClient('10.0.0.1', 4444)\n"
                                 "$s = $c.GetStream()\n");
        /* WebClient, DownloadString, iwr */
        assert_int_equal(m.downloads, 3);
        /* Sockets, TCPClient */
        assert_int_equal(m.sockets, 2);
        assert_int_equal(m.streams, 1);
        /* TCPClient is an acronym's case, not a random one */
        assert_int_equal(m.random_case, 0);
}

static void test_random_case_and_ticks(void **state)
{
        (void)state;
        struct psshape m = shape("SV 0zX ([TyPe]sYsteM.IO.dIrECtorY) ; $a = nEw-oBjeCt x\n"
                                 "N`e`w-Ob`ject y ; SYSTEM ; system ; System ; FROMBASE64STRING\n"
                                 "[convert]::frombase64String($z) ; GZipStream ; GzipStream\n");
        /* TyPe sYsteM dIrECtorY nEw-oBjeCt; not the plain, upper, lower or usual spellings */
        assert_int_equal(m.random_case, 4);
        assert_int_equal(m.tick_words, 1);
        assert_true(m.known_words >= 12);
}

static void test_broken_words(void **state)
{
        (void)state;
        /* a tick inside a word before a letter that is no escape, an empty literal inside a
         * word: I''RM; not `n or ``, not Markdown's `quote` in prose */
        struct psshape a = shape("$v = I''R''M -Uri $u ; Ne`w-Obj`ect Net.WebClient\n"
                                 "Write-Host a`tb ``PowerShell `HttpClient` x\n");
        struct psshape b = shape("$t = [ScriptBlock] ; icm ($t::Create($s)) ; $x::Create(1)\n");

        /* the two breaks of I''R''M and the word with ticks */
        assert_int_equal(a.tick_words, 3);
        /* $t::Create once ScriptBlock was named; every ::Create after it counts */
        assert_int_equal(b.sink_iex, 2);
}

static void test_strings_and_numbers(void **state)
{
        (void)state;
        struct psshape m = shape("$x = 'abc' + 'def' + \"g h\"\n"
                                 "$y = '{1}{0}' -f 'ex','i'\n"
                                 "$z = [char[]](105,101,120) -join ''\n"
                                 "$w = [char](711850/6190) + [char]0x41\n"
                                 "$b = [Convert]::FromBase64String('QUJDRA==')\n"
                                 "$h = @'\n"
                                 "$t = Get-Date ; Write-Output $t ; Start-Sleep 1\n"
                                 "iex $payload ; $q.Replace('a','b')\n"
                                 "'@\n");
        assert_int_equal(m.concat_strings, 1);
        assert_int_equal(m.format_ops, 1);
        assert_int_equal(m.char_casts, 3);
        /* -join outside the here-string, .Replace( inside: each text counts its own, and the
         * larger is kept (-f is no string operator) */
        assert_int_equal(m.string_ops, 1);
        /* FromBase64String, [char] */
        assert_int_equal(m.decoder_kinds, 2);
        /* the here-string's body (64 bytes or more) is code too */
        assert_int_equal(m.sink_iex, 1);
        assert_int_equal(m.encoded_literal, 8);
        assert_true(m.number_pm > 0);
        assert_true(m.string_pm > 200 && m.string_pm < 1000);
}

static void test_names(void **state)
{
        (void)state;
        struct psshape a = shape("$ve4lmfqixo5c1ry = 1; $tPPcAU = 2; $bzvcqi = 3; ${ #!} = 4\n");
        struct psshape b = shape("$Srv2019_6_2_profile = 1; $DHCPServer = 2; $PSCmdlet = 3;"
                                 " $env:TEMP = 4; $userName = 5\n");

        assert_int_equal(a.variables, 4);
        assert_int_equal(a.random_vars_pm, 750);
        assert_int_equal(a.symbol_vars, 1);
        assert_int_equal(b.variables, 5);
        assert_int_equal(b.random_vars_pm, 0);
        assert_int_equal(b.symbol_vars, 0);
}

static void test_comments_and_merge(void **state)
{
        (void)state;
        struct psshape a = shape("# iex $a\n<# Invoke-Expression\n #> Write-Host 'x'\n");
        struct psshape b = shape("iex $b");

        assert_int_equal(a.sink_iex, 0);
        /* the line that closes the comment holds code; the comments' own lines do not */
        assert_int_equal(a.lines, 1);
        psshape_merge(&a, &b);
        assert_int_equal(a.sink_iex, 1);
        assert_int_equal(a.longest_literal, 1);
}

static void test_hostile(void **state)
{
        (void)state;
        /* unclosed literals, here-strings, braces and comments end at the end */
        const char *const bad[] = {"'abc", "\"a`", "@'\nabc", "${abc", "<# never", "$",
                                   "&",    "-",    "[char",   "`",     "@\"\n",    "'a''"};
        for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
                struct psshape m = shape(bad[k]);
                assert_true(m.longest_literal <= (int64_t)strlen(bad[k]));
                assert_true(m.bytes <= (int64_t)strlen(bad[k]));
                assert_true(m.string_pm <= 1000);
        }
        struct psshape m = shape("");
        assert_int_equal(m.bytes, 0);
        assert_int_equal(m.literal_entropy, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sinks),        cmocka_unit_test(test_downloads_sockets),
                cmocka_unit_test(test_syntax),       cmocka_unit_test(test_random_case_and_ticks),
                cmocka_unit_test(test_broken_words), cmocka_unit_test(test_strings_and_numbers),
                cmocka_unit_test(test_names),        cmocka_unit_test(test_comments_and_merge),
                cmocka_unit_test(test_hostile),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
