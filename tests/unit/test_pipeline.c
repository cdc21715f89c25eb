/*
 * test_pipeline.c - a rendering's consumers behind inv_pipe: with one
 * thread and with two they see exactly the same calls (blocks and bytes,
 * in the same order, same bytes), a failing consumer stops the stream and
 * makes inv_pipe_finish fail with its message, blocks larger than a queue
 * buffer pass whole, and the choice of threads follows SCOPEREG_JOBS.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "document_int.h"
#include "inventory.h"
#include "pipeline.h"
#include "testutil.h"

/* ---- a consumer that records the sequence of calls it sees ---- */

typedef struct seq {
    cr_hash all;            /* every call: what, kind, lead, len, id, bytes */
    cr_hash doc;            /* the sink's bytes only: the document hash */
    int64_t calls, blocks[5], sinks, bytes;
    size_t biggest;         /* largest block */
    int64_t fail_at;        /* return non-zero at that call (1-based); 0: never */
    int64_t after_fail;     /* calls made after the failure */
    inv_err *err;           /* where the failure's message goes (may be NULL) */
    pthread_t caller;       /* the rendering's thread */
    int64_t on_caller, elsewhere;
} seq;

static void seq_init(seq *s)
{
    memset(s, 0, sizeof *s);
    cr_hash_init(&s->all);
    cr_hash_init(&s->doc);
    s->caller = pthread_self();
}

static int seq_note(seq *s)
{
    if (pthread_equal(pthread_self(), s->caller))
        s->on_caller++;
    else
        s->elsewhere++;
    if (s->fail_at && s->calls >= s->fail_at) {
        s->after_fail++;
        return 1;
    }
    s->calls++;
    if (s->fail_at && s->calls == s->fail_at) {
        if (s->err)
            inv_fail(s->err, INV_FAIL, "call %lld refused by the test consumer",
                     (long long)s->calls);
        return 1;
    }
    return 0;
}

static int seq_block(void *ctx, const inv_block *b)
{
    seq *s = ctx;
    unsigned char head[1 + 4 + 8 + 8];
    uint32_t kind = (uint32_t)b->kind;
    uint64_t lead = b->lead, len = b->len;
    head[0] = 'B';
    memcpy(head + 1, &kind, 4);
    memcpy(head + 5, &lead, 8);
    memcpy(head + 13, &len, 8);
    cr_hash_update(&s->all, head, sizeof head);
    if (b->id)
        cr_hash_update(&s->all, b->id, strlen(b->id) + 1);
    else
        cr_hash_update(&s->all, "\xff", 1);
    cr_hash_update(&s->all, b->data, b->len);
    if ((int)b->kind >= 1 && (int)b->kind <= 4)
        s->blocks[b->kind]++;
    if (b->len > s->biggest)
        s->biggest = b->len;
    return seq_note(s);
}

static int seq_sink(void *ctx, const void *data, size_t len)
{
    seq *s = ctx;
    unsigned char head[1 + 8];
    uint64_t l = len;
    head[0] = 'S';
    memcpy(head + 1, &l, 8);
    cr_hash_update(&s->all, head, sizeof head);
    cr_hash_update(&s->all, data, len);
    cr_hash_update(&s->doc, data, len);
    s->sinks++;
    s->bytes += (int64_t)len;
    return seq_note(s);
}

/* What a recorded sequence comes to, for comparing two of them. */
typedef struct summary {
    unsigned char all[CR_HASH_BYTES];
    char doc[CR_HASH_STR_LEN];
    int64_t calls, blocks[5], sinks, bytes, after_fail;
} summary;

static void summarize(seq *s, summary *out)
{
    unsigned char d[CR_HASH_BYTES];
    memset(out, 0, sizeof *out);
    cr_hash_final(&s->all, out->all);
    cr_hash_final(&s->doc, d);
    memcpy(out->doc, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1);
    cr_hex(out->doc + sizeof CR_HASH_PREFIX - 1, d, sizeof d);
    out->calls = s->calls;
    memcpy(out->blocks, s->blocks, sizeof out->blocks);
    out->sinks = s->sinks;
    out->bytes = s->bytes;
    out->after_fail = s->after_fail;
}

