/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pslang.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Constructs of PowerShell that the other languages a triage engine meets (shell, batch,
 * JScript, VBScript, PHP, Perl, Python, C#) do not write: automatic variables, attributes of
 * advanced functions, common parameters, static member access on a type and the cmdlets
 * that scripts of every kind call. In lower case. */
static const char *const powershell_marks[] = {
        "$env:",
        "$null",
        "$true",
        "$false",
        "$psscriptroot",
        "$psversiontable",
        "$pshome",
        "$executioncontext",
        "$_.",
        "[cmdletbinding(",
        "[parameter(",
        "[scriptblock]",
        "[byte[]]",
        "]::",
        "-erroraction",
        "-comobject",
        "-bxor",
        "out-null",
        "write-host",
        "write-output",
        "write-verbose",
        "write-error",
        "foreach-object",
        "where-object",
        "select-object",
        "new-object",
        "add-type",
        "import-module",
        "invoke-expression",
        "invoke-command",
        "invoke-webrequest",
        "invoke-restmethod",
        "get-childitem",
        "get-content",
        "set-content",
        "get-process",
        "start-process",
        "start-sleep",
        "get-wmiobject",
        "get-ciminstance",
        "test-path",
        "new-item",
        "remove-item",
        "get-itemproperty",
        "set-itemproperty",
        "new-itemproperty",
        /* type literals: C# casts with parentheses and declares with using */
        "[io.",
        "[convert]",
        "[char]",
        "[string]",
        "[system.",
        "[text.",
        "[reflection.",
        "[runtime.",
};

/* Marks of a page or of another script host: text with these is not PowerShell, even when
 * it carries a PowerShell command line for another program to run. */
static const char *const foreign_marks[] = {
        "<?php", "<%", "<script", "<html", "activexobject", "createobject(",
};

#define POWERSHELL_MIN_MARKS 3

static bool has_powershell_name(const char *name)
{
        const char *dot = name ? strrchr(name, '.') : NULL;

        return dot && (strcasecmp(dot, ".ps1") == 0 || strcasecmp(dot, ".psm1") == 0 ||
                       strcasecmp(dot, ".psd1") == 0);
}

static bool has_foreign_mark(const char *low, size_t n)
{
        for (size_t i = 0; i < sizeof(foreign_marks) / sizeof(*foreign_marks); i++)
                if (memmem(low, n, foreign_marks[i], strlen(foreign_marks[i])))
                        return true;
        return false;
}

#define N_MARKS (sizeof(powershell_marks) / sizeof(*powershell_marks))

/* For each byte, the powershell_marks[] that start with it (bit k: mark k), and each mark's
 * length. */
static uint64_t mark_starts[256];
static size_t mark_len[N_MARKS];
static pthread_once_t mark_starts_once = PTHREAD_ONCE_INIT;

static void mark_starts_init(void)
{
        _Static_assert(N_MARKS <= 64, "mark_starts[] holds 64 marks");
        for (size_t k = 0; k < N_MARKS; k++) {
                mark_starts[(unsigned char)powershell_marks[k][0]] |= UINT64_C(1) << k;
                mark_len[k] = strlen(powershell_marks[k]);
        }
}

/* How many of powershell_marks[] low[0..n) holds, counted up to POWERSHELL_MIN_MARKS: one walk
 * that compares at each byte only the marks not yet seen that start with it (a memmem() per
 * mark walked the text 55 times when it was not PowerShell). */
static size_t count_marks(const char *low, size_t n)
{
        uint64_t seen = 0;
        size_t marks = 0;

        pthread_once(&mark_starts_once, mark_starts_init);
        for (size_t i = 0; i < n; i++) {
                for (uint64_t m = mark_starts[(unsigned char)low[i]] & ~seen; m; m &= m - 1) {
                        int k = __builtin_ctzll(m);
                        if (n - i < mark_len[k] ||
                            memcmp(low + i, powershell_marks[k], mark_len[k]))
                                continue;
                        seen |= UINT64_C(1) << k;
                        if (++marks >= POWERSHELL_MIN_MARKS)
                                return marks;
                }
        }
        return marks;
}

/* data[0..n) in lower case (n > 0), malloc()ed; NULL when out of memory. */
static char *lower_copy(const uint8_t *data, size_t n)
{
        char *low = malloc(n);

        if (low)
                for (size_t i = 0; i < n; i++)
                        low[i] = (char)tolower(data[i]);
        return low;
}

bool pslang_is_foreign(const uint8_t *data, size_t size)
{
        size_t n = size < PSLANG_MAX_INPUT ? size : PSLANG_MAX_INPUT;
        bool foreign;
        char *low;

        if (!data || n == 0)
                return false;
        low = lower_copy(data, n);
        if (!low)
                return false;
        foreign = has_foreign_mark(low, n);
        free(low);
        return foreign;
}

bool pslang_is_powershell(const uint8_t *data, size_t size, const char *name)
{
        size_t n = size < PSLANG_MAX_INPUT ? size : PSLANG_MAX_INPUT;
        size_t marks = 0;
        char *low;

        if (has_powershell_name(name))
                return true;
        if (!data || n == 0)
                return false;
        low = lower_copy(data, n);
        if (!low)
                return false;
        if (has_foreign_mark(low, n)) {
                free(low);
                return false;
        }
        marks = count_marks(low, n);
        free(low);
        return marks >= POWERSHELL_MIN_MARKS;
}
