/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Whether a text is PowerShell: what lets a finding on a script say that the behaviour it saw
 * runs through PowerShell (ATT&CK T1059.001) without each rule saying so. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this many bytes of a text are read to tell its language. */
#define PSLANG_MAX_INPUT (256 * 1024)

/* Whether the text (data, size) named name (may be NULL) is PowerShell: a .ps1, .psm1 or
 * .psd1 name, or at least three distinct constructs only PowerShell has ($env:, $null,
 * [CmdletBinding(), -ErrorAction, ]::, New-Object, Write-Host...) in its first
 * PSLANG_MAX_INPUT bytes and no mark of a page or of another script host (<?php, <%,
 * <script, <html, ActiveXObject, CreateObject(, WScript.CreateObject). Case does not matter. */
bool pslang_is_powershell(const uint8_t *data, size_t size, const char *name);

/* Whether the first PSLANG_MAX_INPUT bytes of the text hold a mark of a page or of another
 * script host (<?php, <%, <script, <html, ActiveXObject, CreateObject(): such text is never
 * PowerShell, however it is normalised. */
bool pslang_is_foreign(const uint8_t *data, size_t size);
