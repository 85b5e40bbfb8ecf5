/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/psmodel.h"

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

/* The hashes of the tokens of s, in order. */
static struct seen tokens(const char *s, unsigned flags)
{
        struct seen x = {.n = 0};

        psmodel_tokens(s, strlen(s), flags, record, &x);
        return x;
}

static uint32_t h(const char *word)
{
        return psmodel_hash(word, strlen(word));
}

static void test_hash(void **state)
{
        (void)state;
        /* FNV-1a's published vectors: the empty string, "a", "foobar" */
        assert_int_equal(psmodel_hash("", 0), 0x811c9dc5u);
        assert_int_equal(h("a"), 0xe40c292cu);
        assert_int_equal(h("foobar"), 0xbf9cf968u);
        /* ASCII letters lower-cased first */
        assert_int_equal(h("FooBar"), h("foobar"));
        assert_int_equal(h("Get-ADUser"), h("get-aduser"));
}

static void test_tokens(void **state)
{
        (void)state;
        /* $u: one letter, left out */
        struct seen x = tokens("$u = Get-ADUser -Filter * -Properties servicePrincipalName\n"
                               "[System.Net.WebClient]::new().DownloadString($env:TEMP)\n",
                               0);
        const char *want[] = {"get-aduser",     "filter", "properties", "serviceprincipalname",
                              "system",         "net",    "webclient",  "new",
                              "downloadstring", "env",    "temp"};

        assert_int_equal(x.n, sizeof(want) / sizeof(want[0]));
        for (size_t i = 0; i < x.n; i++)
                assert_int_equal(x.h[i], h(want[i]));
}

static void test_left_out(void **state)
{
        (void)state;
        /* comments (line, block, #region), URLs past their scheme, numbers, hex, one-letter
         * and overlong tokens, and string words unless asked for */
        const char *s = "# Author: Someone Famous\n"
                        "<# .SYNOPSIS\n   Licence banner #>\n"
                        "#region Helpers\n"
                        "$x = 0x41 + 12 + a\n"
                        "iwr https://github.com/owner/tool/raw/main/x.ps1\n"
                        "$b = 'mimikatz sekurlsa'\n"
                        "$c = @\"\nkerberoast here\n\"@\n"
                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";
        struct seen code = tokens(s, 0), all = tokens(s, PSMODEL_STRING_WORDS);
        const char *want_code[] = {"iwr", "https"};
        const char *want_all[] = {"iwr", "https", "mimikatz", "sekurlsa", "kerberoast", "here"};

        assert_int_equal(code.n, 2);
        for (size_t i = 0; i < code.n; i++)
                assert_int_equal(code.h[i], h(want_code[i]));
        assert_int_equal(all.n, 6);
        for (size_t i = 0; i < all.n; i++)
                assert_int_equal(all.h[i], h(want_all[i]));
}

static void test_strings(void **state)
{
        (void)state;
        /* a '#' in a string is no comment; '' and `" do not end a string; a word glued to '#'
         * is no comment either */
        /* $a, $b and a#b: tokens of one letter; the strings: not read */
        struct seen x = tokens("$a = 'it''s # not' ; $b = \"say `\"hi`\" # no\" ; a#b\n", 0);

        assert_int_equal(x.n, 0);
        x = tokens("$aa = 'it''s # not' ; $bb = \"say `\"hi`\" # no\" ; Write-Host done\n",
                   PSMODEL_STRING_WORDS);
        const char *want2[] = {"aa", "it", "not", "bb", "say", "hi", "no", "write-host", "done"};
        assert_int_equal(x.n, sizeof(want2) / sizeof(want2[0]));
        for (size_t i = 0; i < x.n; i++)
                assert_int_equal(x.h[i], h(want2[i]));
}

static void test_pairs_and_features(void **state)
{
        (void)state;
        struct psmodel_features f;
        struct seen x = tokens("Invoke-Mimikatz -DumpCreds", PSMODEL_PAIRS);

        /* two tokens and their pair */
        assert_int_equal(x.n, 3);
        assert_int_equal(x.h[0], h("invoke-mimikatz"));
        assert_int_equal(x.h[1], h("dumpcreds"));
        assert_true(x.h[2] != x.h[0] && x.h[2] != x.h[1]);
        psmodel_features("Invoke-Mimikatz -DumpCreds invoke-mimikatz", 42, 0, &f);
        assert_int_equal(f.tokens, 3);
        size_t set = 0;
        for (size_t w = 0; w < PSMODEL_BUCKETS / 64; w++)
                set += (size_t)__builtin_popcountll(f.bits[w]);
        assert_int_equal(set, 2);
        uint32_t b = h("dumpcreds") & (PSMODEL_BUCKETS - 1);
        assert_true(f.bits[b / 64] >> (b % 64) & 1);
}

static void test_bounded(void **state)
{
        (void)state;
        /* unterminated strings, here-strings and comments end with the text */
        const char *open[] = {"'abc", "\"abc `", "@'\nabc", "<# abc", "# abc", "@\"", "x-", "a://"};
        for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
                struct psmodel_features f;
                psmodel_features(open[i], strlen(open[i]), PSMODEL_STRING_WORDS | PSMODEL_PAIRS,
                                 &f);
                assert_true(f.tokens <= 1);
        }
}

/* The trained table ranks an offensive tool's vocabulary above an admin script's. */
static void test_model_ranks(void **state)
{
        (void)state;
        const char *tool =
                "$searcher = New-Object System.DirectoryServices.DirectorySearcher\n"
                "$searcher.Filter = '(&(samAccountType=805306368)(servicePrincipalName=*))'\n"
                "foreach ($u in $searcher.FindAll()) { $spn = $u.Properties.serviceprincipalname\n"
                "  $ticket = New-Object System.IdentityModel.Tokens.KerberosRequestorSecurityToken "
                "-ArgumentList $spn\n"
                "  $hash = [BitConverter]::ToString($ticket.GetRequest()) -replace '-'\n"
                "  Write-Output \"`$krb5tgs`$23`$*$hash\" }\n"
                "[Runtime.InteropServices.Marshal]::Copy($sc, 0, $mem, $sc.Length)\n"
                "$lsass = Get-Process lsass; MiniDumpWriteDump $lsass.Handle\n";
        const char *admin = "param([string]$Name)\n"
                            "$pkg = Get-ChocolateyWebFile -PackageName $Name -Url $url\n"
                            "Install-ChocolateyPackage -PackageName $Name -FileType msi "
                            "-SilentArgs '/qn' -ValidExitCodes @(0, 3010)\n"
                            "Write-Verbose \"Installed $Name\"\n"
                            "Describe 'Install' { It 'works' { $true | Should -Be $true } }\n";

        assert_true(psmodel_score(tool, strlen(tool)) > 0);
        assert_true(psmodel_score(admin, strlen(admin)) < 0);
        assert_true(psmodel_score("", 0) == psmodel_bias);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_hash),
                cmocka_unit_test(test_tokens),
                cmocka_unit_test(test_left_out),
                cmocka_unit_test(test_strings),
                cmocka_unit_test(test_pairs_and_features),
                cmocka_unit_test(test_bounded),
                cmocka_unit_test(test_model_ranks),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
