/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <json-c/json.h>

#include "monitor-internal.h"

int sinkhole_start(struct monitor *m)
{
        (void)m;
        return 0;
}

int sinkhole_collect(struct monitor *m)
{
        (void)m;
        return 0;
}

void net_record_done(struct net_record *r)
{
        free(r->kind);
        free(r->name);
        free(r->url);
        free(r->addr);
        free(r->bytes);
}

struct json_object *net_record_to_json(const struct net_record *r)
{
        struct json_object *o = json_object_new_object();

        json_object_object_add(o, "time", json_object_new_double((double)r->time_usec / 1e6));
        json_object_object_add(o, "kind", json_object_new_string(r->kind ? r->kind : "tcp"));
        if (r->name)
                json_object_object_add(o, "name", json_object_new_string(r->name));
        if (r->url)
                json_object_object_add(o, "request", json_object_new_string(r->url));
        if (r->addr)
                json_object_object_add(o, "address", json_object_new_string(r->addr));
        if (r->port > 0)
                json_object_object_add(o, "port", json_object_new_int(r->port));
        if (r->bytes)
                json_object_object_add(o, "first_bytes", json_object_new_string(r->bytes));
        return o;
}
