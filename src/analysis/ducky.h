/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Ducky Script, the language of keystroke injectors (USB Rubber Ducky, Bash Bunny, O.MG, the
 * Flipper Zero's BadUSB and their imitators): one command a line (REM, DELAY, GUI r, ENTER,
 * STRING text, STRINGLN text...). What such a payload does is in what it types: the rules
 * read that text, a command a line, as a console or the Run dialog would get it. */

#include <stdbool.h>
#include <stddef.h>

/* Whether data reads as Ducky Script: at least DUCKY_MIN_LINES command lines, one of them
 * typing text, and nearly every line a command (prose and other languages are not; a text
 * over 256 KiB is not read). */
bool ducky_is_script(const char *data, size_t size);

/* Writes to *ret (NUL-terminated, to be freed; *ret_size without the NUL) the text the script
 * types: STRING and STRINGLN arguments and their blocks (STRING to END_STRING), DEFINEd
 * names replaced by their values, a line break for ENTER and after each STRINGLN; keys
 * and pauses leave nothing. Returns the number of STRING commands read (0: none, and *ret is
 * untouched), or -ENOMEM. */
int ducky_typed(const char *data, size_t size, char **ret, size_t *ret_size);