static void assert_same(const summary *a, const summary *b)
{
    assert_memory_equal(a->all, b->all, sizeof a->all);
    assert_string_equal(a->doc, b->doc);
    assert_int_equal(a->calls, b->calls);
    for (int k = 1; k <= 4; k++)
        assert_int_equal(a->blocks[k], b->blocks[k]);
    assert_int_equal(a->sinks, b->sinks);
    assert_int_equal(a->bytes, b->bytes);
    assert_int_equal(a->after_fail, b->after_fail);
}

/* ---- the register: a few thousand items, one of them larger than a queue
 * buffer, and a second version with every kind of change ---- */

#define NITEMS 3000
#define BIG_VALUE 60000 /* bytes per attribute of the big item */

static char *big_value(char c)
{
    char *v = malloc(BIG_VALUE + 1);
    assert_non_null(v);
    memset(v, c, BIG_VALUE);
    v[BIG_VALUE] = '\0';
    return v;
}

static int group_setup(void **state)
{
    if (tu_reg_setup_default(state))
        return -1;
    tu_reg *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    char *v1 = big_value('a'), *v2 = big_value('b');
    assert_ok(inv_begin(r, &e), &e);
    for (int i = 0; i < NITEMS; i++) {
        char id[32], ip[32], notes[64];
        int k = (i * 7919) % NITEMS;
        snprintf(id, sizeof id, "SRV-%05d", k);
        snprintf(ip, sizeof ip, "10.%d.%d.%d", k / 65536, (k / 256) % 256, k % 256);
        snprintf(notes, sizeof notes, "rack %d, row %d", k % 40, k / 40);
        tu_stage_add(r, id, i % 3 ? "server" : "pc", "Host \"é\"", "ip", ip, "notes", notes,
                     NULL);
    }
    /* an item block of about 6 x 60 kB: more than one queue buffer */
    tu_stage_add(r, "BIG-1", "server", "big", "a1", v1, "a2", v1, "a3", v1, "a4", v1, "a5", v1,
                 "a6", v1, NULL);
    assert_ok(inv_end(r, 1, &e), &e);
    tu_commit(r, "2026-01-10T09:00:00Z", "jm", "bulk");

    assert_ok(inv_begin(r, &e), &e);
    for (int k = 0; k < NITEMS; k += 29) {
        char id[32];
        snprintf(id, sizeof id, "SRV-%05d", k);
        if (k % 2)
            tu_stage_edit(r, id, "notes", "moved", "os", "Debian 12", NULL);
        else
            assert_ok(inv_stage_remove(r, id, "decommissioned", &e), &e);
    }
    for (int k = 0; k < 40; k++) {
        char id[32];
        snprintf(id, sizeof id, "NEW-%03d", k);
        tu_stage_add(r, id, "laptop", NULL, NULL);
    }
    /* a change block of the same size: old and new value of each field */
    tu_stage_edit(r, "BIG-1", "a1", v2, "a2", v2, "a3", v2, NULL);
    assert_ok(inv_end(r, 1, &e), &e);
    tu_commit(r, "2026-02-01T09:00:00Z", "jm", "changes");
    free(v1);
    free(v2);
    return 0;
}

/* Renders version n into s: jobs < 0 without a pipe (the consumers
 * straight on inv__render_to), else through a pipe of that many jobs.
 * Returns the rendering's code; *finish gets inv_pipe_finish's (INV_OK
 * without a pipe), ef its message; *threads the pipe's threads. */
static int render_into(inv_register *r, int64_t n, int jobs, int blocks, int bytes, seq *s,
                       int *finish, inv_err *ef, int *threads, inv_err *consumer_err)
{
    inv_version v;
    inv_err e = {0};
    assert_ok(inv_version_get(r, n, &v, &e), &e);
    int rc;
    *finish = INV_OK;
    *threads = 1;
    if (jobs < 0) {
        rc = inv__render_to(r, &v, bytes ? seq_sink : NULL, s, blocks ? seq_block : NULL, s,
                            NULL, &e);
    } else {
        inv_pipe *p = inv_pipe_new(blocks ? seq_block : NULL, s, bytes ? seq_sink : NULL, s,
                                   jobs, &e);
        assert_non_null(p);
        if (consumer_err)
            inv_pipe_errors(p, consumer_err);
        *threads = inv_pipe_threads(p);
        rc = inv__render_to(r, &v, bytes ? inv_pipe_sink : NULL, p,
                            blocks ? inv_pipe_block : NULL, p, NULL, &e);
        *finish = inv_pipe_finish(p, ef);
        inv_pipe_free(p);
    }
    inv_version_free(&v);
    return rc;
}

