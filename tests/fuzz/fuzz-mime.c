/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The MIME walk on arbitrary input: parse, walk every part, report, strip every leaf and
 * render the result, then walk the rendered message again (it must still parse), and split
 * the input as an mbox. Runs without the triage engine so that it explores the MIME code. */
#include <stdint.h>
#include <stdlib.h>

#include "mail/mailbox.h"
#include "mail/mime.h"

static bool strip_every_leaf(const struct mail_part *p, void *userdata)
{
        return true;
}

static int count_message(const char *name, const char *data, size_t size, void *userdata)
{
        (*(size_t *)userdata)++;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct mail_limits limits;
        struct mail_message *m = NULL, *again = NULL;
        struct json_object *j;
        char *body = NULL, *ctype = NULL, *enc = NULL;
        size_t body_size = 0, n = 0;

        mail_limits_init(&limits);
        limits.timeout_ms = 2000;
        if (mail_message_scan(NULL, &limits, "fuzz", data, size, &m) < 0)
                abort(); /* only ENOMEM may fail, and inputs are small */
        if (m->result->verdict > ANALYSIS_MALICIOUS)
                abort();
        j = mail_message_to_json(m);
        json_object_put(j);
        if (mail_message_strip(m, strip_every_leaf, NULL) > 0 &&
            mail_message_render_body(m, &body, &body_size, &ctype, &enc) == 0) {
                if (mail_message_scan(NULL, &limits, "rendered", body, body_size, &again) < 0)
                        abort();
                mail_message_free(again);
        }
        free(body);
        free(ctype);
        free(enc);
        mail_message_free(m);
        mailbox_split_mbox("fuzz", (const char *)data, size, count_message, &n);
        return 0;
}
