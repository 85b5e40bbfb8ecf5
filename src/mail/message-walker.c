/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The engine's message walker: a mail message that `airlock analyze` meets (a .eml or mbox
 * file, a message inside an archive) is walked with the same MIME walk as `airlock mail scan`,
 * so an attachment that mail scan flags is flagged by analyze too. */
#include "basic/macro.h"
#include "mail/mailbox.h"
#include "mail/mime.h"

/* "T1027,T1204.002" from a NULL-terminated list (analysis_result_add_finding() splits it). */
static char *join_ids(char **ids)
{
        size_t len = 1;
        char *s;

        for (char **i = ids; i && *i; i++)
                len += strlen(*i) + 1;
        s = calloc(1, len);
        for (char **i = ids; s && i && *i; i++) {
                if (*s)
                        strcat(s, ",");
                strcat(s, *i);
        }
        return s;
}

/* Moves what the walk found on the message node (structure findings, its limit) and its
 * parts onto node, the file that holds the message. */
static int adopt_message(struct analysis_result *node, struct analysis_result *message)
{
        int k;

        for (size_t i = 0; i < message->n_findings; i++) {
                const struct analysis_finding *f = &message->findings[i];
                _cleanup_free_ char *attack = join_ids(f->attack);
                if (!attack)
                        return -ENOMEM;
                k = analysis_result_add_finding(node, f->rule, f->severity, *attack ? attack : NULL,
                                                f->description, f->evidence, f->source);
                if (k < 0)
                        return k;
        }
        if (message->limit && !node->limit) {
                node->limit = strdup(message->limit);
                if (!node->limit)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < message->n_children; i++) {
                k = analysis_result_add_child(node, message->children[i]);
                if (k < 0) {
                        /* The rest stay with message, which the caller frees. */
                        memmove(message->children, message->children + i,
                                (message->n_children - i) * sizeof(*message->children));
                        message->n_children -= i;
                        return k;
                }
        }
        message->n_children = 0;
        return 0;
}

struct mbox_walk {
        struct analysis_ctx *ctx;
        struct analysis_result *node;
};

static int on_mbox_message(const char *name, const char *data, size_t size, void *userdata)
{
        struct mbox_walk *w = userdata;
        _cleanup_(mail_message_freep) struct mail_message *m = NULL;
        struct analysis_result *message;
        int k;

        k = mail_message_scan(w->ctx, NULL, name, data, size, &m);
        if (k < 0)
                return k;
        message = TAKE_PTR(m->result);
        k = analysis_result_add_child(w->node, message);
        if (k < 0)
                analysis_result_free(message);
        return k;
}

int mail_walk_message(struct analysis_ctx *ctx, struct analysis_result *node, const void *data,
                      size_t size)
{
        _cleanup_(mail_message_freep) struct mail_message *m = NULL;
        int k;

        if (node->mime && streq(node->mime, "application/mbox")) {
                struct mbox_walk w = {.ctx = ctx, .node = node};
                return mailbox_split_mbox(node->name, data, size, on_mbox_message, &w);
        }
        k = mail_message_scan(ctx, NULL, node->name, data, size, &m);
        if (k < 0)
                return k;
        return adopt_message(node, m->result);
}
