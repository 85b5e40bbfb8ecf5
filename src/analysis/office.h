/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Office documents in OLE2 compound files (CFB): what no rule can see in the raw bytes,
 * because the streams are scattered over sectors, encrypted, or stored as UTF-16. */

#include <stddef.h>
#include <stdint.h>

struct scan_state;
struct analysis_result;

/* The password Excel uses when none was given: a file encrypted with it opens without a
 * prompt, and the encryption only hides the content from scanners. */
#define OFFICE_DEFAULT_PASSWORD "VelvetSweatshop"

/* Reads data as a compound file: adds findings to node (encryption, Excel 4.0 macro sheets,
 * field codes) and scans embedded objects as its children. Returns 1 when data is a sound
 * compound file, 0 when it is not one, or a negative errno. */
int office_ole_scan(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                    size_t size, unsigned depth);

enum office_crypt {
        OFFICE_CRYPT_UNKNOWN = 0, /* a scheme or header this code does not know */
        OFFICE_CRYPT_PASSWORD,    /* the password is not the default one */
        OFFICE_CRYPT_DEFAULT,     /* the default password opens it */
};

/* Checks the default password against an encryption header as [MS-OFFCRYPTO] lays it out,
 * starting at its version (EncryptionInfo stream, or a FILEPASS record or Word table stream
 * after their own fields): RC4 (1.1), RC4 CryptoAPI and standard AES (x.2), agile (4.4). */
enum office_crypt office_crypt_check(const uint8_t *info, size_t size, const char *password);

/* The 16-bit verifier of Excel's XOR obfuscation ([MS-OFFCRYPTO] 2.3.7.1) for password. */
uint16_t office_xor_verifier(const char *password);

/* pdfnames.c: when names written with #xx escapes or FlateDecode'd object streams hide an
 * action from the rules, scans a copy of the PDF with plain names and the object streams
 * inflated as a child of node. Returns 0 or a negative errno. */
int pdf_decode_scan(struct scan_state *st, struct analysis_result *node, const uint8_t *data,
                    size_t size, unsigned depth);
