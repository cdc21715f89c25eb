/*
 * pipeline.c - a rendering's consumers on a second thread (pipeline.h):
 * the block and byte calls are copied, as records, into a ring of a few
 * buffers; a worker thread replays them in order on the real consumers.
 *
 * The producer (the rendering thread) owns the buffer at tail and writes
 * records into it without locking; a full buffer is published under the
 * mutex, and the producer waits only when every buffer is published and
 * not yet replayed. The worker replays the buffer at head, then gives it
 * back. A consumer's failure is a flag the producer reads at each call.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline.h"

/* One call, as it sits in a buffer: the header, then len bytes and a NUL,
 * then the id and its NUL when there is one, padded to ALIGN. */
enum { REC_SINK = 0 }; /* otherwise: the block's kind */
typedef struct rec {
    uint32_t what;
    uint32_t idlen; /* NO_ID when the block has no id */
    size_t len, lead;
    int64_t rev; /* the block's item revision (inv_block.rev) */
} rec;
#define NO_ID UINT32_MAX
#define ALIGN 16

typedef struct qbuf {
    char *data;
    size_t cap, used;
} qbuf;

struct inv_pipe {
    inv_block_fn block;
    void *block_ctx;
    inv_sink_fn sink;
    void *sink_ctx;
    const inv_err *consumer_err;
    int threads;  /* 1: direct calls; 2: a worker */
    int finished; /* inv_pipe_finish was called */
    int result;   /* what it returned */
    int oom;      /* a call could not be queued */
    atomic_int failed; /* a consumer returned non-zero */

    /* with a worker */
    pthread_t worker;
    int started, joined;
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    qbuf buf[INV_PIPE_BUFFERS];
    int head, filled, tail; /* published: head .. head+filled-1; the producer's: tail */
    int closing;            /* no more buffers will come */
    int drop;               /* replay nothing more (freed before finish) */
};

