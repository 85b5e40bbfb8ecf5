/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/pslang.h"

static bool is_ps(const char *text, const char *name)
{
        return pslang_is_powershell((const uint8_t *)text, strlen(text), name);
}

static void test_powershell(void **state)
{
        (void)state;
        assert_true(is_ps("[CmdletBinding()]\nparam([Parameter(Mandatory)]$Path)\n"
                          "Get-ChildItem $Path -ErrorAction Stop | Out-Null\n",
                          NULL));
        assert_true(
                is_ps("$C=NEW-OBJECT NET.WEBCLIENT;$D=$ENV:TEMP;[IO.File]::Exists($d)", "0f3a"));
        /* by its name, whatever it holds */
        assert_true(is_ps("x = 1\n", "Setup.PS1"));
        assert_true(is_ps("", "mod.psm1"));
        assert_false(is_ps("", "mod.ps1x"));
        assert_false(is_ps("", NULL));
}

static void test_other_languages(void **state)
{
        (void)state;
        /* shell's tests are not PowerShell's operators */
        assert_false(is_ps("#!/bin/sh\nif [ \"$a\" -eq 1 -a -f x ]; then rm -f y; fi\n"
                           "[ $b -ne 2 ] || exit\n",
                           "run"));
        /* a script host that carries a PowerShell command line for another program */
        assert_false(is_ps("var s = new ActiveXObject('WScript.Shell'); s.Run('powershell -c "
                           "$env:x; New-Object a; Test-Path b; Start-Sleep 1');",
                           "a.js"));
        assert_false(
                is_ps("<?php $null = 1; $true = 2; echo $_GET['x']; Write-Host(); ?>", "x.php"));
        assert_false(is_ps("#!/usr/bin/perl\nmy @a = (1); print $_ for @a; $x =~ s/a//;\n", NULL));
        /* two marks are not enough */
        assert_false(is_ps("$null and $true are words here\n", NULL));
}

/* Only the first PSLANG_MAX_INPUT bytes are read. */
static void test_bounded(void **state)
{
        size_t n = PSLANG_MAX_INPUT + 64;
        char *buf = malloc(n + 1);

        (void)state;
        assert_non_null(buf);
        memset(buf, ' ', n);
        memcpy(buf + PSLANG_MAX_INPUT + 1, "$null $true $env:", 17);
        buf[n] = '\0';
        assert_false(pslang_is_powershell((const uint8_t *)buf, n, NULL));
        memcpy(buf, "$null $true $env:", 17);
        assert_true(pslang_is_powershell((const uint8_t *)buf, n, NULL));
        free(buf);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_powershell),
                cmocka_unit_test(test_other_languages),
                cmocka_unit_test(test_bounded),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
