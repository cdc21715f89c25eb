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


/* ---- import --commit (inv_import_commit) ---- */

/* A fleet of n rows, deterministic, in no id order: accents, quoted cells
 * with commas and quotes, multi-line notes, empty cells, kind aliases. */
static char *fleet_csv(fx *f, const char *name, int n)
{
    inv_buf b = {0};
    static const char *kinds[] = {"poste", "serveur", "Laptop", "switch", "imprimante"};
    inv_buf_puts(&b, "Asset Tag,Type,Nom,Serial,Location,Notes\r\n");
    for (int k = 0; k < n; k++) {
        int i = (int)(((long)k * 7919) % n);
        inv_buf_printf(&b, "PC-%06d,%s,Poste n°%d é,SN%07d,", i, kinds[i % 5], i, i * 3);
        if (i % 3 == 0)
            inv_buf_printf(&b, "\"Genève, étage %d\"", i % 7);
        inv_buf_puts(&b, ",");
        if (i % 11 == 0)
            inv_buf_printf(&b, "\"écran \"\"%d\"\"\nligne 2\"", i);
        inv_buf_puts(&b, "\r\n");
    }
    char *p = csv_file(f, name, b.data);
    inv_buf_free(&b);
    return p;
}

static int count_versions(void *ctx, const inv_check *c)
{
    (void)c;
    ++*(int *)ctx;
    return 0;
}

/* The sha-like identity of a file: its bytes. */
static char *file_bytes(const char *path, size_t *len)
{
    char *d = tu_slurp(path, len);
    assert_non_null(d);
    return d;
}

/* A copy of a's register file (the same register id), open for writing. */
typedef struct twin {
    char *path;
    inv_register *r;
} twin;

static void twin_open(fx *a, twin *t)
{
    size_t len;
    inv_err e = {0};
    char *bytes = file_bytes(a->path, &len);
    t->path = tu_path(a->dir, "twin.db");
    assert_int_equal(tu_write(t->path, bytes, len), 0);
    free(bytes);
    assert_ok(inv_open(t->path, 1, &t->r, &e), &e);
}

static void twin_close(twin *t)
{
    inv_close(t->r);
    free(t->path);
}

/* A first import with --commit into an empty register writes the same
 * document (byte for byte), the same hash and the same rows (verify checks
 * each digest) as import then commit into a copy of that register; nothing
 * stays staged. 10,000 rows. */
static void test_commit_direct_same_document(void **state)
{
    fx *a = *state;
    twin tb, *b = &tb;
    twin_open(a, b);
    inv_err e = {0};
    inv_import_opts o = {0};
    inv_import_result res = {0};
    int64_t n = 0;
    char *pa = fleet_csv(a, "fleet.csv", 10000), *pb = pa;

    /* two steps */
    o.path = pa;
    assert_ok(inv_import(a->r, &o, NULL, NULL, &res, &e), &e);
    assert_int_equal(res.added, 10000);
    inv_import_result_free(&res);
    assert_int_equal(tu_commit(a->r, "2026-01-10T09:00:00Z", "bench", "Initial inventory"), 1);

    /* one */
    o.path = pb;
    assert_ok(inv_import_commit(b->r, &o, "Initial inventory", "bench",
                                tu_time("2026-01-10T09:00:00Z"), &res, &n, &e), &e);
    assert_int_equal(n, 1);
    expect_counts(&res, 10000, 10000, 0, 0, 0);
    inv_import_result_free(&res);
    assert_int_equal(tu_staged_count(b->r), 0);

    char *da = tu_render(a->r, 1), *db = tu_render(b->r, 1);
    assert_int_equal(strlen(da), strlen(db));
    assert_true(strcmp(da, db) == 0);
    inv_version va, vb;
    assert_ok(inv_version_get(a->r, 1, &va, &e), &e);
    assert_ok(inv_version_get(b->r, 1, &vb, &e), &e);
    assert_string_equal(va.doc_hash, vb.doc_hash);
    assert_int_equal(vb.item_count, 10000);
    inv_version_free(&va);
    inv_version_free(&vb);
    int seen = 0;
    assert_ok(inv_verify(b->r, count_versions, &seen, &e), &e);
    assert_int_equal(seen, 1);
    fx fb = {0};
    fb.r = b->r;
    expect_item(&fb, "PC-000033", "network|Poste n°33 é|location=Genève, étage 5|"
                                  "notes=écran \"33\"\nligne 2|serial=SN0000099");

    /* a later edit and commit on top of it, as on any register */
    tu_stage_edit(b->r, "PC-000033", "owner", "J. Muller", NULL);
    assert_int_equal(tu_commit(b->r, "2026-01-11T09:00:00Z", "jm", "owner"), 2);
    seen = 0;
    assert_ok(inv_verify(b->r, count_versions, &seen, &e), &e);
    assert_int_equal(seen, 2);
    free(da);
    free(db);
    free(pa);
    twin_close(b);
}

