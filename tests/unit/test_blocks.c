/*
 * test_blocks.c - a scope document rendered as blocks (inv_render_blocks):
 * their bytes end to end are the document inv_render writes, in the order
 * header, changes (key lines first), items by id, trailer, each block
 * whole, with its id and its separator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "testutil.h"

typedef struct seen {
    inv_buf bytes;         /* the blocks, end to end */
    inv_buf log;           /* "H", "C:id", "I:id", "T", one per line */
    int64_t n[5];          /* blocks by kind */
    int bad_lead;          /* a block whose lead is not its separator */
    int stop_after;        /* return non-zero at that block (0: never) */
    int calls;
} seen;

static int on_block(void *ctx, const inv_block *b)
{
    seen *s = ctx;
    const char *tag = b->kind == INV_BLOCK_HEADER    ? "H"
                      : b->kind == INV_BLOCK_CHANGE  ? "C"
                      : b->kind == INV_BLOCK_ITEM    ? "I"
                      : b->kind == INV_BLOCK_TRAILER ? "T"
                                                     : "?";
    s->calls++;
    if ((int)b->kind >= 1 && (int)b->kind <= 4)
        s->n[b->kind]++;
    /* an item and the trailer start with their blank line, nothing else does */
    size_t want = b->kind == INV_BLOCK_ITEM || b->kind == INV_BLOCK_TRAILER ? 1 : 0;
    if (b->lead != want || (want && b->data[0] != '\n') || b->len <= b->lead ||
        b->data[b->len - 1] != '\n')
        s->bad_lead++;
    inv_buf_add(&s->bytes, b->data, b->len);
    inv_buf_printf(&s->log, "%s%s%s\n", tag, b->id ? ":" : "", b->id ? b->id : "");
    return s->stop_after && s->calls == s->stop_after;
}

static void stage(tu_reg *f, const char *id, const char *name, const char *k, const char *v)
{
    inv_item it;
    inv_err e = {0};
    tu_item_make(&it, id, "server", name, k, v, NULL);
    int staged = 0;
    inv_item cur;
    inv_item_init(&cur);
    if (inv_item_current(f->r, id, &cur, &staged, &e) == INV_OK)
        assert_ok(inv_stage_edit(f->r, &it, &e), &e);
    else
        assert_ok(inv_stage_add(f->r, &it, &e), &e);
    inv_item_free(&cur);
    inv_item_free(&it);
}

static void commit(tu_reg *f, const char *msg, const char *date)
{
    inv_err e = {0};
    int64_t n;
    assert_ok(inv_commit(f->r, msg, "tester", tu_time(date), &n, &e), &e);
}

/* Renders version n both ways; checks the blocks against the bytes. */
static void same_bytes(tu_reg *f, int64_t n, seen *s)
{
    inv_err e = {0};
    char *doc;
    size_t len;
    memset(s, 0, sizeof *s);
    assert_ok(inv_render_mem(f->r, n, &doc, &len, &e), &e);
    assert_ok(inv_render_blocks(f->r, n, on_block, s, &e), &e);
    assert_int_equal(s->bytes.len, len);
    assert_memory_equal(s->bytes.data, doc, len);
    assert_int_equal(s->bad_lead, 0);
    free(doc);
}

