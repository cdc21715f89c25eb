/* test_render.c - unit tests of document/render.c: the canonical hash-chained scope document
 * (docs/FORMAT.md): header, changes, items, sort order, determinism,
 * streaming to a sink and its write errors. */
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

/* The register of every test here (tests/unit/testutil.h). */
typedef tu_reg fx;

/* --- the scope document --- */

static char *expected_header(inv_register *r, int64_t n, const char *date, const char *author,
                             const char *message, const char *previous, int items)
{
    inv_buf b = {0};
    inv_buf_printf(&b,
                   "scope-register/2\n"
                   "register: %s\n"
                   "contract: ACME-2026-01\n"
                   "provider: Helvetia IT SA\n"
                   "provider-key: " TU_PK_A_ID "\n"
                   "client: ACME SA\n"
                   "client-key: " TU_PK_B_ID "\n"
                   "version: %lld\n"
                   "date: %s\n"
                   "author: %s\n"
                   "message: %s\n"
                   "previous: %s\n"
                   "items: %d\n"
                   "services: 0\n"
                   "exclusions: 0\n"
                   "classes: 0\n"
                   "defaults: 0\n",
                   inv_register_id(r), (long long)n, date, author, message, previous, items);
    return b.data;
}

static void test_document_v1(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    tu_build_history(r);
    char *head = expected_header(r, 1, "2026-01-10T09:00:00Z", "J. Muller", "Initial inventory",
                                 "none", 5);
    inv_buf want = {0};
    inv_buf_puts(&want, head);
    inv_buf_puts(&want,
                 "\n"
                 "changes: 5\n"
                 "+ FW-01\n"
                 "+ PC-010\n"
                 "+ SRV-01\n"
                 "+ pc-001\n"
                 "+ Ébauche\n"
                 "\n"
                 "item: FW-01\n"
                 "  kind: network\n"
                 "  name:\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "\n"
                 "item: PC-010\n"
                 "  kind: workstation\n"
                 "  name: Poste compta\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "  os: Windows 11\n"
                 "  serial: S1\n"
                 "\n"
                 "item: SRV-01\n"
                 "  kind: server\n"
                 "  name: File server\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "  ip: 10.0.0.5\n"
                 "  notes: line1\\nline2\\ttab \\\\ back\n"
                 "\n"
                 "item: pc-001\n"
                 "  kind: workstation\n"
                 "  name:\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "\n"
                 "item: Ébauche\n"
                 "  kind: software\n"
                 "  name: Ébauche\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "\n"
                 "end of scope document\n");
    char *doc = tu_render(r, 1);
    assert_string_equal(doc, want.data);
    free(doc);
    free(head);
    inv_buf_free(&want);
}

static void test_document_v2_changes(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    tu_build_history(r);
    inv_version v1;
    inv_err e = {0};
    assert_ok(inv_version_get(r, 1, &v1, &e), &e);
    char *head = expected_header(r, 2, "2026-02-01T10:00:00Z", "jm", "Q1\\nsecond line",
                                 v1.doc_hash, 5);
    inv_version_free(&v1);
    inv_buf want = {0};
    inv_buf_puts(&want, head);
    inv_buf_puts(&want,
                 "\n"
                 "changes: 4\n"
                 "~ PC-010\n"
                 "  kind: \"workstation\" -> \"server\"\n"
                 "~ SRV-01\n"
                 "  name: \"File server\" -> \"File \\\"server\\\"\"\n"
                 "  ip: \"10.0.0.5\" -> \"10.0.0.6\"\n"
                 "  notes: \"line1\\nline2\\ttab \\\\ back\" -> (none)\n"
                 "  os: (none) -> \"Windows Server 2022\"\n"
                 "+ WS-01\n"
                 "- pc-001\n"
                 "  reason: stolen, police report 42\n"
                 "\n"
                 "item: FW-01\n"
                 "  kind: network\n"
                 "  name:\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "\n"
                 "item: PC-010\n"
                 "  kind: server\n"
                 "  name: Poste compta\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "  os: Windows 11\n"
                 "  serial: S1\n"
                 "\n"
                 "item: SRV-01\n"
                 "  kind: server\n"
                 "  name: File \"server\"\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "  ip: 10.0.0.6\n"
                 "  os: Windows Server 2022\n"
                 "\n"
                 "item: WS-01\n"
                 "  kind: workstation\n"
                 "  name:\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "\n"
                 "item: Ébauche\n"
                 "  kind: software\n"
                 "  name: Ébauche\n"
                 "  services: none (kind default)\n"
                 "  sla: none (kind default)\n"
                 "\n"
                 "end of scope document\n");
    char *doc = tu_render(r, 2);
    assert_string_equal(doc, want.data);
    free(doc);
    free(head);
    inv_buf_free(&want);

    /* version 3: a removal and an added attribute */
    doc = tu_render(r, 3);
    assert_non_null(strstr(doc, "\nversion: 3\ndate: 2026-03-01T08:00:00Z\n"));
    assert_non_null(strstr(doc, "\nitems: 4\nservices: 0\nexclusions: 0\nclasses: 0\ndefaults: 0\n\nchanges: 2\n"
                                "- WS-01\n  reason: returned\n"
                                "~ Ébauche\n  licences: (none) -> \"25\"\n\nitem: FW-01\n"));
    assert_non_null(strstr(doc, "item: Ébauche\n  kind: software\n  name: Ébauche\n"
                                "  services: none (kind default)\n  sla: none (kind default)\n"
                                "  licences: 25\n\nend of scope document\n"));
    assert_null(strstr(doc, "item: WS-01"));
    free(doc);
}

