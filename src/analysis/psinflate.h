/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Scripts compressed into base64: what PowerShell stagers hand to IO.Compression.DeflateStream
 * or GzipStream and then to Invoke-Expression (Invoke-Obfuscation's COMPRESS, Cobalt Strike's
 * and Metasploit's PowerShell payloads, Empire's launchers). The rules cannot read them; this
 * inflates them, bounded, so that the rules read the script inside. */

#include <stddef.h>
#include <stdint.h>

#define PSINFLATE_MIN_RUN    64         /* base64 characters of a run worth decoding */
#define PSINFLATE_MIN_PLAIN  128        /* ... and of one read as text, not inflated */
#define PSINFLATE_MAX_RUNS   16         /* runs tried per text */
#define PSINFLATE_MAX_INPUT  (4u << 20) /* base64 characters decoded per run */
#define PSINFLATE_MAX_OUTPUT (1u << 20) /* bytes inflated per run */
#define PSINFLATE_MAX_TOTAL  (2u << 20) /* bytes returned per text */

/* When the text (data, size) names DeflateStream or GzipStream (any case), decodes its base64
 * runs of at least PSINFLATE_MIN_RUN characters, inflates each as gzip, zlib or raw deflate
 * and keeps what is text (UTF-16LE made UTF-8 by dropping its zero bytes). A run that does not
 * inflate is kept when it is printable ASCII itself and the text names FromBase64String (runs of at
 * least PSINFLATE_MIN_PLAIN: a script kept in a variable and decoded later), or the run is
 * nearly the whole text, or it is written backwards (it follows its own '=' padding, as
 * "==QfK4..." does, and is decoded reversed; inflated too, when the text is compressed). At most
 * PSINFLATE_MAX_RUNS runs, PSINFLATE_MAX_INPUT characters of each, PSINFLATE_MAX_OUTPUT bytes
 * of each and PSINFLATE_MAX_TOTAL bytes in all. Sets *ret (NUL-terminated, the texts one per
 * line, to be freed) and *ret_len when it returns more than 0. Returns the number of texts
 * found, or -ENOMEM. */
int psinflate_texts(const uint8_t *data, size_t size, char **ret, size_t *ret_len);
