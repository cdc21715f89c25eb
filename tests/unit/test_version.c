/* test_version.c - unit tests of work/version.c: commits, the items of a version, the diff
 * between two versions and the resolution of a version argument. */
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

static void test_commit_rules(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    int64_t n = -1, latest = -1;

    assert_err(inv_commit(r, "empty", "jm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e,
               INV_EINPUT, "nothing to commit");
    tu_stage_add(r, "PC-01", "pc", "", NULL);
    assert_err(inv_commit(r, "", "jm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e, INV_EINPUT,
               "message");
    assert_err(inv_commit(r, NULL, "jm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e, INV_EINPUT,
               "message");
    assert_err(inv_commit(r, "m", "", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e, INV_EINPUT,
               "author");
    assert_err(inv_commit(r, "m", "j\nm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e, INV_EINPUT,
               "author");
    assert_err(inv_commit(r, "bad\x01", "jm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e,
               INV_EINPUT, "message");
    assert_ok(inv_latest(r, &latest, &e), &e);
    assert_int_equal(latest, 0);
    assert_int_equal(tu_staged_count(r), 1);

    assert_int_equal(tu_commit(r, "2026-01-10T09:00:00Z", "jm", "one"), 1);
    assert_int_equal(tu_staged_count(r), 0);
    assert_err(inv_commit(r, "again", "jm", tu_time("2026-01-11T09:00:00Z"), &n, &e), &e,
               INV_EINPUT, "nothing to commit");

    /* a date before the previous version's is refused, and nothing changes */
    tu_stage_add(r, "PC-02", "pc", "", NULL);
    assert_err(inv_commit(r, "early", "jm", tu_time("2026-01-10T08:59:59Z"), &n, &e), &e,
               INV_EINPUT, "before the date of version 1");
    assert_non_null(strstr(e.msg, "2026-01-10T08:59:59Z"));
    assert_ok(inv_latest(r, &latest, &e), &e);
    assert_int_equal(latest, 1);
    assert_int_equal(tu_staged_count(r), 1);
    /* the same second as the previous version is not before it */
    assert_int_equal(tu_commit(r, "2026-01-10T09:00:00Z", "jm", "two"), 2);

    /* edits that change nothing are not a change */
    tu_stage_edit(r, "PC-01", "owner", "x", NULL);
    tu_stage_edit(r, "PC-01", "owner", NULL, NULL);
    assert_err(inv_commit(r, "noop", "jm", tu_time("2026-01-12T00:00:00Z"), &n, &e), &e,
               INV_EINPUT, "nothing to commit");

    inv_version v;
    assert_ok(inv_version_get(r, 2, &v, &e), &e);
    assert_int_equal(v.number, 2);
    assert_int_equal(v.date, tu_time("2026-01-10T09:00:00Z"));
    assert_string_equal(v.author, "jm");
    assert_string_equal(v.message, "two");
    assert_int_equal(v.item_count, 2);
    assert_int_equal(strncmp(v.doc_hash, "blake2b-256:", 12), 0);
    assert_int_equal(strlen(v.doc_hash), 12 + 64);
    inv_version v1;
    assert_ok(inv_version_get(r, 1, &v1, &e), &e);
    assert_string_equal(v1.prev_hash, "");
    assert_string_equal(v.prev_hash, v1.doc_hash);
    assert_string_not_equal(v.doc_hash, v1.doc_hash);
    inv_version_free(&v);
    inv_version_free(&v1);
    assert_err(inv_version_get(r, 3, &v, &e), &e, INV_EINPUT, "no version 3");

    /* re-adding an item removed earlier is an addition again */
    assert_ok(inv_stage_remove(r, "PC-02", "returned", &e), &e);
    assert_int_equal(tu_commit(r, "2026-01-11T00:00:00Z", "jm", "three"), 3);
    tu_stage_add(r, "PC-02", "serveur", "back", NULL);
    assert_int_equal(tu_commit(r, "2026-01-12T00:00:00Z", "jm", "four"), 4);
    char *doc = tu_render(r, 4);
    assert_non_null(strstr(doc, "\nchanges: 1\n+ PC-02\n\nitem: PC-01\n"));
    assert_non_null(strstr(doc, "\nitem: PC-02\n  kind: server\n  name: back\n"));
    free(doc);
    doc = tu_render(r, 3);
    assert_non_null(strstr(doc, "\nchanges: 1\n- PC-02\n  reason: returned\n\nitem: PC-01\n"));
    assert_null(strstr(doc, "item: PC-02"));
    free(doc);

    int64_t nn;
    assert_ok(inv_verify(r, NULL, NULL, &e), &e);
    /* versions survive reopening */
    tu_reg_reopen(f);
    assert_ok(inv_latest(f->r, &nn, &e), &e);
    assert_int_equal(nn, 4);
}

/* --- items of a version, diff, resolution --- */

static int collect_ids(void *ctx, const inv_item *it)
{
    inv_buf *b = ctx;
    inv_buf_printf(b, "%s(%s) ", it->id, it->kind);
    return 0;
}

static void test_items_of_version(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    tu_build_history(r);
    inv_buf b = {0};
    assert_ok(inv_items(r, 1, collect_ids, &b, &e), &e);
    assert_string_equal(b.data, "FW-01(network) PC-010(workstation) SRV-01(server) "
                                "pc-001(workstation) Ébauche(software) ");
    b.len = 0;
    assert_ok(inv_items(r, 2, collect_ids, &b, &e), &e);
    assert_string_equal(b.data, "FW-01(network) PC-010(server) SRV-01(server) "
                                "WS-01(workstation) Ébauche(software) ");
    b.len = 0;
    assert_ok(inv_items(r, 3, collect_ids, &b, &e), &e);
    assert_string_equal(b.data, "FW-01(network) PC-010(server) SRV-01(server) "
                                "Ébauche(software) ");
    inv_buf_free(&b);
}

static char *diff_text(inv_register *r, int64_t a, int64_t b, int *n)
{
    tu_changes w = {{0}, 0};
    inv_err e = {0};
    assert_ok(inv_diff(r, a, b, tu_change_log, &w, &e), &e);
    inv_buf_puts(&w.text, "");
    if (n)
        *n = w.n;
    return w.text.data;
}

static void test_diff(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    tu_build_history(r);
    int n;
    /* non-adjacent: WS-01 came and went between 1 and 3, so it is not listed */
    char *d = diff_text(r, 1, 3, &n);
    assert_string_equal(d, "~ PC-010\n"
                           "  kind: \"workstation\" -> \"server\"\n"
                           "~ SRV-01\n"
                           "  name: \"File server\" -> \"File \\\"server\\\"\"\n"
                           "  ip: \"10.0.0.5\" -> \"10.0.0.6\"\n"
                           "  notes: \"line1\\nline2\\ttab \\\\ back\" -> (none)\n"
                           "  os: (none) -> \"Windows Server 2022\"\n"
                           "- pc-001\n"
                           "  reason: stolen, police report 42\n"
                           "~ Ébauche\n"
                           "  licences: (none) -> \"25\"\n");
    assert_int_equal(n, 4);
    free(d);

    /* adjacent versions: the diff is the document's changes section */
    for (int64_t v = 2; v <= 3; v++) {
        d = diff_text(r, v - 1, v, &n);
        char *doc = tu_render(r, v);
        const char *ch = strstr(doc, "\nchanges: ");
        assert_non_null(ch);
        ch = strchr(ch + 1, '\n') + 1;
        const char *end = strstr(ch, "\nitem: ");
        assert_non_null(end);
        assert_int_equal((size_t)(end - ch), strlen(d));
        assert_memory_equal(ch, d, strlen(d));
        free(doc);
        free(d);
    }

    /* from nothing: everything is added */
    d = diff_text(r, 0, 1, &n);
    assert_string_equal(d, "+ FW-01\n+ PC-010\n+ SRV-01\n+ pc-001\n+ Ébauche\n");
    assert_int_equal(n, 5);
    free(d);

    /* a version against itself: nothing */
    d = diff_text(r, 2, 2, &n);
    assert_string_equal(d, "");
    assert_int_equal(n, 0);
    free(d);

    /* backwards: the item removed in 2 comes back, WS-01 is gone */
    d = diff_text(r, 3, 2, &n);
    assert_string_equal(d, "+ WS-01\n~ Ébauche\n  licences: \"25\" -> (none)\n");
    free(d);
}

static void check_resolve(inv_register *r, const char *arg, int64_t want)
{
    int64_t n = -1;
    inv_err e = {0};
    int rc = inv_version_resolve(r, arg, &n, &e);
    if (want > 0 && (rc != INV_OK || n != want))
        fail_msg("resolve '%s': rc %d (%s), got %lld, want %lld", arg, rc, e.msg,
                 (long long)n, (long long)want);
    if (want <= 0 && (rc != INV_EINPUT || e.code != INV_EINPUT || !strstr(e.msg, arg)))
        fail_msg("resolve '%s' should fail naming it: rc %d, %lld, '%s'", arg, rc,
                 (long long)n, e.msg);
}

static void test_version_resolve(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    int64_t n;
    assert_err(inv_version_resolve(r, "latest", &n, &e), &e, INV_EINPUT, "no version");
    assert_err(inv_version_resolve(r, "1", &n, &e), &e, INV_EINPUT, "no version 1");
    tu_build_history(r); /* v1 2026-01-10T09:00Z, v2 2026-02-01T10:00Z, v3 2026-03-01T08:00Z */
    check_resolve(r, "1", 1);
    check_resolve(r, "2", 2);
    check_resolve(r, "3", 3);
    check_resolve(r, "v2", 2);
    check_resolve(r, "latest", 3);
    check_resolve(r, "2026-01-10", 1); /* a bare day is its end */
    check_resolve(r, "2026-01-10T09:00:00Z", 1);
    check_resolve(r, "2026-01-31", 1);
    check_resolve(r, "2026-02-01T09:59:59Z", 1);
    check_resolve(r, "2026-02-01T10:00:00Z", 2);
    check_resolve(r, "2026-02-01T10:30:00+01:00", 1); /* 09:30Z */
    check_resolve(r, "2026-02-01T11:00:00+01:00", 2); /* 10:00Z */
    check_resolve(r, "2026-02-01", 2);
    check_resolve(r, "2026-02-28", 2);
    check_resolve(r, "2026-03-01", 3);
    check_resolve(r, "2030-01-01", 3);
    check_resolve(r, "0", 0);
    check_resolve(r, "4", 0);
    check_resolve(r, "v9", 0);
    check_resolve(r, "-1", 0);
    check_resolve(r, "abc", 0);
    check_resolve(r, "", 0);
    check_resolve(r, "2026-02-30", 0);
    check_resolve(r, "2026-01-09", 0); /* before the first version */
    check_resolve(r, "2026-01-10T08:59:59Z", 0);

    int64_t at = -1;
    assert_ok(inv_version_at(r, tu_time("2026-01-10T08:59:59Z"), &at, &e), &e);
    assert_int_equal(at, 0);
    assert_ok(inv_version_at(r, tu_time("2026-02-15T00:00:00Z"), &at, &e), &e);
    assert_int_equal(at, 2);
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit_rules, tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_items_of_version,
                                        tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_diff, tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_version_resolve,
                                        tu_reg_setup_default, tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