static void test_blocks_are_the_document(void **state)
{
    tu_reg *f = *state;
    inv_err e = {0};
    seen s;
    stage(f, "SRV-02", "two", "os", "Debian\tstable");
    stage(f, "SRV-01", "one", "note", "line 1\nline 2 \\ back");
    stage(f, "SRV-03", "three", "site", "Gen\xc3\xa8ve");
    commit(f, "first", "2026-01-10T09:00:00Z");
    same_bytes(f, 1, &s);
    assert_string_equal(s.log.data, "H\nC:SRV-01\nC:SRV-02\nC:SRV-03\n"
                                    "I:SRV-01\nI:SRV-02\nI:SRV-03\nT\n");
    assert_int_equal(s.n[INV_BLOCK_HEADER], 1);
    assert_int_equal(s.n[INV_BLOCK_ITEM], 3);
    inv_buf_free(&s.bytes);
    inv_buf_free(&s.log);

    /* a modification, a removal with its reason, an addition, a key rotation */
    cr_err ce = {0};
    cr_seckey *nsk;
    cr_pubkey npk;
    assert_int_equal(cr_keygen(&nsk, &npk, &ce), CR_OK);
    cr_seckey_free(nsk);
    stage(f, "SRV-01", "one", "note", "changed");
    assert_ok(inv_stage_remove(f->r, "SRV-02", "decommissioned", &e), &e);
    stage(f, "SRV-04", "four", "os", "Alpine");
    assert_ok(inv_rekey_stage(f->r, "client", &npk, NULL, &e), &e);
    commit(f, "second", "2026-01-11T09:00:00Z");
    same_bytes(f, 2, &s);
    assert_string_equal(s.log.data, "H\nC\nC:SRV-01\nC:SRV-02\nC:SRV-04\n"
                                    "I:SRV-01\nI:SRV-03\nI:SRV-04\nT\n");
    assert_int_equal(s.n[INV_BLOCK_CHANGE], 4);
    assert_int_equal(s.n[INV_BLOCK_TRAILER], 1);
    inv_buf_free(&s.bytes);
    inv_buf_free(&s.log);
}

/* Each item block is what inv_item_format writes for that item. */
static int item_matches(void *ctx, const inv_item *it)
{
    const inv_block **b = ctx;
    inv_buf want = {0};
    assert_int_equal(inv_item_format(&want, it), 0);
    assert_int_equal((*b)->len - (*b)->lead, want.len);
    assert_memory_equal((*b)->data + (*b)->lead, want.data, want.len);
    inv_buf_free(&want);
    return 0;
}

typedef struct one_item {
    tu_reg *f;
    int checked;
} one_item;

static int check_item_block(void *ctx, const inv_block *b)
{
    one_item *c = ctx;
    if (b->kind != INV_BLOCK_ITEM)
        return 0;
    inv_item it;
    inv_err e = {0};
    int staged;
    inv_item_init(&it);
    assert_ok(inv_item_current(c->f->r, b->id, &it, &staged, &e), &e);
    item_matches(&b, &it);
    inv_item_free(&it);
    c->checked++;
    return 0;
}

static void test_item_block_written_once(void **state)
{
    tu_reg *f = *state;
    stage(f, "PC-1", "desk", "serial", "S\\1");
    stage(f, "PC-2", "", "user", "r\xc3\xa9mi\nsecond line");
    commit(f, "first", "2026-01-10T09:00:00Z");
    one_item c = {f, 0};
    inv_err e = {0};
    assert_ok(inv_render_blocks(f->r, 1, check_item_block, &c, &e), &e);
    assert_int_equal(c.checked, 2);
}

static void test_consumer_stops(void **state)
{
    tu_reg *f = *state;
    inv_err e = {0};
    seen s;
    memset(&s, 0, sizeof s);
    stage(f, "A", "a", "x", "1");
    stage(f, "B", "b", "x", "2");
    commit(f, "first", "2026-01-10T09:00:00Z");
    s.stop_after = 3; /* header, change A, change B: stop */
    assert_err(inv_render_blocks(f->r, 1, on_block, &s, &e), &e, INV_EIO, "cannot write");
    assert_int_equal(s.calls, 3);
    inv_buf_free(&s.bytes);
    inv_buf_free(&s.log);
    assert_err(inv_render_blocks(f->r, 7, on_block, &s, &e), &e, INV_EINPUT, "no version 7");
}

int main(void)
{
    cr_err ce;
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "test_blocks: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_blocks_are_the_document, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_item_block_written_once, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_consumer_stops, tu_reg_setup_default,
                                        tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
