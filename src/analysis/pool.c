/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The scanning threads of a context: one queue of tasks (the files of a folder, the members of
 * an archive) served by opts.threads - 1 workers and by every thread that waits for a group of
 * tasks. A thread waiting for its group runs queued tasks meanwhile, so that an archive inside
 * an archive, whose walk waits for its own members inside a task, never leaves a thread idle
 * and never deadlocks. The results go into nodes made beforehand in order, so the report does
 * not depend on which thread ran what. */
#include "analysis-internal.h"

struct pool_task {
        int (*fn)(void *arg);
        void *arg;
        struct pool_group *group;
        struct pool_task *next;
};

struct pool {
        pthread_mutex_t lock;
        pthread_cond_t changed; /* a task was queued or finished, or the pool stops */
        struct pool_task *head, *tail;
        size_t queued;
        size_t max_queued; /* past this, pool_submit runs the task itself (bounded memory) */
        bool stop;
        unsigned n_threads;
        pthread_t threads[ANALYSIS_MAX_THREADS];
};

static void finish(struct pool *p, struct pool_task *t, int k)
{
        pthread_mutex_lock(&p->lock);
        if (k < 0 && t->group->error >= 0)
                t->group->error = k;
        t->group->pending--;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        free(t);
}

/* With the lock held: the next queued task, or NULL. */
static struct pool_task *pop(struct pool *p)
{
        struct pool_task *t = p->head;

        if (t) {
                p->head = t->next;
                if (!p->head)
                        p->tail = NULL;
                p->queued--;
        }
        return t;
}

static void *worker(void *arg)
{
        struct pool *p = arg;

        pthread_mutex_lock(&p->lock);
        for (;;) {
                struct pool_task *t = pop(p);
                if (!t) {
                        if (p->stop)
                                break;
                        pthread_cond_wait(&p->changed, &p->lock);
                        continue;
                }
                pthread_mutex_unlock(&p->lock);
                finish(p, t, t->fn(t->arg));
                pthread_mutex_lock(&p->lock);
        }
        pthread_mutex_unlock(&p->lock);
        return NULL;
}

int pool_new(unsigned threads, struct pool **ret)
{
        struct pool *p;

        if (threads > ANALYSIS_MAX_THREADS)
                threads = ANALYSIS_MAX_THREADS;
        if (threads <= 1) {
                *ret = NULL; /* no pool: every task runs where it is submitted */
                return 0;
        }
        p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        pthread_mutex_init(&p->lock, NULL);
        pthread_cond_init(&p->changed, NULL);
        p->max_queued = 4 * (size_t)threads;
        for (unsigned i = 1; i < threads; i++)
                if (pthread_create(&p->threads[p->n_threads], NULL, worker, p) == 0)
                        p->n_threads++;
        *ret = p;
        return 0;
}

void pool_free(struct pool *p)
{
        if (!p)
                return;
        pthread_mutex_lock(&p->lock);
        p->stop = true;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        for (unsigned i = 0; i < p->n_threads; i++)
                pthread_join(p->threads[i], NULL);
        pthread_cond_destroy(&p->changed);
        pthread_mutex_destroy(&p->lock);
        free(p);
}

void pool_submit(struct pool *p, struct pool_group *g, int (*fn)(void *arg), void *arg)
{
        struct pool_task *t;
        bool inline_run;
        int k;

        if (p) {
                pthread_mutex_lock(&p->lock);
                inline_run = p->n_threads == 0 || p->queued >= p->max_queued;
                pthread_mutex_unlock(&p->lock);
        } else
                inline_run = true;
        t = inline_run ? NULL : malloc(sizeof(*t));
        if (!t) {
                k = fn(arg);
                if (k < 0 && g->error >= 0) {
                        if (p)
                                pthread_mutex_lock(&p->lock);
                        g->error = k;
                        if (p)
                                pthread_mutex_unlock(&p->lock);
                }
                return;
        }
        *t = (struct pool_task){.fn = fn, .arg = arg, .group = g};
        pthread_mutex_lock(&p->lock);
        g->pending++;
        if (p->tail)
                p->tail->next = t;
        else
                p->head = t;
        p->tail = t;
        p->queued++;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
}

int pool_wait(struct pool *p, struct pool_group *g)
{
        int k;

        if (!p)
                return g->error;
        pthread_mutex_lock(&p->lock);
        while (g->pending > 0) {
                struct pool_task *t = pop(p);
                if (!t) {
                        pthread_cond_wait(&p->changed, &p->lock);
                        continue;
                }
                pthread_mutex_unlock(&p->lock);
                finish(p, t, t->fn(t->arg));
                pthread_mutex_lock(&p->lock);
        }
        k = g->error;
        pthread_mutex_unlock(&p->lock);
        return k;
}
