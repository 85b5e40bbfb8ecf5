/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* uuencoded blocks inside text parts: old mailers and some malware campaigns still send
 * attachments this way, and MIME-only scanners miss them. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "basic/macro.h"
#include "mail/mime.h"

#define UU_DEC(c) (((c) - ' ') & 077)

static const char *line_end(const char *p, const char *end)
{
        const char *nl = memchr(p, '\n', end - p);
        return nl ? nl : end;
}

/* "begin 644 name": mode of 3 or 4 octal digits, then a name. */
static bool parse_begin(const char *p, const char *eol, char **ret_name)
{
        const char *q = p + 6, *name;
        size_t digits = 0;

        if ((size_t)(eol - p) < 8 || memcmp(p, "begin ", 6) != 0)
                return false;
        while (q < eol && *q >= '0' && *q <= '7') {
                q++;
                digits++;
        }
        if (digits < 3 || digits > 4 || q >= eol || *q != ' ')
                return false;
        name = q + 1;
        while (eol > name && (eol[-1] == '\r' || eol[-1] == ' '))
                eol--;
        if (eol == name)
                return false;
        *ret_name = strndup(name, eol - name);
        return true;
}

static int decode_line(const char *p, const char *eol, unsigned char *out, size_t *n_out)
{
        int n;

        while (eol > p && (eol[-1] == '\r' || eol[-1] == '\n'))
                eol--;
        if (p >= eol)
                return 0;
        n = UU_DEC(*p);
        p++;
        for (; n > 0 && p < eol; p += 4, n -= 3) {
                unsigned char c[4];

                for (int i = 0; i < 4; i++)
                        c[i] = p + i < eol ? UU_DEC(p[i]) : 0;
                if (n >= 1)
                        out[(*n_out)++] = (unsigned char)(c[0] << 2 | c[1] >> 4);
                if (n >= 2)
                        out[(*n_out)++] = (unsigned char)(c[1] << 4 | c[2] >> 2);
                if (n >= 3)
                        out[(*n_out)++] = (unsigned char)(c[2] << 6 | c[3]);
        }
        return 0;
}

int mail_uudecode_next(const char *text, size_t size, size_t *pos, unsigned char **ret_data,
                       size_t *ret_size, char **ret_name)
{
        const char *end, *p;

        /* An empty part has no text at all (NULL): no pointer arithmetic on it. */
        if (*pos >= size) {
                *pos = size;
                return 0;
        }
        end = text + size;
        p = text + *pos;
        while (p < end) {
                const char *eol = line_end(p, end);
                _cleanup_free_ char *name = NULL;
                _cleanup_free_ unsigned char *out = NULL;
                size_t n_out = 0;
                const char *q;

                if (!parse_begin(p, eol, &name)) {
                        p = eol < end ? eol + 1 : end;
                        continue;
                }
                if (!name)
                        return -ENOMEM;
                /* Each encoded line of L characters yields at most 3L/4 bytes, so the block's
                 * size bounds the output. */
                out = malloc(end - eol + 4);
                if (!out)
                        return -ENOMEM;
                for (q = eol < end ? eol + 1 : end; q < end;) {
                        const char *qe = line_end(q, end);
                        size_t len = qe - q;

                        while (len > 0 && (q[len - 1] == '\r' || q[len - 1] == ' '))
                                len--;
                        if (len == 3 && memcmp(q, "end", 3) == 0) {
                                *pos = (qe < end ? qe + 1 : end) - text;
                                *ret_data = TAKE_PTR(out);
                                *ret_size = n_out;
                                *ret_name = TAKE_PTR(name);
                                return 1;
                        }
                        decode_line(q, qe, out, &n_out);
                        q = qe < end ? qe + 1 : end;
                }
                *pos = (eol < end ? eol + 1 : end) - text;
                return -EBADMSG;
        }
        *pos = size;
        return 0;
}