/* Refusals of a direct import are those of import then commit (same
 * errors, same first message), and leave the register file as it was:
 * a duplicate id (the line of the first), a bad kind on a row whose id
 * comes again later, serial numbers shared, ids equal but for case (more
 * than 20 groups: the first 20 in id order, the rest counted). */
static void test_commit_direct_refusals(void **state)
{
    fx *a = *state;
    twin tb, *b = &tb;
    twin_open(a, b);
    static const char *files[] = {
        "id,kind,name\nA-1,pc,one\nA-2,pc,two\nA-1,pc,again\n",
        "id,kind,name\nA-1,pc,one\nB-1,toaster,bad\nA-2,pc,two\nB-1,pc,again\n",
        "id,kind,name,serial\nZ-9,pc,z,S1\nA-1,pc,a,S2\nM-5,pc,m,S1\nB-2,pc,b,S2\nC-3,pc,c,\n",
    };
    for (size_t t = 0; t < 4; t++) {
        inv_buf text = {0};
        if (t < 3) {
            inv_buf_puts(&text, files[t]);
        } else {
            inv_buf_puts(&text, "id,kind,name\n");
            for (int g = 24; g >= 0; g--)
                inv_buf_printf(&text, "x-%02d,pc,lower\nX-%02d,pc,upper\n", g, g);
        }
        char *pa = csv_file(a, "bad.csv", text.data), *pb = pa;
        inv_buf_free(&text);
        inv_import_opts o = {0};
        inv_import_result ra = {0}, rb = {0};
        inv_err ea = {0}, eb = {0};
        int64_t n = -1;
        size_t l0, l1;
        char *before = file_bytes(b->path, &l0);
        o.path = pa;
        assert_int_equal(inv_import(a->r, &o, NULL, NULL, &ra, &ea), INV_EINPUT);
        o.path = pb;
        assert_int_equal(inv_import_commit(b->r, &o, "m", "jm", tu_time("2026-01-10T09:00:00Z"),
                                           &rb, &n, &eb),
                         INV_EINPUT);
        assert_string_equal(ea.msg, eb.msg);
        assert_non_null(rb.errors);
        assert_string_equal(ra.errors, rb.errors);
        assert_int_equal(ra.nerrors, rb.nerrors);
        assert_int_equal(n, 0);
        char *after = file_bytes(b->path, &l1);
        assert_int_equal(l0, l1);
        assert_memory_equal(before, after, l0);
        if (t == 0)
            assert_non_null(strstr(eb.msg, "duplicate id 'A-1' (first on line 2)"));
        if (t == 1)
            assert_non_null(strstr(rb.errors, "duplicate id 'B-1' (first on line 3)"));
        if (t == 2)
            assert_non_null(strstr(eb.msg, "bad.csv:3: id 'A-1': serial number 'S2' is also "
                                           "the serial number of 'B-2' ("));
        if (t == 2)
            assert_non_null(strstr(eb.msg, "bad.csv:5); keep one item"));
        if (t == 3) {
            assert_int_equal(rb.nerrors, 25);
            assert_non_null(strstr(eb.msg, "bad.csv:51: id 'X-00' differs from 'x-00' ("));
            assert_non_null(strstr(eb.msg, "bad.csv:50) only by case"));
            assert_non_null(strstr(eb.msg, "(and 24 more errors)"));
        }
        assert_int_equal(tu_staged_count(a->r), 0);
        inv_import_result_free(&ra);
        inv_import_result_free(&rb);
        free(before);
        free(after);
        free(pa);
    }
    twin_close(b);
}

/* On a register with versions, import --commit stages and commits in one
 * transaction (version 2, nothing left staged); a dry run is refused. */
static void test_commit_staged(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    inv_import_opts o = {0};
    inv_import_result res = {0};
    int64_t n = 0;
    char *p = csv_file(f, "q2.csv", "id,name,os\nPC-01,Compta,Linux\nNEW-1,New one,BSD\n");
    o.path = p;
    o.default_kind = "serveur";
    o.dry_run = 1;
    assert_int_equal(inv_import_commit(f->r, &o, "q2", "jm", tu_time("2026-02-01T09:00:00Z"),
                                       &res, &n, &e),
                     INV_EINPUT);
    assert_non_null(strstr(e.msg, "--dry-run"));
    inv_import_result_free(&res);
    o.dry_run = 0;
    assert_ok(inv_import_commit(f->r, &o, "q2", "jm", tu_time("2026-02-01T09:00:00Z"), &res, &n,
                                &e), &e);
    assert_int_equal(n, 2);
    expect_counts(&res, 2, 1, 1, 0, 0);
    inv_import_result_free(&res);
    assert_int_equal(tu_staged_count(f->r), 0);
    expect_item(f, "PC-01", "workstation|Compta|os=Linux|owner=J. Muller|serial=S1");
    expect_item(f, "NEW-1", "server|New one|os=BSD");
    free(p);
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
        cmocka_unit_test_setup_teardown(test_commit_direct_same_document, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_commit_direct_refusals, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_commit_staged, base_setup, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_export_sync_round_trip, tu_reg_setup_default,
                                        tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
