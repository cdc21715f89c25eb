/*
 * test_leafmem.c - leaf hashes kept by revision from one rendering to the
 * next (inventory/document/leafmem.h): a hash comes back only for the same
 * revision, id and format, items gone or new since are skipped in id
 * order, a failed rendering keeps nothing, and records longer than the
 * buffers and many thousands of them come back whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "leafmem.h"

static void hash_of(int64_t rev, const char *id, unsigned char h[32])
{
    memset(h, 0, 32);
    memcpy(h, &rev, sizeof rev);
    for (size_t i = 0; id[i]; i++)
        h[8 + i % 24] ^= (unsigned char)id[i];
}

/* Keeps (rev, id) with its made-up hash. */
static void keep(inv__leafmem *m, int64_t rev, const char *id)
{
    unsigned char h[32];
    hash_of(rev, id, h);
    inv__leafmem_keep(m, rev, id, h);
}

/* Whether (rev, id) comes back, and with its own hash when it does. */
static int found(inv__leafmem *m, int64_t rev, const char *id)
{
    unsigned char h[32], want[32];
    memset(h, 0xAA, sizeof h);
    int hit = inv__leafmem_find(m, rev, id, h);
    if (hit) {
        hash_of(rev, id, want);
        assert_memory_equal(h, want, 32);
    }
    return hit;
}

static void test_same_revision_only(void **state)
{
    (void)state;
    inv__leafmem *m = inv__leafmem_new();
    assert_non_null(m);
    inv__leafmem_begin(m, 2);
    assert_false(found(m, 1, "PC-1")); /* nothing kept yet */
    keep(m, 1, "PC-1");
    keep(m, 2, "PC-2");
    keep(m, 3, "PC-3");
    keep(m, 4, "SRV-1");
    inv__leafmem_end(m, 1);

    inv__leafmem_begin(m, 2);
    assert_true(found(m, 1, "PC-1"));
    keep(m, 1, "PC-1");
    assert_false(found(m, 9, "PC-2"));  /* edited since: another revision */
    keep(m, 9, "PC-2");
    assert_false(found(m, 10, "PC-25")); /* new since, between two kept ids */
    keep(m, 10, "PC-25");
    /* PC-3 removed since: skipped on the way to SRV-1 */
    assert_true(found(m, 4, "SRV-1"));
    keep(m, 4, "SRV-1");
    assert_false(found(m, 11, "WS-1")); /* past the last record */
    keep(m, 11, "WS-1");
    inv__leafmem_end(m, 1);

    /* what the second rendering kept (one question per id, in id order,
     * as a rendering asks), and nothing of what it dropped */
    inv__leafmem_begin(m, 2);
    assert_true(found(m, 1, "PC-1"));
    assert_true(found(m, 9, "PC-2"));
    assert_true(found(m, 10, "PC-25"));
    assert_false(found(m, 3, "PC-3"));
    assert_true(found(m, 4, "SRV-1"));
    assert_true(found(m, 11, "WS-1"));
    inv__leafmem_end(m, 0);
    inv__leafmem_begin(m, 2);
    assert_false(found(m, 2, "PC-2")); /* nothing: the last rendering kept none */
    inv__leafmem_end(m, 1);
    inv__leafmem_free(m);
}

static void test_prefix_ids_in_order(void **state)
{
    (void)state;
    /* ids that are prefixes of one another: "A" < "A-1" < "AB" bytewise */
    inv__leafmem *m = inv__leafmem_new();
    assert_non_null(m);
    inv__leafmem_begin(m, 2);
    keep(m, 1, "A");
    keep(m, 2, "A-1");
    keep(m, 3, "AB");
    inv__leafmem_end(m, 1);
    inv__leafmem_begin(m, 2);
    assert_true(found(m, 1, "A"));
    assert_false(found(m, 5, "A-0")); /* new, before A-1: A-1 stays */
    assert_true(found(m, 2, "A-1"));
    assert_true(found(m, 3, "AB"));
    inv__leafmem_end(m, 1);
    inv__leafmem_free(m);
}

static void test_format_and_failure(void **state)
{
    (void)state;
    inv__leafmem *m = inv__leafmem_new();
    assert_non_null(m);
    inv__leafmem_begin(m, 1);
    keep(m, 1, "PC-1");
    inv__leafmem_end(m, 1);
    /* a scope-register/2 rendering renders the same row otherwise */
    inv__leafmem_begin(m, 2);
    assert_false(found(m, 1, "PC-1"));
    keep(m, 1, "PC-1");
    inv__leafmem_end(m, 1);
    inv__leafmem_begin(m, 2);
    assert_true(found(m, 1, "PC-1"));
    keep(m, 1, "PC-1");
    inv__leafmem_end(m, 0); /* the rendering failed: nothing kept */
    inv__leafmem_begin(m, 2);
    assert_false(found(m, 1, "PC-1"));
    inv__leafmem_end(m, 1);
    inv__leafmem_free(m);
    inv__leafmem_free(NULL);
}

static void test_many_and_long(void **state)
{
    (void)state;
    enum { N = 20000 };
    static char ids[N][40];
    char longid[3000];
    memset(longid, 'Z', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    inv__leafmem *m = inv__leafmem_new();
    assert_non_null(m);
    for (int round = 0; round < 3; round++) {
        inv__leafmem_begin(m, 2);
        int hits = 0;
        for (int i = 0; i < N; i++) {
            /* ids of varying lengths, in bytewise order */
            snprintf(ids[i], sizeof ids[i], "K-%06d%.*s", i, i % 29, "abcdefghijklmnopqrstuvwxyz012");
            int64_t rev = i % 10 == 0 ? 100000 * (round + 1) + i : i; /* a tenth edited each time */
            hits += found(m, rev, ids[i]);
            keep(m, rev, ids[i]);
        }
        hits += found(m, 7, longid);
        keep(m, 7, longid);
        inv__leafmem_end(m, 1);
        assert_int_equal(hits, round == 0 ? 0 : N - N / 10 + 1);
    }
    inv__leafmem_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_revision_only),
        cmocka_unit_test(test_prefix_ids_in_order),
        cmocka_unit_test(test_format_and_failure),
        cmocka_unit_test(test_many_and_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
