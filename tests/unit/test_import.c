/* test_import.c - unit tests of work/import.c's upsert rules (docs/DESIGN.md,
 * "CSV import"): a new id is added, an existing id is merged (a column the
 * file lacks leaves the field alone, an empty cell removes the attribute, a
 * kind column replaces the kind, --kind never changes an existing item's
 * kind), an equal row stages nothing, --sync stages the removal of the items
 * the file lacks with its reason, and export-csv then import --sync stages
 * nothing. Driven through inv_import and inv_export_csv only. */
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

typedef tu_reg fx;

/* Version 1: PC-01 (workstation, with serial, os, owner) and SRV-01. */
static int base_setup(void **state)
{
    if (tu_reg_setup(state, NULL))
        return -1;
    fx *f = *state;
    tu_stage_add(f->r, "PC-01", "poste", "Compta", "serial", "S1", "os", "Windows 11", "owner",
                 "J. Muller", NULL);
    tu_stage_add(f->r, "SRV-01", "serveur", "File server", "ip", "10.0.0.5", NULL);
    assert_int_equal(tu_commit(f->r, "2026-01-10T09:00:00Z", "jm", "Initial inventory"), 1);
    return 0;
}

/* Writes text to NAME in the fixture's directory; returns the malloc'd path. */
static char *csv_file(fx *f, const char *name, const char *text)
{
    char *p = tu_path(f->dir, name);
    assert_int_equal(tu_write(p, text, strlen(text)), 0);
    return p;
}

/* Imports path with default_kind (may be NULL) and sync; asserts success and
 * returns the result (the caller frees it). */
static inv_import_result import_ok(fx *f, const char *path, const char *default_kind, int sync,
                                   const char *sync_reason)
{
    inv_import_opts o = {0};
    inv_import_result res = {0};
    inv_err e = {0};
    o.path = path;
    o.default_kind = default_kind;
    o.sync = sync;
    o.sync_reason = sync_reason;
    int rc = inv_import(f->r, &o, NULL, NULL, &res, &e);
    if (rc != INV_OK)
        fail_msg("import %s: %d: %s (%s)", path, rc, e.msg, res.errors ? res.errors : "");
    return res;
}

static void expect_counts(const inv_import_result *res, int64_t rows, int64_t added,
                          int64_t modified, int64_t removed, int64_t unchanged)
{
    assert_int_equal(res->rows, rows);
    assert_int_equal(res->added, added);
    assert_int_equal(res->modified, modified);
    assert_int_equal(res->removed, removed);
    assert_int_equal(res->unchanged, unchanged);
}

/* The current (staged) state of id, as "kind|name|k=v|k=v" in key order. */
static char *item_text(fx *f, const char *id)
{
    inv_item it;
    inv_err e = {0};
    inv_buf b = {0};
    inv_item_init(&it);
    assert_ok(inv_item_current(f->r, id, &it, NULL, &e), &e);
    inv_buf_printf(&b, "%s|%s", it.kind, it.name);
    for (size_t i = 0; i < it.nattrs; i++)
        inv_buf_printf(&b, "|%s=%s", it.attrs[i].key, it.attrs[i].value);
    inv_item_free(&it);
    return b.data;
}

static void expect_item(fx *f, const char *id, const char *want)
{
    char *got = item_text(f, id);
    assert_string_equal(got, want);
    free(got);
}

static void expect_staged(fx *f, const char *want)
{
    char *got = tu_staged_text(f->r);
    assert_string_equal(got, want);
    free(got);
}

/* A new id is added (its kind from --kind); an existing id is merged: the
 * column the file lacks (serial) stays, the empty cell (owner) removes the
 * attribute, and --kind leaves the existing item's kind alone. SRV-01, not
 * in the file, is left alone without --sync. */
static void test_new_and_merged(void **state)
{
    fx *f = *state;
    char *p = csv_file(f, "q2.csv",
                       "id,name,os,owner\n"
                       "PC-01,Compta,Windows 11,\n"
                       "NEW-1,New one,Linux,A. B\n");
    inv_import_result res = import_ok(f, p, "serveur", 0, NULL);
    expect_counts(&res, 2, 1, 1, 0, 0);
    inv_import_result_free(&res);
    expect_staged(f, "+ NEW-1\n"
                     "~ PC-01\n"
                     "  owner: \"J. Muller\" -> (none)\n");
    expect_item(f, "NEW-1", "server|New one|os=Linux|owner=A. B");
    expect_item(f, "PC-01", "workstation|Compta|os=Windows 11|serial=S1");
    expect_item(f, "SRV-01", "server|File server|ip=10.0.0.5");
    free(p);
}

/* A kind column replaces the kind (any alias), whatever --kind says; the
 * fields the file lacks stay. */
static void test_kind_column(void **state)
{
    fx *f = *state;
    char *p = csv_file(f, "kinds.csv",
                       "id,type\n"
                       "PC-01,Serveur\n"
                       "SRV-01,server\n");
    inv_import_result res = import_ok(f, p, "laptop", 0, NULL);
    expect_counts(&res, 2, 0, 1, 0, 1);
    inv_import_result_free(&res);
    expect_staged(f, "~ PC-01\n"
                     "  kind: \"workstation\" -> \"server\"\n");
    expect_item(f, "PC-01", "server|Compta|os=Windows 11|owner=J. Muller|serial=S1");
    free(p);
}

/* A row equal to the item's current state stages nothing, whatever the
 * order of the columns and the spelling of the kind. */