/* Properties every document has (docs/FORMAT.md): LF line ends, no other
 * control byte, items sorted bytewise, the items: count matches. */
static void check_document_shape(const char *doc)
{
    size_t len = strlen(doc);
    assert_true(len > 0);
    assert_int_equal(doc[len - 1], '\n');
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)doc[i] < 0x20 && doc[i] != '\n')
            fail_msg("control byte 0x%02x at offset %zu", (unsigned char)doc[i], i);
    assert_int_equal(strncmp(doc, "scope-register/2\n", 17), 0);
    const char *end = "\nend of scope document\n";
    assert_string_equal(doc + len - strlen(end), end);

    long want_items = -1;
    const char *p = strstr(doc, "\nitems: ");
    assert_non_null(p);
    want_items = strtol(p + 8, NULL, 10);
    long items = 0;
    char prev[512] = "";
    for (p = doc; (p = strstr(p, "\nitem: ")) != NULL; p += 7) {
        const char *id = p + 7;
        size_t n = strcspn(id, "\n");
        char cur[512];
        assert_true(n < sizeof cur);
        memcpy(cur, id, n);
        cur[n] = '\0';
        if (items && strcmp(prev, cur) >= 0)
            fail_msg("items out of order: '%s' then '%s'", prev, cur);
        memcpy(prev, cur, n + 1);
        items++;
    }
    assert_int_equal(items, want_items);
}

static void test_document_sort_order(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    /* staged in scrambled order; bytewise order is the order of the list */
    static const char *const sorted[] = {"PC-010", "SRV-01", "Z-9",    "pc-001", "z",
                                         "Ébauche", "éa",    "日本-1", "ﬁ-lig"};
    static const int scramble[] = {6, 3, 8, 0, 5, 2, 7, 1, 4};
    for (size_t i = 0; i < 9; i++)
        tu_stage_add(r, sorted[scramble[i]], "other", NULL, NULL);
    tu_commit(r, "2026-01-10T09:00:00Z", "jm", "order");
    char *doc = tu_render(r, 1);
    check_document_shape(doc);
    const char *last_change = doc, *last_item = doc;
    for (size_t i = 0; i < 9; i++) {
        char change[64], item[64];
        snprintf(change, sizeof change, "\n+ %s\n", sorted[i]);
        snprintf(item, sizeof item, "\nitem: %s\n", sorted[i]);
        const char *c = strstr(doc, change), *it = strstr(doc, item);
        if (!c || !it)
            fail_msg("'%s' missing from the document:\n%s", sorted[i], doc);
        if (c < last_change || it < last_item)
            fail_msg("'%s' out of bytewise order in:\n%s", sorted[i], doc);
        last_change = c;
        last_item = it;
    }
    free(doc);
}

typedef struct chunks {
    inv_buf b;
    int calls;
} chunks;

static int count_sink(void *ctx, const void *data, size_t len)
{
    chunks *c = ctx;
    c->calls++;
    return inv_buf_add(&c->b, data, len);
}