/* The same blocks and bytes, in the same order, with no pipe, one thread
 * and two threads (three runs of two), for both versions and for a block
 * consumer alone and a byte consumer alone; the bytes are the document.
 * Split (blocks behind the pipe, bytes on the rendering's thread), each
 * consumer sees what it sees alone. */
static void test_same_sequence(void **state)
{
    tu_reg *f = *state;
    inv_err e = {0};
    for (int64_t n = 1; n <= 2; n++) {
        inv_version v;
        assert_ok(inv_version_get(f->r, n, &v, &e), &e);
        for (int mode = 0; mode < 3; mode++) { /* both, blocks only, bytes only */
            int blocks = mode != 2, bytes = mode != 1;
            seq s;
            summary ref, got;
            int fin, threads;
            seq_init(&s);
            assert_ok(render_into(f->r, n, -1, blocks, bytes, &s, &fin, &e, &threads, NULL),
                      &e);
            if (blocks) /* the big item's (or its change's) block is in there */
                assert_true(s.biggest > INV_PIPE_BUFFER);
            summarize(&s, &ref);
            if (bytes)
                assert_string_equal(ref.doc, v.doc_hash);
            if (blocks)
                assert_int_equal(ref.blocks[INV_BLOCK_ITEM], v.item_count);
            int jobs[] = {1, 2, 2, 2};
            for (size_t j = 0; j < sizeof jobs / sizeof *jobs; j++) {
                seq_init(&s);
                assert_ok(render_into(f->r, n, jobs[j], blocks, bytes, &s, &fin, &e, &threads,
                                      NULL), &e);
                assert_ok(fin, &e);
                assert_int_equal(threads, jobs[j]);
                /* one thread: on the caller's; two: never on the caller's */
                assert_int_equal(jobs[j] == 1 ? s.elsewhere : s.on_caller, 0);
                summarize(&s, &got);
                assert_same(&ref, &got);
            }
        }
        /* split: the block consumer behind the pipe, the byte consumer on
         * the rendering's thread; each sees what it sees alone */
        seq sb, ss, alone;
        summary ref_b, ref_s, got_b, got_s;
        int fin, threads;
        seq_init(&alone);
        assert_ok(render_into(f->r, n, -1, 1, 0, &alone, &fin, &e, &threads, NULL), &e);
        summarize(&alone, &ref_b);
        seq_init(&alone);
        assert_ok(render_into(f->r, n, -1, 0, 1, &alone, &fin, &e, &threads, NULL), &e);
        summarize(&alone, &ref_s);
        seq_init(&sb);
        seq_init(&ss);
        inv_pipe *p = inv_pipe_new(seq_block, &sb, NULL, NULL, 2, &e);
        assert_non_null(p);
        assert_ok(inv__render_to(f->r, &v, seq_sink, &ss, inv_pipe_block, p, NULL, &e), &e);
        assert_ok(inv_pipe_finish(p, &e), &e);
        inv_pipe_free(p);
        summarize(&sb, &got_b);
        summarize(&ss, &got_s);
        assert_same(&ref_b, &got_b);
        assert_same(&ref_s, &got_s);
        assert_string_equal(got_s.doc, v.doc_hash);
        assert_int_equal(sb.on_caller, 0);
        assert_int_equal(ss.elsewhere, 0);
        inv_version_free(&v);
    }
}

/* A consumer that fails at call k: the rendering stops, inv_pipe_finish
 * gives the consumer's code and message (or a message of its own when the
 * consumer has none), no call is made after the failure (to either
 * consumer), and the calls made are the same with one and two threads. */
static void test_consumer_fails(void **state)
{
    tu_reg *f = *state;
    const int64_t at[] = {1, 2, 777, 3043}; /* 3043: among the first item blocks */
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        for (int own_msg = 0; own_msg <= 1; own_msg++) {
            summary one;
            memset(&one, 0, sizeof one);
            for (int jobs = 1; jobs <= 2; jobs++) {
                seq s;
                inv_err ef = {0}, ce = {0};
                int fin, threads;
                seq_init(&s);
                s.fail_at = at[i];
                s.err = own_msg ? &ce : NULL;
                int rc = render_into(f->r, 1, jobs, 1, 1, &s, &fin, &ef, &threads,
                                     own_msg ? &ce : NULL);
                assert_int_equal(rc, INV_EIO); /* the rendering stopped */
                if (own_msg) {
                    char want[64];
                    snprintf(want, sizeof want, "call %lld refused by the test consumer",
                             (long long)at[i]);
                    assert_err(fin, &ef, INV_FAIL, want);
                } else {
                    assert_err(fin, &ef, INV_EIO,
                               "cannot write the scope document");
                }
                assert_int_equal(s.calls, at[i]);
                assert_int_equal(s.after_fail, 0);
                summary got;
                summarize(&s, &got);
                if (jobs == 1)
                    one = got;
                else
                    assert_same(&one, &got);
            }
        }
    }
}

