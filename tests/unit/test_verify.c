/* test_verify.c - unit tests of work/verify.c: verification of the hash chain, including edits
 * made behind the tool's back with SQLite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "inventory.h"
#include "testutil.h"

/* The register of every test here (tests/unit/testutil.h). */
typedef tu_reg fx;

/* --- verification --- */

typedef struct checks {
    int n;
    int ok[8];
    char reason[8][1024];
} checks;

static int record_check(void *ctx, const inv_check *c)
{
    checks *k = ctx;
    assert_true(c->version >= 1 && c->version < 8);
    assert_int_equal(c->version, k->n + 1); /* in order, once each */
    k->ok[c->version] = c->ok;
    snprintf(k->reason[c->version], sizeof k->reason[0], "%s", c->ok ? "" : c->reason);
    if (!c->ok)
        assert_non_null(c->reason);
    k->n++;
    return 0;
}

/* Runs SQL on the register file with SQLite directly, as someone with the
 * sqlite3 shell would; asserts it changed want_changes rows. */
static void tamper(fx *f, const char *sql, int want_changes)
{
    inv_close(f->r);
    f->r = NULL;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("tamper '%s': %s", sql, err);
    assert_int_equal(sqlite3_changes(db), want_changes);
    sqlite3_close(db);
    inv_err e = {0};
    assert_ok(inv_open(f->path, 0, &f->r, &e), &e);
}

static void test_verify_ok(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    /* an empty register holds */
    assert_ok(inv_verify(f->r, record_check, &k, &e), &e);
    assert_int_equal(k.n, 0);
    tu_build_history(f->r);
    assert_ok(inv_verify(f->r, record_check, &k, &e), &e);
    assert_int_equal(k.n, 3);
    for (int v = 1; v <= 3; v++)
        assert_true(k.ok[v]);
    /* staged changes do not matter */
    tu_stage_add(f->r, "NEW", "pc", NULL, NULL);
    assert_ok(inv_verify(f->r, NULL, NULL, &e), &e);
}

static void test_verify_item_value_tampered(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    tu_build_history(f->r);
    /* the ip of SRV-01 as committed at version 2 (still in scope at 3) */
    tamper(f,
           "UPDATE item SET attrs = CAST(replace(CAST(attrs AS TEXT), '10.0.0.6', '10.0.0.7')"
           " AS BLOB) WHERE id = 'SRV-01' AND since = 2",
           1);
    assert_err(inv_verify(f->r, record_check, &k, &e), &e, INV_FAIL, "version 2");
    assert_int_equal(k.n, 3);
    assert_true(k.ok[1]);
    assert_false(k.ok[2]);
    assert_false(k.ok[3]);
    assert_non_null(strstr(k.reason[2], "SRV-01"));
    /* the document shows the altered value, so the hash cannot match */
    char *doc = tu_render(f->r, 2);
    assert_non_null(strstr(doc, "  ip: 10.0.0.7\n"));
    free(doc);
}

static void test_verify_version1_tampered(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    tu_build_history(f->r);
    tamper(f, "UPDATE item SET name = 'Poste direction' WHERE id = 'PC-010' AND since = 1", 1);
    assert_err(inv_verify(f->r, record_check, &k, &e), &e, INV_FAIL, "version 1");
    assert_false(k.ok[1]);
    assert_non_null(strstr(k.reason[1], "PC-010"));
    /* version 2 shows PC-010's change from that row, so its document changes
     * too, and version 3's link to it breaks */
    assert_false(k.ok[2]);
    assert_non_null(strstr(k.reason[2], "link to version 1"));
    assert_false(k.ok[3]);
    assert_non_null(strstr(k.reason[3], "link to version 2"));
}

static void test_verify_version_row_tampered(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    tu_build_history(f->r);
    tamper(f, "UPDATE version SET message = 'Q1 (amended)' WHERE number = 2", 1);
    assert_err(inv_verify(f->r, record_check, &k, &e), &e, INV_FAIL, "version 2");
    assert_true(k.ok[1]);
    assert_false(k.ok[2]);
    assert_false(k.ok[3]); /* its previous: no longer matches */
    assert_non_null(strstr(k.reason[3], "version 2"));
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_verify_ok, tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_item_value_tampered,
                                        tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_version1_tampered,
                                        tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_version_row_tampered,
                                        tu_reg_setup_default, tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