int inv_pipe_jobs(void)
{
    const char *s = getenv("SCOPEREG_JOBS");
    if (s && *s) {
        char *end;
        long n = strtol(s, &end, 10);
        if (*end == '\0' && n >= 1 && n <= 1024)
            return (int)n;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus >= 2 ? 2 : 1;
}

/* ---- the worker ---- */

static void replay(inv_pipe *p, const qbuf *q)
{
    size_t at = 0;
    while (at < q->used) {
        const rec *h = (const rec *)(q->data + at);
        const char *data = q->data + at + sizeof *h;
        const char *id = h->idlen == NO_ID ? NULL : data + h->len + 1;
        int rc;
        if (h->what == REC_SINK) {
            rc = p->sink(p->sink_ctx, data, h->len);
        } else {
            inv_block b = {(inv_block_kind)h->what, data, h->len, h->lead, id, h->rev};
            rc = p->block(p->block_ctx, &b);
        }
        if (rc) {
            atomic_store_explicit(&p->failed, 1, memory_order_release);
            return;
        }
        size_t n = sizeof *h + h->len + 1 + (id ? (size_t)h->idlen + 1 : 0);
        at += (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    }
}

static void *work(void *arg)
{
    inv_pipe *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->filled && !p->closing)
            pthread_cond_wait(&p->more, &p->mu);
        if (!p->filled)
            break;
        qbuf *q = &p->buf[p->head];
        int drop = p->drop;
        pthread_mutex_unlock(&p->mu);
        if (!drop && !atomic_load_explicit(&p->failed, memory_order_relaxed))
            replay(p, q);
        pthread_mutex_lock(&p->mu);
        q->used = 0;
        p->head = (p->head + 1) % INV_PIPE_BUFFERS;
        p->filled--;
        pthread_cond_signal(&p->room);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- the producer ---- */

/* Publishes the buffer at tail and moves to the next one, waiting until
 * the worker has given it back. */
static void publish(inv_pipe *p, int wait)
{
    pthread_mutex_lock(&p->mu);
    p->filled++;
    p->tail = (p->tail + 1) % INV_PIPE_BUFFERS;
    pthread_cond_signal(&p->more);
    while (wait && p->filled == INV_PIPE_BUFFERS)
        pthread_cond_wait(&p->room, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

/* Queues one call; non-zero when it cannot (a consumer failed, finished,
 * out of memory). */
static int put(inv_pipe *p, uint32_t what, const void *data, size_t len, size_t lead,
               const char *id, int64_t rev)
{
    if (p->finished || p->oom || atomic_load_explicit(&p->failed, memory_order_relaxed))
        return 1;
    size_t idlen = id ? strlen(id) : 0;
    if (len > SIZE_MAX / 4 || idlen >= NO_ID) {
        p->oom = 1;
        return 1;
    }
    size_t need = sizeof(rec) + len + 1 + (id ? idlen + 1 : 0);
    need = (need + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    qbuf *q = &p->buf[p->tail];
    if (q->cap - q->used < need) {
        if (q->used) {
            publish(p, 1);
            q = &p->buf[p->tail];
        }
        /* q is empty: its size is the default, or the call when larger
         * (a grown buffer shrinks back here when it is reused) */
        size_t want = need > INV_PIPE_BUFFER ? need : INV_PIPE_BUFFER;
        if (q->cap != want) {
            char *n = realloc(q->data, want);
            if (!n) {
                p->oom = 1;
                return 1;
            }
            q->data = n;
            q->cap = want;
        }
    }
    char *at = q->data + q->used;
    rec h = {what, id ? (uint32_t)idlen : NO_ID, len, lead, rev};
    memcpy(at, &h, sizeof h);
    at += sizeof h;
    if (len)
        memcpy(at, data, len);
    at[len] = '\0';
    if (id)
        memcpy(at + len + 1, id, idlen + 1);
    q->used += need;
    return 0;
}

int inv_pipe_block(void *pipe, const inv_block *b)
{
    inv_pipe *p = pipe;
    if (!p->block)
        return p->finished || atomic_load_explicit(&p->failed, memory_order_relaxed);
    if (p->threads > 1)
        return put(p, (uint32_t)b->kind, b->data, b->len, b->lead, b->id, b->rev);
    if (p->finished || atomic_load_explicit(&p->failed, memory_order_relaxed))
        return 1;
    int rc = p->block(p->block_ctx, b);
    if (rc)
        atomic_store_explicit(&p->failed, 1, memory_order_relaxed);
    return rc;
}

int inv_pipe_sink(void *pipe, const void *data, size_t len)
{
    inv_pipe *p = pipe;
    if (!p->sink)
        return p->finished || atomic_load_explicit(&p->failed, memory_order_relaxed);
    if (p->threads > 1)
        return put(p, REC_SINK, data, len, 0, NULL, 0);
    if (p->finished || atomic_load_explicit(&p->failed, memory_order_relaxed))
        return 1;
    int rc = p->sink(p->sink_ctx, data, len);
    if (rc)
        atomic_store_explicit(&p->failed, 1, memory_order_relaxed);
    return rc;
}

/* ---- life ---- */

inv_pipe *inv_pipe_new(inv_block_fn block, void *block_ctx, inv_sink_fn sink,
                       void *sink_ctx, int jobs, inv_err *e)
{
    inv_pipe *p = calloc(1, sizeof *p);
    if (!p) {
        inv_fail(e, INV_EIO, "out of memory");
        return NULL;
    }
    p->block = block;
    p->block_ctx = block_ctx;
    p->sink = sink;
    p->sink_ctx = sink_ctx;
    atomic_init(&p->failed, 0);
    p->threads = 1;
    if (jobs <= 0)
        jobs = inv_pipe_jobs();
    if (jobs < 2 || (!block && !sink))
        return p;
    if (pthread_mutex_init(&p->mu, NULL))
        return p;
    if (pthread_cond_init(&p->more, NULL)) {
        pthread_mutex_destroy(&p->mu);
        return p;
    }
    if (pthread_cond_init(&p->room, NULL)) {
        pthread_cond_destroy(&p->more);
        pthread_mutex_destroy(&p->mu);
        return p;
    }
    /* signals stay with the caller's threads: the worker blocks them all */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&p->worker, NULL, work, p);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc) { /* one thread then: the same results */
        pthread_cond_destroy(&p->room);
        pthread_cond_destroy(&p->more);
        pthread_mutex_destroy(&p->mu);
        return p;
    }
    p->started = 1;
    p->threads = 2;
    return p;
}

void inv_pipe_errors(inv_pipe *p, const inv_err *consumer_err)
{
    p->consumer_err = consumer_err;
}

int inv_pipe_threads(const inv_pipe *p)
{
    return p->threads;
}

/* Stops the worker: drop says whether what is queued is dropped. */
static void stop(inv_pipe *p, int drop)
{
    if (!p->started || p->joined)
        return;
    pthread_mutex_lock(&p->mu);
    if (!drop && p->buf[p->tail].used) {
        /* there is room: the producer waited for it after each publish */
        p->filled++;
        p->tail = (p->tail + 1) % INV_PIPE_BUFFERS;
    }
    p->drop = drop;
    p->closing = 1;
    pthread_cond_signal(&p->more);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->worker, NULL);
    p->joined = 1;
}

int inv_pipe_finish(inv_pipe *p, inv_err *e)
{
    int failed;
    if (!p->finished) {
        stop(p, 0);
        p->finished = 1;
        failed = atomic_load_explicit(&p->failed, memory_order_acquire);
        p->result = failed && p->consumer_err && p->consumer_err->code ? p->consumer_err->code
                    : failed || p->oom                                 ? INV_EIO
                                                                       : INV_OK;
    }
    failed = atomic_load_explicit(&p->failed, memory_order_acquire);
    if (p->result && e) {
        if (failed && p->consumer_err && p->consumer_err->code) {
            if (p->consumer_err != e)
                memcpy(e, p->consumer_err, sizeof *e);
        } else if (failed) {
            inv_fail(e, INV_EIO, "cannot write the scope document");
        } else {
            inv_fail(e, INV_EIO, "out of memory");
        }
    }
    return p->result;
}

void inv_pipe_free(inv_pipe *p)
{
    if (!p)
        return;
    stop(p, 1);
    if (p->started) {
        pthread_cond_destroy(&p->room);
        pthread_cond_destroy(&p->more);
        pthread_mutex_destroy(&p->mu);
    }
    for (int i = 0; i < INV_PIPE_BUFFERS; i++)
        free(p->buf[i].data);
    free(p);
}