/* With two threads the producer learns of a failure at one of its next
 * calls (it cannot run further ahead than the queue holds), and every
 * call after finish is refused without reaching the consumer. */
static void test_producer_sees_failure(void **state)
{
    (void)state;
    seq s;
    inv_err e = {0};
    char data[100];
    memset(data, 'x', sizeof data);
    seq_init(&s);
    s.fail_at = 1;
    inv_pipe *p = inv_pipe_new(seq_block, &s, seq_sink, &s, 2, &e);
    assert_non_null(p);
    assert_int_equal(inv_pipe_threads(p), 2);
    /* each call takes at least 100 bytes of a buffer */
    const int64_t bound = (int64_t)(INV_PIPE_BUFFERS + 1) * INV_PIPE_BUFFER / 100 + 1;
    int64_t n = 0;
    int rc = 0;
    while (!rc && n < 100 * bound) {
        inv_block b = {INV_BLOCK_ITEM, data, sizeof data, 1, "X", 0};
        rc = n % 2 ? inv_pipe_sink(p, data, sizeof data) : inv_pipe_block(p, &b);
        n++;
    }
    assert_int_not_equal(rc, 0);
    assert_true(n <= bound);
    assert_err(inv_pipe_finish(p, &e), &e, INV_EIO, "cannot write the scope document");
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.after_fail, 0);
    assert_int_equal(s.elsewhere, 1);
    /* finish again: same answer; calls after it: refused */
    assert_int_equal(inv_pipe_finish(p, NULL), INV_EIO);
    assert_int_not_equal(inv_pipe_sink(p, data, 1), 0);
    inv_pipe_free(p);

    /* without failure: calls after finish are refused too, and finish says OK */
    seq_init(&s);
    p = inv_pipe_new(seq_block, &s, NULL, NULL, 2, &e);
    assert_non_null(p);
    inv_block b = {INV_BLOCK_HEADER, data, 10, 0, NULL, 0};
    assert_int_equal(inv_pipe_block(p, &b), 0);
    assert_int_equal(inv_pipe_sink(p, data, 10), 0); /* no byte consumer: ignored */
    assert_ok(inv_pipe_finish(p, &e), &e);
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.sinks, 0);
    assert_int_not_equal(inv_pipe_block(p, &b), 0);
    assert_ok(inv_pipe_finish(p, &e), &e);
    assert_int_equal(s.calls, 1);
    inv_pipe_free(p);
}

/* ---- many small and a few huge calls, by hand ---- */

static uint64_t rnd(uint64_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x >> 33;
}

/* Makes the same calls (a seeded mix: empty and small blocks with and
 * without ids, small and 64 KiB byte chunks, blocks and chunks of one
 * buffer less one byte, exactly one buffer, and several buffers) to block
 * and sink with ctx. Returns how many calls were accepted. */
static int64_t feed(inv_block_fn block, inv_sink_fn sink, void *ctx, const char *pool,
                    size_t pool_len)
{
    uint64_t x = 42;
    int64_t ok = 0;
    for (int i = 0; i < 40000; i++) {
        uint64_t r = rnd(&x);
        size_t len, off;
        int huge = i % 5000 == 4999;
        if (huge) {
            size_t sizes[] = {INV_PIPE_BUFFER - 1, INV_PIPE_BUFFER, 3 * INV_PIPE_BUFFER + 5,
                              INV_PIPE_BUFFER + 1, 1, 0, 2 * INV_PIPE_BUFFER, 5 * INV_PIPE_BUFFER};
            len = sizes[(i / 5000) % 8];
        } else if (r % 50 == 0) {
            len = 65536 + r % 1000;
        } else {
            len = r % 400;
        }
        off = (size_t)(rnd(&x) % (pool_len - len + 1));
        char id[32];
        snprintf(id, sizeof id, "ID-%d-é", i);
        int rc;
        if (r % 3 == 0 && !huge) {
            rc = sink(ctx, pool + off, len);
        } else {
            inv_block b = {(inv_block_kind)(1 + r % 4), pool + off, len, len ? r % 2 : 0,
                           r % 7 ? id : NULL, 0};
            rc = block(ctx, &b);
            if (huge && !rc)
                rc = sink(ctx, pool + off, len);
        }
        if (rc)
            break;
        ok++;
    }
    return ok;
}