static void test_equal_rows(void **state)
{
    fx *f = *state;
    char *p = csv_file(f, "same.csv",
                       "owner,serial,id,kind,name,os\n"
                       "J. Muller,S1,PC-01,PC,Compta,Windows 11\n");
    inv_import_result res = import_ok(f, p, NULL, 0, NULL);
    expect_counts(&res, 1, 0, 0, 0, 1);
    inv_import_result_free(&res);
    assert_int_equal(tu_staged_count(f->r), 0);
    /* twice: still nothing */
    res = import_ok(f, p, "serveur", 0, NULL);
    expect_counts(&res, 1, 0, 0, 0, 1);
    inv_import_result_free(&res);
    assert_int_equal(tu_staged_count(f->r), 0);
    free(p);
}

/* --sync stages the removal of every item in scope the file lacks, with
 * the default reason naming the file, or the reason given. */
static void test_sync(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    char *p = csv_file(f, "only-pc.csv", "id,kind,name\nPC-01,pc,Compta\nNEW-2,pc,\n");
    inv_import_result res = import_ok(f, p, NULL, 1, NULL);
    expect_counts(&res, 2, 1, 0, 1, 1);
    inv_import_result_free(&res);
    expect_staged(f, "+ NEW-2\n"
                     "- SRV-01\n"
                     "  reason: absent from only-pc.csv (import --sync)\n");

    /* the reason given replaces the default one */
    assert_ok(inv_stage_reset(f->r, NULL, &e), &e);
    assert_int_equal(tu_staged_count(f->r), 0);
    res = import_ok(f, p, NULL, 1, "decommissioned in March");
    expect_counts(&res, 2, 1, 0, 1, 1);
    inv_import_result_free(&res);
    expect_staged(f, "+ NEW-2\n"
                     "- SRV-01\n"
                     "  reason: decommissioned in March\n");

    /* without --sync, the items the file lacks stay */
    assert_ok(inv_stage_reset(f->r, NULL, &e), &e);
    res = import_ok(f, p, NULL, 0, NULL);
    expect_counts(&res, 2, 1, 0, 0, 1);
    inv_import_result_free(&res);
    expect_staged(f, "+ NEW-2\n");
    free(p);
}

static int file_sink(void *ctx, const void *data, size_t len)
{
    return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

/* Writes version n as CSV to NAME in the fixture's directory. */
static char *export_to(fx *f, int64_t n, const char *name)
{
    inv_err e = {0};
    char *p = tu_path(f->dir, name);
    FILE *out = fopen(p, "wb");
    assert_non_null(out);
    assert_ok(inv_export_csv(f->r, n, INV_EXPORT_CSV, file_sink, out, &e), &e);
    assert_int_equal(fclose(out), 0);
    return p;
}

/* export-csv then import --sync stages nothing, with names and values that
 * need quoting, escapes, accents and removals in the history; one changed
 * cell in the export then stages exactly that edit. */
static void test_export_sync_round_trip(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    tu_build_history(f->r); /* versions 1 to 3 */
    tu_stage_add(f->r, "Q-1", "logiciel", "Suite \"pro\", édition 2", "notes",
                 "a, b; \"c\"\nline 2", "licences", "25", NULL);
    int64_t v = tu_commit(f->r, "2026-04-01T08:00:00Z", "jm", "quoting");
    assert_int_equal(v, 4);

    char *p = export_to(f, v, "export.csv");
    inv_import_result res = import_ok(f, p, NULL, 1, NULL);
    expect_counts(&res, 5, 0, 0, 0, 5);
    inv_import_result_free(&res);
    assert_int_equal(tu_staged_count(f->r), 0);

    /* the same file with one cell changed: one edit, nothing else */
    size_t len = 0;
    char *text = tu_slurp(p, &len);
    assert_non_null(text);
    char *at = strstr(text, "10.0.0.6");
    assert_non_null(at);
    at[7] = '9';
    assert_int_equal(tu_write(p, text, len), 0);
    res = import_ok(f, p, NULL, 1, NULL);
    expect_counts(&res, 5, 0, 1, 0, 4);
    inv_import_result_free(&res);
    expect_staged(f, "~ SRV-01\n"
                     "  ip: \"10.0.0.6\" -> \"10.0.0.9\"\n");
    assert_ok(inv_stage_reset(f->r, NULL, &e), &e);

    /* an older version's export, imported with --sync, stages the way
     * back: pc-001 again, SRV-01's and PC-010's fields of version 1, Q-1
     * withdrawn; Ébauche keeps its licences (version 1 has no such column) */
    char *p1 = export_to(f, 1, "v1.csv");
    res = import_ok(f, p1, NULL, 1, NULL);
    expect_counts(&res, 5, 1, 2, 1, 2);
    inv_import_result_free(&res);
    expect_staged(f, "~ PC-010\n"
                     "  kind: \"server\" -> \"workstation\"\n"
                     "- Q-1\n"
                     "  reason: absent from v1.csv (import --sync)\n"
                     "~ SRV-01\n"
                     "  name: \"File \\\"server\\\"\" -> \"File server\"\n"
                     "  ip: \"10.0.0.6\" -> \"10.0.0.5\"\n"
                     "  notes: (none) -> \"line1\\nline2\\ttab \\\\ back\"\n"
                     "  os: \"Windows Server 2022\" -> (none)\n"
                     "+ pc-001\n");
    free(text);
    free(p);
    free(p1);
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_and_merged, base_setup, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_kind_column, base_setup, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_equal_rows, base_setup, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_sync, base_setup, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_export_sync_round_trip, tu_reg_setup_default,
                                        tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