static int failing_sink(void *ctx, const void *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
    return 1;
}

static void test_render_determinism(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    tu_build_history(r);
    for (int64_t n = 1; n <= 3; n++) {
        char *a = tu_render(r, n), *b = tu_render(r, n);
        assert_string_equal(a, b);
        check_document_shape(a);

        /* the streamed rendering has the same bytes */
        chunks s = {{0}, 0};
        assert_ok(inv_render(r, n, count_sink, &s, &e), &e);
        assert_int_equal(s.b.len, strlen(a));
        assert_memory_equal(s.b.data, a, s.b.len);
        inv_buf_free(&s.b);

        /* the stored hash is BLAKE2b-256 of the rendered bytes */
        char h[CR_HASH_STR_LEN];
        cr_hash_hex(a, strlen(a), h);
        inv_version v;
        assert_ok(inv_version_get(r, n, &v, &e), &e);
        assert_string_equal(v.doc_hash, h);
        if (n > 1) {
            char *prev = tu_render(r, n - 1);
            char ph[CR_HASH_STR_LEN], line[128];
            cr_hash_hex(prev, strlen(prev), ph);
            assert_string_equal(v.prev_hash, ph);
            snprintf(line, sizeof line, "\nprevious: %s\n", ph);
            assert_non_null(strstr(a, line));
            free(prev);
        }
        inv_version_free(&v);
        free(a);
        free(b);
    }
    /* a later version does not change the rendering of an earlier one, nor
     * do staged changes, nor reopening */
    char *v1 = tu_render(r, 1);
    tu_stage_add(r, "NEW", "pc", NULL, NULL);
    tu_stage_edit(r, "FW-01", "ip", "10.0.0.1", NULL);
    char *v1b = tu_render(r, 1);
    assert_string_equal(v1, v1b);
    tu_commit(r, "2026-04-01T00:00:00Z", "jm", "Q3");
    tu_reg_reopen(f);
    char *v1c = tu_render(f->r, 1);
    assert_string_equal(v1, v1c);
    free(v1);
    free(v1b);
    free(v1c);

    /* a sink that fails makes rendering fail */
    assert_err(inv_render(f->r, 1, failing_sink, NULL, &e), &e, INV_EIO, "cannot write");
    /* no such version */
    char *doc = NULL;
    size_t len = 0;
    assert_err(inv_render_mem(f->r, 9, &doc, &len, &e), &e, INV_EINPUT, "no version 9");
    assert_err(inv_render_mem(f->r, 0, &doc, &len, &e), &e, INV_EINPUT, "no version 0");
}

/* A document larger than the renderer's buffer is streamed in pieces that
 * add up to the same bytes, and verifies. */
static void test_render_large(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    char notes[200];
    memset(notes, 'n', 150);
    notes[150] = '\0';
    assert_ok(inv_begin(r, &e), &e);
    for (int i = 0; i < 1200; i++) {
        char id[32];
        snprintf(id, sizeof id, "WS-%05d", (i * 7919) % 1200);
        tu_stage_add(r, id, "pc", "Poste", "notes", notes, NULL);
    }
    assert_ok(inv_end(r, 1, &e), &e);
    assert_int_equal(tu_staged_count(r), 1200);
    tu_commit(r, "2026-01-10T09:00:00Z", "jm", "bulk");
    chunks s = {{0}, 0};
    assert_ok(inv_render(r, 1, count_sink, &s, &e), &e);
    char *doc = tu_render(r, 1);
    assert_true(strlen(doc) > 3 * 65536);
    assert_true(s.calls > 1); /* streamed, not held whole */
    assert_int_equal(s.b.len, strlen(doc));
    assert_memory_equal(s.b.data, doc, s.b.len);
    check_document_shape(doc);
    assert_non_null(strstr(doc, "\nitems: 1200\nservices: 0\nexclusions: 0\nclasses: 0\n"
                              "defaults: 0\n\nchanges: 1200\n+ WS-00000\n+ WS-00001\n"));
    free(doc);
    inv_buf_free(&s.b);
    assert_ok(inv_verify(r, NULL, NULL, &e), &e);
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_document_v1, tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_document_v2_changes,
                                        tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_document_sort_order,
                                        tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_render_determinism,
                                        tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_render_large, tu_reg_setup_default, tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
