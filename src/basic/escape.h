/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

/* Writes s to f so that it cannot drive a terminal or forge a line: C0 controls, DEL, the
 * C1 controls (U+0080..U+009F, which terminals also obey: CSI is U+009B) and bytes that are
 * not valid UTF-8 are written as \xHH, one for each byte; printable UTF-8 is kept as it is.
 * s may be NULL (nothing is written). */
void fputs_escaped(FILE *f, const char *s);