static void test_small_and_huge(void **state)
{
    (void)state;
    size_t pool_len = 6 * INV_PIPE_BUFFER;
    char *pool = malloc(pool_len);
    assert_non_null(pool);
    uint64_t x = 7;
    for (size_t i = 0; i < pool_len; i++)
        pool[i] = (char)(rnd(&x) & 0xff);
    seq s;
    summary ref, got;
    inv_err e = {0};
    seq_init(&s);
    int64_t n = feed(seq_block, seq_sink, &s, pool, pool_len);
    assert_int_equal(n, 40000);
    assert_true(s.biggest == 5 * INV_PIPE_BUFFER);
    summarize(&s, &ref);
    for (int jobs = 1; jobs <= 2; jobs++) {
        for (int round = 0; round < (jobs == 2 ? 3 : 1); round++) {
            seq_init(&s);
            inv_pipe *p = inv_pipe_new(seq_block, &s, seq_sink, &s, jobs, &e);
            assert_non_null(p);
            assert_int_equal(inv_pipe_threads(p), jobs);
            assert_int_equal(feed(inv_pipe_block, inv_pipe_sink, p, pool, pool_len), 40000);
            assert_ok(inv_pipe_finish(p, &e), &e);
            inv_pipe_free(p);
            summarize(&s, &got);
            assert_same(&ref, &got);
            assert_int_equal(jobs == 1 ? s.elsewhere : s.on_caller, 0);
        }
    }
    /* freed before finish, with calls still queued: no wait for them, no leak */
    seq_init(&s);
    inv_pipe *p = inv_pipe_new(seq_block, &s, seq_sink, &s, 2, &e);
    assert_non_null(p);
    assert_int_equal(feed(inv_pipe_block, inv_pipe_sink, p, pool, pool_len), 40000);
    inv_pipe_free(p);
    free(pool);
}

/* SCOPEREG_JOBS chooses; else two threads on two processors or more. */
static void test_jobs_choice(void **state)
{
    (void)state;
    inv_err e = {0};
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int dflt = cpus >= 2 ? 2 : 1;
    unsetenv("SCOPEREG_JOBS");
    assert_int_equal(inv_pipe_jobs(), dflt);
    setenv("SCOPEREG_JOBS", "1", 1);
    assert_int_equal(inv_pipe_jobs(), 1);
    seq s;
    seq_init(&s);
    inv_pipe *p = inv_pipe_new(seq_block, &s, NULL, NULL, 0, &e);
    assert_non_null(p);
    assert_int_equal(inv_pipe_threads(p), 1);
    inv_pipe_free(p);
    setenv("SCOPEREG_JOBS", "3", 1);
    assert_int_equal(inv_pipe_jobs(), 3);
    p = inv_pipe_new(seq_block, &s, NULL, NULL, 0, &e);
    assert_non_null(p);
    assert_int_equal(inv_pipe_threads(p), 2); /* one worker is all it uses */
    inv_pipe_free(p);
    const char *bad[] = {"", "0", "-2", "two", "2x", "99999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        setenv("SCOPEREG_JOBS", bad[i], 1);
        assert_int_equal(inv_pipe_jobs(), dflt);
    }
    unsetenv("SCOPEREG_JOBS");
    /* no consumer at all: no thread */
    p = inv_pipe_new(NULL, NULL, NULL, NULL, 2, &e);
    assert_non_null(p);
    assert_int_equal(inv_pipe_threads(p), 1);
    assert_ok(inv_pipe_finish(p, &e), &e);
    inv_pipe_free(p);
    inv_pipe_free(NULL);
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_sequence),
        cmocka_unit_test(test_consumer_fails),
        cmocka_unit_test(test_producer_sees_failure),
        cmocka_unit_test(test_small_and_huge),
        cmocka_unit_test(test_jobs_choice),
    };
    return cmocka_run_group_tests(tests, group_setup, tu_reg_teardown);
}
